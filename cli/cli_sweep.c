/*
 * cli_sweep.c - the command sweep: a scenario run at every point of a
 * parameter grid, resumable; or a capacity search along one axis.
 *
 *   qmesh sweep SCENARIO [--axis 'KEY=[v1, v2]']... [--zip] [-j N] ...
 *   qmesh sweep SCENARIO --find 'KEY: MIN..MAX' --slo 'METRIC < VALUE'...
 *
 * The points and their folder are ana_points'; the search is
 * ana_capacity's; this file gathers the axes, shows progress, prints a
 * row per point and says what went wrong.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../analysis/ana_capacity.h"
#include "../analysis/ana_file.h"
#include "../analysis/ana_gnuplot.h"
#include "../analysis/ana_grid.h"
#include "../analysis/ana_points.h"
#include "../analysis/ana_run.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

#define COL_MAX 32          /* widest axis column of the table */

static const char *const default_plot[] = {
    "system.latency_mean", "system.latency_p99", "system.availability"
};

typedef struct sweep_cli {
    const cli_opts *o;
    const ana_grid *g;
    const ana_slo *slo;
    size_t nslo;
    int width[MDL_AXES_MAX];    /* of each axis column */
    size_t rows;
    /* progress */
    struct timespec start;
    int tty, shown;
    size_t torun, run;          /* points to run (0: unknown), run */
    unsigned reps;              /* per point */
    unsigned long done;         /* replications run by this command */
    unsigned last;              /* done in the current pool */
} sweep_cli;

/* ---- progress ---- */

static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (t.tv_nsec - t0->tv_nsec);
}

/* Shown on a terminal once the sweep has taken two seconds. */
static void show(sweep_cli *c, double frac)
{
    double t = elapsed(&c->start), done = (double)c->done + frac;
    double total = (double)c->torun * c->reps;

    if (!c->tty || (t < 2.0 && !c->shown) || !(done > 0))
        return;
    c->shown = 1;
    if (c->torun)
        fprintf(stderr, "\rqmesh: %zu of %zu points, %.0f of %.0f "
                "replications, %.0f s, about %.0f s left ", c->run,
                c->torun, floor(done), total, t, t / done * (total - done));
    else
        fprintf(stderr, "\rqmesh: %zu points, %.0f replications, %.0f s ",
                c->run, floor(done), t);
    fflush(stderr);
}

/* A pool's count starts again at 1. */
static void show_progress(void *ctx, unsigned done, unsigned total)
{
    sweep_cli *c = ctx;

    (void)total;
    c->done += done > c->last ? done - c->last : done;
    c->last = done;
    show(c, 0);
}

static void show_within(void *ctx, double frac)
{
    show(ctx, frac < 1 ? frac : 1);
}

static void before_point(void *ctx, size_t k)
{
    (void)k;
    ((sweep_cli *)ctx)->last = 0;
}

static void clear_progress(sweep_cli *c)
{
    if (c->shown)
        fputs("\r\033[K", stderr);
}

/* ---- the table ---- */

static void print_head(sweep_cli *c)
{
    const ana_grid *g = c->g;
    size_t a;

    printf("%-5s ", "point");
    for (a = 0; a < g->naxes; a++)
        printf("%-*.*s ", c->width[a], c->width[a], g->axes[a].key);
    printf("%-26s %-10s %-12s %s\n", "latency ms [95% CI]", "p99 ms",
           "availability", "results");
}

