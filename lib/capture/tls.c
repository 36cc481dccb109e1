/* TLS key logs and the TLS 1.2/1.3 record layer of a captured connection (tls.h). */
#include "tls.h"
#include "../core/lazylib.h"
#include "rlcap_alloc.h"

#include <openssl/core_names.h>

#include <stdio.h>
#include <string.h>

/* ---- key logs ---- */

#define SECRET_MAX 48

enum { K_MASTER, K_CHS, K_SHS, K_CAPP, K_SAPP, K_COUNT };

typedef struct key_entry {
    unsigned char random[32];
    unsigned char secret[K_COUNT][SECRET_MAX];
    unsigned char len[K_COUNT]; /* 0: not logged */
    bool used;
} key_entry;

struct rlcap_keylog {
    key_entry *v;
    size_t cap, n;
    char line[512]; /* a line cut between two chunks */
    size_t line_len;
    bool line_overflow;
};

rlcap_keylog *rlcap_keylog_new(void)
{
    return rlcap_calloc(1, sizeof(rlcap_keylog));
}

void rlcap_keylog_free(rlcap_keylog *k)
{
    if (!k)
        return;
    rlcap_free(k->v);
    rlcap_free(k);
}

size_t rlcap_keylog_count(const rlcap_keylog *k)
{
    return k ? k->n : 0;
}

static size_t slot_of(const unsigned char *random, size_t cap)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 32; i++)
        h = (h ^ random[i]) * 1099511628211ull;
    return (size_t)h & (cap - 1);
}

static key_entry *find(const rlcap_keylog *k, const unsigned char *random)
{
    if (!k || !k->cap)
        return NULL;
    for (size_t i = slot_of(random, k->cap);; i = (i + 1) & (k->cap - 1)) {
        if (!k->v[i].used)
            return NULL;
        if (memcmp(k->v[i].random, random, 32) == 0)
            return &k->v[i];
    }
}

static int grow(rlcap_keylog *k)
{
    size_t cap = k->cap ? k->cap * 2 : 64;
    key_entry *v = rlcap_calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < k->cap; i++) {
        if (!k->v[i].used)
            continue;
        size_t j = slot_of(k->v[i].random, cap);
        while (v[j].used)
            j = (j + 1) & (cap - 1);
        v[j] = k->v[i];
    }
    rlcap_free(k->v);
    k->v = v;
    k->cap = cap;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* n hex digits at p into out[n/2]; false when any is not one. */
static bool unhex(const char *p, size_t n, unsigned char *out)
{
    if (n % 2)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int a = hexval(p[i]), b = hexval(p[i + 1]);
        if (a < 0 || b < 0)
            return false;
        out[i / 2] = (unsigned char)(a << 4 | b);
    }
    return true;
}

/* One line: "LABEL <client random, 64 hex> <secret, hex>". 1 taken, 0 ignored; RESPLINT_ELIMIT
 * past the cap, RESPLINT_ENOMEM. */
static int take_line(rlcap_keylog *k, const char *p, size_t n)
{
    static const struct {
        const char *label;
        int which;
    } labels[] = {
        {"CLIENT_RANDOM", K_MASTER},
        {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", K_CHS},
        {"SERVER_HANDSHAKE_TRAFFIC_SECRET", K_SHS},
        {"CLIENT_TRAFFIC_SECRET_0", K_CAPP},
        {"SERVER_TRAFFIC_SECRET_0", K_SAPP},
    };
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    const char *sp1 = memchr(p, ' ', n);
    if (!sp1)
        return 0;
    int which = -1;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strlen(labels[i].label) == (size_t)(sp1 - p) &&
            memcmp(p, labels[i].label, (size_t)(sp1 - p)) == 0)
            which = labels[i].which;
    if (which < 0)
        return 0; /* comments, other labels (early traffic, exporter secrets) */
    const char *r = sp1 + 1, *end = p + n;
    const char *sp2 = memchr(r, ' ', (size_t)(end - r));
    if (!sp2 || sp2 - r != 64)
        return 0;
    unsigned char random[32], secret[SECRET_MAX];
    size_t slen = (size_t)(end - (sp2 + 1));
    if (slen == 0 || slen > 2 * SECRET_MAX || !unhex(r, 64, random) || !unhex(sp2 + 1, slen, secret))
        return 0;
    if (which == K_MASTER && slen != 96)
        return 0;
    key_entry *e = find(k, random);
    if (!e) {
        if (k->n >= RLCAP_KEYLOG_MAX)
            return RESPLINT_ELIMIT;
        if ((k->n + 1) * 2 > k->cap && grow(k) < 0)
            return RESPLINT_ENOMEM;
        size_t i = slot_of(random, k->cap);
        while (k->v[i].used)
            i = (i + 1) & (k->cap - 1);
        e = &k->v[i];
        memcpy(e->random, random, 32);
        e->used = true;
        k->n++;
    }
    memcpy(e->secret[which], secret, slen / 2);
    e->len[which] = (unsigned char)(slen / 2);
    return 1;
}

