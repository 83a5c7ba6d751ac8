/*
 * mdl_empirical.h - the samples of an empirical distribution, read from a
 * sample file: one number per CSV record (mdl_csv.h), from one column.
 *
 * The column is the first one unless chosen by a 1-based index or by its
 * name in a header record. A first record whose cell is not a number is a
 * header and is skipped. Every sample must be a finite number >= 0; -0 is
 * kept as +0. The file is opened through mdl_input.h: a regular file of at
 * most MDL_INPUT_MAX bytes.
 */
#ifndef MDL_EMPIRICAL_H
#define MDL_EMPIRICAL_H
#include <stddef.h>

/* Read the samples of file, a path relative to base_dir unless absolute
 * (base_dir NULL or "": the working directory), from column (NULL: the
 * first; all digits: a 1-based index; otherwise a name in the header).
 * Returns SIM_OK with *samples, n > 0 values owned by the caller; or
 * SIM_EPARSE with a message in err (NULL: none) and *about_column 1 when
 * the column is at fault, 0 when the file is; or SIM_ENOMEM. */
int mdl_empirical_read(const char *base_dir, const char *file,
                       const char *column, double **samples, size_t *n,
                       char *err, size_t errlen, int *about_column);

#endif /* MDL_EMPIRICAL_H */
