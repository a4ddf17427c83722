/* Internal entities replaced by their text under one running byte budget
 * (the limit max-entity-expansion), for every reader that parses XML with
 * libxml2 (TEI, XHTML files, EPUB content documents).
 *
 * The parsers run without XML_PARSE_NOENT (no entity is substituted by
 * libxml2, so no external entity is ever loaded), which leaves each
 * reference as an XML_ENTITY_REF_NODE. Left there, every reader expanded
 * them its own way: per reference with no total (a 100 KB entity referenced
 * 100 000 times is 10 GB), through xmlGetNoNsProp (quadratic string
 * concatenation), or not at all (TEI body text lost them silently). Here
 * each internal general entity reference is replaced once, in place, by a
 * copy of its parsed content (elements included), and each attribute value
 * holding references becomes one text node built in a linear buffer; every
 * replacement is charged to the budget before it is made, so the bytes the
 * document can grow by are bounded whatever the number of references.
 * References to external or undeclared entities are left in place for the
 * reader to report (and never load). */
#ifndef DOCPIPE_XML_ENTITIES_H
#define DOCPIPE_XML_ENTITIES_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

typedef struct xmlu_budget {
    size_t used;  /* bytes produced by expansions so far */
    size_t limit; /* max-entity-expansion */
} xmlu_budget;

/* limit from dp_ctx_limits(ctx) (10 MiB when unset). One budget may serve
 * several documents of one input (the chapters of an EPUB). */
void xmlu_budget_init(xmlu_budget *b, const dp_ctx *ctx);

/* Expands every internal entity reference of doc (content and attribute
 * values). DP_OK; DP_ELIMIT over the budget, after dp_fail naming file, the
 * line of the reference and the limit; DP_ENOMEM after dp_fail. On failure
 * the document is left valid but partly expanded: the caller drops it. */
int xmlu_expand_entities(dp_ctx *ctx, const char *file, xmlDocPtr doc, xmlu_budget *b);

#endif
