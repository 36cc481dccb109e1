/* llhttp's parser compiled twice from the same sources (cmake/llhttp.cmake): once for any
 * x86-64 and once with -msse4.2, where llparse's generated code scans header values and tokens
 * 16 bytes at a time (PCMPESTRI). llhttp's API (api.c) calls llhttp__internal_execute, which
 * is defined here and runs the variant the CPU can run, chosen once (CPUID). Both variants keep
 * their state in the same llhttp_t with the same state numbers, so a parser may even change
 * variant between calls; tests/unit/test_llhttp_variants.c checks that they parse alike. */
#include "llhttp_variants.h"

int llhttp__rl_execute_generic(llhttp__internal_t *state, const char *p, const char *endp);
int llhttp__rl_execute_sse42(llhttp__internal_t *state, const char *p, const char *endp);

typedef int exec_fn(llhttp__internal_t *, const char *, const char *);

static exec_fn *selected; /* NULL until the first call or llhttp__rl_use */

static bool cpu_has_sse42(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
#else
    return false;
#endif
}

static exec_fn *pick(void)
{
    exec_fn *f = __atomic_load_n(&selected, __ATOMIC_RELAXED);
    if (!f) {
        f = cpu_has_sse42() ? llhttp__rl_execute_sse42 : llhttp__rl_execute_generic;
        __atomic_store_n(&selected, f, __ATOMIC_RELAXED);
    }
    return f;
}

int llhttp__internal_execute(llhttp__internal_t *state, const char *p, const char *endp)
{
    return pick()(state, p, endp);
}

int llhttp__rl_use(llhttp__rl_variant v)
{
    if ((v != LLHTTP_RL_AUTO && v != LLHTTP_RL_GENERIC && v != LLHTTP_RL_SSE42) ||
        (v == LLHTTP_RL_SSE42 && !cpu_has_sse42()))
        return -1;
    __atomic_store_n(&selected, v == LLHTTP_RL_SSE42 ? llhttp__rl_execute_sse42
                                : v == LLHTTP_RL_GENERIC ? llhttp__rl_execute_generic
                                                         : NULL,
                     __ATOMIC_RELAXED);
    return 0;
}

llhttp__rl_variant llhttp__rl_current(void)
{
    return pick() == llhttp__rl_execute_sse42 ? LLHTTP_RL_SSE42 : LLHTTP_RL_GENERIC;
}
