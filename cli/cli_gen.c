/*
 * cli_gen.c - `qmesh gen KIND [-n SERVICES] [-s SEED] [--set P=V]... -o
 * DIR`: a synthetic topology and a scenario that runs it (the graph from
 * models/mdl_gen.h, the files from analysis/ana_gen.h).
 *
 * Exit status: 0 ok; 2 bad usage, an unknown kind or parameter, a value
 * out of range, something other than a regular file in the way; 1 out
 * of memory or a file that cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_gen.h"
#include "../models/mdl_gen.h"
#include "../models/mdl_hint.h"
#include "cli_int.h"

/* Default number of services. */
#define GEN_N 100

static void print_info(const mdl_gen_graph *g, const mdl_gen_params *p,
                       const ana_gen_info *in)
{
    const mdl_gen_shape *s = &in->shape;

    printf("wrote %s and %s\n", in->gml, in->yaml);
    printf("  %zu services: %zu entry, %zu middle, %zu leaf; depth %zu; "
           "%zu %s edges\n", g->n, s->entries, s->middles, s->leaves,
           s->depth, g->m, p->publish ? "publish" : "call");
    printf("  largest fan-out %zu, fan-in %zu\n", s->max_out, s->max_in);
    if (p->kind == MDL_GEN_ALIBABA || p->kind == MDL_GEN_META)
        printf("  leaf share %.4g%s; fan-out and fan-in balanced with %zu "
               "edge ends trimmed,\n  %zu left unmatched, %zu edges added "
               "so that every service is called\n  and every caller calls\n",
               g->leaf, p->leaf < 0 ? " (auto)" : "", g->trimmed,
               g->unmatched, g->forced);
    printf("  requests enter %s at %.9g/s: the busiest service, %s, at "
           "load %.6g\n", in->ingress ? "through 'ingress'" : "at s0",
           in->rate, in->busiest, in->load);
    printf("  %.4g visits per request; a replication runs about %.0f "
           "requests\n", in->visits, in->requests);
}

static int cmd_gen(const cli_opts *o)
{
    mdl_gen_params p;
    mdl_gen_graph g;
    ana_gen_info info;
    sim_diag d;
    char err[512];
    int kind = mdl_gen_kind_find(o->arg), rc;
    size_t i;

    if (kind < 0) {
        const char *hint = mdl_hint(o->arg, mdl_gen_kind_names(),
                                    MDL_GEN_NKINDS);
        fprintf(stderr, "qmesh: gen: unknown kind '%s'", o->arg);
        if (hint)
            fprintf(stderr, "; did you mean '%s'?", hint);
        fputs("\n(kinds: chain, tree, layered, alibaba, meta; see 'qmesh "
              "gen --help')\n", stderr);
        return EXIT_INPUT;
    }
    if (!o->output) {
        fputs("qmesh: gen: missing -o DIR, the folder to write into\n"
              "(see 'qmesh gen --help')\n", stderr);
        return EXIT_INPUT;
    }
    mdl_gen_params_init(&p, (mdl_gen_kind)kind,
                        o->services ? o->services : GEN_N,
                        o->have_seed ? o->seed : 1);
    for (i = 0; i < o->nsets; i++)
        if (mdl_gen_set(&p, o->sets[i], err, sizeof err) < 0) {
            fprintf(stderr, "qmesh: gen: %s\n", err);
            return EXIT_INPUT;
        }
    if (mdl_gen_check(&p, err, sizeof err) < 0) {
        fprintf(stderr, "qmesh: gen: %s\n", err);
        return EXIT_INPUT;
    }
    memset(&d, 0, sizeof d);
    rc = mdl_gen_build(&g, &p);
    if (rc == SIM_OK)
        rc = ana_gen_write(&g, &p, o->output, &info, &d);
    if (rc == SIM_OK && !o->quiet)
        print_info(&g, &p, &info);
    mdl_gen_destroy(&g);
    return rc == SIM_OK ? EXIT_OK : cli__failed(rc, &d);
}

const cli_cmd cli__gen_cmd = {
    "gen", cmd_gen, CLI_OUTPUT | CLI_SEED | CLI_SET | CLI_QUIET
                    | CLI_SERVICES, "KIND", "kind of graph",
    "write a synthetic topology and a scenario that runs\n"
    "                   it: chain, tree, layered, alibaba, meta",
    "usage: qmesh gen KIND [-n SERVICES] [-s SEED] [--set PARAM=VALUE]... "
    "-o DIR\n"
    "\n"
    "Write DIR/NAME.gml, a synthetic topology, and DIR/NAME.yaml, a\n"
    "scenario that runs it at once: one open Poisson workload whose rate\n"
    "puts the busiest service at load 0.5 by the traffic equations (the\n"
    "bound 'qmesh check' uses). The same kind, services, seed and\n"
    "parameters give the same files, byte for byte. Each file is written\n"
    "whole or not at all; a regular file in the way is replaced, anything\n"
    "else refused.\n"
    "\n"
    "kinds:\n"
    "  chain     s0 -> s1 -> ... : depth SERVICES\n"
    "  tree      a complete tree of fan-out 'fanout'\n"
    "  layered   'layers' layers, each calling the next; heavy-tailed\n"
    "            fan-outs\n"
    "  alibaba   production-like: 13% entry, 39% leaf services, mostly\n"
    "            tree-like, depth <= 6 (Alibaba's 2022 trace)\n"
    "  meta      production-like: fan-out median 4, p90 13, p99 101;\n"
    "            fan-in 4, 16, 86; 27% entry services; depth <= 6 (Meta,\n"
    "            Huye et al., ATC'23)\n"
    "\n"
    "options:\n"
    "  -n, --services N        services (default 100; 'ingress' not\n"
    "                          counted)\n"
    "  -s, --seed N            seed of the graph and of the scenario's runs\n"
    "                          (default 1)\n"
    "      --set PARAM=VALUE   set a parameter (repeatable)\n"
    "  -o, --output DIR        the folder to write into (required)\n"
    "  -q, --quiet             print nothing on success\n"
    "  -h, --help              show this text\n"
    "\n"
    "parameters (defaults in brackets; docs/gen.md has the model and its\n"
    "sources):\n"
    "  every kind  name [KIND + SERVICES], load [0.5], requests per\n"
    "              replication [auto], replications [5], calls per visit\n"
    "              [chain, tree: 0 = every edge; others: 2], stages [1],\n"
    "              edge_kind [call] or publish, blocking [0],\n"
    "              work_median [1ms], work_sigma [1], cv [1],\n"
    "              instances_median [34], instances_p90 [186],\n"
    "              instances_p99 [9243], instances_max [557156],\n"
    "              instances_per_server [34], provision [1]\n"
    "  tree        fanout [3]\n"
    "  layered     layers [4], skip [0], fanout_median [3],\n"
    "              fanout_p90 [6], fanout_p99 [12]\n"
    "  alibaba     entry [0.13], leaf [0.39], depth [6], fanout_median\n"
    "              [2], fanout_p90 [6], fanout_p99 [10], fanin_median [1],\n"
    "              fanin_p90 [3], fanin_p99 [14]\n"
    "  meta        entry [0.27], leaf [auto], depth [6], fanout_median\n"
    "              [4], fanout_p90 [13], fanout_p99 [101], fanin_median\n"
    "              [4], fanin_p90 [16], fanin_p99 [86]\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage.\n"
};
