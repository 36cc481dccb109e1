/* The HAR 1.2 reader: streams the JSON through its own tokenizer (one pass, no copy of what it
 * does not use), keeps only the entry being read (its response head, method, URL and sizes),
 * checks each entry's response with the structured entry of the core, and maps findings to
 * entry index, JSON pointer, line and column. */
#define _POSIX_C_SOURCE 200809L
#include "../core/text.h"
#include "har.h"
#include "reader.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define HAR_CHUNK (64u * 1024u)
#define HAR_LITERAL_CAP 4096u /* a number's digits past this are skipped, not parsed */
/* Nesting inside members the reader ignores costs the tokenizer one byte per level: deeper than this
 * is not a HAR. */
#define HAR_MAX_DEPTH (1024u * 1024u)
#define HAR_MAX_INVALID 8u    /* RL9005 findings kept per entry */

typedef struct har_pos {
    uint64_t off;
    uint32_t line, col;
} har_pos;

/* What a JSON container or member means to the reader. */
enum har_ctx { C_IGNORE, C_TOP, C_LOG, C_ENTRIES, C_ENTRY, C_REQUEST, C_RESPONSE, C_HEADERS,
               C_HEADER, C_CONTENT, C_CREATOR };
enum har_key { K_OTHER, K_LOG, K_ENTRIES, K_REQUEST, K_RESPONSE, K_METHOD, K_URL, K_VERSION,
               K_STATUS, K_STATUS_TEXT, K_HEADERS, K_CONTENT, K_BODY_SIZE, K_SIZE, K_NAME,
               K_VALUE, K_CREATOR };
enum har_type { T_NULL, T_BOOL, T_NUMBER, T_STRING, T_OBJECT, T_ARRAY };

typedef struct har_frame {
    unsigned char ctx;
    unsigned char key; /* maps: the member being read */
    bool array;
    size_t index;      /* arrays: the next element's index */
} har_frame;

typedef struct har_str {
    uint32_t off, len;
    bool set;
} har_str;

typedef struct har_hdr {
    har_str name, value;
    har_pos pos;
    size_t index; /* in response.headers */
    bool bad;
    bool truncated;
} har_hdr;

typedef struct har_invalid {
    char pointer[96]; /* below /log/entries/N */
    har_pos pos;
    char msg[200];
} har_invalid;

typedef struct har_entry {
    size_t index;
    har_pos pos, resp_pos, status_pos, headers_pos;
    bool has_request, has_response, critical;
    bool has_status, status_valid;
    int64_t status;
    har_str status_text, version, req_version, method, url;
    bool has_headers;
    bool has_body_size, has_content_size;
    int64_t body_size, content_size;
    bool limited;      /* headers beyond the configured limits were dropped */
    bool entry_limited; /* text beyond RESPLINT_LIMIT_HAR_ENTRY was dropped or cut */
    bool hdr_truncated; /* a header name or value was cut to RLCAP_HAR_STRING_CAP */
    har_hdr *hdrs;
    size_t nhdrs, hdr_cap;
    size_t head_bytes;
    har_invalid invalid[HAR_MAX_INVALID];
    size_t ninvalid, invalid_dropped;
} har_entry;

/* The JSON tokenizer's state between chunks (the input arrives in HAR_CHUNK pieces and any
 * token may straddle two). */
enum har_jstate { J_VALUE, J_FIRST_VALUE, J_FIRST_KEY, J_KEY, J_COLON, J_NEXT, J_DONE,
                  J_STRING, J_NUMBER, J_LITERAL };
enum har_num { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP };

typedef struct har_lex {
    unsigned char state;
    /* the string being read */
    bool key;          /* a member name */
    bool collect;      /* its text is kept: the reader uses it */
    bool cut;          /* longer than RLCAP_HAR_STRING_CAP: the rest is skipped */
    unsigned char esc; /* 1: after a backslash; 2-5: hex digits of a \uXXXX still due + 1 */
    uint32_t cp, high; /* the \u code point being read; a high surrogate waiting for its pair */
    size_t raw;        /* raw bytes of the string so far */
    /* numbers and literals */
    unsigned char num; /* enum har_num */
    const char *lit;   /* "true", "false" or "null" */
    size_t lit_i;
    /* the text of the token: a string's first RLCAP_HAR_STRING_CAP bytes, decoded, or a
     * number's first HAR_LITERAL_CAP characters */
    char *text;
    size_t tlen;
    /* the containers open: 1 an object, 0 an array */
    unsigned char *open;
    size_t nopen, open_cap;
    /* lines and columns: the line being read starts at line_start and holds cont UTF-8
     * continuation bytes so far (columns count characters) */
    uint32_t line;
    uint64_t line_start, cont;
} har_lex;

typedef struct har {
    rlcap_reader *r;
    resplint_exchanges *xchg; /* earlier responses to each URL of the file */
    int rc; /* an error set by a callback */
    /* where we are */
    uint64_t chunk_base; /* file offset of the chunk being read */
    har_lex lex;
    har_pos tok; /* where the token of the current callback starts */
    /* JSON structure */
    har_frame stack[8];
    size_t depth;
    size_t ignore; /* depth inside an ignored value */
    bool saw_log, saw_entries, top_done;
    /* the entry being read */
    bool in_entry;
    har_entry e;
    size_t cur_hdr; /* index into e.hdrs of the header object being read, or SIZE_MAX */
    char *arena;
    size_t alen, acap;
    /* the response handed to the core */
    resplint_field *fields;
    size_t *field_hdr; /* header index of each field */
    size_t field_cap, nfields;
    size_t entries;
    uint64_t fields_limit, head_limit;
    uint64_t entry_limit; /* bytes of the arena: what one entry keeps */
    bool ie; /* log.creator is Internet Explorer's Network Inspector: see ie_quirks() */
    bool polly; /* log.creator is Polly.JS: statusText made up, repeated fields merged */
    /* the evidence of the entry being checked, rebuilt as a head at its first finding */
    const resplint_response *checking;
    rlcap_evidence evid;
} har;

/* ---- small helpers ---- */

static bool digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool rlcap_har_version(const char *s, size_t len, unsigned *major, unsigned *minor)
{
    *major = *minor = 0;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len > 5 && rlint_ieq(s, 5, "http/")) {
        s += 5;
        len -= 5;
    } else if (len >= 2 && (s[0] == 'h' || s[0] == 'H') && (s[1] == '2' || s[1] == '3')) {
        /* ALPN ids: h2, h2c, h3 and drafts h3-29 */
        if (len == 2 || rlint_ieq(s + 2, len - 2, "c") || (len > 3 && s[2] == '-' && s[1] == '3' &&
                                                     digits(s + 3, len - 3))) {
            *major = (unsigned)(s[1] - '0');
            return true;
        }
        return false;
    }
    /* "1.1", "2", "2.0", "3" as written after "HTTP/" (and bare, as WebPagetest writes) */
    if (len == 1 && (s[0] == '2' || s[0] == '3')) {
        *major = (unsigned)(s[0] - '0');
        return true;
    }
    if (len == 3 && s[1] == '.' && s[0] >= '0' && s[0] <= '3' && s[2] >= '0' && s[2] <= '9') {
        unsigned ma = (unsigned)(s[0] - '0'), mi = (unsigned)(s[2] - '0');
        if ((ma == 1 && mi <= 1) || (ma == 0 && mi == 9) || (ma >= 2 && mi == 0)) {
            *major = ma;
            *minor = mi;
            return true;
        }
    }
    return false;
}

bool rlcap_har_url_host(const char *url, char *host, size_t hostlen, char *port, size_t portlen)
{
    if (hostlen)
        host[0] = '\0';
    if (portlen)
        port[0] = '\0';
    const char *p = strstr(url, "://");
    if (!p)
        return false;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    size_t hn = n;
    const char *colon = NULL;
    if (n && p[0] == '[') {
        const char *rb = memchr(p, ']', n);
        if (rb && (size_t)(rb + 1 - p) < n && rb[1] == ':')
            colon = rb + 1;
    } else {
        colon = memchr(p, ':', n);
    }
    if (colon) {
        hn = (size_t)(colon - p);
        size_t pn = n - hn - 1;
        if (portlen) {
            if (pn >= portlen)
                pn = portlen - 1;
            memcpy(port, colon + 1, pn);
            port[pn] = '\0';
        }
    }
    if (hn == 0 || hostlen == 0)
        return false;
    if (hn >= hostlen)
        hn = hostlen - 1;
    memcpy(host, p, hn);
    host[hn] = '\0';
    return true;
}

