/* The llhttp adapter: turns the bytes one server sent on one connection into responses,
 * checks each one, and classifies whatever llhttp (strict) rejects. Heads are handed to
 * llhttp whole and contiguous; bodies go straight from the caller's chunks. A response is
 * checked once the bytes after it are known, so stray bytes can be blamed on it. */
#include "internal.h"

#include "resplint/body.h"

#include <llhttp.h>
#include <stddef.h>
#include <string.h>

enum state {
    S_START,   /* between responses: the next bytes decide */
    S_HEAD,    /* collecting a head */
    S_BODY,    /* llhttp reads a body */
    S_DISCARD, /* skipping a body whose length the tolerant scan could trust */
    S_SKIP,    /* looking for the next line that starts a response */
    S_TUNNEL,  /* after 101 or a 2xx to CONNECT: another protocol */
    S_DONE     /* finished */
};

enum skip_kind {
    SKIP_BODY,  /* bytes belong to the previous response (no-body status, untrusted framing) */
    SKIP_STRAY, /* bytes after a complete response: RL3010 */
    SKIP_START, /* the stream does not start with a response */
    SKIP_GAP    /* bytes after a capture gap: nobody's fault */
};

typedef struct request_ctx {
    char method[24];
    unsigned char method_len, major, minor;
    uint32_t lost_before; /* requests dropped from the queue just before this one */
    char *url; /* owned by the queue until a final response takes it, NULL when unknown */
    size_t url_len;
} request_ctx;

#define URL_MAX 8192

typedef struct msg {
    uint64_t start;
    const char *head;
    size_t head_len;
    rlint_buf own; /* the head's own copy once the caller's chunk goes away */
    rlint_head h;
    request_ctx req;
    char *url_own; /* req.url, taken from the queue by this final response: freed with it */
    bool has_req;
    bool ctx_unknown; /* read after the stream refused a request: its method is unknown */
    const char *span_end; /* end of the last span llhttp reported (in the head), or NULL */
    bool headers_done;
    bool tunnel;
    bool no_body_status; /* HEAD answer, 1xx, 204, 304: any following non-response bytes are body */
    bool folded;         /* llhttp delivered a value in pieces: an obs-fold */
    /* head_suspect's field tests, decided by the callbacks while the bytes are at hand: check
     * is set when a field might fail one (never missed, sometimes set in vain), await_value
     * while the last field has had no value span. */
    bool check;
    bool await_value;
    /* llhttp's callbacks write the fields straight into the stream's public array (pub), for
     * the one message whose head llhttp read last; the tolerant scan writes h.fields. */
    bool pub_direct;
    resplint_field *last; /* pub's last field, while llhttp reads the head */
    rlint_raw raw; /* its fault array is not cleared between responses */
    resplint_body_job job; /* the body pipeline's inputs and results, when raw.body is set */
} msg;

struct resplint_stream {
    const resplint_config *cfg;
    resplint_finding_cb on_finding;
    resplint_response_cb on_response;
    void *user;
    llhttp_t parser;
    llhttp_settings_t settings;      /* while llhttp reads a head */
    llhttp_settings_t body_settings; /* after it: no status or field callbacks */
    enum state st;
    uint64_t off; /* stream offset of the next byte to be consumed */
    size_t nresp;
    msg slots[2];
    msg *cur, *prev;
    bool have_prev;
    rlint_buf hb; /* a head in the making, when it spans chunks */
    size_t hb_scan;
    const char *base; /* head being executed */
    size_t base_len;
    bool slow_head; /* this head goes through hb and the whole-head parse */
    uint64_t discard_left;
    enum skip_kind skip;
    uint64_t skip_start;
    size_t skip_match;
    char skip_buf[16];
    char preview[32];
    size_t preview_len;
    rlint_field_pos *fpos; /* field positions of the head being parsed; cap = limit */
    size_t fpos_cap;
    resplint_field *pub;
    size_t pub_cap;
    request_ctx *rq;
    size_t rq_head, rq_len, rq_cap;
    request_ctx defreq;
    bool has_defreq;
    uint64_t lost_tail;  /* requests dropped after the last queued one (or all, when none is) */
    size_t rq_url_bytes; /* URLs held by the queued requests */
    resplint_scheme scheme;
    unsigned prov;
    resplint_exchanges *xchg;
    size_t url_bytes; /* URLs held by queued requests and by the two messages */
    uint64_t lead_ws_off; /* whitespace before the first status line, given to its response */
    uint32_t lead_ws_len;
    int error; /* sticky allocation failure */
    const msg *checking; /* the message whose findings are being reported, or NULL */
    const resplint_body_ops *body_ops; /* the body pipeline, NULL when none is attached */
    void *body;                        /* its handle for the body of cur, while one streams */
};

static const char HTTP_PREFIX[] = "HTTP/";

/* p[0..4) is CR LF CR LF (one load; a memcmp call here showed up in profiles) */
static inline bool is_crlfcrlf(const char *p)
{
    uint32_t x, y;
    memcpy(&x, p, 4);
    memcpy(&y, "\r\n\r\n", 4);
    return x == y;
}

/* ---- request context ---- */

static void set_req(request_ctx *r, const char *method, unsigned major, unsigned minor)
{
    r->url = NULL;
    r->url_len = 0;
    size_t n = method ? strlen(method) : 0;
    if (n >= sizeof r->method)
        n = sizeof r->method - 1;
    if (n)
        memcpy(r->method, method, n);
    r->method[n] = '\0';
    r->method_len = (unsigned char)n;
    r->major = (unsigned char)(major > 9 ? 9 : major);
    r->minor = (unsigned char)(minor > 9 ? 9 : minor);
}

int resplint_stream_push_request(resplint_stream *s, const char *method, unsigned major,
                                 unsigned minor)
{
    return resplint_stream_push_request_url(s, method, major, minor, NULL, 0);
}

/* The queue is a bounded window of the requests still unanswered, oldest first. A request
 * that does not fit (pending-requests, pending-request-bytes) is dropped, not queued, and
 * counted where it stands (lost_before of the next queued request, or lost_tail): its
 * response is read without context, and every other response still meets its own request.
 * The newest are dropped rather than the oldest: the oldest are the ones answered next, a
 * queued request is never freed while an interim response borrows it, and the window refills
 * as soon as the server catches up. */
int resplint_stream_push_request_url(resplint_stream *s, const char *method, unsigned major,
                                     unsigned minor, const char *url, size_t url_len)
{
    if (!s)
        return RESPLINT_EINVAL;
    if (!url || url_len > URL_MAX)
        url_len = 0;
    uint64_t held = (uint64_t)s->rq_len * sizeof *s->rq + s->rq_url_bytes;
    if (s->rq_len >= s->cfg->limits[RESPLINT_LIMIT_PENDING_REQUESTS] ||
        held + sizeof *s->rq + url_len > s->cfg->limits[RESPLINT_LIMIT_PENDING_BYTES] ||
        s->lost_tail >= UINT32_MAX) {
        if (s->lost_tail < UINT64_MAX)
            s->lost_tail++;
        return RESPLINT_ELIMIT;
    }
    if (s->rq_len == s->rq_cap) {
        size_t cap = s->rq_cap ? s->rq_cap * 2 : 16;
        request_ctx *q = rlint_malloc(cap * sizeof *q);
        if (!q)
            return RESPLINT_ENOMEM;
        for (size_t i = 0; i < s->rq_len; i++)
            q[i] = s->rq[(s->rq_head + i) % s->rq_cap];
        rlint_free(s->rq);
        s->rq = q;
        s->rq_cap = cap;
        s->rq_head = 0;
    }
    request_ctx *r = &s->rq[(s->rq_head + s->rq_len) % s->rq_cap];
    set_req(r, method, major, minor);
    if (url_len) {
        if (!(r->url = rlint_malloc(url_len)))
            return RESPLINT_ENOMEM;
        memcpy(r->url, url, url_len);
        r->url_len = url_len;
        s->url_bytes += url_len;
        s->rq_url_bytes += url_len;
    }
    r->lost_before = (uint32_t)s->lost_tail;
    s->lost_tail = 0;
    s->rq_len++;
    return 0;
}

