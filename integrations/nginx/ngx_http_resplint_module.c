/* ngx_http_resplint_module: lints every upstream response head with libresplint (header
 * filter), counts body bytes where they matter (body filter), and reports at the end of the
 * request (log phase): error log lines, $resplint_findings, an optional X-Resplint header. */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <resplint.h>
#include <text.h> /* lib/core/text.h: the toolbox every layer shares */

/* Upstream heads rarely carry more fields than this; more spill into the request pool. */
#define NGX_HTTP_RESPLINT_STACK_FIELDS 64
/* Findings kept per response for the log, the variable and the header. */
#define NGX_HTTP_RESPLINT_KEPT 16
/* Status codes nginx can hold for an upstream response: three digits. */
#define NGX_HTTP_RESPLINT_CODES 1000
#define NGX_HTTP_RESPLINT_SEEN_BITS 512

/* A rule configuration, built once per distinct set of resplint_rule lines and shared,
 * read-only, by every location that inherits it. */
typedef struct {
    resplint_config *cfg;
    /* body[head][code / 8]: whether body bytes could change the findings of a response
     * with this status (to a HEAD request or not), so that only those responses pay for
     * counting body bytes and for the end-of-response check. */
    u_char body[2][NGX_HTTP_RESPLINT_CODES / 8];
} ngx_http_resplint_rules_t;

typedef struct {
    ngx_str_t rule;
    resplint_severity severity;
} ngx_http_resplint_rule_t;

typedef struct {
    ngx_flag_t enable;
    ngx_flag_t header;
    ngx_uint_t log_level; /* NGX_LOG_*, 0 for off */
    ngx_array_t *rules;   /* of ngx_http_resplint_rule_t: this level's lines only */
    ngx_http_resplint_rules_t *lint;
} ngx_http_resplint_loc_conf_t;

typedef struct {
    ngx_uint_t log_rate; /* error log lines per second per worker, 0: unlimited */
    /* Rate-limit state. Written only by the worker that owns this copy of the
     * configuration (after fork), never shared between processes. */
    time_t window;
    ngx_uint_t logged;
    ngx_uint_t dropped;
} ngx_http_resplint_main_conf_t;

typedef struct {
    uint16_t rule;
    uint8_t severity;
    ngx_str_t message;
} ngx_http_resplint_kept_t;

/* Per request; allocated only for a response with findings or with a status where body
 * bytes matter. */
typedef struct {
    ngx_http_resplint_rules_t *lint;
    ngx_http_resplint_loc_conf_t *lcf;
    off_t body_bytes;
    ngx_uint_t total; /* findings reported by libresplint, kept or not */
    ngx_uint_t nkept;
    ngx_http_resplint_kept_t kept[NGX_HTTP_RESPLINT_KEPT];
    uint64_t seen[NGX_HTTP_RESPLINT_SEEN_BITS / 64];
    ngx_str_t ids; /* "RL2001,RL2011", built on demand */
    ngx_pool_t *pool;
    unsigned count_body : 1;
    unsigned finished : 1;
    unsigned reported : 1;
    unsigned failed : 1; /* out of memory while keeping a finding */
} ngx_http_resplint_ctx_t;

