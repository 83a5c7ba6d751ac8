/*
 * check_autoscale.c - replicas that follow utilization (mdl_autoscale.h),
 * with deterministic times worked out by hand: when it decides, what it
 * decides, when new replicas take calls, how the cooldown holds back a
 * scale-down, and what the balancer sees meanwhile.
 *
 * tests/data/autoscale.yaml: a call every 10 ms (t = 0.01, 0.02, ...,
 * 9.99) to web, 8 ms of work on one worker per replica; the run ends at
 * 9.995 s. The policy: target 0.5, interval 1.005 s (decisions at
 * 1.005 k, clear of the arrivals), start-up delay 2 s, cooldown 5 s.
 */
#include <math.h>
#include <string.h>
#include "../analysis/ana_theory.h"
#include "../models/mdl_int.h"
#include "tst.h"

#define END 9.995

typedef struct outcome {
    double replicas_mean, util;
    double arrivals[4];     /* per slot */
} outcome;

static void run(const char *const *sets, size_t nsets, long min, long max,
                outcome *o)
{
    mdl_autoscale_policy p = { 1, 0.5, 0, 0, 1.005, 2.0, 5.0 };
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    const service *web;
    double *res;
    sim_diag d;
    size_t m;
    int k;

    p.min = min;
    p.max = max;
    memset(&d, 0, sizeof d);
    if (mdl_scenario_load(&s, tst_path("tests/data/autoscale.yaml"), sets,
                          nsets, &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    if (min > 0) {              /* else the scenario gives the policy */
        free(s->svc_policy);
        ck_assert_ptr_nonnull(s->svc_policy = calloc(s->topo->nservices,
                                                     sizeof *s->svc_policy));
        s->svc_policy[mdl_topology_find(s->topo, "web")].autoscale = p;
    }
    ck_assert_int_eq(mdl_net_new(&net, s, &d), SIM_OK);
    res = malloc(mdl_net_result_len(net) * sizeof *res);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(mdl_net_run(net, 0, res, NULL, &d), SIM_OK);
    memset(o, 0, sizeof *o);
    for (m = 0; m < mdl_net_nmetrics(net); m++) {
        if (strcmp(mdl_net_scope(net, m), "service:web"))
            continue;
        if (!strcmp(mdl_net_metric(net, m), "replicas_mean"))
            o->replicas_mean = res[m];
        if (!strcmp(mdl_net_metric(net, m), "utilization"))
            o->util = res[m];
    }
    web = &net->sv[mdl_topology_find(s->topo, "web")];
    ck_assert_int_eq(web->nrep, max);
    for (k = 0; k < web->nrep && k < 4; k++)
        o->arrivals[k] = web->rep[k].arrivals;
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(s);
}

/* One replica 80% busy: at 1.005 the 0.8 busy workers ask for
 * ceil(0.8 / 0.5) = 2 replicas; the second starts and takes calls from
 * 3.005 (the call at 3.01 is the first it could get). Round robin then
 * alternates, the call at 3.01 to replica 0: calls 1 .. 300 went to it,
 * and of 301 .. 999 the even ones to replica 1. Later decisions see 0.8
 * busy workers on 2 replicas: mean 0.4, 20% under the target, but
 * ceil(0.8 / 0.5) = 2 already: nothing changes. */
START_TEST(test_scales_up_once_and_holds)
{
    outcome o;

    run(NULL, 0, 1, 4, &o);
    ck_assert_double_eq_tol(o.replicas_mean,
                            (1.005 * 1 + (END - 1.005) * 2) / END, 1e-9);
    ck_assert_double_eq(o.arrivals[0], 300 + 350);
    ck_assert_double_eq(o.arrivals[1], 349);
    ck_assert_double_eq(o.arrivals[2], 0);
    /* 999 calls of 8 ms (the last cut short at the end) over the
     * replicas provisioned */
    ck_assert_double_eq_tol(o.util, (998 * 0.008 + 0.005)
                                    / (o.replicas_mean * END), 1e-9);
}
END_TEST

/* A call every 100 ms on three replicas: 0.08 busy workers ask for
 * one replica from the first decision, but the cooldown holds the
 * scale-down until a decision 5 s after the start: 5.025. */
START_TEST(test_cooldown_holds_back_a_scale_down)
{
    static const char *const sets[] = {
        "workload.0.arrival=det(100ms)", "services.web.replicas=3"
    };
    outcome o;

    run(sets, 2, 1, 4, &o);
    ck_assert_double_eq_tol(o.replicas_mean,
                            (5.025 * 3 + (END - 5.025) * 1) / END, 1e-9);
    /* calls 1 .. 50 (to 5.0 s) go round the three, the rest to 0 */
    ck_assert_double_eq(o.arrivals[0], 17 + 49);
    ck_assert_double_eq(o.arrivals[1], 17);
    ck_assert_double_eq(o.arrivals[2], 16);
}
END_TEST

/* max caps the scale-up and min the scale-down; the replicas the
 * topology gives are clamped into [min, max] at the start. */
START_TEST(test_min_and_max_bound_it)
{
    static const char *const faster[] = { "workload.0.arrival=det(2ms)" };
    static const char *const idle[] = {
        "workload.0.arrival=det(100ms)", "services.web.replicas=1"
    };
    outcome o;

    /* Four workers' worth offered to one: it is busy all the time, so
     * at 1.005 U = 1 asks for 2; at 2.01 the second is not ready and
     * U = 1 again; at 3.015 the second has worked 7 ms since it became
     * ready at 3.005: U / 2 = 0.503, within the tolerance of the target;
     * at 4.02 both are busy all the time: U = 2 asks for 4, capped at
     * 3. */
    run(faster, 1, 1, 3, &o);
    ck_assert_double_eq_tol(o.replicas_mean,
                            (1.005 * 1 + 3.015 * 2 + (END - 4.02) * 3) / END,
                            1e-9);
    /* the topology's 1 is raised to min 2, which holds */
    run(idle, 2, 2, 4, &o);
    ck_assert_double_eq_tol(o.replicas_mean, 2, 1e-12);
}
END_TEST

/* The same policy written in the scenario, as `qmesh run --set` would:
 * the same run as test_scales_up_once_and_holds. */
START_TEST(test_scenario_key_sets_the_same_policy)
{
    static const char *const sets[] = {
        "services.web.autoscale.target=50%", "services.web.autoscale.max=4",
        "services.web.autoscale.interval=1.005s",
        "services.web.autoscale.delay=2s", "services.web.autoscale.cooldown=5s"
    };
    outcome o;

    run(sets, 5, 0, 4, &o);
    ck_assert_double_eq_tol(o.replicas_mean,
                            (1.005 * 1 + (END - 1.005) * 2) / END, 1e-9);
    ck_assert_double_eq(o.arrivals[1], 349);
}
END_TEST

/* A failure that takes replicas down is not simulated with autoscaling
 * yet: the loader says so at the failure's mode. */
START_TEST(test_crash_on_an_autoscaled_service_is_refused)
{
    static const char *const sets[] = {
        "services.web.autoscale.target=0.5", "services.web.autoscale.max=4",
        "failures.0.service=web", "failures.0.mode=crash"
    };
    mdl_scenario *s = NULL;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "autoscale.yaml"),
                                       sets, 4, &d), SIM_EPARSE);
    ck_assert_str_eq(d.msg, "in --set 'failures.0.mode=crash': failure "
                     "mode 'crash' on service 'web', which autoscales, is "
                     "not supported yet");
}
END_TEST

