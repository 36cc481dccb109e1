/* Internal interfaces of libresplint: the rule enum, the status table, the per-response
 * check context, raw-parse facts, allocation and small buffers. Not installed. */
#ifndef RLINT_INTERNAL_H
#define RLINT_INTERNAL_H

#include "resplint.h"
#include "text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define RLINT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define RLINT_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* Out of the hot path: what runs only when something is wrong (keeps the caller's frame lean) */
#define RLINT_COLD __attribute__((noinline, cold))
#else
#define RLINT_PRINTF(f, a)
#define RLINT_COLD
#endif

/* ---- rules ---- */

typedef enum rlint_rule_id {
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) RLINT_##id,
#define INPUT_RULE RULE
#include "rules.def"
#undef RULE
#undef INPUT_RULE
    RLINT_RULE_COUNT
} rlint_rule_id;

extern const resplint_rule rlint_rules[RLINT_RULE_COUNT];

/* ---- status table ---- */

/* The marks of rules/marks.def: bit RLINT_MARKBIT_X of a code's marks; RLINT_MARK(X) is the
 * bit itself. */
enum {
#define STATUS_MARK(x, meaning) RLINT_MARKBIT_##x,
#include "marks.def"
#undef STATUS_MARK
    RLINT_MARK_COUNT
};
#define RLINT_MARK(x) (1ull << RLINT_MARKBIT_##x)
_Static_assert(RLINT_MARK_COUNT <= 64, "a code's marks are a 64-bit set");

typedef struct rlint_status {
    const char *reason;
    size_t reason_len;
    uint64_t marks; /* RLINT_MARK(X) | ... */
    const char *source;
    int code;
} rlint_status;

/* rules/status.def, in its order: the registered codes only (a table of all 500 codes, with
 * its pointers, was four pages the dynamic linker wrote at every start-up). */
extern const rlint_status rlint_status_table[];
extern const size_t rlint_status_count;
/* By code - 100: 1 + the code's index in rlint_status_table, 0 when it is not registered (no
 * pointer: not relocated). */
extern const unsigned char rlint_status_index[500];

/* The table entry of a registered code, NULL otherwise. */
static inline const rlint_status *rlint_status_lookup(int code)
{
    if (code < 100 || code > 599 || !rlint_status_index[code - 100])
        return NULL;
    return &rlint_status_table[rlint_status_index[code - 100] - 1];
}
/* The vendor meaning of an unregistered code ("nginx: client closed request"), or NULL. */
const char *rlint_vendor_meaning(int code);
/* The registered code whose phrase equals this one (case-insensitive), or 0. */
int rlint_status_by_reason(const char *reason, size_t len);

/* ---- known fields ---- */

typedef enum rlint_field_id {
#define FIELD(ident, lname) RLINT_F_##ident,
#include "fields.def"
#undef FIELD
    RLINT_F_COUNT,
    RLINT_F_OTHER = RLINT_F_COUNT
} rlint_field_id;

/* Slow lookup (a scan); the engine uses the hash table every configuration carries. */
rlint_field_id rlint_field_classify(const char *name, size_t len);

#define RLINT_FIELD_SLOTS 128
void rlint_field_table_init(uint8_t table[RLINT_FIELD_SLOTS]);
rlint_field_id rlint_field_lookup(const uint8_t table[RLINT_FIELD_SLOTS], const char *name,
                                  size_t len);

/* ---- raw-parse facts (bytes path only) ---- */

typedef enum rlint_body_kind {
    RLINT_BODY_NONE,    /* no body by the rules of framing (HEAD, 1xx, 204, 304, length 0) */
    RLINT_BODY_LENGTH,  /* Content-Length */
    RLINT_BODY_CHUNKED, /* chunked coding */
    RLINT_BODY_CLOSE,   /* delimited by the end of the stream */
    RLINT_BODY_UNKNOWN  /* the head was rejected: framing could not be trusted */
} rlint_body_kind;

typedef enum rlint_syntax_kind {
    RLINT_SYN_OBS_FOLD,
    RLINT_SYN_WS_BEFORE_COLON,
    RLINT_SYN_BARE_LF,
    RLINT_SYN_BARE_CR,
    RLINT_SYN_NAME_INVALID,
    RLINT_SYN_VALUE_INVALID,
    RLINT_SYN_NO_COLON,
    RLINT_SYN_STATUS_LINE
} rlint_syntax_kind;

typedef struct rlint_syntax_fault {
    rlint_syntax_kind kind;
    uint64_t offset; /* stream offset */
    uint32_t length;
    int32_t field;   /* field index, -1 */
    unsigned char byte;
} rlint_syntax_fault;

typedef struct rlint_media {
    const char *type, *subtype; /* spans into the value */
    size_t type_len, subtype_len;
    const char *charset; /* the first charset parameter's value (unquoted span), or NULL */
    size_t charset_len;
    bool charset_quoted;
} rlint_media;