static ngx_int_t ngx_http_resplint_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_resplint_init(ngx_conf_t *cf);
static void *ngx_http_resplint_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_resplint_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_resplint_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_resplint_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child);
static char *ngx_http_resplint_rule(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

static ngx_conf_enum_t ngx_http_resplint_log_levels[] = {
    {ngx_string("off"), 0},
    {ngx_string("info"), NGX_LOG_INFO},
    {ngx_string("notice"), NGX_LOG_NOTICE},
    {ngx_string("warn"), NGX_LOG_WARN},
    {ngx_string("error"), NGX_LOG_ERR},
    {ngx_null_string, 0}};

static ngx_command_t ngx_http_resplint_commands[] = {
    {ngx_string("resplint"), NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF |
                                 NGX_HTTP_LIF_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_resplint_loc_conf_t, enable), NULL},

    {ngx_string("resplint_rule"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE2,
     ngx_http_resplint_rule, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},

    {ngx_string("resplint_log_level"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_enum_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_resplint_loc_conf_t, log_level), &ngx_http_resplint_log_levels},

    {ngx_string("resplint_header"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_resplint_loc_conf_t, header), NULL},

    {ngx_string("resplint_log_rate"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_num_slot, NGX_HTTP_MAIN_CONF_OFFSET,
     offsetof(ngx_http_resplint_main_conf_t, log_rate), NULL},

    ngx_null_command};

static ngx_http_module_t ngx_http_resplint_module_ctx = {
    ngx_http_resplint_add_variables,    /* preconfiguration */
    ngx_http_resplint_init,             /* postconfiguration */
    ngx_http_resplint_create_main_conf, /* create main configuration */
    ngx_http_resplint_init_main_conf,   /* init main configuration */
    NULL,                               /* create server configuration */
    NULL,                               /* merge server configuration */
    ngx_http_resplint_create_loc_conf,  /* create location configuration */
    ngx_http_resplint_merge_loc_conf    /* merge location configuration */
};

ngx_module_t ngx_http_resplint_module = {NGX_MODULE_V1,
                                         &ngx_http_resplint_module_ctx,
                                         ngx_http_resplint_commands,
                                         NGX_HTTP_MODULE,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NGX_MODULE_V1_PADDING};

static ngx_http_output_header_filter_pt ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt ngx_http_next_body_filter;

static ngx_str_t ngx_http_resplint_var_name = ngx_string("resplint_findings");
static ngx_str_t ngx_http_resplint_header_name = ngx_string("X-Resplint");

/* ---- configuration ---------------------------------------------------------------------- */

static void ngx_http_resplint_cleanup_config(void *data)
{
    resplint_config_free(data);
}

/* Builds the rule configuration of one level: the parent's, then this level's lines. */
static ngx_http_resplint_rules_t *ngx_http_resplint_build(ngx_conf_t *cf,
                                                         ngx_http_resplint_rules_t *parent,
                                                         ngx_array_t *rules)
{
    ngx_http_resplint_rules_t *lint;
    ngx_http_resplint_rule_t *rule;
    ngx_pool_cleanup_t *cln;
    ngx_uint_t i, code, head;
    int rc;

    lint = ngx_pcalloc(cf->pool, sizeof(ngx_http_resplint_rules_t));
    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (lint == NULL || cln == NULL) {
        return NULL;
    }
    lint->cfg = parent ? resplint_config_clone(parent->cfg) : resplint_config_new();
    if (lint->cfg == NULL) {
        return NULL;
    }
    cln->handler = ngx_http_resplint_cleanup_config;
    cln->data = lint->cfg;

    rule = rules ? rules->elts : NULL;
    for (i = 0; rules && i < rules->nelts; i++) {
        /* configuration arguments are NUL-terminated by the nginx parser */
        rc = resplint_config_set_rule(lint->cfg, (const char *)rule[i].rule.data,
                                      rule[i].severity);
        if (rc < 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "resplint_rule \"%V\": %s",
                               &rule[i].rule, resplint_strerror(rc));
            return NULL;
        }
    }

    /* A status is body-sensitive when an enabled rule judges the body of such a response: the
     * catalogue says which (rules flagged NEEDS_BODY, by their triggers), once per rule
     * configuration. */
    for (head = 0; head < 2; head++) {
        for (code = 0; code < NGX_HTTP_RESPLINT_CODES; code++) {
            const char *m = head ? "HEAD" : "GET";
            if (resplint_config_body_matters(lint->cfg, (int)code, m, ngx_strlen(m))) {
                lint->body[head][code / 8] |= (u_char)(1u << (code % 8));
            }
        }
    }
    return lint;
}

static char *ngx_http_resplint_rule(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_resplint_loc_conf_t *lcf = conf;
    ngx_http_resplint_rule_t *rule;
    ngx_str_t *value = cf->args->elts;
    resplint_severity sev;

    if (resplint_rule_find((const char *)value[1].data) == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "unknown resplint rule \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }
    if (resplint_severity_parse((const char *)value[2].data, &sev) < 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid severity \"%V\": off, info, warning or error", &value[2]);
        return NGX_CONF_ERROR;
    }
    if (lcf->rules == NULL) {
        lcf->rules = ngx_array_create(cf->pool, 4, sizeof(ngx_http_resplint_rule_t));
        if (lcf->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }
    rule = ngx_array_push(lcf->rules);
    if (rule == NULL) {
        return NGX_CONF_ERROR;
    }
    rule->rule = value[1];
    rule->severity = sev;
    return NGX_CONF_OK;
}

static void *ngx_http_resplint_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_resplint_main_conf_t *mcf;

    mcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_resplint_main_conf_t));
    if (mcf == NULL) {
        return NULL;
    }
    mcf->log_rate = NGX_CONF_UNSET_UINT;
    return mcf;
}