static int print_row(void *ctx, const ana_point *p)
{
    sweep_cli *c = ctx;
    const ana_grid *g = c->g;
    char buf[96];
    ana_srow m, q, av;
    size_t a;

    if (!p->kept && p->status == ANA_POINT_DONE)
        c->run++;
    if (c->o->quiet)
        return 0;
    clear_progress(c);
    if (c->rows++ == 0)
        print_head(c);
    printf("%-5zu ", p->k);
    for (a = 0; a < g->naxes; a++)
        printf("%-*.*s ", c->width[a], c->width[a],
               g->axes[a].values[ana_grid_value(g, p->k, a)]);
    if (p->status == ANA_POINT_UNSTABLE) {
        printf("not simulated, %s\n", p->why);
        fflush(stdout);
        return 0;
    }
    if (ana_points_value(p->res, "system.latency_mean", &m) != 0)
        m.mean = m.lo = NAN;
    if (ana_points_value(p->res, "system.latency_p99", &q) != 0)
        q.mean = NAN;
    if (ana_points_value(p->res, "system.availability", &av) != 0)
        av.mean = NAN;
    if (isnan(m.mean))
        snprintf(buf, sizeof buf, "-");
    else if (isnan(m.lo))
        snprintf(buf, sizeof buf, "%.4g", 1e3 * m.mean);
    else
        snprintf(buf, sizeof buf, "%.4g [%.4g, %.4g]", 1e3 * m.mean,
                 1e3 * m.lo, 1e3 * m.hi);
    printf("%-26s ", buf);
    if (isnan(q.mean))
        printf("%-10s ", "-");
    else
        printf("%-10.4g ", 1e3 * q.mean);
    printf("%-12.6g %s%s\n", av.mean, p->sub, p->kept ? " (kept)" : "");
    fflush(stdout);
    return 0;
}

/* ---- the axes ---- */

typedef struct axes {
    mdl_axis a[MDL_AXES_MAX + 1];
    size_t n;
    size_t own;                 /* a[own..n-1] are ours to free */
    int find;                   /* the last axis is --find's */
} axes;

static void axes_free(axes *x)
{
    size_t i;

    for (i = x->own; i < x->n; i++)
        mdl_axis_destroy(&x->a[i]);
}

/* The command's axes (--axis, --find's last), else the file's. */
static int gather_axes(const cli_opts *o, const mdl_scenario *s, axes *x,
                       sim_diag *d)
{
    size_t i;
    int rc;

    memset(x, 0, sizeof *x);
    if (o->naxes == 0 && !o->find) {
        if (s->naxes > MDL_AXES_MAX)
            return SIM_EPARSE;
        memcpy(x->a, s->axes, s->naxes * sizeof *s->axes);
        x->n = x->own = s->naxes;
    }
    if (o->naxes > MDL_AXES_MAX)
        return sim_diag_set(d, NULL, 0, 0, "a sweep has at most %d axes",
                            MDL_AXES_MAX);
    for (i = 0; i < o->naxes; i++) {
        if ((rc = mdl_axis_parse(&x->a[x->n], o->axes[i], d)) != SIM_OK)
            return rc;
        x->a[x->n++].zip = o->zip;
    }
    if (o->find) {
        if (x->n == MDL_AXES_MAX)
            return sim_diag_set(d, NULL, 0, 0, "a sweep has at most %d axes, "
                                "--find's included", MDL_AXES_MAX);
        if ((rc = ana_capacity_axis(&x->a[x->n], o->find, d)) != SIM_OK)
            return rc;
        x->n++;
        x->find = 1;
    }
    if (x->n == 0)
        return sim_diag_set(d, s->path, 0, 0, "nothing to sweep: give "
                            "--axis 'KEY=[v1, v2]' or --find, or a 'sweep:' "
                            "block in the scenario");
    return mdl_axes_check(x->a, x->n, o->naxes || o->find ? NULL : s->path,
                          d);
}

/* ---- loading a point ---- */

/* -r and -s go first, as overrides, so that an axis on run.seed or
 * run.replications still sets its own value at each point. */
static int load_point(void *ctx, const char *const *sets, size_t n,
                      mdl_scenario **s, sim_diag *d)
{
    const cli_opts *o = ctx;
    int rc = cli__scenario_load(o, o->arg, sets, n, 1, s, d);

    if (rc == SIM_OK && (rc = mdl_scenario_check_run(*s, d)) != SIM_OK) {
        mdl_scenario_free(*s);
        *s = NULL;
    }
    return rc;
}

