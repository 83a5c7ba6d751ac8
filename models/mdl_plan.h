/*
 * mdl_plan.h - a service's routing plan for one request class: its
 * stages of calls and its forward edges, keeping only the edges that
 * apply to the class and, of each, what a visit needs on the hot path.
 * A visit follows its plan without scanning other classes' edges or
 * reading the topology, and picks a forward edge from cumulative
 * probabilities.
 *
 * A service whose edges all apply to the same classes has one plan that
 * every class shares (stride 0); the others have one per class. Stages
 * in which no edge applies are left out: a visit would pass them at
 * once, drawing nothing. The order of the edges, and so of the random
 * draws, is the topology's, as it was before plans; a stage of many
 * calls that share one small probability draws the gaps between those
 * taken instead (MDL_PICK_GAPS): the same calls in distribution, not
 * draw for draw.
 */
#ifndef MDL_PLAN_H
#define MDL_PLAN_H
#include "../sim/sim_stat.h"

/* What a visit arriving at a service reads first, each a miss in a
 * large model: its first replica, and the distribution of its work
 * (read only to be fetched early). */
typedef struct mdl_plan_fetch {
    const void *rep;
    const void *work;
} mdl_plan_fetch;

typedef struct mdl_plan_edge {
    int e;                  /* edge index */
    int publish;            /* a publish edge, not a call edge */
    int count;              /* calls, or events, per visit */
    int to;                 /* the callee */
    mdl_plan_fetch fetch;   /* the callee's */
    double p;               /* probability it is taken; >= 1: always */
} mdl_plan_edge;

/* How a stage picks the edges it takes. */
enum {
    MDL_PICK_ALL,           /* all: every edge is a call with p >= 1 */
    MDL_PICK_EACH,          /* a uniform draw for each edge, in order */
    MDL_PICK_GAPS           /* calls that share one p < 1, few of many
                               taken: a draw for each one taken, of the
                               edges passed over before it (geometric),
                               and one past the last */
};

typedef struct mdl_plan_stage {
    sim_tally *dur;         /* the duration of the service's stage */
    int n;
    int pick;               /* MDL_PICK_* */
    mdl_plan_edge *edges;   /* n, in the plan's block */
    int *taken;             /* n: scratch of next_stage(), the indices of
                               the edges taken */
} mdl_plan_stage;

/* 32 bytes, so that the first stage, or the forward table of a plan
 * without stages, shares the header's line (mdl_plan.c). */
typedef struct mdl_plan {
    int nstages;
    int nfwd;
    mdl_plan_stage *stages;
    double *fwd_cum;        /* their probabilities summed in edge order,
                               then what to fetch of each edge's service
                               (mdl_plan_forward_fetch()) */
    int *fwd_to;            /* the service each forward edge goes to */
} mdl_plan;

/* What to fetch of forward edge i's service. */
static inline const mdl_plan_fetch *mdl_plan_forward_fetch(const mdl_plan *pl,
                                                           int i)
{
    return (const mdl_plan_fetch *)(pl->fwd_cum + pl->nfwd) + i;
}

/* The index of the forward edge a uniform u picks: the first whose
 * cumulative probability exceeds u, or nfwd for none (the visit
 * answers). The same as summing in order: the sums are the same. */
static inline int mdl_plan_forward(const mdl_plan *pl, double u)
{
    int lo = 0, hi = pl->nfwd;

    if (hi <= 8) {
        while (lo < hi && !(u < pl->fwd_cum[lo]))
            lo++;
        return lo;
    }
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (u < pl->fwd_cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

#endif
