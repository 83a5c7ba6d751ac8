/*
 * ana_recipe.h - a scenario's recipe as bytes: what another process
 * needs to make the same scenario again (the workers of an MPI job,
 * ana_mpi.h).
 *
 * A recipe is the scenario file's path (made absolute with this
 * process's working folder, so that it names the same file on a node
 * whose folder differs), the --set overrides it was loaded with, its
 * seed and replications as they are now, and the loads set by
 * ana_run_set_load() in order (each scaling starts from the last, so
 * replaying them all gives the same doubles), then what `warmup: auto`
 * changes: the warm-up, request limit and window simulated, and whether
 * it is a pilot's copy (whose windowed failures are left out). Made again from its
 * recipe, a scenario gives byte-identical replications, provided the
 * files it names have the same bytes where the recipe is used. Numbers
 * travel in this machine's byte order: a recipe is for processes of one
 * architecture.
 */
#ifndef ANA_RECIPE_H
#define ANA_RECIPE_H
#include <stddef.h>
#include "../models/mdl_scenario.h"
#include "../sim/sim_err.h"

/* The recipe of s into *buf (owned by the caller, free()) of *len
 * bytes. Returns SIM_OK, SIM_EIO when the working folder is unknown (a
 * relative path), or SIM_ENOMEM. */
int ana_recipe_pack(const mdl_scenario *s, unsigned char **buf,
                    size_t *len);
/* Make the scenario of the recipe buf[0..len-1] into *s (owned by the
 * caller): load the file with the overrides, set seed and replications,
 * then each load. Returns SIM_OK; the loader's or ana_run_set_load()'s
 * code with d; SIM_EPARSE with d when buf is not a whole recipe; or
 * SIM_ENOMEM. *s is NULL on failure. */
int ana_recipe_make(const unsigned char *buf, size_t len, mdl_scenario **s,
                    sim_diag *d);

#endif /* ANA_RECIPE_H */
