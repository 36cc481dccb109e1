/* text: one line per finding, "path:where: severity RLnnnn name: message", and a summary. */
#include "reporter.h"

#include <string.h>

static const char *const sev_color[] = {"", "\033[36m", "\033[33m", "\033[31m"};

static void text_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    char where[256];
    resplint_origin_describe(o, where, sizeof where);
    const char *sev = resplint_severity_name(f->severity);
    if (r->opts.color)
        fprintf(r->out, "\033[1m%s:%s:\033[0m %s%s\033[0m \033[1m%s\033[0m %s: %s\n", o->path,
                where, sev_color[f->severity & 3], sev, f->rule->id, f->rule->name, f->message);
    else { /* "%s:%s: %s %s %s: %s\n", gathered and written at once, without fprintf */
        const char *part[] = {o->path,     ":", where,         ": ", sev,        " ",
                              f->rule->id, " ", f->rule->name, ": ", f->message, "\n"};
        char line[2048];
        size_t n = 0;
        for (size_t i = 0; i < sizeof part / sizeof part[0]; i++) {
            size_t k = strlen(part[i]);
            if (k > sizeof line - n) { /* a long path: what is gathered, then the rest */
                fwrite(line, 1, n, r->out);
                n = 0;
                if (k > sizeof line) {
                    fwrite(part[i], 1, k, r->out);
                    continue;
                }
            }
            memcpy(line + n, part[i], k);
            n += k;
        }
        fwrite(line, 1, n, r->out);
    }
}

static void plural(FILE *out, size_t n, const char *word)
{
    fprintf(out, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

static void text_finish(resplint_reporter *r)
{
    const rlrep_totals *t = &r->totals;
    plural(r->out, t->findings, "finding");
    fprintf(r->out, " (%zu error%s, %zu warning%s, %zu info) in ", t->by_severity[RESPLINT_ERROR],
            t->by_severity[RESPLINT_ERROR] == 1 ? "" : "s", t->by_severity[RESPLINT_WARNING],
            t->by_severity[RESPLINT_WARNING] == 1 ? "" : "s", t->by_severity[RESPLINT_INFO]);
    plural(r->out, t->responses, "response");
    fputs(" from ", r->out);
    plural(r->out, t->inputs, "input");
    if (t->errors) {
        fputs("; ", r->out);
        plural(r->out, t->errors, "input error");
    }
    fputc('\n', r->out);
    if (r->stats)
        rlrep_text_stats(r->out, r->stats);
}

const rlrep_ops rlrep_text_ops = {
    .finding = text_finding,
    .finish = text_finish,
};
