/* --list-rules and --explain: everything here comes from the catalogue and the rule pages,
 * never typed twice. */
#include "cli.h"

#include <llhttp.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

const char *rlcli_llhttp_version(void)
{
    return STR(LLHTTP_VERSION_MAJOR) "." STR(LLHTTP_VERSION_MINOR) "." STR(LLHTTP_VERSION_PATCH);
}

/* The profile tags of a rule, "recommended,caching". */
static void profile_tags(unsigned profiles, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    for (unsigned bit = 1; bit < RESPLINT_PROFILE_ALL; bit <<= 1) {
        const char *name = resplint_profile_name(bit);
        if (!(profiles & bit) || !name)
            continue;
        int k = snprintf(out + n, len - n, "%s%s", n ? "," : "", name);
        if (k < 0 || (size_t)k >= len - n)
            break;
        n += (size_t)k;
    }
}

void rlcli_list_rules(FILE *out, unsigned profiles)
{
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        if (!(r->profiles & profiles))
            continue;
        char tags[64];
        profile_tags(r->profiles, tags, sizeof tags);
        fprintf(out, "%-7s %-40s %-8s %-28s %s\n", r->id, r->name,
                resplint_severity_name(r->severity), tags, r->summary);
    }
}

const char *rlcli_rule_doc_cb(const char *id, void *user)
{
    (void)user;
    return rlcli_rule_doc(id);
}

int rlcli_explain(FILE *out, const char *rule)
{
    const resplint_rule *r = resplint_rule_find(rule);
    if (!r)
        return -1;
    const char *doc = rlcli_rule_doc(r->id);
    if (doc) {
        fputs(doc, out);
    } else {
        fprintf(out, "# %s %s\n\n%s\n\nSeverity: %s. Spec: %s.\n", r->id, r->name, r->summary,
                resplint_severity_name(r->severity), r->spec);
    }
    return 0;
}
