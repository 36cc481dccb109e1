/* The text toolbox (lib/core/text.h): character classes, compares, methods, lists, quoted
 * strings, head ends, and the Structured Fields parser driven by cases written from the
 * examples and the parsing algorithms of RFC 9651. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

#define LIT(s) (s), (sizeof(s) - 1)

static void test_tchar(void **state)
{
    (void)state;
    const char *extra = "!#$%&'*+-.^_`|~";
    for (int c = 0; c < 256; c++) {
        bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c != 0 && strchr(extra, c) != NULL);
        assert_int_equal(rlint_is_tchar((unsigned char)c), want);
    }
    assert_true(rlint_is_token(LIT("no-cache")));
    assert_false(rlint_is_token(LIT("")));
    assert_false(rlint_is_token(LIT("a b")));
    assert_false(rlint_is_token(LIT("a\"")));
}

static void test_compare(void **state)
{
    (void)state;
    assert_true(rlint_ieq(LIT("Content-Length"), "content-length"));
    assert_false(rlint_ieq(LIT("Content-Lengt"), "content-length"));
    assert_false(rlint_ieq(LIT("Content-Lengths"), "content-length"));
    assert_true(rlint_ieq(LIT(""), ""));
    assert_true(rlint_ieq_str("RL2001", "rl2001"));
    assert_false(rlint_ieq_str("RL200", "rl2001"));
    assert_true(rlint_ieq_n("Not Found", "NOT FOUND", 9));
    assert_false(rlint_ieq_n("Not Found", "Not Fount", 9));
    /* only ASCII letters fold: "@" and "`" differ by 0x20 and are not the same */
    assert_false(rlint_ieq_n("@", "`", 1));
    assert_true(rlint_istarts(LIT("X-Archive-Orig-Date"), "x-archive-orig-"));
    assert_false(rlint_istarts(LIT("X-Archive"), "x-archive-orig-"));
    assert_true(rlint_istarts(LIT("anything"), ""));
}

static void test_method(void **state)
{
    (void)state;
    /* RFC 9110 §9.1: the method token is case-sensitive */
    assert_true(rlint_method_is(LIT("HEAD"), "HEAD"));
    assert_false(rlint_method_is(LIT("head"), "HEAD"));
    assert_false(rlint_method_is(LIT("Head"), "HEAD"));
    assert_false(rlint_method_is(LIT("HEADX"), "HEAD"));
    assert_false(rlint_method_is(LIT("HEA"), "HEAD"));
    assert_false(rlint_method_is(NULL, 0, "HEAD"));
    assert_true(rlint_method_is(LIT("CONNECT"), "CONNECT"));
}

/* Joins the members of a list with "|" */
static const char *members(const char *v)
{
    static char out[256];
    size_t o = 0;
    const char *p = v, *end = v + strlen(v), *e;
    size_t n;
    out[0] = '\0';
    while (rlint_list_next(&p, end, &e, &n)) {
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s", o ? "|" : "", (int)n, e);
        assert_true(o < sizeof out);
    }
    assert_ptr_equal(p, end);
    return out;
}

static void test_list(void **state)
{
    (void)state;
    assert_string_equal(members("a, b,c"), "a|b|c");
    /* RFC 9110 §5.6.1: empty members are skipped, wherever they are */
    assert_string_equal(members(", ,a , ,, b ,"), "a|b");
    assert_string_equal(members(""), "");
    assert_string_equal(members(" , ,\t"), "");
    /* commas inside quoted strings do not split, escaped quotes do not end them */
    assert_string_equal(members("W/\"a,b\", \"c\\\",d\" , e"), "W/\"a,b\"|\"c\\\",d\"|e");
    assert_string_equal(members("max-age=60, private=\"Set-Cookie, X\""),
                        "max-age=60|private=\"Set-Cookie, X\"");
    /* an unterminated quoted string runs to the end */
    assert_string_equal(members("a, \"b, c"), "a|\"b, c");
}

