/*
 * ana_flow.c - visit ratios and arrival rates with calls and publishes.
 *
 * For class c, P_c[i][j] is the expected number of visits to j that one
 * visit to i causes directly: the probability of a forward edge i->j, or
 * p * count of a call edge (each call visits j once, and its forward
 * chain goes on from there), restricted to edges whose `types` include c.
 * The visit vector solves v = e_entry + P_c^T v, once with
 * publish edges (all the work a request causes) and once without (the
 * visits its latency is made of), by ana_visits.c: in one pass in
 * topological order where the edges of c form no loop, O(n + m), and
 * loop by loop where they do. The rest is O(n + m) per class too, on the
 * edges grouped by service (adj).
 *
 * Stability: a service is stable when the mean number of busy workers,
 * lambda * hold / c, is below 1. For a blocking service a visit holds its
 * worker through its calls, so hold includes at least, stage by stage, the
 * longest of the expected minimal times of its calls (no queueing
 * anywhere: E[max] >= max E). That makes the check a lower bound: a
 * scenario it rejects is certainly unstable; one it passes may still
 * saturate a pool under queueing, which the simulation shows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ana_flow.h"
#include "ana_visits.h"

/* The edges of a topology grouped by tail (by head for rev), each group
 * in edge order: first[k]..first[k + 1] index into edge[]. */
typedef struct adj {
    size_t *first, *edge;
    char *stage_start;      /* see mark_stage_starts() */
} adj;

static int adj_init(adj *g, const mdl_topology *t, int rev)
{
    size_t n = t->nservices, k, e;

    g->first = calloc(n + 2, sizeof *g->first);
    g->edge = malloc((t->nedges + 1) * sizeof *g->edge);
    g->stage_start = malloc(t->nedges + 1);
    if (!g->first || !g->edge || !g->stage_start)
        return SIM_ENOMEM;
    for (e = 0; e < t->nedges; e++)
        g->first[(size_t)(rev ? t->edges[e].to : t->edges[e].from) + 2]++;
    for (k = 0; k < n; k++)
        g->first[k + 2] += g->first[k + 1];
    for (e = 0; e < t->nedges; e++)
        g->edge[g->first[(size_t)(rev ? t->edges[e].to
                                      : t->edges[e].from) + 1]++] = e;
    return SIM_OK;
}

static void adj_destroy(adj *g)
{
    free(g->first);
    free(g->edge);
    free(g->stage_start);
}

/* lossy[k]: a call whose forward chain starts at k may be rejected
 * (k, or a service its calls or forwards reach, has a capacity). A
 * rejection comes back at once and skips the caller's later stages and
 * its post-work, so neither may enter the bound. Found by a search
 * backwards from the services with a capacity, O(n + m). */
static void mark_lossy(const mdl_topology *t, const adj *in, char *lossy,
                       size_t *queue)
{
    size_t n = t->nservices, k, head = 0, tail = 0, j;

    for (k = 0; k < n; k++) {
        lossy[k] = t->services[k].kind != MDL_SVC_DELAY
                   && t->services[k].capacity > 0;
        if (lossy[k])
            queue[tail++] = k;
    }
    while (head < tail) {
        k = queue[head++];
        for (j = in->first[k]; j < in->first[k + 1]; j++) {
            const mdl_edge *ed = &t->edges[in->edge[j]];
            if (ed->kind != MDL_EDGE_PUBLISH && ed->p > 0
                && !lossy[ed->from]) {
                lossy[ed->from] = 1;
                queue[tail++] = (size_t)ed->from;
            }
        }
    }
}

/* Can one of k's calls (for class c) fail? */
static int calls_may_fail(const mdl_scenario *s, const adj *out, size_t c,
                          size_t k, const char *lossy)
{
    const mdl_topology *t = s->topo;
    size_t j;

    for (j = out->first[k]; j < out->first[k + 1]; j++) {
        size_t e = out->edge[j];
        if (t->edges[e].kind == MDL_EDGE_CALL && t->edges[e].p > 0
            && lossy[t->edges[e].to] && mdl_scenario_edge_applies(s, e, c))
            return 1;
    }
    return 0;
}

