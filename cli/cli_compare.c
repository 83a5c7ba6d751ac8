/*
 * cli_compare.c - the command compare: variants of an architecture run
 * with common random numbers and compared with the first.
 *
 *   qmesh compare A.yaml B.yaml [C.yaml...] [options]
 *   qmesh compare SCENARIO --variant NAME:KEY=VALUE[,KEY=VALUE]... [options]
 *
 * Everything the user wrote is checked first: each scenario with its
 * overrides, its model (ana_run_init()) and --show, before anything is
 * simulated. Then the variants run one after the other, each with the
 * first one's seed, replications and confidence level, so that
 * replication r of every variant draws the same random numbers; each
 * writes its results folder under variants/NAME/ and keeps only its
 * metrics (ana_cmp_var) for the comparison, which ana_compare computes.
 * The whole folder appears at once when complete (ana_outdir.h); a stop
 * request (SIGINT, SIGTERM) leaves nothing, as half a comparison
 * compares nothing.
 *
 * A --variant spec is split at its first ':' into NAME and overrides,
 * and the overrides at the commas outside brackets and quotes, so that
 * workload.0.arrival=poisson(rate=100/s) and service=uniform(1ms, 3ms)
 * stay whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../analysis/ana_compare.h"
#include "../analysis/ana_gnuplot.h"
#include "../analysis/ana_outdir.h"
#include "../analysis/ana_plot.h"
#include "../analysis/ana_provenance.h"
#include "../analysis/ana_theory.h"
#include "../sim/sim_sig.h"
#include "cli_int.h"

#define NAME_MAX_ 100       /* bytes in a variant's name */

typedef struct variant {
    const char *path;           /* its scenario file (argv) */
    const char *spec;           /* its --variant, or NULL */
    char name[NAME_MAX_ + 16];  /* with a suffix when taken */
    char *buf;                  /* owned: spec split in place */
    const char **sets;          /* owned: --set, then its own */
    size_t nsets;
    mdl_scenario *s;            /* owned */
    ana_run run;                /* alive from check to the comparison */
    ana_cmp_var cmp;            /* what the comparison keeps */
} variant;

/* ---- --variant NAME:KEY=VALUE,KEY=VALUE ---- */

static int bad_spec(const char *spec, const char *why, const char *what)
{
    fprintf(stderr, "qmesh: compare: --variant '%s': %s", spec, why);
    if (what)
        fprintf(stderr, " '%s'", what);
    fputs("\n(expected NAME:KEY=VALUE[,KEY=VALUE]..., e.g. "
          "--variant 'two:services.db.servers=2')\n", stderr);
    return -1;
}

/* A name that can name a folder: letters, digits, '.', '_', '-' and '+',
 * not starting with '.'. */
static int name_ok(const char *n)
{
    size_t len = strlen(n);

    return len > 0 && len <= NAME_MAX_ && n[0] != '.'
           && strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
                        "Z0123456789._-+") == len;
}

/* Split v->spec into v->name and its overrides, appended to v->sets.
 * Returns 0, or -1 after saying what is wrong. */
