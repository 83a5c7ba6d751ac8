/*
 * mdl_topology.c - load, validate and look up the service graph.
 *
 * The file is read twice: once by igraph (GML or GraphML reader, C
 * attribute table) and once as plain text, because igraph reports no line
 * numbers for what it has read. The text pass maps each vertex to the line
 * that defines it (GML: `label "NAME"`; GraphML: `<node id="NAME"`) so that
 * every diagnostic about a service or an edge out of it reads
 * "file:line: error: ...".
 *
 * Every attribute value, numeric or string, is turned into text and set
 * through mdl_service_set() (vertices) or edge_set() (edges), the same
 * validators a scenario's overrides go through, so the file and the
 * scenario cannot disagree on what is valid. Missing values are how
 * igraph's readers mark absence: NaN for numbers, "" for strings. GraphML
 * booleans have no missing value (igraph stores false), so for those the
 * text pass also records which elements carry the <data> element.
 *
 * Cross-attribute rules (capacity >= servers, forward probabilities out of
 * a service summing to at most 1) are checked last, by
 * mdl_topology_check(), which a scenario calls again after its overrides.
 *
 * Invariants of a loaded topology: services[i] is vertex i, edges[j] is
 * igraph edge j, names are non-empty and unique, all values are valid.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl_topology.h"

enum { FMT_GML, FMT_GRAPHML };

/* Attributes of a service that mdl_service_set() knows. */
static const char *const svc_keys[] = {
    "servers", "replicas", "service", "post_service", "capacity",
    "discipline", "blocking", "kind", "lb"
};
#define NSVC_KEYS (sizeof svc_keys / sizeof svc_keys[0])

/* Every vertex attribute a file may carry: names, igraph's id, the above. */
static const char *const vertex_attrs[] = {
    "name", "label", "id", "servers", "replicas", "service", "post_service",
    "capacity", "discipline", "blocking", "kind", "lb"
};
#define NVERTEX_ATTRS (sizeof vertex_attrs / sizeof vertex_attrs[0])

static const char *const edge_keys[] = {
    "kind", "p", "count", "stage", "protocol", "types"
};
#define NEDGE_KEYS (sizeof edge_keys / sizeof edge_keys[0])

/* Every edge attribute a file may carry: igraph's id and the above. */
static const char *const edge_attrs[] = {
    "id", "kind", "p", "count", "stage", "protocol", "types"
};
#define NEDGE_ATTRS (sizeof edge_attrs / sizeof edge_attrs[0])

