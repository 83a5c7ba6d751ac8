/*
 * ana_gen.c - write a generated graph and its scenario (ana_gen.h).
 *
 * The topology: one GML node per service ("s0", "s1"... in the
 * generator's order), with its workers, `blocking` and a lognormal work
 * of a whole number of microseconds; one edge per call, with p and
 * stage where they are not 1 and 0. When the graph has more than one
 * entry service, a delay station 'ingress' (no work, det(0)) hands each
 * request to one of them with equal probability (forward edges): one
 * workload then reaches every entry service, and the traffic equations
 * keep one request class (a class per entry service would cost
 * ana_flow classes x services memory).
 *
 * The rate: the scenario is first written with rate 1/s to a temporary
 * file beside the final one and loaded as `qmesh run` loads it; the load
 * of every queueing station is then proportional to the rate, so
 *   rate = load / rho(1),
 * rho(1) the bottleneck's utilization at rate 1 (ana_run_bottleneck(),
 * the bound `qmesh check` and `qmesh run --load` use). The rate is
 * printed with 9 significant digits, so that a last-bit difference in
 * the sums does not change the file.
 *
 * The run: duration = requests / rate (so about `requests` requests per
 * replication), warm-up a tenth of it, and time-series windows few
 * enough that windows x services stays near 10^5 (100 windows up to
 * 1,000 services, 1 from 100,000). requests = auto makes a replication
 * about VISITS_AUTO visits (V visits per request, from the same traffic
 * equations): VISITS_AUTO / V requests, from 100 to 10,000; a visit
 * costs a few microseconds, so a replication takes about a second. A
 * request must have time to finish, and the warm-up to fill the
 * system: the run lasts at least 5 R and the warm-up at least R, R the
 * mean latency of a request with no queueing, each service's
 *   R(v) = work(v) + sum over stages s of max over calls e in s of
 *          p_e R(callee of e)
 * (E[max] taken as the max of the expectations), averaged over the
 * entry services as the requests spread over them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../models/mdl_scenario.h"
#include "ana_file.h"
#include "ana_flow.h"
#include "ana_gen.h"
#include "ana_run.h"

/* The longest run a generated scenario asks for (s), well inside
 * MDL_TIME_MAX. */
#define DURATION_MAX 1e8
/* Visits per replication that requests = auto aims at, and its bounds. */
#define VISITS_AUTO 2e5
#define REQUESTS_MIN 100
#define REQUESTS_MAX 10000

/* "qmesh gen meta -n 1000 -s 7 --set calls=3": how to make it again. */
static void command(char *buf, size_t n, const mdl_gen_params *p)
{
    int len = snprintf(buf, n, "qmesh gen %s -n %ld -s %llu",
                       mdl_gen_kind_name(p->kind), p->n,
                       (unsigned long long)p->seed);

    if (len > 0 && (size_t)len < n)
        mdl_gen_params_text(p, buf + len, n - (size_t)len);
}

static void write_gml(FILE *f, const mdl_gen_graph *g,
                      const mdl_gen_params *p, const mdl_gen_shape *sh,
                      const char *cmd)
{
    char cv[40], prob[40];
    size_t i, e;

    mdl_gen_fmt_num(cv, sizeof cv, p->cv);
    fprintf(f, "# %s: %zu synthetic services of kind %s, written by qmesh "
            "gen (qmesh %s):\n#   %s -o DIR\n", p->name, g->n,
            mdl_gen_kind_name(p->kind), PACKAGE_VERSION, cmd);
    fprintf(f, "# %zu entry, %zu middle and %zu leaf services; depth %zu "
            "(services on the\n# longest call path); %zu %s edges.\n",
            sh->entries, sh->middles, sh->leaves, sh->depth, g->m,
            p->publish ? "publish" : "call");
    if (g->nentry > 1)
        fprintf(f, "# 'ingress', a delay of no work, hands each request to "
                "one of the %zu\n# entry services, with equal "
                "probability.\n", g->nentry);
    fputs("# The model, its parameters and their sources: docs/gen.md.\n"
          "graph [\n  directed 1\n", f);
    for (i = 0; i < g->n; i++)
        fprintf(f, "  node [ id %zu label \"s%zu\" servers %d blocking %d "
                "service \"lognormal(mean=%lldus, cv=%s)\" ]\n", i, i,
                g->svc[i].servers, p->blocking, g->svc[i].work_us, cv);
    if (g->nentry > 1)
        fprintf(f, "  node [ id %zu label \"ingress\" kind \"delay\" "
                "service \"det(0)\" ]\n", g->n);
    for (e = 0; e < g->m; e++) {
        const mdl_gen_edge *x = &g->edge[e];
        fprintf(f, "  edge [ source %zu target %zu", x->from, x->to);
        if (p->publish)
            fputs(" kind \"publish\"", f);
        if (x->p < 1) {
            snprintf(prob, sizeof prob, "%.17g", x->p);
            fprintf(f, " p %s", prob);
        }
        if (x->stage > 0)
            fprintf(f, " stage %d", x->stage);
        fputs(" ]\n", f);
    }
    /* 1 / nentry is one correctly rounded division: the same bits on
     * every machine, and nentry of them sum to 1 within the loader's
     * 1e-9. */
    if (g->nentry > 1) {
        snprintf(prob, sizeof prob, "%.17g", 1.0 / (double)g->nentry);
        for (i = 0; i < g->nentry; i++)
            fprintf(f, "  edge [ source %zu target %zu kind \"forward\" "
                    "p %s ]\n", g->n, i, prob);
    }
    fputs("]\n", f);
}

