/*
 * mdl_topology.c - load and look up the service graph.
 *
 * The file is read into memory once (mdl_input.h: a regular file of at
 * most 64 MiB) and parsed twice: by igraph (GML or GraphML reader, C
 * attribute table; mdl_topology_igraph.c), which gives the values, and by
 * a text pass, because igraph reports neither line numbers nor whether a
 * value was written at all. The text pass finds each vertex, edge and
 * attribute as the file writes it (a `layout`, mdl_topology_layout.c):
 * GraphML through libxml2's tree, so that comments, CDATA and processing
 * instructions are never taken for elements (mdl_topology_graphml.c);
 * GML through a tokenizer that follows igraph's own lexer
 * (mdl_topology_gml.c). Every diagnostic about a service, an edge or one
 * of their attributes reads "file:line: error: ...", at the attribute's
 * line when it is known.
 *
 * Each value is set through the attribute descriptors of
 * mdl_topology_attr.c. Cross-attribute rules are checked last, by
 * mdl_topology_check() (mdl_topology_check.c), which a scenario calls
 * again after its overrides.
 *
 * Invariants of a loaded topology: services[i] is vertex i, edges[j] is
 * igraph edge j, names are non-empty and unique, all values are valid.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <igraph.h>
#include "../sim/sim_err.h"
#include "mdl_input.h"
#include "mdl_name.h"
#include "mdl_topology.h"
#include "mdl_topology_int.h"

/* Copy the directory part of path ("." when none) into a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 1;
    char *dir;

    if (slash == path)
        len = 1;                                    /* "/x.gml" */
    if (!(dir = malloc(len + 1)))
        return NULL;
    if (slash)
        memcpy(dir, path, len);
    else
        dir[0] = '.';
    dir[len] = '\0';
    return dir;
}

/* Sort support: indices of services ordered by (name, index). */
static const mdl_service *sort_services;

static int cmp_index(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_services[i].name, sort_services[j].name);

    if (c)
        return c;
    return i < j ? -1 : i > j;
}

