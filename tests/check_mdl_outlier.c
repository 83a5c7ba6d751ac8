/*
 * check_mdl_outlier.c - outlier detection: the detector's state machine
 * transition by transition (the count, an ejection, max_percent and
 * always_eject_one, the sweep that brings a replica back, the longer
 * ejection of a replica ejected again, its cap, the multiplier coming
 * down), the balancer skipping ejected replicas in each of its policies
 * and its panic below half, and an exact run through the engine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_balancer.h"
#include "../models/mdl_int.h"
#include "../models/mdl_outlier.h"
#include "../sim/sim_err.h"
#include "../sim/sim_rng.h"
#include "tst.h"

/* Envoy's defaults but max_percent. */
static mdl_outlier_policy policy(double max_percent)
{
    mdl_outlier_policy p = { 1, 5, 10, 30, 300, max_percent, 0 };

    return p;
}

static void errors(mdl_outlier *o, int r, int n, double now)
{
    int i;

    for (i = 0; i < n; i++)
        mdl_outlier_result(o, r, 1, now);
}

/* Four errors in a row and a success: nothing; five in a row eject, and
 * the fifth is the one that says so. */
START_TEST(test_five_errors_in_a_row_eject)
{
    mdl_outlier_policy p = policy(50);
    mdl_outlier o;

    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    errors(&o, 0, 4, 1.5);
    ck_assert_int_eq(o.h[0].count, 4);
    mdl_outlier_result(&o, 0, 0, 1.6);
    ck_assert_int_eq(o.h[0].count, 0);
    errors(&o, 0, 4, 2.5);
    ck_assert_int_eq(o.nejected, 0);
    ck_assert(mdl_outlier_result(&o, 0, 1, 3.7));
    ck_assert(o.h[0].ejected);
    ck_assert_int_eq(o.nejected, 1);
    ck_assert_int_eq(o.h[0].count, 0);
    ck_assert_int_eq(o.h[0].multiplier, 1);
    ck_assert_double_eq(o.h[0].ejected_at, 3.7);
    ck_assert_double_eq(o.ejections, 1);
    /* Errors of the other replica are its own. */
    errors(&o, 1, 4, 3.8);
    ck_assert_int_eq(o.h[1].count, 4);
    ck_assert(!o.h[1].ejected);
    /* While ejected, errors count but eject nothing more. */
    errors(&o, 0, 7, 4);
    ck_assert_int_eq(o.h[0].count, 7);
    ck_assert_double_eq(o.ejections, 1);
    mdl_outlier_destroy(&o);
}
END_TEST

/* 100 (ejected + 1) / n <= max_percent: of 10 replicas at 10%, one; the
 * next is refused, its count starts again. Of 2 at 10%, none, unless
 * always_eject_one, which allows the first only. */
START_TEST(test_max_percent_bounds_the_ejected_share)
{
    mdl_outlier_policy p = policy(10);
    mdl_outlier o;

    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 10), SIM_OK);
    errors(&o, 3, 5, 1);
    ck_assert(o.h[3].ejected);
    errors(&o, 7, 4, 2);
    ck_assert(!mdl_outlier_result(&o, 7, 1, 2));
    ck_assert(!o.h[7].ejected);
    ck_assert_int_eq(o.h[7].count, 0);      /* refused: a new bout */
    ck_assert_int_eq(o.h[7].multiplier, 0);
    ck_assert_int_eq(o.nejected, 1);
    mdl_outlier_destroy(&o);

    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    errors(&o, 0, 5, 1);
    ck_assert_int_eq(o.nejected, 0);
    mdl_outlier_destroy(&o);

    p.always_eject_one = 1;
    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    errors(&o, 0, 5, 1);
    ck_assert_int_eq(o.nejected, 1);
    errors(&o, 1, 5, 1);
    ck_assert_int_eq(o.nejected, 1);
    ck_assert(!o.h[1].ejected);
    mdl_outlier_destroy(&o);
}
END_TEST

/* Ejected at 3.7 s for 30 s: the sweep at 30 s keeps it out (26.3 s),
 * the one at 40 s lets it back, its count cleared. Sweeps fall on
 * multiples of the interval. */
