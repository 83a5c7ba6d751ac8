/*
 * cli_common.c - what every qmesh subcommand does first: parse the
 * options, load the scenario with its --set overrides, and check that
 * theory calls every queue stable, so bad input stops with exit status 2
 * before anything is simulated or solved.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../analysis/ana_theory.h"
#include "../models/mdl_gen.h"
#include "../models/mdl_hint.h"
#include "cli_int.h"

int cli__failed(int rc, const sim_diag *d)
{
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    fputs("qmesh: ", stderr);
    if (d && d->msg[0])
        sim_diag_print(d, stderr);
    else
        fprintf(stderr, "%s\n", sim_strerror(rc));
    return rc == SIM_EPARSE || rc == SIM_ENOTSUP || rc == SIM_EUNSTABLE
           ? EXIT_INPUT : EXIT_RUNTIME;
}

/* ---- progress ---- */

static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (t.tv_nsec - t0->tv_nsec);
}

/* Shown on a terminal once the work has taken two seconds; done counts
 * the replications of this run, with the fraction of the current one. */
static void show(cli_progress *p, double done)
{
    double t = elapsed(&p->start), all = p->all ? p->all : p->total;

    done += p->base;
    if (!p->tty || (t < 2.0 && !p->shown) || !(done > 0))
        return;
    p->shown = 1;
    fprintf(stderr, "\rqmesh: %s%u/%u replications, %.0f s, about %.0f s "
            "left ", p->label ? p->label : "", p->done, p->total, t,
            t / done * (all - done));
    fflush(stderr);
}

static void show_progress(void *ctx, unsigned done, unsigned total)
{
    cli_progress *p = ctx;

    p->done = done;
    p->total = total;
    show(p, done);
}

/* Within a replication (one process only): replications done plus the
 * fraction of the current one. */
static void show_within(void *ctx, double frac)
{
    cli_progress *p = ctx;

    show(p, p->done + (frac < 1 ? frac : 1));
}

void cli__progress_start(cli_progress *p, const cli_opts *o)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->tty = !o->quiet && isatty(STDERR_FILENO);
}

void cli__progress_attach(cli_progress *p, ana_run_opts *ro)
{
    p->shown = 0;
    p->done = 0;
    ro->progress = show_progress;
    ro->within = p->tty ? show_within : NULL;
    ro->progress_ctx = p;
}

void cli__progress_end(cli_progress *p)
{
    if (p->shown)
        fputs("\n", stderr);
    p->shown = 0;
}

/* ---- the command line ---- */

/* Characters a shell leaves alone in a word. */
static int shell_safe(const char *a)
{
    return *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                           "VWXYZ0123456789_./:=,@%+-") == strlen(a);
}

void cli__command_line(int argc, char **argv, char *buf, size_t n)
{
    size_t len = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < argc && len < n; i++) {
        const char *a = i == 0 ? "qmesh" : argv[i], *p;
        if (i > 0)
            len += (size_t)snprintf(buf + len, n - len, " ");
        if (shell_safe(a)) {
            len += (size_t)snprintf(buf + len, n - len, "%s", a);
            continue;
        }
        /* 'it'\''s': a quote ends, an escaped quote, a quote starts. */
        len += (size_t)snprintf(buf + len, n - len, "'");
        for (p = a; *p && len < n; p++) {
            if (*p == '\'')
                len += (size_t)snprintf(buf + len, n - len, "'\\''");
            else
                len += (size_t)snprintf(buf + len, n - len, "%c", *p);
        }
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, "'");
    }
}

static int parse_count(const char *arg, const char *name, long max, long *out)
{
    char *end;
    long x = strtol(arg, &end, 10);

    if (end == arg || *end || x < 1 || x > max) {
        fprintf(stderr, "qmesh: %s must be a whole number from 1 to %ld, "
                "found '%s'\n", name, max, arg);
        return -1;
    }
    *out = x;
    return 0;
}

/* Every option of every command; `bit` says which commands take it. */
static const struct option LONGOPTS[] = {
    {"output", required_argument, NULL, 'o'},
    {"replications", required_argument, NULL, 'r'},
    {"seed", required_argument, NULL, 's'},
    {"jobs", required_argument, NULL, 'j'},
    {"set", required_argument, NULL, 'S'},
    {"quiet", no_argument, NULL, 'q'},
    {"plot", no_argument, NULL, 'P'},
    {"load", required_argument, NULL, 'L'},
    {"all", no_argument, NULL, 'A'},
    {"show", required_argument, NULL, 'W'},
    {"dot", required_argument, NULL, 'D'},
    {"axis", required_argument, NULL, 'X'},
    {"zip", no_argument, NULL, 'Z'},
    {"metric", required_argument, NULL, 'M'},
    {"find", required_argument, NULL, 'F'},
    {"slo", required_argument, NULL, 'O'},
    {"variant", required_argument, NULL, 'V'},
    {"services", required_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}
};
static const unsigned BITS[] = {
    CLI_OUTPUT, CLI_REPS, CLI_SEED, CLI_JOBS, CLI_SET, CLI_QUIET, CLI_PLOT,
    CLI_LOAD, CLI_ALL, CLI_SHOW, CLI_DOT, CLI_SWEEP, CLI_SWEEP, CLI_SWEEP,
    CLI_SWEEP, CLI_SWEEP, CLI_VARIANT, CLI_SERVICES, 0
};
#define NOPTS (sizeof BITS / sizeof *BITS)