/* A call every 5 ms is 1.6 times what one replica does: unstable with
 * one, stable for a service that may grow to two. */
START_TEST(test_stability_counts_the_replicas_it_may_grow_to)
{
    static const char *const one[] = {
        "workload.0.arrival=det(5ms)", "services.web.autoscale.target=0.5",
        "services.web.autoscale.max=1"
    };
    static const char *const two[] = {
        "workload.0.arrival=det(5ms)", "services.web.autoscale.target=0.5",
        "services.web.autoscale.max=2"
    };
    mdl_scenario *s = NULL;
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "autoscale.yaml"),
                                       one, 3, &d), SIM_OK);
    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_EUNSTABLE);
    mdl_scenario_free(s);
    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/"
                                                    "autoscale.yaml"),
                                       two, 3, &d), SIM_OK);
    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_OK);
    mdl_scenario_free(s);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("autoscale");
    TCase *tc = tcase_create("hpa");

    tcase_add_test(tc, test_scales_up_once_and_holds);
    tcase_add_test(tc, test_cooldown_holds_back_a_scale_down);
    tcase_add_test(tc, test_min_and_max_bound_it);
    tcase_add_test(tc, test_scenario_key_sets_the_same_policy);
    tcase_add_test(tc, test_crash_on_an_autoscaled_service_is_refused);
    tcase_add_test(tc, test_stability_counts_the_replicas_it_may_grow_to);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
