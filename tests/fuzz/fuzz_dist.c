/*
 * fuzz_dist.c - libFuzzer harness for the distribution syntax
 * (mdl_dist_parse, mdl_parse_time, mdl_parse_rate).
 *
 * The input, up to its first NUL, is one distribution string as written
 * in a scenario or topology, such as "lognormal(mean=20ms, cv=1)". A
 * parse error must come with a message and a column inside the text and
 * leave the distribution zeroed; a parsed one must have a finite mean >=
 * 0, survive format, copy and scale, and draw variates >= 0 (mdl_dist.h).
 * empirical(file=...) names resolve in a folder that links the CSV files
 * of tests/data.
 */
#include <stddef.h>
#include <stdint.h>
#include "tst_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tst_fuzz_one(tst_fuzz_dist, data, size);
    return 0;
}
