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
    /* Names are case-insensitive (RFC 9111 §5.2); the length leaves one to three candidates. */
    static const uint8_t by_len[23][3] = {
        [6] = {RLINT_CC_PUBLIC, RLINT_CC_OTHER, RLINT_CC_OTHER},
        [7] = {RLINT_CC_MAX_AGE, RLINT_CC_PRIVATE, RLINT_CC_OTHER},
        [8] = {RLINT_CC_S_MAXAGE, RLINT_CC_NO_STORE, RLINT_CC_NO_CACHE},
        [9] = {RLINT_CC_IMMUTABLE, RLINT_CC_OTHER, RLINT_CC_OTHER},
        [12] = {RLINT_CC_NO_TRANSFORM, RLINT_CC_OTHER, RLINT_CC_OTHER},
        [14] = {RLINT_CC_SIE, RLINT_CC_OTHER, RLINT_CC_OTHER},
        [15] = {RLINT_CC_MUST_REVALIDATE, RLINT_CC_MUST_UNDERSTAND, RLINT_CC_OTHER},
        [16] = {RLINT_CC_PROXY_REVALIDATE, RLINT_CC_OTHER, RLINT_CC_OTHER},
        [22] = {RLINT_CC_SWR, RLINT_CC_OTHER, RLINT_CC_OTHER},
    };
    if (n >= RLINT_ARRAY_LEN(by_len))
        return RLINT_CC_OTHER;
    for (int k = 0; k < 3; k++) {
        unsigned d = by_len[n][k];
        if (d == 0 && k > 0)
            break; /* (RLINT_CC_MAX_AGE is 0: only ever first) */
        if (d != RLINT_CC_OTHER && rlint_ieq_name(s, cc_names[d].name, n))
            return (rlint_cc_dir)d;
    }
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

bool rlint_cc_names_valid(const rlint_cc_member *m)
{
    char buf[256];
    const char *s, *bad;
    size_t n, bad_len;
    arg_text(m, buf, sizeof buf, &s, &n);
    return rlint_field_name_list(s, n, &bad, &bad_len);
}

/* Adds one member to the summary. Whether a known directive's argument is one RL5002 or RL5003
 * would judge (wrong, or right in the wrong form) is decided here once, so that those checks
 * skip the common response. */
static void record(rlint_cc *cc, const rlint_cc_member *m)
{
    if (!m->valid) {
        cc->invalid++;
        return;
    }
    cc->members++;
    if (m->dir == RLINT_CC_OTHER) {
        cc->other++;
        return;
    }
    unsigned seen = cc->count[m->dir];
    if (seen < UINT8_MAX)
        cc->count[m->dir]++;
    if (seen)
        cc->repeated = true;
    uint64_t v = 0;
    bool ok;
    switch (m->dir) {
    case RLINT_CC_MAX_AGE:
    case RLINT_CC_S_MAXAGE:
    case RLINT_CC_SWR:
    case RLINT_CC_SIE:
        if (m->form == RLINT_CC_ARG_TOKEN && m->arg_len <= 9) {
            /* the common case, read here: up to 9 digits cannot pass RLINT_DELTA_MAX */
            ok = true;
            for (size_t i = 0; i < m->arg_len; i++) {
                unsigned dgt = (unsigned)(m->arg[i] - '0');
                ok &= dgt <= 9;
                v = v * 10 + dgt;
            }
            if (v > RLINT_DELTA_MAX)
                v = RLINT_DELTA_MAX;
        } else {
            ok = rlint_cc_seconds(m, &v);
        }
        if (!ok || m->form != RLINT_CC_ARG_TOKEN)
            cc->odd_args = true;
        /* RFC 9111 §4.2.1: "the first occurrence should be used" */
        if (!seen && ok && m->dir == RLINT_CC_MAX_AGE) {
            cc->max_age_ok = true;
            cc->max_age = (uint32_t)v;
        } else if (!seen && ok && m->dir == RLINT_CC_S_MAXAGE) {
            cc->s_maxage_ok = true;
            cc->s_maxage = (uint32_t)v;
        }
        break;
    case RLINT_CC_NO_CACHE:
    case RLINT_CC_PRIVATE:
        if (m->form == RLINT_CC_ARG_TOKEN ||
            (m->form == RLINT_CC_ARG_QUOTED && !rlint_cc_names_valid(m)))
            cc->odd_args = true;
        if (m->form == RLINT_CC_ARG_NONE)
            *(m->dir == RLINT_CC_PRIVATE ? &cc->private_bare : &cc->no_cache_bare) = true;
        else if (rlint_cc_names_field(m, "set-cookie"))
            *(m->dir == RLINT_CC_PRIVATE ? &cc->private_cookie : &cc->no_cache_cookie) = true;
        break;
    default:
        if (m->form != RLINT_CC_ARG_NONE)
            cc->odd_args = true;
        break;
    }
}

