/* docpipe plugins [-v] and docpipe formats: what the registry found. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"


enum { OPT_PLUGIN_DIR = 256, OPT_NO_CACHE };

static int open_registry(int argc, char **argv, int *verbose, dp_registry **reg)
{
    static const struct option longopts[] = {{"verbose", no_argument, NULL, 'v'},
                                             {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
                                             {"no-cache", no_argument, NULL, OPT_NO_CACHE},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t n = 0;
    int c, no_cache = 0, rc;
    dp_error err;
    if (!dirs)
        return DP_EXIT_INTERNAL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'v': *verbose = 1; break;
        case OPT_PLUGIN_DIR: dirs[n++] = optarg; break;
        case OPT_NO_CACHE: no_cache = 1; break;
        case 'h': cli_help(stdout); free(dirs); return -1;
        default:
            cli_usage_error("unknown option %s", argv[optind - 1]);
            free(dirs);
            return DP_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_usage_error("unexpected argument '%s'", argv[optind]);
        free(dirs);
        return DP_EXIT_USAGE;
    }
    dp_error_clear(&err);
    rc = cli_registry(reg, dirs, NULL, no_cache, *verbose, &err);
    if (rc) {
        cli_error(&err);
        free(dirs);
        return dp_exit_code(rc);
    }
    cli_warn_bad_dirs(*reg, dirs);
    free(dirs);
    return 0;
}

static void print_list(const char *label, const char *const *list)
{
    size_t i;
    if (!list[0])
        return;
    printf("      %s:", label);
    for (i = 0; list[i]; i++)
        printf("%s%s", i ? ", " : " ", list[i]);
    putchar('\n');
}

int cli_plugins(int argc, char **argv)
{
    dp_registry *reg = NULL;
    int verbose = 0, rc = open_registry(argc, argv, &verbose, &reg);
    size_t i, k;
    if (rc)
        return rc < 0 ? 0 : rc;
    if (verbose) {
        printf("search path:\n");
        for (i = 0; i < dp_registry_dir_count(reg); i++)
            printf("  %s\n", dp_registry_dir_at(reg, i));
        printf("\n");
    }
    printf("%-22s %-10s %-12s %-9s %s\n", "ID", "KIND", "FORMAT", "VERSION", "FILE");
    for (i = 0; i < dp_registry_count(reg); i++) {
        const dp_plugin_info *p = dp_registry_at(reg, i);
        printf("%-22s %-10s %-12s %-9s %s%s%s%s\n", p->id, dp_plugin_kind_name(p->kind), p->format, p->version,
               p->file, p->shadowed_by ? "  (shadowed by " : "", p->shadowed_by ? p->shadowed_by : "",
               p->shadowed_by ? ")" : "");
        if (!verbose)
            continue;
        if (p->description[0])
            printf("      %s\n", p->description);
        print_list("aliases", p->aliases);
        print_list("extensions", p->extensions);
        print_list("mime types", p->mime_types);
        for (k = 0; p->options[k].key; k++) {
            const dp_option_spec *o = &p->options[k];
            /* "" shown as such (a blank would read as a missing column) */
            printf("      option %-22s %-6s default %-10s %s%s%s%s\n", o->key, dp_opt_type_name(o->type),
                   !o->default_value ? "(unset)" : o->default_value[0] ? o->default_value : "\"\"", o->help,
                   o->choices ? " [" : "",
                   o->choices ? o->choices : "", o->choices ? "]" : "");
        }
    }
    if (dp_registry_refused_count(reg)) {
        printf("\nrefused:\n");
        for (i = 0; i < dp_registry_refused_count(reg); i++) {
            const dp_refusal *r = dp_registry_refused_at(reg, i);
            printf("  %s: %s\n", r->file, r->reason);
        }
    }
    dp_registry_free(reg);
    return 0;
}

int cli_formats(int argc, char **argv)
{
    dp_registry *reg = NULL;
    int verbose = 0, rc = open_registry(argc, argv, &verbose, &reg);
    size_t i, k;
    if (rc)
        return rc < 0 ? 0 : rc;
    printf("%-12s %-5s %-5s %-22s %s\n", "FORMAT", "READ", "WRITE", "EXTENSIONS", "DESCRIPTION");
    for (i = 0; i < dp_registry_count(reg); i++) {
        const dp_plugin_info *p = dp_registry_at(reg, i);
        const dp_plugin_info *in, *out;
        char exts[128] = "";
        int seen = 0;
        if (p->kind == DP_PLUGIN_TRANSFORM || p->shadowed_by)
            continue;
        /* one line per format: the first plugin that mentions it */
        for (k = 0; k < i; k++) {
            const dp_plugin_info *q = dp_registry_at(reg, k);
            if (q->kind != DP_PLUGIN_TRANSFORM && !q->shadowed_by && strcmp(q->format, p->format) == 0)
                seen = 1;
        }
        if (seen)
            continue;
        in = dp_registry_find(reg, DP_PLUGIN_IMPORTER, p->format);
        out = dp_registry_find(reg, DP_PLUGIN_EXPORTER, p->format);
        for (k = 0; p->extensions[k]; k++) {
            size_t l = strlen(exts);
            snprintf(exts + l, sizeof exts - l, "%s%s", k ? "," : "", p->extensions[k]);
        }
        printf("%-12s %-5s %-5s %-22s %s\n", p->format, in ? "yes" : "-", out ? "yes" : "-", exts,
               (in ? in : out)->description);
    }
    printf("\n%-16s %s\n", "TRANSFORM", "DESCRIPTION");
    for (i = 0; i < dp_registry_count(reg); i++) {
        const dp_plugin_info *p = dp_registry_at(reg, i);
        if (p->kind == DP_PLUGIN_TRANSFORM && !p->shadowed_by)
            printf("%-16s %s\n", p->format, p->description);
    }
    dp_registry_free(reg);
    return 0;
}
