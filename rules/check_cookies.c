/* RL6001-RL6012: Set-Cookie lines judged one by one against the server grammar of RFC 6265
 * §4.1.1 and draft-ietf-httpbis-rfc6265bis, and against what the user agent's storage model
 * does with them (lib/core/cookie.c parses; this file decides). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COOKIE_LIFETIME_CAP 34560000 /* 400 days in seconds */

static const resplint_field *field_at(const rlint_ctx *c, long i) { return &c->resp->fields[i]; }

/* Set-Cookie line i, split. The first RLINT_CTX_COOKIES lines are parsed once per response
 * and kept in the context for every cookie rule; later ones are parsed into spare. */
static const rlint_cookie *cookie_at(rlint_ctx *c, long i, rlint_cookie *spare)
{
    if (!(c->lazy & RLINT_LAZY_COOKIES)) {
        c->lazy |= RLINT_LAZY_COOKIES;
        c->ncookies = 0;
    }
    for (size_t k = 0; k < c->ncookies; k++)
        if (c->cookie_line[k] == i)
            return &c->cookies[k];
    rlint_cookie *ck = spare;
    if (c->ncookies < RLINT_CTX_COOKIES) {
        c->cookie_line[c->ncookies] = i;
        ck = &c->cookies[c->ncookies++];
    }
    const resplint_field *f = field_at(c, i);
    rlint_cookie_parse(f->value, f->value_len, ck);
    return ck;
}

/* A line a recorder made by joining several Set-Cookie fields with ", " (nock's Fetch
 * Headers do): a comma followed by a token and "=" starts another cookie. A comma inside an
 * Expires date is followed by the day ("Wed, 21 Oct ..."), never by "token=". */
static bool joined_cookies(const resplint_field *f)
{
    const char *p = f->value, *e = f->value + f->value_len;
    while ((p = memchr(p, ',', (size_t)(e - p))) != NULL) {
        p++;
        const char *t = p;
        while (t < e && (*t == ' ' || *t == '\t'))
            t++;
        const char *name = t;
        while (t < e && rlint_is_tchar((unsigned char)*t))
            t++;
        while (t > name && t < e && (*t == ' ' || *t == '\t'))
            t++;
        if (t > name && t < e && *t == '=')
            return true;
    }
    return false;
}

/* The next Set-Cookie line after i (-1: the first) that holds one cookie as the server sent
 * it. When the recorder joined repeated fields, a joined line is skipped: no rule can tell
 * where one cookie ends and the next begins. */
static long next_cookie_line(const rlint_ctx *c, long i)
{
    do
        i = rlint_next(c, RLINT_F_SET_COOKIE, i);
    while (i >= 0 && (c->prov & RESPLINT_PROV_FIELDS_MERGED) && joined_cookies(field_at(c, i)));
    return i;
}

#define EACH_SET_COOKIE(c, i) for (long i = next_cookie_line(c, -1); i >= 0; i = next_cookie_line(c, i))

/* The cookie's name for a message: "sid", or "(nameless)". */
static void cookie_label(char *out, size_t n, const rlint_cookie *ck)
{
    if (ck->name_len == 0) {
        snprintf(out, n, "(nameless)");
        return;
    }
    char q[72];
    rlint_quote(q, sizeof q, ck->name, ck->name_len, 48);
    snprintf(out, n, "%s", q);
}

/* On raw input a control byte in a value is already RL4006 (or RL4001/RL4004): the cookie
 * grammar leaves it to them rather than report the same byte twice. */
static bool control(unsigned char ch) { return (ch < 0x20 && ch != '\t') || ch == 0x7f; }

/* ---- RL6001 ---- */

