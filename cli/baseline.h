/* Baselines (cli/baseline.c): the fingerprints of accepted findings, so that a team adopting
 * resplint on old recordings fails only on new faults. */
#ifndef RLCLI_BASELINE_H
#define RLCLI_BASELINE_H

#include "cli.h"
#include "outfile.h"

typedef struct rlcli_baseline {
    char (*fp)[RESPLINT_FINGERPRINT_LEN]; /* sorted once loaded */
    size_t n, cap;
    size_t suppressed; /* findings dropped because they are in the baseline */
    FILE *out;         /* --write-baseline, NULL when not asked (file.f) */
    rlcli_outfile file;
    size_t written;
} rlcli_baseline;

/* Reads FILE (one fingerprint at the start of each line; '#' lines are comments; the last
 * line "# end: N findings" says it is whole). Returns 0, or 2 after printing why (naming the
 * file and the line; a baseline cut short is an error). */
int rlcli_baseline_load(rlcli_baseline *b, const char *file);
/* Opens FILE for --write-baseline; 0 or 2 after printing why. */
int rlcli_baseline_open_out(rlcli_baseline *b, const char *file);
/* Records the finding for --write-baseline (when asked), then tells whether the loaded
 * baseline holds it (the finding is then not reported). */
bool rlcli_baseline_filter(rlcli_baseline *b, const resplint_finding *f, const resplint_origin *o);
/* Ends the written baseline and puts it in place; 0 or 2 after a write error (named). */
int rlcli_baseline_finish(rlcli_baseline *b, const char *file);
void rlcli_baseline_free(rlcli_baseline *b);

#endif
