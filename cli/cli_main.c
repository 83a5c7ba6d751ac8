/*
 * cli_main.c - the qmesh command: the table of commands, help, and the
 * commands run and check.
 *
 *   qmesh run SCENARIO [-o DIR] [-r REPS] [-s SEED] [-j JOBS] [--set K=V]...
 *   qmesh check SCENARIO [--set K=V]...
 *   qmesh theory SCENARIO [--set K=V]...      (cli_theory.c)
 *   qmesh plot DIR, run --plot, run --load FROM:TO:STEP   (cli_plot.c)
 *   qmesh graph TOPOLOGY [--dot FILE]         (cli_graph.c)
 *   qmesh help [COMMAND], qmesh COMMAND --help, qmesh --version
 *
 * Exit status: 0 ok, 1 simulation or runtime failure, 2 bad input or
 * usage. Everything the user wrote is checked (loader, stability) before
 * the first event is simulated.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "../analysis/ana_outdir.h"
#include "../analysis/ana_provenance.h"
#include "../analysis/ana_report.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_hint.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../models/mdl_topology.h"
#include "../sim/sim_rep.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

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

static int run_rep(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    return mdl_net_run(ctx, rep, out, NULL, d);
}

/* Index of the system's availability: its interval's n counts the
 * replications in which some request finished. */
static size_t availability_metric(const mdl_net *net)
{
    size_t m;

    for (m = 0; m < mdl_net_nmetrics(net); m++)
        if (!strcmp(mdl_net_scope(net, m), "system")
            && !strcmp(mdl_net_metric(net, m), "availability"))
            return m;
    return 0;
}

/* Why no request finished: too few arrivals for the run's length, or
 * requests slower than the run. */
static void none_finished(const mdl_scenario *s)
{
    double rate = 0;
    size_t i;
    int closed = 0;

    for (i = 0; i < s->nworkloads; i++) {
        if (s->workloads[i].closed)
            closed = 1;
        else if (s->workloads[i].arrival.mean > 0)
            rate += 1 / s->workloads[i].arrival.mean;
    }
    fputs("qmesh: no request finished in any replication: ", stderr);
    if (!closed && rate * s->duration < 1)
        fprintf(stderr, "the run measures %g s after warm-up and requests "
                "arrive at %g/s, %.3g expected in that time; make "
                "run.duration longer\n", s->duration, rate,
                rate * s->duration);
    else
        fprintf(stderr, "requests entered, but none finished within the "
                "%g s measured after warm-up; make run.duration longer\n",
                s->duration);
}

/* Move the finished replications' rows to the front; ids[k] is the
 * replication of row k. */
static unsigned compact(double *results, size_t len, const sim_rep *r,
                        unsigned *ids)
{
    unsigned i, k = 0;

    for (i = 0; i < r->nreps; i++)
        if (r->done[i]) {
            if (k != i)
                memmove(results + (size_t)k * len, results + (size_t)i * len,
                        len * sizeof *results);
            ids[k++] = i;
        }
    return k;
}

int cli__run_one(const cli_opts *o, mdl_scenario *s, const char *dir,
                 const char *load, cli_result *res)
{
    mdl_net *net = NULL;
    ana_theory *th = NULL;
    ana_report rep = {0};
    ana_provenance pv = {0};
    sim_rep run;
    unsigned *ids = NULL;
    progress prog = {0};
    char why[128];
    sim_diag d;
    int rc, status;

    memset(&d, 0, sizeof d);
    memset(&run, 0, sizeof run);
    memset(res, 0, sizeof *res);
    res->mean = res->low = res->high = res->theory = NAN;
    rc = mdl_net_new(&net, s, &d);
    if (rc == SIM_OK && o->show)
        rc = ana_report_check_show(net, o->show, &d);
    if (rc != SIM_OK) {
        mdl_net_free(net);
        return cli__failed(rc, &d);
    }
    status = EXIT_RUNTIME;
    if (ana_theory_new(&th, s) != SIM_OK)
        goto nomem;
    run.nreps = s->replications;
    run.jobs = o->jobs ? (unsigned)o->jobs : 1;
    run.len = mdl_net_result_len(net);
    run.fn = run_rep;
    run.ctx = net;
    run.progress = show_progress;
    run.progress_ctx = &prog;
    run.results = malloc((size_t)run.nreps * run.len * sizeof *run.results);
    run.done = malloc(run.nreps);
    ids = malloc(run.nreps * sizeof *ids);
    if (!run.results || !run.done || !ids)
        goto nomem;
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.tty = !o->quiet && isatty(STDERR_FILENO);
    prog.total = run.nreps;
    if (prog.tty && run.jobs <= 1)
        mdl_net_set_progress(net, show_within, &prog);
    rc = sim_rep_run(&run);
    if (prog.shown)
        fputs("\n", stderr);
    if (rc == SIM_EINTR && run.ndone == 0) {
        fprintf(stderr, "qmesh: stopped by %s before any replication "
                "finished: nothing written\n", sim_sig_name(sim_sig_caught));
        goto done;
    }
    if (rc != SIM_OK && rc != SIM_EINTR) {
        fputs("qmesh: simulation failed: ", stderr);
        if (run.diag.msg[0])
            fprintf(stderr, "%s\n", run.diag.msg);
        else
            fprintf(stderr, "%s\n", sim_strerror(rc));
        goto done;
    }
    res->done = compact(run.results, run.len, &run, ids);
    res->partial = rc == SIM_EINTR;
    if (ana_report_init(&rep, s, net, th, res->done, run.results) != SIM_OK)
        goto nomem;
    if (res->partial)
        rep.ids = ids;
    if (rep.ci[availability_metric(net)].n == 0) {
        none_finished(s);
        goto done;
    }
    res->mean = rep.ci[0].mean;     /* metric 0: the system's latency_mean */
    res->low = rep.ci[0].low;
    res->high = rep.ci[0].high;
    res->theory = ana_theory_get(th, "system", "latency_mean");
    pv.command = o->cmdline;
    pv.s = s;
    pv.replications = run.nreps;
    pv.done = res->done;
    pv.load = load;
    if (res->partial) {
        snprintf(why, sizeof why, "stopped by %s after %u of %u "
                 "replications", sim_sig_name(sim_sig_caught), res->done,
                 run.nreps);
        pv.partial = why;
    }
    if ((rc = ana_report_write(&rep, dir, &d)) != SIM_OK
        || (rc = ana_provenance_write(dir, &pv, &d)) != SIM_OK) {
        status = cli__failed(rc, &d);
        goto done;
    }
    if (!o->quiet) {
        if (res->partial)
            printf("partial result: %s\n", why);
        ana_rows rows = {o->all, o->show};
        ana_report_print(&rep, &rows, stdout);
        if (!th->applies)
            printf("\ntheory: none (%s)\n", th->why);
    }
    status = EXIT_OK;
    goto done;
nomem:
    fputs("qmesh: out of memory\n", stderr);
done:
    ana_report_destroy(&rep);
    free(run.results);
    free(run.done);
    free(ids);
    ana_theory_free(th);
    mdl_net_free(net);
    return status;
}

