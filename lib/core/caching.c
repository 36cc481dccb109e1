/* The caching grammars every RL5xxx check shares: Cache-Control members (RFC 9111 §5.2),
 * Vary (RFC 9110 §12.5.5), Age (RFC 9111 §5.1) and HTTP-dates as seconds. A response's
 * Cache-Control and Vary are summarised once, on first use, for all the checks. */
#include "internal.h"

#include <string.h>

static bool tchar(char ch) { return rlint_is_tchar((unsigned char)ch); }

/* ---- Cache-Control ---- */

static const struct {
    const char *name;
    size_t len;
} cc_names[RLINT_CC_KNOWN] = {
#define N(s) {s, sizeof(s) - 1}
    [RLINT_CC_MAX_AGE] = N("max-age"),
    [RLINT_CC_S_MAXAGE] = N("s-maxage"),
    [RLINT_CC_SWR] = N("stale-while-revalidate"),
    [RLINT_CC_SIE] = N("stale-if-error"),
    [RLINT_CC_NO_STORE] = N("no-store"),
    [RLINT_CC_NO_TRANSFORM] = N("no-transform"),
    [RLINT_CC_PUBLIC] = N("public"),
    [RLINT_CC_MUST_REVALIDATE] = N("must-revalidate"),
    [RLINT_CC_PROXY_REVALIDATE] = N("proxy-revalidate"),
    [RLINT_CC_MUST_UNDERSTAND] = N("must-understand"),
    [RLINT_CC_IMMUTABLE] = N("immutable"),
    [RLINT_CC_NO_CACHE] = N("no-cache"),
    [RLINT_CC_PRIVATE] = N("private"),
#undef N
};

const char *rlint_cc_name(rlint_cc_dir d) { return d < RLINT_CC_KNOWN ? cc_names[d].name : "?"; }

rlint_cc_dir rlint_cc_classify(const char *s, size_t n)
{
    /* Names are case-insensitive (RFC 9111 §5.2); the length picks the one candidate, except
     * for 8 (s-maxage, no-store, no-cache). */
    for (unsigned d = 0; d < RLINT_CC_KNOWN; d++)
        if (cc_names[d].len == n && rlint_ieq(s, n, cc_names[d].name))
            return (rlint_cc_dir)d;
    return RLINT_CC_OTHER;
}

bool rlint_cc_member_parse(const char *s, size_t n, rlint_cc_member *m)
{
    m->text = s;
    m->len = n;
    m->name = s;
    m->arg = NULL;
    m->arg_len = 0;
    m->form = RLINT_CC_ARG_NONE;
    m->why = NULL;
    m->at = 0;
    size_t i = 0;
    while (i < n && tchar(s[i]))
        i++;
    m->name_len = i;
    m->dir = rlint_cc_classify(s, i);
    m->valid = false;
    if (i == 0) {
        m->why = s[0] == '=' ? "the directive name is missing" : "the directive name is not a token";
        return false;
    }
    if (i == n) {
        m->valid = true;
        return true;
    }
    if (s[i] != '=') {
        m->at = i;
        m->why = s[i] == ' ' || s[i] == '\t'   ? "whitespace inside the member (a comma is missing, "
                                                 "or there are spaces around \"=\")"
                 : s[i] == ';'                 ? "\";\" after the directive (directives are "
                                                 "separated by commas, not semicolons)"
                                               : "a character that is not allowed in a token";
        return false;
    }
    size_t a = i + 1;
    if (a == n) {
        m->at = a;
        m->why = "\"=\" without an argument";
        return false;
    }
    m->arg = s + a;
    if (s[a] == '"') {
        size_t q = rlint_quoted_len(s + a, n - a);
        if (q == 0) {
            m->at = a;
            m->why = memchr(s + a + 1, '"', n - a - 1)
                         ? "the quoted-string holds a control character or a bad quoted-pair"
                         : "the closing double quote is missing";
            return false;
        }
        m->arg_len = q;
        m->form = RLINT_CC_ARG_QUOTED;
        if (a + q != n) {
            m->at = a + q;
            m->why = "characters after the closing double quote";
            return false;
        }
        m->valid = true;
        return true;
    }
    size_t k = a;
    while (k < n && tchar(s[k]))
        k++;
    m->arg_len = k - a;
    m->form = RLINT_CC_ARG_TOKEN;
    if (k == a) {
        m->at = a;
        m->why = s[a] == ' ' || s[a] == '\t' ? "whitespace after \"=\""
                                             : "the argument is neither a token nor a "
                                               "quoted-string";
        return false;
    }
    if (k != n) {
        m->at = k;
        m->why = s[k] == ' ' || s[k] == '\t' ? "whitespace inside the member (a comma is missing)"
                 : s[k] == ';'                ? "\";\" inside the argument (directives are "
                                               "separated by commas, not semicolons)"
                                             : "a character that is not allowed in a token";
        return false;
    }
    m->valid = true;
    return true;
}

