/* The .resplint configuration file: INI read with inih (loaded when a file is read: most runs
 * have none, lib/core/lazylib.h), found by walking up from the working
 * directory (or --config FILE, or none with --no-config). Sections: [rules], [limits],
 * [filters], [path "GLOB"]; [rules] may start with `profile = TAG, ...`. Unknown sections, keys,
 * rules, bad values: errors with file:line. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include "../lib/core/lazylib.h"

#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *name;
    resplint_limit which;
} limit_names[] = {
    {"head-bytes", RESPLINT_LIMIT_HEAD_BYTES},
    {"field-section", RESPLINT_LIMIT_FIELD_SECTION},
    {"fields", RESPLINT_LIMIT_FIELDS},
    {"responses", RESPLINT_LIMIT_RESPONSES},
    {"findings", RESPLINT_LIMIT_FINDINGS},
    {"pending-requests", RESPLINT_LIMIT_PENDING_REQUESTS},
    {"flows", RESPLINT_LIMIT_FLOWS},
    {"flow-buffer", RESPLINT_LIMIT_FLOW_BUFFER},
    {"flow-idle", RESPLINT_LIMIT_FLOW_IDLE},
    {"har-entry", RESPLINT_LIMIT_HAR_ENTRY},
    {"warc-record", RESPLINT_LIMIT_WARC_RECORD},
    {"syntax-faults", RESPLINT_LIMIT_SYNTAX_FAULTS},
    {"exchange-urls", RESPLINT_LIMIT_EXCHANGE_URLS},
    {"decoded-body", RESPLINT_LIMIT_DECODED_BODY},
    {"pending-request-bytes", RESPLINT_LIMIT_PENDING_BYTES},
};

typedef struct parse_ctx {
    rlcli_conf *c;
    resplint_config *cfg;
    FILE *f;
    int line;     /* lines read so far: the line of the entry being handled */
    int err_line; /* of the first error found by on_entry */
    char err[512];
} parse_ctx;

/* inih reads line by line through this, so errors found in on_entry know their line. */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *x = stream;
    char *s = fgets(str, num, x->f);
    if (s && strchr(s, '\n')) {
        x->line++;
    } else if (s && !feof(x->f)) {
        /* A line longer than inih's buffer: its tail would come back as a line of its own (a
         * long comment ending in "RL2001 = off" would turn the rule off). The tail is read
         * here; a long comment stays a comment, any other long line is an error. */
        x->line++;
        int c;
        while ((c = fgetc(x->f)) != EOF && c != '\n')
            ;
        const char *p = s + strspn(s, " \t");
        if (*p != ';' && *p != '#' && !x->err[0]) {
            snprintf(x->err, sizeof x->err, "a line longer than %d bytes", num - 2);
            x->err_line = x->line;
        }
    }
    return s;
}

/* A rule setting: "error", "warning", "info", "off", or "on" (default severity). */
static int rule_value(resplint_config *cfg, const char *rule, const char *value, char *err,
                      size_t errlen)
{
    if (!resplint_rule_find(rule)) {
        snprintf(err, errlen, "unknown rule '%s' (see --list-rules)", rule);
        return -1;
    }
    if (strcmp(value, "on") == 0)
        return resplint_config_enable(cfg, rule) < 0 ? -1 : 0;
    resplint_severity sev;
    if (resplint_severity_parse(value, &sev) < 0) {
        snprintf(err, errlen, "%s: '%s' is not a severity (off, on, info, warning, error)", rule,
                 value);
        return -1;
    }
    return resplint_config_set_rule(cfg, rule, sev) < 0 ? -1 : 0;
}

