/* RL5001-RL5020: Cache-Control, Vary, Age, Expires and Last-Modified as caches read them
 * (RFC 9111, RFC 9110 §8.8 and §12.5.5, RFC 5861, RFC 8246). The grammars and the per-response
 * summaries are lib/core/caching.c; RULES.md "Shared definitions" fixes every word used here. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* ---- shared definitions of RULES.md ---- */

static bool method_cacheable(const rlint_ctx *c)
{
    const resplint_response *r = c->resp;
    if (!r->method)
        return true;
    return (r->method_len == 3 && memcmp(r->method, "GET", 3) == 0) ||
           (r->method_len == 4 && memcmp(r->method, "HEAD", 4) == 0);
}

/* RFC 9110 §15.1: "Responses with status codes that are defined as heuristically cacheable
 * (e.g., 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, and 501 in this
 * specification) can be reused by a cache with heuristic expiration". */
static bool heuristic_status(int st)
{
    switch (st) {
    case 200: case 203: case 204: case 206: case 300: case 301: case 308:
    case 404: case 405: case 410: case 414: case 501:
        return true;
    default:
        return false;
    }
}

static bool has_no_store(const rlint_cc *cc) { return cc->count[RLINT_CC_NO_STORE] > 0; }

/* storable: a cache may keep it (RFC 9111 §3, as RULES.md words it). */
static bool storable(rlint_ctx *c, const rlint_cc *cc)
{
    int st = c->resp->status;
    if (st < 200 || st > 599 || st == 304 || !method_cacheable(c))
        return false;
    if (has_no_store(cc) || cc->private_bare)
        return false;
    return heuristic_status(st) || cc->count[RLINT_CC_PUBLIC] || cc->count[RLINT_CC_MAX_AGE] ||
           cc->count[RLINT_CC_S_MAXAGE] || rlint_has(c, RLINT_F_EXPIRES);
}

/* Expires - Date when both parse. */
static bool expires_delta(rlint_ctx *c, int64_t *delta)
{
    int64_t e, d;
    if (!rlint_field_date(c, RLINT_F_EXPIRES, &e) || !rlint_field_date(c, RLINT_F_DATE, &d))
        return false;
    *delta = e - d;
    return true;
}

/* explicit freshness > 0; *what names where it comes from. */
static bool explicit_fresh(rlint_ctx *c, const rlint_cc *cc, char *what, size_t cap)
{
    if (cc->s_maxage_ok && cc->s_maxage > 0) {
        snprintf(what, cap, "s-maxage=%u", (unsigned)cc->s_maxage);
        return true;
    }
    if (cc->max_age_ok && cc->max_age > 0) {
        snprintf(what, cap, "max-age=%u", (unsigned)cc->max_age);
        return true;
    }
    int64_t delta;
    /* RFC 9111 §5.3: with max-age present "a recipient MUST ignore the Expires header field" */
    if (!cc->count[RLINT_CC_MAX_AGE] && expires_delta(c, &delta) && delta > 0) {
        snprintf(what, cap, "Expires %lld s after Date", (long long)delta);
        return true;
    }
    return false;
}

/* shared lifetime: *has false when there is none. */
static int64_t shared_lifetime(rlint_ctx *c, const rlint_cc *cc, bool *has, const char **from)
{
    *has = true;
    if (cc->s_maxage_ok) {
        *from = "s-maxage";
        return cc->s_maxage;
    }
    if (cc->max_age_ok) {
        *from = "max-age";
        return cc->max_age;
    }
    if (rlint_has(c, RLINT_F_EXPIRES)) {
        *from = "Expires";
        int64_t delta;
        /* RFC 9111 §5.3: invalid dates mean "already expired" */
        return expires_delta(c, &delta) && delta > 0 ? delta : 0;
    }
    *has = false;
    return 0;
}

static void quote_member(char *out, size_t cap, const rlint_cc_member *m)
{
    rlint_quote(out, cap, m->text, m->len, 80);
}

static void quote_arg(char *out, size_t cap, const rlint_cc_member *m)
{
    if (m->arg)
        rlint_quote(out, cap, m->arg, m->arg_len, 60);
    else
        out[0] = '\0';
}

/* The field line of Cache-Control whose value is clean enough to judge (see
 * rlint_value_clean); checks skip the members of other lines. */
static bool line_clean(rlint_ctx *c, long field)
{
    const resplint_field *f = &c->resp->fields[field];
    return rlint_value_clean(c, f->value, f->value_len);
}

/* ---- RL5001 ---- */

static RLINT_COLD void report_syntax(rlint_ctx *c, const rlint_cc_member *m, unsigned n)
{
    char q[128];
    quote_member(q, sizeof q, m);
    const char *effect =
        m->dir == RLINT_CC_MAX_AGE || m->dir == RLINT_CC_S_MAXAGE
            ? "caches that drop it see no freshness lifetime here, and RFC 9111 §4.2.1 lets "
              "them treat the response as stale"
            : "caches drop a member they cannot parse, or read it differently";
    char more[48] = "";
    if (n > 1)
        snprintf(more, sizeof more, " (and %u more on this line)", n - 1);
    rlint_emit_field(c, RLINT_RL5001, (size_t)m->field,
                     "Cache-Control member \"%s\" does not match token [ \"=\" ( token / "
                     "quoted-string ) ]: %s at character %zu%s; %s",
                     q, m->why, m->at + 1, more, effect);
}

