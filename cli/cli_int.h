/*
 * cli_int.h - declarations shared by the files of the qmesh command:
 * exit statuses, the parsed options, and the loading every subcommand
 * does first (scenario, --set overrides, stability check).
 */
#ifndef CLI_INT_H
#define CLI_INT_H
#include <stddef.h>
#include <time.h>
#include "../analysis/ana_run.h"
#include "../models/mdl_scenario.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

/* The options a command may take, as a bit set. */
enum {
    CLI_OUTPUT = 1u << 0,       /* -o, --output DIR */
    CLI_REPS = 1u << 1,         /* -r, --replications N */
    CLI_SEED = 1u << 2,         /* -s, --seed N */
    CLI_JOBS = 1u << 3,         /* -j, --jobs N */
    CLI_SET = 1u << 4,          /* --set KEY=VALUE */
    CLI_QUIET = 1u << 5,        /* -q, --quiet */
    CLI_PLOT = 1u << 6,         /* --plot */
    CLI_LOAD = 1u << 7,         /* --load FROM:TO:STEP */
    CLI_ALL = 1u << 8,          /* --all */
    CLI_SHOW = 1u << 9,         /* --show SCOPES */
    CLI_DOT = 1u << 10,         /* --dot FILE */
    CLI_SWEEP = 1u << 11,       /* --axis, --zip, --metric, --find, --slo */
    CLI_VARIANT = 1u << 12,     /* --variant NAME:KEY=VALUE,... */
    CLI_SERVICES = 1u << 13,    /* -n, --services N */
    CLI_MANY = 1u << 14         /* not an option: the command takes one
                                   argument or more */
};

typedef struct cli_opts {
    const char *cmdline;        /* as typed, before getopt reorders argv */
    const char *cmd;            /* the command's name */
    const char *arg;            /* its (first) argument: scenario, folder,
                                   topology or kind */
    char **args;                /* CLI_MANY: its nargs arguments, arg the
                                   first (borrowed from argv) */
    size_t nargs;
    const char *output, *load, *show, *dot;
    long reps, jobs, services;  /* 0 when not given */
    unsigned long long seed;
    int have_seed, quiet, plot, all;
    const char **sets;          /* owned array of borrowed argv strings */
    size_t nsets;
    const char **axes;          /* --axis, as sets */
    size_t naxes;
    const char **metrics;       /* --metric */
    size_t nmetrics;
    const char **slos;          /* --slo */
    size_t nslos;
    const char *find;           /* --find */
    int zip;                    /* --zip */
    const char **variants;      /* the same, for --variant */
    size_t nvariants;
} cli_opts;

/* A command: what it takes and what `qmesh CMD --help` says. */
typedef struct cli_cmd {
    const char *name;
    int (*fn)(const cli_opts *o);
    unsigned opts;              /* CLI_* */
    const char *argname;        /* "SCENARIO", "DIR", "TOPOLOGY", "KIND" */
    const char *arg;            /* "scenario file": in messages */
    const char *summary;        /* a line for `qmesh help` */
    const char *help;           /* the whole text of `qmesh CMD --help` */
} cli_cmd;

/* Parse argv[2..] for command c into o (zeroed by the caller). Returns 0;
 * 1 after printing c's help (-h, --help); or -1 after printing the
 * problem (an unknown option, with a hint; an option of another command;
 * a missing or extra argument). cli__free_opts(o) either way. */
int cli__parse_opts(int argc, char **argv, const cli_cmd *c, cli_opts *o);
void cli__free_opts(cli_opts *o);
/* Load o->arg with the --set overrides and -r and -s, and, when check
 * is set, check stability (a load sweep checks each load itself).
 * Returns EXIT_OK with *s owned by the caller, or the exit status after
 * printing the diagnostic (*s is then NULL). */
int cli__load(const cli_opts *o, mdl_scenario **s, int check);
/* mdl_scenario_load() of path with the overrides sets and, as overrides
 * too, -r and -s (run.replications, run.seed): before sets when first is
 * set (so that a sweep's axis on them wins), else after them. The file's
 * checks that depend on the replications, such as the size of the
 * results, then see those that will run. */
int cli__scenario_load(const cli_opts *o, const char *path,
                       const char *const *sets, size_t n, int first,
                       mdl_scenario **s, sim_diag *d);

/* The commands, each in its own file. */
extern const cli_cmd cli__run_cmd;      /* cli_run.c */
extern const cli_cmd cli__theory_cmd;   /* cli_theory.c */
extern const cli_cmd cli__plot_cmd;     /* cli_plot.c */
extern const cli_cmd cli__graph_cmd;    /* cli_graph.c */
extern const cli_cmd cli__sweep_cmd;    /* cli_sweep.c */
extern const cli_cmd cli__compare_cmd;  /* cli_compare.c */
extern const cli_cmd cli__gen_cmd;      /* cli_gen.c */

/* The progress line of a run on a terminal: after two seconds,
 * "qmesh: [label]D/T replications, S s, about L s left" on stderr. */
typedef struct cli_progress {
    struct timespec start;
    int shown, tty;
    const char *label;          /* "" or e.g. "variant 2 of 3, 'b': " */
    unsigned base, all;         /* replications before this run, and in
                                   all (0: this run's total) */
    unsigned done, total;       /* of this run */
} cli_progress;
/* Start the clock; nothing is shown when o->quiet or stderr is not a
 * terminal. */
void cli__progress_start(cli_progress *p, const cli_opts *o);
/* Have the replications of ro report to p. */
void cli__progress_attach(cli_progress *p, ana_run_opts *ro);
/* End the line once a run is over, when it was shown. */
void cli__progress_end(cli_progress *p);

/* The command line argv[0..argc-1], each argument shell-quoted where it
 * needs it, into buf ("qmesh" for argv[0]). */
void cli__command_line(int argc, char **argv, char *buf, size_t n);
/* Print the problem of a failed library call (d, or "out of memory")
 * and return its exit status: 2 for bad input, else 1. */
int cli__failed(int rc, const sim_diag *d);

/* Write and render the plots of the results folder dir (`run --plot`),
 * telling what it drew under the name shown (dir's final name, when dir
 * is still a temporary). When gnuplot is missing, says so once on
 * stderr (cli__tell_missing()). Returns the exit status (cli_plot.c). */
int cli__plot_dir(const char *dir, const char *shown, int quiet);
/* Say, once per process, that gnuplot is missing and that dir holds the
 * scripts and data. */
void cli__tell_missing(const char *dir);

#endif /* CLI_INT_H */
