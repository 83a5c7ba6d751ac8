/*
 * mdl_call.c - the caller's side of a call (see mdl_call.h): start it
 * through the edge's policy chain, send a visit to a replica of the
 * callee, and deliver the answer back to the waiting visit.
 *
 * Answers: when the callee's chain ends, mdl__call_answer() checks the
 * call's generation (a call abandoned and freed meanwhile, perhaps
 * reused, has another, and the answer goes nowhere) and settles the call
 * at once, or schedules on_answer, stamped with the generation, which
 * checks it again when it fires. The event is for answers that must not
 * run inside the caller's own steps (a refusal while the caller is still
 * sending a stage's calls) and for anything that sits between a reply
 * and its caller (a network, a protocol). An answer at once is what the
 * event would do at the same instant, without a calendar entry per call:
 * it keeps call-heavy models a third faster.
 *
 * An edge with count n makes its n calls one after another: each
 * successful answer starts the next; a failed one ends the sequence,
 * unless the edge falls back: a call that fails in the end (after its
 * retries) is then answered locally, and the caller goes on as after a
 * success, its visit degraded. Degradation travels up with answers
 * (mdl_visit.c): a success that a fallback made in part degrades the
 * caller's visit in turn, up to the request.
 *
 * Hedging (mdl_hedge.h): a hedged call's attempts are call objects of
 * their own, so that each has its callee, timer, policy state and
 * generation, and the answer of one that lost goes nowhere as any
 * abandoned attempt's does. A model without hedges pays two tests of
 * net->hedge, one as a call starts and one as its attempt ends.
 */
#include <math.h>
#include "../sim/sim_err.h"
#include "mdl_hedge.h"
#include "mdl_int.h"

static void unlink_call(visit *parent, mdl_call *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        parent->calls = c->next;
    if (c->next)
        c->next->prev = c->prev;
}

/* c has ended: free it, its timer cancelled. */
static void call_end(mdl_net *net, mdl_call *c)
{
    if (c->timer)
        sim_cal_cancel(net->cal, c->timer);
    c->timer = NULL;
    unlink_call(c->parent, c);
    c->gen++;
    mdl_pool_put(&net->calls, c);
}

/* Why the caller's request fails when c failed it: a timeout here, or
 * the cause the callee's answer carried (a refusal deep down makes the
 * request rejected), or, for a refusal here, a rejection. */
static int cause_of(const mdl_call *c)
{
    if (c->outcome == MDL_CALL_TIMEOUT)
        return MDL_REQ_TIMED_OUT;
    if (c->cause)
        return c->cause;
    return c->outcome == MDL_CALL_REJECTED ? MDL_REQ_REJECTED
                                           : MDL_REQ_FAILED;
}

/* The parent's call c ended: count it, go on with the sequence on its
 * edge, or join. */
static void settle(mdl_net *net, mdl_call *c, double now)
{
    edge_rt *es = &net->es[c->edge];
    visit *parent = c->parent;
    int e = c->edge, left = c->left;

    es->attempts += c->sent;
    net->call_attempts += c->sent;
    net->call_ended++;
    if (c->refused)             /* its line is cold: most never are */
        es->short_circuited += c->refused;
    es->retry.active--;
    es->retry.retrying -= c->retrying;
    if (c->outcome == MDL_CALL_OK) {
        es->ok++;
        sim_tally_add(&es->lat, now - c->t_start);
    } else {
        es->failed++;
        es->timeouts += c->outcome == MDL_CALL_TIMEOUT;
        es->errors += c->outcome == MDL_CALL_ERROR;
        es->rejected += c->outcome == MDL_CALL_REJECTED;
        if (es->fallback) {
            parent->degraded = MDL_REQ_DEGRADED;
        } else {
            if (!parent->cause)
                parent->cause = cause_of(c);
            left = 0;           /* the rest of the sequence is off */
        }
    }
    call_end(net, c);
    if (left > 0) {
        mdl__call_start(net, parent, e, left - 1, now);
        return;
    }
    SIM_INVARIANT(parent->pending > 0);
    if (--parent->pending == 0)
        mdl__visit_joined(net, parent, now);
}

