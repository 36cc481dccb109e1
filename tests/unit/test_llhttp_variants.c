/* llhttp's two compiled variants (lib/llhttp/dispatch.c: generic, and SSE4.2 where the CPU
 * has it) parse alike: the same callbacks with the same spans, the same error at the same
 * byte, for every raw fixture, the benchmark's kind of heads, and each byte of long heads
 * replaced by bytes the SSE4.2 ranges must tell apart, at several chunkings. Exit 77 (ctest:
 * skipped) when llhttp is not compiled here or the CPU has no SSE4.2. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if RESPLINT_LLHTTP_VARIANTS
#include "llhttp_variants.h"

#define MAX_EVENTS 4096

typedef struct event {
    int kind;
    long at, len; /* offset from the input's start; -1 for events without a span */
} event;

typedef struct trace {
    const char *base;
    event ev[MAX_EVENTS];
    size_t n;
    int err;
    long err_at;
} trace;

static void add(llhttp_t *p, int kind, const char *at, size_t len)
{
    trace *t = p->data;
    if (t->n < MAX_EVENTS)
        t->ev[t->n++] = (event){kind, at ? (long)(at - t->base) : -1, at ? (long)len : -1};
}

#define SPAN_CB(name, k)                                                                       \
    static int name(llhttp_t *p, const char *at, size_t len)                                   \
    {                                                                                          \
        add(p, k, at, len);                                                                    \
        return 0;                                                                              \
    }
#define CB(name, k)                                                                            \
    static int name(llhttp_t *p)                                                               \
    {                                                                                          \
        add(p, k, NULL, 0);                                                                    \
        return 0;                                                                              \
    }
SPAN_CB(on_url, 1)
SPAN_CB(on_status, 2)
SPAN_CB(on_field, 3)
SPAN_CB(on_value, 4)
SPAN_CB(on_body, 5)
SPAN_CB(on_method, 6)
SPAN_CB(on_version, 7)
CB(on_begin, 10)
CB(on_headers, 11)
CB(on_field_done, 12)
CB(on_value_done, 13)
CB(on_chunk_header, 14)
CB(on_chunk_complete, 15)
CB(on_status_done, 16)

static int on_complete(llhttp_t *p)
{
    add(p, 17, NULL, 0);
    return HPE_PAUSED; /* as the stream parser does: pause at each message end */
}

/* Parses data as type in pieces of chunk bytes (0: at once) with variant v. */
static void parse(trace *t, llhttp__rl_variant v, llhttp_type_t type, const char *data, size_t len,
                  size_t chunk)
{
    if (llhttp__rl_use(v) != 0) {
        fprintf(stderr, "variant %d unavailable\n", (int)v);
        exit(1);
    }
    llhttp_settings_t st;
    llhttp_settings_init(&st);
    st.on_url = on_url;
    st.on_status = on_status;
    st.on_header_field = on_field;
    st.on_header_value = on_value;
    st.on_body = on_body;
    st.on_method = on_method;
    st.on_version = on_version;
    st.on_message_begin = on_begin;
    st.on_headers_complete = on_headers;
    st.on_header_field_complete = on_field_done;
    st.on_header_value_complete = on_value_done;
    st.on_chunk_header = on_chunk_header;
    st.on_chunk_complete = on_chunk_complete;
    st.on_status_complete = on_status_done;
    st.on_message_complete = on_complete;
    llhttp_t p;
    llhttp_init(&p, type, &st);
    memset(t, 0, sizeof *t);
    t->base = data;
    p.data = t;
    llhttp_errno_t e = HPE_OK;
    for (size_t off = 0; off < len && e == HPE_OK;) {
        size_t n = chunk && len - off > chunk ? chunk : len - off;
        const char *q = data + off;
        off += n;
        e = llhttp_execute(&p, q, n);
        while (e == HPE_PAUSED) {
            const char *pos = llhttp_get_error_pos(&p);
            llhttp_resume(&p);
            n -= (size_t)(pos - q);
            q = pos;
            e = llhttp_execute(&p, q, n);
        }
    }
    if (e == HPE_OK)
        e = llhttp_finish(&p);
    t->err = (int)e;
    t->err_at = e != HPE_OK && llhttp_get_error_pos(&p) ? (long)(llhttp_get_error_pos(&p) - data) : -1;
    llhttp__rl_use(LLHTTP_RL_AUTO);
}

