/* epub_writer: options, and the metadata every file needs (language, title,
 * identifier, modification time, cover choice), resolved once. */
#include "epub_book.h"

#include <errno.h>
/* SHA1_Init and friends are deprecated in OpenSSL 3; see book_sha1() */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int epubw_read_options(epubw_book *b, const char *format)
{
    const char *v = dp_opt_string(b->ctx, "version");
    if (v && *v)
        b->version = strcmp(v, "2") == 0 ? 2 : 3;
    else
        b->version = strcmp(format, "epub2") == 0 ? 2 : 3;

    const char *notes = dp_opt_string(b->ctx, "notes");
    if (notes && (strcmp(notes, "book") == 0 || strcmp(notes, "end") == 0))
        b->notes_mode = EPUBW_NOTES_BOOK;
    else if (notes && strcmp(notes, "inline") == 0)
        b->notes_mode = EPUBW_NOTES_INLINE;
    else if (notes && strcmp(notes, "section") == 0)
        b->notes_mode = EPUBW_NOTES_SECTION;
    else
        b->notes_mode = EPUBW_NOTES_CHAPTER;

    long split = dp_opt_int(b->ctx, "split-level");
    if (split < 0 || split > 6)
        return dp_fail(b->ctx, DP_ECONFIG, NULL, 0, 0,
                       "epub: split-level must be 0 (one file) to 6, not %ld", split);
    b->split_level = (int)split;
    long depth = dp_opt_int(b->ctx, "toc-depth");
    if (depth < 1 || depth > 6)
        return dp_fail(b->ctx, DP_ECONFIG, NULL, 0, 0, "epub: toc-depth must be 1 to 6, not %ld", depth);
    b->toc_depth = (int)depth;
    long level = dp_opt_int(b->ctx, "compression-level");
    if (level < 1 || level > 9)
        return dp_fail(b->ctx, DP_ECONFIG, NULL, 0, 0, "epub: compression-level must be 1 to 9, not %ld", level);
    b->compression_level = (int)level;
    b->title_page = dp_opt_bool(b->ctx, "title-page");
    return 0;
}

int epubw_is_w3cdtf(const char *s)
{
    /* W3CDTF: a time is hh:mm with optional seconds, and needs its zone */
    int f = dp_iso_date(s);
    return f && (!(f & DP_DATE_TIME) || (f & DP_DATE_ZONE));
}

/* SOURCE_DATE_EPOCH (reproducible builds) or the current time. */
static void resolve_time(epubw_book *b)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    b->epoch = time(NULL);
    if (env && *env) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        if (errno || !end || *end || v < 315532800LL || v > 4102444799LL)
            dp_warn(b->ctx, "epub: SOURCE_DATE_EPOCH='%s' is not a time between 1980 and 2099; "
                            "using the current time", env);
        else
            b->epoch = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&b->epoch, &tm);
    strftime(b->modified, sizeof b->modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* SHA-1 of the namespace, the title and the text.  OpenSSL 3's EVP interface
 * (and its one-call SHA1(), which is built on it) fetches the digest from a
 * provider, and the first fetch in a process initialises the library: it
 * reads openssl.cnf and builds its name tables.  callgrind measured that at
 * 5.3 M instructions, plus 0.7 M for the cleanup at exit, a fifth of
 * converting the speech to EPUB, for a 20-byte digest.  The SHA1_* functions
 * compute the digest directly (7 K instructions); OpenSSL 3 deprecates them
 * but still ships them, so they are used wherever the library has them. */
static int book_sha1(const unsigned char ns[16], const char *title, const char *text,
                     unsigned char md[EVP_MAX_MD_SIZE])
{
#ifndef OPENSSL_NO_DEPRECATED_3_0
    SHA_CTX c;
    return SHA1_Init(&c) && SHA1_Update(&c, ns, 16) && SHA1_Update(&c, title, strlen(title)) &&
           SHA1_Update(&c, "\n", 1) && SHA1_Update(&c, text, strlen(text)) && SHA1_Final(md, &c);
#else
    unsigned int mdlen = 0;
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    if (!mc)
        return 0;
    int ok = EVP_DigestInit_ex(mc, EVP_sha1(), NULL) && EVP_DigestUpdate(mc, ns, 16) &&
             EVP_DigestUpdate(mc, title, strlen(title)) && EVP_DigestUpdate(mc, "\n", 1) &&
             EVP_DigestUpdate(mc, text, strlen(text)) && EVP_DigestFinal_ex(mc, md, &mdlen);
    EVP_MD_CTX_free(mc);
    return ok && mdlen >= 16;
#endif
}

/* A name-based UUID (RFC 4122 version 5, SHA-1) of the title and the text:
 * the same book always gets the same identifier, another book another one. */
static char *derive_identifier(epubw_book *b)
{
    /* docpipe's namespace for derived book identifiers (a fixed random UUID) */
    static const unsigned char ns[16] = {0x5b, 0x1e, 0x0c, 0x52, 0x8f, 0x3a, 0x4e, 0x71,
                                         0x9d, 0x20, 0x6c, 0x4b, 0x2f, 0x8e, 0x11, 0xa3};
    const char *text = dp_node_plain_text(dp_doc_root(b->doc), 0);
    unsigned char md[EVP_MAX_MD_SIZE];
    if (!book_sha1(ns, b->title, text ? text : "", md))
        return NULL;
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    return epubw_strf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                      md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10],
                      md[11], md[12], md[13], md[14], md[15]);
}

