/*
 * check_installed.c - make installcheck: what make install wrote works
 * where it was written.
 *
 * Not part of make check: it runs after make install (make distcheck
 * runs it on its own installation), from make's installcheck-local,
 * which passes the folders in the environment as make knows them:
 * DESTDIR, bindir, mandir, man1dir, docdir, pkgdatadir and
 * bashcompletiondir (empty when no completion is installed), and
 * top_srcdir for what should have been installed. Programs are run
 * with fork and exec, from fresh folders that have nothing to do with
 * the source tree, as a user would run them.
 *
 * Every file under scenarios/ and topologies/, and every .md file of
 * docs/, must be installed byte for byte: a new example that is not
 * listed in Makefile.am fails here (make distcheck ships the folders
 * whole, so it fails there too).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tst.h"

/* $DESTDIR$name: where make install put the folder make calls name. */
static const char *installed(const char *name)
{
    static char buf[4][4096];
    static int k;
    const char *destdir = getenv("DESTDIR"), *dir = getenv(name);

    ck_assert_msg(dir != NULL, "%s is not set: run 'make installcheck'",
                  name);
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s%s", destdir ? destdir : "", dir);
    return buf[k];
}

/* Fail unless the files a and b hold the same bytes. */
static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x, *y;

    ck_assert_msg(access(b, R_OK) == 0, "%s is not installed (as %s)", a,
                  b);
    x = tst_slurp(a, &na);
    y = tst_slurp(b, &nb);
    ck_assert_msg(na == nb && memcmp(x, y, na) == 0, "%s differs from %s",
                  b, a);
    free(x);
    free(y);
}

/* Require every file under src/rel (subfolders too, hidden files
 * excepted) whose name ends in ext ("" for any) at dst/rel. Returns how
 * many there were. */
static int assert_tree_installed(const char *src, const char *dst,
                                 const char *rel, const char *ext)
{
    char from[4096], to[4096];
    struct dirent *e;
    struct stat st;
    DIR *dp;
    int n = 0;

    snprintf(from, sizeof from, "%s/%s", src, rel);
    ck_assert_msg((dp = opendir(from)) != NULL, "cannot open %s", from);
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name), el = strlen(ext);
        char sub[1024];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
        snprintf(from, sizeof from, "%s/%s", src, sub);
        snprintf(to, sizeof to, "%s/%s", dst, sub);
        ck_assert_int_eq(stat(from, &st), 0);
        if (S_ISDIR(st.st_mode))
            n += assert_tree_installed(src, dst, sub, ext);
        else if (S_ISREG(st.st_mode) && len >= el
                 && !strcmp(e->d_name + len - el, ext)) {
            assert_same_file(from, to);
            n++;
        }
    }
    closedir(dp);
    return n;
}

/* Run argv as tst_exec() does, from a fresh folder of its own that is
 * removed afterwards. */
static void run_elsewhere(tst_out *r, const char *const *argv)
{
    char work[256];

    snprintf(work, sizeof work, "%s", tst_tmpdir());
    tst_exec(r, work, argv);
    tst_rm_tree(work);
}

START_TEST(test_installed_binary_tells_its_version)
{
    char qmesh[4096];
    const char *argv[] = {qmesh, "--version", NULL};
    tst_out r;

    snprintf(qmesh, sizeof qmesh, "%s/qmesh", installed("bindir"));
    run_elsewhere(&r, argv);
    ck_assert_msg(r.status == 0, "%s --version: status %d\n%s", qmesh,
                  r.status, r.err);
    ck_assert_msg(!strncmp(r.out, PACKAGE_STRING "\nMPI: ",
                           strlen(PACKAGE_STRING "\nMPI: ")), "%s", r.out);
    tst_out_free(&r);
}
END_TEST

