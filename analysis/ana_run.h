/*
 * ana_run.h - simulate a scenario: its replications summarised into
 * confidence intervals, the results folder they make, and a load sweep.
 * `qmesh run`, the statistical suites and the benchmarks all go through
 * here; callers only print.
 *
 * A run borrows its scenario, which must outlive it (the model reads it
 * while simulating), and owns the model, the theory and the results. The
 * replications' results are byte-identical whatever the number of worker
 * processes (sim_rep.h). After sim_sig_catch(), a SIGINT or SIGTERM ends
 * a run early and keeps the replications that finished, and ends a sweep
 * after the load it stopped, keeping the loads that finished.
 *
 * A scenario with `warmup: auto` is simulated twice: a pilot without
 * warm-up, whose time series choose the warm-up by MSER-5
 * (ana_warmup.h), then the same replications with that warm-up and the
 * scenario's duration after it. It costs up to 2.5 times a run without
 * warm-up (the pilot's duration, then at most 1.5 times it).
 */
#ifndef ANA_RUN_H
#define ANA_RUN_H
#include <stddef.h>
#include <stdint.h>
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_rep.h"
#include "ana_report.h"
#include "ana_store.h"
#include "ana_theory.h"
#include "ana_warmup.h"

/* How to run the replications. A zeroed struct runs them in this
 * process, silently. */
typedef struct ana_run_opts {
    unsigned jobs;              /* worker processes; <= 1: this process */
    sim_rep_progress progress;  /* after each replication, or NULL */
    /* Now and then within a replication, the fraction of its simulated
     * time done (jobs <= 1 only), or NULL. Must not touch the run. */
    void (*within)(void *ctx, double frac);
    void *progress_ctx;         /* for both */
} ana_run_opts;

typedef struct ana_run {
    /* read-only */
    const mdl_scenario *s;      /* borrowed; with warmup: auto, after
                                   ana_run_reps() has run the pilot, an
                                   owned copy of the borrowed struct
                                   (sharing its pointers) whose warmup
                                   is the one chosen */
    mdl_net *net;               /* owned */
    ana_theory *th;             /* owned */
    unsigned nreps;             /* asked for: s->replications */
    unsigned done;              /* finished: the rows of results */
    unsigned finished;          /* replications in which some request
                                   finished; 0 leaves nothing to report */
    ana_store results;        /* owned: done rows, one per finished
                                   replication */
    ana_report rep;             /* intervals over the rows */
    char partial[128];          /* why the result is partial ("stopped by
                                   SIGINT after 3 of 10 replications"),
                                   "" when every replication finished */
    sim_diag diag;              /* the failed replication's, msg "" when
                                   it said nothing more */
    /* run.precision: whether the interval got within the bound, and its
     * relative half-width at the end (nreps is then where it stopped) */
    int precision_met;
    double precision_rel;
    ana_warmup warm;            /* warm.on: the warm-up chosen for
                                   warmup: auto */
    /* private */
    mdl_scenario *own;          /* what s points to after a pilot */
    size_t precision_metric;    /* run.precision's metric */
    unsigned *ids;              /* the replication of each row */
    unsigned char *flags;       /* sim_rep's done[] */
} ana_run;

/* Build the model and theory of s (borrowed, checked by its loader).
 * Returns SIM_OK; SIM_EPARSE with d (mdl_net_new()); or SIM_ENOMEM.
 * Call ana_run_destroy() either way. */
int ana_run_init(ana_run *r, const mdl_scenario *s, sim_diag *d);
/* Free what r owns; a zeroed or half-built r is fine. */
void ana_run_destroy(ana_run *r);

/* Run the r->nreps replications as o says (NULL: the defaults) and
 * compute the intervals over those that finished; with warmup: auto,
 * the pilot first (progress then counts 2 x r->nreps replications), and
 * r->net is rebuilt. With run.precision, replications are added until
 * the interval of its metric is narrow enough (r->nreps is then where it
 * stopped, the same for any o->jobs), or its max_replications. Returns
 * SIM_OK, with r->partial set when a stop request ended the run after
 * some finished; SIM_EINTR when it came before any finished (or during
 * the pilot); the failed replication's
 * code, with r->diag; or SIM_ENOMEM. Check r->finished after SIM_OK. */
int ana_run_reps(ana_run *r, const ana_run_opts *o);
/* Told that run i of a batch has all its replications and its
 * intervals, while the others go on. */
typedef void (*ana_run_ready_fn)(void *ctx, size_t i);
/* Run the replications of runs[0..n-1] in one pool of o->jobs worker
 * processes, run after run (each run's results are byte-identical to
 * ana_run_reps()'s), telling ready (may be NULL) of each run as its last
 * replication comes in. Returns SIM_OK when every run finished;
 * SIM_EINTR when a stop request ended the pool (the runs it cut short
 * have the replications that finished, with r->partial set, as after
 * ana_run_reps()); a failed replication's code, with *failed the run
 * and its r->diag; or SIM_ENOMEM. Runs with run.precision, whose
 * replications are decided as they come, run one after another. */
