/* html: one self-contained page (no network, no external file, no script library). Rows of
 * the findings table are written as findings arrive; what only the end knows (the summary,
 * its SVG charts, the rule pages) is written after the table and shown above it with CSS
 * order, so that nothing is held per finding. docs/html.md describes the page. */
#include "reporter.h"
#include "rlrep_alloc.h"

#include <stdlib.h>
#include <string.h>

extern const char rlrep_html_css[];
extern const char rlrep_html_js[];

#define TOP_INPUTS 25       /* bars of the per-input chart */
#define TOP_BARS 30         /* bars of the per-rule, per-host and per-status charts */
#define MAX_HOSTS 4096      /* hosts counted one by one; the rest are "other hosts" */
#define MAX_ERRORS 200      /* input errors listed; the rest are counted */
#define EV_CONTEXT 2        /* lines shown before and after the offending one */
#define EV_LINES 8          /* lines shown when no line is named */
#define EV_LINE_BYTES 200   /* bytes shown of one evidence line */
#define PAGE_ROWS 200       /* rows per <tbody>: the script's pages */

typedef struct input_count {
    char *path;
    size_t findings, index;
} input_count;

typedef struct host_count {
    char *name;
    size_t findings;
} host_count;

typedef struct html_state {
    unsigned char *rule_sev; /* highest severity seen per rule */
    input_count top[TOP_INPUTS];
    size_t ntop;
    size_t inputs_with_findings;
    host_count *hosts; /* open addressing, MAX_HOSTS slots */
    size_t nhosts, other_host_findings, host_findings;
    char *errors[MAX_ERRORS];
    size_t nerrors;
    size_t row;
    bool table_open;
} html_state;

static const char *const sev_word[] = {"off", "info", "warning", "error"};
static const char *const sev_mark[] = {"", "\xe2\x84\xb9", "\xe2\x96\xb2", "\xe2\x9c\x96"};

static void html_cstr(FILE *out, const char *s)
{
    if (s)
        rlrep_html_text(out, s, strlen(s));
}

/* Evidence bytes: printable ASCII escaped for HTML, everything else as \xNN. */
static void html_bytes(FILE *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c > 0x7e)
            fprintf(out, "<span class=\"x\">\\x%02X</span>", c);
        else
            rlrep_html_text(out, (const char *)&c, 1);
    }
}

/* ---- summary data ---- */

static void note_input(html_state *st, const char *path, size_t findings, size_t index)
{
    if (findings == 0)
        return;
    st->inputs_with_findings++;
    size_t slot = st->ntop;
    if (st->ntop == TOP_INPUTS) {
        slot = 0;
        for (size_t i = 1; i < st->ntop; i++)
            if (st->top[i].findings < st->top[slot].findings)
                slot = i;
        if (st->top[slot].findings >= findings)
            return;
        rlrep_free(st->top[slot].path);
    } else {
        st->ntop++;
    }
    size_t n = strlen(path ? path : "");
    st->top[slot].path = rlrep_malloc(n + 1);
    if (st->top[slot].path)
        memcpy(st->top[slot].path, path ? path : "", n + 1);
    st->top[slot].findings = findings;
    st->top[slot].index = index;
}

/* The host a finding is about: the URL's authority (HAR, WARC) or the server's address
 * (pcap). Written into buf; false when the input has no hosts. */