/* The first fault of one line against the server grammar, or NULL. *at indexes the line. */
static const char *grammar_fault(const rlint_ctx *c, const char *line, const rlint_cookie *ck,
                                 size_t *at, char *detail, size_t dlen)
{
    for (size_t k = 0; k < ck->name_len; k++)
        if (!rlint_is_tchar((unsigned char)ck->name[k])) {
            *at = (size_t)(ck->name + k - line);
            if (c->raw && control((unsigned char)ck->name[k]))
                return NULL;
            return "the cookie name is not a token";
        }
    size_t vat;
    if (!rlint_cookie_octets(ck->value, ck->value_len, &vat)) {
        unsigned char ch = (unsigned char)ck->value[vat];
        *at = (size_t)(ck->value + vat - line);
        if (c->raw && control(ch))
            return NULL;
        if (ch == '"')
            return "the cookie value has an unbalanced DQUOTE";
        snprintf(detail, dlen,
                 "the cookie value has %s, outside cookie-octet (no whitespace, DQUOTE, comma, "
                 "semicolon, backslash, controls or bytes >= 0x80, even inside quotes; "
                 "percent-encode them)",
                 ch == ' '    ? "a space"
                 : ch == ','  ? "a comma"
                 : ch == '\\' ? "a backslash"
                 : ch == '\t' ? "a tab"
                 : ch >= 0x80 ? "a byte >= 0x80"
                              : "a control character");
        return detail;
    }
    rlint_cookie_iter it = {0};
    for (const rlint_cookie_av *a; (a = rlint_cookie_next(ck, &it)) != NULL;) {
        *at = a->off;
        if (a->name_len == 0 && !a->value)
            return "an empty attribute (\";;\" or a trailing \";\"; cookie-av is never empty)";
        /* av-octet = %x20-3A / %x3C-7E, in the name and in the value (OWS around them is
         * trimmed already) */
        const char *parts[2] = {a->name, a->value};
        size_t lens[2] = {a->name_len, a->value ? a->value_len : 0};
        for (int part = 0; part < 2; part++)
            for (size_t j = 0; j < lens[part]; j++) {
                unsigned char ch = (unsigned char)parts[part][j];
                if (ch >= 0x20 && ch <= 0x7e)
                    continue;
                *at = (size_t)(parts[part] + j - line);
                if (c->raw && control(ch))
                    return NULL;
                return ch >= 0x80 ? "an attribute with a byte >= 0x80 (av-octet is printable "
                                    "ASCII)"
                                  : "an attribute with a control character";
            }
        if ((a->kind == RLINT_CAV_SECURE || a->kind == RLINT_CAV_HTTPONLY) && a->value) {
            char q[64];
            rlint_quote(q, sizeof q, a->name, (size_t)(a->value + a->value_len - a->name), 48);
            snprintf(detail, dlen,
                     "%s: %s takes no value (browsers ignore the value and set the flag anyway, "
                     "so \"=false\" does not turn it off)",
                     q, a->kind == RLINT_CAV_SECURE ? "Secure" : "HttpOnly");
            return detail;
        }
        if (a->kind == RLINT_CAV_DOMAIN &&
            (!a->value || !rlint_cookie_subdomain(a->value, a->value_len))) {
            char q[80];
            rlint_quote(q, sizeof q, a->value ? a->value : "", a->value ? a->value_len : 0, 60);
            snprintf(detail, dlen,
                     "Domain=%s is not a host name (6265bis domain-value = <subdomain>: letters, "
                     "digits, hyphens and dots, no port)",
                     q);
            return detail;
        }
    }
    return NULL;
}

void rlint_check_set_cookie_syntax(rlint_ctx *c)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        size_t at = 0;
        char detail[256], label[80];
        const char *why = grammar_fault(c, field_at(c, i)->value, ck, &at, detail, sizeof detail);
        if (!why)
            continue;
        cookie_label(label, sizeof label, ck);
        rlint_emit_field(c, RLINT_RL6001, (size_t)i,
                         "Set-Cookie %s: %s (character %zu); RFC 6265 §4.1.1: servers SHOULD "
                         "NOT send Set-Cookie headers that fail to conform to the grammar "
                         "(6265bis: MUST NOT), and browsers read such lines each in their own way",
                         label, why, at + 1);
    }
}

/* ---- RL6002 ---- */

void rlint_check_cookie_nameless(rlint_ctx *c)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (ck->has_eq && ck->name_len > 0)
            continue;
        char v[80];
        rlint_quote(v, sizeof v, ck->pair, ck->pair_len, 48);
        if (ck->pair_len == 0 && ck->nav == 0) {
            rlint_emit_field(c, RLINT_RL6002, (size_t)i,
                             "an empty Set-Cookie field; browsers ignore it (6265bis: a "
                             "set-cookie-string with neither name nor value is ignored entirely)");
        } else if (ck->value_len == 0) {
            /* 6265bis: "If both the name string and the value string are empty, ignore the
             * set-cookie-string entirely." */
            rlint_emit_field(c, RLINT_RL6002, (size_t)i,
                             "browsers ignore this cookie: Set-Cookie \"%s\" has neither a name "
                             "nor a value; 6265bis: servers MUST NOT produce nameless cookies",
                             v);
        } else {
            rlint_emit_field(c, RLINT_RL6002, (size_t)i,
                             "Set-Cookie \"%s\" is a nameless cookie (%s); browsers store it "
                             "under the empty name, where any other nameless cookie replaces "
                             "it, and RFC 6265 user agents drop it; 6265bis: servers MUST NOT "
                             "produce nameless cookies",
                             v, ck->has_eq ? "nothing before \"=\"" : "no \"=\"");
        }
    }
}

