/* resplint: the command-line tool. Options, walking folders, one reporter per --report, and
 * exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "baseline.h"
#include "config.h"
#include "jobs.h"
#include "../lib/core/text.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <unistd.h>

#define MAX_REPORTS 8

/* Files and folders a walk has met, by device and inode: a walk enters each folder once and
 * checks each file once, whatever symbolic links lead to them again (a link to "." would
 * otherwise walk the same tree over and over). */
typedef struct seen_set {
    struct seen_id {
        dev_t dev;
        ino_t ino;
    } *v;
    size_t n, cap; /* cap: 0 or a power of two */
} seen_set;

/* true when (dev, ino) was not in the set (it is now); true as well when memory runs out */
static bool seen_add(seen_set *s, dev_t dev, ino_t ino)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct seen_id *v = calloc(cap, sizeof *v);
        if (!v)
            return true;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->v[i].ino == 0 && s->v[i].dev == 0)
                continue;
            size_t k = ((size_t)s->v[i].ino * 0x9E3779B97F4A7C15ull + (size_t)s->v[i].dev) &
                       (cap - 1);
            while (v[k].ino || v[k].dev)
                k = (k + 1) & (cap - 1);
            v[k] = s->v[i];
        }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t k = ((size_t)ino * 0x9E3779B97F4A7C15ull + (size_t)dev) & (s->cap - 1);
    while (s->v[k].ino || s->v[k].dev) {
        if (s->v[k].ino == ino && s->v[k].dev == dev)
            return false;
        k = (k + 1) & (s->cap - 1);
    }
    s->v[k] = (struct seen_id){dev, ino};
    s->n++;
    return true;
}

typedef struct report_target {
    resplint_format fmt;
    const char *path;
    FILE *out;
    rlcli_outfile file; /* out, unless it is stdout */
    resplint_reporter *rep;
} report_target;

/* Why a file in a folder is not checked: indexes of skip_reasons. */
enum { SKIP_EMPTY, SKIP_JSON, SKIP_TEXT, SKIP_BINARY, SKIP_SPECIAL, SKIP_SEEN, SKIP_NONE };

typedef struct run {
    resplint_config *cfg;
    resplint_capture_options copts;
    resplint_severity fail_on;
    report_target reports[MAX_REPORTS];
    int nreports;
    bool failed;       /* a finding at or above fail_on */
    bool input_errors; /* an input could not be read */
    bool usage_error;
    size_t skipped;    /* files in folders that are neither captures nor recordings */
    size_t skipped_why[SKIP_NONE]; /* per reason (skip_reasons) */
    size_t inputs;     /* inputs read (or queued) */
    bool verbose;      /* --verbose: name each skipped file */
    rlcli_conf conf;   /* the .resplint file */
    rlcli_baseline baseline;
    const char *baseline_out; /* --write-baseline FILE */
    const char *help_uri;     /* --rule-help-uri, else the configuration's */
    const char *keylogs[16];  /* --keylog FILE, repeatable */
    int stats;                /* --stats */
    rlcli_jobs *jobs;         /* --jobs N with N > 1: inputs are queued, then checked */
    rlcli_progress progress;
    const char *cur_path;
    size_t nresponses, nfindings;
    bool list_responses; /* hidden --list-responses: one line per response, for tests */
    bool stdin_closed;   /* started with descriptor 0 closed (<&-) */
    seen_set seen;       /* what folder walks have met */
} run;

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    run *r = user;
    if (rlcli_baseline_filter(&r->baseline, f, o))
        return;
    r->nfindings++;
    if (r->fail_on != RESPLINT_OFF && f->severity >= r->fail_on)
        r->failed = true;
    for (int i = 0; i < r->nreports; i++)
        resplint_reporter_finding(r->reports[i].rep, f, o);
}

static void on_response(const resplint_response *resp, const resplint_origin *o, void *user)
{
    run *r = user;
    r->nresponses++;
    if (r->list_responses) {
        if (o->kind == RESPLINT_INPUT_PCAP)
            printf("%ld\t%llu\t%d\n", o->tcp_stream, (unsigned long long)o->frame, resp->status);
        else
            printf("%zu\t%llu\t%d\n", o->response_index, (unsigned long long)o->offset,
                   resp->status);
    }
    for (int i = 0; i < r->nreports; i++)
        resplint_reporter_response(r->reports[i].rep, resp, o);
}

static void on_progress(uint64_t done, uint64_t total, void *user)
{
    run *r = user;
    rlcli_progress_bytes(&r->progress, r->cur_path, done, total, r->nresponses, r->nfindings);
}

