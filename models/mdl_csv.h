/*
 * mdl_csv.h - read a CSV file record by record, each with the line it
 * starts on, so that messages can point into the file: the samples of an
 * empirical distribution, and results folders read back for plotting.
 *
 * Fields follow RFC 4180 (a quoted field may hold commas, quotes and
 * newlines). Lines count as an editor counts them: blank lines are
 * skipped but counted, "\r\n" ends one line, and a newline inside a
 * quoted field starts a new one. The reader owns nothing the caller
 * sees after a call returns.
 */
#ifndef MDL_CSV_H
#define MDL_CSV_H
#include <stddef.h>
#include <stdio.h>
#include "../sim/sim_err.h"

/* One record, valid only during the callback. */
typedef struct mdl_csv_rec {
    size_t n;                   /* fields, at least 1 */
    const char *const *field;   /* n strings, each NUL-terminated */
    const size_t *len;          /* their lengths in bytes */
    long line;                  /* 1-based line the record starts on */
} mdl_csv_rec;

/* Told of each record in order. Return SIM_OK to go on; any other code
 * ends the read, and mdl_csv_read() returns it. */
typedef int (*mdl_csv_fn)(void *ctx, const mdl_csv_rec *r);

/* Why the reader itself stopped. */
enum {
    MDL_CSV_SYNTAX = 1,         /* libcsv refused the text */
    MDL_CSV_TOOBIG,             /* more bytes than the limit */
    MDL_CSV_READ                /* the stream failed (errno) */
};

typedef struct mdl_csv_err {
    int kind;                   /* 0 when the reader did not stop it */
    long line;                  /* where reading stopped */
    const char *what;           /* static: libcsv's words for a syntax
                                   error, else NULL */
} mdl_csv_err;

/* Read f to its end, at most max bytes (0: no limit), telling fn(ctx)
 * of every record. Returns SIM_OK; fn's code; SIM_ENOMEM; SIM_EPARSE with
 * e->kind MDL_CSV_SYNTAX or MDL_CSV_TOOBIG; or SIM_EIO with e->kind
 * MDL_CSV_READ. f stays open. */
int mdl_csv_read(FILE *f, size_t max, mdl_csv_fn fn, void *ctx,
                 mdl_csv_err *e);

#endif /* MDL_CSV_H */
