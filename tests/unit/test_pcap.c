/* Tests of the pcap reader: frame decoding, TCP reassembly with crafted segments (out of order,
 * overlaps, wrap-around, gaps, truncation, limits), and whole captures through the library. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include "pcap_internal.h"
#include "h2.h"
#include "tls.h"
#include "reader.h"
#include "feed.h"
#include "resplint/capture.h"

#include <pcap/dlt.h>
#include <pthread.h>
#include <unistd.h>

/* ---- decoding ---- */

static size_t put_ipv4_tcp(unsigned char *p, size_t ihl_words, uint16_t frag, const char *payload)
{
    size_t plen = strlen(payload), ihl = ihl_words * 4, total = ihl + 20 + plen;
    memset(p, 0, total);
    p[0] = (unsigned char)(0x40 | ihl_words);
    p[2] = (unsigned char)(total >> 8);
    p[3] = (unsigned char)total;
    p[6] = (unsigned char)(frag >> 8);
    p[7] = (unsigned char)frag;
    p[8] = 64;
    p[9] = 6;
    memcpy(p + 12, "\xc0\x00\x02\x01", 4);
    memcpy(p + 16, "\xc6\x33\x64\x01", 4);
    unsigned char *t = p + ihl;
    t[0] = 0x9c; t[1] = 0x40; /* 40000 */
    t[2] = 0; t[3] = 80;
    t[4] = 0; t[5] = 0; t[6] = 0x03; t[7] = 0xe8; /* seq 1000 */
    t[12] = 5 << 4;
    t[13] = 0x18;
    memcpy(t + 20, payload, plen);
    return total;
}

