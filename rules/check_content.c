/* RL7001-RL7009: Content-Type, charset and Content-Encoding in the head, and what the body
 * pipeline (resplint/body.h) found in the body: codings that do not decode, text that is not
 * UTF-8, JSON that is not JSON, a binary signature under the wrong type. Body rules read only
 * a "checkable body" (RULES.md): content that is all there, on a final response that is not
 * 206, 204, 304 or an answer to HEAD. */
#include "internal.h"

#include "resplint/body.h"

#include <stdio.h>
#include <string.h>

/* "has content" (RULES.md): a final response, not 204 or 304, not answering HEAD, with at
 * least one body byte (HAR: its sizes stand in). */
static bool has_content(const rlint_ctx *c)
{
    const resplint_response *r = c->resp;
    if (r->status < 200 || r->status == 204 || r->status == 304)
        return false;
    /* a 205 cannot have content either: RL2010 reports its body */
    if (r->status == 205)
        return false;
    if (r->method && rlint_ieq(r->method, r->method_len, "head"))
        return false;
    /* "Never for ... Content-Length: 0" (RULES.md): on HAR the recorded sizes may say
     * otherwise (Chrome's bodySize of a 301 with Content-Length: 0 is 13) */
    long cl = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1);
    if (cl >= 0) {
        uint64_t v;
        const resplint_field *f = &c->resp->fields[cl];
        if (rlint_parse_u64(f->value, f->value_len, &v) && v == 0)
            return false;
    }
    return r->body_length > 0;
}

/* The pipeline's job before any of the tests of checkable(): a rule whose result there is not
 * BAD (or has no signature) returns at once, without them. */
static const resplint_body_job *job_of(const rlint_ctx *c)
{
    return c->raw ? c->raw->body : NULL;
}

/* The pipeline's results for a checkable body, or NULL: all of the content is there (the body
 * ended where its framing said: not RL3007, not cut by a gap), and there is some. 206 never
 * gets decoded stages (rlint_body_plan). */
static const resplint_body_job *checkable(const rlint_ctx *c)
{
    const rlint_raw *raw = c->raw;
    if (!raw || !raw->body || !raw->body->complete || raw->truncated || raw->body_error)
        return NULL;
    if (raw->body_kind == RLINT_BODY_UNKNOWN || raw->body->content_bytes == 0)
        return NULL;
    /* the stored body is not the one the server sent: an archiver de-chunked or decoded it, a
     * recorder cut it (provenance) */
    if (c->body_unknown || rlint_stored_short(c) || (c->prov & RESPLINT_PROV_BODY_DECODED))
        return NULL;
    if (!has_content(c))
        return NULL;
    return raw->body;
}

static uint64_t body_offset(const rlint_ctx *c) { return c->resp->offset + c->raw->head_len; }

static const char *coding_name(resplint_coding k)
{
    switch (k) {
    case RESPLINT_CODING_GZIP:
        return "gzip";
    case RESPLINT_CODING_DEFLATE:
        return "deflate";
    case RESPLINT_CODING_BR:
        return "br";
    case RESPLINT_CODING_ZSTD:
        return "zstd";
    }
    return "?";
}

/* ---- RL7001 ---- */

void rlint_check_content_type_missing(rlint_ctx *c)
{
    if (!rlint_absent(c, RLINT_F_CONTENT_TYPE) || !has_content(c))
        return;
    /* a structured response with no fields at all: the recorder kept no head (HAR entries
     * served from a browser's cache), so nothing can be said about a missing field */
    if (!c->raw && c->resp->field_count == 0)
        return;
    rlint_emit_status(c, RLINT_RL7001,
                      "%d response with %lld bytes of content and no Content-Type; RFC 9110 "
                      "§8.3: \"A sender that generates a message containing content SHOULD "
                      "generate a Content-Type header field\" (recipients are left to sniff)",
                      c->resp->status, (long long)c->resp->body_length);
}

/* ---- RL7002, RL7003 ---- */

