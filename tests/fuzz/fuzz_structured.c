/* libFuzzer harness for the structured entry (resplint_check_response): the input's first
 * bytes choose status, versions, method and body length; then the first line is the reason
 * and each further line a field "name:value". Every string is copied into an exact-size heap
 * buffer without a NUL, so that ASan sees any read past a length. Every rule is on. Each
 * response is checked twice, with the engine's triggers and with every check called: the
 * findings must agree. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 256

static void on_finding(const resplint_finding *f, void *user)
{
    /* touch everything a reporter would read, and digest it (FNV-1a) */
    uint64_t *n = user;
    uint64_t h = *n ^ 0xcbf29ce484222325ull;
    for (const char *p = f->message; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    h = (h ^ f->offset ^ ((uint64_t)(f->field_index + 1) << 32)) * 0x100000001b3ull;
    h = (h ^ (unsigned char)f->rule->id[2] ^ ((uint64_t)(unsigned char)f->rule->id[5] << 8) ^
         ((uint64_t)f->severity << 16)) *
        0x100000001b3ull;
    *n = h;
}

static char *dup_exact(const uint8_t *p, size_t n)
{
    char *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* [0] every rule, [1] small limits; [2] and [3] the same calling every check */
    static resplint_config *cfgs[4];
    if (!cfgs[0]) {
        for (int k = 0; k < 4; k++) {
            cfgs[k] = resplint_config_new();
            if (!cfgs[k])
                return 0;
            for (size_t i = 0; i < resplint_rule_count(); i++)
                resplint_config_enable(cfgs[k], resplint_rule_at(i)->id);
            if (k & 1) {
                resplint_config_set_limit(cfgs[k], RESPLINT_LIMIT_FINDINGS, 2);
                resplint_config_set_limit(cfgs[k], RESPLINT_LIMIT_FIELDS, 4);
                resplint_config_set_limit(cfgs[k], RESPLINT_LIMIT_FIELD_SECTION, 64);
            }
            cfgs[k]->exhaustive = k >= 2;
        }
    }
    resplint_config *cfg = cfgs[0], *small = cfgs[1];
    if (size < 6)
        return 0;
    static const char *const methods[] = {"GET", "HEAD", "CONNECT", "POST", "OPTIONS", "PUT",
                                          "DELETE", "get"};
    resplint_response r;
    memset(&r, 0, sizeof r);
    r.status = (int)((unsigned)data[0] << 8 | data[1]) - 2000; /* -2000 .. 63535 */
    if (data[0] < 0x10)
        r.status = 100 + (int)((unsigned)data[0] << 8 | data[1]) % 500; /* mostly plausible */
    r.version_major = data[2] & 3u;
    r.version_minor = (data[2] >> 2) & 3u;
    r.request_version_major = (data[2] >> 4) & 3u;
    r.request_version_minor = (data[2] >> 6) & 1u;
    uint8_t m = data[3];
    char *method = NULL;
    if (m & 0x8) {
        const char *name = methods[m & 7];
        method = dup_exact((const uint8_t *)name, strlen(name));
        r.method = method;
        r.method_len = strlen(name);
    }
    r.body_length = (data[4] & 0x80) ? RESPLINT_UNKNOWN_LENGTH : (int64_t)(data[4] & 0x7f) * 37;
    r.offset = (data[5] & 1) ? RESPLINT_NO_OFFSET : data[5];
    const resplint_config *use = (data[5] & 2) ? small : cfg;
    data += 6;
    size -= 6;

    resplint_field fields[MAX_FIELDS];
    char *owned[MAX_FIELDS * 2 + 1];
    size_t nowned = 0, nfields = 0;
    size_t pos = 0, line = 0;
    char *reason = NULL;
    while (pos <= size && nfields < MAX_FIELDS) {
        const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
        size_t end = nl ? (size_t)(nl - data) : size;
        const uint8_t *l = data + pos;
        size_t len = end - pos;
        if (line == 0) {
            if (len || !(m & 0x10)) {
                reason = dup_exact(l, len);
                if (!reason)
                    goto out;
                r.reason = reason;
                r.reason_len = len;
            }
        } else if (len || nl) {
            const uint8_t *colon = memchr(l, ':', len);
            size_t nlen = colon ? (size_t)(colon - l) : len;
            size_t vlen = colon ? len - nlen - 1 : 0;
            char *n = dup_exact(l, nlen), *v = dup_exact(colon ? colon + 1 : l, vlen);
            if (n)
                owned[nowned++] = n;
            if (v)
                owned[nowned++] = v;
            if (!n || !v)
                goto out;
            fields[nfields].name = n;
            fields[nfields].name_len = nlen;
            fields[nfields].value = v;
            fields[nfields].value_len = vlen;
            fields[nfields].offset = (m & 0x20) ? RESPLINT_NO_OFFSET : pos;
            fields[nfields].length = (m & 0x20) ? 0 : len;
            nfields++;
        }
        line++;
        if (!nl)
            break;
        pos = end + 1;
    }
    r.fields = nfields ? fields : NULL;
    r.field_count = nfields;
    uint64_t sink = 0, every = 0;
    int na = resplint_check_response(use, &r, (size_t)(m >> 6), on_finding, &sink);
    int nb = resplint_check_response(use == cfg ? cfgs[2] : cfgs[3], &r, (size_t)(m >> 6),
                                     on_finding, &every);
    if (na != nb || sink != every)
        abort(); /* a trigger (lib/core/engine.c) skipped a check that had something to say */
out:
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(reason);
    free(method);
    return 0;
}
