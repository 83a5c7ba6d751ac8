/*
 * ana_grid.h - the points of a sweep: its axes crossed, the zip axes
 * paired.
 *
 * Each axis that is not zipped is a dimension of its own; the zip axes
 * together are one dimension, at the place of the first of them, whose
 * i-th value sets every zip axis to its i-th value. Points are numbered
 * 0.. with the last dimension varying fastest, as nested loops over the
 * axes in their order would visit them.
 */
#ifndef ANA_GRID_H
#define ANA_GRID_H
#include <stddef.h>
#include "../models/mdl_scenario.h"
#include "../sim/sim_err.h"

#define ANA_GRID_POINTS_MAX 10000

typedef struct ana_grid {
    const mdl_axis *axes;       /* borrowed */
    size_t naxes;
    size_t npoints;             /* read-only */
} ana_grid;

/* Describe the points of axes[0..n-1] (borrowed; checked by
 * mdl_axes_check()). Returns SIM_OK, or SIM_EPARSE with d when there are
 * more than ANA_GRID_POINTS_MAX points. */
int ana_grid_init(ana_grid *g, const mdl_axis *axes, size_t n, sim_diag *d);
/* The index of axis a's value at point k. */
size_t ana_grid_value(const ana_grid *g, size_t k, size_t a);
/* The same point with axis a at value index v instead: the point's
 * neighbour along a (a zip axis moves its whole group). */
size_t ana_grid_with(const ana_grid *g, size_t k, size_t a, size_t v);

#endif /* ANA_GRID_H */
