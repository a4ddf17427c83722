/* TEI importer: <list> -> a list, or a definition list (type="gloss", or
 * <label>s pairing terms with items). */
#include "tei_read_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void r_list(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *type = tr_attr(r, e, "type");
    int gloss = tr_has_token(type, "gloss");
    for (const xmlNode *c = e->children; c && !gloss; c = c->next)
        gloss = tr_named(c, "label");
    for (const xmlNode *c = e->children; c; c = c->next)
        if (tr_named(c, "head")) {
            dp_node *h = tr_mk(r, DP_PARA, c);
            dp_node_add_class(h, "head");
            tr_read_attrs(r, h, c, NULL);
            tr_add(r, parent, h);
            r_inlines(r, h, c->children, depth + 1);
        }
    if (gloss) {
        dp_node *dl = tr_mk(r, DP_DEF_LIST, e);
        static const char *const skip[] = {"type", NULL};
        tr_read_attrs(r, dl, e, tr_has_token(type, "gloss") ? skip : NULL);
        tr_add(r, parent, dl);
        dp_node *di = NULL;
        for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
            if (tr_named(c, "label")) {
                di = tr_mk(r, DP_DEF_ITEM, c);
                tr_add(r, dl, di);
                dp_node *t = tr_mk(r, DP_DEF_TERM, c);
                tr_read_attrs(r, t, c, NULL);
                tr_add(r, di, t);
                r_inlines(r, t, c->children, depth + 2);
            } else if (tr_named(c, "item")) {
                if (!di) {
                    di = tr_mk(r, DP_DEF_ITEM, c);
                    tr_add(r, dl, di);
                    tr_add(r, di, tr_mk(r, DP_DEF_TERM, c));
                }
                dp_node *d = tr_mk(r, DP_DEF_DESC, c);
                tr_read_attrs(r, d, c, NULL);
                tr_add(r, di, d);
                r_blocks(r, d, c->children, depth + 2, 0);
                di = NULL;
            }
        }
        return;
    }
    dp_node *list = tr_mk(r, DP_LIST, e);
    const char *rend = tr_attr(r, e, "rend");
    int ordered = 0;
    dp_list_style style = DP_STYLE_DEFAULT;
    static const char *const ord[] = {"numbered", "ordered", "decimal", "arabic", "lower-alpha", "upper-alpha",
                                      "lower-roman", "upper-roman", NULL};
    for (int i = 0; ord[i]; i++)
        if (tr_has_token(rend, ord[i]) || tr_has_token(type, ord[i])) {
            ordered = 1;
            if (i >= 2)
                style = i == 2 || i == 3 ? DP_STYLE_DECIMAL : (dp_list_style)(i - 2);
        }
    int start = 1, tight = 1, first = 1;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (!tr_named(c, "item"))
            continue;
        dp_node *li = tr_mk(r, DP_LIST_ITEM, c);
        const char *n = tr_attr(r, c, "n");
        if (first && n && ordered && isdigit((unsigned char)n[0]))
            start = atoi(n);
        const char *irend = tr_attr(r, c, "rend");
        static const char *const skip_n[] = {"n", NULL};
        tr_read_attrs(r, li, c, first && ordered && n && isdigit((unsigned char)n[0]) ? skip_n : NULL);
        if (tr_has_token(irend, "task-done")) {
            dp_node_set_task(li, DP_TASK_CHECKED);
            dp_node_remove_class(li, "task-done");
        } else if (tr_has_token(irend, "task-todo")) {
            dp_node_set_task(li, DP_TASK_UNCHECKED);
            dp_node_remove_class(li, "task-todo");
        }
        first = 0;
        tr_add(r, list, li);
        r_blocks(r, li, c->children, depth + 2, 0);
        for (const dp_node *b = dp_node_first_child(li); b; b = dp_node_next(b))
            if (dp_node_kind(b) == DP_PARA)
                tight = 0;
    }
    dp_node_set_list(list, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET, start, DP_DELIM_DEFAULT, style, tight);
    static const char *const skip[] = {"rend", NULL};
    tr_read_attrs(r, list, e, skip);
    if (rend) {
        char *copy = strdup(rend), *save = NULL;
        for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
            int known = strcmp(t, "bulleted") == 0 || tei_name_in(t, ord);
            if (!known)
                dp_node_add_class(list, t);
        }
        free(copy);
    }
    tr_add(r, parent, list);
}