bool rlcap_har_url_checked(const char *url)
{
    size_t i = 0;
    while (url[i] && url[i] != ':' && url[i] != '/' && url[i] != '?' && url[i] != '#')
        i++;
    if (url[i] != ':')
        return true; /* no scheme: nothing says it is not HTTP */
    return rlint_ieq(url, i, "http") || rlint_ieq(url, i, "https") || rlint_ieq(url, i, "ws") || rlint_ieq(url, i, "wss");
}

/* ---- the entry's storage ---- */

static int arena_put(har *x, const void *s, size_t len, har_str *out)
{
    if (len > UINT32_MAX / 2)
        len = UINT32_MAX / 2;
    if (x->alen + len + 1 > x->acap) {
        size_t cap = x->acap ? x->acap : 4096;
        while (cap < x->alen + len + 1)
            cap *= 2;
        char *a = rlcap_realloc(x->arena, cap);
        if (!a)
            return RESPLINT_ENOMEM;
        x->arena = a;
        x->acap = cap;
    }
    memcpy(x->arena + x->alen, s, len);
    out->off = (uint32_t)x->alen;
    out->len = (uint32_t)len;
    out->set = true;
    x->alen += len;
    x->arena[x->alen++] = '\0';
    return 0;
}

static const char *str_of(const har *x, const har_str *s)
{
    return s->set ? x->arena + s->off : NULL;
}