/* The first Content-Type line, read once per response for all the content rules. */
static void first_media(rlint_ctx *c)
{
    if (c->lazy & RLINT_LAZY_MEDIA)
        return;
    c->lazy |= RLINT_LAZY_MEDIA;
    c->media_line = c->first[RLINT_F_CONTENT_TYPE];
    c->media_ok = false;
    if (c->media_line >= 0) {
        const char *s, *why;
        size_t n, at;
        rlint_field_trimmed(&c->resp->fields[c->media_line], &s, &n);
        /* the body plan read the same value already (raw input with body stages) */
        const rlint_raw *r = c->raw;
        if (r && r->media_known && r->media_line == c->media_line && r->media_text == s &&
            r->media_text_len == n) {
            c->media_ok = r->media_ok;
            c->media = r->media;
            return;
        }
        c->media_ok = rlint_media_type(s, n, &c->media, &why, &at);
    }
}

void rlint_check_content_type_invalid(rlint_ctx *c)
{
    first_media(c);
    for (long i = c->media_line; i >= 0; i = c->count[RLINT_F_CONTENT_TYPE] > 1
                                                 ? rlint_next(c, RLINT_F_CONTENT_TYPE, i)
                                                 : -1) {
        if (i == c->media_line && c->media_ok)
            continue;
        const char *s, *why;
        size_t n, at;
        rlint_media m;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        if (rlint_media_type(s, n, &m, &why, &at) || !rlint_value_clean(c, s, n))
            continue;
        /* a recorder that joined repeated lines made "text/plain, text/html" of two: the
         * repetition is RL4007's business, and the recorder lost it */
        if ((c->prov & RESPLINT_PROV_FIELDS_MERGED) && memchr(s, ',', n))
            continue;
        char q[160];
        rlint_quote(q, sizeof q, s, n, 80);
        rlint_emit_field(c, RLINT_RL7002, (size_t)i,
                         "Content-Type \"%s\" is not a media type: %s at character %zu; RFC 9110 "
                         "§8.3.1: media-type = type \"/\" subtype parameters, and §5.6.6: "
                         "parameter = token \"=\" ( token / quoted-string )",
                         q, why, at + 1);
    }
}

/* The first valid Content-Type, or -1. */
static long media_of(rlint_ctx *c, rlint_media *m)
{
    first_media(c);
    if (c->media_line < 0)
        return -1;
    if (c->media_ok) {
        *m = c->media;
        return c->media_line;
    }
    for (long i = rlint_next(c, RLINT_F_CONTENT_TYPE, c->media_line); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_TYPE, i)) {
        const char *s, *why;
        size_t n, at;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        if (rlint_media_type(s, n, m, &why, &at))
            return i;
    }
    return -1;
}

void rlint_check_charset_invalid(rlint_ctx *c)
{
    rlint_media m;
    long i = media_of(c, &m);
    if (i < 0 || !m.charset)
        return;
    /* T38: labels of the Encoding Standard (utf8, latin1, Shift_JIS, windows-1251) and the
     * IANA registry's names and aliases are fine; nothing is guessed from the body (T39) */
    if (m.charset_len && rlint_charset_known(m.charset, m.charset_len))
        return;
    char q[100];
    rlint_quote(q, sizeof q, m.charset, m.charset_len, 40);
    rlint_emit_field(c, RLINT_RL7003, (size_t)i,
                     m.charset_len ? "charset \"%s\" names no character encoding (neither a "
                                     "WHATWG Encoding label nor an IANA charset name or alias); "
                                     "RFC 9110 §8.3.2: charset names a registered charset, and "
                                     "browsers fall back to a default or guess"
                                   : "an empty charset%s; RFC 9110 §8.3.2: charset names a "
                                     "registered charset",
                     q);
}

/* ---- RL7004, RL7005 ---- */

void rlint_check_content_encoding_invalid(rlint_ctx *c)
{
    for (long i = rlint_next(c, RLINT_F_CONTENT_ENCODING, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_ENCODING, i)) {
        const resplint_field *f = &c->resp->fields[i];
        if (!rlint_value_clean(c, f->value, f->value_len))
            continue;
        const char *p = f->value, *end = f->value + f->value_len, *e;
        size_t el;
        while (rlint_list_next(&p, end, &e, &el)) {
            char q[100];
            rlint_quote(q, sizeof q, e, el, 40);
            rlint_coding k = rlint_coding_of(e, el);
            if (k == RLINT_CODING_IDENTITY)
                rlint_emit_field(c, RLINT_RL7004, (size_t)i,
                                 "Content-Encoding lists \"%s\"; RFC 9110 §8.4: \"the coding "
                                 "named \"identity\" is reserved for its special role in "
                                 "Accept-Encoding and thus SHOULD NOT be included\"",
                                 q);
            else if (k == RLINT_CODING_UNKNOWN)
                rlint_emit_field(c, RLINT_RL7004, (size_t)i,
                                 "Content-Encoding \"%s\" is %s; RFC 9110 §8.4.1: content codings "
                                 "are registered in the HTTP Content Coding registry (§16.6.1), "
                                 "and a recipient cannot undo an unknown one",
                                 q, rlint_is_token(e, el) ? "not a registered content coding"
                                                     : "not a token");
        }
    }
}

