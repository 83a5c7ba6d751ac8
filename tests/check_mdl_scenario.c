/*
 * check_mdl_scenario.c - loading and validating scenario files.
 *
 * Fixtures: tests/data/good_full.yaml sets every key and overrides the
 * server; good_defaults.yaml only what is required; bad_*.yaml one error
 * each, whose file:line:column and message the error tests assert. They
 * use one.gml (one exponential server of mean 10 ms) and
 * sum_over_one.gml (forward probabilities 0.6 + 0.65 out of 'front').
 * Topology paths in a scenario are relative to the scenario file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tst.h"
#include "../analysis/ana_theory.h"
#include "../models/mdl_scenario.h"

/* Fixture path in a caller-owned buffer (tst_path's buffer is shared). */
static const char *fixture(char *buf, size_t n, const char *file)
{
    char rel[256];

    snprintf(rel, sizeof rel, "tests/data/%s", file);
    snprintf(buf, n, "%s", tst_path(rel));
    return buf;
}

static mdl_scenario *load_ok_set(const char *file, const char *const *sets,
                                 size_t nsets)
{
    char path[4096];
    mdl_scenario *s = NULL;
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(&s, fixture(path, sizeof path, file), sets, nsets,
                           &d);
    ck_assert_msg(rc == SIM_OK, "%s: rc %d: %s:%d:%d: %s", file, rc, d.file,
                  d.line, d.col, d.msg);
    ck_assert_ptr_nonnull(s);
    return s;
}

static mdl_scenario *load_ok(const char *file)
{
    return load_ok_set(file, NULL, 0);
}

/* Load file expecting SIM_EPARSE; d receives the diagnostic. */
static void load_bad_set(const char *file, const char *const *sets,
                         size_t nsets, sim_diag *d)
{
    char path[4096];
    mdl_scenario *s = (mdl_scenario *)1;
    int rc;

    memset(d, 0, sizeof *d);
    d->line = -1;
    rc = mdl_scenario_load(&s, fixture(path, sizeof path, file), sets, nsets,
                           d);
    ck_assert_msg(rc == SIM_EPARSE, "%s: rc %d, want SIM_EPARSE", file, rc);
    ck_assert_ptr_null(s);
}

static void assert_msg_has(const sim_diag *d, const char *want)
{
    ck_assert_msg(strstr(d->msg, want) != NULL, "'%s' lacks '%s'", d->msg,
                  want);
}

/* ------------------------------------------------------------------ */

