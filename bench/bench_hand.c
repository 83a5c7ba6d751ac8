/*
 * bench_hand.c - the yardstick of bench_net: the benchmark models written
 * by hand as one C loop each, the way one would write a simulator of that
 * one model alone.
 *
 *   bench_hand [-1] mm1|jackson SCENARIO CUSTOMERS
 *
 * mm1      one FIFO server: two event times (next arrival, next
 *          departure), a count and a ring of the arrival times of the
 *          customers present.
 * jackson  an open network of FIFO multi-server stations: a binary heap
 *          of pending events (time, kind, station, customer), per
 *          station c servers and a ring of waiting customers, routing by
 *          the edge probabilities (the rest leaves the network), picked
 *          as qmesh picks them (a scan, a binary search above 8 edges).
 *
 * The model comes from the same files qmesh reads, so that nothing is
 * copied by hand: the scenario's `topology:` line names the GML file,
 * read with igraph (each node's `servers`, default 1, and service
 * "exp(mean=T)"; each edge's `p`, of kind "forward"), and each workload
 * line `{ name: N, entry: S, arrival: "poisson(rate=R/s)" }` gives an
 * entry and its rate. The bench scenarios are written that way; anything
 * else is refused.
 *
 * Statistics are those qmesh gathers for these models, counted from time
 * 0 (bench_net runs without warm-up too): per station the time-average
 * number present, the busy servers (utilization) and the mean response
 * time; end to end the mean latency of each class and of the system and
 * a latency histogram of each (one, the system's, for M/M/1), qmesh's
 * own (sim/sim_stat.h: 128 log-spaced bins per power of two). Random numbers
 * are GSL's taus2, the generator of qmesh's streams (sim/sim_rng.c), and
 * exponentials are drawn as qmesh draws them (sim_ran_exp(), the
 * ziggurat of sim/sim_variate.h), so that the loop and qmesh differ only
 * in what the simulator adds; one generator serves the whole model.
 *
 * Events are counted as qmesh counts them (sim_cal_fired()): one per
 * arrival from outside and one per service completion; a customer routed
 * to its next station arrives there at once, without an event of its
 * own, as in qmesh.
 *
 * The run lasts CUSTOMERS / (total arrival rate) simulated seconds, as
 * bench_net's does, for NTRIALS trials, trial t seeded with t + 1. Only
 * the loop is timed (CLOCK_MONOTONIC, and the process's CPU time). It
 * prints the median wall time and events/s, the mean latency with a 95%
 * confidence interval over the trials, to be read beside `qmesh theory
 * SCENARIO`, and each station's utilization, L and W. With -1 it prints
 * one line:
 *
 *   hand MODEL M_EVENTS_PER_S WALL_S EVENTS CUSTOMERS LAT_MEAN_S
 *        LAT_CI_HALF_S LAT_P99_S M_EVENTS_PER_CPU_S
 *
 * (medians of events/s and wall time, EVENTS and CUSTOMERS of the trial
 * of median wall time, means over the trials for the latencies, and the
 * median of events per second of the process's CPU time,
 * CLOCK_PROCESS_CPUTIME_ID, as bench_net -1 prints them).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <igraph.h>
#include "../sim/sim_stat.h"
#include "../sim/sim_variate.h"
#include "bench_util.h"

#define NTRIALS 5
#define MAXLINE 1024

/* ---- the model, as read from the files ---- */

typedef struct route {
    double cum;                 /* cumulative probability up to this edge */
    int to;
} route;

typedef struct station_def {
    char name[64];
    int servers;
    double mean;                /* mean service time (s) */
    route *routes;
    int nroutes;
} station_def;

typedef struct source_def {
    char name[64];
    char entry_name[64];
    int entry;
    double rate;                /* Poisson arrivals (1/s) */
} source_def;

typedef struct model {
    station_def *st;
    int nst;
    source_def *src;
    int nsrc;
    double rate;                /* sum of the sources' rates (1/s) */
} model;

