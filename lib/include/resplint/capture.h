/* resplint capture readers: raw byte streams, HAR 1.2, pcap/pcapng, WARC, and the recordings
 * test suites keep (VCR-style cassettes, Betamax, nock, WireMock, Postman, newman, mitmproxy).
 *
 * A reader turns one input into responses with request context and an origin, checks
 * them with the core, and reports container faults as RL9xxx findings. Pointers handed
 * to callbacks live for the callback only. Readers read only the files they are given.
 * Thread-safety: one call reads one input; any number of calls may run in parallel
 * with a shared, read-only resplint_config. */
#ifndef RESPLINT_CAPTURE_H
#define RESPLINT_CAPTURE_H

#include "../resplint.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum resplint_input_kind {
    RESPLINT_INPUT_UNKNOWN = 0,
    RESPLINT_INPUT_RAW,
    RESPLINT_INPUT_HAR,
    RESPLINT_INPUT_PCAP,
    RESPLINT_INPUT_WARC,
    RESPLINT_INPUT_VCR,       /* VCR-style YAML (or JSON) cassette: vcrpy, Ruby VCR, go-vcr */
    RESPLINT_INPUT_BETAMAX,   /* Betamax JSON cassette */
    RESPLINT_INPUT_NOCK,      /* nock recorder output (output_objects) */
    RESPLINT_INPUT_WIREMOCK,  /* a WireMock stub mapping, mappings file or recording snapshot */
    RESPLINT_INPUT_POSTMAN,   /* a Postman collection with saved example responses */
    RESPLINT_INPUT_NEWMAN,    /* a newman JSON report (--reporters json) */
    RESPLINT_INPUT_MITMPROXY  /* mitmproxy flows (mitmdump -w, tnetstring) */
} resplint_input_kind;

/* True for the recording kinds (VCR to mitmproxy): inputs made of entries (interactions),
 * located like HAR entries by index and JSON pointer (and line in text formats). */
RESPLINT_API bool resplint_input_kind_is_recording(resplint_input_kind kind);

/* "raw", "har", "pcap", "warc", "vcr", "betamax", "nock", "wiremock", "postman", "newman",
 * "mitmproxy", "unknown". */
RESPLINT_API const char *resplint_input_kind_name(resplint_input_kind kind);

/* Guesses the kind of an input from its first bytes (magic numbers and content, never the
 * file name). JSON is told apart by its members (HAR's "log", a cassette's
 * "http_interactions", ...); JSON or YAML of none of the known shapes is UNKNOWN, as is JSON
 * whose shape the first bytes do not settle... except that an undecided JSON object is HAR, so
 * that the HAR reader says what is missing. Anything else is RAW. */
RESPLINT_API resplint_input_kind resplint_detect_input(const void *head, size_t len);

/* Where a finding or a response comes from. Members that do not apply are NULL, -1 or
 * RESPLINT_NO_OFFSET. */
typedef struct resplint_origin {
    resplint_input_kind kind;
    const char *path;         /* the input as named by the caller ("-" for stdin; NULL: reporters write "-") */
    size_t response_index;    /* 0-based index of the response in the input */
    uint64_t offset;          /* byte offset of the evidence in the file, RESPLINT_NO_OFFSET */
    uint64_t length;          /* bytes of evidence, 0 when unknown */
    uint32_t line;            /* 1-based line and column in a text file, 0 when unknown */
    uint32_t column;
    /* HAR */
    long har_entry;           /* index in log.entries, or of the entry in a recording, -1 */
    const char *json_pointer; /* "/log/entries/17/response/headers/3" (in a YAML cassette or
                               * mitmproxy flows, the same path through its tree), NULL */
    const char *url;          /* request URL (HAR, WARC target URI, recordings), NULL */
    /* pcap */
    uint64_t frame;           /* 1-based frame number of the evidence's first byte, 0 */
    long tcp_stream;          /* index as Wireshark's tcp.stream, -1 */
    const char *client;       /* "192.0.2.1:51234" / "[2001:db8::1]:80", NULL */
    const char *server;
    /* WARC (offset above is then relative to the record's block) */
    uint64_t record_offset;   /* offset of the record (compressed offset in .warc.gz) */
    const char *record_id;    /* WARC-Record-ID, NULL */
    /* Evidence: the head of the response the finding is about (status line through the blank
     * line), starting at the finding's response_offset: the bytes as received for raw, pcap
     * and WARC input; for HAR a head rebuilt from the entry ("HTTP/1.1 200 OK", then one
     * "name: value" line per header in order, CRLF endings). NULL when there is none (a
     * finding about the container, bytes that start no response). Set for findings only,
     * valid during the callback. Reporters read at most RESPLINT_EVIDENCE_MAX bytes of it. */
    const char *head;
    size_t head_len;
    /* The evidence's bytes in the file itself, for tools that point into binary files (SARIF
     * regions): a pcap frame's record (pcapng: its block, with any non-packet block before
     * it), the bytes of a plain WARC's block, or the gzip member of a .warc.gz record (offset
     * only). RESPLINT_NO_OFFSET (and length 0) when unknown: a gzip'd pcap, a raw stream
     * (where offset above is already the file's). */
    uint64_t file_offset;
    uint64_t file_length;
    long h2_stream; /* pcap, HTTP/2: the stream id (Wireshark's http2.streamid), -1 */
    /* pcap: the step of the reading this comes from (frames, and connections ended in one
     * go, are steps of their own; never less than the previous callback's). The same in
     * every shard of a capture (resplint_capture_options.nshards): callbacks of all shards,
     * put in the order of (order, shard), come in the order of an unsharded call. 0 in other
     * inputs. */
    uint64_t order;
} resplint_origin;

