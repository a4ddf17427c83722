/* docpipe [OPTIONS] INPUT [-o OUTPUT]: one conversion, built as a one-job
 * pipeline so that it runs through the same checks and runner as configs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_STRICT = 256, OPT_PLUGIN_DIR, OPT_NO_CACHE, OPT_LIMIT, OPT_DURABLE, OPT_UNSAFE };

int cli_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},   {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},       {"metadata", required_argument, NULL, 'M'},
        {"option", required_argument, NULL, 'O'},   {"transform", required_argument, NULL, 'T'},
        {"verbose", no_argument, NULL, 'v'},        {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT},  {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE}, {"limit", required_argument, NULL, OPT_LIMIT},
        {"durable", no_argument, NULL, OPT_DURABLE}, {"unsafe", no_argument, NULL, OPT_UNSAFE},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL, *from = NULL, *to = NULL, *input = "-";
    char **metas = NULL, **opts = NULL, **transforms = NULL, **limits = NULL;
    const char **plugin_dirs = NULL;
    size_t nmeta = 0, nopt = 0, ntr = 0, nlim = 0, ndirs = 0, i;
    int strict = 0, no_cache = 0, durable = 0, unsafe = 0, c, rc = 0;
    cli_out out;
    dp_pipeline *p = NULL;
    dp_registry *reg = NULL;
    dp_error err;
    dp_run_options ro = DP_RUN_OPTIONS_INIT;
    dp_run_stats stats;

    memset(&out, 0, sizeof out);
    dp_error_clear(&err);
    /* room for every argument: none of these lists can be longer */
    metas = calloc((size_t)argc + 1, sizeof *metas);
    opts = calloc((size_t)argc + 1, sizeof *opts);
    transforms = calloc((size_t)argc + 1, sizeof *transforms);
    limits = calloc((size_t)argc + 1, sizeof *limits);
    plugin_dirs = calloc((size_t)argc + 1, sizeof *plugin_dirs);
    if (!metas || !opts || !transforms || !limits || !plugin_dirs) {
        fputs("docpipe: error: out of memory\n", stderr);
        rc = DP_EXIT_INTERNAL;
        goto done;
    }
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:f:t:M:O:T:vqhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'M': metas[nmeta++] = optarg; break;
        case 'O': opts[nopt++] = optarg; break;
        case 'T': transforms[ntr++] = optarg; break;
        case 'v': out.verbose = 1; break;
        case 'q': out.quiet = 1; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_PLUGIN_DIR: plugin_dirs[ndirs++] = optarg; break;
        case OPT_NO_CACHE: no_cache = 1; break;
        case OPT_LIMIT: limits[nlim++] = optarg; break;
        case OPT_DURABLE: durable = 1; break;
        case OPT_UNSAFE: unsafe = 1; break;
        case 'h': cli_help(stdout); goto done;
        case 'V':
            printf("docpipe %s (plugin ABI %d.%d)\n", dp_version(), DP_ABI_MAJOR, DP_ABI_MINOR);
            goto done;
        case ':':
            cli_usage_error("option %s needs a value", argv[optind - 1]);
            rc = DP_EXIT_USAGE;
            goto done;
        default:
            cli_usage_error("unknown option %s", argv[optind - 1]);
            rc = DP_EXIT_USAGE;
            goto done;
        }
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

    if (dp_pipeline_new(&p) != 0 || dp_pipeline_add_conversion(p, input, from, output, to, &err) != 0)
        goto fail;
    for (i = 0; i < nmeta; i++) {
        char *v = cli_split_kv(metas[i]);
        if (!v) {
            cli_usage_error("-M needs KEY=VALUE, got '%s'", metas[i]);
            rc = DP_EXIT_USAGE;
            goto done;
        }
        if (dp_pipeline_set_metadata(p, metas[i], v, &err) != 0)
            goto fail;
    }
    for (i = 0; i < nopt; i++) {
        char *v = cli_split_kv(opts[i]);
        if (!v) {
            cli_usage_error("-O needs KEY=VALUE, got '%s'", opts[i]);
            rc = DP_EXIT_USAGE;
            goto done;
        }
        if (dp_pipeline_set_option(p, opts[i], v, &err) != 0)
            goto fail;
    }
    /* trusted input: the HTML and EPUB writers keep scripts (safe=false) */
    if (unsafe && dp_pipeline_set_option_if_declared(p, "safe", "false", &err) != 0)
        goto fail;
    for (i = 0; i < ntr; i++)
        if (dp_pipeline_add_transform(p, transforms[i], &err) != 0)
            goto fail;
    for (i = 0; i < nlim; i++) {
        char *v = cli_split_kv(limits[i]);
        if (!v) {
            cli_usage_error("--limit needs KEY=VALUE, got '%s'", limits[i]);
            rc = DP_EXIT_USAGE;
            goto done;
        }
        if (dp_limits_set(dp_pipeline_limits(p), limits[i], v, &err) != 0) {
            err.code = DP_EUSAGE;
            goto fail;
        }
    }

    if (cli_registry(&reg, plugin_dirs, NULL, no_cache, out.verbose, &err) != 0)
        goto fail;
    cli_warn_bad_dirs(reg, plugin_dirs);
    ro.verbose = out.verbose;
    ro.strict = strict;
    ro.diag = cli_diag;
    ro.diag_payload = &out;
    ro.jobs = 1;
    ro.durable = durable;
    if (dp_pipeline_run(p, reg, &ro, &stats, &err) != 0) {
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
    dp_pipeline_free(p);
    dp_registry_free(reg);
    free(metas);
    free(opts);
    free(transforms);
    free(limits);
    free(plugin_dirs);
    return rc;
}
