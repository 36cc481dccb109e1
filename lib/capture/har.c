/* The HAR 1.2 reader: streams the JSON through YAJL's callbacks, keeps only the entry being
 * read (its response head, method, URL and sizes), checks each entry's response with the
 * structured entry of the core, and maps findings to entry index, JSON pointer, line and column. */
#define _POSIX_C_SOURCE 200809L
#include "../core/lazylib.h"
#include "../core/text.h"
#include "har.h"
#include "reader.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define HAR_CHUNK (64u * 1024u)
#define HAR_LITERAL_CAP 4096u /* a number's digits past this are skipped, not parsed */
/* Nesting inside members the reader ignores costs YAJL one byte per level: deeper than this
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

/* Scanner state. YAJL is the JSON grammar; before it sees a piece of the input, the scanner
 * finds the strings in it (16 and 64 bytes at a time) and checks their escapes and control
 * characters (YAJL checks them again in what it gets; the scanner's check is what covers the
 * bytes it skips). Strings longer than RLCAP_HAR_STRING_CAP are cut there, and the long value
 * of a member the reader never reads right after its opening quote, so that YAJL neither
 * buffers nor lexes their bytes; the line breaks and indentation between strings reach YAJL as
 * one space each (compact(), file_of()). Numbers and literals are left to YAJL, except that
 * one longer than HAR_LITERAL_CAP is cut (a number) or refused. */
typedef struct har_scan {
    bool in_str, skipping; /* skipping: inside a string whose remaining bytes YAJL does not get */
    bool skip_digits; /* a cut number: its remaining characters are not fed to YAJL */
    bool cut_number;  /* the next number YAJL delivers is a cut one, starting at cut_start */
    uint64_t cut_start;
    bool last_digit;  /* the last literal byte fed was a digit */
    unsigned char esc; /* 1: after a backslash; 2-5: hex digits of a \uXXXX still due, plus 1 */
    bool str_esc;      /* the string being read has a backslash */
    bool elide;        /* it is the value of a member the reader never reads */
    size_t str_len, lit_len;
    uint64_t str_start;
    /* the last string closed: where it starts and ends (just past its closing quote), whether
     * it has a backslash; a member name when a colon follows */
    uint64_t prev_start, prev_end;
    bool prev_esc;
    /* an error the scanner found at err_off: the piece fed to YAJL ends there, and it is
     * reported unless YAJL finds one before it */
    const char *err;
    int err_c;
    bool err_long; /* the fault: a token longer than HAR_LITERAL_CAP */
    uint64_t err_off;
} har_scan;