void resplint_stream_drop_requests(resplint_stream *s, uint64_t n)
{
    if (s)
        s->lost_tail = n > UINT64_MAX - s->lost_tail ? UINT64_MAX : s->lost_tail + n;
}

void resplint_stream_set_scheme(resplint_stream *s, resplint_scheme scheme)
{
    if (s)
        s->scheme = scheme;
}

void resplint_stream_set_provenance(resplint_stream *s, unsigned provenance)
{
    if (s)
        s->prov = provenance;
}

void resplint_stream_set_exchanges(resplint_stream *s, resplint_exchanges *x)
{
    if (s)
        s->xchg = x;
}

/* Frees the URLs of the queued requests and empties the queue. */
static void drop_queue(resplint_stream *s)
{
    for (size_t i = 0; i < s->rq_len; i++) {
        request_ctx *r = &s->rq[(s->rq_head + i) % s->rq_cap];
        if (r->url) {
            s->url_bytes -= r->url_len;
            rlint_free(r->url);
        }
    }
    s->rq_len = 0;
    s->rq_head = 0;
    s->rq_url_bytes = 0;
    s->lost_tail = 0;
}

int resplint_stream_set_default_request(resplint_stream *s, const char *method, unsigned major,
                                        unsigned minor)
{
    if (!s)
        return RESPLINT_EINVAL;
    s->has_defreq = method != NULL || major != 0;
    set_req(&s->defreq, method, major, minor);
    return 0;
}

/* A final response answers the oldest request; an interim one does not consume it. Inlined:
 * it runs once per response. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void take_request(resplint_stream *s, msg *m, int status)
{
    bool interim = status >= 100 && status < 200 && status != 101;
    request_ctx *q = s->rq_len ? &s->rq[s->rq_head] : NULL;
    if (q && q->lost_before == 0) {
        m->req = *q;
        m->has_req = true;
        if (!interim) {
            /* the URL goes with the final response; an interim one only borrows it */
            m->url_own = m->req.url;
            s->rq_url_bytes -= q->url_len;
            q->url = NULL;
            s->rq_head = (s->rq_head + 1) % s->rq_cap;
            s->rq_len--;
        }
    } else if (q || s->lost_tail) {
        /* it answers a request the queue dropped (pushed past its limits) */
        m->ctx_unknown = !interim;
        if (!interim) {
            if (q)
                q->lost_before--;
            else
                s->lost_tail--;
        }
    } else if (s->has_defreq) {
        m->req = s->defreq;
        m->has_req = true;
    }
}

static bool req_is(const msg *m, const char *method)
{
    return m->has_req && rlint_method_is(m->req.method, m->req.method_len, method);
}

/* rlint_bodiless with the request the response answers (the tunnels, 101 and a 2xx to
 * CONNECT, are told apart before). */
static inline bool bodiless(const msg *m)
{
    return rlint_bodiless(m->h.status, m->has_req ? m->req.method : NULL,
                          m->has_req ? m->req.method_len : 0);
}

/* ---- checking a finished response ---- */

static int ensure_pub(resplint_stream *s, size_t n)
{
    if (n <= s->pub_cap)
        return 0;
    resplint_field *p = rlint_realloc(s->pub, n * sizeof *p);
    if (!p)
        return RESPLINT_ENOMEM;
    s->pub = p;
    s->pub_cap = n;
    return 0;
}

static void check_msg(resplint_stream *s, msg *m)
{
    const char *h = m->head;
    if (m->raw.syntax_nomem)
        s->error = RESPLINT_ENOMEM;
    if (!m->pub_direct) {
        if (ensure_pub(s, m->h.nfields) < 0) {
            s->error = RESPLINT_ENOMEM;
            return;
        }
        const rlint_field_pos *f = m->h.fields;
        resplint_field *pub = s->pub;
        uint64_t start = m->start;
        for (size_t i = 0, n = m->h.nfields; i < n; i++) {
            pub[i].name = h + f[i].name_off;
            pub[i].name_len = f[i].name_len;
            pub[i].value = h + f[i].value_off;
            pub[i].value_len = f[i].value_len;
            pub[i].offset = start + f[i].name_off;
            pub[i].length = f[i].line_len;
        }
    }
    bool req = m->has_req;
    resplint_response r = {
        .size = sizeof r,
        .status = m->h.status,
        .version_major = m->h.major,
        .version_minor = m->h.minor,
        .reason = m->h.has_reason ? h + m->h.reason_off : NULL,
        .reason_len = m->h.has_reason ? m->h.reason_len : 0,
        .fields = s->pub,
        .field_count = m->h.nfields,
        .body_length = m->raw.body_kind == RLINT_BODY_UNKNOWN ? RESPLINT_UNKNOWN_LENGTH
                                                              : (int64_t)m->raw.body_wire_bytes,
        .method = req && m->req.method_len ? m->req.method : NULL,
        .method_len = req ? m->req.method_len : 0,
        .request_version_major = req ? m->req.major : 0,
        .request_version_minor = req ? m->req.minor : 0,
        .offset = m->start,
        .url = m->req.url, /* NULL, 0 without a request (reset_msg zeroes req) */
        .url_len = m->req.url_len,
        .scheme = s->scheme,
        .provenance = s->prov,
    };
    m->raw.status_text = h ? h + m->h.status_text_off : NULL;
    m->raw.status_text_len = m->h.status_text_len;
    m->raw.status_line = h;
    m->raw.status_line_len = m->h.status_line_len;
    size_t index = m->raw.no_status_line ? s->nresp : s->nresp++;
    s->checking = m;
    if (rlint_check(s->cfg, &r, &m->raw, index, s->on_finding, s->user, s->xchg) ==
        RESPLINT_ENOMEM)
        s->error = RESPLINT_ENOMEM;
    s->checking = NULL;
    if (s->on_response && !m->raw.no_status_line) {
        uint64_t len = m->head_len + m->raw.body_wire_bytes;
        s->on_response(&r, index, m->start, len, s->user);
    }
}

static void reset_msg(resplint_stream *s, msg *m)
{
    rlint_buf own = m->own;
    own.len = 0;
    if (m->url_own) {
        s->url_bytes -= m->req.url_len;
        rlint_free(m->url_own);
    }
    memset(m, 0, offsetof(msg, raw) + offsetof(rlint_raw, syntax));
    m->raw.syntax_max = (size_t)s->cfg->limits[RESPLINT_LIMIT_SYNTAX_FAULTS];
    m->own = own;
    m->h.fields = s->fpos;
    m->h.cap = 0;
}

