/*
 * mdl_topology_check.c - the rules of mdl_topology.h that hold between
 * attributes and between services: capacity against servers, the total of
 * replicas and the forward probabilities out of a service, checked after
 * loading and again after a scenario's overrides; and the call cycles that
 * would deadlock.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <igraph.h>
#include "../sim/sim_err.h"
#include "mdl_topology.h"

/* Rules between attributes: capacity (when limited) holds at least the
 * requests in service, capacity >= servers; the replicas of all services
 * add up to at most MDL_REPLICAS_TOTAL_MAX; and the forward routing
 * probabilities out of service i, sum_j p_ij, leave 1 - sum_j p_ij >= 0
 * to exit (1e-9 allows for decimal fractions such as 0.7 + 0.2 + 0.1). */
int mdl_topology_check(const mdl_topology *t, sim_diag *d)
{
    double *sum;
    long replicas = 0;
    size_t i;

    for (i = 0; i < t->nservices; i++) {
        const mdl_service *s = &t->services[i];

        if (s->capacity > 0 && s->capacity < s->servers)
            return sim_diag_set(d, t->path, s->line, 0, "service '%s': "
                                "capacity must be 0 (unlimited) or at least "
                                "servers (%d), found '%ld'", s->name,
                                s->servers, s->capacity);
        /* Each term is at most MDL_REPLICAS_MAX: no overflow. */
        if ((replicas += s->replicas) > MDL_REPLICAS_TOTAL_MAX)
            return sim_diag_set(d, t->path, s->line, 0, "service '%s': the "
                                "replicas of all services add up to more "
                                "than %d", s->name, MDL_REPLICAS_TOTAL_MAX);
    }
    if (t->nservices == 0)
        return SIM_OK;
    if (!(sum = calloc(t->nservices, sizeof *sum)))
        return SIM_ENOMEM;
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind == MDL_EDGE_FORWARD)
            sum[t->edges[i].from] += t->edges[i].p;
    for (i = 0; i < t->nservices; i++)
        if (sum[i] > 1 + 1e-9) {
            const mdl_service *s = &t->services[i];
            double total = sum[i];

            free(sum);
            return sim_diag_set(d, t->path, s->line, 0, "forward "
                                "probabilities out of '%s' sum to %.10g (> 1)",
                                s->name, total);
        }
    free(sum);
    return SIM_OK;
}

/* ------------------------------------------------------------------ */
/* Cycles through a waiting caller                                     */
/* ------------------------------------------------------------------ */

static int waits_or_moves(const mdl_edge *e)
{
    return e->kind != MDL_EDGE_PUBLISH && e->p > 0;
}

/* Write the cycle into msg: call edge c, then the shortest way from its
 * callee back to its caller over call and forward edges (breadth-first,
 * edges in index order, so the same topology names the same cycle). */
static int describe_cycle(const mdl_topology *t, size_t c, char *msg,
                          size_t n, int *all_calls)
{
    size_t nv = t->nservices, i, head = 0, tail = 0, len;
    int *via = malloc(nv * sizeof *via), *queue = malloc(nv * sizeof *queue);
    int *back = malloc(nv * sizeof *back), nb = 0, v, k;
    int from = t->edges[c].from, to = t->edges[c].to;

    if (!via || !queue || !back) {
        free(via);
        free(queue);
        free(back);
        return SIM_ENOMEM;
    }
    for (i = 0; i < nv; i++)
        via[i] = -1;
    via[to] = (int)c;                       /* visited; the walk ends here */
    queue[tail++] = to;
    while (head < tail && via[from] < 0) {
        v = queue[head++];
        for (i = 0; i < t->nedges; i++) {
            const mdl_edge *e = &t->edges[i];
            if (e->from == v && waits_or_moves(e) && via[e->to] < 0) {
                via[e->to] = (int)i;
                queue[tail++] = e->to;
            }
        }
    }
    for (v = from; v != to && nb < (int)nv; v = t->edges[via[v]].from)
        back[nb++] = via[v];                /* last edge first */
    *all_calls = 1;
    len = (size_t)snprintf(msg, n, "%s", t->services[from].name);
    for (k = -1; k < nb && len < n; k++) {
        const mdl_edge *e = &t->edges[k < 0 ? (int)c : back[nb - 1 - k]];
        *all_calls &= e->kind == MDL_EDGE_CALL;
        len += (size_t)snprintf(msg + len, n - len, " %s %s",
                                e->kind == MDL_EDGE_CALL ? "->" : "=>",
                                t->services[e->to].name);
    }
    free(via);
    free(queue);
    free(back);
    return SIM_OK;
}

int mdl_topology_check_cycles(const mdl_topology *t, sim_diag *d)
{
    igraph_vector_int_t eids, memb;
    igraph_integer_t ncomp;
    igraph_t g;
    char msg[900];
    size_t i;
    int rc = SIM_ENOMEM, all_calls;

    if (igraph_vector_int_init(&eids, 0))
        return SIM_ENOMEM;
    if (igraph_vector_int_init(&memb, 0)) {
        igraph_vector_int_destroy(&eids);
        return SIM_ENOMEM;
    }
    for (i = 0; i < t->nedges; i++)
        if (waits_or_moves(&t->edges[i])
            && igraph_vector_int_push_back(&eids, (igraph_integer_t)i))
            goto done;
    /* Every vertex is kept, so vertex ids stay service indices. */
    if (igraph_subgraph_edges(&t->graph, &g, igraph_ess_vector(&eids), 0))
        goto done;
    if (igraph_connected_components(&g, &memb, NULL, &ncomp, IGRAPH_STRONG)) {
        igraph_destroy(&g);
        goto done;
    }
    igraph_destroy(&g);
    rc = SIM_OK;
    /* A call edge inside a strongly connected component lies on a cycle:
     * its callee reaches its caller again. */
    for (i = 0; i < t->nedges && rc == SIM_OK; i++) {
        const mdl_edge *e = &t->edges[i];
        if (e->kind != MDL_EDGE_CALL || !waits_or_moves(e)
            || VECTOR(memb)[e->from] != VECTOR(memb)[e->to])
            continue;
        if ((rc = describe_cycle(t, i, msg, sizeof msg, &all_calls))
            != SIM_OK)
            break;
        rc = sim_diag_set(d, t->path, t->services[e->from].line, 0,
                          all_calls ? "synchronous calls form a cycle, "
                          "which would deadlock: %s"
                          : "calls and forwards form a cycle, which would "
                          "deadlock: %s (-> call, => forward): the request "
                          "comes back to a service waiting for its reply",
                          msg);
    }
done:
    igraph_vector_int_destroy(&memb);
    igraph_vector_int_destroy(&eids);
    return rc;
}