START_TEST(test_good_scenario_reads_every_key)
{
    mdl_scenario *s = load_ok("good_full.yaml");
    char path[4096];
    const mdl_workload *w;

    ck_assert_str_eq(s->name, "full");
    ck_assert_str_eq(s->path, fixture(path, sizeof path, "good_full.yaml"));
    ck_assert_ptr_nonnull(s->topo);
    ck_assert_uint_eq(s->topo->nservices, 1);
    ck_assert_double_eq_tol(s->duration, 600.0, 1e-12);
    ck_assert_double_eq_tol(s->warmup, 2.5, 1e-12);
    ck_assert_uint_eq(s->replications, 7);
    ck_assert_uint_eq(s->seed, 2385);
    ck_assert_int_eq(s->requests, 1200);
    ck_assert_double_eq_tol(s->confidence, 0.9, 1e-12);
    ck_assert_int_eq(s->workload_line, 5);

    ck_assert_uint_eq(s->nworkloads, 2);
    w = &s->workloads[0];
    ck_assert_str_eq(w->name, "web");
    ck_assert_int_eq(w->entry, 0);
    ck_assert_int_eq(w->closed, 0);
    ck_assert_int_eq(w->arrival.kind, MDL_DIST_EXP);
    ck_assert_double_eq_tol(w->arrival.mean, 1.0 / 23.85, 1e-12);
    ck_assert_int_eq(w->line, 6);
    ck_assert_int_eq(w->col, 5);
    w = &s->workloads[1];
    ck_assert_str_eq(w->name, "batch");
    ck_assert_int_eq(w->closed, 1);
    ck_assert_int_eq(w->population, 3);
    ck_assert_int_eq(w->think.kind, MDL_DIST_DET);
    ck_assert_double_eq_tol(w->think.mean, 1.5, 1e-12);
    ck_assert_int_eq(w->line, 7);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_defaults_fill_absent_keys)
{
    mdl_scenario *s = load_ok("good_defaults.yaml");
    const mdl_workload *w;

    ck_assert_str_eq(s->name, "good_defaults");   /* the file's base name */
    ck_assert_uint_eq(s->replications, 10);
    ck_assert_uint_eq(s->seed, 1);
    ck_assert_double_eq_tol(s->confidence, 0.95, 1e-12);
    ck_assert_double_eq(s->warmup, 0.0);
    ck_assert_int_eq(s->requests, 0);
    ck_assert_double_eq_tol(s->duration, 90.0, 1e-12);
    ck_assert_uint_eq(s->nworkloads, 1);
    w = &s->workloads[0];
    ck_assert_str_eq(w->name, "server");          /* named after its entry */
    ck_assert_double_eq_tol(w->arrival.mean, 0.05, 1e-12);
    /* The topology is untouched: one.gml's own values. */
    ck_assert_int_eq(s->topo->services[0].servers, 1);
    ck_assert_double_eq_tol(s->topo->services[0].service.mean, 0.010, 1e-12);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_free_null_is_a_no_op)
{
    mdl_scenario_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_time_units_convert_to_seconds)
{
    static const struct { const char *text; double s; } cases[] = {
        { "10m", 600.0 }, { "2.385s", 2.385 }, { "250ms", 0.25 },
        { "1h", 3600.0 }, { "42", 42.0 }, { "1500us", 0.0015 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char set[64];
        const char *sets[1] = { set };
        mdl_scenario *s;

        snprintf(set, sizeof set, "run.duration=%s", cases[i].text);
        s = load_ok_set("good_defaults.yaml", sets, 1);
        ck_assert_msg(fabs(s->duration - cases[i].s) < 1e-12,
                      "'%s' gave %.17g s", cases[i].text, s->duration);
        mdl_scenario_free(s);
    }
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_services_block_overrides_the_topology)
{
    mdl_scenario *s = load_ok("good_full.yaml");
    const mdl_service *v = &s->topo->services[0];

    ck_assert_str_eq(v->name, "server");
    ck_assert_int_eq(v->servers, 2);              /* one.gml says 1 */
    ck_assert_int_eq(v->service.kind, MDL_DIST_DET);
    ck_assert_double_eq_tol(v->service.mean, 0.004, 1e-12);
    mdl_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_set_replaces_an_existing_scalar)
{
    const char *sets[] = { "run.duration=5s", "run.seed=77" };
    mdl_scenario *s = load_ok_set("good_full.yaml", sets, 2);

    ck_assert_double_eq_tol(s->duration, 5.0, 1e-12);
    ck_assert_uint_eq(s->seed, 77);
    ck_assert_uint_eq(s->replications, 7);        /* untouched */
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_set_adds_a_missing_key)
{
    const char *sets[] = { "services.server.servers=3", "run.warmup=1.25s" };
    mdl_scenario *s = load_ok_set("good_defaults.yaml", sets, 2);

    ck_assert_int_eq(s->topo->services[0].servers, 3);
    ck_assert_double_eq_tol(s->warmup, 1.25, 1e-12);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_set_changes_an_override_of_the_file)
{
    const char *sets[] = { "services.server.servers=5" };
    mdl_scenario *s = load_ok_set("good_full.yaml", sets, 1);

    ck_assert_int_eq(s->topo->services[0].servers, 5);
    ck_assert_double_eq_tol(s->topo->services[0].service.mean, 0.004, 1e-12);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_set_indexes_into_the_workload_list)
{
    const char *sets[] = { "workload.0.arrival=poisson(rate=2.385/s)",
                           "workload.1.population=9" };
    mdl_scenario *s = load_ok_set("good_full.yaml", sets, 2);

    ck_assert_double_eq_tol(s->workloads[0].arrival.mean, 1.0 / 2.385,
                            1e-12);
    ck_assert_int_eq(s->workloads[1].population, 9);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_set_null_removes_a_key)
{
    const char *off[] = { "calls.client->server.breaker=null" };
    const char *none[] = { "calls.client->nobody=~", "failures.1=null" };
    const char *all[] = { "calls=null" };
    mdl_scenario *s = load_ok_set("outage.yaml", off, 1);

    ck_assert_uint_eq(s->ncalls, 1);
    ck_assert(!s->calls[0].breaker.on);
    mdl_scenario_free(s);
    s = load_ok_set("outage.yaml", none, 2);    /* nothing to remove */
    ck_assert(s->calls[0].breaker.on);
    ck_assert_uint_eq(s->nfailures, 1);
    mdl_scenario_free(s);
    s = load_ok_set("outage.yaml", all, 1);
    ck_assert_uint_eq(s->ncalls, 0);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_warmup_auto_is_a_flag_with_warmup_0)
{
    const char *sets[] = { "run.warmup=auto" }, *back[] = { "run.warmup=2.5s" };
    mdl_scenario *s = load_ok("good_warmup_auto.yaml");

    ck_assert_int_eq(s->warmup_auto, 1);
    ck_assert_double_eq(s->warmup, 0.0);    /* the pilot's */
    mdl_scenario_free(s);
    s = load_ok_set("good_defaults.yaml", sets, 1);
    ck_assert_int_eq(s->warmup_auto, 1);
    mdl_scenario_free(s);
    s = load_ok_set("good_warmup_auto.yaml", back, 1);
    ck_assert_int_eq(s->warmup_auto, 0);
    ck_assert_double_eq_tol(s->warmup, 2.5, 1e-12);
    mdl_scenario_free(s);
    s = load_ok("good_defaults.yaml");
    ck_assert_int_eq(s->warmup_auto, 0);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_set_flow_value_makes_a_mapping_or_list)
{
    const char *on[] = { "calls.client->server.breaker={window: 20, "
                         "open_for: 5s}" };
    const char *add[] = { "calls.client->server.retry={attempts: 3, "
                          "on: [timeout, error]}" };
    const char *bad[] = { "calls.client->server.breaker={window: 20, "
                          "open_for: soon}" };
    const char *cut[] = { "calls.client->server.breaker={window: 20" };
    const char *item[] = { "failures.0=null" };
    const char *self[] = { "calls.client->server.breaker=[&a [*a]]" };
    mdl_scenario *s = load_ok_set("outage.yaml", on, 1);
    sim_diag d;

    /* the mapping replaces the file's: what it leaves out is default */
    ck_assert(s->calls[0].breaker.on);
    ck_assert_int_eq(s->calls[0].breaker.window, 20);
    ck_assert_int_eq(s->calls[0].breaker.half_open_calls, 10);
    ck_assert_double_eq_tol(s->calls[0].breaker.open_for, 5, 1e-12);
    mdl_scenario_free(s);
    s = load_ok_set("outage.yaml", add, 1);
    ck_assert_int_eq(s->calls[0].retry.attempts, 3);
    mdl_scenario_free(s);
    load_bad_set("outage.yaml", bad, 1, &d);
    assert_msg_has(&d, "in --set 'calls.client->server.breaker={window: 20, "
                   "open_for: soon}'");
    assert_msg_has(&d, "'open_for' must be a time");
    load_bad_set("outage.yaml", cut, 1, &d);
    assert_msg_has(&d, "is not a YAML list or mapping");
    load_bad_set("outage.yaml", item, 1, &d);
    assert_msg_has(&d, "only a key of a mapping can be removed");
    load_bad_set("outage.yaml", self, 1, &d);
    assert_msg_has(&d, "refers to itself");
}
END_TEST

/* The pilot's windows: the 1-2-5 value at or below duration / 500, or
 * a finer run.window; coarser only when the results would not fit. */
START_TEST(test_warmup_pilot_has_fine_windows_that_fit)
{
    static const struct { const char *set; double window; } cases[] = {
        { "run.duration=90s", 0.1 },        /* 0.18 s: 900 windows */
        { "run.duration=6000s", 10 },       /* 12 s: 600 windows */
        { "run.duration=2385s", 2 },        /* 4.77 s: 1192 windows */
        { "run.window=1m", 0.1 },           /* the finer of the two */
        { "run.window=0.025s", 0.025 },
    };
    const char *sets[2];
    mdl_scenario *s;
    sim_diag d;
    double w;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        sets[0] = cases[i].set;
        s = load_ok_set("good_warmup_auto.yaml", sets, 1);
        ck_assert_msg(fabs(mdl_scenario_pilot_window(s) - cases[i].window)
                      < 1e-12, "%s: %g s", cases[i].set,
                      mdl_scenario_pilot_window(s));
        mdl_scenario_free(s);
    }
    /* 8000 replications of 900 windows would not fit: fewer, wider,
     * 1-2-5 windows, and still at least 50. */
    sets[0] = "run.window=90s";
    sets[1] = "run.replications=8000";
    s = load_ok_set("good_warmup_auto.yaml", sets, 2);
    w = mdl_scenario_pilot_window(s);
    ck_assert_msg(w > 0.1 && 90 / w >= 50, "%g s", w);
    ck_assert_double_eq_tol(w / pow(10, floor(log10(w))),
                            nearbyint(w / pow(10, floor(log10(w)))), 1e-9);
    /* -r after loading is checked for the pilot too. */
    memset(&d, 0, sizeof d);
    s->replications = 8600;
    ck_assert_int_eq(mdl_scenario_check_run(s, &d), SIM_EPARSE);
    assert_msg_has(&d, "the pilot run of 'warmup: auto'");
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_later_set_wins)
{
    const char *sets[] = { "run.replications=3", "run.replications=4" };
    mdl_scenario *s = load_ok_set("good_defaults.yaml", sets, 2);

    ck_assert_uint_eq(s->replications, 4);
    mdl_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */

/* One bad file: where the error is and words its message must hold. */
typedef struct bad_case {
    const char *file;
    const char *diag_file;      /* NULL: the scenario itself */
    int line, col;
    const char *want[3];
} bad_case;

static const bad_case bad_cases[] = {
    { "bad_yaml.yaml", NULL, 4, 1,
      { "malformed YAML", "flow mapping" } },
    /* A second document used to be ignored. */
    { "bad_two_docs.yaml", NULL, 6, 1,
      { "a second YAML document starts here", "holds one" } },
    { "bad_top_key.yaml", NULL, 2, 1,
      { "unknown key 'worklaod'", "did you mean 'workload'?" } },
    /* Names: a folder of their own, unambiguous scopes, no formulas. */
    { "bad_name_scenario.yaml", NULL, 1, 7,
      { "scenario name '../../etc' holds '/'", "results folder" } },
    { "bad_name_workload.yaml", NULL, 3, 13,
      { "workload name '=HYPERLINK(1)'", "spreadsheets run" } },
    { "bad_name_control.yaml", NULL, 3, 13,
      { "workload name 'line\\x0abreak'", "a control character" } },
    { "bad_name_class.yaml", NULL, 6, 9,
      { "request class 'a#1' holds '#'" } },
    { "bad_name_service.yaml", "bad_name_service.gml", 5, 0,
      { "service name 'db->x' holds '->'" } },
    { "bad_run_key.yaml", NULL, 6, 3,
      { "unknown key 'replicatons' in 'run'",
        "did you mean 'replications'?" } },
    { "bad_workload_key.yaml", NULL, 5, 5,
      { "unknown key 'arival' in a workload", "did you mean 'arrival'?" } },
    { "bad_entry.yaml", NULL, 3, 25,
      { "unknown service 'servr' as entry of workload 'web'",
        "did you mean 'server'?" } },
    { "bad_service_name.yaml", NULL, 7, 3,
      { "unknown service 'database' in 'services'", "one.gml" } },
    { "bad_service_attr.yaml", NULL, 9, 5,
      { "unknown attribute 'servrs'", "did you mean 'servers'?" } },
    { "bad_topology_missing.yaml", NULL, 2, 11,
      { "cannot open topology 'no_such_file.gml'" } },
    /* The column points at the '-' inside "poisson(rate=-20/s)". */
    { "bad_rate_negative.yaml", NULL, 3, 45,
      { "'arrival'", "rate must be positive", "'-20/s'" } },
    { "bad_rate_zero.yaml", NULL, 3, 45,
      { "'arrival'", "rate must be positive", "'0/s'" } },
    { "bad_duration.yaml", NULL, 6, 13,
      { "'duration' must be positive", "'0s'" } },
    /* The column points at "rat" inside the string, not at its quote. */
    { "bad_dist.yaml", NULL, 3, 40,
      { "'arrival'", "unknown parameter 'rat'", "did you mean 'rate'?" } },
    { "bad_both.yaml", NULL, 3, 5,
      { "workload 'mixed'", "exactly one of 'arrival'", "'population'" } },
    /* An override may not pick what the simulator cannot run. */
    { "bad_priority.yaml", NULL, 7, 25,
      { "discipline 'priority' is not simulated yet", "fifo or ps" } },
    /* Bounded counts (mdl_scenario.h). */
    { "bad_replications.yaml", NULL, 6, 17,
      { "'replications' must be between 1 and 10000", "'10001'" } },
    { "bad_results.yaml", NULL, 8, 17,
      { "9000 replications need", "MiB for their results",
        "use at most 8091" } },
    { "bad_population.yaml", NULL, 3, 34,
      { "'population' must be between 1 and 10000", "'1000000'" } },
    { "bad_requests.yaml", NULL, 6, 13,
      { "'requests' must be between 0 and 1000000000000",
        "'99999999999999999999'" } },
    /* Time-series windows: positive, and not absurdly many. */
    { "bad_window.yaml", NULL, 6, 11,
      { "'window' must be positive", "'0s'" } },
    { "bad_window_many.yaml", NULL, 7, 11,
      { "'window' of 0.01 s makes 420000 time-series windows",
        "more than the 100000 qmesh keeps (each is a row of timeseries.csv",
        "use a window of at least 0.042 s" } },
    /* warmup: a time or auto; auto needs room for its pilot's windows
     * and for the longest warm-up it may choose (half the duration). */
    { "bad_warmup.yaml", NULL, 5, 11,
      { "'warmup' must be a time such as 1m", "or auto (chosen by MSER-5",
        "found 'soon'" } },
    { "bad_warmup_pilot.yaml", NULL, 10, 17,
      { "the pilot run of 'warmup: auto' needs at least 50 time-series "
        "windows", "the results of 8600 replications of them take more "
        "than the 1024 MiB", "use fewer replications" } },
    { "bad_warmup_many.yaml", NULL, 7, 11,
      { "'window' of 0.04 s makes 135000 time-series windows",
        "(5400 s, with the longest automatic warm-up)",
        "use a window of at least 0.054 s" } },
    /* The topology's own check: the file and line of 'front'. */
    { "bad_forward_sum.yaml", "sum_over_one.gml", 4, 0,
      { "forward probabilities out of 'front'", "1.25", "> 1" } },
};

START_TEST(test_error_names_file_line_column_and_key)
{
    const bad_case *c = &bad_cases[_i];
    char want_file[4096];
    sim_diag d;
    size_t k;

    load_bad_set(c->file, NULL, 0, &d);
    fixture(want_file, sizeof want_file,
            c->diag_file ? c->diag_file : c->file);
    ck_assert_str_eq(d.file, want_file);
    ck_assert_msg(d.line == c->line && d.col == c->col,
                  "%s: at %d:%d, want %d:%d (%s)", c->file, d.line, d.col,
                  c->line, c->col, d.msg);
    for (k = 0; k < 3 && c->want[k]; k++)
        assert_msg_has(&d, c->want[k]);
}
END_TEST

START_TEST(test_error_messages_are_lower_case_without_full_stop)
{
    const bad_case *c = &bad_cases[_i];
    sim_diag d;
    size_t len;

    load_bad_set(c->file, NULL, 0, &d);
    len = strlen(d.msg);
    ck_assert_msg(len > 0 && !(d.msg[0] >= 'A' && d.msg[0] <= 'Z')
                  && d.msg[len - 1] != '.', "%s: '%s'", c->file, d.msg);
}
END_TEST

START_TEST(test_missing_scenario_names_it)
{
    mdl_scenario *s = (mdl_scenario *)1;
    sim_diag d;

    ck_assert_int_eq(mdl_scenario_load(&s, tst_path("tests/data/none.yaml"),
                                       NULL, 0, &d), SIM_EPARSE);
    ck_assert_ptr_null(s);
    assert_msg_has(&d, "cannot open scenario");
    assert_msg_has(&d, "none.yaml");
}
END_TEST

/* Load path (not a fixture) expecting SIM_EPARSE with want in the
 * message; d receives the diagnostic. */
static void load_path_bad(const char *path, const char *want, sim_diag *d)
{
    mdl_scenario *s = (mdl_scenario *)1;

    memset(d, 0, sizeof *d);
    ck_assert_int_eq(mdl_scenario_load(&s, path, NULL, 0, d), SIM_EPARSE);
    ck_assert_ptr_null(s);
    assert_msg_has(d, want);
}

START_TEST(test_scenario_must_be_a_regular_file)
{
    char dir[512];
    sim_diag d;

    /* A FIFO used to block until a writer came, /dev/zero to fill
     * memory. */
    load_path_bad("/dev/zero", "'/dev/zero': it is a device, not a regular "
                  "file", &d);
    load_path_bad(tst_path("tests/data"), "it is a directory", &d);
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    load_path_bad(tst_special_file(dir, "pipe.yaml", -1), "it is a pipe",
                  &d);
    load_path_bad(tst_special_file(dir, "big.yaml", (64L << 20) + 1),
                  "is larger than 64 MiB", &d);
    tst_rm_tree(dir);
}
END_TEST

/* Write a scenario whose `services` value opens n collections with open
 * (each followed by body) and return its path. */
static const char *write_nested(const char *dir, const char *open, long n)
{
    static char path[600];
    FILE *f;
    long i;

    snprintf(path, sizeof path, "%s/deep.yaml", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("services: ", f);
    for (i = 0; i < n; i++)
        fputs(open, f);
    fputs("\n", f);
    fclose(f);
    return path;
}

START_TEST(test_yaml_nesting_stops_at_64_levels)
{
    char dir[512];
    sim_diag d;

    /* A million levels kept libyaml busy for minutes; the 65th level
     * (the scenario mapping is the first) stops the reading. */
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    load_path_bad(write_nested(dir, "[", 1000000),
                  "YAML nested deeper than 64 levels", &d);
    ck_assert_int_eq(d.line, 1);
    ck_assert_int_eq(d.col, 11 + 63);
    load_path_bad(write_nested(dir, "{a: ", 1000000),
                  "YAML nested deeper than 64 levels", &d);
    ck_assert_int_eq(d.line, 1);
    ck_assert_int_eq(d.col, 11 + 4 * 63);
    tst_rm_tree(dir);
}
END_TEST

START_TEST(test_check_run_sees_replications_set_after_loading)
{
    mdl_scenario *s = load_ok("good_defaults.yaml");
    sim_diag d;

    /* What the -r option does after loading. */
    ck_assert_int_eq(mdl_scenario_check_run(s, &d), SIM_OK);
    s->replications = 1000000;
    ck_assert_int_eq(mdl_scenario_check_run(s, &d), SIM_EPARSE);
    ck_assert_str_eq(d.msg, "--replications must be a whole number from 1 "
                            "to 10000, found '1000000'");
    s->replications = 9000;
    ck_assert_int_eq(mdl_scenario_check_run(s, &d), SIM_EPARSE);
    assert_msg_has(&d, "--replications 9000: 9000 replications need");
    s->replications = 8091;
    ck_assert_int_eq(mdl_scenario_check_run(s, &d), SIM_OK);
    mdl_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_set_without_equals_is_an_error)
{
    const char *sets[] = { "run.duration" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_str_eq(d.file, "");
    ck_assert_int_eq(d.line, 0);
    assert_msg_has(&d, "--set 'run.duration'");
    assert_msg_has(&d, "key.path=value");
}
END_TEST

START_TEST(test_set_with_a_bad_value_names_the_set)
{
    const char *sets[] = { "run.duration=-5s" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_str_eq(d.file, "");                /* no file line holds it */
    ck_assert_int_eq(d.line, 0);
    assert_msg_has(&d, "--set 'run.duration=-5s'");
    assert_msg_has(&d, "'duration' must be positive");
}
END_TEST

START_TEST(test_set_of_an_unknown_key_names_the_set)
{
    const char *sets[] = { "run.durration=5s" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_int_eq(d.line, 0);
    assert_msg_has(&d, "--set 'run.durration=5s'");
    assert_msg_has(&d, "did you mean 'duration'?");
}
END_TEST

START_TEST(test_set_of_a_bad_service_value_names_the_set)
{
    const char *sets[] = { "services.server.servers=0" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_int_eq(d.line, 0);
    assert_msg_has(&d, "--set 'services.server.servers=0'");
    assert_msg_has(&d, "servers must be a positive integer");
}
END_TEST

START_TEST(test_set_rejects_nan_inf_and_endless_times)
{
    static const char *const bad[][2] = {
        /* Never finished: the clock stops advancing long before. */
        { "run.duration=1e300s", "'duration' must be at most 1000000000 s" },
        { "run.warmup=1e308", "'warmup' must be at most 1000000000 s" },
        { "run.warmup=-1s", "'warmup' must be zero or positive" },
        { "run.warmup=Auto", "or auto (chosen by MSER-5 from a pilot run), "
          "found 'Auto'" },
        { "run.duration=nan", "'duration' must be a time" },
        { "run.window=abc", "'window' must be a time" },
        { "run.window=1e300s", "'window' must be at most 1000000000 s" },
        { "run.confidence=nan", "'confidence' must be a level" },
        { "run.confidence=inf", "'confidence' must be a level" },
        { "workload.0.arrival=poisson(rate=nan/s)", "'nan/s'" },
        { "services.server.servers=-inf", "servers must be a positive" },
        { "services.server.capacity=NaN", "capacity must be a non-negative" },
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *sets[1];
        sim_diag d;

        sets[0] = bad[i][0];
        load_bad_set("good_defaults.yaml", sets, 1, &d);
        assert_msg_has(&d, bad[i][1]);
    }
}
END_TEST

START_TEST(test_set_of_a_broker_is_refused_on_reading)
{
    const char *sets[] = { "services.server.kind=broker" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_int_eq(d.line, 0);
    ck_assert_str_eq(d.msg, "in --set 'services.server.kind=broker': kind "
                            "'broker' is not simulated yet; use service or "
                            "delay");
}
END_TEST

START_TEST(test_set_that_adds_a_mapping_names_the_set)
{
    /* 'name' gets a new mapping as its value, which no file line holds. */
    const char *sets[] = { "name.x=1" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    ck_assert_msg(d.line == 0, "at %s:%d:%d: %s", d.file, d.line, d.col,
                  d.msg);
    assert_msg_has(&d, "--set 'name.x=1'");
    assert_msg_has(&d, "'name' must be a value");
}
END_TEST

START_TEST(test_set_index_out_of_range_is_an_error)
{
    const char *sets[] = { "workload.3.arrival=poisson(rate=1/s)" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    assert_msg_has(&d, "'3' is not an index of a list of 1");
}
END_TEST

START_TEST(test_set_into_a_value_is_an_error)
{
    const char *sets[] = { "run.duration.unit=s" };
    sim_diag d;

    load_bad_set("good_defaults.yaml", sets, 1, &d);
    assert_msg_has(&d, "--set 'run.duration.unit=s'");
    assert_msg_has(&d, "cannot go into 'unit'");
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_stability_accepts_a_stable_queue)
{
    mdl_scenario *s = load_ok("good_defaults.yaml");   /* load 0.2 */
    sim_diag d;

    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_OK);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_stability_rejects_an_overloaded_queue)
{
    mdl_scenario *s = load_ok("bad_unstable.yaml");    /* 120/s * 10 ms */
    char path[4096];
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_EUNSTABLE);
    ck_assert_str_eq(d.file, fixture(path, sizeof path, "bad_unstable.yaml"));
    ck_assert_int_eq(d.line, 4);                       /* workload: */
    assert_msg_has(&d, "service 'server'");
    assert_msg_has(&d, "load 1.2");
    assert_msg_has(&d, "120/s");
    mdl_scenario_free(s);
}
END_TEST

/* A rate limit admits at most its rate: 120/s limited to 90/s on 10 ms
 * of work is stable; limited to 110/s it is not (load 1.1). */
START_TEST(test_stability_counts_what_a_rate_limit_admits)
{
    static const char *const low[] = {
        "services.server.rate_limit.rate=90/s",
        "services.server.rate_limit.burst=5"
    };
    static const char *const high[] = {
        "services.server.rate_limit.rate=110/s",
        "services.server.rate_limit.burst=5"
    };
    mdl_scenario *s = load_ok_set("bad_unstable.yaml", low, 2);
    sim_diag d;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_OK);
    mdl_scenario_free(s);
    s = load_ok_set("bad_unstable.yaml", high, 2);
    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_EUNSTABLE);
    assert_msg_has(&d, "load 1.1 (arrival rate 110/s, capacity 100/s)");
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_stability_sees_set_overrides)
{
    /* Three servers take 300/s: the same file is now stable. */
    const char *sets[] = { "services.server.servers=3" };
    mdl_scenario *s = load_ok_set("bad_unstable.yaml", sets, 1);
    sim_diag d;

    ck_assert_int_eq(ana_theory_stability(s, &d), SIM_OK);
    mdl_scenario_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */

/* Write a scenario of tests/data/calls.gml whose `calls:` block (from
 * line 6) is block, and load it with the overrides sets[0..nsets-1]. */
static int load_calls(const char *block, const char *const *sets,
                      size_t nsets, mdl_scenario **s, sim_diag *d)
{
    char dir[512], path[600], text[4096];

    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    snprintf(text, sizeof text,
             "topology: %s\n"
             "workload:\n"
             "  - { entry: front, arrival: \"poisson(rate=0.1/s)\" }\n"
             "run: { duration: 100s }\n"
             "calls:\n%s\n", tst_path("tests/data/calls.gml"), block);
    tst_write(dir, "calls.yaml", text);
    snprintf(path, sizeof path, "%s/calls.yaml", dir);
    memset(d, 0, sizeof *d);
    *s = NULL;
    return mdl_scenario_load(s, path, sets, nsets, d);
}

typedef struct calls_case {
    const char *block;
    int line, col;
    const char *msg;            /* %s: the topology's path */
} calls_case;

static const calls_case calls_cases[] = {
    { "  front->cart: {}", 6, 3,
      "calls 'front->cart': 'front' calls 'cart' over 2 edges; name one "
      "of front->cart#0, front->cart#1" },
    { "  front->crat#0: {}", 6, 10,
      "unknown service 'crat' in calls 'front->crat#0'; did you mean "
      "'cart'?" },
    { "  \"frnt->cart\": {}", 6, 4,
      "unknown service 'frnt' in calls 'frnt->cart'; did you mean "
      "'front'?" },
    { "  cart->qq: {}", 6, 9,
      "unknown service 'qq' in calls 'cart->qq' (not in topology %s)" },
    { "  cart->front: {}", 6, 3,
      "calls 'cart->front': no call edge from 'cart' to 'front' in "
      "topology %s" },
    { "  pay->log: {}", 6, 3,
      "calls 'pay->log': the edge from 'pay' to 'log' is a forward edge, "
      "not a call edge" },
    { "  front->cart#2: {}", 6, 14,
      "calls 'front->cart#2': 'front' calls 'cart' over 2 edges; name one "
      "of front->cart#0, front->cart#1" },
    { "  front->cart#99999999999999999999999: {}", 6, 14,
      "calls 'front->cart#99999999999999999999999': 'front' calls 'cart' "
      "over 2 edges; name one of front->cart#0, front->cart#1" },
    { "  cart->pay#1: {}", 6, 12,
      "calls 'cart->pay#1': 'cart' calls 'pay' over one edge; name it "
      "cart->pay" },
    { "  cart->pay#x: {}", 6, 12,
      "calls 'cart->pay#x': '#' must be followed by the number of an edge, "
      "such as #0" },
    { "  cart->pay#: {}", 6, 12,
      "calls 'cart->pay#': '#' must be followed by the number of an edge, "
      "such as #0" },
    { "  cart->pay: {}\n  cart->pay#0: {}", 7, 3,
      "calls 'cart->pay#0' names the same edge as 'cart->pay' on line 6" },
    { "  front->cart#1: {}\n  front->cart#1: {}", 7, 3,
      "duplicate key 'front->cart#1' in 'calls'" },
    { "  cart->pay: 3", 6, 14,
      "calls 'cart->pay' must be a mapping, found a value" },
    { "  cart->pay: [timeout]", 6, 14,
      "calls 'cart->pay' must be a mapping, found a list" },
    { "  cart->pay: { timeout: -800ms }", 6, 25,
      "'timeout' must be zero or positive, found '-800ms'" },
    { "  cart->pay: { deadline: soon }", 6, 26,
      "'deadline' must be a time such as 10m, 30s or 250ms, found 'soon'" },
    { "  cart->pay: { hedge: { delay: -5ms, attempts: 2 } }", 6, 32,
      "'delay' must be zero or positive, found '-5ms'" },
    { "  cart->pay: { hedge: { delay: 5ms, attempts: 1 } }", 6, 47,
      "'attempts' of a hedge must be 2 to 5 (gRPC maxAttempts: the first "
      "attempt included, at most 5), found '1'" },
    { "  cart->pay: { hedge: { delay: 5ms, attempts: 6 } }", 6, 47,
      "'attempts' of a hedge must be 2 to 5 (gRPC maxAttempts: the first "
      "attempt included, at most 5), found '6'" },
    { "  cart->pay: { hedge: { delay: 5ms, attempts: two } }", 6, 47,
      "'attempts' must be an integer, found 'two'" },
    { "  cart->pay: { hedge: { delay: 5ms } }", 6, 23,
      "'hedge' of calls 'cart->pay' needs 'attempts' (gRPC's "
      "hedgingPolicy has no default for it)" },
    { "  cart->pay: { hedge: { attempts: 2 } }", 6, 23,
      "'hedge' of calls 'cart->pay' needs 'delay' (gRPC's hedgingPolicy "
      "has no default for it)" },
    { "  cart->pay: { hedge: { delay: 5ms, attempt: 2 } }", 6, 37,
      "unknown hedge key 'attempt' in 'hedge' of calls 'cart->pay'; did "
      "you mean 'attempts'?" },
    { "  cart->pay:\n    retry: { attempts: 2 }\n"
      "    hedge: { delay: 5ms, attempts: 2 }", 8, 5,
      "calls 'cart->pay' has both 'retry' and 'hedge'; gRPC allows one or "
      "the other on a method" },
    { "  cart->pay:\n    hedge: { delay: 5ms, attempts: 2 }\n"
      "    timeout: 1s", 7, 5,
      "calls 'cart->pay' has both 'timeout' and 'hedge': hedged attempts "
      "run side by side and only 'deadline' bounds the call, as in gRPC" },
    { "  cart->pay: { retry: { attempts: 0 } }", 6, 35,
      "'attempts' must be between 1 and 100, found '0'" },
    { "  cart->pay: { retry: { on: [eror] } }", 6, 30,
      "'on' names outcomes to retry: error, timeout or rejected, found "
      "'eror'; did you mean 'error'?" },
    { "  cart->pay: { retry: { backoff: \"jitter(base=-1ms)\" } }", 6, 46,
      "'backoff' needs a positive time, found '-1ms'" },
    { "  cart->pay: { retry: { budget: { percent: 150 } } }", 6, 44,
      "'percent' must be a number above 0 and at most 100, found '150'" },
    { "  cart->pay: { retry: { throttle: { tokens: 10 } } }", 6, 35,
      "'throttle' needs tokens and ratio" },
    { "  cart->pay: { breaker: { window: 10.5s } }", 6, 35,
      "'window' must be a count of calls such as 100 or whole seconds "
      "such as 10s, found '10.5s'" },
    { "  cart->pay: { breaker: { failure_rate: 150% } }", 6, 41,
      "'failure_rate' must be a percentage above 0 and at most 100 such "
      "as 50%, found '150%'" },
    { "  cart->pay: { breaker: { half_open_calls: 0 } }", 6, 44,
      "'half_open_calls' must be between 1 and 1000000, found '0'" },
    { "  cart->pay: { breaker: { open: 10s } }", 6, 27,
      "unknown breaker key 'open' in 'breaker' of calls 'cart->pay'; "
      "did you mean 'open_for'?" },
    { "  cart->pay: { bulkhead: { max_concurrent: 0 } }", 6, 44,
      "'max_concurrent' must be between 1 and 1000000, found '0'" },
    { "  cart->pay: { bulkhead: { max_concurrent: 2.5 } }", 6, 44,
      "'max_concurrent' must be an integer, found '2.5'" },
    { "  cart->pay: { bulkhead: { max_wait: -1s } }", 6, 38,
      "'max_wait' must be zero or positive, found '-1s'" },
    { "  cart->pay: { bulkhead: { max_wait: soon } }", 6, 38,
      "'max_wait' must be a time such as 10m, 30s or 250ms, found 'soon'" },
    { "  cart->pay: { bulkhead: { max_calls: 3 } }", 6, 28,
      "unknown bulkhead key 'max_calls' in 'bulkhead' of calls "
      "'cart->pay'" },
    { "  cart->pay: { bulkhead: 10 }", 6, 26,
      "'bulkhead' of calls 'cart->pay' must be a mapping, found a value" },
    { "  cart->pay: { fallback: yes }", 6, 26,
      "'fallback' must be true or false (or 1 or 0), found 'yes'" },
    { "  cart->pay: { fallback: [true] }", 6, 26,
      "'fallback' must be a value, found a list" },
    { "  cart->pay: { retry: { tries: 3 } }", 6, 25,
      "unknown retry key 'tries' in 'retry' of calls 'cart->pay'" },
    { "  cart->pay: { timout: 800ms }", 6, 16,
      "unknown call policy key 'timout' in calls 'cart->pay'; did you "
      "mean 'timeout'?" },
    { "  cart->pay: { colour: red }", 6, 16,
      "unknown call policy key 'colour' in calls 'cart->pay'" },
    { "  cartpay: {}", 6, 3,
      "calls key 'cartpay' must name a call edge as 'caller->callee' or "
      "'caller->callee#K'" },
    { "  \"*->*\": {}", 6, 3,
      "calls key '*->*': '*' stands for one side, every caller "
      "('*->callee') or every callee ('caller->*')" },
    { "  \"*->pay#0\": {}", 6, 3,
      "calls key '*->pay#0': '*' stands for every caller ('*->callee') or "
      "every callee ('caller->*'), without '#'" },
    { "  \"*->pya\": {}", 6, 7,
      "unknown service 'pya' in calls '*->pya'; did you mean 'pay'?" },
    { "  \"pay->*\": {}", 6, 3,
      "calls 'pay->*': 'pay' makes no call edge in topology %s" },
    { "  \"*->front\": {}", 6, 3,
      "calls '*->front': 'front' receives no call edge in topology %s" },
    { "  \"*->pay\": { timeout: 1s }\n  \"cart->*\": { timeout: 2s }", 7, 3,
      "calls '*->pay' and 'cart->*' both match the call edge from 'cart' "
      "to 'pay'; give it an entry of its own" },
    { "  - cart->pay", 6, 3, "'calls' must be a mapping, found a list" },
};

/* A '*' on one side stands for every caller or every callee: each edge
 * it matches that has no entry of its own takes its policies. */
START_TEST(test_wildcard_calls_fill_the_edges_left)
{
    mdl_scenario *s;
    sim_diag d;
    size_t i, n = 0;

    ck_assert_int_eq(load_calls("  \"front->*\": { timeout: 1s }\n"
                                "  front->cart#1: { timeout: 3s }\n"
                                "  \"*->pay\": { deadline: 2s }\n"
                                "  \"cart->*\": { timeout: 5s }\n"
                                "  cart->pay: { timeout: 4s }",
                                NULL, 0, &s, &d), SIM_OK);
    ck_assert_uint_eq(s->ncalls, 3);    /* front->cart#0, #1, cart->pay */
    for (i = 0; i < s->ncalls; i++) {
        const mdl_call_policy *cp = &s->calls[i];
        if (cp->edge == 0) {            /* front->cart#0: the wildcard */
            ck_assert_str_eq(cp->key, "front->*");
            ck_assert_double_eq(cp->timeout, 1);
            n++;
        } else if (cp->edge == 2) {     /* its own entry */
            ck_assert_double_eq(cp->timeout, 3);
            n++;
        } else if (cp->edge == 3) {     /* its own entry beats both */
            ck_assert_double_eq(cp->timeout, 4);
            ck_assert_double_eq(cp->deadline, 0);
            n++;
        }
    }
    ck_assert_uint_eq(n, 3);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  \"*->pay\": { timeout: 1s }",
                                (const char *const[]){
                                    "calls.*->pay.timeout=250ms" }, 1, &s,
                                &d), SIM_OK);
    ck_assert_uint_eq(s->ncalls, 1);
    ck_assert_uint_eq(s->calls[0].edge, 3);
    ck_assert_double_eq(s->calls[0].timeout, 0.25);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_calls_error_names_line_column_and_edge)
{
    const calls_case *cc = &calls_cases[_i];
    char want[1024];
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls(cc->block, NULL, 0, &s, &d), SIM_EPARSE);
    ck_assert_ptr_null(s);
    snprintf(want, sizeof want, cc->msg, tst_path("tests/data/calls.gml"));
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(d.line, cc->line);
    ck_assert_int_eq(d.col, cc->col);
}
END_TEST

/* #K counts the call edges between the two services in file order, as
 * the metric scopes call:A->B#K do: the publish edge between front's two
 * calls of cart is not counted. */
START_TEST(test_calls_name_edges_as_metric_scopes_do)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  front->cart#1: {}\n"
                                "  \"cart->pay\": {}\n"
                                "  front->cart#0: {}", NULL, 0, &s, &d),
                     SIM_OK);
    ck_assert_uint_eq(s->ncalls, 3);
    ck_assert_uint_eq(s->calls[0].edge, 2);
    ck_assert_str_eq(s->calls[0].key, "front->cart#1");
    ck_assert_int_eq(s->calls[0].line, 6);
    ck_assert_int_eq(s->calls[0].col, 3);
    ck_assert_uint_eq(s->calls[1].edge, 3);
    ck_assert_str_eq(s->calls[1].key, "cart->pay");
    ck_assert_int_eq(s->calls[1].line, 7);
    ck_assert_uint_eq(s->calls[2].edge, 0);
    ck_assert_int_eq(s->topo->edges[1].kind, MDL_EDGE_PUBLISH);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_calls_with_empty_entries_change_nothing)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay#0: {}", NULL, 0, &s, &d),
                     SIM_OK);
    ck_assert_uint_eq(s->ncalls, 1);
    ck_assert_uint_eq(s->calls[0].edge, 3);
    ck_assert_uint_eq(s->topo->nedges, 5);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  {}", NULL, 0, &s, &d), SIM_OK);
    ck_assert_uint_eq(s->ncalls, 0);
    ck_assert_ptr_null(s->calls);
    mdl_scenario_free(s);
}
END_TEST