/* The common line, `token[=token]` members separated by commas and OWS, read in one pass;
 * false at the first byte of anything else (the caller then starts over with the full
 * parser). */
static bool simple_line(rlint_cc *cc, const char *p, const char *e)
{
    rlint_cc_member m;
    m.valid = true;
    m.why = NULL;
    m.at = 0;
    while (p < e) {
        if (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
            continue;
        }
        const char *start = p;
        while (p < e && tchar(*p))
            p++;
        if (p == start)
            return false;
        m.name = m.text = start;
        m.name_len = (size_t)(p - start);
        m.arg = NULL;
        m.arg_len = 0;
        m.form = RLINT_CC_ARG_NONE;
        if (p < e && *p == '=') {
            const char *a = ++p;
            while (p < e && tchar(*p))
                p++;
            if (p == a)
                return false;
            m.arg = a;
            m.arg_len = (size_t)(p - a);
            m.form = RLINT_CC_ARG_TOKEN;
        }
        m.len = (size_t)(p - start);
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (p < e && *p != ',')
            return false;
        m.dir = rlint_cc_classify(m.name, m.name_len);
        record(cc, &m);
    }
    return true;
}

static void summarize_cc(const rlint_ctx *c, rlint_cc *cc)
{
    memset(cc, 0, sizeof *cc);
    bool simple = true;
    for (long i = c->first[RLINT_F_CACHE_CONTROL]; i >= 0 && simple;
         i = c->count[RLINT_F_CACHE_CONTROL] > 1 ? rlint_next(c, RLINT_F_CACHE_CONTROL, i) : -1) {
        const resplint_field *f = &c->resp->fields[i];
        simple = simple_line(cc, f->value, f->value + f->value_len);
    }
    if (!simple) {
        memset(cc, 0, sizeof *cc);
        rlint_cc_iter it;
        rlint_cc_member m;
        rlint_cc_begin(&it, c);
        while (rlint_cc_next(&it, &m))
            record(cc, &m);
    }
    cc->notable = cc->invalid || cc->odd_args || cc->repeated || cc->other ||
                  cc->count[RLINT_CC_NO_STORE] || cc->count[RLINT_CC_PRIVATE] ||
                  cc->count[RLINT_CC_IMMUTABLE];
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

/* One member; token: already known to be one. */
static void vary_member(rlint_vary *v, const char *el, size_t elen, bool token)
{
    if (elen == 1 && el[0] == '*') {
        v->star = true;
        return;
    }
    if (!token && !rlint_is_token(el, elen)) {
        v->invalid++;
        return;
    }
    v->names++;
    if (elen == 15 && rlint_ieq_name(el, "accept-encoding", 15))
        v->accept_encoding = true;
    else if (elen == 10 && rlint_ieq_name(el, "user-agent", 10))
        v->user_agent = true;
}

/* A line of tokens separated by commas and OWS, in one pass; false (with the members before the
 * odd byte recorded) at anything else, whose rest the list parser then reads. */
static bool vary_simple(rlint_vary *v, const char **pp, const char *e)
{
    const char *p = *pp;
    while (p < e) {
        *pp = p;
        if (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
            continue;
        }
        const char *start = p;
        while (p < e && tchar(*p))
            p++;
        size_t n = (size_t)(p - start);
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (n == 0 || (p < e && *p != ','))
            return false;
        vary_member(v, start, n, true);
    }
    *pp = e;
    return true;
}

static void summarize_vary(const rlint_ctx *c, rlint_vary *v)
{
    memset(v, 0, sizeof *v);
    for (long i = c->first[RLINT_F_VARY]; i >= 0;
         i = c->count[RLINT_F_VARY] > 1 ? rlint_next(c, RLINT_F_VARY, i) : -1) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *e = f->value + f->value_len, *el;
        size_t elen;
        if (f->value_len == 15 && rlint_ieq_name(p, "accept-encoding", 15)) {
            vary_member(v, p, 15, true); /* the usual value, compared at once */
            continue;
        }
        if (vary_simple(v, &p, e))
            continue;
        while (rlint_list_next(&p, e, &el, &elen))
            vary_member(v, el, elen, false);
    }
}

