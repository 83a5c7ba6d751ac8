/*
 * ana_gnuplot.c - finding gnuplot and running it on a script
 * (ana_gnuplot.h).
 *
 * gnuplot runs as a child process in the script's folder, its standard
 * input from /dev/null so that a script cannot wait for a key. The
 * script names its images with the variable out_prefix: qmesh passes
 * `-e "out_prefix='.NAME.qmesh-PID-'"` and renames the images into
 * place, so images too are replaced atomically, like every file; images
 * left by a killed run carry the temporary name, so a later run removes
 * them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ana_file.h"
#include "ana_gnuplot.h"

#define ANA_GNUPLOT_PATH 4096

char *ana_gnuplot_find(void)
{
    const char *path = getenv("PATH"), *s, *e;
    char buf[ANA_GNUPLOT_PATH];
    struct stat st;

    if (!path)
        return NULL;
    for (s = path; ; s = e + 1) {
        e = strchr(s, ':');
        if (!e)
            e = s + strlen(s);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", e > s ? (int)(e - s) : 1,
                 e > s ? s : ".");
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)
            && access(buf, X_OK) == 0)
            return strdup(buf);
        if (!*e)
            return NULL;
    }
}

int ana_gnuplot_render(const char *dir, const char *gnuplot,
                       const char *name, sim_diag *d)
{
    static const char *const ext[] = {"png", "svg"};
    char prefix[128], arg[160], script[128];
    char tmp[ANA_GNUPLOT_PATH], fin[ANA_GNUPLOT_PATH];
    int wst, i, rc = SIM_OK;
    pid_t pid;

    snprintf(prefix, sizeof prefix, ".%s.qmesh-%ld-", name, (long)getpid());
    snprintf(arg, sizeof arg, "out_prefix='%s'", prefix);
    snprintf(script, sizeof script, "%s.gp", name);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return sim_diag_set(d, NULL, 0, 0, "cannot run gnuplot: %s",
                            strerror(errno)), SIM_EIO;
    if (pid == 0) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            close(fd);
        }
        if (chdir(dir) == 0)
            execl(gnuplot, "gnuplot", "-e", arg, script, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, &wst, 0) < 0)
        if (errno != EINTR)
            return sim_diag_set(d, NULL, 0, 0, "cannot run gnuplot: %s",
                                strerror(errno)), SIM_EIO;
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        sim_diag_set(d, NULL, 0, 0, "gnuplot failed on '%s/%s' (%s %d)",
                     dir, script, WIFEXITED(wst) ? "exit status" : "signal",
                     WIFEXITED(wst) ? WEXITSTATUS(wst) : WTERMSIG(wst));
        rc = SIM_EIO;
    }
    for (i = 0; i < 2; i++) {
        snprintf(tmp, sizeof tmp, "%s/%s%s.%s", dir, prefix, name, ext[i]);
        snprintf(fin, sizeof fin, "%s/%s.%s", dir, name, ext[i]);
        if (rc == SIM_OK)
            rc = ana_file_check_target(fin, d);
        if (rc == SIM_OK && rename(tmp, fin) != 0) {
            sim_diag_set(d, NULL, 0, 0, "gnuplot wrote no '%s': %s", fin,
                         strerror(errno));
            rc = SIM_EIO;
        }
        unlink(tmp);
    }
    return rc;
}
