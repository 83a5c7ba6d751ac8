/*
 * check_mdl_dist.c - tests of models/mdl_dist: units, the parametrisation
 * of every distribution (exact mean and scv), sampling statistics at a
 * fixed seed, parse errors with their columns, empirical CSV files, and
 * copy/destroy ownership.
 *
 * Expected moments are computed here from textbook formulas, not from the
 * module's p[], so a wrong parametrisation cannot agree with itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include "../models/mdl_dist.h"
#include "../models/mdl_dist_parse.h"
#include "../models/mdl_units.h"
#include "../sim/sim_err.h"
#include "../sim/sim_variate.h"
#include "tst.h"

#define NDRAWS 1000000
#define SEED 20240917UL
/* Standard errors allowed: a normal variate lies outside +-5 sigma with
 * probability 5.7e-7, so a correct sampler essentially never fails. */
#define Z 5.0

/* Parse text, failing the test with the parser's message on error. */
static void parse_ok(mdl_dist *d, const char *text, const char *base_dir)
{
    char err[512] = "";
    int col = -1;
    int rc = mdl_dist_parse(d, text, base_dir, err, sizeof err, &col);

    ck_assert_msg(rc == SIM_OK, "'%s' failed: %s (column %d)", text, err,
                  col);
}

/* |a - b| <= rel |b|, for values computed along different paths. */
static void assert_rel(double a, double b, double rel, const char *what)
{
    ck_assert_msg(fabs(a - b) <= rel * fabs(b),
                  "%s: %.17g, expected %.17g", what, a, b);
}

/* ------------------------------------------------------------------ */
/* units                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_time_units_parse_exactly)
{
    double x;

    /* Sub-second units divide, so the results are the doubles nearest
     * the decimal values, equal to the literals. */
    ck_assert_int_eq(mdl_parse_time("5ms", &x), SIM_OK);
    ck_assert(x == 0.005);
    ck_assert_int_eq(mdl_parse_time("1m", &x), SIM_OK);
    ck_assert(x == 60);
    ck_assert_int_eq(mdl_parse_time("250us", &x), SIM_OK);
    ck_assert(x == 0.00025);
    ck_assert_int_eq(mdl_parse_time("2.385ms", &x), SIM_OK);
    ck_assert(x == 2.385 / 1000);
    ck_assert_int_eq(mdl_parse_time("1.5h", &x), SIM_OK);
    ck_assert(x == 5400);
    ck_assert_int_eq(mdl_parse_time("2.385", &x), SIM_OK);
    ck_assert(x == 2.385);
    ck_assert_int_eq(mdl_parse_time("7.25s", &x), SIM_OK);
    ck_assert(x == 7.25);
    ck_assert_int_eq(mdl_parse_time(" 3 ms ", &x), SIM_OK);
    ck_assert(x == 0.003);
    ck_assert_int_eq(mdl_parse_time("-2.385ms", &x), SIM_OK);
    ck_assert(x == -2.385 / 1000);      /* the sign is the caller's check */
}
END_TEST

START_TEST(test_rate_units_parse_exactly)
{
    double x;

    ck_assert_int_eq(mdl_parse_rate("30/m", &x), SIM_OK);
    ck_assert(x == 0.5);
    ck_assert_int_eq(mdl_parse_rate("419.3/s", &x), SIM_OK);
    ck_assert(x == 419.3);
    ck_assert_int_eq(mdl_parse_rate("12.5", &x), SIM_OK);
    ck_assert(x == 12.5);
    ck_assert_int_eq(mdl_parse_rate("8586 /h", &x), SIM_OK);
    ck_assert(x == 8586.0 / 3600);
    ck_assert_int_eq(mdl_parse_rate("45 / m", &x), SIM_OK);
    ck_assert(x == 0.75);
}
END_TEST

