/*
 * mdl_dist.h - probability distributions of times, written in the one
 * string syntax of scenario and topology files, sampled through GSL.
 *
 * Syntax (whitespace allowed around tokens; names case-sensitive):
 *   exp(mean=5ms) | exp(rate=200/s) | exp(5ms)      exponential
 *   poisson(rate=200/s)                             exponential inter-arrivals
 *   det(2ms) | det(value=2ms)                       constant
 *   uniform(1ms, 3ms) | uniform(min=1ms, max=3ms)
 *   erlang(k=3, mean=5ms)
 *   hyperexp(mean=5ms, cv=3)       two-phase, balanced means, cv >= 1
 *   lognormal(mean=5ms, cv=1.5)
 *   pareto(mean=5ms, shape=2.5)    | pareto(scale=1ms, shape=2.5); shape > 1
 *   gamma(mean=5ms, cv=0.5)        | gamma(shape=2, scale=2.5ms)
 *   weibull(mean=5ms, shape=1.5)   | weibull(shape=1.5, scale=4ms)
 *   empirical(file=samples.csv)    | empirical(file=x.csv, column=latency)
 * Times take units s, ms, us, m (minutes), h; a bare number is seconds.
 * Rates take /s, /m, /h; a bare number is per second (mdl_units.h).
 * Every value is in seconds after parsing. An mdl_dist owns its samples.
 */
#ifndef MDL_DIST_H
#define MDL_DIST_H
#include <stddef.h>
#include <gsl/gsl_rng.h>

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

/* Parse text into d. base_dir resolves a relative empirical file (NULL: the
 * working directory). On error returns SIM_EPARSE, leaves d zeroed, writes a
 * message (lower case, naming the bad part, e.g. "unknown distribution
 * 'expo'; did you mean 'exp'?") into err and the 1-based column of the bad
 * part within text into *err_col (1 when unknown). Parameters must be
 * positive and finite where the distribution needs it. */
int mdl_dist_parse(mdl_dist *d, const char *text, const char *base_dir,
                   char *err, size_t errlen, int *err_col);
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
/* One variate (s), >= 0. */
double mdl_dist_sample(const mdl_dist *d, gsl_rng *r);
/* Write a canonical text form such as "exp(mean=0.005)" into buf. */
void mdl_dist_format(const mdl_dist *d, char *buf, size_t n);

#endif /* MDL_DIST_H */
