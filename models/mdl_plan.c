/*
 * mdl_plan.c - builds each service's routing plans (mdl_plan.h) from its
 * stages, its forward edges and the edge x class table net->applies,
 * once per model. Each plan is one block: its stages, their edges, the
 * forward tables and the scratch flags.
 */
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "mdl_int.h"

static int applies(const mdl_net *net, int e, size_t c)
{
    return c < net->ncls && net->applies[(size_t)e * net->ncls + c];
}

/* Do all of sv's edges apply to the same classes? */
static int same_for_all(const mdl_net *net, const service *sv)
{
    int s, i;
    size_t c;

    for (c = 1; c < net->ncls; c++) {
        for (s = 0; s < sv->nstages; s++)
            for (i = 0; i < sv->stages[s].n; i++)
                if (applies(net, sv->stages[s].edges[i], c)
                    != applies(net, sv->stages[s].edges[i], 0))
                    return 0;
        for (i = 0; i < sv->nfwd; i++)
            if (applies(net, sv->fwd[i], c) != applies(net, sv->fwd[i], 0))
                return 0;
    }
    return 1;
}

/* sv's plan for class c. */
static int build(const mdl_net *net, const service *sv, size_t c,
                 mdl_plan *pl)
{
    const mdl_edge *edges = net->t->edges;
    size_t ns = 0, ne = 0, nf = 0, size;
    mdl_plan_edge *pe;
    char *block, *chosen;
    int s, i;

    for (s = 0; s < sv->nstages; s++) {
        size_t n = 0;
        for (i = 0; i < sv->stages[s].n; i++)
            n += (size_t)applies(net, sv->stages[s].edges[i], c);
        ns += n > 0;
        ne += n;
    }
    for (i = 0; i < sv->nfwd; i++)
        nf += (size_t)applies(net, sv->fwd[i], c);
    size = ns * sizeof *pl->stages + ne * sizeof *pe
           + nf * (sizeof *pl->fwd_cum + sizeof *pl->fwd_to) + ne + 1;
    if (!(block = calloc(1, size)))
        return SIM_ENOMEM;
    pl->stages = (mdl_plan_stage *)block;
    pe = (mdl_plan_edge *)(pl->stages + ns);
    pl->fwd_cum = (double *)(pe + ne);
    pl->fwd_to = (int *)(pl->fwd_cum + nf);
    chosen = (char *)(pl->fwd_to + nf);
    for (s = 0; s < sv->nstages; s++) {
        const stage *sg = &sv->stages[s];
        mdl_plan_stage ps = { s, 0, 1, pe, chosen };

        for (i = 0; i < sg->n; i++) {
            const mdl_edge *ed = &edges[sg->edges[i]];
            if (!applies(net, sg->edges[i], c))
                continue;
            pe->e = sg->edges[i];
            pe->p = ed->p;
            pe->publish = ed->kind == MDL_EDGE_PUBLISH;
            pe->count = ed->count;
            ps.sure &= !pe->publish && ed->p >= 1;
            pe++;
            ps.n++;
        }
        chosen += ps.n;
        if (ps.n > 0)
            pl->stages[pl->nstages++] = ps;
    }
    for (i = 0; i < sv->nfwd; i++) {
        double cum = pl->nfwd ? pl->fwd_cum[pl->nfwd - 1] : 0;
        if (!applies(net, sv->fwd[i], c))
            continue;
        pl->fwd_cum[pl->nfwd] = cum + edges[sv->fwd[i]].p;
        pl->fwd_to[pl->nfwd++] = edges[sv->fwd[i]].to;
    }
    return SIM_OK;
}

int mdl__plans_build(mdl_net *net)
{
    size_t i, c, n;

    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];

        mdl__plans_free(sv);            /* what a failed build left */
        sv->plan_stride = !same_for_all(net, sv);
        n = sv->plan_stride ? net->ncls : 1;
        if (!(sv->plans = calloc(n, sizeof *sv->plans)))
            return SIM_ENOMEM;
        for (c = 0; c < n; c++)
            if (build(net, sv, c, &sv->plans[c]) != SIM_OK)
                return SIM_ENOMEM;
    }
    return SIM_OK;
}

void mdl__plans_free(service *sv)
{
    size_t c, n = sv->plan_stride ? sv->net->ncls : 1;

    for (c = 0; sv->plans && c < n; c++)
        free(sv->plans[c].stages);
    free(sv->plans);
    sv->plans = NULL;
}
