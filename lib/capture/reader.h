/* Internal interface between the capture dispatcher (capture.c), the readers, and the
 * helpers they share (reader.c, declared here). The dispatcher calls readers and helpers,
 * readers call helpers, helpers call neither. Readers use only the public core API
 * (resplint.h) and the core's text toolbox (lib/core/text.h, a hidden copy in each shared
 * library), so that libresplint-capture links against the installed shared core. */
#ifndef RLCAP_READER_H
#define RLCAP_READER_H

#include "../core/text.h"
#include "resplint/capture.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The one error policy of the readers (docs/library.md, "Faults in inputs"):
 *  - a fault of the capture that the reader can name and read past, or that the file ends on
 *    (a gap, a cut frame or record, an invalid entry, a limit reached) is a finding of the
 *    RL9xxx family (RL8xxx for HTTP/2 frames) reported with rlcap_report; reading goes on;
 *  - what stops this input is its error: it cannot be read (RESPLINT_EIO), it is not, or stops
 *    being, in its format (RESPLINT_EFORMAT), memory ran out (RESPLINT_ENOMEM), or a core call
 *    failed in a way that is a bug (RESPLINT_ESTATE, RESPLINT_EINVAL). It is set once, with a
 *    message naming the file and the place, by rlcap_fail, rlcap_nomem or rlcap_core; the
 *    first one set stands. Every loop of a reader ends when rlcap_failed says so, and the
 *    reader returns rlcap_result(r). The caller then goes on with its other inputs.
 * This is the only sticky error of a reader: the parts it is built from (the TCP reassembly,
 * the recording tree, the HTTP/2 and TLS layers) hand their failures to it at once. */
typedef struct rlcap_error {
    int code;  /* 0, or the RESPLINT_E* that stopped the input */
    char *buf; /* the caller's message buffer (may be NULL) */
    size_t len;
} rlcap_error;

typedef struct rlcap_reader {
    const resplint_config *cfg;
    const char *path;
    FILE *fp;
    const resplint_capture_options *opts;   /* -> opts_copy */
    const resplint_capture_handler *handler; /* -> handler_copy */
    resplint_capture_stats *stats;
    /* the caller's structs in this library's layout (lib/core/abi.h) */
    resplint_capture_options opts_copy;
    resplint_capture_handler handler_copy;
    rlcap_error err;
    unsigned char peek[4096]; /* bytes read for detection, served first by rlcap_read */
    size_t npeek, peek_pos;
    uint64_t total; /* file size when known, for progress */
    uint64_t order; /* origin.order of what is reported now (pcap's steps) */
    resplint_capture_feed *produce; /* the producer of a shared reading: read into it */
} rlcap_reader;

/* Reads up to n bytes (peeked bytes first); 0 at end of file; -1 on a read error. */
long rlcap_read(rlcap_reader *r, void *buf, size_t n);
/* Stops the input with err (a negative RESPLINT_E*) and the message (which starts with the
 * file's name and says the place), unless an error stopped it already: the first stands.
 * Returns the input's error. */
