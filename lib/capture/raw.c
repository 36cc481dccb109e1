/* The raw reader: a file holding the bytes one server sent on one connection. Request
 * context comes from --method or from the client's byte stream in a second file. */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"
#include "rlcap_alloc.h"
#include "resplint/body.h"

#include <errno.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

/* Lines and columns of findings (what editors, GitHub annotations and SARIF show), computed
 * only for findings. The bytes read stay in a window from the start of the last completed
 * response on (a finding may name them); bytes before it are released, their newlines counted
 * 16 at a time, once: a lookup counts the newlines between the window's start (or the last
 * lookup) and the offset, and a release goes on from the last lookup. Released bytes are not
 * moved until the buffer has no room left for the next read. A response longer than the window
 * keeps going: the newlines of the bytes it pushes out are kept as positions (up to a cap beyond
 * which lines are no longer given). */
#define READ_SIZE (1u << 16)
#define WINDOW_KEEP (1u << 18) /* bytes of the current response kept as bytes */
#define MAX_LINE_MARKS (1u << 22)

typedef struct line_index {
    unsigned char *win; /* WINDOW_KEEP + READ_SIZE bytes: the window is win[at..at + len) */
    size_t at, len;     /* its first byte is at offset base */
    uint64_t base;
    uint64_t lines;      /* newlines before base */
    uint64_t line_start; /* offset after the last newline before base (0: none) */
    uint64_t release;    /* start of the last completed response: earlier bytes are released */
    /* the last lookup: newlines before base + cur and the start of that line */
    size_t cur;
    uint64_t cur_lines, cur_start;
    /* positions of the newlines in [marks_from, base) (a response longer than the window) */
    uint64_t *nl;
    size_t n, cap;
    uint64_t marks_from, marks_start; /* marks_start: line start at marks_from */
    bool off;                         /* cap reached or out of memory: no more lines */
    size_t (*count)(const unsigned char *, size_t); /* nl_count_sse2 or _avx2 */
} line_index;

typedef struct raw_ctx {
    rlcap_reader *r;
    resplint_stream *stream;
    line_index lines;
    resplint_origin origin; /* what every origin of this input starts as (rlcap_origin_init) */
} raw_ctx;

/* Newlines in p[0..n): SSE2, 64 bytes a step. */
static size_t nl_count_sse2(const unsigned char *p, size_t n)
{
    size_t c = 0, i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    while (n - i >= 64) {
        /* each match subtracts -1 from its byte lane of a or b: up to 2 * 127 blocks (no lane
         * passes 255 in their sum), then summed */
        size_t quads = (n - i) / 64 > 63 ? 63 : (n - i) / 64;
        __m128i a = _mm_setzero_si128(), b = _mm_setzero_si128();
        for (size_t q = 0; q < quads; q++, i += 64) {
            a = _mm_sub_epi8(a, _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i)), lf));
            b = _mm_sub_epi8(b, _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i + 16)), lf));
            a = _mm_sub_epi8(a, _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i + 32)), lf));
            b = _mm_sub_epi8(b, _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i + 48)), lf));
        }
        __m128i sum = _mm_add_epi64(_mm_sad_epu8(a, _mm_setzero_si128()),
                                    _mm_sad_epu8(b, _mm_setzero_si128()));
        c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
    }
    for (; n - i >= 16; i += 16)
        c += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i)), lf)));
#endif
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}

