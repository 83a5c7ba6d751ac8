/*
 * cli_run.c - the command run: one scenario, or a load sweep of it.
 *
 *   qmesh run SCENARIO [-o DIR] [-r REPS] [-s SEED] [-j JOBS] [--set K=V]...
 *   qmesh run SCENARIO --load FROM:TO:STEP ...
 *
 * The runs themselves are ana_run's; this file reads the options, shows
 * progress on a terminal, and prints the tables and what went wrong.
 * Results go to a temporary folder that replaces DIR (default
 * results/<name>) only when complete (ana_outdir.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_outdir.h"
#include "../analysis/ana_gnuplot.h"
#include "../analysis/ana_run.h"
#include "../analysis/ana_theory.h"
#include "../analysis/ana_warmup.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

#define MAX_POINTS 1000     /* loads in one sweep */

/* ---- failures ---- */

/* Why no request finished: too few arrivals for the run's length, or
 * requests slower than the run. */
static void none_finished(const mdl_scenario *s)
{
    double rate = ana_run_open_rate(s);
    size_t i;
    int closed = 0;

    for (i = 0; i < s->nworkloads; i++)
        if (s->workloads[i].closed)
            closed = 1;
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

/* Tell why the replications of r gave nothing to write (rc from
 * ana_run_reps(), or no request finished); returns the exit status. */
static int run_failed(int rc, const ana_run *r)
{
    if (rc == SIM_ENOMEM)
        fputs("qmesh: out of memory\n", stderr);
    else if (rc == SIM_EINTR)
        fprintf(stderr, "qmesh: stopped by %s before any replication "
                "finished: nothing written\n", sim_sig_name(sim_sig_caught));
    else if (rc != SIM_OK)
        fprintf(stderr, "qmesh: simulation failed: %s\n",
                r->diag.msg[0] ? r->diag.msg : sim_strerror(rc));
    else
        none_finished(r->s);
    return EXIT_RUNTIME;
}

/* ---- warmup: auto ---- */

/* The warnings of an automatic warm-up: a run that looks too short to
 * have reached steady state, and failures with a window that begins
 * within the warm-up chosen, where nothing is measured. */
static void warn_warmup(const ana_run *r)
{
    const mdl_scenario *s = r->s;
    const mdl_topology *t = s->topo;
    size_t i;

    if (!r->warm.on)
        return;
    if (!r->warm.settled)
        fprintf(stderr, "qmesh: warning: %s: the run looks too short to "
                "have reached steady state: MSER-5 finds %s still settling "
                "at half of run.duration (%g s), so the warm-up is that "
                "half, %g s; make run.duration longer\n", s->path,
                r->warm.unsettled, s->duration, r->warm.warmup);
    for (i = 0; i < s->nfailures; i++) {
        const mdl_failure *f = &s->failures[i];
        char at[32] = "";

        if (!ana_warmup_windowed(f) || !(f->at < s->warmup))
            continue;
        if (f->line > 0)
            snprintf(at, sizeof at, ":%d", f->line);
        fprintf(stderr, "qmesh: warning: %s%s: failure '%s' of %s%s%s "
                "begins at %g s, within the automatic warm-up of %g s, "
                "where nothing is measured (failure times count from the "
                "start, warm-up included)\n", s->path, at,
                mdl_fail_mode_name(f->mode), f->service >= 0
                ? t->services[f->service].name
                : t->services[t->edges[f->edge].from].name,
                f->service >= 0 ? "" : "->", f->service >= 0 ? ""
                : t->services[t->edges[f->edge].to].name, f->at, s->warmup);
    }
}

/* ---- one run ---- */

/* Simulate s into the folder dir and print its table unless quiet;
 * *partial tells whether a stop request cut the run short. Returns the
 * exit status. */
static int run_one(const cli_opts *o, const mdl_scenario *s, const char *dir,
                   int *partial)
{
    ana_run r;
    ana_run_opts ro = {0};
    cli_progress prog = {0};
    sim_diag d;
    int rc, status;

    memset(&d, 0, sizeof d);
    rc = ana_run_init(&r, s, &d);
    if (rc == SIM_OK && o->show)
        rc = ana_report_check_show(r.net, o->show, &d);
    if (rc != SIM_OK) {
        ana_run_destroy(&r);
        return cli__failed(rc, &d);
    }
    cli__progress_start(&prog, o);
    prog.total = r.nreps;
    ro.jobs = o->jobs ? (unsigned)o->jobs : 1;
    cli__progress_attach(&prog, &ro);
    rc = ana_run_reps(&r, &ro);
    cli__progress_end(&prog);
    if (rc == SIM_OK)
        warn_warmup(&r);
    if (rc != SIM_OK || r.finished == 0)
        status = run_failed(rc, &r);
    else if ((rc = ana_run_write(&r, dir, o->cmdline, NULL, &d)) != SIM_OK)
        status = cli__failed(rc, &d);
    else {
        if (!o->quiet) {
            ana_rows rows = {o->all, o->show};
            if (r.partial[0])
                printf("partial result: %s\n", r.partial);
            if (s->precision.on && !r.partial[0]) {
                char note[512];
                ana_run_precision_note(&r, note, sizeof note);
                printf("precision: %s\n", note);
            }
            ana_report_print(&r.rep, &rows, stdout);
            if (!r.th->applies)
                printf("\ntheory: none (%s)\n", r.th->why);
        }
        *partial = r.partial[0] != '\0';
        status = EXIT_OK;
    }
    ana_run_destroy(&r);
    return status;
}

/* ---- load sweeps ---- */

/* Parse "FROM:TO:STEP" (or one load "X") into the loads, rounded to 1e-9
 * so that 0.1 + 4 * 0.05 prints as 0.3. Returns the number of loads, or 0
 * after printing the problem. */
static size_t parse_loads(const char *spec, double *load)
{
    /* The smallest load: the rounding must not make a load 0, and a run
     * at a lower load sees next to no requests. */
    const double min_load = 0.001;
    double x[3], span;
    const char *s = spec;
    char *end;
    size_t n, i;
    int nf = 0;

    for (;;) {
        x[nf] = strtod(s, &end);
        if (end == s || !isfinite(x[nf]))
            break;
        nf++;
        if (*end == '\0' || *end != ':' || nf == 3)
            break;
        s = end + 1;
    }
    if (nf == 1 && *end == '\0') {         /* one load */
        x[1] = x[0];
        x[2] = 1;
        nf = 3;
    }
    if (nf != 3 || *end != '\0' || !(x[0] >= min_load) || !(x[1] >= x[0])
        || !(x[2] > 0)) {
        fprintf(stderr, "qmesh: --load must be FROM:TO:STEP with %g <= FROM "
                "<= TO < 1 and STEP > 0 (e.g. 0.1:0.95:0.05), found '%s'\n",
                min_load, spec);
        return 0;
    }
    if (x[1] >= 1) {
        fprintf(stderr, "qmesh: --load '%s' reaches load %g: at load 1 or "
                "more the bottleneck's queue grows without bound "
                "(unstable); use loads below 1\n", spec, x[1]);
        return 0;
    }
    /* (TO - FROM) / STEP + 1 loads, compared as a double: a tiny STEP
     * makes it larger than any integer type holds. */
    span = floor((x[1] - x[0]) / x[2] + 1e-9);
    if (!(span < MAX_POINTS)) {
        fprintf(stderr, "qmesh: --load '%s' has %.4g loads; at most %d\n",
                spec, span + 1, MAX_POINTS);
        return 0;
    }
    n = (size_t)span + 1;
    for (i = 0; i < n; i++)
        load[i] = round((x[0] + (double)i * x[2]) * 1e9) / 1e9;
    return n;
}

/* What the table of a sweep needs as it goes. */
typedef struct sweep_table {
    const cli_opts *o;
    const char *bottleneck;     /* the service's name */
    const char *shown;          /* the folder as the user will find it */
    const char *gnuplot;        /* NULL when it is not on PATH */
    size_t rows;
    int failed;                 /* a load's run failed: told */
} sweep_table;

static const char *fmt_ms(double x, char *buf, size_t n)
{
    snprintf(buf, n, "%.4g", 1e3 * x);
    return buf;
}

/* A latency interval in ms: the mean, and [low, high] when there is one. */
static const char *fmt_ci(const ana_ci *ci, char *buf, size_t n)
{
    if (isnan(ci->low))
        snprintf(buf, n, "%.4g", 1e3 * ci->mean);
    else
        snprintf(buf, n, "%.4g [%.4g, %.4g]", 1e3 * ci->mean, 1e3 * ci->low,
                 1e3 * ci->high);
    return buf;
}

static int sweep_row(void *ctx, const ana_run_point *p)
{
    sweep_table *t = ctx;
    const ana_run *r = p->run;
    char ci[96], th[32];
    double theory;

    if (p->rc == SIM_OK)
        warn_warmup(r);
    if (p->rc != SIM_OK || r->finished == 0) {
        t->failed = run_failed(p->rc, r);
        return 1;
    }
    if (t->o->plot && !sim_sig_caught && !t->gnuplot)
        cli__tell_missing(p->dir);
    if (t->o->quiet)
        return 0;
    if (t->rows++ == 0)
        printf("load: utilization of '%s', the bottleneck\n\n"
               "%-6s %-12s %-24s %-10s %s%s\n", t->bottleneck, "load",
               "arrivals/s", "latency ms [95% CI]", "theory ms",
               r->warm.on ? "warm-up s  " : "", "results");
    theory = ana_theory_get(r->th, "system", "latency_mean");
    /* metric 0 is the system's latency_mean */
    printf("%-6.4g %-12.6g %-24s %-10s ", p->load, p->rate,
           fmt_ci(&r->rep.ci[0], ci, sizeof ci),
           isnan(theory) ? "-" : fmt_ms(theory, th, sizeof th));
    if (r->warm.on)
        printf("%-10g ", r->warm.warmup);
    printf("%s/%s/%s\n", t->shown, p->sub,
           r->partial[0] ? " (partial)" : "");
    fflush(stdout);
    return 0;
}

/* qmesh run SCENARIO --load FROM:TO:STEP: a results folder per load of
 * the bottleneck, sweep.csv and the sweep plot. */
static int sweep(const cli_opts *o)
{
    double load[MAX_POINTS], rho;
    char dir[4200];
    size_t n = parse_loads(o->load, load), k, done;
    mdl_scenario *s = NULL;
    ana_run_sweep_opts so = {0};
    sweep_table t = {0};
    ana_outdir out;
    char *gnuplot = NULL;
    sim_diag d;
    int rc, status;

    if (n == 0)
        return EXIT_INPUT;
    if ((status = cli__load(o, &s, 0)) != EXIT_OK)
        return status;
    memset(&d, 0, sizeof d);
    rc = ana_run_bottleneck(s, &rho, &k, &d);
    if (rc == SIM_OK && !(rho > 0)) {
        fprintf(stderr, "qmesh: --load needs an open workload (one with "
                "an arrival rate) to scale; '%s' has none\n", s->path);
        mdl_scenario_free(s);
        return EXIT_INPUT;
    }
    if (rc == SIM_OK) {
        snprintf(dir, sizeof dir, "results/%s", s->name);
        rc = ana_outdir_open(&out, o->output ? o->output : dir, &d);
    }
    if (rc != SIM_OK) {
        mdl_scenario_free(s);
        return cli__failed(rc, &d);
    }
    sim_sig_catch();
    gnuplot = ana_gnuplot_find();
    t.o = o;
    t.bottleneck = s->topo->services[k].name;
    t.shown = out.path;
    t.gnuplot = gnuplot;
    so.run.jobs = o->jobs ? (unsigned)o->jobs : 1;
    so.command = o->cmdline;
    so.spec = o->load;
    so.plot = o->plot;
    so.gnuplot = gnuplot;
    so.point = sweep_row;
    so.ctx = &t;
    rc = ana_run_sweep(s, load, n, out.tmp, &so, &done, &d);
    if (rc == SIM_OK)
        rc = ana_outdir_commit(&out, &d);
    if (rc == 1)
        status = t.failed ? t.failed : EXIT_RUNTIME;
    else if (rc != SIM_OK)
        status = cli__failed(rc, &d);
    else if (!gnuplot && !sim_sig_caught)
        cli__tell_missing(out.path);
    else if (!o->quiet) {
        printf("\n%s written to %s/sweep.csv", sim_sig_caught
               ? "partial sweep" : "sweep", out.path);
        if (gnuplot && !sim_sig_caught)
            printf(", plotted in %s/sweep.png and .svg", out.path);
        putchar('\n');
    }
    ana_outdir_abandon(&out);
    free(gnuplot);
    mdl_scenario_free(s);
    return status;
}

/* ---- the command ---- */

static int cmd_run(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    ana_outdir out;
    char dir[4096];
    sim_diag d;
    int rc, status, partial = 0;

    if (o->load)
        return sweep(o);
    if ((status = cli__load(o, &s, 1)) != EXIT_OK)
        return status;
    memset(&d, 0, sizeof d);
    snprintf(dir, sizeof dir, "results/%s", s->name);
    rc = ana_outdir_open(&out, o->output ? o->output : dir, &d);
    if (rc != SIM_OK) {
        mdl_scenario_free(s);
        return cli__failed(rc, &d);
    }
    sim_sig_catch();
    status = run_one(o, s, out.tmp, &partial);
    if (status == EXIT_OK && !o->quiet)
        putchar('\n');
    if (status == EXIT_OK && o->plot && !sim_sig_caught)
        status = cli__plot_dir(out.tmp, out.path, o->quiet);
    if (status == EXIT_OK && (rc = ana_outdir_commit(&out, &d)) != SIM_OK)
        status = cli__failed(rc, &d);
    else if (status == EXIT_OK && !o->quiet)
        printf("%s written to %s/\n", partial ? "partial results"
               : "results", out.path);
    ana_outdir_abandon(&out);
    mdl_scenario_free(s);
    return status;
}

const cli_cmd cli__run_cmd = {
    "run", cmd_run,
    CLI_OUTPUT | CLI_REPS | CLI_SEED | CLI_JOBS | CLI_SET | CLI_QUIET
        | CLI_PLOT | CLI_LOAD | CLI_ALL | CLI_SHOW,
    "SCENARIO", "scenario file",
    "simulate, print the results table and write CSV files",
    "usage: qmesh run SCENARIO [options]\n"
    "\n"
    "Simulate the scenario, print the results table (theory beside the\n"
    "simulation where theory has an answer) and write the results folder:\n"
    "summary.csv, theory.csv, replications.csv, latency_hist.csv,\n"
    "timeseries.csv and provenance.csv.\n"
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
