/* Template glue shared by the HTML and EPUB writers (the language itself is
 * plugins/xhtml/template): metadata written into a template as escaped text,
 * or, for formatted values, as markup of the writer's flavour. */
#include "xw_internal.h"

#include <libxml/entities.h>

int xw_template_escape(void *userdata, const char *text, dp_buf *out)
{
    (void)userdata;
    /* libxml2's escaping of &, <, >, " (right in text and in attribute values) */
    xmlChar *e = xmlEncodeSpecialChars(NULL, BAD_CAST text);
    if (!e)
        return DP_ENOMEM;
    int rc = dp_buf_puts(out, (const char *)e);
    xmlFree(e);
    return rc;
}

int xw_meta_markup(xw_writer *w, const dp_meta *m, dp_buf *out)
{
    const dp_node *box = dp_meta_nodes(m);
    xmlDocPtr frag = NULL;
    xmlNodePtr holder = NULL;
    if (!box)
        return 0;
    int rc = xw_new_fragment(w, &frag, &holder);
    if (rc == 0) {
        /* the same rendering as the title block's (xw_page.c) */
        if (dp_meta_get_type(m) == DP_META_INLINES)
            rc = xw_render_inlines(w, box, holder, 1);
        else
            rc = xw_render_blocks(w, dp_node_first_child(box), NULL, holder);
    }
    if (rc == 0)
        rc = xw_serialize_children(holder, w->opts.flavour, out);
    xmlFreeDoc(frag);
    return rc;
}
