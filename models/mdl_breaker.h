/*
 * mdl_breaker.h - a circuit breaker with Resilience4j's semantics: a
 * state machine fed the outcome and duration of each attempt on a call
 * edge, which lets attempts through or short-circuits them.
 *
 *            failure or slow-call rate >= its threshold, over a window
 *            of at least min_calls outcomes (mdl_breaker_record)
 *   CLOSED ------------------------------------------------------> OPEN
 *     ^                                                              |
 *     | half_open_calls outcomes, both rates     open_for has passed |
 *     | below their thresholds                   at the next attempt |
 *     | (mdl_breaker_record)                     (mdl_breaker_permit)|
 *     |                                                              v
 *     `------------------------------------------------------ HALF_OPEN
 *                 a rate at or above its threshold: OPEN again
 *
 * CLOSED lets every attempt through; OPEN none (short-circuited);
 * HALF_OPEN the first half_open_calls, then none until they have
 * ended. Outcomes that end while OPEN change nothing. The window is the
 * last `window` outcomes (count-based; min_calls is at most the window)
 * or those of the last `window` seconds, in one-second buckets
 * (time-based). An attempt is slow when it takes longer than
 * slow_call_duration; a failure is any outcome but success.
 *
 * Source: resilience4j/resilience4j, CircuitBreakerConfig (defaults) and
 * CircuitBreakerStateMachine (transitions); automatic transition from
 * OPEN to HALF_OPEN is off, as by default.
 */
#ifndef MDL_BREAKER_H
#define MDL_BREAKER_H
#include "../sim/sim_stat.h"
#include "mdl_policy.h"
#include "mdl_scenario.h"

enum { MDL_BREAKER_CLOSED, MDL_BREAKER_OPEN, MDL_BREAKER_HALF_OPEN };

typedef struct mdl_breaker_bucket {
    long epoch;             /* second it counts, or -1 */
    long calls, failed, slow;
} mdl_breaker_bucket;

typedef struct mdl_breaker {
    const mdl_breaker_policy *p;    /* read-only */
    int state;              /* read-only: MDL_BREAKER_* */
    double opened_at;       /* read-only: s */
    long calls, failed, slow;   /* read-only: in the window */
    long half_permits;      /* read-only: let through while HALF_OPEN */
    long half_calls, half_failed, half_slow;
    double short_circuited; /* read-only: attempts refused */
    sim_twa open_twa;       /* read-only: 1 while OPEN */
    /* private */
    unsigned char *ring;    /* count-based: bit 0 failed, bit 1 slow */
    long head, n;
    mdl_breaker_bucket *buckets;    /* time-based, window of them */
    long last_epoch;
} mdl_breaker;

/* A breaker with policy p (borrowed). Returns SIM_OK or SIM_ENOMEM. */
int mdl_breaker_init(mdl_breaker *b, const mdl_breaker_policy *p);
void mdl_breaker_destroy(mdl_breaker *b);
/* CLOSED and empty, for a replication starting at 0. */
void mdl_breaker_start(mdl_breaker *b);
/* Restart the statistics (short_circuited, open_twa) at now. */
void mdl_breaker_reset_stats(mdl_breaker *b, double now);
/* May an attempt go out at now? 1: yes; 0: short-circuited. */
int mdl_breaker_permit(mdl_breaker *b, double now);
/* An attempt let through ended at now: failed or not, after duration
 * (s). */
void mdl_breaker_record(mdl_breaker *b, double now, int failed,
                        double duration);
/* An attempt let through was cancelled before it ended: it counts for
 * nothing, and a trial permit it held in HALF_OPEN is given back
 * (Resilience4j's releasePermission). */
void mdl_breaker_release(mdl_breaker *b);
/* b as a client-side policy of an edge's chain (mdl_policy.h): each
 * attempt asks it, and tells it its outcome and duration. */
mdl_policy mdl_breaker_hook(mdl_breaker *b);

#endif /* MDL_BREAKER_H */
