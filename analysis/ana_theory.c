/*
 * ana_theory.c - match a scenario to a model with an exact solution and
 * solve it.
 *
 * Routing: P[i][j] is the sum of the probabilities of forward edges i->j.
 * Traffic equations lambda = gamma + P^T lambda give the arrival rate of
 * every station (gamma: external Poisson rates at the entries); with a
 * unit arrival at one entry they give that class's visit ratios v_k.
 *
 * Open product form (Jackson 1963; BCMP 1975 for PS and delay stations):
 *   station k behaves as an isolated M/M/c_k with rate lambda_k, so
 *   W_k = ana_mmc(...).W, and a class entering at e has mean latency
 *   sum_k v_k(e) W_k. The system mean follows from Little's law:
 *   T = sum_k lambda_k W_k / sum gamma.
 * Processor sharing with c servers is a symmetric queue (Kelly 1979), so
 * its mean numbers are those of M/M/c whatever the service distribution.
 * A single FIFO station with one server and a general service
 * distribution is M/G/1 (Pollaczek-Khinchine); with a capacity it is
 * M/M/c/K when service is exponential.
 * Closed product form: exact MVA over the stations, the think time being
 * a delay of mean Z outside them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ana_queue.h"
#include "ana_theory.h"

typedef struct net {
    size_t n;
    double *P;              /* n x n routing */
    double *gamma;          /* external rates of open workloads */
} net;

static void net_free(net *m)
{
    free(m->P);
    free(m->gamma);
}

static int net_build(net *m, const mdl_scenario *s)
{
    const mdl_topology *t = s->topo;
    size_t i;

    m->n = t->nservices;
    m->P = calloc(m->n * m->n, sizeof *m->P);
    m->gamma = calloc(m->n, sizeof *m->gamma);
    if (!m->P || !m->gamma) {
        net_free(m);
        return SIM_ENOMEM;
    }
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind == MDL_EDGE_FORWARD)
            m->P[(size_t)t->edges[i].from * m->n + (size_t)t->edges[i].to]
                += t->edges[i].p;
    for (i = 0; i < s->nworkloads; i++)
        if (!s->workloads[i].closed)
            m->gamma[s->workloads[i].entry] += 1.0 / s->workloads[i].arrival.mean;
    return SIM_OK;
}

/* Visit ratios of a request entering at entry. */
static int visits_from(const net *m, int entry, double *v)
{
    double *g = calloc(m->n, sizeof *g);
    int rc;

    if (!g)
        return SIM_ENOMEM;
    g[entry] = 1.0;
    rc = ana_traffic(m->n, m->P, g, v);
    free(g);
    return rc;
}

int ana_theory_stability(const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    net m;
    double *lambda;
    size_t i;
    int rc;

    rc = net_build(&m, s);
    if (rc != SIM_OK)
        return rc;
    lambda = calloc(m.n, sizeof *lambda);
    if (!lambda) {
        net_free(&m);
        return SIM_ENOMEM;
    }
    /* Every entry must have a way out, open or closed. */
    for (i = 0; i < s->nworkloads && rc == SIM_OK; i++) {
        size_t k;
        rc = visits_from(&m, s->workloads[i].entry, lambda);
        for (k = 0; rc == SIM_OK && k < m.n; k++)
            if (!isfinite(lambda[k]) || lambda[k] < -1e-9)
                rc = SIM_EINVAL;
        if (rc == SIM_EINVAL)
            rc = sim_diag_set(d, s->path, s->workload_line, 0,
                              "requests of workload '%s' can never leave: "
                              "the forward edges from '%s' form a loop with "
                              "no exit", s->workloads[i].name,
                              t->services[s->workloads[i].entry].name);
    }
    if (rc == SIM_OK)
        rc = ana_traffic(m.n, m.P, m.gamma, lambda);
    for (i = 0; rc == SIM_OK && i < m.n; i++) {
        const mdl_service *v = &t->services[i];
        double load = lambda[i] * v->service.mean / v->servers;
        if (v->kind == MDL_SVC_DELAY || v->capacity > 0)
            continue;   /* infinite servers or a loss system: always stable */
        if (load >= 1.0) {
            sim_diag_set(d, s->path, s->workload_line, 0,
                         "unstable: service '%s' has load %.4g (arrival "
                         "rate %.6g/s, capacity %.6g/s); its queue would "
                         "grow without bound", v->name, load, lambda[i],
                         v->servers / v->service.mean);
            rc = SIM_EUNSTABLE;
        }
    }
    free(lambda);
    net_free(&m);
    return rc;
}

