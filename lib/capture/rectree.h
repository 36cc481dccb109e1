/* The recording readers' common ground: one interaction at a time held as a small tree (from
 * JSON, YAML or tnetstring), the description of what a recorder loses, and the hand-off of one
 * recorded response to the core with its entry location. */
#ifndef RLCAP_RECTREE_H
#define RLCAP_RECTREE_H

#include "reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A scalar longer than this keeps only its first bytes; its full length is still known. */
#define RT_STRING_CAP (64u * 1024u)
#define RT_MAX_DEPTH 256u

typedef enum rt_type { RT_NULL, RT_BOOL, RT_NUM, RT_STR, RT_MAP, RT_SEQ } rt_type;

typedef struct rt_node {
    rt_type type;
    bool cut;              /* scalar: only the first len bytes of full_len were kept */
    bool binary;           /* tnetstring bytes, YAML !!binary: s is base64 when yaml */
    unsigned char pad;     /* scalar: trailing '=' count (base64 padding) */
    uint32_t line, col;    /* 1-based; 0 when the format has no lines (tnetstring) */
    uint64_t off;          /* byte offset of the value in the file */
    const char *key;       /* member name in a map, NULL in a sequence */
    size_t key_len;
    size_t index;          /* position in the parent */
    const char *s;         /* scalar text, NUL-terminated */
    size_t len;
    uint64_t full_len;     /* scalar: decoded bytes of the whole value */
    struct rt_node *parent, *first, *last, *next;
    size_t count;          /* children */
} rt_node;

typedef struct rt_block rt_block;

/* One entry's tree: nodes and text in an arena freed at once, capped in bytes. */
typedef struct rt_tree {
    rt_block *blocks;
    size_t used;            /* bytes handed out */
    size_t cap;             /* RESPLINT_LIMIT_HAR_ENTRY */
    bool limited;           /* something was dropped at the cap */
    bool deep;              /* members nested deeper than RT_MAX_DEPTH were dropped */
    int err;                /* RESPLINT_ENOMEM once an allocation failed */
    rt_node *root, *cur;    /* cur: the open container */
    size_t depth;
    size_t skip;            /* open containers dropped at the cap */
    const char *base;       /* pointer of the entry's root ("/http_interactions/3") */
} rt_tree;

void rt_init(rt_tree *t, size_t cap);
void rt_reset(rt_tree *t); /* frees every node */
void rt_free(rt_tree *t);
/* Opens a container (map or seq) as a member of the current one (or as the root). The key,
 * when not NULL, is copied. Returns 0 or RESPLINT_ENOMEM; past the cap the node is counted
 * as dropped (t->limited) and NULL is kept for it. */
int rt_open(rt_tree *t, rt_type type, const char *key, size_t key_len, uint32_t line,
            uint32_t col, uint64_t off);
/* Closes the current container; returns true when it was the root. */
bool rt_close(rt_tree *t);
/* Adds a scalar; s is copied up to RT_STRING_CAP bytes. The caller fills cut/full_len/pad
 * afterwards through the returned node when it knows more (NULL past the cap, and NULL with
 * t->err set when an allocation failed). */
rt_node *rt_scalar(rt_tree *t, rt_type type, const char *key, size_t key_len, const char *s,
                   size_t len, uint32_t line, uint32_t col, uint64_t off);

/* Lookups. */
const rt_node *rt_get(const rt_node *map, const char *key); /* exact member name */
const rt_node *rt_at(const rt_node *seq, size_t i);
bool rt_is_str(const rt_node *n);
bool rt_eq(const rt_node *n, const char *s); /* a string scalar equal to s */
/* A number or a numeric string as an integer. */
bool rt_int(const rt_node *n, int64_t *out);
/* The JSON pointer of n (t->base, then members and indices, '~' and '/' escaped). */
void rt_pointer(const rt_tree *t, const rt_node *n, char *buf, size_t len);

/* What a recorder does not keep, per reader (docs/recordings.md). rec_check hands it to the
 * engine as provenance (RESPLINT_PROV_*), and also passes no reason phrase when it was not
 * recorded, no body length when the body was decoded or dropped, no version when none was
 * stored. */
typedef struct rec_loss {
    bool reason;        /* the reason phrase is not stored (or is the standard one, made up) */
    bool order;         /* header order is not kept */
    bool dups_merged;   /* repeated fields are joined into one value */
    bool body_decoded;  /* the body is stored after content decoding */
    bool body_dropped;  /* the body is not stored (or only sometimes) */
    bool version;       /* the HTTP version is not stored */
    bool framing;       /* Content-Length and Transfer-Encoding are removed (no provenance flag
                         * yet: no check on structured input needs their presence) */
} rec_loss;

typedef struct rec_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
    const rt_node *where; /* the value's node, for the finding's location */
} rec_header;

