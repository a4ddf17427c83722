/* Markdown -> document tree, with cmark-gfm.
 *
 * cmark-gfm parses (CommonMark + GFM tables, strikethrough, autolinks, task
 * lists, footnotes); this file walks its tree once, iteratively, building
 * the docpipe tree. Footnote references become DP_NOTE nodes holding the
 * definition's blocks, labelled as the reference is written ("[^*]" gives
 * label "*"). Raw HTML stays raw, except that single-tag <span ...> ...
 * </span> pairs inside one inline container become DP_SPAN and <div ...>
 * ... </div> block pairs become DP_DIV, with their attributes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "md_internal.h"
#include "md_label_set.h"
#include "md_math.h"
#include "resload.h"

typedef struct md_reader {
    dp_ctx *ctx;
    const char *path;
    dp_doc *doc;
    const char *src; /* Markdown text given to cmark (after the front matter) */
    size_t src_len;
    size_t *line_starts; /* byte offset of each line of src */
    size_t nlines;
    int line_offset; /* lines of front matter before src */
    int html_pairs;
    int tagfilter; /* GFM's disallowed raw HTML (md_tagfilter.c) */
    int math; /* $…$ and ```math are math */
    int max_depth;
    cmark_node **defs; /* footnote definitions, in cmark's index order */
    size_t ndefs;
    char **def_labels; /* label given to each definition (first reference's spelling) */
    unsigned char *def_active; /* definitions being converted (cycle guard) */
    dp_node **stack;
    cmark_node **origin; /* the cmark node each stack entry was made for */
    size_t depth, stack_cap, origin_cap;
    cmark_node *entering; /* the cmark node enter() is handling */
} md_reader;

static int fail_nomem(md_reader *r)
{
    return dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "out of memory");
}

static void set_pos(md_reader *r, dp_node *n, cmark_node *c)
{
    int line = cmark_node_get_start_line(c);
    if (line > 0)
        dp_node_set_pos(n, line + r->line_offset, cmark_node_get_start_column(c));
}

static int push(md_reader *r, dp_node *n)
{
    if ((int)r->depth >= r->max_depth)
        return dp_fail(r->ctx, DP_ELIMIT, r->path, dp_node_line(n), dp_node_column(n),
                       "Markdown nested deeper than the limit of %d", r->max_depth);
    if (DP_ARRAY_RESERVE(r->stack, r->stack_cap, r->depth + 1) ||
        DP_ARRAY_RESERVE(r->origin, r->origin_cap, r->depth + 1))
        return fail_nomem(r);
    r->origin[r->depth] = r->entering;
    r->stack[r->depth++] = n;
    return 0;
}

static dp_node *top(md_reader *r)
{
    return r->stack[r->depth - 1];
}

static int append(md_reader *r, dp_node *parent, dp_node *child)
{
    if (!child)
        return fail_nomem(r);
    if (dp_node_append_child(parent, child) < 0)
        return dp_fail(r->ctx, DP_EINTERNAL, r->path, dp_node_line(child), dp_node_column(child),
                       "a %s cannot go into a %s", dp_kind_name(dp_node_kind(child)),
                       dp_kind_name(dp_node_kind(parent)));
    return 0;
}

/* ------------------------------------------------------------------ */
/* Footnote labels. cmark-gfm numbers references (the reference node's
 * literal is the definition's index, 1-based, in order of first use) and
 * keeps the label itself private; the label is read back from the source
 * at the reference's position: "[^label]". */

/* Next newline at or after i, or src_len (memchr: this runs over the whole
 * input twice). */
static size_t next_newline(const md_reader *r, size_t i)
{
    const char *nl = memchr(r->src + i, '\n', r->src_len - i);
    return nl ? (size_t)(nl - r->src) : r->src_len;
}

static void index_lines(md_reader *r)
{
    size_t n = 1;
    for (size_t i = next_newline(r, 0); i < r->src_len; i = next_newline(r, i + 1))
        n++;
    r->line_starts = malloc(n * sizeof *r->line_starts);
    if (!r->line_starts)
        return;
    r->nlines = 0;
    r->line_starts[r->nlines++] = 0;
    for (size_t i = next_newline(r, 0); i < r->src_len; i = next_newline(r, i + 1))
        r->line_starts[r->nlines++] = i + 1;
}