typedef struct rlint_raw {
    uint64_t head_len;            /* bytes of the head, blank line included */
    uint64_t status_line_len;     /* without its line ending */
    const char *status_text;      /* the status code as written (may not be 3 digits) */
    size_t status_text_len;
    const char *status_line;      /* the status line as received, status_line_len bytes */
    int parse_error;              /* llhttp errno, 0 when none */
    const char *parse_reason;     /* llhttp's reason, static */
    uint64_t parse_offset;        /* stream offset of the error */
    bool no_status_line;          /* bytes that do not start with a status line at all */
    rlint_body_kind body_kind;
    uint64_t body_wire_bytes;     /* body bytes on the wire (framing included for chunked) */
    bool truncated;               /* the stream ended inside the body */
    bool ended_in_head;           /* the stream ended inside the head */
    bool body_error;              /* llhttp rejected the body (chunk syntax) */
    bool body_like_response;      /* the body's first bytes are "HTTP/" */
    uint64_t unexpected_offset;   /* stray bytes after this response */
    uint64_t unexpected_len;
    bool head_limit;              /* the head exceeded the buffering limit */
    bool fields_limit;            /* more fields than RESPLINT_LIMIT_FIELDS */
    bool responses_limit;         /* the stream passed RESPLINT_LIMIT_RESPONSES here */
    bool syntax_limit;            /* faults beyond syntax_max were not recorded */
    bool syntax_nomem;            /* the fault array could not grow */
    bool codings_limit;           /* more content codings than RESPLINT_BODY_MAX_CODINGS */
    /* the body pipeline's job (resplint/body.h), NULL when no stage ran on this body */
    const struct resplint_body_job *body;
    /* the first Content-Type as the body plan read it (media_known), so that the content
     * rules do not read it again: field media_line, value media_text, valid when media_ok */
    bool media_known, media_ok;
    long media_line;
    const char *media_text;
    size_t media_text_len;
    rlint_media media;
    size_t nbare_lf;              /* lines ending in a bare LF (only the first is a fault) */
    size_t syntax_max;            /* RESPLINT_LIMIT_SYNTAX_FAULTS; 0 records none */
    size_t nsyntax;
    /* last: kept (not cleared) from one response to the next; freed by the owner */
    rlint_syntax_fault *syntax;
    size_t syntax_cap;
} rlint_raw;

/* Records a syntax fault in raw: up to raw->syntax_max of them, growing raw->syntax; past
 * the cap sets syntax_limit (reported as RL9004), on allocation failure syntax_nomem. */
void rlint_raw_fault(rlint_raw *raw, rlint_syntax_kind kind, uint64_t off, uint32_t len,
                     long field, unsigned char byte);

/* ---- triggers (lib/core/engine.c) ----
 * What a response has that a check's trigger (rules/rules.def) can name is a set of bits in
 * three words: word 0 the known fields present (bit RLINT_F_X), word 1 the marks of its status
 * (bit RLINT_MARKBIT_X), word 2 its facts (bit RLINT_FACT_X, lib/core/facts.def). */

typedef enum rlint_fact {
#define FACT(x, meaning) RLINT_FACT_##x,
#include "facts.def"
#undef FACT
    RLINT_FACT_COUNT
} rlint_fact;

#define RLINT_TRIGGER_WORDS 3
#define RLINT_TRIGGER_BITS (64 * RLINT_TRIGGER_WORDS)
enum { RLINT_TW_FIELDS, RLINT_TW_MARKS, RLINT_TW_FACTS };
_Static_assert(RLINT_F_COUNT <= 64, "the known fields present are a 64-bit set");
_Static_assert(RLINT_FACT_COUNT <= 64, "a response's facts are a 64-bit set");

typedef struct rlint_trigger_set {
    uint64_t w[RLINT_TRIGGER_WORDS];
} rlint_trigger_set;

/* The trigger of a rule's check: the response bits without which it reports nothing; all
 * zero for a rule without a check (INPUT_RULE). */
rlint_trigger_set rlint_trigger(size_t rule);

/* The plan of a configuration is a set of plan positions, a bit each, sized by the catalogue. */
#define RLINT_PLAN_WORDS ((RLINT_RULE_COUNT + 63) / 64)
_Static_assert(RLINT_RULE_COUNT <= UINT16_MAX, "plan entries are 16-bit rule indexes");

/* ---- configuration ---- */

struct resplint_config {
    unsigned char severity[RLINT_RULE_COUNT];
    uint64_t limits[RESPLINT_LIMIT_COUNT_];
    uint8_t fields[RLINT_FIELD_SLOTS]; /* known-field hash table (rlint_field_lookup) */
    /* The checks to run, in rule order, on raw and on structured input: the enabled rules that
     * have one (rlint_config_plan, after every change of a severity). */
    uint16_t plan_raw[RLINT_RULE_COUNT], plan_structured[RLINT_RULE_COUNT];
    uint16_t nplan_raw, nplan_structured;
    /* for each trigger bit, the plan positions whose check it triggers */
    uint64_t by_bit_raw[RLINT_TRIGGER_BITS][RLINT_PLAN_WORDS];
    uint64_t by_bit_structured[RLINT_TRIGGER_BITS][RLINT_PLAN_WORDS];
    bool exhaustive; /* call every enabled check, triggers or not (tests compare the two) */
    /* the facts some planned check has in its trigger, raw and structured (engine.c computes
     * the costly ones only when asked) */
    uint64_t facts_wanted_raw, facts_wanted_structured;
};

/* Classifies fields[0..n) (n <= INT16_MAX): fid[i] for the first RLINT_CTX_FIELDS, the first
 * index (-1 before) and the count of each known field (zero before). Returns the set of known
 * fields present, bit 1 << id each. */
uint64_t rlint_field_index(const uint8_t table[RLINT_FIELD_SLOTS], const resplint_field *fields,
                           size_t n, uint8_t *fid, int16_t *first, uint16_t *count);

