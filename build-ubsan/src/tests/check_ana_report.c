/*
 * check_ana_report.c - confidence intervals of the results table, from
 * result vectors made up here (not simulated), so every value is exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_report.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "tst.h"

static size_t metric(const mdl_net *net, const char *scope, const char *name)
{
    size_t m;

    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_scope(net, m), scope)
            && !strcmp(mdl_net_metric(net, m), name))
            return m;
    ck_abort_msg("no metric %s %s", scope, name);
    return 0;
}

/* Two replications far apart: the t interval (t = 12.71 at 95%) around
 * their mean reaches below 0 and above 1; it is clipped to what each
 * metric can be, and the mean is left alone. */
START_TEST(test_intervals_stay_within_what_the_metric_can_be)
{
    static const struct { const char *scope, *name; double a, b, lo, hi; }
    cases[] = {
        /* a fraction: clipped at both ends */
        {"service:server", "utilization", 0.99, 0.02385, 0, 1},
        {"system", "availability", 1.0, 0.2385, 0, 1},
        /* a count and a time: at 0 only */
        {"service:server", "queue_mean", 0.02385, 4.5, 0, NAN},
        {"system", "latency_mean", 0.002385, 0.9, 0, NAN},
    };
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_report rep;
    double *res;
    size_t len, i;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("scenarios/mm1.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    len = mdl_net_result_len(net);
    res = calloc(2 * len, sizeof *res);
    ck_assert_ptr_nonnull(res);
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t m = metric(net, cases[i].scope, cases[i].name);
        res[m] = cases[i].a;
        res[len + m] = cases[i].b;
    }
    ck_assert_int_eq(ana_report_init(&rep, s, net, NULL, 2, res), SIM_OK);
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ana_ci *ci = &rep.ci[metric(net, cases[i].scope,
                                          cases[i].name)];
        double half = 12.7062047362 * fabs(cases[i].a - cases[i].b) / 2;
        ck_assert_double_eq_tol(ci->mean, (cases[i].a + cases[i].b) / 2,
                                1e-12);
        ck_assert_double_eq(ci->low, cases[i].lo);
        if (isnan(cases[i].hi))
            ck_assert_double_eq_tol(ci->high, ci->mean + half, 1e-6);
        else
            ck_assert_double_eq(ci->high, cases[i].hi);
    }
    ana_report_destroy(&rep);
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

/* At a delay station utilization is the mean number busy: no cap at 1. */
START_TEST(test_delay_station_utilization_is_not_a_fraction)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    size_t m;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("scenarios/teaching/"
                                                "fanout.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_metric(net, m), "utilization"))
            ck_assert_double_eq(mdl_net_metric_max(net, m),
                                !strcmp(mdl_net_scope(net, m),
                                        "service:front")    /* the delay */
                                ? INFINITY : 1.0);
    mdl_net_free(net);
    mdl_scenario_free(s);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_report");
    TCase *tc = tcase_create("intervals");

    tcase_add_test(tc, test_intervals_stay_within_what_the_metric_can_be);
    tcase_add_test(tc, test_delay_station_utilization_is_not_a_fraction);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
