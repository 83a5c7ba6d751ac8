/*
 * ana_compare.c - paired and unpaired comparisons of variants, compare.csv
 * and the comparison table (ana_compare.h).
 *
 * Paired-t (Law, "Simulation Modeling and Analysis", 5th ed., sec.
 * 10.2.1): with D_r = X_v,r - X_1,r over the n replications where both
 * are finite,
 *
 *   Dbar +- t_{n-1, (1+level)/2} s_D / sqrt(n),
 *
 * which is ana_ci_t() of the D_r. It needs no assumption on how X_v and
 * X_1 are related, and it is narrow exactly when they move together.
 *
 * Welch (Law sec. 10.2.2): with means m_i, variances s_i^2 and counts
 * n_i of each variant's own finite values,
 *
 *   m_v - m_1 +- t_{f, (1+level)/2} sqrt(s_v^2/n_v + s_1^2/n_1),
 *   f = (s_v^2/n_v + s_1^2/n_1)^2
 *       / ((s_v^2/n_v)^2/(n_v-1) + (s_1^2/n_1)^2/(n_1-1)),
 *
 * f not rounded (gsl's t quantile takes any positive f). s_i^2/n_i is
 * the square of ana_ci_t()'s standard error. Two constant variants
 * (s_v = s_1 = 0) give f = 0/0: the interval is then the point m_v - m_1.
 *
 * Metrics are matched by (scope, metric) through an index of each
 * variant sorted by name, so a comparison costs O(k m log m) for k
 * variants of m metrics.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include "../models/mdl_net.h"
#include "ana_compare.h"
#include "ana_file.h"

const char *ana_verdict_name(int v)
{
    static const char *const NAMES[] = {
        "", "reference", "better", "worse", "higher", "lower",
        "indistinguishable", "absent", "new"
    };

    return v >= 0 && v <= ANA_VERDICT_NEW ? NAMES[v] : "";
}

/* ---- a variant from a run ---- */

static const char *static_unit(const char *unit)
{
    return !strcmp(unit, "s") ? "s" : !strcmp(unit, "1/s") ? "1/s" : "";
}

int ana_cmp_var_from_run(ana_cmp_var *v, const ana_run *r,
                         const char *name)
{
    const mdl_net *net = r->net;
    size_t i, nm = mdl_net_nmetrics(net);
    size_t need = strlen(name) + 1, at;
    const char *prev = NULL;
    unsigned k;

    memset(v, 0, sizeof *v);
    /* A scope's name is shared by its metrics (mdl_results.c): one copy
     * each time it changes. */
    for (i = 0; i < nm; i++) {
        if (mdl_net_scope(net, i) != prev)
            need += strlen(mdl_net_scope(net, i)) + 1;
        prev = mdl_net_scope(net, i);
        need += strlen(mdl_net_metric(net, i)) + 1;
    }
    v->pool = malloc(need);
    v->m = calloc(nm ? nm : 1, sizeof *v->m);
    v->x = malloc((nm ? nm : 1) * (r->nreps ? r->nreps : 1) * sizeof *v->x);
    if (!v->pool || !v->m || !v->x)
        return SIM_ENOMEM;
    v->nmetrics = nm;
    v->nreps = r->nreps;
    at = 0;
    memcpy(v->pool, name, strlen(name) + 1);
    v->name = v->pool;
    at += strlen(name) + 1;
    prev = NULL;
    for (i = 0; i < nm; i++) {
        ana_cmp_metric *m = &v->m[i];
        const char *scope = mdl_net_scope(net, i);
        const char *metric = mdl_net_metric(net, i);
        if (scope != prev) {
            memcpy(v->pool + at, scope, strlen(scope) + 1);
            m->scope = v->pool + at;
            at += strlen(scope) + 1;
        } else {
            m->scope = v->m[i - 1].scope;
        }
        prev = scope;
        memcpy(v->pool + at, metric, strlen(metric) + 1);
        m->metric = v->pool + at;
        at += strlen(metric) + 1;
        m->unit = static_unit(mdl_net_metric_unit(net, i));
        m->better = mdl_net_metric_better(net, i);
        m->quiet = mdl_net_metric_quiet(net, i, &m->usual);
        m->th = ana_theory_get(r->th && r->th->applies ? r->th : NULL,
                               m->scope, m->metric);
        m->ci = r->rep.ci[i];
    }
    for (i = 0; i < nm * r->nreps; i++)
        v->x[i] = NAN;
    for (k = 0; k < r->done; k++)
        for (i = 0; i < nm; i++)
            v->x[i * r->nreps + r->ids[k]]
                = ana_store_values(&r->results, k)[i];
    return SIM_OK;
}

