/*
 * check_ana_approx.c - unit tests of the approximations and bounds in
 * ana_approx.c and of the availability compositions in ana_avail.c.
 *
 * Approximations have no "true" published value to match, so each is
 * checked where it must be exact or where two methods overlap: Kingman
 * against Pollaczek-Khinchine (ca^2 = 1) and M/M/1, Allen-Cunneen against
 * M/M/c (Kleinrock Vol. 1, ch. 3) and Kingman (c = 1), Schweitzer-Bard
 * against exact MVA (ana_mva) for large N and where it is exact (N = 1;
 * one station without think time), and the asymptotic bounds against
 * exact MVA over a range of N. Availability follows the closed forms of
 * Trivedi, "Probability and Statistics with Reliability, Queuing, and
 * Computer Science Applications", 2nd ed., 2002, ch. 3 and 8: series
 * prod A_i, parallel 1 - prod (1 - A_i), TMR 3A^2 - 2A^3.
 */
#include <math.h>
#include <stdlib.h>
#include "tst.h"
#include "../analysis/ana_approx.h"
#include "../analysis/ana_avail.h"
#include "../analysis/ana_queue.h"
#include "../sim/sim_err.h"

#define EPS 1e-12

/* |got - want| <= tol * max(1, |want|) */
static void near(double got, double want, double tol)
{
    ck_assert_msg(fabs(got - want) <= tol * fmax(1.0, fabs(want)),
                  "got %.17g, want %.17g (tol %g)", got, want, tol);
}

/* |got - want| <= rtol |want| */
static void rel(double got, double want, double rtol)
{
    ck_assert_msg(fabs(got - want) <= rtol * fabs(want),
                  "got %.17g, want %.17g (relative tol %g)", got, want,
                  rtol);
}

static void same_station(const ana_station *a, const ana_station *b,
                         double tol)
{
    near(a->lambda, b->lambda, tol);
    near(a->util, b->util, tol);
    near(a->L, b->L, tol);
    near(a->Lq, b->Lq, tol);
    near(a->W, b->W, tol);
    near(a->Wq, b->Wq, tol);
    near(a->p_wait, b->p_wait, tol);
}

/* ---- Kingman ------------------------------------------------------------ */

START_TEST(test_kingman_with_poisson_arrivals_is_pollaczek_khinchine)
{
    ana_station k, pk;
    double lam = 61.3, mean = 0.0113;

    /* ca2 = 1: rho/(1-rho) (1 + cs2)/2 E[S] = lambda E[S^2] / (2(1-rho)) */
    ck_assert_int_eq(ana_kingman(lam, mean, 1.0, 2.385, &k), SIM_OK);
    ck_assert_int_eq(ana_mg1(lam, mean, 2.385, &pk), SIM_OK);
    same_station(&k, &pk, 1e-13);
    ck_assert_int_eq(ana_kingman(lam, mean, 1.0, 0.0, &k), SIM_OK);
    ck_assert_int_eq(ana_mg1(lam, mean, 0.0, &pk), SIM_OK);   /* M/D/1 */
    same_station(&k, &pk, 1e-13);
}
END_TEST

START_TEST(test_kingman_for_mm1_is_exact)
{
    ana_station k, m;

    ck_assert_int_eq(ana_kingman(2.385, 1.0 / 3.17, 1.0, 1.0, &k), SIM_OK);
    ck_assert_int_eq(ana_mm1(2.385, 3.17, &m), SIM_OK);
    same_station(&k, &m, 1e-13);
}
END_TEST

