/* For unit tests that read ../shared/corpus in place: without it the test is skipped (cmocka's
 * skip), except under CI=true (.ci/run), where the corpus is always present and its absence
 * fails the test. Include after <cmocka.h>. */
#ifndef RLTEST_SKIP_H
#define RLTEST_SKIP_H

#include <stdlib.h>
#include <string.h>

#define rltest_corpus_missing(what)                                                                \
    do {                                                                                           \
        const char *ci_ = getenv("CI");                                                            \
        if (ci_ && strcmp(ci_, "true") == 0)                                                       \
            fail_msg("corpus %s is missing (CI=true: CI always has ../shared/corpus)", (what));    \
        print_message("corpus %s not found: skipped\n", (what));                                   \
        skip();                                                                                    \
    } while (0)

#endif