static void invalid(har *x, bool critical, har_pos pos, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void invalid(har *x, bool critical, har_pos pos, const char *pointer, const char *fmt, ...)
{
    har_entry *e = &x->e;
    if (critical)
        e->critical = true;
    if (e->ninvalid >= HAR_MAX_INVALID) {
        e->invalid_dropped++;
        return;
    }
    har_invalid *v = &e->invalid[e->ninvalid++];
    snprintf(v->pointer, sizeof v->pointer, "%s", pointer);
    v->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
}

static const char *type_name(enum har_type t)
{
    static const char *const names[] = {"null", "a boolean", "a number", "a string",
                                        "an object", "an array"};
    return names[t];
}

static void reset_entry(har *x, size_t index, har_pos pos)
{
    har_hdr *hdrs = x->e.hdrs;
    size_t cap = x->e.hdr_cap;
    memset(&x->e, 0, sizeof x->e);
    x->e.hdrs = hdrs;
    x->e.hdr_cap = cap;
    x->e.index = index;
    x->e.pos = pos;
    x->alen = 0;
    x->cur_hdr = SIZE_MAX;
    x->in_entry = true;
}

/* ---- reporting ---- */

static void entry_origin(har *x, resplint_origin *o, const har_pos *pos, const char *pointer)
{
    rlcap_origin_init(x->r, o);
    o->response_index = x->e.index;
    o->offset = pos->off;
    o->line = pos->line;
    o->column = pos->col;
    o->har_entry = (long)x->e.index;
    o->json_pointer = pointer;
    o->url = str_of(x, &x->e.url);
}

/* "/log/entries/N/response" into out (at least 48 bytes). */
static void response_pointer(char *out, size_t len, size_t index)
{
    static const char head[] = "/log/entries/", tail[] = "/response";
    char digits_[24];
    size_t nd = 0;
    do {
        digits_[nd++] = (char)('0' + index % 10);
        index /= 10;
    } while (index);
    if (len < sizeof head + nd + sizeof tail) {
        out[0] = '\0';
        return;
    }
    char *o = out;
    memcpy(o, head, sizeof head - 1);
    o += sizeof head - 1;
    while (nd)
        *o++ = digits_[--nd];
    memcpy(o, tail, sizeof tail); /* with its NUL */
}

static void report_at(har *x, const char *rule, const har_pos *pos, const char *suffix,
                      const char *msg)
{
    char pointer[160];
    snprintf(pointer, sizeof pointer, "/log/entries/%zu%s", x->e.index, suffix);
    resplint_origin o;
    entry_origin(x, &o, pos, pointer);
    rlcap_report(x->r, rule, &o, pos->off, 0, x->e.index, "%s", msg);
}

static void on_core_finding(const resplint_finding *f, void *user)
{
    har *x = user;
    char pointer[160];
    const har_pos *pos = &x->e.resp_pos;
    if (f->field_index >= 0 && (size_t)f->field_index < x->nfields) {
        const har_hdr *h = &x->e.hdrs[x->field_hdr[f->field_index]];
        snprintf(pointer, sizeof pointer, "/log/entries/%zu/response/headers/%zu", x->e.index,
                 h->index);
        pos = &h->pos;
    } else {
        snprintf(pointer, sizeof pointer, "/log/entries/%zu/response", x->e.index);
    }
    resplint_origin o;
    entry_origin(x, &o, pos, pointer);
    if (x->checking)
        rlcap_evidence_set(&x->evid, x->checking, str_of(x, &x->e.version), x->e.version.len,
                           &o);
    x->r->stats->findings++;
    x->r->handler->on_finding(f, &o, x->r->handler->user);
}

static bool wanted(har *x, const char *url)
{
    const resplint_capture_options *opts = x->r->opts;
    if (!opts->host_glob && !opts->url_glob)
        return true;
    if (!url)
        return false;
    if (opts->url_glob && !rlcap_glob(opts->url_glob, url))
        return false;
    if (opts->host_glob) {
        char host[512], port[16], hp[530];
        if (!rlcap_har_url_host(url, host, sizeof host, port, sizeof port))
            return false;
        if (rlcap_glob(opts->host_glob, host))
            return true;
        if (!port[0])
            return false;
        snprintf(hp, sizeof hp, "%s:%s", host, port);
        return rlcap_glob(opts->host_glob, hp);
    }
    return true;
}

static int add_field(har *x, const char *name, size_t nlen, const char *v, size_t vlen,
                     size_t hdr)
{
    if (x->nfields == x->field_cap) {
        size_t cap = x->field_cap ? x->field_cap * 2 : 64;
        resplint_field *f = rlcap_realloc(x->fields, cap * sizeof *f);
        if (!f)
            return RESPLINT_ENOMEM;
        x->fields = f;
        size_t *m = rlcap_realloc(x->field_hdr, cap * sizeof *m);
        if (!m)
            return RESPLINT_ENOMEM;
        x->field_hdr = m;
        x->field_cap = cap;
    }
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' || v[vlen - 1] == '\r'))
        vlen--;
    resplint_field *f = &x->fields[x->nfields];
    f->name = name;
    f->name_len = nlen;
    f->value = v;
    f->value_len = vlen;
    f->offset = RESPLINT_NO_OFFSET;
    f->length = 0;
    x->field_hdr[x->nfields++] = hdr;
    return 0;
}

/* Sizes HAR records that are not body bytes on the wire: a response that has no body by
 * HTTP's framing (1xx, 204, 304, HEAD, a CONNECT tunnel: resplint_response_bodiless), and a
 * 205, which browsers do not read a body for either (Fetch's "null body status"), so what a
 * HAR writes there is the cached body (304), tunnel traffic (101, CONNECT) or socket
 * accounting, never content the server sent with that response. */
static bool length_meaningless(int64_t status, const char *method, size_t method_len)
{
    if (status < 200 || status == 205)
        return true;
    return status <= INT32_MAX && resplint_response_bodiless((int)status, method, method_len);
}

static int64_t body_length(const har *x, const char *method)
{
    const har_entry *e = &x->e;
    if (length_meaningless(e->status, method, method ? e->method.len : 0))
        return RESPLINT_UNKNOWN_LENGTH;
    /* bodySize: bytes received, -1 when unknown. content.size: the decoded length, equal
     * to bodySize only without a content coding. */
    if (e->has_body_size && e->body_size >= 0)
        return e->body_size;
    if (e->has_content_size && e->content_size >= 0) {
        for (size_t i = 0; i < x->nfields; i++)
            if (rlint_ieq(x->fields[i].name, x->fields[i].name_len, "content-encoding"))
                return RESPLINT_UNKNOWN_LENGTH;
        return e->content_size;
    }
    return RESPLINT_UNKNOWN_LENGTH;
}

/* Internet Explorer 11's Network Inspector writes Content-Length with digit grouping
 * ("6,219"), and on a 304 it records the representation fields of the cached response, not
 * those the server sent (Chrome and Firefox recordings of the same exchanges show 304s without
 * them). Undo the first; drop the second. Returns true to drop the field. */
static bool ie_quirks(har *x, const har_entry *e, const har_hdr *h)
{
    const char *name = str_of(x, &h->name);
    size_t n = h->name.len;
    bool cl = rlint_ieq(name, n, "content-length");
    if (e->status == 304 && (cl || rlint_ieq(name, n, "content-type") ||
                             rlint_ieq(name, n, "content-encoding") ||
                             rlint_ieq(name, n, "content-language") || rlint_ieq(name, n, "content-range")))
        return true;
    if (!cl)
        return false;
    char *v = x->arena + h->value.off;
    size_t len = h->value.len, i = 0;
    while (i < len && i < 3 && v[i] >= '0' && v[i] <= '9')
        i++;
    if (i == 0 || i == len)
        return false;
    for (size_t k = i; k < len; k += 4)
        if (k + 4 > len || v[k] != ',' || !digits(v + k + 1, 3))
            return false;
    size_t out = 0;
    for (size_t k = 0; k < len; k++)
        if (v[k] != ',')
            v[out++] = v[k];
    /* the value shrinks in place; its length is read from the field, so pad with spaces */
    for (size_t k = out; k < len; k++)
        v[k] = ' ';
    return false;
}

static int finish_entry(har *x)
{
    har_entry *e = &x->e;
    x->in_entry = false;
    const char *url = str_of(x, &e->url);
    if (url && !rlcap_har_url_checked(url)) {
        x->r->stats->skipped++;
        return 0;
    }
    if (!wanted(x, url)) {
        x->r->stats->skipped++;
        return 0;
    }
    if (!e->has_request && !e->critical)
        invalid(x, false, e->pos, "",
                "entry %zu has no request object: its method and URL are unknown", e->index);
    if (!e->has_response && !e->critical)
        invalid(x, true, e->pos, "", "entry %zu has no response object", e->index);
    else if (e->has_response && !e->has_status && !e->critical)
        invalid(x, true, e->resp_pos, "/response",
                "response of entry %zu has no status member", e->index);
    else if (e->has_response && e->status_valid && e->status != 0 && !e->has_headers &&
             !e->critical)
        invalid(x, true, e->resp_pos, "/response",
                "response of entry %zu has no headers array", e->index);
    for (size_t i = 0; i < e->ninvalid; i++) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s%s", e->invalid[i].msg,
                 e->critical && i + 1 == e->ninvalid ? "; the entry is not checked" : "");
        report_at(x, "RL9005", &e->invalid[i].pos, e->invalid[i].pointer, msg);
    }
    if (e->invalid_dropped) {
        char msg[120];
        snprintf(msg, sizeof msg, "%zu more faults in this entry are not reported",
                 e->invalid_dropped);
        report_at(x, "RL9005", &e->pos, "", msg);
    }
    if (e->status_valid && (e->status == 0 || e->status == -1)) {
        /* Browsers write status 0 for requests that got no response: blocked, aborted,
         * failed DNS or TLS, served by an extension; Playwright's recordHar writes -1 (with
         * "_failureText", e.g. a fetch blocked by CORS). There is nothing to check. */
        report_at(x, "RL9006", &e->status_pos, "/response/status",
                  e->status == 0 ? "status 0: the request got no response (failed, blocked or "
                                   "aborted); nothing to check"
                                 : "status -1: the request got no response (Playwright's mark "
                                   "for a failed, blocked or aborted request); nothing to check");
        return 0;
    }
    if (e->critical)
        return 0;

    x->nfields = 0;
    for (size_t i = 0; i < e->nhdrs; i++) {
        const har_hdr *h = &e->hdrs[i];
        const char *name = str_of(x, &h->name);
        /* HTTP/2 and HTTP/3 pseudo-header fields (":status") are not fields of the head. */
        if (h->name.len && name[0] == ':')
            continue;
        if (x->ie && ie_quirks(x, e, h))
            continue;
        /* Chrome joins repeated fields with a line feed ("a=1\nb=2" for two Set-Cookie
         * lines): split them back into the lines the server sent. */
        const char *v = str_of(x, &h->value);
        const char *end = v + h->value.len;
        for (;;) {
            const char *nl = memchr(v, '\n', (size_t)(end - v));
            const char *ve = nl ? nl : end;
            if (x->nfields >= x->fields_limit) {
                e->limited = true;
                break;
            }
            int rc = add_field(x, name, h->name.len, v, (size_t)(ve - v), i);
            if (rc < 0)
                return rc;
            if (!nl)
                break;
            v = nl + 1;
        }
    }
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.size = sizeof resp;
    resp.status = e->status > INT32_MAX   ? INT32_MAX
                  : e->status < INT32_MIN ? INT32_MIN
                                          : (int)e->status;
    const char *version = str_of(x, &e->version);
    if (version)
        rlcap_har_version(version, e->version.len, &resp.version_major, &resp.version_minor);
    resp.reason = str_of(x, &e->status_text);
    resp.reason_len = e->status_text.len;
    resp.fields = x->fields;
    resp.field_count = x->nfields;
    const char *method = str_of(x, &e->method);
    resp.method = method;
    resp.method_len = e->method.len;
    const char *rv = str_of(x, &e->req_version);
    if (rv)
        rlcap_har_version(rv, e->req_version.len, &resp.request_version_major,
                          &resp.request_version_minor);
    resp.body_length = body_length(x, method);
    resp.offset = RESPLINT_NO_OFFSET;
    if (url) {
        resp.url = url;
        resp.url_len = e->url.len;
        resp.scheme = rlcap_scheme_of(url, e->url.len);
    }
    /* HAR 1.2: content.text is the decoded body; sizes may be of it */
    resp.provenance = RESPLINT_PROV_BODY_DECODED;
    /* IE's Network Inspector shows a 304 with the stored response's representation fields (see
     * ie_quirks) and without some of those the 304 carried (Date, Cache-Control, Vary: the same
     * traffic captured by Fiddler has them) */
    if (x->ie && e->status == 304)
        resp.provenance |= RESPLINT_PROV_FIELDS_DROPPED;
    if (x->polly) {
        /* Polly.JS records Node's view: statusText is the standard phrase of the code ("OK"
         * for a "200 Not Found"), and Node dropped or joined repeated fields (one Content-Type
         * of two) */
        resp.provenance |= RESPLINT_PROV_REASON_LOST | RESPLINT_PROV_FIELDS_MERGED;
        resp.reason = NULL;
        resp.reason_len = 0;
    }
    if (e->limited || e->hdr_truncated || e->entry_limited) {
        char msg[200];
        if (e->entry_limited)
            snprintf(msg, sizeof msg,
                     "the entry's text passes the limit of %llu bytes kept per entry; headers "
                     "beyond it were dropped, longer strings cut",
                     (unsigned long long)x->entry_limit);
        else if (e->limited)
            snprintf(msg, sizeof msg,
                     "the response headers pass the limit of %llu fields or %llu bytes; only "
                     "the first ones were checked",
                     (unsigned long long)x->fields_limit, (unsigned long long)x->head_limit);
        else
            snprintf(msg, sizeof msg,
                     "a header name or value longer than %u bytes was cut to that length for "
                     "checking",
                     RLCAP_HAR_STRING_CAP);
        report_at(x, "RL9004", &e->headers_pos, "/response/headers", msg);
    }
    x->checking = &resp;
    x->evid.built = false;
    int rc = resplint_check_exchange(x->r->cfg, x->xchg, &resp, e->index, on_core_finding, x);
    x->checking = NULL;
    if (rc < 0)
        return rc;
    x->r->stats->responses++;
    if (x->r->handler->on_response) {
        char pointer[96];
        response_pointer(pointer, sizeof pointer, e->index); /* every entry: no snprintf */
        resplint_origin o;
        entry_origin(x, &o, &e->resp_pos, pointer);
        x->r->handler->on_response(&resp, &o, x->r->handler->user);
    }
    return 0;
}