bool rlint_cc_seconds(const rlint_cc_member *m, uint64_t *out)
{
    /* delta-seconds = 1*DIGIT (RFC 9111 §1.2.2) of the argument unquoted. A value greater than
     * a cache can represent it "MUST consider ... to be 2147483648". */
    if (m->form == RLINT_CC_ARG_NONE)
        return false;
    const char *s = m->arg;
    size_t n = m->arg_len;
    bool quoted = m->form == RLINT_CC_ARG_QUOTED;
    if (quoted) {
        s++;
        n -= 2;
    }
    if (n == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\' && quoted && i + 1 < n)
            ch = s[++i];
        if (ch < '0' || ch > '9')
            return false;
        if (v < RLINT_DELTA_MAX)
            v = v * 10 + (unsigned)(ch - '0');
    }
    *out = v > RLINT_DELTA_MAX ? RLINT_DELTA_MAX : v;
    return true;
}

bool rlint_field_name_list(const char *s, size_t n, const char **bad, size_t *bad_len)
{
    const char *p = s, *e = s + n, *el;
    size_t elen;
    while (rlint_list_next(&p, e, &el, &elen))
        if (!rlint_is_token(el, elen)) {
            *bad = el;
            *bad_len = elen;
            return false;
        }
    return true;
}

/* The argument's text: a token as is, a quoted-string unquoted into buf (as written, quotes
 * dropped, when too long for buf). */
static void arg_text(const rlint_cc_member *m, char *buf, size_t cap, const char **s, size_t *n)
{
    *s = m->arg;
    *n = m->arg_len;
    if (m->form != RLINT_CC_ARG_QUOTED)
        return;
    size_t len = rlint_unquote(m->arg, m->arg_len, buf, cap);
    if (len == (size_t)-1) {
        *s = m->arg + 1;
        *n = m->arg_len - 2;
    } else {
        *s = buf;
        *n = len;
    }
}

bool rlint_cc_names_field(const rlint_cc_member *m, const char *lname)
{
    char buf[256];
    const char *p, *el;
    size_t len;
    arg_text(m, buf, sizeof buf, &p, &len);
    const char *e = p + len;
    size_t elen;
    while (rlint_list_next(&p, e, &el, &elen))
        if (rlint_ieq(el, elen, lname))
            return true;
    return false;
}

void rlint_cc_begin(rlint_cc_iter *it, const rlint_ctx *c)
{
    it->c = c;
    it->field = c->first[RLINT_F_CACHE_CONTROL];
    it->p = it->end = NULL;
    if (it->field >= 0) {
        const resplint_field *f = &c->resp->fields[it->field];
        it->p = f->value;
        it->end = f->value + f->value_len;
    }
}

bool rlint_cc_next(rlint_cc_iter *it, rlint_cc_member *m)
{
    while (it->field >= 0) {
        const char *el;
        size_t elen;
        if (rlint_list_next(&it->p, it->end, &el, &elen)) {
            rlint_cc_member_parse(el, elen, m);
            m->field = it->field;
            return true;
        }
        it->field = it->c->count[RLINT_F_CACHE_CONTROL] > 1
                        ? rlint_next(it->c, RLINT_F_CACHE_CONTROL, it->field)
                        : -1;
        if (it->field >= 0) {
            const resplint_field *f = &it->c->resp->fields[it->field];
            it->p = f->value;
            it->end = f->value + f->value_len;
        }
    }
    return false;
}

/* Whether a valid member's argument is one RL5002 or RL5003 would judge: wrong, or right in
 * the wrong form. Decided here once so that those checks skip the common response. */
static bool odd_argument(const rlint_cc_member *m)
{
    uint64_t v;
    switch (m->dir) {
    case RLINT_CC_MAX_AGE:
    case RLINT_CC_S_MAXAGE:
    case RLINT_CC_SWR:
    case RLINT_CC_SIE:
        return m->form != RLINT_CC_ARG_TOKEN || !rlint_cc_seconds(m, &v);
    case RLINT_CC_NO_CACHE:
    case RLINT_CC_PRIVATE:
        return m->form == RLINT_CC_ARG_TOKEN ||
               (m->form == RLINT_CC_ARG_QUOTED && !rlint_cc_names_valid(m));
    case RLINT_CC_OTHER:
        return false;
    default:
        return m->form != RLINT_CC_ARG_NONE;
    }
}

bool rlint_cc_names_valid(const rlint_cc_member *m)
{
    char buf[256];
    const char *s, *bad;
    size_t n, bad_len;
    arg_text(m, buf, sizeof buf, &s, &n);
    return rlint_field_name_list(s, n, &bad, &bad_len);
}

