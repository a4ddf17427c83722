/* Small tables and predicates shared by the TEI reader and writer. */
#include "tei_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct pair {
    const char *a;
    const char *b;
} pair;

static const pair lang_names[] = {
    {"ar", "Arabic"},   {"bo", "Tibetan"}, {"cs", "Czech"},     {"de", "German"},   {"el", "Greek"},
    {"en", "English"},  {"es", "Spanish"}, {"fa", "Persian"},   {"fr", "French"},   {"he", "Hebrew"},
    {"hi", "Hindi"},    {"it", "Italian"}, {"ja", "Japanese"},  {"ko", "Korean"},   {"la", "Latin"},
    {"lzh", "Literary Chinese"}, {"mn", "Mongolian"}, {"nl", "Dutch"}, {"pl", "Polish"},
    {"pt", "Portuguese"}, {"ru", "Russian"}, {"sa", "Sanskrit"}, {"sv", "Swedish"}, {"th", "Thai"},
    {"tr", "Turkish"},  {"uk", "Ukrainian"}, {"ug", "Uyghur"},  {"vi", "Vietnamese"}, {"yue", "Cantonese"},
    {"zh", "Chinese"},
};

int tei_name_in(const char *name, const char *const *list)
{
    if (!name || !list)
        return 0;
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

const char *tei_lang_name(const char *tag)
{
    if (!tag)
        return NULL;
    size_t n = strcspn(tag, "-_");
    for (size_t i = 0; i < sizeof lang_names / sizeof lang_names[0]; i++)
        if (strlen(lang_names[i].a) == n && strncmp(lang_names[i].a, tag, n) == 0)
            return lang_names[i].b;
    return NULL;
}

/* MARC relator codes (https://id.loc.gov/vocabulary/relators) and the
 * phrase written in <resp>. The reader maps phrases back case-insensitively. */
static const pair roles[] = {
    {"trl", "translator"}, {"edt", "editor"},       {"aut", "author"},      {"ann", "annotator"},
    {"aui", "author of introduction"}, {"com", "compiler"}, {"ctb", "contributor"},
    {"ill", "illustrator"}, {"nrt", "narrator"},    {"pbl", "publisher"},   {"red", "redaktor"},
    {"rev", "reviewer"},   {"spk", "speaker"},      {"trc", "transcriber"}, {"mrk", "markup editor"},
    {"pfr", "proofreader"}, {"cor", "collection registrar"},
};

const char *tei_role_phrase(const char *code)
{
    for (size_t i = 0; code && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].a, code) == 0)
            return roles[i].b;
    return code;
}

static int starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return 0;
    return 1;
}

const char *tei_role_code(const char *phrase)
{
    if (!phrase)
        return NULL;
    while (isspace((unsigned char)*phrase))
        phrase++;
    /* "translated by", "Translation", "translator" all mean trl. */
    if (starts_ci(phrase, "transl"))
        return "trl";
    if (starts_ci(phrase, "edit"))
        return "edt";
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (starts_ci(phrase, roles[i].b) || (strlen(phrase) == 3 && starts_ci(phrase, roles[i].a)))
            return roles[i].a;
    return NULL;
}

/* Element names of TEI Lite P5 4.1.0, from ../shared/schemas/tei_lite.rng
 * (grep '<element name=' | sort -u). Sorted for bsearch. */
