/*
 * ana_theory.h - queueing theory's answer for a whole scenario, where one
 * exists, under the same scope and metric names as the simulation's
 * results (DESIGN.md section 6), and the stability check that runs before
 * any simulation.
 *
 * Recognised models: a single station (M/M/c, M/M/c/K, M/G/1 with
 * Poisson arrivals); open product-form networks (Jackson and BCMP:
 * exponential FIFO, processor-sharing and delay stations, several request
 * classes with their own paths, and sequential calls from non-blocking
 * services, a call being a visit in a class-switching network); closed
 * single-class product-form networks (exact MVA with the think time as a
 * delay). Anything else gets no theory and a reason.
 *
 * Every value records the formula or algorithm that produced it and
 * whether it is exact. `applies`, the list v and ana_theory_get() hold
 * exact values only: they are what `qmesh run` prints beside the
 * simulation and writes to theory.csv. Where no exact solution exists but
 * an approximation does (M/G/c by Allen-Cunneen, G/G/1 by Kingman, a
 * non-product-form open network by decomposition), its values go to the
 * separate list approx; closed networks also get Schweitzer-Bard
 * approximate MVA for comparison and their asymptotic bounds.
 */
#ifndef ANA_THEORY_H
#define ANA_THEORY_H
#include <stddef.h>
#include "../models/mdl_scenario.h"
#include "ana_approx.h"
#include "ana_queue.h"

typedef struct ana_value {
    char *scope;            /* owned: "system", "class:X", "service:X" */
    const char *metric;     /* static */
    double value;
    const char *method;     /* static: the formula or algorithm, e.g.
                               "M/M/c (Erlang C)", "exact MVA" */
    int exact;              /* 1: exact; 0: approximation */
} ana_value;

/* How one station's numbers were found: static strings, one formula per
 * quantity (NULL where the quantity does not apply). */
typedef struct ana_method {
    const char *name;       /* e.g. "M/G/1 (Pollaczek-Khinchine)" */
    const char *util, *p_wait, *p_block, *Wq, *W, *Lq, *L;
} ana_method;

/* One station as `qmesh theory` shows it. */
typedef struct ana_theory_station {
    size_t service;         /* index in the topology */
    double visits;          /* mean visits per request (per cycle when
                               closed) */
    ana_station st;         /* lambda, util, L, Lq, W, Wq, p_wait, p_block */
    const char *flow;       /* static: how lambda was found */
    const char *flow_visits;/* static: how visits was found */
    const ana_method *how;  /* static */
    int exact;              /* 0 when st is an approximation */
} ana_theory_station;

typedef struct ana_theory {
    int applies;            /* 1 when v holds an exact solution */
    char model[160];        /* e.g. "open Jackson network (3 stations)" */
    char why[512];          /* when !applies: why no exact solution */
    const char *basis;      /* static: when applies, why the model fits */
    size_t n;
    ana_value *v;           /* owned: exact values only */
    char approx_model[160]; /* the approximation in approx, or "" */
    size_t napprox;
    ana_value *approx;      /* owned: approximate values, never exact */
    size_t nst;
    ana_theory_station *st; /* owned: per station, the exact solution when
                               applies, else the approximation (if any) */
    int has_bounds;         /* closed network: bounds, population, think */
    ana_bounds bounds;
    long population;
    double think;           /* s */
} ana_theory;

/* The check before a run: every infinite-capacity station of s has load
 * < 1 under its open workloads, and requests can leave. Returns SIM_OK,
 * or SIM_EUNSTABLE / SIM_EPARSE with d naming the station, its load and
 * the scenario line of the workloads. */
int ana_theory_stability(const mdl_scenario *s, sim_diag *d);
/* Solve s. Returns SIM_OK (check ->applies) or SIM_ENOMEM. */
int ana_theory_new(ana_theory **out, const mdl_scenario *s);
void ana_theory_free(ana_theory *t);
/* The exact theoretical value of (scope, metric), or NaN when there is
 * none. Never returns an approximation. */
double ana_theory_get(const ana_theory *t, const char *scope,
                      const char *metric);
/* The approximate value of (scope, metric), or NaN. */
double ana_theory_get_approx(const ana_theory *t, const char *scope,
                             const char *metric);

#endif /* ANA_THEORY_H */
