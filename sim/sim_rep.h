/*
 * sim_rep.h - the replication driver: runs N independent replications,
 * in this process or spread over J worker processes, and gathers each
 * replication's result vector in replication order.
 *
 * A replication is a function that fills a vector of len doubles from its
 * index alone (its random streams derive from the index), so the gathered
 * results are byte-identical whatever J is.
 */
#ifndef SIM_REP_H
#define SIM_REP_H
#include <stddef.h>

/* Run replication rep, writing len values to out. Returns SIM_OK or a
 * negative SIM_E* code. */
typedef int (*sim_rep_fn)(void *ctx, unsigned rep, double *out);
/* Told after each finished replication (done of total). */
typedef void (*sim_rep_progress)(void *ctx, unsigned done, unsigned total);

/* Run nreps replications with up to jobs processes (jobs <= 1: in this
 * process). results receives nreps * len doubles, replication r at
 * results + r * len. Returns SIM_OK, the first replication's error code,
 * or SIM_EIO when a worker process dies. progress may be NULL. */
int sim_rep_run(unsigned nreps, unsigned jobs, size_t len, sim_rep_fn fn,
                void *ctx, double *results, sim_rep_progress progress,
                void *progress_ctx);

#endif /* SIM_REP_H */
