/*
 * mdl_net.h - the simulated model of a scenario: requests flowing through
 * service stations, one replication at a time.
 *
 * A request is an object with a journey: its class, when it entered, the
 * station it is at, and when it got there. Stations are c-server FIFO or
 * processor-sharing queues, with optional finite capacity (arrivals beyond
 * it are rejected), or infinite-server delay stations. After a visit the
 * request follows one `forward` edge chosen by its probability, or leaves.
 *
 * Each replication fills one result vector: first the metrics named by
 * mdl_net_scope()/mdl_net_metric() (units: s, 1/s, fractions), then one
 * latency histogram of SIM_HIST_BINS counts per histogram scope (the
 * system, then each class), for latency_hist.csv; then, from
 * mdl_net_series_offset(), the time series for timeseries.csv: the
 * time the replication ended (s), then window by window the value of
 * each series (NaN for windows after the end).
 */
#ifndef MDL_NET_H
#define MDL_NET_H
#include <stddef.h>
#include <stdint.h>
#include "../sim/sim_err.h"
#include "mdl_scenario.h"

typedef struct mdl_net mdl_net;

/* Build the model of s (borrowed; it must outlive the net), as
 * mdl_scenario_load() returned it: the loader refuses what cannot be
 * simulated. Returns SIM_OK, SIM_EPARSE with d naming a cycle through a
 * waiting caller (a second guard), or SIM_ENOMEM. */
int mdl_net_new(mdl_net **out, const mdl_scenario *s, sim_diag *d);
void mdl_net_free(mdl_net *net);

size_t mdl_net_nmetrics(const mdl_net *net);
/* "system", "class:NAME" or "service:NAME"; valid while net lives. */
const char *mdl_net_scope(const mdl_net *net, size_t i);
/* "latency_mean", "utilization", ... */
const char *mdl_net_metric(const mdl_net *net, size_t i);
/* "s" for a time, "1/s" for a rate, "" for a count, ratio or fraction. */
const char *mdl_net_metric_unit(const mdl_net *net, size_t i);
/* Nonzero for a metric that matters only where it departs from its
 * usual value, written to *usual: an outcome such as rejected, failed or
 * timeouts (usually 0), a service's up (usually 1). A table may leave
 * out the usual values. */
int mdl_net_metric_quiet(const mdl_net *net, size_t i, double *usual);
/* The largest value metric i can take: 1 for a fraction (availability,
 * rejected, failed, p_wait, the utilization of a queueing station), else
 * +inf. No metric is negative. */
double mdl_net_metric_max(const mdl_net *net, size_t i);
/* Which way metric i is better, for judging a difference between two
 * architectures (qmesh compare): lower (latencies, waits, queues,
 * errors, timeouts, rejections, tries...), higher (availability, up), or
 * neither (utilization, throughput, visits, replicas...). */
enum { MDL_BETTER_LOWER = 1, MDL_BETTER_HIGHER, MDL_BETTER_NEITHER };
int mdl_net_metric_better(const mdl_net *net, size_t i);
/* For a latency quantile (latency_p50, _p95, _p99, _p999 of the system
 * or a class): its p (0.5 ... 0.999), with *hist set to the histogram
 * scope it is read from, by sim_hist_quantile(). 0 for any other metric
 * (*hist untouched). */
double mdl_net_metric_quantile(const mdl_net *net, size_t i, size_t *hist);
/* Histogram scopes: 0 is "system", 1.. are the classes. */
size_t mdl_net_nhists(const mdl_net *net);
const char *mdl_net_hist_scope(const mdl_net *net, size_t h);
/* Doubles in one replication's result vector. */
size_t mdl_net_result_len(const mdl_net *net);

/* Time series: system and class:NAME (throughput, availability,
 * latency_p50, latency_p99, attempts), service:NAME (utilization,
 * queue_mean), call:A->B with a breaker (breaker_open), in scope order;
 * valid while net lives. */
size_t mdl_net_nseries(const mdl_net *net);
const char *mdl_net_series_scope(const mdl_net *net, size_t i);
const char *mdl_net_series_metric(const mdl_net *net, size_t i);
/* Windows per replication, and where window k starts and ends (s from
 * the start of the replication, warm-up included; the last ends at
 * warm-up + duration). A replication that ended at t (run.requests) has
 * a last window ending at t and NaN after it. */
size_t mdl_net_nwindows(const mdl_net *net);
double mdl_net_window_start(const mdl_net *net, size_t k);
double mdl_net_window_end(const mdl_net *net, size_t k);
/* Where the time series start in the result vector: the end time, then
 * window k, series i at offset + 1 + k * mdl_net_nseries() + i. */
size_t mdl_net_series_offset(const mdl_net *net);

/* Have fn(ctx, fraction) told, now and then during a replication, how
 * far through its simulated time it is (0..1). fn must not touch net.
 * Reporting never changes the simulation. NULL turns it off. */
void mdl_net_set_progress(mdl_net *net, void (*fn)(void *ctx, double frac),
                          void *ctx);

/* A finished request, as an observer sees it. */
enum {
    MDL_REQ_OK, MDL_REQ_REJECTED, MDL_REQ_FAILED, MDL_REQ_TIMED_OUT,
    MDL_REQ_DEGRADED        /* a success, a fallback answering for a call */
};
typedef struct mdl_net_req {
    uint64_t id;            /* unique in the replication, increasing in
                               the order requests start */
    int cls;                /* class index (mdl_scenario classes) */
    double start, end;      /* s */
    int outcome;            /* MDL_REQ_* */
} mdl_net_req;

/* Have fn(ctx, r) told of every request as it finishes, warm-up
 * included; r is valid during the call. Observing never changes the
 * simulation. NULL turns it off. */
void mdl_net_set_observer(mdl_net *net,
                          void (*fn)(void *ctx, const mdl_net_req *r),
                          void *ctx);

/* Run replication rep, filling out[mdl_net_result_len()]. events (may be
 * NULL) receives the number of events fired. Returns SIM_OK; SIM_ENOMEM;
 * SIM_EINTR on a stop request (sim_sig.h); or SIM_ESTALL with d naming
 * the services involved when the model cannot advance: a deadlock (no
 * event left, requests still in the system) or time standing still
 * (millions of events at one instant). */
int mdl_net_run(mdl_net *net, unsigned rep, double *out, uint64_t *events,
                sim_diag *d);

#endif /* MDL_NET_H */