void rlint_check_content_encoding_repeated(rlint_ctx *c)
{
    /* the codings across every line, x-gzip as gzip, x-compress as compress */
    char names[RESPLINT_BODY_MAX_CODINGS * 2][16];
    size_t nn = 0;
    long where = -1;
    const char *dup = NULL;
    for (long i = rlint_next(c, RLINT_F_CONTENT_ENCODING, -1); i >= 0 && !dup;
         i = rlint_next(c, RLINT_F_CONTENT_ENCODING, i)) {
        const resplint_field *f = &c->resp->fields[i];
        const char *p = f->value, *end = f->value + f->value_len, *e;
        size_t el;
        while (rlint_list_next(&p, end, &e, &el) && !dup) {
            if (el == 0 || el >= 16 || rlint_coding_of(e, el) == RLINT_CODING_IDENTITY)
                continue;
            char low[16];
            for (size_t k = 0; k < el; k++)
                low[k] = (char)(e[k] >= 'A' && e[k] <= 'Z' ? e[k] + 32 : e[k]);
            low[el] = '\0';
            const char *name = strcmp(low, "x-gzip") == 0       ? "gzip"
                               : strcmp(low, "x-compress") == 0 ? "compress"
                                                                : low;
            for (size_t k = 0; k < nn; k++)
                if (strcmp(names[k], name) == 0) {
                    dup = names[k];
                    where = i;
                }
            if (!dup && nn < RLINT_ARRAY_LEN(names))
                snprintf(names[nn++], sizeof names[0], "%s", name);
        }
    }
    if (!dup)
        return;
    /* A real double encoding is legal: when the body is there and decodes under the whole
     * chain, nothing is wrong. */
    const resplint_body_job *b = checkable(c);
    if (b && b->decode == RESPLINT_BODY_OK && (b->stages & RESPLINT_STAGE_DECODE))
        return;
    rlint_emit_field(c, RLINT_RL7005, (size_t)where,
                     "the content coding %s is listed twice%s; RFC 9110 §8.4: the sender MUST "
                     "list the codings \"in the order in which they were applied\", so a "
                     "recipient undoes %s twice",
                     dup,
                     b && b->decode == RESPLINT_BODY_BAD ? " and the body does not decode "
                                                           "under the whole chain"
                                                         : "",
                     dup);
}

/* ---- RL7006 ---- */

void rlint_check_content_decoding_failed(rlint_ctx *c)
{
    const resplint_body_job *j = job_of(c);
    if (!j || j->decode != RESPLINT_BODY_BAD)
        return;
    const resplint_body_job *b = checkable(c);
    if (!b || !(b->stages & RESPLINT_STAGE_DECODE) || b->decode != RESPLINT_BODY_BAD)
        return;
    long i = rlint_next(c, RLINT_F_CONTENT_ENCODING, -1);
    const char *s = "";
    size_t n = 0;
    if (i >= 0)
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
    char q[100];
    rlint_quote(q, sizeof q, s, n, 40);
    const char *coding = coding_name(b->codings[b->failed_coding]);
    bool outer = b->failed_coding + 1 == b->ncodings;
    rlint_emit(c, RLINT_RL7006, body_offset(c), c->raw->body_wire_bytes, -1,
               "Content-Encoding: %s, but the %llu bytes of content do not decode: %s, at byte "
               "%llu of the %s data%s (the body starts at offset %llu); RFC 9110 §8.4: the "
               "listed codings are those applied, and browsers fail the load "
               "(ERR_CONTENT_DECODING_FAILED)",
               q, (unsigned long long)b->content_bytes, b->decode_why,
               (unsigned long long)b->failed_at, coding,
               outer ? "" : " (after undoing the codings applied after it)",
               (unsigned long long)body_offset(c));
}

