/*
 * ana_mpi.h - the replications of a command spread over the ranks of an
 * MPI job: `./configure --with-mpi`, then `mpirun -n N qmesh sweep ...`.
 *
 * Rank 0 runs the command as usual (files, output, progress) and hands
 * out its replications; every other rank, a worker, only simulates. A
 * task is one replication of one model. For each pool of tasks rank 0
 * sends every worker the recipe of each model in it (ana_recipe.h),
 * then gives each worker one task at a time, the next as it returns one;
 * the worker makes the model from its recipe (keeping the last few it
 * made, so later pools and precision rounds reuse them), runs the
 * replication and returns its result vector as raw doubles, or its
 * failure's code and diagnostic. Rank 0 stores each result at its
 * task's index, so the results are byte-identical to sim_rep_run()'s
 * with any -j (and, as there, tells the pool's finished callback of
 * each before it stores the next, so the tasks' out[] may share one
 * buffer), and behaves as sim_rep_run() does on a failure or a stop
 * request (the tasks in flight are cancelled: those already finished
 * count). Rank 0 does not simulate.
 *
 * Every node must read the files a scenario names at the same path
 * (recipes carry absolute paths), with the same bytes, and be of the
 * same architecture (doubles travel as bytes).
 *
 * Without --with-mpi, when no MPI launcher started qmesh, or in a job
 * of one rank, there are no workers: ana_mpi_workers() is 0, and
 * replications run in this process or its forked workers (sim_rep.h).
 */
#ifndef ANA_MPI_H
#define ANA_MPI_H
#include <stddef.h>
#include "../models/mdl_scenario.h"
#include "../sim/sim_rep.h"

/* Join the MPI job qmesh was started in, if any: main() calls this
 * first. Returns 0 where the command is to run (rank 0, or no job);
 * on every other rank, serves rank 0 until released and returns 1 with
 * *status the exit status for main() to return. */
int ana_mpi_start(int *argc, char ***argv, int *status);
/* The worker ranks of the job; 0 when there is no job or it has one
 * rank (replications then run on this machine, as -j says). */
unsigned ana_mpi_workers(void);

/* The models of a pool: task t is replication base + t - first[i] of
 * the model of s[i], for first[i] <= t < first[i + 1]. */
typedef struct ana_mpi_models {
    size_t n;
    const mdl_scenario *const *s;   /* borrowed: each model's scenario */
    const size_t *first;            /* n + 1 */
    unsigned base;
} ana_mpi_models;

/* Run the r->nreps tasks of r (set as sim_rep_run() wants it; jobs and
 * fn are not used) on the workers, m telling each task's model.
 * Returns as sim_rep_run() does: SIM_OK; SIM_EINTR when a stop request
 * ended the pool (r->done tells which finished); the first failed
 * task's code with r->failed and r->diag; or SIM_ENOMEM. Call only
 * when ana_mpi_workers() > 0. */
int ana_mpi_run(sim_rep *r, const ana_mpi_models *m);

/* Release the workers and leave the job (they exit with status 0).
 * ana_mpi_start() has it called at exit; main() calls it before ending
 * by a caught signal. Does nothing the second time, nor where there is
 * no job. With QMESH_MPI_STATS set in the environment, rank 0 first
 * prints to stderr what the job's pools cost: tasks, bytes, time. */
void ana_mpi_stop(void);

/* The MPI library qmesh was built with ("Open MPI v4.1.4"), or NULL
 * when it was built without MPI. */
const char *ana_mpi_library(void);

#endif /* ANA_MPI_H */
