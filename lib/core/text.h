/* The text toolbox: the one place every layer of resplint (core, rules, readers, reports, CLI,
 * nginx module) takes its HTTP text helpers from. Not installed; self-contained (C11 headers
 * only), so code outside lib/core includes it as "../core/text.h" (the CLI, the nginx module
 * by its path in the tree).
 *
 * Linking: the functions live in lib/core/text.c and lib/core/sf.c, object files of the core.
 * The in-tree static libraries reach them through libresplint.a; the shared libraries export
 * only resplint_*, so each shared library (core, capture, report) carries its own hidden copy
 * of these objects (cmake/install.cmake, the target resplint_text).
 *
 * Contract for all of it: no allocation, no global state, thread-safe; spans point into the
 * caller's bytes and live as long as they do; every output goes into a buffer the caller
 * passes with its size. Nothing here needs a NUL-terminated input unless it says so. */
#ifndef RLINT_TEXT_H
#define RLINT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- characters ---- */

/* ASCII lowercase of c; bytes outside A-Z unchanged (no locale). */
static inline char rlint_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* The value of a hex digit, -1 for any other byte. */
static inline int rlint_hexval(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* tchar (RFC 9110 §5.6.2): "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA. A table (text.c), 1 for a tchar: token scans read one
 * byte per step, and a lookup costs less than any test of ranges or bits. */
extern const uint8_t rlint_tchar_table[256];
static inline bool rlint_is_tchar(unsigned char c) { return rlint_tchar_table[c] != 0; }

/* True when s[0..n) is a token (1*tchar, RFC 9110 §5.6.2); false for the empty string. */
bool rlint_is_token(const char *s, size_t n);

/* ---- comparison ---- */

/* ASCII case-insensitive: a[0..alen) equals the NUL-terminated `lower`, which must be written
 * in lower case ("content-length"). The usual way to compare a field name or a token. */
bool rlint_ieq_text(const char *a, size_t alen, const char *lower);
/* The same, without a call when `lower` is a literal of another length (the usual mismatch:
 * a directive or parameter name compared against each known one). */
static inline bool rlint_ieq(const char *a, size_t alen, const char *lower)
{
#if defined(__GNUC__)
    if (__builtin_constant_p(__builtin_strlen(lower)) && __builtin_strlen(lower) != alen)
        return false;
#endif
    return rlint_ieq_text(a, alen, lower);
}

/* Folds the case of ASCII letters in a word of bytes: every byte with bit 0x40 gets bit 0x20
 * too. Against a word of lower-case letters, digits and '-', a folded byte matches only the
 * same byte or its upper case: no CR, NUL or 0xC0.. byte can pass for one, as bytes without
 * bit 0x40 are left alone and those with it end up with 0x60 set. */
static inline uint64_t rlint_fold64(uint64_t x) { return x | ((x & 0x4040404040404040ull) >> 1); }

/* rlint_ieq for a `lower` of exactly n bytes made of lower-case letters, digits and '-' (a
 * field or directive name), compared a word at a time through rlint_fold64: for the hot
 * paths (Cache-Control directives of every response). */
static inline bool rlint_ieq_name(const char *s, const char *lower, size_t n)
{
    uint64_t a, b;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&a, s + i, 8);
            memcpy(&b, lower + i, 8);
            if (rlint_fold64(a) != b)
                return false;
        }
        memcpy(&a, s + n - 8, 8);
        memcpy(&b, lower + n - 8, 8);
        return rlint_fold64(a) == b;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        memcpy(&u, lower, 4);
        memcpy(&v, lower + n - 4, 4);
        return rlint_fold64(x) == u && rlint_fold64(y) == v;
    }
    return rlint_ieq(s, n, lower);
}
/* ASCII case-insensitive, both sides NUL-terminated and in any case. */
bool rlint_ieq_str(const char *a, const char *b);
/* ASCII case-insensitive: a[0..n) equals b[0..n), either side in any case. */
bool rlint_ieq_n(const char *a, const char *b, size_t n);
/* ASCII case-insensitive: a[0..alen) begins with the NUL-terminated lower-case `prefix`. */
bool rlint_istarts(const char *a, size_t alen, const char *prefix);

/* Request methods are case-sensitive (RFC 9110 §9.1: "The method token is case-sensitive"):
 * true when m[0..len) is exactly the NUL-terminated `method` ("HEAD"); "head" is another,
 * unregistered method. */
