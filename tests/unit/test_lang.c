/* test_lang.c - a customer's language: English unless mostly Cyrillic, then Russian or Ukrainian. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "lang.h"

static const char utf8[] = "Повільно працює сервер";

static void language_is_cyrillic_when_a_third_is_cyrillic(void **state)
{
    (void)state;
    assert_string_equal(sg_text_lang(utf8), "uk");
    assert_string_equal(sg_text_lang("My VPS is slow"), "en");
    assert_string_equal(sg_text_lang("VPS повільно працює"), "uk");
    assert_string_equal(sg_text_lang("Server abcdefghij is down since yesterday, ціна"), "en");
    assert_string_equal(sg_text_lang("12345 !!!"), "en");
    assert_string_equal(sg_text_lang(""), "en");
    assert_string_equal(sg_text_lang(NULL), "en");
}

static void russian_and_ukrainian_are_told_apart(void **state)
{
    (void)state;
    /* By the letters only one of them has. */
    assert_string_equal(sg_text_lang("Мой сервер не отвечает с утра, выручайте"), "ru");
    assert_string_equal(sg_text_lang("Мій сервер не відповідає з ранку"), "uk");
    assert_string_equal(sg_text_lang("Счёт за VPS"), "ru");
    assert_string_equal(sg_text_lang("Оплата за VPS, рахунок є"), "uk");
    /* Letters outweigh a stray word of the other language: a Russian mail quoting "Вітаємо". */
    assert_string_equal(sg_text_lang("Вітаємо! Вы ответили, но сайт по-прежнему выдаёт ошибку, было бы хорошо"), "ru");
    /* None of those letters: frequent words decide. */
    assert_string_equal(sg_text_lang("Здравствуйте"), "ru");
    assert_string_equal(sg_text_lang("Добрый день, что с сервером"), "ru");
    assert_string_equal(sg_text_lang("Добрий день, що з сервером"), "uk");
    /* Nothing decides: the company's language. */
    assert_string_equal(sg_text_lang("Сервер упал"), "uk");
}

static void cyrillic_is_the_cyrillic_blocks(void **state)
{
    (void)state;
    assert_true(sg_text_is_cyrillic(0x0410));  /* А */
    assert_true(sg_text_is_cyrillic(0x0491));  /* ґ */
    assert_true(sg_text_is_cyrillic(0x052F));
    assert_false(sg_text_is_cyrillic('a'));
    assert_false(sg_text_is_cyrillic(0x00E0)); /* à */
    assert_false(sg_text_is_cyrillic(0x0530));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(language_is_cyrillic_when_a_third_is_cyrillic),
        cmocka_unit_test(russian_and_ukrainian_are_told_apart),
        cmocka_unit_test(cyrillic_is_the_cyrillic_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
