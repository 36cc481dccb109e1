/* The shared reading of a capture (feed.h): a ring of records per shard, written by one
 * producer thread and read by that shard at its own pace. A record for one shard goes into its
 * ring only (a shard never touches another's records: passing over them cost a cache miss
 * each, 3% of a run with two shards); a record for every shard goes into every ring. The
 * producer writes ahead of a shard by at most its ring's size and makes what it wrote visible
 * in batches (a lock and a wake-up per PUB bytes, not per record); a shard hands back what it
 * has read in batches too. A shard that got nothing since the last batch gets a PROGRESS record
 * with it (the step the reading has reached), so that it can say how far it is while it waits
 * (the merge of the shards' findings waits for that). A shard reads a record where it lies in
 * its ring (no copy): it stays put until the shard asks for the next one. A record too big for
 * the batches (more than an eighth of a ring: a segment is at most a frame, which libpcap keeps
 * under 256 KiB, but a key log may be long) gets a block of its own, freed once its shard is
 * past it. */
#define _POSIX_C_SOURCE 200809L
#include "feed.h"
#include "rlcap_alloc.h"

#include <pthread.h>
#include <string.h>

#define RINGS (8u << 20)   /* bytes of all the rings together */
#define RING_MIN (1u << 20) /* a ring's least size (a power of two) */
#define PUB (RINGS / 16)    /* bytes written to all rings between two batches made visible */
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
    uint64_t end; /* ring position past its record: freed once the shard is there */
} own_block;

typedef struct ring {
    unsigned char *buf;
    size_t size; /* a power of two */
    /* the producer's */
    uint64_t wpos;   /* written up to here */
    uint64_t least;  /* the shard had handed back this much when last asked */
    uint64_t order;  /* the step of the last record put here */
    bool left;       /* gone, as the producer last saw it under the lock */
    own_block *own, *own_tail;
    /* the shard's thread only */
    uint64_t pos;   /* the next record */
    uint64_t avail; /* records before it are visible */
    /* under mu */
    uint64_t w;        /* visible up to here */
    uint64_t released; /* the producer may write over what comes before */
    bool gone;
    char pad[64]; /* rings apart from one another's cache lines */
} ring;

struct resplint_capture_feed {
    ring *rings;
    unsigned n;
    void (*waiting)(unsigned shard, uint64_t upto, int will_wait, void *user);
    void *user;
    pthread_mutex_t mu;
    pthread_cond_t cv_cons; /* records made visible, or the reading over */
    pthread_cond_t cv_prod; /* a shard handed back room, or left */
    /* under mu */
    bool finished;      /* no more records */
    bool cancelled;     /* resplint_capture_feed_cancel: the reading stops, the shards too */
    bool prod_waits;    /* the producer waits for room */
    unsigned cons_wait; /* shards waiting for records */
    /* the producer's */
    uint64_t written; /* bytes put into the rings in all */
    uint64_t order;   /* the greatest step put so far */
    uint64_t progress; /* what a PROGRESS says now: the shards' next records come at that step
                        * or later (order, or order + 1 between two frames) */
    bool opened;      /* the OPEN record is in */
};

static size_t align_up(size_t n) { return (n + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1); }

static void free_own(ring *g, uint64_t upto)
{
    while (g->own && g->own->end <= upto) {
        own_block *b = g->own;
        g->own = b->next;
        rlcap_free(b);
    }
    if (!g->own)
        g->own_tail = NULL;
}

void resplint_capture_feed_free(resplint_capture_feed *f)
{
    if (!f)
        return;
    for (unsigned k = 0; f->rings && k < f->n; k++) {
        free_own(&f->rings[k], UINT64_MAX);
        rlcap_free(f->rings[k].buf);
    }
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv_cons);
    pthread_cond_destroy(&f->cv_prod);
    rlcap_free(f->rings);
    rlcap_free(f);
}

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
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv_cons, NULL);
    pthread_cond_init(&f->cv_prod, NULL);
    size_t size = RING_MIN;
    while (size * 2 * nshards <= RINGS)
        size *= 2;
    f->rings = rlcap_calloc(nshards, sizeof *f->rings);
    for (unsigned k = 0; f->rings && k < nshards; k++) {
        f->rings[k].size = size;
        if (!(f->rings[k].buf = rlcap_malloc(size))) {
            resplint_capture_feed_free(f);
            return NULL;
        }
    }
    if (!f->rings) {
        resplint_capture_feed_free(f);
        return NULL;
    }
    return f;
}

void resplint_capture_feed_leave(resplint_capture_feed *f, unsigned shard)
{
    if (!f || shard >= f->n)
        return;
    pthread_mutex_lock(&f->mu);
    f->rings[shard].gone = true;
    pthread_cond_broadcast(&f->cv_prod);
    pthread_mutex_unlock(&f->mu);
}