/* ---- the result list ---- */

static int put(ana_theory *t, const char *prefix, const char *name,
               const char *metric, double value)
{
    ana_value *v = realloc(t->v, (t->n + 1) * sizeof *v);
    size_t len = strlen(prefix) + (name ? strlen(name) : 0) + 1;

    if (!v)
        return SIM_ENOMEM;
    t->v = v;
    v[t->n].scope = malloc(len);
    if (!v[t->n].scope)
        return SIM_ENOMEM;
    snprintf(v[t->n].scope, len, "%s%s", prefix, name ? name : "");
    v[t->n].metric = metric;
    v[t->n].value = value;
    t->n++;
    return SIM_OK;
}

static int put_station(ana_theory *t, const mdl_service *v,
                       const ana_station *a, double visits, int delay)
{
    int rc = SIM_OK;

    rc |= put(t, "service:", v->name, "utilization", a->util);
    rc |= put(t, "service:", v->name, "jobs_mean", a->L);
    rc |= put(t, "service:", v->name, "queue_mean", delay ? 0.0 : a->Lq);
    rc |= put(t, "service:", v->name, "wait_mean", delay ? 0.0 : a->Wq);
    rc |= put(t, "service:", v->name, "response_mean", a->W);
    rc |= put(t, "service:", v->name, "visits", visits);
    rc |= put(t, "service:", v->name, "throughput", a->lambda);
    rc |= put(t, "service:", v->name, "rejected", a->p_block);
    return rc ? SIM_ENOMEM : SIM_OK;
}

static int put_requests(ana_theory *t, const char *prefix, const char *name,
                        double latency, double avail, double throughput)
{
    int rc = SIM_OK;

    rc |= put(t, prefix, name, "latency_mean", latency);
    rc |= put(t, prefix, name, "availability", avail);
    rc |= put(t, prefix, name, "throughput", throughput);
    return rc ? SIM_ENOMEM : SIM_OK;
}

