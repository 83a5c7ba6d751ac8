/*
 * ana_file.c - atomic writes (mkstemp in the target's folder, then
 * rename) and CSV fields through libcsv.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csv.h>
#include "ana_file.h"

int ana_file_open(ana_file *a, const char *dir, const char *name,
                  sim_diag *d)
{
    const char *base;
    mode_t mask;
    int fd;

    if (dir)
        snprintf(a->path, sizeof a->path, "%s/%s", dir, name);
    else
        snprintf(a->path, sizeof a->path, "%s", name);
    base = strrchr(a->path, '/');
    base = base ? base + 1 : a->path;
    snprintf(a->tmp, sizeof a->tmp, "%.*s.%s.XXXXXX",
             (int)(base - a->path), a->path, base);
    a->f = NULL;
    fd = mkstemp(a->tmp);
    if (fd >= 0) {
        mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) != 0 || !(a->f = fdopen(fd, "w"))) {
            int err = errno;
            close(fd);
            unlink(a->tmp);
            errno = err;
        }
    }
    if (!a->f) {
        sim_diag_set(d, NULL, 0, 0, "cannot write '%s': %s", a->path,
                     strerror(errno));
        return SIM_EIO;
    }
    return SIM_OK;
}

int ana_file_close(ana_file *a, int rc, sim_diag *d)
{
    int bad = ferror(a->f);

    if (fclose(a->f) != 0)
        bad = 1;
    a->f = NULL;
    if (rc == SIM_OK && (bad || rename(a->tmp, a->path) != 0)) {
        sim_diag_set(d, NULL, 0, 0, "cannot write '%s': %s", a->path,
                     strerror(errno ? errno : EIO));
        rc = SIM_EIO;
    }
    if (rc != SIM_OK)
        unlink(a->tmp);
    return rc;
}

int ana_file_mkdirs(const char *dir)
{
    char buf[4096];
    size_t i, n = strlen(dir);

    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) < 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    return 0;
}

void ana_csv_str(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n"))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
}

void ana_csv_num(FILE *f, double x)
{
    if (!isnan(x))
        fprintf(f, "%.10g", x);
}

void ana_csv_row(FILE *f, const char *scope, const char *metric, size_t n,
                 const double *x)
{
    size_t i;

    ana_csv_str(f, scope);
    fputc(',', f);
    ana_csv_str(f, metric);
    for (i = 0; i < n; i++) {
        fputc(',', f);
        ana_csv_num(f, x[i]);
    }
    fputc('\n', f);
}
