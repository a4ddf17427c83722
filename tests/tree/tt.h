/* Tree-building helpers for the tree unit tests (checks: tests/common/check.h). */
#ifndef DOCPIPE_TESTS_TT_H
#define DOCPIPE_TESTS_TT_H

#include <docpipe/docpipe.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

/* Appends a new node of kind to parent; NULL (and a failed check) if refused. */
static inline dp_node *tt_add(dp_node *parent, dp_kind kind)
{
    dp_node *n = dp_node_new(dp_node_doc(parent), kind);
    if (!n || dp_node_append_child(parent, n) != DP_OK) {
        fprintf(stderr, "tt_add: %s refused in %s\n", dp_kind_name(kind), dp_kind_name(dp_node_kind(parent)));
        check_failures++;
        return NULL;
    }
    return n;
}

static inline dp_node *tt_text(dp_node *parent, const char *s)
{
    dp_node *n = dp_node_new_text(dp_node_doc(parent), DP_TEXT, s, strlen(s));
    if (!n || dp_node_append_child(parent, n) != DP_OK) {
        fprintf(stderr, "tt_text: refused in %s\n", dp_kind_name(dp_node_kind(parent)));
        check_failures++;
        return NULL;
    }
    return n;
}

#endif
