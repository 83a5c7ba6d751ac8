/*
 * cli_plot.c - plots of results folders and load sweeps:
 *
 *   qmesh plot DIR [-q]                    plot an existing results folder
 *   qmesh run SCENARIO --plot ...          plot after writing the CSVs
 *   qmesh run SCENARIO --load FROM:TO:STEP run at each load, then plot
 *
 * A load sweep sets the load of the scenario's bottleneck, the largest
 * utilization over its queueing stations (delay stations never queue),
 *
 *   rho = max_k lambda_k h_k / c_k
 *
 * with lambda_k the arrival rate of station k from the traffic equations,
 * h_k the time a visit holds a worker and c_k its workers (ana_flow.h).
 * Every rate lambda_k is proportional to the open workloads' arrival
 * rates, so scaling every open inter-arrival distribution by
 * rho_now / rho_target (mdl_dist_scale(): the time scale of the whole
 * distribution, its shape kept) sets the bottleneck's load to rho_target.
 * Closed workloads are left as they are. Each load is simulated with the
 * same seed, so all loads see common random numbers.
 *
 * Output of a sweep into DIR (default results/<name>):
 *   DIR/load/<value>/   a full results folder per load, as `qmesh run`
 *   DIR/sweep.csv       every metric at every load, with theory
 *   DIR/sweep_theory.csv  theory on a fine grid of loads, for the curves
 *   DIR/sweep.gp, .png, .svg
 * When gnuplot is not on PATH, scripts and data files are still written
 * and one line says how to get the images.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../analysis/ana_file.h"
#include "../analysis/ana_flow.h"
#include "../analysis/ana_outdir.h"
#include "../analysis/ana_plot.h"
#include "../analysis/ana_provenance.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

#define MAX_POINTS 1000     /* loads in one sweep */
#define CURVE_POINTS 100    /* theory curve: intervals between from, to */

/* Whether the "gnuplot missing" line has been printed by this process. */
static int told_missing;

static void tell_missing(const char *dir)
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

/* Plot what dir holds: a results folder, a sweep, or both; tell it
 * under the name shown, naming the plots drawn. */
static int plot_dir(const char *dir, const char *shown, int quiet,
                    int need_something)
{
    char *gnuplot = ana_plot_gnuplot();
    int rc = SIM_OK, have_sum = exists(dir, "summary.csv");
    int have_sweep = exists(dir, "sweep.csv");
    unsigned drawn = 0;
    char names[64] = "";
    sim_diag d;

    memset(&d, 0, sizeof d);
    if (need_something && !have_sum && !have_sweep) {
        free(gnuplot);
        fprintf(stderr, "qmesh: '%s' is not a results folder: it has no "
                "summary.csv or sweep.csv\n", dir);
        return EXIT_INPUT;
    }
    if (have_sum)
        rc = ana_plot_results(dir, gnuplot, &drawn, &d);
    if (rc == SIM_OK && have_sweep)
        rc = ana_plot_sweep(dir, gnuplot, &d);
    if (rc != SIM_OK) {
        free(gnuplot);
        return plot_failed(rc, &d);
    }
    snprintf(names, sizeof names, "%s%s%s%s%s",
             drawn & ANA_PLOT_LATENCY ? "latency" : "",
             drawn & ANA_PLOT_LATENCY && drawn & ANA_PLOT_STATIONS ? ", " : "",
             drawn & ANA_PLOT_STATIONS ? "stations" : "",
             drawn && have_sweep ? ", " : "", have_sweep ? "sweep" : "");
    if (!gnuplot)
        tell_missing(shown);
    else if (!quiet && names[0])
        printf("plots written to %s/: %s (PNG and SVG, with their .gp "
               "scripts)\n", shown, names);
    else if (!quiet)
        printf("nothing to plot in %s/\n", shown);
    free(gnuplot);
    return EXIT_OK;
}

int cli__plot_dir(const char *dir, const char *shown, int quiet)
{
    return plot_dir(dir, shown, quiet, 1);
}

static int cmd_plot(const cli_opts *o)
{
    return plot_dir(o->arg, o->arg, o->quiet, 1);
}