static void test_decode_ethernet_qinq_ipv4_options(void **state)
{
    (void)state;
    unsigned char f[256];
    memset(f, 0, 22);
    f[12] = 0x88; f[13] = 0xa8; /* 802.1ad */
    f[16] = 0x81; f[17] = 0x00; /* 802.1Q */
    f[20] = 0x08; f[21] = 0x00;
    size_t n = 22 + put_ipv4_tcp(f + 22, 6, 0x4000, "HTTP/1.1 200 OK\r\n");
    rlcap_packet pk;
    assert_int_equal(rlcap_decode(DLT_EN10MB, f, n, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.sport, 40000);
    assert_int_equal(pk.dport, 80);
    assert_int_equal(pk.seq, 1000);
    assert_int_equal(pk.payload_len, 17);
    assert_int_equal(pk.payload_wire, 17);
    assert_memory_equal(pk.payload, "HTTP/", 5);
    char ep[64];
    rlcap_format_endpoint(&pk.src, pk.sport, ep, sizeof ep);
    assert_string_equal(ep, "192.0.2.1:40000");
    /* cut by the snapshot length inside the payload */
    assert_int_equal(rlcap_decode(DLT_EN10MB, f, n - 7, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 10);
    assert_int_equal(pk.payload_wire, 17);
    /* cut inside the TCP header */
    assert_int_equal(rlcap_decode(DLT_EN10MB, f, 22 + 24 + 10, &pk), RLCAP_DEC_SHORT);
}

static void test_decode_fragments_and_link_types(void **state)
{
    (void)state;
    unsigned char f[256], ip[200];
    size_t n = put_ipv4_tcp(ip, 5, 0x2000 | 3, "x"); /* more fragments, offset 24 */
    rlcap_packet pk;
    assert_int_equal(rlcap_decode(DLT_RAW, ip, n, &pk), RLCAP_DEC_FRAGMENT);
    assert_int_equal(pk.frag_offset, 24);
    assert_true(pk.frag_more);
    assert_int_equal(pk.frag_len, 21);
    assert_false(pk.frag_cut);
    n = put_ipv4_tcp(ip, 5, 0, "abc");
    /* BSD loopback, family in either byte order */
    memcpy(f, "\x02\x00\x00\x00", 4);
    memcpy(f + 4, ip, n);
    assert_int_equal(rlcap_decode(DLT_NULL, f, n + 4, &pk), RLCAP_DEC_TCP);
    memcpy(f, "\x00\x00\x00\x02", 4);
    assert_int_equal(rlcap_decode(DLT_NULL, f, n + 4, &pk), RLCAP_DEC_TCP);
    assert_int_equal(rlcap_decode(DLT_LOOP, f, n + 4, &pk), RLCAP_DEC_TCP);
    /* Linux SLL2: protocol first */
    memset(f, 0, 20);
    f[0] = 0x08;
    memcpy(f + 20, ip, n);
    assert_int_equal(rlcap_decode(276, f, n + 20, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 3);
    /* NFLOG: header, a prefix attribute, then the payload attribute (type 9) */
    memset(f, 0, 16);
    f[0] = 2;
    f[4] = 8; f[6] = 10; /* NFULA_PREFIX, length 8 (host order) */
    f[12] = (unsigned char)(n + 4); f[14] = 9;
    memcpy(f + 16, ip, n);
    assert_int_equal(rlcap_decode(239, f, n + 16, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 3);
    assert_int_equal(rlcap_decode(DLT_FDDI, f, n, &pk), RLCAP_DEC_UNSUPPORTED);
}

static void test_decode_tunnels(void **state)
{
    (void)state;
    unsigned char inner[200], f[400];
    size_t n = put_ipv4_tcp(inner, 5, 0, "tunnelled");
    /* GRE with a key, carrying IPv4, inside IPv4 */
    size_t gre = 8;
    memset(f, 0, 20 + gre);
    f[0] = 0x45;
    size_t total = 20 + gre + n;
    f[2] = (unsigned char)(total >> 8);
    f[3] = (unsigned char)total;
    f[9] = 47;
    f[20] = 0x20; /* key present */
    f[22] = 0x08;
    memcpy(f + 20 + gre, inner, n);
    rlcap_packet pk;
    assert_int_equal(rlcap_decode(DLT_RAW, f, total, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 9);
    /* VXLAN: UDP to 4789, an 8-byte VXLAN header, inner Ethernet */
    size_t hdr = 20 + 8 + 8 + 14;
    memset(f, 0, hdr);
    f[0] = 0x45;
    total = hdr + n;
    f[2] = (unsigned char)(total >> 8);
    f[3] = (unsigned char)total;
    f[9] = 17;
    f[22] = 0x12; f[23] = 0xb5; /* 4789 */
    f[20 + 16 + 12] = 0x08;
    memcpy(f + hdr, inner, n);
    assert_int_equal(rlcap_decode(DLT_RAW, f, total, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 9);
    f[23] = 0x35; /* UDP 53 is not a tunnel */
    assert_int_equal(rlcap_decode(DLT_RAW, f, total, &pk), RLCAP_DEC_OTHER);
}

static void test_decode_ipv6_extension_headers(void **state)
{
    (void)state;
    unsigned char p[200];
    memset(p, 0, sizeof p);
    p[0] = 0x60;
    p[6] = 0;  /* hop-by-hop */
    p[7] = 64;
    p[8] = 0x20; p[9] = 0x01; p[23] = 1;
    p[24] = 0x20; p[25] = 0x01; p[39] = 2;
    p[40] = 60; p[41] = 0; /* hop-by-hop, 8 bytes, next: destination options */
    p[48] = 6; p[49] = 0;  /* destination options, 8 bytes, next: TCP */
    unsigned char *t = p + 56;
    t[1] = 80; t[3] = 0x50; t[12] = 5 << 4;
    memcpy(t + 20, "hi", 2);
    p[5] = 16 + 22;
    rlcap_packet pk;
    assert_int_equal(rlcap_decode(DLT_RAW, p, 40 + 16 + 22, &pk), RLCAP_DEC_TCP);
    assert_int_equal(pk.payload_len, 2);
    char ep[64];
    rlcap_format_endpoint(&pk.dst, pk.dport, ep, sizeof ep);
    assert_string_equal(ep, "[2001::2]:80");
    p[48] = 44; /* now a fragment header that is not atomic */
    p[56] = 6;                    /* the fragment header: next header TCP */
    p[56 + 2] = 0; p[56 + 3] = 1; /* offset 0, more fragments */
    assert_int_equal(rlcap_decode(DLT_RAW, p, 40 + 16 + 22, &pk), RLCAP_DEC_FRAGMENT);
    assert_int_equal(pk.frag_offset, 0);
    assert_true(pk.frag_more);
    assert_int_equal(pk.frag_proto, 6);
    assert_int_equal(pk.frag_len, 22 - 8); /* what follows the fragment header */
}

/* Stacked VLAN tags, nested IP in IP and IPv6 extension headers up to the decoder's limits are
 * read; one more is RLCAP_DEC_TOO_DEEP (counted and reported by the reader), never "not TCP". */
static void test_decode_nesting_limits(void **state)
{
    (void)state;
    unsigned char f[600], inner[100];
    size_t in = put_ipv4_tcp(inner, 5, 0, "deep");
    rlcap_packet pk;
    for (int tags = RLCAP_MAX_NESTING; tags <= RLCAP_MAX_NESTING + 1; tags++) {
        memset(f, 0, 14);
        size_t off = 12;
        for (int k = 0; k < tags; k++, off += 4) {
            f[off] = 0x81; f[off + 1] = 0x00; /* 802.1Q, then the tag's 2 bytes */
            f[off + 2] = 0; f[off + 3] = (unsigned char)(k + 1);
        }
        f[off] = 0x08; f[off + 1] = 0x00;
        memcpy(f + off + 2, inner, in);
        assert_int_equal(rlcap_decode(DLT_EN10MB, f, off + 2 + in, &pk),
                         tags <= RLCAP_MAX_NESTING ? RLCAP_DEC_TCP : RLCAP_DEC_TOO_DEEP);
    }
    /* IP in IP: RLCAP_MAX_NESTING packets around the TCP one, then one more */
    for (int outer = RLCAP_MAX_NESTING; outer <= RLCAP_MAX_NESTING + 1; outer++) {
        size_t total = (size_t)outer * 20 + in;
        for (int k = 0; k < outer; k++) {
            unsigned char *h = f + k * 20;
            memset(h, 0, 20);
            h[0] = 0x45;
            size_t len = total - (size_t)k * 20;
            h[2] = (unsigned char)(len >> 8);
            h[3] = (unsigned char)len;
            h[9] = 4;
        }
        memcpy(f + outer * 20, inner, in);
        assert_int_equal(rlcap_decode(DLT_RAW, f, total, &pk),
                         outer <= RLCAP_MAX_NESTING ? RLCAP_DEC_TCP : RLCAP_DEC_TOO_DEEP);
    }
    /* IPv6: RLCAP_MAX_IPV6_EXT destination options headers, then one more */
    for (int ext = RLCAP_MAX_IPV6_EXT; ext <= RLCAP_MAX_IPV6_EXT + 1; ext++) {
        memset(f, 0, sizeof f);
        f[0] = 0x60;
        f[6] = 60;
        f[7] = 64;
        for (int k = 0; k < ext; k++)
            f[40 + k * 8] = k + 1 < ext ? 60 : 6;
        unsigned char *t = f + 40 + ext * 8;
        t[1] = 80; t[12] = 5 << 4;
        size_t plen = (size_t)ext * 8 + 20;
        f[4] = (unsigned char)(plen >> 8);
        f[5] = (unsigned char)plen;
        assert_int_equal(rlcap_decode(DLT_RAW, f, 40 + plen, &pk),
                         ext <= RLCAP_MAX_IPV6_EXT ? RLCAP_DEC_TCP : RLCAP_DEC_TOO_DEEP);
    }
}

/* ---- reassembly ---- */

typedef struct sink_log {
    char bytes[4096];
    size_t n;
    uint64_t frames[4096];
    int gaps;
    uint64_t gap_bytes;
    rlcap_gap_kind last_kind;
    uint64_t last_gap_frame;
} sink_log;

static void log_data(void *user, const unsigned char *p, size_t n, uint64_t frame)
{
    sink_log *l = user;
    for (size_t i = 0; i < n && l->n < sizeof l->bytes; i++) {
        l->frames[l->n] = frame;
        l->bytes[l->n++] = (char)p[i];
    }
}

static void log_gap(void *user, uint64_t missing, rlcap_gap_kind kind, uint64_t frame)
{
    sink_log *l = user;
    l->gaps++;
    l->gap_bytes += missing;
    l->last_kind = kind;
    l->last_gap_frame = frame;
    if (l->n < sizeof l->bytes)
        l->bytes[l->n++] = '#';
}

static void seg(rlcap_tcp_half *h, rlcap_tcp_sink *k, uint32_t seq, const char *s, uint64_t frame)
{
    rlcap_tcp_segment(h, k, seq, RLCAP_TCP_ACK, (const unsigned char *)s, (uint32_t)strlen(s), 0,
                      frame);
}

static void test_reassembly_out_of_order_overlap_wrap(void **state)
{
    (void)state;
    sink_log l;
    memset(&l, 0, sizeof l);
    rlcap_tcp_sink k = {log_data, log_gap, &l};
    rlcap_tcp_half h;
    rlcap_tcp_init(&h, 1 << 20);
    uint32_t isn = 0xfffffffau; /* the data wraps around 2^32 */
    rlcap_tcp_segment(&h, &k, isn, RLCAP_TCP_SYN, NULL, 0, 0, 1);
    seg(&h, &k, isn + 1 + 8, "IJKL", 2);      /* ahead: held */
    seg(&h, &k, isn + 1 + 6, "zzzzzz", 3);    /* overlaps the held bytes: only its first two
                                                 bytes are new */
    assert_int_equal(l.n, 0);
    seg(&h, &k, isn + 1, "ABCDEF", 4);        /* fills the hole */
    seg(&h, &k, isn + 1, "ABCDEF", 5);        /* retransmission: nothing new */
    seg(&h, &k, isn + 1 + 10, "QQQQQQQQ", 6); /* overlaps delivered bytes and goes beyond */
    assert_int_equal(l.gaps, 0);
    l.bytes[l.n] = '\0';
    assert_string_equal(l.bytes, "ABCDEFzzIJKLQQQQQQ");
    assert_int_equal(l.frames[0], 4);
    assert_int_equal(l.frames[6], 3);
    assert_int_equal(l.frames[8], 2);
    assert_int_equal(l.frames[12], 6);
    assert_int_equal(h.offset, 18);
    rlcap_tcp_segment(&h, &k, isn + 1 + 18, RLCAP_TCP_FIN | RLCAP_TCP_ACK, NULL, 0, 0, 7);
    assert_true(h.closed);
    rlcap_tcp_free(&h);
}

static void test_reassembly_gaps(void **state)
{
    (void)state;
    sink_log l;
    memset(&l, 0, sizeof l);
    rlcap_tcp_sink k = {log_data, log_gap, &l};
    rlcap_tcp_half h;
    rlcap_tcp_init(&h, 1 << 20);
    /* no SYN: the connection began before the capture */
    seg(&h, &k, 5000, "abc", 1);
    seg(&h, &k, 5010, "xyz", 2);             /* 7 bytes missing */
    assert_int_equal(l.gaps, 0);              /* maybe only late */
    rlcap_tcp_ack(&h, &k, 5005, 3);           /* the receiver had bytes up to 5005 */
    assert_int_equal(l.gaps, 1);
    assert_int_equal(l.gap_bytes, 2);
    rlcap_tcp_ack(&h, &k, 5013, 4);           /* and everything: the rest of the hole is lost */
    assert_int_equal(l.gaps, 2);
    assert_int_equal(l.gap_bytes, 7);
    assert_int_equal(l.last_gap_frame, 2);    /* located at the frame after the hole */
    /* a frame cut by the snapshot length: 3 bytes present, 5 missing */
    rlcap_tcp_segment(&h, &k, 5013, RLCAP_TCP_ACK, (const unsigned char *)"def", 3, 5, 5);
    assert_int_equal(l.last_kind, RLCAP_GAP_TRUNCATED);
    seg(&h, &k, 5030, "tail", 6);             /* held, never filled */
    rlcap_tcp_flush(&h, &k, 7);
    l.bytes[l.n] = '\0';
    assert_string_equal(l.bytes, "abc##xyzdef##tail");
    assert_int_equal(h.offset, 34);
    rlcap_tcp_free(&h);
}

static void test_reassembly_limit(void **state)
{
    (void)state;
    sink_log l;
    memset(&l, 0, sizeof l);
    rlcap_tcp_sink k = {log_data, log_gap, &l};
    rlcap_tcp_half h;
    /* room for two pieces and 8 bytes: each piece costs its record too */
    size_t limit = 2 * RLCAP_TCP_PIECE_COST + 8;
    rlcap_tcp_init(&h, limit);
    rlcap_tcp_segment(&h, &k, 99, RLCAP_TCP_SYN, NULL, 0, 0, 1);
    seg(&h, &k, 110, "0123", 2);
    seg(&h, &k, 120, "456789", 3); /* 10 bytes held > 8: give up on the first hole */
    assert_int_equal(l.gaps, 1);
    assert_int_equal(l.last_kind, RLCAP_GAP_LIMIT);
    assert_true(h.held_bytes <= limit);
    rlcap_tcp_flush(&h, &k, 4);
    rlcap_tcp_free(&h);
    assert_int_equal(h.held_bytes, 0);
}

/* Issue 21: 1-byte out-of-order segments cost their record each (48 bytes a byte held, not
 * counted): the cost is counted against the limit. */
static void test_reassembly_counts_records(void **state)
{
    (void)state;
    sink_log l;
    memset(&l, 0, sizeof l);
    rlcap_tcp_sink k = {log_data, log_gap, &l};
    rlcap_tcp_half h;
    rlcap_tcp_init(&h, 100 * RLCAP_TCP_PIECE_COST);
    rlcap_tcp_segment(&h, &k, 99, RLCAP_TCP_SYN, NULL, 0, 0, 1);
    for (uint32_t i = 0; i < 1000; i++) /* a hole at 100, then every other byte */
        seg(&h, &k, 101 + 2 * i, "x", 2 + i);
    assert_true(h.held_bytes <= 100 * RLCAP_TCP_PIECE_COST);
    assert_true(l.gaps > 0);
    assert_int_equal(l.last_kind, RLCAP_GAP_LIMIT);
    rlcap_tcp_free(&h);
}

/* Issue 21: held segments were a list walked from its head for every insert (a hole, then
 * 80,000 in-order 1-byte segments: 4.4 s). They are a treap now; here, thousands of segments
 * of random places, lengths and contents in random order must give what "first copy wins"
 * gives, byte for byte (bench/complexity.py measures the time). */
static void test_reassembly_random_order(void **state)
{
    (void)state;
    enum { N = 3000, SEGS = 6000 };
    static unsigned char want[N];
    static int first[N];
    static struct { uint32_t at, len; } s[SEGS];
    uint32_t rng = 12345;
#define NEXT() (rng = rng * 1103515245u + 12345u, (rng >> 8) & 0xffffff)
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++)
            first[i] = -1;
        for (int i = 0; i < SEGS; i++) {
            s[i].at = 1 + NEXT() % (N - 1); /* byte 0 comes last: everything is held */
            s[i].len = 1 + NEXT() % (round == 0 ? 1 : 24);
            if (s[i].at + s[i].len > N)
                s[i].len = N - s[i].at;
            for (uint32_t b = s[i].at; b < s[i].at + s[i].len; b++)
                if (first[b] < 0)
                    first[b] = i;
        }
        sink_log *l = calloc(1, sizeof *l);
        assert_non_null(l);
        rlcap_tcp_sink k = {log_data, log_gap, l};
        rlcap_tcp_half h;
        rlcap_tcp_init(&h, (size_t)1 << 30);
        uint32_t isn = 0xffffff00u + (uint32_t)round * 40; /* across the wrap too */
        rlcap_tcp_segment(&h, &k, isn, RLCAP_TCP_SYN, NULL, 0, 0, 1);
        unsigned char buf[32];
        for (int i = 0; i < SEGS; i++) {
            for (uint32_t j = 0; j < s[i].len; j++)
                buf[j] = (unsigned char)('a' + (i * 7 + (int)(s[i].at + j)) % 26);
            rlcap_tcp_segment(&h, &k, isn + 1 + s[i].at, RLCAP_TCP_ACK, buf, s[i].len, 0,
                              (uint64_t)i + 2);
        }
        assert_int_equal(l->n, 0);
        rlcap_tcp_segment(&h, &k, isn + 1, RLCAP_TCP_ACK, (const unsigned char *)"Z", 1, 0, 1);
        rlcap_tcp_flush(&h, &k, SEGS + 2);
        want[0] = 'Z';
        size_t n = 1;
        for (int b = 1; b < N; b++) {
            if (first[b] < 0) {
                if (want[n - 1] != '#')
                    want[n++] = '#'; /* a gap: one mark however long */
                continue;
            }
            want[n++] = (unsigned char)('a' + (first[b] * 7 + b) % 26);
        }
        while (want[n - 1] == '#')
            n--; /* nothing follows a hole at the end: no gap is reported for it */
        if (l->n != n || memcmp(l->bytes, want, n) != 0)
            fail_msg("round %d: %zu bytes delivered, %zu wanted, first difference at %zu", round,
                     l->n, n, (size_t)(l->n < n ? l->n : n));
        assert_int_equal(h.held_bytes, 0);
        rlcap_tcp_free(&h);
        free(l);
    }
#undef NEXT
}

/* ---- whole captures ---- */

typedef struct cap_log {
    int responses;
    int status[64];
    uint64_t frame[64];
    long stream[64];
    char rules[64][8];
    uint64_t rule_frame[64];
    int nfindings;
    char client[64], server[64];
} cap_log;

static void cap_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    cap_log *c = user;
    if (c->nfindings < 64) {
        snprintf(c->rules[c->nfindings], sizeof c->rules[0], "%s", f->rule->id);
        c->rule_frame[c->nfindings] = o->frame;
    }
    c->nfindings++;
}

static void cap_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    cap_log *c = user;
    if (c->responses < 64) {
        c->status[c->responses] = r->status;
        c->frame[c->responses] = o->frame;
        c->stream[c->responses] = o->tcp_stream;
        if (o->client)
            snprintf(c->client, sizeof c->client, "%s", o->client);
        if (o->server)
            snprintf(c->server, sizeof c->server, "%s", o->server);
    }
    c->responses++;
}

static int run_capture(const char *rel, const resplint_config *cfg, FILE *fp, cap_log *c,
                       resplint_capture_stats *st)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RESPLINT_SOURCE_DIR, rel);
    memset(c, 0, sizeof *c);
    resplint_capture_handler h = {sizeof h, cap_finding, cap_response, NULL, c, NULL};
    char err[256];
    return resplint_capture_file(cfg, path, fp, NULL, &h, st, err, sizeof err);
}

