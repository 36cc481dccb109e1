#define _POSIX_C_SOURCE 200809L
/* The TLS record layer's cost: a synthetic TLS 1.3 (AES-128-GCM) connection whose server sends
 * N application-data records of 16 KiB, decrypted by resplint's record layer (rlcap_tls_feed,
 * the key log and key schedule included) and, as the baseline, by libcrypto's AES-128-GCM alone
 * on the same records (what `openssl speed -evp aes-128-gcm` measures). Prints MB/s of each and
 * their ratio. Usage: bench_tls [MB] */
#include "tls.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REC 16384

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hex(char *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* One TLS 1.3 record: header, then content || type, AES-128-GCM under key/iv with sequence seq. */
static size_t seal(unsigned char *out, const unsigned char *key, const unsigned char *iv,
                   uint64_t seq, int type, const unsigned char *p, size_t n)
{
    size_t clen = n + 1 + 16;
    out[0] = 23, out[1] = 3, out[2] = 3, out[3] = (unsigned char)(clen >> 8), out[4] = (unsigned char)clen;
    unsigned char nonce[12], inner[REC + 1];
    memcpy(nonce, iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[4 + i] ^= (unsigned char)(seq >> (56 - 8 * i));
    memcpy(inner, p, n);
    inner[n] = (unsigned char)type;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, nonce);
    EVP_EncryptUpdate(c, NULL, &len, out, 5);
    EVP_EncryptUpdate(c, out + 5, &len, inner, (int)n + 1);
    EVP_EncryptFinal_ex(c, out + 5 + len, &len);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + 5 + n + 1);
    EVP_CIPHER_CTX_free(c);
    return 5 + clen;
}

static size_t got_bytes;
static void on_data(void *user, int dir, const unsigned char *p, size_t n, uint64_t frame)
{
    (void)user, (void)dir, (void)p, (void)frame;
    got_bytes += n;
}
static void on_event(void *user, int dir, enum rlcap_tls_event what, uint64_t frame, const char *d)
{
    (void)user, (void)frame;
    fprintf(stderr, "bench_tls: event %d on direction %d: %s\n", (int)what, dir, d);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 256;
    size_t nrec = mb * 1024 * 1024 / REC;
    unsigned char random[32], shs[32], sapp[32], k[16], iv[12], k2[16], iv2[12];
    RAND_bytes(random, 32), RAND_bytes(shs, 32), RAND_bytes(sapp, 32);
    char line[512], hr[65], hs[65];
    hex(hr, random, 32);
    rlcap_keylog *keys = rlcap_keylog_new();
    hex(hs, shs, 32);
    snprintf(line, sizeof line, "SERVER_HANDSHAKE_TRAFFIC_SECRET %s %s\n", hr, hs);
    rlcap_keylog_add(keys, line, strlen(line));
    hex(hs, sapp, 32);
    snprintf(line, sizeof line, "SERVER_TRAFFIC_SECRET_0 %s %s\n", hr, hs);
    rlcap_keylog_add(keys, line, strlen(line));
    rlcap_tls13_traffic_keys(shs, 32, false, 16, k, iv);
    rlcap_tls13_traffic_keys(sapp, 32, false, 16, k2, iv2);

    /* ClientHello (random), ServerHello (TLS 1.3, 0x1301), an encrypted Finished */
    unsigned char ch[4 + 2 + 32 + 1 + 4 + 2] = {1, 0, 0, 41, 3, 3};
    memcpy(ch + 6, random, 32);
    unsigned char sh[4 + 2 + 32 + 1 + 2 + 1 + 2 + 6] = {2, 0, 0, 46, 3, 3};
    RAND_bytes(sh + 6, 32);
    size_t o = 38;
    sh[o++] = 0, sh[o++] = 0x13, sh[o++] = 0x01, sh[o++] = 0, sh[o++] = 0, sh[o++] = 6;
    sh[o++] = 0, sh[o++] = 43, sh[o++] = 0, sh[o++] = 2, sh[o++] = 3, sh[o++] = 4;
    unsigned char chrec[5 + sizeof ch] = {22, 3, 1, 0, sizeof ch}, shrec[5 + sizeof sh] = {22, 3, 3, 0, sizeof sh};
    memcpy(chrec + 5, ch, sizeof ch);
    memcpy(shrec + 5, sh, sizeof sh);
    unsigned char fin[4 + 32] = {20, 0, 0, 32};
    size_t total = nrec * (5 + REC + 17) + 64;
    unsigned char *stream = malloc(total), *payload = malloc(REC);
    memset(payload, 'x', REC);
    size_t n = seal(stream, k, iv, 0, 22, fin, sizeof fin);
    size_t app_start = n;
    for (size_t i = 0; i < nrec; i++)
        n += seal(stream + n, k2, iv2, i, 23, payload, REC);

    rlcap_tls_sink sink = {on_data, on_event, NULL};
    rlcap_tls *t = rlcap_tls_new(keys, &sink);
    rlcap_tls_feed(t, 0, chrec, sizeof chrec, 1);
    rlcap_tls_feed(t, 1, shrec, sizeof shrec, 2);
    double t0 = now();
    for (size_t i = 0; i < n; i += 65536)
        rlcap_tls_feed(t, 1, stream + i, n - i < 65536 ? n - i : 65536, 3);
    double t1 = now();
    /* the baseline: libcrypto's AES-128-GCM over the same records, one context reused */
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    unsigned char *out = malloc(REC + 64);
    size_t base = 0;
    double t2 = now();
    EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, k2, NULL);
    for (size_t i = 0, at = app_start; i < nrec; i++, at += 5 + REC + 17) {
        unsigned char nonce[12];
        memcpy(nonce, iv2, 12);
        for (int b = 0; b < 8; b++)
            nonce[4 + b] ^= (unsigned char)((uint64_t)i >> (56 - 8 * b));
        int len = 0, fl = 0;
        EVP_DecryptInit_ex(c, NULL, NULL, NULL, nonce);
        EVP_DecryptUpdate(c, NULL, &len, stream + at, 5);
        EVP_DecryptUpdate(c, out, &len, stream + at + 5, REC + 1);
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, stream + at + 5 + REC + 1);
        if (EVP_DecryptFinal_ex(c, out + len, &fl) == 1)
            base += REC;
    }
    double t3 = now();
    double mbs = (double)(nrec * REC) / 1048576.0;
    printf("tls\t%zu records\tresplint %.0f MB/s\tlibcrypto %.0f MB/s\tratio %.2f\t(decrypted %zu / %zu bytes)\n",
           nrec, mbs / (t1 - t0), mbs / (t3 - t2), (t3 - t2) / (t1 - t0), got_bytes, base);
    rlcap_tls_free(t);
    rlcap_keylog_free(keys);
    EVP_CIPHER_CTX_free(c);
    free(stream), free(payload), free(out);
    return got_bytes == nrec * REC && base == nrec * REC ? 0 : 1;
}
