/*
 * mdl_bulkhead.c - Resilience4j's semaphore bulkhead (see
 * mdl_bulkhead.h): a count of permits held and a line of waiting
 * attempts, doubly linked so that one whose timeout passes leaves from
 * anywhere in it.
 *
 * A permit given back while someone waits goes to the first in line at
 * once (the count stays): a fair semaphore's hand-over, so an attempt
 * arriving at the same instant cannot take it first. Everyone waits the
 * same max_wait and joins at the end, so the line is also in order of
 * expiry: one timer, for the first in line, serves them all. The timer
 * is lazy: set for the first in line when it has none, it is not moved
 * when the first leaves early, and when it fires it refuses those whose
 * time has come and is set again for the new first.
 */
#include <math.h>
#include "../sim/sim_err.h"
#include "mdl_bulkhead.h"
#include "mdl_int.h"

struct mdl_bulkhead_waiter {
    mdl_bulkhead_waiter *next;  /* first: the pool's link while free */
    mdl_bulkhead_waiter *prev;
    mdl_call *c;
    double until;           /* s: max_wait has passed */
};

void mdl_bulkhead_init(mdl_bulkhead *b, const mdl_bulkhead_policy *p)
{
    b->p = p;
    b->net = NULL;
    mdl_pool_init(&b->waiters, sizeof(mdl_bulkhead_waiter));
    mdl_bulkhead_start(b);
}

void mdl_bulkhead_destroy(mdl_bulkhead *b)
{
    mdl_pool_clear(&b->waiters);
}

void mdl_bulkhead_start(mdl_bulkhead *b)
{
    mdl_pool_clear(&b->waiters);
    b->held = b->waiting = 0;
    b->head = b->tail = NULL;
    b->timer = NULL;
}

int mdl_bulkhead_acquire(mdl_bulkhead *b, mdl_call *c, double now)
{
    mdl_bulkhead_waiter *w;

    if (b->held < b->p->max_concurrent) {
        b->held++;
        return MDL_PASS;
    }
    if (!(b->p->max_wait > 0))
        return MDL_CALL_REJECTED;
    if (!(w = mdl_pool_get(&b->waiters)))
        return SIM_ENOMEM;
    w->c = c;
    w->until = now + b->p->max_wait;
    w->next = NULL;
    w->prev = b->tail;
    if (b->tail)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
    b->waiting++;
    c->park = w;
    return MDL_WAIT;
}

/* Take w off the line and give it back to the pool; its call's. */
static mdl_call *unlink_waiter(mdl_bulkhead *b, mdl_bulkhead_waiter *w)
{
    mdl_call *c = w->c;

    if (w->prev)
        w->prev->next = w->next;
    else
        b->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        b->tail = w->prev;
    b->waiting--;
    c->park = NULL;
    mdl_pool_put(&b->waiters, w);
    return c;
}

mdl_call *mdl_bulkhead_release(mdl_bulkhead *b)
{
    SIM_INVARIANT(b->held > 0);
    if (b->head)
        return unlink_waiter(b, b->head);   /* the permit changes hands */
    b->held--;
    return NULL;
}

void mdl_bulkhead_leave(mdl_bulkhead *b, const mdl_call *c)
{
    mdl_bulkhead_waiter *w = c->park;

    SIM_INVARIANT(w && w->c == c);
    unlink_waiter(b, w);
}

mdl_call *mdl_bulkhead_expire(mdl_bulkhead *b, double now)
{
    if (!b->head || now < b->head->until)
        return NULL;
    return unlink_waiter(b, b->head);
}

double mdl_bulkhead_next_expiry(const mdl_bulkhead *b)
{
    return b->head ? b->head->until : INFINITY;
}

/* ---- the bulkhead as a policy of the chain ---- */

static void on_expiry(sim_cal *cal, sim_event *ev);

/* Set the timer for the first in line, unless it is set. */
static void arm(mdl_bulkhead *b, double now)
{
    double at = mdl_bulkhead_next_expiry(b);

    if (b->timer || at == INFINITY)
        return;
    b->timer = mdl__schedule(b->net, at > now ? at - now : 0, on_expiry,
                             b, 0);
}

/* Refuse those whose max_wait has passed, first in line first. A refused
 * call may at once make another call on the edge, which queues or takes
 * a permit: the line is read afresh each time. */
static void on_expiry(sim_cal *cal, sim_event *ev)
{
    mdl_bulkhead *b = ev->obj;
    double now = sim_cal_now(cal);
    mdl_call *c;

    b->timer = NULL;            /* the calendar releases ev itself */
    while ((c = mdl_bulkhead_expire(b, now)))
        mdl__call_resume(b->net, c, MDL_CALL_REJECTED, now);
    arm(b, now);
}

static int hook_start(void *self, mdl_call *c, double now)
{
    mdl_bulkhead *b = self;
    int rc = mdl_bulkhead_acquire(b, c, now);

    if (rc == MDL_WAIT)
        arm(b, now);
    else if (rc == SIM_ENOMEM) {
        mdl__nomem(b->net);
        rc = MDL_CALL_REJECTED;
    }
    return rc;
}

/* The attempt ended: out of the line if it waited, else its permit goes
 * to the first in line, which goes on at once. */
static void hook_end(void *self, const mdl_call *c, int outcome, double now)
{
    mdl_bulkhead *b = self;
    mdl_call *next;

    (void)outcome;
    if (c->park) {
        mdl_bulkhead_leave(b, c);
        return;
    }
    if ((next = mdl_bulkhead_release(b)))
        mdl__call_resume(b->net, next, MDL_PASS, now);
}

mdl_policy mdl_bulkhead_hook(mdl_bulkhead *b, mdl_net *net)
{
    mdl_policy p = { hook_start, hook_end, b };

    b->net = net;
    return p;
}
