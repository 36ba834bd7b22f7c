/* syslog.h - a layer that must not use syslog sees this instead of the real header (see Makefile.am). */
#error "<syslog.h> is not for this layer: logging belongs to the shells (src/daemon/log.c); a module returns what happened"
