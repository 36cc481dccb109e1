/* --jobs N: inputs checked on N threads. Each input's findings and responses are recorded and
 * replayed into the reporters in the order the inputs were given, so every report is byte for
 * byte the one a single job writes. An input's first SPILL_AT bytes of records stay in memory,
 * the rest goes to a temporary file (a 76 MB stream held 186 MB with everything in memory). */
#define _POSIX_C_SOURCE 200809L
#include "jobs.h"
#include "../lib/core/tmpfile.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* EV_XCHG, EV_XREC: a sharded capture's exchange notes (a CHECK note with the finding it may
 * become, a RECORD note alone) */
enum { EV_FINDING, EV_RESPONSE, EV_XCHG, EV_XREC };
#define EV_OWN 0x100 /* or'ed into a sharded record's type: its finding has a block of its own */

#define SPILL_AT (4u << 20) /* bytes of records the inputs of one batch keep in memory */
#define BATCH_MAX 64        /* inputs a worker takes at once (many small files) */

/* A finding, with copies of everything it points to (its evidence too, up to
 * RESPLINT_EVIDENCE_MAX bytes). Findings are few. */
typedef struct finding_rec {
    resplint_finding f;
    resplint_origin o;
    char *strings; /* one block holding every string the record points to */
    resplint_exchange_note note; /* EV_XCHG: f is what the note may become */
} finding_rec;

/* A response: only what reporters read of it (status line numbers and where it is), without
 * allocation, since a capture may hold millions. */
typedef struct response_rec {
    int status;
    uint8_t kind, major, minor;
    uint32_t line, column;
    size_t index;
    int64_t body_length;
    uint64_t resp_offset, offset, length, frame, record_offset;
    long har_entry, tcp_stream;
    uint64_t order; /* origin.order: a sharded capture's records are merged by it */
} response_rec;

typedef struct xrec {
    resplint_exchange_note note;
    uint64_t order;
} xrec;

typedef struct event {
    int type;
    union {
        finding_rec *finding;
        response_rec response;
        xrec xrec;
    } u;
} event;

typedef struct input {
    char *path;
    event *ev;
    size_t nev, cap;
    size_t mem;  /* bytes the in-memory records take */
    size_t spill_at; /* past this many, records are spilled: SPILL_AT shared by its batch */
    FILE *spill; /* the records after the first SPILL_AT bytes, in order */
    bool oom;
    int spill_err; /* errno of the spill file's first failed write, or -1 (cause unknown) */
    bool done;
    int rc;
    char err[1024];
    resplint_capture_stats stats;
} input;

struct rlcli_jobs {
    unsigned nthreads;
    input *in;
    size_t n, cap;
    /* shared while running */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;     /* next input a worker takes */
    size_t replayed; /* inputs replayed so far */
    size_t done;     /* inputs 0..done-1 are all checked (the replay waits on it) */
    unsigned waiting; /* workers waiting for the replay to catch up */
    bool replay_waits; /* the replay waits for a batch to be checked */
    const resplint_config *cfg;
    const rlcli_conf *conf;
    const resplint_capture_options *copts;
};

rlcli_jobs *rlcli_jobs_new(unsigned n)
{
    rlcli_jobs *j = calloc(1, sizeof *j);
    if (j)
        j->nthreads = n ? n : 1;
    return j;
}

int rlcli_jobs_add(rlcli_jobs *j, const char *path)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 64;
        input *p = realloc(j->in, cap * sizeof *p);
        if (!p)
            return -1;
        j->in = p;
        j->cap = cap;
    }
    input *in = &j->in[j->n];
    memset(in, 0, sizeof *in);
    in->spill_at = SPILL_AT;
    in->path = strdup(path);
    if (!in->path)
        return -1;
    j->n++;
    return 0;
}

size_t rlcli_jobs_count(const rlcli_jobs *j)
{
    return j->n;
}

const char *rlcli_jobs_path(const rlcli_jobs *j, size_t i)
{
    return j->in[i].path;
}

/* The bytes the strings of e take (its evidence cut to RESPLINT_EVIDENCE_MAX, as reporters
 * read no more). */
static size_t strings_size(finding_rec *e)
{
    const char *slots[] = {e->f.message, e->o.path,   e->o.json_pointer, e->o.url,
                           e->o.client,  e->o.server, e->o.record_id};
    size_t total = 0;
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (slots[i])
            total += strlen(slots[i]) + 1;
    if (!e->o.head)
        e->o.head_len = 0;
    if (e->o.head_len > RESPLINT_EVIDENCE_MAX)
        e->o.head_len = RESPLINT_EVIDENCE_MAX;
    return total + e->o.head_len;
}

/* Copies the strings of e to p (strings_size bytes) and points e at the copies. */
static void strings_copy(finding_rec *e, char *p)
{
    const char **slots[] = {&e->f.message, &e->o.path,   &e->o.json_pointer, &e->o.url,
                            &e->o.client,  &e->o.server, &e->o.record_id};
    if (e->o.head) {
        memcpy(p, e->o.head, e->o.head_len);
        e->o.head = p;
        p += e->o.head_len;
    }
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        if (!*slots[i])
            continue;
        size_t len = strlen(*slots[i]) + 1;
        memcpy(p, *slots[i], len);
        *slots[i] = p;
        p += len;
    }
}

/* Copies the strings an event points to into one block and points the event at the copies. */
static bool own_strings(finding_rec *e)
{
    size_t total = strings_size(e);
    e->strings = malloc(total ? total : 1);
    if (!e->strings)
        return false;
    strings_copy(e, e->strings);
    return true;
}

static event *push(input *in)
{
    if (in->oom)
        return NULL;
    if (in->nev == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        event *p = realloc(in->ev, cap * sizeof *p);
        if (!p) {
            in->oom = true;
            return NULL;
        }
        in->ev = p;
        in->cap = cap;
    }
    event *e = &in->ev[in->nev];
    memset(e, 0, sizeof *e);
    return e;
}

/* ---- the spill file: records written as they are, strings after them ---- */

static const char **string_slot(finding_rec *e, size_t i)
{
    const char **slots[] = {&e->f.message, &e->o.path,   &e->o.json_pointer, &e->o.url,
                            &e->o.client,  &e->o.server, &e->o.record_id};
    return i < sizeof slots / sizeof slots[0] ? slots[i] : NULL;
}

