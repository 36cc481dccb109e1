/* The grammars of three parameterised fields the content rules judge: Content-Disposition
 * (RFC 6266 §4.1, ext-value from RFC 8187 §3.2.1), Link (RFC 8288 §3) and Alt-Svc (RFC 7838
 * §3). Each returns true when the line is valid, else a static reason and the offset of the
 * fault. */
#include "internal.h"

#include <string.h>

#define FAIL(w, a)                                                                                 \
    do {                                                                                           \
        *why = (w);                                                                                \
        *at = (size_t)(a);                                                                         \
        return false;                                                                              \
    } while (0)

static bool ws(char ch)
{
    return ch == ' ' || ch == '\t';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && ws(s[i]))
        i++;
    return i;
}

static size_t token_end(const char *s, size_t n, size_t i)
{
    while (i < n && rlint_is_tchar((unsigned char)s[i]))
        i++;
    return i;
}

static bool hexdig(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hexval(char c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static bool alnum(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Repeated-name bookkeeping for one parameter list: names compared case-insensitively. */
typedef struct seen_names {
    const char *name[32];
    size_t len[32];
    size_t count;
} seen_names;

static bool seen_before(seen_names *seen, const char *name, size_t len)
{
    for (size_t k = 0; k < seen->count; k++)
        if (seen->len[k] == len && rlint_ieq_n(seen->name[k], name, len))
            return true;
    if (seen->count < RLINT_ARRAY_LEN(seen->name)) {
        seen->name[seen->count] = name;
        seen->len[seen->count++] = len;
    }
    return false;
}

/* A parameter value at s[i]: a quoted-string or a token. Returns its end, or i when neither
 * begins there (why and at then say why). After a token, the next byte must end it (blank, ";",
 * ",", end): "my file.pdf" or raw UTF-8 is not a token. */
static size_t param_value(const char *s, size_t n, size_t i, bool list, const char **why,
                          size_t *at)
{
    if (i < n && s[i] == '"') {
        size_t q = rlint_quoted_len(s + i, n - i);
        if (!q) {
            *why = "a quoted-string that is unterminated or holds a control byte";
            *at = i;
            return i;
        }
        return i + q;
    }
    size_t e = token_end(s, n, i);
    if (e == i) {
        *why = "a parameter value that is neither a token nor a quoted-string";
        *at = i;
        return i;
    }
    if (e < n && !ws(s[e]) && s[e] != ';' && !(list && s[e] == ',')) {
        *why = "a character a token cannot hold in an unquoted value (quote the value)";
        *at = e;
        return i;
    }
    size_t k = skip_ws(s, n, e);
    if (k > e && k < n && s[k] != ';' && !(list && s[k] == ',')) {
        *why = "a blank inside an unquoted value (quote the value)";
        *at = e;
        return i;
    }
    return e;
}

/* ---- RFC 8187 §3.2.1 ext-value ---- */

/* Language-Tag (RFC 5646 §2.1), checked for its shape: 1*8ALPHA *( "-" 1*8alphanum ). */
static bool language_tag(const char *s, size_t n)
{
    size_t i = 0, k = 0;
    while (i < n && k < 8 && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
        i++, k++;
    if (k == 0)
        return false;
    while (i < n) {
        if (s[i] != '-')
            return false;
        i++;
        for (k = 0; i < n && k < 8 && alnum(s[i]); k++)
            i++;
        if (k == 0)
            return false;
    }
    return true;
}

static bool attr_char(char c)
{
    /* token except ( "*" / "'" / "%" ) */
    return rlint_is_tchar((unsigned char)c) && c != '*' && c != '\'' && c != '%';
}

bool rlint_ext_value(const char *s, size_t n, const char **why, size_t *at)
{
    /* ext-value = charset "'" [ language ] "'" value-chars */
    const char *q1 = memchr(s, '\'', n);
    if (!q1)
        FAIL("an ext-value without charset \"'\" [language] \"'\" before the value", 0);
    size_t c = (size_t)(q1 - s);
    bool utf8 = rlint_ieq(s, c, "utf-8");
    if (!utf8 && !rlint_ieq(s, c, "iso-8859-1"))
        FAIL(c ? "an ext-value charset other than UTF-8 or ISO-8859-1"
               : "an ext-value with an empty charset",
             0);
    const char *q2 = memchr(q1 + 1, '\'', n - c - 1);
    if (!q2)
        FAIL("an ext-value with one \"'\" where charset \"'\" [language] \"'\" needs two", c);
    size_t l = c + 1, le = (size_t)(q2 - s);
    if (le > l && !language_tag(s + l, le - l))
        FAIL("an ext-value language that is not a language tag", l);
    for (size_t i = le + 1; i < n;) {
        if (s[i] == '%') {
            if (i + 2 >= n || !hexdig(s[i + 1]) || !hexdig(s[i + 2]))
                FAIL("\"%\" not followed by two hex digits in an ext-value", i);
            unsigned char lead = (unsigned char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
            if (utf8 && lead >= 0x80) {
                /* percent-decode one UTF-8 sequence and judge it whole */
                unsigned char seq[4] = {lead, 0, 0, 0};
                size_t want = rlint_utf8_want(lead), got = 1, k = i + 3;
                while (got < want && k + 2 < n && s[k] == '%' && hexdig(s[k + 1]) &&
                       hexdig(s[k + 2])) {
                    seq[got++] = (unsigned char)(hexval(s[k + 1]) << 4 | hexval(s[k + 2]));
                    k += 3;
                }
                if (want == 0 || rlint_utf8_len(seq, got) != want)
                    FAIL("percent-encoded bytes that are not UTF-8 under charset UTF-8", i);
                i = k;
                continue;
            }
            i += 3;
            continue;
        }
        if (!attr_char(s[i]))
            FAIL((unsigned char)s[i] >= 0x80
                     ? "a raw non-ASCII byte in an ext-value (percent-encode it)"
                     : "a character an ext-value must percent-encode",
                 i);
        i++;
    }
    return true;
}

/* ---- RFC 6266 §4.1 Content-Disposition ---- */

bool rlint_content_disposition(const char *s, size_t n, const char **why, size_t *at)
{
    /* content-disposition = disposition-type *( ";" disposition-parm ), with implied LWS;
     * disposition-parm = token "=" value / ext-token "=" ext-value, value = token /
     * quoted-string */
    size_t i = skip_ws(s, n, 0), e = token_end(s, n, i);
    if (e == i)
        FAIL("the disposition type is not a token", i);
    seen_names seen = {.count = 0};
    for (i = e;;) {
        i = skip_ws(s, n, i);
        if (i >= n)
            return true;
        if (s[i] != ';')
            FAIL("a character where \";\" or the end was expected", i);
        size_t semi = i;
        i = skip_ws(s, n, i + 1);
        if (i >= n)
            FAIL("a trailing \";\" with no parameter after it", semi);
        if (s[i] == ';')
            FAIL("an empty parameter (\";;\")", i);
        size_t name = i;
        i = token_end(s, n, i);
        if (i == name)
            FAIL("a parameter name that is not a token", name);
        size_t name_len = i - name;
        /* RFC 6266 §4.1: "multiple instances of the same parameter name are invalid" */
        if (seen_before(&seen, s + name, name_len))
            FAIL("a parameter name used twice (RFC 6266 §4.1)", name);
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != '=')
            FAIL("a parameter without \"=\" and a value", i);
        i = skip_ws(s, n, i + 1);
        if (s[name + name_len - 1] == '*') {
            /* ext-token "=" ext-value: not a quoted-string (RFC 8187 §3.2.1) */
            if (i < n && s[i] == '"')
                FAIL("an ext-value in quotes (a starred parameter takes charset'lang'value "
                     "bare)",
                     i);
            size_t ve = token_end(s, n, i);
            if (ve == i || (ve < n && !ws(s[ve]) && s[ve] != ';')) {
                if (ve < n && (unsigned char)s[ve] >= 0x80)
                    FAIL("a raw non-ASCII byte in an ext-value (percent-encode it)", ve);
                FAIL(ve == i && (ve >= n || ws(s[ve]) || s[ve] == ';')
                         ? "a starred parameter without an ext-value"
                         : "a character an ext-value must percent-encode",
                     ve);
            }
            const char *w;
            size_t a;
            if (!rlint_ext_value(s + i, ve - i, &w, &a))
                FAIL(w, i + a);
            size_t k = skip_ws(s, n, ve);
            if (k > ve && k < n && s[k] != ';')
                FAIL("a blank inside an ext-value (percent-encode it as %20)", ve);
            i = ve;
            continue;
        }
        size_t ve = param_value(s, n, i, false, why, at);
        if (ve == i)
            return false;
        i = ve;
    }
}

/* The next `OWS ";" OWS token` of a list member's parameters (Link, Alt-Svc), from *i: 1 with
 * the name at *name and its end in *i; 0 at the end of the member (the end of the value, or a
 * ","); -1 on a fault, with why and at set. */
static int next_param(const char *s, size_t n, size_t *i, size_t *name, const char **why,
                      size_t *at)
{
    size_t k = skip_ws(s, n, *i);
    if (k >= n || s[k] == ',') {
        *i = k;
        return 0;
    }
    if (s[k] != ';') {
        *why = "a character where \";\", \",\" or the end was expected";
        *at = k;
        return -1;
    }
    size_t p = skip_ws(s, n, k + 1), e = token_end(s, n, p);
    if (e == p) {
        bool empty = p >= n || s[p] == ',' || s[p] == ';';
        *why =
            empty ? "a \";\" with no parameter after it" : "a parameter name that is not a token";
        *at = empty ? k : p;
        return -1;
    }
    *name = p;
    *i = e;
    return 1;
}

/* ---- RFC 8288 §3 Link ---- */

bool rlint_link(const char *s, size_t n, const char **why, size_t *at)
{
    /* Link = #link-value; link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param );
     * link-param = token BWS [ "=" BWS ( token / quoted-string ) ]. Empty list elements are
     * accepted, as RFC 9110 §5.6.1.2 has recipients do. */
    size_t i = 0;
    for (;;) {
        i = skip_ws(s, n, i);
        if (i >= n)
            return true;
        if (s[i] == ',') {
            i++;
            continue;
        }
        size_t start = i;
        if (s[i] != '<')
            FAIL("a link-value that does not begin with \"<\" URI-Reference \">\"", i);
        const char *gt = memchr(s + i + 1, '>', n - i - 1);
        if (!gt)
            FAIL("a target with no \">\" after it", i);
        size_t ue = (size_t)(gt - s);
        const char *w;
        size_t a;
        if (!rlint_uri_reference(s + i + 1, ue - i - 1, &w, &a))
            FAIL(w, i + 1 + a);
        i = ue + 1;
        unsigned rel = 0;
        seen_names once = {.count = 0};
        size_t name;
        int more;
        while ((more = next_param(s, n, &i, &name, why, at)) > 0) {
            size_t name_len = i - name;
            if (rlint_ieq(s + name, name_len, "rel") && ++rel > 1)
                /* RFC 8288 §3.3: "The rel parameter MUST be present but MUST NOT appear more
                 * than once in a given link-value" */
                FAIL("rel twice in one link-value (RFC 8288 §3.3)", name);
            if ((rlint_ieq(s + name, name_len, "title") ||
                 rlint_ieq(s + name, name_len, "title*") || rlint_ieq(s + name, name_len, "type") ||
                 rlint_ieq(s + name, name_len, "media")) &&
                seen_before(&once, s + name, name_len))
                /* RFC 8288 §3.4.1: "The "title", "title*", "type" and "media" parameters MUST
                 * NOT appear more than once in a given link-value" */
                FAIL("title, title*, type or media twice in one link-value (RFC 8288 §3.4.1)",
                     name);
            size_t k = skip_ws(s, n, i);
            if (k < n && s[k] == '=') {
                i = skip_ws(s, n, k + 1);
                size_t ve = param_value(s, n, i, true, why, at);
                if (ve == i)
                    return false;
                i = ve;
            }
        }
        if (more < 0)
            return false;
        if (rel == 0)
            FAIL("a link-value without rel (RFC 8288 §3.3: it MUST be present)", start);
    }
}

/* ---- RFC 7838 §3 Alt-Svc ---- */

/* alt-authority content: [ uri-host ] ":" port (RFC 3986 §3.2.2, §3.2.3: port = *DIGIT). */
static bool alt_authority(const char *s, size_t n, const char **why, size_t *at)
{
    size_t colon;
    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb)
            FAIL("an IP literal without its closing \"]\" in the alt-authority", 0);
        colon = (size_t)(rb - s) + 1;
        if (colon >= n || s[colon] != ':')
            FAIL("no \":\" port after the IP literal in the alt-authority", colon);
    } else {
        const char *c = memchr(s, ':', n);
        if (!c)
            FAIL("an alt-authority without \":\" port (write \"host:port\" or \":port\")", n);
        colon = (size_t)(c - s);
    }
    if (colon && !rlint_uri_host(s, colon))
        FAIL("an alt-authority host that is not a URI host", 0);
    for (size_t k = colon + 1; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            FAIL("an alt-authority port that is not digits", k);
    return true;
}

bool rlint_alt_svc(const char *s, size_t n, bool *clear, const char **why, size_t *at)
{
    /* Alt-Svc = clear / 1#alt-value; clear = %s"clear"; alt-value = alternative *( OWS ";"
     * OWS parameter ); alternative = protocol-id "=" alt-authority; alt-authority =
     * quoted-string; parameter = token "=" ( token / quoted-string ) */
    *clear = n == 5 && memcmp(s, "clear", 5) == 0;
    if (*clear)
        return true;
    bool any = false;
    size_t i = 0;
    for (;;) {
        i = skip_ws(s, n, i);
        if (i >= n)
            break;
        if (s[i] == ',') {
            i++;
            continue;
        }
        any = true;
        size_t p = i;
        i = token_end(s, n, i);
        if (i == p)
            FAIL("a protocol-id that is not a token", p);
        if (i - p == 5 && memcmp(s + p, "clear", 5) == 0 && (i >= n || s[i] != '='))
            FAIL("\"clear\" next to alternatives (it must be the whole value)", p);
        for (size_t k = p; k < i; k++) {
            if (s[k] != '%')
                continue;
            if (k + 2 >= i || !hexdig(s[k + 1]) || !hexdig(s[k + 2]))
                FAIL("\"%\" not followed by two hex digits in the protocol-id", k);
            /* RFC 7838 §3: "When using percent-encoding, uppercase hex digits MUST be used";
             * "Octets in the ALPN protocol name MUST NOT be percent-encoded if they are valid
             * token characters except "%"" */
            if ((s[k + 1] >= 'a' && s[k + 1] <= 'f') || (s[k + 2] >= 'a' && s[k + 2] <= 'f'))
                FAIL("lower-case hex digits in the protocol-id's percent-encoding", k);
            unsigned char o = (unsigned char)(hexval(s[k + 1]) << 4 | hexval(s[k + 2]));
            if (o != '%' && rlint_is_tchar(o))
                FAIL("a percent-encoded token character in the protocol-id", k);
        }
        if (i >= n || s[i] != '=')
            FAIL(i < n && ws(s[i]) ? "a blank before \"=\" (the grammar allows none)"
                                   : "a protocol-id without \"=\" alt-authority",
                 i);
        i++;
        if (i >= n || s[i] != '"')
            FAIL(i < n && ws(s[i]) ? "a blank after \"=\" (the grammar allows none)"
                                   : "an alt-authority that is not a quoted-string (h3=\":443\")",
                 i);
        size_t q = rlint_quoted_len(s + i, n - i);
        if (!q)
            FAIL("a quoted-string that is unterminated or holds a control byte", i);
        char buf[512];
        const char *w;
        size_t a, len = q - 2;
        const char *inner = s + i + 1;
        if (memchr(inner, '\\', len)) {
            len = rlint_unquote(s + i, q, buf, sizeof buf);
            if (len == (size_t)-1)
                FAIL("an alt-authority too long for a host and a port", i);
            inner = buf;
            if (!alt_authority(inner, len, &w, &a))
                FAIL(w, i);
        } else if (!alt_authority(inner, len, &w, &a)) {
            FAIL(w, i + 1 + a);
        }
        i += q;
        size_t name;
        int more;
        while ((more = next_param(s, n, &i, &name, why, at)) > 0) {
            if (i >= n || s[i] != '=')
                FAIL(i < n && ws(s[i]) ? "a blank before \"=\" (the grammar allows none)"
                                       : "a parameter without \"=\" and a value",
                     i);
            size_t v = i + 1, ve = param_value(s, n, v, true, why, at);
            if (ve == v)
                return false;
            /* RFC 7838 §3.1: ma = delta-seconds = 1*DIGIT (a quoted form is unquoted first) */
            if (rlint_ieq(s + name, i - name, "ma")) {
                size_t d = v, de = ve;
                if (s[v] == '"')
                    d++, de--;
                if (d == de)
                    FAIL("an ma that is not a number of seconds (1*DIGIT)", v);
                for (size_t k = d; k < de; k++)
                    if (s[k] < '0' || s[k] > '9')
                        FAIL("an ma that is not a number of seconds (1*DIGIT)", v);
            }
            i = ve;
        }
        if (more < 0)
            return false;
    }
    if (!any)
        FAIL("an empty value (1#alt-value needs one alternative, or clear)", 0);
    return true;
}
