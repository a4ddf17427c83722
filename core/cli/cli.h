/* The docpipe command: shared pieces of its subcommands. The CLI is thin:
 * it parses argv, calls the library and prints what the library reports. */
#ifndef DOCPIPE_CLI_H
#define DOCPIPE_CLI_H

#include <stdio.h>

#include "docpipe/docpipe.h"

typedef struct cli_warnings cli_warnings;

typedef struct cli_out {
    int quiet;
    int verbose;
    int errors_printed; /* errors already shown through the diag callback */
    int progress;       /* stderr is a terminal and progress is wanted */
    int per_file;       /* one line per finished file */
    cli_warnings *warnings; /* held until cli_warnings_flush (warnings.c) */
} cli_out;

/* Holds one warning for the grouped listing (cli_diag calls it). */
void cli_warnings_add(cli_out *o, const dp_diag *d);
/* Prints the held warnings, one line per distinct message, and the summary
 * (naming report_path when there is one); frees them. */
void cli_warnings_flush(cli_out *o, const char *report_path);

/* Prints "docpipe: LEVEL: FILE:LINE:COL: message" to stderr. */
void cli_print(const char *level, const char *file, int line, int column, const char *plugin,
               const char *message);
void cli_error(const dp_error *err);
void cli_usage_error(const char *fmt, ...) DP_PRINTF(1, 2);
/* dp_diag_fn for dp_run_options (payload: cli_out). */
void cli_diag(const dp_diag *d, void *payload);

/* Splits "KEY=VALUE" (in place); NULL when there is no '='. */
char *cli_split_kv(char *arg);

/* A registry for the given --plugin-dir list plus extra dirs (config);
 * verbose: print each plugin file as it is opened. */
int cli_registry(dp_registry **out, const char *const *plugin_dirs, const char *const *extra_dirs,
                 int no_cache, int verbose, dp_error *err);

/* -v: the plugin files this run opened. */
void cli_list_opened(const dp_registry *reg);
/* Warns about refused directories among dirs (--plugin-dir, plugin-path). */
void cli_warn_bad_dirs(const dp_registry *reg, const char *const *dirs);

struct option;
/* An unknown option: "did you mean --toc?", or, for a pandoc option docpipe
 * lacks, what to do instead (docs/PANDOC.md). subcommand: " for 'docpipe
 * run'" or NULL. */
void cli_unknown_option(const char *arg, const struct option *longopts, const char *subcommand);
/* pandoc's --list-input-formats / --list-output-formats / --list-extensions. */
void cli_list_formats(const dp_registry *reg, dp_plugin_kind kind);
int cli_list_extensions(const dp_registry *reg, const char *format);

int cli_convert(int argc, char **argv);
extern const struct option *const cli_convert_longopts; /* NULL-name terminated */
/* docpipe completion bash|zsh|fish: the script; completion words KIND: the
 * words the scripts complete (formats, transforms, options). */
int cli_completion(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_plugins(int argc, char **argv);
int cli_formats(int argc, char **argv);
void cli_help(FILE *fp);

#endif
