/*
 * ana_provenance.h - provenance.csv: where the files of a results folder
 * came from.
 *
 * Two columns, key and value, one row each: qmesh_version, command (as
 * typed, shell-quoted), name (the scenario's), scenario and scenario_sha256, topology and
 * topology_sha256 (SHA-256 of the files' bytes, so `sha256sum` can tell
 * whether a file changed since), seed, replications (asked for),
 * replications_done, load (sweep points only), date (UTC, ISO 8601),
 * complete (yes or no) and, for a partial result, why it is partial;
 * with run.precision, what it came to (precision); warmup_auto, for
 * `run.warmup: auto`, the warm-up chosen and how ("412 s (MSER-5 on
 * service:db queue_mean)"); then a row `failure` per injected failure
 * with a window (`at`/`for`):
 * "FROM TO MODE TARGET", times in s from the start of the replication
 * (warm-up included), TO clipped to the end of the run, TARGET a service
 * or an edge A->B. A comparison's folder (qmesh compare) names the
 * comparison, describes its first variant and has a row `variant` per
 * variant, in order, instead of the failures (each variant's own folder
 * has its full provenance).
 */
#ifndef ANA_PROVENANCE_H
#define ANA_PROVENANCE_H
#include "../models/mdl_scenario.h"

typedef struct ana_provenance {
    const char *command;        /* the command line */
    const mdl_scenario *s;      /* paths and seed */
    unsigned replications;      /* asked for */
    unsigned done;              /* finished */
    const char *load;           /* a sweep point's load, or NULL */
    const char *partial;        /* NULL when complete, else why not */
    const char *precision;      /* what run.precision came to, or NULL */
    const char *name;           /* NULL: s->name */
    const char *const *variants;/* a comparison's variants, or NULL */
    size_t nvariants;
    const char *warmup_auto;    /* the warm-up warmup: auto chose, or
                                   NULL */
} ana_provenance;

/* Write dir/provenance.csv. Returns SIM_OK, or SIM_EIO with d. */
int ana_provenance_write(const char *dir, const ana_provenance *p,
                         sim_diag *d);
/* SHA-256 of the file at path as 64 hex digits into hex[65]. Returns 0,
 * or -1 with errno. */
int ana_sha256_file(const char *path, char hex[65]);

#endif /* ANA_PROVENANCE_H */
