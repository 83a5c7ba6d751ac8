/*
 * mdl_call.h - the caller's side of a call: what client-side policies
 * (mdl_policy.h) see of it.
 *
 * A call is made by a visit waiting on it (its parent) on one call edge.
 * It is PENDING from mdl__call_start() until it is answered (OK or
 * FAILED), refused before it went out by a policy (the outcome that
 * policy chose), or abandoned by its caller. Then it is freed and its
 * generation advances, so the answer of a callee that outlives it (an
 * orphan) finds a different generation and goes nowhere.
 *
 *   mdl__call_start --(a policy refuses: mdl_chain_start)--.
 *        |                                                  |
 *        v                                                  v
 *     PENDING --(the callee's chain ends: mdl__call_answer  on_answer:
 *        |       schedules on_answer)---------------------> OK / FAILED
 *        |--(mdl__call_arm's timer fires: on_timer)--.          |
 *        `--(the caller gives up: mdl__call_abandon)-+-> FAILED |
 *                                                    v          v
 *                     settle: count, end the policies, free (gen + 1),
 *                     start the next call of the edge's count, or join
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

typedef struct mdl_call {
    struct mdl_call *prev, *next;   /* private: the parent's outstanding
                                       calls */
    struct visit *parent;   /* read-only: the caller waiting on it */
    struct visit *callee;   /* read-only: the visit answering it, NULL
                               before it arrives or once it answered */
    int edge;               /* read-only: topology edge index */
    int left;               /* read-only: calls still to make on the edge
                               after this one (its count) */
    int attempt;            /* read-only: 1 for the first try */
    double t_start;         /* read-only: s */
    double deadline;        /* read-only: s; +inf: none */
    sim_event *timer;       /* private: NULL: none */
    int seen;               /* private: policies that saw it start */
    int cause;              /* private: why the request fails, if it
                               does because of this call (MDL_REQ_*) */
    int outcome;            /* read-only: MDL_CALL_* */
    unsigned gen;           /* read-only: generation of this object */
} mdl_call;

#endif /* MDL_CALL_H */
