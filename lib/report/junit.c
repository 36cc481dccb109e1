/* junit: JUnit XML as GitLab and Jenkins read it. One <testsuite> per input, one <testcase>
 * per response, one <failure> per finding at or above fail_on (findings below it go to the
 * testcase's <system-out>). */
#define _POSIX_C_SOURCE 200809L
#include "reporter.h"
#include "rlrep_alloc.h"

#include <stdlib.h>
#include <string.h>

/* A suite's opening tag carries its counts, known only at the end of the input, and a
 * response's findings may arrive before the response itself is reported (or after it): so
 * each input's testcases go to a memory buffer, and a testcase stays open until a finding or
 * response for another response index arrives or the input ends. */
typedef struct junit_state {
    bool started;
    char *suite; /* this input's testcases */
    size_t suite_len;
    FILE *so;
    size_t tests, failures;
    /* the open testcase */
    bool open;
    size_t index;
    bool failed;
    char *out_text; /* its <system-out> */
    size_t out_len;
    FILE *oo;
} junit_state;

static junit_state *state(resplint_reporter *r)
{
    if (!r->state)
        r->state = rlrep_calloc(1, sizeof(junit_state));
    return r->state;
}

static void start(resplint_reporter *r, junit_state *s)
{
    if (s->started)
        return;
    s->started = true;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"resplint\">\n", r->out);
}

static void close_case(junit_state *s)
{
    if (!s->open)
        return;
    if (s->oo) {
        fclose(s->oo);
        s->oo = NULL;
        fputs("      <system-out>", s->so);
        fwrite(s->out_text, 1, s->out_len, s->so);
        fputs("</system-out>\n", s->so);
        free(s->out_text); /* open_memstream's buffer: libc's */
        s->out_text = NULL;
    }
    fputs("    </testcase>\n", s->so);
    s->open = false;
}

/* The testcase name says which response: its index and where a person finds it. */
static void case_name(FILE *out, const resplint_origin *o, size_t index, uint64_t resp_offset)
{
    char where[128] = "";
    switch (o->kind) {
    case RESPLINT_INPUT_HAR:
        snprintf(where, sizeof where, " (entry %ld)", o->har_entry);
        break;
    case RESPLINT_INPUT_PCAP:
        snprintf(where, sizeof where, " (tcp.stream %ld)", o->tcp_stream);
        break;
    case RESPLINT_INPUT_WARC:
        snprintf(where, sizeof where, " (record at %llu)", (unsigned long long)o->record_offset);
        break;
    default:
        if (resp_offset != RESPLINT_NO_OFFSET)
            snprintf(where, sizeof where, " (offset %llu)", (unsigned long long)resp_offset);
        break;
    }
    fprintf(out, "response %zu%s", index, where);
}

static bool open_case(resplint_reporter *r, junit_state *s, const resplint_origin *o, size_t index,
                      uint64_t resp_offset)
{
    if (!s->so)
        s->so = open_memstream(&s->suite, &s->suite_len);
    if (!s->so)
        return false;
    s->tests++;
    fputs("    <testcase classname=\"", s->so);
    rlrep_xml_text(s->so, r->path ? r->path : o->path);
    fputs("\" name=\"", s->so);
    case_name(s->so, o, index, resp_offset);
    fputs("\" file=\"", s->so); /* GitLab links the test case to the recording */
    rlrep_xml_text(s->so, r->path ? r->path : o->path);
    fputs("\" time=\"0\">\n", s->so);
    s->open = true;
    s->index = index;
    s->failed = false;
    return true;
}

