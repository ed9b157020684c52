#ifndef TIDINGS_CZLIB_SHIM_H
#define TIDINGS_CZLIB_SHIM_H
/* zlib, for gunzipping files read whole (Markup's FileReader). */
#include <zlib.h>

/* inflateInit2 for gzip streams (a macro in zlib.h, so Swift cannot call it): Z_OK or zlib's error. */
static inline int tidings_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