static void finalize_prev(resplint_stream *s)
{
    if (!s->have_prev)
        return;
    s->have_prev = false;
    check_msg(s, s->prev);
}

/* The caller's chunk is about to go away: give heads that live in it a copy of their own. */
static void own_head(resplint_stream *s, msg *m)
{
    if (!m->head || m->head == m->own.p)
        return;
    m->own.len = 0;
    int rc = rlint_buf_append(&m->own, m->head, m->head_len, m->head_len);
    if (rc < 0) {
        s->error = rc;
        return;
    }
    if (m->pub_direct) { /* its fields point into the head: move them along */
        for (size_t i = 0; i < m->h.nfields; i++) {
            resplint_field *f = &s->pub[i];
            f->name = m->own.p + (f->name - m->head);
            f->value = m->own.p + (f->value - m->head);
        }
    }
    m->head = m->own.p;
}

/* ---- the body pipeline (resplint/body.h) ---- */

/* A body that did not end where its framing said (cut, a gap, a framing error): its stages
 * give no result. */
static void body_abort(resplint_stream *s)
{
    if (!s->body)
        return;
    s->body_ops->abort(s->body);
    s->body = NULL;
}

/* The head of m is complete and a body follows: start the stages it needs, if any. */
static void body_begin(resplint_stream *s, msg *m)
{
    body_abort(s);
    const resplint_field *f = m->pub_direct ? s->pub : NULL;
    if (!f)
        return; /* a head the tolerant scan read: its body is not decoded */
    if (!rlint_body_plan(s->cfg, f, m->h.nfields, m->h.status, req_is(m, "head"), &m->job,
                         &m->raw))
        return;
    m->raw.body = &m->job;
    s->body = s->body_ops->begin(&m->job);
    /* a library the body needs could not be loaded: the input stops, saying so, rather than
     * leaving the body unchecked without a word */
    const resplint_body_job *j = &m->job;
    if (!s->body &&
        (j->decode == RESPLINT_BODY_UNAVAILABLE || j->utf8 == RESPLINT_BODY_UNAVAILABLE ||
         j->json == RESPLINT_BODY_UNAVAILABLE || j->sha == RESPLINT_BODY_UNAVAILABLE))
        s->error = RESPLINT_ELIBRARY;
}

void resplint_stream_set_body_ops(resplint_stream *s, const resplint_body_ops *ops)
{
    if (s)
        s->body_ops = ops;
}

/* ---- llhttp callbacks ---- */

static resplint_stream *stream_of(llhttp_t *p) { return (resplint_stream *)p->data; }

static int grow_fields(resplint_stream *s, msg *m)
{
    size_t limit = (size_t)s->cfg->limits[RESPLINT_LIMIT_FIELDS];
    if (m->h.nfields >= limit) {
        m->raw.fields_limit = true;
        return -1;
    }
    if (m->h.nfields == s->fpos_cap) {
        size_t cap = s->fpos_cap ? s->fpos_cap * 2 : 32;
        if (cap > limit)
            cap = limit;
        rlint_field_pos *f = rlint_realloc(s->fpos, cap * sizeof *f);
        if (!f) {
            s->error = RESPLINT_ENOMEM;
            return -1;
        }
        s->fpos = f;
        s->fpos_cap = cap;
    }
    m->h.fields = s->fpos;
    return 0;
}

static int on_status(llhttp_t *p, const char *at, size_t len)
{
    resplint_stream *s = stream_of(p);
    msg *m = s->cur;
    if (!m->h.has_reason) {
        m->h.has_reason = true;
        m->h.reason_off = (uint32_t)(at - s->base);
        m->h.reason_len = 0;
    }
    m->h.reason_len += (uint32_t)len;
    m->span_end = s->base + m->h.reason_off + m->h.reason_len;
    return 0;
}

/* Makes room in pub for one more field of the head llhttp is reading, within the field
 * limit (pub_cap never passes it). */
static int grow_pub(resplint_stream *s, msg *m)
{
    size_t limit = (size_t)s->cfg->limits[RESPLINT_LIMIT_FIELDS];
    if (m->h.nfields >= limit) {
        m->raw.fields_limit = true;
        return -1;
    }
    size_t cap = s->pub_cap ? s->pub_cap * 2 : 32;
    if (cap > limit)
        cap = limit;
    if (ensure_pub(s, cap) < 0) {
        s->error = RESPLINT_ENOMEM;
        return -1;
    }
    return 0;
}

/* A field llhttp gave no value span gets an empty value just after its name's ':'. Filled in
 * only once the next field or the end of the head shows that none came. */
static void no_value(resplint_field *f)
{
    f->value = f->name + f->name_len + 1;
    f->value_len = 0;
    f->length = f->name_len + 1;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len);

/* The next piece of the last field's name (llhttp's input ended inside it). Out of line, like
 * grow_then_field: it is rare. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int more_name(msg *m, resplint_field *f, const char *at, size_t len)
{
    f->name_len += len;
    m->span_end = at + len;
    if (!m->await_value) { /* a name going on after its value: let head_suspect look */
        m->check = true;
        f->value = f->name + f->name_len + 1;
        f->length = f->name_len + 1;
    }
    return 0;
}