typedef struct har {
    rlcap_reader *r;
    resplint_exchanges *xchg; /* earlier responses to each URL of the file */
    const rlint_yajl *yj;     /* YAJL's functions (lib/core/lazylib.h) */
    yajl_handle h;
    /* where we are */
    const unsigned char *chunk;
    uint64_t chunk_base;
    size_t chunk_len;
    uint64_t piece_base;
    /* the piece compacted for YAJL, and where its bytes come from (see file_of) */
    unsigned char *cbuf;
    uint32_t *seg_c, *seg_f;
    size_t nseg, seg_cur;
    const unsigned char *piece;
    har_pos cur; /* line/column cursor, advanced lazily */
    har_scan scan;
    bool num_cut; /* the number being delivered was cut by the scanner; it starts there */
    uint64_t num_cut_start;
    bool cut_due; /* the next number YAJL completes is the one the scanner cut last */
    uint64_t cut_due_start;
    uint64_t qbits[HAR_CHUNK / 64]; /* the quotes of the chunk that open a string */
    /* the string open across a piece boundary: its start and whether it was cut */
    bool span_active, span_first, span_truncated, span_pos_valid;
    bool tok_spans; /* the token of the current callback is that string */
    uint64_t span_start;
    har_pos span_pos;
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

/* ---- line and column ---- */

#if defined(__SSE2__) && defined(__GNUC__)
#define HAR_SSE2 1
#endif

/* How many bytes of p[0..n) have (byte & mask) == val: 64 at a time, summed per lane. */
static size_t count_bytes(const unsigned char *p, size_t n, unsigned char mask, unsigned char val)
{
    size_t c = 0, i = 0;
#if defined(HAR_SSE2)
    const __m128i m = _mm_set1_epi8((char)mask), v = _mm_set1_epi8((char)val);
#define HAR_HITS(k) _mm_cmpeq_epi8(_mm_and_si128(_mm_loadu_si128((const void *)(p + i + (k))), m), v)
    while (n - i >= 64) {
        /* each hit subtracts -1 from its byte lane: up to 2 * 127 blocks, then summed */
        size_t quads = (n - i) / 64 > 63 ? 63 : (n - i) / 64;
        __m128i a = _mm_setzero_si128(), b = _mm_setzero_si128();
        for (size_t q = 0; q < quads; q++, i += 64) {
            if (mask & val & 0x80) { /* no byte with the top bit: no hit (ASCII, base64) */
                __m128i o = _mm_or_si128(
                    _mm_or_si128(_mm_loadu_si128((const void *)(p + i)),
                                 _mm_loadu_si128((const void *)(p + i + 16))),
                    _mm_or_si128(_mm_loadu_si128((const void *)(p + i + 32)),
                                 _mm_loadu_si128((const void *)(p + i + 48))));
                if (!_mm_movemask_epi8(o))
                    continue;
            }
            a = _mm_sub_epi8(a, HAR_HITS(0));
            b = _mm_sub_epi8(b, HAR_HITS(16));
            a = _mm_sub_epi8(a, HAR_HITS(32));
            b = _mm_sub_epi8(b, HAR_HITS(48));
        }
        __m128i sum = _mm_add_epi64(_mm_sad_epu8(a, _mm_setzero_si128()),
                                    _mm_sad_epu8(b, _mm_setzero_si128()));
        c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
    }
    for (; n - i >= 16; i += 16) {
        unsigned h = (unsigned)_mm_movemask_epi8(HAR_HITS(0));
        if (h) /* rare for the top-bit counts: no call to a popcount routine then */
            c += (size_t)__builtin_popcount(h);
    }
    if (i < n && n >= 16) { /* the last 16 bytes, those counted already shifted out */
        size_t k = n - 16;
        unsigned h = (unsigned)_mm_movemask_epi8(
                         _mm_cmpeq_epi8(_mm_and_si128(_mm_loadu_si128((const void *)(p + k)), m), v)) >>
                     (16 - (n - i));
        if (h)
            c += (size_t)__builtin_popcount(h);
        i = n;
    }
#undef HAR_HITS
#endif
    for (; i < n; i++)
        c += (p[i] & mask) == val;
    return c;
}

/* The cursor moves forward over the bytes of the current chunk in bulk: the newlines up to
 * the last one are counted, the column (characters, UTF-8 lead bytes, 1-based) from there. Each
 * byte passes once, whatever is asked of it. */
static void advance(har *x, uint64_t to)
{
    uint64_t end = x->chunk_base + x->chunk_len;
    if (to > end)
        to = end;
    if (to <= x->cur.off)
        return;
    const unsigned char *p = x->chunk + (x->cur.off - x->chunk_base);
    size_t n = (size_t)(to - x->cur.off), last = n;
#if defined(HAR_SSE2)
    const __m128i lf = _mm_set1_epi8('\n');
    size_t j = n;
    /* long lines (minified JSON, content.text): 64 bytes a test */
    while (j >= 80) {
        __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 64)), lf),
                b = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 48)), lf),
                c = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 32)), lf),
                d = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 16)), lf);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))))
            break;
        j -= 64;
    }
    for (; j >= 16; j -= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 16)), lf));
        if (m) {
            last = j - 16 + (size_t)(31 - __builtin_clz(m));
            break;
        }
    }
    if (j < 16)
        while (j-- > 0)
            if (p[j] == '\n') {
                last = j;
                break;
            }
#else
    const unsigned char *nl = NULL;
    for (size_t k = n; k-- > 0;)
        if (p[k] == '\n') {
            nl = p + k;
            break;
        }
    if (nl)
        last = (size_t)(nl - p);
#endif
    size_t from = 0;
    if (last < n) {
        x->cur.line += (uint32_t)count_bytes(p, last + 1, 0xFF, '\n');
        x->cur.col = 1;
        from = last + 1;
    }
    x->cur.col += (uint32_t)((n - from) - count_bytes(p + from, n - from, 0xC0, 0x80));
    x->cur.off = to;
}

static har_pos pos_at(har *x, uint64_t off)
{
    if (off >= x->cur.off) {
        advance(x, off);
        return x->cur;
    }
    /* A token that began in an earlier chunk: tokens hold no line breaks, so it is on the
     * cursor's line; exact for ASCII tokens (numbers, literals). */
    har_pos p = x->cur;
    uint64_t back = x->cur.off - off;
    p.off = off;
    p.col = back < p.col ? (uint32_t)(p.col - back) : 1;
    return p;
}

/* The file offset of byte c of the piece YAJL reads: pieces reach YAJL compacted (each line
 * break and the indentation after it become one space), the runs removed are listed in
 * seg_c/seg_f: from compact byte seg_c[k] on, bytes come from piece byte seg_f[k]. */
static uint64_t file_of(har *x, size_t c)
{
    size_t k = x->seg_cur;
    if (k && x->seg_c[k - 1] > c) {
        size_t lo = 0, hi = k; /* the first segment starting after c */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (x->seg_c[mid] > c)
                hi = mid;
            else
                lo = mid + 1;
        }
        k = lo;
    }
    while (k < x->nseg && x->seg_c[k] <= c)
        k++;
    x->seg_cur = k;
    return x->piece_base + (k ? x->seg_f[k - 1] + (c - x->seg_c[k - 1]) : c);
}