long rlcap_keylog_add(rlcap_keylog *k, const char *text, size_t n)
{
    long taken = 0;
    while (n) {
        const char *nl = memchr(text, '\n', n);
        size_t piece = nl ? (size_t)(nl - text) : n;
        if (k->line_len + piece < sizeof k->line && !k->line_overflow) {
            memcpy(k->line + k->line_len, text, piece);
            k->line_len += piece;
        } else {
            k->line_overflow = true; /* longer than any key line: not one */
        }
        if (!nl)
            break;
        if (!k->line_overflow) {
            int rc = take_line(k, k->line, k->line_len);
            if (rc < 0)
                return rc;
            taken += rc;
        }
        k->line_len = 0;
        k->line_overflow = false;
        text = nl + 1;
        n -= piece + 1;
    }
    return taken;
}

long rlcap_keylog_end(rlcap_keylog *k)
{
    long rc = 0;
    if (k->line_len && !k->line_overflow)
        rc = take_line(k, k->line, k->line_len);
    k->line_len = 0;
    k->line_overflow = false;
    return rc;
}

long rlcap_keylog_load(rlcap_keylog *k, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the key log", path);
        return RESPLINT_EIO;
    }
    char buf[65536];
    long total = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        long rc = rlcap_keylog_add(k, buf, got);
        if (rc < 0) {
            fclose(f);
            if (rc == RESPLINT_ENOMEM)
                snprintf(err, errlen, "%s: out of memory", path);
            else
                snprintf(err, errlen, "%s: more than %d TLS sessions in the key logs", path,
                         RLCAP_KEYLOG_MAX);
            return rc;
        }
        total += rc;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        return RESPLINT_EIO;
    }
    long rc = rlcap_keylog_end(k);
    if (rc == RESPLINT_ENOMEM)
        snprintf(err, errlen, "%s: out of memory", path);
    else if (rc < 0)
        snprintf(err, errlen, "%s: more than %d TLS sessions in the key logs", path,
                 RLCAP_KEYLOG_MAX);
    return rc < 0 ? rc : total + rc;
}

/* ---- cipher suites ---- */

enum aead_kind { C_NONE, C_GCM, C_CHACHA, C_CBC };

typedef struct suite {
    uint16_t id;
    enum aead_kind kind;
    unsigned key_len;
    unsigned mac_len; /* CBC: HMAC length; 0 for AEADs */
    bool sha384;      /* PRF / HKDF hash */
} suite;

static const suite suites[] = {
    /* TLS 1.3 */
    {0x1301, C_GCM, 16, 0, false},
    {0x1302, C_GCM, 32, 0, true},
    {0x1303, C_CHACHA, 32, 0, false},
    /* TLS 1.2 AES-GCM */
    {0xC02F, C_GCM, 16, 0, false},
    {0xC030, C_GCM, 32, 0, true},
    {0xC02B, C_GCM, 16, 0, false},
    {0xC02C, C_GCM, 32, 0, true},
    {0x009C, C_GCM, 16, 0, false},
    {0x009D, C_GCM, 32, 0, true},
    {0x009E, C_GCM, 16, 0, false},
    {0x009F, C_GCM, 32, 0, true},
    /* TLS 1.2 ChaCha20-Poly1305 */
    {0xCCA8, C_CHACHA, 32, 0, false},
    {0xCCA9, C_CHACHA, 32, 0, false},
    {0xCCAA, C_CHACHA, 32, 0, false},
    /* TLS 1.2 AES-CBC with HMAC-SHA1/SHA256/SHA384 */
    {0xC013, C_CBC, 16, 20, false},
    {0xC014, C_CBC, 32, 20, false},
    {0xC009, C_CBC, 16, 20, false},
    {0xC00A, C_CBC, 32, 20, false},
    {0x002F, C_CBC, 16, 20, false},
    {0x0035, C_CBC, 32, 20, false},
    {0x0033, C_CBC, 16, 20, false},
    {0x0039, C_CBC, 32, 20, false},
    {0x003C, C_CBC, 16, 32, false},
    {0x003D, C_CBC, 32, 32, false},
    {0x0067, C_CBC, 16, 32, false},
    {0x006B, C_CBC, 32, 32, false},
    {0xC027, C_CBC, 16, 32, false},
    {0xC023, C_CBC, 16, 32, false},
    {0xC028, C_CBC, 32, 48, true},
    {0xC024, C_CBC, 32, 48, true},
};

static const suite *suite_find(uint16_t id)
{
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        if (suites[i].id == id)
            return &suites[i];
    return NULL;
}

/* ---- one connection ---- */

#define RECORD_MAX (16384 + 2048 + 5) /* TLSCiphertext: 2^14 + 2048 bytes of fragment */
#define HS_MAX 262144                  /* handshake bytes kept per direction (certificates) */

