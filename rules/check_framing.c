/* RL3xxx: message framing, Content-Length and Transfer-Encoding (RFC 9112 §6). */
#include "internal.h"

#include <stdio.h>

void rlint_check_content_length_with_transfer_encoding(rlint_ctx *c)
{
    long cl = c->first[RLINT_F_CONTENT_LENGTH], te = c->first[RLINT_F_TRANSFER_ENCODING];
    if (cl < 0 || te < 0)
        return;
    rlint_explained(c);
    /* a de-chunked body or a placeholder length: the archiver wrote one of the two */
    if (c->prov & (RESPLINT_PROV_DECHUNKED | RESPLINT_PROV_LENGTH_PLACEHOLDER))
        return;
    long later = cl > te ? cl : te;
    rlint_emit_field(c, RLINT_RL3001, (size_t)later,
                     "both Content-Length and Transfer-Encoding: RFC 9112 §6.2 says a sender "
                     "MUST NOT send Content-Length with Transfer-Encoding; recipients that "
                     "disagree on which one frames the body open the door to response "
                     "splitting (RFC 9112 §6.3)");
}

/* Walks every Content-Length value (all lines, all list members). */
typedef struct cl_walk {
    long field;
    const char *p, *end;
} cl_walk;

static bool cl_next(const rlint_ctx *c, cl_walk *w, const char **v, size_t *vlen)
{
    for (;;) {
        if (w->field >= 0 && rlint_list_next(&w->p, w->end, v, vlen))
            return true;
        w->field = rlint_next(c, RLINT_F_CONTENT_LENGTH, w->field);
        if (w->field < 0)
            return false;
        const resplint_field *f = &c->resp->fields[w->field];
        w->p = f->value;
        w->end = f->value + f->value_len;
    }
}

/* c->cl_plain, the common case of one Content-Length line of a few digits: no conflict, no
 * repetition and nothing invalid, decided without walking the list (18 digits always fit
 * rlint_parse_u64). */
void rlint_check_content_length_conflict(rlint_ctx *c)
{
    uint64_t agreed;
    if (c->count[RLINT_F_CONTENT_LENGTH] == 0 || c->cl_plain || rlint_cl_agreed_of(c, &agreed))
        return;
    cl_walk w = {-1, NULL, NULL};
    const char *v, *first = NULL;
    size_t vlen, first_len = 0;
    uint64_t x, first_val = 0;
    while (cl_next(c, &w, &v, &vlen)) {
        if (!rlint_parse_u64(v, vlen, &x))
            continue; /* not a number: content-length-invalid */
        if (!first) {
            first = v;
            first_len = vlen;
            first_val = x;
        } else if (x != first_val) {
            char a[32], b[32];
            rlint_quote(a, sizeof a, first, first_len, 20);
            rlint_quote(b, sizeof b, v, vlen, 20);
            rlint_explained(c);
            rlint_emit_field(c, RLINT_RL3002, (size_t)w.field,
                             "Content-Length %s conflicts with the earlier %s; RFC 9112 §6.3: "
                             "the message framing is invalid and the recipient MUST treat it as "
                             "an unrecoverable error",
                             b, a);
            return;
        }
    }
}

void rlint_check_content_length_repeated(rlint_ctx *c)
{
    if (c->count[RLINT_F_CONTENT_LENGTH] == 0 || c->cl_plain)
        return;
    cl_walk w = {-1, NULL, NULL};
    const char *v;
    size_t vlen, n = 0;
    uint64_t x, first_val = 0;
    while (cl_next(c, &w, &v, &vlen)) {
        if (!rlint_parse_u64(v, vlen, &x))
            return;
        if (n++ == 0)
            first_val = x;
        else if (x != first_val)
            return; /* a conflict, not a repetition: RL3002 */
    }
    if (n < 2)
        return;
    rlint_explained(c);
    long last = -1;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i))
        last = i;
    rlint_emit_field(c, RLINT_RL3003, (size_t)last,
                     "Content-Length %llu is given %zu times; RFC 9110 §8.6 lets a recipient "
                     "accept identical values, but many reject the message (llhttp does)",
                     (unsigned long long)first_val, n);
}

void rlint_check_body_truncated(rlint_ctx *c)
{
    if (!c->raw->truncated || c->body_unknown || rlint_stored_short(c))
        return;
    const char *how = c->raw->body_kind == RLINT_BODY_CHUNKED ? "before the last chunk"
                                                               : "before Content-Length bytes";
    long cl = c->first[RLINT_F_CONTENT_LENGTH];
    if (c->raw->body_kind != RLINT_BODY_CHUNKED && cl >= 0)
        rlint_emit(c, RLINT_RL3007, c->raw->parse_offset, 0, cl,
                   "the stream ends after %llu body bytes, %s (Content-Length: %.*s); RFC 9112 "
                   "§8: the message is incomplete",
                   (unsigned long long)c->raw->body_wire_bytes, how,
                   (int)c->resp->fields[cl].value_len, c->resp->fields[cl].value);
    else
        rlint_emit(c, RLINT_RL3007, c->raw->parse_offset, 0, -1,
                   "the stream ends after %llu body bytes, %s; RFC 9112 §8: the message is "
                   "incomplete",
                   (unsigned long long)c->raw->body_wire_bytes, how);
}

