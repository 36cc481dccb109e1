/* resplint: check HTTP responses against the status table and the rules of HTTP
 * (RFC 9110, 9111, 9112).
 *
 * Ownership, once for the whole API: every pointer handed to a callback lives for
 * that callback only; every pointer the caller hands in (responses, fields, bytes)
 * is read during the call only and never kept. Rule metadata is static.
 *
 * Threads: a resplint_config is read-only after set-up and may be shared by any
 * number of threads. A resplint_stream belongs to one thread at a time.
 *
 * Errors: functions that can fail return 0 (or a count) on success and a negative
 * RESPLINT_E* code on failure. A malformed response is a finding, never an error. */
#ifndef RESPLINT_H
#define RESPLINT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RESPLINT_VERSION_MAJOR 0
#define RESPLINT_VERSION_MINOR 2
#define RESPLINT_VERSION_PATCH 0
#define RESPLINT_VERSION_STRING "0.2.0"
#define RESPLINT_VERSION_HEX                                                                       \
    ((RESPLINT_VERSION_MAJOR << 16) | (RESPLINT_VERSION_MINOR << 8) | RESPLINT_VERSION_PATCH)

#if defined(_WIN32)
#define RESPLINT_API
#elif defined(__GNUC__)
#define RESPLINT_API __attribute__((visibility("default")))
#else
#define RESPLINT_API
#endif

/* The version of the library actually linked, as "MAJOR.MINOR.PATCH" and as RESPLINT_VERSION_HEX. */
RESPLINT_API const char *resplint_version(void);
RESPLINT_API unsigned resplint_version_hex(void);

/* ---- errors ---------------------------------------------------------------------------- */

#define RESPLINT_ERRNO_MAP(XX)                                                                     \
    XX(EINVAL, -1, "invalid argument")                                                            \
    XX(ENOMEM, -2, "out of memory")                                                               \
    XX(ENORULE, -3, "no such rule")                                                               \
    XX(ESTATE, -4, "call not allowed in this state")                                              \
    XX(EIO, -5, "input/output error")                                                             \
    XX(EFORMAT, -6, "input is not in a format resplint reads")                                    \
    XX(ELIMIT, -7, "a configured limit was exceeded")                                             \
    XX(ECONFIG, -8, "invalid configuration")                                                      \
    XX(ELIBRARY, -9, "a library this input needs could not be loaded")

enum resplint_errno {
#define RESPLINT_ERR_ENUM(name, value, text) RESPLINT_##name = (value),
    RESPLINT_ERRNO_MAP(RESPLINT_ERR_ENUM)
#undef RESPLINT_ERR_ENUM
};

/* A human sentence and the symbolic name ("EINVAL") of an error code; "unknown error" for
 * codes not in the list. Never NULL. */
RESPLINT_API const char *resplint_strerror(int err);
RESPLINT_API const char *resplint_err_name(int err);

/* ---- rules ----------------------------------------------------------------------------- */

typedef enum resplint_severity {
    RESPLINT_OFF = 0,
    RESPLINT_INFO = 1,
    RESPLINT_WARNING = 2,
    RESPLINT_ERROR = 3
} resplint_severity;

/* "off", "info", "warning", "error". */
RESPLINT_API const char *resplint_severity_name(resplint_severity sev);
/* Parses those names (case-insensitive); RESPLINT_EINVAL otherwise. */
RESPLINT_API int resplint_severity_parse(const char *name, resplint_severity *out);

/* Rule flags. */
#define RESPLINT_RULE_OFF_BY_DEFAULT 0x1u /* not run unless enabled */
#define RESPLINT_RULE_NEEDS_RAW 0x2u      /* needs the raw bytes; never runs on structured input */
#define RESPLINT_RULE_INPUT 0x4u          /* raised by a capture reader, not by a check */
#define RESPLINT_RULE_NEEDS_BODY 0x8u     /* judges the body: its length or its bytes */

