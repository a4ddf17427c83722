/* Internals of the shared (X)HTML reader. */
#ifndef DOCPIPE_XR_INTERNAL_H
#define DOCPIPE_XR_INTERNAL_H

#include "xhtml_read.h"
#include "xmlu_chars.h"

#include <libxml/hash.h>

#define XR_OPS_NS "http://www.idpf.org/2007/ops"
/* Temporary attribute on a DIV that lost generated chrome (title block,
 * cover image, toc): removed by the tidy pass, with the DIV if it is empty. */
#define XR_CHROME_ATTR "docpipe-reader-chrome"

/* Per-element facts found by the pre-pass, hung on xmlNode._private (a field
 * libxml2 leaves to applications). Allocated from the document arena. */
enum {
    XR_SKIP = 1u << 0,      /* not mapped where it stands (note body, backlink, notes list chrome) */
    XR_NOTEREF = 1u << 1,   /* replaced by a DP_NOTE holding note_body */
    XR_NOTEBODY = 1u << 2,  /* the content of a note */
    XR_BODY_SELF = 1u << 3, /* note body maps itself (a <p>), not only its children */
    XR_TITLEBLOCK = 1u << 4 /* a writer's title block repeating the metadata */
};

typedef struct xr_info {
    unsigned flags;
    const char *id;        /* final, unique id of this element ("" never) */
    xmlNodePtr note_body;  /* XR_NOTEREF: the element holding the note */
    const char *label;     /* XR_NOTEREF: the reference's text ("1", "*") */
    dp_node *note;         /* XR_NOTEBODY: the DP_NOTE built from it */
    int note_state;        /* XR_NOTEBODY: 0 unread, 1 being read, 2 read */
    size_t file;           /* index of the file holding this element */
} xr_info;

typedef struct xr_file {
    xmlDocPtr xdoc;
    char *name;
    char *nav_title;
    int needs_anchor;      /* some link targets the file itself */
    dp_node *first_block;  /* first top-level block made from it */
    const char *anchor;    /* id links to the file point at */
    size_t last_walk;      /* the last file whose walk may read this one's DOM (xr_session_run) */
    size_t nodes;          /* libxml2 nodes in its DOM (counted by the prepass) */
} xr_file;

/* <a href="other#id"> from file `from` into file `to`: the walk looks the
 * target up in to's DOM, so to's DOM lives as long as from's content may be
 * read (xr_session_run frees each DOM once no later walk reads it). */
typedef struct xr_reference {
    size_t from, to;
} xr_reference;

typedef struct xr_pending_link {
    dp_node *link;
    size_t file;
    const char *fragment;  /* NULL: the file itself */
} xr_pending_link;

struct xr_session {
    dp_ctx *ctx;
    dp_doc *doc;
    xr_file *files;
    size_t nfiles, cap;
    xmlHashTablePtr file_by_name; /* file name -> its index + 1 (the first file of that name) */
    xmlHashTablePtr ids_by_key;  /* "file\x1fid" -> element */
    xmlHashTablePtr used_ids;    /* final ids in use -> (void *)1 */
    char *resource_base;
    char *generated_cover;
    xr_pending_link *pending;
    size_t npending, cappending;
    xr_reference *refs;          /* cross-file references found by the prepass */
    size_t nrefs, caprefs;
    int max_depth;
    int depth_warned;
};

/* xr_util.c */
xr_info *xr_info_get(xr_session *s, xmlNodePtr n);          /* creates */
static inline xr_info *xr_info_peek(xmlNodePtr n) { return n ? (xr_info *)n->_private : NULL; }
int xr_is_elem(xmlNodePtr n, const char *name);              /* case-insensitive local name */
const char *xr_name(xmlNodePtr n);                           /* local name, "" for non-elements */
char *xr_attr(xmlNodePtr n, const char *name);               /* xmlFree() it; NULL when absent */
char *xr_epub_type(xmlNodePtr n);                            /* epub:type (both parsers) */
int xr_attr_has_token(xmlNodePtr n, const char *attr, const char *token);
int xr_epub_type_has(xmlNodePtr n, const char *token);
/* The same for any of tokens (NULL-terminated): the value found and read once. */
int xr_attr_has_any(xmlNodePtr n, const char *attr, const char *const *tokens);
int xr_epub_type_has_any(xmlNodePtr n, const char *const *tokens);
int xr_has_attr(xmlNodePtr n, const char *name);
char *xr_xml_id(xmlNodePtr n);                               /* xml:id, the element's own (no DTD default) */
/* Text content of a subtree (iterative; entities decoded), malloc'd.
 * collapse: HTML whitespace collapsing + trim. */
char *xr_text_content(xmlNodePtr n, int collapse);
/* The entity's text for an undeclared entity reference (&nbsp; in XHTML
 * read without its DTD), or NULL. */
const char *xr_entity_text(xmlNodePtr ref, char buf[8]);
/* Next node of a pre-order walk bounded by root (NULL at the end);
 * skip_children: do not enter n. */
xmlNodePtr xr_next_in(xmlNodePtr root, xmlNodePtr n, int skip_children);
int xr_is_ws(const char *s);
char *xr_key(const char *file, const char *id); /* malloc'd "file\x1fid" */
/* Unique id for want in s->used_ids (registers it); arena string. */
const char *xr_unique_id(xr_session *s, const char *want);

/* "line 12" for the input itself (the core names it), "OEBPS/ch1.xhtml:12"
 * for a file inside it. */
const char *xr_loc(dp_ctx *ctx, const char *file, long line, char buf[320]);

/* xr_prepass.c */
int xr_prepass(xr_session *s);
/* Resolves an href met in file into (file index, fragment) within the session. */
int xr_resolve_internal(xr_session *s, size_t file, const char *href, size_t *tfile, char **fragment);
xmlNodePtr xr_find_id(xr_session *s, size_t file, const char *id);
xmlNodePtr xr_body(xmlDocPtr xdoc);

/* xr_walk.c */
int xr_walk_file(xr_session *s, size_t file);

/* xr_tidy.c */
int xr_tidy(xr_session *s);

#endif
