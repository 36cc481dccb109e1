/* A Markdown renderer for the subset the rule pages use (rules/docs/RLnnnn.md): ATX headings,
 * paragraphs, fenced code blocks, block quotes, "-" / "*" / "1." lists with indented
 * continuation lines, and inline code, **strong**, *emphasis*. Links become their text
 * followed by the address in parentheses, never an href: the report works offline. */
#include "reporter.h"

#include <string.h>

typedef struct line {
    const char *p;
    size_t n;
} line;

static bool next_line(const char **s, line *l)
{
    if (!**s)
        return false;
    const char *e = strchr(*s, '\n');
    l->p = *s;
    l->n = e ? (size_t)(e - *s) : strlen(*s);
    *s = e ? e + 1 : *s + l->n;
    if (l->n && l->p[l->n - 1] == '\r')
        l->n--;
    return true;
}

static bool blank(line l)
{
    for (size_t i = 0; i < l.n; i++)
        if (l.p[i] != ' ' && l.p[i] != '\t')
            return false;
    return true;
}

static size_t indent(line l)
{
    size_t i = 0;
    while (i < l.n && l.p[i] == ' ')
        i++;
    return i;
}

static bool fence(line l)
{
    size_t i = indent(l);
    return l.n - i >= 3 && memcmp(l.p + i, "```", 3) == 0;
}

static int heading(line l)
{
    int h = 0;
    while ((size_t)h < l.n && l.p[h] == '#' && h < 6)
        h++;
    return h && (size_t)h < l.n && l.p[h] == ' ' ? h : 0;
}

/* length of a list marker at the start of l ("- ", "* ", "12. "), 0 when none */
static size_t bullet(line l, bool *ordered)
{
    if (l.n >= 2 && (l.p[0] == '-' || l.p[0] == '*') && l.p[1] == ' ') {
        *ordered = false;
        return 2;
    }
    size_t i = 0;
    while (i < l.n && i < 4 && l.p[i] >= '0' && l.p[i] <= '9')
        i++;
    if (i && i + 1 < l.n && l.p[i] == '.' && l.p[i + 1] == ' ') {
        *ordered = true;
        return i + 2;
    }
    return 0;
}

static const char *find(const char *p, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; p + n <= end; p++)
        if (memcmp(p, what, n) == 0)
            return p;
    return NULL;
}

/* Inline markup of one run of text. */
static void inline_text(FILE *out, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        const char *q;
        if (*p == '`' && (q = find(p + 1, end, "`")) != NULL) {
            fputs("<code>", out);
            rlrep_html_text(out, p + 1, (size_t)(q - p - 1));
            fputs("</code>", out);
            p = q + 1;
        } else if (end - p > 2 && p[0] == '*' && p[1] == '*' && p[2] != ' ' &&
                   (q = find(p + 2, end, "**")) != NULL && q > p + 2) {
            fputs("<strong>", out);
            inline_text(out, p + 2, (size_t)(q - p - 2));
            fputs("</strong>", out);
            p = q + 2;
        } else if (*p == '*' && end - p > 1 && p[1] != ' ' && p[1] != '*' &&
                   (q = find(p + 1, end, "*")) != NULL && q[-1] != ' ' &&
                   (q + 1 == end || q[1] != '*')) {
            fputs("<em>", out);
            inline_text(out, p + 1, (size_t)(q - p - 1));
            fputs("</em>", out);
            p = q + 1;
        } else if (*p == '[' && (q = find(p + 1, end, "](")) != NULL) {
            const char *c = find(q + 2, end, ")");
            if (!c) {
                rlrep_html_text(out, p, 1);
                p++;
                continue;
            }
            inline_text(out, p + 1, (size_t)(q - p - 1));
            fputs(" (", out);
            rlrep_html_text(out, q + 2, (size_t)(c - q - 2));
            fputs(")", out);
            p = c + 1;
        } else {
            /* plain text up to the next character that may start markup */
            const char *s = p + 1;
            while (s < end && *s != '`' && *s != '*' && *s != '[')
                s++;
            rlrep_html_text(out, p, (size_t)(s - p));
            p = s;
        }
    }
}