static void input_begin(const char *path, void *user)
{
    run *r = user;
    for (int i = 0; i < r->nreports; i++)
        resplint_reporter_begin_input(r->reports[i].rep, path, RESPLINT_INPUT_UNKNOWN);
}

static void input_end(const char *path, int rc, const char *message,
                      const resplint_capture_stats *stats, void *user)
{
    run *r = user;
    if (rc < 0) {
        char err[1024];
        r->input_errors = true;
        if (message && message[0])
            snprintf(err, sizeof err, "%s", message);
        else
            snprintf(err, sizeof err, "%s: %s", path, resplint_strerror(rc));
        rlcli_progress_clear(&r->progress);
        fprintf(stderr, "resplint: %s\n", err);
        for (int i = 0; i < r->nreports; i++)
            resplint_reporter_input_error(r->reports[i].rep, path, rc, err);
    } else if (stats->bytes == 0) {
        rlcli_progress_clear(&r->progress); /* not an error: a server may have sent nothing */
        fprintf(stderr, "resplint: %s: empty input, nothing to check\n", path);
    }
    for (int i = 0; i < r->nreports; i++)
        resplint_reporter_end_input(r->reports[i].rep, stats);
}

static void lint_input(run *r, const char *path, FILE *fp)
{
    r->inputs++;
    if (r->jobs) {
        if (rlcli_jobs_add(r->jobs, path) < 0) {
            fprintf(stderr, "resplint: %s: out of memory\n", path);
            r->input_errors = true;
        }
        return;
    }
    resplint_capture_handler h = {sizeof h, on_finding, on_response, on_progress, r, NULL};
    resplint_capture_stats stats;
    char err[1024];
    input_begin(path, r);
    r->cur_path = path;
    resplint_config *pcfg = rlcli_conf_for_path(&r->conf, r->cfg, path);
    int rc = resplint_capture_file(pcfg ? pcfg : r->cfg, path, fp, &r->copts, &h, &stats, err,
                                   sizeof err);
    resplint_config_free(pcfg);
    input_end(path, rc, err, &stats, r);
}

static const char *const skip_reasons[] = {
    "empty",
    "JSON that is neither HAR nor a recording",
    "text that is neither an HTTP response nor a recording",
    "binary data that is not a capture",
    "not a regular file (a FIFO or a device: reading it could block)",
    "a second link to a file this run has checked already",
};

/* In a folder, only files that look like captures or recordings are linted: a README beside
 * the recordings is not a broken response. Returns SKIP_NONE to check the file. */
static int skip_reason(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return SKIP_NONE; /* let the reader report why it cannot be opened */
    unsigned char head[4097];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    if (n == 0)
        return SKIP_EMPTY;
    resplint_input_kind kind = resplint_detect_input(head, n);
    /* An undecided JSON object detects as HAR; in a folder, other JSON (package.json) is not
     * a capture. */
    if (kind == RESPLINT_INPUT_HAR)
        return strstr((const char *)head, "\"log\"") ? SKIP_NONE : SKIP_JSON;
    if (kind == RESPLINT_INPUT_UNKNOWN)
        return SKIP_JSON;
    if (kind != RESPLINT_INPUT_RAW)
        return SKIP_NONE;
    if (n >= 5 && memcmp(head, "HTTP/", 5) == 0)
        return SKIP_NONE;
    for (size_t i = 0; i < n; i++)
        if (head[i] == 0)
            return SKIP_BINARY;
    return SKIP_TEXT;
}

static void skip(run *r, const char *path, int why)
{
    r->skipped++;
    r->skipped_why[why]++;
    if (r->verbose) {
        rlcli_progress_clear(&r->progress);
        fprintf(stderr, "resplint: skipped %s: %s\n", path, skip_reasons[why]);
    }
}

/* "3 JSON that is neither HAR nor a recording, 1 empty" */
static void skip_summary(const run *r, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < SKIP_NONE; i++) {
        if (!r->skipped_why[i] || at >= len)
            continue;
        int k = snprintf(buf + at, len - at, "%s%zu %s", at ? ", " : "", r->skipped_why[i],
                         skip_reasons[i]);
        if (k > 0)
            at += (size_t)k;
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An input that cannot be read at all: an error in every report (SARIF's executionSuccessful,
 * a JUnit error), not only on stderr. */
static void input_failed(run *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void input_failed(run *r, const char *path, const char *fmt, ...)
{
    char err[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, sizeof err, fmt, ap);
    va_end(ap);
    resplint_capture_stats none = {0};
    input_begin(path, r);
    input_end(path, RESPLINT_EIO, err, &none, r);
}

#define MAX_DEPTH 64 /* folders nested deeper are not entered (an input error says so) */

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The names in folder dir, sorted, without ".", ".." and hidden files (.git); *n of them.
 * NULL with errno set when the folder cannot be opened or listed whole (memory, a read error:
 * never a folder listed in part without a word); NULL with errno 0 when it is empty. */
static char **list_folder(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    int err = 0;
    for (;;) {
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            err = errno; /* 0 at the end of the folder */
            break;
        }
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files such as .git */
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                err = ENOMEM;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[*n] = strdup(e->d_name))) {
            err = ENOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (err) {
        free_names(names, *n);
        *n = 0;
        errno = err;
        return NULL;
    }
    if (*n)
        qsort(names, *n, sizeof *names, compare_names);
    errno = 0;
    return names;
}

/* dir/name, allocated; NULL when memory runs out */
static char *join_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return path;
}

