/* Small text helpers shared by the checks: case-insensitive compare, numbers, lists. */
#include "internal.h"

#include <stdio.h>

bool rlint_ieq(const char *a, size_t alen, const char *lower)
{
    for (size_t i = 0; i < alen; i++) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (x != lower[i] || lower[i] == '\0')
            return false;
    }
    return lower[alen] == '\0';
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

void rlint_quote(char *out, size_t outlen, const char *s, size_t len, size_t max)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
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
