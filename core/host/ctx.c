/* The context of one plugin call: resolved options, limits, diagnostics and
 * the error record (the functions at the bottom of dp_plugin.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"

/* ---- option sets ---- */

dpc_optval *dpc_optset_add(dpc_optset *set, const char *key)
{
    dpc_optval *v;
    if (DP_ARRAY_RESERVE(set->v, set->cap, set->n + 1))
        return NULL;
    v = &set->v[set->n];
    memset(v, 0, sizeof *v);
    v->key = dpu_strdup(key);
    if (!v->key)
        return NULL;
    set->n++;
    return v;
}

const dpc_optval *dpc_optset_find(const dpc_optset *set, const char *key)
{
    size_t i;
    /* The last one given wins (CLI after config). */
    for (i = set->n; i-- > 0;)
        if (strcmp(set->v[i].key, key) == 0)
            return &set->v[i];
    return NULL;
}

void dpc_optset_clear(dpc_optset *set)
{
    size_t i;
    for (i = 0; i < set->n; i++) {
        free(set->v[i].key);
        free(set->v[i].value);
        dpu_strv_clear(&set->v[i].items);
    }
    free(set->v);
    set->v = NULL;
    set->n = 0;
    set->cap = 0;
}

const dp_option_spec *dpc_spec_find(const dp_option_spec *specs, const char *key)
{
    if (!specs)
        return NULL;
    for (; specs->key; specs++)
        if (strcmp(specs->key, key) == 0)
            return specs;
    return NULL;
}

