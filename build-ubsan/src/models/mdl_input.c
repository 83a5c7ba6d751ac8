/*
 * mdl_input.c - checked opening of input files.
 *
 * The file is opened with O_NONBLOCK, so that opening a FIFO with no
 * writer returns at once instead of waiting, and fstat() on the open
 * descriptor (not on the path, which could be replaced in between) decides
 * whether it is a regular file and small enough. O_NONBLOCK is then
 * cleared: it means nothing for a regular file, but stdio should not see
 * it. mdl_input_read() also stops at MDL_INPUT_MAX + 1 bytes, in case the
 * file grows while it is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../sim/sim_err.h"
#include "mdl_input.h"

/* What kind of file st describes, for the message. */
static const char *file_kind(const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return "a directory";
    if (S_ISFIFO(st->st_mode))
        return "a pipe";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "a device";
    if (S_ISSOCK(st->st_mode))
        return "a socket";
    return "not a regular file";
}

static int too_big(const char *path, const char *what, char *err,
                   size_t errlen)
{
    snprintf(err, errlen, "%s '%s' is larger than %zu MiB, the most qmesh "
             "reads", what, path, MDL_INPUT_MAX >> 20);
    return SIM_EPARSE;
}

/* Open path as a checked descriptor; *size gets its size in bytes. */
static int open_checked(const char *path, const char *what, int *fd_out,
                        size_t *size, char *err, size_t errlen)
{
    struct stat st;
    int fd, flags;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s '%s': %s", what, path,
                 strerror(errno));
        return SIM_EPARSE;
    }
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open %s '%s': %s", what, path,
                 strerror(errno));
        close(fd);
        return SIM_EPARSE;
    }
    if (!S_ISREG(st.st_mode)) {
        const char *kind = file_kind(&st);

        snprintf(err, errlen, "cannot read %s '%s': it is %s%s", what, path,
                 kind, strcmp(kind, "not a regular file") == 0
                       ? "" : ", not a regular file");
        close(fd);
        return SIM_EPARSE;
    }
    if ((unsigned long long)st.st_size > MDL_INPUT_MAX) {
        close(fd);
        return too_big(path, what, err, errlen);
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        snprintf(err, errlen, "cannot open %s '%s': %s", what, path,
                 strerror(errno));
        close(fd);
        return SIM_EPARSE;
    }
    *fd_out = fd;
    *size = (size_t)st.st_size;
    return SIM_OK;
}

int mdl_input_open(const char *path, const char *what, FILE **f, char *err,
                   size_t errlen)
{
    size_t size;
    int fd, rc = open_checked(path, what, &fd, &size, err, errlen);

    *f = NULL;
    if (rc != SIM_OK)
        return rc;
    if (!(*f = fdopen(fd, "rb"))) {
        close(fd);
        return SIM_ENOMEM;
    }
    return SIM_OK;
}

int mdl_input_read(const char *path, const char *what, char **text,
                   size_t *len, char *err, size_t errlen)
{
    size_t size, cap, got = 0;
    char *buf, *grown;
    int fd, rc = open_checked(path, what, &fd, &size, err, errlen);

    *text = NULL;
    *len = 0;
    if (rc != SIM_OK)
        return rc;
    /* One byte for the NUL and one to notice growth past the limit. */
    cap = size + 2;
    if (!(buf = malloc(cap))) {
        close(fd);
        return SIM_ENOMEM;
    }
    for (;;) {
        ssize_t r;

        if (got + 1 == cap) {
            size_t more = cap > MDL_INPUT_MAX / 2 ? MDL_INPUT_MAX + 2 : 2 * cap;

            if (more <= cap || !(grown = realloc(buf, more))) {
                free(buf);
                close(fd);
                return more <= cap ? too_big(path, what, err, errlen)
                                   : SIM_ENOMEM;
            }
            buf = grown;
            cap = more;
        }
        r = read(fd, buf + got, cap - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read %s '%s': %s", what, path,
                     strerror(errno));
            free(buf);
            close(fd);
            return SIM_EPARSE;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got > MDL_INPUT_MAX) {
            free(buf);
            close(fd);
            return too_big(path, what, err, errlen);
        }
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return SIM_OK;
}
