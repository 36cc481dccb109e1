/* "Did you mean": the nearest of some names to a mistyped one, for options and rule names. */
#include "cli.h"

#include <string.h>

/* Optimal string alignment distance (Levenshtein with swaps of neighbours), case-blind,
 * capped: names longer than 63 bytes are not compared. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return (size_t)-1;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = a[i - 1] | 0x20, cb = b[j - 1] | 0x20;
            size_t cost = ca != cb;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == (b[j - 2] | 0x20) && (a[i - 2] | 0x20) == cb &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *rlcli_suggest(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word);
    /* a slip: at most a third of the word wrong (one edit for short words, up to 3) */
    size_t limit = len < 6 ? 1 : len < 12 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

/* Case-blind substring test. */
static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

void rlcli_suggest_rules(FILE *out, const char *word)
{
    if (strlen(word) < 3)
        return;
    /* every rule whose name holds the word ("redirect"), else the nearest name or id */
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < resplint_rule_count(); i++)
        if (contains(resplint_rule_at(i)->name, word))
            total++;
    if (total) {
        fprintf(out, "resplint: did you mean ");
        for (size_t i = 0; i < resplint_rule_count() && shown < 6; i++) {
            const resplint_rule *ru = resplint_rule_at(i);
            if (!contains(ru->name, word))
                continue;
            fprintf(out, "%s%s (%s)", shown ? ", " : "", ru->name, ru->id);
            shown++;
        }
        fprintf(out, "%s?\n", total > shown ? ", ..." : "");
        return;
    }
    const char *best = NULL, *best_id = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *ru = resplint_rule_at(i);
        const char *two[2] = {ru->name, ru->id};
        for (int k = 0; k < 2; k++) {
            const char *hit = rlcli_suggest(word, &two[k], 1);
            size_t d = hit ? distance(word, hit) : (size_t)-1;
            if (d < best_d) {
                best_d = d;
                best = ru->name;
                best_id = ru->id;
            }
        }
    }
    if (best)
        fprintf(out, "resplint: did you mean %s (%s)?\n", best, best_id);
}
