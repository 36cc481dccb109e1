/* Frame decoding for the pcap reader: link layers (Ethernet with VLAN/QinQ, PPPoE and MPLS,
 * Linux SLL/SLL2, BSD loopback, raw IP, NFLOG, 802.11 with radiotap, Cisco HDLC, PPP, Linux
 * ARCNET), IPv4 with options, IPv6 with extension headers, tunnels (IP in IP, GRE, VXLAN) as
 * Wireshark decodes them, and TCP. */
#define _POSIX_C_SOURCE 200809L
#include "pcap_internal.h"

#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_NFLOG
#define DLT_NFLOG 239
#endif

#define MAX_NESTING RLCAP_MAX_NESTING
#define MAX_IPV6_EXT RLCAP_MAX_IPV6_EXT

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[1] << 8 | p[0]); }
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static rlcap_decode_result decode_ip(const unsigned char *p, size_t n, int depth,
                                     rlcap_packet *out);
static rlcap_decode_result decode_ethertype(unsigned type, const unsigned char *p, size_t n,
                                            int depth, rlcap_packet *out);

/* GRE (RFC 2784/2890): optional checksum, key and sequence words, then the inner protocol. */
static rlcap_decode_result decode_gre(const unsigned char *p, size_t n, int depth,
                                      rlcap_packet *out)
{
    if (n < 4 || (p[1] & 0x07) != 0) /* version 0 only (version 1 is PPTP's) */
        return RLCAP_DEC_OTHER;
    size_t off = 4;
    if (p[0] & 0x80) /* checksum present */
        off += 4;
    if (p[0] & 0x20) /* key present */
        off += 4;
    if (p[0] & 0x10) /* sequence number present */
        off += 4;
    if (n < off)
        return RLCAP_DEC_SHORT;
    return decode_ethertype(be16(p + 2), p + off, n - off, depth + 1, out);
}

/* UDP: only VXLAN (port 4789) carries TCP worth decoding; Wireshark decodes it by port too. */
static rlcap_decode_result decode_udp(const unsigned char *p, size_t n, int depth,
                                      rlcap_packet *out)
{
    if (n < 8 + 8 + 14 || be16(p + 2) != 4789)
        return RLCAP_DEC_OTHER;
    const unsigned char *e = p + 16;
    return decode_ethertype(be16(e + 12), e + 14, n - 16 - 14, depth + 1, out);
}

static rlcap_decode_result decode_tcp(const unsigned char *p, size_t present, size_t wire,
                                      rlcap_packet *out)
{
    if (present < 20)
        return RLCAP_DEC_SHORT;
    size_t doff = (size_t)(p[12] >> 4) * 4;
    if (doff < 20)
        return RLCAP_DEC_SHORT;
    out->sport = be16(p);
    out->dport = be16(p + 2);
    out->seq = be32(p + 4);
    out->ack = be32(p + 8);
    out->flags = p[13];
    if (doff > present || doff > wire) {
        /* the options run past the packet: Wireshark still counts the connection */
        out->header_cut = true;
        return RLCAP_DEC_TCP;
    }
    out->payload = p + doff;
    out->payload_len = (uint32_t)(present - doff);
    out->payload_wire = (uint32_t)(wire - doff);
    return RLCAP_DEC_TCP;
}

/* Decodes the transport of an IP packet whose payload is p[0..present) of wire bytes. */
static rlcap_decode_result decode_proto(int proto, const unsigned char *p, size_t present,
                                        size_t wire, int depth, rlcap_packet *out)
{
    if (proto == 6)
        return decode_tcp(p, present, wire, out);
    if (proto == 4 || proto == 41) /* IP in IP: the inner packet is what the hosts said */
        return decode_ip(p, present, depth + 1, out);
    if (proto == 47)
        return decode_gre(p, present, depth, out);
    if (proto == 17)
        return decode_udp(p, present, depth, out);
    return RLCAP_DEC_OTHER;
}

