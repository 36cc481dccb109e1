/* The pcap/pcapng reader: libpcap reads the file (plain or gzip'd), pcap_decode.c decodes the
 * frames, tcp_reassembly.c orders each direction, and this file puts IP fragments back together,
 * tracks connections the way Wireshark numbers tcp.stream, recognises HTTP by content, pairs
 * requests with responses and maps every response back to the frame of its first byte. */
#define _GNU_SOURCE /* fopencookie: libpcap reads a FILE*, and we feed it peeked or gzip'd bytes */
#include "../core/lazylib.h"
#include "../core/text.h"
#include "feed.h"
#include "h2.h"
#include "tls.h"
#include "pcap_internal.h"
#include "rlcap_alloc.h"
#include "resplint/body.h"
#include "reader.h"

#include <errno.h>
#include <llhttp.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <zlib.h>

#define PROBE_MAX 8192       /* bytes of each direction examined to recognise HTTP */
#define GAP_REPORTS_MAX 8    /* RL9002 findings per connection before they are summarised */
#define EVICTED_REPORTED 8 /* connections closed at the flows limit reported one by one */
#define GLOBAL_BUFFER_FLOWS 64 /* all connections together hold at most 64 x FLOW_BUFFER (out of
                                  order) and 64 x the larger of it and HEAD_BYTES (everything) */
#define INDEX_MAX 4096       /* offset-to-frame marks kept per direction */
#define FRAG_SLOTS 64        /* IP datagrams being reassembled at once */
#define FRAG_MAX 65536       /* bytes of one IP datagram's payload */
#define PLACES 65536         /* frames whose place in the file is remembered */

/* ---- input: the reader's bytes (peeked first), optionally gunzipped, as a FILE* ---- */

typedef struct source {
    rlcap_reader *r;
    bool gz;
    bool eof;
    uint64_t pos; /* bytes of the file handed to libpcap's stdio buffer (plain files) */
    const rlint_zlib *zl; /* gz: zlib's functions (lib/core/lazylib.h) */
    z_stream z;
    unsigned char in[65536];
    /* libpcap's FILE buffer: 64 KiB asked of the file at a time (stdio's 8 KiB for a cookie
     * stream made 25,700 reads of a 200 MB capture, per --jobs shard) */
    char io[65536];
    const uint64_t *frame; /* the frames read so far (NULL while the file header is read) */
    /* pcapng blocks seen in the bytes handed to libpcap: the TLS key logs of Decryption
     * Secrets Blocks (editcap --inject-secrets) go to keys */
    rlcap_keylog *keys;
    /* the shared reading's producer (keys NULL): the key log bytes go to the feed instead, as
     * records between the frames, where each shard adds them to its own key log */
    resplint_capture_feed *feed;
    bool section_seen;      /* the first block (a section header) has been read */
    bool not_ng;            /* a pcap file: no blocks */
    bool big_endian;        /* the current section's byte order */
    unsigned char hdr[12];  /* the first 12 bytes of the current block */
    size_t hdr_len;
    uint64_t rest;          /* bytes of the current block still to come after hdr */
    bool dsb;               /* the current block is a DSB whose secrets are a TLS key log */
    uint64_t dsb_left;      /* its secret bytes still to come */
    size_t dsb_secrets;     /* DSB secret bytes taken so far (capped) */
    bool dsb_take;          /* the current DSB's secrets fit under the cap: they are taken */
    uint64_t dsb_dropped;   /* secret bytes of DSBs that did not fit (said once, at the end) */
} source;

#define DSB_MAX (16u << 20) /* key log bytes taken from Decryption Secrets Blocks, in all */

static uint32_t ng32(const source *s, const unsigned char *p)
{
    return s->big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                         : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Follows the pcapng block structure of the bytes libpcap reads, taking the TLS key logs of
 * Decryption Secrets Blocks (type 0x0A, secrets type 'TLSK'). libpcap reads ahead, so a
 * block's secrets are known before the packets after it are dissected. */
static void track_blocks(source *s, const unsigned char *p, size_t n)
{
    if (s->not_ng || (!s->keys && !s->feed))
        return;
    while (n) {
        if (s->rest == 0 && s->hdr_len < 12) {
            size_t take = 12 - s->hdr_len < n ? 12 - s->hdr_len : n;
            memcpy(s->hdr + s->hdr_len, p, take);
            s->hdr_len += take;
            p += take;
            n -= take;
            if (s->hdr_len < 12)
                return;
            static const unsigned char shb[4] = {0x0a, 0x0d, 0x0d, 0x0a};
            if (!s->section_seen && memcmp(s->hdr, shb, 4) != 0) {
                s->not_ng = true;
                return;
            }
            if (memcmp(s->hdr, shb, 4) == 0) /* a section: its byte order */
                s->big_endian = s->hdr[8] == 0x1a;
            uint32_t type = ng32(s, s->hdr), len = ng32(s, s->hdr + 4);
            if (len < 12 || len % 4) {
                s->not_ng = true; /* libpcap will say what is wrong with the file */
                return;
            }
            s->rest = len - 12;
            s->dsb = type == 0x0000000A && ng32(s, s->hdr + 8) == 0x544c534b;
            s->dsb_left = 0;
            s->hdr_len = s->rest ? 12 : 0;
            if (s->dsb)
                s->hdr_len = 8; /* the DSB's secrets length follows: read 4 more bytes */
            s->section_seen = true;
            continue;
        }
        if (s->dsb && s->hdr_len < 12) { /* the secrets length */
            size_t take = 12 - s->hdr_len < n ? 12 - s->hdr_len : n;
            memcpy(s->hdr + s->hdr_len, p, take);
            s->hdr_len += take;
            s->rest -= take;
            p += take;
            n -= take;
            if (s->hdr_len == 12) {
                s->dsb_left = ng32(s, s->hdr + 8) < s->rest ? ng32(s, s->hdr + 8) : s->rest;
                /* a block is taken whole or not at all (never a key log line cut off); one
                 * that would pass the cap is left out, later smaller ones may still fit */
                s->dsb_take = s->dsb_secrets + s->dsb_left <= DSB_MAX;
                if (s->dsb_take)
                    s->dsb_secrets += (size_t)s->dsb_left;
                else
                    s->dsb_dropped += s->dsb_left;
            }
            continue;
        }
        size_t take = s->rest < n ? (size_t)s->rest : n;
        if (s->dsb && s->dsb_left) {
            size_t k = s->dsb_left < take ? (size_t)s->dsb_left : take;
            if (s->dsb_take && s->feed) /* a shard that is gone needs none */
                rlcap_feed_put(s->feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_SECRET, p, k, NULL, 0);
            else if (s->dsb_take && rlcap_keylog_add(s->keys, (const char *)p, k) == RESPLINT_ENOMEM)
                rlcap_nomem(s->r);
            s->dsb_left -= k;
            if (s->dsb_left == 0 && s->dsb_take && s->feed)
                rlcap_feed_put(s->feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_SECRET_END, NULL, 0, NULL, 0);
            else if (s->dsb_left == 0 && s->dsb_take)
                if (rlcap_keylog_end(s->keys) == RESPLINT_ENOMEM)
                    rlcap_nomem(s->r);
        }
        s->rest -= take;
        p += take;
        n -= take;
        if (s->rest == 0)
            s->hdr_len = 0;
    }
}

static long source_raw(source *s, void *buf, size_t n)
{
    long k = rlcap_read(s->r, buf, n);
    if (k < 0) {
        rlcap_fail(s->r, RESPLINT_EIO, "%s: read error after frame %llu (file offset %llu): %s",
                   s->r->path, (unsigned long long)(s->frame ? *s->frame : 0),
                   (unsigned long long)s->pos, strerror(errno));
        return -1;
    }
    s->r->stats->bytes += (uint64_t)k;
    s->pos += (uint64_t)k;
    if (s->r->handler->on_progress)
        s->r->handler->on_progress(s->r->stats->bytes, s->r->total, s->r->handler->user);
    return k;
}

static ssize_t source_read_(source *s, char *buf, size_t n);

static ssize_t source_read(void *cookie, char *buf, size_t n)
{
    source *s = cookie;
    ssize_t got = source_read_(s, buf, n);
    if (got > 0)
        track_blocks(s, (const unsigned char *)buf, (size_t)got);
    return got;
}

static ssize_t source_read_(source *s, char *buf, size_t n)
{
    if (!s->gz)
        return source_raw(s, buf, n);
    s->z.next_out = (unsigned char *)buf;
    s->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    while (s->z.avail_out == (uInt)n) {
        if (s->z.avail_in == 0 && !s->eof) {
            long k = source_raw(s, s->in, sizeof s->in);
            if (k < 0)
                return -1;
            if (k == 0)
                s->eof = true;
            s->z.next_in = s->in;
            s->z.avail_in = (uInt)k;
        }
        if (s->z.avail_in == 0 && s->eof)
            break;
        int zr = s->zl->inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            s->zl->inflateReset(&s->z); /* concatenated gzip members */
        } else if (zr == Z_MEM_ERROR) {
            rlcap_nomem(s->r);
            return -1;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            rlcap_fail(s->r, RESPLINT_EFORMAT,
                       "%s: gzip data that cannot be read after frame %llu (%s, by file offset "
                       "%llu); the rest of the file is not read",
                       s->r->path, (unsigned long long)(s->frame ? *s->frame : 0),
                       s->z.msg ? s->z.msg : "invalid gzip data", (unsigned long long)s->pos);
            return -1;
        }
    }
    return (ssize_t)(n - s->z.avail_out);
}

/* ftell on the cookie stream: stdio asks where the cookie is (offset 0 from the current
 * position) and subtracts what its buffer still holds, which gives the offset of the next
 * byte libpcap reads: where each frame's record starts and ends. A gzip'd capture has no such
 * offsets in its file. */
static int source_seek(void *cookie, off64_t *off, int whence)
{
    source *s = cookie;
    if (s->gz || whence != SEEK_CUR || *off != 0)
        return -1;
    *off = (off64_t)s->pos;
    return 0;
}

/* ---- offset-to-frame index of one direction ---- */

typedef struct frame_mark {
    uint64_t offset; /* stream offset of the first byte the frame supplied */
    uint64_t frame;
} frame_mark;

typedef struct frame_index {
    frame_mark *v;
    size_t start, len, cap;
} frame_index;

/* False when the index could not grow: the frames of findings would then be wrong. */
static bool index_add(frame_index *x, uint64_t offset, uint64_t frame)
{
    if (x->len && x->v[x->start + x->len - 1].frame == frame)
        return true;
    if (x->len >= INDEX_MAX) {
        /* One response spans more frames than the index keeps: thin out the middle. The
         * first mark (the start of the response in progress) and the newest marks stay exact. */
        size_t keep = x->start + 1, from = x->start + 1 + x->len / 2;
        memmove(x->v + keep, x->v + from, (x->start + x->len - from) * sizeof *x->v);
        x->len -= from - keep;
    }
    if (x->start + x->len == x->cap) {
        if (x->start > x->cap / 2) {
            memmove(x->v, x->v + x->start, x->len * sizeof *x->v);
            x->start = 0;
        } else {
            size_t cap = x->cap ? x->cap * 2 : 16;
            frame_mark *v = rlcap_realloc(x->v, cap * sizeof *v);
            if (!v)
                return false;
            x->v = v;
            x->cap = cap;
        }
    }
    x->v[x->start + x->len++] = (frame_mark){offset, frame};
    return true;
}

static uint64_t index_find(const frame_index *x, uint64_t offset)
{
    if (!x->len)
        return 0;
    size_t lo = 0, hi = x->len; /* last mark with mark.offset <= offset */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (x->v[x->start + mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return x->v[x->start + lo].frame;
}

/* Marks before the one holding offset are no longer needed. */
static void index_prune(frame_index *x, uint64_t offset)
{
    while (x->len > 1 && x->v[x->start + 1].offset <= offset) {
        x->start++;
        x->len--;
    }
}

/* ---- connections ---- */

enum flow_state { F_PROBE, F_HTTP, F_SKIP, F_DONE };
enum { ROLE_NONE, ROLE_RESPONSE, ROLE_REQUEST, ROLE_TLS, ROLE_MORE };

typedef struct pcap_ctx pcap_ctx;
typedef struct flow flow;

typedef struct pdir {
    flow *f;
    int which; /* 0: from the endpoint that sent the connection's first packet */
    rlcap_tcp_half tcp;
    rlcap_tcp_sink sink;
    frame_index idx;
    unsigned char *probe;
    size_t probe_len;
    uint64_t probe_base; /* stream offset of probe[0] */
    uint64_t probe_origin; /* stream offset of the probe's first byte before any slide */
    bool probe_full;
    bool verdict_final; /* the probe is complete: its classification will not change */
    bool verdict_at_start;
    int verdict;
    size_t verdict_len;   /* the probe length the cached verdict was made on (0: none) */
    bool verdict_complete;
    /* A full probe of a direction the capture joined inside (inside a long body) that shows
     * no message: instead of giving the connection up, the probe slides on through the
     * direction's bytes, looking for the next status line (as a stream resumes after a
     * gap). */
    bool sliding;
    size_t scanned;       /* probe positions already ruled out */
    bool truncated_reported;
    bool limit_reported;
    unsigned gaps_reported;
    bool base_set;
    uint32_t base_seq; /* Wireshark's base sequence number, for its new-stream rule */
} pdir;

struct flow {
    flow *hnext;
    flow *older, *newer; /* recency list */
    pcap_ctx *ctx;
    rlcap_ip ip[2];
    uint16_t port[2];
    long stream_index;
    uint64_t last_seen;
    enum flow_state st;
    int server; /* index of the server's direction once known */
    pdir d[2];
    bool had_payload;
    bool server_finished;
    size_t mem; /* flow_mem when last counted */
    resplint_stream *rs;
    llhttp_t req;
    bool req_sync;    /* the request parser is at a message boundary it trusts */
    bool req_lost;    /* the client's side had a gap: its requests no longer pair reliably */
    bool req_dropped; /* a request did not fit the stream's window: said once (RL9004) */
    bool req_bol;     /* the last client byte seen was a line feed */
    bool req_pushed;  /* the request being parsed has given its method */
    bool server_pending; /* the server's first bytes are still to come */
    bool prelude;     /* HTTP was found after the start: what precedes is another protocol */
    bool expired;     /* closed by resplint (idle): later data is not checked */
    uint64_t fed[2];  /* stream offset up to which each direction reached the HTTP side */
    char method[24];
    size_t mlen;
    rlcap_req_url url; /* the request's target and Host, buffers allocated when first used */
    uint64_t resp_end; /* end of the last response reported */
    char client[64], server_s[64];
    /* TLS: the record layer, and each direction's offset in its decrypted bytes (the HTTP
     * side and the frame index of a TLS connection count decrypted bytes) */
    rlcap_tls *tls;
    uint64_t plain_off[2];
    rlcap_h2 *h2;      /* HTTP/2 frames (ALPN h2, or h2c by prior knowledge) */
    long h2_stream;    /* the HTTP/2 stream of the block being checked */
    uint64_t h2_frame; /* and the frame that completed it */
    bool tls_skipped; /* counted as skipped: its HTTP cannot be read */
    bool h2_checking; /* the findings coming now are of an HTTP/2 response (h2_block) */
    bool server_rst;  /* the server reset the connection: its side ended for real */
};

/* One IP datagram being put back together from its fragments. */
typedef struct frag_slot {
    bool used;
    rlcap_ip src, dst;
    uint32_t id;
    uint8_t proto;
    bool total_known;
    uint32_t total;
    uint64_t first_frame, last_frame;
    unsigned char have[FRAG_MAX / 8 / 8]; /* one bit per 8-byte unit */
    unsigned char *buf;
} frag_slot;

struct pcap_ctx {
    rlcap_reader *r;
    frag_slot *frags;   /* FRAG_SLOTS, allocated at the first fragment */
    uint64_t frags_lost; /* datagrams never completed */
    uint64_t too_deep;   /* frames nested deeper than the decoder reads (said once, at the end) */
    uint64_t first_too_deep;
    uint64_t first_lost_frame;
    int dlt;
    uint64_t frame;
    uint64_t now; /* seconds, capture time of the current frame */
    /* Where the last PLACES frames' records are in the file (plain files only), so that a
     * finding can point at its frame's bytes (SARIF regions); slot frame % PLACES. */
    uint64_t *place_off;
    uint32_t *place_len;
    uint64_t *place_frame; /* a fed shard: the frame each slot holds (it sees only its own) */
    flow **buckets;
    size_t nbuckets;
    flow *oldest, *newest;
    flow *last; /* the connection of the last segment: most segments follow one of the same */
    size_t nflows;
    long next_stream;
    size_t max_flows;
    size_t max_held;
    size_t max_held_total; /* max_held x GLOBAL_BUFFER_FLOWS (a shard: its share of it) */
    size_t held_total;
    uint64_t idle;
    llhttp_settings_t req_settings;
    resplint_exchanges *xchg; /* earlier responses to each URL, for the whole capture */
    bool reported_short, reported_flow_limit;
    uint64_t hash_key[2];   /* SipHash key of the flow table, random per capture */
    uint64_t evicted_quiet; /* connections closed at the flows limit and not reported alone */
    unsigned evicted_reported;
    size_t flow_mem_total; /* flow_mem of every connection */
    size_t max_total;      /* held_total + flow_mem_total beyond it: the oldest are closed */
    uint64_t shed_quiet;   /* connections closed for memory and not reported alone */
    unsigned shed_reported;
    bool capture_over; /* the file has ended: connections still open end with it */
    rlcap_keylog *keys; /* --keylog files and the pcapng's Decryption Secrets Blocks */
    bool keylog_given;
    /* Sharded (resplint_capture_options.nshards > 1): only the connections of its own shard
     * get reassembly, HTTP and findings; findings about the capture as a whole are shard 0's.
     * A shard reading the file itself decodes every frame and keeps every connection's small
     * record (so that tcp.stream numbers, recency and idle times are the same in all); over a
     * shared reading, the reading does that once (emit, below) and the shard keeps only its
     * own connections (by_stream). r->order counts steps alike in all shards. A limit whose
     * handling depends on other shards' connections stops the shard (stats.shard_incomplete). */
    unsigned shard, nshards;
    bool stop;
    /* The shared reading (feed.h): the reading's own table (emit: it owns no connection and
     * puts a record for each segment and table event in the feed), or a fed shard's (by_stream:
     * only its own connections, found by tcp.stream, ended by the reading's events). */
    resplint_capture_feed *emit;
    bool by_stream;
    uint64_t stop_order;   /* the reading: the step at which the flows limit was met */
    bool emit_gone;        /* the reading: every shard has left */
    rlcap_feed_stamp here; /* the reading: the current frame's stamp */
};

/* SipHash-1-3 (Aumasson and Bernstein) of one endpoint under a per-capture random key: a
 * capture cannot be built so that its connections share a bucket (100,000 SYNs crafted for
 * the unkeyed FNV hash used before took 120 s). */
static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = rotl(v[1], 13) ^ v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17) ^ v[2];
    v[2] = rotl(v[2], 32);
}

