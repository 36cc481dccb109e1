/* RL1xxx: the status code against the status table (rules/status.def). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The status code as it was written, for messages. */
static void status_text(const rlint_ctx *c, char *out, size_t outlen)
{
    if (c->raw && c->raw->status_text && c->raw->status_text_len)
        rlint_quote(out, outlen, c->raw->status_text, c->raw->status_text_len, 16);
    else
        snprintf(out, outlen, "%d", c->resp->status);
}

static bool status_malformed(const rlint_ctx *c)
{
    int st = c->resp->status;
    if (st < 100 || st > 599)
        return true;
    /* RFC 9112 §4: status-code = 3DIGIT */
    return c->raw && c->raw->status_text && c->raw->status_text_len != 3;
}

void rlint_check_status_deprecated(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_MARK(DEPRECATED)))
        return;
    rlint_emit_status(c, RLINT_RL1001, "%d %s is deprecated (%s)", c->resp->status,
                      c->status->reason, c->status->source);
}

void rlint_check_status_unused(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_MARK(UNUSED)))
        return;
    rlint_emit_status(c, RLINT_RL1002,
                      "%d is reserved and unused (%s): no client knows what it means",
                      c->resp->status, c->status->source);
}

void rlint_check_status_unregistered(rlint_ctx *c)
{
    int st = c->resp->status;
    if (status_malformed(c) || c->status)
        return;
    const char *vendor = rlint_vendor_meaning(st);
    /* RFC 9110 §15: a client treats an unrecognized code as the x00 code of its class. */
    if (vendor)
        rlint_emit_status(c, RLINT_RL1003,
                          "%d is not a registered status code (%s); clients that do not know "
                          "it treat it as %d",
                          st, vendor, st / 100 * 100);
    else
        rlint_emit_status(c, RLINT_RL1003,
                          "%d is not a registered status code; clients treat it as %d", st,
                          st / 100 * 100);
}

void rlint_check_status_invalid(rlint_ctx *c)
{
    if (!status_malformed(c))
        return;
    char text[80];
    status_text(c, text, sizeof text);
    rlint_explained(c);
    rlint_emit_status(c, RLINT_RL1004,
                      "status code '%s' is not three digits in 100-599 (RFC 9112 §4 "
                      "status-code = 3DIGIT; RFC 9110 §15 defines 100-599)",
                      text);
}

void rlint_check_status_reserved(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_MARK(RESERVED)))
        return;
    rlint_emit_status(c, RLINT_RL1005,
                      "%d is reserved by RFC 9110 §15.5.19; \"%s\" comes from a joke protocol "
                      "(RFC 2324) and is not HTTP",
                      c->resp->status, c->status->reason);
}

void rlint_check_status_obsolete(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_MARK(OBSOLETE)))
        return;
    /* IANA registry: "510 Not Extended (OBSOLETED)", its RFC moved to Historic. */
    rlint_emit_status(c, RLINT_RL1006,
                      "%d %s is obsoleted in the IANA registry [%s]: its extension framework "
                      "was never deployed and clients do not act on it",
                      c->resp->status, c->status->reason, c->status->source);
}

void rlint_check_status_experimental(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_MARK(EXPERIMENTAL)))
        return;
    if (c->status->marks & RLINT_MARK(TEMPORARY))
        rlint_emit_status(c, RLINT_RL1007,
                          "%d %s has only a temporary IANA registration: its definition is an "
                          "Internet-Draft that may still change, and clients may not know it",
                          c->resp->status, c->status->reason);
    else
        rlint_emit_status(c, RLINT_RL1007,
                          "%d %s is marked experimental in the status table, though its "
                          "definition (%s) is on the standards track; older clients and "
                          "intermediaries may not know it",
                          c->resp->status, c->status->reason, c->status->source);
}

/* The reason phrase without surrounding whitespace. */
static size_t trimmed_reason(const rlint_ctx *c, const char **out)
{
    const char *r = c->resp->reason;
    size_t n = r ? c->resp->reason_len : 0;
    while (n && (r[0] == ' ' || r[0] == '\t')) {
        r++;
        n--;
    }
    while (n && (r[n - 1] == ' ' || r[n - 1] == '\t'))
        n--;
    *out = r;
    return n;
}

