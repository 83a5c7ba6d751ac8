/*
 * ana_capacity.h - service-level objectives and the capacity search of
 * `qmesh sweep --find KEY: MIN..MAX --slo ...`: the smallest whole value
 * of KEY (servers, replicas, a pool's size) at which every objective
 * holds with the scenario's confidence.
 *
 * An objective is "SCOPE.METRIC < VALUE" or "SCOPE.METRIC > VALUE",
 * VALUE a number, a time (250ms) for times, or a percentage (99.9%).
 * It holds at a point when the metric's whole confidence interval lies
 * on the right side: ci_high < VALUE, or ci_low > VALUE. A point whose
 * queue is unstable, or that lacks the metric, does not meet it.
 *
 * The search assumes more of KEY never hurts (monotone), and bisects:
 * MAX first (when it fails, no value does), then MIN, then the middle of
 * the last failing and the first passing value until they are adjacent:
 * at most 2 + ceil(log2(MAX - MIN)) runs.
 */
#ifndef ANA_CAPACITY_H
#define ANA_CAPACITY_H
#include <stddef.h>
#include "../sim/sim_err.h"
#include "ana_points.h"
#include "ana_table.h"

typedef struct ana_slo {
    char metric[256];           /* "class:checkout.latency_p99" */
    int less;                   /* < (1) or > (0) */
    double value;               /* in summary.csv's units */
    char text[320];             /* as given, for messages */
} ana_slo;

/* Parse an objective (see above) into *o. Returns SIM_OK, or SIM_EPARSE
 * with d quoting it. */
int ana_slo_parse(ana_slo *o, const char *text, sim_diag *d);
/* Does o hold in res? *row gets the metric's row (NaN when absent). */
int ana_slo_holds(const ana_slo *o, const ana_results *res, ana_srow *row);

/* Parse "KEY: MIN..MAX" (whole numbers, MIN <= MAX, at most
 * MDL_AXIS_VALUES_MAX values) into an axis whose values are MIN..MAX
 * (free with mdl_axis_destroy()). Returns SIM_OK, SIM_EPARSE with d, or
 * SIM_ENOMEM. */
int ana_capacity_axis(mdl_axis *a, const char *text, sim_diag *d);

/* Search along axis a of p's grid, the other axes as at point k, for the
 * smallest value at which every objective of slo[0..n-1] holds, running
 * points as needed (ana_points_run()). *found gets the value's index, or
 * the axis's length when even the largest fails; *runs the points
 * simulated (or kept from an earlier command). Returns SIM_OK or ana_points_run()'s code. */
int ana_capacity_find(ana_points *p, size_t a, size_t k, const ana_slo *slo,
                      size_t n, size_t *found, size_t *runs, sim_diag *d);

#endif /* ANA_CAPACITY_H */