START_TEST(test_kingman_formula_and_errors)
{
    ana_station k;
    double lam = 7.9, mean = 0.1, rho = lam * mean;

    ck_assert_int_eq(ana_kingman(lam, mean, 0.385, 2.5, &k), SIM_OK);
    near(k.Wq, rho / (1 - rho) * (0.385 + 2.5) / 2 * mean, EPS);
    near(k.W, k.Wq + mean, EPS);
    near(k.L, lam * k.W, EPS);
    /* D/D/1 never waits */
    ck_assert_int_eq(ana_kingman(lam, mean, 0.0, 0.0, &k), SIM_OK);
    ck_assert(k.Wq == 0.0);
    ck_assert_int_eq(ana_kingman(12.0, mean, 1, 1, &k), SIM_EUNSTABLE);
    near(k.util, 1.2, EPS);
    ck_assert_int_eq(ana_kingman(-1, mean, 1, 1, &k), SIM_EINVAL);
    ck_assert_int_eq(ana_kingman(1, 0.0, 1, 1, &k), SIM_EINVAL);
    ck_assert_int_eq(ana_kingman(1, mean, -1, 1, &k), SIM_EINVAL);
    ck_assert_int_eq(ana_kingman(1, mean, 1, INFINITY, &k), SIM_EINVAL);
    ck_assert_int_eq(ana_kingman(1, mean, 1, 1, NULL), SIM_EINVAL);
}
END_TEST

/* ---- Allen-Cunneen ------------------------------------------------------ */

START_TEST(test_allen_cunneen_is_exact_for_mmc)
{
    ana_station a, m;

    ck_assert_int_eq(ana_allen_cunneen(2.385, 1.0 / 1.13, 3, 1.0, 1.0, &a),
                     SIM_OK);
    ck_assert_int_eq(ana_mmc(2.385, 1.13, 3, &m), SIM_OK);
    same_station(&a, &m, 1e-13);
}
END_TEST

START_TEST(test_allen_cunneen_with_one_server_is_kingman)
{
    ana_station a, k;

    ck_assert_int_eq(ana_allen_cunneen(4.1, 0.2, 1, 0.385, 1.7, &a), SIM_OK);
    ck_assert_int_eq(ana_kingman(4.1, 0.2, 0.385, 1.7, &k), SIM_OK);
    same_station(&a, &k, 1e-13);
}
END_TEST

START_TEST(test_allen_cunneen_scales_the_mmc_wait)
{
    ana_station a, m;
    double lam = 70.0, mean = 0.01;

    /* M/D/2: Wq = Wq(M/M/2) (1 + 0) / 2 */
    ck_assert_int_eq(ana_allen_cunneen(lam, mean, 2, 1.0, 0.0, &a), SIM_OK);
    ck_assert_int_eq(ana_mmc(lam, 1.0 / mean, 2, &m), SIM_OK);
    near(a.Wq, m.Wq / 2, EPS);
    near(a.W, m.Wq / 2 + mean, EPS);
    near(a.p_wait, m.p_wait, EPS);      /* Erlang C kept */
    near(a.util, 0.35, EPS);
    ck_assert_int_eq(ana_allen_cunneen(250.0, mean, 2, 1, 1, &a),
                     SIM_EUNSTABLE);
    near(a.util, 1.25, EPS);
    ck_assert_int_eq(ana_allen_cunneen(1, mean, 0, 1, 1, &a), SIM_EINVAL);
    ck_assert_int_eq(ana_allen_cunneen(1, mean, 2, NAN, 1, &a), SIM_EINVAL);
}
END_TEST

/* ---- Schweitzer-Bard ---------------------------------------------------- */

/* central server: CPU, two disks (single servers), terminals as think */
static const ana_node central[3] = { { 1, 0.0385 }, { 1, 0.051 },
                                     { 1, 0.083 } };
static const double central_v[3] = { 10.0, 6.0, 3.0 };

START_TEST(test_schweitzer_one_customer_is_exact)
{
    double X, R, D = 10 * 0.0385 + 6 * 0.051 + 3 * 0.083;
    ana_station out[3];

    /* (N-1)/N = 0: nobody in front, R = D */
    ck_assert_int_eq(ana_schweitzer(3, central, central_v, 2.5, 1, out, &X,
                                    &R, NULL), SIM_OK);
    near(R, D, 1e-12);
    near(X, 1.0 / (D + 2.5), 1e-12);
}
END_TEST

