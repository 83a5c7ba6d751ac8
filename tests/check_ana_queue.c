/*
 * check_ana_queue.c - unit tests of the queueing formulas in ana_queue.c.
 *
 * Every expected number comes from a published table or closed form
 * (source named next to it) or from an independent computation written
 * here: the direct textbook sums for Erlang C, M/M/c and M/M/1/K, and a
 * log-space convolution algorithm (Buzen 1973; load-dependent form of
 * Reiser & Kobayashi 1975) for closed networks, which shares no code or
 * recursion with the MVA under test. Multi-class BCMP networks are checked
 * against Jackson (one class) and Kleinrock's M/G/1-PS slowdown.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include "tst.h"
#include "../analysis/ana_queue.h"
#include "../sim/sim_err.h"

#define EPS 1e-12

/* |got - want| <= tol * max(1, |want|) */
static void near(double got, double want, double tol)
{
    ck_assert_msg(fabs(got - want) <= tol * fmax(1.0, fabs(want)),
                  "got %.17g, want %.17g (tol %g)", got, want, tol);
}

/* ---- Erlang B and C ---------------------------------------------------- */

/* Direct Erlang C (Kleinrock Vol. 1, ch. 3, M/M/m):
 * C = [a^c/c! c/(c-a)] / [sum_{k<c} a^k/k! + a^c/c! c/(c-a)] */
static double erlang_c_direct(int c, double a)
{
    double term = 1.0, sum = 0.0, last;
    int k;

    for (k = 0; k < c; k++) {
        sum += term;
        term *= a / (k + 1);
    }
    last = term * c / (c - a);
    return last / (sum + last);
}

START_TEST(test_erlang_b_matches_table)
{
    /* Erlang B tables give B(10, 5) = 0.01838 (4 significant digits) */
    near(ana_erlang_b(10, 5.0), 0.01838, 5e-6);
    /* direct B = (a^c/c!) / sum_{k<=c} a^k/k!: 0.018384570... */
    near(ana_erlang_b(10, 5.0), 0.018384570336648, 1e-14);
    /* B(1, a) = a / (1 + a) */
    near(ana_erlang_b(1, 2.385), 2.385 / 3.385, EPS);
    ck_assert(ana_erlang_b(0, 2.385) == 1.0);
}
END_TEST

START_TEST(test_erlang_c_matches_direct_sum)
{
    /* C(2, 1) = 1/3 (M/M/2 at rho = 0.5) */
    near(ana_erlang_c(2, 1.0), 1.0 / 3.0, EPS);
    near(ana_erlang_c(7, 5.385), erlang_c_direct(7, 5.385), 1e-13);
    near(ana_erlang_c(1, 0.385), 0.385, EPS);   /* M/M/1: C = rho */
}
END_TEST

START_TEST(test_erlang_large_c_stays_finite)
{
    double b = ana_erlang_b(1000, 950.5), c = ana_erlang_c(1000, 950.5);

    ck_assert(isfinite(b) && b > 0.0 && b < 1.0);
    ck_assert(isfinite(c) && c > b && c < 1.0);
}
END_TEST

START_TEST(test_erlang_any_int_c_ends_quickly)
{
    /* k <= c overflowed at c = INT_MAX and spun forever. With a = 2.385
     * the recursion reaches 0 within a few hundred steps and stays there;
     * for c >> a, B(c, a) ~ a^c / c! and C ~ B. */
    ck_assert(ana_erlang_b(INT_MAX, 2.385) == 0.0);
    ck_assert(ana_erlang_c(INT_MAX, 2.385) == 0.0);
    /* The most servers a topology may give, near full load. */
    ck_assert(ana_erlang_b(100000, 99000.5) > 0.0);
    ck_assert(ana_erlang_b(100000, 99000.5) < 1.0);
}
END_TEST

START_TEST(test_erlang_bad_arguments_give_nan)
{
    ck_assert(isnan(ana_erlang_b(-1, 1.0)));
    ck_assert(isnan(ana_erlang_b(3, -1.0)));
    ck_assert(isnan(ana_erlang_c(0, 1.0)));
}
END_TEST

/* ---- M/M/1 and M/M/c --------------------------------------------------- */

START_TEST(test_mm1_matches_kleinrock)
{
    ana_station s;
    double lam = 2.385, mu = 3.17, rho = lam / mu;

    ck_assert_int_eq(ana_mm1(lam, mu, &s), SIM_OK);
    /* Kleinrock Vol. 1, ch. 3 (M/M/1): L = rho/(1-rho), W = 1/(mu-lam) */
    near(s.util, rho, EPS);
    near(s.L, rho / (1.0 - rho), EPS);
    near(s.W, 1.0 / (mu - lam), EPS);
    near(s.Wq, rho / (mu - lam), EPS);
    near(s.Lq, rho * rho / (1.0 - rho), EPS);
    near(s.p_wait, rho, EPS);
    ck_assert(s.p_block == 0.0);
}
END_TEST

START_TEST(test_mmc_matches_direct_formulas)
{
    ana_station s;
    double lam = 2.385, mu = 1.13, a = lam / mu, C;
    int c = 3;

    ck_assert_int_eq(ana_mmc(lam, mu, c, &s), SIM_OK);
    /* Gross & Harris, ch. 2 (M/M/c): Wq = C / (c mu - lam), L = Lq + a */
    C = erlang_c_direct(c, a);
    near(s.p_wait, C, 1e-13);
    near(s.Wq, C / (c * mu - lam), 1e-13);
    near(s.L, lam * C / (c * mu - lam) + a, 1e-13);
    near(s.util, a / c, EPS);
    near(s.W, s.Wq + 1.0 / mu, EPS);
}
END_TEST

