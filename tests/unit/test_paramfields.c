/* The grammars of lib/core/paramfields.c, called directly: Content-Disposition and ext-value
 * (RFC 6266, RFC 8187), Link (RFC 8288) and Alt-Svc (RFC 7838). Valid cases are the RFCs' own
 * examples, the traps T48, T49, T51 and values seen in ../shared/corpus; each invalid case
 * names the fault's offset and a word of its reason. */
#include "helpers.h"

#include "internal.h"

typedef bool (*grammar_fn)(const char *s, size_t n, const char **why, size_t *at);

typedef struct bad_case {
    const char *value;
    size_t at;        /* 0-based offset of the fault */
    const char *word; /* a piece of the reason */
} bad_case;

static bool alt_svc(const char *s, size_t n, const char **why, size_t *at)
{
    bool clear;
    return rlint_alt_svc(s, n, &clear, why, at);
}

static void all_good(grammar_fn fn, const char *const *good, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *why = NULL;
        size_t at = 0;
        if (!fn(good[i], strlen(good[i]), &why, &at))
            fail_msg("rejected '%s': %s at %zu", good[i], why, at);
    }
}

static void all_bad(grammar_fn fn, const bad_case *bad, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *why = NULL;
        size_t at = 0;
        if (fn(bad[i].value, strlen(bad[i].value), &why, &at))
            fail_msg("accepted '%s'", bad[i].value);
        assert_non_null(why);
        if (at != bad[i].at || !strstr(why, bad[i].word))
            fail_msg("'%s': got \"%s\" at %zu, want \"%s\" at %zu", bad[i].value, why, at,
                     bad[i].word, bad[i].at);
    }
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_ext_value(void **state)
{
    (void)state;
    static const char *const good[] = {
        /* RFC 8187 §3.2.2 */
        "iso-8859-1'en'%A3%20rates",
        "UTF-8''%c2%a3%20and%20%e2%82%ac%20rates",
        /* RFC 6266 §5 */
        "UTF-8''%e2%82%ac%20rates",
        "utf-8''%e2%82%ac%20rates",
        /* RFC 8288 §3.5 */
        "UTF-8'de'letztes%20Kapitel",
        "UTF-8'de'n%c3%a4chstes%20Kapitel",
        "UTF-8'en-US'x",
        "UTF-8''",
        "UTF-8''%F0%9F%98%80.txt",
    };
    all_good(rlint_ext_value, good, COUNT(good));
    static const bad_case bad[] = {
        {"rates.pdf", 0, "charset"},
        {"''x", 0, "empty charset"},
        {"windows-1252''x", 0, "UTF-8 or ISO-8859-1"},
        {"UTF-8'x", 5, "one \"'\""},
        {"UTF-8'1x'y", 6, "language"},
        {"UTF-8''a b", 8, "percent-encode"},
        {"UTF-8''a'b", 8, "percent-encode"},
        {"UTF-8''a*b", 8, "percent-encode"},
        {"UTF-8''%zz", 7, "two hex digits"},
        {"UTF-8''%e2%82", 7, "not UTF-8"},
        {"UTF-8''%c0%af", 7, "not UTF-8"},    /* overlong */
        {"UTF-8''%ed%a0%80", 7, "not UTF-8"}, /* a surrogate */
        {"UTF-8''a%ff", 8, "not UTF-8"},
        {"UTF-8''\xc3\xa9", 7, "non-ASCII"},
    };
    all_bad(rlint_ext_value, bad, COUNT(bad));
    /* ISO-8859-1 has no invalid byte */
    const char *why = NULL;
    size_t at = 0;
    assert_true(rlint_ext_value("ISO-8859-1''%ff%e9", 18, &why, &at));
}

