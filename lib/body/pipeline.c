/* The body pipeline (resplint/body.h): content as sent flows through SHA-256/512, then through
 * the decoders of its content codings (last applied first), then into the decoded-body stages:
 * the sniffing window, UTF-8 validation and a JSON check. Every buffer has a fixed size, so a
 * body of any length costs bounded memory; decoded bytes past the job's cap are not produced. */
#include "rlbody.h"
#include "../core/lazylib.h"

#include <brotli/decode.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <yajl/yajl_parse.h>
#include <zlib.h>
#include <zstd.h>

/* Every library of the pipeline is loaded by the first body that needs it, once for the process
 * (RLINT_LAZYLIB_SHARED, lib/core/lazylib.h: zlib and YAJL there, brotli, zstd and libcrypto's
 * digests here), so that a body pays a check, not a dlopen and a dlsym per function (that was
 * 8,800 instructions for each digest body). A library that cannot be loaded is
 * RESPLINT_BODY_UNAVAILABLE, with rlint_lazylib_why naming it: the stream stops the input. */
#define ZSTD_FUNCS(X, ...)                                                                        \
    X(ZSTD_createDCtx, __VA_ARGS__) X(ZSTD_freeDCtx, __VA_ARGS__)                                 \
    X(ZSTD_DCtx_setParameter, __VA_ARGS__) X(ZSTD_decompressStream, __VA_ARGS__)                  \
    X(ZSTD_isError, __VA_ARGS__) X(ZSTD_getErrorName, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(zstd_api, ZSTD_FUNCS);
RLINT_LAZYLIB_SHARED(static, zstd_api, zstd_get, ZSTD_FUNCS, RESPLINT_LIBZSTD_SONAME, "libzstd")
#define BROTLI_FUNCS(X, ...)                                                                      \
    X(BrotliDecoderCreateInstance, __VA_ARGS__) X(BrotliDecoderDecompressStream, __VA_ARGS__)     \
    X(BrotliDecoderDestroyInstance, __VA_ARGS__) X(BrotliDecoderErrorString, __VA_ARGS__)         \
    X(BrotliDecoderGetErrorCode, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(brotli_api, BROTLI_FUNCS);
RLINT_LAZYLIB_SHARED(static, brotli_api, brotli_get, BROTLI_FUNCS, RESPLINT_LIBBROTLIDEC_SONAME,
                     "libbrotli")
RLINT_LAZYLIB_SHARED(static, rlint_crypto, digests_get, RLINT_CRYPTO_DIGEST,
                     RESPLINT_LIBCRYPTO_SONAME, "libcrypto")

#define OUT_CHUNK 16384
#define JSON_MAX_DEPTH 4096 /* YAJL keeps a byte per open container: its memory is capped here */
/* Decoded bytes gathered before YAJL reads them: a body arrives in pieces (chunks, reads, TCP
 * segments), and YAJL copies a token cut between two pieces and lexes it again from its start,
 * which for the long strings of JSON bodies doubles the work. Bodies up to this size are read at
 * once. It is memory per body in flight (a capture may have many connections each in the middle
 * of one): half a decoder's output buffer. */
#define JSON_HOLD 8192
/* YAJL's own allocations for a body (its handle, lexer, buffers and stack: five blocks, some
 * 400 bytes) are carved from this many bytes after the hold, freed with it; a block that does
 * not fit (a deep stack, a token cut at the hold's end) comes from libc, as before. */
#define JSON_ARENA 1024

typedef struct decoder {
    resplint_coding kind;
    bool started; /* zlib or raw deflate decided; the stream is set up */
    bool done;    /* the coded stream ended (further input is ignored) */
    bool zinit;
    uint64_t in_off; /* input bytes this decoder has consumed */
    unsigned char pend[2]; /* deflate: first bytes held until zlib or raw can be told */
    unsigned npend;
    const rlint_zlib *zl; /* gzip, deflate: zlib's functions */
    z_stream z;
    const brotli_api *bra;
    BrotliDecoderState *br;
    const zstd_api *zsa;
    ZSTD_DCtx *zs;
    size_t zret; /* zstd: 0 when the last frame is complete */
    unsigned char out[OUT_CHUNK];
} decoder;

typedef struct bpipe {
    unsigned nd;
    decoder *d[RESPLINT_BODY_MAX_CODINGS]; /* d[0] reads the content (the last coding listed) */
    bool stopped; /* decoding stopped: a decoder failed or the cap was reached */
    const rlint_crypto *crypto; /* libcrypto's digests, for a job with a digest stage */
    EVP_MD_CTX *sha256, *sha512;
    /* UTF-8: continuation bytes still due, the range of the next one, where the sequence began */
    unsigned need;
    unsigned char lo, hi;
    uint64_t seq_at;
    bool utf8_bad;
    /* JSON */
    const rlint_yajl *yj; /* YAJL's functions, for a JSON job */
    yajl_handle json;
    unsigned depth;
    bool json_stop;
    bool json_value; /* a byte other than JSON whitespace was seen */
    unsigned char bom[3];
    unsigned nbom;  /* leading bytes held while they may be a BOM */
    bool bom_done;
    uint64_t json_base; /* decoded offset of the chunk YAJL is reading */
    size_t nhold;       /* bytes in hold, the first at decoded offset hold_at */
    uint64_t hold_at;
    unsigned char *arena; /* JSON_ARENA bytes (16-aligned) after the hold, used of them */
    size_t used;
    unsigned char hold[]; /* JSON_HOLD bytes (and the arena) for a JSON job, none for others */
} bpipe;

/* ---- decoded-body stages ---- */

static void utf8_feed(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n,
                      uint64_t base)
{
    size_t i = 0;
    while (i < n) {
        if (p->need == 0) {
            /* ASCII runs, 64 or 16 (SSE2) or eight bytes at a time */
#if defined(__SSE2__)
            while (i + 64 <= n) {
                const __m128i *v = (const __m128i *)(const void *)(s + i);
                __m128i o =
                    _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                 _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
                if (_mm_movemask_epi8(o))
                    break;
                i += 64;
            }
            while (i + 16 <= n &&
                   _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))) == 0)
                i += 16;
            /* the last 16 bytes at once (they overlap the ones just read) */
            if (i < n && n >= 16 && i + 16 > n &&
                _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16))) ==
                    0)
                break;
