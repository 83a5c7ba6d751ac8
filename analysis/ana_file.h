/*
 * ana_file.h - result files written atomically, and CSV fields.
 *
 * A file is written to a hidden temporary in its own folder and renamed
 * into place when complete, so a reader (or an interrupted run) never
 * sees half a file. New files get the mode a plain fopen() would give
 * (0666 less the umask), not mkstemp's 0600.
 */
#ifndef ANA_FILE_H
#define ANA_FILE_H
#include <stdio.h>
#include "../sim/sim_err.h"

typedef struct ana_file {
    FILE *f;                /* public: write here */
    char tmp[4200];         /* private: room for the suffix */
    char path[4096];        /* read-only: the final name */
} ana_file;

/* Start writing dir/name (name alone when dir is NULL). Returns SIM_OK,
 * or SIM_EIO with d naming the file. */
int ana_file_open(ana_file *a, const char *dir, const char *name,
                  sim_diag *d);
/* Finish: close and rename into place when rc is SIM_OK, else throw the
 * temporary away. Returns rc, or SIM_EIO with d filled when writing
 * failed. */
int ana_file_close(ana_file *a, int rc, sim_diag *d);
/* Create dir and its parents (mkdir -p). Returns 0 or -1 with errno. */
int ana_file_mkdirs(const char *dir);

/* A CSV field: as is, or quoted by libcsv when it holds a comma, quote or
 * line break. */
void ana_csv_str(FILE *f, const char *s);
/* A number with 10 significant digits; nothing for NaN. */
void ana_csv_num(FILE *f, double x);
/* A whole row of the result files: scope,metric,x[0],...,x[n-1] and a
 * line break. */
void ana_csv_row(FILE *f, const char *scope, const char *metric, size_t n,
                 const double *x);

#endif /* ANA_FILE_H */