static void sip_word(uint64_t v[4], uint64_t m)
{
    v[3] ^= m;
    sip_round(v);
    v[0] ^= m;
}

/* SipHash-1-3 of a connection's two endpoints, in a fixed order (both directions land in one
 * bucket), as one message: the addresses (IPv4: both in one word), then the ports, the family
 * and the length byte (SipHash's padding). One hash of 2 or 5 words a packet, not one per
 * endpoint (12 rounds a packet before, 5 for IPv4 now). */
static size_t flow_hash(const pcap_ctx *c, const rlcap_packet *p)
{
    const rlcap_ip *a = &p->src, *b = &p->dst;
    uint16_t pa = p->sport, pb = p->dport;
    size_t n = a->family == 6 ? 16 : 4;
    int cmp = memcmp(a->a, b->a, n);
    if (cmp > 0 || (cmp == 0 && pa > pb)) {
        const rlcap_ip *t = a;
        a = b;
        b = t;
        uint16_t tp = pa;
        pa = pb;
        pb = tp;
    }
    const uint64_t *key = c->hash_key;
    uint64_t v[4] = {key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
                     key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull};
    uint64_t w[4] = {0, 0, 0, 0};
    if (n == 4) {
        memcpy(&w[0], a->a, 4);
        memcpy((char *)&w[0] + 4, b->a, 4);
        sip_word(v, w[0]);
    } else {
        memcpy(w, a->a, 16);
        memcpy(w + 2, b->a, 16);
        for (int k = 0; k < 4; k++)
            sip_word(v, w[k]);
    }
    sip_word(v, ((uint64_t)(2 * n + 5) << 56) | ((uint64_t)a->family << 32) |
                    ((uint64_t)pb << 16) | pa);
    v[2] ^= 0xff;
    sip_round(v);
    sip_round(v);
    sip_round(v);
    uint64_t h = v[0] ^ v[1] ^ v[2] ^ v[3];
    return (size_t)(h >> 32 ^ h) & (c->nbuckets - 1);
}

/* The flow table's key: from the kernel's random source, else from what differs between runs
 * (time, addresses). Output never depends on it: flows are numbered and visited in capture
 * order, never in bucket order. */
static void hash_key_init(pcap_ctx *c)
{
    uint64_t k[2] = {0, 0};
    if (getentropy(k, sizeof k) != 0) {
        k[0] = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)c;
        k[1] = (uint64_t)clock() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&k;
    }
    c->hash_key[0] = k[0];
    c->hash_key[1] = k[1];
}

static bool ip_eq(const rlcap_ip *a, const rlcap_ip *b)
{
    return a->family == b->family && memcmp(a->a, b->a, a->family == 6 ? 16 : 4) == 0;
}

/* The direction of p in f: 0 or 1, -1 when p is not on f. */
static int flow_dir(const flow *f, const rlcap_packet *p)
{
    if (f->port[0] == p->sport && f->port[1] == p->dport && ip_eq(&f->ip[0], &p->src) &&
        ip_eq(&f->ip[1], &p->dst))
        return 0;
    if (f->port[1] == p->sport && f->port[0] == p->dport && ip_eq(&f->ip[1], &p->src) &&
        ip_eq(&f->ip[0], &p->dst))
        return 1;
    return -1;
}

/* The file bytes of frame number frame, when it is among the last PLACES frames read. */
static void frame_place(const pcap_ctx *c, resplint_origin *o)
{
    if (!c->place_off || !o->frame || o->frame > c->frame || c->frame - o->frame >= PLACES ||
        (c->place_frame && c->place_frame[o->frame % PLACES] != o->frame))
        return;
    o->file_offset = c->place_off[o->frame % PLACES];
    o->file_length = c->place_len[o->frame % PLACES];
}

/* Frame number frame's record is at off (-1: unknown), len bytes. */
static void place_set(pcap_ctx *c, uint64_t frame, int64_t off, uint32_t len)
{
    if (!c->place_off)
        return;
    c->place_off[frame % PLACES] = off < 0 ? RESPLINT_NO_OFFSET : (uint64_t)off;
    c->place_len[frame % PLACES] = len;
    if (c->place_frame)
        c->place_frame[frame % PLACES] = frame;
}

/* The places of the last PLACES frames (a fed shard: with their numbers); without them
 * findings have no region in the file (no memory for them is no error). */
static void places_alloc(pcap_ctx *c, bool numbered)
{
    c->place_off = rlcap_calloc(PLACES, sizeof *c->place_off);
    c->place_len = rlcap_calloc(PLACES, sizeof *c->place_len);
    c->place_frame = numbered ? rlcap_calloc(PLACES, sizeof *c->place_frame) : NULL;
    if (!c->place_off || !c->place_len || (numbered && !c->place_frame)) {
        rlcap_free(c->place_off);
        rlcap_free(c->place_len);
        rlcap_free(c->place_frame);
        c->place_off = NULL;
        c->place_len = NULL;
        c->place_frame = NULL;
    }
}

static void places_free(pcap_ctx *c)
{
    rlcap_free(c->place_off);
    rlcap_free(c->place_len);
    rlcap_free(c->place_frame);
}

/* An origin at a frame of the capture, outside any connection's stream. */
static void frame_origin(const pcap_ctx *c, uint64_t frame, resplint_origin *o)
{
    rlcap_origin_init(c->r, o);
    o->frame = frame;
    frame_place(c, o);
}

/* Is f checked by this call (its shard's)? */
static bool owned(const flow *f)
{
    const pcap_ctx *c = f->ctx;
    if (c->emit) /* the shared reading checks no connection */
        return false;
    return c->nshards <= 1 || (unsigned long)f->stream_index % c->nshards == c->shard;
}

/* The next step of the reading: what is reported from here on comes after what came before in
 * every shard. */
static void step(pcap_ctx *c)
{
    c->r->order++;
}

/* A limit whose handling depends on every connection was reached in a shard, which knows only
 * its own: the shard stops, and the caller checks the capture again unsharded. */
static void diverged(pcap_ctx *c)
{
    if (c->emit) { /* the reading: every shard gives up once this frame is handed over */
        if (!c->stop)
            c->stop_order = c->r->order;
        c->stop = true;
        return;
    }
    if (!c->stop)
        c->r->stats->shard_stop = c->r->order + 1;
    c->r->stats->shard_incomplete = 1;
    c->stop = true;
}

/* The shard that checks connection number stream. */
static uint32_t owner_of(const pcap_ctx *c, long stream)
{
    return (uint32_t)((unsigned long)stream % c->nshards);
}

/* A fed shard's bucket of connection number stream (Fibonacci hashing: a shard's numbers are
 * one residue modulo the shards). */
static size_t stream_bucket(const pcap_ctx *c, long stream)
{
    uint64_t h = (uint64_t)stream * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32 ^ h) & (c->nbuckets - 1);
}

/* The reading: a record for shard st->owner (or every shard), its stamp made by stamp_at. */
static void emit_put(pcap_ctx *c, int type, const rlcap_feed_stamp *st, size_t len,
                     const void *data, size_t n)
{
    if (c->emit_gone)
        return;
    if (!rlcap_feed_put(c->emit, st->owner, st->order, type, st, len, data, n)) {
        c->emit_gone = true; /* no shard reads on: the reading stops */
        c->stop = true;
    }
}

/* The reading: the stamp of a record for owner, at the current step and frame. */
static rlcap_feed_stamp stamp_at(const pcap_ctx *c, uint32_t owner, uint32_t kind)
{
    rlcap_feed_stamp st = c->here;
    st.order = c->r->order;
    st.owner = owner;
    st.kind = kind;
    return st;
}

/* The reading: an event for owner about connection number stream (-1: none), at `order`. */
static void emit_event_at(pcap_ctx *c, uint32_t kind, uint32_t owner, long stream,
                          uint64_t order, uint32_t caplen, uint32_t len)
{
    rlcap_feed_event ev;
    memset(&ev, 0, sizeof ev);
    ev.st = stamp_at(c, owner, kind);
    ev.st.order = order;
    ev.stream = stream;
    ev.caplen = caplen;
    ev.len = len;
    emit_put(c, RLCAP_FEED_EVENT, &ev.st, sizeof ev, NULL, 0);
}

/* The same at the current step. */
static void emit_event(pcap_ctx *c, uint32_t kind, uint32_t owner, long stream)
{
    emit_event_at(c, kind, owner, stream, c->r->order, 0, 0);
}

static void origin_of(flow *f, int dir_for_frame, uint64_t offset, uint64_t frame,
                      resplint_origin *o)
{
    rlcap_origin_init(f->ctx->r, o);
    o->tcp_stream = f->stream_index;
    if (frame)
        o->frame = frame;
    else if (dir_for_frame >= 0)
        o->frame = index_find(&f->d[dir_for_frame].idx, offset);
    o->client = f->client[0] ? f->client : NULL;
    o->server = f->server_s[0] ? f->server_s : NULL;
    frame_place(f->ctx, o);
}

static void name_endpoints(flow *f)
{
    int s = f->server >= 0 ? f->server : 1;
    rlcap_format_endpoint(&f->ip[1 - s], f->port[1 - s], f->client, sizeof f->client);
    rlcap_format_endpoint(&f->ip[s], f->port[s], f->server_s, sizeof f->server_s);
}

static const char *dir_name(const flow *f, int which)
{
    if (f->server < 0)
        return "first sender's";
    return which == f->server ? "server-to-client" : "client-to-server";
}

/* ---- responses and findings of the server's direction ---- */

static void stream_finding_origin(flow *f, const resplint_finding *fi, resplint_origin *o)
{
    uint64_t at = fi->response_offset != RESPLINT_NO_OFFSET ? fi->response_offset : fi->offset;
    origin_of(f, f->server, at, 0, o);
    o->response_index = fi->response_index;
    o->length = fi->length;
    if (resplint_stream_current_head(f->rs, &o->head, &o->head_len) < 0)
        o->head = NULL, o->head_len = 0;
}

static void h2_finding_origin(flow *f, const resplint_finding *fi, resplint_origin *o);

static void on_stream_finding(const resplint_finding *fi, void *user)
{
    flow *f = user;
    resplint_origin o;
    stream_finding_origin(f, fi, &o);
    f->ctx->r->stats->findings++;
    f->ctx->r->handler->on_finding(fi, &o, f->ctx->r->handler->user);
}

static void on_stream_response(const resplint_response *resp, size_t index, uint64_t offset,
                               uint64_t length, void *user)
{
    flow *f = user;
    rlcap_reader *r = f->ctx->r;
    r->stats->responses++;
    if (r->handler->on_response) {
        resplint_origin o;
        origin_of(f, f->server, offset, 0, &o);
        o.response_index = index;
        o.length = length;
        r->handler->on_response(resp, &o, r->handler->user);
    }
    f->resp_end = offset + length;
    index_prune(&f->d[f->server].idx, f->resp_end);
}

/* ---- the client's requests: method and version of each, in order ---- */

static int on_req_method(llhttp_t *p, const char *at, size_t len)
{
    flow *f = p->data;
    rlcap_method_append(f->method, sizeof f->method, &f->mlen, at, len);
    return 0;
}

static int on_req_message_begin(llhttp_t *p)
{
    flow *f = p->data;
    f->mlen = 0;
    f->req_pushed = false;
    rlcap_req_url_begin(&f->url);
    return 0;
}

/* The URL pieces; an allocation failure only loses the URL (the request still pairs). */
static int on_req_url(llhttp_t *p, const char *at, size_t len)
{
    (void)rlcap_req_url_target(&((flow *)p->data)->url, at, len);
    return 0;
}

static int on_req_field(llhttp_t *p, const char *at, size_t len)
{
    return rlcap_req_url_field(&((flow *)p->data)->url, at, len);
}

static int on_req_value(llhttp_t *p, const char *at, size_t len)
{
    (void)rlcap_req_url_value(&((flow *)p->data)->url, at, len);
    return 0;
}

static int on_req_value_done(llhttp_t *p)
{
    rlcap_req_url_field_done(&((flow *)p->data)->url);
    return 0;
}

