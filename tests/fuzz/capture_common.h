/* Shared body of the reader harnesses: reads the input from memory with one reader forced
 * (as --input-kind does), every rule on, and touches everything a reporter would read. */
#ifndef FUZZ_CAPTURE_COMMON_H
#define FUZZ_CAPTURE_COMMON_H

#define _POSIX_C_SOURCE 200809L
#include "resplint/capture.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static size_t fuzz_len(const char *s) { return s ? strlen(s) : 0; }

static void fuzz_on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    size_t *n = user;
    *n += strlen(f->message) + strlen(f->rule->id) + fuzz_len(o->json_pointer) +
          fuzz_len(o->record_id) + fuzz_len(o->url) + fuzz_len(o->client) + fuzz_len(o->server) +
          fuzz_len(o->path);
}

static void fuzz_on_exchange(const resplint_exchange_note *note, const resplint_finding *f,
                             const resplint_origin *o, void *user)
{
    size_t *n = user;
    *n += (size_t)note->url_key + note->fields + (size_t)note->status + (f->rule ? strlen(f->rule->id) : 0) +
          fuzz_len(o->client) + fuzz_len(o->server) + o->head_len +
          (o->head_len ? (unsigned char)o->head[o->head_len - 1] : 0);
}

static void fuzz_on_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    size_t *n = user;
    (void)o;
    for (size_t i = 0; i < r->field_count; i++) {
        *n += r->fields[i].name_len + r->fields[i].value_len;
        if (r->fields[i].name_len)
            *n += (unsigned char)r->fields[i].name[r->fields[i].name_len - 1];
        if (r->fields[i].value_len)
            *n += (unsigned char)r->fields[i].value[r->fields[i].value_len - 1];
    }
    if (r->reason_len)
        *n += (unsigned char)r->reason[r->reason_len - 1];
    if (r->method_len)
        *n += (unsigned char)r->method[r->method_len - 1];
}

/* Small limits on odd inputs (chosen by the input's length, not its bytes, so that the
 * seeds keep their meaning), so that the limit paths are reached too. */
static resplint_config *fuzz_config(int small)
{
    resplint_config *cfg = resplint_config_new();
    for (size_t i = 0; cfg && i < resplint_rule_count(); i++)
        resplint_config_enable(cfg, resplint_rule_at(i)->id);
    if (cfg && small) {
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_HEAD_BYTES, 512);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 8);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_RESPONSES, 4);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FINDINGS, 3);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOWS, 2);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOW_BUFFER, 256);
        resplint_config_set_limit(cfg, RESPLINT_LIMIT_FLOW_IDLE, 1);
    }
    return cfg;
}

typedef struct fuzz_feed {
    resplint_capture_feed *feed;
    FILE *fp;
    const resplint_config *cfg;
    const resplint_capture_options *opts;
} fuzz_feed;

static void *fuzz_feed_main(void *arg)
{
    fuzz_feed *ff = arg;
    resplint_capture_feed_run(ff->feed, ff->cfg, "fuzz-input", ff->fp, ff->opts);
    return NULL;
}

static int fuzz_capture(const uint8_t *data, size_t size, resplint_input_kind kind)
{
    static resplint_config *cfgs[2];
    int small = (int)(size % 7 == 3);
    if (!cfgs[small]) /* built once: a configuration is read-only and shared */
        cfgs[small] = fuzz_config(small);
    if (!cfgs[small])
        return 0;
    /* Every other WARC input is a real file: the plain reader looks ahead in regular files
     * (pread) where a record's declared length is wrong, which a memory stream cannot show. */
    FILE *fp = NULL;
    if (kind == RESPLINT_INPUT_WARC && size % 2 == 0) {
        fp = tmpfile();
        if (fp && (fwrite(data, 1, size, fp) != size || fflush(fp) != 0 || fseek(fp, 0, SEEK_SET))) {
            fclose(fp);
            return 0;
        }
    } else {
        /* fmemopen of 0 bytes fails on some libcs: read an empty input as /dev/null would be */
        static const char empty[1];
        fp = fmemopen(size ? (void *)(uintptr_t)data : (void *)(uintptr_t)empty, size ? size : 1,
                      "rb");
        if (fp && !size)
            (void)fgetc(fp);
    }
    if (!fp)
        return 0;
    size_t sink = 0;
    resplint_capture_handler h = {sizeof h, fuzz_on_finding, fuzz_on_response, NULL, &sink,
                                  fuzz_on_exchange};
    resplint_capture_options opts;
    memset(&opts, 0, sizeof opts);
    opts.kind = kind;
    if (kind == RESPLINT_INPUT_PCAP && size % 3 == 2) {
        /* a capture's connections shared out: one shard of two or three */
        opts.nshards = 2 + (unsigned)(size % 2);
        opts.shard = (unsigned)(size % 11) % opts.nshards;
    }
    if (size % 5 == 1) {
        opts.host_glob = "*.example.[a-m]*";
        opts.url_glob = "*://*/?*";
    }
    resplint_capture_stats stats;
    char err[512];
    /* one shard in two of those over a shared reading (resplint_capture_feed): the producer on
     * a thread of its own, reading a stream of its own; the other shards left at once */
    fuzz_feed ff = {NULL, NULL, cfgs[small], &opts};
    pthread_t producer;
    bool fed = opts.nshards > 1 && size % 4 < 2 &&
               (ff.fp = fmemopen((void *)(uintptr_t)data, size, "rb")) != NULL &&
               (ff.feed = resplint_capture_feed_new(opts.nshards, NULL, NULL)) != NULL &&
               pthread_create(&producer, NULL, fuzz_feed_main, &ff) == 0;
    if (fed) {
        opts.feed = ff.feed;
        for (unsigned k = 0; k < opts.nshards; k++)
            if (k != opts.shard)
                resplint_capture_feed_leave(ff.feed, k);
    }
    resplint_capture_file(cfgs[small], "fuzz-input", fp, &opts, &h, &stats, err, sizeof err);
    if (fed)
        pthread_join(producer, NULL);
    resplint_capture_feed_free(ff.feed);
    if (ff.fp)
        fclose(ff.fp);
    fclose(fp);
    return 0;
}

#endif
