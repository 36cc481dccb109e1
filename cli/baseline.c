/* Baselines: --write-baseline records every finding's fingerprint, --baseline drops the
 * findings whose fingerprint it holds. The file is text, one finding a line:
 * "FINGERPRINT RULE PATH", so that a reviewer can read what was accepted, and a last line
 * "# end: N findings", so that a file cut short is not taken for a shorter baseline. */
#define _POSIX_C_SOURCE 200809L
#include "baseline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_fp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool is_hex16(const char *s)
{
    for (int i = 0; i < 16; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[16] == '\0' || s[16] == ' ' || s[16] == '\t' || s[16] == '\n' || s[16] == '\r';
}

int rlcli_baseline_load(rlcli_baseline *b, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "resplint: %s: cannot read the baseline: %s\n", file, strerror(errno));
        return 2;
    }
    char line[4096];
    unsigned long lineno = 0;
    int rc = 0;
    bool ended = false;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        if (ended && line[0] != '\n' && !(line[0] == '\r' && line[1] == '\n')) {
            fprintf(stderr, "resplint: %s:%lu: a line after the baseline's end line\n", file,
                    lineno);
            rc = 2;
            break;
        }
        unsigned long want;
        if (sscanf(line, "# end: %lu finding", &want) == 1) {
            ended = true;
            if (want != b->n) {
                fprintf(stderr,
                        "resplint: %s:%lu: the end line counts %lu findings, the file holds "
                        "%zu\n",
                        file, lineno, want, b->n);
                rc = 2;
            }
            continue;
        }
        if (line[0] == '#' || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
            continue;
        if (!is_hex16(line)) {
            fprintf(stderr, "resplint: %s:%lu: not a baseline line (16 hex digits first)\n", file,
                    lineno);
            rc = 2;
            break;
        }
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 256;
            void *p = realloc(b->fp, cap * sizeof *b->fp);
            if (!p) {
                fputs("resplint: out of memory\n", stderr);
                rc = 2;
                break;
            }
            b->fp = p;
            b->cap = cap;
        }
        memcpy(b->fp[b->n], line, 16);
        b->fp[b->n][16] = '\0';
        b->n++;
        /* a line longer than the buffer: skip the rest of it */
        while (!strchr(line, '\n') && fgets(line, sizeof line, f))
            ;
    }
    fclose(f);
    if (rc == 0 && !ended) {
        fprintf(stderr,
                "resplint: %s: no end line ('# end: N findings'): the baseline is cut short, "
                "or was not written by resplint --write-baseline; write it again\n",
                file);
        rc = 2;
    }
    if (rc == 0 && b->n)
        qsort(b->fp, b->n, sizeof *b->fp, cmp_fp);
    return rc;
}

int rlcli_baseline_open_out(rlcli_baseline *b, const char *file)
{
    if (rlcli_outfile_open(&b->file, file) < 0) {
        fprintf(stderr, "resplint: %s: cannot write the baseline: %s\n", file, strerror(errno));
        return 2;
    }
    b->out = b->file.f;
    fputs("# resplint baseline: findings accepted as they are. One a line: fingerprint, rule,\n"
          "# input. Use with --baseline FILE to report only findings not listed here.\n",
          b->out);
    return 0;
}

bool rlcli_baseline_filter(rlcli_baseline *b, const resplint_finding *f, const resplint_origin *o)
{
    if (!b->out && !b->n)
        return false;
    char fp[RESPLINT_FINGERPRINT_LEN];
    resplint_finding_fingerprint(f, o, fp);
    if (b->out) {
        fprintf(b->out, "%s %s %s\n", fp, f->rule->id, o->path);
        b->written++;
    }
    if (b->n && bsearch(fp, b->fp, b->n, sizeof *b->fp, cmp_fp)) {
        b->suppressed++;
        return true;
    }
    return false;
}

int rlcli_baseline_finish(rlcli_baseline *b, const char *file)
{
    if (!b->out)
        return 0;
    (void)file;
    fprintf(b->out, "# end: %zu finding%s\n", b->written, b->written == 1 ? "" : "s");
    b->out = NULL;
    char err[1024];
    if (rlcli_outfile_commit(&b->file, err, sizeof err) < 0) {
        fprintf(stderr, "resplint: %s\n", err);
        return 2;
    }
    fprintf(stderr, "resplint: wrote %zu finding%s to the baseline %s\n", b->written,
            b->written == 1 ? "" : "s", file);
    return 0;
}

void rlcli_baseline_free(rlcli_baseline *b)
{
    rlcli_outfile_abort(&b->file);
    free(b->fp);
    memset(b, 0, sizeof *b);
}
