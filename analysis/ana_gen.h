/*
 * ana_gen.h - the files of `qmesh gen`: a generated graph (mdl_gen.h)
 * written as DIR/NAME.gml, a topology qmesh loads, and DIR/NAME.yaml, a
 * scenario that runs it at once: one open Poisson workload whose rate
 * puts the busiest service at the load asked for, by the traffic
 * equations (ana_run_bottleneck()), and a run of p->requests requests
 * per replication (auto: about 2 x 10^5 visits, 100 to 10,000 requests).
 *
 * Both files are written atomically (ana_file.h): a symbolic link, a
 * FIFO or a folder in the way is refused before anything is written; a
 * regular file is replaced. Numbers are printed in fixed formats, with no
 * locale, so that the same graph gives the same bytes everywhere.
 */
#ifndef ANA_GEN_H
#define ANA_GEN_H
#include "../models/mdl_gen.h"
#include "../sim/sim_err.h"

/* What was written. */
typedef struct ana_gen_info {
    char gml[4096], yaml[4096]; /* the paths */
    double rate;                /* the workload's arrival rate (1/s) */
    double load;                /* the busiest service's load at it */
    char busiest[64];           /* that service's name */
    double visits;              /* visits per request (queueing stations) */
    double requests;            /* expected per replication */
    int ingress;                /* requests enter through 'ingress' */
    mdl_gen_shape shape;
} ana_gen_info;

/* Write g, generated from p, into folder dir (created if missing).
 * Returns SIM_OK with *info filled; SIM_EPARSE with d when something
 * other than a regular file is in the way; SIM_EIO with d; or
 * SIM_ENOMEM. */
int ana_gen_write(const mdl_gen_graph *g, const mdl_gen_params *p,
                  const char *dir, ana_gen_info *info, sim_diag *d);

#endif /* ANA_GEN_H */
