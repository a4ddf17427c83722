/* docpipe [OPTIONS] INPUT [-o OUTPUT]: one conversion, built as a one-job
 * pipeline so that it runs through the same checks and runner as configs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
    OPT_STRICT = 256, OPT_PLUGIN_DIR, OPT_NO_CACHE, OPT_LIMIT, OPT_DURABLE, OPT_VERSION, OPT_UNSAFE,
    /* pandoc's spellings (docs/PANDOC.md) */
    OPT_TOC, OPT_TOC_DEPTH, OPT_CSS, OPT_METADATA_FILE, OPT_SHIFT, OPT_COVER, OPT_WRAP, OPT_COLUMNS,
    OPT_LIST_IN, OPT_LIST_OUT, OPT_LIST_EXT, OPT_FILTER, OPT_EXTRACT_MEDIA, OPT_EMBED, OPT_REPORT, OPT_TEMPLATE,
    OPT_PRINT_TEMPLATE, OPT_EPUB_META
};

/* A step of the transform chain, in command-line order (-T, --filter,
 * --shift-heading-level-by mix as pandoc's filters do). */
typedef struct cli_step {
    int opt;         /* 'T', OPT_FILTER, OPT_SHIFT */
    const char *arg;
} cli_step;

/* What the pandoc spellings asked for; applied once the writer is known,
 * because the same wish is a writer option for one format and a transform
 * for another (--toc: the HTML writer's toc, else the toc transform). */
typedef struct pandoc_wish {
    int standalone, toc, number_sections, wrap_set, embed;
    const char *toc_depth, *wrap, *columns, *cover, *media_dir, *template;
    int print_template;
    const char *epub_metadata; /* --epub-metadata FILE: the EPUB writer's epub-metadata */
} pandoc_wish;

static int declares(const dp_plugin_info *p, const char *key)
{
    size_t k;
    for (k = 0; p && p->options && p->options[k].key; k++)
        if (strcmp(p->options[k].key, key) == 0)
            return 1;
    return 0;
}

/* The pandoc format name of the output, for a filter's first argument. */
static const char *target_name(const dp_plugin_info *exporter, const char *to)
{
    if (exporter)
        return exporter->format; /* the canonical name: markdown for -t md, as pandoc says it */
    return to ? to : "html";
}

/* Writer options where the writer has them, transforms where it does not. */
static int apply_wish(dp_pipeline *p, const dp_plugin_info *x, const pandoc_wish *w, dp_error *err)
{
    int rc = 0;
    if (w->standalone && declares(x, "fragment"))
        rc = dp_pipeline_set_option(p, "fragment", "false", err);
    if (!rc && w->number_sections) {
        if (declares(x, "number-sections"))
            rc = dp_pipeline_set_option(p, "number-sections", "true", err);
        else
            rc = dp_pipeline_add_transform(p, "number-sections", err);
    }
    if (!rc && w->toc) {
        if (declares(x, "toc"))
            rc = dp_pipeline_set_option(p, "toc", "true", err);
        else if (!declares(x, "toc-depth")) /* a writer with toc-depth and no toc always has one (EPUB) */
            rc = dp_pipeline_add_transform(p, "toc", err);
        if (!rc && w->toc_depth && !declares(x, "toc-depth"))
            rc = dp_pipeline_set_transform_option(p, "depth", w->toc_depth, err);
    }
    if (!rc && w->toc_depth && declares(x, "toc-depth"))
        rc = dp_pipeline_set_option(p, "toc-depth", w->toc_depth, err);
    /* --template FILE, --print-default-template FMT: the writer's own
     * options (a writer without templates says so) */
    if (!rc && w->template) {
        if (!declares(x, "template"))
            return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "the %s writer has no templates",
                                x ? x->format : "chosen");
        rc = dp_pipeline_set_option(p, "template", w->template, err);
    }
    if (!rc && w->cover)
        rc = dp_pipeline_set_metadata(p, "cover-image", w->cover, err);
    /* writers that name resources by URL; an EPUB holds them inside */
    if (!rc && w->media_dir && declares(x, "media-dir"))
        rc = dp_pipeline_set_option(p, "media-dir", w->media_dir, err);
    if (!rc && w->embed && declares(x, "self-contained"))
        rc = dp_pipeline_set_option(p, "self-contained", "true", err);
    if (!rc && w->epub_metadata && declares(x, "epub-metadata"))
        rc = dp_pipeline_set_option(p, "epub-metadata", w->epub_metadata, err);
    else if (!rc && w->epub_metadata)
        fprintf(stderr, "docpipe: warning: --epub-metadata is for EPUB output: ignored\n");
    if (!rc && (w->wrap || w->columns) && declares(x, "width")) {
        /* pandoc wraps at 72 columns by default; none and preserve keep
         * the lines as they are (soft breaks stay line ends) */
        const char *width = "0";
        if (!w->wrap || strcmp(w->wrap, "auto") == 0)
            width = w->columns ? w->columns : "72";
        rc = dp_pipeline_set_option(p, "width", width, err);
    }
    return rc;
}

