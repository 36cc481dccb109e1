/* RL4014: connection-specific fields in an HTTP/2 or HTTP/3 response (RFC 9113 §8.2.2, RFC 9114
 * §4.2). Only structured input says a response came over h2 or h3 (a HAR entry, a proxy); a
 * "HTTP/2.0" status line in a byte stream is an HTTP/1 fault of its own. */
#include "internal.h"

void rlint_check_connection_specific_field_in_h2(rlint_ctx *c)
{
    unsigned major = c->resp->version_major;
    if (c->raw || (major != 2 && major != 3))
        return;
    for (size_t i = 0; i < c->resp->field_count; i++) {
        const resplint_field *f = &c->resp->fields[i];
        rlint_field_id id = rlint_field_classify(f->name, f->name_len);
        if (id != RLINT_F_CONNECTION && id != RLINT_F_KEEP_ALIVE &&
            id != RLINT_F_PROXY_CONNECTION && id != RLINT_F_TRANSFER_ENCODING &&
            id != RLINT_F_UPGRADE)
            continue;
        /* RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing
         * connection-specific header fields"; RFC 9114 §4.2 says the same for HTTP/3. */
        rlint_emit_field(c, RLINT_RL4014, i,
                         "HTTP/%u response carries %.*s, a connection-specific field; RFC "
                         "%s: a recipient MUST treat the message as malformed",
                         major, (int)f->name_len, f->name,
                         major == 2 ? "9113 §8.2.2" : "9114 §4.2");
    }
}
