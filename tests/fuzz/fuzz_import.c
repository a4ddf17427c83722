/* libFuzzer target: one importer (FUZZ_FORMAT, set by CMake) on arbitrary
 * bytes. Refusing the input is fine; crashing, leaking, undefined behaviour,
 * an invalid tree (dp_doc_check) or an internal error is a finding. */
#include "fuzz_common.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name the importer's format"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_preload(DP_PLUGIN_IMPORTER, FUZZ_FORMAT);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_doc *doc = NULL;
    dp_error err;
    dp_memory_options opts = DP_MEMORY_OPTIONS_INIT;
    int rc;
    dp_error_clear(&err);
    rc = dp_import_memory(fuzz_registry(), FUZZ_FORMAT, "fuzz-input", data, size, &opts, &doc, &err);
    fuzz_check_import_status(rc, &err, FUZZ_FORMAT);
    dp_doc_free(doc);
    return 0;
}
