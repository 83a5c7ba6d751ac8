/*
 * ana_points.c - a sweep's points, resumable (ana_points.h).
 *
 * Order of writes for one point: its folder is built under a temporary
 * name and renamed into place (ana_outdir.h), then the manifest is
 * rewritten naming it. A kill between the two leaves a folder the
 * manifest does not name, which the next command runs again; a kill at
 * any other moment leaves either the old state or the new one.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <nettle/sha2.h>
#include "../sim/sim_sig.h"
#include "ana_file.h"
#include "ana_outdir.h"
#include "ana_plot.h"
#include "ana_points.h"
#include "ana_provenance.h"
#include "ana_sweep.h"
#include "ana_theory.h"

#define PATH_LEN 4200

static const char *status_name[] = {"todo", "done", "unstable"};

static int is_load_axis(const mdl_axis *a)
{
    return !strcmp(a->key, "load");
}

static const char *axis_value(const ana_points *p, size_t k, size_t a)
{
    return p->g->axes[a].values[ana_grid_value(p->g, k, a)];
}

/* ---- a point's scenario ---- */

/* Load point k's scenario into *s and its hash into hash (may be NULL). */
static int point_scenario(ana_points *p, size_t k, mdl_scenario **s,
                          char *hash, sim_diag *d)
{
    const ana_grid *g = p->g;
    size_t n = p->o.nsets, a, i;
    const char **sets = malloc((n + g->naxes + 1) * sizeof *sets);
    char **own = calloc(g->naxes + 1, sizeof *own);
    const char *load = NULL;
    int rc = SIM_OK;

    *s = NULL;
    if (!sets || !own) {
        free(sets);
        free(own);
        return SIM_ENOMEM;
    }
    memcpy(sets, p->o.sets, n * sizeof *sets);
    for (a = 0; a < g->naxes && rc == SIM_OK; a++) {
        const char *v = axis_value(p, k, a);
        if (is_load_axis(&g->axes[a])) {
            load = v;
            continue;
        }
        own[a] = malloc(strlen(g->axes[a].key) + strlen(v) + 2);
        if (!own[a])
            rc = SIM_ENOMEM;
        else {
            sprintf(own[a], "%s=%s", g->axes[a].key, v);
            sets[n++] = own[a];
        }
    }
    if (rc == SIM_OK)
        rc = p->o.load(p->o.load_ctx, sets, n, s, d);
    if (rc == SIM_OK && load)
        rc = ana_run_set_load(*s, strtod(load, NULL), d);
    if (rc == SIM_OK && hash) {
        struct sha256_ctx h;
        unsigned char dig[SHA256_DIGEST_SIZE];
        char line[256], file[65];

#define HASH_TEXT(t) sha256_update(&h, strlen(t) + 1, (const uint8_t *)(t))
        sha256_init(&h);
        HASH_TEXT("qmesh " PACKAGE_VERSION);
        ana_sha256_file((*s)->path, file);
        HASH_TEXT(file);
        ana_sha256_file((*s)->topo->path, file);
        HASH_TEXT(file);
        snprintf(line, sizeof line, "seed %llu replications %u load %s",
                 (unsigned long long)(*s)->seed, (*s)->replications,
                 load ? load : "-");
        HASH_TEXT(line);
        for (i = 0; i < n; i++)
            HASH_TEXT(sets[i]);
#undef HASH_TEXT
        sha256_digest(&h, sizeof dig, dig);
        for (i = 0; i < sizeof dig; i++)
            snprintf(hash + 2 * i, 3, "%02x", dig[i]);
    }
    for (a = 0; a < g->naxes; a++)
        free(own[a]);
    free(own);
    free(sets);
    if (rc != SIM_OK) {
        mdl_scenario_free(*s);
        *s = NULL;
    }
    return rc;
}

/* ---- the folder ---- */

/* May dir hold a sweep? Missing, empty (temporaries aside) or one
 * already (manifest.csv or sweep.csv). */
static int check_folder(const char *dir, sim_diag *d)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int other = 0, ours = 0;

    if (!dp)
        return errno == ENOENT ? SIM_OK
               : sim_diag_set(d, dir, 0, 0, "cannot read the sweep folder: "
                              "%s", strerror(errno));
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        if (!strcmp(e->d_name, "manifest.csv")
            || !strcmp(e->d_name, "sweep.csv")
            || !strcmp(e->d_name, "points"))
            ours = 1;
        else
            other = 1;
    }
    closedir(dp);
    if (other && !ours)
        return sim_diag_set(d, dir, 0, 0, "this folder holds files and is "
                            "not a qmesh sweep's (it has no manifest.csv "
                            "or sweep.csv); choose another folder with -o");
    return SIM_OK;
}