/* malloc'd label written at (line, column) of src, or NULL. */
static char *label_at(md_reader *r, int line, int column)
{
    if (!r->line_starts || line < 1 || (size_t)line > r->nlines || column < 1)
        return NULL;
    size_t off = r->line_starts[line - 1] + (size_t)column - 1;
    if (off + 3 > r->src_len || r->src[off] != '[' || r->src[off + 1] != '^')
        return NULL;
    size_t start = off + 2, end = start;
    while (end < r->src_len && r->src[end] != ']' && r->src[end] != '\n')
        end++;
    if (end >= r->src_len || r->src[end] != ']' || end == start)
        return NULL;
    char *label = malloc(end - start + 1);
    if (label) {
        memcpy(label, r->src + start, end - start);
        label[end - start] = '\0';
    }
    return label;
}

static int collect_defs(md_reader *r, cmark_node *root)
{
    size_t n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION)
            n++;
    r->ndefs = n;
    if (n == 0)
        return 0;
    r->defs = calloc(n, sizeof *r->defs);
    r->def_labels = calloc(n, sizeof *r->def_labels);
    r->def_active = calloc(n, 1);
    if (!r->defs || !r->def_labels || !r->def_active)
        return fail_nomem(r);
    n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION)
            r->defs[n++] = c;
    return 0;
}

/* ------------------------------------------------------------------ */
static int holds_inlines(dp_kind k)
{
    return k == DP_PARA || k == DP_PLAIN || k == DP_HEADING || k == DP_EMPH || k == DP_STRONG ||
           k == DP_STRIKEOUT || k == DP_LINK || k == DP_IMAGE || k == DP_SPAN;
}

static int holds_blocks(dp_kind k)
{
    return k == DP_ROOT || k == DP_BLOCK_QUOTE || k == DP_LIST_ITEM || k == DP_NOTE || k == DP_DIV;
}

/* A heading ending in "{#id}" (pandoc's header attribute, which the writer
 * uses for ids that links point at): the id, without the text. The syntax
 * extensions split text at their special characters (autolink at ':' and
 * 'w'), so the attribute may span the heading's last few text nodes. */
static int heading_id_attribute(md_reader *r, dp_node *h)
{
    dp_node *first = dp_node_last_child(h);
    if (!first || dp_node_kind(first) != DP_TEXT || dp_node_id(h))
        return 0;
    while (dp_node_prev(first) && dp_node_kind(dp_node_prev(first)) == DP_TEXT)
        first = dp_node_prev(first);
    dp_buf *b = NULL;
    if (dp_buf_new(&b) < 0)
        return fail_nomem(r);
    int rc = 0;
    for (dp_node *t = first; t && rc >= 0; t = dp_node_next(t))
        rc = dp_buf_append(b, dp_node_text(t), dp_node_text_len(t));
    if (rc < 0) {
        dp_buf_free(b);
        return fail_nomem(r);
    }
    const char *s = (const char *)dp_buf_data(b);
    size_t len = dp_buf_len(b);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t end = len > 0 && s[len - 1] == '}' ? len - 1 : 0; /* the id is s[start, end) */
    size_t start = end;
    while (start > 0 && md_id_char((unsigned char)s[start - 1]))
        start--;
    /* "{#" id "}" after a space (or alone): "a{#b}" is text, as pandoc reads it */
    if (start == end || start < 2 || s[start - 1] != '#' || s[start - 2] != '{' ||
        (start > 2 && s[start - 3] != ' ' && s[start - 3] != '\t')) {
        dp_buf_free(b);
        return 0;
    }
    size_t keep = start - 2;
    while (keep > 0 && (s[keep - 1] == ' ' || s[keep - 1] == '\t'))
        keep--;
    char *id = strndup(s + start, end - start);
    rc = id ? dp_node_set_id(h, id) : DP_ENOMEM;
    free(id);
    if (rc == 0) {
        /* the text before the attribute into the first node, the rest out */
        while (dp_node_next(first))
            dp_node_unlink(dp_node_next(first));
        if (keep == 0)
            dp_node_unlink(first);
        else
            rc = dp_node_set_text(first, s, keep);
    }
    dp_buf_free(b);
    return rc == 0 ? 0 : fail_nomem(r);
}

