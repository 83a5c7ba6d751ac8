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
 *
 * Also the warm-up `warmup: auto` chooses for an M/M/1 queue at load 0.9
 * started empty, over many seeds (check_ana_warmup.c derives the range).
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

/*
 * warmup: auto on an M/M/1 queue at load 0.9 started empty, at many
 * seeds: the long version of check_ana_warmup's test, whose comment
 * derives the bounds. tau = 1 / (mu (1 - sqrt(rho))^2) = 380 s; 100
 * replications of 6000 s, the pilot's batches 50 s. At every seed the
 * first batch (bias -5.3, 5.6 standard deviations of the batch mean) is
 * cut and the rule keeps to its own limit: 50 s <= warm-up <= 3000 s.
 * Beyond 2 tau the bias is under a tenth of the noise, so only noise
 * puts MSER's minimum there: that must not be the typical case, and the
 * median over the seeds is at most 2 tau = 760 s. A run 16 tau long has
 * settled, so the failure condition is a false alarm there, which must
 * stay rare: at most 1 seed in 10.
 */
#define WARMUP_SEEDS 60

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

START_TEST(test_warmup_auto_mm1_over_many_seeds)
{
    double w[WARMUP_SEEDS];
    char seed[64];
    const char *sets[] = {
        "workload.0.arrival=poisson(rate=0.9/s)",
        "services.server.service=exp(mean=1s)",
        "run.duration=6000s", "run.replications=100", "run.warmup=auto",
        seed
    };
    int k, unsettled = 0;

    for (k = 0; k < WARMUP_SEEDS; k++) {
        tst_model m;
        snprintf(seed, sizeof seed, "run.seed=%d", 1000 + k);
        tst_model_run(&m, "scenarios/mm1.yaml", sets, 6);
        w[k] = m.run.warm.warmup;
        unsettled += !m.run.warm.settled;
        ck_assert_msg(w[k] >= 50 && w[k] <= 3000, "seed %d: warm-up %g s",
                      1000 + k, w[k]);
        tst_model_free(&m);
    }
    qsort(w, WARMUP_SEEDS, sizeof *w, by_value);
    printf("warmup: auto, M/M/1 at 0.9: median %g s, from %g to %g s, "
           "%d of %d unsettled\n", w[WARMUP_SEEDS / 2], w[0],
           w[WARMUP_SEEDS - 1], unsettled, WARMUP_SEEDS);
    ck_assert_msg(w[WARMUP_SEEDS / 2] <= 760, "median warm-up %g s",
                  w[WARMUP_SEEDS / 2]);
    ck_assert_int_le(unsettled, WARMUP_SEEDS / 10);
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
    tc = tcase_create("warmup");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test_warmup_auto_mm1_over_many_seeds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
