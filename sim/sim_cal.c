/*
 * sim_cal.c - event calendar: a binary min-heap of (time, event) slots
 * keyed on (time, seq), over a pool of events allocated in chunks, and
 * behind it, once the heap grows large, rungs of time buckets for the
 * events further ahead.
 *
 * Why a binary heap: microservice models keep few pending events per
 * station (one arrival per source, one completion per busy worker, a
 * timeout per call), so the heap stays small and shallow; bench/bench_cal
 * measures hold-model throughput against the pending-set size. Each
 * event records its slot, so cancellation (timeouts) removes it in
 * O(log n) instead of leaving tombstones that would grow the heap.
 *
 * Why the time in the slot: in a large model the heap holds thousands of
 * events last touched long ago. A slot carries its event's time, so a
 * sift compares times without reading the events (a tie reads their
 * seq), and two siblings share a cache line (the array is offset so that
 * each pair starts a half line). Each level still writes the slot's
 * index into the event it moves. In bench_cal's hold model this ran
 * 19-30% more operations a second than a heap of event pointers at 10^4
 * pending events and 42-53% more at 10^5; a 4-ary heap of such slots,
 * whose four children fill a line, ran slower than the binary one at
 * 10^3 and 10^4, and took 4% more instructions on M/M/1.
 *
 * A handler's event stays at the root while the handler runs: it is
 * earlier than every other pending event and every one scheduled from
 * then on, so the heap stays valid. The first event the handler
 * schedules into the heap takes its slot and sifts down, one sift
 * instead of the pop's and the push's; most handlers schedule one (the
 * next arrival, the next completion). Only a handler that schedules none
 * there pops.
 *
 * In a large model the next event's payload is most likely out of the
 * caches: it was last touched when the event was scheduled, thousands of
 * events ago, and so is what the payload points to. While a handler
 * runs, the first two lines of two payloads are fetched ahead (a
 * prefetch never faults, whatever obj holds): that of the event due
 * after the next one, the least of the next one's sibling and children
 * (unless a handler schedules an earlier one), and that of the next one,
 * in case the guess an event ago was wrong. The next one's payload is
 * then most likely here, and a warm function (sim_cal_set_warm) may read
 * it and fetch what its handler will read, a whole event ahead instead
 * of as the handler starts. A visit keeps in its first two lines what
 * its completion reads first, and its warm (mdl_visit.c) fetches the
 * rest. A calendar with a warm, set by a model too large for the caches,
 * does this whenever the heap has the seven slots it reads: even with
 * few events pending, what their handlers read is spread over the whole
 * model (meta 10,000 at load 0.005, 184 pending: 6.4% more events a
 * second than from 256 up). Without one, it fetches only with more than
 * PREFETCH_PENDING pending, when the payloads themselves no longer fit
 * the caches; a small model with few pending events skips all of it.
 *
 * Why rungs: the heap's depth grows with the events pending. At load
 * 0.5 the Meta-like model of 10,000 services keeps about 17,700 of them,
 * 15 levels whose lower ones are cache misses and whose every compare
 * is a coin toss for the branch predictor. When the heap holds more than
 * SPILL_AT events, they are spread over a rung of buckets by time, about
 * BUCKET_FILL to a bucket, and the heap keeps only the earliest: it is
 * refilled from the buckets in order, REFILL_MIN events or more at a
 * time, whenever it falls below the seven slots that fetching ahead
 * reads. This is the ladder queue of Tang, Goh and Thng (ACM TOMACS 15(3),
 * 2005) with the heap for its sorted bottom rung. A bucket too full to
 * heap (more than BUCKET_MAX) is spread over a finer rung, down to RUNGS
 * of them; events at or after the first rung's last go to an unsorted
 * top, spread in its turn when the rungs run out. An event scheduled
 * lands in the first rung that has untaken buckets where it falls,
 * else in the heap. A bucket's index is monotone in time, so every
 * event in the heap comes before every one in a bucket, each bucket's
 * before the next's, and a finer rung's before the remaining buckets of
 * the coarser ones, in (time, seq) order: two containers may hold
 * events of one time, and then the later container's were scheduled
 * later. Events leave in that order, and outputs are the same to the
 * byte. Cancelling an event out of the heap moves the last of its
 * bucket into its place.
 *
 * In bench_cal's hold model (two runs, each against the heap alone) the
 * rungs ran 1.8 to 1.9 times the operations a second of the heap at
 * 10^4 pending and 1.7 to 1.8 times at 10^5; with a timeout per token,
 * cancelled each time, 1.5 times at 2 x 10^4 but 0.75 to 0.8 times at
 * 2 x 10^5, where every operation touches three buckets at random and
 * their headers no longer fit the caches (its peak RSS, 45 MB against
 * 18). Paired runs on one core of
 * `make bench`'s models: meta 1,000 +16%, meta 10,000 +14%, the Jackson
 * network of 10,000 stations +21%; the small ones, which never hold
 * SPILL_AT events and keep the heap alone, within 1% (M/M/1 -0.7%, the
 * 50-station network +1.5%, Online Boutique -1.1%): the tests that send
 * an event past the bounds of set_bounds() take the place of the heap's
 * own: on M/M/1 qmesh runs as many instructions as without rungs, to
 * 0.02% (callgrind).
 *
 * Freed events go on a singly linked free list threaded through `pos`
 * (reinterpreted as a pointer); chunks are only released by
 * sim_cal_free(), so the heap alone does no allocation in steady state.
 * Buckets grow as events land in them, and a taken bucket keeps room
 * for KEEP_CAP events at most, so that the rungs' memory follows the
 * events pending rather than the largest crowd that ever passed (the
 * top, the arrays of buckets and the heap keep their room).
 *
 * Two watchdogs ride on the compare of each event's time with the clock.
 * The stop request of sim_sig.h is polled whenever the clock moves, and
 * every POLL_EVENTS events at one instant. A run of events at one instant
 * longer than the stall limit (and than STALL_PER_PENDING times the
 * events pending, so that a wide but finite burst, thousands of customers
 * starting at t = 0, is not taken for one) means the clock can never
 * advance: a loop of zero-time work. The limit is checked at multiples
 * of POLL_EVENTS.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sim_cal.h"
#include "sim_err.h"
#include "sim_mem.h"
#include "sim_sig.h"

#define CHUNK_EVENTS 1024
#define POLL_EVENTS 1024            /* a power of two */
#define STALL_EVENTS 10000000ULL    /* default limit: about 1 s of events */
#define STALL_PER_PENDING 64
#define PREFETCH_PENDING 256        /* payloads out of the caches */
#define FETCH_READS 7               /* fetch_ahead reads heap[0..6] */
#define HEAP_PAD 1                  /* slots before the root, so that
                                       siblings share a line */
