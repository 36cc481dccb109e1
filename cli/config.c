/* The .resplint configuration file: INI read with inih, found by walking up from the working
 * directory (or --config FILE, or none with --no-config). Sections: [rules], [limits],
 * [filters], [path "GLOB"]. Unknown sections, keys, rules, bad values: errors with file:line. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
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
    if (s && strchr(s, '\n'))
        x->line++;
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
    if (c->npath == c->path_cap) {
        size_t cap = c->path_cap ? c->path_cap * 2 : 8;
        rlcli_path_rule *p = realloc(c->paths, cap * sizeof *p);
        if (!p)
            return -1;
        c->paths = p;
        c->path_cap = cap;
    }
    rlcli_path_rule *p = &c->paths[c->npath];
    p->glob = strdup(glob);
    p->rule = strdup(rule);
    p->value = strdup(value);
    if (!p->glob || !p->rule || !p->value) {
        free(p->glob), free(p->rule), free(p->value);
        return -1;
    }
    c->npath++;
    return 0;
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
        return rule_value(x->cfg, name, value, x->err, sizeof x->err) == 0;
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
                 "syntax-faults)",
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
    if (path_section(section, glob, sizeof glob))
        return add_path_rule(c, glob, name, value, x->err, sizeof x->err) == 0;
    snprintf(x->err, sizeof x->err, "unknown section [%s] (rules, limits, filters, path \"GLOB\")",
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

int rlcli_conf_read(rlcli_conf *c, resplint_config *cfg, FILE *f, const char *file)
{
    parse_ctx x = {c, cfg, f, 0, 0, ""};
    int line = ini_parse_stream(read_line, &x, on_entry, &x);
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
        if (access(path, F_OK) == 0)
            return rlcli_conf_load(c, cfg, path);
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
    free(c->host_glob);
    free(c->url_glob);
    free(c->file);
    memset(c, 0, sizeof *c);
}
