/*
 * ana_file.h - result files written atomically, qmesh's temporary names,
 * and CSV fields.
 *
 * A file is written to a hidden temporary in its own folder and renamed
 * into place when complete, so a reader (or an interrupted run) never
 * sees half a file. The rename replaces only a regular file: a symbolic
 * link, a FIFO, a device or a folder at the target is refused, never
 * turned into a regular file. New files get the mode a plain fopen()
 * would give (0666 less the umask), not mkstemp's 0600.
 *
 * Temporaries are named ".NAME.qmesh-PID-XXXXXX" (PID the writing
 * process). One left behind by a process that was killed is removed by
 * the next qmesh that writes into the same folder.
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

/* Start writing dir/name (name alone when dir is NULL). Returns SIM_OK;
 * SIM_EPARSE with d naming the file when something other than a regular
 * file is in the way; SIM_EIO with d naming the file and the system's
 * reason. */
int ana_file_open(ana_file *a, const char *dir, const char *name,
                  sim_diag *d);
/* Finish: close and rename into place when rc is SIM_OK, else throw the
 * temporary away. Returns rc, or SIM_EIO with d filled when writing
 * failed. */
int ana_file_close(ana_file *a, int rc, sim_diag *d);
/* SIM_OK when path is missing or a regular file, else SIM_EPARSE with d
 * saying what is in the way. */
int ana_file_check_target(const char *path, sim_diag *d);
/* Create dir and its parents (mkdir -p). Returns 0 or -1 with errno. */
int ana_file_mkdirs(const char *dir);

/* The temporary name for path: ".BASE.qmesh-PID-XXXXXX" in path's folder,
 * for mkstemp() or mkdtemp(). Returns 0, or -1 with errno ENAMETOOLONG
 * when it does not fit. */
int ana_file_tmpname(char *buf, size_t n, const char *path);
/* Remove, from folder dir, the temporaries of qmesh processes that no
 * longer run (files, and folders with what they hold). */
void ana_file_clean_stale(const char *dir);
/* Remove path and, when it is a folder, everything in it; symbolic links
 * are removed, never followed. Returns 0 or -1 with errno. */
int ana_file_remove_tree(const char *path);

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
