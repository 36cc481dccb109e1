/* junit: JUnit XML as GitLab and Jenkins read it. One <testsuite> per input, one <testcase>
 * per response (a pcap's responses are told apart by tcp.stream), one <failure> per finding at
 * or above fail_on (findings below it go to the testcase's <system-out>). */
#define _POSIX_C_SOURCE 200809L
#include "../core/tmpfile.h"
#include "reporter.h"
#include "rlrep_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* A suite's opening tag carries counts known only when its input ends. When the output can
 * seek (a report file), testcases stream straight to it and the counts are written into room
 * kept in the opening tag at the end of the input; memory stays flat whatever the number of
 * findings. Otherwise (a pipe) one input's testcases go to a temporary file until its end (to
 * memory when no temporary file can be made), so memory stays flat there too.
 * A testcase stays open until a finding or response of another response arrives, because a
 * response's findings may come before the response itself is reported or after it; only the
 * open testcase's <system-out> (findings below fail_on, capped per response by the core's
 * findings limit) is held in memory. */
#define COUNTS_ROOM 112 /* ' tests="N" failures="N" errors="N" skipped="0"' and blanks */
#define PROPS_ROOM 192 /* the <properties> element and blanks */

typedef struct junit_state {
    bool started;
    bool seekable; /* the output can seek: stream testcases to it */
    long head_at;  /* where the streamed suite's opening tag starts in the output */
    char *suite;   /* otherwise: this input's testcases, in memory when tmp is NULL */
    size_t suite_len;
    FILE *tmp; /* or in this temporary file */
    FILE *so;  /* where testcases go: the output, tmp, or a memory stream over suite */
    size_t tests, failures;
    /* the open testcase */
    bool open;
    size_t index;
    long stream;
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
    /* A report file can seek; a pipe or terminal cannot (ftell fails, or fseek does). A file
     * opened for appending (>>) writes at its end whatever the position: not seekable here. */
    fflush(r->out);
    long at = ftell(r->out);
    int fd = fileno(r->out);
    int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    s->seekable = at >= 0 && fl >= 0 && !(fl & O_APPEND) && fseek(r->out, at, SEEK_SET) == 0;
}

/* Writes n bytes of text padded with blanks to room bytes (XML allows blanks between
 * attributes and between elements), so that the suite's head has the same length whatever
 * its numbers: written first with zeros, it is overwritten in place at the end. */
static void padded(FILE *out, const char *text, int n, int room)
{
    if (n < 0 || n > room)
        n = room; /* cannot happen: the numbers have at most 20 digits */
    fwrite(text, 1, (size_t)n, out);
    for (int i = n; i < room; i++)
        putc(' ', out);
}

/* The suite's opening tag with its counts, and its properties: the same bytes whether the
 * suite is streamed or held in memory. */
static void suite_head(resplint_reporter *r, FILE *out, size_t tests, size_t failures,
                       size_t errors, resplint_input_kind kind, size_t responses)
{
    char buf[PROPS_ROOM + 1];
    fputs("  <testsuite name=\"", out);
    rlrep_xml_text(out, r->path);
    fputs("\" time=\"0\"", out);
    int n = snprintf(buf, sizeof buf, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\"",
                     tests, failures, errors);
    padded(out, buf, n, COUNTS_ROOM);
    fputs(">\n", out);
    n = snprintf(buf, sizeof buf,
                 "    <properties>\n      <property name=\"kind\" value=\"%s\"/>\n"
                 "      <property name=\"responses\" value=\"%zu\"/>\n    </properties>",
                 resplint_input_kind_name(kind), responses);
    padded(out, buf, n, PROPS_ROOM);
    putc('\n', out);
}

/* The folder of the temporary files: opts.tmp_dir (the CLI's TMPDIR), else /tmp. */
static const char *tmp_dir(const resplint_reporter *r)
{
    return r->opts.tmp_dir && r->opts.tmp_dir[0] ? r->opts.tmp_dir : "/tmp";
}

/* The temporary file lost testcases: the report is incomplete, and the cause is named (the
 * caller would otherwise blame its output). */
static void tmp_failed(resplint_reporter *r, int err)
{
    r->failed = true;
    if (!r->failed_msg[0])
        snprintf(r->failed_msg, sizeof r->failed_msg,
                 "the temporary file in %s holding the JUnit testcases of %s could not be "
                 "written%s%s (set TMPDIR to a folder with room)",
                 tmp_dir(r), r->path ? r->path : "an input", err ? ": " : " in full",
                 err ? strerror(err) : "");
}

