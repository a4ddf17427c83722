/* Internal entities replaced under one byte budget: see xmlu_entities.h. */
#include "xmlu_entities.h"

#include <libxml/entities.h>
#include <limits.h>
#include <string.h>

/* Deeper nesting of entity references inside attribute values is refused
 * (libxml2 refuses loops; this only bounds the recursion). */
#define ATTR_NESTING_MAX 64

void xmlu_budget_init(xmlu_budget *b, const dp_ctx *ctx)
{
    const dp_limits *lim = ctx ? dp_ctx_limits(ctx) : NULL;
    b->used = 0;
    b->limit = lim && lim->max_entity_expansion > 0 ? lim->max_entity_expansion : (size_t)10 << 20;
}

typedef struct expander {
    dp_ctx *ctx;
    const char *file;
    xmlDocPtr doc;
    xmlu_budget *b;
    dp_buf *attr;    /* one attribute value being built */
} expander;

static int over_budget(expander *x, long line)
{
    return dp_fail(x->ctx, DP_ELIMIT, x->file, line > 0 ? (int)line : 0, 0,
                   "entity expansion exceeds the limit of %zu bytes (max-entity-expansion)", x->b->limit);
}

static int nomem(expander *x)
{
    return dp_fail(x->ctx, DP_ENOMEM, x->file, 0, 0, "out of memory");
}

/* Charges one expansion of ent: its replacement text as declared (at least
 * one byte, so that even empty entities cannot be referenced for free). */
static int charge(expander *x, const xmlEntity *ent, long line)
{
    size_t cost = ent->length > 0 ? (size_t)ent->length : 1;
    if (cost > x->b->limit - x->b->used)
        return over_budget(x, line);
    x->b->used += cost;
    return DP_OK;
}

static int expandable(const xmlEntity *ent)
{
    return ent && (ent->etype == XML_INTERNAL_GENERAL_ENTITY || ent->etype == XML_INTERNAL_PREDEFINED_ENTITY);
}

/* The next node of a pre-order walk that is not inside n (NULL at the end). */
static xmlNodePtr after(xmlNodePtr n)
{
    while (n) {
        if (n->next)
            return n->next;
        n = n->parent;
        if (!n || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
            return NULL;
    }
    return NULL;
}

/* Puts list (unlinked siblings) where ref stands and frees ref. Linked by
 * hand: xmlAddPrevSibling merges adjacent text nodes, which re-copies the
 * whole text at each reference (quadratic). */
static void replace_with(xmlNodePtr ref, xmlNodePtr list)
{
    xmlNodePtr parent = ref->parent, last = list;
    for (xmlNodePtr c = list; c; c = c->next) {
        c->parent = parent;
        last = c;
    }
    list->prev = ref->prev;
    if (ref->prev)
        ref->prev->next = list;
    else if (parent)
        parent->children = list;
    last->next = ref->next;
    if (ref->next)
        ref->next->prev = last;
    else if (parent)
        parent->last = last;
    ref->parent = ref->next = ref->prev = NULL;
    xmlFreeNode(ref); /* an entity reference's children are the declaration: not freed */
}

/* A fresh copy of ent's content (NULL when empty; *oom on failure). */
static xmlNodePtr content_copy(expander *x, xmlEntityPtr ent, int *oom)
{
    xmlNodePtr list = NULL;
    *oom = 0;
    if (ent->children && ent->etype != XML_INTERNAL_PREDEFINED_ENTITY)
        list = xmlDocCopyNodeList(x->doc, ent->children);
    else if (ent->content && ent->content[0])
        list = ent->etype == XML_INTERNAL_PREDEFINED_ENTITY ? xmlNewDocText(x->doc, ent->content)
                                                            : xmlStringGetNodeList(x->doc, ent->content);
    else
        return NULL;
    *oom = list == NULL;
    return list;
}

/* The text of list into x->attr, references expanded (charged). */
static int attr_text(expander *x, xmlNodePtr list, long line, int nesting)
{
    for (xmlNodePtr n = list; n; n = n->next) {
        int rc = DP_OK;
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            rc = dp_buf_puts(x->attr, (const char *)n->content);
        } else if (n->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr ent = xmlGetDocEntity(x->doc, n->name);
            if (!expandable(ent))
                rc = dp_buf_printf(x->attr, "&%s;", (const char *)n->name); /* kept as written */
            else if (nesting >= ATTR_NESTING_MAX)
                return over_budget(x, line);
            else if ((rc = charge(x, ent, line)) == DP_OK) {
                if (ent->children && ent->etype != XML_INTERNAL_PREDEFINED_ENTITY)
                    rc = attr_text(x, ent->children, line, nesting + 1);
                else if (ent->content)
                    rc = dp_buf_puts(x->attr, (const char *)ent->content);
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            rc = attr_text(x, n->children, line, nesting + 1);
        }
        if (rc == DP_ELIMIT)
            return rc;
        if (rc != DP_OK)
            return nomem(x);
    }
    return DP_OK;
}

/* An attribute value holding references becomes one text node. */
static int flatten_attrs(expander *x, xmlNodePtr el)
{
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        int refs = 0;
        for (xmlNodePtr c = a->children; c && !refs; c = c->next)
            refs = c->type == XML_ENTITY_REF_NODE && expandable(xmlGetDocEntity(x->doc, c->name));
        if (!refs)
            continue;
        dp_buf_reset(x->attr);
        int rc = attr_text(x, a->children, xmlGetLineNo(el), 0);
        if (rc != DP_OK)
            return rc;
        xmlNodePtr t = NULL;
        size_t len = dp_buf_len(x->attr);
        if (len > (size_t)INT_MAX)
            return over_budget(x, xmlGetLineNo(el));
        if (len && !(t = xmlNewDocTextLen(x->doc, dp_buf_data(x->attr), (int)len)))
            return nomem(x);
        xmlFreeNodeList(a->children);
        a->children = a->last = t;
        if (t)
            t->parent = (xmlNodePtr)a;
    }
    return DP_OK;
}

int xmlu_expand_entities(dp_ctx *ctx, const char *file, xmlDocPtr doc, xmlu_budget *b)
{
    expander x = { ctx, file, doc, b, NULL };
    if (!doc)
        return DP_OK;
    if (dp_buf_new(&x.attr) != DP_OK)
        return nomem(&x);
    int rc = DP_OK;
    xmlNodePtr n = doc->children;
    while (n && rc == DP_OK) {
        if (n->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr ent = xmlGetDocEntity(doc, n->name);
            if (expandable(ent)) {
                long line = xmlGetLineNo(n);
                if (line <= 0 && n->parent)
                    line = xmlGetLineNo(n->parent);
                if ((rc = charge(&x, ent, line)) != DP_OK)
                    break;
                int oom;
                xmlNodePtr list = content_copy(&x, ent, &oom);
                if (oom) {
                    rc = nomem(&x);
                    break;
                }
                xmlNodePtr next = list ? list : after(n);
                if (list)
                    replace_with(n, list);
                else {
                    xmlUnlinkNode(n);
                    xmlFreeNode(n);
                }
                n = next; /* the copy is walked in turn: nested references */
                continue;
            }
            n = after(n); /* external or undeclared: the reader reports it */
            continue;
        }
        if (n->type == XML_ELEMENT_NODE) {
            if ((rc = flatten_attrs(&x, n)) != DP_OK)
                break;
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        n = after(n); /* the DTD (entity declarations) is never entered */
    }
    dp_buf_free(x.attr);
    return rc;
}