/* Appends a copy of (glob, rule, value) to a list of entries; glob may be NULL. */
static int keep_rule(rlcli_path_rule **list, size_t *n, size_t *cap, const char *glob,
                     const char *rule, const char *value)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        rlcli_path_rule *p = realloc(*list, ncap * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        *cap = ncap;
    }
    rlcli_path_rule *p = &(*list)[*n];
    p->glob = glob ? strdup(glob) : NULL;
    p->rule = strdup(rule);
    p->value = strdup(value);
    if ((glob && !p->glob) || !p->rule || !p->value) {
        free(p->glob), free(p->rule), free(p->value);
        return -1;
    }
    (*n)++;
    return 0;
}

static int add_path_rule(rlcli_conf *c, const char *glob, const char *rule, const char *value,
                         char *err, size_t errlen)
{
    resplint_config *probe = resplint_config_new();
    if (!probe)
        return -1;
    int rc = rule_value(probe, rule, value, err, errlen); /* validates now, applies later */
    resplint_config_free(probe);
    if (rc < 0)
        return -1;
    return keep_rule(&c->paths, &c->npath, &c->path_cap, glob, rule, value);
}

int rlcli_profiles_parse(const char *list, unsigned *out, char *err, size_t errlen)
{
    unsigned bits = 0;
    const char *p = list;
    for (;;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", \t");
        char word[32];
        unsigned one;
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        if (n >= sizeof word || resplint_profile_parse(word, &one) < 0) {
            snprintf(err, errlen,
                     "unknown profile '%.*s' (recommended, caching, security, advice, all)",
                     (int)(n < 64 ? n : 64), p);
            return -1;
        }
        bits |= one;
        p += n;
    }
    if (!bits) {
        snprintf(err, errlen, "no profile named (recommended, caching, security, advice, all)");
        return -1;
    }
    *out = bits;
    return 0;
}

/* [rules]: `profile = ...` first, then rule settings applied at once and kept for --profile. */
static int rules_entry(parse_ctx *x, const char *name, const char *value)
{
    rlcli_conf *c = x->c;
    if (strcmp(name, "profile") == 0) {
        if (c->nrules || c->profiles) {
            snprintf(x->err, sizeof x->err,
                     "profile must come once, before the rules of [rules] (it selects the set "
                     "they adjust)");
            return 0;
        }
        if (rlcli_profiles_parse(value, &c->profiles, x->err, sizeof x->err) < 0)
            return 0;
        resplint_config_set_profiles(x->cfg, c->profiles);
        return 1;
    }
    if (rule_value(x->cfg, name, value, x->err, sizeof x->err) < 0)
        return 0;
    return keep_rule(&c->rules, &c->nrules, &c->rules_cap, NULL, name, value) == 0;
}

/* [path "GLOB"] → GLOB; NULL when the section is not of that shape. */
static bool path_section(const char *section, char *glob, size_t len)
{
    if (strncmp(section, "path", 4) != 0)
        return false;
    const char *p = section + 4;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    if (n < 3 || p[0] != '"' || p[n - 1] != '"' || n - 2 >= len)
        return false;
    memcpy(glob, p + 1, n - 2);
    glob[n - 2] = '\0';
    return true;
}

