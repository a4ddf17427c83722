/* Recognising and writing single HTML start/end tags. Markdown keeps raw
 * HTML as it is; the reader turns <span ...>...</span> and <div ...> ...
 * </div> pairs back into spans and divs, and the writer emits those tags
 * for what Markdown cannot express. Only one well-formed tag per raw chunk
 * is recognised: anything else stays raw HTML. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "md_internal.h"

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
        p++;
    return p;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int match_name(const char **pp, const char *name)
{
    const char *p = *pp;
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)p[i]) != name[i])
            return 0;
    p += n;
    if (!(is_ws(*p) || *p == '>' || *p == '/'))
        return 0;
    *pp = p;
    return 1;
}


/* Copies an attribute value, decoding the character references an
 * attribute commonly holds. Unknown named references stay as written.
 * Returns a malloc'd string or NULL on ENOMEM. */
static char *decode_value(const char *s, size_t len)
{
    static const struct { const char *name; const char *text; } named[] = {
        { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" }, { "apos;", "'" },
    };
    char *out = malloc(len + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        if (s[i] != '&') {
            out[o++] = s[i++];
            continue;
        }
        int done = 0;
        if (i + 2 < len && s[i + 1] == '#') {
            size_t j = i + 2;
            int hex = (s[j] == 'x' || s[j] == 'X');
            unsigned long cp = 0;
            size_t digits = 0;
            if (hex)
                j++;
            while (j < len && digits < 8 && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
                int c = (unsigned char)s[j];
                cp = cp * (hex ? 16 : 10) + (unsigned long)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
                j++;
                digits++;
            }
            if (digits > 0 && j < len && s[j] == ';' && dp_utf8_put((uint32_t)cp, out + o) <= j + 1 - i) {
                o += dp_utf8_put((uint32_t)cp, out + o);
                i = j + 1;
                done = 1;
            }
        } else {
            for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
                size_t n = strlen(named[k].name);
                if (i + 1 + n <= len && strncmp(s + i + 1, named[k].name, n) == 0) {
                    out[o++] = named[k].text[0];
                    i += 1 + n;
                    done = 1;
                    break;
                }
            }
        }
        if (!done)
            out[o++] = s[i++];
    }
    out[o] = '\0';
    return out;
}

static int apply_attr(dp_node *target, const char *key, size_t key_len, const char *value)
{
    char keybuf[128];
    if (key_len >= sizeof keybuf)
        return -1;
    for (size_t i = 0; i < key_len; i++)
        keybuf[i] = (char)tolower((unsigned char)key[i]);
    keybuf[key_len] = '\0';
    if (strcmp(keybuf, "lang") == 0)
        return dp_node_set_lang(target, value);
    if (strcmp(keybuf, "id") == 0)
        return dp_node_set_id(target, value);
    if (strcmp(keybuf, "class") == 0) {
        const char *p = value;
        while (*(p = skip_ws(p))) {
            const char *e = p;
            char cls[256];
            while (*e && !is_ws(*e))
                e++;
            if ((size_t)(e - p) < sizeof cls) {
                memcpy(cls, p, (size_t)(e - p));
                cls[e - p] = '\0';
                if (dp_node_add_class(target, cls) < 0)
                    return -1;
            }
            p = e;
        }
        return 0;
    }
    return dp_node_set_attr(target, keybuf, value);
}

/* One pass over the tag; applies attributes when target is non-NULL. */
static md_tag_kind parse_tag(const char *raw, const char *name, dp_node *target)
{
    const char *p = skip_ws(raw);
    if (*p++ != '<')
        return MD_TAG_NONE;
    if (*p == '/') {
        p++;
        if (!match_name(&p, name))
            return MD_TAG_NONE;
        p = skip_ws(p);
        if (*p++ != '>')
            return MD_TAG_NONE;
        return *skip_ws(p) ? MD_TAG_NONE : MD_TAG_CLOSE;
    }
    if (!match_name(&p, name))
        return MD_TAG_NONE;
    for (;;) {
        p = skip_ws(p);
        if (*p == '>')
            break;
        if (*p == '\0' || *p == '/')
            return MD_TAG_NONE; /* unterminated or self-closing: not a pair */
        const char *key = p;
        while (*p && !is_ws(*p) && *p != '=' && *p != '>' && *p != '/' && *p != '"' && *p != '\'' &&
               *p != '<')
            p++;
        size_t key_len = (size_t)(p - key);
        if (key_len == 0)
            return MD_TAG_NONE;
        const char *val = "";
        size_t val_len = 0;
        p = skip_ws(p);
        if (*p == '=') {
            p = skip_ws(p + 1);
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                val = p;
                while (*p && *p != q)
                    p++;
                if (*p != q)
                    return MD_TAG_NONE;
                val_len = (size_t)(p - val);
                p++;
            } else {
                val = p;
                while (*p && !is_ws(*p) && *p != '>' && *p != '"' && *p != '\'' && *p != '<' && *p != '`' &&
                       *p != '=')
                    p++;
                val_len = (size_t)(p - val);
                if (val_len == 0)
                    return MD_TAG_NONE;
            }
        }
        if (target) {
            char *value = decode_value(val, val_len);
            int rc = value ? apply_attr(target, key, key_len, value) : -1;
            free(value);
            if (rc < 0)
                return MD_TAG_NONE;
        } else if (key_len >= 128) {
            return MD_TAG_NONE;
        }
    }
    p++; /* '>' */
    return *skip_ws(p) ? MD_TAG_NONE : MD_TAG_OPEN;
}

