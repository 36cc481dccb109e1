/* libFuzzer harness for the raw stream parser: the input's first bytes choose the chunk sizes,
 * the request context and limits, the rest is the stream. Every rule is on. The stream is read
 * twice, with the engine's triggers and with every check called: the findings must agree. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void on_finding(const resplint_finding *f, void *user)
{
    /* touch everything a reporter would read, and digest it (FNV-1a) */
    size_t *n = user;
    uint64_t h = *n ^ 0xcbf29ce484222325ull;
    for (const char *p = f->message; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    h = (h ^ f->offset) * 0x100000001b3ull;
    h = (h ^ (unsigned char)f->rule->id[2] ^ ((uint64_t)(unsigned char)f->rule->id[5] << 8)) * 0x100000001b3ull;
    h = (h ^ (uint64_t)f->severity ^ ((uint64_t)f->response_index << 8)) * 0x100000001b3ull;
    *n = (size_t)h;
}

static void on_response(const resplint_response *r, size_t index, uint64_t offset,
                        uint64_t length, void *user)
{
    size_t *n = user;
    (void)index;
    (void)offset;
    (void)length;
    for (size_t i = 0; i < r->field_count; i++)
        *n += r->fields[i].name_len + r->fields[i].value_len +
              (r->fields[i].name_len ? (unsigned char)r->fields[i].name[0] : 0) +
              (r->fields[i].value_len ? (unsigned char)r->fields[i].value[r->fields[i].value_len - 1] : 0);
    if (r->reason_len)
        *n += (unsigned char)r->reason[r->reason_len - 1];
}

/* One reading of the stream; returns the digest of its findings (and responses). */
static size_t read_stream(const uint8_t *data, size_t size, uint8_t mode, uint8_t split,
                          uint8_t limits, uint8_t methods, bool exhaustive)
{
    resplint_config *cfg = resplint_config_new();
    if (!cfg)
        return 0;
    cfg->exhaustive = exhaustive;
    for (size_t i = 0; i < resplint_rule_count(); i++)
        resplint_config_enable(cfg, resplint_rule_at(i)->id);
    if (limits & 1)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_HEAD_BYTES, 64u + (limits >> 1));
    if (limits & 2)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 1u + (limits >> 4));
    if (limits & 4)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FINDINGS, 1u + (limits >> 5));
    if (limits & 8)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_RESPONSES, 1u + (limits >> 5));
    /* the pending-request window: 1 to 4 requests, or a few hundred bytes */
    if (mode & 0x20)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_PENDING_REQUESTS, 1u + (limits >> 6));
    if (mode & 0x40)
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_PENDING_BYTES, 60u + 4u * limits);
    size_t sink = 0;
    resplint_stream *s = resplint_stream_new(cfg, on_finding, &sink);
    if (!s) {
        resplint_config_free(cfg);
        return 0;
    }
    resplint_stream_on_response(s, on_response);
    static const char *const names[] = {"GET", "HEAD", "CONNECT", "POST"};
    for (int i = 0; i < 8; i++)
        if (methods & (1u << i))
            resplint_stream_push_request(s, names[i & 3], 1, (unsigned)(i & 1));
    if (mode & 1)
        resplint_stream_set_default_request(s, names[(mode >> 1) & 3], 1, 0);
    size_t chunk = split ? split : size ? size : 1;
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if ((mode & 0x10) && off && (off / chunk) % 7 == 3)
            resplint_stream_gap(s, n);
        /* copy into an exact-size heap buffer so ASan sees reads past the chunk */
        uint8_t *copy = (uint8_t *)malloc(n);
        if (!copy)
            break;
        memcpy(copy, data + off, n);
        resplint_stream_feed(s, copy, n);
        free(copy);
        /* with a window: more requests (with URLs, some dropped) between the chunks */
        if (mode & 0x60) {
            uint8_t k = data[off];
            if (k & 0x80)
                resplint_stream_drop_requests(s, k & 3);
            else
                for (uint8_t i = 0; i < (k & 3) + 1; i++)
                    resplint_stream_push_request_url(s, names[(k >> 2) & 3], 1, 1,
                                                     "http://example.test/a/long/enough/url",
                                                     (size_t)(10 + ((k >> 2) & 15)));
        }
    }
    resplint_stream_finish(s);
    resplint_stream_free(s);
    resplint_config_free(cfg);
    return sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    uint8_t mode = data[0], split = data[1], limits = data[2], methods = data[3];
    data += 4;
    size -= 4;
    size_t a = read_stream(data, size, mode, split, limits, methods, false);
    size_t b = read_stream(data, size, mode, split, limits, methods, true);
    if (a != b)
        abort(); /* a trigger (lib/core/engine.c) skipped a check that had something to say */
    return 0;
}
