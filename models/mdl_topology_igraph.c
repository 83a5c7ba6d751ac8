/*
 * mdl_topology_igraph.c - a topology file read through igraph: its GML or
 * GraphML reader with the C attribute table, its error message turned
 * into a diagnostic, and the values of the attribute table as text.
 *
 * igraph marks absence with NaN for numbers, "" for strings and false for
 * GraphML booleans; the layout (mdl_topology_layout.c) tells an absent
 * value from a written NaN ("servers NaN", GraphML <data>nan</data>) or a
 * written false, and a written NaN or infinity is passed on as written,
 * for the validators to reject.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <igraph.h>
#include "../sim/sim_err.h"
#include "mdl_topology_int.h"

static char igraph_reason[512];

/* Keep igraph's first message (later ones, from IGRAPH_CHECK, are empty)
 * and clean up as igraph_error_handler_ignore does. */
static void capture_error(const char *reason, const char *file, int line,
                          igraph_error_t code)
{
    if (reason && reason[0] && !igraph_reason[0])
        snprintf(igraph_reason, sizeof igraph_reason, "%s", reason);
    igraph_error_handler_ignore(reason, file, line, code);
}

/* Turn igraph's reason into a diagnostic message: first letter lower case,
 * no full stop; the line it names, if any, into *line. */
static void reason_to_msg(char *msg, size_t n, igraph_error_t code,
                          int *line)
{
    const char *p;
    size_t len;

    *line = 0;
    snprintf(msg, n, "%s", igraph_reason[0] ? igraph_reason
                                            : igraph_strerror(code));
    if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] - 'A' + 'a');
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '.' || msg[len - 1] == '\n'))
        msg[--len] = '\0';
    for (p = msg; *p; p++)
        if ((p[0] == 'l' || p[0] == 'L') && strncmp(p + 1, "ine ", 4) == 0 &&
            p[5] >= '0' && p[5] <= '9') {
            long l = strtol(p + 5, NULL, 10);   /* atoi() overflows */

            *line = l > 0 && l <= INT_MAX ? (int)l : 0;
            break;
        }
}

int mdl__topology_igraph_read(igraph_t *g, const char *text, size_t len,
                              int fmt, const char *path, sim_diag *d)
{
    igraph_error_handler_t *old_handler;
    igraph_error_t ig;
    char msg[1024];
    FILE *f;

    /* igraph reads the very bytes the text pass reads; "rb" leaves them
     * unchanged. */
    if (!(f = fmemopen((char *)text, len, "rb")))
        return SIM_ENOMEM;
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_reason[0] = '\0';
    old_handler = igraph_set_error_handler(capture_error);
    ig = fmt == FMT_GML ? igraph_read_graph_gml(g, f)
                        : igraph_read_graph_graphml(g, f, 0);
    igraph_set_error_handler(old_handler);
    fclose(f);
    if (ig != IGRAPH_SUCCESS) {
        int line;

        if (ig == IGRAPH_ENOMEM)
            return SIM_ENOMEM;
        reason_to_msg(msg, sizeof msg, ig, &line);
        return sim_diag_set(d, path, line, 0, "cannot read topology: %s",
                            msg);
    }
    return SIM_OK;
}

/* A number that is given but not finite (GML "nan", GraphML "NaN",
 * "-inf") comes back as written, for the validators to reject with the
 * key and value named. */
