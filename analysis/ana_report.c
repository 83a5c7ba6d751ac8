/*
 * ana_report.c - confidence intervals, the results table and CSV files.
 *
 * Each metric's replication values are independent and identically
 * distributed, so the Student-t interval with n-1 degrees of freedom is
 * the classical choice (Law, "Simulation Modeling and Analysis", 5th ed.,
 * section 9.4). A replication that saw no event of a kind (no request
 * finished) contributes NaN and is left out of that metric's n. The
 * interval is clipped to the metric's range (never negative; at most 1
 * for a fraction), which only makes it tighter where it reached values
 * the metric cannot take.
 *
 * A latency quantile is not a mean, and the mean of the replications'
 * own quantiles is biased as a short replication's quantile is: at the
 * tail of a slowly mixing queue (M/M/1 at load 0.9, p99.9 from 45,000
 * requests) by more than the interval is wide, which then misses the
 * true value. So its estimate q is the quantile of the histogram pooled
 * over the replications, whose bias is that of the whole run.
 *
 * Its interval is by sectioning (Asmussen and Glynn, "Stochastic
 * Simulation: Algorithms and Analysis", 2007, ch. III.5a), the sections
 * being the n replications in which some request of the scope succeeded,
 * taken on the distribution function and mapped back (Woodruff,
 * "Confidence intervals for medians and other position measures", JASA
 * 47, 1952). A section's share F_i(x) of latencies at or below x is a
 * mean, unbiased for F(x) whatever the section's length; at x = q the
 * pooled share is p itself, and sectioning gives p +- t_{n-1, (1+level)/2}
 * sqrt(sum_i (F_i(q) - p)^2 / (n (n - 1))), and the interval of the
 * quantile is the pooled quantiles at those two levels (clipped to
 * 0..1: the smallest and largest latencies seen). Sectioning on the
 * sections' own quantiles q_i instead, q +- t sqrt(sum_i (q_i - q)^2 /
 * (n (n - 1))), reads the spread of a short section's quantile, which
 * is squeezed where few excursions decide it: in the case above its 95%
 * interval covered the true p99.9 in 74% of 300 runs, this one in 91%.
 * Pooling is one pass per scope over each replication's occupied bins
 * (ana_store.h keeps only those); each quantile then reads each
 * replication's bins up to q once.
 *
 * timeseries.csv has one row per replication, window and series, in
 * that order: a value per window for each replication, not an interval
 * (a plot averages them over the replications).
 *
 * CSV fields are written by libcsv when they need quoting (names may hold
 * commas); every file goes to a temporary name in the same directory and
 * is renamed into place, so readers never see half a file.
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../sim/sim_stat.h"
#include "ana_file.h"
#include "ana_report.h"

/* A histogram scope's bins summed over the replications. */
typedef struct pool {
    uint64_t *count;        /* SIM_HIST_BINS */
    double *tot;            /* nreps: each replication's count */
    uint64_t n;             /* all of them */
    size_t first;           /* the first bin that is not empty */
    size_t h;               /* the scope it holds; (size_t)-1: none */
} pool;

static void pool_destroy(pool *pl)
{
    free(pl->count);
    free(pl->tot);
}

static int pool_init(pool *pl, unsigned nreps)
{
    *pl = (pool){ .h = (size_t)-1 };      /* no scope held yet */
    pl->count = malloc(SIM_HIST_BINS * sizeof *pl->count);
    pl->tot = malloc((nreps ? nreps : 1) * sizeof *pl->tot);
    if (pl->count && pl->tot)
        return SIM_OK;
    pool_destroy(pl);
    return SIM_ENOMEM;
}

/* Sum scope h's bins over the replications into count[SIM_HIST_BINS]. */
static void pool_counts(const ana_report *r, size_t h, uint64_t *count)
{
    unsigned k;

    memset(count, 0, SIM_HIST_BINS * sizeof *count);
    for (k = 0; k < r->nreps; k++)
        ana_store_pool(r->res, k, h, count);
}

/* Sum scope h's bins over the replications into pl, unless pl holds it
 * already: a scope's quantiles are next to each other. A replication in
 * which no request of the scope succeeded has no bins and adds nothing.
 * Counts are whole numbers below 2^53, so each replication's total as a
 * double is exact. */
