/* Tells the text inputs apart by content: which JSON document (HAR, Betamax, nock, WireMock,
 * Postman, newman, a JSON cassette) by its top-level members, a YAML cassette by its
 * top-level keys, mitmproxy flows by their tnetstring framing. */
#include "reader.h"

#include <string.h>

#define SNIFF_KEYS 24
#define SNIFF_KEY 40

typedef struct sniff_json {
    char root;                        /* '{' or '[' */
    char keys[SNIFF_KEYS][SNIFF_KEY]; /* members of the root object (or of the first element
                                       * of a root array) */
    size_t nkeys;
    bool complete; /* the object whose keys were collected closed inside the bytes seen */
} sniff_json;

static size_t skip_ws(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* Past the string starting at p[i] == '"'; n when it does not end in the bytes seen. */
static size_t skip_string(const unsigned char *p, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (p[i] == '\\')
            i++;
        else if (p[i] == '"')
            return i + 1;
    }
    return n;
}

/* Collects the member names of the object starting at p[i] == '{'. */
static void collect(sniff_json *s, const unsigned char *p, size_t n, size_t i)
{
    size_t depth = 0;
    bool expect_key = false;
    while (i < n) {
        unsigned char c = p[i];
        if (c == '"') {
            size_t end = skip_string(p, n, i);
            if (depth == 1 && expect_key && end < n && s->nkeys < SNIFF_KEYS) {
                size_t len = end - i - 2;
                if (len >= SNIFF_KEY)
                    len = SNIFF_KEY - 1;
                memcpy(s->keys[s->nkeys], p + i + 1, len);
                s->keys[s->nkeys++][len] = '\0';
            }
            expect_key = false;
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
            expect_key = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                s->complete = true;
                return;
            }
        } else if (c == ',' && depth == 1) {
            expect_key = true;
        }
        i++;
    }
}

static bool has_key(const sniff_json *s, const char *k)
{
    for (size_t i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i], k) == 0)
            return true;
    return false;
}

static bool contains(const unsigned char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == (unsigned char)needle[0] && memcmp(p + i, needle, k) == 0)
            return true;
    return false;
}

static resplint_input_kind sniff_json_doc(const unsigned char *p, size_t n, size_t i)
{
    sniff_json s;
    memset(&s, 0, sizeof s);
    s.root = (char)p[i];
    if (p[i] == '[') {
        size_t j = skip_ws(p, n, i + 1);
        if (j >= n)
            return RESPLINT_INPUT_UNKNOWN;
        if (p[j] == ']')
            return RESPLINT_INPUT_UNKNOWN; /* an empty array: nothing says what it is */
        if (p[j] != '{')
            return RESPLINT_INPUT_UNKNOWN;
        collect(&s, p, n, j);
        /* nock's recorder objects: scope, method, path, status, response, rawHeaders */
        if (has_key(&s, "scope") && (has_key(&s, "method") || has_key(&s, "status")))
            return RESPLINT_INPUT_NOCK;
        /* a list of interactions: vcrpy's cassettes before 1.0 */
        if (has_key(&s, "request") && has_key(&s, "response"))
            return RESPLINT_INPUT_VCR;
        return RESPLINT_INPUT_UNKNOWN;
    }
    collect(&s, p, n, i);
    if (has_key(&s, "log"))
        return RESPLINT_INPUT_HAR;
    if (has_key(&s, "http_interactions")) /* Ruby VCR writes http_version, Betamax never */
        return contains(p, n, "\"http_version\"") ? RESPLINT_INPUT_VCR : RESPLINT_INPUT_BETAMAX;
    if (has_key(&s, "interactions"))
        return RESPLINT_INPUT_VCR;
    if (s.nkeys && strcmp(s.keys[0], "collection") == 0)
        return RESPLINT_INPUT_NEWMAN;
    if (has_key(&s, "collection") && has_key(&s, "run"))
        return RESPLINT_INPUT_NEWMAN;
    if ((has_key(&s, "info") && has_key(&s, "item")) ||
        (has_key(&s, "info") && contains(p, n, "schema.getpostman.com")))
        return RESPLINT_INPUT_POSTMAN;
    if (has_key(&s, "mappings"))
        return RESPLINT_INPUT_WIREMOCK;
    if (has_key(&s, "request") && (has_key(&s, "response") || !s.complete) &&
        (contains(p, n, "\"url") || contains(p, n, "\"method\"")))
        return RESPLINT_INPUT_WIREMOCK;
    if (!s.complete)
        return RESPLINT_INPUT_HAR; /* undecided: the HAR reader says what is missing */
    return RESPLINT_INPUT_UNKNOWN;
}

