/* TEI importer: divisions (div, div1..div7) and the headings they open; the
 * writer's <ab type="heading"> / <p rend="heading"> headings. */
#include "tei_read_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tr_not_division(const xmlNode *s)
{
    return (s->type == XML_ELEMENT_NODE && !tr_is_divname(s)) ||
           ((s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE) && !tr_blank(s));
}

void r_div(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    int lvl = level + 1;
    const xmlNode *head = NULL;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (tr_named(c, "head"))
                head = c;
            break;
        }
    }
    if (!head) {
        dp_node *div = tr_mk(r, DP_DIV, e);
        tr_read_attrs(r, div, e, NULL);
        tr_add(r, parent, div);
        r_blocks(r, div, e->children, depth + 1, lvl);
        return;
    }
    /* A division followed by something other than divisions (a titlePage
     * after the front's divs, a trailer) cannot be flattened into a heading
     * without swallowing what follows: it stays a DP_DIV round its heading. */
    int wrap = 0;
    if (r->blocks_at == e)
        wrap = r->blocks_other_ahead;
    else
        for (const xmlNode *s = e->next; s && !wrap; s = s->next)
            wrap = tr_not_division(s);
    if (wrap) {
        dp_node *div = tr_mk(r, DP_DIV, e);
        tr_add(r, parent, div);
        parent = div;
    }
    dp_node *h = tr_mk(r, DP_HEADING, head);
    dp_node_set_heading_level(h, lvl > 6 ? 6 : lvl);
    /* the division's attributes travel on its heading: xml:id as the id,
     * the others (type, n ...) as tei:* for the writer's <div> */
    tr_read_attrs(r, h, e, NULL);
    for (int i = dp_node_class_count(h) - 1; i >= 0; i--) {
        /* div@rend is not the head's rendering: keep it as an attribute */
        char *cls = dp_doc_strdup(r->doc, dp_node_class_at(h, i));
        dp_node_remove_class(h, cls);
        const char *old = dp_node_attr(h, "tei:rend");
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", cls, old ? " " : "", old ? old : "");
        dp_node_set_attr(h, "tei:rend", buf);
    }
    const char *hl = tr_xml_attr(r, head, "lang");
    if (hl)
        dp_node_set_lang(h, hl);
    const char *hrend = tr_attr(r, head, "rend");
    char *copy = strdup(hrend ? hrend : ""), *save = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
        /* rend="h3": the writer's note of a level that differs from the depth */
        if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '\0')
            dp_node_set_heading_level(h, t[1] - '0');
        else
            dp_node_add_class(h, t);
    }
    free(copy);
    if (lvl > 6)
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: division nested %d deep: its heading is level 6", lvl);
    tr_add(r, parent, h);
    r_inlines(r, h, head->children, depth + 1);
    r_blocks(r, parent, head->next, depth + 1, lvl);
}

dp_node *r_heading_from(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *n = tr_attr(r, e, "n");
    int lvl = n ? atoi(n) : 1;
    dp_node *h = tr_mk(r, DP_HEADING, e);
    dp_node_set_heading_level(h, lvl >= 1 && lvl <= 6 ? lvl : 1);
    static const char *const skip[] = {"n", "type", NULL};
    tr_read_attrs(r, h, e, skip);
    dp_node_remove_class(h, "heading");
    tr_add(r, parent, h);
    r_inlines(r, h, e->children, depth + 1);
    return h;
}
