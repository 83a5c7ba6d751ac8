/*
 * ana_plot_compare.c - compare.gp: what each variant changed, at a
 * glance (ana_plot.h).
 *
 * Read back from compare.csv, so `qmesh plot DIR` redraws a comparison.
 * One panel per main metric (mean latency, p99 latency, availability),
 * one point per request scope (the system, and each class when there
 * are several) and variant: its paired difference from the first
 * variant with the paired interval, coloured by the verdict (better,
 * worse, indistinguishable, or higher/lower), and the unpaired (Welch)
 * interval of the same difference in grey beside it, so the width that
 * common random numbers saved shows as the gap between the two bars. A
 * dashed line marks 0: a paired interval that crosses it is
 * indistinguishable. Latencies in ms, availability in percentage
 * points.
 *
 * plot_compare.dat: one block per panel that has points,
 *   x  diff  paired_low  paired_high  unpaired_low  unpaired_high  colour
 *   "label"
 * the colour as a 0xRRGGBB integer for gnuplot's `lc rgb variable`.
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

/* The verdicts a point can have, with their colours and key entries. */
static const struct {
    const char *verdict, *colour, *key;
} VERDICT[] = {
    {"better", "#228833", "paired interval: better"},
    {"worse", "#ee6677", "paired interval: worse"},
    {"indistinguishable", "#888888", "paired interval: indistinguishable"},
    {"higher", "#4477aa", "paired interval: higher or lower"},
    {"lower", "#4477aa", NULL},     /* the key entry above is both */
};
#define NVERDICTS (sizeof VERDICT / sizeof *VERDICT)

/* The panels: metric, scale from the file's unit, axis text. */
static const struct {
    const char *metric, *title, *unit;
    double scale;
} PANEL[] = {
    {"latency_mean", "mean latency", "ms", 1e3},
    {"latency_p99", "99th percentile latency", "ms", 1e3},
    {"availability", "availability", "percentage points", 100},
};
#define NPANELS (sizeof PANEL / sizeof *PANEL)

/* compare.csv's columns that the plot reads. */
enum { C_SCOPE, C_METRIC, C_VARIANT, C_DIFF, C_LOW, C_HIGH, C_VERDICT,
       C_ULOW, C_UHIGH, C_N, NCOLS };

typedef struct crow {
    const char *scope, *metric, *variant, *verdict;  /* borrowed */
    double x[6];            /* diff, low, high, unpaired low, high, n */
} crow;

static int read_rows(ana_table *t, const char *dir, crow **out, size_t *n,
                     sim_diag *d)
{
    static const char *const cols[] = {
        "scope", "metric", "variant", "diff_mean", "diff_low", "diff_high",
        "verdict", "unpaired_low", "unpaired_high", "n", NULL
    };
    static const int num[] = {C_DIFF, C_LOW, C_HIGH, C_ULOW, C_UHIGH, C_N};
    char path[PATH_MAX_];
    size_t ix[NCOLS], i;
    crow *r;
    int rc, k;

    *out = NULL;
    *n = 0;
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    if ((rc = ana_table_read(t, path, NULL, d)) != SIM_OK
        || (rc = ana_table_columns(t, cols, ix, d)) != SIM_OK)
        return rc;
    r = calloc(ana_table_rows(t) + 1, sizeof *r);
    if (!r)
        return SIM_ENOMEM;
    for (i = 0; i < ana_table_rows(t); i++) {
        r[i].scope = ana_table_cell(t, i, ix[C_SCOPE]);
        r[i].metric = ana_table_cell(t, i, ix[C_METRIC]);
        r[i].variant = ana_table_cell(t, i, ix[C_VARIANT]);
        r[i].verdict = ana_table_cell(t, i, ix[C_VERDICT]);
        for (k = 0; k < 6; k++)
            if ((rc = ana_table_number(t, i, ix[num[k]], &r[i].x[k], d))
                != SIM_OK) {
                free(r);
                return rc;
            }
    }
    *out = r;
    *n = ana_table_rows(t);
    return SIM_OK;
}

/* The verdict's index in VERDICT, or NVERDICTS for a row that is no
 * paired comparison (reference, absent, new, or none). */