/* what a direction's records are protected with */
enum dir_state { D_PLAIN, D_KEYED, D_NOKEYS, D_STOPPED };

typedef struct tls_dir {
    unsigned char *rec; /* the record being read (RECORD_MAX), allocated at the first byte */
    size_t rec_len;
    enum dir_state st;
    bool cipher_pending; /* TLS 1.2: a ChangeCipherSpec was seen, the next records are protected */
    EVP_CIPHER_CTX *ctx;
    bool ctx_keyed; /* ctx holds the cipher and key: a record only sets its nonce */
    unsigned char key[32], iv[16], mac_key[48];
    uint64_t seq;
    unsigned char app_secret[SECRET_MAX]; /* TLS 1.3: for KeyUpdate */
    bool tls13_app;                       /* TLS 1.3: application keys in use */
    unsigned char *hs; /* handshake messages not yet whole */
    size_t hs_len;
    bool reported[RLCAP_TLS_NOMEM + 1];
} tls_dir;

struct rlcap_tls {
    const rlcap_keylog *keys;
    rlint_crypto crypto; /* opened when the connection's secrets are found */
    rlcap_tls_sink sink;
    tls_dir d[2];
    unsigned char client_random[32], server_random[32];
    bool have_client_random, have_server_hello;
    uint16_t version; /* negotiated: 0x0303 TLS 1.2, 0x0304 TLS 1.3 */
    const suite *cs;
    uint16_t cs_id;
    bool etm; /* TLS 1.2 encrypt_then_mac negotiated */
    char alpn[32];
    unsigned char *out; /* a record's plaintext (RECORD_MAX), allocated at the first one */
};

static void event(rlcap_tls *t, int dir, enum rlcap_tls_event what, uint64_t frame,
                  const char *detail)
{
    if (t->d[dir].reported[what])
        return;
    t->d[dir].reported[what] = true;
    if (t->sink.event)
        t->sink.event(t->sink.user, dir, what, frame, detail);
}

static void stop(rlcap_tls *t, int dir, enum rlcap_tls_event what, uint64_t frame,
                 const char *detail)
{
    t->d[dir].st = D_STOPPED;
    event(t, dir, what, frame, detail);
}

rlcap_tls *rlcap_tls_new(const rlcap_keylog *keys, const rlcap_tls_sink *sink)
{
    rlcap_tls *t = rlcap_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->keys = keys;
    t->sink = *sink;
    return t;
}

void rlcap_tls_free(rlcap_tls *t)
{
    if (!t)
        return;
    const rlint_crypto *C = &t->crypto;
    for (int i = 0; i < 2; i++) {
        rlcap_free(t->d[i].hs);
        rlcap_free(t->d[i].rec);
        if (!C->lib)
            continue; /* no secret was found: no key was derived, no cipher set up */
        C->EVP_CIPHER_CTX_free(t->d[i].ctx);
        C->OPENSSL_cleanse(t->d[i].key, sizeof t->d[i].key);
        C->OPENSSL_cleanse(t->d[i].mac_key, sizeof t->d[i].mac_key);
        C->OPENSSL_cleanse(t->d[i].app_secret, sizeof t->d[i].app_secret);
    }
    rlint_crypto_close(&t->crypto);
    rlcap_free(t->out);
    rlcap_free(t);
}

const char *rlcap_tls_alpn(const rlcap_tls *t)
{
    return t->alpn;
}

const char *rlcap_tls_version_name(const rlcap_tls *t)
{
    switch (t->version) {
    case 0x0304:
        return "TLS 1.3";
    case 0x0303:
        return "TLS 1.2";
    case 0x0302:
        return "TLS 1.1";
    case 0x0301:
        return "TLS 1.0";
    default:
        return "TLS";
    }
}

bool rlcap_tls_record_start(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4;
}

bool rlcap_tls_client_hello(const unsigned char *p, size_t n)
{
    return n >= 6 && p[0] == 22 && p[1] == 3 && p[2] <= 4 && p[5] == 1;
}

/* ---- key schedule ---- */

static const EVP_MD *hash_of(const rlcap_tls *t)
{
    return t->cs && t->cs->sha384 ? t->crypto.EVP_sha384() : t->crypto.EVP_sha256();
}

