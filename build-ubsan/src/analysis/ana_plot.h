/*
 * ana_plot.h - gnuplot scripts and images of a results folder
 * (DESIGN.md section 6), and of a load sweep.
 *
 * Everything is read back from the folder's CSV files, so a folder
 * written by an earlier run can be plotted again: summary.csv (required),
 * theory.csv and latency_hist.csv (used when present). Written next to
 * them, each through a temporary file and a rename:
 *
 *   latency.gp    histogram and CDF of the latency of the system and of
 *                 each class, p50/p95/p99 marked; log time axis in ms
 *   stations.gp   utilization and mean number in station (jobs_mean) of
 *                 every station, with CI error bars and theory markers
 *   sweep.gp      (load sweeps) mean and p99 latency against load, CI
 *                 error bars, theory curves where theory exists
 *
 * Each script reads only plot_*.dat files in its folder, by relative name,
 * and draws both NAME.png (pngcairo) and NAME.svg, so a user can restyle
 * it and run `gnuplot NAME.gp` in the folder. Times in the plots are ms.
 *
 * Errors: SIM_EPARSE with d naming the CSV file (and its line) that is
 * missing or malformed; SIM_EIO with d naming the file that could not be
 * written, or the script gnuplot failed on; SIM_ENOMEM.
 */
#ifndef ANA_PLOT_H
#define ANA_PLOT_H
#include <stddef.h>
#include "../sim/sim_err.h"
#include "ana_theory.h"

/* The gnuplot executable found on PATH, as a heap string the caller
 * frees, or NULL when there is none (or out of memory). */
char *ana_plot_gnuplot(void);

enum { ANA_PLOT_LATENCY = 1, ANA_PLOT_STATIONS = 2 };
/* Write latency.gp and stations.gp with their data files into dir, from
 * the CSV files there, and render them with gnuplot (the path from
 * ana_plot_gnuplot()) unless gnuplot is NULL. The latency plot is left
 * out when dir has no latency_hist.csv, the station plot when there are
 * no stations; *drawn gets the ANA_PLOT_* bits of those written. */
int ana_plot_results(const char *dir, const char *gnuplot, unsigned *drawn,
                     sim_diag *d);

/* Write dir/sweep.csv, columns load,scope,metric,mean,ci_low,ci_high,n,
 * theory, from the results folders dir/sub[i] (relative to dir) of the
 * loads load[0..n-1]: every row of their summary.csv, with the value of
 * their theory.csv (empty when there is none). */
int ana_plot_sweep_csv(const char *dir, size_t n, const double *load,
                       const char *const *sub, sim_diag *d);

/* Write dir/sweep_theory.csv, columns load,scope,metric,value: every
 * value of th[i] (borrowed; NULL or not applying: skipped) at load[i],
 * the theory curves of the sweep plot. When no th[i] applies, the file is
 * removed instead (an old one would belong to another model). */
int ana_plot_sweep_theory(const char *dir, size_t n, const double *load,
                          const ana_theory *const *th, sim_diag *d);

/* Write sweep.gp with its data files into dir from dir/sweep.csv (and
 * dir/sweep_theory.csv when present) and render it unless gnuplot is
 * NULL. */
int ana_plot_sweep(const char *dir, const char *gnuplot, sim_diag *d);

#endif /* ANA_PLOT_H */
