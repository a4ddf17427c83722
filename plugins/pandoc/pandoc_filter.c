/* The pandoc-filter transform (CLI --filter CMD): runs a pandoc JSON filter
 * the way pandoc does. The document goes to the filter's stdin as pandoc's
 * JSON AST; its first argument is the output format; PANDOC_VERSION and
 * PANDOC_READER_OPTIONS are in its environment; the AST it prints replaces
 * the document. As pandoc does, a filter file that is not executable is run
 * by the interpreter its extension names. A failing filter (exit status,
 * signal, timeout, output that is not an AST) fails the conversion and the
 * document is left as it was, so nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pandoc_internal.h"

/* pandoc's table (Text.Pandoc.Filter.JSON): extension -> interpreter. */
static const char *interpreter(const char *cmd)
{
    static const char *const map[][2] = {{".py", "python3"}, {".hs", "runhaskell"}, {".pl", "perl"},
                                         {".rb", "ruby"},    {".php", "php"},       {".js", "node"},
                                         {".r", "Rscript"},  {".R", "Rscript"}};
    const char *dot = strrchr(cmd, '.');
    if (!dot || strchr(dot, '/') || access(cmd, X_OK) == 0 || access(cmd, F_OK) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(dot, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

int pandoc_filter(dp_ctx *ctx, dp_doc *doc)
{
    const char *command = dp_opt_string(ctx, "command");
    const char *target = dp_opt_string(ctx, "target");
    const char *api_opt = dp_opt_string(ctx, "pandoc-api");
    int api = api_opt && strcmp(api_opt, "1.22") == 0 ? 22 : 23;
    long timeout = dp_opt_int(ctx, "timeout");
    char version[64];
    char *env[] = {version,
                   "PANDOC_READER_OPTIONS={\"abbreviations\":[],\"columns\":80,\"default-image-extension\":\"\","
                   "\"extensions\":0,\"indented-code-classes\":[],\"standalone\":false,\"strip-comments\":false,"
                   "\"tab-stop\":4,\"track-changes\":\"accept-changes\"}",
                   NULL};
    char *argv[4];
    const char *interp;
    dp_buf *json = NULL, *out = NULL;
    dp_doc *filtered = NULL;
    int rc, n = 0;

    if (!command || !*command)
        return dp_fail(ctx, DP_EUSAGE, NULL, 0, 0, "pandoc-filter: the option 'command' is required");
    if (strlen(command) > 4 && strcmp(command + strlen(command) - 4, ".lua") == 0)
        return dp_fail(ctx, DP_EUSAGE, NULL, 0, 0,
                       "filter '%s' is a Lua filter: docpipe runs JSON filters only (see docs/PANDOC.md)", command);
    snprintf(version, sizeof version, "PANDOC_VERSION=%s", api == 22 ? PANDOC_VERSION_122 : PANDOC_VERSION_123);
    if ((interp = interpreter(command)) != NULL)
        argv[n++] = (char *)interp;
    argv[n++] = (char *)command;
    argv[n++] = (char *)(target && *target ? target : "html");
    argv[n] = NULL;
    if (dp_buf_new(&json) != 0 || dp_buf_new(&out) != 0) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "pandoc-filter: out of memory");
        goto cleanup;
    }
    if ((rc = pandoc_write_json(ctx, doc, api, json)) != 0)
        goto cleanup;
    if ((rc = dpj_filter_run(ctx, command, argv, env, json, timeout, out)) != 0)
        goto cleanup;
    {
        char where[300];
        snprintf(where, sizeof where, "output of filter '%s'", command);
        if ((rc = pandoc_read_json(ctx, where, dp_buf_data(out), dp_buf_len(out) - 1, &filtered)) != 0) {
            rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "filter '%s' printed no valid pandoc AST", command);
            goto cleanup;
        }
    }
    /* the AST carries no resources: the document keeps its own (adopt adds, never removes) */
    if ((rc = dpj_adopt(doc, filtered)) != 0)
        rc = dp_fail(ctx, rc, NULL, 0, 0, "pandoc-filter: out of memory");
cleanup:
    dp_doc_free(filtered);
    dp_buf_free(json);
    dp_buf_free(out);
    return rc;
}