static char *ngx_http_resplint_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_resplint_main_conf_t *mcf = conf;

    ngx_conf_init_uint_value(mcf->log_rate, 100);
    return NGX_CONF_OK;
}

static void *ngx_http_resplint_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_resplint_loc_conf_t *lcf;

    lcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_resplint_loc_conf_t));
    if (lcf == NULL) {
        return NULL;
    }
    lcf->enable = NGX_CONF_UNSET;
    lcf->header = NGX_CONF_UNSET;
    lcf->log_level = NGX_CONF_UNSET_UINT;
    return lcf;
}

static char *ngx_http_resplint_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_resplint_loc_conf_t *prev = parent;
    ngx_http_resplint_loc_conf_t *conf = child;

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_value(conf->header, prev->header, 0);
    ngx_conf_merge_uint_value(conf->log_level, prev->log_level, NGX_LOG_WARN);

    /* Parents are merged before their children, except the http level, which is never a
     * child: its rules are built when its first child is merged. */
    if (prev->lint == NULL) {
        prev->lint = ngx_http_resplint_build(cf, NULL, prev->rules);
        if (prev->lint == NULL) {
            return NGX_CONF_ERROR;
        }
    }
    if (conf->rules == NULL) {
        conf->lint = prev->lint;
    } else if (conf->lint == NULL) {
        conf->lint = ngx_http_resplint_build(cf, prev->lint, conf->rules);
        if (conf->lint == NULL) {
            return NGX_CONF_ERROR;
        }
    }
    return NGX_CONF_OK;
}

/* ---- the check ------------------------------------------------------------------------- */

static ngx_str_t ngx_http_resplint_method(ngx_http_request_t *r)
{
    ngx_str_t m = r->upstream->method;

    /* u->method is set when nginx sends another method upstream (a HEAD converted to GET
     * for the cache); it carries a trailing space. */
    if (m.len == 0) {
        return r->method_name;
    }
    while (m.len && m.data[m.len - 1] == ' ') {
        m.len--;
    }
    return m;
}

static ngx_uint_t ngx_http_resplint_is_head(ngx_str_t m)
{
    return rlint_method_is((const char *) m.data, m.len, "HEAD");
}

static ngx_uint_t ngx_http_resplint_body_matters(ngx_http_resplint_rules_t *lint,
                                                 ngx_uint_t code, ngx_str_t method)
{
    if (code >= NGX_HTTP_RESPLINT_CODES) {
        return 0;
    }
    return (lint->body[ngx_http_resplint_is_head(method)][code / 8] >> (code % 8)) & 1;
}

typedef struct {
    ngx_http_request_t *r;
    ngx_http_resplint_ctx_t *ctx;
    ngx_http_resplint_rules_t *lint;
    ngx_http_resplint_loc_conf_t *lcf;
    ngx_uint_t body_only; /* the end-of-response pass: keep only rules not seen before */
} ngx_http_resplint_run_t;

static ngx_http_resplint_ctx_t *ngx_http_resplint_get_ctx(ngx_http_resplint_run_t *run)
{
    ngx_http_resplint_ctx_t *ctx = run->ctx;

    if (ctx == NULL) {
        ctx = ngx_pcalloc(run->r->pool, sizeof(ngx_http_resplint_ctx_t));
        if (ctx == NULL) {
            return NULL;
        }
        ctx->lint = run->lint;
        ctx->lcf = run->lcf;
        ctx->pool = run->r->pool;
        ngx_http_set_ctx(run->r, ctx, ngx_http_resplint_module);
        run->ctx = ctx;
    }
    return ctx;
}