#endif
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
            unsigned char c = s[i];
            if (c < 0x80) {
                i++;
                continue;
            }
            p->seq_at = base + i;
            p->lo = 0x80;
            p->hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF)
                p->need = 1;
            else if (c == 0xE0)
                { p->need = 2; p->lo = 0xA0; } /* no overlong three-byte forms */
            else if (c == 0xED)
                { p->need = 2; p->hi = 0x9F; } /* no surrogates */
            else if (c >= 0xE1 && c <= 0xEF)
                p->need = 2;
            else if (c == 0xF0)
                { p->need = 3; p->lo = 0x90; }
            else if (c >= 0xF1 && c <= 0xF3)
                p->need = 3;
            else if (c == 0xF4)
                { p->need = 3; p->hi = 0x8F; } /* nothing past U+10FFFF */
            else
                goto bad;
            i++;
            continue;
        }
        unsigned char c = s[i];
        if (c < p->lo || c > p->hi)
            goto bad;
        p->lo = 0x80;
        p->hi = 0xBF;
        p->need--;
        i++;
    }
    return;
bad:
    p->utf8_bad = true;
    job->utf8 = RESPLINT_BODY_BAD;
    job->utf8_at = p->seq_at;
}

static int on_open(void *ctx)
{
    bpipe *p = ctx;
    return ++p->depth <= JSON_MAX_DEPTH;
}

static int on_close(void *ctx)
{
    bpipe *p = ctx;
    p->depth--;
    return 1;
}

/* YAJL's allocator (yajl_alloc_funcs): blocks from the arena carry their size in the 16 bytes
 * before them (realloc copies it), and free leaves them to the handle's end. */
static void *arena_malloc(void *ctx, size_t n)
{
    bpipe *p = ctx;
    size_t need = 16 + (n + 15) / 16 * 16;
    if (n > JSON_ARENA || JSON_ARENA - p->used < need)
        return malloc(n);
    unsigned char *b = p->arena + p->used;
    p->used += need;
    memcpy(b, &n, sizeof n);
    return b + 16;
}