START_TEST(test_sweep_brings_it_back_once_its_time_has_passed)
{
    mdl_outlier_policy p = policy(50);
    mdl_outlier o;

    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    errors(&o, 0, 5, 3.7);
    errors(&o, 0, 3, 5);
    ck_assert_double_eq(mdl_outlier_next_sweep(&o, 3.7), 10);
    ck_assert_double_eq(mdl_outlier_next_sweep(&o, 10), 20);
    ck_assert(mdl_outlier_sweep(&o, 10));
    ck_assert(mdl_outlier_sweep(&o, 20));
    ck_assert(mdl_outlier_sweep(&o, 30));
    ck_assert(o.h[0].ejected);
    ck_assert(mdl_outlier_sweep(&o, 40));   /* its multiplier is left */
    ck_assert(!o.h[0].ejected);
    ck_assert_int_eq(o.nejected, 0);
    ck_assert_int_eq(o.h[0].count, 0);
    ck_assert_double_eq(o.h[0].back_at, 40);
    ck_assert_int_eq(o.h[0].multiplier, 1);
    mdl_outlier_destroy(&o);
}
END_TEST

/* Ejected again, it stays out base x 2 = 60 s; healthy sweeps an
 * interval after its return bring the multiplier down by one each, and
 * then sweeps have nothing left to do. */
START_TEST(test_second_ejection_lasts_twice_as_long)
{
    mdl_outlier_policy p = policy(50);
    mdl_outlier o;

    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    errors(&o, 0, 5, 3.7);
    mdl_outlier_sweep(&o, 40);
    errors(&o, 0, 5, 41.2);
    ck_assert(o.h[0].ejected);
    ck_assert_int_eq(o.h[0].multiplier, 2);
    ck_assert(mdl_outlier_sweep(&o, 100));  /* 58.8 s < 60 s */
    ck_assert(o.h[0].ejected);
    ck_assert(mdl_outlier_sweep(&o, 110));
    ck_assert(!o.h[0].ejected);
    ck_assert_int_eq(o.h[0].multiplier, 2); /* back for 0 s */
    ck_assert(mdl_outlier_sweep(&o, 120));
    ck_assert_int_eq(o.h[0].multiplier, 1);
    ck_assert(!mdl_outlier_sweep(&o, 130));
    ck_assert_int_eq(o.h[0].multiplier, 0);
    mdl_outlier_destroy(&o);
}
END_TEST

/* With max_ejection 70 s: 30, 60, then 70 s; the multiplier stops
 * growing once base x multiplier >= max + base (at 4). */
START_TEST(test_ejection_time_is_capped)
{
    mdl_outlier_policy p = policy(50);
    mdl_outlier o;
    double t = 1.3;
    int i;
    static const double len[] = { 30, 60, 70, 70, 70 };
    static const long mult[] = { 1, 2, 3, 4, 4 };

    p.max_ejection = 70;
    ck_assert_int_eq(mdl_outlier_init(&o, &p, NULL, 2), SIM_OK);
    for (i = 0; i < 5; i++) {
        double sweep;
        errors(&o, 0, 5, t);
        ck_assert(o.h[0].ejected);
        ck_assert_int_eq(o.h[0].multiplier, mult[i]);
        /* Out at the last sweep before t + len, back at the first after. */
        sweep = mdl_outlier_next_sweep(&o, t + len[i]) - p.interval;
        mdl_outlier_sweep(&o, sweep);
        ck_assert(o.h[0].ejected);
        mdl_outlier_sweep(&o, sweep + p.interval);
        ck_assert(!o.h[0].ejected);
        t = sweep + p.interval + 0.4;
    }
    mdl_outlier_destroy(&o);
}
END_TEST

/* ---- the balancer ---- */

static mdl_service svc_of(mdl_lb lb, int n)
{
    mdl_service s;

    memset(&s, 0, sizeof s);
    s.name = "api";
    s.lb = lb;
    s.replicas = n;
    return s;
}

/* Pick 4000 times with replica 2 of 4 ejected (and 0 too with two
 * out), counting where each went; loads make replica 1 the least. */