/* --print-default-template FMT: the writer's built-in template, which it
 * writes instead of the document (its print-template option) when given
 * an empty one. */
static int print_default_template(dp_registry *reg, const char *fmt, dp_error *err)
{
    const dp_plugin_info *x = dp_registry_find(reg, DP_PLUGIN_EXPORTER, fmt);
    const dp_kv options[] = {{"option:print-template", "true"}, {NULL, NULL}};
    dp_doc *doc = NULL;
    dp_buf *out = NULL;
    int rc;
    if (!x)
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "no writer for '%s' (docpipe --list-output-formats)", fmt);
    if (!declares(x, "print-template"))
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "the %s writer has no templates", x->format);
    if ((rc = dp_doc_new(&doc)) != 0 || (rc = dp_buf_new(&out)) != 0) {
        dp_doc_free(doc);
        return dp_error_set(err, rc, NULL, 0, 0, "out of memory");
    }
    rc = dp_write(reg, doc, fmt, options, out, NULL, NULL, err);
    if (rc == 0 && fwrite(dp_buf_data(out), 1, dp_buf_len(out), stdout) != dp_buf_len(out))
        rc = dp_error_set(err, DP_EOUTPUT, "-", 0, 0, "cannot write the template");
    dp_buf_free(out);
    dp_doc_free(doc);
    return rc;
}

/* -f markdown+smart-footnotes: pandoc's extension syntax, for docpipe's
 * reader switches (--list-extensions). Cuts FORMAT in place and sets each
 * switch; a name that is not a switch of that reader is a usage error. */
static int apply_extensions(dp_pipeline *p, const dp_registry *reg, char *from, dp_error *err)
{
    char *cut = from + strcspn(from, "+-");
    const dp_plugin_info *r;
    char sign, name[64];
    if (!*cut || dp_registry_find(reg, DP_PLUGIN_IMPORTER, from))
        return 0; /* no extensions, or a format whose name has a '-' (pandoc-json) */
    sign = *cut;
    *cut = '\0';
    if (!(r = dp_registry_find(reg, DP_PLUGIN_IMPORTER, from)))
        return 0; /* the unknown format is reported by the pipeline check */
    for (char *s = cut + 1; *s || sign;) {
        size_t n = strcspn(s, "+-");
        const dp_option_spec *o = NULL;
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), s);
        for (size_t k = 0; r->options && r->options[k].key; k++)
            if (r->options[k].type == DP_OPT_BOOL && strcmp(r->options[k].key, name) == 0)
                o = &r->options[k];
        if (!o)
            return dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                                "'%s' is not an extension of the %s reader (see docpipe --list-extensions=%s)",
                                name, from, from);
        if (dp_pipeline_set_option(p, name, sign == '+' ? "true" : "false", err) != 0)
            return DP_ENOMEM;
        s += n;
        if (!*s)
            break;
        sign = *s++;
    }
    return 0;
}

/* The conversion's options (also listed by docpipe completion). */
/* Sets one KEY=VALUE on the pipeline (-M, -O, --limit). */
typedef int (*kv_setter)(dp_pipeline *p, const char *key, const char *value, dp_error *err);

static int set_limit(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    if (dp_limits_set(dp_pipeline_limits(p), key, value, err) != 0) {
        err->code = DP_EUSAGE;
        return -1;
    }
    return 0;
}

/* Each KEY=VALUE of args split and handed to set. 0; DP_EXIT_USAGE (said,
 * with usage: "-O needs KEY=VALUE") when one has no '='; -1 when set fails
 * (err filled). */