static void on_timer(sim_cal *cal, sim_event *ev);
static void on_backoff(sim_cal *cal, sim_event *ev);
static void hedge_end(mdl_net *net, mdl_call *a, int outcome, int cause,
                      double now);
static void answer_later(mdl_net *net, mdl_call *c, unsigned gen,
                         int outcome);

/* Stop waiting for c's attempt on edge es, begun now, at its timeout or
 * the deadline, whichever comes first (if either). */
static inline void arm_attempt(mdl_net *net, const edge_rt *es, mdl_call *c,
                               double now)
{
    double wait = c->deadline - now;

    if (es->timeout > 0 && es->timeout < wait)
        wait = es->timeout;
    if (wait < INFINITY)
        mdl__call_arm(net, c, wait > 0 ? wait : 0);
}

/* Send c's attempt to a replica of the callee, picked afresh (Envoy),
 * and wait until its timeout or the deadline; armed: that timer runs
 * already (the attempt waited for a permit). */
static inline void send(mdl_net *net, const edge_rt *es, mdl_call *c,
                        double now, int armed)
{
    visit *v;

    c->sent++;
    if (es->partitioned) {
        /* Across a partition the connection fails at once. */
        c->cause = MDL_REQ_FAILED;
        answer_later(net, c, c->gen, MDL_CALL_ERROR);
        return;
    }
    if (!(v = mdl__visit_new(net, c->parent->fl, c)))
        return;
    c->callee = v;
    if (!armed)
        arm_attempt(net, es, c, now);
    mdl__visit_arrive(net, v, es->to, now);
}

/* Start attempt c->attempt: through the edge's policies, then out. */
static void attempt_start(mdl_net *net, mdl_call *c, double now)
{
    edge_rt *es = &net->es[c->edge];

    c->t_attempt = now;
    c->replica = -1;
    c->seen = 0;
    c->refused = 0;
    c->cause = 0;               /* none from an earlier attempt */
    if (es->chain.n) {
        int rc = mdl_chain_start(&es->chain, c, now, &c->seen);
        if (rc == MDL_WAIT) {
            /* Parked (a full bulkhead): its timeout and deadline run
             * while it waits; mdl__call_resume() goes on. */
            arm_attempt(net, es, c, now);
            return;
        }
        if (rc != MDL_PASS) {
            /* Refused before it went out (a breaker short-circuits it);
             * answered like any attempt, so the caller never goes on
             * inside its own loop of calls. */
            c->refused = 1;
            answer_later(net, c, c->gen, rc);
            return;
        }
    }
    send(net, es, c, now, 0);
}

/* The current attempt of c ended with outcome (cause: why its callee
 * failed, if it did): try again after a backoff if the policy allows and
 * the deadline has not passed, else settle the call. */
static void attempt_end(mdl_net *net, mdl_call *c, int outcome, int cause,
                        double now)
{
    edge_rt *es = &net->es[c->edge];

    SIM_INVARIANT(c->outcome == MDL_CALL_PENDING);
    c->callee = NULL;
    if (__builtin_expect(c->replica >= 0, 0))
        mdl__outlier_attempt_end(net, c, outcome, now);
    if (__builtin_expect(net->hedge != NULL, 0) && net->hedge[c->edge]) {
        hedge_end(net, c, outcome, cause, now);
        return;
    }
    if (c->seen)
        mdl_chain_end(&es->chain, c, outcome, now, c->seen);
    SIM_INVARIANT(!c->park);    /* a parked attempt's policy let go */
    c->seen = 0;
    if (es->retry.p) {
        mdl_retry_count(&es->retry, outcome);
        if (outcome != MDL_CALL_OK && now < c->deadline
            && mdl_retry_allows(&es->retry, outcome, c->attempt,
                                c->retrying)) {
            double wait = mdl_retry_backoff(&es->retry, c->attempt,
                                            &c->parent->sv->rng[SV_RETRY].r);
            if (!c->retrying) {
                c->retrying = 1;
                es->retry.retrying++;
            }
            if (c->timer)
                sim_cal_cancel(net->cal, c->timer);
            c->gen++;           /* the ended attempt's answers go nowhere */
            c->attempt++;
            if (wait > c->deadline - now)
                wait = c->deadline - now;
            c->timer = mdl__schedule(net, wait, on_backoff, c, (long)c->gen);
            return;
        }
    }
    c->outcome = outcome;
    c->cause = cause;
    settle(net, c, now);
}

