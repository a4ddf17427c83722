/* Tree -> (X)HTML elements: one ENTER/EXIT walk (dp_iter, no recursion) with
 * an explicit stack of open elements, so deep input cannot blow the C stack. */
#include "xw_render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */

static int push_frame(rstate *r, xmlNodePtr el, xmlNodePtr children_parent, const char *lang)
{
    if (DP_ARRAY_RESERVE(r->frames, r->cap, r->nframes + 1))
        return DP_ENOMEM;
    r->frames[r->nframes].restore = r->cur;
    r->frames[r->nframes].restore_lang = r->lang;
    r->frames[r->nframes].section_mark = r->nsecs;
    r->frames[r->nframes].el = el;
    r->nframes++;
    r->cur = children_parent;
    r->lang = lang;
    return 0;
}

static void close_sections(rstate *r, size_t mark, int level)
{
    while (r->nsecs > mark && r->secs[r->nsecs - 1].level >= level) {
        r->nsecs--;
        r->cur = r->secs[r->nsecs].restore;
        xmlAddChild(r->cur, xmlNewDocText(r->cur->doc, BAD_CAST "\n"));
    }
}

static void pop_frame(rstate *r)
{
    frame *f = &r->frames[--r->nframes];
    close_sections(r, f->section_mark, 0);
    r->cur = f->restore;
    r->lang = f->restore_lang;
}

int xw_lang_differs(const char *a, const char *b)
{
    if (!a || !*a)
        return 0;
    return !b || strcasecmp(a, b) != 0;
}

/* Whether name is one of names: the first letter before the whole name, one
 * compare instead of a strcmp call for most (issue 23: asked after every
 * block the writer makes). */
