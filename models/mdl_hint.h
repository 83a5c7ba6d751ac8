/*
 * mdl_hint.h - the "did you mean" of every message about a misspelt word:
 * keys, attribute values, service and class names, distributions, their
 * parameters, commands and options all suggest by the one policy below,
 * so the same slip gets the same hint wherever it is made.
 *
 * Policy: the distance of two words is their optimal string alignment
 * distance, in bytes (insertions, deletions, substitutions and swaps of
 * two adjacent characters, the commonest typing slip, each cost 1). A
 * candidate is close when its distance d to the word is at most 2 and at
 * most half the longer of the two (2d <= max(len)), so that "q" does not
 * suggest "p"; the closest wins, the earlier on a tie. When none is close,
 * the first candidate of which the word is a prefix, or that is a prefix
 * of the word, is suggested if the shorter of the two is at least 3 bytes
 * ("exponential" -> "exp", "post" -> "post_service"). Words and
 * candidates longer than MDL_HINT_LEN_MAX bytes are never suggested nor
 * given a suggestion.
 *
 * Nothing is allocated; the result points into the caller's candidates.
 */
#ifndef MDL_HINT_H
#define MDL_HINT_H
#include <stddef.h>

#define MDL_HINT_LEN_MAX 64

/* The candidate among cands[0..n-1] to suggest for word, or NULL when
 * none is close. */
const char *mdl_hint(const char *word, const char *const *cands, size_t n);
/* The same for the len bytes at word (not NUL-terminated). */
const char *mdl_hint_n(const char *word, size_t len,
                       const char *const *cands, size_t n);
/* Append "; did you mean 'x'?" to the string in buf (size bytes in all)
 * when a candidate is close, cutting it to fit. Returns the candidate or
 * NULL (buf unchanged). */
const char *mdl_hint_append(char *buf, size_t size, const char *word,
                            const char *const *cands, size_t n);

#endif /* MDL_HINT_H */
