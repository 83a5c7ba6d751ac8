/*
 * ana_points.h - the points of a sweep, run into a folder that survives
 * being stopped, so that the same command run again does only what is
 * left.
 *
 *   DIR/points/K/       a full results folder per point (point.csv holds
 *                       its axis values), written whole or not at all
 *   DIR/manifest.csv    point,status,hash,<axes>: each point finished,
 *                       rewritten (atomically) after each one
 *   DIR/sweep.csv, DIR/sweep.gp/.png/.svg: written by ana_points_finish()
 *
 * A point's hash is the SHA-256 of what its results depend on: qmesh's
 * version, the bytes of the scenario and topology files, the overrides
 * (the command's --set, then the point's axis values), the load, the
 * seed and the replications. A finished point whose hash is unchanged is
 * kept; any other is run again, so a resumed sweep ends with the files
 * an uninterrupted one writes (provenance.csv's date aside). Files the
 * scenario reads besides those two (an empirical distribution's samples)
 * are not part of the hash.
 *
 * Every point is loaded, hashed and checked for stability when the
 * folder is opened, so bad input stops the sweep before anything runs.
 * A point at which a queue is unstable is not simulated: the manifest
 * and the table say so, and sweep.csv has no rows for it.
 */
#ifndef ANA_POINTS_H
#define ANA_POINTS_H
#include <stddef.h>
#include "../models/mdl_scenario.h"
#include "ana_grid.h"
#include "ana_run.h"
#include "ana_table.h"

/* Load the scenario with the overrides sets[0..n-1] ("KEY=VALUE"),
 * applying the command's own options (-r, -s). Returns SIM_OK with *s
 * owned by the caller, or an error with d. */
typedef int (*ana_points_load_fn)(void *ctx, const char *const *sets,
                                  size_t n, mdl_scenario **s, sim_diag *d);

enum { ANA_POINT_TODO, ANA_POINT_DONE, ANA_POINT_UNSTABLE };

/* A point, as it is finished, kept or found unstable. */
typedef struct ana_point {
    size_t k;
    int status;                 /* ANA_POINT_DONE or _UNSTABLE */
    int kept;                   /* finished by an earlier command */
    const char *sub;            /* "points/K" */
    const ana_results *res;     /* its summary (DONE), valid during the
                                   call */
    const char *why;            /* UNSTABLE: which queue, at what load */
    const ana_run *run;         /* DONE and not kept: the run */
} ana_point;

typedef struct ana_points_opts {
    ana_run_opts run;           /* each point's replications */
    const char *command;        /* for provenance.csv */
    const char *const *sets;    /* the command's --set, before the axes' */
    size_t nsets;
    ana_points_load_fn load;
    void *load_ctx;
    /* Before a point runs (not when it is kept), and after each point;
     * either may be NULL. point returns 0 to go on. */
    void (*before)(void *ctx, size_t k);
    int (*point)(void *ctx, const ana_point *p);
    void *ctx;
    const char *gnuplot;        /* renders the plot; NULL: script only */
    const char *title;          /* of the plot */
    const char *const *plot;    /* "scope.metric" to plot */
    size_t nplot;
} ana_points_opts;

typedef struct ana_points {
    /* read-only */
    const ana_grid *g;          /* borrowed */
    char dir[4096];
    unsigned char *status;      /* per point: ANA_POINT_* */
    size_t ndone;               /* DONE or UNSTABLE */
    size_t nkept;               /* of those, kept from an earlier run */
    /* private */
    ana_points_opts o;
    char (*hash)[65];
    char **why;                 /* per unstable point */
    unsigned char *kept;
} ana_points;

/* Open (creating it) the sweep folder dir for the points of g (borrowed,
 * with its axes): check the folder, read its manifest, then load, hash
 * and check every point. Returns SIM_OK; SIM_EPARSE with d when dir may
 * not hold a sweep (it holds files and no manifest.csv or sweep.csv) or a
 * point's scenario is bad; SIM_EIO or SIM_ENOMEM. Call
 * ana_points_close() either way. */
int ana_points_open(ana_points *p, const ana_grid *g, const char *dir,
                    const ana_points_opts *o, sim_diag *d);
/* Run point k unless it is finished, and tell o->point. Returns SIM_OK;
 * 1 when o->point asked to stop; SIM_EINTR when a stop request cut the
 * point short (it is not recorded); the run's failure (with p->o's
 * callback told nothing; see d); or SIM_EIO/SIM_ENOMEM with d. */
int ana_points_run(ana_points *p, size_t k, sim_diag *d);
/* The same for points ks[0..n-1] at once: the replications of those to
 * run share one pool of o->run.jobs processes, so that points as well as
 * replications run in parallel; each point is written and told as its
 * last replication comes in. The results are those of running them one
 * by one. */
int ana_points_run_many(ana_points *p, const size_t *ks, size_t n,
                        sim_diag *d);
/* Write sweep.csv over the finished points, in point order, remove point
 * folders of other sweeps, and write the plot. Returns SIM_OK, or an
 * error with d. */
int ana_points_finish(ana_points *p, sim_diag *d);
void ana_points_close(ana_points *p);

/* The value of metric "scope.metric" (split at the last '.') in res:
 * the row's interval into *ci (mean, low, high, n; NaN when absent).
 * Returns 0, or -1 when res has no such row. */
int ana_points_value(const ana_results *res, const char *name,
                     ana_srow *row);

#endif /* ANA_POINTS_H */