START_TEST(test_mmc_zero_arrivals_is_idle)
{
    ana_station s;

    ck_assert_int_eq(ana_mmc(0.0, 1.7, 4, &s), SIM_OK);
    ck_assert(s.util == 0.0 && s.L == 0.0 && s.Lq == 0.0 && s.Wq == 0.0);
    ck_assert(s.p_wait == 0.0);
    near(s.W, 1.0 / 1.7, EPS);
}
END_TEST

START_TEST(test_mmc_unstable_reports_load)
{
    ana_station s;

    ck_assert_int_eq(ana_mmc(6.2, 2.0, 3, &s), SIM_EUNSTABLE);
    near(s.util, 6.2 / 6.0, EPS);
    ck_assert_int_eq(ana_mm1(2.0, 2.0, &s), SIM_EUNSTABLE);
    near(s.util, 1.0, EPS);
}
END_TEST

START_TEST(test_mmc_bad_arguments)
{
    ana_station s;

    ck_assert_int_eq(ana_mmc(-1.0, 2.0, 1, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmc(1.0, 0.0, 1, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmc(1.0, 2.0, 0, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmc(NAN, 2.0, 1, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmc(1.0, 2.0, 1, NULL), SIM_EINVAL);
}
END_TEST

/* ---- M/M/c/K ----------------------------------------------------------- */

START_TEST(test_mm1k_matches_kleinrock)
{
    ana_station s;
    double lam = 2.385, mu = 1.9, r = lam / mu, pK, L;
    int K = 7;

    ck_assert_int_eq(ana_mmck(lam, mu, 1, K, &s), SIM_OK);
    /* Kleinrock Vol. 1, ch. 3 (M/M/1/K): p_n = (1-r) r^n / (1 - r^{K+1}),
     * L = r/(1-r) - (K+1) r^{K+1} / (1 - r^{K+1}) */
    pK = (1.0 - r) * pow(r, K) / (1.0 - pow(r, K + 1));
    L = r / (1.0 - r) - (K + 1) * pow(r, K + 1) / (1.0 - pow(r, K + 1));
    near(s.p_block, pK, 1e-13);
    near(s.L, L, 1e-13);
    near(s.lambda, lam * (1.0 - pK), 1e-13);
    near(s.W, L / (lam * (1.0 - pK)), 1e-13);
    /* one server: util = 1 - p_0 */
    near(s.util, 1.0 - (1.0 - r) / (1.0 - pow(r, K + 1)), 1e-13);
    /* an accepted arrival waits iff 1 <= n <= K-1 */
    near(s.p_wait, 1.0 - (1.0 - r) / (1.0 - pow(r, K + 1)) / (1.0 - pK),
         1e-13);
}
END_TEST

START_TEST(test_mmcc_blocking_is_erlang_b)
{
    ana_station s;

    ck_assert_int_eq(ana_mmck(7.3, 0.85, 11, 11, &s), SIM_OK);
    near(s.p_block, ana_erlang_b(11, 7.3 / 0.85), 1e-13);
    ck_assert(s.p_wait == 0.0 && s.Lq == 0.0 && s.Wq == 0.0);
    near(s.W, 1.0 / 0.85, 1e-13);
}
END_TEST

START_TEST(test_mmck_huge_k_converges_to_mmc)
{
    ana_station f, s;

    ck_assert_int_eq(ana_mmck(2.385, 1.13, 3, 5000, &f), SIM_OK);
    ck_assert_int_eq(ana_mmc(2.385, 1.13, 3, &s), SIM_OK);
    near(f.L, s.L, 1e-11);
    near(f.W, s.W, 1e-11);
    near(f.Wq, s.Wq, 1e-11);
    near(f.p_wait, s.p_wait, 1e-11);
    ck_assert(f.p_block < 1e-100);
}
END_TEST

START_TEST(test_mmck_large_c_and_k_and_overload)
{
    ana_station s;

    /* c = 1000, K = 10^5, offered load 1.2: finite, never unstable, and
     * the accepted load fills the servers (util -> 1). */
    ck_assert_int_eq(ana_mmck(1200.0, 1.0, 1000, 100000, &s), SIM_OK);
    ck_assert(isfinite(s.L) && isfinite(s.W));
    near(s.util, 1.0, 1e-12);
    near(s.p_block, 1.0 - 1.0 / 1.2, 1e-12);
    /* a c = 1000 loss system below saturation, against Erlang B */
    ck_assert_int_eq(ana_mmck(950.5, 1.0, 1000, 1000, &s), SIM_OK);
    near(s.p_block, ana_erlang_b(1000, 950.5), 1e-11);
    near(s.L, 950.5 * (1.0 - s.p_block), 1e-10);
}
END_TEST

START_TEST(test_mmck_any_int_k_ends_quickly)
{
    ana_station s, f;

    /* n <= K overflowed at K = INT_MAX; with a / c < 1 the terms past
     * exp()'s range are skipped, so this is M/M/3 to the last digit. */
    ck_assert_int_eq(ana_mmck(2.385, 1.13, 3, INT_MAX, &s), SIM_OK);
    ck_assert_int_eq(ana_mmc(2.385, 1.13, 3, &f), SIM_OK);
    near(s.W, f.W, 1e-12);
    near(s.L, f.L, 1e-12);
    ck_assert(s.p_block == 0.0);
}
END_TEST

START_TEST(test_mmck_bad_arguments)
{
    ana_station s;

    ck_assert_int_eq(ana_mmck(1.0, 1.0, 3, 2, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmck(1.0, -1.0, 3, 5, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mmck(1.0, 1.0, 0, 5, &s), SIM_EINVAL);
}
END_TEST

/* ---- M/G/1 and M/G/inf ------------------------------------------------- */

START_TEST(test_mg1_exponential_equals_mm1)
{
    ana_station g, m;

    ck_assert_int_eq(ana_mg1(2.385, 1.0 / 3.17, 1.0, &g), SIM_OK);
    ck_assert_int_eq(ana_mm1(2.385, 3.17, &m), SIM_OK);
    near(g.L, m.L, 1e-13);
    near(g.W, m.W, 1e-13);
    near(g.Wq, m.Wq, 1e-13);
    near(g.Lq, m.Lq, 1e-13);
    near(g.p_wait, m.p_wait, 1e-13);
}
END_TEST

START_TEST(test_md1_matches_kleinrock)
{
    ana_station s;
    double lam = 2.385, x = 0.31, rho = lam * x;

    /* P-K mean value formula (Kleinrock Vol. 1, ch. 5) for M/D/1:
     * Wq = rho x / (2 (1-rho)) */
    ck_assert_int_eq(ana_mg1(lam, x, 0.0, &s), SIM_OK);
    near(s.Wq, rho * x / (2.0 * (1.0 - rho)), 1e-13);
    /* and with scv = 3.5: Wq = lam x^2 (1 + 3.5) / (2 (1 - rho)) */
    ck_assert_int_eq(ana_mg1(lam, x, 3.5, &s), SIM_OK);
    near(s.Wq, lam * x * x * 4.5 / (2.0 * (1.0 - rho)), 1e-13);
    near(s.L, lam * (s.Wq + x), 1e-13);
}
END_TEST

START_TEST(test_mg1_unstable_and_bad)
{
    ana_station s;

    ck_assert_int_eq(ana_mg1(4.0, 0.25, 2.0, &s), SIM_EUNSTABLE);
    near(s.util, 1.0, EPS);
    ck_assert_int_eq(ana_mg1(1.0, 0.25, -0.1, &s), SIM_EINVAL);
    ck_assert_int_eq(ana_mg1(1.0, 0.0, 1.0, &s), SIM_EINVAL);
}
END_TEST

START_TEST(test_mginf_is_little)
{
    ana_station s;

    ck_assert_int_eq(ana_mginf(2.385, 4.1, &s), SIM_OK);
    near(s.L, 2.385 * 4.1, EPS);
    near(s.util, 2.385 * 4.1, EPS);
    near(s.W, 4.1, EPS);
    ck_assert(s.Lq == 0.0 && s.Wq == 0.0 && s.p_wait == 0.0);
    ck_assert_int_eq(ana_mginf(-2.0, 4.1, &s), SIM_EINVAL);
}
END_TEST

/* ---- sojourn quantile -------------------------------------------------- */

START_TEST(test_mm1_sojourn_quantile_is_exponential)
{
    double t, lam = 2.385, mu = 3.17;
    double ps[] = { 0.05, 0.5, 0.9, 0.99, 0.999999 };
    size_t i;

    /* M/M/1 FIFO sojourn is Exp(mu - lam) (Kleinrock Vol. 1, ch. 3), so
     * its p-quantile is -ln(1-p) / (mu - lam) */
    for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        ck_assert_int_eq(ana_mmc_sojourn_quantile(lam, mu, 1, ps[i], &t),
                         SIM_OK);
        near(t, -log1p(-ps[i]) / (mu - lam), 1e-11);
    }
}
END_TEST

/* P(T > t) for M/M/c from the textbook hypoexponential form, written
 * independently: (1-C) e^{-mu t} + C (g e^{-mu t} - mu e^{-g t}) / (g - mu),
 * or C (1 + mu t) e^{-mu t} in place of the fraction when g = mu. */
static double tail_direct(double lam, double mu, int c, double t)
{
    double C = erlang_c_direct(c, lam / mu), g = c * mu - lam, h;

    if (g == mu)
        h = (1.0 + mu * t) * exp(-mu * t);
    else
        h = (g * exp(-mu * t) - mu * exp(-g * t)) / (g - mu);
    return (1.0 - C) * exp(-mu * t) + C * h;
}

START_TEST(test_mmc_sojourn_quantile_inverts_tail)
{
    double t;

    ck_assert_int_eq(ana_mmc_sojourn_quantile(4.385, 1.7, 3, 0.95, &t),
                     SIM_OK);
    near(tail_direct(4.385, 1.7, 3, t), 0.05, 1e-12);
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.2, 1.7, 3, 0.3, &t),
                     SIM_OK);
    near(tail_direct(1.2, 1.7, 3, t), 0.7, 1e-12);
    /* c mu - lam == mu: Erlang-2 branch (c = 2, lam = mu) */
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.5, 1.5, 2, 0.9, &t),
                     SIM_OK);
    near(tail_direct(1.5, 1.5, 2, t), 0.1, 1e-12);
    /* no arrivals: T = S ~ Exp(mu) */
    ck_assert_int_eq(ana_mmc_sojourn_quantile(0.0, 1.7, 4, 0.9, &t),
                     SIM_OK);
    near(t, -log(0.1) / 1.7, 1e-12);
}
END_TEST

START_TEST(test_mmc_sojourn_quantile_continuous_near_equal_rates)
{
    double t0, t1;

    /* g - mu = 1e-9 must agree with the g == mu branch */
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.5, 1.5, 2, 0.9, &t0),
                     SIM_OK);
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.5 - 1e-9, 1.5, 2, 0.9,
                                              &t1), SIM_OK);
    near(t1, t0, 1e-7);
}
END_TEST