#if defined(__GNUC__) && defined(__x86_64__)
#define RAW_AVX2 1
/* The same, AVX2 where the CPU has it (chosen per input, rlcap_read_raw): 128 bytes a step. */
__attribute__((target("avx2"))) static size_t nl_count_avx2(const unsigned char *p, size_t n)
{
    size_t c = 0, i = 0;
    const __m256i lf = _mm256_set1_epi8('\n');
    while (n - i >= 128) {
        size_t blocks = (n - i) / 128 > 127 ? 127 : (n - i) / 128; /* lanes stay below 255 */
        __m256i a = _mm256_setzero_si256(), b = _mm256_setzero_si256();
        for (size_t q = 0; q < blocks; q++, i += 128) {
            const __m256i *v = (const void *)(p + i);
            a = _mm256_sub_epi8(a, _mm256_cmpeq_epi8(_mm256_loadu_si256(v), lf));
            b = _mm256_sub_epi8(b, _mm256_cmpeq_epi8(_mm256_loadu_si256(v + 1), lf));
            a = _mm256_sub_epi8(a, _mm256_cmpeq_epi8(_mm256_loadu_si256(v + 2), lf));
            b = _mm256_sub_epi8(b, _mm256_cmpeq_epi8(_mm256_loadu_si256(v + 3), lf));
        }
        __m256i sum = _mm256_add_epi64(_mm256_sad_epu8(a, _mm256_setzero_si256()),
                                       _mm256_sad_epu8(b, _mm256_setzero_si256()));
        c += (size_t)_mm256_extract_epi64(sum, 0) + (size_t)_mm256_extract_epi64(sum, 1) +
             (size_t)_mm256_extract_epi64(sum, 2) + (size_t)_mm256_extract_epi64(sum, 3);
    }
    return c + nl_count_sse2(p + i, n - i);
}
#endif

/* Newlines in p[0..n) (counted by count), and the index of the last one in *last (unchanged
 * when none). */
static size_t nl_count(size_t (*count)(const unsigned char *, size_t), const unsigned char *p,
                       size_t n, size_t *last)
{
    size_t c = count(p, n);
    if (c) {
        size_t j = n;
#if defined(__SSE2__)
        const __m128i lf = _mm_set1_epi8('\n');
        while (j >= 16) {
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + j - 16)), lf));
            if (m) {
                *last = j - 16 + (size_t)(31 - __builtin_clz(m));
                return c;
            }
            j -= 16;
        }
#endif
        while (j-- > 0)
            if (p[j] == '\n') {
                *last = j;
                break;
            }
    }
    return c;
}

/* Records the newlines of p[0..n) (at offset at) as positions. */
static void marks_add(line_index *li, const unsigned char *p, size_t n, uint64_t at)
{
    const unsigned char *end = p + n, *q = p;
    while (!li->off && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        if (li->n == li->cap) {
            size_t cap = li->cap ? li->cap * 2 : 1024;
            uint64_t *nl = cap <= MAX_LINE_MARKS ? rlcap_realloc(li->nl, cap * sizeof *nl) : NULL;
            if (!nl) {
                li->off = true;
                break;
            }
            li->nl = nl;
            li->cap = cap;
        }
        li->nl[li->n++] = at + (uint64_t)(q - p);
        q++;
    }
}

/* Drops the first k bytes of the window: counted (from the last lookup when it lies in them),
 * and kept as positions when keep_marks. */
static void window_drop(line_index *li, size_t k, bool keep_marks)
{
    if (k == 0)
        return;
    const unsigned char *w = li->win + li->at;
    if (keep_marks) {
        if (li->n == 0) {
            li->marks_from = li->base;
            li->marks_start = li->line_start;
        }
        marks_add(li, w, k, li->base);
    }
    size_t from = 0;
    if (li->cur <= k) {
        from = li->cur;
        li->lines = li->cur_lines;
        li->line_start = li->cur_start;
    }
    size_t last = 0, c = nl_count(li->count, w + from, k - from, &last);
    if (c) {
        li->lines += c;
        li->line_start = li->base + from + last + 1;
    }
    li->at += k;
    li->len -= k;
    li->base += k;
    li->cur = 0;
    li->cur_lines = li->lines;
    li->cur_start = li->line_start;
}

/* After each read has been fed: releases what no finding can name any more, and makes room
 * for the next read. */
