/*
 * ana_plot_series.c - the time-series plot (timeseries.gp): throughput,
 * availability, p99 latency and the state of each breaker against time,
 * the mean over replications per window, read back from timeseries.csv;
 * failure windows (provenance.csv's `failure` rows) shaded behind every
 * panel. ana_plot.c has the conventions every script follows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ana_file.h"
#include "ana_gnuplot.h"
#include "ana_plot.h"
#include "ana_plot_int.h"
#include "ana_table.h"


/* timeseries.csv read back: the mean over replications of each series
 * in each window. Rows of a replication come window by window, the
 * series in the same order in each, so a series seen again starts the
 * next window. */
typedef struct tsr {
    ana_table t;
    size_t ns, nw;
    const char **scope, **metric;   /* borrowed from t: ns */
    double *end;                    /* nw: the latest time a window ends */
    double *sum, *cnt;              /* nw x ns */
} tsr;

static void tsr_destroy(tsr *x)
{
    ana_table_destroy(&x->t);
    free(x->scope);
    free(x->metric);
    free(x->end);
    free(x->sum);
    free(x->cnt);
}

static size_t tsr_find(const tsr *x, const char *scope, const char *metric)
{
    size_t i;

    for (i = 0; i < x->ns; i++)
        if (!strcmp(x->scope[i], scope) && !strcmp(x->metric[i], metric))
            return i;
    return x->ns;
}

/* Pass 1 (sum NULL) finds the series and counts windows; pass 2 adds up
 * the values. */
static int tsr_pass(tsr *x, const size_t *col, sim_diag *d)
{
    size_t r, n = ana_table_rows(&x->t), w = 0, last = 0;
    const char *rep = NULL;
    int rc;

    for (r = 0; r < n; r++) {
        const char *sc = ana_table_cell(&x->t, r, col[2]);
        const char *me = ana_table_cell(&x->t, r, col[3]);
        size_t i = tsr_find(x, sc, me);
        double t, v;
        if (i == x->ns) {
            if (x->sum)
                continue;           /* cannot happen: pass 1 saw them */
            x->scope[x->ns] = sc;
            x->metric[x->ns++] = me;
        }
        if (!rep || strcmp(rep, ana_table_cell(&x->t, r, col[0])))
            w = 0;
        else if (i <= last)
            w++;
        rep = ana_table_cell(&x->t, r, col[0]);
        last = i;
        if (!x->sum) {
            if (w + 1 > x->nw)
                x->nw = w + 1;
            continue;
        }
        if ((rc = ana_table_number(&x->t, r, col[1], &t, d)) != SIM_OK
            || (rc = ana_table_number(&x->t, r, col[4], &v, d)) != SIM_OK)
            return rc;
        if (!(t <= x->end[w]))
            x->end[w] = t;
        if (isfinite(v)) {
            x->sum[w * x->ns + i] += v;
            x->cnt[w * x->ns + i]++;
        }
    }
    return SIM_OK;
}

/* Read dir/timeseries.csv; *found = 0 when there is none. */
static int tsr_read(tsr *x, const char *dir, int *found, sim_diag *d)
{
    static const char *const names[] = {
        "replication", "time", "scope", "metric", "value", NULL
    };
    char path[PATH_MAX_];
    size_t col[5], n, w;
    int rc;

    memset(x, 0, sizeof *x);
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    if ((rc = ana_table_read(&x->t, path, found, d)) != SIM_OK || !*found)
        return rc;
    if ((rc = ana_table_columns(&x->t, names, col, d)) != SIM_OK)
        return rc;
    n = ana_table_rows(&x->t);
    x->scope = malloc((n + 1) * sizeof *x->scope);
    x->metric = malloc((n + 1) * sizeof *x->metric);
    if (!x->scope || !x->metric)
        return SIM_ENOMEM;
    tsr_pass(x, col, d);
    x->end = malloc((x->nw + 1) * sizeof *x->end);
    x->sum = calloc(x->nw * x->ns + 1, sizeof *x->sum);
    x->cnt = calloc(x->nw * x->ns + 1, sizeof *x->cnt);
    if (!x->end || !x->sum || !x->cnt)
        return SIM_ENOMEM;
    for (w = 0; w < x->nw; w++)
        x->end[w] = NAN;
    return tsr_pass(x, col, d);
}