static void walk(run *r, const char *dir, int depth)
{
    if (depth > MAX_DEPTH) {
        input_failed(r, dir, "%s: folders nested too deep, not entered", dir);
        return;
    }
    size_t n;
    char **names = list_folder(dir, &n);
    if (!names && errno) {
        input_failed(r, dir, "%s: cannot open folder: %s", dir, strerror(errno));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *path = join_path(dir, names[i]);
        struct stat st;
        if (!path) {
            /* out of memory: the file is left out, as a name strdup could not copy is */
        } else if (stat(path, &st) != 0) {
            lint_input(r, path, NULL); /* a dangling link: recorded in every report too */
        } else if (S_ISDIR(st.st_mode)) {
            if (seen_add(&r->seen, st.st_dev, st.st_ino))
                walk(r, path, depth + 1);
            else
                fprintf(stderr,
                        "resplint: %s: a folder this run has walked already (a symbolic "
                        "link to it), not entered again\n",
                        path);
        } else if (!seen_add(&r->seen, st.st_dev, st.st_ino)) {
            skip(r, path, SKIP_SEEN);
        } else if (S_ISREG(st.st_mode)) {
            int why = skip_reason(path);
            if (why == SKIP_NONE)
                lint_input(r, path, NULL);
            else
                skip(r, path, why);
        } else {
            skip(r, path, SKIP_SPECIAL);
        }
        free(path);
    }
    free_names(names, n);
}

#define FIFO_WAIT 10 /* seconds a named pipe given on the command line waits for a writer */

static void lint_path(run *r, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 && r->stdin_closed) {
        resplint_capture_stats none = {0};
        input_begin(path, r);
        input_end(path, RESPLINT_EIO, "-: cannot read: standard input is closed", &none, r);
    } else if (strcmp(path, "-") == 0) {
        lint_input(r, "-", NULL);
    } else if (stat(path, &st) != 0) {
        lint_input(r, path, NULL); /* the reader says why, and every report records it */
    } else if (S_ISDIR(st.st_mode)) {
        if (seen_add(&r->seen, st.st_dev, st.st_ino))
            walk(r, path, 0);
    } else if (S_ISFIFO(st.st_mode)) {
        /* A named pipe: opened without blocking, then given FIFO_WAIT seconds for a writer to
         * connect (a producer started beside resplint, as the WARC mapper's, may come a little
         * later: reading at once would see an empty input), then read like any file, here
         * rather than by a --jobs worker. With no writer in time, it is an input error. */
        int fd = open(path, O_RDONLY | O_NONBLOCK);
        FILE *fp = NULL;
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int ready = fd >= 0 ? poll(&pf, 1, FIFO_WAIT * 1000) : -1;
        if (ready == 0) {
            close(fd);
            input_failed(r, path, "%s: no writer opened the named pipe within %d s", path,
                         FIFO_WAIT);
            return;
        }
        if (ready > 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
            fp = fdopen(fd, "rb");
        if (!fp) {
            input_failed(r, path, "%s: cannot open: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return;
        }
        rlcli_jobs *jobs = r->jobs;
        r->jobs = NULL;
        lint_input(r, path, fp);
        r->jobs = jobs;
        fclose(fp);
    } else if (!S_ISREG(st.st_mode)) {
        /* /dev/zero would be read for ever, a terminal waits for typing */
        input_failed(r, path,
                     "%s: not a regular file (%s): resplint reads files, folders, named pipes "
                     "and - (standard input)",
                     path, S_ISCHR(st.st_mode) ? "a character device"
                           : S_ISBLK(st.st_mode) ? "a block device"
                                                 : "a socket");
    } else {
        lint_input(r, path, NULL);
    }
}

/* The outputs that exist already as regular files (a report or baseline path that does not
 * exist yet cannot be an input), by device and inode: refuse_overwrite compares every input
 * with them. */
typedef struct out_files {
    struct out_file {
        dev_t dev;
        ino_t ino;
        const char *option;
    } v[MAX_REPORTS + 1];
    int n;
} out_files;

/* The option whose output input path (dev, ino) is, or NULL. */
static const char *output_of(const out_files *o, const struct stat *st)
{
    for (int k = 0; k < o->n; k++)
        if (o->v[k].dev == st->st_dev && o->v[k].ino == st->st_ino)
            return o->v[k].option;
    return NULL;
}

static int refuse(const char *input, const char *option)
{
    fprintf(stderr, "resplint: %s is an input and the output of %s: refusing to overwrite it\n",
            input, option);
    return 2;
}

/* The folder walk's twin, reading nothing but names and inodes: 2 after refusing when a file
 * the walk would check is an output. Files the walk skips (a JSON report from an earlier run
 * is not a capture) are not inputs. */
static int refuse_in_folder(const out_files *o, seen_set *seen, const char *dir, int depth)
{
    size_t n;
    char **names = depth > MAX_DEPTH ? NULL : list_folder(dir, &n);
    if (!names)
        return 0; /* the walk reports it */
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *path = join_path(dir, names[i]);
        struct stat st;
        const char *option;
        if (!path || stat(path, &st) != 0) {
            /* nothing to compare */
        } else if (S_ISDIR(st.st_mode)) {
            if (seen_add(seen, st.st_dev, st.st_ino))
                rc = refuse_in_folder(o, seen, path, depth + 1);
        } else if (S_ISREG(st.st_mode) && (option = output_of(o, &st)) != NULL &&
                   skip_reason(path) == SKIP_NONE) {
            rc = refuse(path, option);
        }
        free(path);
    }
    free_names(names, n);
    return rc;
}

