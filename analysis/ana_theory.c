/*
 * ana_theory.c - match a scenario to a model with an exact solution and
 * solve it.
 *
 * Traffic: ana_flow.c solves, per request class, the visits to every
 * station through forward edges (routing probabilities) and calls (p *
 * count), restricted to the edges of that class, and the arrival rate
 * lambda_k of every station.
 *
 * Open product form (Jackson 1963; BCMP 1975 for PS and delay stations,
 * and with class switching for call sequences): station k behaves as an
 * isolated M/M/c_k with rate lambda_k, so W_k = ana_mmc(...).W, and a
 * class has mean latency sum_k v_k W_k over its visits. The system mean
 * is the rate-weighted mean of the classes (Little's law, with forward
 * edges only). A station that calls others reports only its queue: its
 * visits last until the replies.
 * Processor sharing with c servers is a symmetric queue (Kelly 1979), so
 * its mean numbers are those of M/M/c whatever the service distribution.
 * A single FIFO station with one server and a general service
 * distribution is M/G/1 (Pollaczek-Khinchine); with a capacity it is
 * M/M/c/K when service is exponential.
 * Closed product form: exact MVA over the stations, the think time being
 * a delay of mean Z outside them; beside it, for comparison, Schweitzer-
 * Bard approximate MVA, and the asymptotic bounds (which hold for any
 * closed network, product form or not).
 *
 * Where there is no exact solution, an approximation is offered when one
 * is standard (ana_approx.c), and its values go to a separate list so
 * that nothing approximate reaches theory.csv or the run table:
 *   - one FIFO station, Poisson arrivals, c > 1, general service: M/G/c by
 *     Allen-Cunneen with ca^2 = 1;
 *   - one FIFO station with renewal (non-Poisson) arrivals: G/G/1 by
 *     Kingman, G/G/c by Allen-Cunneen, ca^2 = the inter-arrival SCV;
 *   - an open network whose only obstacle to product form is FIFO
 *     stations with non-exponential service: decomposition, each station
 *     alone with Poisson arrivals at its traffic-equation rate (M/M/c,
 *     M/G/1 by Pollaczek-Khinchine, M/G/c by Allen-Cunneen). Inside the
 *     network the arrivals are not Poisson, so every value is approximate.
 * Each value records the method that produced it (ana_value.method), and
 * each station the formula of every quantity (ana_method).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ana_approx.h"
#include "ana_flow.h"
#include "ana_queue.h"
#include "ana_theory.h"

/* The traffic of a scenario (ana_flow) and the workloads' total rate. */
typedef struct net {
    size_t n;
    ana_flow f;
    double total;           /* sum of the open classes' rates (1/s) */
    unsigned char *caller;  /* owned, n: the service makes calls */
} net;

static void net_free(net *m)
{
    ana_flow_destroy(&m->f);
    free(m->caller);
}

static int net_build(net *m, const mdl_scenario *s)
{
    size_t c;
    int rc = ana_flow_init(&m->f, s, NULL);

    m->n = s->topo->nservices;
    m->total = 0;
    m->caller = NULL;
    if (rc != SIM_OK)
        return rc == SIM_EPARSE ? SIM_EINVAL : rc;
    for (c = 0; c < s->nclasses; c++)
        m->total += m->f.rate[c];
    m->caller = calloc(m->n ? m->n : 1, 1);
    if (!m->caller) {
        ana_flow_destroy(&m->f);
        return SIM_ENOMEM;
    }
    for (c = 0; c < s->topo->nedges; c++)
        if (s->topo->edges[c].kind == MDL_EDGE_CALL)
            m->caller[s->topo->edges[c].from] = 1;
    return SIM_OK;
}

/* Visits per request of class c that make up its latency. */
static const double *class_visits(const net *m, size_t c)
{
    return m->f.visits + c * m->n;
}

int ana_theory_stability(const mdl_scenario *s, sim_diag *d)
{
    const mdl_topology *t = s->topo;
    ana_flow f;
    size_t k;
    int rc;

    if ((rc = ana_flow_init(&f, s, d)) != SIM_OK)
        return rc;
    for (k = 0; rc == SIM_OK && k < f.n; k++) {
        const mdl_service *v = &t->services[k];
        const mdl_service_policy *sp = s->svc_policy ? &s->svc_policy[k]
                                                     : NULL;
        long reps = ana_flow_replicas(s, k);
        double load = ana_flow_load(&f, s, k);
        double work = f.lambda[k] * (v->service.mean + v->post_service.mean)
                      / ((double)v->servers * reps);
        /* A rate limit admits at most rate per replica: the load scales
         * down with what it lets in. */
        double lim = sp && sp->rate_limit.on ? sp->rate_limit.rate * reps
                                             : INFINITY, in = f.lambda[k];
        if (lim < in) {
            load *= lim / in;
            work *= lim / in;
            in = lim;
        }
        if (v->kind == MDL_SVC_DELAY || v->capacity > 0 || load < 1.0)
            continue;   /* infinite servers or a loss system: stable */
        if (work >= 1.0)
            sim_diag_set(d, s->path, s->workload_line, 0,
                         "unstable: service '%s' has load %.4g (arrival "
                         "rate %.6g/s, capacity %.6g/s); its queue would "
                         "grow without bound", v->name, work, in,
                         in / work);
        else
            sim_diag_set(d, s->path, s->workload_line, 0,
                         "unstable: service '%s' has load at least %.4g: "
                         "it is blocking, so each of its %.6g requests/s "
                         "holds a worker through its calls as well as its "
                         "work, and %ld worker%s cannot keep up", v->name,
                         load, in, v->servers * reps,
                         v->servers * reps == 1 ? "" : "s");
        rc = SIM_EUNSTABLE;
    }
    ana_flow_destroy(&f);
    return rc;
}

