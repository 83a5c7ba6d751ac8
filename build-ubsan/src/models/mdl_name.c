/*
 * mdl_name.c - the rules of mdl_name.h, one reason per rule.
 */
#include <stdio.h>
#include <string.h>
#include "mdl_name.h"

const char *mdl_name_problem(const char *name, int file)
{
    const unsigned char *p;

    if (!name[0])
        return "is empty";
    for (p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "holds a control character";
    if (strstr(name, "->"))
        return "holds '->', which separates a caller from its callee in "
               "scopes";
    if (strchr(name, '#'))
        return "holds '#', which numbers replicas, stages and edges in "
               "scopes";
    if (strchr("=+-@", name[0]))
        return "starts with '=', '+', '-' or '@', which spreadsheets run "
               "as a formula";
    if (file && strchr(name, '/'))
        return "holds '/', and a scenario's name is the name of its "
               "results folder";
    if (file && name[0] == '.')
        return "starts with '.', and a scenario's name is the name of its "
               "results folder";
    return NULL;
}

void mdl_name_show(char *buf, size_t n, const char *name)
{
    const unsigned char *p;
    size_t len = 0;

    buf[0] = '\0';
    for (p = (const unsigned char *)name; *p && len + 5 < n; p++)
        len += (size_t)(*p < 0x20 || *p == 0x7f
                        ? snprintf(buf + len, n - len, "\\x%02x", *p)
                        : snprintf(buf + len, n - len, "%c", *p));
}