START_TEST(test_sojourn_quantile_errors)
{
    double t;

    ck_assert_int_eq(ana_mmc_sojourn_quantile(3.4, 1.7, 2, 0.5, &t),
                     SIM_EUNSTABLE);
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.0, 1.7, 2, 1.0, &t),
                     SIM_EINVAL);
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.0, 1.7, 2, 0.0, &t),
                     SIM_EINVAL);
    ck_assert_int_eq(ana_mmc_sojourn_quantile(1.0, 1.7, 0, 0.5, &t),
                     SIM_EINVAL);
}
END_TEST

/* ---- open networks ----------------------------------------------------- */

START_TEST(test_jackson_tandem_is_sum_of_mm1)
{
    double P[9] = { 0, 1, 0,  0, 0, 1,  0, 0, 0 };
    double gamma[3] = { 2.385, 0, 0 };
    ana_node nodes[3] = { { 1, 0.31 }, { 1, 0.17 }, { 1, 0.4 } };
    ana_station out[3], m;
    size_t i;

    ck_assert_int_eq(ana_jackson(3, P, gamma, nodes, out, NULL), SIM_OK);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(ana_mm1(2.385, 1.0 / nodes[i].mean, &m), SIM_OK);
        near(out[i].lambda, 2.385, 1e-13);
        near(out[i].W, m.W, 1e-12);
        near(out[i].L, m.L, 1e-12);
    }
}
END_TEST

