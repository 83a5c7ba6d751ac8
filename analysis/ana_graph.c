/*
 * ana_graph.c - degrees, centrality, call depth, fan-out, expected latency,
 * critical paths, blast radius and DOT export of a topology.
 *
 * Edge order. Every computation that walks a service's out-edges walks
 * them sorted by (stage, edge index), so the call edges of one stage are
 * neighbours and every tie breaks on the edge index: same topology, same
 * output.
 *
 * Call cycles. No request may come back to a service waiting on its calls
 * (it would wait on itself): mdl_topology_check_cycles(), which the
 * simulator uses too, rejects such cycles and names them. Call edges then
 * form a DAG.
 *
 * Call depth, over the call DAG in reverse topological order
 * (igraph_topological_sorting):
 *
 *   depth(v) = 0                                   if v calls nothing
 *            = 1 + max over call edges v->w of depth(w)
 *
 * Expected latency, mean values only (no queueing, no variance). Let
 * L(v) = E[service] + E[post_service] be v's local work. Then
 *
 *   R(v) = L(v) + sum over stages s of  max   p_e * count_e * R(to_e)
 *                                     e in s (call)
 *               + sum over forward edges e of v of  p_e * R(to_e)
 *
 * Calls of a stage run in parallel and the stage ends with the slowest
 * (fork-join), so the stage costs its largest expected call; count calls
 * of one edge go one after another and each is made with probability p,
 * hence p * count * R. The max of expectations is a lower bound of the
 * expected max (Jensen): this is the critical-path estimate, not the
 * Nelson-Tantawi fork-join answer. A forward hands the request on with
 * probability p, so forwards add their expectations. Forward edges may
 * form loops (Jackson networks with feedback), so R is the least fixed
 * point of the equations, reached by Jacobi iteration from R = 0: the map
 * is monotone, and on a DAG the iteration is exact after (longest path + 1)
 * steps. It stops when no R moves by more than REL_TOL relative; a loop
 * that never lets a request go (forward probability 1 around it, or calls
 * repeated around a forward loop) never settles, and the services still
 * moving after MAX_WORK edge visits get R = INFINITY.
 *
 * Critical path from an entry point e: start at e; from v follow the call
 * or forward edge with the largest term in R(v) above (p * count * R(to)
 * or p * R(to)); stop at a service with no call or forward edge, or one
 * already on the path (a forward loop). The chain is the one a latency
 * budget should look at first; the latency printed is R(e), the whole
 * request's expectation.
 *
 * Request types. An edge with a `types` list carries only requests of
 * those types (mdl_scenario_edge_applies()); one without carries all. A
 * request of one type never makes the calls of another, so depth, fan-out,
 * widest stage and R are computed once per type named anywhere in the
 * topology (following the edges that carry it) and once for a type no
 * edge names (untyped edges only); each service keeps the largest value
 * over these, that of its busiest type. Without any types list that is a
 * single pass over every edge. Critical paths are per entry point and
 * type: one for each type named by an edge the entry point reaches, or one
 * for all requests when it reaches no typed edge.
 *
 * Blast radius: igraph_subcomponent(entry, IGRAPH_OUT) over edges of every
 * kind lists what a request from the entry can reach, publishes included
 * (a failed consumer loses the entry's events). Each reached service
 * records the entry.
 *
 * Betweenness: igraph_betweenness(), directed and unweighted, on the
 * whole graph: the number of shortest paths between other pairs of
 * services that pass through v, split evenly between equally short paths
 * (Brandes 2001).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "ana_file.h"
#include "ana_graph.h"

#define REL_TOL 1e-12       /* R has converged when no value moves more */
#define MAX_ITER 1000000L   /* Jacobi sweeps at most ... */
#define MAX_WORK 100000000L /* ... and edge visits at most */

/* Out-edges of every service, sorted by (from, stage, index). */
typedef struct adj {
    int *first;             /* n + 1: v's edges are
                               order[first[v] .. first[v + 1]) */
    int *order;             /* m edge indices */
} adj;

typedef struct sort_key {
    int from, stage, idx;
} sort_key;

static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->stage != y->stage)
        return x->stage < y->stage ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static void adj_destroy(adj *a)
{
    free(a->first);
    free(a->order);
}

