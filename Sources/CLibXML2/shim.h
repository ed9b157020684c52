#ifndef TIDINGS_CLIBXML2_SHIM_H
#define TIDINGS_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its ICU headers clash with Foundation's own copy of ICU.
   Nothing here uses the ICU converter fields, so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlIO.h>

/* xmlFree is a global function pointer; Swift 6 cannot call it safely, so wrap it. */
static inline void tidings_xml_free(void *p) { xmlFree(p); }
#endif
