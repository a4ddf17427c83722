/* libFuzzer target: Markdown YAML front matter. The input becomes the body
 * of a "---" block ahead of a short document, so every execution exercises
 * the front-matter parser and its mapping to metadata. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_preload(DP_PLUGIN_IMPORTER, "markdown");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "---\n";
    static const char tail[] = "\n---\n\n# Title\n\nBody text.\n";
    size_t n = sizeof head - 1 + size + sizeof tail - 1;
    unsigned char *text = malloc(n);
    dp_doc *doc = NULL;
    dp_error err;
    dp_memory_options opts = DP_MEMORY_OPTIONS_INIT;
    int rc;
    if (!text)
        return 0;
    memcpy(text, head, sizeof head - 1);
    if (size)
        memcpy(text + sizeof head - 1, data, size);
    memcpy(text + sizeof head - 1 + size, tail, sizeof tail - 1);
    dp_error_clear(&err);
    rc = dp_import_memory(fuzz_registry(), "markdown", "fuzz-frontmatter.md", text, n, &opts, &doc, &err);
    fuzz_check_import_status(rc, &err, "markdown (front matter)");
    dp_doc_free(doc);
    free(text);
    return 0;
}
