/*
 * tst_model.c - load, simulate and summarise a scenario inside a test,
 * and compare it with theory at a level that does not depend on the seed
 * (tst_model.h).
 */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tst.h"
#include "tst_model.h"

void tst_model_run(tst_model *m, const char *scenario,
                   const char *const *sets, size_t nsets)
{
    ana_run_opts two = {0};
    sim_diag d;
    int rc;

    memset(m, 0, sizeof *m);
    memset(&d, 0, sizeof d);
    if (mdl_scenario_load(&m->s, tst_path(scenario), sets, nsets, &d)
        != SIM_OK)
        sim_diag_print(&d, stderr);
    ck_assert_ptr_nonnull(m->s);
    if (tst_model_seed())
        m->s->seed = tst_model_seed();
    ck_assert_int_eq(ana_theory_stability(m->s, &d), SIM_OK);
    ck_assert_int_eq(ana_run_init(&m->run, m->s, &d), SIM_OK);
    two.jobs = 2;
    if ((rc = ana_run_reps(&m->run, &two)) != SIM_OK)
        fprintf(stderr, "%s: %s\n", scenario, m->run.diag.msg);
    ck_assert_int_eq(rc, SIM_OK);
    ck_assert_uint_eq(m->run.done, m->run.nreps);
    m->net = m->run.net;
    m->th = m->run.th;
    m->rep = &m->run.rep;
}

void tst_model_free(tst_model *m)
{
    ana_run_destroy(&m->run);
    mdl_scenario_free(m->s);
}

const ana_ci *tst_model_ci(const tst_model *m, const char *scope,
                           const char *metric)
{
    size_t i;

    for (i = 0; i < mdl_net_nmetrics(m->net); i++)
        if (!strcmp(mdl_net_scope(m->net, i), scope)
            && !strcmp(mdl_net_metric(m->net, i), metric))
            return &m->rep->ci[i];
    ck_abort_msg("no metric %s %s", scope, metric);
    return NULL;
}

unsigned long long tst_model_seed(void)
{
    const char *e = getenv("QMESH_TEST_SEED");

    return e && *e ? strtoull(e, NULL, 10) : 0;
}

double tst_tol(const ana_ci *ci, size_t family)
{
    if (ci->n < 2 || !isfinite(ci->se))
        return 0;
    return gsl_cdf_tdist_Pinv(1 - TST_ALPHA / (2.0 * (double)family),
                              (double)(ci->n - 1)) * ci->se;
}

int tst_agrees(const ana_ci *ci, double want, size_t family)
{
    ana_ci wide = *ci;
    double tol = tst_tol(ci, family);

    wide.low = ci->mean - tol;
    wide.high = ci->mean + tol;
    return ana_ci_covers(&wide, want);
}

int tst_model_agrees(const tst_model *m, size_t i, double want,
                     size_t family, ana_ci *wide)
{
    ck_assert_int_eq(ana_report_ci_at(m->rep, i, 1 - TST_ALPHA
                                                 / (double)family, wide),
                     SIM_OK);
    return ana_ci_covers(wide, want);
}

void tst_model_covers(tst_model *m, const char *scope, const char *metric,
                      double want)
{
    const ana_ci *ci = tst_model_ci(m, scope, metric);
    ana_ci wide;

    ck_assert_msg(++m->ncovers <= TST_COVERS, "more than %d comparisons "
                  "on one model", TST_COVERS);
    ck_assert_msg(tst_model_agrees(m, (size_t)(ci - m->rep->ci), want,
                                   TST_COVERS, &wide),
                  "%s %s: expected %.6g, simulated %.6g in [%.6g, %.6g]",
                  scope, metric, want, ci->mean, wide.low, wide.high);
}

/* Means whose interval must be narrow: the headline numbers. */
static int is_precise(const char *metric)
{
    static const char *const m[] = {
        "latency_mean", "utilization", "jobs_mean", "queue_mean",
        "wait_mean", "response_mean", "throughput", "rejected"
    };
    size_t i;

    for (i = 0; i < sizeof m / sizeof *m; i++)
        if (!strcmp(metric, m[i]))
            return 1;
    return 0;
}

size_t tst_model_check_theory(const tst_model *m, const char *name,
                              const char *want_model, int precise)
{
    size_t i, family = 0, compared = 0;

    if (!m->th->applies)
        fprintf(stderr, "%s: no theory: %s\n", name, m->th->why);
    ck_assert(m->th->applies);
    ck_assert_msg(!strncmp(m->th->model, want_model, strlen(want_model)),
                  "%s: model '%s', expected '%s'", name, m->th->model,
                  want_model);
    for (i = 0; i < mdl_net_nmetrics(m->net); i++)
        family += !isnan(ana_theory_get(m->th, mdl_net_scope(m->net, i),
                                        mdl_net_metric(m->net, i)));
    for (i = 0; i < mdl_net_nmetrics(m->net); i++) {
        const char *scope = mdl_net_scope(m->net, i);
        const char *metric = mdl_net_metric(m->net, i);
        double want = ana_theory_get(m->th, scope, metric);
        const ana_ci *ci = &m->rep->ci[i];
        ana_ci wide;

        if (isnan(want))
            continue;
        compared++;
        ck_assert_msg(tst_model_agrees(m, i, want, family, &wide),
                      "%s %s %s: theory %.6g, simulated %.6g in [%.6g, "
                      "%.6g]", name, scope, metric, want, ci->mean,
                      wide.low, wide.high);
        if (precise && is_precise(metric) && want > 0) {
            double hw = gsl_cdf_tdist_Pinv(0.975, (double)(ci->n - 1))
                        * ci->se;
            ck_assert_msg(hw <= TST_PRECISE * fabs(ci->mean),
                          "%s %s %s: half-width %.3g%% of the mean", name,
                          scope, metric, 100 * hw / ci->mean);
        }
    }
    return compared;
}