START_TEST(test_every_example_and_document_is_installed)
{
    const char *src = getenv("top_srcdir"), *data = installed("pkgdatadir");
    const char *doc = installed("docdir");

    ck_assert_msg(src && *src, "top_srcdir is not set");
    ck_assert_int_ge(assert_tree_installed(src, data, "scenarios", ""), 10);
    ck_assert_int_ge(assert_tree_installed(src, data, "topologies", ""), 8);
    ck_assert_int_ge(assert_tree_installed(src, doc, "docs", ".md"), 2);
    {
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/README.md", src);
        snprintf(to, sizeof to, "%s/README.md", doc);
        assert_same_file(from, to);
    }
}
END_TEST

/* Every installed scenario, below dir: `qmesh check` accepts it when run
 * from a folder of its own, so it finds its topology where installed. */
static int check_scenarios(const char *qmesh, const char *dir)
{
    char path[4096];
    struct dirent *e;
    DIR *dp = opendir(dir);
    int n = 0;

    ck_assert_msg(dp != NULL, "cannot open %s", dir);
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            n += check_scenarios(qmesh, path);
        } else if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
            const char *argv[] = {qmesh, "check", "-q", path, NULL};
            tst_out r;
            run_elsewhere(&r, argv);
            ck_assert_msg(r.status == 0, "qmesh check %s: status %d\n%s",
                          path, r.status, r.err);
            tst_out_free(&r);
            n++;
        }
    }
    closedir(dp);
    return n;
}

START_TEST(test_installed_scenarios_check_from_any_folder)
{
    char qmesh[4096], dir[4096];

    snprintf(qmesh, sizeof qmesh, "%s/qmesh", installed("bindir"));
    snprintf(dir, sizeof dir, "%s/scenarios", installed("pkgdatadir"));
    ck_assert_int_ge(check_scenarios(qmesh, dir), 20);
}
END_TEST

START_TEST(test_installed_example_runs_from_any_folder)
{
    char qmesh[4096], scenario[4096], out[4096], work[256], file[4200];
    const char *argv[] = {qmesh, "run", scenario, "-o", out, "-r", "2",
                          "--set", "run.duration=300s", "-q", NULL};
    tst_out r;

    snprintf(qmesh, sizeof qmesh, "%s/qmesh", installed("bindir"));
    snprintf(scenario, sizeof scenario, "%s/scenarios/mm1.yaml",
             installed("pkgdatadir"));
    snprintf(work, sizeof work, "%s", tst_tmpdir());
    snprintf(out, sizeof out, "%s/x", work);
    tst_exec(&r, work, argv);
    ck_assert_msg(r.status == 0, "qmesh run %s: status %d\n%s", scenario,
                  r.status, r.err);
    snprintf(file, sizeof file, "%s/summary.csv", out);
    ck_assert_int_eq(access(file, R_OK), 0);
    snprintf(file, sizeof file, "%s/provenance.csv", out);
    ck_assert_int_eq(access(file, R_OK), 0);
    tst_out_free(&r);
    tst_rm_tree(work);
}
END_TEST

/* path as the manual page writes it: each '-' as '\-', and '\:' (a
 * place to break the line) after each '/'. */
static void roff_path(const char *path, char *out, size_t n)
{
    size_t k = 0;

    for (; *path && k + 4 < n; path++) {
        if (*path == '-')
            out[k++] = '\\';
        out[k++] = *path;
        if (*path == '/') {
            out[k++] = '\\';
            out[k++] = ':';
        }
    }
    out[k] = '\0';
}

