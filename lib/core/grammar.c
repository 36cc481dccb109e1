/* Field-value grammars the checks need: HTTP-date in its three forms, entity-tag,
 * delay-seconds, Content-Range and URI-reference. Pure functions over a value's bytes; each
 * says why and where a value fails, so the finding can point at the byte. */
#include "internal.h"

#include <string.h>

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool hexdig(char c)
{
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

#define FAIL(w, a)                                                                                 \
    do {                                                                                           \
        *why = (w);                                                                                \
        *at = (a);                                                                                 \
        return 0;                                                                                  \
    } while (0)

/* ---- HTTP-date (RFC 9110 §5.6.7) ---- */

static const char *const day_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const day_names_l[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Index of the word of `words` that s starts with (exact case), or -1. The first three
 * letters decide (every name is unique in them); the rest is then compared. */
static int word_at(const char *s, size_t n, const char *const *words, size_t nwords, size_t *len)
{
    if (n < 3)
        return -1;
    for (size_t i = 0; i < nwords; i++) {
        const char *w = words[i];
        if (s[0] != w[0] || s[1] != w[1] || s[2] != w[2])
            continue;
        size_t l = 3;
        while (w[l] && l < n && s[l] == w[l])
            l++;
        if (w[l])
            return -1;
        *len = l;
        return (int)i;
    }
    return -1;
}

/* The same word in another case ("sun", "NOV"): worth naming, HTTP-date is case-sensitive. */
static bool word_other_case(const char *s, size_t n, const char *const *words, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++) {
        size_t l = strlen(words[i]);
        if (n < l)
            continue;
        if (rlint_ieq_n(s, words[i], l))
            return true;
    }
    return false;
}

static int two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Two bytes as one number that orders like the text */
static unsigned pair(const char *s) { return (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1]; }

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* day of month valid for month m (0-11) of year y (-1: unknown two-digit year) */
static bool day_ok(int d, int m, int y)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d < 1 || d > mdays[m])
        return false;
    return !(m == 1 && d == 29 && y >= 0 && !leap(y));
}

/* time-of-day = hour ":" minute ":" second at s[0..8) */
static bool time_ok(const char *s, size_t n, const char **why, size_t *at, size_t base)
{
    if (n < 8 || !digit(s[0]) || !digit(s[1]) || s[2] != ':' || !digit(s[3]) || !digit(s[4]) ||
        s[5] != ':' || !digit(s[6]) || !digit(s[7]))
        FAIL("the time must be HH:MM:SS with two digits each", base);
    if (two_digits(s) > 23 || two_digits(s + 3) > 59 || two_digits(s + 6) > 60)
        FAIL("the time is out of range (00:00:00 to 23:59:60)", base);
    return true;
}

static rlint_date_form imf_fixdate(const char *s, size_t n, const char **why, size_t *at)
{
    /* Sun, 06 Nov 1994 08:49:37 GMT: fixed length 29 */
    size_t l;
    if (word_at(s, n, day_names, 7, &l) < 0)
        FAIL(word_other_case(s, n, day_names, 7) ? "the day name has the wrong case (HTTP-date is "
                                                   "case-sensitive: Mon, Tue, ...)"
                                                 : "it does not start with a day name (Mon, Tue, "
                                                   "...)",
             0);
    if (n < 5 || s[3] != ',' || s[4] != ' ')
        FAIL("the day name must be followed by \", \"", 3);
    if (n > 5 && s[5] == ' ')
        FAIL("additional whitespace (a sender MUST NOT generate whitespace beyond the single "
             "SPs of the grammar)",
             5);
    if (n < 7 || !digit(s[5]) || !digit(s[6]))
        FAIL("the day of the month must be two digits", 5);
    if (n < 8 || s[7] != ' ')
        FAIL("expected a space after the day of the month", 7);
    int m = word_at(s + 8, n - 8, months, 12, &l);
    if (m < 0)
        FAIL(word_other_case(s + 8, n - 8, months, 12)
                 ? "the month has the wrong case (HTTP-date is case-sensitive: Jan, Feb, ...)"
                 : "expected a month name (Jan, Feb, ...)",
             8);
    if (n < 12 || s[11] != ' ')
        FAIL("expected a space after the month", 11);
    if (n < 16 || !digit(s[12]) || !digit(s[13]) || !digit(s[14]) || !digit(s[15]))
        FAIL("the year must be four digits", 12);
    int y = two_digits(s + 12) * 100 + two_digits(s + 14);
    if (!day_ok(two_digits(s + 5), m, y))
        FAIL("the day does not exist in that month", 5);
    /* A day name that does not match the date (the ubiquitous "Fri, 01 Jan 1990" of
     * already-expired responses) still matches the IMF-fixdate grammar: not judged here. */
    if (n < 17 || s[16] != ' ')
        FAIL("expected a space after the year", 16);
    if (!time_ok(s + 17, n - 17, why, at, 17))
        return RLINT_DATE_INVALID;
    if (n < 26 || s[25] != ' ')
        FAIL("expected a space after the time", 25);
    if (n < 29 || memcmp(s + 26, "GMT", 3) != 0)
        FAIL("the time zone must be \"GMT\" (HTTP-date is always UTC, written GMT)", 26);
    if (n > 29)
        FAIL("unexpected characters after \"GMT\"", 29);
    return RLINT_DATE_IMF;
}

