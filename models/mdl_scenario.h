/*
 * mdl_scenario.h - scenario files (YAML, DESIGN.md section 4): the
 * topology, the workloads, the run settings, per-service overrides and
 * the call edges that `calls:` names, read with libyaml and validated
 * before anything is simulated.
 *
 * Every error names file:line:column and the key, and unknown keys are
 * rejected with a did-you-mean hint. `--set a.b.c=value` overrides are
 * applied to the YAML tree before it is read, so they go through exactly
 * the same checks; an error in one names the override instead of a line.
 */
#ifndef MDL_SCENARIO_H
#define MDL_SCENARIO_H
#include <stddef.h>
#include <stdint.h>
#include "../sim/sim_err.h"
#include "mdl_dist.h"
#include "mdl_topology.h"

/*
 * Bounds of the counts a scenario may give, documented in
 * docs/format.md; mdl_topology.h has those of the topology. Replications
 * beyond 10,000 add nothing to a confidence interval; exact MVA costs
 * O(N^2) per multi-server station, about 2 s at a population of 10,000;
 * 10^12 requests would take days to simulate. The results of all
 * replications are kept in memory, MDL_RESULTS_MAX bytes at most.
 */
/* run.duration and run.warmup, s: at 10^9 s a double still tells events
 * 0.12 us apart; at 10^17 s the clock can no longer advance by a
 * millisecond and a run would never end. */
#define MDL_TIME_MAX 1e9
#define MDL_REPLICATIONS_MAX 10000
#define MDL_POPULATION_MAX 10000
#define MDL_REQUESTS_MAX 1000000000000L
#define MDL_RESULTS_MAX ((size_t)1 << 30)
/* Time-series windows of a replication: one row per window and series in
 * timeseries.csv, so 10^5 windows of a few dozen series and ten
 * replications already make tens of millions of rows. */
#define MDL_WINDOWS_MAX 100000
/* The pilot run of `warmup: auto` (analysis/ana_warmup.h) has windows
 * of its own, finer than run.window's usual 100: MSER-5 batches them by
 * 5, and over 20 batches it finds its minimum at the end by chance in 2
 * to 10% of settled series, over 100 or more in well under 1%. At least
 * 500 windows, coarser only when their results would not fit, and never
 * fewer than 50 (10 batches). The warm-up chosen is at most half of
 * run.duration. */
#define MDL_WARMUP_PILOT_WINDOWS 500
#define MDL_WARMUP_AUTO_WINDOWS 50

typedef struct mdl_workload {
    char *name;             /* owned, unique */
    int entry;              /* service index in the topology; -1 when the
                               workload has a mix of request classes */
    int closed;             /* 0: open (arrival), 1: closed (population) */
    mdl_dist arrival;       /* open: inter-arrival time, owned */
    long population;        /* closed: customers, >= 1 */
    mdl_dist think;         /* closed: think time, owned (det(0) if absent) */
    int line, col;          /* where it is defined, for diagnostics */
} mdl_workload;

/* A request class: a workload's requests of one type, reported on their
 * own. A workload without a `mix` has one class of its own name. */
typedef struct mdl_class {
    char *name;             /* owned, unique among all classes */
    int workload;           /* index of the workload that sends it */
    int entry;              /* service index where its requests enter */
    double share;           /* fraction of the workload's requests, (0, 1] */
    int line;               /* where it is defined */
} mdl_class;

/* An entry of the `calls:` block, which names one call edge and its call
 * policies (DESIGN.md section 4). No policy is simulated yet and the
 * loader refuses every one, so an entry changes nothing; it is kept for
 * the engine, with where it was written. */
/* Failure modes of `failures:` (DESIGN.md section 4). */
typedef enum mdl_fail_mode {
    MDL_FAIL_SLOW,          /* service times times factor */
    MDL_FAIL_ERROR,         /* the work is done, then an error (p) */
    MDL_FAIL_PARTITION,     /* calls on an edge fail at once */
    MDL_FAIL_CRASH,         /* replicas refuse, and fail what they hold */
    MDL_FAIL_HANG,          /* replicas accept and never answer */
    MDL_FAIL_UPDOWN         /* replicas crash and recover by turns */
} mdl_fail_mode;

