/* What every report format shares: the place of a finding in words, fingerprints, JSON and
 * XML text, the statistics blocks. The formats and the dispatcher (report.c) call this file;
 * it calls neither. */
#include "reporter.h"
#include "rlrep_alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes a string literal (no strlen). */
#define PUT(out, lit) fwrite(lit, 1, sizeof lit - 1, out)

/* Writes v in decimal at p (room for 20 digits); returns the digits written. */
static size_t decimal(char *p, unsigned long long v)
{
    char d[20];
    size_t n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = d[n - 1 - i];
    return n;
}

void rlrep_put_u64(FILE *out, unsigned long long v)
{
    char d[20];
    fwrite(d, 1, decimal(d, v), out);
}

void rlrep_put_i64(FILE *out, long long v)
{
    if (v < 0)
        putc('-', out);
    rlrep_put_u64(out, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
}

const char *resplint_origin_describe(const resplint_origin *o, char *buf, size_t len)
{
    /* recordings are located like HAR: entry index, pointer, line when the format has lines */
    switch (resplint_input_kind_is_recording(o->kind) ? RESPLINT_INPUT_HAR : o->kind) {
    case RESPLINT_INPUT_HAR:
        if (o->line && o->json_pointer)
            snprintf(buf, len, "%u:%u: entry %ld (%s)", o->line, o->column, o->har_entry,
                     o->json_pointer);
        else if (o->json_pointer)
            snprintf(buf, len, "entry %ld (%s)", o->har_entry, o->json_pointer);
        else
            snprintf(buf, len, "entry %ld", o->har_entry);
        break;
    case RESPLINT_INPUT_PCAP:
        if (o->tcp_stream >= 0 && o->h2_stream >= 0)
            snprintf(buf, len, "frame %llu, tcp.stream %ld, h2 stream %ld",
                     (unsigned long long)o->frame, o->tcp_stream, o->h2_stream);
        else if (o->tcp_stream >= 0)
            snprintf(buf, len, "frame %llu, tcp.stream %ld", (unsigned long long)o->frame,
                     o->tcp_stream);
        else /* a frame outside any TCP connection (an IP fragment, a cut file) */
            snprintf(buf, len, "frame %llu", (unsigned long long)o->frame);
        break;
    case RESPLINT_INPUT_WARC: {
        /* record offset (what a CDX index gives), then the evidence's offset in the record's
         * block, then the target URI */
        int n = snprintf(buf, len, "record at %llu", (unsigned long long)o->record_offset);
        if (n > 0 && (size_t)n < len && o->offset != RESPLINT_NO_OFFSET)
            n += snprintf(buf + n, len - (size_t)n, ", block offset %llu",
                          (unsigned long long)o->offset);
        if (n > 0 && (size_t)n < len && o->url)
            snprintf(buf + n, len - (size_t)n, " (%s)", o->url);
        break;
    }
    default:
        if (o->line && len >= 2 * 10 + 2) { /* "line:column", the common case: no snprintf */
            size_t n = decimal(buf, o->line);
            buf[n++] = ':';
            n += decimal(buf + n, o->column);
            buf[n] = '\0';
        } else if (o->line)
            snprintf(buf, len, "%u:%u", o->line, o->column);
        else if (o->offset != RESPLINT_NO_OFFSET)
            snprintf(buf, len, "%llu", (unsigned long long)o->offset);
        else
            snprintf(buf, len, "response %zu", o->response_index);
        break;
    }
    return buf;
}

/* The bytes a JSON string holds as they are, a bit each: printable ASCII (0x20-0x7e) but '"'
 * (0x22) and '\\' (0x5c). */
static const uint64_t json_plain[4] = {0xfffffffb00000000u, 0x7fffffffefffffffu, 0, 0};

void rlrep_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    size_t run = 0; /* start of the bytes written as they are, not yet written */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (json_plain[c >> 6] >> (c & 63) & 1)
            continue;
        size_t n = c >= 0x80 ? rlint_utf8_len(p + i, len - i) : 0;
        if (n) { /* valid UTF-8 passes through */
            i += n - 1;
            continue;
        }
        fwrite(p + run, 1, i - run, out);
        run = i + 1;
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
        } else {
            fputs("\\ufffd", out); /* not UTF-8 */
        }
    }
    fwrite(p + run, 1, len - run, out);
    putc('"', out);
}

void rlrep_json_cstr(FILE *out, const char *s)
{
    if (!s)
        fputs("null", out);
    else
        rlrep_json_string(out, s, strlen(s));
}

/* FNV-1a, 64 bits: stable across platforms and runs, which is all a fingerprint needs. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    h = s ? fnv(h, s, strlen(s)) : h;
    return fnv(h, "", 1); /* the NUL separates fields: "ab","c" differs from "a","bc" */
}

static uint64_t fnv_num(uint64_t h, unsigned long long v)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", v);
    return fnv_str(h, num);
}

