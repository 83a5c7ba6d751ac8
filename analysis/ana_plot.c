/*
 * ana_plot.c - gnuplot scripts, their data files and images.
 *
 * Input is read back from the results folder's CSV files (ana_table.h).
 * Nothing is taken from the simulation in memory: `qmesh plot DIR` and
 * `qmesh run --plot` draw the same pictures from the same files.
 *
 * Each script is self-contained apart from its plot_*.dat files (plain
 * whitespace-separated columns, one block per scope separated by two blank
 * lines, so gnuplot's `index i` selects scope i; NaN marks a missing
 * value, which gnuplot skips). The script loops over the two formats,
 *
 *   do for [fmt in "png svg"] { set terminal ...; set output ...; plot }
 *
 * so one `gnuplot NAME.gp` redraws both images. Its output names start
 * with the variable out_prefix (empty unless set), which lets qmesh
 * replace images atomically too (ana_gnuplot.h).
 *
 * The latency histogram: the collector's bins are 1/128 of a power of two
 * wide (0.5% relative), too fine to look at, so they are summed into 20
 * bins per decade by the geometric midpoint of each fine bin. With equal
 * widths on the log axis, a bin's share of requests is proportional to
 * the density of log(latency), which is what the eye reads off a log
 * axis. The CDF is exact at the fine bins' upper edges:
 *   F(hi_i) = sum_{j <= i} count_j / N.
 * The x range runs from the 0.1% quantile to the largest bin, so a few
 * tiny latencies do not squeeze the picture into one corner.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ana_file.h"
#include "ana_gnuplot.h"
#include "ana_plot.h"
#include "ana_plot_int.h"
#include "ana_table.h"

#define BINS_PER_DECADE 20


/* ------------------------------------------------------------------ */
/* Data files and script strings                                        */
/* ------------------------------------------------------------------ */

/* A number in a gnuplot data file. */
void ana__dat_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, " %.8g", x);
    else
        fputs(" NaN", f);
}

/* s as a gnuplot single-quoted string ('' stands for '). */
void ana__gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('\'', f);
}

/* s as a double-quoted string in a data file, which has no escapes. */
void ana__dat_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s == '\n' || *s == '\r' ? ' ' : *s, f);
    fputc('"', f);
}

/* ------------------------------------------------------------------ */
/* Titles and the frame of every script                                 */
/* ------------------------------------------------------------------ */

/* What to call the results in titles: the scenario's name from
 * provenance.csv, with "at load X" for a point of a load sweep. A folder
 * without one (written by an older qmesh) goes by its own name, or
 * "NAME at load X" for a point NAME/load/X. */
void ana__title_of(const char *dir, char *buf, size_t n)
{
    char tmp[PATH_MAX_], *parts[3] = {NULL, NULL, NULL}, *s;
    const char *name = NULL, *load = NULL;
    ana_table t;
    sim_diag d;
    int k, found = 0;
    size_t r;

    snprintf(tmp, sizeof tmp, "%s/provenance.csv", dir);
    if (ana_table_read(&t, tmp, &found, &d) == SIM_OK && found) {
        for (r = 0; t.ncols == 2 && r < ana_table_rows(&t); r++) {
            if (!strcmp(ana_table_cell(&t, r, 0), "name"))
                name = ana_table_cell(&t, r, 1);
            else if (!strcmp(ana_table_cell(&t, r, 0), "load"))
                load = ana_table_cell(&t, r, 1);
        }
        if (name && load)
            snprintf(buf, n, "%s at load %s", name, load);
        else if (name)
            snprintf(buf, n, "%s", name);
        ana_table_destroy(&t);
        if (name)
            return;
    }
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (k = 0; k < 3; k++) {
        size_t len = strlen(tmp);
        while (len > 1 && tmp[len - 1] == '/')
            tmp[--len] = '\0';
        s = strrchr(tmp, '/');
        parts[k] = s ? s + 1 : tmp;
        if (!s || s == tmp)
            break;
        *s = '\0';
    }
    if (!strcmp(parts[0], ".") || !*parts[0]) {
        char *cwd = getcwd(tmp, sizeof tmp);
        s = cwd ? strrchr(cwd, '/') : NULL;
        snprintf(buf, n, "%s", s && s[1] ? s + 1 : "results");
    } else if (parts[1] && parts[2] && !strcmp(parts[1], "load"))
        snprintf(buf, n, "%s at load %s", parts[2], parts[0]);
    else
        snprintf(buf, n, "%s", parts[0]);
}