/* ---- one capture in shards (resplint_capture_options.nshards) ---- */

/* Everything a call hands out, in order: findings (rule, frame, order), responses (frame,
 * order) and exchange notes (with the finding they may become). */
typedef struct shard_ev {
    int type; /* 0 finding, 1 response, 2 note */
    char rule[8];
    uint64_t frame, order;
    long stream;
    resplint_exchange_note note;
    resplint_finding f;
} shard_ev;

typedef struct shard_log {
    shard_ev ev[128];
    size_t n;
} shard_log;

static shard_ev *shard_push(shard_log *l, int type, const resplint_origin *o)
{
    assert_true(l->n < 128);
    shard_ev *e = &l->ev[l->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->frame = o->frame;
    e->order = o->order;
    e->stream = o->tcp_stream;
    return e;
}

static void sh_find(const resplint_finding *f, const resplint_origin *o, void *user)
{
    snprintf(shard_push(user, 0, o)->rule, 8, "%s", f->rule->id);
}

static void sh_resp(const resplint_response *r, const resplint_origin *o, void *user)
{
    (void)r;
    shard_push(user, 1, o);
}

static void sh_note(const resplint_exchange_note *n, const resplint_finding *f,
                    const resplint_origin *o, void *user)
{
    shard_ev *e = shard_push(user, 2, o);
    e->note = *n;
    e->f = *f;
    snprintf(e->rule, 8, "%s", f->rule ? f->rule->id : "");
}

static int run_shard(const resplint_config *cfg, const char *rel, unsigned shard, unsigned n,
                     shard_log *l, resplint_capture_stats *st)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RESPLINT_SOURCE_DIR, rel);
    memset(l, 0, sizeof *l);
    resplint_capture_handler h = {sizeof h, sh_find, sh_resp, NULL, l, sh_note};
    resplint_capture_options o = {.size = sizeof o, .shard = shard, .nshards = n};
    char err[256];
    return resplint_capture_file(cfg, path, NULL, &o, &h, st, err, sizeof err);
}

