/*
 * tst_fuzz.c - the fuzz targets of tst_fuzz.h.
 *
 * Inputs reach the loaders the way users' files do: through a file on
 * disk, by path, with relative names resolved against its folder. Each
 * target writes its file into the world's data/ folder under a fixed name
 * and removes it afterwards, so no input can see another's file.
 *
 * After a successful load the target walks the result and checks what the
 * headers promise (mdl_topology.h, mdl_scenario.h, mdl_dist.h): counts that
 * agree with the igraph graph, indices in range, unique non-empty names,
 * positive counts, probabilities in [0, 1], shares in (0, 1], finite
 * non-negative means, variates >= 0, and for a failed parse a message and
 * an error column inside the text. A loader that accepts a NaN or an
 * infinity and hands it on breaks one of these, which the sanitizers alone
 * would not notice. Distributions are drawn from with a generator seeded
 * afresh for every input, so a finding replays exactly. The costlier
 * checks (sampling, look-ups, which edges apply to which class) stop after
 * MAX_WALK services, edges or classes, to keep big inputs fast.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <igraph.h>
#include "../../models/mdl_dist.h"
#include "../../models/mdl_dist_parse.h"
#include "../../models/mdl_scenario.h"
#include "../../models/mdl_topology.h"
#include "../../models/mdl_units.h"
#include "tst_fuzz.h"

#ifndef TST_FUZZ_TOP
#define TST_FUZZ_TOP "."
#endif

enum {
    MAX_SETS = 16,          /* --set strings taken from one input */
    MAX_WALK = 64,          /* services, edges, classes checked in depth */
    NDRAWS = 8              /* variates drawn from each distribution */
};

/* ------------------------------------------------------------------ */
/* The world: a private temporary folder                                */
/* ------------------------------------------------------------------ */

static char world_dir[PATH_MAX];    /* "" until made */
static char data_dir[PATH_MAX + 8];
static pid_t world_owner;           /* Check forks: only the maker removes */
static gsl_rng *rng;

void tst_fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("tst_fuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static void remove_world(void)
{
    char sub[PATH_MAX * 2];
    struct dirent *e;
    DIR *dp;

    if (!world_dir[0] || getpid() != world_owner)
        return;
    if ((dp = opendir(data_dir))) {
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(sub, sizeof sub, "%s/%s", data_dir, e->d_name);
                unlink(sub);
            }
        closedir(dp);
    }
    rmdir(data_dir);
    snprintf(sub, sizeof sub, "%s/topologies", world_dir);
    unlink(sub);
    rmdir(world_dir);
    world_dir[0] = '\0';
    gsl_rng_free(rng);
    rng = NULL;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && !strcmp(s + n - k, suffix);
}

/* Link every topology and CSV file of tests/data into data/. */
static void link_test_data(const char *top)
{
    char from[PATH_MAX * 2], to[PATH_MAX * 2];
    struct dirent *e;
    DIR *dp;

    snprintf(from, sizeof from, "%s/tests/data", top);
    if (!(dp = opendir(from)))
        tst_fuzz_fail("cannot open %s: %s", from, strerror(errno));
    while ((e = readdir(dp))) {
        if (!has_suffix(e->d_name, ".gml") && !has_suffix(e->d_name, ".csv")
            && !has_suffix(e->d_name, ".graphml"))
            continue;
        snprintf(from, sizeof from, "%s/tests/data/%s", top, e->d_name);
        snprintf(to, sizeof to, "%s/%s", data_dir, e->d_name);
        if (symlink(from, to) != 0)
            tst_fuzz_fail("cannot link %s: %s", to, strerror(errno));
    }
    closedir(dp);
}

