/* The capture dispatcher: opens an input, detects its kind from its first bytes and hands it
 * to the matching reader. */
#define _POSIX_C_SOURCE 200809L
#include "../core/abi.h"
#include "../core/text.h"
#include "reader.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

const char *resplint_input_kind_name(resplint_input_kind kind)
{
    switch (kind) {
    case RESPLINT_INPUT_RAW:
        return "raw";
    case RESPLINT_INPUT_HAR:
        return "har";
    case RESPLINT_INPUT_PCAP:
        return "pcap";
    case RESPLINT_INPUT_WARC:
        return "warc";
    case RESPLINT_INPUT_VCR:
        return "vcr";
    case RESPLINT_INPUT_BETAMAX:
        return "betamax";
    case RESPLINT_INPUT_NOCK:
        return "nock";
    case RESPLINT_INPUT_WIREMOCK:
        return "wiremock";
    case RESPLINT_INPUT_POSTMAN:
        return "postman";
    case RESPLINT_INPUT_NEWMAN:
        return "newman";
    case RESPLINT_INPUT_MITMPROXY:
        return "mitmproxy";
    case RESPLINT_INPUT_UNKNOWN:
        break;
    }
    return "unknown";
}

static bool has_prefix(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

resplint_input_kind resplint_detect_input(const void *head, size_t len)
{
    const unsigned char *p = head;
    if (len >= 4) {
        uint32_t be = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        /* pcap (micro- and nanosecond, both byte orders) and pcapng section header */
        if (be == 0xa1b2c3d4u || be == 0xd4c3b2a1u || be == 0xa1b23c4du || be == 0x4d3cb2a1u ||
            be == 0x0a0d0d0au)
            return RESPLINT_INPUT_PCAP;
    }
    if (has_prefix(p, len, "WARC/"))
        return RESPLINT_INPUT_WARC;
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) /* gzip: WARC (.warc.gz) or gzip'd pcap */
        return rlcap_gzip_holds_pcap(p, len) ? RESPLINT_INPUT_PCAP : RESPLINT_INPUT_WARC;
    return rlcap_sniff_text(p, len);
}

long rlcap_read(rlcap_reader *r, void *buf, size_t n)
{
    if (r->peek_pos < r->npeek) {
        size_t k = r->npeek - r->peek_pos;
        if (k > n)
            k = n;
        memcpy(buf, r->peek + r->peek_pos, k);
        r->peek_pos += k;
        return (long)k;
    }
    size_t got = fread(buf, 1, n, r->fp);
    if (got == 0 && ferror(r->fp))
        return -1;
    return (long)got;
}

int rlcap_fail(rlcap_reader *r, int err, const char *fmt, ...)
{
    if (r->errbuf && r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->errbuf, r->errlen, fmt, ap);
        va_end(ap);
    }
    return err;
}

void rlcap_origin_init(const rlcap_reader *r, resplint_origin *o)
{
    memset(o, 0, sizeof *o);
    o->kind = r->stats->kind;
    o->path = r->path;
    o->offset = RESPLINT_NO_OFFSET;
    o->har_entry = -1;
    o->tcp_stream = -1;
    o->record_offset = RESPLINT_NO_OFFSET;
    o->file_offset = RESPLINT_NO_OFFSET;
    o->h2_stream = -1;
}

static void evidence_put(rlcap_evidence *e, const char *p, size_t n)
{
    if (n > RESPLINT_EVIDENCE_MAX - e->len)
        n = RESPLINT_EVIDENCE_MAX - e->len;
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap : 1024;
        while (cap < e->len + n)
            cap *= 2;
        char *q = rlcap_realloc(e->p, cap);
        if (!q)
            return; /* the evidence is cut short; the finding is still reported */
        e->p = q;
        e->cap = cap;
    }
    memcpy(e->p + e->len, p, n);
    e->len += n;
}

