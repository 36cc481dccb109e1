/* Shared libraries loaded when an input needs them (lazylib.h). */
#define _POSIX_C_SOURCE 200809L
#include "lazylib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#ifndef RESPLINT_LIBCRYPTO_SONAME
#error "RESPLINT_LIBCRYPTO_SONAME: the soname of the libcrypto found at configuration"
#endif
#if !defined(RESPLINT_LIBZLIB_SONAME) || !defined(RESPLINT_LIBYAJL_SONAME)
#error "RESPLINT_LIBZLIB_SONAME, RESPLINT_LIBYAJL_SONAME: the sonames found at configuration"
#endif

void *rlint_lazylib_open(const char *soname, char *err, size_t errlen)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!lib) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s could not be loaded (%s)", soname, why ? why : "no reason given");
    }
    return lib;
}

bool rlint_lazylib_sym(void *lib, const char *soname, const char *name, void *fn, size_t fnsize,
                       char *err, size_t errlen)
{
    void *p = dlsym(lib, name);
    if (!p || fnsize != sizeof p) {
        snprintf(err, errlen, "%s has no function %s", soname, name);
        return false;
    }
    /* POSIX: a function's address from dlsym is used through a function pointer of the same
     * representation; copied, since ISO C has no conversion between the two */
    memcpy(fn, &p, sizeof p);
    return true;
}

bool rlint_lazylib_open_into(void **lib, const char *soname, char *err, size_t errlen)
{
    *lib = rlint_lazylib_open(soname, err, errlen);
    return *lib != NULL;
}

bool rlint_lazylib_loaded(void **lib, bool ok)
{
    if (!ok) {
        rlint_lazylib_close(*lib);
        *lib = NULL;
    }
    return ok;
}

void rlint_lazylib_close(void *lib)
{
    if (lib)
        dlclose(lib);
}

int rlint_crypto_open(rlint_crypto *c, bool tls, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->lib = rlint_lazylib_open(RESPLINT_LIBCRYPTO_SONAME, err, errlen);
    if (!c->lib)
        return -1;
    bool ok = RLINT_LAZYLIB_RESOLVE(RLINT_CRYPTO_DIGEST, c, RESPLINT_LIBCRYPTO_SONAME, err, errlen);
    if (ok && tls)
        ok = RLINT_LAZYLIB_RESOLVE(RLINT_CRYPTO_TLS, c, RESPLINT_LIBCRYPTO_SONAME, err, errlen);
    if (!ok) {
        rlint_crypto_close(c);
        return -1;
    }
    return 0;
}

void rlint_crypto_close(rlint_crypto *c)
{
    rlint_lazylib_close(c->lib);
    memset(c, 0, sizeof *c);
}

/* ---- zlib and YAJL: one table per process ---- */

static _Thread_local char why_buf[512];

const char *rlint_lazylib_why(void) { return why_buf; }

void rlint_lazylib_fail(const char *what, const char *libname, const char *err)
{
    snprintf(why_buf, sizeof why_buf, "%s, which resplint reads with %s: %s", what, libname, err);
}

RLINT_LAZYLIB_SHARED(, rlint_zlib, rlint_zlib_get, RLINT_ZLIB_FUNCS, RESPLINT_LIBZLIB_SONAME, "zlib")
RLINT_LAZYLIB_SHARED(, rlint_yajl, rlint_yajl_get, RLINT_YAJL_FUNCS, RESPLINT_LIBYAJL_SONAME, "YAJL")
