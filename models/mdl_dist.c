/*
 * mdl_dist.c - parse, describe and sample the time distributions of
 * mdl_dist.h.
 *
 * Parsing is a small hand-written recursive descent over the text,
 *
 *   dist  := ws name ws '(' ws [arg ws {',' ws arg ws}] ')' ws END
 *   arg   := key ws '=' ws value | value
 *   value := '"' any-but-quote '"' | run of characters up to ',' or ')'
 *
 * with times, rates and plain numbers read by mdl_units.h. Every token is kept as a pointer into the
 * caller's text, so any error can name the token and its 1-based column.
 * Parameters are checked in two steps: each one by itself as it is read
 * (known name, not a duplicate, right unit), then the set of them against
 * the distribution's "forms", the parameter sets it accepts (pareto takes
 * {mean, shape} or {scale, shape}). A parameter that fits no form together
 * with the earlier ones is a conflict; a set that is a strict subset of a
 * form is missing parameters.
 *
 * Every parametrisation sets mean and scv exactly from the parameters, so
 * the analytic layer can use them without sampling. Kind-specific
 * parameters live in p[] in the form the GSL sampler wants (see the table
 * above mdl_dist_sample()). An empirical distribution is read from a
 * sample file (mdl_empirical.h) and owns a copy of its samples; it is
 * drawn uniformly with replacement.
 *
 * mdl_dist_sample() is on the simulator's hot path: one switch, no
 * allocation, no checks (the parser has done them).
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_empirical.h"
#include "mdl_hint.h"
#include "mdl_units.h"

/* ------------------------------------------------------------------ */
/* Error reporting                                                      */
/* ------------------------------------------------------------------ */

/* The text being parsed and where its errors go. err and err_col may be
 * NULL (the caller wants no message). */
typedef struct parser {
    const char *text;
    char *err;
    size_t errlen;
    int *err_col;
} parser;

/* Point the error whose message is in ps->err at position at (inside
 * ps->text; NULL: unknown) and return SIM_EPARSE. */
static int blame(parser *ps, const char *at)
{
    if (ps->err_col)
        *ps->err_col = at ? (int)(at - ps->text) + 1 : 1;
    return SIM_EPARSE;
}

/* Record an error at position at (inside ps->text) and return SIM_EPARSE. */
static int fail(parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;

    if (ps->err && ps->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(ps->err, ps->errlen, fmt, ap);
        va_end(ap);
    }
    return blame(ps, at);
}

/* Length of [s, e) as the int that "%.*s" wants. */
static int span(const char *s, const char *e)
{
    return (int)(e - s);
}

static const char *skip_ws(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    return s;
}

static const char *scan_word(const char *s, const char *e)
{
    while (s < e && (isalnum((unsigned char)*s) || *s == '_'))
        s++;
    return s;
}

/* ------------------------------------------------------------------ */
/* Distribution table                                                   */
/* ------------------------------------------------------------------ */

#define MAX_PARAMS 4
#define MAX_FORMS 3

/* One distribution name: its parameters, the sets of them it accepts
 * (bit i = params[i]), and which parameters positional values fill. */
typedef struct dist_spec {
    const char *name;
    mdl_dist_kind kind;
    int nparams;
    const char *params[MAX_PARAMS];
    unsigned forms[MAX_FORMS];          /* 0-terminated */
    int npositional;
    int positional[2];                  /* indices into params */
} dist_spec;