/* Recomputes cfg's plans from its severities. */
void rlint_config_plan(resplint_config *cfg);

typedef enum rlint_date_form {
    RLINT_DATE_INVALID,
    RLINT_DATE_IMF,     /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
    RLINT_DATE_RFC850,  /* obsolete: Sunday, 06-Nov-94 08:49:37 GMT */
    RLINT_DATE_ASCTIME  /* obsolete: Sun Nov  6 08:49:37 1994 */
} rlint_date_form;

/* ---- caching grammars and summaries (lib/core/caching.c) ---- */

/* The Cache-Control response directives of RFC 9111 §5.2.2, RFC 5861 and RFC 8246. */
typedef enum rlint_cc_dir {
    RLINT_CC_MAX_AGE,
    RLINT_CC_S_MAXAGE,
    RLINT_CC_SWR, /* stale-while-revalidate */
    RLINT_CC_SIE, /* stale-if-error */
    RLINT_CC_NO_STORE,
    RLINT_CC_NO_TRANSFORM,
    RLINT_CC_PUBLIC,
    RLINT_CC_MUST_REVALIDATE,
    RLINT_CC_PROXY_REVALIDATE,
    RLINT_CC_MUST_UNDERSTAND,
    RLINT_CC_IMMUTABLE,
    RLINT_CC_NO_CACHE,
    RLINT_CC_PRIVATE,
    RLINT_CC_KNOWN,
    RLINT_CC_OTHER = RLINT_CC_KNOWN /* unknown, or request-only */
} rlint_cc_dir;

typedef enum rlint_cc_form {
    RLINT_CC_ARG_NONE,
    RLINT_CC_ARG_TOKEN,
    RLINT_CC_ARG_QUOTED
} rlint_cc_form;

/* A member of a Cache-Control list: token [ "=" ( token / quoted-string ) ]. */
typedef struct rlint_cc_member {
    const char *text; /* the member, OWS trimmed, len bytes */
    size_t len;
    const char *name; /* the directive name (a token prefix, maybe empty) */
    size_t name_len;
    const char *arg;  /* the argument as written, quotes included; NULL when none */
    size_t arg_len;
    rlint_cc_form form;
    rlint_cc_dir dir;
    bool valid;       /* matches the grammar; else why (static) and at (index into text) */
    const char *why;
    size_t at;
    long field;       /* field index (set by rlint_cc_next) */
} rlint_cc_member;

/* RFC 9111 §1.2.2: the value caches use for a delta-seconds too large to represent. */
#define RLINT_DELTA_MAX 2147483648u

/* One member s[0..n) (non-empty, OWS trimmed). Returns m->valid. */
bool rlint_cc_member_parse(const char *s, size_t n, rlint_cc_member *m);
rlint_cc_dir rlint_cc_classify(const char *s, size_t n);
const char *rlint_cc_name(rlint_cc_dir d);
/* The argument, unquoted, as delta-seconds (1*DIGIT), saturated at RLINT_DELTA_MAX. */
bool rlint_cc_seconds(const rlint_cc_member *m, uint64_t *out);
/* The argument, unquoted, is a comma list of field names (#field-name). */
bool rlint_cc_names_valid(const rlint_cc_member *m);
/* The argument, unquoted, lists the field lname (lower case). */
bool rlint_cc_names_field(const rlint_cc_member *m, const char *lname);
/* s[0..n) is a comma list of tokens; else the first bad element in *bad. */
bool rlint_field_name_list(const char *s, size_t n, const char **bad, size_t *bad_len);

/* Every non-empty member of every Cache-Control line, in order (RFC 9110 §5.6.1.2: empty
 * members are skipped). */
typedef struct rlint_cc_iter {
    const struct rlint_ctx *c;
    long field;
    const char *p, *end;
} rlint_cc_iter;

/* What the caching rules read of a response's Cache-Control, computed once. */
typedef struct rlint_cc {
    uint16_t members;             /* valid members */
    uint16_t invalid;             /* members failing the grammar (RL5001; ignored otherwise) */
    uint16_t other;               /* valid members with other names */
    uint8_t count[RLINT_CC_KNOWN]; /* valid members of each known directive (saturating) */
    bool odd_args;                /* a known directive with a wrong or wrongly written argument */
    bool repeated;                /* a known directive more than once */
    bool max_age_ok, s_maxage_ok; /* the first max-age / s-maxage is delta-seconds */
    uint32_t max_age, s_maxage;
    bool no_cache_bare, private_bare;     /* unqualified no-cache / private */
    bool no_cache_cookie, private_cookie; /* qualified ones naming Set-Cookie */
    /* something the Cache-Control rules judge: an invalid member, an odd argument, a
     * directive twice, an unknown one, no-store, private or immutable (FACT(CC_NOTABLE)) */
    bool notable;
} rlint_cc;

typedef struct rlint_vary {
    uint16_t names;   /* field-name members */
    uint16_t invalid; /* members that are neither "*" nor a token */
    bool star, accept_encoding, user_agent;
    bool notable; /* invalid, "*", several names or User-Agent (FACT(VARY_NOTABLE)) */
} rlint_vary;