/* The same with a shared reading (resplint_capture_feed): the shards on threads of their own,
 * the producer on another, every shard's call taking the feed's frames. */
typedef struct fed_shard {
    const resplint_config *cfg;
    char path[1024];
    resplint_capture_feed *feed;
    unsigned shard, n;
    shard_log *l;
    resplint_capture_stats *st;
    int rc;
} fed_shard;

static void *fed_shard_main(void *arg)
{
    fed_shard *a = arg;
    memset(a->l, 0, sizeof *a->l);
    resplint_capture_handler h = {sizeof h, sh_find, sh_resp, NULL, a->l, sh_note};
    resplint_capture_options o = {.size = sizeof o, .shard = a->shard, .nshards = a->n,
                                  .feed = a->feed};
    char err[256];
    a->rc = resplint_capture_file(a->cfg, a->path, NULL, &o, &h, a->st, err, sizeof err);
    return NULL;
}

static void *fed_producer_main(void *arg)
{
    fed_shard *a = arg;
    resplint_capture_options o = {.size = sizeof o, .nshards = a->n};
    a->rc = resplint_capture_feed_run(a->feed, a->cfg, a->path, NULL, &o);
    return NULL;
}

/* Runs n shards of rel over one shared reading (shard `absent` never starts: it leaves the
 * feed at once; -1: none; -2: the feed is cancelled first); the producer's result in *prc. */