static size_t verdict_of(const crow *r)
{
    size_t i;

    for (i = 0; i < NVERDICTS && strcmp(r->verdict, VERDICT[i].verdict); i++)
        ;
    return i;
}

static const crow *find(const crow *r, size_t n, const char *scope,
                        const char *metric, const char *variant)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(r[i].scope, scope) && !strcmp(r[i].metric, metric)
            && !strcmp(r[i].variant, variant))
            return &r[i];
    return NULL;
}

static int is_paired(const char *verdict)
{
    crow r;

    r.verdict = verdict;
    return verdict_of(&r) < NVERDICTS;
}

/* The label of point (scope sc, variant v) when there are ns scopes and
 * nv variants: what tells the points apart. */
static void label(char *buf, size_t n, const char *sc, const char *v,
                  size_t ns, size_t nv)
{
    char words[300];

    ana__scope_words(sc, words, sizeof words);
    if (ns > 1 && nv > 1)
        snprintf(buf, n, "%s: %s", words, v);
    else if (ns > 1)
        snprintf(buf, n, "%s", words);
    else
        snprintf(buf, n, "%s", v);
}

/* One panel's block of plot_compare.dat; returns its points, sets the
 * verdicts met in seen[] and widens [range[0], range[1]] to hold every
 * value drawn. */
static size_t panel_data(FILE *f, size_t p, const crow *r, size_t n,
                         const char **sc, size_t ns, const char **var,
                         size_t nv, int *seen, size_t *longest,
                         double *range)
{
    size_t a, b, points = 0;
    char text[400];

    for (a = 0; a < ns; a++)
        for (b = 0; b < nv; b++) {
            const crow *x = find(r, n, sc[a], PANEL[p].metric, var[b]);
            size_t v = x ? verdict_of(x) : NVERDICTS;
            int k;
            if (v == NVERDICTS || !isfinite(x->x[0]))
                continue;
            if (points++ == 0)
                fprintf(f, "# block: %s\n# x diff paired_low paired_high "
                        "unpaired_low unpaired_high colour label\n",
                        PANEL[p].metric);
            seen[v] = 1;
            /* A gap between scopes when each has several variants. */
            fprintf(f, "%zu", a * (nv > 1 ? nv + 1 : 1) + b);
            for (k = 0; k < 5; k++) {
                double y = x->x[k] * PANEL[p].scale;
                ana__dat_num(f, y);
                if (y < range[0])
                    range[0] = y;
                if (y > range[1])
                    range[1] = y;
            }
            fprintf(f, " %ld ", strtol(VERDICT[v].colour + 1, NULL, 16));
            label(text, sizeof text, sc[a], var[b], ns, nv);
            if (strlen(text) > *longest)
                *longest = strlen(text);
            ana__dat_str(f, text);
            fputc('\n', f);
        }
    if (points)
        fputs("\n\n", f);
    return points;
}

static void panel_script(FILE *f, size_t p, size_t block, size_t points,
                         const int *seen, const double *range,
                         const char *ref)
{
    double pad = 0.12 * (range[1] - range[0]);
    char title[512];
    size_t v;

    snprintf(title, sizeof title, "%s: difference from %s (%s)",
             PANEL[p].title, ref, PANEL[p].unit);
    fputs("set title ", f);
    ana__gp_str(f, title);
    fputs("\nset ylabel ", f);
    snprintf(title, sizeof title, "variant - %s (%s)", ref, PANEL[p].unit);
    ana__gp_str(f, title);
    /* 0 and the ends of every interval inside the frame; room for a
     * panel of zeros (the same variant twice). */
    if (!(pad > 0))
        pad = 1;
    fprintf(f, "\nset yrange [%.6g:%.6g]\n", range[0] - pad, range[1] + pad);
    if (!points) {
        fputs("plot 1/0 notitle\n", f);
        return;
    }
    fprintf(f, "plot 0 with lines dt 2 lc rgb '#000000' notitle, \\\n"
            "     'plot_compare.dat' index %zu using 1:2:3:4:7:xtic(8) "
            "with yerrorbars pt 7 ps 1.2 lw 3 lc rgb variable notitle, \\\n"
            "     '' index %zu using ($1+0.2):(($5+$6)/2):5:6 with "
            "yerrorbars pt 0 lw 1.5 lc rgb '#aaaaaa' title 'unpaired "
            "(Welch) interval'", block, block);
    for (v = 0; v < NVERDICTS; v++) {
        int show = seen[v] || (v + 1 < NVERDICTS && !VERDICT[v + 1].key
                               && seen[v + 1]);
        if (VERDICT[v].key && show)
            fprintf(f, ", \\\n     NaN with lines lw 3 lc rgb '%s' title "
                    "'%s'", VERDICT[v].colour, VERDICT[v].key);
    }
    fputc('\n', f);
}

