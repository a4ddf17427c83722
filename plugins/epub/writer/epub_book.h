/* epub_writer: the book being built, shared by the files of the module.
 *
 * The export runs in three steps: plan (options, metadata, chapters, targets
 * for the toc and page list, resources), produce (every file of the
 * publication, as an item, in a fixed order) and pack (libzip). Items are
 * kept in the order they are zipped and listed in the manifest, so the
 * output is reproducible. */
#ifndef EPUBW_BOOK_H
#define EPUBW_BOOK_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>
#include <time.h>

#define EPUBW_PKG_DIR "EPUB/"   /* the folder of package.opf inside the zip */
#define EPUBW_CSS_HREF "css/docpipe.css"

enum epubw_notes { EPUBW_NOTES_CHAPTER = 0, EPUBW_NOTES_SECTION, EPUBW_NOTES_BOOK, EPUBW_NOTES_INLINE };
enum epubw_cover { EPUBW_COVER_NONE = 0, EPUBW_COVER_IMAGE, EPUBW_COVER_SVG };

/* One file of the publication (besides mimetype, container.xml and the OPF). */
typedef struct epubw_item {
    char *id;                    /* manifest id */
    char *href;                  /* relative to EPUBW_PKG_DIR */
    char *media_type;
    char *properties;            /* EPUB 3 manifest properties; NULL when none */
    unsigned char *data;         /* owned bytes, or NULL when borrowed is used */
    const unsigned char *borrowed; /* bytes owned by the document (resources) */
    size_t len;
    int spine;                   /* listed in the spine, in item order */
    int linear;                  /* spine itemref linear="yes" */
} epubw_item;

/* A run of top-level blocks that becomes one XHTML file. */
typedef struct epubw_chapter {
    const dp_node *first;   /* first block (NULL for an empty book) */
    const dp_node *stop;    /* first block of the next chapter, NULL at the end */
    const dp_node *heading; /* the heading that opens it, NULL when none */
    char *file;             /* "ch001.xhtml" */
    char *title;            /* plain text, never empty */
} epubw_chapter;

/* A navigation target: a toc entry (level 1..6) or a page (level 0). */
typedef struct epubw_target {
    int level;
    const dp_node *node;
    size_t chapter;  /* index into chapters */
    char *label;     /* the text shown in the toc / the page number */
    char *fragment;  /* element id in the chapter file; NULL = the file itself */
    int order;       /* document order, for the NCX playOrder */
} epubw_target;

/* A document resource placed in the container. */
typedef struct epubw_res {
    const dp_resource *res;
    char *href;      /* where it lives, relative to EPUBW_PKG_DIR */
} epubw_res;

typedef struct epubw_book {
    dp_ctx *ctx;
    const dp_doc *doc;
    const dp_meta *meta;

    /* options */
    int version;          /* 3 or 2 */
    int notes_mode;       /* enum epubw_notes */
    int split_level;      /* 0 = one file */
    int toc_depth;
    int title_page;
    int compression_level; /* deflate 1-9 */

    /* metadata resolved once */
    const char *lang;     /* BCP 47, never NULL ("und" when unknown) */
    const char *dir;      /* "rtl", "ltr" or NULL (unsaid: left to right) */
    xmlDocPtr dcfile;     /* the 'epub-metadata' file's elements, or NULL */
    char *file_lang;      /* its dc:language when the document has none */
    char *title;          /* plain text, never NULL */
    int generated_title;  /* title and lang made up by the writer (no metadata): */
    int generated_lang;   /* the package says so (EPUBW_GENERATED_META) */
    char *identifier;     /* from metadata, else urn:uuid derived from content */
    char modified[32];    /* YYYY-MM-DDThh:mm:ssZ */
    time_t epoch;         /* SOURCE_DATE_EPOCH, else now */

    int cover_kind;       /* enum epubw_cover */
    const dp_resource *cover_res;
    char *cover_image_href;  /* the cover picture (resource or generated svg) */
    const char *rendering_file; /* the file being rendered (link rewriting) */
    char href_buf[1024];     /* the last href returned to the XHTML writer */

    epubw_chapter *chapters;
    size_t nchapters, capchapters;
    epubw_target *toc;
    size_t ntoc, captoc;
    epubw_target *pages;
    size_t npages, cappages;
    void *id_files;       /* xmlHashTable: written id -> file holding it (a
                             chapter's or the notes file name, owned by b) */
    epubw_res *res;
    size_t nres, capres;
    epubw_item *items;
    size_t nitems, capitems;

    int has_images;       /* an IMAGE node or a cover picture: accessMode visual */
    int has_tables;
    int has_math;
    int has_notes;
    char *notes_file;     /* notes: book -> "notes.xhtml" */
    void *body;           /* state of epub_body.c */
    const char *template_path; /* option 'template' (epub_template.c), or NULL */
    dp_buf *template_text;     /* its text, read once */
} epubw_book;

