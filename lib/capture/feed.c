/* The shared reading of a capture (feed.h): a ring of records written by one producer thread
 * and read by every shard, each at its own pace (a shard passes over the records of the other
 * shards' connections, noting their steps and places). The producer writes ahead of the
 * slowest shard by at most the ring's size and makes what it wrote visible in batches (a lock
 * and a wake-up per RING/16 bytes, not per record); a shard hands back what it has read in
 * batches too. A shard reads a record where it lies in the ring (no copy): it stays put until
 * the shard asks for the next one. A record too big for the ring's batches (more than RING/8
 * bytes: a segment is at most a frame, which libpcap keeps under 256 KiB, but a key log may
 * be long) gets a block of its own, freed once every shard is past it. */
#define _POSIX_C_SOURCE 200809L
#include "feed.h"
#include "rlcap_alloc.h"

#include <pthread.h>
#include <string.h>

#define RING (8u << 20) /* bytes; a power of two */
#define REC_ALIGN 16
#define PAD_TYPE 0xffff
#define FLAG_OWN 1 /* the record's bytes are in a block of their own (a pointer follows) */

typedef struct rec_hdr {
    uint32_t size; /* bytes in the ring, this header included, a multiple of REC_ALIGN */
    uint16_t type;
    uint16_t flags;
    uint32_t meta_len, data_len;
} rec_hdr;

typedef struct own_block {
    struct own_block *next;
    uint64_t end; /* ring position past its record: freed once every shard is there */
} own_block;

typedef struct consumer {
    /* the shard's thread only */
    uint64_t pos;   /* the next record */
    uint64_t avail; /* records before it are visible */
    /* under mu */
    uint64_t released; /* the producer may write over what comes before */
    bool gone;
    char pad[64]; /* shards' positions apart from one another's cache lines */
} consumer;

struct resplint_capture_feed {
    unsigned char *ring;
    unsigned n;
    void (*waiting)(unsigned shard, uint64_t upto, int will_wait, void *user);
    void *user;
    consumer *cons;
    pthread_mutex_t mu;
    pthread_cond_t cv_cons; /* records made visible, or the reading over */
    pthread_cond_t cv_prod; /* a shard handed back room, or left */
    /* under mu */
    uint64_t w;      /* visible up to here */
    bool finished;   /* no more records */
    bool cancelled;  /* resplint_capture_feed_cancel: the reading stops, the shards too */
    bool prod_waits; /* the producer waits for room */
    unsigned cons_wait; /* shards waiting for records */
    /* the producer's */
    uint64_t wpos;  /* written up to here */
    uint64_t least; /* every shard had handed back this much when last asked */
    bool opened;    /* the OPEN record is in */
    own_block *own, *own_tail;
};

static size_t align_up(size_t n) { return (n + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1); }

resplint_capture_feed *resplint_capture_feed_new(unsigned nshards,
                                                 void (*waiting)(unsigned shard, uint64_t upto,
                                                                 int will_wait, void *user),
                                                 void *user)
{
    if (nshards < 1)
        return NULL;
    resplint_capture_feed *f = rlcap_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = nshards;
    f->waiting = waiting;
    f->user = user;
    f->cons = rlcap_calloc(nshards, sizeof *f->cons);
    f->ring = rlcap_malloc(RING);
    if (!f->cons || !f->ring) {
        rlcap_free(f->cons);
        rlcap_free(f->ring);
        rlcap_free(f);
        return NULL;
    }
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv_cons, NULL);
    pthread_cond_init(&f->cv_prod, NULL);
    return f;
}

static void free_own(resplint_capture_feed *f, uint64_t upto)
{
    while (f->own && f->own->end <= upto) {
        own_block *b = f->own;
        f->own = b->next;
        rlcap_free(b);
    }
    if (!f->own)
        f->own_tail = NULL;
}