void rlint_check_cache_control_syntax(rlint_ctx *c)
{
    /* RFC 9111 §5.2: Cache-Control = #cache-directive; cache-directive = token [ "=" ( token /
     * quoted-string ) ]. RFC 9110 §2.2: "A sender MUST NOT generate protocol elements that do
     * not match the grammar defined by the corresponding ABNF rules." */
    if (!rlint_cc_of(c)->invalid)
        return;
    rlint_cc_iter it;
    rlint_cc_member m, first = {0};
    unsigned n = 0;
    long line = -1;
    rlint_cc_begin(&it, c);
    while (rlint_cc_next(&it, &m)) {
        if (m.field != line) {
            if (n)
                report_syntax(c, &first, n);
            n = 0;
            line = m.field;
        }
        if (!m.valid && line_clean(c, m.field) && n++ == 0)
            first = m;
    }
    if (n)
        report_syntax(c, &first, n);
}

/* ---- RL5002, RL5003 ---- */

static bool freshness_dir(rlint_cc_dir d)
{
    return d == RLINT_CC_MAX_AGE || d == RLINT_CC_S_MAXAGE || d == RLINT_CC_SWR ||
           d == RLINT_CC_SIE;
}

/* What is wrong with a known directive's argument, or NULL. */
static const char *argument_fault(const rlint_cc_member *m)
{
    uint64_t v;
    if (freshness_dir(m->dir)) {
        if (m->form == RLINT_CC_ARG_NONE)
            return "has no argument; it takes delta-seconds (1*DIGIT)";
        if (!rlint_cc_seconds(m, &v))
            return "has an argument that is not delta-seconds (1*DIGIT: no units, signs or "
                   "fractions)";
        return NULL;
    }
    if (m->dir == RLINT_CC_NO_CACHE || m->dir == RLINT_CC_PRIVATE) {
        if (m->form != RLINT_CC_ARG_NONE && !rlint_cc_names_valid(m))
            return "has an argument that is not a comma-separated list of field names";
        return NULL;
    }
    if (m->dir != RLINT_CC_OTHER && m->form != RLINT_CC_ARG_NONE)
        return "takes no argument (RFC 9111 §5.2: \"no argument is defined (nor allowed) "
               "unless stated otherwise\")";
    return NULL;
}

void rlint_check_cache_directive_argument_invalid(rlint_ctx *c)
{
    if (!rlint_cc_of(c)->odd_args)
        return;
    rlint_cc_iter it;
    rlint_cc_member m;
    rlint_cc_begin(&it, c);
    while (rlint_cc_next(&it, &m)) {
        const char *fault = m.valid ? argument_fault(&m) : NULL;
        if (!fault || !line_clean(c, m.field))
            continue;
        char q[128];
        quote_member(q, sizeof q, &m);
        const char *effect =
            freshness_dir(m.dir)
                ? "caches ignore the directive or, for a freshness lifetime, treat the response "
                  "as stale (RFC 9111 §4.2.1)"
                : m.dir == RLINT_CC_NO_CACHE || m.dir == RLINT_CC_PRIVATE
                      ? "caches may apply it to the whole response as if it had no argument"
                      : "caches may ignore the directive";
        rlint_emit_field(c, RLINT_RL5002, (size_t)m.field, "Cache-Control %s: %s %s; %s", q,
                         rlint_cc_name(m.dir), fault, effect);
    }
}

void rlint_check_cache_directive_argument_form(rlint_ctx *c)
{
    if (!rlint_cc_of(c)->odd_args)
        return;
    rlint_cc_iter it;
    rlint_cc_member m;
    rlint_cc_begin(&it, c);
    while (rlint_cc_next(&it, &m)) {
        if (!m.valid || argument_fault(&m) || !line_clean(c, m.field))
            continue; /* RL5001 or RL5002 speaks */
        char q[128], a[96];
        quote_member(q, sizeof q, &m);
        quote_arg(a, sizeof a, &m);
        if (freshness_dir(m.dir) && m.form == RLINT_CC_ARG_QUOTED) {
            /* RFC 9111 §5.2.2.1, §5.2.2.10: "a sender MUST NOT generate the quoted-string form";
             * RFC 5861 §3-4 define "=" delta-seconds only. */
            uint64_t v = 0;
            rlint_cc_seconds(&m, &v);
            rlint_emit_field(c, RLINT_RL5003, (size_t)m.field,
                             "Cache-Control %s: %s is quoted; %s; caches that do not unquote it "
                             "(nginx's proxy_cache among them) ignore %s=%llu",
                             q, rlint_cc_name(m.dir),
                             m.dir == RLINT_CC_MAX_AGE || m.dir == RLINT_CC_S_MAXAGE
                                 ? "RFC 9111: a sender MUST NOT generate the quoted-string form"
                                 : "RFC 5861 defines only \"=\" delta-seconds",
                             rlint_cc_name(m.dir), (unsigned long long)v);
        } else if ((m.dir == RLINT_CC_NO_CACHE || m.dir == RLINT_CC_PRIVATE) &&
                   m.form == RLINT_CC_ARG_TOKEN) {
            /* RFC 9111 §5.2.2.4, §5.2.2.7: "A sender SHOULD NOT generate the token form (even
             * if quoting appears not to be needed for single-entry lists)." */
            rlint_emit_field(c, RLINT_RL5003, (size_t)m.field,
                             "Cache-Control %s: the field list of %s is in token form; RFC 9111: "
                             "a sender SHOULD NOT generate the token form; write %s=\"%s\" "
                             "(caches that expect the quoted form may apply %s to the whole "
                             "response)",
                             q, rlint_cc_name(m.dir), rlint_cc_name(m.dir), a,
                             rlint_cc_name(m.dir));
        }
    }
}