/* Index in LONGOPTS of the option getopt returned as c. */
static size_t opt_index(int c)
{
    size_t i;

    for (i = 0; i < NOPTS && LONGOPTS[i].val != c; i++)
        ;
    return i;
}

/* "--output" or "-o, --output": how the help names option i. */
static void opt_name(size_t i, char *buf, size_t n)
{
    int c = LONGOPTS[i].val;

    if (strchr("orsjnqh", c))
        snprintf(buf, n, "-%c/--%s", c, LONGOPTS[i].name);
    else
        snprintf(buf, n, "--%s", LONGOPTS[i].name);
}

/* An option getopt did not know: name it, with the closest option of
 * this command. */
static void unknown_option(const cli_cmd *c, const char *text, int short_opt)
{
    const char *cands[NOPTS];
    char word[64];
    const char *hint;
    size_t i, n = 0;

    if (short_opt) {
        fprintf(stderr, "qmesh: %s: unknown option '-%c'\n", c->name,
                short_opt);
        return;
    }
    snprintf(word, sizeof word, "%s", text + strspn(text, "-"));
    word[strcspn(word, "=")] = '\0';
    for (i = 0; i < NOPTS; i++)
        if (!BITS[i] || (c->opts & BITS[i]))
            cands[n++] = LONGOPTS[i].name;
    hint = mdl_hint(word, cands, n);
    fprintf(stderr, "qmesh: %s: unknown option '%s'", c->name, text);
    if (hint)
        fprintf(stderr, "; did you mean '--%s'?", hint);
    fputc('\n', stderr);
}

int cli__parse_opts(int argc, char **argv, const cli_cmd *c, cli_opts *o)
{
    char name[64];
    int ch, li;

    o->cmd = c->name;
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    o->axes = calloc((size_t)argc, sizeof *o->axes);
    o->metrics = calloc((size_t)argc, sizeof *o->metrics);
    o->slos = calloc((size_t)argc, sizeof *o->slos);
    o->variants = calloc((size_t)argc, sizeof *o->variants);
    if (!o->sets || !o->axes || !o->metrics || !o->slos || !o->variants)
        return -1;
    opterr = 0;             /* the messages below name the command */
    optind = 2;
    while ((ch = getopt_long(argc, argv, ":o:r:s:j:n:qh", LONGOPTS, &li))
           != -1) {
        size_t i = opt_index(ch);
        char *end;
        if (ch == '?') {
            unknown_option(c, argv[optind - 1],
                           optopt && optopt != '?' ? optopt : 0);
            goto usage;
        }
        if (ch == ':') {
            i = opt_index(optopt);
            if (i < NOPTS)
                opt_name(i, name, sizeof name);
            else
                snprintf(name, sizeof name, "%s", argv[optind - 1]);
            fprintf(stderr, "qmesh: %s: option '%s' needs a value\n",
                    c->name, i < NOPTS ? name : argv[optind - 1]);
            goto usage;
        }
        if (ch == 'h') {
            fputs(c->help, stdout);
            return 1;
        }
        if (!(c->opts & BITS[i])) {
            opt_name(i, name, sizeof name);
            fprintf(stderr, "qmesh: %s: '%s' is not an option of '%s'%s\n",
                    c->name, name, c->name,
                    BITS[i] & CLI_SWEEP ? " (it is one of 'sweep')"
                    : BITS[i] & CLI_VARIANT ? " (it is one of 'compare')"
                    : BITS[i] & (CLI_OUTPUT | CLI_REPS | CLI_SEED | CLI_JOBS
                                 | CLI_PLOT | CLI_LOAD | CLI_ALL | CLI_SHOW)
                    ? " (it is one of 'run')" : "");
            goto usage;
        }
        switch (ch) {
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'S': o->sets[o->nsets++] = optarg; break;
        case 'P': o->plot = 1; break;
        case 'L': o->load = optarg; break;
        case 'A': o->all = 1; break;
        case 'W': o->show = optarg; break;
        case 'D': o->dot = optarg; break;
        case 'X': o->axes[o->naxes++] = optarg; break;
        case 'Z': o->zip = 1; break;
        case 'M': o->metrics[o->nmetrics++] = optarg; break;
        case 'F': o->find = optarg; break;
        case 'O': o->slos[o->nslos++] = optarg; break;
        case 'V': o->variants[o->nvariants++] = optarg; break;
        case 'r':
            if (parse_count(optarg, "--replications", MDL_REPLICATIONS_MAX,
                            &o->reps) < 0)
                return -1;
            break;
        case 'j':
            if (parse_count(optarg, "--jobs", 1024, &o->jobs) < 0)
                return -1;
            break;
        case 'n':
            if (parse_count(optarg, "--services", MDL_GEN_N_MAX,
                            &o->services) < 0)
                return -1;
            break;
        case 's':
            errno = 0;
            o->seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || *optarg == '-' || errno == ERANGE) {
                fprintf(stderr, "qmesh: --seed must be a whole number from "
                        "0 to %llu, found '%s'\n", ULLONG_MAX, optarg);
                return -1;
            }
            o->have_seed = 1;
            break;
        default:
            break;
        }
    }
    if ((c->opts & CLI_MANY) && optind < argc) {
        o->args = argv + optind;
        o->nargs = (size_t)(argc - optind);
        o->arg = argv[optind];
        return 0;
    }
    if (optind != argc - 1) {
        if (optind >= argc)
            fprintf(stderr, "qmesh: %s: missing %s\n", c->name, c->arg);
        else
            fprintf(stderr, "qmesh: %s: expected one %s, found '%s' and "
                    "'%s'\n", c->name, c->arg, argv[optind],
                    argv[optind + 1]);
        goto usage;
    }
    o->arg = argv[optind];
    return 0;
