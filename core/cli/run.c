/* docpipe run CONFIG.yaml: runs a pipeline config; --dry-run prints the plan. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"


enum {
    OPT_DRY = 256,
    OPT_STRICT,
    OPT_PLUGIN_DIR,
    OPT_NO_CACHE,
    OPT_FORCE,
    OPT_FAIL_FAST,
    OPT_REPORT,
    OPT_SHARD,
    OPT_DURABLE,
    OPT_ALLOW_PLUGIN_PATH,
    OPT_ALLOW_FILTER,
    OPT_ALLOW_OUTSIDE,
    OPT_TRUST_CONFIG
};

typedef struct run_view {
    cli_out out;
    struct timespec start;
    char **failed; /* "INPUT: reason", for the summary */
    size_t nfailed, failed_cap;
    int line_open; /* a progress line without its newline is on the terminal */
} run_view;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Progress on a terminal (one rewritten line), one line per file otherwise,
 * nothing with -q. */
static void on_item(const dp_item_result *r, void *payload)
{
    run_view *v = payload;
    const char *state = r->skipped ? "skipped" : r->status ? "FAILED" : "ok";
    if (r->status) {
        if (!DP_ARRAY_RESERVE(v->failed, v->failed_cap, v->nfailed + 1)) {
            size_t need = strlen(r->input) + strlen(r->error ? r->error : "") + 3;
            char **f = v->failed;
            f[v->nfailed] = malloc(need);
            if (f[v->nfailed])
                snprintf(f[v->nfailed++], need, "%s: %s", r->input, r->error ? r->error : "");
        }
    }
    if (v->out.quiet)
        return;
    flockfile(stderr); /* keep this line whole while other threads report */
    if (v->out.progress) {
        double s = elapsed(&v->start);
        double rate = s > 0 ? (double)r->done / s : 0;
        double eta = rate > 0 ? (double)(r->total - r->done) / rate : 0;
        fprintf(stderr, "\r\033[K[%zu/%zu] %.1f files/s, ETA %.0fs  %s", r->done, r->total, rate, eta, r->input);
        v->line_open = r->done != r->total;
        if (!v->line_open)
            fputc('\n', stderr);
        fflush(stderr);
        funlockfile(stderr);
        return;
    }
    fprintf(stderr, "docpipe: [%zu/%zu] %s %s", r->done, r->total, state, r->input);
    if (!r->status && !r->skipped) {
        size_t k;
        for (k = 0; k < r->noutputs; k++)
            fprintf(stderr, "%s%s", k ? ", " : " -> ", r->outputs[k] ? r->outputs[k] : "(stdout)");
    }
    fprintf(stderr, " (%.0f ms%s)\n", r->milliseconds, r->warnings ? ", warnings" : "");
    funlockfile(stderr);
}