/* ---- the capacity search ---- */

/* For each combination of the other axes, the smallest value of the
 * last axis meeting every objective; printed and written to find.csv. */
static int search(sweep_cli *c, ana_points *p, sim_diag *d)
{
    const ana_grid *g = c->g;
    size_t fa = g->naxes - 1, k, a;
    const mdl_axis *x = &g->axes[fa];
    ana_file f;
    int rc = ana_file_open(&f, p->dir, "find.csv", d);

    if (rc != SIM_OK)
        return rc;
    for (a = 0; a < fa; a++) {
        ana_csv_str(f.f, g->axes[a].key);
        fputc(',', f.f);
    }
    fputs("key,value,runs,meets\n", f.f);
    for (k = 0; k < g->npoints && rc == SIM_OK; k++) {
        size_t found, runs;
        if (ana_grid_value(g, k, fa) != 0)
            continue;
        rc = ana_capacity_find(p, fa, k, c->slo, c->nslo, &found, &runs, d);
        if (rc != SIM_OK)
            break;
        clear_progress(c);
        if (!c->o->quiet) {
            printf("\n%s: ", x->key);
            if (found < x->nvalues)
                printf("%s is the smallest value meeting every objective",
                       x->values[found]);
            else
                printf("no value up to %s meets every objective",
                       x->values[x->nvalues - 1]);
            for (a = 0; a < fa; a++)
                printf("%s%s=%s", a ? ", " : " at ", g->axes[a].key,
                       g->axes[a].values[ana_grid_value(g, k, a)]);
            printf(" (%zu runs of %zu values)\n", runs, x->nvalues);
            fflush(stdout);
        }
        for (a = 0; a < fa; a++) {
            ana_csv_str(f.f, g->axes[a].values[ana_grid_value(g, k, a)]);
            fputc(',', f.f);
        }
        ana_csv_str(f.f, x->key);
        fputc(',', f.f);
        if (found < x->nvalues)
            ana_csv_str(f.f, x->values[found]);
        fprintf(f.f, ",%zu,%s\n", runs, found < x->nvalues ? "yes" : "no");
    }
    return ana_file_close(&f, rc, d);
}

/* ---- the grid ---- */

/* Every point, in pools of about twice as many replications as there
 * are processes, so that points run side by side when they have fewer
 * replications than -j, and each pool's slowest point holds up little. */
static int run_all(sweep_cli *c, ana_points *p, sim_diag *d)
{
    unsigned jobs = c->o->jobs ? (unsigned)c->o->jobs : 1;
    size_t per = (2 * jobs + c->reps - 1) / c->reps, k, n;
    size_t ks[64];
    int rc = SIM_OK;

    if (per < 1)
        per = 1;
    if (per > sizeof ks / sizeof *ks)
        per = sizeof ks / sizeof *ks;
    for (k = 0; k < c->g->npoints && rc == SIM_OK && !sim_sig_caught;) {
        /* A point not to run is told on its own, in its turn. */
        n = 0;
        if (p->status[k] != ANA_POINT_TODO)
            ks[n++] = k++;
        else
            while (n < per && k < c->g->npoints
                   && p->status[k] == ANA_POINT_TODO)
                ks[n++] = k++;
        rc = ana_points_run_many(p, ks, n, d);
    }
    return rc;
}

/* ---- the command ---- */

static int sweep_failed(int rc, const sim_diag *d)
{
    if (rc == SIM_EINTR)
        return EXIT_RUNTIME;
    return cli__failed(rc, d);
}

