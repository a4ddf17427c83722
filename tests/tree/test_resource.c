/* Resources: copied bytes, lookup by name, replacement keeps the slot. */
#include "tt.h"

#include <stdlib.h>

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    CHECK_INT(dp_doc_resource_count(doc), 0);
    unsigned char png[4] = {0x89, 'P', 'N', 'G'};
    CHECK(dp_doc_add_resource(doc, "images/a.png", "image/png", png, sizeof png) == DP_OK);
    png[0] = 0;
    CHECK(dp_doc_add_resource(doc, "style.css", "text/css", "p{}", 3) == DP_OK);
    CHECK_INT(dp_doc_resource_count(doc), 2);
    const dp_resource *r = dp_doc_resource_find(doc, "images/a.png");
    REQUIRE(r);
    CHECK_STR(r->mime, "image/png");
    CHECK_INT(r->len, 4);
    CHECK(r->data[0] == 0x89); /* copied, not referenced */
    CHECK(dp_doc_resource_find(doc, "nope.png") == NULL);
    CHECK_STR(dp_doc_resource_at(doc, 1)->name, "style.css");
    CHECK(dp_doc_resource_at(doc, 2) == NULL);

    /* replace: same slot, new bytes */
    CHECK(dp_doc_add_resource(doc, "images/a.png", "image/png", "XY", 2) == DP_OK);
    CHECK_INT(dp_doc_resource_count(doc), 2);
    CHECK_STR(dp_doc_resource_at(doc, 0)->name, "images/a.png");
    CHECK_INT(dp_doc_resource_at(doc, 0)->len, 2);
    CHECK(memcmp(dp_doc_resource_at(doc, 0)->data, "XY", 2) == 0);

    /* big and empty resources, many of them */
    size_t big = 3u * 1024u * 1024u;
    unsigned char *blob = calloc(1, big);
    REQUIRE(blob);
    blob[big - 1] = 0x42;
    CHECK(dp_doc_add_resource(doc, "font.woff2", "font/woff2", blob, big) == DP_OK);
    free(blob);
    CHECK(dp_doc_resource_find(doc, "font.woff2")->data[big - 1] == 0x42);
    CHECK(dp_doc_add_resource(doc, "empty.txt", NULL, NULL, 0) == DP_OK);
    CHECK_STR(dp_doc_resource_find(doc, "empty.txt")->mime, "application/octet-stream");
    for (int i = 0; i < 100; i++) {
        char name[32];
        snprintf(name, sizeof name, "img%d.png", i);
        CHECK(dp_doc_add_resource(doc, name, "image/png", name, strlen(name)) == DP_OK);
    }
    CHECK_INT(dp_doc_resource_count(doc), 104);
    CHECK(memcmp(dp_doc_resource_find(doc, "img57.png")->data, "img57.png", 9) == 0);

    /* refusals */
    CHECK(dp_doc_add_resource(doc, "", "x", "a", 1) == DP_EINVAL);
    CHECK(dp_doc_add_resource(doc, NULL, "x", "a", 1) == DP_EINVAL);
    CHECK(dp_doc_add_resource(doc, "x", "x", NULL, 1) == DP_EINVAL);
    CHECK(dp_doc_add_resource(NULL, "x", "x", "a", 1) == DP_EINVAL);
    CHECK_INT(dp_doc_resource_count(NULL), 0);

    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    dp_doc_free(doc);
    CHECK_EXIT();
}
