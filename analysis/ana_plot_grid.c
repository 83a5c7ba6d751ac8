/*
 * ana_plot_grid.c - sweep.gp of a `qmesh sweep`: each chosen metric
 * against the first axis, one line per combination of the other axes'
 * values, with confidence intervals as error bars and theory, where the
 * points have it, as a dashed line of the same colour (named in the key
 * only when there is one line).
 *
 * The values come from each finished point's summary.csv and theory.csv,
 * read back. A first axis whose values are all numbers is a number line;
 * otherwise its values are categories, evenly spaced and labelled as
 * written (distributions, protocol names).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ana_file.h"
#include "ana_gnuplot.h"
#include "ana_plot.h"
#include "ana_plot_int.h"
#include "ana_points.h"
#include "ana_table.h"

#define LINES_MAX 12        /* lines per panel; more are left out */

static const char *const colour[] = {
    "#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377",
    "#bbbbbb", "#000000"
};

static int all_numbers(const mdl_axis *a)
{
    size_t i;

    for (i = 0; i < a->nvalues; i++) {
        char *end;
        strtod(a->values[i], &end);
        if (end == a->values[i] || *end)
            return 0;
    }
    return 1;
}

/* The legend of the line through point k: the other axes' values. */
static void line_title(const ana_grid *g, size_t k, char *buf, size_t n)
{
    size_t a, len = 0;

    buf[0] = '\0';
    for (a = 1; a < g->naxes && len < n; a++) {
        if (g->axes[a].zip && g->axes[0].zip)
            continue;               /* moves with the first axis */
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%s",
                                len ? ", " : "", g->axes[a].key,
                                g->axes[a].values[ana_grid_value(g, k, a)]);
    }
    if (!buf[0])
        snprintf(buf, n, "simulated");
}

static void widen(double *lo, double *hi, double x)
{
    if (isfinite(x)) {
        *lo = fmin(*lo, x);
        *hi = fmax(*hi, x);
    }
}

/* Is a time in seconds, shown in ms? */
static int is_time(const char *metric)
{
    const char *m = strrchr(metric, '.');

    m = m ? m + 1 : metric;
    return !strncmp(m, "latency_", 8) || !strcmp(m, "wait_mean")
           || !strcmp(m, "response_mean");
}

