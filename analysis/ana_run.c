/*
 * ana_run.c - a scenario's replications, its results folder, and load
 * sweeps (ana_run.h).
 *
 * A run is the model built once (mdl_net_new()) and replicated by the
 * driver (sim_rep_run()), which gathers each replication's result vector
 * in replication order. When a stop request ends the driver early, the
 * rows of the replications that finished are moved to the front and
 * ids[] remembers their numbers, so that replications.csv still names
 * them; the intervals are over those rows only. A scenario with
 * `warmup: auto` is replicated twice: a pilot that chooses the warm-up,
 * then the run proper (see "warmup: auto" below).
 *
 * A load sweep scales every open inter-arrival distribution by
 * rho_now / rho_target (mdl_dist_scale(): the time scale of the whole
 * distribution, its shape kept). Every arrival rate lambda_k of the
 * traffic equations is proportional to the open workloads' rates, so
 * this sets the bottleneck's load to rho_target; closed workloads are
 * left as they are. Each load is simulated with the same seed, so all
 * loads see common random numbers.
 *
 * Output of a sweep into DIR:
 *   DIR/load/<value>/     a full results folder per load
 *   DIR/sweep.csv         every metric at every load, with theory
 *   DIR/sweep_theory.csv  theory on a fine grid of loads, for the curves
 *   DIR/provenance.csv    the loads asked for, and how far the sweep got
 *   DIR/sweep.gp, .png, .svg
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_sig.h"
#include "ana_flow.h"
#include "ana_plot.h"
#include "ana_provenance.h"
#include "ana_run.h"
#include "ana_sweep.h"
#include "ana_warmup.h"

#define CURVE_POINTS 100    /* theory curve: intervals between from, to */

int ana_run_init(ana_run *r, const mdl_scenario *s, sim_diag *d)
{
    int rc;

    memset(r, 0, sizeof *r);
    r->s = s;
    r->nreps = s->replications;
    if ((rc = mdl_net_new(&r->net, s, d)) != SIM_OK)
        return rc;
    return ana_theory_new(&r->th, s);
}

void ana_run_destroy(ana_run *r)
{
    ana_report_destroy(&r->rep);
    free(r->own);
    free(r->results);
    free(r->ids);
    free(r->flags);
    ana_theory_free(r->th);
    mdl_net_free(r->net);
    memset(r, 0, sizeof *r);
}

int ana_run_one(ana_run *r, unsigned rep, double *out, uint64_t *events)
{
    return mdl_net_run(r->net, rep, out, events, &r->diag);
}

/* sim_rep's replication: the driver keeps its own diagnostic. */
static int run_rep(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    return mdl_net_run(ctx, rep, out, NULL, d);
}

/* Move the finished replications' rows to the front; ids[k] is the
 * replication of row k. */
static unsigned compact(double *results, size_t len, const sim_rep *run,
                        unsigned *ids)
{
    unsigned i, k = 0;

    for (i = 0; i < run->nreps; i++)
        if (run->done[i]) {
            if (k != i)
                memmove(results + (size_t)k * len, results + (size_t)i * len,
                        len * sizeof *results);
            ids[k++] = i;
        }
    return k;
}

/* Set up run for the nreps replications of net as o says, its results
 * and done flags allocated (the caller frees them, also on failure).
 * Returns SIM_OK or SIM_ENOMEM. */
static int drive_init(sim_rep *run, mdl_net *net, unsigned nreps,
                      const ana_run_opts *o)
{
    memset(run, 0, sizeof *run);
    run->nreps = nreps;
    run->jobs = o->jobs ? o->jobs : 1;
    run->len = mdl_net_result_len(net);
    run->fn = run_rep;
    run->ctx = net;
    run->progress = o->progress;
    run->progress_ctx = o->progress_ctx;
    run->results = malloc((size_t)nreps * run->len * sizeof *run->results);
    run->done = malloc(nreps);
    return run->results && run->done ? SIM_OK : SIM_ENOMEM;
}

