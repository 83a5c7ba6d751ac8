/*
 * ana_recipe.c - a scenario's recipe as bytes (ana_recipe.h).
 *
 * Layout, every number in this machine's byte order:
 *
 *   "QMR1"                       magic and version
 *   u64 seed, u32 replications
 *   str path                     u32 length, then the bytes (no NUL)
 *   u32 nsets, str set...        the overrides, in order
 *   u32 nloads, f64 load...      the loads, in order, bit for bit
 *
 * Making it again replays what made the original in the same order:
 * load with the overrides (cli's loading does the same), the -s and -r
 * values, then each load, so the doubles of the scaled workloads are
 * those of the original.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ana_recipe.h"
#include "ana_run.h"
#include "ana_warmup.h"

static const char MAGIC[4] = {'Q', 'M', 'R', '1'};

/* ---- writing ---- */

typedef struct out {
    unsigned char *p;
    size_t len, cap;
    int bad;                    /* out of memory */
} out;

static void put(out *o, const void *x, size_t n)
{
    if (o->bad || n == 0)       /* x may be NULL then: no memcpy */
        return;
    if (o->len + n > o->cap) {
        size_t cap = 2 * (o->len + n) + 64;
        unsigned char *p = realloc(o->p, cap);
        if (!p) {
            o->bad = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, x, n);
    o->len += n;
}

static void put_u32(out *o, uint32_t x)
{
    put(o, &x, sizeof x);
}

static void put_str(out *o, const char *s, size_t n)
{
    put_u32(o, (uint32_t)n);
    put(o, s, n);
}

int ana_recipe_pack(const mdl_scenario *s, unsigned char **buf,
                    size_t *len)
{
    uint64_t seed = s->seed;
    char *cwd = NULL;
    out o = {0};
    size_t i;

    *buf = NULL;
    *len = 0;
    put(&o, MAGIC, sizeof MAGIC);
    put(&o, &seed, sizeof seed);
    put_u32(&o, s->replications);
    if (s->path[0] == '/')
        put_str(&o, s->path, strlen(s->path));
    else {
        size_t n;
        if (!(cwd = getcwd(NULL, 0))) {
            free(o.p);
            return SIM_EIO;
        }
        n = strlen(cwd);
        put_u32(&o, (uint32_t)(n + 1 + strlen(s->path)));
        put(&o, cwd, n);
        put(&o, "/", 1);
        put(&o, s->path, strlen(s->path));
        free(cwd);
    }
    put_u32(&o, (uint32_t)s->nsets);
    for (i = 0; i < s->nsets; i++)
        put_str(&o, s->sets[i], strlen(s->sets[i]));
    put_u32(&o, (uint32_t)s->nloads);
    put(&o, s->loads, s->nloads * sizeof *s->loads);
    /* what warmup: auto changes: the pilot's copy, or the run with the
     * warm-up it chose */
    {
        int64_t requests = s->requests;
        put(&o, &s->warmup, sizeof s->warmup);
        put(&o, &requests, sizeof requests);
        put(&o, &s->window, sizeof s->window);
        put_u32(&o, (uint32_t)s->pilot);
    }
    if (o.bad) {
        free(o.p);
        return SIM_ENOMEM;
    }
    *buf = o.p;
    *len = o.len;
    return SIM_OK;
}

/* ---- reading ---- */

typedef struct in {
    const unsigned char *p;
    size_t left;
    int bad;                    /* cut short */
} in;

static void get(in *i, void *x, size_t n)
{
    if (i->bad || n > i->left) {
        i->bad = 1;
        memset(x, 0, n);
        return;
    }
    memcpy(x, i->p, n);
    i->p += n;
    i->left -= n;
}

static uint32_t get_u32(in *i)
{
    uint32_t x;

    get(i, &x, sizeof x);
    return x;
}

/* A string, NUL-terminated, owned by the caller; NULL when cut short
 * or out of memory (*nomem tells which). */
static char *get_str(in *i, int *nomem)
{
    uint32_t n = get_u32(i);
    char *s;

    if (i->bad || n > i->left) {
        i->bad = 1;
        return NULL;
    }
    if (!(s = malloc((size_t)n + 1))) {
        *nomem = 1;
        return NULL;
    }
    get(i, s, n);
    s[n] = '\0';
    return s;
}

/* warm-up, request limit, window and pilot flag, after the loads */
#define RUN_BYTES (sizeof(double) + sizeof(int64_t) + sizeof(double) \
                   + sizeof(uint32_t))

/* Set what warmup: auto changes as the recipe says: the chosen warm-up
 * (or the pilot's 0) is simulated as given, and a pilot leaves out the
 * failures with a window of their own, as the pilot on rank 0 did. */
static void take_run(in *i, mdl_scenario *s)
{
    int64_t requests;
    size_t k, n = 0;

    get(i, &s->warmup, sizeof s->warmup);
    get(i, &requests, sizeof requests);
    s->requests = (long)requests;
    get(i, &s->window, sizeof s->window);
    s->pilot = (int)get_u32(i);
    s->warmup_auto = 0;
    if (!s->pilot)
        return;
    for (k = 0; k < s->nfailures; k++) {
        if (ana_warmup_windowed(&s->failures[k])) {
            mdl_dist_destroy(&s->failures[k].mttf);
            mdl_dist_destroy(&s->failures[k].mttr);
        } else {
            s->failures[n++] = s->failures[k];
        }
    }
    s->nfailures = n;
}

int ana_recipe_make(const unsigned char *buf, size_t len, mdl_scenario **s,
                    sim_diag *d)
{
    in i = {buf, len, 0};
    char magic[sizeof MAGIC], *path = NULL, **sets = NULL;
    uint64_t seed;
    uint32_t reps, nsets = 0, nloads, k, made = 0;
    int nomem = 0, rc = SIM_OK;

    *s = NULL;
    get(&i, magic, sizeof magic);
    get(&i, &seed, sizeof seed);
    reps = get_u32(&i);
    path = get_str(&i, &nomem);
    if (path)
        nsets = get_u32(&i);
    if (!i.bad && nsets > i.left / sizeof(uint32_t))
        i.bad = 1;              /* more than the bytes left could hold */
    if (!i.bad && !nomem && !(sets = calloc(nsets + 1, sizeof *sets)))
        nomem = 1;
    for (; sets && made < nsets && !i.bad && !nomem; made++)
        sets[made] = get_str(&i, &nomem);
    nloads = get_u32(&i);
    if (nomem)
        rc = SIM_ENOMEM;
    else if (i.bad || memcmp(magic, MAGIC, sizeof MAGIC)
             || i.left != (size_t)nloads * sizeof(double) + RUN_BYTES)
        rc = sim_diag_set(d, NULL, 0, 0, "a scenario's recipe of %zu bytes "
                          "is cut short or not one", len);
    if (rc == SIM_OK)
        rc = mdl_scenario_load(s, path, (const char *const *)sets, nsets, d);
    if (rc == SIM_OK) {
        (*s)->seed = seed;
        (*s)->replications = reps;
    }
    for (k = 0; k < nloads && rc == SIM_OK; k++) {
        double load;
        get(&i, &load, sizeof load);
        rc = ana_run_set_load(*s, load, d);
    }
    if (rc == SIM_OK)
        take_run(&i, *s);
    if (rc != SIM_OK) {
        mdl_scenario_free(*s);
        *s = NULL;
    }
    for (k = 0; k < made; k++)
        free(sets[k]);
    free(sets);
    free(path);
    return rc;
}
