/*
 * tst_model.h - run a scenario the way `qmesh run` does, for the suites
 * that compare simulation with theory (check_validate, check_teaching,
 * check_calls, check_apps, check_long).
 *
 * Comparisons hold at any seed with high probability. A test compares a
 * family of values with theory; each comparison allows the mean to lie
 * within t_{1 - a/2, n-1} standard errors of the true value with
 * a = TST_ALPHA / family (Bonferroni), and a latency quantile's
 * interval at level 1 - a to hold it (ana_report.c), so a correct
 * simulator fails a test with probability at most TST_ALPHA whatever the
 * seed. How well the 95%
 * intervals themselves are calibrated is check_long's question.
 *
 * QMESH_TEST_SEED=N in the environment replaces every scenario's seed
 * with N, to run the suites at other seeds.
 */
#ifndef TST_MODEL_H
#define TST_MODEL_H
#include <stddef.h>
#include "../analysis/ana_report.h"
#include "../analysis/ana_run.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"

/* The chance that a test of a correct simulator fails. */
#define TST_ALPHA 1e-3
/* How narrow a precise run's 95% intervals of headline means must be,
 * relative to the mean. Scenarios are sized for about +-2%: a sample
 * standard deviation twice the true one, which this allows for, has
 * probability below 1e-3 with 10 replications. */
#define TST_PRECISE 0.04
/* The family of one tst_model's tst_model_covers() calls, at most. */
#define TST_COVERS 10

typedef struct tst_model {
    mdl_scenario *s;
    ana_run run;
    const mdl_net *net;     /* run's, for short */
    const ana_theory *th;
    const ana_report *rep;  /* rep->ci[i] is metric i's interval */
    size_t ncovers;         /* tst_model_covers() calls so far */
} tst_model;

/* The seed QMESH_TEST_SEED names, or 0 when it is unset (scenarios keep
 * their own). */
unsigned long long tst_model_seed(void);
/* How far from the true value ci's mean may lie in a family of family
 * comparisons: t_{1 - TST_ALPHA / (2 family), n-1} * se. Means only: a
 * latency quantile's interval has no se (see tst_model_agrees()). */
double tst_tol(const ana_ci *ci, size_t family);
/* Is want within tst_tol(ci, family) of ci's mean (with the rounding
 * allowance of ana_ci_covers() when every replication agreed)? */
int tst_agrees(const ana_ci *ci, double want, size_t family);

/* Does want lie in metric i's interval at the level of a family of
 * family comparisons, 1 - TST_ALPHA / family (ana_report_ci_at(): for a
 * mean, tst_agrees(); for a latency quantile, its own interval at that
 * level)? The interval goes to *wide. */
int tst_model_agrees(const tst_model *m, size_t i, double want,
                     size_t family, ana_ci *wide);

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
 * every exact value agrees with its mean (tst_agrees(), the family being
 * every metric compared) and, when precise, the 95% intervals of the
 * headline means (latency, utilization, L, Lq, W, Wq, throughput,
 * rejections) are within +-TST_PRECISE of them, so that the comparisons
 * mean something. name labels failures. Returns the number of metrics
 * compared. */
size_t tst_model_check_theory(const tst_model *m, const char *name,
                              const char *want_model, int precise);
/* Assert that want agrees with the mean of (scope, metric): tst_agrees()
 * in a family of TST_COVERS (a test that makes more calls on one model
 * fails). */
void tst_model_covers(tst_model *m, const char *scope,
                      const char *metric, double want);

#endif /* TST_MODEL_H */