void ana_cmp_var_destroy(ana_cmp_var *v)
{
    free(v->pool);
    free(v->m);
    free(v->x);
    memset(v, 0, sizeof *v);
}

/* ---- one metric ---- */

/* The finite values of x[0..n-1] into work; returns how many. */
static size_t finite_values(const double *x, size_t n, double *work)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if (isfinite(x[i]))
            work[k++] = x[i];
    return k;
}

static int verdict(const ana_ci *p, int better)
{
    int up;

    if (p->n < 2 || isnan(p->low))
        return ANA_VERDICT_NONE;
    if (p->low <= 0 && p->high >= 0)
        return ANA_VERDICT_SAME;
    up = p->low > 0;                /* the variant is higher */
    if (better == MDL_BETTER_LOWER)
        return up ? ANA_VERDICT_WORSE : ANA_VERDICT_BETTER;
    if (better == MDL_BETTER_HIGHER)
        return up ? ANA_VERDICT_BETTER : ANA_VERDICT_WORSE;
    return up ? ANA_VERDICT_HIGHER : ANA_VERDICT_LOWER;
}

int ana_compare_pair(const double *x1, const double *xv, size_t n,
                     double level, int better, double *work,
                     ana_cmp_diff *out)
{
    ana_ci c1, cv;
    size_t r, k = 0, n1, nv;

    if (!(level > 0 && level < 1))
        return SIM_EINVAL;
    out->paired.mean = out->paired.low = out->paired.high = NAN;
    out->paired.se = NAN;
    out->means = out->ulow = out->uhigh = out->udf = NAN;
    /* Paired: D_r where both are finite. */
    for (r = 0; r < n; r++)
        if (isfinite(x1[r]) && isfinite(xv[r]))
            work[k++] = xv[r] - x1[r];
    out->paired.n = k;
    if (k > 0)
        ana_ci_t(work, k, level, &out->paired);
    out->verdict = verdict(&out->paired, better);
    /* Unpaired: each variant's own values. */
    n1 = finite_values(x1, n, work);
    if (n1 == 0 || ana_ci_t(work, n1, level, &c1) != SIM_OK)
        return SIM_OK;
    nv = finite_values(xv, n, work);
    if (nv == 0 || ana_ci_t(work, nv, level, &cv) != SIM_OK)
        return SIM_OK;
    out->means = cv.mean - c1.mean;
    if (n1 >= 2 && nv >= 2) {
        double a = c1.se * c1.se, b = cv.se * cv.se, hw = 0;
        if (a + b > 0) {
            out->udf = (a + b) * (a + b)
                       / (a * a / (double)(n1 - 1) + b * b / (double)(nv - 1));
            hw = gsl_cdf_tdist_Pinv(0.5 * (1 + level), out->udf)
                 * sqrt(a + b);
        }
        out->ulow = out->means - hw;
        out->uhigh = out->means + hw;
    }
    return SIM_OK;
}

/* ---- every metric of every variant ---- */

/* Sorting and finding metrics by name. */
static const ana_cmp_metric *sort_m;

static int cmp_names(const ana_cmp_metric *a, const char *scope,
                     const char *metric)
{
    int c = strcmp(a->scope, scope);

    return c ? c : strcmp(a->metric, metric);
}

static int cmp_index(const void *a, const void *b)
{
    const ana_cmp_metric *y = &sort_m[*(const size_t *)b];

    return cmp_names(&sort_m[*(const size_t *)a], y->scope, y->metric);
}

/* Indices of v's metrics sorted by (scope, metric), or NULL. */
static size_t *name_index(const ana_cmp_var *v)
{
    size_t *ix = malloc((v->nmetrics + 1) * sizeof *ix), i;

    if (!ix)
        return NULL;
    for (i = 0; i < v->nmetrics; i++)
        ix[i] = i;
    sort_m = v->m;
    qsort(ix, v->nmetrics, sizeof *ix, cmp_index);
    return ix;
}

