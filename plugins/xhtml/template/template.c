/* The template language of template.h: the text is cut into tokens (text,
 * variables, directives), the tokens into a tree (if/for with their
 * branches), and the tree is written with the writer's variables. */
#include "template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TPL_MAX_DEPTH 64

typedef enum { TK_TEXT, TK_VAR, TK_IF, TK_ELSEIF, TK_ELSE, TK_ENDIF, TK_FOR, TK_SEP, TK_ENDFOR } tk_kind;

typedef struct token {
    tk_kind kind;
    const char *text; /* TK_TEXT: into the template */
    size_t len;
    char *name;       /* TK_VAR, TK_IF, TK_ELSEIF, TK_FOR: the variable path */
    int line;
} token;

typedef struct parser {
    dp_ctx *ctx;
    const char *source;
    token *toks;
    size_t n, cap, at;
} parser;

/* The tree: a sequence of items; an if holds the then-branch and the rest
 * (else / elseif as a nested if); a for holds its body and its separator. */
typedef struct item {
    tk_kind kind;             /* TK_TEXT, TK_VAR, TK_IF, TK_FOR */
    const token *tok;
    struct item *body, *alt;  /* if: then, else; for: body, sep */
    struct item *next;
} item;

typedef struct binding {
    const char *name;
    tpl_value value;
} binding;

typedef struct render {
    dp_ctx *ctx;
    const char *source;
    const tpl_env *env;
    dp_buf *out;
    binding stack[TPL_MAX_DEPTH * 2];
    size_t nbind;
    tpl_line_map *map; /* NULL: not asked for */
    size_t scanned;    /* bytes of out already entered in map */
    int line_open;     /* the last output line has its template line */
} render;

static int fail(dp_ctx *ctx, const char *source, int line, const char *what, const char *name)
{
    return dp_fail(ctx, DP_EINPUT, source, line, 0, "template: %s%s%s%s", what, name ? " '" : "",
                   name ? name : "", name ? "'" : "");
}