/* Removes "." and ".." segments from a path, as a URI wants them (RFC 3986 §5.2.4): on the
 * text alone, since the library reads no file system. A ".." that climbs above the start of
 * a relative path stays. Writes at most strlen(path) + 1 bytes into out. */
void rlrep_path_normalise(const char *path, char *out)
{
    bool abs = path[0] == '/';
    size_t n = 0;
    if (abs)
        out[n++] = '/';
    size_t floor = n; /* what ".." may not remove: the root, or leading ".." segments */
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - seg);
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (n > floor) {
                while (n > floor && out[n - 1] != '/')
                    n--;
                if (n > floor)
                    n--;
                continue;
            }
            if (abs)
                continue; /* "/.." is "/" */
        }
        if (n > 0 && out[n - 1] != '/')
            out[n++] = '/';
        memcpy(out + n, seg, len);
        n += len;
        if (len == 2 && seg[0] == '.' && seg[1] == '.')
            floor = n;
    }
    if (n == 0)
        out[n++] = '.';
    out[n] = '\0';
}

const char *resplint_finding_fingerprint(const resplint_finding *f, const resplint_origin *o,
                                         char *buf)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv_str(h, f->rule ? f->rule->id : "");
    /* "recordings/a.har", "./recordings/a.har" and "recordings//a.har" are one file */
    const char *path = o && o->path ? o->path : "";
    size_t plen = strlen(path);
    char small[512];
    char *norm = plen < sizeof small ? small : rlrep_malloc(plen + 1);
    if (norm)
        rlrep_path_normalise(path, norm);
    h = fnv_str(h, norm ? norm : path);
    if (norm && norm != small)
        rlrep_free(norm);
    if (o) {
        h = fnv_num(h, (unsigned long long)o->har_entry + 1);
        h = fnv_num(h, (unsigned long long)o->tcp_stream + 1);
        h = fnv_str(h, o->record_id);
        h = fnv_str(h, o->url);
    }
    h = fnv_num(h, f->response_index);
    h = fnv_num(h, (unsigned long long)f->field_index + 1);
    snprintf(buf, RESPLINT_FINGERPRINT_LEN, "%016llx", (unsigned long long)h);
    return buf;
}

const char *rlrep_place_fingerprint(const resplint_finding *f, const resplint_origin *o,
                                    char *buf)
{
    char base[RESPLINT_FINGERPRINT_LEN];
    uint64_t h = fnv_str(0xcbf29ce484222325ull, resplint_finding_fingerprint(f, o, base));
    if (o) {
        h = fnv_num(h, (unsigned long long)o->offset);
        h = fnv_num(h, (unsigned long long)o->frame);
        h = fnv_num(h, (unsigned long long)o->record_offset);
        h = fnv_num(h, o->line);
        h = fnv_num(h, o->column);
    }
    h = fnv_num(h, (unsigned long long)f->offset);
    h = fnv_str(h, f->message);
    snprintf(buf, RESPLINT_FINGERPRINT_LEN, "%016llx", (unsigned long long)h);
    return buf;
}

const char *rlrep_sarif_level(resplint_severity sev)
{
    return sev == RESPLINT_ERROR ? "error" : sev == RESPLINT_WARNING ? "warning" : "note";
}

void rlrep_json_stats(FILE *out, const rlrep_stats *st)
{
    fputs("{\"status\":{", out);
    bool first = true;
    for (int c = 0; c < RLREP_STATUS_SLOTS; c++) {
        if (!st->status[c])
            continue;
        if (c == RLREP_STATUS_SLOTS - 1)
            fprintf(out, "%s\"other\":%zu", first ? "" : ",", st->status[c]);
        else
            fprintf(out, "%s\"%d\":%zu", first ? "" : ",", c, st->status[c]);
        first = false;
    }
    fputs("},\"rules\":{", out);
    first = true;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        if (!st->by_rule[i])
            continue;
        fprintf(out, "%s\"%s\":%zu", first ? "" : ",", resplint_rule_at(i)->id, st->by_rule[i]);
        first = false;
    }
    fputs("}}", out);
}

void rlrep_text_stats(FILE *out, const rlrep_stats *st)
{
    fputs("\nResponses per status code:\n", out);
    bool any = false;
    for (int c = 0; c < RLREP_STATUS_SLOTS; c++) {
        if (!st->status[c])
            continue;
        const char *reason = c < 1000 ? resplint_status_reason(c) : NULL;
        if (c == RLREP_STATUS_SLOTS - 1)
            fprintf(out, "  %-5s %10zu  %s\n", "other", st->status[c], "(not 0-999)");
        else
            fprintf(out, "  %-5d %10zu  %s\n", c, st->status[c],
                    reason ? reason : "(unregistered)");
        any = true;
    }
    if (!any)
        fputs("  (none)\n", out);
    fputs("Findings per rule:\n", out);
    any = false;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        if (!st->by_rule[i])
            continue;
        const resplint_rule *ru = resplint_rule_at(i);
        fprintf(out, "  %-7s %10zu  %s\n", ru->id, st->by_rule[i], ru->name);
        any = true;
    }
    if (!any)
        fputs("  (none)\n", out);
}

