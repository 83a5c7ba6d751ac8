/*
 * tst.h - shared helpers for the Check suites.
 *
 * tst_run() keeps each suite's main() to one line; tst_path() finds data
 * files in the source tree, also when the build directory is elsewhere
 * (make distcheck).
 */
#ifndef TST_H
#define TST_H
#include <stddef.h>
#include <sys/types.h>
#include <check.h>

/* Run the suite made by make_suite; return the process exit status. */
int tst_run(Suite *(*make_suite)(void));
/* Return "$top_srcdir/rel" in a static buffer (valid until the next call). */
const char *tst_path(const char *rel);
/* Create a fresh temporary directory and return its path (static buffer). */
const char *tst_tmpdir(void);

/* The whole of a file, NUL-terminated, owned by the caller; *len (if not
 * NULL) gets its size. Fails the test when it cannot be read. */
char *tst_slurp(const char *path, size_t *len);
/* Create dir/name as a file of size bytes of zeros that takes no disk
 * space (a hole), or as a FIFO when size is -1; return its path (static
 * buffer). For the tests of inputs that are too large or not files. */
const char *tst_special_file(const char *dir, const char *name, long size);
/* Remove path and everything under it (test scratch only). */
void tst_rm_tree(const char *path);
/* How many of qmesh's temporaries (".*.qmesh-*") folder dir holds. */
int tst_temporaries(const char *dir);
/* Fail the test unless text contains want; what names text. */
void tst_assert_has(const char *text, const char *want, const char *what);

/* One run of the qmesh binary: exit status and captured output. */
typedef struct tst_out {
    int status;             /* exit status, or -1 when killed */
    char *out, *err;        /* owned, NUL-terminated */
    char dir[256];          /* the run's own temporary folder */
} tst_out;

/* Run $QMESH from the source tree with the arguments after path_env
 * (NULL-terminated); PATH is replaced by path_env unless it is NULL. An
 * argument starting with "@DIR" has it replaced by r->dir. */
void tst_qmesh(tst_out *r, const char *path_env, ...);
/* Start $QMESH as tst_qmesh() does, with standard output into out_path
 * (NULL: captured in r->out), and return at once with its process id. */
pid_t tst_qmesh_start(tst_out *r, const char *out_path, ...);
/* Wait for the process started by tst_qmesh_start(), capture its output
 * into r and return its raw wait status (WIFSIGNALED() and so on). */
int tst_qmesh_finish(tst_out *r, pid_t pid);
/* Free the output and remove r->dir with all it holds. */
void tst_out_free(tst_out *r);

/* Run the program argv[0] (looked up on PATH unless it holds a '/') with
 * the NULL-terminated argv, in folder cwd (NULL: the current one), and
 * capture its exit status and output into r as tst_qmesh() does. */
void tst_exec(tst_out *r, const char *cwd, const char *const *argv);
/* Whether a program called name is on PATH (for tools a test may skip). */
int tst_on_path(const char *name);

#endif /* TST_H */
