/* Markdown writer: ids that links point at. Markdown has no ids, so without
 * this every "#id" link of a document read from HTML, EPUB or TEI would lead
 * nowhere in the Markdown written. An id a link uses is kept:
 *
 *   - on a heading as pandoc's attribute "# Title {#id}" (the reader reads it
 *     back: md_read.c, heading_id_attribute), when the id is made of the
 *     characters that syntax allows (md_id_char);
 *   - elsewhere (or an id that syntax cannot hold) as an empty anchor in raw
 *     HTML, <span id="id"></span> in text and <div id="id"> and </div> as two
 *     HTML blocks among blocks, which the reader pairs back into an (empty)
 *     span or div with that id and every HTML renderer makes a link target.
 *
 * Ids no link uses are not written (an info message says so): they would
 * only clutter the text. */
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

int mdw_anchors_init(md_writer *w, const dp_doc *doc)
{
    char **ids = NULL;
    size_t n = 0, cap = 0;
    dp_iter it;
    dp_event ev;
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *l = dp_iter_node(&it);
        const char *url = ev == DP_EV_ENTER && dp_node_kind(l) == DP_LINK ? dp_node_url(l) : NULL;
        if (!url || url[0] != '#' || !url[1])
            continue;
        if (DP_ARRAY_RESERVE(ids, cap, n + 1) != 0) {
            free(ids);
            return mdw_nomem(w);
        }
        ids[n++] = (char *)url + 1; /* borrowed from the tree, which outlives the writer */
    }
    int rc = md_label_set_init(&w->linked, ids, n);
    free(ids);
    return rc < 0 ? mdw_nomem(w) : 0;
}

void mdw_anchors_free(md_writer *w)
{
    md_label_set_free(&w->linked);
}

const char *mdw_linked_id(const md_writer *w, const dp_node *n)
{
    const char *id = dp_node_id(n);
    /* the set compares ASCII case-insensitively: at worst an id more is kept */
    return id && *id && md_label_set_has(&w->linked, id, strlen(id)) ? id : NULL;
}

int mdw_id_attribute_ok(const char *id)
{
    if (!id || !*id)
        return 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (!md_id_char(*p))
            return 0;
    return 1;
}

int mdw_lost_attrs(const md_writer *w, const dp_node *n)
{
    return (dp_node_id(n) && !mdw_linked_id(w, n)) || dp_node_class_count(n) > 0 || dp_node_attr_count(n) > 0 ||
           dp_node_lang(n);
}

int mdw_anchor(md_writer *w, const char *id, int block)
{
    dp_buf *b = NULL;
    if (dp_buf_new(&b) < 0)
        return mdw_nomem(w);
    int rc = md_html_anchor(b, block ? "div" : "span", id);
    if (rc >= 0 && block) {
        /* the tags as two HTML blocks: the reader pairs one tag per block */
        char *data = (char *)dp_buf_data(b);
        char *close = strstr(data, "></div>") + 1;
        char *open = strndup(data, (size_t)(close - data));
        rc = open ? mdw_add_raw(w, 1, open) : -1;
        if (rc >= 0)
            rc = mdw_add_raw(w, 1, close);
        free(open);
    } else if (rc >= 0)
        rc = mdw_add_raw(w, block, (const char *)dp_buf_data(b));
    dp_buf_free(b);
    return rc < 0 ? (w->failed ? rc : mdw_nomem(w)) : 0;
}