/* epub_book.c: lifetime and small helpers. */
void epubw_book_free(epubw_book *b);
/* malloc'ed printf; NULL on failure. */
char *epubw_strf(const char *fmt, ...) DP_PRINTF(1, 2);
char *epubw_strdup(const char *s);
/* Adds a file. data is taken over (freed with the book) unless borrowed. */
int epubw_add_item(epubw_book *b, const char *id, const char *href, const char *media_type,
                   const char *properties, unsigned char *data, size_t len, int spine);
int epubw_add_item_borrowed(epubw_book *b, const char *id, const char *href, const char *media_type,
                            const char *properties, const unsigned char *data, size_t len);
epubw_item *epubw_find_item(epubw_book *b, const char *href);
/* The chapter file holding the element with this tree id, NULL if unknown. */
/* <meta name content="title language"> in the package: the values the
 * writer made up because EPUB requires them; the reader leaves them out of
 * the metadata so that a later conversion does not take them as authored. */
#define EPUBW_GENERATED_META "docpipe:generated"

const char *epubw_id_file(const epubw_book *b, const char *id);
/* The container href of a resource referenced from the tree, NULL if none. */
const char *epubw_resource_href(const epubw_book *b, const char *name);

/* epub_meta.c: options and metadata. */
int epubw_read_options(epubw_book *b, const char *format);
int epubw_resolve_metadata(epubw_book *b);

/* epub_dcfile.c: the 'epub-metadata' option (pandoc's --epub-metadata). */
int epubw_dcfile_load(epubw_book *b);
/* The text of the file's first dc:NAME (malloc'd), or NULL. */
char *epubw_dcfile_text(const epubw_book *b, const char *name);
/* Adds the file's dc: elements the package lacks to <metadata>. */
void epubw_dcfile_apply(epubw_book *b, xmlNodePtr md, xmlNsPtr dc);
/* ISO 8601 / W3CDTF date check (YYYY, YYYY-MM, YYYY-MM-DD, optional time). */
int epubw_is_w3cdtf(const char *s);

/* epub_plan.c: epubw_split makes the chapters (before the XHTML writer is
 * created); epubw_plan the navigation targets, id locations and resources. */
int epubw_split(epubw_book *b);
int epubw_plan(epubw_book *b);

/* epub_xml.c: XHTML skeletons and serialisation. */
#define EPUBW_NS_XHTML "http://www.w3.org/1999/xhtml"
#define EPUBW_NS_OPS "http://www.idpf.org/2007/ops"
#define EPUBW_NS_OPF "http://www.idpf.org/2007/opf"
#define EPUBW_NS_DC "http://purl.org/dc/elements/1.1/"
#define EPUBW_NS_NCX "http://www.daisy.org/z3986/2005/ncx/"
#define EPUBW_NS_SVG "http://www.w3.org/2000/svg"
/* A new XHTML document with head (title, stylesheets) and an empty body. */
xmlDocPtr epubw_xhtml_new(const epubw_book *b, const char *title, const char *lang, int with_css,
                          xmlNodePtr *body_out);