static bool line_starts(const unsigned char *p, size_t len, const char *s)
{
    size_t k = strlen(s);
    return len >= k && memcmp(p, s, k) == 0;
}

/* A YAML cassette: a top-level "interactions:" or "http_interactions:" key (after "---",
 * comments and other keys such as go-vcr's "version: 1"), or a list of interactions at the
 * root (vcrpy before 1.0: "- request:"; Ruby VCR 1.x: "- !ruby/struct:VCR::HTTPInteraction"). */
static bool yaml_cassette(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '\n')
            e++;
        size_t len = e - i;
        if (line_starts(p + i, len, "interactions:") ||
            line_starts(p + i, len, "http_interactions:") ||
            line_starts(p + i, len, "- request:") ||
            line_starts(p + i, len, "- !ruby/struct:VCR::HTTPInteraction"))
            return true;
        i = e + 1;
    }
    return false;
}

/* mitmproxy flows: a tnetstring "LEN:" whose payload starts with a string "K:key;" (or
 * "key," in the flows of mitmproxy 0.x) naming a member of a flow. Flows write their members in
 * no fixed order, so any of them may come first. */
static bool tnetstring_flows(const unsigned char *p, size_t n)
{
    static const char *const keys[] = {
        "type", "version", "response", "request", "error", "client_conn", "server_conn",
        "websocket", "marked", "id", "intercepted", "is_replay", "comment", "timestamp_created",
        "metadata", "mode", "backup"};
    size_t i = 0;
    while (i < n && i < 12 && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == 0 || i >= n || p[i] != ':')
        return false;
    size_t j = ++i, k = 0;
    while (j < n && j - i < 4 && p[j] >= '0' && p[j] <= '9')
        k = k * 10 + (size_t)(p[j++] - '0');
    if (j == i || j >= n || p[j] != ':' || k == 0 || j + 1 + k >= n)
        return false;
    const unsigned char *key = p + j + 1;
    if (key[k] != ';' && key[k] != ',')
        return false;
    for (size_t m = 0; m < sizeof keys / sizeof keys[0]; m++)
        if (strlen(keys[m]) == k && memcmp(keys[m], key, k) == 0)
            return true;
    return false;
}

resplint_input_kind rlcap_sniff_text(const void *head, size_t len)
{
    const unsigned char *p = head;
    size_t i = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    i = skip_ws(p, len, i);
    if (len - i >= 5 && memcmp(p + i, "HTTP/", 5) == 0)
        return RESPLINT_INPUT_RAW;
    if (i < len && (p[i] == '{' || p[i] == '['))
        return sniff_json_doc(p, len, i);
    if (tnetstring_flows(p + i, len - i))
        return RESPLINT_INPUT_MITMPROXY;
    if (yaml_cassette(p, len))
        return RESPLINT_INPUT_VCR;
    return RESPLINT_INPUT_RAW;
}

bool resplint_input_kind_is_recording(resplint_input_kind kind)
{
    return kind >= RESPLINT_INPUT_VCR && kind <= RESPLINT_INPUT_MITMPROXY;
}

const char *rlcap_unknown_reason(const void *head, size_t len)
{
    const unsigned char *p = head;
    size_t i = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    i = skip_ws(p, len, i);
    if (i < len && p[i] == '[')
        return "not a format resplint reads: a JSON array that is not nock recorder output "
               "(objects with scope, method, status)";
    if (i < len && p[i] == '{')
        return "not a HAR nor a recording resplint reads: JSON without the members of any (HAR: log; VCR or "
               "Betamax cassette: interactions, http_interactions; Postman collection: info, "
               "item; newman report: collection, run; WireMock: request and response, or "
               "mappings)";
    return "not a format resplint reads: neither an HTTP response, a capture, nor a recording";
}