static bool host_of(const resplint_origin *o, char *buf, size_t len)
{
    if (o->url) {
        const char *a = strstr(o->url, "://");
        a = a ? a + 3 : o->url;
        size_t n = strcspn(a, "/?#");
        const char *at = memchr(a, '@', n);
        if (at) {
            n -= (size_t)(at + 1 - a);
            a = at + 1;
        }
        if (n == 0)
            return false;
        snprintf(buf, len, "%.*s", (int)n, a);
        return true;
    }
    if (o->server) {
        snprintf(buf, len, "%s", o->server);
        return true;
    }
    return false;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

static void note_host(html_state *st, const resplint_origin *o)
{
    char name[256];
    if (!host_of(o, name, sizeof name))
        return;
    st->host_findings++;
    if (!st->hosts) {
        st->hosts = rlrep_calloc(MAX_HOSTS, sizeof *st->hosts);
        if (!st->hosts) {
            st->other_host_findings++;
            return;
        }
    }
    size_t i = (size_t)(hash_str(name) % MAX_HOSTS);
    for (size_t k = 0; k < MAX_HOSTS; k++, i = (i + 1) % MAX_HOSTS) {
        host_count *h = &st->hosts[i];
        if (h->name && strcmp(h->name, name) == 0) {
            h->findings++;
            return;
        }
        if (!h->name) {
            /* keep the table at most three quarters full: probes stay short */
            if (st->nhosts >= MAX_HOSTS * 3 / 4)
                break;
            size_t n = strlen(name);
            h->name = rlrep_malloc(n + 1);
            if (!h->name)
                break;
            memcpy(h->name, name, n + 1);
            h->findings = 1;
            st->nhosts++;
            return;
        }
    }
    st->other_host_findings++;
}

/* ---- the table ---- */

static void begin_table(resplint_reporter *r)
{
    html_state *st = r->state;
    if (st->table_open)
        return;
    st->table_open = true;
    fputs("<section id=\"findings\" aria-labelledby=\"findings-h\">\n"
          "<h2 id=\"findings-h\">Findings</h2>\n"
          "<div id=\"controls\" hidden></div>\n"
          "<div class=\"tablewrap\"><table id=\"ft\">\n"
          "<caption>Every finding, in the order found. Scripts filter, sort and page this "
          "table; without them it is shown whole.</caption>\n"
          "<colgroup><col class=\"w-n\"><col class=\"w-sev\"><col class=\"w-rule\">"
          "<col class=\"w-msg\"><col class=\"w-loc\"><col class=\"w-ev\"></colgroup>\n"
          "<thead><tr><th scope=\"col\" data-sort=\"n\">#</th>"
          "<th scope=\"col\" data-sort=\"sev\">Severity</th>"
          "<th scope=\"col\" data-sort=\"rule\">Rule</th>"
          "<th scope=\"col\">Message</th>"
          "<th scope=\"col\" data-sort=\"n\">Location</th>"
          "<th scope=\"col\">Evidence</th></tr></thead>\n",
          r->out);
}

static void html_begin_input(resplint_reporter *r, const char *path, resplint_input_kind kind)
{
    (void)path;
    (void)kind;
    begin_table(r);
}

/* One line of the evidence, with its number, cut at EV_LINE_BYTES. */
static void ev_line(FILE *out, const unsigned char *p, size_t n, size_t no, bool hit)
{
    size_t end = n;
    bool crlf = end >= 2 && p[end - 2] == '\r' && p[end - 1] == '\n';
    if (crlf)
        end -= 2; /* the ordinary line ending is not shown; a bare LF or CR is */
    size_t shown = end > EV_LINE_BYTES ? EV_LINE_BYTES : end;
    /* the line number is drawn by CSS from data-n: not copied with the text */
    fprintf(out, hit ? "<mark data-n=\"%zu\">" : "<span data-n=\"%zu\">", no + 1);
    html_bytes(out, p, shown);
    if (shown < end)
        fprintf(out, "<span class=\"cut\">\xe2\x80\xa6 (%zu more bytes)</span>", end - shown);
    fputs(hit ? "</mark>" : "</span>", out); /* blocks: no newline between them */
}

static void ev_gap(FILE *out, size_t lines)
{
    fprintf(out, "<span class=\"gap\">\xe2\x8b\xaf %zu line%s</span>", lines,
            lines == 1 ? "" : "s");
}

/* The head with the offending line marked: the status line, then a few lines around the one
 * the finding names (or the first lines when it names none). Bounded whatever the head. */
static void evidence(FILE *out, const resplint_finding *f, const resplint_origin *o)
{
    const unsigned char *h = (const unsigned char *)o->head;
    size_t len = o->head_len > RESPLINT_EVIDENCE_MAX ? RESPLINT_EVIDENCE_MAX : o->head_len;
    if (!h || !len) {
        fputs("<td class=\"ev\"></td>", out);
        return;
    }
    /* where the evidence starts, relative to the head */
    size_t at = SIZE_MAX;
    if (f->offset != RESPLINT_NO_OFFSET && f->response_offset != RESPLINT_NO_OFFSET &&
        f->offset >= f->response_offset && f->offset - f->response_offset < len)
        at = (size_t)(f->offset - f->response_offset);
    /* line starts, counted once over at most len bytes */
    size_t lines = 0, hit = SIZE_MAX;
    for (size_t i = 0; i < len;) {
        const unsigned char *nl = memchr(h + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - h) + 1 : len;
        if (e - i <= 2 && (h[i] == '\r' || h[i] == '\n') && e == len)
            break; /* the blank line that ends the head */
        if (at != SIZE_MAX && at >= i && at < e)
            hit = lines;
        lines++;
        i = e;
    }
    if (hit == SIZE_MAX && at == SIZE_MAX && f->field_index >= 0 &&
        (o->kind == RESPLINT_INPUT_HAR || resplint_input_kind_is_recording(o->kind)) &&
        (size_t)f->field_index + 1 < lines)
        hit = (size_t)f->field_index + 1; /* the rebuilt head holds one line per field */
    size_t from, to; /* the window after the status line, [from, to) */
    if (hit != SIZE_MAX) {
        from = hit > EV_CONTEXT ? hit - EV_CONTEXT : 1;
        to = hit + EV_CONTEXT + 1;
    } else {
        from = 1;
        to = EV_LINES;
    }
    if (from < 1)
        from = 1;
    if (to > lines)
        to = lines;
    fputs("<td class=\"ev\"><pre>", out);
    size_t no = 0;
    for (size_t i = 0; i < len && no < to;) {
        const unsigned char *nl = memchr(h + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - h) + 1 : len;
        if (no == 0 || (no >= from && no < to)) {
            if (no == from && from > 1)
                ev_gap(out, from - 1);
            ev_line(out, h + i, e - i, no, no == hit);
        }
        no++;
        i = e;
    }
    if (to < lines)
        ev_gap(out, lines - to);
    fputs("</pre>", out);
    if (o->kind == RESPLINT_INPUT_HAR)
        fputs("<small>rebuilt from the HAR entry</small>", out);
    else if (resplint_input_kind_is_recording(o->kind))
        fputs("<small>rebuilt from the recorded entry</small>", out);
    fputs("</td>", out);
}

static void location(FILE *out, const resplint_finding *f, const resplint_origin *o)
{
    char where[512];
    resplint_origin_describe(o, where, sizeof where);
    fputs("<td class=\"loc\"><span class=\"in\">", out);
    html_cstr(out, o->path);
    fputs("</span><br>", out);
    html_cstr(out, where);
    if (o->kind != RESPLINT_INPUT_HAR && o->kind != RESPLINT_INPUT_WARC && o->url) {
        fputs("<br>", out);
        html_cstr(out, o->url);
    }
    if (o->kind == RESPLINT_INPUT_PCAP && (o->client || o->server)) {
        fputs("<br>", out);
        html_cstr(out, o->client ? o->client : "?");
        fputs(" \xe2\x86\x90 ", out);
        html_cstr(out, o->server ? o->server : "?");
    }
    if (o->kind == RESPLINT_INPUT_WARC && o->record_id) {
        fputs("<br>", out);
        html_cstr(out, o->record_id);
    }
    fprintf(out, "<br>response %zu", f->response_index);
    if (f->field_index >= 0)
        fprintf(out, ", field %ld", f->field_index);
    fputs("</td>", out);
}

static void html_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    html_state *st = r->state;
    begin_table(r);
    unsigned sev = (unsigned)f->severity & 3u;
    if (st->rule_sev && f->rule->index < resplint_rule_count() &&
        st->rule_sev[f->rule->index] < sev)
        st->rule_sev[f->rule->index] = (unsigned char)sev;
    note_host(st, o);
    FILE *out = r->out;
    if (st->row % PAGE_ROWS == 0)
        fputs(st->row ? "</tbody>\n<tbody>\n" : "<tbody>\n", out);
    st->row++;
    fprintf(out,
            "<tr data-rule=\"%s\" data-sev=\"%u\" data-input=\"%zu\">"
            "<td>%zu</td>"
            "<td class=\"sev s%u\"><span aria-hidden=\"true\">%s</span> %s</td>"
            "<td><a href=\"#rule-%s\">%s</a><br><span class=\"rn\">%s</span></td>"
            "<td>",
            f->rule->id, sev, r->totals.inputs ? r->totals.inputs - 1 : 0, st->row, sev,
            sev_mark[sev], sev_word[sev], f->rule->id, f->rule->id, f->rule->name);
    html_cstr(out, f->message);
    fputs("</td>", out);
    location(out, f, o);
    evidence(out, f, o);
    fputs("</tr>\n", out);
}