/* ---- the tokenizer's callbacks ---- */

static int fail_cb(har *x, int err) /* cancels the parse with x->rc set */
{
    x->rc = err;
    return 0;
}

static enum har_key key_of(enum har_ctx ctx, const char *k, size_t n)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(k, s, n) == 0)
    switch (ctx) {
    case C_TOP:
        return IS("log") ? K_LOG : K_OTHER;
    case C_LOG:
        return IS("entries") ? K_ENTRIES : IS("creator") ? K_CREATOR : K_OTHER;
    case C_CREATOR:
        return IS("name") ? K_NAME : K_OTHER;
    case C_ENTRY:
        return IS("request") ? K_REQUEST : IS("response") ? K_RESPONSE : K_OTHER;
    case C_REQUEST:
        return IS("method") ? K_METHOD : IS("url") ? K_URL : IS("httpVersion") ? K_VERSION
                                                                             : K_OTHER;
    case C_RESPONSE:
        return IS("status")        ? K_STATUS
               : IS("statusText")  ? K_STATUS_TEXT
               : IS("httpVersion") ? K_VERSION
               : IS("headers")     ? K_HEADERS
               : IS("content")     ? K_CONTENT
               : IS("bodySize")    ? K_BODY_SIZE
                                   : K_OTHER;
    case C_CONTENT:
        return IS("size") ? K_SIZE : K_OTHER;
    case C_HEADER:
        return IS("name") ? K_NAME : IS("value") ? K_VALUE : K_OTHER;
    default:
        return K_OTHER;
    }
#undef IS
}

static const char *member_name(enum har_key k)
{
    static const char *const names[] = {"", "log", "entries", "request", "response", "method",
                                        "url", "httpVersion", "status", "statusText",
                                        "headers", "content", "bodySize", "size", "name",
                                        "value", "creator"};
    return names[k];
}

/* The pointer below /log/entries/N of the member being read in frame f. */
static void member_pointer(const har *x, char *out, size_t len)
{
    const har_frame *f = &x->stack[x->depth - 1];
    switch (f->ctx) {
    case C_REQUEST:
        snprintf(out, len, "/request/%s", member_name(f->key));
        break;
    case C_RESPONSE:
        snprintf(out, len, "/response/%s", member_name(f->key));
        break;
    case C_CONTENT:
        snprintf(out, len, "/response/content/%s", member_name(f->key));
        break;
    case C_HEADER:
        snprintf(out, len, "/response/headers/%zu/%s", x->e.hdrs[x->cur_hdr].index,
                 member_name(f->key));
        break;
    case C_HEADERS:
        snprintf(out, len, "/response/headers/%zu", f->index - 1);
        break;
    default:
        snprintf(out, len, "/%s", member_name(f->key));
        break;
    }
}

static void wrong_type(har *x, bool critical, har_pos pos, const char *want, enum har_type got)
{
    char ptr[96];
    member_pointer(x, ptr, sizeof ptr);
    invalid(x, critical, pos, ptr, "/log/entries/%zu%s is %s, not %s", x->e.index, ptr,
            type_name(got), want);
}

static bool parse_int(const char *s, size_t len, int64_t *out)
{
    /* the common case, plain digits (a status, a size): no strtod */
    size_t neg = len && s[0] == '-';
    if (len > neg && len - neg <= 15 && digits(s + neg, len - neg) &&
        (s[neg] != '0' || len - neg == 1)) {
        int64_t v = 0;
        for (size_t i = neg; i < len; i++)
            v = v * 10 + (s[i] - '0');
        *out = neg ? -v : v;
        return true;
    }
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || errno || d != d || d < -9.0e15 || d > 9.0e15 || d != (double)(int64_t)d)
        return false;
    *out = (int64_t)d;
    return true;
}

/* Position of the scalar just delivered, for a finding about it: where its token starts. */
static har_pos scalar_pos(const har *x, enum har_type t, size_t len)
{
    (void)t;
    (void)len;
    return x->tok;
}

static int take_string(har *x, har_str *dst, const char *s, size_t len)
{
    if (x->alen + len + 1 > x->entry_limit) { /* keep what fits: a URL cut is still a URL */
        x->e.entry_limited = true;
        len = x->alen + 1 < x->entry_limit ? (size_t)(x->entry_limit - x->alen - 1) : 0;
    }
    int rc = arena_put(x, s, len, dst);
    return rc < 0 ? fail_cb(x, rc) : 1;
}

/* A scalar in a known context. */
static int on_scalar(har *x, enum har_type t, const char *s, size_t len)
{
    bool truncated = t == T_STRING && x->lex.cut;
    if (x->ignore || x->depth == 0) {
        if (x->depth == 0)
            return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                         "%s: not a HAR: the JSON text is not an object",
                                         x->r->path));
        return 1;
    }
    har_frame *f = &x->stack[x->depth - 1];
    har_entry *e = &x->e;
    if (f->array) {
        size_t idx = f->index++;
        if (f->ctx == C_ENTRIES) {
            har_pos pos = scalar_pos(x, t, len);
            reset_entry(x, idx, pos);
            char msg[160];
            snprintf(msg, sizeof msg, "/log/entries/%zu is %s, not an object", idx,
                     type_name(t));
            invalid(x, true, pos, "", "%s", msg);
            x->entries++;
            int rc = finish_entry(x);
            return rc < 0 ? fail_cb(x, rc) : 1;
        }
        if (f->ctx == C_HEADERS) {
            wrong_type(x, true, scalar_pos(x, t, len), "an object", t);
            return 1;
        }
        return 1;
    }
    switch (f->ctx) {
    case C_TOP:
        if (f->key == K_LOG)
            return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                         "%s: not a HAR: /log is %s, not an object",
                                         x->r->path, type_name(t)));
        return 1;
    case C_LOG:
        if (f->key == K_ENTRIES)
            return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                         "%s: not a HAR: /log/entries is %s, not an array",
                                         x->r->path, type_name(t)));
        return 1;
    case C_CREATOR:
        if (f->key == K_NAME && t == T_STRING)
        {
            x->ie = len >= 17 && memcmp(s, "Internet Explorer", 17) == 0;
            x->polly = len == 8 && memcmp(s, "Polly.JS", 8) == 0;
        }
        return 1;
    case C_ENTRY:
        if (f->key == K_REQUEST) {
            e->has_request = true;
            wrong_type(x, false, scalar_pos(x, t, len), "an object", t);
        } else if (f->key == K_RESPONSE) {
            e->has_response = true;
            e->resp_pos = scalar_pos(x, t, len);
            wrong_type(x, true, e->resp_pos, "an object", t);
        }
        return 1;
    case C_REQUEST:
    case C_RESPONSE:
    case C_CONTENT:
    case C_HEADER:
        break;
    default:
        return 1;
    }
    har_str *dst = NULL;
    switch (f->key) {
    case K_METHOD:
        dst = &e->method;
        break;
    case K_URL:
        dst = &e->url;
        break;
    case K_VERSION:
        dst = f->ctx == C_REQUEST ? &e->req_version : &e->version;
        break;
    case K_STATUS_TEXT:
        dst = &e->status_text;
        break;
    case K_NAME:
    case K_VALUE: {
        har_hdr *h = &e->hdrs[x->cur_hdr];
        if (t != T_STRING) {
            h->bad = true;
            wrong_type(x, true, scalar_pos(x, t, len), "a string", t);
            return 1;
        }
        size_t need = len + 1;
        if (x->alen + need > x->entry_limit) {
            e->entry_limited = true;
            h->bad = true; /* dropped, not reported: RL9004 says so */
            return 1;
        }
        if (e->head_bytes + need > x->head_limit) {
            e->limited = true;
            h->bad = true; /* dropped, not reported: RL9004 says so */
            return 1;
        }
        e->head_bytes += need;
        if (truncated)
            e->hdr_truncated = true;
        har_str *hs = f->key == K_NAME ? &h->name : &h->value;
        if (hs->set)
            return 1; /* a repeated member: the first one counts */
        return take_string(x, hs, s, len);
    }
    case K_STATUS:
    case K_BODY_SIZE:
    case K_SIZE: {
        int64_t v;
        bool critical = f->key == K_STATUS;
        if (f->key == K_STATUS)
            e->has_status = true;
        if (t != T_NUMBER || !parse_int(s, len, &v)) {
            if (t == T_NUMBER)
                wrong_type(x, critical, scalar_pos(x, t, len), "an integer", t);
            else
                wrong_type(x, critical, scalar_pos(x, t, len), "a number", t);
            return 1;
        }
        if (f->key == K_STATUS) {
            e->status = v;
            e->status_valid = true;
            e->status_pos = scalar_pos(x, t, len);
        } else if (f->key == K_BODY_SIZE) {
            e->has_body_size = true;
            e->body_size = v;
        } else {
            e->has_content_size = true;
            e->content_size = v;
        }
        return 1;
    }
    case K_HEADERS:
        e->has_headers = true;
        wrong_type(x, true, scalar_pos(x, t, len), "an array", t);
        return 1;
    case K_CONTENT:
        wrong_type(x, false, scalar_pos(x, t, len), "an object", t);
        return 1;
    default:
        return 1;
    }
    if (t != T_STRING) {
        wrong_type(x, false, scalar_pos(x, t, len), "a string", t);
        return 1;
    }
    if (dst->set)
        return 1; /* a repeated member: the first one counts */
    if (dst == &e->method && len > 32)
        len = 32;
    return take_string(x, dst, s, len);
}

