/* phrase.c - the sentences the gateway writes itself, to customers and to staff, in each of their languages. */
#include "phrase.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "template.h"

/* Whole mails to customers are operator-editable templates; these sentences are only pieces of them, chosen by
 * the ticket's state, and the mail to staff is made of them, so they live here, one row per language, English
 * first as the fallback.  SLA and team names stay as configured: they are identifiers staff also type. */
static const struct {
    const char *lang;
    const char *text[SG_PHRASE_COUNT];
} phrases[] = {
    { "en", {
        [SG_PHRASE_ETA_LABEL] = "Estimated resolution",
        [SG_PHRASE_HOURS_NOTE] = "These specialists work {{hours}}. They will take up your request at the start of their next shift.\n\n",
        [SG_PHRASE_NEWS_NOTE] = "You will hear from us about the progress by {{due}} ({{timezone}}) at the latest.\n\n",
        [SG_PHRASE_ETA_NOTE] = "We expect the incident to be resolved by {{eta}} ({{timezone}}).\n\n",
        [SG_PHRASE_BREACH_SUBJECT] = "{{tag}} SLA breach: {{sla}} ({{team}})",
        [SG_PHRASE_BREACH_HEADLINE] = "Ticket {{tag}} missed its {{sla}} target.",
        [SG_PHRASE_WARNING_SUBJECT] = "{{tag}} SLA warning: {{sla}} due soon ({{team}})",
        [SG_PHRASE_WARNING_HEADLINE] = "Ticket {{tag}} is close to its {{sla}} deadline.",
        [SG_PHRASE_REMINDER_SUBJECT] = "{{tag}} Update due: the customer is waiting for news ({{team}})",
        [SG_PHRASE_REMINDER_HEADLINE] = "Ticket {{tag}}: the customer has heard nothing from us for the whole update interval.\n"
                                        "Please tell them what is being done and when you expect it resolved"
                                        " (#eta sets the estimate).",
        [SG_PHRASE_HOLD_SUBJECT] = "{{tag}} Write to the customer: {{team}} is away until {{back}}",
        [SG_PHRASE_HOLD_FIRST] = "Ticket {{tag}} belongs to {{team}}, off shift until {{back}} ({{timezone}}), and no person"
                                 " has answered the customer yet.\n"
                                 "The first line holds the ticket meanwhile: please answer them now (what you can check,"
                                 " who has the request and when they work).",
        [SG_PHRASE_HOLD_NEWS] = "Ticket {{tag}} belongs to {{team}}, off shift until {{back}} ({{timezone}}); the customer"
                                " has heard nothing from us for the whole update interval.\n"
                                "The first line holds the ticket meanwhile: please tell them where it stands.",
        [SG_PHRASE_NOTICE_BODY] = "{{headline}}\n\n  due:        {{due}} ({{timezone}})\n  team:       {{team}}\n"
                                  "  requester:  {{requester}}\n  subject:    {{subject}}\n\n"
                                  "Details: supportgate ticket show {{id}}\n",
        [SG_PHRASE_TEAM_COPY_BODY] = "{{headline}}\n\nTicket {{tag}}: {{subject}}\nRequester: {{requester}}\n\n"
                                     "History (oldest first):\n\n{{history}}\n",
        [SG_PHRASE_TEAM_COPY_LEFT_OUT] = "Files of the ticket too large to attach here (attachment_max_mail):\n"
                                         "{{files}}",
        [SG_PHRASE_REFUSED_SUBJECT] = "Not applied: {{subject}}",
        [SG_PHRASE_REFUSED_WHERE] = " to ticket {{tag}}",
        [SG_PHRASE_REFUSED_BODY] = "Your mail was not applied{{where}}:\n\n{{why}}\n"
                                   "Nothing was changed and nothing was sent to the customer.\n"
                                   "Commands go on the first lines, one per line: #status open|pending|resolved|closed,\n"
                                   "#escalate TEAM [reason], #assign AGENT, #eta 2h|2026-11-27 17:00,\n"
                                   "#category simple|standard|complex|custom, #internal, #merge N, #link N,\n"
                                   "#incident new TITLE|INC-N, #approve TEXT.\n",
        [SG_PHRASE_ETA_OFF_SHIFT_SUBJECT] = "{{tag}} Estimate outside the hours of {{team}}",
        [SG_PHRASE_ETA_OFF_SHIFT_BODY] = "Your estimate for ticket {{tag}}, {{eta}} ({{timezone}}), falls outside the hours of {{team}}:"
                                         " {{hours}}.\nTheir next shift begins {{next}} ({{timezone}}).\n\n"
                                         "The estimate was applied. If nobody will be at work then, send a new #eta.\n",
        [SG_PHRASE_OVERLOAD_SUBJECT] = "Overload: {{n}} tickets wait for a first response, the oldest for {{oldest}}",
        [SG_PHRASE_OVERLOAD_BODY] = "The first line is overloaded since {{since}} ({{timezone}}): {{n}} tickets wait for a"
                                    " first response, the oldest for {{oldest}} ({{threshold}}).\n"
                                    "{{overflow}}\n"
                                    "You hear of this episode once; it ends when the backlog is back under the"
                                    " threshold.\n\n"
                                    "The longest waits:\n{{list}}",
        [SG_PHRASE_OVERLOAD_THRESHOLD_N] = "threshold: {{n}} tickets",
        [SG_PHRASE_OVERLOAD_THRESHOLD_WAIT] = "threshold: a wait of {{wait}}",
        [SG_PHRASE_OVERFLOW_ON] = "Meanwhile new standard tickets go to {{team}}.",
        [SG_PHRASE_OVERFLOW_OFF] = "No overflow team is configured: new tickets keep going to the first line.",
        [SG_PHRASE_WATCH_SUBJECT] = "Possible incident: {{customers}} customers mention {{clue}} within {{window}}",
        [SG_PHRASE_WATCH_BODY] = "{{n}} new tickets from {{customers}} different customers mention {{clue}} within {{window}}"
                                 " (times in {{timezone}}):\n\n{{list}}\n"
                                 "They may share one cause. If they do, open an incident from one of them (reply"
                                 " with #incident new TITLE) and join the others (#incident INC-N): the customers"
                                 " then hear from you in one mail each. Nothing has been linked yet.\n",
        [SG_PHRASE_CLUE_HOST] = "the server {{what}}",
        [SG_PHRASE_CLUE_IP] = "the address {{what}}",
        [SG_PHRASE_CLUE_WORD] = "\"{{what}}\"",
        [SG_PHRASE_CLUE_CLASS] = "the classification {{what}}",
        [SG_PHRASE_APPROVAL_SUBJECT] = "{{apr}} Approval requested: {{text}} ({{tag}})",
        [SG_PHRASE_APPROVAL_BODY] = "{{agent}} asks for your approval on ticket {{tag}}:\n\n    {{text}}\n\n"
                                    "The customer: {{requester}}, \"{{subject}}\".\n\n"
                                    "Reply to this mail with \"approve\" or \"deny\" as the first word (a reason may"
                                    " follow), sent with your login through the submission port. The answer is due by"
                                    " {{due}} ({{timezone}}). The customer hears of it only when the agent writes.\n",
        [SG_PHRASE_APPROVAL_REMIND] = "Reminder: {{apr}} Approval requested: {{text}} (due {{due}})",
        [SG_PHRASE_APPROVAL_DECIDED_SUBJECT] = "{{tag}} {{decision}}: {{text}}",
        [SG_PHRASE_APPROVAL_DECIDED_BODY] = "{{approver}}: {{decision}} - {{apr}} \"{{text}}\" on ticket {{tag}}.\n"
                                            "{{reason}}\n\n"
                                            "The customer has not been told: write to them when you are ready.\n",
        [SG_PHRASE_APPROVAL_APPROVED] = "Approved",
        [SG_PHRASE_APPROVAL_DENIED] = "Denied",
        [SG_PHRASE_APPROVAL_NO_REASON] = "No reason was given.",
        [SG_PHRASE_APPROVAL_OVERDUE_SUBJECT] = "{{tag}} Approval overdue: {{apr}} {{text}}",
        [SG_PHRASE_APPROVAL_OVERDUE_BODY] = "Nobody decided {{apr}} \"{{text}}\" on ticket {{tag}} by {{due}}"
                                            " ({{timezone}}). The approvers asked: {{approvers}}.\n"
                                            "It is recorded as a breach; an answer still decides it.\n",
        [SG_PHRASE_APPROVAL_REFUSED_BODY] = "Your answer to {{apr}} was not applied:\n\n{{why}}\n\nNothing was decided."
                                            " An approver decides by answering \"approve\" or \"deny\" as the first"
                                            " word, with their login through the submission port.\n",
        [SG_PHRASE_FOLLOWS_SUBJECT] = "{{tag}} follows up closed ticket {{old}}",
        [SG_PHRASE_FOLLOWS_BODY] = "The customer wrote again about ticket {{old}}, closed on {{closed}} ({{timezone}}), longer"
                                   " ago than reopen_window: the mail opened ticket {{tag}}, linked to {{old}}.\n\n"
                                   "The last exchange of {{old}}:\n\n{{exchange}}",
        [SG_PHRASE_FOLLOWS_WROTE] = "{{at}}  {{who}} wrote:",
        [SG_PHRASE_FOLLOWS_ANSWERED] = "{{at}}  {{who}} answered:",
        [SG_PHRASE_DIGEST_SUBJECT] = "SLA digest ({{schedule}}): {{n}} breach(es), {{from}} to {{to}}",
        [SG_PHRASE_DIGEST_TITLE] = "SLA breaches from {{from}} to {{to}} ({{timezone}}): {{n}} (previous period: {{prev}})",
        [SG_PHRASE_DIGEST_NONE] = "No SLA breaches in this period.",
        [SG_PHRASE_DIGEST_ATTAINMENT] = "Attainment by SLA (clocks due in the period)",
        [SG_PHRASE_DIGEST_BY_TEAM] = "By team",
        [SG_PHRASE_DIGEST_WORST] = "Worst tickets",
        [SG_PHRASE_DIGEST_UP] = "up from {{prev}}",
        [SG_PHRASE_DIGEST_DOWN] = "down from {{prev}}",
        [SG_PHRASE_DIGEST_SAME] = "unchanged at {{prev}}",
        [SG_PHRASE_DIGEST_NO_PREV] = "no previous figure",
        [SG_PHRASE_DIGEST_OVERLOAD] = "Overload: {{n}} episode(s) in the period; largest backlog {{peak}} tickets, longest wait at an episode's start {{wait}}.",
        [SG_PHRASE_DIGEST_COLUMNS] = "SLA|met|breached|attained|previous period|team|ticket|owner|status|late (working time)|subject",
    } },
    { "uk", {
        [SG_PHRASE_ETA_LABEL] = "Орієнтовний час розв'язання",
        [SG_PHRASE_HOURS_NOTE] = "Ці фахівці працюють {{hours}}. Вони візьмуться за ваш запит на початку своєї наступної зміни.\n\n",
        [SG_PHRASE_NEWS_NOTE] = "Наступну звістку про хід роботи ви отримаєте не пізніше {{due}} ({{timezone}}).\n\n",
        [SG_PHRASE_ETA_NOTE] = "Ми очікуємо, що інцидент буде усунено до {{eta}} ({{timezone}}).\n\n",
        [SG_PHRASE_BREACH_SUBJECT] = "{{tag}} Порушення SLA: {{sla}} ({{team}})",
        [SG_PHRASE_BREACH_HEADLINE] = "Заявка {{tag}} не вклалася в термін {{sla}}.",
        [SG_PHRASE_WARNING_SUBJECT] = "{{tag}} Попередження SLA: термін {{sla}} спливає ({{team}})",
        [SG_PHRASE_WARNING_HEADLINE] = "У заявки {{tag}} наближається термін {{sla}}.",
        [SG_PHRASE_REMINDER_SUBJECT] = "{{tag}} Час для оновлення: клієнт чекає на новини ({{team}})",
        [SG_PHRASE_REMINDER_HEADLINE] = "Заявка {{tag}}: увесь інтервал оновлення клієнт нічого від нас не чув.\n"
                                        "Напишіть, що робиться і коли очікуєте розв'язання (#eta задає оцінку).",
        [SG_PHRASE_HOLD_SUBJECT] = "{{tag}} Напишіть клієнтові: {{team}} не працює до {{back}}",
        [SG_PHRASE_HOLD_FIRST] = "Заявка {{tag}} належить команді {{team}}, яка не працює до {{back}} ({{timezone}}),"
                                 " і клієнтові ще ніхто не відповів.\n"
                                 "Тим часом заявку тримає перша лінія: відповідайте клієнтові зараз (що можна перевірити,"
                                 " у кого запит і коли вони працюють).",
        [SG_PHRASE_HOLD_NEWS] = "Заявка {{tag}} належить команді {{team}}, яка не працює до {{back}} ({{timezone}});"
                                " увесь інтервал оновлення клієнт нічого від нас не чув.\n"
                                "Тим часом заявку тримає перша лінія: напишіть клієнтові, як просувається справа.",
        [SG_PHRASE_NOTICE_BODY] = "{{headline}}\n\n  термін:     {{due}} ({{timezone}})\n  команда:    {{team}}\n"
                                  "  клієнт:     {{requester}}\n  тема:       {{subject}}\n\n"
                                  "Подробиці: supportgate ticket show {{id}}\n",
        [SG_PHRASE_TEAM_COPY_BODY] = "{{headline}}\n\nЗаявка {{tag}}: {{subject}}\nКлієнт: {{requester}}\n\n"
                                     "Історія (від найдавнішого):\n\n{{history}}\n",
        [SG_PHRASE_TEAM_COPY_LEFT_OUT] = "Файли заявки, завеликі, щоб додати їх сюди (attachment_max_mail):\n"
                                         "{{files}}",
        [SG_PHRASE_REFUSED_SUBJECT] = "Не застосовано: {{subject}}",
        [SG_PHRASE_REFUSED_WHERE] = " до заявки {{tag}}",
        [SG_PHRASE_REFUSED_BODY] = "Ваш лист не застосовано{{where}}:\n\n{{why}}\n"
                                   "Нічого не змінено, клієнтові нічого не надіслано.\n"
                                   "Команди пишуть на перших рядках, по одній у рядку: #status open|pending|resolved|closed,\n"
                                   "#escalate КОМАНДА [причина], #assign АГЕНТ, #eta 2h|2026-11-27 17:00,\n"
                                   "#category simple|standard|complex|custom, #internal, #merge N, #link N,\n"
                                   "#incident new TITLE|INC-N, #approve TEXT.\n",
        [SG_PHRASE_ETA_OFF_SHIFT_SUBJECT] = "{{tag}} Оцінка поза робочими годинами: {{team}}",
        [SG_PHRASE_ETA_OFF_SHIFT_BODY] = "Ваша оцінка для заявки {{tag}}, {{eta}} ({{timezone}}), припадає на неробочий час"
                                         " ({{team}}: {{hours}}).\nНаступна зміна починається {{next}} ({{timezone}}).\n\n"
                                         "Оцінку застосовано. Якщо тоді ніхто не працюватиме, надішліть нову #eta.\n",
        [SG_PHRASE_OVERLOAD_SUBJECT] = "Перевантаження: заявок без першої відповіді — {{n}}, найдовше очікування {{oldest}}",
        [SG_PHRASE_OVERLOAD_BODY] = "Перша лінія перевантажена з {{since}} ({{timezone}}): заявок без першої відповіді —"
                                    " {{n}}, найдовше очікування {{oldest}} ({{threshold}}).\n"
                                    "{{overflow}}\n"
                                    "Про цей епізод ви дізнаєтеся один раз; він закінчиться, коли черга знову буде"
                                    " нижча за поріг.\n\n"
                                    "Найдовше чекають:\n{{list}}",
        [SG_PHRASE_OVERLOAD_THRESHOLD_N] = "поріг черги — {{n}}",
        [SG_PHRASE_OVERLOAD_THRESHOLD_WAIT] = "поріг очікування — {{wait}}",
        [SG_PHRASE_OVERFLOW_ON] = "Тим часом нові стандартні заявки отримує {{team}}.",
        [SG_PHRASE_OVERFLOW_OFF] = "Команду для надлишку не налаштовано: нові заявки й далі йдуть першій лінії.",
        [SG_PHRASE_WATCH_SUBJECT] = "Можливий інцидент: {{customers}} клієнтів згадують {{clue}} протягом {{window}}",
        [SG_PHRASE_WATCH_BODY] = "{{n}} нових заявок від {{customers}} різних клієнтів згадують {{clue}} протягом {{window}}"
                                 " (час за {{timezone}}):\n\n{{list}}\n"
                                 "Можливо, у них одна причина. Якщо так, відкрийте інцидент з однієї з них (відповідь"
                                 " з #incident new НАЗВА) і приєднайте інші (#incident INC-N): тоді клієнти отримають"
                                 " від вас по одному листу. Поки що нічого не пов'язано.\n",
        [SG_PHRASE_CLUE_HOST] = "сервер {{what}}",
        [SG_PHRASE_CLUE_IP] = "адресу {{what}}",
        [SG_PHRASE_CLUE_WORD] = "«{{what}}»",
        [SG_PHRASE_CLUE_CLASS] = "класифікацію {{what}}",
        [SG_PHRASE_APPROVAL_SUBJECT] = "{{apr}} Потрібне погодження: {{text}} ({{tag}})",
        [SG_PHRASE_APPROVAL_BODY] = "{{agent}} просить вашого погодження щодо заявки {{tag}}:\n\n    {{text}}\n\n"
                                    "Клієнт: {{requester}}, «{{subject}}».\n\n"
                                    "Дайте відповідь на цей лист, почавши її словом \"approve\" або \"deny\" (далі можна"
                                    " пояснити причину), надіславши її зі своїм логіном через порт submission. Відповідь"
                                    " потрібна до {{due}} ({{timezone}}). Клієнт дізнається про рішення, лише коли йому"
                                    " напише агент.\n",
        [SG_PHRASE_APPROVAL_REMIND] = "Нагадування: {{apr}} Потрібне погодження: {{text}} (до {{due}})",
        [SG_PHRASE_APPROVAL_DECIDED_SUBJECT] = "{{tag}} Рішення: {{decision}} — {{text}}",
        [SG_PHRASE_APPROVAL_DECIDED_BODY] = "{{approver}}: {{decision}} - {{apr}} «{{text}}», заявка {{tag}}.\n"
                                            "{{reason}}\n\n"
                                            "Клієнту ще нічого не повідомлено: напишіть йому, коли будете готові.\n",
        [SG_PHRASE_APPROVAL_APPROVED] = "Погоджено",
        [SG_PHRASE_APPROVAL_DENIED] = "Відхилено",
        [SG_PHRASE_APPROVAL_NO_REASON] = "Причину не вказано.",
        [SG_PHRASE_APPROVAL_OVERDUE_SUBJECT] = "{{tag}} Погодження прострочене: {{apr}} {{text}}",
        [SG_PHRASE_APPROVAL_OVERDUE_BODY] = "Ніхто не ухвалив рішення щодо {{apr}} «{{text}}» (заявка {{tag}}) до {{due}}"
                                            " ({{timezone}}). Запит отримали: {{approvers}}.\n"
                                            "Це записано як порушення; відповідь і далі ухвалює рішення.\n",
        [SG_PHRASE_APPROVAL_REFUSED_BODY] = "Вашу відповідь на {{apr}} не застосовано:\n\n{{why}}\n\nРішення не"
                                            " ухвалено. Погоджувач вирішує, відповівши словом \"approve\" або \"deny\""
                                            " на початку, зі своїм логіном через порт submission.\n",
        [SG_PHRASE_FOLLOWS_SUBJECT] = "{{tag}} продовжує закриту заявку {{old}}",
        [SG_PHRASE_FOLLOWS_BODY] = "Клієнт знову написав щодо заявки {{old}}, закритої {{closed}} ({{timezone}}), раніше,"
                                   " ніж reopen_window: лист відкрив заявку {{tag}}, пов'язану з {{old}}.\n\n"
                                   "Остання розмова в {{old}}:\n\n{{exchange}}",
        [SG_PHRASE_FOLLOWS_WROTE] = "{{at}}  {{who}} пише:",
        [SG_PHRASE_FOLLOWS_ANSWERED] = "{{at}}  {{who}} відповідає:",
        [SG_PHRASE_DIGEST_SUBJECT] = "Зведення SLA ({{schedule}}): порушень {{n}}, {{from}} - {{to}}",
        [SG_PHRASE_DIGEST_TITLE] = "Порушення SLA з {{from}} до {{to}} ({{timezone}}): {{n}} (попередній період: {{prev}})",
        [SG_PHRASE_DIGEST_NONE] = "За цей період порушень SLA не було.",
        [SG_PHRASE_DIGEST_ATTAINMENT] = "Виконання SLA (терміни, що настали за період)",
        [SG_PHRASE_DIGEST_BY_TEAM] = "За командами",
        [SG_PHRASE_DIGEST_WORST] = "Найбільші запізнення",
        [SG_PHRASE_DIGEST_UP] = "зросло з {{prev}}",
        [SG_PHRASE_DIGEST_DOWN] = "знизилося з {{prev}}",
        [SG_PHRASE_DIGEST_SAME] = "без змін, {{prev}}",
        [SG_PHRASE_DIGEST_NO_PREV] = "немає попереднього показника",
        [SG_PHRASE_DIGEST_OVERLOAD] = "Перевантаження: епізодів за період {{n}}; найбільша черга {{peak}} заявок, найдовше очікування на початку епізоду {{wait}}.",
        [SG_PHRASE_DIGEST_COLUMNS] = "SLA|вчасно|порушено|виконання|попередній період|команда|заявка|власник|статус|запізнення (робочий час)|тема",
    } },
    { "ru", {
        [SG_PHRASE_ETA_LABEL] = "Ориентировочное время решения",
        [SG_PHRASE_HOURS_NOTE] = "Эти специалисты работают {{hours}}. Они займутся вашим запросом в начале своей следующей смены.\n\n",
        [SG_PHRASE_NEWS_NOTE] = "Следующее сообщение о ходе работы вы получите не позднее {{due}} ({{timezone}}).\n\n",
        [SG_PHRASE_ETA_NOTE] = "Мы ожидаем, что инцидент будет устранён к {{eta}} ({{timezone}}).\n\n",
        [SG_PHRASE_BREACH_SUBJECT] = "{{tag}} Нарушение SLA: {{sla}} ({{team}})",
        [SG_PHRASE_BREACH_HEADLINE] = "Заявка {{tag}} не уложилась в срок {{sla}}.",
        [SG_PHRASE_WARNING_SUBJECT] = "{{tag}} Предупреждение SLA: срок {{sla}} истекает ({{team}})",
        [SG_PHRASE_WARNING_HEADLINE] = "У заявки {{tag}} приближается срок {{sla}}.",
        [SG_PHRASE_REMINDER_SUBJECT] = "{{tag}} Пора сообщить новости: клиент ждёт ({{team}})",
        [SG_PHRASE_REMINDER_HEADLINE] = "Заявка {{tag}}: весь интервал обновления клиент ничего от нас не слышал.\n"
                                        "Напишите, что делается и когда ожидается решение (#eta задаёт оценку).",
        [SG_PHRASE_HOLD_SUBJECT] = "{{tag}} Напишите клиенту: {{team}} не работает до {{back}}",
        [SG_PHRASE_HOLD_FIRST] = "Заявка {{tag}} принадлежит команде {{team}}, которая не работает до {{back}} ({{timezone}}),"
                                 " и клиенту ещё никто не ответил.\n"
                                 "Пока что заявку держит первая линия: ответьте клиенту сейчас (что можно проверить,"
                                 " у кого запрос и когда они работают).",
        [SG_PHRASE_HOLD_NEWS] = "Заявка {{tag}} принадлежит команде {{team}}, которая не работает до {{back}} ({{timezone}});"
                                " весь интервал обновления клиент ничего от нас не слышал.\n"
                                "Пока что заявку держит первая линия: напишите клиенту, как продвигается дело.",
        [SG_PHRASE_NOTICE_BODY] = "{{headline}}\n\n  срок:       {{due}} ({{timezone}})\n  команда:    {{team}}\n"
                                  "  клиент:     {{requester}}\n  тема:       {{subject}}\n\n"
                                  "Подробности: supportgate ticket show {{id}}\n",
        [SG_PHRASE_TEAM_COPY_BODY] = "{{headline}}\n\nЗаявка {{tag}}: {{subject}}\nКлиент: {{requester}}\n\n"
                                     "История (от самого давнего):\n\n{{history}}\n",
        [SG_PHRASE_TEAM_COPY_LEFT_OUT] = "Файлы заявки, слишком большие, чтобы приложить их сюда (attachment_max_mail):\n"
                                         "{{files}}",
        [SG_PHRASE_REFUSED_SUBJECT] = "Не применено: {{subject}}",
        [SG_PHRASE_REFUSED_WHERE] = " к заявке {{tag}}",
        [SG_PHRASE_REFUSED_BODY] = "Ваше письмо не применено{{where}}:\n\n{{why}}\n"
                                   "Ничего не изменено, клиенту ничего не отправлено.\n"
                                   "Команды пишут в первых строках, по одной в строке: #status open|pending|resolved|closed,\n"
                                   "#escalate КОМАНДА [причина], #assign АГЕНТ, #eta 2h|2026-11-27 17:00,\n"
                                   "#category simple|standard|complex|custom, #internal, #merge N, #link N,\n"
                                   "#incident new TITLE|INC-N, #approve TEXT.\n",
        [SG_PHRASE_ETA_OFF_SHIFT_SUBJECT] = "{{tag}} Оценка вне рабочих часов: {{team}}",
        [SG_PHRASE_ETA_OFF_SHIFT_BODY] = "Ваша оценка для заявки {{tag}}, {{eta}} ({{timezone}}), приходится на нерабочее время"
                                         " ({{team}}: {{hours}}).\nСледующая смена начинается {{next}} ({{timezone}}).\n\n"
                                         "Оценка применена. Если тогда никто не будет работать, отправьте новую #eta.\n",
        [SG_PHRASE_OVERLOAD_SUBJECT] = "Перегрузка: заявок без первого ответа — {{n}}, самое долгое ожидание {{oldest}}",
        [SG_PHRASE_OVERLOAD_BODY] = "Первая линия перегружена с {{since}} ({{timezone}}): заявок без первого ответа —"
                                    " {{n}}, самое долгое ожидание {{oldest}} ({{threshold}}).\n"
                                    "{{overflow}}\n"
                                    "Об этом эпизоде вы узнаёте один раз; он закончится, когда очередь снова будет"
                                    " ниже порога.\n\n"
                                    "Дольше всех ждут:\n{{list}}",
        [SG_PHRASE_OVERLOAD_THRESHOLD_N] = "порог очереди — {{n}}",
        [SG_PHRASE_OVERLOAD_THRESHOLD_WAIT] = "порог ожидания — {{wait}}",
        [SG_PHRASE_OVERFLOW_ON] = "Пока что новые стандартные заявки получает {{team}}.",
        [SG_PHRASE_OVERFLOW_OFF] = "Команда для перегрузки не настроена: новые заявки по-прежнему идут первой линии.",
        [SG_PHRASE_WATCH_SUBJECT] = "Возможный инцидент: {{customers}} клиентов упоминают {{clue}} в течение {{window}}",
        [SG_PHRASE_WATCH_BODY] = "{{n}} новых заявок от {{customers}} разных клиентов упоминают {{clue}} в течение {{window}}"
                                 " (время по {{timezone}}):\n\n{{list}}\n"
                                 "Возможно, у них одна причина. Если так, откройте инцидент из одной из них (ответ"
                                 " с #incident new НАЗВАНИЕ) и присоедините остальные (#incident INC-N): тогда клиенты"
                                 " получат от вас по одному письму. Пока ничего не связано.\n",
        [SG_PHRASE_CLUE_HOST] = "сервер {{what}}",
        [SG_PHRASE_CLUE_IP] = "адрес {{what}}",
        [SG_PHRASE_CLUE_WORD] = "«{{what}}»",
        [SG_PHRASE_CLUE_CLASS] = "классификацию {{what}}",
        [SG_PHRASE_APPROVAL_SUBJECT] = "{{apr}} Нужно согласование: {{text}} ({{tag}})",
        [SG_PHRASE_APPROVAL_BODY] = "{{agent}} просит вашего согласования по заявке {{tag}}:\n\n    {{text}}\n\n"
                                    "Клиент: {{requester}}, «{{subject}}».\n\n"
                                    "Ответьте на это письмо, начав ответ словом \"approve\" или \"deny\" (дальше можно"
                                    " указать причину), отправив его со своим логином через порт submission. Ответ нужен"
                                    " до {{due}} ({{timezone}}). Клиент узнает о решении, только когда ему напишет"
                                    " агент.\n",
        [SG_PHRASE_APPROVAL_REMIND] = "Напоминание: {{apr}} Нужно согласование: {{text}} (до {{due}})",
        [SG_PHRASE_APPROVAL_DECIDED_SUBJECT] = "{{tag}} Решение: {{decision}} — {{text}}",
        [SG_PHRASE_APPROVAL_DECIDED_BODY] = "{{approver}}: {{decision}} - {{apr}} «{{text}}», заявка {{tag}}.\n"
                                            "{{reason}}\n\n"
                                            "Клиенту пока ничего не сообщено: напишите ему, когда будете готовы.\n",
        [SG_PHRASE_APPROVAL_APPROVED] = "Согласовано",
        [SG_PHRASE_APPROVAL_DENIED] = "Отклонено",
        [SG_PHRASE_APPROVAL_NO_REASON] = "Причина не указана.",
        [SG_PHRASE_APPROVAL_OVERDUE_SUBJECT] = "{{tag}} Согласование просрочено: {{apr}} {{text}}",
        [SG_PHRASE_APPROVAL_OVERDUE_BODY] = "Никто не принял решения по {{apr}} «{{text}}» (заявка {{tag}}) до {{due}}"
                                            " ({{timezone}}). Запрос получили: {{approvers}}.\n"
                                            "Это записано как нарушение; ответ по-прежнему принимает решение.\n",
        [SG_PHRASE_APPROVAL_REFUSED_BODY] = "Ваш ответ на {{apr}} не применён:\n\n{{why}}\n\nРешение не принято."
                                            " Согласующий решает, ответив словом \"approve\" или \"deny\" в начале,"
                                            " со своим логином через порт submission.\n",
        [SG_PHRASE_FOLLOWS_SUBJECT] = "{{tag}} продолжает закрытую заявку {{old}}",
        [SG_PHRASE_FOLLOWS_BODY] = "Клиент снова написал по заявке {{old}}, закрытой {{closed}} ({{timezone}}), раньше,"
                                   " чем reopen_window: письмо открыло заявку {{tag}}, связанную с {{old}}.\n\n"
                                   "Последний обмен в {{old}}:\n\n{{exchange}}",
        [SG_PHRASE_FOLLOWS_WROTE] = "{{at}}  {{who}} пишет:",
        [SG_PHRASE_FOLLOWS_ANSWERED] = "{{at}}  {{who}} отвечает:",
        [SG_PHRASE_DIGEST_SUBJECT] = "Сводка SLA ({{schedule}}): нарушений {{n}}, {{from}} - {{to}}",
        [SG_PHRASE_DIGEST_TITLE] = "Нарушения SLA с {{from}} по {{to}} ({{timezone}}): {{n}} (предыдущий период: {{prev}})",
        [SG_PHRASE_DIGEST_NONE] = "За этот период нарушений SLA не было.",
        [SG_PHRASE_DIGEST_ATTAINMENT] = "Выполнение SLA (сроки, наступившие за период)",
        [SG_PHRASE_DIGEST_BY_TEAM] = "По командам",
        [SG_PHRASE_DIGEST_WORST] = "Самые большие опоздания",
        [SG_PHRASE_DIGEST_UP] = "выросло с {{prev}}",
        [SG_PHRASE_DIGEST_DOWN] = "снизилось с {{prev}}",
        [SG_PHRASE_DIGEST_SAME] = "без изменений, {{prev}}",
        [SG_PHRASE_DIGEST_NO_PREV] = "нет предыдущего показателя",
        [SG_PHRASE_DIGEST_OVERLOAD] = "Перегрузка: эпизодов за период {{n}}; наибольшая очередь {{peak}} заявок, самое долгое ожидание в начале эпизода {{wait}}.",
        [SG_PHRASE_DIGEST_COLUMNS] = "SLA|вовремя|нарушено|выполнение|предыдущий период|команда|заявка|владелец|статус|опоздание (рабочее время)|тема",
    } },
};

