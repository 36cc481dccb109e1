/* Internal: shared libraries loaded when an input needs them, not at start-up. libpcap (with
 * dbus, systemd, gcrypt, lzma, lz4 behind it) and libcrypto cost the dynamic linker about 1.3 ms
 * of every run, four fifths of a run on a small file, though only captures and digests use them;
 * brotli, zstd (body codings), libyaml (YAML cassettes) and nghttp2 (HTTP/2 in captures) are as
 * rare, and each library mapped at start-up costs a run some 30 us.
 * Each user opens the library and resolves the functions it calls into a table of its own: no
 * global state; the library stays mapped once opened (RTLD_NODELETE), so opening it again is a
 * lookup. Thread-safe (the dynamic linker's locks). zlib and YAJL, which many inputs of one
 * run need (every gzip or JSON body, every HAR file, the body pipeline's libraries), are the
 * exception: one table each for the process, loaded by the first user (RLINT_LAZYLIB_SHARED). */
#ifndef RLINT_LAZYLIB_H
#define RLINT_LAZYLIB_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#include <zlib.h>

/* Opens the shared library soname; NULL with why (naming it) in err. */
void *rlint_lazylib_open(const char *soname, char *err, size_t errlen);
/* Stores the address of function name of lib into *fn, a function pointer of fnsize bytes;
 * false with why in err. */
bool rlint_lazylib_sym(void *lib, const char *soname, const char *name, void *fn, size_t fnsize,
                       char *err, size_t errlen);
/* Closes what rlint_lazylib_open opened (NULL: nothing); the library stays mapped. */
void rlint_lazylib_close(void *lib);

/* Resolves every function of the X-macro list LIST into the members of the table *api (named
 * as the functions), from api->lib; false with why in err. */
#define RLINT_LAZYLIB_RESOLVE(LIST, api, soname, err, errlen)                                     \
    (true LIST(RLINT_LAZYLIB_RESOLVE_ONE_, api, soname, err, errlen))
