/*
 * cli_main.c - the qmesh command: argument parsing and subcommands.
 *
 *   qmesh run SCENARIO [-o DIR] [-r REPS] [-s SEED] [-j JOBS] [--set K=V]...
 *   qmesh check SCENARIO [--set K=V]...
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

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

static const char USAGE[] =
    "usage: qmesh <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     simulate, print the results table and write CSV files\n"
    "  check SCENARIO   validate the scenario and its topology only\n"
    "  help             show this text\n"
    "\n"
    "options of run and check:\n"
    "  -o, --output DIR        results folder (default results/<name>)\n"
    "  -r, --replications N    independent replications (overrides run.replications)\n"
    "  -s, --seed N            master seed (overrides run.seed)\n"
    "  -j, --jobs N            replications in N parallel processes\n"
    "      --set KEY=VALUE     override a scenario key, e.g.\n"
    "                          --set services.db.servers=4 (repeatable)\n"
    "  -q, --quiet             no table, no progress\n";

typedef struct opts {
    const char *cmd, *scenario, *output;
    long reps, jobs;
    unsigned long long seed;
    int have_seed, quiet;
    const char **sets;
    size_t nsets;
} opts;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("qmesh: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see 'qmesh help')\n", stderr);
    return EXIT_INPUT;
}

static int parse_count(const char *arg, const char *name, long max, long *out)
{
    char *end;
    long x = strtol(arg, &end, 10);

    if (end == arg || *end || x < 1 || x > max) {
        fprintf(stderr, "qmesh: %s must be a whole number from 1 to %ld, "
                "found '%s'\n", name, max, arg);
        return -1;
    }
    *out = x;
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"jobs", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0}
    };
    int c;

    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        return -1;
    optind = 2;
    while ((c = getopt_long(argc, argv, "o:r:s:j:q", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'S': o->sets[o->nsets++] = optarg; break;
        case 'r':
            if (parse_count(optarg, "--replications", 1000000, &o->reps) < 0)
                return -1;
            break;
        case 'j':
            if (parse_count(optarg, "--jobs", 1024, &o->jobs) < 0)
                return -1;
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || *optarg == '-') {
                fprintf(stderr, "qmesh: --seed must be a non-negative "
                        "integer, found '%s'\n", optarg);
                return -1;
            }
            o->have_seed = 1;
            break;
        default:
            fputs("(see 'qmesh help')\n", stderr);
            return -1;
        }
    }
    if (optind != argc - 1) {
        usage_error(optind >= argc ? "%s: missing scenario file"
                                   : "%s: expected one scenario file",
                    o->cmd);
        return -1;
    }
    o->scenario = argv[optind];
    return 0;
}

/* Load, apply command-line settings and check stability. */
static int load(const opts *o, mdl_scenario **s)
{
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(s, o->scenario, o->sets, o->nsets, &d);
    if (rc == SIM_OK) {
        if (o->reps)
            (*s)->replications = (unsigned)o->reps;
        if (o->have_seed)
            (*s)->seed = o->seed;
        rc = ana_theory_stability(*s, &d);
    }
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    if (rc != SIM_OK) {
        fputs("qmesh: ", stderr);
        sim_diag_print(&d, stderr);
        mdl_scenario_free(*s);
        *s = NULL;
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* ---- run ---- */

typedef struct progress {
    struct timespec start;
    int shown, tty;
} progress;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (t.tv_nsec - t0->tv_nsec);
}

static void show_progress(void *ctx, unsigned done, unsigned total)
{
    progress *p = ctx;
    double t = elapsed(&p->start);

    if (!p->tty || (t < 2.0 && !p->shown))
        return;
    p->shown = 1;
    fprintf(stderr, "\rqmesh: %u/%u replications, %.0f s, about %.0f s "
            "left ", done, total, t, t / done * (total - done));
    fflush(stderr);
}

static int run_rep(void *ctx, unsigned rep, double *out)
{
    return mdl_net_run(ctx, rep, out, NULL);
}

static int cmd_run(const opts *o)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    ana_theory *th = NULL;
    ana_report rep = {0};
    double *results = NULL;
    progress prog = {0};
    sim_diag d;
    char dir[4096];
    int rc, status = load(o, &s);

    if (status != EXIT_OK)
        return status;
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
    if (o->output)
        snprintf(dir, sizeof dir, "%s", o->output);
    else
        snprintf(dir, sizeof dir, "results/%s", s->name);
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
    mdl_scenario_free(s);
    return status;
}

static int cmd_check(const opts *o)
{
    mdl_scenario *s = NULL;
    mdl_net *net = NULL;
    sim_diag d;
    int rc, status = load(o, &s);

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
    opts o;
    int status;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    memset(&o, 0, sizeof o);
    if (argc < 2)
        return usage_error("%s", "missing command"), EXIT_INPUT;
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
    if (strcmp(o.cmd, "run") && strcmp(o.cmd, "check"))
        return usage_error("unknown command '%s'", o.cmd);
    if (parse_opts(argc, argv, &o) < 0) {
        free(o.sets);
        return EXIT_INPUT;
    }
    status = !strcmp(o.cmd, "run") ? cmd_run(&o) : cmd_check(&o);
    free(o.sets);
    return status;
}
