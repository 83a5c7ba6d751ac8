/*
 * mdl_topology.c - load, validate and look up the service graph.
 *
 * The file is read into memory once (mdl_input.h: a regular file of at
 * most 64 MiB) and parsed twice: by igraph (GML or GraphML reader, C
 * attribute table), which gives the values, and by a text pass, because
 * igraph reports neither line numbers nor whether a value was written at
 * all. The text pass finds each vertex, edge and attribute as the file
 * writes it (a `layout`): GraphML through libxml2's tree, so that
 * comments, CDATA and processing instructions are never taken for
 * elements; GML through a tokenizer that follows igraph's own lexer. Every
 * diagnostic about a service, an edge or one of their attributes reads
 * "file:line: error: ...", at the attribute's line when it is known.
 *
 * Every attribute value, numeric or string, is turned into text and set
 * through the descriptor tables vertex_attrs and edge_attrs, which a
 * scenario's overrides go through too (mdl_service_set()), so the file
 * and the scenario cannot disagree on what is valid. igraph marks
 * absence with NaN for numbers, "" for strings and false for GraphML
 * booleans; the layout tells an absent value from a written NaN
 * ("servers NaN", GraphML <data>nan</data>) or a written false, and a
 * written NaN or infinity is passed on as written, for the validators to
 * reject.
 *
 * Cross-attribute rules (capacity >= servers, forward probabilities out of
 * a service summing to at most 1, the total of replicas) are checked last,
 * by mdl_topology_check(), which a scenario calls again after its
 * overrides.
 *
 * Invariants of a loaded topology: services[i] is vertex i, edges[j] is
 * igraph edge j, names are non-empty and unique, all values are valid.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "mdl_dist_parse.h"
#include "mdl_hint.h"
#include "mdl_input.h"
#include "mdl_name.h"
#include "mdl_topology.h"

enum { FMT_GML, FMT_GRAPHML };

/* Words in enum order; the ones after the first NSIMULATED_* are known
 * (DESIGN.md) but not simulated yet, so the loaders refuse them. */