START_TEST(test_schweitzer_single_station_without_think_is_exact)
{
    ana_node nd = { 1, 0.0385 };
    double v = 2.5, X, R;
    ana_station out;

    /* everyone is at the station: X = 1/D, R = N D */
    ck_assert_int_eq(ana_schweitzer(1, &nd, &v, 0.0, 37, &out, &X, &R, NULL),
                     SIM_OK);
    rel(X, 1.0 / (2.5 * 0.0385), 1e-9);
    rel(R, 37 * 2.5 * 0.0385, 1e-9);
    rel(out.L, 37.0, 1e-9);
}
END_TEST

START_TEST(test_schweitzer_is_near_exact_mva)
{
    /* Schweitzer's error is largest near N*, a few percent for such
     * balanced networks (Lazowska et al. section 6.4.2), and vanishes as
     * N grows; exact MVA (ana_mva) is the reference. */
    static const int Ns[] = { 5, 20, 50, 200, 1000 };
    ana_station ex[3], ap[3];
    double Xe, Re, Xa, Ra;
    size_t i, k;
    int it;

    for (i = 0; i < sizeof Ns / sizeof Ns[0]; i++) {
        ck_assert_int_eq(ana_mva(3, central, central_v, 4.7, Ns[i], ex, &Xe,
                                 &Re), SIM_OK);
        ck_assert_int_eq(ana_schweitzer(3, central, central_v, 4.7, Ns[i],
                                        ap, &Xa, &Ra, &it), SIM_OK);
        rel(Xa, Xe, 0.05);
        rel(Ra, Re, 0.10);
        for (k = 0; k < 3; k++)
            rel(ap[k].util, ex[k].util, 0.05);
        if (Ns[i] >= 200) {
            rel(Xa, Xe, 0.005);
            rel(Ra, Re, 0.01);
        }
        ck_assert_int_gt(it, 0);
    }
}
END_TEST

START_TEST(test_schweitzer_multi_server_and_delay_near_exact)
{
    /* Seidmann's decomposition for c = 4; a delay station */
    ana_node nodes[3] = { { 4, 0.27 }, { 1, 0.031 }, { 0, 1.3 } };
    double v[3] = { 2.5, 7.0, 1.0 }, Xe, Re, Xa, Ra;
    ana_station ex[3], ap[3];
    static const int Ns[] = { 10, 40, 400 };
    size_t i;

    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(ana_mva(3, nodes, v, 3.1, Ns[i], ex, &Xe, &Re),
                         SIM_OK);
        ck_assert_int_eq(ana_schweitzer(3, nodes, v, 3.1, Ns[i], ap, &Xa,
                                        &Ra, NULL), SIM_OK);
        rel(Xa, Xe, 0.05);
        rel(Ra, Re, 0.10);
        near(ap[2].W, 1.3, EPS);        /* a delay never queues */
        /* customers are conserved: sum L + X Z = N */
        rel(ap[0].L + ap[1].L + ap[2].L + Xa * 3.1, Ns[i], 1e-9);
    }
}
END_TEST

START_TEST(test_schweitzer_bad_arguments)
{
    ana_node bad = { -1, 0.1 };
    double v = 1.0, X, R;
    ana_station out;

    ck_assert_int_eq(ana_schweitzer(1, &bad, &v, 1.0, 5, &out, &X, &R, NULL),
                     SIM_EINVAL);
    ck_assert_int_eq(ana_schweitzer(3, central, central_v, -1.0, 5, &out, &X,
                                    &R, NULL), SIM_EINVAL);
    ck_assert_int_eq(ana_schweitzer(3, central, central_v, 1.0, -5, &out, &X,
                                    &R, NULL), SIM_EINVAL);
    ck_assert_int_eq(ana_schweitzer(3, central, central_v, 1.0, 5, NULL, &X,
                                    &R, NULL), SIM_EINVAL);
}
END_TEST

/* ---- asymptotic bounds -------------------------------------------------- */