static void window_compact(line_index *li)
{
    if (li->release > li->base) {
        uint64_t k = li->release - li->base;
        window_drop(li, k < li->len ? (size_t)k : li->len, false);
        li->n = 0; /* the marks lie before the release too */
    }
    if (li->len > WINDOW_KEEP)
        window_drop(li, li->len - WINDOW_KEEP, true);
    if (li->at + li->len > WINDOW_KEEP) { /* no room for a read after it */
        memmove(li->win, li->win + li->at, li->len);
        li->at = 0;
    }
}

/* 1-based line and column of a byte offset; false when it lies in released bytes. */
static bool lines_find(line_index *li, uint64_t off, uint32_t *line, uint32_t *col)
{
    if (li->off || off == RESPLINT_NO_OFFSET)
        return false;
    uint64_t ln, start;
    if (off >= li->base) {
        size_t k = off - li->base > li->len ? li->len : (size_t)(off - li->base);
        if (k < li->cur) {
            li->cur = 0;
            li->cur_lines = li->lines;
            li->cur_start = li->line_start;
        }
        size_t last = 0, c = nl_count(li->count, li->win + li->at + li->cur, k - li->cur, &last);
        if (c) {
            li->cur_lines += c;
            li->cur_start = li->base + li->cur + last + 1;
        }
        li->cur = k;
        ln = 1 + li->cur_lines;
        start = li->cur_start;
    } else if (off >= li->line_start) { /* on the line that runs into the window */
        ln = 1 + li->lines;
        start = li->line_start;
    } else if (li->n && off >= li->marks_from) {
        size_t lo = 0, hi = li->n; /* first mark at or after off */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (li->nl[mid] < off)
                lo = mid + 1;
            else
                hi = mid;
        }
        ln = 1 + li->lines - (li->n - lo);
        start = lo ? li->nl[lo - 1] + 1 : li->marks_start;
    } else {
        return false;
    }
    if (ln > UINT32_MAX || off - start + 1 > UINT32_MAX)
        return false;
    *line = (uint32_t)ln;
    *col = (uint32_t)(off - start + 1);
    return true;
}

static void on_finding(const resplint_finding *f, void *user)
{
    raw_ctx *x = user;
    resplint_origin o = x->origin;
    o.response_index = f->response_index;
    o.offset = f->offset;
    o.length = f->length;
    uint64_t at = f->offset != RESPLINT_NO_OFFSET ? f->offset : f->response_offset;
    if (!lines_find(&x->lines, at, &o.line, &o.column))
        o.line = o.column = 0;
    if (resplint_stream_current_head(x->stream, &o.head, &o.head_len) < 0)
        o.head = NULL, o.head_len = 0;
    x->r->stats->findings++;
    x->r->handler->on_finding(f, &o, x->r->handler->user);
}

static void on_response(const resplint_response *resp, size_t index, uint64_t offset,
                        uint64_t length, void *user)
{
    raw_ctx *x = user;
    x->r->stats->responses++;
    if (x->r->handler->on_response) {
        resplint_origin o = x->origin;
        o.response_index = index;
        o.offset = offset;
        o.length = length;
        /* no line here: responses are counted, never shown, and a lookup per response
         * would cost more than the whole line index */
        x->r->handler->on_response(resp, &o, x->r->handler->user);
    }
    /* Findings of this response have been reported: only its own bytes may still be named,
     * by a finding about what follows it. */
    if (offset != RESPLINT_NO_OFFSET && offset > x->lines.release)
        x->lines.release = offset;
}

/* ---- request context from the client's stream ---- */

typedef struct req_item {
    char method[24];
    unsigned char major, minor;
    char *url; /* NULL when unknown */
    size_t url_len;
} req_item;