static bool in_arena(const bpipe *p, const void *q)
{
    uintptr_t a = (uintptr_t)p->arena, b = (uintptr_t)q;
    return b >= a && b < a + JSON_ARENA;
}

static void *arena_realloc(void *ctx, void *q, size_t n)
{
    bpipe *p = ctx;
    if (!q)
        return arena_malloc(ctx, n);
    if (!in_arena(p, q))
        return realloc(q, n);
    size_t old;
    memcpy(&old, (unsigned char *)q - 16, sizeof old);
    void *r = arena_malloc(ctx, n);
    if (r)
        memcpy(r, q, old < n ? old : n);
    return r;
}

static void arena_free(void *ctx, void *q)
{
    if (!in_arena(ctx, q))
        free(q);
}

/* Only the nesting is followed (JSON_MAX_DEPTH); without a map key callback YAJL does not
 * decode the escapes of keys either. */
static const yajl_callbacks json_callbacks = {
    NULL, NULL, NULL, NULL, NULL, NULL, on_open, NULL, on_close, on_open, on_close,
};

static void json_error(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n)
{
    if (p->depth > JSON_MAX_DEPTH) {
        job->json = RESPLINT_BODY_LIMIT;
        p->json_stop = true;
        return;
    }
    job->json = RESPLINT_BODY_BAD;
    job->json_at = p->json_base + p->yj->yajl_get_bytes_consumed(p->json);
    unsigned char *msg = p->yj->yajl_get_error(p->json, 0, s, n);
    const char *m = msg ? (const char *)msg : "not a JSON text";
    if (strncmp(m, "parse error: ", 13) == 0)
        m += 13;
    size_t k = strlen(m);
    while (k && (m[k - 1] == '\n' || m[k - 1] == ' '))
        k--;
    if (k >= sizeof job->json_why)
        k = sizeof job->json_why - 1;
    memcpy(job->json_why, m, k);
    job->json_why[k] = '\0';
    if (msg)
        p->yj->yajl_free_error(p->json, msg);
    p->json_stop = true;
}

static void json_chunk(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n,
                       uint64_t base)
{
    if (!p->json_value)
        for (size_t i = 0; i < n; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
                p->json_value = true;
                break;
            }
    p->json_base = base;
    if (p->yj->yajl_parse(p->json, s, n) != yajl_status_ok)
        json_error(p, job, s, n);
}

/* Hands YAJL what hold has gathered. */
static void json_flush(bpipe *p, resplint_body_job *job)
{
    if (p->nhold && !p->json_stop)
        json_chunk(p, job, p->hold, p->nhold, p->hold_at);
    p->nhold = 0;
}

/* Gathers s[0..n) (at decoded offset base) in hold, YAJL reading it when it is full. */
static void json_take(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n,
                      uint64_t base)
{
    while (n && !p->json_stop) {
        if (p->nhold == 0 && n >= JSON_HOLD) {
            json_chunk(p, job, s, n, base); /* as large as hold: read in place */
            return;
        }
        if (p->nhold == 0)
            p->hold_at = base;
        size_t k = JSON_HOLD - p->nhold < n ? JSON_HOLD - p->nhold : n;
        memcpy(p->hold + p->nhold, s, k);
        p->nhold += k;
        s += k;
        n -= k;
        base += k;
        if (p->nhold == JSON_HOLD)
            json_flush(p, job);
    }
}

static void json_feed(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n,
                      uint64_t base)
{
    static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};
    /* RFC 8259 §8.1: parsers MAY ignore a byte order mark; Fetch's UTF-8 decode strips it. */
    while (!p->bom_done && n > 0) {
        if (s[0] != BOM[p->nbom]) {
            p->bom_done = true;
            if (p->nbom)
                json_take(p, job, BOM, p->nbom, 0);
            break;
        }
        p->bom[p->nbom++] = s[0];
        s++;
        n--;
        base++;
        if (p->nbom == 3)
            p->bom_done = true;
    }
    if (n && !p->json_stop)
        json_take(p, job, s, n, base);
}