#define FIRING 1                    /* firing: a handler runs */
#define FIRING_RUNGS 2              /* and what it schedules may go to
                                       a bucket */
#define STOP_ASKED 1                /* stopped: by sim_cal_stop() */
#define STOP_BALANCE 2              /* stopped: for balance() */
#define SPILL_AT 1024               /* a heap this large goes to a rung */
#define BUCKET_MAX 32               /* a larger bucket splits, not heaped */
#define BUCKET_FILL 4               /* events per bucket of a new rung */
#define REFILL_MIN 16               /* events a refill puts in the heap */
#define KEEP_CAP 32                 /* an emptied bucket keeps this room */
#define RUNGS 8
#define TOP RUNGS                   /* the level of pos that names top */
#define FAR_BIT ((size_t)1 << 63)   /* pos of an event out of the heap */
#define LEVEL_SHIFT 56
#define BUCKET_SHIFT 32
#define BUCKETS_MAX ((size_t)1 << 24)

typedef struct chunk {
    struct chunk *next;
    sim_event ev[CHUNK_EVENTS];
} chunk;

/* A heap slot: the event and its time. */
typedef struct slot {
    double time;
    sim_event *ev;
} slot;

/* Events out of the heap: (time, event) slots in no order. */
typedef struct bucket {
    slot *v;                /* owned */
    size_t n, cap;
} bucket;

/* A rung: buckets of equal width from start, bucket i holding the
 * events with floor((time - start) * inv_w) == i (the last also those
 * later). Buckets before cur have been taken. */
