/* Presentation MathML -> TeX for the subset people use: mi, mn, mo, mtext,
 * mspace, mrow (and mstyle, mpadded), mfrac, msqrt, mroot, msub, msup,
 * msubsup, munder, mover, munderover, mtable/mtr/mtd, mfenced, semantics.
 * A TeX annotation, when there is one, is the answer as it is. Anything
 * else fails, naming the element. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "mathconv.h"
#include "mathconv_symbols.h"

#define MAX_DEPTH 200

typedef struct mmlw {
    char *buf;
    size_t len, cap;
    int failed;
    const char *what;
} mmlw;

static _Thread_local char unsupported_buf[64];

static void put(mmlw *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    /* a command name must not run into the letters that follow it */
    if (n > 0 && w->len > 0 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        size_t k = w->len;
        while (k > 0 && ((w->buf[k - 1] >= 'a' && w->buf[k - 1] <= 'z') || (w->buf[k - 1] >= 'A' && w->buf[k - 1] <= 'Z')))
            k--;
        if (k < w->len && k > 0 && w->buf[k - 1] == '\\' && (k < 2 || w->buf[k - 2] != '\\'))
            put(w, " ", 1);
    }
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *b = realloc(w->buf, cap);
        if (!b) {
            w->failed = -2;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void puts_(mmlw *w, const char *s)
{
    put(w, s, strlen(s));
}

static void fail(mmlw *w, const char *name)
{
    if (w->failed)
        return;
    w->failed = -1;
    snprintf(unsupported_buf, sizeof unsupported_buf, "<%s>", name);
    w->what = unsupported_buf;
}

static int is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

static xmlNodePtr child(xmlNodePtr n, int k)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && k-- == 0)
            return c;
    return NULL;
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return NULL;
    /* token text: whitespace at the ends is not content (MathML 3, 2.1.7) */
    char *s = (char *)t, *e = s + strlen(s);
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    char *r = strndup(s, (size_t)(e - s));
    xmlFree(t);
    return r;
}

static void node(mmlw *w, xmlNodePtr n, int depth);

static void children(mmlw *w, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c && !w->failed; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            node(w, c, depth + 1);
}

/* One argument in braces. */
static void group(mmlw *w, xmlNodePtr n, int depth)
{
    puts_(w, "{");
    if (n)
        node(w, n, depth + 1);
    puts_(w, "}");
}

/* A script base: braces unless it is one token. */
static void base(mmlw *w, xmlNodePtr n, int depth)
{
    if (n && (is(n, "mi") || is(n, "mn") || is(n, "mo")))
        node(w, n, depth + 1);
    else
        group(w, n, depth);
}

static const char *variant_command(const char *variant)
{
    const mc_command *c = variant ? mc_command_by_arg(MC_VARIANT, variant) : NULL;
    return c ? c->tex : NULL;
}

static void token(mmlw *w, xmlNodePtr n)
{
    char *t = text_of(n);
    if (!t) {
        w->failed = -2;
        return;
    }
    xmlChar *variant = xmlGetProp(n, BAD_CAST "mathvariant");
    const char *vcmd = variant_command((const char *)variant);
    int is_mi = is(n, "mi");
    if (vcmd && !(is_mi && strcmp((const char *)variant, "normal") == 0 && strlen(t) > 1)) {
        puts_(w, "\\");
        puts_(w, vcmd);
        puts_(w, "{");
    }
    const mc_symbol *sym = mc_symbol_by_text(t);
    const mc_command *fn = is_mi ? mc_command_by_arg(MC_FUNC, t) : NULL;
    if (strcmp(t, "\xE2\x88\x92") == 0) {
        puts_(w, "-");
    } else if (strcmp(t, "\xE2\x80\xB2") == 0) {
        puts_(w, "'");
    } else if (sym && strcmp(t, "$") != 0) {
        puts_(w, "\\");
        puts_(w, sym->tex);
    } else if (fn) {
        puts_(w, "\\");
        puts_(w, fn->tex);
    } else if (is_mi && strlen(t) > 1 && !vcmd) {
        puts_(w, "\\mathrm{");
        puts_(w, t);
        puts_(w, "}");
    } else if (strcmp(t, "\xE2\x88\x92") == 0) {
        puts_(w, "-");
    } else if (strcmp(t, "\xE2\x80\xB2") == 0) {
        puts_(w, "'");
    } else {
        for (const char *p = t; *p; p++) {
            if (strchr("#$%&_{}", *p))
                puts_(w, "\\");
            put(w, p, 1);
        }
    }
    if (vcmd && !(is_mi && strcmp((const char *)variant, "normal") == 0 && strlen(t) > 1))
        puts_(w, "}");
    xmlFree(variant);
    free(t);
}

