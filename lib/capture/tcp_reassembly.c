/* TCP reassembly of one direction: delivers the bytes in sequence order exactly once, holds
 * out-of-order segments (bounded), and turns missing bytes into gaps: lost by the capture
 * (the peer acknowledged them, or the connection ended), cut by the snapshot length, or given
 * up on when too many bytes are held. Sequence numbers are compared modulo 2^32. Held segments
 * are a list in sequence order and a treap over it, so that placing a segment costs
 * O(log n), whatever order an attacker sends them in. */
#include "pcap_internal.h"
#include "rlcap_alloc.h"

#include "resplint.h"

#include <stdlib.h>
#include <string.h>

struct rlcap_tcp_seg {
    rlcap_tcp_seg *next;          /* in sequence order */
    rlcap_tcp_seg *left, *right;  /* the treap: by sequence, priorities a max-heap */
    uint32_t prio;
    uint32_t seq, len;
    bool truncated; /* bytes cut by the snapshot length: known to exist, not present */
    uint64_t frame;
    unsigned char data[];
};

/* a - b in sequence space: negative when a is before b. */
static int32_t seq_diff(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;
    return d <= 0x7fffffffu ? (int32_t)d : -(int32_t)(~d) - 1;
}

void rlcap_tcp_init(rlcap_tcp_half *h, size_t max_held)
{
    memset(h, 0, sizeof *h);
    h->max_held = max_held;
    h->rng = (uint32_t)(uintptr_t)h | 1u;
}

void rlcap_tcp_free(rlcap_tcp_half *h)
{
    rlcap_tcp_seg *s = h->held;
    while (s) {
        rlcap_tcp_seg *n = s->next;
        rlcap_free(s);
        s = n;
    }
    h->held = NULL;
    h->root = NULL;
    h->held_bytes = 0;
}

/* ---- the treap. Every held segment starts after next_seq (see hold), so that their order
 * is that of seq - next_seq as an unsigned number, whatever wraps around 2^32. ---- */

static uint32_t key(const rlcap_tcp_half *h, uint32_t seq)
{
    return seq - h->next_seq;
}

/* The last held segment starting at or before seq, NULL when none. */
static rlcap_tcp_seg *at_or_before(const rlcap_tcp_half *h, uint32_t seq)
{
    uint32_t k = key(h, seq);
    rlcap_tcp_seg *best = NULL;
    for (rlcap_tcp_seg *n = h->root; n;) {
        if (key(h, n->seq) <= k) {
            best = n;
            n = n->right;
        } else {
            n = n->left;
        }
    }
    return best;
}

/* Splits t into the segments before k (*l) and the others (*r). */
static void split(const rlcap_tcp_half *h, rlcap_tcp_seg *t, uint32_t k, rlcap_tcp_seg **l,
                  rlcap_tcp_seg **r)
{
    while (t) {
        if (key(h, t->seq) < k) {
            *l = t;
            l = &t->right;
            t = t->right;
        } else {
            *r = t;
            r = &t->left;
            t = t->left;
        }
    }
    *l = *r = NULL;
}

static void treap_insert(rlcap_tcp_half *h, rlcap_tcp_seg *s)
{
    h->rng ^= h->rng << 13;
    h->rng ^= h->rng >> 17;
    h->rng ^= h->rng << 5;
    s->prio = h->rng;
    s->left = s->right = NULL;
    /* down to where s's priority belongs, then s takes the place of that subtree split */
    rlcap_tcp_seg **pp = &h->root;
    uint32_t k = key(h, s->seq);
    while (*pp && (*pp)->prio > s->prio)
        pp = key(h, (*pp)->seq) < k ? &(*pp)->right : &(*pp)->left;
    split(h, *pp, k, &s->left, &s->right);
    *pp = s;
}

/* Removes the first segment (the list's head) from the treap. */
static void treap_remove_first(rlcap_tcp_half *h)
{
    rlcap_tcp_seg **pp = &h->root;
    while (*pp && (*pp)->left)
        pp = &(*pp)->left;
    if (*pp)
        *pp = (*pp)->right;
}

static void emit_data(rlcap_tcp_half *h, const rlcap_tcp_sink *k, const unsigned char *p,
                      uint32_t n, uint64_t frame)
{
    if (n == 0)
        return;
    k->data(k->user, p, n, frame);
    h->next_seq += n;
    h->offset += n;
}

