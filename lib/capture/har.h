/* Internal helpers of the HAR reader, exposed for the unit tests. */
#ifndef RLCAP_HAR_H
#define RLCAP_HAR_H

#include <stdbool.h>
#include <stddef.h>

/* Strings longer than this (content.text, postData, data: URLs) reach YAJL cut to this many
 * bytes: the rest is checked (escapes, control characters) and skipped before parsing, so memory
 * never holds a whole huge string. */
#define RLCAP_HAR_STRING_CAP (64u * 1024u)

/* Normalises a HAR httpVersion ("HTTP/1.1", "h2", "http/2.0", "HTTP/2", "h3", "HTTP/3",
 * "1.1", ...) to major.minor. Returns true when the protocol is known; "", "unknown",
 * "spdy/3.1" and anything unrecognised give false with 0.0. */
bool rlcap_har_version(const char *s, size_t len, unsigned *major, unsigned *minor);

/* The host of an absolute URL ("https://user@Example.com:8443/x" -> "Example.com", port in
 * *port when there is one, else ""). False when the URL has no authority. */
bool rlcap_har_url_host(const char *url, char *host, size_t hostlen, char *port,
                        size_t portlen);

/* True when the URL's scheme is one resplint checks (http, https, and ws/wss, whose
 * handshakes are HTTP/1.1), or when it has no scheme at all. */
bool rlcap_har_url_checked(const char *url);

#endif