static void run_fed(const resplint_config *cfg, const char *rel, unsigned n, int absent,
                    shard_log *part, resplint_capture_stats *pst, int *rc, int *prc)
{
    resplint_capture_feed *feed = resplint_capture_feed_new(n, NULL, NULL);
    assert_non_null(feed);
    if (absent == -2) /* cancelled before it starts */
        resplint_capture_feed_cancel(feed);
    fed_shard prod = {cfg, "", feed, 0, n, NULL, NULL, 0}, sh[3];
    if (rel[0] == '/')
        snprintf(prod.path, sizeof prod.path, "%s", rel);
    else
        snprintf(prod.path, sizeof prod.path, "%s/%s", RESPLINT_SOURCE_DIR, rel);
    pthread_t pt, tid[3];
    assert_int_equal(pthread_create(&pt, NULL, fed_producer_main, &prod), 0);
    for (unsigned k = 0; k < n; k++) {
        sh[k] = prod;
        sh[k].shard = k;
        sh[k].l = &part[k];
        sh[k].st = &pst[k];
        if ((int)k == absent)
            resplint_capture_feed_leave(feed, k);
        else
            assert_int_equal(pthread_create(&tid[k], NULL, fed_shard_main, &sh[k]), 0);
    }
    for (unsigned k = 0; k < n; k++)
        if ((int)k != absent) {
            pthread_join(tid[k], NULL);
            rc[k] = sh[k].rc;
        }
    pthread_join(pt, NULL);
    *prc = prod.rc;
    resplint_capture_feed_free(feed);
}

/* The shared reading's records themselves (feed.h), read from each shard's ring: steps never
 * go down, a ring holds only its shard's segments and events, and where the flows limit ends
 * the sharing, nothing of the step it is met in reaches a shard before DIVERGE (a segment of
 * that step, taken first, was reported at a step the merge could take before it learnt that
 * the shard gave up there: tests/pcap/make_flows_limit_race.py). */
typedef struct ring_log {
    resplint_capture_feed *feed;
    unsigned k;
    uint64_t last, diverge; /* the greatest step before DIVERGE; DIVERGE's */
    size_t packets, events, bad_owner, backwards;
    bool done, diverged;
} ring_log;

static void *ring_reader(void *arg)
{
    ring_log *g = arg;
    rlcap_feed_rec rec;
    while (rlcap_feed_next(g->feed, g->k, g->last + 1, &rec)) {
        if (rec.type == RLCAP_FEED_DONE) {
            g->done = true;
            break;
        }
        if (rec.type != RLCAP_FEED_PACKET && rec.type != RLCAP_FEED_EVENT)
            continue;
        rlcap_feed_stamp st;
        memcpy(&st, rec.meta, sizeof st);
        if (st.owner != g->k && st.owner != RLCAP_FEED_ALL)
            g->bad_owner++;
        bool diverge = rec.type == RLCAP_FEED_EVENT && st.kind == RLCAP_EV_DIVERGE;
        if (st.order < g->last && !diverge)
            g->backwards++;
        if (st.order > g->last && !diverge)
            g->last = st.order;
        if (rec.type == RLCAP_FEED_PACKET)
            g->packets++;
        else if (st.kind == RLCAP_EV_DIVERGE) {
            g->diverged = true;
            g->diverge = st.order;
            break; /* a shard gives up there */
        } else
            g->events++;
    }
    resplint_capture_feed_leave(g->feed, g->k);
    return NULL;
}

static void run_rings(const resplint_config *cfg, const char *rel, ring_log g[2])
{
    resplint_capture_feed *feed = resplint_capture_feed_new(2, NULL, NULL);
    assert_non_null(feed);
    fed_shard prod = {cfg, "", feed, 0, 2, NULL, NULL, 0};
    snprintf(prod.path, sizeof prod.path, "%s/%s", RESPLINT_SOURCE_DIR, rel);
    pthread_t pt, t[2];
    assert_int_equal(pthread_create(&pt, NULL, fed_producer_main, &prod), 0);
    for (unsigned k = 0; k < 2; k++) {
        memset(&g[k], 0, sizeof g[k]);
        g[k].feed = feed;
        g[k].k = k;
        assert_int_equal(pthread_create(&t[k], NULL, ring_reader, &g[k]), 0);
    }
    for (unsigned k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    pthread_join(pt, NULL);
    resplint_capture_feed_free(feed);
}

static void test_feed_records(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    ring_log g[2];
    run_rings(cfg, "fixtures/pcap/shards-interleaved.pcap", g);
    for (unsigned k = 0; k < 2; k++) {
        assert_true(g[k].done);
        assert_false(g[k].diverged);
        assert_true(g[k].packets > 0); /* both shards have connections there */
        assert_int_equal(g[k].bad_owner, 0);
        assert_int_equal(g[k].backwards, 0);
    }
    /* the flows limit, met at a new connection's first segment */
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOWS, 2), 0);
    run_rings(cfg, "fixtures/pcap/shards-interleaved.pcap", g);
    for (unsigned k = 0; k < 2; k++) {
        assert_true(g[k].diverged);
        assert_false(g[k].done);
        assert_int_equal(g[k].bad_owner, 0);
        /* nothing of the DIVERGE's step came first */
        assert_true(g[k].last < g[k].diverge);
    }
    resplint_config_free(cfg);
}

typedef struct merged {
    shard_log *out;
    const shard_ev *at;
} merged;

static void merged_finding(const resplint_finding *f, void *user)
{
    merged *m = user;
    shard_ev *e = &m->out->ev[m->out->n++];
    *e = *m->at;
    e->type = 0;
    snprintf(e->rule, 8, "%s", f->rule->id);
}

/* The shards of a capture, put in (order, shard) order with their notes applied, hand out the
 * findings and responses of one unsharded call, in its order; each connection is checked by one
 * shard only; the capture-level calls are shard 0's; misuse is refused. */
