/*
 * mdl_dist_build.c - the parametrisations: from a distribution's
 * parameters as written to the values of mdl_dist.h.
 *
 * The parser (mdl_dist_parse.c) hands each distribution over with its
 * arguments checked against the parameter sets it accepts;
 * mdl__dist_build() checks their values (positive, in range) and sets
 * the distribution. Every parametrisation sets mean and scv exactly from
 * the parameters, so the analytic layer can use them without sampling.
 * Kind-specific parameters go into p[] in the form the GSL sampler wants
 * (see the table above mdl_dist_sample() in mdl_dist.c). An empirical
 * distribution reads its sample file through mdl_empirical.h and owns a
 * copy of its samples; it is drawn uniformly with replacement.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_dist_int.h"
#include "mdl_empirical.h"

/* ------------------------------------------------------------------ */
/* Per-distribution checks and parametrisations                         */
/* ------------------------------------------------------------------ */

static int need_positive(parser *ps, const arg *a, const char *name)
{
    if (a->x > 0)
        return SIM_OK;
    return fail(ps, a->tok, "%s must be positive, found '%.*s'", name,
                span(a->tok, a->tok_end), a->tok);
}

static int need_nonneg(parser *ps, const arg *a, const char *name)
{
    if (a->x >= 0)
        return SIM_OK;
    return fail(ps, a->tok, "%s must be >= 0, found '%.*s'", name,
                span(a->tok, a->tok_end), a->tok);
}

/* A coefficient of variation of at most CV_MAX: no service or think time
 * is that variable, and beyond it a gamma's shape (1 / cv^2) is so small
 * that its variates, scale x Gamma(1 + a) x U^(1/a), become inf x 0. */
#define CV_MAX 100
/* A gamma's scale of at most SCALE_MAX keeps its variates finite. */
#define SCALE_MAX 1e300

static int need_cv(parser *ps, const arg *cv)
{
    if (cv->x <= CV_MAX)
        return SIM_OK;
    return fail(ps, cv->tok, "cv must be at most %d, found '%.*s'", CV_MAX,
                span(cv->tok, cv->tok_end), cv->tok);
}

/* A derived quantity (1/rate, cv^2, Gamma(1 + 1/k)) left the doubles. */
static int need_finite(parser *ps, const arg *a, double v, const char *what)
{
    if (isfinite(v) && v > 0)
        return SIM_OK;
    return fail(ps, a->tok, "'%.*s' gives %s out of range",
                span(a->tok, a->tok_end), a->tok, what);
}

/* Index of name in c's spec, or -1. */
static int pidx(const call *c, const char *name)
{
    int i;

    for (i = 0; i < c->spec->nparams; i++)
        if (strcmp(c->spec->params[i], name) == 0)
            return i;
    return -1;
}

/* The argument called name, or NULL when it was not given. */
static const arg *get(const call *c, const char *name)
{
    int i = pidx(c, name);

    return i >= 0 && c->a[i].set ? &c->a[i] : NULL;
}

static int build_exp(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *rate = get(c, "rate");
    int rc;

    if (mean) {
        if ((rc = need_positive(ps, mean, "mean")) != SIM_OK)
            return rc;
        mdl_dist_exp(d, mean->x);
        return SIM_OK;
    }
    if ((rc = need_positive(ps, rate, "rate")) != SIM_OK)
        return rc;
    /* mean = 1 / rate */
    if ((rc = need_finite(ps, rate, 1 / rate->x, "a mean")) != SIM_OK)
        return rc;
    mdl_dist_exp(d, 1 / rate->x);
    return SIM_OK;
}

static int build_det(parser *ps, const call *c, mdl_dist *d)
{
    const arg *v = get(c, "value");
    int rc;

    /* Zero is a valid constant: a hop that takes no time. "-0" passes
     * the check and is stored as +0, so no sample is ever negative. */
    if ((rc = need_nonneg(ps, v, "value")) != SIM_OK)
        return rc;
    d->p[0] = d->mean = v->x == 0 ? 0 : v->x;
    d->scv = 0;
    return SIM_OK;
}