void rlrep_xml_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        switch (c) {
        case '&':
            fputs("&amp;", out);
            continue;
        case '<':
            fputs("&lt;", out);
            continue;
        case '>':
            fputs("&gt;", out);
            continue;
        case '"':
            fputs("&quot;", out);
            continue;
        case '\'':
            fputs("&apos;", out);
            continue;
        case '\n':
            fputs("&#10;", out);
            continue;
        case '\r':
            fputs("&#13;", out);
            continue;
        case '\t':
            fputs("&#9;", out);
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            fputs("\xef\xbf\xbd", out);
        } else if (c < 0x80) {
            putc(c, out);
        } else {
            size_t n = rlint_utf8_len(p + i, len - i);
            /* XML 1.0 has no U+FFFE and U+FFFF (EF BF BE, EF BF BF) */
            if (n == 3 && p[i] == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe)
                n = 0;
            if (n) {
                fwrite(p + i, 1, n, out);
                i += n - 1;
            } else {
                fputs("\xef\xbf\xbd", out);
            }
        }
    }
}

static void json_origin(FILE *out, const resplint_origin *o)
{
    if (o->offset != RESPLINT_NO_OFFSET) {
        PUT(out, ",\"offset\":");
        rlrep_put_u64(out, o->offset);
        PUT(out, ",\"length\":");
        rlrep_put_u64(out, o->length);
    }
    if (o->line) {
        PUT(out, ",\"line\":");
        rlrep_put_u64(out, o->line);
        PUT(out, ",\"column\":");
        rlrep_put_u64(out, o->column);
    }
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
    if (o->h2_stream >= 0)
        fprintf(out, ",\"h2_stream\":%ld", o->h2_stream);
    if (o->client) {
        fputs(",\"client\":", out);
        rlrep_json_cstr(out, o->client);
    }
    if (o->server) {
        fputs(",\"server\":", out);
        rlrep_json_cstr(out, o->server);
    }
    if (o->record_offset != RESPLINT_NO_OFFSET)
        fprintf(out, ",\"record_offset\":%llu", (unsigned long long)o->record_offset);
    if (o->record_id) {
        fputs(",\"record_id\":", out);
        rlrep_json_cstr(out, o->record_id);
    }
}

void rlrep_json_finding_members(FILE *out, const resplint_finding *f, const resplint_origin *o)
{
    /* ids, names and severity names are the catalogue's: nothing to escape */
    PUT(out, "\"rule\":\"");
    fputs(f->rule->id, out);
    PUT(out, "\",\"name\":\"");
    fputs(f->rule->name, out);
    PUT(out, "\",\"severity\":\"");
    fputs(resplint_severity_name(f->severity), out);
    PUT(out, "\",\"default_severity\":\"");
    fputs(resplint_severity_name(f->rule->severity), out);
    PUT(out, "\",\"message\":");
    rlrep_json_cstr(out, f->message);
    PUT(out, ",\"spec\":");
    rlrep_json_cstr(out, f->rule->spec);
    PUT(out, ",\"response\":");
    rlrep_put_u64(out, o->response_index);
    if (f->field_index >= 0) {
        PUT(out, ",\"field\":");
        rlrep_put_i64(out, f->field_index);
    }
    json_origin(out, o);
}

void rlrep_json_summary_members(FILE *out, const resplint_reporter *r)
{
    const rlrep_totals *t = &r->totals;
    fprintf(out,
            "\"inputs\":%zu,\"responses\":%zu,\"findings\":%zu,\"errors\":%zu,\"warnings\":%zu,"
            "\"info\":%zu,\"input_errors\":%zu",
            t->inputs, t->responses, t->findings, t->by_severity[RESPLINT_ERROR],
            t->by_severity[RESPLINT_WARNING], t->by_severity[RESPLINT_INFO], t->errors);
}

void rlrep_html_text(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        switch (c) {
        case '&':
            fputs("&amp;", out);
            continue;
        case '<':
            fputs("&lt;", out);
            continue;
        case '>':
            fputs("&gt;", out);
            continue;
        case '"':
            fputs("&quot;", out);
            continue;
        case '\'':
            fputs("&#39;", out);
            continue;
        case '\n':
        case '\t':
            putc(c, out);
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            fputs("\xef\xbf\xbd", out);
        } else if (c < 0x80) {
            putc(c, out);
        } else {
            size_t n = rlint_utf8_len(p + i, len - i);
            if (n) {
                fwrite(p + i, 1, n, out);
                i += n - 1;
            } else {
                fputs("\xef\xbf\xbd", out);
            }
        }
    }
}
