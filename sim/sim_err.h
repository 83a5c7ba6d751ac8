/*
 * sim_err.h - error codes, input diagnostics and fatal errors for all layers.
 *
 * Three kinds of error (STYLE.md section 4): bugs abort through sim_panic();
 * recoverable failures return a negative SIM_E* code; bad user input fills a
 * sim_diag with file, 1-based line and column and a message, printed as
 * "file:line:col: error: msg".
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H
#include <stdarg.h>
#include <stdio.h>

enum {
    SIM_OK = 0,
    SIM_ENOMEM = -1,     /* out of memory */
    SIM_EINVAL = -2,     /* bad argument from code */
    SIM_EPARSE = -3,     /* bad user input: see the sim_diag */
    SIM_EIO = -4,        /* file or pipe failure (errno holds more) */
    SIM_EUNSTABLE = -5,  /* a queue's load is >= 1 */
    SIM_ENOTSUP = -6,    /* no analytic or simulated model for this input */
    SIM_EINTR = -7,      /* stopped by SIGINT or SIGTERM */
    SIM_ESTALL = -8      /* the model cannot advance: deadlock, or time
                            stands still */
};

/* Position and text of one user-input error; line, col 0 when unknown. */
typedef struct sim_diag {
    char file[512];      /* public */
    int line, col;       /* public: 1-based */
    char msg[1024];      /* public */
} sim_diag;

/* Name an error code: a static string. */
const char *sim_strerror(int code);
/* Fill d (if not NULL) and return SIM_EPARSE. file may be NULL. */
int sim_diag_set(sim_diag *d, const char *file, int line, int col,
                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Print d as "file:line:col: error: msg" (parts that are unknown left out). */
void sim_diag_print(const sim_diag *d, FILE *out);
/* Print "file:line: panic: msg" and abort: for broken invariants only. */
void sim_panic(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* An invariant of the engine, checked on every event only in builds
 * configured with --enable-invariants or --enable-sanitizers (make
 * check-asan): a broken one is a bug, reported by sim_panic(). Elsewhere
 * the condition is compiled but never evaluated. */
#ifdef QMESH_INVARIANTS
#define SIM_INVARIANT(c) \
    ((c) ? (void)0 : sim_panic(__FILE__, __LINE__, "invariant broken: %s", #c))
#else
#define SIM_INVARIANT(c) ((void)sizeof(c))
#endif

#endif /* SIM_ERR_H */
