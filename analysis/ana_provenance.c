/*
 * ana_provenance.c - provenance.csv (ana_provenance.h). SHA-256 comes
 * from nettle; the file is read in blocks, so its size does not matter.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <nettle/sha2.h>
#include "ana_file.h"
#include "ana_provenance.h"

int ana_sha256_file(const char *path, char hex[65])
{
    unsigned char buf[65536], dig[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    FILE *f = fopen(path, "rb");
    size_t n, i;
    int bad;

    hex[0] = '\0';
    if (!f)
        return -1;
    sha256_init(&ctx);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&ctx, n, buf);
    bad = ferror(f);
    fclose(f);
    if (bad) {
        errno = EIO;
        return -1;
    }
    sha256_digest(&ctx, sizeof dig, dig);
    for (i = 0; i < sizeof dig; i++)
        snprintf(hex + 2 * i, 3, "%02x", dig[i]);
    return 0;
}

static void row(FILE *f, const char *key, const char *value)
{
    ana_csv_str(f, key);
    fputc(',', f);
    ana_csv_str(f, value);
    fputc('\n', f);
}

static void hash_row(FILE *f, const char *key, const char *path)
{
    char hex[65];

    row(f, key, ana_sha256_file(path, hex) == 0 ? hex : "");
}

/* A failure: "FROM TO MODE TARGET" (s), for the time-series plot; only
 * those with a window (at, for), not those of the whole run. */
static void failure_row(FILE *f, const mdl_scenario *s, const mdl_failure *x)
{
    const mdl_topology *t = s->topo;
    double end = s->warmup + s->duration, to = x->at + x->len;
    char buf[1200];

    if (x->mode == MDL_FAIL_UPDOWN || (x->at == 0 && !(x->len < end)))
        return;
    if (x->service >= 0)
        snprintf(buf, sizeof buf, "%.10g %.10g %s %s", x->at,
                 to < end ? to : end, mdl_fail_mode_name(x->mode),
                 t->services[x->service].name);
    else
        snprintf(buf, sizeof buf, "%.10g %.10g %s %s->%s", x->at,
                 to < end ? to : end, mdl_fail_mode_name(x->mode),
                 t->services[t->edges[x->edge].from].name,
                 t->services[t->edges[x->edge].to].name);
    row(f, "failure", buf);
}

int ana_provenance_write(const char *dir, const ana_provenance *p,
                         sim_diag *d)
{
    size_t i;
    char num[32], date[32];
    time_t now = time(NULL);
    struct tm tm;
    ana_file a;
    int rc = ana_file_open(&a, dir, "provenance.csv", d);

    if (rc != SIM_OK)
        return rc;
    fputs("key,value\n", a.f);
    row(a.f, "qmesh_version", PACKAGE_VERSION);
    row(a.f, "command", p->command);
    row(a.f, "name", p->name ? p->name : p->s->name);
    row(a.f, "scenario", p->s->path);
    hash_row(a.f, "scenario_sha256", p->s->path);
    row(a.f, "topology", p->s->topo->path);
    hash_row(a.f, "topology_sha256", p->s->topo->path);
    snprintf(num, sizeof num, "%llu", (unsigned long long)p->s->seed);
    row(a.f, "seed", num);
    snprintf(num, sizeof num, "%u", p->replications);
    row(a.f, "replications", num);
    snprintf(num, sizeof num, "%u", p->done);
    row(a.f, "replications_done", num);
    if (p->load)
        row(a.f, "load", p->load);
    if (gmtime_r(&now, &tm) && strftime(date, sizeof date,
                                        "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        row(a.f, "date", date);
    row(a.f, "complete", p->partial ? "no" : "yes");
    if (p->partial)
        row(a.f, "partial", p->partial);
    if (p->precision)
        row(a.f, "precision", p->precision);
    if (p->warmup_auto)
        row(a.f, "warmup_auto", p->warmup_auto);
    for (i = 0; i < p->nvariants; i++)
        row(a.f, "variant", p->variants[i]);
    for (i = 0; !p->variants && i < p->s->nfailures; i++)
        failure_row(a.f, p->s, &p->s->failures[i]);
    return ana_file_close(&a, SIM_OK, d);
}