const rlint_vary *rlint_vary_of(rlint_ctx *c)
{
    if (!(c->lazy & RLINT_LAZY_VARY)) {
        summarize_vary(c, &c->vary);
        c->vary.notable = c->vary.invalid || c->vary.star || c->vary.names > 1 ||
                          c->vary.user_agent;
        c->lazy |= RLINT_LAZY_VARY;
    }
    return &c->vary;
}

/* ---- timestamps ---- */


void rlint_field_date_load(rlint_ctx *c, int k, rlint_field_id f)
{
    const resplint_field *fl = rlint_first(c, f);
    c->lazy |= (unsigned)RLINT_LAZY_DATE << k;
    c->date_form[k] = RLINT_DATE_INVALID;
    if (!fl)
        return;
    const char *s;
    size_t n;
    int m = 0;
    rlint_field_trimmed(fl, &s, &n);
    c->date_form[k] = (uint8_t)rlint_http_date_month(s, n, &m);
    c->date_month[k] = (int8_t)m;
    c->date_text[k] = s;
}

bool rlint_field_date(rlint_ctx *c, rlint_field_id f, int64_t *out)
{
    rlint_date_form form = rlint_field_date_form(c, f);
    if (form == RLINT_DATE_INVALID)
        return false;
    int k = rlint_date_slot(f);
    if (!(c->lazy & ((unsigned)RLINT_LAZY_SECS << k))) {
        c->date_secs[k] = rlint_http_date_secs(c->date_text[k], form, c->date_month[k]);
        c->lazy |= (unsigned)RLINT_LAZY_SECS << k;
    }
    *out = c->date_secs[k];
    return true;
}

/* 8 bytes as a big-endian number: text of digits then compares as numbers. */
static uint64_t be64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

int rlint_imf_cmp(const rlint_ctx *c, rlint_field_id a, rlint_field_id b)
{
    /* Sun, 06 Nov 1994 08:49:37 GMT: the year is bytes 12-15, the day 5-6, the time 17-24 */
    int ka = rlint_date_slot(a), kb = rlint_date_slot(b);
    const char *x = c->date_text[ka], *y = c->date_text[kb];
    /* bytes 10-17 hold "v 1994 0" (the year and more), 17-24 the time */
    uint64_t yx = be64(x + 10) & 0x0000FFFFFFFF0000ull, yy = be64(y + 10) & 0x0000FFFFFFFF0000ull;
    if (yx != yy)
        return yx < yy ? -1 : 1;
    if (c->date_month[ka] != c->date_month[kb])
        return c->date_month[ka] < c->date_month[kb] ? -1 : 1;
    if (x[5] != y[5] || x[6] != y[6])
        return (x[5] << 8 | x[6]) < (y[5] << 8 | y[6]) ? -1 : 1;
    uint64_t tx = be64(x + 17), ty = be64(y + 17);
    return tx < ty ? -1 : tx > ty;
}
