/* sarif: SARIF 2.1.0 for GitHub code scanning. One run; the rule catalogue as tool.driver.rules;
 * results streamed as findings arrive; input errors kept until the end and written as
 * invocations[].toolExecutionNotifications, so a run with unreadable inputs is still valid. */
#define _POSIX_C_SOURCE 200809L
#include "reporter.h"
#include "rlrep_alloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct sarif_state {
    bool started;
    size_t results;
    char *notes; /* toolExecutionNotifications, comma-separated JSON objects */
    size_t notes_len;
    FILE *notes_out; /* open_memstream over notes */
    size_t nnotes;
} sarif_state;

static sarif_state *state(resplint_reporter *r)
{
    if (!r->state)
        r->state = rlrep_calloc(1, sizeof(sarif_state));
    return r->state;
}

/* A relative path stays relative to %SRCROOT% (GitHub resolves it against the repository);
 * an absolute one becomes a file: URI. Bytes outside RFC 3986 unreserved and '/' are
 * percent-encoded. */
static void artifact_location(FILE *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path);
    char small[512];
    char *norm = len < sizeof small ? small : rlrep_malloc(len + 1);
    if (norm)
        rlrep_path_normalise(path, norm);
    const char *s = norm ? norm : path;
    bool abs = s[0] == '/';
    fputs("{\"uri\":\"", out);
    if (abs)
        fputs("file://", out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            putc(c, out);
        else
            fprintf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
    putc('"', out);
    if (!abs)
        fputs(",\"uriBaseId\":\"%SRCROOT%\"", out);
    putc('}', out);
    if (norm != small)
        rlrep_free(norm);
}

static void rule_descriptor(resplint_reporter *r, FILE *out, const resplint_rule *ru)
{
    const char *doc = r->opts.rule_doc ? r->opts.rule_doc(ru->id, r->opts.rule_doc_user) : NULL;
    fprintf(out, "{\"id\":\"%s\",\"name\":", ru->id);
    rlrep_json_cstr(out, ru->name);
    fputs(",\"shortDescription\":{\"text\":", out);
    rlrep_json_cstr(out, ru->summary);
    fputs("},\"fullDescription\":{\"text\":", out);
    char full[512];
    snprintf(full, sizeof full, "%s (%s).", ru->summary, ru->spec);
    rlrep_json_cstr(out, full);
    fputs("},\"help\":{\"text\":", out);
    if (doc) {
        rlrep_json_cstr(out, doc);
        fputs(",\"markdown\":", out);
        rlrep_json_cstr(out, doc);
    } else {
        rlrep_json_cstr(out, full);
    }
    putc('}', out);
    if (r->opts.help_uri_base) {
        fputs(",\"helpUri\":", out);
        char uri[1024];
        snprintf(uri, sizeof uri, "%s%s.md", r->opts.help_uri_base, ru->id);
        rlrep_json_cstr(out, uri);
    }
    fprintf(out, ",\"defaultConfiguration\":{\"level\":\"%s\",\"enabled\":%s}",
            rlrep_sarif_level(ru->severity),
            (ru->flags & RESPLINT_RULE_OFF_BY_DEFAULT) ? "false" : "true");
    fputs(",\"properties\":{\"tags\":[\"http\"],\"spec\":", out);
    rlrep_json_cstr(out, ru->spec);
    fputs("}}", out);
}

static void start(resplint_reporter *r)
{
    sarif_state *s = state(r);
    if (!s || s->started)
        return;
    s->started = true;
    FILE *out = r->out;
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
          "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"resplint\",\"version\":",
          out);
    rlrep_json_cstr(out, r->opts.tool_version);
    fputs(",\"semanticVersion\":", out);
    rlrep_json_cstr(out, r->opts.tool_version);
    if (r->opts.help_uri_base) {
        fputs(",\"informationUri\":", out);
        rlrep_json_cstr(out, r->opts.help_uri_base);
    }
    fputs(",\"rules\":[", out);
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        if (i)
            fputs(",\n", out);
        rule_descriptor(r, out, resplint_rule_at(i));
    }
    fputs("]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[", out);
}

static void sarif_begin_input(resplint_reporter *r, const char *path, resplint_input_kind kind)
{
    (void)path;
    (void)kind;
    start(r);
}

static void logical_location(FILE *out, const resplint_finding *f, const resplint_origin *o)
{
    char name[256];
    const char *kind = "object";
    switch (resplint_input_kind_is_recording(o->kind) ? RESPLINT_INPUT_HAR : o->kind) {
    case RESPLINT_INPUT_HAR:
        snprintf(name, sizeof name, "entries[%ld]", o->har_entry);
        break;
    case RESPLINT_INPUT_PCAP:
        snprintf(name, sizeof name, "frame %llu / tcp.stream %ld", (unsigned long long)o->frame,
                 o->tcp_stream);
        kind = "resource";
        break;
    case RESPLINT_INPUT_WARC:
        if (o->record_id)
            snprintf(name, sizeof name, "record %s", o->record_id);
        else
            snprintf(name, sizeof name, "record at %llu", (unsigned long long)o->record_offset);
        kind = "resource";
        break;
    default:
        snprintf(name, sizeof name, "response %zu", f->response_index);
        break;
    }
    fputs("\"logicalLocations\":[{\"name\":", out);
    rlrep_json_cstr(out, name);
    fputs(",\"fullyQualifiedName\":", out);
    rlrep_json_cstr(out, o->json_pointer ? o->json_pointer : name);
    fprintf(out, ",\"kind\":\"%s\"}]", kind);
}

