/* Structured Field Values (RFC 9651 §4.2): a parser that writes into the caller's node array
 * (text.h says how the nodes are laid out). Each function follows one algorithm of §4.2. */
#include "text.h"

#include <string.h>

typedef struct sfp {
    const char *s;
    size_t n, i;
    rlint_sf_node *nodes;
    size_t cap, count;
    rlint_sf_result *res;
    int rc; /* 0, or -1 invalid, -2 out of nodes: the first failure stays */
} sfp;

/* Invalid input wins over running out of nodes: the caller learns the value is bad. */
static bool fail(sfp *p, const char *why)
{
    if (p->rc != -1) {
        p->rc = -1;
        p->res->error = why;
        p->res->error_at = p->i;
    }
    return false;
}

static bool more(const sfp *p) { return p->i < p->n; }
static char peek(const sfp *p) { return p->i < p->n ? p->s[p->i] : '\0'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool lcalpha(char c) { return c >= 'a' && c <= 'z'; }
static bool alpha(char c) { return lcalpha(c) || (c >= 'A' && c <= 'Z'); }

static void skip_sp(sfp *p)
{
    while (p->i < p->n && p->s[p->i] == ' ')
        p->i++;
}

static void skip_ows(sfp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
        p->i++;
}

/* A new node, or NULL when the caller's array is full (the parse then goes on to validate,
 * writing nothing more). */
static rlint_sf_node *node(sfp *p, rlint_sf_role role)
{
    size_t k = p->count++;
    if (k >= p->cap) {
        if (p->rc == 0) {
            p->rc = -2;
            p->res->error = "more members and parameters than the caller's node array holds";
            p->res->error_at = p->i;
        }
        return NULL;
    }
    rlint_sf_node *x = &p->nodes[k];
    memset(x, 0, sizeof *x);
    x->role = role;
    x->offset = p->i;
    return x;
}

static rlint_sf_node *at(sfp *p, size_t k) { return k < p->cap ? &p->nodes[k] : NULL; }

/* §4.2.4 Integer or Decimal, also the number of a Date (§4.2.9) */
static bool number(sfp *p, rlint_sf_type *type, int64_t *out)
{
    int64_t sign = 1, v = 0, frac = 0;
    size_t digits = 0, fdigits = 0;
    bool decimal = false;
    if (peek(p) == '-') {
        p->i++;
        sign = -1;
    }
    if (!digit(peek(p)))
        return fail(p, "a number must begin with a digit");
    while (more(p)) {
        char c = peek(p);
        if (digit(c)) {
            if (decimal) {
                frac = frac * 10 + (c - '0');
                fdigits++;
            } else {
                v = v * 10 + (c - '0');
            }
            digits++;
        } else if (!decimal && c == '.') {
            if (digits > 12)
                return fail(p, "a Decimal has more than 12 digits before its point");
            decimal = true;
            digits++; /* input_number counts the point too */
        } else {
            break;
        }
        if (!decimal && digits > 15)
            return fail(p, "an Integer has more than 15 digits");
        if (decimal && digits > 16)
            return fail(p, "a Decimal has more than 16 characters");
        p->i++;
    }
    if (decimal) {
        if (fdigits == 0)
            return fail(p, "a Decimal ends with its point");
        if (fdigits > 3)
            return fail(p, "a Decimal has more than 3 fraction digits");
        for (size_t k = fdigits; k < 3; k++)
            frac *= 10;
        *out = sign * (v * 1000 + frac);
    } else {
        *out = sign * v;
    }
    *type = decimal ? RLINT_SF_DECIMAL : RLINT_SF_INTEGER;
    return true;
}

/* §4.2.5 String */
static bool string(sfp *p, rlint_sf_node *x)
{
    p->i++; /* DQUOTE */
    size_t start = p->i;
    while (more(p)) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '\\') {
            p->i++;
            if (!more(p))
                return fail(p, "a String ends inside an escape");
            if (peek(p) != '"' && peek(p) != '\\')
                return fail(p, "a String escapes a character other than DQUOTE or \"\\\"");
        } else if (c == '"') {
            if (x) {
                x->text = p->s + start;
                x->len = p->i - start;
            }
            p->i++;
            return true;
        } else if (c < 0x20 || c > 0x7e) {
            return fail(p, "a String holds a byte outside printable ASCII");
        }
        p->i++;
    }
    return fail(p, "a String has no closing DQUOTE");
}