static const char *const lite_elements[] = {
    "TEI", "abbr", "add", "addName", "addSpan", "addrLine", "address", "affiliation", "am",
    "anchor", "argument", "att", "author", "authority", "availability", "back", "bibl", "biblScope",
    "bloc", "body", "byline", "catDesc", "catRef", "category", "cell", "certainty", "change",
    "choice", "cit", "classCode", "classDecl", "climate", "closer", "code", "corr", "country",
    "creation", "damage", "damageSpan", "date", "dateline", "del", "delSpan", "desc", "distributor",
    "district", "div", "divGen", "docAuthor", "docDate", "docEdition", "docImprint", "docTitle",
    "edition", "editionStmt", "editor", "editorialDecl", "eg", "emph", "encodingDesc", "epigraph",
    "event", "ex", "expan", "extent", "facsimile", "figDesc", "figure", "fileDesc", "foreign",
    "forename", "formula", "front", "funder", "fw", "gap", "genName", "geo", "geogFeat", "geogName",
    "gi", "gloss", "graphic", "group", "handNotes", "handShift", "head", "hi", "ident", "idno",
    "imprimatur", "index", "interp", "interpGrp", "item", "keywords", "l", "label", "langKnown",
    "langUsage", "language", "lb", "lg", "licence", "line", "list", "listBibl", "listEvent",
    "listNym", "listObject", "listOrg", "listPerson", "listPlace", "listRelation", "listTranspose",
    "location", "mentioned", "metamark", "milestone", "mod", "name", "nameLink", "note",
    "notesStmt", "num", "nym", "object", "objectIdentifier", "objectName", "offset", "opener",
    "org", "orgName", "orig", "p", "path", "pb", "pc", "persName", "person", "personGrp", "place",
    "placeName", "population", "postscript", "precision", "principal", "profileDesc", "projectDesc",
    "ptr", "pubPlace", "publicationStmt", "publisher", "q", "redo", "ref", "refsDecl", "reg",
    "region", "relatedItem", "relation", "resp", "respStmt", "respons", "restore", "retrace",
    "revisionDesc", "roleName", "row", "rs", "s", "salute", "samplingDecl", "secl", "seg",
    "seriesStmt", "settlement", "sic", "signed", "soCalled", "sourceDesc", "sourceDoc", "sp",
    "space", "speaker", "sponsor", "stage", "state", "subst", "substJoin", "supplied", "surface",
    "surfaceGrp", "surname", "surplus", "table", "taxonomy", "teiCorpus", "teiHeader", "term",
    "terrain", "text", "textClass", "time", "title", "titlePage", "titlePart", "titleStmt",
    "trailer", "trait", "transpose", "unclear", "undo", "val", "w", "zone",
};

static int cmp_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

int tei_lite_has(const char *name)
{
    return name && bsearch(name, lite_elements, sizeof lite_elements / sizeof lite_elements[0],
                           sizeof lite_elements[0], cmp_name) != NULL;
}

/* Element names of TEI P5 4.12.0 (tei_all), from ../shared/schemas/tei_all.rng
 * (grep '<element name=' | sort -u). Sorted for bsearch. */