static void test_quoted(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(rlint_quoted_len(LIT("\"abc\" rest")), 5);
    assert_int_equal(rlint_quoted_len(LIT("\"a\\\"b\"")), 6);
    assert_int_equal(rlint_quoted_len(LIT("\"\"")), 2);
    assert_int_equal(rlint_quoted_len(LIT("\"abc")), 0);
    assert_int_equal(rlint_quoted_len(LIT("abc\"")), 0);
    assert_int_equal(rlint_quoted_len(LIT("\"a\x01\"")), 0); /* CTL in qdtext */
    assert_int_equal(rlint_quoted_len(LIT("\"a\\")), 0);
    assert_int_equal(rlint_quoted_len(LIT("\"\xe9t\xe9\"")), 5); /* obs-text */
    assert_int_equal(rlint_unquote(LIT("\"a\\\"b\\\\c\""), out, sizeof out), 5);
    assert_memory_equal(out, "a\"b\\c", 5);
    assert_int_equal(rlint_unquote(LIT("\"\""), out, sizeof out), 0);
    assert_int_equal(rlint_unquote(LIT("\"abc\""), out, 2), (size_t)-1);
    assert_int_equal(rlint_unquote(LIT("\"abc\" x"), out, sizeof out), (size_t)-1);

    rlint_quote(out, sizeof out, LIT("a'b\\c\r\n"), 64);
    assert_string_equal(out, "a\\x27b\\x5Cc\\x0D\\x0A");
    rlint_quote(out, sizeof out, LIT("abcdefgh"), 4);
    assert_string_equal(out, "abcd...");
    rlint_quote(out, 6, LIT("abcdefgh"), 64);
    assert_string_equal(out, "abcde");
}

static void test_head_end(void **state)
{
    (void)state;
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody"), 0), 25);
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\nA: b\n\nbody"), 0), 22);
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\nA: b\r\n\r\n"), 0), 24);
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\r\nA: b\n\r\nx"), 0), 24);
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\r\nA: b\r\n\r"), 0), 0);
    assert_int_equal(rlint_head_end(LIT("HTTP/1.1 200 OK\r\nA: b\r\n"), 0), 0);
    assert_int_equal(rlint_head_end(LIT("a\r\nb\r\n\r\nc\r\n\r\n"), 8), 13);
    assert_int_equal(rlint_head_end(LIT(""), 0), 0);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_int_equal(rlint_utf8_len((const unsigned char *)"a", 1), 1);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xe2\x82\xac", 3), 3);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xc0\xaf", 2), 0);     /* overlong */
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xe0\x80\xaf", 3), 0); /* overlong */
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xed\xa0\x80", 3), 0); /* surrogate */
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(rlint_utf8_len((const unsigned char *)"\x80", 1), 0);
    assert_int_equal(rlint_utf8_want(0x41), 1);
    assert_int_equal(rlint_utf8_want(0xc2), 2);
    assert_int_equal(rlint_utf8_want(0xc1), 0);
    assert_int_equal(rlint_utf8_want(0xef), 3);
    assert_int_equal(rlint_utf8_want(0xf4), 4);
    assert_int_equal(rlint_utf8_want(0xf5), 0);
    assert_int_equal(rlint_utf8_want(0x80), 0);
}

static void test_u64(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_true(rlint_parse_u64(LIT("0"), &v));
    assert_int_equal(v, 0);
    assert_true(rlint_parse_u64(LIT("9223372036854775807"), &v));
    assert_int_equal(v, INT64_MAX);
    assert_false(rlint_parse_u64(LIT("9223372036854775808"), &v));
    assert_false(rlint_parse_u64(LIT(""), &v));
    assert_false(rlint_parse_u64(LIT("12a"), &v));
    assert_false(rlint_parse_u64(LIT("-1"), &v));
}

/* ---- Structured Fields ---- */

static size_t dump_value(char *out, size_t cap, const rlint_sf_node *nodes, const rlint_sf_node *x);

static size_t dump_params(char *out, size_t cap, const rlint_sf_node *nodes, const rlint_sf_node *x)
{
    size_t o = 0;
    for (uint32_t i = 0; i < x->nparams; i++) {
        const rlint_sf_node *p = &nodes[x->params + i];
        assert_int_equal(p->role, RLINT_SF_PARAM);
        o += (size_t)snprintf(out + o, cap - o, ";%.*s=", (int)p->key_len, p->key);
        o += dump_value(out + o, cap - o, nodes, p);
    }
    return o;
}

