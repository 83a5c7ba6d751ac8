/*
 * mdl_call.h - the caller's side of a call: what client-side policies
 * (mdl_policy.h) see of it.
 *
 * A call is made by a visit waiting on it (its parent) on one call edge.
 * It is PENDING from mdl__call_start() until its last attempt is
 * answered (OK, ERROR, REJECTED) or given up (TIMEOUT), or a policy
 * refuses it before any attempt. An attempt that ends otherwise than OK
 * may be retried (mdl_retry.h) after a backoff. Whenever an attempt is
 * left behind, and when the call is freed, its generation advances, so
 * the answer of a callee that outlives it (an orphan) finds another
 * generation and goes nowhere.
 *
 *   mdl__call_start ---(a policy refuses: mdl_chain_start)----------.
 *        |                                                           |
 *        |  a policy parks it (a full bulkhead): WAITING, until      |
 *        |  mdl__call_resume lets it go on (or refuses it), or its   |
 *        |  timeout or deadline passes (on_timer)                    |
 *        v                                                           |
 *     ATTEMPT (attempt_start: a visit, replica picked afresh) <--.   |
 *        | the callee's chain ends (mdl__call_answer; on_answer  |   |
 *        | after a refusal), or the timeout or deadline passes   |   |
 *        | (on_timer)                                            |   |
 *        v                                                       |   |
 *   attempt_end --(retry allowed, deadline ahead)--> BACKOFF ----'   |
 *        | otherwise                  (on_backoff; at the deadline   |
 *        v                             it settles as a timeout)      v
 *   settle: count, end the policies, free (gen + 1), start the next call
 *           of the edge's count, or join                 (on_answer)
 *
 * On an edge with a hedge the call sends no attempt of its own: each of
 * its attempts is a call object of the pool whose `hedge` names it, with
 * its own callee, timer, policies seen and generation, going through
 * ATTEMPT and attempt_end as above; mdl_hedge.h draws what happens
 * between them.
 */
#ifndef MDL_CALL_H
#define MDL_CALL_H
#include "../sim/sim_cal.h"

/* How a call ended: answered; the callee failed (a 5xx); the callee, or
 * a policy before the call went out, refused it; the caller stopped
 * waiting (its per-attempt timeout or its deadline). */
enum {
    MDL_CALL_PENDING, MDL_CALL_OK, MDL_CALL_ERROR, MDL_CALL_REJECTED,
    MDL_CALL_TIMEOUT
};

struct visit;

/* Two cache lines, aligned: a call is touched again long after it
 * started, when its answer comes, and then reads most of its fields. */
typedef struct mdl_call {
    struct mdl_call *prev, *next;   /* private: the parent's outstanding
                                       calls */
    struct visit *parent;   /* read-only: the caller waiting on it */
    struct visit *callee;   /* read-only: the visit answering it, NULL
                               before it arrives or once it answered */
    sim_event *timer;       /* private: NULL: none */
    void *park;             /* the policy that parked the attempt sets it
                               and clears it as it lets go: NULL unless
                               the attempt waits (mdl_policy.h) */
    double t_start;         /* read-only: s */
    double t_attempt;       /* read-only: the current attempt began (s) */
    double deadline;        /* read-only: s; +inf: none */
    struct mdl_call *hedge; /* read-only: in an attempt of a hedged call
                               (mdl_hedge.h), that call; set on hedged
                               edges only */
    struct mdl_call *tries; /* private: in a hedged call, its attempts
                               out, linked by prev and next */
    int edge;               /* read-only: topology edge index */
    int left;               /* read-only: calls still to make on the edge
                               after this one (its count) */
    int attempt;            /* read-only: 1 for the first try */
    int seen;               /* private: policies that saw it start */
    int sent;               /* private: attempts that went out */
    int cause;              /* private: why the request fails, if it
                               does because of this call (MDL_REQ_*) */
    int outcome;            /* read-only: MDL_CALL_* */
    int replica;            /* read-only: the callee's replica that the
                               current attempt reached, while its outlier
                               detector (mdl_outlier.h) waits for the
                               outcome; -1: none */
    unsigned gen;           /* read-only: generation of this object */
    unsigned char retrying; /* private: in a retry (counts in the edge's
                               retry budget) */
    unsigned char refused;  /* private: a policy refused the last one */
} __attribute__((aligned(64))) mdl_call;

#endif /* MDL_CALL_H */