usage:
    fprintf(stderr, "(see 'qmesh %s --help')\n", c->name);
    return -1;
}

void cli__free_opts(cli_opts *o)
{
    free(o->sets);
    free(o->variants);
    free(o->axes);
    free(o->metrics);
    free(o->slos);
}

/* A diagnostic "in --set 'KEY=V': why" about the override set, which
 * stands for option (-r N as run.replications=N), becomes
 * "OPTION V: why". */
static void rename_override(sim_diag *d, const char *set, const char *option)
{
    char head[64], name[64];
    size_t len, nlen;

    if (!set)
        return;
    len = (size_t)snprintf(head, sizeof head, "in --set '%s': ", set);
    nlen = (size_t)snprintf(name, sizeof name, "%s %s: ", option,
                            strchr(set, '=') + 1);
    if (len >= sizeof head || nlen > len || strncmp(d->msg, head, len))
        return;
    memmove(d->msg + nlen, d->msg + len, strlen(d->msg + len) + 1);
    memcpy(d->msg, name, nlen);
}

int cli__scenario_load(const cli_opts *o, const char *path,
                       const char *const *sets, size_t n, int first,
                       mdl_scenario **s, sim_diag *d)
{
    const char **all = malloc((n + 2) * sizeof *all);
    char reps[48], seed[48];
    size_t k = 0;
    int rc;

    if (!all)
        return SIM_ENOMEM;
    if (!first && n) {
        memcpy(all, sets, n * sizeof *all);
        k = n;
    }
    if (o->reps) {
        snprintf(reps, sizeof reps, "run.replications=%ld", o->reps);
        all[k++] = reps;
    }
    if (o->have_seed) {
        snprintf(seed, sizeof seed, "run.seed=%llu", o->seed);
        all[k++] = seed;
    }
    if (first && n) {
        memcpy(all + k, sets, n * sizeof *all);
        k += n;
    }
    rc = mdl_scenario_load(s, path, all, k, d);
    free(all);
    if (rc == SIM_EPARSE) {
        /* Name the option the user gave, not the override it became. */
        rename_override(d, o->reps ? reps : NULL, "--replications");
        rename_override(d, o->have_seed ? seed : NULL, "--seed");
    }
    return rc;
}

int cli__load(const cli_opts *o, mdl_scenario **s, int check)
{
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = cli__scenario_load(o, o->arg, o->sets, o->nsets, 0, s, &d);
    if (rc == SIM_OK)
        rc = mdl_scenario_check_run(*s, &d);
    if (rc == SIM_OK && check)
        rc = ana_theory_stability(*s, &d);
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    if (rc != SIM_OK) {
        fputs("qmesh: ", stderr);
        sim_diag_print(&d, stderr);
        mdl_scenario_free(*s);
        *s = NULL;
        return EXIT_INPUT;
    }
    return EXIT_OK;
}