static int set_each_kv(dp_pipeline *p, char **args, size_t n, const char *usage, kv_setter set, dp_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char *v = cli_split_kv(args[i]);
        if (!v) {
            cli_usage_error("%s, got '%s'", usage, args[i]);
            return DP_EXIT_USAGE;
        }
        if (set(p, args[i], v, err) != 0)
            return -1;
    }
    return 0;
}

static const struct option convert_longopts[] = {
    {"output", required_argument, NULL, 'o'},   {"from", required_argument, NULL, 'f'},
    {"to", required_argument, NULL, 't'},       {"metadata", required_argument, NULL, 'M'},
    {"option", required_argument, NULL, 'O'},   {"transform", required_argument, NULL, 'T'},
    {"verbose", no_argument, NULL, 'v'},        {"quiet", no_argument, NULL, 'q'},
    {"strict", no_argument, NULL, OPT_STRICT},  {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE}, {"limit", required_argument, NULL, OPT_LIMIT},
    {"durable", no_argument, NULL, OPT_DURABLE}, {"unsafe", no_argument, NULL, OPT_UNSAFE},
    {"report", required_argument, NULL, OPT_REPORT},
    {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, OPT_VERSION},
    /* pandoc's spellings */
    {"standalone", no_argument, NULL, 's'},     {"toc", no_argument, NULL, OPT_TOC},
    {"table-of-contents", no_argument, NULL, OPT_TOC},
    {"toc-depth", required_argument, NULL, OPT_TOC_DEPTH},
    {"number-sections", no_argument, NULL, 'N'}, {"css", required_argument, NULL, OPT_CSS},
    {"metadata-file", required_argument, NULL, OPT_METADATA_FILE},
    {"shift-heading-level-by", required_argument, NULL, OPT_SHIFT},
    {"epub-cover-image", required_argument, NULL, OPT_COVER},
    {"extract-media", required_argument, NULL, OPT_EXTRACT_MEDIA},
    {"embed-resources", no_argument, NULL, OPT_EMBED}, {"self-contained", no_argument, NULL, OPT_EMBED},
    {"epub-metadata", required_argument, NULL, OPT_EPUB_META},
    {"wrap", required_argument, NULL, OPT_WRAP}, {"columns", required_argument, NULL, OPT_COLUMNS},
    {"list-input-formats", no_argument, NULL, OPT_LIST_IN},
    {"list-output-formats", no_argument, NULL, OPT_LIST_OUT},
    {"list-extensions", optional_argument, NULL, OPT_LIST_EXT},
    {"variable", required_argument, NULL, 'V'}, {"fail-if-warnings", no_argument, NULL, OPT_STRICT},
    {"filter", required_argument, NULL, OPT_FILTER}, {"read", required_argument, NULL, 'f'},
    {"write", required_argument, NULL, 't'},
    {"template", required_argument, NULL, OPT_TEMPLATE},
    {"print-default-template", required_argument, NULL, OPT_PRINT_TEMPLATE},
    {NULL, 0, NULL, 0}};
const struct option *const cli_convert_longopts = convert_longopts;