static void sink(bpipe *p, resplint_body_job *job, const unsigned char *s, size_t n)
{
    if (p->stopped || n == 0)
        return;
    uint64_t room = job->decoded_limit - job->decoded_bytes;
    if (n > room) {
        n = (size_t)room;
        p->stopped = true;
        job->decode = RESPLINT_BODY_LIMIT;
    }
    uint64_t base = job->decoded_bytes;
    job->decoded_bytes += n;
    if ((job->stages & RESPLINT_STAGE_SNIFF) && job->sniff_len < RESPLINT_BODY_SNIFF) {
        size_t k = RESPLINT_BODY_SNIFF - job->sniff_len;
        if (k > n)
            k = n;
        memcpy(job->sniff + job->sniff_len, s, k);
        job->sniff_len += k;
    }
    if ((job->stages & RESPLINT_STAGE_UTF8) && !p->utf8_bad)
        utf8_feed(p, job, s, n, base);
    if (p->json && !p->json_stop)
        json_feed(p, job, s, n, base);
}

/* ---- decoders ---- */

static void push(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s, size_t n);

static void fail(bpipe *p, resplint_body_job *job, unsigned k, uint64_t at, const char *why)
{
    p->stopped = true;
    job->decode = RESPLINT_BODY_BAD;
    job->failed_coding = job->ncodings - 1 - k;
    job->failed_at = at;
    job->decode_why = why;
}

/* deflate is zlib-wrapped (RFC 1950) when its first two bytes are a zlib header, else raw. */
static bool zlib_header(const unsigned char *h)
{
    return (h[0] & 0x0f) == 8 && (h[0] >> 4) <= 7 && ((h[0] << 8) | h[1]) % 31 == 0;
}

static bool start_zlib(bpipe *p, resplint_body_job *job, unsigned k, int window_bits)
{
    decoder *d = p->d[k];
    d->z.zalloc = rlbody_zalloc;
    d->z.zfree = rlbody_zfree;
    if (RLINT_INFLATE_INIT2(d->zl, &d->z, window_bits) != Z_OK) {
        p->stopped = true;
        job->decode = RESPLINT_BODY_ERROR;
        return false;
    }
    d->zinit = true;
    d->started = true;
    return true;
}

static void inflate_some(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s,
                         size_t n)
{
    decoder *d = p->d[k];
    d->z.next_in = (unsigned char *)(uintptr_t)s;
    d->z.avail_in = (uInt)n;
    while (!p->stopped) {
        d->z.next_out = d->out;
        d->z.avail_out = OUT_CHUNK;
        uInt before = d->z.avail_in;
        int rc = d->zl->inflate(&d->z, Z_NO_FLUSH);
        d->in_off += before - d->z.avail_in;
        push(p, job, k + 1, d->out, OUT_CHUNK - d->z.avail_out);
        if (rc == Z_STREAM_END) {
            d->done = true; /* RFC 9110 §8.4.1.3 gzip: bytes after the first member are ignored */
            return;
        }
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            fail(p, job, k, d->in_off,
                 rc == Z_NEED_DICT ? "the zlib stream needs a preset dictionary"
                 : d->z.msg       ? d->z.msg
                                  : "invalid deflate data");
            return;
        }
        if (rc == Z_MEM_ERROR) {
            p->stopped = true;
            job->decode = RESPLINT_BODY_ERROR;
            return;
        }
        if (d->z.avail_in == 0 && d->z.avail_out != 0)
            return; /* all read, all written */
        if (rc == Z_BUF_ERROR && d->z.avail_out != 0)
            return;
    }
}

static void zlib_data(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s,
                      size_t n)
{
    decoder *d = p->d[k];
    if (!d->started) {
        if (d->kind == RESPLINT_CODING_GZIP) {
            if (!start_zlib(p, job, k, 16 + MAX_WBITS))
                return;
        } else {
            while (d->npend < 2 && n) {
                d->pend[d->npend++] = *s++;
                n--;
            }
            if (d->npend < 2)
                return;
            /* RFC 9110 §8.4.1.2: "deflate" is zlib, but some senders send raw deflate, which
             * every browser accepts */
            if (!start_zlib(p, job, k, zlib_header(d->pend) ? MAX_WBITS : -MAX_WBITS))
                return;
            inflate_some(p, job, k, d->pend, 2);
            if (p->stopped || d->done)
                return;
        }
    }
    inflate_some(p, job, k, s, n);
}

