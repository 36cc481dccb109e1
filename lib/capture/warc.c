/* The WARC reader: WARC 1.0/1.1 files, plain or gzip (one member per record, or one for the
 * whole file), read record by record with bounded memory. Response and revisit records are
 * linted as raw HTTP responses with request context from request records; what the archiver
 * changed is reported as RL9008 instead of being blamed on the server. */
#define _POSIX_C_SOURCE 200809L
#include "../core/lazylib.h"
#include "../core/text.h"
#include "reader.h"
#include "rlcap_alloc.h"
#include "resplint/body.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IN_SIZE 65536u
#define BUF_SIZE (256u * 1024u) /* decompressed window: always holds a whole WARC header */
#define HEADER_MAX (64u * 1024u)
/* A response record up to this size is read whole before it is linted, so that a request
 * record written after it (warcio, pywb, Heritrix do that) can still give its method. Larger
 * records are streamed with the context known when they start. */
#define HOLD_MAX (1024u * 1024u)
#define REQ_MAX 8192u   /* bytes of a request record read for its request line */
#define PEEK_BODY 1024u /* body bytes examined to tell a chunked body from a de-chunked one */
#define MAX_CONC 4
#define TABLE 16
#define MB_MAX 4096

/* ---- the byte source: plain bytes, or gzip members inflated one after the other ---- */

typedef struct member_start {
    uint64_t u; /* offset in the decompressed stream where the member's data begins */
    uint64_t c; /* offset of the member in the file */
} member_start;

typedef struct wsrc {
    rlcap_reader *r;
    bool gz, member_open, in_eof, done, z_ready;
    const rlint_zlib *zl; /* .warc.gz: zlib's functions (lib/core/lazylib.h) */
    z_stream z;
    unsigned char *in;
    unsigned char *buf; /* unread bytes are buf[pos..end) */
    size_t pos, end;
    uint64_t base;           /* decompressed offset of buf[0] */
    uint64_t c_off;          /* compressed bytes consumed so far */
    member_start mb[MB_MAX]; /* member starts not yet passed by the reader, oldest first */
    size_t mb_head, mb_len;
    /* why the gzip data ended early (the records before are still read, then the file's
     * end is a finding when cut, an input error when corrupt) */
    const char *gz_error;
    uint64_t gz_error_at;
    uint64_t member_c; /* file offset of the gzip member being inflated */
    bool gz_cut;       /* the error is the file ending inside a member */
} wsrc;

static long raw_read(wsrc *s, void *dst, size_t n)
{
    long got = rlcap_read(s->r, dst, n);
    if (got < 0) {
        rlcap_fail(s->r, RESPLINT_EIO, "%s: read error at offset %llu: %s", s->r->path,
                   (unsigned long long)s->r->stats->bytes, strerror(errno));
        return -1;
    }
    s->r->stats->bytes += (uint64_t)got;
    if (got && s->r->handler->on_progress)
        s->r->handler->on_progress(s->r->stats->bytes, s->r->total, s->r->handler->user);
    return got;
}

static void mb_push(wsrc *s, uint64_t u, uint64_t c)
{
    if (s->mb_len) {
        member_start *last = &s->mb[(s->mb_head + s->mb_len - 1) % MB_MAX];
        if (last->u == u) { /* an empty member before: the data is in the later one */
            last->c = c;
            return;
        }
    }
    if (s->mb_len == MB_MAX) { /* only offsets degrade when members are tiny and many */
        s->mb_head = (s->mb_head + 1) % MB_MAX;
        s->mb_len--;
    }
    s->mb[(s->mb_head + s->mb_len) % MB_MAX] = (member_start){u, c};
    s->mb_len++;
}

/* The offset a CDX index gives a record starting at decompressed offset u: the member's
 * offset in the file when the record starts a member, else u itself (plain files, and records
 * inside a whole-file gzip, which no index can address). */
static uint64_t record_offset_at(wsrc *s, uint64_t u, bool *member)
{
    while (s->mb_len && s->mb[s->mb_head].u < u) {
        s->mb_head = (s->mb_head + 1) % MB_MAX;
        s->mb_len--;
    }
    *member = s->mb_len && s->mb[s->mb_head].u == u;
    if (*member)
        return s->mb[s->mb_head].c;
    return u;
}

static void gz_fail(wsrc *s, const char *why)
{
    s->gz_error = why;
    s->gz_error_at = s->c_off;
    s->done = true;
}

/* Adds bytes to buf; returns how many, 0 at the end of the input or after an error. */
static size_t src_fill(wsrc *s)
{
    if (s->done)
        return 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->base += s->pos;
        s->end -= s->pos;
        s->pos = 0;
    }
    if (s->end == BUF_SIZE)
        return 0;
    if (!s->gz) {
        long n = raw_read(s, s->buf + s->end, BUF_SIZE - s->end);
        if (n <= 0) {
            s->done = true;
            return 0;
        }
        s->end += (size_t)n;
        return (size_t)n;
    }
    for (;;) {
        if (s->z.avail_in == 0 && !s->in_eof) {
            long n = raw_read(s, s->in, IN_SIZE);
            if (n <= 0) {
                s->in_eof = true;
            } else {
                s->z.next_in = s->in;
                s->z.avail_in = (uInt)n;
            }
        }
        if (!s->member_open) {
            if (s->z.avail_in == 0) {
                s->done = true;
                return 0;
            }
            s->zl->inflateReset(&s->z);
            mb_push(s, s->base + s->end, s->c_off);
            s->member_c = s->c_off;
            s->member_open = true;
        }
        s->z.next_out = s->buf + s->end;
        s->z.avail_out = (uInt)(BUF_SIZE - s->end);
        uInt in_before = s->z.avail_in;
        int rc = s->zl->inflate(&s->z, Z_NO_FLUSH);
        size_t got = (BUF_SIZE - s->end) - s->z.avail_out;
        s->c_off += in_before - s->z.avail_in;
        s->end += got;
        if (rc == Z_STREAM_END) {
            s->member_open = false;
        } else if (rc == Z_MEM_ERROR) {
            rlcap_nomem(s->r);
            s->done = true;
        } else if (rc == Z_BUF_ERROR && s->z.avail_in == 0 && s->in_eof) {
            gz_fail(s, "the file ends inside a gzip member");
            s->gz_cut = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            gz_fail(s, s->z.msg ? s->z.msg : "invalid gzip data");
        }
        if (got)
            return got;
        if (s->done)
            return 0;
    }
}

/* Makes at least n (<= BUF_SIZE) bytes available when the input has them; returns how many
 * are available. */
static size_t src_need(wsrc *s, size_t n)
{
    while (s->end - s->pos < n && src_fill(s) > 0)
        ;
    return s->end - s->pos;
}

static const unsigned char *src_ptr(const wsrc *s)
{
    return s->buf + s->pos;
}
static uint64_t src_offset(const wsrc *s)
{
    return s->base + s->pos;
}
static void src_consume(wsrc *s, size_t n)
{
    s->pos += n;
}

/* ---- records ---- */

typedef struct whdr {
    uint64_t offset; /* the record's offset for the origin (see record_offset_at) */
    uint64_t member; /* the file offset of the record's gzip member, RESPLINT_NO_OFFSET */
    uint64_t block;  /* the file offset of the block (plain files), RESPLINT_NO_OFFSET */
    uint64_t length; /* Content-Length: bytes of the block (corrected when length_fixed) */
    uint64_t ublock; /* the block's offset in the (decompressed) input */
    bool length_fixed; /* the declared length was found wrong and the block cut (RL9007) */
    unsigned char http; /* what Content-Type says of the block: enum http_type */
    uint64_t id_hash, uri_hash;
    uint64_t conc[MAX_CONC]; /* WARC-Concurrent-To, hashed */
    size_t nconc;
    /* read without look-ahead in the file (a pipe, a whole-file gzip stream): */
    bool end_seen;     /* the window showed CRLF CRLF at the declared end: the length is right */
    bool unchecked;    /* a possible record start inside the block could not be checked */
    unsigned char probes; /* record starts checked inside the block (PROBE_TRIES at most) */
    /* the strings last: a new header clears what is above and their first bytes only (2.6
     * KB per record otherwise) */
    char type[32];
    char id[256];
    char uri[2048];
    char ctype[160];
    char truncated[64];
} whdr;

/* Content-Type: application/http with msgtype request, response or another, or with none
 * (either); anything else. */
enum http_type { HT_NONE, HT_ANY, HT_REQUEST, HT_RESPONSE, HT_OTHER };

static void header_clear(whdr *h)
{
    memset(h, 0, offsetof(whdr, type));
    h->type[0] = h->id[0] = h->uri[0] = h->ctype[0] = h->truncated[0] = '\0';
}

