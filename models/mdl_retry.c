/*
 * mdl_retry.c - retry decisions and backoff (see mdl_retry.h).
 *
 * Sources: Envoy's router filter (retry_on, per-try timeouts, fully
 * jittered backoff with base 25 ms and a cap of 10 x base, the route
 * timeout spanning all retries), Envoy's cluster retry_budget
 * (budget_percent 20, min_retry_concurrency 3), gRPC A6 client retries
 * (maxAttempts, retryThrottling maxTokens and tokenRatio).
 */
#include <math.h>
#include "mdl_call.h"
#include "mdl_retry.h"

void mdl_retry_start(mdl_retry *r, const mdl_retry_policy *p)
{
    r->p = p && p->attempts > 1 ? p : NULL;
    r->active = r->retrying = 0;
    r->tokens = r->p ? r->p->throttle_tokens : 0;
}

/* The MDL_RETRY_ON_* bit of a failed attempt's outcome. */
static unsigned bit_of(int outcome)
{
    switch (outcome) {
    case MDL_CALL_ERROR:
        return MDL_RETRY_ON_ERROR;
    case MDL_CALL_TIMEOUT:
        return MDL_RETRY_ON_TIMEOUT;
    case MDL_CALL_REJECTED:
        return MDL_RETRY_ON_REJECTED;
    default:
        return 0;
    }
}

void mdl_retry_count(mdl_retry *r, int outcome)
{
    double max;

    if (!r->p || !(r->p->throttle_tokens > 0))
        return;
    max = r->p->throttle_tokens;
    if (outcome == MDL_CALL_OK)
        r->tokens = fmin(max, r->tokens + r->p->throttle_ratio);
    else if (bit_of(outcome) & r->p->on)
        r->tokens = fmax(0, r->tokens - 1);
}

int mdl_retry_allows(const mdl_retry *r, int outcome, int attempt,
                     int retrying)
{
    const mdl_retry_policy *p = r->p;

    if (!p || !(bit_of(outcome) & p->on) || attempt >= p->attempts)
        return 0;
    if (p->throttle_tokens > 0 && !(r->tokens > p->throttle_tokens / 2))
        return 0;
    if (p->budget_percent > 0 && !retrying) {
        /* Envoy: active retries below max(min, floor(percent% of active
         * requests)); a call already retrying holds its place. */
        double limit = fmax((double)p->budget_min,
                            floor(p->budget_percent / 100
                                  * (double)r->active));
        if (!((double)r->retrying < limit))
            return 0;
    }
    return 1;
}

double mdl_retry_backoff(const mdl_retry *r, int n, gsl_rng *rng)
{
    double top = r->p->base * (ldexp(1.0, n) - 1);

    if (top > r->p->cap)
        top = r->p->cap;
    return gsl_rng_uniform(rng) * top;
}