/* ---- RL5004, RL5005 ---- */

#define NAMES_CAP 64

/* Names seen so far (case-insensitively), for the "repeated" rules. Only the first NAMES_CAP
 * distinct names are tracked; their pages say so. */
typedef struct seen_names {
    struct {
        const char *name;
        size_t len;
        unsigned n;
    } v[NAMES_CAP];
    size_t n;
} seen_names;

/* How many times name has now been seen (1 the first time; 0 past the cap). */
static unsigned seen_count(seen_names *s, const char *name, size_t len)
{
    size_t k = 0;
    while (k < s->n && !(s->v[k].len == len && rlint_ieq_n(s->v[k].name, name, len)))
        k++;
    if (k < s->n)
        return ++s->v[k].n;
    if (s->n == NAMES_CAP)
        return 0;
    s->v[s->n].name = name;
    s->v[s->n].len = len;
    s->v[s->n++].n = 1;
    return 1;
}

void rlint_check_cache_freshness_directive_repeated(rlint_ctx *c)
{
    const rlint_cc *cc = rlint_cc_of(c);
    static const rlint_cc_dir dirs[] = {RLINT_CC_MAX_AGE, RLINT_CC_S_MAXAGE, RLINT_CC_SWR,
                                        RLINT_CC_SIE};
    for (size_t k = 0; k < RLINT_ARRAY_LEN(dirs); k++) {
        if (cc->count[dirs[k]] < 2)
            continue;
        rlint_cc_iter it;
        rlint_cc_member m, first = {0};
        unsigned seen = 0;
        rlint_cc_begin(&it, c);
        while (rlint_cc_next(&it, &m)) {
            if (!m.valid || m.dir != dirs[k])
                continue;
            if (++seen == 1) {
                first = m;
                continue;
            }
            if (seen > 2)
                break;
            char a1[96], a2[96];
            quote_arg(a1, sizeof a1, &first);
            quote_arg(a2, sizeof a2, &m);
            const char *name = rlint_cc_name(dirs[k]);
            bool same = first.arg_len == m.arg_len &&
                        (first.arg_len == 0 || memcmp(first.arg, m.arg, m.arg_len) == 0);
            /* RFC 9111 §4.2.1: "When there is more than one value present for a given
             * directive (e.g., two Expires header field lines or multiple Cache-Control:
             * max-age directives), either the first occurrence should be used or the
             * response should be considered stale." */
            if (same)
                rlint_emit_field(c, RLINT_RL5004, (size_t)m.field,
                                 "Cache-Control has %s=%s %u times; the values agree, but RFC "
                                 "9111 §4.2.1 lets caches consider a response with repeated "
                                 "%s stale",
                                 name, a1[0] ? a1 : "(no value)", (unsigned)cc->count[dirs[k]],
                                 name);
            else
                rlint_emit_field(c, RLINT_RL5004, (size_t)m.field,
                                 "Cache-Control has %s %u times (%s, then %s); caches use the "
                                 "first %s (%s) and ignore %s, or consider the response stale "
                                 "(RFC 9111 §4.2.1)",
                                 name, (unsigned)cc->count[dirs[k]], a1[0] ? a1 : "no value",
                                 a2[0] ? a2 : "no value", name, a1[0] ? a1 : "no value",
                                 a2[0] ? a2 : "no value");
        }
    }
}

void rlint_check_cache_directive_repeated(rlint_ctx *c)
{
    const rlint_cc *cc = rlint_cc_of(c);
    if (cc->members < 2)
        return;
    seen_names seen;
    seen.n = 0;
    rlint_cc_iter it;
    rlint_cc_member m;
    rlint_cc_begin(&it, c);
    while (rlint_cc_next(&it, &m)) {
        if (!m.valid || freshness_dir(m.dir))
            continue; /* RL5004's */
        if (seen_count(&seen, m.name, m.name_len) != 2)
            continue;
        char q[96];
        rlint_quote(q, sizeof q, m.name, m.name_len, 60);
        rlint_emit_field(c, RLINT_RL5005, (size_t)m.field,
                         "Cache-Control directive %s appears more than once; harmless, caches "
                         "apply it once",
                         q);
    }
}

/* ---- RL5006 ---- */