static int adj_init(adj *a, const mdl_topology *t)
{
    sort_key *keys = malloc((t->nedges + 1) * sizeof *keys);
    size_t i;

    a->first = calloc(t->nservices + 1, sizeof *a->first);
    a->order = malloc((t->nedges + 1) * sizeof *a->order);
    if (!keys || !a->first || !a->order) {
        free(keys);
        adj_destroy(a);
        return SIM_ENOMEM;
    }
    for (i = 0; i < t->nedges; i++) {
        keys[i].from = t->edges[i].from;
        keys[i].stage = t->edges[i].stage;
        keys[i].idx = (int)i;
        a->first[t->edges[i].from + 1]++;
    }
    qsort(keys, t->nedges, sizeof *keys, cmp_key);
    for (i = 0; i < t->nedges; i++)
        a->order[i] = keys[i].idx;
    for (i = 0; i < t->nservices; i++)
        a->first[i + 1] += a->first[i];
    free(keys);
    return SIM_OK;
}

/* Check that no request can come back to a caller waiting on it, so
 * call edges form a DAG; put its topological order (callers before
 * callees) into order[0..n). */
static int call_order(const mdl_topology *t, int *order, sim_diag *d)
{
    igraph_vector_int_t eids, topo;
    igraph_t calls;
    igraph_bool_t dag = 0;
    size_t i;
    int rc = mdl_topology_check_cycles(t, d), have_calls = 0, have_topo = 0;

    if (rc != SIM_OK)
        return rc;
    rc = SIM_ENOMEM;
    if (igraph_vector_int_init(&eids, 0))
        return SIM_ENOMEM;
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind == MDL_EDGE_CALL
            && igraph_vector_int_push_back(&eids, (igraph_integer_t)i))
            goto done;
    /* Keep every vertex, so vertex ids stay service indices. */
    if (igraph_subgraph_edges(&t->graph, &calls, igraph_ess_vector(&eids), 0))
        goto done;
    have_calls = 1;
    if (igraph_is_dag(&calls, &dag))
        goto done;
    if (!dag)
        sim_panic(__FILE__, __LINE__, "call cycle in '%s' passed the check",
                  t->path);
    if (igraph_vector_int_init(&topo, 0))
        goto done;
    have_topo = 1;
    if (igraph_topological_sorting(&calls, &topo, IGRAPH_OUT)
        || (size_t)igraph_vector_int_size(&topo) != t->nservices)
        goto done;
    for (i = 0; i < t->nservices; i++)
        order[i] = (int)VECTOR(topo)[i];
    rc = SIM_OK;
done:
    if (have_topo)
        igraph_vector_int_destroy(&topo);
    if (have_calls)
        igraph_destroy(&calls);
    igraph_vector_int_destroy(&eids);
    return rc;
}

/* ---- request types ---- */

/* Whether edge e carries requests of type, by the rule of
 * mdl_scenario_edge_applies(): an edge without a types list carries
 * every type. type NULL stands for a type no edge names. */
static int applies(const mdl_edge *e, const char *type)
{
    if (!e->types)
        return 1;
    return type && mdl_edge_names_type(e, type);
}

/* Whether e names type in its types list (not just "every type"). */
static int names_type(const mdl_edge *e, const char *type)
{
    return e->types && applies(e, type);
}

/* Collect the type names of every edge, in order of first appearance. */
static int collect_types(ana_graph *g, const mdl_topology *t)
{
    size_t i, k;

    for (i = 0; i < t->nedges; i++) {
        const char *cur = t->edges[i].types, *p;
        size_t len;

        while (mdl_edge_types_next(&cur, &p, &len)) {
            char **grown;
            for (k = 0; k < g->ntypes; k++)
                if (strlen(g->types[k]) == len
                    && !strncmp(g->types[k], p, len))
                    break;
            if (k == g->ntypes) {
                grown = realloc(g->types, (g->ntypes + 1) * sizeof *grown);
                if (!grown)
                    return SIM_ENOMEM;
                g->types = grown;
                if (!(g->types[g->ntypes] = malloc(len + 1)))
                    return SIM_ENOMEM;
                memcpy(g->types[g->ntypes], p, len);
                g->types[g->ntypes++][len] = '\0';
            }
        }
    }
    return SIM_OK;
}

/* ---- degrees, fan-out, depth, centrality ---- */

