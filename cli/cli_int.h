/*
 * cli_int.h - declarations shared by the files of the qmesh command:
 * exit statuses, the parsed options, and the loading every subcommand
 * does first (scenario, --set overrides, stability check).
 */
#ifndef CLI_INT_H
#define CLI_INT_H
#include <stddef.h>
#include "../models/mdl_scenario.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

typedef struct cli_opts {
    const char *cmdline;        /* as typed, before getopt reorders argv */
    const char *cmd, *scenario, *output;
    long reps, jobs;
    unsigned long long seed;
    int have_seed, quiet;
    const char **sets;          /* owned array of borrowed argv strings */
    size_t nsets;
    int plot;                   /* run --plot */
    const char *load;           /* run --load FROM:TO:STEP, or NULL */
} cli_opts;

/* Print "qmesh: " fmt (with arg) and the help hint; return EXIT_INPUT. */
int cli__usage_error(const char *fmt, const char *arg);
/* Parse argv[2..] of command o->cmd into o (zeroed by the caller). Returns
 * 0, or -1 after printing the problem; o->sets must be freed either way. */
int cli__parse_opts(int argc, char **argv, cli_opts *o);
/* Load o->scenario with the --set overrides, apply -r and -s, and, when
 * check is set, check stability (a load sweep checks each load itself).
 * Returns EXIT_OK with *s owned by the caller, or the exit status after
 * printing the diagnostic (*s is then NULL). */
int cli__load(const cli_opts *o, mdl_scenario **s, int check);

/* qmesh theory SCENARIO [--set K=V]...: the analytic solution. */
int cli_theory(int argc, char **argv);

/* The command line argv[0..argc-1], each argument shell-quoted where it
 * needs it, into buf ("qmesh" for argv[0]). */
void cli__command_line(int argc, char **argv, char *buf, size_t n);
/* Print the problem of a failed library call (d, or "out of memory")
 * and return its exit status: 2 for bad input, else 1. */
int cli__failed(int rc, const sim_diag *d);

/* What one run produced: for a load sweep's table, the system's mean
 * latency, its interval and theory's value (NaN when there is none); and
 * how many replications finished. */
typedef struct cli_result {
    double mean, low, high, theory;
    unsigned done;
    int partial;                /* stopped by a signal before the end */
} cli_result;

/* Simulate s (borrowed, checked) and write its files, provenance.csv
 * included, into the folder dir: what `qmesh run` does for one scenario
 * (cli_main.c). load labels a sweep point (NULL otherwise). Prints the
 * table unless o->quiet. Returns the exit status with res filled; when
 * a signal stopped the run, the finished replications are written as a
 * partial result (EXIT_OK, res->partial) or, with none finished,
 * EXIT_RUNTIME. */
int cli__run_one(const cli_opts *o, mdl_scenario *s, const char *dir,
                 const char *load, cli_result *res);

/* qmesh plot DIR [-q]: plot a results folder or a sweep (cli_plot.c). */
int cli_plot(int argc, char **argv);
/* Write and render the plots of the results folder dir (`run --plot`),
 * telling what it drew under the name shown (dir's final name, when dir
 * is still a temporary). When gnuplot is missing, says so once on
 * stderr. Returns the exit status. */
int cli__plot_dir(const char *dir, const char *shown, int quiet);
/* qmesh run SCENARIO --load FROM:TO:STEP: a results folder per load of
 * the bottleneck, sweep.csv and the sweep plot. Returns the exit status
 * (EXIT_INPUT for a load >= 1, before anything is simulated). */
int cli__sweep(const cli_opts *o);

/* qmesh graph TOPOLOGY [--dot FILE]: degrees, centrality, call depth,
 * fan-out, blast radius, critical paths and DOT export (cli_graph.c). */
int cli_graph(int argc, char **argv);

#endif /* CLI_INT_H */