static int finish_container(md_reader *r, dp_node *n)
{
    dp_kind k = dp_node_kind(n);
    if (k == DP_HEADING && heading_id_attribute(r, n) < 0)
        return -1;
    if (!r->html_pairs)
        return 0;
    int rc = 0;
    if (holds_inlines(k))
        rc = md_pair_html_tags(n, DP_RAW_INLINE, "span", DP_SPAN);
    else if (holds_blocks(k))
        rc = md_pair_html_tags(n, DP_RAW_BLOCK, "div", DP_DIV);
    if (rc == DP_ENOMEM)
        return fail_nomem(r);
    if (rc < 0)
        return dp_fail(r->ctx, rc, r->path, dp_node_line(n), dp_node_column(n), "cannot pair HTML tags here");
    return 0;
}

/* ------------------------------------------------------------------ */
/* The reader's one sanitising path: dp_utf8_repair() is applied to the whole
 * input (sanitize_input, before the front matter and cmark see it) and to
 * every leaf text taken from cmark (leaf_node), so every text the reader
 * creates is valid UTF-8 without NUL. */

typedef struct utf8_report {
    size_t bad, nul;             /* invalid bytes, NUL bytes */
    size_t first_bad, first_nul; /* offset of the first of each */
} utf8_report;

/* Counts what dp_utf8_repair would replace. Returns 1 when s is clean. The
 * clean runs between bad bytes are measured by dp_utf8_span (RFC 3629: no
 * overlongs, surrogates or code points above U+10FFFF). */
static int utf8_scan(const unsigned char *s, size_t len, utf8_report *rep)
{
    memset(rep, 0, sizeof *rep);
    for (size_t i = dp_utf8_span((const char *)s, len); i < len;
         i += dp_utf8_span((const char *)s + i, len - i)) {
        if (s[i] == 0 && rep->nul++ == 0)
            rep->first_nul = i;
        else if (s[i] != 0 && rep->bad++ == 0)
            rep->first_bad = i;
        i++;
    }
    return rep->bad == 0 && rep->nul == 0;
}

/* Line and column (1-based, columns counted in characters) of byte off. */
static void source_pos(const unsigned char *s, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n')
            ++*line, *col = 1;
        else if ((s[i] & 0xC0) != 0x80)
            ++*col;
    }
}

/* The whole input, sanitised: invalid bytes and NUL bytes become U+FFFD,
 * each of the two kinds reported once, at its first position, with a count
 * (--strict makes the warning a failure). *clean is NULL when the input
 * needs no change, else a malloc'd copy of *clean_len bytes. 0 or
 * DP_ENOMEM. */
static int sanitize_input(dp_ctx *ctx, const char *path, const unsigned char *s, size_t len, char **clean,
                          size_t *clean_len)
{
    utf8_report rep;
    int line, col;

    *clean = NULL;
    *clean_len = len;
    if (utf8_scan(s, len, &rep))
        return 0;
    if (rep.bad) {
        source_pos(s, rep.first_bad, &line, &col);
        dp_warn_at(ctx, path, line, col, "invalid UTF-8: replaced by U+FFFD (%zu byte%s)", rep.bad,
                   rep.bad == 1 ? "" : "s");
    }
    if (rep.nul) {
        source_pos(s, rep.first_nul, &line, &col);
        dp_warn_at(ctx, path, line, col, "NUL byte: replaced by U+FFFD (%zu byte%s)", rep.nul,
                   rep.nul == 1 ? "" : "s");
    }
    *clean = dp_utf8_repair((const char *)s, len, clean_len, NULL);
    return *clean ? 0 : DP_ENOMEM;
}

/* Every leaf text the reader takes from cmark goes through here. The input
 * is already clean, but cmark-gfm can still cut a character in two: the
 * literal of a footnote reference that spans lines ("[^a<newline>b]") is
 * measured in columns, and when the reference matches no definition that
 * cut literal comes back as text. The bytes are repaired and the cut
 * reported, since some of the reference's text is lost there. */
