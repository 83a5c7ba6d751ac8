/*
 * sim_cal.c - event calendar: a binary min-heap of event pointers keyed on
 * (time, seq), over a pool of events allocated in chunks.
 *
 * Why a binary heap: microservice models keep few pending events per
 * station (one arrival per source, one completion per busy worker, a
 * timeout per call), so the heap stays small and shallow; bench/bench_cal
 * measures hold-model throughput against the pending-set size. Each event
 * records its heap slot, so cancellation (timeouts) removes it in
 * O(log n) instead of leaving tombstones that would grow the heap.
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
 * events ago. While a handler runs, the first two lines of the payloads
 * of the root's two children, one of which is usually next, are fetched
 * ahead (a prefetch never faults, whatever obj holds). A visit keeps
 * there what its completion reads first. A model with few pending events
 * skips it: its payloads stay in cache.
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
#include "sim_cal.h"
#include "sim_err.h"
#include "sim_sig.h"

#define CHUNK_EVENTS 1024
#define POLL_EVENTS 1024            /* a power of two */
#define STALL_EVENTS 10000000ULL    /* default limit: about 1 s of events */
#define STALL_PER_PENDING 64
#define PREFETCH_PENDING 256        /* a model too large for the caches */

typedef struct chunk {
    struct chunk *next;
    sim_event ev[CHUNK_EVENTS];
} chunk;

struct sim_cal {
    double now;
    uint64_t seq, fired;
    sim_event **heap;
    size_t n, cap;
    sim_event *free_list;
    chunk *chunks;
    int stopped;
    int firing;             /* heap[0] is the event being handled */
    uint64_t same;          /* events fired at the current instant */
    double drained;         /* when the calendar last ran empty (s) */
    double before;          /* the clock before it last advanced (s) */
    uint64_t stall_limit;
};

sim_cal *sim_cal_new(void)
{
    sim_cal *cal = calloc(1, sizeof *cal);

    if (!cal)
        return NULL;
    cal->cap = 64;
    cal->stall_limit = STALL_EVENTS;
    cal->heap = malloc(cal->cap * sizeof *cal->heap);
    if (!cal->heap) {
        free(cal);
        return NULL;
    }
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
    free(cal->heap);
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

static inline int before(const sim_event *a, const sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Move ev up from slot i until its parent is earlier. */
static inline void sift_up(sim_event **h, size_t i, sim_event *ev)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(ev, h[parent]))
            break;
        h[i] = h[parent];
        h[i]->pos = i;
        i = parent;
    }
    h[i] = ev;
    ev->pos = i;
}

/* Move ev down from slot i until both children are later. */
static inline void sift_down(sim_event **h, size_t n, size_t i, sim_event *ev)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(h[child + 1], h[child]))
            child++;
        if (!before(h[child], ev))
            break;
        h[i] = h[child];
        h[i]->pos = i;
        i = child;
    }
    h[i] = ev;
    ev->pos = i;
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
        sim_event **h = realloc(cal->heap, 2 * cal->cap * sizeof *h);
        if (!h)
            return NULL;
        cal->heap = h;
        cal->cap *= 2;
    }
    return sim_cal_schedule(cal, delay, fn, obj, arg);
}

sim_event *sim_cal_schedule(sim_cal *cal, double delay, sim_handler fn,
                            void *obj, long arg)
{
    sim_event *ev = cal->free_list;

    if (__builtin_expect(!ev || (!cal->firing && cal->n == cal->cap), 0))
        return schedule_grown(cal, delay, fn, obj, arg);
    cal->free_list = (sim_event *)ev->pos;
    ev->time = cal->now + delay;
    ev->seq = cal->seq++;
    ev->fn = fn;
    ev->obj = obj;
    ev->arg = arg;
    if (cal->firing) {
        cal->firing = 0;
        sift_down(cal->heap, cal->n, 0, ev);
    } else {
        sift_up(cal->heap, cal->n++, ev);
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
    if (ev->pos >= cal->n || cal->heap[ev->pos] != ev)
        sim_panic(__FILE__, __LINE__, "cancel or reschedule of an event "
                  "that is not pending");
}

void sim_cal_cancel(sim_cal *cal, sim_event *ev)
{
    size_t i = ev->pos;
    sim_event *last;

    check_pending(cal, ev);
    last = cal->heap[--cal->n];
    if (last != ev) {
        /* The last event fills the hole and moves whichever way it must. */
        if (i > 0 && before(last, cal->heap[(i - 1) / 2]))
            sift_up(cal->heap, i, last);
        else
            sift_down(cal->heap, cal->n, i, last);
    }
    release(cal, ev);
}

void sim_cal_reschedule(sim_cal *cal, sim_event *ev, double delay)
{
    size_t i = ev->pos;

    check_pending(cal, ev);
    ev->time = cal->now + delay;
    ev->seq = cal->seq++;
    if (i > 0 && before(ev, cal->heap[(i - 1) / 2]))
        sift_up(cal->heap, i, ev);
    else
        sift_down(cal->heap, cal->n, i, ev);
}

double sim_cal_now(const sim_cal *cal)
{
    return cal->now;
}

int sim_cal_run(sim_cal *cal, double until)
{
    cal->stopped = 0;
    while (cal->n > 0 && !cal->stopped) {
        sim_event *ev = cal->heap[0];
        if (ev->time > until) {
            cal->now = until;
            return SIM_OK;
        }
        if (ev->time != cal->now) {
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
        cal->now = ev->time;
        cal->fired++;
        ev->pos = SIZE_MAX;     /* fired: no longer cancellable */
        cal->firing = 1;
        if (cal->n > PREFETCH_PENDING) {
            uintptr_t a = (uintptr_t)cal->heap[1]->obj;
            uintptr_t b = (uintptr_t)cal->heap[2]->obj;
            __builtin_prefetch((const void *)a);
            __builtin_prefetch((const void *)(a + 64));
            __builtin_prefetch((const void *)b);
            __builtin_prefetch((const void *)(b + 64));
        }
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
