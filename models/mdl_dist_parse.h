/*
 * mdl_dist_parse.h - the one string syntax of time distributions in
 * scenario and topology files, read into the values of mdl_dist.h.
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
 * Every value is in seconds after parsing. Sample files are read as
 * mdl_empirical.h says.
 */
#ifndef MDL_DIST_PARSE_H
#define MDL_DIST_PARSE_H
#include <stddef.h>
#include "mdl_dist.h"

/* Parse text into d. base_dir resolves a relative empirical file (NULL: the
 * working directory). On error returns SIM_EPARSE, leaves d zeroed, writes a
 * message (lower case, naming the bad part, e.g. "unknown distribution
 * 'expo'; did you mean 'exp'?") into err and the 1-based column of the bad
 * part within text into *err_col (1 when unknown). Parameters must be
 * positive and finite where the distribution needs it. */
int mdl_dist_parse(mdl_dist *d, const char *text, const char *base_dir,
                   char *err, size_t errlen, int *err_col);

#endif /* MDL_DIST_PARSE_H */
