/*
 * cli_plot.c - plots of results folders:
 *
 *   qmesh plot DIR [-q]                    plot an existing results folder
 *   qmesh run SCENARIO --plot ...          plot after writing the CSVs
 *
 * A folder may hold one run's results, a load sweep's, or both, or a
 * comparison's (compare.csv: qmesh compare draws it itself); the
 * plots themselves are ana_plot's. When gnuplot is not on PATH, scripts
 * and data files are still written and one line says how to get the
 * images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../analysis/ana_gnuplot.h"
#include "../analysis/ana_plot.h"
#include "cli_int.h"

/* Whether the "gnuplot missing" line has been printed by this process. */
static int told_missing;

void cli__tell_missing(const char *dir)
{
    if (told_missing)
        return;
    told_missing = 1;
    fprintf(stderr, "qmesh: gnuplot not found on PATH: plots skipped (the "
            ".gp scripts and data are in %s/); 'apt-get install "
            "gnuplot-nox' makes them\n", dir);
}

/* Print a failure of ana_plot_*() and return the exit status. */
static int plot_failed(int rc, const sim_diag *d)
{
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    fputs("qmesh: ", stderr);
    sim_diag_print(d, stderr);
    return rc == SIM_EPARSE ? EXIT_INPUT : EXIT_RUNTIME;
}

static int exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

int cli__plot_dir(const char *dir, const char *shown, int quiet)
{
    char *gnuplot = ana_gnuplot_find();
    int rc = SIM_OK, have_sum = exists(dir, "summary.csv");
    int have_sweep = exists(dir, "sweep.csv");
    int have_cmp = exists(dir, "compare.csv");
    unsigned drawn = 0;
    char names[64] = "";
    sim_diag d;

    memset(&d, 0, sizeof d);
    if (!have_sum && !have_sweep && !have_cmp) {
        free(gnuplot);
        fprintf(stderr, "qmesh: '%s' is not a results folder: it has no "
                "summary.csv, sweep.csv or compare.csv\n", dir);
        return EXIT_INPUT;
    }
    if (have_sum)
        rc = ana_plot_results(dir, gnuplot, &drawn, &d);
    if (rc == SIM_OK && have_sweep)
        rc = ana_plot_sweep(dir, gnuplot, &d);
    if (rc == SIM_OK && have_cmp)
        rc = ana_plot_compare(dir, gnuplot, &d);
    if (rc != SIM_OK) {
        free(gnuplot);
        return plot_failed(rc, &d);
    }
    snprintf(names, sizeof names, "%s%s%s%s%s%s%s%s%s",
             drawn & ANA_PLOT_LATENCY ? "latency" : "",
             drawn & ANA_PLOT_LATENCY && drawn & ANA_PLOT_STATIONS ? ", " : "",
             drawn & ANA_PLOT_STATIONS ? "stations" : "",
             drawn & (ANA_PLOT_LATENCY | ANA_PLOT_STATIONS)
             && drawn & ANA_PLOT_TIMESERIES ? ", " : "",
             drawn & ANA_PLOT_TIMESERIES ? "timeseries" : "",
             drawn && have_sweep ? ", " : "", have_sweep ? "sweep" : "",
             (drawn || have_sweep) && have_cmp ? ", " : "",
             have_cmp ? "compare" : "");
    if (!gnuplot)
        cli__tell_missing(shown);
    else if (!quiet && names[0])
        printf("plots written to %s/: %s (PNG and SVG, with their .gp "
               "scripts)\n", shown, names);
    else if (!quiet)
        printf("nothing to plot in %s/\n", shown);
    free(gnuplot);
    return EXIT_OK;
}

static int cmd_plot(const cli_opts *o)
{
    return cli__plot_dir(o->arg, o->arg, o->quiet);
}

const cli_cmd cli__plot_cmd = {
    "plot", cmd_plot, CLI_QUIET, "DIR", "results folder",
    "gnuplot scripts and PNG/SVG plots of a results folder",
    "usage: qmesh plot DIR [-q]\n"
    "\n"
    "Draw the plots of a results folder written by 'qmesh run' or 'qmesh\n"
    "compare': the latency histogram and distribution with p50/p95/p99,\n"
    "the stations' utilization and queue beside theory, throughput,\n"
    "availability, p99 and breaker state against time with the failure\n"
    "windows shaded, for a load sweep the mean and p99 latency against\n"
    "load, and for a comparison each variant's differences from the first\n"
    "with their intervals. Each plot is a gnuplot script (NAME.gp, to\n"
    "restyle and rerun) with its data, rendered as NAME.png and NAME.svg\n"
    "when gnuplot is installed.\n"
    "\n"
    "options:\n"
    "  -q, --quiet   print nothing on success\n"
    "  -h, --help    show this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.\n"
};