static void html_input_error(resplint_reporter *r, const char *path, int err, const char *msg)
{
    (void)path;
    (void)err;
    html_state *st = r->state;
    if (st->nerrors == MAX_ERRORS)
        return;
    size_t n = strlen(msg ? msg : "");
    char *copy = rlrep_malloc(n + 1);
    if (!copy)
        return;
    memcpy(copy, msg ? msg : "", n + 1);
    st->errors[st->nerrors++] = copy;
}

static void html_end_input(resplint_reporter *r, const resplint_capture_stats *stats)
{
    (void)stats;
    html_state *st = r->state;
    note_input(st, r->path, r->input_findings, r->totals.inputs - 1);
}

/* ---- charts ---- */

typedef struct bar {
    const char *label; /* shown beside the bar */
    const char *title; /* full text for the tooltip and the data table */
    size_t value;
    unsigned cls;      /* severity 1-3, or 4-8 for status classes 1xx-5xx, 0 neutral */
    char href[24];     /* "#rule-RLnnnn" or "" */
} bar;

static int bar_cmp(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? 1 : -1;
    return strcmp(x->title, y->title);
}

static const char *const cls_name[] = {"n", "s1", "s2", "s3", "c1", "c2", "c3", "c4", "c5", "c0"};

/* A horizontal bar chart as inline SVG, and the same numbers as a table for screen readers
 * and printouts. bars are drawn in the order given, at most TOP_BARS of them. */