/* failures: each error at its line and column, from the mode's keys to
 * the window's. The block follows an empty calls: (line 6), so the
 * failure is on line 8. */
static const calls_case failure_cases[] = {
    { "  - { service: pay, mode: slo }", 8, 27,
      "unknown failure mode 'slo'; did you mean 'slow'?" },
    { "  - { service: pay, mode: updown, mttr: \"exp(mean=5m)\" }", 8, 5,
      "an updown failure needs 'mttf', a distribution such as "
      "\"exp(mean=1h)\"" },
    { "  - { service: pay, mode: updown, mttf: \"exp(mean=1h)\" }", 8, 5,
      "an updown failure needs 'mttr', a distribution such as "
      "\"exp(mean=5m)\"" },
    { "  - { service: pay, mode: updown, mttf: \"det(0)\", mttr: 1m }", 8,
      41, "'mttf' must have a positive mean" },
    { "  - { service: pay, mode: crash, mttf: \"exp(mean=1h)\" }", 8, 40,
      "'mttf' applies to failures of mode updown, not 'crash'" },
    { "  - { service: pay, mode: hang, p: 0.5 }", 8, 36,
      "'p' applies to failures of mode error, not 'hang'" },
    { "  - { service: pay, mode: crash, replicas: 0 }", 8, 44,
      "'replicas' must be between 1 and 1, found '0'" },
    { "  - { service: paj, mode: error }", 8, 16,
      "unknown service 'paj' in 'failures'; did you mean 'pay'?" },
    { "  - { service: pay, mode: slow }", 8, 5,
      "a slow-down needs its 'factor' (5: work takes 5 times as long)" },
    { "  - { service: pay, mode: slow, factor: 0 }", 8, 41,
      "'factor' must be a number above 0 and at most 1e+06, found '0'" },
    { "  - { service: pay, mode: error, p: 1.5 }", 8, 37,
      "'p' must be a number above 0 and at most 1, found '1.5'" },
    { "  - { service: pay, mode: error, factor: 2 }", 8, 42,
      "'factor' applies to failures of mode slow, not 'error'" },
    { "  - { service: pay, mode: error, for: 10s }", 8, 39,
      "a failure window with 'for' needs 'at', when it begins" },
    { "  - { service: pay, mode: error, at: -1s }", 8, 38,
      "'at' must be zero or positive, found '-1s'" },
    { "  - { edge: pay->log, mode: partition }", 8, 13,
      "edge 'pay->log': the edge from 'pay' to 'log' is a forward edge, "
      "not a call edge" },
    { "  - { service: pay, mode: partition }", 8, 16,
      "a partition cuts an 'edge', not a service" },
    { "  - { service: pay, mode: error, replicas: 2 }", 8, 44,
      "'replicas' must be between 1 and 1, found '2'" },
    { "  - { service: pay, mode: error, colour: red }", 8, 34,
      "unknown failure key 'colour' in a failure" },
};