/* The file offset of the byte `back` bytes before the end of the token of the current
 * callback: YAJL 2 advances its bytes-consumed counter as it lexes, so inside a callback it
 * points past that token. */
static uint64_t tok_at(har *x, size_t back)
{
    size_t c = x->yj->yajl_get_bytes_consumed(x->h);
    return file_of(x, c >= back ? c - back : 0);
}

/* Where the string token just delivered starts (its opening quote). */
static har_pos string_start(har *x)
{
    if (x->tok_spans && x->span_pos_valid)
        return x->span_pos;
    size_t i = x->yj->yajl_get_bytes_consumed(x->h);
    /* i - 1 is the closing quote; the opening one is the first quote before it that is not
     * escaped (preceded by an even number of backslashes). */
    if (i >= 2) {
        for (size_t k = i - 2;; k--) {
            if (x->piece[k] == '"') {
                size_t bs = 0;
                while (bs < k && x->piece[k - 1 - bs] == '\\')
                    bs++;
                if (bs % 2 == 0)
                    return pos_at(x, file_of(x, k));
            }
            if (k == 0)
                break;
        }
    }
    return pos_at(x, tok_at(x, 0));
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

/* ---- YAJL callbacks ---- */

/* Stops the input with err (lib/capture/reader.h; a message set already stands) and cancels
 * the parse. */
static int fail_cb(har *x, int err)
{
    rlcap_core(x->r, err, "line %u, column %u", x->cur.line, x->cur.col);
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

/* Position of the scalar just delivered, for a finding about it. */
static har_pos scalar_pos(har *x, enum har_type t, size_t len)
{
    if (t == T_STRING)
        return string_start(x);
    if (t == T_NUMBER && x->num_cut)
        return pos_at(x, x->num_cut_start);
    return pos_at(x, tok_at(x, len));
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
    x->tok_spans = x->span_first;
    x->span_first = false;
    bool truncated = x->tok_spans && x->span_truncated;
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
            if (t == T_NUMBER && x->num_cut)
                wrong_type(x, critical, scalar_pos(x, t, len),
                           "an integer (it has more than 4,096 characters)", t);
            else if (t == T_NUMBER)
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

static int cb_null(void *ctx) { return on_scalar(ctx, T_NULL, NULL, 4); }
static int cb_bool(void *ctx, int v) { return on_scalar(ctx, T_BOOL, NULL, v ? 4 : 5); }
static int cb_number(void *ctx, const char *s, size_t len)
{
    /* a number cut by the scanner reaches YAJL's end in a later piece than its start: its
     * place is the one the scanner noted */
    har *x = ctx;
    x->num_cut = x->cut_due;
    x->num_cut_start = x->cut_due_start;
    x->cut_due = false;
    int rc = on_scalar(ctx, T_NUMBER, s, len);
    x->num_cut = false;
    return rc;
}
static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return on_scalar(ctx, T_STRING, (const char *)s, len);
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
    har *x = ctx;
    x->span_first = x->tok_spans = false;
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
        har_pos p = pos_at(x, tok_at(x, 0));
        return fail_cb(x, rlcap_fail(x->r, RESPLINT_EFORMAT,
                                     "%s:%u:%u: not a HAR: JSON nested more than %u deep",
                                     x->r->path, p.line, p.col, HAR_MAX_DEPTH));
    }
    return 1;
}

static int on_start(har *x, bool array)
{
    x->span_first = x->tok_spans = false;
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
            pos = pos_at(x, tok_at(x, 1));
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
            pos = pos_at(x, tok_at(x, 1));
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
            e->resp_pos = pos_at(x, tok_at(x, 1));
            want = C_RESPONSE;
            critical = true;
        }
        break;
    case C_RESPONSE:
        if (f->key == K_HEADERS) {
            e->has_headers = true;
            e->headers_pos = pos_at(x, tok_at(x, 1));
            want = C_HEADERS;
            want_array = true;
            critical = true;
        } else if (f->key == K_CONTENT) {
            want = C_CONTENT;
        } else if (f->key != K_OTHER) {
            critical = f->key == K_STATUS;
            if (f->key == K_STATUS)
                e->has_status = true;
            wrong_type(x, critical, pos_at(x, tok_at(x, 1)),
                       f->key == K_STATUS || f->key == K_BODY_SIZE ? "a number" : "a string", t);
            return ignore_value(x);
        }
        break;
    case C_REQUEST:
        if (f->key != K_OTHER) {
            wrong_type(x, false, pos_at(x, tok_at(x, 1)), "a string", t);
            return ignore_value(x);
        }
        break;
    case C_CONTENT:
        if (f->key == K_SIZE) {
            wrong_type(x, false, pos_at(x, tok_at(x, 1)), "a number", t);
            return ignore_value(x);
        }
        break;
    case C_HEADER:
        if (f->key == K_NAME || f->key == K_VALUE) {
            e->hdrs[x->cur_hdr].bad = true;
            wrong_type(x, true, pos_at(x, tok_at(x, 1)), "a string", t);
            return ignore_value(x);
        }
        break;
    default:
        break;
    }
    if (want == C_IGNORE)
        return ignore_value(x);
    if (array != want_array) {
        wrong_type(x, critical, pos_at(x, tok_at(x, 1)), want_array ? "an array" : "an object",
                   t);
        return ignore_value(x);
    }
    return push(x, want, want_array);
}