/* Profiles: named sets of rules, a bit each (a rule's `profiles`). Every rule is in exactly one
 * of RECOMMENDED (the default set) and ADVICE (off by default); CACHING and SECURITY name a
 * domain and cut across the two. RESPLINT_RULE_OFF_BY_DEFAULT is set exactly on ADVICE rules. */
#define RESPLINT_PROFILE_RECOMMENDED 0x1u
#define RESPLINT_PROFILE_CACHING 0x2u
#define RESPLINT_PROFILE_SECURITY 0x4u
#define RESPLINT_PROFILE_ADVICE 0x8u
#define RESPLINT_PROFILE_ALL 0xfu

typedef struct resplint_rule {
    unsigned index;              /* 0 .. resplint_rule_count()-1, stable within one build */
    const char *id;              /* "RL2001": permanent */
    const char *name;            /* "redirect-missing-location" */
    resplint_severity severity;  /* default severity */
    unsigned flags;              /* RESPLINT_RULE_* */
    const char *spec;            /* "RFC 9110 §15.4.2" */
    const char *summary;         /* one line */
    unsigned profiles;           /* RESPLINT_PROFILE_* bits */
} resplint_rule;

/* The catalogue. resplint_rule_find accepts an id or a name; NULL when unknown. */
RESPLINT_API size_t resplint_rule_count(void);
RESPLINT_API const resplint_rule *resplint_rule_at(size_t index);
RESPLINT_API const resplint_rule *resplint_rule_find(const char *id_or_name);

/* Profile names: "recommended", "caching", "security", "advice", "all" (case-insensitive) to
 * their bits; RESPLINT_EINVAL for other names. resplint_profile_name gives the name of one
 * RESPLINT_PROFILE_* value (RESPLINT_PROFILE_ALL included), NULL for anything else. */
RESPLINT_API int resplint_profile_parse(const char *name, unsigned *out);
RESPLINT_API const char *resplint_profile_name(unsigned profile);

/* Whether a response with this status to this method (NULL: unknown) has no body whatever its
 * fields say (RFC 9112 §6.3, RFC 9110 §9.3.6): 1xx, 204, 304, any response to HEAD, a 2xx to
 * CONNECT. 1 or 0. */
RESPLINT_API int resplint_response_bodiless(int status, const char *method, size_t method_len);

/* The status table: the registered reason phrase of a code, NULL when the code is not in it. */
RESPLINT_API const char *resplint_status_reason(int code);

/* ---- configuration --------------------------------------------------------------------- */

typedef enum resplint_limit {
    RESPLINT_LIMIT_HEAD_BYTES,       /* bytes of one response head buffered (default 1 MiB) */
    RESPLINT_LIMIT_FIELD_SECTION,    /* head size above which RL4013 fires (default 64 KiB) */
    RESPLINT_LIMIT_FIELDS,           /* field lines per response (default 1000) */
    RESPLINT_LIMIT_RESPONSES,        /* responses per stream (default 10,000,000) */
    RESPLINT_LIMIT_FINDINGS,         /* findings per response (default 100) */
    RESPLINT_LIMIT_PENDING_REQUESTS, /* request contexts queued on a stream (default 65536) */
    RESPLINT_LIMIT_FLOWS,            /* pcap: TCP connections tracked at once (default 100,000) */
    RESPLINT_LIMIT_FLOW_BUFFER,      /* pcap: out-of-order bytes held per direction (default 1 MiB) */
    RESPLINT_LIMIT_FLOW_IDLE,        /* pcap: seconds of capture time before an idle connection is
                                        closed by resplint (default 3600) */
    RESPLINT_LIMIT_HAR_ENTRY,        /* HAR: bytes of one entry kept for checking (URL, method,
                                        status text, header names and values; default 2 MiB) */
    RESPLINT_LIMIT_WARC_RECORD,      /* WARC: bytes of one response record's block checked; a
                                        larger record is skipped (default 4 GiB) */
    RESPLINT_LIMIT_SYNTAX_FAULTS,    /* syntax faults recorded per response head (bare CR, obs-fold,
                                        bad bytes...; default 100) */
    RESPLINT_LIMIT_EXCHANGE_URLS,    /* URLs an exchange history remembers for comparisons with
                                        earlier responses (default 100,000) */
    RESPLINT_LIMIT_DECODED_BODY,     /* decoded bytes of one body the content checks read; past
                                        it decoding stops, RL9004 (default 128 MiB) */
    RESPLINT_LIMIT_PENDING_BYTES,    /* bytes the request contexts queued on a stream hold (their
                                        records and URLs; default 8 MiB) */
    RESPLINT_LIMIT_COUNT_
} resplint_limit;