static void model_free(model *m)
{
    int i;

    for (i = 0; i < m->nst; i++)
        free(m->st[i].routes);
    free(m->st);
    free(m->src);
}

/* Print a message and return -1. */
static int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("bench_hand: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

/* "26.8ms" and the like into seconds; -1 when not a time. */
static double parse_time(const char *s)
{
    char *end;
    double x = strtod(s, &end);

    if (end == s || !(x > 0))
        return -1;
    if (strncmp(end, "ms)", 3) == 0)
        return x * 1e-3;
    if (strncmp(end, "us)", 3) == 0)
        return x * 1e-6;
    if (strncmp(end, "s)", 2) == 0)
        return x;
    return -1;
}

/* Copy the word after key (up to , } space or quote) into out. */
static int word_after(const char *line, const char *key, char *out,
                      size_t size)
{
    const char *p = strstr(line, key);
    size_t n = 0;

    if (!p)
        return -1;
    p += strlen(key);
    while (*p == ' ')
        p++;
    while (p[n] && !strchr(",} \"\n\r#", p[n]))
        n++;
    if (n == 0 || n >= size)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static int find_station(const model *m, const char *name)
{
    int i;

    for (i = 0; i < m->nst; i++)
        if (strcmp(m->st[i].name, name) == 0)
            return i;
    return -1;
}

static int read_gml(model *m, const char *path)
{
    igraph_t g;
    FILE *f = fopen(path, "r");
    igraph_integer_t i, e;
    int rc = -1;

    if (!f)
        return fail("cannot open '%s': %s", path, strerror(errno));
    if (igraph_read_graph_gml(&g, f) != IGRAPH_SUCCESS) {
        fclose(f);
        return fail("'%s': not a GML graph igraph reads", path);
    }
    fclose(f);
    if (!igraph_cattribute_has_attr(&g, IGRAPH_ATTRIBUTE_VERTEX, "label")
        || !igraph_cattribute_has_attr(&g, IGRAPH_ATTRIBUTE_VERTEX,
                                       "service")
        || (igraph_ecount(&g)
            && (!igraph_cattribute_has_attr(&g, IGRAPH_ATTRIBUTE_EDGE, "p")
                || !igraph_cattribute_has_attr(&g, IGRAPH_ATTRIBUTE_EDGE,
                                               "kind")))) {
        fail("'%s': nodes need a label and a service, edges a kind and "
             "a p", path);
        goto done;
    }
    m->nst = (int)igraph_vcount(&g);
    m->st = calloc((size_t)m->nst, sizeof *m->st);
    if (!m->st)
        goto done;
    for (e = 0; e < igraph_ecount(&g); e++)     /* out-degrees first */
        m->st[IGRAPH_FROM(&g, e)].nroutes++;
    for (i = 0; i < m->nst; i++) {
        station_def *s = &m->st[i];
        const char *svc = VAS(&g, "service", i);
        double c = igraph_cattribute_has_attr(&g, IGRAPH_ATTRIBUTE_VERTEX,
                                              "servers")
                   ? VAN(&g, "servers", i) : 1;

        snprintf(s->name, sizeof s->name, "%s", VAS(&g, "label", i));
        s->servers = isnan(c) ? 1 : (int)c;
        if (strncmp(svc, "exp(mean=", 9) != 0
            || (s->mean = parse_time(svc + 9)) < 0 || s->servers < 1) {
            fail("'%s': station '%s' is not exp(mean=T) on servers >= 1",
                 path, s->name);
            goto done;
        }
        s->routes = calloc((size_t)s->nroutes + 1, sizeof *s->routes);
        if (!s->routes)
            goto done;
        s->nroutes = 0;
    }
    for (e = 0; e < igraph_ecount(&g); e++) {
        station_def *s = &m->st[IGRAPH_FROM(&g, e)];
        double p = EAN(&g, "p", e);

        if (strcmp(EAS(&g, "kind", e), "forward") != 0 || !(p > 0)) {
            fail("'%s': edge from '%s' is not a forward edge with p > 0",
                 path, s->name);
            goto done;
        }
        s->routes[s->nroutes].cum =
            (s->nroutes ? s->routes[s->nroutes - 1].cum : 0) + p;
        s->routes[s->nroutes++].to = (int)IGRAPH_TO(&g, e);
    }
    for (i = 0; i < m->nst; i++)
        if (m->st[i].nroutes && m->st[i].routes[m->st[i].nroutes - 1].cum
            > 1 + 1e-9) {
            fail("'%s': the p of station '%s' sum above 1", path,
                 m->st[i].name);
            goto done;
        }
    rc = 0;
done:
    igraph_destroy(&g);
    return rc;
}

/* The topology line and the workload lines of the scenario; then the
 * topology, and each workload's entry by name. */
static int read_model(model *m, const char *path)
{
    char line[MAXLINE], topo[512] = "", gml[1024];
    FILE *f = fopen(path, "r");
    const char *slash = strrchr(path, '/');
    int i, cap = 8;

    memset(m, 0, sizeof *m);
    if (!f)
        return fail("cannot open '%s': %s", path, strerror(errno));
    if (!(m->src = malloc((size_t)cap * sizeof *m->src))) {
        fclose(f);
        return fail("out of memory");
    }
    while (fgets(line, sizeof line, f)) {
        source_def *w;
        const char *r = strstr(line, "arrival: \"poisson(rate=");

        if (line[0] == '#')
            continue;
        if (strncmp(line, "topology:", 9) == 0
            && word_after(line, "topology:", topo, sizeof topo) < 0)
            break;
        if (!strstr(line, "entry:"))
            continue;
        if (m->nsrc == cap) {
            source_def *x = realloc(m->src, (size_t)(cap *= 2) * sizeof *x);

            if (!x) {
                fclose(f);
                return fail("out of memory");
            }
            m->src = x;
        }
        w = &m->src[m->nsrc++];
        if (word_after(line, "name:", w->name, sizeof w->name) < 0
            || word_after(line, "entry:", w->entry_name,
                          sizeof w->entry_name) < 0
            || !r || sscanf(r + 23, "%lf", &w->rate) != 1
            || !(w->rate > 0) || !strstr(r, "/s)\"")) {
            line[strcspn(line, "\n")] = '\0';
            fclose(f);
            return fail("'%s': a workload not of the form { name: N, "
                        "entry: S, arrival: \"poisson(rate=R/s)\" }: %s",
                        path, line);
        }
        m->rate += w->rate;
    }
    fclose(f);
    if (!topo[0] || m->nsrc == 0)
        return fail("'%s': no topology line or no workload", path);
    if (topo[0] == '/' || !slash)
        snprintf(gml, sizeof gml, "%s", topo);
    else
        snprintf(gml, sizeof gml, "%.*s/%s", (int)(slash - path), path,
                 topo);
    if (read_gml(m, gml) < 0)
        return -1;
    for (i = 0; i < m->nsrc; i++)
        if ((m->src[i].entry = find_station(m, m->src[i].entry_name)) < 0)
            return fail("no station '%s' in '%s'", m->src[i].entry_name,
                        gml);
    return 0;
}

/* ---- statistics ---- */

/* Per station, from time 0 to the end of the run. */
typedef struct station_stat {
    double area_n, area_busy;   /* integrals of present and busy (s) */
    double resp_sum;            /* sum of response times (s) */
    uint64_t done;
} station_stat;

/* What one trial measured. */
typedef struct trial {
    double wall;                /* s */
    double cpu;                 /* s of this process's CPU time */
    uint64_t events, customers;
    double lat_mean, lat_p99;   /* system, s */
} trial;

/* ---- M/M/1: two event times and a ring of arrival times ---- */

static void run_mm1(const model *m, gsl_rng *r, double T, station_stat *ss,
                    uint64_t *hist, trial *out)
{
    double mean_ia = 1.0 / m->src[0].rate, mean_s = m->st[0].mean;
    double t_arr = mean_ia * sim_ran_exp(r), t_dep = INFINITY;
    double now, last = 0, lat_sum = 0;
    size_t cap = 1024, head = 0, n = 0;
    double *q = malloc(cap * sizeof *q);
    uint64_t events = 0;

    if (!q) {
        fputs("bench_hand: out of memory\n", stderr);
        exit(1);
    }
    for (;;) {
        if (t_arr <= t_dep) {
            if ((now = t_arr) > T)
                break;
            ss->area_n += (double)n * (now - last);
            ss->area_busy += (n > 0) * (now - last);
            last = now;
            if (n == cap) {         /* grow the ring, unwrapping it */
                double *x = malloc(2 * cap * sizeof *x);
                size_t k;

                if (!x) {
                    fputs("bench_hand: out of memory\n", stderr);
                    exit(1);
                }
                for (k = 0; k < n; k++)
                    x[k] = q[(head + k) & (cap - 1)];
                free(q);
                q = x;
                head = 0;
                cap *= 2;
            }
            q[(head + n++) & (cap - 1)] = now;
            if (n == 1)
                t_dep = now + mean_s * sim_ran_exp(r);
            t_arr = now + mean_ia * sim_ran_exp(r);
        } else {
            double lat;

            if ((now = t_dep) > T)
                break;
            ss->area_n += (double)n * (now - last);
            ss->area_busy += now - last;
            last = now;
            lat = now - q[head];
            head = (head + 1) & (cap - 1);
            n--;
            lat_sum += lat;
            hist[sim_hist_bin(lat)]++;
            ss->done++;
            t_dep = n ? now + mean_s * sim_ran_exp(r) : INFINITY;
        }
        events++;
    }
    ss->area_n += (double)n * (T - last);
    ss->area_busy += (n > 0) * (T - last);
    ss->resp_sum = lat_sum;
    free(q);
    out->events = events;
    out->customers = ss->done;
    out->lat_mean = lat_sum / (double)ss->done;
    out->lat_p99 = sim_hist_quantile_counts(hist, ss->done, 0.99);
}

/* ---- Jackson network: a heap of events, a ring per station ---- */

enum { EV_ARRIVAL, EV_DONE };

typedef struct event {
    double t;                   /* when it fires (s) */
    double t_entry, t_arr;      /* the customer's entry, and its arrival
                                   at the station (s) */
    int32_t st;                 /* station */
    int16_t cls, kind;          /* source (class), EV_* */
} event;

typedef struct waiting {
    double t_entry, t_arr;
    int cls;
} waiting;

typedef struct station {
    int c, n;                   /* servers, customers present */
    double mean, last;          /* mean service (s), last change (s) */
    waiting *q;                 /* ring of those waiting: capacity a
                                   power of two */
    size_t head, nq, cap;
    const route *routes;
    int nroutes;
    station_stat *ss;
} station;

typedef struct heap {
    event *e;
    size_t n, cap;
} heap;

static void *xrealloc(void *p, size_t size)
{
    void *x = realloc(p, size);

    if (!x) {
        fputs("bench_hand: out of memory\n", stderr);
        exit(1);
    }
    return x;
}

static void heap_push(heap *h, event e)
{
    size_t i = h->n++;

    if (h->n > h->cap)
        h->e = xrealloc(h->e, (h->cap *= 2) * sizeof *h->e);
    while (i > 0 && h->e[(i - 1) / 2].t > e.t) {
        h->e[i] = h->e[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->e[i] = e;
}

static event heap_pop(heap *h)
{
    event top = h->e[0], last = h->e[--h->n];
    size_t i = 0, k;

    while ((k = 2 * i + 1) < h->n) {
        if (k + 1 < h->n && h->e[k + 1].t < h->e[k].t)
            k++;
        if (h->e[k].t >= last.t)
            break;
        h->e[i] = h->e[k];
        i = k;
    }
    h->e[i] = last;
    return top;
}

/* The first route whose cumulative probability exceeds u, or nroutes
 * (the customer leaves): a scan, or a binary search above 8 routes, as
 * qmesh picks (models/mdl_plan.h). */
static inline int pick_route(const route *rt, int n, double u)
{
    int lo = 0, hi = n, k;

    if (n <= 8) {
        for (k = 0; k < n && u >= rt[k].cum; k++)
            ;
        return k;
    }
    while (lo < hi) {
        k = lo + (hi - lo) / 2;
        if (u >= rt[k].cum)
            lo = k + 1;
        else
            hi = k;
    }
    return lo;
}

static inline void account(station *s, double now)
{
    double dt = now - s->last;

    s->ss->area_n += s->n * dt;
    s->ss->area_busy += (s->n < s->c ? s->n : s->c) * dt;
    s->last = now;
}

/* A customer arrives at station s: into service or into the ring. */
static inline void arrive(heap *h, station *st, int s, gsl_rng *r,
                          double now, double t_entry, int cls)
{
    station *x = &st[s];

    account(x, now);
    if (++x->n <= x->c) {
        event e = { now + x->mean * sim_ran_exp(r), t_entry, now,
                    s, (int16_t)cls, EV_DONE };

        heap_push(h, e);
        return;
    }
    if (x->nq == x->cap) {
        waiting *q = xrealloc(NULL, 2 * x->cap * sizeof *q);
        size_t k;

        for (k = 0; k < x->nq; k++)
            q[k] = x->q[(x->head + k) & (x->cap - 1)];
        free(x->q);
        x->q = q;
        x->head = 0;
        x->cap *= 2;
    }
    x->q[(x->head + x->nq++) & (x->cap - 1)] =
        (waiting){ t_entry, now, cls };
}

static void run_jackson(const model *m, gsl_rng *r, double T,
                        station_stat *ss, uint64_t *hist, trial *out)
{
    station *st = xrealloc(NULL, (size_t)m->nst * sizeof *st);
    double *lat_sum = calloc((size_t)m->nsrc, sizeof *lat_sum);
    uint64_t *done = calloc((size_t)m->nsrc, sizeof *done);
    uint64_t *sys_hist = hist + (size_t)m->nsrc * SIM_HIST_BINS;
    heap h = { xrealloc(NULL, 64 * sizeof(event)), 0, 64 };
    uint64_t events = 0, ncust = 0;
    double sum = 0;
    int i;

    if (!lat_sum || !done) {
        fputs("bench_hand: out of memory\n", stderr);
        exit(1);
    }
    for (i = 0; i < m->nst; i++) {
        st[i] = (station){ m->st[i].servers, 0, m->st[i].mean, 0, NULL,
                           0, 0, 16, m->st[i].routes, m->st[i].nroutes,
                           &ss[i] };
        st[i].q = xrealloc(NULL, st[i].cap * sizeof *st[i].q);
    }
    for (i = 0; i < m->nsrc; i++) {
        event e = { (1.0 / m->src[i].rate) * sim_ran_exp(r), 0, 0,
                    m->src[i].entry, (int16_t)i, EV_ARRIVAL };

        heap_push(&h, e);
    }
    for (;;) {
        event e = heap_pop(&h);
        double now = e.t;

        if (now > T)
            break;
        events++;
        if (e.kind == EV_ARRIVAL) {
            event next = e;

            next.t = now + (1.0 / m->src[e.cls].rate) * sim_ran_exp(r);
            heap_push(&h, next);
            arrive(&h, st, e.st, r, now, now, e.cls);
        } else {
            station *x = &st[e.st];
            double u;
            int k;

            account(x, now);
            x->n--;
            x->ss->resp_sum += now - e.t_arr;
            x->ss->done++;
            if (x->nq) {                /* the next one waiting starts */
                waiting w = x->q[x->head];
                event d = { now + x->mean * sim_ran_exp(r),
                            w.t_entry, w.t_arr, e.st, (int16_t)w.cls,
                            EV_DONE };

                x->head = (x->head + 1) & (x->cap - 1);
                x->nq--;
                heap_push(&h, d);
            }
            u = gsl_rng_uniform(r);
            k = pick_route(x->routes, x->nroutes, u);
            if (k < x->nroutes) {
                arrive(&h, st, x->routes[k].to, r, now, e.t_entry, e.cls);
            } else {                    /* leaves the network */
                double lat = now - e.t_entry;
                size_t b = sim_hist_bin(lat);

                lat_sum[e.cls] += lat;
                done[e.cls]++;
                hist[(size_t)e.cls * SIM_HIST_BINS + b]++;
                sys_hist[b]++;
            }
        }
    }
    for (i = 0; i < m->nst; i++) {
        account(&st[i], T);
        free(st[i].q);
    }
    for (i = 0; i < m->nsrc; i++) {
        sum += lat_sum[i];
        ncust += done[i];
    }
    out->events = events;
    out->customers = ncust;
    out->lat_mean = sum / (double)ncust;
    out->lat_p99 = sim_hist_quantile_counts(sys_hist, ncust, 0.99);
    free(h.e);
    free(st);
    free(lat_sum);
    free(done);
}

/* ---- driver ---- */

static int usage(void)
{
    fputs("usage: bench_hand [-1] mm1|jackson SCENARIO CUSTOMERS\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    model m;
    trial t[NTRIALS];
    station_stat *ss, *sum_ss;
    uint64_t *hist;
    double customers, T, mev[NTRIALS], wall[NTRIALS], mev_cpu[NTRIALS];
    double lat = 0, var = 0;
    double p99 = 0, half;
    size_t nhist;
    int terse = 0, jackson, i, k, med = 0;
    char *end;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_set_attribute_table(&igraph_cattribute_table);
    if (argc > 1 && strcmp(argv[1], "-1") == 0) {
        terse = 1;
        argv++;
        argc--;
    }
    if (argc != 4 || (strcmp(argv[1], "mm1") && strcmp(argv[1], "jackson")))
        return usage();
    jackson = strcmp(argv[1], "jackson") == 0;
    customers = strtod(argv[3], &end);
    if (end == argv[3] || *end || !(customers >= 10))
        return usage();
    if (read_model(&m, argv[2]) < 0)
        return 2;
    if (!jackson && (m.nst != 1 || m.nsrc != 1 || m.st[0].servers != 1
                     || m.st[0].nroutes)) {
        fprintf(stderr, "bench_hand: '%s' is not one server with one "
                "workload: run it as jackson\n", argv[2]);
        return 2;
    }
    T = customers / m.rate;
    nhist = jackson ? (size_t)m.nsrc + 1 : 1;
    ss = malloc((size_t)m.nst * sizeof *ss);
    sum_ss = calloc((size_t)m.nst, sizeof *sum_ss);
    hist = malloc(nhist * SIM_HIST_BINS * sizeof *hist);
    if (!ss || !sum_ss || !hist) {
        fputs("bench_hand: out of memory\n", stderr);
        return 1;
    }
    for (i = 0; i < NTRIALS; i++) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
        double t0, c0;

        if (!r) {
            fputs("bench_hand: out of memory\n", stderr);
            return 1;
        }
        gsl_rng_set(r, (unsigned long)i + 1);
        memset(ss, 0, (size_t)m.nst * sizeof *ss);
        memset(hist, 0, nhist * SIM_HIST_BINS * sizeof *hist);
        t0 = bench_seconds(CLOCK_MONOTONIC);
        c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
        if (jackson)
            run_jackson(&m, r, T, ss, hist, &t[i]);
        else
            run_mm1(&m, r, T, ss, hist, &t[i]);
        t[i].cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
        t[i].wall = bench_seconds(CLOCK_MONOTONIC) - t0;
        gsl_rng_free(r);
        for (k = 0; k < m.nst; k++) {
            sum_ss[k].area_n += ss[k].area_n;
            sum_ss[k].area_busy += ss[k].area_busy;
            sum_ss[k].resp_sum += ss[k].resp_sum;
            sum_ss[k].done += ss[k].done;
        }
        mev[i] = (double)t[i].events / t[i].wall / 1e6;
        mev_cpu[i] = (double)t[i].events / t[i].cpu / 1e6;
        wall[i] = t[i].wall;
        lat += t[i].lat_mean / NTRIALS;
        p99 += t[i].lat_p99 / NTRIALS;
    }
    for (i = 0; i < NTRIALS; i++)
        var += (t[i].lat_mean - lat) * (t[i].lat_mean - lat)
               / (NTRIALS - 1);
    /* 95% interval of the mean latency over the independent trials:
     * mean +- t(0.975, n - 1) s / sqrt(n) */
    half = gsl_cdf_tdist_Pinv(0.975, NTRIALS - 1) * sqrt(var / NTRIALS);
    bench_median(mev, NTRIALS);      /* each sorted: [NTRIALS / 2] */
    bench_median(mev_cpu, NTRIALS);
    bench_median(wall, NTRIALS);
    for (i = 0; i < NTRIALS; i++)       /* the trial of the median wall */
        if (t[i].wall == wall[NTRIALS / 2])
            med = i;
    if (terse) {
        printf("hand %s %.3f %.4f %llu %llu %.6g %.3g %.6g %.3f\n",
               argv[1], mev[NTRIALS / 2], wall[NTRIALS / 2],
               (unsigned long long)t[med].events,
               (unsigned long long)t[med].customers, lat, half, p99,
               mev_cpu[NTRIALS / 2]);
    } else {
        printf("model          %s by hand (%s), %d stations, %d sources\n",
               argv[1], argv[2], m.nst, m.nsrc);
        printf("customers      %.0f requested: duration %.6g s at %.6g "
               "req/s\n", customers, T, m.rate);
        for (i = 0; i < NTRIALS; i++)
            printf("  trial %d      %llu customers, %llu events, %.3f s, "
                   "%.2f M events/s\n", i,
                   (unsigned long long)t[i].customers,
                   (unsigned long long)t[i].events, t[i].wall,
                   (double)t[i].events / t[i].wall / 1e6);
        printf("wall (median)  %.3f s\n", wall[NTRIALS / 2]);
        printf("M events/s     %.2f (median)\n", mev[NTRIALS / 2]);
        printf("  per CPU s    %.2f (median)\n", mev_cpu[NTRIALS / 2]);
        printf("latency mean   %.6g s +- %.2g (95%%, %d trials); compare "
               "`qmesh theory %s`\n", lat, half, NTRIALS, argv[2]);
        printf("latency p99    %.6g s (mean of the trials)\n", p99);
        printf("%-12s %10s %10s %12s\n", "station", "util.", "L",
               "W (s)");
        for (k = 0; k < m.nst; k++)
            printf("%-12s %10.4g %10.4g %12.6g\n", m.st[k].name,
                   sum_ss[k].area_busy / (NTRIALS * T * m.st[k].servers),
                   sum_ss[k].area_n / (NTRIALS * T),
                   sum_ss[k].resp_sum / (double)sum_ss[k].done);
    }
    free(ss);
    free(sum_ss);
    free(hist);
    model_free(&m);
    return 0;
}
