/* libcurl is opened on first use (dlopen), not linked: it pulls in some thirty libraries (TLS, GSSAPI, LDAP,
 * SSH…) whose loading and relocation cost every command a few milliseconds at start-up, and only the commands
 * that fetch need it. The calls below are written as usual; the macros route them through the table. */
#define CURL_DISABLE_TYPECHECK 1
#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIDINGS_CURL_API(X) \
    X(CURLcode, curl_global_init, (long)) \
    X(CURL *, curl_easy_init, (void)) \
    X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...)) \
    X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...)) \
    X(CURLcode, curl_easy_perform, (CURL *)) \
    X(void, curl_easy_cleanup, (CURL *)) \
    X(const char *, curl_easy_strerror, (CURLcode)) \
    X(CURLM *, curl_multi_init, (void)) \
    X(CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...)) \
    X(CURLMcode, curl_multi_add_handle, (CURLM *, CURL *)) \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *, CURL *)) \
    X(CURLMcode, curl_multi_perform, (CURLM *, int *)) \
    X(CURLMcode, curl_multi_poll, (CURLM *, struct curl_waitfd *, unsigned int, int, int *)) \
    X(CURLMsg *, curl_multi_info_read, (CURLM *, int *)) \
    X(CURLMcode, curl_multi_cleanup, (CURLM *)) \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *)) \
    X(void, curl_slist_free_all, (struct curl_slist *)) \
    X(char *, curl_version, (void))

#define TIDINGS_FIELD(ret, name, args) ret (*name) args;
static struct { TIDINGS_CURL_API(TIDINGS_FIELD) } api;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[512];

static void load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "libcurl could not be loaded (%s)", dlerror());
        return;
    }
#define TIDINGS_RESOLVE(ret, name, args) \
    if (!(*(void **)&api.name = dlsym(lib, #name))) { \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 lacks %s (libcurl 7.83 or later is needed)", #name); \
        return; \
    }
    TIDINGS_CURL_API(TIDINGS_RESOLVE)
    if (api.curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl could not initialize");
        return;
    }
    loaded = 1;
}

const char *tidings_curl_global_init(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}

const char *tidings_curl_strerror(CURLcode code) { return api.curl_easy_strerror(code); }

/* From here on, every libcurl call goes through the table. */
#define curl_easy_init api.curl_easy_init
#undef curl_easy_setopt /* curl.h maps these to themselves */
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_easy_setopt api.curl_easy_setopt
#define curl_easy_getinfo api.curl_easy_getinfo
#define curl_easy_perform api.curl_easy_perform
#define curl_easy_cleanup api.curl_easy_cleanup
#define curl_multi_init api.curl_multi_init
#define curl_multi_setopt api.curl_multi_setopt
#define curl_multi_add_handle api.curl_multi_add_handle
#define curl_multi_remove_handle api.curl_multi_remove_handle
#define curl_multi_perform api.curl_multi_perform
#define curl_multi_poll api.curl_multi_poll
#define curl_multi_info_read api.curl_multi_info_read
#define curl_multi_cleanup api.curl_multi_cleanup
#define curl_slist_append api.curl_slist_append
#define curl_slist_free_all api.curl_slist_free_all
#define curl_version api.curl_version

static int grow(char **buf, size_t *len, size_t *cap, size_t max, const char *data, size_t n) {
    if (*len + n > max) return 0;
    if (*len + n + 1 > *cap) {
        size_t want = *cap ? *cap : 16384;
        while (want < *len + n + 1) want *= 2;
        if (want > max + 1) want = max + 1;
        char *p = realloc(*buf, want);
        if (!p) return 0;
        *buf = p;
        *cap = want;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = 0;
    return 1;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
    tidings_transfer *t = user;
    size_t n = size * nmemb;
    if (!grow(&t->body, &t->body_len, &t->body_cap, t->max_body, data, n)) { t->body_too_large = 1; return 0; }
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user) {
    tidings_transfer *t = user;
    size_t n = size * nmemb;
    if (!grow(&t->headers, &t->headers_len, &t->headers_cap, t->max_headers, data, n)) { t->headers_too_large = 1; return 0; }
    return n;
}

tidings_transfer *tidings_transfer_new(const char *url, const tidings_options *o, long id) {
    tidings_transfer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->easy = curl_easy_init();
    if (!t->easy) { free(t); return NULL; }
    t->id = id;
    t->max_body = o->max_body;
    t->max_headers = o->max_headers;
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirects);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");   /* every encoding this libcurl decodes */
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, o->protocols);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, o->redir_protocols);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->verify_tls ? 2L : 0L);
    if (o->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    return t;
}

int tidings_transfer_add_header(tidings_transfer *t, const char *line) {
    struct curl_slist *l = curl_slist_append(t->request_headers, line);
    if (!l) return 0;
    t->request_headers = l;
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->request_headers);
    return 1;
}

void tidings_transfer_free(tidings_transfer *t) {
    if (!t) return;
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->request_headers);
    free(t->body);
    free(t->headers);
    free(t);
}

CURLcode tidings_transfer_perform(tidings_transfer *t) { return curl_easy_perform(t->easy); }

long tidings_transfer_status(tidings_transfer *t) {
    long code = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

const char *tidings_transfer_effective_url(tidings_transfer *t) {
    char *u = NULL;
    curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &u);
    return u;
}

const char *tidings_transfer_content_type(tidings_transfer *t) {
    char *c = NULL;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &c);
    return c;
}

long tidings_transfer_redirects(tidings_transfer *t) {
    long n = 0;
    curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT, &n);
    return n;
}

double tidings_transfer_seconds(tidings_transfer *t) {
    double s = 0;
    curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &s);
    return s;
}

CURLM *tidings_multi_new(long max_per_host, long max_total) {
    CURLM *m = curl_multi_init();
    if (!m) return NULL;
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, max_per_host);
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total);
    curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    return m;
}

CURLMcode tidings_multi_add(CURLM *m, tidings_transfer *t) { return curl_multi_add_handle(m, t->easy); }

int tidings_multi_run(CURLM *m, int timeout_ms) {
    int running = 0;
    if (curl_multi_perform(m, &running) != CURLM_OK) return -1;
    if (running > 0) {
        if (curl_multi_poll(m, NULL, 0, timeout_ms, NULL) != CURLM_OK) return -1;
        if (curl_multi_perform(m, &running) != CURLM_OK) return -1;
    }
    return running;
}

tidings_transfer *tidings_multi_next_done(CURLM *m, CURLcode *result) {
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &left))) {
        if (msg->msg == CURLMSG_DONE) {
            tidings_transfer *t = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            *result = msg->data.result;
            curl_multi_remove_handle(m, msg->easy_handle);
            return t;
        }
    }
    return NULL;
}

void tidings_multi_remove(CURLM *m, tidings_transfer *t) { curl_multi_remove_handle(m, t->easy); }

void tidings_multi_free(CURLM *m) { curl_multi_cleanup(m); }

const char *tidings_curl_version(void) { return loaded ? curl_version() : load_error; }
