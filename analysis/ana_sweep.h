/*
 * ana_sweep.h - the tables of a sweep: sweep.csv, every metric of every
 * point, and sweep_theory.csv, the theory curves drawn through them
 * (the plot itself is ana_plot_sweep()). Loads are the bottleneck's
 * utilization; values are in the units of summary.csv (s, 1/s,
 * fractions). Each file is written through a temporary file and a
 * rename (ana_file.h).
 */
#ifndef ANA_SWEEP_H
#define ANA_SWEEP_H
#include <stddef.h>
#include "../sim/sim_err.h"
#include "ana_theory.h"

/* Write dir/sweep.csv, columns <the axes>,scope,metric,mean,ci_low,
 * ci_high,n,theory, from the results folders dir/sub[i] (relative to
 * dir) of n points: every row of their summary.csv, with the value of
 * their theory.csv (empty when there is none), after the point's values
 * value[i * naxes .. i * naxes + naxes - 1] of the axes named axis[]. A
 * load sweep has one axis, "load". Returns SIM_OK, or SIM_EPARSE,
 * SIM_EIO or SIM_ENOMEM with d. */
int ana_sweep_csv(const char *dir, size_t naxes, const char *const *axis,
                  size_t n, const char *const *value,
                  const char *const *sub, sim_diag *d);
/* Write dir/sweep_theory.csv, columns load,scope,metric,value: every
 * value of th[i] (borrowed; NULL or not applying: skipped) at load[i].
 * When no th[i] applies, the file is removed instead (an old one would
 * belong to another model). Returns SIM_OK, or SIM_EIO with d. */
int ana_sweep_theory(const char *dir, size_t n, const double *load,
                     const ana_theory *const *th, sim_diag *d);

#endif /* ANA_SWEEP_H */
