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

/* What a load sweep prints of each run: the system's mean latency, its
 * interval, and theory's value (NaN when there is none). */
typedef struct cli_headline {
    double mean, low, high, theory;
} cli_headline;

/* Simulate s (borrowed, checked) into the results folder dir: what
 * `qmesh run` does for one scenario (cli_main.c). Prints the table unless
 * o->quiet; fills head unless it is NULL. Returns the exit status. */
int cli__run_one(const cli_opts *o, mdl_scenario *s, const char *dir,
                 cli_headline *head);

/* qmesh plot DIR [-q]: plot a results folder or a sweep (cli_plot.c). */
int cli_plot(int argc, char **argv);
/* Write and render the plots of the results folder dir (`run --plot`).
 * When gnuplot is missing, says so once on stderr. Returns the exit
 * status. */
int cli__plot_dir(const char *dir, int quiet);
/* qmesh run SCENARIO --load FROM:TO:STEP: a results folder per load of
 * the bottleneck, sweep.csv and the sweep plot. Returns the exit status
 * (EXIT_INPUT for a load >= 1, before anything is simulated). */
int cli__sweep(const cli_opts *o);

/* qmesh graph TOPOLOGY [--dot FILE]: degrees, centrality, call depth,
 * fan-out, blast radius, critical paths and DOT export (cli_graph.c). */
int cli_graph(int argc, char **argv);

#endif /* CLI_INT_H */
