/*
 * mdl_topology_int.h - shared by the files of the topology loader
 * (mdl_topology*.c) and by nothing else: the file formats, the attribute
 * descriptors, the layout the text passes fill, and the reading through
 * igraph. Nothing outside models/ includes it.
 *
 * Ownership: a layout owns its arrays, the GraphML document and the
 * strings it copied out of it; a prop's key and raw text point into the
 * file's text or the document, and live as long as both. An attr_list
 * owns its vectors.
 */
#ifndef MDL_TOPOLOGY_INT_H
#define MDL_TOPOLOGY_INT_H
#include <stddef.h>
#include <igraph.h>
#include <libxml/tree.h>
#include "../sim/sim_err.h"
#include "mdl_topology.h"

enum { FMT_GML, FMT_GRAPHML };

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* ---- attributes (mdl_topology_attr.c) ---- */

/* The description of one attribute: its name, how its text is read and
 * checked, where the value goes. */
typedef struct attr_desc attr_desc;

/* Fill s with the defaults of DESIGN.md section 3; name stays NULL. */
void mdl__topology_attr_init_service(mdl_service *s);
/* Fill e with the defaults of an edge from service from to service to;
 * protocol stays NULL until set (then "none"). */
void mdl__topology_attr_init_edge(mdl_edge *e, int from, int to);
/* The descriptor of the vertex (vtx 1) or edge (0) attribute key, or
 * NULL when there is none. */
const attr_desc *mdl__topology_attr_find(int vtx, const char *key);
/* Is a one of the names a file may give (name, label, id), which are read
 * by the loader and never set? */
int mdl__topology_attr_is_name(const attr_desc *a);
/* Append to err the did-you-mean hint for key among the vertex (vtx 1) or
 * edge (0) attributes a file may give. */
void mdl__topology_attr_hint(char *err, size_t errlen, const char *key,
                             int vtx);
/* Set the attribute a describes in obj (an mdl_service or an mdl_edge)
 * from value, or write why not into err and leave obj unchanged. base_dir
 * resolves empirical files. Returns SIM_OK, SIM_EPARSE or SIM_ENOMEM. */
int mdl__topology_attr_apply(const attr_desc *a, void *obj,
                             const char *value, const char *base_dir,
                             char *err, size_t errlen);

/* ---- the layout of a file (mdl_topology_layout.c) ---- */

/* One attribute as the file writes it: a GML key and its value, a GraphML
 * <data> element, or the <default> of a GraphML <key>. */
typedef struct prop {
    const char *key;            /* attribute name, key_len bytes */
    size_t key_len;
    const char *raw;            /* GML: the value token as written */
    size_t raw_len;
    xmlNode *node;              /* GraphML: the <data> or <default> */
    int line;
} prop;

/* One vertex or edge as the file writes it. */
typedef struct item {
    int line;                   /* its GML key or GraphML element */
    int edge;                   /* 1: an edge, 0: a vertex */
    size_t first, n;            /* its attributes: props[first, first+n) */
    const char *id;             /* GraphML: id (vertex), source (edge) */
    const char *target;         /* GraphML edge: target */
} item;

/* What the text pass found: items[] in file order, and vertex[i] /
 * edge[j], the items of igraph's vertex i and edge j. */
typedef struct layout {
    item *items;
    size_t nitems, icap;
    prop *props;
    size_t nprops, pcap;
    size_t *vertex, *edge;      /* indices into items */
    size_t nv, ne;
    prop *defaults;             /* GraphML: key defaults, vertex and edge */
    int *default_for;           /* 1 vertex, 0 edge */
    size_t ndefaults;
    xmlDoc *doc;                /* GraphML: owned */
    char **strings;             /* GraphML: attribute values, owned */
    size_t nstrings, scap;
} layout;