/* RLINT_LAZY_DATE << k: the date of Date (k 0), Last-Modified (1), Expires (2) */
enum {
    RLINT_LAZY_CC = 1,
    RLINT_LAZY_VARY = 2,
    RLINT_LAZY_DATE = 4,
    RLINT_LAZY_SECS = 32,
    RLINT_LAZY_COOKIES = 256, /* past RLINT_LAZY_SECS << 2 */
    RLINT_LAZY_MEDIA = 512
};

/* ---- the check context ---- */

#define RLINT_CTX_FIELDS 128

/* One Set-Cookie line split (lib/core/cookie.c, rlint_cookie_parse). */
typedef enum rlint_cookie_kind {
    RLINT_CAV_OTHER,
    RLINT_CAV_EXPIRES,
    RLINT_CAV_MAX_AGE,
    RLINT_CAV_DOMAIN,
    RLINT_CAV_PATH,
    RLINT_CAV_SECURE,
    RLINT_CAV_HTTPONLY,
    RLINT_CAV_SAMESITE,
    RLINT_CAV_PARTITIONED,
    RLINT_CAV_COUNT
} rlint_cookie_kind;

typedef struct rlint_cookie_av {
    const char *name, *value; /* trimmed of SP/HTAB; value NULL when there is no "=" */
    size_t name_len, value_len;
    size_t off, len;          /* the text between its ";"s, relative to the line */
    rlint_cookie_kind kind;
} rlint_cookie_av;

/* Attributes kept split in rlint_cookie.av; the ones after them are split again from the line
 * as they are walked (rlint_cookie_next): every attribute is seen, however many there are. */
#define RLINT_COOKIE_MAX_ATTRS 32

typedef struct rlint_cookie {
    const char *line;         /* the whole value */
    size_t line_len;
    const char *pair;         /* the text before the first ";" */
    size_t pair_len;
    const char *name, *value; /* trimmed; a pair without "=" has an empty name (6265bis) */
    size_t name_len, value_len;
    bool has_eq;
    size_t nav;               /* attributes on the line, all of them */
    size_t nkept;             /* the first of them, split in av (at most RLINT_COOKIE_MAX_ATTRS) */
    rlint_cookie_av av[RLINT_COOKIE_MAX_ATTRS];
    rlint_cookie_av last[RLINT_CAV_COUNT]; /* the last attribute of each kind (count > 0) */
    uint32_t count[RLINT_CAV_COUNT];       /* attributes of each kind */
} rlint_cookie;

/* Walks the attributes of a cookie in order, all of them: start with it zeroed; NULL at the
 * end. The attribute returned lives until the next call (it may be it->tmp). */
typedef struct rlint_cookie_iter {
    size_t k, pos;
    rlint_cookie_av tmp;
} rlint_cookie_iter;

#define RLINT_CTX_COOKIES 4

typedef struct rlint_ctx {
    const resplint_config *cfg;
    const resplint_response *resp;
    const rlint_raw *raw; /* NULL on structured input */
    const rlint_status *status; /* table entry, NULL when unregistered */
    size_t index;
    resplint_finding_cb cb;
    void *user;
    int findings;
    bool explained;       /* a parse-fault rule accounts for raw->parse_error */
    bool limit_reported;
    bool fields_incomplete; /* the head was cut: absent fields may just be unseen */
    int16_t first[RLINT_F_COUNT]; /* first field index of each known field, -1 */
    uint16_t count[RLINT_F_COUNT];
    uint64_t present; /* known fields present: bit 1 << rlint_field_id */
    /* facts (lib/core/facts.c), computed once before the checks */
    bool cl_plain;     /* one Content-Length line of 1 to 18 digits (nothing for RL3002-RL3004) */
    bool body_unknown; /* the container changed the framing or the body (provenance) */
    unsigned prov;     /* resp->provenance, RESPLINT_PROV_* */
    uint64_t renamed;  /* known fields an archiver renamed: present on the wire */
    uint64_t fact_bits; /* trigger word RLINT_TW_FACTS */
    resplint_exchanges *xchg; /* the input's memory, NULL when none */
    bool deferred_check;      /* a CHECK note was handed out for this response */
    uint64_t url_key;         /* rlint_url_key of resp->url, 0 when no URL or no memory */
    uint8_t fid[RLINT_CTX_FIELDS]; /* rlint_field_id of the first RLINT_CTX_FIELDS fields */
    unsigned lazy;  /* RLINT_LAZY_*: which summaries below are computed */
    rlint_cc cc;     /* rlint_cc_of() */
    rlint_vary vary; /* rlint_vary_of() */
    uint8_t date_form[3]; /* rlint_field_date_form() of Date, Last-Modified, Expires */
    int8_t date_month[3];
    const char *date_text[3];
    int64_t date_secs[3]; /* rlint_field_date(), computed once asked (RLINT_LAZY_SECS << k) */
    /* the first RLINT_CTX_COOKIES Set-Cookie lines, parsed once for all the cookie rules
     * (rules/check_cookies.c, RLINT_LAZY_COOKIES): ncookies of them, cookie_line[k] the field
     * index of cookies[k] */
    size_t ncookies;
    long cookie_line[RLINT_CTX_COOKIES];
    struct rlint_cookie cookies[RLINT_CTX_COOKIES];
    /* the first Content-Type line (field index media_line, -1 when none) read as a media type
     * once for all the content rules (rules/check_content.c, RLINT_LAZY_MEDIA) */
    long media_line;
    bool media_ok;
    rlint_media media;
    char msg[512];
} rlint_ctx;