static void test_content_disposition(void **state)
{
    (void)state;
    static const char *const good[] = {
        /* RFC 6266 §5 */
        "Attachment; filename=example.html",
        "INLINE; FILENAME= \"an example.html\"", /* T48: implied LWS */
        "attachment; filename*= UTF-8''%e2%82%ac%20rates",
        "attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates",
        /* T48: raw UTF-8 in a quoted filename (obs-text) */
        "attachment; filename=\"r\xc3\xa9sum\xc3\xa9.pdf\"",
        "inline",
        "attachment",
        "form-data; name=\"file\"; filename=\"otherhtp.pcap\"",
        "attachment; filename=micromsgresp.dat",
        "attachment ; filename = a.txt ; size=42",
        "attachment; filename=\"a;b,c.txt\"",
        "attachment; filename=\"\"",
        "attachment; title*=ISO-8859-1'en'%A3%20rates",
    };
    all_good(rlint_content_disposition, good, COUNT(good));
    static const bad_case bad[] = {
        {"", 0, "not a token"},
        {"; filename=a", 0, "not a token"},
        {"attachment filename=a", 11, "\";\""},
        {"attachment; filename=my file.pdf", 23, "blank inside an unquoted value"},
        {"attachment; filename=r\xc3\xa9sum\xc3\xa9.pdf", 22, "token cannot hold"},
        {"attachment; filename=a,b.txt", 22, "token cannot hold"},
        {"attachment; filename", 20, "without \"=\""},
        {"attachment; filename=", 21, "neither a token nor a quoted-string"},
        {"attachment; filename=\"a.txt", 21, "unterminated"},
        {"attachment; filename=\"a.txt\" b", 29, "\";\""},
        {"attachment;", 10, "trailing"},
        {"attachment; filename=a;", 22, "trailing"},
        {"attachment;; filename=a", 11, "empty parameter"},
        {"attachment; filename=a; FILENAME=b", 24, "twice"},
        {"attachment; filename*=\"UTF-8''a\"", 22, "in quotes"},
        {"attachment; filename*=a.txt", 22, "charset"},
        {"attachment; filename*=UTF-8''%e2%82", 29, "not UTF-8"},
        {"attachment; filename*=UTF-8''a b", 30, "blank inside"},
        {"attachment; filename*=UTF-8''r\xc3\xa9", 30, "non-ASCII"},
        {"attachment; filename*=", 22, "without an ext-value"},
        {"attachment; filename*=; a=b", 22, "without an ext-value"},
        {"attachment; filename*=(a)", 22, "percent-encode"},
        {"attachment; filename*=UTF-8''a,b", 30, "percent-encode"},
    };
    all_bad(rlint_content_disposition, bad, COUNT(bad));
}

