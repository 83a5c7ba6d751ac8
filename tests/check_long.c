/*
 * check_long.c - long statistical validation (make check-long): do qmesh's
 * 95% confidence intervals cover the true value 95% of the time?
 *
 * check_validate shows that theory lies inside one interval per model;
 * that would also hold for intervals that are far too wide. Here each
 * model runs with many independent master seeds, and for every metric
 * with an analytic value we count how often the interval covers it. With
 * K seeds the count is Binomial(K, 0.95) if the intervals are right (and
 * the simulation unbiased): its standard deviation for K = 200 is 1.5
 * points, so coverage outside [88%, 99%] would be a real defect (too
 * narrow, biased, or too wide), not chance (>= 3.3 standard deviations).
 * Metrics whose interval has zero width (an availability of exactly 1)
 * carry no information and are skipped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tst.h"
#include "tst_model.h"

#define SEEDS 200

static void coverage(const char *scenario, const char *duration,
                     const char *warmup)
{
    char seed[64], dur[64], warm[64];
    const char *sets[] = {seed, dur, warm, "run.replications=10"};
    size_t nm = 0, i, *hits = NULL, *seen = NULL;
    int k;

    snprintf(dur, sizeof dur, "run.duration=%s", duration);
    snprintf(warm, sizeof warm, "run.warmup=%s", warmup);
    for (k = 0; k < SEEDS; k++) {
        tst_model m;
        snprintf(seed, sizeof seed, "run.seed=%d", 1000 + k);
        tst_model_run(&m, scenario, sets, 4);
        ck_assert(m.th->applies);
        if (!hits) {
            nm = mdl_net_nmetrics(m.net);
            hits = calloc(nm, sizeof *hits);
            seen = calloc(nm, sizeof *seen);
            ck_assert(hits && seen);
        }
        for (i = 0; i < nm; i++) {
            double want = ana_theory_get(m.th, mdl_net_scope(m.net, i),
                                         mdl_net_metric(m.net, i));
            const ana_ci *ci = &m.rep->ci[i];
            if (isnan(want) || !(ci->high > ci->low))
                continue;
            seen[i]++;
            hits[i] += ana_ci_covers(ci, want);
        }
        if (k + 1 == SEEDS) {
            for (i = 0; i < nm; i++) {
                double cov = seen[i] ? (double)hits[i] / seen[i] : NAN;
                if (seen[i] < SEEDS / 2)
                    continue;   /* too few informative intervals */
                printf("%-22s %-24s %-14s coverage %5.1f%% of %zu\n",
                       scenario, mdl_net_scope(m.net, i),
                       mdl_net_metric(m.net, i), 100 * cov, seen[i]);
                ck_assert_msg(cov >= 0.88 && cov <= 0.99,
                              "%s %s %s: 95%% intervals cover theory "
                              "%.1f%% of the time", scenario,
                              mdl_net_scope(m.net, i),
                              mdl_net_metric(m.net, i), 100 * cov);
            }
        }
        tst_model_free(&m);
    }
    free(hits);
    free(seen);
}

START_TEST(test_coverage_mm1)
{
    coverage("scenarios/mm1.yaml", "500s", "50s");
}
END_TEST

START_TEST(test_coverage_mmc)
{
    coverage("scenarios/mmc.yaml", "500s", "50s");
}
END_TEST

START_TEST(test_coverage_mmck)
{
    coverage("scenarios/mmck.yaml", "200s", "20s");
}
END_TEST

START_TEST(test_coverage_mh2)
{
    coverage("scenarios/mh2.yaml", "1000s", "100s");
}
END_TEST

START_TEST(test_coverage_jackson)
{
    coverage("scenarios/jackson.yaml", "300s", "30s");
}
END_TEST

START_TEST(test_coverage_closed)
{
    coverage("scenarios/closed.yaml", "300s", "30s");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("long");
    TCase *tc = tcase_create("coverage");

    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test_coverage_mm1);
    tcase_add_test(tc, test_coverage_mmc);
    tcase_add_test(tc, test_coverage_mmck);
    tcase_add_test(tc, test_coverage_mh2);
    tcase_add_test(tc, test_coverage_jackson);
    tcase_add_test(tc, test_coverage_closed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