/* false when the spill file cannot take it (the input is then out of memory) */
static bool spill_write(input *in, int type, const void *rec, const finding_rec *fr)
{
    unsigned char t = (unsigned char)type;
    bool ok = fwrite(&t, 1, 1, in->spill) == 1;
    if (type == EV_RESPONSE)
        return ok && fwrite(rec, sizeof(response_rec), 1, in->spill) == 1;
    ok = ok && fwrite(&fr->f, sizeof fr->f, 1, in->spill) == 1 &&
         fwrite(&fr->o, sizeof fr->o, 1, in->spill) == 1;
    finding_rec tmp = *fr;
    for (size_t i = 0; ok && string_slot(&tmp, i); i++) {
        const char *s = *string_slot(&tmp, i);
        uint32_t len = s ? (uint32_t)strlen(s) : UINT32_MAX;
        ok = fwrite(&len, sizeof len, 1, in->spill) == 1 &&
             (!s || fwrite(s, 1, len, in->spill) == len);
    }
    size_t hl = fr->o.head ? fr->o.head_len : 0;
    return ok && (!hl || fwrite(fr->o.head, 1, hl, in->spill) == hl);
}

/* Reads the next spilled record into *e (a finding's strings in one block, to be freed). 0 at
 * the end, -1 when the file is damaged. */
static int spill_read(FILE *f, event *e, finding_rec *fr)
{
    unsigned char t;
    if (fread(&t, 1, 1, f) != 1)
        return 0;
    e->type = t;
    if (t == EV_RESPONSE)
        return fread(&e->u.response, sizeof e->u.response, 1, f) == 1 ? 1 : -1;
    if (t != EV_FINDING || fread(&fr->f, sizeof fr->f, 1, f) != 1 ||
        fread(&fr->o, sizeof fr->o, 1, f) != 1)
        return -1;
    long start = ftell(f);
    size_t total = fr->o.head ? fr->o.head_len : 0;
    uint32_t len;
    for (size_t i = 0; string_slot(fr, i); i++) {
        if (fread(&len, sizeof len, 1, f) != 1)
            return -1;
        if (len != UINT32_MAX) {
            total += (size_t)len + 1;
            if (fseek(f, (long)len, SEEK_CUR) != 0)
                return -1;
        }
    }
    if (start < 0 || fseek(f, start, SEEK_SET) != 0)
        return -1;
    char *p = fr->strings = malloc(total ? total : 1);
    if (!p)
        return -1;
    for (size_t i = 0; string_slot(fr, i); i++) {
        if (fread(&len, sizeof len, 1, f) != 1)
            return -1;
        if (len == UINT32_MAX) {
            *string_slot(fr, i) = NULL;
            continue;
        }
        if (fread(p, 1, len, f) != len)
            return -1;
        p[len] = '\0';
        *string_slot(fr, i) = p;
        p += len + 1;
    }
    if (fr->o.head) {
        if (fread(p, 1, fr->o.head_len, f) != fr->o.head_len)
            return -1;
        fr->o.head = p;
    }
    e->u.finding = fr;
    return 1;
}

/* Past SPILL_AT, records go to the spill file (opened then). */
static bool spilling(input *in)
{
    if (in->spill)
        return true;
    if (in->mem < in->spill_at)
        return false;
    in->spill = rlint_tmpfile(getenv("TMPDIR"));
    return in->spill != NULL; /* no temporary file: memory it is */
}

/* A finding (with the note it stands for, when not NULL) copied with everything it points to;
 * NULL when memory ran out. */
static finding_rec *finding_copy(const resplint_finding *f, const resplint_origin *o,
                                 const resplint_exchange_note *note)
{
    finding_rec *fr = malloc(sizeof *fr);
    if (!fr)
        return NULL;
    fr->f = *f;
    fr->o = *o;
    if (note)
        fr->note = *note;
    if (!own_strings(fr)) {
        free(fr);
        return NULL;
    }
    return fr;
}

static void rec_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    input *in = user;
    if (spilling(in)) {
        finding_rec fr = {*f, *o, NULL, {0}};
        if (!fr.o.head)
            fr.o.head_len = 0;
        if (fr.o.head_len > RESPLINT_EVIDENCE_MAX)
            fr.o.head_len = RESPLINT_EVIDENCE_MAX;
        errno = 0;
        if (!spill_write(in, EV_FINDING, NULL, &fr) && !in->spill_err)
            in->spill_err = errno ? errno : -1;
        return;
    }
    event *e = push(in);
    if (!e)
        return;
    finding_rec *fr = finding_copy(f, o, NULL);
    if (!fr) {
        in->oom = true;
        return;
    }
    e->type = EV_FINDING;
    e->u.finding = fr;
    in->nev++;
    in->mem += sizeof *e + sizeof *fr + 256; /* the strings: a message and a path, mostly */
}

/* What reporters read of a response and its origin. */
static void response_fill(response_rec *r, const resplint_response *resp, const resplint_origin *o)
{
    r->status = resp->status;
    r->major = (uint8_t)resp->version_major;
    r->minor = (uint8_t)resp->version_minor;
    r->body_length = resp->body_length;
    r->resp_offset = resp->offset;
    r->kind = (uint8_t)o->kind;
    r->index = o->response_index;
    r->offset = o->offset;
    r->length = o->length;
    r->line = o->line;
    r->column = o->column;
    r->har_entry = o->har_entry;
    r->tcp_stream = o->tcp_stream;
    r->frame = o->frame;
    r->record_offset = o->record_offset;
    r->order = o->order;
}

static void rec_response(const resplint_response *resp, const resplint_origin *o, void *user)
{
    input *in = user;
    event ev;
    bool spill = spilling(in);
    event *e = spill ? &ev : push(in);
    if (!e)
        return;
    e->type = EV_RESPONSE;
    response_rec *r = &e->u.response;
    response_fill(r, resp, o);
    if (spill) {
        errno = 0;
        if (!spill_write(in, EV_RESPONSE, r, NULL) && !in->spill_err)
            in->spill_err = errno ? errno : -1;
        return;
    }
    in->nev++;
    in->mem += sizeof *e;
}


/* Hands one recorded event to the sink, rebuilding a response and its origin. */
static void replay(const input *in, const event *e, const rlcli_input_sink *sink)
{
    if (e->type == EV_FINDING) {
        sink->finding(&e->u.finding->f, &e->u.finding->o, sink->user);
        return;
    }
    const response_rec *r = &e->u.response;
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.size = sizeof resp;
    resp.status = r->status;
    resp.version_major = r->major;
    resp.version_minor = r->minor;
    resp.body_length = r->body_length;
    resp.offset = r->resp_offset;
    resplint_origin o;
    memset(&o, 0, sizeof o);
    o.kind = (resplint_input_kind)r->kind;
    o.path = in->path;
    o.response_index = r->index;
    o.offset = r->offset;
    o.length = r->length;
    o.line = r->line;
    o.column = r->column;
    o.har_entry = r->har_entry;
    o.tcp_stream = r->tcp_stream;
    o.frame = r->frame;
    o.record_offset = r->record_offset;
    o.file_offset = RESPLINT_NO_OFFSET;
    o.h2_stream = -1;
    o.order = r->order;
    sink->response(&resp, &o, sink->user);
}

