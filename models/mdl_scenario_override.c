/*
 * mdl_scenario_override.c - the `--set a.b.c=value` overrides of a
 * scenario.
 *
 * Overrides from the command line edit libyaml's tree before it is read:
 * an existing scalar gets its value replaced, missing keys are appended
 * as new nodes (a list when the next part of the path is an index), and
 * the index one past the end of a list appends an item, so
 * `--set failures.0.mode=slow` makes a failures list if there is none.
 * A value written as a YAML flow collection, `{window: 20}` or `[a, b]`,
 * becomes that mapping or list (no scalar value of a scenario starts
 * with a brace or bracket), and `null` (or `~`) removes the key, as
 * Helm's --set does: `--set calls.a->b.breaker=null` turns a breaker off.
 * Nodes touched by an override are remembered so that an error in one
 * quotes the override instead of a file position that would not contain
 * the bad value.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "../sim/sim_err.h"
#include "mdl_scenario_int.h"

static int node_index(ctx *c, const yaml_node_t *n)
{
    return (int)(n - c->doc.nodes.start) + 1;
}

const char *mdl__scenario_override_find(ctx *c, const yaml_node_t *n)
{
    size_t i;
    int idx = node_index(c, n);

    for (i = 0; i < c->novr; i++)
        if (c->ovr[i].node == idx)
            return c->ovr[i].text;
    return NULL;
}

/* Is seg a list index (digits only)? */
static int is_index(const char *seg)
{
    return *seg && strspn(seg, "0123456789") == strlen(seg);
}

/* A new node to hold the path's next segment: a list when it is an
 * index, else a mapping. Returns its index, 0 when out of memory. */
static int new_container(ctx *c, const char *next)
{
    return is_index(next)
           ? yaml_document_add_sequence(&c->doc, NULL,
                                        YAML_BLOCK_SEQUENCE_STYLE)
           : yaml_document_add_mapping(&c->doc, NULL,
                                       YAML_BLOCK_MAPPING_STYLE);
}

static int remember(ctx *c, int node, const char *text)
{
    override *o = realloc(c->ovr, (c->novr + 1) * sizeof *o);

    if (!o)
        return SIM_ENOMEM;
    c->ovr = o;
    o[c->novr].node = node;
    o[c->novr].text = text;
    c->novr++;
    return SIM_OK;
}

#define FLOW_DEPTH_MAX 64       /* as deep as a scenario may nest */

/* Copy node i of src, and what it holds, into c->doc, each new node
 * remembered as made by text. Returns the new node's index, 0 when out
 * of memory, -1 when nested deeper than FLOW_DEPTH_MAX (an alias that
 * refers to a node holding it never ends). */
static int copy_node(ctx *c, yaml_document_t *src, int i, const char *text,
                     int depth)
{
    yaml_node_t *n = yaml_document_get_node(src, i);
    int out = 0, j, len;

    /* an alias may refer to the node that holds it: [&a [*a]] */
    if (depth > FLOW_DEPTH_MAX)
        return -1;

    switch (n->type) {
    case YAML_SCALAR_NODE:
        out = yaml_document_add_scalar(&c->doc, NULL, n->data.scalar.value,
                                       (int)n->data.scalar.length,
                                       n->data.scalar.style);
        break;
    case YAML_SEQUENCE_NODE:
        out = yaml_document_add_sequence(&c->doc, NULL,
                                         YAML_FLOW_SEQUENCE_STYLE);
        len = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
        for (j = 0; out && j < len; j++) {
            int item = copy_node(c, src, n->data.sequence.items.start[j],
                                 text, depth + 1);
            if (item <= 0)
                return item;
            if (!yaml_document_append_sequence_item(&c->doc, out, item))
                return 0;
        }
        break;
    case YAML_MAPPING_NODE:
        out = yaml_document_add_mapping(&c->doc, NULL,
                                        YAML_FLOW_MAPPING_STYLE);
        len = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        for (j = 0; out && j < len; j++) {
            int k = copy_node(c, src, n->data.mapping.pairs.start[j].key,
                              text, depth + 1);
            int v = k > 0 ? copy_node(c, src,
                                      n->data.mapping.pairs.start[j].value,
                                      text, depth + 1)
                          : k;
            if (v <= 0)
                return v;
            if (!yaml_document_append_mapping_pair(&c->doc, out, k, v))
                return 0;
        }
        break;
    default:
        break;
    }
    return out && remember(c, out, text) == SIM_OK ? out : 0;
}