#define RESPLINT_EVIDENCE_MAX 65536

/* The caller-filled structs below begin with `size`: set it to the sizeof the caller compiled
 * with (0: the layout of the library's own header); the library reads only the members it
 * covers (docs/library.md, "ABI policy"). */
typedef struct resplint_capture_handler {
    size_t size;
    /* A finding, with the origin mapped to the container. Required. */
    void (*on_finding)(const resplint_finding *finding, const resplint_origin *origin,
                       void *user);
    /* Every response checked, for statistics. Optional. */
    void (*on_response)(const resplint_response *response, const resplint_origin *origin,
                        void *user);
    /* Progress: bytes of the input consumed so far and in all (0 when unknown). Optional. */
    void (*on_progress)(uint64_t done, uint64_t total, void *user);
    void *user;
    /* Sharded captures (resplint_capture_options.nshards > 1): the notes of the input's
     * exchange memory (resplint_exchanges_new_deferred), with the finding each may become and
     * its origin; apply them in order (resplint_exchanges_apply) to get RL5012 and the
     * memory's RL9004. Required with nshards > 1, unused otherwise. */
    void (*on_exchange)(const resplint_exchange_note *note, const resplint_finding *finding,
                        const resplint_origin *origin, void *user);
} resplint_capture_handler;

typedef struct resplint_capture_options {
    size_t size;
    resplint_input_kind kind;  /* RESPLINT_INPUT_UNKNOWN: detect */
    const char *method;        /* raw: method of every request answered (HEAD...), NULL */
    const char *request_path;  /* raw: a file holding the client's byte stream, NULL */
    const char *host_glob;     /* HAR/WARC: only requests to hosts matching; pcap: only
                                * connections whose first request names one; NULL */
    const char *url_glob;      /* HAR/WARC: only request URLs matching, NULL */
    resplint_scheme scheme;    /* raw: the scheme of the requests (the connection was http or
                                * https), RESPLINT_SCHEME_UNKNOWN when not said */
    /* pcap: TLS key log files (the NSS SSLKEYLOGFILE format) to decrypt TLS connections
     * with, nkeylogs of them; a pcapng's Decryption Secrets Blocks are read as well. Keys are
     * never printed or reported. */
    const char *const *keylogs;
    size_t nkeylogs;
    /* pcap: one capture checked in parts, by as many calls (threads): the call with shard k
     * of nshards checks the connections whose tcp.stream index is k modulo nshards, and shard
     * 0 also reports the findings about the capture as a whole. Every call sees every frame
     * (from the file, or from a shared reading: feed below; frames are cheap, connections are
     * the work). Put together in the order of
     * (origin.order, shard), with the exchange notes applied (on_exchange), the calls' findings
     * and responses are those of one unsharded call, unless stats.shard_incomplete says
     * otherwise. 0 or 1: unsharded. Other inputs: shard 0 checks everything, others nothing. */
    unsigned shard, nshards;
    /* Sharded pcap: the shared reading the nshards calls take their frames from
     * (resplint_capture_feed_new, resplint_capture_feed_run on a thread of its own) instead of
     * each reading the file; the results are the same. NULL: each call reads the file. */
    struct resplint_capture_feed *feed;
} resplint_capture_options;