static void test_capture_shards(void **state)
{
    (void)state;
    const char *rel = "fixtures/pcap/shards-interleaved.pcap";
    resplint_config *cfg = resplint_config_new();
    static shard_log whole, part[3], out;
    resplint_capture_stats st, pst[3];
    assert_int_equal(run_shard(cfg, rel, 0, 0, &whole, &st), 0);
    for (unsigned round = 0; round < 4; round++) {
        unsigned n = 2 + round % 2;
        bool fed = round >= 2;
        size_t responses = 0, findings = 0;
        int rc[3] = {0, 0, 0}, prc = -1;
        if (fed) /* the second round: over a shared reading */
            run_fed(cfg, rel, n, -1, part, pst, rc, &prc);
        for (unsigned k = 0; k < n; k++) {
            if (fed)
                assert_int_equal(rc[k], 0);
            else
                assert_int_equal(run_shard(cfg, rel, k, n, &part[k], &pst[k]), 0);
            assert_int_equal(pst[k].shard_incomplete, 0);
            assert_int_equal(pst[k].shard_stop, 0);
            responses += pst[k].responses;
            findings += pst[k].findings;
            for (size_t i = 0; i < part[k].n; i++) {
                if (part[k].ev[i].stream >= 0) /* a connection's: its own shard's */
                    assert_int_equal(part[k].ev[i].stream % (long)n, (long)k);
                if (i) /* each call's steps never go back */
                    assert_true(part[k].ev[i].order >= part[k].ev[i - 1].order);
            }
        }
        assert_int_equal(responses, st.responses);
        /* merge by (order, shard), applying the notes to one memory */
        resplint_exchanges *x = resplint_exchanges_new(cfg);
        memset(&out, 0, sizeof out);
        size_t pos[3] = {0, 0, 0};
        for (;;) {
            int best = -1;
            for (unsigned k = 0; k < n; k++)
                if (pos[k] < part[k].n &&
                    (best < 0 || part[k].ev[pos[k]].order < part[best].ev[pos[best]].order))
                    best = (int)k;
            if (best < 0)
                break;
            const shard_ev *e = &part[best].ev[pos[best]++];
            if (e->type != 2) {
                out.ev[out.n++] = *e;
                continue;
            }
            merged m = {&out, e};
            int rc = resplint_exchanges_apply(x, &e->note, &e->f, merged_finding, &m);
            assert_true(rc >= 0);
            findings += (size_t)rc;
        }
        resplint_exchanges_free(x);
        assert_int_equal(findings, st.findings);
        assert_int_equal(out.n, whole.n);
        for (size_t i = 0; i < whole.n; i++) {
            assert_int_equal(out.ev[i].type, whole.ev[i].type);
            assert_string_equal(out.ev[i].rule, whole.ev[i].rule);
            assert_int_equal(out.ev[i].frame, whole.ev[i].frame);
            assert_int_equal(out.ev[i].stream, whole.ev[i].stream);
        }
    }
    /* RL5012 of tcp.stream 1 and 3 came from notes of a shard other than the 200's */
    size_t rl5012 = 0;
    for (size_t i = 0; i < whole.n; i++)
        rl5012 += strcmp(whole.ev[i].rule, "RL5012") == 0;
    assert_int_equal(rl5012, 3);
    /* a shared reading: a shard that never came does not hold it up; a file that is not a
     * capture is every shard's error */
    int rc[3] = {0, 0, 0}, prc = -1;
    run_fed(cfg, rel, 3, 1, part, pst, rc, &prc);
    assert_int_equal(prc, 0);
    assert_int_equal(rc[0], 0);
    assert_int_equal(rc[2], 0);
    /* a shard refused (no on_exchange) leaves the feed: on a capture bigger than the ring
     * (9 MiB of UDP frames) the reading would otherwise wait for it for ever */
    {
        char big[] = "/tmp/resplint-test-pcap-XXXXXX";
        int bfd = mkstemp(big);
        assert_true(bfd >= 0);
        static const unsigned char gh[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0};
        assert_int_equal(write(bfd, gh, sizeof gh), (ssize_t)sizeof gh);
        static unsigned char rec[16 + 1442];
        memset(rec, 0, sizeof rec);
        rec[8] = rec[12] = (unsigned char)(1442 & 0xff); /* caplen, len: 1442 */
        rec[9] = rec[13] = (unsigned char)(1442 >> 8);
        memcpy(rec + 16 + 12, "\x08\x00\x45", 3); /* IPv4 */
        rec[16 + 14 + 9] = 17; /* UDP */
        for (int i = 0; i < 9 * 1024 * 1024 / (int)sizeof rec; i++)
            assert_int_equal(write(bfd, rec, sizeof rec), (ssize_t)sizeof rec);
        close(bfd);
        resplint_capture_feed *feed = resplint_capture_feed_new(2, NULL, NULL);
        assert_non_null(feed);
        fed_shard prod = {cfg, "", feed, 0, 2, NULL, NULL, 0};
        snprintf(prod.path, sizeof prod.path, "%s", big);
        fed_shard one = prod;
        one.l = &part[0];
        one.st = &pst[0];
        pthread_t pt, t0;
        assert_int_equal(pthread_create(&pt, NULL, fed_producer_main, &prod), 0);
        assert_int_equal(pthread_create(&t0, NULL, fed_shard_main, &one), 0);
        shard_log l1;
        resplint_capture_handler h1 = {sizeof h1, sh_find, sh_resp, NULL, &l1, NULL};
        resplint_capture_options o1 = {.size = sizeof o1, .shard = 1, .nshards = 2, .feed = feed};
        assert_int_equal(resplint_capture_file(cfg, big, NULL, &o1, &h1, NULL, NULL, 0),
                         RESPLINT_EINVAL);
        pthread_join(t0, NULL);
        pthread_join(pt, NULL);
        assert_int_equal(one.rc, 0);
        assert_int_equal(prod.rc, 0);
        resplint_capture_feed_free(feed);
        unlink(big);
    }
    /* cancelled: the reading and every shard stop (the shards with an error) */
    run_fed(cfg, rel, 2, -2, part, pst, rc, &prc);
    assert_int_equal(rc[0], RESPLINT_EIO);
    assert_int_equal(rc[1], RESPLINT_EIO);
    char bad[] = "/tmp/resplint-test-pcap-XXXXXX";
    int fd = mkstemp(bad);
    assert_true(fd >= 0);
    /* a pcap file header of version 9.1: the magic says pcap, libpcap refuses it */
    static const unsigned char head[24] = {0xd4, 0xc3, 0xb2, 0xa1, 9, 0, 1, 0};
    assert_int_equal(write(fd, head, sizeof head), (ssize_t)sizeof head);
    close(fd);
    run_fed(cfg, bad, 2, -1, part, pst, rc, &prc);
    unlink(bad);
    assert_int_equal(prc, RESPLINT_EFORMAT);
    assert_int_equal(rc[0], prc);
    assert_int_equal(rc[1], prc);
    /* misuse: a shard past nshards, or no on_exchange */
    shard_log l;
    assert_int_equal(run_shard(cfg, rel, 2, 2, &l, &st), RESPLINT_EINVAL);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RESPLINT_SOURCE_DIR, rel);
    resplint_capture_handler h = {sizeof h, sh_find, sh_resp, NULL, &l, NULL};
    resplint_capture_options o = {.size = sizeof o, .shard = 0, .nshards = 2};
    assert_int_equal(resplint_capture_file(cfg, path, NULL, &o, &h, &st, NULL, 0), RESPLINT_EINVAL);
    /* another kind of input: shard 0 checks it whole, the others nothing */
    assert_int_equal(run_shard(cfg, "fixtures/rules/RL5012/bad.http", 1, 2, &l, &st), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(run_shard(cfg, "fixtures/rules/RL5012/bad.http", 0, 2, &l, &st), 0);
    assert_true(l.n > 0);
    resplint_config_free(cfg);
}