static const dist_spec specs[] = {
    {"exp", MDL_DIST_EXP, 2, {"mean", "rate"}, {1, 2}, 1, {0}},
    {"poisson", MDL_DIST_EXP, 2, {"rate", "mean"}, {1, 2}, 0, {0}},
    {"det", MDL_DIST_DET, 1, {"value"}, {1}, 1, {0}},
    {"uniform", MDL_DIST_UNIFORM, 2, {"min", "max"}, {3}, 2, {0, 1}},
    {"erlang", MDL_DIST_ERLANG, 2, {"k", "mean"}, {3}, 0, {0}},
    {"hyperexp", MDL_DIST_HYPEREXP, 2, {"mean", "cv"}, {3}, 0, {0}},
    {"lognormal", MDL_DIST_LOGNORMAL, 2, {"mean", "cv"}, {3}, 0, {0}},
    {"pareto", MDL_DIST_PARETO, 3, {"mean", "scale", "shape"}, {5, 6}, 0,
     {0}},
    {"gamma", MDL_DIST_GAMMA, 4, {"mean", "cv", "shape", "scale"}, {3, 12},
     0, {0}},
    {"weibull", MDL_DIST_WEIBULL, 3, {"mean", "shape", "scale"}, {3, 6}, 0,
     {0}},
    {"empirical", MDL_DIST_EMPIRICAL, 2, {"file", "column"}, {1, 3}, 0, {0}},
};

#define NSPECS (sizeof specs / sizeof specs[0])

/* What a parameter measures: a quantity of mdl_units.h, or text. */
typedef enum qty {
    QTY_TIME = MDL_UNITS_TIME, QTY_RATE = MDL_UNITS_RATE,
    QTY_NUMBER = MDL_UNITS_NUMBER, QTY_TEXT
} qty;

/* What a parameter name measures; the same name means the same thing in
 * every distribution. */
static qty param_qty(const char *name)
{
    static const struct {
        const char *name;
        qty q;
    } tab[] = {
        {"mean", QTY_TIME}, {"value", QTY_TIME}, {"min", QTY_TIME},
        {"max", QTY_TIME}, {"scale", QTY_TIME}, {"rate", QTY_RATE},
        {"k", QTY_NUMBER}, {"cv", QTY_NUMBER}, {"shape", QTY_NUMBER},
        {"file", QTY_TEXT}, {"column", QTY_TEXT}
    };
    size_t i;

    for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(tab[i].name, name) == 0)
            return tab[i].q;
    assert(!"parameter missing from param_qty()");
    return QTY_TEXT;
}

/* One parameter as written: tok is the whole value token (with quotes) for
 * columns and messages, [s, e) its content. */
typedef struct arg {
    int set;
    const char *key;        /* the key, or NULL when positional */
    const char *tok, *tok_end;
    const char *s, *e;
    double x;               /* the value, for numeric parameters */
} arg;

typedef struct call {
    const dist_spec *spec;
    arg a[MAX_PARAMS];
    const char *close;      /* the ')' */
    int named;              /* a named parameter has been read */
} call;

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
        rc = blame(ps, (about_column ? column : file)->tok);
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

/* ------------------------------------------------------------------ */
/* The parser                                                           */
/* ------------------------------------------------------------------ */

static const char *scan_ident(const char *s, const char *e)
{
    if (s < e && (isalpha((unsigned char)*s) || *s == '_'))
        s = scan_word(s + 1, e);
    return s;
}

/* Read one value token at s: a quoted string or everything up to the next
 * ',' or ')' (trailing white space dropped). */
static int parse_value(parser *ps, const char *s, const char *e, arg *a,
                       const char **next)
{
    const char *q, *t;

    if (s < e && *s == '"') {
        q = memchr(s + 1, '"', (size_t)(e - s - 1));
        if (!q)
            return fail(ps, s, "unterminated quoted value '%.*s'",
                        span(s, e), s);
        a->tok = s;
        a->tok_end = q + 1;
        a->s = s + 1;
        a->e = q;
        *next = q + 1;
        return SIM_OK;
    }
    for (t = s; t < e && *t != ',' && *t != ')'; t++)
        ;
    *next = t;
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    if (t == s)
        return fail(ps, s, "missing value before '%.*s'",
                    s < e ? 1 : 0, s);
    a->tok = a->s = s;
    a->tok_end = a->e = t;
    return SIM_OK;
}