/* Runs every enabled check on one response, then remembers it in x (may be NULL); returns the
 * number of findings, or RESPLINT_ENOMEM when x could not grow. */
int rlint_check(const resplint_config *cfg, const resplint_response *resp, const rlint_raw *raw,
                size_t index, resplint_finding_cb cb, void *user, resplint_exchanges *x);

/* ---- facts (lib/core/facts.c) ---- */

/* The known fields an archiver renamed (X-Archive-Orig-X, X-Crawler-X) in c's response. */
uint64_t rlint_renamed_fields(const rlint_ctx *c);
/* The framing length Content-Length gives (RFC 9110 §8.6, RFC 9112 §6.3): folds one field value
 * into *len; false when a member is not 1*DIGIT within 63 bits or differs from an earlier one
 * (*have: one was seen). The stream frames a rejected head with it; checks read the result as
 * rlint_cl_agreed_of. */
bool rlint_cl_fold(const char *v, size_t n, bool *have, uint64_t *len);
/* c's Content-Length fields, folded: true with *len when there is at least one and every value
 * is valid and the same (c->cl_plain is the one-line case of it). */
bool rlint_cl_agreed_of(const rlint_ctx *c, uint64_t *len);
/* The method is GET (case-sensitive, RFC 9110 §9.1). */
bool rlint_method_get(const char *method, size_t mlen);

/* ---- cross-exchange context (lib/core/xchg.c) ---- */

/* What an earlier response to the same URL carried. */
typedef struct rlint_prior {
    uint64_t present; /* known fields it carried: bit 1 << RLINT_F_X */
    uint32_t index;   /* its response index in the input: low 32 bits (rlint_prior_index) */
    int16_t status;
    uint8_t get;      /* it answered GET */
    uint8_t index_hi; /* bits 32-39 of the index */
} rlint_prior;        /* 16 bytes: an exchange memory of 100,000 URLs holds two per URL */

/* A prior of a response: its index kept to 40 bits (2^40 - 1 past that, never reached: the
 * responses of one input are limited far below). */
static inline rlint_prior rlint_prior_of(int status, bool get, uint64_t present, uint64_t index)
{
    if (index > 0xffffffffffull)
        index = 0xffffffffffull;
    if (status < INT16_MIN || status > INT16_MAX)
        status = -1; /* not a status code, and not one a rule compares with */
    rlint_prior p = {present, (uint32_t)index, (int16_t)status, get, (uint8_t)(index >> 32)};
    return p;
}
static inline size_t rlint_prior_index(const rlint_prior *p)
{
    return (size_t)p->index | (size_t)p->index_hi << 32;
}

/* The latest earlier final response to this response's URL in the same input: with status 200
 * and get_only, the latest 200 to GET; otherwise the latest final response of any kind, if its
 * status is `status` (0: any) and, with get_only, it answered GET. NULL when there is none, the
 * response has no URL, or the input has no exchange memory. */
const rlint_prior *rlint_earlier(const rlint_ctx *c, int status, bool get_only);
/* Remembers c's response under its URL (the engine, after the checks); with a deferred
 * memory, hands the RECORD note instead. */
int rlint_xchg_record(rlint_ctx *c);
/* RL5012: a 304 of c compared with the latest earlier 200 to GET of its URL; reports the
 * finding when it lacks fields that 200 carried (with a deferred memory: hands the CHECK
 * note). */
void rlint_xchg_not_modified(rlint_ctx *c);
/* The key of a URL: fragment ignored, scheme and authority case-folded. Never 0. */
uint64_t rlint_url_key(const char *url, size_t len);

/* The finding rule would be with that evidence (severity as configured, capped at at_most;
 * message NULL); false when the rule is off. */
bool rlint_finding_of(const rlint_ctx *c, rlint_rule_id rule, resplint_severity at_most,
                      uint64_t off, uint64_t len, long field, resplint_finding *f);
/* Reports a finding for a rule (nothing when the rule is off). Evidence: [off, off+len). */
void rlint_emit(rlint_ctx *c, rlint_rule_id rule, uint64_t off, uint64_t len, long field,
                const char *fmt, ...) RLINT_PRINTF(6, 7);
/* The same with the evidence of field i, or of the status line. */
void rlint_emit_field(rlint_ctx *c, rlint_rule_id rule, size_t i, const char *fmt, ...)
    RLINT_PRINTF(4, 5);
void rlint_emit_status(rlint_ctx *c, rlint_rule_id rule, const char *fmt, ...)
    RLINT_PRINTF(3, 4);
/* rlint_emit_field for a finding that is milder than its rule: reported at no more than
 * at_most (e.g. an `Expires: 0` under a warning rule is info). */
void rlint_emit_field_sev(rlint_ctx *c, rlint_rule_id rule, size_t i, resplint_severity at_most,
                          const char *fmt, ...) RLINT_PRINTF(5, 6);
/* Marks the parser's rejection of this response as accounted for by a specific rule. */
static inline void rlint_explained(rlint_ctx *c) { c->explained = true; }

static inline bool rlint_has(const rlint_ctx *c, rlint_field_id f) { return c->first[f] >= 0; }
/* True only when the field is surely absent: a head cut short (by the stream's end or a limit)
 * may have carried it, an archiver may have renamed it (RESPLINT_PROV_ARCHIVED), a recorder may
 * have left it out (RESPLINT_PROV_FIELDS_DROPPED), and rules about missing fields must not
 * guess. */