static void pool_scope(const ana_report *r, size_t h, pool *pl)
{
    size_t b;
    unsigned k;

    if (pl->h == h)
        return;
    pool_counts(r, h, pl->count);
    for (k = 0; k < r->nreps; k++)
        pl->tot[k] = (double)ana_store_total(r->res, k, h);
    pl->n = 0;
    for (b = 0; b < SIM_HIST_BINS; b++)
        pl->n += pl->count[b];
    for (pl->first = 0; pl->first < SIM_HIST_BINS - 1
                        && pl->count[pl->first] == 0; pl->first++)
        ;
    pl->h = h;
}

/* The p-quantile of histogram scope h pooled over the replications, and
 * its interval at level by sections on the distribution function
 * (Woodruff's; see the note at the top). f holds nreps. */
static void quantile_ci(const ana_report *r, size_t h, double p,
                        double level, double *f, pool *pl, ana_ci *out)
{
    size_t n = 0, bq;
    double q, within;
    ana_ci cdf;
    unsigned k;

    pool_scope(r, h, pl);
    q = sim_hist_quantile_counts(pl->count, pl->n, p);
    out->mean = q;
    out->low = out->high = out->se = NAN;
    if (isnan(q)) {
        out->n = 0;
        return;
    }
    /* F_k(q): the share of replication k's latencies at or below q, read
     * inside q's bin as the quantile was; the pooled share is p. */
    bq = sim_hist_bin(q);
    within = sim_hist_within(q);
    for (k = 0; k < r->nreps; k++) {
        double below, at;
        if (!(pl->tot[k] > 0))
            continue;
        below = (double)ana_store_below(r->res, k, h, bq);
        at = (double)ana_store_count(r->res, k, h, bq);
        f[n++] = (below + within * at) / pl->tot[k];
    }
    out->n = n;
    if (n < 2 || ana_ci_section(f, n, p, level, &cdf) != SIM_OK)
        return;
    /* p +- t se_F, inverted through the pooled quantile function. */
    out->low = sim_hist_quantile_counts(pl->count, pl->n, fmax(cdf.low, 0));
    out->high = sim_hist_quantile_counts(pl->count, pl->n,
                                         fmin(cdf.high, 1));
}

/* Metric m's interval at level into out; x (nreps values) and pl are
 * workspaces. */
static void metric_ci(const ana_report *r, size_t m, double level,
                      double *x, pool *pl, ana_ci *out)
{
    size_t n = 0, h;
    double p = mdl_net_metric_quantile(r->net, m, &h);
    unsigned k;

    if (p > 0) {
        quantile_ci(r, h, p, level, x, pl, out);
    } else {
        for (k = 0; k < r->nreps; k++) {
            double v = ana_store_values(r->res, k)[m];
            if (isfinite(v))
                x[n++] = v;
        }
        if (n == 0 || ana_ci_t(x, n, level, out) != SIM_OK) {
            out->mean = out->low = out->high = NAN;
            out->se = NAN;
            out->n = n;
            return;
        }
    }
    /* The t interval is symmetric; a mean near a bound of what the
     * metric can be (0, or 1 for a fraction) would reach past it. */
    if (out->low < 0)
        out->low = 0;
    if (out->high > mdl_net_metric_max(r->net, m))
        out->high = mdl_net_metric_max(r->net, m);
}

int ana_report_init(ana_report *r, const mdl_scenario *s, const mdl_net *net,
                    const ana_theory *th, unsigned nreps,
                    const ana_store *res)
{
    size_t m, nm = mdl_net_nmetrics(net);
    double *x = malloc((nreps ? nreps : 1) * sizeof *x);
    pool pl;
    int rc = pool_init(&pl, nreps);

    memset(r, 0, sizeof *r);
    r->s = s;
    r->net = net;
    r->th = th && th->applies ? th : NULL;
    r->nreps = nreps;
    r->res = res;
    r->ci = calloc(nm, sizeof *r->ci);
    r->bins = malloc(SIM_HIST_BINS * sizeof *r->bins);
    if (!x || rc != SIM_OK || !r->ci || !r->bins) {
        free(x);
        if (rc == SIM_OK)
            pool_destroy(&pl);
        ana_report_destroy(r);
        return SIM_ENOMEM;
    }
    for (m = 0; m < nm; m++)
        metric_ci(r, m, s->confidence, x, &pl, &r->ci[m]);
    free(x);
    pool_destroy(&pl);
    return SIM_OK;
}