typedef struct resplint_config resplint_config;

/* A configuration with every rule at its default severity and default limits. NULL on
 * allocation failure. resplint_config_free accepts NULL. */
RESPLINT_API resplint_config *resplint_config_new(void);
RESPLINT_API void resplint_config_free(resplint_config *cfg);
RESPLINT_API resplint_config *resplint_config_clone(const resplint_config *cfg);

/* Sets a rule's effective severity (RESPLINT_OFF disables it). rule: id or name.
 * RESPLINT_ENORULE when unknown. */
RESPLINT_API int resplint_config_set_rule(resplint_config *cfg, const char *rule,
                                          resplint_severity sev);
/* Selects the rules of a union of profiles (RESPLINT_PROFILE_* bits joined with |): each rule
 * in one of them at its default severity, every other rule off. A new configuration has
 * RESPLINT_PROFILE_RECOMMENDED. RESPLINT_EINVAL for 0 or unknown bits. */
RESPLINT_API int resplint_config_set_profiles(resplint_config *cfg, unsigned profiles);
/* Turns a rule on at its default severity (rules off by default included). */
RESPLINT_API int resplint_config_enable(resplint_config *cfg, const char *rule);
/* The severity a rule will be reported with; RESPLINT_OFF for a disabled or unknown rule. */
RESPLINT_API resplint_severity resplint_config_severity(const resplint_config *cfg,
                                                        const resplint_rule *rule);
/* Sets a limit; RESPLINT_EINVAL for 0 or an unknown limit, and for RESPLINT_LIMIT_FIELDS
 * above 32767 (fields past the limit are never checked; the response is checked as cut). */
/* Whether the body of a response with this status, answering this method (NULL: unknown), can
 * change its findings under cfg: an enabled rule flagged RESPLINT_RULE_NEEDS_BODY whose trigger
 * such a response can meet (rules triggered by a field count, as the fields are not known
 * here). A caller that has to pay to measure bodies (a proxy) measures only these. 1 or 0. */
RESPLINT_API int resplint_config_body_matters(const resplint_config *cfg, int status,
                                              const char *method, size_t method_len);
RESPLINT_API int resplint_config_set_limit(resplint_config *cfg, resplint_limit which,
                                           uint64_t value);
RESPLINT_API uint64_t resplint_config_limit(const resplint_config *cfg, resplint_limit which);

/* ---- the response model ---------------------------------------------------------------- */

#define RESPLINT_NO_OFFSET UINT64_MAX
#define RESPLINT_UNKNOWN_LENGTH (-1)

typedef struct resplint_field {
    const char *name;
    size_t name_len;
    const char *value; /* without leading and trailing whitespace */
    size_t value_len;
    uint64_t offset; /* byte offset of the field line in the stream, RESPLINT_NO_OFFSET if none */
    uint64_t length; /* bytes of the line without its line ending, 0 when unknown */
} resplint_field;

/* The scheme of the request a response answers. */
typedef enum resplint_scheme {
    RESPLINT_SCHEME_UNKNOWN = 0,
    RESPLINT_SCHEME_HTTP = 1,
    RESPLINT_SCHEME_HTTPS = 2
} resplint_scheme;