static int name_in(const char *name, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (name[0] == names[i][0] && strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* Elements whose children are blocks: a newline after each child block
 * keeps the output readable and is insignificant there. */
int xw_block_holder(xmlNodePtr el)
{
    static const char *const names[] = {"body", "section", "div", "blockquote", "li", "dl", "dd",
                                        "ol", "ul", "table", "thead", "tbody", "tfoot", "tr",
                                        "figure", "aside", "header", "nav", "main", "article",
                                        "colgroup", NULL};
    el = xw_slot_parent(el);
    if (!el || el->type != XML_ELEMENT_NODE)
        return 0;
    return name_in((const char *)el->name, names);
}

/* Where an <aside> (flow, sectioning content) may go. */
static int flow_holder(xmlNodePtr el)
{
    static const char *const names[] = {"body", "section", "div", "blockquote", "li", "dd", "td",
                                        "figure", "figcaption", "caption", "aside", "header",
                                        "main", "article", NULL};
    el = xw_slot_parent(el);
    if (!el || el->type != XML_ELEMENT_NODE)
        return 0;
    return name_in((const char *)el->name, names);
}

void xw_newline_after(xmlNodePtr el)
{
    if (el && el->parent && xw_block_holder(el->parent))
        xmlAddChild(el->parent, xmlNewDocText(el->doc, BAD_CAST "\n"));
}

static int flush_pending(rstate *r)
{
    size_t i;
    int rc = 0;
    if (!r->npending || !flow_holder(r->cur))
        return 0;
    for (i = 0; i < r->npending && rc == 0; i++)
        rc = xw_render_footnote_aside(r->w, r->pending[i], r->cur);
    r->npending = 0;
    return rc;
}

/* ------------------------------------------------------------------ */
/* per-kind element creation                                            */

/* ------------------------------------------------------------------ */
/* Raw HTML runs (xw_rawrun.c): from a container's first raw HTML child to
 * its end, the raw HTML is parsed as one piece and the other children are
 * written into the places it leaves for them. */

/* ENTER of n: 1 when n is a raw HTML node already written by its run (or
 * that starts a run, written now); else 0, with r->cur moved into n's slot
 * when n belongs to a run. */
static int raw_run_enter(rstate *r, const dp_node *n, int *rc)
{
    const dp_node *parent = dp_node_parent(n);
    struct raw_run *run = r->nruns ? &r->runs[r->nruns - 1] : NULL;
    *rc = 0;
    if (r->plain || !parent || xw_raw_verbatim(r->w))
        return 0; /* verbatim raw HTML: the browser parses it with the page */
    if (run && run->container == parent) {
        if (xw_is_raw_html(n))
            return 1;
        xmlNodePtr slot = run->next < run->nslots ? run->slots[run->next] : NULL;
        run->next++;
        r->cur = slot ? slot : run->restore;
        return 0;
    }
    if (!xw_is_raw_html(n))
        return 0;
    if (DP_ARRAY_RESERVE(r->runs, r->runcap, r->nruns + 1)) {
        *rc = DP_ENOMEM;
        return 1;
    }
    run = &r->runs[r->nruns];
    memset(run, 0, sizeof *run);
    run->container = parent;
    run->restore = r->cur;
    *rc = xw_raw_run_open(r->w, n, r->cur, &run->slots, &run->nslots);
    if (*rc != 0)
        return 1;
    r->nruns++;
    const dp_node *last = n;
    while (dp_node_next(last))
        last = dp_node_next(last);
    if (dp_node_kind(last) == DP_RAW_BLOCK && xw_is_raw_html(last) && xw_block_holder(r->cur))
        xmlAddChild(r->cur, xmlNewDocText(r->cur->doc, BAD_CAST "\n"));
    return 1;
}

/* After a node of a run is written: back to where the run is. */
static void raw_run_leave(rstate *r, const dp_node *n)
{
    if (r->nruns && r->runs[r->nruns - 1].container == dp_node_parent(n))
        r->cur = r->runs[r->nruns - 1].restore;
}

/* The end of container: its run's slots are unwrapped. With NULL, every run. */
static void raw_run_close(rstate *r, const dp_node *container)
{
    while (r->nruns && (!container || r->runs[r->nruns - 1].container == container)) {
        struct raw_run *run = &r->runs[--r->nruns];
        xw_raw_run_close(run->slots, run->nslots);
    }
}

/* Section-divs: a heading closes the open sections of its level or deeper
 * (inside the current container) and opens its own. Level-1 sections are
 * <div class="section level1">, since an h1 inside <section> is reported by
 * the Nu checker ("use h1 as a top-level heading only"). */
int xw_open_section_for(rstate *r, int level)
{
    size_t mark = r->nframes ? r->frames[r->nframes - 1].section_mark : 0;
    xmlNodePtr sec;
    char cls[32];
    close_sections(r, mark, level);
    if (DP_ARRAY_RESERVE(r->secs, r->seccap, r->nsecs + 1))
        return DP_ENOMEM;
    sec = xw_new_elem(r->w, r->cur, level == 1 ? "div" : "section");
    if (!sec)
        return DP_ENOMEM;
    snprintf(cls, sizeof cls, level == 1 ? "section level%d" : "level%d", level);
    xw_set(r->w, sec, "class", cls);
    xmlAddChild(sec, xmlNewDocText(sec->doc, BAD_CAST "\n"));
    r->secs[r->nsecs].level = level;
    r->secs[r->nsecs].restore = r->cur;
    r->nsecs++;
    r->cur = sec;
    return 0;
}

/* XHTML 1.1 wants tfoot before the tbody elements. */
static void tfoot_first(xmlNodePtr table)
{
    xmlNodePtr foot = NULL, body = NULL;
    for (xmlNodePtr c = table->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!body && (xmlStrEqual(c->name, BAD_CAST "tbody") || xmlStrEqual(c->name, BAD_CAST "tr")))
            body = c;
        if (xmlStrEqual(c->name, BAD_CAST "tfoot"))
            foot = c;
    }
    if (foot && body) {
        xmlUnlinkNode(foot);
        xmlAddPrevSibling(body, foot);
    }
}

/* A figcaption must be the first or the last child of its figure. */
static void fix_figcaption(xmlNodePtr fig)
{
    xmlNodePtr cap = NULL, first = NULL, last = NULL;
    for (xmlNodePtr c = fig->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!first)
            first = c;
        last = c;
        if (strcmp((const char *)c->name, "figcaption") == 0 && !cap)
            cap = c;
    }
    if (cap && cap != first && cap != last) {
        xmlUnlinkNode(cap);
        xmlAddChild(fig, cap);
        xmlAddChild(fig, xmlNewDocText(fig->doc, BAD_CAST "\n"));
    }
}

static int max_depth(const xw_writer *w)
{
    const dp_limits *lim = w->ctx ? dp_ctx_limits(w->ctx) : NULL;
    return lim && lim->max_depth > 0 ? lim->max_depth : 10000;
}

