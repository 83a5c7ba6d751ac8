/*
 * mdl_empirical.c - read the samples of an empirical distribution from a
 * sample file (mdl_empirical.h).
 *
 * mdl_csv.h reads the file record by record and counts its lines, so a
 * bad sample is reported as path:line. The first record decides whether
 * the file has a header: it has one when a column is chosen by name, or
 * when the first record's cell is not a number. The samples grow in an
 * array doubled as needed; what they mean as a distribution (mean, scv,
 * drawing) is mdl_dist.c's business.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "mdl_csv.h"
#include "mdl_empirical.h"
#include "mdl_input.h"

/* State of one read of a sample file (mdl_csv.h counts its lines). */
typedef struct csv_ctx {
    char *err;              /* where messages go, or NULL */
    size_t errlen;
    int *about_column;      /* set by fail(), or NULL */
    const char *column;     /* the column as given, or NULL */
    const char *path;
    const char *colname;    /* column by name, or NULL */
    long col;               /* 0-based selected column, -1 until known */
    int first;              /* the next record is the first */
    double *v;
    size_t n, cap;
} csv_ctx;

/* Record an error about the file (about_column 0) or the column (1) and
 * return SIM_EPARSE. */
static int fail(csv_ctx *cx, int about_column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(csv_ctx *cx, int about_column, const char *fmt, ...)
{
    va_list ap;

    if (cx->err && cx->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(cx->err, cx->errlen, fmt, ap);
        va_end(ap);
    }
    if (cx->about_column)
        *cx->about_column = about_column;
    return SIM_EPARSE;
}

/* Whether [s, s+len) is one whole number (what makes a first row data). */
static int cell_number(const char *s, size_t len, double *x)
{
    char buf[128], *q;

    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    *x = strtod(buf, &q);
    while (isspace((unsigned char)*q))
        q++;
    return q != buf && *q == '\0';
}

/* One record: the header that names the column, or a sample. A first
 * record whose cell is not a number is a header too. */
static int csv_sample(void *data, const mdl_csv_rec *r)
{
    csv_ctx *cx = data;
    const char *cs;
    double x, *nv;
    size_t i, len, cap;
    int first = cx->first;

    cx->first = 0;
    if (first && cx->colname) {
        for (i = 0; i < r->n && cx->col < 0; i++)
            if (strlen(cx->colname) == r->len[i]
                && memcmp(cx->colname, r->field[i], r->len[i]) == 0)
                cx->col = (long)i;
        if (cx->col < 0)
            return fail(cx, 1, "no column '%s' in the header of %s",
                        cx->colname, cx->path);
        return SIM_OK;
    }
    if ((long)r->n <= cx->col)
        return fail(cx, cx->column != NULL, "%s:%ld has no column %ld",
                    cx->path, r->line, cx->col + 1);
    cs = r->field[cx->col];
    len = r->len[cx->col];
    if (!cell_number(cs, len, &x)) {
        if (first)
            return SIM_OK;      /* a header */
        goto bad;
    }
    if (!(isfinite(x) && x >= 0))
        goto bad;
    if (cx->n == cx->cap) {
        cap = cx->cap ? 2 * cx->cap : 256;
        nv = realloc(cx->v, cap * sizeof *nv);
        if (!nv)
            return SIM_ENOMEM;
        cx->v = nv;
        cx->cap = cap;
    }
    cx->v[cx->n++] = x == 0 ? 0 : x;   /* no -0 */
    return SIM_OK;
bad:
    return fail(cx, 0, "bad sample '%.*s' at %s:%ld; "
                "expected a finite number >= 0", (int)len, cs, cx->path,
                r->line);
}

static int read_samples(csv_ctx *cx)
{
    char why[1024];
    mdl_csv_err e;
    FILE *f;
    int rc;

    /* A regular file of at most MDL_INPUT_MAX bytes: not /dev/zero. */
    rc = mdl_input_open(cx->path, "sample file", &f, why, sizeof why);
    if (rc == SIM_EPARSE)
        return fail(cx, 0, "%s", why);
    if (rc != SIM_OK)
        return rc;
    rc = mdl_csv_read(f, MDL_INPUT_MAX, csv_sample, cx, &e);
    fclose(f);
    if (e.kind == MDL_CSV_TOOBIG)
        return fail(cx, 0, "sample file '%s' is larger than %zu MiB, "
                    "the most qmesh reads", cx->path, MDL_INPUT_MAX >> 20);
    if (e.kind == MDL_CSV_SYNTAX)
        return fail(cx, 0, "cannot parse '%s': %s", cx->path, e.what);
    if (e.kind == MDL_CSV_READ)
        return fail(cx, 0, "cannot read '%s'", cx->path);
    return rc;
}

int mdl_empirical_read(const char *base_dir, const char *file,
                       const char *column, double **samples, size_t *n,
                       char *err, size_t errlen, int *about_column)
{
    csv_ctx cx;
    char *path = NULL;
    const char *q;
    size_t len;
    long idx;
    int rc;

    memset(&cx, 0, sizeof cx);
    cx.err = err;
    cx.errlen = errlen;
    cx.about_column = about_column;
    cx.column = column;
    cx.col = 0;             /* the first column by default */
    cx.first = 1;
    if (*file == '\0')
        return fail(&cx, 0, "empty file name");
    if (column) {
        if (*column == '\0')
            return fail(&cx, 1, "empty column name");
        for (q = column; isdigit((unsigned char)*q); q++)
            ;
        if (*q == '\0') {
            /* All digits: a 1-based index. */
            errno = 0;
            idx = strtol(column, NULL, 10);
            if (idx < 1 || errno == ERANGE)
                return fail(&cx, 1, "column must be >= 1, found '%s'",
                            column);
            cx.col = idx - 1;
        } else {
            cx.colname = column;
            cx.col = -1;
        }
    }
    /* A relative path is relative to base_dir (the scenario's directory),
     * not to wherever qmesh was started. */
    len = strlen(file);
    if (file[0] == '/' || !base_dir || !*base_dir) {
        path = strdup(file);
    } else if ((path = malloc(strlen(base_dir) + len + 2))) {
        sprintf(path, "%s/%s", base_dir, file);
    }
    if (!path)
        return SIM_ENOMEM;
    cx.path = path;
    if ((rc = read_samples(&cx)) != SIM_OK)
        goto out;
    if (cx.n == 0) {
        rc = fail(&cx, 0, "no samples in '%s'", path);
        goto out;
    }
    *samples = cx.v;
    *n = cx.n;
    cx.v = NULL;
    rc = SIM_OK;
out:
    free(cx.v);
    free(path);
    return rc;
}