/* Parse [s, e) of ps->text as a quantity of kind k into *out. */
static int parse_quantity(parser *ps, const char *s, const char *e, qty k,
                          double *out)
{
    const char *at = NULL;

    if (mdl_units_parse(s, e, (mdl_units_kind)k, out, ps->err, ps->errlen,
                        &at) != SIM_OK)
        return blame(ps, at);
    return SIM_OK;
}

/* Parse one argument at *pp, named or the npos-th positional value, and
 * set *which to its index in the spec. At most nparams arguments get
 * here: one more is a duplicate or an extra positional value. */
static int parse_arg(parser *ps, call *c, const char **pp, const char *e,
                     int *npos, int *which)
{
    const dist_spec *sp = c->spec;
    const char *s = *pp, *ke, *eq, *cand;
    arg tmp;
    int i, rc;

    memset(&tmp, 0, sizeof tmp);
    ke = scan_ident(s, e);
    eq = skip_ws(ke, e);
    if (ke > s && eq < e && *eq == '=') {
        for (i = 0; i < sp->nparams; i++)
            if (strlen(sp->params[i]) == (size_t)(ke - s)
                && memcmp(sp->params[i], s, (size_t)(ke - s)) == 0)
                break;
        if (i == sp->nparams) {
            cand = mdl_hint_n(s, (size_t)(ke - s), sp->params,
                              (size_t)sp->nparams);
            if (cand)
                return fail(ps, s, "unknown parameter '%.*s' of %s; did "
                            "you mean '%s'?", span(s, ke), s, sp->name,
                            cand);
            return fail(ps, s, "unknown parameter '%.*s' of %s",
                        span(s, ke), s, sp->name);
        }
        if (c->a[i].set)
            return fail(ps, s, "duplicate parameter '%.*s'", span(s, ke), s);
        tmp.key = s;
        c->named = 1;
        s = skip_ws(eq + 1, e);
    } else {
        if ((rc = parse_value(ps, s, e, &tmp, pp)) != SIM_OK)
            return rc;
        if (c->named)
            return fail(ps, s, "positional value '%.*s' after a named "
                        "parameter", span(tmp.tok, tmp.tok_end), s);
        if (*npos >= sp->npositional) {
            if (sp->npositional == 0)
                return fail(ps, s, "%s takes only named parameters "
                            "(such as %s=...), found '%.*s'", sp->name,
                            sp->params[0], span(tmp.tok, tmp.tok_end), s);
            return fail(ps, s, "too many values for %s at '%.*s'",
                        sp->name, span(tmp.tok, tmp.tok_end), s);
        }
        i = sp->positional[(*npos)++];
    }
    if (tmp.key && (rc = parse_value(ps, s, e, &tmp, pp)) != SIM_OK)
        return rc;
    if (param_qty(sp->params[i]) != QTY_TEXT
        && (rc = parse_quantity(ps, tmp.s, tmp.e, param_qty(sp->params[i]),
                                &tmp.x)) != SIM_OK)
        return rc;
    tmp.set = 1;
    c->a[i] = tmp;
    *which = i;
    return SIM_OK;
}

/* Check the given parameters against the forms of c's distribution: each
 * one, in the order written, must fit some form together with those before
 * it, and all of them must make up a whole form. */
