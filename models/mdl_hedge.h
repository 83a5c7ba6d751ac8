/*
 * mdl_hedge.h - hedging on a call edge, gRPC's hedgingPolicy (gRFC A6):
 * the decisions; mdl_call.c runs the lifecycle.
 *
 * A hedged call sends its first attempt at once and, while no answer has
 * come, another every `delay`, up to `attempts` in all (gRPC's
 * maxAttempts, at most MDL_HEDGE_MAX). Each attempt is an attempt like
 * any other: started through the edge's policy chain, its replica picked
 * afresh by the balancer. The first answer ends the call, whatever it
 * is: gRPC's nonFatalStatusCodes is empty by default, so an error or a
 * rejection is fatal and ends the call as a success does. The attempts
 * still out are cancelled: their callees work on as orphans, and the
 * chain is told so (MDL_CALL_PENDING, mdl_policy.h). The call's deadline
 * spans all attempts; when it passes, every attempt out ends in a
 * timeout.
 *
 *   mdl__call_start (hedge_call)
 *        |  attempt 1 through the chain
 *        v            hedge delay passed, fewer than `attempts` sent
 *     WAITING  <--------------------------------------------------.
 *        |  \--- (on_hedge: attempt k + 1 through the chain; ------'
 *        |       mdl_hedge_next says when the one after goes)
 *        | an attempt answers, or the deadline passes (hedge_end)
 *        v
 *     mdl_hedge_ends? --no: a hedge the chain refused while others
 *        | yes              are out is dropped; WAITING goes on
 *        v
 *     SETTLED: the others told cancelled (TIMEOUT at the deadline) and
 *              left to run as orphans; the call counts its attempts
 *
 * A hedge that the chain refuses (a breaker open) is not sent, as gRPC
 * does not send a throttled hedge; the call fails with the refusal only
 * when no other attempt is out (that is, when the first is refused).
 */
#ifndef MDL_HEDGE_H
#define MDL_HEDGE_H
#include "mdl_scenario.h"

/* gRPC's client-side cap on maxAttempts (gRFC A6, "Limits on Retries and
 * Hedges"): a hedged call has at most this many attempts. */
#define MDL_HEDGE_MAX 5

/* The wait (s) from the start of attempt number k (1 for the first) to
 * the next one, or a negative value when k is the last allowed. */
double mdl_hedge_next(const mdl_hedge_policy *p, int k);
/* Does an attempt that ended with outcome (MDL_CALL_*) end the call?
 * refused: the chain refused it before it went out; out: other
 * attempts of the call still out. */
int mdl_hedge_ends(const mdl_hedge_policy *p, int outcome, int refused,
                   int out);

#endif /* MDL_HEDGE_H */
