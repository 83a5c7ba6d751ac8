/*
 * bench_net.c - end-to-end throughput of the simulator on one scenario.
 *
 *   bench_net [-1] SCENARIO CUSTOMERS
 *
 * The scenario's run block is replaced so that about CUSTOMERS requests
 * enter: duration = CUSTOMERS / (total arrival rate of the open workloads)
 * in s, no warm-up, one replication, no request limit. The model is built
 * as `qmesh run` builds it (ana_run_init()); only the replication itself
 * (ana_run_one(), the simulation alone) is timed (CLOCK_MONOTONIC, and
 * the process's CPU time), for NTRIALS trials, trial t using replication
 * index t, and the medians of wall time, events/s (per second of wall
 * time, and of CPU time) and customers/s are printed; customers are the
 * requests that finished (the system throughput metric times the
 * duration).
 *
 * Memory must not grow with the run length: the calendar and request
 * pools grow to the peak number of pending events and requests, which
 * depends on the load, not on how long the run is. To show it, one run
 * of CUSTOMERS / 10 comes first and the peak resident set size
 * (getrusage ru_maxrss) is printed after it and again after the full
 * trials; the two figures should be equal up to noise.
 *
 * With -1 it prints one line instead, for bench/table.sh:
 *
 *   qmesh NAME M_EVENTS_PER_S WALL_S EVENTS CUSTOMERS CUSTOMERS_PER_S
 *         PEAK_RSS_MIB LAT_MEAN_S M_EVENTS_PER_CPU_S
 *
 * the medians of events/s, wall time and customers/s, the events and
 * customers of trial 0, the peak RSS after the trials, the system's
 * mean latency averaged over the trials, and the median of events per
 * second of the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), which a
 * busy neighbour on a shared machine disturbs less than wall time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "../analysis/ana_run.h"
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "../sim/sim_err.h"
#include "bench_util.h"

#define NTRIALS 5

/* One timed replication. */
typedef struct trial {
    double wall;            /* s */
    double cpu;             /* s of this process's CPU time */
    uint64_t events;
    double customers;       /* requests finished */
    double lat_mean;        /* the system's mean latency (s) */
} trial;

static double peak_rss_mib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;   /* Linux: KiB */
}

/* Run replication rep for about customers requests. */
static int run_once(ana_run *r, mdl_scenario *s, double rate,
                    double customers, unsigned rep, double *out, trial *t)
{
    size_t x = ana_run_metric(r, "system", "throughput");
    size_t lat = ana_run_metric(r, "system", "latency_mean");
    double t0, c0;
    int rc;

    if (x == mdl_net_nmetrics(r->net) || lat == mdl_net_nmetrics(r->net))
        sim_panic(__FILE__, __LINE__, "no system throughput or latency "
                  "metric");
    s->duration = customers / rate;
    s->warmup = 0;
    s->replications = 1;
    s->requests = 0;
    t0 = bench_seconds(CLOCK_MONOTONIC);
    c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    rc = ana_run_one(r, rep, out, &t->events);
    t->cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    t->wall = bench_seconds(CLOCK_MONOTONIC) - t0;
    t->customers = out[x] * s->duration;
    t->lat_mean = out[lat];
    return rc;
}

static int parse_customers(const char *arg, double *out)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(arg, &end);
    if (end == arg || *end || errno || !(x >= 10)) {
        fprintf(stderr, "bench_net: customers must be a number >= 10, "
                "found '%s'\n", arg);
        return -1;
    }
    *out = x;
    return 0;
}

