/*
 * fuzz_empirical.c - libFuzzer harness for the empirical CSV reader
 * (mdl_dist_parse of "empirical(file=fuzz.csv, ...)", read with libcsv).
 *
 * The first line of the input is what follows file= inside the
 * parentheses ("column=latency", "column=2", or empty); the rest is the
 * CSV file. So both the header/column logic and the sample parsing are
 * mutated. Samples must be finite and >= 0, or the file rejected with a
 * message that names it; same checks as fuzz_dist.c otherwise.
 */
#include <stddef.h>
#include <stdint.h>
#include "tst_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tst_fuzz_one(tst_fuzz_empirical, data, size);
    return 0;
}