static void ngx_http_resplint_keep(const resplint_finding *f, void *user)
{
    ngx_http_resplint_run_t *run = user;
    ngx_http_resplint_ctx_t *ctx;
    ngx_http_resplint_kept_t *k;
    unsigned idx = f->rule->index;
    size_t len;

    ctx = ngx_http_resplint_get_ctx(run);
    if (ctx == NULL) {
        return;
    }
    if (idx < NGX_HTTP_RESPLINT_SEEN_BITS) {
        uint64_t bit = (uint64_t)1 << (idx % 64);
        if (run->body_only && (ctx->seen[idx / 64] & bit)) {
            return;
        }
        ctx->seen[idx / 64] |= bit;
    } else if (run->body_only) {
        return;
    }
    ctx->total++;
    if (ctx->nkept == NGX_HTTP_RESPLINT_KEPT) {
        return;
    }
    /* The message lives for this callback only: copy it (a response with findings is the
     * rare path; clean responses allocate nothing). */
    len = ngx_strlen(f->message);
    k = &ctx->kept[ctx->nkept];
    k->message.data = ngx_pnalloc(ctx->pool, len);
    if (k->message.data == NULL) {
        ctx->failed = 1;
        return;
    }
    ngx_memcpy(k->message.data, f->message, len);
    k->message.len = len;
    k->rule = (uint16_t)idx;
    k->severity = (uint8_t)f->severity;
    ctx->nkept++;
    ctx->ids.len = 0;
}

/* Walks the upstream head as received: arrival order, duplicates kept, without the
 * placeholders nginx adds for a missing Server or Date (value data NULL) and without
 * removed entries (hash 0). */
static ngx_int_t ngx_http_resplint_check(ngx_http_request_t *r, ngx_http_resplint_run_t *run,
                                         int64_t body_length)
{
    resplint_field stack[NGX_HTTP_RESPLINT_STACK_FIELDS];
    resplint_field *fields = stack, *grown;
    ngx_http_upstream_t *u = r->upstream;
    ngx_list_part_t *part = &u->headers_in.headers.part;
    ngx_table_elt_t *h = part->elts;
    resplint_response resp;
    ngx_uint_t i, n = 0, cap = NGX_HTTP_RESPLINT_STACK_FIELDS;
    ngx_str_t method;

    for (i = 0; /* void */; i++) {
        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }
            part = part->next;
            h = part->elts;
            i = 0;
            if (part->nelts == 0) {
                continue;
            }
        }
        if (h[i].hash == 0 || h[i].value.data == NULL) {
            continue;
        }
        if (n == cap) {
            grown = ngx_palloc(r->pool, 2 * cap * sizeof(resplint_field));
            if (grown == NULL) {
                return NGX_ERROR;
            }
            ngx_memcpy(grown, fields, n * sizeof(resplint_field));
            fields = grown;
            cap *= 2;
        }
        fields[n].name = (const char *)h[i].key.data;
        fields[n].name_len = h[i].key.len;
        fields[n].value = (const char *)h[i].value.data;
        fields[n].value_len = h[i].value.len;
        fields[n].offset = RESPLINT_NO_OFFSET;
        fields[n].length = 0;
        n++;
    }

    method = ngx_http_resplint_method(r);
    ngx_memzero(&resp, sizeof(resp));
    resp.size = sizeof(resp);
    resp.status = (int)u->headers_in.status_n;
    /* The upstream version is private to the proxy module: unknown here. */
    resp.fields = fields;
    resp.field_count = n;
    resp.body_length = body_length;
    resp.method = (const char *)method.data;
    resp.method_len = method.len;
    resp.offset = RESPLINT_NO_OFFSET;
    if (u->headers_in.status_line.len > 4 && u->headers_in.status_line.data[3] == ' ') {
        resp.reason = (const char *)u->headers_in.status_line.data + 4;
        resp.reason_len = u->headers_in.status_line.len - 4;
    }
    return resplint_check_response(run->lint->cfg, &resp, 0, ngx_http_resplint_keep, run) < 0
               ? NGX_ERROR
               : NGX_OK;
}

