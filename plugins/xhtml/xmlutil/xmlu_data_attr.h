/* A tree attribute key that has no HTML attribute of its own travels as
 * data-KEY; the HTML writer makes the name and the HTML reader reads it
 * back. One file holds both directions so they stay each other's inverse. */
#ifndef DOCPIPE_XMLU_DATA_ATTR_H
#define DOCPIPE_XMLU_DATA_ATTR_H

/* "data-" + key as a data-* name valid in HTML and XHTML (lowercase XML
 * name characters, no colon). A key the TEI reader kept ("tei:NAME",
 * "tei:xml:space") is written so that it can be read back: its first colon
 * becomes "-", a later one ".", an uppercase letter "_" + its lowercase
 * ("tei:sameAs" -> "data-tei-same_as"); TEI names hold neither "_" nor ".".
 * Any other key: lowercased, other characters "-" (not read back). NULL when
 * out of memory; free() it. */
char *xmlu_data_attr_name(const char *key);

/* The tree key of a data-* attribute name when xmlu_data_attr_name made it
 * from a "tei:" key ("data-tei-same_as" -> "tei:sameAs"), else NULL (the
 * name stays the key); free() it. *oom is set when out of memory. */
char *xmlu_data_attr_key(const char *name, int *oom);

#endif