static const char *pair_lookup(const char *name, void *ctx)
{
    const char *const *pairs = ctx;
    for (; pairs[0]; pairs += 2)
        if (strcmp(pairs[0], name) == 0)
            return pairs[1];
    return NULL;
}

char *sg_phrase(const char *lang, sg_phrase_id id, ...)
{
    size_t row = 0;
    for (size_t i = 0; lang && i < G_N_ELEMENTS(phrases); i++)
        if (strcmp(phrases[i].lang, lang) == 0)
            row = i;
    GPtrArray *pairs = g_ptr_array_new();
    va_list ap;
    va_start(ap, id);
    for (const char *name; (name = va_arg(ap, const char *));) {
        g_ptr_array_add(pairs, (gpointer)name);
        g_ptr_array_add(pairs, (gpointer)va_arg(ap, const char *));
    }
    va_end(ap);
    g_ptr_array_add(pairs, NULL);
    char *out = sg_template_render(phrases[row].text[id], pair_lookup, pairs->pdata);
    g_ptr_array_free(pairs, TRUE);
    return out;
}

int sg_phrase_has_lang(const char *lang)
{
    for (size_t i = 0; lang && i < G_N_ELEMENTS(phrases); i++)
        if (strcmp(phrases[i].lang, lang) == 0)
            return 1;
    return 0;
}
