/*
 * ana_compare.h - paired comparisons of variants of an architecture run
 * with common random numbers (`qmesh compare`).
 *
 * Every variant runs the same replications: replication r of each draws
 * from the same random streams (same master seed, same replication
 * index, one stream per named source: sim_rng.h), so X_1,r and X_v,r,
 * the values of a metric in replication r of the reference (variant 1)
 * and of variant v, are positively correlated wherever the variants
 * respond alike to the same arrivals and service times. For each metric
 * present in both (matched by scope and metric name) and each v >= 2:
 *
 *   - the mean of v and its interval, as its summary.csv has them
 *     (the run's report);
 *   - the paired difference D_r = X_v,r - X_1,r over the replications
 *     where both are finite, its mean and Student-t interval with
 *     n - 1 degrees of freedom (Law, "Simulation Modeling and Analysis",
 *     5th ed., sec. 10.2.1); Var(D) = Var(X_v) + Var(X_1)
 *     - 2 Cov(X_v, X_1), which the positive covariance makes small;
 *   - the unpaired (Welch) interval of mean_v - mean_1 over each
 *     variant's own finite values, as if the runs were independent
 *     (Law sec. 10.2.2), to show what pairing bought;
 *   - a verdict: the paired interval contains 0 (low <= 0 <= high):
 *     indistinguishable; else better or worse by the metric's direction
 *     (mdl_net_metric_better()), or higher or lower when the metric has
 *     none. Fewer than two pairs give no interval and no verdict.
 *
 * Nothing is corrected for multiplicity: with k metrics compared at
 * level 1 - alpha, about alpha k verdicts other than indistinguishable
 * are expected by chance alone among metrics the variants do not change.
 *
 * The arithmetic is pure: it reads ana_cmp_var values, which a run fills
 * (ana_cmp_var_from_run()) or a test writes by hand.
 */
#ifndef ANA_COMPARE_H
#define ANA_COMPARE_H
#include <stddef.h>
#include <stdio.h>
#include "../sim/sim_err.h"
#include "ana_queue.h"
#include "ana_report.h"
#include "ana_run.h"

/* What a row of compare.csv says. */
enum {
    ANA_VERDICT_NONE,           /* "": fewer than two pairs */
    ANA_VERDICT_REFERENCE,      /* the first variant's own row */
    ANA_VERDICT_BETTER,
    ANA_VERDICT_WORSE,
    ANA_VERDICT_HIGHER,         /* metrics with no better direction */
    ANA_VERDICT_LOWER,
    ANA_VERDICT_SAME,           /* "indistinguishable" */
    ANA_VERDICT_ABSENT,         /* the reference has it, this variant not */
    ANA_VERDICT_NEW             /* this variant has it, the reference not */
};
/* The word compare.csv uses for verdict v ("" for ANA_VERDICT_NONE). */
const char *ana_verdict_name(int v);

/* One metric of a variant. */
typedef struct ana_cmp_metric {
    const char *scope, *metric; /* "system", "latency_mean" */
    const char *unit;           /* "s", "1/s" or "" (mdl_net.h) */
    int better;                 /* MDL_BETTER_* (mdl_net.h) */
    int quiet;                  /* the table leaves it out at usual */
    double usual;
    double th;                  /* theory's value, NaN when none */
    ana_ci ci;                  /* mean and interval, as summary.csv */
} ana_cmp_metric;

/* A variant's results: nmetrics metrics over nreps replications. */
typedef struct ana_cmp_var {
    /* public */
    const char *name;           /* the variant's name */
    size_t nmetrics;
    ana_cmp_metric *m;          /* nmetrics */
    unsigned nreps;
    double *x;                  /* x[i * nreps + r]: metric i in
                                   replication r, NaN when not observed */
    /* private: what ana_cmp_var_from_run() allocated */
    char *pool;
} ana_cmp_var;