/* Consecutive lines as one paragraph's inline text: joined first, since a code span or an
 * emphasis may go on over a line break; line by line when the paragraph is too long. */
static void inline_lines(FILE *out, const line *ls, size_t n)
{
    char buf[8192];
    size_t len = 0;
    bool fits = true;
    for (size_t i = 0; i < n && fits; i++) {
        size_t in = indent(ls[i]), k = ls[i].n - in;
        if (len + k + 1 > sizeof buf) {
            fits = false;
            break;
        }
        if (i)
            buf[len++] = '\n';
        memcpy(buf + len, ls[i].p + in, k);
        len += k;
    }
    if (fits) {
        inline_text(out, buf, len);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc('\n', out);
        size_t in = indent(ls[i]);
        inline_text(out, ls[i].p + in, ls[i].n - in);
    }
}

#define MAX_PARA 64 /* lines of one paragraph handled as one; longer ones are split */

void rlrep_markdown_html(FILE *out, const char *md, int shift, const char *skip_h1)
{
    const char *s = md;
    line l;
    bool have = next_line(&s, &l);
    line para[MAX_PARA];
    while (have) {
        if (blank(l)) {
            have = next_line(&s, &l);
            continue;
        }
        if (fence(l)) {
            fputs("<pre><code>", out);
            bool first = true;
            while ((have = next_line(&s, &l)) && !fence(l)) {
                if (!first)
                    fputc('\n', out);
                rlrep_html_text(out, l.p, l.n);
                first = false;
            }
            fputs("</code></pre>\n", out);
            if (have)
                have = next_line(&s, &l);
            continue;
        }
        int h = heading(l);
        if (h) {
            size_t skip = (size_t)h + 1;
            if (h == 1 && skip_h1 && l.n - skip >= strlen(skip_h1) &&
                memcmp(l.p + skip, skip_h1, strlen(skip_h1)) == 0) {
                have = next_line(&s, &l);
                continue;
            }
            int level = h + shift > 6 ? 6 : h + shift;
            fprintf(out, "<h%d>", level);
            inline_text(out, l.p + skip, l.n - skip);
            fprintf(out, "</h%d>\n", level);
            have = next_line(&s, &l);
            continue;
        }
        if (l.n && l.p[0] == '>') {
            fputs("<blockquote><p>", out);
            size_t np = 0;
            while (have && l.n && l.p[0] == '>') {
                size_t k = l.n > 1 && l.p[1] == ' ' ? 2 : 1;
                line t = {l.p + k, l.n - k};
                if (blank(t)) {
                    if (np)
                        inline_lines(out, para, np), fputs("</p><p>", out);
                    np = 0;
                } else {
                    if (np == MAX_PARA)
                        inline_lines(out, para, np), fputc('\n', out), np = 0;
                    para[np++] = t;
                }
                have = next_line(&s, &l);
            }
            inline_lines(out, para, np);
            fputs("</p></blockquote>\n", out);
            continue;
        }
        bool ordered;
        if (bullet(l, &ordered)) {
            bool ord = ordered;
            fputs(ord ? "<ol>\n" : "<ul>\n", out);
            while (have) {
                size_t b = bullet(l, &ordered);
                if (!b || ordered != ord)
                    break;
                size_t np = 0;
                para[np++] = (line){l.p + b, l.n - b};
                while ((have = next_line(&s, &l)) && !blank(l) && indent(l) >= 2 && !fence(l)) {
                    if (np == MAX_PARA)
                        break;
                    para[np++] = l;
                }
                fputs("<li>", out);
                inline_lines(out, para, np);
                fputs("</li>\n", out);
                /* a blank line between items keeps the list going */
                while (have && blank(l))
                    have = next_line(&s, &l);
            }
            fputs(ord ? "</ol>\n" : "</ul>\n", out);
            continue;
        }
        size_t np = 0;
        while (have && !blank(l) && !fence(l) && !heading(l) && !(l.n && l.p[0] == '>') &&
               !(np && bullet(l, &ordered)) && np < MAX_PARA) {
            para[np++] = l;
            have = next_line(&s, &l);
        }
        fputs("<p>", out);
        inline_lines(out, para, np);
        fputs("</p>\n", out);
    }
}