void rlcap_evidence_build(rlcap_evidence *e, const resplint_response *resp, const char *version,
                          size_t version_len)
{
    char line[64];
    e->len = 0;
    e->built = true;
    if (version && version_len) {
        evidence_put(e, version, version_len);
        snprintf(line, sizeof line, " %d ", resp->status);
    } else if (resp->version_major) {
        snprintf(line, sizeof line, "HTTP/%u.%u %d ", resp->version_major, resp->version_minor,
                 resp->status);
    } else {
        snprintf(line, sizeof line, "HTTP/? %d ", resp->status);
    }
    evidence_put(e, line, strlen(line));
    if (resp->reason)
        evidence_put(e, resp->reason, resp->reason_len);
    evidence_put(e, "\r\n", 2);
    for (size_t i = 0; i < resp->field_count; i++) {
        const resplint_field *fl = &resp->fields[i];
        evidence_put(e, fl->name, fl->name_len);
        evidence_put(e, ": ", 2);
        evidence_put(e, fl->value, fl->value_len);
        evidence_put(e, "\r\n", 2);
    }
    evidence_put(e, "\r\n", 2);
}

void rlcap_evidence_set(rlcap_evidence *e, const resplint_response *resp, const char *version,
                        size_t version_len, resplint_origin *o)
{
    if (!e->built)
        rlcap_evidence_build(e, resp, version, version_len);
    o->head = e->p;
    o->head_len = e->p ? e->len : 0;
}

void rlcap_evidence_free(rlcap_evidence *e)
{
    rlcap_free(e->p);
    memset(e, 0, sizeof *e);
}

void rlcap_report(rlcap_reader *r, const char *rule, const resplint_origin *o, uint64_t offset,
                  uint64_t length, size_t response_index, const char *fmt, ...)
{
    const resplint_rule *ru = resplint_rule_find(rule);
    resplint_severity sev = resplint_config_severity(r->cfg, ru);
    if (sev == RESPLINT_OFF)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    resplint_finding f;
    f.rule = ru;
    f.severity = sev;
    f.message = msg;
    f.offset = offset;
    f.length = length;
    f.field_index = -1;
    f.response_index = response_index;
    f.response_offset = RESPLINT_NO_OFFSET;
    r->stats->findings++;
    r->handler->on_finding(&f, o, r->handler->user);
}

/* A "[" whose class would hold a ':' is an IPv6 literal's bracket, as URLs write them
 * ("[::1]:8080"), never a class of host characters: it matches itself. */
static bool literal_bracket(const char *pat)
{
    for (const char *q = pat + 1; *q && *q != ']'; q++)
        if (*q == ':')
            return true;
    return false;
}

bool rlcap_glob(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == '\\' && pat[1] && rlint_lower(pat[1]) == rlint_lower(*s)) {
            pat += 2; /* an escaped character matches itself */
            s++;
        } else if (*pat == '[' && !literal_bracket(pat)) {
            const char *q = pat + 1;
            bool neg = *q == '!' || *q == '^', hit = false;
            if (neg)
                q++;
            for (; *q && *q != ']'; q++) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    if (rlint_lower(*s) >= rlint_lower(q[0]) && rlint_lower(*s) <= rlint_lower(q[2]))
                        hit = true;
                    q += 2;
                } else if (rlint_lower(*q) == rlint_lower(*s)) {
                    hit = true;
                }
            }
            if (*q == ']' && hit != neg) {
                pat = q + 1;
                s++;
            } else if (star) {
                pat = star + 1;
                s = ++resume;
            } else {
                return false;
            }
        } else if (*pat == '?' || (*pat && *pat != '\\' && rlint_lower(*pat) == rlint_lower(*s))) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

bool rlcap_authority_matches(const char *glob, const char *auth, size_t n)
{
    const char *at = memchr(auth, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - auth);
        auth = at + 1;
    }
    size_t hn = n; /* the host: up to the port's ':' (an IPv6 literal's own colons kept) */
    if (n && auth[0] == '[') {
        const char *close = memchr(auth, ']', n);
        hn = close ? (size_t)(close - auth) + 1 : n;
    } else {
        const char *colon = memchr(auth, ':', n);
        if (colon)
            hn = (size_t)(colon - auth);
    }
    char buf[300];
    if (n >= sizeof buf || hn == 0)
        return false;
    memcpy(buf, auth, hn);
    buf[hn] = '\0';
    if (rlcap_glob(glob, buf))
        return true;
    if (hn == n || auth[hn] != ':' || hn + 1 == n)
        return false;
    memcpy(buf, auth, n); /* host:port */
    buf[n] = '\0';
    return rlcap_glob(glob, buf);
}

