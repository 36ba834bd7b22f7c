/* libmilter/mfapi.h - a layer that must not use libmilter sees this instead of the real header (see Makefile.am). */
#error "<libmilter/mfapi.h> is not for this layer: libmilter belongs to src/milter/"