/* ---- methods: what produced each number ---- */

#define LQ_LITTLE "lambda Wq (Little)"
#define L_LITTLE "lambda W (Little)"

/* How a station's arrival rate and visit ratio were found. */
typedef struct flow_how {
    const char *lambda, *visits;
} flow_how;

static const flow_how F_SINGLE = {
    "external Poisson arrival rate", "1 (the only station)"
};
static const flow_how F_RENEWAL = {
    "external arrival rate 1 / E[A]", "1 (the only station)"
};
static const flow_how F_JACKSON = {
    "traffic equations lambda = gamma + P^T lambda",
    "lambda_k / sum gamma (per request)"
};
static const flow_how F_MVA = {
    "exact MVA: lambda = X(N) v",
    "traffic equations v = e + P^T v (per cycle)"
};

/* Methods of the end-to-end values. */
static const char R_SINGLE_THR[] = "lambda (1 - p_block)";
static const char R_SINGLE_AV[] = "1 - p_block";
static const char R_OPEN_THR[] = "external Poisson rate (flow balance)";
static const char R_OPEN_AV[] = "1 (no losses: infinite capacities)";
static const char R_MVA_R[] = "exact MVA: R = N / X - Z";
static const char R_MVA_X[] = "exact MVA: X(N) = N / (Z + sum_k v_k W_k)";

static const ana_method M_MM1 = {
    "M/M/1", "rho = lambda E[S]", "rho (PASTA)", NULL,
    "rho / (mu - lambda)", "1 / (mu - lambda)", LQ_LITTLE, L_LITTLE
};
static const ana_method M_MMC = {
    "M/M/c (Erlang C)", "rho = lambda E[S] / c",
    "C(c, a), a = lambda E[S] (Erlang C)", NULL, "C / (c mu - lambda)",
    "Wq + E[S]", LQ_LITTLE, L_LITTLE
};
static const ana_method M_MMCK = {
    "M/M/c/K (birth-death chain)", "lambda (1 - p_K) E[S] / c",
    "P(n >= c | n < K)", "p_K (PASTA)",
    "Lq / (lambda (1 - p_K)) (Little)", "L / (lambda (1 - p_K)) (Little)",
    "sum_n (n - c)+ p_n", "sum_n n p_n"
};
static const ana_method M_MMCC = {
    "M/M/c/c (Erlang B)", "lambda (1 - B) E[S] / c", "0 (no queue)",
    "B(c, a), a = lambda E[S] (Erlang B)", "0 (no queue)", "E[S]", "0",
    "lambda (1 - B) E[S] (Little)"
};
static const ana_method M_PK = {
    "M/G/1 (Pollaczek-Khinchine)", "rho = lambda E[S]", "rho (PASTA)", NULL,
    "lambda E[S^2] / (2 (1 - rho))", "Wq + E[S]", LQ_LITTLE, L_LITTLE
};
static const ana_method M_MGINF = {
    "M/G/inf (delay)", "lambda E[S] (mean number busy)", "0 (no queue)",
    NULL, "0 (no queue)", "E[S]", "0", "lambda E[S] (Little)"
};
static const ana_method M_PS = {
    "M/G/c-PS (symmetric queue: means as M/M/c)", "rho = lambda E[S] / c",
    "C(c, a): all servers busy (Erlang C)", NULL,
    "C / (c mu - lambda) (as M/M/c)", "Wq + E[S]", LQ_LITTLE, L_LITTLE
};
static const ana_method M_MVA1 = {
    "exact MVA, single server", "X v E[S]",
    "X(N-1) v E[S] (arrival theorem)", NULL, "W - E[S]",
    "E[S] (1 + L(N-1)) (arrival theorem)", "L - lambda E[S]",
    "X v W (Little)"
};
static const ana_method M_MVAC = {
    "exact MVA, load-dependent c servers", "X v E[S] / c",
    "P(all c busy | N-1) (arrival theorem)", NULL, "W - E[S]",
    "E[S]/c (1 + L(N-1) + sum_{j<c-1} (c-1-j) p(j | N-1))",
    "L - lambda E[S]", "X v W (Little)"
};
static const ana_method M_MVAFREE = {
    "exact MVA, c >= N servers (never queues)", "X v E[S] / c",
    "0 (never queues)", NULL, "0 (no queue)", "E[S]", "0", "X v E[S]"
};
static const ana_method M_MVAD = {
    "exact MVA, delay", "X v E[S] (mean number busy)", "0 (no queue)", NULL,
    "0 (no queue)", "E[S]", "0", "X v E[S] (Little)"
};
static const ana_method M_AC = {
    "M/G/c, Allen-Cunneen approximation", "rho = lambda E[S] / c",
    "C(c, a) (Erlang C, approximate)", NULL,
    "C / (c mu - lambda) (ca^2 + cs^2) / 2", "Wq + E[S]", LQ_LITTLE,
    L_LITTLE
};
static const ana_method M_KING = {
    "G/G/1, Kingman approximation", "rho = lambda E[S]", "rho", NULL,
    "rho / (1 - rho) (ca^2 + cs^2) / 2 E[S]", "Wq + E[S]", LQ_LITTLE,
    L_LITTLE
};

/* The distributions theory knows, by name: each draws independent
 * times from a fixed law of known mean and SCV, which is all the
 * insensitive models (PS, delay, think times, M/G/1) need. NULL for any
 * other. */