void rlint_check_cache_control_conflict(rlint_ctx *c)
{
    const rlint_cc *cc = rlint_cc_of(c);
    long at = c->first[RLINT_F_CACHE_CONTROL];
    /* RFC 9111 §4.2.1: "If directives conflict (e.g., both max-age and no-cache are
     * present), the most restrictive directive should be honored." */
    if (has_no_store(cc) && !cc->count[RLINT_CC_MUST_UNDERSTAND]) {
        /* RFC 9111 §5.2.2.3 asks for no-store beside must-understand: not a conflict then */
        char with[128] = "";
        size_t o = 0;
        if (cc->count[RLINT_CC_PUBLIC])
            o += (size_t)snprintf(with + o, sizeof with - o, "public");
        if (cc->max_age_ok && cc->max_age > 0)
            o += (size_t)snprintf(with + o, sizeof with - o, "%smax-age=%u", o ? ", " : "",
                                  (unsigned)cc->max_age);
        if (cc->s_maxage_ok && cc->s_maxage > 0 && o < sizeof with)
            snprintf(with + o, sizeof with - o, "%ss-maxage=%u", o ? ", " : "",
                     (unsigned)cc->s_maxage);
        if (with[0])
            rlint_emit_field(c, RLINT_RL5006, (size_t)at,
                             "Cache-Control has no-store with %s; caches honour the most "
                             "restrictive directive (RFC 9111 §4.2.1) and store nothing, so %s "
                             "has no effect",
                             with, with);
    }
    /* s-maxage=0 beside private restricts as private does: no conflict (as no-store with
     * max-age=0 is none) */
    bool shared_life = cc->s_maxage_ok && cc->s_maxage > 0;
    if (cc->private_bare && (cc->count[RLINT_CC_PUBLIC] || shared_life)) {
        const char *with = cc->count[RLINT_CC_PUBLIC] && shared_life ? "public and s-maxage"
                           : cc->count[RLINT_CC_PUBLIC]              ? "public"
                                                                     : "s-maxage";
        rlint_emit_field(c, RLINT_RL5006, (size_t)at,
                         "Cache-Control has private with %s; caches honour the most restrictive "
                         "directive (RFC 9111 §4.2.1): shared caches do not store the response, "
                         "so %s has no effect (a qualified private=\"field\" would keep only "
                         "those fields out)",
                         with, with);
    }
}

/* ---- RL5007 ---- */

void rlint_check_immutable_without_freshness(rlint_ctx *c)
{
    const rlint_cc *cc = rlint_cc_of(c);
    if (!cc->count[RLINT_CC_IMMUTABLE])
        return;
    char what[64];
    if (explicit_fresh(c, cc, what, sizeof what))
        return;
    /* RFC 8246 §2: "The immutable extension only applies during the freshness lifetime of
     * the stored response." */
    rlint_emit_field(c, RLINT_RL5007, (size_t)c->first[RLINT_F_CACHE_CONTROL],
                     "Cache-Control has immutable but no freshness lifetime above 0 (%s); RFC "
                     "8246 §2: immutable only applies while the stored response is fresh, so "
                     "clients revalidate it anyway",
                     cc->max_age_ok ? "max-age=0"
                     : cc->count[RLINT_CC_MAX_AGE]
                         ? "max-age is not valid"
                         : "no max-age, s-maxage or future Expires");
}

/* ---- RL5008 ---- */

static bool age_value(const rlint_ctx *c, uint64_t *age)
{
    const resplint_field *f = rlint_first(c, RLINT_F_AGE);
    if (!f || c->count[RLINT_F_AGE] != 1)
        return false;
    const char *s;
    size_t n;
    rlint_field_trimmed(f, &s, &n);
    return rlint_parse_u64(s, n, age);
}

static int64_t iabs(int64_t v) { return v < 0 ? -v : v; }

void rlint_check_expires_max_age_disagree(rlint_ctx *c)
{
    const rlint_cc *cc = rlint_cc_of(c);
    int64_t delta;
    if (!cc->max_age_ok || !expires_delta(c, &delta))
        return;
    int64_t ma = cc->max_age;
    if (ma == 0 && delta <= 0)
        return; /* both say "already stale" */
    if (iabs(delta - ma) <= 60)
        return;
    uint64_t age;
    /* A cache may have rewritten Date: Expires - Date then equals max-age - Age. */
    if (age_value(c, &age) && iabs(delta - (ma - (int64_t)(age > RLINT_DELTA_MAX
                                                               ? RLINT_DELTA_MAX
                                                               : age))) <= 60)
        return;
    /* RFC 9111 §5.3: "If a response includes a Cache-Control header field with the max-age
     * directive, a recipient MUST ignore the Expires header field." */
    rlint_emit_field(c, RLINT_RL5008, (size_t)c->first[RLINT_F_EXPIRES],
                     "Expires is %lld s after Date but Cache-Control has max-age=%lld; caches "
                     "that know max-age use %lld s and ignore Expires (RFC 9111 §5.3), while "
                     "HTTP/1.0 caches use %lld s",
                     (long long)delta, (long long)ma, (long long)ma,
                     (long long)(delta > 0 ? delta : 0));
}

/* ---- RL5009 ---- */

void rlint_check_heuristic_freshness(rlint_ctx *c)
{
    int st = c->resp->status;
    if (!heuristic_status(st) || !method_cacheable(c) || rlint_has(c, RLINT_F_EXPIRES))
        return;
    if (c->fields_incomplete)
        return; /* a cut head may have carried the lifetime */
    const rlint_cc *cc = rlint_cc_of(c);
    if (cc->count[RLINT_CC_MAX_AGE] || cc->count[RLINT_CC_S_MAXAGE] || has_no_store(cc) ||
        cc->no_cache_bare)
        return;
    /* RFC 9111 §4.2.2: "Since origin servers do not always provide explicit expiration
     * times, a cache MAY assign a heuristic expiration time when an explicit time is not
     * specified"; "a typical setting of this fraction might be 10%". */
    int64_t lm, d;
    if (rlint_field_date(c, RLINT_F_LAST_MODIFIED, &lm) && rlint_field_date(c, RLINT_F_DATE, &d) &&
        d > lm)
        rlint_emit_status(c, RLINT_RL5009,
                          "no max-age, s-maxage or Expires: caches may pick a lifetime, often "
                          "10%% of the %lld s since Last-Modified (RFC 9111 §4.2.2)",
                          (long long)(d - lm));
    else
        rlint_emit_status(c, RLINT_RL5009, "no max-age, s-maxage or Expires: caches may pick a "
                                           "lifetime (RFC 9111 §4.2.2)");
}