/* A visit to k in least_time(): k's edge out->edge[j] starts the stage
 * being looked at, out->edge[j2] is the call of that stage looked at. */
typedef struct lt_frame {
    size_t k, j, j2;
    double total, slowest;  /* s */
} lt_frame;

/* out->stage_start[j]: out->edge[j] is a call of class c, and the first
 * of k's calls for c in its stage. stamp (MDL_STAGE_MAX + 1 entries,
 * zeroed before the first class) holds for each stage the last service
 * and class to have marked it. O(m). */
static void mark_stage_starts(const mdl_scenario *s, adj *out, size_t c,
                              size_t *stamp)
{
    const mdl_topology *t = s->topo;
    size_t k, j, n = t->nservices;

    for (k = 0; k < n; k++)
        for (j = out->first[k]; j < out->first[k + 1]; j++) {
            const mdl_edge *ed = &t->edges[out->edge[j]];
            out->stage_start[j] = 0;
            if (ed->kind != MDL_EDGE_CALL
                || !mdl_scenario_edge_applies(s, out->edge[j], c)
                || stamp[ed->stage] == c * n + k + 1)
                continue;
            stamp[ed->stage] = c * n + k + 1;
            out->stage_start[j] = 1;
        }
}

/* The first stage start of k at or after out->edge[j]; first[k + 1] when
 * none is left. */
static size_t next_stage(const adj *out, size_t k, size_t j)
{
    while (j < out->first[k + 1] && !out->stage_start[j])
        j++;
    return j;
}

/* Start working out k on top of the stack; when k's own work is all that
 * is certain, its value is known at once: *ret, and top is unchanged. */
static size_t lt_enter(const mdl_scenario *s, const adj *out, size_t c,
                       size_t k, double *memo, char *state,
                       const char *lossy, lt_frame *stack, size_t top,
                       double *ret, int *returning)
{
    const mdl_service *v = &s->topo->services[k];

    if (calls_may_fail(s, out, c, k, lossy)) {
        state[k] = 2;   /* only the pre-work is certain */
        *ret = memo[k] = v->service.mean;
        *returning = 1;
        return top;
    }
    state[k] = 1;
    stack[top].k = k;
    stack[top].j = stack[top].j2 = next_stage(out, k, out->first[k]);
    stack[top].slowest = 0;
    stack[top].total = v->service.mean + v->post_service.mean;
    *returning = 0;
    return top + 1;
}

/* Least time a visit to k takes until it can reply: its work, its calls
 * (each at least the callee's own least time), its post-work. Forward
 * continuations are left out, which keeps it a lower bound and the walk
 * down the (acyclic) call graph finite; state[] guards against a call
 * cycle, which the model rejects later with its own message: a callee
 * still being worked out counts 0. Stage by stage, the slowest expected
 * call counts:
 *
 *     least(k) = work_k + post_k + sum over stages of
 *                max over its calls k -> i of p * count * least(i)
 *
 * or only work_k when a call of k may be rejected. A depth-first walk
 * with its own stack (a frame per service at most): call chains can be
 * far deeper than the C stack. */