static const char *known_dist(const mdl_dist *d)
{
    switch (d->kind) {
    case MDL_DIST_EXP:          return "exponential";
    case MDL_DIST_DET:          return "deterministic";
    case MDL_DIST_UNIFORM:      return "uniform";
    case MDL_DIST_ERLANG:       return "Erlang";
    case MDL_DIST_HYPEREXP:     return "hyperexponential";
    case MDL_DIST_LOGNORMAL:    return "lognormal";
    case MDL_DIST_PARETO:       return "Pareto";
    case MDL_DIST_GAMMA:        return "gamma";
    case MDL_DIST_WEIBULL:      return "Weibull";
    case MDL_DIST_EMPIRICAL:    return "empirical";
    }
    return NULL;
}

static const char *dist_name(const mdl_dist *d)
{
    const char *name = known_dist(d);

    return name ? name : "general";
}

/* ---- the result lists ---- */

/* Room for element n of *a, an array that only ever grows by one: it
 * doubles when n is a power of two (or 0), so that a network of 10^5
 * stations costs no 10^5 copies of a growing list. Returns 0 when out
 * of memory (*a unchanged). */
static int grow(void **a, size_t n, size_t size)
{
    void *x;

    if (n & (n - 1))
        return 1;
    x = realloc(*a, (n ? 2 * n : 1) * size);
    if (!x)
        return 0;
    *a = x;
    return 1;
}

/* Append (prefix name, metric) = value to t->v (exact) or t->approx. */
static int put(ana_theory *t, int exact, const char *prefix,
               const char *name, const char *metric, double value,
               const char *method)
{
    ana_value **list = exact ? &t->v : &t->approx;
    size_t *n = exact ? &t->n : &t->napprox;
    ana_value *v;
    size_t len = strlen(prefix) + (name ? strlen(name) : 0) + 1;

    if (!grow((void **)list, *n, sizeof *v))
        return SIM_ENOMEM;
    v = *list;
    v[*n].scope = malloc(len);
    if (!v[*n].scope)
        return SIM_ENOMEM;
    snprintf(v[*n].scope, len, "%s%s", prefix, name ? name : "");
    v[*n].metric = metric;
    v[*n].value = value;
    v[*n].method = method;
    v[*n].exact = exact;
    (*n)++;
    return SIM_OK;
}

/* Record station k for `qmesh theory` and put its metrics in the list.
 * A visit to a service that calls others (caller) lasts until the
 * replies, so its jobs and response time are not the queue's alone. */
static int put_station(ana_theory *t, int exact, const mdl_scenario *s,
                       size_t k, int caller, const ana_station *a,
                       double visits, const flow_how *flow,
                       const ana_method *how)
{
    const mdl_service *v = &s->topo->services[k];
    ana_theory_station *st;
    int delay = v->kind == MDL_SVC_DELAY, rc = SIM_OK;

    if (!grow((void **)&t->st, t->nst, sizeof *st))
        return SIM_ENOMEM;
    st = t->st;
    st[t->nst].service = k;
    st[t->nst].visits = visits;
    st[t->nst].st = *a;
    st[t->nst].flow = flow->lambda;
    st[t->nst].flow_visits = flow->visits;
    st[t->nst].how = how;
    st[t->nst].exact = exact;
    t->nst++;
    rc |= put(t, exact, "service:", v->name, "utilization", a->util,
              how->name);
    if (!caller)
        rc |= put(t, exact, "service:", v->name, "jobs_mean", a->L,
                  how->name);
    rc |= put(t, exact, "service:", v->name, "queue_mean",
              delay ? 0.0 : a->Lq, how->name);
    rc |= put(t, exact, "service:", v->name, "wait_mean",
              delay ? 0.0 : a->Wq, how->name);
    rc |= put(t, exact, "service:", v->name, "p_wait",
              delay ? 0.0 : a->p_wait, how->name);
    if (!caller)
        rc |= put(t, exact, "service:", v->name, "response_mean", a->W,
                  how->name);
    rc |= put(t, exact, "service:", v->name, "visits", visits,
              flow->visits);
    rc |= put(t, exact, "service:", v->name, "throughput", a->lambda,
              flow->lambda);
    rc |= put(t, exact, "service:", v->name, "rejected", a->p_block,
              how->name);
    return rc ? SIM_ENOMEM : SIM_OK;
}

