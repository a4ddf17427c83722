/* The ENTER/EXIT iterator: order, leaves, empty containers, skip_children,
 * sub-tree roots; and plain text built on it. */
#include "tt.h"

/* Records the walk as "+kind" (ENTER) and "-kind" (EXIT). */
static void walk(const dp_node *root, char *out, size_t size, const char *skip_kind)
{
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    out[0] = '\0';
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        char one[64];
        snprintf(one, sizeof one, "%s%c%s", out[0] ? " " : "", ev == DP_EV_ENTER ? '+' : '-',
                 dp_kind_name(dp_node_kind(n)));
        strncat(out, one, size - strlen(out) - 1);
        if (ev == DP_EV_ENTER && skip_kind && strcmp(dp_kind_name(dp_node_kind(n)), skip_kind) == 0)
            dp_iter_skip_children(&it);
    }
    /* DONE is sticky */
    if (dp_iter_next(&it) != DP_EV_DONE)
        check_failures++;
}

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    dp_node *root = dp_doc_root(doc);
    dp_node *h = tt_add(root, DP_HEADING);
    tt_text(h, "Title");
    dp_node *p = tt_add(root, DP_PARA);
    tt_text(p, "a");
    dp_node *em = tt_add(p, DP_EMPH);
    tt_text(em, "b");
    tt_add(p, DP_SOFT_BREAK);
    dp_node *note = tt_add(p, DP_NOTE);
    dp_node *np = tt_add(note, DP_PARA);
    tt_text(np, "note text");
    tt_add(root, DP_DIV); /* empty container */
    tt_add(root, DP_THEMATIC_BREAK);
    dp_node *code = dp_node_new_text(doc, DP_CODE_BLOCK, "x = 1", 5);
    CHECK(dp_node_append_child(root, code) == DP_OK);

    char out[1024];
    walk(root, out, sizeof out, NULL);
    CHECK_STR(out, "+root +heading +text -heading +para +text +emph +text -emph +soft_break +note +para +text "
                   "-para -note -para +div -div +thematic_break +code_block -root");

    /* skip_children: the next event is the EXIT of the node just entered */
    walk(root, out, sizeof out, "note");
    CHECK_STR(out, "+root +heading +text -heading +para +text +emph +text -emph +soft_break +note -note "
                   "-para +div -div +thematic_break +code_block -root");
    walk(root, out, sizeof out, "root");
    CHECK_STR(out, "+root -root");
    /* skipping a leaf is a no-op */
    walk(root, out, sizeof out, "text");
    CHECK(strstr(out, "+heading +text -heading") != NULL);

    /* A sub-tree walk stays inside it. */
    walk(em, out, sizeof out, NULL);
    CHECK_STR(out, "+emph +text -emph");
    walk(code, out, sizeof out, NULL);
    CHECK_STR(out, "+code_block");
    walk(NULL, out, sizeof out, NULL);
    CHECK_STR(out, "");

    /* Modifying children on ENTER is safe: replace the note's content. */
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    int saw_new = 0;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_NOTE) {
            dp_node_unlink(dp_node_first_child(n));
            dp_node *plain = tt_add(n, DP_PLAIN);
            tt_text(plain, "replaced");
        }
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT && strcmp(dp_node_text(n), "replaced") == 0)
            saw_new = 1;
    }
    CHECK(saw_new);

    /* Plain text: breaks as spaces, notes optional, blocks on lines. */
    CHECK_STR(dp_node_plain_text(p, 0), "ab replaced");
    CHECK_STR(dp_node_plain_text(p, 1), "ab ");
    CHECK_STR(dp_node_plain_text(root, 1), "Title\nab \nx = 1");
    CHECK_STR(dp_node_plain_text(h, 0), "Title");

    dp_doc_free(doc);
    CHECK_EXIT();
}