static inline bool rlint_method_is(const char *m, size_t len, const char *method)
{
    size_t i = 0;
    for (; i < len && method[i]; i++)
        if (m[i] != method[i])
            return false;
    return i == len && method[i] == '\0';
}

/* ---- lists and quoted strings ---- */

/* Next member of a comma-separated list (RFC 9110 §5.6.1 #rule): commas inside a
 * quoted-string do not split; each member is trimmed of OWS; empty members ("a, ,b", a
 * leading or trailing comma) are skipped. Start with *p at the value and end after it; each
 * call sets elem/elen and advances *p. Returns false (and *p = end) when no member is left.
 * An unterminated quoted-string runs to the end of the value (the member is then the rest). */
bool rlint_list_next(const char **p, const char *end, const char **elem, size_t *elen);

/* Length of the quoted-string (RFC 9110 §5.6.4) that begins at s[0] (a DQUOTE), both quotes
 * included; 0 when s does not begin with a complete, valid quoted-string (no closing quote,
 * a control byte, a quoted-pair of a byte outside HTAB / SP / VCHAR / obs-text). */
size_t rlint_quoted_len(const char *s, size_t n);
/* Unquotes the quoted-string at s[0..n) (as rlint_quoted_len measures it: n must be that
 * length) into out[0..cap): the quotes go, each quoted-pair becomes its byte. Returns the
 * unquoted length (no NUL is written), or (size_t)-1 when s is not a quoted-string of length n
 * or the result does not fit in cap. */
size_t rlint_unquote(const char *s, size_t n, char *out, size_t cap);

/* Writes bytes for a human message into out[0..outlen) (always NUL-terminated when outlen > 0):
 * printable ASCII is kept except the backslash and the single quote (messages put the
 * result between single quotes), every other byte becomes \xNN (upper-case hex); at most `max` input bytes, then "..." when there were more. */
void rlint_quote(char *out, size_t outlen, const char *s, size_t len, size_t max);

/* ---- UTF-8 ---- */

/* Bytes of the well-formed UTF-8 sequence (RFC 3629) at p[0..avail) (1-4), 0 when it is not
 * one: overlong forms, surrogates and code points past U+10FFFF are rejected, as JSON and XML
 * parsers do. avail must be at least 1. */
size_t rlint_utf8_len(const unsigned char *p, size_t avail);
/* The length a UTF-8 sequence beginning with `lead` has (1-4), 0 for a byte that cannot begin
 * one (a continuation byte, C0, C1, F5-FF). */
size_t rlint_utf8_want(unsigned char lead);

/* ---- numbers ---- */

/* Parses 1*DIGIT into *out; false on anything else or on overflow of 63 bits. */
bool rlint_parse_u64(const char *s, size_t len, uint64_t *out);

/* ---- message heads ---- */

/* Index just past the blank line that ends a head in p[from..n), or 0 if none yet. A head
 * ends at LF followed by CRLF or LF (RFC 9112 §2.2 lets a recipient take a bare LF as a line
 * end), so both CRLFCRLF and LFLF end it. `from` may point past bytes known to hold no end. */
size_t rlint_head_end(const char *p, size_t n, size_t from);

/* ---- Structured Field Values (RFC 9651) ----
 *
 * rlint_sf_parse reads a whole field value (the field lines already joined with ", ") as a
 * List, a Dictionary or an Item and writes what it found into the caller's node array, in the
 * order it appears; nothing is allocated and every span points into the value.
 *
 *   Each top-level member (a List member, a Dictionary member, or the one Item) is a node of
 *   role RLINT_SF_MEMBER. A member whose value is an Inner List is followed by its items
 *   (role RLINT_SF_INNER, each followed by its own parameters); then come the member's
 *   parameters (role RLINT_SF_PARAM). Indexes say where each part is, so callers need not
 *   walk the layout themselves:
 *
 *     for (size_t i = 0; i < res.count; i = nodes[i].next) {          // members
 *         for (uint32_t j = 0; j < nodes[i].nparams; j++)             // their parameters
 *             ... nodes[nodes[i].params + j] ...
 *         for (uint32_t j = 0, k = nodes[i].items; j < nodes[i].nitems; j++, k = nodes[k].next)
 *             ... nodes[k] ...                                        // inner-list items
 *     }
 *
 * Dictionary keys and parameter keys are not made unique: RFC 9651 §4.2.2 says a later
 * duplicate overwrites the earlier one, which rlint_sf_dict_get and rlint_sf_param honour by
 * returning the last. Dates and Integers are range-checked (15 digits); Decimals are kept as
 * thousandths (12 integer digits and 3 fraction digits fit an int64_t exactly).
 *
 * Byte Sequences accept a missing "=" padding and non-zero pad bits (§4.2.7 says parsers SHOULD
 * NOT fail on those); Display Strings must be valid UTF-8 after percent-decoding (§4.2.10). */

