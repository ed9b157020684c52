#ifndef TIDINGS_CMALLOC_SHIM_H
#define TIDINGS_CMALLOC_SHIM_H
/* glibc's malloc tuning (mallopt), for the daemon's arena limit. */
#include <malloc.h>
#endif