static dp_node *leaf_node(md_reader *r, dp_kind kind, const char *s, size_t n)
{
    utf8_report rep;
    if (utf8_scan((const unsigned char *)s, n, &rep))
        return dp_node_new_text(r->doc, kind, s, n);
    size_t len = 0;
    char *fixed = dp_utf8_repair(s, n, &len, NULL);
    if (!fixed)
        return NULL;
    dp_node *node = dp_node_new_text(r->doc, kind, fixed, len);
    free(fixed);
    if (node) {
        int line = r->entering ? cmark_node_get_start_line(r->entering) : 0;
        dp_warn_at(r->ctx, r->path, line > 0 ? line + r->line_offset : 0,
                   line > 0 ? cmark_node_get_start_column(r->entering) : 0,
                   "cmark-gfm cut a character in this text (a footnote reference spanning lines?): "
                   "%zu invalid byte%s replaced by U+FFFD, some of the text may be lost",
                   rep.bad + rep.nul, rep.bad + rep.nul == 1 ? "" : "s");
    }
    return node;
}

/* ------------------------------------------------------------------ */
/* Leaves */

static dp_node *text_node(md_reader *r, dp_kind kind, const char *s)
{
    if (!s)
        s = "";
    return leaf_node(r, kind, s, strlen(s));
}

static dp_node *raw_node(md_reader *r, dp_kind kind, const char *s, const char *format)
{
    /* An HTML block's indentation is not content (and cmark's renderer
     * adds some when the block opens a list item). */
    if (s && kind == DP_RAW_BLOCK)
        s += strspn(s, " \t");
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *filtered = NULL; /* before the final line end goes: "</script\n" is a tag */
    if (r->tagfilter && md_tagfilter(s, n, &filtered, &n) < 0)
        return NULL;
    if (filtered)
        s = filtered;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    dp_node *node = leaf_node(r, kind, s, n);
    free(filtered);
    if (node)
        dp_node_set_format(node, format);
    return node;
}

/* A fenced code block's info string: "lang rest" gives class lang and attr
 * info=rest; "{=format}" is a raw block in that format (pandoc's syntax). */
static dp_node *code_block(md_reader *r, cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    const char *code = cmark_node_get_literal(c);
    size_t n = code ? strlen(code) : 0;
    if (n > 0 && code[n - 1] == '\n')
        n--;
    if (info && info[0] == '{' && info[1] == '=') {
        const char *e = strchr(info, '}');
        if (e && e > info + 2 && e[1] == '\0') {
            char fmt[64];
            size_t fl = (size_t)(e - info - 2);
            if (fl < sizeof fmt) {
                memcpy(fmt, info + 2, fl);
                fmt[fl] = '\0';
                dp_node *raw = leaf_node(r, DP_RAW_BLOCK, code ? code : "", n);
                if (raw)
                    dp_node_set_format(raw, fmt);
                return raw;
            }
        }
    }
    dp_node *node = leaf_node(r, DP_CODE_BLOCK, code ? code : "", n);
    if (node && info && info[0]) {
        size_t w = strcspn(info, " \t");
        char *lang = dp_doc_strndup(r->doc, info, w);
        if (lang)
            dp_node_add_class(node, lang);
        const char *rest = info + w;
        rest += strspn(rest, " \t");
        if (*rest)
            dp_node_set_attr(node, "info", rest);
    }
    return node;
}

/* Whether a fenced code block is a ```math block (GitLab, GitHub). */
static int is_math_fence(cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    int len, offset;
    char fence;
    return cmark_node_get_fenced(c, &len, &offset, &fence) && info && strncmp(info, "math", 4) == 0 &&
           (info[4] == '\0' || info[4] == ' ' || info[4] == '\t');
}

/* A TeX math leaf; a fence's literal ends with the newline before the
 * closing fence, which is not part of the formula. */
static dp_node *math_node(md_reader *r, const char *tex, int display, int fence)
{
    size_t n = tex ? strlen(tex) : 0;
    if (fence && n > 0 && tex[n - 1] == '\n')
        n--;
    dp_node *m = leaf_node(r, DP_MATH, tex ? tex : "", n);
    if (m)
        dp_node_set_math_display(m, display);
    return m;
}

/* ------------------------------------------------------------------ */
/* The walk */

static int convert_children(md_reader *r, cmark_node *container, dp_node *into);

static dp_node *table_section(md_reader *r, dp_node *table, dp_kind kind)
{
    dp_node *last = dp_node_last_child(table);
    if (last && dp_node_kind(last) == kind)
        return last;
    dp_node *s = dp_node_new(r->doc, kind);
    if (s && dp_node_append_child(table, s) < 0)
        return NULL;
    return s;
}

static dp_align align_of(char a)
{
    return a == 'l' ? DP_ALIGN_LEFT : a == 'c' ? DP_ALIGN_CENTER : a == 'r' ? DP_ALIGN_RIGHT : DP_ALIGN_DEFAULT;
}

