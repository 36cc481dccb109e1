/* libFuzzer harness that reaches what a 64 KiB input cannot spell out (issue 21): the input is
 * a program of 8-byte operations that expands into a pcap of up to 1 MiB (about 14,000
 * frames), run through the pcap reader (flow table, reassembly, pairing, memory budget). One
 * operation can make thousands of SYNs of distinct connections, of 1-byte segments after a
 * hole (ascending or descending), or of pipelined requests; the others send one segment of a
 * request or response template, a FIN or a RST. (4 MiB took longer than the fuzzer's 10 s
 * timeout under its instrumentation on a busy machine, while linear: growth is measured by
 * bench/complexity.py, not here.)
 *
 *   byte 0: operation (low 3 bits: 0 segment, 1 SYN flood, 2 ascending 1-byte segments,
 *           3 descending ones, 4 pipelined requests, 5 a segment from the server, 6 FIN, 7 RST)
 *   byte 1: connection (client 10.0.x.y:40000+n, server 192.0.2.1:80)
 *   bytes 2-3: count or length (big-endian)
 *   bytes 4-6: sequence offset from the connection's first byte (big-endian)
 *   byte 7: template (request, response with Content-Length, chunked, HEAD answer...) */
#include "capture_common.h"

#include <stdbool.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_MAX (1u << 20)

typedef struct out {
    unsigned char *p;
    size_t n;
    uint32_t frame;
} out;

static const char *const templates[] = {
    "GET / HTTP/1.1\r\nHost: a.example.test\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "HEAD / HTTP/1.1\r\nHost: b.example.test\r\n\r\n",
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 900\r\n\r\n",
    "HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.0 200 OK\r\n\r\nbody until close",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
};

static void put(out *o, const void *p, size_t n)
{
    if (n && o->n + n <= OUT_MAX) {
        memcpy(o->p + o->n, p, n);
        o->n += n;
    }
}

static void be16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void be32(unsigned char *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffff);
}

/* One Ethernet/IPv4/TCP frame (checksums zero, as offloading senders leave them). */
static void frame(out *o, uint32_t client, bool from_server, uint8_t flags, uint32_t seq,
                  const unsigned char *payload, size_t len)
{
    if (o->n + 16 + 54 + len > OUT_MAX)
        return;
    unsigned char h[16 + 54];
    memset(h, 0, sizeof h);
    uint32_t ts = 1700000000u + o->frame / 1000;
    memcpy(h, &ts, 4); /* the record header is little-endian like the file header */
    uint32_t usec = (o->frame % 1000) * 1000, caplen = (uint32_t)(54 + len);
    memcpy(h + 4, &usec, 4);
    memcpy(h + 8, &caplen, 4);
    memcpy(h + 12, &caplen, 4);
    unsigned char *e = h + 16;
    e[12] = 0x08; /* IPv4 */
    unsigned char *ip = e + 14;
    ip[0] = 0x45;
    be16(ip + 2, (unsigned)(40 + len));
    ip[8] = 64;
    ip[9] = 6;
    uint32_t cip = 0x0a000000u | client, sip = 0xc0000201u;
    be32(ip + 12, from_server ? sip : cip);
    be32(ip + 16, from_server ? cip : sip);
    unsigned char *t = ip + 20;
    unsigned cport = 40000u + (client & 0x3fff);
    be16(t, from_server ? 80 : cport);
    be16(t + 2, from_server ? cport : 80);
    be32(t + 4, seq);
    be32(t + 8, 1);
    t[12] = 5 << 4;
    t[13] = flags;
    be16(t + 14, 65535);
    put(o, h, sizeof h);
    put(o, payload, len);
    o->frame++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    out o = {malloc(OUT_MAX), 0, 0};
    if (!o.p)
        return 0;
    static const unsigned char header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                             0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
    put(&o, header, sizeof header);
    enum { SYN = 0x02, FIN = 0x01, RST = 0x04, PSH = 0x08, ACK = 0x10 };
    for (size_t i = 0; i + 8 <= size && o.n < OUT_MAX; i += 8) {
        const uint8_t *op = data + i;
        uint32_t conn = op[1];
        unsigned count = (unsigned)op[2] << 8 | op[3];
        uint32_t off = (uint32_t)op[4] << 16 | (uint32_t)op[5] << 8 | op[6];
        const char *tpl = templates[op[7] % (sizeof templates / sizeof templates[0])];
        size_t tlen = strlen(tpl);
        uint32_t isn = 1000u + conn * 7919u;
        switch (op[0] & 7) {
        case 0: /* a piece of a template from the client */
        case 5: /* from the server */
            frame(&o, conn, (op[0] & 7) == 5, PSH | ACK, isn + 1 + off,
                  (const unsigned char *)tpl + (count % tlen), tlen - count % tlen);
            break;
        case 1: /* a SYN flood: count distinct connections */
            for (unsigned k = 0; k < count; k++)
                frame(&o, (conn << 16) | k, false, SYN, isn + k, NULL, 0);
            break;
        case 2: /* a hole, then count 1-byte segments in order */
        case 3: /* the same in descending order */
            for (unsigned k = 0; k < count; k++) {
                unsigned j = (op[0] & 7) == 2 ? k : count - 1 - k;
                frame(&o, conn, true, PSH | ACK, isn + 2 + off + j,
                      (const unsigned char *)tpl + j % tlen, 1);
            }
            break;
        case 4: /* count pipelined copies of the template from the client */
            for (unsigned k = 0; k < count; k++)
                frame(&o, conn, false, PSH | ACK, isn + 1 + off + (uint32_t)(k * tlen),
                      (const unsigned char *)tpl, tlen);
            break;
        case 6:
            frame(&o, conn, op[7] & 1, FIN | ACK, isn + 1 + off, NULL, 0);
            break;
        case 7:
            frame(&o, conn, op[7] & 1, RST, isn + 1 + off, NULL, 0);
            break;
        }
    }
    const char *dump = getenv("FUZZ_PCAP_OPS_DUMP"); /* to look at a program's capture */
    FILE *df = dump ? fopen(dump, "wb") : NULL;
    if (df) {
        fwrite(o.p, 1, o.n, df);
        fclose(df);
    }
    fuzz_capture(o.p, o.n, RESPLINT_INPUT_PCAP);
    free(o.p);
    return 0;
}
