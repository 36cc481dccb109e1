/* Set-Cookie as servers write it and browsers read it: one line split into its cookie-pair and
 * attributes (RFC 6265 §4.1.1, §5.2; draft-ietf-httpbis-rfc6265bis "Syntax" and "The
 * Set-Cookie Header Field"), and the user agent's cookie-date parser (RFC 6265 §5.1.1). */
#include "internal.h"

#include <string.h>

static bool wsp(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *n)
{
    const char *p = *s, *e = *s + *n;
    while (p < e && wsp(*p))
        p++;
    while (e > p && wsp(e[-1]))
        e--;
    *s = p;
    *n = (size_t)(e - p);
}

/* The attribute a name stands for: one candidate by length and first letter, then one
 * case-insensitive compare (a parse runs once per check and line: keep it short). */
static rlint_cookie_kind kind_of(const char *s, size_t n)
{
    rlint_cookie_kind k = RLINT_CAV_OTHER;
    const char *name = NULL;
    char first = n ? rlint_lower(s[0]) : 0;
    switch (n) {
    case 4:
        k = RLINT_CAV_PATH, name = "path";
        break;
    case 6:
        if (first == 'd')
            k = RLINT_CAV_DOMAIN, name = "domain";
        else
            k = RLINT_CAV_SECURE, name = "secure";
        break;
    case 7:
        if (first == 'e')
            k = RLINT_CAV_EXPIRES, name = "expires";
        else
            k = RLINT_CAV_MAX_AGE, name = "max-age";
        break;
    case 8:
        if (first == 'h')
            k = RLINT_CAV_HTTPONLY, name = "httponly";
        else
            k = RLINT_CAV_SAMESITE, name = "samesite";
        break;
    case 11:
        k = RLINT_CAV_PARTITIONED, name = "partitioned";
        break;
    default:
        return RLINT_CAV_OTHER;
    }
    return rlint_ieq(s, n, name) ? k : RLINT_CAV_OTHER;
}

/* Splits the attribute that starts at p (its text runs to the next ";" or the end). */
static void split_av(const char *line, const char *p, const char *end, rlint_cookie_av *a)
{
    const char *stop = memchr(p, ';', (size_t)(end - p));
    const char *ae = stop ? stop : end;
    a->off = (size_t)(p - line);
    a->len = (size_t)(ae - p);
    const char *aeq = memchr(p, '=', a->len);
    a->name = p;
    a->name_len = aeq ? (size_t)(aeq - p) : a->len;
    trim(&a->name, &a->name_len);
    a->value = NULL;
    a->value_len = 0;
    if (aeq) {
        a->value = aeq + 1;
        a->value_len = (size_t)(ae - a->value);
        trim(&a->value, &a->value_len);
    }
    a->kind = kind_of(a->name, a->name_len);
}

void rlint_cookie_parse(const char *s, size_t n, rlint_cookie *c)
{
    /* the attribute arrays are filled as they are read: only the scalars are cleared */
    c->line = s;
    c->line_len = n;
    c->has_eq = false;
    c->nav = 0;
    c->nkept = 0;
    memset(c->count, 0, sizeof c->count);
    /* 6265bis "Parsing": the name-value-pair is everything up to the first ";". */
    const char *semi = memchr(s, ';', n);
    size_t plen = semi ? (size_t)(semi - s) : n;
    c->pair = s;
    c->pair_len = plen;
    const char *eq = memchr(s, '=', plen);
    if (eq) {
        c->has_eq = true;
        c->name = s;
        c->name_len = (size_t)(eq - s);
        c->value = eq + 1;
        c->value_len = plen - c->name_len - 1;
        trim(&c->name, &c->name_len);
    } else {
        /* "If the name-value-pair string lacks a "=" character, then the name string is
         * empty, and the value string is the value of name-value-pair." */
        c->name = s;
        c->name_len = 0;
        c->value = s;
        c->value_len = plen;
    }
    trim(&c->value, &c->value_len);
    if (!semi)
        return;
    /* Every attribute is read (the storage model takes the last of each kind, so none may be
     * left unread); the first ones are kept split for the checks that walk them all. */
    const char *p = semi + 1, *end = s + n;
    for (;;) {
        rlint_cookie_av tmp;
        rlint_cookie_av *a = c->nkept < RLINT_COOKIE_MAX_ATTRS ? &c->av[c->nkept++] : &tmp;
        split_av(s, p, end, a);
        c->last[a->kind] = *a;
        c->count[a->kind]++;
        c->nav++;
        if (a->off + a->len == n)
            return;
        p = s + a->off + a->len + 1;
    }
}

const rlint_cookie_av *rlint_cookie_next(const rlint_cookie *c, rlint_cookie_iter *it)
{
    if (it->k < c->nkept)
        return &c->av[it->k++];
    if (it->k >= c->nav)
        return NULL;
    const rlint_cookie_av *prev = it->k == c->nkept ? &c->av[c->nkept - 1] : &it->tmp;
    split_av(c->line, c->line + prev->off + prev->len + 1, c->line + c->line_len, &it->tmp);
    it->k++;
    return &it->tmp;
}

const rlint_cookie_av *rlint_cookie_last(const rlint_cookie *c, rlint_cookie_kind k)
{
    return c->count[k] ? &c->last[k] : NULL;
}

bool rlint_cookie_secure(const rlint_cookie *c)
{
    /* 6265bis "The Secure Attribute": the name alone decides; any value is ignored. */
    return c->count[RLINT_CAV_SECURE] > 0;
}

