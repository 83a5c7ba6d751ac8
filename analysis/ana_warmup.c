/*
 * ana_warmup.c - MSER-5 truncation of a pilot's time series
 * (ana_warmup.h).
 *
 * References: K. P. White Jr., "An effective truncation heuristic for
 * bias reduction in simulation output", Simulation 69(6), 1997,
 * 323-334; K. P. White Jr., M. J. Cobb and S. C. Spratt, "A comparison
 * of five steady-state truncation heuristics for simulation", Proc.
 * Winter Simulation Conference 2000, 755-760 (MSER-5: MSER over batch
 * means of 5 observations).
 *
 * MSER(d) for every d is one backward pass: adding the batch means from
 * the last to the first with Welford's update gives, after Z_{d+1}, the
 * count k = m - d, the mean Zbar(d) and the sum of squared deviations
 *
 *   S(d) = sum_{j=d+1}^{m} (Z_j - Zbar(d))^2,
 *
 * so MSER(d) = S(d) / k^2 in O(m), without the cancellation of
 * sum Z^2 - k Zbar^2. A constant series keeps S exactly 0.
 *
 * The failure condition is the minimum at the last truncation tried,
 * floor(m/2), and only there. A minimum a little before it is used as
 * it is: in a stationary but autocorrelated series, MSER now and then
 * finds its minimum late by chance (a calm stretch at the end leaves a
 * small S); taking "near the half" as failure too warned on about 1 in
 * 20 runs of an M/M/1 queue at load 0.9 sixteen relaxation times long.
 * Truncating late costs simulated time only, as the run proper measures
 * the whole duration after the warm-up. The chance of a minimum at the
 * half in a settled series falls fast with the number of batches m: in
 * a simulation of independent normal batch means, 2.4% at m = 20, 0.3%
 * at 40, 0.06% at 60; hence the pilot's fine windows
 * (MDL_WARMUP_PILOT_WINDOWS, mdl_scenario.h).
 *
 * A series whose mean is 0 in most windows (a station so lightly loaded
 * that its queue is mostly empty, 3e-7 requests on average at one
 * memcached of scenarios/hotel_reservation.yaml) is left out: its start
 * from empty, its usual state, carries no bias to speak of, and MSER
 * over a few isolated spikes only finds where the last one fell (a tail
 * of zeros gives MSER(d) = 0).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "ana_warmup.h"

int ana_warmup_mser(const double *y, size_t n, size_t batch, ana_mser *out)
{
    size_t m, j, i;
    double mean = 0, s = 0, best = INFINITY;

    memset(out, 0, sizeof *out);
    if (batch == 0 || n < batch)
        return SIM_EINVAL;
    m = n / batch;
    out->batches = m;
    out->half = m / 2;
    for (j = m; j-- > 0;) {
        double z = 0, delta, k = (double)(m - j), v;

        for (i = 0; i < batch; i++)
            z += y[j * batch + i];
        z /= (double)batch;
        if (!isfinite(z))
            return SIM_EINVAL;
        /* Welford: the batches j..m-1 (0-based), k of them. */
        delta = z - mean;
        mean += delta / k;
        s += delta * (z - mean);
        if (j > out->half)
            continue;
        v = s / (k * k);        /* MSER(j) = S(j) / (m - j)^2 */
        if (v <= best) {        /* j falls: the smallest d wins ties */
            best = v;
            out->d = j;
        }
    }
    out->mser = best;
    out->settled = out->d < out->half;
    return SIM_OK;
}

int ana_warmup_windowed(const mdl_failure *f)
{
    return f->at > 0 || isfinite(f->len);
}

/* Is series i of net one MSER may look at: a queueing station's
 * queue_mean (delay: 0), or a delay station's utilization (delay: 1)?
 * ana_warmup_choose() then leaves out the idle ones. */
