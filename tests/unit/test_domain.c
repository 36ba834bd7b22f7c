/* test_domain.c - the domain's name tables: each name and value round-trip, and the migrations' CHECKs agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "domain.h"

/* One enum seen through its two functions, so that every table is checked by the same code. */
typedef struct {
    const char *what;
    int n;
    const char *(*name)(int v);
    int (*parse)(const char *name);
} table;

static const char *status_name(int v) { return sg_status_name((sg_status)v); }
static const char *category_name(int v) { return sg_category_name((sg_category)v); }
static const char *sla_name(int v) { return sg_sla_name((sg_sla)v); }
static const char *msg_kind_name(int v) { return sg_msg_kind_name((sg_msg_kind)v); }
static const char *outbox_kind_name(int v) { return sg_outbox_kind_name((sg_outbox_kind)v); }
static const char *event_type_name(int v) { return sg_event_type_name((sg_event_type)v); }

static const table tables[] = {
    { "ticket status", SG_STATUS_N, status_name, sg_status_parse },
    { "category", SG_CATEGORY_N, category_name, sg_category_parse },
    { "SLA", SG_SLA_N, sla_name, sg_sla_parse },
    { "message kind", SG_MSG_N, msg_kind_name, sg_msg_kind_parse },
    { "outbox kind", SG_OUT_N, outbox_kind_name, sg_outbox_kind_parse },
    { "event type", SG_EVENT_N, event_type_name, sg_event_type_parse },
};

static void every_value_has_a_name_that_parses_back(void **state)
{
    (void)state;
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++)
        for (int v = 0; v < tables[t].n; v++) {
            const char *name = tables[t].name(v);
            if (!name || !*name)
                fail_msg("%s %d has no name", tables[t].what, v);
            assert_int_equal(tables[t].parse(name), v);
        }
}

static void unknown_names_and_values_are_refused(void **state)
{
    (void)state;
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++) {
        assert_null(tables[t].name(tables[t].n));
        assert_null(tables[t].name(-1));
        assert_int_equal(tables[t].parse(NULL), -1);
        assert_int_equal(tables[t].parse(""), -1);
        assert_int_equal(tables[t].parse("*"), -1);
        /* Names are exact: callers lower-case what people type before they parse it. */
        char *upper = g_ascii_strup(tables[t].name(0), -1);
        assert_int_equal(tables[t].parse(upper), -1);
        g_free(upper);
    }
    assert_int_equal(sg_status_parse("opened"), -1);
    assert_int_equal(sg_event_type_parse("assign"), -1);
}

/* A filed outgoing mail is recorded as a message of its outbox kind. */
static void every_outbox_kind_is_a_message_kind(void **state)
{
    (void)state;
    for (int k = 0; k < SG_OUT_N; k++)
        assert_true(sg_msg_kind_parse(sg_outbox_kind_name((sg_outbox_kind)k)) >= 0);
    assert_string_equal(sg_outbox_kind_name((sg_outbox_kind)0), "internal");
}

static void changes_of_state_are_reported_as_status_events(void **state)
{
    (void)state;
    assert_int_equal(sg_event_family(SG_EVENT_CATEGORY), SG_EVENT_STATUS);
    assert_int_equal(sg_event_family(SG_EVENT_ASSIGNED), SG_EVENT_STATUS);
    assert_int_equal(sg_event_family(SG_EVENT_ETA), SG_EVENT_STATUS);
    for (int t = SG_EVENT_CREATED; t <= SG_EVENT_NOTIFIED; t++)
        assert_int_equal(sg_event_family((sg_event_type)t), t);
}

static void only_new_and_open_tickets_run_clocks(void **state)
{
    (void)state;
    static const int running[SG_STATUS_N] = { [SG_STATUS_NEW] = 1, [SG_STATUS_OPEN] = 1 };
    static const int done[SG_STATUS_N] = { [SG_STATUS_RESOLVED] = 1, [SG_STATUS_CLOSED] = 1 };
    for (int s = 0; s < SG_STATUS_N; s++) {
        assert_int_equal(sg_status_running((sg_status)s), running[s]);
        assert_int_equal(sg_status_done((sg_status)s), done[s]);
    }
}

/* The quoted names of the NTH "CHECK (COLUMN IN (" list in FILE of sql/ (-1: the only one), in their order
 * (g_strfreev). */
static char **check_list_at(const char *file, const char *column, int nth)
{
    char *path = g_build_filename(SG_TOP_SRCDIR, "sql", file, NULL), *sql = NULL;
    if (!g_file_get_contents(path, &sql, NULL, NULL))
        fail_msg("cannot read %s", path);
    char *anchor = g_strdup_printf("CHECK (%s IN (", column);
    const char *p = strstr(sql, anchor);
    for (int i = 0; p && i < nth; i++)
        p = strstr(p + 1, anchor);
    if (!p || (nth < 0 && strstr(p + 1, anchor)))
        fail_msg("%s: expected %s %s", path, nth < 0 ? "one" : "another", anchor);
    GPtrArray *names = g_ptr_array_new();
    for (p += strlen(anchor); *p && *p != ')'; p++) {
        if (*p != '\'')
            continue;
        const char *end = strchr(p + 1, '\'');
        assert_non_null(end);
        g_ptr_array_add(names, g_strndup(p + 1, (gsize)(end - p - 1)));
        p = end;
    }
    g_ptr_array_add(names, NULL);
    g_free(anchor);
    g_free(sql);
    g_free(path);
    return (char **)g_ptr_array_free(names, FALSE);
}

static char **check_list(const char *file, const char *column) { return check_list_at(file, column, -1); }

/* The list names every value of table T from FIRST on, in the table's order. */
static void assert_list_is_table(char **list, const table *t, int first)
{
    assert_int_equal(g_strv_length(list), t->n - first);
    for (int v = first; v < t->n; v++)
        assert_string_equal(list[v - first], t->name(v));
    g_strfreev(list);
}

static void the_migrations_check_the_same_names(void **state)
{
    (void)state;
    assert_list_is_table(check_list("001_schema.sql", "status"), &tables[0], 0);
    assert_list_is_table(check_list("013_domain_checks.sql", "category"), &tables[1], 0);
    /* 014 gave breaches and warnings the estimate. */
    assert_list_is_table(check_list_at("014_promises.sql", "sla", 0), &tables[2], 0);
    /* Warnings come before deadlines that can be seen coming: all but the acknowledgement's. */
    assert_list_is_table(check_list_at("014_promises.sql", "sla", 1), &tables[2], SG_SLA_FIRST_RESPONSE);
    /* What a customer can be promised: every deadline but the acknowledgement (it is the promise's own mail). */
    char **kinds = check_list("014_promises.sql", "kind"), *joined = g_strjoinv(" ", kinds);
    assert_string_equal(joined, "first_response eta update resolution");
    g_free(joined);
    g_strfreev(kinds);
    assert_list_is_table(check_list("001_schema.sql", "kind"), &tables[3], 0);
    assert_list_is_table(check_list("013_domain_checks.sql", "kind"), &tables[4], 0);
    /* The newest list of event types: 023 (approval), after 019 (attachment) and 016 (linked). */
    assert_list_is_table(check_list("023_approvals.sql", "type"), &tables[5], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_value_has_a_name_that_parses_back),
        cmocka_unit_test(unknown_names_and_values_are_refused),
        cmocka_unit_test(every_outbox_kind_is_a_message_kind),
        cmocka_unit_test(changes_of_state_are_reported_as_status_events),
        cmocka_unit_test(only_new_and_open_tickets_run_clocks),
        cmocka_unit_test(the_migrations_check_the_same_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
