/*
 * cli_main.c - the qmesh command: argument parsing and subcommands.
 *
 *   qmesh run SCENARIO [-o DIR] [-r REPS] [-s SEED] [-j JOBS] [--set K=V]...
 *   qmesh check SCENARIO [--set K=V]...
 *   qmesh theory SCENARIO [--set K=V]...      (cli_theory.c)
 *   qmesh plot DIR, run --plot, run --load FROM:TO:STEP   (cli_plot.c)
 *
 * Exit status: 0 ok, 1 simulation or runtime failure, 2 bad input or
 * usage. Everything the user wrote is checked (loader, stability) before
 * the first event is simulated.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "../analysis/ana_report.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_rep.h"
#include "cli_int.h"

static const char USAGE[] =
    "usage: qmesh <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     simulate, print the results table and write CSV files\n"
    "  check SCENARIO   validate the scenario and its topology only\n"
    "  theory SCENARIO  the analytic (queueing-theory) solution, formula by\n"
    "                   formula; takes --set only\n"
    "  plot DIR         gnuplot scripts and PNG/SVG plots of a results folder\n"
    "  graph TOPOLOGY   degrees, centrality, call depth, fan-out, blast radius\n"
    "                   and critical paths of a topology; --dot FILE also\n"
    "                   writes a Graphviz export\n"
    "  help             show this text\n"
    "\n"
    "options of run and check:\n"
    "  -o, --output DIR        results folder (default results/<name>)\n"
    "  -r, --replications N    independent replications (overrides run.replications)\n"
    "  -s, --seed N            master seed (overrides run.seed)\n"
    "  -j, --jobs N            replications in N parallel processes\n"
    "      --set KEY=VALUE     override a scenario key, e.g.\n"
    "                          --set services.db.servers=4 (repeatable)\n"
    "  -q, --quiet             no table, no progress\n"
    "      --plot              run: also write plots into the results folder\n"
    "      --load FROM:TO:STEP run: set the bottleneck's load to each value\n"
    "                          (< 1) in turn, e.g. 0.1:0.95:0.05; writes\n"
    "                          DIR/load/<value>/, DIR/sweep.csv and a plot\n";

/* ---- run ---- */

typedef struct progress {
    struct timespec start;
    int shown, tty;
    unsigned done, total;   /* replications */
} progress;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (t.tv_nsec - t0->tv_nsec);
}

/* Shown on a terminal once a run has taken two seconds. */
static void show(progress *p, double done)
{
    double t = elapsed(&p->start);

    if (!p->tty || (t < 2.0 && !p->shown) || !(done > 0))
        return;
    p->shown = 1;
    fprintf(stderr, "\rqmesh: %u/%u replications, %.0f s, about %.0f s "
            "left ", p->done, p->total, t, t / done * (p->total - done));
    fflush(stderr);
}

static void show_progress(void *ctx, unsigned done, unsigned total)
{
    progress *p = ctx;

    p->done = done;
    p->total = total;
    show(p, done);
}

/* Within a replication (one process only): replications done plus the
 * fraction of the current one. */
static void show_within(void *ctx, double frac)
{
    progress *p = ctx;

    show(p, p->done + (frac < 1 ? frac : 1));
}

static int run_rep(void *ctx, unsigned rep, double *out)
{
    return mdl_net_run(ctx, rep, out, NULL);
}