typedef struct req_ctx {
    req_item *items;
    size_t n, cap, max;
    uint64_t max_bytes, url_bytes; /* RESPLINT_LIMIT_PENDING_BYTES, and what items hold */
    uint64_t extra; /* requests past the stream's window: not kept, counted */
    char method[24];
    size_t mlen;
    rlcap_req_url url;
    resplint_scheme scheme;
    bool nomem;
} req_ctx;

static int on_method(llhttp_t *p, const char *at, size_t len)
{
    req_ctx *q = p->data;
    rlcap_method_append(q->method, sizeof q->method, &q->mlen, at, len);
    return 0;
}

static int on_req_url(llhttp_t *p, const char *at, size_t len)
{
    req_ctx *q = p->data;
    return rlcap_req_url_target(&q->url, at, len) < 0 ? (q->nomem = true, -1) : 0;
}

static int on_req_field(llhttp_t *p, const char *at, size_t len)
{
    return rlcap_req_url_field(&((req_ctx *)p->data)->url, at, len);
}

static int on_req_value(llhttp_t *p, const char *at, size_t len)
{
    req_ctx *q = p->data;
    return rlcap_req_url_value(&q->url, at, len) < 0 ? (q->nomem = true, -1) : 0;
}

static int on_req_value_done(llhttp_t *p)
{
    rlcap_req_url_field_done(&((req_ctx *)p->data)->url);
    return 0;
}

static int on_req_begin(llhttp_t *p)
{
    rlcap_req_url_begin(&((req_ctx *)p->data)->url);
    return 0;
}

static int on_req_headers_complete(llhttp_t *p)
{
    req_ctx *q = p->data;
    q->method[q->mlen] = '\0';
    q->mlen = 0;
    /* Requests are all handed to the stream before the first response is read: past its
     * window (the count, or its bytes roughly: the stream counts them exactly and drops what
     * does not fit) they would be dropped there anyway, so they are only counted here. */
    if (q->n == q->max || q->extra || q->url_bytes + 64 > q->max_bytes) {
        q->extra++;
        return 0;
    }
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        req_item *v = rlcap_realloc(q->items, cap * sizeof *v);
        if (!v) {
            q->nomem = true;
            return -1;
        }
        q->items = v;
        q->cap = cap;
    }
    req_item *it = &q->items[q->n];
    memcpy(it->method, q->method, sizeof it->method);
    it->major = (unsigned char)p->http_major;
    it->minor = (unsigned char)p->http_minor;
    it->url = NULL;
    it->url_len = 0;
    char buf[RLCAP_URL_MAX + RLCAP_HOST_MAX + 16];
    size_t n = rlcap_req_url_make(&q->url, q->scheme, buf, sizeof buf);
    if (n) {
        if (!(it->url = rlcap_malloc(n))) {
            q->nomem = true;
            return -1;
        }
        memcpy(it->url, buf, n);
        it->url_len = n;
        q->url_bytes += n;
    }
    q->n++;
    /* A CONNECT or Upgrade request ends the HTTP part of the client's stream. */
    return 0;
}

/* Parses the client's stream from the start of f into q. With lf_to_crlf, a bare LF is read as
 * CRLF. Returns llhttp's last error (HPE_OK when the whole stream was read). */
static llhttp_errno_t parse_requests(FILE *f, req_ctx *q, bool lf_to_crlf)
{
    llhttp_settings_t settings;
    llhttp_settings_init(&settings);
    settings.on_method = on_method;
    settings.on_message_begin = on_req_begin;
    settings.on_url = on_req_url;
    settings.on_header_field = on_req_field;
    settings.on_header_value = on_req_value;
    settings.on_header_value_complete = on_req_value_done;
    settings.on_headers_complete = on_req_headers_complete;
    llhttp_t parser;
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    parser.data = q;
    char buf[16384], crlf[2 * sizeof buf];
    bool after_cr = false;
    size_t n;
    llhttp_errno_t err = HPE_OK;
    while (err == HPE_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (!lf_to_crlf) {
            err = llhttp_execute(&parser, buf, n);
            continue;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '\n' && !after_cr)
                crlf[k++] = '\r';
            crlf[k++] = buf[i];
            after_cr = buf[i] == '\r';
        }
        err = llhttp_execute(&parser, crlf, k);
    }
    return err;
}

