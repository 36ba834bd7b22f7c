/* libpq-fe.h - a layer that must not use libpq sees this instead of the real header (see Makefile.am). */
#error "<libpq-fe.h> is not for this layer: PostgreSQL belongs to src/db/ and the shells over it"
