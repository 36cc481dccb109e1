/* The capture dispatcher: opens an input, detects its kind from its first bytes and hands it
 * to the matching reader. The helpers the readers share are in reader.c: no reader calls
 * back into this file. */
#define _POSIX_C_SOURCE 200809L
#include "../core/abi.h"
#include "feed.h"
#include "rectree.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

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

/* Hands the input to the reader of its kind. */
static int read_kind(rlcap_reader *r, resplint_input_kind kind)
{
    int rc;
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
    case RESPLINT_INPUT_VCR:
        rc = rlcap_read_vcr(r);
        break;
    case RESPLINT_INPUT_BETAMAX:
        rc = rlcap_read_betamax(r);
        break;
    case RESPLINT_INPUT_NOCK:
        rc = rlcap_read_nock(r);
        break;
    case RESPLINT_INPUT_WIREMOCK:
        rc = rlcap_read_wiremock(r);
        break;
    case RESPLINT_INPUT_POSTMAN:
        rc = rlcap_read_postman(r);
        break;
    case RESPLINT_INPUT_NEWMAN:
        rc = rlcap_read_newman(r);
        break;
    case RESPLINT_INPUT_MITMPROXY:
        rc = rlcap_read_mitmproxy(r);
        break;
    default: /* a kind the caller made up */
        rc = rlcap_fail(r, RESPLINT_EFORMAT, "%s: input kind %d is not supported", r->path,
                        (int)kind);
        break;
    }
    return rc;
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
        /* sharding splits the connections of a capture; any other input is shard 0's alone */
        if (r->produce)
            rc = rlcap_feed_pcap(r, r->produce);
        else if (r->opts->nshards > 1 && r->opts->shard > 0 && kind != RESPLINT_INPUT_PCAP)
            rc = 0;
        else
            rc = read_kind(r, kind);
    }
    if (close)
        fclose(r->fp);
    if (rc < 0 && !rlcap_failed(r)) /* an error no reader put in words */
        rlcap_fail(r, rc, "%s: %s", r->path, resplint_strerror(rc));
    return rlcap_result(r);
}

/* first layouts (lib/core/abi.h): 0.2's, before the members of sharded captures */
#define RLINT_BASE_HANDLER offsetof(resplint_capture_handler, on_exchange)
#define RLINT_BASE_OPTIONS offsetof(resplint_capture_options, shard)

/* The reader's fields that do not come from the caller's structs (those are in r->*_copy). */
static void reader_setup(rlcap_reader *r, const resplint_config *cfg, const char *path,
                         resplint_capture_stats *stats, char *errbuf, size_t errlen)
{
    r->cfg = cfg;
    r->path = path;
    r->opts = &r->opts_copy;
    r->handler = &r->handler_copy;
    r->stats = stats;
    r->err.buf = errbuf;
    r->err.len = errlen;
}

int resplint_capture_file(const resplint_config *cfg, const char *path, FILE *fp,
                          const resplint_capture_options *opts,
                          const resplint_capture_handler *handler, resplint_capture_stats *stats,
                          char *errbuf, size_t errlen)
{
    static const resplint_capture_options no_opts = {.size = sizeof no_opts};
    rlcap_reader r;
    memset(&r, 0, sizeof r);
    bool opts_ok = rlint_abi_copy(&r.opts_copy, sizeof r.opts_copy, opts ? opts : &no_opts,
                                  RLINT_BASE_OPTIONS);
    if (!cfg || !path || !handler || !opts_ok ||
        !rlint_abi_copy(&r.handler_copy, sizeof r.handler_copy, handler,
                        RLINT_BASE_HANDLER) ||
        !r.handler_copy.on_finding ||
        (r.opts_copy.nshards > 1 &&
         (r.opts_copy.shard >= r.opts_copy.nshards || !r.handler_copy.on_exchange))) {
        /* a shard refused takes no frames: the shared reading must not wait for it */
        if (opts_ok && r.opts_copy.nshards > 1 && r.opts_copy.feed)
            resplint_capture_feed_leave(r.opts_copy.feed, r.opts_copy.shard);
        return RESPLINT_EINVAL;
    }
    resplint_capture_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (errbuf && errlen)
        errbuf[0] = '\0';
    reader_setup(&r, cfg, path, stats, errbuf, errlen);
    int rc = read_input(&r, fp);
    if (r.opts_copy.nshards > 1 && r.opts_copy.feed) /* it takes no more frames */
        resplint_capture_feed_leave(r.opts_copy.feed, r.opts_copy.shard);
    return rc;
}

static void no_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    (void)f;
    (void)o;
    (void)user;
}

int resplint_capture_feed_run(resplint_capture_feed *feed, const resplint_config *cfg,
                              const char *path, FILE *fp, const resplint_capture_options *opts)
{
    static const resplint_capture_options no_opts = {.size = sizeof no_opts};
    if (!feed)
        return RESPLINT_EINVAL;
    rlcap_reader r;
    memset(&r, 0, sizeof r);
    char err[1024] = "";
    resplint_capture_stats stats;
    memset(&stats, 0, sizeof stats);
    int rc = RESPLINT_EINVAL;
    if (cfg && path &&
        rlint_abi_copy(&r.opts_copy, sizeof r.opts_copy, opts ? opts : &no_opts,
                       RLINT_BASE_OPTIONS)) {
        r.handler_copy.size = sizeof r.handler_copy;
        r.handler_copy.on_finding = no_finding; /* the producer reports nothing */
        reader_setup(&r, cfg, path, &stats, err, sizeof err);
        r.produce = feed;
        rc = read_input(&r, fp);
    }
    /* the shards wait for the opening: one that never happened is said too */
    if (!rlcap_feed_opened(feed)) {
        rlcap_feed_open op;
        memset(&op, 0, sizeof op);
        op.fail = rc < 0 ? rc : RESPLINT_EIO;
        snprintf(op.msg, sizeof op.msg, "%s", err[0] ? err : resplint_strerror(op.fail));
        rlcap_feed_put(feed, RLCAP_FEED_ALL, 0, RLCAP_FEED_OPEN, &op, sizeof op, NULL, 0);
    }
    rlcap_feed_finish(feed);
    return rc;
}