/* --report json:X X, --write-baseline X X, or X in a folder being checked: the report would
 * replace the input it is made from (written beside it, then renamed over it at the end).
 * Checked before anything is written. Returns 0, or 2 after saying which. */
static int refuse_overwrite(const run *r, int ninputs, char **inputs)
{
    out_files o = {.n = 0};
    for (int k = 0; k <= r->nreports; k++) {
        const char *out = k < r->nreports ? r->reports[k].path : r->baseline_out;
        struct stat so;
        if (!out || strcmp(out, "-") == 0 || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
            continue;
        o.v[o.n++] = (struct out_file){so.st_dev, so.st_ino,
                                       k < r->nreports ? "--report" : "--write-baseline"};
    }
    if (o.n == 0)
        return 0;
    seen_set seen = {0};
    int rc = 0;
    for (int i = 0; rc == 0 && i < ninputs; i++) {
        struct stat si;
        const char *option;
        if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &si) != 0)
            continue;
        if (S_ISDIR(si.st_mode)) {
            if (seen_add(&seen, si.st_dev, si.st_ino))
                rc = refuse_in_folder(&o, &seen, inputs[i], 0);
        } else if ((option = output_of(&o, &si)) != NULL) {
            rc = refuse(inputs[i], option); /* named on the command line: always an input */
        }
    }
    free(seen.v);
    return rc;
}

/* ---- options ---- */

/* The option ids and the getopt table, generated from cli/options.def like --help and the man
 * page: an option cannot be accepted without being documented, nor the reverse. */
enum {
    OPT_FIRST_ = 256,
#define GROUP(title)
#define OPT(id, name, arg, help) OPT_##id,
#define HIDDEN(id, name, arg) OPT_##id,
#include "options.def"
#undef GROUP
#undef OPT
#undef HIDDEN
};

static const struct option long_options[] = {
#define GROUP(title)
#define OPT(id, name, arg, help) {name, arg, NULL, OPT_##id},
#define HIDDEN(id, name, arg) {name, arg, NULL, OPT_##id},
#define ARG(name) required_argument
#define NOARG no_argument
#include "options.def"
#undef GROUP
#undef OPT
#undef HIDDEN
#undef ARG
#undef NOARG
    {NULL, 0, NULL, 0},
};

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("resplint: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'resplint --help'.\n", stderr);
    return 2;
}

/* An unknown rule: the error, and the rules it may have meant. */
static int unknown_rule(const char *rule)
{
    fprintf(stderr, "resplint: unknown rule '%s' (see --list-rules)\n", rule);
    rlcli_suggest_rules(stderr, rule);
    fputs("Try 'resplint --help'.\n", stderr);
    return 2;
}

/* An unknown option: the error, and the option it may have meant. */
static int unknown_option(const char *arg)
{
    const char *word = arg;
    while (*word == '-')
        word++;
    char name[64];
    size_t n = strcspn(word, "=");
    const char *hint = NULL;
    if (word != arg && n > 0 && n < sizeof name) {
        memcpy(name, word, n);
        name[n] = '\0';
        const char *names[64];
        size_t k = 0;
        for (const struct option *o = long_options; o->name && k < 64; o++)
            if (strcmp(o->name, "man") != 0 && strcmp(o->name, "list-responses") != 0)
                names[k++] = o->name;
        hint = rlcli_suggest(name, names, k);
    }
    if (hint)
        return usage_error("unknown or incomplete option '%s'; did you mean --%s?", arg, hint);
    return usage_error("unknown or incomplete option '%s'", arg);
}

