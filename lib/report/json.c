/* json: one document, {"files":[{"path":…,"findings":[…],"kind":…,"responses":N}],…},
 * written as findings arrive. */
#include "reporter.h"

static void json_begin_input(resplint_reporter *r, const char *path, resplint_input_kind kind)
{
    fputs(r->first_input ? "{\"tool\":{\"name\":\"resplint\",\"version\":" : ",", r->out);
    if (r->first_input) {
        rlrep_json_cstr(r->out, r->opts.tool_version);
        fputs("},\"files\":[", r->out);
    }
    (void)kind; /* the caller may not know it yet: written at the end, from the reader */
    fputs("{\"path\":", r->out);
    rlrep_json_cstr(r->out, path);
    fputs(",\"findings\":[", r->out);
}

static void json_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    FILE *out = r->out;
    if (r->input_findings > 1)
        putc(',', out);
    putc('{', out);
    rlrep_json_finding_members(out, f, o);
    putc('}', out);
}

static void json_end_input(resplint_reporter *r, const resplint_capture_stats *stats)
{
    fprintf(r->out, "],\"kind\":\"%s\",\"responses\":%zu",
            resplint_input_kind_name(stats ? stats->kind : r->kind), stats ? stats->responses : 0);
    if (r->input_err) {
        fprintf(r->out,
                ",\"error\":{\"code\":\"%s\",\"message\":", resplint_err_name(r->input_err));
        rlrep_json_cstr(r->out, r->input_err_msg);
        putc('}', r->out);
    }
    putc('}', r->out);
}

static void json_finish(resplint_reporter *r)
{
    if (r->first_input) {
        fputs("{\"tool\":{\"name\":\"resplint\",\"version\":", r->out);
        rlrep_json_cstr(r->out, r->opts.tool_version);
        fputs("},\"files\":[", r->out);
    }
    fputs("],\"summary\":{", r->out);
    rlrep_json_summary_members(r->out, r);
    putc('}', r->out);
    if (r->stats) {
        fputs(",\"stats\":", r->out);
        rlrep_json_stats(r->out, r->stats);
    }
    fputs("}\n", r->out);
}

const rlrep_ops rlrep_json_ops = {
    .begin_input = json_begin_input,
    .finding = json_finding,
    .end_input = json_end_input,
    .finish = json_finish,
};
