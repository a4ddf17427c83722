/* The walk from a libxml2 (X)HTML tree to the dp tree.
 *
 * Iterative: an explicit stack of frames, one per open element (and one per
 * note being read at its reference), so deep input cannot exhaust the C
 * stack; past dp_ctx_limits()->max_depth elements are flattened to their
 * text with one warning. Each frame knows what its dp container accepts:
 * blocks (loose inline content then goes into an implicit PLAIN, or PARA in
 * notes), inlines (a block element met there becomes a SPAN between line
 * breaks, so its words are kept and stay apart), or the parts of a list,
 * definition list or table (anything else is wrapped into an item or cell). */
#include "xr_walk.h"
#include "xmlu_data_attr.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- frames ----------------------------------------------------------- */

int xrw_push(walker *w, const frame *f)
{
    if (DP_ARRAY_RESERVE(w->st, w->cap, w->n + 1))
        return DP_ENOMEM;
    w->st[w->n++] = *f;
    return DP_OK;
}

frame *xrw_top(walker *w)
{
    return &w->st[w->n - 1];
}

frame xrw_child_frame(const frame *parent, xmlNodePtr first, fkind kind, dp_node *container)
{
    frame f;
    memset(&f, 0, sizeof f);
    f.next = first;
    f.kind = kind;
    f.container = container;
    f.implicit_kind = parent->implicit_kind ? parent->implicit_kind : DP_PLAIN;
    f.file = parent->file;
    return f;
}

/* ---- adding nodes ----------------------------------------------------- */

int xrw_oom(walker *w)
{
    return dp_fail(w->s->ctx, DP_ENOMEM, w->s->files[xrw_top(w)->file].name, 0, 0, "out of memory");
}

int xrw_link_child(walker *w, dp_node *parent, dp_node *child)
{
    int rc = dp_node_append_child(parent, child);
    if (rc != DP_OK)
        return dp_fail(w->s->ctx, DP_EINTERNAL, w->s->files[xrw_top(w)->file].name, dp_node_line(child), 0,
                       "reader built an invalid tree: %s in %s", dp_kind_name(dp_node_kind(child)),
                       dp_kind_name(dp_node_kind(parent)));
    return DP_OK;
}

int xrw_add_block(walker *w, frame *f, dp_node *b)
{
    f->implicit = NULL;
    return xrw_link_child(w, f->container, b);
}

int xrw_add_inline(walker *w, frame *f, dp_node *in)
{
    if (f->kind == F_INLINE) {
        if (f->need_break) {
            f->need_break = 0;
            if (dp_node_last_child(f->container)) {
                dp_node *br = dp_node_new(w->s->doc, DP_LINE_BREAK);
                if (!br)
                    return xrw_oom(w);
                int rc = xrw_link_child(w, f->container, br);
                if (rc)
                    return rc;
            }
        }
        return xrw_link_child(w, f->container, in);
    }
    if (!f->implicit) {
        dp_node *p = dp_node_new(w->s->doc, f->implicit_kind ? f->implicit_kind : DP_PLAIN);
        if (!p)
            return xrw_oom(w);
        int rc = xrw_link_child(w, f->container, p);
        if (rc)
            return rc;
        f->implicit = p;
    }
    return xrw_link_child(w, f->implicit, in);
}

int xrw_add_text(walker *w, frame *f, const char *s, size_t len)
{
    size_t cl = len;
    char *c = NULL;
    /* most texts need nothing collapsed: read in place, not copied */
    if (xmlu_ws_unchanged(s, len) != len && !(c = xmlu_collapse_ws(s, len, 1, &cl)))
        return xrw_oom(w);
    const char *text = c ? c : s;
    int blank = (cl == 0 || (cl == 1 && text[0] == ' '));
    int rc = DP_OK;
    if (blank && (f->kind != F_INLINE ? !f->implicit : f->need_break)) {
        free(c);
        return DP_OK;
    }
    dp_node *t = dp_node_new_text(w->s->doc, DP_TEXT, text, cl);
    free(c);
    if (!t)
        return xrw_oom(w);
    rc = xrw_add_inline(w, f, t);
    return rc;
}

void xrw_set_pos(walker *w, dp_node *n, xmlNodePtr el)
{
    long line = xmlGetLineNo(el);
    if (line > 0 && line < 0x7fffffff)
        dp_node_set_pos(n, (int)line, 0);
    /* warnings then say "book.epub!/OEBPS/ch03.xhtml:12" (the core leaves
     * the name out when it is the input's own); a failure loses only that */
    if (w->n > 0)
        (void)dp_node_set_source_file(n, w->s->files[xrw_top(w)->file].name);
}

