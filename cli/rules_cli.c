/* --help, --list-rules and --explain: everything here comes from the catalogue and the rule
 * pages, never typed twice. */
#include "cli.h"

#include <llhttp.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

const char *rlcli_llhttp_version(void)
{
    return STR(LLHTTP_VERSION_MAJOR) "." STR(LLHTTP_VERSION_MINOR) "." STR(LLHTTP_VERSION_PATCH);
}

void rlcli_usage(FILE *out)
{
    fputs("Usage: resplint [OPTIONS] PATH...\n"
          "Check recorded HTTP responses against the status table and the rules of HTTP\n"
          "(RFC 9110, 9111, 9112). PATH is a file, a folder (searched recursively) or - for\n"
          "stdin. Inputs: raw HTTP/1.x response streams; the format is detected from content.\n"
          "\n"
          "Input:\n"
          "  --method METHOD        method of the requests answered (raw input), e.g. HEAD\n"
          "  --request FILE         the client's byte stream, for per-response request context\n"
          "Output:\n"
          "  --format FORMAT        text (default) or json, on stdout\n"
          "  --report FORMAT:PATH   also write FORMAT to PATH (- for stdout); repeatable\n"
          "  --color WHEN           auto (default: on a terminal, unless NO_COLOR), always, never\n"
          "Rules:\n"
          "  --enable RULE          turn a rule on at its default severity\n"
          "  --disable RULE         turn a rule off\n"
          "  --rule RULE=SEVERITY   off, info, warning or error\n"
          "  --fail-on SEVERITY     exit 1 on findings at or above it: error (default), warning,\n"
          "                         info, never\n"
          "  --list-rules           list every rule with its severity and summary\n"
          "  --explain RULE         print the rule's page\n"
          "Other:\n"
          "  --version, --help\n"
          "\n"
          "RULE is an id (RL2001) or a name (redirect-missing-location).\n"
          "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
          "2 usage error or an input that could not be read (the others are still checked).\n",
          out);
}

void rlcli_list_rules(FILE *out)
{
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        fprintf(out, "%-7s %-40s %-8s %s%s\n", r->id, r->name, resplint_severity_name(r->severity),
                r->summary, (r->flags & RESPLINT_RULE_OFF_BY_DEFAULT) ? " (off by default)" : "");
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