void resplint_capture_feed_free(resplint_capture_feed *f)
{
    if (!f)
        return;
    free_own(f, UINT64_MAX);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv_cons);
    pthread_cond_destroy(&f->cv_prod);
    rlcap_free(f->cons);
    rlcap_free(f->ring);
    rlcap_free(f);
}

void resplint_capture_feed_leave(resplint_capture_feed *f, unsigned shard)
{
    if (!f || shard >= f->n)
        return;
    pthread_mutex_lock(&f->mu);
    f->cons[shard].gone = true;
    pthread_cond_broadcast(&f->cv_prod);
    pthread_mutex_unlock(&f->mu);
}

/* With mu held: the least position a shard still reading has handed back, UINT64_MAX when
 * every shard has left. */
static uint64_t least_released(const resplint_capture_feed *f)
{
    uint64_t m = UINT64_MAX;
    for (unsigned k = 0; k < f->n; k++)
        if (!f->cons[k].gone && f->cons[k].released < m)
            m = f->cons[k].released;
    return m;
}

bool rlcap_feed_opened(resplint_capture_feed *f) { return f->opened; }

unsigned rlcap_feed_shards(const resplint_capture_feed *f) { return f->n; }

/* With mu held: what shard c has read is the producer's to write over. */
static void hand_back_locked(resplint_capture_feed *f, consumer *c)
{
    c->released = c->pos;
    if (f->prod_waits)
        pthread_cond_signal(&f->cv_prod);
}

/* With mu held: what was written becomes visible. */
static void publish_locked(resplint_capture_feed *f)
{
    f->w = f->wpos;
    if (f->cons_wait)
        pthread_cond_broadcast(&f->cv_cons);
}

/* Makes what was written visible and waits until `need` more bytes may be written; false when
 * every shard has left. */
static bool room(resplint_capture_feed *f, size_t need)
{
    pthread_mutex_lock(&f->mu);
    publish_locked(f); /* what a waiting shard may still need, before waiting for it */
    uint64_t least;
    while ((least = least_released(f)) != UINT64_MAX && !f->cancelled &&
           f->wpos + need - least > RING) {
        f->prod_waits = true;
        pthread_cond_wait(&f->cv_prod, &f->mu);
    }
    f->prod_waits = false;
    bool cancelled = f->cancelled;
    pthread_mutex_unlock(&f->mu);
    if (least == UINT64_MAX || cancelled)
        return false;
    f->least = least;
    free_own(f, least);
    return true;
}

bool rlcap_feed_put(resplint_capture_feed *f, int type, const void *meta, size_t meta_len,
                    const void *data, size_t data_len)
{
    size_t body = align_up(meta_len) + data_len;
    size_t size = align_up(sizeof(rec_hdr) + body);
    own_block *own = NULL;
    if (size > RING / 8) { /* a block of its own: the ring holds a pointer to it */
        own = rlcap_malloc(align_up(sizeof *own) + body);
        if (!own)
            return false;
        own->next = NULL;
        unsigned char *p = (unsigned char *)own + align_up(sizeof *own);
        if (meta_len)
            memcpy(p, meta, meta_len);
        if (data_len)
            memcpy(p + align_up(meta_len), data, data_len);
        size = align_up(sizeof(rec_hdr) + sizeof(void *));
    }
    size_t off = (size_t)(f->wpos & (RING - 1));
    size_t pad = off + size > RING ? RING - off : 0; /* records never wrap: a pad to the end */
    /* f->least only grows: while it says there is room, there is (no lock a frame) */
    if (f->wpos + pad + size - f->least > RING && !room(f, pad + size)) {
        rlcap_free(own);
        return false;
    }
    if (pad) {
        rec_hdr h = {(uint32_t)pad, PAD_TYPE, 0, 0, 0};
        memcpy(f->ring + off, &h, sizeof h);
        f->wpos += pad;
        off = 0;
    }
    rec_hdr h = {(uint32_t)size, (uint16_t)type, own ? FLAG_OWN : 0, (uint32_t)meta_len,
                 (uint32_t)data_len};
    unsigned char *p = f->ring + off;
    memcpy(p, &h, sizeof h);
    p += align_up(sizeof h);
    if (own) {
        memcpy(p, &own, sizeof own);
    } else {
        if (meta_len)
            memcpy(p, meta, meta_len);
        if (data_len)
            memcpy(p + align_up(meta_len), data, data_len);
    }
    uint64_t before = f->wpos;
    f->wpos += size;
    if (type == RLCAP_FEED_OPEN)
        f->opened = true;
    if (own) {
        own->end = f->wpos;
        if (f->own_tail)
            f->own_tail->next = own;
        else
            f->own = own;
        f->own_tail = own;
    }
    /* visible in batches (and the opening, the key logs and the end at once); the shards'
     * room and presence are looked at then too */
    if ((before & ~(uint64_t)(RING / 16 - 1)) != (f->wpos & ~(uint64_t)(RING / 16 - 1)) ||
        (type != RLCAP_FEED_PACKET && type != RLCAP_FEED_EVENT))
        return room(f, 0); /* publishes; no wait for no room */
    return true;
}

