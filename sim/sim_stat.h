/*
 * sim_stat.h - statistics collectors of one replication: constant memory
 * whatever the number of observations.
 *
 * sim_tally: count and sum of observations, for their mean. A sum is
 *            exact enough for a mean of positive times, and costs no
 *            division per observation, as a running mean would.
 * sim_twa:   time-weighted average of a piecewise-constant quantity
 *            (jobs in system, busy servers).
 * sim_hist:  log-spaced histogram of positive values (latencies in s):
 *            128 bins per power of two from 2^-30 s (about 1 ns) to 2^30 s
 *            (about 34 years), so a quantile read from it has relative
 *            error below 1/256 (0.4%). Values outside go to two end bins.
 * All are plain values: the caller embeds them and calls *_reset().
 */
#ifndef SIM_STAT_H
#define SIM_STAT_H
#include <stddef.h>
#include <stdint.h>

typedef struct sim_tally {
    double n, sum;               /* read-only */
} sim_tally;

void sim_tally_reset(sim_tally *t);
static inline void sim_tally_add(sim_tally *t, double x)
{
    t->n += 1.0;
    t->sum += x;
}
/* The mean; NaN with no observations. */
double sim_tally_mean(const sim_tally *t);

typedef struct sim_twa {
    double start;                /* read-only: time of the last reset (s) */
    double last;                 /* read-only: time of the last change (s) */
    double value;                /* read-only: current value */
    double area;                 /* read-only: integral since start */
} sim_twa;

/* Restart averaging at time now, keeping the current value. */
void sim_twa_reset(sim_twa *w, double now);
/* The quantity changes to value at time now (>= last change). */
static inline void sim_twa_set(sim_twa *w, double now, double value)
{
    w->area += w->value * (now - w->last);
    w->last = now;
    w->value = value;
}
/* Time average over [start, now]; the current value when no time passed. */
double sim_twa_mean(const sim_twa *w, double now);

#define SIM_HIST_SUB 128                 /* bins per power of two */
#define SIM_HIST_MINEXP (-30)
#define SIM_HIST_MAXEXP 30
#define SIM_HIST_BINS ((SIM_HIST_MAXEXP - SIM_HIST_MINEXP) * SIM_HIST_SUB + 2)

typedef struct sim_hist {
    uint64_t n;                          /* read-only */
    uint64_t count[SIM_HIST_BINS];       /* read-only */
} sim_hist;

void sim_hist_reset(sim_hist *h);
/* Bin index of x: 0 below 2^-30 s (and for x <= 0), SIM_HIST_BINS-1 at or
 * above 2^30 s. */
size_t sim_hist_bin(double x);
static inline void sim_hist_add(sim_hist *h, double x)
{
    h->count[sim_hist_bin(x)]++;
    h->n++;
}
/* Lower and upper edge of bin i (s). */
double sim_hist_lower(size_t i);
double sim_hist_upper(size_t i);
/* The p-quantile (0 <= p <= 1), interpolated linearly inside its bin;
 * NaN when the histogram is empty. */
double sim_hist_quantile(const sim_hist *h, double p);
/* Quantile of raw bin counts (for sums of histograms). */
double sim_hist_quantile_counts(const uint64_t *count, uint64_t n, double p);
/* The same when the bins outside first..last are empty (count[] is not
 * read there): n counts those inside. */
double sim_hist_quantile_range(const uint64_t *count, size_t first,
                               size_t last, uint64_t n, double p);
/* How far x lies into its bin sim_hist_bin(x), as a fraction of the
 * bin's width (0 <= f <= 1; 0 in the top bin, which has no upper edge):
 * the inverse of the linear reading inside a bin of the quantiles, so
 * that count[0..i-1] plus f count[i] is the number of values at or below
 * the quantile x. */
double sim_hist_within(double x);

#endif /* SIM_STAT_H */
