/* RL7010, RL7011: Content-Digest and Repr-Digest (RFC 9530), parsed as Structured Fields
 * (lib/core/sf.c): their syntax, and their sha-256 and sha-512 members against the hashes the
 * body pipeline computed over the content as sent (transfer coding removed, content coding
 * kept). */
#include "internal.h"

#include "resplint/body.h"

#include <stdio.h>
#include <string.h>

static void hex(char *out, const unsigned char *d, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t k = n > 8 ? 8 : n;
    for (size_t i = 0; i < k; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * k] = '\0';
}

#define DIGEST_NODES 64

/* A digest field, all its lines joined with ", " (RFC 9110 §5.3), parsed as a Dictionary
 * (RFC 9651). Returns the parse's result (0 valid); *line is the first line (evidence). */
static int parse_digest(const rlint_ctx *c, rlint_field_id id, char *buf, size_t cap,
                        rlint_sf_node *nodes, rlint_sf_result *res, long *line)
{
    size_t n = 0;
    *line = rlint_next(c, id, -1);
    for (long i = *line; i >= 0; i = rlint_next(c, id, i)) {
        const resplint_field *f = &c->resp->fields[i];
        if (n + f->value_len + 2 > cap) {
            res->error = "the field is too long to check";
            res->error_at = 0;
            return -2;
        }
        if (n) {
            memcpy(buf + n, ", ", 2);
            n += 2;
        }
        memcpy(buf + n, f->value, f->value_len);
        n += f->value_len;
    }
    return rlint_sf_parse(buf, n, RLINT_SF_DICT, nodes, DIGEST_NODES, res);
}

static const char *field_name(rlint_field_id id)
{
    return id == RLINT_F_CONTENT_DIGEST ? "Content-Digest" : "Repr-Digest";
}

/* The sha-256 and sha-512 members of one digest field that are Byte Sequences of the right
 * size (anything else is RL7011's business), compared with the pipeline's hashes. */
static void check_field(rlint_ctx *c, const resplint_body_job *b, rlint_field_id id)
{
    char buf[4096];
    rlint_sf_node nodes[DIGEST_NODES];
    rlint_sf_result res;
    long line = -1;
    if (parse_digest(c, id, buf, sizeof buf, nodes, &res, &line) != 0 || line < 0)
        return;
    static const char *const algs[] = {"sha-256", "sha-512"};
    for (size_t a = 0; a < 2; a++) {
        /* T47: other algorithms (md5, sha, unixsum) are not checked */
        const rlint_sf_node *m = rlint_sf_dict_get(nodes, &res, algs[a]);
        unsigned char want[64];
        size_t size = a == 0 ? 32 : 64;
        if (!m || rlint_sf_bytes(m, want, sizeof want) != size)
            continue;
        const unsigned char *have = a == 0 ? b->sha256 : b->sha512;
        if (memcmp(want, have, size) == 0)
            continue;
        char hw[20], hh[20];
        hex(hw, want, size);
        hex(hh, have, size);
        bool content = id == RLINT_F_CONTENT_DIGEST;
        rlint_emit_field(c, RLINT_RL7010, (size_t)line,
                         "%s %s is %s..., but the %llu bytes of content hash to %s...; RFC 9530 "
                         "§%s: the digest is calculated over the %s, so a recipient that checks "
                         "it rejects the message",
                         field_name(id), algs[a], hw, (unsigned long long)b->content_bytes, hh,
                         content ? "2" : "3",
                         content ? "actual message content"
                                 : "selected representation (content coding included)");
    }
}

void rlint_check_digest_mismatch(rlint_ctx *c)
{
    const rlint_raw *raw = c->raw;
    /* all of the content must be there: a body cut by the stream or a gap hashes to
     * something else */
    if (!raw || !raw->body || !raw->body->complete || raw->body->sha != RESPLINT_BODY_OK ||
        raw->truncated || raw->body_error || raw->body_kind == RLINT_BODY_UNKNOWN)
        return;
    /* the stored content is not what was sent (provenance: rewritten, decoded or cut) */
    if (c->body_unknown || rlint_stored_short(c) || (c->prov & RESPLINT_PROV_BODY_DECODED))
        return;
    const resplint_body_job *b = raw->body;
    if (rlint_has(c, RLINT_F_CONTENT_DIGEST))
        check_field(c, b, RLINT_F_CONTENT_DIGEST);
    /* Repr-Digest covers the selected representation: the content of a 200 or 203 without
     * Content-Range, never of a 206 (T47) */
    int st = c->resp->status;
    if ((st == 200 || st == 203) && !rlint_has(c, RLINT_F_CONTENT_RANGE) &&
        rlint_has(c, RLINT_F_REPR_DIGEST))
        check_field(c, b, RLINT_F_REPR_DIGEST);
}

/* ---- RL7011 ---- */

static void check_syntax(rlint_ctx *c, rlint_field_id id)
{
    char buf[4096];
    rlint_sf_node nodes[DIGEST_NODES];
    rlint_sf_result res;
    long line = -1;
    int rc = parse_digest(c, id, buf, sizeof buf, nodes, &res, &line);
    if (line < 0 || rc == -2)
        return;
    if (rc != 0) {
        rlint_emit_field(c, RLINT_RL7011, (size_t)line,
                         "%s is not a Structured Field Dictionary: %s (at character %zu); RFC "
                         "9530 §%s: the field is a Dictionary (RFC 9651) of algorithm keys and "
                         "Byte Sequence values",
                         field_name(id), res.error, res.error_at + 1,
                         id == RLINT_F_CONTENT_DIGEST ? "2" : "3");
        return;
    }
    for (size_t i = 0; i < res.count; i = nodes[i].next) {
        const rlint_sf_node *m = &nodes[i];
        char key[40];
        rlint_quote(key, sizeof key, m->key, m->key_len, 20);
        if (m->type != RLINT_SF_BYTES) {
            rlint_emit_field(c, RLINT_RL7011, (size_t)line,
                             "%s member %s is not a Byte Sequence (:base64:); RFC 9530 §%s: "
                             "\"each ... value is a Byte Sequence\"",
                             field_name(id), key, id == RLINT_F_CONTENT_DIGEST ? "2" : "3");
            continue;
        }
        size_t want = 0;
        if (m->key_len == 7 && memcmp(m->key, "sha-256", 7) == 0)
            want = 32;
        else if (m->key_len == 7 && memcmp(m->key, "sha-512", 7) == 0)
            want = 64;
        if (!want)
            continue;
        unsigned char out[80];
        size_t got = rlint_sf_bytes(m, out, sizeof out);
        if (got == want)
            continue;
        char n[24];
        if (got == (size_t)-1)
            snprintf(n, sizeof n, "more than %zu", sizeof out);
        else
            snprintf(n, sizeof n, "%zu", got);
        rlint_emit_field(c, RLINT_RL7011, (size_t)line,
                         "%s %s holds %s bytes, not the %zu of a %s hash; RFC 9530 §%s: the "
                         "value is the hash itself",
                         field_name(id), key, n, want, key,
                         id == RLINT_F_CONTENT_DIGEST ? "2" : "3");
    }
}

void rlint_check_digest_field_invalid(rlint_ctx *c)
{
    if (rlint_has(c, RLINT_F_CONTENT_DIGEST))
        check_syntax(c, RLINT_F_CONTENT_DIGEST);
    if (rlint_has(c, RLINT_F_REPR_DIGEST))
        check_syntax(c, RLINT_F_REPR_DIGEST);
}