typedef struct rung {
    double start, inv_w;
    double end;             /* no event of it later */
    size_t nb, cur;
    bucket *b;              /* owned: cap_b buckets, reused */
    size_t cap_b;
} rung;

struct sim_cal {
    double now;
    uint64_t seq, fired;
    slot *heap;             /* root at heap[0], children of i at 2i + 1
                               and 2i + 2; block + HEAP_PAD */
    slot *block;            /* owned: sim_mem's, from a line */
    size_t n, cap;
    sim_event *free_list;
    chunk *chunks;
    int stopped;            /* STOP_ASKED, STOP_BALANCE */
    int firing;             /* heap[0] is the event being handled:
                               FIRING or FIRING_RUNGS, else 0 */
    uint64_t same;          /* events fired at the current instant */
    double drained;         /* when the calendar last ran empty (s) */
    double before;          /* the clock before it last advanced (s) */
    uint64_t stall_limit;
    sim_handler warm_fn;    /* events of this handler are warmed; NULL
                               (no handler) when there is no warm */
    sim_warm warm;          /* NULL: none */
    size_t fetch_above;     /* fetch ahead with more events pending */
    size_t ahead_above;     /* ahead() with more: see set_bounds() */
    size_t lim;             /* schedule_slow() from: see set_bounds() */
    size_t low;             /* refill below: see set_bounds() */
    size_t fetch_at;        /* fetch ahead with more: see set_bounds() */
    rung rung[RUNGS];       /* nr in use, coarse to fine */
    int nr;
    bucket top;             /* events from top_start on; empty when nr
                               is 0, unless a refill ran out of memory */
    double top_start;
    size_t far_n;           /* events in rungs and top */
    size_t spill_at;        /* a heap larger than this goes to a rung */
    uint32_t *scratch;      /* bucket index of each slot being spread */
    size_t cap_scratch;
};

/* Rungs, or events out of the heap (after running out of memory in
 * refill(), the top may be left with no rung). */
static inline int has_far(const sim_cal *cal)
{
    return cal->nr > 0 || cal->far_n > 0;
}

/* The bounds that send the run loop to ahead() and balance(), and
 * scheduling to schedule_slow(). The run loop tests no bound of its
 * own: a heap grows past spill_at in schedule_slow() (lim is at most
 * spill_at), or is found at low (0 without rungs) by ahead() or a
 * cancel, and these stop the loop for balance() (STOP_BALANCE). With
 * rungs, the heap is refilled when it comes down to the slots
 * fetch_ahead() reads, every event goes through ahead() (ahead_above
 * 0), and every one scheduled through schedule_slow() (lim 0, and
 * FIRING_RUNGS while a handler runs), since it may go to a bucket. */
static void set_bounds(sim_cal *cal)
{
    size_t lim = cal->cap < cal->spill_at ? cal->cap : cal->spill_at;
    int far = has_far(cal);

    cal->low = far ? FETCH_READS : 0;
    cal->lim = far ? 0 : lim;
    cal->ahead_above = far ? 0 : cal->fetch_above;
    cal->fetch_at = far && cal->fetch_above > FETCH_READS - 1
                    ? FETCH_READS - 1 : cal->fetch_above;
}

/* A heap of cap slots, or NULL when out of memory. */
static slot *heap_block(size_t cap)
{
    return sim_mem_calloc(cap + HEAP_PAD, sizeof(slot));
}

sim_cal *sim_cal_new(void)
{
    sim_cal *cal = calloc(1, sizeof *cal);

    if (!cal)
        return NULL;
    cal->cap = 64;
    cal->stall_limit = STALL_EVENTS;
    cal->fetch_above = PREFETCH_PENDING;
    cal->top_start = INFINITY;
    cal->spill_at = SPILL_AT;
    if (!(cal->block = heap_block(cal->cap))) {
        free(cal);
        return NULL;
    }
    cal->heap = cal->block + HEAP_PAD;
    set_bounds(cal);
    return cal;
}

