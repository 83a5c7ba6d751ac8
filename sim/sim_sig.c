/*
 * sim_sig.c - the stop request of sim_sig.h. The handler does the only
 * two things a handler may safely do here: store to a volatile
 * sig_atomic_t and reset its own disposition (SA_RESETHAND).
 */
#include <stdio.h>
#include <string.h>
#include "sim_sig.h"

volatile sig_atomic_t sim_sig_caught;

static void on_signal(int sig)
{
    if (!sim_sig_caught)
        sim_sig_caught = sig;
}

int sim_sig_catch(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;     /* no SA_RESTART: poll() must wake */
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
        return -1;
    return 0;
}

void sim_sig_default(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}

const char *sim_sig_name(int sig)
{
    static char buf[32];

    if (sig == SIGINT)
        return "SIGINT";
    if (sig == SIGTERM)
        return "SIGTERM";
    snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}

void sim_sig_set(int sig)
{
    sim_sig_caught = sig;
}

void sim_sig_reraise(void)
{
    int sig = sim_sig_caught;

    if (!sig)
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}
