/*
 * check_mdl_ratelimit.c - the token bucket of a service's rate limit:
 * its tokens exactly (a burst, then the refill), through the engine with
 * det() arrivals (exactly which requests are refused), and against a
 * closed form with Poisson arrivals.
 *
 * Closed form. Let T = 1/r and V = (b - tokens) T, the time the bucket
 * needs to fill up. V falls at rate 1 down to 0, and an admitted arrival
 * adds T to it; an arrival is admitted when a token is there, tokens >=
 * 1, that is V <= (b - 1) T. V is then the work in an M/D/1 queue with
 * service time T in which an arrival enters when the work it finds is at
 * most (b - 1) T; as the work is a whole number of services in progress,
 * ceil(V / T) is the number in system N, and the condition is N < b: the
 * bucket refuses exactly the arrivals an M/D/1/b queue blocks. For
 * M/G/1/K (Gross and Harris, Fundamentals of Queueing Theory, section on
 * M/G/1/K), with a_k = e^{-rho} rho^k / k! the chance of k arrivals in a
 * service and rho = lambda T, the departure-epoch probabilities pi_0 ..
 * pi_{K-1} solve
 *     pi_j = pi_0 a_j + sum_{i=1}^{j+1} pi_i a_{j-i+1},  j = 0 .. K-2,
 * and by PASTA an arrival is blocked with 1 - 1 / (pi_0 + rho). For
 * b = 1 this is rho / (1 + rho): after each admission the bucket is empty
 * for T, and one arrival in 1 + rho gets in.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_int.h"
#include "../models/mdl_ratelimit.h"
#include "../sim/sim_err.h"
#include "tst.h"
#include "tst_model.h"

static mdl_rate_limit_policy policy(double rate, long burst)
{
    mdl_rate_limit_policy p = { 1, rate, burst };

    return p;
}

/* A bucket of 3 at 2.5 tokens/s, full at 0: three go at 0.7 s, the
 * fourth finds it empty; 0.4 s later (1.1 s) a token is back, at 0.9 s
 * only half of one. */
START_TEST(test_bucket_takes_a_burst_then_refills_at_its_rate)
{
    mdl_rate_limit_policy p = policy(2.5, 3);
    mdl_ratelimit rl;

    ck_assert_int_eq(mdl_ratelimit_init(&rl, &p, 1), SIM_OK);
    ck_assert_double_eq(mdl_ratelimit_tokens(&rl, 0, 0.7), 3);
    ck_assert(mdl_ratelimit_take(&rl, 0, 0.7));
    ck_assert(mdl_ratelimit_take(&rl, 0, 0.7));
    ck_assert(mdl_ratelimit_take(&rl, 0, 0.7));
    ck_assert(!mdl_ratelimit_take(&rl, 0, 0.7));
    ck_assert_double_eq_tol(mdl_ratelimit_tokens(&rl, 0, 0.9), 0.5, 1e-12);
    ck_assert(!mdl_ratelimit_take(&rl, 0, 0.9));
    ck_assert(mdl_ratelimit_take(&rl, 0, 1.1));
    ck_assert(!mdl_ratelimit_take(&rl, 0, 1.3));
    ck_assert(mdl_ratelimit_take(&rl, 0, 1.5));
    ck_assert_double_eq(rl.limited[0], 3);
    /* Idle for long, it holds no more than its burst. */
    ck_assert_double_eq(mdl_ratelimit_tokens(&rl, 0, 100), 3);
    mdl_ratelimit_clear(&rl);
    ck_assert_double_eq(rl.limited[0], 0);
    mdl_ratelimit_destroy(&rl);
}
END_TEST

/* Each replica has a bucket of its own, as each sidecar does; a new
 * replication starts them full. */
START_TEST(test_each_replica_has_its_own_bucket)
{
    mdl_rate_limit_policy p = policy(10, 1);
    mdl_ratelimit rl;
    mdl_admitter a;
    mdl_admission ad;

    ck_assert_int_eq(mdl_ratelimit_init(&rl, &p, 2), SIM_OK);
    a = mdl_ratelimit_admitter(&rl);
    ad.n = 1;
    ad.a = &a;
    ck_assert(mdl_admission_admit(&ad, 0, 0.25));
    ck_assert(!mdl_admission_admit(&ad, 0, 0.3));
    ck_assert(mdl_admission_admit(&ad, 1, 0.3));
    ck_assert(mdl_admission_admit(&ad, 0, 0.35));
    ck_assert_double_eq(rl.limited[0], 1);
    ck_assert_double_eq(rl.limited[1], 0);
    mdl_ratelimit_start(&rl);
    ck_assert(mdl_admission_admit(&ad, 0, 0.01));
    ck_assert_double_eq(rl.limited[0], 0);
    mdl_ratelimit_destroy(&rl);
}
END_TEST

/* ---- through the engine ---- */

#define NREQ 20

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

static double value_of(const mdl_net *net, const double *res,
                       const char *scope, const char *name)
{
    size_t m;

    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_scope(net, m), scope)
            && !strcmp(mdl_net_metric(net, m), name))
            return res[m];
    ck_abort_msg("no metric %s %s", scope, name);
    return NAN;
}

/* Run tests/data/ratelimit_det.yaml with one override (NULL: none):
 * the 20 requests in *s, the share of arrivals limited in *limited. */