void resplint_capture_feed_cancel(resplint_capture_feed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->cancelled = true;
    pthread_cond_broadcast(&f->cv_prod);
    pthread_cond_broadcast(&f->cv_cons);
    pthread_mutex_unlock(&f->mu);
}

void rlcap_feed_finish(resplint_capture_feed *f)
{
    pthread_mutex_lock(&f->mu);
    publish_locked(f);
    f->finished = true;
    pthread_cond_broadcast(&f->cv_cons);
    pthread_mutex_unlock(&f->mu);
}

bool rlcap_feed_next(resplint_capture_feed *f, unsigned k, uint64_t upto, rlcap_feed_rec *out)
{
    consumer *c = &f->cons[k];
    for (;;) {
        if (c->pos == c->avail) {
            /* everything before pos is read: handed back, and more taken, or waited for */
            pthread_mutex_lock(&f->mu);
            hand_back_locked(f, c);
            if (f->cancelled) {
                pthread_mutex_unlock(&f->mu);
                return false;
            }
            if (f->w == c->pos && !f->finished) {
                pthread_mutex_unlock(&f->mu);
                /* the caller hands over what it holds of this shard before it waits */
                if (f->waiting)
                    f->waiting(k, upto, 1, f->user);
                pthread_mutex_lock(&f->mu);
                f->cons_wait++;
                while (f->w == c->pos && !f->finished && !f->cancelled)
                    pthread_cond_wait(&f->cv_cons, &f->mu);
                f->cons_wait--;
            }
            c->avail = f->w;
            bool cancelled = f->cancelled;
            pthread_mutex_unlock(&f->mu);
            if (c->pos == c->avail || cancelled)
                return false; /* finished, or cancelled */
        } else if (c->pos - c->released >= RING / 8) {
            pthread_mutex_lock(&f->mu); /* hand back room while reading on */
            hand_back_locked(f, c);
            pthread_mutex_unlock(&f->mu);
            /* and say how far the shard is: a shard with few records to hand over would
             * otherwise keep the merge waiting until it caught up with the reading */
            if (f->waiting)
                f->waiting(k, upto, 0, f->user);
        }
        const unsigned char *p = f->ring + (size_t)(c->pos & (RING - 1));
        rec_hdr h;
        memcpy(&h, p, sizeof h);
        c->pos += h.size;
        if (h.type == PAD_TYPE)
            continue;
        p += align_up(sizeof h);
        if (h.flags & FLAG_OWN) {
            const own_block *own;
            memcpy(&own, p, sizeof own);
            p = (const unsigned char *)own + align_up(sizeof *own);
        }
        out->type = h.type;
        out->meta = p;
        out->meta_len = h.meta_len;
        out->data = p + align_up(h.meta_len);
        out->data_len = h.data_len;
        return true;
    }
}
