/* --jobs N (cli/jobs.c) and progress on a terminal (cli/progress.c). */
#ifndef RLCLI_JOBS_H
#define RLCLI_JOBS_H

#include "cli.h"
#include "config.h"

#include <stdint.h>

/* Progress on stderr: only when stderr is a terminal, at most five times a second, cleared
 * when done. */
typedef struct rlcli_progress {
    bool on;
    long long last_ms;
    bool shown;
} rlcli_progress;

void rlcli_progress_init(rlcli_progress *p);
void rlcli_progress_bytes(rlcli_progress *p, const char *path, uint64_t done, uint64_t total,
                          size_t responses, size_t findings);
void rlcli_progress_files(rlcli_progress *p, size_t done, size_t total, size_t responses,
                          size_t findings);
void rlcli_progress_clear(rlcli_progress *p);

/* Where an input's events go: the reporters, through the CLI's own callbacks. */
typedef struct rlcli_input_sink {
    void (*begin)(const char *path, void *user);
    void (*finding)(const resplint_finding *f, const resplint_origin *o, void *user);
    void (*response)(const resplint_response *resp, const resplint_origin *o, void *user);
    /* rc: resplint_capture_file's; err: its message (may be empty) */
    void (*end)(const char *path, int rc, const char *err, const resplint_capture_stats *stats,
                void *user);
    void *user;
} rlcli_input_sink;

typedef struct rlcli_jobs rlcli_jobs;

/* A pool of n worker threads (n >= 1). NULL on allocation failure. */
rlcli_jobs *rlcli_jobs_new(unsigned n);
/* Queues an input (the path is copied). -1 on allocation failure. */
int rlcli_jobs_add(rlcli_jobs *j, const char *path);
size_t rlcli_jobs_count(const rlcli_jobs *j);
/* The path of queued input i (i < rlcli_jobs_count). */
const char *rlcli_jobs_path(const rlcli_jobs *j, size_t i);
/* Checks every queued input on n threads (this one and n - 1 workers; inputs taken in batches),
 * each input with its own memory record of what it found, and replays the records into sink in
 * the order the inputs were queued, so the output is the same as with one job. The threads run
 * at most a few batches ahead of the replay, so memory stays bounded. Returns 0 (with no worker
 * started, this thread checks every input), or -1 when the lock could not be set up (nothing
 * was checked). */
int rlcli_jobs_run(rlcli_jobs *j, const resplint_config *cfg, const rlcli_conf *conf,
                   const resplint_capture_options *copts, const rlcli_input_sink *sink);
void rlcli_jobs_free(rlcli_jobs *j);
/* One capture (pcap or pcapng) checked on the pool's n threads, its connections shared out
 * (resplint_capture_options.nshards): the shards' records are merged into sink (begin, the
 * findings and responses, end) as they come, as one job reports them; a shard that meets a
 * limit depending on every connection hands the rest to an unsharded check. Returns 0, or 1
 * when nothing was handed to sink and the capture must be checked as usual (a thread or memory
 * could not be had). */
int rlcli_jobs_sharded(rlcli_jobs *j, const char *path, const resplint_config *cfg,
                       const rlcli_conf *conf, const resplint_capture_options *copts,
                       const rlcli_input_sink *sink, rlcli_progress *progress);
/* --jobs N: *out becomes a pool for N > 1, NULL for 1. 0, or 2 after printing a usage error. */
int rlcli_jobs_option(const char *arg, rlcli_jobs **out);
/* rlcli_jobs_run with the sink given as callbacks, progress as inputs are replayed, and a
 * fallback to checking the inputs one by one on this thread when no thread starts. */
void rlcli_jobs_replay(rlcli_jobs *j, const resplint_config *cfg, const rlcli_conf *conf,
                       const resplint_capture_options *copts, void (*begin)(const char *, void *),
                       void (*finding)(const resplint_finding *, const resplint_origin *, void *),
                       void (*response)(const resplint_response *, const resplint_origin *, void *),
                       void (*end)(const char *, int, const char *, const resplint_capture_stats *,
                                   void *),
                       void *user, rlcli_progress *progress);

#endif