void sim_cal_free(sim_cal *cal)
{
    chunk *c, *next;

    if (!cal)
        return;
    for (c = cal->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    for (int k = 0; k < RUNGS; k++) {
        for (size_t i = 0; i < cal->rung[k].cap_b; i++)
            free(cal->rung[k].b[i].v);
        free(cal->rung[k].b);
    }
    free(cal->top.v);
    free(cal->scratch);
    sim_mem_free(cal->block);
    free(cal);
}

static int grow_pool(sim_cal *cal)
{
    chunk *c = malloc(sizeof *c);
    size_t i;

    if (!c)
        return -1;
    c->next = cal->chunks;
    cal->chunks = c;
    for (i = 0; i < CHUNK_EVENTS; i++) {
        c->ev[i].pos = (size_t)cal->free_list;
        cal->free_list = &c->ev[i];
    }
    return 0;
}

static inline int before(const slot *a, const slot *b)
{
    return a->time < b->time
           || (a->time == b->time && a->ev->seq < b->ev->seq);
}

/* Put s in slot i. */
static inline void place(slot *h, size_t i, slot s)
{
    h[i] = s;
    s.ev->pos = i;
}

/* Move s up from slot i until its parent is earlier. */
static inline void sift_up(slot *h, size_t i, slot s)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&s, &h[parent]))
            break;
        place(h, i, h[parent]);
        i = parent;
    }
    place(h, i, s);
}

/* Move s down from slot i until both children are later. */
static inline void sift_down(slot *h, size_t n, size_t i, slot s)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(&h[child + 1], &h[child]))
            child++;
        if (!before(&h[child], &s))
            break;
        place(h, i, h[child]);
        i = child;
    }
    place(h, i, s);
}

static inline void release(sim_cal *cal, sim_event *ev)
{
    ev->pos = (size_t)cal->free_list;
    cal->free_list = ev;
}

/* A heap of at least need slots. */
static int heap_room(sim_cal *cal, size_t need)
{
    size_t cap = cal->cap;
    slot *b;

    while (cap < need)
        cap *= 2;
    if (cap == cal->cap)
        return 0;
    if (!(b = heap_block(cap)))
        return -1;
    memcpy(b + HEAP_PAD, cal->heap, cal->n * sizeof *b);
    sim_mem_free(cal->block);
    cal->block = b;
    cal->heap = b + HEAP_PAD;
    cal->cap = cap;
    set_bounds(cal);
    return 0;
}

static inline size_t far_pos(size_t level, size_t b, size_t i)
{
    return FAR_BIT | level << LEVEL_SHIFT | b << BUCKET_SHIFT | i;
}

static int bucket_grow(bucket *bk, size_t need)
{
    size_t cap = bk->cap ? bk->cap : BUCKET_FILL;
    slot *v;

    while (cap < need)
        cap *= 2;
    if (cap == bk->cap)
        return 0;
    if (!(v = realloc(bk->v, cap * sizeof *v)))
        return -1;
    bk->v = v;
    bk->cap = cap;
    return 0;
}

/* The bucket an event at t goes to, its pos there in *pos; NULL: the
 * heap. A rung's buckets before cur were taken: what falls there is
 * earlier than all its other events and goes to a finer rung, or the
 * heap. */
static bucket *far_bucket(sim_cal *cal, double t, size_t *pos)
{
    int k;

    if (!has_far(cal))
        return NULL;
    if (t >= cal->top_start) {
        *pos = far_pos(TOP, 0, cal->top.n);
        return &cal->top;
    }
    for (k = 0; k < cal->nr; k++) {
        rung *r = &cal->rung[k];
        double d = (t - r->start) * r->inv_w;
        size_t i;
        if (d < (double)r->cur || r->cur == r->nb)
            continue;
        i = d < (double)(r->nb - 1) ? (size_t)d : r->nb - 1;
        *pos = far_pos((size_t)k, i, r->b[i].n);
        return &r->b[i];
    }
    return NULL;
}

/* A bucket taken: a crowd that passed gives its room back, so that the
 * rungs' memory follows the events pending. */
static void bucket_empty(bucket *bk)
{
    bk->n = 0;
    if (bk->cap > KEEP_CAP) {
        free(bk->v);
        bk->v = NULL;
        bk->cap = 0;
    }
}

static inline void bucket_put_at(bucket *bk, size_t i, slot s, size_t pos)
{
    bk->v[i] = s;
    s.ev->pos = pos;
}