int main(int argc, char **argv)
{
    mdl_scenario *s = NULL;
    ana_run r = {0};
    double *out = NULL;
    double customers, rate, rss_small, rss_big, lat = 0;
    double wall[NTRIALS], mev[NTRIALS], cps[NTRIALS], mev_cpu[NTRIALS];
    trial small, t[NTRIALS];
    sim_diag d;
    int rc, status = 1, terse = 0;
    unsigned i;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    if (argc > 1 && strcmp(argv[1], "-1") == 0) {
        terse = 1;
        argv++;
        argc--;
    }
    if (argc != 3) {
        fputs("usage: bench_net [-1] SCENARIO CUSTOMERS\n", stderr);
        return 2;
    }
    if (parse_customers(argv[2], &customers) < 0)
        return 2;
    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(&s, argv[1], NULL, 0, &d);
    if (rc == SIM_OK)
        rc = ana_run_init(&r, s, &d);
    if (rc == SIM_EPARSE || rc == SIM_ENOTSUP) {
        fputs("bench_net: ", stderr);
        sim_diag_print(&d, stderr);
        status = 2;
        goto done;
    }
    if (rc != SIM_OK) {
        fprintf(stderr, "bench_net: %s\n", sim_strerror(rc));
        goto done;
    }
    rate = ana_run_open_rate(s);
    if (rate <= 0) {
        fprintf(stderr, "bench_net: %s: no open workload to set the run "
                "length from\n", argv[1]);
        status = 2;
        goto done;
    }
    out = malloc(mdl_net_result_len(r.net) * sizeof *out);
    if (!out) {
        fputs("bench_net: out of memory\n", stderr);
        goto done;
    }

    /* A run one tenth as long first: its peak RSS is the baseline. */
    rc = run_once(&r, s, rate, customers / 10, 0, out, &small);
    if (rc != SIM_OK)
        goto sim_failed;
    rss_small = peak_rss_mib();
    for (i = 0; i < NTRIALS; i++) {
        rc = run_once(&r, s, rate, customers, i, out, &t[i]);
        if (rc != SIM_OK)
            goto sim_failed;
        wall[i] = t[i].wall;
        mev[i] = (double)t[i].events / t[i].wall / 1e6;
        mev_cpu[i] = (double)t[i].events / t[i].cpu / 1e6;
        cps[i] = t[i].customers / t[i].wall;
        lat += t[i].lat_mean / NTRIALS;
    }
    rss_big = peak_rss_mib();
    if (terse) {
        printf("qmesh %s %.3f %.4f %llu %.0f %.4g %.1f %.6g %.3f\n",
               s->name, bench_median(mev, NTRIALS), bench_median(wall, NTRIALS),
               (unsigned long long)t[0].events, t[0].customers,
               bench_median(cps, NTRIALS), rss_big, lat,
               bench_median(mev_cpu, NTRIALS));
        status = 0;
        goto done;
    }

    printf("scenario       %s (%s)\n", s->name, argv[1]);
    printf("customers      %.0f requested: duration %.6g s at %.6g req/s\n",
           customers, s->duration, rate);
    for (i = 0; i < NTRIALS; i++)
        printf("  trial %u      %.0f customers, %llu events, %.3f s, "
               "%.2f M events/s\n", i, t[i].customers,
               (unsigned long long)t[i].events, t[i].wall, mev[i]);
    printf("events/cust.   %.3f\n",
           (double)t[0].events / t[0].customers);
    printf("wall (median)  %.3f s\n", bench_median(wall, NTRIALS));
    printf("M events/s     %.2f (median)\n", bench_median(mev, NTRIALS));
    printf("  per CPU s    %.2f (median)\n", bench_median(mev_cpu, NTRIALS));
    printf("customers/s    %.3g (median)\n", bench_median(cps, NTRIALS));
    printf("peak RSS       %.1f MiB after %.0f customers, %.1f MiB after "
           "%.0f (x%d)\n", rss_small, small.customers, rss_big,
           customers, NTRIALS);
    status = 0;
    goto done;
sim_failed:
    fprintf(stderr, "bench_net: %s: %s\n", argv[1], sim_strerror(rc));
done:
    free(out);
    ana_run_destroy(&r);
    mdl_scenario_free(s);
    return status;
}