/* Opens the input and hands it to its reader. */
static int read_input(rlcap_reader *r, FILE *fp)
{
    bool close = false;
    if (fp) {
        r->fp = fp;
    } else if (strcmp(r->path, "-") == 0) {
        r->fp = stdin;
    } else {
        r->fp = fopen(r->path, "rb");
        if (!r->fp)
            return rlcap_fail(r, RESPLINT_EIO, "%s: cannot open: %s", r->path, strerror(errno));
        close = true;
    }
    struct stat st;
    if (fstat(fileno(r->fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            if (close)
                fclose(r->fp);
            return rlcap_fail(r, RESPLINT_EIO, "%s: is a directory", r->path);
        }
        if (S_ISREG(st.st_mode))
            r->total = (uint64_t)st.st_size;
    }
    r->npeek = fread(r->peek, 1, sizeof r->peek, r->fp);
    int rc;
    if (r->npeek == 0 && ferror(r->fp)) {
        rc = rlcap_fail(r, RESPLINT_EIO, "%s: cannot read: %s", r->path, strerror(errno));
    } else {
        resplint_input_kind kind = r->opts->kind != RESPLINT_INPUT_UNKNOWN
                                       ? r->opts->kind
                                       : resplint_detect_input(r->peek, r->npeek);
        r->stats->kind = kind;
        switch (kind) {
        case RESPLINT_INPUT_RAW:
            rc = rlcap_read_raw(r);
            break;
        case RESPLINT_INPUT_HAR:
            rc = rlcap_read_har(r);
            break;
        case RESPLINT_INPUT_WARC:
            rc = rlcap_read_warc(r);
            break;
        case RESPLINT_INPUT_PCAP:
            rc = rlcap_read_pcap(r);
            break;
        case RESPLINT_INPUT_UNKNOWN:
            rc = rlcap_fail(r, RESPLINT_EFORMAT, "%s: %s", r->path,
                            rlcap_unknown_reason(r->peek, r->npeek));
            break;
        default:
            rc = rlcap_read_recording(r, kind);
            break;
        }
    }
    if (close)
        fclose(r->fp);
    return rc;
}

/* first layouts (lib/core/abi.h): nothing appended since 0.2 */
#define RLINT_BASE_HANDLER sizeof(resplint_capture_handler)
#define RLINT_BASE_OPTIONS sizeof(resplint_capture_options)

int resplint_capture_file(const resplint_config *cfg, const char *path, FILE *fp,
                          const resplint_capture_options *opts,
                          const resplint_capture_handler *handler, resplint_capture_stats *stats,
                          char *errbuf, size_t errlen)
{
    static const resplint_capture_options no_opts = {.size = sizeof no_opts};
    rlcap_reader r;
    memset(&r, 0, sizeof r);
    if (!cfg || !path || !handler ||
        !rlint_abi_copy(&r.handler_copy, sizeof r.handler_copy, handler,
                        RLINT_BASE_HANDLER) ||
        !r.handler_copy.on_finding ||
        !rlint_abi_copy(&r.opts_copy, sizeof r.opts_copy, opts ? opts : &no_opts,
                        RLINT_BASE_OPTIONS))
        return RESPLINT_EINVAL;
    resplint_capture_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (errbuf && errlen)
        errbuf[0] = '\0';
    r.cfg = cfg;
    r.path = path;
    r.opts = &r.opts_copy;
    r.handler = &r.handler_copy;
    r.stats = stats;
    r.errbuf = errbuf;
    r.errlen = errlen;
    return read_input(&r, fp);
}