static int cb_key(har *x, const char *s, size_t len)
{
    if (x->ignore)
        return 1;
    har_frame *f = &x->stack[x->depth - 1];
    f->key = (unsigned char)key_of((enum har_ctx)f->ctx, (const char *)s, len);
    return 1;
}

static int push(har *x, enum har_ctx ctx, bool array)
{
    if (x->depth == sizeof x->stack / sizeof x->stack[0])
        return fail_cb(x, RESPLINT_EINVAL);
    har_frame *f = &x->stack[x->depth++];
    f->ctx = (unsigned char)ctx;
    f->key = K_OTHER;
    f->array = array;
    f->index = 0;
    return 1;
}

static int ignore_value(har *x)
{
    if (++x->ignore > HAR_MAX_DEPTH) {
        har_pos p = x->tok;
        return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                     "%s:%u:%u: not a HAR: JSON nested more than %u deep",
                                     x->r->path, p.line, p.col, HAR_MAX_DEPTH));
    }
    return 1;
}

static int on_start(har *x, bool array)
{
    enum har_type t = array ? T_ARRAY : T_OBJECT;
    if (x->ignore)
        return ignore_value(x);
    if (x->depth == 0) {
        if (array || x->top_done)
            return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                         "%s: not a HAR: the JSON text is not an object",
                                         x->r->path));
        return push(x, C_TOP, false);
    }
    har_frame *f = &x->stack[x->depth - 1];
    har_entry *e = &x->e;
    har_pos pos;
    if (f->array) {
        size_t idx = f->index++;
        if (f->ctx == C_ENTRIES) {
            pos = x->tok;
            reset_entry(x, idx, pos);
            x->entries++;
            if (array) {
                invalid(x, true, pos, "", "/log/entries/%zu is an array, not an object", idx);
                x->in_entry = false;
                x->ignore = 1;
                int rc = finish_entry(x);
                return rc < 0 ? fail_cb(x, rc) : 1;
            }
            return push(x, C_ENTRY, false);
        }
        if (f->ctx == C_HEADERS) {
            pos = x->tok;
            if (array) {
                wrong_type(x, true, pos, "an object", t);
                return ignore_value(x);
            }
            if (e->nhdrs >= x->fields_limit) {
                e->limited = true;
                return ignore_value(x);
            }
            if (e->nhdrs == e->hdr_cap) {
                size_t cap = e->hdr_cap ? e->hdr_cap * 2 : 32;
                har_hdr *h = rlcap_realloc(e->hdrs, cap * sizeof *h);
                if (!h)
                    return fail_cb(x, RESPLINT_ENOMEM);
                e->hdrs = h;
                e->hdr_cap = cap;
            }
            x->cur_hdr = e->nhdrs++;
            har_hdr *h = &e->hdrs[x->cur_hdr];
            memset(h, 0, sizeof *h);
            h->pos = pos;
            h->index = idx;
            return push(x, C_HEADER, false);
        }
        return ignore_value(x);
    }
    enum har_ctx want = C_IGNORE;
    bool want_array = false, critical = false;
    switch (f->ctx) {
    case C_TOP:
        if (f->key == K_LOG) {
            if (array)
                return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                             "%s: not a HAR: /log is an array, not an object",
                                             x->r->path));
            x->saw_log = true;
            return push(x, C_LOG, false);
        }
        break;
    case C_LOG:
        if (f->key == K_ENTRIES) {
            if (!array)
                return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                             "%s: not a HAR: /log/entries is an object, not "
                                             "an array",
                                             x->r->path));
            x->saw_entries = true;
            return push(x, C_ENTRIES, true);
        }
        if (f->key == K_CREATOR && !array)
            return push(x, C_CREATOR, false);
        break;
    case C_ENTRY:
        if (f->key == K_REQUEST) {
            e->has_request = true;
            want = C_REQUEST;
        } else if (f->key == K_RESPONSE) {
            e->has_response = true;
            e->resp_pos = x->tok;
            want = C_RESPONSE;
            critical = true;
        }
        break;
    case C_RESPONSE:
        if (f->key == K_HEADERS) {
            e->has_headers = true;
            e->headers_pos = x->tok;
            want = C_HEADERS;
            want_array = true;
            critical = true;
        } else if (f->key == K_CONTENT) {
            want = C_CONTENT;
        } else if (f->key != K_OTHER) {
            critical = f->key == K_STATUS;
            if (f->key == K_STATUS)
                e->has_status = true;
            wrong_type(x, critical, x->tok,
                       f->key == K_STATUS || f->key == K_BODY_SIZE ? "a number" : "a string", t);
            return ignore_value(x);
        }
        break;
    case C_REQUEST:
        if (f->key != K_OTHER) {
            wrong_type(x, false, x->tok, "a string", t);
            return ignore_value(x);
        }
        break;
    case C_CONTENT:
        if (f->key == K_SIZE) {
            wrong_type(x, false, x->tok, "a number", t);
            return ignore_value(x);
        }
        break;
    case C_HEADER:
        if (f->key == K_NAME || f->key == K_VALUE) {
            e->hdrs[x->cur_hdr].bad = true;
            wrong_type(x, true, x->tok, "a string", t);
            return ignore_value(x);
        }
        break;
    default:
        break;
    }
    if (want == C_IGNORE)
        return ignore_value(x);
    if (array != want_array) {
        wrong_type(x, critical, x->tok, want_array ? "an array" : "an object",
                   t);
        return ignore_value(x);
    }
    return push(x, want, want_array);
}


