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
#include "../sim/sim_stat.h"
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

/* The n vectors of res (mdl_net_result_len() doubles each) as rows
 * 0 .. n - 1 of st (zeroed, or holding earlier rows: they go). */
static void keep(ana_store *st, const mdl_net *net, const double *res,
                 unsigned n)
{
    unsigned k;

    ana_store_destroy(st);
    ck_assert_int_eq(ana_store_init(st, net, n), SIM_OK);
    for (k = 0; k < n; k++)
        ck_assert_int_eq(ana_store_put(st, k, res + (size_t)k
                                       * mdl_net_result_len(net)), SIM_OK);
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
    ana_store st = {0};
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
    keep(&st, net, res, 2);
    ck_assert_int_eq(ana_report_init(&rep, s, net, NULL, 2, &st), SIM_OK);
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
    ana_store_destroy(&st);
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

/* ---- latency quantiles: pooled histograms, sectioning ---- */

/* Latencies in three bins of width 1/128 s: [1, 1 + 1/128),
 * [1.25, 1.25 + 1/128) and [1.5, 1.5 + 1/128). */
static const double EDGE[3] = { 1.0, 1.25, 1.5 };

/* The p-quantile of counts c[3] in those bins, interpolated inside its
 * bin (what a replication reports); NaN with no count. */
static double hand_quantile(const int *c, double p)
{
    double n = c[0] + c[1] + c[2], target = p * n, cum = 0;
    int i;

    for (i = 0; i < 3 && n > 0; i++) {
        if (c[i] > 0 && cum + c[i] >= target)
            return EDGE[i] + (target - cum) / c[i] / 128;
        cum += c[i];
    }
    return NAN;
}

/* The histogram scope named scope. */
static size_t hist_of(const mdl_net *net, const char *scope)
{
    size_t h;

    for (h = 0; h < mdl_net_nhists(net); h++)
        if (!strcmp(mdl_net_hist_scope(net, h), scope))
            return h;
    ck_abort_msg("no histogram %s", scope);
    return 0;
}

/* Put counts c[3] into scope's histogram in row, and its quantiles. */
static void fill(const mdl_net *net, double *row, const char *scope,
                 const int *c)
{
    static const char *const q[] = {
        "latency_p50", "latency_p95", "latency_p99", "latency_p999"
    };
    static const double p[] = { 0.50, 0.95, 0.99, 0.999 };
    size_t h = hist_of(net, scope), i;

    for (i = 0; i < 3; i++)
        row[mdl_net_nmetrics(net) + h * SIM_HIST_BINS
            + sim_hist_bin(EDGE[i])] = c[i];
    for (i = 0; i < 4; i++)
        row[metric(net, scope, q[i])] = hand_quantile(c, p[i]);
}

/* t_{0.975, 4}, from tables. */
#define T4 2.7764451051977987

/* Six replications of the Jackson scenario made up by hand: class browse
 * has requests in five of them (none in the third), class api in the
 * third only; the system has both. Each quantile q is read from the
 * histogram summed over the replications; its interval is the pooled
 * quantiles at p +- t se, se from the spread of the sections' shares
 * F_i at or below q around p, the sections being the replications that
 * have requests. */
START_TEST(test_quantiles_pool_the_replications_histograms)
{
    static const int browse[6][3] = {
        {5, 3, 2}, {4, 4, 2}, {0, 0, 0}, {6, 2, 2}, {3, 4, 3}, {5, 3, 2}
    };
    static const int api[3] = {0, 4, 0}, none[3] = {0, 0, 0};
    static const unsigned ids[6] = {0, 1, 3, 4, 6, 7};
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_store st = {0};
    ana_report rep;
    const ana_ci *ci;
    double *res, w, se, lo, hi, f[5];
    size_t len, k, i;
    char *text;
    const char *dir;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("scenarios/"
                                                "jackson.yaml"),
                                       NULL, 0, &d), SIM_OK);
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    len = mdl_net_result_len(net);
    res = calloc(6 * len, sizeof *res);
    ck_assert_ptr_nonnull(res);
    for (k = 0; k < 6; k++) {
        int sys[3];
        for (i = 0; i < 3; i++)
            sys[i] = browse[k][i] + (k == 2 ? api[i] : 0);
        fill(net, res + k * len, "system", sys);
        fill(net, res + k * len, "class:browse", browse[k]);
        fill(net, res + k * len, "class:api", k == 2 ? api : none);
    }
    keep(&st, net, res, 6);
    ck_assert_int_eq(ana_report_init(&rep, s, net, NULL, 6, &st), SIM_OK);

    /* class:browse pooled: 23, 16, 11 (50). p50: target 25, 2 of 16
     * into the second bin (w = 1/8 of it); the sections' shares up to
     * there (5 + 3w)/10, (4 + 4w)/10, (6 + 2w)/10, (3 + 4w)/10,
     * (5 + 3w)/10. */
    ci = &rep.ci[metric(net, "class:browse", "latency_p50")];
    w = 2.0 / 16;
    f[0] = f[4] = (5 + 3 * w) / 10;
    f[1] = (4 + 4 * w) / 10;
    f[2] = (6 + 2 * w) / 10;
    f[3] = (3 + 4 * w) / 10;
    for (se = 0, i = 0; i < 5; i++)
        se += (f[i] - 0.5) * (f[i] - 0.5);
    se = sqrt(se / (5 * 4));
    /* 0.5 -+ T4 se = 0.371, 0.629: targets 18.5 (first bin of 23) and
     * 31.5 (second bin, after 23) of 50 */
    lo = 1 + 50 * (0.5 - T4 * se) / 23 / 128;
    hi = 1.25 + (50 * (0.5 + T4 * se) - 23) / 16 / 128;
    ck_assert_uint_eq(ci->n, 5);
    ck_assert_double_eq_tol(ci->mean, 1.25 + w / 128, 1e-12);
    ck_assert(isnan(ci->se));
    ck_assert_double_eq_tol(ci->low, lo, 1e-12);
    ck_assert_double_eq_tol(ci->high, hi, 1e-12);
    /* p95: target 47.5, 8.5 of 11 into the third bin; shares
     * (8 + 2w)/10 but the fifth's (7 + 3w)/10; both ends in that bin. */
    ci = &rep.ci[metric(net, "class:browse", "latency_p95")];
    w = 8.5 / 11;
    se = 4 * pow((8 + 2 * w) / 10 - 0.95, 2) + pow((7 + 3 * w) / 10 - 0.95, 2);
    se = sqrt(se / (5 * 4));
    ck_assert_uint_eq(ci->n, 5);
    ck_assert_double_eq_tol(ci->mean, 1.5 + w / 128, 1e-12);
    ck_assert_double_eq_tol(ci->low,
                            1.5 + (50 * (0.95 - T4 * se) - 39) / 11 / 128,
                            1e-12);
    ck_assert_double_eq_tol(ci->high,
                            1.5 + (50 * (0.95 + T4 * se) - 39) / 11 / 128,
                            1e-12);
    /* At another level, t_{0.9995, 4} = 8.6103 from tables. */
    {
        ana_ci wide;
        ck_assert_int_eq(ana_report_ci_at(&rep, metric(net, "class:browse",
                                                       "latency_p95"),
                                          0.999, &wide), SIM_OK);
        ck_assert_double_eq_tol(wide.mean, ci->mean, 1e-15);
        ck_assert_double_eq_tol(wide.high, 1.5 + (50 * (0.95 + 8.6103 * se)
                                                  - 39) / 11 / 128, 1e-6);
        ck_assert_int_eq(ana_report_ci_at(&rep, 0, 1.0, &wide),
                         SIM_EINVAL);
    }

    /* class:api: one replication, its own quantile, no interval. */
    ci = &rep.ci[metric(net, "class:api", "latency_p50")];
    ck_assert_uint_eq(ci->n, 1);
    ck_assert_double_eq_tol(ci->mean, 1.25 + 2.0 / 4 / 128, 1e-12);
    ck_assert(isnan(ci->low) && isnan(ci->high));

    /* system: 23, 20, 11 (54) over all six; p50: target 27, 4 of 20
     * into the second bin. */
    ci = &rep.ci[metric(net, "system", "latency_p50")];
    ck_assert_uint_eq(ci->n, 6);
    ck_assert_double_eq_tol(ci->mean, 1.25 + 4.0 / 20 / 128, 1e-12);

    /* A partial run (rows 0..5 are replications 1, 2, 4, 5, 7, 8):
     * summary.csv has the pooled quantile, replications.csv each
     * replication's own under its number. */
    rep.ids = ids;
    dir = tst_tmpdir();
    ck_assert_int_eq(ana_report_write(&rep, dir, &d), SIM_OK);
    {
        char path[512], want[128];
        snprintf(path, sizeof path, "%s/summary.csv", dir);
        text = tst_slurp(path, NULL);
        snprintf(want, sizeof want, "\nclass:api,latency_p50,%.10g,,,1\n",
                 1.25 + 2.0 / 4 / 128);
        tst_assert_has(text, want, "summary.csv");
        free(text);
        snprintf(path, sizeof path, "%s/replications.csv", dir);
        text = tst_slurp(path, NULL);
        snprintf(want, sizeof want, "\n5,class:browse,latency_p50,%.10g\n",
                 1 + 5.0 / 6 / 128);
        tst_assert_has(text, want, "replications.csv");
        free(text);
    }
    ana_report_destroy(&rep);

    /* No request of class api anywhere: no quantile, n = 0. */
    for (k = 0; k < 6; k++)
        fill(net, res + k * len, "class:api", none);
    keep(&st, net, res, 6);
    ck_assert_int_eq(ana_report_init(&rep, s, net, NULL, 6, &st), SIM_OK);
    ci = &rep.ci[metric(net, "class:api", "latency_p999")];
    ck_assert_uint_eq(ci->n, 0);
    ck_assert(isnan(ci->mean) && isnan(ci->low) && isnan(ci->high));
    ana_report_destroy(&rep);
    ana_store_destroy(&st);
    tst_rm_tree(dir);
    free(res);
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
    tc = tcase_create("quantiles");
    tcase_add_test(tc, test_quantiles_pool_the_replications_histograms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