/* Replays an input's records: those in memory, then the spilled ones. */
static void replay_all(input *in, const rlcli_input_sink *sink)
{
    for (size_t k = 0; k < in->nev; k++)
        replay(in, &in->ev[k], sink);
    if (!in->spill)
        return;
    rewind(in->spill);
    event e;
    finding_rec fr;
    int rc;
    while ((fr.strings = NULL, rc = spill_read(in->spill, &e, &fr)) > 0) {
        replay(in, &e, sink);
        free(fr.strings);
    }
    free(fr.strings);
    if (rc < 0 && in->rc == 0) {
        in->rc = RESPLINT_EIO;
        snprintf(in->err, sizeof in->err, "%s: the records of --jobs could not be read back",
                 in->path);
    }
}

/* After an input's check: its spill file flushed; a record lost (no room, no memory) makes
 * the input's error. */
static void records_done(input *in)
{
    errno = 0;
    if (in->spill && !in->spill_err && (fflush(in->spill) != 0 || ferror(in->spill)))
        in->spill_err = errno ? errno : -1;
    if (in->spill_err && in->rc == 0) {
        const char *dir = getenv("TMPDIR");
        in->rc = RESPLINT_EIO;
        snprintf(in->err, sizeof in->err,
                 "%s: the temporary file in %s recording findings for --jobs could not be "
                 "written%s%s (set TMPDIR to a folder with room)",
                 in->path, dir && *dir ? dir : "/tmp", in->spill_err > 0 ? ": " : " in full",
                 in->spill_err > 0 ? strerror(in->spill_err) : "");
    } else if (in->oom && in->rc == 0) {
        in->rc = RESPLINT_ENOMEM;
        snprintf(in->err, sizeof in->err, "%s: out of memory recording findings for --jobs",
                 in->path);
    }
}

static void check(rlcli_jobs *j, input *in)
{
    resplint_capture_handler h = {sizeof h, rec_finding, rec_response, NULL, in, NULL};
    resplint_config *pcfg = rlcli_conf_for_path(j->conf, j->cfg, in->path);
    in->rc = resplint_capture_file(pcfg ? pcfg : j->cfg, in->path, NULL, j->copts, &h, &in->stats,
                                   in->err, sizeof in->err);
    resplint_config_free(pcfg);
    records_done(in);
}

/* How many inputs a worker takes at once: guided scheduling, a share of what is left (so that
 * the last inputs are spread over every worker) up to BATCH_MAX. One lock round and one wake-up
 * per batch rather than per input: with ten thousand small files, checking each takes less time
 * than handing it over and waking the replay (--jobs 2 was then slower than --jobs 1). */
static size_t batch_len(const rlcli_jobs *j)
{
    size_t left = j->n - j->next, k = left / (4 * (size_t)j->nthreads);
    return k < 1 ? 1 : k > BATCH_MAX ? BATCH_MAX : k;
}

/* With the lock held: takes the next batch for the caller into [*first, *first + *k), or false
 * when every input is taken or the window ahead of the replay is full. The window keeps the
 * checked inputs not yet replayed few: bounded memory (each input of a batch of k keeps SPILL_AT
 * / k bytes of records in memory, the rest goes to a temporary file). */
static bool take_batch(rlcli_jobs *j, size_t *first, size_t *k)
{
    size_t window = 2 * (size_t)j->nthreads * BATCH_MAX;
    if (j->next >= j->n || j->next >= j->replayed + window)
        return false;
    *first = j->next;
    *k = batch_len(j);
    if (*k > 1 && *first + *k > j->replayed + window)
        *k = j->replayed + window - *first;
    j->next += *k;
    return true;
}

/* Checks a batch taken by take_batch (without the lock), then marks it done (with it). */
static void run_batch(rlcli_jobs *j, size_t first, size_t k)
{
    pthread_mutex_unlock(&j->mu);
    for (size_t i = first; i < first + k; i++) {
        j->in[i].spill_at = SPILL_AT / k;
        check(j, &j->in[i]);
    }
    pthread_mutex_lock(&j->mu);
    for (size_t i = first; i < first + k; i++)
        j->in[i].done = true;
    while (j->done < j->n && j->in[j->done].done)
        j->done++;
}

static void *worker(void *arg)
{
    rlcli_jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        size_t first, k;
        if (take_batch(j, &first, &k)) {
            run_batch(j, first, k);
            if (j->replay_waits)
                pthread_cond_broadcast(&j->cv);
        } else if (j->next >= j->n) {
            break;
        } else { /* the window is full: wait for the replay */
            j->waiting++;
            pthread_cond_wait(&j->cv, &j->mu);
            j->waiting--;
        }
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

static void free_events(input *in)
{
    for (size_t k = 0; k < in->nev; k++)
        if (in->ev[k].type == EV_FINDING) {
            free(in->ev[k].u.finding->strings);
            free(in->ev[k].u.finding);
        }
    free(in->ev);
    in->ev = NULL;
    in->nev = in->cap = in->mem = 0;
    if (in->spill)
        fclose(in->spill);
    in->spill = NULL;
}

int rlcli_jobs_run(rlcli_jobs *j, const resplint_config *cfg, const rlcli_conf *conf,
                   const resplint_capture_options *copts, const rlcli_input_sink *sink)
{
    j->cfg = cfg;
    j->conf = conf;
    j->copts = copts;
    j->next = j->replayed = j->done = 0;
    j->waiting = 0;
    j->replay_waits = false;
    if (pthread_mutex_init(&j->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&j->cv, NULL) != 0) {
        pthread_mutex_destroy(&j->mu);
        return -1;
    }
    /* the main thread is one of the N: it checks batches too while the next input to replay
     * is not ready, so N jobs are N threads (N + 1 was one too many for the cores asked for) */
    pthread_t *tid = calloc(j->nthreads, sizeof *tid);
    unsigned started = 0;
    while (tid && started + 1 < j->nthreads &&
           pthread_create(&tid[started], NULL, worker, j) == 0)
        started++;
    size_t ready = 0; /* inputs known to be checked */
    for (size_t i = 0; i < j->n; i++) {
        input *in = &j->in[i];
        if (i >= ready) {
            /* the replay's progress is said here and every 16 inputs, not at each one */
            pthread_mutex_lock(&j->mu);
            j->replayed = i;
            if (j->waiting)
                pthread_cond_broadcast(&j->cv);
            while (j->done <= i) {
                size_t first, k;
                if (take_batch(j, &first, &k)) {
                    run_batch(j, first, k);
                    continue;
                }
                j->replay_waits = true;
                pthread_cond_wait(&j->cv, &j->mu);
                j->replay_waits = false;
            }
            ready = j->done;
            pthread_mutex_unlock(&j->mu);
        }
        sink->begin(in->path, sink->user);
        replay_all(in, sink);
        sink->end(in->path, in->rc, in->err, &in->stats, sink->user);
        free_events(in);
        if ((i + 1) % 16 == 0 && i + 1 < ready) { /* a worker may wait for the window */
            pthread_mutex_lock(&j->mu);
            j->replayed = i + 1;
            if (j->waiting)
                pthread_cond_broadcast(&j->cv);
            pthread_mutex_unlock(&j->mu);
        }
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    free(tid);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    return 0;
}

void rlcli_jobs_free(rlcli_jobs *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        free_events(&j->in[i]);
        free(j->in[i].path);
    }
    free(j->in);
    free(j);
}

int rlcli_jobs_option(const char *arg, rlcli_jobs **out)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (end == arg || *end || n < 1 || n > 1024) {
        fprintf(stderr,
                "resplint: --jobs wants a number from 1 to 1024, not '%s'\n"
                "Try 'resplint --help'.\n",
                arg);
        return 2;
    }
    rlcli_jobs_free(*out);
    *out = NULL;
    if (n == 1)
        return 0; /* one job: inputs are checked as they are found, nothing is recorded */
    *out = rlcli_jobs_new((unsigned)n);
    if (!*out) {
        fputs("resplint: out of memory\n", stderr);
        return 2;
    }
    return 0;
}

