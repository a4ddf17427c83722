/* Plain text of a subtree, for titles, alt text, TOC entries and metadata. */
#include "tree/tree_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} strbuf;

static void sb_add(strbuf *sb, const char *s, size_t n)
{
    if (sb->failed || n == 0)
        return;
    if (DP_ARRAY_RESERVE(sb->data, sb->cap, sb->len + n + 1)) {
        sb->failed = 1;
        return;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
}

/* Separates a block from what came before it: one newline, or one space
 * inside a note (whose blocks sit in the middle of a line of text). */
static void block_gap(strbuf *sb, int in_note)
{
    if (sb->len == 0)
        return;
    char last = sb->data[sb->len - 1];
    if (in_note) {
        if (last != ' ' && last != '\n')
            sb_add(sb, " ", 1);
    } else if (last != '\n') {
        sb_add(sb, "\n", 1);
    }
}

DP_EXPORT const char *dp_node_plain_text(const dp_node *node, int skip_notes)
{
    if (!node)
        return NULL;
    strbuf sb = {0};
    dp_iter it;
    dp_iter_init(&it, node);
    dp_event ev;
    int in_note = 0;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (n->kind == DP_NOTE && n != node)
            in_note += ev == DP_EV_ENTER ? 1 : -1;
        if (ev != DP_EV_ENTER)
            continue;
        if (n != node && dp_node_is_block(n))
            block_gap(&sb, in_note > 0);
        switch (n->kind) {
        case DP_MATH: {
            /* the TeX form reads as text; MathML source is markup, so its
             * alt text stands in for it when there is no TeX */
            size_t len;
            const char *tex = dp_node_math_form(n, "tex", &len);
            if (!tex && n->as.lit.alt)
                tex = n->as.lit.alt, len = strlen(tex);
            if (!tex)
                tex = n->as.lit.text, len = n->as.lit.len;
            if (tex)
                sb_add(&sb, tex, len);
            break;
        }
        case DP_TEXT:
        case DP_CODE:
        case DP_CODE_BLOCK:
            if (n->as.lit.text)
                sb_add(&sb, n->as.lit.text, n->as.lit.len);
            break;
        case DP_SOFT_BREAK:
        case DP_LINE_BREAK:
            sb_add(&sb, " ", 1);
            break;
        case DP_NOTE:
            if (skip_notes && n != node)
                dp_iter_skip_children(&it); /* its EXIT still comes: in_note balances */
            break;
        default:
            break;
        }
    }
    /* Trailing block separators carry no text. */
    while (sb.len > 0 && sb.data[sb.len - 1] == '\n')
        sb.len--;
    char *out = sb.failed ? NULL : dp_doc_strndup(node->doc, sb.data ? sb.data : "", sb.len);
    free(sb.data);
    return out;
}
