/* TeX -> presentation MathML for the subset people use: letters, numbers,
 * operators, groups, sub/superscripts, \frac, \sqrt, Greek and operator
 * symbols, function names, \left…\right, matrix/array/cases environments,
 * \text, accents, \mathbb and friends, spacing commands. The elements are
 * built with libxml2 (escaping is its job); the TeX itself is kept in an
 * <annotation encoding="application/x-tex"> so that it survives byte for
 * byte. Anything else fails, naming the construct. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mathconv.h"
#include "mathconv_symbols.h"

#define MAX_DEPTH 200

typedef struct texp {
    const char *s;
    size_t i, len;
    int depth;
    int failed;       /* -1 unsupported, -2 out of memory */
    const char *what; /* the unsupported construct */
} texp;

static _Thread_local char unsupported_buf[64];

static void unsupported(texp *p, const char *what, size_t n)
{
    if (p->failed)
        return;
    p->failed = -1;
    snprintf(unsupported_buf, sizeof unsupported_buf, "%.*s", (int)(n > 60 ? 60 : n), what);
    p->what = unsupported_buf;
}

static xmlNodePtr add(texp *p, xmlNodePtr parent, const char *name, const char *text)
{
    xmlNodePtr n = xmlNewChild(parent, parent->ns, BAD_CAST name, NULL);
    if (n && text)
        xmlAddChild(n, xmlNewText(BAD_CAST text));
    if (!n)
        p->failed = -2;
    return n;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void skip_space(texp *p)
{
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

/* A command name after '\\': letters, or one other character. */
static size_t command(texp *p, char *name, size_t cap)
{
    size_t n = 0;
    if (p->i < p->len && !is_alpha(p->s[p->i])) {
        name[n++] = p->s[p->i++];
    } else {
        while (p->i < p->len && is_alpha(p->s[p->i]) && n + 1 < cap)
            name[n++] = p->s[p->i++];
    }
    name[n] = '\0';
    return n;
}

static void parse_row(texp *p, xmlNodePtr parent, int stop);
static void parse_atom(texp *p, xmlNodePtr parent, int scripts);

enum { STOP_END, STOP_BRACE, STOP_RIGHT, STOP_ENV };

/* {…} or one atom, as one mrow child of parent. */
static xmlNodePtr parse_arg(texp *p, xmlNodePtr parent)
{
    skip_space(p);
    xmlNodePtr row = add(p, parent, "mrow", NULL);
    if (!row)
        return NULL;
    if (p->i < p->len && p->s[p->i] == '{') {
        p->i++;
        parse_row(p, row, STOP_BRACE);
    } else if (p->i < p->len) {
        parse_atom(p, row, 0); /* x^ab: the script is a alone */
    } else {
        unsupported(p, "a missing argument", 18);
    }
    if (row->children && row->children == row->last && row->children->type == XML_ELEMENT_NODE) {
        xmlNodePtr only = row->children; /* one element needs no mrow */
        xmlUnlinkNode(only);
        xmlReplaceNode(row, only);
        xmlFreeNode(row);
        return only;
    }
    return row;
}

/* The raw text of a {…} argument (for \text, environment names). */
static char *raw_arg(texp *p)
{
    skip_space(p);
    if (p->i >= p->len || p->s[p->i] != '{') {
        unsupported(p, "a missing argument", 18);
        return NULL;
    }
    size_t start = ++p->i;
    int depth = 1;
    while (p->i < p->len && depth > 0) {
        if (p->s[p->i] == '\\' && p->i + 1 < p->len)
            p->i++;
        else if (p->s[p->i] == '{')
            depth++;
        else if (p->s[p->i] == '}')
            depth--;
        p->i++;
    }
    if (depth) {
        unsupported(p, "an unclosed {", 13);
        return NULL;
    }
    char *r = strndup(p->s + start, p->i - 1 - start);
    if (!r)
        p->failed = -2;
    return r;
}

/* A delimiter after \left / \right: a character or a command. */
static const char *delimiter(texp *p, char *buf)
{
    skip_space(p);
    if (p->i >= p->len)
        return NULL;
    if (p->s[p->i] == '\\') {
        char name[32];
        p->i++;
        command(p, name, sizeof name);
        const mc_symbol *sym = mc_symbol_by_tex(name);
        return sym ? sym->text : NULL;
    }
    buf[0] = p->s[p->i++];
    buf[1] = '\0';
    return buf[0] == '.' ? "" : buf;
}

static void fence(texp *p, xmlNodePtr parent, const char *text)
{
    if (!text || !*text)
        return;
    xmlNodePtr mo = add(p, parent, "mo", text);
    if (mo) {
        xmlSetProp(mo, BAD_CAST "fence", BAD_CAST "true");
        xmlSetProp(mo, BAD_CAST "stretchy", BAD_CAST "true");
    }
}

static void environment(texp *p, xmlNodePtr parent)
{
    char *env = raw_arg(p);
    if (!env)
        return;
    const char *open = "", *close = "";
    if (strcmp(env, "pmatrix") == 0)
        open = "(", close = ")";
    else if (strcmp(env, "bmatrix") == 0)
        open = "[", close = "]";
    else if (strcmp(env, "Bmatrix") == 0 || strcmp(env, "cases") == 0)
        open = "{", close = strcmp(env, "cases") == 0 ? "" : "}";
    else if (strcmp(env, "vmatrix") == 0)
        open = close = "|";
    else if (strcmp(env, "Vmatrix") == 0)
        open = close = "\xE2\x80\x96";
    else if (strcmp(env, "matrix") != 0 && strcmp(env, "array") != 0 && strcmp(env, "smallmatrix") != 0) {
        char what[48];
        snprintf(what, sizeof what, "\\begin{%s}", env);
        unsupported(p, what, strlen(what));
        free(env);
        return;
    }
    if (strcmp(env, "array") == 0)
        free(raw_arg(p)); /* the column spec */
    xmlNodePtr row = add(p, parent, "mrow", NULL);
    fence(p, row, open);
    xmlNodePtr table = row ? add(p, row, "mtable", NULL) : NULL;
    while (table && !p->failed) {
        xmlNodePtr tr = add(p, table, "mtr", NULL);
        int row_end = 0;
        while (tr && !p->failed && !row_end) {
            xmlNodePtr td = add(p, tr, "mtd", NULL);
            if (!td)
                break;
            parse_row(p, td, STOP_ENV);
            /* parse_row stops before '&', "\\\\" or \end */
            if (p->i < p->len && p->s[p->i] == '&') {
                p->i++;
            } else if (p->i + 1 < p->len && p->s[p->i] == '\\' && p->s[p->i + 1] == '\\') {
                p->i += 2;
                row_end = 1;
            } else {
                row_end = 2;
            }
        }
        if (row_end == 2 || p->i >= p->len)
            break;
    }
    if (!p->failed) {
        /* \end{env} */
        char name[16];
        if (p->i < p->len && p->s[p->i] == '\\') {
            p->i++;
            command(p, name, sizeof name);
            char *end = strcmp(name, "end") == 0 ? raw_arg(p) : NULL;
            if (!end || strcmp(end, env) != 0)
                unsupported(p, "an unmatched \\begin", 19);
            free(end);
        } else {
            unsupported(p, "an unclosed \\begin", 18);
        }
    }
    if (row)
        fence(p, row, close);
    free(env);
}

/* mathvariant on every token of n (n itself or below it). */
static void set_variant(xmlNodePtr n, const char *variant)
{
    if (n->type != XML_ELEMENT_NODE)
        return;
    if (xmlStrEqual(n->name, BAD_CAST "mi") || xmlStrEqual(n->name, BAD_CAST "mn") ||
        xmlStrEqual(n->name, BAD_CAST "mo")) {
        xmlSetProp(n, BAD_CAST "mathvariant", BAD_CAST variant);
        return;
    }
    for (xmlNodePtr c = n->children; c; c = c->next)
        set_variant(c, variant);
}

static void parse_command(texp *p, xmlNodePtr parent)
{
    char name[32];
    size_t start = p->i - 1;
    command(p, name, sizeof name);
    const mc_symbol *sym = mc_symbol_by_tex(name);
    if (sym) {
        add(p, parent, sym->element, sym->text);
        return;
    }
    const mc_command *cmd = mc_command_by_tex(name);
    if (!cmd) {
        unsupported(p, p->s + start, p->i - start);
        return;
    }
    switch (cmd->kind) {
    case MC_FUNC:
        add(p, parent, "mi", cmd->arg);
        return;
    case MC_SPACE: {
        xmlNodePtr sp = add(p, parent, "mspace", NULL);
        if (sp)
            xmlSetProp(sp, BAD_CAST "width", BAD_CAST cmd->arg);
        return;
    }
    case MC_FRAC: {
        xmlNodePtr f = add(p, parent, "mfrac", NULL);
        if (f) {
            parse_arg(p, f);
            parse_arg(p, f);
        }
        return;
    }
    case MC_SQRT: {
        skip_space(p);
        if (p->i < p->len && p->s[p->i] == '[') {
            size_t open = ++p->i;
            while (p->i < p->len && p->s[p->i] != ']')
                p->i++;
            if (p->i >= p->len) {
                unsupported(p, "an unclosed \\sqrt[", 18);
                return;
            }
            size_t close = p->i++;
            xmlNodePtr r = add(p, parent, "mroot", NULL);
            if (!r)
                return;
            parse_arg(p, r);
            texp q = *p;
            q.s = p->s + open;
            q.len = close - open;
            q.i = 0;
            xmlNodePtr idx = add(p, r, "mrow", NULL);
            if (idx)
                parse_row(&q, idx, STOP_END);
            if (q.failed) {
                p->failed = q.failed;
                p->what = q.what;
            }
            return;
        }
        xmlNodePtr r = add(p, parent, "msqrt", NULL);
        if (r)
            parse_arg(p, r);
        return;
    }
    case MC_TEXT: {
        /* spaces at the ends of the text as mspace, as texmath writes them */
        char *t = raw_arg(p);
        if (!t)
            return;
        size_t n = 0; /* text-mode escapes \$ \% \& \# \_ \{ \} are their characters */
        for (size_t i = 0; t[i]; i++)
            t[n++] = t[i] == '\\' && t[i + 1] && strchr("$%&#_{} ", t[i + 1]) ? t[++i] : t[i];
        t[n] = '\0';
        size_t a = 0, z = n;
        while (a < z && t[a] == ' ')
            a++;
        while (z > a && t[z - 1] == ' ')
            z--;
        xmlNodePtr sp;
        if (a > 0 && (sp = add(p, parent, "mspace", NULL)))
            xmlSetProp(sp, BAD_CAST "width", BAD_CAST "0.333em");
        if (z > a) {
            t[z] = '\0';
            add(p, parent, "mtext", t + a);
        }
        if (z < n && z > a && (sp = add(p, parent, "mspace", NULL)))
            xmlSetProp(sp, BAD_CAST "width", BAD_CAST "0.333em");
        free(t);
        return;
    }
    case MC_VARIANT: {
        xmlNodePtr arg = parse_arg(p, parent);
        if (arg)
            set_variant(arg, cmd->arg);
        return;
    }
    case MC_ACCENT:
    case MC_UNDER: {
        xmlNodePtr o = add(p, parent, cmd->kind == MC_ACCENT ? "mover" : "munder", NULL);
        if (!o)
            return;
        parse_arg(p, o);
        xmlNodePtr mo = add(p, o, "mo", cmd->arg);
        if (mo)
            xmlSetProp(mo, BAD_CAST "stretchy", BAD_CAST "true");
        xmlSetProp(o, BAD_CAST(cmd->kind == MC_ACCENT ? "accent" : "accentunder"), BAD_CAST "true");
        return;
    }
    case MC_LEFT: {
        char b1[2];
        xmlNodePtr row = add(p, parent, "mrow", NULL);
        if (!row)
            return;
        const char *open = delimiter(p, b1);
        if (!open) {
            unsupported(p, "\\left", 5);
            return;
        }
        fence(p, row, open);
        parse_row(p, row, STOP_RIGHT);
        if (p->failed)
            return;
        char b2[2];
        const char *close = delimiter(p, b2);
        if (!close) {
            unsupported(p, "\\right", 6);
            return;
        }
        fence(p, row, close);
        return;
    }
    case MC_BEGIN:
        environment(p, parent);
        return;
    case MC_OPERATORNAME: {
        char *t = raw_arg(p);
        if (t) {
            add(p, parent, "mi", t);
            free(t);
        }
        return;
    }
    }
}

/* The atom's base, then any number of _ and ^. */
static void parse_atom(texp *p, xmlNodePtr parent, int scripts)
{
    if (++p->depth > MAX_DEPTH) {
        unsupported(p, "a formula nested too deeply", 27);
        return;
    }
    xmlNodePtr holder = add(p, parent, "mrow", NULL); /* the base, replaced below */
    if (!holder)
        return;
    unsigned char c = (unsigned char)p->s[p->i];
    if (c == '{') {
        p->i++;
        parse_row(p, holder, STOP_BRACE);
    } else if (c == '\\') {
        p->i++;
        parse_command(p, holder);
    } else if (c >= '0' && c <= '9') {
        size_t st = p->i;
        while (p->i < p->len && ((p->s[p->i] >= '0' && p->s[p->i] <= '9') ||
                                 (p->s[p->i] == '.' && p->i + 1 < p->len && p->s[p->i + 1] >= '0' && p->s[p->i + 1] <= '9')))
            p->i++;
        char *num = strndup(p->s + st, p->i - st);
        add(p, holder, "mn", num);
        free(num);
    } else if (is_alpha(c) || c >= 0x80) {
        size_t st = p->i++;
        while (p->i < p->len && ((unsigned char)p->s[p->i] & 0xC0) == 0x80)
            p->i++;
        char *ch = strndup(p->s + st, p->i - st);
        add(p, holder, "mi", ch);
        free(ch);
    } else if (c == '^' || c == '_') {
        /* a script with an empty base */
    } else if (c == '~') {
        p->i++;
        xmlNodePtr sp = add(p, holder, "mspace", NULL);
        if (sp)
            xmlSetProp(sp, BAD_CAST "width", BAD_CAST "0.333em");
    } else if (c == '\'') {
        p->i++;
        add(p, holder, "mo", "\xE2\x80\xB2");
    } else if (strchr("+-=<>,;:!?()[]|/*.@\"", c)) {
        char op[4] = {(char)c, 0};
        p->i++;
        add(p, holder, "mo", c == '-' ? "\xE2\x88\x92" : op);
    } else {
        char what[2] = {(char)c, 0};
        unsupported(p, what, 1);
        p->i++;
    }
    /* scripts */
    xmlNodePtr sub = NULL, sup = NULL;
    while (scripts) {
        size_t save = p->i;
        skip_space(p);
        if (p->i < p->len && (p->s[p->i] == '_' || p->s[p->i] == '^') && !p->failed) {
            int is_sub = p->s[p->i++] == '_';
            xmlNodePtr tmp = xmlNewNode(NULL, BAD_CAST "tmp");
            if (!tmp) {
                p->failed = -2;
                break;
            }
            xmlSetNs(tmp, parent->ns);
            xmlNodePtr arg = parse_arg(p, tmp);
            if (arg)
                xmlUnlinkNode(arg);
            xmlFreeNode(tmp);
            if (is_sub) {
                xmlFreeNode(sub);
                sub = arg;
            } else {
                xmlFreeNode(sup);
                sup = arg;
            }
            continue;
        }
        p->i = save;
        break;
    }
    /* the base: the holder's only child, or the holder as an mrow */
    xmlNodePtr base = holder;
    if (holder->children && holder->children == holder->last && holder->children->type == XML_ELEMENT_NODE) {
        base = holder->children;
        xmlUnlinkNode(base);
        xmlReplaceNode(holder, base);
        xmlFreeNode(holder);
    }
    if (sub || sup) {
        xmlNodePtr s = xmlNewNode(parent->ns, BAD_CAST(sub && sup ? "msubsup" : sub ? "msub" : "msup"));
        if (!s) {
            p->failed = -2;
            xmlFreeNode(sub);
            xmlFreeNode(sup);
        } else {
            xmlReplaceNode(base, s);
            xmlAddChild(s, base);
            if (sub)
                xmlAddChild(s, sub);
            if (sup)
                xmlAddChild(s, sup);
        }
    }
    p->depth--;
}

static void parse_row(texp *p, xmlNodePtr parent, int stop)
{
    for (;;) {
        skip_space(p);
        if (p->failed)
            return;
        if (p->i >= p->len) {
            if (stop == STOP_BRACE)
                unsupported(p, "an unclosed {", 13);
            else if (stop == STOP_RIGHT)
                unsupported(p, "\\left without \\right", 20);
            return;
        }
        char c = p->s[p->i];
        if (c == '}') {
            if (stop == STOP_BRACE)
                p->i++;
            else
                unsupported(p, "an unmatched }", 14);
            return;
        }
        if (stop == STOP_ENV && (c == '&' || (c == '\\' && p->i + 1 < p->len && p->s[p->i + 1] == '\\')))
            return;
        if (c == '\\' && (stop == STOP_RIGHT || stop == STOP_ENV)) {
            const char *kw = stop == STOP_RIGHT ? "right" : "end";
            size_t kl = strlen(kw);
            if (p->i + 1 + kl <= p->len && strncmp(p->s + p->i + 1, kw, kl) == 0 &&
                !(p->i + 1 + kl < p->len && is_alpha(p->s[p->i + 1 + kl]))) {
                if (stop == STOP_RIGHT)
                    p->i += 1 + kl;
                return;
            }
        }
        parse_atom(p, parent, 1);
    }
}

int mathconv_tex_to_mathml(const char *tex, size_t len, int display, char **out, const char **what)
{
    *out = NULL;
    if (what)
        *what = NULL;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr math = doc ? xmlNewNode(NULL, BAD_CAST "math") : NULL;
    xmlNsPtr ns = math ? xmlNewNs(math, BAD_CAST MATHCONV_MATHML_NS, NULL) : NULL;
    if (!ns) {
        xmlFreeNode(math);
        xmlFreeDoc(doc);
        return -2;
    }
    xmlSetNs(math, ns);
    xmlDocSetRootElement(doc, math);
    if (display)
        xmlSetProp(math, BAD_CAST "display", BAD_CAST "block");
    texp p = {tex, 0, len, 0, 0, NULL};
    xmlNodePtr sem = add(&p, math, "semantics", NULL);
    xmlNodePtr row = sem ? add(&p, sem, "mrow", NULL) : NULL;
    if (row)
        parse_row(&p, row, STOP_END);
    if (!p.failed) {
        char *copy = strndup(tex, len);
        xmlNodePtr ann = copy ? add(&p, sem, "annotation", copy) : NULL;
        if (ann)
            xmlSetProp(ann, BAD_CAST "encoding", BAD_CAST "application/x-tex");
        else
            p.failed = -2;
        free(copy);
    }
    int rc = p.failed;
    if (!rc) {
        xmlBufferPtr b = xmlBufferCreate();
        if (b && xmlNodeDump(b, doc, math, 0, 0) >= 0)
            *out = strdup((const char *)xmlBufferContent(b));
        xmlBufferFree(b);
        if (!*out)
            rc = -2;
    } else if (what) {
        *what = p.what;
    }
    xmlFreeDoc(doc);
    return rc;
}