static int on_end(har *x)
{
    if (x->ignore) {
        x->ignore--;
        return 1;
    }
    har_frame *f = &x->stack[--x->depth];
    har_entry *e = &x->e;
    switch (f->ctx) {
    case C_TOP:
        x->top_done = true;
        break;
    case C_ENTRY: {
        int rc = finish_entry(x);
        if (rc < 0)
            return fail_cb(x, rc);
        break;
    }
    case C_HEADER: {
        har_hdr *h = &e->hdrs[x->cur_hdr];
        if (!h->bad && (!h->name.set || !h->value.set)) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/response/headers/%zu", h->index);
            invalid(x, true, h->pos, ptr, "/log/entries/%zu%s has no %s", e->index, ptr,
                    h->name.set ? "value" : "name");
            h->bad = true;
        }
        if (h->bad)
            e->nhdrs--; /* dropped: the entry is invalid or over the limit */
        x->cur_hdr = SIZE_MAX;
        break;
    }
    default:
        break;
    }
    return 1;
}



/* ---- the JSON tokenizer ----
 *
 * One pass over the bytes, resumable at any byte (a token may straddle two chunks). It checks
 * the JSON grammar (RFC 8259) but not UTF-8: HAR writers put Latin-1 bytes in header values
 * now and then, and resplint judges those bytes itself (obs-text). It keeps the text of the
 * strings the reader uses only, up to RLCAP_HAR_STRING_CAP bytes; past that a string is
 * skipped up to its closing quote without being checked. Values the reader ignores are
 * tokenized without callbacks. Lines are counted as they pass; a column is computed only
 * where a token starts (no byte is counted twice). */

/* Where in the entries we are, for error messages. */
static void where(const har *x, char *out, size_t len)
{
    if (x->in_entry)
        snprintf(out, len, ", inside /log/entries/%zu (not checked)", x->e.index);
    else
        out[0] = '\0';
}

/* The position of file offset off, every byte before it having been read. */
static har_pos here(const har *x, uint64_t off)
{
    har_pos p;
    p.off = off;
    p.line = x->lex.line;
    p.col = (uint32_t)(1 + (off - x->lex.line_start) - x->lex.cont);
    return p;
}

static int syntax(har *x, uint64_t off, const char *what, int c)
{
    har_pos pos = here(x, off);
    char w[96], m[64];
    where(x, w, sizeof w);
    if (c < 0)
        snprintf(m, sizeof m, "%s", what);
    else if (c > 0x20 && c < 0x7F)
        snprintf(m, sizeof m, "%s '%c'", what, c);
    else
        snprintf(m, sizeof m, "%s (byte 0x%02X)", what, (unsigned)c);
    x->rc = rlcap_fail(x->r, RESPLINT_EFORMAT,
                       "%s:%u:%u: invalid JSON: %s%s; entries checked before it: %zu",
                       x->r->path, pos.line, pos.col, m, w, x->entries - (x->in_entry ? 1 : 0));
    return x->rc;
}

/* A callback's result: 0 cancels the parse (x->rc says why). */
static int called(har *x, int ok)
{
    if (ok)
        return 0;
    if (!x->rc)
        x->rc = RESPLINT_EFORMAT;
    return x->rc;
}

static int open_container(har *x, bool object)
{
    har_lex *L = &x->lex;
    if (L->nopen == L->open_cap) {
        size_t cap = L->open_cap ? L->open_cap * 2 : 64;
        unsigned char *o = rlcap_realloc(L->open, cap);
        if (!o)
            return x->rc = RESPLINT_ENOMEM;
        L->open = o;
        L->open_cap = cap;
    }
    L->open[L->nopen++] = object;
    L->state = object ? J_FIRST_KEY : J_FIRST_VALUE;
    return 0;
}

static void after_value(har_lex *L) { L->state = L->nopen ? J_NEXT : J_DONE; }

/* Whether on_scalar has anything to do with the value being read: not inside an ignored value,
 * nor a member the reader does not know (content.text, _initiator...), where it returns at
 * once. */
static bool scalar_wanted(const har *x)
{
    if (x->ignore)
        return false;
    if (x->depth == 0)
        return true; /* a JSON text that is not an object: on_scalar says so */
    const har_frame *f = &x->stack[x->depth - 1];
    return f->array || f->key != K_OTHER;
}

/* The text of the reader's strings: kept up to the cap (escapes decoded). */
static void put_text(har_lex *L, const void *s, size_t n)
{
    memcpy(L->text + L->tlen, s, n);
    L->tlen += n;
}

static void put_utf8(har_lex *L, uint32_t cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | cp >> 6);
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | cp >> 12);
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | cp >> 18);
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    put_text(L, b, n);
}

/* A high surrogate not followed by its low half stands as '?' (as YAJL decodes it). */
static void flush_high(har_lex *L)
{
    if (L->high) {
        if (L->collect && !L->cut)
            put_text(L, "?", 1);
        L->high = 0;
    }
}

static void put_cp(har_lex *L, uint32_t cp)
{
    if (!L->collect || L->cut) {
        L->high = 0;
        return;
    }
    if (L->high && cp >= 0xDC00 && cp <= 0xDFFF) {
        put_utf8(L, 0x10000 + ((L->high - 0xD800) << 10) + (cp - 0xDC00));
        L->high = 0;
        return;
    }
    flush_high(L);
    if (cp >= 0xD800 && cp <= 0xDBFF)
        L->high = cp;
    else
        put_utf8(L, cp);
}

#if defined(__GNUC__)
#define HAR_CTZ(v) ((unsigned)__builtin_ctz(v))
#define HAR_POPCOUNT(v) ((unsigned)__builtin_popcount(v))
#endif

/* The index of the first byte of p[i..end) that ends a run of plain string bytes: a quote,
 * a backslash, and a control character (checked) or a line feed (past the cap: counted as
 * a line); end when there is none. The UTF-8 continuation bytes before it are added to
 * *cont. */
#if defined(__GNUC__)
__attribute__((always_inline)) /* called once or twice per string: no call, no setup */
#endif
static inline size_t string_run(const unsigned char *p, size_t i, size_t end, bool checked,
                                uint64_t *cont)
{
#if defined(__SSE2__) && defined(HAR_CTZ)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i low = _mm_set1_epi8(0x1F), lf = _mm_set1_epi8('\n');
    const __m128i top2 = _mm_set1_epi8((char)0xC0), contb = _mm_set1_epi8((char)0x80);
    while (end - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash));
        stop = _mm_or_si128(stop, checked ? _mm_cmpeq_epi8(_mm_min_epu8(v, low), v)
                                          : _mm_cmpeq_epi8(v, lf));
        unsigned sm = (unsigned)_mm_movemask_epi8(stop);
        if (_mm_movemask_epi8(v)) {
            unsigned cm = (unsigned)_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_and_si128(v, top2), contb));
            if (sm)
                cm &= (1u << HAR_CTZ(sm)) - 1;
            *cont += HAR_POPCOUNT(cm);
        }
        if (sm)
            return i + HAR_CTZ(sm);
        i += 16;
    }
#endif
    for (; i < end; i++) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\' || (checked ? c < 0x20 : c == '\n'))
            return i;
        if ((c & 0xC0) == 0x80)
            (*cont)++;
    }
    return end;
}