/* Sunday, 06-Nov-94 08:49:37 GMT */
static bool rfc850_date(const char *s, size_t n)
{
    size_t l;
    if (word_at(s, n, day_names_l, 7, &l) < 0 || n != l + 24)
        return false;
    const char *d = s + l;
    if (d[0] != ',' || d[1] != ' ' || !digit(d[2]) || !digit(d[3]) || d[4] != '-')
        return false;
    size_t ml;
    int m = word_at(d + 5, 3, months, 12, &ml);
    if (m < 0 || d[8] != '-' || !digit(d[9]) || !digit(d[10]) || d[11] != ' ')
        return false;
    const char *why;
    size_t at;
    if (!day_ok(two_digits(d + 2), m, -1) || !time_ok(d + 12, 8, &why, &at, 0))
        return false;
    return d[20] == ' ' && memcmp(d + 21, "GMT", 3) == 0;
}

/* Sun Nov  6 08:49:37 1994 */
static bool asctime_date(const char *s, size_t n)
{
    size_t l;
    if (n != 24 || word_at(s, n, day_names, 7, &l) < 0 || s[3] != ' ')
        return false;
    int m = word_at(s + 4, 3, months, 12, &l);
    if (m < 0 || s[7] != ' ')
        return false;
    int d;
    if (s[8] == ' ' && digit(s[9]))
        d = s[9] - '0';
    else if (digit(s[8]) && digit(s[9]))
        d = two_digits(s + 8);
    else
        return false;
    const char *why;
    size_t at;
    if (s[10] != ' ' || !time_ok(s + 11, 8, &why, &at, 0) || s[19] != ' ')
        return false;
    if (!digit(s[20]) || !digit(s[21]) || !digit(s[22]) || !digit(s[23]))
        return false;
    return day_ok(d, m, two_digits(s + 20) * 100 + two_digits(s + 22));
}

/* The bytes of a word in memory order, first byte lowest. */
static uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(w);
#else
    return w;
#endif
}