#define OUTCOME_BITS 3

static void on_answer(sim_cal *cal, sim_event *ev)
{
    mdl_call *c = ev->obj;
    unsigned gen = (unsigned)(ev->arg >> OUTCOME_BITS);

    if (c->gen != gen)
        return;                 /* abandoned: the answer goes nowhere */
    attempt_end(c->parent->sv->net, c,
                (int)(ev->arg & ((1 << OUTCOME_BITS) - 1)), c->cause,
                sim_cal_now(cal));
}

/* Deliver outcome to c's caller as an event (generation and outcome
 * travel in the event's argument, the cause in c). */
static void answer_later(mdl_net *net, mdl_call *c, unsigned gen,
                         int outcome)
{
    SIM_INVARIANT(outcome > MDL_CALL_PENDING
                  && outcome < 1 << OUTCOME_BITS);
    mdl__schedule(net, 0.0, on_answer, c,
                  (long)((unsigned long)gen << OUTCOME_BITS
                         | (unsigned long)outcome));
}

/* The attempt's timeout or the call's deadline: the caller stops
 * waiting; the callee's visit goes on as an orphan, its answer finding
 * another generation. */
static void on_timer(sim_cal *cal, sim_event *ev)
{
    mdl_call *c = ev->obj;

    /* A call that ends cancels its timer: this one is still waited on. */
    SIM_INVARIANT(c->timer == ev && c->gen == (unsigned)ev->arg
                  && c->outcome == MDL_CALL_PENDING);
    c->timer = NULL;            /* the calendar releases ev itself */
    attempt_end(c->parent->sv->net, c, MDL_CALL_TIMEOUT, 0,
                sim_cal_now(cal));
}

/* The backoff is over: the next attempt, unless the deadline came
 * first. */
static void on_backoff(sim_cal *cal, sim_event *ev)
{
    mdl_call *c = ev->obj;
    mdl_net *net = c->parent->sv->net;
    double now = sim_cal_now(cal);

    SIM_INVARIANT(c->timer == ev && c->gen == (unsigned)ev->arg
                  && c->outcome == MDL_CALL_PENDING);
    c->timer = NULL;
    if (now >= c->deadline) {
        c->outcome = MDL_CALL_TIMEOUT;
        c->cause = 0;
        settle(net, c, now);
        return;
    }
    attempt_start(net, c, now);
}

/* ---- hedging (mdl_hedge.h): cold, on hedged edges only ---- */

static void on_hedge(sim_cal *cal, sim_event *ev);

/* Attempt a of a hedged call is over: free it, out of its call's list;
 * its callee, if still at work, goes on as an orphan. */
static void try_free(mdl_net *net, mdl_call *a)
{
    if (a->timer)
        sim_cal_cancel(net->cal, a->timer);
    a->timer = NULL;
    if (a->prev)
        a->prev->next = a->next;
    else
        a->hedge->tries = a->next;
    if (a->next)
        a->next->prev = a->prev;
    a->gen++;
    mdl_pool_put(&net->calls, a);
}

/* Send hedged call h's next attempt, a call object of its own, and
 * schedule the one after it unless it is the last or would go at or
 * past the deadline. */