/* Sojourn quantiles of a single M/M/c FIFO station. */
static int put_quantiles(ana_theory *t, const char *prefix, const char *name,
                         double lambda, double mu, int c)
{
    static const double p[] = {0.50, 0.95, 0.99, 0.999};
    static const char *const names[] = {
        "latency_p50", "latency_p95", "latency_p99", "latency_p999"
    };
    size_t i;

    for (i = 0; i < 4; i++) {
        double q;
        if (ana_mmc_sojourn_quantile(lambda, mu, c, p[i], &q) != SIM_OK)
            continue;
        if (put(t, prefix, name, names[i], q) != SIM_OK)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

/* ---- which model is it? ---- */

static int no_theory(ana_theory *t, const char *fmt, const char *a,
                     const char *b)
{
    t->applies = 0;
    snprintf(t->why, sizeof t->why, fmt, a, b);
    return SIM_OK;
}

/* Does station v keep product form, and how to solve it? */
static const char *station_obstacle(const mdl_service *v)
{
    if (v->kind == MDL_SVC_DELAY)
        return NULL;                /* M/G/inf: insensitive */
    if (v->kind != MDL_SVC_SERVICE)
        return "is not a plain queueing station";
    if (v->replicas != 1)
        return "has several replicas";
    if (v->capacity > 0)
        return "has a finite capacity";
    if (v->discipline == MDL_DISC_PS)
        return NULL;                /* symmetric queue: insensitive */
    if (v->discipline != MDL_DISC_FIFO)
        return "has a priority discipline";
    if (v->service.kind != MDL_DIST_EXP)
        return "is FIFO with non-exponential service";
    return NULL;
}

static int single_station(ana_theory *t, const mdl_scenario *s,
                          double lambda)
{
    const mdl_service *v = &s->topo->services[0];
    ana_station a;
    double mu = 1.0 / v->service.mean;
    int mm = v->service.kind == MDL_DIST_EXP, rc = SIM_OK, quant = 0;
    size_t i;

    if (v->kind == MDL_SVC_DELAY) {
        ana_mginf(lambda, v->service.mean, &a);
        snprintf(t->model, sizeof t->model, "M/G/inf");
    } else if (v->capacity > 0) {
        if (!mm || v->discipline == MDL_DISC_PRIORITY)
            return no_theory(t, "service '%s' has a finite capacity and "
                             "%s: only M/M/c/K is exact", v->name,
                             mm ? "a priority discipline"
                                : "non-exponential service");
        if (ana_mmck(lambda, mu, v->servers, (int)v->capacity, &a) != SIM_OK)
            return no_theory(t, "M/M/c/K has no solution for '%s'%s",
                             v->name, "");
        snprintf(t->model, sizeof t->model, "M/M/%d/%ld", v->servers,
                 v->capacity);
    } else if (mm && v->discipline != MDL_DISC_PRIORITY) {
        if (ana_mmc(lambda, mu, v->servers, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/M/%d%s", v->servers,
                 v->discipline == MDL_DISC_PS ? "-PS" : "");
        quant = v->discipline == MDL_DISC_FIFO;
    } else if (v->discipline == MDL_DISC_PS) {
        if (ana_mmc(lambda, mu, v->servers, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/G/%d-PS", v->servers);
    } else if (v->servers == 1 && v->discipline == MDL_DISC_FIFO) {
        if (ana_mg1(lambda, v->service.mean, v->service.scv, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/G/1 (Pollaczek-Khinchine)");
    } else {
        return no_theory(t, "service '%s': no exact formula for M/G/c with "
                         "c > 1 and %s service", v->name, "non-exponential");
    }
    t->applies = 1;
    rc |= put_station(t, v, &a, 1.0, v->kind == MDL_SVC_DELAY);
    rc |= put_requests(t, "system", NULL, a.W, 1.0 - a.p_block, a.lambda);
    if (quant)
        rc |= put_quantiles(t, "system", NULL, lambda, mu, v->servers);
    for (i = 0; i < s->nworkloads; i++) {
        const mdl_workload *w = &s->workloads[i];
        double rate = 1.0 / w->arrival.mean;
        rc |= put_requests(t, "class:", w->name, a.W, 1.0 - a.p_block,
                           rate * (1.0 - a.p_block));
        if (quant)
            rc |= put_quantiles(t, "class:", w->name, lambda, mu,
                                v->servers);
    }
    return rc ? SIM_ENOMEM : SIM_OK;
}

static void to_nodes(const mdl_scenario *s, ana_node *nodes)
{
    size_t k;

    for (k = 0; k < s->topo->nservices; k++) {
        const mdl_service *v = &s->topo->services[k];
        nodes[k].servers = v->kind == MDL_SVC_DELAY ? 0 : v->servers;
        nodes[k].mean = v->service.mean;
    }
}

static int open_network(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_topology *tp = s->topo;
    ana_node *nodes = calloc(m->n, sizeof *nodes);
    ana_station *st = calloc(m->n, sizeof *st);
    double *v = calloc(m->n, sizeof *v);
    double total = 0, flow = 0;
    size_t i, k;
    int rc = SIM_ENOMEM;

    if (!nodes || !st || !v)
        goto done;
    to_nodes(s, nodes);
    if (ana_jackson(m->n, m->P, m->gamma, nodes, st, NULL) != SIM_OK) {
        rc = no_theory(t, "the network has no steady state%s%s", "", "");
        goto done;
    }
    for (k = 0; k < m->n; k++) {
        total += m->gamma[k];
        flow += st[k].lambda * st[k].W;
    }
    t->applies = 1;
    snprintf(t->model, sizeof t->model, "open %s network (%zu stations)",
             m->n > 1 ? "Jackson" : "product-form", m->n);
    for (k = 0; k < m->n; k++)
        if (put_station(t, &tp->services[k], &st[k], st[k].lambda / total,
                        nodes[k].servers == 0) != SIM_OK)
            goto done;
    /* Little's law over the whole network. */
    if (put_requests(t, "system", NULL, flow / total, 1.0, total) != SIM_OK)
        goto done;
    for (i = 0; i < s->nworkloads; i++) {
        const mdl_workload *w = &s->workloads[i];
        double lat = 0;
        if (visits_from(m, w->entry, v) != SIM_OK)
            goto done;
        for (k = 0; k < m->n; k++)
            lat += v[k] * st[k].W;
        if (put_requests(t, "class:", w->name, lat, 1.0,
                         1.0 / w->arrival.mean) != SIM_OK)
            goto done;
    }
    rc = SIM_OK;
done:
    free(nodes);
    free(st);
    free(v);
    return rc;
}

static int closed_network(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_workload *w = &s->workloads[0];
    ana_node *nodes = calloc(m->n, sizeof *nodes);
    ana_station *st = calloc(m->n, sizeof *st);
    double *v = calloc(m->n, sizeof *v);
    double X, R;
    size_t k;
    int rc = SIM_ENOMEM;

    if (!nodes || !st || !v)
        goto done;
    to_nodes(s, nodes);
    if (visits_from(m, w->entry, v) != SIM_OK
        || ana_mva(m->n, nodes, v, w->think.mean, (int)w->population, st, &X,
                   &R) != SIM_OK) {
        rc = no_theory(t, "MVA found no solution for workload '%s'%s",
                       w->name, "");
        goto done;
    }
    t->applies = 1;
    snprintf(t->model, sizeof t->model, "closed product-form network, "
             "exact MVA (N = %ld, %zu stations)", w->population, m->n);
    for (k = 0; k < m->n; k++)
        if (put_station(t, &s->topo->services[k], &st[k], v[k],
                        nodes[k].servers == 0) != SIM_OK)
            goto done;
    if (put_requests(t, "system", NULL, R, 1.0, X) != SIM_OK
        || put_requests(t, "class:", w->name, R, 1.0, X) != SIM_OK)
        goto done;
    rc = SIM_OK;
done:
    free(nodes);
    free(st);
    free(v);
    return rc;
}

static int solve(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_topology *tp = s->topo;
    size_t i, nclosed = 0;
    double lambda = 0;

    for (i = 0; i < tp->nedges; i++)
        if (tp->edges[i].kind != MDL_EDGE_FORWARD)
            return no_theory(t, "the topology has %s edges; theory here "
                             "covers forward routing only%s",
                             tp->edges[i].kind == MDL_EDGE_CALL ? "call"
                                                                : "publish",
                             "");
    for (i = 0; i < s->nworkloads; i++) {
        const mdl_workload *w = &s->workloads[i];
        if (w->closed)
            nclosed++;
        else if (w->arrival.kind != MDL_DIST_EXP)
            return no_theory(t, "workload '%s' has non-Poisson arrivals "
                             "(%s): no exact formula", w->name,
                             "a G/./. queue");
        else
            lambda += 1.0 / w->arrival.mean;
    }
    if (nclosed > 0 && (nclosed > 1 || s->nworkloads > 1))
        return no_theory(t, "%s: exact MVA here is single-class%s",
                         "several workloads with a closed one", "");
    if (nclosed == 0 && tp->nservices == 1 && tp->nedges == 0)
        return single_station(t, s, lambda);
    for (i = 0; i < tp->nservices; i++) {
        const char *why = station_obstacle(&tp->services[i]);
        if (why)
            return no_theory(t, "service '%s' %s, which breaks product "
                             "form", tp->services[i].name, why);
    }
    return nclosed ? closed_network(t, s, m) : open_network(t, s, m);
}

int ana_theory_new(ana_theory **out, const mdl_scenario *s)
{
    ana_theory *t = calloc(1, sizeof *t);
    net m;
    int rc;

    *out = NULL;
    if (!t)
        return SIM_ENOMEM;
    rc = net_build(&m, s);
    if (rc == SIM_OK) {
        rc = solve(t, s, &m);
        net_free(&m);
    }
    if (rc != SIM_OK) {
        ana_theory_free(t);
        return rc;
    }
    if (!t->applies) {      /* partial values are not an answer */
        size_t i;
        for (i = 0; i < t->n; i++)
            free(t->v[i].scope);
        t->n = 0;
    }
    *out = t;
    return SIM_OK;
}

void ana_theory_free(ana_theory *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n; i++)
        free(t->v[i].scope);
    free(t->v);
    free(t);
}

double ana_theory_get(const ana_theory *t, const char *scope,
                      const char *metric)
{
    size_t i;

    for (i = 0; t && i < t->n; i++)
        if (!strcmp(t->v[i].scope, scope) && !strcmp(t->v[i].metric, metric))
            return t->v[i].value;
    return NAN;
}