int mdl_topology_load(mdl_topology **out, const char *path, sim_diag *d)
{
    const char *ext = strrchr(path, '.'), *why;
    igraph_t g;
    mdl_topology *t = NULL;
    attr_list attrs;
    layout L;
    char *text = NULL, *base_dir = NULL;
    char buf[256], err[1024];
    size_t *order = NULL, i, len, nv_attrs = 0, ne_attrs = 0;
    int fmt, rc;

    *out = NULL;
    attrs.ready = 0;
    memset(&L, 0, sizeof L);
    if (ext && strcmp(ext, ".gml") == 0)
        fmt = FMT_GML;
    else if (ext && (strcmp(ext, ".graphml") == 0 || strcmp(ext, ".xml") == 0))
        fmt = FMT_GRAPHML;
    else
        return sim_diag_set(d, path, 0, 0, "unknown topology format '%s' "
                            "(expected .gml, .graphml or .xml)", path);
    rc = mdl_input_read(path, "topology", &text, &len, err, sizeof err);
    if (rc == SIM_EPARSE)
        return sim_diag_set(d, path, 0, 0, "%s", err);
    if (rc != SIM_OK)
        return rc;
    if (len == 0) {
        free(text);
        return sim_diag_set(d, path, 0, 0, "topology file is empty");
    }

    rc = mdl__topology_igraph_read(&g, text, len, fmt, path, d);
    if (rc != SIM_OK) {
        free(text);
        return rc;
    }

    /* From here on the graph belongs to t and mdl_topology_free frees it. */
    rc = SIM_ENOMEM;
    if (!(t = calloc(1, sizeof *t))) {
        igraph_destroy(&g);
        free(text);
        return SIM_ENOMEM;
    }
    t->graph = g;
    if (!(t->path = strdup(path)) || !(base_dir = dir_of(path)))
        goto fail;
    if (mdl__topology_igraph_attrs_init(&attrs, &t->graph))
        goto fail;
    nv_attrs = (size_t)igraph_strvector_size(&attrs.vnames);
    ne_attrs = (size_t)igraph_strvector_size(&attrs.enames);
    if (fmt == FMT_GML) {
        rc = mdl__topology_gml_scan(text, len, &L);
        if (rc == SIM_OK && (L.nv != (size_t)igraph_vcount(&t->graph) ||
                             L.ne != (size_t)igraph_ecount(&t->graph)))
            rc = sim_diag_set(d, path, 0, 0, "cannot read topology: igraph "
                              "read %ld nodes and %ld edges, the text has "
                              "%zu and %zu",
                              (long)igraph_vcount(&t->graph),
                              (long)igraph_ecount(&t->graph), L.nv, L.ne);
        else if (rc == SIM_EPARSE)
            rc = sim_diag_set(d, path, 0, 0, "cannot read topology: not GML "
                              "as igraph reads it");
    } else {
        int has_id = mdl__topology_igraph_attr_type(&attrs, "id") ==
                     IGRAPH_ATTRIBUTE_STRING;

        rc = mdl__topology_graphml_scan(text, len, path, &t->graph, has_id,
                                        &L, d);
    }
    if (rc != SIM_OK)
        goto fail;
    rc = SIM_ENOMEM;

    if (!igraph_is_directed(&t->graph) && igraph_ecount(&t->graph) > 0) {
        rc = sim_diag_set(d, path, 0, 0, "topology graph is undirected; "
                          "calls need a direction (%s)",
                          fmt == FMT_GML ? "add 'directed 1' to the graph"
                                         : "set edgedefault=\"directed\"");
        goto fail;
    }

    /* Services with defaults, then names and lines. */
    {
        size_t nv = (size_t)igraph_vcount(&t->graph);

        if (nv > 0 && !(t->services = calloc(nv, sizeof *t->services)))
            goto fail;
        for (i = 0; i < nv; i++)
            mdl__topology_attr_init_service(&t->services[i]);
        t->nservices = nv;
    }
    for (i = 0; i < t->nservices; i++) {
        mdl_service *s = &t->services[i];
        const char *name, *from;
        const prop *p;

        s->line = mdl__topology_layout_line(&L, 1, i);
        if (!mdl__topology_igraph_vertex_name(&t->graph, &attrs, fmt,
                                              (igraph_integer_t)i, buf,
                                              sizeof buf, &name, &from)) {
            rc = sim_diag_set(d, path, s->line, 0, "service name missing "
                              "on node %zu; add a %s", i,
                              fmt == FMT_GML ? "label" : "name or id");
            goto fail;
        }
        if (!(s->name = strdup(name)))
            goto fail;
        /* A GML node's line is that of its label, as a reader looks for
         * the name; a GraphML node's that of its <node> element. */
        if (fmt == FMT_GML &&
            (p = mdl__topology_layout_find(&L, 1, i, from)) != NULL)
            s->line = p->line;
        if ((why = mdl_name_problem(name, 0)) != NULL) {
            mdl_name_show(err, sizeof err, name);
            rc = sim_diag_set(d, path, s->line, 0, "service name '%s' %s",
                              err, why);
            goto fail;
        }
    }
    if (t->nservices > 1) {
        if (!(order = malloc(t->nservices * sizeof *order)))
            goto fail;
        for (i = 0; i < t->nservices; i++)
            order[i] = i;
        sort_services = t->services;
        qsort(order, t->nservices, sizeof *order, cmp_index);
        {
            size_t dup = (size_t)-1, first = 0;

            for (i = 1; i < t->nservices; i++)
                if (strcmp(t->services[order[i]].name,
                           t->services[order[i - 1]].name) == 0 &&
                    order[i] < dup) {
                    size_t j = i;

                    while (j > 0 && strcmp(t->services[order[j - 1]].name,
                                           t->services[order[i]].name) == 0)
                        j--;
                    dup = order[i];
                    first = order[j];
                }
            if (dup != (size_t)-1) {
                rc = sim_diag_set(d, path, t->services[dup].line, 0,
                                  "duplicate service name '%s' (first "
                                  "defined on line %d)",
                                  t->services[dup].name,
                                  t->services[first].line);
                goto fail;
            }
        }
    }
    t->by_name = order;                 /* unique names: find() searches it */
    order = NULL;

    /* Vertex attributes, in file order: the first error in the file wins.
     * Each error names the line of the attribute when the text pass knows
     * it, else that of the service. */
    for (i = 0; i < t->nservices; i++) {
        mdl_service *s = &t->services[i];
        size_t j;

        for (j = 0; j < nv_attrs; j++) {
            const char *an = igraph_strvector_get(&attrs.vnames,
                                                  (igraph_integer_t)j);
            const char *val;
            const prop *p;
            const attr_desc *a = mdl__topology_attr_find(1, an);

            if (!mdl__topology_igraph_attr_text(&t->graph, &L, 1, an,
                                                VECTOR(attrs.vtypes)[j],
                                                (igraph_integer_t)i, buf,
                                                sizeof buf, &val, &p))
                continue;
            if (!a) {
                snprintf(err, sizeof err, "unknown attribute '%s' on "
                         "service '%s'", an, s->name);
                mdl__topology_attr_hint(err, sizeof err, an, 1);
                rc = sim_diag_set(d, path, p ? p->line : s->line, 0, "%s",
                                  err);
                goto fail;
            }
            if (mdl__topology_attr_is_name(a))
                continue;                           /* name, label, id */
            rc = mdl__topology_attr_apply(a, s, val, base_dir, err,
                                          sizeof err);
            if (rc == SIM_ENOMEM)
                goto fail;
            if (rc != SIM_OK) {
                rc = sim_diag_set(d, path, p ? p->line : s->line, 0,
                                  "service '%s': %s", s->name, err);
                goto fail;
            }
        }
    }

    /* Edges. */
    {
        size_t ne = (size_t)igraph_ecount(&t->graph);

        if (ne > 0 && !(t->edges = calloc(ne, sizeof *t->edges)))
            goto fail;
        for (i = 0; i < ne; i++) {
            mdl__topology_attr_init_edge(&t->edges[i],
                (int)IGRAPH_FROM(&t->graph, (igraph_integer_t)i),
                (int)IGRAPH_TO(&t->graph, (igraph_integer_t)i));
            t->edges[i].line = mdl__topology_layout_line(&L, 0, i);
        }
        t->nedges = ne;
    }
    for (i = 0; i < t->nedges; i++) {
        mdl_edge *e = &t->edges[i];
        const char *src = t->services[e->from].name;
        const char *dst = t->services[e->to].name;
        size_t j;

        for (j = 0; j < ne_attrs; j++) {
            const char *an = igraph_strvector_get(&attrs.enames,
                                                  (igraph_integer_t)j);
            const char *val;
            const prop *p;
            const attr_desc *a = mdl__topology_attr_find(0, an);

            if (!mdl__topology_igraph_attr_text(&t->graph, &L, 0, an,
                                                VECTOR(attrs.etypes)[j],
                                                (igraph_integer_t)i, buf,
                                                sizeof buf, &val, &p))
                continue;
            if (!a) {
                snprintf(err, sizeof err, "unknown attribute '%s' on edge "
                         "'%s' -> '%s'", an, src, dst);
                mdl__topology_attr_hint(err, sizeof err, an, 0);
                rc = sim_diag_set(d, path, p ? p->line : e->line, 0, "%s",
                                  err);
                goto fail;
            }
            if (mdl__topology_attr_is_name(a))
                continue;                           /* id */
            rc = mdl__topology_attr_apply(a, e, val, NULL, err, sizeof err);
            if (rc == SIM_ENOMEM)
                goto fail;
            if (rc != SIM_OK) {
                rc = sim_diag_set(d, path, p ? p->line : e->line, 0,
                                  "edge '%s' -> '%s': %s", src, dst, err);
                goto fail;
            }
        }
        if (!e->protocol && !(e->protocol = strdup("none")))
            goto fail;
    }

    if ((rc = mdl_topology_check(t, d)) != SIM_OK)
        goto fail;

    *out = t;
    t = NULL;
    rc = SIM_OK;
fail:
    free(order);
    mdl__topology_layout_destroy(&L);
    mdl__topology_igraph_attrs_destroy(&attrs);
    free(base_dir);
    free(text);
    mdl_topology_free(t);
    return rc;
}

void mdl_topology_free(mdl_topology *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->nservices; i++) {
        free(t->services[i].name);
        mdl_dist_destroy(&t->services[i].service);
        mdl_dist_destroy(&t->services[i].post_service);
    }
    free(t->services);
    for (i = 0; i < t->nedges; i++) {
        free(t->edges[i].protocol);
        free(t->edges[i].types);
    }
    free(t->edges);
    free(t->path);
    free(t->by_name);
    igraph_destroy(&t->graph);
    free(t);
}

int mdl_topology_find(const mdl_topology *t, const char *name)
{
    size_t i, lo = 0, hi = t->nservices;

    if (!t->by_name) {                  /* one service, or built by hand */
        for (i = 0; i < t->nservices; i++)
            if (strcmp(t->services[i].name, name) == 0)
                return (int)i;
        return -1;
    }
    while (lo < hi) {                   /* binary search: names unique */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->services[t->by_name[mid]].name, name);

        if (c == 0)
            return (int)t->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
