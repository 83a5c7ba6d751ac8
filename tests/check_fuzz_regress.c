/*
 * check_fuzz_regress.c - replay every saved fuzz input through its target.
 *
 * tests/fuzz/regress/<harness>/ holds inputs that once made a loader
 * misbehave under a libFuzzer harness (make fuzz). Each is given to the
 * same target the harness calls (tests/fuzz/tst_fuzz.c), which must
 * return cleanly: SIM_OK or an error with a diagnostic, with every loaded
 * object valid. A crash or a broken contract fails the test of that file;
 * Check runs each in its own process, so one bad file does not hide the
 * others. Files whose name starts with a dot are not inputs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/tst_fuzz.h"
#include "tst.h"

typedef struct saved {
    size_t target;          /* index in tst_fuzz_targets */
    char *path;             /* owned */
} saved;

/* Every saved input, grouped by target, sorted by name within each. */
static saved *inputs;
static size_t ninputs;

static int cmp_saved(const void *a, const void *b)
{
    const saved *x = a, *y = b;

    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Add the inputs of target k (none when its folder is missing). */
static void collect(size_t k)
{
    char dir[512];
    struct dirent *e;
    DIR *dp;

    snprintf(dir, sizeof dir, "%s", tst_path("tests/fuzz/regress"));
    snprintf(dir + strlen(dir), sizeof dir - strlen(dir), "/%s",
             tst_fuzz_targets[k].name);
    if (!(dp = opendir(dir)))
        return;
    while ((e = readdir(dp))) {
        saved *more;
        if (e->d_name[0] == '.')
            continue;
        more = realloc(inputs, (ninputs + 1) * sizeof *inputs);
        if (!more)
            abort();
        inputs = more;
        inputs[ninputs].target = k;
        inputs[ninputs].path = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!inputs[ninputs].path)
            abort();
        sprintf(inputs[ninputs].path, "%s/%s", dir, e->d_name);
        ninputs++;
    }
    closedir(dp);
}

START_TEST(test_every_harness_has_a_regress_folder)
{
    size_t k;

    for (k = 0; k < tst_fuzz_ntargets; k++) {
        char dir[512];
        DIR *dp;

        snprintf(dir, sizeof dir, "%s/%s",
                 tst_path("tests/fuzz/regress"), tst_fuzz_targets[k].name);
        dp = opendir(dir);
        ck_assert_msg(dp != NULL, "no folder %s", dir);
        closedir(dp);
    }
}
END_TEST

START_TEST(test_saved_input_returns_cleanly)
{
    const saved *s = &inputs[_i];
    size_t len;
    char *data = tst_slurp(s->path, &len);
    sim_diag d;
    int rc;

    /* A crash stops the test before any message: name the file first. */
    fprintf(stderr, "replaying %s\n", s->path);
    memset(&d, 0, sizeof d);
    rc = tst_fuzz_targets[s->target].fn((const uint8_t *)data, len, &d);
    ck_assert_msg(tst_fuzz_clean(rc, &d), "%s: returned %d (%s) without a "
                  "message", s->path, rc, sim_strerror(rc));
    free(data);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fuzz_regress");
    TCase *tc = tcase_create("folders");
    size_t k, first;

    tcase_add_test(tc, test_every_harness_has_a_regress_folder);
    suite_add_tcase(s, tc);
    tst_fuzz_setup();
    for (k = 0; k < tst_fuzz_ntargets; k++)
        collect(k);
    if (ninputs)
        qsort(inputs, ninputs, sizeof *inputs, cmp_saved);
    /* One test case per harness, one test per saved input. */
    for (k = 0, first = 0; k < tst_fuzz_ntargets; k++) {
        size_t end = first;
        while (end < ninputs && inputs[end].target == k)
            end++;
        tc = tcase_create(tst_fuzz_targets[k].name);
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, test_saved_input_returns_cleanly, (int)first,
                            (int)end);
        suite_add_tcase(s, tc);
        first = end;
    }
    return s;
}

int main(void)
{
    return tst_run(make_suite);
}
