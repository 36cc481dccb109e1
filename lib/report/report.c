/* Reporter dispatch: the format table and the public reporter calls, which hand each event
 * to the format's operations. The helpers the formats share are in common.c, so that the
 * formats call common.c and this file calls the formats, never the reverse. */
#include "../core/abi.h"
#include "reporter.h"
#include "rlrep_alloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    const rlrep_ops *ops;
} formats[RESPLINT_FORMAT_COUNT_] = {
    [RESPLINT_FORMAT_TEXT] = {"text", &rlrep_text_ops},
    [RESPLINT_FORMAT_JSON] = {"json", &rlrep_json_ops},
    [RESPLINT_FORMAT_JSONL] = {"jsonl", &rlrep_jsonl_ops},
    [RESPLINT_FORMAT_SARIF] = {"sarif", &rlrep_sarif_ops},
    [RESPLINT_FORMAT_JUNIT] = {"junit", &rlrep_junit_ops},
    [RESPLINT_FORMAT_GITHUB] = {"github", &rlrep_github_ops},
    [RESPLINT_FORMAT_GITLAB] = {"gitlab", &rlrep_gitlab_ops},
    [RESPLINT_FORMAT_HTML] = {"html", &rlrep_html_ops},
};

int resplint_format_parse(const char *name, resplint_format *out)
{
    if (!name || !out)
        return RESPLINT_EINVAL;
    for (int i = 0; i < RESPLINT_FORMAT_COUNT_; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = (resplint_format)i;
            return 0;
        }
    return RESPLINT_EINVAL;
}

const char *resplint_format_name(resplint_format fmt)
{
    return (unsigned)fmt < RESPLINT_FORMAT_COUNT_ ? formats[fmt].name : "unknown";
}

/* the first layout of resplint_report_options (lib/core/abi.h): 0.2's, before tmp_dir */
#define RLINT_BASE_OPTIONS offsetof(resplint_report_options, tmp_dir)

resplint_reporter *resplint_reporter_new(resplint_format fmt, FILE *out,
                                         const resplint_report_options *opts)
{
    resplint_report_options o = {.size = sizeof o, .fail_on = RESPLINT_ERROR};
    if ((unsigned)fmt >= RESPLINT_FORMAT_COUNT_ || !out ||
        (opts && !rlint_abi_copy(&o, sizeof o, opts, RLINT_BASE_OPTIONS)))
        return NULL;
    resplint_reporter *r = rlrep_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ops = formats[fmt].ops;
    r->out = out;
    r->opts = o;
    if (!r->opts.tool_version)
        r->opts.tool_version = resplint_version();
    r->first_input = true;
    /* html draws its charts from the stats whether asked for or not */
    if (r->opts.stats || fmt == RESPLINT_FORMAT_HTML) {
        r->stats = rlrep_calloc(1, sizeof *r->stats);
        if (r->stats)
            r->stats->by_rule = rlrep_calloc(resplint_rule_count() + 1, sizeof *r->stats->by_rule);
        if (!r->stats || !r->stats->by_rule) {
            resplint_reporter_free(r);
            return NULL;
        }
    }
    if (r->ops->init && r->ops->init(r) < 0) {
        resplint_reporter_free(r);
        return NULL;
    }
    return r;
}

void resplint_reporter_free(resplint_reporter *r)
{
    if (!r)
        return;
    if (r->ops->free)
        r->ops->free(r);
    if (r->stats)
        rlrep_free(r->stats->by_rule);
    rlrep_free(r->stats);
    rlrep_free(r);
}

/* A library caller may give no path: the reporters write "-" (as for standard input). */
static const char *path_or_dash(const char *path)
{
    return path ? path : "-";
}

/* o, or a copy of it in *copy with the path "-" when it has none */
static const resplint_origin *with_path(const resplint_origin *o, resplint_origin *copy)
{
    if (o->path)
        return o;
    *copy = *o;
    copy->path = "-";
    return copy;
}

void resplint_reporter_begin_input(resplint_reporter *r, const char *path, resplint_input_kind kind)
{
    path = path_or_dash(path);
    r->path = path;
    r->kind = kind;
    r->input_findings = 0;
    r->input_open = true;
    r->input_err = 0;
    r->input_err_msg[0] = '\0';
    r->totals.inputs++;
    if (r->ops->begin_input)
        r->ops->begin_input(r, path, kind);
    r->first_input = false;
}

void resplint_reporter_finding(resplint_reporter *r, const resplint_finding *f,
                               const resplint_origin *o)
{
    r->totals.findings++;
    r->input_findings++;
    if ((unsigned)f->severity < 4)
        r->totals.by_severity[f->severity]++;
    if (r->stats && f->rule && f->rule->index < resplint_rule_count())
        r->stats->by_rule[f->rule->index]++;
    resplint_origin copy;
    r->ops->finding(r, f, with_path(o, &copy));
}

void resplint_reporter_response(resplint_reporter *r, const resplint_response *resp,
                                const resplint_origin *o)
{
    r->totals.responses++;
    if (r->stats)
        r->stats->status[resp->status >= 0 && resp->status < 1000 ? resp->status : 1000]++;
    resplint_origin copy;
    if (r->ops->response)
        r->ops->response(r, resp, with_path(o, &copy));
}

void resplint_reporter_input_error(resplint_reporter *r, const char *path, int err,
                                   const char *message)
{
    r->totals.errors++;
    r->input_err = err ? err : RESPLINT_EIO;
    snprintf(r->input_err_msg, sizeof r->input_err_msg, "%s", message ? message : "");
    if (r->ops->input_error)
        r->ops->input_error(r, path_or_dash(path), err, message ? message : "");
}

void resplint_reporter_end_input(resplint_reporter *r, const resplint_capture_stats *stats)
{
    if (r->ops->end_input)
        r->ops->end_input(r, stats);
    r->input_open = false;
}

int resplint_reporter_finish(resplint_reporter *r)
{
    if (r->ops->finish)
        r->ops->finish(r);
    return fflush(r->out) == 0 && !ferror(r->out) && !r->failed ? 0 : RESPLINT_EIO;
}

const char *resplint_reporter_error(const resplint_reporter *r)
{
    return r && r->failed && r->failed_msg[0] ? r->failed_msg : NULL;
}
