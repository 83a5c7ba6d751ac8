/*
 * ana_mpi.c - replications over the ranks of an MPI job (ana_mpi.h),
 * built only by ./configure --with-mpi (ana_mpi_none.c otherwise).
 *
 * Messages, each between rank 0 and one worker, as MPI_BYTE:
 *
 *   POOL    0 -> w   pool id, model count, then per model its result
 *                    length (doubles) and its recipe
 *   TASK    0 -> w   pool id, task, model, replication
 *   CANCEL  0 -> w   pool id: cut that pool's task in flight short
 *   STOP    0 -> w   leave the job
 *   RESULT  w -> 0   pool id, task, status, seconds spent making the
 *                    model and running it (and of CPU running it); then
 *                    the result vector (SIM_OK) or the sim_diag
 *
 * Rank 0 sends POOL to every worker, one TASK to each, then, as each
 * RESULT comes in, that worker's next TASK before it stores the result
 * and tells the callbacks (which may write a point's files while the
 * worker goes on). On a failure or a stop request it sends CANCEL to
 * every busy worker and waits for each task in flight: a result that
 * came whole still counts, one cut short says SIM_EINTR. So no message
 * is left over when a pool ends, and a worker never waits on a send.
 *
 * A worker:
 *
 *                 POOL: take_pool() keeps the pool's recipes
 *                 CANCEL: the pool is noted cancelled (its tasks yet
 *                         to come answer SIM_EINTR at once)
 *                +------+
 *                |      |
 *                v      |
 *   serve() --> waiting, in await() --TASK--> run_task(): model_of()
 *                |   ^                        (cached, or made from its
 *                |   +---- RESULT sent ------ recipe), mdl_net_run()
 *                |
 *               STOP: MPI_Finalize(), exit status 0
 *
 * While a replication runs, the model's progress hook (every 65536
 * requests) probes for CANCEL (watch()); when it names the running
 * pool, it raises a stop request (sim_sig_set()) that the calendar sees
 * at its next clock move, and the replication returns SIM_EINTR.
 *
 * Waiting: MPI's blocking calls spin on a core. Here each side probes
 * and sleeps between probes, doubling from 1 us to a cap (rank 0 during
 * a pool: a hundredth of a task's mean time, from 20 us to 2 ms; an
 * idle worker: 1 ms), so that an idle rank costs next to no CPU and an
 * oversubscribed node keeps its cores for simulating.
 */
#include <mpi.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "../models/mdl_net.h"
#include "../sim/sim_sig.h"
#include "ana_mpi.h"
#include "ana_recipe.h"
#include "ana_run.h"

enum { TAG_POOL = 1, TAG_TASK, TAG_CANCEL, TAG_STOP, TAG_RESULT };

#define CACHE 32                /* models a worker keeps */
/* Rank 0's longest sleep in a pool is a hundredth of a task's mean
 * time (so that handing out costs at most 1%), within these bounds, ns;
 * an idle worker's is WAIT_IDLE. */
#define WAIT_MIN 20000L
#define WAIT_MAX 2000000L
#define WAIT_IDLE 1000000L

typedef struct task_msg {
    uint32_t pool, task, model, rep;
} task_msg;

typedef struct result_head {
    uint32_t pool, task;
    int32_t status, pad;
    double make, run, cpu;      /* s */
} result_head;

/* What rank 0's pools cost, for QMESH_MPI_STATS. */
typedef struct stats {
    unsigned long pools, tasks, returned;
    double sent, got;           /* bytes */
    double t_pools;             /* s in ana_mpi_run() */
    double t_comm;              /* s in MPI_Send and MPI_Recv */
    double t_tell;              /* s storing results, in the callbacks */
    double w_make, w_run;       /* s on the workers */
    double w_cpu;               /* s of CPU running */
} stats;

static struct {
    int on;                     /* MPI_Init() done here */
    int rank, size;
    pid_t pid;                  /* rank 0's process */
    int stopped;
    uint32_t pool;              /* the last pool's id */
    unsigned char *busy;        /* per rank: a task is out */
    unsigned out;               /* tasks out */
    stats st;
} mpi;