static void br_data(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s, size_t n)
{
    decoder *d = p->d[k];
    size_t avail_in = n;
    const uint8_t *next_in = s;
    while (!p->stopped) {
        size_t avail_out = OUT_CHUNK;
        uint8_t *next_out = d->out;
        size_t before = avail_in;
        BrotliDecoderResult r =
            d->bra->BrotliDecoderDecompressStream(d->br, &avail_in, &next_in, &avail_out, &next_out, NULL);
        d->in_off += before - avail_in;
        push(p, job, k + 1, d->out, OUT_CHUNK - avail_out);
        if (r == BROTLI_DECODER_RESULT_SUCCESS) {
            d->done = true;
            return;
        }
        if (r == BROTLI_DECODER_RESULT_ERROR) {
            fail(p, job, k, d->in_off,
                 d->bra->BrotliDecoderErrorString(d->bra->BrotliDecoderGetErrorCode(d->br)));
            return;
        }
        if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
            return;
    }
}

static void zstd_data(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s,
                      size_t n)
{
    decoder *d = p->d[k];
    ZSTD_inBuffer in = {s, n, 0};
    while (!p->stopped) {
        ZSTD_outBuffer out = {d->out, OUT_CHUNK, 0};
        size_t before = in.pos;
        size_t r = d->zsa->ZSTD_decompressStream(d->zs, &out, &in);
        d->in_off += in.pos - before;
        if (d->zsa->ZSTD_isError(r)) {
            fail(p, job, k, d->in_off, d->zsa->ZSTD_getErrorName(r));
            return;
        }
        d->zret = r;
        push(p, job, k + 1, d->out, out.pos);
        if (in.pos == in.size && out.pos < out.size)
            return;
    }
}

static void push(bpipe *p, resplint_body_job *job, unsigned k, const unsigned char *s, size_t n)
{
    if (n == 0 || p->stopped)
        return;
    if (k == p->nd) {
        sink(p, job, s, n);
        return;
    }
    decoder *d = p->d[k];
    if (d->done)
        return;
    switch (d->kind) {
    case RESPLINT_CODING_GZIP:
    case RESPLINT_CODING_DEFLATE:
        zlib_data(p, job, k, s, n);
        break;
    case RESPLINT_CODING_BR:
        br_data(p, job, k, s, n);
        break;
    case RESPLINT_CODING_ZSTD:
        zstd_data(p, job, k, s, n);
        break;
    }
}

/* ---- the ops ---- */

static void *br_alloc(void *opaque, size_t n)
{
    (void)opaque;
    return rlbody_malloc(n);
}

static void br_free(void *opaque, void *q)
{
    (void)opaque;
    rlbody_free(q);
}

static void pipe_free(bpipe *p)
{
    if (!p)
        return;
    for (unsigned k = 0; k < p->nd; k++) {
        decoder *d = p->d[k];
        if (!d)
            continue;
        if (d->zinit)
            d->zl->inflateEnd(&d->z);
        if (d->br)
            d->bra->BrotliDecoderDestroyInstance(d->br);
        if (d->zs)
            d->zsa->ZSTD_freeDCtx(d->zs);
        rlbody_free(d);
    }
    if (p->crypto) {
        p->crypto->EVP_MD_CTX_free(p->sha256);
        p->crypto->EVP_MD_CTX_free(p->sha512);
    }
    if (p->json)
        p->yj->yajl_free(p->json);
    rlbody_free(p);
}

/* What begin found: the stages can run, memory ran out, or a library could not be loaded
 * (rlint_lazylib_why says which). */
typedef enum { BEGIN_OK, BEGIN_NOMEM, BEGIN_NOLIB } begin_rc;