static void space(mmlw *w, xmlNodePtr n)
{
    xmlChar *width = xmlGetProp(n, BAD_CAST "width");
    const mc_command *c = width ? mc_command_by_arg(MC_SPACE, (const char *)width) : NULL;
    puts_(w, "\\");
    puts_(w, c ? c->tex : " ");
    xmlFree(width);
}

/* munder/mover: an accent command, or limits. */
static void under_over(mmlw *w, xmlNodePtr n, int depth)
{
    xmlNodePtr b = child(n, 0), a = child(n, 1), a2 = child(n, 2);
    int over = is(n, "mover");
    if (!is(n, "munderover") && is(a, "mo")) {
        char *t = text_of(a);
        const mc_command *acc = t ? mc_command_by_arg(over ? MC_ACCENT : MC_UNDER, t) : NULL;
        free(t);
        if (acc) {
            puts_(w, "\\");
            puts_(w, acc->tex);
            group(w, b, depth);
            return;
        }
    }
    base(w, b, depth);
    if (is(n, "munderover")) {
        puts_(w, "_");
        group(w, a, depth);
        puts_(w, "^");
        group(w, a2, depth);
    } else {
        puts_(w, over ? "^" : "_");
        group(w, a, depth);
    }
}

static void table(mmlw *w, xmlNodePtr n, int depth)
{
    puts_(w, "\\begin{matrix}");
    int first_row = 1;
    for (xmlNodePtr r = n->children; r && !w->failed; r = r->next) {
        if (r->type != XML_ELEMENT_NODE)
            continue;
        if (!is(r, "mtr")) {
            fail(w, (const char *)r->name);
            return;
        }
        if (!first_row)
            puts_(w, " \\\\ ");
        first_row = 0;
        int first_cell = 1;
        for (xmlNodePtr c = r->children; c && !w->failed; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!first_cell)
                puts_(w, " & ");
            first_cell = 0;
            if (is(c, "mtd"))
                children(w, c, depth + 1);
            else
                fail(w, (const char *)c->name);
        }
    }
    puts_(w, "\\end{matrix}");
}

static void fenced_char(mmlw *w, const char *s, int right)
{
    puts_(w, right ? "\\right" : "\\left");
    if (!*s)
        puts_(w, ".");
    else if (strcmp(s, "{") == 0 || strcmp(s, "}") == 0)
        puts_(w, s[0] == '{' ? "\\{" : "\\}");
    else {
        const mc_symbol *sym = mc_symbol_by_text(s);
        if (sym && strlen(s) > 1) {
            puts_(w, "\\");
            puts_(w, sym->tex);
        } else {
            puts_(w, s);
        }
    }
}

