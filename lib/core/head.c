/* The tolerant head scan: reads a response head that strict llhttp rejected, so that the
 * report can name the fault (obs-fold, bare CR/LF, whitespace before the colon, bad bytes)
 * and the remaining rules can still check the fields. It never decides framing. */
#include "internal.h"

#include <string.h>

size_t rlint_head_lines(const char *p, size_t n)
{
    size_t lines = 1;
    for (const char *q = p, *end = p + n; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        lines++;
    return lines;
}

void rlint_raw_fault(rlint_raw *raw, rlint_syntax_kind kind, uint64_t off, uint32_t len,
                     long field, unsigned char byte)
{
    if (raw->nsyntax >= raw->syntax_max) {
        raw->syntax_limit = raw->syntax_max > 0;
        return;
    }
    if (raw->nsyntax == raw->syntax_cap) {
        size_t cap = raw->syntax_cap ? raw->syntax_cap * 2 : 8;
        if (cap > raw->syntax_max)
            cap = raw->syntax_max;
        rlint_syntax_fault *a = rlint_realloc(raw->syntax, cap * sizeof *a);
        if (!a) {
            raw->syntax_nomem = true;
            return;
        }
        raw->syntax = a;
        raw->syntax_cap = cap;
    }
    rlint_syntax_fault *f = &raw->syntax[raw->nsyntax++];
    f->kind = kind;
    f->offset = off;
    f->length = len;
    f->field = (int32_t)field;
    f->byte = byte;
}

static void fault(rlint_raw *raw, rlint_syntax_kind kind, uint64_t off, uint32_t len, long field,
                  unsigned char byte)
{
    rlint_raw_fault(raw, kind, off, len, field, byte);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static void scan_status_line(const char *p, size_t ce, uint64_t base, rlint_head *h,
                             rlint_raw *raw)
{
    size_t i = 0;
    while (i < ce && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i > 0)
        fault(raw, RLINT_SYN_STATUS_LINE, base, (uint32_t)i, -1, (unsigned char)p[0]);
    if (ce - i >= 8 && memcmp(p + i, "HTTP/", 5) == 0 && is_digit(p[i + 5]) && p[i + 6] == '.' &&
        is_digit(p[i + 7])) {
        h->major = (unsigned)(p[i + 5] - '0');
        h->minor = (unsigned)(p[i + 7] - '0');
    }
    while (i < ce && p[i] != ' ' && p[i] != '\t')
        i++;
    size_t sp = i;
    while (i < ce && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i - sp > 1 || (i > sp && p[sp] == '\t'))
        fault(raw, RLINT_SYN_STATUS_LINE, base + sp, (uint32_t)(i - sp), -1, (unsigned char)p[sp]);
    size_t ts = i;
    while (i < ce && p[i] != ' ')
        i++;
    h->status_text_off = (uint32_t)ts;
    h->status_text_len = (uint32_t)(i - ts);
    h->status = -1;
    /* "200OK" or "200<HTAB>OK": a three-digit code missing the SP after it, not a bad code */
    if (i - ts > 3 && is_digit(p[ts]) && is_digit(p[ts + 1]) && is_digit(p[ts + 2]) &&
        !is_digit(p[ts + 3])) {
        fault(raw, RLINT_SYN_STATUS_LINE, base + ts + 3, 1, -1, (unsigned char)p[ts + 3]);
        i = ts + 3;
        h->status_text_len = 3;
    }
    if (i - ts == 3 && is_digit(p[ts]) && is_digit(p[ts + 1]) && is_digit(p[ts + 2]))
        h->status = (p[ts] - '0') * 100 + (p[ts + 1] - '0') * 10 + (p[ts + 2] - '0');
    if (i < ce && p[i] != ' ') {
        h->reason_off = (uint32_t)i;
        h->reason_len = (uint32_t)(ce - i);
        h->has_reason = true;
        h->status_line_len = (uint32_t)ce;
        return;
    }
    if (i < ce) {
        i++;
        h->reason_off = (uint32_t)i;
        h->reason_len = (uint32_t)(ce - i);
        h->has_reason = true;
        for (size_t k = i; k < ce; k++) {
            unsigned char c = (unsigned char)p[k];
            /* a CR here is a bare CR, reported once as such (RL4004) */
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                fault(raw, RLINT_SYN_STATUS_LINE, base + k, 1, -1, c);
                break;
            }
        }
    }
    h->status_line_len = (uint32_t)ce;
}

void rlint_head_scan(const char *p, size_t n, uint64_t base, rlint_head *h, rlint_raw *raw)
{
    h->nfields = 0;
    h->fields_over = false;
    h->has_reason = false;
    h->major = h->minor = 0;
    size_t ls = 0;
    size_t seen = 0;       /* field lines seen: the index faults carry, stored or not */
    bool stored = false;   /* the last field line seen was stored in h->fields */
    bool first = true;
    while (ls < n) {
        const char *nl = memchr(p + ls, '\n', n - ls);
        size_t le = nl ? (size_t)(nl - p) : n;
        size_t ce = le;
        long cur = first ? -1 : (long)seen; /* the field this line would start */
        bool fold = !first && le > ls && (p[ls] == ' ' || p[ls] == '\t');
        long owner = fold ? (seen ? (long)seen - 1 : -1) : cur;
        if (ce > ls && p[ce - 1] == '\r') {
            ce--;
        } else if (nl) {
            /* One fault for the first bare LF; the others are only counted, so that a head
             * written with LF endings throughout does not crowd out every other fault. */
            if (raw->nbare_lf++ == 0)
                fault(raw, RLINT_SYN_BARE_LF, base + le, 1, owner, '\n');
        }
        /* One fault for the first bare CR of a line: more on the same line say nothing new
         * and would crowd out the faults of other lines. */
        const char *cr = ce > ls ? memchr(p + ls, '\r', ce - ls) : NULL;
        if (cr)
            fault(raw, RLINT_SYN_BARE_CR, base + (uint64_t)(cr - p), 1, owner, '\r');
        if (first) {
            scan_status_line(p, ce, base, h, raw);
            first = false;
        } else if (ce == ls) {
            break; /* the blank line */
        } else if (fold) {
            /* obs-fold: the line continues the previous field's value */
            fault(raw, RLINT_SYN_OBS_FOLD, base + ls, (uint32_t)(ce - ls), owner,
                  (unsigned char)p[ls]);
            if (seen && stored) {
                rlint_field_pos *f = &h->fields[h->nfields - 1];
                size_t vs = ls, e = ce;
                while (vs < e && (p[vs] == ' ' || p[vs] == '\t'))
                    vs++;
                while (e > vs && (p[e - 1] == ' ' || p[e - 1] == '\t'))
                    e--;
                for (size_t k = vs; k < e; k++) {
                    unsigned char c = (unsigned char)p[k];
                    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                        fault(raw, RLINT_SYN_VALUE_INVALID, base + k, 1, owner, c);
                        break;
                    }
                }
                if (e > vs) {
                    if (f->value_len == 0)
                        f->value_off = (uint32_t)vs;
                    f->value_len = (uint32_t)(e - f->value_off);
                }
                f->line_len = (uint32_t)(ce - f->name_off);
            }
        } else {
            const char *colon = memchr(p + ls, ':', ce - ls);
            if (!colon) {
                fault(raw, RLINT_SYN_NO_COLON, base + ls, (uint32_t)(ce - ls), -1,
                      (unsigned char)p[ls]);
                stored = false;
            } else {
                size_t nend = (size_t)(colon - p), ne = nend;
                while (ne > ls && (p[ne - 1] == ' ' || p[ne - 1] == '\t'))
                    ne--;
                long idx = (long)seen++;
                if (ne < nend)
                    fault(raw, RLINT_SYN_WS_BEFORE_COLON, base + ne, (uint32_t)(nend - ne), idx,
                          (unsigned char)p[ne]);
                for (size_t k = ls; k < ne; k++)
                    if (!rlint_is_tchar((unsigned char)p[k])) {
                        fault(raw, RLINT_SYN_NAME_INVALID, base + k, 1, idx, (unsigned char)p[k]);
                        break;
                    }
                if (ne == ls)
                    fault(raw, RLINT_SYN_NAME_INVALID, base + ls, 1, idx, ':');
                size_t vs = nend + 1, ve = ce;
                while (vs < ve && (p[vs] == ' ' || p[vs] == '\t'))
                    vs++;
                while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
                    ve--;
                for (size_t k = vs; k < ve; k++) {
                    unsigned char c = (unsigned char)p[k];
                    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                        fault(raw, RLINT_SYN_VALUE_INVALID, base + k, 1, idx, c);
                        break;
                    }
                }
                stored = h->nfields < h->cap;
                if (!stored) {
                    h->fields_over = true;
                } else {
                    rlint_field_pos *f = &h->fields[h->nfields++];
                    f->name_off = (uint32_t)ls;
                    f->name_len = (uint32_t)(ne - ls);
                    f->value_off = (uint32_t)vs;
                    f->value_len = (uint32_t)(ve - vs);
                    f->line_len = (uint32_t)(ce - ls);
                }
            }
        }
        if (!nl)
            break;
        ls = le + 1;
    }
}