/* One injected failure, over the window [at, at + len) of simulated
 * time from the start of a replication (warm-up included). */
typedef struct mdl_failure {
    mdl_fail_mode mode;
    int service;            /* its service, or -1 (a partition) */
    size_t edge;            /* a partition's call edge */
    double at;              /* s */
    double len;             /* s; +inf: to the end of the run */
    long replicas;          /* the first k replicas; 0: all */
    double factor;          /* slow: > 0 */
    double p;               /* error: probability, in (0, 1] */
    mdl_dist mttf, mttr;    /* updown: time up, time down; owned */
    int line;               /* where it is written; 0: unknown */
} mdl_failure;

/* "slow", "error", "partition"... as `mode:` spells it. */
const char *mdl_fail_mode_name(mdl_fail_mode m);

/* Outcomes a retry policy retries (bits of mdl_retry_policy.on). */
enum {
    MDL_RETRY_ON_ERROR = 1, MDL_RETRY_ON_TIMEOUT = 2, MDL_RETRY_ON_REJECTED = 4
};

/* A call edge's retry policy: Envoy's retries (fully jittered backoff,
 * retry budget) with gRPC's attempts and retry throttling. */
typedef struct mdl_retry_policy {
    long attempts;          /* tries in all, the first included; 0: none */
    unsigned on;            /* MDL_RETRY_ON_* */
    double base, cap;       /* backoff: retry n waits U(0, min(cap,
                               base (2^n - 1))) (s) */
    double budget_percent;  /* concurrent retries at most this % of the
                               calls outstanding on the edge; 0: none */
    long budget_min;        /* ... but always this many */
    double throttle_tokens; /* gRPC retryThrottling maxTokens; 0: none */
    double throttle_ratio;  /* tokens a success gives back */
} mdl_retry_policy;

/* A call edge's circuit breaker (Resilience4j's CircuitBreaker; its
 * defaults are those of CircuitBreakerConfig). */
typedef struct mdl_breaker_policy {
    int on;                 /* a breaker is configured */
    int time_based;         /* window in seconds, else in outcomes */
    long window;            /* 100 */
    long min_calls;         /* 100 */
    double failure_rate;    /* %, 50 */
    double slow_rate;       /* %, 100 */
    double slow_duration;   /* s, 60 */
    double open_for;        /* s, 60 */
    long half_open_calls;   /* 10 */
} mdl_breaker_policy;

/* A call edge's bulkhead (Resilience4j's SemaphoreBulkhead; its
 * defaults are those of BulkheadConfig). */
typedef struct mdl_bulkhead_policy {
    int on;                 /* a bulkhead is configured */
    long max_concurrent;    /* attempts in flight at most, 25 */
    double max_wait;        /* s an attempt may wait for a permit, 0 */
} mdl_bulkhead_policy;

/* A call edge's hedging policy (gRPC's hedgingPolicy, gRFC A6): the
 * first attempt goes out at once, another every delay while no answer
 * has come, attempts in all. */
typedef struct mdl_hedge_policy {
    long attempts;          /* gRPC maxAttempts, 2 to 5; 0: no hedging */
    double delay;           /* gRPC hedgingDelay (s), >= 0 */
} mdl_hedge_policy;

/* One entry of `calls:`. A policy field added here must also be refused
 * by the allow-list of exact models (analysis/ana_theory.c). */
typedef struct mdl_call_policy {
    char *key;              /* owned: the key as written, "a->b" or "a->b#1" */
    size_t edge;            /* index in topo->edges of a call edge */
    int line, col;          /* of the key; 0 when a --set added it */
    double timeout;         /* per attempt (s); 0: none */
    double deadline;        /* whole call (s); 0: none */
    mdl_retry_policy retry;
    mdl_breaker_policy breaker;
    mdl_hedge_policy hedge;
    mdl_bulkhead_policy bulkhead;
    int fallback;           /* a call that fails is answered locally */
} mdl_call_policy;

/* A service's rate limiter (`services: NAME: rate_limit:`): Envoy's
 * local rate limit, one token bucket per replica as each replica's
 * sidecar has its own; see mdl_ratelimit.h. */