static const char *const disciplines[] = { "fifo", "ps", "priority" };
#define NSIMULATED_DISC 2
static const char *const svc_kinds[] = { "service", "delay", "broker" };
#define NSIMULATED_KINDS 2
static const char *const edge_kinds[] = { "call", "forward", "publish" };
static const char *const protocols[] = {
    "none", "http1", "http2", "grpc", "graphql", "amqp", "kafka"
};
static const char *const booleans[] = { "true", "false", "1", "0" };
static const char *const lbs[] = {
    "round_robin", "random", "least", "p2c", "hash"
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/*
 * One descriptor per attribute a file may give a vertex or an edge: its
 * name, how its text is read and checked, and where the value goes. The
 * loader, mdl_service_set() (a scenario's overrides) and the unknown-key
 * hints all read these two tables, so an attribute is added in one place.
 */
typedef enum {
    ATTR_NAME,          /* names the vertex, or is igraph's id: not set here */
    ATTR_INT,           /* an integer in [lo, hi], into an int */
    ATTR_LONG,          /* an integer in [lo, hi], into a long */
    ATTR_REAL,          /* a finite number in [lo, hi], into a double */
    ATTR_WORD,          /* one of words, its index into an enum */
    ATTR_BOOL,          /* one of booleans, into an int (0 or 1) */
    ATTR_WORD_TEXT,     /* one of words, a copy into a char * */
    ATTR_DIST,          /* a distribution, into an mdl_dist */
    ATTR_TYPES          /* a list of request classes, a copy into a char * */
} attr_kind;

typedef struct attr_desc {
    const char *name;
    attr_kind type;
    double lo, hi;              /* ATTR_INT, ATTR_LONG, ATTR_REAL */
    const char *what;           /* ATTR_INT, ATTR_LONG: the integers allowed */
    const char *const *words;   /* ATTR_WORD, ATTR_BOOL, ATTR_WORD_TEXT */
    size_t nsimulated;          /* words accepted: the first nsimulated; the
                                   others are known, refused as not
                                   simulated yet */
    size_t nwords;
    size_t off;                 /* of the field in mdl_service or mdl_edge */
} attr_desc;

/* ATTR_WORD writes an enum through an int. */
_Static_assert(sizeof(mdl_discipline) == sizeof(int) &&
               sizeof(mdl_svc_kind) == sizeof(int) &&
               sizeof(mdl_lb) == sizeof(int) &&
               sizeof(mdl_edge_kind) == sizeof(int),
               "an enum is stored through an int");

#define WORDS(w, nsim) .words = (w), .nsimulated = (nsim), .nwords = NELEM(w)
#define SVC(field) .off = offsetof(mdl_service, field)
#define EDGE(field) .off = offsetof(mdl_edge, field)

/* In the order hints try them: a tie goes to the first. */
static const attr_desc vertex_attrs[] = {
    { "name", ATTR_NAME, .off = 0 },
    { "label", ATTR_NAME, .off = 0 },
    { "id", ATTR_NAME, .off = 0 },
    { "servers", ATTR_INT, 1, MDL_SERVERS_MAX, "a positive integer",
      SVC(servers) },
    { "replicas", ATTR_INT, 1, MDL_REPLICAS_MAX, "a positive integer",
      SVC(replicas) },
    { "service", ATTR_DIST, SVC(service) },
    { "post_service", ATTR_DIST, SVC(post_service) },
    { "capacity", ATTR_LONG, 0, MDL_CAPACITY_MAX,
      "a non-negative integer (0 = unlimited)", SVC(capacity) },
    { "discipline", ATTR_WORD, WORDS(disciplines, NSIMULATED_DISC),
      SVC(discipline) },
    { "blocking", ATTR_BOOL, WORDS(booleans, NELEM(booleans)),
      SVC(blocking) },
    { "kind", ATTR_WORD, WORDS(svc_kinds, NSIMULATED_KINDS), SVC(kind) },
    { "lb", ATTR_WORD, WORDS(lbs, NELEM(lbs)), SVC(lb) },
};

static const attr_desc edge_attrs[] = {
    { "id", ATTR_NAME, .off = 0 },
    { "kind", ATTR_WORD, WORDS(edge_kinds, NELEM(edge_kinds)), EDGE(kind) },
    { "p", ATTR_REAL, 0, 1, EDGE(p) },
    { "count", ATTR_INT, 1, MDL_COUNT_MAX, "a positive integer",
      EDGE(count) },
    { "stage", ATTR_INT, 0, MDL_STAGE_MAX, "a non-negative integer",
      EDGE(stage) },
    { "protocol", ATTR_WORD_TEXT, WORDS(protocols, NELEM(protocols)),
      EDGE(protocol) },
    { "types", ATTR_TYPES, EDGE(types) },
};

#define ATTRS_MAX NELEM(vertex_attrs)   /* the longer table */

/* ------------------------------------------------------------------ */
/* Value parsers                                                       */
/* ------------------------------------------------------------------ */

/* Parse text as an integer in [lo, hi]. Numbers written as reals with no
 * fractional part ("4.0", as GML and GraphML doubles print) are accepted.
 * Returns 1 on success, 2 for an integer above hi (*out untouched: it may
 * not fit a long), 0 for anything else. */
static int parse_integer(const char *text, double lo, double hi, long *out)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(text, &end);
    if (end == text || errno == ERANGE)
        return 0;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || !isfinite(x) || x < lo)
        return 0;
    if (x > hi)
        return x == floor(x) ? 2 : 0;
    if (x != floor(x))
        return 0;
    *out = (long)x;
    return 1;
}

/* Set *out from value, an integer in [lo, hi], or write "KEY must be ..."
 * into err: what names the integers allowed ("a positive integer"). */
