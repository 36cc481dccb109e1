/* Internal: TLS key logs (the NSS SSLKEYLOGFILE format) and the TLS 1.2/1.3 record layer that
 * turns a captured connection's bytes back into its application data. The primitives (HKDF,
 * the TLS 1.2 PRF, AES-GCM, ChaCha20-Poly1305, AES-CBC, HMAC) are OpenSSL's libcrypto; the
 * record layer and the key schedule are here. Keys are never printed or reported. */
#ifndef RLCAP_TLS_H
#define RLCAP_TLS_H

#include "resplint.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- key logs ---- */

typedef struct rlcap_keylog rlcap_keylog;

/* An empty key log; NULL when out of memory. */
rlcap_keylog *rlcap_keylog_new(void);
void rlcap_keylog_free(rlcap_keylog *k);
/* Adds the lines of a key log text (n bytes): CLIENT_RANDOM (TLS 1.2 master secrets),
 * CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET and CLIENT_/SERVER_TRAFFIC_SECRET_0 (TLS 1.3);
 * comments, blank lines and other labels are ignored. A text may end inside a line: the rest
 * is kept for the next call (files are read in chunks). Returns the number of secrets taken,
 * RESPLINT_ENOMEM, or RESPLINT_ELIMIT past the cap on client randoms (RLCAP_KEYLOG_MAX). */
long rlcap_keylog_add(rlcap_keylog *k, const char *text, size_t n);
/* Ends the text given so far (a last line without a line feed). */
long rlcap_keylog_end(rlcap_keylog *k);
/* Reads a key log file; returns secrets taken, or a negative RESPLINT_E* (EIO, ENOMEM, ELIMIT)
 * with why in err. */
long rlcap_keylog_load(rlcap_keylog *k, const char *path, char *err, size_t errlen);
size_t rlcap_keylog_count(const rlcap_keylog *k);
#define RLCAP_KEYLOG_MAX 1000000 /* client randoms kept */

/* ---- one TLS connection ---- */

typedef struct rlcap_tls rlcap_tls;

enum rlcap_tls_event {
    RLCAP_TLS_NO_KEYS,      /* application data, and no secret for this connection/direction */
    RLCAP_TLS_UNSUPPORTED,  /* a cipher suite or version resplint does not decrypt */
    RLCAP_TLS_BAD_RECORD,   /* a record that does not decrypt or parse: the direction stops */
    RLCAP_TLS_LIMIT,        /* a handshake message past the cap */
    RLCAP_TLS_NOMEM         /* out of memory: the direction stops, the reader's input too */
};

typedef struct rlcap_tls_sink {
    /* decrypted application data of direction dir (0 client, 1 server), in order; frame is
     * the frame that completed the record */
    void (*data)(void *user, int dir, const unsigned char *p, size_t n, uint64_t frame);
    /* once per direction and kind at most; detail says what (never a key) */
    void (*event)(void *user, int dir, enum rlcap_tls_event what, uint64_t frame,
                  const char *detail);
    void *user;
} rlcap_tls_sink;

/* A connection whose client is direction 0 and server direction 1. keys may be NULL (every
 * direction then has no keys). NULL when out of memory. */
rlcap_tls *rlcap_tls_new(const rlcap_keylog *keys, const rlcap_tls_sink *sink);
void rlcap_tls_free(rlcap_tls *t);
/* The bytes of direction dir, in TCP order; frame carried the last of them. */
void rlcap_tls_feed(rlcap_tls *t, int dir, const unsigned char *p, size_t n, uint64_t frame);
/* Bytes of direction dir are missing: records cannot be found again, the direction stops. */
void rlcap_tls_gap(rlcap_tls *t, int dir);
/* The protocol the server chose by ALPN ("h2", "http/1.1"), "" while unknown or none. */
const char *rlcap_tls_alpn(const rlcap_tls *t);
/* "TLS 1.3", "TLS 1.2", ... once the ServerHello was read, else "TLS". */
const char *rlcap_tls_version_name(const rlcap_tls *t);
/* TLS 1.3: the write key (key_len bytes) and IV (12) of a traffic secret (RFC 8446 §7.3),
 * SHA-256 or SHA-384. For the benchmark and tests. */
bool rlcap_tls13_traffic_keys(const unsigned char *secret, size_t slen, bool sha384,
                              size_t key_len, unsigned char *key, unsigned char *iv);
/* Does p (n bytes, the first a connection's client sent) start a TLS ClientHello record? */
bool rlcap_tls_client_hello(const unsigned char *p, size_t n);
/* Does p start a TLS record (a server's first bytes: a ServerHello or an alert)? */
bool rlcap_tls_record_start(const unsigned char *p, size_t n);

#endif