/* ---- RL5010 ---- */

void rlint_check_age_invalid(rlint_ctx *c)
{
    for (long i = c->first[RLINT_F_AGE]; i >= 0; i = rlint_next(c, RLINT_F_AGE, i)) {
        const char *s;
        size_t n;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        if (rlint_delay_seconds(s, n) || !rlint_value_clean(c, s, n))
            continue;
        char q[96];
        rlint_quote(q, sizeof q, s, n, 60);
        /* RFC 9111 §5.1: Age = delta-seconds; "If the field value is invalid, a cache SHOULD
         * ignore the field". */
        rlint_emit_field(c, RLINT_RL5010, (size_t)i,
                         "Age: %s is not delta-seconds (1*DIGIT); RFC 9111 §5.1: caches SHOULD "
                         "ignore an invalid Age, so they count the response's age from Date "
                         "alone",
                         q);
    }
}

/* ---- RL5011 ---- */

static void quote_field_value(char *out, size_t cap, const resplint_field *f)
{
    rlint_quote(out, cap, f->value, f->value_len, 60);
}

void rlint_check_last_modified_after_date(rlint_ctx *c)
{
    rlint_date_form fl = rlint_field_date_form(c, RLINT_F_LAST_MODIFIED);
    rlint_date_form fd = rlint_field_date_form(c, RLINT_F_DATE);
    if (fl == RLINT_DATE_INVALID || fd == RLINT_DATE_INVALID)
        return;
    /* two IMF-fixdates (nearly always) are ordered without computing their times */
    if (fl == RLINT_DATE_IMF && fd == RLINT_DATE_IMF &&
        rlint_imf_cmp(c, RLINT_F_LAST_MODIFIED, RLINT_F_DATE) <= 0)
        return;
    int64_t lm, d;
    rlint_field_date(c, RLINT_F_LAST_MODIFIED, &lm);
    rlint_field_date(c, RLINT_F_DATE, &d);
    if (lm - d < 1)
        return;
    char ql[96], qd[96];
    quote_field_value(ql, sizeof ql, rlint_first(c, RLINT_F_LAST_MODIFIED));
    quote_field_value(qd, sizeof qd, rlint_first(c, RLINT_F_DATE));
    /* RFC 9110 §8.8.2.1: "An origin server with a clock ... MUST NOT generate a
     * Last-Modified date that is later than the server's time of message origination
     * (Date)." */
    rlint_emit_field(c, RLINT_RL5011, (size_t)c->first[RLINT_F_LAST_MODIFIED],
                     "Last-Modified (%s) is %lld s later than Date (%s); RFC 9110 §8.8.2.1: an "
                     "origin server MUST NOT send a Last-Modified later than Date; caches and "
                     "clients comparing the two see a resource modified in the future",
                     ql, (long long)(lm - d), qd);
}

/* ---- RL5013-RL5017 ---- */

void rlint_check_vary_invalid(rlint_ctx *c)
{
    if (!rlint_vary_of(c)->invalid)
        return;
    for (long i = c->first[RLINT_F_VARY]; i >= 0; i = rlint_next(c, RLINT_F_VARY, i)) {
        const resplint_field *f = &c->resp->fields[i];
        if (!rlint_value_clean(c, f->value, f->value_len))
            continue;
        const char *p = f->value, *e = f->value + f->value_len, *el, *bad = NULL;
        size_t elen, bad_len = 0;
        unsigned n = 0;
        while (rlint_list_next(&p, e, &el, &elen))
            if (!(elen == 1 && el[0] == '*') && !rlint_is_token(el, elen) && n++ == 0) {
                bad = el;
                bad_len = elen;
            }
        if (!n)
            continue;
        char q[96], more[48] = "";
        rlint_quote(q, sizeof q, bad, bad_len, 60);
        if (n > 1)
            snprintf(more, sizeof more, " (and %u more on this line)", n - 1);
        /* RFC 9110 §12.5.5: Vary = #( "*" / field-name ) */
        rlint_emit_field(c, RLINT_RL5013, (size_t)i,
                         "Vary member \"%s\" is neither \"*\" nor a field name%s; caches cannot "
                         "match requests on it: some never reuse the response, others ignore "
                         "the member",
                         q, more);
    }
}

void rlint_check_vary_star_mixed(rlint_ctx *c)
{
    const rlint_vary *v = rlint_vary_of(c);
    if (!v->star || !v->names)
        return;
    /* RFC 9110 §12.5.5: "A Vary field value containing a member "*" signals that other
     * aspects of the request might have played a role"; RFC 9111 §4.1: it "always fails to
     * match", whatever else is listed. */
    rlint_emit_field(c, RLINT_RL5014, (size_t)c->first[RLINT_F_VARY],
                     "Vary has \"*\" and %u field name%s; \"*\" alone decides (a stored response "
                     "with Vary: * never matches), so the names have no effect",
                     (unsigned)v->names, v->names == 1 ? "" : "s");
}

void rlint_check_vary_star_cacheable(rlint_ctx *c)
{
    const rlint_vary *v = rlint_vary_of(c);
    if (!v->star)
        return;
    const rlint_cc *cc = rlint_cc_of(c);
    char what[64];
    if (!explicit_fresh(c, cc, what, sizeof what)) {
        if (!cc->count[RLINT_CC_PUBLIC])
            return;
        snprintf(what, sizeof what, "public");
    }
    /* RFC 9111 §4.1: "A stored response with a Vary header field value containing a member
     * "*" always fails to match." */
    rlint_emit_field(c, RLINT_RL5015, (size_t)c->first[RLINT_F_VARY],
                     "Vary: * on a response with %s; RFC 9111 §4.1: a stored response with Vary "
                     "\"*\" always fails to match, so caches can never reuse it and %s buys "
                     "nothing",
                     what, what);
}

