/* resplint reporters: findings to text for people and to machine formats for CI.
 *
 * A reporter writes to a FILE* as findings arrive. What it holds in memory: counters (per
 * status and per rule, for the summary, stats and html charts: bounded by the catalogue); and
 * for JUnit, whose suite tag carries counts known only at the input's end, the open
 * testcase's <system-out> (one response's findings below fail_on, capped by
 * RESPLINT_LIMIT_FINDINGS) and, when the output cannot seek (a pipe), the current input's
 * testcases until end_input. Every other format holds nothing per finding. Call order:
 * new, then for each input begin_input, finding/response/input_error any number of times,
 * end_input; then finish once, then free. A reporter belongs to one thread at a time. */
#ifndef RESPLINT_REPORT_H
#define RESPLINT_REPORT_H

#include "capture.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum resplint_format {
    RESPLINT_FORMAT_TEXT,
    RESPLINT_FORMAT_JSON,
    RESPLINT_FORMAT_JSONL,  /* one JSON object per line, flushed as found */
    RESPLINT_FORMAT_SARIF,  /* SARIF 2.1.0 (GitHub code scanning) */
    RESPLINT_FORMAT_JUNIT,  /* JUnit XML: a testsuite per input, a testcase per response */
    RESPLINT_FORMAT_GITHUB, /* GitHub Actions workflow commands (::error ...) */
    RESPLINT_FORMAT_GITLAB, /* GitLab Code Quality JSON */
    RESPLINT_FORMAT_HTML,   /* one self-contained page: summary charts, findings table, rule
                             * pages (from rule_doc); rows written as found (docs/html.md) */
    RESPLINT_FORMAT_COUNT_
} resplint_format;

/* "text", "json", ...; RESPLINT_EINVAL for an unknown name. */
RESPLINT_API int resplint_format_parse(const char *name, resplint_format *out);
RESPLINT_API const char *resplint_format_name(resplint_format fmt);

/* size: sizeof(resplint_report_options) as the caller compiled it (0: the layout of the
 * library's own header); members added later are appended and read only when size covers
 * them (docs/library.md, "ABI policy"). */
typedef struct resplint_report_options {
    size_t size;
    int color;                  /* text: ANSI colours (the caller decides: terminal, NO_COLOR) */
    resplint_severity fail_on;  /* findings at or above this fail (JUnit failures, summary) */
    const char *tool_version;   /* defaults to resplint_version() */
    int stats;                  /* text, json, jsonl: responses per status, findings per rule
                                 * (html always shows them) */
    /* SARIF rule help and html rule pages: the Markdown page of a rule, or NULL when there
     * is none. The library reads no files, so the caller hands the pages in (the CLI embeds
     * them). May be NULL. */
    const char *(*rule_doc)(const char *rule_id, void *user);
    void *rule_doc_user;
    /* SARIF helpUri: this prefix + rule id + ".md" (where the team publishes the rule pages);
     * NULL: no helpUri (the pages are in each rule's help text). */
    const char *help_uri_base;
    /* JUnit to an output that cannot seek (a pipe): the folder of the temporary file in which
     * an input's testcases wait for its counts. The library reads no environment: the caller
     * passes TMPDIR. NULL: /tmp. (Appended after 0.2.) */
    const char *tmp_dir;
} resplint_report_options;

typedef struct resplint_reporter resplint_reporter;

/* A reporter writing fmt to out (not closed by the reporter). opts may be NULL (defaults:
 * fail_on RESPLINT_ERROR). NULL on allocation failure, an unknown fmt, a NULL out, or an
 * opts->size below 0.2's layout. */
RESPLINT_API resplint_reporter *resplint_reporter_new(resplint_format fmt, FILE *out,
                                                      const resplint_report_options *opts);
RESPLINT_API void resplint_reporter_free(resplint_reporter *r);

RESPLINT_API void resplint_reporter_begin_input(resplint_reporter *r, const char *path,
                                                resplint_input_kind kind);
RESPLINT_API void resplint_reporter_finding(resplint_reporter *r, const resplint_finding *f,
                                            const resplint_origin *o);
RESPLINT_API void resplint_reporter_response(resplint_reporter *r,
                                             const resplint_response *resp,
                                             const resplint_origin *o);
/* The input could not be read (or only in part): message names the file and the place. */
RESPLINT_API void resplint_reporter_input_error(resplint_reporter *r, const char *path,
                                                int err, const char *message);
RESPLINT_API void resplint_reporter_end_input(resplint_reporter *r,
                                              const resplint_capture_stats *stats);
/* Closes the document (summary line, closing brackets). Returns 0 or RESPLINT_EIO when the
 * output could not be written. */
RESPLINT_API int resplint_reporter_finish(resplint_reporter *r);
/* When the report lost part of itself for a cause other than its output (the temporary file a
 * format spools to could not be written: "the temporary file in /tmp for the JUnit testcases
 * of x.har: No space left on device"), that cause; else NULL (resplint_reporter_finish's
 * RESPLINT_EIO then means the output). Valid until resplint_reporter_free. */
RESPLINT_API const char *resplint_reporter_error(const resplint_reporter *r);

/* A fingerprint of a finding that stays the same across runs over the same input, and across
 * resplint versions: a hash of the rule, the input path ("." and ".." segments and repeated
 * slashes removed, so "./a.har" and "a.har" agree), the logical place
 * (response, HAR entry, TCP stream, WARC record, URL) and the field; not of byte offsets,
 * which move when an earlier response changes, nor of the message, whose wording may
 * improve. 16 lowercase hex digits and a NUL into buf[17]. Returns buf. */
#define RESPLINT_FINGERPRINT_LEN 17
RESPLINT_API const char *resplint_finding_fingerprint(const resplint_finding *f,
                                                      const resplint_origin *o, char *buf);

/* Where a finding is, in words: "offset 1234", "entry 17 (/log/entries/17/...)",
 * "frame 12, tcp.stream 3", "record at 4096". Returns buf. */
RESPLINT_API const char *resplint_origin_describe(const resplint_origin *o, char *buf,
                                                  size_t len);

#ifdef __cplusplus
}
#endif

#endif