static void emit_gap(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint32_t n, rlcap_gap_kind kind,
                     uint64_t frame)
{
    if (n == 0)
        return;
    k->gap(k->user, n, kind, frame);
    h->next_seq += n;
    h->offset += n;
}

static void check_fin(rlcap_tcp_half *h)
{
    if (h->fin_seen && !h->closed && seq_diff(h->next_seq, h->fin_seq) >= 0) {
        h->next_seq = h->fin_seq + 1;
        h->closed = true;
    }
}

/* Delivers the held segments that have become contiguous. */
static void drain(rlcap_tcp_half *h, const rlcap_tcp_sink *k)
{
    while (h->held) {
        rlcap_tcp_seg *s = h->held;
        int32_t d = seq_diff(s->seq, h->next_seq);
        if (d > 0)
            break;
        treap_remove_first(h);
        h->held = s->next;
        h->held_bytes -= RLCAP_TCP_PIECE_COST + (s->truncated ? 0 : s->len);
        uint32_t skip = (uint32_t)(-(int64_t)d);
        if (skip < s->len) {
            if (s->truncated)
                emit_gap(h, k, s->len - skip, RLCAP_GAP_TRUNCATED, s->frame);
            else
                emit_data(h, k, s->data + skip, s->len - skip, s->frame);
        }
        rlcap_free(s);
    }
    check_fin(h);
}

static rlcap_tcp_seg *new_piece(rlcap_tcp_half *h, uint32_t seq, const unsigned char *p,
                                uint32_t n, bool truncated, uint64_t frame)
{
    rlcap_tcp_seg *s = rlcap_malloc(sizeof *s + (truncated ? 0 : n));
    if (!s) {
        h->error = RESPLINT_ENOMEM;
        return NULL;
    }
    s->next = NULL;
    s->seq = seq;
    s->len = n;
    s->truncated = truncated;
    s->frame = frame;
    if (!truncated)
        memcpy(s->data, p, n);
    h->held_bytes += RLCAP_TCP_PIECE_COST + (truncated ? 0 : n);
    return s;
}

/* p + off, where p is NULL for a segment whose bytes the capture cut (no arithmetic on NULL). */
static const unsigned char *at(const unsigned char *p, uint32_t off)
{
    return p ? p + off : NULL;
}

/* Holds [seq, seq+n) (seq after next_seq): only the parts no held segment covers yet (first
 * wins). */
static void hold(rlcap_tcp_half *h, uint32_t seq, const unsigned char *p, uint32_t n,
                 bool truncated, uint64_t frame)
{
    uint32_t cur = seq, end = seq + n;
    rlcap_tcp_seg **pp = &h->held;
    rlcap_tcp_seg *before = at_or_before(h, cur);
    if (before) { /* the segments before it end before cur */
        uint32_t be = before->seq + before->len;
        if (seq_diff(be, cur) > 0)
            cur = be;
        pp = &before->next;
    }
    while (*pp && seq_diff(cur, end) < 0) {
        rlcap_tcp_seg *s = *pp;
        uint32_t se = s->seq + s->len;
        if (seq_diff(se, cur) <= 0) { /* s ends before cur */
            pp = &s->next;
            continue;
        }
        if (seq_diff(s->seq, cur) > 0) { /* a hole before s: fill what we can */
            uint32_t pe = seq_diff(s->seq, end) < 0 ? s->seq : end;
            rlcap_tcp_seg *piece = new_piece(h, cur, at(p, cur - seq), pe - cur, truncated, frame);
            if (!piece)
                return;
            piece->next = s;
            *pp = piece;
            treap_insert(h, piece);
            pp = &piece->next;
            cur = pe;
            continue;
        }
        cur = se; /* s already holds these bytes */
        pp = &s->next;
    }
    if (seq_diff(cur, end) < 0) {
        rlcap_tcp_seg *piece = new_piece(h, cur, at(p, cur - seq), end - cur, truncated, frame);
        if (!piece)
            return;
        piece->next = *pp;
        *pp = piece;
        treap_insert(h, piece);
    }
}

/* Gives up on the hole before the first held segment. */
void rlcap_tcp_skip_hole(rlcap_tcp_half *h, const rlcap_tcp_sink *k, rlcap_gap_kind kind,
                            uint64_t frame)
{
    int32_t d = seq_diff(h->held->seq, h->next_seq);
    (void)frame; /* the frame after the hole is where Wireshark says "previous segment not captured" */
    if (d > 0)
        emit_gap(h, k, (uint32_t)d, kind, h->held->frame);
    drain(h, k);
}