static void node(mmlw *w, xmlNodePtr n, int depth)
{
    if (w->failed)
        return;
    if (depth > MAX_DEPTH) {
        fail(w, "math nested too deeply");
        return;
    }
    const char *name = (const char *)n->name;
    if (is(n, "mi") || is(n, "mn") || is(n, "mo")) {
        token(w, n);
    } else if (is(n, "mtext") || is(n, "ms")) {
        char *t = text_of(n);
        puts_(w, "\\text{");
        for (const char *c = t ? t : ""; *c; c++) {
            if (strchr("$%&#_{}", *c))
                puts_(w, "\\");
            put(w, c, 1);
        }
        puts_(w, "}");
        free(t);
    } else if (is(n, "mspace")) {
        space(w, n);
    } else if (is(n, "math") || is(n, "mrow") || is(n, "mstyle") || is(n, "mpadded") || is(n, "mphantom")) {
        children(w, n, depth);
    } else if (is(n, "semantics")) {
        xmlNodePtr first = child(n, 0);
        if (first && !is(first, "annotation") && !is(first, "annotation-xml"))
            node(w, first, depth + 1);
    } else if (is(n, "mfrac")) {
        puts_(w, "\\frac");
        group(w, child(n, 0), depth);
        group(w, child(n, 1), depth);
    } else if (is(n, "msqrt")) {
        puts_(w, "\\sqrt{");
        children(w, n, depth);
        puts_(w, "}");
    } else if (is(n, "mroot")) {
        puts_(w, "\\sqrt[");
        if (child(n, 1))
            node(w, child(n, 1), depth + 1);
        puts_(w, "]");
        group(w, child(n, 0), depth);
    } else if (is(n, "msub") || is(n, "msup") || is(n, "msubsup")) {
        base(w, child(n, 0), depth);
        puts_(w, is(n, "msup") ? "^" : "_");
        group(w, child(n, 1), depth);
        if (is(n, "msubsup")) {
            puts_(w, "^");
            group(w, child(n, 2), depth);
        }
    } else if (is(n, "munder") || is(n, "mover") || is(n, "munderover")) {
        under_over(w, n, depth);
    } else if (is(n, "mtable")) {
        table(w, n, depth);
    } else if (is(n, "mfenced")) {
        xmlChar *o = xmlGetProp(n, BAD_CAST "open"), *c = xmlGetProp(n, BAD_CAST "close");
        fenced_char(w, o ? (const char *)o : "(", 0);
        int first = 1;
        for (xmlNodePtr k = n->children; k && !w->failed; k = k->next)
            if (k->type == XML_ELEMENT_NODE) {
                if (!first)
                    puts_(w, ",");
                first = 0;
                node(w, k, depth + 1);
            }
        fenced_char(w, c ? (const char *)c : ")", 1);
        xmlFree(o);
        xmlFree(c);
    } else {
        fail(w, name);
    }
}

/* The TeX annotation of a top-level <semantics>, or NULL. */
static xmlNodePtr tex_annotation(xmlNodePtr math)
{
    for (xmlNodePtr s = math->children; s; s = s->next)
        if (is(s, "semantics"))
            for (xmlNodePtr a = s->children; a; a = a->next)
                if (is(a, "annotation")) {
                    xmlChar *enc = xmlGetProp(a, BAD_CAST "encoding");
                    int tex = enc && (xmlStrcasecmp(enc, BAD_CAST "application/x-tex") == 0 ||
                                      xmlStrcasecmp(enc, BAD_CAST "tex") == 0 ||
                                      xmlStrcasecmp(enc, BAD_CAST "latex") == 0);
                    xmlFree(enc);
                    if (tex)
                        return a;
                }
    return NULL;
}

int mathconv_mathml_to_tex(const char *mathml, size_t len, char **out, const char **what)
{
    *out = NULL;
    if (what)
        *what = NULL;
    xmlDocPtr doc = xmlReadMemory(mathml, (int)len, NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is(root, "math")) {
        xmlFreeDoc(doc);
        if (what)
            *what = "MathML that does not parse";
        return -1;
    }
    mmlw w = {NULL, 0, 0, 0, NULL};
    xmlNodePtr ann = tex_annotation(root);
    if (ann) {
        xmlChar *t = xmlNodeGetContent(ann);
        puts_(&w, t ? (const char *)t : "");
        xmlFree(t);
    } else {
        node(&w, root, 0);
        if (!w.failed && !w.buf)
            puts_(&w, "");
    }
    xmlFreeDoc(doc);
    if (w.failed) {
        free(w.buf);
        if (what)
            *what = w.what;
        return w.failed;
    }
    *out = w.buf;
    return 0;
}