int cli_convert(int argc, char **argv)
{
    const struct option *longopts = convert_longopts;
    const char *output = NULL, *to = NULL, *input = "-", *list_ext = NULL, *report = NULL;
    char *from = NULL;
    char **metas = NULL, **opts = NULL, **limits = NULL, **meta_files = NULL, **css = NULL;
    const char **plugin_dirs = NULL;
    cli_step *steps = NULL;
    size_t nmeta = 0, nopt = 0, nsteps = 0, nlim = 0, ndirs = 0, nmf = 0, ncss = 0, i;
    int strict = 0, no_cache = 0, durable = 0, unsafe = 0, list = 0, c, rc = 0;
    pandoc_wish wish;
    cli_out out;
    dp_pipeline *p = NULL;
    dp_registry *reg = NULL;
    const dp_plugin_info *exporter = NULL;
    dp_error err;
    dp_run_options ro = DP_RUN_OPTIONS_INIT;
    dp_run_stats stats;

    memset(&out, 0, sizeof out);
    memset(&wish, 0, sizeof wish);
    dp_error_clear(&err);
    /* room for every argument: none of these lists can be longer */
    metas = calloc((size_t)argc + 1, sizeof *metas);
    opts = calloc((size_t)argc + 1, sizeof *opts);
    steps = calloc((size_t)argc + 1, sizeof *steps);
    limits = calloc((size_t)argc + 1, sizeof *limits);
    plugin_dirs = calloc((size_t)argc + 1, sizeof *plugin_dirs);
    meta_files = calloc((size_t)argc + 1, sizeof *meta_files);
    css = calloc((size_t)argc + 1, sizeof *css);
    if (!metas || !opts || !steps || !limits || !plugin_dirs || !meta_files || !css) {
        fputs("docpipe: error: out of memory\n", stderr);
        rc = DP_EXIT_INTERNAL;
        goto done;
    }
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:f:t:M:O:T:V:vqhsN", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'M': /* fall through: pandoc's -V sets a template variable; with no
                     templates yet, a metadata key is what it reaches */
        case 'V': metas[nmeta++] = optarg; break;
        case 'O': opts[nopt++] = optarg; break;
        case 'T': case OPT_FILTER: case OPT_SHIFT:
            steps[nsteps].opt = c;
            steps[nsteps++].arg = optarg;
            break;
        case 'v': out.verbose = 1; break;
        case 'q': out.quiet = 1; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_PLUGIN_DIR: plugin_dirs[ndirs++] = optarg; break;
        case OPT_NO_CACHE: no_cache = 1; break;
        case OPT_LIMIT: limits[nlim++] = optarg; break;
        case OPT_DURABLE: durable = 1; break;
        case OPT_UNSAFE: unsafe = 1; break;
        case OPT_REPORT: report = optarg; break;
        case 's': wish.standalone = 1; break;
        case 'N': wish.number_sections = 1; break;
        case OPT_TOC: wish.toc = 1; break;
        case OPT_TOC_DEPTH: wish.toc_depth = optarg; break;
        case OPT_CSS: css[ncss++] = optarg; break;
        case OPT_METADATA_FILE: meta_files[nmf++] = optarg; break;
        case OPT_COVER: wish.cover = optarg; break;
        case OPT_EXTRACT_MEDIA: wish.media_dir = optarg; break;
        case OPT_EMBED: wish.embed = 1; break;
        case OPT_TEMPLATE: wish.template = optarg; break;
        case OPT_PRINT_TEMPLATE:
            wish.print_template = 1;
            to = optarg;
            break;
        case OPT_EPUB_META: wish.epub_metadata = optarg; break;
        case OPT_WRAP:
            if (strcmp(optarg, "none") != 0 && strcmp(optarg, "auto") != 0 && strcmp(optarg, "preserve") != 0) {
                cli_usage_error("--wrap takes none, auto or preserve, got '%s'", optarg);
                rc = DP_EXIT_USAGE;
                goto done;
            }
            wish.wrap = optarg;
            break;
        case OPT_COLUMNS: wish.columns = optarg; break;
        case OPT_LIST_IN: case OPT_LIST_OUT: list = c; break;
        case OPT_LIST_EXT: list = c, list_ext = optarg; break;
        case 'h': cli_help(stdout); goto done;
        case OPT_VERSION:
            printf("docpipe %s (plugin ABI %d.%d)\n", dp_version(), DP_ABI_MAJOR, DP_ABI_MINOR);
            goto done;
        case ':':
            if (optopt == 'V')
                cli_usage_error("-V is pandoc's --variable KEY=VALUE now; the version is --version");
            else
                cli_usage_error("option %s needs a value", argv[optind - 1]);
            rc = DP_EXIT_USAGE;
            goto done;
        default:
            cli_unknown_option(argv[optind - 1], longopts, NULL);
            rc = DP_EXIT_USAGE;
            goto done;
        }
    }
    if (list) {
        if (cli_registry(&reg, plugin_dirs, NULL, no_cache, out.verbose, &err) != 0)
            goto fail;
        if (list == OPT_LIST_EXT)
            rc = cli_list_extensions(reg, list_ext);
        else
            cli_list_formats(reg, list == OPT_LIST_IN ? DP_PLUGIN_IMPORTER : DP_PLUGIN_EXPORTER);
        goto done;
    }
    if (wish.print_template) {
        if (cli_registry(&reg, plugin_dirs, NULL, no_cache, out.verbose, &err) != 0)
            goto fail;
        rc = print_default_template(reg, to, &err);
        if (rc == 0)
            goto done;
        goto fail;
    }
    if (optind < argc)
        input = argv[optind++];
    if (optind < argc) {
        cli_usage_error("one input at a time (got '%s' too); use 'docpipe run' for batches", argv[optind]);
        rc = DP_EXIT_USAGE;
        goto done;
    }
    if (strcmp(input, "-") == 0 && isatty(STDIN_FILENO) && !from) {
        cli_usage_error("no input: give a file, or pipe one in with -f FORMAT");
        rc = DP_EXIT_USAGE;
        goto done;
    }
    if (!output && !to) {
        cli_usage_error("no output format: give -o FILE or -t FORMAT");
        rc = DP_EXIT_USAGE;
        goto done;
    }

    if (cli_registry(&reg, plugin_dirs, NULL, no_cache, out.verbose, &err) != 0)
        goto fail;
    cli_warn_bad_dirs(reg, plugin_dirs);
    exporter = to ? dp_registry_find(reg, DP_PLUGIN_EXPORTER, to)
                  : dp_registry_find_by_path(reg, DP_PLUGIN_EXPORTER, output);
    if (dp_pipeline_new(&p) != 0)
        goto fail;
    if (from && apply_extensions(p, reg, from, &err) != 0)
        goto fail;
    if (dp_pipeline_add_conversion(p, input, from, output, to, &err) != 0)
        goto fail;
    for (i = 0; i < nmf; i++)
        if (dp_pipeline_add_metadata_file(p, meta_files[i], &err) != 0)
            goto fail;
    for (i = 0; i < ncss; i++)
        if (dp_pipeline_append_metadata(p, "css", css[i], &err) != 0)
            goto fail;
    rc = set_each_kv(p, metas, nmeta, "-M needs KEY=VALUE (so does -V)", dp_pipeline_set_metadata, &err);
    if (rc == 0)
        rc = set_each_kv(p, opts, nopt, "-O needs KEY=VALUE", dp_pipeline_set_option, &err);
    if (rc < 0)
        goto fail;
    if (rc)
        goto done;
    /* trusted input: the HTML and EPUB writers keep scripts (safe=false) */
    if (unsafe && dp_pipeline_set_option_if_declared(p, "safe", "false", &err) != 0)
        goto fail;
    for (i = 0; i < nsteps; i++) {
        const cli_step *st = &steps[i];
        if (st->opt == 'T') {
            if (dp_pipeline_add_transform(p, st->arg, &err) != 0)
                goto fail;
        } else if (st->opt == OPT_SHIFT) {
            if (dp_pipeline_add_transform(p, "shift-headings", &err) != 0 ||
                dp_pipeline_set_transform_option(p, "by", st->arg, &err) != 0)
                goto fail;
        } else if (dp_pipeline_add_transform(p, "pandoc-filter", &err) != 0 ||
                   dp_pipeline_set_transform_option(p, "command", st->arg, &err) != 0 ||
                   dp_pipeline_set_transform_option(p, "target", target_name(exporter, to), &err) != 0) {
            goto fail;
        }
    }
    if (apply_wish(p, exporter, &wish, &err) != 0)
        goto fail;
    rc = set_each_kv(p, limits, nlim, "--limit needs KEY=VALUE", set_limit, &err);
    if (rc < 0)
        goto fail;
    if (rc)
        goto done;

    ro.verbose = out.verbose;
    ro.strict = strict;
    ro.diag = cli_diag;
    ro.diag_payload = &out;
    ro.jobs = 1;
    ro.durable = durable;
    ro.report_path = report;
    rc = dp_pipeline_run(p, reg, &ro, &stats, &err);
    cli_warnings_flush(&out, report);
    if (rc != 0) {
        if (out.verbose)
            cli_list_opened(reg);
        goto fail;
    }
    if (out.verbose)
        cli_list_opened(reg);
    goto done;
fail:
    if (!out.errors_printed) {
        if (err.code == 0)
            dp_error_set(&err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        cli_error(&err);
    }
    rc = dp_exit_code(err.code ? err.code : DP_EINTERNAL);
done:
    cli_warnings_flush(&out, NULL); /* an early failure: none printed yet */
    dp_pipeline_free(p);
    dp_registry_free(reg);
    free(metas);
    free(opts);
    free(steps);
    free(limits);
    free(plugin_dirs);
    free(meta_files);
    free(css);
    return rc;
}