typedef struct req_entry {
    uint64_t id, conc, uri;
    char method[24];
    unsigned major, minor;
    bool live;
} req_entry;

typedef struct req_info {
    char method[24];
    unsigned major, minor;
    bool valid;
} req_info;

/* What one response record shows, decided from its head before the lint: what the archiver
 * did, declared to the stream as provenance (provenance()) so that the rules its evidence
 * concerns stay silent, and said once per record as RL9008. */
typedef struct rec {
    const whdr *h;
    size_t resp_base;
    bool revisit;
    bool head_only;          /* only the head is fed: the stored body says nothing of the wire */
    bool file_cut;           /* the file ends inside the block */
    bool head_cut;           /* the block ends inside the HTTP head */
    bool invalid;            /* the declared length disagrees with the record's bytes */
    bool dechunked;          /* Transfer-Encoding: chunked over a body that is not chunked */
    bool renamed_framing;    /* a framing or coding field renamed by the archiver */
    bool archiver_truncated; /* WARC-Truncated */
    uint64_t cl_neg[4][2];   /* [start, end] of "Content-Length: -1" lines in the block */
    size_t ncl_neg;
} rec;

typedef struct warc {
    rlcap_reader *r;
    wsrc src;
    resplint_stream *stream;
    resplint_exchanges *xchg; /* earlier responses to each URL, for the whole file */
    unsigned char *hold; /* a response record's block, or its first HOLD_MAX bytes */
    unsigned char *req;
    whdr cur, pending;
    bool has_pending;
    bool quiet_resync; /* the next resync follows a reported bad record: no second finding */
    int64_t file_base; /* file offset of the input's first byte (plain regular files), else -1 */
    req_entry table[TABLE];
    size_t table_next;
    uint64_t done_ids[TABLE]; /* responses already linted, so a late request is not reused */
    size_t done_next;
    rec rc;
} warc;

/* Record IDs and URIs are compared by these hashes: eight bytes at a time, each word mixed in
 * by a multiply and a shift (64 bits: a collision among the records of one file is not a
 * practical concern). */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n, w = 0;
    const char *end = p + n;
    for (; end - p > 8; p += 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    if (n >= 8) /* the last word ends with the last byte (the length is in h already) */
        memcpy(&w, end - 8, 8);
    else
        for (w = 0; p < end; p++)
            w = w << 8 | (unsigned char)*p;
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    return h ? h : 1; /* 0 means "none" */
}

static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* Index just past the blank line ending a WARC record header in p[0..n), 0 when there is none. A blank line
 * is LF, CR LF, or CR CR LF (some archivers end WARC header lines that way). */
static size_t warc_head_end(const unsigned char *p, size_t n)
{
    for (const unsigned char *nl = memchr(p, '\n', n); nl;
         nl = memchr(nl + 1, '\n', n - (size_t)(nl + 1 - p))) {
        size_t i = (size_t)(nl - p);
        size_t k = i + 1;
        while (k < n && k - i <= 2 && p[k] == '\r')
            k++;
        if (k < n && p[k] == '\n')
            return k + 1;
    }
    return 0;
}

static void origin_of(const warc *x, const whdr *h, resplint_origin *o)
{
    rlcap_origin_init(x->r, o);
    o->response_index = x->r->stats->responses;
    if (h) {
        o->record_offset = h->offset;
        o->record_id = h->id[0] ? h->id : NULL;
        o->url = h->uri[0] ? h->uri : NULL;
    }
}

/* Where the evidence is in the file: its bytes in a plain file's block (the whole block when
 * the finding has no place in it), or the record's gzip member. Call after offset and length
 * (relative to the block) are set. */
static void file_place(const whdr *h, resplint_origin *o)
{
    if (!h)
        return;
    if (h->member != RESPLINT_NO_OFFSET) {
        o->file_offset = h->member;
    } else if (h->block != RESPLINT_NO_OFFSET) {
        bool at = o->offset != RESPLINT_NO_OFFSET;
        o->file_offset = h->block + (at ? o->offset : 0);
        o->file_length = at ? o->length : h->length;
    }
}

#define REPORT(x, rule, h, off, len, ...)                                                          \
    do {                                                                                           \
        resplint_origin o_;                                                                        \
        origin_of((x), (h), &o_);                                                                  \
        o_.offset = (off);                                                                         \
        o_.length = (len);                                                                         \
        file_place((h), &o_);                                                                      \
        rlcap_report((x)->r, (rule), &o_, (off), (len), o_.response_index, __VA_ARGS__);           \
    } while (0)

/* Skips to the next line that starts with "WARC/"; returns the bytes skipped. */
static uint64_t resync(warc *x)
{
    wsrc *s = &x->src;
    uint64_t skipped = 0;
    bool line_start = false;
    for (;;) {
        size_t n = src_need(s, 6);
        if (n == 0)
            return skipped;
        const unsigned char *p = src_ptr(s);
        size_t i = 0;
        for (; i < n; i++) {
            if (line_start && p[i] == 'W') {
                if (n - i < 5 && !s->done)
                    break; /* need more bytes to decide */
                if (n - i >= 5 && memcmp(p + i, "WARC/", 5) == 0) {
                    src_consume(s, i);
                    return skipped + i;
                }
            }
            line_start = p[i] == '\n';
        }
        src_consume(s, i);
        skipped += i;
    }
}

/* What a Content-Type value says of a block (enum http_type): application/http, and the
 * value of its first msgtype parameter. */
static unsigned char http_type(const char *ct)
{
    size_t n = strlen(ct);
    /* '/' has no 0x40 bit: rlint_fold64 leaves it, and only '/' matches it */
    if (n < 16 || !rlint_ieq_name(ct, "application/http", 16))
        return HT_NONE;
    const char *p = ct + 16, *end = ct + n;
    if (*p && *p != ';' && *p != ' ' && *p != '\t')
        return HT_NONE;
    for (const char *q = p; end - q >= 7; q++) {
        if ((*q != 'm' && *q != 'M') || !rlint_ieq_name(q, "msgtype", 7))
            continue;
        const char *v = q + 7;
        while (*v == ' ' || *v == '\t')
            v++;
        if (*v != '=')
            continue;
        v++;
        while (*v == ' ' || *v == '\t' || *v == '"')
            v++;
        size_t k = 0;
        while (v[k] && v[k] != ';' && v[k] != ' ' && v[k] != '"')
            k++;
        return rlint_ieq(v, k, "request")    ? HT_REQUEST
               : rlint_ieq(v, k, "response") ? HT_RESPONSE
                                             : HT_OTHER;
    }
    return HT_ANY;
}

static void parse_field(whdr *h, const char *name, size_t nlen, const char *v, size_t vlen,
                        bool *has_len, bool *len_ok)
{
    /* the caller passes names of the lengths below only */
#define IS(s) rlint_ieq_name(name, s, sizeof(s) - 1)
    switch (nlen) {
    case 9:
        if (IS("warc-type"))
            copy_value(h->type, sizeof h->type, v, vlen);
        break;
    case 12:
        if (IS("content-type")) {
            copy_value(h->ctype, sizeof h->ctype, v, vlen);
            h->http = http_type(h->ctype);
        }
        break;
    case 14:
        if (IS("content-length")) {
            uint64_t n = 0;
            bool ok = vlen > 0 && vlen <= 18;
            for (size_t i = 0; ok && i < vlen; i++) {
                if (v[i] < '0' || v[i] > '9')
                    ok = false;
                else
                    n = n * 10 + (uint64_t)(v[i] - '0');
            }
            *has_len = true;
            *len_ok = ok;
            h->length = n;
        } else if (IS("warc-record-id")) {
            copy_value(h->id, sizeof h->id, v, vlen);
            h->id_hash = hash_bytes(v, vlen);
        } else if (IS("warc-truncated")) {
            copy_value(h->truncated, sizeof h->truncated, v, vlen);
            if (!h->truncated[0])
                copy_value(h->truncated, sizeof h->truncated, "unspecified", 11);
        }
        break;
    case 15:
        if (IS("warc-target-uri")) {
            if (vlen >= 2 && v[0] == '<' && v[vlen - 1] == '>') { /* wget 1.19 wrote <uri> */
                v++;
                vlen -= 2;
            }
            copy_value(h->uri, sizeof h->uri, v, vlen);
            h->uri_hash = hash_bytes(v, vlen);
        }
        break;
    case 18:
        if (IS("warc-concurrent-to") && h->nconc < MAX_CONC)
            h->conc[h->nconc++] = hash_bytes(v, vlen);
        break;
    default:
        break;
    }
#undef IS
}

