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
 *
 * Theory must also know when it has no answer: a scenario with a feature
 * outside the exact models' allow-list (ana_theory.c) is never called
 * exact, whatever the feature.
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

/* ---- tail quantiles of short replications ---- */

#define TAIL_SEEDS 5

/* M/M/1 with lambda = 0.9/s, mu = 1/s: the sojourn is exponential with
 * rate mu - lambda = 0.1/s, so its p-quantile is -ln(1 - p) / 0.1 s:
 * p99 = 46.05 s, p99.9 = 69.08 s. 20 replications of 50,000 s (45,000
 * requests each, a few dozen excursions of the queue) are short for the
 * tail: the mean of the replications' own p99.9 is about 60 s, and its
 * interval missed 69.08 at most seeds. The quantile of the pooled
 * histogram and its interval (ana_report.c) must hold both values at
 * every seed tried; the family is the seeds times the two metrics. */
START_TEST(test_mm1_tail_quantiles_of_short_replications)
{
    static const struct { const char *metric; double p; } q[] = {
        {"latency_p99", 0.99}, {"latency_p999", 0.999}
    };
    const size_t family = TAIL_SEEDS * 2;
    char seed[32];
    const char *const sets[] = {
        "services.server.service=exp(mean=1s)",
        "workload.0.arrival=poisson(rate=0.9/s)", "run.duration=50000s",
        "run.warmup=5000s", "run.replications=20", seed
    };
    int k;
    size_t i;

    for (k = 1; k <= TAIL_SEEDS; k++) {
        tst_model m;
        snprintf(seed, sizeof seed, "run.seed=%d", k);
        tst_model_run(&m, "scenarios/mm1.yaml", sets, 6);
        for (i = 0; i < 2; i++) {
            const ana_ci *ci = tst_model_ci(&m, "system", q[i].metric);
            double want = -log(1 - q[i].p) / 0.1;
            ana_ci wide;
            ck_assert_uint_eq(ci->n, 20);
            ck_assert_msg(tst_model_agrees(&m, (size_t)(ci - m.rep->ci),
                                           want, family, &wide),
                          "seed %d %s: %.6g s, simulated %.6g in [%.6g, "
                          "%.6g]", k, q[i].metric, want, ci->mean,
                          wide.low, wide.high);
        }
        tst_model_free(&m);
    }
}
END_TEST

/* ---- the allow-list ---- */

/* The theory of scenario with the overrides; fails the test on error. */
static ana_theory *theory_of(const char *scenario, const char *const *sets,
                             size_t nsets, mdl_scenario **s)
{
    ana_theory *th = NULL;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(s, tst_path(scenario), sets, nsets,
                                       &d), SIM_OK);
    ck_assert_int_eq(ana_theory_new(&th, *s), SIM_OK);
    return th;
}

/* th gives no exact value, and its reason contains words. */
static void not_exact(const ana_theory *th, const char *words)
{
    ck_assert_msg(!th->applies, "called exact: %s", th->model);
    ck_assert_uint_eq(th->n, 0);
    ck_assert(isnan(ana_theory_get(th, "system", "latency_mean")));
    ck_assert_msg(strstr(th->why, words) != NULL, "'%s' does not say '%s'",
                  th->why, words);
}

START_TEST(test_replicated_station_is_not_called_exact)
{
    /* Each replica queues on its own: no M/M/c, though servers is c. */
    const char *const sets[] = {"services.server.replicas=2"};
    mdl_scenario *s = NULL;
    ana_theory *th = theory_of("scenarios/mmc.yaml", sets, 1, &s);

    not_exact(th, "several replicas");
    ana_theory_free(th);
    mdl_scenario_free(s);
}
END_TEST

/* Callers that give up, retry or hedge, and servers that drop late
 * work, are in no exact model: the M/M/1 behind a timeout is not M/M/1
 * any more. */
START_TEST(test_timeouts_and_deadline_checks_are_not_called_exact)
{
    const char *const check[] = {
        "calls.client->server.timeout=0", "services.server.deadline_check=1"
    };
    const char *const retry[] = { "calls.client->server.timeout=0" };
    const char *const scale[] = {
        "services.server.autoscale.target=0.5",
        "services.server.autoscale.max=2"
    };
    mdl_scenario *s = NULL;
    ana_theory *th = theory_of("tests/data/timeout.yaml", NULL, 0, &s);

    not_exact(th, "calls 'client->server' has a timeout or a deadline");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("tests/data/timeout.yaml", check, 2, &s);
    not_exact(th, "service 'server' checks deadlines");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("tests/data/retry.yaml", retry, 1, &s);
    not_exact(th, "calls 'client->server' retries");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("tests/data/hedge.yaml", NULL, 0, &s);
    not_exact(th, "calls 'client->server' hedges");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("scenarios/mm1.yaml", scale, 2, &s);
    not_exact(th, "service 'server' autoscales");
    ana_theory_free(th);
    mdl_scenario_free(s);
}
END_TEST

/* A bulkhead that refuses calls, or a fallback that answers for them,
 * takes the model out of every exact one (even a bulkhead too wide to
 * refuse anything: theory does not look at load). */
