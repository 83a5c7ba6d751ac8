/*
 * ana_theory.h - queueing theory's answer for a whole scenario, where one
 * exists, under the same scope and metric names as the simulation's
 * results (DESIGN.md section 6), and the stability check that runs before
 * any simulation.
 *
 * Recognised models: a single station (M/M/c, M/M/c/K, M/G/1 with
 * Poisson arrivals); open product-form networks of forward edges (Jackson
 * networks with exponential FIFO stations, processor-sharing stations of
 * any service distribution and delay stations, several entry classes);
 * closed single-class product-form networks (exact MVA with the think
 * time as a delay). Anything else gets no theory and a reason.
 */
#ifndef ANA_THEORY_H
#define ANA_THEORY_H
#include <stddef.h>
#include "../models/mdl_scenario.h"

typedef struct ana_value {
    char *scope;            /* owned: "system", "class:X", "service:X" */
    const char *metric;     /* static */
    double value;
} ana_value;

typedef struct ana_theory {
    int applies;            /* 1 when values hold an exact solution */
    char model[160];        /* e.g. "open Jackson network (3 stations)" */
    char why[512];          /* when !applies: why no exact solution */
    size_t n;
    ana_value *v;           /* owned */
} ana_theory;

/* Check that every infinite-capacity station of s has load < 1 under its
 * open workloads, and that requests can leave. Returns SIM_OK, or
 * SIM_EUNSTABLE / SIM_EPARSE with d naming the station, its load and the
 * scenario line of the workloads. */
int ana_theory_stability(const mdl_scenario *s, sim_diag *d);
/* Solve s. Returns SIM_OK (check ->applies) or SIM_ENOMEM. */
int ana_theory_new(ana_theory **out, const mdl_scenario *s);
void ana_theory_free(ana_theory *t);
/* The theoretical value of (scope, metric), or NaN when there is none. */
double ana_theory_get(const ana_theory *t, const char *scope,
                      const char *metric);

#endif /* ANA_THEORY_H */