static int check_forms(parser *ps, const call *c, const int order[],
                       int norder)
{
    const dist_spec *sp = c->spec;
    unsigned have = 0, bit;
    int i, j, f, fits;

    for (j = 0; j < norder; j++) {
        i = order[j];
        bit = 1u << i;
        for (fits = 0, f = 0; f < MAX_FORMS && sp->forms[f]; f++)
            if (((have | bit) & ~sp->forms[f]) == 0)
                fits = 1;
        if (!fits) {
            const char *other = "";
            int o;

            for (o = 0; o < sp->nparams; o++)
                if (have & (1u << o)) {
                    other = sp->params[o];
                    break;
                }
            return fail(ps, c->a[i].key ? c->a[i].key : c->a[i].tok,
                        "parameter '%s' conflicts with '%s' in %s",
                        sp->params[i], other, sp->name);
        }
        have |= bit;
    }
    for (f = 0; f < MAX_FORMS && sp->forms[f]; f++) {
        if ((have & ~sp->forms[f]) != 0)
            continue;
        if (have == sp->forms[f])
            return SIM_OK;
        for (i = 0; i < sp->nparams; i++)
            if ((sp->forms[f] & ~have) & (1u << i))
                return fail(ps, c->close, "missing parameter '%s' of %s",
                            sp->params[i], sp->name);
    }
    assert(!"every prefix fits a form");
    return SIM_EPARSE;
}

static int parse_dist(parser *ps, mdl_dist *d, const char *base_dir)
{
    const char *t = ps->text, *e = t + strlen(t), *s, *ne, *cand;
    int order[MAX_PARAMS];
    const char *names[NSPECS];
    call c;
    size_t i;
    int npos = 0, norder = 0, rc;

    memset(&c, 0, sizeof c);
    while (e > t && isspace((unsigned char)e[-1]))
        e--;
    s = skip_ws(t, e);
    if (s == e)
        return fail(ps, s, "empty distribution");
    ne = scan_ident(s, e);
    if (ne == s)
        return fail(ps, s, "expected a distribution name, found '%.*s'",
                    span(s, e), s);
    for (i = 0; i < NSPECS; i++) {
        names[i] = specs[i].name;
        if (strlen(specs[i].name) == (size_t)(ne - s)
            && memcmp(specs[i].name, s, (size_t)(ne - s)) == 0)
            c.spec = &specs[i];
    }
    if (!c.spec) {
        cand = mdl_hint_n(s, (size_t)(ne - s), names, NSPECS);
        if (cand)
            return fail(ps, s, "unknown distribution '%.*s'; did you mean "
                        "'%s'?", span(s, ne), s, cand);
        return fail(ps, s, "unknown distribution '%.*s'", span(s, ne), s);
    }
    s = skip_ws(ne, e);
    if (s == e || *s != '(')
        return fail(ps, s, "expected '(' after '%.*s'%s%.*s%s",
                    span(t, ne), t, s < e ? ", found '" : "",
                    span(s, e), s, s < e ? "'" : "");
    s = skip_ws(s + 1, e);
    if (s < e && *s != ')') {
        for (;;) {
            if ((rc = parse_arg(ps, &c, &s, e, &npos,
                                &order[norder++])) != SIM_OK)
                return rc;
            s = skip_ws(s, e);
            if (s < e && *s == ',') {
                s = skip_ws(s + 1, e);
                continue;
            }
            if (s < e && *s == ')')
                break;
            if (s == e)
                return fail(ps, s, "missing ')' at the end of '%.*s'",
                            span(t, e), t);
            return fail(ps, s, "unexpected '%.*s'; expected ',' or ')'",
                        span(s, e), s);
        }
    }
    if (s == e)
        return fail(ps, s, "missing ')' at the end of '%.*s'", span(t, e),
                    t);
    c.close = s;
    s = skip_ws(s + 1, e);
    if (s < e)
        return fail(ps, s, "unexpected '%.*s' after ')'", span(s, e), s);
    if ((rc = check_forms(ps, &c, order, norder)) != SIM_OK)
        return rc;
    d->kind = c.spec->kind;
    switch (c.spec->kind) {
    case MDL_DIST_EXP:       return build_exp(ps, &c, d);
    case MDL_DIST_DET:       return build_det(ps, &c, d);
    case MDL_DIST_UNIFORM:   return build_uniform(ps, &c, d);
    case MDL_DIST_ERLANG:    return build_erlang(ps, &c, d);
    case MDL_DIST_HYPEREXP:  return build_hyperexp(ps, &c, d);
    case MDL_DIST_LOGNORMAL: return build_lognormal(ps, &c, d);
    case MDL_DIST_PARETO:    return build_pareto(ps, &c, d);
    case MDL_DIST_GAMMA:     return build_gamma(ps, &c, d);
    case MDL_DIST_WEIBULL:   return build_weibull(ps, &c, d);
    case MDL_DIST_EMPIRICAL: return build_empirical(ps, &c, base_dir, d);
    }
    sim_panic(__FILE__, __LINE__, "bad distribution kind %d",
              (int)c.spec->kind);
}