/* Put s at pos, the end of bk (from far_bucket()). Returns -1 when out
 * of memory. */
static int far_put(sim_cal *cal, bucket *bk, slot s, size_t pos)
{
    if (bk->n == bk->cap && bucket_grow(bk, bk->n + 1) < 0)
        return -1;
    bucket_put_at(bk, bk->n++, s, pos);
    cal->far_n++;
    return 0;
}

/* Spread the n slots of src over a new rung at level k, BUCKET_FILL to
 * a bucket on average, from the earliest slot's time to the latest
 * finite one. Returns -1, and leaves src as it was, when their times
 * are too close to spread or memory runs out. */
static int spread(sim_cal *cal, int k, const slot *src, size_t n)
{
    rung *r = &cal->rung[k];
    double lo = INFINITY, hi = -INFINITY, end = -INFINITY, w;
    size_t nb = n / BUCKET_FILL + 1, j;

    for (j = 0; j < n; j++) {
        double t = src[j].time;
        if (t < lo)
            lo = t;
        if (t > end)
            end = t;
        if (t > hi && isfinite(t))
            hi = t;
    }
    if (nb > BUCKETS_MAX)
        nb = BUCKETS_MAX;
    w = (hi - lo) / (double)nb;
    if (!(w > 0) || !isfinite(1 / w) || !isfinite(hi - lo))
        return -1;
    if (nb > r->cap_b) {
        bucket *b = realloc(r->b, nb * sizeof *b);
        if (!b)
            return -1;
        memset(b + r->cap_b, 0, (nb - r->cap_b) * sizeof *b);
        r->b = b;
        r->cap_b = nb;
    }
    if (n > cal->cap_scratch) {
        uint32_t *s = realloc(cal->scratch, n * sizeof *s);
        if (!s)
            return -1;
        cal->scratch = s;
        cal->cap_scratch = n;
    }
    r->start = lo;
    r->end = end;
    r->inv_w = 1 / w;
    r->nb = nb;
    r->cur = 0;
    /* Count, make room, then place: running out of memory half way
     * would leave events in two places. */
    for (j = 0; j < n; j++) {
        double d = (src[j].time - lo) * r->inv_w;
        size_t i = d < (double)(nb - 1) ? (size_t)d : nb - 1;
        cal->scratch[j] = (uint32_t)i;
        r->b[i].n++;
    }
    for (j = 0; j < n; j++) {
        bucket *bk = &r->b[cal->scratch[j]];
        if (bk->n > bk->cap && bucket_grow(bk, bk->n) < 0) {
            for (j = 0; j < n; j++)
                r->b[cal->scratch[j]].n = 0;
            return -1;
        }
    }
    for (j = n; j-- > 0;) {
        size_t i = cal->scratch[j];
        size_t at = --r->b[i].n;
        r->b[i].v[at] = src[j];
        src[j].ev->pos = far_pos((size_t)k, i, at);
    }
    for (j = 0; j < n; j++)
        r->b[cal->scratch[j]].n++;
    return 0;
}

/* The heap is running low: fill it from the earliest buckets, to
 * REFILL_MIN events or the last. Returns -1 when out of memory. */
static int refill(sim_cal *cal)
{
    while (cal->n < REFILL_MIN && cal->far_n > 0) {
        rung *r = NULL;
        bucket *bk;
        size_t j;

        if (cal->nr == 0) {
            if (spread(cal, 0, cal->top.v, cal->top.n) == 0) {
                cal->top.n = 0;
                cal->top_start = cal->rung[0].end;
                cal->nr = 1;
                continue;
            }
            bk = &cal->top;     /* too close to spread (or out of
                                   memory): heap them all */
        } else {
            r = &cal->rung[cal->nr - 1];
            while (r->cur < r->nb && r->b[r->cur].n == 0)
                bucket_empty(&r->b[r->cur++]);
            if (r->cur == r->nb) {
                cal->nr--;
                continue;
            }
            bk = &r->b[r->cur];
            if (bk->n > BUCKET_MAX && cal->nr < RUNGS
                && spread(cal, cal->nr, bk->v, bk->n) == 0) {
                bucket_empty(bk);
                r->cur++;
                cal->nr++;
                continue;
            }
        }
        /* The bucket is taken only once it is in the heap: out of memory,
         * it stays where it is, and the next refill tries again. */
        if (heap_room(cal, cal->n + bk->n) < 0)
            return -1;
        if (r)
            r->cur++;
        for (j = 0; j < bk->n; j++)
            sift_up(cal->heap, cal->n++, bk->v[j]);
        cal->far_n -= bk->n;
        bucket_empty(bk);
    }
    return 0;
}