/* --method: a token (RFC 9110 §9.1), taken as written: methods are case-sensitive, so "head"
 * is not HEAD. A registered method in another case is most likely a slip: say so. */
static int method_option(const char *m)
{
    static const char *const registered[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                             "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    if (!rlint_is_token(m, strlen(m)))
        return usage_error("--method wants a method token (RFC 9110 §9.1), not '%s'", m);
    for (size_t i = 0; i < sizeof registered / sizeof registered[0]; i++)
        if (strcmp(m, registered[i]) != 0 && rlint_ieq_str(m, registered[i]))
            fprintf(stderr,
                    "resplint: note: --method %s is not %s: methods are case-sensitive "
                    "(RFC 9110 §9.1), responses are read as answers to a '%s' request\n",
                    m, registered[i], m);
    return 0;
}

static int set_rule(resplint_config *cfg, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq)
        return usage_error("--rule wants RULE=off|info|warning|error, not '%s'", spec);
    char rule[128];
    size_t n = (size_t)(eq - spec);
    if (n >= sizeof rule)
        return usage_error("unknown rule in '%s'", spec);
    memcpy(rule, spec, n);
    rule[n] = '\0';
    resplint_severity sev;
    if (resplint_severity_parse(eq + 1, &sev) < 0)
        return usage_error("--rule: unknown severity in '%s' (off, info, warning, error)", spec);
    if (resplint_config_set_rule(cfg, rule, sev) < 0)
        return unknown_rule(rule);
    return 0;
}

static int add_report(run *r, const char *spec, bool whole)
{
    if (r->nreports == MAX_REPORTS)
        return usage_error("at most 8 reports, '%s' is one too many", spec);
    report_target *t = &r->reports[r->nreports];
    char name[32];
    const char *colon = whole ? NULL : strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n >= sizeof name)
        return usage_error("unknown format '%s'", spec);
    memcpy(name, spec, n);
    name[n] = '\0';
    if (resplint_format_parse(name, &t->fmt) < 0)
        return usage_error("unknown format '%s' (%s)", name, RLCLI_FORMATS);
    t->path = colon ? colon + 1 : "-";
    if (!*t->path)
        return usage_error("--report %s: no output path", spec);
    r->nreports++;
    return 0;
}

/* Two documents on standard output would be one that no CI system can read. */
static int one_report_on_stdout(const run *r, const char *format)
{
    const char *first = NULL;
    for (int i = 0; i < r->nreports; i++) {
        if (strcmp(r->reports[i].path, "-") != 0)
            continue;
        const char *name = resplint_format_name(r->reports[i].fmt);
        if (first)
            return usage_error("two reports on standard output (%s and %s) would be one "
                               "unreadable document; write one of them to a file (%s)",
                               first, name,
                               format ? "--report FORMAT:PATH" : "--report FORMAT:PATH, not :-");
        first = name;
    }
    return 0;
}

static bool use_color(int mode, FILE *out)
{
    if (mode >= 0)
        return mode == 1;
    const char *no = getenv("NO_COLOR");
    return out == stdout && isatty(STDOUT_FILENO) && !(no && *no);
}

/* Started with descriptor 0, 1 or 2 closed: /dev/null takes its place, so that no file opened
 * later gets that number (a capture opened as descriptor 0 would be read again as "-", a
 * report opened as descriptor 2 would receive the messages). Returns a bit per closed one. */
static unsigned guard_std_fds(void)
{
    unsigned closed = 0;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        closed |= 1u << fd;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY); /* the lowest free: fd */
        if (n >= 0 && n != fd)
            close(n);
    }
    return closed;
}

/* What the options say beyond the run itself. */
typedef struct cli_args {
    const char *format; /* --format */
    unsigned profiles;  /* --profile, repeatable: the union */
    bool list_rules;
    int color;          /* --color: -1 auto, 0 never, 1 always */
    bool done;          /* --help, --version, --man or --explain did the whole run */
} cli_args;

/* Each group of options (the GROUPs of options.def) has its reader: 0, 2 after a usage error,
 * or NOT_MINE for an option of another group. */
#define NOT_MINE (-1)