static double least_time(const mdl_scenario *s, const adj *out, size_t c,
                         size_t k, double *memo, char *state,
                         const char *lossy, lt_frame *stack)
{
    const mdl_topology *t = s->topo;
    double ret = 0;     /* the value of the callee just worked out */
    int returning = 0;
    size_t top;

    if (state[k] == 2)
        return memo[k];
    top = lt_enter(s, out, c, k, memo, state, lossy, stack, 0, &ret,
                   &returning);
    while (top > 0) {
        lt_frame *fr = &stack[top - 1];
        size_t hi = out->first[fr->k + 1], to;
        const mdl_edge *o;
        if (returning) {        /* the callee of edge j2 is worked out */
            double x;
            o = &t->edges[out->edge[fr->j2]];
            x = o->p * o->count * ret;
            if (x > fr->slowest)
                fr->slowest = x;
            fr->j2++;
            returning = 0;
            continue;
        }
        if (fr->j >= hi) {      /* all stages done */
            state[fr->k] = 2;
            ret = memo[fr->k] = fr->total;
            returning = 1;
            top--;
            continue;
        }
        if (fr->j2 >= hi) {     /* stage j done */
            fr->total += fr->slowest;
            fr->j = fr->j2 = next_stage(out, fr->k, fr->j + 1);
            fr->slowest = 0;
            continue;
        }
        o = &t->edges[out->edge[fr->j2]];
        if (o->kind != MDL_EDGE_CALL
            || o->stage != t->edges[out->edge[fr->j]].stage
            || !mdl_scenario_edge_applies(s, out->edge[fr->j2], c)) {
            fr->j2++;
            continue;
        }
        to = (size_t)o->to;
        returning = 1;
        if (state[to] == 2)
            ret = memo[to];
        else if (state[to] == 1)
            ret = 0;    /* a call cycle: contributes nothing */
        else
            top = lt_enter(s, out, c, to, memo, state, lossy, stack, top,
                           &ret, &returning);
    }
    return ret;
}

/* Arcs of class c: P_c[i][j] adds up p for a forward edge i -> j and
 * p * count for a call (or a publish, with_publish set); then the sparse
 * solve of v = e_entry + P_c^T v (ana_visits.c). */
static int solve_visits(const mdl_scenario *s, size_t c, int with_publish,
                        ana_visits *ws, int *af, int *at, double *aw,
                        double *v, size_t *where)
{
    const mdl_topology *t = s->topo;
    size_t e, m = 0;

    for (e = 0; e < t->nedges; e++) {
        const mdl_edge *ed = &t->edges[e];
        if (ed->kind == MDL_EDGE_PUBLISH && !with_publish)
            continue;
        if (!mdl_scenario_edge_applies(s, e, c))
            continue;
        af[m] = ed->from;
        at[m] = ed->to;
        aw[m++] = ed->kind == MDL_EDGE_FORWARD ? ed->p : ed->p * ed->count;
    }
    return ana_visits_solve(ws, m, af, at, aw, s->classes[c].entry, v,
                            where);
}