static int handle(parse_ctx *x, const char *section, const char *name, const char *value)
{
    rlcli_conf *c = x->c;
    char glob[PATH_MAX];
    if (x->err[0])
        return 0; /* report the first error only */

    if (strcmp(section, "rules") == 0)
        return rules_entry(x, name, value);
    if (strcmp(section, "limits") == 0) {
        for (size_t i = 0; i < sizeof limit_names / sizeof limit_names[0]; i++) {
            if (strcmp(name, limit_names[i].name) != 0)
                continue;
            char *end;
            errno = 0;
            unsigned long long v = strtoull(value, &end, 10);
            if (errno || end == value || *end || value[0] == '-' || v == 0) {
                snprintf(x->err, sizeof x->err, "limit %s: '%s' is not a positive number", name,
                         value);
                return 0;
            }
            if (resplint_config_set_limit(x->cfg, limit_names[i].which, v) < 0) {
                snprintf(x->err, sizeof x->err, "limit %s: '%s' is too large", name, value);
                return 0;
            }
            return 1;
        }
        snprintf(x->err, sizeof x->err,
                 "unknown limit '%s' (head-bytes, field-section, fields, responses, findings, "
                 "pending-requests, flows, flow-buffer, flow-idle, har-entry, warc-record, "
                 "syntax-faults, exchange-urls)",
                 name);
        return 0;
    }
    if (strcmp(section, "filters") == 0) {
        char **slot = strcmp(name, "host") == 0  ? &c->host_glob
                      : strcmp(name, "url") == 0 ? &c->url_glob
                                                 : NULL;
        if (!slot) {
            snprintf(x->err, sizeof x->err, "unknown filter '%s' (host, url)", name);
            return 0;
        }
        free(*slot);
        *slot = strdup(value);
        return *slot != NULL;
    }
    if (strcmp(section, "output") == 0) {
        if (strcmp(name, "rule-help-uri") != 0) {
            snprintf(x->err, sizeof x->err, "unknown output setting '%s' (rule-help-uri)", name);
            return 0;
        }
        free(c->rule_help_uri);
        c->rule_help_uri = strdup(value);
        return c->rule_help_uri != NULL;
    }
    if (path_section(section, glob, sizeof glob))
        return add_path_rule(c, glob, name, value, x->err, sizeof x->err) == 0;
    snprintf(x->err, sizeof x->err, "unknown section [%s] (rules, limits, filters, output, path \"GLOB\")",
             section);
    return 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *x = user;
    int ok = handle(x, section, name, value);
    if (!ok && !x->err_line)
        x->err_line = x->line ? x->line : 1;
    return ok;
}

int rlcli_conf_load(rlcli_conf *c, resplint_config *cfg, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "resplint: %s: cannot read the configuration: %s\n", file, strerror(errno));
        return 2;
    }
    int rc = rlcli_conf_read(c, cfg, f, file);
    fclose(f);
    return rc;
}

#define INIH_FUNCS(X, ...) X(ini_parse_stream, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(inih_api, INIH_FUNCS);

int rlcli_conf_read(rlcli_conf *c, resplint_config *cfg, FILE *f, const char *file)
{
    parse_ctx x = {c, cfg, f, 0, 0, ""};
    inih_api ini;
    char err[256];
    if (!RLINT_LAZYLIB_LOAD(INIH_FUNCS, &ini, RESPLINT_LIBINIH_SONAME, err, sizeof err)) {
        fprintf(stderr, "resplint: %s: cannot read the configuration: %s\n", file, err);
        return 2;
    }
    int line = ini.ini_parse_stream(read_line, &x, on_entry, &x);
    rlint_lazylib_close(ini.lib);
    if (line != 0 || x.err[0]) {
        /* the first error: a syntax error inih found, or one of ours */
        if (line > 0 && (!x.err_line || line < x.err_line))
            fprintf(stderr, "resplint: %s:%d: not a KEY = VALUE line or a [section]\n", file, line);
        else if (x.err_line)
            fprintf(stderr, "resplint: %s:%d: %s\n", file, x.err_line, x.err);
        else
            fprintf(stderr, "resplint: %s: cannot be read\n", file);
        return 2;
    }
    c->file = strdup(file);
    return 0;
}

/* --config FILE, --config=FILE, --no-config: read before the other options so that those
 * given on the command line override the file. */
static const char *scan(int argc, char **argv, bool *none)
{
    const char *file = NULL;
    *none = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--no-config") == 0)
            *none = true;
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            file = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            file = argv[i] + 9;
    }
    return file;
}