/* The testcases of an input go to the output itself, after a head with zeros (seekable
 * output), or to a temporary file, or to memory. */
static bool ensure_suite(resplint_reporter *r, junit_state *s)
{
    if (s->so)
        return true;
    start(r, s);
    if (s->seekable) {
        fflush(r->out);
        s->head_at = ftell(r->out);
        if (s->head_at >= 0) {
            suite_head(r, r->out, 0, 0, 0, r->kind, 0);
            s->so = r->out;
            return true;
        }
        s->seekable = false;
    }
    s->tmp = rlint_tmpfile(tmp_dir(r));
    s->so = s->tmp ? s->tmp : open_memstream(&s->suite, &s->suite_len);
    return s->so != NULL;
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
static void case_name(FILE *out, const resplint_origin *o, uint64_t resp_offset)
{
    char where[128] = "";
    switch (resplint_input_kind_is_recording(o->kind) ? RESPLINT_INPUT_HAR : o->kind) {
    case RESPLINT_INPUT_HAR:
        snprintf(where, sizeof where, " (entry %ld)", o->har_entry);
        break;
    case RESPLINT_INPUT_PCAP:
        if (o->tcp_stream >= 0)
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
    fprintf(out, "response %zu%s", o->response_index, where);
}

/* A response is known by its index in its connection and the connection (pcap), or by its
 * index in the input (every other kind: the readers number responses across records). */
static bool same_case(const junit_state *s, const resplint_origin *o)
{
    return s->open && s->index == o->response_index && s->stream == o->tcp_stream;
}

static bool open_case(resplint_reporter *r, junit_state *s, const resplint_origin *o,
                      uint64_t resp_offset)
{
    if (!ensure_suite(r, s))
        return false;
    s->tests++;
    fputs("    <testcase classname=\"", s->so);
    rlrep_xml_text(s->so, r->path ? r->path : o->path);
    fputs("\" name=\"", s->so);
    case_name(s->so, o, resp_offset);
    fputs("\" file=\"", s->so); /* GitLab links the test case to the recording */
    rlrep_xml_text(s->so, r->path ? r->path : o->path);
    fputs("\" time=\"0\">\n", s->so);
    s->open = true;
    s->index = o->response_index;
    s->stream = o->tcp_stream;
    s->failed = false;
    return true;
}

static void junit_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    junit_state *s = state(r);
    if (!s)
        return;
    if (!same_case(s, o)) {
        close_case(s);
        if (!open_case(r, s, o, f->response_offset))
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
    if (!s || same_case(s, o))
        return;
    /* Some readers report the response first and its findings after: keep it open. */
    close_case(s);
    open_case(r, s, o, resp->offset != RESPLINT_NO_OFFSET ? resp->offset : o->offset);
}

static void junit_end_input(resplint_reporter *r, const resplint_capture_stats *stats)
{
    junit_state *s = state(r);
    if (!s)
        return;
    start(r, s);
    close_case(s);
    size_t errors = r->input_err ? 1 : 0;
    size_t responses = stats ? stats->responses : 0;
    resplint_input_kind kind = stats ? stats->kind : r->kind;
    FILE *out = r->out;
    bool streamed = s->so && s->so == out;
    if (!streamed) {
        if (s->so && !s->tmp)
            fclose(s->so);
        s->so = NULL;
        suite_head(r, out, s->tests + errors, s->failures, errors, kind, responses);
        if (s->tmp) {
            char buf[16384];
            size_t n;
            errno = 0;
            if (fflush(s->tmp) != 0 || ferror(s->tmp))
                tmp_failed(r, errno); /* the temporary file lost testcases (a full disk) */
            rewind(s->tmp);
            while ((n = fread(buf, 1, sizeof buf, s->tmp)) > 0)
                fwrite(buf, 1, n, out);
            if (ferror(s->tmp))
                tmp_failed(r, errno);
            fclose(s->tmp);
            s->tmp = NULL;
        } else if (s->suite) {
            fwrite(s->suite, 1, s->suite_len, out);
        }
    }
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
    if (streamed) {
        fflush(out);
        long end = ftell(out);
        if (end >= 0 && fseek(out, s->head_at, SEEK_SET) == 0) {
            suite_head(r, out, s->tests + errors, s->failures, errors, kind, responses);
            fflush(out);
            fseek(out, end, SEEK_SET);
        }
        s->so = NULL;
    }
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
    if (s->so && s->so != r->out)
        fclose(s->so); /* the temporary file or the memory stream */
    free(s->out_text); /* open_memstream's buffer: libc's */
    free(s->suite);    /* open_memstream's buffer: libc's */
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