int cli__run_one(const cli_opts *o, mdl_scenario *s, const char *dir,
                 cli_headline *head)
{
    mdl_net *net = NULL;
    ana_theory *th = NULL;
    ana_report rep = {0};
    double *results = NULL;
    progress prog = {0};
    sim_diag d;
    int rc, status;

    memset(&d, 0, sizeof d);
    rc = mdl_net_new(&net, s, &d);
    if (rc != SIM_OK) {
        status = rc == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
        if (rc == SIM_ENOMEM)
            fputs("qmesh: out of memory\n", stderr);
        else {
            fputs("qmesh: ", stderr);
            sim_diag_print(&d, stderr);
        }
        goto done;
    }
    status = EXIT_RUNTIME;
    if (ana_theory_new(&th, s) != SIM_OK)
        goto nomem;
    results = malloc((size_t)s->replications * mdl_net_result_len(net)
                     * sizeof *results);
    if (!results)
        goto nomem;
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.tty = !o->quiet && isatty(STDERR_FILENO);
    prog.total = s->replications;
    if (prog.tty && o->jobs <= 1)
        mdl_net_set_progress(net, show_within, &prog);
    rc = sim_rep_run(s->replications, o->jobs ? (unsigned)o->jobs : 1,
                     mdl_net_result_len(net), run_rep, net, results,
                     show_progress, &prog);
    if (prog.shown)
        fputs("\n", stderr);
    if (rc != SIM_OK) {
        fprintf(stderr, "qmesh: simulation failed: %s\n", sim_strerror(rc));
        goto done;
    }
    if (ana_report_init(&rep, s, net, th, s->replications, results)
        != SIM_OK)
        goto nomem;
    if (head) {     /* metric 0 is the system's latency_mean */
        head->mean = rep.ci[0].mean;
        head->low = rep.ci[0].low;
        head->high = rep.ci[0].high;
        head->theory = ana_theory_get(th, "system", "latency_mean");
    }
    if (ana_report_write(&rep, dir, &d) != SIM_OK) {
        fputs("qmesh: ", stderr);
        sim_diag_print(&d, stderr);
        goto done;
    }
    if (!o->quiet) {
        ana_report_print(&rep, stdout);
        if (!th->applies)
            printf("\ntheory: none (%s)\n", th->why);
        printf("\nresults written to %s/\n", dir);
    }
    status = EXIT_OK;
    goto done;
nomem:
    fputs("qmesh: out of memory\n", stderr);
done:
    ana_report_destroy(&rep);
    free(results);
    ana_theory_free(th);
    mdl_net_free(net);
    return status;
}

static int cmd_run(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    char dir[4096];
    int status;

    if (o->load)
        return cli__sweep(o);
    if ((status = cli__load(o, &s, 1)) != EXIT_OK)
        return status;
    if (o->output)
        snprintf(dir, sizeof dir, "%s", o->output);
    else
        snprintf(dir, sizeof dir, "results/%s", s->name);
    status = cli__run_one(o, s, dir, NULL);
    if (status == EXIT_OK && o->plot)
        status = cli__plot_dir(dir, o->quiet);
    mdl_scenario_free(s);
    return status;
}

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
    if (rc == SIM_OK) {
        if (!o->quiet)
            printf("%s: ok (%zu services, %zu edges, %zu workloads)\n",
                   s->path, s->topo->nservices, s->topo->nedges,
                   s->nworkloads);
    } else if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        status = EXIT_RUNTIME;
    } else {
        fputs("qmesh: ", stderr);
        sim_diag_print(&d, stderr);
        status = EXIT_INPUT;
    }
    mdl_net_free(net);
    mdl_scenario_free(s);
    return status;
}

int main(int argc, char **argv)
{
    cli_opts o;
    int status;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    memset(&o, 0, sizeof o);
    if (argc < 2)
        return cli__usage_error("%s", "missing command"), EXIT_INPUT;
    o.cmd = argv[1];
    if (!strcmp(o.cmd, "help") || !strcmp(o.cmd, "--help")
        || !strcmp(o.cmd, "-h")) {
        fputs(USAGE, stdout);
        return EXIT_OK;
    }
    if (!strcmp(o.cmd, "--version")) {
        puts(PACKAGE_STRING);
        return EXIT_OK;
    }
    if (strcmp(o.cmd, "run") && strcmp(o.cmd, "check")
        && strcmp(o.cmd, "theory") && strcmp(o.cmd, "plot")
        && strcmp(o.cmd, "graph"))
        return cli__usage_error("unknown command '%s'", o.cmd);
    if (!strcmp(o.cmd, "graph"))
        return cli_graph(argc, argv);
    if (!strcmp(o.cmd, "plot"))
        return cli_plot(argc, argv);
    if (!strcmp(o.cmd, "theory"))
        return cli_theory(argc, argv);
    if (cli__parse_opts(argc, argv, &o) < 0) {
        free(o.sets);
        return EXIT_INPUT;
    }
    status = !strcmp(o.cmd, "run") ? cmd_run(&o) : cmd_check(&o);
    free(o.sets);
    return status;
}