int ana_report_ci_at(const ana_report *r, size_t m, double level,
                     ana_ci *out)
{
    double *x;
    pool pl;

    if (!(level > 0 && level < 1) || m >= mdl_net_nmetrics(r->net))
        return SIM_EINVAL;
    if (!(x = malloc((r->nreps ? r->nreps : 1) * sizeof *x)))
        return SIM_ENOMEM;
    if (pool_init(&pl, r->nreps) != SIM_OK) {
        free(x);
        return SIM_ENOMEM;
    }
    metric_ci(r, m, level, x, &pl, out);
    free(x);
    pool_destroy(&pl);
    return SIM_OK;
}

void ana_report_destroy(ana_report *r)
{
    free(r->ci);
    free(r->bins);
    r->ci = NULL;
    r->bins = NULL;
}

/* ---- the table ---- */

const char *ana_report_time_unit(double x, double *scale)
{
    x = fabs(x);
    if (x == 0.0) {         /* a wait that never happened: ms reads best */
        *scale = 1e3;
        return "ms";
    }
    if (!(x < 1.0)) {
        *scale = 1.0;
        return "s";
    }
    if (x >= 1e-3) {
        *scale = 1e3;
        return "ms";
    }
    *scale = 1e6;
    return "us";
}

static void fmt(char *buf, size_t n, double x, double scale)
{
    if (isnan(x))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.4g", x * scale);
}

/* Copy the next of the comma-separated patterns at *list into pat and
 * move *list past it; 0 at the end of the list. */
static int next_pattern(const char **list, char *pat, size_t n)
{
    size_t len;

    if (!**list)
        return 0;
    len = strcspn(*list, ",");
    snprintf(pat, n, "%.*s", (int)len, *list);
    *list += len + ((*list)[len] == ',');
    return 1;
}

/* Does one of the fnmatch() patterns in list match scope? */
static int matches(const char *list, const char *scope)
{
    char pat[512];

    while (next_pattern(&list, pat, sizeof pat))
        if (pat[0] && fnmatch(pat, scope, 0) == 0)
            return 1;
    return 0;
}

/* An outcome that departs from its usual value (notable: errors, a
 * service down) is shown for services and calls too. */
int ana_rows_shown(const ana_rows *rows, const char *scope,
                   const char *metric, double th, int notable)
{
    if (rows && rows->all)
        return 1;
    if (rows && rows->show)
        return matches(rows->show, scope);
    if (!strcmp(scope, "system") || !strncmp(scope, "class:", 6)
        || !isnan(th))
        return 1;
    if (notable && (!strncmp(scope, "service:", 8)
                    || !strncmp(scope, "call:", 5)))
        return 1;
    return !strncmp(scope, "service:", 8)
           && (!strcmp(metric, "utilization")
               || !strcmp(metric, "self_share"));
}

int ana_report_check_show(const mdl_net *net, const char *show, sim_diag *d)
{
    char pat[512];
    size_t m, nm = mdl_net_nmetrics(net);

    while (next_pattern(&show, pat, sizeof pat)) {
        for (m = 0; m < nm && fnmatch(pat, mdl_net_scope(net, m), 0); m++)
            ;
        if (m == nm)
            return sim_diag_set(d, NULL, 0, 0, "--show: '%s' matches no "
                                "scope (scopes are system, class:NAME, "
                                "service:NAME, replica:NAME#K, "
                                "stage:NAME#S, call:A->B and publish:A->B; "
                                "'*' matches any text)", pat);
    }
    return SIM_OK;
}