START_TEST(test_bounds_hand_computed)
{
    /* scenarios/closed.yaml: web (c 1, 20 ms, v 1), app (c 2, 30 ms,
     * v 1/(1 - 0.7*0.2) = 1.1628), db (c 1, 15 ms, v 0.7 v_app), Z = 1 s */
    double va = 1.0 / (1.0 - 0.14);
    ana_node nodes[3] = { { 1, 0.020 }, { 2, 0.030 }, { 1, 0.015 } };
    double v[3] = { 1.0, va, 0.7 * va };
    double D = 0.020 + 0.030 * va + 0.015 * 0.7 * va;
    ana_bounds b;

    ck_assert_int_eq(ana_bounds_closed(3, nodes, v, 1.0, 40, &b), SIM_OK);
    near(b.D, D, EPS);
    /* Dmax = max(0.020, 0.030 va / 2 = 0.01744, 0.01221) = 0.020 (web) */
    near(b.Dmax, 0.020, EPS);
    ck_assert_uint_eq(b.bottleneck, 0);
    near(b.Nstar, (D + 1.0) / 0.020, EPS);
    near(b.X_high, fmin(40 / (D + 1.0), 1 / 0.020), EPS);
    near(b.X_low, 40 / (40 * D + 1.0), EPS);
    near(b.R_low, fmax(D, 40 * 0.020 - 1.0), EPS);
    near(b.R_high, 40 * D, EPS);
}
END_TEST

START_TEST(test_bounds_bracket_exact_mva)
{
    ana_node nodes[4] = { { 1, 0.0385 }, { 3, 0.2 }, { 1, 0.083 },
                          { 0, 0.4 } };
    double v[4] = { 10.0, 2.0, 3.0, 1.0 }, X, R;
    ana_station out[4];
    ana_bounds b;
    int N;

    for (N = 1; N <= 120; N += 7) {
        ck_assert_int_eq(ana_mva(4, nodes, v, 2.9, N, out, &X, &R), SIM_OK);
        ck_assert_int_eq(ana_bounds_closed(4, nodes, v, 2.9, N, &b), SIM_OK);
        ck_assert_msg(X >= b.X_low * (1 - 1e-12)
                      && X <= b.X_high * (1 + 1e-12),
                      "N %d: X %g outside [%g, %g]", N, X, b.X_low,
                      b.X_high);
        ck_assert_msg(R >= b.R_low * (1 - 1e-12)
                      && R <= b.R_high * (1 + 1e-12),
                      "N %d: R %g outside [%g, %g]", N, R, b.R_low,
                      b.R_high);
    }
    /* N = 1: the bounds meet at the exact answer */
    ck_assert_int_eq(ana_bounds_closed(4, nodes, v, 2.9, 1, &b), SIM_OK);
    near(b.X_low, b.X_high, EPS);
    near(b.R_low, b.R_high, EPS);
}
END_TEST

START_TEST(test_bounds_delay_only_and_errors)
{
    ana_node d = { 0, 0.5 };
    double v = 2.0;
    ana_bounds b;

    ck_assert_int_eq(ana_bounds_closed(1, &d, &v, 1.0, 10, &b), SIM_OK);
    ck_assert_uint_eq(b.bottleneck, 1);         /* none */
    ck_assert(isinf(b.Nstar));
    near(b.X_high, 10 / 2.0, EPS);
    ck_assert_int_eq(ana_bounds_closed(1, &d, &v, 1.0, 0, &b), SIM_EINVAL);
    ck_assert_int_eq(ana_bounds_closed(1, &d, &v, NAN, 3, &b), SIM_EINVAL);
    v = 0.0;
    ck_assert_int_eq(ana_bounds_closed(1, &d, &v, 0.0, 3, &b), SIM_EINVAL);
}
END_TEST

/* ---- availability ------------------------------------------------------- */

