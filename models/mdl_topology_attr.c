/*
 * mdl_topology_attr.c - the attributes of services and edges: what each
 * may hold, their defaults, and reading one from its text form.
 *
 * Every attribute value, numeric or string, is turned into text and set
 * through the descriptor tables vertex_attrs and edge_attrs, which a
 * scenario's overrides go through too (mdl_service_set()), so the file
 * and the scenario cannot disagree on what is valid. The loader
 * (mdl_topology.c) reaches the tables through mdl_topology_int.h; the
 * public functions here (mdl_service_set(), the `types` list reading) are
 * declared in mdl_topology.h.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl_dist.h"
#include "mdl_dist_parse.h"
#include "mdl_hint.h"
#include "mdl_topology.h"
#include "mdl_topology_int.h"

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

struct attr_desc {
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
};

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
    { "deadline_check", ATTR_BOOL, WORDS(booleans, NELEM(booleans)),
      SVC(deadline_check) },
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

/* Parse text as an integer in [lo, hi]. Numbers written as reals with no
 * fractional part ("4.0", as GML and GraphML doubles print) are accepted.
 * Returns 1 on success, 2 for an integer above hi (*out untouched: it may
 * not fit a long), 0 for anything else. */
static int parse_integer(const char *text, double lo, double hi, long *out)
{
    double x;

    if (!parse_real(text, &x) || x < lo)
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

void mdl__topology_attr_init_service(mdl_service *s)
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

const attr_desc *mdl__topology_attr_find(int vtx, const char *key)
{
    return vtx ? find_attr(vertex_attrs, NELEM(vertex_attrs), key)
               : find_attr(edge_attrs, NELEM(edge_attrs), key);
}

int mdl__topology_attr_is_name(const attr_desc *a)
{
    return a->type == ATTR_NAME;
}

void mdl__topology_attr_hint(char *err, size_t errlen, const char *key,
                             int vtx)
{
    if (vtx)
        hint_attr(err, errlen, key, vertex_attrs, NELEM(vertex_attrs), 1);
    else
        hint_attr(err, errlen, key, edge_attrs, NELEM(edge_attrs), 1);
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

int mdl__topology_attr_apply(const attr_desc *a, void *obj,
                             const char *value, const char *base_dir,
                             char *err, size_t errlen)
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
    return mdl__topology_attr_apply(a, s, value, base_dir, err, errlen);
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

void mdl__topology_attr_init_edge(mdl_edge *e, int from, int to)
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
