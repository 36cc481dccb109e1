/* Baselines: --write-baseline records every finding's fingerprint, --baseline drops the
 * findings whose fingerprint it holds. The file is text, one finding a line:
 * "FINGERPRINT RULE PATH", so that a reviewer can read what was accepted. */
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
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
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
    if (rc == 0 && b->n)
        qsort(b->fp, b->n, sizeof *b->fp, cmp_fp);
    return rc;
}

int rlcli_baseline_open_out(rlcli_baseline *b, const char *file)
{
    b->out = fopen(file, "w");
    if (!b->out) {
        fprintf(stderr, "resplint: %s: cannot write the baseline: %s\n", file, strerror(errno));
        return 2;
    }
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
    int bad = ferror(b->out);
    bad |= fclose(b->out);
    b->out = NULL;
    if (bad) {
        fprintf(stderr, "resplint: %s: write error\n", file);
        return 2;
    }
    fprintf(stderr, "resplint: wrote %zu finding%s to the baseline %s\n", b->written,
            b->written == 1 ? "" : "s", file);
    return 0;
}

void rlcli_baseline_free(rlcli_baseline *b)
{
    if (b->out)
        fclose(b->out);
    free(b->fp);
    memset(b, 0, sizeof *b);
}