static int parse_spec(variant *v)
{
    char *p, *item, *colon;
    char stack[64];
    size_t depth = 0;
    char quote = 0;

    if (!(v->buf = strdup(v->spec)))
        return bad_spec(v->spec, "out of memory", NULL);
    if (!(colon = strchr(v->buf, ':')))
        return bad_spec(v->spec, "no ':' after the variant's name", NULL);
    *colon = '\0';
    if (!name_ok(v->buf))
        return bad_spec(v->spec, "a name is letters, digits, '.', '_', "
                        "'-' and '+', not starting with '.', at most 100 "
                        "bytes; found", v->buf);
    snprintf(v->name, sizeof v->name, "%s", v->buf);
    for (item = p = colon + 1;; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (!*p)
                return bad_spec(v->spec, "a quote is not closed in", item);
            continue;
        }
        if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '(' || *p == '[' || *p == '{') {
            if (depth == sizeof stack)
                return bad_spec(v->spec, "brackets nested too deep in",
                                item);
            stack[depth++] = *p == '(' ? ')' : *p == '[' ? ']' : '}';
        } else if (*p == ')' || *p == ']' || *p == '}') {
            if (depth == 0 || stack[depth - 1] != *p) {
                char c[2] = {*p, '\0'};
                return bad_spec(v->spec, "unmatched", c);
            }
            depth--;
        } else if ((*p == ',' && depth == 0) || !*p) {
            int end = !*p;
            if (depth > 0) {
                char c[2] = {stack[depth - 1], '\0'};
                return bad_spec(v->spec, "missing", c);
            }
            *p = '\0';
            if (!*item)
                return bad_spec(v->spec, "an empty KEY=VALUE", NULL);
            if (!strchr(item, '=') || item[0] == '=')
                return bad_spec(v->spec, "expected KEY=VALUE, found",
                                item);
            v->sets[v->nsets++] = item;
            if (end)
                break;
            item = p + 1;
        }
    }
    return 0;
}

/* ---- loading and checking ---- */

/* Say that variant v failed with rc (d's message, if any); returns the
 * exit status: 2 for bad input, else 1. */