void ana_report_print(const ana_report *r, const ana_rows *rows, FILE *out)
{
    const mdl_scenario *s = r->s;
    size_t m, nm = mdl_net_nmetrics(r->net), hidden = 0;
    int w = 22;     /* scope column: as wide as the longest scope shown */
    char level[32];

    for (m = 0; m < nm; m++) {
        const char *scope = mdl_net_scope(r->net, m);
        double usual;
        int notable = mdl_net_metric_quiet(r->net, m, &usual)
                      && r->ci[m].mean != usual;
        if (ana_rows_shown(rows, scope, mdl_net_metric(r->net, m),
                  ana_theory_get(r->th, scope, mdl_net_metric(r->net, m)),
                  notable)
            && (int)strlen(scope) > w)
            w = (int)strlen(scope);
    }
    snprintf(level, sizeof level, "%g%% CI", 100 * s->confidence);
    fprintf(out, "%s: %u replication%s of %g s after %g s warm-up, seed "
            "%llu\n", s->name, r->nreps, r->nreps == 1 ? "" : "s",
            s->duration, s->warmup, (unsigned long long)s->seed);
    if (r->warmup_auto)
        fprintf(out, "warm-up: auto, %s\n", r->warmup_auto);
    if (r->th)
        fprintf(out, "theory: %s\n", r->th->model);
    fprintf(out, "\n%-*s %-16s %-4s %10s  %s", w, "scope", "metric", "unit",
            "simulated", r->th ? "" : level);
    if (r->th)
        fprintf(out, "%-22s %10s %8s %s", level, "theory", "error", "in CI");
    fputc('\n', out);
    for (m = 0; m < nm; m++) {
        const char *scope = mdl_net_scope(r->net, m);
        const char *metric = mdl_net_metric(r->net, m);
        const ana_ci *ci = &r->ci[m];
        double th = ana_theory_get(r->th, scope, metric), scale = 1.0;
        const char *unit = "";
        double usual;
        int quiet = mdl_net_metric_quiet(r->net, m, &usual);
        char mean[32], lo[32], hi[32], thv[32], err[32] = "", ci_txt[80];

        /* Outcomes such as rejections only matter where they happen. */
        if (quiet && ci->mean == usual && !(th > 0))
            continue;
        if (!ana_rows_shown(rows, scope, metric, th, quiet)) {
            hidden++;
            continue;
        }
        if (!strcmp(mdl_net_metric_unit(r->net, m), "s"))
            unit = ana_report_time_unit(ci->mean, &scale);
        fmt(mean, sizeof mean, ci->mean, scale);
        fmt(lo, sizeof lo, ci->low, scale);
        fmt(hi, sizeof hi, ci->high, scale);
        fmt(thv, sizeof thv, th, scale);
        if (isnan(ci->low))
            snprintf(ci_txt, sizeof ci_txt, "-");
        else
            snprintf(ci_txt, sizeof ci_txt, "[%s, %s]", lo, hi);
        if (!r->th) {
            fprintf(out, "%-*s %-16s %-4s %10s  %s\n", w, scope, metric,
                    unit, mean, ci_txt);
            continue;
        }
        if (!isnan(th) && th != 0.0 && !isnan(ci->mean))
            snprintf(err, sizeof err, "%+.2f%%", 100 * (ci->mean - th) / th);
        fprintf(out, "%-*s %-16s %-4s %10s  %-22s %10s %8s %s\n", w, scope,
                metric, unit, mean, ci_txt, thv, err,
                isnan(th) || isnan(ci->low) ? ""
                : ana_ci_covers(ci, th) ? "yes" : "NO");
    }
    if (hidden)
        fprintf(out, "\n%zu more row%s in summary.csv: --all prints every "
                "row, --show SCOPES the rows of some scopes\n", hidden,
                hidden == 1 ? "" : "s");
}

/* ---- files ---- */

typedef void (*writer_fn)(const ana_report *r, FILE *f);

static void write_summary(const ana_report *r, FILE *f)
{
    size_t m, nm = mdl_net_nmetrics(r->net);

    fputs("scope,metric,mean,ci_low,ci_high,n\n", f);
    for (m = 0; m < nm; m++) {
        const double x[] = {
            r->ci[m].mean, r->ci[m].low, r->ci[m].high, (double)r->ci[m].n
        };
        ana_csv_row(f, mdl_net_scope(r->net, m), mdl_net_metric(r->net, m),
                    4, x);
    }
}