/* The string's end: its callback. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int string_done(har *x)
{
    har_lex *L = &x->lex;
    flush_high(L);
    if (L->key) {
        L->state = J_COLON;
        L->cut = false;
        return x->ignore ? 0 : called(x, cb_key(x, L->text, L->tlen));
    }
    after_value(L);
    int rc = !scalar_wanted(x) ? 0 : called(x, on_scalar(x, T_STRING, L->collect ? L->text : NULL,
                                                 L->collect ? L->tlen : 0));
    L->cut = false;
    return rc;
}

/* The byte a one-character escape stands for ("\n": a line feed), 0 for any other. */
static char escaped(unsigned char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return (char)c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* Reads string bytes from p[i]; returns the index after the last byte used. */
static size_t lex_string(har *x, const unsigned char *p, size_t i, size_t n)
{
    har_lex *L = &x->lex;
    uint64_t base = x->chunk_base;
    if (!L->cut && !L->esc && L->raw < RLCAP_HAR_STRING_CAP) {
        /* the common case: plain bytes up to the closing quote */
        size_t lim = n - i;
        if (lim > RLCAP_HAR_STRING_CAP - L->raw)
            lim = RLCAP_HAR_STRING_CAP - L->raw;
        size_t j = string_run(p, i, i + lim, true, &L->cont);
        if (j > i) {
            flush_high(L);
            if (L->collect)
                put_text(L, p + i, j - i);
            L->raw += j - i;
        }
        if (j < i + lim && p[j] == '"') {
            string_done(x);
            return j + 1;
        }
        i = j;
    }
    while (i < n) {
        if (L->cut) {
            /* past the cap: up to the closing quote, skipping escaped bytes */
            if (L->esc) {
                L->esc = 0;
                if (p[i] == '\n') {
                    L->line++;
                    L->line_start = base + i + 1;
                    L->cont = 0;
                } else if ((p[i] & 0xC0) == 0x80) {
                    L->cont++;
                }
                i++;
                continue;
            }
            size_t j = string_run(p, i, n, false, &L->cont);
            if (j == n)
                return n;
            unsigned char c = p[j];
            i = j + 1;
            if (c == '\\') {
                L->esc = 1;
            } else if (c == '\n') {
                L->line++;
                L->line_start = base + i;
                L->cont = 0;
            } else {
                string_done(x);
                return i;
            }
            continue;
        }
        if (L->esc) {
            unsigned char c = p[i];
            if (L->esc == 1) {
                char v = escaped(c);
                if (v) {
                    L->esc = 0;
                    flush_high(L);
                    if (L->collect)
                        put_text(L, &v, 1);
                } else if (c == 'u') {
                    L->esc = 5;
                    L->cp = 0;
                } else {
                    syntax(x, base + i, "invalid escape in a string:", c);
                    return n;
                }
            } else {
                int d = rlint_hexval(c);
                if (d < 0) {
                    syntax(x, base + i, "invalid hex digit in a \\u escape:", c);
                    return n;
                }
                L->cp = L->cp << 4 | (uint32_t)d;
                if (--L->esc == 1) {
                    L->esc = 0;
                    put_cp(L, L->cp);
                }
            }
            L->raw++;
            i++;
            continue;
        }
        if (L->raw >= RLCAP_HAR_STRING_CAP) {
            /* Cut here, outside any escape: the reader gets the first RLCAP_HAR_STRING_CAP
             * bytes, memory never holds more. */
            flush_high(L);
            L->cut = true;
            continue;
        }
        size_t lim = n - i;
        if (lim > RLCAP_HAR_STRING_CAP - L->raw)
            lim = RLCAP_HAR_STRING_CAP - L->raw;
        size_t j = string_run(p, i, i + lim, true, &L->cont);
        if (j > i) {
            flush_high(L);
            if (L->collect)
                put_text(L, p + i, j - i);
            L->raw += j - i;
            i = j;
            if (i == n || L->raw >= RLCAP_HAR_STRING_CAP)
                continue;
        }
        unsigned char c = p[i];
        if (c == '"') {
            string_done(x);
            return i + 1;
        }
        if (c == '\\') {
            L->esc = 1;
            L->raw++;
            i++;
            continue;
        }
        syntax(x, base + i, "control character in a string:", c);
        return n;
    }
    return n;
}

static bool number_complete(const har_lex *L)
{
    return L->num == N_ZERO || L->num == N_INT || L->num == N_FRAC || L->num == N_EXP;
}

static int number_done(har *x)
{
    har_lex *L = &x->lex;
    after_value(L);
    return !scalar_wanted(x) ? 0 : called(x, on_scalar(x, T_NUMBER, L->text, L->tlen));
}

/* Reads number characters from p[i]; returns the index after the last one. */
static size_t lex_number(har *x, const unsigned char *p, size_t i, size_t n)
{
    har_lex *L = &x->lex;
    for (; i < n; i++) {
        unsigned char c = p[i], s = L->num;
        bool digit = c >= '0' && c <= '9';
        if (digit && s != N_ZERO)
            L->num = s == N_MINUS ? (c == '0' ? N_ZERO : N_INT)
                   : s == N_DOT   ? N_FRAC
                   : s == N_E || s == N_ESIGN ? N_EXP
                                              : s;
        else if (c == '.' && (s == N_ZERO || s == N_INT))
            L->num = N_DOT;
        else if ((c == 'e' || c == 'E') && (s == N_ZERO || s == N_INT || s == N_FRAC))
            L->num = N_E;
        else if ((c == '+' || c == '-') && s == N_E)
            L->num = N_ESIGN;
        else
            break;
        /* a number of thousands of digits (in a member nobody reads, most likely) is kept
         * to its first HAR_LITERAL_CAP characters */
        if (L->tlen < HAR_LITERAL_CAP)
            L->text[L->tlen++] = (char)c;
    }
    if (i == n)
        return n;
    if (!number_complete(L))
        syntax(x, x->chunk_base + i, "malformed number, then", p[i]);
    else
        number_done(x);
    return i;
}

static size_t lex_literal(har *x, const unsigned char *p, size_t i, size_t n)
{
    har_lex *L = &x->lex;
    for (; i < n && L->lit[L->lit_i]; i++, L->lit_i++)
        if (p[i] != (unsigned char)L->lit[L->lit_i]) {
            syntax(x, x->chunk_base + i, "invalid literal:", p[i]);
            return n;
        }
    if (L->lit[L->lit_i])
        return n;
    after_value(L);
    if (scalar_wanted(x)) {
        int rc = L->lit[0] == 'n' ? on_scalar(x, T_NULL, NULL, 4)
                                  : on_scalar(x, T_BOOL, NULL, L->lit[0] == 't' ? 4 : 5);
        called(x, rc);
    }
    return i;
}

/* What a byte can start, outside strings: one table look-up, one jump. */
enum { B_INVALID, B_SPACE, B_LF, B_OPEN, B_CLOSE, B_COMMA, B_COLON, B_QUOTE, B_NUMBER,
       B_LITERAL };
static const unsigned char byte_class[256] = {
    [' '] = B_SPACE,  ['\t'] = B_SPACE,  ['\r'] = B_SPACE,  ['\n'] = B_LF,     ['{'] = B_OPEN,
    ['['] = B_OPEN,   ['}'] = B_CLOSE,   [']'] = B_CLOSE,   [','] = B_COMMA,  [':'] = B_COLON,
    ['"'] = B_QUOTE,  ['-'] = B_NUMBER,  ['0'] = B_NUMBER,  ['1'] = B_NUMBER, ['2'] = B_NUMBER,
    ['3'] = B_NUMBER, ['4'] = B_NUMBER,  ['5'] = B_NUMBER,  ['6'] = B_NUMBER, ['7'] = B_NUMBER,
    ['8'] = B_NUMBER, ['9'] = B_NUMBER,  ['t'] = B_LITERAL, ['f'] = B_LITERAL, ['n'] = B_LITERAL,
};

/* Past the spaces from p[i]: the indentation of a line. */
static size_t skip_indent(const unsigned char *p, size_t i, size_t n)
{
#if defined(__SSE2__) && defined(HAR_CTZ)
    const __m128i sp = _mm_set1_epi8(' ');
    while (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned m = ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)) & 0xFFFFu;
        if (m)
            return i + HAR_CTZ(m);
        i += 16;
    }
#endif
    while (i < n && p[i] == ' ')
        i++;
    return i;
}

/* A ',' at p[i] after a member or element; pretty-printed JSON puts the next one on its own
 * line, passed here too. */
static inline size_t comma(har_lex *L, const unsigned char *p, size_t i, size_t n, uint64_t base)
{
    L->state = L->open[L->nopen - 1] ? J_KEY : J_VALUE;
    i++;
    if (i < n && p[i] == '\n') {
        L->line++;
        L->line_start = base + ++i;
        L->cont = 0;
        i = skip_indent(p, i, n);
    }
    return i;
}

/* A ':' at p[i] after a member name, and the space pretty-printed JSON puts after it. */
static inline size_t colon(har_lex *L, const unsigned char *p, size_t i, size_t n)
{
    L->state = J_VALUE;
    i++;
    if (i < n && p[i] == ' ')
        i++;
    return i;
}

