/*
 * mdl_topology_gml.c - the text pass over a GML topology: each vertex,
 * edge and attribute with the line it is written on (the layout of
 * mdl_topology_layout.c), found as igraph's GML reader finds them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../sim/sim_err.h"
#include "mdl_topology_int.h"

/*
 * GML, tokenized as igraph's lexer does (igraph 0.10 src/io/gml-lexer.l):
 * a line that starts with '#' is a comment; strings run from '"' to the
 * next '"', newlines included, with no escapes; numbers are
 * [+-]digits[.digits][(e|E)[+-]digits] or, in any case, [+-]inf and
 * [+-]nan; keywords are [A-Za-z_][A-Za-z0-9_]*; '[' and ']' open and close
 * lists. The file is a list of `key value` pairs, a value being a number,
 * a string or a list. igraph reads the first top-level `graph` list; each
 * `node` list in it is a vertex, in file order, each `edge` list an edge,
 * and their pairs with a number or string value are attributes.
 */
enum { TOK_END, TOK_KEY, TOK_NUM, TOK_STR, TOK_OPEN, TOK_CLOSE, TOK_BAD };

typedef struct gml_lexer {
    const char *text, *p, *end;
    int line;
} gml_lexer;

typedef struct gml_token {
    int kind;
    const char *s;              /* the token; a string without its quotes */
    size_t len;
    int line;
} gml_token;

static int is_word_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word_char(char c)
{
    return is_word_start(c) || is_digit(c);
}

/* Length of the word at p (keyword characters), within end. */
static size_t word_len(const char *p, const char *end)
{
    const char *q = p;

    while (q < end && is_word_char(*q))
        q++;
    return (size_t)(q - p);
}

/* Is [p, p+len) "inf" or "nan" in any case? */
static int is_nonfinite_word(const char *p, size_t len)
{
    return len == 3 && (strncasecmp(p, "inf", 3) == 0 ||
                        strncasecmp(p, "nan", 3) == 0);
}

static gml_token gml_next(gml_lexer *lx)
{
    gml_token t = { TOK_END, NULL, 0, 0 };

    for (;;) {
        const char *p = lx->p;

        if (p >= lx->end) {
            t.line = lx->line;
            return t;
        }
        if (*p == '#' && (p == lx->text || p[-1] == '\n')) {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
            continue;
        }
        if (*p == '\n') {
            lx->line++;
            lx->p++;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            lx->p++;
            continue;
        }
        break;
    }
    t.s = lx->p;
    t.line = lx->line;
    if (*lx->p == '"') {
        const char *q = lx->p + 1;

        while (q < lx->end && *q != '"' && *q != '\0')
            lx->line += *q++ == '\n';
        if (q >= lx->end || *q != '"') {
            t.kind = TOK_BAD;
            return t;
        }
        t.kind = TOK_STR;
        t.s = lx->p + 1;
        t.len = (size_t)(q - t.s);
        lx->p = q + 1;
        return t;
    }
    if (*lx->p == '[' || *lx->p == ']') {
        t.kind = *lx->p == '[' ? TOK_OPEN : TOK_CLOSE;
        t.len = 1;
        lx->p++;
        return t;
    }
    if (*lx->p == '+' || *lx->p == '-' || is_digit(*lx->p)) {
        const char *q = lx->p + (*lx->p == '+' || *lx->p == '-');
        size_t wl = q < lx->end ? word_len(q, lx->end) : 0;

        if (q < lx->end && is_digit(*q)) {
            while (q < lx->end && is_digit(*q))
                q++;
            if (q + 1 < lx->end && *q == '.' && is_digit(q[1]))
                for (q++; q < lx->end && is_digit(*q); q++)
                    ;
            if (q < lx->end && (*q == 'e' || *q == 'E')) {
                const char *r = q + 1;

                if (r < lx->end && (*r == '+' || *r == '-'))
                    r++;
                if (r < lx->end && is_digit(*r)) {
                    while (r < lx->end && is_digit(*r))
                        r++;
                    q = r;
                }
            }
        } else if (q < lx->end && is_word_start(*q) &&
                   is_nonfinite_word(q, wl)) {
            q += wl;
        } else {
            t.kind = TOK_BAD;
            return t;
        }
        t.kind = TOK_NUM;
        t.len = (size_t)(q - lx->p);
        lx->p = q;
        return t;
    }
    if (is_word_start(*lx->p)) {
        t.len = word_len(lx->p, lx->end);
        t.kind = is_nonfinite_word(lx->p, t.len) ? TOK_NUM : TOK_KEY;
        lx->p += t.len;
        return t;
    }
    t.kind = TOK_BAD;
    return t;
}