/* The methods of latency, availability and throughput. */
static int put_requests(ana_theory *t, int exact, const char *prefix,
                        const char *name, double latency, double avail,
                        double throughput, const char *m_lat,
                        const char *m_avail, const char *m_thr)
{
    int rc = SIM_OK;

    rc |= put(t, exact, prefix, name, "latency_mean", latency, m_lat);
    rc |= put(t, exact, prefix, name, "availability", avail, m_avail);
    rc |= put(t, exact, prefix, name, "throughput", throughput, m_thr);
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
        if (put(t, 1, prefix, name, names[i], q,
                "M/M/c FIFO sojourn-time distribution") != SIM_OK)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

/* ---- which model is it? ----
 *
 * An allow-list: a scenario has an exact solution only when each of its
 * features is one that an exact model below is built of; any other gets
 * "no exact solution" naming it. What the exact models accept:
 *
 *   feature          accepted
 *   station kind     service (a queue); delay (infinite servers)
 *   replicas         1 (a delay: any, nobody waits)
 *   capacity         none; a station alone: M/M/c/K
 *   discipline       FIFO with exponential service; PS with any known
 *                    service distribution; a FIFO server alone: M/G/1
 *   distributions    the kinds of known_dist()
 *   post_service     none
 *   edges            forward; call, from a non-blocking caller or a
 *                    delay, one call per stage (count and p: visits
 *                    in sequence, any); no publish
 *   open workloads   Poisson arrivals
 *   closed workload  one, of one class; think time: any known kind
 *   call policies    none (an empty entry of `calls:`)
 *   deadline_check   off
 *
 * The switches below name every value of the model's enums and have no
 * default, so a value added to one is a compiler warning here (-Wswitch)
 * and, until it is listed, falls through to "no exact solution".
 * Replica choice (lb) matters only with several replicas, which no exact
 * model has; protocols only label edges.
 */

static int no_theory(ana_theory *t, const char *fmt, const char *a,
                     const char *b)
{
    t->applies = 0;
    snprintf(t->why, sizeof t->why, fmt, a, b);
    return SIM_OK;
}

#define UNKNOWN_DIST "has a service distribution theory does not know"

/* What v's kind alone says: a delay station (M/G/inf, insensitive) has
 * an exact form when theory knows its distribution; a queue (*queue set,
 * NULL returned) depends on the rest; any other kind has none. */
static const char *kind_obstacle(const mdl_service *v, int *queue)
{
    *queue = 0;
    switch (v->kind) {
    case MDL_SVC_DELAY:
        return known_dist(&v->service) ? NULL : UNKNOWN_DIST;
    case MDL_SVC_SERVICE:
        *queue = 1;
        return NULL;
    case MDL_SVC_BROKER:
        return "is not a plain queueing station";
    }
    return "is a kind of station theory does not know";
}

/* Why station v keeps no product form, in words that follow its name;
 * NULL when it does: a delay, or one replica without capacity, PS or
 * FIFO with exponential service. */
static const char *station_obstacle(const mdl_service *v)
{
    int queue;
    const char *why = kind_obstacle(v, &queue);

    if (!queue)
        return why;
    if (v->replicas != 1)
        return "has several replicas";
    if (v->capacity != 0)
        return "has a finite capacity";
    switch (v->discipline) {
    case MDL_DISC_PS:               /* symmetric queue: insensitive */
        return known_dist(&v->service) ? NULL : UNKNOWN_DIST;
    case MDL_DISC_FIFO:
        return v->service.kind == MDL_DIST_EXP
                   ? NULL : "is FIFO with non-exponential service";
    case MDL_DISC_PRIORITY:
        return "has a priority discipline";
    }
    return "has a discipline theory does not know";
}

/* Why a station alone has no exact formula whatever its discipline and
 * distribution (those the cases of single_station() tell), or NULL. */
static const char *single_obstacle(const mdl_service *v)
{
    int queue;
    const char *why = kind_obstacle(v, &queue);

    if (!queue)
        return why;
    if (v->replicas != 1)
        return "has several replicas, each with a queue of its own";
    if (!known_dist(&v->service))
        return UNKNOWN_DIST;
    switch (v->discipline) {
    case MDL_DISC_FIFO:
    case MDL_DISC_PS:
    case MDL_DISC_PRIORITY:
        return NULL;
    }
    return "has a discipline theory does not know";
}

/* The per-request values of a single station, exact or approximate, and
 * when quant (M/M/c FIFO) the sojourn quantiles. */
static int single_requests(ana_theory *t, int exact, const mdl_scenario *s,
                           const ana_station *a, const char *method,
                           int quant)
{
    const mdl_service *v = &s->topo->services[0];
    double mu = 1.0 / v->service.mean;
    size_t i;
    int rc = SIM_OK;

    rc |= put_requests(t, exact, "system", NULL, a->W, 1.0 - a->p_block,
                       a->lambda, method, R_SINGLE_AV, R_SINGLE_THR);
    if (quant)
        rc |= put_quantiles(t, "system", NULL, a->lambda, mu, v->servers);
    for (i = 0; i < s->nclasses; i++) {
        const mdl_class *c = &s->classes[i];
        double rate = c->share / s->workloads[c->workload].arrival.mean;
        rc |= put_requests(t, exact, "class:", c->name, a->W,
                           1.0 - a->p_block, rate * (1.0 - a->p_block),
                           method, R_SINGLE_AV, R_SINGLE_THR);
        if (quant)
            rc |= put_quantiles(t, "class:", c->name, a->lambda, mu,
                                v->servers);
    }
    return rc ? SIM_ENOMEM : SIM_OK;
}

/* M/G/c with c > 1 (Poisson arrivals, ca2 = 1) or G/G/c (one renewal
 * workload of inter-arrival SCV ca2): Kingman for c = 1, Allen-Cunneen
 * otherwise. Called after t->why says why there is no exact solution,
 * like single_station() only for one service without edges. */
static int single_approx(ana_theory *t, const mdl_scenario *s, double lambda,
                         double ca2)
{
    const mdl_service *v = &s->topo->services[0];
    const ana_method *how = v->servers == 1 ? &M_KING : &M_AC;
    const char *name = v->servers == 1 ? "Kingman" : "Allen-Cunneen";
    ana_station a;
    size_t len = strlen(t->why);
    int rc;

    if (!isfinite(v->service.scv) || !isfinite(ca2))
        return SIM_OK;   /* infinite variance: no finite approximation */
    rc = v->servers == 1
             ? ana_kingman(lambda, v->service.mean, ca2, v->service.scv, &a)
             : ana_allen_cunneen(lambda, v->service.mean, v->servers, ca2,
                                 v->service.scv, &a);
    if (rc != SIM_OK)
        return SIM_OK;
    snprintf(t->why + len, sizeof t->why - len, "; showing the %s "
             "approximation", name);
    snprintf(t->approx_model, sizeof t->approx_model,
             "%s/%s/%d, %s approximation", ca2 == 1.0 ? "M" : "G",
             v->service.kind == MDL_DIST_EXP ? "M" : "G", v->servers, name);
    rc = put_station(t, 0, s, 0, 0, &a, 1.0,   /* no edges: no calls */
                     ca2 == 1.0 ? &F_SINGLE : &F_RENEWAL, how);
    if (rc == SIM_OK)
        rc = single_requests(t, 0, s, &a, how->name, 0);
    return rc;
}

static int single_station(ana_theory *t, const mdl_scenario *s,
                          double lambda)
{
    const mdl_service *v = &s->topo->services[0];
    const ana_method *how;
    const char *why = single_obstacle(v);
    ana_station a;
    double mu = 1.0 / v->service.mean;
    int mm = v->service.kind == MDL_DIST_EXP, rc = SIM_OK, quant = 0;

    if (why) {
        return no_theory(t, "service '%s' %s: no exact formula", v->name,
                         why);
    } else if (v->kind == MDL_SVC_DELAY) {
        ana_mginf(lambda, v->service.mean, &a);
        snprintf(t->model, sizeof t->model, "M/G/inf");
        t->basis = "a delay station (infinite servers): nobody queues, and "
                   "the means hold for any service distribution";
        how = &M_MGINF;
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
        how = v->capacity == v->servers ? &M_MMCC : &M_MMCK;
        t->basis = "Poisson arrivals, exponential service and a finite "
                   "capacity: a finite birth-death chain";
    } else if (mm && v->discipline != MDL_DISC_PRIORITY) {
        if (ana_mmc(lambda, mu, v->servers, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/M/%d%s", v->servers,
                 v->discipline == MDL_DISC_PS ? "-PS" : "");
        quant = v->discipline == MDL_DISC_FIFO;
        how = v->discipline == MDL_DISC_PS ? &M_PS
              : v->servers == 1 ? &M_MM1 : &M_MMC;
        t->basis = "Poisson arrivals and exponential service: a "
                   "birth-death chain";
    } else if (v->discipline == MDL_DISC_PS) {
        if (ana_mmc(lambda, mu, v->servers, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/G/%d-PS", v->servers);
        t->basis = "processor sharing is a symmetric queue: its means are "
                   "those of M/M/c whatever the service distribution";
        how = &M_PS;
    } else if (v->servers == 1 && v->discipline == MDL_DISC_FIFO) {
        if (!isfinite(v->service.scv))
            return no_theory(t, "service '%s' has a service time of infinite "
                             "variance: the queue is stable, but "
                             "Pollaczek-Khinchine gives an infinite mean "
                             "wait%s", v->name, "");
        if (ana_mg1(lambda, v->service.mean, v->service.scv, &a) != SIM_OK)
            return no_theory(t, "service '%s' is unstable%s", v->name, "");
        snprintf(t->model, sizeof t->model, "M/G/1 (Pollaczek-Khinchine)");
        t->basis = "one FIFO server with Poisson arrivals: the "
                   "Pollaczek-Khinchine formula holds for any service "
                   "distribution of finite variance";
        how = &M_PK;
    } else if (v->discipline == MDL_DISC_FIFO) {
        char servers[32];

        snprintf(servers, sizeof servers, "%d", v->servers);
        snprintf(t->why, sizeof t->why, "service '%s' has %s service with "
                 "%s servers: no exact M/G/c formula", v->name,
                 dist_name(&v->service), servers);
        t->applies = 0;
        return single_approx(t, s, lambda, 1.0);
    } else {
        return no_theory(t, "service '%s' has a priority discipline and "
                         "%s service: no exact formula", v->name,
                         dist_name(&v->service));
    }
    t->applies = 1;
    rc |= put_station(t, 1, s, 0, 0, &a, 1.0, &F_SINGLE, how);
    rc |= single_requests(t, 1, s, &a, how->name, quant);
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

/* Station k of an open network alone at arrival rate lambda. Exact
 * (product form): M/M/c, M/G/c-PS or M/G/inf. With approx, a FIFO station
 * with general service is M/G/1 (Pollaczek-Khinchine) or M/G/c
 * (Allen-Cunneen) as if its arrivals were Poisson. */
static int open_station(const mdl_service *v, double lambda, int approx,
                        ana_station *a, const ana_method **how)
{
    double mean = v->service.mean;

    if (v->kind == MDL_SVC_DELAY) {
        *how = &M_MGINF;
        return ana_mginf(lambda, mean, a);
    }
    if (approx && v->discipline == MDL_DISC_FIFO
        && v->service.kind != MDL_DIST_EXP) {
        if (!isfinite(v->service.scv))
            return SIM_EINVAL;
        *how = v->servers == 1 ? &M_PK : &M_AC;
        return v->servers == 1
                   ? ana_mg1(lambda, mean, v->service.scv, a)
                   : ana_allen_cunneen(lambda, mean, v->servers, 1.0,
                                       v->service.scv, a);
    }
    *how = v->discipline == MDL_DISC_PS ? &M_PS
           : v->servers == 1 ? &M_MM1 : &M_MMC;
    return ana_mmc(lambda, 1.0 / mean, v->servers, a);
}

/* Open network: exact (Jackson / BCMP product form) unless approx, then
 * the decomposition approximation. */
static int open_network(ana_theory *t, const mdl_scenario *s, const net *m,
                        int approx)
{
    const mdl_topology *tp = s->topo;
    ana_station *st = calloc(m->n, sizeof *st);
    const ana_method **how = calloc(m->n, sizeof *how);
    double sys = 0;
    const char *sys_method = approx ? "mean of the classes over the "
                                      "decomposition"
                             : "sum_c gamma_c T_c / sum gamma (with forward "
                               "routing only: Little's law)";
    const char *class_method = approx ? "sum_k v_k W_k over the decomposition"
                               : "sum_k v_k W_k (product form)";
    size_t c, k;
    int rc = SIM_ENOMEM, exact = !approx;

    if (!st || !how)
        goto done;
    for (k = 0; k < m->n; k++) {
        rc = open_station(&tp->services[k], m->f.lambda[k], approx, &st[k],
                          &how[k]);
        if (rc == SIM_ENOMEM)
            goto done;
        if (rc != SIM_OK)
            goto no_solution;
    }
    rc = SIM_ENOMEM;
    if (approx) {
        size_t len = strlen(t->why);

        snprintf(t->why + len, sizeof t->why - len, "; showing a "
                 "decomposition approximation");
        snprintf(t->approx_model, sizeof t->approx_model, "open network "
                 "decomposition (%zu stations, each alone with Poisson "
                 "arrivals)", m->n);
    } else {
        t->applies = 1;
        snprintf(t->model, sizeof t->model, "open %s network (%zu stations)",
                 m->n > 1 ? "Jackson" : "product-form", m->n);
        t->basis = "Poisson arrivals, every station exponential FIFO, "
                   "processor sharing or delay, and calls only from "
                   "non-blocking services, one at a time: product form "
                   "(Jackson 1963; BCMP 1975 with class switching for "
                   "call sequences), so each station is solved alone at "
                   "its traffic-equation rate";
    }
    for (k = 0; k < m->n; k++)
        if (put_station(t, exact, s, k, m->caller[k], &st[k],
                        m->f.lambda[k] / m->total, &F_JACKSON, how[k])
            != SIM_OK)
            goto done;
    /* A class's latency is the sum of its visits' sojourns; the system's
     * the rate-weighted mean of the classes. */
    for (c = 0; c < s->nclasses; c++) {
        const double *v = class_visits(m, c);
        double lat = 0;
        for (k = 0; k < m->n; k++)
            lat += v[k] * st[k].W;
        sys += m->f.rate[c] * lat;
        if (put_requests(t, exact, "class:", s->classes[c].name, lat, 1.0,
                         m->f.rate[c], class_method, R_OPEN_AV,
                         R_OPEN_THR) != SIM_OK)
            goto done;
    }
    if (put_requests(t, exact, "system", NULL, sys / m->total, 1.0, m->total,
                     sys_method, R_OPEN_AV, R_OPEN_THR) != SIM_OK)
        goto done;
    rc = SIM_OK;
    goto done;
no_solution:
    rc = approx ? SIM_OK
                : no_theory(t, "the network has no steady state%s%s", "", "");
done:
    free(st);
    free(how);
    return rc;
}

/* Nodes of a closed network for the bounds: every worker of every replica
 * counts, whatever the discipline (the bounds need demands only). */
static void bound_nodes(const mdl_scenario *s, ana_node *nodes)
{
    size_t k;

    for (k = 0; k < s->topo->nservices; k++) {
        const mdl_service *v = &s->topo->services[k];
        nodes[k].servers = v->kind == MDL_SVC_DELAY
                               ? 0 : v->servers * v->replicas;
        nodes[k].mean = v->service.mean;
    }
}

/* Asymptotic bounds of the single closed workload; valid whether or not
 * the network has product form. Returns SIM_OK or SIM_ENOMEM. */
static int closed_bounds(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_workload *w = &s->workloads[0];
    const double *v = class_visits(m, 0);
    ana_node *nodes = calloc(m->n, sizeof *nodes);
    int rc = SIM_ENOMEM;

    if (!nodes)
        goto done;
    rc = SIM_OK;
    bound_nodes(s, nodes);
    if (ana_bounds_closed(m->n, nodes, v, w->think.mean,
                             (int)w->population, &t->bounds) == SIM_OK) {
        t->has_bounds = 1;
        t->population = w->population;
        t->think = w->think.mean;
    }
done:
    free(nodes);
    return rc;
}

static int closed_network(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_workload *w = &s->workloads[0];
    const mdl_class *cl = &s->classes[0];
    const double *v = class_visits(m, 0);
    ana_node *nodes = calloc(m->n, sizeof *nodes);
    ana_station *st = calloc(m->n, sizeof *st);
    ana_station *sw = calloc(m->n, sizeof *sw);
    double X, R, Xs, Rs;
    size_t k;
    int rc = SIM_ENOMEM;

    if (!nodes || !st || !sw)
        goto done;
    to_nodes(s, nodes);
    rc = ana_mva(m->n, nodes, v, w->think.mean, (int)w->population, st, &X,
                 &R);
    if (rc == SIM_ENOTSUP) {
        char pop[32];

        snprintf(pop, sizeof pop, "%ld", w->population);
        rc = no_theory(t, "exact MVA for %s customers of workload '%s' "
                       "would take too long", pop, w->name);
        goto done;
    }
    if (rc != SIM_OK) {
        rc = no_theory(t, "MVA found no solution for workload '%s'%s",
                       w->name, "");
        goto done;
    }
    t->applies = 1;
    snprintf(t->model, sizeof t->model, "closed product-form network, "
             "exact MVA (N = %ld, %zu stations)", w->population, m->n);
    t->basis = "one closed class, forward routing, and every station "
               "exponential FIFO, processor sharing or delay: product "
               "form, solved by exact mean value analysis (Reiser & "
               "Lavenberg 1980)";
    for (k = 0; k < m->n; k++) {
        int c = nodes[k].servers;
        const ana_method *how = c == 0 ? &M_MVAD
                                : c == 1 ? &M_MVA1
                                : c >= w->population ? &M_MVAFREE : &M_MVAC;
        if (put_station(t, 1, s, k, m->caller[k], &st[k], v[k], &F_MVA,
                        how) != SIM_OK)
            goto done;
    }
    if (put_requests(t, 1, "system", NULL, R, 1.0, X, R_MVA_R, R_OPEN_AV,
                     R_MVA_X) != SIM_OK
        || put_requests(t, 1, "class:", cl->name, R, 1.0, X, R_MVA_R,
                        R_OPEN_AV, R_MVA_X) != SIM_OK)
        goto done;
    /* For comparison only: the approximation one would use for large N. */
    if (ana_schweitzer(m->n, nodes, v, w->think.mean, (int)w->population,
                       sw, &Xs, &Rs, NULL) == SIM_OK) {
        snprintf(t->approx_model, sizeof t->approx_model,
                 "Schweitzer-Bard approximate MVA (for comparison)");
        if (put(t, 0, "system", NULL, "latency_mean", Rs,
                "Schweitzer-Bard approximate MVA") != SIM_OK
            || put(t, 0, "system", NULL, "throughput", Xs,
                   "Schweitzer-Bard approximate MVA") != SIM_OK)
            goto done;
    }
    rc = SIM_OK;
done:
    free(nodes);
    free(st);
    free(sw);
    return rc;
}

/* Every obstacle to product form is a FIFO station with general service
 * of finite variance, so the decomposition approximation applies. */
static int only_general_fifo(const mdl_topology *tp)
{
    size_t i;

    for (i = 0; i < tp->nservices; i++) {
        const mdl_service *v = &tp->services[i];
        const char *why = station_obstacle(v);
        if (why && !(v->kind == MDL_SVC_SERVICE && v->replicas == 1
                     && v->capacity == 0 && v->discipline == MDL_DISC_FIFO
                     && known_dist(&v->service)
                     && isfinite(v->service.scv)))
            return 0;
    }
    return 1;
}

/* A call edge by its service and stage, and its place in the file. */
typedef struct call_key {
    int from, stage;
    size_t idx;
} call_key;

static int cmp_call_key(const void *pa, const void *pb)
{
    const call_key *a = pa, *b = pb;

    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->stage != b->stage)
        return a->stage < b->stage ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Into *first: the first call edge, in the file's order, that another
 * call edge of its service and stage follows (the two go out in
 * parallel: fork-join), or tp->nedges when none does. Sorted by service
 * and stage, not by comparing every pair of edges: that took 6 s on a
 * chain of 10^5 calls. Returns SIM_OK or SIM_ENOMEM. */
static int first_fork(const mdl_topology *tp, size_t *first)
{
    call_key *k = malloc((tp->nedges ? tp->nedges : 1) * sizeof *k);
    size_t e, i, j, n = 0;

    if (!k)
        return SIM_ENOMEM;
    for (e = 0; e < tp->nedges; e++)
        if (tp->edges[e].kind == MDL_EDGE_CALL)
            k[n++] = (call_key){ tp->edges[e].from, tp->edges[e].stage, e };
    qsort(k, n, sizeof *k, cmp_call_key);
    *first = tp->nedges;
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && k[j].from == k[i].from
                        && k[j].stage == k[i].stage; j++)
            ;
        if (j - i > 1 && k[i].idx < *first)
            *first = k[i].idx;
    }
    free(k);
    return SIM_OK;
}

/* Calls keep product form when the caller lets go of its worker (or has
 * infinitely many), sends one call at a time and has no work after the
 * replies: a request's visits are then a sequence of independent queue
 * visits, BCMP with class switching. fork is first_fork()'s edge. Sets
 * t->why and returns 1 when not. */
static int calls_obstacle(ana_theory *t, const mdl_scenario *s, size_t fork)
{
    const mdl_topology *tp = s->topo;
    size_t e, i;

    /* Call policies: none is part of an exact model. A policy entry
     * that sets nothing ("a->b": {}) changes nothing. */
    for (i = 0; i < s->ncalls; i++) {
        if (s->calls[i].timeout > 0 || s->calls[i].deadline > 0)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "has a timeout or a deadline: callers give "
                              "up, which no exact model here includes");
        if (s->calls[i].retry.attempts > 1)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "retries, which no exact model here "
                              "includes");
        if (s->calls[i].breaker.on)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "has a circuit breaker, which no exact model "
                              "here includes");
        if (s->calls[i].hedge.attempts)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "hedges, which no exact model here "
                              "includes");
        if (s->calls[i].bulkhead.on)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "has a bulkhead, which no exact model here "
                              "includes");
        if (s->calls[i].fallback)
            return !no_theory(t, "calls '%s' %s", s->calls[i].key,
                              "falls back, which no exact model here "
                              "includes");
    }
    for (i = 0; s->svc_policy && i < tp->nservices; i++) {
        if (s->svc_policy[i].rate_limit.on)
            return !no_theory(t, "service '%s' %s", tp->services[i].name,
                              "has a rate limit, which no exact model "
                              "here includes");
        if (s->svc_policy[i].outlier.on)
            return !no_theory(t, "service '%s' %s", tp->services[i].name,
                              "has outlier detection, which no exact model "
                              "here includes");
        if (s->svc_policy[i].autoscale.on)
            return !no_theory(t, "service '%s' %s", tp->services[i].name,
                              "autoscales, which no exact model here "
                              "includes");
    }
    if (s->nfailures > 0)
        return !no_theory(t, "the scenario injects failures%s%s", "",
                          " (failures:), which no exact model here "
                          "includes");
    for (i = 0; i < tp->nservices; i++)
        if (tp->services[i].deadline_check)
            return !no_theory(t, "service '%s' %s", tp->services[i].name,
                              "checks deadlines, which no exact model "
                              "here includes");
    for (i = 0; i < tp->nservices; i++)
        if (!(tp->services[i].post_service.mean == 0))
            return !no_theory(t, "service '%s' has post_service work after "
                              "its calls, %s", tp->services[i].name,
                              "which breaks product form");
    for (e = 0; e < tp->nedges; e++) {
        const mdl_edge *ed = &tp->edges[e];
        const mdl_service *v = &tp->services[ed->from];
        int known = 0;

        switch (ed->kind) {
        case MDL_EDGE_FORWARD:
            continue;
        case MDL_EDGE_PUBLISH:
            return !no_theory(t, "service '%s' publishes events: a "
                              "request forks into simultaneous arrivals, "
                              "%s", v->name, "which breaks product form");
        case MDL_EDGE_CALL:
            known = 1;
            break;
        }
        if (!known)
            return !no_theory(t, "service '%s' has an edge of a kind theory "
                              "does not know%s", v->name, "");
        if (v->blocking && v->kind != MDL_SVC_DELAY)
            return !no_theory(t, "service '%s' is blocking: it holds a "
                              "worker while its calls are outstanding, %s",
                              v->name, "which breaks product form");
        if (e == fork)
            return !no_theory(t, "service '%s' calls in parallel (fork-"
                              "join), so latency is no sum of sojourns%s",
                              v->name, "");
    }
    return 0;
}

