/*
 * fuzz_graphml.c - libFuzzer harness for the GraphML topology loader
 * (mdl_topology_load on a file named fuzz.graphml).
 *
 * The input is the whole file, read by igraph's GraphML reader (libxml2)
 * and by qmesh's text scan for node lines and for which elements carry a
 * boolean <data>. Same contract as fuzz_gml.c.
 */
#include <stddef.h>
#include <stdint.h>
#include "tst_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tst_fuzz_one(tst_fuzz_graphml, data, size);
    return 0;
}
