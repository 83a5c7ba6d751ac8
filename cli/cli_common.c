/*
 * cli_common.c - what every qmesh subcommand does first: parse the
 * options, load the scenario with its --set overrides, and check that
 * theory calls every queue stable, so bad input stops with exit status 2
 * before anything is simulated or solved.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_theory.h"
#include "cli_int.h"

int cli__usage_error(const char *fmt, const char *arg)
{
    fputs("qmesh: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see 'qmesh help')\n", stderr);
    return EXIT_INPUT;
}

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

int cli__parse_opts(int argc, char **argv, cli_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"jobs", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"plot", no_argument, NULL, 'P'},
        {"load", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0}
    };
    int c;

    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        return -1;
    optind = 2;
    while ((c = getopt_long(argc, argv, "o:r:s:j:q", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'S': o->sets[o->nsets++] = optarg; break;
        case 'P': o->plot = 1; break;
        case 'L': o->load = optarg; break;
        case 'r':
            if (parse_count(optarg, "--replications", 1000000, &o->reps) < 0)
                return -1;
            break;
        case 'j':
            if (parse_count(optarg, "--jobs", 1024, &o->jobs) < 0)
                return -1;
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || *optarg == '-') {
                fprintf(stderr, "qmesh: --seed must be a non-negative "
                        "integer, found '%s'\n", optarg);
                return -1;
            }
            o->have_seed = 1;
            break;
        default:
            fputs("(see 'qmesh help')\n", stderr);
            return -1;
        }
    }
    if (optind != argc - 1) {
        cli__usage_error(optind >= argc ? "%s: missing scenario file"
                                        : "%s: expected one scenario file",
                         o->cmd);
        return -1;
    }
    o->scenario = argv[optind];
    return 0;
}

int cli__load(const cli_opts *o, mdl_scenario **s, int check)
{
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(s, o->scenario, o->sets, o->nsets, &d);
    if (rc == SIM_OK) {
        if (o->reps)
            (*s)->replications = (unsigned)o->reps;
        if (o->have_seed)
            (*s)->seed = o->seed;
        if (check)
            rc = ana_theory_stability(*s, &d);
    }
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