static ngx_str_t *ngx_http_resplint_ids(ngx_http_resplint_ctx_t *ctx)
{
    ngx_uint_t i, j;
    u_char *p;
    const resplint_rule *rule;

    if (ctx->ids.len || ctx->nkept == 0) {
        return &ctx->ids;
    }
    p = ngx_pnalloc(ctx->pool, ctx->nkept * 16);
    if (p == NULL) {
        return &ctx->ids;
    }
    ctx->ids.data = p;
    for (i = 0; i < ctx->nkept; i++) {
        for (j = 0; j < i && ctx->kept[j].rule != ctx->kept[i].rule; j++) {
            /* void */
        }
        if (j < i) {
            continue;
        }
        rule = resplint_rule_at(ctx->kept[i].rule);
        if (rule == NULL) {
            continue;
        }
        if (p != ctx->ids.data) {
            *p++ = ',';
        }
        p = ngx_cpymem(p, rule->id, ngx_min(ngx_strlen(rule->id), 14));
    }
    ctx->ids.len = (size_t)(p - ctx->ids.data);
    return &ctx->ids;
}

/* ---- filters and the log phase --------------------------------------------------------- */

/* Whether the response being sent is the upstream's head, copied by nginx into headers_out
 * (status and status line). Not when nginx answers itself after reading part of a head (a
 * 502 for an invalid field line: the head is incomplete) or after an upstream failure. */
static ngx_uint_t ngx_http_resplint_from_upstream(ngx_http_request_t *r)
{
    ngx_http_upstream_headers_in_t *in = &r->upstream->headers_in;

    return in->status_n != 0 && r->headers_out.status == in->status_n &&
           r->headers_out.status_line.data == in->status_line.data;
}

static ngx_int_t ngx_http_resplint_header_filter(ngx_http_request_t *r)
{
    ngx_http_resplint_loc_conf_t *lcf;
    ngx_http_resplint_run_t run;
    ngx_http_resplint_ctx_t *ctx;
    ngx_table_elt_t *h;
    ngx_str_t *ids;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_resplint_module);
    if (!lcf->enable || r != r->main || r->upstream == NULL || lcf->lint == NULL ||
        !ngx_http_resplint_from_upstream(r) ||
        ngx_http_get_module_ctx(r, ngx_http_resplint_module) != NULL) {
        return ngx_http_next_header_filter(r);
    }

    run.r = r;
    run.ctx = NULL;
    run.lint = lcf->lint;
    run.lcf = lcf;
    run.body_only = 0;
    if (ngx_http_resplint_check(r, &run, RESPLINT_UNKNOWN_LENGTH) != NGX_OK) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0, "resplint: check failed");
        return ngx_http_next_header_filter(r);
    }
    if (ngx_http_resplint_body_matters(lcf->lint, r->upstream->headers_in.status_n,
                                       ngx_http_resplint_method(r))) {
        ctx = ngx_http_resplint_get_ctx(&run);
        if (ctx) {
            ctx->count_body = 1;
        }
    }
    ctx = run.ctx;
    if (ctx && ctx->nkept && lcf->header) {
        ids = ngx_http_resplint_ids(ctx);
        h = ngx_list_push(&r->headers_out.headers);
        if (h && ids->len) {
            h->hash = 1;
            h->key = ngx_http_resplint_header_name;
            h->value = *ids;
            h->lowcase_key = NULL;
        } else if (h) {
            h->hash = 0;
        }
    }
    return ngx_http_next_header_filter(r);
}

static ngx_int_t ngx_http_resplint_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_http_resplint_ctx_t *ctx;
    ngx_chain_t *cl;

    ctx = ngx_http_get_module_ctx(r, ngx_http_resplint_module);
    if (ctx && ctx->count_body) {
        for (cl = in; cl; cl = cl->next) {
            if (!ngx_buf_special(cl->buf)) {
                ctx->body_bytes += ngx_buf_size(cl->buf);
            }
        }
    }
    return ngx_http_next_body_filter(r, in);
}

/* The end-of-response check: body bytes are known now. The upstream head is still in the
 * request pool (upstream modules copy every field line there). Only findings of rules not
 * raised by the head alone are added. */
