/*
 * mdl_plan.c - builds each service's routing plans (mdl_plan.h) from its
 * stages, its forward edges and the edge x class table net->applies,
 * once per model. A service's plans start on a line of one block that
 * holds every service's: their headers, then each plan's stages, their
 * edges, the forward tables and the scratch lists. A visit keeps a
 * pointer to its plan (struct visit), and a single plan's header shares
 * its line with the first stage, or with the forward table: one miss
 * where, after the service's line, there used to be two in a row (its
 * array of plan headers, then the plan's own block of stages).
 */
#include <stdlib.h>
#include <string.h>
#include "../sim/sim_err.h"
#include "../sim/sim_mem.h"
#include "mdl_int.h"

/* From this many services on, a model's state (a few KB each) outgrows
 * a core's own caches, and fetching the callee ahead (mdl_visit.c) pays
 * for its instructions; below, it only added them (Online Boutique: 1.5%
 * more). */
#define FETCH_AHEAD_SERVICES 256

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

/* How many stages, edges and forward edges sv's plan for class c has. */
static void count(const mdl_net *net, const service *sv, size_t c,
                  size_t *ns, size_t *ne, size_t *nf)
{
    int s, i;

    *ns = *ne = *nf = 0;
    for (s = 0; s < sv->nstages; s++) {
        size_t n = 0;
        for (i = 0; i < sv->stages[s].n; i++)
            n += (size_t)applies(net, sv->stages[s].edges[i], c);
        *ns += n > 0;
        *ne += n;
    }
    for (i = 0; i < sv->nfwd; i++)
        *nf += (size_t)applies(net, sv->fwd[i], c);
}

static size_t round_up(size_t x, size_t to)
{
    return (x + to - 1) / to * to;
}

/* The bytes of a plan's body, after the headers, with ns stages, ne
 * edges in them and nf forward edges: stages, edges, forward tables and
 * the stages' lists of edges taken, rounded up so that the next body's
 * doubles stay aligned. */
static size_t body_bytes(size_t ns, size_t ne, size_t nf)
{
    return round_up(ns * sizeof(mdl_plan_stage) + ne * sizeof(mdl_plan_edge)
                    + nf * (sizeof(double) + sizeof(mdl_plan_fetch)
                            + sizeof(int))
                    + ne * sizeof(int), sizeof(double));
}

/* Whether a stage of n edges, call edges that share one probability p,
 * picks them by gaps: the expected draws, n p + 1, each a logarithm, are
 * at most a quarter of the n uniforms of a draw for each edge. */
static int by_gaps(const mdl_plan_edge *pe, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (pe[i].publish || pe[i].p != pe[0].p)
            return 0;
    return pe[0].p > 0 && pe[0].p < 1 && n * pe[0].p + 1 <= n / 4.0;
}

/* What a visit arriving at service i reads first. */
static mdl_plan_fetch fetch_of(const mdl_net *net, int i)
{
    mdl_plan_fetch f = { net->sv[i].rep, &net->sv[i].pre };

    return f;
}

/* Fill sv's plan for class c, whose body starts at block (zeroed);
 * returns the body's bytes. */
static size_t build(const mdl_net *net, const service *sv, size_t c,
                    mdl_plan *pl, char *block)
{
    const mdl_edge *edges = net->t->edges;
    size_t ns, ne, nf;
    mdl_plan_edge *pe;
    mdl_plan_fetch *fwd_fetch;
    int *taken;
    int s, i;

    count(net, sv, c, &ns, &ne, &nf);
    pl->stages = (mdl_plan_stage *)block;
    pe = (mdl_plan_edge *)(pl->stages + ns);
    pl->fwd_cum = (double *)(pe + ne);
    fwd_fetch = (mdl_plan_fetch *)(pl->fwd_cum + nf);
    pl->fwd_to = (int *)(fwd_fetch + nf);
    taken = pl->fwd_to + nf;
    for (s = 0; s < sv->nstages; s++) {
        const stage *sg = &sv->stages[s];
        mdl_plan_stage ps = { &sv->stages[s].dur, 0, MDL_PICK_ALL, pe,
                              taken };
        int sure = 1;

        for (i = 0; i < sg->n; i++) {
            const mdl_edge *ed = &edges[sg->edges[i]];
            if (!applies(net, sg->edges[i], c))
                continue;
            pe->e = sg->edges[i];
            pe->to = ed->to;
            pe->fetch = fetch_of(net, ed->to);
            pe->p = ed->p;
            pe->publish = ed->kind == MDL_EDGE_PUBLISH;
            pe->count = ed->count;
            sure &= !pe->publish && ed->p >= 1;
            pe++;
            ps.n++;
        }
        if (!sure)
            ps.pick = by_gaps(ps.edges, ps.n) ? MDL_PICK_GAPS : MDL_PICK_EACH;
        taken += ps.n;
        if (ps.n > 0)
            pl->stages[pl->nstages++] = ps;
    }
    for (i = 0; i < sv->nfwd; i++) {
        double cum = pl->nfwd ? pl->fwd_cum[pl->nfwd - 1] : 0;
        if (!applies(net, sv->fwd[i], c))
            continue;
        pl->fwd_cum[pl->nfwd] = cum + edges[sv->fwd[i]].p;
        fwd_fetch[pl->nfwd] = fetch_of(net, edges[sv->fwd[i]].to);
        pl->fwd_to[pl->nfwd++] = edges[sv->fwd[i]].to;
    }
    return body_bytes(ns, ne, nf);
}

_Static_assert(sizeof(mdl_plan) + sizeof(mdl_plan_stage) <= SIM_MEM_LINE,
               "a plan's header and first stage share a line");

/* The bytes of sv's plans, headers and bodies, in whole lines. */
static size_t plans_size(const mdl_net *net, const service *sv)
{
    size_t c, ns, ne, nf, n = sv->plan_stride ? net->ncls : 1;
    size_t size = n * sizeof(mdl_plan);

    for (c = 0; c < n; c++) {
        count(net, sv, c, &ns, &ne, &nf);
        size += body_bytes(ns, ne, nf);
    }
    return round_up(size, SIM_MEM_LINE);
}

int mdl__plans_build(mdl_net *net)
{
    size_t i, c, n, total = 0;
    char *block;

    mdl__plans_free(net);               /* a test may build them again */
    net->fetch_ahead = net->nsv >= FETCH_AHEAD_SERVICES;
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        sv->plan_stride = !same_for_all(net, sv);
        total += plans_size(net, sv);
    }
    if (!(block = sim_mem_calloc(total, 1)))
        return SIM_ENOMEM;
    net->plan_block = block;
    for (i = 0; i < net->nsv; i++) {
        service *sv = &net->sv[i];
        size_t size;

        n = sv->plan_stride ? net->ncls : 1;
        sv->plans = (mdl_plan *)block;
        size = n * sizeof(mdl_plan);
        for (c = 0; c < n; c++)
            size += build(net, sv, c, &sv->plans[c], block + size);
        block += round_up(size, SIM_MEM_LINE);
    }
    return SIM_OK;
}

void mdl__plans_free(mdl_net *net)
{
    size_t i;

    sim_mem_free(net->plan_block);
    net->plan_block = NULL;
    for (i = 0; net->sv && i < net->nsv; i++)
        net->sv[i].plans = NULL;
}
