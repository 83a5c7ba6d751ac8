/*
 * ana_file.c - atomic writes (mkstemp in the target's folder, then
 * rename), qmesh's temporary names and their clean-up, and CSV fields
 * through libcsv.
 *
 * A temporary's name carries the writer's process id, so a later run can
 * tell a live writer's file (leave it) from one whose writer was killed
 * (kill(pid, 0) fails with ESRCH: remove it). A process id reused since
 * only delays the removal to a later run.
 */
#define _XOPEN_SOURCE 700       /* nftw */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csv.h>
#include "ana_file.h"

#define TMP_TAG ".qmesh-"

/* "a FIFO" for a FIFO: what stands at a path, for refusals. */
static const char *kind_of(mode_t m)
{
    if (S_ISLNK(m))
        return "a symbolic link";
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

int ana_file_tmpname(char *buf, size_t n, const char *path)
{
    const char *base = strrchr(path, '/');
    int len;

    base = base ? base + 1 : path;
    len = snprintf(buf, n, "%.*s.%s" TMP_TAG "%ld-XXXXXX",
                   (int)(base - path), path, base, (long)getpid());
    if (len < 0 || (size_t)len >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* The writer's process id when name is one of qmesh's temporaries
 * (".*.qmesh-PID-*": files and folders of ana_file_tmpname(), and
 * gnuplot's images before their rename), else 0. */
static long tmp_owner(const char *name)
{
    const char *tag = NULL, *p;
    char *end;
    long pid;

    if (name[0] != '.')
        return 0;
    for (p = name; (p = strstr(p, TMP_TAG)) != NULL; p++)
        tag = p;
    if (!tag)
        return 0;
    p = tag + strlen(TMP_TAG);
    if (*p < '0' || *p > '9')
        return 0;
    pid = strtol(p, &end, 10);
    if (*end != '-' || !end[1] || pid <= 0)
        return 0;
    return pid;
}

void ana_file_clean_stale(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char path[4400];

    if (!dp)
        return;
    while ((e = readdir(dp)) != NULL) {
        long pid = tmp_owner(e->d_name);
        if (pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ana_file_remove_tree(path);
    }
    closedir(dp);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 ? -1 : 0;
}

int ana_file_remove_tree(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int ana_file_check_target(const char *path, sim_diag *d)
{
    struct stat st;

    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return sim_diag_set(d, NULL, 0, 0, "refusing to replace '%s': it "
                            "is %s, and qmesh writes results only over "
                            "regular files", path, kind_of(st.st_mode));
    return SIM_OK;
}

/* Folder part of path ("." when none), for the clean-up. */
static void folder_of(char *buf, size_t n, const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(buf, n, ".");
    else if (slash == path)
        snprintf(buf, n, "/");
    else
        snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

int ana_file_open(ana_file *a, const char *dir, const char *name,
                  sim_diag *d)
{
    char folder[4096];
    mode_t mask;
    int fd = -1, rc;

    if (dir)
        snprintf(a->path, sizeof a->path, "%s/%s", dir, name);
    else
        snprintf(a->path, sizeof a->path, "%s", name);
    a->f = NULL;
    if ((rc = ana_file_check_target(a->path, d)) != SIM_OK)
        return rc;
    folder_of(folder, sizeof folder, a->path);
    ana_file_clean_stale(folder);
    if (ana_file_tmpname(a->tmp, sizeof a->tmp, a->path) == 0)
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
    if (rc == SIM_OK)
        rc = ana_file_check_target(a->path, d);  /* it may be new */
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