/* Run the replications run was set up for, with progress within a
 * replication as o says. Returns sim_rep_run()'s code. */
static int drive(sim_rep *run, mdl_net *net, const ana_run_opts *o)
{
    int rc;

    if (o->within && run->jobs <= 1)
        mdl_net_set_progress(net, o->within, o->progress_ctx);
    rc = sim_rep_run(run);
    mdl_net_set_progress(net, NULL, NULL);
    return rc;
}

/* ---- warmup: auto ----
 *
 * The pilot runs the same replications (same seeds: common random
 * numbers) with warm-up 0 for the whole duration, without the request
 * limit and without the failures that have a window of their own
 * (events to measure, not part of steady state; a failure over the
 * whole run, `updown` included, stays). MSER-5 over its time series
 * chooses the warm-up (ana_warmup.h); then the run proper simulates
 * warm-up + duration. Progress counts both: 2 x nreps replications. */

/* Progress of one of the two phases, told as part of both. */
typedef struct phase {
    const ana_run_opts *o;      /* the caller's */
    unsigned before, total;     /* replications of earlier phases, all */
} phase;

static void phase_progress(void *ctx, unsigned done, unsigned total)
{
    const phase *p = ctx;

    (void)total;
    p->o->progress(p->o->progress_ctx, p->before + done, p->total);
}

static void phase_within(void *ctx, double frac)
{
    const phase *p = ctx;

    p->o->within(p->o->progress_ctx, frac);
}

/* o for phase ph (whose o is the caller's), into po. */
static const ana_run_opts *phase_opts(ana_run_opts *po, const phase *ph)
{
    *po = *ph->o;
    po->progress = ph->o->progress ? phase_progress : NULL;
    po->within = ph->o->within ? phase_within : NULL;
    po->progress_ctx = (void *)ph;
    return po;
}

/* Run the pilot of r->s and choose the warm-up into r->warm; then make
 * r->s an owned copy of the scenario's struct (its pointers still the
 * borrowed scenario's) with that warm-up, and rebuild r->net for it.
 * Returns SIM_OK, SIM_EINTR on a stop request, a failed replication's
 * code with r->diag, or SIM_ENOMEM. */
static int pilot(ana_run *r, const ana_run_opts *o)
{
    const mdl_scenario *s = r->s;
    mdl_scenario p = *s;
    mdl_failure *kept = NULL;
    mdl_net *net = NULL;
    sim_rep run;
    size_t i;
    int rc;

    memset(&run, 0, sizeof run);
    p.warmup = 0;
    p.requests = 0;
    p.window = mdl_scenario_pilot_window(s);
    if (s->nfailures > 0) {
        if (!(kept = malloc(s->nfailures * sizeof *kept)))
            return SIM_ENOMEM;
        p.nfailures = 0;
        for (i = 0; i < s->nfailures; i++)
            if (!ana_warmup_windowed(&s->failures[i]))
                kept[p.nfailures++] = s->failures[i];
        p.failures = kept;
    }
    rc = mdl_net_new(&net, &p, &r->diag);
    if (rc == SIM_OK)
        rc = drive_init(&run, net, r->nreps, o);
    if (rc == SIM_OK) {
        rc = drive(&run, net, o);
        r->diag = run.diag;
    }
    if (rc == SIM_OK && (rc = ana_warmup_choose(&r->warm, &p, net,
                                                run.results, r->nreps))
                        == SIM_EINVAL)
        rc = sim_diag_set(&r->diag, s->path, 0, 0, "warmup: auto: the "
                          "pilot's time series hold no whole batch of %d "
                          "windows", ANA_WARMUP_BATCH);
    free(run.results);
    free(run.done);
    mdl_net_free(net);
    free(kept);
    if (rc != SIM_OK) {
        r->warm.on = 0;
        return rc;
    }
    if (!(r->own = malloc(sizeof *r->own)))
        return SIM_ENOMEM;
    *r->own = *s;
    r->own->warmup = r->warm.warmup;
    r->s = r->own;
    mdl_net_free(r->net);
    r->net = NULL;
    return mdl_net_new(&r->net, r->own, &r->diag);
}