static begin_rc new_decoder(bpipe *p, unsigned k, resplint_coding kind)
{
    /* the output buffer is not zeroed: a decoder writes it before it is read (zeroing its 16 KiB
     * was most of the work of a small gzip body) */
    decoder *d = rlbody_malloc(sizeof *d);
    if (!d)
        return BEGIN_NOMEM;
    memset(d, 0, offsetof(decoder, out));
    p->d[k] = d;
    d->kind = kind;
    if (kind == RESPLINT_CODING_GZIP || kind == RESPLINT_CODING_DEFLATE) {
        d->zl = rlint_zlib_get(kind == RESPLINT_CODING_GZIP ? "a gzip body" : "a deflate body");
        return d->zl ? BEGIN_OK : BEGIN_NOLIB;
    }
    if (kind == RESPLINT_CODING_BR) {
        d->bra = brotli_get("a brotli body");
        if (!d->bra)
            return BEGIN_NOLIB;
        d->br = d->bra->BrotliDecoderCreateInstance(br_alloc, br_free, NULL);
        return d->br ? BEGIN_OK : BEGIN_NOMEM;
    }
    if (kind == RESPLINT_CODING_ZSTD) {
        d->zsa = zstd_get("a zstd body");
        if (!d->zsa)
            return BEGIN_NOLIB;
        d->zs = d->zsa->ZSTD_createDCtx();
        if (!d->zs)
            return BEGIN_NOMEM;
        /* RFC 9659 §2: the "zstd" content coding uses a window of at most 8 MB (2^23): a
         * larger one is refused, as browsers refuse it, and memory stays bounded */
        d->zsa->ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, 23);
        d->zret = 1; /* no frame yet */
    }
    return BEGIN_OK;
}

static bool new_digest(const rlint_crypto *c, EVP_MD_CTX **ctx, const EVP_MD *md)
{
    *ctx = c->EVP_MD_CTX_new();
    return *ctx && c->EVP_DigestInit_ex(*ctx, md, NULL) == 1;
}

/* Every stage asked for: the pipeline could not run it (r: ERROR or UNAVAILABLE). */
static void job_error(resplint_body_job *job, resplint_body_result r)
{
    if (job->stages & RESPLINT_STAGE_DECODE)
        job->decode = r;
    if (job->stages & (RESPLINT_STAGE_SHA256 | RESPLINT_STAGE_SHA512))
        job->sha = r;
    if (job->stages & RESPLINT_STAGE_UTF8)
        job->utf8 = r;
    if (job->stages & RESPLINT_STAGE_JSON)
        job->json = r;
}

static void *body_begin(resplint_body_job *job)
{
    /* the hold and the arena are not zeroed: they are written before they are read */
    size_t hold = (job->stages & RESPLINT_STAGE_JSON) ? JSON_HOLD + JSON_ARENA + 15 : 0;
    bpipe *p = rlbody_malloc(sizeof *p + hold);
    if (!p) {
        job_error(job, RESPLINT_BODY_ERROR);
        return NULL;
    }
    memset(p, 0, sizeof *p);
    begin_rc rc = BEGIN_OK;
    if (job->stages & RESPLINT_STAGE_DECODE) {
        p->nd = job->ncodings;
        for (unsigned k = 0; k < p->nd && rc == BEGIN_OK; k++)
            rc = new_decoder(p, k, job->codings[job->ncodings - 1 - k]);
    }
    if (rc == BEGIN_OK && (job->stages & (RESPLINT_STAGE_SHA256 | RESPLINT_STAGE_SHA512))) {
        p->crypto = digests_get("a digest field");
        if (!p->crypto)
            rc = BEGIN_NOLIB;
    }
    if (rc == BEGIN_OK && (job->stages & RESPLINT_STAGE_SHA256) &&
        !new_digest(p->crypto, &p->sha256, p->crypto->EVP_sha256()))
        rc = BEGIN_NOMEM;
    if (rc == BEGIN_OK && (job->stages & RESPLINT_STAGE_SHA512) &&
        !new_digest(p->crypto, &p->sha512, p->crypto->EVP_sha512()))
        rc = BEGIN_NOMEM;
    if (rc == BEGIN_OK && (job->stages & RESPLINT_STAGE_JSON)) {
        p->yj = rlint_yajl_get("a JSON body");
        if (!p->yj) {
            rc = BEGIN_NOLIB;
        } else {
            p->arena = p->hold + JSON_HOLD + (16 - (uintptr_t)(p->hold + JSON_HOLD) % 16) % 16;
            yajl_alloc_funcs af = {arena_malloc, arena_realloc, arena_free, p};
            p->json = p->yj->yajl_alloc(&json_callbacks, &af, p);
            if (!p->json)
                rc = BEGIN_NOMEM;
            else /* bytes >= 0x80 inside strings are RL7007's business, not the JSON check's */
                p->yj->yajl_config(p->json, yajl_dont_validate_strings, 1);
        }
    }
    if (rc != BEGIN_OK) {
        pipe_free(p);
        job_error(job, rc == BEGIN_NOLIB ? RESPLINT_BODY_UNAVAILABLE : RESPLINT_BODY_ERROR);
        return NULL;
    }
    return p;
}

