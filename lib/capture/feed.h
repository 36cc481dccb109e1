/* One reading of a capture shared by its shards (resplint_capture_feed, lib/capture/feed.c):
 * the producer (resplint_capture_feed_run, pcap.c's rlcap_feed_pcap) reads the file with
 * libpcap once, decodes each frame down to TCP and keeps the connection table, and puts
 * what each frame gave into a ring of records; the shards (resplint_capture_file with
 * options.feed) take them in the same order instead of reading the file each. Between the
 * two, only records: a TCP segment for the shard of its connection (its place in the file,
 * its step, its payload), events of the connection table (an idle connection closed, a
 * connection ended by a new one on its 4-tuple or by the capture's end), the TLS key log bytes of pcapng Decryption Secrets Blocks as libpcap's
 * reading met them, and how the opening and the reading ended (libpcap's words, the source's
 * error), so that a shard does what it would have done reading the file itself. */
#ifndef RLCAP_FEED_H
#define RLCAP_FEED_H

#include "pcap_internal.h"
#include "resplint/capture.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    RLCAP_FEED_OPEN = 1, /* rlcap_feed_open */
    RLCAP_FEED_PACKET,   /* rlcap_feed_packet, then the segment's TCP payload */
    RLCAP_FEED_SECRET,   /* key log bytes of a DSB (rlcap_keylog_add) */
    RLCAP_FEED_SECRET_END, /* the end of a DSB's key log (rlcap_keylog_end) */
    RLCAP_FEED_END,      /* rlcap_feed_end, then libpcap's message and the source's error */
    RLCAP_FEED_EVENT,    /* rlcap_feed_event */
    RLCAP_FEED_DONE,     /* after END and the capture's last events: nothing follows */
    RLCAP_FEED_PROGRESS  /* uint64_t: the shard's next records come at that step or later */
};

/* How the opening went: fail != 0 is the error every shard stops with (msg beside it). */
typedef struct rlcap_feed_open {
    int fail;
    int dlt;
    bool places; /* frames carry their place in the file (not a gzip'd capture) */
    char dlt_name[64];
    char msg[1024];
} rlcap_feed_open;

#define RLCAP_FEED_ALL UINT32_MAX /* a record for every shard */

/* What every PACKET and EVENT record begins with. The reading decodes each frame and keeps
 * the connection table (tcp.stream numbers, recency, idle expiry, Wireshark's new-stream
 * rule) once for all shards, and counts the steps (resplint_origin.order) as an unshared
 * reading would; a shard takes the records addressed to it and only notes the others' places
 * and steps. */
typedef struct rlcap_feed_stamp {
    uint64_t order;        /* the step the record's findings are at */
    uint64_t frame;        /* the frame read last, numbered from 1 */
    int64_t place;         /* where that frame's record begins in the file (-1: unknown) */
    uint32_t place_len;    /* and its length */
    uint64_t bytes;        /* of the file read so far (stats.bytes, progress) */
    uint32_t owner;        /* the shard the record is for, or RLCAP_FEED_ALL */
    uint32_t kind;         /* EVENT: RLCAP_EV_* */
} rlcap_feed_stamp;

/* A TCP segment of connection `stream` (its owner's: stream % nshards), decoded by the reading
 * (an IP datagram put back together from its fragments too), in direction dir of the
 * connection (0: from the endpoint that sent its first packet). */
typedef struct rlcap_feed_packet {
    rlcap_feed_stamp st;
    int64_t stream;
    uint32_t seq, ack, payload_wire;
    uint16_t sport, dport;
    rlcap_ip src, dst;
    uint8_t flags, dir;
    bool header_cut;
} rlcap_feed_packet;

enum {
    RLCAP_EV_SHORT = 1,     /* the first frame cut before its TCP header ends (shard 0 reports) */
    RLCAP_EV_EXPIRE,    /* connection `stream` idle for too long: its owner closes it */
    RLCAP_EV_REUSE,     /* a SYN starts a new connection on the 4-tuple: the old one ends */
    RLCAP_EV_FINAL,     /* the capture is over: connection `stream` ends (after END) */
    RLCAP_EV_DIVERGE    /* the flows limit was met: every shard gives up (shard_incomplete) */
};

typedef struct rlcap_feed_event {
    rlcap_feed_stamp st;
    int64_t stream;
    uint32_t caplen, len; /* SHORT: the frame's */
} rlcap_feed_event;

/* How the reading ended: got is pcap_next_ex's last result (PCAP_ERROR_BREAK at the end of
 * the file), geterr its message; fail != 0 the source's error (failmsg) when the file could
 * not be read or inflated, or memory ran out. order is the step of the last frame; the
 * counts are the reading's, said by shard 0 at the end. */
typedef struct rlcap_feed_end {
    int got;
    int fail;
    uint64_t bytes;
    uint64_t dsb_dropped;
    uint64_t frames;
    uint64_t order;
    uint64_t frags_lost, first_lost_frame, too_deep, first_too_deep;
    /* the places of those two frames (-1: unknown, or not among the last frames read) */
    int64_t lost_place, deep_place;
    uint32_t lost_place_len, deep_place_len;
    uint32_t geterr_len, failmsg_len; /* the two messages follow, in that order, unterminated */
} rlcap_feed_end;

/* A record as a shard sees it (its own ring's): valid until its next rlcap_feed_next. */
typedef struct rlcap_feed_rec {
    int type;
    const void *meta; /* the rlcap_feed_* struct of its type; SECRET: the bytes */
    size_t meta_len;
    const unsigned char *data; /* FRAME: the frame's bytes; END: the two messages */
    size_t data_len;
} rlcap_feed_rec;

/* Producer. Puts a record (meta, then data) in the ring of shard `shard`, or of every shard
 * (RLCAP_FEED_ALL), waiting for room; order is its step (0: the step of the last record put;
 * steps never go down). false when every shard has left (the reading may stop) or memory ran
 * out for a record of its own. A shard that has left gets nothing. */
bool rlcap_feed_put(resplint_capture_feed *f, uint32_t shard, uint64_t order, int type,
                    const void *meta, size_t meta_len, const void *data, size_t data_len);
/* Producer: the reading is over (after its END record, or when it could not start): the
 * records written become visible. */
void rlcap_feed_finish(resplint_capture_feed *f);
/* Has the OPEN record been put? */
bool rlcap_feed_opened(resplint_capture_feed *f);
/* How many shards share the reading. */
unsigned rlcap_feed_shards(const resplint_capture_feed *f);

/* Shard k: the next record, waiting for it when the reading is behind (calling the feed's
 * waiting callback with upto first, and after each RING/8 bytes read: every later record this
 * shard reports has origin.order >= upto). false: the reading ended without a record for it (it could not start). */
bool rlcap_feed_next(resplint_capture_feed *f, unsigned k, uint64_t upto, rlcap_feed_rec *out);

#endif