/* Reads the fields of the WARC record header at the start of p[0..n) into h, line by line up
 * to its blank line (as warc_head_end finds it); returns the index just past the blank line,
 * 0 when p has none (the fields read into h are then partial). */
static size_t parse_header(whdr *h, const char *p, size_t n, bool *has_len, bool *len_ok)
{
    h->nconc = 0;
    *has_len = *len_ok = false;
    const char *nl = memchr(p, '\n', n); /* the version line */
    if (!nl)
        return 0;
    for (size_t ls = (size_t)(nl - p) + 1;;) {
        nl = memchr(p + ls, '\n', n - ls);
        if (!nl)
            return 0;
        size_t le = (size_t)(nl - p), next = le + 1;
        if (le - ls <= 2 && (le == ls || (p[ls] == '\r' && p[le - 1] == '\r')))
            return next; /* LF, CR LF or CR CR LF: the blank line */
        const char *colon = p[ls] == ' ' || p[ls] == '\t' ? NULL : memchr(p + ls, ':', le - ls);
        if (!colon) {
            ls = next;
            continue; /* a continuation, or garbage: nothing we use */
        }
        size_t nlen = (size_t)(colon - (p + ls));
        while (nlen && (p[ls + nlen - 1] == ' ' || p[ls + nlen - 1] == '\t'))
            nlen--;
        /* by the length of the name first: fields the reader does not use (WARC-Payload-Digest,
         * WARC-Block-Digest, WARC-Warcinfo-ID...) are passed over without their value trimmed */
        if (nlen == 9 || nlen == 12 || nlen == 14 || nlen == 15 || nlen == 18) {
            while (le > ls && p[le - 1] == '\r')
                le--;
            size_t vs = (size_t)(colon - p) + 1;
            while (vs < le && (p[vs] == ' ' || p[vs] == '\t'))
                vs++;
            while (le > vs && (p[le - 1] == ' ' || p[le - 1] == '\t'))
                le--;
            parse_field(h, p + ls, nlen, p + vs, le - vs, has_len, len_ok);
        }
        ls = next;
    }
}

/* The offset of the first "\r\n\r\nWARC/" starting in [from, to) in the plain file, or
 * r->total. */
static uint64_t next_record_in_file(const rlcap_reader *r, uint64_t from, uint64_t to)
{
    static const char pat[] = "\r\n\r\nWARC/";
    enum { PAT = sizeof pat - 1, CHUNK = 65536 };
    unsigned char buf[CHUNK + PAT];
    int fd = fileno(r->fp);
    uint64_t off = from;
    size_t carry = 0;
    if (to > r->total)
        to = r->total;
    while (off < to) {
        ssize_t got = pread(fd, buf + carry, CHUNK, (off_t)off);
        if (got <= 0)
            break;
        size_t n = carry + (size_t)got;
        for (size_t i = 0; i + PAT <= n; i++) {
            const unsigned char *q = memchr(buf + i, '\r', n - PAT + 1 - i);
            if (!q)
                break;
            i = (size_t)(q - buf);
            if (memcmp(q, pat, PAT) == 0) {
                uint64_t at = off - carry + i;
                return at < to ? at : r->total;
            }
        }
        carry = n < PAT - 1 ? n : PAT - 1;
        memmove(buf, buf + n - carry, carry);
        off += (uint64_t)got;
    }
    return r->total;
}

static bool pread_is(const rlcap_reader *r, uint64_t at, const char *want, size_t n)
{
    unsigned char b[8];
    return n <= sizeof b && at <= r->total && r->total - at >= n &&
           pread(fileno(r->fp), b, n, (off_t)at) == (ssize_t)n && memcmp(b, want, n) == 0;
}

#define PROBE_HEADER 8192u /* bytes of a record header read to check a record start */
#define PROBE_TRIES 4      /* record starts checked inside one bad block */

/* Whether b[0..got) starts with a whole record header: a "WARC/1.x" version line, a header
 * ending within it, with a valid Content-Length: its length in *hlen and the block's in *blen. */
static bool record_header_in(const unsigned char *b, size_t got, size_t *hlen, uint64_t *blen)
{
    if (got < 10 || memcmp(b, "WARC/1.", 7) != 0 || b[7] < '0' || b[7] > '9')
        return false;
    size_t e = warc_head_end(b, got);
    if (!e)
        return false;
    bool has_len = false, len_ok = false;
    uint64_t len = 0;
    for (size_t i = 0; i < e;) {
        size_t ls = i;
        while (i < e && b[i] != '\n')
            i++;
        size_t le = i++;
        while (le > ls && b[le - 1] == '\r')
            le--;
        const unsigned char *colon = memchr(b + ls, ':', le - ls);
        if (!colon || !rlint_ieq((const char *)b + ls, (size_t)(colon - (b + ls)), "content-length"))
            continue;
        size_t v = (size_t)(colon - b) + 1;
        while (v < le && (b[v] == ' ' || b[v] == '\t'))
            v++;
        while (le > v && (b[le - 1] == ' ' || b[le - 1] == '\t'))
            le--;
        has_len = true;
        len_ok = le > v && le - v <= 18;
        len = 0;
        for (size_t k = v; len_ok && k < le; k++) {
            len_ok = b[k] >= '0' && b[k] <= '9';
            len = len * 10 + (uint64_t)(b[k] - '0');
        }
    }
    *hlen = e;
    *blen = len;
    return has_len && len_ok;
}

/* Whether a whole WARC record starts at offset at of the plain file: its header (within
 * PROBE_HEADER bytes), and CRLF CRLF right after the block it declares. */
static bool record_at(const rlcap_reader *r, uint64_t at)
{
    unsigned char b[PROBE_HEADER];
    ssize_t got = pread(fileno(r->fp), b, sizeof b, (off_t)at);
    size_t e;
    uint64_t len;
    return got > 0 && record_header_in(b, (size_t)got, &e, &len) &&
           pread_is(r, at + e + len, "\r\n\r\n", 4);
}

/* The same in the window: a whole record (header, block and CRLF CRLF) in p[0..n). */
static bool record_in(const unsigned char *p, size_t n)
{
    size_t e;
    uint64_t len;
    return record_header_in(p, n < PROBE_HEADER ? n : PROBE_HEADER, &e, &len) && len <= n - e &&
           n - e - len >= 4 && memcmp(p + e + len, "\r\n\r\n", 4) == 0;
}

/* A plain file's record whose declared length is wrong where the file shows it, so that the
 * records after it would be read as its block (linted as stray bytes) or skipped with it:
 *  - the block runs past the end of the file: either the file is cut (its last record), or
 *    the length is wrong, and when another record starts before the end the block is taken to
 *    end there;
 *  - the block ends inside the file but is not followed by the CRLF CRLF that ends a record:
 *    when a whole record (checked: version line, header, Content-Length and the CRLF CRLF
 *    after its own block) starts inside the declared block right after a CRLF CRLF, the block
 *    is taken to end there. A block may hold WARC-like bytes (an archived .warc file), but
 *    then its declared end is followed by CRLF CRLF and nothing is searched. Else the
 *    trailer check says the length is wrong and the reader resynchronises after the block.
 * RL9007 says so each time. Whole regular files only: a pipe cannot be read ahead, and a
 * .warc.gz has its members (block_avail). */
static void fix_length(warc *x, whdr *h)
{
    wsrc *s = &x->src;
    const rlcap_reader *r = x->r;
    if (s->gz || x->file_base < 0)
        return;
    uint64_t bs = (uint64_t)x->file_base + src_offset(s); /* the block's first byte */
    if (bs > r->total)
        return;
    uint64_t next;
    if (h->length <= r->total - bs) {
        /* the trailer is usually in the buffer already: no read then */
        size_t have = s->end - s->pos;
        if (have >= 4 && h->length <= have - 4
                ? memcmp(src_ptr(s) + h->length, "\r\n\r\n", 4) == 0
                : pread_is(r, bs + h->length, "\r\n\r\n", 4))
            return;
        next = r->total;
        uint64_t from = bs;
        /* a record right at the declared end (at + 4 == end) means a right length and a
         * missing trailer, which check_trailer reports: not a cut */
        for (int tries = 0; tries < PROBE_TRIES && h->length > 4; tries++) {
            uint64_t at = next_record_in_file(r, from, bs + h->length - 4);
            if (at >= r->total)
                break;
            if (record_at(r, at + 4)) {
                next = at;
                break;
            }
            from = at + 1;
        }
        if (next >= r->total)
            return;
        REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
               "the record declares a block of %llu bytes, but no CRLF CRLF follows that "
               "length, and a whole record starts %llu bytes into the block: the block is taken "
               "to end there, and the records after it are read (WARC 1.1 §4, §5.2)",
               (unsigned long long)h->length, (unsigned long long)(next + 4 - bs));
    } else {
        next = next_record_in_file(r, bs, r->total);
        if (next >= r->total) {
            /* No record after it. When the file ends with a record's CRLF CRLF, the last
             * record's length is what is wrong (its trailer is there): the block ends before
             * it. Else the file is cut, and the read says so. */
            if (r->total - bs < 4 || !pread_is(r, r->total - 4, "\r\n\r\n", 4))
                return;
            next = r->total - 4;
        }
        REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
               "the record declares a block of %llu bytes, but the file ends %llu bytes after "
               "its header and the record ends after %llu (the next record or the end of the "
               "file starts there): its block is taken to end there (WARC 1.1 §5.2)",
               (unsigned long long)h->length, (unsigned long long)(r->total - bs),
               (unsigned long long)(next - bs));
    }
    h->length = next - bs;
    h->length_fixed = true;
}

