/*
 * ana_report.h - turn per-replication results into the outputs of
 * DESIGN.md section 6: confidence intervals (Student-t over the
 * replications; for latency quantiles, the quantile of the histograms
 * pooled over them with a sectioning interval), the printed table,
 * and summary.csv, theory.csv, replications.csv, latency_hist.csv and
 * timeseries.csv, each written to a temporary file and renamed into place.
 */
#ifndef ANA_REPORT_H
#define ANA_REPORT_H
#include <stdint.h>
#include <stdio.h>
#include "../models/mdl_net.h"
#include "ana_queue.h"
#include "ana_store.h"
#include "ana_theory.h"

typedef struct ana_report {
    const mdl_scenario *s;  /* borrowed */
    const mdl_net *net;     /* borrowed */
    const ana_theory *th;   /* borrowed; may be NULL */
    unsigned nreps;
    const ana_store *res;   /* borrowed: rows 0 .. nreps - 1 */
    const unsigned *ids;    /* borrowed, may be NULL: the replication
                               number of each row of res (0-based),
                               when some did not finish */
    const char *warmup_auto;/* borrowed, may be NULL: how warmup: auto
                               chose the warm-up, "412 s (MSER-5 on
                               service:db queue_mean)" */
    ana_ci *ci;             /* owned: one per metric; a latency
                               quantile's is not symmetric and has no
                               se (NaN) */
    /* private */
    uint64_t *bins;         /* owned: SIM_HIST_BINS, for latency_hist.csv */
} ana_report;

/* Compute the intervals (r->ids and r->warmup_auto are NULL: set them
 * after, if needed).
 * Returns SIM_OK or SIM_ENOMEM. */
int ana_report_init(ana_report *r, const mdl_scenario *s, const mdl_net *net,
                    const ana_theory *th, unsigned nreps,
                    const ana_store *res);
void ana_report_destroy(ana_report *r);
/* Metric m's interval at another level than the scenario's confidence
 * (a test's Bonferroni-corrected one), computed as r->ci[m] is. Returns
 * SIM_OK, SIM_EINVAL for a level outside (0, 1) or no metric m, or
 * SIM_ENOMEM. */
int ana_report_ci_at(const ana_report *r, size_t m, double level,
                     ana_ci *out);
/* Which rows the table shows: every row (all); or those of the scopes
 * matching one of the comma-separated fnmatch(3) patterns in show
 * ("class:*,service:db"); or, when both are unset, the system's and the
 * classes', each service's utilization and share of the latency, and
 * every row that has a theory value. */
typedef struct ana_rows {
    int all;
    const char *show;       /* borrowed, or NULL */
} ana_rows;

/* Whether a table shows the row of (scope, metric) whose theory value
 * is th (NaN: none) and whose value is notable (an outcome such as
 * errors away from its usual value): see ana_rows; rows may be NULL. */
int ana_rows_shown(const ana_rows *rows, const char *scope,
                   const char *metric, double th, int notable);
/* Scale and unit for showing a time of magnitude x (s): "s", "ms" or
 * "us" (ms for 0). */
const char *ana_report_time_unit(double x, double *scale);
/* Print the results table, theory beside simulation, to out; rows may
 * be NULL (the default rows). */
void ana_report_print(const ana_report *r, const ana_rows *rows, FILE *out);
/* SIM_OK when each pattern of show matches a scope of net, else
 * SIM_EPARSE with d naming the first that matches none. */
int ana_report_check_show(const mdl_net *net, const char *show, sim_diag *d);
/* Write the CSV files into dir (created if missing). Returns SIM_OK, or
 * SIM_EIO with d naming the file. */
int ana_report_write(const ana_report *r, const char *dir, sim_diag *d);

#endif /* ANA_REPORT_H */