static uint32_t pack3(const char *s)
{
    return (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[1] << 8 |
           (uint32_t)(unsigned char)s[2] << 16;
}

#define P3(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)

/* The common case, a well-formed IMF-fixdate, decided without the diagnostics of imf_fixdate:
 * its month (0-11) only where imf_fixdate accepts, else -1 (anything else takes the full
 * path). */
static int imf_fixdate_fast(const char *s, size_t n)
{
    if (n != 29)
        return -1;
    /* Fixed bytes and digit positions a word at a time: words at 5, 13 and 21 cover
     * "06 Nov 1", "994 08:4" and "9:37 GMT" (DD MMM YYYY HH:MM:SS GMT from offset 5). */
    static const uint64_t fixed_mask[3] = {0x00FF000000FF0000ull, 0x00FF0000FF000000ull,
                                           0xFFFFFFFF0000FF00ull};
    static const uint64_t fixed_want[3] = {0x0020000000200000ull, 0x003A000020000000ull,
                                           0x544D472000003A00ull};
    static const uint64_t digit_mask[3] = {0xFF0000000000FFFFull, 0xFF00FFFF00FFFFFFull,
                                           0x00000000FFFF00FFull};
    if (s[3] != ',' || s[4] != ' ')
        return -1;
    for (int k = 0; k < 3; k++) {
        uint64_t w;
        memcpy(&w, s + 5 + 8 * k, 8);
        w = le64(w);
        uint64_t d = digit_mask[k];
        /* a digit is 0x30-0x39: high nibble 3, and the low nibble plus 6 does not carry */
        if ((w & fixed_mask[k]) != fixed_want[k])
            return -1;
        if ((w & d & 0xF0F0F0F0F0F0F0F0ull) != (d & 0x3030303030303030ull) ||
            (((w & 0x0F0F0F0F0F0F0F0Full) + 0x0606060606060606ull) & d & 0x1010101010101010ull))
            return -1;
    }
    /* Day and month names by a multiplicative hash without collisions among them (16 slots
     * each), then one comparison. */
    static const uint32_t days16[16] = {
        [14] = P3('M', 'o', 'n'), [13] = P3('T', 'u', 'e'), [15] = P3('W', 'e', 'd'),
        [11] = P3('T', 'h', 'u'), [7] = P3('F', 'r', 'i'),  [8] = P3('S', 'a', 't'),
        [10] = P3('S', 'u', 'n')};
    static const uint32_t months16[16] = {
        [13] = P3('J', 'a', 'n'), [5] = P3('F', 'e', 'b'),  [0] = P3('M', 'a', 'r'),
        [8] = P3('A', 'p', 'r'),  [7] = P3('M', 'a', 'y'),  [15] = P3('J', 'u', 'n'),
        [6] = P3('J', 'u', 'l'),  [3] = P3('A', 'u', 'g'),  [10] = P3('S', 'e', 'p'),
        [2] = P3('O', 'c', 't'),  [12] = P3('N', 'o', 'v'), [1] = P3('D', 'e', 'c')};
    static const signed char month_of[16] = {2, 11, 9, 7, -1, 1, 6, 4, 3, -1, 8, -1, 10, 0, -1, 5};
    uint32_t d = pack3(s), mo = pack3(s + 8);
    unsigned dh = (d * 0xc386bbc5u) >> 28, mh = (mo * 0x0741c7a9u) >> 28;
    int m = month_of[mh];
    if (days16[dh] != d || months16[mh] != mo || d == 0 || m < 0)
        return -1; /* (empty slots hold 0) */
    /* digits are checked: two of them compare as numbers when compared as text */
    if (pair(s + 17) > pair("23") || pair(s + 20) > pair("59") || pair(s + 23) > pair("60"))
        return -1;
    int day = two_digits(s + 5);
    if (day != 29 || m != 1) /* the year matters only on 29 February */
        return day_ok(day, m, -1) ? m : -1;
    return day_ok(day, m, two_digits(s + 12) * 100 + two_digits(s + 14)) ? m : -1;
}

static RLINT_COLD rlint_date_form http_date_slow(const char *s, size_t n, const char **why,
                                                  size_t *at)
{
    const char *w = NULL;
    size_t a = 0;
    if (imf_fixdate(s, n, &w, &a) == RLINT_DATE_IMF)
        return RLINT_DATE_IMF;
    if (rfc850_date(s, n))
        return RLINT_DATE_RFC850;
    if (asctime_date(s, n))
        return RLINT_DATE_ASCTIME;
    *why = w;
    *at = a;
    return RLINT_DATE_INVALID;
}

rlint_date_form rlint_http_date(const char *s, size_t n, const char **why, size_t *at)
{
    if (imf_fixdate_fast(s, n) >= 0)
        return RLINT_DATE_IMF;
    return http_date_slow(s, n, why, at);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (y 0-9999, m 0-11, d 1-31): the year
 * is counted from March and shifted by one 400-year cycle (146,097 days), so that every
 * division is of a non-negative number by a constant. 719,468 days lie between 0000-03-01 and
 * 1970-01-01. */
static int64_t days_from_civil(int y, int m, int d)
{
    unsigned yy = (unsigned)(y + 400 - (m < 2));
    unsigned mm = (unsigned)(m < 2 ? m + 10 : m - 2);
    unsigned days = yy * 365 + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + (unsigned)d - 1;
    return (int64_t)days - 146097 - 719468;
}

static int64_t day_seconds(const char *hms)
{
    return (int64_t)two_digits(hms) * 3600 + two_digits(hms + 3) * 60 + two_digits(hms + 6);
}

/* The time of an RFC 850 or asctime date (month m). */
static RLINT_COLD int64_t slow_seconds(const char *s, rlint_date_form f, int m)
{
    if (f == RLINT_DATE_RFC850) { /* Sunday, 06-Nov-94 08:49:37 GMT */
        const char *d = memchr(s, ',', 10) /* a validated date: the comma follows the day name */;
        /* RFC 9110 §5.6.7 reads a two-digit year relative to the present; without a clock,
         * the window is fixed at 1970-2069. */
        int y = two_digits(d + 9);
        return days_from_civil(y < 70 ? 2000 + y : 1900 + y, m, two_digits(d + 2)) * 86400 +
               day_seconds(d + 12);
    }
    /* asctime: Sun Nov  6 08:49:37 1994 */
    int day = s[8] == ' ' ? s[9] - '0' : two_digits(s + 8);
    return days_from_civil(two_digits(s + 20) * 100 + two_digits(s + 22), m, day) * 86400 +
           day_seconds(s + 11);
}

rlint_date_form rlint_http_date_month(const char *s, size_t n, int *month)
{
    int m = imf_fixdate_fast(s, n);
    if (m >= 0) {
        *month = m;
        return RLINT_DATE_IMF;
    }
    const char *why;
    size_t at;
    rlint_date_form f = http_date_slow(s, n, &why, &at);
    size_t l;
    if (f == RLINT_DATE_IMF)
        *month = word_at(s + 8, n - 8, months, 12, &l);
    else if (f == RLINT_DATE_RFC850)
        *month = word_at((const char *)memchr(s, ',', 10) + 5, 3, months, 12, &l);
    else if (f == RLINT_DATE_ASCTIME)
        *month = word_at(s + 4, 3, months, 12, &l);
    return f;
}

int64_t rlint_http_date_secs(const char *s, rlint_date_form f, int m)
{
    if (f == RLINT_DATE_IMF) /* Sun, 06 Nov 1994 08:49:37 GMT */
        return days_from_civil(two_digits(s + 12) * 100 + two_digits(s + 14), m,
                               two_digits(s + 5)) *
                   86400 +
               day_seconds(s + 17);
    return slow_seconds(s, f, m);
}

rlint_date_form rlint_http_date_time(const char *s, size_t n, int64_t *secs)
{
    int m = 0;
    rlint_date_form f = rlint_http_date_month(s, n, &m);
    if (f != RLINT_DATE_INVALID)
        *secs = rlint_http_date_secs(s, f, m);
    return f;
}

bool rlint_delay_seconds(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!digit(s[i]))
            return false;
    return true;
}

/* ---- entity-tag (RFC 9110 §8.8.3) ---- */

bool rlint_entity_tag(const char *s, size_t n, const char **why, size_t *at)
{
    size_t i = 0;
    if (n >= 2 && s[0] == 'W' && s[1] == '/')
        i = 2;
    else if (n >= 2 && s[0] == 'w' && s[1] == '/')
        FAIL("the weakness indicator is case-sensitive: W/, not w/", 0);
    if (i >= n || s[i] != '"')
        FAIL("the opaque tag must be enclosed in double quotes", i);
    for (size_t k = i + 1; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '"') {
            if (k + 1 != n)
                FAIL("characters after the closing double quote", k + 1);
            return true;
        }
        if (c <= 0x20 || c == 0x7f)
            FAIL(c == ' ' ? "a space inside the opaque tag (etagc excludes SP)"
                          : "a control character inside the opaque tag",
                 k);
    }
    FAIL("the closing double quote is missing", n);
}

