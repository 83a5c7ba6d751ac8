/*
 * tst.c - the runner every check_*.c main() calls.
 *
 * GSL and igraph abort on error unless told otherwise; qmesh code checks
 * every status itself, so the tests run with both handlers off, as main()
 * does.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <igraph.h>
#include "tst.h"

int tst_run(Suite *(*make_suite)(void))
{
    SRunner *sr;
    const char *seed;
    int failed;

    gsl_set_error_handler_off();
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    seed = getenv("QMESH_TEST_SEED");
    printf("seed: %s\n", seed && *seed ? seed
           : "each scenario's own (QMESH_TEST_SEED=N sets another)");
    fflush(stdout);
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

char *tst_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

const char *tst_special_file(const char *dir, const char *name, long size)
{
    static char path[1024];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (size < 0) {
        ck_assert_msg(mkfifo(path, 0600) == 0, "mkfifo %s", path);
        return path;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_msg(fd >= 0, "cannot create %s", path);
    ck_assert_msg(ftruncate(fd, (off_t)size) == 0, "ftruncate %s", path);
    close(fd);
    return path;
}

void tst_rm_tree(const char *path)
{
    DIR *dp = opendir(path);
    struct dirent *e;
    char sub[1024];

    if (!dp) {
        unlink(path);
        return;
    }
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (e->d_type == DT_DIR)
            tst_rm_tree(sub);
        else
            unlink(sub);
    }
    closedir(dp);
    rmdir(path);
}

int tst_temporaries(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_msg(dp != NULL, "cannot open %s", dir);
    while ((e = readdir(dp)) != NULL)
        n += e->d_name[0] == '.' && strstr(e->d_name, ".qmesh-") != NULL;
    closedir(dp);
    return n;
}

void tst_assert_has(const char *text, const char *want, const char *what)
{
    ck_assert_msg(strstr(text, want) != NULL, "%s lacks '%s':\n%s", what,
                  want, text);
}

#define MAX_ARGS 32

/* Start $QMESH with the arguments in ap, stdout into out_path (r->dir's
 * "stdout" when NULL); returns its process id. */
static pid_t spawn(tst_out *r, const char *path_env, const char *out_path,
                   va_list ap)
{
    const char *bin = getenv("QMESH");
    const char *top = getenv("top_srcdir");
    char *argv[MAX_ARGS], args[MAX_ARGS][512], out[512], err[512];
    int n = 0;
    pid_t pid;

    ck_assert_msg(bin && *bin, "QMESH is not set");
    snprintf(r->dir, sizeof r->dir, "%s", tst_tmpdir());
    snprintf(out, sizeof out, "%s/stdout", r->dir);
    snprintf(err, sizeof err, "%s/stderr", r->dir);
    r->out = r->err = NULL;
    argv[n++] = (char *)"qmesh";
    for (;;) {
        const char *a = va_arg(ap, const char *);
        if (!a || n >= MAX_ARGS - 1)
            break;
        if (!strncmp(a, "@DIR", 4))
            snprintf(args[n], sizeof args[n], "%s%s", r->dir, a + 4);
        else
            snprintf(args[n], sizeof args[n], "%s", a);
        argv[n] = args[n];
        n++;
    }
    argv[n] = NULL;
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out_path ? out_path : out,
                      O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0
            || (top && *top && chdir(top) != 0)
            || (path_env && setenv("PATH", path_env, 1) != 0))
            _exit(127);
        /* Check's own handlers must not reach the binary. */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        execv(bin, argv);
        _exit(127);
    }
    return pid;
}

int tst_qmesh_finish(tst_out *r, pid_t pid)
{
    char path[512];
    int wst;

    ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
    r->status = WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
    snprintf(path, sizeof path, "%s/stdout", r->dir);
    r->out = access(path, F_OK) == 0 ? tst_slurp(path, NULL) : strdup("");
    snprintf(path, sizeof path, "%s/stderr", r->dir);
    r->err = tst_slurp(path, NULL);
    return wst;
}

void tst_qmesh(tst_out *r, const char *path_env, ...)
{
    va_list ap;
    pid_t pid;

    va_start(ap, path_env);
    pid = spawn(r, path_env, NULL, ap);
    va_end(ap);
    tst_qmesh_finish(r, pid);
}

pid_t tst_qmesh_start(tst_out *r, const char *out_path, ...)
{
    va_list ap;
    pid_t pid;

    va_start(ap, out_path);
    pid = spawn(r, NULL, out_path, ap);
    va_end(ap);
    return pid;
}

void tst_out_free(tst_out *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
    tst_rm_tree(r->dir);
}

void tst_exec(tst_out *r, const char *cwd, const char *const *argv)
{
    char out[512], err[512];
    pid_t pid;

    snprintf(r->dir, sizeof r->dir, "%s", tst_tmpdir());
    snprintf(out, sizeof out, "%s/stdout", r->dir);
    snprintf(err, sizeof err, "%s/stderr", r->dir);
    r->out = r->err = NULL;
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0
            || (cwd && chdir(cwd) != 0))
            _exit(127);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    tst_qmesh_finish(r, pid);
}

int tst_on_path(const char *name)
{
    const char *path = getenv("PATH"), *p, *end;
    char full[4096];

    for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
        end = p + strcspn(p, ":");
        snprintf(full, sizeof full, "%.*s/%s", (int)(end - p), p, name);
        if (end > p && access(full, X_OK) == 0)
            return 1;
    }
    return 0;
}
