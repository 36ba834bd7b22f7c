/* duration.h - human durations ("90s", "2m", "1h30m", "1d") and byte sizes ("25M") as numbers. */
#ifndef SG_DURATION_H
#define SG_DURATION_H

/* Parse a duration into seconds.  A bare number means seconds.  Units: s, m, h, d, w, combinable
 * ("1h30m").  Returns 0 and sets *OUT, or -1 on a malformed or overflowing value. */
int sg_duration_parse(const char *s, long long *out);

/* Parse a size into bytes: a number with an optional K, M or G suffix (powers of 1024). */
int sg_size_parse(const char *s, long long *out);

/* BYTES for people: "512 bytes", "340 KB", "12.3 MB", "1.2 GB" (powers of 1024, as sizes parse).  Returns BUF. */
char *sg_size_format(long long bytes, char *buf, unsigned long len);

/* Format SECONDS compactly ("2m", "1h30m", "0s") into BUF of LEN bytes; returns BUF. */
char *sg_duration_format(long long seconds, char *buf, unsigned long len);

/* SECONDS in words for customers, in LANG ("uk", "ru", anything else for English), largest whole unit:
 * "10 minutes", "2 hours", "10 хвилин", "10 минут" (genitive, as after "протягом").  Returns BUF. */
char *sg_duration_words(long long seconds, const char *lang, char *buf, unsigned long len);

/* SECONDS as hours and minutes for operators: "2 h 27 min", "3 h", "45 min", "0 min" (rounded down; a
 * negative value keeps its sign).  Returns BUF. */
char *sg_duration_hm(long long seconds, char *buf, unsigned long len);
/* The same in LANG's abbreviations ("2 год 27 хв", "2 ч 27 мин"; anything but uk and ru: English). */
char *sg_duration_hm_lang(long long seconds, const char *lang, char *buf, unsigned long len);

#endif
