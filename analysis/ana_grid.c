/*
 * ana_grid.c - the points of a sweep (ana_grid.h): a mixed-radix count
 * over the dimensions, the last fastest.
 */
#include "ana_grid.h"

/* The dimension of axis a: the zip axes share the first one's. */
static size_t dim_of(const ana_grid *g, size_t a)
{
    size_t i;

    if (g->axes[a].zip)
        for (i = 0; i < a; i++)
            if (g->axes[i].zip)
                return i;
    return a;
}

/* Points between two values of dimension a: the product of the sizes of
 * the dimensions after it. */
static size_t stride(const ana_grid *g, size_t a)
{
    size_t i, s = 1;

    for (i = a + 1; i < g->naxes; i++)
        if (dim_of(g, i) == i)
            s *= g->axes[i].nvalues;
    return s;
}

int ana_grid_init(ana_grid *g, const mdl_axis *axes, size_t n, sim_diag *d)
{
    size_t i;
    double count = 1;

    g->axes = axes;
    g->naxes = n;
    for (i = 0; i < n; i++)
        if (dim_of(g, i) == i)
            count *= (double)axes[i].nvalues;
    if (count > ANA_GRID_POINTS_MAX)
        return sim_diag_set(d, NULL, 0, 0, "the sweep has %.0f points, more "
                            "than the %d qmesh runs at once; use fewer "
                            "values or zip axes that go together", count,
                            ANA_GRID_POINTS_MAX);
    g->npoints = (size_t)count;
    return SIM_OK;
}

size_t ana_grid_value(const ana_grid *g, size_t k, size_t a)
{
    size_t dim = dim_of(g, a);

    return k / stride(g, dim) % g->axes[dim].nvalues;
}

size_t ana_grid_with(const ana_grid *g, size_t k, size_t a, size_t v)
{
    size_t dim = dim_of(g, a), s = stride(g, dim);

    return k - ana_grid_value(g, k, dim) * s + v * s;
}
