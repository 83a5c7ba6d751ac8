/*
 * ana_table.h - CSV files read back as tables of strings: the files of a
 * results folder and of a load sweep, which the plots and sweep.csv are
 * made from, so that a folder written earlier can be used again.
 *
 * Row 0 of a file is its header, which names the columns, and every
 * record has as many fields as the header. Cells are strings owned by
 * the table; an empty cell read as a number is NaN. Errors: SIM_EPARSE
 * with d naming the file and its line (the header is line 1) and, for a
 * cell, its column; SIM_ENOMEM.
 */
#ifndef ANA_TABLE_H
#define ANA_TABLE_H
#include <stddef.h>
#include "../sim/sim_err.h"

#define ANA_TABLE_PATH 4096     /* the longest path kept for messages */

typedef struct ana_table {
    /* read-only */
    char **f;                   /* owned: every field, row after row */
    size_t nf;
    size_t ncols;               /* fields in the header */
    char path[ANA_TABLE_PATH];  /* the file, for messages */
    /* private: the reader's state */
    size_t cap;                 /* room in f */
    size_t records;             /* seen so far, the header included */
    sim_diag *d;
} ana_table;

/* Read the CSV file path into t. A missing file is SIM_OK with *found =
 * 0 when found is not NULL (*found = 1 otherwise), else an error; an
 * empty file is an error. On failure t holds nothing. */
int ana_table_read(ana_table *t, const char *path, int *found,
                   sim_diag *d);
/* Free what t holds; a zeroed t is fine. */
void ana_table_destroy(ana_table *t);
/* Rows below the header. */
size_t ana_table_rows(const ana_table *t);
/* The cell of row (0: the first below the header) and col. */
const char *ana_table_cell(const ana_table *t, size_t row, size_t col);
/* The indices of the columns names[] (NULL-terminated) into idx[].
 * Returns SIM_OK, or SIM_EPARSE naming the first missing from the
 * header. */
int ana_table_columns(const ana_table *t, const char *const *names,
                      size_t *idx, sim_diag *d);
/* The number in a cell into *x (an empty cell is NaN). Returns SIM_OK,
 * or SIM_EPARSE naming the cell. */
int ana_table_number(const ana_table *t, size_t row, size_t col,
                     double *x, sim_diag *d);

/* ---- a results folder: summary.csv, theory.csv, latency_hist.csv ---- */

/* One row of summary.csv with its theory (NaN when there is none). */
typedef struct ana_srow {
    const char *scope, *metric;     /* borrowed from the table */
    double mean, lo, hi, n, th;
} ana_srow;

/* One row of latency_hist.csv: a bin [lo, hi) in s and its count. */
typedef struct ana_hrow {
    const char *scope;              /* borrowed from the table */
    double lo, hi, count;
} ana_hrow;

typedef struct ana_results {
    /* read-only */
    ana_table sum, th, hist;        /* the files */
    size_t nsum, nhist;
    ana_srow *s;                    /* owned: nsum rows */
    ana_hrow *h;                    /* owned: nhist rows */
    int have_hist;                  /* latency_hist.csv was there */
} ana_results;

/* Read the results folder dir: summary.csv (required), theory.csv and
 * latency_hist.csv (when present). Call ana_table_results_destroy()
 * either way. */
int ana_table_results(ana_results *r, const char *dir, sim_diag *d);
void ana_table_results_destroy(ana_results *r);

#endif /* ANA_TABLE_H */
