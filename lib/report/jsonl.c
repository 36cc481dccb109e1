/* jsonl: JSON Lines, one object per line, each line flushed as soon as it is written so a
 * consumer (tail -f, a pipe) sees findings while a long capture is still being read. */
#include "reporter.h"

static void jsonl_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    FILE *out = r->out;
    char fp[RESPLINT_FINGERPRINT_LEN];
    fputs("{\"type\":\"finding\",\"path\":", out);
    rlrep_json_cstr(out, o->path);
    fprintf(out, ",\"kind\":\"%s\",", resplint_input_kind_name(o->kind));
    rlrep_json_finding_members(out, f, o);
    fprintf(out, ",\"fingerprint\":\"%s\"}\n", resplint_finding_fingerprint(f, o, fp));
    fflush(out);
}

static void jsonl_input_error(resplint_reporter *r, const char *path, int err, const char *message)
{
    fputs("{\"type\":\"input_error\",\"path\":", r->out);
    rlrep_json_cstr(r->out, path);
    fprintf(r->out, ",\"code\":\"%s\",\"message\":", resplint_err_name(err ? err : RESPLINT_EIO));
    rlrep_json_cstr(r->out, message);
    fputs("}\n", r->out);
    fflush(r->out);
}

static void jsonl_finish(resplint_reporter *r)
{
    fputs("{\"type\":\"summary\",", r->out);
    rlrep_json_summary_members(r->out, r);
    if (r->stats) {
        fputs(",\"stats\":", r->out);
        rlrep_json_stats(r->out, r->stats);
    }
    fputs("}\n", r->out);
}

const rlrep_ops rlrep_jsonl_ops = {
    .finding = jsonl_finding,
    .input_error = jsonl_input_error,
    .finish = jsonl_finish,
};