static int note_ref(md_reader *r, cmark_node *c, dp_node *into)
{
    const char *lit = cmark_node_get_literal(c);
    long ix = lit ? strtol(lit, NULL, 10) : 0;
    int line = cmark_node_get_start_line(c), col = cmark_node_get_start_column(c);
    if (ix < 1 || (size_t)ix > r->ndefs)
        return dp_fail(r->ctx, DP_EINTERNAL, r->path, line + r->line_offset, col,
                       "footnote reference %s has no definition", lit ? lit : "?");
    size_t d = (size_t)ix - 1;
    if (!r->def_labels[d]) {
        r->def_labels[d] = label_at(r, line, col);
        if (!r->def_labels[d]) {
            char num[32];
            snprintf(num, sizeof num, "%ld", ix);
            r->def_labels[d] = strdup(num);
            dp_info(r->ctx, "%s:%d:%d: footnote label not found in the source; numbered %s", r->path,
                    line + r->line_offset, col, num);
            if (!r->def_labels[d])
                return fail_nomem(r);
        }
    }
    if (r->def_active[d]) {
        dp_warn_at(r->ctx, r->path, line + r->line_offset, col,
                   "footnote [^%s] refers to itself: kept as text", r->def_labels[d]);
        char *t = malloc(strlen(r->def_labels[d]) + 4);
        if (!t)
            return fail_nomem(r);
        sprintf(t, "[^%s]", r->def_labels[d]);
        dp_node *text = text_node(r, DP_TEXT, t);
        free(t);
        return append(r, into, text);
    }
    dp_node *note = dp_node_new(r->doc, DP_NOTE);
    if (!note)
        return fail_nomem(r);
    dp_node_set_label(note, r->def_labels[d]);
    set_pos(r, note, c);
    int rc = append(r, into, note);
    if (rc < 0)
        return rc;
    r->def_active[d] = 1;
    rc = convert_children(r, r->defs[d], note);
    r->def_active[d] = 0;
    return rc;
}

/* cmark's CommonMark renderer separates a list from a following list or
 * indented code block with "<!-- end list -->"; it is markup of the
 * Markdown text, not content, and reading it back as a raw block would make
 * every write/read cycle add one. */
static int is_list_separator(cmark_node *c)
{
    const char *lit = cmark_node_get_literal(c);
    cmark_node *prev = cmark_node_previous(c), *next = cmark_node_next(c);
    if (!lit || strncmp(lit, "<!-- end list -->", 17) != 0 || strspn(lit + 17, " \t\r\n") != strlen(lit + 17))
        return 0;
    return prev && cmark_node_get_type(prev) == CMARK_NODE_LIST && next &&
           (cmark_node_get_type(next) == CMARK_NODE_LIST || cmark_node_get_type(next) == CMARK_NODE_CODE_BLOCK);
}

/* ENTER of a cmark node: creates its dp node under the stack top. Returns 1
 * when the node's children follow (pushed), 0 for a leaf, <0 on error. */
