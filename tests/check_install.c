/*
 * check_install.c - what make install ships beside the binary agrees with
 * it: the manual page and the bash completion know every command and
 * every option that `qmesh COMMAND --help` prints.
 *
 * The help texts are the source of truth. The commands are read from
 * `qmesh help` (lines "  NAME ARG  summary" under "commands:"), each
 * command's options from the "options:" block of its --help text (lines
 * "  -o, --output DIR  text": the option column is read up to its
 * argument). The manual page is man/qmesh.1 of the build tree with its
 * troff escapes taken out, so that "\fB\-o\fR, \fB\-\-output\fR
 * \fIDIR\fR" reads "-o, --output DIR" as in the help. The completion
 * script is run by bash as bash runs it on TAB, and what it offers is
 * compared as a set. Tests that need groff, lexgrog or bash pass with a
 * note when the tool is missing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tst.h"

#define MAX_CMDS 16
#define MAX_OPTS 32

/* A command and its options as its --help prints them. */
typedef struct cmd_help {
    char name[32];
    char head[MAX_OPTS][64];    /* "-o, --output DIR": the option column */
    char word[2 * MAX_OPTS][32];        /* "-o", "--output": each spelling */
    size_t nhead, nword;
} cmd_help;

/* Append what fmt says to the string in buf, of size n; cut at n. */
static void append(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    if (len < n)
        vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

/* The commands `qmesh help` lists, "help" included, into names. */
static size_t read_commands(char names[][32], size_t max)
{
    const char *p;
    size_t n = 0;
    tst_out r;

    tst_qmesh(&r, NULL, "help", NULL);
    ck_assert_int_eq(r.status, 0);
    p = strstr(r.out, "\ncommands:\n");
    ck_assert_msg(p != NULL, "qmesh help has no 'commands:' block:\n%s",
                  r.out);
    for (p += strlen("\ncommands:\n"); *p && *p != '\n';
         p += strcspn(p, "\n") + 1) {
        size_t len;
        if (strncmp(p, "  ", 2) != 0 || p[2] == ' ')
            continue;           /* a summary's second line */
        len = strcspn(p + 2, " \n");
        ck_assert(n < max && len < 32);
        snprintf(names[n++], 32, "%.*s", (int)len, p + 2);
    }
    tst_out_free(&r);
    return n;
}

/* Whether word is the argument of an option: DIR, N, KEY=VALUE. */
static int is_metavar(const char *w, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ_=:", w[i]))
            return 0;
    return len > 0;
}

/* Read one option line ("-o, --output DIR   text") into h. */
static void read_option(const char *line, size_t linelen, cmd_help *h)
{
    const char *p = line, *end = line;
    int after_opt = 0;

    while (p < line + linelen && *p != ' ') {
        size_t len = strcspn(p, " \n");
        if (p[0] == '-') {
            size_t wl = len - (p[len - 1] == ',');
            ck_assert(h->nword < 2 * MAX_OPTS && wl < 32);
            snprintf(h->word[h->nword++], 32, "%.*s", (int)wl, p);
            after_opt = p[len - 1] != ',';
        } else if (after_opt && is_metavar(p, len)) {
            end = p + len;
            break;
        } else {
            break;
        }
        end = p + len;
        p += len + (p[len] == ' ');
    }
    ck_assert(h->nhead < MAX_OPTS && (size_t)(end - line) < 64);
    snprintf(h->head[h->nhead++], 64, "%.*s", (int)(end - line), line);
}

/* The options of command name, from `qmesh NAME --help`. */
static void read_options(const char *name, cmd_help *h)
{
    const char *p;
    tst_out r;

    memset(h, 0, sizeof *h);
    snprintf(h->name, sizeof h->name, "%s", name);
    if (!strcmp(name, "help"))
        return;                 /* `qmesh help` takes a command, no option */
    tst_qmesh(&r, NULL, name, "--help", NULL);
    ck_assert_int_eq(r.status, 0);
    p = strstr(r.out, "\noptions:\n");
    ck_assert_msg(p != NULL, "qmesh %s --help has no 'options:' block",
                  name);
    for (p += strlen("\noptions:\n"); *p && *p != '\n';
         p += strcspn(p, "\n") + 1) {
        size_t indent = strspn(p, " ");
        /* Option lines start at column 2 or 6; deeper ones continue
         * the text of the option above. */
        if (indent >= 2 && indent <= 6 && p[indent] == '-')
            read_option(p + indent, strcspn(p + indent, "\n"), h);
    }
    tst_out_free(&r);
}

static size_t read_all(cmd_help *cmds)
{
    char names[MAX_CMDS][32];
    size_t i, n = read_commands(names, MAX_CMDS);

    for (i = 0; i < n; i++)
        read_options(names[i], &cmds[i]);
    return n;
}

/* ---- the manual page ---- */

/* man/qmesh.1 of the build tree, with the troff escapes taken out:
 * fonts dropped, \- read as -, \(aq as ', and so on. Owned by the
 * caller. */
static char *man_text(void)
{
    static const struct { const char *esc, *text; } MAP[] = {
        {"\\-", "-"}, {"\\&", ""}, {"\\%", ""}, {"\\:", ""}, {"\\c", ""},
        {"\\e", "\\"}, {"\\~", " "}, {"\\ ", " "}, {"\\(aq", "'"},
        {"\\(dq", "\""}, {"\\(ti", "~"}, {"\\(em", "--"}
    };
    const char *top = getenv("top_builddir");
    char path[4096], *src, *dst, *out;
    size_t i;

    snprintf(path, sizeof path, "%s/man/qmesh.1", top && *top ? top : ".");
    src = tst_slurp(path, NULL);
    out = dst = malloc(strlen(src) + 1);
    ck_assert_ptr_nonnull(out);
    for (const char *p = src; *p;) {
        if (p[0] == '\\' && p[1] == 'f') {          /* \fB \f(CW \f[B] */
            p += 2;
            if (*p == '(')
                p += 3;
            else if (*p == '[')
                p += strcspn(p, "]") + 1;
            else if (*p)
                p++;
            continue;
        }
        for (i = 0; i < sizeof MAP / sizeof *MAP; i++)
            if (!strncmp(p, MAP[i].esc, strlen(MAP[i].esc)))
                break;
        if (i < sizeof MAP / sizeof *MAP) {
            strcpy(dst, MAP[i].text);
            dst += strlen(MAP[i].text);
            p += strlen(MAP[i].esc);
        } else {
            *dst++ = *p++;
        }
    }
    *dst = '\0';
    free(src);
    return out;
}

/* The part of the page from the line starting with mark to the next
 * line starting with one of the requests in ends (".SH", or ".SH" and
 * ".SS"); NULL when there is no such line. Owned by the caller. */
static char *man_part(const char *text, const char *mark, int subsections)
{
    const char *p = text, *end;
    size_t n = strlen(mark);

    while (p && strncmp(p, mark, n) != 0)
        p = (p = strchr(p, '\n')) ? p + 1 : NULL;
    if (!p)
        return NULL;
    for (end = strchr(p, '\n'); end; end = strchr(end + 1, '\n'))
        if (!strncmp(end + 1, ".SH", 3)
            || (subsections && !strncmp(end + 1, ".SS", 3)))
            break;
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* Whether text has word standing alone: after a space or '[', before a
 * space, ']' or the end of the line. */
static int has_word(const char *text, const char *word)
{
    const char *p;
    size_t n = strlen(word);

    for (p = strstr(text, word); p; p = strstr(p + 1, word))
        if (p > text && strchr(" [", p[-1]) && strchr(" ]\n", p[n]))
            return 1;
    return 0;
}

START_TEST(test_help_lists_commands_with_options)
{
    cmd_help cmds[MAX_CMDS];
    size_t n = read_all(cmds), i, with_help = 0;

    /* Without these, the tests below would pass by finding nothing. */
    ck_assert_uint_ge(n, 7);
    for (i = 0; i < n; i++) {
        if (!strcmp(cmds[i].name, "help"))
            continue;
        ck_assert_msg(cmds[i].nhead >= 1, "%s: no option read",
                      cmds[i].name);
        with_help += !strcmp(cmds[i].head[cmds[i].nhead - 1],
                             "-h, --help");
    }
    ck_assert_uint_eq(with_help, n - 1);
    ck_assert_str_eq(cmds[0].name, "run");
    ck_assert_str_eq(cmds[0].head[0], "-o, --output DIR");
}
END_TEST

START_TEST(test_man_page_has_every_command_and_option)
{
    cmd_help cmds[MAX_CMDS];
    size_t n = read_all(cmds), i, k;
    char *text = man_text(), *synopsis = man_part(text, ".SH SYNOPSIS", 0);
    char mark[64], missing[4096] = "";

    ck_assert_ptr_nonnull(synopsis);
    for (i = 0; i < n; i++) {
        const cmd_help *c = &cmds[i];
        char *sec, *syn, want[64];
        /* The synopsis: .SY "qmesh run" up to its .YS. */
        snprintf(want, sizeof want, ".SY \"qmesh %s\"", c->name);
        syn = strstr(synopsis, want);
        if (!syn) {
            append(missing, sizeof missing,
                   "\n  SYNOPSIS lacks 'qmesh %s'", c->name);
        } else {
            const char *ys = strstr(syn, ".YS");
            syn = strndup(syn, ys ? (size_t)(ys - syn) : strlen(syn));
            /* Each option but -h in the synopsis, in one spelling. */
            for (k = 0; k + 1 < c->nhead; k++) {
                const char *w = c->head[k];
                char first[32];
                snprintf(first, sizeof first, "%.*s",
                         (int)strcspn(w, ", "), w);
                if (!has_word(syn, first))
                    append(missing, sizeof missing,
                           "\n  SYNOPSIS of %s lacks '%s'", c->name, first);
            }
            free(syn);
        }
        /* COMMANDS: .SS "run SCENARIO [options]" with each option as
         * the help prints it. */
        snprintf(mark, sizeof mark, ".SS \"%s ", c->name);
        sec = man_part(text, mark, 1);
        if (!sec) {
            append(missing, sizeof missing, "\n  no section '%s'", mark);
            continue;
        }
        for (k = 0; k < c->nhead; k++)
            if (!strstr(sec, c->head[k]))
                append(missing, sizeof missing,
                       "\n  section '%s' lacks '%s'", c->name, c->head[k]);
        free(sec);
    }
    ck_assert_msg(missing[0] == '\0', "man/qmesh.1 disagrees with "
                  "'qmesh COMMAND --help':%s", missing);
    free(synopsis);
    free(text);
}
END_TEST

START_TEST(test_man_page_names_no_unknown_option)
{
    static const char *const others[] = {
        "--with-mpi",           /* ./configure */
        "--hostfile",           /* mpirun */
        "--mpi"                 /* srun */
    };
    cmd_help cmds[MAX_CMDS];
    size_t n = read_all(cmds), i, k;
    char *text = man_text(), unknown[2048] = "";
    const char *p;

    for (p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
        char word[32];
        size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
        int known = 0;
        if (len == 0)
            continue;
        snprintf(word, sizeof word, "--%.*s", (int)len, p + 2);
        known = !strcmp(word, "--help") || !strcmp(word, "--version");
        /* options of other programs, in the section MPI */
        for (i = 0; i < sizeof others / sizeof *others && !known; i++)
            known = !strcmp(word, others[i]);
        for (i = 0; i < n && !known; i++)
            for (k = 0; k < cmds[i].nword && !known; k++)
                known = !strcmp(cmds[i].word[k], word);
        if (!known && !strstr(unknown, word))
            append(unknown, sizeof unknown, " %s", word);
    }
    ck_assert_msg(unknown[0] == '\0', "man/qmesh.1 names options no "
                  "command has:%s", unknown);
    free(text);
}
END_TEST

START_TEST(test_man_page_formats_without_warnings)
{
    const char *top = getenv("top_builddir");
    char path[4096];
    tst_out r;

    snprintf(path, sizeof path, "%s/man/qmesh.1", top && *top ? top : ".");
    if (!tst_on_path("groff")) {
        puts("check_install: groff not found: formatting not checked");
        return;
    }
    {
        const char *argv[] = {"groff", "-man", "-Tutf8", "-ww", "-z", path,
                              NULL};
        tst_exec(&r, NULL, argv);
    }
    ck_assert_msg(r.status == 0 && r.err[0] == '\0',
                  "groff -man -ww: status %d:\n%s", r.status, r.err);
    tst_out_free(&r);
}
END_TEST

START_TEST(test_man_page_name_line_serves_whatis)
{
    const char *top = getenv("top_builddir");
    char path[4096];
    tst_out r;

    snprintf(path, sizeof path, "%s/man/qmesh.1", top && *top ? top : ".");
    if (!tst_on_path("lexgrog")) {
        puts("check_install: lexgrog not found: NAME line not checked");
        return;
    }
    {
        const char *argv[] = {"lexgrog", path, NULL};
        tst_exec(&r, NULL, argv);
    }
    ck_assert_msg(r.status == 0, "lexgrog: status %d:\n%s%s", r.status,
                  r.out, r.err);
    tst_assert_has(r.out, ": \"qmesh - ", "lexgrog");
    tst_out_free(&r);
}
END_TEST

/* ---- the bash completion ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Words, one a line or separated by spaces, sorted and joined by single
 * spaces into out. */
static void sorted(const char *words, char *out, size_t n)
{
    char *copy = strdup(words), *w[256], *save = NULL, *t;
    size_t k = 0, i;

    ck_assert_ptr_nonnull(copy);
    for (t = strtok_r(copy, " \n", &save); t && k < 256;
         t = strtok_r(NULL, " \n", &save))
        w[k++] = t;
    qsort(w, k, sizeof *w, cmp_str);
    out[0] = '\0';
    for (i = 0; i < k; i++)
        append(out, n, "%s%s", i ? " " : "", w[i]);
    free(copy);
}

/* What the completion offers for the command line words (the last one
 * is being completed), run in folder cwd: sorted, space-separated. */
static void complete(const char *cwd, const char *const *words, char *out,
                     size_t n)
{
    static const char script[] =
        "source \"$1\" || exit 1; shift; COMP_WORDS=(\"$@\"); "
        "COMP_CWORD=$(($# - 1)); _qmesh; printf '%s\\n' \"${COMPREPLY[@]}\"";
    const char *argv[32] = {"bash", "--norc", "--noprofile", "-c", script,
                            "bash"};
    char path[4096];
    size_t k = 6, i;
    tst_out r;

    snprintf(path, sizeof path, "%s", tst_path("completion/qmesh.bash"));
    argv[k++] = path;
    for (i = 0; words[i] && k < 31; i++)
        argv[k++] = words[i];
    argv[k] = NULL;
    tst_exec(&r, cwd, argv);
    ck_assert_msg(r.status == 0 && r.err[0] == '\0',
                  "completion: status %d:\n%s", r.status, r.err);
    sorted(r.out, out, n);
    tst_out_free(&r);
}

START_TEST(test_completion_offers_every_command)
{
    char names[MAX_CMDS][32], all[512] = "", want[512], got[512];
    size_t n = read_commands(names, MAX_CMDS), i;
    const char *top[] = {"qmesh", "", NULL};
    const char *help[] = {"qmesh", "help", "", NULL};

    if (!tst_on_path("bash")) {
        puts("check_install: bash not found: completion not checked");
        return;
    }
    for (i = 0; i < n; i++)
        append(all, sizeof all, " %s", names[i]);
    sorted(all, want, sizeof want);
    complete(NULL, top, got, sizeof got);
    ck_assert_str_eq(got, want);
    /* help COMMAND: every command but help itself. */
    all[0] = '\0';
    for (i = 0; i < n; i++)
        if (strcmp(names[i], "help"))
            append(all, sizeof all, " %s", names[i]);
    sorted(all, want, sizeof want);
    complete(NULL, help, got, sizeof got);
    ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_completion_offers_each_commands_options)
{
    cmd_help cmds[MAX_CMDS];
    size_t n = read_all(cmds), i, k;
    char all[1024], want[1024], got[1024], bad[4096] = "";

    if (!tst_on_path("bash")) {
        puts("check_install: bash not found: completion not checked");
        return;
    }
    for (i = 0; i < n; i++) {
        const char *words[] = {"qmesh", cmds[i].name, "-", NULL};
        if (!strcmp(cmds[i].name, "help"))
            continue;
        all[0] = '\0';
        for (k = 0; k < cmds[i].nword; k++)
            append(all, sizeof all, " %s", cmds[i].word[k]);
        sorted(all, want, sizeof want);
        complete(NULL, words, got, sizeof got);
        if (strcmp(got, want))
            append(bad, sizeof bad,
                   "\n  qmesh %s -<TAB>: offers '%s', --help has '%s'",
                   cmds[i].name, got, want);
    }
    ck_assert_msg(bad[0] == '\0', "completion/qmesh.bash disagrees with "
                  "'qmesh COMMAND --help':%s", bad);
}
END_TEST

static void touch(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_ptr_nonnull(f = fopen(path, "w"));
    fclose(f);
}

START_TEST(test_completion_offers_files_by_extension)
{
    static const struct {
        const char *words[12];
        const char *want;
    } CASES[] = {
        {{"qmesh", "run", ""}, "a.yaml b.yml d"},
        {{"qmesh", "check", "-q", ""}, "a.yaml b.yml d"},
        {{"qmesh", "theory", "--set", "run.seed=7", ""}, "a.yaml b.yml d"},
        {{"qmesh", "graph", ""}, "c.gml d e.graphml f.xml"},
        {{"qmesh", "plot", ""}, "d"},
        {{"qmesh", "run", "a.yaml", "-o", ""}, "d"},
        {{"qmesh", "run", "a.yaml", "--output", "=", ""}, "d"},
        {{"qmesh", "run", "a.yaml", "-r", ""}, ""},
        {{"qmesh", "run", "--load", "0.5", ""}, "a.yaml b.yml d"},
        {{"qmesh", "compare", "a.yaml", ""}, "a.yaml b.yml d"},
        {{"qmesh", "compare", "a.yaml", "--variant", ""}, ""},
        {{"qmesh", "compare", "a.yaml", "--variant", "t", ":", "k", "=",
          "1", ""}, "a.yaml b.yml d"},
        {{"qmesh", "graph", "--dot", ""}, "a.yaml b.yml c.gml d e.graphml "
                                          "f.xml g.txt"},
        {{"qmesh", "run", "a.yaml", ""}, "--all --help --jobs --load "
            "--output --plot --quiet --replications --seed --set --show -h "
            "-j -o -q -r -s"},
        {{"qmesh", "gen", ""}, "alibaba chain layered meta tree"},
        {{"qmesh", "gen", "-n", "100", "m"}, "meta"},
        {{"qmesh", "gen", "meta", "-o", ""}, "d"},
        {{"qmesh", "gen", "meta", "-n", ""}, ""},
        {{"qmesh", "r"}, "run"},
        {{"qmesh", "-"}, "--help --version -V -h"},
    };
    char dir[256], sub[512], got[1024];
    size_t i;

    if (!tst_on_path("bash")) {
        puts("check_install: bash not found: completion not checked");
        return;
    }
    snprintf(dir, sizeof dir, "%s", tst_tmpdir());
    touch(dir, "a.yaml");
    touch(dir, "b.yml");
    touch(dir, "c.gml");
    touch(dir, "e.graphml");
    touch(dir, "f.xml");
    touch(dir, "g.txt");
    snprintf(sub, sizeof sub, "%s/d", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    for (i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char line[256] = "";
        size_t k;
        complete(dir, CASES[i].words, got, sizeof got);
        for (k = 0; CASES[i].words[k]; k++)
            append(line, sizeof line, "%s%s", k ? " " : "",
                   CASES[i].words[k]);
        ck_assert_msg(!strcmp(got, CASES[i].want), "'%s<TAB>' offers '%s', "
                      "not '%s'", line, got, CASES[i].want);
    }
    tst_rm_tree(dir);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("install");
    TCase *tc;

    tc = tcase_create("help");
    tcase_add_test(tc, test_help_lists_commands_with_options);
    suite_add_tcase(s, tc);

    tc = tcase_create("man_page");
    tcase_add_test(tc, test_man_page_has_every_command_and_option);
    tcase_add_test(tc, test_man_page_names_no_unknown_option);
    tcase_add_test(tc, test_man_page_formats_without_warnings);
    tcase_add_test(tc, test_man_page_name_line_serves_whatis);
    suite_add_tcase(s, tc);

    tc = tcase_create("completion");
    tcase_add_test(tc, test_completion_offers_every_command);
    tcase_add_test(tc, test_completion_offers_each_commands_options);
    tcase_add_test(tc, test_completion_offers_files_by_extension);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
