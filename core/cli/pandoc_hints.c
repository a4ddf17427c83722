/* What the command line says to someone whose hands know pandoc: an unknown
 * option gets "did you mean", a pandoc option docpipe lacks is named as such
 * with docs/PANDOC.md, and pandoc's --list-* options list docpipe's names. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* pandoc options with no docpipe spelling: what to do instead (or why not).
 * The whole table, with the options docpipe does take, is docs/PANDOC.md. */
static const struct {
    const char *name;
    const char *instead;
} pandoc_only[] = {
    {"citeproc", "not supported: docpipe keeps citations but does not format them"},
    {"bibliography", "not supported: docpipe keeps citations but does not format them"},
    {"csl", "not supported: docpipe keeps citations but does not format them"},
    {"cite-method", "not supported: docpipe keeps citations but does not format them"},
    {"natbib", "not supported: docpipe keeps citations but does not format them"},
    {"biblatex", "not supported: docpipe keeps citations but does not format them"},
    {"defaults", "not supported: a docpipe pipeline config (docpipe run CONFIG.yaml) does this"},
    {"lua-filter", "not supported: docpipe runs JSON filters (--filter), not Lua ones"},
    {"pdf-engine", "not supported: docpipe writes no PDF"},
    {"pdf-engine-opt", "not supported: docpipe writes no PDF"},
    {"reference-doc", "not supported: docpipe writes no DOCX/ODT"},
    {"highlight-style", "not supported: docpipe does not highlight code"},
    {"no-highlight", "not needed: docpipe does not highlight code"},
    {"syntax-definition", "not supported: docpipe does not highlight code"},
    {"mathjax", "not supported: math is kept as TeX source"},
    {"mathml", "not supported: math is kept as TeX source"},
    {"katex", "not supported: math is kept as TeX source"},
    {"webtex", "not supported: math is kept as TeX source"},
    {"gladtex", "not supported: math is kept as TeX source"},
    {"include-in-header", "not supported: put it in a template (--template FILE)"},
    {"include-before-body", "not supported: put it in a template (--template FILE)"},
    {"include-after-body", "not supported: put it in a template (--template FILE)"},
    {"data-dir", "not supported: plugins are found with --plugin-dir"},
    {"resource-path", "not supported: images are found next to the input"},
    {"section-divs", "is -O section-divs=true here (HTML writer)"},
    {"id-prefix", "is -O id-prefix=PREFIX here (HTML writer)"},
    {"epub-chapter-level", "is -O split-level=N here (EPUB writer)"},
    {"split-level", "is -O split-level=N here (EPUB writer)"},
    {"epub-title-page", "is -O title-page=true|false here (EPUB writer)"},
    {"epub-embed-font", "not supported: give a stylesheet with -O css=FILE"},
    {"epub-subdirectory", "not supported: the EPUB layout is fixed"},
    {"number-offset", "not supported"},
    {"top-level-division", "not supported"},
    {"reference-links", "not supported: the Markdown writer writes inline links"},
    {"reference-location", "not supported: notes are placed by -O notes=... (HTML, EPUB, TEI writers)"},
    {"markdown-headings", "not supported: the Markdown writer writes ATX headings"},
    {"atx-headers", "not needed: the Markdown writer writes ATX headings"},
    {"ascii", "not supported: output is UTF-8"},
    {"eol", "not supported: lines end with LF"},
    {"tab-stop", "not supported"},
    {"preserve-tabs", "not needed: tabs in code are kept"},
    {"file-scope", "not supported: one input at a time ('docpipe run' for batches)"},
    {"abbreviations", "not supported"},
    {"default-image-extension", "not supported"},
    {"indented-code-classes", "not supported"},
    {"strip-comments", "not supported"},
    {"trace", "not supported: use --verbose"},
    {"log", "not supported: messages go to standard error"},
    {"sandbox", "not needed: docpipe never fetches anything"},
    {"request-header", "not needed: docpipe never fetches anything"},
    {"no-check-certificate", "not needed: docpipe never fetches anything"},
    {"email-obfuscation", "not supported"},
    {"html-q-tags", "not needed: the HTML writer writes <q> for quoted text"},
    {"incremental", "not supported: docpipe writes no slides"},
    {"slide-level", "not supported: docpipe writes no slides"},
    {"listings", "not supported: docpipe writes no LaTeX"},
    {"dpi", "not supported"},
    {"ipynb-output", "not supported"},
    {"chunk-template", "not supported"},
    {"track-changes", "not supported: docpipe reads no DOCX"},
    {"base-header-level", "is --shift-heading-level-by=N (pandoc's newer spelling)"},
    {"dump-args", "not supported"},
    {"ignore-args", "not supported"},
    {"print-highlight-style", "not supported"},
    {"list-highlight-languages", "not supported"},
    {"list-highlight-styles", "not supported"},
    {NULL, NULL}};