int ana_flow_init(ana_flow *f, const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    size_t n = t->nservices, c, k, where = 0;
    double *memo = NULL, *aw = NULL;
    int *af = NULL, *at = NULL;
    char *state = NULL, *lossy = NULL;
    size_t *queue = NULL, *stamp = NULL;
    lt_frame *stack = NULL;
    ana_visits *ws = NULL;
    adj out = { NULL, NULL, NULL }, in = { NULL, NULL, NULL };
    int rc = SIM_ENOMEM;

    memset(f, 0, sizeof *f);
    f->n = n;
    f->ncls = s->nclasses;
    f->visits = calloc(f->ncls * n, sizeof *f->visits);
    f->all_visits = calloc(f->ncls * n, sizeof *f->all_visits);
    f->rate = calloc(f->ncls, sizeof *f->rate);
    f->lambda = calloc(n, sizeof *f->lambda);
    f->hold = calloc(f->ncls * n, sizeof *f->hold);
    memo = malloc((n + 1) * sizeof *memo);
    state = malloc(n + 1);
    lossy = malloc(n + 1);
    queue = malloc((n + 1) * sizeof *queue);
    stack = malloc((n + 1) * sizeof *stack);
    stamp = calloc(MDL_STAGE_MAX + 1, sizeof *stamp);
    af = malloc((t->nedges + 1) * sizeof *af);
    at = malloc((t->nedges + 1) * sizeof *at);
    aw = malloc((t->nedges + 1) * sizeof *aw);
    ws = ana_visits_new(n, t->nedges);
    if (!lossy || !f->visits || !f->all_visits || !f->rate || !f->lambda
        || !f->hold || !memo || !state || !queue || !stack || !stamp || !af
        || !at || !aw || !ws || adj_init(&out, t, 0) != SIM_OK
        || adj_init(&in, t, 1) != SIM_OK)
        goto done;
    mark_lossy(t, &in, lossy, queue);
    for (c = 0; c < f->ncls; c++) {
        const mdl_class *cl = &s->classes[c];
        const mdl_workload *w = &s->workloads[cl->workload];
        double *v = f->visits + c * n, *a = f->all_visits + c * n;
        int r1 = solve_visits(s, c, 0, ws, af, at, aw, v, &where);
        int r2 = r1 == SIM_OK ? solve_visits(s, c, 1, ws, af, at, aw, a,
                                             &where)
                              : r1;
        if (r2 == SIM_ENOMEM)
            goto done;
        if (r2 == SIM_ENOTSUP) {
            rc = sim_diag_set(d, s->path, s->workload_line, 0,
                              "cannot solve the visits of class '%s': the "
                              "loop through '%s' did not converge in %d "
                              "sweeps (its exit probability is too small)",
                              cl->name, t->services[where].name,
                              ANA_VISITS_SWEEPS_MAX);
            goto done;
        }
        if (r2 != SIM_OK) {
            rc = sim_diag_set(d, s->path, s->workload_line, 0,
                              "requests of class '%s' can never leave: the "
                              "edges from '%s' form a loop with no exit",
                              cl->name, t->services[cl->entry].name);
            goto done;
        }
        if (!w->closed)
            f->rate[c] = cl->share / w->arrival.mean;
        for (k = 0; k < n; k++)
            f->lambda[k] += f->rate[c] * a[k];
        memset(state, 0, n);
        mark_stage_starts(s, &out, c, stamp);
        for (k = 0; k < n; k++) {
            const mdl_service *v_k = &t->services[k];
            /* Under processor sharing a job waiting on callees leaves
             * the processor set (mdl_net.c), blocking or not. */
            if (v_k->blocking && v_k->kind == MDL_SVC_SERVICE
                && v_k->discipline != MDL_DISC_PS)
                f->hold[c * n + k] = least_time(s, &out, c, k, memo, state,
                                                lossy, stack);
            else
                f->hold[c * n + k] = v_k->service.mean
                    + (calls_may_fail(s, &out, c, k, lossy)
                           ? 0 : v_k->post_service.mean);
        }
    }
    rc = SIM_OK;
done:
    free(memo);
    free(state);
    free(lossy);
    free(queue);
    free(stack);
    free(stamp);
    free(af);
    free(at);
    free(aw);
    ana_visits_free(ws);
    adj_destroy(&out);
    adj_destroy(&in);
    if (rc != SIM_OK)
        ana_flow_destroy(f);
    return rc;
}

void ana_flow_destroy(ana_flow *f)
{
    free(f->visits);
    free(f->all_visits);
    free(f->rate);
    free(f->lambda);
    free(f->hold);
    memset(f, 0, sizeof *f);
}

long ana_flow_replicas(const mdl_scenario *s, size_t k)
{
    if (s->svc_policy && s->svc_policy[k].autoscale.on)
        return s->svc_policy[k].autoscale.max;
    return s->topo->services[k].replicas;
}

double ana_flow_load(const ana_flow *f, const mdl_scenario *s, size_t k)
{
    const mdl_service *v = &s->topo->services[k];
    double busy = 0;
    size_t c;

    for (c = 0; c < f->ncls; c++)
        busy += f->rate[c] * f->all_visits[c * f->n + k]
                * f->hold[c * f->n + k];
    return busy / ((double)v->servers * ana_flow_replicas(s, k));
}