/* The heap has grown past spill_at: spread it over a rung finer than
 * the rest, and refill the heap from its first buckets. */
static int spill(sim_cal *cal)
{
    size_t n = cal->n;

    if (cal->nr < RUNGS && spread(cal, cal->nr, cal->heap, n) == 0) {
        if (cal->nr == 0)
            cal->top_start = cal->rung[0].end;
        cal->nr++;
        cal->far_n += n;
        cal->n = 0;
        if (refill(cal) < 0)
            return -1;
    }
    if (cal->n > cal->spill_at / 2)
        cal->spill_at *= 2;
    return 0;
}

/* The heap holds fewer than low events, or more than spill_at: refill
 * or spill it. Returns -1 when out of memory. */
static __attribute__((noinline)) int balance(sim_cal *cal)
{
    int rc = cal->n > cal->spill_at ? spill(cal) : refill(cal);

    if (cal->far_n == 0)
        cal->nr = 0;
    set_bounds(cal);           /* also after a failure: see has_far() */
    return rc;
}

/* Take the far event ev out of its bucket. */
static void far_remove(sim_cal *cal, sim_event *ev)
{
    size_t level = ev->pos >> LEVEL_SHIFT & 0x7f;
    size_t b = ev->pos >> BUCKET_SHIFT & (BUCKETS_MAX - 1);
    size_t i = ev->pos & 0xffffffff;
    bucket *bk = NULL;
    slot last;

    if (level == TOP)
        bk = &cal->top;
    else if (level < (size_t)cal->nr && b < cal->rung[level].nb)
        bk = &cal->rung[level].b[b];
    if (!bk || i >= bk->n || bk->v[i].ev != ev)
        sim_panic(__FILE__, __LINE__, "cancel or reschedule of an event "
                  "that is not pending");
    last = bk->v[--bk->n];
    if (i < bk->n)
        bucket_put_at(bk, i, last, far_pos(level, b, i));
    cal->far_n--;
}

/* Put s in the heap: in the root's slot while its handler runs. */
static inline void heap_put(sim_cal *cal, slot s)
{
    if (cal->firing) {
        cal->firing = 0;
        sift_down(cal->heap, cal->n, 0, s);
    } else {
        sift_up(cal->heap, cal->n++, s);
    }
}

/* A new event for fn(obj, arg) at delay from now, from the pool, in s
 * with its time. The pool must have one. */
static inline sim_event *take(sim_cal *cal, double delay, sim_handler fn,
                              void *obj, long arg, slot *s)
{
    sim_event *ev = cal->free_list;

    cal->free_list = (sim_event *)ev->pos;
    s->time = cal->now + delay;
    s->ev = ev;
    ev->seq = cal->seq++;
    ev->fn = fn;
    ev->obj = obj;
    ev->arg = arg;
    return ev;
}

/* The pool or the heap is full, or there are rungs: grow what is full,
 * then schedule, in a bucket if the event goes to one. Out of line, so
 * that the common path makes no call and keeps its arguments in the
 * registers they came in. */
static __attribute__((noinline)) sim_event *
schedule_slow(sim_cal *cal, double delay, sim_handler fn, void *obj,
              long arg)
{
    sim_event *ev;
    bucket *bk;
    size_t pos;
    slot s;

    if (!cal->free_list && grow_pool(cal) < 0)
        return NULL;
    if (!cal->firing && cal->n == cal->cap
        && heap_room(cal, cal->cap + 1) < 0)
        return NULL;
    ev = take(cal, delay, fn, obj, arg, &s);
    if (!(bk = far_bucket(cal, s.time, &pos))) {
        heap_put(cal, s);
        if (cal->n > cal->spill_at)
            cal->stopped |= STOP_BALANCE;
    } else if (far_put(cal, bk, s, pos) < 0) {
        release(cal, ev);
        return NULL;
    }
    return ev;
}