static void report(flow *f, const char *rule, uint64_t frame, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Queues the method (and, for a whole head, the URL) of a request on the server's stream.
 * When the client is further ahead of its server than the stream's window (pending-requests,
 * pending-request-bytes), the stream drops the request but keeps its place: its response is
 * checked without context and the others still meet their own requests. Said once per
 * connection. */
static void push_request(flow *f, unsigned major, unsigned minor, bool whole)
{
    /* plain TCP is http; a connection decrypted from TLS is https */
    char url[RLCAP_URL_MAX + RLCAP_HOST_MAX + 16];
    resplint_scheme scheme = f->tls ? RESPLINT_SCHEME_HTTPS : RESPLINT_SCHEME_HTTP;
    size_t ulen = whole ? rlcap_req_url_make(&f->url, scheme, url, sizeof url) : 0;
    int rc = resplint_stream_push_request_url(f->rs, f->method, major, minor, url, ulen);
    rlcap_core(f->ctx->r, rc == RESPLINT_ELIMIT ? 0 : rc, "frame %llu",
               (unsigned long long)f->ctx->frame);
    if (rc == RESPLINT_ELIMIT && !f->req_dropped) {
        const resplint_config *cfg = f->ctx->r->cfg;
        f->req_dropped = true;
        report(f, "RL9004", f->ctx->frame,
               "more than %llu requests (or %llu bytes of them) waiting for their responses on "
               "this connection: the requests past that are not kept, and their responses are "
               "checked without their request (bodies taken to run up to the next status "
               "line); the other responses still meet their own (said once per connection)",
               (unsigned long long)resplint_config_limit(cfg, RESPLINT_LIMIT_PENDING_REQUESTS),
               (unsigned long long)resplint_config_limit(cfg, RESPLINT_LIMIT_PENDING_BYTES));
    }
}

static int on_req_headers_complete(llhttp_t *p)
{
    flow *f = p->data;
    f->method[f->mlen] = '\0';
    if (!f->req_lost && f->rs)
        push_request(f, p->http_major, p->http_minor, true);
    f->mlen = 0;
    f->req_pushed = true;
    return 0;
}

static void req_init(flow *f)
{
    f->req_pushed = false;
    llhttp_init(&f->req, HTTP_REQUEST, &f->ctx->req_settings);
    f->req.data = f;
    /* Only the method and version matter here: read what clients really send. */
    llhttp_set_lenient_headers(&f->req, 1);
    llhttp_set_lenient_keep_alive(&f->req, 1);
    llhttp_set_lenient_chunked_length(&f->req, 1);
    llhttp_set_lenient_transfer_encoding(&f->req, 1);
    f->mlen = 0;
}

static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

/* A request line starts at p[i]: an upper-case method, a space, and (when the line is
 * complete within the bytes) " HTTP/d.d" at its end. Returns ROLE_REQUEST, ROLE_MORE (the
 * bytes end before it can be told) or ROLE_NONE. */
static int request_at(const unsigned char *p, size_t n, size_t i, bool lenient)
{
    size_t k = i;
    while (k < n && k - i < 24 && (is_upper(p[k]) || p[k] == '-' || p[k] == '_'))
        k++;
    if (k == i)
        return ROLE_NONE;
    if (k == n)
        return ROLE_MORE;
    if (p[k] != ' ' || k - i >= 24)
        return ROLE_NONE;
    const unsigned char *lf = memchr(p + k, '\n', n - k);
    if (!lf)
        return ROLE_MORE;
    size_t e = (size_t)(lf - p);
    if (e > k && p[e - 1] == '\r')
        e--;
    if (e - k >= 10 && memcmp(p + e - 9, " HTTP/", 6) == 0 && p[e - 2] == '.')
        return ROLE_REQUEST;
    /* Once a connection is known to be HTTP, a malformed request line ("HEAD / HTTP/1.") still
     * counts: the server answers it, and its method decides how the answer is framed. */
    if (lenient && e > k + 1)
        return ROLE_REQUEST;
    return ROLE_NONE;
}

static bool digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* "HTTP/d.d ddd" at p[i]; ROLE_MORE when the bytes end on a prefix of it. */
static int response_at(const unsigned char *p, size_t n, size_t i)
{
    static const char pat[] = "HTTP/d.d ddd";
    size_t k = 0;
    for (; k < sizeof pat - 1; k++) {
        if (i + k >= n)
            return ROLE_MORE;
        unsigned char c = p[i + k];
        if (pat[k] == 'd' ? !digit(c) : c != (unsigned char)pat[k])
            return ROLE_NONE;
    }
    return ROLE_RESPONSE;
}

/* What the first bytes of a direction are: at_start says whether the match is at offset 0. */
static int classify(const unsigned char *p, size_t n, bool complete, bool *at_start)
{
    *at_start = true;
    if (n == 0)
        return ROLE_MORE;
    if (n >= 3 && p[0] == 0x16 && p[1] == 0x03 && p[2] <= 0x04)
        return ROLE_TLS;
    /* application data of a TLS connection the capture joined late */
    if (n >= 5 && p[0] == 0x17 && p[1] == 0x03 && p[2] >= 0x01 && p[2] <= 0x04 &&
        ((unsigned)p[3] << 8 | p[4]) <= 16384 + 2048)
        return ROLE_TLS;
    int rs = response_at(p, n, 0);
    if (rs == ROLE_RESPONSE || (rs == ROLE_MORE && !complete))
        return rs;
    int rq = request_at(p, n, 0, false);
    if (rq == ROLE_REQUEST || (rq == ROLE_MORE && !complete && n < PROBE_MAX))
        return rq;
    /* The capture may begin inside the connection: a later line may start a message. */
    *at_start = false;
    for (size_t i = 1; i + 12 <= n; i++) {
        if (p[i] == 'H' && response_at(p, n, i) == ROLE_RESPONSE)
            return ROLE_RESPONSE;
        if (p[i - 1] == '\n' && request_at(p, n, i, false) == ROLE_REQUEST)
            return ROLE_REQUEST;
    }
    return complete ? ROLE_NONE : ROLE_MORE;
}

/* A sliding probe: the positions not yet ruled out are scanned for a status line, as the
 * stream looks for one after a gap (a request line is not looked for: text in a long body that
 * reads like one must not turn the server into the client, and requests alone check nothing).
 * ROLE_MORE while nothing is found; a prefix of one the bytes end on stays unscanned. */
static int slide_scan(pdir *d, bool final)
{
    const unsigned char *p = d->probe;
    size_t n = d->probe_len, i = d->scanned;
    int found = final ? ROLE_NONE : ROLE_MORE;
    for (; i < n; i++)
        if (p[i] == 'H') {
            int r = response_at(p, n, i);
            if (r == ROLE_RESPONSE || (r == ROLE_MORE && !final)) {
                found = r;
                break;
            }
        }
    d->scanned = i;
    return found;
}

/* Drops the scanned part of a sliding probe (all but the last 11 bytes of a full one). */
static void slide(pdir *d)
{
    size_t drop = d->scanned;
    if (drop == 0)
        return;
    memmove(d->probe, d->probe + drop, d->probe_len - drop);
    d->probe_len -= drop;
    d->probe_base += drop;
    d->scanned = 0;
    d->probe_full = false;
}

/* Finds where the client's bytes start a request again after a loss of sync. */
static size_t request_resync(flow *f, const unsigned char *p, size_t n, bool *found)
{
    *found = false;
    for (size_t i = 0; i < n; i++) {
        bool bol = i == 0 ? f->req_bol : p[i - 1] == '\n';
        if (bol && is_upper(p[i]) && request_at(p, n, i, true) != ROLE_NONE) {
            *found = true;
            return i;
        }
    }
    return n;
}

static void feed_requests(flow *f, const unsigned char *p, size_t n)
{
    int rounds = 0;
    while (n > 0 && rounds++ < 1000) {
        if (!f->req_sync) {
            bool found;
            size_t at = request_resync(f, p, n, &found);
            if (!found) {
                f->req_bol = p[n - 1] == '\n';
                return;
            }
            p += at;
            n -= at;
            req_init(f);
            f->req_sync = true;
        }
        llhttp_errno_t err = llhttp_execute(&f->req, (const char *)p, n);
        if (err == HPE_OK)
            break;
        const char *pos = llhttp_get_error_pos(&f->req);
        size_t used = pos && pos >= (const char *)p && pos <= (const char *)p + n
                          ? (size_t)(pos - (const char *)p)
                          : n;
        if (err == HPE_PAUSED_UPGRADE && used > 0) {
            /* CONNECT or Upgrade: if the server agrees, what follows is another protocol
             * and the response side stops there; if it refuses, requests go on. */
            llhttp_resume_after_upgrade(&f->req);
        } else {
            /* A request the parser rejects (e.g. "HEAD / HTTP/1.") is still answered: its
             * method, when it was read, still decides how the response is framed. */
            if (!f->req_pushed && f->mlen && !f->req_lost && f->rs) {
                f->method[f->mlen] = '\0';
                push_request(f, 0, 0, false); /* a head cut short: no URL */
            }
            f->req_pushed = true;
            f->req_sync = false;
            if (used == 0)
                used = 1;
        }
        f->req_bol = p[used - 1] == '\n';
        p += used;
        n -= used;
    }
    if (n)
        f->req_bol = p[n - 1] == '\n';
}

/* ---- from reassembled bytes to the HTTP side ---- */

static void vreport(rlcap_reader *r, const char *rule, const resplint_origin *o,
                    const char *fmt, va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    rlcap_report(r, rule, o, RESPLINT_NO_OFFSET, 0, 0, "%s", msg);
}

/* A finding about a connection, at a frame of it (another shard's connection: nothing). */
static void report(flow *f, const char *rule, uint64_t frame, const char *fmt, ...)
{
    if (!owned(f))
        return;
    resplint_origin o;
    origin_of(f, -1, 0, frame, &o);
    va_list ap;
    va_start(ap, fmt);
    vreport(f->ctx->r, rule, &o, fmt, ap);
    va_end(ap);
}

/* The server's first bytes reach the response parser: line up its offsets with the
 * direction's, and skip (without blaming the server) what precedes the first status line when
 * the capture began inside the connection or the connection began with another protocol. */
static void server_first_bytes(flow *f, const unsigned char *p, size_t n, uint64_t offset)
{
    pdir *s = &f->d[f->server];
    f->server_pending = false;
    size_t k = n < 5 ? n : 5;
    bool starts = offset == 0 && memcmp(p, "HTTP/", k) == 0;
    f->fed[f->server] = offset;
    if (!starts && (!s->tcp.syn_seen || offset > 0)) {
        if (!s->tcp.syn_seen || s->gaps_reported == 0)
            report(f, "RL9002", index_find(&s->idx, s->sliding ? s->probe_origin : offset),
                   "the capture %s this connection: the server's bytes before its next status "
                   "line are not checked",
                   s->tcp.syn_seen ? "lost the first bytes of" : "begins inside");
        resplint_stream_gap(f->rs, offset);
    } else if (!starts && f->prelude) {
        resplint_stream_gap(f->rs, offset); /* e.g. a SOCKS or proxy handshake before HTTP */
    }
}

static void route(flow *f, int which, const unsigned char *p, size_t n, uint64_t offset)
{
    /* Bytes the probe could not keep while the roles were unknown are missing here. */
    bool skipped = !(which == f->server && f->server_pending) && offset > f->fed[which];
    if (which == f->server) {
        if (f->server_pending)
            server_first_bytes(f, p, n, offset);
        else if (skipped)
            resplint_stream_gap(f->rs, offset - f->fed[which]);
        f->fed[which] = offset + n;
        rlcap_core(f->ctx->r, resplint_stream_feed(f->rs, p, n), "frame %llu",
                   (unsigned long long)f->ctx->frame);
    } else {
        if (skipped)
            f->req_sync = false;
        f->fed[which] = offset + n;
        feed_requests(f, p, n);
    }
}

static void skip_flow(flow *f)
{
    if (f->had_payload)
        f->ctx->r->stats->skipped++;
    f->st = F_SKIP;
    for (int i = 0; i < 2; i++) {
        rlcap_free(f->d[i].probe);
        f->d[i].probe = NULL;
        f->d[i].probe_len = 0;
    }
}

/* The HTTP/1.x side of a connection: the response parser (with the body pipeline and the
 * capture's exchange memory) and the request parser's state. false (connection skipped) when
 * out of memory. */
static bool open_stream(flow *f, resplint_scheme scheme)
{
    f->rs = resplint_stream_new(f->ctx->r->cfg, on_stream_finding, f);
    if (!f->rs) {
        rlcap_nomem(f->ctx->r);
        skip_flow(f);
        return false;
    }
    resplint_stream_set_body_ops(f->rs, resplint_body_pipeline());
    resplint_stream_on_response(f->rs, on_stream_response);
    resplint_stream_set_scheme(f->rs, scheme);
    resplint_stream_set_exchanges(f->rs, f->ctx->xchg);
    f->st = F_HTTP;
    f->req_bol = true;
    return true;
}

/* The roles are known: start the HTTP side and hand it what the probes held. */
static void start_http(flow *f, int server, bool at_start)
{
    f->prelude = !at_start;
    f->server_pending = true;
    f->server = server;
    name_endpoints(f);
    if (!open_stream(f, RESPLINT_SCHEME_HTTP))
        return;
    pdir *c = &f->d[1 - server], *s = &f->d[server];
    if (c->probe_len) {
        f->req_sync = c->probe_base == 0 && request_at(c->probe, c->probe_len, 0, true) != ROLE_NONE;
        if (f->req_sync)
            req_init(f);
        else
            f->req_lost = c->probe_base != 0;
        feed_requests(f, c->probe, c->probe_len);
        f->fed[1 - server] = c->probe_base + c->probe_len;
    } else {
        f->req_sync = c->tcp.syn_seen && c->tcp.offset == 0;
        if (f->req_sync)
            req_init(f);
        f->fed[1 - server] = c->tcp.offset;
    }
    if (s->probe_len)
        route(f, server, s->probe, s->probe_len, s->probe_base);
    for (int i = 0; i < 2; i++) {
        rlcap_free(f->d[i].probe);
        f->d[i].probe = NULL;
        f->d[i].probe_len = 0;
    }
    rlcap_free(c->idx.v);
    memset(&c->idx, 0, sizeof c->idx);
}

/* ---- HTTP/2: frames read, field blocks decoded, each response checked ---- */

static void h2_origin(flow *f, uint64_t frame, uint32_t stream, resplint_origin *o)
{
    origin_of(f, -1, 0, frame, o);
    o->h2_stream = stream;
}

static void h2_finding_origin(flow *f, const resplint_finding *fi, resplint_origin *o)
{
    h2_origin(f, f->h2_frame, (uint32_t)f->h2_stream, o);
    o->response_index = fi->response_index;
}

static void on_h2_finding(const resplint_finding *fi, void *user)
{
    flow *f = user;
    resplint_origin o;
    h2_finding_origin(f, fi, &o);
    f->ctx->r->stats->findings++;
    f->ctx->r->handler->on_finding(fi, &o, f->ctx->r->handler->user);
}