enum { GML_TOP, GML_GRAPH, GML_NODE, GML_EDGE, GML_OTHER };

#define GML_DEPTH_MAX 64        /* igraph itself stops at 32 */

/* Read pairs up to the ']' closing the list (or the end, at the top) in
 * context ctx; the pairs of a node or an edge become attributes of item
 * it. Returns SIM_OK, SIM_EPARSE when the text is not GML as igraph reads
 * it, or SIM_ENOMEM. */
static int gml_list(gml_lexer *lx, layout *L, int ctx, int depth,
                    size_t it, int *seen_graph)
{
    for (;;) {
        gml_token key = gml_next(lx), val;
        int rc;

        if (key.kind == TOK_END)
            return ctx == GML_TOP ? SIM_OK : SIM_EPARSE;
        if (key.kind == TOK_CLOSE)
            return ctx == GML_TOP ? SIM_EPARSE : SIM_OK;
        if (key.kind != TOK_KEY)
            return SIM_EPARSE;
        val = gml_next(lx);
        if (val.kind == TOK_OPEN) {
            int sub = GML_OTHER;
            size_t sub_it = it;

            if (depth >= GML_DEPTH_MAX)
                return SIM_EPARSE;
            if (ctx == GML_TOP && key.len == 5 &&
                memcmp(key.s, "graph", 5) == 0 && !*seen_graph) {
                sub = GML_GRAPH;
                *seen_graph = 1;
            } else if (ctx == GML_GRAPH &&
                       ((key.len == 4 && memcmp(key.s, "node", 4) == 0) ||
                        (key.len == 4 && memcmp(key.s, "edge", 4) == 0))) {
                sub = key.s[0] == 'n' ? GML_NODE : GML_EDGE;
                sub_it = mdl__topology_layout_push_item(L, key.line);
                if (sub_it == (size_t)-1)
                    return SIM_ENOMEM;
                L->items[sub_it].edge = sub == GML_EDGE;
            }
            rc = gml_list(lx, L, sub, depth + 1, sub_it, seen_graph);
            if (rc != SIM_OK)
                return rc;
            if (sub == GML_NODE || sub == GML_EDGE)
                L->items[sub_it].n = L->nprops - L->items[sub_it].first;
        } else if (val.kind == TOK_NUM || val.kind == TOK_STR) {
            if ((ctx == GML_NODE || ctx == GML_EDGE) &&
                mdl__topology_layout_push_prop(L, key.s, key.len, val.s,
                                               val.len, NULL,
                                               key.line) != SIM_OK)
                return SIM_ENOMEM;
        } else {
            return SIM_EPARSE;
        }
    }
}

int mdl__topology_gml_scan(const char *text, size_t len, layout *L)
{
    gml_lexer lx = { text, text, text + len, 1 };
    size_t i, nv = 0, ne = 0;
    int seen = 0, rc = gml_list(&lx, L, GML_TOP, 0, 0, &seen);

    if (rc != SIM_OK)
        return rc;
    for (i = 0; i < L->nitems; i++) {
        ne += (size_t)L->items[i].edge;
        nv += (size_t)!L->items[i].edge;
    }
    L->vertex = malloc((nv + 1) * sizeof *L->vertex);
    L->edge = malloc((ne + 1) * sizeof *L->edge);
    if (!L->vertex || !L->edge)
        return SIM_ENOMEM;
    for (i = 0; i < L->nitems; i++) {
        if (L->items[i].edge)
            L->edge[L->ne++] = i;
        else
            L->vertex[L->nv++] = i;
    }
    return SIM_OK;
}
