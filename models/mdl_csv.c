/*
 * mdl_csv.c - CSV records with their line numbers (mdl_csv.h).
 *
 * libcsv reports fields and ends of records, but neither lines nor blank
 * lines by default. With CSV_REPALL_NL it calls the end-of-record
 * callback for every newline outside a record too, with no field before
 * it, so lines are counted there: such an empty record is a blank line,
 * except the '\n' of a "\r\n" pair, which ends the same line as its '\r'.
 * A record that started on line L ends on line L + (newlines inside its
 * fields), and the next one starts on the line after.
 *
 * libcsv's field buffers are not NUL-terminated and live only during the
 * callback, so each field is copied into one buffer per record, with a
 * NUL after it; the pointers to the fields are made once the record is
 * complete, as the buffer may move while it grows.
 */
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "mdl_csv.h"

typedef struct reader {
    mdl_csv_fn fn;
    void *ctx;
    char *buf;              /* the record's fields, each NUL-terminated */
    size_t used, cap;
    size_t *off, *len;      /* per field: offset in buf and length */
    const char **field;     /* per field: made at the end of the record */
    size_t n, fcap;         /* fields in this record, room for */
    long line;              /* line on which this record started */
    long next_line;         /* line on which the next record starts */
    long nl_in_fields;
    int last_term;
    int status;
} reader;

/* Room for one more field of len bytes. */
static int grow(reader *r, size_t len)
{
    if (r->n == r->fcap) {
        size_t cap = r->fcap ? 2 * r->fcap : 16;
        size_t *off = realloc(r->off, cap * sizeof *off);
        size_t *ln = off ? realloc(r->len, cap * sizeof *ln) : NULL;
        const char **f = ln ? realloc(r->field, cap * sizeof *f) : NULL;

        if (off)
            r->off = off;
        if (ln)
            r->len = ln;
        if (!f)
            return SIM_ENOMEM;
        r->field = f;
        r->fcap = cap;
    }
    if (len + 1 > r->cap - r->used) {
        size_t cap = r->cap ? r->cap : 256;
        char *b;

        while (cap - r->used < len + 1)
            cap *= 2;
        if (!(b = realloc(r->buf, cap)))
            return SIM_ENOMEM;
        r->buf = b;
        r->cap = cap;
    }
    return SIM_OK;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    size_t i;

    if (r->status != SIM_OK)
        return;
    if (r->n == 0)
        r->line = r->next_line;
    for (i = 0; i < len; i++)
        if (((const char *)s)[i] == '\n')
            r->nl_in_fields++;
    if ((r->status = grow(r, len)) != SIM_OK)
        return;
    if (len)
        memcpy(r->buf + r->used, s, len);
    r->buf[r->used + len] = '\0';
    r->off[r->n] = r->used;
    r->len[r->n++] = len;
    r->used += len + 1;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    mdl_csv_rec rec;
    size_t i;

    if (r->n == 0) {
        /* A blank line, or the '\n' closing a "\r\n". */
        if (!(c == '\n' && r->last_term == '\r'))
            r->next_line++;
        r->last_term = c;
        return;
    }
    if (r->status == SIM_OK) {
        for (i = 0; i < r->n; i++)
            r->field[i] = r->buf + r->off[i];
        rec.n = r->n;
        rec.field = r->field;
        rec.len = r->len;
        rec.line = r->line;
        r->status = r->fn(r->ctx, &rec);
    }
    r->next_line = r->line + 1 + r->nl_in_fields;
    r->nl_in_fields = 0;
    r->n = 0;
    r->used = 0;
    r->last_term = c;
}

int mdl_csv_read(FILE *f, size_t max, mdl_csv_fn fn, void *ctx,
                 mdl_csv_err *e)
{
    struct csv_parser p;
    char chunk[8192];
    size_t got, total = 0;
    reader r;
    int err;

    memset(e, 0, sizeof *e);
    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ctx = ctx;
    r.next_line = 1;
    r.last_term = -1;
    if (csv_init(&p, CSV_REPALL_NL) != 0)
        return SIM_ENOMEM;
    while (r.status == SIM_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (max && (total += got) > max) {
            r.status = SIM_EPARSE;
            e->kind = MDL_CSV_TOOBIG;
            e->line = r.next_line;
            break;
        }
        if (csv_parse(&p, chunk, got, on_field, on_record, &r) != got
            && r.status == SIM_OK) {
            err = csv_error(&p);
            if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
                r.status = SIM_ENOMEM;
            else {
                r.status = SIM_EPARSE;
                e->kind = MDL_CSV_SYNTAX;
                e->line = r.next_line;
                e->what = csv_strerror(err);
            }
        }
    }
    if (r.status == SIM_OK && ferror(f)) {
        r.status = SIM_EIO;
        e->kind = MDL_CSV_READ;
        e->line = r.next_line;
    }
    if (r.status == SIM_OK)
        csv_fini(&p, on_field, on_record, &r);
    csv_free(&p);
    free(r.buf);
    free(r.off);
    free(r.len);
    free(r.field);
    return r.status;
}