/* The run block's numbers for arrival rate `rate`. */
typedef struct run_times {
    char rate[40], duration[40], warmup[40], window[40];
} run_times;

/* R, the mean latency of a request with no queueing (s): see the note
 * at the top. Edges are sorted by caller and go up the numbering, so one
 * pass from the last service back suffices. Returns -1 when out of
 * memory. */
static double mean_latency(const mdl_gen_graph *g, const mdl_gen_params *p)
{
    double *R = malloc((g->n + 1) * sizeof *R), *stage_max, sum = 0;
    size_t e, i, j, end = g->m, S = (size_t)p->stages;

    stage_max = malloc(S * sizeof *stage_max);
    if (!R || !stage_max) {
        free(R);
        free(stage_max);
        return -1;
    }
    for (i = g->n; i-- > 0;) {
        double calls = 0;
        for (e = end; e > 0 && g->edge[e - 1].from == i; e--)
            ;
        for (j = 0; j < S; j++)
            stage_max[j] = 0;
        for (j = e; j < end && !p->publish; j++) {
            const mdl_gen_edge *x = &g->edge[j];
            if (x->p * R[x->to] > stage_max[x->stage])
                stage_max[x->stage] = x->p * R[x->to];
        }
        for (j = 0; j < S; j++)
            calls += stage_max[j];
        R[i] = (double)g->svc[i].work_us * 1e-6 + calls;
        end = e;
    }
    for (i = 0; i < g->nentry; i++)
        sum += R[i];
    free(R);
    free(stage_max);
    return sum / (double)g->nentry;
}

/* Fill t; returns the duration (s) as written. */
static double times_for(run_times *t, const mdl_gen_graph *g,
                        long requests, double rate, double R)
{
    double dur = (double)requests / rate, warm, windows;
    size_t nsvc = g->n + (g->nentry > 1);

    if (dur < 5 * R)
        dur = 5 * R;
    if (dur > DURATION_MAX)
        dur = DURATION_MAX;
    snprintf(t->rate, sizeof t->rate, "%.9g", rate);
    snprintf(t->duration, sizeof t->duration, "%.6g", dur);
    dur = strtod(t->duration, NULL);
    warm = dur / 10 > R ? dur / 10 : R;
    if (warm > DURATION_MAX)
        warm = DURATION_MAX;
    snprintf(t->warmup, sizeof t->warmup, "%.6g", warm);
    warm = strtod(t->warmup, NULL);
    windows = floor(1e5 / (double)nsvc);
    if (windows < 1)
        windows = 1;
    if (windows > 100)
        windows = 100;
    snprintf(t->window, sizeof t->window, "%.6g", (dur + warm) / windows);
    return dur;
}

static void write_yaml(FILE *f, const mdl_gen_graph *g,
                       const mdl_gen_params *p, const char *cmd,
                       const run_times *t, const char *busiest,
                       double load, double requests)
{
    fprintf(f, "# %s: a scenario for %s.gml, written by qmesh gen (qmesh "
            "%s):\n#   %s -o DIR\n", p->name, p->name, PACKAGE_VERSION, cmd);
    if (busiest)
        fprintf(f, "# The arrival rate puts the busiest service, '%s', at "
                "load %.6g by the\n# traffic equations (the bound of 'qmesh "
                "check' and 'qmesh run --load').\n# A replication runs "
                "about %.0f requests.\n", busiest, load, requests);
    fprintf(f, "name: %s\ntopology: %s.gml\nworkload:\n"
            "  - { name: requests, entry: %s, "
            "arrival: \"poisson(rate=%s/s)\" }\n"
            "run:\n  duration: %ss\n  warmup: %ss\n  replications: %ld\n"
            "  seed: %llu\n  window: %ss\n", p->name, p->name,
            g->nentry > 1 ? "ingress" : "s0", t->rate, t->duration,
            t->warmup, p->replications, (unsigned long long)p->seed,
            t->window);
}