static inline bool rlint_absent(const rlint_ctx *c, rlint_field_id f)
{
    return c->first[f] < 0 && !c->fields_incomplete && !((c->renamed >> f) & 1u) &&
           !(c->prov & RESPLINT_PROV_FIELDS_DROPPED);
}
static inline const resplint_field *rlint_first(const rlint_ctx *c, rlint_field_id f)
{
    return c->first[f] >= 0 ? &c->resp->fields[c->first[f]] : NULL;
}
/* False when, on raw input, s[0..n) holds a control byte: RL4001/RL4004/RL4006 report such a
 * value, and a grammar check of the same value would report it twice (rules/check_fields.c). */
bool rlint_value_clean(const rlint_ctx *c, const char *s, size_t n);

/* RFC 9112 §6.3: a response to HEAD, any 1xx, 204 and 304 end at the end of their head whatever
 * Content-Length or Transfer-Encoding say; a 2xx to CONNECT turns the connection into a tunnel
 * (RFC 9110 §9.3.6). Methods are case-sensitive (RFC 9110 §9.1). */
static inline bool rlint_bodiless(int status, const char *method, size_t mlen)
{
    if ((status >= 100 && status <= 199) || status == 204 || status == 304)
        return true;
    if (!method)
        return false;
    return rlint_method_is(method, mlen, "HEAD") ||
           (status >= 200 && status <= 299 && rlint_method_is(method, mlen, "CONNECT"));
}

/* p[0..7) is "HTTP/1." (p has at least 8 bytes): one load (a memcmp call per response showed
 * in profiles). */
static inline bool rlint_http1_prefix(const char *p)
{
    uint64_t a, b, mask;
    memcpy(&a, p, 8);
    memcpy(&b, "HTTP/1.", 8);
    memcpy(&mask, "\xff\xff\xff\xff\xff\xff\xff", 8);
    return ((a ^ b) & mask) == 0;
}

