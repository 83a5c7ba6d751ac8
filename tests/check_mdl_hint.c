/*
 * check_mdl_hint.c - the one "did you mean" policy of mdl_hint.h: which
 * misspellings get a suggestion, which stay quiet, ties, prefixes, the
 * length limit and the appended text.
 */
#include <string.h>
#include "tst.h"
#include "../models/mdl_hint.h"

static const char *const keys[] = {
    "servers", "replicas", "service", "capacity", "kind", "p"
};
#define NKEYS (sizeof keys / sizeof keys[0])

START_TEST(test_one_slip_suggests_the_word)
{
    ck_assert_str_eq(mdl_hint("servrs", keys, NKEYS), "servers");
    ck_assert_str_eq(mdl_hint("replcas", keys, NKEYS), "replicas");
    ck_assert_str_eq(mdl_hint("capacty", keys, NKEYS), "capacity");
    ck_assert_str_eq(mdl_hint("servce", keys, NKEYS), "service");
    ck_assert_str_eq(mdl_hint("kinds", keys, NKEYS), "kind");
}
END_TEST

START_TEST(test_a_swap_of_neighbours_is_one_slip)
{
    ck_assert_str_eq(mdl_hint("kidn", keys, NKEYS), "kind");
    ck_assert_str_eq(mdl_hint("sevrers", keys, NKEYS), "servers");
}
END_TEST

START_TEST(test_two_slips_suggest_when_the_word_is_long_enough)
{
    /* d = 2 and 2d = 4 <= 7 */
    ck_assert_str_eq(mdl_hint("srvrs", keys, NKEYS), "servers");
    /* d = 2 but 2d = 4 > 3: "ab" is no slip of "kind" or "p" */
    ck_assert_ptr_null(mdl_hint("ab", keys, NKEYS));
    /* three slips are too many however long the word */
    ck_assert_ptr_null(mdl_hint("rplcs", keys, NKEYS));
}
END_TEST

START_TEST(test_far_words_and_one_letter_words_stay_quiet)
{
    ck_assert_ptr_null(mdl_hint("colour", keys, NKEYS));
    ck_assert_ptr_null(mdl_hint("xyz", keys, NKEYS));
    ck_assert_ptr_null(mdl_hint("anything", keys, 0));
    ck_assert_ptr_null(mdl_hint("q", keys, NKEYS));     /* 2d = 2 > 1 */
    ck_assert_ptr_null(mdl_hint("", keys, NKEYS));
}
END_TEST

START_TEST(test_closest_wins_and_ties_go_to_the_first)
{
    static const char *const c[] = { "kart", "cart", "card" };

    ck_assert_str_eq(mdl_hint("cartt", c, 3), "cart");  /* 1 beats 2 */
    ck_assert_str_eq(mdl_hint("carx", c, 3), "cart");   /* 1 = 1: first */
    ck_assert_str_eq(mdl_hint("xart", c, 3), "kart");
}
END_TEST

START_TEST(test_a_prefix_of_three_or_more_is_suggested_last)
{
    static const char *const dists[] = { "exp", "erlang", "poisson" };
    static const char *const svc[] = { "service", "post_service" };
    static const char *const both[] = { "servers_max", "sera" };

    ck_assert_str_eq(mdl_hint("exponential", dists, 3), "exp");
    ck_assert_str_eq(mdl_hint("post", svc, 2), "post_service");
    ck_assert_ptr_null(mdl_hint("po", svc, 2));         /* too short */
    /* a close word beats an earlier prefix */
    ck_assert_str_eq(mdl_hint("serv", both, 2), "sera");
}
END_TEST

START_TEST(test_words_longer_than_the_limit_get_nothing)
{
    char w[MDL_HINT_LEN_MAX + 2];
    const char *shorter[1], *longer[1];

    memset(w, 'a', sizeof w - 1);
    w[sizeof w - 1] = '\0';                 /* MDL_HINT_LEN_MAX + 1 bytes */
    shorter[0] = w + 1;                     /* at the limit, d = 1 */
    longer[0] = w;
    ck_assert_ptr_null(mdl_hint(w, shorter, 1));
    ck_assert_ptr_null(mdl_hint(w + 2, longer, 1));
    ck_assert_ptr_eq(mdl_hint(w + 2, shorter, 1), shorter[0]);
}
END_TEST

START_TEST(test_hint_n_reads_only_len_bytes)
{
    ck_assert_str_eq(mdl_hint_n("servrs(2)", 6, keys, NKEYS), "servers");
    ck_assert_ptr_null(mdl_hint_n("q=1", 1, keys, NKEYS));
}
END_TEST

START_TEST(test_append_adds_the_hint_or_nothing)
{
    char buf[64] = "unknown attribute 'servrs'";
    char small[32] = "unknown attribute 'servrs'";

    ck_assert_str_eq(mdl_hint_append(buf, sizeof buf, "servrs", keys, NKEYS),
                     "servers");
    ck_assert_str_eq(buf, "unknown attribute 'servrs'; did you mean "
                          "'servers'?");
    strcpy(buf, "unknown attribute 'colour'");
    ck_assert_ptr_null(mdl_hint_append(buf, sizeof buf, "colour", keys,
                                       NKEYS));
    ck_assert_str_eq(buf, "unknown attribute 'colour'");
    mdl_hint_append(small, sizeof small, "servrs", keys, NKEYS);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);  /* cut to fit */
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mdl_hint");
    TCase *tc = tcase_create("suggest");

    tcase_add_test(tc, test_one_slip_suggests_the_word);
    tcase_add_test(tc, test_a_swap_of_neighbours_is_one_slip);
    tcase_add_test(tc, test_two_slips_suggest_when_the_word_is_long_enough);
    tcase_add_test(tc, test_far_words_and_one_letter_words_stay_quiet);
    tcase_add_test(tc, test_closest_wins_and_ties_go_to_the_first);
    tcase_add_test(tc, test_a_prefix_of_three_or_more_is_suggested_last);
    tcase_add_test(tc, test_words_longer_than_the_limit_get_nothing);
    tcase_add_test(tc, test_hint_n_reads_only_len_bytes);
    suite_add_tcase(s, tc);

    tc = tcase_create("append");
    tcase_add_test(tc, test_append_adds_the_hint_or_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tst_run(make_suite); }