static int set_count(const char *key, const char *value, long lo, long hi,
                     const char *what, long *out, char *err, size_t errlen)
{
    switch (parse_integer(value, (double)lo, (double)hi, out)) {
    case 1:
        return SIM_OK;
    case 2:
        snprintf(err, errlen, "%s must be at most %ld, found '%s'", key, hi,
                 value);
        return SIM_EPARSE;
    default:
        snprintf(err, errlen, "%s must be %s, found '%s'", key, what, value);
        return SIM_EPARSE;
    }
}

/* Parse text as a finite real. Returns 1 on success. */
static int parse_real(const char *text, double *out)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(text, &end);
    if (end == text || errno == ERANGE)
        return 0;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || !isfinite(x))
        return 0;
    *out = x;
    return 1;
}

/* Index of text in words[0..n-1], or -1. */
static int word_index(const char *text, const char *const *words, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(text, words[i]) == 0)
            return (int)i;
    return -1;
}

/* Write "a, b or c" (words[0..n-1]) into list. */
static void word_list(char *list, size_t size, const char *const *words,
                      size_t n)
{
    size_t i, len = 0;

    list[0] = '\0';
    for (i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(list + len, size - len, "%s%s",
                                i == 0 ? "" : i + 1 == n ? " or " : ", ",
                                words[i]);
}

/* Write "KEY must be one of a, b or c, found 'v'" and a hint into err. */
static int bad_word(char *err, size_t errlen, const char *key,
                    const char *value, const char *const *words, size_t n)
{
    char list[256];

    word_list(list, sizeof list, words, n);
    snprintf(err, errlen, "%s must be %s, found '%s'", key, list, value);
    mdl_hint_append(err, errlen, value, words, n);
    return SIM_EPARSE;
}

/* Write "KEY 'v' is not simulated yet; use a or b" into err. */
static int not_simulated(char *err, size_t errlen, const char *key,
                         const char *value, const char *const *words,
                         size_t n)
{
    char list[256];

    word_list(list, sizeof list, words, n);
    snprintf(err, errlen, "%s '%s' is not simulated yet; use %s", key, value,
             list);
    return SIM_EPARSE;
}

/* ------------------------------------------------------------------ */
/* Setting one attribute from text                                     */
/* ------------------------------------------------------------------ */

/* Fill s with the defaults of DESIGN.md section 3; name stays NULL. */
static void service_init(mdl_service *s)
{
    memset(s, 0, sizeof *s);
    s->servers = 1;
    s->replicas = 1;
    mdl_dist_exp(&s->service, 1.0);
    mdl_dist_exp(&s->post_service, 0.0);
    s->post_service.kind = MDL_DIST_DET;    /* no work unless set */
    s->post_service.scv = 0;
    s->capacity = 0;
    s->discipline = MDL_DISC_FIFO;
    s->blocking = 1;
    s->kind = MDL_SVC_SERVICE;
}

/* The descriptor of attribute key in table[0..n-1], or NULL. */
static const attr_desc *find_attr(const attr_desc *table, size_t n,
                                  const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(table[i].name, key) == 0)
            return &table[i];
    return NULL;
}

/* Append to err the hint for key among the names of table[0..n-1]; the
 * ATTR_NAME ones only when names is set, as a file may give them and an
 * override may not. */
static void hint_attr(char *err, size_t errlen, const char *key,
                      const attr_desc *table, size_t n, int names)
{
    const char *cands[ATTRS_MAX];
    size_t i, nc = 0;

    for (i = 0; i < n && nc < ATTRS_MAX; i++)
        if (names || table[i].type != ATTR_NAME)
            cands[nc++] = table[i].name;
    mdl_hint_append(err, errlen, key, cands, nc);
}

/* Replace the string at *field by a copy of value. */
static int set_text(char **field, const char *value, char *err,
                    size_t errlen)
{
    char *copy = strdup(value);

    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return SIM_ENOMEM;
    }
    free(*field);
    *field = copy;
    return SIM_OK;
}

/* Set the attribute a describes in obj (an mdl_service or an mdl_edge)
 * from value, or write why not into err and leave obj unchanged. Returns
 * SIM_OK, SIM_EPARSE or SIM_ENOMEM. */