bool rlcap_feed_opened(resplint_capture_feed *f) { return f->opened; }

unsigned rlcap_feed_shards(const resplint_capture_feed *f) { return f->n; }

/* With mu held: what the shard has read is the producer's to write over. */
static void hand_back_locked(resplint_capture_feed *f, ring *g)
{
    g->released = g->pos;
    if (f->prod_waits)
        pthread_cond_signal(&f->cv_prod);
}

/* Writes a record into ring g, whose room the caller made sure of (size bytes, pad before). */
static void write_rec(resplint_capture_feed *f, ring *g, size_t pad, size_t size, int type,
                      uint64_t order, const void *meta, size_t meta_len, const void *data,
                      size_t data_len, own_block *own)
{
    size_t off = (size_t)(g->wpos & (g->size - 1));
    if (pad) {
        rec_hdr h = {(uint32_t)pad, PAD_TYPE, 0, 0, 0};
        memcpy(g->buf + off, &h, sizeof h);
        g->wpos += pad;
        off = 0;
    }
    rec_hdr h = {(uint32_t)size, (uint16_t)type, own ? FLAG_OWN : 0, (uint32_t)meta_len,
                 (uint32_t)data_len};
    unsigned char *p = g->buf + off;
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
    g->wpos += size;
    if (order > g->order && type != RLCAP_FEED_SECRET && type != RLCAP_FEED_SECRET_END)
        g->order = order; /* (a key log tells the shard no step) */
    f->written += pad + size;
    if (own) {
        own->end = g->wpos;
        if (g->own_tail)
            g->own_tail->next = own;
        else
            g->own = own;
        g->own_tail = own;
    }
}

/* The bytes a record takes in ring g (*pad: to the ring's end first, records never wrap). */
static size_t rec_size(const ring *g, size_t body, bool own, size_t *pad)
{
    size_t size = align_up(sizeof(rec_hdr) + (own ? sizeof(void *) : body));
    size_t off = (size_t)(g->wpos & (g->size - 1));
    *pad = off + size > g->size ? g->size - off : 0;
    return size;
}

/* With mu held: what was written becomes visible; a shard whose last record is of an earlier
 * step than the reading has reached gets a PROGRESS record after it (when its ring has room: a
 * shard whose ring is full has records to read, and gets it at a later call), so that it can
 * say that its next records come at f->order or later. Without it, a shard that got nothing
 * for a while would wait for the reading saying an old step, the merge would wait for it, the
 * other shards for the merge, and the reading for them. */
static void publish_locked(resplint_capture_feed *f)
{
    for (unsigned k = 0; k < f->n; k++) {
        ring *g = &f->rings[k];
        if (g->gone)
            continue;
        if (g->order < f->progress && f->opened) { /* (a shard's first record: the OPEN) */
            size_t pad, size = rec_size(g, align_up(sizeof f->progress), false, &pad);
            if (g->wpos + pad + size - g->released <= g->size)
                write_rec(f, g, pad, size, RLCAP_FEED_PROGRESS, f->progress, &f->progress,
                          sizeof f->progress, NULL, 0, NULL);
        }
        g->w = g->wpos;
    }
    if (f->cons_wait)
        pthread_cond_broadcast(&f->cv_cons);
}

/* Makes what was written visible and waits until `need` more bytes may be written into ring
 * g (NULL: none); false when every shard has left or the reading was cancelled, true at once
 * when g's shard has left. */
static bool room(resplint_capture_feed *f, ring *g, size_t need)
{
    pthread_mutex_lock(&f->mu);
    bool all_gone;
    for (;;) {
        /* what a waiting shard may still need, before waiting for it; again after each
         * wake-up (a shard that read its ring to the end has room for a PROGRESS now) */
        publish_locked(f);
        all_gone = true;
        for (unsigned k = 0; k < f->n; k++) {
            f->rings[k].left = f->rings[k].gone;
            all_gone &= f->rings[k].gone;
        }
        if (all_gone || f->cancelled || !g || g->gone ||
            g->wpos + need - g->released <= g->size)
            break;
        f->prod_waits = true;
        pthread_cond_wait(&f->cv_prod, &f->mu);
    }
    f->prod_waits = false;
    bool ok = !all_gone && !f->cancelled;
    if (g)
        g->least = g->released;
    pthread_mutex_unlock(&f->mu);
    if (g)
        free_own(g, g->least);
    return ok;
}

