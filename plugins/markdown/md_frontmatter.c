/* YAML front matter <-> document metadata, with libyaml.
 *
 * Reading: a leading "---" line, YAML, and a closing "---" or "..." line;
 * front matter only when the YAML is a mapping whose keys are names (one
 * word each): anything else (no closing line, an empty block, a list, a
 * sentence with a colon) is Markdown, thematic breaks and text, as
 * CommonMark reads it.
 * Mappings become maps, sequences lists, plain true/false bools, every other
 * scalar a string (dates and numbers stay text: the metadata vocabulary is
 * textual). Writing uses libyaml's emitter, so quoting is libyaml's. */
#include <limits.h>
#include <string.h>
#include <yaml.h>

#include "md_internal.h"

/* A YAML alias can make a small text expand into a huge tree ("billion
 * laughs"): the walk counts every node it visits, aliases included. */
#define MD_META_MAX_NODES 100000

typedef struct fm_reader {
    dp_ctx *ctx;
    const char *path;
    dp_doc *doc;
    yaml_document_t *ydoc;
    int line_offset; /* lines before the YAML text */
    size_t visited;
    int max_depth;
} fm_reader;

/* Length of the line at p (without its end) and of its end ("\n", "\r\n"). */
static size_t line_len(const char *p, const char *end, size_t *eol)
{
    const char *q = p;
    while (q < end && *q != '\n')
        q++;
    size_t n = (size_t)(q - p);
    *eol = q < end ? 1 : 0;
    if (n > 0 && p[n - 1] == '\r') {
        n--;
        (*eol)++;
    }
    return n;
}

static int is_fence(const char *p, size_t n, const char *fence)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n == 3 && memcmp(p, fence, 3) == 0;
}

static int is_bool_word(const char *s, size_t n, int *value)
{
    static const char *const t[] = { "true", "True", "TRUE" };
    static const char *const f[] = { "false", "False", "FALSE" };
    for (int i = 0; i < 3; i++) {
        if (n == strlen(t[i]) && memcmp(s, t[i], n) == 0)
            return *value = 1, 1;
        if (n == strlen(f[i]) && memcmp(s, f[i], n) == 0)
            return *value = 0, 1;
    }
    return 0;
}

static dp_meta *convert(fm_reader *r, yaml_node_t *node, int depth);

static dp_meta *convert_scalar(fm_reader *r, yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    size_t n = node->data.scalar.length;
    int b;
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && is_bool_word(s, n, &b))
        return dp_meta_new_bool(r->doc, b);
    if (memchr(s, '\0', n)) {
        dp_warn_at(r->ctx, r->path, r->line_offset + (int)node->start_mark.line + 1,
                   (int)node->start_mark.column + 1, "NUL character in a metadata string: cut there");
    }
    return dp_meta_new_string(r->doc, s);
}

static dp_meta *convert(fm_reader *r, yaml_node_t *node, int depth)
{
    int line = r->line_offset + (int)node->start_mark.line + 1;
    int col = (int)node->start_mark.column + 1;
    if (++r->visited > MD_META_MAX_NODES || depth > r->max_depth) {
        dp_fail(r->ctx, DP_ELIMIT, r->path, line, col,
                "front matter too large or too deeply nested (aliases expand: at most %d nodes, depth %d)",
                MD_META_MAX_NODES, r->max_depth);
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return convert_scalar(r, node);
    case YAML_SEQUENCE_NODE: {
        dp_meta *list = dp_meta_new_list(r->doc);
        for (yaml_node_item_t *it = node->data.sequence.items.start; list && it < node->data.sequence.items.top;
             it++) {
            dp_meta *v = convert(r, yaml_document_get_node(r->ydoc, *it), depth + 1);
            if (!v || dp_meta_append(list, v) < 0)
                return NULL;
        }
        return list;
    }
    case YAML_MAPPING_NODE: {
        dp_meta *map = dp_meta_new_map(r->doc);
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; map && p < node->data.mapping.pairs.top; p++) {
            yaml_node_t *key = yaml_document_get_node(r->ydoc, p->key);
            yaml_node_t *value = yaml_document_get_node(r->ydoc, p->value);
            if (!key || key->type != YAML_SCALAR_NODE) {
                dp_warn_at(r->ctx, r->path, r->line_offset + (int)(key ? key->start_mark.line : 0) + 1,
                           key ? (int)key->start_mark.column + 1 : 0,
                           "front matter: a key that is not text (a list or map used as key): entry skipped");
                continue;
            }
            dp_meta *v = convert(r, value, depth + 1);
            if (!v || dp_meta_set(map, (const char *)key->data.scalar.value, v) < 0)
                return NULL;
        }
        return map;
    }
    default:
        dp_fail(r->ctx, DP_EINPUT, r->path, line, col, "front matter: empty YAML node");
        return NULL;
    }
}