/* ---- RL6003-RL6006: one attribute at a time ---- */

typedef void (*attribute_check)(rlint_ctx *c, long line, const rlint_cookie *ck,
                                const rlint_cookie_av *a);

/* Calls check for every attribute of this kind on every Set-Cookie line. */
static void each_attribute(rlint_ctx *c, rlint_cookie_kind kind, attribute_check check)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (!ck->count[kind])
            continue;
        rlint_cookie_iter it = {0};
        uint32_t left = ck->count[kind]; /* the walk stops at the last one */
        for (const rlint_cookie_av *a; left && (a = rlint_cookie_next(ck, &it)) != NULL;)
            if (a->kind == kind) {
                check(c, i, ck, a);
                left--;
            }
    }
}

/* The cookie's label and the attribute's value, quoted for a message (only once a check has
 * something to say). */
typedef struct av_text {
    char label[80], value[96];
} av_text;

static RLINT_COLD void describe(const rlint_cookie *ck, const rlint_cookie_av *a, av_text *t)
{
    cookie_label(t->label, sizeof t->label, ck);
    rlint_quote(t->value, sizeof t->value, a->value ? a->value : "", a->value ? a->value_len : 0,
                64);
}

static void expires_invalid(rlint_ctx *c, long line, const rlint_cookie *ck,
                            const rlint_cookie_av *a)
{
    const char *why = "no value";
    if (a->value && rlint_cookie_date(a->value, a->value_len, NULL, &why))
        return;
    /* RFC 6265 §5.2.1: "If the attribute-value failed to parse as a cookie date, ignore the
     * cookie-av." */
    av_text t;
    describe(ck, a, &t);
    rlint_emit_field(c, RLINT_RL6003, (size_t)line,
                     "Set-Cookie %s: browsers ignore Expires=%s (%s, RFC 6265 §5.1.1)%s; send an "
                     "IMF-fixdate such as Sun, 06 Nov 2033 08:49:37 GMT",
                     t.label, t.value, why,
                     ck->count[RLINT_CAV_MAX_AGE] ? " and rely on Max-Age alone"
                                                  : ", so the cookie becomes a session cookie");
}

void rlint_check_cookie_expires_invalid(rlint_ctx *c)
{
    each_attribute(c, RLINT_CAV_EXPIRES, expires_invalid);
}

static void expires_format(rlint_ctx *c, long line, const rlint_cookie *ck,
                           const rlint_cookie_av *a)
{
    const char *why;
    size_t at;
    if (!a->value || !rlint_cookie_date(a->value, a->value_len, NULL, NULL) ||
        rlint_http_date(a->value, a->value_len, &why, &at) == RLINT_DATE_IMF)
        return;
    av_text t;
    describe(ck, a, &t);
    rlint_emit_field(c, RLINT_RL6004, (size_t)line,
                     "Set-Cookie %s: Expires=%s is not an IMF-fixdate; browsers parse it, but "
                     "6265bis: sane-cookie-date = IMF-fixdate (Sun, 06 Nov 2033 08:49:37 GMT)",
                     t.label, t.value);
}

void rlint_check_cookie_expires_format(rlint_ctx *c)
{
    each_attribute(c, RLINT_CAV_EXPIRES, expires_format);
}

static bool all_digits(const char *s, size_t n)
{
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
        d++;
    return n > 0 && d == n;
}