/* ---- binary signatures (WHATWG MIME Sniffing §7, the unambiguous patterns only) ---- */

typedef enum sig { SIG_NONE, SIG_PNG, SIG_GIF, SIG_JPEG, SIG_WEBP, SIG_PDF, SIG_ZIP, SIG_GZIP } sig;

static sig signature(const resplint_body_job *b)
{
    const unsigned char *s = b->sniff;
    size_t n = b->sniff_len;
    if (n >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0)
        return SIG_PNG;
    if (n >= 6 && (memcmp(s, "GIF87a", 6) == 0 || memcmp(s, "GIF89a", 6) == 0))
        return SIG_GIF;
    if (n >= 3 && memcmp(s, "\xff\xd8\xff", 3) == 0)
        return SIG_JPEG;
    if (n >= 14 && memcmp(s, "RIFF", 4) == 0 && memcmp(s + 8, "WEBPVP", 6) == 0)
        return SIG_WEBP;
    if (n >= 5 && memcmp(s, "%PDF-", 5) == 0)
        return SIG_PDF;
    if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        return SIG_ZIP;
    if (n >= 3 && memcmp(s, "\x1f\x8b\x08", 3) == 0)
        return SIG_GZIP;
    return SIG_NONE;
}

static const char *const sig_names[] = {"", "PNG", "GIF", "JPEG", "WebP", "PDF", "ZIP", "gzip"};

/* The decoded body as far as the signature stages go: decoded (or not coded), not failed. */
static const resplint_body_job *decoded(const rlint_ctx *c)
{
    const resplint_body_job *b = checkable(c);
    if (!b || (b->decode != RESPLINT_BODY_OK && b->decode != RESPLINT_BODY_LIMIT))
        return NULL;
    return b;
}

/* ---- RL7007, RL7008 ---- */

void rlint_check_utf8_invalid(rlint_ctx *c)
{
    const resplint_body_job *j = job_of(c);
    if (!j || j->utf8 != RESPLINT_BODY_BAD)
        return;
    const resplint_body_job *b = decoded(c);
    if (!b || b->utf8 != RESPLINT_BODY_BAD || signature(b) != SIG_NONE)
        return;
    rlint_media m;
    long i = media_of(c, &m);
    if (i < 0)
        return;
    const char *s;
    size_t n;
    rlint_field_trimmed(&c->resp->fields[i], &s, &n);
    char q[120];
    rlint_quote(q, sizeof q, s, n, 60);
    bool json = rlint_media_json(&m);
    rlint_emit(c, RLINT_RL7007, body_offset(c), c->raw->body_wire_bytes, -1,
               "Content-Type: %s, but the %sbody is not UTF-8: an ill-formed sequence at byte "
               "%llu; %s",
               q, b->ncodings ? "decoded " : "", (unsigned long long)b->utf8_at,
               json ? "RFC 8259 §8.1: \"JSON text exchanged between systems that are not part "
                      "of a closed ecosystem MUST be encoded using UTF-8\""
                    : "RFC 9110 §8.3.2: the charset parameter says how the text is encoded, "
                      "and a decoder replaces these bytes with U+FFFD");
}

void rlint_check_json_invalid(rlint_ctx *c)
{
    const resplint_body_job *j = job_of(c);
    if (!j || j->json != RESPLINT_BODY_BAD)
        return;
    const resplint_body_job *b = decoded(c);
    if (!b || b->json != RESPLINT_BODY_BAD || signature(b) != SIG_NONE)
        return;
    rlint_media m;
    if (media_of(c, &m) < 0)
        return;
    char t[100];
    snprintf(t, sizeof t, "%.*s/%.*s", (int)(m.type_len > 40 ? 40 : m.type_len), m.type,
             (int)(m.subtype_len > 50 ? 50 : m.subtype_len), m.subtype);
    rlint_emit(c, RLINT_RL7008, body_offset(c), c->raw->body_wire_bytes, -1,
               "%s, but the %sbody is not a JSON text: %s, near byte %llu; RFC 8259 §2: a JSON "
               "text is a serialized value (JSONP callbacks, XSSI prefixes, NaN and trailing "
               "commas are not)",
               t, b->ncodings ? "decoded " : "", b->json_why, (unsigned long long)b->json_at);
}

