/* Internal interfaces of the pcap reader: the link/IP/TCP decoder and the per-direction TCP
 * reassembler. Both are pure (no I/O) so that unit tests can drive them with crafted bytes. */
#ifndef RLCAP_PCAP_INTERNAL_H
#define RLCAP_PCAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- decoding ---- */

#define RLCAP_TCP_FIN 0x01u
#define RLCAP_TCP_SYN 0x02u
#define RLCAP_TCP_RST 0x04u
#define RLCAP_TCP_ACK 0x10u

typedef struct rlcap_ip {
    uint8_t family; /* 4 or 6 */
    uint8_t a[16];  /* IPv4 in the first 4 bytes */
} rlcap_ip;

#define RLCAP_MAX_NESTING 8   /* tunnels (IP in IP, GRE, VXLAN) in one frame; VLAN tags in a row */
#define RLCAP_MAX_IPV6_EXT 16 /* IPv6 extension headers before the transport */

typedef enum rlcap_decode_result {
    RLCAP_DEC_TCP,         /* a TCP segment: *out is filled */
    RLCAP_DEC_OTHER,       /* not TCP (ARP, UDP, ICMP...): ignored */
    RLCAP_DEC_FRAGMENT,    /* an IP fragment: the frag_* members describe it */
    RLCAP_DEC_SHORT,       /* headers cut by the snapshot length or malformed */
    RLCAP_DEC_TOO_DEEP,    /* more nested encapsulations or IPv6 extension headers than read */
    RLCAP_DEC_UNSUPPORTED  /* a link type the decoder does not read */
} rlcap_decode_result;

typedef struct rlcap_packet {
    rlcap_ip src, dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;                  /* RLCAP_TCP_* */
    const unsigned char *payload;   /* points into the frame */
    uint32_t payload_len;           /* bytes of payload present in the frame */
    uint32_t payload_wire;          /* bytes of payload the segment carried (IP length) */
    bool header_cut;                /* the TCP header runs past the packet: no payload */
    /* RLCAP_DEC_FRAGMENT (src and dst are set too) */
    uint32_t frag_id;
    uint32_t frag_offset;           /* bytes */
    bool frag_more;                 /* more fragments follow */
    bool frag_cut;                  /* the fragment is cut by the snapshot length */
    uint8_t frag_proto;             /* protocol of the whole datagram */
    const unsigned char *frag_data;
    uint32_t frag_len;
} rlcap_packet;

/* Decodes one frame of link type dlt (a DLT_ value as libpcap reports it) down to TCP.
 * caplen bytes are present. Never reads outside p[0..caplen). */
rlcap_decode_result rlcap_decode(int dlt, const unsigned char *p, size_t caplen,
                                 rlcap_packet *out);
 /* Decodes the transport of a reassembled IP datagram (proto: 6 for TCP) into out, whose
 * addresses the caller has set. */
rlcap_decode_result rlcap_decode_payload(int proto, const unsigned char *p, size_t n,
                                         rlcap_packet *out);
/* Formats "192.0.2.1:80" or "[2001:db8::1]:80" into buf. */
void rlcap_format_endpoint(const rlcap_ip *ip, uint16_t port, char *buf, size_t len);

/* ---- reassembly of one direction of a TCP connection ----
 * Bytes are delivered once, in sequence order, each with the frame that carried it.
 * Overlap policy: first wins. Bytes already delivered or held are kept; a retransmission or an
 * overlapping segment only contributes the bytes nobody supplied before, and a later copy that
 * disagrees is ignored (as Wireshark's reassembly keeps the first copy). Receiving stacks differ
 * on overlaps (the "target-based reassembly" problem); a capture point cannot know which copy
 * the client used, so resplint takes the one the server sent first. */

typedef enum rlcap_gap_kind {
    RLCAP_GAP_LOST,      /* segments missing from the capture */
    RLCAP_GAP_END,       /* segments missing at the end of the direction: nothing follows */
    RLCAP_GAP_TRUNCATED, /* bytes cut by the snapshot length */
    RLCAP_GAP_LIMIT      /* given up on: too many out-of-order bytes held */
} rlcap_gap_kind;

typedef struct rlcap_tcp_sink {
    void (*data)(void *user, const unsigned char *p, size_t n, uint64_t frame);
    /* missing bytes (0 when unknown) before the next delivered byte; frame where it was seen */
    void (*gap)(void *user, uint64_t missing, rlcap_gap_kind kind, uint64_t frame);
    void *user;
} rlcap_tcp_sink;

typedef struct rlcap_tcp_seg rlcap_tcp_seg;

typedef struct rlcap_tcp_half {
    bool started;   /* next_seq is known */
    bool syn_seen;  /* the connection was seen from its SYN */
    bool fin_seen;
    bool closed;    /* FIN reached in sequence, or RST */
    bool ack_known; /* the peer's highest ACK is known */
    uint32_t next_seq;
    uint32_t fin_seq;
    uint32_t peer_ack;   /* highest ACK the other side sent */
    uint64_t fin_frame;  /* the frame that carried the FIN */
    uint64_t ack_frame;  /* the frame that carried peer_ack */
    uint64_t offset;     /* stream offset of the next byte (gaps included) */
    rlcap_tcp_seg *held; /* out-of-order segments, sorted by sequence */
    rlcap_tcp_seg *root; /* the same segments as a treap, for O(log n) search */
    uint32_t rng;        /* the treap's priorities */
    size_t held_bytes;   /* memory held: bytes plus RLCAP_TCP_PIECE_COST per segment */
    size_t max_held;     /* limit of held_bytes (RLCAP_GAP_LIMIT beyond) */
    int error;           /* an allocation failed: the half stops (the reader makes it its
                          * error at once, lib/capture/reader.h) */
} rlcap_tcp_half;

/* What holding one out-of-order segment costs besides its bytes (its record and the
 * allocator's): counted in held_bytes, so that 1-byte segments cannot hold 48 times the limit. */
#define RLCAP_TCP_PIECE_COST 64u

void rlcap_tcp_init(rlcap_tcp_half *h, size_t max_held);
/* One segment of this direction: seq, flags, the payload present (len bytes) and the bytes
 * of payload cut off after it by the snapshot length (missing_tail). */
void rlcap_tcp_segment(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint32_t seq, unsigned flags,
                       const unsigned char *data, uint32_t len, uint32_t missing_tail,
                       uint64_t frame);
/* The other direction acknowledged up to ack: held data beyond a hole the receiver already
 * acknowledged means the hole was lost by the capture, not by the network. */
void rlcap_tcp_ack(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint32_t ack, uint64_t frame);
/* Gives up on the hole before the first held segment (a gap of kind), delivers what follows. */
void rlcap_tcp_skip_hole(rlcap_tcp_half *h, const rlcap_tcp_sink *k, rlcap_gap_kind kind,
                         uint64_t frame);
/* The direction ends (connection closed, capture over): delivers what is held, with gaps. */
void rlcap_tcp_flush(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint64_t frame);
void rlcap_tcp_free(rlcap_tcp_half *h);

#endif