START_TEST(test_failure_error_names_line_column_and_key)
{
    const calls_case *fc = &failure_cases[_i];
    char block[512], want[1024];
    mdl_scenario *s;
    sim_diag d;

    snprintf(block, sizeof block, "  {}\nfailures:\n%s", fc->block);
    ck_assert_int_eq(load_calls(block, NULL, 0, &s, &d), SIM_EPARSE);
    ck_assert_ptr_null(s);
    snprintf(want, sizeof want, fc->msg, tst_path("tests/data/calls.gml"));
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(d.line, fc->line);
    ck_assert_int_eq(d.col, fc->col);
}
END_TEST

/* A failure list as the engine gets it, windows and defaults filled. */
START_TEST(test_failures_are_read_with_their_windows)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  {}\nfailures:\n"
                                "  - { service: pay, mode: slow, factor: 5,"
                                " at: 300s, for: 1m }\n"
                                "  - { service: cart, mode: error, p: 0.3 }\n"
                                "  - { edge: front->cart#1, mode: partition,"
                                " at: 10s }\n"
                                "  - { service: pay, mode: crash, at: 1s,"
                                " for: 2s, replicas: 1 }\n"
                                "  - { service: cart, mode: hang }\n"
                                "  - { service: pay, mode: updown, mttf: "
                                "\"exp(mean=1h)\", mttr: \"det(5m)\" }",
                                NULL, 0, &s, &d), SIM_OK);
    ck_assert_uint_eq(s->nfailures, 6);
    ck_assert_int_eq(s->failures[3].mode, MDL_FAIL_CRASH);
    ck_assert_int_eq(s->failures[3].replicas, 1);
    ck_assert_double_eq(s->failures[3].len, 2);
    ck_assert_int_eq(s->failures[4].mode, MDL_FAIL_HANG);
    ck_assert(isinf(s->failures[4].len));
    ck_assert_int_eq(s->failures[5].mode, MDL_FAIL_UPDOWN);
    ck_assert_int_eq(s->failures[5].mttf.kind, MDL_DIST_EXP);
    ck_assert_double_eq(s->failures[5].mttf.mean, 3600);
    ck_assert_int_eq(s->failures[5].mttr.kind, MDL_DIST_DET);
    ck_assert_double_eq(s->failures[5].mttr.mean, 300);
    ck_assert_int_eq(s->failures[0].mode, MDL_FAIL_SLOW);
    ck_assert_int_eq(s->failures[0].service,
                     mdl_topology_find(s->topo, "pay"));
    ck_assert_double_eq(s->failures[0].factor, 5);
    ck_assert_double_eq(s->failures[0].at, 300);
    ck_assert_double_eq(s->failures[0].len, 60);
    ck_assert_int_eq(s->failures[1].mode, MDL_FAIL_ERROR);
    ck_assert_double_eq(s->failures[1].p, 0.3);
    ck_assert_double_eq(s->failures[1].at, 0);
    ck_assert(isinf(s->failures[1].len));
    ck_assert_int_eq(s->failures[2].mode, MDL_FAIL_PARTITION);
    ck_assert_uint_eq(s->failures[2].edge, 2);
    ck_assert_double_eq(s->failures[2].at, 10);
    ck_assert(isinf(s->failures[2].len));
    mdl_scenario_free(s);
}
END_TEST

