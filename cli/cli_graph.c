/*
 * cli_graph.c - `qmesh graph TOPOLOGY [--dot FILE]`: the structure of a
 * topology without simulating it (the numbers come from ana_graph.h).
 *
 * Prints a header line (services, edges by kind, entry points), a table
 * with one row per service (call and total degrees, betweenness, call
 * depth, fan-out and widest stage, local work and expected latency per
 * call), the blast radius of each service (the entry points whose
 * requests reach it), and the critical path from each entry point.
 *
 * --dot FILE writes a Graphviz export (ana_graph_write_dot()) before the
 * analysis, so a topology with a call cycle can still be drawn to find
 * the cycle; the command then fails with status 2 all the same. With
 * --dot - the export goes to standard output, alone, for a pipe into
 * Graphviz; the analysis still checks the topology.
 *
 * Exit status: 0 ok; 2 bad usage, a topology that does not load, or a
 * cycle of synchronous calls (it would deadlock, and `qmesh run` rejects
 * it too); 1 out of memory or a DOT file that cannot be written.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_graph.h"
#include "cli_int.h"

/* "12.34 ms" for a time in s, in s, ms or us as the run table. */
static void fmt_time(char *buf, size_t n, double x)
{
    double a = fabs(x);

    if (isinf(x))
        snprintf(buf, n, "unbounded");
    else if (a == 0.0 || a >= 1.0)
        snprintf(buf, n, "%.4g s", x);
    else if (a >= 1e-3)
        snprintf(buf, n, "%.4g ms", x * 1e3);
    else
        snprintf(buf, n, "%.4g us", x * 1e6);
}

static int name_width(const mdl_topology *t)
{
    size_t i, w = 7;                        /* strlen("service") */

    for (i = 0; i < t->nservices; i++)
        if (strlen(t->services[i].name) > w)
            w = strlen(t->services[i].name);
    return w > 40 ? 40 : (int)w;
}

static void print_table(const ana_graph *g, const mdl_topology *t)
{
    int w = name_width(t);
    size_t i;

    printf("%-*s  %9s  %9s  %11s  %5s  %7s  %6s  %10s  %10s\n", w,
           "service", "in call/", "out call/", "betweenness", "depth",
           "fan-out", "widest", "local", "latency");
    printf("%-*s  %9s  %9s  %11s  %5s  %7s  %6s  %10s  %10s\n", w, "",
           "all", "all", "", "", "", "(stage)", "", "per call");
    for (i = 0; i < g->n; i++) {
        const ana_graph_svc *s = &g->svc[i];
        char in[32], out[32], wide[32], local[32], lat[32];
        snprintf(in, sizeof in, "%d/%d", s->in_calls, s->in_all);
        snprintf(out, sizeof out, "%d/%d", s->out_calls, s->out_all);
        if (s->widest_stage >= 0)
            snprintf(wide, sizeof wide, "%d (%d)", s->widest,
                     s->widest_stage);
        else
            snprintf(wide, sizeof wide, "-");
        fmt_time(local, sizeof local, s->local);
        fmt_time(lat, sizeof lat, s->latency);
        printf("%-*s  %9s  %9s  %11.4g  %5d  %7.4g  %6s  %10s  %10s\n", w,
               t->services[i].name, in, out, s->betweenness, s->depth,
               s->fanout, wide, local, lat);
    }
}

static void print_blast(const ana_graph *g, const mdl_topology *t)
{
    int w = name_width(t);
    size_t i, k;

    printf("\nblast radius (entry points affected if the service fails):\n");
    for (i = 0; i < g->n; i++) {
        const ana_graph_svc *s = &g->svc[i];
        printf("  %-*s  ", w, t->services[i].name);
        if (s->nblast == 0)
            fputs("(none: no entry point reaches it)", stdout);
        for (k = 0; k < s->nblast; k++)
            printf("%s%s", k ? ", " : "", t->services[s->blast[k]].name);
        putchar('\n');
    }
}

