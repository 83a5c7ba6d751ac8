/*
 * mdl_autoscale.h - a service whose replica count follows its
 * utilization toward a target, as Kubernetes' HorizontalPodAutoscaler
 * sets it (kubernetes.io, "Horizontal Pod Autoscaling", algorithm
 * details):
 *
 *   every `interval`, U = the sum over replicas of their utilization
 *   (busy workers per worker) over the interval just ended, and
 *       desired = ceil(U / target), within [min, max],
 *   unless the mean utilization of the ready replicas, U / ready, is
 *   within the HPA's tolerance (0.1) of the target, relative to it.
 *   (The HPA's desired = ceil(ready x mean / target) is the same sum.)
 *   More than provisioned: new replicas start at once and take calls
 *   after `delay` (a pod's start-up and readiness). Fewer: the newest
 *   go, starting ones first, unless the last change was less than
 *   `cooldown` ago (the HPA's scale-down stabilization; scale-up is
 *   not held back, as by default).
 *
 * Replicas live in slots 0 .. max-1 of the service. The ready ones are
 * slots 0 .. ready-1, the balancer's range; starting ones follow, and
 * become ready in the order they started, so the ready slots stay a
 * prefix. A replica scaled down takes no more calls and finishes those
 * it holds (a graceful shutdown); if a scale-up reaches its slot first,
 * the new replica takes over the slot and the rest of that work.
 */
#ifndef MDL_AUTOSCALE_H
#define MDL_AUTOSCALE_H
#include "../sim/sim_cal.h"
#include "../sim/sim_stat.h"
#include "mdl_balancer.h"
#include "mdl_scenario.h"
#include "mdl_station.h"

#define MDL_AUTOSCALE_TOLERANCE 0.1     /* Kubernetes' default */

typedef struct mdl_autoscaler {
    const mdl_autoscale_policy *p;  /* read-only */
    int provisioned;        /* read-only: ready + starting */
    int ready;              /* read-only: slots 0 .. ready-1 */
    sim_twa replicas;       /* read-only: of provisioned */
    /* private */
    mdl_station *st;        /* slot 0's station ... */
    size_t stride;          /* ... and the others, stride bytes apart */
    mdl_balancer *lb;
    sim_cal *cal;
    int *oom;
    double last_change;     /* s */
    double busy0, t0;       /* busy integral and time of the last
                               decision */
    sim_event **starting;   /* per slot: its readiness event, or NULL */
} mdl_autoscaler;

/* An autoscaler for policy p (borrowed) over the stations of slots
 * 0 .. p->max - 1 (st, then stride bytes apart) and their balancer.
 * Returns SIM_OK or SIM_ENOMEM. */
int mdl_autoscaler_init(mdl_autoscaler *a, const mdl_autoscale_policy *p,
                        mdl_station *st, size_t stride, mdl_balancer *lb);
void mdl_autoscaler_destroy(mdl_autoscaler *a);
/* Start a replication on cal with `replicas` ready (clamped to [min,
 * max]); its first decision comes after one interval. *oom is set when
 * an event cannot be scheduled. */
void mdl_autoscaler_start(mdl_autoscaler *a, sim_cal *cal, int replicas,
                          int *oom);
/* Restart the statistics (replicas) at now. */
void mdl_autoscaler_reset_stats(mdl_autoscaler *a, double now);

#endif /* MDL_AUTOSCALE_H */
