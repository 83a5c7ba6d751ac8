/*
 * mdl_input.h - opening the files a user names: scenarios, topologies and
 * the CSV files of empirical distributions.
 *
 * Only regular files are read, and only up to MDL_INPUT_MAX bytes: a path
 * to /dev/zero, a FIFO or a directory is refused at once instead of
 * filling memory or waiting for a writer. Messages are lower case and name
 * the path (what is "scenario", "topology", ...), for a sim_diag.
 */
#ifndef MDL_INPUT_H
#define MDL_INPUT_H
#include <stddef.h>
#include <stdio.h>

/* Largest input file in bytes (64 MiB): a topology of a hundred thousand
 * services with every attribute set is about 20 MiB of GML. */
#define MDL_INPUT_MAX ((size_t)64 << 20)

/* Open path for reading after checking that it is a regular file of at
 * most MDL_INPUT_MAX bytes. Returns SIM_OK with *f owned by the caller, or
 * SIM_EPARSE with "cannot open WHAT 'PATH': ..." (or "... is not a regular
 * file", "... is larger than 64 MiB") in err. */
int mdl_input_open(const char *path, const char *what, FILE **f, char *err,
                   size_t errlen);
/* Read all of path (checked as by mdl_input_open) into *text, a new
 * NUL-terminated buffer of *len bytes owned by the caller. Returns SIM_OK,
 * SIM_EPARSE with a message in err, or SIM_ENOMEM. */
int mdl_input_read(const char *path, const char *what, char **text,
                   size_t *len, char *err, size_t errlen);

#endif /* MDL_INPUT_H */