/* Reads the next record header into h. 1: a header; 0: the end of the input. */
static int read_header(warc *x, whdr *h)
{
    wsrc *s = &x->src;
    for (;;) {
        /* Extra line endings between records are tolerated. */
        for (;;) {
            size_t n = src_need(s, 1);
            if (n == 0)
                return 0;
            const unsigned char *p = src_ptr(s);
            size_t i = 0;
            while (i < n && (p[i] == '\r' || p[i] == '\n'))
                i++;
            src_consume(s, i);
            if (i < n)
                break;
        }
        uint64_t u = src_offset(s);
        header_clear(h);
        bool member = false;
        h->offset = s->gz ? record_offset_at(s, u, &member) : u;
        h->member = member ? h->offset : RESPLINT_NO_OFFSET;
        h->block = RESPLINT_NO_OFFSET;
        size_t n = src_need(s, 5);
        if (n < 5 || memcmp(src_ptr(s), "WARC/", 5) != 0) {
            char q[64];
            rlint_quote(q, sizeof q, (const char *)src_ptr(s), n < 16 ? n : 16, 16);
            uint64_t skipped = resync(x);
            if (!x->quiet_resync)
                REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
                       "%llu bytes at offset %llu are not a WARC record (they start '%s'); "
                       "skipped up to the next 'WARC/' line",
                       (unsigned long long)skipped, (unsigned long long)u, q);
            x->quiet_resync = false;
            continue;
        }
        x->quiet_resync = false;
        size_t e = 0;
        size_t want = 4096;
        bool has_len = false, len_ok = false;
        for (;;) {
            n = src_need(s, want);
            e = parse_header(h, (const char *)src_ptr(s), n, &has_len, &len_ok);
            if (e || n < want || want >= HEADER_MAX)
                break;
            want *= 2;
        }
        if (!e) {
            /* the fields of the lines read are not the record's: the report names none */
            uint64_t off = h->offset, mb = h->member;
            header_clear(h);
            h->offset = off;
            h->member = mb;
            h->block = RESPLINT_NO_OFFSET;
            bool at_end = n < want;
            REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
                   at_end ? "the file ends inside a WARC record header (%llu bytes)"
                          : "a WARC record header longer than %llu bytes; skipped up to the "
                            "next 'WARC/' line",
                   (unsigned long long)(at_end ? n : HEADER_MAX));
            if (at_end) {
                src_consume(s, n);
                return 0;
            }
            src_consume(s, 5);
            x->quiet_resync = true;
            continue;
        }
        if (!has_len || !len_ok) {
            REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
                   "the record has %s Content-Length, so its end cannot be found (WARC 1.1 "
                   "§5.2: the field is mandatory); skipped up to the next 'WARC/' line",
                   has_len ? "an invalid" : "no");
            src_consume(s, e);
            x->quiet_resync = true;
            continue;
        }
        src_consume(s, e);
        h->ublock = src_offset(s);
        if (!s->gz)
            h->block = src_offset(s);
        fix_length(x, h);
        return 1;
    }
}

/* The first gzip member that starts after decompressed offset u, or UINT64_MAX. */
static uint64_t member_after(const wsrc *s, uint64_t u)
{
    for (size_t i = 0; i < s->mb_len; i++) {
        uint64_t m = s->mb[(s->mb_head + i) % MB_MAX].u;
        if (m > u)
            return m;
    }
    return UINT64_MAX;
}

/* Said where a block read without look-ahead in the file ends wrong: what may have been lost. */
static const char *unchecked_note(const whdr *h)
{
    return h->unchecked ? "; read from a pipe, the records that may start inside the block lie "
                          "too far from its declared end to be checked in the reader's 256 KiB "
                          "look-ahead: they are read as part of it (given as a file, the reader "
                          "checks the declared end and finds them)"
                        : "";
}

/* From a pipe, or inside a whole-file gzip stream, the reader cannot read ahead in the file
 * as fix_length does; it looks ahead in its window (BUF_SIZE bytes) instead. */
static bool window_only(const warc *x, const whdr *h)
{
    return x->src.gz ? h->member == RESPLINT_NO_OFFSET : x->file_base < 0;
}

/* Cuts h's block to end at offset at (before the CRLF CRLF there); the bytes of the chunk
 * starting at cur that are still the block's. */
static size_t cut_at(whdr *h, uint64_t at, uint64_t cur)
{
    h->length = at - h->ublock;
    h->length_fixed = true;
    return (size_t)(at - cur);
}

/* The input ends at offset input_end, before h's declared end: the block is cut at offset at
 * (the next record's CRLF CRLF, or the last 4 bytes), as fix_length does for a file. */
static size_t past_end(warc *x, whdr *h, uint64_t input_end, uint64_t at, uint64_t cur)
{
    REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
           "the record declares a block of %llu bytes, but the file ends %llu bytes after its "
           "header and the record ends after %llu (the next record or the end of the file "
           "starts there): its block is taken to end there (WARC 1.1 §5.2)%s",
           (unsigned long long)h->length, (unsigned long long)(input_end - h->ublock),
           (unsigned long long)(at - h->ublock), unchecked_note(h));
    return cut_at(h, at, cur);
}

#define REC_START "\r\n\r\nWARC/" /* a record's trailer, and the next record's version line */
#define REC_START_LEN 9u

/* A possible record start ("\r\n\r\nWARC/" at offset at) inside a block read from a pipe:
 * whether the block ends there, decided as fix_length decides for a file, with the window
 * standing in for the file (see block_avail). Returns the chunk's bytes that are the block's
 * (at - cur when it is cut there), or SIZE_MAX to read on. */
static size_t window_probe(warc *x, whdr *h, uint64_t at)
{
    wsrc *s = &x->src;
    size_t avail = src_need(s, BUF_SIZE);
    const unsigned char *p = src_ptr(s);
    uint64_t cur = src_offset(s), end = h->ublock + h->length, seen = cur + avail;
    size_t k = (size_t)(at - cur);
    bool input_ends = s->done && !s->gz_error && !rlcap_failed(x->r); /* at seen */
    if (end + 4 <= seen) {
        if (memcmp(p + (end - cur), "\r\n\r\n", 4) == 0) {
            h->end_seen = true; /* a right length: WARC-like bytes inside are left alone */
            return SIZE_MAX;
        }
    } else if (input_ends && end > seen) {
        /* the input ends inside the declared block: the block ends where the next record
         * starts, as in a file */
        return past_end(x, h, seen, at, cur);
    }
    /* the declared length is wrong (no CRLF CRLF at its end), or its end lies past the window:
     * a whole record (header, block, CRLF CRLF) starting here ends the block; a record right
     * at the declared end means a right length and a missing trailer (check_trailer) */
    bool whole = false;
    if (at + 4 < end && h->probes < PROBE_TRIES) {
        h->probes++;
        whole = record_in(p + k + 4, avail - k - 4);
    }
    if (!whole) {
        h->unchecked = h->unchecked || end + 4 > seen;
        return SIZE_MAX;
    }
    if (end + 4 <= seen || input_ends)
        REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
               "the record declares a block of %llu bytes, but no CRLF CRLF follows that "
               "length, and a whole record starts %llu bytes into the block: the block is taken "
               "to end there, and the records after it are read (WARC 1.1 §4, §5.2)",
               (unsigned long long)h->length, (unsigned long long)(at + 4 - h->ublock));
    else
        REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
               "the record declares a block of %llu bytes, and a whole record starts %llu bytes "
               "into the block: read from a pipe, the declared end lies past the %u KiB the "
               "reader can look ahead, so the block is taken to end where that record starts, "
               "and the records after it are read (WARC 1.1 §4, §5.2; given as a file, the "
               "declared end is checked first)",
               (unsigned long long)h->length, (unsigned long long)(at + 4 - h->ublock),
               BUF_SIZE / 1024u);
    return cut_at(h, at, cur);
}