/* The mean of series i in window w, scaled; NaN when no replication has
 * one (or there is no such series). */
static double tsr_mean(const tsr *x, size_t w, size_t i, double scale)
{
    if (i >= x->ns || x->cnt[w * x->ns + i] == 0)
        return NAN;
    return scale * x->sum[w * x->ns + i] / x->cnt[w * x->ns + i];
}

/* Injected failures with a window, from provenance.csv: "FROM TO MODE
 * TARGET" each. Returns how many went into from[], to[], what[] (n at
 * most). */
static size_t failure_windows(const char *dir, double *from, double *to,
                              char (*what)[128], size_t n)
{
    char path[PATH_MAX_];
    ana_table t;
    sim_diag d;
    size_t r, k = 0;
    int found = 0;

    snprintf(path, sizeof path, "%s/provenance.csv", dir);
    if (ana_table_read(&t, path, &found, &d) != SIM_OK || !found)
        return 0;
    for (r = 0; t.ncols == 2 && r < ana_table_rows(&t) && k < n; r++) {
        int used = 0;
        if (strcmp(ana_table_cell(&t, r, 0), "failure"))
            continue;
        if (sscanf(ana_table_cell(&t, r, 1), "%lf %lf %n", &from[k], &to[k],
                   &used) < 2 || !used || !(to[k] > from[k]))
            continue;
        snprintf(what[k], sizeof what[k], "%s",
                 ana_table_cell(&t, r, 1) + used);
        k++;
    }
    ana_table_destroy(&t);
    return k;
}

#define TS_FAILURES_MAX 64      /* failure windows shaded */
#define C_FAIL "#dddddd"

/* One panel of timeseries.gp: column c of each block of
 * plot_timeseries.dat (blocks first .. first + n - 1, named names[]). */
static void ts_panel(FILE *f, const char *title, const char *ylabel,
                     const char *yrange, size_t first, size_t n, int c,
                     const char *const *names, int fail_key)
{
    static const char *const colour[] = {
        C_SIM, C_THEORY, C_P50, C_P95, C_P99, "#66ccee", "#bbbbbb"
    };
    size_t i;
    char words[300];

    fputs("set title ", f);
    ana__gp_str(f, title);
    fputs("\nset ylabel ", f);
    ana__gp_str(f, ylabel);
    fprintf(f, "\nset yrange %s\nplot ", yrange);
    for (i = 0; i < n; i++) {
        ana__scope_words(names[i], words, sizeof words);
        fprintf(f, "%s'plot_timeseries.dat' index %zu using 1:%d with "
                "lines lw 2 lc rgb '%s' title ", i ? ", \\\n     " : "",
                first + i, c, colour[i % 7]);
        ana__gp_str(f, words);
    }
    if (fail_key)
        fputs(", \\\n     NaN with boxes fs solid 1.0 noborder lc rgb '"
              C_FAIL "' title 'injected failure'", f);
    fputc('\n', f);
}