int ana_run_reps(ana_run *r, const ana_run_opts *o)
{
    static const ana_run_opts none = {0};
    ana_run_opts po;
    phase ph;
    sim_rep run;
    size_t m;
    int rc;

    if (!o)
        o = &none;
    if (r->s->warmup_auto && !r->warm.on) {
        ph.o = o;
        ph.before = 0;
        ph.total = 2 * r->nreps;
        if ((rc = pilot(r, phase_opts(&po, &ph))) != SIM_OK)
            return rc;
        ph.before = r->nreps;
        o = phase_opts(&po, &ph);
    }
    rc = drive_init(&run, r->net, r->nreps, o);
    r->results = run.results;
    r->flags = run.done;
    r->ids = malloc(run.nreps * sizeof *r->ids);
    if (rc != SIM_OK || !r->ids)
        return SIM_ENOMEM;
    rc = drive(&run, r->net, o);
    r->diag = run.diag;
    if (rc == SIM_EINTR && run.ndone == 0)
        return SIM_EINTR;
    if (rc != SIM_OK && rc != SIM_EINTR)
        return rc;
    r->done = compact(r->results, run.len, &run, r->ids);
    if (rc == SIM_EINTR)
        snprintf(r->partial, sizeof r->partial, "stopped by %s after %u "
                 "of %u replications", sim_sig_name(sim_sig_caught),
                 r->done, r->nreps);
    if (ana_report_init(&r->rep, r->s, r->net, r->th, r->done, r->results)
        != SIM_OK)
        return SIM_ENOMEM;
    if (r->partial[0])
        r->rep.ids = r->ids;
    if (r->warm.on)
        r->rep.warmup_auto = r->warm.text;
    /* availability's interval counts the replications in which some
     * request finished */
    m = ana_run_metric(r, "system", "availability");
    r->finished = m < mdl_net_nmetrics(r->net) ? (unsigned)r->rep.ci[m].n
                                               : r->done;
    return SIM_OK;
}

int ana_run_write(const ana_run *r, const char *dir, const char *command,
                  const char *load, sim_diag *d)
{
    ana_provenance pv = {0};
    int rc;

    pv.command = command;
    pv.s = r->s;
    pv.replications = r->nreps;
    pv.done = r->done;
    pv.load = load;
    pv.partial = r->partial[0] ? r->partial : NULL;
    pv.warmup_auto = r->warm.on ? r->warm.text : NULL;
    if ((rc = ana_report_write(&r->rep, dir, d)) != SIM_OK)
        return rc;
    return ana_provenance_write(dir, &pv, d);
}

size_t ana_run_metric(const ana_run *r, const char *scope,
                      const char *metric)
{
    size_t m, n = mdl_net_nmetrics(r->net);

    for (m = 0; m < n; m++)
        if (!strcmp(mdl_net_scope(r->net, m), scope)
            && !strcmp(mdl_net_metric(r->net, m), metric))
            return m;
    return n;
}

double ana_run_open_rate(const mdl_scenario *s)
{
    double rate = 0;
    size_t i;

    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed && s->workloads[i].arrival.mean > 0)
            rate += 1 / s->workloads[i].arrival.mean;
    return rate;
}

/* ---- load sweeps ---- */

int ana_run_bottleneck(const mdl_scenario *s, double *rho, size_t *which,
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
    int rc = ana_run_bottleneck(s, &rho, &k, d);

    if (rc != SIM_OK)
        return rc;
    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed
            && (rc = mdl_dist_scale(&s->workloads[i].arrival, rho / target))
               != SIM_OK)
            return rc;
    return SIM_OK;
}

/* Theory at CURVE_POINTS + 1 loads from from to to, into
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
        rc = ana_sweep_theory(dir, (size_t)m + 1, grid,
                                   (const ana_theory *const *)th, d);
    for (i = 0; i <= m; i++)
        ana_theory_free(th[i]);
    return rc;
}

/* provenance.csv of the sweep folder: the loads asked for, and how far
 * the sweep got when a stop request ended it. */
