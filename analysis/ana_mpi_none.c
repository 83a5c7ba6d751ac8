/*
 * ana_mpi_none.c - ana_mpi.h in a build without MPI (the default; see
 * ana_mpi.c for --with-mpi): there is never a job, so there are no
 * workers and replications run as -j says.
 */
#include "ana_mpi.h"

int ana_mpi_start(int *argc, char ***argv, int *status)
{
    (void)argc;
    (void)argv;
    (void)status;
    return 0;
}

unsigned ana_mpi_workers(void)
{
    return 0;
}

/* Not called without workers; the replications run here if it is. */
int ana_mpi_run(sim_rep *r, const ana_mpi_models *m)
{
    (void)m;
    return sim_rep_run(r);
}

void ana_mpi_stop(void)
{
}

const char *ana_mpi_library(void)
{
    return NULL;
}