static int push(parser *p, tk_kind kind, const char *text, size_t len, char *name, int line)
{
    if (DP_ARRAY_RESERVE(p->toks, p->cap, p->n + 1)) {
        free(name);
        return DP_ENOMEM;
    }
    p->toks[p->n++] = (token){kind, text, len, name, line};
    return 0;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

/* "if(x)" -> TK_IF and "x"; "x" -> TK_VAR; "styles.html()" -> TK_VAR. */
static int classify(parser *p, const char *s, size_t n, int line)
{
    static const struct { const char *word; tk_kind kind; int takes_name; } words[] = {
        {"if", TK_IF, 1},     {"elseif", TK_ELSEIF, 1}, {"for", TK_FOR, 1},      {"else", TK_ELSE, 0},
        {"endif", TK_ENDIF, 0}, {"sep", TK_SEP, 0},     {"endfor", TK_ENDFOR, 0}, {NULL, TK_TEXT, 0}};
    char *copy;
    for (size_t i = 0; words[i].word; i++) {
        size_t wl = strlen(words[i].word);
        if (n < wl || memcmp(s, words[i].word, wl) != 0)
            continue;
        if (!words[i].takes_name && n == wl)
            return push(p, words[i].kind, NULL, 0, NULL, line);
        if (words[i].takes_name && n > wl + 2 && s[wl] == '(' && s[n - 1] == ')') {
            for (size_t k = wl + 1; k < n - 1; k++)
                if (!name_char(s[k]))
                    return fail(p->ctx, p->source, line, "not a variable name in", words[i].word);
            if (!(copy = strndup(s + wl + 1, n - wl - 2)))
                return DP_ENOMEM;
            return push(p, words[i].kind, NULL, 0, copy, line);
        }
    }
    size_t k = 0;
    while (k < n && name_char(s[k]))
        k++;
    int partial = k + 2 == n && s[k] == '(' && s[k + 1] == ')';
    if (k == 0 || (k != n && !partial)) {
        char shown[64];
        size_t m = n < sizeof shown - 1 ? n : sizeof shown - 1;
        memcpy(shown, s, m);
        shown[m] = '\0';
        return fail(p->ctx, p->source, line,
                    memchr(s, '/', n) ? "pipes are not supported:" : "not a variable or directive:", shown);
    }
    if (!(copy = strndup(s, n)))
        return DP_ENOMEM;
    return push(p, TK_VAR, NULL, 0, copy, line);
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static int tokenize(parser *p, const char *t, size_t len)
{
    size_t pos = 0, text_start = 0;
    int line = 1, rc = 0;
    while (rc == 0 && pos < len) {
        if (t[pos] == '\n') {
            line++;
            pos++;
            continue;
        }
        if (t[pos] != '$') {
            pos++;
            continue;
        }
        size_t dollar = pos;
        if (pos + 1 < len && t[pos + 1] == '$') { /* $$: one dollar */
            rc = push(p, TK_TEXT, t + text_start, pos + 1 - text_start, NULL, line);
            pos = text_start = pos + 2;
            continue;
        }
        if (pos + 2 < len && t[pos + 1] == '-' && t[pos + 2] == '-') { /* comment, through the newline */
            rc = push(p, TK_TEXT, t + text_start, pos - text_start, NULL, line);
            while (pos < len && t[pos] != '\n')
                pos++;
            if (pos < len) {
                pos++;
                line++;
            }
            text_start = pos;
            continue;
        }
        int braced = pos + 1 < len && t[pos + 1] == '{';
        size_t open = pos + 1 + (size_t)braced, close = open;
        while (close < len && t[close] != '$' && t[close] != '\n' && !(braced && t[close] == '}'))
            close++;
        if (close >= len || t[close] == '\n' || (braced && (close + 1 >= len || t[close + 1] != '$')))
            return fail(p->ctx, p->source, line, "a '$' that opens nothing (write $$ for a dollar sign)", NULL);
        size_t after = close + 1 + (size_t)braced;
        size_t before_text = pos - text_start;
        size_t first_new = p->n;
        /* a directive alone on its line leaves no line: the blanks before it
         * and the newline after it go */
        size_t ls = dollar;
        while (ls > text_start && is_blank(t[ls - 1]))
            ls--;
        int line_start = ls == 0 || t[ls - 1] == '\n';
        size_t le = after;
        while (le < len && is_blank(t[le]))
            le++;
        int line_end = le >= len || t[le] == '\n';
        if ((rc = push(p, TK_TEXT, t + text_start, before_text, NULL, line)) != 0)
            break;
        if ((rc = classify(p, t + open, close - open, line)) != 0)
            break;
        pos = text_start = after;
        if (p->toks[p->n - 1].kind != TK_VAR && line_start && line_end) {
            p->toks[first_new].len = ls - (size_t)(p->toks[first_new].text - t);
            pos = text_start = le < len ? le + 1 : le;
            line++;
        }
    }
    if (rc == 0 && text_start < len)
        rc = push(p, TK_TEXT, t + text_start, len - text_start, NULL, line);
    return rc;
}

static void free_items(item *it)
{
    while (it) {
        item *next = it->next;
        free_items(it->body);
        free_items(it->alt);
        free(it);
        it = next;
    }
}

/* Items until a token of one of the stop kinds (left unconsumed), or the end. */
static int parse_seq(parser *p, int depth, item **out, const tk_kind *stops, size_t nstops)
{
    item *head = NULL, **tail = &head;
    int rc = 0;
    *out = NULL;
    if (depth > TPL_MAX_DEPTH)
        return fail(p->ctx, p->source, p->at < p->n ? p->toks[p->at].line : 0, "nested deeper than 64", NULL);
    while (rc == 0 && p->at < p->n) {
        const token *tk = &p->toks[p->at];
        int stop = 0;
        for (size_t i = 0; i < nstops; i++)
            stop |= tk->kind == stops[i];
        if (stop)
            break;
        if (tk->kind == TK_TEXT && tk->len == 0) {
            p->at++;
            continue;
        }
        if (tk->kind != TK_TEXT && tk->kind != TK_VAR && tk->kind != TK_IF && tk->kind != TK_FOR) {
            static const char *const names[] = {"", "", "", "$elseif$", "$else$", "$endif$", "", "$sep$",
                                                "$endfor$"};
            rc = dp_fail(p->ctx, DP_EINPUT, p->source, tk->line, 0, "template: %s without its opening",
                         names[tk->kind]);
            break;
        }
        item *it = calloc(1, sizeof *it);
        if (!it) {
            rc = DP_ENOMEM;
            break;
        }
        it->kind = tk->kind;
        it->tok = tk;
        *tail = it;
        tail = &it->next;
        p->at++;
        if (tk->kind == TK_IF) {
            static const tk_kind then_stops[] = {TK_ELSEIF, TK_ELSE, TK_ENDIF};
            static const tk_kind else_stops[] = {TK_ENDIF};
            rc = parse_seq(p, depth + 1, &it->body, then_stops, 3);
            /* elseif: an if inside the else branch, sharing this endif */
            item **alt = &it->alt;
            while (rc == 0 && p->at < p->n && p->toks[p->at].kind == TK_ELSEIF) {
                item *e = calloc(1, sizeof *e);
                if (!e) {
                    rc = DP_ENOMEM;
                    break;
                }
                e->kind = TK_IF;
                e->tok = &p->toks[p->at++];
                *alt = e;
                rc = parse_seq(p, depth + 1, &e->body, then_stops, 3);
                alt = &e->alt;
            }
            if (rc == 0 && p->at < p->n && p->toks[p->at].kind == TK_ELSE) {
                p->at++;
                rc = parse_seq(p, depth + 1, alt, else_stops, 1);
            }
            if (rc == 0 && !(p->at < p->n && p->toks[p->at].kind == TK_ENDIF))
                rc = fail(p->ctx, p->source, tk->line, "no $endif$ for", tk->name);
            p->at++;
        } else if (tk->kind == TK_FOR) {
            static const tk_kind body_stops[] = {TK_SEP, TK_ENDFOR};
            static const tk_kind sep_stops[] = {TK_ENDFOR};
            rc = parse_seq(p, depth + 1, &it->body, body_stops, 2);
            if (rc == 0 && p->at < p->n && p->toks[p->at].kind == TK_SEP) {
                p->at++;
                rc = parse_seq(p, depth + 1, &it->alt, sep_stops, 1);
            }
            if (rc == 0 && !(p->at < p->n && p->toks[p->at].kind == TK_ENDFOR))
                rc = fail(p->ctx, p->source, tk->line, "no $endfor$ for", tk->name);
            p->at++;
        }
    }
    *out = head;
    return rc;
}

/* ---- values ---- */

/* The value of a path: loop bindings first (innermost), then the writer's
 * names; ".key" steps go into maps. */
static int resolve(render *r, const char *path, tpl_value *out)
{
    size_t plen = strlen(path);
    memset(out, 0, sizeof *out);
    if (plen > 2 && strcmp(path + plen - 2, "()") == 0)
        return r->env->lookup(r->env->userdata, path, out);
    const char *rest = NULL;
    int found = 0;
    for (size_t i = r->nbind; i-- > 0 && !found;) {
        size_t nl = strlen(r->stack[i].name);
        if (strncmp(path, r->stack[i].name, nl) == 0 && (path[nl] == '\0' || path[nl] == '.')) {
            *out = r->stack[i].value;
            rest = path[nl] ? path + nl + 1 : NULL;
            found = 1;
        }
    }
    if (!found) {
        const char *dot = strchr(path, '.');
        char head[256];
        size_t hl = dot ? (size_t)(dot - path) : plen;
        if (hl >= sizeof head)
            return 0;
        memcpy(head, path, hl);
        head[hl] = '\0';
        if (!r->env->lookup(r->env->userdata, head, out))
            return 0;
        rest = dot ? dot + 1 : NULL;
    }
    while (rest && *rest) {
        const char *dot = strchr(rest, '.');
        char key[256];
        size_t kl = dot ? (size_t)(dot - rest) : strlen(rest);
        if (!out->meta || dp_meta_get_type(out->meta) != DP_META_MAP || kl >= sizeof key)
            return 0;
        memcpy(key, rest, kl);
        key[kl] = '\0';
        out->meta = dp_meta_get(out->meta, key);
        if (!out->meta)
            return 0;
        rest = dot ? dot + 1 : NULL;
    }
    return 1;
}

static int truthy(const tpl_value *v)
{
    if (!v->meta)
        return v->raw && *v->raw;
    switch (dp_meta_get_type(v->meta)) {
    case DP_META_MAP: return 1;
    case DP_META_LIST: return dp_meta_len(v->meta) > 0;
    case DP_META_BOOL: return dp_meta_bool(v->meta);
    default: {
        const char *t = dp_meta_text(v->meta);
        return t && *t;
    }
    }
}

/* A value as plain text, escaped (formatted text flattened). */
static int write_text(render *r, const dp_meta *m)
{
    const char *t = dp_meta_text(m);
    return t ? r->env->escape(r->env->userdata, t, r->out) : 0;
}

static int write_meta(render *r, const dp_meta *m, int depth, int plain)
{
    int rc = 0;
    if (!m || depth > TPL_MAX_DEPTH)
        return 0;
    switch (dp_meta_get_type(m)) {
    case DP_META_LIST:
        for (size_t i = 0; i < dp_meta_len(m) && rc == 0; i++)
            rc = write_meta(r, dp_meta_at(m, i), depth + 1, plain);
        return rc;
    case DP_META_MAP: {
        /* a map written whole: its name (author: {name: …}), as pandoc's
         * templates most often mean */
        const dp_meta *name = dp_meta_get(m, "name");
        return name ? write_meta(r, name, depth + 1, plain) : 0;
    }
    case DP_META_INLINES:
    case DP_META_BLOCKS:
        if (!plain && r->env->markup)
            return r->env->markup(r->env->userdata, m, r->out);
        return write_text(r, m);
    default:
        return write_text(r, m);
    }
}

static int write_items(render *r, const item *it);

static int write_for(render *r, const item *it)
{
    tpl_value v;
    int rc = 0;
    if (!resolve(r, it->tok->name, &v) || !truthy(&v))
        return 0;
    if (r->nbind + 2 > sizeof r->stack / sizeof r->stack[0])
        return fail(r->ctx, r->source, it->tok->line, "loops nested deeper than 64 at", it->tok->name);
    size_t n = v.meta ? dp_meta_len(v.meta) : 1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        tpl_value cur = v;
        if (v.meta)
            cur.meta = dp_meta_at(v.meta, i);
        r->stack[r->nbind++] = (binding){it->tok->name, cur};
        r->stack[r->nbind++] = (binding){"it", cur};
        if (i > 0)
            rc = write_items(r, it->alt);
        if (rc == 0)
            rc = write_items(r, it->body);
        r->nbind -= 2;
    }
    return rc;
}

/* Enters the output written since the last call into the line map: each
 * output line gets the template line it started on. A template text
 * advances a line at each of its newlines; a variable's value (which may
 * hold many lines, e.g. the body) keeps the variable's line. */
static int map_output(render *r, int line, int advance)
{
    const char *out = (const char *)dp_buf_data(r->out);
    size_t len = dp_buf_len(r->out);
    for (; r->scanned < len; r->scanned++) {
        if (!r->line_open) {
            if (DP_ARRAY_RESERVE(r->map->lines, r->map->cap, r->map->n + 1))
                return DP_ENOMEM;
            r->map->lines[r->map->n++] = line;
            r->line_open = 1;
        }
        if (out[r->scanned] == '\n') {
            r->line_open = 0;
            line += advance;
        }
    }
    return 0;
}

/* The line a text token starts on (its line is where it ends). */
static int text_first_line(const token *tk)
{
    int line = tk->line;
    for (size_t i = 0; i < tk->len; i++)
        line -= tk->text[i] == '\n';
    return line;
}

static int write_items(render *r, const item *it)
{
    int rc = 0;
    for (; it && rc == 0; it = it->next) {
        tpl_value v;
        switch (it->kind) {
        case TK_TEXT:
            rc = dp_buf_append(r->out, it->tok->text, it->tok->len);
            if (rc == 0 && r->map)
                rc = map_output(r, text_first_line(it->tok), 1);
            break;
        case TK_VAR:
            if (resolve(r, it->tok->name, &v))
                rc = v.meta ? write_meta(r, v.meta, 0, v.plain) : v.raw ? dp_buf_puts(r->out, v.raw) : 0;
            else if (strstr(it->tok->name, "()"))
                rc = fail(r->ctx, r->source, it->tok->line, "partials are not supported:", it->tok->name);
            if (rc == 0 && r->map)
                rc = map_output(r, it->tok->line, 0);
            break;
        case TK_IF:
            rc = write_items(r, resolve(r, it->tok->name, &v) && truthy(&v) ? it->body : it->alt);
            break;
        case TK_FOR:
            rc = write_for(r, it);
            break;
        default:
            break;
        }
    }
    return rc;
}

int tpl_render(dp_ctx *ctx, const char *source_name, const char *text, size_t len, const tpl_env *env,
               dp_buf *out)
{
    return tpl_render_mapped(ctx, source_name, text, len, env, out, NULL);
}

int tpl_line_map_get(const tpl_line_map *map, int out_line)
{
    if (!map || map->n == 0 || out_line < 1)
        return 0;
    return map->lines[(size_t)out_line <= map->n ? (size_t)out_line - 1 : map->n - 1];
}

void tpl_line_map_free(tpl_line_map *map)
{
    free(map->lines);
    memset(map, 0, sizeof *map);
}

int tpl_render_mapped(dp_ctx *ctx, const char *source_name, const char *text, size_t len, const tpl_env *env,
                      dp_buf *out, tpl_line_map *map)
{
    parser p = {ctx, source_name, NULL, 0, 0, 0};
    item *tree = NULL;
    int rc = tokenize(&p, text, len);
    if (rc == 0)
        rc = parse_seq(&p, 0, &tree, NULL, 0);
    if (rc == 0) {
        render *r = calloc(1, sizeof *r);
        if (!r) {
            rc = DP_ENOMEM;
        } else {
            r->ctx = ctx;
            r->source = source_name;
            r->env = env;
            r->out = out;
            r->map = map;
            r->scanned = dp_buf_len(out);
            rc = write_items(r, tree);
            free(r);
        }
    }
    free_items(tree);
    for (size_t i = 0; i < p.n; i++)
        free(p.toks[i].name);
    free(p.toks);
    return rc;
}

int tpl_lookup_meta(const dp_meta *meta, const char *name, tpl_value *out)
{
    /* pandoc's derived names: the title as text, authors and date for
     * <meta>: plain text even when the metadata is formatted */
    out->plain = 1;
    if (strcmp(name, "pagetitle") == 0) {
        out->meta = dp_meta_get(meta, "pagetitle");
        if (!out->meta)
            out->meta = dp_meta_get(meta, "title");
    } else if (strcmp(name, "author-meta") == 0) {
        out->meta = dp_meta_get(meta, "author");
    } else if (strcmp(name, "date-meta") == 0) {
        out->meta = dp_meta_get(meta, "date");
    } else {
        out->plain = 0;
        if (strcmp(name, "lang") == 0 || strcmp(name, "keywords") == 0)
            name = dp_meta_agreed_key(name);
        out->meta = dp_meta_get_agreed(meta, name);
    }
    return out->meta != NULL;
}

int tpl_read_file(dp_ctx *ctx, const char *path, dp_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t got;
    int rc = 0;
    if (!f)
        return dp_fail(ctx, DP_EINPUT, path, 0, 0, "template: cannot read it: %s", strerror(errno));
    while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = dp_buf_append(out, chunk, got);
    if (rc == 0 && ferror(f))
        rc = dp_fail(ctx, DP_EINPUT, path, 0, 0, "template: read error");
    fclose(f);
    return rc;
}