static void summarize_cc(const rlint_ctx *c, rlint_cc *cc)
{
    memset(cc, 0, sizeof *cc);
    rlint_cc_iter it;
    rlint_cc_member m;
    rlint_cc_begin(&it, c);
    while (rlint_cc_next(&it, &m)) {
        if (!m.valid) {
            cc->invalid++;
            continue;
        }
        cc->members++;
        if (m.dir == RLINT_CC_OTHER) {
            cc->other++;
            continue;
        }
        unsigned seen = cc->count[m.dir];
        if (cc->count[m.dir] < UINT8_MAX)
            cc->count[m.dir]++;
        if (odd_argument(&m))
            cc->odd_args = true;
        uint64_t v;
        switch (m.dir) {
        case RLINT_CC_MAX_AGE:
            /* RFC 9111 §4.2.1: "the first occurrence should be used" */
            if (!seen && rlint_cc_seconds(&m, &v)) {
                cc->max_age_ok = true;
                cc->max_age = (uint32_t)v;
            }
            break;
        case RLINT_CC_S_MAXAGE:
            if (!seen && rlint_cc_seconds(&m, &v)) {
                cc->s_maxage_ok = true;
                cc->s_maxage = (uint32_t)v;
            }
            break;
        case RLINT_CC_NO_CACHE:
            if (m.form == RLINT_CC_ARG_NONE)
                cc->no_cache_bare = true;
            else if (rlint_cc_names_field(&m, "set-cookie"))
                cc->no_cache_cookie = true;
            break;
        case RLINT_CC_PRIVATE:
            if (m.form == RLINT_CC_ARG_NONE)
                cc->private_bare = true;
            else if (rlint_cc_names_field(&m, "set-cookie"))
                cc->private_cookie = true;
            break;
        default:
            break;
        }
    }
}

const rlint_cc *rlint_cc_of(rlint_ctx *c)
{
    if (!(c->lazy & RLINT_LAZY_CC)) {
        summarize_cc(c, &c->cc);
        c->lazy |= RLINT_LAZY_CC;
    }
    return &c->cc;
}

/* ---- Vary ---- */

static void summarize_vary(const rlint_ctx *c, rlint_vary *v)
{
    memset(v, 0, sizeof *v);
    for (long i = c->first[RLINT_F_VARY]; i >= 0;
         i = c->count[RLINT_F_VARY] > 1 ? rlint_next(c, RLINT_F_VARY, i) : -1) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *e = f->value + f->value_len, *el;
        size_t elen;
        while (rlint_list_next(&p, e, &el, &elen)) {
            if (elen == 1 && el[0] == '*') {
                v->star = true;
                continue;
            }
            if (!rlint_is_token(el, elen)) {
                v->invalid++;
                continue;
            }
            v->names++;
            if (elen == 15 && rlint_ieq(el, elen, "accept-encoding"))
                v->accept_encoding = true;
            else if (elen == 10 && rlint_ieq(el, elen, "user-agent"))
                v->user_agent = true;
        }
    }
}

const rlint_vary *rlint_vary_of(rlint_ctx *c)
{
    if (!(c->lazy & RLINT_LAZY_VARY)) {
        summarize_vary(c, &c->vary);
        c->lazy |= RLINT_LAZY_VARY;
    }
    return &c->vary;
}

/* ---- timestamps ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* days since 1970-01-01 of a proleptic Gregorian date (m 1-12) */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static unsigned num(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] == ' ' ? 0 : s[i] - '0');
    return v;
}

static unsigned month_of(const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (unsigned m = 0; m < 12; m++)
        if (memcmp(months + 3 * m, s, 3) == 0)
            return m + 1;
    return 0;
}

bool rlint_http_date_seconds(const char *s, size_t n, int64_t *out)
{
    const char *why;
    size_t at;
    rlint_date_form form = rlint_http_date(s, n, &why, &at);
    unsigned y, mo, d;
    const char *t;
    switch (form) {
    case RLINT_DATE_IMF: /* Sun, 06 Nov 1994 08:49:37 GMT */
        d = num(s + 5, 2);
        mo = month_of(s + 8);
        y = num(s + 12, 4);
        t = s + 17;
        break;
    case RLINT_DATE_RFC850: { /* Sunday, 06-Nov-94 08:49:37 GMT */
        const char *p = memchr(s, ',', n);
        p += 2;
        d = num(p, 2);
        mo = month_of(p + 3);
        y = num(p + 7, 2);
        /* RFC 9110 §5.6.7 reads a two-digit year relative to the present; without a clock
         * the sliding window is fixed at 1970-2069. */
        y += y < 70 ? 2000 : 1900;
        t = p + 10;
        break;
    }
    case RLINT_DATE_ASCTIME: /* Sun Nov  6 08:49:37 1994 */
        mo = month_of(s + 4);
        d = num(s + 8, 2);
        y = num(s + 20, 4);
        t = s + 11;
        break;
    default:
        return false;
    }
    int64_t days = days_from_civil(y, mo, d);
    *out = days * 86400 + num(t, 2) * 3600 + num(t + 3, 2) * 60 + num(t + 6, 2);
    return true;
}

void rlint_field_trimmed(const resplint_field *f, const char **s, size_t *n)
{
    const char *p = f->value, *e = f->value + f->value_len;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *s = p;
    *n = (size_t)(e - p);
}

bool rlint_field_date(const rlint_ctx *c, rlint_field_id f, int64_t *out)
{
    const resplint_field *fl = rlint_first(c, f);
    if (!fl)
        return false;
    const char *s;
    size_t n;
    rlint_field_trimmed(fl, &s, &n);
    return rlint_http_date_seconds(s, n, out);
}
