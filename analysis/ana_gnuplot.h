/*
 * ana_gnuplot.h - gnuplot, the program that renders the plots: where it
 * is, and running it on a script in a results folder.
 *
 * A script NAME.gp draws NAME.png and NAME.svg, naming them with the
 * prefix in its variable out_prefix (ana_plot.h); the images replace
 * older ones only once both are drawn.
 */
#ifndef ANA_GNUPLOT_H
#define ANA_GNUPLOT_H
#include "../sim/sim_err.h"

/* The gnuplot executable found on PATH, as a heap string the caller
 * frees, or NULL when there is none (or out of memory). */
char *ana_gnuplot_find(void);
/* Run gnuplot (a path from ana_gnuplot_find()) on dir/NAME.gp in dir and
 * move its images into place as dir/NAME.png and dir/NAME.svg. Returns
 * SIM_OK, or SIM_EIO with d when gnuplot cannot run, fails, or leaves an
 * image out. */
int ana_gnuplot_render(const char *dir, const char *gnuplot,
                       const char *name, sim_diag *d);

#endif /* ANA_GNUPLOT_H */