static void ngx_http_resplint_finish(ngx_http_request_t *r, ngx_http_resplint_ctx_t *ctx)
{
    ngx_http_resplint_run_t run;

    if (ctx->finished) {
        return;
    }
    ctx->finished = 1;
    if (!ctx->count_body || ctx->body_bytes <= 0 || r->upstream == NULL) {
        return;
    }
    run.r = r;
    run.ctx = ctx;
    run.lint = ctx->lint;
    run.lcf = ctx->lcf;
    run.body_only = 1;
    (void)ngx_http_resplint_check(r, &run, (int64_t)ctx->body_bytes);
}

static ngx_uint_t ngx_http_resplint_may_log(ngx_http_request_t *r)
{
    ngx_http_resplint_main_conf_t *mcf;
    time_t now = ngx_time();

    mcf = ngx_http_get_module_main_conf(r, ngx_http_resplint_module);
    if (mcf->window != now) {
        if (mcf->dropped) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "resplint: %ui finding(s) not logged (resplint_log_rate %ui)",
                          mcf->dropped, mcf->log_rate);
        }
        mcf->window = now;
        mcf->logged = 0;
        mcf->dropped = 0;
    }
    if (mcf->log_rate && mcf->logged >= mcf->log_rate) {
        mcf->dropped++;
        return 0;
    }
    mcf->logged++;
    return 1;
}

static ngx_int_t ngx_http_resplint_log_handler(ngx_http_request_t *r)
{
    ngx_http_resplint_ctx_t *ctx;
    ngx_http_resplint_kept_t *k;
    const resplint_rule *rule;
    ngx_uint_t i, level;

    ctx = ngx_http_get_module_ctx(r, ngx_http_resplint_module);
    if (ctx == NULL || ctx->reported) {
        return NGX_OK;
    }
    ngx_http_resplint_finish(r, ctx);
    ctx->reported = 1;
    level = ctx->lcf->log_level;
    if (level == 0 || r->connection->log->log_level < level) {
        return NGX_OK;
    }
    for (i = 0; i < ctx->nkept; i++) {
        k = &ctx->kept[i];
        rule = resplint_rule_at(k->rule);
        if (rule == NULL || !ngx_http_resplint_may_log(r)) {
            continue;
        }
        ngx_log_error(level, r->connection->log, 0, "resplint: %s %s %s: upstream status %ui: %V",
                      rule->id, resplint_severity_name((resplint_severity)k->severity),
                      rule->name, r->upstream ? r->upstream->headers_in.status_n : 0,
                      &k->message);
    }
    if (ctx->total > ctx->nkept && ngx_http_resplint_may_log(r)) {
        ngx_log_error(level, r->connection->log, 0,
                      "resplint: %ui more finding(s) on this response not logged",
                      ctx->total - ctx->nkept);
    }
    return NGX_OK;
}

static ngx_int_t ngx_http_resplint_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
                                            uintptr_t data)
{
    ngx_http_resplint_ctx_t *ctx;
    ngx_str_t *ids;

    ctx = ngx_http_get_module_ctx(r, ngx_http_resplint_module);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }
    /* The access log may run before this module's log handler. */
    ngx_http_resplint_finish(r, ctx);
    ids = ngx_http_resplint_ids(ctx);
    if (ids->len == 0) {
        v->not_found = 1;
        return NGX_OK;
    }
    v->data = ids->data;
    v->len = ids->len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
    return NGX_OK;
}

static ngx_int_t ngx_http_resplint_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t *var;

    var = ngx_http_add_variable(cf, &ngx_http_resplint_var_name, NGX_HTTP_VAR_NOCACHEABLE);
    if (var == NULL) {
        return NGX_ERROR;
    }
    var->get_handler = ngx_http_resplint_variable;
    return NGX_OK;
}

static ngx_int_t ngx_http_resplint_init(ngx_conf_t *cf)
{
    ngx_http_core_main_conf_t *cmcf;
    ngx_http_handler_pt *h;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);
    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }
    *h = ngx_http_resplint_log_handler;

    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_resplint_header_filter;
    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_resplint_body_filter;
    return NGX_OK;
}
