/* `resplint --help` and the man page resplint.1, both written from cli/options.def and the
 * prose below, so the two never disagree. `resplint --man` prints the page (the build runs it
 * to make resplint.1). */
#include "cli.h"

#include <string.h>

static const struct {
    const char *group; /* non-NULL: a group title */
    const char *name, *arg, *help;
} options[] = {
#define GROUP(title) {title, NULL, NULL, NULL},
#define OPT(id, name, arg, help) {NULL, name, arg, help},
#define HIDDEN(id, name, arg)
#define ARG(name) name
#define NOARG NULL
#include "options.def"
#undef GROUP
#undef OPT
#undef HIDDEN
#undef ARG
#undef NOARG
};

static const char summary[] =
    "Check recorded HTTP responses against the status table and the rules of HTTP\n"
    "(RFC 9110, 9111, 9112). PATH is a file, a folder (searched recursively) or -\n"
    "for stdin. Inputs: raw HTTP/1.x response streams, HAR 1.2, pcap/pcapng and WARC\n"
    "1.0/1.1 (plain or gzip), recognised by content, never by file name.\n";

static const char rule_names[] = "RULE is an id (RL2001) or a name (redirect-missing-location).\n";

static const char exit_status[] =
    "0 nothing at or above --fail-on; 1 findings at or above it;\n"
    "2 usage error, bad configuration, or an input that could not be read (the\n"
    "others are still checked).\n";

/* Man-page sections that --help leaves out: title, then paragraphs separated by blank lines. */
static const struct {
    const char *title, *text;
} prose[] = {
    {"FORMATS",
     "text: one line per finding and a summary. json: one document. jsonl: one JSON object per "
     "line, written as found. sarif: SARIF 2.1.0 for GitHub code scanning, with every rule, "
     "line and column for text inputs, byte regions for binary captures, logical locations "
     "and partialFingerprints. junit: JUnit XML, a testsuite per input and a testcase per "
     "response, a failure per finding at or above --fail-on. github: GitHub Actions workflow "
     "commands (annotations). gitlab: GitLab Code Quality JSON. html: one self-contained "
     "page: counts, SVG charts per rule, input, host and status code, a filterable table of "
     "every finding with the response head as evidence, and each fired rule's page."},
    {"CONFIGURATION",
     "resplint reads the first .resplint found in the working directory or a folder above it "
     "(or the file given with --config; none with --no-config). It is an INI file with the "
     "sections [rules] (first, if wanted, profile = TAG, ... as with --profile; then "
     "RULE = off, on, info, warning or error), [limits] (head-bytes, "
     "field-section, fields, responses, findings, pending-requests, flows, flow-buffer, "
     "flow-idle, har-entry, warc-record, syntax-faults, exchange-urls, decoded-body, "
     "pending-request-bytes: see the "
     "README's Limits), [filters] (host and url "
     "globs for HAR, pcap and WARC) and [path \"GLOB\"] (rule severities for inputs whose "
     "path matches GLOB: the path as given, a leading ./ ignored, * matching / too). Options "
     "on the command line win over the file. An unknown section, "
     "key or rule is an error naming the file and the line.\n\n"
     "Example:\n\n"
     "  [rules]\n  profile = recommended, caching\n  content-length-repeated = error\n\n  [path \"legacy/*\"]\n  RL3003 = off\n"},
    {"BASELINE",
     "--write-baseline FILE records a fingerprint of every finding: a hash of the rule, the "
     "input path as given, the response and the field, not of byte offsets or wording, so it "
     "survives "
     "edits elsewhere in the file. With --baseline FILE those findings are neither reported "
     "nor counted for the exit status: a team adopts resplint on old recordings and fails only "
     "on new faults. Run from the same folder with the same paths."},
    {"ENVIRONMENT", "NO_COLOR: when set and not empty, --color auto means never."},
};

static const char *dash(const char *s)
{
    return strcmp(s, "-") == 0 ? "\\-" : s;
}

/* "  LEFT   help" with the help wrapped at 79 columns under its first line. */
static void wrap(FILE *out, const char *left, const char *help)
{
    enum { INDENT = 25, WIDTH = 79 };
    fprintf(out, "  %-22s ", left);
    size_t col = INDENT;
    const char *p = help;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (col > INDENT && col + 1 + n > WIDTH) {
            fprintf(out, "\n%*s", INDENT, "");
            col = INDENT;
        } else if (col > INDENT) {
            putc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += n;
        p += n;
        while (*p == ' ')
            p++;
    }
    putc('\n', out);
}

void rlcli_usage(FILE *out)
{
    fputs("Usage: resplint [OPTIONS] PATH...\n", out);
    fputs(summary, out);
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (options[i].group) {
            fprintf(out, "%s:\n", options[i].group);
            continue;
        }
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        if (strlen(left) > 22)
            fprintf(out, "  %s\n", left);
        wrap(out, strlen(left) > 22 ? "" : left, options[i].help);
    }
    fputc('\n', out);
    fputs(rule_names, out);
    fputs("Exit status: ", out);
    fputs(exit_status, out);
    fputs("The configuration file, formats and baselines are described in resplint(1).\n", out);
}

/* roff: a leading '.' or '\'' would be a request, '\' an escape, '-' a hyphen. */
static void roff(FILE *out, const char *s)
{
    bool bol = true;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", out);
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            putc(*s, out);
        bol = *s == '\n';
    }
}

static void roff_paragraphs(FILE *out, const char *text)
{
    /* paragraphs split at blank lines; lines indented by two spaces are literal examples */
    const char *p = text;
    while (*p) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char buf[2048];
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (buf[0] == ' ') {
            fputs(".PP\n.nf\n", out);
            roff(out, buf);
            fputs("\n.fi\n", out);
        } else {
            fputs(".PP\n", out);
            roff(out, buf);
            fputc('\n', out);
        }
        p += n;
        while (*p == '\n')
            p++;
    }
}

void rlcli_man(FILE *out)
{
    fprintf(out, ".TH RESPLINT 1 \"\" \"resplint %s\" \"User Commands\"\n", resplint_version());
    fputs(".SH NAME\nresplint \\- check recorded HTTP responses against the rules of HTTP\n", out);
    fputs(".SH SYNOPSIS\n.B resplint\n[\\fIOPTIONS\\fR] \\fIPATH\\fR...\n.SH DESCRIPTION\n", out);
    roff_paragraphs(out, summary);
    roff_paragraphs(out, rule_names);
    fputs(".SH OPTIONS\n", out);
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (options[i].group) {
            fputs(".SS ", out);
            roff(out, options[i].group);
            fputc('\n', out);
            continue;
        }
        fputs(".TP\n.B \\-\\-", out);
        roff(out, options[i].name);
        if (options[i].arg) {
            fputs(" \\fI", out);
            roff(out, dash(options[i].arg));
            fputs("\\fR", out);
        }
        fputc('\n', out);
        roff(out, options[i].help);
        fputc('\n', out);
    }
    for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++) {
        fprintf(out, ".SH %s\n", prose[i].title);
        roff_paragraphs(out, prose[i].text);
    }
    fputs(".SH EXIT STATUS\n", out);
    roff_paragraphs(out, exit_status);
    fputs(".SH SEE ALSO\n\\fBresplint \\-\\-list\\-rules\\fR, \\fBresplint \\-\\-explain\\fR "
          "\\fIRULE\\fR\n",
          out);
}