/* Provenance: what the container or the recorder did to a response before resplint saw it. A
 * reader declares it, and the rules whose evidence it explains stay silent: a reader never
 * filters findings by rule. Joined with | in resplint_response.provenance. */
#define RESPLINT_PROV_ARCHIVED 0x001u      /* from a web archive: fields may have been renamed to
                                              X-Archive-Orig-* or X-Crawler-* (then they count as
                                              present for rules about missing fields) */
#define RESPLINT_PROV_DECHUNKED 0x002u     /* the body was stored without its chunked framing,
                                              Transfer-Encoding: chunked kept in the head */
#define RESPLINT_PROV_LENGTH_PLACEHOLDER 0x004u /* a negative Content-Length is the archiver's
                                                   "length unknown", not the server's value */
#define RESPLINT_PROV_BODY_DROPPED 0x008u  /* the body was not stored (a WARC revisit) */
#define RESPLINT_PROV_CUT 0x010u           /* the stored copy ends early: the file or record
                                              is cut, or the head has no end */
#define RESPLINT_PROV_BODY_TRUNCATED 0x020u /* the recorder kept only part of the body on
                                               purpose (WARC-Truncated) */
#define RESPLINT_PROV_BOUNDARY_UNSURE 0x040u /* the container's record length disagrees with its
                                                bytes: what follows the response may be the
                                                container's */
#define RESPLINT_PROV_FIELDS_MERGED 0x080u /* repeated fields were joined into one line */
#define RESPLINT_PROV_ORDER_LOST 0x100u    /* the order of the fields was not kept */
#define RESPLINT_PROV_REASON_LOST 0x200u   /* the reason phrase was not recorded */
#define RESPLINT_PROV_BODY_DECODED 0x400u  /* the body was recorded after its content codings
                                              were undone (a browser's HAR) */
#define RESPLINT_PROV_H2_FRAMES 0x800u     /* decoded from HTTP/2 frames */
#define RESPLINT_PROV_FIELDS_DROPPED 0x1000u /* the recorder left out fields it received (IE's
                                                Network Inspector on 304s): a field missing
                                                from the record may have been sent */

/* A response someone already parsed (a proxy, a HAR entry) or one the stream parser built.
 * size: set it to sizeof(resplint_response) (RESPLINT_RESPONSE_INIT does); 0 means the layout
 * of the library's own header (for code built with the library). Members added later are
 * appended, and read only when size covers them (docs/library.md, "ABI policy"). Responses
 * the library hands to callbacks have size set. */
typedef struct resplint_response {
    size_t size;
    int status;                   /* as received; may lie outside 100-599 */
    unsigned version_major;       /* 1 for HTTP/1.x, 2 for h2, 3 for h3; 0 when unknown */
    unsigned version_minor;
    const char *reason;           /* may be NULL */
    size_t reason_len;
    const resplint_field *fields; /* in arrival order, duplicates kept */
    size_t field_count;
    int64_t body_length;          /* body bytes on the wire, RESPLINT_UNKNOWN_LENGTH if unknown */
    const char *method;           /* method of the request answered, NULL when unknown */
    size_t method_len;
    unsigned request_version_major; /* 0 when unknown */
    unsigned request_version_minor;
    uint64_t offset;              /* stream offset of the status line, RESPLINT_NO_OFFSET if none */
    /* Request context beyond the method (zero: unknown). url: the target URI of the request,
     * absolute ("https://example.com/a?b") when the scheme is known, "//example.com/a?b" when
     * only the authority is; NULL when unknown. */
    const char *url;
    size_t url_len;
    resplint_scheme scheme;
    unsigned provenance;          /* RESPLINT_PROV_* */
} resplint_response;

/* An initializer: size set, every member unknown (no fields, unknown body length, no offset).
 * resplint_response r = RESPLINT_RESPONSE_INIT; then set what is known. */
