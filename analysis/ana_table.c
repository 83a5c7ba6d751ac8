/*
 * ana_table.c - CSV files read back as tables of strings (ana_table.h).
 *
 * The records and their lines come from mdl_csv.h, the reader the
 * loaders use too. Every field is copied into its own string, row after
 * row, so a cell is f[(row + 1) * ncols + col].
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_csv.h"
#include "ana_table.h"

void ana_table_destroy(ana_table *t)
{
    size_t i;

    for (i = 0; i < t->nf; i++)
        free(t->f[i]);
    free(t->f);
    memset(t, 0, sizeof *t);
}

/* One record: the header fixes the number of fields of every other. */
static int on_record(void *ctx, const mdl_csv_rec *r)
{
    ana_table *t = ctx;
    size_t i;

    if (t->records++ == 0)
        t->ncols = r->n;
    else if (r->n != t->ncols)
        return sim_diag_set(t->d, t->path, (int)r->line, 0,
                            "expected %zu fields, found %zu", t->ncols,
                            r->n);
    if (t->nf + r->n > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        char **f;

        while (cap < t->nf + r->n)
            cap *= 2;
        if (!(f = realloc(t->f, cap * sizeof *f)))
            return SIM_ENOMEM;
        t->f = f;
        t->cap = cap;
    }
    for (i = 0; i < r->n; i++) {
        char *c = malloc(r->len[i] + 1);

        if (!c)
            return SIM_ENOMEM;
        memcpy(c, r->field[i], r->len[i] + 1);
        t->f[t->nf++] = c;
    }
    return SIM_OK;
}

int ana_table_read(ana_table *t, const char *path, int *found,
                   sim_diag *d)
{
    mdl_csv_err e;
    FILE *f;
    int rc;

    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    t->d = d;
    f = fopen(path, "rb");
    if (!f) {
        if (found && errno == ENOENT) {
            *found = 0;
            return SIM_OK;
        }
        return sim_diag_set(d, NULL, 0, 0, "cannot read '%s': %s", path,
                            strerror(errno));
    }
    if (found)
        *found = 1;
    rc = mdl_csv_read(f, 0, on_record, t, &e);
    if (e.kind == MDL_CSV_SYNTAX)
        rc = sim_diag_set(d, path, (int)e.line, 0, "malformed CSV: %s",
                          e.what);
    else if (e.kind == MDL_CSV_READ)
        rc = sim_diag_set(d, NULL, 0, 0, "cannot read '%s': %s", path,
                          strerror(errno));
    fclose(f);
    if (rc == SIM_OK && t->records == 0)
        rc = sim_diag_set(d, path, 1, 0, "empty file, expected a header "
                          "row");
    if (rc != SIM_OK) {
        ana_table_destroy(t);
        return rc;
    }
    return SIM_OK;
}

size_t ana_table_rows(const ana_table *t)
{
    return t->ncols ? t->nf / t->ncols - 1 : 0;
}

const char *ana_table_cell(const ana_table *t, size_t row, size_t col)
{
    return t->f[(row + 1) * t->ncols + col];
}

int ana_table_columns(const ana_table *t, const char *const *names,
                      size_t *idx, sim_diag *d)
{
    size_t i, c;

    for (i = 0; names[i]; i++) {
        for (c = 0; c < t->ncols && strcmp(t->f[c], names[i]); c++)
            ;
        if (c == t->ncols)
            return sim_diag_set(d, t->path, 1, 0, "missing column '%s' in "
                                "the header", names[i]);
        idx[i] = c;
    }
    return SIM_OK;
}

int ana_table_number(const ana_table *t, size_t row, size_t col,
                     double *x, sim_diag *d)
{
    const char *s = ana_table_cell(t, row, col);
    char *end;

    if (!*s) {
        *x = NAN;
        return SIM_OK;
    }
    errno = 0;
    *x = strtod(s, &end);
    if (end == s || *end)
        return sim_diag_set(d, t->path, (int)row + 2, (int)col + 1,
                            "expected a number, found '%s'", s);
    return SIM_OK;
}

/* ---- a results folder ---- */

void ana_table_results_destroy(ana_results *r)
{
    ana_table_destroy(&r->sum);
    ana_table_destroy(&r->th);
    ana_table_destroy(&r->hist);
    free(r->s);
    free(r->h);
}

