/*
 * mdl_retry.h - whether a call edge tries again, and after how long: a
 * retry policy (mdl_scenario.h) with its run-time state, Envoy's retry
 * budget and gRPC's retry throttling.
 *
 * A failed attempt is retried when its outcome is one the policy retries,
 * attempts are left, and neither the budget nor the throttle forbids it:
 *   budget (Envoy): the calls of the edge now in a retry stay below
 *     max(min, floor(percent% of the calls outstanding on the edge));
 *   throttle (gRPC A6): a token count starts at tokens, loses 1 with each
 *     failed attempt the policy retries and gains ratio with each success
 *     (within [0, tokens]); no retry while it is at most tokens / 2.
 * Retry n (1 for the first) waits U(0, min(cap, base (2^n - 1))): Envoy's
 * fully jittered exponential backoff.
 */
#ifndef MDL_RETRY_H
#define MDL_RETRY_H
#include <gsl/gsl_rng.h>
#include "mdl_scenario.h"

typedef struct mdl_retry {
    const mdl_retry_policy *p;  /* read-only: NULL when the edge has none */
    long active;            /* read-only: calls outstanding on the edge */
    long retrying;          /* read-only: those of them in a retry */
    double tokens;          /* read-only: the throttle's token count */
} mdl_retry;

/* Set r up for a replication with policy p (borrowed; NULL: none). */
void mdl_retry_start(mdl_retry *r, const mdl_retry_policy *p);
/* An attempt ended with outcome (MDL_CALL_*, not PENDING): the throttle
 * counts it. */
void mdl_retry_count(mdl_retry *r, int outcome);
/* Try again after attempt number `attempt` ended with outcome? Nonzero
 * when the policy, the attempts left, the budget and the throttle allow;
 * retrying: the call is already in a retry (it counts in the budget). */
int mdl_retry_allows(const mdl_retry *r, int outcome, int attempt,
                     int retrying);
/* The wait before retry n (1-based), drawn from rng (s). */
double mdl_retry_backoff(const mdl_retry *r, int n, gsl_rng *rng);

#endif /* MDL_RETRY_H */