static void h2_block(void *user, const rlcap_h2_block *b)
{
    flow *f = user;
    rlcap_reader *r = f->ctx->r;
    if (b->status < 0)
        return; /* no usable :status: RL8003 said so */
    resplint_response resp = RESPLINT_RESPONSE_INIT;
    resp.status = b->status;
    resp.version_major = 2;
    resp.fields = b->fields;
    resp.field_count = b->field_count;
    resp.method = b->method;
    resp.method_len = b->method ? strlen(b->method) : 0;
    resp.request_version_major = b->method ? 2 : 0;
    resp.url = b->url;
    resp.url_len = b->url ? strlen(b->url) : 0;
    resp.scheme = f->tls ? RESPLINT_SCHEME_HTTPS : RESPLINT_SCHEME_HTTP;
    resp.provenance = RESPLINT_PROV_H2_FRAMES;
    f->h2_stream = (long)b->stream;
    f->h2_frame = b->frame;
    if (b->trailers)
        return; /* trailer sections: only the frame rules judge them */
    f->h2_checking = true;
    rlcap_core(r, resplint_check_exchange(r->cfg, f->ctx->xchg, &resp, b->index, on_h2_finding, f),
               "frame %llu", (unsigned long long)b->frame);
    f->h2_checking = false;
    r->stats->responses++;
    if (r->handler->on_response) {
        resplint_origin o;
        h2_origin(f, b->frame, b->stream, &o);
        o.response_index = b->index;
        r->handler->on_response(&resp, &o, r->handler->user);
    }
}

static void h2_fault(void *user, const char *rule, uint32_t stream, uint64_t frame, size_t index,
                     const char *message)
{
    flow *f = user;
    resplint_origin o;
    h2_origin(f, frame, stream, &o);
    o.response_index = index;
    rlcap_report(f->ctx->r, rule, &o, RESPLINT_NO_OFFSET, 0, index, "%s", message);
}

static void h2_nomem(void *user, uint64_t frame)
{
    flow *f = user;
    rlcap_fail(f->ctx->r, RESPLINT_ENOMEM, "%s: out of memory (HTTP/2, frame %llu)",
               f->ctx->r->path, (unsigned long long)frame);
}

/* The connection carries HTTP/2: its bytes (decrypted, or plain for h2c) go to the frame
 * reader from now on. */
static bool start_h2(flow *f)
{
    rlcap_h2_sink sink = {h2_block, h2_fault, h2_nomem, f};
    char err[256];
    f->h2 = rlcap_h2_new(&sink, err, sizeof err);
    if (f->h2)
        return true;
    rlcap_reader *r = f->ctx->r;
    if (!err[0])
        rlcap_nomem(r);
    else /* the library is missing for every connection of the capture: the input stops */
        rlcap_fail(r, RESPLINT_EIO, "%s: HTTP/2 in frame %llu, which resplint reads with nghttp2: %s",
                   r->path, (unsigned long long)f->ctx->frame, err);
    return false;
}

/* ---- TLS: decrypted with the key log, then read as HTTP/1.x ---- */

static void tls_data(void *user, int dir, const unsigned char *p, size_t n, uint64_t frame)
{
    flow *f = user;
    int which = dir == 1 ? f->server : 1 - f->server;
    if (f->st != F_HTTP)
        return;
    const char *alpn = rlcap_tls_alpn(f->tls);
    if (!f->h2 && f->plain_off[0] == 0 && f->plain_off[1] == 0 &&
        (strcmp(alpn, "h2") == 0 || (dir == 0 && rlcap_h2_preface(p, n))) && !start_h2(f))
        return;
    if (f->h2) {
        rlcap_h2_feed(f->h2, dir, p, n, frame);
        f->plain_off[dir] += n;
        return;
    }
    if (which == f->server && !index_add(&f->d[which].idx, f->plain_off[1], frame)) {
        rlcap_nomem(f->ctx->r);
        return;
    }
    route(f, which, p, n, f->plain_off[dir]);
    f->plain_off[dir] += n;
}

static void tls_event(void *user, int dir, enum rlcap_tls_event what, uint64_t frame,
                      const char *detail)
{
    flow *f = user;
    if (what == RLCAP_TLS_NOMEM) {
        rlcap_fail(f->ctx->r, RESPLINT_ENOMEM, "%s: out of memory (TLS, frame %llu)",
                   f->ctx->r->path, (unsigned long long)frame);
        return;
    }
    const char *side = dir == 1 ? "server-to-client" : "client-to-server";
    const char *version = rlcap_tls_version_name(f->tls);
    if (what != RLCAP_TLS_LIMIT && !f->tls_skipped) {
        f->tls_skipped = true;
        f->ctx->r->stats->skipped++;
    }
    switch (what) {
    case RLCAP_TLS_NO_KEYS:
        if (!f->ctx->keylog_given && rlcap_keylog_count(f->ctx->keys) == 0)
            report(f, "RL9009", frame,
                   "%s connection, %s direction: no key log was given (--keylog FILE, the "
                   "SSLKEYLOGFILE of the client; or a pcapng with its secrets embedded): its "
                   "HTTP is not checked",
                   version, side);
        else
            report(f, "RL9009", frame, "%s connection, %s direction: %s; its HTTP is not checked",
                   version, side, detail);
        break;
    case RLCAP_TLS_UNSUPPORTED:
        report(f, "RL9009", frame, "%s connection: %s; its HTTP is not checked", version, detail);
        break;
    case RLCAP_TLS_BAD_RECORD:
        report(f, "RL9009", frame, "%s connection, %s direction: %s; the rest of it is not checked",
               version, side, detail);
        break;
    case RLCAP_TLS_LIMIT:
        report(f, "RL9004", frame, "%s connection, %s direction: %s; the rest of it is not checked",
               version, side, detail);
        break;
    case RLCAP_TLS_NOMEM:
        break;
    }
    if (dir == 1 && what != RLCAP_TLS_NO_KEYS && f->rs)
        resplint_stream_gap(f->rs, 0); /* what was read is checked; nothing blamed for the rest */
}

/* A connection whose client's first bytes are a TLS ClientHello: the records of both
 * directions go through the TLS layer, and what it decrypts to the HTTP side. */
static void start_tls(flow *f, int client)
{
    int server = 1 - client;
    f->server = server;
    f->server_pending = true;
    name_endpoints(f);
    rlcap_tls_sink sink = {tls_data, tls_event, f};
    f->tls = rlcap_tls_new(f->ctx->keys, &sink);
    if (!f->tls) {
        rlcap_nomem(f->ctx->r);
        skip_flow(f);
        return;
    }
    if (!open_stream(f, RESPLINT_SCHEME_HTTPS))
        return;
    f->req_sync = true; /* decrypted application data starts with the first request */
    req_init(f);
    f->fed[0] = f->fed[1] = 0;
    /* the probes hold the first records; their frames are the last marks of the index */
    uint64_t frame[2];
    for (int i = 0; i < 2; i++) {
        pdir *d = &f->d[i];
        frame[i] = d->probe_len ? index_find(&d->idx, d->probe_base + d->probe_len - 1) : 0;
        rlcap_free(d->idx.v);
        memset(&d->idx, 0, sizeof d->idx);
    }
    for (int k = 0; k < 2; k++) { /* the ClientHello first */
        int i = k == 0 ? client : server;
        pdir *d = &f->d[i];
        if (d->probe_len && f->st == F_HTTP)
            rlcap_tls_feed(f->tls, i == server, d->probe, d->probe_len, frame[i]);
    }
    for (int i = 0; i < 2; i++) {
        rlcap_free(f->d[i].probe);
        f->d[i].probe = NULL;
        f->d[i].probe_len = 0;
    }
}

/* h2c by prior knowledge: both directions' frames go to the HTTP/2 reader, with the frame
 * index of each direction's bytes kept by TCP offset. */
static void start_h2c(flow *f, int client)
{
    f->server = 1 - client;
    name_endpoints(f);
    if (!start_h2(f)) {
        skip_flow(f);
        return;
    }
    f->st = F_HTTP;
    for (int k = 0; k < 2; k++) { /* the preface and the client's SETTINGS first */
        int i = k == 0 ? client : f->server;
        pdir *d = &f->d[i];
        if (d->probe_len)
            rlcap_h2_feed(f->h2, i == f->server, d->probe, d->probe_len,
                          index_find(&d->idx, d->probe_base + d->probe_len - 1));
        rlcap_free(d->probe);
        d->probe = NULL;
        d->probe_len = 0;
    }
}

/* --host on a capture: a connection is checked when the first request captured on it names a
 * matching host (its absolute-form target's authority, else its Host field); one whose client
 * bytes do not begin with a request line, or whose first request names no host, is not. Read
 * from the client's probe, which holds the first bytes captured. */
enum host_verdict { HOST_MATCH, HOST_OTHER, HOST_WAIT };

static enum host_verdict first_request_host(const char *glob, const pdir *d, bool complete)
{
    const unsigned char *p = d->probe;
    size_t n = d->probe_len;
    if (d->probe_base != 0 || n == 0)
        return HOST_OTHER;
    int at_start = request_at(p, n, 0, true);
    if (at_start == ROLE_MORE)
        return complete ? HOST_OTHER : HOST_WAIT;
    if (at_start != ROLE_REQUEST) /* the capture begins inside a request: no first line */
        return HOST_OTHER;
    size_t end = rlint_head_end((const char *)p, n, 0); /* a blank line (CRLF or bare LF) */
    if (!end && !complete)
        return HOST_WAIT;
    if (!end) { /* a head longer than the probe: its whole lines may still name the host */
        while (n && p[n - 1] != '\n')
            n--;
        if (!n)
            return HOST_OTHER;
        end = n;
    }
    const unsigned char *line_end = memchr(p, '\n', end);
    const unsigned char *sp = memchr(p, ' ', (size_t)(line_end - p));
    if (sp) { /* RFC 9112 §3.2.2: an absolute-form target's authority, not Host, names it */
        const unsigned char *t = sp + 1;
        size_t tn = (size_t)(line_end - t);
        size_t skip = rlint_istarts((const char *)t, tn, "http://") ? 7 : rlint_istarts((const char *)t, tn, "https://") ? 8 : 0;
        if (skip) {
            const unsigned char *a = t + skip;
            size_t an = 0;
            while (a + an < line_end && a[an] != '/' && a[an] != '?' && a[an] != '#' &&
                   a[an] != ' ')
                an++;
            return rlcap_authority_matches(glob, (const char *)a, an) ? HOST_MATCH : HOST_OTHER;
        }
    }
    for (const unsigned char *l = line_end + 1; l < p + end;) {
        const unsigned char *e = memchr(l, '\n', (size_t)(p + end - l));
        size_t ln = (size_t)(e - l);
        if (rlint_istarts((const char *)l, ln, "host:")) {
            const unsigned char *v = l + 5, *ve = e;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                ve--;
            return rlcap_authority_matches(glob, (const char *)v, (size_t)(ve - v)) ? HOST_MATCH
                                                                                     : HOST_OTHER;
        }
        l = e + 1;
    }
    return HOST_OTHER;
}

/* Starts the HTTP side, or, under --host, skips a connection to another host (or waits for
 * the rest of its first request). */
static void start_if_wanted(flow *f, int server, bool at_start, bool final)
{
    const char *glob = f->ctx->r->opts->host_glob;
    if (glob) {
        const pdir *c = &f->d[1 - server];
        bool complete = final || c->probe_full || c->tcp.closed;
        enum host_verdict v = first_request_host(glob, c, complete);
        if (v == HOST_WAIT)
            return;
        if (v == HOST_OTHER) {
            skip_flow(f);
            return;
        }
    }
    start_http(f, server, at_start);
}

/* Looks at the probes; decides HTTP (and who is the server), not HTTP, or waits. */
static void decide(flow *f, bool final)
{
    /* h2c by prior knowledge: the client's first bytes are the HTTP/2 connection preface */
    for (int i = 0; i < 2; i++) {
        pdir *d = &f->d[i];
        if (d->probe_base == 0 && d->probe_len >= 24 && rlcap_h2_preface(d->probe, d->probe_len) &&
            !f->ctx->r->opts->host_glob) {
            start_h2c(f, i);
            return;
        }
    }

    int role[2];
    bool at_start[2];
    for (int i = 0; i < 2; i++) {
        pdir *d = &f->d[i];
        if (!d->sliding) {
            bool complete = final || d->probe_full || d->tcp.closed;
            /* a probe is not scanned again while it has not changed (the other direction's
             * segments call decide too) */
            if (d->verdict_final || (d->verdict_len && d->verdict_len == d->probe_len &&
                                     d->verdict_complete == complete && !final)) {
                role[i] = d->verdict;
                at_start[i] = d->verdict_at_start;
                continue;
            }
            role[i] = d->probe_len ? classify(d->probe, d->probe_len, complete, &at_start[i])
                                   : (complete ? ROLE_NONE : ROLE_MORE);
            if (!d->probe_len)
                at_start[i] = false;
            if (!d->probe_full || role[i] != ROLE_NONE || final ||
                (d->probe_base == 0 && d->tcp.syn_seen)) {
                d->verdict = role[i];
                d->verdict_at_start = at_start[i];
                d->verdict_len = d->probe_len;
                d->verdict_complete = complete;
                d->verdict_final = d->probe_full;
                continue;
            }
            /* the capture joined this direction inside it (or after a gap): slide on */
            d->sliding = true;
            d->scanned = 0;
        }
        role[i] = slide_scan(d, final);
        at_start[i] = false;
        /* the status line found starts the probe: what precedes it was ruled out here, by a
         * stricter pattern than the stream's own resynchronisation */
        if (role[i] == ROLE_RESPONSE)
            slide(d);
    }
    /* A connection whose both directions showed a full probe without a message is taken for
     * another protocol: a sliding direction is not searched on then. */
    for (int i = 0; i < 2; i++) {
        const pdir *o = &f->d[1 - i];
        if (f->d[i].sliding && role[i] == ROLE_MORE &&
            (o->sliding || (o->verdict_final && o->verdict == ROLE_NONE)))
            role[i] = ROLE_NONE;
    }
    for (int pass = 0; pass < 2; pass++) /* a message at the very start outranks one found later */
        for (int i = 0; i < 2; i++) {
            if (pass == 0 && !at_start[i])
                continue;
            if (role[i] == ROLE_RESPONSE) {
                start_if_wanted(f, i, pass == 0, final);
                return;
            }
            if (role[i] == ROLE_REQUEST) {
                start_if_wanted(f, 1 - i, pass == 0, final);
                return;
            }
        }
    for (int i = 0; i < 2; i++) {
        const pdir *d = &f->d[i];
        if (role[i] == ROLE_TLS && d->probe_base == 0 && d->tcp.syn_seen &&
            rlcap_tls_client_hello(d->probe, d->probe_len) && !f->ctx->r->opts->host_glob) {
            start_tls(f, i);
            return;
        }
    }
    if (role[0] == ROLE_TLS || role[1] == ROLE_TLS) {
        /* TLS whose handshake the capture does not hold (it began inside the connection),
         * or filtered by --host (a TLS connection names no host in the clear to match) */
        if (!f->ctx->r->opts->host_glob)
            report(f, "RL9009", index_find(&f->d[role[0] == ROLE_TLS ? 0 : 1].idx,
                                           f->d[role[0] == ROLE_TLS ? 0 : 1].probe_base),
                   "a TLS connection whose handshake is not in the capture (it begins inside "
                   "the connection): it cannot be decrypted, its HTTP is not checked");
        skip_flow(f);
        return;
    }
    /* Wait while a side may still tell: a capture that begins inside a long download shows
     * no message in the server's first bytes, but the client's next request will. */
    if (final || (role[0] != ROLE_MORE && role[1] != ROLE_MORE))
        skip_flow(f);
}