static int solve(ana_theory *t, const mdl_scenario *s, const net *m)
{
    const mdl_topology *tp = s->topo;
    size_t i, nclosed = 0, fork;
    double lambda = 0;

    if (first_fork(tp, &fork) != SIM_OK)
        return SIM_ENOMEM;
    if (calls_obstacle(t, s, fork))
        return SIM_OK;
    for (i = 0; i < s->nworkloads; i++) {
        const mdl_workload *w = &s->workloads[i];
        if (w->closed && !known_dist(&w->think))
            return no_theory(t, "workload '%s' has a think time "
                             "distribution theory does not know%s",
                             w->name, "");
        if (w->closed)
            nclosed++;
        else if (w->arrival.kind != MDL_DIST_EXP) {
            const mdl_service *v = &tp->services[0];

            no_theory(t, "workload '%s' has non-Poisson arrivals (%s "
                      "inter-arrival times): no exact formula", w->name,
                      dist_name(&w->arrival));
            /* One renewal stream into one FIFO station: G/G/c. */
            if (s->nworkloads == 1 && tp->nservices == 1
                && tp->nedges == 0 && v->kind == MDL_SVC_SERVICE
                && v->replicas == 1 && v->capacity == 0
                && v->discipline == MDL_DISC_FIFO)
                return single_approx(t, s, 1.0 / w->arrival.mean,
                                     w->arrival.scv);
            return SIM_OK;
        } else
            lambda += 1.0 / w->arrival.mean;
    }
    if (nclosed > 0 && (nclosed > 1 || s->nclasses > 1))
        return no_theory(t, "%s: exact MVA here is single-class%s",
                         "several request classes with a closed one", "");
    if (nclosed && closed_bounds(t, s, m) != SIM_OK)
        return SIM_ENOMEM;
    if (nclosed == 0 && tp->nservices == 1 && tp->nedges == 0)
        return single_station(t, s, lambda);
    for (i = 0; i < tp->nservices; i++) {
        const char *why = station_obstacle(&tp->services[i]);
        if (why) {
            const mdl_service *v = &tp->services[i];

            if (v->kind == MDL_SVC_SERVICE && v->replicas == 1
                && v->capacity == 0 && v->discipline == MDL_DISC_FIFO
                && v->service.kind != MDL_DIST_EXP) {
                t->applies = 0;
                snprintf(t->why, sizeof t->why, "service '%s' is FIFO "
                         "with %s service on %d server%s, which breaks "
                         "product form", v->name, dist_name(&v->service),
                         v->servers, v->servers == 1 ? "" : "s");
            } else {
                no_theory(t, "service '%s' %s, which breaks product form",
                          v->name, why);
            }
            if (!nclosed && only_general_fifo(tp))
                return open_network(t, s, m, 1);
            return SIM_OK;
        }
    }
    return nclosed ? closed_network(t, s, m) : open_network(t, s, m, 0);
}