/* HKDF-Expand-Label (RFC 8446 §7.1) with an empty context. */
static bool expand_label(const rlint_crypto *C, const EVP_MD *md, const unsigned char *secret, size_t slen,
                         const char *label, unsigned char *out, size_t olen)
{
    unsigned char info[2 + 1 + 255 + 1];
    size_t ll = 6 + strlen(label);
    info[0] = (unsigned char)(olen >> 8);
    info[1] = (unsigned char)olen;
    info[2] = (unsigned char)ll;
    memcpy(info + 3, "tls13 ", 6);
    memcpy(info + 9, label, ll - 6);
    info[3 + ll] = 0; /* context: empty */
    size_t ilen = 4 + ll;
    EVP_KDF *kdf = C->EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = kdf ? C->EVP_KDF_CTX_new(kdf) : NULL;
    C->EVP_KDF_free(kdf);
    if (!kctx)
        return false;
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    OSSL_PARAM params[5] = {
        C->OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)C->EVP_MD_get0_name(md), 0),
        C->OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        C->OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, slen),
        C->OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, ilen),
        C->OSSL_PARAM_construct_end(),
    };
    bool ok = C->EVP_KDF_derive(kctx, out, olen, params) == 1;
    C->EVP_KDF_CTX_free(kctx);
    return ok;
}

bool rlcap_tls13_traffic_keys(const unsigned char *secret, size_t slen, bool sha384,
                              size_t key_len, unsigned char *key, unsigned char *iv)
{
    rlint_crypto c;
    char err[256];
    if (rlint_crypto_open(&c, true, err, sizeof err) < 0)
        return false;
    const EVP_MD *md = sha384 ? c.EVP_sha384() : c.EVP_sha256();
    bool ok = expand_label(&c, md, secret, slen, "key", key, key_len) &&
              expand_label(&c, md, secret, slen, "iv", iv, 12);
    rlint_crypto_close(&c);
    return ok;
}

/* The TLS 1.2 PRF (RFC 5246 §5). */
static bool prf12(const rlint_crypto *C, const EVP_MD *md, const unsigned char *secret, size_t slen, const char *label,
                  const unsigned char *seed, size_t seedlen, unsigned char *out, size_t olen)
{
    EVP_KDF *kdf = C->EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
    EVP_KDF_CTX *kctx = kdf ? C->EVP_KDF_CTX_new(kdf) : NULL;
    C->EVP_KDF_free(kdf);
    if (!kctx)
        return false;
    unsigned char full[128];
    size_t ll = strlen(label);
    if (ll + seedlen > sizeof full) {
        C->EVP_KDF_CTX_free(kctx);
        return false;
    }
    memcpy(full, label, ll);
    memcpy(full + ll, seed, seedlen);
    OSSL_PARAM params[4] = {
        C->OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)C->EVP_MD_get0_name(md), 0),
        C->OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, slen),
        C->OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full, ll + seedlen),
        C->OSSL_PARAM_construct_end(),
    };
    bool ok = C->EVP_KDF_derive(kctx, out, olen, params) == 1;
    C->EVP_KDF_CTX_free(kctx);
    return ok;
}

static const EVP_CIPHER *cipher_of(const rlint_crypto *C, const suite *cs)
{
    switch (cs->kind) {
    case C_GCM:
        return cs->key_len == 16 ? C->EVP_aes_128_gcm() : C->EVP_aes_256_gcm();
    case C_CHACHA:
        return C->EVP_chacha20_poly1305();
    case C_CBC:
        return cs->key_len == 16 ? C->EVP_aes_128_cbc() : C->EVP_aes_256_cbc();
    default:
        return NULL;
    }
}

/* TLS 1.3: the keys of direction dir from a traffic secret. */
static bool key13(rlcap_tls *t, int dir, const unsigned char *secret, size_t slen)
{
    tls_dir *d = &t->d[dir];
    const EVP_MD *md = hash_of(t);
    if (!expand_label(&t->crypto, md, secret, slen, "key", d->key, t->cs->key_len) ||
        !expand_label(&t->crypto, md, secret, slen, "iv", d->iv, 12))
        return false;
    d->seq = 0;
    d->st = D_KEYED;
    d->ctx_keyed = false;
    return true;
}

/* TLS 1.2: both directions' keys from the master secret. */
static bool keys12(rlcap_tls *t, const unsigned char *master)
{
    const rlint_crypto *C = &t->crypto;
    const suite *cs = t->cs;
    unsigned iv_len = cs->kind == C_GCM ? 4 : cs->kind == C_CHACHA ? 12 : 16;
    unsigned char block[2 * (48 + 32 + 16)];
    size_t need = 2 * ((size_t)cs->mac_len + cs->key_len + iv_len);
    unsigned char seed[64];
    memcpy(seed, t->server_random, 32);
    memcpy(seed + 32, t->client_random, 32);
    if (!prf12(C, hash_of(t), master, 48, "key expansion", seed, 64, block, need))
        return false;
    size_t o = 0;
    memcpy(t->d[0].mac_key, block + o, cs->mac_len);
    o += cs->mac_len;
    memcpy(t->d[1].mac_key, block + o, cs->mac_len);
    o += cs->mac_len;
    memcpy(t->d[0].key, block + o, cs->key_len);
    o += cs->key_len;
    memcpy(t->d[1].key, block + o, cs->key_len);
    o += cs->key_len;
    memcpy(t->d[0].iv, block + o, iv_len);
    o += iv_len;
    memcpy(t->d[1].iv, block + o, iv_len);
    C->OPENSSL_cleanse(block, sizeof block);
    return true;
}