static void chart(FILE *out, const char *id, const char *title, bar *bars, size_t n,
                  size_t more, const char *more_what)
{
    size_t shown = n > TOP_BARS ? TOP_BARS : n;
    size_t max = 1;
    for (size_t i = 0; i < shown; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    const unsigned rowh = 22, labelw = 330, barw = 360, width = labelw + barw + 90;
    unsigned height = (unsigned)shown * rowh + 8;
    fprintf(out, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
    html_cstr(out, title);
    fputs("</figcaption>\n", out);
    if (shown == 0) {
        fputs("<p>None.</p></figure>\n", out);
        return;
    }
    fprintf(out,
            "<svg role=\"img\" viewBox=\"0 0 %u %u\" "
            "aria-labelledby=\"%s-t\" preserveAspectRatio=\"xMinYMin meet\">"
            "<title id=\"%s-t\">",
            width, height, id, id);
    html_cstr(out, title);
    fputs("</title>\n", out);
    for (size_t i = 0; i < shown; i++) {
        const bar *b = &bars[i];
        unsigned y = 4 + (unsigned)i * rowh;
        unsigned w = (unsigned)((double)b->value / (double)max * barw);
        if (w < 2 && b->value)
            w = 2; /* a count of 1 among thousands still shows */
        if (b->href[0])
            fprintf(out, "<a href=\"%s\">", b->href);
        fputs("<g><title>", out);
        html_cstr(out, b->title);
        fprintf(out, ": %zu</title>", b->value);
        fprintf(out, "<text x=\"%u\" y=\"%u\" class=\"lbl\" text-anchor=\"end\">", labelw - 8,
                y + 15);
        html_cstr(out, b->label);
        fprintf(out, "</text><rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" class=\"%s\"/>",
                labelw, y + 2, w, rowh - 6, cls_name[b->cls]);
        fprintf(out, "<text x=\"%u\" y=\"%u\" class=\"val\">%zu</text></g>", labelw + w + 6,
                y + 15, b->value);
        if (b->href[0])
            fputs("</a>", out);
        fputc('\n', out);
    }
    fputs("</svg>\n", out);
    if (more)
        fprintf(out, "<p class=\"more\">and %zu more %s</p>\n", more + (n - shown), more_what);
    else if (n > shown)
        fprintf(out, "<p class=\"more\">and %zu more %s (see the table)</p>\n", n - shown,
                more_what);
    fputs("<details class=\"data\"><summary>The numbers as a table</summary><table><thead><tr>"
          "<th scope=\"col\">",
          out);
    html_cstr(out, title);
    fputs("</th><th scope=\"col\">Findings or responses</th></tr></thead><tbody>\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", out);
        html_cstr(out, bars[i].title);
        fprintf(out, "</td><td>%zu</td></tr>\n", bars[i].value);
    }
    fputs("</tbody></table></details></figure>\n", out);
}

static void summary_counts(resplint_reporter *r)
{
    const rlrep_totals *t = &r->totals;
    FILE *out = r->out;
    fprintf(out,
            "<dl class=\"counts\">"
            "<div class=\"s3\"><dt><span aria-hidden=\"true\">%s</span> errors</dt><dd>%zu</dd></div>"
            "<div class=\"s2\"><dt><span aria-hidden=\"true\">%s</span> warnings</dt><dd>%zu</dd></div>"
            "<div class=\"s1\"><dt><span aria-hidden=\"true\">%s</span> info</dt><dd>%zu</dd></div>"
            "<div><dt>findings</dt><dd>%zu</dd></div>"
            "<div><dt>responses</dt><dd>%zu</dd></div>"
            "<div><dt>inputs</dt><dd>%zu</dd></div>"
            "<div><dt>input errors</dt><dd>%zu</dd></div></dl>\n",
            sev_mark[3], t->by_severity[RESPLINT_ERROR], sev_mark[2],
            t->by_severity[RESPLINT_WARNING], sev_mark[1], t->by_severity[RESPLINT_INFO],
            t->findings, t->responses, t->inputs, t->errors);
    size_t failing = 0;
    for (int s = (int)r->opts.fail_on; s <= RESPLINT_ERROR && s > 0; s++)
        failing += t->by_severity[s];
    fprintf(out, "<p class=\"verdict %s\">%s: %zu finding%s at or above %s.</p>\n",
            failing ? "fail" : "pass", failing ? "Fails" : "Passes", failing,
            failing == 1 ? "" : "s", resplint_severity_name(r->opts.fail_on));
}

static void chart_severity(resplint_reporter *r)
{
    bar b[3];
    memset(b, 0, sizeof b);
    for (unsigned s = 3, i = 0; s >= 1; s--, i++) {
        b[i].label = b[i].title = s == 3 ? "error" : s == 2 ? "warning" : "info";
        b[i].value = r->totals.by_severity[s];
        b[i].cls = s;
    }
    chart(r->out, "c-sev", "Findings by severity", b, 3, 0, "");
}

static void chart_rules(resplint_reporter *r)
{
    html_state *st = r->state;
    size_t n = 0, count = resplint_rule_count();
    for (size_t i = 0; i < count; i++)
        if (r->stats->by_rule[i])
            n++;
    bar *b = rlrep_calloc(n ? n : 1, sizeof *b);
    char(*labels)[80] = rlrep_calloc(n ? n : 1, sizeof *labels);
    if (!b || !labels) {
        rlrep_free(b);
        rlrep_free(labels);
        fputs("<p>The per-rule chart could not be drawn: out of memory.</p>\n", r->out);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (!r->stats->by_rule[i])
            continue;
        const resplint_rule *ru = resplint_rule_at(i);
        unsigned sev = st->rule_sev ? st->rule_sev[i] : (unsigned)ru->severity;
        snprintf(labels[k], sizeof labels[k], "%s %s (%s)", ru->id, ru->name, sev_word[sev & 3]);
        b[k].label = b[k].title = labels[k];
        b[k].value = r->stats->by_rule[i];
        b[k].cls = sev & 3;
        snprintf(b[k].href, sizeof b[k].href, "#rule-%s", ru->id);
        k++;
    }
    qsort(b, n, sizeof *b, bar_cmp);
    chart(r->out, "c-rule", "Findings per rule", b, n, 0, "rules");
    rlrep_free(b);
    rlrep_free(labels);
}

static void chart_inputs(resplint_reporter *r)
{
    html_state *st = r->state;
    bar b[TOP_INPUTS];
    char labels[TOP_INPUTS][64];
    memset(b, 0, sizeof b);
    for (size_t i = 0; i < st->ntop; i++) {
        const char *p = st->top[i].path ? st->top[i].path : "?";
        size_t len = strlen(p);
        b[i].title = p;
        /* the end of a long path says most: "…" and its last 44 bytes, cut at a character */
        if (len > 44) {
            const char *tail = p + len - 44;
            while ((*tail & 0xc0) == 0x80)
                tail++;
            snprintf(labels[i], sizeof labels[i], "\xe2\x80\xa6%s", tail);
            b[i].label = labels[i];
        } else {
            b[i].label = p;
        }
        b[i].value = st->top[i].findings;
    }
    qsort(b, st->ntop, sizeof *b, bar_cmp);
    chart(r->out, "c-input", "Findings per input", b, st->ntop,
          st->inputs_with_findings - st->ntop, "inputs with findings");
}

static void chart_hosts(resplint_reporter *r)
{
    html_state *st = r->state;
    if (!st->host_findings)
        return;
    bar *b = rlrep_calloc(st->nhosts + 1, sizeof *b);
    if (!b)
        return;
    size_t n = 0;
    for (size_t i = 0; st->hosts && i < MAX_HOSTS; i++)
        if (st->hosts[i].name) {
            b[n].label = b[n].title = st->hosts[i].name;
            b[n].value = st->hosts[i].findings;
            n++;
        }
    if (st->other_host_findings) {
        b[n].label = b[n].title = "(hosts past the limit of the count)";
        b[n].value = st->other_host_findings;
        n++;
    }
    qsort(b, n, sizeof *b, bar_cmp);
    chart(r->out, "c-host", "Findings per host", b, n, 0, "hosts");
    rlrep_free(b);
}

static void chart_status(resplint_reporter *r)
{
    size_t n = 0;
    for (int c = 0; c < RLREP_STATUS_SLOTS; c++)
        if (r->stats->status[c])
            n++;
    bar *b = rlrep_calloc(n ? n : 1, sizeof *b);
    char(*labels)[64] = rlrep_calloc(n ? n : 1, sizeof *labels);
    if (!b || !labels) {
        rlrep_free(b);
        rlrep_free(labels);
        return;
    }
    size_t k = 0;
    for (int c = 0; c < RLREP_STATUS_SLOTS; c++) {
        if (!r->stats->status[c])
            continue;
        const char *reason = c < 1000 ? resplint_status_reason(c) : NULL;
        if (c == RLREP_STATUS_SLOTS - 1)
            snprintf(labels[k], sizeof labels[k], "other (not 0-999)");
        else
            snprintf(labels[k], sizeof labels[k], "%d %s", c, reason ? reason : "(unregistered)");
        b[k].label = b[k].title = labels[k];
        b[k].value = r->stats->status[c];
        b[k].cls = c >= 100 && c < 600 ? 3u + (unsigned)(c / 100) : 9u;
        k++;
    }
    chart(r->out, "c-status", "Responses per status code", b, n, 0, "status codes");
    rlrep_free(b);
    rlrep_free(labels);
}

/* ---- the end: summary, rule pages, script ---- */

static void rule_pages(resplint_reporter *r)
{
    FILE *out = r->out;
    fputs("<section id=\"rules\" aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rules that "
          "fired</h2>\n",
          out);
    bool any = false;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        if (!r->stats->by_rule[i])
            continue;
        any = true;
        const resplint_rule *ru = resplint_rule_at(i);
        fprintf(out,
                "<details class=\"rule\" id=\"rule-%s\"><summary><span class=\"sev s%u\">"
                "<span aria-hidden=\"true\">%s</span> %s</span> <strong>%s</strong> %s "
                "(%zu finding%s)</summary>\n<div class=\"doc\">\n",
                ru->id, (unsigned)ru->severity & 3u, sev_mark[ru->severity & 3],
                sev_word[ru->severity & 3], ru->id, ru->name, r->stats->by_rule[i],
                r->stats->by_rule[i] == 1 ? "" : "s");
        const char *page = r->opts.rule_doc ? r->opts.rule_doc(ru->id, r->opts.rule_doc_user)
                                            : NULL;
        if (page) {
            rlrep_markdown_html(out, page, 2, ru->id);
        } else {
            fputs("<p>", out);
            html_cstr(out, ru->summary);
            fputs("</p><p>Spec: ", out);
            html_cstr(out, ru->spec);
            fputs("</p>\n", out);
        }
        fputs("</div>\n</details>\n", out); /* on lines of their own: tests mask the page */
    }
    if (!any)
        fputs("<p>No rule fired.</p>\n", out);
    fputs("</section>\n", out);
}

