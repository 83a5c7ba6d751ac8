/*
 * tst_fuzz.h - the fuzz targets of qmesh's input loaders, shared by the
 * libFuzzer harnesses (tests/fuzz/fuzz_*.c) and the regression suite
 * (tests/check_fuzz_regress.c), so that a saved input is replayed through
 * exactly the code that found it.
 *
 * A target takes one input as bytes, turns it into what the loader reads
 * (a file in a private temporary folder, --set strings, a distribution
 * string), loads it, checks what it got and frees everything. Its
 * contract, the one qmesh promises its users for any file: the loader
 * returns SIM_OK, SIM_ENOMEM, or an error with a message in d, and a
 * loaded object keeps the invariants its header states. A broken contract
 * is reported by tst_fuzz_fail(), which aborts, so that libFuzzer and
 * Check both see a crash.
 *
 * The temporary folder (the "world") is made on first use and removed at
 * exit. It holds data/, with links to the topologies and CSV files of
 * tests/data, where each input file is written, and a link topologies/
 * to the shipped topologies, so a scenario can name "one.gml" or
 * "../topologies/mm1.gml". The source tree is $top_srcdir, or
 * TST_FUZZ_TOP given at compile time.
 */
#ifndef TST_FUZZ_H
#define TST_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "../../sim/sim_err.h"

/* One target: data[0..size-1] is the input; returns the loader's code
 * with d filled on SIM_EPARSE. */
typedef int (*tst_fuzz_fn)(const uint8_t *data, size_t size, sim_diag *d);

typedef struct tst_fuzz_target {
    const char *name;       /* harness name: its corpus and regress folder */
    tst_fuzz_fn fn;
} tst_fuzz_target;

/* Every target, by harness name (fuzz_scenario, fuzz_gml, ...). */
extern const tst_fuzz_target tst_fuzz_targets[];
extern const size_t tst_fuzz_ntargets;

/* The scenario file, with each line "#set a.b=v" also given as --set. */
int tst_fuzz_scenario(const uint8_t *data, size_t size, sim_diag *d);
/* A topology file named fuzz.gml / fuzz.graphml. */
int tst_fuzz_gml(const uint8_t *data, size_t size, sim_diag *d);
int tst_fuzz_graphml(const uint8_t *data, size_t size, sim_diag *d);
/* A distribution string (up to the first NUL), also read as a time and a
 * rate; the parsed distribution is formatted, copied, scaled and sampled. */
int tst_fuzz_dist(const uint8_t *data, size_t size, sim_diag *d);
/* First line: the arguments after file= (e.g. "column=latency", or
 * empty); the rest: the CSV file read by empirical(file=fuzz.csv, ...). */
int tst_fuzz_empirical(const uint8_t *data, size_t size, sim_diag *d);

/* Make the world and set the GSL and igraph error handlers now rather
 * than on first use: processes forked afterwards (Check's tests) share
 * it, and only this one removes it, at exit, even when a test crashes. */
void tst_fuzz_setup(void);
/* Whether rc and d make a clean return: SIM_OK, SIM_ENOMEM, or any other
 * error with a non-empty message. */
int tst_fuzz_clean(int rc, const sim_diag *d);
/* Run fn on the input and abort unless the return is clean: the body of
 * every harness. Sets up the world and the GSL and igraph error handlers
 * on first use. */
void tst_fuzz_one(tst_fuzz_fn fn, const uint8_t *data, size_t size);
/* Print "tst_fuzz: msg" to stderr and abort: a broken contract, or a
 * world that cannot be set up. */
void tst_fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif /* TST_FUZZ_H */
