/* The known-field lookup of the hot loop (perfect hash, folded word compares) against a plain
 * reading of "a name is known when it equals a known name, ignoring the case of ASCII letters":
 * every case of every known name, near misses byte by byte, and random mutations. Each name is
 * copied into a heap block of exactly its length, so that ASan catches a read past its end. */
#include "helpers.h"

#include "internal.h"

static const char *const known[] = {
#define FIELD(ident, lname) lname,
#include "fields.def"
#undef FIELD
};
#define NKNOWN (sizeof known / sizeof known[0])

/* Unsigned, so that bytes >= 0x80 compare as themselves. */
static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static rlint_field_id reference(const unsigned char *s, size_t len)
{
    for (size_t k = 0; k < NKNOWN; k++) {
        if (strlen(known[k]) != len)
            continue;
        size_t i = 0;
        while (i < len && lower(s[i]) == (unsigned char)known[k][i])
            i++;
        if (i == len)
            return (rlint_field_id)k;
    }
    return RLINT_F_OTHER;
}

typedef struct lookup_state {
    resplint_config *cfg;
    unsigned seed;
} lookup_state;

static unsigned next_random(lookup_state *st)
{
    st->seed = st->seed * 1103515245u + 12345u;
    return st->seed >> 8;
}

/* Looks s up through every entry (the hash table, the slow scan, the index of a one-field head)
 * from a block of exactly len bytes, and checks all agree with the reference. */
static rlint_field_id check_name(lookup_state *st, const void *s, size_t len)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, s, len);
    rlint_field_id want = reference((const unsigned char *)copy, len);
    rlint_field_id fast = rlint_field_lookup(st->cfg->fields, copy, len);
    rlint_field_id slow = rlint_field_classify(copy, len);
    resplint_field field = {.name = copy, .name_len = len, .value = "", .value_len = 0};
    uint8_t fid[1] = {0xee};
    int16_t first[RLINT_F_COUNT];
    uint16_t count[RLINT_F_COUNT];
    memset(first, 0xff, sizeof first);
    memset(count, 0, sizeof count);
    uint64_t present = rlint_field_index(st->cfg->fields, &field, 1, fid, first, count);
    if (fast != want || slow != want || fid[0] != want ||
        present != (want == RLINT_F_OTHER ? 0u : 1ull << want)) {
        char shown[256];
        size_t o = 0;
        for (size_t i = 0; i < len && o + 5 < sizeof shown; i++) {
            unsigned char c = (unsigned char)copy[i];
            o += (size_t)snprintf(shown + o, sizeof shown - o,
                                  c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
        }
        shown[o] = '\0';
        free(copy);
        fail_msg("'%s' (%zu bytes): reference %d, lookup %d, classify %d, index %d, present %#llx",
                 shown, len, (int)want, (int)fast, (int)slow, (int)fid[0],
                 (unsigned long long)present);
    }
    free(copy);
    return want;
}

static int setup(void **state)
{
    lookup_state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    st->cfg = resplint_config_new();
    st->seed = 20261125u;
    *state = st;
    return st->cfg ? 0 : -1;
}

static int teardown(void **state)
{
    lookup_state *st = *state;
    resplint_config_free(st->cfg);
    free(st);
    return 0;
}