/* What the heap alone cannot take goes to schedule_slow(), for no more
 * tests than the heap's own: a heap at lim (its capacity, at most
 * spill_at), and with rungs everything (lim 0), even while a handler
 * runs (FIRING_RUNGS). */
sim_event *sim_cal_schedule(sim_cal *cal, double delay, sim_handler fn,
                            void *obj, long arg)
{
    slot s;

    if (__builtin_expect(!cal->free_list
                         || (cal->firing != FIRING && cal->n >= cal->lim), 0))
        return schedule_slow(cal, delay, fn, obj, arg);
    take(cal, delay, fn, obj, arg, &s);
    heap_put(cal, s);
    return s.ev;
}

/* An event that fired (or is firing) is not in the heap any more:
 * moving it would take another event's place. */
static void check_pending(const sim_cal *cal, const sim_event *ev)
{
    if (ev->pos >= cal->n || cal->heap[ev->pos].ev != ev)
        sim_panic(__FILE__, __LINE__, "cancel or reschedule of an event "
                  "that is not pending");
}

/* Slot i holds s, which may belong higher or lower: move it there. */
static void resettle(sim_cal *cal, size_t i, slot s)
{
    if (i > 0 && before(&s, &cal->heap[(i - 1) / 2]))
        sift_up(cal->heap, i, s);
    else
        sift_down(cal->heap, cal->n, i, s);
}

/* Take the pending event ev out of the heap. */
static void heap_remove(sim_cal *cal, sim_event *ev)
{
    slot last;

    check_pending(cal, ev);
    last = cal->heap[--cal->n];
    if (last.ev != ev)          /* the last event fills the hole */
        resettle(cal, ev->pos, last);
    if (cal->n < cal->low)
        cal->stopped |= STOP_BALANCE;
}

void sim_cal_cancel(sim_cal *cal, sim_event *ev)
{
    if (ev->pos & FAR_BIT)
        far_remove(cal, ev);
    else
        heap_remove(cal, ev);
    release(cal, ev);
}

void sim_cal_reschedule(sim_cal *cal, sim_event *ev, double delay)
{
    slot s = { cal->now + delay, ev };
    size_t pos;
    bucket *bk;

    /* To or from a bucket: out of where it is, in as if new. */
    if (ev->pos & FAR_BIT) {
        far_remove(cal, ev);        /* first: its bucket may be the new */
        bk = far_bucket(cal, s.time, &pos);
    } else if ((bk = far_bucket(cal, s.time, &pos))) {
        heap_remove(cal, ev);
    } else {
        check_pending(cal, ev);     /* within the heap: in place */
        ev->seq = cal->seq++;
        resettle(cal, ev->pos, s);
        return;
    }
    ev->seq = cal->seq++;
    if (bk ? far_put(cal, bk, s, pos) < 0 : heap_room(cal, cal->n + 1) < 0)
        sim_panic(__FILE__, __LINE__, "out of memory moving an event");
    if (!bk)
        sift_up(cal->heap, cal->n++, s);
}

double sim_cal_now(const sim_cal *cal)
{
    return cal->now;
}

_Static_assert(SIZE_MAX >> 63 == 1, "a far event's pos takes 64 bits");
_Static_assert(PREFETCH_PENDING >= FETCH_READS,
               "fetch_ahead reads the heap's first seven slots");

/* Two events ahead, unless handlers schedule earlier ones: the payload
 * of the event due after the next one (the least of the next one's
 * sibling and children); and one event ahead, the next one: its payload
 * again, in case that guess was wrong, and its warm. */
static inline void fetch_ahead(const sim_cal *cal, const slot *h)
{
    size_t next = h[2].time < h[1].time ? 2 : 1;
    size_t after = 3 - next, k;
    const sim_event *ev = h[next].ev;
    uintptr_t a;

    for (k = 2 * next + 1; k <= 2 * next + 2; k++)
        if (h[k].time < h[after].time)
            after = k;
    a = (uintptr_t)h[after].ev->obj;      /* any value: NULL too */
    sim_mem_prefetch((const void *)a);
    sim_mem_prefetch((const void *)(a + SIM_MEM_LINE));
    a = (uintptr_t)ev->obj;
    sim_mem_prefetch((const void *)a);
    sim_mem_prefetch((const void *)(a + SIM_MEM_LINE));
    if (ev->fn == cal->warm_fn)
        cal->warm(ev);
}