static int sweep_provenance(const ana_run_sweep_opts *o,
                            const mdl_scenario *s, const char *dir,
                            size_t done, size_t n, sim_diag *d)
{
    ana_provenance pv = {0};
    char why[160];

    pv.command = o->command;
    pv.s = s;
    pv.replications = pv.done = s->replications;
    pv.load = o->spec;
    if (sim_sig_caught) {
        snprintf(why, sizeof why, "stopped by %s after %zu of %zu loads",
                 sim_sig_name(sim_sig_caught), done, n);
        pv.partial = why;
    }
    return ana_provenance_write(dir, &pv, d);
}

/* Run and write one load into dir/p->sub, telling o->point. Returns
 * SIM_OK, 1 when the sweep ends here without a word from us, or an
 * error with d. */
static int sweep_point(mdl_scenario *s, const ana_run_sweep_opts *o,
                       ana_run_point *p, sim_diag *d)
{
    ana_run r;
    unsigned drawn;
    int rc, told = 0;

    if ((rc = ana_run_init(&r, s, d)) == SIM_OK) {
        p->rate = ana_run_open_rate(s);
        p->run = &r;
        p->rc = ana_run_reps(&r, &o->run);
        if (p->rc != SIM_OK || r.finished == 0) {
            if (o->point)
                o->point(o->ctx, p);
            told = 1;
        }
    }
    if (rc == SIM_OK && !told)
        rc = ana_run_write(&r, p->dir, o->command, p->sub + 5, d);
    if (rc == SIM_OK && !told && o->plot && !sim_sig_caught)
        rc = ana_plot_results(p->dir, o->gnuplot, &drawn, d);
    if (rc == SIM_OK && (told || (o->point && o->point(o->ctx, p))))
        rc = 1;
    p->run = NULL;
    ana_run_destroy(&r);
    return rc;
}

int ana_run_sweep(mdl_scenario *s, const double *load, size_t n,
                  const char *dir, const ana_run_sweep_opts *o,
                  size_t *done, sim_diag *d)
{
    char sub[32], pdir[4200], (*subs)[32];
    const char **names;
    size_t i, k = 0;
    int rc = SIM_OK;

    *done = 0;
    subs = malloc((n + 1) * sizeof *subs);
    names = malloc((n + 1) * sizeof *names);
    if (!subs || !names) {
        free(subs);
        free(names);
        return SIM_ENOMEM;
    }
    /* A stop request ends the sweep after the load it stopped, which
     * keeps what finished. */
    for (i = 0; i < n && !sim_sig_caught; i++) {
        ana_run_point p;

        if ((rc = set_load(s, load[i], d)) != SIM_OK
            || (rc = ana_theory_stability(s, d)) != SIM_OK)
            break;
        snprintf(sub, sizeof sub, "load/%.6g", load[i]);
        snprintf(pdir, sizeof pdir, "%s/%s", dir, sub);
        memset(&p, 0, sizeof p);
        p.load = load[i];
        p.sub = sub;
        p.dir = pdir;
        if ((rc = sweep_point(s, o, &p, d)) != SIM_OK)
            break;
        memcpy(subs[k], sub, sizeof sub);
        names[k] = subs[k];
        k++;
    }
    if (rc == 1 && sim_sig_caught && k > 0)
        rc = SIM_OK;                /* a partial sweep of what finished */
    else if (rc == SIM_OK && k == 0)
        rc = SIM_EINTR;             /* stopped before the first load */
    if (rc == SIM_OK
        && (rc = theory_curve(s, dir, load[0], load[k - 1], d)) == SIM_OK
        && (rc = ana_sweep_csv(dir, k, load, names, d)) == SIM_OK)
        rc = sweep_provenance(o, s, dir, k, n, d);
    if (rc == SIM_OK && !sim_sig_caught)
        rc = ana_plot_sweep(dir, o->gnuplot, d);
    *done = k;
    free(subs);
    free(names);
    return rc;
}