/* Input: the raw reader's request context, the filters, the key logs. */
static int input_option(run *r, int opt, const char *arg)
{
    switch (opt) {
    case OPT_METHOD:
        r->copts.method = arg;
        return method_option(arg);
    case OPT_REQUEST:
        r->copts.request_path = arg;
        return 0;
    case OPT_SCHEME:
        if (strcmp(arg, "http") == 0)
            r->copts.scheme = RESPLINT_SCHEME_HTTP;
        else if (strcmp(arg, "https") == 0)
            r->copts.scheme = RESPLINT_SCHEME_HTTPS;
        else
            return usage_error("--scheme wants http or https, not '%s'", arg);
        return 0;
    case OPT_HOST:
        r->copts.host_glob = arg;
        return 0;
    case OPT_URL:
        r->copts.url_glob = arg;
        return 0;
    case OPT_KEYLOG:
        if (r->copts.nkeylogs == sizeof r->keylogs / sizeof r->keylogs[0])
            return usage_error("at most 16 key logs, '%s' is one too many", arg);
        if (access(arg, R_OK) != 0)
            return usage_error("--keylog %s: %s", arg, strerror(errno));
        r->keylogs[r->copts.nkeylogs++] = arg;
        r->copts.keylogs = r->keylogs;
        return 0;
    }
    return NOT_MINE;
}

/* Output: the reports, their colours and links, the test aid --list-responses. */
static int output_option(run *r, cli_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_FORMAT:
        a->format = arg;
        return 0;
    case OPT_REPORT:
        return add_report(r, arg, false);
    case OPT_COLOR:
        if (strcmp(arg, "always") == 0)
            a->color = 1;
        else if (strcmp(arg, "never") == 0)
            a->color = 0;
        else if (strcmp(arg, "auto") == 0)
            a->color = -1;
        else
            return usage_error("--color wants auto, always or never, not '%s'", arg);
        return 0;
    case OPT_VERBOSE:
        r->verbose = true;
        return 0;
    case OPT_RULE_HELP_URI:
        r->help_uri = arg;
        return 0;
    case OPT_STATS:
        r->stats = 1;
        return 0;
    case OPT_LIST_RESPONSES:
        r->list_responses = true;
        return 0;
    }
    return NOT_MINE;
}

/* Rules: which are on and at what severity, and the severity that fails the run. */
static int rule_option(run *r, cli_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_PROFILE: {
        char err[160];
        unsigned bits = 0;
        if (rlcli_profiles_parse(arg, &bits, err, sizeof err) < 0)
            return usage_error("--profile: %s", err);
        a->profiles |= bits;
        return 0;
    }
    case OPT_ENABLE:
        rlcli_conf_cli_rule(&r->conf, RLCLI_CLI_ENABLE, arg);
        return resplint_config_enable(r->cfg, arg) < 0 ? unknown_rule(arg) : 0;
    case OPT_DISABLE:
        rlcli_conf_cli_rule(&r->conf, RLCLI_CLI_DISABLE, arg);
        return resplint_config_set_rule(r->cfg, arg, RESPLINT_OFF) < 0 ? unknown_rule(arg) : 0;
    case OPT_RULE:
        rlcli_conf_cli_rule(&r->conf, RLCLI_CLI_RULE, arg);
        return set_rule(r->cfg, arg);
    case OPT_FAIL_ON:
        if (strcmp(arg, "never") == 0)
            r->fail_on = RESPLINT_OFF;
        else if (resplint_severity_parse(arg, &r->fail_on) < 0 || r->fail_on == RESPLINT_OFF)
            return usage_error("--fail-on wants error, warning, info or never, not '%s'", arg);
        return 0;
    case OPT_LIST_RULES:
        a->list_rules = true;
        return 0;
    }
    return NOT_MINE;
}

/* Adoption: configuration, baselines, parallel jobs. */
static int adoption_option(run *r, int opt, const char *arg)
{
    switch (opt) {
    case OPT_CONFIG:
    case OPT_NO_CONFIG:
        return 0; /* read by rlcli_conf_setup before the other options */
    case OPT_BASELINE:
        return rlcli_baseline_load(&r->baseline, arg);
    case OPT_WRITE_BASELINE:
        r->baseline_out = arg;
        return 0;
    case OPT_JOBS:
        return rlcli_jobs_option(arg, &r->jobs);
    }
    return NOT_MINE;
}

/* The options that are the whole run (--help, --version, --man, --explain): a->done. */
static int whole_run_option(cli_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_EXPLAIN:
        a->done = true;
        return rlcli_explain(stdout, arg) == 0 ? 0 : unknown_rule(arg);
    case OPT_VERSION:
    case 'V':
        printf("resplint %s (llhttp %s)\n", resplint_version(), rlcli_llhttp_version());
        a->done = true;
        return 0;
    case OPT_MAN:
        rlcli_man(stdout);
        a->done = true;
        return 0;
    case OPT_HELP:
    case 'h':
        rlcli_usage(stdout);
        a->done = true;
        return 0;
    }
    return NOT_MINE;
}

