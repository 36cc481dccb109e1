/* RL6020-RL6050: CORS response fields (WHATWG Fetch), Strict-Transport-Security (RFC 6797),
 * X-Content-Type-Options (Fetch), X-Frame-Options (WHATWG HTML) and deprecated security
 * fields. The grammars live in lib/core/secfields.c. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const resplint_field *field_at(const rlint_ctx *c, long i) { return &c->resp->fields[i]; }

#define EACH(c, id, i) for (long i = (c)->first[id]; i >= 0; i = rlint_next((c), (id), i))

/* ---- Access-Control-Allow-Origin ---- */

/* The single ACAO value when there is exactly one line without a comma; NULL otherwise. */
static const resplint_field *single_acao(const rlint_ctx *c, const char **s, size_t *n)
{
    if (c->count[RLINT_F_ACCESS_CONTROL_ALLOW_ORIGIN] != 1)
        return NULL;
    const resplint_field *f = rlint_first(c, RLINT_F_ACCESS_CONTROL_ALLOW_ORIGIN);
    rlint_field_trimmed(f, s, n);
    return memchr(*s, ',', *n) ? NULL : f;
}

void rlint_check_acao_multiple(rlint_ctx *c)
{
    /* Fetch "CORS check": the response's ACAO is "the result of getting
     * `Access-Control-Allow-Origin`", which joins every line with ", "; a joined value is
     * never "*" nor the request's origin, so the check fails. */
    uint16_t lines = c->count[RLINT_F_ACCESS_CONTROL_ALLOW_ORIGIN];
    long i = c->first[RLINT_F_ACCESS_CONTROL_ALLOW_ORIGIN];
    if (i < 0)
        return;
    if (lines > 1) {
        long second = rlint_next(c, RLINT_F_ACCESS_CONTROL_ALLOW_ORIGIN, i);
        rlint_emit_field(c, RLINT_RL6020, (size_t)second,
                         "Access-Control-Allow-Origin appears on %u field lines; browsers "
                         "combine them into one list, which never matches the request's "
                         "origin, so every CORS request fails (Fetch \"CORS check\")",
                         (unsigned)lines);
        return;
    }
    const char *s;
    size_t n;
    rlint_field_trimmed(field_at(c, i), &s, &n);
    if (!memchr(s, ',', n))
        return;
    char q[128];
    rlint_quote(q, sizeof q, s, n, 96);
    rlint_emit_field(c, RLINT_RL6020, (size_t)i,
                     "Access-Control-Allow-Origin: %s lists several values; it takes one origin, "
                     "\"*\" or \"null\" (Fetch ABNF), and browsers fail the CORS check for a "
                     "list; echo the one request Origin that is allowed",
                     q);
}

void rlint_check_acao_invalid(rlint_ctx *c)
{
    const char *s, *why = NULL;
    size_t n, at = 0;
    const resplint_field *f = single_acao(c, &s, &n);
    if (!f)
        return;
    /* Fetch: Access-Control-Allow-Origin = origin-or-null / wildcard, and the CORS check
     * compares the value with the serialization of the request's origin byte for byte. */
    if ((n == 1 && s[0] == '*') || (n == 4 && memcmp(s, "null", 4) == 0))
        return;
    if (rlint_serialized_origin(s, n, &why, &at))
        return;
    char q[128];
    rlint_quote(q, sizeof q, s, n, 96);
    rlint_emit_field(c, RLINT_RL6021, (size_t)(f - c->resp->fields),
                     "Access-Control-Allow-Origin: %s is not \"*\", \"null\" or a serialized "
                     "origin (%s, at character %zu); browsers compare it byte for byte with the "
                     "request's origin, so this value never matches and every CORS request "
                     "fails",
                     q, why, at + 1);
}

/* Access-Control-Allow-Credentials, all lines combined with ", " as Fetch "gets" it. Writes
 * the combination into buf (cut at its size); returns its length, or -1 when absent. */
static long acac_value(const rlint_ctx *c, char *buf, size_t cap)
{
    if (c->first[RLINT_F_ACCESS_CONTROL_ALLOW_CREDENTIALS] < 0)
        return -1;
    size_t o = 0;
    bool first = true;
    EACH(c, RLINT_F_ACCESS_CONTROL_ALLOW_CREDENTIALS, i) {
        const char *s;
        size_t n;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        if (!first && o + 2 < cap) {
            memcpy(buf + o, ", ", 2);
            o += 2;
        }
        first = false;
        size_t take = n < cap - o ? n : cap - o;
        memcpy(buf + o, s, take);
        o += take;
    }
    return (long)o;
}

