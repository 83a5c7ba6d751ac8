/*
 * sim_rep.c - replications in worker processes.
 *
 * Worker k of J runs replications k, k+J, k+2J, ... and writes each as a
 * record to its own pipe: (index, status), then len doubles when the
 * status is SIM_OK, or the replication's sim_diag when it is not. The
 * parent polls the pipes and stores records by index, so the order of
 * arrival does not matter. Processes rather than threads: GSL and igraph
 * state stays private to each worker and a crash in one replication is
 * reported, not shared. Doubles cross the pipe as raw bytes, so nothing
 * is rounded.
 *
 * Stopping: on a failed replication or a stop request the parent kills
 * every worker, then reads what the pipes still hold: whole records count,
 * a record cut short by the kill does not. A worker asks the kernel for
 * SIGKILL when its parent dies (Linux's PR_SET_PDEATHSIG), so a killed
 * qmesh leaves no worker running on, and takes the default action for
 * SIGINT and SIGTERM rather than the handler it inherited.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "sim_rep.h"
#include "sim_sig.h"

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

static size_t len_of(const sim_rep *r, unsigned i)
{
    return r->offset ? r->offset[i + 1] - r->offset[i] : r->len;
}

static double *out_of(const sim_rep *r, unsigned i)
{
    if (r->out)
        return r->out[i];
    return r->results + (r->offset ? r->offset[i] : (size_t)i * r->len);
}

static void worker(int fd, unsigned k, unsigned jobs, const sim_rep *r,
                   pid_t parent)
{
    size_t most = 1;
    double *out;
    unsigned i;
    int code = 0;

    for (i = k; i < r->nreps; i += jobs)
        if (len_of(r, i) > most)
            most = len_of(r, i);
    out = malloc(most * sizeof *out);

    sim_sig_default();
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent || !out)    /* the parent died before prctl */
        _exit(3);
    for (i = k; i < r->nreps; i += jobs) {
        struct { rec_head h; sim_diag d; } fail;
        rec_head h;
        memset(&fail, 0, sizeof fail);
        h.rep = i;
        h.status = r->fn(r->ctx, i, out, &fail.d);
        fail.h = h;
        /* A failure goes in one write, shorter than PIPE_BUF, so the
         * pipe takes it whole or not at all. */
        _Static_assert(sizeof fail == sizeof(rec_head) + sizeof(sim_diag)
                       && sizeof fail <= PIPE_BUF, "one atomic record");
        if (h.status == SIM_OK
            ? write_all(fd, &h, sizeof h) < 0
              || write_all(fd, out, len_of(r, i) * sizeof *out) < 0
            : write_all(fd, &fail, sizeof fail) < 0) {
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

static void mark_done(sim_rep *r, unsigned i)
{
    r->done[i] = 1;
    r->ndone++;
    if (r->finished)
        r->finished(r->finished_ctx, i);
    if (r->progress)
        r->progress(r->progress_ctx, r->ndone, r->nreps);
}

static int run_serial(sim_rep *r)
{
    unsigned i;

    for (i = 0; i < r->nreps; i++) {
        int rc = sim_sig_caught ? SIM_EINTR
               : r->fn(r->ctx, i, out_of(r, i), &r->diag);
        if (rc != SIM_OK) {
            r->failed = i;
            return rc;
        }
        mark_done(r, i);
    }
    return SIM_OK;
}

/* Take one record from fd. Returns 1 when one was stored, 0 at the end
 * of the pipe (or a record cut short), -1 when the record reports a
 * failed replication (*rc and r->diag set). */
static int take_record(sim_rep *r, int fd, int *rc)
{
    rec_head h;
    sim_diag d;

    if (read_all(fd, &h, sizeof h) != 0 || h.rep >= r->nreps)
        return 0;
    if (h.status == SIM_OK) {
        if (read_all(fd, out_of(r, h.rep),
                     len_of(r, h.rep) * sizeof *r->results) != 0)
            return 0;
        mark_done(r, h.rep);
        return 1;
    }
    if (read_all(fd, &d, sizeof d) != 0)
        return 0;               /* cut short by the kill */
    d.file[sizeof d.file - 1] = d.msg[sizeof d.msg - 1] = '\0';
    if (*rc == SIM_OK) {
        *rc = h.status;
        r->failed = h.rep;
        r->diag = d;
    }
    return -1;
}

int sim_rep_run(sim_rep *r)
{
    struct pollfd *fds = NULL;
    pid_t *pids = NULL, self = getpid();
    unsigned k, started = 0, open_fds, jobs = r->jobs;
    int rc = SIM_OK, stop = 0;

    r->ndone = 0;
    memset(r->done, 0, r->nreps);
    memset(&r->diag, 0, sizeof r->diag);
    if (jobs > r->nreps)
        jobs = r->nreps;
    if (jobs <= 1)
        return run_serial(r);
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
            worker(p[1], k, jobs, r, self);
        }
        close(p[1]);
        fds[k].fd = p[0];
        fds[k].events = POLLIN;
        started++;
    }
    open_fds = started;
    while (open_fds > 0 && !stop) {
        if (sim_sig_caught) {
            rc = SIM_EINTR;
            break;
        }
        if (poll(fds, started, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = SIM_EIO;
            break;
        }
        for (k = 0; k < started && !stop; k++) {
            int got;
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP)))
                continue;
            got = take_record(r, fds[k].fd, &rc);
            if (got > 0)
                continue;
            stop = got < 0;
            close(fds[k].fd);
            fds[k].fd = -1;
            open_fds--;
        }
    }
fail:
    if (rc != SIM_OK)
        for (k = 0; k < started; k++)
            kill(pids[k], SIGKILL);
    for (k = 0; k < started; k++) {
        int status;
        if (fds[k].fd >= 0) {
            /* Finished before the kill: still counts. A failure read now
             * leaves the first one's status and message as they are. */
            while (take_record(r, fds[k].fd, &rc) > 0)
                ;
            close(fds[k].fd);
        }
        while (waitpid(pids[k], &status, 0) < 0)
            if (errno != EINTR) {
                status = -1;
                break;
            }
        if (rc == SIM_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
            rc = SIM_EIO;
    }
    if (rc == SIM_OK && r->ndone != r->nreps)
        rc = sim_sig_caught ? SIM_EINTR : SIM_EIO;
    if (rc == SIM_EINTR && r->ndone == r->nreps)
        rc = SIM_OK;            /* the request came after the last one */
    free(fds);
    free(pids);
    return rc;
}