START_TEST(test_jackson_feedback_matches_hand_solution)
{
    /* 1 -> 2 w.p. 0.5; 2 -> 1 w.p. 0.3, else exit; 1 exits w.p. 0.5.
     * lam1 = g1 + 0.3 lam2, lam2 = g2 + 0.5 lam1, so
     * lam1 = (g1 + 0.3 g2) / 0.85, lam2 = g2 + 0.5 lam1. */
    double P[4] = { 0.0, 0.5, 0.3, 0.0 };
    double gamma[2] = { 1.385, 0.25 };
    double l1 = (1.385 + 0.3 * 0.25) / 0.85, l2 = 0.25 + 0.5 * l1;
    double lam[2];
    ana_node nodes[2] = { { 2, 0.9 }, { 0, 2.1 } };
    ana_station out[2], m;

    ck_assert_int_eq(ana_traffic(2, P, gamma, lam), SIM_OK);
    near(lam[0], l1, 1e-13);
    near(lam[1], l2, 1e-13);
    ck_assert_int_eq(ana_jackson(2, P, gamma, nodes, out, NULL), SIM_OK);
    ck_assert_int_eq(ana_mmc(l1, 1.0 / 0.9, 2, &m), SIM_OK);
    near(out[0].W, m.W, 1e-12);
    near(out[0].util, l1 * 0.9 / 2.0, 1e-12);
    /* station 2 is a delay: util = L = lam E[S], W = E[S] */
    near(out[1].L, l2 * 2.1, 1e-12);
    near(out[1].util, l2 * 2.1, 1e-12);
    near(out[1].W, 2.1, 1e-13);
    ck_assert(out[1].Wq == 0.0 && out[1].Lq == 0.0);
}
END_TEST

START_TEST(test_jackson_unstable_names_first_bad_station)
{
    double P[9] = { 0, 1, 0,  0, 0, 1,  0, 0, 0 };
    double gamma[3] = { 2.385, 0, 0 };
    ana_node nodes[3] = { { 1, 0.31 }, { 1, 0.5 }, { 2, 0.9 } };
    ana_station out[3];
    size_t bad = 99;

    ck_assert_int_eq(ana_jackson(3, P, gamma, nodes, out, &bad),
                     SIM_EUNSTABLE);
    ck_assert_uint_eq(bad, 1);
    near(out[0].util, 2.385 * 0.31, 1e-13);
    near(out[1].util, 2.385 * 0.5, 1e-13);
    near(out[2].util, 2.385 * 0.9 / 2.0, 1e-13);
}
END_TEST

START_TEST(test_traffic_closed_loop_is_einval)
{
    /* 1 -> 2 -> 1 with no exit: I - P^T is singular */
    double P[4] = { 0, 1, 1, 0 }, gamma[2] = { 1.0, 0.0 }, lam[2];
    double Pbad[4] = { 0, 0.8, 0.7, 0 };
    ana_node nodes[2] = { { 1, 0.1 }, { -1, 0.1 } };
    ana_station out[2];

    ck_assert_int_eq(ana_traffic(2, P, gamma, lam), SIM_EINVAL);
    Pbad[0] = 0.5;   /* row sum 1.3 */
    ck_assert_int_eq(ana_traffic(2, Pbad, gamma, lam), SIM_EINVAL);
    Pbad[0] = -0.1;
    ck_assert_int_eq(ana_traffic(2, Pbad, gamma, lam), SIM_EINVAL);
    ck_assert_int_eq(ana_jackson(2, Pbad, gamma, nodes, out, NULL),
                     SIM_EINVAL);
}
END_TEST

/* ---- open multi-class BCMP networks ------------------------------------ */

