/*
 * mdl_topology_graphml.c - the text pass over a GraphML topology: each
 * vertex, edge and attribute with the line it is written on (the layout
 * of mdl_topology_layout.c), found with libxml2 as igraph's GraphML reader
 * finds them; and the checks igraph does not make: node ids given twice
 * and edges to ids that no <node> declares.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <igraph.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "../sim/sim_err.h"
#include "mdl_hint.h"
#include "mdl_topology_int.h"

/*
 * GraphML, read with libxml2 into a tree: comments, CDATA sections and
 * processing instructions are nodes of their own, never elements, so
 * nothing inside them is taken for a <node> or a <data>. As igraph does,
 * only elements in the GraphML namespace (or in none) count; the first
 * <graph> child of <graphml> is the graph; its direct <node> children are
 * the vertices (nested graphs are not read) and its direct <edge>
 * children the edges, in document order; a <data> counts when it is a
 * direct child of its <node> or <edge> and names a <key> declared for
 * nodes or edges.
 */
#define GRAPHML_NS "http://graphml.graphdrawing.org/xmlns"

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           xmlStrEqual(n->name, (const xmlChar *)name) &&
           (!n->ns || xmlStrEqual(n->ns->href,
                                  (const xmlChar *)GRAPHML_NS));
}

/* Attribute name of element n as a string the layout owns; NULL when
 * absent or out of memory (*nomem set). */
static const char *xml_attr(layout *L, const xmlNode *n, const char *name,
                            int *nomem)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

    if (!v)
        return NULL;
    if (L->nstrings == L->scap) {
        size_t cap = L->scap ? 2 * L->scap : 64;
        char **s = realloc(L->strings, cap * sizeof *s);

        if (!s) {
            xmlFree(v);
            *nomem = 1;
            return NULL;
        }
        L->strings = s;
        L->scap = cap;
    }
    L->strings[L->nstrings++] = (char *)v;
    return (const char *)v;
}

static int xml_line(const xmlNode *n)
{
    long line = xmlGetLineNo(n);

    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

/* A <key>: for nodes (1), edges (0) or neither (-1), id and name. */
typedef struct gkey {
    const char *id, *name;
    int vtx;
} gkey;

/* The key with id id declared for vertices (vtx) or edges, or NULL. */
static const gkey *find_key(const gkey *keys, size_t n, const char *id,
                            int vtx)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (keys[i].vtx == vtx && strcmp(keys[i].id, id) == 0)
            return &keys[i];
    return NULL;
}

