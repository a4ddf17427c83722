/* serialise MODE FILE...: the second part of the benchmark's floor
 * (bench/bench.py): what the output library's own serialiser costs to write
 * exactly docpipe's output. docpipe serialises with the libraries (the house
 * rule), so that cost is part of the least any converter built this way must
 * pay, beside the parse of its input (the first part of the floor).
 *
 * Each FILE (docpipe's output of a conversion) is read into the library's
 * tree, untimed; then the library writes the tree again, timed, into a sink
 * that counts the bytes and drops them. The same calls as docpipe's writers:
 *
 *   md     cmark-gfm parse (table, strikethrough, autolink, tasklist;
 *          footnotes, unsafe: plugins/markdown/md_read.c), then
 *          cmark_render_commonmark(doc, CMARK_OPT_UNSAFE, 0)
 *          (plugins/markdown/md_write.c)
 *   html   libxml2's HTML parser, then htmlDocContentDumpFormatOutput(ob,
 *          doc, "UTF-8", 0) into an xmlOutputBuffer
 *          (plugins/xhtml/write/xw_serialize.c, HTML5 flavour)
 *   xhtml  libxml2's XML parser, then xmlSaveDoc with XML_SAVE_NO_XHTML |
 *          XML_SAVE_AS_XML (EPUB content documents: plugins/epub/writer/
 *          epub_xml.c; the XHTML flavours of xw_serialize.c)
 *   xml    libxml2's XML parser, then xmlSaveDoc with no option
 *          (plugins/tei/tei_write.c)
 *
 * Prints one line: "wall_ms=W cpu_ms=C bytes=B files=N", the serialisation
 * alone summed over the files (CLOCK_MONOTONIC and
 * CLOCK_PROCESS_CPUTIME_ID), and the bytes written. The timed part is the
 * function serialise_tree, so `valgrind --tool=callgrind
 * --toggle-collect=serialise_tree` counts its instructions alone.
 * Built by bench/run.sh, not part of docpipe. */
#define _POSIX_C_SOURCE 200809L
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum mode { MODE_MD, MODE_HTML, MODE_XHTML, MODE_XML };

/* A parsed file: a cmark tree or a libxml2 document. */
struct tree {
    cmark_node *md;
    xmlDocPtr xml;
};

static size_t bytes_out; /* what the serialisers wrote, all files */

/* The sink: counts and drops (docpipe appends to its output buffer). */
static int count_bytes(void *ctx, const char *buf, int len)
{
    (void)ctx;
    (void)buf;
    bytes_out += (size_t)len;
    return len;
}

static int close_sink(void *ctx)
{
    (void)ctx;
    return 0;
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n;
    char *text = malloc(cap);
    *len = 0;
    while (text && (n = fread(text + *len, 1, cap - *len, f)) > 0) {
        *len += n;
        if (*len == cap) {
            char *t = realloc(text, cap *= 2);
            if (!t)
                free(text);
            text = t;
        }
    }
    fclose(f);
    return text;
}

/* Untimed: FILE into the library's tree, as docpipe's output reads back. */
static int parse_file(enum mode mode, const char *path, struct tree *t)
{
    memset(t, 0, sizeof *t);
    if (mode == MODE_HTML) {
        t->xml = htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
        return t->xml ? 0 : -1;
    }
    if (mode != MODE_MD) {
        t->xml = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
        return t->xml ? 0 : -1;
    }
    size_t len;
    char *text = read_whole(path, &len);
    if (!text)
        return -1;
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE);
    static const char *const exts[] = { "table", "strikethrough", "autolink", "tasklist" };
    for (size_t i = 0; p && i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(exts[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(p, ext);
    }
    if (p) {
        cmark_parser_feed(p, text, len);
        t->md = cmark_parser_finish(p);
        cmark_parser_free(p);
    }
    free(text);
    return t->md ? 0 : -1;
}

/* Timed: the library writes the tree. Not inlined, so that callgrind's
 * --toggle-collect can name it. */
__attribute__((noinline)) static int serialise_tree(enum mode mode, struct tree *t)
{
    if (mode == MODE_MD) {
        char *md = cmark_render_commonmark(t->md, CMARK_OPT_UNSAFE, 0);
        if (!md)
            return -1;
        bytes_out += strlen(md);
        free(md);
        return 0;
    }
    if (mode == MODE_HTML) {
        xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(count_bytes, close_sink, NULL, NULL);
        if (!ob)
            return -1;
        htmlDocContentDumpFormatOutput(ob, t->xml, "UTF-8", 0);
        return xmlOutputBufferClose(ob) < 0 ? -1 : 0;
    }
    int opts = mode == MODE_XHTML ? XML_SAVE_NO_XHTML | XML_SAVE_AS_XML : 0;
    xmlSaveCtxtPtr sc = xmlSaveToIO(count_bytes, close_sink, NULL, "UTF-8", opts);
    if (!sc)
        return -1;
    long w = xmlSaveDoc(sc, t->xml);
    return xmlSaveClose(sc) < 0 || w < 0 ? -1 : 0;
}

static double ms(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
    static const char *const names[] = { "md", "html", "xhtml", "xml" };
    int mode = -1;
    for (int i = 0; argc >= 3 && i < 4; i++)
        if (strcmp(argv[1], names[i]) == 0)
            mode = i;
    if (mode < 0) {
        fprintf(stderr, "usage: serialise md|html|xhtml|xml FILE...\n");
        return 2;
    }
    cmark_gfm_core_extensions_ensure_registered();
    xmlInitParser();
    double wall = 0, cpu = 0;
    for (int i = 2; i < argc; i++) {
        struct tree t;
        if (parse_file((enum mode)mode, argv[i], &t) != 0) {
            fprintf(stderr, "serialise: cannot read %s\n", argv[i]);
            return 1;
        }
        struct timespec w0, c0, w1, c1;
        clock_gettime(CLOCK_MONOTONIC, &w0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        int rc = serialise_tree((enum mode)mode, &t);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        clock_gettime(CLOCK_MONOTONIC, &w1);
        wall += ms(&w0, &w1);
        cpu += ms(&c0, &c1);
        if (t.md)
            cmark_node_free(t.md);
        if (t.xml)
            xmlFreeDoc(t.xml);
        if (rc != 0) {
            fprintf(stderr, "serialise: the library could not write %s\n", argv[i]);
            return 1;
        }
    }
    printf("wall_ms=%.3f cpu_ms=%.3f bytes=%zu files=%d\n", wall, cpu, bytes_out, argc - 2);
    xmlCleanupParser();
    return 0;
}