START_TEST(test_bcmp_one_class_is_jackson)
{
    /* the feedback network of test_jackson_feedback_matches_hand_solution
     * shape: 0 -> 1, 1 -> 0 (0.2), 1 -> 2 (0.5); delay at 2 */
    double P[9] = { 0, 1, 0, 0.2, 0, 0.5, 0, 0, 0 };
    double gamma[3] = { 2.385, 0.7, 0.0 }, lam[3], mean[3] = { 0.09, 0.05,
                                                               1.7 };
    ana_node jn[3] = { { 2, 0.09 }, { 1, 0.05 }, { 0, 1.7 } };
    ana_bcmp_node bn[3] = { { ANA_BCMP_FCFS, 2 }, { ANA_BCMP_PS, 1 },
                            { ANA_BCMP_IS, 0 } };
    ana_station js[3], bs[3];
    double W[3], L[3];
    size_t k;

    ck_assert_int_eq(ana_traffic(3, P, gamma, lam), SIM_OK);
    ck_assert_int_eq(ana_jackson(3, P, gamma, jn, js, NULL), SIM_OK);
    ck_assert_int_eq(ana_bcmp_open(3, 1, bn, lam, mean, W, L, bs, NULL),
                     SIM_OK);
    for (k = 0; k < 3; k++) {
        near(bs[k].lambda, js[k].lambda, 1e-13);
        near(bs[k].util, js[k].util, 1e-13);
        near(bs[k].L, js[k].L, 1e-13);
        near(bs[k].W, js[k].W, 1e-13);
        near(W[k], js[k].W, 1e-13);
        near(L[k], js[k].L, 1e-13);
    }
}
END_TEST

START_TEST(test_bcmp_ps_classes_see_their_own_slowdown)
{
    /* M/G/1-PS: a job of size x takes x / (1 - rho) on average (Kleinrock
     * Vol. 2, section 4.4), so class r has W_r = E[S_r] / (1 - rho). */
    ana_bcmp_node nd = { ANA_BCMP_PS, 1 };
    double lam[2] = { 3.1, 5.7 }, mean[2] = { 0.085, 0.0385 };
    double rho = 3.1 * 0.085 + 5.7 * 0.0385, W[2], L[2];
    ana_station out;

    ck_assert_int_eq(ana_bcmp_open(1, 2, &nd, lam, mean, W, L, &out, NULL),
                     SIM_OK);
    near(W[0], 0.085 / (1 - rho), 1e-13);
    near(W[1], 0.0385 / (1 - rho), 1e-13);
    near(L[0] + L[1], rho / (1 - rho), 1e-13);
    near(out.L, rho / (1 - rho), 1e-13);
    near(out.util, rho, EPS);
    near(out.lambda, 8.8, EPS);
}
END_TEST

START_TEST(test_bcmp_multi_server_ps_shares_mmc_by_load)
{
    /* PS over c = 2: total number as M/M/2 at a = sum lambda_r E[S_r],
     * L_r = L a_r / a */
    ana_bcmp_node nd = { ANA_BCMP_PS, 2 };
    double lam[2] = { 4.1, 9.3 }, mean[2] = { 0.2, 0.0385 }, W[2], L[2];
    double a = 4.1 * 0.2 + 9.3 * 0.0385;
    ana_station out, m;

    ck_assert_int_eq(ana_bcmp_open(1, 2, &nd, lam, mean, W, L, &out, NULL),
                     SIM_OK);
    ck_assert_int_eq(ana_mmc(a, 1.0, 2, &m), SIM_OK);
    near(L[0] + L[1], m.L, 1e-13);
    near(L[0], m.L * 4.1 * 0.2 / a, 1e-13);
    near(W[0] / W[1], 0.2 / 0.0385, 1e-12);
    near(out.util, a / 2, EPS);
}
END_TEST

START_TEST(test_bcmp_fcfs_needs_one_mean)
{
    /* FCFS with one mean: every class sees M/M/c at the total rate */
    ana_bcmp_node nd = { ANA_BCMP_FCFS, 3 };
    double lam[3] = { 1.3, 2.385, 0.0 }, mean[3] = { 0.5, 0.5, 0.9 };
    double W[3], L[3];
    ana_station out, m;

    ck_assert_int_eq(ana_bcmp_open(1, 3, &nd, lam, mean, W, L, &out, NULL),
                     SIM_OK);
    ck_assert_int_eq(ana_mmc(3.685, 2.0, 3, &m), SIM_OK);
    near(W[0], m.W, 1e-13);
    near(W[1], m.W, 1e-13);
    near(L[1], 2.385 * m.W, 1e-13);
    ck_assert(L[2] == 0.0);   /* a class that never comes */
    mean[1] = 0.6;
    ck_assert_int_eq(ana_bcmp_open(1, 3, &nd, lam, mean, W, L, &out, NULL),
                     SIM_EINVAL);
}
END_TEST

START_TEST(test_bcmp_delay_and_unstable)
{
    ana_bcmp_node nd[2] = { { ANA_BCMP_IS, 0 }, { ANA_BCMP_PS, 1 } };
    /* class-major: lam[r * n + k] */
    double lam[4] = { 2.0, 3.0, 1.5, 4.0 }, mean[4] = { 1.3, 0.1, 0.7, 0.2 };
    double W[4], L[4];
    ana_station out[2];
    size_t bad = 99;

    ck_assert_int_eq(ana_bcmp_open(2, 2, nd, lam, mean, W, L, out, &bad),
                     SIM_EUNSTABLE);   /* 3 * 0.1 + 4 * 0.2 = 1.1 */
    ck_assert_uint_eq(bad, 1);
    near(out[1].util, 1.1, EPS);
    near(W[0], 1.3, EPS);
    near(W[2], 0.7, EPS);
    near(out[0].L, 2.0 * 1.3 + 1.5 * 0.7, EPS);
    ck_assert_int_eq(ana_bcmp_open(2, 2, nd, lam, NULL, W, L, out, &bad),
                     SIM_EINVAL);
}
END_TEST

/* ---- closed networks: MVA ---------------------------------------------- */

/* log(e^x + e^y), -inf allowed */
static double lse(double x, double y)
{
    double m = fmax(x, y);

    return m == -INFINITY ? m : m + log(exp(x - m) + exp(y - m));
}