static int build_uniform(parser *ps, const call *c, mdl_dist *d)
{
    const arg *lo = get(c, "min"), *hi = get(c, "max");
    double a, b;
    int rc;

    if ((rc = need_nonneg(ps, lo, "min")) != SIM_OK
        || (rc = need_nonneg(ps, hi, "max")) != SIM_OK)
        return rc;
    a = lo->x == 0 ? 0 : lo->x;     /* no -0 */
    b = hi->x;
    if (a > b)
        return fail(ps, hi->tok, "max '%.*s' is less than min '%.*s'",
                    span(hi->tok, hi->tok_end), hi->tok,
                    span(lo->tok, lo->tok_end), lo->tok);
    d->p[0] = a;
    d->p[1] = b;
    /* mean = (a + b) / 2, var = (b - a)^2 / 12, scv = var / mean^2,
     * computed as a/2 + b/2 and ((b - a) / mean)^2 / 12 (with
     * (b - a) / mean <= 2) so that no step overflows near DBL_MAX;
     * uniform(0, 0) is det(0), with scv 0. */
    d->mean = a / 2 + b / 2;
    d->scv = d->mean > 0 ? (b - a) / d->mean * ((b - a) / d->mean) / 12 : 0;
    return SIM_OK;
}

static int build_erlang(parser *ps, const call *c, mdl_dist *d)
{
    const arg *k = get(c, "k"), *mean = get(c, "mean");
    int rc;

    if (!(k->x >= 1 && k->x == floor(k->x)))
        return fail(ps, k->tok, "k must be a positive integer, found '%.*s'",
                    span(k->tok, k->tok_end), k->tok);
    if ((rc = need_positive(ps, mean, "mean")) != SIM_OK)
        return rc;
    /* k phases of mean mean/k each: gamma(shape k, scale mean/k),
     * scv = 1/k. */
    d->p[0] = k->x;
    d->p[1] = mean->x / k->x;
    d->mean = mean->x;
    d->scv = 1 / k->x;
    return SIM_OK;
}

static int build_hyperexp(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *cv = get(c, "cv");
    double c2, s, p1, p2;
    int rc;

    if ((rc = need_positive(ps, mean, "mean")) != SIM_OK)
        return rc;
    if (!(cv->x >= 1))
        return fail(ps, cv->tok, "cv must be >= 1 for hyperexp, found "
                    "'%.*s'", span(cv->tok, cv->tok_end), cv->tok);
    if ((rc = need_cv(ps, cv)) != SIM_OK)
        return rc;
    c2 = cv->x * cv->x;
    if ((rc = need_finite(ps, cv, c2, "a variance")) != SIM_OK)
        return rc;
    if (c2 == 1) {
        /* Balanced H2 with cv = 1 has p1 = 1/2 and mu1 = mu2 = 1/mean:
         * it is the exponential, which samples faster and which the
         * analytic layer recognises. */
        mdl_dist_exp(d, mean->x);
        return SIM_OK;
    }
    /* Two phases with balanced means, p1/mu1 = p2/mu2 (the usual
     * two-moment H2 fit):
     *   p1 = (1 + s) / 2,  s = sqrt((cv^2 - 1) / (cv^2 + 1))
     *   mu1 = 2 p1 / mean,  mu2 = 2 p2 / mean
     * p2 = 1 - p1 = (1 - s)/2 cancels for large cv; multiplying by
     * (1 + s)/(1 + s) gives p2 = (1 - s^2) / (2 (1 + s)) =
     * 1 / ((cv^2 + 1)(1 + s)). p[1], p[2] hold the phase means 1/mu. */
    s = sqrt((c2 - 1) / (c2 + 1));
    p1 = (1 + s) / 2;
    p2 = 1 / ((c2 + 1) * (1 + s));
    d->p[0] = p1;
    d->p[1] = mean->x / (2 * p1);
    d->p[2] = mean->x / (2 * p2);
    d->p[3] = cv->x;
    d->mean = mean->x;
    d->scv = c2;
    return SIM_OK;
}

static int build_lognormal(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *cv = get(c, "cv");
    double sigma2;
    int rc;

    if ((rc = need_positive(ps, mean, "mean")) != SIM_OK
        || (rc = need_nonneg(ps, cv, "cv")) != SIM_OK
        || (rc = need_cv(ps, cv)) != SIM_OK)
        return rc;
    if (cv->x > 0 && (rc = need_finite(ps, cv, cv->x * cv->x, "a variance"))
        != SIM_OK)
        return rc;
    /* X = exp(N(mu, sigma^2)) has mean exp(mu + sigma^2/2) and
     * scv exp(sigma^2) - 1, so
     *   sigma^2 = ln(1 + cv^2),  mu = ln(mean) - sigma^2 / 2. */
    sigma2 = log1p(cv->x * cv->x);
    d->p[0] = log(mean->x) - sigma2 / 2;
    d->p[1] = sqrt(sigma2);
    d->p[2] = cv->x;
    d->mean = mean->x;
    d->scv = cv->x * cv->x;
    return SIM_OK;
}

