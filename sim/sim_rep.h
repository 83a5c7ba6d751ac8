/*
 * sim_rep.h - the replication driver: runs N independent replications,
 * in this process or spread over J worker processes, and gathers each
 * replication's result vector in replication order.
 *
 * A replication is a function that fills a vector of len doubles from its
 * index alone (its random streams derive from the index), so the gathered
 * results are byte-identical whatever J is.
 *
 * A stop request (sim_sig.h) ends the run early: the replications that
 * finished are flagged in done[], so they can be saved as a partial
 * result. Worker processes die with their parent and of SIGINT or
 * SIGTERM at once; the parent collects every record already sent.
 */
#ifndef SIM_REP_H
#define SIM_REP_H
#include <stddef.h>
#include "sim_err.h"

/* Run replication rep, writing len values to out. Returns SIM_OK or a
 * negative SIM_E* code, with d filled when there is more to say. */
typedef int (*sim_rep_fn)(void *ctx, unsigned rep, double *out,
                          sim_diag *d);
/* Told after each finished replication (done of total). */
typedef void (*sim_rep_progress)(void *ctx, unsigned done, unsigned total);

typedef struct sim_rep {
    /* public: set before sim_rep_run() */
    unsigned nreps, jobs;       /* jobs <= 1: in this process */
    size_t len;
    sim_rep_fn fn;
    void *ctx;
    sim_rep_progress progress;  /* may be NULL */
    void *progress_ctx;
    double *results;            /* nreps * len; replication r at r * len */
    /* NULL, or nreps + 1 offsets: replication r's len values are then
     * offset[r + 1] - offset[r] at results + offset[r] (replications of
     * several models in one pool, each with its own length) */
    const size_t *offset;
    /* NULL, or nreps pointers: replication r's values go to out[r]
     * instead; the lengths are still offset's. They may all be one
     * buffer that finished() reads: a replication's values are stored
     * and told to finished() before the next one's are stored */
    double *const *out;
    unsigned char *done;        /* nreps flags: 1 when r finished */
    /* Told of each replication as it is stored, may be NULL. */
    void (*finished)(void *ctx, unsigned rep);
    void *finished_ctx;
    /* read-only: filled by sim_rep_run() */
    unsigned ndone;
    unsigned failed;            /* the failed replication */
    sim_diag diag;              /* the failed replication's diagnostic,
                                   msg "" when it gave none */
} sim_rep;

/* Run r->nreps replications. Returns SIM_OK when all finished; SIM_EINTR
 * when a stop request ended the run (r->done tells which finished); the
 * first failed replication's code with r->diag; or SIM_EIO when a worker
 * process died or a pipe failed. */
int sim_rep_run(sim_rep *r);

#endif /* SIM_REP_H */