static void max_age_invalid(rlint_ctx *c, long line, const rlint_cookie *ck,
                            const rlint_cookie_av *a)
{
    /* max-age-av = "Max-Age" BWS "=" BWS 1*DIGIT; 0 included */
    if (a->value && all_digits(a->value, a->value_len))
        return;
    bool negative = a->value && a->value_len > 1 && a->value[0] == '-' &&
                    all_digits(a->value + 1, a->value_len - 1);
    /* RFC 6265 §5.2.2: "If the first character of the attribute-value is not a DIGIT or a "-"
     * character, ignore the cookie-av. If the remainder of attribute-value contains a
     * non-DIGIT character, ignore the cookie-av." */
    av_text t;
    describe(ck, a, &t);
    rlint_emit_field(c, RLINT_RL6005, (size_t)line,
                     "Set-Cookie %s: Max-Age=%s is not 1*DIGIT (6265bis max-age-av)%s", t.label,
                     t.value,
                     negative ? "; browsers read a negative Max-Age as \"expire now\", which "
                                "Max-Age=0 says validly"
                              : "; browsers ignore this Max-Age");
}

void rlint_check_cookie_max_age_invalid(rlint_ctx *c)
{
    each_attribute(c, RLINT_CAV_MAX_AGE, max_age_invalid);
}

static void samesite_invalid(rlint_ctx *c, long line, const rlint_cookie *ck,
                             const rlint_cookie_av *a)
{
    /* 6265bis: samesite-value = "Strict" / "Lax" / "None"; anything else is "Default" */
    if (a->value && (rlint_ieq(a->value, a->value_len, "strict") ||
                     rlint_ieq(a->value, a->value_len, "lax") ||
                     rlint_ieq(a->value, a->value_len, "none")))
        return;
    av_text t;
    describe(ck, a, &t);
    rlint_emit_field(c, RLINT_RL6006, (size_t)line,
                     "Set-Cookie %s: %s%s%s is not Strict, Lax or None; browsers ignore the value "
                     "and apply their default (Lax in Chrome), which may block the cookie on "
                     "cross-site requests",
                     t.label, a->value ? "SameSite=\"" : "SameSite without a value",
                     a->value ? t.value : "", a->value ? "\"" : "");
}

void rlint_check_cookie_samesite_invalid(rlint_ctx *c)
{
    each_attribute(c, RLINT_CAV_SAMESITE, samesite_invalid);
}

void rlint_check_cookie_samesite_none_insecure(rlint_ctx *c)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (rlint_cookie_samesite(ck) != RLINT_SAMESITE_NONE || rlint_cookie_secure(ck))
            continue;
        char label[80];
        cookie_label(label, sizeof label, ck);
        /* 6265bis "Storage Model": "If the cookie's same-site-flag is "None", abort these
         * steps and ignore the cookie entirely unless the cookie's secure-only-flag is
         * true." */
        rlint_emit_field(c, RLINT_RL6007, (size_t)i,
                         "browsers ignore this cookie: Set-Cookie %s has SameSite=None without "
                         "Secure, and SameSite=None requires Secure (6265bis Storage Model; "
                         "Chrome since version 80)",
                         label);
    }
}

/* ---- RL6008 ---- */

/* An IPv4 address in dotted decimal, or a bracketed IPv6 address. */
static bool ip_literal(const char *s, size_t n)
{
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        return true;
    unsigned dots = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (digits == 0)
                return false;
            dots++;
            digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
            digits++;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}

void rlint_check_cookie_prefix_violation(rlint_ctx *c)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        bool host = rlint_istarts(ck->name, ck->name_len, "__host-");
        if (!host && !rlint_istarts(ck->name, ck->name_len, "__secure-"))
            continue;
        char missing[160] = "";
        size_t m = 0;
        if (!rlint_cookie_secure(ck))
            m += (size_t)snprintf(missing + m, sizeof missing - m, "no Secure");
        if (host) {
            /* 6265bis "Storage Model": a __Host- cookie is ignored unless its secure-only-flag
             * is true, its host-only-flag is true (no Domain attribute with a value) and the
             * cookie-attribute-list has a Path attribute whose value is "/". */
            const rlint_cookie_av *d = rlint_cookie_last(ck, RLINT_CAV_DOMAIN);
            const rlint_cookie_av *p = rlint_cookie_last(ck, RLINT_CAV_PATH);
            /* A Domain that is an IP address can only equal the request host, and Chromium
             * then keeps the cookie host-only and accepts it (tests/browser: the oracle). */
            if (d && d->value && d->value_len && !ip_literal(d->value, d->value_len))
                m += (size_t)snprintf(missing + m, sizeof missing - m, "%sa Domain attribute",
                                      m ? ", " : "");
            if (!p)
                m += (size_t)snprintf(missing + m, sizeof missing - m, "%sno Path=/",
                                      m ? ", " : "");
            else if (!p->value || p->value_len != 1 || p->value[0] != '/')
                m += (size_t)snprintf(missing + m, sizeof missing - m, "%sa Path other than /",
                                      m ? ", " : "");
        }
        if (m == 0)
            continue;
        char label[80];
        cookie_label(label, sizeof label, ck);
        rlint_emit_field(c, RLINT_RL6008, (size_t)i,
                         "browsers ignore this cookie: Set-Cookie %s has the %s prefix but %s "
                         "(6265bis \"Cookie Name Prefixes\": %s)",
                         label, host ? "__Host-" : "__Secure-", missing,
                         host ? "a __Host- cookie needs Secure, Path=/ and no Domain"
                              : "a __Secure- cookie needs Secure");
    }
}