/* The data/ folder of the world, made on first use. */
static const char *world(void)
{
    const char *top = getenv("top_srcdir"), *tmp = getenv("TMPDIR");
    char abs_top[PATH_MAX], from[PATH_MAX + 16], to[PATH_MAX + 16];
    struct stat st;

    if (world_dir[0])
        return data_dir;
    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    if (!top || !*top)
        top = TST_FUZZ_TOP;
    snprintf(from, sizeof from, "%s/topologies", top);
    if (!realpath(top, abs_top) || stat(from, &st) != 0
        || !S_ISDIR(st.st_mode))
        tst_fuzz_fail("no topologies/ in '%s': set top_srcdir to the "
                      "qmesh source folder", top);
    snprintf(world_dir, sizeof world_dir, "%s/qmesh-fuzz-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(world_dir))
        tst_fuzz_fail("cannot make %s: %s", world_dir, strerror(errno));
    world_owner = getpid();
    atexit(remove_world);
    snprintf(data_dir, sizeof data_dir, "%s/data", world_dir);
    if (mkdir(data_dir, 0700) != 0)
        tst_fuzz_fail("cannot make %s: %s", data_dir, strerror(errno));
    snprintf(from, sizeof from, "%s/topologies", abs_top);
    snprintf(to, sizeof to, "%s/topologies", world_dir);
    if (symlink(from, to) != 0)
        tst_fuzz_fail("cannot link %s: %s", to, strerror(errno));
    link_test_data(abs_top);
    if (!(rng = gsl_rng_alloc(gsl_rng_mt19937)))
        tst_fuzz_fail("out of memory");
    return data_dir;
}

void tst_fuzz_setup(void)
{
    (void)world();
}

/* Write the input to data/name; path receives the full name. */
static void write_input(const char *name, const uint8_t *data, size_t size,
                        char *path, size_t pathlen)
{
    FILE *f;

    snprintf(path, pathlen, "%s/%s", world(), name);
    if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size
        || fclose(f) != 0)
        tst_fuzz_fail("cannot write %s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Contracts of loaded objects                                          */
/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names[0..n-1] must be non-empty and distinct; names is reordered. */
static void check_names(const char **names, size_t n, const char *what)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!names[i] || !names[i][0])
            tst_fuzz_fail("%s %zu has no name", what, i);
    qsort(names, n, sizeof *names, cmp_str);
    for (i = 1; i < n; i++)
        if (!strcmp(names[i - 1], names[i]))
            tst_fuzz_fail("two %ss named '%s'", what, names[i]);
}

static void check_dist(const mdl_dist *x, const char *what)
{
    char text[256];
    int i;

    mdl_dist_format(x, text, sizeof text);
    if ((unsigned)x->kind > MDL_DIST_EMPIRICAL)
        tst_fuzz_fail("%s: bad kind %d", what, (int)x->kind);
    if (!isfinite(x->mean) || x->mean < 0)
        tst_fuzz_fail("%s %s: mean %g, not finite and >= 0", what, text,
                      x->mean);
    if (!(x->scv >= 0))
        tst_fuzz_fail("%s %s: scv %g, not >= 0", what, text, x->scv);
    if (x->kind == MDL_DIST_EMPIRICAL && (!x->samples || !x->nsamples))
        tst_fuzz_fail("%s %s: empirical without samples", what, text);
    gsl_rng_set(rng, 2385);
    for (i = 0; i < NDRAWS; i++) {
        double v = mdl_dist_sample(x, rng);
        if (!(v >= 0))
            tst_fuzz_fail("%s %s: variate %g, not >= 0", what, text, v);
    }
}

static void check_topology(const mdl_topology *t)
{
    size_t n = t->nservices, i;
    const char **names;

    if (!t->path)
        tst_fuzz_fail("topology without a path");
    if ((size_t)igraph_vcount(&t->graph) != n
        || (size_t)igraph_ecount(&t->graph) != t->nedges)
        tst_fuzz_fail("topology: %zu services and %zu edges, graph has "
                      "%ld and %ld", n, t->nedges,
                      (long)igraph_vcount(&t->graph),
                      (long)igraph_ecount(&t->graph));
    for (i = 0; i < n; i++) {
        const mdl_service *s = &t->services[i];
        if (s->servers < 1 || s->replicas < 1 || s->capacity < 0
            || (unsigned)s->discipline > MDL_DISC_PRIORITY
            || (s->blocking != 0 && s->blocking != 1)
            || (unsigned)s->kind > MDL_SVC_BROKER
            || (unsigned)s->lb > MDL_LB_HASH || s->line < 0)
            tst_fuzz_fail("service %zu: servers %d replicas %d capacity %ld "
                          "discipline %d blocking %d kind %d lb %d line %d",
                          i, s->servers, s->replicas, s->capacity,
                          (int)s->discipline, s->blocking, (int)s->kind,
                          (int)s->lb, s->line);
        if (i < MAX_WALK) {
            check_dist(&s->service, "service time");
            check_dist(&s->post_service, "post-service time");
            if (mdl_topology_find(t, s->name) != (int)i)
                tst_fuzz_fail("service '%s' is not found at %zu", s->name, i);
        }
    }
    if (!(names = malloc((n + 1) * sizeof *names)))
        tst_fuzz_fail("out of memory");
    for (i = 0; i < n; i++)
        names[i] = t->services[i].name;
    check_names(names, n, "service");
    free(names);
    for (i = 0; i < t->nedges; i++) {
        const mdl_edge *e = &t->edges[i];
        if (e->from < 0 || (size_t)e->from >= n || e->to < 0
            || (size_t)e->to >= n || (unsigned)e->kind > MDL_EDGE_PUBLISH
            || !(e->p >= 0 && e->p <= 1) || e->count < 1 || e->stage < 0)
            tst_fuzz_fail("edge %zu: %d -> %d kind %d p %g count %d stage "
                          "%d", i, e->from, e->to, (int)e->kind, e->p,
                          e->count, e->stage);
        if (e->protocol)
            (void)strlen(e->protocol);
        if (e->types)
            (void)strlen(e->types);
    }
}