/* log F_k(j) = j log D - sum_{i<=j} log alpha(i), alpha(i) = min(i, c),
 * or i for a delay (c = 0) */
static double log_f(double D, int c, int j)
{
    double s = 0.0;
    int i;

    if (j == 0)
        return 0.0;
    if (D <= 0.0)
        return -INFINITY;
    for (i = 1; i <= j; i++)
        s += log(D) - log((double)(c == 0 || i < c ? i : c));
    return s;
}

/* log G(0..N) of the elements (D[k], c[k]) except `skip`, by plain
 * convolution G = F_1 * F_2 * ... in log space. */
static void log_g(int m, const double *D, const int *c, int skip, int N,
                  double *g)
{
    double *h = malloc((size_t)(N + 1) * sizeof *h);
    double *f = malloc((size_t)(N + 1) * sizeof *f);
    int k, n, j;

    for (n = 0; n <= N; n++)
        g[n] = n == 0 ? 0.0 : -INFINITY;
    for (k = 0; k < m; k++) {
        if (k == skip)
            continue;
        for (j = 0; j <= N; j++)
            f[j] = log_f(D[k], c[k], j);
        for (n = 0; n <= N; n++) {
            h[n] = -INFINITY;
            for (j = 0; j <= n; j++)
                h[n] = lse(h[n], f[j] + g[n - j]);
        }
        for (n = 0; n <= N; n++)
            g[n] = h[n];
    }
    free(f);
    free(h);
}

/* Reference for a closed network with think time: X = G(N-1)/G(N) and,
 * per station, L = sum_j j p(j|N), p(j|N) = F(j) G_{-k}(N-j) / G(N),
 * and P(>= c busy | N-1) for p_wait. Element m-1 is the think time. */
static void conv_reference(int m, const double *D, const int *c, int N,
                           double *X, double *L, double *pwait)
{
    double *g = malloc((size_t)(N + 1) * sizeof *g);
    double *gk = malloc((size_t)(N + 1) * sizeof *gk);
    int k, j;

    log_g(m, D, c, -1, N, g);
    *X = exp(g[N - 1] - g[N]);
    for (k = 0; k < m - 1; k++) {
        log_g(m, D, c, k, N, gk);
        L[k] = 0.0;
        pwait[k] = 0.0;
        for (j = 1; j <= N; j++)
            L[k] += j * exp(log_f(D[k], c[k], j) + gk[N - j] - g[N]);
        for (j = (c[k] == 0 ? N : c[k]); j <= N - 1; j++)
            pwait[k] += exp(log_f(D[k], c[k], j) + gk[N - 1 - j]
                            - g[N - 1]);
    }
    free(g);
    free(gk);
}

/* Run ana_mva and compare with conv_reference. */
static void check_against_convolution(size_t n, const ana_node *nodes,
                                      const double *v, double Z, int N,
                                      double tol)
{
    double D[8], Xr, Lr[8], pw[8], X, R, sumL = 0.0;
    int c[8];
    ana_station out[8];
    size_t k;

    ck_assert(n < 8);
    for (k = 0; k < n; k++) {
        D[k] = v[k] * nodes[k].mean;
        c[k] = nodes[k].servers;
    }
    D[n] = Z;
    c[n] = 0;
    conv_reference((int)n + 1, D, c, N, &Xr, Lr, pw);
    ck_assert_int_eq(ana_mva(n, nodes, v, Z, N, out, &X, &R), SIM_OK);
    near(X, Xr, tol);
    near(R, N / Xr - Z, tol);
    for (k = 0; k < n; k++) {
        near(out[k].L, Lr[k], tol);
        near(out[k].p_wait, pw[k], tol);
        near(out[k].lambda, X * v[k], EPS);
        near(out[k].util, X * D[k] / (c[k] == 0 ? 1 : c[k]), EPS);
        near(out[k].Lq, out[k].L - out[k].lambda * nodes[k].mean, 1e-9);
        sumL += out[k].L;
    }
    /* customers are conserved: sum L + X Z = N */
    near(sumL + X * Z, N, 1e-9);
}

START_TEST(test_mva_one_customer_sees_sum_of_demands)
{
    ana_node nodes[3] = { { 1, 0.031 }, { 4, 0.27 }, { 0, 1.3 } };
    double v[3] = { 7.0, 2.5, 1.0 }, X, R;
    double Dsum = 7.0 * 0.031 + 2.5 * 0.27 + 1.0 * 1.3;
    ana_station out[3];

    ck_assert_int_eq(ana_mva(3, nodes, v, 4.7, 1, out, &X, &R), SIM_OK);
    near(R, Dsum, EPS);
    near(X, 1.0 / (Dsum + 4.7), EPS);
    near(out[0].W, 0.031, EPS);
    ck_assert(out[0].p_wait == 0.0 && out[1].p_wait == 0.0);
}
END_TEST

START_TEST(test_mva_machine_repairman_matches_kleinrock)
{
    /* Finite population M/M/1//N, the machine-repairman model
     * (Kleinrock Vol. 1, ch. 3):
     * p_n = p_0 N!/(N-n)! (x/Z)^n, utilization 1 - p_0, X = (1 - p_0)/x */
    ana_node node = { 1, 0.385 };
    double v = 1.0, Z = 2.9, x = 0.385, term = 1.0, sum = 1.0, p0, X, R;
    int N = 9, n;
    ana_station out;

    for (n = 1; n <= N; n++) {
        term *= (N - n + 1) * x / Z;
        sum += term;
    }
    p0 = 1.0 / sum;
    ck_assert_int_eq(ana_mva(1, &node, &v, Z, N, &out, &X, &R), SIM_OK);
    near(X, (1.0 - p0) / x, 1e-13);
    near(out.util, 1.0 - p0, 1e-13);
    near(R, N / X - Z, 1e-12);
}
END_TEST

