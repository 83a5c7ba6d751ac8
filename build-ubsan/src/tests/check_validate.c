/*
 * check_validate.c - the simulator against queueing theory.
 *
 * Each test runs a shipped scenario through the same path as `qmesh run`
 * (loader, model, replications, Student-t intervals) and checks that
 * every metric with an analytic value (analysis/ana_theory.c, written
 * independently of the simulation) agrees with the simulated mean within
 * a Bonferroni-corrected t interval (tst_model.h), which holds at any
 * seed with probability 0.999, and that the run was long enough for the
 * 95% interval of each headline mean to be narrower than +-4% of it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tst.h"
#include "tst_model.h"

/* Run the scenario with the overrides and check it against theory.
 * Returns the number of metrics compared. want_model is a prefix of the
 * theory's model name. precise: also require +-4% intervals (off for
 * scenarios with near-idle stations, whose tiny queues are noisy). */
static size_t validate(const char *scenario, const char *const *sets,
                       size_t nsets, const char *want_model, int precise)
{
    tst_model m;
    size_t compared;

    tst_model_run(&m, scenario, sets, nsets);
    compared = tst_model_check_theory(&m, scenario, want_model, precise);
    tst_model_free(&m);
    return compared;
}

START_TEST(test_mm1_at_load_0_5)
{
    ck_assert_uint_ge(validate("scenarios/mm1.yaml", NULL, 0, "M/M/1", 1),
                      20);
}
END_TEST

START_TEST(test_mm1_at_load_0_9)
{
    static const char *const sets[] = {
        "workload.0.arrival=poisson(rate=90/s)", "run.duration=20000s",
        "run.warmup=1000s"
    };

    ck_assert_uint_ge(validate("scenarios/mm1.yaml", sets, 3, "M/M/1", 1),
                      20);
}
END_TEST

START_TEST(test_mmc_erlang_c)
{
    ck_assert_uint_ge(validate("scenarios/mmc.yaml", NULL, 0, "M/M/3", 1),
                      20);
}
END_TEST

START_TEST(test_mmck_blocking)
{
    ck_assert_uint_ge(validate("scenarios/mmck.yaml", NULL, 0, "M/M/2/5", 1),
                      10);
}
END_TEST

START_TEST(test_md1_pollaczek_khinchine)
{
    ck_assert_uint_ge(validate("scenarios/md1.yaml", NULL, 0, "M/G/1", 1),
                      10);
}
END_TEST

START_TEST(test_mh2_pollaczek_khinchine)
{
    ck_assert_uint_ge(validate("scenarios/mh2.yaml", NULL, 0, "M/G/1", 1),
                      10);
}
END_TEST

START_TEST(test_jackson_feedback_two_classes)
{
    ck_assert_uint_ge(validate("scenarios/jackson.yaml", NULL, 0,
                               "open Jackson", 1), 30);
}
END_TEST

START_TEST(test_closed_network_mva)
{
    ck_assert_uint_ge(validate("scenarios/closed.yaml", NULL, 0,
                               "closed product-form", 1), 30);
}
END_TEST

START_TEST(test_ecommerce_with_ps_station)
{
    ck_assert_uint_ge(validate("scenarios/ecommerce.yaml", NULL, 0,
                               "open Jackson", 0), 40);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc;

    tc = tcase_create("single_station");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_mm1_at_load_0_5);
    tcase_add_test(tc, test_mm1_at_load_0_9);
    tcase_add_test(tc, test_mmc_erlang_c);
    tcase_add_test(tc, test_mmck_blocking);
    tcase_add_test(tc, test_md1_pollaczek_khinchine);
    tcase_add_test(tc, test_mh2_pollaczek_khinchine);
    suite_add_tcase(s, tc);
    tc = tcase_create("networks");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_jackson_feedback_two_classes);
    tcase_add_test(tc, test_closed_network_mva);
    tcase_add_test(tc, test_ecommerce_with_ps_station);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
