/*
 * sim_err.c - error names, input diagnostics and the panic path.
 *
 * Diagnostics use the compiler form "file:line:col: error: msg" so that
 * editors jump to the offending scenario line.
 */
#include <stdlib.h>
#include <string.h>
#include "sim_err.h"

const char *sim_strerror(int code)
{
    switch (code) {
    case SIM_OK:        return "success";
    case SIM_ENOMEM:    return "out of memory";
    case SIM_EINVAL:    return "invalid argument";
    case SIM_EPARSE:    return "bad input";
    case SIM_EIO:       return "input/output error";
    case SIM_EUNSTABLE: return "unstable queue";
    case SIM_ENOTSUP:   return "not supported";
    case SIM_EINTR:     return "interrupted";
    case SIM_ESTALL:    return "the model cannot advance";
    default:            return "unknown error";
    }
}

int sim_diag_set(sim_diag *d, const char *file, int line, int col,
                 const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return SIM_EPARSE;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->col = col;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return SIM_EPARSE;
}

void sim_diag_print(const sim_diag *d, FILE *out)
{
    if (d->file[0]) {
        fputs(d->file, out);
        if (d->line > 0) {
            fprintf(out, ":%d", d->line);
            if (d->col > 0)
                fprintf(out, ":%d", d->col);
        }
        fputs(": ", out);
    }
    fprintf(out, "error: %s\n", d->msg);
}

void sim_panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: panic: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