static void dir_data(void *user, const unsigned char *p, size_t n, uint64_t frame)
{
    pdir *d = user;
    flow *f = d->f;
    if (f->tls) {
        if (f->st == F_HTTP)
            rlcap_tls_feed(f->tls, d->which == f->server, p, n, frame);
        return;
    }
    if (f->h2) { /* h2c */
        if (f->st == F_HTTP)
            rlcap_h2_feed(f->h2, d->which == f->server, p, n, frame);
        return;
    }
    /* only the server's frames are looked up once the roles are known */
    if ((f->st == F_PROBE || (f->st == F_HTTP && d->which == f->server)) &&
        !index_add(&d->idx, d->tcp.offset, frame)) {
        rlcap_nomem(f->ctx->r);
        skip_flow(f);
        return;
    }
    f->had_payload = true;
    switch (f->st) {
    case F_PROBE: {
        if (!d->probe) {
            d->probe = rlcap_malloc(PROBE_MAX);
            if (!d->probe) {
                rlcap_nomem(f->ctx->r);
                skip_flow(f);
                return;
            }
            d->probe_base = d->probe_origin = d->tcp.offset;
        }
        size_t used = 0;
        for (;;) {
            size_t room = PROBE_MAX - d->probe_len;
            size_t take = n - used < room ? n - used : room;
            memcpy(d->probe + d->probe_len, p + used, take);
            d->probe_len += take;
            used += take;
            if (d->probe_len == PROBE_MAX)
                d->probe_full = true;
            decide(f, false);
            if (f->st == F_HTTP && used < n)
                route(f, d->which, p + used, n - used, d->tcp.offset + used);
            if (f->st != F_PROBE)
                break;
            if (d->sliding && d->probe_full)
                slide(d); /* frees all but the last 11 bytes */
            if (used == n || d->probe_full)
                break; /* a full probe that does not slide keeps its first bytes */
        }
        break;
    }
    case F_HTTP:
        route(f, d->which, p, n, d->tcp.offset);
        break;
    case F_SKIP:
    case F_DONE:
        break;
    }
}

static void dir_gap(void *user, uint64_t missing, rlcap_gap_kind kind, uint64_t frame)
{
    pdir *d = user;
    flow *f = d->f;
    if (f->h2 && !f->tls) {
        if (f->st == F_HTTP && d->gaps_reported == 0) {
            d->gaps_reported = 1;
            report(f, "RL9002", frame,
                   "%llu bytes of the %s direction of this HTTP/2 connection are missing from "
                   "the capture: its frames cannot be found after them, and the rest of it is "
                   "not checked",
                   (unsigned long long)missing, dir_name(f, d->which));
        }
        rlcap_h2_gap(f->h2, d->which == f->server);
        return;
    }
    if (f->tls) {
        /* records cannot be found again after missing bytes: the direction stops there */
        if (f->st == F_HTTP && d->gaps_reported == 0) {
            d->gaps_reported = 1;
            report(f, "RL9002", frame,
                   "%llu bytes of the %s direction of this TLS connection are missing from the "
                   "capture: its records cannot be decrypted after them, and the rest of it is "
                   "not checked",
                   (unsigned long long)missing, dir_name(f, d->which));
            if (d->which == f->server && f->rs)
                resplint_stream_gap(f->rs, 0);
            else
                f->req_lost = true;
        }
        rlcap_tls_gap(f->tls, d->which == f->server);
        return;
    }
    switch (f->st) {
    case F_PROBE:
        if (d->probe_len) {
            decide(f, false);
            if (f->st == F_PROBE) { /* what came before the gap told nothing: start again */
                d->probe_len = 0;
                d->probe_full = false;
                d->verdict_final = false;
                d->verdict_len = 0;
                d->sliding = false;
                d->probe_base = d->probe_origin = d->tcp.offset + missing;
            }
        } else if (d->probe) {
            d->probe_base = d->probe_origin = d->tcp.offset + missing;
            d->sliding = false; /* the bytes after the gap are a fresh probe */
        }
        if (f->st != F_HTTP)
            return;
        break;
    case F_HTTP:
        break;
    case F_SKIP:
    case F_DONE:
        return;
    }
    if (kind == RLCAP_GAP_LIMIT) {
        if (!d->limit_reported)
            report(f, "RL9004", frame,
                   "more than %zu out-of-order bytes held in the %s direction (or in all "
                   "connections together); %llu missing bytes are treated as lost (later "
                   "occurrences on this connection are not reported)",
                   f->ctx->max_held, dir_name(f, d->which), (unsigned long long)missing);
        d->limit_reported = true;
    } else if ((kind == RLCAP_GAP_LOST || kind == RLCAP_GAP_END) &&
               d->gaps_reported < GAP_REPORTS_MAX) {
        d->gaps_reported++;
        report(f, "RL9002", frame,
               "%llu bytes of the %s direction are missing from the capture%s%s",
               (unsigned long long)missing, dir_name(f, d->which),
               kind == RLCAP_GAP_END ? " before its end"
               : d->which == f->server ? "; checking resumes at the next status line"
                                       : "; responses after this point are not paired with "
                                         "requests",
               d->gaps_reported == GAP_REPORTS_MAX ? " (further gaps on this connection are not "
                                                     "reported)"
                                                   : "");
    }
    f->fed[d->which] = d->tcp.offset + missing;
    if (d->which == f->server) {
        if (!f->server_pending)
            resplint_stream_gap(f->rs, missing);
    } else {
        f->req_sync = false;
        f->req_lost = true;
        f->req_bol = false;
    }
}

/* ---- connection life ---- */

static void unlink_recent(pcap_ctx *c, flow *f)
{
    if (f->older)
        f->older->newer = f->newer;
    else
        c->oldest = f->newer;
    if (f->newer)
        f->newer->older = f->older;
    else
        c->newest = f->older;
    f->older = f->newer = NULL;
}

static void link_newest(pcap_ctx *c, flow *f)
{
    f->older = c->newest;
    f->newer = NULL;
    if (c->newest)
        c->newest->newer = f;
    else
        c->oldest = f;
    c->newest = f;
}

/* The server's side is over: a FIN or RST from the server ends it for real; otherwise
 * (capture over, client gone, resplint gave up) the response in progress is not the
 * server's fault. */
static void finish_server(flow *f, bool server_closed)
{
    if (f->st != F_HTTP || f->server_finished)
        return;
    f->server_finished = true;
    if (!f->rs)
        return; /* h2c: the frame reader has no response in the making to finish */
    uint64_t start;
    if (!server_closed && f->ctx->capture_over && resplint_stream_in_message(f->rs, &start))
        report(f, "RL9010", index_find(&f->d[f->server].idx, start),
               "the capture ends (no FIN or RST from the server) inside the response that "
               "begins here: the rest of it was not captured, and it is checked only as far "
               "as it goes");
    if (!server_closed)
        resplint_stream_gap(f->rs, 0); /* checks what was complete, blames nobody for the rest */
    resplint_stream_finish(f->rs);
}

/* Frees what a connection holds besides its small record; safe to call twice. */
static void free_heavy(flow *f)
{
    f->ctx->flow_mem_total -= f->mem;
    f->mem = 0;
    for (int i = 0; i < 2; i++) {
        f->ctx->held_total -= f->d[i].tcp.held_bytes;
        rlcap_tcp_free(&f->d[i].tcp);
        rlcap_free(f->d[i].probe);
        f->d[i].probe = NULL;
        rlcap_free(f->d[i].idx.v);
        memset(&f->d[i].idx, 0, sizeof f->d[i].idx);
    }
    resplint_stream_free(f->rs);
    f->rs = NULL;
    rlcap_req_url_free(&f->url);
    rlcap_tls_free(f->tls);
    f->tls = NULL;
    rlcap_h2_free(f->h2);
    f->h2 = NULL;
}

/* Ends a connection: delivers what is held, finishes the streams, frees the heavy state. The
 * small record stays while the 4-tuple may still carry packets (for tcp.stream numbering). */
static void end_flow(flow *f, uint64_t frame)
{
    if (f->st == F_DONE)
        return;
    if (!owned(f)) { /* another shard's: nothing was kept */
        f->st = F_DONE;
        return;
    }
    pcap_ctx *c = f->ctx;
    for (int i = 0; i < 2; i++) {
        size_t before = f->d[i].tcp.held_bytes;
        rlcap_tcp_flush(&f->d[i].tcp, &f->d[i].sink, frame);
        c->held_total -= before - f->d[i].tcp.held_bytes;
    }
    if (f->st == F_PROBE)
        decide(f, true);
    if (f->st == F_HTTP) {
        pdir *s = &f->d[f->server];
        finish_server(f, s->tcp.closed || f->server_rst);
    }
    if (f->tls && !f->tls_skipped && f->plain_off[0] == 0 && f->plain_off[1] == 0)
        c->r->stats->skipped++; /* a TLS connection that carried no HTTP: not checked */
    free_heavy(f);
    f->st = F_DONE;
}

static void remove_flow(pcap_ctx *c, flow *f)
{
    size_t b = c->by_stream ? stream_bucket(c, f->stream_index)
                            : flow_hash(c, &(rlcap_packet){.src = f->ip[0], .dst = f->ip[1],
                                                           .sport = f->port[0], .dport = f->port[1]});
    for (flow **pp = &c->buckets[b]; *pp; pp = &(*pp)->hnext)
        if (*pp == f) {
            *pp = f->hnext;
            break;
        }
    unlink_recent(c, f);
    if (c->last == f)
        c->last = NULL;
    c->nflows--;
    free_heavy(f); /* a connection skipped as not HTTP may still hold segments and marks */
    rlcap_free(f);
}

/* Ends connection f, idle for too long. */
static void idle_end(pcap_ctx *c, flow *f)
{
    if (f->d[0].tcp.held || f->d[1].tcp.held)
        report(f, "RL9004", c->frame,
               "the connection was idle for more than %llu s of capture time with segments "
               "still missing: resplint closes it and gives up on them",
               (unsigned long long)c->idle);
    f->expired = true;
    end_flow(f, c->frame);
}

/* Ends connections idle for too long (their small record stays, so that tcp.stream numbering
 * stays Wireshark's); forgets the least recent connection when at the limit. */
static void expire(pcap_ctx *c, bool idle_too, bool need_room)
{
    /* Runs every 1024 frames: ended connections stay in the list (cheaply skipped here) so that
     * the numbering of tcp.stream does not depend on resplint's limits. */
    for (flow *f = c->oldest; idle_too && f && f->last_seen + c->idle < c->now; f = f->newer) {
        step(c); /* each connection ended here is a step of its own, in every shard */
        if (f->st == F_DONE || f->st == F_SKIP)
            continue;
        if (c->emit) /* its owner closes it, and says what was missing */
            emit_event(c, RLCAP_EV_EXPIRE, owner_of(c, f->stream_index), f->stream_index);
        idle_end(c, f);
    }
    while (need_room && c->oldest && c->nflows >= c->max_flows) {
        if (c->nshards > 1) { /* which closed ones to report depends on every connection */
            diverged(c);
            return;
        }
        flow *f = c->oldest;
        if (f->st != F_DONE && f->st != F_SKIP) {
            /* A SYN flood evicts a connection per frame: one finding each would bury the
             * report. The first ones with data are reported, the rest counted (finish). */
            if (f->had_payload && c->evicted_reported < EVICTED_REPORTED) {
                c->evicted_reported++;
                report(f, "RL9004", c->frame,
                       "more than %llu connections at once: the least recently active one is "
                       "closed by resplint%s",
                       (unsigned long long)c->max_flows,
                       c->evicted_reported == EVICTED_REPORTED
                           ? " (further closed connections are counted, not reported one by one)"
                           : "");
            } else {
                c->evicted_quiet++;
            }
            end_flow(f, c->frame);
        } else if (!c->reported_flow_limit) {
            c->reported_flow_limit = true;
            report(f, "RL9004", c->frame,
                   "more than %llu connections at once: connections are forgotten, and a later "
                   "packet on a forgotten one counts as a new tcp.stream (Wireshark's numbering "
                   "may differ from here on)",
                   (unsigned long long)c->max_flows);
        }
        remove_flow(c, f);
    }
}

/* A new connection whose first packet is p (its tcp.stream: the next number, or the one the
 * reading gave it), in bucket. */
static flow *new_flow(pcap_ctx *c, const rlcap_packet *p, size_t bucket, long stream)
{
    if (!c->by_stream)
        expire(c, false, true);
    flow *f = rlcap_calloc(1, sizeof *f);
    if (!f) {
        rlcap_nomem(c->r);
        return NULL;
    }
    f->ctx = c;
    f->ip[0] = p->src;
    f->ip[1] = p->dst;
    f->port[0] = p->sport;
    f->port[1] = p->dport;
    f->stream_index = stream >= 0 ? stream : c->next_stream++;
    f->server = -1;
    f->st = F_PROBE;
    for (int i = 0; i < 2; i++) {
        pdir *d = &f->d[i];
        d->f = f;
        d->which = i;
        rlcap_tcp_init(&d->tcp, c->max_held);
        d->sink.data = dir_data;
        d->sink.gap = dir_gap;
        d->sink.user = d;
    }
    /* until a side speaks, the first packet's source is taken for the client */
    rlcap_format_endpoint(&f->ip[0], f->port[0], f->client, sizeof f->client);
    rlcap_format_endpoint(&f->ip[1], f->port[1], f->server_s, sizeof f->server_s);
    f->hnext = c->buckets[bucket];
    c->buckets[bucket] = f;
    link_newest(c, f);
    c->nflows++;
    return f;
}

/* Memory a connection holds besides its out-of-order segments: the response parser (a head
 * in the making, up to head-bytes; queued requests and their URLs), the probes, the frame
 * index, the URL of the request being read. */
static size_t flow_mem(const flow *f)
{
    size_t n = (f->rs ? resplint_stream_memory(f->rs) : 0) + f->url.target_cap + f->url.host_cap;
    for (int i = 0; i < 2; i++)
        n += (f->d[i].probe ? PROBE_MAX : 0) + f->d[i].idx.cap * sizeof(frame_mark);
    return n;
}

/* All connections together hold more than max_total (1,024 connections each in the middle of
 * a 1 MiB head held 930 MB): the least recently active ones are closed, f (the one being
 * fed) last. */
static void shed(pcap_ctx *c, flow *f)
{
    if (c->nshards > 1) { /* a shard knows only its own connections' memory */
        diverged(c);
        return;
    }
    for (flow *g = c->oldest; g && c->held_total + c->flow_mem_total > c->max_total;
         g = g->newer) {
        if (g == f || g->st == F_DONE || (!g->mem && !g->d[0].tcp.held && !g->d[1].tcp.held))
            continue;
        if (c->shed_reported < EVICTED_REPORTED) {
            c->shed_reported++;
            report(g, "RL9004", c->frame,
                   "the connections hold more than %llu bytes together (the flow-buffer and "
                   "head-bytes limits, times %u): the least recently active one is closed by "
                   "resplint%s",
                   (unsigned long long)c->max_total, (unsigned)GLOBAL_BUFFER_FLOWS,
                   c->shed_reported == EVICTED_REPORTED
                       ? " (further ones are counted, not reported one by one)"
                       : "");
        } else {
            c->shed_quiet++;
        }
        end_flow(g, c->frame);
    }
}

/* The connection table's part of a segment: finds its connection (a new one for a new 4-tuple,
 * or after a SYN that starts a new conversation on it) and its direction in *dirp; NULL when
 * memory ran out. */