START_TEST(test_avail_series_and_parallel)
{
    double a3[3] = { 0.99, 0.99, 0.99 }, a2[2] = { 0.995, 0.97 };

    near(ana_avail_series(3, a3), 0.970299, 1e-15);     /* 0.99^3 */
    near(ana_avail_parallel(2, a3), 0.9999, 1e-15);     /* 1 - 0.01^2 */
    near(ana_avail_series(2, a2), 0.995 * 0.97, EPS);
    near(ana_avail_parallel(2, a2), 1 - 0.005 * 0.03, EPS);
    ck_assert(ana_avail_series(0, NULL) == 1.0);
    ck_assert(ana_avail_parallel(0, NULL) == 0.0);
    a2[1] = 1.2;
    ck_assert(isnan(ana_avail_series(2, a2)));
    ck_assert(isnan(ana_avail_parallel(2, a2)));
}
END_TEST

START_TEST(test_avail_k_of_n)
{
    double a = 0.9, a3[3] = { 0.9, 0.9, 0.9 };

    /* TMR, 2 of 3: 3 a^2 - 2 a^3 (Trivedi section 3.5) = 0.972 */
    near(ana_avail_k_of_n(2, 3, a), 3 * a * a - 2 * a * a * a, 1e-14);
    near(ana_avail_k_of_n(2, 3, a), 0.972, 1e-14);
    near(ana_avail_k_of_n(1, 3, a), ana_avail_parallel(3, a3), 1e-14);
    near(ana_avail_k_of_n(3, 3, a), ana_avail_series(3, a3), 1e-14);
    ck_assert(ana_avail_k_of_n(0, 3, 0.2385) == 1.0);
    ck_assert(isnan(ana_avail_k_of_n(4, 3, a)));
    ck_assert(isnan(ana_avail_k_of_n(1, 3, -0.1)));
}
END_TEST

START_TEST(test_avail_chain_and_mttf)
{
    /* a chain of n calls each succeeding with p: p^n */
    near(ana_avail_chain(0.999, 10), pow(0.999, 10), EPS);
    near(ana_avail_chain(0.99, 5), 0.9509900499, 1e-15);
    ck_assert(ana_avail_chain(0.2385, 0) == 1.0);
    ck_assert(isnan(ana_avail_chain(1.5, 2)));
    ck_assert(isnan(ana_avail_chain(0.5, -1)));
    /* MTTF 999 h, MTTR 1 h: 99.9% */
    near(ana_avail_mttf(999.0, 1.0), 0.999, 1e-15);
    ck_assert(isnan(ana_avail_mttf(0.0, 0.0)));
    ck_assert(isnan(ana_avail_mttf(-1.0, 1.0)));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_approx");
    TCase *tc;

    tc = tcase_create("kingman");
    tcase_add_test(tc, test_kingman_with_poisson_arrivals_is_pollaczek_khinchine);
    tcase_add_test(tc, test_kingman_for_mm1_is_exact);
    tcase_add_test(tc, test_kingman_formula_and_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("allen_cunneen");
    tcase_add_test(tc, test_allen_cunneen_is_exact_for_mmc);
    tcase_add_test(tc, test_allen_cunneen_with_one_server_is_kingman);
    tcase_add_test(tc, test_allen_cunneen_scales_the_mmc_wait);
    suite_add_tcase(s, tc);

    tc = tcase_create("schweitzer");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_schweitzer_one_customer_is_exact);
    tcase_add_test(tc, test_schweitzer_single_station_without_think_is_exact);
    tcase_add_test(tc, test_schweitzer_is_near_exact_mva);
    tcase_add_test(tc, test_schweitzer_multi_server_and_delay_near_exact);
    tcase_add_test(tc, test_schweitzer_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("bounds");
    tcase_add_test(tc, test_bounds_hand_computed);
    tcase_add_test(tc, test_bounds_bracket_exact_mva);
    tcase_add_test(tc, test_bounds_delay_only_and_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("availability");
    tcase_add_test(tc, test_avail_series_and_parallel);
    tcase_add_test(tc, test_avail_k_of_n);
    tcase_add_test(tc, test_avail_chain_and_mttf);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
