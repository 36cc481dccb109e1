/* libFuzzer harness for the recording readers (VCR-style YAML/JSON, Betamax, nock, WireMock,
 * Postman, newman, mitmproxy tnetstring): the reader is chosen by content, as for a file, so
 * the seeds (fixtures/recordings, fixtures/rules/RL9011) steer the detection too. */
#include "capture_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_capture(data, size, RESPLINT_INPUT_UNKNOWN);
}