int mdl_dist_parse(mdl_dist *d, const char *text, const char *base_dir,
                   char *err, size_t errlen, int *err_col)
{
    parser ps = {text, err, errlen, err_col};
    int rc;

    memset(d, 0, sizeof *d);
    if (err && errlen > 0)
        err[0] = '\0';
    if (err_col)
        *err_col = 0;
    rc = parse_dist(&ps, d, base_dir);
    /* Every parametrisation checks its own parameters; this catches what
     * slips between them, such as empirical samples near DBL_MAX whose
     * sum or squares overflow. Only pareto may have an infinite scv. */
    if (rc == SIM_OK && (!isfinite(d->mean) || isnan(d->scv) ||
                         (d->kind != MDL_DIST_PARETO && !isfinite(d->scv))))
        rc = fail(&ps, text, "'%s' gives a mean or variance out of range",
                  text);
    if (rc != SIM_OK) {
        mdl_dist_destroy(d);
        if (rc == SIM_ENOMEM)
            fail(&ps, NULL, "out of memory");
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Construction, copy, sampling, formatting                             */
/* ------------------------------------------------------------------ */

void mdl_dist_exp(mdl_dist *d, double mean)
{
    memset(d, 0, sizeof *d);
    d->kind = MDL_DIST_EXP;
    d->p[0] = d->mean = mean;
    d->scv = 1;
}

int mdl_dist_copy(mdl_dist *dst, const mdl_dist *src)
{
    double *s = NULL;

    if (src->samples) {
        s = malloc(src->nsamples * sizeof *s);
        if (!s) {
            memset(dst, 0, sizeof *dst);
            return SIM_ENOMEM;
        }
        memcpy(s, src->samples, src->nsamples * sizeof *s);
    }
    *dst = *src;
    dst->samples = s;
    return SIM_OK;
}

/*
 * Every family here is a scale family: if X ~ D then fX is the same
 * family with its time parameters times f. For the p[] layout of the table
 * above mdl_dist_sample(): exp, det, uniform, hyperexp (phase means),
 * erlang, gamma, pareto and weibull multiply their time entries by f;
 * lognormal shifts mu, since ln(fX) = ln f + ln X; probabilities, shapes
 * and cv stay. Empirical samples are multiplied one by one.
 */
int mdl_dist_scale(mdl_dist *d, double factor)
{
    size_t i;

    if (!(factor > 0) || !isfinite(factor))
        return SIM_EINVAL;
    switch (d->kind) {
    case MDL_DIST_EXP:
    case MDL_DIST_DET:
        d->p[0] *= factor;
        break;
    case MDL_DIST_UNIFORM:
        d->p[0] *= factor;
        d->p[1] *= factor;
        break;
    case MDL_DIST_ERLANG:
    case MDL_DIST_GAMMA:
    case MDL_DIST_PARETO:
    case MDL_DIST_WEIBULL:
        d->p[1] *= factor;
        break;
    case MDL_DIST_HYPEREXP:
        d->p[1] *= factor;
        d->p[2] *= factor;
        break;
    case MDL_DIST_LOGNORMAL:
        d->p[0] += log(factor);
        break;
    case MDL_DIST_EMPIRICAL:
        for (i = 0; i < d->nsamples; i++)
            d->samples[i] *= factor;
        break;
    }
    d->mean *= factor;
    return SIM_OK;
}

void mdl_dist_destroy(mdl_dist *d)
{
    free(d->samples);
    memset(d, 0, sizeof *d);
}

/*
 * What p[] holds, in the argument order of the GSL samplers:
 *   EXP        p0 mean                X = -mean ln(1 - U)
 *   DET        p0 value
 *   UNIFORM    p0 a, p1 b             X = a + (b - a) U
 *   ERLANG     p0 k, p1 mean/k        gamma(k, mean/k)
 *   HYPEREXP   p0 p1, p1 1/mu1, p2 1/mu2, p3 cv
 *   LOGNORMAL  p0 mu, p1 sigma, p2 cv
 *   PARETO     p0 shape a, p1 xm
 *   GAMMA      p0 shape, p1 scale
 *   WEIBULL    p0 shape k, p1 scale lambda
 */
double mdl_dist_sample(const mdl_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case MDL_DIST_EXP:
        /* Inverse transform, the same formula as gsl_ran_exponential()
         * without the call; 1 - U is in (0, 1], so the log is finite. */
        return -d->p[0] * log1p(-gsl_rng_uniform(r));
    case MDL_DIST_DET:
        return d->p[0];
    case MDL_DIST_UNIFORM:
        return d->p[0] + (d->p[1] - d->p[0]) * gsl_rng_uniform(r);
    case MDL_DIST_ERLANG:
    case MDL_DIST_GAMMA:
        return gsl_ran_gamma(r, d->p[0], d->p[1]);
    case MDL_DIST_HYPEREXP:
        return gsl_ran_exponential(r, gsl_rng_uniform(r) < d->p[0]
                                      ? d->p[1] : d->p[2]);
    case MDL_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->p[0], d->p[1]);
    case MDL_DIST_PARETO:
        return gsl_ran_pareto(r, d->p[0], d->p[1]);
    case MDL_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->p[1], d->p[0]);
    case MDL_DIST_EMPIRICAL:
        return d->samples[gsl_rng_uniform_int(r, d->nsamples)];
    }
    sim_panic(__FILE__, __LINE__, "bad distribution kind %d", (int)d->kind);
}