/* A breaker takes Resilience4j's defaults for what it leaves out. */
/* A bulkhead left empty has Resilience4j's defaults (25 permits, no
 * wait); fallback takes the booleans of the rest of the format. */
START_TEST(test_bulkhead_defaults_follow_resilience4j)
{
    const mdl_call_policy *cp;
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay: { bulkhead: {}, fallback: "
                                "true }\n"
                                "  front->cart#0:\n"
                                "    bulkhead: { max_concurrent: 10, "
                                "max_wait: 250ms }\n"
                                "    fallback: 0\n"
                                "  front->cart#1: { fallback: 1 }",
                                NULL, 0, &s, &d), SIM_OK);
    cp = &s->calls[0];
    ck_assert(cp->bulkhead.on && cp->fallback);
    ck_assert_int_eq(cp->bulkhead.max_concurrent, 25);
    ck_assert_double_eq(cp->bulkhead.max_wait, 0);
    cp = &s->calls[1];
    ck_assert(cp->bulkhead.on && !cp->fallback);
    ck_assert_int_eq(cp->bulkhead.max_concurrent, 10);
    ck_assert_double_eq(cp->bulkhead.max_wait, 0.25);
    cp = &s->calls[2];
    ck_assert(!cp->bulkhead.on && cp->fallback);
    mdl_scenario_free(s);
}
END_TEST