static __attribute__((noinline)) void hedge_send(mdl_net *net, mdl_call *h,
                                                  double now)
{
    mdl_call *a = mdl_pool_get(&net->calls);
    double wait;

    if (!a) {
        mdl__nomem(net);
        return;
    }
    a->parent = h->parent;
    a->callee = NULL;
    a->edge = h->edge;
    a->left = h->left;
    a->attempt = ++h->attempt;
    a->retrying = 0;
    a->t_start = now;
    a->deadline = h->deadline;
    a->timer = NULL;
    a->outcome = MDL_CALL_PENDING;
    a->cause = 0;
    a->sent = 0;
    SIM_INVARIANT(!a->park);
    a->hedge = h;
    a->tries = NULL;
    a->prev = NULL;
    a->next = h->tries;
    if (h->tries)
        h->tries->prev = a;
    h->tries = a;
    wait = mdl_hedge_next(net->hedge[h->edge], a->attempt);
    if (wait >= 0 && now + wait < h->deadline)
        h->timer = mdl__schedule(net, wait, on_hedge, h, (long)h->gen);
    attempt_start(net, a, now);
}

/* The hedge delay has passed with no answer: the next attempt. */
static void on_hedge(sim_cal *cal, sim_event *ev)
{
    mdl_call *h = ev->obj;

    SIM_INVARIANT(h->timer == ev && h->gen == (unsigned)ev->arg
                  && h->outcome == MDL_CALL_PENDING && h->tries);
    h->timer = NULL;
    hedge_send(h->parent->sv->net, h, sim_cal_now(cal));
}

/* Hedged call h's attempts still out but `keep` end unanswered, their
 * policies told `told` (MDL_CALL_PENDING: cancelled; or a timeout);
 * their callees go on as orphans. Newest first: an attempt parked for a
 * permit (a bulkhead) leaves the line before a sibling's permit is given
 * back, so that it is not sent only to be cancelled. */
static __attribute__((noinline)) void hedge_drop(mdl_net *net, mdl_call *h,
                                                  const mdl_call *keep,
                                                  int told, double now)
{
    edge_rt *es = &net->es[h->edge];
    mdl_call *b, *next;

    for (b = h->tries; b; b = next) {
        next = b->next;
        if (b == keep)
            continue;
        h->sent += b->sent;
        if (b->seen)
            mdl_chain_end(&es->chain, b, told, now, b->seen);
        SIM_INVARIANT(!b->park);
        try_free(net, b);
    }
}

/* Attempt a of a hedged call ended with outcome (cause: why its callee
 * failed, if it did). Unless mdl_hedge_ends() lets the call wait on (a
 * hedge refused while others are out), the call ends so: the attempts
 * still out are told they were cancelled (MDL_CALL_PENDING; at the
 * deadline, that they timed out) and left to their callees as orphans,
 * before a's own policies hear its outcome. */
static __attribute__((noinline)) void hedge_end(mdl_net *net, mdl_call *a,
                                                 int outcome, int cause,
                                                 double now)
{
    edge_rt *es = &net->es[a->edge];
    mdl_call *h = a->hedge;
    int ends;

    SIM_INVARIANT(h && h->outcome == MDL_CALL_PENDING);
    ends = mdl_hedge_ends(net->hedge[a->edge], outcome, a->refused,
                          h->tries != a || a->next != NULL);
    if (ends) {
        h->outcome = outcome;
        h->cause = cause;
        h->refused = a->refused;
        hedge_drop(net, h, a, now >= h->deadline ? MDL_CALL_TIMEOUT
                                                 : MDL_CALL_PENDING, now);
    }
    if (a->seen)
        mdl_chain_end(&es->chain, a, outcome, now, a->seen);
    SIM_INVARIANT(!a->park);
    h->sent += a->sent;
    try_free(net, a);
    if (ends)
        settle(net, h, now);
}

void mdl__call_arm(mdl_net *net, mdl_call *c, double delay)
{
    if (c->timer)
        sim_cal_cancel(net->cal, c->timer);
    c->timer = mdl__schedule(net, delay, on_timer, c, (long)c->gen);
}