START_TEST(test_mva_single_servers_match_convolution)
{
    /* central server: CPU, two disks, terminals (delay) */
    ana_node nodes[4] = { { 1, 0.0385 }, { 1, 0.051 }, { 1, 0.083 },
                          { 0, 0.7 } };
    double v[4] = { 21.0, 12.0, 7.0, 1.0 };
    int N;

    for (N = 1; N <= 12; N++)
        check_against_convolution(4, nodes, v, 3.3, N, 1e-11);
}
END_TEST

START_TEST(test_mva_multi_servers_match_convolution)
{
    ana_node nodes[4] = { { 3, 0.21 }, { 1, 0.051 }, { 8, 0.9 },
                          { 0, 0.7 } };
    double v[4] = { 4.0, 6.0, 1.5, 1.0 };
    int N;

    for (N = 1; N <= 40; N += 3)
        check_against_convolution(4, nodes, v, 1.9, N, 1e-10);
    /* c >= N: the multi-server station never queues */
    check_against_convolution(4, nodes, v, 1.9, 5, 1e-11);
}
END_TEST

START_TEST(test_mva_many_servers_large_n_is_stable)
{
    /* c = 100 at saturation with N = 1000: the textbook p(0|n) recursion
     * is off by 65% here; this must match the convolution. */
    ana_node nodes[2] = { { 100, 1.0 }, { 1, 0.009 } };
    double v[2] = { 1.0, 1.0 };

    check_against_convolution(2, nodes, v, 10.0, 1000, 1e-9);
    nodes[0].servers = 16;
    nodes[1].mean = 0.05;
    check_against_convolution(2, nodes, v, 3.0, 200, 1e-9);
}
END_TEST

START_TEST(test_mva_zero_population_and_bad_arguments)
{
    ana_node nodes[2] = { { 1, 0.3 }, { 2, 0.5 } };
    ana_node badn[1] = { { -1, 0.3 } };
    double v[2] = { 1.0, 2.0 }, X, R;
    ana_station out[2];

    ck_assert_int_eq(ana_mva(2, nodes, v, 1.0, 0, out, &X, &R), SIM_OK);
    ck_assert(X == 0.0 && out[0].L == 0.0 && out[1].util == 0.0);
    ck_assert_int_eq(ana_mva(2, nodes, v, 1.0, -1, out, &X, &R),
                     SIM_EINVAL);
    ck_assert_int_eq(ana_mva(2, nodes, v, -1.0, 3, out, &X, &R),
                     SIM_EINVAL);
    ck_assert_int_eq(ana_mva(1, badn, v, 1.0, 3, out, &X, &R), SIM_EINVAL);
    v[0] = v[1] = 0.0;   /* zero cycle time */
    ck_assert_int_eq(ana_mva(2, nodes, v, 0.0, 3, out, &X, &R), SIM_EINVAL);
}
END_TEST

START_TEST(test_mva_declines_a_population_it_cannot_afford)
{
    /* N = 10^5 with a two-server station is some 10^10 steps (hours);
     * INT_MAX used to ask for three arrays of 16 GB first. */
    ana_node nodes[2] = { { 2, 0.03 }, { 1, 0.02 } };
    double v[2] = { 1.0, 1.0 }, X, R;
    ana_station out[2];

    ck_assert_int_eq(ana_mva(2, nodes, v, 1.0, 100000, out, &X, &R),
                     SIM_ENOTSUP);
    ck_assert_int_eq(ana_mva(2, nodes, v, 1.0, INT_MAX, out, &X, &R),
                     SIM_ENOTSUP);
    ck_assert_int_eq(ana_mva(2, nodes, v, 1.0, 10000, out, &X, &R), SIM_OK);
}
END_TEST

/* ---- confidence intervals ---------------------------------------------- */