/* The replay sink also drives progress: inputs done out of inputs queued. */
typedef struct replay_ctx {
    rlcli_input_sink inner;
    rlcli_progress *progress;
    size_t done, total, responses, findings;
} replay_ctx;

static void rp_begin(const char *path, void *user)
{
    replay_ctx *x = user;
    x->inner.begin(path, x->inner.user);
}

static void rp_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    replay_ctx *x = user;
    x->findings++;
    x->inner.finding(f, o, x->inner.user);
}

static void rp_response(const resplint_response *resp, const resplint_origin *o, void *user)
{
    replay_ctx *x = user;
    x->responses++;
    x->inner.response(resp, o, x->inner.user);
}

static void rp_end(const char *path, int rc, const char *err, const resplint_capture_stats *st,
                   void *user)
{
    replay_ctx *x = user;
    x->inner.end(path, rc, err, st, x->inner.user);
    x->done++;
    if (x->progress)
        rlcli_progress_files(x->progress, x->done, x->total, x->responses, x->findings);
}

void rlcli_jobs_replay(rlcli_jobs *j, const resplint_config *cfg, const rlcli_conf *conf,
                       const resplint_capture_options *copts, void (*begin)(const char *, void *),
                       void (*finding)(const resplint_finding *, const resplint_origin *, void *),
                       void (*response)(const resplint_response *, const resplint_origin *, void *),
                       void (*end)(const char *, int, const char *, const resplint_capture_stats *,
                                   void *),
                       void *user, rlcli_progress *progress)
{
    replay_ctx x = {{begin, finding, response, end, user}, progress, 0, j->n, 0, 0};
    rlcli_input_sink sink = {rp_begin, rp_finding, rp_response, rp_end, &x};
    if (rlcli_jobs_run(j, cfg, conf, copts, &sink) == 0)
        return;
    /* no thread could be started: check the inputs here, one after the other */
    for (size_t i = 0; i < j->n; i++) {
        input *in = &j->in[i];
        check(j, in);
        sink.begin(in->path, sink.user);
        replay_all(in, &sink);
        sink.end(in->path, in->rc, in->err, &in->stats, sink.user);
        free_events(in);
    }
}

/* ---- one capture on N threads: its connections shared out (resplint_capture_options.nshards)
 * Each shard (a thread) reads the whole capture and checks the connections of its share; this
 * thread merges their records as they come by origin.order (ties: shard order), applying the
 * exchange notes to one memory in that order, so the report is the one a single job writes.
 * The records travel in chunks; a shard runs at most QUEUE_CHUNKS chunks or QUEUE_BYTES ahead
 * of the merge (bounded memory, no temporary file). A record is merged only once every shard
 * still reading has published a later step than its own (a shard may yet stop inside the step it
 * is in). A shard that meets a limit depending on every connection (stats.shard_incomplete)
 * ends the sharing at its step: what was merged comes before it and is exact, and the capture
 * is checked again unsharded, its first records (those already reported) skipped. An input
 * error ends the merge after the step it happened in, as one job stops there. */

#define CHUNK_EVENTS 1024
#define CHUNK_BYTES (128u << 10) /* findings and their strings (a bigger one: its own block) */
/* How far a shard may run ahead of the merge: the shards' paces differ from one stretch of a
 * capture to the next, and with 8 chunks of 256 records they took turns rather than ran side
 * by side (100% CPU on 2 cores); chunks of 1024 records, up to 32 or 12 MiB ahead, let them run
 * apart with a wake-up of the merge per chunk (256-record chunks: 21,000 futex calls on a 200 MB
 * capture). Findings with big heads have blocks of their own: QUEUE_BYTES counts those too. */
#define QUEUE_CHUNKS 32
#define QUEUE_BYTES (12u << 20)
#define WAKE_CHUNKS 8 /* see wake_merge */

/* Records, and the findings they point to in bytes[]: a chunk is one allocation, used again
 * once merged (no allocation per finding, none freed by another thread). */
typedef struct chunk {
    struct chunk *next;
    size_t n, used;
    size_t own; /* bytes of the findings with blocks of their own */
    uint64_t last; /* origin.order of its last record */
    event ev[CHUNK_EVENTS];
    _Alignas(max_align_t) char bytes[CHUNK_BYTES];
} chunk;

typedef struct sharded sharded;

typedef struct shard_run {
    sharded *sd;
    unsigned k;
    bool started;
    pthread_t tid;
    /* the shard's thread */
    chunk *fill;
    bool oom;
    uint64_t oom_order; /* origin.order of the first record lost to memory */
    int rc;
    char err[1024];
    resplint_capture_stats stats;
    /* shared, under sd->mu */
    chunk *qhead, *qtail;
    size_t queued, queued_bytes;
    bool published; /* a chunk was handed over: `last` holds */
    uint64_t last;  /* origin.order of the last record handed over */
    uint64_t upto;  /* every record it will still hand over has an order >= upto (it waits
                     * for the shared reading with nothing held back: resplint_capture_feed) */
    bool done;
    chunk *spare; /* merged chunks, to be filled again */
    /* the merge's */
    chunk *cur;
    size_t pos;
    bool merged;  /* done, and every record merged */
    bool covered; /* nothing queued when `clear` was set, which is below what it may still
                   * hand over */
    bool needed;  /* under sd->mu: the merge waits for what this shard hands over next (the
                   * others' records and positions do not wake it: a wake-up is a context
                   * switch on a core that a shard or the reading was using) */
    /* shard 0: how far its reading is, for the progress line (read by the merge) */
    _Atomic uint64_t done_bytes, total_bytes;
} shard_run;