/* The field array is full: grow it, then take the field again. Out of line, so that the
 * callback itself saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int grow_then_field(llhttp_t *p, const char *at, size_t len)
{
    resplint_stream *s = stream_of(p);
    if (grow_pub(s, s->cur) < 0)
        return -1;
    return on_header_field(p, at, len);
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
    resplint_stream *s = stream_of(p);
    msg *m = s->cur;
    uint32_t off = (uint32_t)(at - s->base);
    size_t n = m->h.nfields;
    /* A name arrives in pieces only when llhttp's input ends inside it; the next piece then
     * starts where the last span ended. Anything else starts a new field (a name never
     * follows the previous span directly: ':' or a line end lies between). */
    if (m->span_end == at && n && s->pub[n - 1].name + s->pub[n - 1].name_len == at)
        return more_name(m, &s->pub[n - 1], at, len);
    /* pub_cap never exceeds the field limit: below it, no limit to check */
    if (n >= s->pub_cap)
        return grow_then_field(p, at, len);
    resplint_field *f = &s->pub[n];
    /* head_suspect: a name is not empty and starts after CRLF; a field without a value span
     * is left to it too */
    if (m->await_value) {
        no_value(f - 1);
        m->check = true;
    }
    if (len == 0 || off < 2 || memcmp(at - 2, "\r\n", 2) != 0)
        m->check = true;
    m->await_value = true;
    m->h.nfields = n + 1;
    m->last = f;
    f->name = at;
    f->name_len = len;
    f->offset = m->start + off;
    m->span_end = at + len;
    return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
    resplint_stream *s = stream_of(p);
    msg *m = s->cur;
    resplint_field *f = m->last;
    const char *vo;
    if (!m->await_value && f->value_len != 0) {
        m->folded = true; /* llhttp hands each line of a folded value over separately */
        vo = f->value;
    } else {
        vo = at;
        f->value = at;
        m->await_value = false;
        /* head_suspect: no line end between the name and its value. ": " and ":" are the
         * usual separators; anything else is left to head_suspect. */
        const char *ne = f->name + f->name_len;
        size_t gap = (size_t)(at - ne);
        if (!(gap == 2 ? memcmp(ne, ": ", 2) == 0 : gap == 1 && *ne == ':'))
            m->check = true;
        if (len == 0) {
            /* An empty value: llhttp reports it as an empty span after the line's CRLF. The
             * field line ends at its ':' (its evidence must not take in the line end). */
            no_value(f);
            m->span_end = at;
            return 0;
        }
    }
    /* llhttp keeps trailing whitespace in the value; the model does not. A fold line of
     * nothing but whitespace (obs-fold, RL4001) leaves its CRLF at the end: trimmed too.
     * (Bytes above ' ' end the trim at once: the common case.) */
    const char *e = at + len;
    while (e > vo && (unsigned char)e[-1] <= ' ' &&
           (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    f->value_len = (size_t)(e - vo);
    f->length = (uint64_t)(e - f->name);
    m->span_end = at + len;
    return 0;
}

static int on_headers_complete(llhttp_t *p)
{
    resplint_stream *s = stream_of(p);
    msg *m = s->cur;
    m->headers_done = true;
    /* Trailer fields of a chunked body would arrive through the field callbacks, but they live
     * in the caller's chunk, not in the head that offsets are taken from: they are ignored by
     * not asking for them. fast_head and parse_head switch back for the next head. */
    p->settings = &s->body_settings;
    if (m->await_value)
        no_value(&s->pub[m->h.nfields - 1]);
    /* The head ends at the first blank line after the last span: a few bytes to look at,
     * usually just the CRLF CRLF right after it (what rlint_head_end would find). */
    size_t se = m->span_end ? (size_t)(m->span_end - s->base) : 0, end;
    if (se + 4 <= s->base_len && is_crlfcrlf(s->base + se))
        end = se + 4;
    else
        end = rlint_head_end(s->base, s->base_len, se);
    m->raw.head_len = end ? end : s->base_len;
    m->head_len = (size_t)m->raw.head_len;
    m->h.status = p->status_code;
    m->h.major = p->http_major;
    m->h.minor = p->http_minor;
    take_request(s, m, m->h.status);
    int st = m->h.status;
    if (st == 101 || (req_is(m, "CONNECT") && st >= 200 && st < 300)) {
        m->tunnel = true;
        m->raw.body_kind = RLINT_BODY_NONE;
        return 2;
    }
    /* RFC 9112 §6.3: a response to HEAD, any 1xx, 204 and 304 end at the blank line,
     * whatever Content-Length or Transfer-Encoding say. llhttp does not know about HEAD. */
    if (bodiless(m)) {
        m->no_body_status = true;
        m->raw.body_kind = RLINT_BODY_NONE;
        return 1;
    }
    /* Its request is unknown: it may answer HEAD, so its framing cannot be trusted. The bytes
     * up to the next status line are its body, whatever their length. */
    if (m->ctx_unknown) {
        m->raw.body_kind = RLINT_BODY_UNKNOWN;
        return 1;
    }
    if (p->flags & F_CHUNKED)
        m->raw.body_kind = RLINT_BODY_CHUNKED;
    else if (p->flags & F_CONTENT_LENGTH)
        m->raw.body_kind = p->content_length ? RLINT_BODY_LENGTH : RLINT_BODY_NONE;
    else
        m->raw.body_kind = RLINT_BODY_CLOSE;
    if (s->body_ops && m->raw.body_kind != RLINT_BODY_NONE)
        body_begin(s, m);
    return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
    resplint_stream *s = stream_of(p);
    msg *m = s->cur;
    /* A body that starts like a status line: the response probably answered HEAD (or was a
     * 304) and the linter was not told, so its "body" is the next response (RL3010's hint). */
    if (m->raw.body_wire_bytes == 0 && len)
        m->raw.body_like_response = len >= 5 ? memcmp(at, "HTTP/", 5) == 0 /* no call */
                                              : memcmp(at, "HTTP/", len) == 0;
    m->raw.body_wire_bytes += len;
    if (s->body) {
        m->job.content_bytes += len;
        s->body_ops->data(s->body, &m->job, at, len);
    }
    return 0;
}

static int on_message_complete(llhttp_t *p)
{
    resplint_stream *s = stream_of(p);
    if (s->body) {
        msg *m = s->cur;
        m->job.complete = true;
        s->body_ops->end(s->body, &m->job);
        s->body = NULL;
    }
    return HPE_PAUSED;
}

/* ---- state transitions ---- */

static void message_done(resplint_stream *s)
{
    msg *m = s->cur;
    s->slow_head = false;
    body_abort(s);
    if (s->nresp + (s->have_prev ? 1u : 0u) + 1 >= s->cfg->limits[RESPLINT_LIMIT_RESPONSES] &&
        !m->tunnel) {
        m->raw.responses_limit = true;
        m->tunnel = true; /* stop reading this stream: the rest is counted, not parsed */
    }
    finalize_prev(s); /* defensive: a previous one is always checked before a new head */
    s->prev = m;
    s->have_prev = true;
    s->cur = (m == &s->slots[0]) ? &s->slots[1] : &s->slots[0];
    if (m->tunnel) {
        finalize_prev(s);
        s->st = S_TUNNEL;
    } else {
        s->st = S_START;
    }
}

static void start_skip(resplint_stream *s, enum skip_kind kind)
{
    s->st = S_SKIP;
    s->skip = kind;
    s->skip_start = s->off;
    s->skip_match = 0;
    s->preview_len = 0;
}

/* Only whitespace (SP, HTAB, empty lines) before the stream's first status line: a
 * status-line fault of that response (RL1009), not an unreadable stream. Called when the skip
 * ends at a status line. */
static bool leading_whitespace(resplint_stream *s, uint64_t n)
{
    if (s->st != S_HEAD || n == 0 || n > s->preview_len)
        return false;
    for (size_t k = 0; k < n; k++)
        if (s->preview[k] != ' ' && s->preview[k] != '\t' && s->preview[k] != '\r' &&
            s->preview[k] != '\n')
            return false;
    s->lead_ws_off = s->skip_start;
    s->lead_ws_len = (uint32_t)n;
    return true;
}

/* Hands pending leading whitespace to the response whose head starts now. */
static void take_lead_ws(resplint_stream *s, msg *m)
{
    if (!s->lead_ws_len)
        return;
    rlint_raw_fault(&m->raw, RLINT_SYN_STATUS_LINE, s->lead_ws_off, s->lead_ws_len, -1, ' ');
    s->lead_ws_len = 0;
}

/* The skipped bytes [skip_start, off) are over: blame them where they belong. */
static void end_skip(resplint_stream *s)
{
    uint64_t n = s->off - s->skip_start;
    switch (s->skip) {
    case SKIP_BODY:
        if (s->have_prev && s->prev->raw.body_kind != RLINT_BODY_UNKNOWN)
            s->prev->raw.body_wire_bytes += n;
        break;
    case SKIP_STRAY:
        if (s->have_prev) {
            s->prev->raw.unexpected_offset = s->skip_start;
            s->prev->raw.unexpected_len = n;
        }
        break;
    case SKIP_START: {
        if (leading_whitespace(s, n))
            break;
        msg *m = s->cur;
        reset_msg(s, m);
        m->start = s->skip_start;
        m->head = s->preview;
        m->head_len = s->preview_len;
        m->raw.no_status_line = true;
        m->h.status_text_off = 0;
        m->h.status_text_len = (uint32_t)s->preview_len;
        m->raw.parse_offset = s->skip_start;
        m->raw.unexpected_len = n;
        m->raw.parse_reason = "the stream does not start with an HTTP/1.x status line";
        check_msg(s, m);
        m->head = NULL;
        break;
    }
    case SKIP_GAP:
        break;
    }
    finalize_prev(s);
}

/* Makes the head collected in hb the current message's own head (no copy). */
static void adopt_head(resplint_stream *s, msg *m)
{
    reset_msg(s, m);
    m->start = s->off;
    rlint_buf t = m->own;
    m->own = s->hb;
    s->hb = t;
    s->hb.len = 0;
    m->head = m->own.p;
    m->head_len = m->own.len;
    m->raw.head_len = m->own.len;
    take_lead_ws(s, m);
}

/* Reads m's head with the tolerant scan, faults into *faults (m->raw or a scratch). */
static void scan_head(resplint_stream *s, msg *m, rlint_raw *faults)
{
    size_t limit = (size_t)s->cfg->limits[RESPLINT_LIMIT_FIELDS];
    size_t lines = rlint_head_lines(m->head, m->head_len);
    size_t want = lines < limit ? lines : limit;
    while (s->fpos_cap < want && !s->error) {
        size_t nf = m->h.nfields;
        m->h.nfields = s->fpos_cap;
        grow_fields(s, m);
        m->h.nfields = nf;
    }
    m->h.fields = s->fpos;
    m->h.cap = want < s->fpos_cap ? want : s->fpos_cap;
    m->pub_direct = false;
    rlint_head_scan(m->head, m->head_len, m->start, &m->h, faults);
    if (m->h.fields_over)
        m->raw.fields_limit = true;
}

/* Decides, from the rejected head's own fields, whether its body length can be trusted: the
 * Content-Length values agree (rlint_cl_fold, the framing fact the checks read too) and there is
 * no Transfer-Encoding. */
static bool trusted_length(const msg *m, uint64_t *len)
{
    bool have = false;
    *len = 0;
    for (size_t i = 0; i < m->h.nfields; i++) {
        const rlint_field_pos *f = &m->h.fields[i];
        rlint_field_id id = rlint_field_classify(m->head + f->name_off, f->name_len);
        if (id == RLINT_F_TRANSFER_ENCODING)
            return false;
        if (id == RLINT_F_CONTENT_LENGTH &&
            !rlint_cl_fold(m->head + f->value_off, f->value_len, &have, len))
            return false;
    }
    return have;
}

/* llhttp rejected the head: classify with the tolerant scan, then decide how to go on. */
static void head_rejected(resplint_stream *s, msg *m, llhttp_errno_t err, const char *pos)
{
    m->raw.parse_error = (int)err;
    m->raw.parse_reason = llhttp_get_error_reason(&s->parser);
    if (!m->raw.parse_reason)
        m->raw.parse_reason = llhttp_errno_name(err);
    m->raw.parse_offset = m->start + (uint64_t)(pos && pos >= s->base ? pos - s->base : 0);
    /* A callback refusing a field (the field limit, an allocation failure) stops llhttp with
     * HPE_USER: our own stop, not a fault of the bytes. */
    if (m->raw.fields_limit || s->error)
        m->raw.parse_error = 0;
    scan_head(s, m, &m->raw);
    if (!m->has_req)
        take_request(s, m, m->h.status);
    llhttp_reset(&s->parser);

    int st = m->h.status;
    uint64_t len;
    if (st == 101 || (req_is(m, "CONNECT") && st >= 200 && st < 300)) {
        m->tunnel = true;
        m->raw.body_kind = RLINT_BODY_NONE;
        message_done(s);
    } else if (bodiless(m)) {
        m->no_body_status = true;
        m->raw.body_kind = RLINT_BODY_NONE;
        message_done(s);
    } else if (st >= 0 && !m->ctx_unknown && trusted_length(m, &len)) {
        m->raw.body_kind = RLINT_BODY_LENGTH;
        s->discard_left = len;
        message_done(s);
        s->st = len ? S_DISCARD : S_START;
    } else {
        m->raw.body_kind = RLINT_BODY_UNKNOWN;
        message_done(s);
        start_skip(s, SKIP_BODY);
    }
}

/* llhttp rejected the body (chunk syntax): record it, then look for the next response. */
static void body_failed(resplint_stream *s, msg *m, llhttp_errno_t err)
{
    m->raw.body_error = true;
    m->raw.parse_error = (int)err;
    m->raw.parse_reason = llhttp_get_error_reason(&s->parser);
    m->raw.parse_offset = s->off;
    m->raw.body_kind = RLINT_BODY_UNKNOWN;
    llhttp_reset(&s->parser);
    message_done(s);
    start_skip(s, SKIP_BODY);
}

/* Status line length and the status code as written (the token after the version). */
static void status_line_info(msg *m)
{
    const char *p = m->head;
    size_t n = m->head_len;
    const char *nl = memchr(p, '\n', n);
    size_t ce = nl ? (size_t)(nl - p) : n;
    if (ce && p[ce - 1] == '\r')
        ce--;
    m->h.status_line_len = (uint32_t)ce;
    size_t i = 0;
    while (i < ce && p[i] != ' ')
        i++;
    while (i < ce && p[i] == ' ')
        i++;
    m->h.status_text_off = (uint32_t)i;
    while (i < ce && p[i] != ' ')
        i++;
    m->h.status_text_len = (uint32_t)(i - m->h.status_text_off);
}

/* status_line_info for a head llhttp accepted, told by its status span where the line ends:
 * llhttp read "HTTP/" DIGIT "." DIGIT SP, the code, SP, and the reason up to CR or LF. A head
 * without a reason, or one that does not look like that, takes the scan. */
static void status_line_accepted(msg *m)
{
    const char *p = m->head;
    uint32_t ce = m->h.reason_off + m->h.reason_len;
    if (!m->h.has_reason || m->h.reason_off < 10 || p[8] != ' ' || p[9] == ' ' ||
        (size_t)ce + 1 >= m->head_len || !(p[ce] == '\n' || (p[ce] == '\r' && p[ce + 1] == '\n'))) {
        status_line_info(m);
        return;
    }
    m->h.status_line_len = ce;
    uint32_t i = 9;
    if (ce > 12 && p[10] != ' ' && p[11] != ' ' && p[12] == ' ')
        i = 12; /* a three-digit code, what the loop below would find */
    else
        while (i < ce && p[i] != ' ')
            i++;
    m->h.status_text_off = 9;
    m->h.status_text_len = i - 9;
}

/* Could a head llhttp accepted hide a fault its strict mode lets through (obs-fold, a bare LF
 * after the status line or as the blank line, an empty field name)? Decided from the spans
 * alone: each field line starts after CRLF, nothing but ':' and OWS lies between a name and
 * its value, the head ends in CRLF CRLF. */
static bool head_suspect(const msg *m, const resplint_field *pub)
{
    const char *p = m->head;
    size_t n = m->head_len;
    if (m->folded || n < 4 || !is_crlfcrlf(p + n - 4))
        return true;
    for (size_t i = 0; i < m->h.nfields; i++) {
        const resplint_field *f = &pub[i];
        size_t name_off = (size_t)(f->name - p), value_off = (size_t)(f->value - p);
        if (f->name_len == 0 || name_off < 2 || p[name_off - 1] != '\n' ||
            p[name_off - 2] != '\r')
            return true;
        for (size_t k = name_off + f->name_len; k < value_off; k++)
            if (p[k] == '\n')
                return true;
    }
    return false;
}

/* A suspect head goes through the tolerant scan, which names its faults; llhttp's model and
 * framing are kept. */
static void classify_accepted(msg *m, const resplint_field *pub)
{
    /* The callbacks vouched for every field: only the end of the head is left to test. */
    if (!m->check && !m->await_value && !m->folded && m->head_len >= 4 &&
        is_crlfcrlf(m->head + m->head_len - 4))
        return;
    if (!head_suspect(m, pub))
        return;
    rlint_head scratch;
    memset(&scratch, 0, sizeof scratch);
    rlint_head_scan(m->head, m->head_len, m->start, &scratch, &m->raw);
}

/* Runs llhttp over one complete head at p[0..n). */
static void parse_head(resplint_stream *s, const char *p, size_t n)
{
    msg *m = s->cur;
    reset_msg(s, m);
    m->start = s->off;
    if (p == s->hb.p) { /* the head was collected in hb: hand that buffer to the message */
        rlint_buf t = m->own;
        m->own = s->hb;
        s->hb = t;
        s->hb.len = 0;
    }
    m->head = p;
    m->head_len = n;
    m->raw.head_len = n;
    m->h.fields = s->fpos;
    m->pub_direct = true;
    take_lead_ws(s, m);
    s->base = p;
    s->base_len = n;
    /* llhttp 8 reads "HTTP/1.1  200" (two SP) as status 0 and goes on: a lenient reader sees
     * 200, so such a head is handled as rejected and read by the tolerant scan instead. */
    if (n > 9 && p[8] == ' ' && (p[9] == ' ' || p[9] == '\t')) {
        const char *nl = memchr(p, '\n', n);
        size_t ce = nl ? (size_t)(nl - p) : n;
        if (ce && p[ce - 1] == '\r')
            ce--;
        m->h.status_line_len = (uint32_t)ce;
        s->off += n;
        llhttp_set_error_reason(&s->parser, "Invalid status code (whitespace before it)");
        head_rejected(s, m, HPE_INVALID_STATUS, p + 9);
        return;
    }
    s->parser.settings = &s->settings;
    llhttp_errno_t err = llhttp_execute(&s->parser, p, n);
    m->head_len = n;
    m->raw.head_len = n;
    status_line_info(m);
    if ((err == HPE_OK && m->headers_done) || err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE)
        classify_accepted(m, s->pub);

    if (err == HPE_OK && m->headers_done) {
        s->st = S_BODY;
        s->off += n;
    } else if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
        if (err == HPE_PAUSED)
            llhttp_resume(&s->parser);
        else
            llhttp_reset(&s->parser);
        s->off += n;
        message_done(s);
    } else {
        const char *pos = llhttp_get_error_pos(&s->parser);
        if (err == HPE_OK)
            pos = p + n;
        s->off += n;
        head_rejected(s, m, err == HPE_OK ? HPE_INVALID_EOF_STATE : err, pos);
    }
}