static int make_folder(const char *path, sim_diag *d)
{
    if (ana_file_mkdirs(path) != 0)
        return sim_diag_set(d, path, 0, 0, "cannot create the folder: %s",
                            strerror(errno));
    ana_file_clean_stale(path);
    return SIM_OK;
}

/* Keep the points the manifest names as done, with an unchanged hash
 * and their folder in place. */
static int read_manifest(ana_points *p, sim_diag *d)
{
    static const char *const cols[] = {"point", "status", "hash", NULL};
    char path[PATH_LEN];
    ana_table t;
    size_t idx[3], i;
    int found, rc;

    snprintf(path, sizeof path, "%s/manifest.csv", p->dir);
    memset(&t, 0, sizeof t);
    if ((rc = ana_table_read(&t, path, &found, d)) != SIM_OK || !found)
        return rc;
    rc = ana_table_columns(&t, cols, idx, d);
    for (i = 0; rc == SIM_OK && i < ana_table_rows(&t); i++) {
        const char *ks = ana_table_cell(&t, i, idx[0]);
        char *end;
        unsigned long k = strtoul(ks, &end, 10);
        struct stat st;
        if (end == ks || *end || k >= p->g->npoints
            || strcmp(ana_table_cell(&t, i, idx[1]), "done")
            || strcmp(ana_table_cell(&t, i, idx[2]), p->hash[k])
            || p->status[k] != ANA_POINT_TODO)
            continue;
        snprintf(path, sizeof path, "%s/points/%lu/summary.csv", p->dir, k);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            p->status[k] = ANA_POINT_DONE;
            p->kept[k] = 1;
        }
    }
    ana_table_destroy(&t);
    return rc;
}

static int write_manifest(ana_points *p, sim_diag *d)
{
    ana_file f;
    size_t k, a;
    int rc = ana_file_open(&f, p->dir, "manifest.csv", d);

    if (rc != SIM_OK)
        return rc;
    fputs("point,status,hash", f.f);
    for (a = 0; a < p->g->naxes; a++) {
        fputc(',', f.f);
        ana_csv_str(f.f, p->g->axes[a].key);
    }
    fputc('\n', f.f);
    for (k = 0; k < p->g->npoints; k++) {
        if (p->status[k] == ANA_POINT_TODO)
            continue;
        fprintf(f.f, "%zu,%s,%s", k, status_name[p->status[k]], p->hash[k]);
        for (a = 0; a < p->g->naxes; a++) {
            fputc(',', f.f);
            ana_csv_str(f.f, axis_value(p, k, a));
        }
        fputc('\n', f.f);
    }
    return ana_file_close(&f, SIM_OK, d);
}

int ana_points_open(ana_points *p, const ana_grid *g, const char *dir,
                    const ana_points_opts *o, sim_diag *d)
{
    char path[PATH_LEN];
    size_t k;
    int rc;

    memset(p, 0, sizeof *p);
    p->g = g;
    p->o = *o;
    if (strlen(dir) >= sizeof p->dir)
        return sim_diag_set(d, NULL, 0, 0, "the folder name is too long");
    strcpy(p->dir, dir);
    p->status = calloc(g->npoints, 1);
    p->kept = calloc(g->npoints, 1);
    p->hash = calloc(g->npoints, sizeof *p->hash);
    p->why = calloc(g->npoints, sizeof *p->why);
    if (!p->status || !p->kept || !p->hash || !p->why)
        return SIM_ENOMEM;
    if ((rc = check_folder(dir, d)) != SIM_OK)
        return rc;
    /* Every point first: bad input is told before anything runs. */
    for (k = 0; k < g->npoints; k++) {
        mdl_scenario *s;
        sim_diag u;
        if ((rc = point_scenario(p, k, &s, p->hash[k], d)) != SIM_OK)
            return rc;
        memset(&u, 0, sizeof u);
        rc = ana_theory_stability(s, &u);
        mdl_scenario_free(s);
        if (rc == SIM_EUNSTABLE) {
            p->status[k] = ANA_POINT_UNSTABLE;
            p->ndone++;
            if (!(p->why[k] = strdup(u.msg)))
                return SIM_ENOMEM;
        } else if (rc != SIM_OK) {
            *d = u;
            return rc;
        }
    }
    snprintf(path, sizeof path, "%s/points", dir);
    if ((rc = make_folder(dir, d)) != SIM_OK
        || (rc = make_folder(path, d)) != SIM_OK
        || (rc = read_manifest(p, d)) != SIM_OK)
        return rc;
    /* Names only what is kept, before any point's folder is replaced: a
     * kill between replacing one and naming it can then never leave the
     * old entry naming the new folder. */
    if ((rc = write_manifest(p, d)) != SIM_OK)
        return rc;
    for (k = 0; k < g->npoints; k++)
        if (p->kept[k]) {
            p->ndone++;
            p->nkept++;
        }
    return SIM_OK;
}