static void print_paths(const ana_graph *g, const mdl_topology *t)
{
    static const char *const KIND[] = {"call", "forward", "publish"};
    size_t i, k;

    printf("\ncritical path by expected latency (mean service times, "
           "fork-join stages,\nno queueing):\n");
    if (g->nentries == 0)
        printf("  (no entry point: every service has an incoming call or "
               "forward edge)\n");
    for (i = 0; i < g->npaths; i++) {
        const ana_graph_path *p = &g->paths[i];
        char lat[32];
        fmt_time(lat, sizeof lat, p->latency);
        printf("  from %s", t->services[p->entry].name);
        if (p->type)
            printf(", type %s", p->type);
        printf(": %s\n    %s", lat, t->services[p->svc[0]].name);
        for (k = 1; k < p->len; k++) {
            const mdl_edge *e = &t->edges[p->edge[k]];
            printf(" -[%s", KIND[e->kind]);
            if (e->p != 1.0)
                printf(" p=%g", e->p);
            if (e->count != 1)
                printf(" x%d", e->count);
            printf("]-> %s", t->services[p->svc[k]].name);
        }
        putchar('\n');
    }
}

static int cmd_graph(const cli_opts *o)
{
    const char *dot = o->dot;
    mdl_topology *t = NULL;
    ana_graph g;
    sim_diag d;
    int rc, status = EXIT_INPUT, to_stdout;

    memset(&d, 0, sizeof d);
    memset(&g, 0, sizeof g);
    rc = mdl_topology_load(&t, o->arg, &d);
    if (rc == SIM_OK && dot) {
        rc = ana_graph_write_dot(t, dot, &d);
        if (rc == SIM_EIO)
            status = EXIT_RUNTIME;
    }
    to_stdout = dot && !strcmp(dot, "-");
    if (rc == SIM_OK)
        rc = ana_graph_init(&g, t, &d);
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        status = EXIT_RUNTIME;
    } else if (rc != SIM_OK) {
        fputs("qmesh: ", stderr);
        sim_diag_print(&d, stderr);
    } else if (to_stdout) {
        status = EXIT_OK;
    } else {
        printf("%s: %zu services, %zu edges (%d call, %d forward, "
               "%d publish), %zu entry point%s\n\n", t->path, t->nservices,
               t->nedges, g.ncall, g.nforward, g.npublish, g.nentries,
               g.nentries == 1 ? "" : "s");
        if (g.bc_sources > 0)
            printf("betweenness: estimated from the shortest paths out of "
                   "%zu of the %zu services,\ndrawn at random (Brandes and "
                   "Pich 2007); noisy for services with few\nservices "
                   "upstream\n\n", g.bc_sources, t->nservices);
        if (g.ntypes > 0) {
            size_t k;
            printf("request types:");
            for (k = 0; k < g.ntypes; k++)
                printf(" %s", g.types[k]);
            printf("\n(each follows only the edges that carry it; depth, "
                   "fan-out, widest and\nlatency are those of the busiest "
                   "type)\n\n");
        }
        print_table(&g, t);
        print_blast(&g, t);
        print_paths(&g, t);
        if (dot)
            printf("\nDOT written to %s\n", dot);
        status = EXIT_OK;
    }
    ana_graph_destroy(&g);
    mdl_topology_free(t);
    return status;
}

const cli_cmd cli__graph_cmd = {
    "graph", cmd_graph, CLI_DOT, "TOPOLOGY", "topology file",
    "the structure of a topology: centrality, depth, fan-out, blast\n"
    "                   radius, critical paths; --dot FILE for Graphviz",
    "usage: qmesh graph TOPOLOGY [--dot FILE]\n"
    "\n"
    "Analyse a topology (GML or GraphML) without simulating it: per\n"
    "service the call and total degrees, betweenness, call depth, fan-out\n"
    "and widest stage, local work and expected latency per call; the\n"
    "blast radius of each service (the entry points whose requests reach\n"
    "it) and the critical path from each entry point. On a topology too\n"
    "large for exact betweenness (about 10,000 services and more) it is\n"
    "estimated from sampled services, and the output says so.\n"
    "\n"
    "options:\n"
    "      --dot FILE   also write a Graphviz export ('-': standard output,\n"
    "                   alone, e.g. for 'dot -Tsvg')\n"
    "  -h, --help       show this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 bad input or usage (a cycle\n"
    "that brings a request back to a caller waiting on it is named).\n"
};