typedef enum rlint_sf_top { RLINT_SF_LIST, RLINT_SF_DICT, RLINT_SF_ITEM } rlint_sf_top;

typedef enum rlint_sf_type {
    RLINT_SF_INTEGER,
    RLINT_SF_DECIMAL,
    RLINT_SF_STRING,
    RLINT_SF_TOKEN,
    RLINT_SF_BYTES,
    RLINT_SF_BOOLEAN,
    RLINT_SF_DATE,
    RLINT_SF_DISPLAY,
    RLINT_SF_INNER_LIST /* a member's value only */
} rlint_sf_type;

typedef enum rlint_sf_role { RLINT_SF_MEMBER, RLINT_SF_INNER, RLINT_SF_PARAM } rlint_sf_role;

typedef struct rlint_sf_node {
    rlint_sf_role role;
    rlint_sf_type type;
    /* INTEGER, DATE: the value; DECIMAL: the value times 1000; BOOLEAN: 0 or 1 */
    int64_t num;
    /* STRING: between the quotes, escapes still in (rlint_sf_string unescapes); TOKEN: the
     * token; BYTES: the base64 between the colons (rlint_sf_bytes decodes); DISPLAY: between
     * the quotes, %xx still in (rlint_sf_display decodes); numbers, booleans, dates: as written;
     * INNER_LIST: from "(" to ")" */
    const char *text;
    size_t len;
    /* Dictionary member or parameter key (lcalpha / "*" first); empty for List members, the
     * Item and inner-list items */
    const char *key;
    size_t key_len;
    size_t offset;        /* where the node begins in the value (its key, else its value) */
    uint32_t params;      /* index of the first parameter node */
    uint32_t nparams;     /* how many */
    uint32_t items;       /* INNER_LIST: index of the first item node */
    uint32_t nitems;      /* INNER_LIST: how many */
    uint32_t next;        /* index of the next node of the same level (past all of this one) */
} rlint_sf_node;

typedef struct rlint_sf_result {
    size_t count;       /* nodes written */
    size_t members;     /* top-level members (1 for an Item; 0 for an empty List or Dictionary) */
    const char *error;  /* NULL when valid; else a short English reason ("a Decimal has ...") */
    size_t error_at;    /* offset in the value where the parse failed */
} rlint_sf_result;

/* Parses value[0..len) as `top`. Returns 0 when valid; -1 when the value is not a valid
 * Structured Field of that type (res->error and res->error_at say why and where; the nodes
 * written so far are meaningless); -2 when it is valid but needs more than `cap` nodes
 * (res->error says so; nodes[0..cap) hold the first ones, their counts cover all). An empty value is an empty List or Dictionary, and invalid as an Item. */
int rlint_sf_parse(const char *value, size_t len, rlint_sf_top top, rlint_sf_node *nodes,
                   size_t cap, rlint_sf_result *res);

/* The last top-level member of a parsed Dictionary with that key (NUL-terminated), or NULL
 * (keys are case-sensitive: RFC 9651 keys are lower case). */
const rlint_sf_node *rlint_sf_dict_get(const rlint_sf_node *nodes, const rlint_sf_result *res,
                                       const char *key);
/* The last parameter of node n with that key, or NULL. Only after a parse that returned 0
 * (after -2, parameter counts may reach past the array). */
const rlint_sf_node *rlint_sf_param(const rlint_sf_node *nodes, const rlint_sf_node *n,
                                    const char *key);

/* Decoders into out[0..cap); each returns the decoded length, or (size_t)-1 when the node is of
 * another type or the result does not fit. No NUL is written.
 * rlint_sf_string: a STRING with its escapes undone; rlint_sf_bytes: a BYTES node's octets;
 * rlint_sf_display: a DISPLAY node as UTF-8. */
size_t rlint_sf_string(const rlint_sf_node *n, char *out, size_t cap);
size_t rlint_sf_bytes(const rlint_sf_node *n, unsigned char *out, size_t cap);
size_t rlint_sf_display(const rlint_sf_node *n, char *out, size_t cap);

#endif