/* ---- feeding ---- */

static enum skip_kind stray_kind(const resplint_stream *s)
{
    if (!s->have_prev)
        return SKIP_START;
    const msg *m = s->prev;
    if (m->no_body_status || m->raw.body_kind == RLINT_BODY_UNKNOWN)
        return SKIP_BODY;
    return SKIP_STRAY;
}

static void head_over_limit(resplint_stream *s)
{
    msg *m = s->cur;
    size_t n = s->hb.len;
    adopt_head(s, m);
    m->raw.head_limit = true;
    rlint_raw scratch; /* the head is cut: its syntax is not judged */
    memset(&scratch, 0, sizeof scratch);
    scan_head(s, m, &scratch);
    take_request(s, m, m->h.status);
    m->raw.body_kind = RLINT_BODY_UNKNOWN;
    s->off += n;
    llhttp_reset(&s->parser);
    message_done(s);
    start_skip(s, SKIP_BODY);
}

/* llhttp stopped inside p[0..n): at the end of a message (paused there, or at an upgrade), or
 * on a fault of the body. Returns how many bytes of p it used. */
static size_t execute_stopped(resplint_stream *s, msg *m, const char *p, size_t n,
                              llhttp_errno_t err)
{
    const char *pos = llhttp_get_error_pos(&s->parser);
    size_t used = pos && pos >= p && pos <= p + n ? (size_t)(pos - p) : n;
    s->off += used;
    if (err == HPE_PAUSED) {
        llhttp_resume(&s->parser);
        message_done(s);
    } else if (err == HPE_PAUSED_UPGRADE) {
        llhttp_reset(&s->parser);
        message_done(s);
    } else {
        body_failed(s, m, err);
    }
    return used;
}