static int degrees(ana_graph *g, const mdl_topology *t)
{
    igraph_vector_int_t in, out;
    size_t i;
    int rc = SIM_ENOMEM;

    if (igraph_vector_int_init(&in, 0))
        return SIM_ENOMEM;
    if (igraph_vector_int_init(&out, 0)) {
        igraph_vector_int_destroy(&in);
        return SIM_ENOMEM;
    }
    if (igraph_degree(&t->graph, &in, igraph_vss_all(), IGRAPH_IN, 1)
        || igraph_degree(&t->graph, &out, igraph_vss_all(), IGRAPH_OUT, 1))
        goto done;
    for (i = 0; i < t->nservices; i++) {
        g->svc[i].in_all = (int)VECTOR(in)[i];
        g->svc[i].out_all = (int)VECTOR(out)[i];
        g->svc[i].widest_stage = -1;
    }
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];
        switch (e->kind) {
        case MDL_EDGE_CALL:
            g->ncall++;
            g->svc[e->from].out_calls++;
            g->svc[e->to].in_calls++;
            break;
        case MDL_EDGE_FORWARD:
            g->nforward++;
            break;
        case MDL_EDGE_PUBLISH:
            g->npublish++;
            break;
        }
    }
    rc = SIM_OK;
done:
    igraph_vector_int_destroy(&in);
    igraph_vector_int_destroy(&out);
    return rc;
}

/* Depth, fan-out and widest stage for requests of type (NULL: a type no
 * edge names), each raised into g where larger: the busiest type's value.
 * order is the call DAG's topological order; depth is n ints of scratch. */
static void shape(ana_graph *g, const mdl_topology *t, const adj *a,
                  const int *order, int *depth, const char *type)
{
    size_t i, k;

    for (i = 0; i < t->nservices; i++)
        depth[i] = 0;
    /* Callees come after their callers: walk back from the end.
     * depth(v) = 1 + max over call edges v->w of depth(w) */
    for (k = t->nservices; k-- > 0;) {
        int v = order[k], j, stage = -1, width = 0;
        double fanout = 0.0;
        ana_graph_svc *s = &g->svc[v];
        for (j = a->first[v]; j < a->first[v + 1]; j++) {
            const mdl_edge *e = &t->edges[a->order[j]];
            if (e->kind != MDL_EDGE_CALL || !applies(e, type))
                continue;
            if (depth[e->to] + 1 > depth[v])
                depth[v] = depth[e->to] + 1;
            /* fan-out = sum over call edges of p * count */
            fanout += e->p * e->count;
            /* widest stage: most call edges with one stage number */
            if (e->stage != stage) {
                stage = e->stage;
                width = 0;
            }
            if (++width > s->widest
                || (width == s->widest && stage < s->widest_stage)) {
                s->widest = width;
                s->widest_stage = stage;
            }
        }
        if (depth[v] > s->depth)
            s->depth = depth[v];
        if (fanout > s->fanout)
            s->fanout = fanout;
    }
}

/* Betweenness of every service into g: exact when the work allows (see
 * ANA_GRAPH_BC_WORK), else estimated from k sampled sources. */
static int betweenness(ana_graph *g, const mdl_topology *t, double work)
{
    igraph_vector_t b;
    igraph_vector_int_t src;
    size_t i, n = t->nservices, k;
    double size = (double)n + (double)t->nedges;
    int rc = SIM_ENOMEM;

    if (igraph_vector_init(&b, 0))
        return SIM_ENOMEM;
    if (igraph_vector_int_init(&src, 0)) {
        igraph_vector_destroy(&b);
        return SIM_ENOMEM;
    }
    if ((double)n * size <= work) {
        if (igraph_betweenness(&t->graph, &b, igraph_vss_all(), 1, NULL))
            goto done;
        g->bc_sources = 0;
    } else {
        gsl_rng *rng;
        double kk = ceil(work / size);
        size_t *all, *pick;

        k = kk < 1.0 ? 1 : kk > (double)n ? n : (size_t)kk;
        all = malloc(n * sizeof *all);
        pick = malloc(k * sizeof *pick);
        rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!all || !pick || !rng
            || igraph_vector_int_resize(&src, (igraph_integer_t)k)) {
            free(all);
            free(pick);
            if (rng)
                gsl_rng_free(rng);
            goto done;
        }
        gsl_rng_set(rng, 1);
        for (i = 0; i < n; i++)
            all[i] = i;
        gsl_ran_choose(rng, pick, k, all, n, sizeof *all);
        for (i = 0; i < k; i++)
            VECTOR(src)[i] = (igraph_integer_t)pick[i];
        free(all);
        free(pick);
        gsl_rng_free(rng);
        if (igraph_betweenness_subset(&t->graph, &b, igraph_vss_all(), 1,
                                      igraph_vss_vector(&src),
                                      igraph_vss_all(), NULL))
            goto done;
        igraph_vector_scale(&b, (double)n / (double)k);
        g->bc_sources = k;
    }
    for (i = 0; i < n; i++)
        g->svc[i].betweenness = VECTOR(b)[i];
    rc = SIM_OK;