START_TEST(test_breaker_defaults_follow_resilience4j)
{
    const mdl_breaker_policy *b;
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay: { breaker: {} }\n"
                                "  front->cart#0:\n"
                                "    breaker: { window: 10s, failure_rate: "
                                "25%, slow_call_rate: 80,\n"
                                "      slow_call_duration: 2s, open_for: 30s,"
                                " half_open_calls: 3, min_calls: 5 }",
                                NULL, 0, &s, &d), SIM_OK);
    b = &s->calls[0].breaker;
    ck_assert(b->on && !b->time_based);
    ck_assert_int_eq(b->window, 100);
    ck_assert_int_eq(b->min_calls, 100);
    ck_assert_double_eq(b->failure_rate, 50);
    ck_assert_double_eq(b->slow_rate, 100);
    ck_assert_double_eq(b->slow_duration, 60);
    ck_assert_double_eq(b->open_for, 60);
    ck_assert_int_eq(b->half_open_calls, 10);
    b = &s->calls[1].breaker;
    ck_assert(b->on && b->time_based);
    ck_assert_int_eq(b->window, 10);
    ck_assert_int_eq(b->min_calls, 5);
    ck_assert_double_eq(b->failure_rate, 25);
    ck_assert_double_eq(b->slow_rate, 80);
    ck_assert_double_eq(b->slow_duration, 2);
    ck_assert_double_eq(b->open_for, 30);
    ck_assert_int_eq(b->half_open_calls, 3);
    mdl_scenario_free(s);
}
END_TEST

/* A retry takes Envoy's defaults for what it leaves out: one retry of
 * any failure after a backoff of jitter(base=25ms, cap=250ms); a budget
 * of 20% and 3; the cap ten times a base given alone. */