/* The fast path relies on this: the letter fold passes no other byte for a '-' or a digit. */
static void test_known_names_shape(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKNOWN; k++) {
        size_t len = strlen(known[k]);
        assert_true(len >= 1 && len <= 40);
        for (size_t i = 0; i < len; i++) {
            char c = known[k][i];
            assert_true((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
        }
    }
}

/* Every known name has a slot of its own: a shared one would still answer right (through the
 * slow scan) but slowly; if this fails after a change to fields.def, pick another multiplier
 * in field_hash. */
static void test_table_is_perfect(void **state)
{
    lookup_state *st = *state;
    unsigned seen[RLINT_F_COUNT] = {0};
    for (size_t h = 0; h < RLINT_FIELD_SLOTS; h++) {
        unsigned v = st->cfg->fields[h];
        assert_true(v <= RLINT_F_COUNT + 1);
        assert_int_not_equal(v, RLINT_F_COUNT + 1); /* a shared slot */
        if (v < RLINT_F_COUNT)
            seen[v]++;
    }
    for (size_t k = 0; k < RLINT_F_COUNT; k++)
        assert_int_equal(seen[k], 1);
}

static void test_every_case_hits(void **state)
{
    lookup_state *st = *state;
    for (size_t k = 0; k < NKNOWN; k++) {
        char buf[32];
        size_t len = strlen(known[k]);
        memcpy(buf, known[k], len);
        assert_int_equal(check_name(st, buf, len), (rlint_field_id)k);
        for (size_t i = 0; i < len; i++)
            buf[i] =
                (char)(known[k][i] >= 'a' && known[k][i] <= 'z' ? known[k][i] - 32 : known[k][i]);
        assert_int_equal(check_name(st, buf, len), (rlint_field_id)k);
        for (int t = 0; t < 200; t++) {
            for (size_t i = 0; i < len; i++) {
                char c = known[k][i];
                buf[i] = (char)(c >= 'a' && c <= 'z' && (next_random(st) & 1) ? c - 32 : c);
            }
            assert_int_equal(check_name(st, buf, len), (rlint_field_id)k);
        }
    }
}

/* Bytes one bit away from those of known names (0x20 turns '-' into CR, 0x40 a letter into
 * punctuation, 0x80 into a high byte), and others that look alike. */
static const unsigned char near[] = {'\r', '\n', '\0', '\t', ' ',  '-',  '_',  ':',  '.',  '0',
                                     '9',  '@',  '[',  '`',  '{',  '~',  0x7f, 0x80, 0xa0, 0xad,
                                     0xc0, 0xc1, 0xcd, 0xe1, 0xed, 0xff, 'M',  'm',  'A',  'z'};

static void test_near_misses(void **state)
{
    lookup_state *st = *state;
    for (size_t k = 0; k < NKNOWN; k++) {
        unsigned char buf[128];
        size_t len = strlen(known[k]);
        for (size_t i = 0; i < len; i++) {
            unsigned char orig = (unsigned char)known[k][i];
            const unsigned char flips[] = {
                (unsigned char)(orig ^ 0x20), (unsigned char)(orig ^ 0x40),
                (unsigned char)(orig ^ 0x80), (unsigned char)(orig ^ 0x01),
                (unsigned char)(orig ^ 0x60), (unsigned char)(orig ^ 0xe0)};
            for (size_t u = 0; u < sizeof flips + sizeof near; u++) {
                unsigned char c = u < sizeof flips ? flips[u] : near[u - sizeof flips];
                memcpy(buf, known[k], len);
                buf[i] = c;
                rlint_field_id got = check_name(st, buf, len);
                if (lower(c) != orig)
                    assert_int_equal(got, RLINT_F_OTHER);
                /* the same change on the upper-case name */
                for (size_t j = 0; j < len; j++)
                    if (j != i && buf[j] >= 'a' && buf[j] <= 'z')
                        buf[j] = (unsigned char)(buf[j] - 32);
                check_name(st, buf, len);
            }
        }
        memcpy(buf, known[k], len);
        for (size_t n = 0; n < len; n++) /* every prefix (public-key-pins is one of another) */
            assert_int_equal(check_name(st, buf, n), reference(buf, n));
        for (size_t u = 0; u < sizeof near; u++) { /* one byte longer, at either end */
            memcpy(buf, known[k], len);
            buf[len] = near[u];
            assert_int_equal(check_name(st, buf, len + 1), RLINT_F_OTHER);
            buf[0] = near[u];
            memcpy(buf + 1, known[k], len);
            assert_int_equal(check_name(st, buf, len + 1), RLINT_F_OTHER);
        }
        /* lengths that only agree with the known one in their low six bits: the name repeated
         * and padded, so that its first and last words are those of the known name */
        for (size_t extra = 64; extra <= 128; extra += 64) {
            size_t total = len + extra;
            if (total > sizeof buf)
                continue;
            memset(buf, '-', total);
            memcpy(buf, known[k], len);
            memcpy(buf + total - len, known[k], len);
            assert_int_equal(check_name(st, buf, total), RLINT_F_OTHER);
        }
    }
    static const size_t lengths[] = {0, 1, 2, 3, 4, 7, 8, 16, 17, 18, 24, 25, 26, 64, 67, 100};
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
        unsigned char buf[100];
        for (size_t f = 0; f < 4; f++) {
            memset(buf, "a-\r\0"[f], sizeof buf);
            assert_int_equal(check_name(st, buf, lengths[l]), RLINT_F_OTHER);
        }
    }
}