static int write_timeseries(const tsr *x, const char *dir,
                            const char *gnuplot, sim_diag *d)
{
    const char **sc = malloc((x->ns + 1) * sizeof *sc);
    const char **brk = malloc((x->ns + 1) * sizeof *brk);
    double from[TS_FAILURES_MAX], to[TS_FAILURES_MAX];
    char what[TS_FAILURES_MAX][128], title[512], words[300];
    size_t n, nb = 0, nf, i, w;
    int rc;
    ana_file fd, fg;

    if (!sc || !brk) {
        free(sc);
        free(brk);
        return SIM_ENOMEM;
    }
    n = ana__panel_scopes(sc, ana__distinct(x->scope, x->ns, sizeof *x->scope,
                                  ana__is_request_scope, sc));
    for (i = 0; i < x->ns; i++)
        if (!strcmp(x->metric[i], "breaker_open"))
            brk[nb++] = x->scope[i];
    nf = failure_windows(dir, from, to, what, TS_FAILURES_MAX);
    if ((rc = ana_file_open(&fd, dir, "plot_timeseries.dat", d)) != SIM_OK) {
        free(sc);
        free(brk);
        return rc;
    }
    fputs("# plot_timeseries.dat: the mean over replications per window,\n"
          "# two rows a window, at its start and at its end. Request\n"
          "# scopes: time_s throughput_per_s availability p99_ms; then\n"
          "# breakers: time_s breaker_open. Block i is scope i.\n", fd.f);
    for (i = 0; i < n + nb; i++) {
        const char *s = i < n ? sc[i] : brk[i - n];
        fprintf(fd.f, "%s# block %zu: %s\n", i ? "\n\n" : "", i, s);
        /* Each window from its start to its end, at its value. */
        for (w = 0; w < 2 * x->nw; w++) {
            size_t k = w / 2;
            if (!isfinite(x->end[k]))
                continue;
            ana__dat_num(fd.f, w % 2 ? x->end[k] : k ? x->end[k - 1] : 0.0);
            if (i < n) {
                ana__dat_num(fd.f, tsr_mean(x, k, tsr_find(x, s, "throughput"),
                                       1));
                ana__dat_num(fd.f, tsr_mean(x, k, tsr_find(x, s, "availability"),
                                       1));
                ana__dat_num(fd.f, tsr_mean(x, k, tsr_find(x, s, "latency_p99"),
                                       1e3));
            } else {
                ana__dat_num(fd.f, tsr_mean(x, k, tsr_find(x, s, "breaker_open"),
                                       1));
            }
            fputc('\n', fd.f);
        }
    }
    rc = ana_file_close(&fd, SIM_OK, d);
    if (rc == SIM_OK)
        rc = ana_file_open(&fg, dir, "timeseries.gp", d);
    if (rc == SIM_OK) {
        FILE *f = fg.f;
        int panels = 3 + (nb > 0);
        ana__title_of(dir, words, sizeof words);
        snprintf(title, sizeof title, "%s over time (mean of the "
                 "replications per window)", words);
        ana__gp_head(f, "timeseries", "throughput, availability, p99 latency "
                "and breaker state against time", "timeseries.csv and "
                "provenance.csv", 1200, 60 + 300 * panels, title);
        fprintf(f, " layout %d,1\n", panels);
        /* One left margin for all panels, so their time axes line up. */
        fputs("set grid\nset key outside right top\nset lmargin 12\n"
              "set xlabel 'time (s, warm-up included)'\n", f);
        fprintf(f, "set xrange [0:%.10g]\n",
                x->nw && isfinite(x->end[x->nw - 1]) ? x->end[x->nw - 1]
                                                     : 1.0);
        /* Failure windows shaded behind every panel. */
        for (i = 0; i < nf; i++) {
            fprintf(f, "set object %zu rect from %.10g, graph 0 to %.10g, "
                    "graph 1 behind fs solid 1.0 noborder fc rgb '" C_FAIL
                    "'\n", i + 1, from[i], to[i]);
            fputs("# injected failure: ", f);
            fputs(what[i], f);
            fputc('\n', f);
        }
        ts_panel(f, "Throughput (successful requests per second)",
                 "requests/s", "[0:*]", 0, n, 2, sc, nf > 0);
        ts_panel(f, "Availability (successful / finished requests)",
                 "availability", "[0:1.05]", 0, n, 3, sc, nf > 0);
        ts_panel(f, "Latency p99", "p99 latency (ms)", "[0:*]", 0, n, 4,
                 sc, nf > 0);
        if (nb > 0)
            ts_panel(f, "Circuit breakers (fraction of the window open)",
                     "open", "[0:1.05]", n, nb, 2, brk, nf > 0);
        ana__gp_tail(f);
        rc = ana_file_close(&fg, SIM_OK, d);
    }
    if (rc == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "timeseries", d);
    free(sc);
    free(brk);
    return rc;
}

int ana__plot_timeseries(const char *dir, const char *gnuplot,
                         unsigned *drawn, sim_diag *d)
{
    tsr ts = {0};
    int found = 0, rc;

    if ((rc = tsr_read(&ts, dir, &found, d)) == SIM_OK && found
        && ts.nw > 0) {
        rc = write_timeseries(&ts, dir, gnuplot, d);
        *drawn |= ANA_PLOT_TIMESERIES;
    }
    tsr_destroy(&ts);
    return rc;
}