static void free_reqs(req_ctx *q)
{
    for (size_t i = 0; i < q->n; i++)
        rlcap_free(q->items[i].url);
    rlcap_free(q->items);
    rlcap_req_url_free(&q->url);
}

static int read_requests(rlcap_reader *r, resplint_stream *stream)
{
    FILE *f = fopen(r->opts->request_path, "rb");
    if (!f)
        return rlcap_fail(r, RESPLINT_EIO, "%s: cannot open: %s", r->opts->request_path,
                          strerror(errno));
    req_ctx q;
    memset(&q, 0, sizeof q);
    q.max = (size_t)resplint_config_limit(r->cfg, RESPLINT_LIMIT_PENDING_REQUESTS);
    q.max_bytes = resplint_config_limit(r->cfg, RESPLINT_LIMIT_PENDING_BYTES);
    q.scheme = r->opts->scheme;
    llhttp_errno_t err = parse_requests(f, &q, false);
    /* Hand-written captures and some tools end request lines with a bare LF, which strict
     * llhttp rejects. Only the methods are taken from this stream (it is never linted), so
     * read it again with the missing CRs supplied and keep whichever reading got further. */
    if (err != HPE_OK && err != HPE_PAUSED_UPGRADE && !q.nomem && fseek(f, 0, SEEK_SET) == 0) {
        req_ctx q2;
        memset(&q2, 0, sizeof q2);
        q2.max = q.max;
        q2.max_bytes = q.max_bytes;
        q2.scheme = q.scheme;
        parse_requests(f, &q2, true);
        if (q2.n + q2.extra > q.n + q.extra) {
            free_reqs(&q);
            q = q2;
        } else {
            free_reqs(&q2);
        }
    }
    fclose(f);
    if (q.nomem)
        rlcap_nomem(r);
    /* The requests parsed before an error or an upgrade still give context; the rest of the
     * responses are read without it. Those the stream drops keep their place in the queue:
     * their responses are read without context, the others with their own request. */
    uint64_t kept = 0, total = (uint64_t)q.n + q.extra;
    size_t handed = 0; /* items given to the stream, kept or dropped by it */
    while (handed < q.n && !rlcap_failed(r)) {
        const req_item *it = &q.items[handed++];
        int pr = resplint_stream_push_request_url(stream, it->method, it->major, it->minor,
                                                  it->url, it->url_len);
        if (pr == RESPLINT_ELIMIT)
            break; /* the window is full: this one was dropped, and the rest go that way */
        if (rlcap_core(r, pr, "request %zu of %s", handed, r->opts->request_path) == 0)
            kept++;
    }
    if (!rlcap_failed(r))
        resplint_stream_drop_requests(stream, (uint64_t)(q.n - handed) + q.extra);
    if (!rlcap_failed(r) && kept < total) {
        resplint_origin o;
        rlcap_origin_init(r, &o);
        rlcap_report(r, "RL9004", &o, RESPLINT_NO_OFFSET, 0, 0,
                     "%s holds %llu requests, more than the %llu (or %llu bytes of them) "
                     "queued at once: the responses to the %llu requests past the first %llu "
                     "are checked without their request (bodies taken to run up to the next "
                     "status line)",
                     r->opts->request_path, (unsigned long long)total,
                     (unsigned long long)q.max, (unsigned long long)q.max_bytes,
                     (unsigned long long)(total - kept), (unsigned long long)kept);
    }
    free_reqs(&q);
    return rlcap_result(r);
}

/* The raw reader is the fallback for whatever no other reader claims. Bytes that do not start
 * like HTTP and hold binary data (a PNG, an archive, random bytes), or text in UTF-16/UTF-32,
 * are not a capture: an input error, not a server's RL9001. NULL when p[0..n) may be one. */
