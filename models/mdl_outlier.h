/*
 * mdl_outlier.h - outlier detection on a service: Envoy's consecutive-5xx
 * detector, which ejects a replica from its service's balancer after
 * `consecutive` errors in a row and lets it back at a later sweep.
 *
 * Per replica, with the function of each transition:
 *
 *          an error: count + 1; a success: count = 0 (mdl_outlier_result)
 *            .----.
 *            |    v
 *          COUNTING --count reaches `consecutive`, and ejecting it keeps
 *            ^  |     the ejected share within max_percent (or it is the
 *            |  |     first and always_eject_one): multiplier + 1, count
 *            |  |     = 0 (mdl_outlier_result; refused: count = 0 alone)
 *            |  v
 *            | EJECTED  outcomes still count, but eject nothing more
 *            |  |
 *            `--'  at a sweep (every `interval` from time 0) once
 *                  min(base_ejection x multiplier, max_ejection) has
 *                  passed since the ejection: count = 0
 *                  (mdl_outlier_sweep)
 *
 * At each sweep, a replica that is in and has been back for at least an
 * interval sees its multiplier go down by one (so a replica that stays
 * healthy is ejected for less next time). The multiplier goes up at an
 * ejection only while base x multiplier < max_ejection + base.
 * max_percent bounds the share of replicas ejected, counting the one to
 * eject: 100 (ejected + 1) / n <= max_percent.
 *
 * Errors: Envoy counts 5xx answers, and with its default
 * split_external_local_origin_errors false also local-origin failures
 * (a per-try timeout as 504, a failed connection as 503): here the
 * outcomes error, timeout and a rejection by the replica's capacity
 * count; a success, and a refusal by its rate limit (429), reset the
 * count. Source: envoyproxy/envoy, source/common/upstream/
 * outlier_detection_impl.cc (putHttpResponseCode, ejectHost,
 * checkHostForUneject, onIntervalTimer), api/envoy/config/cluster/v3/
 * outlier_detection.proto (defaults); max_ejection_time_jitter (default
 * 0) and success-rate detection (needs 5 hosts) are left out.
 *
 * In Envoy each caller's proxy has its own detector; here the callee's
 * balancer is shared by all its callers (mdl_balancer.h), so a service
 * has one detector, fed the outcome of every attempt that reached one of
 * its replicas from any caller.
 */
#ifndef MDL_OUTLIER_H
#define MDL_OUTLIER_H
#include "../sim/sim_stat.h"
#include "mdl_balancer.h"
#include "mdl_scenario.h"

typedef struct mdl_outlier_host {
    long count;             /* errors in a row */
    int ejected;
    long multiplier;        /* Envoy's ejection time backoff */
    double ejected_at;      /* s */
    double back_at;         /* unejected (s); -inf: never ejected */
} mdl_outlier_host;

typedef struct mdl_outlier {
    const mdl_outlier_policy *p;    /* read-only, borrowed */
    mdl_balancer *lb;       /* borrowed: told of ejections; NULL: none */
    int n;                  /* read-only: replicas */
    int nejected;           /* read-only */
    mdl_outlier_host *h;    /* read-only: n of them */
    double ejections;       /* read-only: since start or reset_stats */
    sim_twa ejected_twa;    /* read-only: share of replicas ejected */
} mdl_outlier;

/* A detector over n replicas under policy p (borrowed, kept), ejecting
 * from lb (borrowed, kept; NULL: none; it must allow ejection). Returns
 * SIM_OK or SIM_ENOMEM (o can be destroyed either way). */
int mdl_outlier_init(mdl_outlier *o, const mdl_outlier_policy *p,
                     mdl_balancer *lb, int n);
void mdl_outlier_destroy(mdl_outlier *o);
/* A new replication: every replica in, counts and multipliers 0. */
void mdl_outlier_start(mdl_outlier *o);
/* Clear the statistics (the end of the warm-up). */
void mdl_outlier_reset_stats(mdl_outlier *o, double now);
/* An attempt at replica r ended at now, in an error (err) or not.
 * Returns 1 when it ejected r. */
int mdl_outlier_result(mdl_outlier *o, int r, int err, double now);
/* The sweep at now: bring back replicas whose ejection is over, lower
 * multipliers. Returns 1 when a later sweep has work (an ejection or a
 * multiplier left). */
int mdl_outlier_sweep(mdl_outlier *o, double now);
/* The time of the first sweep after now (s): the next multiple of the
 * interval. */
double mdl_outlier_next_sweep(const mdl_outlier *o, double now);

#endif /* MDL_OUTLIER_H */