/* Free what L holds and zero it; a zeroed layout is a no-op. */
void mdl__topology_layout_destroy(layout *L);
/* Append an item and return its index, or (size_t)-1 when out of memory. */
size_t mdl__topology_layout_push_item(layout *L, int line);
/* Append an attribute to the last item. Returns SIM_OK or SIM_ENOMEM. */
int mdl__topology_layout_push_prop(layout *L, const char *key,
                                   size_t key_len, const char *raw,
                                   size_t raw_len, xmlNode *node, int line);
/* The attribute called name of vertex (vtx) or edge i as written: the last
 * one the element holds (igraph keeps the last), else the GraphML key's
 * default; NULL when the file does not give it. */
const prop *mdl__topology_layout_find(const layout *L, int vtx, size_t i,
                                      const char *name);
/* Line of vertex (vtx) or edge i, 0 when unknown. */
int mdl__topology_layout_line(const layout *L, int vtx, size_t i);
/* The value of p as written, into buf: the GML token, or the text of the
 * GraphML element with white space trimmed. */
void mdl__topology_layout_text(const prop *p, char *buf, size_t n);

/* ---- the text passes (mdl_topology_gml.c, mdl_topology_graphml.c) ---- */

/* Index the items of a GML file as igraph's vertices and edges. Returns
 * SIM_OK, SIM_EPARSE when the text is not GML as igraph reads it, or
 * SIM_ENOMEM. */
int mdl__topology_gml_scan(const char *text, size_t len, layout *L);
/* Index a GraphML file's elements as igraph's vertices and edges of g;
 * has_id tells whether g has igraph's string vertex attribute "id".
 * Returns SIM_OK, SIM_EPARSE with d filled, or SIM_ENOMEM. */
int mdl__topology_graphml_scan(const char *text, size_t len,
                               const char *path, const igraph_t *g,
                               int has_id, layout *L, sim_diag *d);

/* ---- reading through igraph (mdl_topology_igraph.c) ---- */

/* Read text (len bytes, format fmt) into *g with igraph's reader and the C
 * attribute table. Returns SIM_OK with *g owned by the caller, SIM_EPARSE
 * with d naming path and igraph's reason, or SIM_ENOMEM. */
int mdl__topology_igraph_read(igraph_t *g, const char *text, size_t len,
                              int fmt, const char *path, sim_diag *d);

/* The attribute lists of a graph, owned. */
typedef struct attr_list {
    igraph_strvector_t gnames, vnames, enames;
    igraph_vector_int_t gtypes, vtypes, etypes;
    int ready;
} attr_list;

/* Fill a with the attribute lists of g. Returns SIM_OK or SIM_ENOMEM;
 * either way mdl__topology_igraph_attrs_destroy(a) then frees it. */
int mdl__topology_igraph_attrs_init(attr_list *a, const igraph_t *g);
void mdl__topology_igraph_attrs_destroy(attr_list *a);
/* Type of vertex attribute name, or -1 when there is none. */
igraph_integer_t mdl__topology_igraph_attr_type(const attr_list *a,
                                                const char *name);
/* Text of attribute name (of type type) of vertex (vertex) or edge i into
 * *val (pointing into buf or igraph's storage); *where gets how the file
 * writes it (NULL when the text pass does not know it, or L is NULL).
 * Returns 0 when the value is missing: "", or a number or GraphML boolean
 * that the file does not give (igraph stores NaN or false for those). A
 * number that is given but not finite comes back as written. */
int mdl__topology_igraph_attr_text(const igraph_t *g, const layout *L,
                                   int vertex, const char *name,
                                   igraph_integer_t type,
                                   igraph_integer_t i, char *buf, size_t n,
                                   const char **val, const prop **where);
/* Name of vertex v: the first non-missing of name, label and (GraphML)
 * id, with the attribute it came from in *attr. Returns 0 when it has
 * none. */
int mdl__topology_igraph_vertex_name(const igraph_t *g, const attr_list *a,
                                     int fmt, igraph_integer_t v, char *buf,
                                     size_t n, const char **out,
                                     const char **attr);

#endif /* MDL_TOPOLOGY_INT_H */