done:
    igraph_vector_int_destroy(&src);
    igraph_vector_destroy(&b);
    return rc;
}

/* ---- expected latency ---- */

/* The term edge e adds to R(from) for requests of type: p * count * R(to)
 * for a call (before the stage's max), p * R(to) for a forward, 0 for a
 * publish or an edge of other types. p = 0 adds nothing even when R(to)
 * is infinite. */
static double edge_term(const mdl_edge *e, const double *r, const char *type)
{
    if (e->kind == MDL_EDGE_PUBLISH || e->p == 0.0 || !applies(e, type))
        return 0.0;
    if (e->kind == MDL_EDGE_CALL)
        return e->p * e->count * r[e->to];
    return e->p * r[e->to];
}

/* One Jacobi step of the equations in the design note for service v. */
static double latency_step(const mdl_topology *t, const adj *a,
                           const double *local, const double *r, int v,
                           const char *type)
{
    double sum = local[v], stage_max = 0.0;
    int j, stage = -1;

    for (j = a->first[v]; j < a->first[v + 1]; j++) {
        const mdl_edge *e = &t->edges[a->order[j]];
        double x;
        if (!applies(e, type))
            continue;
        x = edge_term(e, r, type);
        if (e->kind == MDL_EDGE_FORWARD) {
            sum += x;
        } else if (e->kind == MDL_EDGE_CALL) {
            if (e->stage != stage) {
                sum += stage_max;           /* the previous stage ends */
                stage_max = 0.0;
                stage = e->stage;
            }
            if (x > stage_max)
                stage_max = x;
        }
    }
    return sum + stage_max;
}

/* R for requests of type into r (n) in one pass, callees before
 * callers, when the call and forward edges that carry type form a DAG
 * (Kahn's algorithm); returns 0, r untouched, when they do not or memory
 * is short. Each R(v) is then latency_step() over final values, the
 * fixed point the Jacobi iteration reaches after (longest path + 1)
 * sweeps, in O(V + E). */
static int dag_latencies(const mdl_topology *t, const adj *a,
                         const double *local, double *r, const char *type)
{
    size_t n = t->nservices, i, head = 0, tail = 0;
    int *indeg = calloc(n + 1, sizeof *indeg);
    int *queue = malloc((n + 1) * sizeof *queue);
    int j, ok;

    if (!indeg || !queue) {
        free(indeg);
        free(queue);
        return 0;
    }
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind != MDL_EDGE_PUBLISH
            && applies(&t->edges[i], type))
            indeg[t->edges[i].to]++;
    for (i = 0; i < n; i++)
        if (indeg[i] == 0)
            queue[tail++] = (int)i;
    while (head < tail) {
        int v = queue[head++];
        for (j = a->first[v]; j < a->first[v + 1]; j++) {
            const mdl_edge *e = &t->edges[a->order[j]];
            if (e->kind != MDL_EDGE_PUBLISH && applies(e, type)
                && --indeg[e->to] == 0)
                queue[tail++] = e->to;
        }
    }
    ok = tail == n;
    for (i = n; ok && i-- > 0;)
        r[queue[i]] = latency_step(t, a, local, r, queue[i], type);
    free(indeg);
    free(queue);
    return ok;
}

/* R for requests of type into r (n), by Jacobi iteration from 0; next is
 * n doubles of scratch. A DAG too deep for the sweeps that MAX_WORK
 * allows (a long chain of a large topology) is solved in one pass
 * instead (dag_latencies()); below that the sweeps are exact on a DAG
 * already. */
