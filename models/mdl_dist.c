/*
 * mdl_dist.c - the distribution values of mdl_dist.h: construction,
 * copy, scaling, sampling and formatting.
 *
 * A value is made by mdl_dist_exp(), by mdl_dist_copy() or by the parser
 * (mdl_dist_parse.h), whose parametrisations (mdl_dist_build.c) set mean
 * and scv exactly and p[] in the form the GSL samplers want, as the table
 * above mdl_dist_sample() says. An empirical distribution owns a copy of
 * its samples and is drawn uniformly with replacement.
 *
 * mdl_dist_sample() is on the simulator's hot path: one switch, no
 * allocation, no checks (the parser has done them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "../sim/sim_err.h"
#include "../sim/sim_variate.h"
#include "mdl_dist.h"

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
 *   EXP        p0 mean                X = mean E, E ~ Exp(1) by ziggurat
 *   DET        p0 value
 *   UNIFORM    p0 a, p1 b             X = a + (b - a) U
 *   ERLANG     p0 k, p1 mean/k        gamma(k, mean/k)
 *   HYPEREXP   p0 p1, p1 1/mu1, p2 1/mu2, p3 cv   a phase, then mean E
 *   LOGNORMAL  p0 mu, p1 sigma, p2 cv     X = exp(mu + sigma Z), Z ~ N(0, 1)
 *                                         by GSL's ziggurat
 * The ziggurats (sim_variate.h) take one 32-bit number for most draws,
 * where inversion takes a log and the polar method two uniforms, a log
 * and a square root: they are most of the cost of a draw.
 *   PARETO     p0 shape a, p1 xm
 *   GAMMA      p0 shape, p1 scale
 *   WEIBULL    p0 shape k, p1 scale lambda
 */
double mdl__dist_sample_any(const mdl_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case MDL_DIST_EXP:
        return d->p[0] * sim_ran_exp(r);
    case MDL_DIST_DET:
        return d->p[0];
    case MDL_DIST_UNIFORM:
        return d->p[0] + (d->p[1] - d->p[0]) * gsl_rng_uniform(r);
    case MDL_DIST_ERLANG:
    case MDL_DIST_GAMMA:
        return gsl_ran_gamma(r, d->p[0], d->p[1]);
    case MDL_DIST_HYPEREXP:
        return (gsl_rng_uniform(r) < d->p[0] ? d->p[1] : d->p[2])
               * sim_ran_exp(r);
    case MDL_DIST_LOGNORMAL:
        return exp(d->p[0] + d->p[1] * gsl_ran_gaussian_ziggurat(r, 1.0));
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