/* The first top-level key of a mapping that is not a metadata name: a
 * name is one word (letters, digits, "-", "_", "." ...), while a sentence
 * with a colon ("Intro paragraph: with a colon.") also parses as a YAML
 * mapping. NULL when every key is a name. */
static const yaml_node_t *prose_key(yaml_document_t *ydoc, yaml_node_t *map)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *key = yaml_document_get_node(ydoc, p->key);
        if (!key || key->type != YAML_SCALAR_NODE)
            continue; /* reported (and skipped) with the entries */
        const char *k = (const char *)key->data.scalar.value;
        if (key->data.scalar.length == 0 || strpbrk(k, " \t\n\r"))
            return key;
    }
    return NULL;
}

int md_front_matter_read(dp_ctx *ctx, const char *path, const char *text, size_t len, dp_doc *doc,
                         const char **body, int *lines)
{
    const char *end = text + len;
    const char *p = text;
    size_t eol, n;
    *body = text;
    *lines = 0;

    n = line_len(p, end, &eol);
    if (!is_fence(p, n, "---") || eol == 0)
        return 0;
    const char *yaml_start = p + n + eol;
    int nlines = 1;
    for (p = yaml_start; p < end;) {
        n = line_len(p, end, &eol);
        nlines++;
        if (is_fence(p, n, "---") || is_fence(p, n, "...")) {
            break;
        }
        p += n + eol;
        if (eol == 0)
            return 0; /* no closing fence: not front matter (a thematic break) */
    }
    if (p >= end)
        return 0;
    const char *yaml_end = p;
    const char *after = p + n + eol;

    yaml_parser_t parser;
    yaml_document_t ydoc;
    int rc = 0;
    const dp_limits *lim = dp_ctx_limits(ctx);
    int max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 256;
    int dl = 0, dc = 0;
    /* libyaml takes time quadratic in the flow nesting depth: the core's
     * pre-scan refuses deep "[[[[...]]]]" before libyaml sees it (the same
     * limit convert() applies to the loaded document). */
    if (dp_yaml_flow_too_deep(yaml_start, (size_t)(yaml_end - yaml_start), max_depth, &dl, &dc))
        return dp_fail(ctx, DP_ELIMIT, path, dl + 1, dc,
                       "front matter nested deeper than the limit of %d (limit max-depth)", max_depth);
    /* An alias bomb is refused before anything is expanded: one long
     * anchored string aliased 50 000 times is few nodes but gigabytes. The
     * expanded front matter may hold no more text than the largest input
     * docpipe accepts (max-input-bytes). */
    size_t max_bytes = lim && lim->max_input_bytes ? lim->max_input_bytes : (size_t)256 << 20;
    size_t yaml_len = (size_t)(yaml_end - yaml_start);
    /* That check parses the YAML a first time (issue 23: 188,000
     * instructions for the speech's front matter, 2 % of its md->html).
     * Without a '*' the YAML holds no alias, and its text then bounds what
     * the check measures: a scalar is at most 1.5 times its source ("\L",
     * 2 bytes, is U+2028, 3) and there are at most 2 nodes per byte ("{a}":
     * a key and its null value), so a short alias-free front matter cannot
     * pass either limit and is parsed once. */
    int may_exceed = memchr(yaml_start, '*', yaml_len) != NULL || yaml_len > max_bytes / 2 ||
                   yaml_len > MD_META_MAX_NODES / 2 - 1;
    switch (!may_exceed ? 0 : dp_yaml_expansion_check(yaml_start, yaml_len, max_bytes, MD_META_MAX_NODES, &dl, &dc)) {
    case 1:
        return dp_fail(ctx, DP_ELIMIT, path, dl + 1, dc,
                       "front matter: this alias expands the metadata to more than %zu bytes of text (limit "
                       "max-input-bytes): refusing a YAML alias bomb",
                       max_bytes);
    case 2:
        return dp_fail(ctx, DP_ELIMIT, path, dl + 1, dc,
                       "front matter too large or too deeply aliased (aliases expand: at most %d nodes)",
                       MD_META_MAX_NODES);
    default:
        break;
    }
    if (!yaml_parser_initialize(&parser))
        return dp_fail(ctx, DP_ENOMEM, path, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml_start, (size_t)(yaml_end - yaml_start));
    if (!yaml_parser_load(&parser, &ydoc)) {
        rc = dp_fail(ctx, DP_EINPUT, path, (int)parser.problem_mark.line + 2, (int)parser.problem_mark.column + 1,
                     "front matter: YAML %s%s%s", parser.problem ? parser.problem : "error",
                     parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&ydoc);
    const yaml_node_t *bad_key = root && root->type == YAML_MAPPING_NODE ? prose_key(&ydoc, root) : NULL;
    if (!root) {
        /* "---" "---": two thematic breaks in CommonMark, nothing in YAML */
    } else if (root->type != YAML_MAPPING_NODE) {
        /* Not metadata: leave the block to Markdown (a rule and text). */
        dp_warn_at(ctx, path, 2, 1, "front matter is not a YAML mapping: read as Markdown text");
    } else if (bad_key) {
        dp_warn_at(ctx, path, (int)bad_key->start_mark.line + 2, (int)bad_key->start_mark.column + 1,
                   "front matter key '%.40s' is not a metadata name (it holds a space): the block is read as "
                   "Markdown text", (const char *)bad_key->data.scalar.value);
    } else {
        {
            fm_reader r = { ctx, path, doc, &ydoc, 1, 0, max_depth };
            dp_meta *meta = dp_doc_meta(doc);
            for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top;
                 pair++) {
                yaml_node_t *key = yaml_document_get_node(&ydoc, pair->key);
                if (!key || key->type != YAML_SCALAR_NODE) {
                    dp_warn_at(ctx, path, key ? (int)key->start_mark.line + 2 : 0, 0,
                               "front matter: a key that is not text: entry skipped");
                    continue;
                }
                dp_meta *v = convert(&r, yaml_document_get_node(&ydoc, pair->value), 1);
                if (!v) {
                    rc = DP_ELIMIT; /* convert() has called dp_fail */
                    break;
                }
                if (dp_meta_set(meta, (const char *)key->data.scalar.value, v) < 0) {
                    rc = dp_fail(ctx, DP_ENOMEM, path, 0, 0, "out of memory");
                    break;
                }
            }
        }
        if (rc == 0) {
            *body = after;
            *lines = nlines;
        }
    }
    yaml_document_delete(&ydoc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

typedef struct fm_writer {
    dp_ctx *ctx;
    const dp_doc *doc;
    yaml_emitter_t emitter;
    yaml_event_t event;
    dp_buf *out;
    int failed;
} fm_writer;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    fm_writer *w = data;
    return dp_buf_append(w->out, buffer, size) == 0;
}

static int emit(fm_writer *w, int ok)
{
    if (!ok || !yaml_emitter_emit(&w->emitter, &w->event))
        w->failed = 1;
    return !w->failed;
}

/* Strings another YAML reader would take for a bool, a null or a number
 * are quoted so that they stay strings. */
static int needs_quotes(const char *s)
{
    static const char *const words[] = { "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
                                         "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
                                         "null", "Null", "NULL", "~", "" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    return 0;
}

static int emit_scalar(fm_writer *w, const char *s, yaml_scalar_style_t style)
{
    return emit(w, yaml_scalar_event_initialize(&w->event, NULL, NULL, (yaml_char_t *)(uintptr_t)s, (int)strlen(s),
                                                1, 1, style));
}

static int emit_meta(fm_writer *w, const dp_meta *m, const char *key_path)
{
    switch (dp_meta_get_type(m)) {
    case DP_META_MAP:
        emit(w, yaml_mapping_start_event_initialize(&w->event, NULL, NULL, 1, YAML_ANY_MAPPING_STYLE));
        for (size_t i = 0; !w->failed && i < dp_meta_map_count(m); i++) {
            emit_scalar(w, dp_meta_map_key_at(m, i), YAML_ANY_SCALAR_STYLE);
            emit_meta(w, dp_meta_map_value_at(m, i), dp_meta_map_key_at(m, i));
        }
        return emit(w, yaml_mapping_end_event_initialize(&w->event));
    case DP_META_LIST:
        emit(w, yaml_sequence_start_event_initialize(&w->event, NULL, NULL, 1, YAML_ANY_SEQUENCE_STYLE));
        for (size_t i = 0; !w->failed && i < dp_meta_len(m); i++)
            emit_meta(w, dp_meta_at(m, i), key_path);
        return emit(w, yaml_sequence_end_event_initialize(&w->event));
    case DP_META_BOOL:
        return emit_scalar(w, dp_meta_bool(m) ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
    case DP_META_INLINES:
    case DP_META_BLOCKS: {
        const dp_node *c = dp_meta_nodes(m);
        for (const dp_node *k = c ? dp_node_first_child(c) : NULL; k; k = dp_node_next(k)) {
            if (dp_node_kind(k) != DP_TEXT) {
                dp_warn(w->ctx, "metadata '%s': formatted text written as plain text (YAML front matter "
                                "holds strings)", key_path);
                break;
            }
        }
    }
        /* fall through */
    case DP_META_STRING:
    default: {
        const char *s = dp_meta_text(m);
        if (!s)
            s = "";
        /* the cover is a resource: it travels with the text like the images */
        if (strcmp(key_path, "cover-image") == 0 && !(s = dp_ctx_resource_url(w->ctx, w->doc, s)))
            return w->failed = 1, 0;
        return emit_scalar(w, s, needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
    }
    }
}

int md_front_matter_write(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    const dp_meta *meta = dp_doc_meta(doc);
    if (!meta || dp_meta_map_count(meta) == 0)
        return 0;
    fm_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.doc = doc;
    w.out = out;
    if (!yaml_emitter_initialize(&w.emitter))
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    yaml_emitter_set_output(&w.emitter, write_handler, &w);
    yaml_emitter_set_unicode(&w.emitter, 1);
    yaml_emitter_set_width(&w.emitter, -1); /* no folding of long strings */
    yaml_emitter_set_indent(&w.emitter, 2);

    int rc = dp_buf_puts(out, "---\n");
    emit(&w, yaml_stream_start_event_initialize(&w.event, YAML_UTF8_ENCODING));
    emit(&w, yaml_document_start_event_initialize(&w.event, NULL, NULL, NULL, 1));
    emit_meta(&w, meta, "");
    emit(&w, yaml_document_end_event_initialize(&w.event, 1));
    emit(&w, yaml_stream_end_event_initialize(&w.event));
    if (!w.failed && !yaml_emitter_flush(&w.emitter))
        w.failed = 1;
    if (w.failed)
        rc = dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "YAML emitter: %s",
                     w.emitter.problem ? w.emitter.problem : "failed");
    yaml_emitter_delete(&w.emitter);
    if (rc == 0)
        rc = dp_buf_puts(out, "---\n\n");
    return rc;
}