void rlint_check_acao_wildcard_credentials(rlint_ctx *c)
{
    const char *s;
    size_t n;
    const resplint_field *f = single_acao(c, &s, &n);
    if (!f || n != 1 || s[0] != '*')
        return;
    char acac[64];
    long an = acac_value(c, acac, sizeof acac);
    if (an != 4 || memcmp(acac, "true", 4) != 0)
        return;
    /* Fetch "CORS check": "If the request's credentials mode is not "include" and origin is
     * `*`, return success"; with "include", `*` is compared with the origin and fails. */
    rlint_emit_field(c, RLINT_RL6022, (size_t)(f - c->resp->fields),
                     "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: "
                     "true; browsers fail every credentialed CORS request (the wildcard is not "
                     "allowed with credentials) while uncredentialed ones still work; echo the "
                     "request's Origin instead");
}

/* A Cache-Control member named no-store (case-insensitive) on any line. */
static bool has_no_store(const rlint_ctx *c)
{
    EACH(c, RLINT_F_CACHE_CONTROL, i) {
        const resplint_field *f = field_at(c, i);
        const char *p = f->value, *e = f->value + f->value_len, *m;
        size_t mn;
        while (rlint_list_next(&p, e, &m, &mn)) {
            size_t k = 0;
            while (k < mn && m[k] != '=' && m[k] != ' ' && m[k] != '\t')
                k++;
            if (rlint_ieq(m, k, "no-store"))
                return true;
        }
    }
    return false;
}

static bool vary_has_origin(const rlint_ctx *c)
{
    EACH(c, RLINT_F_VARY, i) {
        const resplint_field *f = field_at(c, i);
        const char *p = f->value, *e = f->value + f->value_len, *m;
        size_t mn;
        while (rlint_list_next(&p, e, &m, &mn))
            if (rlint_ieq(m, mn, "origin") || (mn == 1 && m[0] == '*'))
                return true;
    }
    return false;
}

void rlint_check_acao_origin_without_vary(rlint_ctx *c)
{
    const char *s, *why;
    size_t n, at;
    const resplint_field *f = single_acao(c, &s, &n);
    /* (the wildcard, the usual value, is no origin: no need to read it as one) */
    if (!f || (n == 1 && s[0] == '*') || !rlint_serialized_origin(s, n, &why, &at) ||
        has_no_store(c) || vary_has_origin(c))
        return;
    char q[128];
    rlint_quote(q, sizeof q, s, n, 96);
    rlint_emit_field(c, RLINT_RL6023, (size_t)(f - c->resp->fields),
                     "Access-Control-Allow-Origin: %s names one origin but Vary lacks Origin; "
                     "if the server echoes the request's Origin, a cache may serve this "
                     "response to another origin, whose CORS check then fails (Fetch \"CORS "
                     "protocol and HTTP caches\": Vary is to be used); correct as is when the "
                     "origin is static",
                     q);
}

void rlint_check_acac_invalid(rlint_ctx *c)
{
    char v[256];
    long n = acac_value(c, v, sizeof v);
    /* Fetch: Access-Control-Allow-Credentials = %s"true" ; case-sensitive */
    if (n < 0 || (n == 4 && memcmp(v, "true", 4) == 0))
        return;
    char q[128];
    rlint_quote(q, sizeof q, v, (size_t)n, 96);
    bool is_false = n == 5 && memcmp(v, "false", 5) == 0;
    rlint_emit_field(c, RLINT_RL6024, (size_t)c->first[RLINT_F_ACCESS_CONTROL_ALLOW_CREDENTIALS],
                     "Access-Control-Allow-Credentials: %s is not exactly \"true\" (the only "
                     "value, case-sensitive; Fetch ABNF)%s",
                     q,
                     is_false ? "; \"false\" does what an absent field does: better omit it"
                              : "; browsers treat it as absent and fail every credentialed "
                                "CORS request");
}

/* ---- Strict-Transport-Security ---- */

void rlint_check_hsts_invalid(rlint_ctx *c)
{
    EACH(c, RLINT_F_STRICT_TRANSPORT_SECURITY, i) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_hsts_info info;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        /* Each line is judged alone: a line a recorder joined from several ("max-age=1,
         * max-age=1") is not the server's. */
        if ((c->prov & RESPLINT_PROV_FIELDS_MERGED) && memchr(s, ',', n))
            continue;
        if (rlint_hsts(s, n, &info, &why, &at))
            continue;
        if (c->raw) {
            bool clean = true;
            for (size_t k = 0; k < n && clean; k++)
                clean = !(((unsigned char)s[k] < 0x20 && s[k] != '\t') || s[k] == 0x7f);
            if (!clean)
                continue; /* RL4006's finding */
        }
        char q[128];
        rlint_quote(q, sizeof q, s, n, 96);
        /* RFC 6797 §6.1: "UAs MUST ignore any STS header field containing directives, or
         * other header field value data, that does not conform to the syntax defined in this
         * specification." */
        rlint_emit_field(c, RLINT_RL6030, (size_t)i,
                         "browsers ignore this Strict-Transport-Security field: %s has %s "
                         "(character %zu); RFC 6797 §6.1: UAs MUST ignore any STS header field "
                         "that does not conform to the syntax",
                         q, why, at + 1);
    }
}