/* The fast path: llhttp runs over the caller's chunk from the start of a response, through its
 * head and body. A head that does not end inside the chunk, or that llhttp rejects, is parsed
 * again the slow way (collected whole, then classified). */
static size_t fast_head(resplint_stream *s, const char *p, size_t n)
{
    msg *m = s->cur;
    reset_msg(s, m);
    m->start = s->off;
    m->head = p;
    m->h.fields = s->fpos;
    m->pub_direct = true;
    s->base = p;
    s->base_len = n;
    if (n > 9 && p[8] == ' ' && (p[9] == ' ' || p[9] == '\t')) {
        s->slow_head = true; /* see parse_head: llhttp misreads this status line */
        return 0;
    }
    s->parser.settings = &s->settings;
    llhttp_errno_t err = llhttp_execute(&s->parser, p, n);
    if (!m->headers_done) {
        llhttp_reset(&s->parser);
        s->slow_head = true;
        return 0;
    }
    take_lead_ws(s, m);
    status_line_accepted(m);
    classify_accepted(m, s->pub);
    if (err == HPE_OK) {
        s->st = S_BODY;
        s->off += n;
        return n;
    }
    return execute_stopped(s, m, p, n, err);
}

/* Collects head bytes; returns how many bytes of p it used. */
static size_t feed_head(resplint_stream *s, const char *p, size_t n)
{
    size_t limit = (size_t)s->cfg->limits[RESPLINT_LIMIT_HEAD_BYTES];
    if (s->hb.len == 0 && !s->slow_head && n <= limit) /* a head within n is within the limit */
        return fast_head(s, p, n);
    if (s->hb.len == 0) {
        size_t e = rlint_head_end(p, n, 0);
        if (e && e <= limit) {
            parse_head(s, p, e);
            return e;
        }
    } else if (s->hb.len < 5) {
        /* a candidate "HTTP/" split over chunks: confirm it before collecting a head */
        size_t k = 0;
        while (s->hb.len + k < 5 && k < n && p[k] == HTTP_PREFIX[s->hb.len + k])
            k++;
        if (s->hb.len + k < 5 && k < n) {
            enum skip_kind kind = stray_kind(s);
            size_t pre = s->hb.len;
            start_skip(s, kind);
            memcpy(s->preview, s->hb.p, pre);
            s->preview_len = pre;
            s->off += pre;
            s->hb.len = 0;
            return 0;
        }
        if (s->hb.len + k == 5)
            finalize_prev(s);
    }
    size_t old = s->hb.len;
    size_t take = n;
    if (take > limit - old)
        take = limit - old;
    /* A blank line inside p bounds the head: copy no further than that, not the rest of a
     * chunk that is mostly body (one straddling the boundary is found by the scan below). */
    size_t in_p = rlint_head_end(p, take, 0);
    if (in_p)
        take = in_p;
    int rc = rlint_buf_append(&s->hb, p, take, limit);
    if (rc < 0) {
        s->error = rc;
        return n;
    }
    size_t from = s->hb_scan > 3 ? s->hb_scan - 3 : 0;
    size_t e = rlint_head_end(s->hb.p, s->hb.len, from);
    if (e) {
        s->hb.len = e;
        s->hb_scan = 0;
        parse_head(s, s->hb.p, e);
        return e - old;
    }
    s->hb_scan = s->hb.len;
    if (s->hb.len >= limit) {
        s->hb_scan = 0;
        head_over_limit(s);
    }
    return take;
}

