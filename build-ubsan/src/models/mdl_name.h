/*
 * mdl_name.h - what a name of a service, workload, request class or
 * scenario may be.
 *
 * Names end up in scopes ("service:NAME", "call:A->B#K"), CSV cells,
 * terminal tables and, for a scenario, a folder name. So a name is not
 * empty, holds no control characters (a line break would split a CSV row
 * or a table line), no "->" or "#" (a scope would read two ways), and
 * does not start with '=', '+', '-' or '@', which spreadsheets take for
 * the start of a formula and run (CSV injection). A scenario's name is
 * also a plain file name: no '/', and not starting with '.', so that it
 * cannot choose a folder other than results/NAME/.
 */
#ifndef MDL_NAME_H
#define MDL_NAME_H
#include <stddef.h>

/* NULL when name is acceptable, else what is wrong with it (a static
 * string, e.g. "holds '->', which separates a caller from its callee in
 * scopes"). file: also check that it is a plain file name. */
const char *mdl_name_problem(const char *name, int file);

/* name as a message can show it: control characters as \xNN, cut to fit
 * buf. */
void mdl_name_show(char *buf, size_t n, const char *name);

#endif /* MDL_NAME_H */
