/* Internal interfaces of the resplint program. */
#ifndef RLCLI_H
#define RLCLI_H

#include "resplint.h"
#include "resplint/capture.h"
#include "resplint/report.h"

#include <stdbool.h>
#include <stdio.h>

void rlcli_usage(FILE *out);
/* The man page resplint.1 (roff), from the same source as --help. */
void rlcli_man(FILE *out);
/* The rules of the given profiles (RESPLINT_PROFILE_ALL: every rule), one per line: id, name,
 * default severity, profiles, summary. */
void rlcli_list_rules(FILE *out, unsigned profiles);
/* Prints the rule's page; -1 when the rule is unknown. */
int rlcli_explain(FILE *out, const char *rule);
const char *rlcli_llhttp_version(void);
/* The page of a rule (Markdown), embedded at build time from rules/docs/; NULL if none. */
const char *rlcli_rule_doc(const char *id);
/* rlcli_rule_doc in the shape resplint_report_options.rule_doc wants. */
const char *rlcli_rule_doc_cb(const char *id, void *user);
/* The name among names[0..n) nearest to word when it is a likely slip (a few edits), else
 * NULL (cli/suggest.c). */
const char *rlcli_suggest(const char *word, const char *const *names, size_t n);
/* Prints "resplint: did you mean ...?" with the rules whose name holds word, or the nearest
 * rule name or id; nothing when none is near. */
void rlcli_suggest_rules(FILE *out, const char *word);
#define RLCLI_FORMATS "text, json, jsonl, sarif, junit, github, gitlab, html"


#endif