static bool same_phrase(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && rlint_ieq_n(a, b, n);
}

void rlint_check_reason_phrase_mismatch(rlint_ctx *c)
{
    int st = c->resp->status;
    if (status_malformed(c))
        return;
    const char *r;
    size_t n = trimmed_reason(c, &r);
    if (n == 0)
        return; /* RFC 9110 §15.1: phrases "can be ... left out altogether" */
    /* Only the standard phrase of another code misleads: RFC 9110 §15.1 lets a server replace
     * a phrase "by local equivalents", so old or local wordings are fine. */
    if (c->status && ((n == c->status->reason_len && rlint_bytes_equal(r, c->status->reason, n)) ||
                      same_phrase(r, n, c->status->reason)))
        return; /* the usual case: the code's own phrase (as written in the table, first) */
    int other = rlint_status_by_reason(r, n);
    if (other == 0 || other == st)
        return;
    char q[96];
    rlint_quote(q, sizeof q, r, n, 64);
    rlint_emit_status(c, RLINT_RL1008,
                      "status %d with the reason phrase \"%s\", the standard phrase of %d; a "
                      "person reading the response is misled, and clients go by the code "
                      "(RFC 9110 §15.1: the phrase is only a recommendation)",
                      st, q, other);
}

static bool is_vchar_or_obs(unsigned char ch) { return (ch >= 0x21 && ch != 0x7f); }

/* RL1009 up to the reason phrase of a status line that does not start the usual way: the
 * index of the SP before the phrase, or false when there is no phrase to look at. */
static bool status_line_start(rlint_ctx *c, const char *p, size_t n, bool in_line, size_t *sp_at)
{
    size_t i = 0;
    while (i < n && p[i] != ' ' && p[i] != '\t')
        i++;
    size_t sp = i;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i - sp > 1 || (i > sp && p[sp] == '\t')) {
        if (in_line)
            rlint_explained(c);
        rlint_emit(c, RLINT_RL1009, c->resp->offset + sp, i - sp, -1,
                   "the version and the status code are separated by %zu whitespace bytes "
                   "instead of one SP (RFC 9112 §4: HTTP-version SP status-code); recipients "
                   "disagree on such lines (llhttp 8 reads two SP as status 0)",
                   i - sp);
    }
    size_t cs = i;
    while (i < n && i - cs < 3 && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i - cs != 3)
        return false; /* not a three-digit code: status-invalid says so */
    if (i == n) {
        rlint_emit(c, RLINT_RL1009, c->resp->offset + i, 0, -1,
                   "no SP after the status code %.3s; RFC 9112 §4: \"A server MUST send the "
                   "space that separates the status-code from the reason-phrase even when the "
                   "reason-phrase is absent\"",
                   p + cs);
        return false;
    }
    if (p[i] != ' ') {
        if (p[i] >= '0' && p[i] <= '9')
            return false; /* four or more digits: status-invalid */
        char q[16];
        rlint_quote(q, sizeof q, p + i, 1, 1);
        if (in_line)
            rlint_explained(c);
        rlint_emit(c, RLINT_RL1009, c->resp->offset + i, 1, -1,
                   "the status code %.3s is followed by '%s' instead of SP (RFC 9112 §4: "
                   "status-code SP [ reason-phrase ])",
                   p + cs, q);
        return false;
    }
    *sp_at = i;
    return true;
}

/* RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ],
 * reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ). CR and LF belong to the line-ending
 * rules (bare CR, bare LF), not to this one. */