struct sharded {
    resplint_capture_feed *feed; /* the shared reading, or NULL (each shard reads the file) */
    rlcli_progress *progress;
    size_t responses, findings; /* merged so far */
    rlcli_jobs *j;
    const char *path;
    unsigned n;
    shard_run *sh;
    pthread_mutex_t mu;
    pthread_cond_t cv;  /* room in a shard's queue (a chunk taken), or the merge over */
    pthread_cond_t mcv; /* for the merge: a shard it waits for handed over records or said
                         * how far it is, a shard done or lost records */
    bool merge_waits;   /* the merge waits on mcv */
    unsigned room_waits; /* shards waiting on cv */
    _Atomic bool stop;  /* the merge is over: shards drop what they find */
};

static size_t chunk_bytes(const chunk *c) { return c->used + c->own + sizeof *c; }

/* With sd->mu held: the merge may go on (s: shard s handed over a chunk or said how far it
 * is; NULL: a shard done or records lost, which may end the merge). A merge waiting for shard
 * s is woken once WAKE_CHUNKS of its chunks are queued, or s is about to wait for the shared
 * reading (force: it hands over nothing more until the reading goes on), or any shard's queue
 * is half full (that shard is to go on, not wait for room): each wake-up is a context switch
 * on a core a shard or the reading was using, and one per chunk cost a tenth of the CPU time
 * the merge took. */
static void wake_merge(sharded *sd, const shard_run *s, bool force)
{
    if (sd->merge_waits &&
        (force || !s || (s->needed && s->queued >= WAKE_CHUNKS) ||
         s->queued >= QUEUE_CHUNKS / 2 || s->queued_bytes >= QUEUE_BYTES / 2))
        pthread_cond_signal(&sd->mcv);
}

/* Frees the findings of c that have blocks of their own. */
static void chunk_own_free(chunk *c)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->ev[k].type & EV_OWN) {
            free(c->ev[k].u.finding->strings);
            free(c->ev[k].u.finding);
            c->ev[k].type &= ~EV_OWN;
        }
    c->own = 0;
}

static void chunk_free(chunk *c)
{
    while (c) {
        chunk *next = c->next;
        chunk_own_free(c);
        free(c);
        c = next;
    }
}

/* Hands the shard's chunk to the merge (waiting while the merge is too far behind). */
static void shard_flush(shard_run *s)
{
    sharded *sd = s->sd;
    chunk *c = s->fill;
    if (!c || !c->n) /* nothing to hand over */
        return;
    s->fill = NULL;
    pthread_mutex_lock(&sd->mu);
    while ((s->queued >= QUEUE_CHUNKS || s->queued_bytes >= QUEUE_BYTES) && !sd->stop) {
        sd->room_waits++;
        pthread_cond_wait(&sd->cv, &sd->mu);
        sd->room_waits--;
    }
    if (sd->stop) {
        pthread_mutex_unlock(&sd->mu);
        chunk_free(c);
        return;
    }
    if (s->qtail)
        s->qtail->next = c;
    else
        s->qhead = c;
    s->qtail = c;
    s->queued++;
    s->queued_bytes += chunk_bytes(c);
    if (c->n) {
        s->published = true;
        s->last = c->last;
    }
    if (s->spare) { /* the next chunk to fill */
        s->fill = s->spare;
        s->spare = s->fill->next;
        s->fill->next = NULL;
    }
    wake_merge(sd, s, false);
    pthread_mutex_unlock(&sd->mu);
}

/* The next free record of the shard's chunk, with bytes free bytes beside it; NULL when
 * memory ran out. */
static event *shard_push(shard_run *s, size_t bytes)
{
    if (s->fill && (s->fill->n == CHUNK_EVENTS || CHUNK_BYTES - s->fill->used < bytes))
        shard_flush(s);
    if (!s->fill) {
        if (!(s->fill = malloc(sizeof *s->fill)))
            return NULL;
        s->fill->n = s->fill->used = s->fill->own = 0;
    }
    s->fill->next = NULL;
    event *e = &s->fill->ev[s->fill->n];
    memset(e, 0, sizeof *e);
    return e;
}

/* A record is in: the chunk's last order moves on. */
static void shard_pushed(shard_run *s, uint64_t order)
{
    s->fill->last = order;
    s->fill->n++;
}

/* Records from order on were lost (memory): the merge stops there (under the lock: the
 * merge reads these while the shard runs). */
static void shard_lost(shard_run *s, uint64_t order)
{
    pthread_mutex_lock(&s->sd->mu);
    if (!s->oom)
        s->oom_order = order;
    s->oom = true;
    wake_merge(s->sd, NULL, true);
    pthread_mutex_unlock(&s->sd->mu);
}

/* Is what the shard finds from here on of no use? The merge is over, records were lost, or
 * the shard met a limit that depends on every connection (stats.shard_incomplete: what it
 * reports after that point, in the step it stopped in, need not be what one job reports
 * there, and the merge may take a shard's records of that step before the shard is done). */
static bool shard_drops(const shard_run *s)
{
    return s->oom || s->sd->stop || s->stats.shard_incomplete;
}