int rlcli_conf_setup(rlcli_conf *c, resplint_config *cfg, int argc, char **argv)
{
    bool none;
    const char *file = scan(argc, argv, &none);
    if (file && none) {
        fprintf(stderr, "resplint: --config and --no-config cannot be used together\n");
        return 2;
    }
    if (file)
        return rlcli_conf_load(c, cfg, file);
    if (none)
        return 0;
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof dir - sizeof "/.resplint"))
        return 0;
    for (;;) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/.resplint", strcmp(dir, "/") == 0 ? "" : dir);
        struct stat st;
        if (stat(path, &st) == 0) {
            /* Found by walking up, it may be anybody's (a shared /tmp, a home above a
             * checkout): only the user's own or root's applies, as git's safe.directory. */
            if (st.st_uid == geteuid() || st.st_uid == 0)
                return rlcli_conf_load(c, cfg, path);
            fprintf(stderr,
                    "resplint: %s: ignored: owned by another user (uid %u); name it with "
                    "--config to use it\n",
                    path, (unsigned)st.st_uid);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0)
                return 0;
            strcpy(dir, "/");
        } else {
            *slash = '\0';
        }
    }
}

int rlcli_conf_cli_rule(rlcli_conf *c, int kind, const char *arg)
{
    if (c->ncli == sizeof c->cli / sizeof c->cli[0])
        return -1;
    c->cli[c->ncli].kind = kind;
    c->cli[c->ncli].arg = arg;
    c->ncli++;
    return 0;
}

static bool path_matches(const char *glob, const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return fnmatch(glob, path, 0) == 0;
}

/* The command line's --enable, --disable and --rule, in their order, over cfg. */
static void replay_cli(const rlcli_conf *c, resplint_config *cfg)
{
    char err[256];
    for (size_t i = 0; i < c->ncli; i++) {
        const char *arg = c->cli[i].arg;
        if (c->cli[i].kind == RLCLI_CLI_ENABLE) {
            resplint_config_enable(cfg, arg);
        } else if (c->cli[i].kind == RLCLI_CLI_DISABLE) {
            resplint_config_set_rule(cfg, arg, RESPLINT_OFF);
        } else {
            const char *eq = strchr(arg, '=');
            char rule[128];
            if (eq && (size_t)(eq - arg) < sizeof rule) {
                memcpy(rule, arg, (size_t)(eq - arg));
                rule[eq - arg] = '\0';
                rule_value(cfg, rule, eq + 1, err, sizeof err);
            }
        }
    }
}

void rlcli_conf_profile(const rlcli_conf *c, resplint_config *cfg, unsigned profiles)
{
    char err[256];
    resplint_config_set_profiles(cfg, profiles);
    for (size_t i = 0; i < c->nrules; i++)
        rule_value(cfg, c->rules[i].rule, c->rules[i].value, err, sizeof err);
    replay_cli(c, cfg);
}

resplint_config *rlcli_conf_for_path(const rlcli_conf *c, const resplint_config *base,
                                     const char *path)
{
    resplint_config *cfg = NULL;
    char err[256];
    for (size_t i = 0; i < c->npath; i++) {
        const rlcli_path_rule *p = &c->paths[i];
        if (!path_matches(p->glob, path))
            continue;
        if (!cfg && !(cfg = resplint_config_clone(base)))
            return NULL;
        rule_value(cfg, p->rule, p->value, err, sizeof err);
    }
    if (!cfg)
        return NULL;
    /* the command line wins over the file, [path] sections included */
    replay_cli(c, cfg);
    return cfg;
}

void rlcli_conf_free(rlcli_conf *c)
{
    for (size_t i = 0; i < c->npath; i++) {
        free(c->paths[i].glob);
        free(c->paths[i].rule);
        free(c->paths[i].value);
    }
    free(c->paths);
    for (size_t i = 0; i < c->nrules; i++) {
        free(c->rules[i].rule);
        free(c->rules[i].value);
    }
    free(c->rules);
    free(c->host_glob);
    free(c->rule_help_uri);
    free(c->url_glob);
    free(c->file);
    memset(c, 0, sizeof *c);
}
