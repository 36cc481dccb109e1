/* What the content rules (RL7xxx) read from a head: media types and their charset, content
 * codings, and the body plan, the pipeline stages a body needs (resplint/body.h). */
#include "internal.h"

#include "resplint/body.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static size_t token_len(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && rlint_is_tchar((unsigned char)s[k]))
        k++;
    return k - i;
}

static size_t skip_ows(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

bool rlint_media_type(const char *s, size_t n, rlint_media *m, const char **why, size_t *at)
{
    memset(m, 0, sizeof *m);
    size_t t = token_len(s, n, 0);
    if (t == 0 || t >= n || s[t] != '/') {
        *why = t == 0 ? "the type is not a token" : "no \"/\" after the type";
        *at = t;
        return false;
    }
    size_t st = token_len(s, n, t + 1);
    if (st == 0) {
        *why = "the subtype is not a token";
        *at = t + 1;
        return false;
    }
    m->type = s;
    m->type_len = t;
    m->subtype = s + t + 1;
    m->subtype_len = st;
    size_t i = t + 1 + st;
    while (i < n) {
        i = skip_ows(s, n, i);
        if (i >= n)
            break;
        if (s[i] != ';') {
            *why = "expected \";\" before a parameter";
            *at = i;
            return false;
        }
        i = skip_ows(s, n, i + 1);
        if (i >= n || s[i] == ';')
            continue; /* empty parameters are allowed by the grammar */
        size_t name = i, nl = token_len(s, n, i);
        if (nl == 0) {
            *why = "a parameter name is not a token";
            *at = i;
            return false;
        }
        i += nl;
        if (i >= n || s[i] != '=') {
            /* RFC 9110 §5.6.6: "Parameters do not allow whitespace (not even "bad" whitespace)
             * around the "=" character." */
            *why = i < n && (s[i] == ' ' || s[i] == '\t') ? "whitespace before \"=\""
                                                           : "a parameter without \"=\"";
            *at = i;
            return false;
        }
        i++;
        size_t vl;
        bool quoted = i < n && s[i] == '"';
        if (quoted)
            vl = rlint_quoted_len(s + i, n - i);
        else
            vl = token_len(s, n, i);
        if (vl == 0) {
            *why = i < n && (s[i] == ' ' || s[i] == '\t') ? "whitespace after \"=\""
                   : quoted                                ? "an unterminated quoted-string"
                                                           : "a parameter value that is neither token nor quoted-string";
            *at = i;
            return false;
        }
        if (!m->charset && nl == 7 && rlint_ieq_name(s + name, "charset", 7)) {
            m->charset = s + i + (quoted ? 1 : 0);
            m->charset_len = vl - (quoted ? 2 : 0);
            m->charset_quoted = quoted;
        }
        i += vl;
    }
    return true;
}

bool rlint_media_json(const rlint_media *m)
{
    if (!m->type || m->type_len != 11 || !rlint_ieq_name(m->type, "application", 11))
        return false;
    size_t n = m->subtype_len;
    return n >= 4 && rlint_ieq_name(m->subtype + n - 4, "json", 4) &&
           (n == 4 || (n > 5 && m->subtype[n - 5] == '+'));
}

/* The names, one char array each in one struct, and the sorted table of their offsets in it:
 * nothing in either is a pointer, so neither is relocated nor copied at start-up (a table of
 * pointers, 15 KB, was four pages the dynamic linker wrote in every run). One CHARSET a line
 * of charsets.def: the line names the member. */
#define CHARSET_CAT_(a, b) a##b
#define CHARSET_CAT(a, b) CHARSET_CAT_(a, b)
static const struct charset_blob {
#define CHARSET(name, whatwg) char CHARSET_CAT(line, __LINE__)[sizeof(name)];
#include "charsets.def"
#undef CHARSET
} charset_blob = {
#define CHARSET(name, whatwg) name,
#include "charsets.def"
#undef CHARSET
};
_Static_assert(sizeof(struct charset_blob) <= UINT16_MAX, "charset offsets are 16 bits");

typedef struct charset_name {
    uint16_t off; /* of the name in charset_blob */
    uint8_t whatwg;
} charset_name;

static const charset_name charsets[] = {
#define CHARSET(name, whatwg) {offsetof(struct charset_blob, CHARSET_CAT(line, __LINE__)), whatwg},
#include "charsets.def"
#undef CHARSET
};

static int cmp_charset(const void *key, const void *elem)
{
    return strcmp(key, (const char *)&charset_blob + ((const charset_name *)elem)->off);
}

int rlint_charset_known(const char *s, size_t n)
{
    char low[64];
    if (n == 0 || n >= sizeof low)
        return 0;
    if (n == 5 && rlint_ieq_name(s, "utf-8", 5)) /* the usual one, a WHATWG label */
        return 2;
    for (size_t i = 0; i < n; i++)
        low[i] = rlint_lower(s[i]);
    low[n] = '\0';
    const charset_name *c =
        bsearch(low, charsets, RLINT_ARRAY_LEN(charsets), sizeof charsets[0], cmp_charset);
    return c ? (c->whatwg ? 2 : 1) : 0;
}

bool rlint_charset_utf8(const char *s, size_t n)
{
    return (n == 5 && rlint_ieq_name(s, "utf-8", 5)) || rlint_ieq(s, n, "utf8") ||
           rlint_ieq(s, n, "unicode-1-1-utf-8") || rlint_ieq(s, n, "csutf8");
}

rlint_coding rlint_coding_of(const char *s, size_t n)
{
    static const struct {
        const char *name;
        rlint_coding c;
    } registry[] = {
        {"gzip", RLINT_CODING_GZIP},       {"x-gzip", RLINT_CODING_GZIP},
        {"br", RLINT_CODING_BR},           {"deflate", RLINT_CODING_DEFLATE},
        {"zstd", RLINT_CODING_ZSTD},       {"identity", RLINT_CODING_IDENTITY},
        {"aes128gcm", RLINT_CODING_OTHER}, {"compress", RLINT_CODING_OTHER},
        {"dcb", RLINT_CODING_OTHER},       {"dcz", RLINT_CODING_OTHER},
        {"exi", RLINT_CODING_OTHER},       {"pack200-gzip", RLINT_CODING_OTHER},
        {"x-compress", RLINT_CODING_OTHER},
    };
    for (size_t i = 0; i < RLINT_ARRAY_LEN(registry); i++)
        if (rlint_ieq(s, n, registry[i].name))
            return registry[i].c;
    return RLINT_CODING_UNKNOWN;
}

/* A Structured Fields Dictionary (digest fields) with a member named key: a light look made
 * only to decide whether to hash; RL7010 and RL7011 parse the field for real. */
static bool dict_has(const char *s, size_t n, const char *key)
{
    const char *p = s, *end = s + n, *e;
    size_t el, kl = strlen(key);
    while (rlint_list_next(&p, end, &e, &el))
        if (el > kl && memcmp(e, key, kl) == 0 && (e[kl] == '=' || e[kl] == ' '))
            return true;
    return false;
}

static bool on(const resplint_config *cfg, rlint_rule_id r)
{
    return cfg->severity[r] != RESPLINT_OFF;
}

/* Which of the fields the body plan reads f is, RLINT_F_OTHER for the others: no two of them
 * have names of one length, so a length test and one compare replace the lookup. */
static inline rlint_field_id plan_field(const resplint_field *f)
{
    /* the first letter of each, by length: most names fail this one load and compare */
    static const char first[18] = {
        [11] = 'r', [12] = 'c', [13] = 'c', [14] = 'c', [16] = 'c', [17] = 't'};
    static const struct {
        const char *name;
        rlint_field_id id;
    } by_len[18] = {
        [11] = {"repr-digest", RLINT_F_REPR_DIGEST},
        [12] = {"content-type", RLINT_F_CONTENT_TYPE},
        [13] = {"content-range", RLINT_F_CONTENT_RANGE},
        [14] = {"content-digest", RLINT_F_CONTENT_DIGEST},
        [16] = {"content-encoding", RLINT_F_CONTENT_ENCODING},
        [17] = {"transfer-encoding", RLINT_F_TRANSFER_ENCODING},
    };
    size_t n = f->name_len;
    if (n >= sizeof first || (f->name[0] | 0x20) != first[n]) /* Cache-Control, Last-Modified... */
        return RLINT_F_OTHER;
    return rlint_ieq_name(f->name, by_len[n].name, n) ? by_len[n].id : RLINT_F_OTHER;
}

unsigned rlint_body_plan(const resplint_config *cfg, const resplint_field *fields, size_t n,
                         int status, bool head_request, void *jobv, rlint_raw *memo)
{
    resplint_body_job *job = jobv;
    /* "has content": a final response, not 204 or 304, not answering HEAD */
    if (status < 200 || status == 204 || status == 304 || head_request)
        return 0;
    const resplint_field *ctype = NULL;
    long ctype_line = -1;
    bool decodable = true, repeated = false, digest = false, ranged = false;
    unsigned seen = 0, ncod = 0;
    resplint_coding cod[RESPLINT_BODY_MAX_CODINGS];
    for (size_t i = 0; i < n; i++) {
        const resplint_field *f = &fields[i];
        rlint_field_id id = plan_field(f);
        if (id == RLINT_F_OTHER)
            continue;
        if (id == RLINT_F_CONTENT_TYPE && !ctype) {
            ctype = f;
            ctype_line = (long)i;
        } else if (id == RLINT_F_CONTENT_RANGE) {
            ranged = true;
        } else if (id == RLINT_F_CONTENT_ENCODING) {
            const char *p = f->value, *end = f->value + f->value_len, *e;
            size_t el;
            while (rlint_list_next(&p, end, &e, &el)) {
                rlint_coding c = rlint_coding_of(e, el);
                if (c == RLINT_CODING_IDENTITY)
                    continue;
                if (c == RLINT_CODING_UNKNOWN || c == RLINT_CODING_OTHER) {
                    decodable = false;
                    continue;
                }
                if (ncod == RESPLINT_BODY_MAX_CODINGS) { /* not decoded: RL9004 says so */
                    decodable = false;
                    if (memo)
                        memo->codings_limit = true;
                    continue;
                }
                if (seen & (1u << c))
                    repeated = true;
                seen |= 1u << c;
                cod[ncod++] = c == RLINT_CODING_GZIP      ? RESPLINT_CODING_GZIP
                              : c == RLINT_CODING_DEFLATE ? RESPLINT_CODING_DEFLATE
                              : c == RLINT_CODING_BR      ? RESPLINT_CODING_BR
                                                          : RESPLINT_CODING_ZSTD;
            }
        } else if (id == RLINT_F_CONTENT_DIGEST || id == RLINT_F_REPR_DIGEST) {
            digest = true;
        } else if (id == RLINT_F_TRANSFER_ENCODING) {
            /* the stream parser undoes chunked only: under another transfer coding the bytes
             * it hands on are not the content */
            const char *p = f->value, *end = f->value + f->value_len, *e;
            size_t el;
            while (rlint_list_next(&p, end, &e, &el))
                if (!rlint_ieq(e, el, "chunked"))
                    return 0;
        }
    }
    unsigned stages = 0;
    /* RL7010: Content-Digest covers the content of any final response with content (206
     * included); Repr-Digest only a 200 or 203 without Content-Range, where the content is the
     * whole selected representation */
    if (digest && on(cfg, RLINT_RL7010)) {
        for (size_t i = 0; i < n; i++) {
            const resplint_field *f = &fields[i];
            rlint_field_id id = plan_field(f);
            if (id == RLINT_F_REPR_DIGEST && ((status != 200 && status != 203) || ranged))
                continue;
            if (id != RLINT_F_CONTENT_DIGEST && id != RLINT_F_REPR_DIGEST)
                continue;
            if (dict_has(f->value, f->value_len, "sha-256"))
                stages |= RESPLINT_STAGE_SHA256;
            if (dict_has(f->value, f->value_len, "sha-512"))
                stages |= RESPLINT_STAGE_SHA512;
        }
    }
    /* T42, T44: a 206 carries a part, never decoded or type-checked; a chain with a coding
     * resplint cannot undo has no decoded body */
    if (status != 206 && decodable) {
        unsigned want = 0;
        if (ncod && on(cfg, RLINT_RL7006))
            want |= RESPLINT_STAGE_DECODE;
        if (repeated && on(cfg, RLINT_RL7005))
            want |= RESPLINT_STAGE_DECODE;
        rlint_media m = {0};
        const char *why;
        size_t at;
        bool media_ok = ctype && rlint_media_type(ctype->value, ctype->value_len, &m, &why, &at);
        if (ctype && memo) {
            memo->media_known = true;
            memo->media_ok = media_ok;
            memo->media_line = ctype_line;
            memo->media_text = ctype->value;
            memo->media_text_len = ctype->value_len;
            memo->media = m;
        }
        if (media_ok) {
            bool json = rlint_media_json(&m);
            bool utf8 = m.charset ? rlint_charset_utf8(m.charset, m.charset_len) : json;
            bool text = m.type_len == 4 && rlint_ieq_name(m.type, "text", 4);
            if (json && on(cfg, RLINT_RL7008))
                want |= RESPLINT_STAGE_JSON | RESPLINT_STAGE_SNIFF;
            if (utf8 && (text || json) && on(cfg, RLINT_RL7007))
                want |= RESPLINT_STAGE_UTF8 | RESPLINT_STAGE_SNIFF;
            if (on(cfg, RLINT_RL7009))
                want |= RESPLINT_STAGE_SNIFF;
        }
        if (want && ncod)
            want |= RESPLINT_STAGE_DECODE;
        stages |= want;
    }
    if (!stages)
        return 0;
    /* all but the sniffing window, read only up to sniff_len */
    memset(job, 0, offsetof(resplint_body_job, sniff));
    memset(&job->utf8, 0, sizeof *job - offsetof(resplint_body_job, utf8));
    job->stages = stages;
    job->ncodings = (stages & RESPLINT_STAGE_DECODE) ? ncod : 0;
    if (ncod)
        memcpy(job->codings, cod, ncod * sizeof cod[0]);
    job->decoded_limit = cfg->limits[RESPLINT_LIMIT_DECODED_BODY];
    return stages;
}