static void sarif_finding(resplint_reporter *r, const resplint_finding *f, const resplint_origin *o)
{
    sarif_state *s = state(r);
    start(r);
    FILE *out = r->out;
    if (s && s->results++)
        fputs(",\n", out);
    fprintf(out, "{\"ruleId\":\"%s\",\"ruleIndex\":%u,\"level\":\"%s\",\"message\":{\"text\":",
            f->rule->id, f->rule->index, rlrep_sarif_level(f->severity));
    if (o->kind == RESPLINT_INPUT_PCAP || o->kind == RESPLINT_INPUT_WARC) {
        /* A byte region cannot say which frame or record a person should open: the message
         * does, as the text report writes it. */
        char where[256];
        resplint_origin_describe(o, where, sizeof where);
        size_t ml = strlen(f->message), wl = strlen(where);
        char small[1024];
        char *m = ml + wl + 4 <= sizeof small ? small : rlrep_malloc(ml + wl + 4);
        if (m) {
            memcpy(m, f->message, ml);
            memcpy(m + ml, " (", 2);
            memcpy(m + ml + 2, where, wl);
            memcpy(m + ml + 2 + wl, ")", 2);
            rlrep_json_cstr(out, m);
            if (m != small)
                rlrep_free(m);
        } else {
            rlrep_json_cstr(out, f->message);
        }
    } else {
        rlrep_json_cstr(out, f->message);
    }
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":", out);
    artifact_location(out, o->path);
    /* Text files get lines (what GitHub shows); binary files get byte regions of the file:
     * a pcap frame's record, a WARC block's bytes or the gzip member of its record. */
    uint64_t at = o->offset, len = o->length;
    if (o->kind == RESPLINT_INPUT_PCAP || o->kind == RESPLINT_INPUT_WARC) {
        at = o->file_offset;
        len = o->file_length;
        if (at == RESPLINT_NO_OFFSET && o->kind == RESPLINT_INPUT_WARC) {
            at = o->record_offset; /* no place in the record: the record itself */
            len = 0;
        }
        if (at == RESPLINT_NO_OFFSET)
            at = 0; /* a gzip'd capture has no frame offsets: the file, and the message's frame */
    }
    if (o->line) {
        fprintf(out, ",\"region\":{\"startLine\":%u", o->line);
        if (o->column)
            fprintf(out, ",\"startColumn\":%u", o->column);
        putc('}', out);
    } else if (at != RESPLINT_NO_OFFSET) {
        fprintf(out, ",\"region\":{\"byteOffset\":%llu", (unsigned long long)at);
        if (len)
            fprintf(out, ",\"byteLength\":%llu", (unsigned long long)len);
        putc('}', out);
    }
    fputs("},", out);
    logical_location(out, f, o);
    char fp[RESPLINT_FINGERPRINT_LEN];
    fprintf(out, "}],\"partialFingerprints\":{\"resplintFingerprint/v1\":\"%s\"}",
            resplint_finding_fingerprint(f, o, fp));
    fprintf(out, ",\"properties\":{\"response\":%zu", f->response_index);
    if (o->url) {
        fputs(",\"url\":", out);
        rlrep_json_cstr(out, o->url);
    }
    fputs("}}", out);
}

static void sarif_input_error(resplint_reporter *r, const char *path, int err, const char *message)
{
    sarif_state *s = state(r);
    if (!s)
        return;
    if (!s->notes_out)
        s->notes_out = open_memstream(&s->notes, &s->notes_len);
    FILE *n = s->notes_out;
    if (!n)
        return;
    if (s->nnotes++)
        fputs(",\n", n);
    fputs("{\"level\":\"error\",\"message\":{\"text\":", n);
    rlrep_json_cstr(n, message && *message ? message : resplint_strerror(err));
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":", n);
    artifact_location(n, path ? path : "-");
    fprintf(n, "}}],\"descriptor\":{\"id\":\"%s\"}}", resplint_err_name(err ? err : RESPLINT_EIO));
}

static void sarif_finish(resplint_reporter *r)
{
    sarif_state *s = state(r);
    start(r);
    FILE *out = r->out;
    fprintf(out, "],\"invocations\":[{\"executionSuccessful\":%s,\"toolExecutionNotifications\":[",
            r->totals.errors ? "false" : "true");
    if (s && s->notes_out) {
        fclose(s->notes_out);
        s->notes_out = NULL;
        if (s->notes)
            fwrite(s->notes, 1, s->notes_len, out);
    }
    fputs("]}]}]}\n", out);
}

static void sarif_free(resplint_reporter *r)
{
    sarif_state *s = r->state;
    if (!s)
        return;
    if (s->notes_out)
        fclose(s->notes_out);
    free(s->notes); /* open_memstream's buffer: libc's */
    rlrep_free(s);
    r->state = NULL;
}

const rlrep_ops rlrep_sarif_ops = {
    .begin_input = sarif_begin_input,
    .finding = sarif_finding,
    .input_error = sarif_input_error,
    .finish = sarif_finish,
    .free = sarif_free,
};