static void write_theory(const ana_report *r, FILE *f)
{
    size_t i;

    fputs("scope,metric,value\n", f);
    for (i = 0; i < r->th->n; i++)
        ana_csv_row(f, r->th->v[i].scope, r->th->v[i].metric, 1,
                    &r->th->v[i].value);
}

static void write_replications(const ana_report *r, FILE *f)
{
    size_t m, nm = mdl_net_nmetrics(r->net);
    unsigned k;

    fputs("replication,scope,metric,value\n", f);
    for (k = 0; k < r->nreps; k++)
        for (m = 0; m < nm; m++) {
            fprintf(f, "%u,", (r->ids ? r->ids[k] : k) + 1);
            ana_csv_row(f, mdl_net_scope(r->net, m),
                        mdl_net_metric(r->net, m), 1,
                        &ana_store_values(r->res, k)[m]);
        }
}

static void write_hist(const ana_report *r, FILE *f)
{
    size_t h, b;

    fputs("scope,bin_low,bin_high,count\n", f);
    for (h = 0; h < mdl_net_nhists(r->net); h++) {
        pool_counts(r, h, r->bins);
        for (b = 0; b < SIM_HIST_BINS; b++) {
            if (r->bins[b] == 0)
                continue;
            ana_csv_str(f, mdl_net_hist_scope(r->net, h));
            fprintf(f, ",%.10g,%.10g,%.0f\n", sim_hist_lower(b),
                    sim_hist_upper(b), (double)r->bins[b]);
        }
    }
}

/* One row per replication, window and series; the windows a replication
 * stopped before (run.requests) are left out. */
static void write_timeseries(const ana_report *r, FILE *f)
{
    const mdl_net *net = r->net;
    size_t ns = mdl_net_nseries(net), nw = mdl_net_nwindows(net), w, i;
    unsigned k;

    fputs("replication,time,scope,metric,value\n", f);
    for (k = 0; k < r->nreps; k++) {
        const double *x = ana_store_series(r->res, k);
        double end = x[0];
        for (w = 0; w < nw && mdl_net_window_start(net, w) < end; w++) {
            double t = mdl_net_window_end(net, w);
            for (i = 0; i < ns; i++) {
                fprintf(f, "%u,%.10g,", (r->ids ? r->ids[k] : k) + 1,
                        t < end ? t : end);
                ana_csv_row(f, mdl_net_series_scope(net, i),
                            mdl_net_series_metric(net, i), 1,
                            &x[1 + w * ns + i]);
            }
        }
    }
}

/* Write dir/name through a temporary file and rename. */
static int write_atomic(const ana_report *r, const char *dir,
                        const char *name, writer_fn fn, sim_diag *d)
{
    ana_file a;
    int rc = ana_file_open(&a, dir, name, d);

    if (rc != SIM_OK)
        return rc;
    fn(r, a.f);
    return ana_file_close(&a, SIM_OK, d);
}

int ana_report_write(const ana_report *r, const char *dir, sim_diag *d)
{
    int rc;

    if (ana_file_mkdirs(dir) < 0) {
        sim_diag_set(d, NULL, 0, 0, "cannot create results folder '%s': %s",
                     dir, strerror(errno));
        return SIM_EIO;
    }
    rc = write_atomic(r, dir, "summary.csv", write_summary, d);
    if (rc == SIM_OK && r->th) {
        rc = write_atomic(r, dir, "theory.csv", write_theory, d);
    } else if (rc == SIM_OK) {
        /* A theory.csv from an earlier run would belong to another model. */
        char old[4096];
        snprintf(old, sizeof old, "%s/theory.csv", dir);
        unlink(old);
    }
    if (rc == SIM_OK)
        rc = write_atomic(r, dir, "replications.csv", write_replications, d);
    if (rc == SIM_OK)
        rc = write_atomic(r, dir, "latency_hist.csv", write_hist, d);
    if (rc == SIM_OK)
        rc = write_atomic(r, dir, "timeseries.csv", write_timeseries, d);
    return rc;
}