/* Statistics of one input, written whole by resplint_capture_file (the caller need not
 * initialise it). Counters added later take reserved slots, which are written as 0 until
 * then, so the struct's size stays fixed (docs/library.md, "ABI"). */
typedef struct resplint_capture_stats {
    resplint_input_kind kind;
    uint64_t bytes;            /* bytes read */
    size_t responses;          /* responses checked */
    size_t skipped;            /* entries, records or flows skipped (not HTTP, filtered) */
    size_t findings;
    /* sharded calls (nshards > 1): not 0 when the capture reached a limit whose handling
     * depends on the connections of other shards (the connections held at once, the memory
     * they hold together); the call then stopped early, and the input must be checked again
     * unsharded */
    uint64_t shard_incomplete;
    /* sharded calls: 0 when the shard read the capture to its end; else 1 + the origin.order of
     * the step at which it stopped (shard_incomplete, or the input's error): with
     * shard_incomplete, the records of that step and later are not to be merged; after an
     * error, those of that step are (one unsharded call stops at the same place) */
    uint64_t shard_stop;
    uint64_t reserved[4];
} resplint_capture_stats;

/* One reading of a capture shared by the shards that check it (a plain pcap or pcapng file):
 * libpcap reads the file once, on the thread that calls resplint_capture_feed_run, which also
 * decodes the frames and keeps the connection table (tcp.stream numbers, idle expiry) for all
 * shards, and the nshards calls of resplint_capture_file given the feed (options.feed,
 * options.nshards the same, and the same config as resplint_capture_feed_run: the reading
 * applies the flows and flow-idle limits) take their own connections' segments, each at its
 * own pace, at most a ring (8 MiB shared out) behind the reading. waiting (optional) is called
 * on a shard's thread before it waits for records not read yet (will_wait 1), and after each
 * eighth of its ring it took (will_wait 0): every callback that
 * shard makes after it carries an origin.order >= upto. A caller that holds a shard's records
 * back (cli/jobs.c) must hand them over when will_wait is 1, since the reading may be waiting
 * for another shard that waits for them; with 0 it may note how far the shard is only when it
 * holds nothing back. NULL when memory ran out. */
typedef struct resplint_capture_feed resplint_capture_feed;
RESPLINT_API resplint_capture_feed *resplint_capture_feed_new(
    unsigned nshards, void (*waiting)(unsigned shard, uint64_t upto, int will_wait, void *user),
    void *user);
/* Reads the capture at path (fp, when not NULL, instead of opening path, as
 * resplint_capture_file) for the feed's shards (opts: as the shards', kind and shard ignored;
 * its errors reach every shard as its own); returns when it is read, or every shard has left.
 * Call it once. Returns 0 or the reading's error (which the shards report). */
RESPLINT_API int resplint_capture_feed_run(resplint_capture_feed *feed, const resplint_config *cfg,
                                           const char *path, FILE *fp,
                                           const resplint_capture_options *opts);
/* Shard `shard` will take no more frames (resplint_capture_file returned, or its thread never
 * started): the reading stops waiting for it. resplint_capture_file leaves by itself. */
RESPLINT_API void resplint_capture_feed_leave(resplint_capture_feed *feed, unsigned shard);
/* The shards' results no longer matter (the caller checks the capture another way): the
 * reading stops, and each shard stops at its next batch of frames with an error. */
RESPLINT_API void resplint_capture_feed_cancel(resplint_capture_feed *feed);
/* After resplint_capture_feed_run and every shard have returned. */
RESPLINT_API void resplint_capture_feed_free(resplint_capture_feed *feed);

/* Reads and checks one input. path "-" with fp NULL reads stdin; otherwise fp, when not
 * NULL, is read instead of opening path (path then only names it). Returns 0 when the input
 * was read to its end (findings included), or a negative error: RESPLINT_EIO (cannot open
 * or read: *errbuf says why), RESPLINT_EFORMAT (not a format resplint reads, e.g. JSON that
 * is not HAR), RESPLINT_ENOMEM, RESPLINT_EINVAL (a NULL argument, a size below 0.2's
 * layout: nothing is read and *stats is not written). Findings already reported stay valid on error. errbuf, when not NULL, receives a
 * message naming the place. */
RESPLINT_API int resplint_capture_file(const resplint_config *cfg, const char *path, FILE *fp,
                                       const resplint_capture_options *opts,
                                       const resplint_capture_handler *handler,
                                       resplint_capture_stats *stats, char *errbuf,
                                       size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