/* window_only's part of block_avail: the chunk of n block bytes at the read position, cut
 * where a record starts inside it and window_probe finds that the block ends there; or, when
 * the input ends inside the declared block with a record's CRLF CRLF, before those 4 bytes
 * (as fix_length does). */
static size_t window_avail(warc *x, whdr *h, size_t n)
{
    wsrc *s = &x->src;
    uint64_t cur = src_offset(s);
    /* the chunk and the bytes after it that tell whether a CRLF CRLF in it starts a record */
    size_t look = src_need(s, n + REC_START_LEN - 1);
    for (size_t j = 4; j < n + 4 && j + 5 <= look && !h->end_seen;) {
        const unsigned char *p = src_ptr(s);
        const unsigned char *w = memchr(p + j, 'W', (n + 4 < look - 4 ? n + 4 : look - 4) - j);
        if (!w)
            break;
        j = (size_t)(w - p);
        if (memcmp(w - 4, REC_START, REC_START_LEN) == 0) {
            size_t keep = window_probe(x, h, cur + j - 4);
            if (keep != SIZE_MAX)
                return keep;
            look = src_need(s, n + REC_START_LEN - 1);
        }
        j++;
    }
    uint64_t end = h->ublock + h->length;
    if (!h->end_seen && look == n && n >= 4 && cur + n < end && s->done && !s->gz_error &&
        !rlcap_failed(x->r) && memcmp(src_ptr(s) + n - 4, "\r\n\r\n", 4) == 0) {
        return past_end(x, h, cur + n, cur + n - 4, cur);
    }
    return n;
}

/* Block bytes ready at the read position, at most want (which is at most what the block has
 * left): fewer at the end of the input, or where the record's gzip member shows that the
 * declared length is wrong. A .warc.gz is written a record per gzip member (WARC 1.1 Annex
 * D): when the block of a record that starts a member runs past the end of that member into
 * one that starts with "WARC/", or past the clean end of the file's last member, the record
 * ends with its member (before the CRLF CRLF that ends it there). RL9007 says so, h->length
 * is cut, and the next records are read from their own members instead of being swallowed as
 * block bytes or lost. A member that does not start a record continues the block (a writer
 * may split one record over members). */
static size_t block_avail(warc *x, whdr *h, size_t want)
{
    wsrc *s = &x->src;
    size_t n = src_need(s, want);
    if (n > want)
        n = want;
    uint64_t cur = src_offset(s), end = h->ublock + h->length; /* the declared end */
    if (cur + n > end)
        n = end > cur ? (size_t)(end - cur) : 0; /* cut by an earlier call */
    if (n && !h->length_fixed && !h->end_seen && window_only(x, h))
        return window_avail(x, h, n);
    if (!s->gz || h->member == RESPLINT_NO_OFFSET || h->length_fixed || n == 0)
        return n;
    /* 9 bytes more: a member start up to 4 bytes past the chunk (the CRLF CRLF before it must
     * not be fed as block bytes) and the 5 bytes that tell whether it starts a record */
    size_t look = src_need(s, n + 9);
    const unsigned char *p = src_ptr(s);
    uint64_t stop = UINT64_MAX;
    const char *why = NULL;
    for (uint64_t m = member_after(s, cur); m - cur <= look; m = member_after(s, m)) {
        size_t k = (size_t)(m - cur);
        if (look - k >= 5 && memcmp(p + k, "WARC/", 5) == 0) {
            stop = m;
            why = "the next member starts a record there";
            break;
        }
    }
    if (stop == UINT64_MAX && look < n + 9 && s->done && !s->gz_error && !rlcap_failed(s->r) &&
        !s->member_open) {
        stop = cur + look;
        why = "the file's last member ends there";
    }
    /* A member ending at the declared end or after it: the length is right, only a trailer
     * may be missing (check_trailer says so), and the block's own last bytes may be CRLF CRLF:
     * no cut. */
    if (stop != UINT64_MAX && stop < end) {
        uint64_t e = stop;
        if (stop - cur >= 4 && memcmp(p + (stop - cur) - 4, "\r\n\r\n", 4) == 0)
            e = stop - 4;
        REPORT(x, "RL9007", h, RESPLINT_NO_OFFSET, 0,
               "the record declares a block of %llu bytes, but its gzip member holds %llu "
               "(%s): the block is taken to end with its member, and the records after it "
               "are read from their own members (a .warc.gz holds one record per gzip member, "
               "WARC 1.1 Annex D)",
               (unsigned long long)h->length, (unsigned long long)(e - h->ublock), why);
        h->length = e - h->ublock;
        h->length_fixed = true;
        end = e;
    }
    if (cur + n > end)
        n = end > cur ? (size_t)(end - cur) : 0;
    return n;
}

/* Reads up to n block bytes into dst; fewer at the end of the input, or where block_avail
 * cuts h->length. */
static uint64_t read_block(warc *x, whdr *h, unsigned char *dst, uint64_t n)
{
    wsrc *s = &x->src;
    uint64_t done = 0;
    while (done < n) {
        uint64_t left = n - done;
        size_t want = left < 65536 ? (size_t)left : 65536;
        size_t got = block_avail(x, h, want);
        if (got == 0)
            break;
        if (got > left)
            got = (size_t)left;
        if (dst)
            memcpy(dst + done, src_ptr(s), got);
        src_consume(s, got);
        done += got;
    }
    return done;
}

/* Every record ends with CRLF CRLF after its block (WARC 1.1 §4). false when it does not:
 * the declared length is wrong, and the reader resynchronises at the next record. */
static bool check_trailer(warc *x, const whdr *h)
{
    wsrc *s = &x->src;
    size_t n = src_need(s, 4);
    if (n >= 4 && memcmp(src_ptr(s), "\r\n\r\n", 4) == 0) {
        src_consume(s, 4);
        return true;
    }
    char q[64];
    rlint_quote(q, sizeof q, (const char *)src_ptr(s), n < 8 ? n : 8, 16);
    if (n == 0)
        REPORT(x, "RL9007", h, h->length, 0,
               "the file ends right after the block, without the CRLF CRLF that ends a record "
               "(WARC 1.1 §4)");
    else
        REPORT(x, "RL9007", h, h->length, 0,
               "the declared Content-Length %llu disagrees with the record's bytes: the block "
               "is not followed by CRLF CRLF (found '%s'), so the record is longer or shorter "
               "than it says (WARC 1.1 §4, §5.2)%s",
               (unsigned long long)h->length, q, unchecked_note(h));
    x->quiet_resync = true;
    return false;
}

/* application/http with msgtype want (HT_REQUEST, HT_RESPONSE) or with none. */
static bool is_http_type(const whdr *h, unsigned char want)
{
    return h->http == HT_ANY || h->http == want;
}

/* "METHOD SP target SP HTTP/d.d" */
static bool parse_request_line(const unsigned char *p, size_t n, req_info *out)
{
    size_t i = 0;
    while (i < n && rlint_is_tchar(p[i]))
        i++;
    if (i == 0 || i >= sizeof out->method || i >= n || p[i] != ' ')
        return false;
    memcpy(out->method, p, i);
    out->method[i] = '\0';
    const unsigned char *nl = memchr(p, '\n', n);
    size_t le = nl ? (size_t)(nl - p) : n;
    if (le && p[le - 1] == '\r')
        le--;
    if (le < i + 10 || memcmp(p + le - 8, "HTTP/", 5) != 0 || p[le - 2] != '.' || p[le - 3] < '0' ||
        p[le - 3] > '9' || p[le - 1] < '0' || p[le - 1] > '9')
        return false;
    out->major = (unsigned)(p[le - 3] - '0');
    out->minor = (unsigned)(p[le - 1] - '0');
    out->valid = true;
    return true;
}

static bool done_id(const warc *x, uint64_t id)
{
    for (size_t i = 0; i < TABLE; i++)
        if (id && x->done_ids[i] == id)
            return true;
    return false;
}

/* Reads a request record's block (its request line, the rest skipped) and its trailer. */
static void read_request(warc *x, whdr *h, req_info *out)
{
    memset(out, 0, sizeof *out);
    uint64_t n = h->length < REQ_MAX ? h->length : REQ_MAX;
    uint64_t got = read_block(x, h, x->req, n);
    bool ok = parse_request_line(x->req, (size_t)got, out);
    if (got == n && h->length > n)
        got += read_block(x, h, NULL, h->length - n);
    if (!ok)
        x->r->stats->skipped++; /* not an HTTP request: no context from it */
    if (got < h->length) {
        REPORT(x, "RL9007", h, got, 0,
               "the file ends after %llu of the %llu bytes the record declares%s",
               (unsigned long long)got, (unsigned long long)h->length, unchecked_note(h));
        return;
    }
    check_trailer(x, h);
}