static int build_pareto(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *scale = get(c, "scale");
    const arg *shape = get(c, "shape");
    double a, xm;
    int rc;

    /* Pareto(a, xm) on [xm, inf): mean = a xm / (a - 1) for a > 1,
     * scv = 1 / (a (a - 2)) for a > 2, infinite for 1 < a <= 2. */
    if (!(shape->x > 1))
        return fail(ps, shape->tok, "shape must be > 1 for a finite mean, "
                    "found '%.*s'", span(shape->tok, shape->tok_end),
                    shape->tok);
    a = shape->x;
    if (mean) {
        if ((rc = need_positive(ps, mean, "mean")) != SIM_OK)
            return rc;
        /* xm = mean (a - 1) / a */
        xm = mean->x * (a - 1) / a;
        if ((rc = need_finite(ps, mean, xm, "a scale")) != SIM_OK)
            return rc;
        d->mean = mean->x;
    } else {
        if ((rc = need_positive(ps, scale, "scale")) != SIM_OK)
            return rc;
        xm = scale->x;
        d->mean = a * xm / (a - 1);
        if ((rc = need_finite(ps, scale, d->mean, "a mean")) != SIM_OK)
            return rc;
    }
    d->p[0] = a;
    d->p[1] = xm;
    d->scv = a > 2 ? 1 / (a * (a - 2)) : INFINITY;
    return SIM_OK;
}

static int build_gamma(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *cv = get(c, "cv");
    const arg *shape = get(c, "shape"), *scale = get(c, "scale");
    double c2;
    int rc;

    /* Gamma(shape a, scale t): mean = a t, scv = 1 / a. */
    if (mean) {
        if ((rc = need_positive(ps, mean, "mean")) != SIM_OK
            || (rc = need_positive(ps, cv, "cv")) != SIM_OK
            || (rc = need_cv(ps, cv)) != SIM_OK)
            return rc;
        /* a = 1 / cv^2, t = mean cv^2 */
        c2 = cv->x * cv->x;
        if ((rc = need_finite(ps, cv, c2, "a variance")) != SIM_OK
            || (rc = need_finite(ps, cv, 1 / c2, "a shape")) != SIM_OK
            || (rc = need_finite(ps, mean, mean->x * c2, "a scale"))
               != SIM_OK)
            return rc;
        d->p[0] = 1 / c2;
        d->p[1] = mean->x * c2;
        d->mean = mean->x;
        d->scv = c2;
    } else {
        if ((rc = need_positive(ps, shape, "shape")) != SIM_OK
            || (rc = need_positive(ps, scale, "scale")) != SIM_OK)
            return rc;
        if (shape->x < 1.0 / (CV_MAX * CV_MAX))
            return fail(ps, shape->tok, "shape must be at least %g (a cv "
                        "of at most %d), found '%.*s'",
                        1.0 / (CV_MAX * CV_MAX), CV_MAX,
                        span(shape->tok, shape->tok_end), shape->tok);
        d->p[0] = shape->x;
        d->p[1] = scale->x;
        d->mean = shape->x * scale->x;
        d->scv = 1 / shape->x;
        if ((rc = need_finite(ps, scale, d->mean, "a mean")) != SIM_OK
            || (rc = need_finite(ps, shape, d->scv, "a variance"))
               != SIM_OK)
            return rc;
    }
    if (d->p[1] > SCALE_MAX)
        return fail(ps, (mean ? mean : scale)->tok, "'%.*s' gives a scale "
                    "above %g", span((mean ? mean : scale)->tok,
                                     (mean ? mean : scale)->tok_end),
                    (mean ? mean : scale)->tok, SCALE_MAX);
    return SIM_OK;
}