static const char *not_a_capture(const unsigned char *p, size_t n)
{
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) ||
                   (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)))
        return "it is UTF-32 text (a byte order mark): resplint reads UTF-8; convert it first "
               "(iconv -f UTF-32 -t UTF-8)";
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return "it is UTF-16 text (a byte order mark): resplint reads UTF-8; convert it first "
               "(iconv -f UTF-16 -t UTF-8)";
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    size_t k = 0;
    while (i + k < n && k < 5 && p[i + k] == "HTTP/"[k])
        k++;
    if (k == 5 || i + k == n)
        return NULL; /* starts like HTTP (or is too short to tell) */
    size_t m = n < 512 ? n : 512;
    for (size_t j = 0; j < m; j++) {
        unsigned char c = p[j];
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f')
            return "it holds binary data and does not start like an HTTP response (raw "
                   "responses, HAR, pcap/pcapng and WARC are read)";
    }
    return NULL;
}

int rlcap_read_raw(rlcap_reader *r)
{
    const char *why = not_a_capture(r->peek, r->npeek);
    if (why)
        return rlcap_fail(r, RESPLINT_EFORMAT, "%s: not a capture: %s", r->path, why);
    raw_ctx x = {r, NULL, {0}, {0}};
    rlcap_origin_init(r, &x.origin);
    x.lines.base = x.lines.release = r->stats->bytes;
    x.stream = resplint_stream_new(r->cfg, on_finding, &x);
    if (!x.stream)
        return rlcap_nomem(r);
    resplint_stream_on_response(x.stream, on_response);
    resplint_stream_set_scheme(x.stream, r->opts->scheme);
    /* responses to the same URL are compared when the requests give URLs (--request) */
    resplint_exchanges *xchg = r->opts->request_path ? resplint_exchanges_new(r->cfg) : NULL;
    if (r->opts->request_path && !xchg) {
        resplint_stream_free(x.stream);
        return rlcap_nomem(r);
    }
    resplint_stream_set_exchanges(x.stream, xchg);
    resplint_stream_set_body_ops(x.stream, resplint_body_pipeline());
    if (r->opts->method)
        resplint_stream_set_default_request(x.stream, r->opts->method, 0, 0);
    if (r->opts->request_path)
        read_requests(r, x.stream);
    line_index *li = &x.lines;
    li->count = nl_count_sse2;
#ifdef RAW_AVX2
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        li->count = nl_count_avx2;
#endif
    li->win = rlcap_failed(r) ? NULL : rlcap_malloc(WINDOW_KEEP + READ_SIZE);
    if (!li->win)
        rlcap_nomem(r);
    while (!rlcap_failed(r)) {
        window_compact(li);
        char *buf = (char *)li->win + li->at + li->len;
        long n = rlcap_read(r, buf, READ_SIZE);
        if (n < 0) {
            rlcap_fail(r, RESPLINT_EIO, "%s: read error at offset %llu: %s", r->path,
                       (unsigned long long)r->stats->bytes, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        li->len += (size_t)n;
        uint64_t at = r->stats->bytes;
        r->stats->bytes += (uint64_t)n;
        rlcap_core(r, resplint_stream_feed(x.stream, buf, (size_t)n), "offset %llu",
                   (unsigned long long)at);
        if (r->handler->on_progress)
            r->handler->on_progress(r->stats->bytes, r->total, r->handler->user);
    }
    if (!rlcap_failed(r))
        rlcap_core(r, resplint_stream_finish(x.stream), "the end of the input (offset %llu)",
                   (unsigned long long)r->stats->bytes);
    rlcap_free(li->win);
    rlcap_free(li->nl);
    resplint_stream_free(x.stream);
    resplint_exchanges_free(xchg);
    return rlcap_result(r);
}