/* Adds an element child in the parent's namespace; text may be NULL. */
xmlNodePtr epubw_el(xmlNodePtr parent, const char *name, const char *text);
/* epub:type (EPUB 3 only) plus the matching DPUB-ARIA role (role may be NULL). */
void epubw_semantic(const epubw_book *b, xmlNodePtr el, const char *epub_type, const char *role);
/* Sets lang and xml:lang (EPUB 3), xml:lang only (EPUB 2). */
void epubw_set_lang(const epubw_book *b, xmlNodePtr el, const char *lang);
/* Marks an element holding the writer's own English words as English when
 * the book is in another language. */
void epubw_english_label(const epubw_book *b, xmlNodePtr el);
/* Serialises a document (UTF-8, XML declaration) after removing the
 * characters XML forbids (warning naming the file "name"); format = indent (never
 * for XHTML content, where whitespace is text). Frees nothing. */
int epubw_xml_dump(const epubw_book *b, xmlDocPtr doc, const char *name, int format, unsigned char **data,
                   size_t *len);
/* Serialises doc into a new item and frees doc. */
int epubw_add_xml_item(epubw_book *b, xmlDocPtr doc, int format, const char *id, const char *href,
                       const char *media_type, const char *properties, int spine);

/* epub_fixup.c: the last pass over a page before it is serialised
 * (references to container files, manifest properties into props). */
int epubw_finish_page(epubw_book *b, xmlDocPtr doc, const char *page, char *props, size_t propsz);
int epubw_is_chapter_file(const epubw_book *b, const char *file);

/* epub_prefix.c: every vocabulary prefix used in a page's epub:type is
 * declared in its epub:prefix, or the token dropped with a warning. */
int epubw_declare_prefixes(epubw_book *b, xmlDocPtr doc, const char *page);

/* epub_body.c: chapter bodies and notes through the shared XHTML writer. */
int epubw_body_begin(epubw_book *b);
/* The id written for a node (NULL when none); valid after epubw_body_begin. */
const char *epubw_body_node_id(const epubw_book *b, const dp_node *node);
/* Title block (title, subtitle, bylines) from the metadata. */
int epubw_body_title_block(epubw_book *b, xmlNodePtr container);
int epubw_body_chapter(epubw_book *b, size_t chapter, xmlNodePtr container);
/* notes: book: renders the collected notes; *any = 0 when there were none. */
int epubw_body_book_notes(epubw_book *b, xmlNodePtr container, int *any);
void epubw_body_end(epubw_book *b);

/* epub_pages.c: cover, title page, chapters, notes file. */
int epubw_make_cover(epubw_book *b);
int epubw_make_title_page(epubw_book *b);
int epubw_make_chapters(epubw_book *b);
int epubw_make_resources(epubw_book *b);
int epubw_make_css(epubw_book *b);

/* epub_template.c: option 'template' for the content pages. _load reads
 * the file (nothing when unset); _apply renders it for one page and puts the
 * page's built body into it, replacing *page_doc (an input error naming the
 * template's line when the result is not well-formed XHTML). */
int epubw_template_load(epubw_book *b);
int epubw_template_apply(epubw_book *b, xmlDocPtr *page_doc, xmlNodePtr body, const char *page,
                         const char *pagetitle, const char *body_type);

/* epub_nav.c */
int epubw_make_nav(epubw_book *b);
int epubw_make_ncx(epubw_book *b);

/* epub_opf.c */
int epubw_make_opf(epubw_book *b, unsigned char **data, size_t *len);

/* epub_zip.c: the container into out. */
int epubw_zip(epubw_book *b, const unsigned char *opf, size_t opf_len, dp_buf *out);

#endif
