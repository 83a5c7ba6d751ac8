/*
 * mdl_dist.h - probability distributions of times, sampled through GSL:
 * exponential, constant, uniform, Erlang, two-phase hyperexponential,
 * lognormal, Pareto, gamma, Weibull and empirical (drawn from samples).
 *
 * A distribution is made by mdl_dist_parse() from its text form
 * (mdl_dist_parse.h), by mdl_dist_exp() or by mdl_dist_copy(). Every time
 * is in seconds. An mdl_dist owns its samples.
 */
#ifndef MDL_DIST_H
#define MDL_DIST_H
#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "../sim/sim_variate.h"

typedef enum mdl_dist_kind {
    MDL_DIST_EXP, MDL_DIST_DET, MDL_DIST_UNIFORM, MDL_DIST_ERLANG,
    MDL_DIST_HYPEREXP, MDL_DIST_LOGNORMAL, MDL_DIST_PARETO, MDL_DIST_GAMMA,
    MDL_DIST_WEIBULL, MDL_DIST_EMPIRICAL
} mdl_dist_kind;

typedef struct mdl_dist {
    mdl_dist_kind kind;  /* read-only */
    double mean;         /* read-only: s */
    double scv;          /* read-only: squared coefficient of variation,
                            INFINITY when the variance is infinite */
    double p[4];         /* private: kind-specific parameters */
    double *samples;     /* private: EMPIRICAL only, owned */
    size_t nsamples;     /* private */
} mdl_dist;

/* An exponential distribution with the given mean (s). */
void mdl_dist_exp(mdl_dist *d, double mean);
/* Deep copy src into dst (dst is overwritten, not freed first).
 * Returns SIM_OK or SIM_ENOMEM. */
int mdl_dist_copy(mdl_dist *dst, const mdl_dist *src);
/* Multiply every time of d by factor (> 0, finite): samples, the mean and
 * every time parameter scale by factor, the scv is unchanged (so
 * exp(mean=5ms) scaled by 2 is exp(mean=10ms), its rate halved). Returns
 * SIM_OK, or SIM_EINVAL with d unchanged when factor is not positive. */
int mdl_dist_scale(mdl_dist *d, double factor);
/* Release what d owns; d may be reused after mdl_dist_parse/exp/copy. */
void mdl_dist_destroy(mdl_dist *d);
/* One variate (s), >= 0; the exponential inline, as most models draw
 * little else, any other kind by mdl__dist_sample_any(). */
double mdl__dist_sample_any(const mdl_dist *d, gsl_rng *r);
static inline double mdl_dist_sample(const mdl_dist *d, gsl_rng *r)
{
    if (d->kind == MDL_DIST_EXP)
        return d->p[0] * sim_ran_exp(r);
    return mdl__dist_sample_any(d, r);
}
/* Write a canonical text form such as "exp(mean=0.005)" into buf. */
void mdl_dist_format(const mdl_dist *d, char *buf, size_t n);

#endif /* MDL_DIST_H */