static void html_finish(resplint_reporter *r)
{
    html_state *st = r->state;
    FILE *out = r->out;
    begin_table(r);
    fputs(st->row ? "</tbody></table></div>\n" : "</table></div>\n", out);
    if (r->totals.findings == 0)
        fputs("<p>No findings.</p>\n", out);
    fputs("</section>\n", out);

    /* after the table in the document, before it on the screen (CSS order) */
    fputs("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>\n",
          out);
    summary_counts(r);
    if (st->nerrors) {
        fputs("<h3>Inputs not read (in full)</h3><ul class=\"errors\">\n", out);
        for (size_t i = 0; i < st->nerrors; i++) {
            fputs("<li>", out);
            html_cstr(out, st->errors[i]);
            fputs("</li>\n", out);
        }
        if (r->totals.errors > st->nerrors)
            fprintf(out, "<li>and %zu more</li>\n", r->totals.errors - st->nerrors);
        fputs("</ul>\n", out);
    }
    fputs("<div class=\"charts\">\n", out);
    chart_severity(r);
    chart_rules(r);
    chart_inputs(r);
    chart_hosts(r);
    chart_status(r);
    fputs("</div>\n</section>\n", out);
    rule_pages(r);
    fputs("</main>\n<footer><p>resplint ", out);
    html_cstr(out, r->opts.tool_version);
    fputs("</p></footer>\n<script>\n", out);
    fputs(rlrep_html_js, out);
    fputs("</script>\n</body>\n</html>\n", out);
}