/* ---- Content-Range (RFC 9110 §14.4) ---- */

/* Compares two digit strings as numbers, whatever their length: <0, 0, >0. */
static int numcmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 1 && *a == '0')
        a++, an--;
    while (bn > 1 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    return memcmp(a, b, an);
}

static size_t digits_at(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && digit(s[k]))
        k++;
    return k - i;
}

rlint_range_form rlint_content_range(const char *s, size_t n, const char **why, size_t *at)
{
    size_t u = 0;
    while (u < n && rlint_is_tchar((unsigned char)s[u]))
        u++;
    if (u == 0)
        FAIL("it does not start with a range unit such as \"bytes\"", 0);
    if (u < n && s[u] == '=' && rlint_ieq(s, u, "bytes"))
        FAIL("\"bytes=\" is the syntax of the Range request field; Content-Range is "
             "\"bytes first-last/complete\"",
             u);
    if (u == n || s[u] != ' ')
        FAIL("expected a single space after the range unit", u);
    if (!rlint_ieq(s, u, "bytes"))
        return RLINT_RANGE_OTHER_UNIT;
    size_t i = u + 1;
    if (i < n && s[i] == '*') {
        if (i + 1 >= n || s[i + 1] != '/')
            FAIL("expected \"*/\" followed by the complete length", i + 1);
        size_t d = digits_at(s, n, i + 2);
        if (d == 0 || i + 2 + d != n)
            FAIL("an unsatisfied range needs a complete length in digits (\"*/1234\")", i + 2);
        return RLINT_RANGE_UNSATISFIED;
    }
    size_t f = i, fn = digits_at(s, n, i);
    if (fn == 0)
        FAIL("expected the first byte position (digits) or \"*/\"", i);
    i += fn;
    if (i >= n || s[i] != '-')
        FAIL("expected \"-\" after the first byte position", i);
    size_t l = ++i, ln = digits_at(s, n, i);
    if (ln == 0)
        FAIL("expected the last byte position (digits)", i);
    i += ln;
    if (i >= n || s[i] != '/')
        FAIL("expected \"/\" and the complete length (or \"*\") after the range", i);
    i++;
    if (numcmp(s + f, fn, s + l, ln) > 0)
        FAIL("the first byte position is greater than the last", f);
    if (i < n && s[i] == '*') {
        if (i + 1 != n)
            FAIL("unexpected characters after \"*\"", i + 1);
        return RLINT_RANGE_BYTES;
    }
    size_t c = i, cn = digits_at(s, n, i);
    if (cn == 0 || c + cn != n)
        FAIL("the complete length must be digits or \"*\"", c);
    if (numcmp(s + c, cn, s + l, ln) <= 0)
        FAIL("the last byte position is not below the complete length", l);
    return RLINT_RANGE_BYTES;
}

