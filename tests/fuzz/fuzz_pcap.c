/* libFuzzer harness for the PCAP reader alone: the input is read from memory with the reader
 * forced, whatever its first bytes say. */
#include "capture_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_capture(data, size, RESPLINT_INPUT_PCAP);
}
