/*
 * check_teaching.c - the worked examples of docs/teaching.md.
 *
 * Every scenario under scenarios/teaching/ runs as shipped (and with the
 * --set variants the lessons use), its theory is the model the lesson
 * names, and every metric with an exact theoretical value agrees with the
 * simulated mean (tst_model.h: a Bonferroni-corrected interval, which
 * holds at any seed), with intervals of the headline means within +-4%
 * (as in check_validate). Lesson 8 has no exact theory for the
 * whole request (qmesh does not inject failures yet, and a fork-join of
 * loss stations is not product form); there each back end's rejection
 * probability is checked against Erlang B computed here, and the request's
 * availability against the series formula it approximates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_avail.h"
#include "../analysis/ana_queue.h"
#include "tst.h"
#include "tst_model.h"

/* a's mean is below b's, beyond both tolerances. */
static int below(const ana_ci *a, const ana_ci *b)
{
    return a->mean + tst_tol(a, 2) < b->mean - tst_tol(b, 2);
}

/* Check a run against its exact theory, intervals within +-4%. */
static size_t covered(const tst_model *m, const char *scenario,
                      const char *want_model)
{
    return tst_model_check_theory(m, scenario, want_model, 1);
}

static size_t validate(const char *scenario, const char *const *sets,
                       size_t nsets, const char *want_model)
{
    tst_model m;
    size_t n;

    tst_model_run(&m, scenario, sets, nsets);
    n = covered(&m, scenario, want_model);
    tst_model_free(&m);
    return n;
}

/* Lesson 1: Little's law on the simulated numbers themselves, L = lambda W,
 * Lq = lambda Wq and L - Lq = lambda E[S] (within 1%), besides theory. */
START_TEST(test_littles_law)
{
    tst_model m;
    double X, L, Lq, W, Wq;

    tst_model_run(&m, "scenarios/teaching/littles_law.yaml", NULL, 0);
    ck_assert_uint_ge(covered(&m, "littles_law", "M/M/4"), 20);
    X = tst_model_ci(&m, "service:server", "throughput")->mean;
    L = tst_model_ci(&m, "service:server", "jobs_mean")->mean;
    Lq = tst_model_ci(&m, "service:server", "queue_mean")->mean;
    W = tst_model_ci(&m, "service:server", "response_mean")->mean;
    Wq = tst_model_ci(&m, "service:server", "wait_mean")->mean;
    ck_assert_double_eq_tol(L, X * W, 0.01 * L);
    ck_assert_double_eq_tol(Lq, X * Wq, 0.01 * Lq);
    ck_assert_double_eq_tol(L - Lq, X * 0.040, 0.01 * (L - Lq));
    tst_model_free(&m);
}
END_TEST

/* Lesson 2: M/M/1 as shipped, and the top of the lesson's load sweep
 * (load 0.9 needs a longer run for a +-2% interval). */
START_TEST(test_mm1)
{
    static const char *const at_0_9[] = {
        "workload.0.arrival=poisson(rate=90/s)", "run.duration=20000s",
        "run.warmup=1000s"
    };

    ck_assert_uint_ge(validate("scenarios/teaching/mm1.yaml", NULL, 0,
                               "M/M/1"), 20);
    ck_assert_uint_ge(validate("scenarios/teaching/mm1.yaml", at_0_9, 3,
                               "M/M/1"), 20);
}
END_TEST

/* Lesson 3: one M/M/2 against two M/M/1, and pooling wins. */
START_TEST(test_pooling)
{
    tst_model p, s;

    tst_model_run(&p, "scenarios/teaching/pooled.yaml", NULL, 0);
    tst_model_run(&s, "scenarios/teaching/split.yaml", NULL, 0);
    ck_assert_uint_ge(covered(&p, "pooled", "M/M/2"), 20);
    ck_assert_uint_ge(covered(&s, "split", "open Jackson network (2"), 20);
    /* Theory: W = 1/(mu (1 - rho^2)) pooled, 1/(mu (1 - rho)) split. */
    ck_assert(ana_theory_get(p.th, "system", "latency_mean")
              < 0.6 * ana_theory_get(s.th, "system", "latency_mean"));
    ck_assert(below(tst_model_ci(&p, "system", "latency_mean"),
                    tst_model_ci(&s, "system", "latency_mean")));
    tst_model_free(&p);
    tst_model_free(&s);
}
END_TEST