static int cb_start_map(void *ctx) { return on_start(ctx, false); }
static int cb_start_array(void *ctx) { return on_start(ctx, true); }

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

static int cb_end(void *ctx) { return on_end(ctx); }

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_key, cb_end, cb_start_array, cb_end,
};

/* ---- feeding ---- */

/* A string value longer than this, of a member the reader never reads ("text", "_initiator"'s
 * members...), reaches YAJL as "": its bytes are checked by the scanner only. */
#define HAR_ELIDE_MIN 256u

/* Where in the entries we are, for error messages. */
static void where(const har *x, char *out, size_t len)
{
    if (x->in_entry)
        snprintf(out, len, ", inside /log/entries/%zu (not checked)", x->e.index);
    else
        out[0] = '\0';
}

static bool is_number_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool is_structural(unsigned char c)
{
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',' || is_space(c);
}

/* Whether a string opens at file offset off (a quote of the current chunk the scanner saw
 * open a string). */
static bool opens_string(const har *x, uint64_t off)
{
    if (off < x->chunk_base || off >= x->chunk_base + x->chunk_len)
        return false;
    size_t k = (size_t)(off - x->chunk_base);
    return (x->qbits[k / 64] >> (k % 64)) & 1u;
}

/* Where the token YAJL refused starts. Its bytes-consumed count points at the offending byte
 * for lexical errors (YAJL steps back to it) except an invalid character (past it); past the
 * offending token for grammar errors, except after a member's value, where YAJL steps back by
 * the token's length (without its quotes for a string). */
static har_pos error_pos(har *x, const char *msg, size_t consumed)
{
    const unsigned char *p = x->piece;
    if (strncmp(msg, "lexical error", 13) == 0) {
        bool past = strstr(msg, "invalid char in json text") && consumed;
        return pos_at(x, file_of(x, consumed - (past ? 1 : 0)));
    }
    if (strstr(msg, "after key and value, inside map")) {
        bool str = consumed >= 2 && opens_string(x, file_of(x, consumed - 2));
        return pos_at(x, file_of(x, consumed - (str ? 2 : 0)));
    }
    if (consumed == 0)
        return pos_at(x, file_of(x, 0));
    unsigned char c = p[consumed - 1];
    if (c == '"') {
        for (size_t k = consumed - 1; k-- > 0;) {
            uint64_t f = file_of(x, k);
            if (opens_string(x, f))
                return pos_at(x, f);
        }
        return x->span_pos_valid ? x->span_pos : pos_at(x, file_of(x, 0));
    }
    if (is_structural(c))
        return pos_at(x, file_of(x, consumed - 1));
    size_t k = consumed - 1;
    while (k > 0 && !is_structural(p[k - 1]) && p[k - 1] != '"')
        k--;
    return pos_at(x, file_of(x, k));
}

/* YAJL lexes whitespace a byte at a time: the line breaks and indentation of pretty-printed
 * JSON (40% of a browser's HAR) cost it more than all the strings. Between two strings p[i..q),
 * each line break followed by spaces is listed, to reach YAJL as one space. */
#define HAR_MAX_SEGS 8192u

static void note_breaks(har *x, const unsigned char *p, size_t i, size_t q, size_t n)
{
    for (; i < q; i++) {
        if (p[i] != '\n')
            continue;
        size_t e = i + 1;
#if defined(HAR_SSE2)
        const __m128i sp = _mm_set1_epi8(' ');
        for (; n - e >= 16; e += 16) {
            unsigned m = ~(unsigned)_mm_movemask_epi8(
                             _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + e)), sp)) &
                         0xFFFFu;
            if (m) {
                e += (size_t)__builtin_ctz(m);
                break;
            }
        }
#endif
        while (e < n && p[e] == ' ')
            e++;
        if (e > q) /* no quote ends the bytes before the chunk's end (q == n then) */
            e = q;
        if (e - i >= 2 && x->nseg < HAR_MAX_SEGS) {
            x->seg_c[x->nseg] = (uint32_t)i;
            x->seg_f[x->nseg++] = (uint32_t)e;
        }
        i = e - 1;
    }
}

/* The piece p[i..j) as YAJL gets it: each run noted by note_breaks replaced by a space; seg_c
 * and seg_f become the map file_of reads. */