/* ---- record protection ---- */

/* HMAC(key, a || b) into out (EVP_MAC: OpenSSL 3). */
static bool hmac2(const rlint_crypto *C, const EVP_MD *md, const unsigned char *key, size_t klen, const unsigned char *a,
                  size_t alen, const unsigned char *b, size_t blen, unsigned char *out)
{
    EVP_MAC *mac = C->EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *c = mac ? C->EVP_MAC_CTX_new(mac) : NULL;
    C->EVP_MAC_free(mac);
    if (!c)
        return false;
    OSSL_PARAM params[2] = {
        C->OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)C->EVP_MD_get0_name(md), 0),
        C->OSSL_PARAM_construct_end(),
    };
    size_t outl = 0;
    bool ok = C->EVP_MAC_init(c, key, klen, params) == 1 && C->EVP_MAC_update(c, a, alen) == 1 &&
              C->EVP_MAC_update(c, b, blen) == 1 && C->EVP_MAC_final(c, out, &outl, 64) == 1;
    C->EVP_MAC_CTX_free(c);
    return ok;
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static bool aead_open(const rlint_crypto *C, tls_dir *d, const suite *cs, const unsigned char *nonce,
                      const unsigned char *aad, size_t aadlen, const unsigned char *in,
                      size_t inlen, unsigned char *out)
{
    if (inlen < 16)
        return false;
    if (!d->ctx && !(d->ctx = C->EVP_CIPHER_CTX_new()))
        return false;
    EVP_CIPHER_CTX *c = d->ctx;
    int len = 0, fin = 0;
    size_t clen = inlen - 16;
    /* the key schedule of the cipher once per key; a record sets only its nonce */
    if (!d->ctx_keyed) {
        if (C->EVP_DecryptInit_ex(c, cipher_of(C, cs), NULL, NULL, NULL) != 1 ||
            C->EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1 ||
            C->EVP_DecryptInit_ex(c, NULL, NULL, d->key, NULL) != 1)
            return false;
        d->ctx_keyed = true;
    }
    return C->EVP_DecryptInit_ex(c, NULL, NULL, NULL, nonce) == 1 &&
           C->EVP_DecryptUpdate(c, NULL, &len, aad, (int)aadlen) == 1 &&
           C->EVP_DecryptUpdate(c, out, &len, in, (int)clen) == 1 &&
           C->EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, (void *)(in + clen)) == 1 &&
           C->EVP_DecryptFinal_ex(c, out + len, &fin) == 1;
}

/* Opens one protected record of direction dir (hdr: its 5-byte header). Returns the plaintext
 * length with *type its real content type, or -1 when it does not decrypt. */