static rlcap_decode_result decode_ipv4(const unsigned char *p, size_t n, int depth,
                                       rlcap_packet *out)
{
    if (n < 20)
        return RLCAP_DEC_SHORT;
    size_t ihl = (size_t)(p[0] & 0x0f) * 4; /* options are skipped with the header */
    size_t total = be16(p + 2);
    if (ihl < 20 || n < ihl)
        return RLCAP_DEC_SHORT;
    if (total == 0) /* segmentation offload: the length was never filled in */
        total = n;
    if (total < ihl)
        return RLCAP_DEC_SHORT;
    uint16_t frag = be16(p + 6);
    out->src.family = out->dst.family = 4;
    memset(out->src.a, 0, sizeof out->src.a);
    memset(out->dst.a, 0, sizeof out->dst.a);
    memcpy(out->src.a, p + 12, 4);
    memcpy(out->dst.a, p + 16, 4);
    size_t present = (n < total ? n : total) - ihl;
    if ((frag & 0x2000) || (frag & 0x1fff)) {
        out->frag_id = be16(p + 4);
        out->frag_offset = (uint32_t)(frag & 0x1fff) * 8;
        out->frag_more = (frag & 0x2000) != 0;
        out->frag_cut = present < total - ihl;
        out->frag_proto = p[9];
        out->frag_data = p + ihl;
        out->frag_len = (uint32_t)present;
        return RLCAP_DEC_FRAGMENT;
    }
    return decode_proto(p[9], p + ihl, present, total - ihl, depth, out);
}

static rlcap_decode_result decode_ipv6(const unsigned char *p, size_t n, int depth,
                                       rlcap_packet *out)
{
    if (n < 40)
        return RLCAP_DEC_SHORT;
    size_t plen = be16(p + 4);
    if (plen == 0) /* jumbogram or offload: take what was captured */
        plen = n - 40;
    out->src.family = out->dst.family = 6;
    memcpy(out->src.a, p + 8, 16);
    memcpy(out->dst.a, p + 24, 16);
    int nh = p[6];
    size_t off = 40, end = 40 + plen;
    for (int hops = 0; hops <= MAX_IPV6_EXT; hops++) { /* the headers, then the transport */
        size_t len;
        switch (nh) {
        case 0:  /* hop-by-hop options */
        case 43: /* routing */
        case 60: /* destination options */
            if (off + 2 > n || off + 2 > end)
                return RLCAP_DEC_SHORT;
            len = ((size_t)p[off + 1] + 1) * 8;
            break;
        case 44: /* fragment */
            if (off + 8 > n || off + 8 > end)
                return RLCAP_DEC_SHORT;
            if ((be16(p + off + 2) & 0xfff9) != 0) {
                size_t present = (n < end ? n : end);
                present = present > off + 8 ? present - off - 8 : 0;
                out->frag_id = be32(p + off + 4);
                out->frag_offset = be16(p + off + 2) & 0xfff8u;
                out->frag_more = (p[off + 3] & 1) != 0;
                out->frag_cut = present < end - off - 8;
                out->frag_proto = p[off];
                out->frag_data = p + off + 8;
                out->frag_len = (uint32_t)present;
                return RLCAP_DEC_FRAGMENT;
            }
            len = 8; /* an atomic fragment (offset 0, no more): the packet is whole */
            break;
        case 51: /* authentication header */
            if (off + 2 > n || off + 2 > end)
                return RLCAP_DEC_SHORT;
            len = ((size_t)p[off + 1] + 2) * 4;
            break;
        default: {
            if (off > end)
                return RLCAP_DEC_SHORT;
            size_t present = (n < end ? n : end);
            present = present > off ? present - off : 0;
            return decode_proto(nh, p + off, present, end - off, depth, out);
        }
        }
        nh = p[off];
        off += len;
    }
    return RLCAP_DEC_TOO_DEEP;
}

static rlcap_decode_result decode_ip(const unsigned char *p, size_t n, int depth,
                                     rlcap_packet *out)
{
    if (depth > MAX_NESTING)
        return RLCAP_DEC_TOO_DEEP;
    if (n < 1)
        return RLCAP_DEC_SHORT;
    switch (p[0] >> 4) {
    case 4:
        return decode_ipv4(p, n, depth, out);
    case 6:
        return decode_ipv6(p, n, depth, out);
    default:
        return RLCAP_DEC_OTHER;
    }
}

