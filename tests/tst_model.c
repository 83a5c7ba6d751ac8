/*
 * tst_model.c - load, simulate and summarise a scenario inside a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_rep.h"
#include "tst.h"
#include "tst_model.h"

static int run_rep(void *ctx, unsigned rep, double *out)
{
    return mdl_net_run(ctx, rep, out, NULL);
}

void tst_model_run(tst_model *m, const char *scenario,
                   const char *const *sets, size_t nsets)
{
    sim_diag d;
    size_t len;

    memset(m, 0, sizeof *m);
    memset(&d, 0, sizeof d);
    if (mdl_scenario_load(&m->s, tst_path(scenario), sets, nsets, &d)
        != SIM_OK)
        sim_diag_print(&d, stderr);
    ck_assert_ptr_nonnull(m->s);
    ck_assert_int_eq(ana_theory_stability(m->s, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&m->net, m->s, &d), SIM_OK);
    ck_assert_int_eq(ana_theory_new(&m->th, m->s), SIM_OK);
    len = mdl_net_result_len(m->net);
    m->results = malloc(m->s->replications * len * sizeof *m->results);
    ck_assert_ptr_nonnull(m->results);
    ck_assert_int_eq(sim_rep_run(m->s->replications, 2, len, run_rep,
                                 m->net, m->results, NULL, NULL), SIM_OK);
    ck_assert_int_eq(ana_report_init(&m->rep, m->s, m->net, m->th,
                                     m->s->replications, m->results),
                     SIM_OK);
}

void tst_model_free(tst_model *m)
{
    ana_report_destroy(&m->rep);
    free(m->results);
    ana_theory_free(m->th);
    mdl_net_free(m->net);
    mdl_scenario_free(m->s);
}

const ana_ci *tst_model_ci(const tst_model *m, const char *scope,
                           const char *metric)
{
    size_t i;

    for (i = 0; i < mdl_net_nmetrics(m->net); i++)
        if (!strcmp(mdl_net_scope(m->net, i), scope)
            && !strcmp(mdl_net_metric(m->net, i), metric))
            return &m->rep.ci[i];
    ck_abort_msg("no metric %s %s", scope, metric);
    return NULL;
}

void tst_model_covers(const tst_model *m, const char *scope,
                      const char *metric, double want)
{
    const ana_ci *ci = tst_model_ci(m, scope, metric);

    ck_assert_msg(ana_ci_covers(ci, want),
                  "%s %s: expected %.6g outside [%.6g, %.6g]", scope, metric,
                  want, ci->low, ci->high);
}
