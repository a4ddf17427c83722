/* Tree -> (X)HTML elements: one ENTER/EXIT walk (dp_iter, no recursion) with
 * an explicit stack of open elements, so deep input cannot blow the C stack. */
#include "mathconv.h"
#include "xw_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct frame {
    xmlNodePtr restore;       /* parent to go back to on EXIT */
    const char *restore_lang; /* language in effect at restore */
    size_t section_mark;      /* sections opened inside this container start here */
    xmlNodePtr el;            /* the node's element (NULL when it has none) */
} frame;

typedef struct open_section {
    int level;
    xmlNodePtr restore;
} open_section;

typedef struct rstate {
    xw_writer *w;
    frame *frames;
    size_t nframes, cap;
    open_section *secs;
    size_t nsecs, seccap;
    xmlNodePtr cur;   /* where the next child goes */
    const char *lang; /* language in effect at cur */
    size_t *pending;  /* inline_notes: notes waiting for the end of their block */
    size_t npending, pendcap;
    int plain;        /* render_inlines(plain): no notes, links, page breaks */
    struct raw_run { /* raw HTML parsed with the rest of its container (xw_rawrun.c) */
        const dp_node *container;
        xmlNodePtr restore; /* where the run was written: the fallback for a lost slot */
        xmlNodePtr *slots;  /* one per non-raw node of the run, in order (NULL: lost) */
        size_t nslots, next;
    } *runs;
    size_t nruns, runcap;
} rstate;

/* ------------------------------------------------------------------ */