/* Reads the options into r and a. Returns 0, or 2 after a usage error; with a->done the
 * return value is the run's exit status. */
static int parse_options(run *r, int argc, char **argv, cli_args *a)
{
    int opt, rc = 0;
    opterr = 0;
    while (rc == 0 && !a->done &&
           (opt = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        rc = input_option(r, opt, optarg);
        if (rc == NOT_MINE)
            rc = output_option(r, a, opt, optarg);
        if (rc == NOT_MINE)
            rc = rule_option(r, a, opt, optarg);
        if (rc == NOT_MINE)
            rc = adoption_option(r, opt, optarg);
        if (rc == NOT_MINE)
            rc = whole_run_option(a, opt, optarg);
        if (rc == NOT_MINE)
            rc = unknown_option(argv[optind - 1]);
    }
    return rc;
}

/* Opens every report's output and its reporter. 0, or 2 after saying what failed. */
static int open_reports(run *r, int color, unsigned closed_fds)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < r->nreports; i++) {
        report_target *t = &r->reports[i];
        if (strcmp(t->path, "-") == 0)
            t->out = stdout;
        else
            t->out = rlcli_outfile_open(&t->file, t->path) == 0 ? t->file.f : NULL;
        if (t->out == stdout && (closed_fds & 2u)) {
            fprintf(stderr, "resplint: cannot write the %s report: standard output is closed\n",
                    resplint_format_name(t->fmt));
            t->out = NULL;
            rc = 2;
            break;
        }
        if (!t->out) {
            fprintf(stderr, "resplint: %s: cannot write: %s\n", t->path, strerror(errno));
            rc = 2;
            break;
        }
        resplint_report_options ro = {.color = use_color(color, t->out), .fail_on = r->fail_on};
        ro.rule_doc = rlcli_rule_doc_cb;
        ro.help_uri_base = r->help_uri ? r->help_uri : r->conf.rule_help_uri;
        ro.stats = r->stats;
        ro.tmp_dir = getenv("TMPDIR"); /* JUnit to a pipe waits in a temporary file */
        t->rep = resplint_reporter_new(t->fmt, t->out, &ro);
        if (!t->rep) {
            fputs("resplint: out of memory\n", stderr);
            rc = 2;
        }
    }
    return rc;
}

/* Is path a capture whose connections --jobs can share out: a pcap or pcapng file, gzip'd or
 * not (a file: standard input and pipes are read once, by one job)? */
static bool shardable(const run *r, const char *path)
{
    struct stat st;
    if (r->copts.kind != RESPLINT_INPUT_UNKNOWN && r->copts.kind != RESPLINT_INPUT_PCAP)
        return false;
    /* standard input, a pipe: read once, by one job */
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    /* a gzip'd capture too: it is inflated once, by the shared reading (cli/jobs.c) */
    unsigned char head[4096]; /* as the readers peek: a gzip'd head needs its Huffman tables */
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n >= 4 && resplint_detect_input(head, n) == RESPLINT_INPUT_PCAP;
}