/* An ethertype-framed payload: VLAN tags, PPPoE sessions and MPLS labels are walked. */
static rlcap_decode_result decode_ethertype(unsigned type, const unsigned char *p, size_t n,
                                            int depth, rlcap_packet *out)
{
    if (depth > MAX_NESTING)
        return RLCAP_DEC_TOO_DEEP;
    /* MAX_NESTING tags or bridged frames are read, then the type after them */
    for (int tags = 0; tags <= MAX_NESTING; tags++) {
        switch (type) {
        case 0x0800:
        case 0x86dd:
            return decode_ip(p, n, depth, out);
        case 0x6558: /* transparent Ethernet bridging (GRE, NVGRE) */
            if (n < 14)
                return RLCAP_DEC_SHORT;
            type = be16(p + 12);
            p += 14;
            n -= 14;
            depth++;
            break;
        case 0x8100: /* 802.1Q */
        case 0x88a8: /* 802.1ad (QinQ outer tag) */
        case 0x9100: /* pre-standard QinQ */
            if (n < 4)
                return RLCAP_DEC_SHORT;
            type = be16(p + 2);
            p += 4;
            n -= 4;
            break;
        case 0x8864: { /* PPPoE session */
            if (n < 8)
                return RLCAP_DEC_SHORT;
            unsigned proto = be16(p + 6);
            if (proto != 0x0021 && proto != 0x0057)
                return RLCAP_DEC_OTHER;
            return decode_ip(p + 8, n - 8, depth, out);
        }
        case 0x8847: /* MPLS unicast: labels until bottom of stack, then IP */
            while (n >= 4) {
                bool bottom = p[2] & 0x01;
                p += 4;
                n -= 4;
                if (bottom)
                    return decode_ip(p, n, depth, out);
            }
            return RLCAP_DEC_SHORT;
        default:
            return RLCAP_DEC_OTHER;
        }
    }
    return RLCAP_DEC_TOO_DEEP;
}

static rlcap_decode_result decode_null(uint32_t family, const unsigned char *p, size_t n,
                                       rlcap_packet *out)
{
    switch (family) {
    case 2: /* AF_INET everywhere */
    case 24: case 28: case 30: /* AF_INET6: NetBSD/OpenBSD, FreeBSD, macOS */
    case 10: /* AF_INET6: Linux */
        return decode_ip(p, n, 0, out);
    default:
        return RLCAP_DEC_OTHER;
    }
}

/* NFLOG: a 4-byte header, then type-length-value attributes in host byte order; the packet
 * is the NFULA_PAYLOAD attribute. */
static rlcap_decode_result decode_nflog(const unsigned char *p, size_t n, rlcap_packet *out)
{
    if (n < 4)
        return RLCAP_DEC_SHORT;
    size_t off = 4;
    while (off + 4 <= n) {
        size_t len = le16(p + off);
        unsigned type = le16(p + off + 2);
        if (len < 4 || off + len > n)
            return RLCAP_DEC_SHORT;
        if ((type & 0x7fff) == 9)
            return decode_ip(p + off + 4, len - 4, 0, out);
        off += (len + 3) & ~(size_t)3;
    }
    return RLCAP_DEC_OTHER;
}

/* An 802.11 data frame with LLC/SNAP. Protected frames are opaque. */
static rlcap_decode_result decode_80211(const unsigned char *p, size_t n, rlcap_packet *out)
{
    if (n < 24)
        return RLCAP_DEC_SHORT;
    unsigned fc0 = p[0], fc1 = p[1];
    if (((fc0 >> 2) & 3) != 2) /* not a data frame */
        return RLCAP_DEC_OTHER;
    if (fc1 & 0x40)
        return RLCAP_DEC_OTHER;
    size_t hl = 24;
    if ((fc1 & 0x03) == 0x03)
        hl += 6; /* four addresses */
    if (fc0 & 0x80) {
        hl += 2; /* QoS control */
        if (fc1 & 0x80)
            hl += 4; /* HT control */
    }
    if ((fc0 >> 4) & 0x4) /* null data subtypes carry nothing */
        return RLCAP_DEC_OTHER;
    if (n < hl + 8)
        return RLCAP_DEC_SHORT;
    const unsigned char *l = p + hl;
    if (l[0] != 0xaa || l[1] != 0xaa || l[2] != 0x03)
        return RLCAP_DEC_OTHER;
    return decode_ethertype(be16(l + 6), l + 8, n - hl - 8, 0, out);
}