void mdl__call_abandon(mdl_net *net, mdl_call *c, double now)
{
    edge_rt *es = &net->es[c->edge];

    if (net->hedge && net->hedge[c->edge])
        hedge_drop(net, c, NULL, MDL_CALL_PENDING, now);
    if (c->seen)
        mdl_chain_end(&es->chain, c, MDL_CALL_PENDING, now, c->seen);
    es->attempts += c->sent;
    net->call_attempts += c->sent;
    net->call_ended++;
    if (c->refused)             /* its line is cold: most never are */
        es->short_circuited += c->refused;
    es->retry.active--;
    es->retry.retrying -= c->retrying;
    es->failed++;
    call_end(net, c);
}

/* A new call on edge e from v, pending, in v's list of calls; NULL when
 * out of memory (the run stops). */
static inline mdl_call *call_new(mdl_net *net, visit *from, int e, int left,
                                 double now)
{
    edge_rt *es = &net->es[e];
    mdl_call *c = mdl_pool_get(&net->calls);

    if (!c) {
        mdl__nomem(net);
        return NULL;
    }
    c->parent = from;
    c->callee = NULL;
    c->edge = e;
    c->left = left;
    c->attempt = 1;
    c->retrying = 0;
    c->t_start = now;
    /* A call's deadline is the earlier of its own and its caller's
     * (gRPC deadline propagation). */
    c->deadline = from->w.expires;
    if (es->deadline > 0 && now + es->deadline < c->deadline)
        c->deadline = now + es->deadline;
    c->timer = NULL;
    SIM_INVARIANT(!c->park);    /* zeroed in a new chunk, cleared by the
                                   policy that parked its last use */
    c->outcome = MDL_CALL_PENDING;
    c->cause = 0;
    c->prev = NULL;
    c->next = from->calls;
    if (from->calls)
        from->calls->prev = c;
    from->calls = c;
    es->count++;
    es->retry.active++;
    c->sent = 0;
    return c;
}

/* Call h is on a hedged edge: it waits on attempts of its own. */
static __attribute__((noinline)) void hedge_call(mdl_net *net, mdl_call *h,
                                                  double now)
{
    h->hedge = NULL;
    h->tries = NULL;
    h->replica = -1;
    h->attempt = 0;
    h->seen = 0;
    h->refused = 0;
    h->t_attempt = now;
    hedge_send(net, h, now);
}

void mdl__call_start(mdl_net *net, visit *from, int e, int left,
                     double now)
{
    mdl_call *c = call_new(net, from, e, left, now);

    if (!c)
        return;
    if (__builtin_expect(net->hedge != NULL, 0) && net->hedge[c->edge])
        hedge_call(net, c, now);
    else
        attempt_start(net, c, now);
}

void mdl__call_answer(mdl_net *net, mdl_call *c, unsigned gen, int outcome,
                      int cause, int later, double now)
{
    if (c->gen != gen)
        return;                 /* abandoned: nobody waits */
    if (later) {
        c->cause = cause;
        answer_later(net, c, gen, outcome);
        return;
    }
    attempt_end(net, c, outcome, cause, now);
}

void mdl__call_resume(mdl_net *net, mdl_call *c, int rc, double now)
{
    const edge_rt *es = &net->es[c->edge];

    SIM_INVARIANT(c->outcome == MDL_CALL_PENDING && !c->park && !c->callee
                  && c->seen > 0);
    if (rc != MDL_PASS) {
        /* The parking policy refuses it, as if at its start: it is not
         * among those that hear the end. */
        c->seen--;
        c->refused = 1;
        attempt_end(net, c, rc, 0, now);
        return;
    }
    rc = mdl_chain_resume(&es->chain, c, now, &c->seen);
    if (rc == MDL_WAIT)
        return;                 /* parked further in; its timer runs */
    if (rc != MDL_PASS) {
        c->refused = 1;
        answer_later(net, c, c->gen, rc);
        return;
    }
    send(net, es, c, now, 1);
}
