/*
 * ana_outdir.c - the results folder of ana_outdir.h.
 *
 * Commit: rename() when the target is missing; otherwise Linux's
 * renameat2(RENAME_EXCHANGE) swaps the two folders in one step and the
 * old one, now under the temporary name, is removed. Where the exchange
 * is not available (another kernel, a file system without it) the old
 * folder is first renamed aside: for an instant the target is missing,
 * but it is still never a mix of two runs.
 */
#define _GNU_SOURCE             /* renameat2, RENAME_EXCHANGE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ana_file.h"
#include "ana_outdir.h"

static const char *const MARKS[] = {
    "provenance.csv", "summary.csv", "sweep.csv"
};

/* 1 when folder dir holds nothing, or one of the files a run writes;
 * 0 for a `qmesh sweep` folder (manifest.csv), whose finished points
 * took hours and are not replaced as a whole; -1 for other files. */
static int replaceable(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int empty = 1, ours = 0, sweep = 0;
    size_t i;

    if (!dp)
        return -1;
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        empty = 0;
        sweep |= !strcmp(e->d_name, "manifest.csv");
        for (i = 0; i < sizeof MARKS / sizeof *MARKS; i++)
            ours |= !strcmp(e->d_name, MARKS[i]);
    }
    closedir(dp);
    return sweep ? 0 : empty || ours ? 1 : -1;
}

/* SIM_OK when the target may be replaced (or is missing). */
static int check_target(const char *path, sim_diag *d)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? SIM_OK
             : (sim_diag_set(d, NULL, 0, 0, "cannot use results folder "
                             "'%s': %s", path, strerror(errno)), SIM_EIO);
    if (S_ISLNK(st.st_mode))
        return sim_diag_set(d, NULL, 0, 0, "results folder '%s' is a "
                            "symbolic link: give the folder it points to",
                            path);
    if (!S_ISDIR(st.st_mode))
        return sim_diag_set(d, NULL, 0, 0, "results folder '%s' exists and "
                            "is not a folder", path);
    switch (replaceable(path)) {
    case 0:
        return sim_diag_set(d, NULL, 0, 0, "'%s' is the folder of a qmesh "
                            "sweep (it holds manifest.csv), which a run "
                            "would replace as a whole: choose another "
                            "with -o", path);
    case -1:
        return sim_diag_set(d, NULL, 0, 0, "'%s' holds files but no qmesh "
                            "results, and a run replaces its results "
                            "folder as a whole: choose another with -o",
                            path);
    }
    return SIM_OK;
}

int ana_outdir_open(ana_outdir *o, const char *path, sim_diag *d)
{
    char parent[4096];
    const char *slash;
    mode_t mask;
    size_t len = strlen(path);
    int rc;

    o->tmp[0] = '\0';
    while (len > 1 && path[len - 1] == '/')
        len--;                              /* "out/" is "out" */
    if (len == 0)
        return sim_diag_set(d, NULL, 0, 0, "the results folder name is "
                            "empty");
    if (len >= sizeof o->path)
        return sim_diag_set(d, NULL, 0, 0, "results folder name too long "
                            "(%zu characters)", len);
    memcpy(o->path, path, len);
    o->path[len] = '\0';
    slash = strrchr(o->path, '/');
    if (!strcmp(slash ? slash + 1 : o->path, ".")
        || !strcmp(slash ? slash + 1 : o->path, ".."))
        return sim_diag_set(d, NULL, 0, 0, "results folder '%s' must name "
                            "a folder of its own, not '.' or '..'", path);
    if ((rc = check_target(o->path, d)) != SIM_OK)
        return rc;
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s",
                 slash == o->path ? 1 : (int)(slash - o->path), o->path);
    if (ana_file_mkdirs(parent) < 0) {
        sim_diag_set(d, NULL, 0, 0, "cannot create folder '%s': %s", parent,
                     strerror(errno));
        return SIM_EIO;
    }
    ana_file_clean_stale(parent);
    if (ana_file_tmpname(o->tmp, sizeof o->tmp, o->path) < 0
        || !mkdtemp(o->tmp)) {
        int err = errno;
        o->tmp[0] = '\0';
        sim_diag_set(d, NULL, 0, 0, "cannot write into folder '%s': %s",
                     parent, strerror(err));
        return SIM_EIO;
    }
    mask = umask(0);
    umask(mask);
    chmod(o->tmp, 0777 & ~mask);            /* mkdtemp gives 0700 */
    return SIM_OK;
}

/* Put the new folder in place of an existing target; the old one ends
 * up at o->tmp. */
static int swap_in(ana_outdir *o)
{
    char aside[4200];

#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
#endif
    if (ana_file_tmpname(aside, sizeof aside, o->path) < 0 || !mkdtemp(aside))
        return -1;
    if (rename(o->path, aside) < 0) {
        rmdir(aside);
        return -1;
    }
    if (rename(o->tmp, o->path) < 0) {
        int err = errno;
        rename(aside, o->path);             /* put the old one back */
        errno = err;
        return -1;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s", aside);
    return 0;
}

int ana_outdir_commit(ana_outdir *o, sim_diag *d)
{
    struct stat st;
    int rc = check_target(o->path, d), moved;   /* it may have changed */

    if (rc == SIM_OK) {
        if (lstat(o->path, &st) < 0) {
            moved = rename(o->tmp, o->path);
            if (moved == 0)
                o->tmp[0] = '\0';
        } else {
            moved = swap_in(o);     /* o->tmp: the old folder, to remove */
        }
        if (moved < 0) {
            sim_diag_set(d, NULL, 0, 0, "cannot put results folder '%s' in "
                         "place: %s", o->path, strerror(errno));
            rc = SIM_EIO;
        }
    }
    ana_outdir_abandon(o);
    return rc;
}

void ana_outdir_abandon(ana_outdir *o)
{
    if (o->tmp[0])
        ana_file_remove_tree(o->tmp);
    o->tmp[0] = '\0';
}
