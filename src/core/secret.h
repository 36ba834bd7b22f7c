/* secret.h - finds the passwords a configuration value can carry, so a readable file or a log line never leaks one. */
#ifndef SG_SECRET_H
#define SG_SECRET_H

/* Whether a libpq connection string carries a password: "password=..." or "sslpassword=..." among keyword=value
 * pairs (also inside a dbname that is itself a connection string), or a postgresql:// URI with user:password@,
 * ?password= or ?sslpassword=.
 * A string libpq could not parse counts as secret when it contains the word "password" anywhere. */
int sg_conninfo_has_password(const char *conninfo);

/* Whether URL (scheme://user:password@host/...) carries a password in its user information. */
int sg_url_has_password(const char *url);

/* URL with the password in its user information replaced by "***", for log lines (g_free). */
char *sg_url_redact(const char *url);

#endif
