/*
 * ana_plot.h - gnuplot scripts and images of a results folder
 * (DESIGN.md section 6), and of a load sweep.
 *
 * Everything is read back from the folder's CSV files, so a folder
 * written by an earlier run can be plotted again: summary.csv (required),
 * theory.csv, latency_hist.csv, timeseries.csv and provenance.csv (used
 * when present). Written next to
 * them, each through a temporary file and a rename:
 *
 *   latency.gp    histogram and CDF of the latency of the system and of
 *                 each class, p50/p95/p99 marked; log time axis in ms
 *   stations.gp   utilization and mean number in station (jobs_mean) of
 *                 every station, with CI error bars and theory markers
 *   timeseries.gp throughput, availability and p99 latency of the
 *                 system and each class, and the share of time each
 *                 breaker was open, against time: the mean of the
 *                 replications per window (timeseries.csv), the
 *                 scenario's failure windows (provenance.csv) shaded
 *   sweep.gp      (load sweeps) mean and p99 latency against load, CI
 *                 error bars, theory curves where theory exists;
 *                 (qmesh sweep) chosen metrics against the first axis
 *   compare.gp    (comparisons) each variant's difference from the
 *                 first in mean and p99 latency and availability, per
 *                 class, with its paired and unpaired intervals, from
 *                 compare.csv
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
#include "ana_grid.h"

enum { ANA_PLOT_LATENCY = 1, ANA_PLOT_STATIONS = 2, ANA_PLOT_TIMESERIES = 4 };
/* Write latency.gp and stations.gp with their data files into dir, from
 * the CSV files there, and render them with gnuplot (the path from
 * ana_gnuplot_find()) unless gnuplot is NULL. The latency plot is left
 * out when dir has no latency_hist.csv, the station plot when there are
 * no stations, the time series when there is no timeseries.csv; *drawn
 * gets the ANA_PLOT_* bits of those written. */
int ana_plot_results(const char *dir, const char *gnuplot, unsigned *drawn,
                     sim_diag *d);

/* Write sweep.gp with its data files into dir from dir/sweep.csv (and
 * dir/sweep_theory.csv when present; ana_sweep.h) and render it unless
 * gnuplot is NULL. */
int ana_plot_sweep(const char *dir, const char *gnuplot, sim_diag *d);

/* Write sweep.gp with plot_sweep.dat into dir, the folder of a `qmesh
 * sweep` over the points of g (status[k] ANA_POINT_DONE: dir/points/k
 * holds its results): metric[0..n-1] ("scope.metric") against the first
 * axis, a line per combination of the other axes (ana_plot_grid.c); and
 * render it unless gnuplot is NULL. */
int ana_plot_grid(const char *dir, const ana_grid *g,
                  const unsigned char *status, const char *const *metric,
                  size_t n, const char *title, const char *gnuplot,
                  sim_diag *d);
/* Write compare.gp with its data file into dir from dir/compare.csv
 * (ana_compare.h) and render it unless gnuplot is NULL. */
int ana_plot_compare(const char *dir, const char *gnuplot, sim_diag *d);

#endif /* ANA_PLOT_H */