static int enter(md_reader *r, cmark_node *c)
{
    cmark_node_type t = cmark_node_get_type(c);
    dp_node *parent = top(r);
    dp_node *n = NULL;
    int container = 1;

    if (t == CMARK_NODE_PARAGRAPH) {
        cmark_node *item = cmark_node_parent(c);
        int tight = item && cmark_node_get_type(item) == CMARK_NODE_ITEM && cmark_node_parent(item) &&
                    cmark_node_get_list_tight(cmark_node_parent(item));
        n = dp_node_new(r->doc, tight ? DP_PLAIN : DP_PARA);
    } else if (t == CMARK_NODE_HEADING) {
        n = dp_node_new(r->doc, DP_HEADING);
        if (n)
            dp_node_set_heading_level(n, cmark_node_get_heading_level(c));
    } else if (t == CMARK_NODE_BLOCK_QUOTE) {
        n = dp_node_new(r->doc, DP_BLOCK_QUOTE);
    } else if (t == CMARK_NODE_LIST) {
        n = dp_node_new(r->doc, DP_LIST);
        if (n) {
            int ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
            cmark_delim_type delim = cmark_node_get_list_delim(c);
            dp_node_set_list(n, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET,
                             ordered ? cmark_node_get_list_start(c) : 1,
                             !ordered ? DP_DELIM_DEFAULT
                             : delim == CMARK_PAREN_DELIM ? DP_DELIM_PAREN
                                                          : DP_DELIM_PERIOD,
                             DP_STYLE_DEFAULT, cmark_node_get_list_tight(c));
        }
    } else if (t == CMARK_NODE_ITEM) {
        n = dp_node_new(r->doc, DP_LIST_ITEM);
        const char *ext = cmark_node_get_type_string(c);
        if (n && ext && strcmp(ext, "tasklist") == 0)
            dp_node_set_task(n, cmark_gfm_extensions_get_tasklist_item_checked(c) ? DP_TASK_CHECKED
                                                                                   : DP_TASK_UNCHECKED);
    } else if (t == CMARK_NODE_CODE_BLOCK && r->math && is_math_fence(c)) {
        /* ```math: a paragraph holding one display formula, as $$…$$ alone is */
        n = dp_node_new(r->doc, DP_PARA);
        dp_node *m = n ? math_node(r, cmark_node_get_literal(c), 1, 1) : NULL;
        if (!m || dp_node_append_child(n, m) != DP_OK)
            return fail_nomem(r);
        set_pos(r, m, c);
        container = 0;
    } else if (t == CMARK_NODE_CODE && md_math_kind(c)) {
        n = math_node(r, cmark_node_get_literal(c), md_math_kind(c) == 2, 0);
        container = 0;
    } else if (t == CMARK_NODE_CODE_BLOCK) {
        n = code_block(r, c);
        container = 0;
    } else if (t == CMARK_NODE_HTML_BLOCK) {
        if (is_list_separator(c))
            return 0;
        n = raw_node(r, DP_RAW_BLOCK, cmark_node_get_literal(c), "html");
        container = 0;
    } else if (t == CMARK_NODE_THEMATIC_BREAK) {
        n = dp_node_new(r->doc, DP_THEMATIC_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_TEXT) {
        n = text_node(r, DP_TEXT, cmark_node_get_literal(c));
        container = 0;
    } else if (t == CMARK_NODE_SOFTBREAK) {
        /* A setext heading's line break is a space: Markdown writes headings
         * on one line, so keeping a soft break would not survive a write. */
        int in_heading = 0;
        for (cmark_node *a = cmark_node_parent(c); a && !in_heading; a = cmark_node_parent(a))
            in_heading = cmark_node_get_type(a) == CMARK_NODE_HEADING;
        n = in_heading ? text_node(r, DP_TEXT, " ") : dp_node_new(r->doc, DP_SOFT_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_LINEBREAK) {
        n = dp_node_new(r->doc, DP_LINE_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_CODE) {
        n = text_node(r, DP_CODE, cmark_node_get_literal(c));
        container = 0;
    } else if (t == CMARK_NODE_HTML_INLINE) {
        n = raw_node(r, DP_RAW_INLINE, cmark_node_get_literal(c), "html");
        container = 0;
    } else if (t == CMARK_NODE_EMPH) {
        n = dp_node_new(r->doc, DP_EMPH);
    } else if (t == CMARK_NODE_STRONG) {
        n = dp_node_new(r->doc, DP_STRONG);
    } else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
        n = dp_node_new(r->doc, t == CMARK_NODE_LINK ? DP_LINK : DP_IMAGE);
        if (n) {
            dp_node_set_url(n, cmark_node_get_url(c) ? cmark_node_get_url(c) : "");
            const char *title = cmark_node_get_title(c);
            if (title && title[0])
                dp_node_set_title(n, title);
        }
    } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
        int rc = note_ref(r, c, parent);
        return rc < 0 ? rc : 0;
    } else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
        return 2; /* converted where referenced */
    } else if (t == CMARK_NODE_STRIKETHROUGH) {
        n = dp_node_new(r->doc, DP_STRIKEOUT);
    } else if (t == CMARK_NODE_TABLE) {
        n = dp_node_new(r->doc, DP_TABLE);
        if (n) {
            int ncols = cmark_gfm_extensions_get_table_columns(c);
            uint8_t *al = cmark_gfm_extensions_get_table_alignments(c);
            dp_align aligns[256];
            if (ncols > 256)
                ncols = 256;
            for (int i = 0; i < ncols; i++)
                aligns[i] = al ? align_of((char)al[i]) : DP_ALIGN_DEFAULT;
            dp_node_set_table_cols(n, ncols, aligns, NULL);
        }
    } else if (t == CMARK_NODE_TABLE_ROW) {
        int header = cmark_gfm_extensions_get_table_row_is_header(c);
        dp_node *section = table_section(r, parent, header ? DP_TABLE_HEAD : DP_TABLE_BODY);
        if (!section)
            return fail_nomem(r);
        n = dp_node_new(r->doc, DP_TABLE_ROW);
        if (!n)
            return fail_nomem(r);
        set_pos(r, n, c);
        int rc = append(r, section, n);
        if (rc == 0)
            rc = push(r, n);
        return rc < 0 ? rc : 1;
    } else if (t == CMARK_NODE_TABLE_CELL) {
        dp_node *row = parent;
        dp_node *table = dp_node_parent(dp_node_parent(row));
        int col = 0;
        for (dp_node *k = dp_node_first_child(row); k; k = dp_node_next(k))
            col++;
        int header = dp_node_kind(dp_node_parent(row)) == DP_TABLE_HEAD;
        n = dp_node_new(r->doc, DP_TABLE_CELL);
        dp_node *plain = dp_node_new(r->doc, DP_PLAIN);
        if (!n || !plain)
            return fail_nomem(r);
        dp_node_set_cell(n, dp_node_table_col_align(table, col), 1, 1, header);
        set_pos(r, n, c);
        set_pos(r, plain, c);
        int rc = append(r, row, n);
        if (rc == 0)
            rc = append(r, n, plain);
        if (rc == 0)
            rc = push(r, plain);
        return rc < 0 ? rc : 1;
    } else {
        dp_warn_at(r->ctx, r->path, cmark_node_get_start_line(c) + r->line_offset, cmark_node_get_start_column(c),
                   "unknown cmark node '%s': its text is kept", cmark_node_get_type_string(c));
        n = dp_node_new(r->doc, holds_blocks(dp_node_kind(parent)) ? DP_DIV : DP_SPAN);
    }
    if (!n)
        return fail_nomem(r);
    set_pos(r, n, c);
    int rc = append(r, parent, n);
    if (rc < 0)
        return rc;
    if (!container)
        return 0;
    rc = push(r, n);
    return rc < 0 ? rc : 1;
}