/* An id and the item that declares it, for sorting. */
typedef struct id_ref {
    const char *id;
    size_t item;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    if (c)
        return c;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* The node item with id id, or (size_t)-1. */
static size_t lookup_id(const id_ref *ids, size_t n, const char *id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ids[mid].id, id);

        if (c == 0) {
            while (mid > 0 && strcmp(ids[mid - 1].id, id) == 0)
                mid--;
            return ids[mid].item;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

int mdl__topology_graphml_scan(const char *text, size_t len,
                               const char *path, const igraph_t *g,
                               int has_id, layout *L, sim_diag *d)
{
    xmlNode *root, *n, *graph = NULL;
    gkey *keys = NULL;
    id_ref *ids = NULL;
    const char **names = NULL;
    size_t nkeys = 0, nnodes = 0, i;
    int nomem = 0, rc = SIM_ENOMEM;

    /* No network, no entity substitution, no DTD loading, no huge-input
     * mode: libxml2 keeps its own limits on what a document may expand
     * to. Errors are reported below, not printed. */
    L->doc = xmlReadMemory(text, (int)len, path, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
    if (!L->doc) {
        const xmlError *e = xmlGetLastError();
        char msg[512] = "not well-formed XML";

        if (e && e->code == XML_ERR_NO_MEMORY)
            return SIM_ENOMEM;
        if (e && e->message) {
            size_t ml;

            snprintf(msg, sizeof msg, "%s", e->message);
            ml = strlen(msg);
            while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == '.'))
                msg[--ml] = '\0';
        }
        return sim_diag_set(d, path, e ? e->line : 0, 0,
                            "cannot read topology: %s", msg);
    }
    root = xmlDocGetRootElement(L->doc);
    if (!root || !is_element(root, "graphml"))
        return sim_diag_set(d, path, root ? xml_line(root) : 0, 0,
                            "cannot read topology: the document element is "
                            "not <graphml>");
    for (n = root->children; n; n = n->next)
        if (is_element(n, "key"))
            nkeys++;
    if (!(keys = calloc(nkeys + 1, sizeof *keys)) ||
        !(L->defaults = calloc(nkeys + 1, sizeof *L->defaults)) ||
        !(L->default_for = calloc(nkeys + 1, sizeof *L->default_for)))
        goto fail;
    nkeys = 0;
    for (n = root->children; n; n = n->next) {
        const char *id, *name, *dom;
        gkey *k;
        xmlNode *c;

        if (!is_element(n, "key")) {
            if (!graph && is_element(n, "graph"))
                graph = n;
            continue;
        }
        id = xml_attr(L, n, "id", &nomem);
        name = xml_attr(L, n, "attr.name", &nomem);
        dom = xml_attr(L, n, "for", &nomem);
        if (nomem)
            goto fail;
        if (!id)
            continue;
        k = &keys[nkeys++];
        k->id = id;
        k->name = name ? name : id;     /* igraph names it by its id */
        k->vtx = dom && strcmp(dom, "node") == 0 ? 1
               : dom && strcmp(dom, "edge") == 0 ? 0 : -1;
        for (c = n->children; c && k->vtx >= 0; c = c->next)
            if (is_element(c, "default")) {
                prop *p = &L->defaults[L->ndefaults];

                p->key = k->name;
                p->key_len = strlen(k->name);
                p->node = c;
                p->line = xml_line(c);
                L->default_for[L->ndefaults++] = k->vtx;
                break;
            }
    }

    /* The vertices and edges of the first graph, in document order. */
    for (n = graph ? graph->children : NULL; n; n = n->next) {
        int vtx = is_element(n, "node");
        size_t it;
        xmlNode *c;

        if (!vtx && !is_element(n, "edge"))
            continue;
        it = mdl__topology_layout_push_item(L, xml_line(n));
        if (it == (size_t)-1)
            goto fail;
        L->items[it].edge = !vtx;
        L->items[it].id = xml_attr(L, n, vtx ? "id" : "source", &nomem);
        L->items[it].target = vtx ? NULL : xml_attr(L, n, "target", &nomem);
        if (nomem)
            goto fail;
        if (vtx)
            nnodes++;
        for (c = n->children; c; c = c->next) {
            const char *kid;
            const gkey *k;

            if (!is_element(c, "data"))
                continue;
            if (!(kid = xml_attr(L, c, "key", &nomem))) {
                if (nomem)
                    goto fail;
                continue;
            }
            if ((k = find_key(keys, nkeys, kid, vtx)) &&
                mdl__topology_layout_push_prop(L, k->name, strlen(k->name),
                                               NULL, 0, c,
                                               xml_line(c)) != SIM_OK)
                goto fail;
        }
        L->items[it].n = L->nprops - L->items[it].first;
    }

    /* Node ids, sorted for lookup; an id given twice is an error. */
    if (!(ids = malloc((nnodes + 1) * sizeof *ids)) ||
        !(names = malloc((nnodes + 1) * sizeof *names)))
        goto fail;
    nnodes = 0;
    for (i = 0; i < L->nitems; i++)
        if (!L->items[i].edge && L->items[i].id) {
            ids[nnodes].id = L->items[i].id;
            ids[nnodes++].item = i;
        }
    qsort(ids, nnodes, sizeof *ids, cmp_id_ref);
    for (i = 1; i < nnodes; i++)
        if (strcmp(ids[i].id, ids[i - 1].id) == 0) {
            rc = sim_diag_set(d, path, L->items[ids[i].item].line, 0,
                              "duplicate node id '%s' (first on line %d)",
                              ids[i].id, L->items[ids[i - 1].item].line);
            goto fail;
        }
    for (i = 0; i < nnodes; i++)
        names[i] = ids[i].id;

    /* An edge to an id that no <node> declares would make igraph add a
     * service of that name with every default: a typo must not do that. */
    for (i = 0; i < L->nitems; i++) {
        const item *it = &L->items[i];
        const char *end[2], *hint;
        int k;

        if (!it->edge)
            continue;
        end[0] = it->id;
        end[1] = it->target;
        for (k = 0; k < 2; k++) {
            if (!end[k] || lookup_id(ids, nnodes, end[k]) != (size_t)-1)
                continue;
            hint = mdl_hint(end[k], names, nnodes);
            rc = sim_diag_set(d, path, it->line, 0, "edge %s '%s' is not the "
                              "id of a <node>%s%s%s", k ? "target" : "source",
                              end[k], hint ? "; did you mean '" : "",
                              hint ? hint : "", hint ? "'?" : "");
            goto fail;
        }
    }

    /* igraph's vertex i carries its node's id as attribute "id". */
    L->nv = (size_t)igraph_vcount(g);
    L->ne = (size_t)igraph_ecount(g);
    if (L->nv != nnodes || L->ne != L->nitems - nnodes) {
        rc = sim_diag_set(d, path, 0, 0, "cannot read topology: igraph "
                          "read %zu nodes and %zu edges, libxml2 found %zu "
                          "and %zu", L->nv, L->ne, nnodes,
                          L->nitems - nnodes);
        goto fail;
    }
    if (!(L->vertex = malloc((L->nv + 1) * sizeof *L->vertex)) ||
        !(L->edge = malloc((L->ne + 1) * sizeof *L->edge)))
        goto fail;
    {
        size_t nv = 0, ne = 0;

        for (i = 0; i < L->nitems; i++) {
            if (L->items[i].edge)
                L->edge[ne++] = i;
            else
                L->vertex[nv++] = i;
        }
        for (i = 0; has_id && i < L->nv; i++) {
            size_t at = lookup_id(ids, nnodes,
                                  VAS(g, "id", (igraph_integer_t)i));

            if (at == (size_t)-1) {
                rc = sim_diag_set(d, path, 0, 0, "cannot read topology: "
                                  "vertex %zu has an id that no <node> "
                                  "declares", i);
                goto fail;
            }
            L->vertex[i] = at;
        }
    }
    rc = SIM_OK;
fail:
    free(keys);
    free(ids);
    free(names);
    return rc;
}
