/* The .resplint configuration file (cli/config.c). */
#ifndef RLCLI_CONFIG_H
#define RLCLI_CONFIG_H

#include "cli.h"

#include <stddef.h>

typedef struct rlcli_path_rule {
    char *glob, *rule, *value;
} rlcli_path_rule;

enum { RLCLI_CLI_ENABLE, RLCLI_CLI_DISABLE, RLCLI_CLI_RULE };

typedef struct rlcli_conf {
    char *file;      /* the file read, NULL when none */
    char *host_glob; /* [filters] */
    char *url_glob;
    char *rule_help_uri; /* [output] rule-help-uri */
    rlcli_path_rule *paths; /* [path "GLOB"] entries, in file order */
    size_t npath, path_cap;
    unsigned profiles;      /* [rules] profile, 0 when not given */
    rlcli_path_rule *rules; /* [rules] entries (glob NULL), in file order, replayed after --profile */
    size_t nrules, rules_cap;
    struct {
        int kind;
        const char *arg;
    } cli[256]; /* --enable/--disable/--rule as given, replayed over [path] sections */
    size_t ncli;
} rlcli_conf;

/* Finds and reads the configuration (--config FILE, else .resplint walking up from the working
 * directory, unless --no-config) into cfg and c. Returns 0, or 2 after printing an error
 * naming the file and the line. */
int rlcli_conf_setup(rlcli_conf *c, resplint_config *cfg, int argc, char **argv);
int rlcli_conf_load(rlcli_conf *c, resplint_config *cfg, const char *file);
/* rlcli_conf_load from an open stream (file names it in messages); the caller closes f. */
int rlcli_conf_read(rlcli_conf *c, resplint_config *cfg, FILE *f, const char *file);
/* Remembers a rule option of the command line (argv storage, not copied). -1 when full. */
int rlcli_conf_cli_rule(rlcli_conf *c, int kind, const char *arg);
/* Parses a profile list, "caching, security" (commas or spaces between the names), into
 * RESPLINT_PROFILE_* bits; -1 naming the bad word in err. */
int rlcli_profiles_parse(const char *list, unsigned *out, char *err, size_t errlen);
/* --profile: selects the profiles in cfg, then replays the file's [rules] and the command line's
 * rule options over them (both adjust the profile, whatever their order on the line). */
void rlcli_conf_profile(const rlcli_conf *c, resplint_config *cfg, unsigned profiles);
/* A configuration for one input when a [path] section matches it (caller frees), else NULL:
 * base, then the matching sections in file order, then the command line again. */
resplint_config *rlcli_conf_for_path(const rlcli_conf *c, const resplint_config *base,
                                     const char *path);
void rlcli_conf_free(rlcli_conf *c);

#endif