/* Lesson 4: Erlang B (M/M/c/c), M/M/c/K, and Erlang C without a limit. */
START_TEST(test_erlang)
{
    static const char *const erlang_c[] = {
        "services.server.capacity=0", "run.duration=4000s"
    };
    tst_model m;

    tst_model_run(&m, "scenarios/teaching/erlang_b.yaml", NULL, 0);
    ck_assert_uint_ge(covered(&m, "erlang_b", "M/M/5/5"), 10);
    tst_model_covers(&m, "system", "availability",
                     1 - ana_erlang_b(5, 4.0));
    tst_model_free(&m);
    ck_assert_uint_ge(validate("scenarios/teaching/mmck.yaml", NULL, 0,
                               "M/M/5/10"), 10);
    ck_assert_uint_ge(validate("scenarios/teaching/mmck.yaml", erlang_c, 2,
                               "M/M/5"), 20);
}
END_TEST

/* Lesson 5: the same mean, three variances, Pollaczek-Khinchine. */
START_TEST(test_mg1_variance)
{
    static const char *const det[] = { "services.server.service=det(10ms)" };
    static const char *const hyp[] = {
        "services.server.service=hyperexp(mean=10ms, cv=2)",
        "run.duration=20000s", "run.warmup=1000s"
    };

    ck_assert_uint_ge(validate("scenarios/teaching/mg1.yaml", NULL, 0,
                               "M/M/1"), 20);
    ck_assert_uint_ge(validate("scenarios/teaching/mg1.yaml", det, 1,
                               "M/G/1 (Pollaczek-Khinchine)"), 10);
    ck_assert_uint_ge(validate("scenarios/teaching/mg1.yaml", hyp, 3,
                               "M/G/1 (Pollaczek-Khinchine)"), 10);
}
END_TEST

/* Lesson 6: tandem (Burke) and the central-server model (feedback). */
START_TEST(test_jackson)
{
    tst_model m;

    ck_assert_uint_ge(validate("scenarios/teaching/tandem.yaml", NULL, 0,
                               "open Jackson network (3"), 30);
    tst_model_run(&m, "scenarios/teaching/central_server.yaml", NULL, 0);
    ck_assert_uint_ge(covered(&m, "central_server",
                              "open Jackson network (2"), 20);
    tst_model_covers(&m, "service:cpu", "visits", 4.0);
    tst_model_covers(&m, "service:disk", "visits", 3.0);
    tst_model_free(&m);
}
END_TEST

/* Lesson 7: exact MVA at N = 40 and N = 100; the bounds hold, and at
 * N = 200 the simulated throughput is 1/Dmax = 50/s (the bottleneck never
 * idles), to within an interval narrower than 1%. */
START_TEST(test_closed_mva_and_bounds)
{
    static const char *const n100[] = { "workload.0.population=100" };
    static const char *const n200[] = { "workload.0.population=200" };
    tst_model m;
    const ana_ci *x;

    tst_model_run(&m, "scenarios/teaching/closed.yaml", NULL, 0);
    ck_assert_uint_ge(covered(&m, "closed", "closed product-form network, "
                              "exact MVA (N = 40"), 30);
    ck_assert(m.th->has_bounds);
    ck_assert_double_eq_tol(m.th->bounds.Dmax, 0.020, 1e-12);
    ck_assert_double_eq_tol(m.th->bounds.Nstar, 1.035 / 0.020, 1e-9);
    x = tst_model_ci(&m, "system", "throughput");
    ck_assert(x->mean - tst_tol(x, 2) <= m.th->bounds.X_high
              && x->mean + tst_tol(x, 2) >= m.th->bounds.X_low);
    tst_model_free(&m);
    ck_assert_uint_ge(validate("scenarios/teaching/closed.yaml", n100, 1,
                               "closed product-form network"), 30);
    tst_model_run(&m, "scenarios/teaching/closed.yaml", n200, 1);
    x = tst_model_ci(&m, "system", "throughput");
    ck_assert_msg(tst_agrees(x, 50.0, 1), "N = 200: throughput %g +- %g",
                  x->mean, tst_tol(x, 1));
    ck_assert(tst_tol(x, 1) < 0.01 * 50.0);
    tst_model_free(&m);
}
END_TEST

