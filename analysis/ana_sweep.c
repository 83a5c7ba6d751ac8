/*
 * ana_sweep.c - the tables of a sweep (ana_sweep.h).
 *
 * sweep.csv is made from the load folders' own files, read back
 * (ana_table.h), so it says exactly what each folder says; sweep_theory.csv
 * is written from the theory solved at each load of the grid.
 */
#include <stdio.h>
#include <unistd.h>
#include "ana_file.h"
#include "ana_sweep.h"
#include "ana_table.h"

#define ANA_SWEEP_PATH 4096

int ana_sweep_csv(const char *dir, size_t naxes, const char *const *axis,
                  size_t n, const char *const *value,
                  const char *const *sub, sim_diag *d)
{
    ana_file a;
    size_t i, j, k;
    int rc = ana_file_open(&a, dir, "sweep.csv", d);

    if (rc != SIM_OK)
        return rc;
    for (k = 0; k < naxes; k++) {
        ana_csv_str(a.f, axis[k]);
        fputc(',', a.f);
    }
    fputs("scope,metric,mean,ci_low,ci_high,n,theory\n", a.f);
    for (i = 0; i < n && rc == SIM_OK; i++) {
        char path[ANA_SWEEP_PATH];
        ana_results r;

        snprintf(path, sizeof path, "%s/%s", dir, sub[i]);
        rc = ana_table_results(&r, path, d);
        for (j = 0; rc == SIM_OK && j < r.nsum; j++) {
            const ana_srow *x = &r.s[j];
            const double v[] = {x->mean, x->lo, x->hi, x->n, x->th};
            for (k = 0; k < naxes; k++) {
                ana_csv_str(a.f, value[i * naxes + k]);
                fputc(',', a.f);
            }
            ana_csv_row(a.f, x->scope, x->metric, 5, v);
        }
        ana_table_results_destroy(&r);
    }
    return ana_file_close(&a, rc, d);
}

int ana_sweep_theory(const char *dir, size_t n, const double *load,
                     const ana_theory *const *th, sim_diag *d)
{
    ana_file a;
    size_t i, j, any = 0;
    int rc;

    for (i = 0; i < n; i++)
        if (th[i] && th[i]->applies)
            any++;
    if (!any) {
        char old[ANA_SWEEP_PATH];
        snprintf(old, sizeof old, "%s/sweep_theory.csv", dir);
        unlink(old);
        return SIM_OK;
    }
    if ((rc = ana_file_open(&a, dir, "sweep_theory.csv", d)) != SIM_OK)
        return rc;
    fputs("load,scope,metric,value\n", a.f);
    for (i = 0; i < n; i++) {
        if (!th[i] || !th[i]->applies)
            continue;
        for (j = 0; j < th[i]->n; j++) {
            fprintf(a.f, "%.10g,", load[i]);
            ana_csv_row(a.f, th[i]->v[j].scope, th[i]->v[j].metric, 1,
                        &th[i]->v[j].value);
        }
    }
    return ana_file_close(&a, SIM_OK, d);
}