static const char *const disciplines[] = { "fifo", "ps", "priority" };
static const char *const svc_kinds[] = { "service", "delay", "broker" };
static const char *const edge_kinds[] = { "call", "forward", "publish" };
static const char *const protocols[] = {
    "none", "http1", "http2", "grpc", "graphql", "amqp", "kafka"
};
static const char *const booleans[] = { "true", "false", "1", "0" };
static const char *const lbs[] = {
    "round_robin", "random", "least", "p2c", "hash"
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* ------------------------------------------------------------------ */
/* Did you mean                                                        */
/* ------------------------------------------------------------------ */

#define DYM_MAX 64      /* longer words get no suggestion */

/* Levenshtein distance of a and b (both shorter than DYM_MAX), two rows:
 *   D[i][j] = min(D[i-1][j] + 1, D[i][j-1] + 1, D[i-1][j-1] + [a_i != b_j]) */
static size_t edit_distance(const char *a, size_t la, const char *b,
                            size_t lb)
{
    size_t prev[DYM_MAX + 1], cur[DYM_MAX + 1];
    size_t i, j;

    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t m = del < ins ? del : ins;
            cur[j] = m < sub ? m : sub;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

/* A candidate is suggested when its distance is at most max(1, len / 3),
 * len the length of word; ties go to the earlier candidate. */
const char *mdl_did_you_mean(const char *word, const char *const *cands,
                             size_t n)
{
    size_t lw = strlen(word), limit = lw / 3 > 1 ? lw / 3 : 1;
    size_t best = (size_t)-1, i;
    const char *found = NULL;

    if (lw >= DYM_MAX)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t lc = strlen(cands[i]), dist;

        if (lc >= DYM_MAX)
            continue;
        dist = edit_distance(word, lw, cands[i], lc);
        if (dist <= limit && dist < best) {
            best = dist;
            found = cands[i];
        }
    }
    return found;
}

/* Append "; did you mean 'x'?" to err when a candidate is close. */
static void append_hint(char *err, size_t errlen, const char *word,
                        const char *const *cands, size_t n)
{
    const char *hint = mdl_did_you_mean(word, cands, n);
    size_t len = strlen(err);

    if (hint && len < errlen)
        snprintf(err + len, errlen - len, "; did you mean '%s'?", hint);
}

/* ------------------------------------------------------------------ */
/* Value parsers                                                       */
/* ------------------------------------------------------------------ */

/* Parse text as an integer in [lo, hi]. Numbers written as reals with no
 * fractional part ("4.0", as GML and GraphML doubles print) are accepted.
 * Returns 1 on success. */
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
    if (*end || !isfinite(x) || x != floor(x) || x < lo || x > hi)
        return 0;
    *out = (long)x;
    return 1;
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

/* Write "KEY must be one of a, b or c, found 'v'" and a hint into err. */
static int bad_word(char *err, size_t errlen, const char *key,
                    const char *value, const char *const *words, size_t n)
{
    char list[256] = "";
    size_t i, len = 0;

    for (i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i == 0 ? "" : i + 1 == n ? " or " : ", ",
                                words[i]);
    snprintf(err, errlen, "%s must be %s, found '%s'", key, list, value);
    append_hint(err, errlen, value, words, n);
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

/* s must hold a valid service (defaults or loaded); it is left unchanged
 * on error. */
int mdl_service_set(mdl_service *s, const char *key, const char *value,
                    const char *base_dir, char *err, size_t errlen)
{
    long n;
    int i;

    if (strcmp(key, "servers") == 0 || strcmp(key, "replicas") == 0) {
        if (!parse_integer(value, 1, INT_MAX, &n)) {
            snprintf(err, errlen, "%s must be a positive integer, found '%s'",
                     key, value);
            return SIM_EPARSE;
        }
        if (key[0] == 's')
            s->servers = (int)n;
        else
            s->replicas = (int)n;
    } else if (strcmp(key, "capacity") == 0) {
        /* 2^53: the largest integer a double holds exactly. */
        if (!parse_integer(value, 0, 9007199254740992.0, &n)) {
            snprintf(err, errlen, "capacity must be a non-negative integer "
                     "(0 = unlimited), found '%s'", value);
            return SIM_EPARSE;
        }
        s->capacity = n;
    } else if (strcmp(key, "discipline") == 0) {
        if ((i = word_index(value, disciplines, NELEM(disciplines))) < 0)
            return bad_word(err, errlen, key, value, disciplines,
                            NELEM(disciplines));
        s->discipline = (mdl_discipline)i;
    } else if (strcmp(key, "blocking") == 0) {
        if ((i = word_index(value, booleans, NELEM(booleans))) < 0)
            return bad_word(err, errlen, key, value, booleans,
                            NELEM(booleans));
        s->blocking = i == 0 || i == 2;     /* "true" or "1" */
    } else if (strcmp(key, "kind") == 0) {
        if ((i = word_index(value, svc_kinds, NELEM(svc_kinds))) < 0)
            return bad_word(err, errlen, key, value, svc_kinds,
                            NELEM(svc_kinds));
        s->kind = (mdl_svc_kind)i;
    } else if (strcmp(key, "lb") == 0) {
        if ((i = word_index(value, lbs, NELEM(lbs))) < 0)
            return bad_word(err, errlen, key, value, lbs, NELEM(lbs));
        s->lb = (mdl_lb)i;
    } else if (strcmp(key, "service") == 0
               || strcmp(key, "post_service") == 0) {
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
        if (key[0] == 's') {
            mdl_dist_destroy(&s->service);
            s->service = dist;
        } else {
            mdl_dist_destroy(&s->post_service);
            s->post_service = dist;
        }
    } else {
        snprintf(err, errlen, "unknown attribute '%s'", key);
        append_hint(err, errlen, key, svc_keys, NSVC_KEYS);
        return SIM_EPARSE;
    }
    return SIM_OK;
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

/* The edge counterpart of mdl_service_set(): same contract. */
static int edge_set(mdl_edge *e, const char *key, const char *value,
                    char *err, size_t errlen)
{
    long n;
    double x;
    int i;

    if (strcmp(key, "kind") == 0) {
        if ((i = word_index(value, edge_kinds, NELEM(edge_kinds))) < 0)
            return bad_word(err, errlen, key, value, edge_kinds,
                            NELEM(edge_kinds));
        e->kind = (mdl_edge_kind)i;
    } else if (strcmp(key, "p") == 0) {
        if (!parse_real(value, &x) || x < 0 || x > 1) {
            snprintf(err, errlen, "p must be a number in [0, 1], found '%s'",
                     value);
            return SIM_EPARSE;
        }
        e->p = x;
    } else if (strcmp(key, "count") == 0) {
        if (!parse_integer(value, 1, INT_MAX, &n)) {
            snprintf(err, errlen, "count must be a positive integer, "
                     "found '%s'", value);
            return SIM_EPARSE;
        }
        e->count = (int)n;
    } else if (strcmp(key, "stage") == 0) {
        if (!parse_integer(value, 0, INT_MAX, &n)) {
            snprintf(err, errlen, "stage must be a non-negative integer, "
                     "found '%s'", value);
            return SIM_EPARSE;
        }
        e->stage = (int)n;
    } else if (strcmp(key, "protocol") == 0) {
        char *copy;

        if ((i = word_index(value, protocols, NELEM(protocols))) < 0)
            return bad_word(err, errlen, key, value, protocols,
                            NELEM(protocols));
        if (!(copy = strdup(protocols[i]))) {
            snprintf(err, errlen, "out of memory");
            return SIM_ENOMEM;
        }
        free(e->protocol);
        e->protocol = copy;
    } else if (strcmp(key, "types") == 0) {
        char *copy;

        if (!value[0] || strspn(value, " ,") == strlen(value)) {
            snprintf(err, errlen, "types must name at least one request "
                     "class, found '%s'", value);
            return SIM_EPARSE;
        }
        if (!(copy = strdup(value))) {
            snprintf(err, errlen, "out of memory");
            return SIM_ENOMEM;
        }
        free(e->types);
        e->types = copy;
    } else {
        snprintf(err, errlen, "unknown attribute '%s'", key);
        append_hint(err, errlen, key, edge_keys, NEDGE_KEYS);
        return SIM_EPARSE;
    }
    return SIM_OK;
}

/* ------------------------------------------------------------------ */
/* The text pass: lines of vertices                                    */
/* ------------------------------------------------------------------ */

/* Read all of f into a NUL-terminated buffer; NULL when out of memory
 * or on a read error. */
static char *slurp(FILE *f)
{
    size_t cap = 8192, len = 0, got;
    char *buf = malloc(cap), *grown;

    if (!buf)
        return NULL;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            if (!(grown = realloc(buf, cap * 2))) {
                free(buf);
                return NULL;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* One place in the text where a vertex is named. */
typedef struct mark {
    const char *name;           /* into the text, not terminated */
    size_t len;
    int line;
} mark;

typedef struct marks {
    mark *v;
    size_t n, cap;
} marks;

static int marks_push(marks *m, const char *name, size_t len, int line)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        mark *v = realloc(m->v, cap * sizeof *v);

        if (!v)
            return SIM_ENOMEM;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n].name = name;
    m->v[m->n].len = len;
    m->v[m->n].line = line;
    m->n++;
    return SIM_OK;
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* GML: record each `label "X"` and `name "X"` (or a bare number X) and
 * each `node` keyword outside comments and strings. */
static int scan_gml(const char *text, marks *names, marks *nodes)
{
    const char *p = text;
    int line = 1, at_line_start = 1;

    while (*p) {
        if (*p == '\n') {
            line++;
            at_line_start = 1;
            p++;
            continue;
        }
        if (*p == '#' && at_line_start) {           /* comment line */
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (*p != ' ' && *p != '\t' && *p != '\r')
            at_line_start = 0;
        if (*p == '"') {                            /* skip a stray string */
            for (p++; *p && *p != '"'; p++)
                if (*p == '\n')
                    line++;
            if (*p)
                p++;
            continue;
        }
        if (is_word_char(*p) && (p == text || !is_word_char(p[-1]))) {
            const char *w = p;
            size_t wl;

            while (is_word_char(*p))
                p++;
            wl = (size_t)(p - w);
            if (wl == 4 && strncmp(w, "node", 4) == 0) {
                if (marks_push(nodes, w, wl, line))
                    return SIM_ENOMEM;
            } else if ((wl == 5 && strncmp(w, "label", 5) == 0) ||
                       (wl == 4 && strncmp(w, "name", 4) == 0)) {
                const char *v = p, *e;

                while (*v == ' ' || *v == '\t')
                    v++;
                if (*v == '"') {
                    for (e = v + 1; *e && *e != '"' && *e != '\n'; e++)
                        ;
                    if (*e == '"') {
                        if (marks_push(names, v + 1, (size_t)(e - v - 1),
                                       line))
                            return SIM_ENOMEM;
                        p = e + 1;
                    }
                } else {
                    for (e = v; *e && !strchr(" \t\r\n]", *e); e++)
                        ;
                    if (e > v && marks_push(names, v, (size_t)(e - v), line))
                        return SIM_ENOMEM;
                    p = e;
                }
            }
            continue;
        }
        p++;
    }
    return SIM_OK;
}

/* Find attribute attr="value" (or '') inside the tag [tag, end); set *val
 * and *len. Returns 1 when found. */
static int tag_attr(const char *tag, const char *end, const char *attr,
                    const char **val, size_t *len)
{
    size_t la = strlen(attr);
    const char *p;

    for (p = tag; p + la < end; p++) {
        const char *q;

        if ((p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' &&
             p[-1] != '\r') || strncmp(p, attr, la) != 0)
            continue;
        q = p + la;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && (*q == '"' || *q == '\'')) {
            const char *e = memchr(q + 1, *q, (size_t)(end - q - 1));

            if (e) {
                *val = q + 1;
                *len = (size_t)(e - q - 1);
                return 1;
            }
        }
    }
    return 0;
}

static int count_lines(const char *from, const char *to)
{
    int n = 0;

    for (; from < to; from++)
        n += *from == '\n';
    return n;
}

/* GraphML: record the id and line of each <node> element. */
static int scan_graphml(const char *text, marks *names, marks *nodes)
{
    const char *p = text, *counted = text;
    int line = 1;

    while ((p = strstr(p, "<node")) != NULL) {
        const char *end = strchr(p, '>'), *id = NULL;
        size_t idlen = 0;

        if (!end)
            break;
        if (!strchr(" \t\r\n/>", p[5])) {           /* e.g. <nodes> */
            p += 5;
            continue;
        }
        line += count_lines(counted, p);
        counted = p;
        if (marks_push(nodes, p, 0, line))
            return SIM_ENOMEM;
        if (tag_attr(p + 5, end, "id", &id, &idlen) &&
            marks_push(names, id, idlen, line))
            return SIM_ENOMEM;
        p = end;
    }
    return SIM_OK;
}

/* Line of the k-th mark named name[0..len), searched from *cursor onward
 * first (vertices appear in file order), then from the start; 0 if none. */
static int find_mark(const marks *m, const char *name, int k, size_t *cursor)
{
    size_t len = strlen(name), pass, i;

    for (pass = 0; pass < 2; pass++) {
        int seen = 0;

        for (i = pass == 0 ? *cursor : 0; i < m->n; i++) {
            if (m->v[i].len != len || memcmp(m->v[i].name, name, len) != 0)
                continue;
            if (pass == 0 || seen++ == k) {
                *cursor = i + 1;
                return m->v[i].line;
            }
        }
    }
    return 0;
}

/* GraphML booleans: mark which <tag> elements (node or edge, in file
 * order) hold a <data> for attribute name. All present when the key has a
 * <default>, or when the text cannot be understood. */
static void graphml_present(const char *text, const char *tag,
                            const char *name, char *present, size_t n)
{
    const char *p = text, *keyid = NULL;
    size_t keylen = 0, tl = strlen(tag), i = 0;
    char close[16];

    memset(present, 1, n);
    while ((p = strstr(p, "<key")) != NULL) {
        const char *end = strchr(p, '>'), *v;
        size_t vl;

        if (!end)
            return;
        if (tag_attr(p + 4, end, "attr.name", &v, &vl) &&
            vl == strlen(name) && memcmp(v, name, vl) == 0 &&
            (!tag_attr(p + 4, end, "for", &v, &vl) ||
             (vl == tl && memcmp(v, tag, tl) == 0) ||
             (vl == 3 && memcmp(v, "all", 3) == 0))) {
            const char *kend = strstr(end, "</key>"), *def;

            if (end[-1] != '/' && kend &&
                (def = strstr(end, "<default")) != NULL && def < kend)
                return;                             /* has a default */
            if (!tag_attr(p + 4, end, "id", &keyid, &keylen))
                return;
            break;
        }
        p = end;
    }
    if (!keyid)
        return;
    memset(present, 0, n);
    snprintf(close, sizeof close, "</%s>", tag);
    for (p = text; i < n && (p = strstr(p, "<")) != NULL; p++) {
        const char *end, *stop, *d;

        if (strncmp(p + 1, tag, tl) != 0 || !strchr(" \t\r\n/>", p[1 + tl]))
            continue;
        if (!(end = strchr(p, '>')))
            return;
        if (end[-1] == '/') {                       /* <node .../> */
            i++;
            continue;
        }
        stop = strstr(end, close);
        if (!stop)
            stop = end + strlen(end);
        for (d = end; (d = strstr(d, "<data")) != NULL && d < stop; d++) {
            const char *dend = strchr(d, '>'), *v;
            size_t vl;

            if (dend && tag_attr(d + 5, dend, "key", &v, &vl) &&
                vl == keylen && memcmp(v, keyid, vl) == 0) {
                present[i] = 1;
                break;
            }
        }
        i++;
        p = stop - 1;
    }
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
            *line = atoi(p + 5);
            break;
        }
}

/* Text of attribute name (of type type) of vertex or edge i into *val
 * (pointing into buf or igraph's storage). Returns 0 when the value is
 * missing: NaN, "", or a GraphML boolean with no <data>. */
static int attr_text(const igraph_t *g, int vertex, const char *name,
                     igraph_integer_t type, igraph_integer_t i,
                     const char *present, char *buf, size_t n,
                     const char **val)
{
    switch (type) {
    case IGRAPH_ATTRIBUTE_NUMERIC: {
        double x = vertex ? VAN(g, name, i) : EAN(g, name, i);

        if (isnan(x))
            return 0;
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
        if (present && !present[i])
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
 * id. Returns 0 when it has none. */
static int vertex_name(const igraph_t *g, const attr_list *a, int fmt,
                       igraph_integer_t v, char *buf, size_t n,
                       const char **out)
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

            if (strcmp(an, from[k]) == 0 && type != IGRAPH_ATTRIBUTE_BOOLEAN &&
                attr_text(g, 1, an, type, v, NULL, buf, n, out))
                return 1;
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
    const char *ext = strrchr(path, '.');
    igraph_error_handler_t *old_handler;
    igraph_error_t ig;
    igraph_t g;
    mdl_topology *t = NULL;
    attr_list attrs;
    marks names = { 0 }, nodes = { 0 };
    char *text = NULL, *base_dir = NULL, **present = NULL;
    char buf[64], err[1024];
    size_t *order = NULL, i, nv_attrs = 0, ne_attrs = 0;
    int fmt, rc = SIM_ENOMEM;
    FILE *f;

    *out = NULL;
    attrs.ready = 0;
    if (ext && strcmp(ext, ".gml") == 0)
        fmt = FMT_GML;
    else if (ext && (strcmp(ext, ".graphml") == 0 || strcmp(ext, ".xml") == 0))
        fmt = FMT_GRAPHML;
    else
        return sim_diag_set(d, path, 0, 0, "unknown topology format '%s' "
                            "(expected .gml, .graphml or .xml)", path);
    if (!(f = fopen(path, "r")))
        return sim_diag_set(d, path, 0, 0, "cannot open topology '%s': %s",
                            path, strerror(errno));
    if (!(text = slurp(f))) {
        int e = errno, bad_read = ferror(f);

        fclose(f);
        if (bad_read)
            return sim_diag_set(d, path, 0, 0, "cannot read topology '%s': "
                                "%s", path, strerror(e));
        return SIM_ENOMEM;
    }
    rewind(f);

    /* Read through igraph with its message captured for the diagnostic. */
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
    if ((fmt == FMT_GML ? scan_gml : scan_graphml)(text, &names, &nodes))
        goto fail;

    if (!igraph_is_directed(&t->graph) && igraph_ecount(&t->graph) > 0) {
        rc = sim_diag_set(d, path, 0, 0, "topology graph is undirected; "
                          "calls need a direction (%s)",
                          fmt == FMT_GML ? "add 'directed 1' to the graph"
                                         : "set edgedefault=\"directed\"");
        goto fail;
    }

    /* Presence maps of GraphML booleans (see the note at the top). */
    nv_attrs = (size_t)igraph_strvector_size(&attrs.vnames);
    ne_attrs = (size_t)igraph_strvector_size(&attrs.enames);
    if (!(present = calloc(nv_attrs + ne_attrs + 1, sizeof *present)))
        goto fail;
    for (i = 0; i < nv_attrs + ne_attrs; i++) {
        int vtx = i < nv_attrs;
        igraph_integer_t j = (igraph_integer_t)(vtx ? i : i - nv_attrs);
        igraph_integer_t type = VECTOR(vtx ? attrs.vtypes : attrs.etypes)[j];
        size_t n = (size_t)(vtx ? igraph_vcount(&t->graph)
                                : igraph_ecount(&t->graph));

        if (fmt != FMT_GRAPHML || type != IGRAPH_ATTRIBUTE_BOOLEAN)
            continue;
        if (!(present[i] = malloc(n + 1)))
            goto fail;
        graphml_present(text, vtx ? "node" : "edge",
                        igraph_strvector_get(vtx ? &attrs.vnames
                                                 : &attrs.enames, j),
                        present[i], n);
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
    {
        size_t cursor = 0;

        for (i = 0; i < t->nservices; i++) {
            mdl_service *s = &t->services[i];
            const char *name;
            size_t j;
            int k = 0;

            if (!vertex_name(&t->graph, &attrs, fmt, (igraph_integer_t)i,
                             buf, sizeof buf, &name)) {
                int line = i < nodes.n ? nodes.v[i].line : 0;

                rc = sim_diag_set(d, path, line, 0, "service name missing "
                                  "on node %zu; add a %s", i,
                                  fmt == FMT_GML ? "label" : "name or id");
                goto fail;
            }
            if (!(s->name = strdup(name)))
                goto fail;
            /* GraphML nodes are found by their id, GML nodes by label. */
            if (fmt == FMT_GRAPHML &&
                attr_type(&attrs, "id") == IGRAPH_ATTRIBUTE_STRING &&
                VAS(&t->graph, "id", (igraph_integer_t)i)[0]) {
                s->line = find_mark(&names, VAS(&t->graph, "id",
                                                (igraph_integer_t)i),
                                    0, &cursor);
            } else {
                for (j = 0; j < i; j++)
                    k += strcmp(t->services[j].name, name) == 0;
                s->line = find_mark(&names, name, k, &cursor);
            }
            if (s->line == 0 && i < nodes.n)
                s->line = nodes.v[i].line;      /* the i-th node element */
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

    /* Vertex attributes, in file order: the first error in the file wins. */
    for (i = 0; i < t->nservices; i++) {
        mdl_service *s = &t->services[i];
        size_t j;

        for (j = 0; j < nv_attrs; j++) {
            const char *an = igraph_strvector_get(&attrs.vnames,
                                                  (igraph_integer_t)j);
            const char *val;
            int known = word_index(an, vertex_attrs, NVERTEX_ATTRS);

            if (!attr_text(&t->graph, 1, an, VECTOR(attrs.vtypes)[j],
                           (igraph_integer_t)i, present[j], buf, sizeof buf,
                           &val))
                continue;
            if (known < 0) {
                snprintf(err, sizeof err, "unknown attribute '%s' on "
                         "service '%s'", an, s->name);
                append_hint(err, sizeof err, an, vertex_attrs, NVERTEX_ATTRS);
                rc = sim_diag_set(d, path, s->line, 0, "%s", err);
                goto fail;
            }
            if (known < 3)
                continue;                           /* name, label, id */
            rc = mdl_service_set(s, an, val, base_dir, err, sizeof err);
            if (rc == SIM_ENOMEM)
                goto fail;
            if (rc != SIM_OK) {
                rc = sim_diag_set(d, path, s->line, 0, "service '%s': %s",
                                  s->name, err);
                goto fail;
            }
        }
    }

    /* Edges. */
    {
        size_t ne = (size_t)igraph_ecount(&t->graph);

        if (ne > 0 && !(t->edges = calloc(ne, sizeof *t->edges)))
            goto fail;
        for (i = 0; i < ne; i++)
            edge_init(&t->edges[i],
                      (int)IGRAPH_FROM(&t->graph, (igraph_integer_t)i),
                      (int)IGRAPH_TO(&t->graph, (igraph_integer_t)i));
        t->nedges = ne;
    }
    for (i = 0; i < t->nedges; i++) {
        mdl_edge *e = &t->edges[i];
        const mdl_service *src = &t->services[e->from];
        const char *dst = t->services[e->to].name;
        size_t j;

        for (j = 0; j < ne_attrs; j++) {
            const char *an = igraph_strvector_get(&attrs.enames,
                                                  (igraph_integer_t)j);
            const char *val;
            int known = word_index(an, edge_attrs, NEDGE_ATTRS);

            if (!attr_text(&t->graph, 0, an, VECTOR(attrs.etypes)[j],
                           (igraph_integer_t)i, present[nv_attrs + j], buf,
                           sizeof buf, &val))
                continue;
            if (known < 0) {
                snprintf(err, sizeof err, "unknown attribute '%s' on edge "
                         "'%s' -> '%s'", an, src->name, dst);
                append_hint(err, sizeof err, an, edge_attrs, NEDGE_ATTRS);
                rc = sim_diag_set(d, path, src->line, 0, "%s", err);
                goto fail;
            }
            if (known == 0)
                continue;                           /* id */
            rc = edge_set(e, an, val, err, sizeof err);
            if (rc == SIM_ENOMEM)
                goto fail;
            if (rc != SIM_OK) {
                rc = sim_diag_set(d, path, src->line, 0,
                                  "edge '%s' -> '%s': %s", src->name, dst,
                                  err);
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
    if (present)
        for (i = 0; i < nv_attrs + ne_attrs + 1; i++)
            free(present[i]);
    free(present);
    free(order);
    free(names.v);
    free(nodes.v);
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
 * requests in service, capacity >= servers; and the forward routing
 * probabilities out of service i, sum_j p_ij, leave 1 - sum_j p_ij >= 0
 * to exit (1e-9 allows for decimal fractions such as 0.7 + 0.2 + 0.1). */
int mdl_topology_check(const mdl_topology *t, sim_diag *d)
{
    double *sum;
    size_t i;

    for (i = 0; i < t->nservices; i++) {
        const mdl_service *s = &t->services[i];

        if (s->capacity > 0 && s->capacity < s->servers)
            return sim_diag_set(d, t->path, s->line, 0, "service '%s': "
                                "capacity must be 0 (unlimited) or at least "
                                "servers (%d), found '%ld'", s->name,
                                s->servers, s->capacity);
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