static const unsigned char *compact(har *x, const unsigned char *p, size_t i, size_t j,
                                    size_t *len)
{
    x->seg_cur = 0;
    if (!x->nseg) {
        *len = j - i;
        return p + i;
    }
    unsigned char *o = x->cbuf;
    size_t from = i, c = 0;
    for (size_t k = 0; k < x->nseg; k++) {
        size_t a = x->seg_c[k], b = x->seg_f[k];
        memcpy(o + c, p + from, a - from);
        c += a - from;
        o[c++] = ' ';
        x->seg_c[k] = (uint32_t)c;
        x->seg_f[k] = (uint32_t)(b - i);
        from = b;
    }
    memcpy(o + c, p + from, j - from);
    *len = c + (j - from);
    return o;
}

/* YAJL reads the chunk's bytes p[i..j). */
static int parse_piece(har *x, const unsigned char *chunk, size_t i, size_t j)
{
    size_t len;
    const unsigned char *p = compact(x, chunk, i, j, &len);
    x->piece = p;
    x->piece_base = x->chunk_base + i;
    x->span_first = x->span_active;
    x->span_active = false;
    yajl_status st = x->yj->yajl_parse(x->h, p, len);
    if (st == yajl_status_ok)
        return 0;
    if (rlcap_failed(x->r) || st == yajl_status_client_canceled) /* only fail_cb cancels */
        return rlcap_result(x->r);
    char m[200];
    rlcap_yajl_message(x->yj, x->h, m, sizeof m);
    har_pos pos = error_pos(x, m, x->yj->yajl_get_bytes_consumed(x->h));
    char w[96];
    where(x, w, sizeof w);
    return rlcap_fail(x->r, RESPLINT_EFORMAT,
                      "%s:%u:%u: invalid JSON: %s%s; entries checked before it: %zu", x->r->path,
                      pos.line, pos.col, m, w, x->entries - (x->in_entry ? 1 : 0));
}

/* The scanner found a fault at p[i]: the piece YAJL gets ends there. */
static void scan_error(har *x, size_t i, const char *what, unsigned char c)
{
    x->scan.err = what;
    x->scan.err_c = c;
    x->scan.err_off = x->chunk_base + i;
}

static int scan_report(har *x)
{
    har_scan *s = &x->scan;
    har_pos pos = pos_at(x, s->err_off);
    if (s->err_long)
        return rlcap_fail(x->r, RESPLINT_EFORMAT,
                          "%s:%u:%u: not a HAR: a JSON token longer than %u bytes", x->r->path,
                          pos.line, pos.col, HAR_LITERAL_CAP);
    char w[96];
    where(x, w, sizeof w);
    char m[96];
    if (s->err_c > 0x20 && s->err_c < 0x7F)
        snprintf(m, sizeof m, "%s '%c'", s->err, s->err_c);
    else
        snprintf(m, sizeof m, "%s (byte 0x%02X)", s->err, (unsigned)s->err_c);
    return rlcap_fail(x->r, RESPLINT_EFORMAT,
                      "%s:%u:%u: invalid JSON: %s%s; entries checked before it: %zu", x->r->path,
                      pos.line, pos.col, m, w, x->entries - (x->in_entry ? 1 : 0));
}

#if defined(HAR_SSE2)
/* Bit k set where p[k] is a quote, a backslash or a control character, k < 16. */
static inline unsigned special16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const void *)p);
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                     _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v)));
}
#endif

/* The first quote, backslash or control character of p[i..n); n if none. */
static size_t str_special(const unsigned char *p, size_t i, size_t n, unsigned *high)
{
#if defined(HAR_SSE2)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  low = _mm_set1_epi8(0x1F);
#define HAR_SPECIAL(v)                                                                       \
    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),            \
                 _mm_cmpeq_epi8(_mm_min_epu8(v, low), v))
    if (n - i >= 16) { /* most strings end in their first 16 bytes */
        __m128i v = _mm_loadu_si128((const void *)(p + i));
        unsigned b = (unsigned)_mm_movemask_epi8(HAR_SPECIAL(v));
        if (high)
            *high |= (unsigned)_mm_movemask_epi8(v);
        if (b)
            return i + (size_t)__builtin_ctz(b);
        i += 16;
    }
    /* long strings (content.text): 64 bytes a test. With bit 1 flipped, a control byte
     * stays below 0x20 and a quote becomes 0x20, every other byte is above: one unsigned
     * minimum of the four blocks tells both, the backslash is compared apart. */
    __m128i top = _mm_setzero_si128();
    const __m128i two = _mm_set1_epi8(2), space = _mm_set1_epi8(0x20);
    while (n - i >= 64) {
        __m128i a = _mm_loadu_si128((const void *)(p + i)),
                b = _mm_loadu_si128((const void *)(p + i + 16)),
                c = _mm_loadu_si128((const void *)(p + i + 32)),
                d = _mm_loadu_si128((const void *)(p + i + 48));
        __m128i mn = _mm_min_epu8(_mm_min_epu8(_mm_xor_si128(a, two), _mm_xor_si128(b, two)),
                                  _mm_min_epu8(_mm_xor_si128(c, two), _mm_xor_si128(d, two)));
        __m128i any = _mm_or_si128(
            _mm_cmpeq_epi8(_mm_min_epu8(mn, space), mn),
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, bslash), _mm_cmpeq_epi8(b, bslash)),
                         _mm_or_si128(_mm_cmpeq_epi8(c, bslash), _mm_cmpeq_epi8(d, bslash))));
        if (high)
            top = _mm_or_si128(top, _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)));
        if (_mm_movemask_epi8(any))
            break;
        i += 64;
    }
    if (high)
        *high |= (unsigned)_mm_movemask_epi8(top);
    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const void *)(p + i));
        unsigned b = (unsigned)_mm_movemask_epi8(HAR_SPECIAL(v));
        if (high)
            *high |= (unsigned)_mm_movemask_epi8(v);
        if (b)
            return i + (size_t)__builtin_ctz(b);
    }