/* a[0..n) == b[0..n), for short strings (no call). */
static inline bool rlint_bytes_equal(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Provenance, as the framing and body rules read it: the stored copy was cut, truncated by the
 * recorder, or its record boundary is unsure, so a short or malformed body is not the
 * server's doing. (c->body_unknown: the framing or the body itself was rewritten.) */
static inline bool rlint_stored_short(const rlint_ctx *c)
{
    return c->prov & (RESPLINT_PROV_CUT | RESPLINT_PROV_BODY_TRUNCATED |
                      RESPLINT_PROV_BOUNDARY_UNSURE);
}

/* A Content-Length line with a negative value under RESPLINT_PROV_LENGTH_PLACEHOLDER: the
 * archiver's "length unknown", not the server's value. */
static inline bool rlint_length_placeholder(const rlint_ctx *c, const resplint_field *f)
{
    return (c->prov & RESPLINT_PROV_LENGTH_PLACEHOLDER) && f->value_len && f->value[0] == '-';
}

/* rlint_bodiless for the response being checked. */
static inline bool rlint_resp_bodiless(const rlint_ctx *c)
{
    return rlint_bodiless(c->resp->status, c->resp->method, c->resp->method_len);
}

/* Iterates over the fields named f: for (i = rlint_next(c, f, -1); i >= 0; i = rlint_next(c, f, i)) */
long rlint_next(const rlint_ctx *c, rlint_field_id f, long after);

void rlint_cc_begin(rlint_cc_iter *it, const rlint_ctx *c);
bool rlint_cc_next(rlint_cc_iter *it, rlint_cc_member *m);
/* The summaries, computed on first use. */
const rlint_cc *rlint_cc_of(rlint_ctx *c);
const rlint_vary *rlint_vary_of(rlint_ctx *c);
/* A field's value without surrounding OWS (the model trims it; structured input may not). */
static inline void rlint_field_trimmed(const resplint_field *f, const char **s, size_t *n)
{
    const char *p = f->value, *e = f->value + f->value_len;
    /* a byte above ' ' ends a trim at once: the usual case, values the stream has trimmed */
    while (p < e && (unsigned char)*p <= ' ' && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (unsigned char)e[-1] <= ' ' && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *s = p;
    *n = (size_t)(e - p);
}
/* Reads the first field f (Date, Last-Modified, Expires: slot k) into the context's cache. */
void rlint_field_date_load(rlint_ctx *c, int k, rlint_field_id f);
static inline int rlint_date_slot(rlint_field_id f)
{
    return f == RLINT_F_DATE ? 0 : f == RLINT_F_LAST_MODIFIED ? 1 : 2;
}
/* The first field named f (Date, Last-Modified or Expires) read as an HTTP-date, once per
 * response; RLINT_DATE_INVALID when absent. */
static inline rlint_date_form rlint_field_date_form(rlint_ctx *c, rlint_field_id f)
{
    int k = rlint_date_slot(f);
    if (!(c->lazy & ((unsigned)RLINT_LAZY_DATE << k)))
        rlint_field_date_load(c, k, f);
    return (rlint_date_form)c->date_form[k];
}
/* Its time in seconds since 1970, when it is an HTTP-date of any form. */
bool rlint_field_date(rlint_ctx *c, rlint_field_id f, int64_t *out);
/* The order of the times of two IMF-fixdates (each a field's first line, as
 * rlint_field_date_form read them): <0, 0, >0, without computing them. */
int rlint_imf_cmp(const rlint_ctx *c, rlint_field_id a, rlint_field_id b);

/* Prototypes of the checks, one per rule. */
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary)                        \
    void rlint_check_##ident(rlint_ctx *c);
#define INPUT_RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary)
#include "rules.def"
#undef RULE
#undef INPUT_RULE

/* ---- small text helpers: text.h, the toolbox every layer shares ---- */

#include "text.h"

/* ---- field-value grammars (lib/core/grammar.c) ----
 * Each parser reads a whole field value (OWS already trimmed) and, when it is invalid, says
 * why in a static phrase (*why) and where (*at, an index into the value). */


/* HTTP-date (RFC 9110 §5.6.7), case-sensitive, with calendar and clock ranges checked. */
rlint_date_form rlint_http_date(const char *s, size_t n, const char **why, size_t *at);
/* The same, with the month (0-11) in *month when it is a date. */
rlint_date_form rlint_http_date_month(const char *s, size_t n, int *month);
/* The time a date of form f and month m (as rlint_http_date_month found them) names, in seconds
 * since 1970 (the two-digit years of RFC 850 dates read in 1970-2069). */
int64_t rlint_http_date_secs(const char *s, rlint_date_form f, int m);
/* Both at once: the form, and the seconds in *secs when it is a date. */
rlint_date_form rlint_http_date_time(const char *s, size_t n, int64_t *secs);
/* delay-seconds = 1*DIGIT (RFC 9110 §10.2.3), any length. */
bool rlint_delay_seconds(const char *s, size_t n);
/* entity-tag = [ W/ ] DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3). */
bool rlint_entity_tag(const char *s, size_t n, const char **why, size_t *at);

typedef enum rlint_range_form {
    RLINT_RANGE_INVALID,
    RLINT_RANGE_BYTES,       /* range-resp: bytes 0-99/1234, complete length maybe unknown */
    RLINT_RANGE_UNSATISFIED, /* unsatisfied-range, as a 416 sends it */
    RLINT_RANGE_OTHER_UNIT   /* a unit other than bytes: not judged */
} rlint_range_form;

/* Content-Range (RFC 9110 §14.4), including first <= last < complete. */
rlint_range_form rlint_content_range(const char *s, size_t n, const char **why, size_t *at);
/* URI-reference (RFC 3986 §4.1): absolute or relative, with authority, path, query and
 * fragment checked character by character. */
bool rlint_uri_reference(const char *s, size_t n, const char **why, size_t *at);
/* host (RFC 3986 §3.2.2): an IP literal in brackets or a reg-name (IPv4 addresses included),
 * percent-encodings checked. The empty string is a valid reg-name. */
bool rlint_uri_host(const char *s, size_t n);

/* ---- Set-Cookie and the security fields (lib/core/cookie.c, lib/core/secfields.c) ---- */


/* Splits one Set-Cookie value (spans into s) the way user agents do (6265bis "Parsing the
 * Set-Cookie header field"), keeping every attribute for the server-grammar checks. */
void rlint_cookie_parse(const char *s, size_t n, rlint_cookie *c);
const rlint_cookie_av *rlint_cookie_next(const rlint_cookie *c, rlint_cookie_iter *it);
/* The last attribute of a kind (the one the storage model uses), or NULL. */
const rlint_cookie_av *rlint_cookie_last(const rlint_cookie *c, rlint_cookie_kind k);
/* The Secure flag as a user agent sets it: an attribute named Secure, whatever its value. */
bool rlint_cookie_secure(const rlint_cookie *c);

typedef enum rlint_samesite {
    RLINT_SAMESITE_ABSENT,
    RLINT_SAMESITE_DEFAULT, /* a SameSite attribute whose value is none of the three */
    RLINT_SAMESITE_STRICT,
    RLINT_SAMESITE_LAX,
    RLINT_SAMESITE_NONE
} rlint_samesite;
/* The enforcement of the last SameSite attribute (the one the storage model uses). */
rlint_samesite rlint_cookie_samesite(const rlint_cookie *c);
/* cookie-value (RFC 6265 §4.1.1): cookie-octets, optionally inside one pair of DQUOTEs; false
 * with *at at the first byte that is not. */
bool rlint_cookie_octets(const char *s, size_t n, size_t *at);
/* A Domain attribute value: <subdomain> (RFC 1034 §3.5, RFC 1123 §2.1) after one optional
 * leading ".". */
bool rlint_cookie_subdomain(const char *s, size_t n);
/* The user agent's cookie-date parser (RFC 6265 §5.1.1). True with the time in seconds since
 * 1970 (UTC) in *epoch; false with a static reason in *why. */
bool rlint_cookie_date(const char *s, size_t n, int64_t *epoch, const char **why);

/* origin = scheme "://" host [ ":" port ] exactly as an origin serializes (WHATWG Fetch,
 * WHATWG URL): false with the reason and its index. */
bool rlint_serialized_origin(const char *s, size_t n, const char **why, size_t *at);

/* The host of an absolute URL ("http://u@[::1]:8080/x" gives "[::1]"); false when u is not
 * scheme "://" authority with a host. */
bool rlint_url_host(const char *u, size_t n, const char **host, size_t *hn);
/* A host whose http origin is potentially trustworthy (W3C Secure Contexts): localhost,
 * *.localhost, 127.0.0.0/8, [::1]. Browsers keep Secure cookies from such origins. */
bool rlint_host_trustworthy(const char *h, size_t n);

typedef struct rlint_hsts_info {
    bool has_max_age, include_subdomains;
    uint64_t max_age; /* UINT64_MAX when it passes 63 bits */
} rlint_hsts_info;
/* One Strict-Transport-Security field value (RFC 6797 §6.1, §6.1.1): false with the reason
 * and its index when a UA must ignore it. */
bool rlint_hsts(const char *s, size_t n, rlint_hsts_info *info, const char **why, size_t *at);

/* ---- content (lib/core/content.c): media types, charsets, content codings, the body plan ---- */

/* Content-Type = media-type (RFC 9110 §8.3.1): type "/" subtype *( OWS ";" OWS [ parameter ] ),
 * parameter = token "=" ( token / quoted-string ). True when valid, else *why and *at. */
bool rlint_media_type(const char *s, size_t n, rlint_media *m, const char **why, size_t *at);
/* The charset name: 2 a WHATWG Encoding label, 1 only an IANA name or alias, 0 neither. */
int rlint_charset_known(const char *s, size_t n);
/* The name labels UTF-8 (WHATWG's utf-8 labels and IANA's csUTF8). */
bool rlint_charset_utf8(const char *s, size_t n);
/* application/json or any +json subtype (case-insensitive). */
bool rlint_media_json(const rlint_media *m);

/* ---- parameterised fields (lib/core/paramfields.c): each true when valid, else a static
 * reason in *why and the offset of the fault in *at ---- */

/* ext-value (RFC 8187 §3.2.1): charset "'" [ language ] "'" value-chars, with the charset
 * UTF-8 or ISO-8859-1 (RULES.md RL7012) and, under UTF-8, percent-decoded bytes that are
 * well-formed UTF-8. */
bool rlint_ext_value(const char *s, size_t n, const char **why, size_t *at);
/* One Content-Disposition value (RFC 6266 §4.1, implied LWS): disposition-type *( ";"
 * disposition-parm ), no parameter name twice, starred parameters holding an ext-value. */
bool rlint_content_disposition(const char *s, size_t n, const char **why, size_t *at);
/* One Link field line (RFC 8288 §3): #link-value, each with a URI-Reference target and one
 * rel, and title, title*, type and media at most once. */
bool rlint_link(const char *s, size_t n, const char **why, size_t *at);
/* One Alt-Svc field line (RFC 7838 §3, §3.1): clear / 1#alt-value, ma = 1*DIGIT. *clear says
 * the line is exactly "clear" (which must then be the only Alt-Svc line: the caller's to see). */
bool rlint_alt_svc(const char *s, size_t n, bool *clear, const char **why, size_t *at);

typedef enum rlint_coding {
    RLINT_CODING_UNKNOWN, /* not a token, or not registered */
    RLINT_CODING_IDENTITY,
    RLINT_CODING_GZIP, /* gzip, x-gzip */
    RLINT_CODING_DEFLATE,
    RLINT_CODING_BR,
    RLINT_CODING_ZSTD,
    RLINT_CODING_OTHER /* registered, but not decodable: compress, aes128gcm, exi, ... */
} rlint_coding;

/* A Content-Encoding member (RFC 9110 §8.4.1, IANA HTTP Content Coding registry). */
rlint_coding rlint_coding_of(const char *s, size_t n);

/* The stages a response's body needs, given the enabled rules and the head (0: none, the
 * body costs nothing); fills job's inputs. fields are those of the response, before the
 * engine has indexed them. The first Content-Type, when read, is left in memo (may be NULL)
 * for the content rules. */
unsigned rlint_body_plan(const resplint_config *cfg, const resplint_field *fields, size_t n,
                         int status, bool head_request, void *job, rlint_raw *memo);

/* ---- allocation: the one place that calls the allocator ---- */

void *rlint_malloc(size_t n);
void *rlint_calloc(size_t n, size_t size);
void *rlint_realloc(void *p, size_t n);
void rlint_free(void *p);

typedef struct rlint_buf {
    char *p;
    size_t len;
    size_t cap;
} rlint_buf;

/* Appends; RESPLINT_ELIMIT when len would pass max, RESPLINT_ENOMEM. */
int rlint_buf_append(rlint_buf *b, const void *data, size_t n, size_t max);
void rlint_buf_free(rlint_buf *b);

/* ---- response heads (shared by the stream parser and the tolerant scan) ---- */

typedef struct rlint_field_pos {
    uint32_t name_off, name_len;   /* relative to the head's first byte */
    uint32_t value_off, value_len; /* value without surrounding whitespace */
    uint32_t line_len;             /* line without its ending (folds included) */
} rlint_field_pos;

typedef struct rlint_head {
    int status;                   /* -1 when the code is not three digits */
    unsigned major, minor;
    uint32_t status_text_off, status_text_len;
    uint32_t reason_off, reason_len;
    bool has_reason;
    uint32_t status_line_len;
    rlint_field_pos *fields;      /* caller's array */
    size_t nfields, cap;
    bool fields_over;             /* more field lines than cap */
} rlint_head;

/* Upper bound of the field lines of a head (its line count). */
size_t rlint_head_lines(const char *p, size_t n);
/* Reads a head the strict parser rejected, as a lenient recipient would, to build the model
 * and to classify every syntax fault (recorded in raw with stream offsets from base). */
void rlint_head_scan(const char *p, size_t n, uint64_t base, rlint_head *h, rlint_raw *raw);

#endif