static const char *const all_elements[] = {
    "TEI", "ab", "abbr", "abstract", "accMat", "acquisition", "activity", "actor", "add", "addName",
    "addSpan", "additional", "additions", "addrLine", "address", "adminInfo", "affiliation", "age",
    "alt", "altGrp", "altIdent", "altIdentifier", "alternate", "am", "analytic", "anchor",
    "annotation", "annotationBlock", "anyElement", "app", "appInfo", "application", "arc",
    "argument", "att", "attDef", "attList", "attRef", "author", "authority", "availability", "back",
    "bibl", "biblFull", "biblScope", "biblStruct", "bicond", "binary", "binaryObject", "binding",
    "bindingDesc", "birth", "bloc", "body", "broadcast", "byline", "c", "cRefPattern", "caesura",
    "calendar", "calendarDesc", "camera", "caption", "case", "castGroup", "castItem", "castList",
    "catDesc", "catRef", "catchwords", "category", "cb", "cell", "certainty", "change", "channel",
    "char", "charDecl", "choice", "cit", "citeData", "citeStructure", "citedRange", "cl",
    "classCode", "classDecl", "classRef", "classSpec", "classes", "climate", "closer", "code",
    "collation", "collection", "colloc", "colophon", "cond", "condition", "constitution",
    "constraint", "constraintDecl", "constraintSpec", "content", "conversion", "corr", "correction",
    "correspAction", "correspContext", "correspDesc", "country", "creation", "custEvent",
    "custodialHist", "damage", "damageSpan", "dataFacet", "dataRef", "dataSpec", "datatype", "date",
    "dateline", "death", "decoDesc", "decoNote", "def", "default", "defaultVal", "del", "delSpan",
    "depth", "derivation", "desc", "dictScrap", "dim", "dimensions", "distinct", "distributor",
    "district", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "divGen",
    "docAuthor", "docDate", "docEdition", "docImprint", "docTitle", "domain", "eLeaf", "eTree",
    "edition", "editionStmt", "editor", "editorialDecl", "education", "eg", "egXML", "elementRef",
    "elementSpec", "ellipsis", "email", "emph", "empty", "encodingDesc", "entry", "entryFree",
    "epigraph", "epilogue", "equipment", "equiv", "etym", "event", "eventName", "ex", "exemplum",
    "expan", "explicit", "extent", "f", "fDecl", "fDescr", "fLib", "facsimile", "factuality",
    "faith", "figDesc", "figure", "fileDesc", "filiation", "finalRubric", "floatingText", "floruit",
    "foliation", "foreign", "forename", "forest", "form", "formula", "front", "fs", "fsConstraints",
    "fsDecl", "fsDescr", "fsdDecl", "fsdLink", "funder", "fvLib", "fw", "g", "gap", "gb", "gen",
    "genName", "gender", "geo", "geoDecl", "geogFeat", "geogName", "gi", "gloss", "glyph", "gram",
    "gramGrp", "graph", "graphic", "group", "handDesc", "handNote", "handNotes", "handShift",
    "head", "headItem", "headLabel", "height", "heraldry", "hi", "history", "hom", "hyph",
    "hyphenation", "iNode", "iType", "ident", "idno", "if", "iff", "imprimatur", "imprint",
    "incident", "incipit", "index", "institution", "interaction", "interleave", "interp",
    "interpGrp", "interpretation", "item", "join", "joinGrp", "keywords", "kinesic", "l", "label",
    "lacunaEnd", "lacunaStart", "lang", "langKnowledge", "langKnown", "langUsage", "language",
    "layout", "layoutDesc", "lb", "lbl", "leaf", "lem", "lg", "licence", "line", "link", "linkGrp",
    "list", "listAnnotation", "listApp", "listBibl", "listChange", "listEvent", "listForest",
    "listNym", "listObject", "listOrg", "listPerson", "listPlace", "listPrefixDef", "listRef",
    "listRelation", "listTranspose", "listWit", "localProp", "locale", "location", "locus",
    "locusGrp", "m", "macroRef", "macroSpec", "mapping", "material", "measure", "measureGrp",
    "media", "meeting", "memberOf", "mentioned", "metDecl", "metSym", "metamark", "milestone",
    "mod", "model", "modelGrp", "modelSequence", "moduleRef", "moduleSpec", "monogr", "mood",
    "move", "msContents", "msDesc", "msFrag", "msIdentifier", "msItem", "msItemStruct", "msName",
    "msPart", "musicNotation", "name", "nameLink", "namespace", "nationality", "node",
    "normalization", "notatedMusic", "note", "noteGrp", "notesStmt", "num", "number", "numeric",
    "nym", "oRef", "object", "objectDesc", "objectIdentifier", "objectName", "objectType",
    "occupation", "offset", "opener", "org", "orgName", "orig", "origDate", "origPlace", "origin",
    "orth", "outputRendition", "p", "pRef", "param", "paramList", "paramSpec", "particDesc", "path",
    "pause", "pb", "pc", "per", "performance", "persName", "persPronouns", "person", "personGrp",
    "persona", "phr", "physDesc", "place", "placeName", "population", "pos", "post", "postBox",
    "postCode", "postscript", "precision", "prefixDef", "preparedness", "principal", "profileDesc",
    "projectDesc", "prologue", "pron", "provenance", "ptr", "pubPlace", "publicationStmt",
    "publisher", "punctuation", "purpose", "q", "quotation", "quote", "rb", "rdg", "rdgGrp",
    "recordHist", "recording", "recordingStmt", "redo", "ref", "refState", "refsDecl", "reg",
    "region", "relatedItem", "relation", "remarks", "rendition", "repository", "residence", "resp",
    "respStmt", "respons", "restore", "retrace", "revisionDesc", "rhyme", "role", "roleDesc",
    "roleName", "root", "row", "rs", "rt", "rubric", "ruby", "s", "said", "salute", "samplingDecl",
    "schemaRef", "schemaSpec", "scriptDesc", "scriptNote", "scriptStmt", "seal", "sealDesc",
    "secFol", "secl", "seg", "segmentation", "sense", "sequence", "series", "seriesStmt", "set",
    "setting", "settingDesc", "settlement", "sex", "shift", "sic", "signatures", "signed",
    "soCalled", "socecStatus", "sound", "source", "sourceDesc", "sourceDoc", "sp", "spGrp", "space",
    "span", "spanGrp", "speaker", "specDesc", "specGrp", "specGrpRef", "specList", "sponsor",
    "stage", "stamp", "standOff", "state", "stdVals", "street", "stress", "string", "styleDefDecl",
    "subc", "subst", "substJoin", "summary", "superEntry", "supplied", "support", "supportDesc",
    "surface", "surfaceGrp", "surname", "surplus", "surrogates", "syll", "symbol", "table", "tag",
    "tagUsage", "tagsDecl", "taxonomy", "tech", "teiCorpus", "teiHeader", "term", "terrain", "text",
    "textClass", "textDesc", "textLang", "textNode", "then", "time", "timeline", "title",
    "titlePage", "titlePart", "titleStmt", "tns", "trailer", "trait", "transcriptionDesc",
    "transpose", "tree", "triangle", "typeDesc", "typeNote", "u", "unclear", "undo", "unicodeProp",
    "unihanProp", "unit", "unitDecl", "unitDef", "usg", "vAlt", "vColl", "vDefault", "vLabel",
    "vMerge", "vNot", "vRange", "val", "valDesc", "valItem", "valList", "variantEncoding", "view",
    "vocal", "w", "watermark", "when", "width", "wit", "witDetail", "witEnd", "witStart", "witness",
    "writing", "xenoData", "xr", "zone",
};

