/* Internal: the reporter vtable every format implements, and shared output helpers. */
#ifndef RLREP_REPORTER_H
#define RLREP_REPORTER_H

#include "resplint/report.h"

#include <stdbool.h>

typedef struct rlrep_totals {
    size_t inputs, responses, findings, errors;
    size_t by_severity[4];
} rlrep_totals;

typedef struct rlrep_ops {
    void (*begin_input)(resplint_reporter *r, const char *path, resplint_input_kind kind);
    void (*finding)(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o);
    void (*input_error)(resplint_reporter *r, const char *path, int err, const char *message);
    void (*end_input)(resplint_reporter *r, const resplint_capture_stats *stats);
    void (*finish)(resplint_reporter *r);
} rlrep_ops;

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
};

extern const rlrep_ops rlrep_text_ops;
extern const rlrep_ops rlrep_json_ops;

/* Writes s as a JSON string (quotes included); len bytes, invalid UTF-8 as \uFFFD. */
void rlrep_json_string(FILE *out, const char *s, size_t len);
void rlrep_json_cstr(FILE *out, const char *s);

#endif
