/* epub_writer: the book's lifetime and small helpers. */
#include "epub_book.h"

#include <libxml/hash.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *epubw_strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *epubw_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int add_item(epubw_book *b, const char *id, const char *href, const char *media_type,
                    const char *properties, unsigned char *data, const unsigned char *borrowed,
                    size_t len, int spine)
{
    if (DP_ARRAY_RESERVE(b->items, b->capitems, b->nitems + 1)) {
        free(data);
        return DP_ENOMEM;
    }
    epubw_item *it = &b->items[b->nitems];
    memset(it, 0, sizeof *it);
    it->id = epubw_strdup(id);
    it->href = epubw_strdup(href);
    it->media_type = epubw_strdup(media_type);
    it->properties = properties && *properties ? epubw_strdup(properties) : NULL;
    it->data = data;
    it->borrowed = borrowed;
    it->len = len;
    it->spine = spine;
    it->linear = 1;
    b->nitems++;
    if (!it->id || !it->href || !it->media_type || (properties && *properties && !it->properties))
        return DP_ENOMEM;
    return 0;
}

int epubw_add_item(epubw_book *b, const char *id, const char *href, const char *media_type,
                   const char *properties, unsigned char *data, size_t len, int spine)
{
    return add_item(b, id, href, media_type, properties, data, NULL, len, spine);
}

int epubw_add_item_borrowed(epubw_book *b, const char *id, const char *href, const char *media_type,
                            const char *properties, const unsigned char *data, size_t len)
{
    return add_item(b, id, href, media_type, properties, NULL, data, len, 0);
}

epubw_item *epubw_find_item(epubw_book *b, const char *href)
{
    for (size_t i = 0; i < b->nitems; i++)
        if (strcmp(b->items[i].href, href) == 0)
            return &b->items[i];
    return NULL;
}

const char *epubw_id_file(const epubw_book *b, const char *id)
{
    return b->id_files ? xmlHashLookup(b->id_files, (const xmlChar *)id) : NULL;
}

const char *epubw_resource_href(const epubw_book *b, const char *name)
{
    for (size_t i = 0; i < b->nres; i++)
        if (strcmp(b->res[i].res->name, name) == 0)
            return b->res[i].href;
    return NULL;
}

static void free_targets(epubw_target *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].label);
        free(t[i].fragment);
    }
    free(t);
}

void epubw_book_free(epubw_book *b)
{
    if (!b)
        return;
    epubw_body_end(b);
    dp_buf_free(b->template_text);
    free(b->title);
    free(b->file_lang);
    if (b->dcfile)
        xmlFreeDoc(b->dcfile);
    free(b->identifier);
    free(b->cover_image_href);
    free(b->notes_file);
    for (size_t i = 0; i < b->nchapters; i++) {
        free(b->chapters[i].file);
        free(b->chapters[i].title);
    }
    free(b->chapters);
    free_targets(b->toc, b->ntoc);
    free_targets(b->pages, b->npages);
    xmlHashFree(b->id_files, NULL);
    for (size_t i = 0; i < b->nres; i++)
        free(b->res[i].href);
    free(b->res);
    for (size_t i = 0; i < b->nitems; i++) {
        epubw_item *it = &b->items[i];
        free(it->id);
        free(it->href);
        free(it->media_type);
        free(it->properties);
        free(it->data);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}
