#ifndef TIDINGS_CCURL_H
#define TIDINGS_CCURL_H
#include <curl/curl.h>
#include <stddef.h>

/* One HTTP transfer: the easy handle, its response buffers and its limits. */
typedef struct tidings_transfer {
    CURL *easy;
    char *body;
    size_t body_len, body_cap, max_body;
    int body_too_large;
    char *headers;
    size_t headers_len, headers_cap, max_headers;
    int headers_too_large;
    struct curl_slist *request_headers;
    char error[CURL_ERROR_SIZE];
    long id;
} tidings_transfer;

/* Limits and identity for a transfer; times in milliseconds, sizes in bytes. */
typedef struct tidings_options {
    long connect_timeout_ms;
    long timeout_ms;
    long low_speed_limit;   /* bytes per second … */
    long low_speed_time;    /* … for this many seconds, else abort */
    size_t max_body;        /* decoded bytes */
    size_t max_headers;
    long max_redirects;
    const char *user_agent;
    const char *protocols;        /* e.g. "http,https,file" */
    const char *redir_protocols;  /* e.g. "http,https" */
    int verify_tls;
    const char *ca_file;          /* extra CA bundle, or NULL */
} tidings_options;

/* Opens and initializes libcurl once per process: NULL when it is ready, else why it is not. Call it before any
 * other function here. */
const char *tidings_curl_global_init(void);
/* libcurl's message for a result code. */
const char *tidings_curl_strerror(CURLcode code);
tidings_transfer *tidings_transfer_new(const char *url, const tidings_options *options, long id);
int tidings_transfer_add_header(tidings_transfer *t, const char *line);
void tidings_transfer_free(tidings_transfer *t);
CURLcode tidings_transfer_perform(tidings_transfer *t);
long tidings_transfer_status(tidings_transfer *t);
const char *tidings_transfer_effective_url(tidings_transfer *t);
const char *tidings_transfer_content_type(tidings_transfer *t);
long tidings_transfer_redirects(tidings_transfer *t);
double tidings_transfer_seconds(tidings_transfer *t);

CURLM *tidings_multi_new(long max_per_host, long max_total);
CURLMcode tidings_multi_add(CURLM *m, tidings_transfer *t);
/* Drives transfers, waiting at most timeout_ms for activity; returns how many are still running, -1 on error. */
int tidings_multi_run(CURLM *m, int timeout_ms);
/* A finished transfer (removed from the multi handle), or NULL; its result in *result. */
tidings_transfer *tidings_multi_next_done(CURLM *m, CURLcode *result);
/* Takes an unfinished transfer out of the multi handle (it is then the caller's to free). */
void tidings_multi_remove(CURLM *m, tidings_transfer *t);
void tidings_multi_free(CURLM *m);
const char *tidings_curl_version(void);
#endif