START_TEST(test_bulkheads_and_fallbacks_are_not_called_exact)
{
    const char *const bulkhead[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.bulkhead.max_concurrent=1000"
    };
    const char *const fallback[] = {
        "calls.client->server.timeout=0", "calls.client->server.fallback=1"
    };
    const char *const neither[] = {
        "calls.client->server.timeout=0", "calls.client->server.fallback=0"
    };
    mdl_scenario *s = NULL;
    ana_theory *th = theory_of("tests/data/timeout.yaml", bulkhead, 2, &s);

    not_exact(th, "calls 'client->server' has a bulkhead");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("tests/data/timeout.yaml", fallback, 2, &s);
    not_exact(th, "calls 'client->server' falls back");
    ana_theory_free(th);
    mdl_scenario_free(s);
    th = theory_of("tests/data/timeout.yaml", neither, 2, &s);
    ck_assert(th->applies);
    ana_theory_free(th);
    mdl_scenario_free(s);
}
END_TEST

/* A value of a feature that theory was not told about, as a kind added
 * to the model later would be: each is reason enough to refuse. */
START_TEST(test_feature_theory_does_not_know_is_not_called_exact)
{
    const char *const single[] = {"scenarios/mm1.yaml", "scenarios/md1.yaml",
                                  "scenarios/mmck.yaml"};
    mdl_scenario *s = NULL;
    ana_theory *th;
    size_t i;

    for (i = 0; i < 3; i++) {
        th = theory_of(single[i], NULL, 0, &s);
        ck_assert(th->applies);          /* exact as shipped */
        ana_theory_free(th);
        s->topo->services[0].discipline = (mdl_discipline)3;
        ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
        not_exact(th, "discipline theory does not know");
        ana_theory_free(th);
        s->topo->services[0].discipline = MDL_DISC_FIFO;
        s->topo->services[0].kind = (mdl_svc_kind)3;
        ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
        not_exact(th, "kind of station theory does not know");
        ana_theory_free(th);
        s->topo->services[0].kind = MDL_SVC_SERVICE;
        s->topo->services[0].service.kind = (mdl_dist_kind)10;
        ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
        not_exact(th, "service distribution theory does not know");
        ana_theory_free(th);
        mdl_scenario_free(s);
    }

    /* In a network: a station, an edge, a workload. */
    th = theory_of("scenarios/ecommerce.yaml", NULL, 0, &s);
    ck_assert(th->applies);
    ana_theory_free(th);
    s->topo->services[1].service.kind = (mdl_dist_kind)10;  /* PS */
    ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
    not_exact(th, "service distribution theory does not know");
    ana_theory_free(th);
    s->topo->services[1].service.kind = MDL_DIST_EXP;
    s->topo->edges[0].kind = (mdl_edge_kind)3;
    ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
    not_exact(th, "edge of a kind theory does not know");
    ana_theory_free(th);
    mdl_scenario_free(s);

    th = theory_of("scenarios/closed.yaml", NULL, 0, &s);
    ck_assert(th->applies);
    ana_theory_free(th);
    s->workloads[0].think.kind = (mdl_dist_kind)10;
    ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
    not_exact(th, "think time distribution theory does not know");
    ana_theory_free(th);
    mdl_scenario_free(s);
}
END_TEST

/* Calls sent in parallel (fork-join) are no sum of sojourns: theory
 * names the service of the first such call in the file, here x's though
 * front is service 0, then front's once x calls one stage at a time; calls
 * in stages of their own keep the network exact. */
START_TEST(test_fork_join_is_not_called_exact)
{
    mdl_scenario *s = NULL;
    ana_theory *th = theory_of("tests/data/theory_fork.yaml", NULL, 0, &s);

    not_exact(th, "service 'x' calls in parallel (fork-join)");
    ana_theory_free(th);
    ck_assert_int_eq(s->topo->edges[3].from, 1);
    s->topo->edges[3].stage = 1;
    ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
    not_exact(th, "service 'front' calls in parallel (fork-join)");
    ana_theory_free(th);
    s->topo->edges[2].stage = 1;
    ck_assert_int_eq(ana_theory_new(&th, s), SIM_OK);
    ck_assert_msg(th->applies, "not exact: %s", th->why);
    ana_theory_free(th);
    mdl_scenario_free(s);
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
    tcase_add_test(tc, test_mm1_tail_quantiles_of_short_replications);
    suite_add_tcase(s, tc);
    tc = tcase_create("networks");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_jackson_feedback_two_classes);
    tcase_add_test(tc, test_closed_network_mva);
    tcase_add_test(tc, test_ecommerce_with_ps_station);
    suite_add_tcase(s, tc);
    tc = tcase_create("allow_list");
    tcase_add_test(tc, test_replicated_station_is_not_called_exact);
    tcase_add_test(tc, test_timeouts_and_deadline_checks_are_not_called_exact);
    tcase_add_test(tc, test_bulkheads_and_fallbacks_are_not_called_exact);
    tcase_add_test(tc, test_feature_theory_does_not_know_is_not_called_exact);
    tcase_add_test(tc, test_fork_join_is_not_called_exact);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