/* Visits per request to the queueing stations of s's one class. */
static int visits_per_request(const mdl_scenario *s, double *v, sim_diag *d)
{
    ana_flow f;
    size_t k;
    int rc = ana_flow_init(&f, s, d);

    *v = 0;
    if (rc != SIM_OK)
        return rc;
    for (k = 0; k < f.n; k++)
        if (s->topo->services[k].kind != MDL_SVC_DELAY)
            *v += f.all_visits[k];
    ana_flow_destroy(&f);
    return SIM_OK;
}

/* rho(1), the bottleneck's load at rate 1/s, and the visits per request
 * v, from a scenario written to a temporary file beside the final one. */
static int load_at_unit_rate(const mdl_gen_graph *g,
                             const mdl_gen_params *p, const char *yaml,
                             const char *cmd, double *rho, double *v,
                             char *busiest, size_t blen, sim_diag *d)
{
    char tmp[4200];
    mdl_scenario *s = NULL;
    run_times t;
    size_t which;
    FILE *f = NULL;
    int fd = -1, rc, bad;

    if (ana_file_tmpname(tmp, sizeof tmp, yaml) == 0)
        fd = mkstemp(tmp);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        int err = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        sim_diag_set(d, NULL, 0, 0, "cannot write '%s': %s", yaml,
                     strerror(err));
        return SIM_EIO;
    }
    times_for(&t, g, 1, 1.0, 0);
    write_yaml(f, g, p, cmd, &t, NULL, 0, 1);
    bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        unlink(tmp);
        sim_diag_set(d, NULL, 0, 0, "cannot write '%s': %s", yaml,
                     strerror(errno ? errno : EIO));
        return SIM_EIO;
    }
    rc = mdl_scenario_load(&s, tmp, NULL, 0, d);
    unlink(tmp);
    if (rc == SIM_OK)
        rc = ana_run_bottleneck(s, rho, &which, d);
    if (rc == SIM_OK)
        rc = visits_per_request(s, v, d);
    if (rc == SIM_OK)
        snprintf(busiest, blen, "%s", s->topo->services[which].name);
    if (rc == SIM_OK && !(*rho > 0))
        rc = sim_diag_set(d, NULL, 0, 0, "no service of '%s' is loaded",
                          yaml);
    mdl_scenario_free(s);
    return rc;
}

int ana_gen_write(const mdl_gen_graph *g, const mdl_gen_params *p,
                  const char *dir, ana_gen_info *info, sim_diag *d)
{
    char cmd[2048], name[128];
    ana_file a;
    run_times t;
    double rho, v, R, dur;
    long requests = p->requests;
    int rc;

    memset(info, 0, sizeof *info);
    if ((rc = mdl_gen_shape_of(g, &info->shape)) != SIM_OK)
        return rc;
    info->ingress = g->nentry > 1;
    snprintf(info->gml, sizeof info->gml, "%s/%s.gml", dir, p->name);
    snprintf(info->yaml, sizeof info->yaml, "%s/%s.yaml", dir, p->name);
    if ((rc = ana_file_check_target(info->gml, d)) != SIM_OK
        || (rc = ana_file_check_target(info->yaml, d)) != SIM_OK)
        return rc;
    if (ana_file_mkdirs(dir) < 0) {
        sim_diag_set(d, NULL, 0, 0, "cannot create folder '%s': %s", dir,
                     strerror(errno));
        return SIM_EIO;
    }
    command(cmd, sizeof cmd, p);

    snprintf(name, sizeof name, "%s.gml", p->name);
    if ((rc = ana_file_open(&a, dir, name, d)) != SIM_OK)
        return rc;
    setvbuf(a.f, NULL, _IOFBF, (size_t)1 << 20);
    write_gml(a.f, g, p, &info->shape, cmd);
    if ((rc = ana_file_close(&a, SIM_OK, d)) != SIM_OK)
        return rc;

    rc = load_at_unit_rate(g, p, info->yaml, cmd, &rho, &v, info->busiest,
                           sizeof info->busiest, d);
    if (rc != SIM_OK)
        return rc;
    if (requests < 0) {
        double x = floor(VISITS_AUTO / v);
        requests = x < REQUESTS_MIN ? REQUESTS_MIN
                   : x > REQUESTS_MAX ? REQUESTS_MAX : (long)x;
    }
    if ((R = mean_latency(g, p)) < 0)
        return SIM_ENOMEM;
    dur = times_for(&t, g, requests, p->load / rho, R);
    info->rate = strtod(t.rate, NULL);
    info->load = rho * info->rate;
    info->visits = v;
    info->requests = info->rate * dur;
    snprintf(name, sizeof name, "%s.yaml", p->name);
    if ((rc = ana_file_open(&a, dir, name, d)) != SIM_OK)
        return rc;
    write_yaml(a.f, g, p, cmd, &t, info->busiest, info->load,
               info->requests);
    return ana_file_close(&a, SIM_OK, d);
}
