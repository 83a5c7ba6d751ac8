/*
 * tst_model.h - run a scenario the way `qmesh run` does, for the suites
 * that compare simulation with theory (check_validate, check_long).
 */
#ifndef TST_MODEL_H
#define TST_MODEL_H
#include <stddef.h>
#include "../analysis/ana_report.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"

typedef struct tst_model {
    mdl_scenario *s;
    mdl_net *net;
    ana_theory *th;
    double *results;
    ana_report rep;         /* rep.ci[i] is metric i's interval */
} tst_model;

/* Load the scenario (path relative to the source tree) with the --set
 * overrides, run its replications on two processes and compute the
 * intervals. Fails the current test on any error. */
void tst_model_run(tst_model *m, const char *scenario,
                   const char *const *sets, size_t nsets);
void tst_model_free(tst_model *m);
/* The interval of (scope, metric); fails the test when there is none. */
const ana_ci *tst_model_ci(const tst_model *m, const char *scope,
                           const char *metric);
/* Check the run against theory: the model's name starts with want_model,
 * every exact value lies inside its interval and, when precise, the
 * intervals of the headline means (latency, utilization, L, Lq, W, Wq,
 * throughput, rejections) are within +-2% of them. name labels failures.
 * Returns the number of metrics compared. */
size_t tst_model_check_theory(const tst_model *m, const char *name,
                              const char *want_model, int precise);
/* Assert that want lies inside the interval of (scope, metric). */
void tst_model_covers(const tst_model *m, const char *scope,
                      const char *metric, double want);

#endif /* TST_MODEL_H */