/* §4.2.6 Token */
static void token(sfp *p)
{
    p->i++; /* ALPHA or "*" */
    while (more(p) && (rlint_is_tchar((unsigned char)peek(p)) || peek(p) == ':' || peek(p) == '/'))
        p->i++;
}

static int b64(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* §4.2.7 Byte Sequence: base64 (RFC 4648 §4); "=" only at the end */
static bool bytes(sfp *p, rlint_sf_node *x)
{
    p->i++; /* ":" */
    size_t start = p->i, pad = 0;
    while (more(p) && peek(p) != ':') {
        char c = peek(p);
        if (c == '=')
            pad++;
        else if (b64(c) < 0)
            return fail(p, "a Byte Sequence holds a character outside base64");
        else if (pad)
            return fail(p, "a Byte Sequence has \"=\" padding before its end");
        p->i++;
    }
    if (!more(p))
        return fail(p, "a Byte Sequence has no closing \":\"");
    size_t len = p->i - start;
    if (pad > 2 || (len - pad) % 4 == 1 || (pad && len % 4 != 0))
        return fail(p, "a Byte Sequence is not valid base64");
    if (x) {
        x->text = p->s + start;
        x->len = len;
    }
    p->i++;
    return true;
}

static int hexval(char c)
{
    return digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* §4.2.10 Display String: %"..." with lower-case %xx escapes, UTF-8 once decoded. A bad
 * UTF-8 sequence is reported where it begins. */
static bool display(sfp *p, rlint_sf_node *x)
{
    p->i++; /* "%" */
    if (peek(p) != '"')
        return fail(p, "a Display String's \"%\" is not followed by DQUOTE");
    p->i++;
    size_t start = p->i, seq_at = 0, have = 0, want = 0;
    unsigned char seq[4];
    while (more(p)) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c < 0x20 || c > 0x7e)
            return fail(p, "a Display String holds a byte outside printable ASCII");
        if (c != '%' && have) {
            p->i = seq_at;
            return fail(p, "a Display String is not valid UTF-8");
        }
        if (c == '"') {
            if (x) {
                x->text = p->s + start;
                x->len = p->i - start;
            }
            p->i++;
            return true;
        }
        if (c != '%') {
            p->i++;
            continue;
        }
        int hi = p->i + 1 < p->n ? hexval(p->s[p->i + 1]) : -1;
        int lo = p->i + 2 < p->n ? hexval(p->s[p->i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return fail(p, "a Display String's \"%\" is not followed by two lower-case hex "
                           "digits");
        if (have == 0) {
            seq_at = p->i;
            want = rlint_utf8_want((unsigned char)(hi * 16 + lo));
        }
        seq[have++] = (unsigned char)(hi * 16 + lo);
        if (want == 0 || (have == want && rlint_utf8_len(seq, have) != have)) {
            p->i = seq_at;
            return fail(p, "a Display String is not valid UTF-8");
        }
        if (have == want)
            have = 0;
        p->i += 3;
    }
    return fail(p, "a Display String has no closing DQUOTE");
}

/* §4.2.3.1 Bare Item, into x (NULL once the node array is full) */
static bool bare_item(sfp *p, rlint_sf_node *x)
{
    rlint_sf_node scratch;
    if (!x)
        x = &scratch;
    size_t start = p->i;
    char c = peek(p);
    bool ok;
    if (c == '-' || digit(c)) {
        ok = number(p, &x->type, &x->num);
    } else if (c == '"') {
        x->type = RLINT_SF_STRING;
        return string(p, x);
    } else if (alpha(c) || c == '*') {
        x->type = RLINT_SF_TOKEN;
        token(p);
        ok = true;
    } else if (c == ':') {
        x->type = RLINT_SF_BYTES;
        return bytes(p, x);
    } else if (c == '?') {
        p->i++;
        if (peek(p) != '0' && peek(p) != '1')
            return fail(p, "a Boolean is neither ?0 nor ?1");
        x->type = RLINT_SF_BOOLEAN;
        x->num = peek(p) == '1';
        p->i++;
        ok = true;
    } else if (c == '@') {
        p->i++;
        rlint_sf_type t;
        ok = number(p, &t, &x->num);
        if (ok && t != RLINT_SF_INTEGER)
            return fail(p, "a Date is not an Integer");
        x->type = RLINT_SF_DATE;
    } else if (c == '%') {
        x->type = RLINT_SF_DISPLAY;
        return display(p, x);
    } else {
        return fail(p, more(p) ? "an Item cannot begin with this character"
                               : "an Item is missing");
    }
    x->text = p->s + start;
    x->len = p->i - start;
    return ok;
}

/* §4.2.3.3 Key */
static bool key(sfp *p, const char **k, size_t *klen)
{
    if (!lcalpha(peek(p)) && peek(p) != '*')
        return fail(p, "a key must begin with a lower-case letter or \"*\"");
    size_t start = p->i;
    while (more(p)) {
        char c = peek(p);
        if (!lcalpha(c) && !digit(c) && c != '_' && c != '-' && c != '.' && c != '*')
            break;
        p->i++;
    }
    *k = p->s + start;
    *klen = p->i - start;
    return true;
}

/* §4.2.3.2 Parameters of the node at index owner */
static bool parameters(sfp *p, size_t owner)
{
    size_t first = p->count, count = 0;
    while (peek(p) == ';') {
        p->i++;
        skip_sp(p);
        rlint_sf_node *x = node(p, RLINT_SF_PARAM);
        const char *k;
        size_t klen;
        if (!key(p, &k, &klen))
            return false;
        if (x) {
            x->key = k;
            x->key_len = klen;
            x->type = RLINT_SF_BOOLEAN;
            x->num = 1;
            x->next = (uint32_t)(x - p->nodes) + 1;
        }
        if (peek(p) == '=') {
            p->i++;
            if (!bare_item(p, x))
                return false;
        }
        count++;
    }
    rlint_sf_node *o = at(p, owner);
    if (o) {
        o->params = (uint32_t)first;
        o->nparams = (uint32_t)count;
    }
    return true;
}

/* §4.2.1.1 Item or Inner List, as the node at index self (already made, maybe NULL) */
static bool item_or_inner_list(sfp *p, size_t self)
{
    rlint_sf_node *x = at(p, self);
    if (peek(p) != '(') {
        if (!bare_item(p, x))
            return false;
        return parameters(p, self);
    }
    /* §4.2.1.2 Inner List */
    size_t start = p->i, first = self + 1, count = 0;
    p->i++;
    while (more(p)) {
        skip_sp(p);
        if (peek(p) == ')') {
            p->i++;
            x = at(p, self);
            if (x) {
                x->type = RLINT_SF_INNER_LIST;
                x->text = p->s + start;
                x->len = p->i - start;
                x->items = (uint32_t)first;
                x->nitems = (uint32_t)count;
            }
            return parameters(p, self);
        }
        size_t k = p->count;
        node(p, RLINT_SF_INNER);
        if (!bare_item(p, at(p, k)) || !parameters(p, k))
            return false;
        if (at(p, k))
            at(p, k)->next = (uint32_t)p->count;
        count++;
        if (peek(p) != ' ' && peek(p) != ')')
            return fail(p, more(p) ? "an Inner List's items must be separated by SP"
                                   : "an Inner List has no closing \")\"");
    }
    return fail(p, "an Inner List has no closing \")\"");
}

/* §4.2.1 List and §4.2.2 Dictionary: members separated by OWS "," OWS */
static bool members(sfp *p, bool dict)
{
    while (more(p)) {
        size_t self = p->count;
        rlint_sf_node *x = node(p, RLINT_SF_MEMBER);
        bool ok;
        if (dict) {
            const char *k;
            size_t klen;
            if (!key(p, &k, &klen))
                return false;
            x = at(p, self);
            if (x) {
                x->key = k;
                x->key_len = klen;
            }
            if (peek(p) == '=') {
                p->i++;
                ok = item_or_inner_list(p, self);
            } else {
                if (x) {
                    x->type = RLINT_SF_BOOLEAN;
                    x->num = 1;
                }
                ok = parameters(p, self);
            }
        } else {
            ok = item_or_inner_list(p, self);
        }
        if (!ok)
            return false;
        if (at(p, self))
            at(p, self)->next = (uint32_t)p->count;
        p->res->members++;
        skip_ows(p);
        if (!more(p))
            return true;
        if (peek(p) != ',')
            return fail(p, dict ? "Dictionary members must be separated by \",\""
                                : "List members must be separated by \",\"");
        p->i++;
        skip_ows(p);
        if (!more(p))
            return fail(p, "a trailing \",\" ends the value");
    }
    return true;
}

int rlint_sf_parse(const char *value, size_t len, rlint_sf_top top, rlint_sf_node *nodes,
                   size_t cap, rlint_sf_result *res)
{
    sfp p = {.s = value, .n = len, .nodes = nodes, .cap = cap, .res = res};
    memset(res, 0, sizeof *res);
    skip_sp(&p);
    bool ok;
    if (top == RLINT_SF_ITEM) {
        node(&p, RLINT_SF_MEMBER);
        if (peek(&p) == '(')
            ok = fail(&p, "an Item cannot be an Inner List");
        else
            ok = bare_item(&p, at(&p, 0)) && parameters(&p, 0);
        if (ok) {
            res->members = 1;
            if (at(&p, 0))
                at(&p, 0)->next = (uint32_t)p.count;
        }
    } else {
        ok = members(&p, top == RLINT_SF_DICT);
    }
    skip_sp(&p);
    if (ok && more(&p))
        fail(&p, "unexpected characters after the value");
    res->count = p.count < cap ? p.count : cap;
    return p.rc;
}

static bool key_is(const rlint_sf_node *n, const char *key)
{
    return strlen(key) == n->key_len && memcmp(n->key, key, n->key_len) == 0;
}

const rlint_sf_node *rlint_sf_dict_get(const rlint_sf_node *nodes, const rlint_sf_result *res,
                                       const char *key)
{
    const rlint_sf_node *found = NULL;
    for (size_t i = 0; i < res->count; i = nodes[i].next ? nodes[i].next : res->count)
        if (key_is(&nodes[i], key))
            found = &nodes[i];
    return found;
}

const rlint_sf_node *rlint_sf_param(const rlint_sf_node *nodes, const rlint_sf_node *n,
                                    const char *key)
{
    const rlint_sf_node *found = NULL;
    for (uint32_t i = 0; i < n->nparams; i++)
        if (key_is(&nodes[n->params + i], key))
            found = &nodes[n->params + i];
    return found;
}

size_t rlint_sf_string(const rlint_sf_node *n, char *out, size_t cap)
{
    if (n->type != RLINT_SF_STRING)
        return (size_t)-1;
    size_t o = 0;
    for (size_t i = 0; i < n->len; i++) {
        if (n->text[i] == '\\')
            i++;
        if (o >= cap)
            return (size_t)-1;
        out[o++] = n->text[i];
    }
    return o;
}

size_t rlint_sf_bytes(const rlint_sf_node *n, unsigned char *out, size_t cap)
{
    if (n->type != RLINT_SF_BYTES)
        return (size_t)-1;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n->len && n->text[i] != '='; i++) {
        acc = (acc << 6) | (uint32_t)b64(n->text[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return (size_t)-1;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    return o;
}

size_t rlint_sf_display(const rlint_sf_node *n, char *out, size_t cap)
{
    if (n->type != RLINT_SF_DISPLAY)
        return (size_t)-1;
    size_t o = 0;
    for (size_t i = 0; i < n->len; i++) {
        char c = n->text[i];
        if (c == '%') {
            c = (char)(hexval(n->text[i + 1]) * 16 + hexval(n->text[i + 2]));
            i += 2;
        }
        if (o >= cap)
            return (size_t)-1;
        out[o++] = c;
    }
    return o;
}