static void run_det(const char *set, seen *s, double *limited,
                    double *rejected)
{
    mdl_scenario *sc = NULL;
    mdl_net *net = NULL;
    double *res;
    sim_diag d;

    memset(&d, 0, sizeof d);
    memset(s, 0, sizeof *s);
    if (mdl_scenario_load(&sc, tst_path("tests/data/ratelimit_det.yaml"),
                          &set, set ? 1 : 0, &d) != SIM_OK)
        ck_abort_msg("%s:%d: %s", d.file, d.line, d.msg);
    ck_assert_int_eq(mdl_net_new(&net, sc, &d), SIM_OK);
    res = malloc(mdl_net_result_len(net) * sizeof *res);
    ck_assert_ptr_nonnull(res);
    mdl_net_set_observer(net, observe, s);
    ck_assert_int_eq(mdl_net_run(net, 0, res, NULL, &d), SIM_OK);
    ck_assert_int_eq(s->n, NREQ);
    *limited = value_of(net, res, "service:api", "rate_limited");
    *rejected = value_of(net, res, "system", "rejected");
    free(res);
    mdl_net_free(net);
    mdl_scenario_free(sc);
}

/* Arrivals at 5, 10, 15 ... ms on 100/s with a burst of 1: the first
 * finds the bucket full, the second half full (refused), the third full
 * again. Exactly the even ones are refused, at their arrival; the odd
 * ones take 1 ms. At 50/s only one in four gets in. */
START_TEST(test_det_arrivals_refused_exactly_every_other)
{
    double limited, rejected;
    seen s;
    int k;

    run_det(NULL, &s, &limited, &rejected);
    for (k = 0; k < NREQ; k++) {
        const mdl_net_req *r = &s.r[k];
        double at = 0.005 * (k + 1);

        ck_assert_msg(fabs(r->start - at) < 1e-9, "request %d at %g", k + 1,
                      r->start);
        if (k % 2 == 0) {
            ck_assert_int_eq(r->outcome, MDL_REQ_OK);
            ck_assert_double_eq_tol(r->end, at + 0.001, 1e-9);
        } else {
            ck_assert_int_eq(r->outcome, MDL_REQ_REJECTED);
            ck_assert_double_eq_tol(r->end, at, 1e-9);
        }
    }
    ck_assert_double_eq(limited, 0.5);
    ck_assert_double_eq(rejected, 0.5);
    run_det("services.api.rate_limit.rate=50/s", &s, &limited, &rejected);
    for (k = 0; k < NREQ; k++)
        ck_assert_int_eq(s.r[k].outcome,
                         k % 4 == 0 ? MDL_REQ_OK : MDL_REQ_REJECTED);
    ck_assert_double_eq(limited, 0.75);
}
END_TEST

/* Blocking in M/D/1/K, rho = lambda T (see the top of this file). */
static double md1k_block(double rho, int k)
{
    double a[64], pi[64], sum = 0;
    int i, j;

    ck_assert_int_le(k, 64);
    for (j = 0; j < k; j++)
        a[j] = exp(-rho + j * log(rho) - lgamma(j + 1.0));
    pi[0] = 1;
    for (j = 0; j + 1 < k; j++) {
        double x = pi[j] - pi[0] * a[j];
        for (i = 1; i <= j; i++)
            x -= pi[i] * a[j - i + 1];
        pi[j + 1] = x / a[0];
    }
    for (j = 0; j < k; j++)
        sum += pi[j];
    return 1 - 1 / (pi[0] / sum + rho);
}

START_TEST(test_md1k_block_of_one_token_is_rho_over_one_plus_rho)
{
    ck_assert_double_eq_tol(md1k_block(1.5, 1), 0.6, 1e-12);
    ck_assert_double_eq_tol(md1k_block(0.37, 1), 0.37 / 1.37, 1e-12);
    /* M/D/1/2 by hand: pi_1 / pi_0 = (1 - a_0) / a_0 = e^rho - 1, so
     * pi_0 = e^{-rho} and the block is 1 - 1 / (e^{-rho} + rho). */
    ck_assert_double_eq_tol(md1k_block(1.5, 2), 1 - 1 / (exp(-1.5) + 1.5),
                            1e-12);
}
END_TEST

/* Poisson at 150/s on 100/s with a bucket of 3: refused as an M/D/1/3
 * queue blocks, rho = 1.5. */
START_TEST(test_poisson_refusals_match_md1k)
{
    double want = md1k_block(1.5, 3);
    tst_model m;

    tst_model_run(&m, "tests/data/ratelimit.yaml", NULL, 0);
    tst_model_covers(&m, "service:api", "rate_limited", want);
    tst_model_covers(&m, "class:req", "rejected", want);
    tst_model_covers(&m, "service:api", "throughput", 150 * (1 - want));
    tst_model_free(&m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_ratelimit");
    TCase *tc = tcase_create("bucket");

    tcase_add_test(tc, test_bucket_takes_a_burst_then_refills_at_its_rate);
    tcase_add_test(tc, test_each_replica_has_its_own_bucket);
    suite_add_tcase(s, tc);
    tc = tcase_create("engine");
    tcase_add_test(tc, test_det_arrivals_refused_exactly_every_other);
    suite_add_tcase(s, tc);
    tc = tcase_create("closed form");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_md1k_block_of_one_token_is_rho_over_one_plus_rho);
    tcase_add_test(tc, test_poisson_refusals_match_md1k);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