/* The start of every script: what it draws, and the output loop. */
void ana__gp_head(FILE *f, const char *name, const char *what,
                  const char *from, int width, int height, const char *title)
{
    fprintf(f,
            "# %s.gp - %s\n"
            "# Written by qmesh from %s. Restyle it and run\n"
            "#     gnuplot %s.gp\n"
            "# in this folder to redraw %s.png and %s.svg.\n"
            "set encoding utf8\n"
            "if (!exists(\"out_prefix\")) out_prefix = ''\n"
            "W = %d; H = %d\n"
            "set style textbox opaque noborder\n"
            "do for [fmt in \"png svg\"] {\n"
            "if (fmt eq 'png') {\n"
            "    set terminal pngcairo size W,H noenhanced font 'Sans,11'\n"
            "} else {\n"
            "    set terminal svg size W,H dynamic noenhanced "
            "font 'Sans,11' background '#ffffff'\n"
            "}\n"
            "set output out_prefix.'%s.'.fmt\n"
            "set multiplot title ",
            name, what, from, name, name, name, width, height, name);
    ana__gp_str(f, title);
    fputs(" font ',14'", f);
}

void ana__gp_tail(FILE *f)
{
    fputs("unset multiplot\nset output\n}\n", f);
}

/* ------------------------------------------------------------------ */
/* A results folder                                                     */
/* ------------------------------------------------------------------ */

static const ana_srow *find(const ana_results *r, const char *scope,
                        const char *metric)
{
    size_t i;

    for (i = 0; i < r->nsum; i++)
        if (!strcmp(r->s[i].scope, scope) && !strcmp(r->s[i].metric, metric))
            return &r->s[i];
    return NULL;
}

static double mean_of(const ana_results *r, const char *scope,
                      const char *metric)
{
    const ana_srow *x = find(r, scope, metric);

    return x ? x->mean : NAN;
}

size_t ana__distinct(const void *list, size_t n, size_t stride,
                     int (*keep)(const char *), const char **out)
{
    size_t i, j, k = 0;

    for (i = 0; i < n; i++) {
        const char *s = *(const char *const *)((const char *)list
                                               + i * stride);
        if (keep && !keep(s))
            continue;
        for (j = 0; j < k && strcmp(out[j], s); j++)
            ;
        if (j == k)
            out[k++] = s;
    }
    return k;
}

int ana__is_request_scope(const char *s)
{
    return !strcmp(s, "system") || !strncmp(s, "class:", 6);
}

static int is_station_scope(const char *s)
{
    return !strncmp(s, "service:", 8);
}

size_t ana__panel_scopes(const char **sc, size_t n)
{
    size_t i, nclass = 0, sys = n;

    for (i = 0; i < n; i++) {
        if (!strncmp(sc[i], "class:", 6))
            nclass++;
        else if (!strcmp(sc[i], "system"))
            sys = i;
    }
    if (nclass == 1 && sys < n) {
        sc[0] = sc[sys];
        return 1;
    }
    return n;
}

void ana__scope_words(const char *scope, char *buf, size_t n)
{
    const char *colon = strchr(scope, ':');

    if (colon)
        snprintf(buf, n, "%.*s %s", (int)(colon - scope), scope, colon + 1);
    else
        snprintf(buf, n, "%s", scope);
}

/* ---- latency ---- */