void rlint_check_vary_member_repeated(rlint_ctx *c)
{
    const rlint_vary *v = rlint_vary_of(c);
    if (v->names < 2)
        return;
    seen_names seen;
    seen.n = 0;
    for (long i = c->first[RLINT_F_VARY]; i >= 0; i = rlint_next(c, RLINT_F_VARY, i)) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *e = f->value + f->value_len, *el;
        size_t elen;
        while (rlint_list_next(&p, e, &el, &elen)) {
            if (!rlint_is_token(el, elen) || seen_count(&seen, el, elen) != 2)
                continue;
            char q[96];
            rlint_quote(q, sizeof q, el, elen, 60);
            /* RFC 9110 §12.5.5: Vary lists the request fields that select the response */
            rlint_emit_field(c, RLINT_RL5016, (size_t)i,
                             "Vary lists %s more than once (names are case-insensitive); "
                             "harmless, caches compare it once",
                             q);
        }
    }
}

void rlint_check_vary_user_agent(rlint_ctx *c)
{
    if (!rlint_vary_of(c)->user_agent)
        return;
    /* RFC 9110 §12.5.5: "Vary might be elided when the variance is ... less significant than
     * Vary's performance impact on caching" */
    rlint_emit_field(c, RLINT_RL5017, (size_t)c->first[RLINT_F_VARY],
                     "Vary lists User-Agent: caches keep a separate copy for every browser "
                     "version string, so hit rates collapse; vary on a smaller signal (Client "
                     "Hints) or serve one response");
}

/* ---- RL5018 ---- */

/* The first coding other than identity, or NULL. */
static bool coded(const rlint_ctx *c, const char **coding, size_t *clen)
{
    for (long i = c->first[RLINT_F_CONTENT_ENCODING]; i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_ENCODING, i)) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *e = f->value + f->value_len, *el;
        size_t elen;
        while (rlint_list_next(&p, e, &el, &elen))
            if (!rlint_ieq(el, elen, "identity")) {
                *coding = el;
                *clen = elen;
                return true;
            }
    }
    return false;
}

void rlint_check_compressed_without_vary(rlint_ctx *c)
{
    const char *coding;
    size_t clen;
    if (!coded(c, &coding, &clen))
        return;
    if (rlint_has(c, RLINT_F_VARY)) {
        const rlint_vary *v = rlint_vary_of(c);
        if (v->star || v->accept_encoding)
            return;
    } else if (c->fields_incomplete) {
        return; /* the Vary line may be in the part of the head that was cut */
    }
    const rlint_cc *cc = rlint_cc_of(c);
    if (!storable(c, cc))
        return;
    char q[96];
    rlint_quote(q, sizeof q, coding, clen, 40);
    /* RFC 9110 §12.5.5: "An origin server SHOULD generate a Vary header field on a cacheable
     * response when it wishes that response to be selectively reused for subsequent
     * requests." */
    rlint_emit_field(c, RLINT_RL5018, (size_t)c->first[RLINT_F_CONTENT_ENCODING],
                     "Content-Encoding: %s on a storable response whose Vary does not list "
                     "Accept-Encoding%s; a shared cache may serve these %s bytes to clients "
                     "whose Accept-Encoding does not allow %s (RFC 9110 §12.5.5, §12.5.3)",
                     q, rlint_has(c, RLINT_F_VARY) ? "" : " (there is no Vary)", q, q);
}

/* ---- RL5019 ---- */

void rlint_check_set_cookie_shared_cacheable(rlint_ctx *c)
{
    if (c->resp->status < 200 || !rlint_has(c, RLINT_F_SET_COOKIE))
        return;
    const rlint_cc *cc = rlint_cc_of(c);
    if (has_no_store(cc) || cc->private_bare || cc->no_cache_bare || cc->private_cookie ||
        cc->no_cache_cookie)
        return;
    bool has;
    const char *from = NULL;
    int64_t life = shared_lifetime(c, cc, &has, &from);
    char why[96];
    if (has && life > 0)
        snprintf(why, sizeof why, "shared caches may store for %lld s (%s)", (long long)life,
                 from);
    else if (!has && cc->count[RLINT_CC_PUBLIC])
        snprintf(why, sizeof why, "marked public with no lifetime (caches pick a heuristic one)");
    else
        return;
    /* RFC 9111 §7.3: "the Set-Cookie response header field ... does not inhibit caching; a
     * cacheable response with a Set-Cookie header field can be (and often is) used to satisfy
     * subsequent requests to caches. Servers that wish to control caching of these responses
     * are encouraged to emit appropriate Cache-Control response header fields." */
    rlint_emit_field(c, RLINT_RL5019, (size_t)c->first[RLINT_F_SET_COOKIE],
                     "Set-Cookie on a response %s: every client served from a shared cache gets "
                     "this cookie (RFC 9111 §7.3); add private=\"Set-Cookie\" or no-cache="
                     "\"Set-Cookie\", or make the response private",
                     why);
}

/* ---- RL5020 ---- */