const cli_cmd cli__plot_cmd = {
    "plot", cmd_plot, CLI_QUIET, "DIR", "results folder",
    "gnuplot scripts and PNG/SVG plots of a results folder",
    "usage: qmesh plot DIR [-q]\n"
    "\n"
    "Draw the plots of a results folder written by 'qmesh run': the\n"
    "latency histogram and distribution with p50/p95/p99, the stations'\n"
    "utilization and queue beside theory, and for a load sweep the mean\n"
    "and p99 latency against load. Each plot is a gnuplot script\n"
    "(NAME.gp, to restyle and rerun) with its data, rendered as NAME.png\n"
    "and NAME.svg when gnuplot is installed.\n"
    "\n"
    "options:\n"
    "  -q, --quiet   print nothing on success\n"
    "  -h, --help    show this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.\n"
};

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

/* The bottleneck's load under the open workloads and its index. */
static int bottleneck(const mdl_scenario *s, double *rho, size_t *which,
                      sim_diag *d)
{
    ana_flow f;
    size_t k;
    int rc = ana_flow_init(&f, s, d);

    if (rc != SIM_OK)
        return rc;
    *rho = 0;
    *which = 0;
    for (k = 0; k < f.n; k++) {
        double u;
        if (s->topo->services[k].kind == MDL_SVC_DELAY)
            continue;
        u = ana_flow_load(&f, s, k);
        if (u > *rho) {
            *rho = u;
            *which = k;
        }
    }
    ana_flow_destroy(&f);
    return SIM_OK;
}

/* Scale every open workload of s so that the bottleneck's load is
 * target. */
static int set_load(mdl_scenario *s, double target, sim_diag *d)
{
    double rho;
    size_t i, k;
    int rc = bottleneck(s, &rho, &k, d);

    if (rc != SIM_OK)
        return rc;
    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed
            && (rc = mdl_dist_scale(&s->workloads[i].arrival, rho / target))
               != SIM_OK)
            return rc;
    return SIM_OK;
}

/* Total arrival rate of the open workloads (1/s). */
static double open_rate(const mdl_scenario *s)
{
    double r = 0;
    size_t i;

    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed)
            r += 1 / s->workloads[i].arrival.mean;
    return r;
}

/* Theory at CURVE_POINTS + 1 loads from load[0] to load[n-1], into
 * dir/sweep_theory.csv. */
static int theory_curve(mdl_scenario *s, const char *dir, double from,
                        double to, sim_diag *d)
{
    double grid[CURVE_POINTS + 1];
    ana_theory *th[CURVE_POINTS + 1];
    int i, m = to > from ? CURVE_POINTS : 0, rc = SIM_OK;

    memset(th, 0, sizeof th);
    for (i = 0; i <= m && rc == SIM_OK; i++) {
        grid[i] = from + (to - from) * i / (m ? m : 1);
        rc = set_load(s, grid[i], d);
        if (rc == SIM_OK)
            rc = ana_theory_new(&th[i], s);
    }
    if (rc == SIM_OK)
        rc = ana_plot_sweep_theory(dir, (size_t)m + 1, grid,
                                   (const ana_theory *const *)th, d);
    for (i = 0; i <= m; i++)
        ana_theory_free(th[i]);
    return rc;
}

static const char *fmt_ms(double x, char *buf, size_t n)
{
    snprintf(buf, n, "%.4g", 1e3 * x);
    return buf;
}

static const char *fmt_ci(const cli_result *h, char *buf, size_t n)
{
    if (isnan(h->low))
        snprintf(buf, n, "%.4g", 1e3 * h->mean);
    else
        snprintf(buf, n, "%.4g [%.4g, %.4g]", 1e3 * h->mean, 1e3 * h->low,
                 1e3 * h->high);
    return buf;
}

/* provenance.csv of the sweep folder: the spec of loads, and how far it
 * got when a signal stopped it. */
static int sweep_provenance(const cli_opts *o, const mdl_scenario *s,
                            const char *dir, size_t done, size_t n,
                            sim_diag *d)
{
    ana_provenance pv = {0};
    char why[160];

    pv.command = o->cmdline;
    pv.s = s;
    pv.replications = pv.done = s->replications;
    pv.load = o->load;
    if (sim_sig_caught) {
        snprintf(why, sizeof why, "stopped by %s after %zu of %zu loads",
                 sim_sig_name(sim_sig_caught), done, n);
        pv.partial = why;
    }
    return ana_provenance_write(dir, &pv, d);
}