static long open_record(rlcap_tls *t, int dir, const unsigned char *hdr, const unsigned char *frag,
                        size_t flen, unsigned char *out, int *type)
{
    const rlint_crypto *C = &t->crypto;
    tls_dir *d = &t->d[dir];
    const suite *cs = t->cs;
    unsigned char nonce[12], aad[13];
    *type = hdr[0];
    if (t->version == 0x0304) {
        memcpy(nonce, d->iv, 12);
        unsigned char s[8];
        put64(s, d->seq);
        for (int i = 0; i < 8; i++)
            nonce[4 + i] ^= s[i];
        if (!aead_open(C, d, cs, nonce, hdr, 5, frag, flen, out))
            return -1;
        d->seq++;
        size_t n = flen - 16;
        while (n && out[n - 1] == 0) /* TLSInnerPlaintext: content, type, zeros */
            n--;
        if (n == 0)
            return -1;
        *type = out[n - 1];
        return (long)(n - 1);
    }
    put64(aad, d->seq);
    aad[8] = hdr[0];
    aad[9] = hdr[1];
    aad[10] = hdr[2];
    if (cs->kind == C_GCM) {
        if (flen < 8 + 16)
            return -1;
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, frag, 8);
        size_t n = flen - 8 - 16;
        aad[11] = (unsigned char)(n >> 8);
        aad[12] = (unsigned char)n;
        if (!aead_open(C, d, cs, nonce, aad, 13, frag + 8, flen - 8, out))
            return -1;
        d->seq++;
        return (long)n;
    }
    if (cs->kind == C_CHACHA) {
        if (flen < 16)
            return -1;
        memcpy(nonce, d->iv, 12);
        for (int i = 0; i < 8; i++)
            nonce[4 + i] ^= aad[i];
        size_t n = flen - 16;
        aad[11] = (unsigned char)(n >> 8);
        aad[12] = (unsigned char)n;
        if (!aead_open(C, d, cs, nonce, aad, 13, frag, flen, out))
            return -1;
        d->seq++;
        return (long)n;
    }
    /* CBC: IV, then (MAC-then-encrypt) content, MAC, padding; or (encrypt-then-MAC) the MAC
     * over the IV and ciphertext after them. Both MACs are checked: a wrong key is found. */
    size_t ml = cs->mac_len;
    const unsigned char *ct = frag + 16;
    size_t ctlen = flen < 16 ? 0 : flen - 16;
    unsigned char mac[64];
    const EVP_MD *mmd = ml == 20 ? C->EVP_sha1() : ml == 32 ? C->EVP_sha256() : C->EVP_sha384();
    if (t->etm) {
        if (ctlen < ml || (ctlen - ml) % 16 || ctlen == ml)
            return -1;
        ctlen -= ml;
        unsigned char pre[13];
        memcpy(pre, aad, 11);
        pre[11] = (unsigned char)((flen - ml) >> 8);
        pre[12] = (unsigned char)(flen - ml);
        bool ok = hmac2(C, mmd, d->mac_key, ml, pre, 13, frag, flen - ml, mac);
        if (!ok || C->CRYPTO_memcmp(mac, frag + flen - ml, ml) != 0)
            return -1;
    } else if (ctlen == 0 || ctlen % 16) {
        return -1;
    }
    if (!d->ctx && !(d->ctx = C->EVP_CIPHER_CTX_new()))
        return -1;
    int len = 0, fin = 0;
    if (!d->ctx_keyed) {
        if (C->EVP_DecryptInit_ex(d->ctx, cipher_of(C, cs), NULL, d->key, NULL) != 1 ||
            C->EVP_CIPHER_CTX_set_padding(d->ctx, 0) != 1)
            return -1;
        d->ctx_keyed = true;
    }
    if (C->EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, frag) != 1 ||
        C->EVP_DecryptUpdate(d->ctx, out, &len, ct, (int)ctlen) != 1 ||
        C->EVP_DecryptFinal_ex(d->ctx, out + len, &fin) != 1)
        return -1;
    size_t n = (size_t)len + (size_t)fin;
    size_t pad = (size_t)out[n - 1] + 1;
    if (pad > n)
        return -1;
    n -= pad;
    if (!t->etm) {
        if (n < ml)
            return -1;
        n -= ml;
        unsigned char pre[13];
        memcpy(pre, aad, 11);
        pre[11] = (unsigned char)(n >> 8);
        pre[12] = (unsigned char)n;
        bool ok = hmac2(C, mmd, d->mac_key, ml, pre, 13, out, n, mac);
        if (!ok || C->CRYPTO_memcmp(mac, out + n, ml) != 0)
            return -1;
    }
    d->seq++;
    return (long)n;
}

/* ---- handshake messages ---- */

static const unsigned char hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Walks the extensions block p[0..n): ALPN's chosen protocol, supported_versions' version,
 * encrypt_then_mac. */
static void extensions(rlcap_tls *t, const unsigned char *p, size_t n, bool server)
{
    while (n >= 4) {
        unsigned type = u16(p), len = u16(p + 2);
        if (len > n - 4)
            return;
        const unsigned char *v = p + 4;
        if (type == 16 && server && len >= 3) { /* ALPN: list length, one protocol */
            size_t pl = v[2];
            if (pl + 3 <= len && pl < sizeof t->alpn) {
                memcpy(t->alpn, v + 3, pl);
                t->alpn[pl] = '\0';
            }
        } else if (type == 43 && server && len == 2) {
            t->version = (uint16_t)u16(v);
        } else if (type == 22 && server) {
            t->etm = true;
        }
        p += 4 + len;
        n -= 4 + len;
    }
}

static void no_keys(rlcap_tls *t, int dir, uint64_t frame)
{
    (void)frame; /* said at the direction's first application data, not here */
    t->d[dir].st = D_NOKEYS;
}

/* The secrets of this connection, when logged, with libcrypto opened to use them. NULL when
 * none are logged, or when libcrypto cannot be loaded: then both directions stop, said once. */
static const key_entry *secrets(rlcap_tls *t, uint64_t frame)
{
    const key_entry *e = t->have_client_random ? find(t->keys, t->client_random) : NULL;
    if (!e || t->crypto.lib)
        return e;
    char err[256];
    if (rlint_crypto_open(&t->crypto, true, err, sizeof err) == 0)
        return e;
    t->d[0].st = D_STOPPED;
    t->d[0].reported[RLCAP_TLS_UNSUPPORTED] = true;
    stop(t, 1, RLCAP_TLS_UNSUPPORTED, frame, err);
    return NULL;
}

