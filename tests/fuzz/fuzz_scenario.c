/*
 * fuzz_scenario.c - libFuzzer harness for the scenario loader with --set
 * overrides (mdl_scenario_load).
 *
 * The input is written as the scenario file data/fuzz.yaml of a private
 * folder (tst_fuzz.h), next to the topologies of tests/data and below a
 * link to topologies/, so a scenario reaches real service graphs through
 * "one.gml" or "../topologies/ecommerce.gml". Each line "#set a.b=v", a
 * comment to YAML, also becomes the --set override "a.b=v": the file and
 * its overrides are mutated together, and a reproducer is a file users
 * can run with qmesh run ... --set. The loader must come back with
 * SIM_OK and a scenario that keeps the invariants of mdl_scenario.h, or
 * with a diagnostic; everything is freed, so LeakSanitizer sees no leak.
 */
#include <stddef.h>
#include <stdint.h>
#include "tst_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tst_fuzz_one(tst_fuzz_scenario, data, size);
    return 0;
}