static int attr_apply(const attr_desc *a, void *obj, const char *value,
                      const char *base_dir, char *err, size_t errlen)
{
    char *field = (char *)obj + a->off;
    const char *key = a->name;
    long n;
    double x;
    int i;

    switch (a->type) {
    case ATTR_INT:
    case ATTR_LONG:
        if (set_count(key, value, (long)a->lo, (long)a->hi, a->what, &n,
                      err, errlen) != SIM_OK)
            return SIM_EPARSE;
        if (a->type == ATTR_INT)
            *(int *)field = (int)n;
        else
            *(long *)field = n;
        return SIM_OK;
    case ATTR_REAL:
        if (!parse_real(value, &x) || x < a->lo || x > a->hi) {
            snprintf(err, errlen, "%s must be a number in [%g, %g], found "
                     "'%s'", key, a->lo, a->hi, value);
            return SIM_EPARSE;
        }
        *(double *)field = x;
        return SIM_OK;
    case ATTR_WORD:
    case ATTR_BOOL:
    case ATTR_WORD_TEXT:
        if ((i = word_index(value, a->words, a->nwords)) < 0)
            return bad_word(err, errlen, key, value, a->words,
                            a->nsimulated);
        if (i >= (int)a->nsimulated)
            return not_simulated(err, errlen, key, value, a->words,
                                 a->nsimulated);
        if (a->type == ATTR_WORD)
            *(int *)field = i;
        else if (a->type == ATTR_BOOL)
            *(int *)field = i % 2 == 0;     /* "true" or "1" */
        else
            return set_text((char **)field, a->words[i], err, errlen);
        return SIM_OK;
    case ATTR_DIST: {
        mdl_dist dist;
        char why[512] = "";
        int col = 1, rc;

        rc = mdl_dist_parse(&dist, value, base_dir, why, sizeof why, &col);
        if (rc == SIM_ENOMEM) {
            snprintf(err, errlen, "out of memory");
            return SIM_ENOMEM;
        }
        if (rc != SIM_OK) {
            snprintf(err, errlen, "%s must be a distribution, found "
                     "'%s' (%s)", key, value, why[0] ? why : "bad syntax");
            return SIM_EPARSE;
        }
        mdl_dist_destroy((mdl_dist *)field);
        *(mdl_dist *)field = dist;
        return SIM_OK;
    }
    case ATTR_TYPES: {
        const char *cur = value, *word;
        size_t len;

        if (!mdl_edge_types_next(&cur, &word, &len)) {
            snprintf(err, errlen, "types must name at least one request "
                     "class, found '%s'", value);
            return SIM_EPARSE;
        }
        return set_text((char **)field, value, err, errlen);
    }
    case ATTR_NAME:
        break;
    }
    assert(!"names are read by the loader, never set");
    return SIM_EINVAL;
}

/* s must hold a valid service (defaults or loaded); it is left unchanged
 * on error. */
int mdl_service_set(mdl_service *s, const char *key, const char *value,
                    const char *base_dir, char *err, size_t errlen)
{
    const attr_desc *a = find_attr(vertex_attrs, NELEM(vertex_attrs), key);

    if (!a || a->type == ATTR_NAME) {
        snprintf(err, errlen, "unknown attribute '%s'", key);
        hint_attr(err, errlen, key, vertex_attrs, NELEM(vertex_attrs), 0);
        return SIM_EPARSE;
    }
    return attr_apply(a, s, value, base_dir, err, errlen);
}

/* The one reading of a `types` list: the loader, the scenario's class
 * checks, the engine and the graph analysis all see the same names. */
int mdl_edge_types_next(const char **cursor, const char **word,
                        size_t *len)
{
    const char *p = *cursor;

    if (!p)
        return 0;
    p += strspn(p, " ,");
    *word = p;
    *len = strcspn(p, " ,");
    *cursor = p + *len;
    return *len > 0;
}