START_TEST(test_retry_defaults_follow_envoy)
{
    const mdl_retry_policy *r;
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay: { retry: {} }", NULL, 0, &s,
                                &d), SIM_OK);
    r = &s->calls[0].retry;
    ck_assert_int_eq(r->attempts, 2);
    ck_assert_uint_eq(r->on, MDL_RETRY_ON_ERROR | MDL_RETRY_ON_TIMEOUT
                             | MDL_RETRY_ON_REJECTED);
    ck_assert_double_eq(r->base, 0.025);
    ck_assert_double_eq(r->cap, 0.25);
    ck_assert_double_eq(r->budget_percent, 0);
    ck_assert_double_eq(r->throttle_tokens, 0);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  cart->pay:\n"
                                "    retry:\n"
                                "      attempts: 3\n"
                                "      on: timeout\n"
                                "      backoff: \"jitter(base=10ms)\"\n"
                                "      budget: {}\n"
                                "      throttle: { tokens: 10, ratio: 0.1 }",
                                NULL, 0, &s, &d), SIM_OK);
    r = &s->calls[0].retry;
    ck_assert_int_eq(r->attempts, 3);
    ck_assert_uint_eq(r->on, MDL_RETRY_ON_TIMEOUT);
    ck_assert_double_eq(r->base, 0.010);
    ck_assert_double_eq(r->cap, 0.100);
    ck_assert_double_eq(r->budget_percent, 20);
    ck_assert_int_eq(r->budget_min, 3);
    ck_assert_double_eq(r->throttle_tokens, 10);
    ck_assert_double_eq(r->throttle_ratio, 0.1);
    mdl_scenario_free(s);
}
END_TEST

/* A hedge keeps what it is given: gRPC's hedgingDelay may be 0 (every
 * attempt at once) and maxAttempts up to the client's cap of 5; it may
 * go with a deadline and a breaker. */
START_TEST(test_hedge_reads_delay_and_attempts)
{
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay:\n"
                                "    hedge: { delay: 0s, attempts: 5 }\n"
                                "    deadline: 1s\n"
                                "    breaker: {}", NULL, 0, &s, &d), SIM_OK);
    ck_assert_int_eq(s->calls[0].hedge.attempts, 5);
    ck_assert_double_eq(s->calls[0].hedge.delay, 0);
    ck_assert_double_eq(s->calls[0].deadline, 1);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  cart->pay: { hedge: { attempts: 2, "
                                "delay: 50ms } }", NULL, 0, &s, &d), SIM_OK);
    ck_assert_int_eq(s->calls[0].hedge.attempts, 2);
    ck_assert_double_eq(s->calls[0].hedge.delay, 0.050);
    mdl_scenario_free(s);
}
END_TEST

/* Overrides walk into the block like any other: they set a policy of an
 * entry, or add an entry; a bad value is refused as the file's would be,
 * naming the override. */
START_TEST(test_set_goes_through_the_calls_block)
{
    static const char *const seed[] = { "run.seed=7" };
    static const char *const policy[] = { "calls.cart->pay.timeout=1s" };
    static const char *const entry[] = { "calls.front->cart#1.deadline=2s" };
    static const char *const bad[] = { "calls.cart->pay.fallback=maybe" };
    mdl_scenario *s;
    sim_diag d;

    ck_assert_int_eq(load_calls("  cart->pay: {}", seed, 1, &s, &d),
                     SIM_OK);
    ck_assert_uint_eq(s->seed, 7);
    ck_assert_uint_eq(s->ncalls, 1);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  cart->pay: {}", policy, 1, &s, &d),
                     SIM_OK);
    ck_assert_uint_eq(s->ncalls, 1);
    ck_assert_double_eq(s->calls[0].timeout, 1.0);
    ck_assert_double_eq(s->calls[0].deadline, 0.0);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  cart->pay: {}", entry, 1, &s, &d),
                     SIM_OK);
    ck_assert_uint_eq(s->ncalls, 2);
    ck_assert_str_eq(s->calls[1].key, "front->cart#1");
    ck_assert_uint_eq(s->calls[1].edge, 2);
    ck_assert_double_eq(s->calls[1].deadline, 2.0);
    ck_assert_int_eq(s->calls[1].line, 0);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  cart->pay: {}", bad, 1, &s, &d),
                     SIM_EPARSE);
    ck_assert_str_eq(d.msg, "in --set 'calls.cart->pay.fallback=maybe': "
                            "'fallback' must be true or false (or 1 or 0), "
                            "found 'maybe'");
}
END_TEST

/* ---- server-side patterns under services: ---- */

/* Each error at its line and column; the services: block follows an
 * empty calls: (line 6), so the service is on line 8. */
static const calls_case service_cases[] = {
    { "  pay: { rate_limit: { rate: 0/s, burst: 1 } }", 8, 30,
      "'rate' must be a rate above 0 and at most 1e+09/s such as 100/s, "
      "found '0/s'" },
    { "  pay: { rate_limit: { rate: -5/s, burst: 1 } }", 8, 30,
      "'rate' must be a rate above 0 and at most 1e+09/s such as 100/s, "
      "found '-5/s'" },
    { "  pay: { rate_limit: { rate: fast, burst: 1 } }", 8, 30,
      "'rate' must be a rate above 0 and at most 1e+09/s such as 100/s, "
      "found 'fast'" },
    { "  pay: { rate_limit: { rate: 100/s, burst: 0 } }", 8, 44,
      "'burst' must be between 1 and 1000000000, found '0'" },
    { "  pay: { rate_limit: { rate: 100/s, burst: 2.5 } }", 8, 44,
      "'burst' must be an integer, found '2.5'" },
    { "  pay: { rate_limit: { rate: 100/s } }", 8, 22,
      "missing key 'burst' in 'rate_limit' of service 'pay' (the bucket's "
      "size, such as 20)" },
    { "  pay: { rate_limit: { burst: 20 } }", 8, 22,
      "missing key 'rate' in 'rate_limit' of service 'pay' (tokens per "
      "second, such as 100/s)" },
    { "  pay: { rate_limit: { rate: 100/s, burst: 2, brust: 3 } }", 8, 47,
      "unknown rate_limit key 'brust' in 'rate_limit' of service 'pay'; "
      "did you mean 'burst'?" },
    { "  pay: { rate_limit: 100/s }", 8, 22,
      "'rate_limit' of service 'pay' must be a mapping, found a value" },
    { "  pay: { outlier: [5] }", 8, 19,
      "'outlier' of service 'pay' must be a mapping, found a list" },
    { "  pay: { outlier: { max_percent: 150 } }", 8, 34,
      "'max_percent' must be a number of at least 0 and at most 100, "
      "found '150'" },
    { "  pay: { outlier: { consecutive_errors: 0 } }", 8, 41,
      "'consecutive_errors' must be between 1 and 1000000000, found '0'" },
    { "  pay: { outlier: { interval: 0s } }", 8, 31,
      "'interval' must be positive, found '0s'" },
    { "  pay: { outlier: { base_ejection: 1m, max_ejection: 30s } }", 8, 54,
      "'max_ejection' 30 s is below 'base_ejection' 60 s in 'outlier' of "
      "service 'pay'" },
    { "  pay: { outlier: { base_ejection: -30s } }", 8, 36,
      "'base_ejection' must be positive, found '-30s'" },
    { "  pay: { outlier: { max_percent: -1 } }", 8, 34,
      "'max_percent' must be a number of at least 0 and at most 100, "
      "found '-1'" },
    { "  pay: { outlier: { consecutive: 5 } }", 8, 21,
      "unknown outlier key 'consecutive' in 'outlier' of service 'pay'; "
      "did you mean 'consecutive_errors'?" },
    { "  pay: { outlier: { always_eject_one: yes } }", 8, 39,
      "'always_eject_one' must be true or false, found 'yes'" },
    { "  pay: { autoscale: { target: 0.7 } }", 8, 21,
      "missing key 'max' in 'autoscale' of service 'pay' (the most "
      "replicas it may run)" },
    { "  pay: { autoscale: { target: 1.5, max: 4 } }", 8, 31,
      "'target' must be a utilization above 0 and at most 1 such as 0.7 "
      "or 70%, found '1.5'" },
    { "  pay: { autoscale: { target: 70%, min: 5, max: 4 } }", 8, 41,
      "'min' 5 is above 'max' 4 in 'autoscale' of service 'pay'" },
    { "  pay: { autoscale: { target: 0.7, max: 4 }, outlier: {} }", 8, 46,
      "service 'pay' has both 'outlier' and 'autoscale', which are not "
      "supported together yet" },
    { "  pay: { autoscale: { target: 0.7, max: 4, cooldown: -1s } }", 8, 54,
      "'cooldown' must be zero or positive, found '-1s'" },
    { "  pay: { rate_limt: { rate: 1/s, burst: 1 } }", 8, 10,
      "unknown key 'rate_limt' in service 'pay'; did you mean "
      "'rate_limit'?" },
    { "  pya: { outlier: {} }", 8, 3,
      "unknown service 'pya' in 'services'; did you mean 'pay'?" },
};