static void test_link(void **state)
{
    (void)state;
    static const char *const good[] = {
        /* RFC 8288 §3.5 */
        "<http://example.com/TheBook/chapter2>; rel=\"previous\"; title=\"previous chapter\"",
        "</>; rel=\"http://example.net/foo\"",
        "</terms>; rel=\"copyright\"; anchor=\"#foo\"",
        "</TheBook/chapter2>; rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel, "
        "</TheBook/chapter4>; rel=\"next\"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel",
        "<http://example.org/>; rel=\"start http://example.net/relation/other\"",
        "<https://example.org/>; rel=\"start\", <https://example.org/index>; rel=\"index\"",
        /* T49: commas inside <...> and inside quoted strings, a parameter without a value */
        "<https://fonts.googleapis.com/css?family=A,B>; rel=preload; as=style",
        "</a.css>; rel=preload; title=\"a, b; c\", </b.js>; rel=preload; as=script",
        "<https://cdn.example>; rel=preconnect; crossorigin",
        "<https://cdn.example>; rel=preconnect; crossorigin, </x.woff2>; rel=preload; as=font; "
        "crossorigin=anonymous",
        /* ../shared/corpus (jwarc__cc) */
        "<http://commoncrawl.org/>; rel=shortlink",
        "<http://commoncrawl.org/wp-json/>; rel=\"https://api.w.org/\"",
        /* BWS around "=", OWS around ";", empty list elements (RFC 9110 §5.6.1.2) */
        "</x> ;rel = next ; type=\"text/html\"",
        "</x>; rel=next,, </y>; rel=prev,",
        "</x>; rel=alternate; hreflang=de; hreflang=en",
        "",
    };
    all_good(rlint_link, good, COUNT(good));
    static const bad_case bad[] = {
        {"http://example.com/; rel=next", 0, "begin with \"<\""},
        {"<http://example.com/; rel=next", 0, "\">\""},
        {"</a b>; rel=next", 3, "space"},
        {"</\xc3\xa9>; rel=next", 2, "non-ASCII"},
        {"</%zz>; rel=next", 2, "hex digits"},
        {"</a\"b>; rel=next", 3, "percent-encode"},
        {"</x>", 0, "without rel"},
        {"</x>; rel=next, </y>; as=style", 16, "without rel"},
        {"</x>; rel=next; REL=prev", 16, "rel twice"},
        {"</x>; rel=next; title=a; title=b", 25, "twice"},
        {"</x>; rel=next; type=a; Type=b", 24, "twice"},
        {"</x>; rel=next; media=a; media=b", 25, "twice"},
        {"</x>; rel=next;", 14, "no parameter"},
        {"</x>; rel=next; , </y>; rel=prev", 14, "no parameter"},
        {"</x>; rel=next as=style", 14, "blank inside an unquoted value"},
        {"</x> rel=next", 5, "\";\""},
        {"</x>; rel=\"next", 10, "unterminated"},
        {"</x>; rel=", 10, "neither a token nor a quoted-string"},
        {"</x>; (rel)=next", 6, "not a token"},
    };
    all_bad(rlint_link, bad, COUNT(bad));
}

static void test_alt_svc(void **state)
{
    (void)state;
    static const char *const good[] = {
        /* RFC 7838 §3 and §3.1 */
        "h2=\":8000\"",
        "h2=\"new.example.org:80\"",
        "h2=\"alt.example.com:8000\", h2=\":443\"",
        "h2=\":443\"; ma=3600",
        "h2=\":443\"; ma=2592000; persist=1",
        "w%3Dx%3Ay#z=\":8000\"", /* §3: the ALPN name w=x:y#z */
        "x%25y=\":8000\"",       /* §3: the ALPN name x%y */
        "clear",                 /* T51 */
        /* T51: several alternatives, unknown parameters; values from ../shared/corpus */
        "h3=\":443\"; ma=86400",
        "h3=\":443\"; ma=2592000,h3-29=\":443\"; ma=2592000",
        "quic=\":443\"; p=\"1\"; ma=604800",
        "hq=\":443\"; ma=2592000; quic=51303431; quic=51303339; quic=51303338; quic=51303337; "
        "quic=51303335,quic=\":443\"; ma=2592000; v=\"41,39,38,37,35\"",
        "quic=\"googleads.g.doubleclick.net:443\"; ma=2592000; v=\"41,39,38,37,35\",quic=\":443\"",
        "h2=\"[2001:db8::1]:443\"",
        "h2=\"192.0.2.1:443\"; ma=\"60\"",
        "h2=\"a\\.example:443\"",
    };
    all_good(alt_svc, good, COUNT(good));
    static const bad_case bad[] = {
        {"", 0, "empty"},
        {" , ", 0, "empty"},
        {"h3=:443", 3, "not a quoted-string"},
        {"h2=\"alt.example.com\"", 19, "port"},
        {"h2=\":443\"; ma=1d", 14, "ma"},
        {"h2=\":443\"; ma=\"\"", 14, "ma"},
        {"h2=\":443\"; ma=-1", 14, "ma"},
        {"clear, h3=\":443\"", 0, "clear"},
        {"h3=\":443\", clear", 11, "clear"},
        {"Clear", 5, "without \"=\""},
        {"h2 = \":443\"", 2, "blank before"},
        {"h2=\":443\"; ma = 60", 13, "blank before"},
        {"h2=\":443\";", 9, "no parameter"},
        {"h2=\":443\"; persist", 18, "without \"=\""},
        {"h2=\":443\" ma=60", 10, "\";\""},
        {"h2=\":44a\"", 7, "port"},
        {"h2=\"a b:443\"", 4, "host"},
        {"h2=\"[::1:443\"", 4, "IP literal"},
        {"h2=\"[::1]443\"", 9, "IP literal"},
        {"h2%=\":443\"", 2, "hex digits"},
        {"x%3dy=\":443\"", 1, "lower-case"},
        {"%68%32=\":443\"", 0, "token character"},
        {"\"h2\"=\":443\"", 0, "not a token"},
        {"h2=\":443", 3, "unterminated"},
    };
    all_bad(alt_svc, bad, COUNT(bad));
    bool clear = false;
    const char *why = NULL;
    size_t at = 0;
    assert_true(rlint_alt_svc("clear", 5, &clear, &why, &at));
    assert_true(clear);
    assert_true(rlint_alt_svc("h2=\":443\"", 9, &clear, &why, &at));
    assert_false(clear);
}