/* Lesson 8: each loss station rejects with its Erlang B probability; the
 * request needs both, so its availability is about the product of the two
 * (the series formula), slightly above it because both back ends see the
 * same arrivals and fill up together. No exact theory for the request. */
START_TEST(test_series_availability)
{
    tst_model m;
    double b_auth = ana_erlang_b(3, 50 * 0.020);
    double b_db = ana_erlang_b(4, 50 * 0.040);
    double a_series = (1 - b_auth) * (1 - b_db);
    const ana_ci *av;

    tst_model_run(&m, "scenarios/teaching/fanout.yaml", NULL, 0);
    ck_assert(!m.th->applies);
    tst_model_covers(&m, "service:auth", "rejected", b_auth);
    tst_model_covers(&m, "service:db", "rejected", b_db);
    av = tst_model_ci(&m, "system", "availability");
    ck_assert_msg(av->mean + tst_tol(av, 3) > a_series
                  && av->mean - tst_tol(av, 3) < a_series + 0.03,
                  "availability %g +- %g, series formula %g", av->mean,
                  tst_tol(av, 3), a_series);
    /* A request fails when either rejects: at most the sum of the two. */
    ck_assert(1 - (av->mean + tst_tol(av, 3)) < b_auth + b_db);
    tst_model_free(&m);
}
END_TEST

/* Lesson 8, simulated: parts that go up and down, composed in series
 * (gateway, app tier, db) and in parallel (two app replicas, a retry
 * sent by round robin to the other): ana_avail's formulas. */
START_TEST(test_series_and_parallel_up_and_down)
{
    double a_gw = 999.0 / 1000, a_app = 99.0 / 100, a_db = 199.0 / 200;
    double tier[2] = { a_app, a_app }, page[3];
    tst_model m;

    page[0] = a_gw;
    page[1] = ana_avail_parallel(2, tier);
    page[2] = a_db;
    tst_model_run(&m, "scenarios/teaching/availability.yaml", NULL, 0);
    tst_model_covers(&m, "class:page", "availability",
                     ana_avail_series(3, page));
    tst_model_covers(&m, "service:gateway", "up", a_gw);
    tst_model_covers(&m, "service:app", "up", a_app);
    tst_model_covers(&m, "service:db", "up", a_db);
    tst_model_free(&m);
}
END_TEST

/* Lesson 8, a chain: five services that each fail with p = 0.01, the
 * request through all of them with 0.99^5 (ana_avail_chain), each
 * service with what it and those below it fail. */
START_TEST(test_chain_succeeds_with_p_to_the_n)
{
    tst_model m;

    tst_model_run(&m, "scenarios/teaching/chain.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "availability",
                     ana_avail_chain(0.99, 5));
    tst_model_covers(&m, "service:s1", "errors", 1 - pow(0.99, 5));
    tst_model_covers(&m, "service:s3", "errors", 1 - pow(0.99, 3));
    tst_model_covers(&m, "service:s5", "errors", 0.01);
    tst_model_free(&m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("teaching");
    TCase *tc = tcase_create("lessons");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_littles_law);
    tcase_add_test(tc, test_mm1);
    tcase_add_test(tc, test_pooling);
    tcase_add_test(tc, test_erlang);
    tcase_add_test(tc, test_mg1_variance);
    tcase_add_test(tc, test_jackson);
    tcase_add_test(tc, test_closed_mva_and_bounds);
    tcase_add_test(tc, test_series_availability);
    tcase_add_test(tc, test_series_and_parallel_up_and_down);
    tcase_add_test(tc, test_chain_succeeds_with_p_to_the_n);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