void ana_points_close(ana_points *p)
{
    size_t k;

    for (k = 0; p->why && k < p->g->npoints; k++)
        free(p->why[k]);
    free(p->why);
    free(p->hash);
    free(p->kept);
    free(p->status);
    memset(p, 0, sizeof *p);
}

/* ---- one point ---- */

/* point.csv: the point's axis values. */
static int write_point_csv(const ana_points *p, size_t k, const char *dir,
                           sim_diag *d)
{
    ana_file f;
    size_t a;
    int rc = ana_file_open(&f, dir, "point.csv", d);

    if (rc != SIM_OK)
        return rc;
    fprintf(f.f, "axis,value\npoint,%zu\n", k);
    for (a = 0; a < p->g->naxes; a++) {
        ana_csv_str(f.f, p->g->axes[a].key);
        fputc(',', f.f);
        ana_csv_str(f.f, axis_value(p, k, a));
        fputc('\n', f.f);
    }
    return ana_file_close(&f, SIM_OK, d);
}

/* Tell o->point of point k (its folder read back when it is done).
 * Returns SIM_OK, 1 when told to stop, or an error. */
static int tell(ana_points *p, size_t k, const ana_run *run, sim_diag *d)
{
    char sub[64], path[PATH_LEN];
    ana_results res;
    ana_point pt;
    int rc = SIM_OK, stop;

    if (!p->o.point)
        return SIM_OK;
    memset(&pt, 0, sizeof pt);
    memset(&res, 0, sizeof res);
    snprintf(sub, sizeof sub, "points/%zu", k);
    pt.k = k;
    pt.status = p->status[k];
    pt.kept = p->kept[k];
    pt.sub = sub;
    pt.why = p->why[k];
    pt.run = run;
    if (pt.status == ANA_POINT_DONE) {
        snprintf(path, sizeof path, "%s/%s", p->dir, sub);
        if ((rc = ana_table_results(&res, path, d)) == SIM_OK)
            pt.res = &res;
    }
    stop = rc == SIM_OK && p->o.point(p->o.ctx, &pt);
    ana_table_results_destroy(&res);
    return rc != SIM_OK ? rc : stop ? 1 : SIM_OK;
}

/* Write point k's folder from its finished run r, name it in the
 * manifest and tell o->point. */
static int keep_point(ana_points *p, size_t k, const ana_run *r,
                      sim_diag *d)
{
    char sub[64], pdir[PATH_LEN];
    const char *load = NULL;
    ana_outdir out;
    size_t a;
    int rc, opened = 0;

    if (r->finished == 0) {
        sim_diag_set(d, NULL, 0, 0, "point %zu: no request finished in any "
                     "replication; make run.duration longer", k);
        return SIM_ESTALL;      /* a run that gave nothing: exit 1 */
    }
    for (a = 0; a < p->g->naxes; a++)
        if (is_load_axis(&p->g->axes[a]))
            load = axis_value(p, k, a);
    snprintf(sub, sizeof sub, "points/%zu", k);
    snprintf(pdir, sizeof pdir, "%s/%s", p->dir, sub);
    if ((rc = ana_outdir_open(&out, pdir, d)) == SIM_OK)
        opened = 1;
    if (rc == SIM_OK)
        rc = ana_run_write(r, out.tmp, p->o.command, load, d);
    if (rc == SIM_OK)
        rc = write_point_csv(p, k, out.tmp, d);
    if (rc == SIM_OK)
        rc = ana_outdir_commit(&out, d);
    if (opened)
        ana_outdir_abandon(&out);
    if (rc == SIM_OK) {
        p->status[k] = ANA_POINT_DONE;
        p->ndone++;
        rc = write_manifest(p, d);
    }
    return rc == SIM_OK ? tell(p, k, r, d) : rc;
}

/* The points of a batch as their runs come in. */
typedef struct many {
    ana_points *p;
    const size_t *k;            /* the point of each run */
    ana_run *runs;
    int rc;                     /* the first failure, or 1: told to stop */
    sim_diag d;
} many;

static void point_ready(void *ctx, size_t i)
{
    many *m = ctx;
    int rc;

    if (m->rc != SIM_OK)
        return;
    rc = keep_point(m->p, m->k[i], &m->runs[i], &m->d);
    if (rc != SIM_OK)
        m->rc = rc;
}

