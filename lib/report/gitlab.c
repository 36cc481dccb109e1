/* gitlab: GitLab Code Quality JSON, an array of issues
 * {description, check_name, fingerprint, severity, location:{path, lines:{begin}}}. GitLab
 * merges issues whose fingerprints are equal, so the fingerprint includes the place. */
#include "reporter.h"

static const char *severity(resplint_severity sev)
{
    return sev == RESPLINT_ERROR ? "major" : sev == RESPLINT_WARNING ? "minor" : "info";
}

static void gitlab_finding(resplint_reporter *r, const resplint_finding *f,
                           const resplint_origin *o)
{
    FILE *out = r->out;
    fputs(r->totals.findings > 1 ? ",\n" : "[\n", out);
    char where[256], fp[RESPLINT_FINGERPRINT_LEN], desc[1024];
    resplint_origin_describe(o, where, sizeof where);
    snprintf(desc, sizeof desc, "%s %s: %s (at %s)", f->rule->id, f->rule->name, f->message, where);
    fputs("{\"type\":\"issue\",\"description\":", out);
    rlrep_json_cstr(out, desc);
    fputs(",\"check_name\":", out);
    rlrep_json_cstr(out, f->rule->id);
    fprintf(out,
            ",\"fingerprint\":\"%s\",\"severity\":\"%s\",\"categories\":[\"Bug Risk\"],"
            "\"location\":{\"path\":",
            rlrep_place_fingerprint(f, o, fp), severity(f->severity));
    const char *path = o->path;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    rlrep_json_cstr(out, path);
    /* GitLab wants a line; a binary capture has none, so its issues sit on line 1. */
    fprintf(out, ",\"lines\":{\"begin\":%u}}}", o->line ? o->line : 1);
}

static void gitlab_finish(resplint_reporter *r)
{
    fputs(r->totals.findings ? "\n]\n" : "[]\n", r->out);
}

const rlrep_ops rlrep_gitlab_ops = {
    .finding = gitlab_finding,
    .finish = gitlab_finish,
};