static flow *flow_of(pcap_ctx *c, const rlcap_packet *p, int *dirp)
{
    size_t b = 0;
    bool hashed = false;
    flow *f = NULL;
    int dir = c->last ? flow_dir(c->last, p) : -1;
    if (dir >= 0) { /* the last segment's connection (50-99% of the frames of real captures) */
        f = c->last;
    } else {
        b = flow_hash(c, p);
        hashed = true;
        for (flow *x = c->buckets[b]; x; x = x->hnext) {
            dir = flow_dir(x, p);
            if (dir >= 0) {
                f = x;
                break;
            }
        }
    }
    bool syn_only = (p->flags & (RLCAP_TCP_SYN | RLCAP_TCP_ACK)) == RLCAP_TCP_SYN;
    /* Wireshark's rule: a SYN whose sequence number differs from the base sequence number of
     * that direction starts a new conversation, hence a new tcp.stream. */
    if (f && syn_only && f->d[dir].base_set && p->seq != f->d[dir].base_seq) {
        if (c->emit)
            emit_event(c, RLCAP_EV_REUSE, owner_of(c, f->stream_index), f->stream_index);
        end_flow(f, c->frame);
        remove_flow(c, f);
        f = NULL;
        step(c); /* the new connection (maybe another shard's) comes after the old one's end */
    }
    if (!f) {
        if (!hashed)
            b = flow_hash(c, p);
        f = new_flow(c, p, b, -1);
        if (!f)
            return NULL;
        dir = 0;
    }
    c->last = f;
    f->last_seen = c->now;
    unlink_recent(c, f);
    link_newest(c, f);
    pdir *d = &f->d[dir];
    if (!d->base_set) {
        d->base_set = true;
        d->base_seq = (p->flags & RLCAP_TCP_SYN) ? p->seq : p->seq - 1;
    }
    *dirp = dir;
    return f;
}

/* A segment of connection f in direction dir: reassembly, and what follows from it. */
static void flow_segment(pcap_ctx *c, flow *f, int dir, const rlcap_packet *p)
{
    pdir *d = &f->d[dir];
    if (f->expired && p->payload_len && f->had_payload) {
        f->expired = false; /* reported once */
        report(f, "RL9004", c->frame,
               "data after more than %llu s of silence on a connection resplint had closed as idle: "
               "it is not checked", (unsigned long long)c->idle);
    }
    if (f->st == F_DONE || p->header_cut || !owned(f))
        return;
    uint32_t missing = p->payload_wire - p->payload_len;
    if (missing && !d->truncated_reported && f->st != F_SKIP) {
        d->truncated_reported = true;
        report(f, "RL9003", c->frame,
               "frame cut by the snapshot length: %u of %u payload bytes of the %s direction are "
               "missing (later cut frames of this connection are not reported)",
               missing, p->payload_wire, dir_name(f, dir));
    }
    size_t before = d->tcp.held_bytes + f->d[1 - dir].tcp.held_bytes;
    if (f->st == F_SKIP) {
        /* not HTTP: only the connection's end matters */
        if (p->flags & (RLCAP_TCP_FIN | RLCAP_TCP_RST))
            d->tcp.closed = true;
    } else {
        rlcap_tcp_segment(&d->tcp, &d->sink, p->seq, p->flags, p->payload, p->payload_len, missing,
                          c->frame);
        if (p->flags & RLCAP_TCP_ACK)
            rlcap_tcp_ack(&f->d[1 - dir].tcp, &f->d[1 - dir].sink, p->ack, c->frame);
    }
    size_t after = d->tcp.held_bytes + f->d[1 - dir].tcp.held_bytes;
    c->held_total = c->held_total + after - before;
    if (c->held_total > c->max_held_total && c->nshards > 1) {
        diverged(c); /* the holes given up depend on every shard's connections */
    } else if (c->held_total > c->max_held_total) {
        /* all connections together hold too much: this one gives up its holes */
        while (d->tcp.held && c->held_total > c->max_held_total) {
            size_t h0 = d->tcp.held_bytes;
            rlcap_tcp_skip_hole(&d->tcp, &d->sink, RLCAP_GAP_LIMIT, c->frame);
            c->held_total -= h0 - d->tcp.held_bytes;
            if (d->tcp.held_bytes == h0)
                break;
        }
    }
    if (d->tcp.error || f->d[1 - dir].tcp.error) /* the reassembly's own flag, handed on */
        rlcap_nomem(c->r);
    if (f->st != F_DONE) {
        size_t m = flow_mem(f);
        c->flow_mem_total = c->flow_mem_total - f->mem + m;
        f->mem = m;
        if (c->held_total + c->flow_mem_total > c->max_total)
            shed(c, f);
    }
    /* (a server that reset the connection past a hole ends in end_flow, after what it holds
     * is delivered: finished first, the held bytes went to a finished stream, an internal
     * error) */
    if (f->st == F_HTTP && f->d[f->server].tcp.closed && !f->d[f->server].tcp.held)
        finish_server(f, true);
    bool rst = p->flags & RLCAP_TCP_RST;
    if (rst || (f->d[0].tcp.closed && f->d[1].tcp.closed) ||
        (f->st == F_SKIP && f->d[0].tcp.closed && f->d[1].tcp.closed)) {
        /* the server's side ends after what is held is delivered (end_flow): finishing it
         * first fed the held bytes to a finished stream (an internal error) */
        f->server_rst = rst && dir == f->server;
        end_flow(f, c->frame);
    }
}

static void on_tcp(pcap_ctx *c, const rlcap_packet *p)
{
    int dir = 0;
    flow *f = flow_of(c, p, &dir);
    if (!f)
        return;
    if (!c->emit) {
        flow_segment(c, f, dir, p);
        return;
    }
    /* the reading met the flows limit at this segment's new connection: the shards give up
     * before it (DIVERGE follows); one that took the segment first would report at this
     * step, and the merge could take that before it learnt that the shard gave up here */
    if (c->stop)
        return;
    /* the reading: the segment goes to its connection's shard */
    rlcap_feed_packet pk;
    memset(&pk, 0, sizeof pk);
    pk.st = stamp_at(c, owner_of(c, f->stream_index), 0);
    pk.stream = f->stream_index;
    pk.seq = p->seq;
    pk.ack = p->ack;
    pk.payload_wire = p->payload_wire;
    pk.sport = p->sport;
    pk.dport = p->dport;
    pk.src = p->src;
    pk.dst = p->dst;
    pk.flags = p->flags;
    pk.dir = (uint8_t)dir;
    pk.header_cut = p->header_cut;
    emit_put(c, RLCAP_FEED_PACKET, &pk.st, sizeof pk, p->payload, p->payload_len);
}

/* A fed shard: its connection number stream, NULL when it has none by that number. */
static flow *fed_flow(pcap_ctx *c, long stream)
{
    flow *f = c->buckets[stream_bucket(c, stream)];
    while (f && f->stream_index != stream)
        f = f->hnext;
    return f;
}

/* A fed shard: a segment of one of its connections, as the reading decoded it. */
static void fed_packet(pcap_ctx *c, const rlcap_feed_packet *pk, const unsigned char *payload,
                       size_t n)
{
    rlcap_packet p;
    memset(&p, 0, sizeof p);
    p.src = pk->src;
    p.dst = pk->dst;
    p.sport = pk->sport;
    p.dport = pk->dport;
    p.seq = pk->seq;
    p.ack = pk->ack;
    p.flags = pk->flags;
    p.payload = payload;
    p.payload_len = (uint32_t)n;
    p.payload_wire = pk->payload_wire;
    p.header_cut = pk->header_cut;
    flow *f = fed_flow(c, (long)pk->stream);
    if (!f && !(f = new_flow(c, &p, stream_bucket(c, (long)pk->stream), (long)pk->stream)))
        return;
    flow_segment(c, f, pk->dir, &p);
}

/* ---- IP fragments: reassembled as Wireshark does by default, first copy wins ---- */

static void frag_lost(pcap_ctx *c, frag_slot *sl)
{
    sl->used = false;
    if (sl->proto != 6)
        return; /* only TCP matters here */
    if (!c->frags_lost++ || sl->first_frame < c->first_lost_frame)
        c->first_lost_frame = sl->first_frame;
}

static bool frag_complete(const frag_slot *sl)
{
    if (!sl->total_known)
        return false;
    for (uint32_t u = 0; u < (sl->total + 7) / 8; u++)
        if (!(sl->have[u / 8] & (1u << (u % 8))))
            return false;
    return true;
}

/* A finding about the capture as a whole (a count said once, at the end), at a frame. */
static void capture_report(pcap_ctx *c, const char *rule, uint64_t frame, const char *fmt, ...)
{
    if (c->shard)
        return; /* shard 0's */
    resplint_origin o;
    frame_origin(c, frame, &o);
    va_list ap;
    va_start(ap, fmt);
    vreport(c->r, rule, &o, fmt, ap);
    va_end(ap);
}

/* A frame the decoder did not read to its end: counted, said once at the end. */
static void too_deep(pcap_ctx *c)
{
    if (!c->too_deep++)
        c->first_too_deep = c->frame;
}

static void on_fragment(pcap_ctx *c, const rlcap_packet *pk, bool whole_frame)
{
    if (!c->frags) {
        c->frags = rlcap_calloc(FRAG_SLOTS, sizeof *c->frags);
        if (!c->frags) {
            rlcap_nomem(c->r);
            return;
        }
    }
    frag_slot *sl = NULL, *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < FRAG_SLOTS; i++) {
        frag_slot *x = &c->frags[i];
        if (!x->used) {
            if (!free_slot)
                free_slot = x;
            continue;
        }
        if (x->id == pk->frag_id && x->proto == pk->frag_proto && ip_eq(&x->src, &pk->src) &&
            ip_eq(&x->dst, &pk->dst)) {
            sl = x;
            break;
        }
        if (!oldest || x->last_frame < oldest->last_frame)
            oldest = x;
    }
    if (!sl) {
        if (!free_slot) { /* the table is full: the oldest datagram will never be completed */
            frag_lost(c, oldest);
            free_slot = oldest;
        }
        sl = free_slot;
        if (!sl->buf && !(sl->buf = rlcap_malloc(FRAG_MAX))) {
            rlcap_nomem(c->r);
            return;
        }
        sl->used = true;
        sl->src = pk->src;
        sl->dst = pk->dst;
        sl->id = pk->frag_id;
        sl->proto = pk->frag_proto;
        sl->total_known = false;
        sl->total = 0;
        sl->first_frame = c->frame;
        memset(sl->have, 0, sizeof sl->have);
    }
    sl->last_frame = c->frame;
    uint64_t end = (uint64_t)pk->frag_offset + pk->frag_len;
    if (end > FRAG_MAX || !whole_frame || pk->frag_cut) {
        frag_lost(c, sl); /* bogus, or cut by the snapshot length: this datagram is lost */
        return;
    }
    for (uint32_t off = pk->frag_offset; off < end; off += 8) {
        uint32_t u = off / 8, n = end - off < 8 ? (uint32_t)(end - off) : 8;
        if (sl->have[u / 8] & (1u << (u % 8)))
            continue; /* first copy wins */
        memcpy(sl->buf + off, pk->frag_data + (off - pk->frag_offset), n);
        if (n == 8 || !pk->frag_more)
            sl->have[u / 8] |= (unsigned char)(1u << (u % 8));
    }
    if (!pk->frag_more) {
        sl->total_known = true;
        sl->total = (uint32_t)end;
    }
    if (!frag_complete(sl))
        return;
    sl->used = false;
    rlcap_packet t;
    memset(&t, 0, sizeof t);
    t.src = sl->src;
    t.dst = sl->dst;
    /* the datagram is dissected at its last fragment's frame, as in Wireshark */
    rlcap_decode_result dr = rlcap_decode_payload(sl->proto, sl->buf, sl->total, &t);
    if (dr == RLCAP_DEC_TCP)
        on_tcp(c, &t);
    else if (dr == RLCAP_DEC_TOO_DEEP)
        too_deep(c);
}

/* A sharded capture's exchange notes (resplint_exchanges_new_deferred): handed on with the
 * origin the finding they may become would have. */
static void on_note(const resplint_exchange_note *note, const resplint_finding *fi, void *user)
{
    flow *f = user;
    resplint_origin o;
    if (note->capped) /* which of the response's findings get through depends on the merge */
        diverged(f->ctx);
    if (note->kind == RESPLINT_XNOTE_RECORD && !note->first) {
        /* a URL this shard has seen: the note cannot become the memory's RL9004 (that comes
         * with a URL new to the whole capture), and needs no more origin than its place */
        rlcap_origin_init(f->ctx->r, &o);
    } else if (f->h2_checking)
        h2_finding_origin(f, fi, &o);
    else
        stream_finding_origin(f, fi, &o);
    f->ctx->r->handler->on_exchange(note, fi, &o, f->ctx->r->handler->user);
}

/* ---- the file ---- */

#ifndef RESPLINT_LIBPCAP_SONAME
#error "RESPLINT_LIBPCAP_SONAME: the soname of the libpcap found at configuration"
#endif

/* libpcap's functions this reader calls: libpcap is loaded for the first capture, not at
 * start-up (lib/core/lazylib.h) */
#define PCAP_FUNCS(X, ...)                                                                        \
    X(pcap_fopen_offline_with_tstamp_precision, __VA_ARGS__) X(pcap_datalink, __VA_ARGS__)        \
    X(pcap_datalink_val_to_name, __VA_ARGS__) X(pcap_file, __VA_ARGS__)                           \
    X(pcap_next_ex, __VA_ARGS__) X(pcap_geterr, __VA_ARGS__) X(pcap_close, __VA_ARGS__)       \
    X(pcap_snapshot, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(pcap_api, PCAP_FUNCS);

static int open_libpcap(rlcap_reader *r, pcap_api *api)
{
    char err[256];
    if (RLINT_LAZYLIB_LOAD(PCAP_FUNCS, api, RESPLINT_LIBPCAP_SONAME, err, sizeof err))
        return 0;
    return rlcap_fail(r, RESPLINT_EIO, "%s: a capture, which resplint reads with libpcap: %s",
                      r->path, err);
}

static int open_pcap(rlcap_reader *r, const pcap_api *api, source *src, rlcap_keylog *keys,
                     resplint_capture_feed *feed, pcap_t **out)
{
    memset(src, 0, sizeof *src);
    src->r = r;
    src->keys = keys;
    src->feed = feed;
    if (r->npeek >= 2 && r->peek[0] == 0x1f && r->peek[1] == 0x8b) {
        src->zl = rlint_zlib_get("a gzip-compressed input");
        if (!src->zl)
            return rlcap_fail(r, RESPLINT_EIO, "%s: %s", r->path, rlint_lazylib_why());
        src->gz = true;
        src->z.zalloc = rlcap_zalloc;
        src->z.zfree = rlcap_zfree;
        if (RLINT_INFLATE_INIT2(src->zl, &src->z, 15 + 16) != Z_OK)
            return rlcap_nomem(r);
    }
    cookie_io_functions_t io = {source_read, NULL, source_seek, NULL};
    FILE *fp = fopencookie(src, "r", io);
    if (!fp)
        return rlcap_nomem(r);
    setvbuf(fp, src->io, _IOFBF, sizeof src->io);
    /* the stream is this reader's alone: no lock taken by each of libpcap's two freads a
     * frame (in a process of several threads, as with shards, stdio locks every call) */
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    char err[PCAP_ERRBUF_SIZE];
    err[0] = '\0';
    pcap_t *p = api->pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, err);
    if (!p) {
        fclose(fp);
        return rlcap_fail(r, RESPLINT_EFORMAT, "%s: not a capture libpcap reads: %s", r->path,
                          err);
    }
    *out = p;
    return 0;
}

