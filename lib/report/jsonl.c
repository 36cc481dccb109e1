/* jsonl: JSON Lines, one object per line, each line flushed as soon as it is written so a
 * consumer (tail -f, a pipe) sees findings while a long capture is still being read. */
#include "reporter.h"

static void jsonl_location(FILE *out, const resplint_origin *o)
{
    if (o->offset != RESPLINT_NO_OFFSET)
        fprintf(out, ",\"offset\":%llu,\"length\":%llu", (unsigned long long)o->offset,
                (unsigned long long)o->length);
    if (o->line)
        fprintf(out, ",\"line\":%u,\"column\":%u", o->line, o->column);
    if (o->har_entry >= 0)
        fprintf(out, ",\"entry\":%ld", o->har_entry);
    if (o->json_pointer) {
        fputs(",\"pointer\":", out);
        rlrep_json_cstr(out, o->json_pointer);
    }
    if (o->url) {
        fputs(",\"url\":", out);
        rlrep_json_cstr(out, o->url);
    }
    if (o->frame)
        fprintf(out, ",\"frame\":%llu", (unsigned long long)o->frame);
    if (o->tcp_stream >= 0)
        fprintf(out, ",\"tcp_stream\":%ld", o->tcp_stream);
    if (o->record_offset != RESPLINT_NO_OFFSET)
        fprintf(out, ",\"record_offset\":%llu", (unsigned long long)o->record_offset);
    if (o->record_id) {
        fputs(",\"record_id\":", out);
        rlrep_json_cstr(out, o->record_id);
    }
}

static void jsonl_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    FILE *out = r->out;
    char fp[RESPLINT_FINGERPRINT_LEN];
    fputs("{\"type\":\"finding\",\"path\":", out);
    rlrep_json_cstr(out, o->path);
    fprintf(out,
            ",\"kind\":\"%s\",\"rule\":\"%s\",\"name\":\"%s\",\"severity\":\"%s\",\"message\":",
            resplint_input_kind_name(o->kind), f->rule->id, f->rule->name,
            resplint_severity_name(f->severity));
    rlrep_json_cstr(out, f->message);
    fputs(",\"spec\":", out);
    rlrep_json_cstr(out, f->rule->spec);
    fprintf(out, ",\"response\":%zu", o->response_index);
    if (f->field_index >= 0)
        fprintf(out, ",\"field\":%ld", f->field_index);
    jsonl_location(out, o);
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
    const rlrep_totals *t = &r->totals;
    fprintf(
        r->out,
        "{\"type\":\"summary\",\"inputs\":%zu,\"responses\":%zu,\"findings\":%zu,\"errors\":%zu,"
        "\"warnings\":%zu,\"info\":%zu,\"input_errors\":%zu",
        t->inputs, t->responses, t->findings, t->by_severity[RESPLINT_ERROR],
        t->by_severity[RESPLINT_WARNING], t->by_severity[RESPLINT_INFO], t->errors);
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