static void shard_event(shard_run *s, int type, const resplint_finding *f,
                        const resplint_origin *o, const resplint_exchange_note *note)
{
    if (shard_drops(s))
        return;
    if (type == EV_XREC) {
        event *e = shard_push(s, 0);
        if (!e) {
            shard_lost(s, o->order);
            return;
        }
        e->type = type;
        e->u.xrec.note = *note;
        e->u.xrec.order = o->order;
        shard_pushed(s, o->order);
        return;
    }
    finding_rec fr = {*f, *o, NULL, {0}};
    if (note)
        fr.note = *note;
    size_t rec = (sizeof fr + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
    size_t need = rec + strings_size(&fr);
    if (need > CHUNK_BYTES) { /* a head of tens of KiB: a block of its own */
        event *e = shard_push(s, 0);
        finding_rec *dst = e ? finding_copy(f, o, note) : NULL;
        if (!dst) {
            shard_lost(s, o->order);
            return;
        }
        e->type = type | EV_OWN;
        e->u.finding = dst;
        s->fill->own += sizeof *dst + need - rec;
        shard_pushed(s, o->order);
        return;
    }
    event *e = shard_push(s, need);
    if (!e) {
        shard_lost(s, o->order);
        return;
    }
    char *p = s->fill->bytes + s->fill->used;
    s->fill->used += (need + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
    finding_rec *dst = (finding_rec *)(void *)p;
    *dst = fr;
    strings_copy(dst, p + rec);
    e->type = type;
    e->u.finding = dst;
    shard_pushed(s, o->order);
}

static void sh_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    shard_event(user, EV_FINDING, f, o, NULL);
}

static void sh_exchange(const resplint_exchange_note *note, const resplint_finding *f,
                        const resplint_origin *o, void *user)
{
    /* a RECORD note keeps its origin only when it may become the memory's RL9004 */
    bool whole = note->kind == RESPLINT_XNOTE_CHECK || (note->first && f->rule);
    shard_event(user, whole ? EV_XCHG : EV_XREC, f, o, note);
}

static void sh_response(const resplint_response *resp, const resplint_origin *o, void *user)
{
    shard_run *s = user;
    if (shard_drops(s))
        return;
    event *e = shard_push(s, 0);
    if (!e) {
        shard_lost(s, o->order);
        return;
    }
    e->type = EV_RESPONSE;
    response_fill(&e->u.response, resp, o);
    shard_pushed(s, o->order);
}

static void sh_progress(uint64_t done, uint64_t total, void *user)
{
    shard_run *s = user;
    s->done_bytes = done;
    s->total_bytes = total;
}

/* Shard k is about to wait for the shared reading (will_wait), or has read another 1 MiB of
 * frames: it says that its later records come at step upto or later, so that the merge need
 * not wait for a record of it. Before it waits, what it holds goes to the merge first (the
 * reading may be waiting for another shard, which waits for the merge); on the way, only a
 * shard that holds nothing back says it (a shard with records hands them over a chunk at a
 * time: flushing part of a chunk every 1 MiB made three times the hand-overs). */
static void sh_waiting(unsigned k, uint64_t upto, int will_wait, void *user)
{
    sharded *sd = user;
    shard_run *s = &sd->sh[k];
    if (!will_wait && s->fill && s->fill->n)
        return;
    if (!sd->stop) /* (after lost records too: those before them are held here) */
        shard_flush(s);
    pthread_mutex_lock(&sd->mu);
    if (upto > s->upto)
        s->upto = upto;
    wake_merge(sd, s, will_wait);
    pthread_mutex_unlock(&sd->mu);
}

static void *feed_main(void *arg)
{
    sharded *sd = arg;
    rlcli_jobs *j = sd->j;
    resplint_capture_options o = *j->copts;
    o.size = sizeof o;
    o.nshards = sd->n;
    o.feed = NULL;
    /* the shards' config: the reading applies its connection limits (flows, flow-idle) */
    resplint_config *pcfg = rlcli_conf_for_path(j->conf, j->cfg, sd->path);
    resplint_capture_feed_run(sd->feed, pcfg ? pcfg : j->cfg, sd->path, NULL, &o);
    resplint_config_free(pcfg);
    return NULL;
}

static void *shard_main(void *arg)
{
    shard_run *s = arg;
    sharded *sd = s->sd;
    rlcli_jobs *j = sd->j;
    resplint_capture_options o = *j->copts;
    o.size = sizeof o;
    o.shard = s->k;
    o.nshards = sd->n;
    o.feed = sd->feed;
    resplint_capture_handler h = {sizeof h, sh_finding, sh_response,
                                  s->k == 0 ? sh_progress : NULL, s, sh_exchange};
    resplint_config *pcfg = rlcli_conf_for_path(j->conf, j->cfg, sd->path);
    s->rc = resplint_capture_file(pcfg ? pcfg : j->cfg, sd->path, NULL, &o, &h, &s->stats, s->err,
                                  sizeof s->err);
    resplint_config_free(pcfg);
    shard_flush(s);
    pthread_mutex_lock(&sd->mu);
    s->done = true;
    wake_merge(sd, NULL, true);
    pthread_mutex_unlock(&sd->mu);
    return NULL;
}

/* With sd->mu held, shard s done: the order before which its records may be merged, and
 * whether it ends the sharing (*rerun) or the input (an error). UINT64_MAX: no bound. */
static uint64_t shard_bound(const shard_run *s, bool *rerun)
{
    *rerun = false;
    if (s->stats.shard_incomplete) { /* gave up inside that step: nothing of it */
        *rerun = true;
        return s->stats.shard_stop ? s->stats.shard_stop - 1 : 0;
    }
    uint64_t b = UINT64_MAX;
    if (s->rc < 0) /* the error's step is as far as one job gets */
        b = s->stats.shard_stop ? s->stats.shard_stop : 1;
    if (s->oom && s->oom_order < b)
        b = s->oom_order; /* records from there on were lost */
    return b;
}

/* With sd->mu held: is the next record of shard s (s->cur[s->pos]) there? Takes its next
 * queued chunk when the current one is merged (that one goes back to the shard to be filled
 * again); *took when a chunk of shard 0 was taken (the progress line). */
static bool shard_take(sharded *sd, shard_run *s, bool *took)
{
    if (s->cur && s->pos < s->cur->n)
        return true;
    if (s->cur) {
        s->queued_bytes -= chunk_bytes(s->cur);
        chunk_own_free(s->cur);
        s->cur->n = s->cur->used = 0;
        s->cur->next = s->spare;
        s->spare = s->cur;
        s->cur = NULL;
        if (sd->room_waits) /* room: the shard may be waiting for it */
            pthread_cond_broadcast(&sd->cv);
    }
    s->pos = 0;
    if (!s->qhead)
        return false;
    s->cur = s->qhead;
    s->qhead = s->cur->next;
    if (!s->qhead)
        s->qtail = NULL;
    s->cur->next = NULL;
    s->queued--;
    if (sd->room_waits)
        pthread_cond_broadcast(&sd->cv);
    *took |= s->k == 0;
    return true;
}

static uint64_t event_order(const event *e)
{
    int type = e->type & ~EV_OWN;
    return type == EV_RESPONSE ? e->u.response.order
           : type == EV_XREC   ? e->u.xrec.order
                               : e->u.finding->o.order;
}

static uint64_t head_order(const shard_run *s) { return event_order(&s->cur->ev[s->pos]); }

/* The next record to merge, in *best (NULL: every shard is done and merged): the least
 * (order, shard) of the shards' next records, once no shard that has nothing queued may still
 * hand over one that comes before it. Such a shard has told how far it is: the order of the
 * last record it handed over, or the least order of the next ones (upto: said when it waits
 * for the shared reading; its records must not be waited for then, since the reading may be
 * waiting for a shard whose queue is full, which waits for the merge). Shard b's record of
 * step o comes after every record of a step before o, and after those of step o of the shards
 * before b. Nothing is waited for from the record's own shard: one frame may give more records
 * than a queue holds. false: the merge ends before this record (*again: the sharing ended,
 * the rest comes from one job; else an input error or lost records). *clear: the step below
 * which the least record queued may be merged without asking, while the shards that had none
 * queued here (`covered`: their records come at `clear` or later) still have none taken and
 * the others still have one (no bound of a done shard, nor a shard's lost records, below it). */
static bool next_record(sharded *sd, shard_run **best_out, bool *again, uint64_t *clear)
{
    bool ok = true, took = false;
    *again = false;
    pthread_mutex_lock(&sd->mu);
    for (;;) {
        shard_run *best = NULL;
        for (unsigned k = 0; k < sd->n; k++) {
            shard_run *s = &sd->sh[k];
            if (shard_take(sd, s, &took) && (!best || head_order(s) < head_order(best)))
                best = s;
        }
        uint64_t order = best ? head_order(best) : UINT64_MAX;
        /* the least bound: a done shard's (its error's or its giving up's step), or where a
         * shard lost records; the merge ends there, once nothing before it can still come */
        uint64_t bound = UINT64_MAX;
        bool bound_again = false;
        for (unsigned k = 0; k < sd->n; k++) {
            shard_run *s = &sd->sh[k];
            bool r = false;
            uint64_t b = s->done ? shard_bound(s, &r) : UINT64_MAX;
            if (s->oom && s->oom_order < b) {
                b = s->oom_order; /* its records from there on were lost */
                r = false;
            }
            if (b < bound) {
                bound = b;
                bound_again = r;
            }
        }
        /* what is decided next: the best record, or the end at the bound */
        bool at_bound = order >= bound;
        uint64_t target = at_bound ? bound : order;
        bool wait = false;
        *clear = bound;
        for (unsigned k = 0; k < sd->n; k++) {
            shard_run *s = &sd->sh[k];
            bool head = s->cur && s->pos < s->cur->n;
            s->covered = false;
            s->needed = false;
            if (s->done && !head)
                s->merged = true; /* nothing more will come */
            if (s->done || head)
                continue;
            /* reading, nothing queued: may it still hand over a record before the target? */
            uint64_t least = s->published && s->last > s->upto ? s->last : s->upto;
            bool known = s->published || s->upto;
            if ((!best && !at_bound) || !known || least < target ||
                (!at_bound && s->k < best->k && least == target))
                wait = s->needed = true;
            s->covered = true;
            if (least < *clear)
                *clear = least;
        }
        if (!wait) {
            if (at_bound && bound != UINT64_MAX) {
                ok = false;
                *again = bound_again;
            }
            *best_out = ok ? best : NULL;
            break;
        }
        sd->merge_waits = true;
        pthread_cond_wait(&sd->mcv, &sd->mu);
        sd->merge_waits = false;
    }
    pthread_mutex_unlock(&sd->mu);
    /* a chunk of shard 0: the reading's progress (written without the lock the shards take) */
    if (took && sd->progress)
        rlcli_progress_bytes(sd->progress, sd->path, sd->sh[0].done_bytes, sd->sh[0].total_bytes,
                             sd->responses, sd->findings);
    return ok;
}

typedef struct apply_ctx {
    const rlcli_input_sink *sink;
    const resplint_origin *o;
    size_t emitted;
} apply_ctx;

static void applied(const resplint_finding *f, void *user)
{
    apply_ctx *a = user;
    a->emitted++;
    a->sink->finding(f, a->o, a->sink->user);
}

/* The unsharded check after the sharing ended: the first `skip` findings and responses were
 * reported by the merge already. */
typedef struct rerun {
    const rlcli_input_sink *sink;
    size_t skip;
} rerun;

/* Is this record past those reported already? */
static bool rr_new(rerun *x)
{
    if (!x->skip)
        return true;
    x->skip--;
    return false;
}

static void rr_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    rerun *x = user;
    if (rr_new(x))
        x->sink->finding(f, o, x->sink->user);
}

