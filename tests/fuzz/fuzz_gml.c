/*
 * fuzz_gml.c - libFuzzer harness for the GML topology loader
 * (mdl_topology_load on a file named fuzz.gml).
 *
 * The input is the whole file, read by igraph's GML reader and then by
 * qmesh's own line scan and attribute validators. Relative empirical
 * files resolve against the folder, which links the CSV files of
 * tests/data (tst_fuzz.h). A loaded topology must keep the invariants of
 * mdl_topology.h: one service per vertex, unique names, valid values,
 * edges between existing services.
 */
#include <stddef.h>
#include <stdint.h>
#include "tst_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tst_fuzz_one(tst_fuzz_gml, data, size);
    return 0;
}
