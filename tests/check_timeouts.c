/*
 * check_timeouts.c - timeouts, deadlines, deadline checks and retries against
 * their closed forms, on an M/M/1 server (rate mu) behind a client that
 * does no work (tests/data/timeout.yaml: lambda = 50/s, mu = 100/s,
 * tau = 20 ms). Expected values are worked out here.
 *
 * Timeout: the server's sojourn W is exponential with rate
 * theta = mu - lambda; the caller stops waiting at tau, the server goes
 * on (its load is unchanged), so availability = P(W <= tau).
 *
 * Deadline with a deadline check at the server: a request whose wait
 * would pass tau is dropped unserved when its turn comes, so only the
 * work of requests whose virtual wait V at arrival is at most tau enters
 * (M/M/1 with deterministic impatience; Baccelli, Boyer and Hebuterne
 * 1984). By level crossing, V has an atom p0 at 0, density
 * p0 lambda e^{-theta x} on (0, tau] and p0 lambda e^{-theta tau}
 * e^{-mu (x - tau)} beyond.
 *
 * Retries (tests/data/retry.yaml): n tries, each given up after tau, on
 * an infinite-server station, so each try fails independently with
 * q = e^{-mu tau}: the call fails with q^n and makes (1 - q^n) / (1 - q)
 * tries on average, and the station's mean number busy is lambda times
 * that times 1/mu (given-up tries run to the end). With errors
 * injected with probability q instead (failures: mode error), the same
 * holds with that q, and the server answers a share q of its visits with
 * an error.
 *
 * Hedging (tests/data/hedge.yaml): one call, hedged once after d, to the
 * same infinite-server station. The first attempt takes X1, the hedge,
 * sent only if X1 > d, takes X2 (independent, rate mu each); the call
 * ends at the first answer, T = min(X1, d + X2), so
 *   E[T] = int_0^inf P(X1 > t) P(d + X2 > t) dt
 *        = (1 - e^{-mu d}) / mu + e^{-mu d} / (2 mu)
 *        = 1 / mu - e^{-mu d} / (2 mu),
 * 1 / (2 mu) at d = 0 (the minimum of two exponentials). It makes
 * 1 + e^{-mu d} tries. Given X1 > d, X1 = d + Y with Y ~ Exp(mu) (no
 * memory): the loser is the hedge (work X2) when Y < X2, else the first
 * attempt (work d + Y), so the orphaned work per call is
 *   e^{-mu d} (E[X2 1{X2 > Y}] + E[(d + Y) 1{Y > X2}])
 *   = e^{-mu d} (d / 2 + 3 / (2 mu))
 * (E[max(Y, X2)] = 3 / (2 mu), shared equally by symmetry), out of
 * (1 + e^{-mu d}) / mu of work per call.
 *
 * Fallback: a call that fails in the end is answered locally, so every
 * request succeeds (availability 1) and a share q^n of them, those whose
 * n tries all failed, are degraded.
 *
 * Bulkhead: c permits without a wait, in front of the infinite-server
 * station, make an Erlang loss system M/M/c/c: an attempt is refused
 * with probability B(c, lambda / mu) (Erlang B, insensitive to the
 * service distribution). One permit with a wait of at most tau, in front
 * of the M/M/1 server, is the M/M/1 with deterministic impatience above:
 * an attempt whose virtual wait V exceeds tau is refused when tau has
 * passed, and its work never enters.
 */
#include <math.h>
#include <stdio.h>
#include "../analysis/ana_queue.h"
#include "tst.h"
#include "tst_model.h"

#define LAMBDA 50.0
#define MU 100.0
#define TAU 0.020
#define THETA (MU - LAMBDA)