/* Levenshtein distance of two short option names (capped at 64 chars). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[65];
    if (la > 64 || lb > 64)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

void cli_unknown_option(const char *arg, const struct option *longopts, const char *subcommand)
{
    char name[128];
    const char *best = NULL;
    size_t best_d = 3, i, n;
    const char *where = subcommand ? subcommand : "";
    if (strncmp(arg, "--", 2) != 0) {
        cli_usage_error("unknown option %s%s", arg, where);
        return;
    }
    n = strcspn(arg + 2, "=");
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), arg + 2);
    for (i = 0; pandoc_only[i].name; i++)
        if (strcmp(name, pandoc_only[i].name) == 0) {
            cli_usage_error("pandoc's --%s %s%s; see docs/PANDOC.md", name,
                            strncmp(pandoc_only[i].instead, "is ", 3) == 0 ? "" : "is ", pandoc_only[i].instead);
            return;
        }
    /* the nearest of ours within two edits; ties go to the first listed */
    for (i = 0; longopts[i].name; i++) {
        size_t d = distance(name, longopts[i].name);
        if (d < best_d) {
            best_d = d;
            best = longopts[i].name;
        }
    }
    if (best)
        cli_usage_error("unknown option '--%s'%s (did you mean --%s?)", name, where, best);
    else
        cli_usage_error("unknown option '--%s'%s", name, where);
}

/* pandoc's --list-input-formats / --list-output-formats: one name a line,
 * aliases included (every name -f / -t accepts), in the registry's order. */
void cli_list_formats(const dp_registry *reg, dp_plugin_kind kind)
{
    size_t i, k;
    for (i = 0; i < dp_registry_count(reg); i++) {
        const dp_plugin_info *p = dp_registry_at(reg, i);
        if (p->kind != kind || p->shadowed_by)
            continue;
        printf("%s\n", p->format);
        for (k = 0; p->aliases && p->aliases[k]; k++)
            printf("%s\n", p->aliases[k]);
    }
}

/* pandoc's --list-extensions[=FORMAT]: docpipe's reader switches, which are
 * the boolean options of the reader (-f FORMAT+NAME / -NAME sets them), with
 * + when on by default, - when off. */
int cli_list_extensions(const dp_registry *reg, const char *format)
{
    const dp_plugin_info *p = dp_registry_find(reg, DP_PLUGIN_IMPORTER, format ? format : "markdown");
    size_t k;
    if (!p) {
        cli_usage_error("--list-extensions: no reader for '%s'", format ? format : "markdown");
        return DP_EXIT_USAGE;
    }
    for (k = 0; p->options && p->options[k].key; k++) {
        const dp_option_spec *o = &p->options[k];
        if (o->type != DP_OPT_BOOL)
            continue;
        printf("%c%s\n", o->default_value && strcmp(o->default_value, "true") == 0 ? '+' : '-', o->key);
    }
    return 0;
}