static void remember_request(warc *x, const whdr *h, const req_info *q)
{
    if (!q->valid)
        return;
    uint64_t conc = h->nconc ? h->conc[0] : 0;
    if (conc && done_id(x, conc))
        return; /* written after its response, which was linted already */
    req_entry *e = &x->table[x->table_next++ % TABLE];
    e->id = h->id_hash;
    e->conc = conc;
    e->uri = h->uri_hash;
    memcpy(e->method, q->method, sizeof e->method);
    e->major = q->major;
    e->minor = q->minor;
    e->live = true;
}

static bool linked(const whdr *resp, uint64_t req_id, const uint64_t *req_conc, size_t nreq_conc)
{
    for (size_t i = 0; i < resp->nconc; i++)
        if (req_id && resp->conc[i] == req_id)
            return true;
    for (size_t i = 0; i < nreq_conc; i++)
        if (resp->id_hash && req_conc[i] == resp->id_hash)
            return true;
    return false;
}

/* A request record seen before the response: linked by WARC-Concurrent-To first, then by the
 * same target URI (a request linked to another response never matches by URI). */
static bool match_table(warc *x, const whdr *h, req_info *out)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < TABLE; k++) {
            req_entry *e = &x->table[(x->table_next + TABLE - 1 - k) % TABLE];
            if (!e->live)
                continue;
            bool hit = pass == 0 ? linked(h, e->id, &e->conc, e->conc ? 1 : 0)
                                 : (e->uri == h->uri_hash && h->uri_hash &&
                                    (!e->conc || e->conc == h->id_hash));
            if (!hit)
                continue;
            memcpy(out->method, e->method, sizeof out->method);
            out->major = e->major;
            out->minor = e->minor;
            out->valid = true;
            e->live = false;
            return true;
        }
    }
    return false;
}

/* The request record right after the response, when it belongs to it. */
static bool lookahead(warc *x, const whdr *h, req_info *out)
{
    if (read_header(x, &x->pending) <= 0)
        return false;
    x->has_pending = true;
    const whdr *q = &x->pending;
    if (strcmp(q->type, "request") != 0 || (q->ctype[0] && !is_http_type(q, HT_REQUEST)))
        return false;
    bool hit = linked(h, q->id_hash, q->conc, q->nconc) ||
               (q->nconc == 0 && h->nconc == 0 && q->uri_hash == h->uri_hash && h->uri_hash);
    if (!hit)
        return false;
    x->has_pending = false;
    read_request(x, &x->pending, out);
    return out->valid;
}

/* ---- what the archiver changed ---- */

/* What the archiver did to the record, as the rules read it (RESPLINT_PROV_*): fields renamed
 * to X-Archive-Orig-* or X-Crawler-* count as present and, for framing fields, make the body
 * unknown (the engine reads the names); a de-chunked body under "Transfer-Encoding: chunked",
 * "Content-Length: -1" and a revisit's missing body are not the server's framing; a cut file,
 * an incomplete head, WARC-Truncated and a record whose length disagrees with its bytes explain
 * a short body, a parse stop or stray bytes. The lint runs on the stored bytes unchanged, so
 * offsets and every other finding stay true. */
static unsigned provenance(const rec *c)
{
    /* multiplied rather than branched: with branches, GCC inlines this as a table of every
     * combination, recomputed at each call (about 300 instructions a record) */
    return RESPLINT_PROV_ARCHIVED | (unsigned)c->dechunked * RESPLINT_PROV_DECHUNKED |
           (unsigned)(c->ncl_neg != 0) * RESPLINT_PROV_LENGTH_PLACEHOLDER |
           (unsigned)c->revisit * RESPLINT_PROV_BODY_DROPPED |
           (unsigned)(c->file_cut || c->head_cut) * RESPLINT_PROV_CUT |
           (unsigned)c->archiver_truncated * RESPLINT_PROV_BODY_TRUNCATED |
           (unsigned)c->invalid * RESPLINT_PROV_BOUNDARY_UNSURE;
}

static bool chunk_line_ok(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n && ((p[i] >= '0' && p[i] <= '9') || (rlint_lower((char)p[i]) >= 'a' &&
                                                      rlint_lower((char)p[i]) <= 'f')))
        i++;
    if (i == 0)
        return false;
    if (i == n)
        return true; /* a size line cut by the end of the block: a truncation, not a rewrite */
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i < n && p[i] == ';') {
        const unsigned char *nl = memchr(p + i, '\n', n - i);
        return nl != NULL || n < PEEK_BODY;
    }
    return i < n && (p[i] == '\r' || p[i] == '\n');
}

static bool last_coding_chunked(const char *v, size_t n)
{
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n >= 7 && rlint_ieq(v + n - 7, 7, "chunked") &&
           (n == 7 || v[n - 8] == ',' || v[n - 8] == ' ' || v[n - 8] == '\t');
}

typedef struct head_facts {
    size_t final_end;  /* end of the final (non-1xx) head in the block, 0 when not found */
    uint64_t te_off;   /* the Transfer-Encoding: chunked line, NO_OFFSET */
    char renamed[160]; /* names of renamed fields, for the message */
    size_t nrenamed;
    uint64_t renamed_off;
} head_facts;

/* A head's status code from its status line p[0..n) (n from its start to the end of the
 * head, or to its first LF), -1 when it has none. */
