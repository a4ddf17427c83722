/* libFuzzer target: import -> export -> import. The first byte picks the
 * input format, the second the output format; the rest is the document.
 * The first import may refuse the input. Once it succeeded, the export must
 * succeed and its output must import again into a tree that passes
 * dp_doc_check (only a safety limit may stop the second import: an
 * exporter may nest a little deeper than its input). */
#include "fuzz_common.h"

static const char *const in_formats[] = { "markdown", "html", "tei", "json" };
static const char *const out_formats[] = { "markdown", "html", "tei", "json", "epub" };
#define N_IN (sizeof in_formats / sizeof in_formats[0])
#define N_OUT (sizeof out_formats / sizeof out_formats[0])

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;
    (void)argc;
    (void)argv;
    for (i = 0; i < N_IN; i++)
        fuzz_preload(DP_PLUGIN_IMPORTER, in_formats[i]);
    for (i = 0; i < N_OUT; i++) {
        fuzz_preload(DP_PLUGIN_EXPORTER, out_formats[i]);
        fuzz_preload(DP_PLUGIN_IMPORTER, out_formats[i]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *from, *to;
    dp_doc *doc = NULL, *again = NULL;
    dp_buf *buf = NULL;
    dp_error err;
    dp_memory_options opts = DP_MEMORY_OPTIONS_INIT;
    int rc;
    if (size < 2)
        return 0;
    from = in_formats[data[0] % N_IN];
    to = out_formats[data[1] % N_OUT];
    dp_error_clear(&err);
    rc = dp_import_memory(fuzz_registry(), from, "fuzz-roundtrip", data + 2, size - 2, &opts, &doc, &err);
    fuzz_check_import_status(rc, &err, from);
    if (rc != 0)
        return 0;
    if (dp_buf_new(&buf) != 0)
        goto cleanup;
    rc = dp_export_memory(fuzz_registry(), to, doc, &opts, buf, &err);
    if (rc == DP_ENOMEM)
        goto cleanup;
    if (rc != 0)
        FUZZ_FAIL("%s -> %s: the exporter failed on a valid tree: %s (%s)", from, to, err.message,
                  dp_status_name(rc));
    dp_error_clear(&err);
    rc = dp_import_memory(fuzz_registry(), to, "fuzz-roundtrip-output", dp_buf_data(buf), dp_buf_len(buf), &opts,
                          &again, &err);
    if (rc != 0 && rc != DP_ELIMIT && rc != DP_ENOMEM)
        FUZZ_FAIL("%s -> %s -> import: the exported output does not import again: %s (%s)", from, to,
                  err.message, dp_status_name(rc));
cleanup:
    dp_doc_free(again);
    dp_buf_free(buf);
    dp_doc_free(doc);
    return 0;
}