int mdl__topology_igraph_attr_text(const igraph_t *g, const layout *L,
                                   int vertex, const char *name,
                                   igraph_integer_t type,
                                   igraph_integer_t i, char *buf, size_t n,
                                   const char **val, const prop **where)
{
    const prop *p = L ? mdl__topology_layout_find(L, vertex, (size_t)i, name)
                      : NULL;

    *where = p;
    switch (type) {
    case IGRAPH_ATTRIBUTE_NUMERIC: {
        double x = vertex ? VAN(g, name, i) : EAN(g, name, i);

        if (!isfinite(x)) {
            if (p)
                mdl__topology_layout_text(p, buf, n);
            else if (isnan(x))
                return 0;
            else
                snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
            *val = buf;
            return 1;
        }
        /* Shortest of %.15g / %.17g that reads back as x: 0.1 stays "0.1". */
        snprintf(buf, n, "%.15g", x);
        if (strtod(buf, NULL) != x)
            snprintf(buf, n, "%.17g", x);
        *val = buf;
        return 1;
    }
    case IGRAPH_ATTRIBUTE_STRING:
        *val = vertex ? VAS(g, name, i) : EAS(g, name, i);
        return *val && (*val)[0];
    case IGRAPH_ATTRIBUTE_BOOLEAN:
        if (!p)
            return 0;
        *val = (vertex ? VAB(g, name, i) : EAB(g, name, i)) ? "true"
                                                            : "false";
        return 1;
    default:
        *val = "";
        return 0;
    }
}

int mdl__topology_igraph_attrs_init(attr_list *a, const igraph_t *g)
{
    memset(a, 0, sizeof *a);
    if (igraph_strvector_init(&a->gnames, 0))
        return SIM_ENOMEM;
    if (igraph_strvector_init(&a->vnames, 0))
        goto fail1;
    if (igraph_strvector_init(&a->enames, 0))
        goto fail2;
    if (igraph_vector_int_init(&a->gtypes, 0))
        goto fail3;
    if (igraph_vector_int_init(&a->vtypes, 0))
        goto fail4;
    if (igraph_vector_int_init(&a->etypes, 0))
        goto fail5;
    a->ready = 1;
    if (igraph_cattribute_list(g, &a->gnames, &a->gtypes, &a->vnames,
                               &a->vtypes, &a->enames, &a->etypes))
        return SIM_ENOMEM;      /* the caller destroys a */
    return SIM_OK;
fail5:
    igraph_vector_int_destroy(&a->vtypes);
fail4:
    igraph_vector_int_destroy(&a->gtypes);
fail3:
    igraph_strvector_destroy(&a->enames);
fail2:
    igraph_strvector_destroy(&a->vnames);
fail1:
    igraph_strvector_destroy(&a->gnames);
    return SIM_ENOMEM;
}

void mdl__topology_igraph_attrs_destroy(attr_list *a)
{
    if (!a->ready)
        return;
    igraph_strvector_destroy(&a->gnames);
    igraph_strvector_destroy(&a->vnames);
    igraph_strvector_destroy(&a->enames);
    igraph_vector_int_destroy(&a->gtypes);
    igraph_vector_int_destroy(&a->vtypes);
    igraph_vector_int_destroy(&a->etypes);
    a->ready = 0;
}

igraph_integer_t mdl__topology_igraph_attr_type(const attr_list *a,
                                                const char *name)
{
    igraph_integer_t j, n = igraph_strvector_size(&a->vnames);

    for (j = 0; j < n; j++)
        if (strcmp(igraph_strvector_get(&a->vnames, j), name) == 0)
            return VECTOR(a->vtypes)[j];
    return -1;
}

int mdl__topology_igraph_vertex_name(const igraph_t *g, const attr_list *a,
                                     int fmt, igraph_integer_t v, char *buf,
                                     size_t n, const char **out,
                                     const char **attr)
{
    static const char *const from[] = { "name", "label", "id" };
    size_t k;

    for (k = 0; k < NELEM(from); k++) {
        igraph_integer_t j, na = igraph_strvector_size(&a->vnames);

        if (k == 2 && fmt != FMT_GRAPHML)
            break;              /* a GML id is a number, not a name */
        for (j = 0; j < na; j++) {
            const char *an = igraph_strvector_get(&a->vnames, j);
            igraph_integer_t type = VECTOR(a->vtypes)[j];

            const prop *where;

            if (strcmp(an, from[k]) == 0 && type != IGRAPH_ATTRIBUTE_BOOLEAN &&
                mdl__topology_igraph_attr_text(g, NULL, 1, an, type, v, buf,
                                               n, out, &where)) {
                *attr = from[k];
                return 1;
            }
        }
    }
    return 0;
}
