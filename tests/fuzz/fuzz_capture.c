/* libFuzzer harness for the capture readers: the input is a file (HAR, pcap/pcapng, WARC plain
 * or gzip, raw), read from memory and dispatched by content exactly as the CLI does. */
#define _POSIX_C_SOURCE 200809L
#include "resplint/capture.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    size_t *n = user;
    *n += strlen(f->message) + (o->json_pointer ? strlen(o->json_pointer) : 0) +
          (o->record_id ? strlen(o->record_id) : 0) + (o->url ? strlen(o->url) : 0) +
          (o->client ? strlen(o->client) : 0);
}

static void on_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    size_t *n = user;
    (void)o;
    for (size_t i = 0; i < r->field_count; i++)
        *n += r->fields[i].name_len + r->fields[i].value_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static resplint_config *cfg;
    if (!cfg) { /* built once: the configuration is read-only and shared */
        cfg = resplint_config_new();
        for (size_t i = 0; cfg && i < resplint_rule_count(); i++)
            resplint_config_enable(cfg, resplint_rule_at(i)->id);
    }
    if (!cfg || size == 0)
        return 0;
    FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (!fp)
        return 0;
    size_t sink = 0;
    resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, &sink, NULL};
    resplint_capture_stats stats;
    char err[512];
    resplint_capture_file(cfg, "fuzz-input", fp, NULL, &h, &stats, err, sizeof err);
    fclose(fp);
    return 0;
}