int ana_points_run_many(ana_points *p, const size_t *ks, size_t n,
                        sim_diag *d)
{
    many m;
    mdl_scenario **s = calloc(n + 1, sizeof *s);
    ana_run **rp = calloc(n + 1, sizeof *rp);
    size_t *k = calloc(n + 1, sizeof *k), i, nrun = 0, failed;
    int rc = SIM_OK;

    memset(&m, 0, sizeof m);
    m.runs = calloc(n + 1, sizeof *m.runs);
    if (!s || !rp || !k || !m.runs)
        rc = SIM_ENOMEM;
    for (i = 0; i < n && rc == SIM_OK; i++) {
        if (p->status[ks[i]] != ANA_POINT_TODO) {
            rc = tell(p, ks[i], NULL, d);
            continue;
        }
        if (p->o.before)
            p->o.before(p->o.ctx, ks[i]);
        k[nrun] = ks[i];
        rp[nrun] = &m.runs[nrun];
        rc = point_scenario(p, ks[i], &s[nrun], NULL, d);
        if (rc == SIM_OK)
            rc = ana_run_init(&m.runs[nrun], s[nrun], d);
        nrun++;
    }
    if (rc == SIM_OK && nrun > 0) {
        m.p = p;
        m.k = k;
        rc = ana_run_batch(rp, nrun, &p->o.run, point_ready, &m, &failed);
        if (rc != SIM_OK && rc != SIM_EINTR && rc != SIM_ENOMEM)
            *d = m.runs[failed].diag;
        else if (m.rc != SIM_OK) {
            rc = m.rc;
            *d = m.d;
        }
    }
    for (i = 0; i < nrun; i++) {
        ana_run_destroy(&m.runs[i]);
        mdl_scenario_free(s[i]);
    }
    free(m.runs);
    free(s);
    free(rp);
    free(k);
    return rc;
}

int ana_points_run(ana_points *p, size_t k, sim_diag *d)
{
    return ana_points_run_many(p, &k, 1, d);
}

/* ---- the end ---- */

/* Remove folders under points/ that are not finished points of this
 * sweep: another sweep's, or one the manifest does not name. */
static void remove_strays(const ana_points *p)
{
    char path[PATH_LEN];
    DIR *dp;
    struct dirent *e;

    snprintf(path, sizeof path, "%s/points", p->dir);
    if (!(dp = opendir(path)))
        return;
    while ((e = readdir(dp))) {
        const char *name = e->d_name;
        unsigned long k = strtoul(name, NULL, 10);
        int canonical = name[0] >= '0' && name[0] <= '9'
                        && strspn(name, "0123456789") == strlen(name)
                        && (name[0] != '0' || !name[1]);
        if (name[0] == '.' || (canonical && k < p->g->npoints
                               && p->status[k] == ANA_POINT_DONE))
            continue;
        if (!canonical && strspn(name, "+-0123456789") != strlen(name))
            continue;           /* not a point's name: the user's */
        if (snprintf(path, sizeof path, "%s/points/%.255s", p->dir, name)
            < (int)sizeof path)
            ana_file_remove_tree(path);
    }
    closedir(dp);
}

int ana_points_finish(ana_points *p, sim_diag *d)
{
    const ana_grid *g = p->g;
    size_t n = 0, k, a;
    const char **axis = malloc((g->naxes + 1) * sizeof *axis);
    const char **value = malloc((g->npoints * g->naxes + 1) * sizeof *value);
    char (*subs)[32] = malloc((g->npoints + 1) * sizeof *subs);
    const char **sub = malloc((g->npoints + 1) * sizeof *sub);
    int rc = SIM_OK;

    if (!axis || !value || !subs || !sub)
        rc = SIM_ENOMEM;
    for (a = 0; rc == SIM_OK && a < g->naxes; a++)
        axis[a] = g->axes[a].key;
    for (k = 0; rc == SIM_OK && k < g->npoints; k++) {
        if (p->status[k] != ANA_POINT_DONE)
            continue;
        for (a = 0; a < g->naxes; a++)
            value[n * g->naxes + a] = axis_value(p, k, a);
        snprintf(subs[n], sizeof subs[n], "points/%zu", k);
        sub[n] = subs[n];
        n++;
    }
    if (rc == SIM_OK)
        rc = write_manifest(p, d);
    if (rc == SIM_OK)
        rc = ana_sweep_csv(p->dir, g->naxes, axis, n, value, sub, d);
    if (rc == SIM_OK) {
        remove_strays(p);
        if (n > 0 && p->o.nplot > 0)
            rc = ana_plot_grid(p->dir, g, p->status, p->o.plot,
                               p->o.nplot, p->o.title, p->o.gnuplot, d);
    }
    free(axis);
    free(value);
    free(subs);
    free(sub);
    return rc;
}

int ana_points_value(const ana_results *res, const char *name,
                     ana_srow *row)
{
    const char *dot = strrchr(name, '.');
    size_t i, len;

    if (!dot)
        return -1;
    len = (size_t)(dot - name);
    for (i = 0; i < res->nsum; i++)
        if (strlen(res->s[i].scope) == len
            && !strncmp(res->s[i].scope, name, len)
            && !strcmp(res->s[i].metric, dot + 1)) {
            *row = res->s[i];
            return 0;
        }
    return -1;
}