static int in_list(const char *name, const char *const *list)
{
    for (int i = 0; list && list[i]; i++)
        if (strcasecmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* id, classes, lang and every other attribute of el onto n, except those in
 * skip (already turned into node data). */
int xrw_apply_attrs(walker *w, dp_node *n, xmlNodePtr el, const char *const *skip)
{
    xr_info *info = xr_info_peek(el);
    if (info && info->id && dp_node_set_id(n, info->id) != DP_OK)
        return xrw_oom(w);
    xrw_set_pos(w, n, el);
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *prefix = a->ns ? (const char *)a->ns->prefix : NULL;
        int xmlns = a->ns && a->ns->href && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE);
        if (xmlns && strcmp(name, "id") == 0)
            continue;
        if (!a->ns && (strcasecmp(name, "id") == 0 || strncasecmp(name, "xmlns", 5) == 0))
            continue;
        if (!a->ns && xr_is_elem(el, "a") && strcasecmp(name, "name") == 0 && info && info->id)
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        const char *val = v ? (const char *)v : "";
        int rc = DP_OK;
        if ((xmlns || !a->ns) && (strcmp(name, "lang") == 0 || strcmp(name, "xml:lang") == 0)) {
            if (*val)
                rc = dp_node_set_lang(n, val);
        } else if (!a->ns && strcasecmp(name, "class") == 0) {
            char *save = NULL, *copy = strdup(val);
            if (!copy)
                rc = DP_ENOMEM;
            for (char *t = copy ? strtok_r(copy, " \t\r\n\f", &save) : NULL; t && rc == DP_OK;
                 t = strtok_r(NULL, " \t\r\n\f", &save))
                rc = dp_node_add_class(n, t);
            free(copy);
        } else if (!a->ns && in_list(name, skip)) {
            /* turned into node data */
        } else {
            /* a TEI attribute the writer carried as data-tei-* is its
             * tei:NAME key again, so TEI -> HTML -> TEI keeps it */
            int oom = 0;
            char *tei_key = prefix ? NULL : xmlu_data_attr_key(name, &oom);
            if (tei_key)
                name = tei_key;
            /* the whole name, however long (the HTML5 parser takes any):
             * cutting it short could split a UTF-8 sequence */
            size_t klen = (prefix ? strlen(prefix) + 1 : 0) + strlen(name) + 1;
            char *key = malloc(klen);
            if (!key)
                rc = DP_ENOMEM;
            else {
                if (prefix)
                    snprintf(key, klen, "%s:%s", prefix, name);
                else
                    snprintf(key, klen, "%s", name);
                rc = dp_node_set_attr(n, key, val);
                free(key);
            }
            free(tei_key);
            if (oom)
                rc = DP_ENOMEM;
        }
        xmlFree(v);
        if (rc != DP_OK)
            return xrw_oom(w);
    }
    return DP_OK;
}

/* Pushes a frame reading the children of el into container. */
int xrw_open_children(walker *w, xmlNodePtr el, fkind kind, dp_node *container, int exit)
{
    frame f = xrw_child_frame(xrw_top(w), el->children, kind, container);
    f.exit = exit;
    f.elem = el;
    f.made = container;
    return xrw_push(w, &f);
}

/* Pushes a frame reading only node into container. */
int xrw_open_single(walker *w, xmlNodePtr node, fkind kind, dp_node *container)
{
    frame f = xrw_child_frame(xrw_top(w), node, kind, container);
    f.single = 1;
    return xrw_push(w, &f);
}

dp_node *xrw_new_node(walker *w, dp_kind k)
{
    return dp_node_new(w->s->doc, k);
}

/* Past the depth limit: the element's text, without structure. */
static int flatten(walker *w, frame *f, xmlNodePtr el)
{
    xr_session *s = w->s;
    if (!s->depth_warned) {
        s->depth_warned = 1;
        dp_warn_at(s->ctx, s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "elements nested deeper than %d levels: their content is kept as plain text", s->max_depth);
    }
    char *t = xr_text_content(el, 1);
    if (!t)
        return xrw_oom(w);
    int rc = DP_OK;
    if (*t) {
        if (f->kind == F_BLOCK || f->kind == F_INLINE) {
            rc = xrw_add_text(w, f, t, strlen(t));
        } else if (f->kind == F_LINES) {
            dp_node *line = xrw_struct_slot(w, f);
            dp_node *tx = line ? dp_node_new_text(s->doc, DP_TEXT, t, strlen(t)) : NULL;
            if (!tx || dp_node_append_child(line, tx))
                rc = xrw_oom(w);
        } else {
            dp_node *slot = xrw_struct_slot(w, f);
            dp_node *p = slot ? dp_node_new(s->doc, DP_PLAIN) : NULL;
            dp_node *tx = p ? dp_node_new_text(s->doc, DP_TEXT, t, strlen(t)) : NULL;
            if (!tx || dp_node_append_child(p, tx) || dp_node_append_child(slot, p))
                rc = xrw_oom(w);
        }
    }
    free(t);
    return rc;
}