static void pick_counts(mdl_lb lb, int nout, long *count)
{
    mdl_service s = svc_of(lb, 4);
    mdl_balancer b;
    long load[4] = { 3, 1, 2, 3 };
    gsl_rng *rng = sim_rng_new(7, 0, 1);
    int i;

    ck_assert_int_eq(mdl_balancer_init(&b, &s), SIM_OK);
    ck_assert_int_eq(mdl_balancer_allow_ejection(&b), SIM_OK);
    mdl_balancer_eject(&b, 2, 1);
    if (nout > 1)
        mdl_balancer_eject(&b, 0, 1);
    if (nout > 2)
        mdl_balancer_eject(&b, 1, 1);
    memset(count, 0, 4 * sizeof *count);
    for (i = 0; i < 4000; i++)
        count[mdl_balancer_pick(&b, (uint64_t)i * 7919, rng, load,
                                sizeof *load)]++;
    gsl_rng_free(rng);
    mdl_balancer_destroy(&b);
}

START_TEST(test_every_policy_skips_ejected_replicas)
{
    static const mdl_lb lbs[] = {
        MDL_LB_ROUND_ROBIN, MDL_LB_RANDOM, MDL_LB_LEAST, MDL_LB_P2C,
        MDL_LB_HASH
    };
    long c[4];
    size_t i;

    for (i = 0; i < sizeof lbs / sizeof *lbs; i++) {
        pick_counts(lbs[i], 1, c);
        ck_assert_msg(c[2] == 0, "policy %d picked an ejected replica",
                      (int)lbs[i]);
        ck_assert_int_eq(c[0] + c[1] + c[3], 4000);
        pick_counts(lbs[i], 2, c);      /* half left: no panic */
        ck_assert_int_eq(c[0] + c[2], 0);
    }
    pick_counts(MDL_LB_ROUND_ROBIN, 1, c);
    ck_assert(c[0] == 1334 && c[1] == 1333 && c[3] == 1333);
    pick_counts(MDL_LB_LEAST, 1, c);
    ck_assert_int_eq(c[1], 4000);
    pick_counts(MDL_LB_P2C, 2, c);      /* two left: the less loaded */
    ck_assert_int_eq(c[1], 4000);
    pick_counts(MDL_LB_RANDOM, 1, c);
    ck_assert(c[0] > 1100 && c[1] > 1100 && c[3] > 1100);
}
END_TEST

/* Fewer than half left (Envoy's panic threshold, 50%): all of them. */
START_TEST(test_panic_below_half_balances_over_all)
{
    long c[4];

    pick_counts(MDL_LB_ROUND_ROBIN, 3, c);
    ck_assert(c[0] == 1000 && c[1] == 1000 && c[2] == 1000 && c[3] == 1000);
    pick_counts(MDL_LB_RANDOM, 3, c);
    ck_assert(c[0] > 800 && c[1] > 800 && c[2] > 800 && c[3] > 800);
}
END_TEST

/* The ring walks on from a key's point: keys that landed on the ejected
 * replica move, the others stay where they were. */
START_TEST(test_hash_ring_moves_only_the_ejected_replicas_keys)
{
    mdl_service s = svc_of(MDL_LB_HASH, 5);
    mdl_balancer b;
    int before[500], i, moved = 0;

    ck_assert_int_eq(mdl_balancer_init(&b, &s), SIM_OK);
    ck_assert_int_eq(mdl_balancer_allow_ejection(&b), SIM_OK);
    for (i = 0; i < 500; i++)
        before[i] = mdl_balancer_pick(&b, (uint64_t)i, NULL, NULL, 0);
    mdl_balancer_eject(&b, 3, 1);
    for (i = 0; i < 500; i++) {
        int now = mdl_balancer_pick(&b, (uint64_t)i, NULL, NULL, 0);
        ck_assert_int_ne(now, 3);
        if (before[i] != 3)
            ck_assert_int_eq(now, before[i]);
        else
            moved++;
    }
    ck_assert_int_gt(moved, 0);
    mdl_balancer_eject(&b, 3, 0);
    mdl_balancer_reset(&b);
    ck_assert_int_eq(b.nout, 0);
    for (i = 0; i < 500; i++)
        ck_assert_int_eq(mdl_balancer_pick(&b, (uint64_t)i, NULL, NULL, 0),
                         before[i]);
    mdl_balancer_destroy(&b);
}
END_TEST

/* ---- through the engine ---- */

#define NREQ 200

typedef struct seen {
    mdl_net_req r[NREQ];
    int n;
} seen;