rlcap_decode_result rlcap_decode(int dlt, const unsigned char *p, size_t n, rlcap_packet *out)
{
    memset(out, 0, sizeof *out);
    switch (dlt) {
    case DLT_EN10MB:
        if (n < 14)
            return RLCAP_DEC_SHORT;
        return decode_ethertype(be16(p + 12), p + 14, n - 14, 0, out);
    case DLT_LINUX_SLL:
        if (n < 16)
            return RLCAP_DEC_SHORT;
        return decode_ethertype(be16(p + 14), p + 16, n - 16, 0, out);
    case DLT_LINUX_SLL2:
        if (n < 20)
            return RLCAP_DEC_SHORT;
        return decode_ethertype(be16(p), p + 20, n - 20, 0, out);
    case DLT_NULL: {
        if (n < 4)
            return RLCAP_DEC_SHORT;
        /* the family is in the byte order of the host that captured: try both */
        uint32_t fam = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                       (uint32_t)p[3] << 24;
        if (fam > 0xffff)
            fam = be32(p);
        return decode_null(fam, p + 4, n - 4, out);
    }
    case DLT_LOOP:
        if (n < 4)
            return RLCAP_DEC_SHORT;
        return decode_null(be32(p), p + 4, n - 4, out);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        return decode_ip(p, n, 0, out);
    case DLT_NFLOG:
        return decode_nflog(p, n, out);
    case DLT_C_HDLC:
        if (n < 4)
            return RLCAP_DEC_SHORT;
        return decode_ethertype(be16(p + 2), p + 4, n - 4, 0, out);
    case DLT_PPP:
    case DLT_PPP_SERIAL: {
        size_t off = (n >= 2 && p[0] == 0xff && p[1] == 0x03) ? 2 : 0;
        if (n < off + 2)
            return RLCAP_DEC_SHORT;
        unsigned proto = be16(p + off);
        if (proto != 0x0021 && proto != 0x0057)
            return RLCAP_DEC_OTHER;
        return decode_ip(p + off + 2, n - off - 2, 0, out);
    }
    case DLT_ARCNET_LINUX:
        /* source, destination, 2-byte offset, then the RFC 1051 (240) or RFC 1201 (212,
         * followed by a split flag and a 2-byte sequence) protocol id */
        if (n < 5)
            return RLCAP_DEC_SHORT;
        if (p[4] == 240)
            return decode_ip(p + 5, n - 5, 0, out);
        if (p[4] == 212 && n >= 8)
            return decode_ip(p + 8, n - 8, 0, out);
        return RLCAP_DEC_OTHER;
    case DLT_IEEE802_11:
        return decode_80211(p, n, out);
    case DLT_IEEE802_11_RADIO: {
        if (n < 4)
            return RLCAP_DEC_SHORT;
        size_t rl = le16(p + 2);
        if (rl < 4 || rl > n)
            return RLCAP_DEC_SHORT;
        return decode_80211(p + rl, n - rl, out);
    }
    default:
        return RLCAP_DEC_UNSUPPORTED;
    }
}

rlcap_decode_result rlcap_decode_payload(int proto, const unsigned char *p, size_t n,
                                         rlcap_packet *out)
{
    return decode_proto(proto, p, n, n, 0, out);
}

void rlcap_format_endpoint(const rlcap_ip *ip, uint16_t port, char *buf, size_t len)
{
    char a[INET6_ADDRSTRLEN];
    if (ip->family == 6) {
        if (!inet_ntop(AF_INET6, ip->a, a, sizeof a))
            snprintf(a, sizeof a, "?");
        snprintf(buf, len, "[%s]:%u", a, (unsigned)port);
    } else {
        if (!inet_ntop(AF_INET, ip->a, a, sizeof a))
            snprintf(a, sizeof a, "?");
        snprintf(buf, len, "%s:%u", a, (unsigned)port);
    }
}