static void ack_flush(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint64_t frame)
{
    while (h->ack_known && h->held && seq_diff(h->peer_ack, h->next_seq) > 0) {
        uint32_t to = seq_diff(h->held->seq, h->peer_ack) < 0 ? h->held->seq : h->peer_ack;
        int32_t miss = seq_diff(to, h->next_seq);
        if (miss > 0)
            emit_gap(h, k, (uint32_t)miss, RLCAP_GAP_LOST,
                     to == h->held->seq ? h->held->frame : frame);
        drain(h, k);
        if (miss <= 0)
            break;
    }
}

void rlcap_tcp_segment(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint32_t seq, unsigned flags,
                       const unsigned char *data, uint32_t len, uint32_t missing_tail,
                       uint64_t frame)
{
    if (h->error || h->closed)
        return;
    if (flags & RLCAP_TCP_SYN) {
        if (!h->started) {
            h->started = true;
            h->syn_seen = true;
            h->next_seq = seq + 1;
        }
        seq += 1; /* data carried by a SYN follows it */
    }
    uint32_t total = len + missing_tail;
    if (!h->started) {
        if (total == 0 && !(flags & RLCAP_TCP_FIN))
            return; /* a bare ACK does not say where the data begins (keep-alives lie) */
        h->started = true; /* the connection began before the capture */
        h->next_seq = seq;
    }
    if ((flags & RLCAP_TCP_FIN) && !h->fin_seen) {
        h->fin_seen = true;
        h->fin_seq = seq + total;
        h->fin_frame = frame;
    }
    if (total) {
        int32_t d = seq_diff(seq, h->next_seq);
        if (d <= 0 && !h->held) { /* the common case: in order, nothing held */
            uint32_t skip = (uint32_t)(-(int64_t)d);
            if (skip < len)
                emit_data(h, k, data + skip, len - skip, frame);
            if (skip < total)
                emit_gap(h, k, total - (skip > len ? skip : len), RLCAP_GAP_TRUNCATED, frame);
        } else if (seq_diff(seq + total, h->next_seq) > 0) {
            /* the part before next_seq was delivered already: held segments start after it */
            uint32_t skip = d < 0 ? (uint32_t)(-(int64_t)d) : 0;
            uint32_t dskip = skip < len ? skip : len;
            seq += skip;
            data = dskip ? data + dskip : data;
            len -= dskip;
            missing_tail -= skip - dskip;
            if (len)
                hold(h, seq, data, len, false, frame);
            if (missing_tail)
                hold(h, seq + len, NULL, missing_tail, true, frame);
            drain(h, k);
            while (h->held && h->held_bytes > h->max_held)
                rlcap_tcp_skip_hole(h, k, RLCAP_GAP_LIMIT, frame);
            ack_flush(h, k, frame);
        }
    }
    check_fin(h);
    if (flags & RLCAP_TCP_RST)
        h->closed = true;
}

void rlcap_tcp_ack(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint32_t ack, uint64_t frame)
{
    if (!h->started || h->error)
        return;
    if (!h->ack_known || seq_diff(ack, h->peer_ack) > 0) {
        h->peer_ack = ack;
        h->ack_known = true;
        h->ack_frame = frame;
    }
    if (h->held)
        ack_flush(h, k, frame);
}

void rlcap_tcp_flush(rlcap_tcp_half *h, const rlcap_tcp_sink *k, uint64_t frame)
{
    if (!h->started)
        return;
    while (h->held)
        rlcap_tcp_skip_hole(h, k, RLCAP_GAP_LOST, frame);
    /* A hole at the end is located where the capture shows it (the FIN after it, or the ACK
     * that covered it), not at the frame that ends the capture, which may be another
     * connection's. */
    (void)frame;
    if (h->fin_seen && !h->closed) {
        int32_t d = seq_diff(h->fin_seq, h->next_seq);
        if (d > 0)
            emit_gap(h, k, (uint32_t)d, RLCAP_GAP_END, h->fin_frame);
        check_fin(h);
    } else if (!h->fin_seen && h->ack_known) {
        /* acknowledged bytes never seen: the last one may be a lost FIN */
        int32_t d = seq_diff(h->peer_ack, h->next_seq);
        if (d > 1)
            emit_gap(h, k, (uint32_t)d - 1, RLCAP_GAP_END, h->ack_frame);
    }
}