static void latencies(const mdl_topology *t, const adj *a,
                      const double *local, double *r, double *next,
                      const char *type)
{
    size_t n = t->nservices, i;
    long iter, max_iter = MAX_WORK / (long)(n + t->nedges + 1);
    int settled = 0, overflow = 0;
    double *cur = r, *prev = next;

    if (max_iter > MAX_ITER)
        max_iter = MAX_ITER;
    if ((size_t)max_iter < n + 1 && dag_latencies(t, a, local, r, type))
        return;
    for (i = 0; i < n; i++)
        cur[i] = 0.0;
    for (iter = 0; iter < max_iter && !settled && !overflow; iter++) {
        double *swap = prev;
        prev = cur;
        cur = swap;
        settled = 1;
        for (i = 0; i < n; i++) {
            cur[i] = latency_step(t, a, local, prev, (int)i, type);
            if (!isfinite(cur[i]))
                overflow = 1;
            if (fabs(cur[i] - prev[i]) > REL_TOL * fabs(cur[i]))
                settled = 0;
        }
        if (overflow)
            settled = 0;
    }
    /* cur holds the last sweep, prev the one before; what still moves
     * has no finite fixed point. */
    for (i = 0; i < n; i++)
        if (!settled && !(fabs(cur[i] - prev[i]) <= REL_TOL * fabs(cur[i])))
            cur[i] = INFINITY;
    if (cur != r)
        memcpy(r, cur, n * sizeof *r);
}

/* ---- entry points, blast radius, critical paths ---- */

/* Mark in entry[] the entry points: the services that no call or forward
 * edge reaches (a publish starts a flow of its own). One pass over the
 * edges. */
static void find_entries(const mdl_topology *t, char *entry)
{
    size_t i;

    memset(entry, 1, t->nservices);
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind != MDL_EDGE_PUBLISH)
            entry[t->edges[i].to] = 0;
}

/* Fill p: the critical path from p->entry for requests of p->type, whose
 * latencies are r. seen is n chars of scratch. */
static int critical_path(ana_graph_path *p, const mdl_topology *t,
                         const adj *a, const double *r, char *seen)
{
    int v = p->entry;

    p->svc = malloc((t->nservices + 1) * sizeof *p->svc);
    p->edge = malloc((t->nservices + 1) * sizeof *p->edge);
    if (!p->svc || !p->edge)
        return SIM_ENOMEM;
    memset(seen, 0, t->nservices);
    p->latency = r[v];
    p->svc[0] = v;
    p->edge[0] = -1;
    p->len = 1;
    seen[v] = 1;
    for (;;) {
        int j, best = -1;
        double best_x = -1.0;
        for (j = a->first[v]; j < a->first[v + 1]; j++) {
            const mdl_edge *e = &t->edges[a->order[j]];
            double x;
            if (e->kind == MDL_EDGE_PUBLISH || !applies(e, p->type))
                continue;
            x = edge_term(e, r, p->type);
            /* Strictly larger, or the lower edge index on a tie. */
            if (x > best_x || (x == best_x && a->order[j] < best)) {
                best_x = x;
                best = a->order[j];
            }
        }
        if (best < 0 || seen[t->edges[best].to])
            break;
        v = t->edges[best].to;
        seen[v] = 1;
        p->svc[p->len] = v;
        p->edge[p->len++] = best;
    }
    return SIM_OK;
}

/* Count the entries reaching each service (pass 0), or record them
 * (pass 1); reach[e * n + v] is set when entry e reaches service v. */
static int blast_radius(ana_graph *g, const mdl_topology *t, char *reach)
{
    igraph_vector_int_t out;
    size_t e, i, n = t->nservices;

    if (igraph_vector_int_init(&out, 0))
        return SIM_ENOMEM;
    for (e = 0; e < g->nentries; e++) {
        if (igraph_subcomponent(&t->graph, &out, g->entries[e],
                                IGRAPH_OUT)) {
            igraph_vector_int_destroy(&out);
            return SIM_ENOMEM;
        }
        for (i = 0; i < (size_t)igraph_vector_int_size(&out); i++) {
            reach[e * n + (size_t)VECTOR(out)[i]] = 1;
            g->svc[VECTOR(out)[i]].nblast++;
        }
    }
    igraph_vector_int_destroy(&out);
    for (i = 0; i < n; i++) {
        ana_graph_svc *s = &g->svc[i];
        if (s->nblast == 0)
            continue;
        if (!(s->blast = malloc(s->nblast * sizeof *s->blast)))
            return SIM_ENOMEM;
        s->nblast = 0;
        for (e = 0; e < g->nentries; e++)
            if (reach[e * n + i])
                s->blast[s->nblast++] = g->entries[e];
    }
    return SIM_OK;
}

