/* Example: lint responses that another program already parsed (a proxy, a HAR reader)
 * through resplint_check_response. Build it against an installed resplint with CMake
 * (examples/CMakeLists.txt) or with `cc lint_structured.c $(pkg-config --cflags --libs resplint)`. */
#include <resplint.h>

#include <stdio.h>
#include <string.h>

#define FIELD(n, v) {(n), sizeof(n) - 1, (v), sizeof(v) - 1, RESPLINT_NO_OFFSET, 0}

struct sample {
    const char *label;
    int status;
    const char *method;
    const resplint_field *fields;
    size_t nfields;
};

static void on_finding(const resplint_finding *f, void *user)
{
    const struct sample *s = user;
    printf("%s: %s %s %s: %s\n", s->label, f->rule->id, resplint_severity_name(f->severity),
           f->rule->name, f->message);
}

int main(void)
{
    static const resplint_field moved[] = {FIELD("Date", "Tue, 24 Nov 2026 10:00:00 GMT"),
                                           FIELD("Content-Length", "0")};
    static const resplint_field no_content[] = {FIELD("Date", "Tue, 24 Nov 2026 10:00:00 GMT"),
                                                FIELD("Content-Length", "5")};
    static const resplint_field ok[] = {FIELD("Date", "Tue, 24 Nov 2026 10:00:00 GMT"),
                                        FIELD("Content-Type", "text/plain"),
                                        FIELD("Content-Length", "2")};
    const struct sample samples[] = {
        {"301-without-location", 301, "GET", moved, 2},
        {"204-with-length", 204, "GET", no_content, 2},
        {"200-ok", 200, "GET", ok, 3},
    };

    /* One configuration, built once, read-only afterwards: share it between threads. */
    resplint_config *cfg = resplint_config_new();
    if (!cfg) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    int rc = resplint_config_set_rule(cfg, "RL2012", RESPLINT_OFF);
    if (rc < 0) {
        fprintf(stderr, "resplint_config_set_rule: %s\n", resplint_strerror(rc));
        resplint_config_free(cfg);
        return 2;
    }

    printf("resplint %s\n", resplint_version());
    int total = 0;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const struct sample *s = &samples[i];
        /* RESPLINT_RESPONSE_INIT sets size (the ABI's growth room) and "unknown" everywhere */
        resplint_response r = RESPLINT_RESPONSE_INIT;
        r.status = s->status;
        r.version_major = 1;
        r.version_minor = 1;
        r.fields = s->fields;
        r.field_count = s->nfields;
        r.method = s->method;
        r.method_len = strlen(s->method);
        int n = resplint_check_response(cfg, &r, i, on_finding, (void *)s);
        if (n < 0) {
            fprintf(stderr, "resplint_check_response: %s\n", resplint_strerror(n));
            resplint_config_free(cfg);
            return 2;
        }
        total += n;
    }
    printf("%d finding(s)\n", total);
    resplint_config_free(cfg);
    return 0;
}