int tei_all_has(const char *name)
{
    return name && bsearch(name, all_elements, sizeof all_elements / sizeof all_elements[0],
                           sizeof all_elements[0], cmp_name) != NULL;
}

int tei_is_iso_date(const char *s)
{
    /* xsd:date, gYearMonth, gYear or dateTime: a time needs its seconds */
    int f = dp_iso_date(s);
    return f && (!(f & DP_DATE_TIME) || (f & DP_DATE_SECONDS));
}

int tei_is_ncname(const char *s)
{
    if (!s || !*s)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    if (!(isalpha(*p) || *p == '_' || *p >= 0x80))
        return 0;
    for (p++; *p; p++)
        if (!(isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80))
            return 0;
    return 1;
}

int tei_is(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
        return 0;
    return n->ns == NULL || strcmp((const char *)n->ns->href, TEI_NS) == 0;
}

/* The node after n in a walk of top's subtree in document order (n's
 * children first), NULL when the walk is over: a loop, not a recursion,
 * whatever the depth. */
const xmlNode *tei_next_node(const xmlNode *n, const xmlNode *top)
{
    if (n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && n != top && !n->next)
        n = n->parent;
    return n && n != top ? n->next : NULL;
}

/* The direction a CSS @style declares ("direction: rtl"): "rtl", "ltr" or
 * NULL; rest gets the other declarations ("" when none), cut to cap. */
const char *tei_style_direction(const char *style, char *rest, size_t cap)
{
    const char *dir = NULL;
    size_t o = 0;
    if (cap)
        rest[0] = '\0';
    for (const char *p = style ? style : ""; *p;) {
        size_t n = strcspn(p, ";");
        const char *s = p, *e = p + n;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        const char *colon = memchr(s, ':', (size_t)(e - s));
        int is_dir = 0;
        if (colon) {
            const char *k = colon;
            while (k > s && isspace((unsigned char)k[-1]))
                k--;
            const char *v = colon + 1;
            while (v < e && isspace((unsigned char)*v))
                v++;
            if (k - s == 9 && strncasecmp(s, "direction", 9) == 0 && e - v == 3 &&
                (strncasecmp(v, "rtl", 3) == 0 || strncasecmp(v, "ltr", 3) == 0)) {
                dir = strncasecmp(v, "rtl", 3) == 0 ? "rtl" : "ltr";
                is_dir = 1;
            }
        }
        if (!is_dir && e > s && o + (size_t)(e - s) + 3 < cap) {
            o += (size_t)snprintf(rest + o, cap - o, "%s%.*s", o ? "; " : "", (int)(e - s), s);
        }
        p += n;
        if (*p == ';')
            p++;
    }
    return dir;
}