static double clock_s(clockid_t c)
{
    struct timespec t;

    clock_gettime(c, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* Probe for a message from src with tag, sleeping between probes (up to
 * cap ns). Returns 1 with *st; 0 when watch is set and a stop request
 * came first. */
static int await(int src, int tag, MPI_Status *st, long cap, int watch)
{
    long ns = 1000;
    int flag, spins = 0;

    for (;;) {
        MPI_Iprobe(src, tag, MPI_COMM_WORLD, &flag, st);
        if (flag)
            return 1;
        if (watch && sim_sig_caught)
            return 0;
        if (++spins < 16)
            continue;
        {
            struct timespec t = {0, ns};
            nanosleep(&t, NULL);    /* a signal ends it early: fine */
        }
        ns = 2 * ns < cap ? 2 * ns : cap;
    }
}

static void send_to(int to, int tag, const void *buf, size_t n)
{
    double t0 = now();

    MPI_Send(buf, (int)n, MPI_BYTE, to, tag, MPI_COMM_WORLD);
    mpi.st.t_comm += now() - t0;
    mpi.st.sent += (double)n;
}

/* ---- rank 0 ---- */

static size_t len_of(const sim_rep *r, size_t t)
{
    return r->offset ? r->offset[t + 1] - r->offset[t] : r->len;
}

static double *out_of(const sim_rep *r, size_t t)
{
    if (r->out)
        return r->out[t];
    return r->results + (r->offset ? r->offset[t] : t * r->len);
}

static size_t model_of_task(const ana_mpi_models *m, size_t t)
{
    return ana_run_task_owner(m->first, m->n, t);
}

/* The POOL message of r and m into *buf (owned by the caller) of *n
 * bytes; *most gets the longest result vector. */
static int pack_pool(const sim_rep *r, const ana_mpi_models *m,
                     unsigned char **buf, size_t *n, size_t *most)
{
    unsigned char **rec = calloc(m->n + 1, sizeof *rec), *p;
    size_t *rlen = calloc(m->n + 1, sizeof *rlen), i, total = 8;
    int rc = rec && rlen ? SIM_OK : SIM_ENOMEM;

    *buf = NULL;
    *most = 0;
    for (i = 0; i < m->n && rc == SIM_OK; i++) {
        rc = ana_recipe_pack(m->s[i], &rec[i], &rlen[i]);
        total += 16 + rlen[i];
    }
    if (rc == SIM_OK && !(*buf = malloc(total)))
        rc = SIM_ENOMEM;
    if (rc == SIM_OK) {
        uint32_t head[2] = {mpi.pool, (uint32_t)m->n};
        memcpy(*buf, head, sizeof head);
        p = *buf + sizeof head;
        for (i = 0; i < m->n; i++) {
            uint64_t x[2];
            x[0] = m->first[i] < m->first[i + 1]
                   ? len_of(r, m->first[i]) : 0;
            x[1] = rlen[i];
            if (x[0] > *most)
                *most = x[0];
            memcpy(p, x, sizeof x);
            memcpy(p + sizeof x, rec[i], rlen[i]);
            p += sizeof x + rlen[i];
        }
        *n = total;
    }
    for (i = 0; rec && i < m->n; i++)
        free(rec[i]);
    free(rec);
    free(rlen);
    return rc;
}

static void give(int w, size_t t, const ana_mpi_models *m)
{
    size_t i = model_of_task(m, t);
    task_msg x;

    x.pool = mpi.pool;
    x.task = (uint32_t)t;
    x.model = (uint32_t)i;
    x.rep = (uint32_t)(m->base + (t - m->first[i]));
    send_to(w, TAG_TASK, &x, sizeof x);
    mpi.busy[w] = 1;
    mpi.out++;
    mpi.st.tasks++;
}

static void cancel_all(void)
{
    int w;

    for (w = 1; w < mpi.size; w++)
        if (mpi.busy[w])
            send_to(w, TAG_CANCEL, &mpi.pool, sizeof mpi.pool);
}

/* Receive the RESULT that st announced into *buf (grown to fit), and
 * mark its worker idle. Returns its length in bytes. */
static size_t take(const MPI_Status *st, unsigned char **buf, size_t *cap)
{
    int count;
    double t0;

    MPI_Get_count(st, MPI_BYTE, &count);
    if ((size_t)count > *cap) {
        unsigned char *p = realloc(*buf, (size_t)count);
        if (!p)
            sim_panic(__FILE__, __LINE__, "out of memory for a result of "
                      "%d bytes", count);
        *buf = p;
        *cap = (size_t)count;
    }
    t0 = now();
    MPI_Recv(*buf, count, MPI_BYTE, st->MPI_SOURCE, TAG_RESULT,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    mpi.st.t_comm += now() - t0;
    mpi.st.got += count;
    mpi.busy[st->MPI_SOURCE] = 0;
    mpi.out--;
    if ((size_t)count < sizeof(result_head))
        sim_panic(__FILE__, __LINE__, "a result of %d bytes", count);
    return (size_t)count;
}

/* Rank 0's longest sleep between probes, ns (see WAIT_MIN). */
static long wait_cap(void)
{
    double ns = mpi.st.returned
                ? 1e7 * (mpi.st.w_make + mpi.st.w_run) / mpi.st.returned
                : 1e5;

    return ns < WAIT_MIN ? WAIT_MIN : ns > WAIT_MAX ? WAIT_MAX : (long)ns;
}

static void mark_done(sim_rep *r, size_t t)
{
    r->done[t] = 1;
    r->ndone++;
    if (r->finished)
        r->finished(r->finished_ctx, (unsigned)t);
    if (r->progress)
        r->progress(r->progress_ctx, r->ndone, r->nreps);
}

int ana_mpi_run(sim_rep *r, const ana_mpi_models *m)
{
    unsigned char *msg = NULL, *buf = NULL;
    size_t n = 0, most, cap, next = 0;
    double t_start = now();
    int w, rc, stopping = 0;

    r->ndone = 0;
    memset(r->done, 0, r->nreps);
    memset(&r->diag, 0, sizeof r->diag);
    if (r->nreps == 0)
        return SIM_OK;
    mpi.pool++;
    mpi.st.pools++;
    if ((rc = pack_pool(r, m, &msg, &n, &most)) != SIM_OK) {
        if (rc == SIM_EIO)
            sim_diag_set(&r->diag, NULL, 0, 0, "cannot tell the working "
                         "folder: %s", strerror(errno));
        return rc;
    }
    cap = sizeof(result_head) + (most * sizeof(double) > sizeof(sim_diag)
                                 ? most * sizeof(double) : sizeof(sim_diag));
    if (!(buf = malloc(cap))) {
        free(msg);
        return SIM_ENOMEM;
    }
    for (w = 1; w < mpi.size; w++)
        send_to(w, TAG_POOL, msg, n);
    free(msg);
    for (w = 1; w < mpi.size && next < r->nreps; w++)
        give(w, next++, m);
    while (mpi.out > 0) {
        MPI_Status st;
        result_head h;
        size_t got;
        if (!stopping && sim_sig_caught) {
            rc = SIM_EINTR;
            stopping = 1;
            cancel_all();
        }
        if (!await(MPI_ANY_SOURCE, TAG_RESULT, &st, wait_cap(), !stopping))
            continue;
        got = take(&st, &buf, &cap);
        memcpy(&h, buf, sizeof h);
        if (h.pool != mpi.pool || h.task >= r->nreps)
            sim_panic(__FILE__, __LINE__, "rank %d returned task %u of pool "
                      "%u in pool %u", st.MPI_SOURCE, h.task, h.pool,
                      mpi.pool);
        mpi.st.w_make += h.make;
        mpi.st.w_run += h.run;
        mpi.st.w_cpu += h.cpu;
        mpi.st.returned++;
        if (h.status == SIM_OK) {
            double t0;
            if (got != sizeof h + len_of(r, h.task) * sizeof(double))
                sim_panic(__FILE__, __LINE__, "rank %d returned %zu bytes "
                          "for task %u", st.MPI_SOURCE, got, h.task);
            /* The worker goes on while the callbacks write files. */
            if (!stopping && !sim_sig_caught && next < r->nreps)
                give(st.MPI_SOURCE, next++, m);
            t0 = now();
            memcpy(out_of(r, h.task), buf + sizeof h,
                   len_of(r, h.task) * sizeof(double));
            mark_done(r, h.task);
            mpi.st.t_tell += now() - t0;
        } else if (h.status != SIM_EINTR || !stopping) {
            /* A failure: the first one is told. */
            if (rc == SIM_OK) {
                rc = h.status;
                r->failed = h.task;
                if (got >= sizeof h + sizeof r->diag)
                    memcpy(&r->diag, buf + sizeof h, sizeof r->diag);
                r->diag.file[sizeof r->diag.file - 1] = '\0';
                r->diag.msg[sizeof r->diag.msg - 1] = '\0';
            }
            if (!stopping) {
                stopping = 1;
                cancel_all();
            }
        }
    }
    free(buf);
    if (rc == SIM_OK && r->ndone != r->nreps)
        rc = SIM_EIO;           /* cannot happen: every task was given */
    if (rc == SIM_EINTR && r->ndone == r->nreps)
        rc = SIM_OK;            /* the request came after the last one */
    mpi.st.t_pools += now() - t_start;
    return rc;
}

unsigned ana_mpi_workers(void)
{
    return mpi.on && mpi.rank == 0 && !mpi.stopped && mpi.size > 1
           ? (unsigned)mpi.size - 1 : 0;
}

static void print_stats(void)
{
    const stats *s = &mpi.st;
    unsigned long t = s->tasks ? s->tasks : 1;
    struct rusage ru;
    double cpu = 0;

    if (getrusage(RUSAGE_SELF, &ru) == 0)
        cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec
              + (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;

    fprintf(stderr, "qmesh: mpi: %d worker%s, %lu pools, %lu tasks; sent "
            "%.0f bytes (%.0f a task), received %.0f (%.0f a task)\n",
            mpi.size - 1, mpi.size == 2 ? "" : "s", s->pools, s->tasks,
            s->sent, s->sent / t, s->got, s->got / t);
    fprintf(stderr, "qmesh: mpi: rank 0: %.3f s in pools: %.3f s sending "
            "and receiving, %.3f s storing and telling results, the rest "
            "waiting; %.3f s of CPU in all\n", s->t_pools, s->t_comm,
            s->t_tell, cpu);
    fprintf(stderr, "qmesh: mpi: workers: %.3f s simulating (%.3f s of "
            "CPU), %.3f s making models (%.1f ms a task)\n", s->w_run,
            s->w_cpu, s->w_make, 1e3 * (s->w_run + s->w_make) / t);
}

void ana_mpi_stop(void)
{
    unsigned char *buf = NULL;
    size_t cap = 0;
    int w;

    if (!mpi.on || mpi.stopped || getpid() != mpi.pid)
        return;
    mpi.stopped = 1;
    if (mpi.out > 0) {          /* left in the middle of a pool */
        cancel_all();
        while (mpi.out > 0) {
            MPI_Status st;
            await(MPI_ANY_SOURCE, TAG_RESULT, &st, wait_cap(), 0);
            take(&st, &buf, &cap);
        }
        free(buf);
    }
    for (w = 1; w < mpi.size; w++)
        send_to(w, TAG_STOP, NULL, 0);
    if (getenv("QMESH_MPI_STATS") && mpi.size > 1)
        print_stats();
    free(mpi.busy);
    mpi.busy = NULL;
    MPI_Finalize();
}

/* ---- a worker ---- */

typedef struct model {
    unsigned char *recipe;      /* NULL: a free slot */
    size_t len;
    mdl_scenario *s;
    mdl_net *net;
    unsigned long used;         /* when last used, for eviction */
} model;

typedef struct worker {
    uint32_t pool, cancelled;   /* the pool, and the last cancelled */
    unsigned char *msg;         /* the POOL message */
    size_t n;                   /* its models */
    uint64_t *len;              /* each model's result length */
    const unsigned char **rec;  /* each model's recipe, in msg */
    size_t *rlen;
    model cache[CACHE];
    unsigned long clock;
    unsigned char *out;         /* a RESULT */
    size_t cap;
} worker;

static void model_free(model *m)
{
    mdl_net_free(m->net);
    mdl_scenario_free(m->s);
    free(m->recipe);
    memset(m, 0, sizeof *m);
}

/* Receive the message st announced into a new buffer of *n bytes. */
static unsigned char *recv_new(const MPI_Status *st, size_t *n)
{
    int count;
    unsigned char *p;

    MPI_Get_count(st, MPI_BYTE, &count);
    if (!(p = malloc((size_t)count + 1)))
        sim_panic(__FILE__, __LINE__, "out of memory for a message of %d "
                  "bytes", count);
    MPI_Recv(p, count, MPI_BYTE, 0, st->MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    *n = (size_t)count;
    return p;
}

static void take_pool(worker *k, const MPI_Status *st)
{
    size_t n, i, at = 8;
    uint32_t head[2];

    free(k->msg);
    free(k->len);
    free(k->rec);
    free(k->rlen);
    k->msg = recv_new(st, &n);
    if (n < sizeof head)
        sim_panic(__FILE__, __LINE__, "a pool message of %zu bytes", n);
    memcpy(head, k->msg, sizeof head);
    k->pool = head[0];
    k->n = head[1];
    k->len = calloc(k->n + 1, sizeof *k->len);
    k->rec = calloc(k->n + 1, sizeof *k->rec);
    k->rlen = calloc(k->n + 1, sizeof *k->rlen);
    if (!k->len || !k->rec || !k->rlen)
        sim_panic(__FILE__, __LINE__, "out of memory for a pool of %zu "
                  "models", k->n);
    for (i = 0; i < k->n; i++) {
        uint64_t x[2];
        if (at + sizeof x > n)
            sim_panic(__FILE__, __LINE__, "a pool message cut short");
        memcpy(x, k->msg + at, sizeof x);
        k->len[i] = x[0];
        k->rlen[i] = x[1];
        k->rec[i] = k->msg + at + sizeof x;
        at += sizeof x + x[1];
        if (at > n)
            sim_panic(__FILE__, __LINE__, "a pool message cut short");
    }
}

/* Model i of the pool, from the cache or made from its recipe. Returns
 * SIM_OK with *out, or the failure with d naming this rank. */
static int model_of(worker *k, size_t i, model **out, sim_diag *d)
{
    model *m, *slot = &k->cache[0];
    char host[MPI_MAX_PROCESSOR_NAME], why[sizeof d->msg];
    int j, hn, rc;

    for (j = 0; j < CACHE; j++) {
        m = &k->cache[j];
        if (m->recipe && m->len == k->rlen[i]
            && !memcmp(m->recipe, k->rec[i], m->len)) {
            m->used = ++k->clock;
            *out = m;
            return SIM_OK;
        }
        if (!m->recipe || (slot->recipe && m->used < slot->used))
            slot = m;
    }
    model_free(slot);
    if (!(slot->recipe = malloc(k->rlen[i] + 1)))
        return SIM_ENOMEM;
    memcpy(slot->recipe, k->rec[i], k->rlen[i]);
    slot->len = k->rlen[i];
    rc = ana_recipe_make(k->rec[i], k->rlen[i], &slot->s, d);
    if (rc == SIM_OK)
        rc = mdl_net_new(&slot->net, slot->s, d);
    if (rc == SIM_OK && mdl_net_result_len(slot->net) != k->len[i]) {
        sim_diag_set(d, NULL, 0, 0, "its model has %zu values a "
                     "replication, rank 0's has %llu: is every file the "
                     "same on every node?", mdl_net_result_len(slot->net),
                     (unsigned long long)k->len[i]);
        rc = SIM_EIO;
    }
    if (rc != SIM_OK) {
        model_free(slot);
        if (rc == SIM_ENOMEM)
            return rc;
        /* Say where: the files may differ from node to node. */
        MPI_Get_processor_name(host, &hn);
        if (d->file[0] && d->line > 0)
            snprintf(why, sizeof why, "%.300s:%d: %.600s", d->file, d->line,
                     d->msg);
        else if (d->file[0])
            snprintf(why, sizeof why, "%.300s: %.600s", d->file, d->msg);
        else
            snprintf(why, sizeof why, "%.900s", d->msg);
        snprintf(d->msg, sizeof d->msg, "rank %d (%.60s): %.920s", mpi.rank,
                 host, why);
        return rc;
    }
    slot->used = ++k->clock;
    *out = slot;
    return SIM_OK;
}

/* The progress hook of a running model: a CANCEL of its pool stops it. */
static void watch(void *ctx, double frac)
{
    worker *k = ctx;
    MPI_Status st;
    uint32_t id;
    int flag;

    (void)frac;
    MPI_Iprobe(0, TAG_CANCEL, MPI_COMM_WORLD, &flag, &st);
    if (!flag)
        return;
    MPI_Recv(&id, sizeof id, MPI_BYTE, 0, TAG_CANCEL, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    k->cancelled = id;
    if (id == k->pool)
        sim_sig_set(SIGINT);
}

static void run_task(worker *k, const task_msg *t)
{
    result_head h;
    sim_diag d;
    model *m = NULL;
    size_t body = 0, need;
    double t0 = now();
    int rc = SIM_OK;

    memset(&h, 0, sizeof h);
    memset(&d, 0, sizeof d);
    h.pool = t->pool;
    h.task = t->task;
    if (t->pool != k->pool || t->model >= k->n)
        sim_panic(__FILE__, __LINE__, "task %u of model %u in pool %u, "
                  "given in pool %u", t->task, t->model, t->pool, k->pool);
    need = sizeof h + (k->len[t->model] * sizeof(double) > sizeof d
                       ? k->len[t->model] * sizeof(double) : sizeof d);
    if (need > k->cap) {
        unsigned char *p = realloc(k->out, need);
        if (!p)
            rc = SIM_ENOMEM;
        else {
            k->out = p;
            k->cap = need;
        }
    }
    if (k->cancelled == t->pool)
        rc = SIM_EINTR;
    if (rc == SIM_OK)
        rc = model_of(k, t->model, &m, &d);
    h.make = now() - t0;
    if (rc == SIM_OK) {
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        t0 = now();
        sim_sig_set(0);
        mdl_net_set_progress(m->net, watch, k);
        rc = mdl_net_run(m->net, t->rep, (double *)(k->out + sizeof h),
                         NULL, &d);
        mdl_net_set_progress(m->net, NULL, NULL);
        sim_sig_set(0);
        h.run = now() - t0;
        h.cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        body = k->len[t->model] * sizeof(double);
    }
    h.status = rc;
    if (rc != SIM_OK) {
        body = k->cap >= sizeof h + sizeof d ? sizeof d : 0;
        if (body)
            memcpy(k->out + sizeof h, &d, sizeof d);
    }
    if (k->cap < sizeof h) {    /* out of memory, and no buffer */
        MPI_Send(&h, sizeof h, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        return;
    }
    memcpy(k->out, &h, sizeof h);
    MPI_Send(k->out, (int)(sizeof h + body), MPI_BYTE, 0, TAG_RESULT,
             MPI_COMM_WORLD);
}

/* Serve rank 0 until it says STOP. */
static void serve(void)
{
    worker k;
    int j;

    memset(&k, 0, sizeof k);
    for (;;) {
        MPI_Status st;
        task_msg t;
        uint32_t id;
        await(0, MPI_ANY_TAG, &st, WAIT_IDLE, 0);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            break;
        }
        switch (st.MPI_TAG) {
        case TAG_POOL:
            take_pool(&k, &st);
            break;
        case TAG_TASK:
            MPI_Recv(&t, sizeof t, MPI_BYTE, 0, TAG_TASK, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            run_task(&k, &t);
            break;
        case TAG_CANCEL:
            MPI_Recv(&id, sizeof id, MPI_BYTE, 0, TAG_CANCEL, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            k.cancelled = id;
            break;
        default:
            sim_panic(__FILE__, __LINE__, "a message with tag %d",
                      st.MPI_TAG);
        }
    }
    for (j = 0; j < CACHE; j++)
        model_free(&k.cache[j]);
    free(k.msg);
    free(k.len);
    free(k.rec);
    free(k.rlen);
    free(k.out);
}

/* ---- joining ---- */

/* Was qmesh started by an MPI launcher (Open MPI's mpirun, a PMI or
 * PMIx launcher such as MPICH's or Slurm's srun), or by srun as one of
 * several tasks? */
static int launched(void)
{
    static const char *const vars[] = {
        "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"
    };
    const char *n = getenv("SLURM_STEP_NUM_TASKS");
    size_t i;

    for (i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return n && atoi(n) > 1;
}

int ana_mpi_start(int *argc, char ***argv, int *status)
{
    const char *n = getenv("SLURM_STEP_NUM_TASKS");

    if (!launched())
        return 0;
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi.size);
    mpi.on = 1;
    if (mpi.size == 1 && n && atoi(n) > 1) {
        /* Each task would run the whole command, into the same files. */
        fprintf(stderr, "qmesh: srun started %s tasks, but MPI sees each "
                "as a job of its own: give srun the --mpi option your MPI "
                "needs (such as --mpi=pmix)\n", n);
        MPI_Finalize();
        *status = 2;
        return 1;
    }
    if (mpi.rank > 0) {
        serve();
        MPI_Finalize();
        *status = 0;
        return 1;
    }
    mpi.pid = getpid();
    if (!(mpi.busy = calloc((size_t)mpi.size, 1))) {
        fputs("qmesh: out of memory\n", stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    atexit(ana_mpi_stop);
    return 0;
}

const char *ana_mpi_library(void)
{
    static char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len;

    if (!lib[0]) {
        MPI_Get_library_version(lib, &len);
        lib[strcspn(lib, ",\n")] = '\0';    /* "Open MPI v4.1.4" */
    }
    return lib;
}