static int handle(walker *w, xmlNodePtr node)
{
    frame *f = xrw_top(w);
    switch (node->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        if (!node->content)
            return DP_OK;
        if (f->kind != F_BLOCK && f->kind != F_INLINE) {
            if (xr_is_ws((const char *)node->content) && !(f->kind == F_LINES && f->implicit))
                return DP_OK;
            dp_node *slot = xrw_struct_slot(w, f);
            if (!slot)
                return xrw_oom(w);
            return xrw_open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
        }
        return xrw_add_text(w, f, (const char *)node->content, strlen((const char *)node->content));
    case XML_ENTITY_REF_NODE: {
        char buf[8];
        const char *t = xr_entity_text(node, buf);
        if (f->kind != F_BLOCK && f->kind != F_INLINE) {
            /* between the parts of a list or table: into an item / cell like text */
            if (*t && xr_is_ws(t) && !(f->kind == F_LINES && f->implicit))
                return DP_OK;
            dp_node *slot = xrw_struct_slot(w, f);
            if (!slot)
                return xrw_oom(w);
            return xrw_open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
        }
        if (!*t) {
            dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(node), 0,
                       "unknown entity &%s; kept as written", node->name ? (const char *)node->name : "");
            char raw[300];
            snprintf(raw, sizeof raw, "&%s;", node->name ? (const char *)node->name : "");
            return xrw_add_text(w, f, raw, strlen(raw));
        }
        return xrw_add_text(w, f, t, strlen(t));
    }
    case XML_ELEMENT_NODE:
        break;
    default:
        return DP_OK; /* comments, processing instructions */
    }
    xr_info *info = xr_info_peek(node);
    if (info && (info->flags & XR_SKIP) && node != f->unskip)
        return DP_OK;
    if (info && (info->flags & XR_NOTEREF)) {
        if (f->kind == F_BLOCK || f->kind == F_INLINE)
            return xrw_map_noteref(w, f, node, info);
        /* between the parts of a list or table: into an item / cell first */
        dp_node *slot = xrw_struct_slot(w, f);
        if (!slot)
            return xrw_oom(w);
        return xrw_open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
    }
    if ((int)w->n >= w->s->max_depth)
        return flatten(w, f, node);
    if (f->kind != F_BLOCK && f->kind != F_INLINE)
        return xrw_handle_struct(w, f, node);
    return xrw_map_general(w, f, node);
}

static void pop(walker *w)
{
    frame f = w->st[--w->n];
    switch (f.exit) {
    case EX_BREAK:
        if (w->n > 0)
            xrw_top(w)->need_break = 1;
        break;
    case EX_NOTE: {
        xr_info *bi = xr_info_peek(f.elem);
        if (bi)
            bi->note_state = 2;
        break;
    }
    case EX_TABLE:
        xrw_table_exit(w, f.made, f.elem);
        break;
    default:
        break;
    }
}

int xr_walk_file(xr_session *s, size_t file)
{
    xmlNodePtr body = xr_body(s->files[file].xdoc);
    if (!body)
        return DP_OK;
    walker w = { s, NULL, 0, 0 };
    frame f;
    memset(&f, 0, sizeof f);
    f.next = body->children;
    f.kind = F_BLOCK;
    f.container = dp_doc_root(s->doc);
    f.implicit_kind = DP_PLAIN;
    f.file = file;
    int rc = xrw_push(&w, &f);
    while (!rc && w.n > 0) {
        frame *t = xrw_top(&w);
        xmlNodePtr node = t->next;
        if (!node) {
            pop(&w);
            continue;
        }
        t->next = t->single ? NULL : node->next;
        rc = handle(&w, node);
    }
    free(w.st);
    if (rc == DP_ENOMEM)
        return dp_fail(s->ctx, DP_ENOMEM, s->files[file].name, 0, 0, "out of memory");
    return rc;
}