/* Fill v from a run whose ana_run_reps() succeeded: a copy of its names,
 * intervals and replications (row k of r->results is replication
 * r->ids[k]; a replication that did not finish is NaN), so that r may be
 * destroyed. name is copied. Returns SIM_OK or SIM_ENOMEM; call
 * ana_cmp_var_destroy() either way. */
int ana_cmp_var_from_run(ana_cmp_var *v, const ana_run *r,
                         const char *name);
/* Free what ana_cmp_var_from_run() allocated; a zeroed v is fine. */
void ana_cmp_var_destroy(ana_cmp_var *v);

/* A variant against the reference, for one metric. */
typedef struct ana_cmp_diff {
    ana_ci paired;              /* D_r over the n pairs: mean, interval;
                                   n = 0 leaves the mean NaN, n = 1 the
                                   bounds */
    double means;               /* mean_v - mean_1, each over its own
                                   finite values (NaN without both) */
    double ulow, uhigh;         /* Welch interval of means; NaN unless
                                   each has two finite values */
    double udf;                 /* its degrees of freedom */
    int verdict;                /* ANA_VERDICT_* */
} ana_cmp_diff;

/* Compare xv[0..n-1] (variant v) with x1[0..n-1] (the reference),
 * entry r of each from replication r, NaN where not observed, at level
 * (e.g. 0.95), better being the metric's MDL_BETTER_*. work holds n
 * doubles. Returns SIM_OK, or SIM_EINVAL for a level outside (0, 1). */
int ana_compare_pair(const double *x1, const double *xv, size_t n,
                     double level, int better, double *work,
                     ana_cmp_diff *out);

/* A row of compare.csv: metric m of variant var. For ABSENT, m is the
 * reference's metric, which variant var lacks. */
typedef struct ana_cmp_row {
    size_t var, m;
    ana_cmp_diff d;             /* REFERENCE, ABSENT and NEW rows: NaN */
} ana_cmp_row;

typedef struct ana_compare {
    /* read-only */
    const ana_cmp_var *v;       /* borrowed: v[0] is the reference */
    size_t nvars;
    double level;
    ana_cmp_row *rows;          /* owned */
    size_t nrows;
    size_t verdicts[ANA_VERDICT_NEW + 1];      /* rows of each verdict */
} ana_compare;

/* Compare v[1..nvars-1] with v[0] (borrowed; they must outlive c), all
 * of the same nreps, at level. Rows are grouped by
 * metric: each metric of the reference (its row, then each variant's:
 * paired or ABSENT), in the reference's order; then the metrics only
 * some variants have (NEW), in the order they are first met. Returns
 * SIM_OK; SIM_EINVAL for fewer than 2 variants, different nreps or a
 * bad level; or SIM_ENOMEM. Call ana_compare_destroy() either way. */
int ana_compare_init(ana_compare *c, const ana_cmp_var *v, size_t nvars,
                     double level);
void ana_compare_destroy(ana_compare *c);

/* The heading of compare.csv: the contract of DESIGN.md section 6, then
 * unpaired_low, unpaired_high and n (the pairs behind a difference, or
 * the replications behind a mean). */
#define ANA_COMPARE_HEADER "scope,metric,variant,mean,ci_low,ci_high," \
    "diff_mean,diff_low,diff_high,verdict,unpaired_low,unpaired_high,n"

/* Write dir/compare.csv (one row per ana_cmp_row). Returns SIM_OK, or
 * SIM_EIO with d naming the file. */
int ana_compare_write(const ana_compare *c, const char *dir, sim_diag *d);
/* Print the table of the rows chosen as by ana_rows (NULL: the rows the
 * run table shows by default): per metric and variant the mean and its
 * interval, the paired difference and its interval, the unpaired
 * interval and the verdict. */
void ana_compare_print(const ana_compare *c, const ana_rows *rows,
                       FILE *out);

#endif /* ANA_COMPARE_H */
