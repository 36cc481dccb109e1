/* Output files written whole or not at all (cli/outfile.c): reports and baselines go to a
 * hidden temporary file beside their path and are renamed over it once complete, so that a
 * full disk or a failed run never leaves a truncated SARIF, JSON or baseline behind. */
#ifndef RLCLI_OUTFILE_H
#define RLCLI_OUTFILE_H

#include <stdio.h>

typedef struct rlcli_outfile {
    FILE *f;
    char *path; /* where the output goes */
    char *tmp;  /* the temporary file, NULL when path is written directly (a device, a pipe) */
    int fd;
    int err; /* errno of the first failed write: the cause a report names (ENOSPC...) */
} rlcli_outfile;

/* Opens an output for path. 0, or -1 with errno set. */
int rlcli_outfile_open(rlcli_outfile *o, const char *path);
/* Flushes, syncs and closes the output, then puts it in place. 0, or -1 with the cause in
 * err (the temporary file is removed and an existing file at path is left as it was). */
int rlcli_outfile_commit(rlcli_outfile *o, char *err, size_t errlen);
/* Closes and removes an output that is not wanted any more; safe on a closed one. */
void rlcli_outfile_abort(rlcli_outfile *o);

#endif