static int is_cover_mime(const char *mime)
{
    return mime && (strcmp(mime, "image/jpeg") == 0 || strcmp(mime, "image/png") == 0 ||
                    strcmp(mime, "image/gif") == 0 || strcmp(mime, "image/svg+xml") == 0);
}

static void resolve_cover(epubw_book *b)
{
    const char *opt = dp_opt_string(b->ctx, "cover");
    const char *meta_cover = dp_meta_get_text(b->meta, "cover-image");
    const char *want = NULL;
    if (opt && strcmp(opt, "none") == 0) {
        b->cover_kind = EPUBW_COVER_NONE;
        return;
    }
    if (opt && strcmp(opt, "generate") == 0) {
        b->cover_kind = EPUBW_COVER_SVG;
        return;
    }
    want = (opt && *opt) ? opt : meta_cover;
    b->cover_kind = EPUBW_COVER_SVG;
    if (!want || !*want)
        return;
    const dp_resource *r = dp_doc_resource_find(b->doc, want);
    if (!r)
        dp_warn(b->ctx, "epub: cover image '%s' is not among the document's resources; "
                        "a typographic cover is generated instead", want);
    else if (!is_cover_mime(r->mime))
        dp_warn(b->ctx, "epub: cover image '%s' has type %s, not JPEG, PNG, GIF or SVG; "
                        "a typographic cover is generated instead", want, r->mime ? r->mime : "(none)");
    else {
        b->cover_kind = EPUBW_COVER_IMAGE;
        b->cover_res = r;
    }
}

static const dp_node *first_heading(const dp_doc *doc)
{
    for (const dp_node *n = dp_node_first_child(dp_doc_root(doc)); n; n = dp_node_next(n))
        if (dp_node_kind(n) == DP_HEADING)
            return n;
    return NULL;
}

int epubw_resolve_metadata(epubw_book *b)
{
    b->meta = dp_doc_meta(b->doc);
    int rc = epubw_dcfile_load(b);
    if (rc)
        return rc;
    const char *lang = dp_opt_string(b->ctx, "language");
    if (!lang || !*lang)
        lang = dp_meta_agreed_text(b->meta, "language");
    char *file_lang = (!lang || !*lang) ? epubw_dcfile_text(b, "language") : NULL;
    if (file_lang) {
        /* pandoc's --epub-metadata file: its dc:language (freed with the book) */
        b->file_lang = file_lang;
        lang = file_lang;
    }
    if (!lang || !*lang) {
        /* EPUB needs a language: "und" (BCP 47 undetermined) says honestly
         * that nobody gave one, and the package marks it generated (see
         * epub_opf.c), so that reading the book back invents none */
        dp_warn(b->ctx, "epub: no language (metadata 'language'): using \"und\" (undetermined); "
                        "set it with the 'language' option or in the metadata");
        lang = "und";
        b->generated_lang = 1;
    }
    b->lang = lang;
    int guessed = 0;
    b->dir = dp_doc_direction(b->doc, &guessed);
    if (!b->dir && dp_lang_is_rtl(b->lang)) /* the language option's script */
        b->dir = "rtl";
    if (guessed)
        dp_warn(b->ctx, "epub: no direction or language declared and the text is mostly of a right-to-left "
                        "script: written right to left (set 'dir' in the metadata to say so)");

    const char *title = dp_meta_get_text(b->meta, "title");
    char *file_title = NULL;
    if (title && *title)
        b->title = epubw_strdup(title);
    else if ((file_title = epubw_dcfile_text(b, "title")) != NULL)
        b->title = file_title;
    else {
        /* the best real source: the first heading; marked generated */
        const dp_node *h = first_heading(b->doc);
        const char *ht = h ? dp_node_plain_text(h, 1) : NULL;
        if (ht && *ht)
            dp_warn(b->ctx, "epub: no title: using the first heading \"%s\"", ht);
        else
            dp_warn(b->ctx, "epub: no title and no heading: using \"Untitled\"");
        b->title = epubw_strdup(ht && *ht ? ht : "Untitled");
        b->generated_title = 1;
        /* a title page would show the made-up title as if the author had
         * given it (and read back, add it to the text) */
        if (b->title_page && !dp_opt_is_set(b->ctx, "title-page"))
            b->title_page = 0;
    }
    if (!b->title)
        return DP_ENOMEM;

    resolve_time(b);

    /* several identifiers: the first is the book's own */
    const dp_meta *ids = dp_meta_get(b->meta, "identifier");
    const char *id = dp_meta_len(ids) ? dp_meta_text(dp_meta_at(ids, 0)) : NULL;
    if (dp_meta_len(ids) > 1)
        dp_warn(b->ctx, "epub: metadata 'identifier' has %zu values; the first identifies the book, "
                        "the others are not written", dp_meta_len(ids));
    char *file_id = (id && *id) ? NULL : epubw_dcfile_text(b, "identifier");
    b->identifier = (id && *id) ? epubw_strdup(id) : file_id ? file_id : derive_identifier(b);
    if (!b->identifier)
        return DP_ENOMEM;

    resolve_cover(b);
    return 0;
}