/* The metric (scope, metric) of v through its index ix, or v->nmetrics. */
static size_t lookup(const ana_cmp_var *v, const size_t *ix,
                     const char *scope, const char *metric)
{
    size_t lo = 0, hi = v->nmetrics;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_names(&v->m[ix[mid]], scope, metric);
        if (c == 0)
            return ix[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return v->nmetrics;
}

static void unpaired_row(ana_cmp_row *row, size_t var, size_t m, int verdict)
{
    memset(row, 0, sizeof *row);
    row->var = var;
    row->m = m;
    row->d.paired.mean = row->d.paired.low = row->d.paired.high = NAN;
    row->d.paired.se = NAN;
    row->d.means = row->d.ulow = row->d.uhigh = row->d.udf = NAN;
    row->d.verdict = verdict;
}

int ana_compare_init(ana_compare *c, const ana_cmp_var *v, size_t nvars,
                     double level)
{
    size_t **ix = NULL, i, j, w, cap = 0;
    unsigned char **seen = NULL;
    double *work = NULL;
    int rc = SIM_ENOMEM;

    memset(c, 0, sizeof *c);
    if (nvars < 2 || !(level > 0 && level < 1))
        return SIM_EINVAL;
    for (j = 1; j < nvars; j++)
        if (v[j].nreps != v[0].nreps)
            return SIM_EINVAL;
    c->v = v;
    c->nvars = nvars;
    c->level = level;
    for (j = 0; j < nvars; j++)
        cap += v[0].nmetrics + v[j].nmetrics;
    ix = calloc(nvars, sizeof *ix);
    seen = calloc(nvars, sizeof *seen);
    work = malloc((v[0].nreps + 1) * sizeof *work);
    c->rows = malloc((cap + 1) * sizeof *c->rows);
    if (!ix || !seen || !work || !c->rows)
        goto done;
    for (j = 0; j < nvars; j++)
        if (!(ix[j] = name_index(&v[j]))
            || !(seen[j] = calloc(v[j].nmetrics + 1, 1)))
            goto done;
    /* The reference's metrics: its row, then each variant's. */
    for (i = 0; i < v[0].nmetrics; i++) {
        const ana_cmp_metric *m = &v[0].m[i];
        unpaired_row(&c->rows[c->nrows++], 0, i, ANA_VERDICT_REFERENCE);
        for (j = 1; j < nvars; j++) {
            size_t k = lookup(&v[j], ix[j], m->scope, m->metric);
            ana_cmp_row *row = &c->rows[c->nrows++];
            if (k == v[j].nmetrics) {
                unpaired_row(row, j, i, ANA_VERDICT_ABSENT);
                continue;
            }
            seen[j][k] = 1;
            row->var = j;
            row->m = k;
            /* Replication r pairs with replication r. */
            ana_compare_pair(v[0].x + i * v[0].nreps,
                             v[j].x + k * v[j].nreps, v[0].nreps, level,
                             m->better, work, &row->d);
        }
    }
    /* Metrics some variants have and the reference lacks, together. */
    for (j = 1; j < nvars; j++)
        for (i = 0; i < v[j].nmetrics; i++) {
            const ana_cmp_metric *m = &v[j].m[i];
            if (seen[j][i])
                continue;
            for (w = j; w < nvars; w++) {
                size_t k = w == j ? i
                                  : lookup(&v[w], ix[w], m->scope, m->metric);
                if (k == v[w].nmetrics || seen[w][k])
                    continue;
                seen[w][k] = 1;
                unpaired_row(&c->rows[c->nrows++], w, k, ANA_VERDICT_NEW);
            }
        }
    for (i = 0; i < c->nrows; i++)
        c->verdicts[c->rows[i].d.verdict]++;
    rc = SIM_OK;
done:
    for (j = 0; j < nvars; j++) {
        free(ix ? ix[j] : NULL);
        free(seen ? seen[j] : NULL);
    }
    free(ix);
    free(seen);
    free(work);
    return rc;
}

void ana_compare_destroy(ana_compare *c)
{
    free(c->rows);
    memset(c, 0, sizeof *c);
}

/* ---- compare.csv ---- */

static const ana_cmp_metric *row_metric(const ana_compare *c,
                                        const ana_cmp_row *row)
{
    return &c->v[row->d.verdict == ANA_VERDICT_ABSENT ? 0 : row->var]
                .m[row->m];
}

static void write_rows(const ana_compare *c, FILE *f)
{
    size_t i;

    fputs(ANA_COMPARE_HEADER "\n", f);
    for (i = 0; i < c->nrows; i++) {
        const ana_cmp_row *row = &c->rows[i];
        const ana_cmp_metric *m = row_metric(c, row);
        int absent = row->d.verdict == ANA_VERDICT_ABSENT;
        int paired = row->d.verdict != ANA_VERDICT_REFERENCE && !absent
                     && row->d.verdict != ANA_VERDICT_NEW;
        const double x[] = {
            absent ? NAN : m->ci.mean, absent ? NAN : m->ci.low,
            absent ? NAN : m->ci.high, row->d.paired.mean,
            row->d.paired.low, row->d.paired.high
        };
        size_t k;

        ana_csv_str(f, m->scope);
        fputc(',', f);
        ana_csv_str(f, m->metric);
        fputc(',', f);
        ana_csv_str(f, c->v[row->var].name);
        for (k = 0; k < sizeof x / sizeof *x; k++) {
            fputc(',', f);
            ana_csv_num(f, x[k]);
        }
        fputc(',', f);
        ana_csv_str(f, ana_verdict_name(row->d.verdict));
        fputc(',', f);
        ana_csv_num(f, row->d.ulow);
        fputc(',', f);
        ana_csv_num(f, row->d.uhigh);
        fprintf(f, ",%zu\n", paired ? row->d.paired.n
                             : absent ? (size_t)0 : m->ci.n);
    }
}

int ana_compare_write(const ana_compare *c, const char *dir, sim_diag *d)
{
    ana_file a;
    int rc = ana_file_open(&a, dir, "compare.csv", d);

    if (rc != SIM_OK)
        return rc;
    write_rows(c, a.f);
    return ana_file_close(&a, SIM_OK, d);
}

/* ---- the table ---- */

/* The rows [from, to) of one metric: the reference's (or, for a metric
 * the reference lacks, the first variant's that has it) and the
 * others'. */
static size_t group_end(const ana_compare *c, size_t from)
{
    const ana_cmp_metric *m = row_metric(c, &c->rows[from]);
    size_t to = from + 1;

    while (to < c->nrows) {
        const ana_cmp_metric *x = row_metric(c, &c->rows[to]);
        if (c->rows[to].d.verdict == ANA_VERDICT_REFERENCE
            || cmp_names(x, m->scope, m->metric))
            break;
        to++;
    }
    return to;
}

/* Whether the table shows the metric of rows [from, to), as the run
 * table would (ana_rows_shown()); an outcome at its usual value in every
 * variant is left out, as it is there. */
static int group_shown(const ana_compare *c, size_t from, size_t to,
                       const ana_rows *rows)
{
    const ana_cmp_metric *m = row_metric(c, &c->rows[from]);
    int usual = 1;
    size_t i;

    for (i = from; i < to; i++)
        if (c->rows[i].d.verdict != ANA_VERDICT_ABSENT
            && row_metric(c, &c->rows[i])->ci.mean != m->usual)
            usual = 0;
    if (m->quiet && usual && !(m->th > 0) && !(rows && rows->all))
        return 0;
    return ana_rows_shown(rows, m->scope, m->metric, m->th,
                          m->quiet && !usual);
}

static void fmt(char *buf, size_t n, const char *f, double x, double scale)
{
    if (isnan(x))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, f, x * scale);
}

