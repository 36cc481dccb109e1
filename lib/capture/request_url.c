/* The URL of a request read from a client's byte stream (raw --request, pcap): its
 * request-target and Host field, collected from llhttp's spans, made into the URL the
 * response model carries. */
#include "reader.h"
#include "rlcap_alloc.h"

#include "../core/text.h"

/* Appends at[0..n) to a growing buffer of at most max bytes; past it the buffer is marked
 * over (the URL is then unknown, never cut). */
static int append(char **buf, size_t *len, size_t *cap, bool *over, size_t max, const char *at,
                  size_t n)
{
    if (*over || n == 0)
        return 0;
    if (*len + n > max) {
        *over = true;
        return 0;
    }
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 64;
        while (c < *len + n)
            c *= 2;
        if (c > max)
            c = max;
        char *p = rlcap_realloc(*buf, c);
        if (!p)
            return RESPLINT_ENOMEM;
        *buf = p;
        *cap = c;
    }
    if (n) /* an empty piece before the first allocation: *buf is still NULL */
        memcpy(*buf + *len, at, n);
    *len += n;
    return 0;
}

void rlcap_req_url_begin(rlcap_req_url *u)
{
    u->target_len = u->host_len = 0;
    u->target_over = u->host_over = false;
    u->in_host = false;
    u->hosts = 0;
    u->name_len = 0;
}

int rlcap_req_url_target(rlcap_req_url *u, const char *at, size_t n)
{
    return append(&u->target, &u->target_len, &u->target_cap, &u->target_over,
                  RLCAP_URL_MAX, at, n);
}

int rlcap_req_url_field(rlcap_req_url *u, const char *at, size_t n)
{
    if (u->in_host) { /* a new name after a Host value */
        u->in_host = false;
        u->name_len = 0;
    }
    for (size_t i = 0; i < n; i++, u->name_len++) /* counts past 4: then it is not Host */
        if (u->name_len < sizeof u->name)
            u->name[u->name_len] = at[i];
    return 0;
}

int rlcap_req_url_value(rlcap_req_url *u, const char *at, size_t n)
{
    if (!u->in_host) {
        bool host = u->name_len == 4 && rlint_ieq(u->name, 4, "host");
        u->name_len = 0;
        if (!host)
            return 0;
        u->in_host = true;
        if (++u->hosts > 1)
            return 0; /* two Host fields: the authority is ambiguous */
    }
    if (u->hosts > 1)
        return 0;
    return append(&u->host, &u->host_len, &u->host_cap, &u->host_over, RLCAP_HOST_MAX, at, n);
}

void rlcap_req_url_field_done(rlcap_req_url *u)
{
    u->in_host = false;
    u->name_len = 0;
}

/* Trims OWS from both ends of s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
    while (*n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        (*n)--;
    }
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    return s;
}

size_t rlcap_req_url_make(const rlcap_req_url *u, resplint_scheme scheme, char *out, size_t cap)
{
    if (u->target_over || !u->target_len)
        return 0;
    const char *t = u->target;
    size_t tn = u->target_len;
    /* absolute-form (RFC 9112 §3.2.2): the target is the URL */
    size_t k = 0;
    while (k < tn && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z') ||
                      (k && ((t[k] >= '0' && t[k] <= '9') || t[k] == '+' || t[k] == '-' ||
                             t[k] == '.'))))
        k++;
    if (k && k + 2 < tn && t[k] == ':' && t[k + 1] == '/' && t[k + 2] == '/') {
        if (tn > cap)
            return 0;
        memcpy(out, t, tn);
        return tn;
    }
    /* origin-form: the authority comes from the one Host field (RFC 9112 §3.2.1) */
    if (t[0] != '/' || u->host_over || u->hosts != 1)
        return 0;
    size_t hn = u->host_len;
    const char *h = trim(u->host, &hn);
    if (!hn)
        return 0;
    const char *prefix = scheme == RESPLINT_SCHEME_HTTPS  ? "https://"
                         : scheme == RESPLINT_SCHEME_HTTP ? "http://"
                                                          : "//";
    size_t pn = strlen(prefix);
    if (pn + hn + tn > cap)
        return 0;
    memcpy(out, prefix, pn);
    memcpy(out + pn, h, hn);
    memcpy(out + pn + hn, t, tn);
    return pn + hn + tn;
}

void rlcap_req_url_free(rlcap_req_url *u)
{
    rlcap_free(u->target);
    rlcap_free(u->host);
    memset(u, 0, sizeof *u);
}