static void check_scenario(const mdl_scenario *s)
{
    size_t i, j, n;
    const char **names;

    if (!s->path || !s->dir || !s->name || !s->topo)
        tst_fuzz_fail("scenario without path, folder, name or topology");
    check_topology(s->topo);
    n = s->topo->nservices;
    if (s->nworkloads < 1 || s->nclasses < s->nworkloads)
        tst_fuzz_fail("scenario: %zu workloads, %zu classes", s->nworkloads,
                      s->nclasses);
    if (!(isfinite(s->duration) && s->duration > 0)
        || !(isfinite(s->warmup) && s->warmup >= 0) || s->requests < 0
        || s->replications < 1
        || !(s->confidence > 0 && s->confidence < 1))
        tst_fuzz_fail("run: duration %g warmup %g requests %ld "
                      "replications %u confidence %g", s->duration,
                      s->warmup, s->requests, s->replications,
                      s->confidence);
    if (!(names = malloc((s->nworkloads + s->nclasses + 1) * sizeof *names)))
        tst_fuzz_fail("out of memory");
    for (i = 0; i < s->nworkloads; i++) {
        const mdl_workload *w = &s->workloads[i];
        if (w->entry < -1 || (w->entry >= 0 && (size_t)w->entry >= n)
            || (w->closed != 0 && w->closed != 1)
            || (w->closed && w->population < 1))
            tst_fuzz_fail("workload %zu: entry %d closed %d population %ld",
                          i, w->entry, w->closed, w->population);
        if (i < MAX_WALK)
            check_dist(w->closed ? &w->think : &w->arrival,
                       w->closed ? "think time" : "inter-arrival time");
        names[i] = w->name;
    }
    check_names(names, s->nworkloads, "workload");
    for (i = 0; i < s->nclasses; i++) {
        const mdl_class *c = &s->classes[i];
        if (c->workload < 0 || (size_t)c->workload >= s->nworkloads
            || c->entry < 0 || (size_t)c->entry >= n
            || !(c->share > 0 && c->share <= 1))
            tst_fuzz_fail("class %zu: workload %d entry %d share %g", i,
                          c->workload, c->entry, c->share);
        names[i] = c->name;
    }
    check_names(names, s->nclasses, "request class");
    free(names);
    for (i = 0; i < s->topo->nedges && i < MAX_WALK; i++)
        for (j = 0; j < s->nclasses && j < MAX_WALK; j++)
            (void)mdl_scenario_edge_applies(s, i, j);
    for (i = 0; i < s->ncalls; i++) {
        const mdl_call_policy *cp = &s->calls[i];
        if (!cp->key || cp->edge >= s->topo->nedges
            || s->topo->edges[cp->edge].kind != MDL_EDGE_CALL)
            tst_fuzz_fail("calls entry %zu: edge %zu", i, cp->edge);
        for (j = 0; j < i && i < MAX_WALK; j++)
            if (s->calls[j].edge == cp->edge)
                tst_fuzz_fail("calls entries %zu and %zu: one edge", j, i);
    }
}

/* ------------------------------------------------------------------ */
/* Targets                                                              */
/* ------------------------------------------------------------------ */

int tst_fuzz_scenario(const uint8_t *data, size_t size, sim_diag *d)
{
    char path[PATH_MAX * 2], *sets[MAX_SETS];
    const char *p = (const char *)data, *end = p + size;
    mdl_scenario *s = NULL;
    size_t nsets = 0, i;
    int rc;

    write_input("fuzz.yaml", data, size, path, sizeof path);
    /* Each line "#set a.b=v", a YAML comment, is also an override. */
    while (p < end && nsets < MAX_SETS) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol - p >= 5 && !memcmp(p, "#set ", 5))
            if (!(sets[nsets++] = strndup(p + 5, (size_t)(eol - p - 5))))
                tst_fuzz_fail("out of memory");
        p = nl ? nl + 1 : end;
    }
    rc = mdl_scenario_load(&s, path, (const char *const *)sets, nsets, d);
    if (rc == SIM_OK)
        check_scenario(s);
    else if (s)
        tst_fuzz_fail("a failed load returned a scenario");
    mdl_scenario_free(s);
    for (i = 0; i < nsets; i++)
        free(sets[i]);
    unlink(path);
    return rc;
}