/* One line per value, typed: int:42 dec:4.500 str:"a" tok:a bin:<hex> bool:1 date:5
 * disp:"utf-8" (a b);p=1 */
static size_t dump_value(char *out, size_t cap, const rlint_sf_node *nodes, const rlint_sf_node *x)
{
    char buf[256];
    size_t n, o = 0;
    switch (x->type) {
    case RLINT_SF_INTEGER:
        return (size_t)snprintf(out, cap, "int:%lld", (long long)x->num);
    case RLINT_SF_DECIMAL:
        return (size_t)snprintf(out, cap, "dec:%s%lld.%03lld", x->num < 0 ? "-" : "",
                                (long long)(x->num < 0 ? -x->num : x->num) / 1000,
                                (long long)(x->num < 0 ? -x->num : x->num) % 1000);
    case RLINT_SF_STRING:
        n = rlint_sf_string(x, buf, sizeof buf);
        assert_true(n != (size_t)-1);
        return (size_t)snprintf(out, cap, "str:\"%.*s\"", (int)n, buf);
    case RLINT_SF_TOKEN:
        return (size_t)snprintf(out, cap, "tok:%.*s", (int)x->len, x->text);
    case RLINT_SF_BYTES:
        n = rlint_sf_bytes(x, (unsigned char *)buf, sizeof buf);
        assert_true(n != (size_t)-1);
        o = (size_t)snprintf(out, cap, "bin:");
        for (size_t i = 0; i < n; i++)
            o += (size_t)snprintf(out + o, cap - o, "%02x", (unsigned char)buf[i]);
        return o;
    case RLINT_SF_BOOLEAN:
        return (size_t)snprintf(out, cap, "bool:%lld", (long long)x->num);
    case RLINT_SF_DATE:
        return (size_t)snprintf(out, cap, "date:%lld", (long long)x->num);
    case RLINT_SF_DISPLAY:
        n = rlint_sf_display(x, buf, sizeof buf);
        assert_true(n != (size_t)-1);
        return (size_t)snprintf(out, cap, "disp:\"%.*s\"", (int)n, buf);
    case RLINT_SF_INNER_LIST:
        o = (size_t)snprintf(out, cap, "(");
        for (uint32_t i = 0, k = x->items; i < x->nitems; i++, k = nodes[k].next) {
            const rlint_sf_node *it = &nodes[k];
            assert_int_equal(it->role, RLINT_SF_INNER);
            assert_int_equal(it->key_len, 0);
            if (i)
                o += (size_t)snprintf(out + o, cap - o, " ");
            o += dump_value(out + o, cap - o, nodes, it);
            o += dump_params(out + o, cap - o, nodes, it);
        }
        return o + (size_t)snprintf(out + o, cap - o, ")");
    }
    fail();
    return 0;
}

/* Parses and writes the members as "k=value;p=v, ..." (no "k=" for lists and items), or
 * "ERR@offset" when the value is invalid. */
static const char *sf(rlint_sf_top top, const char *value)
{
    static char out[1024];
    rlint_sf_node nodes[64];
    rlint_sf_result res;
    int rc = rlint_sf_parse(value, strlen(value), top, nodes, 64, &res);
    if (rc == -1) {
        assert_non_null(res.error);
        snprintf(out, sizeof out, "ERR@%zu", res.error_at);
        return out;
    }
    assert_int_equal(rc, 0);
    assert_null(res.error);
    size_t o = 0, seen = 0;
    out[0] = '\0';
    for (size_t i = 0; i < res.count; i = nodes[i].next) {
        const rlint_sf_node *m = &nodes[i];
        assert_int_equal(m->role, RLINT_SF_MEMBER);
        assert_true(m->next > i && m->next <= res.count);
        if (seen++)
            o += (size_t)snprintf(out + o, sizeof out - o, ", ");
        if (top == RLINT_SF_DICT)
            o += (size_t)snprintf(out + o, sizeof out - o, "%.*s=", (int)m->key_len, m->key);
        else
            assert_int_equal(m->key_len, 0);
        o += dump_value(out + o, sizeof out - o, nodes, m);
        o += dump_params(out + o, sizeof out - o, nodes, m);
        assert_true(o < sizeof out);
    }
    assert_int_equal(seen, res.members);
    return out;
}