typedef struct mdl_rate_limit_policy {
    int on;                 /* a limiter is configured */
    double rate;            /* tokens per second per replica, > 0 */
    long burst;             /* bucket size (Envoy's max_tokens), >= 1 */
} mdl_rate_limit_policy;

/* A service's outlier detection (`services: NAME: outlier:`): Envoy's
 * consecutive-5xx detection with its defaults; see mdl_outlier.h. */
typedef struct mdl_outlier_policy {
    int on;                 /* a detector is configured */
    long consecutive;       /* errors in a row that eject, 5 */
    double interval;        /* s between sweeps, 10 */
    double base_ejection;   /* s, 30 */
    double max_ejection;    /* s, max(300, base_ejection) */
    double max_percent;     /* % of replicas ejected at most, 10 */
    int always_eject_one;   /* Envoy's always_eject_one_host, 0 */
} mdl_outlier_policy;

/* A service's autoscaling policy (`services: NAME: autoscale:`;
 * mdl_autoscale.h). */
typedef struct mdl_autoscale_policy {
    int on;                 /* the service scales */
    double target;          /* utilization, (0, 1] */
    long min, max;          /* replicas, 1 <= min <= max */
    double interval;        /* s between decisions (HPA: 15 s) */
    double delay;           /* s from start to taking calls */
    double cooldown;        /* s after a change before a scale-down */
} mdl_autoscale_policy;

/* Server-side patterns of one service (`services:` keys that hold a
 * mapping). A pattern added here must also be refused by the allow-list
 * of exact models (analysis/ana_theory.c). */
typedef struct mdl_service_policy {
    mdl_rate_limit_policy rate_limit;
    mdl_outlier_policy outlier;
    mdl_autoscale_policy autoscale;
} mdl_service_policy;

/* `run.precision`: replications are added until the confidence
 * interval of one metric is narrow enough (ana_run.h). */
typedef struct mdl_precision {
    int on;
    char *metric;           /* owned: "SCOPE.METRIC" */
    double relative;        /* half-width over |mean|, in (0, 1) */
    unsigned max_replications;  /* at least `replications`; 200 */
    int line;               /* of the key */
} mdl_precision;

#define MDL_PRECISION_MAX_REPS 200  /* max_replications' default */

/* One axis of a sweep (`sweep:` block, or `qmesh sweep --axis`): a key
 * that `--set` accepts, or "load" (the bottleneck's utilization, as
 * `run --load` sets it), and the values it takes, as written. */
typedef struct mdl_axis {
    char *key;              /* owned */
    size_t nvalues;         /* >= 1 */
    char **values;          /* owned */
    int zip;                /* paired element by element with the other
                               zip axes, not crossed with them */
    int line;               /* of the key in the file; 0 from --axis */
} mdl_axis;

#define MDL_AXES_MAX 16     /* axes of one sweep */
#define MDL_AXIS_VALUES_MAX 1000

typedef struct mdl_scenario {
    char *path;             /* owned: the file as given */
    char *dir;              /* owned: its directory, for relative paths */
    char *name;             /* owned: `name`, or the file's base name */
    mdl_topology *topo;     /* owned */
    size_t nworkloads;
    mdl_workload *workloads;/* owned */
    size_t nclasses;
    mdl_class *classes;     /* owned, grouped by workload in file order */
    double duration;        /* s simulated after warm-up (> 0) */
    double warmup;          /* s, statistics reset at its end (>= 0);
                               0 while warmup_auto */
    int warmup_auto;        /* run.warmup: auto, chosen by a pilot run
                               (analysis/ana_warmup.h) */
    int pilot;              /* the copy a pilot of warmup: auto runs: the
                               failures with a window of their own left
                               out (ana_warmup_windowed()) */
    long requests;          /* stop after this many finished requests after
                               warm-up; 0 = use duration only */
    unsigned replications;  /* >= 1 */
    uint64_t seed;
    double confidence;      /* CI level, e.g. 0.95 */
    double window;          /* run.window, s; 0: not given (see
                               mdl_scenario_window()) */
    mdl_precision precision;
    int workload_line;      /* line of the `workload:` key */
    size_t ncalls;
    mdl_call_policy *calls; /* owned, in file order, each edge at most once */
    size_t nfailures;
    mdl_failure *failures;  /* owned, in file order */
    mdl_service_policy *svc_policy; /* owned: NULL when no service has a
                               pattern, else one per topology service */
    size_t naxes;
    mdl_axis *axes;         /* owned: the `sweep:` block, `grid:` axes
                               then `zip:` axes, each in file order */
    size_t nplot;
    char **plot;            /* owned: `sweep.plot`, "scope.metric" each */
    /* How it was made, so that another process can make it again
     * (analysis/ana_recipe.h): path, then these overrides, then these
     * loads (ana_run_set_load()) in the order they were set; seed and
     * replications are taken as they are. */
    size_t nsets;
    char **sets;            /* owned copies of the overrides, "KEY=VALUE" */
    size_t nloads;
    double *loads;          /* owned: each load set, in order */
} mdl_scenario;