/* ---- RL7009 ---- */

static bool essence_is(const rlint_media *m, const char *type, const char *subtype)
{
    return rlint_ieq(m->type, m->type_len, type) && rlint_ieq(m->subtype, m->subtype_len, subtype);
}

static bool suffix_is(const rlint_media *m, const char *suffix)
{
    size_t k = strlen(suffix);
    return m->subtype_len > k && rlint_ieq(m->subtype + m->subtype_len - k, k, suffix);
}

/* Types that say nothing about the bytes: a signature never contradicts them. */
static bool generic(const rlint_media *m)
{
    static const char *const g[][2] = {
        {"application", "octet-stream"}, {"binary", "octet-stream"},
        {"application", "unknown"},      {"application", "binary"},
        {"application", "x-download"},   {"application", "force-download"},
    };
    for (size_t i = 0; i < RLINT_ARRAY_LEN(g); i++)
        if (essence_is(m, g[i][0], g[i][1]))
            return true;
    return rlint_ieq(m->type, m->type_len, "multipart");
}

/* Declared types a container (ZIP, gzip) cannot be: text and images. */
static bool textual_or_image(const rlint_media *m)
{
    return rlint_ieq(m->type, m->type_len, "text") || rlint_ieq(m->type, m->type_len, "image") ||
           rlint_media_json(m) || essence_is(m, "application", "javascript") ||
           essence_is(m, "application", "ecmascript") || essence_is(m, "application", "xml") ||
           suffix_is(m, "+xml") || essence_is(m, "application", "xhtml+xml");
}

static bool alias_of(sig s, const rlint_media *m)
{
    switch (s) {
    case SIG_PNG:
        return essence_is(m, "image", "png") || essence_is(m, "image", "x-png") ||
               essence_is(m, "image", "apng") || essence_is(m, "image", "vnd.mozilla.apng");
    case SIG_GIF:
        return essence_is(m, "image", "gif");
    case SIG_JPEG:
        return essence_is(m, "image", "jpeg") || essence_is(m, "image", "jpg") ||
               essence_is(m, "image", "pjpeg");
    case SIG_WEBP:
        return essence_is(m, "image", "webp");
    case SIG_PDF:
        return essence_is(m, "application", "pdf") || essence_is(m, "application", "x-pdf") ||
               essence_is(m, "application", "acrobat") ||
               essence_is(m, "applications", "vnd.pdf") || essence_is(m, "text", "pdf") ||
               essence_is(m, "text", "x-pdf");
    case SIG_ZIP:
    case SIG_GZIP:
        return !textual_or_image(m);
    case SIG_NONE:
        break;
    }
    return true;
}

void rlint_check_content_type_signature_mismatch(rlint_ctx *c)
{
    const resplint_body_job *j = job_of(c);
    if (!j || signature(j) == SIG_NONE)
        return;
    const resplint_body_job *b = decoded(c);
    if (!b)
        return;
    sig s = signature(b);
    if (s == SIG_NONE)
        return;
    rlint_media m;
    long i = media_of(c, &m);
    if (i < 0 || generic(&m) || alias_of(s, &m))
        return;
    char t[100];
    snprintf(t, sizeof t, "%.*s/%.*s", (int)(m.type_len > 40 ? 40 : m.type_len), m.type,
             (int)(m.subtype_len > 50 ? 50 : m.subtype_len), m.subtype);
    rlint_emit_field(c, RLINT_RL7009, (size_t)i,
                     "Content-Type says %s, but the %sbody starts with the %s signature; RFC "
                     "9110 §8.3: Content-Type indicates the media type of the representation "
                     "(browsers that sniff show it, others fail to decode it)",
                     t, b->ncodings ? "decoded " : "", sig_names[s]);
}

/* ---- RL7014 ---- */

void rlint_check_early_hints_without_link(rlint_ctx *c)
{
    /* T50: off by default (advice); legal, since RFC 8297 §2 lets a 103 carry any "header
     * fields that are likely to be included in the final response" */
    if (c->resp->status != 103 || !rlint_absent(c, RLINT_F_LINK))
        return;
    rlint_emit_status(c, RLINT_RL7014,
                      "103 Early Hints without a Link field; RFC 8297 §2 allows it, but browsers "
                      "act only on Link (preload, preconnect) in a 103, so this one does nothing");
}