rlint_samesite rlint_cookie_samesite(const rlint_cookie *c)
{
    /* 6265bis "The SameSite Attribute": every SameSite attribute appends its enforcement
     * (an unknown value appends "Default"); the storage model reads the last one. */
    const rlint_cookie_av *a = rlint_cookie_last(c, RLINT_CAV_SAMESITE);
    if (!a)
        return RLINT_SAMESITE_ABSENT;
    if (!a->value)
        return RLINT_SAMESITE_DEFAULT;
    if (rlint_ieq(a->value, a->value_len, "none"))
        return RLINT_SAMESITE_NONE;
    if (rlint_ieq(a->value, a->value_len, "strict"))
        return RLINT_SAMESITE_STRICT;
    if (rlint_ieq(a->value, a->value_len, "lax"))
        return RLINT_SAMESITE_LAX;
    return RLINT_SAMESITE_DEFAULT;
}

bool rlint_cookie_octets(const char *s, size_t n, size_t *at)
{
    /* cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
     * cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
    size_t i = 0;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        i = 1;
        n--;
    }
    for (; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == ',' || ch == ';' || ch == '\\') {
            *at = i;
            return false;
        }
    }
    return true;
}

static bool ldh(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-';
}

bool rlint_cookie_subdomain(const char *s, size_t n)
{
    /* <subdomain> of RFC 1034 §3.5 as relaxed by RFC 1123 §2.1 (a label may start with a
     * digit): labels of letters, digits and hyphens, not starting or ending with a hyphen,
     * at most 63 characters; one leading "." is tolerated (RFC 6265 §4.1.2.3). */
    if (n && s[0] == '.') {
        s++;
        n--;
    }
    if (n == 0 || n > 255)
        return false;
    size_t label = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (label == 0 || label > 63 || s[i - 1] == '-')
                return false;
            label = 0;
            continue;
        }
        if (!ldh(s[i]) || (label == 0 && s[i] == '-'))
            return false;
        label++;
    }
    return true;
}

/* ---- the cookie-date parser (RFC 6265 §5.1.1) ---- */

/* delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E */
static bool delimiter(unsigned char ch)
{
    return ch == 0x09 || (ch >= 0x20 && ch <= 0x2f) || (ch >= 0x3b && ch <= 0x40) ||
           (ch >= 0x5b && ch <= 0x60) || (ch >= 0x7b && ch <= 0x7e);
}

static bool dig(char ch) { return ch >= '0' && ch <= '9'; }

/* 1*max DIGIT at s (at least min), then the end of the token or a non-digit. */
static bool digits(const char *s, size_t n, size_t min, size_t max, int *v, size_t *used)
{
    size_t i = 0;
    int x = 0;
    while (i < n && i < max && dig(s[i]))
        x = x * 10 + (s[i++] - '0');
    if (i < min || (i < n && dig(s[i])))
        return false;
    *v = x;
    *used = i;
    return true;
}

/* time = hms-time ( non-digit *OCTET ); hms-time = time-field ":" time-field ":" time-field */
static bool time_token(const char *s, size_t n, int hms[3])
{
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        size_t used;
        if (!digits(s + i, n - i, 1, 2, &hms[k], &used))
            return false;
        i += used;
        if (k < 2) {
            if (i >= n || s[i] != ':')
                return false;
            i++;
        }
    }
    return true;
}

static int month_token(const char *s, size_t n)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    if (n < 3)
        return -1;
    char m[3];
    for (int k = 0; k < 3; k++)
        m[k] = rlint_lower(s[k]);
    for (int k = 0; k < 12; k++)
        if (memcmp(months + 3 * k, m, 3) == 0)
            return k + 1;
    return -1;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int64_t days_from_civil(int y, int m, int d)
{
    /* days since 1970-01-01 of a proleptic Gregorian date */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool rlint_cookie_date(const char *s, size_t n, int64_t *epoch, const char **why)
{
    bool found_time = false, found_day = false, found_month = false, found_year = false;
    int hms[3] = {0, 0, 0}, day = 0, month = 0, year = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && delimiter((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && !delimiter((unsigned char)s[i]))
            i++;
        const char *t = s + start;
        size_t tn = i - start, used;
        if (tn == 0)
            break;
        int v;
        if (!found_time && time_token(t, tn, hms)) {
            found_time = true;
        } else if (!found_day && digits(t, tn, 1, 2, &v, &used)) {
            found_day = true;
            day = v;
        } else if (!found_month && (v = month_token(t, tn)) > 0) {
            found_month = true;
            month = v;
        } else if (!found_year && digits(t, tn, 2, 4, &v, &used)) {
            found_year = true;
            year = v;
        }
    }
    /* "If the year-value is greater than or equal to 70 and less than or equal to 99,
     * increment the year-value by 1900"; 0-69: by 2000. */
    if (found_year && year >= 70 && year <= 99)
        year += 1900;
    else if (found_year && year <= 69)
        year += 2000;
    const char *w = NULL;
    if (!found_time)
        w = "no hh:mm:ss time";
    else if (!found_day)
        w = "no day of the month";
    else if (!found_month)
        w = "no month name";
    else if (!found_year)
        w = "no year";
    else if (day < 1 || day > 31)
        w = "the day is not 1-31";
    else if (year < 1601)
        w = "the year is before 1601";
    else if (hms[0] > 23)
        w = "the hour is over 23";
    else if (hms[1] > 59)
        w = "the minute is over 59";
    else if (hms[2] > 59)
        w = "the second is over 59";
    else {
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int last = mdays[month - 1] + (month == 2 && leap(year));
        if (day > last)
            w = "no such day in that month";
    }
    if (w) {
        if (why)
            *why = w;
        return false;
    }
    if (epoch)
        *epoch = days_from_civil(year, month, day) * 86400 + hms[0] * 3600 + hms[1] * 60 +
                 hms[2];
    return true;
}