bool rlcap_gzip_holds_pcap(const void *head, size_t len)
{
    const unsigned char *h = head;
    if (len < 18 || h[0] != 0x1f || h[1] != 0x8b)
        return false;
    unsigned char out[4];
    z_stream z;
    memset(&z, 0, sizeof z); /* zlib's own allocator: a bool cannot say "out of memory" */
    /* without zlib: taken as WARC, whose reader says that zlib is missing */
    const rlint_zlib *zl = rlint_zlib_get("a gzip-compressed input");
    if (!zl || RLINT_INFLATE_INIT2(zl, &z, 15 + 16) != Z_OK)
        return false;
    z.next_in = (unsigned char *)(uintptr_t)h;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = sizeof out;
    while (z.avail_out && z.avail_in) {
        int zr = zl->inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK)
            break;
    }
    size_t got = sizeof out - z.avail_out;
    zl->inflateEnd(&z);
    if (got < 4)
        return false;
    uint32_t be = (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 | (uint32_t)out[2] << 8 | out[3];
    return be == 0xa1b2c3d4u || be == 0xd4c3b2a1u || be == 0xa1b23c4du || be == 0x4d3cb2a1u ||
           be == 0x0a0d0d0au;
}

/* Where each frame's record lies in the file: one ftell a frame, after it (a frame's end is
 * the next one's start). A classic pcap record is a 16-byte header and the captured bytes, so
 * there the end is counted, not asked of stdio (ftell on the cookie stream: 150 instructions
 * a frame, 3% of a shard's); but libpcap cuts a frame longer than the snapshot length and
 * skips the rest, so a frame whose length reached it is asked. The other magic numbers (a
 * patched header of 24 bytes, pcapng) are always asked. */
typedef struct placer {
    FILE *fp; /* NULL: places unknown (a gzip'd capture) */
    bool counted;
    int snap;
    long next; /* where the next frame's record begins */
} placer;

static void placer_init(placer *pl, const rlcap_reader *r, const pcap_api *api, pcap_t *p,
                        FILE *fp)
{
    pl->fp = fp;
    pl->next = fp ? ftell(fp) : -1;
    uint32_t magic = r->npeek >= 4 ? (uint32_t)r->peek[0] << 24 | (uint32_t)r->peek[1] << 16 |
                                         (uint32_t)r->peek[2] << 8 | r->peek[3]
                                   : 0;
    pl->counted = fp && (magic == 0xa1b2c3d4u || magic == 0xd4c3b2a1u ||
                         magic == 0xa1b23c4du || magic == 0x4d3cb2a1u);
    pl->snap = pl->counted ? api->pcap_snapshot(p) : 0;
}

/* The frame just read (header h): where its record begins (the previous one's end) and ends;
 * -1 when unknown. */
static void placer_frame(placer *pl, const struct pcap_pkthdr *h, long *before, long *after)
{
    *before = pl->next;
    if (!pl->fp) {
        *after = -1;
        return;
    }
    *after = pl->next = pl->counted && *before >= 0 && pl->snap > 0 &&
                                h->caplen < (bpf_u_int32)pl->snap
                            ? *before + 16 + (long)h->caplen
                            : ftell(pl->fp);
}

/* Where a frame's record lies in the file, from where the reading was before and after it: a
 * pcap record is a 16-byte header and the captured bytes; a pcapng packet block has options of
 * its own, so it is everything read since the previous frame (which includes any non-packet
 * block in between). *off is -1 when unknown. */
static void frame_span(long before, long after, uint32_t caplen, bool pcapng, int64_t *off,
                       uint32_t *len)
{
    uint64_t start = pcapng || after < 0 ? (uint64_t)before : (uint64_t)after - 16 - caplen;
    *off = before < 0 ? -1 : (int64_t)start;
    *len = before < 0 || after < before ? 0 : (uint32_t)((uint64_t)after - start);
}

static void short_report(pcap_ctx *c, uint32_t caplen, uint32_t len)
{
    resplint_origin o;
    frame_origin(c, c->frame, &o);
    rlcap_report(c->r, "RL9003", &o, RESPLINT_NO_OFFSET, 0, 0,
                 "frame %llu is cut by the snapshot length (%u of %u bytes) before its TCP header "
                 "ends (further such frames are not reported)",
                 (unsigned long long)c->frame, caplen, len);
}

/* One frame read (place: where its record begins in the file, -1 unknown): a step, decoded
 * down to TCP, its segment to its connection; every 1024 frames the idle connections end. The
 * reading of a shared capture (c->emit) puts what the shards need in the feed instead. */
static void frame_in(pcap_ctx *c, const struct pcap_pkthdr *h, const u_char *data, int64_t place,
                     uint32_t place_len)
{
    c->frame++;
    step(c);
    c->now = (uint64_t)(h->ts.tv_sec < 0 ? 0 : h->ts.tv_sec);
    place_set(c, c->frame, place, place_len);
    if (c->emit) {
        c->here.frame = c->frame;
        c->here.place = place;
        c->here.place_len = place_len;
        c->here.bytes = c->r->stats->bytes;
    }
    rlcap_packet pk;
    rlcap_decode_result dr = rlcap_decode(c->dlt, data, h->caplen, &pk);
    if (dr == RLCAP_DEC_TCP) {
        /* An IP length beyond a frame that was not cut is a lie of the packet (Wireshark
         * calls it malformed), not a snapshot length: take the bytes that are there. */
        if (h->caplen >= h->len)
            pk.payload_wire = pk.payload_len;
        on_tcp(c, &pk);
    } else if (dr == RLCAP_DEC_FRAGMENT) {
        on_fragment(c, &pk, h->caplen >= h->len);
    } else if (dr == RLCAP_DEC_TOO_DEEP) {
        too_deep(c);
    }
    /* TCP options cut count too: with -s 64 every frame of a connection may be cut there */
    if ((dr == RLCAP_DEC_SHORT || (dr == RLCAP_DEC_TCP && pk.header_cut)) &&
        h->caplen < h->len && !c->reported_short && !c->stop) {
        c->reported_short = true;
        step(c);
        if (c->emit) /* about the capture: shard 0's */
            emit_event_at(c, RLCAP_EV_SHORT, 0, -1, c->r->order, h->caplen, h->len);
        else if (!c->shard)
            short_report(c, h->caplen, h->len);
    }
    if ((c->frame & 1023) == 0 && !(c->emit && c->stop))
        expire(c, true, false);
}

/* A frame libpcap gave (pl: where the reading is in the file), with its place when places
 * are kept. */
static void frame_read(pcap_ctx *c, placer *pl, const struct pcap_pkthdr *h, const u_char *data,
                       bool places, bool pcapng)
{
    long before = -1, after = -1;
    placer_frame(pl, h, &before, &after);
    int64_t off = -1;
    uint32_t len = 0;
    if (places)
        frame_span(before, after, h->caplen, pcapng, &off, &len);
    frame_in(c, h, data, off, len);
}

/* The limits and the connection table: what the reading of a shared capture and each of its
 * shards set up alike (shard == nshards: the reading, which checks no connection). */
static void ctx_init(pcap_ctx *c, rlcap_reader *r, unsigned shard, unsigned nshards)
{
    c->r = r;
    c->max_flows = (size_t)resplint_config_limit(r->cfg, RESPLINT_LIMIT_FLOWS);
    c->max_held = (size_t)resplint_config_limit(r->cfg, RESPLINT_LIMIT_FLOW_BUFFER);
    size_t per = (size_t)resplint_config_limit(r->cfg, RESPLINT_LIMIT_HEAD_BYTES);
    if (per < c->max_held)
        per = c->max_held;
    c->max_total = per > SIZE_MAX / GLOBAL_BUFFER_FLOWS ? SIZE_MAX : per * GLOBAL_BUFFER_FLOWS;
    c->max_held_total = c->max_held > SIZE_MAX / GLOBAL_BUFFER_FLOWS
                            ? SIZE_MAX
                            : c->max_held * GLOBAL_BUFFER_FLOWS;
    if (nshards > 1) {
        /* whenever all connections together pass a limit, some shard passes its share */
        c->shard = shard;
        c->nshards = nshards;
        c->max_total /= c->nshards;
        c->max_held_total /= c->nshards;
    }
    c->idle = resplint_config_limit(r->cfg, RESPLINT_LIMIT_FLOW_IDLE);
    if (c->max_flows == 0)
        c->max_flows = 1;
    hash_key_init(c);
    c->nbuckets = 1024;
    while (c->nbuckets < c->max_flows && c->nbuckets < (1u << 20))
        c->nbuckets *= 2;
    /* calloc: a capture of few connections touches few of the 1 MiB of buckets (the pages a
     * lookup only reads stay the shared zero page). A shard is one of several threads: there a
     * page first read (the zero page) then written is a copy-on-write fault that flushes the TLB
     * of every other thread's core (an IPI each: 1.8% of a 200 MB capture's CPU time with two
     * shards), so its buckets are written at once (fresh pages, no flush). */
    c->buckets = rlcap_calloc(c->nbuckets, sizeof *c->buckets);
    if (c->buckets && c->nshards > 1)
        memset(c->buckets, 0, c->nbuckets * sizeof *c->buckets);
}

/* The producer of a shared reading (resplint_capture_feed_run): libpcap reads the capture
 * once; each frame is decoded and its segment looked up in the connection table here, once
 * for all shards, and what each shard needs goes to the feed in reading order: the opening,
 * each segment for the shard of its connection (and every other frame's place), the table's
 * events (an idle connection ended, a 4-tuple reused, the flows limit met), the DSB key logs
 * met on the way, how the reading ended with its counts, and the connections still open at
 * the end. It stops early when every shard has left. */
int rlcap_feed_pcap(rlcap_reader *r, resplint_capture_feed *feed)
{
    rlcap_feed_open op;
    memset(&op, 0, sizeof op);
    source *src = rlcap_malloc(sizeof *src);
    pcap_t *p = NULL;
    pcap_api api;
    int rc = src ? open_libpcap(r, &api) : rlcap_nomem(r);
    if (rc == 0) {
        rc = open_pcap(r, &api, src, NULL, feed, &p);
        if (rc < 0)
            rlint_lazylib_close(api.lib);
    }
    if (rc < 0) {
        op.fail = r->err.code ? r->err.code : rc;
        snprintf(op.msg, sizeof op.msg, "%s", r->err.buf ? r->err.buf : resplint_strerror(rc));
        rlcap_feed_put(feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_OPEN, &op, sizeof op, NULL, 0);
        if (src && src->gz)
            src->zl->inflateEnd(&src->z);
        rlcap_free(src);
        return rc;
    }
    op.dlt = api.pcap_datalink(p);
    const char *name = api.pcap_datalink_val_to_name(op.dlt);
    snprintf(op.dlt_name, sizeof op.dlt_name, "%s", name ? name : "unknown");
    FILE *fp = api.pcap_file(p);
    op.places = !src->gz && fp;
    pcap_ctx c;
    memset(&c, 0, sizeof c);
    unsigned n = rlcap_feed_shards(feed);
    ctx_init(&c, r, n, n);
    c.shard = c.nshards = n; /* its own "shard", past the others: it reports nothing */
    c.dlt = op.dlt;
    c.emit = feed;
    if (!c.buckets)
        rlcap_nomem(r);
    if (op.places) /* the places of the frames the counts at the end name */
        places_alloc(&c, false);
    bool pcapng = r->npeek >= 4 && memcmp(r->peek, "\x0a\x0d\x0d\x0a", 4) == 0;
    if (!rlcap_feed_put(feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_OPEN, &op, sizeof op, NULL, 0))
        c.emit_gone = c.stop = true;
    placer pl;
    placer_init(&pl, r, &api, p, op.places ? fp : NULL);
    src->frame = &c.frame;
    int got = PCAP_ERROR_BREAK;
    while (!c.stop && !rlcap_failed(r)) {
        struct pcap_pkthdr *h;
        const u_char *data;
        got = api.pcap_next_ex(p, &h, &data);
        if (got != 1)
            break;
        frame_read(&c, &pl, h, data, op.places, pcapng);
    }
    if (c.stop && !c.emit_gone) { /* the flows limit: every shard gives up at its step */
        emit_event_at(&c, RLCAP_EV_DIVERGE, RLCAP_FEED_ALL, -1, c.stop_order, 0, 0);
        c.emit_gone = true; /* nothing follows */
    }
    if (!c.emit_gone) {
        if (got == 1) /* the reading itself failed (memory) */
            got = PCAP_ERROR;
        uint64_t end_order = r->order;
        /* the steps a shard takes at the end (unshared_end), counted alike here */
        if (got != PCAP_ERROR_BREAK)
            step(&c);
        step(&c);
        if (c.frags)
            for (size_t i = 0; i < FRAG_SLOTS; i++)
                if (c.frags[i].used)
                    frag_lost(&c, &c.frags[i]);
        const char *ge = got == PCAP_ERROR_BREAK ? "" : api.pcap_geterr(p);
        const char *fm = rlcap_failed(r) && r->err.buf ? r->err.buf : "";
        size_t gl = strlen(ge), fl = strlen(fm);
        char *msgs = rlcap_malloc(gl + fl + 1);
        resplint_origin lost, deep;
        frame_origin(&c, c.frags_lost ? c.first_lost_frame : 0, &lost);
        frame_origin(&c, c.too_deep ? c.first_too_deep : 0, &deep);
        rlcap_feed_end e = {got, rlcap_failed(r) ? r->err.code : 0, r->stats->bytes,
                            src->dsb_dropped, c.frame, end_order, c.frags_lost,
                            c.first_lost_frame, c.too_deep, c.first_too_deep,
                            lost.file_offset == RESPLINT_NO_OFFSET ? -1 : (int64_t)lost.file_offset,
                            deep.file_offset == RESPLINT_NO_OFFSET ? -1 : (int64_t)deep.file_offset,
                            (uint32_t)lost.file_length, (uint32_t)deep.file_length, (uint32_t)gl,
                            (uint32_t)fl};
        if (msgs) {
            memcpy(msgs, ge, gl);
            memcpy(msgs + gl, fm, fl);
        } else { /* the messages are lost, not the end */
            e.geterr_len = e.failmsg_len = 0;
        }
        if (!rlcap_feed_put(feed, RLCAP_FEED_ALL, end_order, RLCAP_FEED_END, &e, sizeof e, msgs, msgs ? gl + fl : 0))
            c.emit_gone = true;
        rlcap_free(msgs);
        /* the capture is over: every connection still open ends, a step each */
        for (flow *f = c.oldest; f && !c.emit_gone; f = f->newer) {
            step(&c);
            emit_event(&c, RLCAP_EV_FINAL, owner_of(&c, f->stream_index), f->stream_index);
        }
        if (!c.emit_gone)
            rlcap_feed_put(feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_DONE, NULL, 0, NULL, 0);
    }
    while (c.oldest)
        remove_flow(&c, c.oldest);
    if (c.frags) {
        for (size_t i = 0; i < FRAG_SLOTS; i++)
            rlcap_free(c.frags[i].buf);
        rlcap_free(c.frags);
    }
    rlcap_free(c.buckets);
    places_free(&c);
    api.pcap_close(p);
    rlint_lazylib_close(api.lib);
    if (src->gz)
        src->zl->inflateEnd(&src->z);
    rlcap_free(src);
    return rlcap_result(r);
}

/* A shard's side of a shared reading. */
typedef struct fed {
    resplint_capture_feed *feed;
    unsigned k;
    char geterr[PCAP_ERRBUF_SIZE + 256]; /* libpcap's message where the reading ended */
} fed;

/* The next record that is not a key log's (those go to c's key log as they come); false when
 * the reading ended without one (its producer stopped). */
