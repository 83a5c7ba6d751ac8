/*
 * mdl_policy.h - where patterns plug into the engine: an ordered chain of
 * client-side policies on each call edge, and an admission chain on each
 * service.
 *
 * A call edge's chain is consulted in order as each attempt of a call
 * starts (a policy may refuse it: a breaker that is open) and, in
 * reverse order, as it ends with its outcome (a breaker counts it):
 * Resilience4j's order, with the retry outside the breaker. A policy may
 * also make an attempt wait (a full bulkhead): it keeps the call, parked
 * (c->park set), until it lets it go on or refuses it through
 * mdl__call_resume() (mdl_int.h); meanwhile the attempt's timeout and
 * deadline run, and if the attempt ends so, the parking policy hears it
 * end like the others and must let go of the call.
 *
 * A service's admission chain is consulted in order when a visit
 * arrives at a replica, after its capacity (a rate limit may refuse it),
 * and told when an admitted visit leaves. Each hook's `self` is the
 * pattern's own state, owned by whoever installed it. Chains are empty
 * unless a scenario asks for a pattern.
 */
#ifndef MDL_POLICY_H
#define MDL_POLICY_H
#include "mdl_call.h"

/* What a start hook answers besides an outcome (MDL_CALL_*): go on, or
 * wait (beyond every outcome). */
enum { MDL_PASS = 0, MDL_WAIT = 8 };

typedef struct mdl_policy {
    /* MDL_PASS; MDL_WAIT, c parked (see above); or the outcome
     * (MDL_CALL_REJECTED) c ends with at once, without going out. A
     * policy may shape c: its deadline, a timer. */
    int (*start)(void *self, mdl_call *c, double now);
    /* c's current attempt, begun at c->t_attempt, has ended with outcome
     * (MDL_CALL_*), or was cancelled (MDL_CALL_PENDING: its caller is
     * gone, or it is a hedged attempt that another's answer made
     * useless): count nothing, give back what the attempt held. Each
     * attempt of a hedged call is a call object of its own, started and
     * ended through the chain, several in flight at once. NULL: not
     * interested. */
    void (*end)(void *self, const mdl_call *c, int outcome, double now);
    void *self;
} mdl_policy;

typedef struct mdl_chain {
    int n;
    mdl_policy *p;          /* owned by whoever installed them */
} mdl_chain;

typedef struct mdl_admitter {
    /* Nonzero to admit a visit arriving at replica r (0-based) at `now`
     * (a sidecar's limit is its replica's). */
    int (*admit)(void *self, int r, double now);
    /* An admitted visit left replica r. NULL: not interested. */
    void (*leave)(void *self, int r, double now);
    void *self;
} mdl_admitter;

typedef struct mdl_admission {
    int n;
    mdl_admitter *a;        /* owned by whoever installed them */
} mdl_admission;

/* Go on through the chain from policy *seen: MDL_PASS when every
 * policy lets c go, else the first refusal or MDL_WAIT; *seen becomes
 * the number of policies that saw c start (all of them, those before the
 * refusing one, or up to the parking one, included): only they see it
 * end. */
static inline int mdl_chain_resume(const mdl_chain *ch, mdl_call *c,
                                   double now, int *seen)
{
    int i, rc;

    for (i = *seen; i < ch->n; i++)
        if ((rc = ch->p[i].start(ch->p[i].self, c, now)) != MDL_PASS) {
            *seen = rc == MDL_WAIT ? i + 1 : i;
            return rc;
        }
    *seen = ch->n;
    return MDL_PASS;
}

/* Ask the whole chain as c's attempt starts (mdl_chain_resume()). */
static inline int mdl_chain_start(const mdl_chain *ch, mdl_call *c,
                                  double now, int *seen)
{
    *seen = 0;
    return mdl_chain_resume(ch, c, now, seen);
}

/* c's attempt has ended with outcome: tell the first `seen` policies,
 * innermost first. */
static inline void mdl_chain_end(const mdl_chain *ch, const mdl_call *c,
                                 int outcome, double now, int seen)
{
    int i;

    for (i = seen - 1; i >= 0; i--)
        if (ch->p[i].end)
            ch->p[i].end(ch->p[i].self, c, outcome, now);
}

/* Nonzero when every admitter admits; a refusal tells those that had
 * admitted that the visit left. */
static inline int mdl_admission_admit(const mdl_admission *ad, int r,
                                      double now)
{
    int i, k;

    for (i = 0; i < ad->n; i++)
        if (!ad->a[i].admit(ad->a[i].self, r, now)) {
            for (k = i - 1; k >= 0; k--)
                if (ad->a[k].leave)
                    ad->a[k].leave(ad->a[k].self, r, now);
            return 0;
        }
    return 1;
}

static inline void mdl_admission_leave(const mdl_admission *ad, int r,
                                       double now)
{
    int i;

    for (i = 0; i < ad->n; i++)
        if (ad->a[i].leave)
            ad->a[i].leave(ad->a[i].self, r, now);
}

#endif /* MDL_POLICY_H */