/* Whether q starts a character of a path as the page writes it. */
static int path_char(const char *q)
{
    return (*q && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_./", *q))
           || (q[0] == '\\' && (q[1] == '-' || q[1] == ':'));
}

START_TEST(test_manual_page_names_installed_files)
{
    const char *data = getenv("pkgdatadir"), *destdir = getenv("DESTDIR");
    char page[4096], mark[4096], path[4096], full[8192], missing[4096] = "";
    const char *p;
    char *text;
    int n = 0;

    snprintf(page, sizeof page, "%s/qmesh.1", installed("man1dir"));
    text = tst_slurp(page, NULL);
    ck_assert_msg(!strstr(text, "@pkgdatadir@") && !strstr(text, "@docdir@")
                  && !strstr(text, "@PACKAGE_VERSION@"),
                  "%s has a value left to fill in", page);
    /* Each path under pkgdatadir that the page gives must exist. */
    roff_path(data, mark, sizeof mark);
    for (p = strstr(text, mark); p; p = strstr(p + 1, mark)) {
        const char *q = p + strlen(mark);
        size_t k = (size_t)snprintf(path, sizeof path, "%s", data);
        while (k + 1 < sizeof path && path_char(q)) {
            if (q[0] == '\\' && q[1] == ':') {
                q += 2;                 /* a place to break, no character */
                continue;
            }
            q += *q == '\\';
            path[k++] = *q++;
        }
        while (k > 0 && path[k - 1] == '.')
            k--;                        /* the end of a sentence */
        path[k] = '\0';
        snprintf(full, sizeof full, "%s%s", destdir ? destdir : "", path);
        if (access(full, F_OK) != 0 && strlen(missing) + k + 2
                                       < sizeof missing) {
            strcat(missing, " ");
            strcat(missing, path);
        }
        n++;
    }
    ck_assert_int_ge(n, 5);
    ck_assert_msg(missing[0] == '\0', "%s names files not installed:%s",
                  page, missing);
    free(text);
}
END_TEST

START_TEST(test_man_finds_and_formats_the_page)
{
    const char *man_argv[] = {"man", "-w", "qmesh", NULL};
    const char *show_argv[] = {"man", "qmesh", NULL};
    char page[4096], want[4200];
    tst_out r;

    if (!tst_on_path("man")) {
        puts("check_installed: man not found: lookup not checked");
        return;
    }
    snprintf(page, sizeof page, "%s/qmesh.1", installed("man1dir"));
    /* Only the installed page: MANPATH replaces the usual search. */
    setenv("MANPATH", installed("mandir"), 1);
    setenv("MANWIDTH", "80", 1);
    unsetenv("MANOPT");
    run_elsewhere(&r, man_argv);
    snprintf(want, sizeof want, "%s\n", page);
    ck_assert_msg(r.status == 0, "man -w qmesh: status %d\n%s", r.status,
                  r.err);
    ck_assert_str_eq(r.out, want);
    tst_out_free(&r);
    run_elsewhere(&r, show_argv);
    ck_assert_msg(r.status == 0, "man qmesh: status %d\n%s", r.status,
                  r.err);
    tst_assert_has(r.out, "qmesh - simulate microservice topologies",
                   "man qmesh");
    tst_assert_has(r.out, "EXIT STATUS", "man qmesh");
    tst_out_free(&r);
}
END_TEST

START_TEST(test_completion_is_installed_under_the_command_name)
{
    const char *dir = getenv("bashcompletiondir"), *src = getenv("top_srcdir");
    char from[4096], to[4096];

    if (!dir || !*dir) {
        puts("check_installed: configured without a bash completion");
        return;
    }
    snprintf(from, sizeof from, "%s/completion/qmesh.bash", src);
    snprintf(to, sizeof to, "%s/qmesh", installed("bashcompletiondir"));
    assert_same_file(from, to);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("installed");
    TCase *tc;

    tc = tcase_create("files");
    tcase_add_test(tc, test_installed_binary_tells_its_version);
    tcase_add_test(tc, test_every_example_and_document_is_installed);
    tcase_add_test(tc, test_completion_is_installed_under_the_command_name);
    suite_add_tcase(s, tc);

    tc = tcase_create("examples");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_installed_scenarios_check_from_any_folder);
    tcase_add_test(tc, test_installed_example_runs_from_any_folder);
    suite_add_tcase(s, tc);

    tc = tcase_create("manual");
    tcase_add_test(tc, test_manual_page_names_installed_files);
    tcase_add_test(tc, test_man_finds_and_formats_the_page);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