static int build_weibull(parser *ps, const call *c, mdl_dist *d)
{
    const arg *mean = get(c, "mean"), *shape = get(c, "shape");
    const arg *scale = get(c, "scale");
    gsl_sf_result g1;
    double k, lam;
    int rc;

    if ((rc = need_positive(ps, shape, "shape")) != SIM_OK)
        return rc;
    k = shape->x;
    /* Weibull(k, lambda): mean = lambda Gamma(1 + 1/k). Gamma overflows
     * for 1/k > 171, i.e. shapes below about 0.006. */
    if (gsl_sf_gamma_e(1 + 1 / k, &g1) != GSL_SUCCESS || !isfinite(g1.val))
        return fail(ps, shape->tok, "shape '%.*s' is too small",
                    span(shape->tok, shape->tok_end), shape->tok);
    if (mean) {
        if ((rc = need_positive(ps, mean, "mean")) != SIM_OK)
            return rc;
        /* lambda = mean / Gamma(1 + 1/k) */
        lam = mean->x / g1.val;
        if ((rc = need_finite(ps, mean, lam, "a scale")) != SIM_OK)
            return rc;
        d->mean = mean->x;
    } else {
        if ((rc = need_positive(ps, scale, "scale")) != SIM_OK)
            return rc;
        lam = scale->x;
        d->mean = lam * g1.val;
        if ((rc = need_finite(ps, scale, d->mean, "a mean")) != SIM_OK)
            return rc;
    }
    /* scv = Gamma(1 + 2/k) / Gamma(1 + 1/k)^2 - 1. For large k the ratio
     * is 1 + O(1/k^2) and the subtraction cancels, so it is computed as
     * expm1(lnGamma(1 + 2/k) - 2 lnGamma(1 + 1/k)). */
    d->scv = expm1(gsl_sf_lngamma(1 + 2 / k) - 2 * gsl_sf_lngamma(1 + 1 / k));
    /* The true value is pi^2 / (6 k^2) > 0; for k beyond about 1e8 the
     * lnGamma difference rounds to a hair below 0. */
    if (d->scv < 0)
        d->scv = 0;
    if (!isfinite(d->scv))
        return fail(ps, shape->tok, "shape '%.*s' is too small",
                    span(shape->tok, shape->tok_end), shape->tok);
    d->p[0] = k;
    d->p[1] = lam;
    return SIM_OK;
}

/* ------------------------------------------------------------------ */
/* Empirical distributions                                              */
/* ------------------------------------------------------------------ */

/* Copy [s, e) into a new string; NULL when out of memory. */
static char *dup_span(const char *s, const char *e)
{
    char *p = malloc((size_t)(e - s) + 1);

    if (p) {
        memcpy(p, s, (size_t)(e - s));
        p[e - s] = '\0';
    }
    return p;
}

static int build_empirical(parser *ps, const call *c, const char *base_dir,
                           mdl_dist *d)
{
    const arg *file = get(c, "file"), *column = get(c, "column");
    char *fname, *cname = NULL;
    double *v = NULL, sum, dev, var;
    size_t i, n = 0;
    int about_column = 0, rc;

    fname = dup_span(file->s, file->e);
    if (column)
        cname = dup_span(column->s, column->e);
    if (!fname || (column && !cname)) {
        rc = SIM_ENOMEM;
        goto out;
    }
    /* Its messages go straight into ps->err; they point at the argument
     * at fault. */
    rc = mdl_empirical_read(base_dir, fname, cname, &v, &n, ps->err,
                            ps->errlen, &about_column);
    if (rc == SIM_EPARSE)
        rc = mdl__dist_blame(ps, (about_column ? column : file)->tok);
    if (rc != SIM_OK)
        goto out;
    /* Drawing uniformly with replacement gives exactly the samples'
     * population moments: mean = sum x / n, var = sum (x - mean)^2 / n,
     * computed in two passes for accuracy. */
    for (sum = 0, i = 0; i < n; i++)
        sum += v[i];
    d->mean = sum / (double)n;
    for (var = 0, i = 0; i < n; i++) {
        dev = v[i] - d->mean;
        var += dev * dev;
    }
    var /= (double)n;
    d->scv = d->mean > 0 ? var / (d->mean * d->mean) : 0;
    d->samples = v;
    d->nsamples = n;
    v = NULL;
out:
    free(v);
    free(cname);
    free(fname);
    return rc;
}

int mdl__dist_build(parser *ps, const call *c, const char *base_dir,
                    mdl_dist *d)
{
    d->kind = c->spec->kind;
    switch (c->spec->kind) {
    case MDL_DIST_EXP:       return build_exp(ps, c, d);
    case MDL_DIST_DET:       return build_det(ps, c, d);
    case MDL_DIST_UNIFORM:   return build_uniform(ps, c, d);
    case MDL_DIST_ERLANG:    return build_erlang(ps, c, d);
    case MDL_DIST_HYPEREXP:  return build_hyperexp(ps, c, d);
    case MDL_DIST_LOGNORMAL: return build_lognormal(ps, c, d);
    case MDL_DIST_PARETO:    return build_pareto(ps, c, d);
    case MDL_DIST_GAMMA:     return build_gamma(ps, c, d);
    case MDL_DIST_WEIBULL:   return build_weibull(ps, c, d);
    case MDL_DIST_EMPIRICAL: return build_empirical(ps, c, base_dir, d);
    }
    sim_panic(__FILE__, __LINE__, "bad distribution kind %d",
              (int)c->spec->kind);
}