START_TEST(test_bad_units_are_rejected)
{
    static const char *const times[] = {
        "5 parsecs", "5xs", "ms", "", "  ", "inf", "nan", "1e999", "5/s",
        "0x10", "5ms 3", "5 m s"
    };
    static const char *const rates[] = {
        "5ms", "5/xs", "5/", "/s", "5/s/s", "inf/s"
    };
    double x;
    size_t i;

    for (i = 0; i < sizeof times / sizeof times[0]; i++)
        ck_assert_msg(mdl_parse_time(times[i], &x) == SIM_EPARSE,
                      "time '%s' accepted", times[i]);
    for (i = 0; i < sizeof rates / sizeof rates[0]; i++)
        ck_assert_msg(mdl_parse_rate(rates[i], &x) == SIM_EPARSE,
                      "rate '%s' accepted", rates[i]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* parametrisations: kind, mean and scv from the parameters             */
/* ------------------------------------------------------------------ */

START_TEST(test_exp_forms_agree)
{
    static const char *const same[] = {
        "exp(mean=2.385ms)", "exp(2.385ms)", "  exp ( mean = 2.385 ms ) ",
        "exp(mean=\"2.385ms\")", "poisson(mean=2.385ms)"
    };
    mdl_dist d;
    size_t i;

    for (i = 0; i < sizeof same / sizeof same[0]; i++) {
        parse_ok(&d, same[i], NULL);
        ck_assert_int_eq(d.kind, MDL_DIST_EXP);
        ck_assert_msg(d.mean == 2.385 / 1000, "'%s' mean %.17g", same[i],
                      d.mean);
        ck_assert(d.scv == 1);
        mdl_dist_destroy(&d);
    }
    /* mean = 1 / rate */
    parse_ok(&d, "exp(rate=419.3/s)", NULL);
    ck_assert(d.mean == 1 / 419.3);
    parse_ok(&d, "poisson(rate=30/m)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_EXP);
    ck_assert(d.mean == 2);
    ck_assert(d.scv == 1);
}
END_TEST

START_TEST(test_det_value_and_zero)
{
    mdl_dist d;

    parse_ok(&d, "det(2.385ms)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_DET);
    ck_assert(d.mean == 2.385 / 1000);
    ck_assert(d.scv == 0);
    parse_ok(&d, "det(value=0)", NULL);
    ck_assert(d.mean == 0);
    ck_assert(d.scv == 0);
    parse_ok(&d, "det(-0)", NULL);          /* stored as +0 */
    ck_assert(d.mean == 0 && !signbit(d.mean));
}
END_TEST

START_TEST(test_uniform_mean_and_scv)
{
    mdl_dist d;
    double a = 1.25e-3, b = 3.85e-3, m = (a + b) / 2;

    parse_ok(&d, "uniform(1.25ms, 3.85ms)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_UNIFORM);
    /* mean (a + b)/2, scv = (b - a)^2 / 12 / mean^2 */
    assert_rel(d.mean, m, 1e-15, "mean");
    assert_rel(d.scv, (b - a) * (b - a) / 12 / (m * m), 1e-12, "scv");
    parse_ok(&d, "uniform(min=1.25ms, max=3.85ms)", NULL);
    assert_rel(d.mean, m, 1e-15, "named mean");
    parse_ok(&d, "uniform(1.25ms, max=3.85ms)", NULL);
    assert_rel(d.mean, m, 1e-15, "mixed mean");
    parse_ok(&d, "uniform(2.385ms, 2.385ms)", NULL);   /* min = max is det */
    ck_assert(d.scv == 0);
}
END_TEST

START_TEST(test_uniform_near_dbl_max_stays_finite)
{
    mdl_dist d;

    /* (a + b) / 2 overflows to inf; a/2 + b/2 does not. */
    parse_ok(&d, "uniform(1.5e308, 1.7e308)", NULL);
    assert_rel(d.mean, 1.6e308, 1e-15, "mean");
    assert_rel(d.scv, 0.2 * 0.2 / 1.6 / 1.6 / 12, 1e-12, "scv");
    mdl_dist_destroy(&d);
}
END_TEST

START_TEST(test_erlang_mean_and_scv)
{
    mdl_dist d;

    parse_ok(&d, "erlang(k=3, mean=2.385ms)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_ERLANG);
    ck_assert(d.mean == 2.385 / 1000);
    assert_rel(d.scv, 1.0 / 3, 1e-15, "scv = 1/k");
    parse_ok(&d, "erlang(mean=2.385ms, k=7)", NULL);
    assert_rel(d.scv, 1.0 / 7, 1e-15, "scv = 1/k");
}
END_TEST

START_TEST(test_hyperexp_mean_and_scv)
{
    mdl_dist d;

    parse_ok(&d, "hyperexp(mean=2.385ms, cv=2.35)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_HYPEREXP);
    ck_assert(d.mean == 2.385 / 1000);
    assert_rel(d.scv, 2.35 * 2.35, 1e-15, "scv = cv^2");
    /* cv = 1 is the exponential. */
    parse_ok(&d, "hyperexp(mean=2.385ms, cv=1)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_EXP);
    ck_assert(d.mean == 2.385 / 1000);
    ck_assert(d.scv == 1);
}
END_TEST

START_TEST(test_lognormal_mean_and_scv)
{
    mdl_dist d;

    parse_ok(&d, "lognormal(mean=2.385ms, cv=1.15)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_LOGNORMAL);
    ck_assert(d.mean == 2.385 / 1000);
    assert_rel(d.scv, 1.15 * 1.15, 1e-15, "scv = cv^2");
}
END_TEST

START_TEST(test_pareto_both_forms)
{
    mdl_dist d;
    double a = 5.35, xm = 1.385e-3;

    parse_ok(&d, "pareto(mean=2.385ms, shape=5.35)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_PARETO);
    ck_assert(d.mean == 2.385 / 1000);
    /* scv = 1 / (a (a - 2)) */
    assert_rel(d.scv, 1 / (a * (a - 2)), 1e-14, "scv");
    /* mean = a xm / (a - 1) */
    parse_ok(&d, "pareto(scale=1.385ms, shape=5.35)", NULL);
    assert_rel(d.mean, a * xm / (a - 1), 1e-15, "mean from scale");
    assert_rel(d.scv, 1 / (a * (a - 2)), 1e-14, "scv");
    /* 1 < a <= 2: finite mean, infinite variance */
    parse_ok(&d, "pareto(mean=2.385ms, shape=1.85)", NULL);
    ck_assert(d.mean == 2.385 / 1000);
    ck_assert(isinf(d.scv));
    parse_ok(&d, "pareto(scale=1.385ms, shape=2)", NULL);
    ck_assert(isinf(d.scv));
}
END_TEST

START_TEST(test_gamma_both_forms)
{
    mdl_dist d;

    parse_ok(&d, "gamma(mean=2.385ms, cv=0.65)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_GAMMA);
    ck_assert(d.mean == 2.385 / 1000);
    assert_rel(d.scv, 0.65 * 0.65, 1e-15, "scv = cv^2");
    /* mean = shape scale, scv = 1 / shape */
    parse_ok(&d, "gamma(shape=2.385, scale=1.35ms)", NULL);
    assert_rel(d.mean, 2.385 * 1.35e-3, 1e-15, "mean");
    assert_rel(d.scv, 1 / 2.385, 1e-15, "scv");
}
END_TEST

START_TEST(test_weibull_both_forms)
{
    mdl_dist d;
    double k = 1.385;
    double g1 = gsl_sf_gamma(1 + 1 / k), g2 = gsl_sf_gamma(1 + 2 / k);

    /* scv = Gamma(1 + 2/k) / Gamma(1 + 1/k)^2 - 1 */
    parse_ok(&d, "weibull(mean=2.385ms, shape=1.385)", NULL);
    ck_assert_int_eq(d.kind, MDL_DIST_WEIBULL);
    ck_assert(d.mean == 2.385 / 1000);
    assert_rel(d.scv, g2 / (g1 * g1) - 1, 1e-12, "scv");
    /* mean = scale Gamma(1 + 1/k) */
    parse_ok(&d, "weibull(shape=1.385, scale=4.15ms)", NULL);
    assert_rel(d.mean, 4.15e-3 * g1, 1e-14, "mean");
    assert_rel(d.scv, g2 / (g1 * g1) - 1, 1e-12, "scv");
    /* shape 1 is the exponential */
    parse_ok(&d, "weibull(mean=2.385ms, shape=1)", NULL);
    assert_rel(d.scv, 1, 1e-14, "scv of shape 1");
}
END_TEST

START_TEST(test_format_is_canonical_and_reparses)
{
    static const char *const texts[] = {
        "exp(rate=419.3/s)", "det(2.385ms)", "uniform(1.25ms, 3.85ms)",
        "erlang(k=3, mean=2.385ms)", "hyperexp(mean=2.385ms, cv=2.35)",
        "lognormal(mean=2.385ms, cv=1.15)", "pareto(mean=2.385ms, shape=1.85)",
        "gamma(mean=2.385ms, cv=0.65)", "weibull(mean=2.385ms, shape=1.385)"
    };
    char buf[256];
    mdl_dist d, e;
    size_t i;

    parse_ok(&d, "exp(5ms)", NULL);
    mdl_dist_format(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "exp(mean=0.005)");
    parse_ok(&d, "lognormal(mean=20ms, cv=1)", NULL);
    mdl_dist_format(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "lognormal(mean=0.02, cv=1)");
    parse_ok(&d, "det(0)", NULL);
    mdl_dist_format(&d, buf, sizeof buf);
    ck_assert_str_eq(buf, "det(value=0)");
    /* %g keeps 6 significant digits, so a round trip is exact to ~1e-6. */
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        parse_ok(&d, texts[i], NULL);
        mdl_dist_format(&d, buf, sizeof buf);
        parse_ok(&e, buf, NULL);
        ck_assert_msg(e.kind == d.kind, "%s -> %s", texts[i], buf);
        assert_rel(e.mean, d.mean, 1e-5, buf);
        if (isinf(d.scv))
            ck_assert(isinf(e.scv));
        else
            assert_rel(e.scv, d.scv, 1e-5, buf);
    }
    /* a short buffer is truncated, not overrun */
    parse_ok(&d, "exp(5ms)", NULL);
    mdl_dist_format(&d, buf, 5);
    ck_assert_str_eq(buf, "exp(");
}
END_TEST

/* ------------------------------------------------------------------ */
/* sampling                                                             */
/* ------------------------------------------------------------------ */

/*
 * Draw NDRAWS variates of d (taus2, fixed seed) and compare the sample
 * mean A = sum x / n and sample scv V / A^2, V = sum (x - A)^2 / n, with
 * d->mean and d->scv. m[k] = E[X^k], k = 1..4, are the true raw moments.
 *
 * Tolerances, from the central limit theorem and the delta method:
 *   se(A) = sqrt((m2 - m1^2) / n).
 * The scv estimate is g(A, B) = B / A^2 - 1 with B = sum x^2 / n (equal to
 * V / A^2), and to first order
 *   Var g = gA^2 Var A + gB^2 Var B + 2 gA gB Cov(A, B),
 *   gA = -2 m2 / m1^3,  gB = 1 / m1^2,
 *   Var A = (m2 - m1^2)/n, Var B = (m4 - m2^2)/n, Cov = (m3 - m1 m2)/n.
 * Each check allows Z = 5 standard errors. check_scv is 0 when the fourth
 * moment is infinite (the formula above then has no meaning).
 */
static void check_sampling(const mdl_dist *d, const double m[5],
                           int check_scv)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    double *x = malloc(NDRAWS * sizeof *x);
    double n = NDRAWS, sum = 0, ss = 0, A, V, se, gA, gB, var;
    size_t i, bad = NDRAWS;

    ck_assert(r != NULL && x != NULL);
    gsl_rng_set(r, SEED);
    /* Checked after the loop: a Check assertion per draw costs a write to
     * Check's pipe, most of this suite's time. */
    for (i = 0; i < NDRAWS; i++) {
        x[i] = mdl_dist_sample(d, r);
        if (bad == NDRAWS && !(x[i] >= 0 && isfinite(x[i])))
            bad = i;
        sum += x[i];
    }
    ck_assert_msg(bad == NDRAWS, "bad draw %g", x[bad < NDRAWS ? bad : 0]);
    A = sum / n;
    for (i = 0; i < NDRAWS; i++)
        ss += (x[i] - A) * (x[i] - A);
    V = ss / n;
    se = sqrt((m[2] - m[1] * m[1]) / n);
    ck_assert_msg(fabs(A - d->mean) <= Z * se,
                  "sample mean %.10g, expected %.10g +- %.3g", A, d->mean,
                  Z * se);
    if (check_scv) {
        gA = -2 * m[2] / (m[1] * m[1] * m[1]);
        gB = 1 / (m[1] * m[1]);
        var = (gA * gA * (m[2] - m[1] * m[1])
               + gB * gB * (m[4] - m[2] * m[2])
               + 2 * gA * gB * (m[3] - m[1] * m[2])) / n;
        se = sqrt(var);
        ck_assert_msg(fabs(V / (A * A) - d->scv) <= Z * se,
                      "sample scv %.10g, expected %.10g +- %.3g",
                      V / (A * A), d->scv, Z * se);
    }
    free(x);
    gsl_rng_free(r);
}

/* E[X^k] = k! mean^k */
START_TEST(test_exp_samples_match)
{
    mdl_dist d;
    double mu = 2.385e-3;
    double m[5] = {1, mu, 2 * mu * mu, 6 * pow(mu, 3), 24 * pow(mu, 4)};

    parse_ok(&d, "exp(2.385ms)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

START_TEST(test_det_samples_are_constant)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    mdl_dist d;
    int i;

    gsl_rng_set(r, SEED);
    parse_ok(&d, "det(2.385ms)", NULL);
    for (i = 0; i < 1000; i++)
        ck_assert(mdl_dist_sample(&d, r) == 2.385 / 1000);
    parse_ok(&d, "det(0)", NULL);
    ck_assert(mdl_dist_sample(&d, r) == 0);
    gsl_rng_free(r);
}
END_TEST

/* E[X^k] = (b^(k+1) - a^(k+1)) / ((k + 1)(b - a)) */
START_TEST(test_uniform_samples_match)
{
    mdl_dist d;
    double a = 1.25e-3, b = 3.85e-3, m[5];
    int k;

    for (k = 0; k <= 4; k++)
        m[k] = (pow(b, k + 1) - pow(a, k + 1)) / ((k + 1) * (b - a));
    parse_ok(&d, "uniform(1.25ms, 3.85ms)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

/* Gamma(a, t): E[X^k] = t^k a (a + 1) ... (a + k - 1) */
static void gamma_moments(double a, double t, double m[5])
{
    int k;

    m[0] = 1;
    for (k = 1; k <= 4; k++)
        m[k] = m[k - 1] * t * (a + k - 1);
}

START_TEST(test_erlang_samples_match)
{
    mdl_dist d;
    double m[5];

    gamma_moments(3, 2.385e-3 / 3, m);
    parse_ok(&d, "erlang(k=3, mean=2.385ms)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

START_TEST(test_gamma_samples_match)
{
    mdl_dist d;
    double m[5];

    /* shape 1/cv^2, scale mean cv^2 */
    gamma_moments(1 / (0.65 * 0.65), 2.385e-3 * 0.65 * 0.65, m);
    parse_ok(&d, "gamma(mean=2.385ms, cv=0.65)", NULL);
    check_sampling(&d, m, 1);
    gamma_moments(0.385, 1.35e-3, m);       /* shape < 1 */
    parse_ok(&d, "gamma(shape=0.385, scale=1.35ms)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

/* H2: E[X^k] = k! (p1 / mu1^k + p2 / mu2^k), with the brief's
 * p1 = (1 + sqrt((cv^2 - 1)/(cv^2 + 1)))/2, mu1 = 2 p1/mean,
 * mu2 = 2 (1 - p1)/mean. */
START_TEST(test_hyperexp_samples_match)
{
    mdl_dist d;
    double mean = 2.385e-3, c2 = 2.35 * 2.35, m[5], fact = 1;
    double p1 = (1 + sqrt((c2 - 1) / (c2 + 1))) / 2, p2 = 1 - p1;
    double mu1 = 2 * p1 / mean, mu2 = 2 * p2 / mean;
    int k;

    for (k = 0; k <= 4; k++) {
        fact *= k > 0 ? k : 1;
        m[k] = fact * (p1 / pow(mu1, k) + p2 / pow(mu2, k));
    }
    assert_rel(m[1], mean, 1e-12, "H2 mean formula");
    assert_rel(m[2] / (m[1] * m[1]) - 1, c2, 1e-9, "H2 scv formula");
    parse_ok(&d, "hyperexp(mean=2.385ms, cv=2.35)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

/* E[X^k] = exp(k mu + k^2 sigma^2 / 2) */
START_TEST(test_lognormal_samples_match)
{
    mdl_dist d;
    double s2 = log(1 + 1.15 * 1.15), mu = log(2.385e-3) - s2 / 2, m[5];
    int k;

    for (k = 0; k <= 4; k++)
        m[k] = exp(k * mu + k * k * s2 / 2);
    parse_ok(&d, "lognormal(mean=2.385ms, cv=1.15)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

/*
 * Goodness of fit of the ziggurat samplers (sim_variate.h, GSL's normal
 * ziggurat) to the exact distribution functions of GSL's cdf module, by
 * Pearson's chi-square on the probability integral transform u = F(x):
 * 199 bins of width 1/200 below 0.995, then the tail 1 - u cut at 1e-3,
 * 1e-4 and 1e-5, so that the wedges and the tail beyond the ziggurat's
 * base (u > 0.99955 for the exponential) are each seen. 10^6 draws put at
 * least 10 in every bin. Each check is at level 1e-4 (five of them: at
 * most 5e-4 together), against the chi-square quantile of GSL.
 */
#define FIT_DRAWS 1000000
#define FIT_BINS (199 + 4)

typedef double (*fit_cdf)(double x, const double *par);

static int fit_bin(double u)
{
    static const double tail[] = { 5e-3, 1e-3, 1e-4, 1e-5 };
    int k;

    if (u < 0.995)
        return (int)(u * 200);
    for (k = 3; k > 0 && 1 - u >= tail[k]; k--)
        ;
    return 199 + (1 - u < tail[3] ? 3 : k);
}

static double fit_prob(int b)
{
    static const double tail[] = { 5e-3, 1e-3, 1e-4, 1e-5, 0 };

    return b < 199 ? 1.0 / 200 : tail[b - 199] - tail[b - 198];
}

/* Draws from d, or from sim_ran_exp on a generator of type t when d is
 * NULL, fitted to cdf. */
static void check_fit(const mdl_dist *d, const gsl_rng_type *t, fit_cdf cdf,
                      const double *par, const char *what)
{
    gsl_rng *r = gsl_rng_alloc(t ? t : gsl_rng_taus2);
    long count[FIT_BINS] = {0};
    double chi2 = 0, crit = gsl_cdf_chisq_Qinv(1e-4, FIT_BINS - 1);
    int i, b;

    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, SEED);
    for (i = 0; i < FIT_DRAWS; i++) {
        double x = d ? mdl_dist_sample(d, r) : sim_ran_exp(r);
        count[fit_bin(cdf(x, par))]++;
    }
    for (b = 0; b < FIT_BINS; b++) {
        double e = FIT_DRAWS * fit_prob(b);
        chi2 += (count[b] - e) * (count[b] - e) / e;
    }
    ck_assert_msg(chi2 <= crit, "%s: chi-square %.1f on %d df, above %.1f",
                  what, chi2, FIT_BINS - 1, crit);
    gsl_rng_free(r);
}

static double cdf_exp(double x, const double *par)
{
    return gsl_cdf_exponential_P(x, par[0]);
}

static double cdf_lognormal(double x, const double *par)
{
    return gsl_cdf_lognormal_P(x, par[0], par[1]);
}

static double cdf_hyperexp(double x, const double *par)
{
    return par[0] * gsl_cdf_exponential_P(x, par[1])
           + (1 - par[0]) * gsl_cdf_exponential_P(x, par[2]);
}

START_TEST(test_ziggurats_fit_the_exact_distributions)
{
    mdl_dist d;
    double one = 1, ln[2], h2[3];

    check_fit(NULL, gsl_rng_taus2, cdf_exp, &one, "Exp(1), taus2");
    /* A generator of 24-bit numbers takes the other way to 32 bits. */
    check_fit(NULL, gsl_rng_ranlxs0, cdf_exp, &one, "Exp(1), ranlxs0");
    parse_ok(&d, "exp(2.385ms)", NULL);
    check_fit(&d, NULL, cdf_exp, &d.mean, "exp");
    parse_ok(&d, "lognormal(mean=2.385ms, cv=1.15)", NULL);
    ln[0] = d.p[0];
    ln[1] = d.p[1];
    check_fit(&d, NULL, cdf_lognormal, ln, "lognormal");
    parse_ok(&d, "hyperexp(mean=2.385ms, cv=2.35)", NULL);
    h2[0] = d.p[0];
    h2[1] = d.p[1];
    h2[2] = d.p[2];
    check_fit(&d, NULL, cdf_hyperexp, h2, "hyperexp");
}
END_TEST

/* Pareto(a, xm): E[X^k] = a xm^k / (a - k) for a > k */
START_TEST(test_pareto_samples_match)
{
    mdl_dist d;
    double a = 5.35, xm = 2.385e-3 * (a - 1) / a, m[5];
    int k;

    for (k = 0; k <= 4; k++)
        m[k] = a * pow(xm, k) / (a - k);
    parse_ok(&d, "pareto(mean=2.385ms, shape=5.35)", NULL);
    check_sampling(&d, m, 1);
}
END_TEST

/*
 * With shape 1.85 the variance is infinite and neither the sample mean
 * nor the sample scv has a normal limit. The survival function does:
 * the fraction of draws above t is a binomial proportion with
 *   p = P(X > t) = (xm / t)^a,  se = sqrt(p (1 - p) / n).
 */
START_TEST(test_heavy_pareto_tail_matches)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    mdl_dist d;
    double a = 1.85, xm = 1.385e-3, ts[3] = {1.7e-3, 4.15e-3, 23.85e-3};
    double p, se, x;
    long above[3] = {0, 0, 0}, below = 0;
    int i, j;

    parse_ok(&d, "pareto(scale=1.385ms, shape=1.85)", NULL);
    gsl_rng_set(r, SEED);
    for (i = 0; i < NDRAWS; i++) {
        x = mdl_dist_sample(&d, r);
        below += x < xm;
        for (j = 0; j < 3; j++)
            above[j] += x > ts[j];
    }
    ck_assert_int_eq(below, 0);
    for (j = 0; j < 3; j++) {
        p = pow(xm / ts[j], a);
        se = sqrt(p * (1 - p) / NDRAWS);
        ck_assert_msg(fabs((double)above[j] / NDRAWS - p) <= Z * se,
                      "P(X > %g) = %g, expected %g +- %.3g", ts[j],
                      (double)above[j] / NDRAWS, p, Z * se);
    }
    gsl_rng_free(r);
}
END_TEST

/* Weibull(k, l): E[X^j] = l^j Gamma(1 + j/k) */
START_TEST(test_weibull_samples_match)
{
    mdl_dist d;
    double k = 1.385, l = 4.15e-3, m[5];
    int j;

    for (j = 0; j <= 4; j++)
        m[j] = pow(l, j) * gsl_sf_gamma(1 + j / k);
    parse_ok(&d, "weibull(shape=1.385, scale=4.15ms)", NULL);
    check_sampling(&d, m, 1);
    /* the mean form must give the same scale */
    parse_ok(&d, "weibull(mean=2.385ms, shape=0.735)", NULL);
    l = 2.385e-3 / gsl_sf_gamma(1 + 1 / 0.735);
    for (j = 0; j <= 4; j++)
        m[j] = pow(l, j) * gsl_sf_gamma(1 + j / 0.735);
    check_sampling(&d, m, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* errors                                                               */
/* ------------------------------------------------------------------ */

/* Each bad text, a part the message must contain (the bad token), an
 * optional second part, and the 1-based column of the bad token. */
static const struct bad_case {
    const char *text, *want, *want2;
    int col;
} bad[] = {
    {"expo(2.385ms)", "'expo'", "did you mean 'exp'", 1},
    {"  lognorml(mean=2.385ms, cv=1.15)", "'lognorml'", "'lognormal'", 3},
    {"normal(2.385ms)", "'normal'", NULL, 1},
    {"Exp(2.385ms)", "'Exp'", "did you mean 'exp'", 1},
    {"exp(mean=2.385 parsecs)", "parsecs", NULL, 16},
    {"exp(2.385xs)", "'xs'", NULL, 10},
    {"exp(rate=-41.93/s)", "-41.93/s", NULL, 10},
    {"exp(rate=0/s)", "'0/s'", NULL, 10},
    {"exp(mean=-2.385ms)", "-2.385ms", NULL, 10},
    {"exp(mena=2.385ms)", "'mena'", "did you mean 'mean'", 5},
    {"exp(mean=2.385ms, mean=1ms)", "duplicate parameter 'mean'", NULL, 19},
    {"exp(mean=2.385ms, rate=3/s)", "'rate'", "conflicts", 19},
    {"hyperexp(mean=2.385ms)", "missing parameter 'cv'", NULL, 22},
    {"hyperexp(mean=2.385ms, cv=0.85)", "'0.85'", NULL, 27},
    {"gamma(mean=2.385ms, cv=-0.35)", "'-0.35'", NULL, 24},
    {"lognormal(mean=2.385ms, cv=-1.15)", "'-1.15'", NULL, 28},
    /* cv at most 100: beyond it a gamma's variates were inf x 0 = NaN */
    {"gamma(mean=1,cv=01e154)", "cv must be at most 100", "'01e154'", 17},
    {"lognormal(mean=2.385ms, cv=238.5)", "at most 100", "'238.5'", 28},
    {"hyperexp(mean=2.385ms, cv=238.5)", "at most 100", "'238.5'", 27},
    {"gamma(shape=1e-308, scale=1e308)", "shape must be at least 0.0001",
     "'1e-308'", 13},
    {"gamma(mean=1e305ms, cv=50)", "gives a scale above 1e+300", NULL, 12},
    {"pareto(mean=2.385ms, shape=0.85)", "'0.85'", NULL, 28},
    {"pareto(scale=1.385ms, shape=1)", "shape", "'1'", 29},
    {"erlang(k=2.5, mean=2.385ms)", "'2.5'", "integer", 10},
    {"erlang(k=0, mean=2.385ms)", "'0'", "integer", 10},
    {"uniform(3.5ms, 1.25ms)", "'1.25ms'", "'3.5ms'", 16},
    {"uniform(min=-1.25ms, max=3.5ms)", "'-1.25ms'", NULL, 13},
    {"exp(2.385ms) junk", "'junk'", NULL, 14},
    {"exp(2.385ms))", "')'", NULL, 13},
    {"exp(2.385ms", "missing ')'", "'exp(2.385ms'", 12},
    {"exp(mean=2.385ms", "missing ')'", NULL, 17},
    {"weibull(shape=1.5, scale=4ms, mean=1ms)", "'mean'", "conflicts", 31},
    {"weibull(mean=2.385ms, shape=0.001)", "'0.001'", NULL, 29},
    {"gamma(shape=2.385)", "missing parameter 'scale'", NULL, 18},
    {"erlang(3, 2.385ms)", "'3'", "named", 8},
    {"exp(2.385ms, 1ms)", "'1ms'", NULL, 14},
    {"uniform(min=1ms, 2ms)", "'2ms'", "positional", 18},
    {"exp(rate=2.385ms)", "'ms'", "rate unit", 15},
    {"exp(mean=41.93/s)", "'/s'", NULL, 15},
    {"exp(mean=inf)", "'inf'", NULL, 10},
    {"exp(mean=nan)", "'nan'", NULL, 10},
    {"gamma(shape=NaN, scale=1ms)", "'NaN'", NULL, 13},
    {"erlang(k=-inf, mean=1ms)", "'-inf'", NULL, 10},
    {"exp(mean=1e999)", "'1e999'", "finite", 10},
    {"exp(mean=0x1p-3)", "'0x1p-3'", NULL, 10},
    {"exp(mean=)", "missing value", NULL, 10},
    {"exp(2.385ms,)", "missing value", NULL, 13},
    {"exp(\"2.385ms)", "unterminated", "'\"2.385ms)'", 5},
    {"det(-2.385ms)", "'-2.385ms'", NULL, 5},
    {"det 2.385ms", "expected '('", "'2.385ms'", 5},
    {"empirical(column=latency)", "missing parameter 'file'", NULL, 25},
    {"", "empty", NULL, 1},
    {"2.385ms", "'2.385ms'", "distribution name", 1},
};

START_TEST(test_bad_text_names_token_and_column)
{
    const struct bad_case *b = &bad[_i];
    char err[512] = "";
    int col = -1, rc;
    mdl_dist d;

    memset(&d, 0x5a, sizeof d);
    rc = mdl_dist_parse(&d, b->text, NULL, err, sizeof err, &col);
    ck_assert_msg(rc == SIM_EPARSE, "'%s' gave %d", b->text, rc);
    ck_assert_msg(strstr(err, b->want) != NULL, "'%s': message \"%s\" "
                  "lacks \"%s\"", b->text, err, b->want);
    ck_assert_msg(!b->want2 || strstr(err, b->want2) != NULL, "'%s': "
                  "message \"%s\" lacks \"%s\"", b->text, err, b->want2);
    ck_assert_msg(col == b->col, "'%s': column %d, expected %d (%s)",
                  b->text, col, b->col, err);
    /* d is left zeroed */
    ck_assert(d.samples == NULL && d.nsamples == 0 && d.mean == 0);
}
END_TEST

START_TEST(test_error_outputs_are_optional)
{
    mdl_dist d;

    ck_assert_int_eq(mdl_dist_parse(&d, "expo(1)", NULL, NULL, 0, NULL),
                     SIM_EPARSE);
    ck_assert_int_eq(mdl_dist_parse(&d, "exp(1)", NULL, NULL, 0, NULL),
                     SIM_OK);
}
END_TEST

/* ------------------------------------------------------------------ */
/* empirical                                                            */
/* ------------------------------------------------------------------ */

/* tests/data/samples.csv, by column */
static const double latency[] = {
    0.0125, 0.0031, 0.0207, 0.0089, 0.0154, 0.0042, 0.0176
};
static const double size[] = {512, 2048, 128, 1024, 256, 4096, 768};

/* Population mean and scv of v[0..n): what uniform resampling gives. */
static void pop_moments(const double *v, size_t n, double *mean,
                        double *scv)
{
    double s = 0, ss = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += v[i];
    *mean = s / n;
    for (i = 0; i < n; i++)
        ss += (v[i] - *mean) * (v[i] - *mean);
    *scv = ss / n / (*mean * *mean);
}

/* Write content to dir/name and return the path (static buffer). */
static const char *write_tmp(const char *dir, const char *name,
                             const char *content)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    ck_assert(f != NULL);
    fputs(content, f);
    fclose(f);
    return path;
}

/* Parse text expecting SIM_EPARSE with every part of want[] in the
 * message. */
static void parse_fails(const char *text, const char *base_dir,
                        const char *const *want, int col)
{
    char err[512] = "";
    int c = -1;
    mdl_dist d;

    ck_assert_int_eq(mdl_dist_parse(&d, text, base_dir, err, sizeof err,
                                    &c), SIM_EPARSE);
    for (; *want; want++)
        ck_assert_msg(strstr(err, *want) != NULL,
                      "'%s': \"%s\" lacks \"%s\"", text, err, *want);
    ck_assert_msg(c == col, "'%s': column %d, expected %d", text, c, col);
    ck_assert(d.samples == NULL);
}

START_TEST(test_empirical_reads_fixture_with_header)
{
    mdl_dist d;
    double mean, scv;

    pop_moments(latency, 7, &mean, &scv);
    parse_ok(&d, "empirical(file=samples.csv)", tst_path("tests/data"));
    ck_assert_int_eq(d.kind, MDL_DIST_EMPIRICAL);
    ck_assert_uint_eq(d.nsamples, 7);   /* the header row is skipped */
    assert_rel(d.mean, mean, 1e-14, "mean");
    assert_rel(d.scv, scv, 1e-12, "scv");
    mdl_dist_destroy(&d);
}
END_TEST

START_TEST(test_empirical_absolute_path_ignores_base_dir)
{
    char abs[4096], text[4200];
    mdl_dist d;

    ck_assert(realpath(tst_path("tests/data/samples.csv"), abs) != NULL);
    snprintf(text, sizeof text, "empirical(file=\"%s\")", abs);
    parse_ok(&d, text, "/nonexistent");
    ck_assert_uint_eq(d.nsamples, 7);
    mdl_dist_destroy(&d);
    parse_ok(&d, text, NULL);
    ck_assert_uint_eq(d.nsamples, 7);
    mdl_dist_destroy(&d);
}
END_TEST

START_TEST(test_empirical_column_by_name_and_index)
{
    mdl_dist a, b;
    double mean, scv;

    pop_moments(size, 7, &mean, &scv);
    parse_ok(&a, "empirical(file=samples.csv, column=size)",
             tst_path("tests/data"));
    parse_ok(&b, "empirical(file=samples.csv, column=2)",
             tst_path("tests/data"));
    ck_assert_uint_eq(a.nsamples, 7);
    ck_assert_uint_eq(b.nsamples, 7);
    assert_rel(a.mean, mean, 1e-14, "mean by name");
    ck_assert(memcmp(a.samples, b.samples, 7 * sizeof(double)) == 0);
    assert_rel(a.scv, scv, 1e-12, "scv");
    mdl_dist_destroy(&a);
    mdl_dist_destroy(&b);
}
END_TEST

START_TEST(test_empirical_headerless_and_crlf)
{
    const char *dir = tst_tmpdir(), *p;
    char d1[512];
    mdl_dist d;

    snprintf(d1, sizeof d1, "%s", dir);
    /* The first row is data when its selected cell is a number. */
    p = write_tmp(d1, "plain.csv", "2.385,x\n1.385,y\n");
    parse_ok(&d, "empirical(file=plain.csv)", d1);
    ck_assert_uint_eq(d.nsamples, 2);
    ck_assert(d.samples[0] == 2.385 && d.samples[1] == 1.385);
    mdl_dist_destroy(&d);
    unlink(p);
    /* Header detection looks at the selected cell only. */
    p = write_tmp(d1, "mixed.csv", "1,lat\n2,0.5\n3,0.25\n");
    parse_ok(&d, "empirical(file=mixed.csv, column=2)", d1);
    ck_assert_uint_eq(d.nsamples, 2);
    mdl_dist_destroy(&d);
    parse_ok(&d, "empirical(file=mixed.csv)", d1);
    ck_assert_uint_eq(d.nsamples, 3);
    mdl_dist_destroy(&d);
    unlink(p);
    /* CRLF endings and blank lines still give the right line number:
     * line 1 header, 2 value, 3 blank, 4 value, 5 bad. */
    p = write_tmp(d1, "crlf.csv", "lat\r\n0.5\r\n\r\n0.25\r\n-0.125\r\n");
    parse_fails("empirical(file=crlf.csv)", d1,
                (const char *const[]){"crlf.csv:5", "'-0.125'", NULL}, 16);
    unlink(p);
    p = write_tmp(d1, "lf.csv", "lat\n\n\n0.5\n\"1.5\n\",2\n1e999\n");
    parse_fails("empirical(file=lf.csv)", d1,
                (const char *const[]){"lf.csv:7", "'1e999'", NULL}, 16);
    unlink(p);
    rmdir(d1);
}
END_TEST

START_TEST(test_empirical_bad_cell_names_file_and_line)
{
    const char *const want[] = {"bad_samples.csv:4", "'abc'", NULL};

    parse_fails("empirical(file=bad_samples.csv)", tst_path("tests/data"),
                want, 16);
}
END_TEST

START_TEST(test_empirical_empty_or_missing_is_error)
{
    const char *dir = tst_tmpdir(), *p, *q;
    char d1[512];

    snprintf(d1, sizeof d1, "%s", dir);
    p = write_tmp(d1, "empty.csv", "");
    parse_fails("empirical(file=empty.csv)", d1,
                (const char *const[]){"no samples", "empty.csv", NULL}, 16);
    unlink(p);
    q = write_tmp(d1, "header.csv", "latency\n");
    parse_fails("empirical(file=header.csv)", d1,
                (const char *const[]){"no samples", "header.csv", NULL}, 16);
    unlink(q);
    rmdir(d1);
    parse_fails("empirical(file=nope.csv)", tst_path("tests/data"),
                (const char *const[]){"cannot open", "nope.csv", NULL}, 16);
    parse_fails("empirical(file=samples.csv, column=latncy)",
                tst_path("tests/data"),
                (const char *const[]){"'latncy'", NULL}, 36);
    parse_fails("empirical(file=samples.csv, column=3)",
                tst_path("tests/data"),
                (const char *const[]){"samples.csv:1", "column 3", NULL},
                36);
    parse_fails("empirical(file=samples.csv, column=0)",
                tst_path("tests/data"),
                (const char *const[]){"'0'", NULL}, 36);
}
END_TEST

START_TEST(test_empirical_refuses_devices_pipes_and_directories)
{
    char dir[512];
    const char *fifo;

    /* /dev/zero used to be read until memory ran out, a FIFO to wait
     * for a writer forever. */
    parse_fails("empirical(file=/dev/zero)", NULL,
                (const char *const[]){"'/dev/zero'", "a device",
                                      "not a regular file", NULL}, 16);
    parse_fails("empirical(file=data)", tst_path("tests"),
                (const char *const[]){"data'", "a directory", NULL}, 16);
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    fifo = tst_special_file(dir, "pipe.csv", -1);
    (void)fifo;
    parse_fails("empirical(file=pipe.csv)", dir,
                (const char *const[]){"pipe.csv'", "a pipe", NULL}, 16);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_empirical_refuses_files_over_64_mib)
{
    char dir[512];

    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    tst_special_file(dir, "big.csv", (64L << 20) + 1);
    parse_fails("empirical(file=big.csv)", dir,
                (const char *const[]){"big.csv'", "larger than 64 MiB",
                                      NULL}, 16);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_empirical_samples_that_overflow_are_an_error)
{
    char dir[512];

    /* Each sample is finite, their sum is not. */
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    write_tmp(dir, "huge.csv", "1.5e308\n1.7e308\n");
    parse_fails("empirical(file=huge.csv)", dir,
                (const char *const[]){"mean or variance out of range",
                                      NULL}, 1);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_empirical_samples_come_from_file)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    double m[5] = {0, 0, 0, 0, 0}, x;
    int seen[7] = {0}, i, j, k;
    mdl_dist d;

    /* E[X^k] = sum v^k / n, exactly, for uniform resampling */
    for (k = 0; k <= 4; k++) {
        for (j = 0; j < 7; j++)
            m[k] += pow(latency[j], k) / 7;
    }
    parse_ok(&d, "empirical(file=samples.csv)", tst_path("tests/data"));
    check_sampling(&d, m, 1);
    gsl_rng_set(r, SEED);
    for (i = 0; i < 10000; i++) {
        x = mdl_dist_sample(&d, r);
        for (j = 0; j < 7 && latency[j] != x; j++)
            ;
        ck_assert_msg(j < 7, "draw %g is not in the file", x);
        seen[j] = 1;
    }
    for (j = 0; j < 7; j++)
        ck_assert_msg(seen[j], "sample %d never drawn", j);
    mdl_dist_destroy(&d);
    gsl_rng_free(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ownership                                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_copy_is_deep)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    mdl_dist a, b;
    double x;

    parse_ok(&a, "empirical(file=samples.csv)", tst_path("tests/data"));
    ck_assert_int_eq(mdl_dist_copy(&b, &a), SIM_OK);
    ck_assert_ptr_ne(a.samples, b.samples);
    ck_assert_uint_eq(b.nsamples, a.nsamples);
    ck_assert(memcmp(a.samples, b.samples, a.nsamples * sizeof(double))
              == 0);
    ck_assert(b.mean == a.mean && b.scv == a.scv);
    mdl_dist_destroy(&a);
    x = mdl_dist_sample(&b, r);             /* b survives a */
    ck_assert(x >= 0.0031 && x <= 0.0207);
    mdl_dist_destroy(&b);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_copy_of_parametric_dist)
{
    mdl_dist a, b;

    parse_ok(&a, "hyperexp(mean=2.385ms, cv=2.35)", NULL);
    ck_assert_int_eq(mdl_dist_copy(&b, &a), SIM_OK);
    ck_assert(memcmp(&a, &b, sizeof a) == 0);
    ck_assert_ptr_null(b.samples);
    mdl_dist_destroy(&a);
    mdl_dist_destroy(&b);
}
END_TEST

START_TEST(test_destroy_zeroes_and_allows_reuse)
{
    mdl_dist d;

    parse_ok(&d, "empirical(file=samples.csv)", tst_path("tests/data"));
    mdl_dist_destroy(&d);
    ck_assert_ptr_null(d.samples);
    ck_assert_uint_eq(d.nsamples, 0);
    mdl_dist_destroy(&d);                   /* a second destroy is harmless */
    parse_ok(&d, "exp(2.385ms)", NULL);     /* and d is reusable */
    mdl_dist_destroy(&d);
    mdl_dist_exp(&d, 2.385e-3);
    ck_assert_int_eq(d.kind, MDL_DIST_EXP);
    ck_assert(d.mean == 2.385e-3 && d.scv == 1);
    mdl_dist_destroy(&d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* scaling                                                              */
/* ------------------------------------------------------------------ */

/* Each scaled distribution must equal the one written with scaled times
 * and draw, from the same stream, the original draws times the factor. */
START_TEST(test_scale_multiplies_every_time)
{
    static const char *const pairs[][2] = {
        {"exp(2.385ms)", "exp(5.9625ms)"},
        {"det(2.385ms)", "det(5.9625ms)"},
        {"uniform(1.25ms, 3.85ms)", "uniform(3.125ms, 9.625ms)"},
        {"erlang(k=3, mean=2.385ms)", "erlang(k=3, mean=5.9625ms)"},
        {"hyperexp(mean=2.385ms, cv=2.35)", "hyperexp(mean=5.9625ms, cv=2.35)"},
        {"lognormal(mean=2.385ms, cv=1.5)", "lognormal(mean=5.9625ms, cv=1.5)"},
        {"pareto(mean=2.385ms, shape=2.5)", "pareto(mean=5.9625ms, shape=2.5)"},
        {"gamma(shape=2.2, scale=1.25ms)", "gamma(shape=2.2, scale=3.125ms)"},
        {"weibull(shape=1.5, scale=1.25ms)", "weibull(shape=1.5, scale=3.125ms)"},
        {"empirical(file=samples.csv)", NULL},
    };
    const double f = 2.5;
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng *r2 = gsl_rng_alloc(gsl_rng_taus2);
    size_t i;
    int j, k;

    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        mdl_dist a, b, want;
        const char *text = pairs[i][0];

        parse_ok(&a, text, tst_path("tests/data"));
        ck_assert_int_eq(mdl_dist_copy(&b, &a), SIM_OK);
        ck_assert_int_eq(mdl_dist_scale(&b, f), SIM_OK);
        assert_rel(b.mean, f * a.mean, 1e-15, text);
        ck_assert_msg(b.scv == a.scv, "%s: scv changed", text);
        if (pairs[i][1]) {
            parse_ok(&want, pairs[i][1], NULL);
            ck_assert_int_eq(b.kind, want.kind);
            assert_rel(b.mean, want.mean, 1e-15, pairs[i][1]);
            for (k = 0; k < 4; k++)
                ck_assert_msg(fabs(b.p[k] - want.p[k])
                              <= 1e-14 * fabs(want.p[k]),
                              "%s: p[%d] = %.17g, expected %.17g", text, k,
                              b.p[k], want.p[k]);
            mdl_dist_destroy(&want);
        }
        gsl_rng_set(r1, SEED);
        gsl_rng_set(r2, SEED);
        for (j = 0; j < 1000; j++) {
            double x = mdl_dist_sample(&a, r1), y = mdl_dist_sample(&b, r2);
            ck_assert_msg(fabs(y - f * x) <= 1e-12 * f * x,
                          "%s: draw %d is %.17g, expected %.17g", text, j,
                          y, f * x);
        }
        mdl_dist_destroy(&a);
        mdl_dist_destroy(&b);
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}
END_TEST

START_TEST(test_scale_refuses_bad_factor_and_keeps_d)
{
    const double factors[] = {0, -2.385, INFINITY, NAN};
    mdl_dist d;
    size_t i;

    parse_ok(&d, "lognormal(mean=2.385ms, cv=1.5)", NULL);
    for (i = 0; i < sizeof factors / sizeof factors[0]; i++) {
        ck_assert_int_eq(mdl_dist_scale(&d, factors[i]), SIM_EINVAL);
        ck_assert(d.mean == 2.385 / 1000);
    }
    mdl_dist_destroy(&d);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_dist");
    TCase *tc;

    tc = tcase_create("units");
    tcase_add_test(tc, test_time_units_parse_exactly);
    tcase_add_test(tc, test_rate_units_parse_exactly);
    tcase_add_test(tc, test_bad_units_are_rejected);
    suite_add_tcase(s, tc);

    tc = tcase_create("parametrisation");
    tcase_add_test(tc, test_exp_forms_agree);
    tcase_add_test(tc, test_det_value_and_zero);
    tcase_add_test(tc, test_uniform_mean_and_scv);
    tcase_add_test(tc, test_uniform_near_dbl_max_stays_finite);
    tcase_add_test(tc, test_erlang_mean_and_scv);
    tcase_add_test(tc, test_hyperexp_mean_and_scv);
    tcase_add_test(tc, test_lognormal_mean_and_scv);
    tcase_add_test(tc, test_pareto_both_forms);
    tcase_add_test(tc, test_gamma_both_forms);
    tcase_add_test(tc, test_weibull_both_forms);
    tcase_add_test(tc, test_format_is_canonical_and_reparses);
    suite_add_tcase(s, tc);

    tc = tcase_create("sampling");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_exp_samples_match);
    tcase_add_test(tc, test_det_samples_are_constant);
    tcase_add_test(tc, test_uniform_samples_match);
    tcase_add_test(tc, test_erlang_samples_match);
    tcase_add_test(tc, test_gamma_samples_match);
    tcase_add_test(tc, test_hyperexp_samples_match);
    tcase_add_test(tc, test_ziggurats_fit_the_exact_distributions);
    tcase_add_test(tc, test_lognormal_samples_match);
    tcase_add_test(tc, test_pareto_samples_match);
    tcase_add_test(tc, test_heavy_pareto_tail_matches);
    tcase_add_test(tc, test_weibull_samples_match);
    suite_add_tcase(s, tc);

    tc = tcase_create("scaling");
    tcase_add_test(tc, test_scale_multiplies_every_time);
    tcase_add_test(tc, test_scale_refuses_bad_factor_and_keeps_d);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad_text_names_token_and_column, 0,
                        (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_error_outputs_are_optional);
    suite_add_tcase(s, tc);

    tc = tcase_create("empirical");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_empirical_reads_fixture_with_header);
    tcase_add_test(tc, test_empirical_absolute_path_ignores_base_dir);
    tcase_add_test(tc, test_empirical_column_by_name_and_index);
    tcase_add_test(tc, test_empirical_headerless_and_crlf);
    tcase_add_test(tc, test_empirical_bad_cell_names_file_and_line);
    tcase_add_test(tc, test_empirical_empty_or_missing_is_error);
    tcase_add_test(tc, test_empirical_samples_come_from_file);
    tcase_add_test(tc, test_empirical_refuses_devices_pipes_and_directories);
    tcase_add_test(tc, test_empirical_refuses_files_over_64_mib);
    tcase_add_test(tc, test_empirical_samples_that_overflow_are_an_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("ownership");
    tcase_add_test(tc, test_copy_is_deep);
    tcase_add_test(tc, test_copy_of_parametric_dist);
    tcase_add_test(tc, test_destroy_zeroes_and_allows_reuse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