void rlint_check_pragma_in_response(rlint_ctx *c)
{
    long i = c->first[RLINT_F_PRAGMA];
    if (i < 0)
        return;
    char q[96];
    quote_field_value(q, sizeof q, &c->resp->fields[i]);
    /* RFC 9111 §5.4: "this specification deprecates Pragma"; "the meaning of "Pragma:
     * no-cache" in responses was never specified". */
    if (rlint_has(c, RLINT_F_CACHE_CONTROL))
        rlint_emit_field(c, RLINT_RL5020, (size_t)i,
                         "Pragma: %s in a response; RFC 9111 §5.4 deprecates Pragma and never "
                         "gave it a meaning in responses; Cache-Control is present and is what "
                         "caches follow",
                         q);
    else
        rlint_emit_field(c, RLINT_RL5020, (size_t)i,
                         "Pragma: %s in a response without Cache-Control; RFC 9111 §5.4: its "
                         "meaning in responses was never specified, so caches may ignore it and "
                         "this response has no caching instruction they must follow",
                         q);
}

/* ---- RL5021, RL5022: Structured Fields (RFC 9651, lib/core/sf.c) ---- */

#define SF_NODES 128

static const char *sf_type_name(rlint_sf_type t)
{
    static const char *const names[] = {"an Integer", "a Decimal", "a String",   "a Token",
                                        "a Byte Sequence", "a Boolean", "a Date", "a Display String",
                                        "an Inner List"};
    return (size_t)t < RLINT_ARRAY_LEN(names) ? names[t] : "?";
}

/* A node's value as written (a String with its quotes). */
static void sf_value(char *out, size_t cap, const rlint_sf_node *n)
{
    char q[64];
    rlint_quote(q, sizeof q, n->text, n->len, 40);
    snprintf(out, cap, n->type == RLINT_SF_STRING ? "\"%s\"" : "%s", q);
}

/* Parses each line of field f as top (joining lines with commas, as RFC 9651 §4.2 does, is the
 * same as reading them one by one, except that an empty line then makes an empty member). For
 * each line, fn judges the parsed nodes; a line that does not parse is reported by bad. */
typedef void (*sf_line_fn)(rlint_ctx *c, long i, const rlint_sf_node *nodes,
                           const rlint_sf_result *res);

static void sf_lines(rlint_ctx *c, rlint_field_id f, rlint_sf_top top, rlint_rule_id rule,
                     const char *name, const char *what, const char *effect, sf_line_fn fn)
{
    rlint_sf_node nodes[SF_NODES];
    for (long i = c->first[f]; i >= 0; i = rlint_next(c, f, i)) {
        const char *s;
        size_t n;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        if (!rlint_value_clean(c, s, n))
            continue;
        rlint_sf_result res;
        int rc = n == 0 && c->count[f] > 1 ? -1 : rlint_sf_parse(s, n, top, nodes, SF_NODES, &res);
        if (rc == -1) {
            char q[128];
            rlint_quote(q, sizeof q, s, n, 80);
            rlint_emit_field(c, rule, (size_t)i,
                             "%s: %s is not a Structured Field %s (%s at character %zu); %s",
                             name, q, what,
                             n == 0 ? "an empty line among several makes an empty member"
                                    : res.error,
                             n == 0 ? 1 : res.error_at + 1, effect);
            continue;
        }
        if (rc == -2)
            res.count = SF_NODES; /* the first SF_NODES nodes are judged */
        fn(c, i, nodes, &res);
    }
}

static const rlint_sf_node *sf_bad_param(const rlint_sf_node *nodes, const rlint_sf_result *res,
                                         const rlint_sf_node *m, const char **want)
{
    static const struct {
        const char *key;
        rlint_sf_type t1, t2;
        const char *want;
    } defined[] = {
        /* RFC 9211 §2.1-2.8 */
        {"hit", RLINT_SF_BOOLEAN, RLINT_SF_BOOLEAN, "a Boolean"},
        {"fwd", RLINT_SF_TOKEN, RLINT_SF_TOKEN, "a Token"},
        {"fwd-status", RLINT_SF_INTEGER, RLINT_SF_INTEGER, "an Integer"},
        {"ttl", RLINT_SF_INTEGER, RLINT_SF_INTEGER, "an Integer"},
        {"stored", RLINT_SF_BOOLEAN, RLINT_SF_BOOLEAN, "a Boolean"},
        {"collapsed", RLINT_SF_BOOLEAN, RLINT_SF_BOOLEAN, "a Boolean"},
        {"key", RLINT_SF_STRING, RLINT_SF_STRING, "a String"},
        {"detail", RLINT_SF_TOKEN, RLINT_SF_STRING, "a Token or a String"},
    };
    for (uint32_t j = 0; j < m->nparams; j++) {
        size_t at = m->params + j;
        if (at >= res->count)
            break;
        const rlint_sf_node *p = &nodes[at];
        for (size_t k = 0; k < RLINT_ARRAY_LEN(defined); k++)
            if (rlint_ieq(p->key, p->key_len, defined[k].key) &&
                strlen(defined[k].key) == p->key_len && p->type != defined[k].t1 &&
                p->type != defined[k].t2) {
                *want = defined[k].want;
                return p;
            }
    }
    return NULL;
}

