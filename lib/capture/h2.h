/* Internal: HTTP/2 frames of a captured connection (RFC 9113), read by the project; field
 * blocks decoded with nghttp2's HPACK inflater. Each response field block becomes a response
 * for the rules; what only frames show (RL8xxx) is judged here. */
#ifndef RLCAP_H2_H
#define RLCAP_H2_H

#include "resplint.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rlcap_h2 rlcap_h2;

/* A decoded response field block (HEADERS and its CONTINUATIONs) of the server. */
typedef struct rlcap_h2_block {
    uint32_t stream;      /* HTTP/2 stream id */
    uint64_t frame;       /* the frame that completed the block */
    size_t index;         /* the response index: field blocks in the order they complete,
                           * interim ones included, trailer sections excluded */
    int status;           /* :status, -1 when missing or not three digits */
    bool trailers;        /* a trailer section (then index is its final response's) */
    bool end_stream;      /* the HEADERS frame had END_STREAM */
    const resplint_field *fields; /* regular fields as sent (pseudo-header fields left out) */
    size_t field_count;
    const char *method;   /* the request's :method (HEADERS or PUSH_PROMISE), NULL */
    const char *url;      /* scheme://authority/path of the request, NULL */
} rlcap_h2_block;

typedef struct rlcap_h2_sink {
    void (*block)(void *user, const rlcap_h2_block *b);
    /* a fault of the frames (rule RL8xxx, or RL9004 for a cap), at frame, on stream (0: the
     * connection), about the response index given */
    void (*fault)(void *user, const char *rule, uint32_t stream, uint64_t frame, size_t index,
                  const char *message);
    /* out of memory at frame: the direction stops (NULL: reported as RL9004) */
    void (*nomem)(void *user, uint64_t frame);
    void *user;
} rlcap_h2_sink;

/* NULL when out of memory, or when nghttp2 (loaded on first use) cannot be loaded: then why,
 * naming the library, is in err (empty when out of memory). */
rlcap_h2 *rlcap_h2_new(const rlcap_h2_sink *sink, char *err, size_t errlen);
void rlcap_h2_free(rlcap_h2 *h);
/* Bytes of direction dir (0 client, 1 server) in order; frame carried (the end of) them. The
 * client's may start with the connection preface, which is skipped. */
void rlcap_h2_feed(rlcap_h2 *h, int dir, const unsigned char *p, size_t n, uint64_t frame);
/* Bytes of direction dir are missing: its frames cannot be found again, it stops. */
void rlcap_h2_gap(rlcap_h2 *h, int dir);
/* Is p the start of the client connection preface ("PRI * HTTP/2.0...")? */
bool rlcap_h2_preface(const unsigned char *p, size_t n);

#endif