/* ---- URI-reference (RFC 3986) ---- */

/* RFC 3986 character classes of the ASCII bytes: 1 unreserved, 2 sub-delims, 4 gen-delims
 * (bytes from 0x80 are none of them). */
static const unsigned char uri_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 2, 0, 4, 2, 0, 2, 2, 2, 2, 2, 2, 2, 1, 1, 4,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 2, 0, 2, 0, 4,
    4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 0, 4, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
};

static unsigned uri_class_of(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 128 ? uri_class[u] : 0;
}

static bool unreserved(char c) { return uri_class_of(c) & 1; }
static bool sub_delim(char c) { return uri_class_of(c) & 2; }

/* First pass: a byte no URI may contain anywhere, or a broken percent-encoding. */
static bool uri_chars(const char *s, size_t n, const char **why, size_t *at)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ')
            FAIL("a space (percent-encode it as %20)", i);
        if (c < 0x20 || c == 0x7f)
            FAIL("a control character", i);
        if (c >= 0x80)
            FAIL("a raw non-ASCII byte (percent-encode the UTF-8 bytes)", i);
        if (c == '%') {
            if (i + 2 >= n || !hexdig(s[i + 1]) || !hexdig(s[i + 2]))
                FAIL("\"%\" not followed by two hex digits", i);
            i += 2;
            continue;
        }
        if (!uri_class_of((char)c))
            FAIL("a character URIs do not allow (\" < > \\ ^ ` { | }): percent-encode it", i);
    }
    return true;
}

static bool pchar(char c)
{
    return (uri_class_of(c) & 3) || c == ':' || c == '@' || c == '%';
}

