/*
 * ana_warmup.h - the warm-up of `run.warmup: auto`, chosen by MSER-5
 * (White 1997; White, Cobb and Spratt 2000) from the time series of a
 * pilot run without warm-up.
 *
 * MSER-5 batches a series of n window values into m = floor(n / 5)
 * batch means Z_1..Z_m (a trailing part batch is left out) and, for each
 * truncation d of the first d batches with 0 <= d <= floor(m / 2),
 * computes
 *
 *   MSER(d) = sum_{j=d+1}^{m} (Z_j - Zbar(d))^2 / (m - d)^2,
 *
 * Zbar(d) the mean of the batches kept: the squared standard error of
 * the truncated mean, up to a constant. The truncation d* minimising it
 * (the smallest on ties) trades the bias of the first batches against
 * the variance that truncating adds. A minimum at the last truncation
 * tried, d* = floor(m/2), is the rule's own sign of failure: the series
 * is still moving at half the run, and the run looks too short to have
 * reached steady state (the caller warns); floor(m/2) is then used.
 *
 * The series are the pilot's congestion measures, averaged over the
 * replications window by window: each queueing station's `queue_mean`
 * (Lq); a model whose stations all have infinite servers (no queue) has
 * its delay stations' `utilization` (the mean number in service)
 * instead. A series whose mean is 0 in more than half of the windows
 * (a queue mostly empty) is left out. The warm-up is the largest
 * truncation over the others, the slowest to settle: d batches of 5
 * windows; 0 when every series is left out.
 */
#ifndef ANA_WARMUP_H
#define ANA_WARMUP_H
#include <stddef.h>
#include "../models/mdl_net.h"
#include "../models/mdl_scenario.h"
#include "ana_store.h"

#define ANA_WARMUP_BATCH 5      /* windows per batch: MSER-5 */

/* MSER over one series. */
typedef struct ana_mser {
    size_t batches;             /* m */
    size_t half;                /* floor(m / 2): the last truncation tried */
    size_t d;                   /* the minimiser d*, in batches */
    double mser;                /* MSER(d*) */
    int settled;                /* 0: d* = half, the failure condition */
} ana_mser;

/* MSER with batches of batch values over y[0..n). Returns SIM_OK, or
 * SIM_EINVAL when there is not one whole batch (n < batch) or batch is
 * 0, or a value is not finite. */
int ana_warmup_mser(const double *y, size_t n, size_t batch, ana_mser *out);

/* The warm-up chosen for a run. */
typedef struct ana_warmup {
    int on;                     /* run.warmup was auto */
    double warmup;              /* s chosen: d batches of the pilot's
                                   windows */
    double window;              /* s, the pilot's window */
    size_t windows;             /* whole windows of the series */
    size_t d;                   /* batches truncated */
    int settled;                /* 0: some series hit the failure
                                   condition (see unsettled) */
    char series[160];           /* the series with the largest d*:
                                   "service:db queue_mean" */
    char unsettled[400];        /* those that hit the failure condition,
                                   "'service:db queue_mean', ...", or "" */
    char text[320];             /* for the table and provenance.csv:
                                   "412 s (MSER-5 on service:db
                                   queue_mean)" */
} ana_warmup;

/* Choose the warm-up from the pilot: net was built from s (borrowed),
 * the pilot's scenario, and res holds its nreps >= 1 replications in
 * rows 0 .. nreps - 1. Returns SIM_OK with w filled, SIM_EINVAL when the
 * series have not one whole batch, or SIM_ENOMEM. */
int ana_warmup_choose(ana_warmup *w, const mdl_scenario *s,
                      const mdl_net *net, const ana_store *res,
                      unsigned nreps);

/* Does failure f have a window of its own (`at` after the start or a
 * `for`), as opposed to lasting the whole run? The pilot leaves such
 * failures out: they are events to measure, not part of steady state. */
int ana_warmup_windowed(const mdl_failure *f);

#endif /* ANA_WARMUP_H */
