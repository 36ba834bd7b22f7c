/* wording.h - what customer mail says in each of its languages: greetings, clock times, time zones, working hours. */
#ifndef SG_WORDING_H
#define SG_WORDING_H

#include "config.h"
#include "sgtime.h"

/* LANG is "uk", "ru" or anything else for English.  Times are Unix seconds, ZONE an IANA name (an unknown one
 * reads as UTC).  Every function returns a g_malloc'ed string. */

/* The line a letter opens with: "Вітаємо, Оксано!", "Здравствуйте, Оксана!", "Hello Oksana Melnyk,".  NAME is
 * the customer's display name (may be NULL).  Ukrainian addresses a person in the vocative, which is only
 * written for the given names the table knows (Оксана -> Оксано); any other name gets the greeting alone
 * ("Вітаємо!"), as does a display name that is an address or has no letters. */
char *sg_words_greeting(const char *lang, const char *name);

/* ZONE as a person says it: "за київським часом", "по киевскому времени", "Kyiv time"; a zone the table does
 * not know by the offset it has at AT ("за часом UTC+4"). */
char *sg_words_zone(const char *lang, const char *zone, sg_time at);

/* T on the clock of ZONE: "19:02" when it falls on the same local day as NOW, else "7 грудня, 11:00",
 * "7 декабря, 11:00", "7 December, 11:00" (and the year when it is not NOW's). */
char *sg_words_when(const char *lang, const char *zone, sg_time t, sg_time now);

/* T as the staff read times, "2026-12-05 19:02", on the clock of ZONE. */
char *sg_words_stamp(const char *zone, sg_time t);

/* TEAM's working hours in LANG and the customer's ZONE, as of the team's next shift after NOW:
 * "пн–пт 09:00–18:00 за центральноєвропейським часом (10:00–19:00 за київським)"; "цілодобово" without a
 * calendar; several calendars (sites) joined by "або", "или", "or". */
char *sg_words_hours(const char *lang, const sg_team *team, const char *zone, sg_time now);

#endif