void mdl_dist_format(const mdl_dist *d, char *buf, size_t n)
{
    switch (d->kind) {
    case MDL_DIST_EXP:
        snprintf(buf, n, "exp(mean=%g)", d->mean);
        return;
    case MDL_DIST_DET:
        snprintf(buf, n, "det(value=%g)", d->mean);
        return;
    case MDL_DIST_UNIFORM:
        snprintf(buf, n, "uniform(min=%g, max=%g)", d->p[0], d->p[1]);
        return;
    case MDL_DIST_ERLANG:
        snprintf(buf, n, "erlang(k=%g, mean=%g)", d->p[0], d->mean);
        return;
    case MDL_DIST_HYPEREXP:
        snprintf(buf, n, "hyperexp(mean=%g, cv=%g)", d->mean, d->p[3]);
        return;
    case MDL_DIST_LOGNORMAL:
        snprintf(buf, n, "lognormal(mean=%g, cv=%g)", d->mean, d->p[2]);
        return;
    case MDL_DIST_PARETO:
        snprintf(buf, n, "pareto(mean=%g, shape=%g)", d->mean, d->p[0]);
        return;
    case MDL_DIST_GAMMA:
        snprintf(buf, n, "gamma(shape=%g, scale=%g)", d->p[0], d->p[1]);
        return;
    case MDL_DIST_WEIBULL:
        snprintf(buf, n, "weibull(shape=%g, scale=%g)", d->p[0], d->p[1]);
        return;
    case MDL_DIST_EMPIRICAL:
        /* The file name is not kept; this form is for reports only. */
        snprintf(buf, n, "empirical(n=%zu, mean=%g, cv=%g)", d->nsamples,
                 d->mean, sqrt(d->scv));
        return;
    }
    sim_panic(__FILE__, __LINE__, "bad distribution kind %d", (int)d->kind);
}
