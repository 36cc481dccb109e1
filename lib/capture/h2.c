/* HTTP/2 frames of a captured connection (h2.h): the frame layer is the project's, HPACK is
 * nghttp2's inflater, and the rules only frames can tell (RL8001-RL8009) are judged here. */
#include "h2.h"
#include "../core/lazylib.h"
#include "../core/text.h"
#include "rlcap_alloc.h"

#include <nghttp2/nghttp2.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FRAME_MAX (1u << 20)       /* bytes of a HEADERS/PUSH_PROMISE/CONTINUATION payload kept */
#define BLOCK_MAX (1u << 20)       /* bytes of one field block (HEADERS + CONTINUATION) */
#define FIELDS_MAX 1000            /* fields of one decoded block */
#define DECODED_MAX (1u << 20)     /* bytes of one decoded block's names and values */
#define TABLE_SIZE_MAX (1u << 20)  /* SETTINGS_HEADER_TABLE_SIZE a decoder accepts */
#define STREAMS_MAX 4096           /* streams whose request and state are remembered */
#define PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

/* nghttp2 is loaded for the first HTTP/2 connection (lib/core/lazylib.h) */
#define NGHTTP2_FUNCS(X, ...)                                                                     \
    X(nghttp2_hd_inflate_new, __VA_ARGS__) X(nghttp2_hd_inflate_del, __VA_ARGS__)                 \
    X(nghttp2_hd_inflate_hd2, __VA_ARGS__) X(nghttp2_hd_inflate_end_headers, __VA_ARGS__)         \
    X(nghttp2_hd_inflate_change_table_size, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(nghttp2_api, NGHTTP2_FUNCS);

enum { T_DATA, T_HEADERS, T_PRIORITY, T_RST, T_SETTINGS, T_PUSH, T_PING, T_GOAWAY, T_WINDOW,
       T_CONTINUATION };
enum { F_END_STREAM = 0x1, F_END_HEADERS = 0x4, F_PADDED = 0x8, F_PRIORITY = 0x20 };

typedef struct h2_stream {
    uint32_t id;
    bool used;
    bool final_seen;    /* a final (non-1xx) response block came */
    bool reset;
    bool head;          /* the request was HEAD */
    int status;         /* the final response's */
    int64_t content_length; /* its single content-length, -1 none or not 1*DIGIT or several */
    uint64_t data;      /* DATA payload bytes without padding */
    size_t index;       /* its final response's index */
    char method[16];
    char *url;          /* allocated, NULL */
} h2_stream;

typedef struct h2_dir {
    unsigned char hdr[9];
    size_t hdr_len;
    uint32_t len;       /* the current frame's payload length */
    unsigned type, flags;
    uint32_t sid;
    uint32_t got;       /* payload bytes of the current frame seen */
    unsigned char *buf; /* the current frame's payload when it is kept (FRAME_MAX) */
    bool keep;          /* the current frame's payload is kept */
    unsigned pad_left;  /* DATA: padding bytes at the end of the payload */
    bool pad_known;
    size_t preface_left; /* client: preface bytes still to skip */
    bool stopped;
    /* the field block being assembled */
    unsigned char *block;
    size_t block_len;
    bool in_block;
    uint32_t block_sid;
    bool block_push;     /* a PUSH_PROMISE's block: a request */
    uint32_t promised;
    bool block_end_stream;
    nghttp2_hd_inflater *hpack;
} h2_dir;

struct rlcap_h2 {
    nghttp2_api ng;
    rlcap_h2_sink sink;
    h2_dir d[2];
    h2_stream streams[STREAMS_MAX];
    size_t next_index;
    bool streams_full_said;
    resplint_field fields[FIELDS_MAX];
    char *decoded; /* DECODED_MAX */
};

bool rlcap_h2_preface(const unsigned char *p, size_t n)
{
    size_t k = n < sizeof PREFACE - 1 ? n : sizeof PREFACE - 1;
    return n >= 3 && memcmp(p, PREFACE, k) == 0;
}

rlcap_h2 *rlcap_h2_new(const rlcap_h2_sink *sink, char *err, size_t errlen)
{
    if (errlen)
        err[0] = 0;
    rlcap_h2 *h = rlcap_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->sink = *sink;
    h->d[0].preface_left = sizeof PREFACE - 1;
    if (!RLINT_LAZYLIB_LOAD(NGHTTP2_FUNCS, &h->ng, RESPLINT_LIBNGHTTP2_SONAME, err, errlen)) {
        rlcap_h2_free(h);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        if (h->ng.nghttp2_hd_inflate_new(&h->d[i].hpack) != 0) {
            rlcap_h2_free(h);
            return NULL;
        }
    }
    return h;
}

void rlcap_h2_free(rlcap_h2 *h)
{
    if (!h)
        return;
    for (int i = 0; i < 2; i++) {
        if (h->d[i].hpack)
            h->ng.nghttp2_hd_inflate_del(h->d[i].hpack);
        rlcap_free(h->d[i].buf);
        rlcap_free(h->d[i].block);
    }
    for (size_t i = 0; i < STREAMS_MAX; i++)
        rlcap_free(h->streams[i].url);
    rlcap_free(h->decoded);
    rlint_lazylib_close(h->ng.lib);
    rlcap_free(h);
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void fault(rlcap_h2 *h, const char *rule, uint32_t sid, uint64_t frame, size_t index,
                  const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (h->sink.fault)
        h->sink.fault(h->sink.user, rule, sid, frame, index, msg);
}

static void stop(rlcap_h2 *h, int dir, uint64_t frame, const char *why)
{
    if (h->d[dir].stopped)
        return;
    h->d[dir].stopped = true;
    fault(h, "RL9004", 0, frame, h->next_index,
          "HTTP/2 %s frames: %s; the rest of this direction is not checked",
          dir ? "server" : "client", why);
}

static void nomem(rlcap_h2 *h, int dir, uint64_t frame)
{
    if (!h->sink.nomem) {
        stop(h, dir, frame, "out of memory");
        return;
    }
    h->d[dir].stopped = true;
    h->sink.nomem(h->sink.user, frame);
}

/* The remembered state of stream id (created when create), NULL past the cap. */
static h2_stream *stream_of(rlcap_h2 *h, uint32_t id, bool create, uint64_t frame)
{
    size_t i = (id * 2654435761u) % STREAMS_MAX;
    for (size_t k = 0; k < STREAMS_MAX; k++, i = (i + 1) % STREAMS_MAX) {
        h2_stream *s = &h->streams[i];
        if (s->used && s->id == id)
            return s;
        if (!s->used) {
            if (!create)
                return NULL;
            memset(s, 0, sizeof *s);
            s->used = true;
            s->id = id;
            s->content_length = -1;
            return s;
        }
    }
    if (create && !h->streams_full_said) {
        h->streams_full_said = true;
        fault(h, "RL9004", id, frame, h->next_index,
              "more than %d HTTP/2 streams open at once: later streams are read without their "
              "request",
              STREAMS_MAX);
    }
    return NULL;
}

static void stream_done(h2_stream *s)
{
    rlcap_free(s->url);
    memset(s, 0, sizeof *s);
}

static bool is_digits(const char *p, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static bool name_is(const char *n, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(n, want, len) == 0;
}

/* A request block (client HEADERS, or a server PUSH_PROMISE's): method and URL of the stream. */
static void request_block(rlcap_h2 *h, uint32_t sid, size_t nf, uint64_t frame)
{
    h2_stream *s = stream_of(h, sid, true, frame);
    if (!s)
        return;
    const char *scheme = NULL, *auth = NULL, *path = NULL;
    size_t sl = 0, al = 0, pl = 0;
    for (size_t i = 0; i < nf; i++) {
        const resplint_field *f = &h->fields[i];
        if (name_is(f->name, f->name_len, ":method") && f->value_len < sizeof s->method) {
            memcpy(s->method, f->value, f->value_len);
            s->method[f->value_len] = '\0';
            s->head = strcmp(s->method, "HEAD") == 0;
        } else if (name_is(f->name, f->name_len, ":scheme")) {
            scheme = f->value, sl = f->value_len;
        } else if (name_is(f->name, f->name_len, ":authority")) {
            auth = f->value, al = f->value_len;
        } else if (name_is(f->name, f->name_len, ":path")) {
            path = f->value, pl = f->value_len;
        } else if (!auth && name_is(f->name, f->name_len, "host")) {
            auth = f->value, al = f->value_len;
        }
    }
    if (auth && path && sl + al + pl < 8192) {
        rlcap_free(s->url);
        s->url = rlcap_malloc(sl + al + pl + 4);
        if (s->url)
            snprintf(s->url, sl + al + pl + 4, "%.*s%s//%.*s%.*s", (int)sl, scheme ? scheme : "",
                     scheme ? ":" : "", (int)al, auth, (int)pl, path);
    }
}

/* RL8001, RL8002, RL8004, RL8005, RL8007 and :status (RL8003, RL8009) of a response block. */
static int judge_response(rlcap_h2 *h, uint32_t sid, size_t nf, bool trailers, uint64_t frame,
                          size_t index)
{
    int status = -1;
    int statuses = 0;
    bool regular_seen = false, pseudo_after = false;
    for (size_t i = 0; i < nf; i++) {
        const resplint_field *f = &h->fields[i];
        const char *n = f->name;
        size_t nl = f->name_len;
        bool pseudo = nl && n[0] == ':';
        if (pseudo) {
            if (regular_seen && !pseudo_after) {
                pseudo_after = true;
                fault(h, "RL8004", sid, frame, index,
                      "the pseudo-header field %.*s comes after a regular field; RFC 9113 §8.3: "
                      "all pseudo-header fields MUST appear before all regular field lines "
                      "(the response is malformed)",
                      (int)(nl > 40 ? 40 : nl), n);
            }
            if (trailers) {
                fault(h, "RL8005", sid, frame, index,
                      "the pseudo-header field %.*s in a trailer section; RFC 9113 §8.3: "
                      "pseudo-header fields MUST NOT appear in a trailer section",
                      (int)(nl > 40 ? 40 : nl), n);
            } else if (name_is(n, nl, ":status")) {
                statuses++;
                if (f->value_len == 3 && is_digits(f->value, 3))
                    status = (f->value[0] - '0') * 100 + (f->value[1] - '0') * 10 +
                             (f->value[2] - '0');
            } else {
                fault(h, "RL8005", sid, frame, index,
                      "the pseudo-header field %.*s in a response; RFC 9113 §8.3: pseudo-header "
                      "fields defined for requests MUST NOT appear in responses, and undefined "
                      "ones MUST NOT be generated",
                      (int)(nl > 40 ? 40 : nl), n);
            }
            continue;
        }
        regular_seen = true;
        bool upper = false, bad = nl == 0;
        for (size_t k = 0; k < nl; k++) {
            unsigned char c = (unsigned char)n[k];
            if (c >= 'A' && c <= 'Z')
                upper = true;
            else if (c <= 0x20 || c >= 0x7f || c == ':')
                bad = true;
        }
        if (upper)
            fault(h, "RL8001", sid, frame, index,
                  "the field name \"%.*s\" has upper-case letters; RFC 9113 §8.2: field names "
                  "MUST be converted to lowercase, and a response with upper-case names is "
                  "malformed (clients such as nghttp2 reset the stream)",
                  (int)(nl > 60 ? 60 : nl), n);
        const char *v = f->value;
        size_t vl = f->value_len;
        bool vbad = false;
        for (size_t k = 0; k < vl; k++)
            if (v[k] == 0 || v[k] == '\r' || v[k] == '\n')
                vbad = true;
        bool blank = vl && (v[0] == ' ' || v[0] == '\t' || v[vl - 1] == ' ' || v[vl - 1] == '\t');
        if (bad || vbad || blank)
            fault(h, "RL8002", sid, frame, index,
                  "the field %s%.*s%s %s; RFC 9113 §8.2.1: such a field makes the response "
                  "malformed",
                  nl ? "\"" : "", (int)(nl > 60 ? 60 : nl), n, nl ? "\"" : "(empty name)",
                  bad ? "has a name with a character outside visible ASCII (or a colon)"
                  : vbad ? "has NUL, CR or LF in its value"
                         : "has a value starting or ending with a space or tab");
        if (name_is(n, nl, "te") && !rlint_ieq(v, vl, "trailers"))
            fault(h, "RL8007", sid, frame, index,
                  "te: %.*s in a response; RFC 9113 §8.2.2: TE MUST NOT contain any value "
                  "other than \"trailers\"",
                  (int)(vl > 60 ? 60 : vl), v);
    }
    if (!trailers) {
        if (statuses != 1 || status < 0)
            fault(h, "RL8003", sid, frame, index,
                  "%s; RFC 9113 §8.3.2: :status MUST be included in all responses, exactly once, "
                  "as three digits (otherwise the response is malformed)",
                  statuses == 0   ? "a response field block without :status"
                  : statuses > 1 ? "a response field block with several :status"
                                  : "a :status that is not three digits");
        if (statuses != 1)
            status = -1;
        if (status == 101)
            fault(h, "RL8009", sid, frame, index,
                  ":status 101 in HTTP/2; RFC 9113 §8.6: HTTP/2 does not support the 101 "
                  "(Switching Protocols) informational status code");
    }
    return status;
}

/* A whole field block of direction dir: decoded, then judged and handed on. */
static void field_block(rlcap_h2 *h, int dir, uint64_t frame)
{
    h2_dir *d = &h->d[dir];
    if (!h->decoded && !(h->decoded = rlcap_malloc(DECODED_MAX))) {
        nomem(h, dir, frame);
        return;
    }
    size_t nf = 0, used = 0;
    const uint8_t *in = d->block;
    size_t left = d->block_len;
    bool overflow = false;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = h->ng.nghttp2_hd_inflate_hd2(d->hpack, &nv, &flags, in, left, 1);
        if (rv < 0) {
            stop(h, dir, frame, "a field block that HPACK cannot decode (the decoder's table is "
                                "lost: the capture may have begun after the connection)");
            return;
        }
        in += rv;
        left -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            if (nf < FIELDS_MAX && used + nv.namelen + nv.valuelen <= DECODED_MAX) {
                memcpy(h->decoded + used, nv.name, nv.namelen);
                memcpy(h->decoded + used + nv.namelen, nv.value, nv.valuelen);
                h->fields[nf] = (resplint_field){h->decoded + used, nv.namelen,
                                                 h->decoded + used + nv.namelen, nv.valuelen,
                                                 RESPLINT_NO_OFFSET, 0};
                used += nv.namelen + nv.valuelen;
                nf++;
            } else {
                overflow = true;
            }
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            h->ng.nghttp2_hd_inflate_end_headers(d->hpack);
            break;
        }
        if (rv == 0 && left == 0)
            break;
    }
    if (overflow)
        fault(h, "RL9004", d->block_sid, frame, h->next_index,
              "a field block with more than %d fields or %u bytes: the rest is not checked",
              FIELDS_MAX, DECODED_MAX);
    if (dir == 0) { /* the client's request */
        request_block(h, d->block_sid, nf, frame);
        return;
    }
    if (d->block_push) { /* a promised request, in the server's HPACK context */
        request_block(h, d->promised, nf, frame);
        return;
    }
    h2_stream *s = stream_of(h, d->block_sid, true, frame);
    bool trailers = s && s->final_seen;
    size_t index = trailers ? s->index : h->next_index;
    int status = judge_response(h, d->block_sid, nf, trailers, frame, index);
    if (!trailers) {
        h->next_index++;
        if (status >= 100 && status < 200 && d->block_end_stream)
            fault(h, "RL8008", d->block_sid, frame, index,
                  "the HEADERS frame of a %d response has END_STREAM; RFC 9113 §8.1: such a "
                  "frame carrying an informational status code is malformed",
                  status);
        if (s && (status < 100 || status >= 200)) {
            s->final_seen = true;
            s->status = status;
            s->index = index;
            int cls = 0;
            for (size_t i = 0; i < nf; i++) {
                const resplint_field *f = &h->fields[i];
                if (!name_is(f->name, f->name_len, "content-length"))
                    continue;
                int64_t v = -1;
                if (is_digits(f->value, f->value_len) && f->value_len < 18) {
                    v = 0;
                    for (size_t k = 0; k < f->value_len; k++)
                        v = v * 10 + (f->value[k] - '0');
                }
                s->content_length = cls++ ? -1 : v;
            }
        }
    }
    /* the regular fields go to the rules */
    size_t nreg = 0;
    for (size_t i = 0; i < nf; i++)
        if (!(h->fields[i].name_len && h->fields[i].name[0] == ':'))
            h->fields[nreg++] = h->fields[i];
    rlcap_h2_block b = {
        .stream = d->block_sid,
        .frame = frame,
        .index = index,
        .status = status,
        .trailers = trailers,
        .end_stream = d->block_end_stream,
        .fields = h->fields,
        .field_count = nreg,
        .method = s && s->method[0] ? s->method : NULL,
        .url = s ? s->url : NULL,
    };
    if (h->sink.block)
        h->sink.block(h->sink.user, &b);
}

/* END_STREAM from the server on stream sid: RL8006. */
static void stream_ended(rlcap_h2 *h, uint32_t sid, uint64_t frame)
{
    h2_stream *s = stream_of(h, sid, false, frame);
    if (!s)
        return;
    if (s->final_seen && !s->reset && !s->head && s->status != 204 && s->status != 304 &&
        s->content_length >= 0 && (uint64_t)s->content_length != s->data)
        fault(h, "RL8006", sid, frame, s->index,
              "content-length: %lld, but the stream's DATA frames carried %llu bytes; RFC 9113 "
              "§8.1.1: such a response is malformed (a client treats it as a stream error)",
              (long long)s->content_length, (unsigned long long)s->data);
    stream_done(s);
}

/* A whole frame (its payload kept when it is a field-block frame). */
static void frame_done(rlcap_h2 *h, int dir, uint64_t frame)
{
    h2_dir *d = &h->d[dir];
    unsigned char *p = d->buf;
    uint32_t n = d->len;
    if (d->in_block && d->type != T_CONTINUATION) {
        stop(h, dir, frame, "a field block not continued by CONTINUATION (RFC 9113 §6.10)");
        return;
    }
    switch (d->type) {
    case T_HEADERS:
    case T_PUSH: {
        uint32_t off = 0, pad = 0;
        if (d->flags & F_PADDED) {
            if (n < 1)
                return;
            pad = p[0];
            off = 1;
        }
        if (d->type == T_HEADERS && (d->flags & F_PRIORITY))
            off += 5;
        d->block_push = d->type == T_PUSH;
        if (d->block_push) {
            if (off + 4 > n)
                return;
            d->promised = ((uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
                           (uint32_t)p[off + 2] << 8 | p[off + 3]) & 0x7fffffffu;
            off += 4;
        }
        if (off + pad > n)
            return;
        d->block_len = 0;
        d->block_sid = d->sid;
        d->block_end_stream = d->type == T_HEADERS && (d->flags & F_END_STREAM);
        d->in_block = true;
        n -= pad;
        p += off;
        n -= off;
    } /* fall through: the fragment */
    /* FALLTHROUGH */
    case T_CONTINUATION:
        if (!d->in_block)
            return;
        if (d->block_len + n > BLOCK_MAX) {
            stop(h, dir, frame, "a field block larger than 1 MiB (a CONTINUATION flood?)");
            return;
        }
        if (!d->block && !(d->block = rlcap_malloc(BLOCK_MAX))) {
            nomem(h, dir, frame);
            return;
        }
        memcpy(d->block + d->block_len, p, n);
        d->block_len += n;
        if (d->flags & F_END_HEADERS) {
            d->in_block = false;
            field_block(h, dir, frame);
            if (dir == 1 && d->block_end_stream && !d->block_push)
                stream_ended(h, d->block_sid, frame);
        }
        break;
    case T_RST: {
        h2_stream *s = stream_of(h, d->sid, false, frame);
        if (s)
            stream_done(s); /* reset: its length is not judged */
        break;
    }
    case T_SETTINGS:
        /* a peer's SETTINGS_HEADER_TABLE_SIZE bounds the other side's encoder table, which
         * this side's decoder follows */
        if (!(d->flags & 0x1)) {
            for (uint32_t i = 0; i + 6 <= n; i += 6) {
                unsigned id = (unsigned)p[i] << 8 | p[i + 1];
                uint32_t v = (uint32_t)p[i + 2] << 24 | (uint32_t)p[i + 3] << 16 |
                             (uint32_t)p[i + 4] << 8 | p[i + 5];
                if (id != 1)
                    continue;
                if (v > TABLE_SIZE_MAX) {
                    stop(h, 1 - dir, frame, "a SETTINGS_HEADER_TABLE_SIZE over 1 MiB");
                    return;
                }
                h->ng.nghttp2_hd_inflate_change_table_size(h->d[1 - dir].hpack, v);
            }
        }
        break;
    default:
        break;
    }
}

static bool keeps_payload(unsigned type)
{
    return type == T_HEADERS || type == T_PUSH || type == T_CONTINUATION || type == T_SETTINGS ||
           type == T_RST;
}

void rlcap_h2_feed(rlcap_h2 *h, int dir, const unsigned char *p, size_t n, uint64_t frame)
{
    h2_dir *d = &h->d[dir];
    if (dir == 0 && d->preface_left) {
        size_t k = n < d->preface_left ? n : d->preface_left;
        p += k;
        n -= k;
        d->preface_left -= k;
    }
    while (n && !d->stopped) {
        if (d->hdr_len < 9) {
            size_t k = 9 - d->hdr_len < n ? 9 - d->hdr_len : n;
            memcpy(d->hdr + d->hdr_len, p, k);
            d->hdr_len += k;
            p += k;
            n -= k;
            if (d->hdr_len < 9)
                return;
            d->len = (uint32_t)d->hdr[0] << 16 | (uint32_t)d->hdr[1] << 8 | d->hdr[2];
            d->type = d->hdr[3];
            d->flags = d->hdr[4];
            d->sid = ((uint32_t)d->hdr[5] << 24 | (uint32_t)d->hdr[6] << 16 |
                      (uint32_t)d->hdr[7] << 8 | d->hdr[8]) & 0x7fffffffu;
            d->got = 0;
            d->pad_known = false;
            d->pad_left = 0;
            d->keep = keeps_payload(d->type);
            if (d->keep && d->len > FRAME_MAX) {
                stop(h, dir, frame, "a frame larger than 1 MiB");
                return;
            }
            if (d->keep && !d->buf && !(d->buf = rlcap_malloc(FRAME_MAX))) {
                nomem(h, dir, frame);
                return;
            }
        }
        uint32_t want = d->len - d->got;
        uint32_t k = want < n ? want : (uint32_t)n;
        if (d->keep) {
            memcpy(d->buf + d->got, p, k);
        } else if (d->type == T_DATA && dir == 1 && k) {
            /* DATA: counted, not kept; the padding (length byte and pad bytes) is not content */
            uint32_t from = 0;
            if ((d->flags & F_PADDED) && d->got == 0) {
                d->pad_left = p[0];
                d->pad_known = true;
                from = 1;
            }
            uint32_t pos = d->got + from; /* payload offset of p[from] */
            uint32_t content_end = d->len - ((d->flags & F_PADDED) ? d->pad_left : 0);
            uint32_t end = d->got + k;
            if (end > content_end)
                end = content_end;
            h2_stream *s = end > pos ? stream_of(h, d->sid, false, frame) : NULL;
            if (s)
                s->data += end - pos;
        }
        d->got += k;
        p += k;
        n -= k;
        if (d->got == d->len) {
            if (d->keep)
                frame_done(h, dir, frame);
            else if (d->type == T_DATA && dir == 1 && (d->flags & F_END_STREAM))
                stream_ended(h, d->sid, frame);
            d->hdr_len = 0;
        }
    }
}

void rlcap_h2_gap(rlcap_h2 *h, int dir)
{
    h->d[dir].stopped = true;
}