static int push_frame(rstate *r, xmlNodePtr el, xmlNodePtr children_parent, const char *lang)
{
    if (r->nframes == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        frame *f = realloc(r->frames, cap * sizeof *f);
        if (!f)
            return DP_ENOMEM;
        r->frames = f;
        r->cap = cap;
    }
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

static int lang_differs(const char *a, const char *b)
{
    if (!a || !*a)
        return 0;
    return !b || strcasecmp(a, b) != 0;
}

/* Elements whose children are blocks: a newline after each child block
 * keeps the output readable and is insignificant there. */
static int block_holder(xmlNodePtr el)
{
    static const char *const names[] = {"body", "section", "div", "blockquote", "li", "dl", "dd",
                                        "ol", "ul", "table", "thead", "tbody", "tfoot", "tr",
                                        "figure", "aside", "header", "nav", "main", "article",
                                        "colgroup", NULL};
    el = xw_slot_parent(el);
    if (!el || el->type != XML_ELEMENT_NODE)
        return 0;
    for (int i = 0; names[i]; i++)
        if (strcmp((const char *)el->name, names[i]) == 0)
            return 1;
    return 0;
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
    for (int i = 0; names[i]; i++)
        if (strcmp((const char *)el->name, names[i]) == 0)
            return 1;
    return 0;
}

static void newline_after(xmlNodePtr el)
{
    if (el && el->parent && block_holder(el->parent))
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

static const char *kind_tag(dp_kind k)
{
    switch (k) {
    case DP_PARA: return "p";
    case DP_BLOCK_QUOTE: return "blockquote";
    case DP_DEF_LIST: return "dl";
    case DP_DEF_TERM: return "dt";
    case DP_DEF_DESC: return "dd";
    case DP_THEMATIC_BREAK: return "hr";
    case DP_TABLE: return "table";
    case DP_TABLE_HEAD: return "thead";
    case DP_TABLE_BODY: return "tbody";
    case DP_TABLE_FOOT: return "tfoot";
    case DP_TABLE_ROW: return "tr";
    case DP_FIGURE: return "figure";
    case DP_DIV: return "div";
    case DP_EMPH: return "em";
    case DP_STRONG: return "strong";
    case DP_UNDERLINE: return "u";
    case DP_STRIKEOUT: return "del";
    case DP_SUPERSCRIPT: return "sup";
    case DP_SUBSCRIPT: return "sub";
    case DP_QUOTED: return "q";
    case DP_CODE: return "code";
    case DP_LINE_BREAK: return "br";
    case DP_SPAN: return "span";
    case DP_LIST_ITEM: return "li";
    default: return NULL;
    }
}

static const char *align_style(dp_align a)
{
    switch (a) {
    case DP_ALIGN_LEFT: return "text-align: left";
    case DP_ALIGN_CENTER: return "text-align: center";
    case DP_ALIGN_RIGHT: return "text-align: right";
    default: return NULL;
    }
}

static int cell_column(const dp_node *cell)
{
    int col = 0;
    for (const dp_node *p = dp_node_prev(cell); p; p = dp_node_prev(p))
        col += dp_node_cell_colspan(p) > 0 ? dp_node_cell_colspan(p) : 1;
    return col;
}

static const dp_node *enclosing_table(const dp_node *cell)
{
    const dp_node *p = dp_node_parent(cell);
    while (p && dp_node_kind(p) != DP_TABLE)
        p = dp_node_parent(p);
    return p;
}

static void add_colgroup(xw_writer *w, xmlNodePtr table, const dp_node *node)
{
    int ncols = dp_node_table_cols(node), any = 0;
    xmlNodePtr cg;
    for (int i = 0; i < ncols; i++)
        if (dp_node_table_col_width(node, i) > 0)
            any = 1;
    if (!any)
        return;
    cg = xw_new_elem(w, table, "colgroup");
    for (int i = 0; i < ncols && cg; i++) {
        xmlNodePtr col = xw_new_elem(w, cg, "col");
        double width = dp_node_table_col_width(node, i);
        if (col && width > 0) {
            char buf[64];
            snprintf(buf, sizeof buf, "width: %.2f%%", width * 100.0);
            xw_set(w, col, "style", buf);
        }
        newline_after(col);
    }
    newline_after(cg);
}

static const char *ol_type(dp_list_style s)
{
    switch (s) {
    case DP_STYLE_LOWER_ALPHA: return "a";
    case DP_STYLE_UPPER_ALPHA: return "A";
    case DP_STYLE_LOWER_ROMAN: return "i";
    case DP_STYLE_UPPER_ROMAN: return "I";
    default: return NULL;
    }
}

static int is_html_format(const char *fmt)
{
    return fmt && (strcasecmp(fmt, "html") == 0 || strcasecmp(fmt, "html5") == 0 ||
                   strcasecmp(fmt, "html4") == 0 || strcasecmp(fmt, "xhtml") == 0);
}

/* TeX as pandoc, MathJax and KaTeX mark it: span.math.inline \(…\),
 * span.math.display \[…\]. */
static void add_math_tex(rstate *r, const dp_node *n, const char *tex, size_t len, xmlNodePtr *el_out)
{
    int display = dp_node_math_display(n);
    xmlNodePtr span = xw_new_elem(r->w, r->cur, "span");
    if (!span)
        return;
    xw_apply_attrs(r->w, span, n, display ? "math display" : "math inline");
    xw_add_text(span, display ? "\\[" : "\\(", 2);
    xw_add_text(span, tex, len);
    xw_add_text(span, display ? "\\]" : "\\)", 2);
    *el_out = span;
}

/* A DP_MATH: MathML (converted from the TeX when that is all there is), or
 * TeX in span.math when asked for, when XHTML 1.1 cannot hold MathML, or
 * when the conversion fails (reported, naming the construct). */
static int add_math(rstate *r, const dp_node *n, xmlNodePtr *el_out)
{
    xw_writer *w = r->w;
    size_t tl = 0, ml = 0;
    const char *tex = dp_node_math_form(n, "tex", &tl);
    const char *mml = dp_node_math_form(n, "mathml", &ml);
    char *conv = NULL;
    const char *what = NULL;
    int rc = 0;
    if (w->opts.math_tex || XW_IS_X11(w)) {
        if (!tex && (rc = mathconv_mathml_to_tex(mml, ml, &conv, &what)) == 0)
            tex = conv, tl = strlen(conv);
        if (tex) {
            add_math_tex(r, n, tex, tl, el_out);
        } else {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "MathML with %s (no TeX conversion) written as its source text%s",
                             what ? what : "a construct", XW_IS_X11(w) ? " (XHTML 1.1 has no MathML)" : "");
            add_math_tex(r, n, mml, ml, el_out);
        }
        free(conv);
        return rc == -2 ? DP_ENOMEM : 0;
    }
    if (!mml && (rc = mathconv_tex_to_mathml(tex, tl, dp_node_math_display(n), &conv, &what)) == 0)
        mml = conv, ml = strlen(conv);
    if (rc == -2)
        return DP_ENOMEM;
    if (mml) {
        xmlNodePtr last = r->cur->last;
        if (xw_import_mathml(w, mml, ml, r->cur) == 0 && r->cur->last != last) {
            xmlNodePtr math = r->cur->last;
            /* alt text: the source's, else the TeX (EPUB accessibility) */
            const char *alt = dp_node_math_alt(n) ? dp_node_math_alt(n) : tex;
            if (alt && !xmlHasProp(math, BAD_CAST "alttext"))
                xmlSetProp(math, BAD_CAST "alttext", BAD_CAST alt);
            if (dp_node_math_display(n) && !xmlHasProp(math, BAD_CAST "display"))
                xmlSetProp(math, BAD_CAST "display", BAD_CAST "block");
            *el_out = math;
            free(conv);
            return 0;
        }
        if (w->ctx)
            dp_warn_node(w->ctx, n, "MathML that does not parse written as %s", tex ? "TeX" : "source text");
    } else if (w->ctx) {
        dp_warn_node(w->ctx, n, "TeX with %s, which has no MathML conversion here, written as TeX in span.math",
                     what ? what : "a construct");
    }
    free(conv);
    if (tex)
        add_math_tex(r, n, tex, tl, el_out);
    else
        add_math_tex(r, n, mml, ml, el_out);
    return 0;
}

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
    if (r->plain || !parent)
        return 0;
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
    if (r->nruns == r->runcap) {
        size_t cap = r->runcap ? r->runcap * 2 : 8;
        struct raw_run *a = realloc(r->runs, cap * sizeof *a);
        if (!a) {
            *rc = DP_ENOMEM;
            return 1;
        }
        r->runs = a;
        r->runcap = cap;
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
    if (dp_node_kind(last) == DP_RAW_BLOCK && xw_is_raw_html(last) && block_holder(r->cur))
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
static int open_section_for(rstate *r, int level)
{
    size_t mark = r->nframes ? r->frames[r->nframes - 1].section_mark : 0;
    xmlNodePtr sec;
    char cls[32];
    close_sections(r, mark, level);
    if (r->nsecs == r->seccap) {
        size_t cap = r->seccap ? r->seccap * 2 : 16;
        open_section *s = realloc(r->secs, cap * sizeof *s);
        if (!s)
            return DP_ENOMEM;
        r->secs = s;
        r->seccap = cap;
    }
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

/* ENTER of a node: creates its element(s) under r->cur. Sets *el to the
 * node's own element and *inner to where its children go (NULL for leaves).
 * *skip asks the walk to skip the children. */
static int enter_node(rstate *r, const dp_node *n, int top, xmlNodePtr *el, xmlNodePtr *inner,
                      int *skip)
{
    xw_writer *w = r->w;
    dp_kind k = dp_node_kind(n);
    const char *tag = kind_tag(k);
    xmlNodePtr e = NULL, in = NULL;
    int rc = 0;

    *skip = 0;
    if (k == DP_PARA && XW_IS_X11(w) && dp_node_parent(n) && dp_node_kind(dp_node_parent(n)) == DP_CAPTION &&
        dp_node_parent(dp_node_parent(n)) && dp_node_kind(dp_node_parent(dp_node_parent(n))) == DP_TABLE)
        k = DP_PLAIN; /* an XHTML 1.1 table caption holds inline content only */
    switch (k) {
    case DP_ROOT:
        in = r->cur;
        break;
    case DP_PLAIN:
    case DP_DEF_ITEM:
    case DP_TEXT:
        if (k == DP_DEF_ITEM && XW_IS_X11(w)) {
            /* XHTML 1.1 allows only dt and dd in dl */
            if (xw_node_has_attrs(n) && w->ctx)
                dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.attrs", n, "attributes of a definition list item cannot be written in XHTML 1.1");
            in = r->cur;
            break;
        }
        if (xw_node_has_attrs(n) || lang_differs(top ? dp_node_lang_effective(n) : dp_node_lang(n), r->lang)) {
            e = xw_new_elem(w, r->cur, k == DP_DEF_ITEM ? "div" : "span");
            if (!e)
                return DP_ENOMEM;
            xw_apply_attrs(w, e, n, NULL);
        }
        if (k == DP_TEXT)
            xw_add_text(e ? e : r->cur, dp_node_text(n), dp_node_text_len(n));
        else
            in = e ? e : r->cur;
        break;
    case DP_SOFT_BREAK:
        xw_add_text(r->cur, "\n", 1);
        break;
    case DP_HEADING: {
        int level = dp_node_heading_level(n);
        char h[4] = {'h', (char)('0' + (level >= 1 && level <= 6 ? level : 6)), 0, 0};
        const char *num = xw_heading_number(w, n);
        if (w->opts.section_divs && !r->plain && (rc = open_section_for(r, level)) != 0)
            return rc;
        e = xw_new_elem(w, r->cur, h);
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
        if (num) {
            xmlNodePtr s = xw_new_elem(w, e, "span");
            xw_set(w, s, "class", "header-section-number");
            xw_add_text(s, num, strlen(num));
            xw_add_text(e, " ", 1);
        }
        in = e;
        break;
    }
    case DP_LINE_BLOCK:
    case DP_LINE:
        e = xw_new_elem(w, r->cur, "div");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, k == DP_LINE_BLOCK ? "line-block" : "line");
        in = e;
        break;
    case DP_CODE_BLOCK: {
        xmlNodePtr code;
        int nclass = dp_node_class_count(n);
        e = xw_new_elem(w, r->cur, "pre");
        code = e ? xw_new_elem(w, e, "code") : NULL;
        if (!code)
            return DP_ENOMEM;
        xw_set(w, e, "id", xw_id_of(w, n));
        /* the first class is the language (CommonMark info string) */
        if (nclass > 0) {
            char *lang = xw_printf(w, "language-%s", dp_node_class_at(n, 0));
            xmlChar *rest = NULL;
            xw_set(w, code, "class", lang);
            for (int i = 1; i < nclass; i++) {
                if (rest)
                    rest = xmlStrcat(rest, BAD_CAST " ");
                rest = xmlStrcat(rest, BAD_CAST dp_node_class_at(n, i));
            }
            if (rest) {
                xmlSetProp(e, BAD_CAST "class", rest);
                xmlFree(rest);
            }
        }
        if (dp_node_attr_count(n) > 0) {
            xmlNodePtr tmp = xmlNewDocNode(e->doc, NULL, BAD_CAST "pre", NULL);
            /* apply to a scratch element without id/classes, then move the attributes */
            xw_apply_attrs(w, tmp, n, NULL);
            for (xmlAttrPtr a = tmp->properties; a; a = a->next) {
                if (strcmp((const char *)a->name, "id") == 0 || strcmp((const char *)a->name, "class") == 0)
                    continue;
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                if (a->ns)
                    xmlSetNsProp(e, a->ns, a->name, v);
                else
                    xmlSetProp(e, a->name, v);
                xmlFree(v);
            }
            xmlFreeNode(tmp);
        }
        xw_add_text(code, dp_node_text(n), dp_node_text_len(n));
        break;
    }
    case DP_RAW_BLOCK:
    case DP_RAW_INLINE:
        if (is_html_format(dp_node_format(n))) {
            rc = xw_import_html(w, n, dp_node_text(n), dp_node_text_len(n), r->cur, k == DP_RAW_BLOCK);
            if (rc != 0)
                return rc;
            if (k == DP_RAW_BLOCK && block_holder(r->cur))
                xmlAddChild(r->cur, xmlNewDocText(r->cur->doc, BAD_CAST "\n"));
        } else if (w->ctx) {
            dp_warn_node(w->ctx, n, "raw %s content dropped: only raw HTML can be written to HTML",
                         dp_node_format(n) ? dp_node_format(n) : "(unknown format)");
        }
        break;
    case DP_LIST: {
        int ordered = dp_node_list_type(n) == DP_LIST_ORDERED;
        e = xw_new_elem(w, r->cur, ordered ? "ol" : "ul");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
        if (ordered) {
            int start = dp_node_list_start(n);
            const char *type = ol_type(dp_node_list_style(n));
            if (start != 1) {
                char buf[24];
                snprintf(buf, sizeof buf, "%d", start);
                xw_set(w, e, "start", buf);
            }
            xw_set(w, e, "type", type);
            if (XW_IS_X11(w) && (start != 1 || type) && w->ctx)
                dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.list-style", n, "list start number / numbering style cannot be written in XHTML 1.1");
        }
        in = e;
        break;
    }
    case DP_LIST_ITEM: {
        dp_task task = dp_node_task(n);
        e = xw_new_elem(w, r->cur, "li");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, task != DP_TASK_NONE ? "task-list-item" : NULL);
        if (task != DP_TASK_NONE && XW_IS_X11(w)) {
            xw_add_text(e, task == DP_TASK_CHECKED ? "[x] " : "[ ] ", 4);
        } else if (task != DP_TASK_NONE) {
            xmlNodePtr box = xw_new_elem(w, e, "input");
            xw_set(w, box, "type", "checkbox");
            xw_set(w, box, "disabled", "disabled");
            if (task == DP_TASK_CHECKED)
                xw_set(w, box, "checked", "checked");
            xw_set(w, box, "aria-label", task == DP_TASK_CHECKED ? "done" : "not done");
            xw_add_text(e, " ", 1);
        }
        in = e;
        break;
    }
    case DP_TABLE:
        e = xw_new_elem(w, r->cur, "table");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
        xmlAddChild(e, xmlNewDocText(e->doc, BAD_CAST "\n"));
        add_colgroup(w, e, n);
        in = e;
        break;
    case DP_TABLE_CELL: {
        const dp_node *table = enclosing_table(n);
        const dp_node *section = dp_node_parent(dp_node_parent(n));
        int header = dp_node_cell_header(n) || (section && dp_node_kind(section) == DP_TABLE_HEAD);
        dp_align align = dp_node_cell_align(n);
        int rs = dp_node_cell_rowspan(n), cs = dp_node_cell_colspan(n);
        char buf[24];
        if (align == DP_ALIGN_DEFAULT && table)
            align = dp_node_table_col_align(table, cell_column(n));
        e = xw_new_elem(w, r->cur, header ? "th" : "td");
        if (!e)
            return DP_ENOMEM;
        xw_set(w, e, "style", align_style(align));
        if (rs > 1) {
            snprintf(buf, sizeof buf, "%d", rs);
            xw_set(w, e, "rowspan", buf);
        }
        if (cs > 1) {
            snprintf(buf, sizeof buf, "%d", cs);
            xw_set(w, e, "colspan", buf);
        }
        xw_apply_attrs(w, e, n, NULL);
        in = e;
        break;
    }
    case DP_CAPTION: {
        const dp_node *p = dp_node_parent(n);
        int in_table = p && dp_node_kind(p) == DP_TABLE;
        xmlNodePtr holder = r->cur;
        e = xw_make_elem(w, holder, xw_html_ns(w, holder), in_table ? "caption" : "figcaption");
        if (!e)
            return DP_ENOMEM;
        if (in_table && holder->children)
            xmlAddPrevSibling(holder->children, e); /* caption is the table's first child */
        else
            xmlAddChild(holder, e);
        xw_apply_attrs(w, e, n, NULL);
        in = e;
        break;
    }
    case DP_SMALL_CAPS:
        e = xw_new_elem(w, r->cur, "span");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, "smallcaps");
        in = e;
        break;
    case DP_CITE: {
        int count = dp_node_citation_count(n), lossy = 0;
        xmlChar *cites = NULL;
        e = xw_new_elem(w, r->cur, "span");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, "citation");
        for (int i = 0; i < count; i++) {
            const dp_citation *c = dp_node_citation_at(n, i);
            if (!c || !c->id)
                continue;
            if (cites)
                cites = xmlStrcat(cites, BAD_CAST " ");
            cites = xmlStrcat(cites, BAD_CAST c->id);
            if ((c->prefix && *c->prefix) || (c->suffix && *c->suffix) || c->mode != DP_CITE_NORMAL)
                lossy = 1;
        }
        if (cites) {
            xw_set(w, e, "data-cites", (const char *)cites);
            xmlFree(cites);
        }
        if (lossy && w->ctx)
            dp_warn_node(w->ctx, n, "citation prefix/suffix/mode not written (the rendered citation text is)");
        in = e;
        break;
    }
    case DP_CODE:
        e = xw_new_elem(w, r->cur, "code");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
        xw_add_text(e, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_MATH:
        if (add_math(r, n, &e) == DP_ENOMEM)
            return DP_ENOMEM;
        break;
    case DP_LINK: {
        const char *url = dp_node_url(n);
        const char *href = url ? url : "";
        e = xw_new_elem(w, r->cur, r->plain ? "span" : "a");
        if (!e)
            return DP_ENOMEM;
        if (!r->plain) {
            if (href[0] == '#' && href[1]) {
                char *pid = xw_full_id(w, href + 1);
                /* kept as written, but said: it leads nowhere. Writers that
                 * spread the ids over files (link_href: EPUB) check each
                 * finished page instead. */
                if (pid && !w->opts.link_href && !xw_id_taken(w, pid) && w->ctx)
                    dp_warn_node(w->ctx, n, "link \"%s\" to '%s': no element of the document carries that id",
                                 dp_node_plain_text(n, 0), href);
                href = pid ? xw_internal_href(w, pid) : NULL;
            }
            if (w->opts.safe && href && !xw_safe_url(href, 0)) {
                if (w->ctx)
                    dp_warn_node(w->ctx, n, "safe: link to a script URL written without its href");
                href = NULL; /* an <a> without href: the text stays, nothing runs */
            } else {
                xw_set(w, e, "href", href ? href : "");
            }
            xw_set(w, e, "title", dp_node_title(n));
        }
        xw_apply_attrs(w, e, n, NULL);
        in = e;
        break;
    }
    case DP_IMAGE:
        e = xw_new_elem(w, r->cur, "img");
        if (!e)
            return DP_ENOMEM;
        if (w->opts.safe && dp_node_url(n) && !xw_safe_url(dp_node_url(n), 1)) {
            /* an img must have a src: its text description stands instead */
            if (w->ctx)
                dp_warn_node(w->ctx, n, "safe: image with a script URL written as its description");
            const char *desc = dp_node_plain_text(n, 1);
            xmlNodeSetName(e, BAD_CAST "span");
            if (desc)
                xw_add_text(e, desc, strlen(desc));
        } else {
            const char *src = dp_node_url(n) ? dp_node_url(n) : "";
            if (w->opts.place_resources && w->ctx && !(src = dp_ctx_resource_url(w->ctx, w->doc, src)))
                return DP_ENOMEM;
            xw_set(w, e, "src", src);
            xw_set(w, e, "alt", dp_node_plain_text(n, 1));
        }
        xw_set(w, e, "title", dp_node_title(n));
        xw_apply_attrs(w, e, n, NULL);
        *skip = 1;
        in = e; /* children skipped; a frame is still needed for the EXIT */
        break;
    case DP_NOTE: {
        size_t idx;
        *skip = 1;
        in = r->cur;
        if (r->plain)
            break;
        rc = xw_note_add(w, n, &idx);
        if (rc == 0)
            rc = xw_render_noteref(w, idx, r->cur);
        if (rc != 0)
            return rc;
        e = r->cur->last;
        if (w->opts.inline_notes) {
            if (r->npending == r->pendcap) {
                size_t cap = r->pendcap ? r->pendcap * 2 : 8;
                size_t *p = realloc(r->pending, cap * sizeof *p);
                if (!p)
                    return DP_ENOMEM;
                r->pending = p;
                r->pendcap = cap;
            }
            r->pending[r->npending++] = idx;
        }
        break;
    }
    case DP_PAGE_BREAK: {
        const char *label = dp_node_label(n);
        if (r->plain)
            break;
        /* XHTML 1.1: no role; a div between blocks (body holds only blocks) */
        e = xw_new_elem(w, r->cur, XW_IS_X11(w) && dp_node_is_block(n) ? "div" : "span");
        if (!e)
            return DP_ENOMEM;
        xw_set_role(w, e, "doc-pagebreak", "pagebreak");
        xw_set(w, e, "aria-label", label && *label ? label : "page break");
        if (XW_IS_X11(w)) {
            xw_set(w, e, "class", "pagebreak");
            xw_set(w, e, "title", label && *label ? label : "page break");
        }
        xw_apply_attrs(w, e, n, NULL);
        break;
    }
    case DP_CUSTOM: {
        const char *name = dp_node_custom_name(n);
        e = xw_new_elem(w, r->cur, dp_node_is_block(n) ? "div" : "span");
        if (!e)
            return DP_ENOMEM;
        xw_set(w, e, "data-custom", name ? name : "");
        xw_apply_attrs(w, e, n, NULL);
        if (w->ctx)
            dp_warn_node(w->ctx, n, "custom node \"%s\" has no HTML element: written as its content",
                         name ? name : "");
        in = e;
        break;
    }
    default:
        if (!tag) {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "node kind not known to the HTML writer: written as its content");
            in = r->cur;
            break;
        }
        e = xw_new_elem(w, r->cur, tag);
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
        if (!dp_kind_is_leaf(k))
            in = e;
        if (k == DP_BLOCK_QUOTE || k == DP_DIV || k == DP_DEF_LIST || k == DP_FIGURE ||
            k == DP_TABLE_HEAD || k == DP_TABLE_BODY || k == DP_TABLE_FOOT || k == DP_TABLE_ROW)
            xmlAddChild(e, xmlNewDocText(e->doc, BAD_CAST "\n"));
        break;
    }
    *el = e;
    *inner = in;
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
            rc = enter_node(r, n, n == top, &el, &inner, &skip);
            if (rc != 0)
                break;
            if (el && lang_differs(own, r->lang)) {
                xw_set_lang(r->w, el, own);
                lang = own;
            } else if (!el && own && lang_differs(own, r->lang)) {
                lang = own; /* wrapper-less node: enter_node made a span when needed */
            }
            if (dp_kind_is_leaf(k)) {
                if (el && dp_node_is_block(n))
                    newline_after(el);
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
                    newline_after(el);
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
        if (lang_differs(eff, r.lang)) {
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
