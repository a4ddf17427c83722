/* Once-per-process libxml2 initialisation for the plugins that use libxml2
 * (HTML and EPUB reader/writer through plugins/xhtml, TEI). */
#ifndef DOCPIPE_XML_INIT_H
#define DOCPIPE_XML_INIT_H

/* Calls xmlInitParser() once, whatever the number of threads calling.
 * Every importer/exporter entry point that touches libxml2 calls this
 * first: the runner may call an entry point from several threads at once
 * (docs/PLUGINS.md), and libxml2 sets up its globals lazily and not
 * thread-safely on first use unless xmlInitParser() ran before. */
void dp_xml_init(void);

#endif
