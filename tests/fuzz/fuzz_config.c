/* libFuzzer target: the YAML pipeline config parser and schema check
 * (dp_pipeline_parse). Any error is fine as long as it is an error record:
 * a config problem is DP_ECONFIG (or DP_ELIMIT for an alias bomb). Relative
 * paths anchor at a directory that does not exist, and nothing is run or
 * globbed, so a hostile config cannot make the target touch the disk. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_pipeline *p = NULL;
    dp_error err;
    int rc;
    dp_error_clear(&err);
    rc = dp_pipeline_parse(&p, "fuzz.yaml", (const char *)data, size, "/nonexistent-docpipe-fuzz", &err);
    if (rc == 0 && !p)
        FUZZ_FAIL("dp_pipeline_parse succeeded without a pipeline");
    if (rc != 0 && (rc == DP_EINTERNAL || rc == DP_EINVAL || err.code == 0 || err.message[0] == '\0'))
        FUZZ_FAIL("config parser: status %s with message '%s'", dp_status_name(rc), err.message);
    dp_pipeline_free(p);
    return 0;
}