/* Converts the children of container (a cmark node) into the dp node into. */
static int convert_children(md_reader *r, cmark_node *container, dp_node *into)
{
    size_t base = r->depth;
    r->entering = container;
    int rc = push(r, into);
    if (rc < 0)
        return rc;
    cmark_iter *it = cmark_iter_new(container);
    if (!it)
        return fail_nomem(r);
    cmark_event_type ev;
    while (rc >= 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (c == container)
            continue;
        if (ev == CMARK_EVENT_ENTER) {
            r->entering = c;
            int e = enter(r, c);
            r->entering = NULL;
            if (e < 0)
                rc = e;
            else if (e == 2)
                cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
        } else if (r->depth > base + 1 && r->origin[r->depth - 1] == c) {
            /* EXIT of a container entered above (footnote references and
             * definitions pushed nothing) */
            dp_node *done = top(r);
            r->depth--;
            rc = finish_container(r, done);
        }
    }
    cmark_iter_free(it);
    if (rc >= 0)
        rc = finish_container(r, into);
    r->depth = base;
    return rc < 0 ? rc : 0;
}

/* cmark-gfm drops footnote definitions that nothing refers to; say so
 * rather than lose them silently. A line scan: "[^label]:" at the start of
 * a line (up to three spaces in) whose label no reference used. */
static int warn_unused_defs(md_reader *r)
{
    md_label_set used_labels;
    if (md_label_set_init(&used_labels, r->def_labels, r->ndefs) != 0)
        return -1;
    for (size_t l = 0; l < r->nlines; l++) {
        const char *p = r->src + r->line_starts[l];
        const char *end = r->src + r->src_len;
        int sp = 0;
        while (p < end && *p == ' ' && sp < 3)
            p++, sp++;
        if (end - p < 5 || p[0] != '[' || p[1] != '^')
            continue;
        const char *q = p + 2;
        while (q < end && *q != ']' && *q != '\n')
            q++;
        if (q + 1 >= end || *q != ']' || q[1] != ':' || q == p + 2)
            continue;
        size_t n = (size_t)(q - p - 2);
        if (!md_label_set_has(&used_labels, p + 2, n))
            dp_warn_at(r->ctx, r->path, (int)l + 1 + r->line_offset, sp + 1,
                       "footnote [^%.*s] is never referenced: cmark-gfm drops its text", (int)n, p + 2);
    }
    md_label_set_free(&used_labels);
    return 0;
}