/* One record into ring g; false when every shard has left or memory ran out. */
static bool put_one(resplint_capture_feed *f, ring *g, int type, uint64_t order, const void *meta,
                    size_t meta_len, const void *data, size_t data_len)
{
    size_t body = align_up(meta_len) + data_len;
    own_block *own = NULL;
    if (align_up(sizeof(rec_hdr) + body) > g->size / 8) { /* a block of its own */
        own = rlcap_malloc(align_up(sizeof *own) + body);
        if (!own)
            return false;
        own->next = NULL;
        unsigned char *p = (unsigned char *)own + align_up(sizeof *own);
        if (meta_len)
            memcpy(p, meta, meta_len);
        if (data_len)
            memcpy(p + align_up(meta_len), data, data_len);
    }
    size_t pad, size;
    /* g->least only grows: while it says there is room, there is (no lock a record); after a
     * wait the pad is worked out again (a PROGRESS may have gone in meanwhile) */
    while (size = rec_size(g, body, own != NULL, &pad), g->wpos + pad + size - g->least > g->size) {
        if (!room(f, g, pad + size)) {
            rlcap_free(own);
            return false;
        }
        if (g->left) { /* its shard left while the producer waited */
            rlcap_free(own);
            return true;
        }
    }
    write_rec(f, g, pad, size, type, order, meta, meta_len, data, data_len, own);
    return true;
}

bool rlcap_feed_put(resplint_capture_feed *f, uint32_t shard, uint64_t order, int type,
                    const void *meta, size_t meta_len, const void *data, size_t data_len)
{
    if (!order) /* (a record that is no step's: the key logs) */
        order = f->order;
    if (order > f->order)
        f->order = order;
    /* A key log comes between two frames (libpcap meets it reading the next one): the last
     * frame's step is over, and a PROGRESS can say the next one. Saying only the last step, a
     * shard that got nothing for a while could not let the merge take another shard's records
     * of that step (it comes first at an equal step) while the reading, putting a long key
     * log, waited for that other shard, which waited for the merge (a hang:
     * tests/pcap/make_keylog_burst.py). */
    f->progress = type == RLCAP_FEED_SECRET || type == RLCAP_FEED_SECRET_END ? f->order + 1
                                                                           : f->order;
    uint64_t before = f->written;
    bool any = false;
    for (unsigned k = 0; k < f->n; k++) {
        if (shard != RLCAP_FEED_ALL && k != shard)
            continue;
        /* a shard that left is not written to (as the producer saw it at the last batch or
         * wait: a few more records for it are harmless) */
        if (f->rings[k].left)
            continue;
        if (!put_one(f, &f->rings[k], type, order, meta, meta_len, data, data_len))
            return false;
        any = true;
    }
    if (type == RLCAP_FEED_OPEN)
        f->opened = true;
    if (!any) /* its shard has left; are they all gone? */
        return room(f, NULL, 0);
    /* visible in batches (and the opening, the key logs and the end at once); the shards'
     * room and presence are looked at then too */
    if ((before / PUB) != (f->written / PUB) ||
        (type != RLCAP_FEED_PACKET && type != RLCAP_FEED_EVENT))
        return room(f, NULL, 0); /* publishes; no wait for room */
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
    ring *g = &f->rings[k];
    for (;;) {
        if (g->pos == g->avail) {
            /* everything before pos is read: handed back, and more taken, or waited for */
            pthread_mutex_lock(&f->mu);
            hand_back_locked(f, g);
            if (f->cancelled) {
                pthread_mutex_unlock(&f->mu);
                return false;
            }
            if (g->w == g->pos && !f->finished) {
                pthread_mutex_unlock(&f->mu);
                /* the caller hands over what it holds of this shard before it waits */
                if (f->waiting)
                    f->waiting(k, upto, 1, f->user);
                pthread_mutex_lock(&f->mu);
                f->cons_wait++;
                while (g->w == g->pos && !f->finished && !f->cancelled)
                    pthread_cond_wait(&f->cv_cons, &f->mu);
                f->cons_wait--;
            }
            g->avail = g->w;
            bool cancelled = f->cancelled;
            pthread_mutex_unlock(&f->mu);
            if (g->pos == g->avail || cancelled)
                return false; /* finished, or cancelled */
        } else if (g->pos - g->released >= g->size / 8) {
            pthread_mutex_lock(&f->mu); /* hand back room while reading on */
            hand_back_locked(f, g);
            pthread_mutex_unlock(&f->mu);
            /* and say how far the shard is: a shard with few records to hand over would
             * otherwise keep the merge waiting until it caught up with the reading */
            if (f->waiting)
                f->waiting(k, upto, 0, f->user);
        }
        const unsigned char *p = g->buf + (size_t)(g->pos & (g->size - 1));
        /* the records further on, written by the producer's core: asked for ahead of time
         * (2 KiB, a few records: CPU time of a run with two shards -3%) */
        __builtin_prefetch(g->buf + (size_t)((g->pos + 2048) & (g->size - 1)));
        rec_hdr h;
        memcpy(&h, p, sizeof h);
        g->pos += h.size;
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
