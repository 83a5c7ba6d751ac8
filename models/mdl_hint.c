/*
 * mdl_hint.c - the suggestion policy of mdl_hint.h.
 *
 * The distance is computed over three rolling rows of the dynamic
 * programme (the swap looks two rows back), each MDL_HINT_LEN_MAX + 1
 * entries on the stack, so a hint costs no allocation and at most
 * 64 x 64 steps per candidate.
 */
#include <stdio.h>
#include <string.h>
#include "mdl_hint.h"

/* Optimal string alignment distance of a[0..na) and b[0..nb), both at
 * most MDL_HINT_LEN_MAX bytes:
 *   D[i][j] = min(D[i-1][j] + 1, D[i][j-1] + 1,
 *                 D[i-1][j-1] + (a[i-1] != b[j-1]),
 *                 D[i-2][j-2] + 1 if a[i-1] = b[j-2] and a[i-2] = b[j-1])
 */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t rows[3][MDL_HINT_LEN_MAX + 1];
    size_t *two = rows[0], *prev = rows[1], *cur = rows[2], *t;
    size_t i, j;

    for (j = 0; j <= nb; j++)
        prev[j] = j;
    for (i = 1; i <= na; i++) {
        cur[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2]
                && a[i - 2] == b[j - 1] && two[j - 2] + 1 < best)
                best = two[j - 2] + 1;
            cur[j] = best;
        }
        t = two;
        two = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

const char *mdl_hint_n(const char *word, size_t len,
                       const char *const *cands, size_t n)
{
    const char *best = NULL, *prefix = NULL;
    size_t bestd = (size_t)-1, i;

    if (len > MDL_HINT_LEN_MAX)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t nc = strlen(cands[i]), d, longer, shorter;

        if (nc > MDL_HINT_LEN_MAX)
            continue;
        d = distance(word, len, cands[i], nc);
        longer = len > nc ? len : nc;
        if (d <= 2 && 2 * d <= longer && d < bestd) {
            bestd = d;
            best = cands[i];
        }
        shorter = len < nc ? len : nc;
        if (!prefix && shorter >= 3 && memcmp(word, cands[i], shorter) == 0)
            prefix = cands[i];
    }
    return best ? best : prefix;
}

const char *mdl_hint(const char *word, const char *const *cands, size_t n)
{
    return mdl_hint_n(word, strlen(word), cands, n);
}

const char *mdl_hint_append(char *buf, size_t size, const char *word,
                            const char *const *cands, size_t n)
{
    const char *hint = mdl_hint(word, cands, n);
    size_t len = strlen(buf);

    if (hint && len + 1 < size)
        snprintf(buf + len, size - len, "; did you mean '%s'?", hint);
    return hint;
}
