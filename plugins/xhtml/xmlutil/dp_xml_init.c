/* See dp_xml_init.h. The once flag lives in this static library, so each
 * plugin module linking it has its own copy: within a module xmlInitParser()
 * runs once; two modules initialising at the same moment are serialised by
 * libxml2's own global-init mutex (xmlInitParser takes it around the set-up
 * in libxml2 >= 2.9), which is safe once no other libxml2 call can race the
 * set-up - and none can, since every entry point calls dp_xml_init() first. */
#include <pthread.h>

#include <libxml/parser.h>

#include "dp_xml_init.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void dp_xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}
