/*
 * ana_run.c - a scenario's replications, its results folder, and load
 * sweeps (ana_run.h).
 *
 * A run is the model built once (mdl_net_new()) and replicated by the
 * driver (sim_rep_run()). Each replication's result vector lands in one
 * buffer that the pool's vectors share (a stage), and the pool's
 * finished callback puts it into the run's store (ana_store.h), with
 * its histograms trimmed to their occupied bins, before the next one
 * lands: what a run keeps grows by the trimmed vector, not by 61 KB per
 * histogram scope, with each replication. When a stop request ends the
 * driver early, the rows of the replications that finished are moved
 * to the front and ids[] remembers their numbers, so that
 * replications.csv still names them; the intervals are over those rows
 * only. A scenario with
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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_sig.h"
#include "ana_flow.h"
#include "ana_mpi.h"
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
    if (s->precision.on) {
        const char *name = s->precision.metric, *dot = strrchr(name, '.');
        char scope[256];
        snprintf(scope, sizeof scope, "%.*s", (int)(dot - name), name);
        r->precision_metric = ana_run_metric(r, scope, dot + 1);
        if (r->precision_metric == mdl_net_nmetrics(r->net))
            return sim_diag_set(d, s->path, s->precision.line, 0,
                                "'precision': this scenario has no metric "
                                "'%s' (scope '%s', metric '%s'); the "
                                "names are those of summary.csv", name,
                                scope, dot + 1);
    }
    return ana_theory_new(&r->th, s);
}

void ana_run_destroy(ana_run *r)
{
    ana_report_destroy(&r->rep);
    free(r->own);
    ana_store_destroy(&r->results);
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

/* A pool of replications on the workers of an MPI job when there are
 * some (ana_mpi.h), else here or in forked worker processes. */
static int run_pool(sim_rep *pool, const ana_mpi_models *m)
{
    return ana_mpi_workers() > 0 ? ana_mpi_run(pool, m) : sim_rep_run(pool);
}

/* Where the vectors of a pool of n tasks land: out[t] is stage, of len
 * doubles (the longest), for every task t. The driver stores a vector
 * and tells its finished callback, which puts it in a store, before it
 * stores the next (sim_rep.h, ana_mpi.h). */
typedef struct stage {
    double *buf;
    double **out;
} stage;

static int stage_init(stage *st, size_t len, size_t n)
{
    size_t t;

    st->buf = malloc((len ? len : 1) * sizeof *st->buf);
    st->out = malloc((n + 1) * sizeof *st->out);
    if (!st->buf || !st->out) {
        free(st->buf);
        free(st->out);
        return SIM_ENOMEM;
    }
    for (t = 0; t < n; t++)
        st->out[t] = st->buf;
    return SIM_OK;
}

static void stage_destroy(stage *st)
{
    free(st->buf);
    free(st->out);
}

/* ---- warmup: auto ----
 *
 * The pilot runs the same replications (same seeds: common random
 * numbers) with warm-up 0 for the whole duration, without the request
 * limit and without the failures that have a window of their own
 * (events to measure, not part of steady state; a failure over the
 * whole run, `updown` included, stays). MSER-5 over its time series
 * chooses the warm-up (ana_warmup.h); then the run proper simulates
 * warm-up + duration. For one run, progress counts both: 2 x nreps
 * replications. */

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

/* The pilot's pool: its model, and where its vectors go. */
typedef struct pilot_pool {
    mdl_net *net;
    stage st;
    ana_store res;
    int rc;                     /* SIM_ENOMEM when a vector was not kept */
} pilot_pool;

static int pilot_rep(void *ctx, unsigned rep, double *out, sim_diag *d)
{
    const pilot_pool *pp = ctx;

    return mdl_net_run(pp->net, rep, out, NULL, d);
}