static int cmp_hrow(const void *a, const void *b)
{
    const ana_hrow *x = *(const ana_hrow *const *)a;
    const ana_hrow *y = *(const ana_hrow *const *)b;

    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The histogram of one scope, ready to draw. */
typedef struct lat {
    const char *scope;
    double total;               /* requests */
    double xmin, xmax;          /* ms: the x range */
    double p[3];                /* ms: p50, p95, p99 (NaN if unknown) */
    double mean;                /* ms */
    double ymax;                /* largest share of one coarse bin (%) */
    const ana_hrow **rows;          /* owned array of borrowed rows, by bin */
    size_t nrows;
} lat;

static int lat_build(lat *L, const ana_results *r, const char *scope)
{
    static const char *const q[] = {"latency_p50", "latency_p95",
                                    "latency_p99"};
    double cum = 0;
    size_t i;
    int k;

    memset(L, 0, sizeof *L);
    L->scope = scope;
    L->rows = malloc((r->nhist + 1) * sizeof *L->rows);
    if (!L->rows)
        return SIM_ENOMEM;
    for (i = 0; i < r->nhist; i++)
        if (!strcmp(r->h[i].scope, scope) && r->h[i].count > 0) {
            L->rows[L->nrows++] = &r->h[i];
            L->total += r->h[i].count;
        }
    qsort(L->rows, L->nrows, sizeof *L->rows, cmp_hrow);
    L->xmin = L->xmax = NAN;
    for (i = 0; i < L->nrows; i++) {
        const ana_hrow *h = L->rows[i];
        cum += h->count;
        if (isnan(L->xmin) && cum >= 0.001 * L->total)
            L->xmin = (h->lo > 0 ? h->lo : h->hi) * 1e3;
        if (isfinite(h->hi))
            L->xmax = h->hi * 1e3;
    }
    for (k = 0; k < 3; k++)
        L->p[k] = mean_of(r, scope, q[k]) * 1e3;
    L->mean = mean_of(r, scope, "latency_mean") * 1e3;
    if (isfinite(L->xmin) && isfinite(L->xmax)) {
        /* Some air on both sides, on the log scale. */
        L->xmin /= 1.5;
        L->xmax *= 1.5;
        if (!(L->xmax > L->xmin * 10))
            L->xmax = L->xmin * 10;
    }
    return SIM_OK;
}

/* Block of plot_latency_hist.dat: 20 bins per decade. Block of
 * plot_latency_cdf.dat: the CDF at every fine bin edge. */
static void lat_data(lat *L, FILE *fh, FILE *fc, size_t block)
{
    long k, kmin = 0, kmax = -1;
    double *share = NULL, cum = 0;
    size_t i;

    fprintf(fh, "# block %zu: %s, %.0f requests\n"
            "# bin_low_ms bin_high_ms bin_mid_ms percent_of_requests\n",
            block, L->scope, L->total);
    fprintf(fc, "# block %zu: %s, %.0f requests\n"
            "# latency_ms fraction_at_most\n", block, L->scope, L->total);
    for (i = 0; i < L->nrows; i++) {
        const ana_hrow *h = L->rows[i];
        double mid = h->lo > 0 && isfinite(h->hi) ? sqrt(h->lo * h->hi)
                     : h->lo > 0 ? h->lo : h->hi;
        k = (long)floor(BINS_PER_DECADE * log10(mid * 1e3));
        if (i == 0 || k < kmin)
            kmin = k;
        if (i == 0 || k > kmax)
            kmax = k;
    }
    if (L->nrows && (share = calloc((size_t)(kmax - kmin + 1),
                                    sizeof *share)) != NULL) {
        for (i = 0; i < L->nrows; i++) {
            const ana_hrow *h = L->rows[i];
            double mid = h->lo > 0 && isfinite(h->hi) ? sqrt(h->lo * h->hi)
                         : h->lo > 0 ? h->lo : h->hi;
            k = (long)floor(BINS_PER_DECADE * log10(mid * 1e3));
            share[k - kmin] += h->count;
        }
        for (k = kmin; k <= kmax; k++) {
            double lo = pow(10, (double)k / BINS_PER_DECADE);
            double hi = pow(10, (double)(k + 1) / BINS_PER_DECADE);
            if (share[k - kmin] == 0)
                continue;
            ana__dat_num(fh, lo);
            ana__dat_num(fh, hi);
            ana__dat_num(fh, sqrt(lo * hi));
            ana__dat_num(fh, 100 * share[k - kmin] / L->total);
            fputc('\n', fh);
            if (100 * share[k - kmin] / L->total > L->ymax)
                L->ymax = 100 * share[k - kmin] / L->total;
        }
        free(share);
    }
    for (i = 0; i < L->nrows; i++) {
        const ana_hrow *h = L->rows[i];
        if (i == 0 && h->lo > 0) {
            ana__dat_num(fc, h->lo * 1e3);
            ana__dat_num(fc, 0);
            fputc('\n', fc);
        }
        cum += h->count;
        if (!isfinite(h->hi))
            continue;
        ana__dat_num(fc, h->hi * 1e3);
        ana__dat_num(fc, cum / L->total);
        fputc('\n', fc);
    }
    fputs("\n\n", fh);
    fputs("\n\n", fc);
}

static const char *const pct_name[] = {"p50", "p95", "p99"};
static const char *const pct_colour[] = {C_P50, C_P95, C_P99};

/* Percentile lines of one panel: a vertical dashed line at each known
 * percentile (script variables p50_B, ...), with a short label beside it
 * above the bars and below the key (histogram) or at the bottom (CDF,
 * whose curve runs along the top there); their values go in the key
 * (lat_keys()). */
static void lat_marks(FILE *f, const lat *L, size_t b, int top)
{
    int k;

    fputs("unset arrow; unset label\n", f);
    for (k = 0; k < 3; k++)
        if (isfinite(L->p[k]))
            fprintf(f, "set arrow %d from %s_%zu, graph 0 to %s_%zu, "
                    "graph 1 nohead lw 2 dt 2 lc rgb '%s' front\n"
                    "set label %d '%s' at %s_%zu, graph %s rotate "
                    "by 90 offset -0.7,0 tc rgb '%s' boxed front\n",
                    k + 1, pct_name[k], b, pct_name[k], b, pct_colour[k],
                    k + 1, pct_name[k], pct_name[k], b,
                    top ? "0.72 right" : "0.03 left", pct_colour[k]);
}

/* Key entries of the percentile lines: a function that is never defined
 * draws nothing but its line in the key. */
static void lat_keys(FILE *f, const lat *L, size_t b)
{
    int k;

    for (k = 0; k < 3; k++)
        if (isfinite(L->p[k]))
            fprintf(f, ", \\\n     NaN with lines lw 2 dt 2 lc rgb '%s' "
                    "title sprintf('%s = %%.3g ms', %s_%zu)", pct_colour[k],
                    pct_name[k], pct_name[k], b);
}

static int write_latency(const ana_results *r, const char *dir,
                         const char *gnuplot, sim_diag *d)
{
    const char **sc = malloc((r->nhist + 1) * sizeof *sc);
    lat *L = NULL;
    ana_file fh, fc, fg;
    size_t n, i;
    char title[512], words[300];
    int rc = SIM_OK, open_h = 0, open_c = 0, open_g = 0;

    if (!sc)
        return SIM_ENOMEM;
    n = ana__distinct(r->h, r->nhist, sizeof *r->h, ana__is_request_scope, sc);
    n = ana__panel_scopes(sc, n);
    L = calloc(n + 1, sizeof *L);
    if (!L) {
        free(sc);
        return SIM_ENOMEM;
    }
    for (i = 0; i < n && rc == SIM_OK; i++)
        rc = lat_build(&L[i], r, sc[i]);
    if (rc == SIM_OK && (rc = ana_file_open(&fh, dir, "plot_latency_hist.dat", d))
        == SIM_OK)
        open_h = 1;
    if (rc == SIM_OK && (rc = ana_file_open(&fc, dir, "plot_latency_cdf.dat", d))
        == SIM_OK)
        open_c = 1;
    if (rc == SIM_OK && (rc = ana_file_open(&fg, dir, "latency.gp", d)) == SIM_OK)
        open_g = 1;
    if (rc == SIM_OK) {
        FILE *f = fg.f;
        double reps = NAN;
        const ana_srow *x = find(r, "system", "latency_mean");

        if (x)
            reps = x->n;
        fputs("# plot_latency_hist.dat: latency histogram, 20 bins per "
              "decade (share of\n# requests, %); plot_latency_cdf.dat: "
              "the empirical CDF. Block i is scope i.\n", fh.f);
        fputs("# plot_latency_cdf.dat: fraction of requests with latency "
              "at most x ms.\n", fc.f);
        ana__title_of(dir, words, sizeof words);
        if (isfinite(reps))
            snprintf(title, sizeof title, "Latency of %s (%.0f "
                     "replication%s)", words, reps, reps == 1 ? "" : "s");
        else
            snprintf(title, sizeof title, "Latency of %s", words);
        ana__gp_head(f, "latency", "latency histogram and CDF per scope, "
                "p50/p95/p99 marked", "latency_hist.csv and summary.csv",
                1200, 60 + 420 * (int)(n ? n : 1), title);
        fprintf(f, " layout %zu,2\n", n ? n : 1);
        fputs("set grid\nset logscale x\n"
              "set xlabel 'latency (ms, log scale)'\n"
              "set key top left box opaque reverse Left width 1\n"
              "set style fill solid 0.5 border lc rgb '" C_SIM "'\n", f);
        for (i = 0; i < n; i++) {
            int k;
            lat_data(&L[i], fh.f, fc.f, i);
            fprintf(f, "# ---- %s ----\n", L[i].scope);
            for (k = 0; k < 3; k++)
                if (isfinite(L[i].p[k]))
                    fprintf(f, "%s_%zu = %.8g    # ms\n", pct_name[k], i,
                            L[i].p[k]);
            if (isfinite(L[i].xmin))
                fprintf(f, "set xrange [%.6g:%.6g]\n", L[i].xmin,
                        L[i].xmax);
            else
                fputs("set xrange [*:*]\n", f);
            ana__scope_words(L[i].scope, words, sizeof words);
            fputs("set title ", f);
            if (isfinite(L[i].mean))
                snprintf(title, sizeof title, "%s: histogram (%.0f "
                         "requests, mean %.3g ms)", words, L[i].total,
                         L[i].mean);
            else
                snprintf(title, sizeof title, "%s: histogram (%.0f "
                         "requests)", words, L[i].total);
            ana__gp_str(f, title);
            /* Head room: the bars fill the lower 55%, the labels end at
             * 72% (lat_marks()), the key fills the top quarter, so
             * nothing hides anything wherever the percentiles fall. */
            fputs("\nset ylabel 'share of requests (% per bin)'\n", f);
            if (L[i].ymax > 0)
                fprintf(f, "set yrange [0:%.3g]\n", 1.8 * L[i].ymax);
            else
                fputs("set yrange [0:*]\n", f);
            lat_marks(f, &L[i], i, 1);
            if (L[i].nrows)
                fprintf(f, "plot 'plot_latency_hist.dat' index %zu using "
                        "3:($4/2):1:2:(0):4 with boxxyerror lc rgb '"
                        C_SIM "' title 'requests, 20 bins per decade'",
                        i);
            else
                fputs("plot 1/0 notitle", f);
            lat_keys(f, &L[i], i);
            fputs("\nset title ", f);
            snprintf(title, sizeof title, "%s: cumulative distribution",
                     words);
            ana__gp_str(f, title);
            fputs("\nset ylabel 'fraction of requests with latency <= x'\n"
                  "set yrange [0:1]\n", f);
            lat_marks(f, &L[i], i, 0);
            if (L[i].nrows)
                fprintf(f, "plot 'plot_latency_cdf.dat' index %zu using "
                        "1:2 with steps lw 2 lc rgb '" C_SIM "' title "
                        "'empirical CDF'", i);
            else
                fputs("plot 1/0 notitle", f);
            lat_keys(f, &L[i], i);
            fputc('\n', f);
        }
        ana__gp_tail(f);
    }
    if (open_h)
        rc = ana_file_close(&fh, rc, d);
    if (open_c)
        rc = ana_file_close(&fc, rc, d);
    if (open_g)
        rc = ana_file_close(&fg, rc, d);
    if (rc == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "latency", d);
    for (i = 0; i < n; i++)
        free(L[i].rows);
    free(L);
    free(sc);
    return rc;
}

/* ---- stations ---- */

/* One metric of one station: simulated mean, interval, theory. */
static void station_cols(FILE *f, const ana_results *r, const char *scope,
                         const char *metric, int *have_ci, int *have_th)
{
    const ana_srow *x = find(r, scope, metric);
    double m = x ? x->mean : NAN, lo = x ? x->lo : NAN, hi = x ? x->hi : NAN;
    double th = x ? x->th : NAN;

    ana__dat_num(f, m);
    ana__dat_num(f, lo);
    ana__dat_num(f, hi);
    ana__dat_num(f, th);
    if (isfinite(lo) && isfinite(hi))
        *have_ci = 1;
    if (isfinite(th))
        *have_th = 1;
}

/* One bar panel: column c of plot_stations.dat is the mean, c+1..c+2
 * the interval, c+3 the theory. */
static void station_panel(FILE *f, const char *title, const char *ylabel,
                          const char *yrange, int c, int have_ci,
                          int have_th)
{
    fputs("set title ", f);
    ana__gp_str(f, title);
    fputs("\nset ylabel ", f);
    ana__gp_str(f, ylabel);
    fprintf(f, "\nset yrange %s\n"
            "plot 'plot_stations.dat' using 0:%d:xtic(1) with boxes "
            "lc rgb '" C_SIM "' title 'simulated mean'", yrange, c);
    if (have_ci)
        fprintf(f, ", \\\n     '' using 0:%d:%d:%d with yerrorbars pt 0 "
                "lw 1.5 lc rgb '#000000' title 'confidence interval'", c,
                c + 1, c + 2);
    if (have_th)
        fprintf(f, ", \\\n     '' using 0:%d with points pt 8 ps 2 lw 2 lc rgb "
                "'" C_THEORY "' title 'theory'", c + 3);
    fputc('\n', f);
}

static int write_stations(const ana_results *r, const char *dir,
                          const char *gnuplot, sim_diag *d)
{
    const char **sc = malloc((r->nsum + 1) * sizeof *sc);
    size_t n, i, longest = 0;
    int rc, ci_u = 0, th_u = 0, ci_l = 0, th_l = 0;
    char title[512], words[300];
    ana_file fd, fg;

    if (!sc)
        return SIM_ENOMEM;
    n = ana__distinct(r->s, r->nsum, sizeof *r->s, is_station_scope, sc);
    if (n == 0) {
        free(sc);
        return SIM_OK;
    }
    if ((rc = ana_file_open(&fd, dir, "plot_stations.dat", d)) != SIM_OK) {
        free(sc);
        return rc;
    }
    fputs("# station utilization ci_low ci_high theory jobs_mean ci_low "
          "ci_high theory\n", fd.f);
    for (i = 0; i < n; i++) {
        const char *name = sc[i] + 8;
        if (strlen(name) > longest)
            longest = strlen(name);
        ana__dat_str(fd.f, name);
        station_cols(fd.f, r, sc[i], "utilization", &ci_u, &th_u);
        station_cols(fd.f, r, sc[i], "jobs_mean", &ci_l, &th_l);
        fputc('\n', fd.f);
    }
    rc = ana_file_close(&fd, SIM_OK, d);
    if (rc == SIM_OK)
        rc = ana_file_open(&fg, dir, "stations.gp", d);
    if (rc == SIM_OK) {
        FILE *f = fg.f;
        ana__title_of(dir, words, sizeof words);
        snprintf(title, sizeof title, "Stations of %s", words);
        ana__gp_head(f, "stations", "utilization and mean number in station "
                "per station", "summary.csv and theory.csv",
                n > 8 ? 1400 : 1200, 560, title);
        fputs(" layout 1,2\n", f);
        fprintf(f, "set grid ytics\nset key below\nset boxwidth 0.6\n"
                "set style fill solid 0.5 border lc rgb '" C_SIM "'\n"
                "set xrange [-0.6:%zu.4]\n", n - 1);
        if (n > 6 || longest > 10)
            fputs("set xtics rotate by -30\n", f);
        station_panel(f, "Utilization per server", "utilization "
                      "(fraction of time a server is busy)", "[0:1<*]", 2,
                      ci_u, th_u);
        station_panel(f, "Mean number in station, L (queue + in service)",
                      "requests in station", "[0:*]", 6, ci_l, th_l);
        ana__gp_tail(f);
        rc = ana_file_close(&fg, SIM_OK, d);
    }
    if (rc == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "stations", d);
    free(sc);
    return rc;
}

int ana_plot_results(const char *dir, const char *gnuplot, unsigned *drawn,
                     sim_diag *d)
{
    ana_results r;
    int rc = ana_table_results(&r, dir, d);
    size_t i, stations = 0;

    *drawn = 0;
    if (rc == SIM_OK && r.have_hist) {
        rc = write_latency(&r, dir, gnuplot, d);
        *drawn |= ANA_PLOT_LATENCY;
    }
    for (i = 0; rc == SIM_OK && i < r.nsum; i++)
        stations += is_station_scope(r.s[i].scope) != 0;
    if (rc == SIM_OK && stations > 0) {
        rc = write_stations(&r, dir, gnuplot, d);
        *drawn |= ANA_PLOT_STATIONS;
    }
    ana_table_results_destroy(&r);
    if (rc == SIM_OK)
        rc = ana__plot_timeseries(dir, gnuplot, drawn, d);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Load sweeps                                                          */
/* ------------------------------------------------------------------ */

/* One row of sweep.csv (th: the theory column) or of sweep_theory.csv
 * (mean: the value; the rest NaN). */
typedef struct wrow {
    const char *scope, *metric;     /* borrowed from the table */
    double load, mean, lo, hi, n, th;
} wrow;

static int cmp_wrow(const void *a, const void *b)
{
    const wrow *x = *(const wrow *const *)a, *y = *(const wrow *const *)b;

    return x->load < y->load ? -1 : x->load > y->load;
}

/* Read path (sweep.csv when full, else sweep_theory.csv) into rows. */
static int sweep_read(ana_table *t, const char *path, int full, int *found,
                      wrow **out, size_t *nout, sim_diag *d)
{
    static const char *const wcols[] = {"load", "scope", "metric", "mean",
                                        "ci_low", "ci_high", "n", "theory",
                                        NULL};
    static const char *const tcols[] = {"load", "scope", "metric", "value",
                                        NULL};
    size_t ix[8], i, n;
    wrow *w;
    int rc;

    *out = NULL;
    *nout = 0;
    if ((rc = ana_table_read(t, path, found, d)) != SIM_OK)
        return rc;
    if (found && !*found)
        return SIM_OK;
    if ((rc = ana_table_columns(t, full ? wcols : tcols, ix, d)) != SIM_OK)
        return rc;
    n = ana_table_rows(t);
    w = calloc(n + 1, sizeof *w);
    if (!w)
        return SIM_ENOMEM;
    for (i = 0; i < n; i++) {
        w[i].scope = ana_table_cell(t, i, ix[1]);
        w[i].metric = ana_table_cell(t, i, ix[2]);
        w[i].lo = w[i].hi = w[i].n = w[i].th = NAN;
        if ((rc = ana_table_number(t, i, ix[0], &w[i].load, d)) != SIM_OK
            || (rc = ana_table_number(t, i, ix[3], &w[i].mean, d)) != SIM_OK
            || (full && ((rc = ana_table_number(t, i, ix[4], &w[i].lo, d))
                            != SIM_OK
                         || (rc = ana_table_number(t, i, ix[5], &w[i].hi, d))
                            != SIM_OK
                         || (rc = ana_table_number(t, i, ix[6], &w[i].n, d))
                            != SIM_OK
                         || (rc = ana_table_number(t, i, ix[7], &w[i].th, d))
                            != SIM_OK))) {
            free(w);
            return rc;
        }
    }
    *out = w;
    *nout = n;
    return SIM_OK;
}

/* Rows of scope and metric, by load, into sel (n slots). */
static size_t select_rows(const wrow *w, size_t n, const char *scope,
                          const char *metric, const wrow **sel)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if (!strcmp(w[i].scope, scope) && !strcmp(w[i].metric, metric)
            && isfinite(w[i].load))
            sel[k++] = &w[i];
    qsort(sel, k, sizeof *sel, cmp_wrow);
    return k;
}

/* The row of sel[0..n-1] at load x, or NULL. */
static const wrow *at_load(const wrow *const *sel, size_t n, double x)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (sel[i]->load == x)
            return sel[i];
    return NULL;
}