#define RLINT_LAZYLIB_RESOLVE_ONE_(f, api, soname, err, errlen)                                   \
    &&rlint_lazylib_sym((api)->lib, soname, #f, &(api)->f, sizeof(api)->f, err, errlen)
/* Opens soname into api->lib and resolves LIST into *api; false with why in err (api->lib is
 * then NULL). */
#define RLINT_LAZYLIB_LOAD(LIST, api, soname, err, errlen)                                        \
    (rlint_lazylib_open_into(&(api)->lib, soname, err, errlen) &&                                 \
     rlint_lazylib_loaded(&(api)->lib, RLINT_LAZYLIB_RESOLVE(LIST, api, soname, err, errlen)))
/* rlint_lazylib_open into *lib; false when it failed */
bool rlint_lazylib_open_into(void **lib, const char *soname, char *err, size_t errlen);
/* ok, after closing *lib and setting it to NULL when not ok */
bool rlint_lazylib_loaded(void **lib, bool ok);
/* A table member with the function's own prototype (from its header). */
#define RLINT_LAZYLIB_MEMBER(f, ...) __typeof__(&f) f;
/* typedef struct NAME: lib, and one member per function of LIST, with its own prototype */
#define RLINT_LAZYLIB_TABLE(NAME, LIST)                                                           \
    typedef struct NAME {                                                                         \
        void *lib;                                                                                \
        LIST(RLINT_LAZYLIB_MEMBER, )                                                              \
    } NAME

/* Why the last load of this thread that failed did (a getter of RLINT_LAZYLIB_SHARED,
 * rlint_lazylib_fail): "" when none has. What the readers name in the input error when a
 * stream stops with RESPLINT_ELIBRARY (the body pipeline could not load a library). */
const char *rlint_lazylib_why(void);
/* Records for rlint_lazylib_why: "WHAT, which resplint reads with LIBNAME: ERR". */
void rlint_lazylib_fail(const char *what, const char *libname, const char *err);

/* One table for the process, for a library that many inputs of one run need (every gzip or
 * JSON body, every HAR file, every digest): defines `LINKAGE const TYPE *GETTER(const char
 * *what)`, which returns the table TYPE with the functions of LIST of soname, resolved by the
 * first call of the process (pthread_once; then only read) and shared by every later one, so
 * that each body or file pays a check, not a dlopen and a dlsym per function. NULL when the
 * library cannot be loaded, and rlint_lazylib_why then says why, beginning with what: "WHAT,
 * which resplint reads with LIBNAME: libz.so.1 could not be loaded (...)". */
#define RLINT_LAZYLIB_SHARED(LINKAGE, TYPE, GETTER, LIST, soname, libname)                        \
    static TYPE GETTER##_table_;                                                                  \
    static char GETTER##_err_[320];                                                               \
    static pthread_once_t GETTER##_once_ = PTHREAD_ONCE_INIT;                                     \
    static void GETTER##_load_(void)                                                              \
    {                                                                                             \
        if (!RLINT_LAZYLIB_LOAD(LIST, &GETTER##_table_, soname, GETTER##_err_,                    \
                                sizeof GETTER##_err_))                                            \
            memset(&GETTER##_table_, 0, sizeof GETTER##_table_);                                  \
    }                                                                                             \
    LINKAGE const TYPE *GETTER(const char *what)                                                  \
    {                                                                                             \
        if (pthread_once(&GETTER##_once_, GETTER##_load_) == 0 && GETTER##_table_.lib)            \
            return &GETTER##_table_;                                                              \
        rlint_lazylib_fail(what, libname,                                                         \
                           GETTER##_err_[0] ? GETTER##_err_ : soname " could not be loaded");     \
        return NULL;                                                                              \
    }

/* ---- libcrypto ---- */

#define RLINT_CRYPTO_DIGEST(X, ...)                                                               \
    X(EVP_MD_CTX_new, __VA_ARGS__) X(EVP_MD_CTX_free, __VA_ARGS__)                                \
    X(EVP_DigestInit_ex, __VA_ARGS__) X(EVP_DigestUpdate, __VA_ARGS__)                            \
    X(EVP_DigestFinal_ex, __VA_ARGS__) X(EVP_sha256, __VA_ARGS__) X(EVP_sha512, __VA_ARGS__)
#define RLINT_CRYPTO_TLS(X, ...)                                                                  \
    X(EVP_sha1, __VA_ARGS__) X(EVP_sha384, __VA_ARGS__) X(EVP_MD_get0_name, __VA_ARGS__)          \
    X(EVP_MD_get_size, __VA_ARGS__) X(EVP_KDF_fetch, __VA_ARGS__) X(EVP_KDF_free, __VA_ARGS__)    \
    X(EVP_KDF_CTX_new, __VA_ARGS__) X(EVP_KDF_CTX_free, __VA_ARGS__)                              \
    X(EVP_KDF_derive, __VA_ARGS__) X(EVP_MAC_fetch, __VA_ARGS__) X(EVP_MAC_free, __VA_ARGS__)     \
    X(EVP_MAC_CTX_new, __VA_ARGS__) X(EVP_MAC_CTX_free, __VA_ARGS__)                              \
    X(EVP_MAC_init, __VA_ARGS__) X(EVP_MAC_update, __VA_ARGS__) X(EVP_MAC_final, __VA_ARGS__)     \
    X(OSSL_PARAM_construct_utf8_string, __VA_ARGS__) X(OSSL_PARAM_construct_int, __VA_ARGS__)     \
    X(OSSL_PARAM_construct_octet_string, __VA_ARGS__) X(OSSL_PARAM_construct_end, __VA_ARGS__)    \
    X(EVP_CIPHER_CTX_new, __VA_ARGS__) X(EVP_CIPHER_CTX_free, __VA_ARGS__)                        \
    X(EVP_CIPHER_CTX_ctrl, __VA_ARGS__) X(EVP_CIPHER_CTX_set_padding, __VA_ARGS__)                \
    X(EVP_DecryptInit_ex, __VA_ARGS__) X(EVP_DecryptUpdate, __VA_ARGS__)                          \
    X(EVP_DecryptFinal_ex, __VA_ARGS__) X(EVP_aes_128_gcm, __VA_ARGS__)                           \
    X(EVP_aes_256_gcm, __VA_ARGS__) X(EVP_aes_128_cbc, __VA_ARGS__)                               \
    X(EVP_aes_256_cbc, __VA_ARGS__) X(EVP_chacha20_poly1305, __VA_ARGS__)                         \
    X(CRYPTO_memcmp, __VA_ARGS__) X(OPENSSL_cleanse, __VA_ARGS__)

/* The functions of libcrypto resplint calls: the digests (the body pipeline), and the TLS
 * record layer's too when loaded for TLS. */
typedef struct rlint_crypto {
    void *lib;
    RLINT_CRYPTO_DIGEST(RLINT_LAZYLIB_MEMBER, )
    RLINT_CRYPTO_TLS(RLINT_LAZYLIB_MEMBER, )
} rlint_crypto;

/* Opens libcrypto into *c: the digest functions, and the TLS ones when tls. Returns 0, or -1
 * with why in err (*c is then closed). */
int rlint_crypto_open(rlint_crypto *c, bool tls, char *err, size_t errlen);
/* Closes what rlint_crypto_open opened; a zeroed table is closed already. */
void rlint_crypto_close(rlint_crypto *c);

/* ---- zlib and YAJL: one table per process (RLINT_LAZYLIB_SHARED) ----
 * gzip and deflate bodies, JSON bodies, HAR files, JSON recordings, .pcap.gz and .warc.gz: the
 * users are in several files, so the getters are here. Their types and macros come from their
 * headers as before; only the functions go through the table. */
#define RLINT_ZLIB_FUNCS(X, ...)                                                                  \
    X(inflateInit2_, __VA_ARGS__) X(inflate, __VA_ARGS__) X(inflateReset, __VA_ARGS__)            \
    X(inflateEnd, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(rlint_zlib, RLINT_ZLIB_FUNCS);
#define RLINT_YAJL_FUNCS(X, ...)                                                                  \
    X(yajl_alloc, __VA_ARGS__) X(yajl_free, __VA_ARGS__) X(yajl_config, __VA_ARGS__)              \
    X(yajl_parse, __VA_ARGS__) X(yajl_complete_parse, __VA_ARGS__) X(yajl_get_error, __VA_ARGS__) \
    X(yajl_free_error, __VA_ARGS__) X(yajl_get_bytes_consumed, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(rlint_yajl, RLINT_YAJL_FUNCS);

/* The tables of zlib and YAJL (what: "a gzip body", "a HAR file"). */
const rlint_zlib *rlint_zlib_get(const char *what);
const rlint_yajl *rlint_yajl_get(const char *what);
/* zlib.h's inflateInit2 through the table zl: inflateInit2_ with the header's version and
 * z_stream's size, as the macro passes them */
#define RLINT_INFLATE_INIT2(zl, strm, bits)                                                       \
    ((zl)->inflateInit2_((strm), (bits), ZLIB_VERSION, (int)sizeof(z_stream)))

#endif
