/*
 * cli_main.c - the qmesh command: the table of commands, help, and the
 * command check.
 *
 *   qmesh run SCENARIO [-o DIR] [-r REPS] [-s SEED] [-j JOBS] [--set K=V]...
 *   qmesh run SCENARIO --load FROM:TO:STEP     (cli_run.c)
 *   qmesh compare A B... | SCENARIO --variant NAME:K=V,...  (cli_compare.c)
 *   qmesh check SCENARIO [--set K=V]...
 *   qmesh theory SCENARIO [--set K=V]...      (cli_theory.c)
 *   qmesh plot DIR, run --plot                (cli_plot.c)
 *   qmesh graph TOPOLOGY [--dot FILE]         (cli_graph.c)
 *   qmesh gen KIND [-n N] [-s SEED] [--set P=V]... -o DIR   (cli_gen.c)
 *   qmesh help [COMMAND], qmesh COMMAND --help, qmesh --version
 *
 * Under mpirun (built --with-mpi), rank 0 runs the command and every
 * other rank only simulates its replications (analysis/ana_mpi.h).
 *
 * Exit status: 0 ok, 1 simulation or runtime failure, 2 bad input or
 * usage. Everything the user wrote is checked (loader, stability) before
 * the first event is simulated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "../analysis/ana_mpi.h"
#include "../models/mdl_hint.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../models/mdl_topology.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

static int cmd_check(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    sim_diag d;
    int rc, status = cli__load(o, &s, 1);

    if (status != EXIT_OK)
        return status;
    memset(&d, 0, sizeof d);
    rc = mdl_net_new(&net, s, &d);
    if (rc != SIM_OK)
        status = cli__failed(rc, &d);
    else if (!o->quiet)
        printf("%s: ok (%zu service%s, %zu edge%s, %zu workload%s)\n",
               s->path, s->topo->nservices,
               s->topo->nservices == 1 ? "" : "s", s->topo->nedges,
               s->topo->nedges == 1 ? "" : "s", s->nworkloads,
               s->nworkloads == 1 ? "" : "s");
    mdl_net_free(net);
    mdl_scenario_free(s);
    return status;
}

/* Standard output is checked once, at the end: a full disk or a closed
 * pipe there is a failure (exit 1), not a silent loss. */
static int close_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "qmesh: cannot write standard output: %s\n",
                strerror(errno ? errno : EIO));
        return status == EXIT_OK ? EXIT_RUNTIME : status;
    }
    return status;
}

static const cli_cmd CHECK = {
    "check", cmd_check, CLI_SET | CLI_QUIET, "SCENARIO",
    "scenario file",
    "validate the scenario and its topology only",
    "usage: qmesh check SCENARIO [--set KEY=VALUE]... [-q]\n"
    "\n"
    "Load and check the scenario and its topology as 'qmesh run' would,\n"
    "stability included, without simulating: every problem is reported\n"
    "as FILE:LINE:COLUMN: error: ...\n"
    "\n"
    "options:\n"
    "      --set KEY=VALUE  override a scenario key (repeatable)\n"
    "  -q, --quiet          print nothing when the scenario is valid\n"
    "  -h, --help           show this text\n"
    "\n"
    "Exit status: 0 valid, 1 runtime failure, 2 bad input or usage.\n"
};

static const cli_cmd *const COMMANDS[] = {
    &cli__run_cmd, &cli__sweep_cmd, &cli__compare_cmd, &CHECK,
    &cli__theory_cmd, &cli__plot_cmd, &cli__graph_cmd, &cli__gen_cmd
};
#define NCOMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

static void usage(FILE *out)
{
    size_t i;

    fputs("usage: qmesh <command> [options]\n\ncommands:\n", out);
    for (i = 0; i < NCOMMANDS; i++) {
        char head[40];
        snprintf(head, sizeof head, "%s %s", COMMANDS[i]->name,
                 COMMANDS[i]->argname);
        fprintf(out, "  %-16s %s\n", head, COMMANDS[i]->summary);
    }
    fputs("  help [COMMAND]   show this text, or a command's\n"
          "\n'qmesh COMMAND --help' tells a command's options, 'qmesh "
          "--version'\nthe version. Exit status: 0 ok, 1 runtime failure, "
          "2 bad input\nor usage.\n", out);
}

/* The command called name, or NULL after saying so (with a hint). */
static const cli_cmd *find_command(const char *name)
{
    const char *names[NCOMMANDS + 1], *hint;
    size_t i;

    for (i = 0; i < NCOMMANDS; i++) {
        if (!strcmp(name, COMMANDS[i]->name))
            return COMMANDS[i];
        names[i] = COMMANDS[i]->name;
    }
    names[NCOMMANDS] = "help";
    hint = mdl_hint(name, names, NCOMMANDS + 1);
    fprintf(stderr, "qmesh: unknown command '%s'", name);
    if (hint)
        fprintf(stderr, "; did you mean '%s'?", hint);
    fputs("\n(see 'qmesh help')\n", stderr);
    return NULL;
}

/* qmesh --version: the version, then whether MPI is built in. */
static int version(void)
{
    const char *mpi = ana_mpi_library();

    if (printf("%s\n", PACKAGE_STRING) < 0)
        return EXIT_RUNTIME;
    if (mpi)
        printf("MPI: %s (mpirun -n N spreads replications over N - 1 "
               "ranks)\n", mpi);
    else
        puts("MPI: none (./configure --with-mpi to run across a cluster)");
    return EXIT_OK;
}

/* qmesh help [COMMAND] */
static int help(int argc, char **argv)
{
    const cli_cmd *c;

    if (argc < 3 || !strcmp(argv[2], "help") || !strcmp(argv[2], "--help")
        || !strcmp(argv[2], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc > 3) {
        fputs("qmesh: help: expected at most one command\n"
              "(see 'qmesh help')\n", stderr);
        return EXIT_INPUT;
    }
    if (!(c = find_command(argv[2])))
        return EXIT_INPUT;
    fputs(c->help, stdout);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    static char cmdline[8192];
    const cli_cmd *c = NULL;
    cli_opts o;
    int status, rc;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    /* Ranks other than 0 of an MPI job serve rank 0, then end here. */
    if (ana_mpi_start(&argc, &argv, &status))
        return status;
    memset(&o, 0, sizeof o);
    cli__command_line(argc, argv, cmdline, sizeof cmdline);
    o.cmdline = cmdline;
    if (argc < 2) {
        fputs("qmesh: missing command\n", stderr);
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")
        || !strcmp(argv[1], "-h"))
        status = help(argc, argv);
    else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
        status = version();
    else if (!(c = find_command(argv[1])))
        status = EXIT_INPUT;
    else if ((rc = cli__parse_opts(argc, argv, c, &o)) != 0)
        status = rc > 0 ? EXIT_OK : EXIT_INPUT;
    else {
        /* The job's workers stand for -j, in pool sizes and rounds. */
        if (ana_mpi_workers() > 0) {
            if (o.jobs && !o.quiet)
                fprintf(stderr, "qmesh: -j is ignored under MPI: the "
                        "job's %u worker rank%s run the replications\n",
                        ana_mpi_workers(), ana_mpi_workers() == 1 ? "" : "s");
            o.jobs = (long)ana_mpi_workers();
        }
        status = c->fn(&o);
    }
    cli__free_opts(&o);
    status = close_stdout(status);
    ana_mpi_stop();         /* before a signal may end the process */
    sim_sig_reraise();      /* a run stopped by a signal ends by it */
    return status;
}