int mdl_edge_names_type(const mdl_edge *e, const char *name)
{
    const char *cur = e->types, *word;
    size_t len, want = strlen(name);

    while (mdl_edge_types_next(&cur, &word, &len))
        if (len == want && memcmp(word, name, len) == 0)
            return 1;
    return 0;
}

static void edge_init(mdl_edge *e, int from, int to)
{
    memset(e, 0, sizeof *e);
    e->from = from;
    e->to = to;
    e->kind = MDL_EDGE_CALL;
    e->p = 1.0;
    e->count = 1;
    e->stage = 0;
    e->protocol = NULL;         /* NULL until set: "none" */
}

/* ------------------------------------------------------------------ */
/* The text pass: where each vertex, edge and attribute is written     */
/* ------------------------------------------------------------------ */

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

static void layout_destroy(layout *L)
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

/* Append an item and return its index, or (size_t)-1 when out of memory. */
static size_t item_push(layout *L, int line)
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

static int prop_push(layout *L, const char *key, size_t key_len,
                     const char *raw, size_t raw_len, xmlNode *node, int line)
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

/* The attribute called name of vertex (vtx) or edge i as written: the last
 * one the element holds (igraph keeps the last), else the GraphML key's
 * default; NULL when the file does not give it. */
static const prop *find_prop(const layout *L, int vtx, size_t i,
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

/* Line of vertex (vtx) or edge i, 0 when unknown. */
static int item_line(const layout *L, int vtx, size_t i)
{
    if (vtx ? i >= L->nv : i >= L->ne)
        return 0;
    return L->items[vtx ? L->vertex[i] : L->edge[i]].line;
}

/* The value of p as written, into buf: the GML token, or the text of the
 * GraphML element with white space trimmed. */
static void prop_text(const prop *p, char *buf, size_t n)
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
                if ((sub_it = item_push(L, key.line)) == (size_t)-1)
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
                prop_push(L, key.s, key.len, val.s, val.len, NULL,
                          key.line) != SIM_OK)
                return SIM_ENOMEM;
        } else {
            return SIM_EPARSE;
        }
    }
}

/* Index the items of a GML file as igraph's vertices and edges. */
static int scan_gml(const char *text, size_t len, layout *L)
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

/* Index a GraphML file's elements as igraph's vertices and edges of g;
 * has_id tells whether g has igraph's string vertex attribute "id".
 * Returns SIM_OK, SIM_EPARSE with d filled, or SIM_ENOMEM. */