static void server_hello(rlcap_tls *t, const unsigned char *p, size_t n, uint64_t frame)
{
    /* version(2) random(32) session_id<1> cipher_suite(2) compression(1) extensions<2> */
    if (n < 38)
        return;
    if (memcmp(p + 2, hrr_random, 32) == 0)
        return; /* HelloRetryRequest: the real ServerHello follows */
    t->version = (uint16_t)u16(p);
    memcpy(t->server_random, p + 2, 32);
    size_t o = 34 + 1 + (size_t)p[34];
    if (o + 3 > n)
        return;
    t->cs_id = (uint16_t)u16(p + o);
    o += 3;
    if (o + 2 <= n && u16(p + o) <= n - o - 2)
        extensions(t, p + o + 2, u16(p + o), true);
    t->have_server_hello = true;
    t->cs = suite_find(t->cs_id);
    char why[128];
    const char *cause = NULL;
    if (t->version != 0x0303 && t->version != 0x0304) {
        snprintf(why, sizeof why, "%s is not decrypted (TLS 1.2 and 1.3 are)",
                 rlcap_tls_version_name(t));
        cause = why;
    } else if (t->cs && (t->version == 0x0304) != (t->cs_id >> 8 == 0x13)) {
        snprintf(why, sizeof why, "the ServerHello of %s chooses cipher suite 0x%04X of another "
                 "TLS version", rlcap_tls_version_name(t), t->cs_id);
        cause = why;
    } else if (!t->cs) {
        snprintf(why, sizeof why, "cipher suite 0x%04X is not one resplint decrypts", t->cs_id);
        cause = why;
    }
    if (cause) { /* said once for the connection: both directions stop here */
        t->cs = NULL;
        t->d[0].st = D_STOPPED;
        t->d[0].reported[RLCAP_TLS_UNSUPPORTED] = true;
        stop(t, 1, RLCAP_TLS_UNSUPPORTED, frame, cause);
        return;
    }
    const key_entry *e = secrets(t, frame);
    if (t->d[1].st == D_STOPPED)
        return;
    if (t->version == 0x0304) {
        /* the handshake is protected from here on, each direction with its own secret */
        if (!e || !e->len[K_SHS] || !key13(t, 1, e->secret[K_SHS], e->len[K_SHS]))
            no_keys(t, 1, frame);
        if (!e || !e->len[K_CHS] || !key13(t, 0, e->secret[K_CHS], e->len[K_CHS]))
            no_keys(t, 0, frame);
        return;
    }
    if (!e || !e->len[K_MASTER] || !keys12(t, e->secret[K_MASTER])) {
        no_keys(t, 0, frame);
        no_keys(t, 1, frame);
    } else {
        t->d[0].st = t->d[1].st = D_KEYED; /* from each direction's ChangeCipherSpec on */
    }
}

/* One whole handshake message of direction dir (type, body). */
static void handshake_message(rlcap_tls *t, int dir, unsigned type, const unsigned char *p,
                              size_t n, uint64_t frame)
{
    if (type == 1 && dir == 0 && n >= 34 && !t->have_client_random) {
        memcpy(t->client_random, p + 2, 32);
        t->have_client_random = true;
    } else if (type == 2 && dir == 1) {
        server_hello(t, p, n, frame);
    } else if (type == 8 && dir == 1 && n >= 2 && u16(p) <= n - 2) {
        extensions(t, p + 2, u16(p), true); /* TLS 1.3 EncryptedExtensions: ALPN */
    } else if (type == 20 && t->version == 0x0304) {
        /* Finished: this direction's application traffic keys from the next record on */
        const key_entry *e = secrets(t, frame);
        int w = dir == 0 ? K_CAPP : K_SAPP;
        tls_dir *d = &t->d[dir];
        if (d->st == D_STOPPED)
            return;
        if (e && e->len[w] && key13(t, dir, e->secret[w], e->len[w])) {
            memcpy(d->app_secret, e->secret[w], e->len[w]);
            d->tls13_app = true;
        } else {
            no_keys(t, dir, frame);
        }
    } else if (type == 24 && t->version == 0x0304 && t->d[dir].tls13_app) {
        /* KeyUpdate (RFC 8446 §7.2): the next generation of this direction's secret */
        const rlint_crypto *C = &t->crypto;
        tls_dir *d = &t->d[dir];
        size_t hl = (size_t)C->EVP_MD_get_size(hash_of(t));
        unsigned char next[SECRET_MAX];
        if (expand_label(C, hash_of(t), d->app_secret, hl, "traffic upd", next, hl) &&
            key13(t, dir, next, hl))
            memcpy(d->app_secret, next, hl);
        else
            stop(t, dir, RLCAP_TLS_BAD_RECORD, frame, "a KeyUpdate could not be applied");
        C->OPENSSL_cleanse(next, sizeof next);
    }
}

