/* The filter transform: pipes the document, as JSON (docs/TREE.md), through
 * an external command and reads the tree it prints back — pandoc's JSON
 * filters, for docpipe's tree. It lives in the json module because it is the
 * JSON reader and writer plus a process.
 *
 * The command gets the JSON on stdin and must print a whole document on
 * stdout. A non-zero exit, a timeout (the child is killed), or output that is
 * not a valid tree is an error naming the command; the document is then left
 * exactly as it was. The process itself is run by plugins/jsonlib
 * (dp_json_proc.c), shared with the pandoc-json filter. */
#include "json_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

int json_filter(dp_ctx *ctx, dp_doc *doc)
{
    const char *command = dp_opt_string(ctx, "command");
    size_t nargs = dp_opt_list_count(ctx, "args");
    long timeout = dp_opt_int(ctx, "timeout");
    dp_buf *json = NULL, *out = NULL;
    dp_doc *filtered = NULL;
    char **argv = NULL;
    int rc;

    if (!command || !*command)
        return dp_fail(ctx, DP_ECONFIG, NULL, 0, 0, "filter: the option 'command' is required");
    if (dp_buf_new(&json) != 0 || dp_buf_new(&out) != 0 ||
        !(argv = calloc(nargs + 2, sizeof *argv))) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "filter: out of memory");
        goto cleanup;
    }
    argv[0] = (char *)command;
    for (size_t i = 0; i < nargs; i++)
        argv[i + 1] = (char *)dp_opt_list_at(ctx, "args", i);
    if ((rc = json_export(ctx, doc, json)) != 0)
        goto cleanup;

    if ((rc = dpj_filter_run(ctx, command, argv, NULL, json, timeout, out)) != 0)
        goto cleanup;
    char where[256];
    snprintf(where, sizeof where, "output of filter '%s'", command);
    dp_input in = {where, dp_buf_data(out), dp_buf_len(out) - 1};
    if ((rc = json_import(ctx, &in, &filtered)) != 0) {
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "filter '%s' printed an invalid document tree", command);
        goto cleanup;
    }
    if ((rc = dpj_adopt(doc, filtered)) != 0)
        rc = dp_fail(ctx, rc, NULL, 0, 0, "filter: out of memory");
cleanup:
    dp_doc_free(filtered);
    dp_buf_free(json);
    dp_buf_free(out);
    free(argv);
    return rc;
}