/* Whether entry e (reach row) reaches an edge that names type. */
static int reaches_type(const mdl_topology *t, const char *reach_row,
                        const char *type)
{
    size_t i;

    for (i = 0; i < t->nedges; i++)
        if (reach_row[t->edges[i].from] && names_type(&t->edges[i], type))
            return 1;
    return 0;
}

/* Scratch space of ana_graph_init(). */
typedef struct work {
    adj a;
    int *order, *depth;         /* n: call DAG order; depths of one type */
    double *local, *r, *next;   /* n: local work; latencies of one type */
    char *seen, *reach;         /* n; nentries x n */
} work;

static void work_destroy(work *w)
{
    adj_destroy(&w->a);
    free(w->order);
    free(w->depth);
    free(w->local);
    free(w->r);
    free(w->next);
    free(w->seen);
    free(w->reach);
}

/* Latencies of one request type (NULL: a type no edge names, which is
 * every request when no edge has a types list): raise each service's
 * numbers to it, and add the paths of this type from every entry point
 * that reaches an edge naming it (for NULL: from the entry points that
 * reach no edge with a types list). A request of a type follows only the
 * edges that carry it, so no number mixes the calls of two types. */
static int one_type(ana_graph *g, const mdl_topology *t, work *w,
                    const char *type)
{
    size_t i, e, n = t->nservices;
    int rc = SIM_OK;

    shape(g, t, &w->a, w->order, w->depth, type);
    latencies(t, &w->a, w->local, w->r, w->next, type);
    for (i = 0; i < n; i++)
        if (!(w->r[i] <= g->svc[i].latency))
            g->svc[i].latency = w->r[i];
    for (e = 0; e < g->nentries && rc == SIM_OK; e++) {
        const char *row = w->reach + e * n;
        size_t k;
        int want;
        if (type) {
            want = reaches_type(t, row, type);
        } else {
            for (want = 1, k = 0; want && k < g->ntypes; k++)
                want = !reaches_type(t, row, g->types[k]);
        }
        if (!want)
            continue;
        g->paths[g->npaths].entry = g->entries[e];
        g->paths[g->npaths].type = type;
        rc = critical_path(&g->paths[g->npaths++], t, &w->a, w->r, w->seen);
    }
    return rc;
}

int ana_graph_init(ana_graph *g, const mdl_topology *t, sim_diag *d)
{
    return ana__graph_init_work(g, t, ANA_GRAPH_BC_WORK, d);
}

int ana__graph_init_work(ana_graph *g, const mdl_topology *t,
                         double bc_work, sim_diag *d)
{
    size_t n = t->nservices, i;
    work w;
    int rc = SIM_ENOMEM;

    memset(g, 0, sizeof *g);
    memset(&w, 0, sizeof w);
    g->n = n;
    if (!(w.seen = malloc(n + 1)))
        goto fail;
    find_entries(t, w.seen);
    for (i = 0; i < n; i++)
        g->nentries += (size_t)w.seen[i];
    g->svc = calloc(n + 1, sizeof *g->svc);
    g->entries = malloc((g->nentries + 1) * sizeof *g->entries);
    w.order = malloc((n + 1) * sizeof *w.order);
    w.depth = malloc((n + 1) * sizeof *w.depth);
    w.local = malloc((n + 1) * sizeof *w.local);
    w.r = malloc((n + 1) * sizeof *w.r);
    w.next = malloc((n + 1) * sizeof *w.next);
    w.reach = calloc(g->nentries * n + 1, 1);
    if (!g->svc || !g->entries || !w.order || !w.depth || !w.local || !w.r
        || !w.next || !w.reach)
        goto fail;
    for (i = 0, g->nentries = 0; i < n; i++)
        if (w.seen[i])
            g->entries[g->nentries++] = (int)i;
    for (i = 0; i < n; i++) {
        w.local[i] = t->services[i].service.mean
                     + t->services[i].post_service.mean;
        g->svc[i].local = w.local[i];
        g->svc[i].latency = 0.0;
    }
    if ((rc = adj_init(&w.a, t)) != SIM_OK
        || (rc = call_order(t, w.order, d)) != SIM_OK
        || (rc = degrees(g, t)) != SIM_OK
        || (rc = betweenness(g, t, bc_work)) != SIM_OK
        || (rc = collect_types(g, t)) != SIM_OK
        || (rc = blast_radius(g, t, w.reach)) != SIM_OK)
        goto fail;
    /* At most one path per entry point and type, or one per entry point
     * for the edges of every type. */
    rc = SIM_ENOMEM;
    g->paths = calloc(g->nentries * (g->ntypes + 1) + 1, sizeof *g->paths);
    if (!g->paths)
        goto fail;
    rc = SIM_OK;
    for (i = 0; i < g->ntypes && rc == SIM_OK; i++)
        rc = one_type(g, t, &w, g->types[i]);
    if (rc == SIM_OK)
        rc = one_type(g, t, &w, NULL);
    if (rc != SIM_OK)
        goto fail;
    /* Paths came type by type; a stable sort puts them by entry point. */
    for (i = 1; i < g->npaths; i++) {
        ana_graph_path p = g->paths[i];
        size_t k;
        for (k = i; k > 0 && g->paths[k - 1].entry > p.entry; k--)
            g->paths[k] = g->paths[k - 1];
        g->paths[k] = p;
    }
    work_destroy(&w);
    return SIM_OK;
fail:
    work_destroy(&w);
    ana_graph_destroy(g);
    return rc;
}

