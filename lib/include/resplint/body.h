/* resplint/body.h: the body pipeline, the streaming decoders and digests behind the content
 * rules (RL7xxx). The stream parser of libresplint decides per response which stages a body
 * needs (from the enabled rules and the head: Content-Encoding, Content-Type, digest fields)
 * and hands the content, transfer coding removed, to a pipeline through resplint_body_ops.
 * libresplint itself links no decoder: libresplint-body provides resplint_body_pipeline()
 * (zlib, libbrotli, libzstd, OpenSSL libcrypto, YAJL, each loaded with dlopen for the first
 * body that needs it), and the capture library attaches it
 * to every stream it creates. A stream without a pipeline runs no body stage; the body rules
 * then report nothing. The structured path (resplint_check_response) never reads bodies.
 *
 * Ownership: a job lives in the stream; the pipeline writes its results into it and keeps no
 * pointer to it after end or abort. Thread-safety: the ops are stateless functions; each
 * handle belongs to the stream (and thread) that began it. */
#ifndef RESPLINT_BODY_H
#define RESPLINT_BODY_H

#include "../resplint.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RESPLINT_BODY_MAX_CODINGS 8
#define RESPLINT_BODY_SNIFF 512 /* decoded bytes kept for signatures (WHATWG MIME Sniffing) */

/* The content codings the pipeline can undo. */
typedef enum resplint_coding {
    RESPLINT_CODING_GZIP,    /* gzip and x-gzip: RFC 1952, one member and its trailer */
    RESPLINT_CODING_DEFLATE, /* zlib (RFC 1950) or raw deflate (RFC 1951) */
    RESPLINT_CODING_BR,      /* RFC 7932 */
    RESPLINT_CODING_ZSTD     /* RFC 8878: the frame must be complete */
} resplint_coding;

/* Stages a job asks for. */
enum {
    RESPLINT_STAGE_DECODE = 0x1, /* undo the codings (needed by every decoded-body stage) */
    RESPLINT_STAGE_SNIFF = 0x2,  /* keep the first RESPLINT_BODY_SNIFF decoded bytes */
    RESPLINT_STAGE_UTF8 = 0x4,   /* is the decoded body well-formed UTF-8 (RFC 3629) */
    RESPLINT_STAGE_JSON = 0x8,   /* is the decoded body a JSON text (RFC 8259), BOM skipped */
    RESPLINT_STAGE_SHA256 = 0x10, /* SHA-256 of the content as sent */
    RESPLINT_STAGE_SHA512 = 0x20  /* SHA-512 of the content as sent */
};

typedef enum resplint_body_result {
    RESPLINT_BODY_NOT_RUN, /* the stage did not run (not asked, or the body is not complete) */
    RESPLINT_BODY_OK,
    RESPLINT_BODY_BAD,     /* the bytes fail the stage: the why and where are in the job */
    RESPLINT_BODY_LIMIT,   /* a cap stopped the stage (decoded bytes, JSON depth) */
    RESPLINT_BODY_ERROR,   /* the pipeline could not run it (allocation failure) */
    /* A library the stage needs (zlib, brotli, zstd, YAJL, libcrypto: loaded for the first
     * body that needs it) could not be loaded; begin returned NULL. The stream then stops with
     * RESPLINT_ELIBRARY: what needs the library is never left unchecked without a word. */
    RESPLINT_BODY_UNAVAILABLE
} resplint_body_result;

typedef struct resplint_body_job {
    /* ---- set by the stream parser before begin ---- */
    unsigned stages;
    unsigned ncodings;
    resplint_coding codings[RESPLINT_BODY_MAX_CODINGS]; /* in the order applied (listed) */
    uint64_t decoded_limit; /* cap on decoded bytes (RESPLINT_LIMIT_DECODED_BODY) */
    /* ---- set by the stream parser as the body goes by ---- */
    uint64_t content_bytes; /* bytes of content as sent (transfer coding removed) */
    bool complete;          /* the body ended where its framing said (end was called) */
    /* ---- results, written by the pipeline ---- */
    resplint_body_result decode;
    unsigned failed_coding;     /* index in codings[] of the decoder that failed */
    uint64_t failed_at;         /* offset in that decoder's input where it failed */
    const char *decode_why;     /* static phrase */
    uint64_t decoded_bytes;     /* bytes out of the last decoder (or content_bytes) */
    size_t sniff_len;
    unsigned char sniff[RESPLINT_BODY_SNIFF];
    resplint_body_result utf8;
    uint64_t utf8_at;           /* decoded offset of the first ill-formed sequence */
    resplint_body_result json;
    uint64_t json_at;           /* decoded offset near the error */
    char json_why[96];
    resplint_body_result sha;
    unsigned char sha256[32];
    unsigned char sha512[64];
} resplint_body_job;

typedef struct resplint_body_ops {
    /* A new handle for one body, job's inputs set; NULL on allocation failure (the pipeline
     * then marks the job's stages RESPLINT_BODY_ERROR) or when a library could not be loaded
     * (RESPLINT_BODY_UNAVAILABLE). */
    void *(*begin)(resplint_body_job *job);
    /* The next bytes of content, in order, in chunks of any size. */
    void (*data)(void *handle, resplint_body_job *job, const void *p, size_t n);
    /* The body is complete: finish every stage, write the results, free the handle. */
    void (*end)(void *handle, resplint_body_job *job);
    /* The body was cut (truncated, a capture gap, a framing error): free the handle. */
    void (*abort)(void *handle);
} resplint_body_ops;

/* libresplint-body's pipeline (static ops). */
RESPLINT_API const resplint_body_ops *resplint_body_pipeline(void);

/* Attaches a pipeline to a stream (NULL detaches); call before the first feed. */
RESPLINT_API void resplint_stream_set_body_ops(resplint_stream *s, const resplint_body_ops *ops);

#ifdef __cplusplus
}
#endif

#endif