/* One recorded exchange, as a format reader extracted it from its entry. */
typedef struct rec_exchange {
    size_t index;                    /* the entry's index: the response index */
    const rt_node *entry, *response; /* for locations */
    int64_t status;
    const char *reason;
    size_t reason_len;
    unsigned major, minor;
    const char *method;
    const char *url;
    int64_t body_length; /* RESPLINT_UNKNOWN_LENGTH when not known */
    rec_header *headers;
    size_t nheaders;
    rec_loss loss;
    char method_buf[24]; /* the method (Ruby VCR's symbol "get" upper-cased) */
    char url_buf[2048];  /* URL put together from parts (nock scope + path, newman) */
} rec_exchange;

/* Starts an exchange for entry index. */
void rec_exchange_init(rec_exchange *x, size_t index, const rt_node *entry);
/* Sets x->method from a string node, or leaves it NULL. Methods are case-sensitive (RFC 9110
 * §9.1); upper is for recorders that store them as lower-case names (Ruby VCR's :get). */
void rec_set_method(rec_exchange *x, const rt_node *m, bool upper);

/* The reader state shared by the recording formats. */
typedef struct rec_ctx {
    rlcap_reader *r;
    rt_tree tree;
    size_t entries;       /* entries seen: the next entry's index */
    rec_header *hdrs;
    size_t hdr_cap;
    resplint_field *fields;
    size_t *field_hdr;
    size_t field_cap;
    uint64_t fields_limit;
    const rec_exchange *x; /* while checking */
    const resplint_response *checking;
    size_t nfields;       /* fields handed to the core */
    rlcap_evidence evid;  /* the head rebuilt as evidence, at the first finding */
    size_t index;
    size_t invalid;       /* RL9011 findings reported */
    resplint_exchanges *xchg; /* earlier responses to each URL of the file (NULL: no memory) */
} rec_ctx;

int rec_init(rec_ctx *c, rlcap_reader *r);
void rec_free(rec_ctx *c);
/* Appends a header to c->hdrs (the headers of the exchange being built). */
int rec_add_header(rec_ctx *c, rec_exchange *x, const char *name, size_t nlen, const char *value,
                   size_t vlen, const rt_node *where);
/* Reads headers written as a map (name -> string, number or list of them), as a list of
 * [name, value] pairs, as a list of {key|name, value} objects, or as a flat list
 * [name, value, name, value...]. Returns false when the node has none of these shapes. */
bool rec_headers(rec_ctx *c, rec_exchange *x, const rt_node *h, int *err);
/* Checks one exchange with the core and reports its findings located at its entry. */
int rec_check(rec_ctx *c, const rec_exchange *x);
/* RL9011 for entry index at node n (NULL: the entry itself); nothing when the entry was cut
 * at the cap (RL9004 reported it), since the member may be missing because of the cut. */
void rec_invalid(rec_ctx *c, size_t index, const rt_node *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* RL9004 at entry index: the entry passed the cap and was cut. */
/* RL9004 for what the caps dropped from an entry: its bytes (t->limited), its members nested
 * deeper than RT_MAX_DEPTH (t->deep); nothing when neither. */
void rec_limited(rec_ctx *c, size_t index, const rt_node *n);
/* Would --host / --url keep this URL? */
bool rec_wanted(const rec_ctx *c, const char *url);
/* A status line "HTTP/1.1 200 OK" or "200 OK": sets status and reason (pointing into s). */
bool rec_status_line(const char *s, size_t len, int64_t *status, const char **reason,
                     size_t *reason_len, unsigned *major, unsigned *minor);
/* Bytes a base64 text of full_len characters (pad '=' at its end) decodes to. */
int64_t rec_base64_len(uint64_t full_len, unsigned pad);
/* Bytes of a body given as a list of strings (Ruby VCR, nock's hex chunks): sum of lengths. */

/* ---- the readers ---- */

/* A JSON recording read with YAJL: the reader says which containers are entries (by path)
 * and what to do with each; memory holds one entry. */
typedef struct rec_json_format {
    resplint_input_kind kind;
    /* path: the keys and indices from the root, "" for indices: is the container at this
     * depth an entry? */
    bool (*is_entry)(const char *const *keys, const size_t *idx, size_t depth);
    int (*on_entry)(rec_ctx *c, const rt_node *entry, size_t index);
    const char *name;
} rec_json_format;

int rlcap_read_rec_json(rlcap_reader *r, const rec_json_format *f);
/* A YAML recording read with libyaml, entries chosen the same way. */
int rlcap_read_rec_yaml(rlcap_reader *r, const rec_json_format *f);

/* VCR-style entries (vcrpy, Ruby VCR, go-vcr, Betamax): request/response members. */
int rlcap_vcr_entry(rec_ctx *c, const rt_node *entry, size_t index, bool betamax);

int rlcap_read_vcr(rlcap_reader *r);
int rlcap_read_betamax(rlcap_reader *r);
int rlcap_read_nock(rlcap_reader *r);
int rlcap_read_wiremock(rlcap_reader *r);
int rlcap_read_postman(rlcap_reader *r);
int rlcap_read_newman(rlcap_reader *r);
int rlcap_read_mitmproxy(rlcap_reader *r);

#endif
