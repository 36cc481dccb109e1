/* RL1xxx: the status code against the status table (rules/status.def). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The status code as it was written, for messages. */
static void status_text(const rlint_ctx *c, char *out, size_t outlen)
{
    if (c->raw && c->raw->status_text && c->raw->status_text_len)
        rlint_quote(out, outlen, c->raw->status_text, c->raw->status_text_len, 16);
    else
        snprintf(out, outlen, "%d", c->resp->status);
}

static bool status_malformed(const rlint_ctx *c)
{
    int st = c->resp->status;
    if (st < 100 || st > 599)
        return true;
    /* RFC 9112 §4: status-code = 3DIGIT */
    return c->raw && c->raw->status_text && c->raw->status_text_len != 3;
}

void rlint_check_status_deprecated(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_DEPRECATED))
        return;
    rlint_emit_status(c, RLINT_RL1001, "%d %s is deprecated (%s)", c->resp->status,
                      c->status->reason, c->status->source);
}

void rlint_check_status_unused(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_UNUSED))
        return;
    rlint_emit_status(c, RLINT_RL1002,
                      "%d is reserved and unused (%s): no client knows what it means",
                      c->resp->status, c->status->source);
}

void rlint_check_status_unregistered(rlint_ctx *c)
{
    int st = c->resp->status;
    if (status_malformed(c) || c->status)
        return;
    const char *vendor = rlint_vendor_meaning(st);
    /* RFC 9110 §15: a client treats an unrecognized code as the x00 code of its class. */
    if (vendor)
        rlint_emit_status(c, RLINT_RL1003,
                          "%d is not a registered status code (%s); clients that do not know "
                          "it treat it as %d",
                          st, vendor, st / 100 * 100);
    else
        rlint_emit_status(c, RLINT_RL1003,
                          "%d is not a registered status code; clients treat it as %d", st,
                          st / 100 * 100);
}

void rlint_check_status_invalid(rlint_ctx *c)
{
    if (!status_malformed(c))
        return;
    char text[80];
    status_text(c, text, sizeof text);
    rlint_explained(c);
    rlint_emit_status(c, RLINT_RL1004,
                      "status code '%s' is not three digits in 100-599 (RFC 9112 §4 "
                      "status-code = 3DIGIT; RFC 9110 §15 defines 100-599)",
                      text);
}

void rlint_check_status_reserved(rlint_ctx *c)
{
    if (status_malformed(c) || !c->status || !(c->status->marks & RLINT_RESERVED))
        return;
    rlint_emit_status(c, RLINT_RL1005,
                      "%d is reserved by RFC 9110 §15.5.19; \"%s\" comes from a joke protocol "
                      "(RFC 2324) and is not HTTP",
                      c->resp->status, c->status->reason);
}