static void observe(void *ctx, const mdl_net_req *r)
{
    seen *s = ctx;

    if (s->n < NREQ)
        s->r[s->n++] = *r;
}

/* Run tests/data/outlier.yaml with the overrides; *ejected gets the
 * service's mean share of replicas ejected. */
static void run_outlier(const char *const *sets, size_t nsets, seen *s,
                        double *ejected)
{
    mdl_scenario *sc = NULL;
    mdl_net *net = NULL;
    double *res;
    sim_diag d;
    size_t m;

    memset(&d, 0, sizeof d);
    memset(s, 0, sizeof *s);
    if (mdl_scenario_load(&sc, tst_path("tests/data/outlier.yaml"), sets,
                          nsets, &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    ck_assert_int_eq(mdl_net_new(&net, sc, &d), SIM_OK);
    res = malloc(mdl_net_result_len(net) * sizeof *res);
    ck_assert_ptr_nonnull(res);
    mdl_net_set_observer(net, observe, s);
    ck_assert_int_eq(mdl_net_run(net, 0, res, NULL, &d), SIM_OK);
    *ejected = NAN;
    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_scope(net, m), "service:api")
            && !strcmp(mdl_net_metric(net, m), "ejected"))
            *ejected = res[m];
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(sc);
}

/* Request k arrives at 0.7 k s and takes 1 ms. Round robin sends the
 * odd ones to replica 0, which fails them: its fifth error, request 9,
 * ejects it at 6.301 s. From then on every request goes to replica 1,
 * until the sweep at 40 s (the first at least 30 s after 6.301 s).
 * Requests 58 (40.6 s) to 66 go round robin again, the even ones to
 * replica 0: five more errors, ejected again at 46.201 s, now for 60 s,
 * past the end of the run at 100 s. Replica 0 was out 33.699 + 53.799 s
 * of 100 s: half the replicas for 87.498% of the time. */
static int fails(int k)
{
    return (k <= 9 && k % 2 == 1) || (k >= 58 && k <= 66 && k % 2 == 0);
}

START_TEST(test_engine_ejects_after_exactly_five_errors)
{
    static const char *const always[] = {
        "services.api.outlier.max_percent=10",
        "services.api.outlier.always_eject_one=true"
    };
    double ejected;
    seen s;
    int k, pass;

    for (pass = 0; pass < 2; pass++) {
        run_outlier(always, pass ? 2 : 0, &s, &ejected);
        ck_assert_int_eq(s.n, 142);
        for (k = 1; k <= s.n; k++) {
            const mdl_net_req *r = &s.r[k - 1];
            ck_assert_double_eq_tol(r->start, 0.7 * k, 1e-9);
            ck_assert_double_eq_tol(r->end, 0.7 * k + 0.001, 1e-9);
            ck_assert_msg(r->outcome == (fails(k) ? MDL_REQ_FAILED
                                                  : MDL_REQ_OK),
                          "request %d: outcome %d", k, r->outcome);
        }
        ck_assert_double_eq_tol(ejected, 0.43749, 1e-9);
    }
    /* At Envoy's default 10%, one of two replicas may not go. */
    run_outlier(always, 1, &s, &ejected);
    for (k = 1; k <= s.n; k++)
        ck_assert_int_eq(s.r[k - 1].outcome,
                         k % 2 ? MDL_REQ_FAILED : MDL_REQ_OK);
    ck_assert_double_eq(ejected, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_outlier");
    TCase *tc = tcase_create("detector");

    tcase_add_test(tc, test_five_errors_in_a_row_eject);
    tcase_add_test(tc, test_max_percent_bounds_the_ejected_share);
    tcase_add_test(tc, test_sweep_brings_it_back_once_its_time_has_passed);
    tcase_add_test(tc, test_second_ejection_lasts_twice_as_long);
    tcase_add_test(tc, test_ejection_time_is_capped);
    suite_add_tcase(s, tc);
    tc = tcase_create("balancer");
    tcase_add_test(tc, test_every_policy_skips_ejected_replicas);
    tcase_add_test(tc, test_panic_below_half_balances_over_all);
    tcase_add_test(tc, test_hash_ring_moves_only_the_ejected_replicas_keys);
    suite_add_tcase(s, tc);
    tc = tcase_create("engine");
    tcase_add_test(tc, test_engine_ejects_after_exactly_five_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