void rlint_check_status_line_syntax(rlint_ctx *c)
{
    const rlint_raw *raw = c->raw;
    const char *p = raw->status_line;
    size_t n = (size_t)raw->status_line_len;
    bool in_line = false; /* llhttp's rejection lies in the status line */
    if (raw->parse_error && !raw->body_error && c->resp->offset != RESPLINT_NO_OFFSET &&
        raw->parse_offset < c->resp->offset + n)
        in_line = true;

    /* Whitespace before the status line (recorded by the stream, before this response). */
    for (size_t k = 0; k < raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &raw->syntax[k];
        if (f->kind != RLINT_SYN_STATUS_LINE || f->offset >= c->resp->offset)
            continue;
        rlint_emit(c, RLINT_RL1009, f->offset, f->length, -1,
                   "%u byte%s of whitespace before the status line; RFC 9112 §4: a response "
                   "starts with HTTP-version, and clients that do not skip them see no "
                   "response at all",
                   (unsigned)f->length, f->length == 1 ? "" : "s");
    }
    if (!p || n == 0)
        return;
    size_t i;
    /* The usual "HTTP/1.1 200 ": one SP, three digits, one SP; only the phrase is left. */
    if (n >= 13 && rlint_http1_prefix(p) && p[7] >= '0' && p[7] <= '9' && p[8] == ' ' &&
        p[9] >= '0' && p[9] <= '9' &&
        p[10] >= '0' && p[10] <= '9' && p[11] >= '0' && p[11] <= '9' && p[12] == ' ')
        i = 12;
    else if (!status_line_start(c, p, n, in_line, &i))
        return;
    for (size_t k = i + 1; k < n; k++) {
        unsigned char ch = (unsigned char)p[k];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || is_vchar_or_obs(ch))
            continue;
        if (in_line)
            rlint_explained(c);
        rlint_emit(c, RLINT_RL1009, c->resp->offset + k, 1, -1,
                   "control byte 0x%02X in the reason phrase; RFC 9112 §4: reason-phrase = 1*( "
                   "HTAB / SP / VCHAR / obs-text )",
                   ch);
        return;
    }
}

void rlint_check_http_version_invalid(rlint_ctx *c)
{
    const rlint_raw *raw = c->raw;
    const char *p = raw->status_line;
    size_t n = (size_t)raw->status_line_len;
    if (!p || n == 0)
        return;
    /* The usual "HTTP/1.1 ": nothing to find (the scan below would agree). */
    if (n >= 8 && rlint_http1_prefix(p) && (p[7] == '0' || p[7] == '1') &&
        (n == 8 || p[8] == ' ' || p[8] == '\t'))
        return;
    size_t v = 0;
    while (v < n && p[v] != ' ' && p[v] != '\t')
        v++;
    /* RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT; a response on an HTTP/1
     * connection is HTTP/1.0 or HTTP/1.1 (HTTP/2 and HTTP/3 have no status line). */
    if (v == 8 && memcmp(p, "HTTP/1.", 7) == 0 && (p[7] == '0' || p[7] == '1'))
        return;
    if (raw->parse_error && !raw->body_error && c->resp->offset != RESPLINT_NO_OFFSET &&
        raw->parse_offset <= c->resp->offset + v + 1)
        rlint_explained(c);
    char q[48];
    rlint_quote(q, sizeof q, p, v, 24);
    bool shaped = v == 8 && memcmp(p, "HTTP/", 5) == 0 && p[6] == '.' && p[5] >= '0' &&
                  p[5] <= '9' && p[7] >= '0' && p[7] <= '9';
    rlint_emit(c, RLINT_RL1010, c->resp->offset, v, -1,
               "status line version '%s'%s; RFC 9112 §2.3: HTTP-version = HTTP-name \"/\" "
               "DIGIT \".\" DIGIT, and an HTTP/1 response is HTTP/1.0 or HTTP/1.1",
               q,
               shaped ? ": no such HTTP/1 version (HTTP/2 and HTTP/3 do not use a text status "
                        "line)"
                      : " is not of the form HTTP/1.x");
}

void rlint_check_informational_to_http10(rlint_ctx *c)
{
    int st = c->resp->status;
    if (st < 100 || st > 199 || status_malformed(c))
        return;
    if (c->resp->request_version_major != 1 || c->resp->request_version_minor != 0)
        return;
    /* RFC 9110 §15.2: "Since HTTP/1.0 did not define any 1xx status codes, a server MUST NOT
     * send a 1xx response to an HTTP/1.0 client." */
    rlint_emit_status(c, RLINT_RL1011,
                      "%d interim response to an HTTP/1.0 request; RFC 9110 §15.2: a server "
                      "MUST NOT send a 1xx response to an HTTP/1.0 client, which takes it for "
                      "the final response",
                      st);
}
