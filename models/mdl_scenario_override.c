/*
 * mdl_scenario_override.c - the `--set a.b.c=value` overrides of a
 * scenario.
 *
 * Overrides from the command line edit libyaml's tree before it is read:
 * an existing scalar gets its value replaced, missing keys are appended
 * as new nodes (a list when the next part of the path is an index), and
 * the index one past the end of a list appends an item, so
 * `--set failures.0.mode=slow` makes a failures list if there is none. Nodes touched by an override are remembered so that an
 * error in one quotes the override instead of a file position that would
 * not contain the bad value.
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

int mdl__scenario_override_apply(ctx *c, const char *text)
{
    const char *eq = strchr(text, '=');
    char *path, *seg, *save = NULL, *next;
    int cur = 1, rc = SIM_OK;   /* the root is node 1 */

    if (!eq || eq == text)
        return sim_diag_set(c->d, NULL, 0, 0, "--set '%s': expected "
                            "key.path=value", text);
    if (!yaml_document_get_root_node(&c->doc))
        return sim_diag_set(c->d, c->path, 0, 0, "scenario file is empty");
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
            if (i == len && next && is_index(seg)) {
                /* One past the end: a new item (a failure, say). */
                found = new_container(c, next);
                if (!found
                    || !yaml_document_append_sequence_item(&c->doc, cur,
                                                           found)
                    || remember(c, found, text) != SIM_OK) {
                    rc = SIM_ENOMEM;
                    break;
                }
                cur = found;
                continue;
            }
            if (end == seg || *end || i < 0 || i >= len) {
                rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': '%s' is "
                                  "not an index of a list of %ld", text, seg,
                                  len);
                break;
            }
            found = n->data.sequence.items.start[i];
        } else if (n->type == YAML_MAPPING_NODE) {
            yaml_node_pair_t *p;
            for (p = n->data.mapping.pairs.start;
                 p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
                if (k->type == YAML_SCALAR_NODE &&
                    !strcmp(mdl__yaml_scalar(k), seg)) {
                    found = p->value;
                    break;
                }
            }
            if (!found) {
                /* Append the missing key; a new node may move the array. */
                int k = yaml_document_add_scalar(&c->doc, NULL,
                                                 (yaml_char_t *)seg, -1,
                                                 YAML_PLAIN_SCALAR_STYLE);
                found = next ? new_container(c, next)
                             : yaml_document_add_scalar(
                                   &c->doc, NULL, (yaml_char_t *)(eq + 1), -1,
                                   YAML_PLAIN_SCALAR_STYLE);
                if (!k || !found
                    || !yaml_document_append_mapping_pair(&c->doc, cur, k,
                                                          found)
                    || remember(c, k, text) != SIM_OK
                    || remember(c, found, text) != SIM_OK) {
                    rc = SIM_ENOMEM;
                    break;
                }
            }
        } else {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': cannot go into "
                              "'%s', which is a value", text, seg);
            break;
        }
        cur = found;
    }
    if (rc == SIM_OK) {
        yaml_node_t *n = yaml_document_get_node(&c->doc, cur);
        if (n->type != YAML_SCALAR_NODE) {
            rc = sim_diag_set(c->d, NULL, 0, 0, "--set '%s': the key holds "
                              "%s, not a value", text, mdl__yaml_kind(n));
        } else if (strcmp(mdl__yaml_scalar(n), eq + 1)) {
            yaml_char_t *val = (yaml_char_t *)strdup(eq + 1);
            if (!val) {
                rc = SIM_ENOMEM;
            } else {
                free(n->data.scalar.value);
                n->data.scalar.value = val;
                n->data.scalar.length = strlen(eq + 1);
                n->data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
            }
        }
        if (rc == SIM_OK)
            rc = remember(c, cur, text);
    }
    free(path);
    return rc;
}