int rlcap_fail(rlcap_reader *r, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* YAJL's message for the error that stopped handle h (yajl_handle), on one line, into m[0..n):
 * "parse error" when it gives none. yj: YAJL's functions (rlint_yajl_get, lib/core/lazylib.h). */
struct yajl_handle_t;
struct rlint_yajl;
void rlcap_yajl_message(const struct rlint_yajl *yj, struct yajl_handle_t *h, char *m, size_t n);

/* rlcap_fail with RESPLINT_ENOMEM: "FILE: out of memory". */
int rlcap_nomem(rlcap_reader *r);
/* The result rc of a call into the core (a stream, an exchange check) about the place named
 * by fmt ("frame 12", "record at offset 4096"): rc >= 0 is 0; RESPLINT_ENOMEM stops the input
 * as out of memory; any other error is a bug of resplint's and stops it as an internal error.
 * Returns the input's error (0 when none). */
int rlcap_core(rlcap_reader *r, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Has an error stopped the input? */
static inline bool rlcap_failed(const rlcap_reader *r)
{
    return r->err.code != 0;
}
/* What a reader returns: 0, or the error that stopped the input. */
static inline int rlcap_result(const rlcap_reader *r)
{
    return r->err.code;
}
/* An origin with every member at "does not apply", for r's input. */
void rlcap_origin_init(const rlcap_reader *r, resplint_origin *o);

/* The head a reporter shows as evidence for a response that has no bytes (HAR, recordings),
 * rebuilt at its first finding: the status line (version as recorded when given, else
 * "HTTP/x.y" or "HTTP/?", then status and reason), then one "name: value" line per field
 * handed to the core, so that a finding's field_index is line field_index+1; CRLF endings,
 * at most RESPLINT_EVIDENCE_MAX bytes. built is cleared for each new response. */
typedef struct rlcap_evidence {
    char *p;
    size_t len, cap;
    bool built;
} rlcap_evidence;
void rlcap_evidence_build(rlcap_evidence *e, const resplint_response *resp, const char *version,
                          size_t version_len);
/* Puts the evidence in o (building it if this response has none yet). */
void rlcap_evidence_set(rlcap_evidence *e, const resplint_response *resp, const char *version,
                        size_t version_len, resplint_origin *o);
void rlcap_evidence_free(rlcap_evidence *e);
/* Reports a finding of a reader-raised rule (RL9xxx) unless the configuration turns it off or
 * an error has stopped the input (a record "cut" by a read error is not a fault of the file). */
void rlcap_report(rlcap_reader *r, const char *rule, const resplint_origin *o,
                  uint64_t offset, uint64_t length, size_t response_index, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* Appends a piece of a request method (llhttp's on_method span) to buf[size], keeping *len
 * below size: a method longer than the buffer is cut, never overflows it. */
static inline void rlcap_method_append(char *buf, size_t size, size_t *len, const char *at,
                                       size_t n)
{
    size_t room = size - 1 - *len;
    if (n > room)
        n = room;
    memcpy(buf + *len, at, n);
    *len += n;
}

/* The scheme of an absolute URL: http or https (ASCII case-insensitive), else unknown. */
static inline resplint_scheme rlcap_scheme_of(const char *url, size_t n)
{
    const char *colon = n ? memchr(url, ':', n < 6 ? n : 6) : NULL;
    size_t k = colon ? (size_t)(colon - url) : 0;
    if (colon && rlint_ieq(url, k, "http"))
        return RESPLINT_SCHEME_HTTP;
    if (colon && rlint_ieq(url, k, "https"))
        return RESPLINT_SCHEME_HTTPS;
    return RESPLINT_SCHEME_UNKNOWN;
}

/* The URL of a request read with llhttp (lib/capture/request_url.c): feed it the spans of
 * on_url, on_header_field and on_header_value (and on_header_value_complete), then make the
 * URL at on_headers_complete. Buffers grow up to the caps below, allocated on first use. */
#define RLCAP_URL_MAX 8192
#define RLCAP_HOST_MAX 1024
typedef struct rlcap_req_url {
    char *target, *host;
    size_t target_len, target_cap, host_len, host_cap;
    bool target_over, host_over;
    char name[4];    /* the first bytes of the field name, enough to tell "host" */
    size_t name_len; /* the name's length so far */
    bool in_host;
    unsigned hosts; /* Host fields seen */
} rlcap_req_url;
void rlcap_req_url_begin(rlcap_req_url *u);
int rlcap_req_url_target(rlcap_req_url *u, const char *at, size_t n);
int rlcap_req_url_field(rlcap_req_url *u, const char *at, size_t n);
int rlcap_req_url_value(rlcap_req_url *u, const char *at, size_t n);
void rlcap_req_url_field_done(rlcap_req_url *u);
/* Writes the request's URL (absolute-form as is; origin-form as scheme://host/target, or
 * //host/target when the scheme is unknown) into out[0..cap); returns its length, 0 when there
 * is none (no or several Host fields, another form, longer than a cap). */
size_t rlcap_req_url_make(const rlcap_req_url *u, resplint_scheme scheme, char *out, size_t cap);
void rlcap_req_url_free(rlcap_req_url *u);

/* Shell-style glob match (*, ?, [...]), case-insensitive. */
bool rlcap_glob(const char *pattern, const char *text);
/* --host: does glob match the host of an authority ([userinfo@]host[:port], n bytes; an IPv6
 * literal keeps its brackets), or host:port when it has a port? */
bool rlcap_authority_matches(const char *glob, const char *auth, size_t n);

int rlcap_read_raw(rlcap_reader *r);
int rlcap_read_har(rlcap_reader *r);
int rlcap_read_warc(rlcap_reader *r);
int rlcap_read_pcap(rlcap_reader *r);
/* The producer of a shared reading (lib/capture/feed.h): reads r's capture into feed. */
int rlcap_feed_pcap(rlcap_reader *r, resplint_capture_feed *feed);
/* The recordings (VCR-style cassettes to mitmproxy flows): one reader per format, rectree.h. */
/* The text part of resplint_detect_input (JSON, YAML, tnetstring, else RAW). */
resplint_input_kind rlcap_sniff_text(const void *head, size_t len);
/* Why an input detected as UNKNOWN is none of the formats, for the error message. */
const char *rlcap_unknown_reason(const void *head, size_t len);
/* A gzip stream whose decompressed start is a pcap or pcapng magic number (.pcap.gz). */
bool rlcap_gzip_holds_pcap(const void *head, size_t len);

#endif
