/*
 * ana_outdir.h - a results folder written as a whole.
 *
 * A run writes every file into a fresh hidden folder beside its target
 * (".NAME.qmesh-PID-XXXXXX", see ana_file.h) and ana_outdir_commit() puts
 * it in place in one step, so a reader sees the files of the old run or
 * of the new one, never a mix of two runs; a run that fails or is killed
 * leaves the target as it was. The target is replaced only when it is
 * missing, an empty folder, or a results folder (it holds
 * provenance.csv, summary.csv or sweep.csv): a mistyped -o cannot empty a
 * folder of the user's. Opening creates the temporary folder at once, so
 * a folder that cannot be written is found before anything is
 * simulated.
 */
#ifndef ANA_OUTDIR_H
#define ANA_OUTDIR_H
#include "../sim/sim_err.h"

typedef struct ana_outdir {
    char path[4096];        /* read-only: the target */
    char tmp[4200];         /* read-only: write the run here */
} ana_outdir;

/* Check the target path, create its parents and the temporary folder.
 * Returns SIM_OK; SIM_EPARSE with d when the target may not be replaced;
 * SIM_EIO with d naming the folder and the system's reason. */
int ana_outdir_open(ana_outdir *o, const char *path, sim_diag *d);
/* Move the temporary folder into place, replacing the target and
 * removing what it held. Returns SIM_OK, or SIM_EPARSE/SIM_EIO with d
 * (the temporary folder is then removed). */
int ana_outdir_commit(ana_outdir *o, sim_diag *d);
/* Remove the temporary folder and what it holds; the target is left
 * alone. */
void ana_outdir_abandon(ana_outdir *o);

#endif /* ANA_OUTDIR_H */