int cli__sweep(const cli_opts *o)
{
    double load[MAX_POINTS], rho;
    char pdir[4200 + 80], sub[MAX_POINTS][32], *gnuplot = NULL;
    const char *subs[MAX_POINTS];
    size_t n = parse_loads(o->load, load), i, k, nsub = 0;
    mdl_scenario *s = NULL;
    cli_opts po = *o;
    cli_result head;
    ana_outdir out;
    char ci[96], th[32];
    sim_diag d;
    int rc, status;

    if (n == 0)
        return EXIT_INPUT;
    if ((status = cli__load(o, &s, 0)) != EXIT_OK)
        return status;
    memset(&d, 0, sizeof d);
    rc = bottleneck(s, &rho, &k, &d);
    if (rc == SIM_OK && !(rho > 0)) {
        fprintf(stderr, "qmesh: --load needs an open workload (one with "
                "an arrival rate) to scale; '%s' has none\n", s->path);
        mdl_scenario_free(s);
        return EXIT_INPUT;
    }
    if (rc == SIM_OK) {
        snprintf(pdir, sizeof pdir, "results/%s", s->name);
        rc = ana_outdir_open(&out, o->output ? o->output : pdir, &d);
    }
    if (rc != SIM_OK) {
        mdl_scenario_free(s);
        return cli__failed(rc, &d);
    }
    sim_sig_catch();
    po.quiet = 1;
    po.plot = 0;
    /* Each load into DIR/load/<load>/; a signal ends the sweep after the
     * load it stopped, which keeps what it finished. */
    for (i = 0; i < n && !sim_sig_caught; i++) {
        if ((rc = set_load(s, load[i], &d)) != SIM_OK
            || (rc = ana_theory_stability(s, &d)) != SIM_OK)
            break;
        snprintf(sub[nsub], sizeof sub[nsub], "load/%.6g", load[i]);
        snprintf(pdir, sizeof pdir, "%s/load/%.6g", out.tmp, load[i]);
        status = cli__run_one(&po, s, pdir, sub[nsub] + 5, &head);
        if (status != EXIT_OK)
            break;
        subs[nsub] = sub[nsub];
        nsub++;
        if (o->plot && !sim_sig_caught
            && (status = plot_dir(pdir, pdir, 1, 1)) != EXIT_OK)
            break;
        if (!o->quiet) {
            if (nsub == 1)
                printf("load: utilization of '%s', the bottleneck\n\n"
                       "%-6s %-12s %-24s %-10s %s\n",
                       s->topo->services[k].name, "load", "arrivals/s",
                       "latency ms [95% CI]", "theory ms", "results");
            printf("%-6.4g %-12.6g %-24s %-10s %s/%s/%s\n", load[i],
                   open_rate(s), fmt_ci(&head, ci, sizeof ci),
                   isnan(head.theory) ? "-"
                                      : fmt_ms(head.theory, th, sizeof th),
                   out.path, sub[nsub - 1],
                   head.partial ? " (partial)" : "");
            fflush(stdout);
        }
    }
    if (status != EXIT_OK && sim_sig_caught && nsub > 0)
        status = EXIT_OK;           /* a partial sweep of what finished */
    if (rc == SIM_OK && status == EXIT_OK) {
        if ((rc = theory_curve(s, out.tmp, load[0], load[nsub - 1], &d))
                == SIM_OK
            && (rc = ana_plot_sweep_csv(out.tmp, nsub, load, subs, &d))
                == SIM_OK)
            rc = sweep_provenance(o, s, out.tmp, nsub, n, &d);
        if (rc == SIM_OK && !sim_sig_caught) {
            gnuplot = ana_plot_gnuplot();
            rc = ana_plot_sweep(out.tmp, gnuplot, &d);
        }
        if (rc == SIM_OK)
            rc = ana_outdir_commit(&out, &d);
    }
    if (rc != SIM_OK) {
        status = cli__failed(rc, &d);
    } else if (status == EXIT_OK && !gnuplot && !sim_sig_caught) {
        tell_missing(out.path);
    } else if (status == EXIT_OK && !o->quiet) {
        printf("\n%s written to %s/sweep.csv", sim_sig_caught
               ? "partial sweep" : "sweep", out.path);
        if (gnuplot)
            printf(", plotted in %s/sweep.png and .svg", out.path);
        putchar('\n');
    }
    ana_outdir_abandon(&out);
    free(gnuplot);
    mdl_scenario_free(s);
    return status;
}