void ana_graph_destroy(ana_graph *g)
{
    size_t i;

    if (g->svc)
        for (i = 0; i < g->n; i++)
            free(g->svc[i].blast);
    if (g->paths)
        for (i = 0; i < g->npaths; i++) {
            free(g->paths[i].svc);
            free(g->paths[i].edge);
        }
    if (g->types)
        for (i = 0; i < g->ntypes; i++)
            free(g->types[i]);
    free(g->svc);
    free(g->entries);
    free(g->paths);
    free(g->types);
    memset(g, 0, sizeof *g);
}

/* ---- DOT export ---- */

/* Write s as the inside of a DOT string: quotes and backslashes escaped. */
static void dot_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

static const char *const KIND_STYLE[] = {"solid", "dashed", "dotted"};
static const char *const KIND_NAME[] = {"call", "forward", "publish"};
static const char *const SHAPE[] = {"box", "ellipse", "cylinder"};

static void write_dot(FILE *f, const mdl_topology *t)
{
    const char *base = strrchr(t->path, '/');
    size_t i, stem;

    base = base ? base + 1 : t->path;
    stem = strcspn(base, ".");
    fputs("digraph \"", f);
    for (i = 0; i < stem; i++) {
        if (base[i] == '"' || base[i] == '\\')
            fputc('\\', f);
        fputc(base[i], f);
    }
    fputs("\" {\n    // qmesh graph ", f);
    for (i = 0; t->path[i]; i++)
        fputc(t->path[i] == '\n' ? ' ' : t->path[i], f);
    fputs("\n    // edges: call solid, forward dashed, publish dotted\n"
          "    rankdir=LR;\n    node [fontname=\"Helvetica\"];\n"
          "    edge [fontname=\"Helvetica\", fontsize=10];\n", f);
    for (i = 0; i < t->nservices; i++) {
        const mdl_service *s = &t->services[i];
        fprintf(f, "    n%zu [shape=%s, label=\"", i, SHAPE[s->kind]);
        dot_text(f, s->name);
        fprintf(f, "\\nservers %d, replicas %d\"];\n", s->servers,
                s->replicas);
    }
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];
        char label[128];
        int at = 0;
        label[0] = '\0';
        if (e->p != 1.0)
            at += snprintf(label + at, sizeof label - (size_t)at,
                           "p=%g", e->p);
        if (e->count != 1)
            at += snprintf(label + at, sizeof label - (size_t)at,
                           "%scount=%d", at ? " " : "", e->count);
        if (e->stage != 0)
            snprintf(label + at, sizeof label - (size_t)at, "%sstage=%d",
                     at ? " " : "", e->stage);
        fprintf(f, "    n%d -> n%d [style=%s, tooltip=\"%s\"", e->from,
                e->to, KIND_STYLE[e->kind], KIND_NAME[e->kind]);
        if (label[0])
            fprintf(f, ", label=\"%s\"", label);
        fputs("];\n", f);
    }
    fputs("}\n", f);
}

int ana_graph_write_dot(const mdl_topology *t, const char *path,
                        sim_diag *d)
{
    ana_file a;
    int rc;

    if (!strcmp(path, "-")) {
        write_dot(stdout, t);
        return SIM_OK;      /* main() checks standard output at the end */
    }
    if ((rc = ana_file_open(&a, NULL, path, d)) != SIM_OK)
        return rc;
    write_dot(a.f, t);
    return ana_file_close(&a, SIM_OK, d);
}