static void cache_status_line(rlint_ctx *c, long i, const rlint_sf_node *nodes,
                              const rlint_sf_result *res)
{
    unsigned k = 0;
    for (size_t m = 0; m < res->count; m = nodes[m].next, k++) {
        const rlint_sf_node *n = &nodes[m];
        char q[72];
        sf_value(q, sizeof q, n);
        if (n->type != RLINT_SF_TOKEN && n->type != RLINT_SF_STRING) {
            /* RFC 9211 §2: "this identifier MUST be a String or Token" */
            rlint_emit_field(c, RLINT_RL5021, (size_t)i,
                             "Cache-Status member %u (%s) is %s; RFC 9211 §2: the cache's "
                             "identifier MUST be a String or a Token, so tools reading the "
                             "field cannot tell which cache this entry is about",
                             k + 1, q, sf_type_name(n->type));
            continue;
        }
        const char *want = NULL;
        const rlint_sf_node *p = sf_bad_param(nodes, res, n, &want);
        if (p) {
            char pk[48], pv[64];
            rlint_quote(pk, sizeof pk, p->key, p->key_len, 40);
            sf_value(pv, sizeof pv, p);
            rlint_emit_field(c, RLINT_RL5021, (size_t)i,
                             "Cache-Status member %u (%s) has %s=%s, %s; RFC 9211 §2 defines %s "
                             "as %s, so tools reading the field may reject or misread it",
                             k + 1, q, pk, pv, sf_type_name(p->type), pk, want);
        }
        if (m >= res->count || n->next <= m)
            break;
    }
}

void rlint_check_cache_status_invalid(rlint_ctx *c)
{
    if (!rlint_has(c, RLINT_F_CACHE_STATUS))
        return;
    sf_lines(c, RLINT_F_CACHE_STATUS, RLINT_SF_LIST, RLINT_RL5021, "Cache-Status", "List",
             "RFC 9211 §2: Cache-Status is a List, and a field that fails to parse is ignored "
             "entirely (RFC 9651 §4.2)",
             cache_status_line);
}

static void cdn_cache_control_line(rlint_ctx *c, long i, const rlint_sf_node *nodes,
                                   const rlint_sf_result *res)
{
    for (size_t m = 0; m < res->count; m = nodes[m].next) {
        const rlint_sf_node *n = &nodes[m];
        rlint_cc_dir d = rlint_cc_classify(n->key, n->key_len);
        const char *want = NULL;
        if (d == RLINT_CC_MAX_AGE || d == RLINT_CC_S_MAXAGE || d == RLINT_CC_SWR ||
            d == RLINT_CC_SIE) {
            if (n->type != RLINT_SF_INTEGER || n->num < 0)
                want = "a non-negative Integer";
        } else if (d == RLINT_CC_NO_CACHE || d == RLINT_CC_PRIVATE) {
            if (!(n->type == RLINT_SF_BOOLEAN && n->num == 1) && n->type != RLINT_SF_STRING)
                want = "Boolean true or a String (a list of field names)";
        } else if (d != RLINT_CC_OTHER) {
            if (!(n->type == RLINT_SF_BOOLEAN && n->num == 1))
                want = "Boolean true (the key alone)";
        }
        if (want) {
            /* RFC 9213 §2.1: "Implementations MUST NOT generate values that violate these
             * inferred constraints on the Cache-Control directive's value." */
            char pk[48], pv[64];
            rlint_quote(pk, sizeof pk, n->key, n->key_len, 40);
            sf_value(pv, sizeof pv, n);
            rlint_emit_field(c, RLINT_RL5022, (size_t)i,
                             "CDN-Cache-Control %s=%s is %s%s; RFC 9213 §2.1: %s must be %s, and "
                             "implementations SHOULD NOT consume a value that violates this, so "
                             "CDNs may drop the directive",
                             pk, pv, n->type == RLINT_SF_INTEGER && n->num < 0 ? "a negative " : "",
                             n->type == RLINT_SF_INTEGER && n->num < 0 ? "Integer"
                                                                       : sf_type_name(n->type),
                             pk, want);
        }
        if (n->next <= m)
            break;
    }
}

void rlint_check_cdn_cache_control_invalid(rlint_ctx *c)
{
    if (!rlint_has(c, RLINT_F_CDN_CACHE_CONTROL))
        return;
    /* all lines empty: an empty Dictionary, which RFC 9213 §2 does not allow to mean anything */
    bool empty = true;
    for (long i = c->first[RLINT_F_CDN_CACHE_CONTROL]; i >= 0 && empty;
         i = rlint_next(c, RLINT_F_CDN_CACHE_CONTROL, i)) {
        const char *s;
        size_t n;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        empty = n == 0;
    }
    if (empty) {
        rlint_emit_field(c, RLINT_RL5022, (size_t)c->first[RLINT_F_CDN_CACHE_CONTROL],
                         "CDN-Cache-Control is empty; RFC 9213 §2.2: an empty field is ignored, "
                         "so CDNs use Cache-Control instead (RFC 9213 §3.1 sends \"none\" to "
                         "target CDNs with no directive)");
        return;
    }
    sf_lines(c, RLINT_F_CDN_CACHE_CONTROL, RLINT_SF_DICT, RLINT_RL5022, "CDN-Cache-Control",
             "Dictionary",
             "RFC 9213 §2.1: a field that fails to parse MUST be ignored, so CDNs fall back on "
             "Cache-Control (keys are lower case: max-age, not Max-Age)",
             cdn_cache_control_line);
}

/* ---- RL5012 ---- */

void rlint_check_not_modified_missing_fields(rlint_ctx *c)
{
    /* the comparison with the latest earlier 200 to GET of the same URL lives with the
     * input's memory (lib/core/xchg.c), which a capture checked in parts defers */
    if (c->resp->status == 304)
        rlint_xchg_not_modified(c);
}