static size_t feed_start(resplint_stream *s, const char *p, size_t n)
{
    size_t k = 0;
    if (n >= 5 && memcmp(p, HTTP_PREFIX, 5) == 0)
        k = 5; /* the common case of the loop below */
    else
        while (k < n && k < 5 && p[k] == HTTP_PREFIX[k])
            k++;
    if (k == 5) {
        finalize_prev(s);
        s->st = S_HEAD;
        return s->error ? 0 : feed_head(s, p, n); /* what the next turn of the feed loop does */
    }
    if (k == n) { /* a prefix of "HTTP/" at the end of the chunk: wait for more */
        int rc = rlint_buf_append(&s->hb, p, n, 5);
        if (rc < 0)
            s->error = rc;
        s->st = S_HEAD;
        return n;
    }
    start_skip(s, stray_kind(s));
    return 0;
}

static size_t feed_body(resplint_stream *s, const char *p, size_t n)
{
    msg *m = s->cur;
    llhttp_errno_t err = llhttp_execute(&s->parser, p, n);
    if (err == HPE_OK) {
        s->off += n;
        return n;
    }
    return execute_stopped(s, m, p, n, err);
}

/* Resynchronisation looks for "HTTP/1.x " anywhere: a body rarely ends with a line break, so
 * the next response usually starts mid-line. */
static bool resync_byte(size_t pos, char c)
{
    static const char pat[] = "HTTP/1.? ";
    return pos == 7 ? (c >= '0' && c <= '9') : c == pat[pos];
}

#define RESYNC_LEN 9

static size_t feed_skip(resplint_stream *s, const char *p, size_t n)
{
    if (s->preview_len < sizeof s->preview) {
        size_t c = sizeof s->preview - s->preview_len;
        if (c > n)
            c = n;
        memcpy(s->preview + s->preview_len, p, c);
        s->preview_len += c;
    }
    size_t i = 0;
    size_t carried = s->skip_match; /* candidate bytes matched in earlier chunks */
    while (i < n) {
        if (s->skip_match) {
            while (i < n && s->skip_match < RESYNC_LEN && resync_byte(s->skip_match, p[i]))
                s->skip_buf[s->skip_match++] = p[i++];
            if (s->skip_match == RESYNC_LEN) {
                size_t from_prev = carried;
                uint64_t start = s->off + i - RESYNC_LEN; /* off is p[0]'s offset */
                uint64_t skipped = start - s->skip_start;
                if (s->preview_len > skipped)
                    s->preview_len = (size_t)skipped;
                s->off = start;
                s->st = S_HEAD; /* before end_skip: a status line follows the skipped bytes */
                end_skip(s);
                s->skip_match = 0;
                if (from_prev) { /* the head began in an earlier chunk */
                    int rc = rlint_buf_append(&s->hb, s->skip_buf, from_prev, RESYNC_LEN);
                    if (rc < 0)
                        s->error = rc;
                    return 0;
                }
                return i - RESYNC_LEN;
            }
            if (i == n)
                break; /* the chunk ended inside a candidate */
            s->skip_match = 0; /* p[i] is examined again as a possible start */
            carried = 0;
        }
        const char *h = memchr(p + i, 'H', n - i);
        if (!h) {
            i = n;
            break;
        }
        i = (size_t)(h - p) + 1;
        s->skip_buf[0] = 'H';
        s->skip_match = 1;
        carried = 0;
    }
    s->off += n;
    return n;
}

static void own_live_heads(resplint_stream *s)
{
    if (s->st == S_BODY)
        own_head(s, s->cur);
    if (s->have_prev)
        own_head(s, s->prev);
}

int resplint_stream_feed(resplint_stream *s, const void *data, size_t len)
{
    if (!s || (!data && len))
        return RESPLINT_EINVAL;
    if (s->st == S_DONE)
        return RESPLINT_ESTATE;
    const char *p = data;
    size_t n = len;
    int idle = 0;
    while (n > 0 && !s->error) {
        size_t used = 0;
        switch (s->st) {
        case S_START:
            used = feed_start(s, p, n);
            break;
        case S_HEAD:
            used = feed_head(s, p, n);
            break;
        case S_BODY:
            used = feed_body(s, p, n);
            break;
        case S_DISCARD: {
            used = n < s->discard_left ? n : (size_t)s->discard_left;
            s->discard_left -= used;
            s->off += used;
            if (s->have_prev)
                s->prev->raw.body_wire_bytes += used;
            if (s->discard_left == 0)
                s->st = S_START;
            break;
        }
        case S_SKIP:
            used = feed_skip(s, p, n);
            break;
        case S_TUNNEL:
        case S_DONE:
            s->off += n;
            used = n;
            break;
        }
        p += used;
        n -= used;
        /* A step may hand over to another state without consuming, but a handful of such
         * steps in a row means the states hand the same bytes back and forth: that is a bug,
         * reported as an error rather than a hang. */
        idle = used == 0 ? idle + 1 : 0;
        if (idle > 8)
            s->error = RESPLINT_ESTATE;
    }
    own_live_heads(s);
    return s->error;
}