/* Theory values as a table (scope, metric, value): the value of one. */
static double theory_lookup(const ana_table *t, const size_t *ix,
                            const char *scope, const char *metric)
{
    size_t i, n = ana_table_rows(t);

    for (i = 0; i < n; i++)
        if (!strcmp(ana_table_cell(t, i, ix[0]), scope)
            && !strcmp(ana_table_cell(t, i, ix[1]), metric)) {
            char *end;
            double x = strtod(ana_table_cell(t, i, ix[2]), &end);
            return end != ana_table_cell(t, i, ix[2]) && !*end ? x : NAN;
        }
    return NAN;
}

int ana_table_results(ana_results *r, const char *dir, sim_diag *d)
{
    static const char *const scols[] = {"scope", "metric", "mean", "ci_low",
                                        "ci_high", "n", NULL};
    static const char *const tcols[] = {"scope", "metric", "value", NULL};
    static const char *const hcols[] = {"scope", "bin_low", "bin_high",
                                        "count", NULL};
    char path[ANA_TABLE_PATH];
    size_t si[6], ti[3], hi[4], i;
    int have_th, rc;

    memset(r, 0, sizeof *r);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    if ((rc = ana_table_read(&r->sum, path, NULL, d)) != SIM_OK
        || (rc = ana_table_columns(&r->sum, scols, si, d)) != SIM_OK)
        return rc;
    snprintf(path, sizeof path, "%s/theory.csv", dir);
    if ((rc = ana_table_read(&r->th, path, &have_th, d)) != SIM_OK
        || (have_th && (rc = ana_table_columns(&r->th, tcols, ti, d))
                       != SIM_OK))
        return rc;
    snprintf(path, sizeof path, "%s/latency_hist.csv", dir);
    if ((rc = ana_table_read(&r->hist, path, &r->have_hist, d)) != SIM_OK
        || (r->have_hist && (rc = ana_table_columns(&r->hist, hcols, hi, d))
            != SIM_OK))
        return rc;

    r->nsum = ana_table_rows(&r->sum);
    r->nhist = r->have_hist ? ana_table_rows(&r->hist) : 0;
    r->s = calloc(r->nsum + 1, sizeof *r->s);
    r->h = calloc(r->nhist + 1, sizeof *r->h);
    if (!r->s || !r->h)
        return SIM_ENOMEM;
    for (i = 0; i < r->nsum; i++) {
        ana_srow *x = &r->s[i];
        x->scope = ana_table_cell(&r->sum, i, si[0]);
        x->metric = ana_table_cell(&r->sum, i, si[1]);
        if ((rc = ana_table_number(&r->sum, i, si[2], &x->mean, d)) != SIM_OK
            || (rc = ana_table_number(&r->sum, i, si[3], &x->lo, d)) != SIM_OK
            || (rc = ana_table_number(&r->sum, i, si[4], &x->hi, d)) != SIM_OK
            || (rc = ana_table_number(&r->sum, i, si[5], &x->n, d)) != SIM_OK)
            return rc;
        x->th = have_th ? theory_lookup(&r->th, ti, x->scope, x->metric)
                        : NAN;
    }
    for (i = 0; i < r->nhist; i++) {
        ana_hrow *x = &r->h[i];
        x->scope = ana_table_cell(&r->hist, i, hi[0]);
        if ((rc = ana_table_number(&r->hist, i, hi[1], &x->lo, d)) != SIM_OK
            || (rc = ana_table_number(&r->hist, i, hi[2], &x->hi, d)) != SIM_OK
            || (rc = ana_table_number(&r->hist, i, hi[3], &x->count, d))
               != SIM_OK)
            return rc;
        if (!(x->lo >= 0) || !(x->hi >= x->lo) || !(x->count >= 0))
            return sim_diag_set(d, r->hist.path, (int)i + 2, 0,
                                "bad histogram bin [%s, %s] with count %s",
                                ana_table_cell(&r->hist, i, hi[1]),
                                ana_table_cell(&r->hist, i, hi[2]),
                                ana_table_cell(&r->hist, i, hi[3]));
    }
    return SIM_OK;
}
