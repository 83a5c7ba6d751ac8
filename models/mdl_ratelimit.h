/*
 * mdl_ratelimit.h - a service's rate limiter: Envoy's local rate limit,
 * one token bucket per replica, consulted on the service's admission
 * chain (mdl_policy.h) after the replica's capacity.
 *
 * Per replica, because Envoy's local rate limit is a filter of each
 * Envoy instance, and a replica's sidecar is one: a service of k
 * replicas admits up to k x rate in all (envoyproxy/envoy,
 * docs/root/configuration/http/http_filters/local_rate_limit_filter.rst).
 *
 * Each bucket holds at most `burst` tokens and starts full (Envoy's
 * max_tokens: "also the number of tokens that the bucket initially
 * contains"). It refills continuously at `rate` tokens per second:
 *
 *     tokens(t) = min(burst, tokens(t0) + rate (t - t0))
 *
 * An arrival takes a token when one is there, and is refused otherwise
 * (429 in Envoy; here the outcome REJECTED). Envoy adds tokens_per_fill
 * tokens every fill_interval instead; the continuous bucket is its limit
 * as fill_interval goes to 0 at rate = tokens_per_fill / fill_interval,
 * with the same long-run rate and the same largest burst. A token within
 * 1e-9 of whole counts as whole, so that arrivals on a det() grid are not
 * refused for the rounding of their times.
 */
#ifndef MDL_RATELIMIT_H
#define MDL_RATELIMIT_H
#include "mdl_policy.h"
#include "mdl_scenario.h"

typedef struct mdl_ratelimit {
    const mdl_rate_limit_policy *p; /* read-only, borrowed */
    int n;                  /* read-only: replicas, one bucket each */
    double *limited;        /* read-only: arrivals refused per replica
                               since mdl_ratelimit_start/_clear */
    /* private */
    double *tokens;         /* at last[r] */
    double *last;           /* s */
} mdl_ratelimit;

/* Buckets for n replicas under policy p (borrowed, kept). Returns SIM_OK
 * or SIM_ENOMEM (rl can be destroyed either way). */
int mdl_ratelimit_init(mdl_ratelimit *rl, const mdl_rate_limit_policy *p,
                       int n);
void mdl_ratelimit_destroy(mdl_ratelimit *rl);
/* A new replication: every bucket full at time 0, counts cleared. */
void mdl_ratelimit_start(mdl_ratelimit *rl);
/* Clear the counts of refusals (the end of the warm-up). */
void mdl_ratelimit_clear(mdl_ratelimit *rl);
/* Tokens in replica r's bucket at now (s, not before its last use). */
double mdl_ratelimit_tokens(const mdl_ratelimit *rl, int r, double now);
/* An arrival at replica r at now: 1 when it takes a token, 0 when it is
 * refused (and counted in limited[r]). */
int mdl_ratelimit_take(mdl_ratelimit *rl, int r, double now);
/* The limiter as an admitter of its service's chain; self is rl. */
mdl_admitter mdl_ratelimit_admitter(mdl_ratelimit *rl);

#endif /* MDL_RATELIMIT_H */