/* Checks every input, finishes the reports and says what was skipped; the exit status. */
static int lint_all(run *r, int argc, char **argv)
{
    rlcli_progress_init(&r->progress);
    for (int i = optind; i < argc; i++)
        lint_path(r, argv[i]);
    if (r->jobs && rlcli_jobs_count(r->jobs) == 1) {
        /* one input: a capture's connections are shared out between the jobs; anything else
         * has nothing to share out, and recording it for the replay only costs (a 200 MB
         * stream took 1.4x the time of one job): checked here as one job does */
        rlcli_jobs *jobs = r->jobs;
        const char *path = rlcli_jobs_path(jobs, 0);
        rlcli_input_sink sink = {input_begin, on_finding, on_response, input_end, r};
        r->jobs = NULL;
        r->inputs--; /* counted when it was queued */
        if (!shardable(r, path) ||
            rlcli_jobs_sharded(jobs, path, r->cfg, &r->conf, &r->copts, &sink, &r->progress))
            lint_input(r, path, NULL);
        else
            r->inputs++;
        r->jobs = jobs;
    } else if (r->jobs) {
        rlcli_jobs_replay(r->jobs, r->cfg, &r->conf, &r->copts, input_begin, on_finding,
                          on_response, input_end, r, &r->progress);
    }
    rlcli_progress_clear(&r->progress);
    if (rlcli_baseline_finish(&r->baseline, r->baseline_out) != 0)
        r->input_errors = true;
    if (r->baseline.suppressed)
        fprintf(stderr, "resplint: %zu finding%s in the baseline not reported\n",
                r->baseline.suppressed, r->baseline.suppressed == 1 ? "" : "s");
    for (int i = 0; i < r->nreports; i++) {
        report_target *t = &r->reports[i];
        char err[1024];
        int bad = resplint_reporter_finish(t->rep) < 0;
        const char *why = bad ? resplint_reporter_error(t->rep) : NULL;
        if (why) {
            /* not the output's fault: say what was lost and why */
            fprintf(stderr, "resplint: the %s report %s is incomplete: %s\n",
                    resplint_format_name(t->fmt),
                    t->out == stdout ? "on standard output" : t->path, why);
            r->input_errors = true;
            if (t->out != stdout)
                rlcli_outfile_abort(&t->file); /* an existing file at the path stays */
        } else if (t->out == stdout) {
            if (bad || fflush(stdout) != 0) {
                fprintf(stderr, "resplint: standard output: write error: %s\n",
                        strerror(errno));
                r->input_errors = true;
            }
        } else if (rlcli_outfile_commit(&t->file, err, sizeof err) < 0) {
            fprintf(stderr, "resplint: %s\n", err);
            r->input_errors = true;
        }
    }
    char why[400];
    skip_summary(r, why, sizeof why);
    if (r->inputs == 0) {
        /* Nothing checked is not a pass (ESLint's convention for patterns that match no
         * file): a CI job pointed at the wrong folder must not stay green. */
        if (r->skipped)
            fprintf(stderr,
                    "resplint: nothing to check: the paths given hold no capture or "
                    "recording resplint reads; skipped %zu file%s (%s)%s\n",
                    r->skipped, r->skipped == 1 ? "" : "s", why,
                    r->verbose ? "" : "; --verbose lists them");
        else
            fputs("resplint: nothing to check: the paths given hold no files\n", stderr);
        r->input_errors = true;
    } else if (r->skipped) {
        fprintf(stderr,
                "resplint: skipped %zu file%s in folders that are neither captures nor "
                "recordings (%s)%s\n",
                r->skipped, r->skipped == 1 ? "" : "s", why,
                r->verbose ? "" : "; --verbose lists them");
    }
    /* writing a baseline records the findings: it succeeds whatever they are */
    return r->input_errors ? 2 : r->failed && !r->baseline_out ? 1 : 0;
}

static void free_run(run *r)
{
    for (int i = 0; i < r->nreports; i++) {
        resplint_reporter_free(r->reports[i].rep);
        rlcli_outfile_abort(&r->reports[i].file); /* not committed: the old file stays */
    }
    resplint_config_free(r->cfg);
    rlcli_conf_free(&r->conf);
    rlcli_baseline_free(&r->baseline);
    free(r->seen.v);
    rlcli_jobs_free(r->jobs);
}

int main(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    unsigned closed_fds = guard_std_fds();
    r.stdin_closed = closed_fds & 1u;
    r.fail_on = RESPLINT_ERROR;
    r.cfg = resplint_config_new();
    if (!r.cfg) {
        fputs("resplint: out of memory\n", stderr);
        return 2;
    }
    /* a bad configuration fails the run, but not --help, --version or --list-rules */
    int conf_rc = rlcli_conf_setup(&r.conf, r.cfg, argc, argv);
    r.copts.host_glob = r.conf.host_glob;
    r.copts.url_glob = r.conf.url_glob;
    cli_args a = {.color = -1};
    int rc = parse_options(&r, argc, argv, &a);
    if (rc == 0 && !a.done && a.list_rules) {
        rlcli_list_rules(stdout, a.profiles ? a.profiles : RESPLINT_PROFILE_ALL);
        a.done = true;
    }
    if (!a.done) {
        if (rc == 0 && a.profiles)
            rlcli_conf_profile(&r.conf, r.cfg, a.profiles);
        if (rc == 0)
            rc = conf_rc;
        if (rc == 0 && optind >= argc)
            rc = usage_error("%s", "no input given (a file, a folder, or - for stdin)");
        if (rc == 0 && (a.format || (r.nreports == 0 && !r.list_responses)))
            rc = add_report(&r, a.format ? a.format : "text", true);
        if (rc == 0)
            rc = refuse_overwrite(&r, argc - optind, argv + optind);
        if (rc == 0)
            rc = one_report_on_stdout(&r, a.format);
        if (rc == 0)
            rc = open_reports(&r, a.color, closed_fds);
        if (rc == 0 && r.baseline_out)
            rc = rlcli_baseline_open_out(&r.baseline, r.baseline_out);
        if (rc == 0)
            rc = lint_all(&r, argc, argv);
    }
    free_run(&r);
    return rc;
}
