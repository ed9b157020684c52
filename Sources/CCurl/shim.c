#include "ccurl.h"
#include <stdlib.h>
#include <string.h>

void tidings_curl_global_init(void) { curl_global_init(CURL_GLOBAL_ALL); }

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

void tidings_multi_free(CURLM *m) { curl_multi_cleanup(m); }

const char *tidings_curl_version(void) { return curl_version(); }