START_TEST(test_ci_t_uses_student_quantile)
{
    double x[10] = { 2.385, 3.1, 1.7, 2.95, 2.2, 3.4, 1.95, 2.6, 2.05, 2.8 };
    double mean = 0.0, ss = 0.0, hw;
    ana_ci ci;
    int i;

    for (i = 0; i < 10; i++)
        mean += x[i] / 10.0;
    for (i = 0; i < 10; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    /* t_{0.975, 9} = 2.262157 (Student t tables) */
    hw = 2.262157 * sqrt(ss / 9.0) / sqrt(10.0);
    ck_assert_int_eq(ana_ci_t(x, 10, 0.95, &ci), SIM_OK);
    ck_assert_uint_eq(ci.n, 10);
    near(ci.mean, mean, 1e-14);
    near(ci.high - ci.mean, hw, 1e-6);
    near(ci.mean - ci.low, hw, 1e-6);
}
END_TEST

START_TEST(test_ci_t_edge_cases)
{
    double x[1] = { 2.385 };
    ana_ci ci;

    ck_assert_int_eq(ana_ci_t(x, 1, 0.95, &ci), SIM_OK);
    near(ci.mean, 2.385, EPS);
    ck_assert(isnan(ci.low) && isnan(ci.high));
    ck_assert_int_eq(ana_ci_t(x, 0, 0.95, &ci), SIM_EINVAL);
    ck_assert_int_eq(ana_ci_t(x, 1, 1.5, &ci), SIM_EINVAL);
}
END_TEST

/* Sectioning: the interval is centred on the whole data's estimate, and
 * the sections' spread is measured around it, not around their mean. */
START_TEST(test_ci_section_centres_on_the_whole_estimate)
{
    double x[4] = { 2.385, 3.1, 1.7, 2.95 };
    double whole = 2.6, ss, hw;
    ana_ci ci;

    ss = 0.215 * 0.215 + 0.5 * 0.5 + 0.9 * 0.9 + 0.35 * 0.35;
    /* t_{0.975, 3} = 3.182446 (Student t tables); se^2 = ss / (n (n-1)) */
    hw = 3.182446 * sqrt(ss / 12.0);
    ck_assert_int_eq(ana_ci_section(x, 4, whole, 0.95, &ci), SIM_OK);
    ck_assert_uint_eq(ci.n, 4);
    near(ci.mean, 2.6, EPS);
    near(ci.se, sqrt(ss / 12.0), 1e-14);
    near(ci.high - 2.6, hw, 1e-6);
    near(2.6 - ci.low, hw, 1e-6);
}
END_TEST

START_TEST(test_ci_section_edge_cases)
{
    double x[2] = { 2.385, NAN };
    ana_ci ci;

    ck_assert_int_eq(ana_ci_section(x, 1, 2.385, 0.95, &ci), SIM_OK);
    near(ci.mean, 2.385, EPS);
    ck_assert_uint_eq(ci.n, 1);
    ck_assert(isnan(ci.low) && isnan(ci.high) && isnan(ci.se));
    ck_assert_int_eq(ana_ci_section(x, 0, 2.385, 0.95, &ci), SIM_EINVAL);
    ck_assert_int_eq(ana_ci_section(x, 2, 2.385, 0.95, &ci), SIM_EINVAL);
    ck_assert_int_eq(ana_ci_section(x, 1, NAN, 0.95, &ci), SIM_EINVAL);
    ck_assert_int_eq(ana_ci_section(x, 1, 2.385, 1.0, &ci), SIM_EINVAL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ana_queue");
    TCase *tc;

    tc = tcase_create("erlang");
    tcase_add_test(tc, test_erlang_b_matches_table);
    tcase_add_test(tc, test_erlang_c_matches_direct_sum);
    tcase_add_test(tc, test_erlang_large_c_stays_finite);
    tcase_add_test(tc, test_erlang_bad_arguments_give_nan);
    tcase_add_test(tc, test_erlang_any_int_c_ends_quickly);
    suite_add_tcase(s, tc);

    tc = tcase_create("mmc");
    tcase_add_test(tc, test_mm1_matches_kleinrock);
    tcase_add_test(tc, test_mmc_matches_direct_formulas);
    tcase_add_test(tc, test_mmc_zero_arrivals_is_idle);
    tcase_add_test(tc, test_mmc_unstable_reports_load);
    tcase_add_test(tc, test_mmc_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("mmck");
    tcase_add_test(tc, test_mm1k_matches_kleinrock);
    tcase_add_test(tc, test_mmcc_blocking_is_erlang_b);
    tcase_add_test(tc, test_mmck_huge_k_converges_to_mmc);
    tcase_add_test(tc, test_mmck_large_c_and_k_and_overload);
    tcase_add_test(tc, test_mmck_bad_arguments);
    tcase_add_test(tc, test_mmck_any_int_k_ends_quickly);
    suite_add_tcase(s, tc);

    tc = tcase_create("mg1");
    tcase_add_test(tc, test_mg1_exponential_equals_mm1);
    tcase_add_test(tc, test_md1_matches_kleinrock);
    tcase_add_test(tc, test_mg1_unstable_and_bad);
    tcase_add_test(tc, test_mginf_is_little);
    suite_add_tcase(s, tc);

    tc = tcase_create("sojourn_quantile");
    tcase_add_test(tc, test_mm1_sojourn_quantile_is_exponential);
    tcase_add_test(tc, test_mmc_sojourn_quantile_inverts_tail);
    tcase_add_test(tc, test_mmc_sojourn_quantile_continuous_near_equal_rates);
    tcase_add_test(tc, test_sojourn_quantile_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("jackson");
    tcase_add_test(tc, test_jackson_tandem_is_sum_of_mm1);
    tcase_add_test(tc, test_jackson_feedback_matches_hand_solution);
    tcase_add_test(tc, test_jackson_unstable_names_first_bad_station);
    tcase_add_test(tc, test_traffic_closed_loop_is_einval);
    suite_add_tcase(s, tc);

    tc = tcase_create("bcmp");
    tcase_add_test(tc, test_bcmp_one_class_is_jackson);
    tcase_add_test(tc, test_bcmp_ps_classes_see_their_own_slowdown);
    tcase_add_test(tc, test_bcmp_multi_server_ps_shares_mmc_by_load);
    tcase_add_test(tc, test_bcmp_fcfs_needs_one_mean);
    tcase_add_test(tc, test_bcmp_delay_and_unstable);
    suite_add_tcase(s, tc);

    tc = tcase_create("mva");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_mva_one_customer_sees_sum_of_demands);
    tcase_add_test(tc, test_mva_machine_repairman_matches_kleinrock);
    tcase_add_test(tc, test_mva_single_servers_match_convolution);
    tcase_add_test(tc, test_mva_multi_servers_match_convolution);
    tcase_add_test(tc, test_mva_many_servers_large_n_is_stable);
    tcase_add_test(tc, test_mva_zero_population_and_bad_arguments);
    tcase_add_test(tc, test_mva_declines_a_population_it_cannot_afford);
    suite_add_tcase(s, tc);

    tc = tcase_create("ci");
    tcase_add_test(tc, test_ci_t_uses_student_quantile);
    tcase_add_test(tc, test_ci_t_edge_cases);
    tcase_add_test(tc, test_ci_section_centres_on_the_whole_estimate);
    tcase_add_test(tc, test_ci_section_edge_cases);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