static void body_data(void *handle, resplint_body_job *job, const void *data, size_t n)
{
    bpipe *p = handle;
    if (!p || n == 0)
        return;
    if (p->sha256)
        p->crypto->EVP_DigestUpdate(p->sha256, data, n);
    if (p->sha512)
        p->crypto->EVP_DigestUpdate(p->sha512, data, n);
    if (job->stages & ~(unsigned)(RESPLINT_STAGE_SHA256 | RESPLINT_STAGE_SHA512))
        push(p, job, 0, data, n);
}

/* The decoders, in order, once all the content has gone through: which one did not reach the
 * end of its stream. */
static void decoders_end(bpipe *p, resplint_body_job *job)
{
    for (unsigned k = 0; k < p->nd && !p->stopped; k++) {
        decoder *d = p->d[k];
        if (d->kind == RESPLINT_CODING_ZSTD) {
            if (d->zret != 0)
                fail(p, job, k, d->in_off, "the zstd frame is incomplete");
        } else if (!d->done) {
            fail(p, job, k, d->in_off,
                 d->kind == RESPLINT_CODING_GZIP ? "the gzip member ends before its trailer"
                 : d->kind == RESPLINT_CODING_BR ? "the brotli stream ends before its last block"
                                                 : "the deflate stream ends before its last block");
        }
    }
}

static void body_end(void *handle, resplint_body_job *job)
{
    bpipe *p = handle;
    if (!p)
        return;
    if (p->sha256 && p->crypto->EVP_DigestFinal_ex(p->sha256, job->sha256, NULL) != 1)
        job->sha = RESPLINT_BODY_ERROR;
    if (p->sha512 && p->crypto->EVP_DigestFinal_ex(p->sha512, job->sha512, NULL) != 1)
        job->sha = RESPLINT_BODY_ERROR;
    if ((p->sha256 || p->sha512) && job->sha == RESPLINT_BODY_NOT_RUN)
        job->sha = RESPLINT_BODY_OK;
    decoders_end(p, job);
    if (job->decode == RESPLINT_BODY_NOT_RUN)
        job->decode = RESPLINT_BODY_OK;
    if (job->decode == RESPLINT_BODY_OK) {
        if ((job->stages & RESPLINT_STAGE_UTF8) && !p->utf8_bad) {
            if (p->need) {
                job->utf8 = RESPLINT_BODY_BAD;
                job->utf8_at = p->seq_at;
            } else {
                job->utf8 = RESPLINT_BODY_OK;
            }
        }
        if (p->json && !p->json_stop) {
            if (!p->bom_done && p->nbom) /* a body that is a prefix of a BOM */
                json_take(p, job, p->bom, p->nbom, 0);
            json_flush(p, job);
            if (!p->json_stop) {
                p->json_base = job->decoded_bytes;
                if (p->yj->yajl_complete_parse(p->json) != yajl_status_ok)
                    json_error(p, job, NULL, 0);
                else if (!p->json_value && job->decoded_bytes > p->nbom) {
                    job->json = RESPLINT_BODY_BAD;
                    job->json_at = 0;
                    snprintf(job->json_why, sizeof job->json_why, "only whitespace, no value");
                } else
                    job->json = RESPLINT_BODY_OK;
            }
        }
    } else {
        job->utf8 = job->utf8 == RESPLINT_BODY_ERROR ? job->utf8 : RESPLINT_BODY_NOT_RUN;
        job->json = job->json == RESPLINT_BODY_ERROR ? job->json : RESPLINT_BODY_NOT_RUN;
    }
    pipe_free(p);
}

static void body_abort(void *handle) { pipe_free(handle); }

static const resplint_body_ops ops = {body_begin, body_data, body_end, body_abort};

const resplint_body_ops *resplint_body_pipeline(void) { return &ops; }