/* What one scope's panels can show. */
typedef struct sweep_have {
    int mean, p99;              /* simulated points */
    int ci_mean, ci_p99;
    int th_mean, th_p99;        /* theory curve */
    double reps;
} sweep_have;

/* Write one scope's blocks of plot_sweep.dat and plot_sweep_theory.dat. */
static void sweep_data(FILE *fs, FILE *ft, const char *scope, size_t block,
                       const wrow *w, size_t nw, const wrow *t, size_t nt,
                       const wrow **s1, const wrow **s2, sweep_have *h)
{
    size_t i, n1, n2;

    memset(h, 0, sizeof *h);
    h->reps = NAN;
    fprintf(fs, "# block %zu: %s\n# load latency_mean_ms ci_low ci_high "
            "theory latency_p99_ms ci_low ci_high theory\n", block, scope);
    n1 = select_rows(w, nw, scope, "latency_mean", s1);
    n2 = select_rows(w, nw, scope, "latency_p99", s2);
    for (i = 0; i < n1; i++) {
        const wrow *m = s1[i], *p = at_load(s2, n2, m->load);
        double v[8] = {m->mean, m->lo, m->hi, m->th, NAN, NAN, NAN, NAN};
        int k;
        if (p) {
            v[4] = p->mean;
            v[5] = p->lo;
            v[6] = p->hi;
            v[7] = p->th;
        }
        h->mean |= isfinite(v[0]);
        h->ci_mean |= isfinite(v[1]) && isfinite(v[2]);
        h->p99 |= isfinite(v[4]);
        h->ci_p99 |= isfinite(v[5]) && isfinite(v[6]);
        if (isfinite(m->n))
            h->reps = m->n;
        ana__dat_num(fs, m->load);
        for (k = 0; k < 8; k++)
            ana__dat_num(fs, v[k] * 1e3);
        fputc('\n', fs);
    }
    fputs("\n\n", fs);

    /* The curve: sweep_theory.csv's fine grid, else sweep.csv's points. */
    fprintf(ft, "# block %zu: %s\n# load theory_latency_mean_ms "
            "theory_latency_p99_ms\n", block, scope);
    if (nt) {
        n1 = select_rows(t, nt, scope, "latency_mean", s1);
        n2 = select_rows(t, nt, scope, "latency_p99", s2);
    } else {
        n1 = select_rows(w, nw, scope, "latency_mean", s1);
        n2 = select_rows(w, nw, scope, "latency_p99", s2);
    }
    for (i = 0; i < n1; i++) {
        const wrow *p = at_load(s2, n2, s1[i]->load);
        double m = nt ? s1[i]->mean : s1[i]->th;
        double q = !p ? NAN : nt ? p->mean : p->th;
        if (!isfinite(m) && !isfinite(q))
            continue;
        h->th_mean |= isfinite(m);
        h->th_p99 |= isfinite(q);
        ana__dat_num(ft, s1[i]->load);
        ana__dat_num(ft, m * 1e3);
        ana__dat_num(ft, q * 1e3);
        fputc('\n', ft);
    }
    fputs("\n\n", ft);
}

