/* One cmark-gfm parse at a time in this process.
 *
 * cmark-gfm keeps the table of "special" inline characters in a global
 * array, and a parser with syntax extensions adds the extensions' characters
 * ('w' and ':' for autolink, '~' for strikethrough, '$' for math) to it
 * before inline parsing and removes them after (in cmark_parser_finish, and
 * in the table extension's row parsing during cmark_parser_feed). Two
 * parsers running at once in two threads (`docpipe run --jobs N`) switch
 * each other's characters off mid-parse: autolinks, strikethrough and table
 * cells then come out as plain text, now and then, with no error. Holding
 * one lock over feed and finish keeps every parse whole; the rest of each
 * conversion (tree building, writing) still runs in parallel. */
#include "md_internal.h"

#include <pthread.h>

static pthread_mutex_t cmark_parse_lock = PTHREAD_MUTEX_INITIALIZER;

cmark_node *md_cmark_parse(cmark_parser *parser, const char *text, size_t len)
{
    pthread_mutex_lock(&cmark_parse_lock);
    cmark_parser_feed(parser, text, len);
    cmark_node *root = cmark_parser_finish(parser);
    pthread_mutex_unlock(&cmark_parse_lock);
    return root;
}