/* ---- the object ---- */

static void values_free(ana_value *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i].scope);
    free(v);
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
    } else if (rc == SIM_EINVAL) {
        rc = no_theory(t, "some requests can never leave%s%s", "", "");
    }
    if (rc != SIM_OK) {
        ana_theory_free(t);
        return rc;
    }
    if (!t->applies) {      /* partial exact values are not an answer */
        size_t i, j = 0;

        values_free(t->v, t->n);
        t->v = NULL;
        t->n = 0;
        for (i = 0; i < t->nst; i++)
            if (!t->st[i].exact)
                t->st[j++] = t->st[i];
        t->nst = j;
    }
    *out = t;
    return SIM_OK;
}

void ana_theory_free(ana_theory *t)
{
    if (!t)
        return;
    values_free(t->v, t->n);
    values_free(t->approx, t->napprox);
    free(t->st);
    free(t);
}

static double lookup(const ana_value *v, size_t n, const char *scope,
                     const char *metric)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(v[i].scope, scope) && !strcmp(v[i].metric, metric))
            return v[i].value;
    return NAN;
}

double ana_theory_get(const ana_theory *t, const char *scope,
                      const char *metric)
{
    return t ? lookup(t->v, t->n, scope, metric) : NAN;
}

double ana_theory_get_approx(const ana_theory *t, const char *scope,
                             const char *metric)
{
    return t ? lookup(t->approx, t->napprox, scope, metric) : NAN;
}
