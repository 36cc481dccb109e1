/* Grammars of the security fields: the value of Access-Control-Allow-Origin (WHATWG Fetch
 * "HTTP new-header syntax") and a Strict-Transport-Security line (RFC 6797 §6.1). */
#include "internal.h"

#include <string.h>

static bool lower_alpha(char ch) { return ch >= 'a' && ch <= 'z'; }
static bool dig(char ch) { return ch >= '0' && ch <= '9'; }

#define FAIL(w, a)                                                                                 \
    do {                                                                                           \
        *why = (w);                                                                                \
        *at = (size_t)(a);                                                                         \
        return false;                                                                              \
    } while (0)

/* The port a URL's origin omits for each special scheme (URL Standard "default port"). */
static const char *default_port(const char *scheme, size_t n)
{
    if ((n == 4 && memcmp(scheme, "http", 4) == 0) || (n == 2 && memcmp(scheme, "ws", 2) == 0))
        return "80";
    if ((n == 5 && memcmp(scheme, "https", 5) == 0) || (n == 3 && memcmp(scheme, "wss", 3) == 0))
        return "443";
    if (n == 3 && memcmp(scheme, "ftp", 3) == 0)
        return "21";
    return NULL;
}

bool rlint_serialized_origin(const char *s, size_t n, const char **why, size_t *at)
{
    /* Fetch: origin = scheme "://" host [ ":" port ], as the serialization of an origin
     * writes it. The CORS check compares it with the request's Origin byte for byte, so only
     * that exact form can ever match: lower-case scheme and host, no default port, nothing
     * after the port. */
    size_t i = 0;
    if (n == 0)
        FAIL("empty value", 0);
    if (!lower_alpha(s[0]))
        FAIL(s[0] >= 'A' && s[0] <= 'Z' ? "upper-case scheme (origins are serialized in "
                                          "lower case)"
                                        : "not an origin (it must start with a scheme)",
             0);
    while (i < n && (lower_alpha(s[i]) || dig(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    size_t scheme_len = i;
    if (i < n && s[i] >= 'A' && s[i] <= 'Z')
        FAIL("upper-case scheme (origins are serialized in lower case)", i);
    if (n - i < 3 || memcmp(s + i, "://", 3) != 0)
        FAIL("not an origin (no \"://\" after the scheme)", i);
    i += 3;
    size_t host = i;
    if (i < n && s[i] == '[') {
        i++;
        while (i < n && (dig(s[i]) || (s[i] >= 'a' && s[i] <= 'f') || s[i] == ':' || s[i] == '.'))
            i++;
        if (i < n && s[i] >= 'A' && s[i] <= 'F')
            FAIL("upper-case host (origins are serialized in lower case)", i);
        if (i >= n || s[i] != ']' || i == host + 1)
            FAIL("malformed IPv6 address", i);
        i++;
    } else {
        while (i < n && (lower_alpha(s[i]) || dig(s[i]) || s[i] == '-' || s[i] == '.' ||
                         s[i] == '_'))
            i++;
        if (i == host)
            FAIL(i < n && s[i] == '*' ? "a wildcard host (ACAO takes one origin or \"*\", never a "
                               "pattern)"
                             : "no host",
                 i);
    }
    if (i < n && s[i] >= 'A' && s[i] <= 'Z')
        FAIL("upper-case host (origins are serialized in lower case)", i);
    if (i < n && s[i] == '*')
        FAIL("a wildcard in the host (ACAO takes one origin or \"*\", never a pattern)", i);
    if (i < n && s[i] == ':') {
        size_t port = ++i;
        while (i < n && dig(s[i]))
            i++;
        if (i == port)
            FAIL("empty port", port);
        if (s[port] == '0')
            FAIL("a port with a leading zero (origins serialize the port as a plain number)",
                 port);
        if (i - port > 5 || (i - port == 5 && memcmp(s + port, "65535", 5) > 0))
            FAIL("a port over 65535", port);
        const char *def = default_port(s, scheme_len);
        if (def && i - port == strlen(def) && memcmp(s + port, def, i - port) == 0)
            FAIL("the scheme's default port (origins omit it, so this never matches)", port);
    }
    if (i < n && s[i] == '/')
        FAIL(i + 1 == n ? "a trailing slash (an origin has no path)"
                        : "a path (an origin is scheme, host and port only)",
             i);
    if (i < n)
        FAIL("a character that cannot appear in an origin", i);
    return true;
}

/* ---- Strict-Transport-Security (RFC 6797 §6.1) ---- */

static bool lws(char ch) { return ch == ' ' || ch == '\t'; }

bool rlint_hsts(const char *s, size_t n, rlint_hsts_info *info, const char **why, size_t *at)
{
    /* Strict-Transport-Security = "Strict-Transport-Security" ":"
     *     [ directive ] *( ";" [ directive ] )
     * directive = directive-name [ "=" directive-value ]; directive-name = token;
     * directive-value = token / quoted-string. Implied LWS around ";" and "=". */
    memset(info, 0, sizeof *info);
    /* the usual value, "max-age=" and 1 to 18 digits alone, read without the general parse */
    if (n > 8 && n <= 26 && memcmp(s, "max-age=", 8) == 0) {
        uint64_t v = 0;
        size_t k = 8;
        for (; k < n && s[k] >= '0' && s[k] <= '9'; k++)
            v = v * 10 + (uint64_t)(s[k] - '0');
        if (k == n) {
            info->has_max_age = true;
            info->max_age = v;
            return true;
        }
    }
    const char *names[16];
    size_t lens[16], nnames = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && lws(s[i]))
            i++;
        if (i < n && s[i] != ';') {
            size_t name = i;
            while (i < n && rlint_is_tchar((unsigned char)s[i]))
                i++;
            if (i == name)
                FAIL("a directive name that is not a token", i);
            size_t name_len = i - name;
            for (size_t k = 0; k < nnames; k++)
                if (lens[k] == name_len && rlint_ieq_n(names[k], s + name, name_len))
                    FAIL("a directive repeated (\"All directives MUST appear only once\")", name);
            if (nnames < RLINT_ARRAY_LEN(names)) {
                names[nnames] = s + name;
                lens[nnames++] = name_len;
            }
            bool max_age = name_len == 7 && rlint_ieq_name(s + name, "max-age", 7);
            while (i < n && lws(s[i]))
                i++;
            if (i < n && s[i] == '=') {
                i++;
                while (i < n && lws(s[i]))
                    i++;
                size_t v = i, vl;
                const char *val = s + v;
                if (i < n && s[i] == '"') {
                    size_t q = rlint_quoted_len(s + i, n - i);
                    if (!q)
                        FAIL("a quoted string that is unterminated or holds a control byte", i);
                    size_t e = i + q;
                    i = e;
                    val = s + v + 1;
                    vl = e - v - 2;
                } else {
                    while (i < n && rlint_is_tchar((unsigned char)s[i]))
                        i++;
                    if (i == v)
                        FAIL("a directive value that is neither a token nor a quoted string", i);
                    vl = i - v;
                }
                if (max_age) {
                    uint64_t secs;
                    if (!rlint_parse_u64(val, vl, &secs)) {
                        bool digits = vl > 0;
                        for (size_t k = 0; k < vl; k++)
                            digits = digits && val[k] >= '0' && val[k] <= '9';
                        if (!digits)
                            FAIL("a max-age that is not a number of seconds (1*DIGIT)", v);
                        secs = UINT64_MAX; /* more digits than 63 bits: still valid */
                    }
                    info->has_max_age = true;
                    info->max_age = secs;
                }
            } else if (max_age) {
                FAIL("max-age without a value", name);
            }
            if (name_len == 17 && rlint_ieq_name(s + name, "includesubdomains", 17))
                info->include_subdomains = true;
            while (i < n && lws(s[i]))
                i++;
        }
        if (i >= n)
            break;
        if (s[i] != ';')
            FAIL("a character where \";\" or the end was expected", i);
        i++;
    }
    if (!info->has_max_age)
        FAIL("no max-age directive (RFC 6797 §6.1.1: REQUIRED)", n);
    return true;
}

/* ---- request URLs ---- */

bool rlint_url_host(const char *u, size_t n, const char **host, size_t *hn)
{
    /* scheme "://" [ userinfo "@" ] host [ ":" port ] ( "/" / "?" / "#" / end ) */
    const char *p = memchr(u, ':', n), *e = u + n;
    if (!p || e - p < 3 || p[1] != '/' || p[2] != '/')
        return false;
    const char *a = p + 3, *end = a;
    while (end < e && *end != '/' && *end != '?' && *end != '#')
        end++;
    for (const char *at = a; at < end; at++)
        if (*at == '@')
            a = at + 1;
    if (a < end && *a == '[') {
        const char *close = memchr(a, ']', (size_t)(end - a));
        if (!close)
            return false;
        end = close + 1;
    } else {
        const char *colon = memchr(a, ':', (size_t)(end - a));
        if (colon)
            end = colon;
    }
    *host = a;
    *hn = (size_t)(end - a);
    return *hn > 0;
}

bool rlint_host_trustworthy(const char *h, size_t n)
{
    /* W3C Secure Contexts §3.1 "Is origin potentially trustworthy?": 127.0.0.0/8, ::1, and
     * "localhost" or a name ending in ".localhost" */
    if (rlint_ieq(h, n, "localhost") || rlint_ieq(h, n, "[::1]") ||
        (n > 10 && rlint_ieq(h + n - 10, 10, ".localhost")))
        return true;
    if (n < 7 || memcmp(h, "127.", 4) != 0)
        return false;
    unsigned dots = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '.') {
            if (digits == 0)
                return false;
            dots++;
            digits = 0;
        } else if (h[i] >= '0' && h[i] <= '9' && digits < 3) {
            digits++;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}