/* E[S 1{W > tau}] / E[S]: the share of the server's work done after its
 * caller gave up. W = Wq + S with Wq independent of S: Wq = 0 with
 * probability 1 - rho, else exponential with rate theta, so
 *   E[S 1{W > tau}] = int_0^tau s mu e^{-mu s} rho e^{-theta (tau - s)} ds
 *                   + int_tau^inf s mu e^{-mu s} ds
 *   = e^{-theta tau} (1 - e^{-lambda tau} (1 + lambda tau)) / lambda
 *     + e^{-mu tau} (tau + 1 / mu). */
static double orphaned_share(void)
{
    double a = exp(-THETA * TAU)
               * (1 - exp(-LAMBDA * TAU) * (1 + LAMBDA * TAU)) / LAMBDA;
    double b = exp(-MU * TAU) * (TAU + 1 / MU);

    return (a + b) * MU;
}

START_TEST(test_timeout_cuts_an_exponential_sojourn)
{
    double late = exp(-THETA * TAU);
    tst_model m;

    tst_model_run(&m, "tests/data/timeout.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "availability", 1 - late);
    tst_model_covers(&m, "class:req", "timed_out", late);
    tst_model_covers(&m, "call:client->server", "timeouts", late);
    /* The successful: E[W | W <= tau] */
    tst_model_covers(&m, "class:req", "latency_mean",
                     1 / THETA - TAU * late / (1 - late));
    /* The server does all the work, a part of it for nobody. */
    tst_model_covers(&m, "service:server", "utilization", LAMBDA / MU);
    tst_model_covers(&m, "service:server", "orphaned", orphaned_share());
    tst_model_free(&m);
}
END_TEST

START_TEST(test_deadline_check_is_deterministic_impatience)
{
    static const char *const sets[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.deadline=20ms",
        "services.server.deadline_check=1"
    };
    double e = exp(-THETA * TAU), p0, dropped, avail;
    tst_model m;

    p0 = 1 / (1 + LAMBDA * (1 - e) / THETA + LAMBDA * e / MU);
    dropped = p0 * LAMBDA * e / MU;
    /* Served in time: V = v <= tau and S <= tau - v. */
    avail = p0 * ((1 - exp(-MU * TAU))
                  + LAMBDA * ((1 - e) / THETA
                              - exp(-MU * TAU) * (exp(LAMBDA * TAU) - 1)
                                / LAMBDA));
    tst_model_run(&m, "tests/data/timeout.yaml", sets, 3);
    tst_model_covers(&m, "service:server", "deadline_dropped", dropped);
    tst_model_covers(&m, "service:server", "utilization",
                     LAMBDA / MU * (1 - dropped));
    tst_model_covers(&m, "class:req", "availability", avail);
    tst_model_covers(&m, "class:req", "timed_out", 1 - avail);
    tst_model_free(&m);
}
END_TEST

START_TEST(test_retries_of_independent_timeouts)
{
    double lambda = 100, mu = 100, tau = 0.010, n = 3;
    double q = exp(-mu * tau), tries = (1 - pow(q, n)) / (1 - q);
    tst_model m;

    tst_model_run(&m, "tests/data/retry.yaml", NULL, 0);
    tst_model_covers(&m, "class:req", "availability", 1 - pow(q, n));
    tst_model_covers(&m, "class:req", "timed_out", pow(q, n));
    tst_model_covers(&m, "call:client->server", "attempts", tries);
    tst_model_covers(&m, "call:client->server", "timeouts", pow(q, n));
    tst_model_covers(&m, "service:server", "utilization",
                     lambda * tries / mu);
    tst_model_free(&m);
}
END_TEST

START_TEST(test_retries_of_independent_errors)
{
    static const char *const sets[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.retry.on=error",
        "failures.0.service=server", "failures.0.mode=error",
        "failures.0.p=0.3"
    };
    double lambda = 100, mu = 100, q = 0.3, n = 3;
    double tries = (1 - pow(q, n)) / (1 - q);
    tst_model m;

    tst_model_run(&m, "tests/data/retry.yaml", sets, 5);
    tst_model_covers(&m, "class:req", "availability", 1 - pow(q, n));
    tst_model_covers(&m, "class:req", "failed", pow(q, n));
    tst_model_covers(&m, "call:client->server", "attempts", tries);
    tst_model_covers(&m, "call:client->server", "errors", pow(q, n));
    tst_model_covers(&m, "service:server", "errors", q);
    tst_model_covers(&m, "service:server", "utilization",
                     lambda * tries / mu);
    tst_model_free(&m);
}
END_TEST

/* Hedging after d, as worked out above; d = 0 sends both at once. */
static void check_hedge(double d)
{
    double lambda = 100, mu = 100, late = exp(-mu * d);
    double work = (1 + late) / mu, orphan = late * (d / 2 + 1.5 / mu);
    char set[64];
    const char *sets[] = { set };
    tst_model m;

    snprintf(set, sizeof set, "calls.client->server.hedge.delay=%.17g", d);
    tst_model_run(&m, "tests/data/hedge.yaml", sets, 1);
    tst_model_covers(&m, "call:client->server", "latency_mean",
                     1 / mu - late / (2 * mu));
    tst_model_covers(&m, "class:req", "latency_mean",
                     1 / mu - late / (2 * mu));
    tst_model_covers(&m, "call:client->server", "attempts", 1 + late);
    tst_model_covers(&m, "service:server", "orphaned", orphan / work);
    tst_model_covers(&m, "service:server", "utilization", lambda * work);
    tst_model_covers(&m, "class:req", "availability", 1);
    tst_model_free(&m);
}

START_TEST(test_hedge_takes_the_first_of_two_exponentials)
{
    check_hedge(0.005);
}
END_TEST

START_TEST(test_hedge_without_delay_sends_both_at_once)
{
    check_hedge(0);
}
END_TEST

START_TEST(test_fallback_answers_for_independent_errors)
{
    static const char *const once[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.retry.attempts=1",
        "calls.client->server.fallback=true",
        "failures.0.service=server", "failures.0.mode=error",
        "failures.0.p=0.3"
    };
    static const char *const thrice[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.retry.on=error",
        "calls.client->server.fallback=true",
        "failures.0.service=server", "failures.0.mode=error",
        "failures.0.p=0.3"
    };
    double q = 0.3, n = 3;
    tst_model m;

    tst_model_run(&m, "tests/data/retry.yaml", once, 6);
    tst_model_covers(&m, "class:req", "availability", 1);
    tst_model_covers(&m, "class:req", "degraded", q);
    tst_model_covers(&m, "system", "degraded", q);
    tst_model_covers(&m, "class:req", "failed", 0);
    tst_model_covers(&m, "call:client->server", "errors", q);
    tst_model_free(&m);
    tst_model_run(&m, "tests/data/retry.yaml", thrice, 6);
    tst_model_covers(&m, "class:req", "availability", 1);
    tst_model_covers(&m, "class:req", "degraded", pow(q, n));
    tst_model_covers(&m, "call:client->server", "errors", pow(q, n));
    tst_model_covers(&m, "call:client->server", "attempts",
                     (1 - pow(q, n)) / (1 - q));
    tst_model_free(&m);
}
END_TEST

START_TEST(test_bulkhead_without_wait_is_erlang_loss)
{
    static const char *const sets[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.retry.attempts=1",
        "calls.client->server.bulkhead.max_concurrent=2"
    };
    double lambda = 100, mu = 100, b = ana_erlang_b(2, lambda / mu);
    tst_model m;

    ck_assert_double_eq_tol(b, 0.2, 1e-12);
    tst_model_run(&m, "tests/data/retry.yaml", sets, 3);
    tst_model_covers(&m, "call:client->server", "short_circuited", b);
    tst_model_covers(&m, "class:req", "rejected", b);
    tst_model_covers(&m, "class:req", "availability", 1 - b);
    tst_model_covers(&m, "class:req", "latency_mean", 1 / mu);
    tst_model_covers(&m, "service:server", "utilization",
                     lambda / mu * (1 - b));
    tst_model_free(&m);
}
END_TEST

START_TEST(test_bulkhead_wait_is_deterministic_impatience)
{
    static const char *const sets[] = {
        "calls.client->server.timeout=0",
        "calls.client->server.bulkhead.max_concurrent=1",
        "calls.client->server.bulkhead.max_wait=20ms"
    };
    double e = exp(-THETA * TAU), p0, refused, waited;
    tst_model m;

    p0 = 1 / (1 + LAMBDA * (1 - e) / THETA + LAMBDA * e / MU);
    refused = p0 * LAMBDA * e / MU;
    /* E[V 1{V <= tau}] = p0 lambda (1 - e^{-theta tau} (1 + theta tau))
     * / theta^2, over P(V <= tau). */
    waited = p0 * LAMBDA * (1 - e * (1 + THETA * TAU)) / (THETA * THETA)
             / (1 - refused);
    tst_model_run(&m, "tests/data/timeout.yaml", sets, 3);
    tst_model_covers(&m, "call:client->server", "short_circuited", refused);
    tst_model_covers(&m, "class:req", "rejected", refused);
    tst_model_covers(&m, "service:server", "utilization",
                     LAMBDA / MU * (1 - refused));
    tst_model_covers(&m, "class:req", "latency_mean", waited + 1 / MU);
    tst_model_free(&m);
}
END_TEST

/* The shipped retry storm (scenarios/retry_storm.yaml): measured long
 * after a 10 s slow-down, retries without a budget keep the server
 * saturated and nothing succeeds; a 20% budget, or no retries, recovers;
 * without the slow-down the same system never fails. The gaps (0 against
 * 1) are far beyond any sampling error. */
START_TEST(test_retry_storm_is_metastable)
{
    static const char *const budget[] = {
        "calls.client->server.retry.budget.percent=20"
    };
    static const char *const once[] = {
        "calls.client->server.retry.attempts=1"
    };
    static const char *const calm[] = { "failures.0.factor=1" };
    tst_model m;

    tst_model_run(&m, "scenarios/retry_storm.yaml", NULL, 0);
    ck_assert_double_lt(tst_model_ci(&m, "class:req", "availability")->mean,
                        0.30);
    ck_assert_double_gt(tst_model_ci(&m, "call:client->server",
                                     "attempts")->mean, 3.5);
    tst_model_free(&m);
    tst_model_run(&m, "scenarios/retry_storm.yaml", budget, 1);
    ck_assert_double_gt(tst_model_ci(&m, "class:req", "availability")->mean,
                        0.95);
    tst_model_free(&m);
    tst_model_run(&m, "scenarios/retry_storm.yaml", once, 1);
    ck_assert_double_gt(tst_model_ci(&m, "class:req", "availability")->mean,
                        0.95);
    tst_model_free(&m);
    tst_model_run(&m, "scenarios/retry_storm.yaml", calm, 1);
    ck_assert_double_gt(tst_model_ci(&m, "class:req", "availability")->mean,
                        0.95);
    tst_model_free(&m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("timeouts");
    TCase *tc = tcase_create("mm1");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_timeout_cuts_an_exponential_sojourn);
    tcase_add_test(tc, test_deadline_check_is_deterministic_impatience);
    tcase_add_test(tc, test_retries_of_independent_timeouts);
    tcase_add_test(tc, test_retries_of_independent_errors);
    tcase_add_test(tc, test_fallback_answers_for_independent_errors);
    tcase_add_test(tc, test_bulkhead_without_wait_is_erlang_loss);
    tcase_add_test(tc, test_bulkhead_wait_is_deterministic_impatience);
    tcase_add_test(tc, test_retry_storm_is_metastable);
    tcase_add_test(tc, test_hedge_takes_the_first_of_two_exponentials);
    tcase_add_test(tc, test_hedge_without_delay_sends_both_at_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