/* The node an override's value makes: a list or mapping when it is
 * written as a YAML flow collection ("{window: 20}", "[a, b]"), else a
 * plain value. Returns its index; 0 with *rc set on failure. */
static int value_node(ctx *c, const char *text, const char *value, int *rc)
{
    yaml_parser_t p;
    yaml_document_t doc;
    int out = 0;

    *rc = SIM_ENOMEM;
    if (value[0] != '{' && value[0] != '[') {
        out = yaml_document_add_scalar(&c->doc, NULL, (yaml_char_t *)value,
                                       -1, YAML_PLAIN_SCALAR_STYLE);
        if (out && remember(c, out, text) == SIM_OK)
            *rc = SIM_OK;
        return *rc == SIM_OK ? out : 0;
    }
    if (!yaml_parser_initialize(&p))
        return 0;
    yaml_parser_set_input_string(&p, (const unsigned char *)value,
                                 strlen(value));
    if (!yaml_parser_load(&p, &doc)) {
        *rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the value is not "
                           "a YAML list or mapping (%s)", text,
                           p.problem ? p.problem : "unreadable");
        yaml_parser_delete(&p);
        return 0;
    }
    yaml_parser_delete(&p);
    if (yaml_document_get_root_node(&doc)) {
        out = copy_node(c, &doc, 1, text, 0);
        if (out > 0)
            *rc = SIM_OK;
        else if (out < 0)
            *rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the value is "
                               "nested more than %d deep, or an alias in it "
                               "refers to itself", text, FLOW_DEPTH_MAX);
        if (out < 0)
            out = 0;
    }
    yaml_document_delete(&doc);
    return out;
}

