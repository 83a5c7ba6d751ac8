/*
 * check_precision.c - run.precision: replications are added until the
 * interval of one metric is within the bound, stopping at the first
 * replication count where it is (checked here against the replications
 * themselves), at the same count and with the same files for any -j;
 * max_replications ends a run that does not get there, and says so;
 * bad keys are errors naming the line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_queue.h"
#include "tst.h"

#define PRECISION "run.precision={metric: system.latency_mean, relative: 2%}"

static char *read_in(const char *dir, const char *name)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tst_slurp(path, NULL);
}

/* system latency_mean of each replication in replications.csv, in
 * order, into x[]; returns how many. */
static size_t means(const char *dir, double *x, size_t most)
{
    char *t = read_in(dir, "replications.csv"), *line, *save = NULL;
    size_t n = 0;

    for (line = strtok_r(t, "\n", &save); line && n < most;
         line = strtok_r(NULL, "\n", &save)) {
        unsigned rep;
        double v;
        if (sscanf(line, "%u,system,latency_mean,%lf", &rep, &v) == 2) {
            ck_assert_uint_eq(rep, n + 1);
            x[n++] = v;
        }
    }
    free(t);
    return n;
}

static double rel_half(const double *x, size_t n)
{
    ana_ci ci;

    ck_assert_int_eq(ana_ci_t(x, n, 0.95, &ci), 0);
    return (ci.high - ci.mean) / ci.mean;
}

START_TEST(test_precision_stops_at_the_first_count_within_the_bound)
{
    char dir[512], want[128];
    double x[300];
    size_t n, k;
    char *t;
    tst_out r;

    snprintf(dir, sizeof dir, "%s/p", tst_tmpdir());
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "3",
              "--set", "run.duration=200s", "--set", PRECISION,
              "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_out_free(&r);
    n = means(dir, x, 300);
    ck_assert_msg(n > 3 && n < 200, "%zu replications", n);
    ck_assert(rel_half(x, n) <= 0.02);
    for (k = 3; k < n; k++)         /* none before it was within */
        ck_assert_msg(rel_half(x, k) > 0.02, "within at %zu of %zu", k, n);
    t = read_in(dir, "provenance.csv");
    snprintf(want, sizeof want, "precision,system.latency_mean within 2%% "
             "after %zu replications\n", n);
    tst_assert_has(t, want, "provenance.csv");
    free(t);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_precision_stops_at_the_same_count_for_any_jobs)
{
    static const char *const jobs[] = {"1", "2", "3"};
    char dir[3][512];
    char *sum[3], *reps[3];
    int j;
    tst_out r;

    for (j = 0; j < 3; j++) {
        snprintf(dir[j], sizeof dir[j], "%s/j%s", tst_tmpdir(), jobs[j]);
        tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "-r", "2",
                  "-j", jobs[j], "--set", "run.duration=200s", "--set",
                  PRECISION, "-o", dir[j], NULL);
        ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
        tst_out_free(&r);
        sum[j] = read_in(dir[j], "summary.csv");
        reps[j] = read_in(dir[j], "replications.csv");
    }
    for (j = 1; j < 3; j++) {
        ck_assert_str_eq(sum[j], sum[0]);
        ck_assert_str_eq(reps[j], reps[0]);
    }
    for (j = 0; j < 3; j++) {
        free(sum[j]);
        free(reps[j]);
        tst_rm_tree(dir[j]);
    }
}
END_TEST

START_TEST(test_max_replications_ends_a_run_short_of_the_bound)
{
    char dir[512];
    double x[300];
    char *t;
    tst_out r;

    snprintf(dir, sizeof dir, "%s/p", tst_tmpdir());
    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-r", "2", "--set",
              "run.duration=20s", "--set", "run.precision={metric: "
              "system.latency_mean, relative: 0.1%, max_replications: 5}",
              "-o", dir, NULL);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    tst_assert_has(r.out, "precision: system.latency_mean not within "
                   "0.1% after 5 replications", "stdout");
    tst_out_free(&r);
    ck_assert_uint_eq(means(dir, x, 300), 5);
    t = read_in(dir, "provenance.csv");
    tst_assert_has(t, "precision,system.latency_mean not within", "prov");
    free(t);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_precision_errors_name_the_key)
{
    static const char *const bad[][2] = {
        {"run.precision={relative: 2%}", "needs 'metric' and 'relative'"},
        {"run.precision={metric: latency, relative: 2%}",
         "must be SCOPE.METRIC"},
        {"run.precision={metric: system.latency_mean, relative: 200%}",
         "below 100"},
        {"run.precision={metric: system.latency_mean, relative: 2%, "
         "max_replications: 1}", "max_replications"},
        {"run.precision={metric: system.latency_mean, relativ: 2%}",
         "did you mean 'relative'"},
        {"run.precision={metric: system.latency_man, relative: 2%}",
         "no metric 'system.latency_man'"},
    };
    tst_out r;

    tst_qmesh(&r, NULL, "run", "scenarios/mm1.yaml", "-q", "--set",
              bad[_i][0], "-o", "@DIR/x", NULL);
    ck_assert_int_eq(r.status, 2);
    tst_assert_has(r.err, bad[_i][1], "stderr");
    tst_out_free(&r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("precision");
    TCase *tc = tcase_create("precision");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc,
        test_precision_stops_at_the_first_count_within_the_bound);
    tcase_add_test(tc, test_precision_stops_at_the_same_count_for_any_jobs);
    tcase_add_test(tc, test_max_replications_ends_a_run_short_of_the_bound);
    tcase_add_loop_test(tc, test_precision_errors_name_the_key, 0, 6);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