/* ---- RL6009 ---- */

static bool repeats_possible(const rlint_cookie *ck)
{
    for (int k = 0; k < RLINT_CAV_COUNT; k++)
        if (ck->count[k] > 1)
            return true;
    return false;
}

/* One named attribute of a line: its name and its place. */
typedef struct av_name {
    const char *name;
    size_t len, pos;
} av_name;

/* By name (case-insensitively), then by place. */
static int av_name_cmp(const void *x, const void *y)
{
    const av_name *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    for (size_t k = 0; k < n; k++) {
        unsigned char p = (unsigned char)rlint_lower(a->name[k]);
        unsigned char q = (unsigned char)rlint_lower(b->name[k]);
        if (p != q)
            return p < q ? -1 : 1;
    }
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int av_pos_cmp(const void *x, const void *y)
{
    const av_name *a = x, *b = y;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

#define STACK_ATTRS 32

/* Every attribute of the line is compared, however many: the names are sorted (n log n), and
 * each repeated name is reported at its second occurrence, in the order of the line. */
void rlint_check_cookie_attribute_repeated(rlint_ctx *c)
{
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (!repeats_possible(ck))
            continue;
        av_name stack[STACK_ATTRS], *v = stack;
        if (ck->nav > STACK_ATTRS && !(v = rlint_malloc(ck->nav * sizeof *v))) {
            char label[80];
            cookie_label(label, sizeof label, ck);
            rlint_emit_field(c, RLINT_RL9004, (size_t)i,
                             "out of memory comparing the %zu attributes of Set-Cookie %s: a "
                             "repeated one is not reported (RL6009 cookie-attribute-repeated)",
                             ck->nav, label);
            continue;
        }
        size_t n = 0;
        rlint_cookie_iter it = {0};
        for (const rlint_cookie_av *a; (a = rlint_cookie_next(ck, &it)) != NULL;)
            if (a->name_len) {
                v[n].name = a->name;
                v[n].len = a->name_len;
                v[n].pos = n;
                n++;
            }
        qsort(v, n, sizeof *v, av_name_cmp);
        /* the second occurrence of each repeated name moves to the front (w <= k: each
         * entry is read before its place can be written) */
        size_t w = 0;
        bool run = false; /* v[k - 1] repeats the name before it */
        for (size_t k = 1; k < n; k++) {
            bool same =
                v[k].len == v[k - 1].len && rlint_ieq_n(v[k].name, v[k - 1].name, v[k].len);
            if (same && !run)
                v[w++] = v[k];
            run = same;
        }
        qsort(v, w, sizeof *v, av_pos_cmp);
        char label[80];
        if (w)
            cookie_label(label, sizeof label, ck);
        for (size_t k = 0; k < w; k++) {
            char q[64];
            rlint_quote(q, sizeof q, v[k].name, v[k].len, 40);
            rlint_emit_field(c, RLINT_RL6009, (size_t)i,
                             "Set-Cookie %s: the attribute %s appears more than once; browsers "
                             "use the last one; RFC 6265 §4.1.1: servers SHOULD NOT produce two "
                             "attributes with the same name (6265bis: MUST NOT)",
                             label, q);
        }
        if (v != stack)
            rlint_free(v);
    }
}

/* ---- RL6010 ---- */

typedef struct cookie_key {
    const char *name, *domain, *path;
    size_t name_len, domain_len, path_len;
    bool has_domain, has_path;
} cookie_key;

static void key_of(const rlint_cookie *ck, cookie_key *k)
{
    k->name = ck->name;
    k->name_len = ck->name_len;
    const rlint_cookie_av *d = rlint_cookie_last(ck, RLINT_CAV_DOMAIN);
    const rlint_cookie_av *p = rlint_cookie_last(ck, RLINT_CAV_PATH);
    k->has_domain = d != NULL;
    k->domain = d && d->value ? d->value : "";
    k->domain_len = d && d->value ? d->value_len : 0;
    if (k->domain_len && k->domain[0] == '.') {
        k->domain++;
        k->domain_len--;
    }
    k->has_path = p != NULL;
    k->path = p && p->value ? p->value : "";
    k->path_len = p && p->value ? p->value_len : 0;
}

/* One named cookie of the response: its key, its field line, its place among the others. */
typedef struct cookie_entry {
    cookie_key key;
    long line;
    size_t pos;
} cookie_entry;

static int span_cmp(const char *a, size_t an, const char *b, size_t bn, bool fold)
{
    size_t n = an < bn ? an : bn;
    for (size_t k = 0; k < n; k++) {
        unsigned char x = (unsigned char)(fold ? rlint_lower(a[k]) : a[k]);
        unsigned char y = (unsigned char)(fold ? rlint_lower(b[k]) : b[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return an < bn ? -1 : an > bn;
}

/* Orders by key: the name and Path as bytes, Domain case-insensitively, an absent attribute
 * apart from an empty one. */
static int entry_cmp_key(const cookie_entry *a, const cookie_entry *b)
{
    int r = span_cmp(a->key.name, a->key.name_len, b->key.name, b->key.name_len, false);
    if (!r)
        r = (int)a->key.has_domain - (int)b->key.has_domain;
    if (!r)
        r = span_cmp(a->key.domain, a->key.domain_len, b->key.domain, b->key.domain_len, true);
    if (!r)
        r = (int)a->key.has_path - (int)b->key.has_path;
    if (!r)
        r = span_cmp(a->key.path, a->key.path_len, b->key.path, b->key.path_len, false);
    return r;
}

/* By key, then by place: equal keys end up together, earliest first. */
static int entry_cmp(const void *x, const void *y)
{
    const cookie_entry *a = x, *b = y;
    int r = entry_cmp_key(a, b);
    return r ? r : a->pos < b->pos ? -1 : a->pos > b->pos;
}

#define STACK_COOKIES 16

/* Every pair of lines is compared, however many: sorted by key (n log n), not pairwise. */
void rlint_check_cookie_name_repeated(rlint_ctx *c)
{
    if (c->count[RLINT_F_SET_COOKIE] < 2 || (c->prov & RESPLINT_PROV_FIELDS_MERGED))
        return;
    size_t lines = 0;
    EACH_SET_COOKIE(c, i)
        lines++;
    cookie_entry stack_e[STACK_COOKIES];
    long stack_first[STACK_COOKIES];
    size_t stack_at[STACK_COOKIES];
    cookie_entry *e = stack_e;
    long *first = stack_first; /* by place: the field line an earlier same cookie is on, -1 */
    size_t *at = stack_at;     /* by place: where its entry went in the sort */
    void *heap = NULL;
    if (lines > STACK_COOKIES) {
        heap = rlint_malloc(lines * (sizeof *e + sizeof *first + sizeof *at));
        if (!heap) {
            rlint_emit_status(c, RLINT_RL9004,
                              "out of memory comparing %zu Set-Cookie lines: a cookie set twice "
                              "is not reported (RL6010 cookie-name-repeated)",
                              lines);
            return;
        }
        e = heap;
        first = (long *)(e + lines);
        at = (size_t *)(first + lines);
    }
    size_t n = 0;
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (ck->name_len == 0)
            continue; /* nameless: RL6002's business */
        key_of(ck, &e[n].key);
        e[n].line = i;
        e[n].pos = n;
        first[n] = -1;
        n++;
    }
    qsort(e, n, sizeof *e, entry_cmp);
    for (size_t k = 0, run = 0; k < n; k++) {
        at[e[k].pos] = k;
        if (k > run && entry_cmp_key(&e[run], &e[k]) == 0)
            first[e[k].pos] = e[run].line;
        else
            run = k;
    }
    for (size_t pos = 0; pos < n; pos++) {
        if (first[pos] < 0)
            continue;
        const cookie_entry *x = &e[at[pos]];
        char label[80];
        rlint_quote(label, sizeof label, x->key.name, x->key.name_len, 48);
        /* RFC 6265 §4.1.1: "Servers SHOULD NOT include more than one Set-Cookie header
         * field in the same response with the same cookie-name." */
        rlint_emit_field(c, RLINT_RL6010, (size_t)x->line,
                         "the cookie %s is set again with the same Domain and Path (first "
                         "on field line %ld); browsers keep only the last one; RFC 6265 "
                         "§4.1.1: servers SHOULD NOT include more than one Set-Cookie with "
                         "the same cookie-name (6265bis: MUST NOT)",
                         label, first[pos] + 1);
    }
    rlint_free(heap);
}

/* ---- RL6011 ---- */

/* Max-Age as a user agent reads it (RFC 6265 §5.2.2): "-"? 1*DIGIT; saturated. */
static bool ua_max_age(const rlint_cookie_av *a, int64_t *secs)
{
    if (!a->value || a->value_len == 0)
        return false;
    size_t k = a->value[0] == '-';
    if (k == a->value_len)
        return false;
    int64_t v = 0;
    for (; k < a->value_len; k++) {
        char ch = a->value[k];
        if (ch < '0' || ch > '9')
            return false;
        if (v < INT64_MAX / 20)
            v = v * 10 + (ch - '0');
    }
    *secs = a->value[0] == '-' ? -v : v;
    return true;
}

void rlint_check_cookie_lifetime_over_400_days(rlint_ctx *c)
{
    int64_t date = 0;
    bool have_date = rlint_field_date(c, RLINT_F_DATE, &date); /* read once per response */
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (!ck->count[RLINT_CAV_MAX_AGE] && !ck->count[RLINT_CAV_EXPIRES])
            continue;
        /* The storage model uses the last Max-Age it accepted; without one, the last
         * Expires it could parse. */
        int64_t age = 0, expires = 0;
        bool has_age = false, has_expires = false;
        rlint_cookie_iter it = {0};
        for (const rlint_cookie_av *a; (a = rlint_cookie_next(ck, &it)) != NULL;) {
            int64_t v;
            if (a->kind == RLINT_CAV_MAX_AGE && ua_max_age(a, &v)) {
                age = v;
                has_age = true;
            } else if (a->kind == RLINT_CAV_EXPIRES && a->value &&
                       rlint_cookie_date(a->value, a->value_len, &v, NULL)) {
                expires = v;
                has_expires = true;
            }
        }
        int64_t life;
        const char *from;
        if (has_age) {
            life = age;
            from = "Max-Age";
        } else if (has_expires && have_date) {
            life = expires - date;
            from = "Expires - Date";
        } else {
            continue;
        }
        if (life <= COOKIE_LIFETIME_CAP)
            continue;
        char label[80];
        cookie_label(label, sizeof label, ck);
        /* 6265bis "Cookie Lifetime Limits": the user agent "MUST limit the maximum age of the
         * cookie. The limit SHOULD NOT be greater than 400 days". */
        rlint_emit_field(c, RLINT_RL6011, (size_t)i,
                         "Set-Cookie %s asks for a lifetime of %lld days (%s); browsers cap "
                         "cookie lifetimes at 400 days (6265bis \"Cookie Lifetime Limits\"; "
                         "Chrome since version 104), so it expires sooner",
                         label, (long long)(life / 86400), from);
    }
}

/* ---- RL6012 ---- */

void rlint_check_cookie_secure_over_http(rlint_ctx *c)
{
    const resplint_response *r = c->resp;
    if (r->scheme != RESPLINT_SCHEME_HTTP)
        return; /* unknown or https: nothing to say */
    const char *host = NULL;
    size_t hn = 0;
    if (r->url && rlint_url_host(r->url, r->url_len, &host, &hn) &&
        rlint_host_trustworthy(host, hn))
        return;
    EACH_SET_COOKIE(c, i) {
        rlint_cookie spare;
        const rlint_cookie *ck = cookie_at(c, i, &spare);
        if (!rlint_cookie_secure(ck))
            continue;
        char label[80], h[80] = "";
        cookie_label(label, sizeof label, ck);
        if (host)
            rlint_quote(h, sizeof h, host, hn, 60);
        /* 6265bis "Storage Model": "If the request-uri's origin is not a potentially
         * trustworthy origin and the cookie's secure-only-flag is true, then abort these
         * steps and ignore the cookie entirely." */
        rlint_emit_field(c, RLINT_RL6012, (size_t)i,
                         "browsers ignore this cookie: Set-Cookie %s has Secure but came over "
                         "http%s%s, which is not a secure origin (6265bis Storage Model); serve "
                         "the page over https",
                         label, host ? " from " : "", h);
    }
}
