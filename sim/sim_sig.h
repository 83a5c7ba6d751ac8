/*
 * sim_sig.h - SIGINT and SIGTERM as a request to stop, not an instant
 * death.
 *
 * After sim_sig_catch(), the first SIGINT or SIGTERM only records the
 * signal; the calendar polls the record (sim_cal_run() returns
 * SIM_EINTR), so the replications already finished can be saved as a
 * partial result. The handler restores the default action, so a second
 * signal ends the process at once. When the work is saved,
 * sim_sig_reraise() ends the process by the caught signal, as a shell
 * expects of an interrupted command (a script's loop stops too).
 */
#ifndef SIM_SIG_H
#define SIM_SIG_H
#include <signal.h>

/* read-only: 0, or the first signal caught. */
extern volatile sig_atomic_t sim_sig_caught;

/* Catch SIGINT and SIGTERM as above. Returns 0, or -1 with errno. */
int sim_sig_catch(void);
/* Give SIGINT and SIGTERM their default actions again (for a child
 * process, which must die of them at once). */
void sim_sig_default(void);
/* "SIGINT", "SIGTERM", or "signal N". */
const char *sim_sig_name(int sig);
/* Record a stop request as if sig had been caught, or clear it (0): for
 * a process told to stop by another (an MPI worker, whose replication
 * rank 0 no longer wants, stops at the next clock move). */
void sim_sig_set(int sig);
/* When a signal was caught: end the process by it. Returns otherwise. */
void sim_sig_reraise(void);

#endif /* SIM_SIG_H */