static int feed_chunk(har *x, const unsigned char *p, size_t n, size_t i)
{
    har_lex *L = &x->lex;
    uint64_t base = x->chunk_base;
    /* a token the previous chunk ended inside of */
    if (L->state == J_STRING)
        i = lex_string(x, p, i, n);
    else if (L->state == J_NUMBER)
        i = lex_number(x, p, i, n);
    else if (L->state == J_LITERAL)
        i = lex_literal(x, p, i, n);
    /* Each token is read to its end (or the chunk's) where it starts: the loop sees only
     * whitespace and the first byte of tokens. */
    while (i < n && !x->rc) {
        unsigned char c = p[i], k = byte_class[c];
        if (k == B_SPACE) {
            i++;
            continue;
        }
        if (k == B_LF) {
            L->line++;
            L->line_start = base + ++i;
            L->cont = 0;
            i = skip_indent(p, i, n); /* pretty-printed JSON */
            continue;
        }
        unsigned char s = L->state;
        bool value = s == J_VALUE || s == J_FIRST_VALUE;
        /* x->tok: where a value starts, for the callbacks (and the nesting limit's message) */
        switch (k) {
        case B_OPEN:
            if (!value)
                break;
            x->tok = here(x, base + i);
            if (x->ignore ? called(x, ignore_value(x)) : called(x, on_start(x, c == '[')))
                return x->rc;
            if (open_container(x, c == '{'))
                return x->rc;
            i++;
            continue;
        case B_CLOSE:
            if (!(s == J_NEXT || (c == '}' ? s == J_FIRST_KEY : s == J_FIRST_VALUE)) ||
                L->open[L->nopen - 1] != (c == '}'))
                break;
            L->nopen--;
            after_value(L);
            if (x->ignore)
                x->ignore--;
            else if (called(x, on_end(x)))
                return x->rc;
            i++;
            if (i < n && p[i] == ',' && L->state == J_NEXT)
                i = comma(L, p, i, n, base);
            continue;
        case B_COMMA:
            if (s != J_NEXT)
                break;
            i = comma(L, p, i, n, base);
            continue;
        case B_COLON:
            if (s != J_COLON)
                break;
            i = colon(L, p, i, n);
            continue;
        case B_QUOTE:
            if (s == J_FIRST_KEY || s == J_KEY) {
                L->key = true;
                L->collect = !x->ignore;
            } else if (value) {
                const har_frame *f = x->depth ? &x->stack[x->depth - 1] : NULL;
                if (!x->ignore)
                    x->tok = here(x, base + i);
                L->key = false;
                L->collect = !x->ignore && f && !f->array && f->key != K_OTHER;
            } else {
                break;
            }
            L->state = J_STRING;
            L->cut = false;
            L->esc = 0;
            L->high = 0;
            i++;
            {
                /* most strings: plain bytes up to the closing quote, all in this chunk */
                size_t lim = n - i < RLCAP_HAR_STRING_CAP ? n - i : RLCAP_HAR_STRING_CAP;
                size_t j = string_run(p, i, i + lim, true, &L->cont);
                L->raw = j - i;
                L->tlen = 0;
                if (L->collect)
                    put_text(L, p + i, j - i);
                if (j < i + lim && p[j] == '"') {
                    string_done(x);
                    i = j + 1;
                    /* the byte after a string is most often its ':' or ',' */
                    if (i < n && p[i] == ':' && L->state == J_COLON)
                        i = colon(L, p, i, n);
                    else if (i < n && p[i] == ',' && L->state == J_NEXT)
                        i = comma(L, p, i, n, base);
                    continue;
                }
                i = lex_string(x, p, j, n); /* an escape, the chunk's end or the cap */
            }
            continue;
        case B_NUMBER:
            if (!value)
                break;
            if (!x->ignore)
                x->tok = here(x, base + i);
            L->state = J_NUMBER;
            L->num = c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
            L->text[0] = (char)c;
            L->tlen = 1;
            i = lex_number(x, p, i + 1, n);
            if (i < n && p[i] == ',' && L->state == J_NEXT)
                i = comma(L, p, i, n, base);
            continue;
        case B_LITERAL:
            if (!value)
                break;
            if (!x->ignore)
                x->tok = here(x, base + i);
            L->state = J_LITERAL;
            L->lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
            L->lit_i = 1;
            i = lex_literal(x, p, i + 1, n);
            continue;
        default:
            break;
        }
        const char *what = s == J_DONE                      ? "text after the end of the JSON value:"
                           : s == J_COLON                   ? "expected ':' after a member name, got"
                           : s == J_FIRST_KEY || s == J_KEY ? "expected a member name, got"
                           : s == J_NEXT                    ? "expected ',' or the end of the container, got"
                                                            : "expected a value, got";
        return syntax(x, base + i, what, c);
    }
    if (x->rc)
        return x->rc;
    x->chunk_base += n;
    return 0;
}

int rlcap_read_har(rlcap_reader *r)
{
    har *x = rlcap_calloc(1, sizeof *x);
    unsigned char *buf = rlcap_malloc(HAR_CHUNK);
    resplint_exchanges *xchg = resplint_exchanges_new(r->cfg);
    int rc = 0;
    if (!x || !buf || !xchg) {
        rlcap_free(x);
        rlcap_free(buf);
        resplint_exchanges_free(xchg);
        return rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
    }
    x->r = r;
    x->xchg = xchg;
    x->lex.line = 1;
    x->cur_hdr = SIZE_MAX;
    x->fields_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_FIELDS);
    x->head_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_HEAD_BYTES);
    x->entry_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_HAR_ENTRY);
    /* a string's kept text, and the few bytes an escape straddling the cap adds */
    x->lex.text = rlcap_malloc(RLCAP_HAR_STRING_CAP + 16);
    if (!x->lex.text) {
        rc = rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
        goto done;
    }
    bool first = true;
    for (;;) {
        long n = rlcap_read(r, buf, HAR_CHUNK);
        if (n < 0) {
            rc = rlcap_fail(r, RESPLINT_EIO, "%s: read error at offset %llu: %s", r->path,
                            (unsigned long long)r->stats->bytes, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        r->stats->bytes += (uint64_t)n;
        size_t from = 0;
        if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
            from = 3; /* the UTF-8 byte order mark: not part of the JSON text */
            x->lex.line_start = 3;
        }
        first = false;
        rc = feed_chunk(x, buf, (size_t)n, from);
        if (rc)
            break;
        if (r->handler->on_progress)
            r->handler->on_progress(r->stats->bytes, r->total, r->handler->user);
    }
    if (rc == 0 && x->lex.state == J_NUMBER && x->lex.nopen == 0 && number_complete(&x->lex))
        rc = number_done(x); /* a number alone: not a HAR */
    if (rc == 0) {
        if (x->lex.state != J_DONE || x->depth || x->ignore) {
            char w[96];
            where(x, w, sizeof w);
            har_pos end = here(x, x->chunk_base);
            rc = rlcap_fail(r, RESPLINT_EFORMAT,
                            "%s:%u:%u: the HAR is truncated: the file ends inside the JSON "
                            "text%s; entries checked before it: %zu",
                            r->path, end.line, end.col, w,
                            x->entries - (x->in_entry ? 1 : 0));
        } else if (!x->saw_log) {
            rc = rlcap_fail(r, RESPLINT_EFORMAT, "%s: not a HAR: JSON without a \"log\" object",
                            r->path);
        } else if (!x->saw_entries) {
            rc = rlcap_fail(r, RESPLINT_EFORMAT,
                            "%s: not a HAR: the \"log\" object has no \"entries\" array",
                            r->path);
        }
    }
done:
    rlcap_free(x->lex.text);
    rlcap_free(x->lex.open);
    rlcap_free(x->e.hdrs);
    rlcap_free(x->arena);
    rlcap_free(x->fields);
    rlcap_free(x->field_hdr);
    rlcap_evidence_free(&x->evid);
    resplint_exchanges_free(x->xchg);
    rlcap_free(x);
    rlcap_free(buf);
    return rc;
}