int mdl__scenario_override_apply(ctx *c, const char *text)
{
    const char *eq = strchr(text, '='), *value;
    char *path, *seg, *save = NULL, *next;
    int cur = 1, rc = SIM_OK;   /* the root is node 1 */
    int holder = 0;             /* the list or mapping that holds cur */
    long slot = 0;              /* cur's item or pair there */
    int drop, flow, missing = 0;

    if (!eq || eq == text)
        return sim_diag_set(c->d, NULL, 0, 0, "--set '%s': expected "
                            "key.path=value", text);
    if (!yaml_document_get_root_node(&c->doc))
        return sim_diag_set(c->d, c->path, 0, 0, "scenario file is empty");
    value = eq + 1;
    /* Helm's convention: null removes the key. */
    drop = !strcmp(value, "null") || !strcmp(value, "~");
    flow = value[0] == '{' || value[0] == '[';
    path = strndup(text, (size_t)(eq - text));
    if (!path)
        return SIM_ENOMEM;
    for (seg = strtok_r(path, ".", &save); seg; seg = next) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, cur);
        int found = 0;
        next = strtok_r(NULL, ".", &save);
        if (n->type == YAML_SEQUENCE_NODE) {
            char *end;
            long i = strtol(seg, &end, 10);
            long len = n->data.sequence.items.top
                       - n->data.sequence.items.start;
            if (i == len && next && is_index(seg) && !drop) {
                /* One past the end: a new item (a failure, say). */
                found = new_container(c, next);
                if (!found
                    || !yaml_document_append_sequence_item(&c->doc, cur,
                                                           found)
                    || remember(c, found, text) != SIM_OK) {
                    rc = SIM_ENOMEM;
                    break;
                }
                holder = cur;
                slot = len;
                cur = found;
                continue;
            }
            if (end == seg || *end || i < 0 || i >= len) {
                if (drop && i == len && is_index(seg)) {
                    missing = 1;        /* nothing there to remove */
                    break;
                }
                rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': '%s' is "
                                  "not an index of a list of %ld", text, seg,
                                  len);
                break;
            }
            found = n->data.sequence.items.start[i];
            holder = cur;
            slot = i;
        } else if (n->type == YAML_MAPPING_NODE) {
            yaml_node_pair_t *p;
            for (p = n->data.mapping.pairs.start;
                 p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
                if (k->type == YAML_SCALAR_NODE &&
                    !strcmp(mdl__yaml_scalar(k), seg)) {
                    found = p->value;
                    holder = cur;
                    slot = p - n->data.mapping.pairs.start;
                    break;
                }
            }
            if (!found && drop) {
                missing = 1;            /* nothing there to remove */
                break;
            }
            if (!found) {
                /* Append the missing key; a new node may move the array. */
                int k = yaml_document_add_scalar(&c->doc, NULL,
                                                 (yaml_char_t *)seg, -1,
                                                 YAML_PLAIN_SCALAR_STYLE);
                if (!k || remember(c, k, text) != SIM_OK) {
                    rc = SIM_ENOMEM;
                    break;
                }
                if (next) {
                    if (!(found = new_container(c, next))
                        || remember(c, found, text) != SIM_OK) {
                        rc = SIM_ENOMEM;
                        break;
                    }
                } else if (!(found = value_node(c, text, value, &rc))) {
                    break;
                }
                n = yaml_document_get_node(&c->doc, cur);
                slot = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
                holder = cur;
                if (!yaml_document_append_mapping_pair(&c->doc, cur, k,
                                                       found)) {
                    rc = SIM_ENOMEM;
                    break;
                }
                if (!next) {
                    free(path);
                    return SIM_OK;      /* made as the value says */
                }
            }
        } else {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': cannot go into "
                              "'%s', which is a value", text, seg);
            break;
        }
        cur = found;
    }
    if (rc == SIM_OK && !missing && drop) {
        yaml_node_t *h = yaml_document_get_node(&c->doc, holder);
        if (!holder || h->type != YAML_MAPPING_NODE) {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': only a key of "
                              "a mapping can be removed", text);
        } else {
            yaml_node_pair_t *p = h->data.mapping.pairs.start + slot;
            memmove(p, p + 1, (size_t)(h->data.mapping.pairs.top - p - 1)
                              * sizeof *p);
            h->data.mapping.pairs.top--;
        }
    } else if (rc == SIM_OK && !missing && flow) {
        int made = holder ? value_node(c, text, value, &rc) : 0;
        yaml_node_t *h = yaml_document_get_node(&c->doc, holder);
        if (!holder)
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the whole "
                              "scenario cannot be replaced", text);
        else if (made && h->type == YAML_MAPPING_NODE)
            h->data.mapping.pairs.start[slot].value = made;
        else if (made)
            h->data.sequence.items.start[slot] = made;
    } else if (rc == SIM_OK && !missing) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, cur);
        if (n->type != YAML_SCALAR_NODE) {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the key holds "
                              "%s, not a value", text, mdl__yaml_kind(n));
        } else if (strcmp(mdl__yaml_scalar(n), value)) {
            yaml_char_t *val = (yaml_char_t *)strdup(value);
            if (!val) {
                rc = SIM_ENOMEM;
            } else {
                free(n->data.scalar.value);
                n->data.scalar.value = val;
                n->data.scalar.length = strlen(value);
                n->data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
            }
        }
        if (rc == SIM_OK)
            rc = remember(c, cur, text);
    }
    free(path);
    return rc;
}