#define RESPLINT_RESPONSE_INIT                                                                    \
    {.size = sizeof(resplint_response), .body_length = RESPLINT_UNKNOWN_LENGTH,                   \
     .offset = RESPLINT_NO_OFFSET}

/* ---- findings -------------------------------------------------------------------------- */

typedef struct resplint_finding {
    const resplint_rule *rule;
    resplint_severity severity; /* effective severity (never RESPLINT_OFF) */
    const char *message;        /* specifics, NUL-terminated */
    uint64_t offset;            /* evidence in the stream, RESPLINT_NO_OFFSET when none */
    uint64_t length;            /* bytes of evidence, 0 when unknown */
    long field_index;           /* index of the field concerned, -1 when none */
    size_t response_index;      /* 0-based index of the response in its stream */
    uint64_t response_offset;   /* stream offset of that response, RESPLINT_NO_OFFSET if none */
} resplint_finding;

typedef void (*resplint_finding_cb)(const resplint_finding *finding, void *user);

/* Checks one response. Allocates nothing and copies no field or body bytes. Returns the number
 * of findings reported through cb (>= 0) or RESPLINT_EINVAL (also for a size smaller than
 * 0.2's first layout). Rules that need raw bytes do not run. response_index is copied into
 * each finding. Thread-safe for a shared cfg. */
RESPLINT_API int resplint_check_response(const resplint_config *cfg,
                                         const resplint_response *response,
                                         size_t response_index, resplint_finding_cb cb,
                                         void *user);

/* ---- exchanges: responses compared with earlier ones ------------------------------------ */

/* The memory of one input (a HAR file, a WARC file, a capture, a raw stream with its requests):
 * for each request URL (scheme, authority, path and query; fragment ignored), what the latest
 * earlier response, and the latest earlier 200 to GET, carried. Rules such as RL5012 (a 304
 * lacking fields its 200 had) compare with it. At most RESPLINT_LIMIT_EXCHANGE_URLS URLs (of
 * cfg when created); the first response with a URL beyond that gets an RL9004 finding saying
 * so, and later new URLs are not remembered. One thread at a time. NULL on allocation failure;
 * free accepts NULL. */
typedef struct resplint_exchanges resplint_exchanges;
RESPLINT_API resplint_exchanges *resplint_exchanges_new(const resplint_config *cfg);
RESPLINT_API void resplint_exchanges_free(resplint_exchanges *x);
/* URLs remembered so far (a deferred memory: the notes it made with `first` set). */
RESPLINT_API size_t resplint_exchanges_count(const resplint_exchanges *x);

/* Deferred exchanges: for an input checked in parts on several threads (a capture split by
 * connection, resplint_capture_options.nshards), where "earlier" is an order no part knows.
 * A memory made with resplint_exchanges_new_deferred remembers and decides nothing: where a
 * check would have looked into it or written to it, it hands a note to `note` (with the
 * user of that check's finding callback), and the caller hands the notes of every part, in
 * the input's order, to resplint_exchanges_apply on one ordinary memory: the findings that
 * come out are those one check of the whole input gives, at the notes' places. */
typedef enum resplint_exchange_note_kind {
    RESPLINT_XNOTE_CHECK = 1, /* a 304 at RL5012's turn among its response's checks */
    RESPLINT_XNOTE_RECORD = 2 /* a final response goes into the memory (after its checks) */
} resplint_exchange_note_kind;