static int status_of(const unsigned char *p, size_t n)
{
    const unsigned char *sp = memchr(p, ' ', n);
    if (sp && (size_t)(sp - p) + 4 <= n && sp[1] >= '0' && sp[1] <= '9' && sp[2] >= '0' &&
        sp[2] <= '9' && sp[3] >= '0' && sp[3] <= '9')
        return (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
    return -1;
}

/* One field line p[ls..le) of the final head (le before its CR LF): what the archiver did. */
static void analyze_field(rec *c, const unsigned char *p, size_t ls, size_t le, size_t colon,
                          bool *te_chunked, head_facts *hf)
{
    const char *name = (const char *)p + ls;
    size_t nlen = colon - ls;
    if (nlen != 17 && nlen != 14 && (nlen <= 10 || (name[0] != 'x' && name[0] != 'X')))
        return; /* the common case: no field the archiver's changes show in */
    size_t vs = colon + 1;
    while (vs < le && (p[vs] == ' ' || p[vs] == '\t'))
        vs++;
    const char *v = (const char *)p + vs;
    size_t vlen = le - vs;
    if (nlen == 17 && rlint_ieq(name, nlen, "transfer-encoding") && last_coding_chunked(v, vlen)) {
        *te_chunked = true;
        hf->te_off = ls;
    } else if (nlen == 14 && vlen && v[0] == '-' && c->ncl_neg < 4 &&
               rlint_ieq(name, nlen, "content-length")) {
        c->cl_neg[c->ncl_neg][0] = ls;
        c->cl_neg[c->ncl_neg][1] = le;
        c->ncl_neg++;
    }
    const char *orig = NULL;
    size_t olen = 0;
    if (nlen <= 10 || (name[0] != 'x' && name[0] != 'X')) {
        /* not renamed by an archiver: the common case, no comparison */
    } else if (rlint_ieq_name(name, "x-crawler-", 10)) {
        orig = name + 10;
        olen = nlen - 10;
    } else if (nlen >= 15 && rlint_ieq_name(name, "x-archive-orig-", 15)) {
        orig = name + 15;
        olen = nlen - 15;
    }
    if (orig) {
        if (rlint_ieq(orig, olen, "transfer-encoding") || rlint_ieq(orig, olen, "content-length") ||
            rlint_ieq(orig, olen, "content-encoding"))
            c->renamed_framing = true;
        if (hf->nrenamed == 0)
            hf->renamed_off = ls;
        size_t used = strlen(hf->renamed);
        if (hf->nrenamed < 4 && used + nlen + 3 < sizeof hf->renamed)
            snprintf(hf->renamed + used, sizeof hf->renamed - used, "%s%.*s", used ? ", " : "",
                     (int)nlen, name);
        hf->nrenamed++;
    }
}

static void facts_clear(head_facts *hf)
{
    memset(hf, 0, sizeof *hf);
    hf->te_off = RESPLINT_NO_OFFSET;
    hf->renamed_off = RESPLINT_NO_OFFSET;
}

/* Reads the heads at the start of a block p[0..n) (complete: n is the whole block). The final
 * head's fields are read line by line as its end is looked for: one pass. */
static void analyze(rec *c, const unsigned char *p, size_t n, bool complete, head_facts *hf)
{
    facts_clear(hf);
    size_t at = 0;
    for (int heads = 0; heads < 8; heads++) {
        if (n - at < 5 || memcmp(p + at, "HTTP/", 5) != 0)
            return; /* not a response: the stream reports it */
        const unsigned char *nl = memchr(p + at, '\n', n - at);
        if (!nl) {
            if (complete)
                c->head_cut = true;
            return;
        }
        int status;
        if (memchr(p + at, ' ', (size_t)(nl - p) - at)) {
            status = status_of(p + at, (size_t)(nl - p) - at);
        } else { /* a status line without a space: a code is looked for in the whole head */
            size_t e = rlint_head_end((const char *)p + at, n - at, 0);
            status = e ? status_of(p + at, e) : -1;
        }
        if (status >= 100 && status < 200 && status != 101) {
            size_t e = rlint_head_end((const char *)p + at, n - at, 0);
            if (!e) {
                if (complete)
                    c->head_cut = true;
                return;
            }
            at += e;
            continue;
        }
        bool te_chunked = false;
        size_t e = 0;
        for (size_t i = (size_t)(nl - p) + 1; (nl = memchr(p + i, '\n', n - i)) != NULL;) {
            size_t ls = i, le = (size_t)(nl - p);
            i = le + 1;
            if (le > ls && p[le - 1] == '\r')
                le--;
            if (le == ls) { /* the blank line: LF or CR LF */
                e = i;
                break;
            }
            const unsigned char *colon = memchr(p + ls, ':', le - ls);
            if (colon)
                analyze_field(c, p, ls, le, (size_t)(colon - p), &te_chunked, hf);
        }
        if (!e) { /* no end: what the lines said does not count */
            facts_clear(hf);
            c->ncl_neg = 0;
            c->renamed_framing = false;
            if (complete)
                c->head_cut = true;
            return;
        }
        hf->final_end = e;
        size_t body = n - e;
        if (te_chunked && body > 0 && !c->revisit)
            c->dechunked = !chunk_line_ok(p + e, body < PEEK_BODY ? body : PEEK_BODY);
        return;
    }
}

static void report_rewrites(warc *x, const rec *c, const head_facts *hf)
{
    const whdr *h = c->h;
    if (c->dechunked)
        REPORT(x, "RL9008", h, hf->te_off, 0,
               "the record keeps 'Transfer-Encoding: chunked' but its body is not chunked: the "
               "archiver stored the body de-chunked; chunked-syntax, truncation and "
               "Content-Length/Transfer-Encoding findings are not reported for it");
    for (size_t i = 0; i < c->ncl_neg; i++)
        REPORT(x, "RL9008", h, c->cl_neg[i][0], c->cl_neg[i][1] - c->cl_neg[i][0],
               "'Content-Length: -1' is an archiver's placeholder for an unknown length, not a "
               "value a server sends; Content-Length findings are not reported for it");
    if (hf->nrenamed)
        REPORT(x, "RL9008", h, hf->renamed_off, 0,
               "the archiver renamed %zu field%s (%s%s): the stored head is not the one the "
               "server sent%s",
               hf->nrenamed, hf->nrenamed == 1 ? "" : "s", hf->renamed,
               hf->nrenamed > 4 ? ", ..." : "",
               c->renamed_framing ? ", and the stored body may not be framed or encoded as it "
                                    "was sent"
                                  : "");
    if (c->archiver_truncated)
        REPORT(x, "RL9008", h, RESPLINT_NO_OFFSET, 0,
               "WARC-Truncated: %s: the archiver stored only part of the body; truncation is "
               "not reported for it",
               h->truncated);
}

/* ---- linting one response record ---- */

static void on_finding(const resplint_finding *f, void *user)
{
    warc *x = user;
    resplint_origin o;
    origin_of(x, x->rc.h, &o);
    o.response_index = x->rc.resp_base + f->response_index;
    o.offset = f->offset;
    o.length = f->length;
    if (resplint_stream_current_head(x->stream, &o.head, &o.head_len) < 0)
        o.head = NULL, o.head_len = 0;
    file_place(x->rc.h, &o);
    x->r->stats->findings++;
    x->r->handler->on_finding(f, &o, x->r->handler->user);
}

static void on_response(const resplint_response *resp, size_t index, uint64_t offset,
                        uint64_t length, void *user)
{
    warc *x = user;
    x->r->stats->responses++;
    if (!x->r->handler->on_response)
        return;
    resplint_origin o;
    origin_of(x, x->rc.h, &o);
    o.response_index = x->rc.resp_base + index;
    o.offset = offset;
    o.length = length;
    file_place(x->rc.h, &o);
    x->r->handler->on_response(resp, &o, x->r->handler->user);
}

static int feed(warc *x, const unsigned char *p, size_t n)
{
    return rlcap_core(x->r, resplint_stream_feed(x->stream, p, n), "the record at offset %llu",
                      (unsigned long long)x->cur.offset);
}

static void report_cut(warc *x, const rec *c, uint64_t got)
{
    REPORT(x, "RL9007", c->h, got, 0,
           "the file ends after %llu of the %llu bytes the record's Content-Length declares%s",
           (unsigned long long)got, (unsigned long long)c->h->length, unchecked_note(c->h));
}

static int skip_rest(warc *x, whdr *h, uint64_t got, bool count);

static int lint_response(warc *x, bool revisit)
{
    whdr *h = &x->cur;
    rec *c = &x->rc;
    memset(c, 0, sizeof *c);
    c->h = h;
    c->revisit = revisit;
    c->resp_base = x->r->stats->responses;
    c->archiver_truncated = h->truncated[0] != '\0';
    /* In a plain file, a block the buffer holds with its trailer is read where it is (until
     * the next read of the source: lookahead copies it first); else it is copied to hold.
     * From a pipe only when the trailer is right there: else read_block's window decides
     * where the block ends (fix_length has not looked ahead). */
    wsrc *s = &x->src;
    const unsigned char *blk = x->hold;
    uint64_t got;
    if (!s->gz && h->length <= BUF_SIZE - 4 && src_need(s, (size_t)h->length + 4) >= h->length + 4 &&
        (!window_only(x, h) || h->length_fixed ||
         memcmp(src_ptr(s) + h->length, "\r\n\r\n", 4) == 0)) {
        blk = src_ptr(s);
        got = h->length;
        src_consume(s, (size_t)got);
    } else {
        got = read_block(x, h, x->hold, h->length < HOLD_MAX ? h->length : HOLD_MAX);
    }
    /* h->length may have been cut to where the record's gzip member ends */
    bool whole = got == h->length;
    c->file_cut = got < (h->length < HOLD_MAX ? h->length : HOLD_MAX);
    /* After the first bytes: in a .warc.gz, a record declaring gigabytes may end with its
     * gzip member much earlier (block_avail). */
    uint64_t limit = resplint_config_limit(x->r->cfg, RESPLINT_LIMIT_WARC_RECORD);
    if (h->length > limit) {
        REPORT(x, "RL9004", h, RESPLINT_NO_OFFSET, 0,
               "a response record of %llu bytes passes the limit of %llu bytes per record: "
               "not checked", (unsigned long long)h->length, (unsigned long long)limit);
        return skip_rest(x, h, got, true);
    }
    head_facts hf;
    analyze(c, blk, (size_t)got, whole || c->file_cut, &hf);
    if (c->file_cut && c->head_cut)
        c->head_cut = false; /* the cut file explains it */
    c->head_only = revisit || c->dechunked || c->ncl_neg;
    if (whole)
        c->invalid = !check_trailer(x, h) || h->length_fixed;
    /* cut, with records that may start inside it: the bytes after a response may be theirs */
    c->invalid = c->invalid || (c->file_cut && h->unchecked);

    req_info q;
    memset(&q, 0, sizeof q);
    if (!match_table(x, h, &q) && whole) {
        if (blk != x->hold) { /* the look-ahead reads the source on */
            memcpy(x->hold, blk, (size_t)got);
            blk = x->hold;
        }
        lookahead(x, h, &q);
    }
    resplint_stream_reset(x->stream);
    /* The record's target URI is the request's URL, with or without a request record. */
    size_t ulen = strlen(h->uri);
    resplint_stream_set_scheme(x->stream, rlcap_scheme_of(h->uri, ulen));
    resplint_stream_set_provenance(x->stream, provenance(c));
    if ((q.valid || ulen) &&
        rlcap_core(x->r,
                   resplint_stream_push_request_url(x->stream, q.valid ? q.method : NULL,
                                                    q.valid ? q.major : 0, q.valid ? q.minor : 0,
                                                    h->uri, ulen),
                   "the record at offset %llu", (unsigned long long)h->offset) < 0)
        return rlcap_result(x->r);

    if (c->file_cut)
        report_cut(x, c, got);
    if (c->head_cut)
        REPORT(x, "RL9007", h, 0, got,
               "the record's HTTP block ends inside the response head (%llu bytes, no blank "
               "line): the archiver stored an incomplete head",
               (unsigned long long)got);
    report_rewrites(x, c, &hf);

    size_t first = (size_t)got;
    if (c->head_only && hf.final_end)
        first = hf.final_end;
    int rc = feed(x, blk, first);
    if (rc == 0 && !whole && !c->file_cut) {
        /* Larger than HOLD_MAX: the rest goes straight from the source to the parser. */
        while (got < h->length && rc == 0) {
            uint64_t left = h->length - got;
            size_t n = block_avail(x, h, left < 65536 ? (size_t)left : 65536);
            if (n == 0)
                break;
            if (!c->head_only)
                rc = feed(x, src_ptr(s), n);
            src_consume(s, n);
            got += n;
        }
        if (got < h->length) {
            c->file_cut = true;
            report_cut(x, c, got);
        } else {
            c->invalid = !check_trailer(x, h);
        }
    }
    c->invalid = c->invalid || h->length_fixed || /* its end is the reader's guess */
                 (c->file_cut && h->unchecked);
    resplint_stream_set_provenance(x->stream, provenance(c)); /* the cut is known now */
    if (!rlcap_failed(x->r)) /* after a read error the record did not end here */
        rlcap_core(x->r, resplint_stream_finish(x->stream), "the record at offset %llu",
                   (unsigned long long)h->offset);
    x->done_ids[x->done_next++ % TABLE] = h->id_hash;
    return rlcap_result(x->r);
}

/* ---- the record loop ---- */

static int skip_record(warc *x, whdr *h, bool count)
{
    return skip_rest(x, h, 0, count);
}

static bool host_matches(const char *glob, const char *uri)
{
    const char *p = strstr(uri, "://");
    p = p ? p + 3 : uri;
    return rlcap_authority_matches(glob, p, strcspn(p, "/?#"));
}

/* Reads the rest of a block of which got bytes were read, and the record's trailer. */
static int skip_rest(warc *x, whdr *h, uint64_t got, bool count)
{
    if (got < h->length)
        got += read_block(x, h, NULL, h->length - got);
    if (count)
        x->r->stats->skipped++;
    if (got < h->length) {
        REPORT(x, "RL9007", h, got, 0,
               "the file ends after %llu of the %llu bytes the record declares%s",
               (unsigned long long)got, (unsigned long long)h->length, unchecked_note(h));
        return 0;
    }
    check_trailer(x, h);
    return 0;
}

static int do_record(warc *x)
{
    whdr *h = &x->cur;
    const resplint_capture_options *opts = x->r->opts;
    bool response = strcmp(h->type, "response") == 0;
    bool revisit = strcmp(h->type, "revisit") == 0;
    if (strcmp(h->type, "request") == 0) {
        if (!is_http_type(h, HT_REQUEST) && h->ctype[0])
            return skip_record(x, h, true);
        req_info q;
        read_request(x, h, &q);
        remember_request(x, h, &q);
        return 0;
    }
    if (!response && !revisit)
        return skip_record(x, h, true); /* warcinfo, metadata, resource, conversion... */
    if (h->length < 5)
        return skip_record(x, h, true); /* a revisit with no stored head */
    if (h->ctype[0] ? !is_http_type(h, HT_RESPONSE)
                    : (src_need(&x->src, 5) < 5 || memcmp(src_ptr(&x->src), "HTTP/", 5) != 0))
        return skip_record(x, h, true); /* dns:, whois:, ftp: and the like */
    if ((opts->url_glob && !rlcap_glob(opts->url_glob, h->uri)) ||
        (opts->host_glob && !host_matches(opts->host_glob, h->uri)))
        return skip_record(x, h, true);
    return lint_response(x, revisit);
}

int rlcap_read_warc(rlcap_reader *r)
{
    warc *x = rlcap_calloc(1, sizeof *x);
    if (!x)
        return rlcap_nomem(r);
    x->r = r;
    x->file_base = -1;
    /* a memory stream (fmemopen) has no descriptor to pread: it reads as a pipe does */
    if (r->total && r->fp && fileno(r->fp) >= 0) {
        off_t pos = ftello(r->fp); /* just after the bytes peeked for detection */
        if (pos >= 0 && (uint64_t)pos >= r->npeek)
            x->file_base = (int64_t)((uint64_t)pos - r->npeek);
    }
    wsrc *s = &x->src;
    s->r = r;
    s->gz = r->npeek >= 2 && r->peek[0] == 0x1f && r->peek[1] == 0x8b;
    s->z.zalloc = rlcap_zalloc;
    s->z.zfree = rlcap_zfree;
    s->buf = rlcap_malloc(BUF_SIZE);
    s->in = s->gz ? rlcap_malloc(IN_SIZE) : NULL;
    x->hold = rlcap_malloc(HOLD_MAX);
    x->req = rlcap_malloc(REQ_MAX);
    x->stream = resplint_stream_new(r->cfg, on_finding, x);
    x->xchg = resplint_exchanges_new(r->cfg);
    if (x->stream)
        resplint_stream_set_exchanges(x->stream, x->xchg);
    resplint_stream_set_body_ops(x->stream, resplint_body_pipeline());
    int rc = 0;
    if (!s->buf || (s->gz && !s->in) || !x->hold || !x->req || !x->stream || !x->xchg) {
        rc = rlcap_nomem(r);
    } else if (s->gz && !(s->zl = rlint_zlib_get("a gzip-compressed input"))) {
        rc = rlcap_fail(r, RESPLINT_EIO, "%s: %s", r->path, rlint_lazylib_why());
    } else if (s->gz && RLINT_INFLATE_INIT2(s->zl, &s->z, 15 + 16) != Z_OK) {
        rc = rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory (starting zlib)", r->path);
    } else {
        s->z_ready = s->gz;
        resplint_stream_on_response(x->stream, on_response);
        size_t n = src_need(s, 5);
        if (rlcap_failed(r)) {
            rc = rlcap_result(r);
        } else if (n < 5 || memcmp(src_ptr(s), "WARC/", 5) != 0) {
            char q[64];
            rlint_quote(q, sizeof q, (const char *)src_ptr(s), n < 8 ? n : 8, 16);
            if (s->gz && s->gz_error && n == 0)
                rc = rlcap_fail(r, RESPLINT_EFORMAT, "%s: gzip data that cannot be read: %s",
                                r->path, s->gz_error);
            else if (s->gz)
                rc = rlcap_fail(r, RESPLINT_EFORMAT,
                                "%s: gzip-compressed, but not a WARC file (the decompressed "
                                "data starts '%s', not 'WARC/'); decompress it and lint the "
                                "result",
                                r->path, q);
            else
                rc = rlcap_fail(r, RESPLINT_EFORMAT,
                                "%s: not a WARC file (it starts '%s', not 'WARC/')", r->path, q);
        }
    }
    while (rc == 0) {
        if (x->has_pending) {
            x->cur = x->pending;
            x->has_pending = false;
        } else if (read_header(x, &x->cur) <= 0) {
            break;
        }
        rc = do_record(x);
        if (rlcap_failed(r))
            break;
    }
    rc = rlcap_result(r);
    if (rc == 0 && s->gz_error && s->gz_cut) {
        resplint_origin o;
        origin_of(x, NULL, &o);
        o.record_offset = s->member_c;
        rlcap_report(r, "RL9007", &o, RESPLINT_NO_OFFSET, 0, o.response_index,
                     "gzip: %s at file offset %llu; the rest of the file is not read", s->gz_error,
                     (unsigned long long)s->gz_error_at);
    } else if (rc == 0 && s->gz_error) {
        /* corrupt data: the file cannot be read on, an input error (exit 2), not a finding */
        rc = rlcap_fail(r, RESPLINT_EFORMAT,
                        "%s: gzip data that cannot be read in the member at file offset %llu "
                        "(%s, found by file offset %llu); the rest of the file is not read",
                        r->path, (unsigned long long)s->member_c, s->gz_error,
                        (unsigned long long)s->gz_error_at);
    }
    if (s->z_ready)
        s->zl->inflateEnd(&s->z);
    resplint_stream_free(x->stream);
    resplint_exchanges_free(x->xchg);
    rlcap_free(s->buf);
    rlcap_free(s->in);
    rlcap_free(x->hold);
    rlcap_free(x->req);
    rlcap_free(x);
    return rlcap_result(r);
}
