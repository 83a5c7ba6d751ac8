/*
 * tst.h - shared helpers for the Check suites.
 *
 * tst_run() keeps each suite's main() to one line; tst_path() finds data
 * files in the source tree, also when the build directory is elsewhere
 * (make distcheck).
 */
#ifndef TST_H
#define TST_H
#include <check.h>

/* Run the suite made by make_suite; return the process exit status. */
int tst_run(Suite *(*make_suite)(void));
/* Return "$top_srcdir/rel" in a static buffer (valid until the next call). */
const char *tst_path(const char *rel);
/* Create a fresh temporary directory and return its path (static buffer). */
const char *tst_tmpdir(void);

#endif /* TST_H */