/* Handshake bytes of direction dir: split into messages, which may span records. */
static void handshake_bytes(rlcap_tls *t, int dir, const unsigned char *p, size_t n,
                            uint64_t frame)
{
    tls_dir *d = &t->d[dir];
    if (d->hs_len + n > HS_MAX) {
        event(t, dir, RLCAP_TLS_LIMIT, frame, "a handshake message larger than 256 KiB");
        d->hs_len = 0;
        return;
    }
    if (!d->hs && !(d->hs = rlcap_malloc(HS_MAX))) {
        stop(t, dir, RLCAP_TLS_NOMEM, frame, "out of memory");
        return;
    }
    memcpy(d->hs + d->hs_len, p, n);
    d->hs_len += n;
    size_t o = 0;
    while (d->hs_len - o >= 4) {
        size_t len = (size_t)d->hs[o + 1] << 16 | (size_t)d->hs[o + 2] << 8 | d->hs[o + 3];
        if (d->hs_len - o - 4 < len)
            break;
        handshake_message(t, dir, d->hs[o], d->hs + o + 4, len, frame);
        o += 4 + len;
        if (d->st == D_STOPPED)
            return;
    }
    memmove(d->hs, d->hs + o, d->hs_len - o);
    d->hs_len -= o;
}

/* ---- records ---- */

static void record(rlcap_tls *t, int dir, const unsigned char *r, size_t n, uint64_t frame)
{
    tls_dir *d = &t->d[dir];
    unsigned type = r[0];
    const unsigned char *frag = r + 5;
    size_t flen = n - 5;
    if (type == 20) { /* ChangeCipherSpec: TLS 1.2 switches to the keys; TLS 1.3 ignores it */
        if (t->version != 0x0304)
            d->cipher_pending = true;
        return;
    }
    /* TLS 1.3 protects every application_data record after the ServerHello (the handshake
     * too, inside them); TLS 1.2 every record after the direction's ChangeCipherSpec. */
    bool protected_ = t->version == 0x0304 ? type == 23 && t->have_server_hello
                                           : d->cipher_pending;
    if (!protected_) {
        if (type == 22)
            handshake_bytes(t, dir, frag, flen, frame);
        /* application data before the ServerHello is TLS 1.3 early data (0-RTT), whose
         * secret resplint does not use: its requests are not paired */
        return;
    }
    if (d->st != D_KEYED || !t->cs) {
        if (type == 23)
            event(t, dir, RLCAP_TLS_NO_KEYS, frame,
                  t->have_client_random ? "its secrets are not in the key log"
                                        : "the capture does not show its ClientHello");
        return;
    }
    if (!t->out && !(t->out = rlcap_malloc(RECORD_MAX))) {
        stop(t, dir, RLCAP_TLS_NOMEM, frame, "out of memory");
        return;
    }
    int inner = 0;
    long m = open_record(t, dir, r, frag, flen, t->out, &inner);
    if (m < 0) {
        stop(t, dir, RLCAP_TLS_BAD_RECORD, frame,
             "a record does not decrypt with the logged secrets (another session's keys?)");
        return;
    }
    if (inner == 22)
        handshake_bytes(t, dir, t->out, (size_t)m, frame);
    else if (inner == 23 && m > 0 && t->sink.data)
        t->sink.data(t->sink.user, dir, t->out, (size_t)m, frame);
}

void rlcap_tls_feed(rlcap_tls *t, int dir, const unsigned char *p, size_t n, uint64_t frame)
{
    tls_dir *d = &t->d[dir];
    if (n && !d->rec && d->st != D_STOPPED && !(d->rec = rlcap_malloc(RECORD_MAX))) {
        stop(t, dir, RLCAP_TLS_NOMEM, frame, "out of memory");
        return;
    }
    while (n && d->st != D_STOPPED) {
        /* a whole record in the caller's bytes is read where it is, without a copy */
        if (d->rec_len == 0 && n >= 5 && rlcap_tls_record_start(p, 5) &&
            5 + (size_t)u16(p + 3) <= n && 5 + (size_t)u16(p + 3) <= RECORD_MAX) {
            size_t len = 5 + (size_t)u16(p + 3);
            record(t, dir, p, len, frame);
            p += len;
            n -= len;
            continue;
        }
        size_t want = 5;
        if (d->rec_len >= 5)
            want = 5 + u16(d->rec + 3);
        if (d->rec_len < want) {
            size_t take = want - d->rec_len < n ? want - d->rec_len : n;
            memcpy(d->rec + d->rec_len, p, take);
            d->rec_len += take;
            p += take;
            n -= take;
        }
        if (d->rec_len == 5) {
            if (!rlcap_tls_record_start(d->rec, 5) || 5 + u16(d->rec + 3) > RECORD_MAX) {
                stop(t, dir, RLCAP_TLS_BAD_RECORD, frame, "bytes that are not a TLS record");
                return;
            }
            continue;
        }
        if (d->rec_len >= 5 && d->rec_len == 5 + (size_t)u16(d->rec + 3)) {
            record(t, dir, d->rec, d->rec_len, frame);
            d->rec_len = 0;
        }
    }
}

void rlcap_tls_gap(rlcap_tls *t, int dir)
{
    t->d[dir].st = D_STOPPED;
}
