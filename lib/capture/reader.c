/* What every reader shares (reader.h): reading the input, failing with a message, origins,
 * evidence heads, reader-raised findings, the --host/--url globs, and the names of input
 * kinds (public: resplint_input_kind_name). The dispatcher (capture.c)
 * calls the readers and these helpers; the readers call these helpers and never the
 * dispatcher, so the arrows between the files run one way. */
#define _POSIX_C_SOURCE 200809L
#include "../core/lazylib.h"
#include "../core/text.h"
#include "reader.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static int vfail(rlcap_reader *r, int err, const char *fmt, va_list ap)
{
    if (r->err.code)
        return r->err.code;
    r->err.code = err < 0 ? err : RESPLINT_ESTATE;
    if (r->err.buf && r->err.len)
        vsnprintf(r->err.buf, r->err.len, fmt, ap);
    return r->err.code;
}

int rlcap_fail(rlcap_reader *r, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(r, err, fmt, ap);
    va_end(ap);
    return rc;
}

int rlcap_nomem(rlcap_reader *r)
{
    return rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
}

int rlcap_core(rlcap_reader *r, int rc, const char *fmt, ...)
{
    if (rc >= 0)
        return r->err.code;
    char where[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, sizeof where, fmt, ap);
    va_end(ap);
    if (rc == RESPLINT_ENOMEM)
        return rlcap_fail(r, rc, "%s: out of memory (%s)", r->path, where);
    if (rc == RESPLINT_ELIBRARY) { /* as every library that cannot be loaded: EIO, named */
        const char *why = rlint_lazylib_why();
        return rlcap_fail(r, RESPLINT_EIO, "%s: %s: %s", r->path, where,
                          *why ? why : resplint_strerror(rc));
    }
    return rlcap_fail(r, rc, "%s: internal error at %s: %s (%s); please report it", r->path, where,
                      resplint_strerror(rc), resplint_err_name(rc));
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
    o->order = r->order;
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
    /* after an error the input did not end, reading stopped: what looks cut is not */
    if (sev == RESPLINT_OFF || rlcap_failed(r))
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

void rlcap_yajl_message(const struct rlint_yajl *yj, struct yajl_handle_t *h, char *m, size_t n)
{
    unsigned char *msg = yj->yajl_get_error(h, 0, NULL, 0);
    snprintf(m, n, "%s", msg ? (const char *)msg : "parse error");
    if (msg)
        yj->yajl_free_error(h, msg);
    m[strcspn(m, "\r\n")] = '\0';
}
