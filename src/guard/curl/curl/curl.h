/* curl/curl.h - a layer that must not use libcurl sees this instead of the real header (see Makefile.am). */
#error "<curl/curl.h> is not for this layer: SMTP belongs to src/db/smtp.c and the scheduler"