static void test_capture_pipeline_head_304_chunked(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    cap_log c;
    resplint_capture_stats st;
    assert_int_equal(run_capture("fixtures/pcap/pipeline-head-304-chunked.pcap", cfg, NULL, &c,
                                 &st), 0);
    assert_int_equal(st.kind, RESPLINT_INPUT_PCAP);
    assert_int_equal(c.responses, 4);
    assert_int_equal(c.nfindings, 0); /* HEAD framed without a body, 304 and chunked clean */
    assert_int_equal(c.status[2], 304);
    assert_int_equal(c.frame[0], 5);
    assert_int_equal(c.frame[3], 6);
    assert_string_equal(c.client, "192.0.2.10:40000");
    assert_string_equal(c.server, "198.51.100.1:80");
    /* the same capture gzip'd, read through an unseekable pipe */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cat '%s/fixtures/pcap/pipeline-head-304-chunked.pcap.gz'",
             RESPLINT_SOURCE_DIR);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_int_equal(run_capture("-", cfg, p, &c, &st), 0);
    pclose(p);
    assert_int_equal(c.responses, 4);
    assert_int_equal(c.frame[3], 6);
    resplint_config_free(cfg);
}

static void test_capture_streams_tls_and_limits(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    cap_log c;
    resplint_capture_stats st;
    assert_int_equal(run_capture("fixtures/pcap/port-reuse-ipv6-sll2.pcapng", cfg, NULL, &c, &st),
                     0);
    assert_int_equal(c.responses, 2);
    assert_int_equal(c.stream[0], 0);
    assert_int_equal(c.stream[1], 1); /* a new SYN on the same 4-tuple: a new tcp.stream */
    assert_string_equal(c.server, "[2001:db8::2]:8080");
    assert_int_equal(run_capture("fixtures/pcap/tls-and-http-qinq.pcap", cfg, NULL, &c, &st), 0);
    assert_int_equal(st.skipped, 1); /* the TLS connection */
    assert_int_equal(c.responses, 1);
    assert_int_equal(c.stream[0], 1);
    /* out-of-order bytes beyond the limit: RL9004, and no fault blamed on the server */
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOW_BUFFER, 50), 0);
    assert_int_equal(run_capture("fixtures/pcap/ooo-overlap-wrap.pcap", cfg, NULL, &c, &st), 0);
    assert_true(c.nfindings >= 1);
    for (int i = 0; i < c.nfindings && i < 64; i++)
        assert_true(strcmp(c.rules[i], "RL9004") == 0 || strcmp(c.rules[i], "RL9002") == 0);
    /* one connection at a time */
    resplint_config_free(cfg);
    cfg = resplint_config_new();
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOWS, 1), 0);
    assert_int_equal(run_capture("fixtures/pcap/tls-and-http-qinq.pcap", cfg, NULL, &c, &st), 0);
    assert_int_equal(c.responses, 1);
    assert_int_equal(c.nfindings, 1);
    assert_string_equal(c.rules[0], "RL9004");
    resplint_config_free(cfg);
}

static void test_capture_gaps_are_not_server_faults(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    cap_log c;
    resplint_capture_stats st;
    assert_int_equal(run_capture("fixtures/rules/RL9002/bad-lost-segment.pcap", cfg, NULL, &c, &st),
                     0);
    assert_int_equal(c.nfindings, 1);
    assert_string_equal(c.rules[0], "RL9002");
    assert_int_equal(c.rule_frame[0], 6);
    assert_int_equal(c.responses, 2);
    assert_int_equal(run_capture("fixtures/rules/RL9003/bad-snaplen.pcap", cfg, NULL, &c, &st), 0);
    assert_int_equal(c.nfindings, 1);
    assert_string_equal(c.rules[0], "RL9003");
    assert_int_equal(run_capture("fixtures/pcap/midstream-raw.pcap", cfg, NULL, &c, &st), 0);
    assert_int_equal(c.nfindings, 1);
    assert_string_equal(c.rules[0], "RL9002");
    assert_int_equal(c.responses, 1);
    resplint_config_free(cfg);
}

static void test_capture_unsupported_link_and_cut_file(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    cap_log c;
    resplint_capture_stats st;
    /* a pcap of link type FDDI: an input error naming the link type */
    FILE *t = tmpfile();
    assert_non_null(t);
    static const unsigned char fddi[] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0,
                                         0,    0,    0xff, 0xff, 0, 0, 10, 0, 0, 0};
    fwrite(fddi, 1, sizeof fddi, t);
    rewind(t);
    char err[256];
    resplint_capture_handler h = {sizeof h, cap_finding, cap_response, NULL, &c, NULL};
    memset(&c, 0, sizeof c);
    assert_int_equal(resplint_capture_file(cfg, "fddi.pcap", t, NULL, &h, &st, err, sizeof err),
                     RESPLINT_EFORMAT);
    assert_non_null(strstr(err, "DLT_FDDI"));
    fclose(t);
    /* a capture file cut in the middle of its last frame: what came before is checked */
    char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/pcap/pipeline-head-304-chunked.pcap",
             RESPLINT_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    t = tmpfile();
    fwrite(buf, 1, n - 20, t);
    rewind(t);
    memset(&c, 0, sizeof c);
    assert_int_equal(resplint_capture_file(cfg, "cut.pcap", t, NULL, &h, &st, err, sizeof err), 0);
    fclose(t);
    assert_int_equal(c.responses, 4);
    assert_int_equal(c.nfindings, 1);
    assert_string_equal(c.rules[0], "RL9003");
    resplint_config_free(cfg);
}

