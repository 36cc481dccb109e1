/* The rule catalogue, the status table, severities, errors and version: the static data of
 * libresplint, expanded from rules/rules.def, rules/status.def and rules/vendor.def. */
#include "internal.h"

#include <string.h>

#define NEEDS_RAW RESPLINT_RULE_NEEDS_RAW
#define NEEDS_BODY RESPLINT_RULE_NEEDS_BODY
#define RECOMMENDED RESPLINT_PROFILE_RECOMMENDED
#define CACHING RESPLINT_PROFILE_CACHING
#define SECURITY RESPLINT_PROFILE_SECURITY
#define ADVICE RESPLINT_PROFILE_ADVICE

/* An advice rule is off by default: the default set is the recommended profile. */
#define DEFAULT_OFF(profiles_) (((profiles_)&ADVICE) ? RESPLINT_RULE_OFF_BY_DEFAULT : 0u)

const resplint_rule rlint_rules[RLINT_RULE_COUNT] = {
#define RULE(id_, ident, name_, sev, flags_, trigger, profiles_, spec_, summary_)                 \
    {RLINT_##id_,                                                                                  \
     #id_,                                                                                         \
     name_,                                                                                        \
     RESPLINT_##sev,                                                                               \
     (flags_) | DEFAULT_OFF(profiles_),                                                            \
     spec_,                                                                                        \
     summary_,                                                                                     \
     (profiles_)},
#define INPUT_RULE(id_, ident, name_, sev, flags_, trigger, profiles_, spec_, summary_)           \
    {RLINT_##id_,                                                                                  \
     #id_,                                                                                         \
     name_,                                                                                        \
     RESPLINT_##sev,                                                                               \
     (flags_) | DEFAULT_OFF(profiles_) | RESPLINT_RULE_INPUT,                                      \
     spec_,                                                                                        \
     summary_,                                                                                     \
     (profiles_)},
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

size_t resplint_rule_count(void) { return RLINT_RULE_COUNT; }

const resplint_rule *resplint_rule_at(size_t index)
{
    return index < RLINT_RULE_COUNT ? &rlint_rules[index] : NULL;
}

const resplint_rule *resplint_rule_find(const char *id_or_name)
{
    if (!id_or_name)
        return NULL;
    for (size_t i = 0; i < RLINT_RULE_COUNT; i++)
        if (rlint_ieq_str(id_or_name, rlint_rules[i].id) ||
            rlint_ieq_str(id_or_name, rlint_rules[i].name))
            return &rlint_rules[i];
    return NULL;
}

static const struct {
    const char *name;
    unsigned bits;
} profile_names[] = {
    {"recommended", RESPLINT_PROFILE_RECOMMENDED},
    {"caching", RESPLINT_PROFILE_CACHING},
    {"security", RESPLINT_PROFILE_SECURITY},
    {"advice", RESPLINT_PROFILE_ADVICE},
    {"all", RESPLINT_PROFILE_ALL},
};

int resplint_profile_parse(const char *name, unsigned *out)
{
    if (!name || !out)
        return RESPLINT_EINVAL;
    for (size_t i = 0; i < RLINT_ARRAY_LEN(profile_names); i++)
        if (rlint_ieq_str(name, profile_names[i].name)) {
            *out = profile_names[i].bits;
            return 0;
        }
    return RESPLINT_EINVAL;
}

const char *resplint_profile_name(unsigned profile)
{
    for (size_t i = 0; i < RLINT_ARRAY_LEN(profile_names); i++)
        if (profile == profile_names[i].bits)
            return profile_names[i].name;
    return NULL;
}

/* ---- status table ---- */

#define MARK(x) RLINT_MARK(x)

const rlint_status rlint_status_table[] = {
#define STATUS(code, reason, marks, source) {reason, sizeof(reason) - 1, (marks), source, code},
#include "status.def"
#undef STATUS
};
#undef MARK
const size_t rlint_status_count = RLINT_ARRAY_LEN(rlint_status_table);

enum {
#define STATUS(code, reason, marks, source) STATUS_AT_##code,
#include "status.def"
#undef STATUS
    STATUS_COUNT
};
_Static_assert(STATUS_COUNT < 255, "the status index is a byte");
const unsigned char rlint_status_index[500] = {
#define STATUS(code, reason, marks, source) [(code)-100] = STATUS_AT_##code + 1,
#include "status.def"
#undef STATUS
};

const char *resplint_status_reason(int code)
{
    const rlint_status *s = rlint_status_lookup(code);
    return s ? s->reason : NULL;
}

int rlint_status_by_reason(const char *reason, size_t len)
{
    for (size_t i = 0; i < rlint_status_count; i++) {
        const rlint_status *s = &rlint_status_table[i];
        if (s->reason_len == len && rlint_ieq_n(reason, s->reason, len))
            return s->code;
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
#define KNOWN_NAME_MAX 40

/* A slot of the table holds the id of the one known name that hashes there, SLOT_EMPTY, or
 * SLOT_SHARED when two or more do. Both have an entry of length 0 below, which no name the
 * lookup reads has, so that a hit costs no test of the slot. A shared slot sends its names to
 * the slow scan, so the lookup stays right whatever fields.def holds; the unit tests check that
 * no slot is shared, so that it also stays fast. */
#define SLOT_EMPTY RLINT_F_COUNT
#define SLOT_SHARED (RLINT_F_COUNT + 1)

static const struct known_field {
    char name[KNOWN_NAME_MAX];
    size_t len;
} known_fields[RLINT_F_COUNT + 2] = {
#define FIELD(ident, lname) {lname, sizeof(lname) - 1},
#include "fields.def"
#undef FIELD
    {"", 0}, /* SLOT_EMPTY */
    {"", 0}, /* SLOT_SHARED */
};

/* The lengths known names have, bit 1 << len each: most names in traffic (Server,
 * X-Content-Type-Options, Strict-Transport-Security...) are rejected by their length alone,
 * before a byte of them is read. */
static const uint64_t known_lengths = 0u
#define FIELD(ident, lname) | (1ull << (sizeof(lname) - 1))
#include "fields.def"
#undef FIELD
    ;
_Static_assert(KNOWN_NAME_MAX < 64, "known_lengths holds one bit per length");

static inline uint64_t load64(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

static inline uint64_t load32(const char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

/* Placed in the high bytes: the hash keeps the top bits of a product, which a word of three
 * low bytes would leave at zero for every name shorter than 4 (age and p3p would collide). */
static inline uint64_t small_word(const char *s, size_t len)
{
    return ((uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
            (uint64_t)(unsigned char)s[len - 1] << 16)
           << 40;
}

/* A name is hashed by, and first compared through, two words read inside its len bytes
 * (len >= 1): its first and last 8 bytes, or 4 bytes when it is shorter than 8, or its first,
 * middle and last byte when shorter than 4. Names longer than 16 bytes also compare the words
 * between. The multiplier was picked so that no two known names share a slot (the unit tests say
 * when a change to fields.def needs another). It is a full 64-bit one: with 47 names, short
 * names whose words differ only in low bits (upgrade, warning) need the high bits of the
 * multiplier to land apart; no 31-bit multiplier separates them all. */
static inline unsigned field_hash(uint64_t a, uint64_t b)
{
    return (unsigned)(((a + 2 * b) * 0x888418c4c91fac73ull) >> 57);
}

_Static_assert(RLINT_FIELD_SLOTS == 128, "field_hash yields 7 bits");

void rlint_field_table_init(uint8_t table[RLINT_FIELD_SLOTS])
{
    memset(table, SLOT_EMPTY, RLINT_FIELD_SLOTS);
    for (int i = 0; i < RLINT_F_COUNT; i++) {
        const char *k = known_fields[i].name;
        size_t len = known_fields[i].len;
        unsigned h = len >= 8   ? field_hash(load64(k), load64(k + len - 8))
                     : len >= 4 ? field_hash(load32(k), load32(k + len - 4))
                                : field_hash(small_word(k, len), 0);
        table[h] = table[h] == SLOT_EMPTY ? (uint8_t)i : SLOT_SHARED;
    }
}

/* The known name the words a, b of a name of len bytes hash to, if it has that length; NULL
 * otherwise, *slot then saying whether the slot was shared. */
static inline const struct known_field *candidate(const uint8_t table[RLINT_FIELD_SLOTS],
                                                  uint64_t a, uint64_t b, size_t len, size_t *slot)
{
    *slot = table[field_hash(a, b)];
    return known_fields[*slot].len == len ? &known_fields[*slot] : NULL;
}

/* Inlined into the per-response loop: a call per field costs as much as the comparison. Each
 * length class has its own copy of the steps, so that the comparison needs no second dispatch
 * on the length. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline rlint_field_id lookup(const uint8_t table[RLINT_FIELD_SLOTS], const char *name,
                                    size_t len)
{
    /* len 0 fails here (bit 0 is never set), before name[0] is read. A length of 64 or more
     * may pass (its bits past the sixth are not looked at): it is read as words within its
     * bytes, and fails on the length of the candidate. */
    if (!((known_lengths >> (len & 63)) & 1u))
        return RLINT_F_OTHER;
    size_t i;
    const struct known_field *kf;
    uint64_t diff;
    if (len >= 8) {
        uint64_t a = rlint_fold64(load64(name)), b = rlint_fold64(load64(name + len - 8));
        if (!(kf = candidate(table, a, b, len, &i)))
            goto mismatch;
        diff = (a ^ load64(kf->name)) | (b ^ load64(kf->name + len - 8));
        for (size_t k = 8; k + 8 < len; k += 8) /* the words between, names over 16 bytes */
            diff |= rlint_fold64(load64(name + k)) ^ load64(kf->name + k);
    } else if (len >= 4) {
        uint64_t a = rlint_fold64(load32(name)), b = rlint_fold64(load32(name + len - 4));
        if (!(kf = candidate(table, a, b, len, &i)))
            goto mismatch;
        diff = (a ^ load32(kf->name)) | (b ^ load32(kf->name + len - 4));
    } else {
        uint64_t a = rlint_fold64(small_word(name, len));
        if (!(kf = candidate(table, a, 0, len, &i)))
            goto mismatch;
        diff = a ^ small_word(kf->name, len);
    }
    return diff == 0 ? (rlint_field_id)i : RLINT_F_OTHER;
mismatch:
    return i == SLOT_SHARED ? rlint_field_classify(name, len) : RLINT_F_OTHER;
}

rlint_field_id rlint_field_lookup(const uint8_t table[RLINT_FIELD_SLOTS], const char *name,
                                  size_t len)
{
    return lookup(table, name, len);
}

/* Classifies fields[lo..hi), backwards, so that the last index stored in first[f] is the first:
 * no test per field. Only the first RLINT_CTX_FIELDS have a fid (the two loops of
 * rlint_field_index, each without a test of the index). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline uint64_t index_range(const uint8_t table[RLINT_FIELD_SLOTS],
                                   const resplint_field *fields, size_t lo, size_t hi,
                                   bool with_fid, uint8_t *fid, int16_t *first, uint16_t *count)
{
    uint64_t present = 0;
    for (size_t i = hi; i > lo;) {
        i--;
        rlint_field_id f = lookup(table, fields[i].name, fields[i].name_len);
        if (with_fid)
            fid[i] = (uint8_t)f;
        if (f == RLINT_F_OTHER)
            continue;
        first[f] = (int16_t)i;
        count[f]++;
        present |= 1ull << f;
    }
    return present;
}

uint64_t rlint_field_index(const uint8_t table[RLINT_FIELD_SLOTS], const resplint_field *fields,
                           size_t n, uint8_t *fid, int16_t *first, uint16_t *count)
{
    uint64_t present = 0;
    if (n > RLINT_CTX_FIELDS)
        present = index_range(table, fields, RLINT_CTX_FIELDS, n, false, fid, first, count);
    return present | index_range(table, fields, 0, n < RLINT_CTX_FIELDS ? n : RLINT_CTX_FIELDS,
                                 true, fid, first, count);
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
        if (rlint_ieq_str(name, severity_names[i])) {
            *out = (resplint_severity)i;
            return 0;
        }
    if (rlint_ieq_str(name, "warn")) {
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