static int cmd_sweep(const cli_opts *o)
{
    mdl_scenario *s = NULL;
    sweep_cli c;
    axes x;
    ana_grid g;
    ana_points p;
    ana_points_opts po;
    ana_slo slo[32];
    char dir[4200], title[512], *gnuplot = NULL;
    size_t i, k, a;
    sim_diag d;
    int rc, status;

    memset(&c, 0, sizeof c);
    memset(&p, 0, sizeof p);
    memset(&d, 0, sizeof d);
    memset(&x, 0, sizeof x);
    if (o->nslos && !o->find) {
        fputs("qmesh: sweep: --slo needs --find (what to search)\n", stderr);
        return EXIT_INPUT;
    }
    if (o->find && !o->nslos) {
        fputs("qmesh: sweep: --find needs at least one --slo (what the "
              "value must meet)\n", stderr);
        return EXIT_INPUT;
    }
    if (o->nslos > sizeof slo / sizeof *slo) {
        fprintf(stderr, "qmesh: sweep: at most %zu --slo\n",
                sizeof slo / sizeof *slo);
        return EXIT_INPUT;
    }
    for (i = 0; i < o->nslos; i++)
        if ((rc = ana_slo_parse(&slo[i], o->slos[i], &d)) != SIM_OK)
            return cli__failed(rc, &d);
    if ((status = cli__load(o, &s, 0)) != EXIT_OK)
        return status;
    rc = gather_axes(o, s, &x, &d);
    if (rc == SIM_OK)
        rc = ana_grid_init(&g, x.a, x.n, &d);
    if (rc != SIM_OK) {
        axes_free(&x);
        mdl_scenario_free(s);
        return cli__failed(rc, &d);
    }
    c.o = o;
    c.g = &g;
    c.slo = slo;
    c.nslo = o->nslos;
    for (a = 0; a < g.naxes; a++) {
        int w = (int)strlen(g.axes[a].key);
        for (i = 0; i < g.axes[a].nvalues; i++)
            if ((int)strlen(g.axes[a].values[i]) > w)
                w = (int)strlen(g.axes[a].values[i]);
        c.width[a] = w < COL_MAX ? w : COL_MAX;
    }
    clock_gettime(CLOCK_MONOTONIC, &c.start);
    c.tty = !o->quiet && isatty(STDERR_FILENO);
    c.reps = s->replications;
    gnuplot = ana_gnuplot_find();
    memset(&po, 0, sizeof po);
    po.run.jobs = o->jobs ? (unsigned)o->jobs : 1;
    po.run.progress = show_progress;
    po.run.within = c.tty ? show_within : NULL;
    po.run.progress_ctx = &c;
    po.command = o->cmdline;
    po.sets = o->sets;
    po.nsets = o->nsets;
    po.load = load_point;
    po.load_ctx = (void *)o;
    po.before = before_point;
    po.point = print_row;
    po.ctx = &c;
    po.gnuplot = gnuplot;
    snprintf(title, sizeof title, "Sweep of %s (%u replication%s per point)",
             s->name, s->replications, s->replications == 1 ? "" : "s");
    po.title = title;
    if (o->nmetrics) {
        po.plot = o->metrics;
        po.nplot = o->nmetrics;
    } else if (s->nplot) {
        po.plot = (const char *const *)s->plot;
        po.nplot = s->nplot;
    } else {
        po.plot = default_plot;
        po.nplot = sizeof default_plot / sizeof *default_plot;
    }
    snprintf(dir, sizeof dir, "results/%s-sweep", s->name);
    sim_sig_catch();
    rc = ana_points_open(&p, &g, o->output ? o->output : dir, &po, &d);
    if (rc == SIM_OK) {
        for (k = 0; k < g.npoints; k++)
            c.torun += p.status[k] == ANA_POINT_TODO;
        if (!o->quiet && p.nkept)
            printf("resuming %s: %zu of %zu points already done\n\n", p.dir,
                   p.nkept, g.npoints);
        if (x.find) {
            c.torun = 0;        /* unknown: the search picks */
            rc = search(&c, &p, &d);
        } else {
            rc = run_all(&c, &p, &d);
        }
        clear_progress(&c);
        if (rc == SIM_OK && sim_sig_caught)
            rc = SIM_EINTR;
        /* What finished is kept and listed, whatever stopped the rest. */
        if (p.ndone > 0) {
            sim_diag d2;
            int rc2;
            memset(&d2, 0, sizeof d2);
            if ((rc2 = ana_points_finish(&p, &d2)) != SIM_OK && rc == SIM_OK) {
                rc = rc2;
                d = d2;
            }
        }
    }
    if (rc == SIM_EINTR) {
        fprintf(stderr, "qmesh: stopped by %s after %zu of %zu points; run "
                "the same command again to finish the sweep\n",
                sim_sig_caught ? sim_sig_name(sim_sig_caught) : "a stop "
                "request", p.ndone, g.npoints);
        status = EXIT_RUNTIME;
    } else if (rc != SIM_OK) {
        status = sweep_failed(rc, &d);
    } else {
        status = EXIT_OK;
        if (!gnuplot)
            cli__tell_missing(p.dir);
        if (!o->quiet)
            printf("\nsweep written to %s/sweep.csv%s\n", p.dir,
                   gnuplot ? ", plotted in sweep.png and .svg" : "");
    }
    ana_points_close(&p);
    axes_free(&x);
    free(gnuplot);
    mdl_scenario_free(s);
    return status;
}