static int variant_failed(const variant *v, int rc, const sim_diag *d)
{
    if (rc == SIM_ENOMEM) {
        fputs("qmesh: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    fprintf(stderr, "qmesh: variant '%s': ", v->name);
    if (d && d->msg[0])
        sim_diag_print(d, stderr);
    else
        fprintf(stderr, "%s\n", sim_strerror(rc));
    return rc == SIM_EPARSE || rc == SIM_ENOTSUP || rc == SIM_EUNSTABLE
           ? EXIT_INPUT : EXIT_RUNTIME;
}

/* Give each variant a name of its own: the second 'a' becomes 'a-2'. */
static void unique_names(variant *v, size_t n, int quiet)
{
    size_t i, j, k;

    for (i = 1; i < n; i++) {
        char base[NAME_MAX_ + 1];
        for (j = 0; j < i && strcmp(v[j].name, v[i].name); j++)
            ;
        if (j == i)
            continue;
        snprintf(base, sizeof base, "%s", v[i].name);
        for (k = 2;; k++) {
            snprintf(v[i].name, sizeof v[i].name, "%s-%zu", base, k);
            for (j = 0; j < n && (j == i || strcmp(v[j].name, v[i].name));
                 j++)
                ;
            if (j == n)
                break;
        }
        if (!quiet)
            fprintf(stderr, "qmesh: note: two variants are named '%s': "
                    "variant %zu is '%s'\n", base, i + 1, v[i].name);
    }
}

/* Load variant i with the first one's seed, replications and level
 * (which -s and -r set), and build its model. Returns the exit status. */
static int load(const cli_opts *o, variant *v, size_t i)
{
    const mdl_scenario *first = i > 0 ? v[0].s : NULL;
    variant *x = &v[i];
    sim_diag d;
    int rc;

    memset(&d, 0, sizeof d);
    rc = mdl_scenario_load(&x->s, x->path, x->sets, x->nsets, &d);
    if (rc != SIM_OK)
        return x->spec ? variant_failed(x, rc, &d) : cli__failed(rc, &d);
    if (!x->spec)
        snprintf(x->name, sizeof x->name, "%s", x->s->name);
    if (!x->spec && !name_ok(x->name)) {
        fprintf(stderr, "qmesh: compare: '%s' is named '%s', which cannot "
                "name a folder: a variant's name is letters, digits, '.', "
                "'_', '-' and '+', not starting with '.'\n", x->path,
                x->s->name);
        return EXIT_INPUT;
    }
    if (!first) {
        if (o->reps)
            x->s->replications = (unsigned)o->reps;
        if (o->have_seed)
            x->s->seed = o->seed;
    } else {
        if (!o->quiet && ((x->s->seed != first->seed && !o->have_seed)
                          || (x->s->replications != first->replications
                              && !o->reps)))
            fprintf(stderr, "qmesh: note: '%s' asks for seed %llu and %u "
                    "replications; every variant runs with the first's, "
                    "seed %llu and %u replications (common random "
                    "numbers)\n", x->path,
                    (unsigned long long)x->s->seed, x->s->replications,
                    (unsigned long long)first->seed, first->replications);
        x->s->replications = first->replications;
        x->s->seed = first->seed;
        x->s->confidence = first->confidence;
    }
    if ((rc = mdl_scenario_check_run(x->s, &d)) != SIM_OK
        || (rc = ana_theory_stability(x->s, &d)) != SIM_OK
        || (rc = ana_run_init(&x->run, x->s, &d)) != SIM_OK)
        return variant_failed(x, rc, &d);
    return EXIT_OK;
}

/* Each pattern of --show must match a scope of some variant. */
static int check_show(const char *show, variant *v, size_t n)
{
    char pat[512];
    sim_diag d;
    size_t i;

    while (*show) {
        size_t len = strcspn(show, ",");
        int rc = SIM_EPARSE;
        snprintf(pat, sizeof pat, "%.*s", (int)len, show);
        show += len + (show[len] == ',');
        memset(&d, 0, sizeof d);
        for (i = 0; i < n && rc != SIM_OK; i++)
            rc = ana_report_check_show(v[i].run.net, pat, &d);
        if (rc != SIM_OK)
            return cli__failed(rc, &d);
    }
    return EXIT_OK;
}

/* ---- running ---- */

/* Why variant v gave nothing to compare (rc from ana_run_reps(), or no
 * request finished); returns the exit status. */
static int run_failed(const variant *v, int rc)
{
    if (rc == SIM_ENOMEM)
        fputs("qmesh: out of memory\n", stderr);
    else if (rc != SIM_OK)
        fprintf(stderr, "qmesh: variant '%s': simulation failed: %s\n",
                v->name, v->run.diag.msg[0] ? v->run.diag.msg
                                            : sim_strerror(rc));
    else
        fprintf(stderr, "qmesh: variant '%s': no request finished in any "
                "replication: make run.duration longer\n", v->name);
    return EXIT_RUNTIME;
}

/* Run variant i of n and write its folder into dir/variants/NAME; keep
 * its metrics in v[i].cmp and free its model. Returns the exit status. */
static int run_variant(const cli_opts *o, variant *v, size_t i, size_t n,
                       const char *dir, const char *gnuplot,
                       cli_progress *prog)
{
    variant *x = &v[i];
    ana_run_opts ro = {0};
    char sub[4400], label[160];
    unsigned drawn;
    sim_diag d;
    int rc;

    snprintf(label, sizeof label, "variant %zu of %zu, '%s': ", i + 1, n,
             x->name);
    prog->label = label;
    prog->base = (unsigned)i * x->run.nreps;
    prog->total = x->run.nreps;
    ro.jobs = o->jobs ? (unsigned)o->jobs : 1;
    cli__progress_attach(prog, &ro);
    rc = ana_run_reps(&x->run, &ro);
    cli__progress_end(prog);
    if (sim_sig_caught) {
        fprintf(stderr, "qmesh: stopped by %s while running variant '%s': "
                "nothing written\n", sim_sig_name(sim_sig_caught), x->name);
        return EXIT_RUNTIME;
    }
    if (rc != SIM_OK || x->run.finished == 0)
        return run_failed(x, rc);
    memset(&d, 0, sizeof d);
    snprintf(sub, sizeof sub, "%s/variants/%s", dir, x->name);
    rc = ana_run_write(&x->run, sub, o->cmdline, NULL, &d);
    if (rc == SIM_OK && o->plot)
        rc = ana_plot_results(sub, gnuplot, &drawn, &d);
    if (rc == SIM_OK)
        rc = ana_cmp_var_from_run(&x->cmp, &x->run, x->name);
    if (rc != SIM_OK)
        return variant_failed(x, rc, &d);
    ana_run_destroy(&x->run);
    return EXIT_OK;
}

/* ---- output ---- */

/* results/compare-A-B...: the names, or the first and how many when
 * they would make too long a name. */
static void default_dir(const variant *v, size_t n, char *buf, size_t len)
{
    size_t i, at;

    at = (size_t)snprintf(buf, len, "results/compare");
    for (i = 0; i < n && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "-%s", v[i].name);
    if (at > 200)
        snprintf(buf, len, "results/compare-%s-%zu-variants", v[0].name, n);
}

static void print_head(const variant *v, size_t n, FILE *out)
{
    const mdl_scenario *s = v[0].s;
    size_t i, k;
    int w = 0;

    for (i = 0; i < n; i++)
        if ((int)strlen(v[i].name) > w)
            w = (int)strlen(v[i].name);
    fprintf(out, "compare: %zu variants, %u replication%s each, seed %llu: "
            "replication r of every\nvariant draws the same random numbers "
            "(common random numbers)\n", n, s->replications,
            s->replications == 1 ? "" : "s", (unsigned long long)s->seed);
    for (i = 0; i < n; i++) {
        fprintf(out, "  %zu %-*s  %s", i + 1, w, v[i].name, v[i].path);
        for (k = 0; k < v[i].nsets; k++)
            fprintf(out, "%s%s", k ? ", " : " with ", v[i].sets[k]);
        fputs(i == 0 ? " (reference)\n" : "\n", out);
    }
    fputc('\n', out);
}

/* Write compare.csv, provenance.csv and the plot into out's temporary
 * folder, put it in place and print the table. Returns the exit
 * status. */
static int finish(const cli_opts *o, variant *v, size_t n, ana_outdir *out,
                  const char *gnuplot)
{
    ana_cmp_var *cv = malloc(n * sizeof *cv);
    const char **names = malloc(n * sizeof *names);
    const char *base = strrchr(out->path, '/');
    ana_provenance pv = {0};
    ana_compare c;
    sim_diag d;
    size_t i;
    int rc = SIM_ENOMEM;

    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    if (cv && names) {
        for (i = 0; i < n; i++) {
            cv[i] = v[i].cmp;
            names[i] = v[i].name;
        }
        rc = ana_compare_init(&c, cv, n, v[0].s->confidence);
    }
    if (rc == SIM_OK)
        rc = ana_compare_write(&c, out->tmp, &d);
    if (rc == SIM_OK) {
        pv.command = o->cmdline;
        pv.s = v[0].s;
        pv.replications = pv.done = v[0].s->replications;
        pv.name = base && base[1] ? base + 1 : out->path;
        pv.variants = names;
        pv.nvariants = n;
        rc = ana_provenance_write(out->tmp, &pv, &d);
    }
    if (rc == SIM_OK)
        rc = ana_plot_compare(out->tmp, gnuplot, &d);
    /* A stop asked for while writing: as if it came a moment before. */
    if (rc == SIM_OK && sim_sig_caught) {
        fprintf(stderr, "qmesh: stopped by %s: nothing written\n",
                sim_sig_name(sim_sig_caught));
        rc = 1;
    }
    if (rc == SIM_OK)
        rc = ana_outdir_commit(out, &d);
    if (rc == SIM_OK && !o->quiet) {
        ana_rows rows = {o->all, o->show};
        print_head(v, n, stdout);
        ana_compare_print(&c, &rows, stdout);
        if (!gnuplot)
            cli__tell_missing(out->path);
        printf("\ncomparison written to %s/: compare.csv%s, each variant's "
               "results in variants/NAME/\n", out->path,
               gnuplot ? ", compare.png and .svg" : "");
    }
    ana_compare_destroy(&c);
    free(cv);
    free(names);
    return rc == SIM_OK ? EXIT_OK : rc == 1 ? EXIT_RUNTIME
                                            : cli__failed(rc, &d);
}

/* ---- the command ---- */

/* The variants the arguments name, with their overrides; NULL after
 * saying what is wrong (*status then tells the exit status). */
static variant *variants(const cli_opts *o, size_t *n, int *status)
{
    size_t k = o->nvariants ? 1 + o->nvariants : o->nargs, i, j;
    variant *v;

    *status = EXIT_INPUT;
    if (o->nvariants && o->nargs != 1) {
        fprintf(stderr, "qmesh: compare: --variant makes variants of one "
                "scenario; found %zu scenarios\n(see 'qmesh compare "
                "--help')\n", o->nargs);
        return NULL;
    }
    if (k < 2) {
        fputs("qmesh: compare: expected two scenarios or more, or one with "
              "--variant\n(see 'qmesh compare --help')\n", stderr);
        return NULL;
    }
    if (!(v = calloc(k, sizeof *v))) {
        *status = EXIT_RUNTIME;
        fputs("qmesh: out of memory\n", stderr);
        return NULL;
    }
    *n = k;
    for (i = 0; i < k; i++) {
        v[i].path = o->nvariants ? o->args[0] : o->args[i];
        v[i].spec = o->nvariants && i > 0 ? o->variants[i - 1] : NULL;
        v[i].sets = calloc(o->nsets + (v[i].spec ? strlen(v[i].spec) : 0)
                           + 1, sizeof *v[i].sets);
        if (!v[i].sets) {
            *status = EXIT_RUNTIME;
            fputs("qmesh: out of memory\n", stderr);
            return v;
        }
        for (j = 0; j < o->nsets; j++)
            v[i].sets[v[i].nsets++] = o->sets[j];
        if (v[i].spec && parse_spec(&v[i]) < 0)
            return v;
    }
    *status = EXIT_OK;
    return v;
}

static void free_variants(variant *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++) {
        ana_cmp_var_destroy(&v[i].cmp);
        ana_run_destroy(&v[i].run);
        mdl_scenario_free(v[i].s);
        free(v[i].sets);
        free(v[i].buf);
    }
    free(v);
}

static int cmd_compare(const cli_opts *o)
{
    size_t n = 0, i;
    int status, rc, opened = 0;
    variant *v = variants(o, &n, &status);
    cli_progress prog = {0};
    char dir[4096], *gnuplot = NULL;
    ana_outdir out;
    sim_diag d;

    if (status != EXIT_OK)
        goto done;
    for (i = 0; i < n; i++)
        if ((status = load(o, v, i)) != EXIT_OK)
            goto done;
    unique_names(v, n, o->quiet);
    /* A variant's folder says whose it is (provenance.csv, plot titles). */
    for (i = 0; i < n; i++)
        if (strcmp(v[i].s->name, v[i].name)) {
            char *name = strdup(v[i].name);
            if (!name) {
                fputs("qmesh: out of memory\n", stderr);
                status = EXIT_RUNTIME;
                goto done;
            }
            free(v[i].s->name);
            v[i].s->name = name;
        }
    if (v[0].s->replications < 2) {
        fprintf(stderr, "qmesh: compare: a comparison needs 2 replications "
                "or more for its intervals; '%s' asks for %u (use -r)\n",
                v[0].path, v[0].s->replications);
        status = EXIT_INPUT;
        goto done;
    }
    for (i = 0; i < n; i++)
        if (v[i].s->precision.on) {
            /* each variant would stop at its own count, and the pairs
             * need the same replications on both sides */
            fprintf(stderr, "qmesh: compare: '%s' has run.precision, but a "
                    "comparison pairs the same replications of every "
                    "variant; give a number of replications instead "
                    "(--set run.precision=null -r N)\n", v[i].path);
            status = EXIT_INPUT;
            goto done;
        }
    if (o->show && (status = check_show(o->show, v, n)) != EXIT_OK)
        goto done;
    memset(&d, 0, sizeof d);
    default_dir(v, n, dir, sizeof dir);
    if ((rc = ana_outdir_open(&out, o->output ? o->output : dir, &d))
        != SIM_OK) {
        status = cli__failed(rc, &d);
        goto done;
    }
    opened = 1;
    sim_sig_catch();
    gnuplot = ana_gnuplot_find();
    cli__progress_start(&prog, o);
    prog.all = (unsigned)n * v[0].s->replications;
    for (i = 0; i < n && status == EXIT_OK; i++)
        status = run_variant(o, v, i, n, out.tmp, gnuplot, &prog);
    if (status == EXIT_OK)
        status = finish(o, v, n, &out, gnuplot);
done:
    if (opened)
        ana_outdir_abandon(&out);
    free(gnuplot);
    free_variants(v, n);
    return status;
}

const cli_cmd cli__compare_cmd = {
    "compare", cmd_compare,
    CLI_OUTPUT | CLI_REPS | CLI_SEED | CLI_JOBS | CLI_SET | CLI_QUIET
        | CLI_PLOT | CLI_ALL | CLI_SHOW | CLI_VARIANT | CLI_MANY,
    "A B...", "scenario file",
    "paired comparison of variants with common random numbers",
    "usage: qmesh compare A.yaml B.yaml [C.yaml]... [options]\n"
    "       qmesh compare SCENARIO --variant NAME:KEY=VALUE[,KEY=VALUE]...\n"
    "\n"
    "Run every variant with common random numbers, replication r of each\n"
    "drawing the same random numbers (same seed and replication, one\n"
    "stream per arrival process, service, ...), and compare each with the\n"
    "first, metric by metric (matched by scope and name): its mean and\n"
    "confidence interval, the paired difference from the first with its\n"
    "interval, the unpaired (Welch) interval beside it, and a verdict:\n"
    "better or worse (higher or lower for metrics such as utilization,\n"
    "where neither is better), or indistinguishable when the paired\n"
    "interval holds 0. Metrics only some variants have are listed as new\n"
    "or absent. Writes compare.csv, provenance.csv, compare.png and .svg\n"
    "(gnuplot), and each variant's results folder in variants/NAME/.\n"
    "\n"
    "The first scenario's seed, replications and confidence level (or -s\n"
    "and -r) apply to every variant. A variant is named by its scenario's\n"
    "name, or by NAME for --variant; a name met again gets -2, -3...\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        comparison folder (default\n"
    "                          results/compare-A-B...); replaced as a whole,\n"
    "                          and only if it holds results\n"
    "  -r, --replications N    replications of every variant (at least 2)\n"
    "  -s, --seed N            master seed of every variant\n"
    "  -j, --jobs N            replications in N parallel processes\n"
    "      --set KEY=VALUE     override a key of every variant (repeatable)\n"
    "      --variant NAME:KEY=VALUE,...\n"
    "                          a variant: SCENARIO with these overrides, as\n"
    "                          --set takes them (repeatable); commas inside\n"
    "                          brackets or quotes belong to the value, e.g.\n"
    "                          'slow:workload.0.arrival=poisson(rate=9/s)'\n"
    "  -q, --quiet             no table, no progress\n"
    "      --all               print every row of the table\n"
    "      --show SCOPES       print the rows of these scopes only, as for\n"
    "                          run, e.g. --show 'class:*'\n"
    "      --plot              also draw each variant's own plots\n"
    "  -h, --help              show this text\n"
    "\n"
    "By default the table shows the rows 'qmesh run' shows; compare.csv\n"
    "holds every row. Nothing is corrected for multiplicity: among k\n"
    "metrics that the variants do not change, about (1 - level) k verdicts\n"
    "at level (5% of them at 95%) say better, worse, higher or lower by\n"
    "chance.\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure (a variant's run failed: it is\n"
    "named), 2 bad input or usage. SIGINT or SIGTERM stops the comparison\n"
    "and writes nothing.\n"
};
