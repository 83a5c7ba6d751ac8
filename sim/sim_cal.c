/*
 * sim_cal.c - event calendar: a binary min-heap of (time, event) slots
 * keyed on (time, seq), over a pool of events allocated in chunks.
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
 * schedules takes its slot and sifts down, one sift instead of the
 * pop's and the push's; most handlers schedule one (the next arrival,
 * the next completion). Only a handler that schedules none pops.
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
 * Freed events go on a singly linked free list threaded through `pos`
 * (reinterpreted as a pointer); chunks are only released by
 * sim_cal_free(), so steady state does no allocation.
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

typedef struct chunk {
    struct chunk *next;
    sim_event ev[CHUNK_EVENTS];
} chunk;

/* A heap slot: the event and its time. */
typedef struct slot {
    double time;
    sim_event *ev;
} slot;

struct sim_cal {
    double now;
    uint64_t seq, fired;
    slot *heap;             /* root at heap[0], children of i at 2i + 1
                               and 2i + 2; block + HEAP_PAD */
    slot *block;            /* owned: sim_mem's, from a line */
    size_t n, cap;
    sim_event *free_list;
    chunk *chunks;
    int stopped;
    int firing;             /* heap[0] is the event being handled */
    uint64_t same;          /* events fired at the current instant */
    double drained;         /* when the calendar last ran empty (s) */
    double before;          /* the clock before it last advanced (s) */
    uint64_t stall_limit;
    sim_handler warm_fn;    /* events of this handler are warmed; NULL
                               (no handler) when there is no warm */
    sim_warm warm;          /* NULL: none */
    size_t fetch_above;     /* fetch ahead with more events pending */
};

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
    if (!(cal->block = heap_block(cal->cap))) {
        free(cal);
        return NULL;
    }
    cal->heap = cal->block + HEAP_PAD;
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

/* The pool or the heap is full: grow it, then schedule. Out of line, so
 * that the common path makes no call and keeps its arguments in the
 * registers they came in. */
static __attribute__((noinline)) sim_event *
schedule_grown(sim_cal *cal, double delay, sim_handler fn, void *obj,
               long arg)
{
    if (!cal->free_list && grow_pool(cal) < 0)
        return NULL;
    if (!cal->firing && cal->n == cal->cap) {
        slot *b = heap_block(2 * cal->cap);
        if (!b)
            return NULL;
        memcpy(b + HEAP_PAD, cal->heap, cal->n * sizeof *b);
        sim_mem_free(cal->block);
        cal->block = b;
        cal->heap = b + HEAP_PAD;
        cal->cap *= 2;
    }
    return sim_cal_schedule(cal, delay, fn, obj, arg);
}

sim_event *sim_cal_schedule(sim_cal *cal, double delay, sim_handler fn,
                            void *obj, long arg)
{
    sim_event *ev = cal->free_list;
    slot s;

    if (__builtin_expect(!ev || (!cal->firing && cal->n == cal->cap), 0))
        return schedule_grown(cal, delay, fn, obj, arg);
    cal->free_list = (sim_event *)ev->pos;
    s.time = cal->now + delay;
    s.ev = ev;
    ev->seq = cal->seq++;
    ev->fn = fn;
    ev->obj = obj;
    ev->arg = arg;
    if (cal->firing) {
        cal->firing = 0;
        sift_down(cal->heap, cal->n, 0, s);
    } else {
        sift_up(cal->heap, cal->n++, s);
    }
    return ev;
}

static inline void release(sim_cal *cal, sim_event *ev)
{
    ev->pos = (size_t)cal->free_list;
    cal->free_list = ev;
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

void sim_cal_cancel(sim_cal *cal, sim_event *ev)
{
    size_t i = ev->pos;
    slot last;

    check_pending(cal, ev);
    last = cal->heap[--cal->n];
    if (last.ev != ev)          /* the last event fills the hole */
        resettle(cal, i, last);
    release(cal, ev);
}

void sim_cal_reschedule(sim_cal *cal, sim_event *ev, double delay)
{
    slot s = { cal->now + delay, ev };

    check_pending(cal, ev);
    ev->seq = cal->seq++;
    resettle(cal, ev->pos, s);
}

double sim_cal_now(const sim_cal *cal)
{
    return cal->now;
}

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
    const char *a;

    for (k = 2 * next + 1; k <= 2 * next + 2; k++)
        if (h[k].time < h[after].time)
            after = k;
    a = h[after].ev->obj;
    sim_mem_prefetch(a);
    sim_mem_prefetch(a + SIM_MEM_LINE);
    a = ev->obj;
    sim_mem_prefetch(a);
    sim_mem_prefetch(a + SIM_MEM_LINE);
    if (ev->fn == cal->warm_fn)
        cal->warm(ev);
}

int sim_cal_run(sim_cal *cal, double until)
{
    cal->stopped = 0;
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
                && cal->same >= STALL_PER_PENDING * (uint64_t)cal->n) {
                cal->same = 0;  /* re-armed: a diagnosis may run on */
                return SIM_ESTALL;
            }
        }
        cal->now = h[0].time;
        cal->fired++;
        ev->pos = SIZE_MAX;     /* fired: no longer cancellable */
        cal->firing = 1;
        if (cal->n > cal->fetch_above)
            fetch_ahead(cal, h);
        ev->fn(cal, ev);
        if (cal->firing) {      /* it scheduled nothing: pop it */
            cal->firing = 0;
            if (--cal->n > 0)
                sift_down(cal->heap, cal->n, 0, cal->heap[cal->n]);
        }
        release(cal, ev);
    }
    if (cal->n == 0 && !cal->stopped && until > cal->now && isfinite(until)) {
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
}

void sim_cal_stop(sim_cal *cal)
{
    cal->stopped = 1;
}

uint64_t sim_cal_fired(const sim_cal *cal)
{
    return cal->fired;
}

size_t sim_cal_pending(const sim_cal *cal)
{
    return cal->n - (size_t)cal->firing;
}
