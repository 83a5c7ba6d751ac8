/*
 * mdl_bulkhead.h - a bulkhead with the semantics of Resilience4j's
 * SemaphoreBulkhead, on a call edge: at most max_concurrent attempts of
 * the edge are in flight, each holding a permit; an attempt that finds
 * none free waits up to max_wait for one, first come first served (the
 * fair semaphore, Resilience4j's default), or is refused at once when
 * max_wait is 0.
 *
 *   (attempt) --mdl_bulkhead_acquire--+--a permit is free--> HOLDING
 *                                     |--none, max_wait 0--> refused
 *                                     `--none, max_wait > 0--> WAITING
 *
 *   WAITING --a holder ends, it is first in line----------> HOLDING
 *             (mdl_bulkhead_release hands the permit over)
 *   WAITING --max_wait has passed (mdl_bulkhead_expire)---> refused
 *   WAITING --its attempt ends otherwise: timeout,
 *             deadline (mdl_bulkhead_leave)---------------> gone
 *   HOLDING --its attempt ends: answered, timed out or
 *             abandoned (mdl_bulkhead_release)------------> gone
 *
 * Permits are per attempt, not per call: a retry asks again. A refusal
 * is the outcome MDL_CALL_REJECTED (DESIGN.md: a full bulkhead is
 * rejected). Waiting attempts are kept in line in pooled records (no
 * allocation per attempt in steady state); a waiting call's c->park
 * points at its record.
 *
 * As a policy of an edge's chain (mdl_bulkhead_hook), it is the
 * innermost one, inside the breaker: Resilience4j's decorator order
 * Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))). The
 * breaker therefore records a refusal as a failed attempt, and an
 * attempt's timeout (the time limiter, outside) runs while it waits.
 *
 * Source: resilience4j/resilience4j, BulkheadConfig (defaults:
 * maxConcurrentCalls 25, maxWaitDuration 0, fairCallHandlingEnabled
 * true) and SemaphoreBulkhead.
 */
#ifndef MDL_BULKHEAD_H
#define MDL_BULKHEAD_H
#include "../sim/sim_cal.h"
#include "mdl_call.h"
#include "mdl_net.h"
#include "mdl_policy.h"
#include "mdl_pool.h"
#include "mdl_scenario.h"

typedef struct mdl_bulkhead_waiter mdl_bulkhead_waiter;

typedef struct mdl_bulkhead {
    const mdl_bulkhead_policy *p;   /* read-only */
    long held;              /* read-only: permits held */
    long waiting;           /* read-only: attempts in line */
    /* private */
    mdl_bulkhead_waiter *head, *tail;
    mdl_pool waiters;
    mdl_net *net;           /* the engine, for the hook's timer */
    sim_event *timer;       /* the hook's expiry timer, or NULL */
} mdl_bulkhead;

/* An empty bulkhead with policy p (borrowed). */
void mdl_bulkhead_init(mdl_bulkhead *b, const mdl_bulkhead_policy *p);
void mdl_bulkhead_destroy(mdl_bulkhead *b);
/* No permit held, nobody in line: for a replication starting at 0 (its
 * calendar new, the hook's timer forgotten). */
void mdl_bulkhead_start(mdl_bulkhead *b);

/* c's attempt asks for a permit at now: MDL_PASS (it holds one),
 * MDL_CALL_REJECTED (refused), MDL_WAIT (in line, c->park set) or
 * SIM_ENOMEM (nothing changed). Keeps c until it leaves the line. */
int mdl_bulkhead_acquire(mdl_bulkhead *b, mdl_call *c, double now);
/* An attempt holding a permit ended: the call first in line, which
 * holds the permit now (off the line, c->park cleared), or NULL. */
mdl_call *mdl_bulkhead_release(mdl_bulkhead *b);
/* c, in line, stops waiting (its attempt ended): off the line, c->park
 * cleared. */
void mdl_bulkhead_leave(mdl_bulkhead *b, const mdl_call *c);
/* The call first in line if it has waited max_wait by now: off the
 * line, c->park cleared, refused; else NULL. */
mdl_call *mdl_bulkhead_expire(mdl_bulkhead *b, double now);
/* When the first in line will have waited max_wait (s); +inf when
 * nobody waits. Later ones in line expire no earlier. */
double mdl_bulkhead_next_expiry(const mdl_bulkhead *b);

/* b as the innermost policy of an edge's chain (mdl_policy.h) in net:
 * attempts ask it for permits and give them back as they end; it
 * resumes waiting calls (mdl__call_resume) when a permit is handed over
 * or max_wait passes, on a timer of its own. */
mdl_policy mdl_bulkhead_hook(mdl_bulkhead *b, mdl_net *net);

#endif /* MDL_BULKHEAD_H */