/* Before the handler of the event at the root: fetch ahead, and with
 * rungs, send what the handler schedules to schedule_slow(), since it
 * may go to a bucket. A heap this low stops the run loop for balance()
 * after the handler, to be refilled before the next event is fetched
 * ahead. */
static inline void ahead(sim_cal *cal, const slot *h)
{
    if (cal->n > cal->fetch_at)
        fetch_ahead(cal, h);
    if (cal->low > 0) {             /* has_far(), as of set_bounds() */
        cal->firing = FIRING_RUNGS;
        if (cal->n <= cal->low)
            cal->stopped |= STOP_BALANCE;
    }
}

int sim_cal_run(sim_cal *cal, double until)
{
    /* Events scheduled since the last run may have grown the heap. */
    cal->stopped = cal->n > cal->spill_at ? STOP_BALANCE : 0;
    for (;;) {
        while (cal->n > 0 && !cal->stopped) {
            const slot *h = cal->heap;
            sim_event *ev = h[0].ev;
            if (h[0].time > until) {
                cal->now = until;
                return SIM_OK;
            }
            if (h[0].time != cal->now) {
                cal->before = cal->now;
                cal->same = 0;
                if (sim_sig_caught)
                    return SIM_EINTR;
            } else if ((++cal->same & (POLL_EVENTS - 1)) == 0) {
                if (sim_sig_caught)
                    return SIM_EINTR;
                if (cal->same >= cal->stall_limit
                    && cal->same >= STALL_PER_PENDING
                                        * (uint64_t)(cal->n + cal->far_n)) {
                    cal->same = 0;  /* re-armed: a diagnosis may run on */
                    return SIM_ESTALL;
                }
            }
            cal->now = h[0].time;
            cal->fired++;
            ev->pos = SIZE_MAX;     /* fired: no longer cancellable */
            cal->firing = FIRING;
            if (cal->n > cal->ahead_above)
                ahead(cal, h);
            ev->fn(cal, ev);
            if (cal->firing) {      /* it scheduled nothing: pop it */
                cal->firing = 0;
                if (--cal->n > 0)
                    sift_down(cal->heap, cal->n, 0, cal->heap[cal->n]);
            }
            release(cal, ev);
        }
        if (cal->stopped & STOP_ASKED)
            break;
        cal->stopped = 0;
        if (cal->n == 0 && cal->far_n == 0)
            break;
        if (balance(cal) < 0)
            return SIM_ENOMEM;
    }
    if (cal->n + cal->far_n == 0 && !cal->stopped && until > cal->now
        && isfinite(until)) {
        cal->drained = cal->now;
        cal->now = until;
    }
    return SIM_OK;
}

/* An event at the instant of the one before it has same > 0; one that
 * advanced the clock has same == 0 and the earlier instant in before. */
double sim_cal_before(const sim_cal *cal)
{
    return cal->same ? cal->now : cal->before;
}

double sim_cal_drained_at(const sim_cal *cal)
{
    return cal->drained;
}

void sim_cal_set_stall_limit(sim_cal *cal, uint64_t events)
{
    cal->stall_limit = events ? events : STALL_EVENTS;
}

void sim_cal_set_warm(sim_cal *cal, sim_handler fn, sim_warm warm)
{
    cal->warm_fn = warm ? fn : NULL;
    cal->warm = warm;
    cal->fetch_above = warm ? FETCH_READS - 1 : PREFETCH_PENDING;
    set_bounds(cal);
}

void sim_cal_stop(sim_cal *cal)
{
    cal->stopped |= STOP_ASKED;
}

uint64_t sim_cal_fired(const sim_cal *cal)
{
    return cal->fired;
}

size_t sim_cal_pending(const sim_cal *cal)
{
    return cal->n + cal->far_n - (cal->firing != 0);
}
