/* The rule catalogue, the status table, severities, errors and version: the static data of
 * libresplint, expanded from rules/rules.def, rules/status.def and rules/vendor.def. */
#include "internal.h"

#include <string.h>

#define OFF_BY_DEFAULT RESPLINT_RULE_OFF_BY_DEFAULT
#define NEEDS_RAW RESPLINT_RULE_NEEDS_RAW

const resplint_rule rlint_rules[RLINT_RULE_COUNT] = {
#define RULE(id_, ident, name_, sev, flags_, spec_, summary_)                                     \
    {RLINT_##id_, #id_, name_, RESPLINT_##sev, (flags_), spec_, summary_},
#define INPUT_RULE(id_, ident, name_, sev, flags_, spec_, summary_)                               \
    {RLINT_##id_, #id_, name_, RESPLINT_##sev, (flags_) | RESPLINT_RULE_INPUT, spec_, summary_},
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

size_t resplint_rule_count(void) { return RLINT_RULE_COUNT; }

const resplint_rule *resplint_rule_at(size_t index)
{
    return index < RLINT_RULE_COUNT ? &rlint_rules[index] : NULL;
}

static bool ascii_case_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

const resplint_rule *resplint_rule_find(const char *id_or_name)
{
    if (!id_or_name)
        return NULL;
    for (size_t i = 0; i < RLINT_RULE_COUNT; i++)
        if (ascii_case_equal(id_or_name, rlint_rules[i].id) ||
            ascii_case_equal(id_or_name, rlint_rules[i].name))
            return &rlint_rules[i];
    return NULL;
}

/* ---- status table ---- */

#define DEPRECATED RLINT_DEPRECATED
#define UNUSED RLINT_UNUSED
#define EXPERIMENTAL RLINT_EXPERIMENTAL
#define WEBDAV RLINT_WEBDAV
#define RESERVED RLINT_RESERVED
#define OBSOLETE RLINT_OBSOLETE
#define NEEDS_LOCATION RLINT_NEEDS_LOCATION
#define WANTS_LOCATION RLINT_WANTS_LOCATION
#define NO_CONTENT RLINT_NO_CONTENT
#define NO_LENGTH RLINT_NO_LENGTH
#define NOT_MODIFIED RLINT_NOT_MODIFIED
#define NEEDS_WWW_AUTH RLINT_NEEDS_WWW_AUTH
#define NEEDS_PROXY_AUTH RLINT_NEEDS_PROXY_AUTH
#define NEEDS_ALLOW RLINT_NEEDS_ALLOW
#define NEEDS_UPGRADE RLINT_NEEDS_UPGRADE
#define NEEDS_CONTENT_RANGE RLINT_NEEDS_CONTENT_RANGE
#define WANTS_CONTENT_RANGE RLINT_WANTS_CONTENT_RANGE
#define NEEDS_ETAG RLINT_NEEDS_ETAG
#define SUGGESTS_LOCATION RLINT_SUGGESTS_LOCATION
#define TEMPORARY RLINT_TEMPORARY

static const rlint_status status_table[500] = {
#define STATUS(code, reason, marks, source) [(code)-100] = {reason, sizeof(reason) - 1, (marks), source},
#include "status.def"
#undef STATUS
};

const rlint_status *rlint_status_lookup(int code)
{
    if (code < 100 || code > 599 || !status_table[code - 100].reason)
        return NULL;
    return &status_table[code - 100];
}

const char *resplint_status_reason(int code)
{
    const rlint_status *s = rlint_status_lookup(code);
    return s ? s->reason : NULL;
}

int rlint_status_by_reason(const char *reason, size_t len)
{
    for (int i = 0; i < 500; i++) {
        const char *r = status_table[i].reason;
        if (r && strlen(r) == len) {
            size_t k = 0;
            for (; k < len; k++) {
                char a = reason[k], b = r[k];
                if (a >= 'A' && a <= 'Z')
                    a = (char)(a + 32);
                if (b >= 'A' && b <= 'Z')
                    b = (char)(b + 32);
                if (a != b)
                    break;
            }
            if (k == len)
                return i + 100;
        }
    }
    return 0;
}

const char *rlint_vendor_meaning(int code)
{
    switch (code) {
#define VENDOR(c, meaning)                                                                         \
    case c:                                                                                        \
        return meaning;
#include "vendor.def"
#undef VENDOR
    default:
        return NULL;
    }
}

/* ---- known fields ---- */

/* Names are zero-padded to whole 8-byte words, so that comparisons can go a word at a time. */
#define KNOWN_NAME_MAX 24

static const struct {
    char name[KNOWN_NAME_MAX];
    size_t len;
} known_fields[RLINT_F_COUNT] = {
#define FIELD(ident, lname) {lname, sizeof(lname) - 1},
#include "fields.def"
#undef FIELD
};

static unsigned field_hash(const char *name, size_t len)
{
    /* OR-ing 0x20 lower-cases letters; every known name starts and ends with one. */
    return ((unsigned)len * 31u + (unsigned)(name[0] | 0x20) * 7u + (unsigned)(name[len - 1] | 0x20)) &
           (RLINT_FIELD_SLOTS - 1);
}

void rlint_field_table_init(uint8_t table[RLINT_FIELD_SLOTS])
{
    memset(table, 0, RLINT_FIELD_SLOTS);
    for (int i = 0; i < RLINT_F_COUNT; i++) {
        unsigned h = field_hash(known_fields[i].name, known_fields[i].len);
        while (table[h])
            h = (h + 1) & (RLINT_FIELD_SLOTS - 1);
        table[h] = (uint8_t)(i + 1);
    }
}

/* Case-insensitive equality with a lower-case known name, a word at a time. Known names hold
 * lower-case letters, '-' and digits; only the letters have bit 0x40, so shifting that bit onto
 * 0x20 gives a mask that folds the case of letters and nothing else: every other byte must
 * match exactly (no CR or '\r'-like byte can pass for '-'). */
static bool known_name_eq(const char *a, const char *k, size_t len)
{
    const uint64_t letter_bit = 0x4040404040404040ull;
    uint64_t diff = 0;
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 <= len; i += 8) {
            uint64_t x, y;
            memcpy(&x, a + i, 8);
            memcpy(&y, k + i, 8);
            diff |= (x | ((y & letter_bit) >> 1)) ^ y;
        }
        if (i < len) { /* the last word again, overlapping: no byte-wise tail */
            uint64_t x, y;
            memcpy(&x, a + len - 8, 8);
            memcpy(&y, k + len - 8, 8);
            diff |= (x | ((y & letter_bit) >> 1)) ^ y;
        }
    } else if (len >= 4) { /* 4 to 7 bytes: two overlapping half-words */
        uint32_t x1, x2, y1, y2;
        const uint32_t bit = 0x40404040u;
        memcpy(&x1, a, 4);
        memcpy(&x2, a + len - 4, 4);
        memcpy(&y1, k, 4);
        memcpy(&y2, k + len - 4, 4);
        diff = ((x1 | ((y1 & bit) >> 1)) ^ y1) | ((x2 | ((y2 & bit) >> 1)) ^ y2);
    } else {
        for (size_t i = 0; i < len; i++) {
            unsigned char y = (unsigned char)k[i];
            diff |= (uint64_t)(((unsigned char)a[i] | ((y & 0x40u) >> 1)) ^ y);
        }
    }
    return diff == 0;
}

/* Inlined into the per-response loop: a call per field costs as much as the comparison. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline rlint_field_id lookup(const uint8_t table[RLINT_FIELD_SLOTS], const char *name,
                                    size_t len)
{
    if (len == 0)
        return RLINT_F_OTHER;
    for (unsigned h = field_hash(name, len); table[h]; h = (h + 1) & (RLINT_FIELD_SLOTS - 1)) {
        int i = table[h] - 1;
        if (known_fields[i].len == len && known_name_eq(name, known_fields[i].name, len))
            return (rlint_field_id)i;
    }
    return RLINT_F_OTHER;
}

rlint_field_id rlint_field_lookup(const uint8_t table[RLINT_FIELD_SLOTS], const char *name,
                                  size_t len)
{
    return lookup(table, name, len);
}

uint32_t rlint_field_index(const uint8_t table[RLINT_FIELD_SLOTS], const resplint_field *fields,
                           size_t n, uint8_t *fid, int16_t *first, uint16_t *count)
{
    uint32_t present = 0;
    for (size_t i = 0; i < n; i++) {
        rlint_field_id f = lookup(table, fields[i].name, fields[i].name_len);
        if (i < RLINT_CTX_FIELDS)
            fid[i] = (uint8_t)f;
        if (f == RLINT_F_OTHER)
            continue;
        if (first[f] < 0)
            first[f] = (int16_t)i;
        count[f]++;
        present |= 1u << f;
    }
    return present;
}

rlint_field_id rlint_field_classify(const char *name, size_t len)
{
    for (int i = 0; i < RLINT_F_COUNT; i++)
        if (known_fields[i].len == len && rlint_ieq(name, len, known_fields[i].name))
            return (rlint_field_id)i;
    return RLINT_F_OTHER;
}

/* ---- severities, errors, version ---- */

static const char *const severity_names[] = {"off", "info", "warning", "error"};

const char *resplint_severity_name(resplint_severity sev)
{
    return (unsigned)sev < 4 ? severity_names[sev] : "unknown";
}

int resplint_severity_parse(const char *name, resplint_severity *out)
{
    if (!name || !out)
        return RESPLINT_EINVAL;
    for (int i = 0; i < 4; i++)
        if (ascii_case_equal(name, severity_names[i])) {
            *out = (resplint_severity)i;
            return 0;
        }
    if (ascii_case_equal(name, "warn")) {
        *out = RESPLINT_WARNING;
        return 0;
    }
    return RESPLINT_EINVAL;
}

const char *resplint_strerror(int err)
{
    switch (err) {
#define RESPLINT_ERR_TEXT(name, value, text)                                                       \
    case value:                                                                                    \
        return text;
        RESPLINT_ERRNO_MAP(RESPLINT_ERR_TEXT)
#undef RESPLINT_ERR_TEXT
    case 0:
        return "success";
    default:
        return "unknown error";
    }
}

const char *resplint_err_name(int err)
{
    switch (err) {
#define RESPLINT_ERR_NAME(name, value, text)                                                       \
    case value:                                                                                    \
        return #name;
        RESPLINT_ERRNO_MAP(RESPLINT_ERR_NAME)
#undef RESPLINT_ERR_NAME
    case 0:
        return "OK";
    default:
        return "unknown error";
    }
}

const char *resplint_version(void) { return RESPLINT_VERSION_STRING; }

unsigned resplint_version_hex(void) { return RESPLINT_VERSION_HEX; }