#define LIST(v) sf(RLINT_SF_LIST, v)
#define DICT(v) sf(RLINT_SF_DICT, v)
#define ITEM(v) sf(RLINT_SF_ITEM, v)

static void test_sf_rfc_examples(void **state)
{
    (void)state;
    /* §3.1 Lists */
    assert_string_equal(LIST("sugar, tea, rum"), "tok:sugar, tok:tea, tok:rum");
    /* §3.1.1 Inner Lists, the empty one included */
    assert_string_equal(LIST("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()"),
                        "(str:\"foo\" str:\"bar\"), (str:\"baz\"), (str:\"bat\" str:\"one\"), ()");
    assert_string_equal(LIST("(\"foo\"; a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1"),
                        "(str:\"foo\";a=int:1;b=int:2);lvl=int:5, (str:\"bar\" str:\"baz\");lvl=int:1");
    /* §3.1.2 Parameters */
    assert_string_equal(LIST("abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w"),
                        "tok:abc;a=int:1;b=int:2;cde_456=bool:1, "
                        "(tok:ghi;jk=int:4 tok:l);q=str:\"9\";r=tok:w");
    assert_string_equal(ITEM("1; a; b=?0"), "int:1;a=bool:1;b=bool:0");
    /* §3.2 Dictionaries */
    assert_string_equal(DICT("en=\"Applepie\", da=:w4ZibGV0w6ZydGUK:"),
                        "en=str:\"Applepie\", da=bin:c386626c6574c3a6727465" "0a");
    assert_string_equal(DICT("a=?0, b, c; foo=bar"), "a=bool:0, b=bool:1, c=bool:1;foo=tok:bar");
    assert_string_equal(DICT("rating=1.5, feelings=(joy sadness)"),
                        "rating=dec:1.500, feelings=(tok:joy tok:sadness)");
    assert_string_equal(DICT("a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid"),
                        "a=(int:1 int:2), b=int:3, c=int:4;aa=tok:bb, d=(int:5 int:6);valid=bool:1");
    /* §3.3 Items and each bare item type */
    assert_string_equal(ITEM("5; foo=bar"), "int:5;foo=tok:bar");
    assert_string_equal(ITEM("42"), "int:42");
    assert_string_equal(ITEM("4.5"), "dec:4.500");
    assert_string_equal(ITEM("\"hello world\""), "str:\"hello world\"");
    assert_string_equal(ITEM("foo123/456"), "tok:foo123/456");
    assert_string_equal(ITEM(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:"),
                        "bin:70726574656e6420746869732069732062696e61727920636f6e74656e742e");
    assert_string_equal(ITEM("?1"), "bool:1");
    assert_string_equal(ITEM("@1659578233"), "date:1659578233");
    assert_string_equal(ITEM("%\"This is intended for display to %c3%bcsers.\""),
                        "disp:\"This is intended for display to \xc3\xbcsers.\"");
}

static void test_sf_numbers(void **state)
{
    (void)state;
    assert_string_equal(ITEM("999999999999999"), "int:999999999999999");
    assert_string_equal(ITEM("-999999999999999"), "int:-999999999999999");
    assert_string_equal(ITEM("1000000000000000"), "ERR@15");
    assert_string_equal(ITEM("-0"), "int:0");
    assert_string_equal(ITEM("007"), "int:7");
    assert_string_equal(ITEM("123456789012.123"), "dec:123456789012.123");
    assert_string_equal(ITEM("-1.01"), "dec:-1.010");
    assert_string_equal(ITEM("1234567890123.0"), "ERR@13"); /* 13 digits before the point */
    assert_string_equal(ITEM("1.2345"), "ERR@6");
    assert_string_equal(ITEM("1."), "ERR@2");
    assert_string_equal(ITEM("-"), "ERR@1");
    assert_string_equal(ITEM("- 1"), "ERR@1");
    assert_string_equal(ITEM("1.5.2"), "ERR@3"); /* a second point is left over */
    assert_string_equal(ITEM("@-1"), "date:-1");
    assert_string_equal(ITEM("@1.5"), "ERR@4");
    assert_string_equal(ITEM("@"), "ERR@1");
}

static void test_sf_strings_tokens_bytes(void **state)
{
    (void)state;
    assert_string_equal(ITEM("\"a\\\"b\\\\c\""), "str:\"a\"b\\c\"");
    assert_string_equal(ITEM("\"\""), "str:\"\"");
    assert_string_equal(ITEM("\"a\\nb\""), "ERR@3");  /* only \" and \\ are escapes */
    assert_string_equal(ITEM("\"abc"), "ERR@4");
    assert_string_equal(ITEM("\"a\tb\""), "ERR@2");   /* HTAB is not allowed in a String */
    assert_string_equal(ITEM("\"\xc3\xa9\""), "ERR@1"); /* nor non-ASCII */
    assert_string_equal(ITEM("*foo"), "tok:*foo");
    assert_string_equal(ITEM("a:b/c!#"), "tok:a:b/c!#");
    assert_string_equal(ITEM("_a"), "ERR@0");
    assert_string_equal(ITEM("a\"b"), "ERR@1"); /* a token ends; the rest is not SP */
    assert_string_equal(ITEM("::"), "bin:");
    assert_string_equal(ITEM(":aGVsbG8:"), "bin:68656c6c6f");   /* no padding: accepted */
    assert_string_equal(ITEM(":aGVsbG9=:"), "bin:68656c6c6f");  /* non-zero pad bits */
    assert_string_equal(ITEM(":aGVsbG8=:"), "bin:68656c6c6f");
    assert_string_equal(ITEM(":aGVs=bG8:"), "ERR@6");
    assert_string_equal(ITEM(":aGVsbG8"), "ERR@8");
    assert_string_equal(ITEM(":aGV-bG8:"), "ERR@4");
    assert_string_equal(ITEM(":a:"), "ERR@2");
    assert_string_equal(ITEM("?"), "ERR@1");
    assert_string_equal(ITEM("?2"), "ERR@1");
    assert_string_equal(ITEM("?10"), "ERR@2");
}

static void test_sf_display(void **state)
{
    (void)state;
    assert_string_equal(ITEM("%\"\""), "disp:\"\"");
    assert_string_equal(ITEM("%\"%e2%82%ac 1\""), "disp:\"\xe2\x82\xac 1\"");
    assert_string_equal(ITEM("%\"%C3%BC\""), "ERR@2");   /* upper-case hex */
    assert_string_equal(ITEM("%\"%c3\""), "ERR@2");      /* a UTF-8 sequence cut short */
    assert_string_equal(ITEM("%\"%c3x\""), "ERR@2");
    assert_string_equal(ITEM("%\"%ff\""), "ERR@2");      /* never valid in UTF-8 */
    assert_string_equal(ITEM("%\"%ed%a0%80\""), "ERR@2"); /* a surrogate */
    assert_string_equal(ITEM("%\"%c0%af\""), "ERR@2");   /* overlong */
    assert_string_equal(ITEM("%\"%2\""), "ERR@2");
    assert_string_equal(ITEM("%abc"), "ERR@1");
    assert_string_equal(ITEM("%\"abc"), "ERR@5");
    assert_string_equal(ITEM("%\"a%f0%9f%98%80b\""), "disp:\"a\xf0\x9f\x98\x80" "b\"");
    assert_string_equal(ITEM("%\"%f4%90%80%80\""), "ERR@2"); /* past U+10FFFF */
}

static void test_sf_structure(void **state)
{
    (void)state;
    /* empty and white space */
    assert_string_equal(LIST(""), "");
    assert_string_equal(DICT("   "), "");
    assert_string_equal(ITEM(""), "ERR@0");
    assert_string_equal(ITEM("  1  "), "int:1");
    assert_string_equal(LIST("\t1"), "ERR@0"); /* only SP may lead */
    assert_string_equal(LIST("1 ,\t2"), "int:1, int:2");
    assert_string_equal(LIST("1,2,"), "ERR@4");
    assert_string_equal(LIST("1,,2"), "ERR@2");
    assert_string_equal(LIST("1 2"), "ERR@2");
    assert_string_equal(LIST(",1"), "ERR@0");
    /* inner lists */
    assert_string_equal(LIST("( 1  2 )"), "(int:1 int:2)");
    assert_string_equal(LIST("(1,2)"), "ERR@2");
    assert_string_equal(LIST("(1 2"), "ERR@4");
    assert_string_equal(LIST("((1))"), "ERR@1");
    assert_string_equal(ITEM("(1)"), "ERR@0");
    /* dictionary keys and duplicates: the last one wins */
    assert_string_equal(DICT("a=1, b=2, a=3"), "a=int:1, b=int:2, a=int:3");
    assert_string_equal(DICT("A=1"), "ERR@0");
    assert_string_equal(DICT("a=1 b=2"), "ERR@4");
    assert_string_equal(DICT("*a.b-c_d9=1"), "*a.b-c_d9=int:1");
    assert_string_equal(DICT("a="), "ERR@2");
    assert_string_equal(DICT("a=1;"), "ERR@4");
    assert_string_equal(DICT("a=1; B=2"), "ERR@5");
    assert_string_equal(ITEM("1;a=1;a=2"), "int:1;a=int:1;a=int:2");
    assert_string_equal(ITEM("1 ;a"), "ERR@2"); /* no SP before ";" */

    rlint_sf_node nodes[16];
    rlint_sf_result res;
    const char *v = "a=1, b=(x y);p=?0, a=\"z\";q";
    assert_int_equal(rlint_sf_parse(v, strlen(v), RLINT_SF_DICT, nodes, 16, &res), 0);
    assert_int_equal(res.members, 3);
    const rlint_sf_node *a = rlint_sf_dict_get(nodes, &res, "a");
    assert_non_null(a);
    assert_int_equal(a->type, RLINT_SF_STRING);
    assert_int_equal(a->offset, 19);
    assert_non_null(rlint_sf_param(nodes, a, "q"));
    const rlint_sf_node *b = rlint_sf_dict_get(nodes, &res, "b");
    assert_non_null(b);
    assert_int_equal(b->nitems, 2);
    const rlint_sf_node *p = rlint_sf_param(nodes, b, "p");
    assert_non_null(p);
    assert_int_equal(p->type, RLINT_SF_BOOLEAN);
    assert_int_equal(p->num, 0);
    assert_null(rlint_sf_param(nodes, b, "q"));
    assert_null(rlint_sf_dict_get(nodes, &res, "c"));
    char out[4];
    assert_int_equal(rlint_sf_string(a, out, sizeof out), 1);
    assert_int_equal(rlint_sf_string(b, out, sizeof out), (size_t)-1);
    assert_int_equal(rlint_sf_bytes(a, (unsigned char *)out, sizeof out), (size_t)-1);
}

static void test_sf_node_cap(void **state)
{
    (void)state;
    rlint_sf_node nodes[2];
    rlint_sf_result res;
    /* three members in two nodes: the first two are kept, the parse says it ran out */
    assert_int_equal(rlint_sf_parse(LIT("1, 2, 3"), RLINT_SF_LIST, nodes, 2, &res), -2);
    assert_int_equal(res.count, 2);
    assert_int_equal(nodes[0].num, 1);
    assert_int_equal(nodes[1].num, 2);
    assert_non_null(res.error);
    /* an invalid value is reported as invalid even past the cap */
    assert_int_equal(rlint_sf_parse(LIT("1, 2, 3, ?x"), RLINT_SF_LIST, nodes, 2, &res), -1);
    assert_int_equal(res.error_at, 10);
    assert_int_equal(rlint_sf_parse(LIT("1;a;b;c"), RLINT_SF_ITEM, nodes, 2, &res), -2);
    assert_int_equal(nodes[1].key_len, 1);
    assert_int_equal(nodes[0].nparams, 3);
    assert_int_equal(rlint_sf_parse(LIT("1"), RLINT_SF_ITEM, nodes, 0, &res), -2);
    assert_int_equal(res.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tchar),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_method),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_head_end),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_sf_rfc_examples),
        cmocka_unit_test(test_sf_numbers),
        cmocka_unit_test(test_sf_strings_tokens_bytes),
        cmocka_unit_test(test_sf_display),
        cmocka_unit_test(test_sf_structure),
        cmocka_unit_test(test_sf_node_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
