/* address.h - mail addresses (addr-specs): angle brackets, case, validity, the local and the domain part. */
#ifndef SG_ADDRESS_H
#define SG_ADDRESS_H

/* ADDR without surrounding white space and one pair of angle brackets around it, as SMTP gives it ("<a@b>");
 * "" for NULL (g_free). */
char *sg_address_bare(const char *addr);

/* ADDR lower-cased, the form in which addresses are stored and compared (g_free).  ASCII only: the domain is
 * case-insensitive, and no mail system of ours tells local parts apart by case. */
char *sg_address_lower(const char *addr);

/* Whether two addresses are one, whatever their case; never for NULL or "". */
int sg_address_same(const char *a, const char *b);

/* Whether S is an address the gateway may use and store: LOCAL@DOMAIN with one '@', both parts non-empty, and
 * none of the characters that would end or split it in a header or a list (space, tab, <>,;"\). */
int sg_address_valid(const char *s);

/* The domain part of ADDRESS, or ADDRESS itself when it has no '@'. */
const char *sg_address_domain(const char *address);

/* The local part of ADDR lower-cased, all of ADDR when it has no '@' (g_free). */
char *sg_address_local(const char *addr);

#endif
