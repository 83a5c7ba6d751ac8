/*
 * tst.c - the runner every check_*.c main() calls.
 *
 * GSL and igraph abort on error unless told otherwise; qmesh code checks
 * every status itself, so the tests run with both handlers off, as main()
 * does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "tst.h"

int tst_run(Suite *(*make_suite)(void))
{
    SRunner *sr;
    int failed;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *tst_path(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("top_srcdir");

    snprintf(buf, sizeof buf, "%s/%s", top && *top ? top : ".", rel);
    return buf;
}

const char *tst_tmpdir(void)
{
    static char buf[256];
    const char *base = getenv("TMPDIR");

    snprintf(buf, sizeof buf, "%s/qmesh-test-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        abort();
    }
    return buf;
}