static int scan_graphml(const char *text, size_t len, const char *path,
                        const igraph_t *g, int has_id, layout *L,
                        sim_diag *d)
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
        if ((it = item_push(L, xml_line(n))) == (size_t)-1)
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
                prop_push(L, k->name, strlen(k->name), NULL, 0, c,
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

/* ------------------------------------------------------------------ */
/* Reading the graph                                                   */
/* ------------------------------------------------------------------ */

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

/* Text of attribute name (of type type) of vertex (vertex) or edge i into
 * *val (pointing into buf or igraph's storage); *where gets how the file
 * writes it (NULL when the text pass does not know it). Returns 0 when the
 * value is missing: "", or a number or GraphML boolean that the file does
 * not give (igraph stores NaN or false for those). A number that is given
 * but not finite (GML "nan", GraphML "NaN", "-inf") comes back as written,
 * for the validators to reject with the key and value named. */
static int attr_text(const igraph_t *g, const layout *L, int vertex,
                     const char *name, igraph_integer_t type,
                     igraph_integer_t i, char *buf, size_t n,
                     const char **val, const prop **where)
{
    const prop *p = L ? find_prop(L, vertex, (size_t)i, name) : NULL;

    *where = p;
    switch (type) {
    case IGRAPH_ATTRIBUTE_NUMERIC: {
        double x = vertex ? VAN(g, name, i) : EAN(g, name, i);

        if (!isfinite(x)) {
            if (p)
                prop_text(p, buf, n);
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

/* The attribute lists of a graph, owned. */
typedef struct attr_list {
    igraph_strvector_t gnames, vnames, enames;
    igraph_vector_int_t gtypes, vtypes, etypes;
    int ready;
} attr_list;

static int attr_list_init(attr_list *a, const igraph_t *g)
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

static void attr_list_destroy(attr_list *a)
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

/* Type of vertex attribute name, or -1 when there is none. */
static igraph_integer_t attr_type(const attr_list *a, const char *name)
{
    igraph_integer_t j, n = igraph_strvector_size(&a->vnames);

    for (j = 0; j < n; j++)
        if (strcmp(igraph_strvector_get(&a->vnames, j), name) == 0)
            return VECTOR(a->vtypes)[j];
    return -1;
}

/* Name of vertex v: the first non-missing of name, label and (GraphML)
 * id, with the attribute it came from in *attr. Returns 0 when it has
 * none. */
static int vertex_name(const igraph_t *g, const attr_list *a, int fmt,
                       igraph_integer_t v, char *buf, size_t n,
                       const char **out, const char **attr)
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
                attr_text(g, NULL, 1, an, type, v, buf, n, out, &where)) {
                *attr = from[k];
                return 1;
            }
        }
    }
    return 0;
}

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
    igraph_error_handler_t *old_handler;
    igraph_error_t ig;
    igraph_t g;
    mdl_topology *t = NULL;
    attr_list attrs;
    layout L;
    char *text = NULL, *base_dir = NULL;
    char buf[256], err[1024];
    size_t *order = NULL, i, len, nv_attrs = 0, ne_attrs = 0;
    int fmt, rc;
    FILE *f;

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

    /* igraph reads the very bytes the text pass reads. */
    if (!(f = fmemopen(text, len, "rb"))) {
        free(text);
        return SIM_ENOMEM;
    }
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_reason[0] = '\0';
    old_handler = igraph_set_error_handler(capture_error);
    ig = fmt == FMT_GML ? igraph_read_graph_gml(&g, f)
                        : igraph_read_graph_graphml(&g, f, 0);
    igraph_set_error_handler(old_handler);
    fclose(f);
    if (ig != IGRAPH_SUCCESS) {
        int line;

        free(text);
        if (ig == IGRAPH_ENOMEM)
            return SIM_ENOMEM;
        reason_to_msg(err, sizeof err, ig, &line);
        return sim_diag_set(d, path, line, 0, "cannot read topology: %s",
                            err);
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
    if (attr_list_init(&attrs, &t->graph))
        goto fail;
    nv_attrs = (size_t)igraph_strvector_size(&attrs.vnames);
    ne_attrs = (size_t)igraph_strvector_size(&attrs.enames);
    if (fmt == FMT_GML) {
        rc = scan_gml(text, len, &L);
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
        rc = scan_graphml(text, len, path, &t->graph,
                          attr_type(&attrs, "id") == IGRAPH_ATTRIBUTE_STRING,
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
            service_init(&t->services[i]);
        t->nservices = nv;
    }
    for (i = 0; i < t->nservices; i++) {
        mdl_service *s = &t->services[i];
        const char *name, *from;
        const prop *p;

        s->line = item_line(&L, 1, i);
        if (!vertex_name(&t->graph, &attrs, fmt, (igraph_integer_t)i, buf,
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
        if (fmt == FMT_GML && (p = find_prop(&L, 1, i, from)) != NULL)
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
            const attr_desc *a = find_attr(vertex_attrs, NELEM(vertex_attrs),
                                           an);

            if (!attr_text(&t->graph, &L, 1, an, VECTOR(attrs.vtypes)[j],
                           (igraph_integer_t)i, buf, sizeof buf, &val, &p))
                continue;
            if (!a) {
                snprintf(err, sizeof err, "unknown attribute '%s' on "
                         "service '%s'", an, s->name);
                hint_attr(err, sizeof err, an, vertex_attrs,
                          NELEM(vertex_attrs), 1);
                rc = sim_diag_set(d, path, p ? p->line : s->line, 0, "%s",
                                  err);
                goto fail;
            }
            if (a->type == ATTR_NAME)
                continue;                           /* name, label, id */
            rc = attr_apply(a, s, val, base_dir, err, sizeof err);
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
            edge_init(&t->edges[i],
                      (int)IGRAPH_FROM(&t->graph, (igraph_integer_t)i),
                      (int)IGRAPH_TO(&t->graph, (igraph_integer_t)i));
            t->edges[i].line = item_line(&L, 0, i);
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
            const attr_desc *a = find_attr(edge_attrs, NELEM(edge_attrs), an);

            if (!attr_text(&t->graph, &L, 0, an, VECTOR(attrs.etypes)[j],
                           (igraph_integer_t)i, buf, sizeof buf, &val, &p))
                continue;
            if (!a) {
                snprintf(err, sizeof err, "unknown attribute '%s' on edge "
                         "'%s' -> '%s'", an, src, dst);
                hint_attr(err, sizeof err, an, edge_attrs, NELEM(edge_attrs),
                          1);
                rc = sim_diag_set(d, path, p ? p->line : e->line, 0, "%s",
                                  err);
                goto fail;
            }
            if (a->type == ATTR_NAME)
                continue;                           /* id */
            rc = attr_apply(a, e, val, NULL, err, sizeof err);
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
    layout_destroy(&L);
    attr_list_destroy(&attrs);
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
    igraph_destroy(&t->graph);
    free(t);
}

int mdl_topology_find(const mdl_topology *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->nservices; i++)
        if (strcmp(t->services[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Rules between attributes: capacity (when limited) holds at least the
 * requests in service, capacity >= servers; the replicas of all services
 * add up to at most MDL_REPLICAS_TOTAL_MAX; and the forward routing
 * probabilities out of service i, sum_j p_ij, leave 1 - sum_j p_ij >= 0
 * to exit (1e-9 allows for decimal fractions such as 0.7 + 0.2 + 0.1). */
int mdl_topology_check(const mdl_topology *t, sim_diag *d)
{
    double *sum;
    long replicas = 0;
    size_t i;

    for (i = 0; i < t->nservices; i++) {
        const mdl_service *s = &t->services[i];

        if (s->capacity > 0 && s->capacity < s->servers)
            return sim_diag_set(d, t->path, s->line, 0, "service '%s': "
                                "capacity must be 0 (unlimited) or at least "
                                "servers (%d), found '%ld'", s->name,
                                s->servers, s->capacity);
        /* Each term is at most MDL_REPLICAS_MAX: no overflow. */
        if ((replicas += s->replicas) > MDL_REPLICAS_TOTAL_MAX)
            return sim_diag_set(d, t->path, s->line, 0, "service '%s': the "
                                "replicas of all services add up to more "
                                "than %d", s->name, MDL_REPLICAS_TOTAL_MAX);
    }
    if (t->nservices == 0)
        return SIM_OK;
    if (!(sum = calloc(t->nservices, sizeof *sum)))
        return SIM_ENOMEM;
    for (i = 0; i < t->nedges; i++)
        if (t->edges[i].kind == MDL_EDGE_FORWARD)
            sum[t->edges[i].from] += t->edges[i].p;
    for (i = 0; i < t->nservices; i++)
        if (sum[i] > 1 + 1e-9) {
            const mdl_service *s = &t->services[i];
            double total = sum[i];

            free(sum);
            return sim_diag_set(d, t->path, s->line, 0, "forward "
                                "probabilities out of '%s' sum to %.10g (> 1)",
                                s->name, total);
        }
    free(sum);
    return SIM_OK;
}

/* ------------------------------------------------------------------ */
/* Cycles through a waiting caller                                     */
/* ------------------------------------------------------------------ */

static int waits_or_moves(const mdl_edge *e)
{
    return e->kind != MDL_EDGE_PUBLISH && e->p > 0;
}

/* Write the cycle into msg: call edge c, then the shortest way from its
 * callee back to its caller over call and forward edges (breadth-first,
 * edges in index order, so the same topology names the same cycle). */
static int describe_cycle(const mdl_topology *t, size_t c, char *msg,
                          size_t n, int *all_calls)
{
    size_t nv = t->nservices, i, head = 0, tail = 0, len;
    int *via = malloc(nv * sizeof *via), *queue = malloc(nv * sizeof *queue);
    int *back = malloc(nv * sizeof *back), nb = 0, v, k;
    int from = t->edges[c].from, to = t->edges[c].to;

    if (!via || !queue || !back) {
        free(via);
        free(queue);
        free(back);
        return SIM_ENOMEM;
    }
    for (i = 0; i < nv; i++)
        via[i] = -1;
    via[to] = (int)c;                       /* visited; the walk ends here */
    queue[tail++] = to;
    while (head < tail && via[from] < 0) {
        v = queue[head++];
        for (i = 0; i < t->nedges; i++) {
            const mdl_edge *e = &t->edges[i];
            if (e->from == v && waits_or_moves(e) && via[e->to] < 0) {
                via[e->to] = (int)i;
                queue[tail++] = e->to;
            }
        }
    }
    for (v = from; v != to && nb < (int)nv; v = t->edges[via[v]].from)
        back[nb++] = via[v];                /* last edge first */
    *all_calls = 1;
    len = (size_t)snprintf(msg, n, "%s", t->services[from].name);
    for (k = -1; k < nb && len < n; k++) {
        const mdl_edge *e = &t->edges[k < 0 ? (int)c : back[nb - 1 - k]];
        *all_calls &= e->kind == MDL_EDGE_CALL;
        len += (size_t)snprintf(msg + len, n - len, " %s %s",
                                e->kind == MDL_EDGE_CALL ? "->" : "=>",
                                t->services[e->to].name);
    }
    free(via);
    free(queue);
    free(back);
    return SIM_OK;
}

int mdl_topology_check_cycles(const mdl_topology *t, sim_diag *d)
{
    igraph_vector_int_t eids, memb;
    igraph_integer_t ncomp;
    igraph_t g;
    char msg[900];
    size_t i;
    int rc = SIM_ENOMEM, all_calls;

    if (igraph_vector_int_init(&eids, 0))
        return SIM_ENOMEM;
    if (igraph_vector_int_init(&memb, 0)) {
        igraph_vector_int_destroy(&eids);
        return SIM_ENOMEM;
    }
    for (i = 0; i < t->nedges; i++)
        if (waits_or_moves(&t->edges[i])
            && igraph_vector_int_push_back(&eids, (igraph_integer_t)i))
            goto done;
    /* Every vertex is kept, so vertex ids stay service indices. */
    if (igraph_subgraph_edges(&t->graph, &g, igraph_ess_vector(&eids), 0))
        goto done;
    if (igraph_connected_components(&g, &memb, NULL, &ncomp, IGRAPH_STRONG)) {
        igraph_destroy(&g);
        goto done;
    }
    igraph_destroy(&g);
    rc = SIM_OK;
    /* A call edge inside a strongly connected component lies on a cycle:
     * its callee reaches its caller again. */
    for (i = 0; i < t->nedges && rc == SIM_OK; i++) {
        const mdl_edge *e = &t->edges[i];
        if (e->kind != MDL_EDGE_CALL || !waits_or_moves(e)
            || VECTOR(memb)[e->from] != VECTOR(memb)[e->to])
            continue;
        if ((rc = describe_cycle(t, i, msg, sizeof msg, &all_calls))
            != SIM_OK)
            break;
        rc = sim_diag_set(d, t->path, t->services[e->from].line, 0,
                          all_calls ? "synchronous calls form a cycle, "
                          "which would deadlock: %s"
                          : "calls and forwards form a cycle, which would "
                          "deadlock: %s (-> call, => forward): the request "
                          "comes back to a service waiting for its reply",
                          msg);
    }
done:
    igraph_vector_int_destroy(&memb);
    igraph_vector_int_destroy(&eids);
    return rc;
}