/* One panel of sweep.gp: column c of plot_sweep.dat (c+1, c+2 the
 * interval) as points, column tc of plot_sweep_theory.dat as a curve
 * drawn over them. */
static void sweep_panel(FILE *f, const char *title, size_t block, int c,
                        int tc, int have, int ci, int th)
{
    const char *sep = "plot ";

    fputs("set title ", f);
    ana__gp_str(f, title);
    fputc('\n', f);
    if (have && ci)
        fprintf(f, "%s'plot_sweep.dat' index %zu using 1:%d:%d:%d with "
                "yerrorbars lw 1.5 pt 7 ps 1.1 lc rgb '" C_SIM "' title "
                "'simulated, with confidence interval'", sep, block, c,
                c + 1, c + 2);
    else if (have)
        fprintf(f, "%s'plot_sweep.dat' index %zu using 1:%d with "
                "points pt 7 ps 1.1 lc rgb '" C_SIM "' title 'simulated'",
                sep, block, c);
    if (have)
        sep = ", \\\n     ";
    if (th)
        fprintf(f, "%s'plot_sweep_theory.dat' index %zu using 1:%d with "
                "lines lw 2 lc rgb '" C_THEORY "' title 'theory'", sep,
                block, tc);
    else if (!have)
        fputs("plot 1/0 notitle", f);
    fputc('\n', f);
}