static bool fed_next(fed *fd, pcap_ctx *c, rlcap_feed_rec *rec)
{
    rlcap_reader *r = c->r;
    while (rlcap_feed_next(fd->feed, fd->k, r->order + 1, rec)) {
        if (rec->type == RLCAP_FEED_SECRET) {
            if (rlcap_keylog_add(c->keys, rec->meta, rec->meta_len) == RESPLINT_ENOMEM)
                rlcap_nomem(r);
        } else if (rec->type == RLCAP_FEED_SECRET_END) {
            if (rlcap_keylog_end(c->keys) == RESPLINT_ENOMEM)
                rlcap_nomem(r);
        } else {
            return true;
        }
    }
    rlcap_fail(r, RESPLINT_EIO, "%s: the shared reading of the capture stopped (--jobs)",
               r->path);
    return false;
}

/* A fed shard: a table event of the reading for this shard. */
static void fed_event(pcap_ctx *c, const rlcap_feed_event *ev)
{
    flow *f = ev->stream >= 0 ? fed_flow(c, (long)ev->stream) : NULL;
    switch (ev->st.kind) {
    case RLCAP_EV_SHORT:
        c->reported_short = true;
        short_report(c, ev->caplen, ev->len);
        break;
    case RLCAP_EV_EXPIRE:
        if (f && f->st != F_DONE && f->st != F_SKIP)
            idle_end(c, f);
        break;
    case RLCAP_EV_REUSE:
        if (f) {
            end_flow(f, c->frame);
            remove_flow(c, f);
        }
        break;
    case RLCAP_EV_FINAL:
        if (f)
            end_flow(f, c->frame);
        break;
    case RLCAP_EV_DIVERGE:
        diverged(c);
        break;
    default:
        break;
    }
}

/* A fed shard: a record of its ring (PACKET or EVENT for it or for every shard, PROGRESS). Its
 * step, frame and place are noted (the shard's next findings come at that step or later; a
 * finding at a recent frame has its place in the file), and it is taken. false: a record of
 * another type. */
static bool fed_record(pcap_ctx *c, const rlcap_feed_rec *rec)
{
    rlcap_reader *r = c->r;
    if (rec->type == RLCAP_FEED_PROGRESS) { /* how far the reading is: the shard's position */
        uint64_t o;
        memcpy(&o, rec->meta, sizeof o);
        if (o > r->order + 1)
            r->order = o - 1;
        return true;
    }
    if (rec->type != RLCAP_FEED_PACKET && rec->type != RLCAP_FEED_EVENT)
        return false;
    rlcap_feed_stamp st;
    memcpy(&st, rec->meta, sizeof st);
    r->order = st.order;
    c->frame = st.frame;
    place_set(c, c->frame, st.place, st.place_len);
    if (st.bytes > r->stats->bytes) { /* (the capture's end was said by END: never back) */
        r->stats->bytes = st.bytes;
        if (r->handler->on_progress)
            r->handler->on_progress(st.bytes, r->total, r->handler->user);
    }
    if (rec->type == RLCAP_FEED_PACKET) {
        rlcap_feed_packet pk;
        memcpy(&pk, rec->meta, sizeof pk);
        fed_packet(c, &pk, rec->data, rec->data_len);
    } else {
        rlcap_feed_event ev;
        memcpy(&ev, rec->meta, sizeof ev);
        fed_event(c, &ev);
    }
    return true;
}

/* A fed shard: the records up to the reading's END, whose result (pcap_next_ex's last) it
 * returns with its counts, messages (fd->geterr) and error taken; PCAP_ERROR when the reading
 * stopped or this shard failed or gave up. */
static int fed_run(fed *fd, pcap_ctx *c, source *src)
{
    rlcap_reader *r = c->r;
    rlcap_feed_rec rec;
    fd->geterr[0] = '\0';
    while (!rlcap_failed(r) && !c->stop && fed_next(fd, c, &rec)) {
        if (fed_record(c, &rec))
            continue;
        if (rec.type != RLCAP_FEED_END) {
            rlcap_fail(r, RESPLINT_ESTATE, "%s: internal error: the shared reading sent a "
                       "record of type %d", r->path, rec.type);
            break;
        }
        rlcap_feed_end e;
        memcpy(&e, rec.meta, sizeof e);
        r->stats->bytes = e.bytes;
        r->order = e.order;
        c->frame = e.frames;
        src->dsb_dropped = e.dsb_dropped;
        c->frags_lost = e.frags_lost;
        c->first_lost_frame = e.first_lost_frame;
        c->too_deep = e.too_deep;
        c->first_too_deep = e.first_too_deep;
        /* the frames those are said at: no record of this shard's may have had them */
        if (e.lost_place >= 0)
            place_set(c, e.first_lost_frame, e.lost_place, e.lost_place_len);
        if (e.deep_place >= 0)
            place_set(c, e.first_too_deep, e.deep_place, e.deep_place_len);
        snprintf(fd->geterr, sizeof fd->geterr, "%.*s", (int)e.geterr_len,
                 (const char *)rec.data);
        if (e.fail)
            rlcap_fail(r, e.fail, "%.*s", (int)e.failmsg_len,
                       (const char *)rec.data + e.geterr_len);
        return e.got;
    }
    return PCAP_ERROR;
}

/* A fed shard, after the END: its connections still open end as the reading says (DONE
 * ends the records). */
static void fed_final(fed *fd, pcap_ctx *c)
{
    rlcap_feed_rec rec;
    while (!rlcap_failed(c->r) && !c->stop && fed_next(fd, c, &rec) &&
           rec.type != RLCAP_FEED_DONE)
        if (!fed_record(c, &rec))
            rlcap_fail(c->r, RESPLINT_ESTATE, "%s: internal error: the shared reading sent a "
                       "record of type %d after its end", c->r->path, rec.type);
}

/* How the reading of frames ended (got: pcap_next_ex's last result, why: libpcap's message). */
static void reading_ended(pcap_ctx *c, int got, const char *why)
{
    rlcap_reader *r = c->r;
    if (got == PCAP_ERROR_BREAK)
        return;
    /* A file cut in the middle of a frame: what came before is still good. */
    step(c);
    if (rlcap_failed(r)) { /* the source said why */
    } else if (!strstr(why, "truncated")) {
        rlcap_fail(r, RESPLINT_EFORMAT, "%s: after frame %llu: %s", r->path,
                   (unsigned long long)c->frame, why);
    } else if (!c->shard) {
        resplint_origin o;
        rlcap_origin_init(r, &o);
        o.frame = c->frame + 1;
        rlcap_report(r, "RL9003", &o, RESPLINT_NO_OFFSET, 0, 0,
                     "the capture file ends in the middle of frame %llu (%s)",
                     (unsigned long long)(c->frame + 1), why);
    }
}

int rlcap_read_pcap(rlcap_reader *r)
{
    source *src = rlcap_malloc(sizeof *src);
    if (!src)
        return rlcap_nomem(r);
    /* the key logs first: a pcapng's secrets are taken as libpcap reads its blocks */
    rlcap_keylog *keys = rlcap_keylog_new();
    if (!keys) {
        rlcap_free(src);
        return rlcap_nomem(r);
    }
    for (size_t i = 0; i < r->opts->nkeylogs; i++) {
        char err[512];
        long rc = rlcap_keylog_load(keys, r->opts->keylogs[i], err, sizeof err);
        if (rc < 0) {
            rlcap_keylog_free(keys);
            rlcap_free(src);
            return rlcap_fail(r, rc == RESPLINT_ENOMEM ? RESPLINT_ENOMEM : RESPLINT_EIO, "%s: %s",
                              r->path, err);
        }
    }
    pcap_t *p = NULL;
    pcap_api api;
    pcap_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.keys = keys;
    c.keylog_given = r->opts->nkeylogs > 0;
    /* a shard of a shared reading takes what libpcap gave from the feed */
    fed fd = {r->opts->nshards > 1 ? r->opts->feed : NULL, r->opts->shard, {0}};
    rlcap_feed_open op;
    memset(&op, 0, sizeof op);
    memset(src, 0, sizeof *src);
    int rc = 0;
    if (fd.feed) {
        rlcap_feed_rec rec;
        if (!fed_next(&fd, &c, &rec)) {
            rc = rlcap_result(r);
        } else if (rec.type != RLCAP_FEED_OPEN) {
            rc = rlcap_fail(r, RESPLINT_ESTATE, "%s: internal error: the shared reading began "
                            "with a record of type %d", r->path, rec.type);
        } else {
            memcpy(&op, rec.meta, sizeof op);
            if (op.fail)
                rc = rlcap_fail(r, op.fail, "%s", op.msg);
        }
    } else {
        rc = open_libpcap(r, &api);
        if (rc == 0) {
            rc = open_pcap(r, &api, src, keys, NULL, &p);
            if (rc < 0)
                rlint_lazylib_close(api.lib);
        }
    }
    if (rc < 0) { /* (an error met while the file header was read ends the loop below) */
        if (src->gz)
            src->zl->inflateEnd(&src->z);
        rlcap_free(src);
        rlcap_keylog_free(keys);
        return rlcap_result(r);
    }
    ctx_init(&c, r, r->opts->shard, r->opts->nshards);
    c.dlt = fd.feed ? op.dlt : api.pcap_datalink(p);
    c.by_stream = fd.feed != NULL; /* only its own connections, by the reading's numbers */
    llhttp_settings_init(&c.req_settings);
    c.req_settings.on_message_begin = on_req_message_begin;
    c.req_settings.on_method = on_req_method;
    c.req_settings.on_headers_complete = on_req_headers_complete;
    c.req_settings.on_url = on_req_url;
    c.req_settings.on_header_field = on_req_field;
    c.req_settings.on_header_value = on_req_value;
    c.req_settings.on_header_value_complete = on_req_value_done;
    c.xchg = c.nshards > 1 ? resplint_exchanges_new_deferred(r->cfg, on_note)
                           : resplint_exchanges_new(r->cfg);
    if (!c.buckets || !c.xchg)
        rc = rlcap_nomem(r);
    rlcap_packet probe;
    if (rc == 0 && rlcap_decode(c.dlt, NULL, 0, &probe) == RLCAP_DEC_UNSUPPORTED) {
        const char *name = fd.feed ? op.dlt_name : api.pcap_datalink_val_to_name(c.dlt);
        rc = rlcap_fail(r, RESPLINT_EFORMAT,
                        "%s: link type DLT_%s (%d) is not one resplint decodes (Ethernet, Linux "
                        "SLL/SLL2, loopback, raw IP, NFLOG, 802.11, Cisco HDLC, PPP, ARCNET)",
                        r->path, name ? name : "unknown", c.dlt);
    }
    FILE *fp = fd.feed ? NULL : api.pcap_file(p);
    bool pcapng = r->npeek >= 4 && memcmp(r->peek, "\x0a\x0d\x0d\x0a", 4) == 0;
    if (rc == 0 && (fd.feed ? op.places : !src->gz && fp)) {
        places_alloc(&c, fd.feed != NULL);
    }
    src->frame = &c.frame;
    placer pl;
    if (!fd.feed)
        placer_init(&pl, r, &api, p, c.place_off ? fp : NULL);
    if (fd.feed) {
        if (rc == 0 && !rlcap_failed(r) && !c.stop) {
            int got = fed_run(&fd, &c, src);
            if (!c.stop)
                reading_ended(&c, got, fd.geterr);
        }
    } else {
        while (rc == 0 && !rlcap_failed(r) && !c.stop) {
            struct pcap_pkthdr *h;
            const u_char *data;
            int got = api.pcap_next_ex(p, &h, &data);
            if (got != 1) {
                reading_ended(&c, got, api.pcap_geterr(p));
                break;
            }
            frame_read(&c, &pl, h, data, c.place_off != NULL, pcapng);
        }
    }
    if (c.stop) /* a shard that stopped early: what follows would not be right */
        c.frags_lost = c.too_deep = c.shed_quiet = c.evicted_quiet = src->dsb_dropped = 0;
    step(&c); /* the counts said at the end come after the last frame's findings */
    if (c.frags)
        for (size_t i = 0; i < FRAG_SLOTS; i++)
            if (c.frags[i].used)
                frag_lost(&c, &c.frags[i]);
    if (c.frags_lost)
        capture_report(&c, "RL9002", c.first_lost_frame,
                       "%llu fragmented IP datagram%s carrying TCP %s never completed: fragments "
                       "are missing from the capture (the first in frame %llu), and the TCP bytes "
                       "they carried with them",
                       (unsigned long long)c.frags_lost, c.frags_lost == 1 ? "" : "s",
                       c.frags_lost == 1 ? "was" : "were",
                       (unsigned long long)c.first_lost_frame);
    if (c.too_deep)
        capture_report(&c, "RL9004", c.first_too_deep,
                       "%llu frame%s (the first is frame %llu) nest%s more than %d "
                       "encapsulations (VLAN tags; tunnels: IP in IP, GRE, VXLAN) or more than %d "
                       "IPv6 extension headers: resplint does not decode %s, and HTTP carried in "
                       "%s is not checked",
                       (unsigned long long)c.too_deep, c.too_deep == 1 ? "" : "s",
                       (unsigned long long)c.first_too_deep, c.too_deep == 1 ? "s" : "",
                       RLCAP_MAX_NESTING, RLCAP_MAX_IPV6_EXT, c.too_deep == 1 ? "it" : "them",
                       c.too_deep == 1 ? "it" : "them");
    if (src->dsb_dropped && !c.shard) {
        resplint_origin o;
        rlcap_origin_init(r, &o);
        rlcap_report(r, "RL9004", &o, RESPLINT_NO_OFFSET, 0, 0,
                     "the capture's Decryption Secrets Blocks hold more than %u MiB of TLS key "
                     "log: blocks holding %llu bytes of it did not fit and were not used "
                     "(connections only they would decrypt are RL9009)",
                     DSB_MAX >> 20, (unsigned long long)src->dsb_dropped);
    }
    if (c.shed_quiet)
        capture_report(&c, "RL9004", c.frame,
                       "%llu more connection%s closed by resplint because the connections held "
                       "more than %llu bytes together (counted here, not reported one by one)",
                       (unsigned long long)c.shed_quiet, c.shed_quiet == 1 ? " was" : "s were",
                       (unsigned long long)c.max_total);
    if (c.evicted_quiet)
        capture_report(&c, "RL9004", c.frame,
                       "%llu more connection%s closed by resplint at the limit of %llu connections "
                       "at once (connections without data, and those past the first %u, are "
                       "counted here, not reported one by one)",
                       (unsigned long long)c.evicted_quiet,
                       c.evicted_quiet == 1 ? " was" : "s were",
                       (unsigned long long)c.max_flows, EVICTED_REPORTED);
    if (c.frags) {
        for (size_t i = 0; i < FRAG_SLOTS; i++)
            rlcap_free(c.frags[i].buf);
        rlcap_free(c.frags);
    }
    /* the capture is over: every connection still open ends here */
    c.capture_over = true;
    if (fd.feed) /* the reading says which of its own, at which step */
        fed_final(&fd, &c);
    for (flow *f = c.oldest; !fd.feed && f && !rlcap_failed(r) && !c.stop; f = f->newer) {
        step(&c); /* each connection's end a step of its own, in every shard */
        end_flow(f, c.frame);
    }
    while (c.oldest)
        remove_flow(&c, c.oldest);
    rlcap_free(c.buckets);
    places_free(&c);
    resplint_exchanges_free(c.xchg);
    if (c.nshards > 1 && rlcap_failed(r) && !r->stats->shard_stop)
        r->stats->shard_stop = r->order + 1; /* the step the error stopped the reading at */
    if (!fd.feed) {
        api.pcap_close(p);
        rlint_lazylib_close(api.lib);
    }
    if (src->gz)
        src->zl->inflateEnd(&src->z);
    rlcap_free(src);
    rlcap_keylog_free(keys);
    return rlcap_result(r);
}
