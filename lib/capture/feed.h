/* One reading of a capture shared by its shards (resplint_capture_feed, lib/capture/feed.c):
 * the producer (resplint_capture_feed_run, pcap.c's rlcap_feed_pcap) reads the file with
 * libpcap once and puts what each frame read gave into a ring of records; the shards
 * (resplint_capture_file with options.feed) take them in the same order instead of reading
 * the file each. Between the two, only records: a frame (its pcap header, its place in the
 * file, its bytes), the TLS key log bytes of pcapng Decryption Secrets Blocks as libpcap's
 * reading met them, and how the opening and the reading ended (libpcap's words, the source's
 * error), so that a shard does what it would have done reading the file itself. */
#ifndef RLCAP_FEED_H
#define RLCAP_FEED_H

#include "resplint/capture.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    RLCAP_FEED_OPEN = 1, /* rlcap_feed_open */
    RLCAP_FEED_FRAME,    /* rlcap_feed_frame, then the frame's bytes */
    RLCAP_FEED_SECRET,   /* key log bytes of a DSB (rlcap_keylog_add) */
    RLCAP_FEED_SECRET_END, /* the end of a DSB's key log (rlcap_keylog_end) */
    RLCAP_FEED_END       /* rlcap_feed_end, then libpcap's message and the source's error */
};

/* How the opening went: fail != 0 is the error every shard stops with (msg beside it). */
typedef struct rlcap_feed_open {
    int fail;
    int dlt;
    bool places; /* frames carry their place in the file (not a gzip'd capture) */
    char dlt_name[64];
    char msg[1024];
} rlcap_feed_open;

typedef struct rlcap_feed_frame {
    int64_t ts_sec, ts_usec;
    uint32_t caplen, len;
    int64_t before, after; /* the frame's record in the file: from, to (-1: unknown) */
    uint64_t bytes;        /* of the file read so far (stats.bytes, progress) */
} rlcap_feed_frame;

/* How the reading ended: got is pcap_next_ex's last result (PCAP_ERROR_BREAK at the end of
 * the file), geterr its message; fail != 0 the source's error (failmsg) when the file could
 * not be read or inflated, or memory ran out. */
typedef struct rlcap_feed_end {
    int got;
    int fail;
    uint64_t bytes;
    uint64_t dsb_dropped;
    uint64_t frames;
    uint32_t geterr_len, failmsg_len; /* the two messages follow, in that order, unterminated */
} rlcap_feed_end;

/* A record as a shard sees it: valid until its next rlcap_feed_next. */
typedef struct rlcap_feed_rec {
    int type;
    const void *meta; /* the rlcap_feed_* struct of its type; SECRET: the bytes */
    size_t meta_len;
    const unsigned char *data; /* FRAME: the frame's bytes; END: the two messages */
    size_t data_len;
} rlcap_feed_rec;

/* Producer. Puts a record (meta, then data) in the ring, waiting for room; false when every
 * shard has left (the reading may stop) or memory ran out for a record of its own. */
bool rlcap_feed_put(resplint_capture_feed *f, int type, const void *meta, size_t meta_len,
                    const void *data, size_t data_len);
/* Producer: the reading is over (after its END record, or when it could not start): the
 * records written become visible. */
void rlcap_feed_finish(resplint_capture_feed *f);
/* Has the OPEN record been put? */
bool rlcap_feed_opened(resplint_capture_feed *f);

/* Shard k: the next record, waiting for it when the reading is behind (calling the feed's
 * waiting callback with upto first, and after each RING/8 bytes read: every later record this
 * shard reports has origin.order >= upto). false: the reading ended without a record for it (it could not start). */
bool rlcap_feed_next(resplint_capture_feed *f, unsigned k, uint64_t upto, rlcap_feed_rec *out);

#endif
