/* test_commands.c - agents' "#command" lines: what is understood, what is refused, what the customer sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "commands.h"

static void commands_before_text_are_parsed_and_stripped(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("\n#status pending\n#escalate sysadmins firewall rules needed\n\n"
                                       "Hello Ivan,\n#this is text now\n");
    assert_null(sg_commands_errors(c));
    assert_int_equal(sg_commands_count(c), 2);
    const sg_command *s = sg_commands_find(c, SG_CMD_STATUS);
    assert_string_equal(s->arg, "pending");
    const sg_command *e = sg_commands_find(c, SG_CMD_ESCALATE);
    assert_string_equal(e->arg, "sysadmins");
    assert_string_equal(e->extra, "firewall rules needed");
    assert_string_equal(sg_commands_rest(c), "Hello Ivan,\n#this is text now\n");
    sg_commands_free(c);
}

static void a_mail_of_only_commands_leaves_no_text(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("#category complex\r\n#eta 4h\r\n");
    assert_null(sg_commands_errors(c));
    assert_string_equal(sg_commands_rest(c), "");
    assert_int_equal(sg_commands_find(c, SG_CMD_ETA)->seconds, 4 * 3600);
    sg_commands_free(c);
}

static void eta_takes_a_date(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("#eta 2026-11-27 17:00\nText");
    assert_null(sg_commands_errors(c));
    const sg_command *e = sg_commands_find(c, SG_CMD_ETA);
    assert_string_equal(e->arg, "2026-11-27 17:00");
    assert_int_equal(e->seconds, 0);
    sg_commands_free(c);
}

static void unknown_and_invalid_commands_are_reported_by_line(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("#stauts resolved\n#status done\n#eta soon\n#assign bob\n#internal now\nText");
    const char *e = sg_commands_errors(c);
    assert_non_null(e);
    assert_non_null(strstr(e, "line 1: #stauts: unknown command"));
    assert_non_null(strstr(e, "line 2: #status: expects one of open, pending, resolved, closed"));
    assert_non_null(strstr(e, "line 3: #eta: expects a duration"));
    assert_non_null(strstr(e, "line 4: #assign: expects an agent's address"));
    assert_non_null(strstr(e, "line 5: #internal: takes no argument"));
    assert_int_equal(sg_commands_count(c), 0);
    sg_commands_free(c);
}

static void text_without_commands_is_untouched(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("Hello,\n#status resolved\n");
    assert_int_equal(sg_commands_count(c), 0);
    assert_null(sg_commands_errors(c));
    assert_string_equal(sg_commands_rest(c), "Hello,\n#status resolved\n");
    sg_commands_free(c);
    c = sg_commands_parse("> #status closed\nquoted");
    assert_int_equal(sg_commands_count(c), 0);
    sg_commands_free(c);
    c = sg_commands_parse("");
    assert_string_equal(sg_commands_rest(c), "");
    sg_commands_free(c);
}

static void internal_and_case_insensitive_names(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("#INTERNAL\n#Status Resolved\nnote for the team");
    assert_null(sg_commands_errors(c));
    assert_non_null(sg_commands_find(c, SG_CMD_INTERNAL));
    assert_string_equal(sg_commands_find(c, SG_CMD_STATUS)->arg, "resolved");
    sg_commands_free(c);
}

/* #merge and #link take another ticket's number, with or without the '#'; anything else is refused. */
static void merge_and_link_take_a_ticket_number(void **state)
{
    (void)state;
    sg_commands *c = sg_commands_parse("#merge #1042\n#link 7\nThe same outage as #1042.");
    assert_null(sg_commands_errors(c));
    assert_int_equal(sg_commands_find(c, SG_CMD_MERGE)->number, 1042);
    assert_int_equal(sg_commands_find(c, SG_CMD_LINK)->number, 7);
    assert_string_equal(sg_commands_rest(c), "The same outage as #1042.");
    sg_commands_free(c);
    c = sg_commands_parse("#merge\n#link ticket-7\n#merge 0\n#link 12abc\n#merge 99999999999999999999\n");
    const char *e = sg_commands_errors(c);
    assert_non_null(e);
    for (int line = 1; line <= 5; line++) {
        char want[64];
        snprintf(want, sizeof want, "line %d: #%s: expects a ticket number", line, line % 2 ? "merge" : "link");
        assert_non_null(strstr(e, want));
    }
    assert_int_equal(sg_commands_count(c), 0);
    sg_commands_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_before_text_are_parsed_and_stripped),
        cmocka_unit_test(a_mail_of_only_commands_leaves_no_text),
        cmocka_unit_test(eta_takes_a_date),
        cmocka_unit_test(unknown_and_invalid_commands_are_reported_by_line),
        cmocka_unit_test(text_without_commands_is_untouched),
        cmocka_unit_test(internal_and_case_insensitive_names),
        cmocka_unit_test(merge_and_link_take_a_ticket_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