static void test_uri_host(void **state)
{
    (void)state;
    assert_true(rlint_uri_host("", 0));
    assert_true(rlint_uri_host("alt.example.com", 15));
    assert_true(rlint_uri_host("[::1]", 5));
    assert_true(rlint_uri_host("a%2Db", 5));
    assert_false(rlint_uri_host("a%2", 3));
    assert_false(rlint_uri_host("a b", 3));
    assert_false(rlint_uri_host("[::1", 4));
    assert_false(rlint_uri_host("a/b", 3));
}

/* Deterministic mutations of valid values (xorshift): whatever the bytes, a parser returns, and
 * a fault's offset lies inside the value (at most its length: "at the end"). Run under ASan in
 * CI, this also reads every byte path for out-of-bounds reads. */
static void test_mutations(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates",
        "INLINE; FILENAME= \"an example.html\"",
        "</TheBook/chapter2>; rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel, "
        "<http://[::1]:8080/x?a=b#c>; rel=next; crossorigin",
        "h3=\":443\"; ma=86400, h3-29=\"[2001:db8::1]:443\"; ma=\"60\", h2=\"a\\.b:1\"",
        "clear",
    };
    static const char alphabet[] = ";,=\"'<>% \t\\*:[]()/a0\x80\xc3\xa9";
    grammar_fn fns[] = {rlint_content_disposition, rlint_link, alt_svc, rlint_ext_value};
    uint32_t x = 2463534242u;
    char buf[256];
    for (size_t round = 0; round < 20000; round++) {
        const char *seed = seeds[round % (sizeof seeds / sizeof seeds[0])];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int m = 0; m < 1 + (int)(round % 4); m++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            size_t pos = n ? x % n : 0;
            char ch = alphabet[(x >> 8) % (sizeof alphabet - 1)];
            switch ((x >> 16) % 3) {
            case 0: /* replace */
                if (n)
                    buf[pos] = ch;
                break;
            case 1: /* insert */
                if (n + 1 < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, n - pos);
                    buf[pos] = ch;
                    n++;
                }
                break;
            default: /* cut */
                n = pos;
            }
        }
        for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
            /* an exact-size heap copy, so that ASan sees a read past the value */
            char *v = malloc(n ? n : 1);
            assert_non_null(v);
            memcpy(v, buf, n);
            const char *why = NULL;
            size_t at = SIZE_MAX;
            if (!fns[f](v, n, &why, &at)) {
                assert_non_null(why);
                if (at > n)
                    fail_msg("'%.*s': fault at %zu past the end (%zu)", (int)n, v, at, n);
            }
            free(v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_value), cmocka_unit_test(test_content_disposition),
        cmocka_unit_test(test_link),      cmocka_unit_test(test_alt_svc),
        cmocka_unit_test(test_uri_host),  cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