static void test_detect_gzip_pcap(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/pcap/pipeline-head-304-chunked.pcap.gz",
             RESPLINT_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char head[4096];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_int_equal(resplint_detect_input(head, n), RESPLINT_INPUT_PCAP);
    /* gzip of something else stays WARC's */
    static const unsigned char gz_text[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x0b, 0x77, 0x0c, 0x72, 0xd6, 0x37, 0xd4, 0x33, 0xe4, 0xe5, 0x02, 0x00, 0x70, 0x9f, 0xcf, 0x49, 0x0a, 0x00, 0x00, 0x00};
    assert_int_equal(resplint_detect_input(gz_text, sizeof gz_text), RESPLINT_INPUT_WARC);
}

/* --host against an authority: host, or host:port when it has one; userinfo dropped; an IPv6
 * literal keeps its brackets and colons. */
static void test_authority_matches(void **state)
{
    (void)state;
#define AUTH(glob, text, want)                                                                     \
    assert_int_equal(rlcap_authority_matches(glob, text, strlen(text)), want)
    AUTH("a.example.test", "a.example.test", true);
    AUTH("A.EXAMPLE.*", "a.example.test", true);
    AUTH("a.example.test", "a.example.test:8080", true);
    AUTH("a.example.test:8080", "a.example.test:8080", true);
    AUTH("a.example.test:80", "a.example.test:8080", false);
    AUTH("*:8080", "a.example.test:8080", true);
    AUTH("a.example.test", "user:pw@a.example.test:81", true);
    AUTH("user*", "user:pw@a.example.test", false);
    /* an IPv6 literal as URLs write it: its brackets are not a glob class */
    AUTH("[::1]:8080", "[::1]:8080", true);
    AUTH("[::1]", "[::1]:8080", true);
    AUTH("[::1]:8080", "[::2]:8080", false);
    AUTH("[2001:db8::*]", "[2001:db8::1]", true);
    AUTH("[ab].example.test", "b.example.test", true); /* a class still */
    assert_true(rlcap_glob("\\[ab\\]*", "[ab].example.test")); /* escaped brackets */
    assert_false(rlcap_glob("\\[ab\\]*", "a.example.test"));
    assert_true(rlcap_glob("a\\*", "a*"));
    assert_false(rlcap_glob("a\\*", "ab"));
    AUTH("?2001:db8::1?", "[2001:db8::1]:8443", true);
    AUTH("*::1]:8443", "[2001:db8::1]:8443", true);
    AUTH("2001*", "[2001:db8::1]", false);
    AUTH("a.example.test", "a.example.test:", true);
    AUTH("*", "", false);
    AUTH("b.example.test", "a.example.test", false);
#undef AUTH
}

/* Key logs: the five labels taken, anything else ignored, lines cut between chunks joined. */
static void test_keylog(void **state)
{
    (void)state;
    rlcap_keylog *k = rlcap_keylog_new();
    assert_non_null(k);
    const char *r = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    char text[2048];
    snprintf(text, sizeof text,
             "# SSL/TLS secrets log file, generated by NSS\n\n"
             "CLIENT_RANDOM %s %s\r\n"
             "CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n"
             "EXPORTER_SECRET %s %s\n"          /* another label: ignored */
             "CLIENT_RANDOM %s zz\n"            /* not hex */
             "CLIENT_RANDOM 0011 %s\n"          /* a short random */
             "SERVER_TRAFFIC_SECRET_0 %s %s",   /* no final line feed */
             r, "aa" "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
             r, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
             r, "cc", r, "dddd", r, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    long taken = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i += 7) /* in 7-byte chunks: lines cut anywhere */
        taken += rlcap_keylog_add(k, text + i, n - i < 7 ? n - i : 7);
    taken += rlcap_keylog_end(k);
    assert_int_equal(taken, 3);
    assert_int_equal(rlcap_keylog_count(k), 1); /* one session */
    rlcap_keylog_free(k);
}

static int h2_faults;
static char h2_rule[16];
static void h2_fault_cb(void *user, const char *rule, uint32_t stream, uint64_t frame,
                        size_t index, const char *message)
{
    (void)user, (void)stream, (void)frame, (void)index, (void)message;
    h2_faults++;
    snprintf(h2_rule, sizeof h2_rule, "%s", rule);
}

/* HTTP/2 caps: a field block continued past 1 MiB (a CONTINUATION flood) is RL9004 once and the
 * direction stops, with memory bounded; a block of valid fields under the cap is decoded. */
static void test_h2_continuation_flood(void **state)
{
    (void)state;
    rlcap_h2_sink sink = {NULL, h2_fault_cb, NULL, NULL};
    char err[256];
    rlcap_h2 *h = rlcap_h2_new(&sink, err, sizeof err);
    assert_non_null(h);
    h2_faults = 0;
    static unsigned char frame[9 + 16384];
    /* HEADERS on stream 1, no END_HEADERS: one indexed field (:status 200) */
    unsigned char hdr[10] = {0, 0, 1, 0x1, 0x0, 0, 0, 0, 1, 0x88};
    rlcap_h2_feed(h, 1, hdr, sizeof hdr, 1);
    memset(frame + 9, 0x88, 16384); /* indexed fields: valid HPACK, 16384 of them a frame */
    unsigned char ch[9] = {0x00, 0x40, 0x00, 0x9, 0x0, 0, 0, 0, 1};
    memcpy(frame, ch, 9);
    for (int i = 0; i < 70; i++)
        rlcap_h2_feed(h, 1, frame, sizeof frame, (uint64_t)(2 + i));
    assert_int_equal(h2_faults, 1);
    assert_string_equal(h2_rule, "RL9004");
    rlcap_h2_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_ethernet_qinq_ipv4_options),
        cmocka_unit_test(test_decode_fragments_and_link_types),
        cmocka_unit_test(test_decode_ipv6_extension_headers),
        cmocka_unit_test(test_decode_tunnels),
        cmocka_unit_test(test_decode_nesting_limits),
        cmocka_unit_test(test_reassembly_out_of_order_overlap_wrap),
        cmocka_unit_test(test_reassembly_gaps),
        cmocka_unit_test(test_reassembly_limit),
        cmocka_unit_test(test_reassembly_counts_records),
        cmocka_unit_test(test_reassembly_random_order),
        cmocka_unit_test(test_capture_pipeline_head_304_chunked),
        cmocka_unit_test(test_capture_streams_tls_and_limits),
        cmocka_unit_test(test_capture_gaps_are_not_server_faults),
        cmocka_unit_test(test_capture_unsupported_link_and_cut_file),
        cmocka_unit_test(test_detect_gzip_pcap),
        cmocka_unit_test(test_authority_matches),
        cmocka_unit_test(test_keylog),
        cmocka_unit_test(test_h2_continuation_flood),
        cmocka_unit_test(test_capture_shards),
        cmocka_unit_test(test_feed_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
