/* RL7012, RL7013, RL7015: Content-Disposition, Link and Alt-Svc lines whose grammar is broken
 * (the parsers are in lib/core/paramfields.c). Each line is judged alone; the message names the
 * fault and its character, and quotes the value around it. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The value around the fault, for the message: from 40 bytes before it, "..." where cut. */
static void excerpt(char *out, size_t outlen, const char *s, size_t n, size_t at)
{
    size_t from = at > 40 ? at - 40 : 0;
    char q[200];
    rlint_quote(q, sizeof q, s + from, n - from, 96);
    snprintf(out, outlen, "%s%s", from ? "..." : "", q);
}

/* A recorder that joined repeated lines made one line of several; the line is not the
 * server's (the house habit of RL6030, RL7002). */
static bool joined(const rlint_ctx *c, const char *s, size_t n)
{
    return (c->prov & RESPLINT_PROV_FIELDS_MERGED) && memchr(s, ',', n);
}

typedef bool (*grammar_fn)(const char *s, size_t n, const char **why, size_t *at);

/* Judges every line of field f with fn; a faulty line is reported as rule, with the field's
 * name and its grammar (spec) in the message. */
static void judge_lines(rlint_ctx *c, rlint_field_id f, grammar_fn fn, bool skip_joined,
                        rlint_rule_id rule, const char *name, const char *spec)
{
    for (long i = rlint_next(c, f, -1); i >= 0; i = rlint_next(c, f, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        if (fn(s, n, &why, &at) || !rlint_value_clean(c, s, n) || (skip_joined && joined(c, s, n)))
            continue;
        char q[240];
        excerpt(q, sizeof q, s, n, at);
        rlint_emit_field(c, rule, (size_t)i, "%s \"%s\" is invalid: %s at character %zu; %s", name,
                         q, why, at + 1, spec);
    }
}

void rlint_check_content_disposition_invalid(rlint_ctx *c)
{
    judge_lines(c, RLINT_F_CONTENT_DISPOSITION, rlint_content_disposition, true, RLINT_RL7012,
                "Content-Disposition",
                "RFC 6266 §4.1: disposition-type *( \";\" disposition-parm ), and §3: \"Senders "
                "MUST NOT generate Content-Disposition header fields that are invalid\"");
}

void rlint_check_link_invalid(rlint_ctx *c)
{
    /* Link is a list: lines a recorder joined with ", " are still one valid list */
    judge_lines(c, RLINT_F_LINK, rlint_link, false, RLINT_RL7013, "Link",
                "RFC 8288 §3: link-value = \"<\" URI-Reference \">\" *( OWS \";\" OWS "
                "link-param ), link-param = token BWS [ \"=\" BWS ( token / quoted-string ) ]");
}

/* rlint_alt_svc without its clear flag, for judge_lines */
static bool alt_svc_line(const char *s, size_t n, const char **why, size_t *at)
{
    bool clear;
    return rlint_alt_svc(s, n, &clear, why, at);
}

void rlint_check_alt_svc_invalid(rlint_ctx *c)
{
    judge_lines(c, RLINT_F_ALT_SVC, alt_svc_line, true, RLINT_RL7015, "Alt-Svc",
                "RFC 7838 §3: Alt-Svc = clear / 1#alt-value, alt-value = protocol-id \"=\" "
                "alt-authority *( OWS \";\" OWS parameter )");
    /* RFC 7838 §3: Alt-Svc = clear / 1#alt-value; a clear line next to another line makes the
     * combined value "clear, ..." */
    size_t lines = 0;
    long clear_line = -1;
    for (long i = rlint_next(c, RLINT_F_ALT_SVC, -1); i >= 0;
         i = rlint_next(c, RLINT_F_ALT_SVC, i)) {
        const char *s;
        size_t n;
        rlint_field_trimmed(&c->resp->fields[i], &s, &n);
        lines++;
        if (clear_line < 0 && n == 5 && memcmp(s, "clear", 5) == 0)
            clear_line = i;
    }
    if (clear_line >= 0 && lines > 1)
        rlint_emit_field(c, RLINT_RL7015, (size_t)clear_line,
                         "Alt-Svc \"clear\" next to %zu other Alt-Svc line%s: the combined value "
                         "is not clear alone; RFC 7838 §3: Alt-Svc = clear / 1#alt-value",
                         lines - 1, lines > 2 ? "s" : "");
}