static int congestion(const mdl_scenario *s, const mdl_net *net, size_t i,
                      int delay)
{
    const char *scope = mdl_net_series_scope(net, i);
    const char *metric = mdl_net_series_metric(net, i);
    int k;

    if (strncmp(scope, "service:", 8))
        return 0;
    if ((k = mdl_topology_find(s->topo, scope + 8)) < 0)
        return 0;
    if (s->topo->services[k].kind == MDL_SVC_DELAY)
        return delay && !strcmp(metric, "utilization");
    return !delay && !strcmp(metric, "queue_mean");
}

/* The windows of net's series that are whole: a last window shorter than
 * the others is left out. */
static size_t whole_windows(const mdl_net *net, double *width)
{
    size_t n = mdl_net_nwindows(net);
    double last;

    *width = n ? mdl_net_window_end(net, 0) - mdl_net_window_start(net, 0)
               : 0;
    if (n < 2)
        return n;
    last = mdl_net_window_end(net, n - 1) - mdl_net_window_start(net, n - 1);
    return last < *width * (1 - 1e-9) ? n - 1 : n;
}

/* Append "'name'" to the list buf of n bytes, comma-separated. */
static void list_add(char *buf, size_t n, const char *name)
{
    size_t len = strlen(buf);

    if (len + 1 < n)
        snprintf(buf + len, n - len, "%s'%s'", len ? ", " : "", name);
}

int ana_warmup_choose(ana_warmup *w, const mdl_scenario *s,
                      const mdl_net *net, const ana_store *res,
                      unsigned nreps)
{
    size_t ns = mdl_net_nseries(net), i, k, busy;
    size_t used = 0, idle = 0, best = 0;
    double *y;
    int delay, rc = SIM_OK, named = 0;
    unsigned r;

    memset(w, 0, sizeof *w);
    w->on = 1;
    w->settled = 1;
    w->windows = whole_windows(net, &w->window);
    if (w->windows < ANA_WARMUP_BATCH || nreps == 0)
        return SIM_EINVAL;
    if (!(y = malloc(w->windows * sizeof *y)))
        return SIM_ENOMEM;
    /* Queueing stations; delay stations only when there is none. */
    for (delay = 0; delay < 2 && used + idle == 0 && rc == SIM_OK; delay++)
        for (i = 0; i < ns && rc == SIM_OK; i++) {
            char name[160];
            ana_mser m;
            size_t d;

            if (!congestion(s, net, i, delay))
                continue;
            /* The mean over the replications, window by window. */
            for (k = busy = 0; k < w->windows; k++) {
                double sum = 0;
                for (r = 0; r < nreps; r++)
                    sum += ana_store_series(res, r)[1 + k * ns + i];
                y[k] = sum / nreps;
                busy += y[k] > 0;
            }
            if (2 * busy < w->windows) {
                idle++;
                continue;
            }
            if ((rc = ana_warmup_mser(y, w->windows, ANA_WARMUP_BATCH, &m))
                != SIM_OK)
                break;
            snprintf(name, sizeof name, "%s %s", mdl_net_series_scope(net, i),
                     mdl_net_series_metric(net, i));
            d = m.d;                /* m.half when unsettled */
            if (!m.settled) {
                w->settled = 0;
                list_add(w->unsettled, sizeof w->unsettled, name);
            }
            if (!named || d > best) {
                best = d;
                named = 1;
                snprintf(w->series, sizeof w->series, "%s", name);
            }
            used++;
        }
    free(y);
    if (rc != SIM_OK)
        return rc;
    if (used == 0) {            /* no queue: nothing to settle */
        snprintf(w->text, sizeof w->text, "0 s (MSER-5: no service had a "
                 "queue in half of the windows)");
        return SIM_OK;
    }
    w->d = best;
    w->warmup = (double)(best * ANA_WARMUP_BATCH) * w->window;
    if (used > 1)
        snprintf(w->text, sizeof w->text, "%g s (MSER-5 on %s, the slowest "
                 "of %zu series%s)", w->warmup, w->series, used,
                 w->settled ? "" : "; the run looks too short to reach "
                 "steady state");
    else
        snprintf(w->text, sizeof w->text, "%g s (MSER-5 on %s%s)",
                 w->warmup, w->series, w->settled ? "" : "; the run looks "
                 "too short to reach steady state");
    return SIM_OK;
}
