/*
 * ana_capacity.c - objectives and the capacity search (ana_capacity.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/mdl_units.h"
#include "ana_capacity.h"

int ana_slo_parse(ana_slo *o, const char *text, sim_diag *d)
{
    const char *lt = strrchr(text, '<'), *gt = strrchr(text, '>'), *op, *v;
    size_t len;
    char *end;

    memset(o, 0, sizeof *o);
    snprintf(o->text, sizeof o->text, "%s", text);
    /* the last of the two: a scope call:A->B holds a '>' */
    op = !lt ? gt : !gt ? lt : lt > gt ? lt : gt;
    if (!op)
        goto bad;
    len = (size_t)(op - text);
    while (len > 0 && text[len - 1] == ' ')
        len--;
    while (len > 0 && *text == ' ') {
        text++;
        len--;
    }
    if (len == 0 || len >= sizeof o->metric)
        goto bad;
    memcpy(o->metric, text, len);
    if (!strrchr(o->metric, '.') || strrchr(o->metric, '.')[1] == '\0')
        goto bad;
    o->less = *op == '<';
    v = op + 1 + strspn(op + 1, " ");
    len = strlen(v);
    while (len > 0 && v[len - 1] == ' ')
        len--;
    if (len > 0 && v[len - 1] == '%') {
        o->value = strtod(v, &end) / 100;
        if (end == v || end != v + len - 1)
            goto bad;
    } else if (mdl_units_parse(v, v + len, MDL_UNITS_TIME, &o->value, NULL,
                               0, NULL) != SIM_OK) {
        goto bad;
    }
    if (!isfinite(o->value))
        goto bad;
    return SIM_OK;
bad:
    return sim_diag_set(d, NULL, 0, 0, "--slo '%s': expected SCOPE.METRIC "
                        "< VALUE or > VALUE, e.g. 'class:checkout."
                        "latency_p99 < 250ms' or 'system.availability > "
                        "99.9%%'", o->text);
}

int ana_slo_holds(const ana_slo *o, const ana_results *res, ana_srow *row)
{
    memset(row, 0, sizeof *row);
    row->mean = row->lo = row->hi = row->n = row->th = NAN;
    if (!res || ana_points_value(res, o->metric, row) != 0)
        return 0;
    return o->less ? row->hi < o->value : row->lo > o->value;
}

int ana_capacity_axis(mdl_axis *a, const char *text, sim_diag *d)
{
    const char *colon = strrchr(text, ':');
    long lo, hi, v;
    char *end, *mid;

    memset(a, 0, sizeof *a);
    if (!colon || colon == text)
        goto bad;
    errno = 0;
    lo = strtol(colon + 1, &mid, 10);
    if (mid == colon + 1 || strncmp(mid, "..", 2))
        goto bad;
    hi = strtol(mid + 2, &end, 10);
    if (end == mid + 2 || *end || lo > hi || errno == ERANGE)
        goto bad;
    if ((unsigned long)hi - (unsigned long)lo >= MDL_AXIS_VALUES_MAX)
        return sim_diag_set(d, NULL, 0, 0, "--find '%s': at most %d values",
                            text, MDL_AXIS_VALUES_MAX);
    a->key = strndup(text, (size_t)(colon - text));
    a->values = calloc((size_t)(hi - lo + 1), sizeof *a->values);
    if (!a->key || !a->values) {
        mdl_axis_destroy(a);
        return SIM_ENOMEM;
    }
    for (v = lo; v <= hi; v++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", v);
        if (!(a->values[a->nvalues++] = strdup(buf))) {
            mdl_axis_destroy(a);
            return SIM_ENOMEM;
        }
    }
    return SIM_OK;
bad:
    return sim_diag_set(d, NULL, 0, 0, "--find '%s': expected KEY: MIN..MAX "
                        "with whole numbers MIN <= MAX, e.g. "
                        "'services.db.servers: 1..16'", text);
}

/* Run the point at value v of axis a (others as at k), counting it in
 * *runs unless it is unstable, and tell whether every objective holds
 * there. Returns 1, 0, or a negative error. */
static int meets(ana_points *p, size_t a, size_t k, size_t v,
                 const ana_slo *slo, size_t n, size_t *runs, sim_diag *d)
{
    size_t q = ana_grid_with(p->g, k, a, v), i;
    char path[4200];
    ana_results res;
    int rc, ok = 1;

    if ((rc = ana_points_run(p, q, d)) != SIM_OK)
        return rc > 0 ? SIM_EINTR : rc;
    if (p->status[q] != ANA_POINT_DONE)
        return 0;                   /* unstable: nothing was run */
    (*runs)++;
    snprintf(path, sizeof path, "%s/points/%zu", p->dir, q);
    if ((rc = ana_table_results(&res, path, d)) == SIM_OK)
        for (i = 0; i < n && rc == SIM_OK; i++) {
            ana_srow row;
            if (ana_points_value(&res, slo[i].metric, &row) != 0)
                rc = sim_diag_set(d, NULL, 0, 0, "--slo '%s': the results "
                                  "have no metric '%s' (names as in "
                                  "summary.csv: scope.metric)", slo[i].text,
                                  slo[i].metric);
            else
                ok &= ana_slo_holds(&slo[i], &res, &row);
        }
    ana_table_results_destroy(&res);
    return rc != SIM_OK ? rc : ok;
}

int ana_capacity_find(ana_points *p, size_t a, size_t k, const ana_slo *slo,
                      size_t n, size_t *found, size_t *runs, sim_diag *d)
{
    size_t lo = 0, hi = p->g->axes[a].nvalues - 1;
    int m;

    *runs = 0;
    *found = hi + 1;
    if ((m = meets(p, a, k, hi, slo, n, runs, d)) <= 0)
        return m < 0 ? m : SIM_OK;
    if (hi == lo || (m = meets(p, a, k, lo, slo, n, runs, d)) != 0) {
        if (m < 0)
            return m;
        *found = lo;
        return SIM_OK;
    }
    /* lo fails, hi meets */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if ((m = meets(p, a, k, mid, slo, n, runs, d)) < 0)
            return m;
        if (m)
            hi = mid;
        else
            lo = mid;
    }
    *found = hi;
    return SIM_OK;
}