void rlint_check_hsts_over_http(rlint_ctx *c)
{
    long i = c->first[RLINT_F_STRICT_TRANSPORT_SECURITY];
    if (i < 0 || c->resp->scheme != RESPLINT_SCHEME_HTTP)
        return; /* unknown or https */
    /* RFC 6797 §7.2: "An HSTS Host MUST NOT include the STS header field in HTTP responses
     * conveyed over non-secure transport"; §8.1: UAs ignore it there. */
    rlint_emit_field(c, RLINT_RL6031, (size_t)i,
                     "Strict-Transport-Security on a response over http: browsers ignore it "
                     "there (RFC 6797 §8.1), and RFC 6797 §7.2: an HSTS Host MUST NOT include it "
                     "over non-secure transport; redirect http to https and send it there");
}

/* ---- X-Content-Type-Options ---- */

void rlint_check_x_content_type_options_invalid(rlint_ctx *c)
{
    /* Fetch "determine nosniff": values = get, decode and split the field (all lines); the
     * response is nosniff when values[0] is "nosniff", ASCII case-insensitively. */
    long i = c->first[RLINT_F_X_CONTENT_TYPE_OPTIONS];
    if (i < 0)
        return;
    const resplint_field *f = field_at(c, i);
    if (f->value_len == 7 && memcmp(f->value, "nosniff", 7) == 0) /* the usual value */
        return;
    /* values[0] comes from the first line: its text up to the first comma outside a quoted
     * string, whitespace trimmed (empty when the line is empty or starts with a comma) */
    const char *p = f->value, *e = f->value + f->value_len;
    bool quoted = false;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    const char *m = p;
    for (; p < e && (quoted || *p != ','); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '\\' && quoted && p + 1 < e)
            p++;
    }
    while (p > m && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    size_t mn = (size_t)(p - m);
    if (mn == 7 && rlint_ieq_name(m, "nosniff", 7))
        return;
    char q[96];
    rlint_quote(q, sizeof q, m, mn, 64);
    rlint_emit_field(c, RLINT_RL6040, (size_t)i,
                     "X-Content-Type-Options: the first value \"%s\" is not \"nosniff\"; "
                     "browsers ignore the field and may sniff the content type (Fetch "
                     "\"determine nosniff\")",
                     q);
}

/* ---- X-Frame-Options ---- */

/* An enforced Content-Security-Policy (not Report-Only) with a frame-ancestors directive. */
static bool csp_frame_ancestors(const rlint_ctx *c)
{
    EACH(c, RLINT_F_CONTENT_SECURITY_POLICY, i) {
        const resplint_field *f = field_at(c, i);
        const char *p = f->value, *e = p + f->value_len;
        /* CSP §2.2.1: policies split at ",", directives at ";", the name is the text up to
         * the first whitespace, ASCII case-insensitive. */
        while (p < e) {
            while (p < e && (*p == ' ' || *p == '\t' || *p == ';' || *p == ','))
                p++;
            const char *name = p;
            while (p < e && *p != ' ' && *p != '\t' && *p != ';' && *p != ',')
                p++;
            if (rlint_ieq(name, (size_t)(p - name), "frame-ancestors"))
                return true;
            while (p < e && *p != ';' && *p != ',')
                p++;
        }
    }
    return false;
}