const cli_cmd cli__sweep_cmd = {
    "sweep", cmd_sweep,
    CLI_OUTPUT | CLI_REPS | CLI_SEED | CLI_JOBS | CLI_SET | CLI_QUIET
        | CLI_SWEEP,
    "SCENARIO", "scenario file",
    "run a parameter grid (resumable), or search for a capacity",
    "usage: qmesh sweep SCENARIO [options]\n"
    "\n"
    "Run the scenario at every point of a grid of parameter values, each\n"
    "point with the same seeds (common random numbers), into DIR:\n"
    "points/K/ (a full results folder per point, point.csv naming its\n"
    "values), manifest.csv, sweep.csv (one column per axis, then\n"
    "scope,metric,mean,ci_low,ci_high,n,theory) and sweep.png/.svg.\n"
    "The axes come from --axis and --find, else from the scenario's\n"
    "'sweep:' block.\n"
    "Stopped (Ctrl-C, kill), the same command again runs only the points\n"
    "not finished.\n"
    "\n"
    "options:\n"
    "      --axis 'KEY=[V1, V2, ...]'\n"
    "                          an axis (repeatable): any key --set takes,\n"
    "                          or load (the bottleneck's utilization, as\n"
    "                          run --load sets it); values as a YAML list\n"
    "      --zip               pair the --axis lists element by element\n"
    "                          instead of crossing them\n"
    "      --metric SCOPE.METRIC\n"
    "                          plot this metric (repeatable; default the\n"
    "                          system's latency_mean, latency_p99 and\n"
    "                          availability)\n"
    "      --find 'KEY: MIN..MAX'\n"
    "                          find the smallest whole value of KEY at\n"
    "                          which every --slo holds, by bisection\n"
    "                          (more of KEY must never hurt); with other\n"
    "                          axes, once per combination of theirs\n"
    "      --slo 'SCOPE.METRIC < VALUE'\n"
    "                          an objective for --find (repeatable), met\n"
    "                          when the whole confidence interval is on\n"
    "                          its side: 'class:checkout.latency_p99 <\n"
    "                          250ms', 'system.availability > 99.9%'\n"
    "  -o, --output DIR        the sweep's folder (default\n"
    "                          results/<name>-sweep)\n"
    "  -r, --replications N    replications per point\n"
    "  -s, --seed N            master seed, the same at every point\n"
    "  -j, --jobs N            replications in N parallel processes\n"
    "      --set KEY=VALUE     override a scenario key (repeatable)\n"
    "  -q, --quiet             no table, no progress\n"
    "  -h, --help              show this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure or stopped, 2 bad input or\n"
    "usage.\n"
};