static int cmd_run(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    ana_outdir out;
    cli_result res;
    sim_diag d;
    int rc, status;

    if (o->load)
        return cli__sweep(o);
    if ((status = cli__load(o, &s, 1)) != EXIT_OK)
        return status;
    memset(&d, 0, sizeof d);
    if (o->output)
        rc = ana_outdir_open(&out, o->output, &d);
    else {
        char dir[4096];
        snprintf(dir, sizeof dir, "results/%s", s->name);
        rc = ana_outdir_open(&out, dir, &d);
    }
    if (rc != SIM_OK) {
        mdl_scenario_free(s);
        return cli__failed(rc, &d);
    }
    sim_sig_catch();
    status = cli__run_one(o, s, out.tmp, NULL, &res);
    if (status == EXIT_OK && !o->quiet)
        putchar('\n');
    if (status == EXIT_OK && o->plot && !sim_sig_caught)
        status = cli__plot_dir(out.tmp, out.path, o->quiet);
    if (status == EXIT_OK && (rc = ana_outdir_commit(&out, &d)) != SIM_OK)
        status = cli__failed(rc, &d);
    else if (status == EXIT_OK && !o->quiet)
        printf("%s written to %s/\n", res.partial ? "partial results"
               : "results", out.path);
    ana_outdir_abandon(&out);
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

static const cli_cmd RUN = {
    "run", cmd_run,
    CLI_OUTPUT | CLI_REPS | CLI_SEED | CLI_JOBS | CLI_SET | CLI_QUIET
        | CLI_PLOT | CLI_LOAD | CLI_ALL | CLI_SHOW,
    "SCENARIO", "scenario file",
    "simulate, print the results table and write CSV files",
    "usage: qmesh run SCENARIO [options]\n"
    "\n"
    "Simulate the scenario, print the results table (theory beside the\n"
    "simulation where theory has an answer) and write the results folder:\n"
    "summary.csv, theory.csv, replications.csv, latency_hist.csv and\n"
    "provenance.csv.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        results folder (default results/<name>);\n"
    "                          replaced as a whole, and only if it holds\n"
    "                          results\n"
    "  -r, --replications N    independent replications (overrides\n"
    "                          run.replications)\n"
    "  -s, --seed N            master seed (overrides run.seed)\n"
    "  -j, --jobs N            replications in N parallel processes\n"
    "      --set KEY=VALUE     override a scenario key (repeatable), e.g.\n"
    "                          --set services.db.servers=4\n"
    "  -q, --quiet             no table, no progress\n"
    "      --all               print every row of the table\n"
    "      --show SCOPES       print the rows of these scopes only: patterns\n"
    "                          separated by commas, e.g.\n"
    "                          --show 'class:*,service:payments'\n"
    "      --plot              also draw the plots into the folder (gnuplot)\n"
    "      --load FROM:TO:STEP set the bottleneck's load to each value (< 1)\n"
    "                          in turn, e.g. 0.1:0.95:0.05 (or one load, 0.8):\n"
    "                          DIR/load/<value>/, DIR/sweep.csv and a plot\n"
    "  -h, --help              show this text\n"
    "\n"
    "By default the table shows the system, the classes, and per service\n"
    "its utilization, its share of the latency and every value theory\n"
    "has; summary.csv holds every row.\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure (a run that cannot advance, or\n"
    "in which no request finished), 2 bad input or usage. SIGINT or\n"
    "SIGTERM writes the finished replications as a partial result.\n"
};

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
    &RUN, &CHECK, &cli__theory_cmd, &cli__plot_cmd, &cli__graph_cmd
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
        status = puts(PACKAGE_STRING) < 0 ? EXIT_RUNTIME : EXIT_OK;
    else if (!(c = find_command(argv[1])))
        status = EXIT_INPUT;
    else if ((rc = cli__parse_opts(argc, argv, c, &o)) != 0)
        status = rc > 0 ? EXIT_OK : EXIT_INPUT;
    else
        status = c->fn(&o);
    free(o.sets);
    status = close_stdout(status);
    sim_sig_reraise();      /* a run stopped by a signal ends by it */
    return status;
}