static void pilot_done(void *ctx, unsigned rep)
{
    pilot_pool *pp = ctx;

    if (pp->rc == SIM_OK)
        pp->rc = ana_store_put(&pp->res, rep, pp->st.buf);
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
    pilot_pool pp;
    sim_rep run;
    size_t i;
    int rc;

    memset(&run, 0, sizeof run);
    memset(&pp, 0, sizeof pp);
    p.warmup = 0;
    p.requests = 0;
    p.window = mdl_scenario_pilot_window(s);
    p.pilot = 1;
    if (s->nfailures > 0) {
        if (!(kept = malloc(s->nfailures * sizeof *kept)))
            return SIM_ENOMEM;
        p.nfailures = 0;
        for (i = 0; i < s->nfailures; i++)
            if (!ana_warmup_windowed(&s->failures[i]))
                kept[p.nfailures++] = s->failures[i];
        p.failures = kept;
    }
    rc = mdl_net_new(&pp.net, &p, &r->diag);
    if (rc == SIM_OK) {
        run.nreps = r->nreps;
        run.jobs = o->jobs ? o->jobs : 1;
        run.len = mdl_net_result_len(pp.net);
        run.fn = pilot_rep;
        run.ctx = &pp;
        run.progress = o->progress;
        run.progress_ctx = o->progress_ctx;
        run.finished = pilot_done;
        run.finished_ctx = &pp;
        run.done = malloc(r->nreps);
        if (!run.done
            || (rc = stage_init(&pp.st, run.len, r->nreps)) != SIM_OK
            || (rc = ana_store_init(&pp.res, pp.net, r->nreps)) != SIM_OK)
            rc = SIM_ENOMEM;
        run.out = pp.st.out;
    }
    if (rc == SIM_OK) {
        const mdl_scenario *ps = &p;
        size_t first[2] = {0, r->nreps};
        ana_mpi_models mm = {1, &ps, first, 0};
        if (o->within && run.jobs <= 1)
            mdl_net_set_progress(pp.net, o->within, o->progress_ctx);
        rc = run_pool(&run, &mm);
        mdl_net_set_progress(pp.net, NULL, NULL);
        r->diag = run.diag;
        if (rc == SIM_OK)
            rc = pp.rc;
    }
    if (rc == SIM_OK && (rc = ana_warmup_choose(&r->warm, &p, pp.net,
                                                &pp.res, r->nreps))
                        == SIM_EINVAL)
        rc = sim_diag_set(&r->diag, s->path, 0, 0, "warmup: auto: the "
                          "pilot's time series hold no whole batch of %d "
                          "windows", ANA_WARMUP_BATCH);
    ana_store_destroy(&pp.res);
    stage_destroy(&pp.st);
    free(run.done);
    mdl_net_free(pp.net);
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

/* The pilot of a run with warmup: auto that has not had it; SIM_OK for
 * any other. */
static int pilot_if_auto(ana_run *r, const ana_run_opts *o)
{
    return r->s->warmup_auto && !r->warm.on ? pilot(r, o) : SIM_OK;
}


/* The replications of several runs in one pool of worker processes:
 * task t is replication t - first[i] of run i, for first[i] <= t <
 * first[i + 1]; its values (offset[t + 1] - offset[t] of them) land in
 * the stage, and task_done() puts them in that run's store. */
typedef struct batch {
    ana_run *const *runs;
    size_t n;
    size_t *first;              /* n + 1 */
    size_t *offset;             /* tasks + 1 */
    stage st;                   /* as long as the longest run's vector */
    const mdl_scenario **s;     /* n: each run's, for MPI's workers */
    unsigned *left;             /* replications of run i still to come */
    unsigned char *gathered;    /* run i has its intervals */
    sim_rep pool;
    ana_run_ready_fn ready;
    void *ctx;
    int rc;                     /* a failure while gathering */
} batch;

size_t ana_run_task_owner(const size_t *first, size_t n, size_t t)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {           /* the last i with first[i] <= t */
        size_t mid = (lo + hi + 1) / 2;
        if (first[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static size_t run_of(const batch *b, size_t t)
{
    return ana_run_task_owner(b->first, b->n, t);
}

/* sim_rep's replication: the driver keeps its own diagnostic. */
static int batch_rep(void *ctx, unsigned t, double *out, sim_diag *d)
{
    const batch *b = ctx;
    size_t i = run_of(b, t);

    return mdl_net_run(b->runs[i]->net, (unsigned)(t - b->first[i]), out,
                       NULL, d);
}

/* Give run i its rows and intervals from the pool: the finished
 * replications' rows moved to the front, ids[k] the replication of row
 * k. */
static int gather(batch *b, size_t i)
{
    ana_run *r = b->runs[i];
    size_t t0 = b->first[i], m;

    memcpy(r->flags, b->pool.done + t0, r->nreps);
    r->done = ana_store_compact(&r->results, r->nreps, r->flags, r->ids);
    b->gathered[i] = 1;
    if (r->done < r->nreps)
        snprintf(r->partial, sizeof r->partial, "stopped by %s after %u "
                 "of %u replications", sim_sig_name(sim_sig_caught),
                 r->done, r->nreps);
    if (ana_report_init(&r->rep, r->s, r->net, r->th, r->done, &r->results)
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

static void task_done(void *ctx, unsigned t)
{
    batch *b = ctx;
    size_t i = run_of(b, t);

    if (b->rc == SIM_OK)
        b->rc = ana_store_put(&b->runs[i]->results,
                              (unsigned)(t - b->first[i]), b->st.buf);
    if (--b->left[i] > 0 || b->rc != SIM_OK)
        return;
    if ((b->rc = gather(b, i)) == SIM_OK && b->ready)
        b->ready(b->ctx, i);
}

static void batch_free(batch *b)
{
    free(b->first);
    free(b->offset);
    stage_destroy(&b->st);
    free(b->s);
    free(b->left);
    free(b->gathered);
    free(b->pool.done);
}

int ana_run_batch(ana_run *const *runs, size_t n, const ana_run_opts *o,
                  ana_run_ready_fn ready, void *ctx, size_t *failed)
{
    static const ana_run_opts none = {0};
    ana_mpi_models mm;
    batch b;
    size_t i, t, tasks, most = 0;
    int rc;

    if (!o)
        o = &none;
    *failed = 0;
    /* A run that decides how many replications it needs runs alone. */
    for (i = 0; i < n && !runs[i]->s->precision.on; i++)
        ;
    if (i < n) {
        for (i = 0, rc = SIM_OK; i < n && rc == SIM_OK; i++) {
            *failed = i;
            rc = ana_run_reps(runs[i], o);
            if (rc == SIM_OK && runs[i]->partial[0])
                rc = SIM_EINTR;
            else if (rc == SIM_OK && ready)
                ready(ctx, i);
        }
        return rc;
    }
    for (i = 0; i < n; i++)
        if ((rc = pilot_if_auto(runs[i], o)) != SIM_OK) {
            *failed = i;
            return rc;
        }
    memset(&b, 0, sizeof b);
    b.runs = runs;
    b.n = n;
    b.ready = ready;
    b.ctx = ctx;
    b.first = malloc((n + 1) * sizeof *b.first);
    b.left = malloc((n + 1) * sizeof *b.left);
    b.gathered = calloc(n + 1, 1);
    b.s = malloc((n + 1) * sizeof *b.s);
    if (!b.first || !b.left || !b.gathered || !b.s) {
        batch_free(&b);
        return SIM_ENOMEM;
    }
    for (i = 0, tasks = 0; i < n; i++) {
        ana_run *r = runs[i];
        b.s[i] = r->s;
        b.first[i] = tasks;
        b.left[i] = r->nreps;
        tasks += r->nreps;
        if (mdl_net_result_len(r->net) > most)
            most = mdl_net_result_len(r->net);
        r->flags = malloc(r->nreps);
        r->ids = malloc(r->nreps * sizeof *r->ids);
        if (ana_store_init(&r->results, r->net, r->nreps) != SIM_OK
            || !r->flags || !r->ids) {
            batch_free(&b);
            return SIM_ENOMEM;
        }
    }
    b.first[n] = tasks;
    b.offset = malloc((tasks + 1) * sizeof *b.offset);
    b.pool.done = malloc(tasks + 1);
    if (!b.offset || !b.pool.done) {
        batch_free(&b);
        return SIM_ENOMEM;
    }
    b.offset[0] = 0;
    for (i = 0; i < n; i++)
        for (t = b.first[i]; t < b.first[i + 1]; t++)
            b.offset[t + 1] = b.offset[t] + mdl_net_result_len(runs[i]->net);
    if (stage_init(&b.st, most, tasks) != SIM_OK) {
        batch_free(&b);
        return SIM_ENOMEM;
    }
    b.pool.nreps = (unsigned)tasks;
    b.pool.jobs = o->jobs ? o->jobs : 1;
    b.pool.offset = b.offset;
    b.pool.out = b.st.out;
    b.pool.fn = batch_rep;
    b.pool.ctx = &b;
    b.pool.progress = o->progress;
    b.pool.progress_ctx = o->progress_ctx;
    b.pool.finished = task_done;
    b.pool.finished_ctx = &b;
    if (o->within && b.pool.jobs <= 1)
        for (i = 0; i < n; i++)
            mdl_net_set_progress(runs[i]->net, o->within, o->progress_ctx);
    mm.n = n;
    mm.s = b.s;
    mm.first = b.first;
    mm.base = 0;
    rc = run_pool(&b.pool, &mm);
    for (i = 0; i < n; i++)
        mdl_net_set_progress(runs[i]->net, NULL, NULL);
    if (rc != SIM_OK && rc != SIM_EINTR) {
        *failed = run_of(&b, b.pool.failed);
        runs[*failed]->diag = b.pool.diag;
    }
    if (rc == SIM_OK || rc == SIM_EINTR)
        rc = b.rc;
    /* What a stop request cut short: the replications that finished. */
    for (i = 0; i < n && rc == SIM_OK; i++)
        if (!b.gathered[i] && b.left[i] < runs[i]->nreps)
            rc = gather(&b, i);
    if (rc == SIM_OK && b.pool.ndone < tasks)
        rc = SIM_EINTR;
    batch_free(&b);
    return rc;
}

/* ---- precision: replications until an interval is narrow enough ---- */

static const ana_run_opts none_opts = {0};

/* Replications base, base + 1, ... of one run, as tasks 0, 1, ...,
 * put in its store as rows base, base + 1, ... */
typedef struct rep_round {
    mdl_net *net;
    unsigned base, most;
    const ana_run_opts *o;
    ana_store *res;
    const double *buf;          /* the stage */
    int rc;                     /* SIM_ENOMEM when a vector was not kept */
} rep_round;

static int round_rep(void *ctx, unsigned t, double *out, sim_diag *d)
{
    const rep_round *x = ctx;

    return mdl_net_run(x->net, x->base + t, out, NULL, d);
}

static void round_done(void *ctx, unsigned t)
{
    rep_round *x = ctx;

    if (x->rc == SIM_OK)
        x->rc = ana_store_put(x->res, x->base + t, x->buf);
}

static void round_progress(void *ctx, unsigned done, unsigned total)
{
    const rep_round *x = ctx;

    (void)total;
    if (x->o->progress)
        x->o->progress(x->o->progress_ctx, x->base + done, x->most);
}

/* Is the metric's interval over the first n rows within the bound?
 * *rel gets its relative half-width (the larger side, as the interval
 * may be clipped). */
static int precise_enough(ana_run *r, unsigned n, double *rel, int *rc)
{
    ana_report rep;
    const ana_ci *ci;
    double half;
    int met;

    *rc = ana_report_init(&rep, r->s, r->net, r->th, n, &r->results);
    if (*rc != SIM_OK)
        return 0;
    ci = &rep.ci[r->precision_metric];
    half = fmax(ci->mean - ci->low, ci->high - ci->mean);
    *rel = half / fabs(ci->mean);
    met = n >= 2 && isfinite(half) && half <= r->s->precision.relative
                                              * fabs(ci->mean);
    ana_report_destroy(&rep);
    return met;
}

/*
 * Sequential stopping (Law 2015, sec. 9.4.1): run.replications first
 * (n0, at least 2), then more in rounds, until the first n >= n0 at which
 * the metric's interval
 * over replications 0..n-1 has a half-width within `relative` of its
 * mean, or max_replications. Every n is checked in order, so where it
 * stops does not depend on the rounds (nor on -j); the replications of
 * the last round beyond it are thrown away. A round asks for the
 * classical estimate n (h / target)^2, at least one more replication
 * per process and at most twice as many as there are.
 */
static int run_precise(ana_run *r, const ana_run_opts *o)
{
    const mdl_precision *pr = &r->s->precision;
    size_t len = mdl_net_result_len(r->net);
    unsigned most = mdl_scenario_max_replications(r->s), jobs, have = 0;
    unsigned want = r->nreps, n, stop = 0, i;
    unsigned checked = (r->nreps > 2 ? r->nreps : 2) - 1;  /* n0 - 1 */
    double rel = NAN;
    stage st = {NULL, NULL};
    int rc = SIM_OK;

    jobs = o && o->jobs ? o->jobs : 1;
    if ((rc = pilot_if_auto(r, o ? o : &none_opts)) != SIM_OK)
        return rc;
    len = mdl_net_result_len(r->net);       /* the net may be rebuilt */
    r->flags = calloc(most, 1);
    r->ids = malloc(most * sizeof *r->ids);
    if (ana_store_init(&r->results, r->net, most) != SIM_OK
        || !r->flags || !r->ids || stage_init(&st, len, most) != SIM_OK)
        return SIM_ENOMEM;
    if (o && o->within && jobs <= 1)
        mdl_net_set_progress(r->net, o->within, o->progress_ctx);
    while (!stop) {
        static const ana_run_opts none = {0};
        rep_round x = {r->net, have, most, o ? o : &none, &r->results,
                       st.buf, SIM_OK};
        size_t first[2] = {0, want - have};
        ana_mpi_models mm = {1, &r->s, first, have};
        sim_rep pool;
        memset(&pool, 0, sizeof pool);
        pool.nreps = want - have;
        pool.jobs = jobs;
        pool.len = len;
        pool.fn = round_rep;
        pool.ctx = &x;
        pool.progress = round_progress;
        pool.progress_ctx = &x;
        pool.finished = round_done;
        pool.finished_ctx = &x;
        pool.out = st.out;
        pool.done = r->flags + have;
        rc = run_pool(&pool, &mm);
        if (rc != SIM_OK)
            r->diag = pool.diag;
        if (x.rc != SIM_OK && (rc == SIM_OK || rc == SIM_EINTR))
            rc = x.rc;              /* a finished replication not kept */
        if (rc != SIM_OK)
            break;
        for (n = checked + 1; n <= want && !stop && rc == SIM_OK; n++)
            if (precise_enough(r, n, &rel, &rc))
                stop = n;
        checked = want;
        have = want;
        if (rc != SIM_OK || stop || want == most)
            break;
        /* the next round */
        n = isfinite(rel) ? (unsigned)fmin(2.0 * want, ceil(want * (rel
                / pr->relative) * (rel / pr->relative))) : 2 * want;
        want = n > want + jobs ? n : want + jobs;
        if (want > most)
            want = most;
    }
    mdl_net_set_progress(r->net, NULL, NULL);
    stage_destroy(&st);
    if (rc != SIM_OK && rc != SIM_EINTR)
        return rc;
    r->precision_met = stop > 0;
    if (!stop) {
        /* the replications finished, in order, up to the first gap */
        for (stop = 0; stop < most && r->flags[stop]; stop++)
            ;
        if (stop == 0)
            return SIM_EINTR;
        if (rc == SIM_EINTR)
            snprintf(r->partial, sizeof r->partial, "stopped by %s after "
                     "%u replications, before the precision asked for",
                     sim_sig_name(sim_sig_caught), stop);
        else
            precise_enough(r, stop, &rel, &rc);
    }
    r->nreps = r->done = stop;
    r->precision_rel = rel;
    for (i = 0; i < stop; i++)
        r->ids[i] = i;
    if (ana_report_init(&r->rep, r->s, r->net, r->th, r->done, &r->results)
        != SIM_OK)
        return SIM_ENOMEM;
    if (r->warm.on)
        r->rep.warmup_auto = r->warm.text;
    n = (unsigned)ana_run_metric(r, "system", "availability");
    r->finished = n < mdl_net_nmetrics(r->net) ? (unsigned)r->rep.ci[n].n
                                               : r->done;
    return SIM_OK;
}

int ana_run_reps(ana_run *r, const ana_run_opts *o)
{
    size_t failed;
    int rc;

    if (!o)
        o = &none_opts;
    if (r->s->warmup_auto && !r->warm.on) {
        ana_run_opts po;
        phase ph = {o, 0, 2 * r->nreps};
        if ((rc = pilot(r, phase_opts(&po, &ph))) != SIM_OK)
            return rc;
        ph.before = r->nreps;
        if (r->s->precision.on)
            return run_precise(r, phase_opts(&po, &ph));
        rc = ana_run_batch(&r, 1, phase_opts(&po, &ph), NULL, NULL,
                           &failed);
    } else if (r->s->precision.on) {
        return run_precise(r, o);
    } else {
        rc = ana_run_batch(&r, 1, o, NULL, NULL, &failed);
    }

    if (rc == SIM_EINTR && r->done == 0)
        return SIM_EINTR;
    return rc == SIM_EINTR ? SIM_OK : rc;
}

void ana_run_precision_note(const ana_run *r, char *buf, size_t n)
{
    const mdl_precision *p = &r->s->precision;

    if (r->precision_met)
        snprintf(buf, n, "%s within %.3g%% after %u replications", p->metric,
                 100 * p->relative, r->done);
    else
        snprintf(buf, n, "%s not within %.3g%% after %u replications (the "
                 "most asked for): %.3g%%", p->metric, 100 * p->relative,
                 r->done, 100 * r->precision_rel);
}

int ana_run_write(const ana_run *r, const char *dir, const char *command,
                  const char *load, sim_diag *d)
{
    ana_provenance pv = {0};
    char note[512];
    int rc;

    pv.command = command;
    pv.s = r->s;
    pv.replications = r->nreps;
    pv.done = r->done;
    pv.load = load;
    pv.partial = r->partial[0] ? r->partial : NULL;
    pv.warmup_auto = r->warm.on ? r->warm.text : NULL;
    if (r->s->precision.on && !r->partial[0]) {
        ana_run_precision_note(r, note, sizeof note);
        pv.precision = note;
    }
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

int ana_run_set_load(mdl_scenario *s, double target, sim_diag *d)
{
    double rho;
    size_t i, k;
    int rc = ana_run_bottleneck(s, &rho, &k, d);

    if (rc != SIM_OK)
        return rc;
    if (!(rho > 0))
        return sim_diag_set(d, s->path, 0, 0, "the load is set by scaling "
                            "the open workloads' arrivals, and this "
                            "scenario has no open workload (one with an "
                            "arrival rate)");
    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed
            && (rc = mdl_dist_scale(&s->workloads[i].arrival, rho / target))
               != SIM_OK)
            return rc;
    /* Each scaling starts from the last: the recipe keeps them all. */
    return mdl_scenario_add_load(s, target);
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
        rc = ana_run_set_load(s, grid[i], d);
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
    char sub[32], pdir[4200], (*subs)[32], (*loads)[24];
    const char **names, **values, *axis = "load";
    size_t i, k = 0;
    int rc = SIM_OK;

    *done = 0;
    subs = malloc((n + 1) * sizeof *subs);
    loads = malloc((n + 1) * sizeof *loads);
    names = malloc((n + 1) * sizeof *names);
    values = malloc((n + 1) * sizeof *values);
    if (!subs || !loads || !names || !values) {
        free(subs);
        free(loads);
        free(names);
        free(values);
        return SIM_ENOMEM;
    }
    /* A stop request ends the sweep after the load it stopped, which
     * keeps what finished. */
    for (i = 0; i < n && !sim_sig_caught; i++) {
        ana_run_point p;

        if ((rc = ana_run_set_load(s, load[i], d)) != SIM_OK
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
        snprintf(loads[k], sizeof loads[k], "%.10g", load[i]);
        values[k] = loads[k];
        k++;
    }
    if (rc == 1 && sim_sig_caught && k > 0)
        rc = SIM_OK;                /* a partial sweep of what finished */
    else if (rc == SIM_OK && k == 0)
        rc = SIM_EINTR;             /* stopped before the first load */
    if (rc == SIM_OK
        && (rc = theory_curve(s, dir, load[0], load[k - 1], d)) == SIM_OK
        && (rc = ana_sweep_csv(dir, 1, &axis, k, values, names, d))
           == SIM_OK)
        rc = sweep_provenance(o, s, dir, k, n, d);
    if (rc == SIM_OK && !sim_sig_caught)
        rc = ana_plot_sweep(dir, o->gnuplot, d);
    *done = k;
    free(subs);
    free(loads);
    free(names);
    free(values);
    return rc;
}