/* Read path, apply the overrides sets[0..nsets-1] ("a.b.c=value"), load
 * the topology it names and check everything. Returns SIM_OK with *out
 * owned by the caller, SIM_EPARSE with d filled, or SIM_ENOMEM. */
int mdl_scenario_load(mdl_scenario **out, const char *path,
                      const char *const *sets, size_t nsets, sim_diag *d);
void mdl_scenario_free(mdl_scenario *s);
/* Record in s's recipe that its load was set to target (s->loads).
 * Returns SIM_OK, or SIM_ENOMEM with s unchanged. */
int mdl_scenario_add_load(mdl_scenario *s, double target);
/* Check run settings changed after loading (the -r option): replications
 * at most MDL_REPLICATIONS_MAX, and the results of all replications (an
 * upper estimate of replications * mdl_net_result_len() doubles) within
 * MDL_RESULTS_MAX bytes. The loader checks the file's own values. Returns
 * SIM_OK or SIM_EPARSE with d filled. */
int mdl_scenario_check_run(const mdl_scenario *s, sim_diag *d);
/* The most replications a run of s may take: `replications`, or with
 * run.precision the larger of it and max_replications. */
unsigned mdl_scenario_max_replications(const mdl_scenario *s);
/* The width of the time-series windows (s): run.window, or when the file
 * gives none the 1-2-5 x 10^k value nearest (in ratio) to a hundredth of
 * warm-up + duration, so that there are about 100 windows (71 to 159). */
double mdl_scenario_window(const mdl_scenario *s);
/* Windows per replication: (warm-up + duration) / window rounded up (a
 * window that fits to 1e-9 of its width counts whole); the last may be
 * shorter than the others. */
double mdl_scenario_windows(const mdl_scenario *s);
/* Parse a --axis argument, "KEY=[v1, v2, ...]" (a YAML flow list, so
 * values may hold commas inside quotes), into *a (zip 0, line 0; free
 * it with mdl_axis_destroy()). Returns SIM_OK, SIM_EPARSE with d naming
 * the argument, or SIM_ENOMEM. */
int mdl_axis_parse(mdl_axis *a, const char *text, sim_diag *d);
void mdl_axis_destroy(mdl_axis *a);
/* Check the axes a[0..n-1] together: no key twice, zip lists of one
 * length, "load" values numbers in [0.001, 1). Returns SIM_OK or
 * SIM_EPARSE with d (file, and the line of the axis when it has one). */
int mdl_axes_check(const mdl_axis *a, size_t n, const char *file,
                   sim_diag *d);


/* The window of the pilot of `warmup: auto` (s): the 1-2-5 x 10^k value
 * at or below run.duration / MDL_WARMUP_PILOT_WINDOWS, or the window of
 * a run without warm-up when finer, then coarser step by step while the
 * results of s->replications pilot replications would exceed
 * MDL_RESULTS_MAX; 0 when that would leave fewer than
 * MDL_WARMUP_AUTO_WINDOWS windows (the loader refuses it). */
double mdl_scenario_pilot_window(const mdl_scenario *s);
/* Does topology edge e apply to requests of class c (its `types`)? */
int mdl_scenario_edge_applies(const mdl_scenario *s, size_t e, size_t c);

#endif /* MDL_SCENARIO_H */