static int choice_ok(const char *choices, const char *value)
{
    size_t lv = strlen(value);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == lv && strncmp(p, value, l) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

int dpc_opt_check(const dp_option_spec *spec, const dpc_optval *val, const char *file,
                  const char *plugin_id, dp_error *err)
{
    int line = val->vline ? val->vline : val->line;
    int col = val->vline ? val->vcolumn : val->column;
    long l;
    if (val->is_map)
        return dp_error_set(err, DP_ECONFIG, file, line, col,
                            "option '%s' of %s expects %s, got a mapping", spec->key, plugin_id,
                            spec->type == DP_OPT_LIST ? "a list" : "a scalar");
    if (spec->type == DP_OPT_LIST)
        return 0; /* a scalar counts as a one-item list */
    if (val->is_list)
        return dp_error_set(err, DP_ECONFIG, file, line, col,
                            "option '%s' of %s expects a %s, got a list", spec->key, plugin_id,
                            dp_opt_type_name(spec->type));
    switch (spec->type) {
    case DP_OPT_BOOL:
        if (dpu_parse_bool(val->value) < 0)
            return dp_error_set(err, DP_ECONFIG, file, line, col,
                                "option '%s' of %s expects a bool (true/false), got '%s'", spec->key,
                                plugin_id, val->value);
        break;
    case DP_OPT_INT:
        if (dpu_parse_long(val->value, &l) != 0)
            return dp_error_set(err, DP_ECONFIG, file, line, col,
                                "option '%s' of %s expects an integer, got '%s'", spec->key, plugin_id,
                                val->value);
        break;
    case DP_OPT_ENUM:
        if (!choice_ok(spec->choices, val->value))
            return dp_error_set(err, DP_ECONFIG, file, line, col,
                                "option '%s' of %s must be one of %s, got '%s'", spec->key, plugin_id,
                                spec->choices ? spec->choices : "(none)", val->value);
        break;
    default:
        break;
    }
    return 0;
}

/* ---- context lifetime ---- */

static int add_item(dpc_resolved *r, size_t *cap, const char *s, size_t len)
{
    if (DP_ARRAY_RESERVE(r->items, *cap, r->nitems + 2)) /* and the NULL after the last */
        return DP_ENOMEM;
    while (len && *s == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    if (!(r->items[r->nitems] = dpu_strndup(s, len)))
        return DP_ENOMEM;
    r->items[++r->nitems] = NULL;
    return 0;
}

/* A list option given on the command line (-O tags=a,b -O tags=c): every
 * -O of the key counts, in order, and each value is a comma list; "-O
 * tags=" alone gives the empty list. Returns 1 when the CLI gave the key. */
static int cli_list(const dpc_optset *extra, const char *key, dpc_resolved *r, int *oom)
{
    size_t cap = 0;
    int found = 0;
    for (size_t i = 0; extra && i < extra->n && !*oom; i++) {
        const dpc_optval *v = &extra->v[i];
        if (strcmp(v->key, key) != 0)
            continue;
        found = 1;
        if (v->is_list) {
            for (size_t k = 0; k < v->items.n && !*oom; k++)
                *oom = add_item(r, &cap, v->items.v[k], strlen(v->items.v[k])) != 0;
            continue;
        }
        for (const char *p = v->value ? v->value : ""; *p && !*oom;) {
            size_t l = strcspn(p, ",");
            if (l)
                *oom = add_item(r, &cap, p, l) != 0;
            p += l + (p[l] == ',');
        }
    }
    if (found && !r->items && !*oom)
        *oom = !(r->items = calloc(1, sizeof *r->items));
    return found;
}

static int split_list(const char *text, dpc_resolved *r)
{
    /* List defaults are written as comma-separated text in the spec. */
    const char *p = text;
    size_t n = 0, i = 0;
    if (!text || !*text)
        return 0;
    for (n = 1; *p; p++)
        if (*p == ',')
            n++;
    r->items = calloc(n + 1, sizeof *r->items);
    if (!r->items)
        return DP_ENOMEM;
    p = text;
    while (i < n) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        while (l && (*p == ' '))
            p++, l--;
        while (l && p[l - 1] == ' ')
            l--;
        r->items[i] = dpu_strndup(p, l);
        if (!r->items[i])
            return DP_ENOMEM;
        i++;
        p = comma ? comma + 1 : p + l;
    }
    r->nitems = n;
    return 0;
}

int dpc_ctx_init(dp_ctx *ctx, const char *plugin_id, const dp_option_spec *specs,
                 const dpc_optset *given, const dpc_optset *extra, const dp_limits *limits,
                 const dpc_sink *sink, dp_error *err)
{
    size_t n = 0, i;
    memset(ctx, 0, sizeof *ctx);
    ctx->plugin_id = plugin_id;
    ctx->specs = specs;
    ctx->limits = limits;
    ctx->sink = sink;
    ctx->err = err;
    if (specs)
        while (specs[n].key)
            n++;
    if (n == 0)
        return 0;
    ctx->values = calloc(n, sizeof *ctx->values);
    if (!ctx->values)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    ctx->nvalues = n;
    for (i = 0; i < n; i++) {
        const dpc_optval *v = extra ? dpc_optset_find(extra, specs[i].key) : NULL;
        dpc_resolved *r = &ctx->values[i];
        int oom = 0;
        if (specs[i].type == DP_OPT_LIST && cli_list(extra, specs[i].key, r, &oom)) {
            r->set = 1;
            if (oom)
                return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        if (oom)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        if (!v && given)
            v = dpc_optset_find(given, specs[i].key);
        if (v) {
            r->set = 1;
            if (specs[i].type == DP_OPT_LIST) {
                size_t k, cnt = v->is_list ? v->items.n : (v->value ? 1 : 0);
                r->items = calloc(cnt + 1, sizeof *r->items);
                if (!r->items)
                    return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
                for (k = 0; k < cnt; k++) {
                    r->items[k] = dpu_strdup(v->is_list ? v->items.v[k] : v->value);
                    if (!r->items[k])
                        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
                }
                r->nitems = cnt;
            } else {
                r->value = v->value;
            }
        } else if (specs[i].type == DP_OPT_LIST) {
            if (split_list(specs[i].default_value, r) != 0)
                return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            r->value = specs[i].default_value;
        }
    }
    return 0;
}

void dpc_ctx_fini(dp_ctx *ctx)
{
    size_t i, k;
    if (!ctx)
        return;
    for (i = 0; i < ctx->nvalues; i++) {
        for (k = 0; k < ctx->values[i].nitems; k++)
            free(ctx->values[i].items[k]);
        free(ctx->values[i].items);
    }
    free(ctx->values);
    ctx->values = NULL;
    ctx->nvalues = 0;
    dpc_media_clear(&ctx->media);
}

static const dpc_resolved *find_value(const dp_ctx *ctx, const char *key)
{
    size_t i;
    if (!ctx || !key)
        return NULL;
    for (i = 0; i < ctx->nvalues; i++)
        if (strcmp(ctx->specs[i].key, key) == 0)
            return &ctx->values[i];
    return NULL;
}

/* ---- option accessors ---- */

const char *dp_opt_string(const dp_ctx *ctx, const char *key)
{
    const dpc_resolved *r = find_value(ctx, key);
    return r ? r->value : NULL;
}

int dp_opt_bool(const dp_ctx *ctx, const char *key)
{
    const dpc_resolved *r = find_value(ctx, key);
    return r && r->value ? dpu_parse_bool(r->value) == 1 : 0;
}

long dp_opt_int(const dp_ctx *ctx, const char *key)
{
    const dpc_resolved *r = find_value(ctx, key);
    long v = 0;
    if (r && r->value && dpu_parse_long(r->value, &v) == 0)
        return v;
    return 0;
}

size_t dp_opt_list_count(const dp_ctx *ctx, const char *key)
{
    const dpc_resolved *r = find_value(ctx, key);
    return r ? r->nitems : 0;
}

const char *dp_opt_list_at(const dp_ctx *ctx, const char *key, size_t i)
{
    const dpc_resolved *r = find_value(ctx, key);
    return r && i < r->nitems ? r->items[i] : NULL;
}

int dp_opt_is_set(const dp_ctx *ctx, const char *key)
{
    const dpc_resolved *r = find_value(ctx, key);
    return r ? r->set : 0;
}

/* ---- other accessors ---- */

const dp_limits *dp_ctx_limits(const dp_ctx *ctx)
{
    return ctx ? ctx->limits : NULL;
}

const char *dp_ctx_input_path(const dp_ctx *ctx)
{
    return ctx ? ctx->input_path : NULL;
}

const char *dp_ctx_output_path(const dp_ctx *ctx)
{
    return ctx ? ctx->output_path : NULL;
}

int dp_ctx_verbose(const dp_ctx *ctx)
{
    return ctx ? ctx->verbose : 0;
}

int dp_ctx_strict(const dp_ctx *ctx)
{
    return ctx ? ctx->strict : 0;
}

/* ---- diagnostics ---- */

void dpc_emit(const dpc_sink *sink, const dp_diag *d)
{
    if (!sink || !sink->fn)
        return;
    if (sink->lock)
        pthread_mutex_lock((pthread_mutex_t *)sink->lock);
    sink->fn(d, sink->payload);
    if (sink->lock)
        pthread_mutex_unlock((pthread_mutex_t *)sink->lock);
}

/* "/section[2]/para[3]/span[1]": each step the node's kind (or custom
 * name) and its position among the siblings of that kind, from the root
 * down; the root itself is "/". For warnings a writer reports about a node
 * whose source position is unknown. */
static void node_path(const dp_node *node, char *out, size_t cap)
{
    const dp_node *chain[64];
    size_t n = 0, len = 0;
    out[0] = '\0';
    for (const dp_node *p = node; p && dp_node_parent(p) && n < 64; p = dp_node_parent(p))
        chain[n++] = p;
    if (n == 0) {
        snprintf(out, cap, "/");
        return;
    }
    while (n-- > 0 && len < cap) {
        const dp_node *p = chain[n];
        const char *name = dp_node_kind(p) == DP_CUSTOM && dp_node_custom_name(p) ? dp_node_custom_name(p)
                                                                                   : dp_kind_name(dp_node_kind(p));
        int index = 1;
        for (const dp_node *s = dp_node_prev(p); s; s = dp_node_prev(s))
            if (dp_node_kind(s) == dp_node_kind(p))
                index++;
        int w = snprintf(out + len, cap - len, "/%s[%d]", name, index);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

typedef struct warn_about {
    dp_diag_level level;
    dp_warn_class cls;
    const char *code;
    const dp_node *node; /* NULL: about the document */
    const char *file;
    int line, column;
    const char *prefix;  /* the node kind, or NULL */
    const char *inner;   /* a file inside the input (dp_warn_at from a reader), or NULL */
} warn_about;

/* fmt is argument 3, the arguments come as a va_list: DP_PRINTF(3, 0) lets
 * clang's -Wformat-nonliteral accept the vsnprintf below and carries the
 * format checking through to dp_warn & co. */
static void report(dp_ctx *ctx, const warn_about *w, const char *fmt, va_list ap) DP_PRINTF(3, 0);

static void report(dp_ctx *ctx, const warn_about *w, const char *fmt, va_list ap)
{
    char msg[1024];
    char full[1200];
    char where[1100];
    char path[512];
    const char *inner = w->inner ? w->inner : w->node ? dp_node_source_file(w->node) : NULL;
    dp_diag d;
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* One line per message, whatever a plugin passed in. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (w->prefix)
        snprintf(full, sizeof full, "%s: %s", w->prefix, msg);
    else
        snprintf(full, sizeof full, "%s", msg);
    memset(&d, 0, sizeof d);
    d.level = w->level;
    d.plugin = ctx->plugin_id;
    d.file = w->file;
    /* A node read from a file inside the input (an EPUB's chapter):
     * "book.epub!/OEBPS/ch03.xhtml", as jar: URLs name a zip's entries. */
    if (inner && w->file && strcmp(inner, w->file) != 0) {
        snprintf(where, sizeof where, "%s!/%s", w->file, inner);
        d.file = where;
    } else if (inner && !w->file) {
        d.file = inner;
    }
    d.line = w->line;
    d.column = w->column;
    d.message = full;
    d.warn_class = w->cls;
    d.warn_code = w->code;
    d.input = ctx->source_path;
    if (w->node) {
        node_path(w->node, path, sizeof path);
        d.node_path = path;
    }
    if (w->level == DP_DIAG_WARNING) {
        if (w->cls == DP_WARN_PRESENTATION)
            ctx->presentation++;
        else
            ctx->warnings++;
    }
    dpc_emit(ctx->sink, &d);
}

static const char *kind_label(const dp_node *node)
{
    if (!node)
        return "node";
    return dp_node_kind(node) == DP_CUSTOM && dp_node_custom_name(node) ? dp_node_custom_name(node)
                                                                        : dp_kind_name(dp_node_kind(node));
}

void dp_warn(dp_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return;
    warn_about w = {DP_DIAG_WARNING, DP_WARN_CONTENT, NULL, NULL, ctx->source_path, 0, 0, NULL, NULL};
    va_start(ap, fmt);
    report(ctx, &w, fmt, ap);
    va_end(ap);
}

void dp_warn_node(dp_ctx *ctx, const dp_node *node, const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return;
    warn_about w = {DP_DIAG_WARNING, DP_WARN_CONTENT, NULL, node, ctx->source_path,
                    dp_node_line(node), dp_node_column(node), kind_label(node), NULL};
    va_start(ap, fmt);
    report(ctx, &w, fmt, ap);
    va_end(ap);
}

void dp_warn_as(dp_ctx *ctx, dp_warn_class cls, const char *code, const dp_node *node, const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return;
    warn_about w = {DP_DIAG_WARNING, cls == DP_WARN_PRESENTATION ? DP_WARN_PRESENTATION : DP_WARN_CONTENT,
                    code, node, ctx->source_path, dp_node_line(node), dp_node_column(node),
                    node ? kind_label(node) : NULL, NULL};
    va_start(ap, fmt);
    report(ctx, &w, fmt, ap);
    va_end(ap);
}

void dp_warn_at(dp_ctx *ctx, const char *file, int line, int column, const char *fmt, ...)
{
    va_list ap;
    if (!ctx)
        return;
    warn_about w = {DP_DIAG_WARNING, DP_WARN_CONTENT, NULL, NULL, ctx->source_path, line, column, NULL, NULL};
    /* A reader naming a file other than its input names one inside it (an
     * EPUB's "OEBPS/ch03.xhtml"): the location says both. */
    if (file && (!ctx->input_path || !ctx->source_path || file[0] == '/'))
        w.file = file;
    else if (file && strcmp(file, ctx->source_path) != 0)
        w.inner = file;
    va_start(ap, fmt);
    report(ctx, &w, fmt, ap);
    va_end(ap);
}

void dp_info(dp_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx || !ctx->verbose)
        return;
    warn_about w = {DP_DIAG_INFO, DP_WARN_CONTENT, NULL, NULL, ctx->source_path, 0, 0, NULL, NULL};
    va_start(ap, fmt);
    report(ctx, &w, fmt, ap);
    va_end(ap);
}

int dp_fail(dp_ctx *ctx, int code, const char *file, int line, int column, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];
    if (code >= 0)
        code = DP_EINTERNAL; /* a failure must be a failure */
    if (!ctx || !ctx->err)
        return code;
    if (ctx->err->code != 0)
        return code; /* the first failure is the one reported */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dp_error_set(ctx->err, code, file, line, column, "%s", msg);
    if (ctx->plugin_id)
        snprintf(ctx->err->plugin, sizeof ctx->err->plugin, "%s", ctx->plugin_id);
    return code;
}