md_tag_kind md_html_tag_match(const char *raw, const char *name, dp_node *target)
{
    md_tag_kind kind = parse_tag(raw, name, NULL);
    if (kind == MD_TAG_OPEN && target)
        kind = parse_tag(raw, name, target);
    return kind;
}

static int put_attr_value(dp_buf *buf, const char *v)
{
    for (; *v; v++) {
        int rc;
        switch (*v) {
        case '&': rc = dp_buf_puts(buf, "&amp;"); break;
        case '"': rc = dp_buf_puts(buf, "&quot;"); break;
        case '<': rc = dp_buf_puts(buf, "&lt;"); break;
        case '>': rc = dp_buf_puts(buf, "&gt;"); break;
        default: rc = dp_buf_append(buf, v, 1); break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int put_attr(dp_buf *buf, const char *key, const char *value)
{
    int rc = dp_buf_printf(buf, " %s=\"", key);
    if (rc >= 0)
        rc = put_attr_value(buf, value);
    if (rc >= 0)
        rc = dp_buf_puts(buf, "\"");
    return rc;
}

int md_html_anchor(dp_buf *buf, const char *name, const char *id)
{
    int rc = dp_buf_printf(buf, "<%s", name);
    if (rc >= 0)
        rc = put_attr(buf, "id", id);
    if (rc >= 0)
        rc = dp_buf_printf(buf, "></%s>", name);
    if (rc >= 0)
        rc = dp_buf_append(buf, "", 1);
    return rc;
}

int md_html_open_tag(dp_buf *buf, const char *name, const dp_node *node)
{
    int rc = dp_buf_printf(buf, "<%s", name);
    if (rc >= 0 && dp_node_lang(node))
        rc = put_attr(buf, "lang", dp_node_lang(node));
    if (rc >= 0 && dp_node_id(node))
        rc = put_attr(buf, "id", dp_node_id(node));
    if (rc >= 0 && dp_node_class_count(node) > 0) {
        rc = dp_buf_puts(buf, " class=\"");
        for (int i = 0; rc >= 0 && i < dp_node_class_count(node); i++) {
            if (i > 0)
                rc = dp_buf_puts(buf, " ");
            if (rc >= 0)
                rc = put_attr_value(buf, dp_node_class_at(node, i));
        }
        if (rc >= 0)
            rc = dp_buf_puts(buf, "\"");
    }
    for (int i = 0; rc >= 0 && i < dp_node_attr_count(node); i++) {
        const char *key = dp_node_attr_key_at(node, i);
        int ok = key[0] != '\0';
        /* An attribute name HTML can carry: no space, quote, =, <, >, /. */
        for (const char *k = key; ok && *k; k++)
            ok = !is_ws(*k) && !strchr("\"'=<>/`", *k);
        rc = ok ? put_attr(buf, key, dp_node_attr_value_at(node, i)) : 0;
    }
    if (rc >= 0)
        rc = dp_buf_puts(buf, ">");
    return rc;
}

int md_pair_html_tags(dp_node *parent, dp_kind raw_kind, const char *name, dp_kind wrap_kind)
{
    dp_node *open_stack[64];
    size_t nopen = 0, overflow = 0; /* overflow: open tags beyond the stack, never paired */
    dp_doc *doc = dp_node_doc(parent);
    dp_node *next;
    for (dp_node *c = dp_node_first_child(parent); c; c = next) {
        next = dp_node_next(c);
        if (dp_node_kind(c) != raw_kind || !dp_node_format(c) || strcmp(dp_node_format(c), "html") != 0)
            continue;
        md_tag_kind kind = md_html_tag_match(dp_node_text(c), name, NULL);
        if (kind == MD_TAG_OPEN) {
            if (nopen < sizeof open_stack / sizeof open_stack[0] && overflow == 0)
                open_stack[nopen++] = c;
            else
                overflow++;
        } else if (kind == MD_TAG_CLOSE && overflow > 0) {
            overflow--;
        } else if (kind == MD_TAG_CLOSE && nopen > 0) {
            dp_node *open = open_stack[--nopen];
            dp_node *wrap = dp_node_new(doc, wrap_kind);
            if (!wrap)
                return DP_ENOMEM;
            md_html_tag_match(dp_node_text(open), name, wrap);
            dp_node_set_pos(wrap, dp_node_line(open), dp_node_column(open));
            if (dp_node_insert_before(open, wrap) < 0)
                return DP_EINTERNAL;
            for (dp_node *m = dp_node_next(open); m && m != c;) {
                dp_node *after = dp_node_next(m);
                if (dp_node_append_child(wrap, m) < 0)
                    return DP_EINTERNAL;
                m = after;
            }
            dp_node_unlink(open);
            dp_node_unlink(c);
        }
    }
    return 0;
}