void rlint_check_chunked_syntax(rlint_ctx *c)
{
    if (!c->raw->body_error)
        return;
    rlint_explained(c);
    if (c->body_unknown || rlint_stored_short(c))
        return; /* the container's body, not the server's chunks */
    rlint_emit(c, RLINT_RL3008, c->raw->parse_offset, 1, -1,
               "malformed chunked body after %llu bytes of content: %s (RFC 9112 §7.1)",
               (unsigned long long)c->raw->body_wire_bytes,
               c->raw->parse_reason ? c->raw->parse_reason : "invalid chunk");
}

void rlint_check_close_delimited_body(rlint_ctx *c)
{
    if (c->raw->body_kind != RLINT_BODY_CLOSE || c->body_unknown)
        return;
    rlint_emit_status(c, RLINT_RL3009,
                      "no Content-Length and no chunked coding: the %llu-byte body ends when the "
                      "connection closes (legal, RFC 9112 §6.3, but the connection cannot be "
                      "reused and truncation cannot be detected)",
                      (unsigned long long)c->raw->body_wire_bytes);
}

/* Why a Content-Length element is not 1*DIGIT, or NULL when it is one that fits. */
static const char *cl_fault(const char *v, size_t n)
{
    if (n == 0)
        return "empty";
    if (v[0] == '-')
        return "negative";
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return "not a decimal number";
    uint64_t x;
    if (rlint_parse_u64(v, n, &x))
        return NULL;
    /* RFC 9110 §8.6 asks recipients to "prevent parsing errors due to integer conversion
     * overflows": past 2^63-1 a signed length (off_t, int64) wraps negative. */
    uint64_t u = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(v[i] - '0');
        if (u > (UINT64_MAX - d) / 10)
            return "larger than 64 bits can hold";
        u = u * 10 + d;
    }
    return "larger than 2^63-1, so it overflows a signed 64-bit length";
}

void rlint_check_content_length_invalid(rlint_ctx *c)
{
    if (c->cl_plain)
        return;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i)) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *end = f->value + f->value_len, *v;
        size_t vlen;
        const char *why = f->value_len == 0 ? "empty" : NULL;
        /* "5, 5" is a list of valid values (RL3003 / RL3002), so each member is judged. */
        while (!why && rlint_list_next(&p, end, &v, &vlen))
            why = cl_fault(v, vlen);
        if (!why)
            continue;
        char q[64];
        rlint_quote(q, sizeof q, f->value, f->value_len, 40);
        /* RFC 9110 §8.6: Content-Length = 1*DIGIT; RFC 9112 §6.3: an invalid one makes the
         * framing invalid, "an unrecoverable error". */
        rlint_explained(c);
        if (rlint_length_placeholder(c, f))
            return;
        rlint_emit_field(c, RLINT_RL3004, (size_t)i,
                         "Content-Length '%s' is %s; RFC 9110 §8.6: Content-Length = 1*DIGIT, "
                         "and RFC 9112 §6.3 makes such framing an unrecoverable error",
                         q, why);
        return;
    }
}

void rlint_check_transfer_encoding_http10(rlint_ctx *c)
{
    long te = c->first[RLINT_F_TRANSFER_ENCODING];
    if (te < 0)
        return;
    const resplint_response *r = c->resp;
    if (r->version_major == 1 && r->version_minor == 0)
        rlint_emit_field(c, RLINT_RL3005, (size_t)te,
                         "Transfer-Encoding in an HTTP/1.0 response; RFC 9112 §6.1: a recipient "
                         "of an HTTP/1.0 message with Transfer-Encoding \"MUST treat the "
                         "message as if the framing is faulty\"");
    else if (r->request_version_major == 1 && r->request_version_minor == 0)
        rlint_emit_field(c, RLINT_RL3005, (size_t)te,
                         "Transfer-Encoding in a response to an HTTP/1.0 request; RFC 9112 §6.1: "
                         "\"A server MUST NOT send a response containing Transfer-Encoding "
                         "unless the corresponding request indicates HTTP/1.1\"");
}

void rlint_check_transfer_encoding_unchunked(rlint_ctx *c)
{
    if (c->first[RLINT_F_TRANSFER_ENCODING] < 0 || c->resp->version_major >= 2 ||
        rlint_resp_bodiless(c))
        return;
    /* The codings of every Transfer-Encoding line, in order: the last one counts. */
    const char *last = NULL;
    size_t last_len = 0;
    long last_field = c->first[RLINT_F_TRANSFER_ENCODING];
    for (long i = last_field; i >= 0; i = rlint_next(c, RLINT_F_TRANSFER_ENCODING, i)) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *end = f->value + f->value_len, *v;
        size_t vlen;
        while (rlint_list_next(&p, end, &v, &vlen)) {
            last = v;
            last_len = vlen;
            last_field = i;
        }
    }
    size_t name = 0;
    while (last && name < last_len && last[name] != ';' && last[name] != ' ' &&
           last[name] != '\t')
        name++;
    if (last && name == 7 && rlint_ieq_name(last, "chunked", 7))
        return;
    char q[64];
    if (last)
        rlint_quote(q, sizeof q, last, last_len, 40);
    /* RFC 9112 §6.1: with another coding "the sender MUST either apply chunked as the final
     * transfer coding or terminate the message by closing the connection"; §6.3 rule 4: the
     * body then ends at close. */
    rlint_emit_field(c, RLINT_RL3006, (size_t)last_field,
                     "Transfer-Encoding %s%s%s does not end with chunked: RFC 9112 §6.3 makes the "
                     "body end only when the connection closes, so truncation cannot be "
                     "detected and the connection cannot be reused",
                     last ? "'" : "", last ? q : "is empty and", last ? "'" : "");
}