static bool ip_literal(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == 'v' ||
        s[0] == 'V') { /* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
        size_t i = 1;
        while (i < n && hexdig(s[i]))
            i++;
        if (i == 1 || i >= n || s[i] != '.' || i + 1 >= n)
            return false;
        for (i++; i < n; i++)
            if (!unreserved(s[i]) && !sub_delim(s[i]) && s[i] != ':')
                return false;
        return true;
    }
    size_t colons = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':')
            colons++;
        else if (!hexdig(s[i]) && s[i] != '.')
            return false;
    }
    return colons >= 2 && colons <= 7;
}

static bool authority(const char *s, size_t n, size_t base, const char **why, size_t *at)
{
    size_t h = 0;
    const char *amp = memchr(s, '@', n);
    if (amp) {
        h = (size_t)(amp - s) + 1;
        for (size_t i = 0; i < h - 1; i++)
            if (!unreserved(s[i]) && !sub_delim(s[i]) && s[i] != ':' && s[i] != '%')
                FAIL("a character not allowed in the user information of the authority", base + i);
    }
    size_t e = n; /* end of host */
    if (h < n && s[h] == '[') {
        const char *rb = memchr(s + h, ']', n - h);
        if (!rb)
            FAIL("an IP literal without its closing \"]\"", base + h);
        if (!ip_literal(s + h + 1, (size_t)(rb - s) - h - 1))
            FAIL("an invalid IP literal in the host", base + h);
        e = (size_t)(rb - s) + 1;
        if (e < n && s[e] != ':')
            FAIL("unexpected characters after the IP literal", base + e);
    } else {
        const char *colon = memchr(s + h, ':', n - h);
        e = colon ? (size_t)(colon - s) : n;
        for (size_t i = h; i < e; i++)
            if (!unreserved(s[i]) && !sub_delim(s[i]) && s[i] != '%')
                FAIL(s[i] == '@' ? "a second \"@\" in the authority"
                                 : "a character not allowed in a host name",
                     base + i);
    }
    if (e < n) { /* ":" port */
        for (size_t i = e + 1; i < n; i++)
            if (!digit(s[i]))
                FAIL("the port must be digits", base + i);
    }
    return true;
}

bool rlint_uri_host(const char *s, size_t n)
{
    /* host = IP-literal / IPv4address / reg-name; an IPv4address is a reg-name by its
     * characters, reg-name = *( unreserved / pct-encoded / sub-delims ) */
    if (n && s[0] == '[')
        return n >= 2 && s[n - 1] == ']' && ip_literal(s + 1, n - 2);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || !hexdig(s[i + 1]) || !hexdig(s[i + 2]))
                return false;
            i += 2;
        } else if (!unreserved(s[i]) && !sub_delim(s[i])) {
            return false;
        }
    }
    return true;
}

bool rlint_uri_reference(const char *s, size_t n, const char **why, size_t *at)
{
    if (!uri_chars(s, n, why, at))
        return false;
    size_t i = 0;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    size_t k = 0;
    if (n && alpha(s[0])) {
        k = 1;
        while (k < n && (alpha(s[k]) || digit(s[k]) || s[k] == '+' || s[k] == '-' || s[k] == '.'))
            k++;
    }
    if (k && k < n && s[k] == ':') {
        i = k + 1;
    } else {
        /* a relative reference: its first path segment may not contain ":" (path-noscheme) */
        size_t e = 0;
        while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#')
            e++;
        const char *colon = memchr(s, ':', e);
        if (colon)
            FAIL("\":\" in the first segment of a relative reference (not a valid scheme "
                 "before it)",
                 (size_t)(colon - s));
    }
    if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t a = i + 2, e = a;
        while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#')
            e++;
        if (!authority(s + a, e - a, a, why, at))
            return false;
        i = e;
    }
    for (; i < n && s[i] != '?' && s[i] != '#'; i++)
        if (!pchar(s[i]) && s[i] != '/')
            FAIL("\"[\" or \"]\" outside an IP literal (percent-encode it)", i);
    if (i < n && s[i] == '?')
        for (i++; i < n && s[i] != '#'; i++)
            if (!pchar(s[i]) && s[i] != '/' && s[i] != '?')
                FAIL("\"[\" or \"]\" in the query (percent-encode it)", i);
    if (i < n && s[i] == '#')
        for (i++; i < n; i++)
            if (!pchar(s[i]) && s[i] != '/' && s[i] != '?')
                FAIL(s[i] == '#' ? "a second \"#\" (percent-encode it as %23)"
                                 : "\"[\" or \"]\" in the fragment (percent-encode it)",
                     i);
    return true;
}