int md_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    md_reader r;
    cmark_parser *parser = NULL;
    cmark_node *root = NULL;
    dp_doc *doc = NULL;
    char *clean = NULL;
    size_t clean_len = 0;
    int rc;
    const dp_limits *lim = dp_ctx_limits(ctx);

    memset(&r, 0, sizeof r);
    *out = NULL;
    r.ctx = ctx;
    r.path = in->path ? in->path : "-";
    r.html_pairs = dp_opt_bool(ctx, "html-spans");
    r.tagfilter = dp_opt_bool(ctx, "tagfilter");
    r.math = !dp_opt_string(ctx, "math") || strcmp(dp_opt_string(ctx, "math"), "false") != 0;
    r.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 256;

    rc = sanitize_input(ctx, r.path, in->data, in->len, &clean, &clean_len);
    if (rc < 0) {
        rc = fail_nomem(&r);
        goto cleanup;
    }

    rc = dp_doc_new(&doc);
    if (rc < 0) {
        rc = dp_fail(ctx, rc, r.path, 0, 0, "out of memory");
        goto cleanup;
    }
    r.doc = doc;

    const char *text = clean ? clean : (const char *)in->data;
    size_t len = clean_len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    r.src = text;
    r.src_len = len;
    if (dp_opt_bool(ctx, "front-matter")) {
        const char *body;
        rc = md_front_matter_read(ctx, r.path, text, len, doc, &body, &r.line_offset);
        if (rc < 0)
            goto cleanup;
        r.src = body;
        r.src_len = len - (size_t)(body - text);
    }
    index_lines(&r);
    if (!r.line_starts) {
        rc = fail_nomem(&r);
        goto cleanup;
    }

    /* No CMARK_OPT_VALIDATE_UTF8: sanitize_input has already made the text
     * valid UTF-8 without NUL, and cmark's second pass over it cost 6 % of
     * a Markdown-to-HTML conversion. */
    int options = CMARK_OPT_SOURCEPOS;
    if (dp_opt_bool(ctx, "footnotes"))
        options |= CMARK_OPT_FOOTNOTES;
    if (dp_opt_bool(ctx, "smart"))
        options |= CMARK_OPT_SMART;
    parser = cmark_parser_new(options);
    if (!parser) {
        rc = fail_nomem(&r);
        goto cleanup;
    }
    static const char *const exts[] = MD_EXTENSIONS;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(exts[i]);
        if (!ext || !cmark_parser_attach_syntax_extension(parser, ext)) {
            rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "cmark-gfm extension '%s' is not available", exts[i]);
            goto cleanup;
        }
    }
    if (r.math && (!md_math_extension() || !cmark_parser_attach_syntax_extension(parser, md_math_extension()))) {
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "the math syntax extension is not available");
        goto cleanup;
    }
    root = md_cmark_parse(parser, r.src, r.src_len);
    if (!root) {
        rc = fail_nomem(&r);
        goto cleanup;
    }
    rc = collect_defs(&r, root);
    if (rc < 0)
        goto cleanup;
    rc = convert_children(&r, root, dp_doc_root(doc));
    if (rc < 0)
        goto cleanup;
    if (warn_unused_defs(&r) < 0) {
        rc = fail_nomem(&r);
        goto cleanup;
    }
    dp_doc_normalize(doc);
    /* local images and the cover-image into resources (plugins/resload) */
    rc = resload_from_options(ctx, doc);
    if (rc < 0)
        goto cleanup;
    *out = doc;
    doc = NULL;

cleanup:
    if (root)
        cmark_node_free(root);
    if (parser)
        cmark_parser_free(parser);
    for (size_t i = 0; i < r.ndefs && r.def_labels; i++)
        free(r.def_labels[i]);
    free(r.def_labels);
    free(r.def_active);
    free(r.defs);
    free(r.stack);
    free(r.origin);
    free(r.line_starts);
    free(clean);
    dp_doc_free(doc);
    return rc;
}
