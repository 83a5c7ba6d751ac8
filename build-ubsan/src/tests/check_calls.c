/*
 * check_calls.c - microservice semantics against queueing theory: calls,
 * fork-join, publish, thread pools, replicas and load balancing,
 * rejections. Expected values are computed here from the analytic
 * formulas (analysis/ana_queue.h), not taken from the simulator.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "../analysis/ana_queue.h"
#include "tst.h"
#include "tst_model.h"

/* M/M/1 mean sojourn (s). */
static double mm1_w(double lambda, double mean)
{
    ana_station a;

    ck_assert_int_eq(ana_mm1(lambda, 1.0 / mean, &a), SIM_OK);
    return a.W;
}

/* Through non-blocking services a call chain is a tandem of M/M/1 queues:
 * latency = sum of the sojourns. */
START_TEST(test_call_chain_is_a_tandem)
{
    tst_model m;
    double want = mm1_w(50, 0.005) + mm1_w(50, 0.008) + mm1_w(50, 0.004);

    tst_model_run(&m, "tests/data/calls_chain.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "latency_mean", want);
    tst_model_covers(&m, "call:a->b", "latency_mean", mm1_w(50, 0.004));
    tst_model_covers(&m, "call:gw->a", "latency_mean",
                     mm1_w(50, 0.008) + mm1_w(50, 0.004));
    /* The time spent in each service alone adds up to the latency. */
    tst_model_covers(&m, "service:gw", "self_per_request", mm1_w(50, 0.005));
    tst_model_free(&m);
}
END_TEST

/* Visits per request are p * count along the paths; with the BCMP
 * product form each visit's mean sojourn is that of M/M/1 at the total
 * arrival rate, so latency = sum of visits * sojourn. */
START_TEST(test_visits_are_p_times_count)
{
    static const struct { const char *s; double v, mean; } st[] = {
        {"gw", 1, 0.002}, {"a", 3, 0.003}, {"b", 1.2, 0.005}, {"c", 0.6, 0.004}
    };
    char scope[64];
    double want = 0;
    tst_model m;
    size_t i;

    tst_model_run(&m, "tests/data/calls_visits.yaml", NULL, 0);
    for (i = 0; i < 4; i++) {
        snprintf(scope, sizeof scope, "service:%s", st[i].s);
        tst_model_covers(&m, scope, "visits", st[i].v);
        want += st[i].v * mm1_w(80 * st[i].v, st[i].mean);
    }
    tst_model_covers(&m, "call:gw->a", "calls", 3.0);
    tst_model_covers(&m, "class:req", "latency_mean", want);
    tst_model_free(&m);
}
END_TEST

/* Two parallel calls to identical M/M/1 queues: Nelson and Tantawi
 * (IEEE Trans. Computers 37(6), 1988) give the exact mean for two
 * servers, R = (12 - rho) / 8 * 1 / (mu - lambda). The published event to
 * log adds nothing to it, and its own latency is log's M/M/1 sojourn. */
START_TEST(test_fork_join_nelson_tantawi_and_publish)
{
    tst_model m;
    double lambda = 50, mu = 100, rho = lambda / mu;

    tst_model_run(&m, "tests/data/calls_fork.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "latency_mean",
                     (12 - rho) / 8 / (mu - lambda));
    tst_model_covers(&m, "stage:split#0", "duration_mean",
                     (12 - rho) / 8 / (mu - lambda));
    tst_model_covers(&m, "publish:split->log", "latency_mean",
                     mm1_w(50, 0.015));
    tst_model_covers(&m, "publish:split->log", "throughput", 50);
    tst_model_free(&m);
}
END_TEST

/*
 * Thread-per-request: "page" requests only use front's 8 workers for
 * 2 ms. When "report" requests (1 in 6) hold a worker through a 150 ms
 * database call, about 6.5 of the 8 workers are busy on average and page
 * requests queue for them: their latency must grow several times over,
 * although they never touch the database. Non-blocking, or with a fast
 * database, page latency stays at front's M/M/8 sojourn (about 2 ms).
 */
START_TEST(test_blocking_pool_saturates)
{
    static const char *const slow_blocking[] = {"services.front.blocking=1"};
    static const char *const slow_async[] = {"services.front.blocking=0"};
    static const char *const fast_blocking[] = {
        "services.front.blocking=1", "services.db.service=exp(mean=5ms)"
    };
    tst_model a, b, c;
    ana_station mmc;
    double page_blocking, page_async, page_fast;

    tst_model_run(&a, "tests/data/calls_pool.yaml", slow_blocking, 1);
    tst_model_run(&b, "tests/data/calls_pool.yaml", slow_async, 1);
    tst_model_run(&c, "tests/data/calls_pool.yaml", fast_blocking, 2);
    page_blocking = tst_model_ci(&a, "class:page", "latency_mean")->mean;
    page_async = tst_model_ci(&b, "class:page", "latency_mean")->mean;
    page_fast = tst_model_ci(&c, "class:page", "latency_mean")->mean;
    ck_assert_int_eq(ana_mmc(240, 500, 8, &mmc), SIM_OK);
    tst_model_covers(&b, "class:page", "latency_mean", mmc.W);
    ck_assert_msg(page_blocking > 5 * page_async,
                  "blocking page latency %.4g s, non-blocking %.4g s",
                  page_blocking, page_async);
    ck_assert_double_eq_tol(page_fast, page_async, 0.05 * page_async);
    /* Workers held through the call: utilization counts them. */
    ck_assert(tst_model_ci(&a, "service:front", "utilization")->mean > 0.7);
    ck_assert(tst_model_ci(&b, "service:front", "utilization")->mean < 0.1);
    tst_model_free(&a);
    tst_model_free(&b);
    tst_model_free(&c);
}
END_TEST

/* Random choice splits a Poisson stream into Poisson streams: each
 * replica is M/M/1 at a quarter of the load. Every other policy uses
 * more information and must do better; least-outstanding (join the
 * shortest queue) best of all. */
START_TEST(test_load_balancers)
{
    static const char *const pol[] = {
        "services.api.lb=random", "services.api.lb=round_robin",
        "services.api.lb=p2c", "services.api.lb=least",
        "services.api.lb=hash"
    };
    double lat[5];
    char scope[32];
    int i, r;

    for (i = 0; i < 5; i++) {
        tst_model m;
        tst_model_run(&m, "tests/data/calls_lb.yaml", &pol[i], 1);
        lat[i] = tst_model_ci(&m, "system", "latency_mean")->mean;
        if (i == 0)
            tst_model_covers(&m, "system", "latency_mean", mm1_w(80, 0.01));
        for (r = 0; r < 4; r++) {
            double u;
            snprintf(scope, sizeof scope, "replica:api#%d", r);
            u = tst_model_ci(&m, scope, "utilization")->mean;
            /* Balanced to 2%, the hash ring (256 points per replica) to
             * 10%. */
            ck_assert_msg(fabs(u - 0.8) < (i == 4 ? 0.08 : 0.016),
                          "%s: replica %d utilization %.4g", pol[i], r, u);
        }
        tst_model_free(&m);
    }
    ck_assert(lat[1] < 0.8 * lat[0]);   /* round robin */
    ck_assert(lat[2] < 0.6 * lat[0]);   /* power of two choices */
    ck_assert(lat[3] < lat[2]);         /* least outstanding */
}
END_TEST

/* A call rejected by a full M/M/1/3 database fails the request: the
 * availability is 1 - P(block) of M/M/1/K. */
START_TEST(test_rejected_calls_fail_requests)
{
    tst_model m;
    ana_station a;

    ck_assert_int_eq(ana_mmck(80, 100, 1, 3, &a), SIM_OK);
    tst_model_run(&m, "tests/data/calls_reject.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "availability", 1 - a.p_block);
    tst_model_covers(&m, "system", "rejected", a.p_block);
    tst_model_covers(&m, "service:db", "rejected", a.p_block);
    tst_model_covers(&m, "class:req", "latency_mean", 0.001 + a.W);
    /* Time spent per successful request, the requests latency_mean is
     * about: 1 ms at front, an accepted M/M/1/K sojourn at db, together
     * the whole latency. A rejected request's zero at db is not in it. */
    tst_model_covers(&m, "service:front", "self_per_request", 0.001);
    tst_model_covers(&m, "service:db", "self_per_request", a.W);
    tst_model_covers(&m, "service:db", "self_share", a.W / (0.001 + a.W));
    tst_model_free(&m);
}
END_TEST

/* A non-blocking service lets go of its worker only when calls go out: a
 * request that calls nobody keeps it for its post-work, as it would in a
 * blocking service, so both give the same latency. */
START_TEST(test_non_blocking_keeps_worker_without_calls)
{
    static const char *const blocking[] = {"services.a.blocking=1"};
    static const char *const async[] = {"services.a.blocking=0"};
    tst_model a, b;

    tst_model_run(&a, "tests/data/calls_nb.yaml", blocking, 1);
    tst_model_run(&b, "tests/data/calls_nb.yaml", async, 1);
    ck_assert_double_eq_tol(tst_model_ci(&a, "class:plain",
                                         "latency_mean")->mean,
                            tst_model_ci(&b, "class:plain",
                                         "latency_mean")->mean, 1e-12);
    tst_model_free(&a);
    tst_model_free(&b);
}
END_TEST

/* Calls into a full service are rejected at once, so a blocking caller
 * holds its worker only briefly for them: the stability check must not
 * count the callee's whole work, and the run shows a light load. */
START_TEST(test_rejected_calls_do_not_count_as_held_work)
{
    tst_model m;

    tst_model_run(&m, "tests/data/calls_lossy.yaml", NULL, 0);
    ck_assert(tst_model_ci(&m, "service:front", "utilization")->mean < 0.5);
    tst_model_free(&m);
}
END_TEST

/* run.requests counts requests after the warm-up only. */
START_TEST(test_request_limit_starts_after_warmup)
{
    static const char *const sets[] = {
        "run.requests=20000", "run.warmup=100s", "run.replications=2"
    };
    tst_model m;

    tst_model_run(&m, "tests/data/calls_chain.yaml", sets, 3);
    tst_model_covers(&m, "class:req", "throughput", 50);
    tst_model_free(&m);
}
END_TEST

/* A class mix splits the workload by weight (5:1 here). */
START_TEST(test_mix_splits_by_weight)
{
    tst_model m;

    tst_model_run(&m, "tests/data/calls_pool.yaml", NULL, 0);
    tst_model_covers(&m, "class:page", "throughput", 200);
    tst_model_covers(&m, "class:report", "throughput", 40);
    tst_model_covers(&m, "service:db", "visits", 1.0 / 6);
    tst_model_free(&m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("calls");
    TCase *tc = tcase_create("semantics");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_call_chain_is_a_tandem);
    tcase_add_test(tc, test_visits_are_p_times_count);
    tcase_add_test(tc, test_fork_join_nelson_tantawi_and_publish);
    tcase_add_test(tc, test_blocking_pool_saturates);
    tcase_add_test(tc, test_load_balancers);
    tcase_add_test(tc, test_rejected_calls_fail_requests);
    tcase_add_test(tc, test_mix_splits_by_weight);
    tcase_add_test(tc, test_non_blocking_keeps_worker_without_calls);
    tcase_add_test(tc, test_rejected_calls_do_not_count_as_held_work);
    tcase_add_test(tc, test_request_limit_starts_after_warmup);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