int resplint_stream_finish(resplint_stream *s)
{
    if (!s)
        return RESPLINT_EINVAL;
    if (s->st == S_DONE)
        return RESPLINT_ESTATE;
    if (s->error) {
        /* after an allocation failure a head may still point into a chunk that is gone (its
         * copy failed): nothing more is read, the error stands */
        s->st = S_DONE;
        return s->error;
    }
    switch (s->st) {
    case S_HEAD:
        if (s->hb.len && !memchr(s->hb.p, '\n', s->hb.len)) {
            /* the stream ends inside a status line ("HTTP", "HTTP/1.1 2"): a cut head, not
             * stray bytes, and no status to judge */
            msg *m = s->cur;
            size_t n = s->hb.len;
            finalize_prev(s);
            adopt_head(s, m);
            m->raw.no_status_line = true;
            m->raw.ended_in_head = true;
            m->h.status_text_off = 0;
            m->h.status_text_len = (uint32_t)n;
            m->raw.parse_offset = s->off;
            m->raw.unexpected_len = n;
            m->raw.parse_reason = "the stream ends inside a status line";
            s->off += n;
            check_msg(s, m);
        } else if (s->hb.len) {
            msg *m = s->cur;
            size_t n = s->hb.len;
            finalize_prev(s);
            adopt_head(s, m);
            m->raw.ended_in_head = true;
            rlint_raw scratch; /* the head is cut: its syntax is not judged */
            memset(&scratch, 0, sizeof scratch);
            scan_head(s, m, &scratch);
            /* A field line the stream cut short is not what the server sent: drop it. */
            if (m->h.nfields) {
                const rlint_field_pos *last = &m->h.fields[m->h.nfields - 1];
                if ((size_t)last->name_off + last->line_len >= n)
                    m->h.nfields--;
            }
            take_request(s, m, m->h.status);
            m->raw.parse_error = HPE_INVALID_EOF_STATE;
            m->raw.parse_reason = "the stream ends inside the response head";
            m->raw.parse_offset = s->off + n;
            m->raw.body_kind = RLINT_BODY_UNKNOWN;
            s->off += n;
            check_msg(s, m);
        }
        break;
    case S_BODY: {
        llhttp_errno_t err = llhttp_finish(&s->parser);
        if (err != HPE_OK && err != HPE_PAUSED) {
            s->cur->raw.truncated = true;
            s->cur->raw.parse_offset = s->off;
        }
        message_done(s);
        break;
    }
    case S_DISCARD:
        if (s->have_prev)
            s->prev->raw.truncated = true;
        break;
    case S_SKIP:
        end_skip(s);
        break;
    case S_START:
    case S_TUNNEL:
    case S_DONE:
        break;
    }
    finalize_prev(s);
    s->st = S_DONE;
    return s->error;
}

size_t resplint_stream_memory(const resplint_stream *s)
{
    if (!s)
        return 0;
    size_t n = sizeof *s + s->hb.cap + s->fpos_cap * sizeof *s->fpos +
               s->pub_cap * sizeof *s->pub + s->rq_cap * sizeof *s->rq + s->url_bytes;
    for (int i = 0; i < 2; i++)
        n += s->slots[i].own.cap + s->slots[i].raw.syntax_cap * sizeof *s->slots[i].raw.syntax;
    return n;
}

int resplint_stream_in_message(const resplint_stream *s, uint64_t *start)
{
    if (!s)
        return 0;
    uint64_t at;
    switch (s->st) {
    case S_HEAD:
        if (!s->hb.len)
            return 0;
        at = s->off;
        break;
    case S_BODY:
        at = s->cur->start;
        break;
    case S_DISCARD:
        if (!s->discard_left || !s->have_prev)
            return 0;
        at = s->prev->start;
        break;
    default:
        return 0;
    }
    if (start)
        *start = at;
    return 1;
}

int resplint_stream_gap(resplint_stream *s, uint64_t missing_bytes)
{
    if (!s)
        return RESPLINT_EINVAL;
    if (s->st == S_DONE)
        return RESPLINT_ESTATE;
    if (s->error)
        return s->error; /* as after finish: nothing more is read */
    s->lead_ws_len = 0; /* whitespace before a head the gap cut belongs to nobody */
    switch (s->st) {
    case S_HEAD:
        s->off += s->hb.len; /* a head cut by the gap is nobody's finding */
        s->hb.len = 0;
        s->hb_scan = 0;
        s->slow_head = false;
        llhttp_reset(&s->parser);
        break;
    case S_BODY:
        s->cur->raw.body_kind = RLINT_BODY_UNKNOWN;
        llhttp_reset(&s->parser);
        message_done(s);
        break;
    case S_DISCARD:
        if (s->have_prev)
            s->prev->raw.body_kind = RLINT_BODY_UNKNOWN;
        break;
    case S_SKIP:
        end_skip(s);
        break;
    case S_TUNNEL:
        s->off += missing_bytes;
        return 0;
    case S_START:
    case S_DONE:
        break;
    }
    finalize_prev(s);
    s->off += missing_bytes;
    start_skip(s, SKIP_GAP);
    return s->error;
}

static void init_parser(resplint_stream *s)
{
    llhttp_init(&s->parser, HTTP_RESPONSE, &s->settings);
    s->parser.data = s;
    /* Keep-alive is the server's promise, not framing: a response after "Connection: close"
     * is still parsed (and linted) rather than rejected. */
    llhttp_set_lenient_keep_alive(&s->parser, 1);
}

resplint_stream *resplint_stream_new(const resplint_config *cfg, resplint_finding_cb on_finding,
                                     void *user)
{
    if (!cfg || !on_finding)
        return NULL;
    resplint_stream *s = rlint_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = cfg;
    s->on_finding = on_finding;
    s->user = user;
    llhttp_settings_init(&s->settings);
    s->settings.on_status = on_status;
    s->settings.on_header_field = on_header_field;
    s->settings.on_header_value = on_header_value;
    s->settings.on_headers_complete = on_headers_complete;
    s->settings.on_body = on_body;
    s->settings.on_message_complete = on_message_complete;
    llhttp_settings_init(&s->body_settings);
    s->body_settings.on_headers_complete = on_headers_complete;
    s->body_settings.on_body = on_body;
    s->body_settings.on_message_complete = on_message_complete;
    init_parser(s);
    s->cur = &s->slots[0];
    s->prev = &s->slots[1];
    return s;
}

void resplint_stream_on_response(resplint_stream *s, resplint_response_cb cb)
{
    if (s)
        s->on_response = cb;
}

void resplint_stream_reset(resplint_stream *s)
{
    if (!s)
        return;
    init_parser(s);
    s->st = S_START;
    s->off = 0;
    s->nresp = 0;
    s->have_prev = false;
    s->hb.len = 0;
    s->hb_scan = 0;
    s->slow_head = false;
    drop_queue(s);
    s->has_defreq = false;
    s->prov = 0;
    s->lead_ws_len = 0;
    s->error = 0;
    body_abort(s);
    for (int i = 0; i < 2; i++) {
        s->slots[i].head = NULL;
        s->slots[i].own.len = 0;
        if (s->slots[i].url_own) {
            s->url_bytes -= s->slots[i].req.url_len;
            rlint_free(s->slots[i].url_own);
        }
        s->slots[i].url_own = NULL;
        s->slots[i].has_req = false;
    }
}

void resplint_stream_free(resplint_stream *s)
{
    if (!s)
        return;
    body_abort(s);
    rlint_buf_free(&s->hb);
    rlint_buf_free(&s->slots[0].own);
    rlint_buf_free(&s->slots[1].own);
    rlint_free(s->slots[0].raw.syntax);
    rlint_free(s->slots[1].raw.syntax);
    rlint_free(s->fpos);
    rlint_free(s->pub);
    drop_queue(s);
    rlint_free(s->rq);
    rlint_free(s->slots[0].url_own);
    rlint_free(s->slots[1].url_own);
    rlint_free(s);
}

size_t resplint_stream_responses(const resplint_stream *s) { return s ? s->nresp : 0; }

int resplint_stream_current_head(const resplint_stream *s, const char **head, size_t *len)
{
    const msg *m = s ? s->checking : NULL;
    if (!m || !m->head || !head || !len)
        return RESPLINT_ESTATE;
    *head = m->head;
    *len = m->head_len;
    return 0;
}

uint64_t resplint_stream_offset(const resplint_stream *s) { return s ? s->off : 0; }