void rlint_check_x_frame_options_invalid(rlint_ctx *c)
{
    /* HTML "The X-Frame-Options header": "get, decode, and split" every line, lowercase each
     * value, and make a set. {deny} blocks framing and {sameorigin} allows only the same
     * origin. A larger set holding deny, allowall or sameorigin blocks framing; any other set
     * is ignored. */
    long first = c->first[RLINT_F_X_FRAME_OPTIONS];
    if (first < 0)
        return;
    bool deny = false, same = false, allowall = false, other = false, two_others = false;
    const char *bad = NULL;
    size_t badn = 0;
    EACH(c, RLINT_F_X_FRAME_OPTIONS, i) {
        const resplint_field *f = field_at(c, i);
        const char *p = f->value, *e = p + f->value_len;
        for (;;) {
            const char *m = p;
            while (p < e && *p != ',')
                p++;
            const char *me = p;
            while (m < me && (*m == ' ' || *m == '\t'))
                m++;
            while (me > m && (me[-1] == ' ' || me[-1] == '\t'))
                me--;
            size_t mn = (size_t)(me - m);
            if (rlint_ieq(m, mn, "deny"))
                deny = true;
            else if (rlint_ieq(m, mn, "sameorigin"))
                same = true;
            else if (rlint_ieq(m, mn, "allowall"))
                allowall = true;
            else if (!other) {
                other = true;
                bad = m;
                badn = mn;
            } else if (mn != badn || !rlint_ieq_n(m, bad, mn)) {
                two_others = true;
            }
            if (p >= e)
                break;
            p++;
        }
    }
    unsigned size = (unsigned)deny + (unsigned)same + (unsigned)allowall + (unsigned)other +
                    (unsigned)two_others;
    if ((size == 1 && (deny || same)) || csp_frame_ancestors(c))
        return;
    char q[96];
    rlint_quote(q, sizeof q, bad ? bad : "", badn, 64);
    if (size > 1 && (deny || same || allowall)) {
        rlint_emit_field(c, RLINT_RL6041, (size_t)first,
                         "X-Frame-Options carries several values (%s%s%s%s); browsers block "
                         "all framing then, as if it said DENY (HTML \"The X-Frame-Options "
                         "header\"); send one value",
                         deny ? "deny " : "", same ? "sameorigin " : "",
                         allowall ? "allowall " : "", other ? "and others" : "");
    } else if (allowall) {
        rlint_emit_field(c, RLINT_RL6041, (size_t)first,
                         "X-Frame-Options: ALLOWALL is not a defined value; browsers ignore "
                         "it (which allows any site to frame the page, presumably the intent: "
                         "omit the field)");
    } else {
        bool allow_from = badn >= 10 && rlint_ieq(bad, 10, "allow-from");
        rlint_emit_field(c, RLINT_RL6041, (size_t)first,
                         "X-Frame-Options: \"%s\" is neither DENY nor SAMEORIGIN; browsers "
                         "ignore it%s, so any site may frame this page; use DENY, SAMEORIGIN "
                         "or Content-Security-Policy: frame-ancestors",
                         q, allow_from ? " (current browsers dropped ALLOW-FROM)" : "");
    }
}

/* ---- RL6050 ---- */

void rlint_check_deprecated_field(rlint_ctx *c)
{
    static const struct {
        rlint_field_id id;
        const char *why;
    } deprecated[] = {
        {RLINT_F_P3P, "P3P is an obsolete W3C note; no current browser reads it"},
        {RLINT_F_X_XSS_PROTECTION,
         "X-XSS-Protection: the XSS auditor was removed from Chrome 78 and Edge and never "
         "existed in Firefox; where it still runs it can be abused, so send 0 or nothing"},
        {RLINT_F_EXPECT_CT, "Expect-CT was removed from Chrome 107; Certificate Transparency is "
                            "enforced without it"},
        {RLINT_F_CONTENT_MD5, "Content-MD5 was removed from HTTP by RFC 7231 Appendix B; use "
                              "Content-Digest (RFC 9530)"},
        {RLINT_F_WARNING, "Warning is obsoleted by RFC 9111 §5.5"},
        {RLINT_F_PUBLIC_KEY_PINS, "Public-Key-Pins (HPKP) was removed from browsers"},
        {RLINT_F_PUBLIC_KEY_PINS_REPORT_ONLY,
         "Public-Key-Pins-Report-Only (HPKP) was removed from browsers"},
        {RLINT_F_DIGEST, "Digest (RFC 3230) is obsoleted by RFC 9530; use Content-Digest or "
                         "Repr-Digest"},
    };
    for (size_t k = 0; k < RLINT_ARRAY_LEN(deprecated); k++) {
        long i = c->first[deprecated[k].id];
        if (i < 0)
            continue;
        /* X-XSS-Protection: 0 turns the auditor off, the recommended value: only a line
         * with another value is reported */
        for (; i >= 0 && deprecated[k].id == RLINT_F_X_XSS_PROTECTION;
             i = rlint_next(c, RLINT_F_X_XSS_PROTECTION, i)) {
            const char *s;
            size_t n;
            rlint_field_trimmed(field_at(c, i), &s, &n);
            if (n != 1 || s[0] != '0')
                break;
        }
        if (i < 0)
            continue;
        rlint_emit_field(c, RLINT_RL6050, (size_t)i, "%s", deprecated[k].why);
    }
}
