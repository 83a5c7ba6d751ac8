/*
 * sim_rep.c - replications in worker processes.
 *
 * Worker k of J runs replications k, k+J, k+2J, ... and writes each as a
 * record (index, status, len doubles) to its own pipe. The parent polls
 * the pipes and stores records by index, so the order of arrival does not
 * matter. Processes rather than threads: GSL and igraph state stays
 * private to each worker and a crash in one replication is reported, not
 * shared. Doubles cross the pipe as raw bytes, so nothing is rounded.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim_err.h"
#include "sim_rep.h"

typedef struct rec_head {
    uint32_t rep;
    int32_t status;
} rec_head;

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Read exactly n bytes; returns 1 at a clean end of file before any byte,
 * 0 on success, -1 on error or a short record. */
static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;

    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return got == 0 ? 1 : -1;
        got += (size_t)r;
    }
    return 0;
}

static void worker(int fd, unsigned k, unsigned jobs, unsigned nreps,
                   size_t len, sim_rep_fn fn, void *ctx)
{
    double *out = malloc((len ? len : 1) * sizeof *out);
    unsigned r;
    int code = 0;

    if (!out)
        _exit(3);
    for (r = k; r < nreps; r += jobs) {
        rec_head h = {r, fn(ctx, r, out)};
        if (write_all(fd, &h, sizeof h) < 0
            || write_all(fd, out, len * sizeof *out) < 0) {
            code = 4;
            break;
        }
        if (h.status != SIM_OK)
            break;
    }
    free(out);
    close(fd);
    _exit(code);
}

static int run_serial(unsigned nreps, size_t len, sim_rep_fn fn, void *ctx,
                      double *results, sim_rep_progress progress, void *pctx)
{
    unsigned r;

    for (r = 0; r < nreps; r++) {
        int rc = fn(ctx, r, results + (size_t)r * len);
        if (rc != SIM_OK)
            return rc;
        if (progress)
            progress(pctx, r + 1, nreps);
    }
    return SIM_OK;
}

int sim_rep_run(unsigned nreps, unsigned jobs, size_t len, sim_rep_fn fn,
                void *ctx, double *results, sim_rep_progress progress,
                void *progress_ctx)
{
    struct pollfd *fds = NULL;
    pid_t *pids = NULL;
    unsigned k, started = 0, open_fds, done = 0;
    int rc = SIM_OK;

    if (jobs > nreps)
        jobs = nreps;
    if (jobs <= 1)
        return run_serial(nreps, len, fn, ctx, results, progress,
                          progress_ctx);
    fds = calloc(jobs, sizeof *fds);
    pids = calloc(jobs, sizeof *pids);
    if (!fds || !pids) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    fflush(NULL);       /* or buffered output would be written twice */
    for (k = 0; k < jobs; k++) {
        int p[2];
        if (pipe(p) < 0) {
            rc = SIM_EIO;
            goto fail;
        }
        pids[k] = fork();
        if (pids[k] < 0) {
            close(p[0]);
            close(p[1]);
            rc = SIM_EIO;
            goto fail;
        }
        if (pids[k] == 0) {
            unsigned j;
            close(p[0]);
            for (j = 0; j < k; j++)
                close(fds[j].fd);
            worker(p[1], k, jobs, nreps, len, fn, ctx);
        }
        close(p[1]);
        fds[k].fd = p[0];
        fds[k].events = POLLIN;
        started++;
    }
    open_fds = started;
    while (open_fds > 0) {
        if (poll(fds, started, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = SIM_EIO;
            break;
        }
        for (k = 0; k < started; k++) {
            rec_head h;
            int got;
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP)))
                continue;
            got = read_all(fds[k].fd, &h, sizeof h);
            if (got == 0 && h.rep < nreps
                && read_all(fds[k].fd, results + (size_t)h.rep * len,
                            len * sizeof *results) == 0) {
                if (h.status != SIM_OK && rc == SIM_OK)
                    rc = h.status;
                done++;
                if (progress && h.status == SIM_OK)
                    progress(progress_ctx, done, nreps);
                continue;
            }
            if (got != 1 && rc == SIM_OK)
                rc = SIM_EIO;
            close(fds[k].fd);
            fds[k].fd = -1;
            open_fds--;
        }
    }
fail:
    for (k = 0; k < started; k++) {
        int status;
        if (fds[k].fd >= 0)
            close(fds[k].fd);
        if (rc != SIM_OK)
            kill(pids[k], SIGTERM);
        if (waitpid(pids[k], &status, 0) < 0
            || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (rc == SIM_OK)
                rc = SIM_EIO;
        }
    }
    if (rc == SIM_OK && done != nreps)
        rc = SIM_EIO;
    free(fds);
    free(pids);
    return rc;
}