#undef HAR_SPECIAL
#endif
    for (; i < n; i++) {
        if (high)
            *high |= p[i] & 0x80u;
        if (p[i] == '"' || p[i] == '\\' || p[i] < 0x20)
            return i;
    }
    return n;
}

/* The first quote of p[i..n); n if none. */
static size_t next_quote(const unsigned char *p, size_t i, size_t n)
{
#if defined(HAR_SSE2)
    const __m128i quote = _mm_set1_epi8('"');
    for (; n - i >= 16; i += 16) {
        unsigned b = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i)), quote));
        if (b)
            return i + (size_t)__builtin_ctz(b);
    }
#endif
    const unsigned char *q = memchr(p + i, '"', n - i);
    return q ? (size_t)(q - p) : n;
}

enum { W_QUOTE, W_LIMIT, W_END, W_ERROR };

/* Walks a string's bytes from p[i], escapes and control characters checked: to its closing
 * quote (W_QUOTE, its index returned), to lim (W_LIMIT: the first byte at or past lim outside
 * an escape), to n (W_END), or to a fault (W_ERROR, scan_error called). high (or NULL): made
 * non-zero when a byte passed may have its top bit set (UTF-8 continuation bytes are not
 * characters). */
static size_t walk_string(har *x, const unsigned char *p, size_t i, size_t lim, size_t n,
                          int *st, unsigned *high)
{
    har_scan *s = &x->scan;
    for (;;) {
        if (s->esc) {
            if (i >= n) {
                *st = W_END;
                return n;
            }
            unsigned char c = p[i];
            if (s->esc == 1) {
                if (c == 'u') {
                    s->esc = 5;
                } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
                           c == 'n' || c == 'r' || c == 't') {
                    s->esc = 0;
                } else {
                    scan_error(x, i, "invalid escape in a string:", c);
                    *st = W_ERROR;
                    return i;
                }
            } else if (rlint_hexval(c) < 0) {
                scan_error(x, i, "invalid hex digit in a \\u escape:", c);
                *st = W_ERROR;
                return i;
            } else if (--s->esc == 1) {
                s->esc = 0;
            }
            i++;
            continue;
        }
        if (i >= lim) {
            *st = i >= n ? W_END : p[i] == '"' ? W_QUOTE : W_LIMIT;
            return i;
        }
        i = str_special(p, i, lim, high);
        if (i == lim)
            continue;
        unsigned char c = p[i];
        if (c == '"') {
            *st = W_QUOTE;
            return i;
        }
        if (c == '\\') {
            s->esc = 1;
            s->str_esc = true;
            i++;
            continue;
        }
        scan_error(x, i, "control character in a string:", c);
        *st = W_ERROR;
        return i;
    }
}