int cli_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"dry-run", no_argument, NULL, OPT_DRY},        {"jobs", required_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},            {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT},      {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},  {"force", no_argument, NULL, OPT_FORCE},
        {"durable", no_argument, NULL, OPT_DURABLE},
        {"fail-fast", no_argument, NULL, OPT_FAIL_FAST}, {"report", required_argument, NULL, OPT_REPORT},
        {"shard", required_argument, NULL, OPT_SHARD},  {"help", no_argument, NULL, 'h'},
        {"allow-plugin-path", no_argument, NULL, OPT_ALLOW_PLUGIN_PATH},
        {"allow-filter", no_argument, NULL, OPT_ALLOW_FILTER},
        {"allow-outside", no_argument, NULL, OPT_ALLOW_OUTSIDE},
        {"trust-config", no_argument, NULL, OPT_TRUST_CONFIG},
        {NULL, 0, NULL, 0}};
    const char **plugin_dirs = NULL;
    size_t ndirs = 0;
    int dry = 0, strict = 0, no_cache = 0, force = 0, fail_fast = 0, durable = 0, c, rc = 0;
    long jobs = 0;
    unsigned shard_k = 0, shard_n = 0, trust = 0;
    const char *report = NULL, *config;
    static const char *const no_dirs[] = {NULL};
    const char *const *config_dirs;
    run_view view;
    dp_pipeline *p = NULL;
    dp_registry *reg = NULL;
    dp_error err;
    dp_run_options ro = DP_RUN_OPTIONS_INIT;
    dp_run_stats st;
    dp_buf *plan = NULL;

    memset(&view, 0, sizeof view);
    memset(&st, 0, sizeof st);
    dp_error_clear(&err);
    plugin_dirs = calloc((size_t)argc + 1, sizeof *plugin_dirs);
    if (!plugin_dirs)
        return DP_EXIT_INTERNAL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":j:vqh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DRY: dry = 1; break;
        case 'j': {
            char *end;
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256) {
                cli_usage_error("--jobs needs a number from 1 to 256, got '%s'", optarg);
                rc = DP_EXIT_USAGE;
                goto done;
            }
            break;
        }
        case 'v': view.out.verbose = 1; break;
        case 'q': view.out.quiet = 1; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_PLUGIN_DIR: plugin_dirs[ndirs++] = optarg; break;
        case OPT_NO_CACHE: no_cache = 1; break;
        case OPT_FORCE: force = 1; break;
        case OPT_DURABLE: durable = 1; break;
        case OPT_FAIL_FAST: fail_fast = 1; break;
        case OPT_REPORT: report = optarg; break;
        case OPT_ALLOW_PLUGIN_PATH: trust |= DP_TRUST_PLUGIN_PATH; break;
        case OPT_ALLOW_FILTER: trust |= DP_TRUST_FILTER; break;
        case OPT_ALLOW_OUTSIDE: trust |= DP_TRUST_OUTSIDE; break;
        case OPT_TRUST_CONFIG: trust = DP_TRUST_ALL; break;
        case OPT_SHARD: {
            char slash;
            int used = 0;
            if (sscanf(optarg, "%u%c%u%n", &shard_k, &slash, &shard_n, &used) != 3 || slash != '/' ||
                optarg[used] || shard_n < 1 || shard_k < 1 || shard_k > shard_n) {
                cli_usage_error("--shard needs K/N with 1 <= K <= N, got '%s'", optarg);
                rc = DP_EXIT_USAGE;
                goto done;
            }
            break;
        }
        case 'h': cli_help(stdout); goto done;
        case ':':
            cli_usage_error("option %s needs a value", argv[optind - 1]);
            rc = DP_EXIT_USAGE;
            goto done;
        default:
            cli_unknown_option(argv[optind - 1], longopts, " for 'docpipe run'");
            rc = DP_EXIT_USAGE;
            goto done;
        }
    }
    if (optind != argc - 1) {
        cli_usage_error("'docpipe run' takes exactly one CONFIG.yaml");
        rc = DP_EXIT_USAGE;
        goto done;
    }
    config = argv[optind];
    if (dp_pipeline_load(&p, config, &err) != 0)
        goto fail;
    if (shard_n && dp_pipeline_set_shard(p, shard_k, shard_n, &err) != 0)
        goto fail;
    if (dp_pipeline_set_trust(p, trust, &err) != 0)
        goto fail;
    /* --dry-run runs nothing: not even the constructors of a library in the
     * config's plugin-path (dlopen runs them before any check). */
    config_dirs = dp_pipeline_plugin_path(p);
    if (dry && config_dirs[0]) {
        if (!view.out.quiet)
            cli_print("warning", config, 0, 0, NULL,
                      "--dry-run does not search the config's plugin-path (opening a plugin runs its code): "
                      "formats only it provides are unknown here");
        config_dirs = no_dirs;
    }
    if (cli_registry(&reg, plugin_dirs, config_dirs, no_cache, view.out.verbose, &err) != 0)
        goto fail;
    cli_warn_bad_dirs(reg, plugin_dirs);
    cli_warn_bad_dirs(reg, config_dirs);
    if (dp_pipeline_check(p, reg, &err) != 0)
        goto fail;
    if (dry) {
        if (dp_buf_new(&plan) != 0 || dp_pipeline_plan(p, reg, plan, &err) != 0)
            goto fail;
        fwrite(dp_buf_data(plan), 1, dp_buf_len(plan), stdout);
        goto done;
    }
    view.out.progress = !view.out.quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &view.start);
    ro.verbose = view.out.verbose;
    ro.strict = strict;
    ro.diag = cli_diag;
    ro.diag_payload = &view; /* cli_out is the first member */
    ro.on_item = on_item;
    ro.jobs = (unsigned)jobs; /* 0 = all cores */
    ro.fail_fast = fail_fast;
    ro.force = force;
    ro.durable = durable;
    ro.incremental = 1;
    ro.report_path = report;
    rc = dp_pipeline_run(p, reg, &ro, &st, &err);
    if (view.line_open) /* --fail-fast stopped before the last file */
        fputc('\n', stderr);
    view.out.progress = 0;
    cli_warnings_flush(&view.out, report);
    if (view.out.verbose)
        cli_list_opened(reg);
    if (!view.out.quiet && st.failed) {
        size_t not_started = st.inputs - st.converted - st.skipped - st.failed;
        /* what a failure did to the rest of the batch */
        if (st.failed && fail_fast)
            fprintf(stderr, "docpipe: --fail-fast: stopped at the first failure; %zu input%s not started\n",
                    not_started, not_started == 1 ? "" : "s");
        else if (st.failed)
            fprintf(stderr, "docpipe: a failing input wrote %s; the other inputs went on (--fail-fast stops "
                            "at the first)\n",
                    strict ? "none of its outputs (--strict)" : "the outputs that succeeded");
    }
    if (!view.out.quiet)
        fprintf(stderr, "docpipe: %zu converted, %zu skipped (up to date), %zu failed, %zu warning%s, %zu file%s written\n",
                st.converted, st.skipped, st.failed, st.warnings, st.warnings == 1 ? "" : "s", st.outputs,
                st.outputs == 1 ? "" : "s");
    if (!view.out.quiet) {
        size_t i;
        for (i = 0; i < view.nfailed; i++)
            fprintf(stderr, "docpipe:   failed %s\n", view.failed[i]);
    }
    if (rc != 0)
        goto fail;
    goto done;
fail:
    if (!view.out.errors_printed) {
        if (err.code == 0)
            dp_error_set(&err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        cli_error(&err);
    }
    rc = dp_exit_code(err.code ? err.code : DP_EINTERNAL);
done:
    cli_warnings_flush(&view.out, NULL);
    for (size_t i = 0; i < view.nfailed; i++)
        free(view.failed[i]);
    free(view.failed);
    dp_buf_free(plan);
    dp_pipeline_free(p);
    dp_registry_free(reg);
    free(plugin_dirs);
    return rc;
}