/* "mean [low, high]", "mean" or "-" scaled. */
static void fmt_ci(char *buf, size_t n, const char *f, double mean,
                   double low, double high, double scale)
{
    char a[32], b[32], x[32];

    fmt(x, sizeof x, f, mean, scale);
    fmt(a, sizeof a, "%.4g", low, scale);
    fmt(b, sizeof b, "%.4g", high, scale);
    if (isnan(low) || isnan(high))
        snprintf(buf, n, "%s", x);
    else
        snprintf(buf, n, "%s [%s, %s]", x, a, b);
}

/* The cells of a row, scaled: mean [CI], difference [paired CI] and
 * the unpaired interval ("" where the row has none). */
typedef struct cells {
    char mean[112], diff[112], un[112];
} cells;

static void row_cells(const ana_compare *c, const ana_cmp_row *row,
                      double scale, cells *x)
{
    const ana_cmp_metric *m = row_metric(c, row);
    int absent = row->d.verdict == ANA_VERDICT_ABSENT;
    int paired = !absent && row->d.verdict != ANA_VERDICT_REFERENCE
                 && row->d.verdict != ANA_VERDICT_NEW;

    snprintf(x->mean, sizeof x->mean, "-");
    x->diff[0] = x->un[0] = '\0';
    if (!absent)
        fmt_ci(x->mean, sizeof x->mean, "%.4g", m->ci.mean, m->ci.low,
               m->ci.high, scale);
    if (paired) {
        fmt_ci(x->diff, sizeof x->diff, "%+.4g", row->d.paired.mean,
               row->d.paired.low, row->d.paired.high, scale);
        if (!isnan(row->d.ulow))
            fmt_ci(x->un, sizeof x->un, "%+.4g", row->d.means, row->d.ulow,
                   row->d.uhigh, scale);
    }
}

