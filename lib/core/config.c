/* resplint_config: rule severities and limits. Read-only once set up. */
#include "internal.h"

#include <string.h>

static const uint64_t default_limits[RESPLINT_LIMIT_COUNT_] = {
    [RESPLINT_LIMIT_HEAD_BYTES] = 1024 * 1024,
    [RESPLINT_LIMIT_FIELD_SECTION] = 64 * 1024,
    [RESPLINT_LIMIT_FIELDS] = 1000,
    [RESPLINT_LIMIT_RESPONSES] = 10000000,
    [RESPLINT_LIMIT_FINDINGS] = 100,
    [RESPLINT_LIMIT_PENDING_REQUESTS] = 65536,
    [RESPLINT_LIMIT_FLOWS] = 100000,
    [RESPLINT_LIMIT_FLOW_BUFFER] = 1024 * 1024,
    [RESPLINT_LIMIT_FLOW_IDLE] = 3600,
    [RESPLINT_LIMIT_HAR_ENTRY] = 2 * 1024 * 1024,
    [RESPLINT_LIMIT_WARC_RECORD] = 4ull * 1024 * 1024 * 1024,
    [RESPLINT_LIMIT_SYNTAX_FAULTS] = 100,
    [RESPLINT_LIMIT_EXCHANGE_URLS] = 100000,
    [RESPLINT_LIMIT_DECODED_BODY] = 128ull * 1024 * 1024,
    [RESPLINT_LIMIT_PENDING_BYTES] = 8ull * 1024 * 1024,
};

resplint_config *resplint_config_new(void)
{
    resplint_config *cfg = rlint_calloc(1, sizeof *cfg);
    if (!cfg)
        return NULL;
    memcpy(cfg->limits, default_limits, sizeof cfg->limits);
    rlint_field_table_init(cfg->fields);
    resplint_config_set_profiles(cfg, RESPLINT_PROFILE_RECOMMENDED); /* plans too */
    return cfg;
}

int resplint_config_set_profiles(resplint_config *cfg, unsigned profiles)
{
    if (!cfg || !profiles || (profiles & ~RESPLINT_PROFILE_ALL))
        return RESPLINT_EINVAL;
    for (size_t i = 0; i < RLINT_RULE_COUNT; i++)
        cfg->severity[i] = (rlint_rules[i].profiles & profiles)
                               ? (unsigned char)rlint_rules[i].severity
                               : RESPLINT_OFF;
    rlint_config_plan(cfg);
    return 0;
}

resplint_config *resplint_config_clone(const resplint_config *cfg)
{
    if (!cfg)
        return NULL;
    resplint_config *copy = rlint_malloc(sizeof *copy);
    if (copy)
        memcpy(copy, cfg, sizeof *copy);
    return copy;
}

void resplint_config_free(resplint_config *cfg) { rlint_free(cfg); }

int resplint_config_set_rule(resplint_config *cfg, const char *rule, resplint_severity sev)
{
    if (!cfg || !rule || (unsigned)sev > RESPLINT_ERROR)
        return RESPLINT_EINVAL;
    const resplint_rule *r = resplint_rule_find(rule);
    if (!r)
        return RESPLINT_ENORULE;
    cfg->severity[r->index] = (unsigned char)sev;
    rlint_config_plan(cfg);
    return 0;
}

int resplint_config_enable(resplint_config *cfg, const char *rule)
{
    const resplint_rule *r = resplint_rule_find(rule);
    if (!cfg || !rule)
        return RESPLINT_EINVAL;
    if (!r)
        return RESPLINT_ENORULE;
    cfg->severity[r->index] = (unsigned char)r->severity;
    rlint_config_plan(cfg);
    return 0;
}

resplint_severity resplint_config_severity(const resplint_config *cfg, const resplint_rule *rule)
{
    if (!cfg || !rule || rule->index >= RLINT_RULE_COUNT)
        return RESPLINT_OFF;
    return (resplint_severity)cfg->severity[rule->index];
}

int resplint_config_set_limit(resplint_config *cfg, resplint_limit which, uint64_t value)
{
    if (!cfg || (unsigned)which >= RESPLINT_LIMIT_COUNT_ || value == 0)
        return RESPLINT_EINVAL;
    if (which == RESPLINT_LIMIT_FIELDS && value > INT16_MAX)
        return RESPLINT_EINVAL; /* field indexes are 16-bit in the engine */
    cfg->limits[which] = value;
    return 0;
}

uint64_t resplint_config_limit(const resplint_config *cfg, resplint_limit which)
{
    if (!cfg || (unsigned)which >= RESPLINT_LIMIT_COUNT_)
        return 0;
    return cfg->limits[which];
}