static void junit_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    junit_state *s = state(r);
    if (!s)
        return;
    if (!s->open || s->index != f->response_index) {
        close_case(s);
        if (!open_case(r, s, o, f->response_index, f->response_offset))
            return;
    }
    char where[256];
    resplint_origin_describe(o, where, sizeof where);
    if (r->opts.fail_on != RESPLINT_OFF && f->severity >= r->opts.fail_on) {
        if (!s->failed)
            s->failures++;
        s->failed = true;
        fprintf(s->so, "      <failure type=\"%s\" message=\"%s %s: ", f->rule->id, f->rule->id,
                resplint_severity_name(f->severity));
        rlrep_xml_text(s->so, f->message);
        fputs("\">", s->so);
        rlrep_xml_text(s->so, o->path);
        fprintf(s->so, ":%s: %s %s %s: ", where, resplint_severity_name(f->severity), f->rule->id,
                f->rule->name);
        rlrep_xml_text(s->so, f->message);
        fputs(" [", s->so);
        rlrep_xml_text(s->so, f->rule->spec);
        fputs("]</failure>\n", s->so);
    } else {
        if (!s->oo)
            s->oo = open_memstream(&s->out_text, &s->out_len);
        if (!s->oo)
            return;
        rlrep_xml_text(s->oo, o->path);
        fprintf(s->oo, ":%s: %s %s %s: ", where, resplint_severity_name(f->severity), f->rule->id,
                f->rule->name);
        rlrep_xml_text(s->oo, f->message);
        fputs("&#10;", s->oo);
    }
}

static void junit_response(resplint_reporter *r, const resplint_response *resp,
                           const resplint_origin *o)
{
    junit_state *s = state(r);
    if (!s || (s->open && s->index == o->response_index))
        return;
    /* Some readers report the response first and its findings after: keep it open. */
    close_case(s);
    open_case(r, s, o, o->response_index,
              resp->offset != RESPLINT_NO_OFFSET ? resp->offset : o->offset);
}

static void junit_end_input(resplint_reporter *r, const resplint_capture_stats *stats)
{
    junit_state *s = state(r);
    if (!s)
        return;
    start(r, s);
    close_case(s);
    size_t errors = r->input_err ? 1 : 0;
    if (s->so) {
        fclose(s->so);
        s->so = NULL;
    }
    FILE *out = r->out;
    fputs("  <testsuite name=\"", out);
    rlrep_xml_text(out, r->path);
    fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\">\n",
            s->tests + errors, s->failures, errors);
    fprintf(out,
            "    <properties>\n      <property name=\"kind\" value=\"%s\"/>\n"
            "      <property name=\"responses\" value=\"%zu\"/>\n    </properties>\n",
            resplint_input_kind_name(stats ? stats->kind : r->kind), stats ? stats->responses : 0);
    if (s->suite)
        fwrite(s->suite, 1, s->suite_len, out);
    if (errors) {
        fputs("    <testcase classname=\"", out);
        rlrep_xml_text(out, r->path);
        fputs("\" name=\"input\" file=\"", out);
        rlrep_xml_text(out, r->path);
        fprintf(out, "\" time=\"0\">\n      <error type=\"%s\" message=\"",
                resplint_err_name(r->input_err));
        rlrep_xml_text(out, r->input_err_msg);
        fputs("\"/>\n    </testcase>\n", out);
    }
    fputs("  </testsuite>\n", out);
    free(s->suite); /* open_memstream's buffer: libc's */
    s->suite = NULL;
    s->suite_len = 0;
    s->tests = s->failures = 0;
}

static void junit_finish(resplint_reporter *r)
{
    junit_state *s = state(r);
    if (!s)
        return;
    start(r, s);
    fputs("</testsuites>\n", r->out);
}

static void junit_free(resplint_reporter *r)
{
    junit_state *s = r->state;
    if (!s)
        return;
    if (s->oo)
        fclose(s->oo);
    if (s->so)
        fclose(s->so);
    free(s->out_text); /* open_memstream's buffer: libc's */
    free(s->suite); /* open_memstream's buffer: libc's */
    rlrep_free(s);
    r->state = NULL;
}

const rlrep_ops rlrep_junit_ops = {
    .finding = junit_finding,
    .response = junit_response,
    .end_input = junit_end_input,
    .finish = junit_finish,
    .free = junit_free,
};