/* The unit and scale of the rows [from, to) of one metric: for a time,
 * the unit of the first mean, so that the variants read alike. */
static const char *group_unit(const ana_compare *c, size_t from, size_t to,
                              double *scale)
{
    const ana_cmp_metric *m = row_metric(c, &c->rows[from]);
    double x = NAN;
    size_t k;

    *scale = 1;
    if (strcmp(m->unit, "s"))
        return m->unit;
    for (k = from; k < to && isnan(x); k++)
        if (c->rows[k].d.verdict != ANA_VERDICT_ABSENT)
            x = row_metric(c, &c->rows[k])->ci.mean;
    return ana_report_time_unit(isnan(x) ? 0 : x, scale);
}

/* Column widths, as wide as the widest cell shown. */
typedef struct widths {
    int scope, variant, mean, diff, un;
} widths;

static void widen(int *w, const char *s)
{
    if ((int)strlen(s) > *w)
        *w = (int)strlen(s);
}

void ana_compare_print(const ana_compare *c, const ana_rows *rows,
                       FILE *out)
{
    size_t i, k, to, hidden = 0, paired;
    char level[32], h[3][64];
    widths w = {5, 7, 0, 0, 0};
    int pass;

    snprintf(level, sizeof level, "%g%%", 100 * c->level);
    snprintf(h[0], sizeof h[0], "mean [%s CI]", level);
    snprintf(h[1], sizeof h[1], "difference [paired %s]", level);
    snprintf(h[2], sizeof h[2], "unpaired [%s]", level);
    widen(&w.mean, h[0]);
    widen(&w.diff, h[1]);
    widen(&w.un, h[2]);
    for (i = 0; i < c->nvars; i++)
        widen(&w.variant, c->v[i].name);
    /* Pass 0 measures the cells, pass 1 prints them. */
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1)
            fprintf(out, "%-*s %-16s %-4s %-*s %-*s %-*s %-*s verdict\n",
                    w.scope, "scope", "metric", "unit", w.variant,
                    "variant", w.mean, h[0], w.diff, h[1], w.un, h[2]);
        for (i = 0; i < c->nrows; i = to) {
            const ana_cmp_metric *m = row_metric(c, &c->rows[i]);
            const char *unit;
            double scale;
            to = group_end(c, i);
            if (!group_shown(c, i, to, rows)) {
                hidden += pass;
                continue;
            }
            unit = group_unit(c, i, to, &scale);
            for (k = i; k < to; k++) {
                const ana_cmp_row *row = &c->rows[k];
                cells x;
                row_cells(c, row, scale, &x);
                if (pass == 0) {
                    widen(&w.scope, m->scope);
                    widen(&w.mean, x.mean);
                    widen(&w.diff, x.diff);
                    widen(&w.un, x.un);
                    continue;
                }
                fprintf(out, "%-*s %-16s %-4s %-*s %-*s %-*s %-*s %s\n",
                        w.scope, k == i ? m->scope : "",
                        k == i ? m->metric : "", unit, w.variant,
                        c->v[row->var].name, w.mean, x.mean, w.diff, x.diff,
                        w.un, x.un, ana_verdict_name(row->d.verdict));
            }
        }
    }
    if (hidden)
        fprintf(out, "\n%zu more metric%s in compare.csv: --all prints "
                "every row, --show SCOPES the rows of some scopes\n",
                hidden, hidden == 1 ? "" : "s");
    paired = c->verdicts[ANA_VERDICT_BETTER] + c->verdicts[ANA_VERDICT_WORSE]
             + c->verdicts[ANA_VERDICT_HIGHER]
             + c->verdicts[ANA_VERDICT_LOWER] + c->verdicts[ANA_VERDICT_SAME];
    if (paired)
        fprintf(out, "\n%zu of %zu paired comparisons differ at %s (%zu "
                "better, %zu worse, %zu higher or lower);\nwere the "
                "variants alike, about %.0f would by chance (nothing is "
                "corrected for\nmultiplicity)\n",
                paired - c->verdicts[ANA_VERDICT_SAME], paired, level,
                c->verdicts[ANA_VERDICT_BETTER],
                c->verdicts[ANA_VERDICT_WORSE],
                c->verdicts[ANA_VERDICT_HIGHER]
                + c->verdicts[ANA_VERDICT_LOWER],
                (1 - c->level) * (double)paired);
}