typedef struct resplint_exchange_note {
    resplint_exchange_note_kind kind;
    uint64_t url_key; /* the response's URL, as the memory keys it */
    int status;
    int get;          /* the request was GET (1) or not (0) */
    uint64_t fields;  /* CHECK: the fields of RL5012's list the 304 lacks; RECORD: the known
                       * fields the response carries (bits of the engine's own numbering) */
    size_t index;     /* the response's index in the input */
    int first;        /* RECORD: the URL is not among those the memory that made the note saw
                       * last (it keeps 16,384 of them): only such a note can become the
                       * memory's RL9004, and only such a note's origin is needed in full; a
                       * note with first 0 is of a URL that part saw before, surely */
    int capped;       /* RECORD: the response's findings are at its findings limit
                       * (RESPLINT_LIMIT_FINDINGS) with this note or its CHECK note counted:
                       * whether they become findings changes which of its findings the limit
                       * lets through, which the notes cannot tell: a caller merging parts must
                       * check the input whole (pcap shards stop: stats.shard_incomplete) */
} resplint_exchange_note;
/* resplint_exchange_note is filled by the library and handed back to it by the caller: its
 * layout is frozen (a member added later comes with a new struct and new calls). */

/* finding: what the note may become (RL5012 for CHECK, the memory's RL9004 for RECORD), with
 * its severity, evidence and indexes and a NULL message; its rule is NULL when that rule is
 * off (a RECORD note still counts: the memory must see the response). */
typedef void (*resplint_exchange_note_cb)(const resplint_exchange_note *note,
                                          const resplint_finding *finding, void *user);
RESPLINT_API resplint_exchanges *resplint_exchanges_new_deferred(const resplint_config *cfg,
                                                                 resplint_exchange_note_cb note);
/* Applies one note to x (a memory of resplint_exchanges_new): reports through cb the finding
 * it gives, if any. Returns the number of findings (0 or 1), RESPLINT_ENOMEM, or
 * RESPLINT_EINVAL (a NULL argument, a deferred x, a note without a URL key). */
RESPLINT_API int resplint_exchanges_apply(resplint_exchanges *x, const resplint_exchange_note *note,
                                          const resplint_finding *finding,
                                          resplint_finding_cb cb, void *user);

/* resplint_check_response with the memory of the input: rules see earlier responses to the same
 * URL, and this one (when its url is set) is remembered for later ones. x may be NULL. */
RESPLINT_API int resplint_check_exchange(const resplint_config *cfg, resplint_exchanges *x,
                                         const resplint_response *response,
                                         size_t response_index, resplint_finding_cb cb,
                                         void *user);

/* ---- raw streams ----------------------------------------------------------------------- */

/* Called after each response of a stream has been checked: the response (its fields point
 * into the stream's buffers), its index, and the bytes it spans [offset, offset+length). */
typedef void (*resplint_response_cb)(const resplint_response *response, size_t index,
                                     uint64_t offset, uint64_t length, void *user);

typedef struct resplint_stream resplint_stream;

/* A parser for the bytes one server sent on one connection: any number of responses,
 * pipelined, with 1xx interim responses. cfg must outlive the stream. NULL on allocation
 * failure or NULL cfg/cb. */
RESPLINT_API resplint_stream *resplint_stream_new(const resplint_config *cfg,
                                                  resplint_finding_cb on_finding, void *user);
RESPLINT_API void resplint_stream_free(resplint_stream *s);
/* Optional: a callback after every response (for statistics, pairing). */
RESPLINT_API void resplint_stream_on_response(resplint_stream *s, resplint_response_cb cb);

/* Request context. push_request queues the method (and version, 0.0 if unknown) of the
 * next request on the connection: each final (non-1xx) response consumes one. When the
 * queue is empty the default set by set_default_request applies (none at first).
 * The queue is a window of at most RESPLINT_LIMIT_PENDING_REQUESTS requests holding at most
 * RESPLINT_LIMIT_PENDING_BYTES: a request pushed when it is full is dropped and the call
 * returns RESPLINT_ELIMIT. Its place is kept (a count), so that every other response still
 * meets its own request: the response to a dropped request is read without context, its body
 * taken as running to the next status line (it may answer HEAD). Pushing goes on as usual;
 * requests are queued again once responses have made room. */
RESPLINT_API int resplint_stream_push_request(resplint_stream *s, const char *method,
                                              unsigned major, unsigned minor);