static void rr_response(const resplint_response *resp, const resplint_origin *o, void *user)
{
    rerun *x = user;
    if (rr_new(x))
        x->sink->response(resp, o, x->sink->user);
}

/* Merges the shards' records into sink as they come. Returns the number of findings and
 * responses reported; *again when the sharing ended early (the rest from one job); *cut when
 * an input error or lost records ended the merge; *applied_findings: the exchange notes'. */
static size_t merge_shards(sharded *sd, const resplint_config *cfg, const rlcli_input_sink *sink,
                           bool *again, bool *cut, bool *oom, size_t *applied_findings)
{
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    input in; /* what replay reads of an input: its path */
    in.path = (char *)sd->path;
    size_t reported = 0;
    *oom = !x;
    *again = *cut = false;
    /* while every shard still reading has a record queued, the least of them may be merged
     * without the lock if its step is below `clear` (next_record) */
    uint64_t clear = 0;
    /* a run: the records of one shard taken one after another while they come before the next
     * record of every other shard (`second`, whose head stays put meanwhile) and below `clear`,
     * without looking at the others each time (a third of the merge's instructions) */
    shard_run *run = NULL, *second = NULL;
    uint64_t second_order = 0;
    while (x) {
        shard_run *best = NULL;
        if (run && run->pos < run->cur->n) {
            uint64_t o = head_order(run);
            if (o < clear && (!second || o < second_order ||
                              (o == second_order && run->k < second->k)))
                best = run;
        }
        if (!best) {
            /* without the lock: the least record queued, when every shard either has one or
             * was covered by `clear` */
            bool all = true;
            second = NULL;
            for (unsigned k = 0; k < sd->n && all; k++) {
                shard_run *s = &sd->sh[k];
                if (s->merged)
                    continue;
                if (s->cur && s->pos < s->cur->n) {
                    if (!best || head_order(s) < head_order(best)) {
                        second = best;
                        best = s;
                    } else if (!second || head_order(s) < head_order(second)) {
                        second = s;
                    }
                } else if (!s->covered) {
                    all = false; /* it ran out of what was taken: its next chunk may come first */
                }
            }
            if (!all || !best || head_order(best) >= clear) {
                second = NULL;
                if (!next_record(sd, &best, again, &clear)) {
                    *cut = !*again;
                    break;
                }
                if (!best)
                    break;
                run = NULL; /* the shards' heads changed under the lock */
            } else {
                run = best;
                second_order = second ? head_order(second) : 0;
            }
        }
        event *e = &best->cur->ev[best->pos];
        best->pos++;
        int type = e->type & ~EV_OWN;
        if (type == EV_XCHG || type == EV_XREC) {
            finding_rec *fr = type == EV_XCHG ? e->u.finding : NULL;
            resplint_finding none = {0};
            resplint_origin no = {0};
            apply_ctx a = {sink, fr ? &fr->o : &no, 0};
            int rc = resplint_exchanges_apply(x, fr ? &fr->note : &e->u.xrec.note,
                                              fr ? &fr->f : &none, applied, &a);
            if (rc == RESPLINT_ENOMEM)
                *oom = true;
            reported += a.emitted;
            sd->findings += a.emitted;
            *applied_findings += a.emitted;
            if (rc < 0) { /* (out of memory, said by *oom) the merge ends here */
                *cut = true;
                break;
            }
        } else {
            event ev = *e;
            ev.type = type;
            replay(&in, &ev, sink);
            reported++;
            if (type == EV_RESPONSE)
                sd->responses++;
            else
                sd->findings++;
        }
    }
    resplint_exchanges_free(x);
    return reported;
}

