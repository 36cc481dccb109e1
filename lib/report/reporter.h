/* Internal: the reporter vtable every format implements, and shared output helpers. */
#ifndef RLREP_REPORTER_H
#define RLREP_REPORTER_H

#include "../core/text.h"
#include "resplint/report.h"

#include <stdbool.h>

typedef struct rlrep_totals {
    size_t inputs, responses, findings, errors;
    size_t by_severity[4];
} rlrep_totals;

typedef struct rlrep_ops {
    /* optional: sets up r->state (and may write the document's start); 0 or RESPLINT_ENOMEM */
    int (*init)(resplint_reporter *r);
    void (*begin_input)(resplint_reporter *r, const char *path, resplint_input_kind kind);
    void (*finding)(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o);
    /* optional: every response checked, after (or, for some readers, before) its findings */
    void (*response)(resplint_reporter *r, const resplint_response *resp, const resplint_origin *o);
    void (*input_error)(resplint_reporter *r, const char *path, int err, const char *message);
    void (*end_input)(resplint_reporter *r, const resplint_capture_stats *stats);
    void (*finish)(resplint_reporter *r);
    /* optional: frees what the format allocated in r->state */
    void (*free)(resplint_reporter *r);
} rlrep_ops;

/* --stats: responses per status code (index = code, 0-999; others in [1000]) and findings
 * per rule (index = resplint_rule.index). Allocated only when opts.stats is set. */
#define RLREP_STATUS_SLOTS 1001
typedef struct rlrep_stats {
    size_t status[RLREP_STATUS_SLOTS];
    size_t *by_rule; /* resplint_rule_count() entries */
} rlrep_stats;

struct resplint_reporter {
    const rlrep_ops *ops;
    FILE *out;
    resplint_report_options opts;
    rlrep_totals totals;
    /* per input */
    const char *path;
    resplint_input_kind kind;
    size_t input_findings;
    bool input_open;
    bool first_input;
    int input_err; /* the input's error, reported by formats at end_input */
    char input_err_msg[512];
    rlrep_stats *stats; /* NULL unless opts.stats */
    void *state;        /* the format's own */
    bool failed;        /* a format lost part of the report (its temporary storage failed) */
    char failed_msg[512]; /* why, when failed: resplint_reporter_error */
};

extern const rlrep_ops rlrep_text_ops;
extern const rlrep_ops rlrep_json_ops;
extern const rlrep_ops rlrep_jsonl_ops;
extern const rlrep_ops rlrep_sarif_ops;
extern const rlrep_ops rlrep_junit_ops;
extern const rlrep_ops rlrep_github_ops;
extern const rlrep_ops rlrep_gitlab_ops;
extern const rlrep_ops rlrep_html_ops;

/* Writes v in decimal (fprintf's work without its cost: reports write numbers per finding). */
void rlrep_put_u64(FILE *out, unsigned long long v);
void rlrep_put_i64(FILE *out, long long v);
/* Writes s as a JSON string (quotes included); len bytes, invalid UTF-8 as \uFFFD. */
void rlrep_json_string(FILE *out, const char *s, size_t len);
void rlrep_json_cstr(FILE *out, const char *s);
/* The members every JSON format writes for a finding: rule, name, severities, message, spec,
 * response, field, and where it is (offset, line, HAR entry, frame, record...). No braces. */
/* The totals every JSON format writes in its summary (no braces). */
void rlrep_json_summary_members(FILE *out, const resplint_reporter *r);
void rlrep_json_finding_members(FILE *out, const resplint_finding *f, const resplint_origin *o);
/* The stats object {"status":{"200":3,...},"rules":{"RL2001":1,...}} (json, jsonl). */
void rlrep_json_stats(FILE *out, const rlrep_stats *st);
/* The stats as a text table (text). */
void rlrep_text_stats(FILE *out, const rlrep_stats *st);
/* Writes s with XML escaping for text and attribute values (&, <, >, ", '); control
 * characters XML 1.0 forbids and invalid UTF-8 become U+FFFD. */
void rlrep_xml_text(FILE *out, const char *s);
/* Writes len bytes of s as HTML text or attribute value (&, <, >, ", ' escaped); control
 * characters other than LF and TAB and invalid UTF-8 become U+FFFD. */
void rlrep_html_text(FILE *out, const char *s, size_t len);
/* Renders the Markdown subset of the rule pages (rules/docs/) as HTML: headings are moved
 * down by shift levels; a level-1 heading starting with skip_h1 (the rule id) is left out. */
void rlrep_markdown_html(FILE *out, const char *md, int shift, const char *skip_h1);
/* A fingerprint of one finding in one run: resplint_finding_fingerprint plus the place (offsets,
 * frame, record, line and column) and the message, so that two findings of a rule in the same
 * response differ. GitLab Code Quality keys issues on it: equal fingerprints merge issues. */
const char *rlrep_place_fingerprint(const resplint_finding *f, const resplint_origin *o,
                                    char *buf);
/* Removes "." and ".." segments and repeated slashes from a path, on the text alone (RFC 3986
 * §5.2.4); writes at most strlen(path) + 1 bytes into out. */
void rlrep_path_normalise(const char *path, char *out);
/* "error", "warning", "note" (SARIF levels) */
const char *rlrep_sarif_level(resplint_severity sev);

#endif
