/* github: GitHub Actions workflow commands, one line per finding:
 * ::error file=PATH,line=L,col=C,title=RLnnnn name::message
 * GitHub turns them into annotations on the run and on the pull request. */
#include "reporter.h"

/* Data after "::" escapes %, CR and LF; property values also ':' and ','. This is the
 * escaping of GitHub's own toolkit (escapeData / escapeProperty). */
static void escaped(FILE *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%':
            fputs("%25", out);
            break;
        case '\r':
            fputs("%0D", out);
            break;
        case '\n':
            fputs("%0A", out);
            break;
        case ':':
            fputs(property ? "%3A" : ":", out);
            break;
        case ',':
            fputs(property ? "%2C" : ",", out);
            break;
        default:
            putc(*s, out);
            break;
        }
    }
}

static const char *command(resplint_severity sev)
{
    return sev == RESPLINT_ERROR ? "error" : sev == RESPLINT_WARNING ? "warning" : "notice";
}

static void github_finding(resplint_reporter *r, const resplint_finding *f,
                           const resplint_origin *o)
{
    FILE *out = r->out;
    fprintf(out, "::%s file=", command(f->severity));
    escaped(out, o->path, true);
    if (o->line) {
        fprintf(out, ",line=%u", o->line);
        if (o->column)
            fprintf(out, ",col=%u", o->column);
    }
    char title[256];
    snprintf(title, sizeof title, "%s %s", f->rule->id, f->rule->name);
    fputs(",title=", out);
    escaped(out, title, true);
    fputs("::", out);
    escaped(out, f->message, false);
    char where[256];
    /* Binary captures have no line GitHub can point at: say where in the message. */
    if (!o->line) {
        fputs(" (at ", out);
        escaped(out, resplint_origin_describe(o, where, sizeof where), false);
        putc(')', out);
    }
    fputs(" [", out);
    escaped(out, f->rule->spec, false);
    fputs("]\n", out);
}

static void github_input_error(resplint_reporter *r, const char *path, int err, const char *message)
{
    fputs("::error file=", r->out);
    escaped(r->out, path ? path : "-", true);
    fputs(",title=resplint input error::", r->out);
    escaped(r->out, message && *message ? message : resplint_strerror(err), false);
    putc('\n', r->out);
}

const rlrep_ops rlrep_github_ops = {
    .finding = github_finding,
    .input_error = github_input_error,
};