int ana_plot_compare(const char *dir, const char *gnuplot, sim_diag *d)
{
    ana_table t;
    crow *r = NULL;
    const char **sc = NULL, **var = NULL, *ref = "the first variant";
    size_t n = 0, ns = 0, nv = 0, i, j, p, block = 0, longest = 0;
    size_t points[NPANELS];
    double range[NPANELS][2];
    int seen[NPANELS][NVERDICTS];
    double reps = NAN;
    char title[512];
    ana_file fd, fg;
    int rc;

    memset(&t, 0, sizeof t);
    memset(seen, 0, sizeof seen);
    if ((rc = read_rows(&t, dir, &r, &n, d)) != SIM_OK)
        goto done;
    sc = malloc((n + 1) * sizeof *sc);
    var = malloc((n + 1) * sizeof *var);
    if (!sc || !var) {
        rc = SIM_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (!strcmp(r[i].verdict, "reference")) {
            ref = r[i].variant;
            continue;
        }
        if (!is_paired(r[i].verdict))
            continue;
        if (isfinite(r[i].x[5]))
            reps = r[i].x[5];
        for (j = 0; j < nv && strcmp(var[j], r[i].variant); j++)
            ;
        if (j == nv)
            var[nv++] = r[i].variant;
    }
    ns = ana__panel_scopes(sc, ana__distinct(r, n, sizeof *r,
                                             ana__is_request_scope, sc));
    if ((rc = ana_file_open(&fd, dir, "plot_compare.dat", d)) != SIM_OK)
        goto done;
    fputs("# Differences from the first variant, from compare.csv: "
          "latencies in ms,\n# availability in percentage points.\n", fd.f);
    for (p = 0; p < NPANELS; p++) {
        range[p][0] = range[p][1] = 0;
        points[p] = panel_data(fd.f, p, r, n, sc, ns, var, nv, seen[p],
                               &longest, range[p]);
    }
    if ((rc = ana_file_close(&fd, SIM_OK, d)) != SIM_OK
        || (rc = ana_file_open(&fg, dir, "compare.gp", d)) != SIM_OK)
        goto done;
    if (isfinite(reps))
        snprintf(title, sizeof title, "Against %s: paired intervals (common "
                 "random numbers, %.0f replications) and unpaired ones", ref,
                 reps);
    else
        snprintf(title, sizeof title, "Against %s: paired and unpaired "
                 "intervals", ref);
    ana__gp_head(fg.f, "compare", "each variant's difference from the "
                 "first, paired and unpaired intervals", "compare.csv",
                 ns * nv > 8 ? 400 + 100 * (int)(ns * nv) : 1200,
                 60 + 380 * (int)NPANELS, title);
    fprintf(fg.f, " layout %zu,1\n", NPANELS);
    fprintf(fg.f, "set grid ytics\nset key top right box opaque\n"
            "set xrange [-0.6:%zu.6]\nset bars small\n",
            ns ? (ns - 1) * (nv > 1 ? nv + 1 : 1) + (nv ? nv - 1 : 0) : 0);
    if (ns * nv > 6 || longest > 16)
        fputs("set xtics rotate by -25\n", fg.f);
    for (p = 0; p < NPANELS; p++) {
        panel_script(fg.f, p, block, points[p], seen[p], range[p], ref);
        block += points[p] > 0;
    }
    ana__gp_tail(fg.f);
    if ((rc = ana_file_close(&fg, SIM_OK, d)) == SIM_OK && gnuplot)
        rc = ana_gnuplot_render(dir, gnuplot, "compare", d);
done:
    free(sc);
    free(var);
    free(r);
    ana_table_destroy(&t);
    return rc;
}