/* Walks one subtree rooted at top (ENTER..EXIT). */
static int render_subtree(rstate *r, const dp_node *top)
{
    dp_iter it;
    dp_event ev;
    int rc = 0;
    size_t base = r->nframes;
    size_t limit = (size_t)max_depth(r->w) + base;

    dp_iter_init(&it, top);
    while (rc == 0 && (ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        dp_kind k = dp_node_kind(n);
        if (ev == DP_EV_ENTER) {
            xmlNodePtr el = NULL, inner = NULL;
            int skip = 0;
            if (raw_run_enter(r, n, &rc))
                continue;
            const char *own = n == top ? dp_node_lang_effective(n) : dp_node_lang(n);
            const char *lang = r->lang;
            rc = xw_enter_node(r, n, n == top, &el, &inner, &skip);
            if (rc != 0)
                break;
            if (el && xw_lang_differs(own, r->lang)) {
                xw_set_lang(r->w, el, own);
                lang = own;
            } else if (!el && own && xw_lang_differs(own, r->lang)) {
                lang = own; /* wrapper-less node: xw_enter_node made a span when needed */
            }
            if (dp_kind_is_leaf(k)) {
                if (el && dp_node_is_block(n))
                    xw_newline_after(el);
                raw_run_leave(r, n);
                continue;
            }
            if (r->nframes >= limit) {
                rc = r->w->ctx ? dp_fail(r->w->ctx, DP_ELIMIT, NULL, dp_node_line(n), dp_node_column(n),
                                         "HTML writer: nesting deeper than %d", max_depth(r->w))
                               : DP_ELIMIT;
                break;
            }
            rc = push_frame(r, el, inner ? inner : r->cur, lang);
            if (rc != 0)
                break;
            if (skip)
                dp_iter_skip_children(&it);
        } else { /* EXIT */
            xmlNodePtr el = r->frames[r->nframes - 1].el;
            raw_run_close(r, n);
            pop_frame(r);
            if (el && k == DP_FIGURE)
                fix_figcaption(el);
            if (el && k == DP_TABLE && XW_IS_X11(r->w))
                tfoot_first(el);
            if (dp_node_is_block(n) || k == DP_ROOT) {
                if (el)
                    xw_newline_after(el);
                rc = flush_pending(r);
            }
            raw_run_leave(r, n);
        }
    }
    while (r->nframes > base)
        pop_frame(r);
    return rc;
}

static void rstate_free(rstate *r)
{
    raw_run_close(r, NULL);
    free(r->runs);
    free(r->frames);
    free(r->secs);
    free(r->pending);
}

int xw_render_blocks(xw_writer *w, const dp_node *first, const dp_node *stop, xmlNodePtr parent)
{
    rstate r;
    int rc = 0;
    if (!w || !parent)
        return DP_EINVAL;
    memset(&r, 0, sizeof r);
    r.w = w;
    r.cur = parent;
    r.lang = w->base_lang;
    /* a base frame: sections opened at this level are closed at the end */
    rc = push_frame(&r, NULL, parent, w->base_lang);
    for (const dp_node *n = first; rc == 0 && n && n != stop; n = dp_node_next(n)) {
        if (dp_node_kind(n) == DP_ROOT) {
            /* the whole body: render its children */
            rc = xw_render_blocks(w, dp_node_first_child(n), NULL, parent);
            continue;
        }
        rc = render_subtree(&r, n);
    }
    if (r.nframes)
        pop_frame(&r);
    if (rc == 0) {
        /* notes whose block could not hold an aside (a list term, a th ...) */
        r.cur = parent;
        if (r.npending && !flow_holder(parent)) {
            /* never lose them: leave them for xw_render_endnotes */
            r.npending = 0;
        }
        rc = flush_pending(&r);
    }
    rstate_free(&r);
    return rc;
}

int xw_render_inlines(xw_writer *w, const dp_node *node, xmlNodePtr parent, int plain)
{
    rstate r;
    int rc = 0;
    if (!w || !node || !parent)
        return DP_EINVAL;
    memset(&r, 0, sizeof r);
    r.w = w;
    r.cur = parent;
    r.lang = w->base_lang;
    r.plain = plain;
    {
        /* the node's language, on parent when it differs from the page's */
        const char *eff = dp_node_lang_effective(node);
        if (xw_lang_differs(eff, r.lang)) {
            xw_set_lang(w, parent, eff);
            r.lang = eff;
        }
    }
    for (const dp_node *n = dp_node_first_child(node); rc == 0 && n; n = dp_node_next(n))
        rc = render_subtree(&r, n);
    if (rc == 0 && r.npending) {
        /* inline_notes cannot put an aside inside inline content: the notes
         * stay in the list for xw_render_endnotes */
        r.npending = 0;
    }
    rstate_free(&r);
    return rc;
}