static trace ta, tb;
static size_t compared, failures;

/* Both variants, both message types, four chunkings. */
static void same(const char *what, const char *data, size_t len)
{
    static const size_t chunks[] = {0, 1, 7, 64};
    for (int type = 0; type < 2; type++)
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            llhttp_type_t ty = type ? HTTP_REQUEST : HTTP_RESPONSE;
            parse(&ta, LLHTTP_RL_GENERIC, ty, data, len, chunks[c]);
            parse(&tb, LLHTTP_RL_SSE42, ty, data, len, chunks[c]);
            compared++;
            if (ta.n != tb.n || ta.err != tb.err || ta.err_at != tb.err_at ||
                memcmp(ta.ev, tb.ev, ta.n * sizeof ta.ev[0]) != 0) {
                if (failures++ < 10)
                    fprintf(stderr, "FAIL %s (%s, chunk %zu): generic %zu events, error %d at %ld; "
                            "sse4.2 %zu events, error %d at %ld\n", what,
                            type ? "request" : "response", chunks[c], ta.n, ta.err, ta.err_at,
                            tb.n, tb.err, tb.err_at);
            }
        }
}

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        exit(1);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path);
            continue;
        }
        size_t n = strlen(path);
        if (n < 5 || strcmp(path + n - 5, ".http") != 0 || sb.st_size > (1 << 20))
            continue;
        FILE *f = fopen(path, "rb");
        char *buf = malloc((size_t)sb.st_size + 1);
        if (!f || !buf || fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
            fprintf(stderr, "cannot read %s\n", path);
            exit(1);
        }
        fclose(f);
        same(path, buf, (size_t)sb.st_size);
        free(buf);
    }
    closedir(d);
}

int main(void)
{
    if (llhttp__rl_use(LLHTTP_RL_SSE42) != 0) {
        printf("SKIP: this CPU has no SSE4.2\n");
        return 77;
    }
    llhttp__rl_use(LLHTTP_RL_AUTO);
    if (llhttp__rl_current() != LLHTTP_RL_SSE42) {
        fprintf(stderr, "FAIL: the CPU has SSE4.2, but the generic variant was chosen\n");
        return 1;
    }
    walk(RESPLINT_SOURCE_DIR "/fixtures");
    size_t fixtures = compared;
    /* long values and tokens (the SSE4.2 scans take 16 bytes at a time), each byte replaced by
     * bytes on both sides of the ranges the scans test: controls, HTAB, SP, DEL, obs-text,
     * token and delimiter characters */
    static const char head[] =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "X-Very-Long-Token-Field-Name-Of-Forty-Bytes: v\r\n"
        "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n"
        "X-Request-Id: 5f2b7c9e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\r\n"
        "Content-Length: 5\r\n\r\nhello"
        "GET /a/rather/long/path/of/more/than/sixteen/bytes?q=1 HTTP/1.1\r\n"
        "Host: example.com\r\n\r\n";
    static const unsigned char subst[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0d, 0x1f, ' ',  '!', '"',
                                          '#',  '\'', '(',  ',',  '/',  ':',  ';',  '@',  '[', '\\',
                                          ']',  '^',  '`',  '{',  '|',  '}',  '~',  0x7f, 0x80, 0xa0,
                                          0xfe, 0xff};
    char buf[sizeof head];
    for (size_t i = 0; i + 1 < sizeof head; i++)
        for (size_t k = 0; k < sizeof subst; k++) {
            memcpy(buf, head, sizeof head);
            buf[i] = (char)subst[k];
            char what[64];
            snprintf(what, sizeof what, "head with byte %zu = 0x%02x", i, subst[k]);
            same(what, buf, sizeof head - 1);
        }
    printf("%zu fixture parses and %zu mutated parses alike in both variants\n", fixtures,
           compared - fixtures);
    if (fixtures < 100) {
        fprintf(stderr, "FAIL: only %zu fixture parses (fixtures/ not found?)\n", fixtures);
        return 1;
    }
    return failures ? 1 : 0;
}
#else
int main(void)
{
    printf("SKIP: llhttp is not compiled from its sources here (no variants to compare)\n");
    return 77;
}
#endif
