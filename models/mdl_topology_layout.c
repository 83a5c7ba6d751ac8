/*
 * mdl_topology_layout.c - where a topology file writes each vertex, edge
 * and attribute.
 *
 * igraph reports neither line numbers nor whether a value was written at
 * all, so a text pass over the file finds each vertex, edge and attribute
 * as the file writes it (a `layout`): GraphML through libxml2's tree
 * (mdl_topology_graphml.c), GML through a tokenizer that follows igraph's
 * own lexer (mdl_topology_gml.c). This file holds the layout they fill and
 * the lookups the loader makes in it: the line of a service or an edge,
 * the attribute as written, and its text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "../sim/sim_err.h"
#include "mdl_topology_int.h"

void mdl__topology_layout_destroy(layout *L)
{
    size_t i;

    free(L->items);
    free(L->props);
    free(L->vertex);
    free(L->edge);
    free(L->defaults);
    free(L->default_for);
    for (i = 0; i < L->nstrings; i++)
        xmlFree(L->strings[i]);
    free(L->strings);
    if (L->doc)
        xmlFreeDoc(L->doc);
    memset(L, 0, sizeof *L);
}

size_t mdl__topology_layout_push_item(layout *L, int line)
{
    if (L->nitems == L->icap) {
        size_t cap = L->icap ? 2 * L->icap : 64;
        item *v = realloc(L->items, cap * sizeof *v);

        if (!v)
            return (size_t)-1;
        L->items = v;
        L->icap = cap;
    }
    memset(&L->items[L->nitems], 0, sizeof L->items[0]);
    L->items[L->nitems].line = line;
    L->items[L->nitems].first = L->nprops;
    return L->nitems++;
}

int mdl__topology_layout_push_prop(layout *L, const char *key,
                                   size_t key_len, const char *raw,
                                   size_t raw_len, xmlNode *node, int line)
{
    prop *p;

    if (L->nprops == L->pcap) {
        size_t cap = L->pcap ? 2 * L->pcap : 256;

        if (!(p = realloc(L->props, cap * sizeof *p)))
            return SIM_ENOMEM;
        L->props = p;
        L->pcap = cap;
    }
    p = &L->props[L->nprops++];
    p->key = key;
    p->key_len = key_len;
    p->raw = raw;
    p->raw_len = raw_len;
    p->node = node;
    p->line = line;
    return SIM_OK;
}

const prop *mdl__topology_layout_find(const layout *L, int vtx, size_t i,
                                      const char *name)
{
    size_t len = strlen(name), k;
    const item *it;

    if (vtx ? i >= L->nv : i >= L->ne)
        return NULL;
    it = &L->items[vtx ? L->vertex[i] : L->edge[i]];
    for (k = it->n; k-- > 0;) {
        const prop *p = &L->props[it->first + k];

        if (p->key_len == len && memcmp(p->key, name, len) == 0)
            return p;
    }
    for (k = 0; k < L->ndefaults; k++) {
        const prop *p = &L->defaults[k];

        if (L->default_for[k] == vtx && p->key_len == len &&
            memcmp(p->key, name, len) == 0)
            return p;
    }
    return NULL;
}

int mdl__topology_layout_line(const layout *L, int vtx, size_t i)
{
    if (vtx ? i >= L->nv : i >= L->ne)
        return 0;
    return L->items[vtx ? L->vertex[i] : L->edge[i]].line;
}

void mdl__topology_layout_text(const prop *p, char *buf, size_t n)
{
    if (p->raw) {
        snprintf(buf, n, "%.*s", (int)(p->raw_len < 200 ? p->raw_len : 200),
                 p->raw);
    } else {
        xmlChar *c = xmlNodeGetContent(p->node);
        const char *s = c ? (const char *)c : "";
        size_t len;

        s += strspn(s, " \t\r\n");
        len = strlen(s);
        while (len > 0 && strchr(" \t\r\n", s[len - 1]))
            len--;
        snprintf(buf, n, "%.*s", (int)(len < 200 ? len : 200), s);
        xmlFree(c);
    }
}