/* Random names drawn from known ones: cases, substituted, inserted and deleted bytes, cut or
 * grown ends. */
static void test_random_mutations(void **state)
{
    lookup_state *st = *state;
    unsigned hits = 0;
    for (int t = 0; t < 300000; t++) {
        unsigned char buf[96];
        const char *k = known[next_random(st) % NKNOWN];
        size_t len = strlen(k);
        memcpy(buf, k, len);
        int edits = (int)(next_random(st) % 3);
        for (int e = 0; e < edits; e++) {
            unsigned r = next_random(st);
            size_t at = len ? (r >> 4) % len : 0;
            unsigned char c =
                (r >> 12) & 1 ? near[(r >> 13) % sizeof near] : (unsigned char)(r >> 13);
            switch (r % 8) {
            case 0: /* substitute */
            case 1:
                if (len)
                    buf[at] = c;
                break;
            case 2: /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
                break;
            case 3: /* delete */
                if (len) {
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                }
                break;
            case 4: /* cut */
                len = at;
                break;
            case 5: /* grow */
                while (len < sizeof buf && (next_random(st) & 3))
                    buf[len++] = (unsigned char)next_random(st);
                break;
            default: /* flip one bit */
                if (len)
                    buf[at] ^= (unsigned char)(1u << ((r >> 20) & 7));
                break;
            }
        }
        for (size_t i = 0; i < len; i++) /* random case on top */
            if (buf[i] >= 'a' && buf[i] <= 'z' && (next_random(st) & 1))
                buf[i] = (unsigned char)(buf[i] - 32);
        if (check_name(st, buf, len) != RLINT_F_OTHER)
            hits++;
    }
    /* the mix holds both answers in numbers */
    assert_true(hits > 30000);
    assert_true(hits < 270000);
}

/* rlint_field_index over heads of up to 300 fields (both of its loops), against a forward
 * walk with the slow scan. */
static void test_index_matches(void **state)
{
    lookup_state *st = *state;
    static resplint_field fields[300];
    static char names[300][48];
    for (int round = 0; round < 200; round++) {
        size_t n = round < 100 ? next_random(st) % 20 : next_random(st) % 300;
        for (size_t i = 0; i < n; i++) {
            const char *k = known[next_random(st) % NKNOWN];
            size_t len = strlen(k);
            memcpy(names[i], k, len);
            if (next_random(st) % 3 == 0)
                names[i][next_random(st) % len] = (char)near[next_random(st) % sizeof near];
            if (next_random(st) & 1)
                names[i][0] = (char)(names[i][0] >= 'a' && names[i][0] <= 'z' ? names[i][0] - 32
                                                                              : names[i][0]);
            fields[i] =
                (resplint_field){.name = names[i], .name_len = len, .value = "", .value_len = 0};
        }
        uint8_t fid[RLINT_CTX_FIELDS];
        int16_t first[RLINT_F_COUNT], want_first[RLINT_F_COUNT];
        uint16_t count[RLINT_F_COUNT], want_count[RLINT_F_COUNT];
        memset(first, 0xff, sizeof first);
        memset(want_first, 0xff, sizeof want_first);
        memset(count, 0, sizeof count);
        memset(want_count, 0, sizeof want_count);
        uint64_t want_present = 0;
        uint64_t present = rlint_field_index(st->cfg->fields, fields, n, fid, first, count);
        for (size_t i = 0; i < n; i++) {
            rlint_field_id f = rlint_field_classify(fields[i].name, fields[i].name_len);
            if (i < RLINT_CTX_FIELDS)
                assert_int_equal(fid[i], f);
            if (f == RLINT_F_OTHER)
                continue;
            if (want_first[f] < 0)
                want_first[f] = (int16_t)i;
            want_count[f]++;
            want_present |= 1ull << f;
        }
        assert_int_equal(present, want_present);
        assert_memory_equal(first, want_first, sizeof first);
        assert_memory_equal(count, want_count, sizeof count);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_names_shape),
        cmocka_unit_test_setup_teardown(test_table_is_perfect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_case_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_near_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_mutations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_matches, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
