/* The text toolbox (text.h): case-insensitive compares, tokens, methods, lists, quoted
 * strings, numbers and head ends. Structured Fields are in sf.c. */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Bytes 128-255 are zero. tests/unit/test_caching.c checks the table against RFC 9110's list. */
const uint8_t rlint_tchar_table[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0,
};

bool rlint_is_token(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!rlint_is_tchar((unsigned char)s[i]))
            return false;
    return true;
}

bool rlint_ieq_text(const char *a, size_t alen, const char *lower)
{
    for (size_t i = 0; i < alen; i++) {
        if (rlint_lower(a[i]) != lower[i] || lower[i] == '\0')
            return false;
    }
    return lower[alen] == '\0';
}

bool rlint_ieq_str(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (rlint_lower(*a) != rlint_lower(*b))
            return false;
    return *a == *b;
}

bool rlint_ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rlint_lower(a[i]) != rlint_lower(b[i]))
            return false;
    return true;
}

bool rlint_istarts(const char *a, size_t alen, const char *prefix)
{
    size_t i = 0;
    for (; prefix[i]; i++)
        if (i >= alen || rlint_lower(a[i]) != prefix[i])
            return false;
    return true;
}

static bool ows(char c) { return c == ' ' || c == '\t'; }

bool rlint_list_next(const char **p, const char *end, const char **elem, size_t *elen)
{
    const char *s = *p;
    while (s < end) {
        while (s < end && (ows(*s) || *s == ','))
            s++;
        if (s >= end)
            break;
        const char *start = s;
        bool quoted = false;
        while (s < end && (quoted || *s != ',')) {
            if (*s == '"')
                quoted = !quoted;
            else if (*s == '\\' && quoted && s + 1 < end)
                s++;
            s++;
        }
        const char *stop = s;
        while (stop > start && ows(stop[-1]))
            stop--;
        *p = s;
        *elem = start;
        *elen = (size_t)(stop - start);
        return true;
    }
    *p = end;
    return false;
}

/* qdtext and the byte after a backslash (RFC 9110 §5.6.4) differ only in DQUOTE and "\" */
static bool quotable(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

size_t rlint_quoted_len(const char *s, size_t n)
{
    if (n < 2 || s[0] != '"')
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (++i >= n || !quotable((unsigned char)s[i]))
                return 0;
        } else if (!quotable(c)) {
            return 0;
        }
    }
    return 0;
}

size_t rlint_unquote(const char *s, size_t n, char *out, size_t cap)
{
    if (rlint_quoted_len(s, n) != n)
        return (size_t)-1;
    size_t o = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] == '\\')
            i++;
        if (o >= cap)
            return (size_t)-1;
        out[o++] = s[i];
    }
    return o;
}

void rlint_quote(char *out, size_t outlen, const char *s, size_t len, size_t max)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '\'') {
            if (o + 1 >= outlen)
                break;
            out[o++] = (char)ch;
        } else {
            if (o + 4 >= outlen)
                break;
            snprintf(out + o, outlen - o, "\\x%02X", ch);
            o += 4;
        }
    }
    if (len > max && o + 3 < outlen) {
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o] = '\0';
}

size_t rlint_utf8_want(unsigned char lead)
{
    return lead < 0x80                     ? 1
           : lead >= 0xc2 && lead <= 0xdf ? 2
           : lead >= 0xe0 && lead <= 0xef ? 3
           : lead >= 0xf0 && lead <= 0xf4 ? 4
                                          : 0;
}

size_t rlint_utf8_len(const unsigned char *p, size_t avail)
{
    size_t n = rlint_utf8_want(p[0]);
    if (n <= 1)
        return n;
    uint32_t cp = p[0] & (0x7fu >> n);
    if (n > avail)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[k] & 0x3fu);
    }
    /* overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool rlint_parse_u64(const char *s, size_t len, uint64_t *out)
{
    if (len == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

size_t rlint_head_end(const char *p, size_t n, size_t from)
{
    const char *q = p + from, *end = p + n;
    while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        if (q + 1 < end && q[1] == '\n')
            return (size_t)(q + 2 - p);
        if (q + 2 < end && q[1] == '\r' && q[2] == '\n')
            return (size_t)(q + 3 - p);
        if (q + 1 >= end || (q + 2 >= end && q[1] == '\r'))
            return 0; /* the answer depends on bytes not yet seen */
        q++;
    }
    return 0;
}