int ana_run_batch(ana_run *const *runs, size_t n, const ana_run_opts *o,
                  ana_run_ready_fn ready, void *ctx, size_t *failed);
/* Which of n runs task t of a pool belongs to, runs taking tasks
 * first[i] .. first[i + 1] - 1 in turn: the last i with first[i] <= t
 * (binary search; n >= 1). */
size_t ana_run_task_owner(const size_t *first, size_t n, size_t t);
/* One replication rep into out[mdl_net_result_len(r->net)], counting the
 * events fired into events (may be NULL): nothing more than the
 * simulation, for timing it. Returns mdl_net_run()'s code, with
 * r->diag. */
int ana_run_one(ana_run *r, unsigned rep, double *out, uint64_t *events);
/* Write the results folder dir (created if missing) of a run whose
 * ana_run_reps() succeeded: the CSV files of ana_report_write() and
 * provenance.csv, which records command (the command line as typed) and
 * load (a sweep point's load as written, or NULL). Returns SIM_OK, or
 * SIM_EIO with d naming the file. */
int ana_run_write(const ana_run *r, const char *dir, const char *command,
                  const char *load, sim_diag *d);

/* What run.precision came to, into buf: "class:a.latency_p99 within 2%
 * after 37 replications", or how far it got. */
void ana_run_precision_note(const ana_run *r, char *buf, size_t n);
/* The index of metric (scope, metric) in r's result vector, or
 * mdl_net_nmetrics() when there is no such metric. */
size_t ana_run_metric(const ana_run *r, const char *scope,
                      const char *metric);
/* The total arrival rate of s's open workloads (1/s): sum of 1 / mean
 * inter-arrival time. */
double ana_run_open_rate(const mdl_scenario *s);

/* ---- load sweeps ----
 *
 * The load of a scenario is the utilization of its bottleneck, the
 * queueing station (delay stations never queue) with the largest
 *
 *   rho = max_k lambda_k h_k / c_k
 *
 * (ana_flow.h). A sweep scales the open workloads' arrivals to each load
 * in turn, checks stability, and runs and writes that load's results
 * folder; then it writes the sweep's own files: sweep.csv,
 * sweep_theory.csv, provenance.csv and the sweep plot. */

/* The load of s under its open workloads, and which service it is (0
 * when there is no open workload: *rho is then 0). Returns SIM_OK or
 * ana_flow_init()'s code with d. */
int ana_run_bottleneck(const mdl_scenario *s, double *rho, size_t *which,
                       sim_diag *d);

/* Scale every open workload of s so that the bottleneck's load is
 * target, in (0, 1), and add target to s->loads (its recipe). Returns
 * SIM_OK; SIM_EPARSE with d when s has no open workload;
 * ana_flow_init()'s code with d; or SIM_ENOMEM. */
int ana_run_set_load(mdl_scenario *s, double target, sim_diag *d);

/* One load of a sweep, as its run ends. */
typedef struct ana_run_point {
    double load;                /* the bottleneck's utilization */
    double rate;                /* the open workloads' arrivals (1/s) */
    const char *sub;            /* its folder within the sweep's:
                                   "load/0.5" */
    const char *dir;            /* its folder in full */
    int rc;                     /* ana_run_reps()'s code */
    const ana_run *run;         /* the run, valid during the call */
} ana_run_point;

/* Told of each load: of a failed run (p->rc is not SIM_OK, or no
 * request finished: p->run->finished is 0), after which the sweep ends;
 * else once its folder is written. Return 0 to go on, anything else to
 * end the sweep, writing nothing more. */
typedef int (*ana_run_point_fn)(void *ctx, const ana_run_point *p);

typedef struct ana_run_sweep_opts {
    ana_run_opts run;           /* each load's replications */
    const char *command;        /* the command line, for provenance.csv */
    const char *spec;           /* the loads as asked ("0.1:0.9:0.1"),
                                   for the sweep's provenance.csv */
    int plot;                   /* also plot each load's folder */
    const char *gnuplot;        /* renders the plots; NULL: scripts only */
    ana_run_point_fn point;     /* may be NULL */
    void *ctx;
} ana_run_sweep_opts;

/* Run s (borrowed; its open workloads are rescaled, and left at the last
 * load tried) at load[0..n-1], each in (0, 1), into the folder dir:
 * dir/load/<load>/ per load, then the sweep's files. Returns SIM_OK with
 * *done loads written (fewer than n when a stop request ended the sweep:
 * a partial sweep); 1 when a failed run or fn ended it (nothing more is
 * written, and the run's failure is fn's to tell); SIM_EINTR when a stop
 * request came before the first load; or SIM_EUNSTABLE, SIM_EIO,
 * SIM_EPARSE or SIM_ENOMEM with d. */
int ana_run_sweep(mdl_scenario *s, const double *load, size_t n,
                  const char *dir, const ana_run_sweep_opts *o,
                  size_t *done, sim_diag *d);

#endif /* ANA_RUN_H */