START_TEST(test_service_pattern_error_names_line_column_and_key)
{
    const calls_case *sc = &service_cases[_i];
    char block[512], want[1024];
    mdl_scenario *s;
    sim_diag d;

    snprintf(block, sizeof block, "  {}\nservices:\n%s", sc->block);
    ck_assert_int_eq(load_calls(block, NULL, 0, &s, &d), SIM_EPARSE);
    ck_assert_ptr_null(s);
    snprintf(want, sizeof want, sc->msg, tst_path("tests/data/calls.gml"));
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(d.line, sc->line);
    ck_assert_int_eq(d.col, sc->col);
}
END_TEST

/* Envoy's outlier detection defaults; max_ejection follows a longer
 * base; a service without patterns has none. */
START_TEST(test_service_patterns_default_as_envoy)
{
    mdl_scenario *s;
    sim_diag d;
    const mdl_service_policy *p;
    int pay;

    ck_assert_int_eq(load_calls("  {}\nservices:\n"
                                "  pay: { servers: 3, outlier: {},\n"
                                "         rate_limit: { rate: 2.5/s, "
                                "burst: 7 } }\n"
                                "  cart: { outlier: { base_ejection: 400s,"
                                " always_eject_one: true } }",
                                NULL, 0, &s, &d), SIM_OK);
    pay = mdl_topology_find(s->topo, "pay");
    ck_assert_ptr_nonnull(s->svc_policy);
    ck_assert_int_eq(s->topo->services[pay].servers, 3);
    p = &s->svc_policy[pay];
    ck_assert(p->outlier.on && p->rate_limit.on);
    ck_assert_int_eq(p->outlier.consecutive, 5);
    ck_assert_double_eq(p->outlier.interval, 10);
    ck_assert_double_eq(p->outlier.base_ejection, 30);
    ck_assert_double_eq(p->outlier.max_ejection, 300);
    ck_assert_double_eq(p->outlier.max_percent, 10);
    ck_assert_int_eq(p->outlier.always_eject_one, 0);
    ck_assert_double_eq(p->rate_limit.rate, 2.5);
    ck_assert_int_eq(p->rate_limit.burst, 7);
    p = &s->svc_policy[mdl_topology_find(s->topo, "cart")];
    ck_assert(p->outlier.on && !p->rate_limit.on);
    ck_assert_double_eq(p->outlier.max_ejection, 400);
    ck_assert_int_eq(p->outlier.always_eject_one, 1);
    ck_assert(!s->svc_policy[mdl_topology_find(s->topo, "log")].outlier.on);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  {}\nservices:\n  pay: { servers: 2 }",
                                NULL, 0, &s, &d), SIM_OK);
    ck_assert_ptr_null(s->svc_policy);
    mdl_scenario_free(s);
}
END_TEST

/* --set reaches into a pattern as into any key, and adds one. */
START_TEST(test_set_goes_into_service_patterns)
{
    static const char *const rate[] = {
        "services.pay.rate_limit.rate=50/s"
    };
    static const char *const both[] = {
        "services.cart.rate_limit.rate=50/s",
        "services.cart.rate_limit.burst=4",
        "services.cart.outlier.max_percent=50"
    };
    static const char *const half[] = {
        "services.cart.rate_limit.rate=50/s"
    };
    mdl_scenario *s;
    sim_diag d;
    int cart;

    ck_assert_int_eq(load_calls("  {}\nservices:\n"
                                "  pay: { rate_limit: { rate: 100/s, "
                                "burst: 20 } }", rate, 1, &s, &d), SIM_OK);
    ck_assert_double_eq(
        s->svc_policy[mdl_topology_find(s->topo, "pay")].rate_limit.rate,
        50);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  {}", both, 3, &s, &d), SIM_OK);
    cart = mdl_topology_find(s->topo, "cart");
    ck_assert_double_eq(s->svc_policy[cart].rate_limit.rate, 50);
    ck_assert_int_eq(s->svc_policy[cart].rate_limit.burst, 4);
    ck_assert_double_eq(s->svc_policy[cart].outlier.max_percent, 50);
    mdl_scenario_free(s);
    ck_assert_int_eq(load_calls("  {}", half, 1, &s, &d), SIM_EPARSE);
    ck_assert_str_eq(d.msg, "in --set 'services.cart.rate_limit.rate=50/s'"
                            ": missing key 'burst' in 'rate_limit' of "
                            "service 'cart' (the bucket's size, such as "
                            "20)");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_scenario");
    TCase *tc;
    int nbad = (int)(sizeof bad_cases / sizeof bad_cases[0]);

    tc = tcase_create("load");
    tcase_add_test(tc, test_good_scenario_reads_every_key);
    tcase_add_test(tc, test_defaults_fill_absent_keys);
    tcase_add_test(tc, test_free_null_is_a_no_op);
    suite_add_tcase(s, tc);

    tc = tcase_create("units");
    tcase_add_test(tc, test_time_units_convert_to_seconds);
    suite_add_tcase(s, tc);

    tc = tcase_create("services");
    tcase_add_test(tc, test_services_block_overrides_the_topology);
    suite_add_tcase(s, tc);

    tc = tcase_create("set");
    tcase_add_test(tc, test_set_replaces_an_existing_scalar);
    tcase_add_test(tc, test_set_adds_a_missing_key);
    tcase_add_test(tc, test_set_changes_an_override_of_the_file);
    tcase_add_test(tc, test_set_null_removes_a_key);
    tcase_add_test(tc, test_set_flow_value_makes_a_mapping_or_list);
    tcase_add_test(tc, test_set_indexes_into_the_workload_list);
    tcase_add_test(tc, test_later_set_wins);
    tcase_add_test(tc, test_warmup_auto_is_a_flag_with_warmup_0);
    tcase_add_test(tc, test_warmup_pilot_has_fine_windows_that_fit);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_error_names_file_line_column_and_key, 0,
                        nbad);
    tcase_add_loop_test(tc,
                        test_error_messages_are_lower_case_without_full_stop,
                        0, nbad);
    tcase_add_test(tc, test_missing_scenario_names_it);
    tcase_add_test(tc, test_scenario_must_be_a_regular_file);
    tcase_add_test(tc, test_yaml_nesting_stops_at_64_levels);
    tcase_add_test(tc, test_check_run_sees_replications_set_after_loading);
    suite_add_tcase(s, tc);

    tc = tcase_create("set_errors");
    tcase_add_test(tc, test_set_without_equals_is_an_error);
    tcase_add_test(tc, test_set_with_a_bad_value_names_the_set);
    tcase_add_test(tc, test_set_of_an_unknown_key_names_the_set);
    tcase_add_test(tc, test_set_of_a_bad_service_value_names_the_set);
    tcase_add_test(tc, test_set_of_a_broker_is_refused_on_reading);
    tcase_add_test(tc, test_set_rejects_nan_inf_and_endless_times);
    tcase_add_test(tc, test_set_that_adds_a_mapping_names_the_set);
    tcase_add_test(tc, test_set_index_out_of_range_is_an_error);
    tcase_add_test(tc, test_set_into_a_value_is_an_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("calls");
    tcase_add_test(tc, test_wildcard_calls_fill_the_edges_left);
    tcase_add_loop_test(tc, test_calls_error_names_line_column_and_edge, 0,
                        (int)(sizeof calls_cases / sizeof calls_cases[0]));
    tcase_add_test(tc, test_calls_name_edges_as_metric_scopes_do);
    tcase_add_test(tc, test_calls_with_empty_entries_change_nothing);
    tcase_add_test(tc, test_set_goes_through_the_calls_block);
    tcase_add_test(tc, test_retry_defaults_follow_envoy);
    tcase_add_test(tc, test_hedge_reads_delay_and_attempts);
    tcase_add_test(tc, test_breaker_defaults_follow_resilience4j);
    tcase_add_test(tc, test_bulkhead_defaults_follow_resilience4j);
    tcase_add_test(tc, test_failures_are_read_with_their_windows);
    tcase_add_loop_test(tc,
                        test_service_pattern_error_names_line_column_and_key,
                        0, (int)(sizeof service_cases
                                 / sizeof *service_cases));
    tcase_add_test(tc, test_service_patterns_default_as_envoy);
    tcase_add_test(tc, test_set_goes_into_service_patterns);
    tcase_add_loop_test(tc, test_failure_error_names_line_column_and_key, 0,
                        (int)(sizeof failure_cases
                              / sizeof failure_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("stability");
    tcase_add_test(tc, test_stability_accepts_a_stable_queue);
    tcase_add_test(tc, test_stability_rejects_an_overloaded_queue);
    tcase_add_test(tc, test_stability_counts_what_a_rate_limit_admits);
    tcase_add_test(tc, test_stability_sees_set_overrides);
    suite_add_tcase(s, tc);

    return s;
}

int main(void) { return tst_run(make_suite); }