RESPLINT_API int resplint_stream_set_default_request(resplint_stream *s, const char *method,
                                                     unsigned major, unsigned minor);
/* n requests made after those pushed so far whose context is not given (a caller that keeps
 * its own window): their responses are read as those of dropped requests, in their place. */
RESPLINT_API void resplint_stream_drop_requests(resplint_stream *s, uint64_t n);
/* push_request with the request's URL as resplint_response.url describes it (copied; url NULL
 * or longer than 8 KiB: unknown). */
RESPLINT_API int resplint_stream_push_request_url(resplint_stream *s, const char *method,
                                                  unsigned major, unsigned minor,
                                                  const char *url, size_t url_len);
/* The scheme of every request on the stream (default RESPLINT_SCHEME_UNKNOWN), the provenance
 * of every response (default 0) until the next call or reset, and the exchange memory the
 * stream's responses are checked with (NULL: none; not owned, must outlive its use). Each
 * survives resplint_stream_reset except the provenance, which reset clears. */
RESPLINT_API void resplint_stream_set_scheme(resplint_stream *s, resplint_scheme scheme);
RESPLINT_API void resplint_stream_set_provenance(resplint_stream *s, unsigned provenance);
RESPLINT_API void resplint_stream_set_exchanges(resplint_stream *s, resplint_exchanges *x);

/* Feeds the next bytes of the stream, in chunks of any size. Findings are reported as soon
 * as each response is complete. RESPLINT_ESTATE after finish. RESPLINT_ELIBRARY when the body
 * pipeline attached (resplint/body.h) could not load a library a body needs (zlib for gzip,
 * YAJL for JSON, ...): nothing more is read, as after an allocation failure. */
RESPLINT_API int resplint_stream_feed(resplint_stream *s, const void *data, size_t len);
/* The stream ended (connection closed): completes a close-delimited body, reports what is
 * truncated. Further feeds fail with RESPLINT_ESTATE. After an allocation failure (a feed
 * returned RESPLINT_ENOMEM) nothing more is checked: finish and gap return that error. */
RESPLINT_API int resplint_stream_finish(resplint_stream *s);
/* Forgets all state so the object can parse a new stream (same cfg and callbacks). */
RESPLINT_API void resplint_stream_reset(resplint_stream *s);
/* Bytes are missing from the stream here (a capture gap of missing_bytes, 0 if unknown): the
 * response in progress is dropped without blaming the server, the offset advances, and
 * parsing resumes at the next line that starts a response. The caller reports the gap. */
RESPLINT_API int resplint_stream_gap(resplint_stream *s, uint64_t missing_bytes);
/* 1 when the bytes fed so far end inside a response (its head, or a body whose end has not
 * been seen, a body delimited by the close included), with *start (if not NULL) the stream
 * offset of its first byte; else 0. What a capture that stops here leaves unfinished. */
RESPLINT_API int resplint_stream_in_message(const resplint_stream *s, uint64_t *start);
/* The bytes the stream holds allocated (a head in the making, queued requests, field
 * arrays): what a caller running many streams counts against a global budget. */
RESPLINT_API size_t resplint_stream_memory(const resplint_stream *s);

/* Counters of a stream: responses seen, bytes fed. */
RESPLINT_API size_t resplint_stream_responses(const resplint_stream *s);
RESPLINT_API uint64_t resplint_stream_offset(const resplint_stream *s);
/* Inside a finding callback: the head of the response the finding is about, as received
 * (status line through the blank line; for bytes that start no response, the first of them),
 * beginning at the finding's response_offset. Valid during the callback only. 0, or
 * RESPLINT_ESTATE outside a callback and for findings about no response's head. */
RESPLINT_API int resplint_stream_current_head(const resplint_stream *s, const char **head,
                                              size_t *len);

#ifdef __cplusplus
}
#endif

#endif
