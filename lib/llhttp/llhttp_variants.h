/* Which of llhttp's two compiled variants runs (lib/llhttp/dispatch.c). Present only when
 * llhttp is compiled from its sources here (RESPLINT_LLHTTP_VARIANTS is then defined); the
 * names stay out of the public API (the shared libraries export resplint_* only). */
#ifndef LLHTTP_VARIANTS_H
#define LLHTTP_VARIANTS_H

#include <llhttp.h>
#include <stdbool.h>

typedef enum llhttp__rl_variant {
    LLHTTP_RL_AUTO,    /* what the CPU can run (the default) */
    LLHTTP_RL_GENERIC, /* any x86-64 (or another architecture) */
    LLHTTP_RL_SSE42,   /* SSE4.2 (PCMPESTRI scans) */
} llhttp__rl_variant;

/* Selects a variant for every parser of the process (tests and benchmarks): -1 for an unknown
 * value, or when the CPU lacks SSE4.2 and LLHTTP_RL_SSE42 is asked for. */
int llhttp__rl_use(llhttp__rl_variant v);
/* The variant that runs. */
llhttp__rl_variant llhttp__rl_current(void);

#endif
