/* test_classify.c - the shipped classification rules sort customers' words in Ukrainian, Russian and English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "classify.h"

/* The rules under test are the ones operators get: the example configuration and the sandbox's policy, read
 * from the source tree, so that the two cannot drift apart unnoticed. */
static sg_rules *shipped_rules(const char *relpath)
{
    char *path = g_build_filename(SG_TOP_SRCDIR, relpath, NULL), *text = NULL;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &text, NULL, &ge))
        fail_msg("%s: %s", path, ge->message);
    sg_rules *r = sg_rules_new();
    char **lines = g_strsplit(text, "\n", -1);
    int n = 0;
    for (char **l = lines; *l; l++) {
        if (!g_str_has_prefix(*l, "classify = "))
            continue;
        char *err = NULL;
        if (sg_rules_add(r, *l + strlen("classify = "), &err) < 0)
            fail_msg("%s: %s: %s", path, *l, err);
        n++;
    }
    assert_true(n >= 5);
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    return r;
}

typedef struct {
    const char *subject, *text, *team, *category;
} example;

/* Requests as customers write them, with the team and category the policy gives them. */
static const example examples[] = {
    { "Чому з мене двічі зняли оплату?", "Добрий день, у виписці два списання.", "billing", "simple" },
    { "Рахунок за листопад", "Надішліть, будь ласка, рахунок.", "billing", "simple" },
    { "Двойное списание", "Почему с меня дважды сняли оплату? Счёт 1234.", "billing", "simple" },
    { "Why was I charged twice?", "My card was charged twice this month.", "billing", "simple" },
    { "Invoice 2026-11", "Please send the invoice again.", "billing", "simple" },
    { "Прошу повернення коштів", "Сервер не працював три дні, прошу повернення коштів.", "billing", "complex" },
    { "Возврат", "Верните деньги за неиспользованный месяц.", "billing", "complex" },
    { "Refund request", "I would like a refund for the unused month.", "billing", "complex" },
    { "Мій VPS дуже повільний", "Сайт відкривається по 20 секунд.", "support", "standard" },
    { "VPS тормозит", "Сервер работает очень медленно.", "support", "standard" },
    { "My VPS is slow", "Pages take 20 seconds to load.", "support", "standard" },
    { "Налаштування фаєрвола", "Можете налаштувати правила фаєрвола для мого VPS?", "sysadmins", "complex" },
    { "Настройка фаервола", "Настройте, пожалуйста, брандмауэр на сервере.", "sysadmins", "complex" },
    { "Firewall rules", "Can you set up a firewall rule set for my VPS?", "sysadmins", "complex" },
    { "Не можу увійти в панель", "Забув пароль від панелі керування.", "support", "simple" },
    { "Нет доступа", "Не могу войти в панель, логин не принимается.", "support", "simple" },
    { "Cannot log in", "The password reset mail never arrives.", "support", "simple" },
};

static void test_policy_examples(void **state)
{
    const char *file = *state;
    sg_rules *r = shipped_rules(file);
    for (size_t i = 0; i < G_N_ELEMENTS(examples); i++) {
        const example *e = &examples[i];
        const char *team = NULL, *category = NULL;
        if (!sg_rules_match(r, e->subject, e->text, &team, &category))
            fail_msg("%s: \"%s\" matched no rule", file, e->subject);
        if (strcmp(team, e->team) || strcmp(category, e->category))
            fail_msg("%s: \"%s\": %s %s, expected %s %s", file, e->subject, team, category, e->team, e->category);
    }
    sg_rules_free(r);
}

/* A firewall question that mentions slowness is the harder problem: the first matching rule wins. */
static void test_first_rule_wins(void **state)
{
    sg_rules *r = shipped_rules(*state);
    const char *team = NULL, *category = NULL;
    assert_int_equal(1, sg_rules_match(r, "Slow after the firewall change", "", &team, &category));
    assert_string_equal("sysadmins", team);
    assert_string_equal("complex", category);
    sg_rules_free(r);
}

/* Mail that names none of the topics is left to the first line's default. */
static void test_no_match(void **state)
{
    sg_rules *r = shipped_rules(*state);
    const char *team = "unset", *category = "unset";
    assert_int_equal(0, sg_rules_match(r, "Привіт", "Дякую за швидку відповідь!", &team, &category));
    assert_int_equal(0, sg_rules_match(r, "Hello", "Thanks for the quick answer.", &team, &category));
    assert_string_equal("unset", team);
    sg_rules_free(r);
}

static void test_bad_rules(void **state)
{
    (void)state;
    sg_rules *r = sg_rules_new();
    char *err = NULL;
    assert_int_equal(-1, sg_rules_add(r, "billing cheap invoice", &err));
    assert_non_null(strstr(err, "category must be"));
    g_free(err);
    err = NULL;
    assert_int_equal(-1, sg_rules_add(r, "billing simple (unclosed", &err));
    assert_non_null(strstr(err, "does not compile"));
    g_free(err);
    err = NULL;
    assert_int_equal(-1, sg_rules_add(r, "billing simple", &err));
    assert_non_null(strstr(err, "expects"));
    g_free(err);
    sg_rules_free(r);
}

int main(void)
{
    static const char *example_conf = "doc/supportgate.conf.example", *sandbox_conf = "contrib/sandbox.conf.extra";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_policy_examples, (void *)example_conf),
        cmocka_unit_test_prestate(test_policy_examples, (void *)sandbox_conf),
        cmocka_unit_test_prestate(test_first_rule_wins, (void *)example_conf),
        cmocka_unit_test_prestate(test_no_match, (void *)example_conf),
        cmocka_unit_test(test_bad_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