static void html_start(resplint_reporter *r)
{
    FILE *out = r->out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"resplint ",
          out);
    html_cstr(out, r->opts.tool_version);
    /* before any row: with scripts on, only the first page of rows is laid out while the
     * page loads (CSS: .js); with scripts off every row is shown */
    fputs("\">\n<title>resplint report</title>\n"
          "<script>document.documentElement.className = \"js\";</script>\n<style>\n",
          out);
    fputs(rlrep_html_css, out);
    fputs("</style>\n</head>\n<body>\n<header><h1>resplint report</h1>\n"
          "<nav aria-label=\"Sections\"><a href=\"#summary\">Summary</a> "
          "<a href=\"#findings\">Findings</a> <a href=\"#rules\">Rules</a></nav></header>\n"
          "<main>\n",
          out);
}

static void html_free(resplint_reporter *r)
{
    html_state *st = r->state;
    if (!st)
        return;
    rlrep_free(st->rule_sev);
    for (size_t i = 0; i < st->ntop; i++)
        rlrep_free(st->top[i].path);
    for (size_t i = 0; st->hosts && i < MAX_HOSTS; i++)
        rlrep_free(st->hosts[i].name);
    rlrep_free(st->hosts);
    for (size_t i = 0; i < st->nerrors; i++)
        rlrep_free(st->errors[i]);
    rlrep_free(st);
    r->state = NULL;
}

static int html_init(resplint_reporter *r)
{
    html_state *st = rlrep_calloc(1, sizeof *st);
    if (!st)
        return RESPLINT_ENOMEM;
    r->state = st;
    st->rule_sev = rlrep_calloc(resplint_rule_count() + 1, 1);
    if (!st->rule_sev)
        return RESPLINT_ENOMEM;
    html_start(r);
    return 0;
}

const rlrep_ops rlrep_html_ops = {
    .init = html_init,
    .begin_input = html_begin_input,
    .finding = html_finding,
    .input_error = html_input_error,
    .end_input = html_end_input,
    .finish = html_finish,
    .free = html_free,
};