static int topology(const char *name, const uint8_t *data, size_t size,
                    sim_diag *d)
{
    char path[PATH_MAX * 2];
    mdl_topology *t = NULL;
    int rc;

    write_input(name, data, size, path, sizeof path);
    rc = mdl_topology_load(&t, path, d);
    if (rc == SIM_OK)
        check_topology(t);
    else if (t)
        tst_fuzz_fail("a failed load returned a topology");
    mdl_topology_free(t);
    unlink(path);
    return rc;
}

int tst_fuzz_gml(const uint8_t *data, size_t size, sim_diag *d)
{
    return topology("fuzz.gml", data, size, d);
}

int tst_fuzz_graphml(const uint8_t *data, size_t size, sim_diag *d)
{
    return topology("fuzz.graphml", data, size, d);
}

/* Parse text as a distribution and put the result through its paces. */
static int dist(const char *text, sim_diag *d)
{
    static const mdl_dist zero;
    mdl_dist x, y;
    char err[512];
    int col = -1, rc;

    rc = mdl_dist_parse(&x, text, world(), err, sizeof err, &col);
    if (rc != SIM_OK) {
        if (x.kind != zero.kind || x.mean != 0 || x.scv != 0 || x.p[0] != 0
            || x.p[1] != 0 || x.p[2] != 0 || x.p[3] != 0 || x.samples
            || x.nsamples)
            tst_fuzz_fail("'%s': a failed parse left d set", text);
        if (col < 1 || (size_t)col > strlen(text) + 1)
            tst_fuzz_fail("'%s': error column %d outside the text", text,
                          col);
        if (rc == SIM_EPARSE && !err[0])
            tst_fuzz_fail("'%s': error without a message", text);
        if (err[0])
            sim_diag_set(d, NULL, 0, col, "%s", err);
        return rc;
    }
    check_dist(&x, "distribution");
    if (mdl_dist_copy(&y, &x) != SIM_OK)
        tst_fuzz_fail("out of memory");
    check_dist(&y, "copy");
    mdl_dist_destroy(&y);
    if (mdl_dist_scale(&x, 0.4193) != SIM_OK)
        tst_fuzz_fail("'%s': cannot scale by 0.4193", text);
    check_dist(&x, "scaled distribution");
    mdl_dist_destroy(&x);
    return SIM_OK;
}

int tst_fuzz_dist(const uint8_t *data, size_t size, sim_diag *d)
{
    char *text = strndup((const char *)data, size);
    double x;
    int rc;

    if (!text)
        tst_fuzz_fail("out of memory");
    if (mdl_parse_time(text, &x) == SIM_OK && !isfinite(x))
        tst_fuzz_fail("'%s': time %g is not finite", text, x);
    (void)mdl_parse_rate(text, &x);
    rc = dist(text, d);
    free(text);
    return rc;
}

int tst_fuzz_empirical(const uint8_t *data, size_t size, sim_diag *d)
{
    const char *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - (const char *)data) : size;
    char path[PATH_MAX * 2], *args, *text;
    int rc;

    if (!(args = strndup((const char *)data, head)))
        tst_fuzz_fail("out of memory");
    if (!(text = malloc(strlen(args) + 32)))
        tst_fuzz_fail("out of memory");
    sprintf(text, "empirical(file=fuzz.csv%s%s)", args[0] ? ", " : "", args);
    write_input("fuzz.csv", nl ? (const uint8_t *)nl + 1 : data,
                nl ? size - head - 1 : 0, path, sizeof path);
    rc = dist(text, d);
    unlink(path);
    free(text);
    free(args);
    return rc;
}

const tst_fuzz_target tst_fuzz_targets[] = {
    {"fuzz_scenario", tst_fuzz_scenario},
    {"fuzz_gml", tst_fuzz_gml},
    {"fuzz_graphml", tst_fuzz_graphml},
    {"fuzz_dist", tst_fuzz_dist},
    {"fuzz_empirical", tst_fuzz_empirical},
};
const size_t tst_fuzz_ntargets =
    sizeof tst_fuzz_targets / sizeof tst_fuzz_targets[0];

/* ------------------------------------------------------------------ */
/* The harness body                                                     */
/* ------------------------------------------------------------------ */

int tst_fuzz_clean(int rc, const sim_diag *d)
{
    return rc == SIM_OK || rc == SIM_ENOMEM || (rc < 0 && d->msg[0]);
}

void tst_fuzz_one(tst_fuzz_fn fn, const uint8_t *data, size_t size)
{
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = fn(data, size, &d);
    if (!tst_fuzz_clean(rc, &d))
        tst_fuzz_fail("returned %d (%s) without a message", rc,
                      sim_strerror(rc));
}
