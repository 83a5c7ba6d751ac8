/*
 * ana_plot_int.h - what the plot writers share (ana_plot.c: latency,
 * stations, sweeps; ana_plot_series.c: the time series): data and script
 * strings, titles, the frame of every script, scopes and colours.
 * Nothing outside analysis/ana_plot*.c includes it.
 */
#ifndef ANA_PLOT_INT_H
#define ANA_PLOT_INT_H
#include <stddef.h>
#include <stdio.h>
#include "../sim/sim_err.h"

#define PATH_MAX_ 4096

/* Colours (Paul Tol's bright scheme: tell-apart for colour-blind eyes). */
#define C_SIM "#4477aa"
#define C_THEORY "#ee6677"
#define C_P50 "#228833"
#define C_P95 "#ccbb44"
#define C_P99 "#aa3377"

/* A number in a gnuplot data file. */
void ana__dat_num(FILE *f, double x);
/* s as a double-quoted string in a data file (which has no escapes:
 * a " becomes '). */
void ana__dat_str(FILE *f, const char *s);
/* s as a gnuplot single-quoted string ('' stands for '). */
void ana__gp_str(FILE *f, const char *s);
/* What to call the results in dir in titles: the scenario's name from
 * provenance.csv, with "at load X" for a point of a load sweep; else the
 * folder's name. */
void ana__title_of(const char *dir, char *buf, size_t n);
/* The start of every script: what it draws, and the output loop; ends
 * inside `set multiplot`, which the caller completes. */
void ana__gp_head(FILE *f, const char *name, const char *what,
                  const char *from, int width, int height, const char *title);
void ana__gp_tail(FILE *f);
/* Distinct strings of list[0..n-1] (stride bytes apart, a const char *
 * at the start of each element) that pass keep() (NULL: all), in
 * first-seen order, into out (n slots). Returns how many. */
size_t ana__distinct(const void *list, size_t n, size_t stride,
                     int (*keep)(const char *), const char **out);
/* Is s "system" or "class:NAME"? */
int ana__is_request_scope(const char *s);
/* Request scopes worth a panel, of sc[0..n-1]: the system and each
 * class, but only the system when there is one class (its numbers are
 * the system's). Returns how many, first in sc. */
size_t ana__panel_scopes(const char **sc, size_t n);
/* A scope as people say it: "system", "class browse", "service db". */
void ana__scope_words(const char *scope, char *buf, size_t n);

/* ana_plot_series.c: timeseries.gp from dir/timeseries.csv, if any
 * (ANA_PLOT_TIMESERIES in *drawn), rendered when gnuplot is not NULL. */
int ana__plot_timeseries(const char *dir, const char *gnuplot,
                         unsigned *drawn, sim_diag *d);

#endif /* ANA_PLOT_INT_H */