int rlcli_jobs_sharded(rlcli_jobs *j, const char *path, const resplint_config *cfg,
                       const rlcli_conf *conf, const resplint_capture_options *copts,
                       const rlcli_input_sink *sink, rlcli_progress *progress)
{
    sharded sd = {NULL, progress, 0, 0, j, path, j->nthreads, NULL, PTHREAD_MUTEX_INITIALIZER,
                  PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, false};
    sd.sh = calloc(sd.n, sizeof *sd.sh);
    if (!sd.sh)
        return 1; /* check it unsharded */
    j->cfg = cfg;
    j->conf = conf;
    j->copts = copts;
    /* the capture is read once, on a thread of its own, and its frames shared out to the
     * shards (without that thread or its memory, each shard reads the file) */
    pthread_t feed_tid;
    sd.feed = resplint_capture_feed_new(sd.n, sh_waiting, &sd);
    if (sd.feed && pthread_create(&feed_tid, NULL, feed_main, &sd) != 0) {
        resplint_capture_feed_free(sd.feed);
        sd.feed = NULL;
    }
    unsigned started = 0;
    for (unsigned k = 0; k < sd.n; k++) {
        sd.sh[k].sd = &sd;
        sd.sh[k].k = k;
        sd.sh[k].started = pthread_create(&sd.sh[k].tid, NULL, shard_main, &sd.sh[k]) == 0;
        started += sd.sh[k].started;
        if (!sd.sh[k].started && sd.feed) /* the reading must not wait for it */
            resplint_capture_feed_leave(sd.feed, k);
    }
    resplint_config *pcfg = NULL;
    int ret = 1;
    if (started == sd.n) {
        pcfg = rlcli_conf_for_path(conf, cfg, path);
        sink->begin(path, sink->user);
    }
    bool rerun_it = false, cut = false, oom = false;
    size_t applied_findings = 0, reported = 0;
    if (started == sd.n)
        reported = merge_shards(&sd, pcfg ? pcfg : cfg, sink, &rerun_it, &cut, &oom,
                                &applied_findings);
    /* the merge is over (all read, or it ended early, or a thread was missing): stop the rest;
     * when the sharing ended, the shards still reading stop too (what they would find is not
     * used: the check is done again with one job) */
    if (rerun_it && sd.feed)
        resplint_capture_feed_cancel(sd.feed);
    pthread_mutex_lock(&sd.mu);
    sd.stop = true;
    pthread_cond_broadcast(&sd.cv);
    pthread_cond_broadcast(&sd.mcv);
    pthread_mutex_unlock(&sd.mu);
    for (unsigned k = 0; k < sd.n; k++)
        if (sd.sh[k].started)
            pthread_join(sd.sh[k].tid, NULL);
    if (sd.feed) {
        pthread_join(feed_tid, NULL);
        resplint_capture_feed_free(sd.feed);
        sd.feed = NULL;
    }
    rlcli_progress_clear(progress);
    /* the merge may have run out of records before it met a shard's bound: the bounds decide */
    for (unsigned k = 0; k < sd.n && started == sd.n; k++) {
        bool again;
        if (shard_bound(&sd.sh[k], &again) != UINT64_MAX) {
            rerun_it |= again;
            cut |= !again;
        }
    }
    if (started < sd.n) {
        /* every shard needs its thread: nothing was merged, the caller checks it unsharded */
    } else if (rerun_it) {
        /* the sharing ended where it was exact: the rest from an unsharded check */
        rerun x = {sink, reported};
        resplint_capture_handler h = {sizeof h, rr_finding, rr_response, NULL, &x, NULL};
        resplint_capture_stats st;
        char err[1024];
        int rc = resplint_capture_file(pcfg ? pcfg : cfg, path, NULL, copts, &h, &st, err,
                                       sizeof err);
        sink->end(path, rc, err, &st, sink->user);
        ret = 0;
    } else {
        resplint_capture_stats st = sd.sh[0].stats;
        for (unsigned k = 1; k < sd.n; k++) {
            st.responses += sd.sh[k].stats.responses;
            st.findings += sd.sh[k].stats.findings;
            st.skipped += sd.sh[k].stats.skipped;
        }
        st.findings += applied_findings;
        st.shard_incomplete = st.shard_stop = 0;
        /* an input error is every shard's, or the one the merge stopped at: the first one's
         * message (a shard's own error first, then lost records) */
        shard_run *bad = NULL;
        for (unsigned k = 0; k < sd.n && !bad; k++)
            if (sd.sh[k].rc < 0)
                bad = &sd.sh[k];
        for (unsigned k = 0; k < sd.n && !bad; k++)
            if (sd.sh[k].oom) {
                bad = &sd.sh[k];
                bad->rc = RESPLINT_ENOMEM;
                snprintf(bad->err, sizeof bad->err,
                         "%s: out of memory sharing the capture's connections out (--jobs)", path);
            }
        if (!bad && oom) {
            bad = &sd.sh[0];
            bad->rc = RESPLINT_ENOMEM;
            snprintf(bad->err, sizeof bad->err, "%s: out of memory (--jobs)", path);
        }
        if (cut && bad) { /* one job stops where the error is: so do the counts */
            st.responses = sd.responses;
            st.findings = sd.findings;
        }
        sink->end(path, bad ? bad->rc : 0, bad ? bad->err : "", &st, sink->user);
        ret = 0;
    }
    resplint_config_free(pcfg);
    for (unsigned k = 0; k < sd.n; k++) {
        chunk_free(sd.sh[k].cur);
        chunk_free(sd.sh[k].qhead);
        chunk_free(sd.sh[k].fill);
        chunk_free(sd.sh[k].spare);
    }
    free(sd.sh);
    pthread_mutex_destroy(&sd.mu);
    pthread_cond_destroy(&sd.cv);
    pthread_cond_destroy(&sd.mcv);
    return ret;
}