int ana_plot_grid(const char *dir, const ana_grid *g,
                  const unsigned char *status, const char *const *metric,
                  size_t nmetrics, const char *title_text,
                  const char *gnuplot, sim_diag *d)
{
    const mdl_axis *x = &g->axes[0];
    size_t *line = calloc(g->npoints + 1, sizeof *line), nlines = 0;
    /* per metric and line: its block + 1 (0: no data), theory shown */
    size_t *blk = calloc(nmetrics * LINES_MAX + 1, sizeof *blk);
    unsigned char *theory = calloc(nmetrics * LINES_MAX + 1, 1);
    /* per metric: the range of the values drawn, to give gnuplot a
     * range when they are all alike (it warns otherwise) */
    double *lo = malloc((nmetrics + 1) * sizeof *lo);
    double *hi = malloc((nmetrics + 1) * sizeof *hi);
    int numeric = all_numbers(x), rc = SIM_OK;
    size_t k, m, j, block = 0;
    double xlo = INFINITY, xhi = -INFINITY;     /* the x values drawn */
    char title[512], words[300];
    ana_file fd, fg;

    if (!line || !blk || !theory || !lo || !hi) {
        free(line);
        free(blk);
        free(theory);
        free(lo);
        free(hi);
        return SIM_ENOMEM;
    }
    for (m = 0; m < nmetrics; m++) {
        lo[m] = INFINITY;
        hi[m] = -INFINITY;
    }
    /* A line per distinct point with the first axis at its first value. */
    for (k = 0; k < g->npoints; k++) {
        size_t rep = ana_grid_with(g, k, 0, 0);
        for (j = 0; j < nlines && line[j] != rep; j++)
            ;
        if (j == nlines && nlines < LINES_MAX)
            line[nlines++] = rep;
    }
    if ((rc = ana_file_open(&fd, dir, "plot_sweep.dat", d)) != SIM_OK) {
        free(line);
        free(blk);
        free(theory);
        free(lo);
        free(hi);
        return rc;
    }
    fputs("# Each block: one metric along one line of sweep.gp, from the\n"
          "# points' summary.csv. x mean ci_low ci_high theory\n", fd.f);
    for (m = 0; m < nmetrics && rc == SIM_OK; m++)
        for (j = 0; j < nlines && rc == SIM_OK; j++) {
            size_t v, rows = 0;
            line_title(g, line[j], title, sizeof title);
            for (v = 0; v < x->nvalues && rc == SIM_OK; v++) {
                size_t p = ana_grid_with(g, line[j], 0, v);
                char path[PATH_MAX_];
                ana_results res;
                ana_srow row;
                double scale = is_time(metric[m]) ? 1e3 : 1;
                if (status[p] != ANA_POINT_DONE)
                    continue;
                snprintf(path, sizeof path, "%s/points/%zu", dir, p);
                if ((rc = ana_table_results(&res, path, d)) == SIM_OK
                    && ana_points_value(&res, metric[m], &row) == 0
                    && isfinite(row.mean)) {
                    if (rows++ == 0)
                        fprintf(fd.f, "# block %zu: %s, %s\n", block,
                                metric[m], title);
                    if (numeric) {
                        fprintf(fd.f, "%s", x->values[v]);
                        widen(&xlo, &xhi, strtod(x->values[v], NULL));
                    }
                    else
                        fprintf(fd.f, "%zu", v);
                    ana__dat_num(fd.f, row.mean * scale);
                    ana__dat_num(fd.f, row.lo * scale);
                    ana__dat_num(fd.f, row.hi * scale);
                    ana__dat_num(fd.f, row.th * scale);
                    fputc('\n', fd.f);
                    if (isfinite(row.th))
                        theory[m * LINES_MAX + j] = 1;
                    widen(&lo[m], &hi[m], row.mean * scale);
                    widen(&lo[m], &hi[m], row.lo * scale);
                    widen(&lo[m], &hi[m], row.hi * scale);
                    widen(&lo[m], &hi[m], row.th * scale);
                }
                ana_table_results_destroy(&res);
            }
            if (rows) {
                fputs("\n\n", fd.f);
                blk[m * LINES_MAX + j] = ++block;
            }
        }
    rc = ana_file_close(&fd, rc, d);
    if (rc == SIM_OK && (rc = ana_file_open(&fg, dir, "sweep.gp", d))
        == SIM_OK) {
        FILE *f = fg.f;
        ana__gp_head(f, "sweep", "chosen metrics against the sweep's first "
                     "axis", "the points' summary.csv", 1000,
                     60 + 420 * (int)nmetrics, title_text);
        fprintf(f, " layout %zu,1\n", nmetrics);
        fputs("set grid\nset key below box opaque\n", f);
        fputs("set xlabel ", f);
        ana__gp_str(f, x->key);
        fputc('\n', f);
        if (!numeric) {
            size_t v;
            fprintf(f, "set xrange [-0.5:%zu.5]\nset xtics (", x->nvalues - 1);
            for (v = 0; v < x->nvalues; v++) {
                fputs(v ? ", " : "", f);
                ana__gp_str(f, x->values[v]);
                fprintf(f, " %zu", v);
            }
            fputs(")\n", f);
        } else if (xlo == xhi) {
            /* one value drawn (a search that stopped at once): a range
             * around it, which gnuplot would otherwise warn it invented */
            double w = fmax(1, fabs(xlo) / 10);
            fprintf(f, "set xrange [%.10g:%.10g]\n", xlo - w, xlo + w);
        } else {
            fputs("set offsets graph 0.03, graph 0.03, 0, 0\n", f);
        }
        for (m = 0; m < nmetrics; m++) {
            const char *sep = "plot ";
            snprintf(words, sizeof words, "%s%s", metric[m],
                     is_time(metric[m]) ? " (ms)" : "");
            fputs("set title ", f);
            ana__gp_str(f, words);
            fputs("\nset ylabel ", f);
            ana__gp_str(f, words);
            fputc('\n', f);
            if (lo[m] > hi[m])
                fputs("set yrange [*:*]\n", f);     /* no value at all */
            else if (hi[m] - lo[m] <= 1e-9 * fmax(1, fabs(hi[m])))
                fprintf(f, "set yrange [%.10g:%.10g]\n",
                        lo[m] - 0.01 * fmax(1e-9, fabs(lo[m])),
                        hi[m] + 0.01 * fmax(1e-9, fabs(hi[m])));
            else
                fputs("set yrange [*:*]\n", f);
            for (j = 0; j < nlines; j++) {
                size_t b = blk[m * LINES_MAX + j];
                const char *c = colour[j % (sizeof colour / sizeof *colour)];
                if (!b)
                    continue;
                line_title(g, line[j], title, sizeof title);
                fprintf(f, "%s'plot_sweep.dat' index %zu using 1:2:3:4 "
                        "with yerrorlines lw 1.5 pt 7 lc rgb '%s' title ",
                        sep, b - 1, c);
                ana__gp_str(f, title);
                sep = ", \\\n     ";
                if (theory[m * LINES_MAX + j])
                    fprintf(f, "%s'plot_sweep.dat' index %zu using 1:5 with "
                            "lines dt 2 lw 1.5 lc rgb '%s' %s", sep, b - 1,
                            c, nlines > 1 ? "notitle" : "title 'theory'");
            }
            fputs(*sep == 'p' ? "plot 1/0 notitle\n" : "\n", f);
        }
        ana__gp_tail(f);
        rc = ana_file_close(&fg, SIM_OK, d);
    }
    if (rc == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "sweep", d);
    free(line);
    free(blk);
    free(theory);
    free(lo);
    free(hi);
    return rc;
}
