/*
 * mdl_breaker.c - Resilience4j's circuit breaker (see mdl_breaker.h).
 *
 * Rates are percentages of the outcomes in the window (CLOSED) or of the
 * half_open_calls outcomes (HALF_OPEN), compared with >= as Resilience4j
 * does. A count-based window is a ring of the last `window` outcomes; a
 * time-based one `window` buckets of one second, a bucket emptied (its
 * counts taken off the totals) when the second it holds has left the
 * window.
 */
#include <math.h>
#include <stdlib.h>
#include "../sim/sim_err.h"
#include "mdl_breaker.h"

int mdl_breaker_init(mdl_breaker *b, const mdl_breaker_policy *p)
{
    b->p = p;
    b->ring = NULL;
    b->buckets = NULL;
    if (p->time_based)
        b->buckets = malloc((size_t)p->window * sizeof *b->buckets);
    else
        b->ring = malloc((size_t)p->window);
    if (!b->ring && !b->buckets)
        return SIM_ENOMEM;
    mdl_breaker_start(b);
    return SIM_OK;
}

void mdl_breaker_destroy(mdl_breaker *b)
{
    free(b->ring);
    free(b->buckets);
    b->ring = NULL;
    b->buckets = NULL;
}

/* An empty window. */
static void clear(mdl_breaker *b)
{
    long i;

    b->calls = b->failed = b->slow = 0;
    b->head = b->n = 0;
    for (i = 0; b->buckets && i < b->p->window; i++)
        b->buckets[i].epoch = -1;
    b->last_epoch = -1;
}

void mdl_breaker_start(mdl_breaker *b)
{
    b->state = MDL_BREAKER_CLOSED;
    b->opened_at = 0;
    b->half_permits = b->half_calls = b->half_failed = b->half_slow = 0;
    clear(b);
    b->open_twa.value = 0;
    mdl_breaker_reset_stats(b, 0.0);
}

void mdl_breaker_reset_stats(mdl_breaker *b, double now)
{
    b->short_circuited = 0;
    sim_twa_reset(&b->open_twa, now);
}

static void set_state(mdl_breaker *b, int state, double now)
{
    b->state = state;
    sim_twa_set(&b->open_twa, now, state == MDL_BREAKER_OPEN);
    if (state == MDL_BREAKER_OPEN) {
        b->opened_at = now;
    } else if (state == MDL_BREAKER_HALF_OPEN) {
        b->half_permits = 0;
        b->half_calls = b->half_failed = b->half_slow = 0;
    } else {
        clear(b);
    }
}

/* Do these counts open the breaker: a rate at or above its threshold? */
static int trips(const mdl_breaker *b, long calls, long failed, long slow)
{
    return 100.0 * (double)failed / (double)calls >= b->p->failure_rate
           || 100.0 * (double)slow / (double)calls >= b->p->slow_rate;
}

/* Drop from the totals the buckets whose second has left the window
 * ending in second epoch. */
static void advance(mdl_breaker *b, long epoch)
{
    long e, from = b->last_epoch + 1, w = b->p->window;

    if (epoch <= b->last_epoch)
        return;
    if (epoch - from >= w)
        from = epoch - w + 1;   /* the whole window turns over */
    for (e = from; e <= epoch; e++) {
        mdl_breaker_bucket *k = &b->buckets[e % w];
        if (k->epoch >= 0) {
            b->calls -= k->calls;
            b->failed -= k->failed;
            b->slow -= k->slow;
        }
        k->epoch = e;
        k->calls = k->failed = k->slow = 0;
    }
    b->last_epoch = epoch;
}

/* Add an outcome to the CLOSED window. */
static void add(mdl_breaker *b, double now, int failed, int slow)
{
    if (b->p->time_based) {
        long epoch = (long)floor(now);
        mdl_breaker_bucket *k;
        advance(b, epoch);
        k = &b->buckets[epoch % b->p->window];
        k->calls++;
        k->failed += failed;
        k->slow += slow;
    } else {
        if (b->n == b->p->window) {         /* the oldest leaves */
            unsigned char old = b->ring[b->head];
            b->calls--;
            b->failed -= old & 1;
            b->slow -= old >> 1;
        } else {
            b->n++;
        }
        b->ring[b->head] = (unsigned char)(failed | slow << 1);
        b->head = (b->head + 1) % b->p->window;
    }
    b->calls++;
    b->failed += failed;
    b->slow += slow;
}

int mdl_breaker_permit(mdl_breaker *b, double now)
{
    switch (b->state) {
    case MDL_BREAKER_OPEN:
        if (now < b->opened_at + b->p->open_for)
            break;
        /* The first attempt after the wait is a trial. */
        set_state(b, MDL_BREAKER_HALF_OPEN, now);
        __attribute__((fallthrough));
    case MDL_BREAKER_HALF_OPEN:
        if (b->half_permits < b->p->half_open_calls) {
            b->half_permits++;
            return 1;
        }
        break;
    default:
        return 1;
    }
    b->short_circuited++;
    return 0;
}

void mdl_breaker_record(mdl_breaker *b, double now, int failed,
                        double duration)
{
    int slow = duration > b->p->slow_duration;
    long min;

    switch (b->state) {
    case MDL_BREAKER_CLOSED:
        add(b, now, failed, slow);
        min = b->p->min_calls;
        if (!b->p->time_based && min > b->p->window)
            min = b->p->window;
        if (b->calls >= min && trips(b, b->calls, b->failed, b->slow))
            set_state(b, MDL_BREAKER_OPEN, now);
        break;
    case MDL_BREAKER_HALF_OPEN:
        b->half_calls++;
        b->half_failed += failed;
        b->half_slow += slow;
        if (b->half_calls >= b->p->half_open_calls)
            set_state(b, trips(b, b->half_calls, b->half_failed,
                               b->half_slow)
                         ? MDL_BREAKER_OPEN : MDL_BREAKER_CLOSED, now);
        break;
    default:
        break;                  /* permitted before it opened */
    }
}

void mdl_breaker_release(mdl_breaker *b)
{
    if (b->state == MDL_BREAKER_HALF_OPEN && b->half_permits > b->half_calls)
        b->half_permits--;
}

static int hook_start(void *self, mdl_call *c, double now)
{
    (void)c;
    return mdl_breaker_permit(self, now) ? MDL_PASS : MDL_CALL_REJECTED;
}

static void hook_end(void *self, const mdl_call *c, int outcome, double now)
{
    if (outcome == MDL_CALL_PENDING)
        mdl_breaker_release(self);
    else
        mdl_breaker_record(self, now, outcome != MDL_CALL_OK,
                           now - c->t_attempt);
}

mdl_policy mdl_breaker_hook(mdl_breaker *b)
{
    mdl_policy p = { hook_start, hook_end, b };

    return p;
}
