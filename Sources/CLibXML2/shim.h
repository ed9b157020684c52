#ifndef TIDINGS_CLIBXML2_SHIM_H
#define TIDINGS_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its ICU headers clash with Foundation's own copy of ICU.
   Nothing here uses the ICU converter fields, so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlIO.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <string.h>
#include <stdlib.h>

/* xmlFree is a global function pointer; Swift 6 cannot call it safely, so wrap it. */
static inline void tidings_xml_free(void *p) { xmlFree(p); }

/* Parses an HTML document in memory exactly as htmlReadMemory does, but hands every event to `sax` instead of
   building libxml2's tree. The handlers get the parser context, whose _private is `user`. */
static inline void tidings_html_sax_parse(const char *buffer, int size, const char *url, const char *encoding,
                                          int options, const htmlSAXHandler *sax, void *user) {
    xmlParserCtxtPtr ctxt;
    xmlInitParser();
    ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return;
    if (ctxt->sax != NULL) memcpy(ctxt->sax, sax, sizeof(xmlSAXHandlerV1));
    ctxt->_private = user;
    htmlCtxtUseOptions(ctxt, options);
    ctxt->html = 1;
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) {
            xmlSwitchToEncoding(ctxt, handler);
            if (ctxt->input->encoding != NULL) xmlFree((xmlChar *) ctxt->input->encoding);
            ctxt->input->encoding = xmlStrdup((const xmlChar *) encoding);
        }
    }
    if (url != NULL && ctxt->input != NULL && ctxt->input->filename == NULL)
        ctxt->input->filename = (char *) xmlStrdup((const xmlChar *) url);
    htmlParseDocument(ctxt);
    if (ctxt->myDoc != NULL) { xmlFreeDoc(ctxt->myDoc); ctxt->myDoc = NULL; }
    xmlFreeParserCtxt(ctxt);
}

/* An entity the document uses without declaring it: XML's own, then the document's (libxml2's SAX2 lookup), then
   HTML's named character references (&eacute; &nbsp; &hellip;), which feeds use as if XML had them; declared on the
   document shell when first met, they expand like a declared entity. Without this the reference was an error and
   its text was lost ("testing &aacute; entity" read as "testing  entity"). */
static xmlEntityPtr tidings_get_entity(void *ctx, const xmlChar *name) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr) ctx;
    xmlEntityPtr ent = xmlSAX2GetEntity(ctx, name);
    if (ent != NULL || ctxt == NULL || ctxt->myDoc == NULL || ctxt->inSubset != 0) return ent;
    const htmlEntityDesc *html = htmlEntityLookup(name);
    if (html == NULL) return NULL;
    xmlChar value[8];
    int n = xmlCopyCharMultiByte(value, (int) html->value);
    if (n <= 0) return NULL;
    value[n] = 0;
    if (ctxt->myDoc->intSubset == NULL && xmlCreateIntSubset(ctxt->myDoc, BAD_CAST "html-entities", NULL, NULL) == NULL)
        return NULL;
    return xmlAddDocEntity(ctxt->myDoc, name, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL, value);
}

/* libxml2's "generic" diagnostics (an encoding conversion that failed, with no parser to report to) went to stderr
   raw, breaking the one-event-per-line log; what matters reaches the readers through their structured error
   handlers. The handler is per thread in libxml2, and new threads take the default: both are set. */
static void tidings_ignore_generic_error(void *ctx, const char *msg, ...) { (void) ctx; (void) msg; }

static inline void tidings_quiet_generic_errors(void) {
    xmlThrDefSetGenericErrorFunc(NULL, tidings_ignore_generic_error);
    xmlSetGenericErrorFunc(NULL, tidings_ignore_generic_error);
}

/* The text an XML reader gathers from libxml2's SAX callbacks, in one growing buffer. libxml2 reports text in
   small pieces (one around every entity: millions in a feed of escaped HTML), so the character callback is here,
   in C: a piece costs a bounds check and a copy. `owner` is the reader the other callbacks reach, `pending` where
   text not yet made into an event starts (-1: none), `failed` set when memory ran out. */
typedef struct tidings_text_sink {
    void *owner;
    unsigned char *bytes;
    long count;
    long capacity;
    long pending;
    int failed;
    /* Text the parser has delivered for the whole document (entities expanded), and the budget for it: text
       beyond `floor` bytes may be at most `ratio` times the input consumed so far. Past it the parser is stopped
       and `over` is set: a small document that expands one entity thousands of times never reaches memory. */
    long total;
    long floor;
    long ratio;
    int over;
} tidings_text_sink;

/* Counts `len` more bytes of document text; 0 (and the parser stopped) once the document's budget is spent. */
static inline int tidings_text_within_budget(tidings_text_sink *sink, xmlParserCtxtPtr ctxt, long len) {
    if (sink->over) return 0;
    sink->total += len;
    if (sink->floor <= 0 || sink->total <= sink->floor) return 1;
    if (sink->total <= sink->floor + sink->ratio * xmlByteConsumed(ctxt)) return 1;
    sink->over = 1;
    xmlStopParser(ctxt);
    return 0;
}

/* Makes room for `needed` bytes in all; 0 when memory ran out. */
static inline int tidings_text_reserve(tidings_text_sink *sink, long needed) {
    if (needed <= sink->capacity) return 1;
    long capacity = sink->capacity * 2;
    if (capacity < 4096) capacity = 4096;
    if (capacity < needed) capacity = needed;
    unsigned char *grown = (unsigned char *) realloc(sink->bytes, (size_t) capacity);
    if (grown == NULL) { sink->failed = 1; return 0; }
    sink->bytes = grown;
    sink->capacity = capacity;
    return 1;
}

/* Appends `len` bytes. */
static inline void tidings_text_append(tidings_text_sink *sink, const unsigned char *text, long len) {
    if (len <= 0) return;
    if (sink->count + len > sink->capacity && !tidings_text_reserve(sink, sink->count + len)) return;
    unsigned char *to = sink->bytes + sink->count;
    if (len <= 8) {
        for (long i = 0; i < len; i++) to[i] = text[i];
    } else {
        memcpy(to, text, (size_t) len);
    }
    sink->count += len;
}

/* SAX2 characters, ignorableWhitespace and cdataBlock: the parser context's _private is the sink. */
static void tidings_text_characters(void *ctx, const xmlChar *text, int len) {
    tidings_text_sink *sink = (tidings_text_sink *) ((xmlParserCtxtPtr) ctx)->_private;
    if (sink == NULL || text == NULL || len <= 0) return; /* no reader attached yet */
    if (!tidings_text_within_budget(sink, (xmlParserCtxtPtr) ctx, len)) return;
    if (sink->pending < 0) sink->pending = sink->count;
    tidings_text_append(sink, text, len);
}

#endif