int ana_plot_sweep(const char *dir, const char *gnuplot, sim_diag *d)
{
    char path[PATH_MAX_], title[512], words[300];
    ana_table tw, tt;
    wrow *w = NULL, *t = NULL;
    const wrow **s1 = NULL, **s2 = NULL;
    const char **sc = NULL;
    size_t nw = 0, nt = 0, n = 0, i;
    ana_file fs, ft, fg;
    sweep_have *h = NULL;
    double reps = NAN;
    int rc, found = 0, open_s = 0, open_t = 0;

    memset(&tw, 0, sizeof tw);
    memset(&tt, 0, sizeof tt);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    rc = sweep_read(&tw, path, 1, NULL, &w, &nw, d);
    snprintf(path, sizeof path, "%s/sweep_theory.csv", dir);
    if (rc == SIM_OK)
        rc = sweep_read(&tt, path, 0, &found, &t, &nt, d);
    if (rc == SIM_OK) {
        size_t most = nw > nt ? nw : nt;
        sc = malloc((nw + 1) * sizeof *sc);
        s1 = malloc((most + 1) * sizeof *s1);
        s2 = malloc((most + 1) * sizeof *s2);
        h = calloc(nw + 1, sizeof *h);
        if (!sc || !s1 || !s2 || !h)
            rc = SIM_ENOMEM;
    }
    if (rc == SIM_OK) {
        n = ana__panel_scopes(sc, ana__distinct(w, nw, sizeof *w, ana__is_request_scope,
                                      sc));
        if ((rc = ana_file_open(&fs, dir, "plot_sweep.dat", d)) == SIM_OK)
            open_s = 1;
    }
    if (rc == SIM_OK && (rc = ana_file_open(&ft, dir, "plot_sweep_theory.dat", d))
        == SIM_OK)
        open_t = 1;
    if (rc == SIM_OK) {
        fputs("# Simulated latency (ms) against the bottleneck's load, "
              "from sweep.csv.\n", fs.f);
        fprintf(ft.f, "# Theoretical latency (ms) against load, from %s.\n",
                nt ? "sweep_theory.csv" : "sweep.csv");
        for (i = 0; i < n; i++) {
            sweep_data(fs.f, ft.f, sc[i], i, w, nw, t, nt, s1, s2, &h[i]);
            if (isfinite(h[i].reps))
                reps = h[i].reps;
        }
    }
    if (open_s)
        rc = ana_file_close(&fs, rc, d);
    if (open_t)
        rc = ana_file_close(&ft, rc, d);
    if (rc == SIM_OK && (rc = ana_file_open(&fg, dir, "sweep.gp", d)) == SIM_OK) {
        FILE *f = fg.f;
        ana__title_of(dir, words, sizeof words);
        if (isfinite(reps))
            snprintf(title, sizeof title, "Latency against load: %s (%.0f "
                     "replication%s per load)", words, reps,
                     reps == 1 ? "" : "s");
        else
            snprintf(title, sizeof title, "Latency against load: %s",
                     words);
        ana__gp_head(f, "sweep", "mean and p99 latency against the load of "
                "the bottleneck station", "sweep.csv and sweep_theory.csv",
                1200, 60 + 440 * (int)(n ? n : 1), title);
        fprintf(f, " layout %zu,2\n", n ? n : 1);
        fputs("set grid\nset key top left box opaque reverse Left\nset xrange [0:1]\n"
              "set xlabel 'load: utilization of the bottleneck station'\n"
              "set ylabel 'latency (ms)'\nset yrange [0:*]\n", f);
        for (i = 0; i < n; i++) {
            ana__scope_words(sc[i], words, sizeof words);
            fprintf(f, "# ---- %s ----\n", sc[i]);
            snprintf(title, sizeof title, "%s: mean latency", words);
            sweep_panel(f, title, i, 2, 2, h[i].mean, h[i].ci_mean,
                        h[i].th_mean);
            snprintf(title, sizeof title, "%s: 99th percentile latency",
                     words);
            sweep_panel(f, title, i, 6, 3, h[i].p99, h[i].ci_p99,
                        h[i].th_p99);
        }
        ana__gp_tail(f);
        rc = ana_file_close(&fg, SIM_OK, d);
    }
    if (rc == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "sweep", d);
    free(h);
    free(s1);
    free(s2);
    free(sc);
    free(w);
    free(t);
    ana_table_destroy(&tw);
    ana_table_destroy(&tt);
    return rc;
}