/* The member names key_of knows: a string value of any other member is never read. */
static bool read_member(const unsigned char *s, size_t n)
{
    static const char *const names[] = {"log", "entries", "creator", "name", "request",
                                        "response", "method", "url", "httpVersion", "status",
                                        "statusText", "headers", "content", "bodySize",
                                        "size", "value"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
            return true;
    return false;
}

/* Whether the string opening at p[q] is the value of a member the reader never reads: the
 * last string closed is a member name without escapes (in this chunk), then a colon. */
static bool unread_value(const har *x, const unsigned char *p, size_t q)
{
    const har_scan *s = &x->scan;
    uint64_t base = x->chunk_base;
    if (s->prev_esc || s->prev_end < s->prev_start + 2 || s->prev_start < base ||
        s->prev_end > base + q || base + q - s->prev_end > 64)
        return false;
    size_t k = (size_t)(s->prev_end - base);
    while (k < q && is_space(p[k]))
        k++;
    if (k == q || p[k++] != ':')
        return false;
    while (k < q && is_space(p[k]))
        k++;
    return k == q && !read_member(p + (s->prev_start - base) + 1,
                                  (size_t)(s->prev_end - s->prev_start) - 2);
}

/* Scans p[i..n): returns where the piece YAJL gets ends (n, where a string or number is cut,
 * or where the scanner found a fault), *resume where scanning goes on (past what YAJL does
 * not get). */
static size_t scan_piece(har *x, const unsigned char *p, size_t i, size_t n, size_t *resume)
{
    har_scan *s = &x->scan;
    uint64_t base = x->chunk_base;
    x->nseg = 0;
    while (i < n) {
        if (s->in_str) {
            size_t cap = s->elide ? HAR_ELIDE_MIN : RLCAP_HAR_STRING_CAP;
            size_t lim = s->str_len >= cap ? i : n - i > cap - s->str_len ? i + (cap - s->str_len) : n;
            int st;
            size_t j = walk_string(x, p, i, lim, n, &st, NULL);
            s->str_len += j - i;
            if (st == W_ERROR) {
                *resume = j;
                return j;
            }
            if (st == W_END) {
                if (s->elide && unread_value(x, p, (size_t)(s->str_start - base))) {
                    s->elide = false;
                    s->skipping = true;
                    *resume = n;
                    return (size_t)(s->str_start - base) + 1;
                }
                break;
            }
            if (st == W_QUOTE) {
                s->in_str = s->elide = false;
                s->prev_start = s->str_start;
                s->prev_end = base + j + 1;
                s->prev_esc = s->str_esc;
                s->lit_len = 0;
                s->last_digit = false;
                i = j + 1;
                continue;
            }
            if (s->elide) {
                s->elide = false;
                if (unread_value(x, p, (size_t)(s->str_start - base))) {
                    /* YAJL gets the opening quote; the rest is checked here and skipped */
                    s->skipping = true;
                    *resume = j;
                    return (size_t)(s->str_start - base) + 1;
                }
                i = j;
                continue;
            }
            /* Cut before this byte, outside any escape: YAJL gets the first
             * RLCAP_HAR_STRING_CAP bytes, the rest is checked and skipped up to the closing
             * quote. */
            s->skipping = true;
            *resume = j;
            return j;
        }
        size_t q = next_quote(p, i, n);
        if (s->lit_len + (q - i) > HAR_LITERAL_CAP) {
            /* a run of other bytes long enough to hold a token longer than the cap: byte by
             * byte */
            for (; i < q; i++) {
                unsigned char c = p[i];
                if (is_structural(c)) {
                    s->lit_len = 0;
                } else if (++s->lit_len > HAR_LITERAL_CAP && s->last_digit && is_number_byte(c)) {
                    /* A number with thousands of digits (in a member nobody reads, most
                     * likely): YAJL gets it cut after a digit, still a valid number, and
                     * buffers no more. */
                    s->skip_digits = true;
                    s->cut_number = true;
                    s->cut_start = x->chunk_base + i - (s->lit_len - 1);
                    *resume = i;
                    return i;
                } else if (s->lit_len > HAR_LITERAL_CAP) {
                    scan_error(x, i, "a token too long", c);
                    s->err_long = true;
                    *resume = i;
                    return i;
                }
                s->last_digit = c >= '0' && c <= '9';
            }
        } else {
            note_breaks(x, p, i, q, n);
        }
        if (q == n && s->lit_len + (q - i) <= HAR_LITERAL_CAP) {
            /* the chunk ends outside strings: the run of token bytes at its end goes on */
            size_t k = n;
            while (k > i && !is_structural(p[k - 1]))
                k--;
            s->lit_len = (k == i ? s->lit_len : 0) + (n - k);
            if (n > i)
                s->last_digit = p[n - 1] >= '0' && p[n - 1] <= '9';
        }
        if (q == n)
            break;
        x->qbits[q / 64] |= (uint64_t)1 << (q % 64);
        s->esc = 0;
        s->str_esc = false;
        s->str_start = base + q;
        s->lit_len = 0;
        i = q + 1;
        size_t j = i + 16; /* no closing quote seen */
        if (n - i > 16) {
#if defined(HAR_SSE2)
            unsigned sp = special16(p + i);
            j = sp ? i + (size_t)__builtin_ctz(sp) : j;
#else
            j = str_special(p, i, i + 16, NULL);
#endif
        }
        if (j < i + 16 && p[j] == '"') {
            /* most strings (member names, short values): closed in their first 16 bytes,
             * without escapes, as the string branch above would find them */
            s->str_len = j - i;
            s->prev_start = s->str_start;
            s->prev_end = base + j + 1;
            s->prev_esc = false;
            s->last_digit = false;
            i = j + 1;
            continue;
        }
        s->in_str = s->elide = true;
        s->str_len = 0;
    }
    *resume = n;
    return n;
}

static int feed_chunk(har *x, const unsigned char *p, size_t n, size_t from)
{
    har_scan *s = &x->scan;
    x->chunk = p;
    x->chunk_len = n;
    memset(x->qbits, 0, sizeof x->qbits);
    size_t i = from;
    while (i < n) {
        if (s->skipping) {
            int st;
            unsigned high = 0;
            size_t j = walk_string(x, p, i, n, n, &st, &high);
            if (st == W_ERROR)
                return scan_report(x);
            /* string bytes hold no line feed (walk_string refuses control characters): the
             * cursor passes them counting characters only */
            advance(x, x->chunk_base + i);
            if (x->cur.off == x->chunk_base + i) {
                x->cur.col += (uint32_t)((j - i) -
                                         (high ? count_bytes(p + i, j - i, 0xC0, 0x80) : 0));
                x->cur.off = x->chunk_base + j;
            }
            if (st == W_END)
                break;
            /* the closing quote: YAJL gets it */
            s->skipping = s->elide = false;
            s->str_len = 0;
            i = j;
        }
        if (s->skip_digits) {
            while (i < n && is_number_byte(p[i]))
                i++;
            if (i >= n)
                break;
            s->skip_digits = false;
            s->lit_len = 0;
            /* YAJL completes the cut number in the piece that starts here, before the
             * scanner's next cut (which that piece may end with) is delivered */
            x->cut_due = s->cut_number;
            x->cut_due_start = s->cut_start;
            s->cut_number = false;
        }
        size_t resume;
        size_t j = scan_piece(x, p, i, n, &resume);
        int rc = parse_piece(x, p, i, j);
        if (rc)
            return rc;
        if (s->err)
            return scan_report(x);
        if (s->in_str) {
            /* The piece ends inside a string: YAJL completes it in a later piece, where its
             * start is no longer in view. */
            if (!x->span_pos_valid || x->span_start != s->str_start) {
                x->span_start = s->str_start;
                x->span_pos = pos_at(x, x->span_start);
                x->span_pos_valid = true;
                x->span_truncated = false;
            }
            if (s->skipping)
                x->span_truncated = true;
            x->span_active = true;
        }
        i = resume;
    }
    /* YAJL has part of a string open across the chunks: it gets the rest */
    if (s->in_str && !s->skipping)
        s->elide = false;
    advance(x, x->chunk_base + n);
    x->chunk_base += n;
    return 0;
}

int rlcap_read_har(rlcap_reader *r)
{
    const rlint_yajl *yj = rlint_yajl_get("a HAR file");
    if (!yj)
        return rlcap_fail(r, RESPLINT_EIO, "%s: %s", r->path, rlint_lazylib_why());
    har *x = rlcap_calloc(1, sizeof *x);
    unsigned char *buf = rlcap_malloc(HAR_CHUNK);
    resplint_exchanges *xchg = resplint_exchanges_new(r->cfg);
    int rc = 0;
    if (!x || !buf || !xchg) {
        rlcap_free(x);
        rlcap_free(buf);
        resplint_exchanges_free(xchg);
        return rlcap_nomem(r);
    }
    x->r = r;
    x->xchg = xchg;
    x->yj = yj;
    x->cur.line = 1;
    x->cur.col = 1;
    x->cur_hdr = SIZE_MAX;
    x->fields_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_FIELDS);
    x->head_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_HEAD_BYTES);
    x->entry_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_HAR_ENTRY);
    x->h = x->yj->yajl_alloc(&callbacks, NULL, x);
    x->cbuf = rlcap_malloc(HAR_CHUNK);
    x->seg_c = rlcap_malloc(HAR_MAX_SEGS * sizeof *x->seg_c);
    x->seg_f = rlcap_malloc(HAR_MAX_SEGS * sizeof *x->seg_f);
    if (!x->h || !x->cbuf || !x->seg_c || !x->seg_f) {
        rc = rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
        goto done;
    }
    /* HAR writers put Latin-1 bytes in header values now and then; resplint judges
     * those bytes itself (obs-text), JSON's UTF-8 rule is not the server's fault. */
    x->yj->yajl_config(x->h, yajl_dont_validate_strings, 1);
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
            x->cur.off = 3;
        }
        first = false;
        rc = feed_chunk(x, buf, (size_t)n, from);
        if (rc)
            break;
        if (r->handler->on_progress)
            r->handler->on_progress(r->stats->bytes, r->total, r->handler->user);
    }
    if (rc == 0) {
        yajl_status st = x->yj->yajl_complete_parse(x->h);
        if (rlcap_failed(r) || st == yajl_status_client_canceled) {
            rc = rlcap_result(r);
        } else if (st != yajl_status_ok || x->scan.in_str || x->depth || x->ignore) {
            char w[96];
            where(x, w, sizeof w);
            rc = rlcap_fail(r, RESPLINT_EFORMAT,
                            "%s:%u:%u: the HAR is truncated: the file ends inside the JSON "
                            "text%s; entries checked before it: %zu",
                            r->path, x->cur.line, x->cur.col, w,
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
    if (x->h)
        x->yj->yajl_free(x->h);
    rlcap_free(x->cbuf);
    rlcap_free(x->seg_c);
    rlcap_free(x->seg_f);
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
