/* Reporter dispatch and the helpers every format shares. */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    const rlrep_ops *ops;
} formats[RESPLINT_FORMAT_COUNT_] = {
    [RESPLINT_FORMAT_TEXT] = {"text", &rlrep_text_ops},
    [RESPLINT_FORMAT_JSON] = {"json", &rlrep_json_ops},
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

resplint_reporter *resplint_reporter_new(resplint_format fmt, FILE *out,
                                         const resplint_report_options *opts)
{
    if ((unsigned)fmt >= RESPLINT_FORMAT_COUNT_ || !out)
        return NULL;
    resplint_reporter *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ops = formats[fmt].ops;
    r->out = out;
    if (opts)
        r->opts = *opts;
    else
        r->opts.fail_on = RESPLINT_ERROR;
    if (!r->opts.tool_version)
        r->opts.tool_version = resplint_version();
    r->first_input = true;
    return r;
}

void resplint_reporter_free(resplint_reporter *r) { free(r); }

void resplint_reporter_begin_input(resplint_reporter *r, const char *path,
                                   resplint_input_kind kind)
{
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
    r->ops->finding(r, f, o);
}

void resplint_reporter_response(resplint_reporter *r, const resplint_response *resp,
                                const resplint_origin *o)
{
    (void)resp;
    (void)o;
    r->totals.responses++;
}

void resplint_reporter_input_error(resplint_reporter *r, const char *path, int err,
                                   const char *message)
{
    r->totals.errors++;
    r->input_err = err ? err : RESPLINT_EIO;
    snprintf(r->input_err_msg, sizeof r->input_err_msg, "%s", message ? message : "");
    if (r->ops->input_error)
        r->ops->input_error(r, path, err, message);
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
    return fflush(r->out) == 0 && !ferror(r->out) ? 0 : RESPLINT_EIO;
}

const char *resplint_origin_describe(const resplint_origin *o, char *buf, size_t len)
{
    switch (o->kind) {
    case RESPLINT_INPUT_HAR:
        if (o->json_pointer)
            snprintf(buf, len, "entry %ld (%s)", o->har_entry, o->json_pointer);
        else
            snprintf(buf, len, "entry %ld", o->har_entry);
        break;
    case RESPLINT_INPUT_PCAP:
        if (o->tcp_stream >= 0)
            snprintf(buf, len, "frame %llu, tcp.stream %ld", (unsigned long long)o->frame,
                     o->tcp_stream);
        else /* a frame outside any TCP connection (an IP fragment, a cut file) */
            snprintf(buf, len, "frame %llu", (unsigned long long)o->frame);
        break;
    case RESPLINT_INPUT_WARC:
        snprintf(buf, len, "record at %llu", (unsigned long long)o->record_offset);
        break;
    default:
        if (o->line)
            snprintf(buf, len, "%u:%u", o->line, o->column);
        else if (o->offset != RESPLINT_NO_OFFSET)
            snprintf(buf, len, "%llu", (unsigned long long)o->offset);
        else
            snprintf(buf, len, "response %zu", o->response_index);
        break;
    }
    return buf;
}

void rlrep_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\r') {
            fputs("\\r", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
        } else if (c < 0x80) {
            putc(c, out);
        } else {
            /* pass valid UTF-8 through, replace anything else */
            size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
            bool ok = n && i + n <= len;
            for (size_t k = 1; ok && k < n; k++)
                ok = (p[i + k] & 0xc0) == 0x80;
            if (ok) {
                fwrite(p + i, 1, n, out);
                i += n - 1;
            } else {
                fputs("\\ufffd", out);
            }
        }
    }
    putc('"', out);
}

void rlrep_json_cstr(FILE *out, const char *s)
{
    if (!s)
        fputs("null", out);
    else
        rlrep_json_string(out, s, strlen(s));
}
