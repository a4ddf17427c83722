/* Markdown on stdin -> EPUB on stdout, in memory: docs/LIBRARY.md. */
#include <docpipe/docpipe.h>
#include <stdio.h>

int main(void)
{
    static char in[1 << 20];
    size_t len = fread(in, 1, sizeof in, stdin);
    dp_registry *reg = NULL;
    dp_buf *out = NULL;
    dp_error err;
    int rc;

    dp_error_clear(&err);
    if (!feof(stdin)) {
        fputs("md2epub: input larger than 1 MiB\n", stderr);
        return 1;
    }
    if ((rc = dp_registry_new(&reg, NULL, &err)) == 0 && (rc = dp_buf_new(&out)) == 0 &&
        (rc = dp_convert(reg, in, len, "md", "epub", NULL, out, NULL, NULL, &err)) == 0)
        fwrite(dp_buf_data(out), 1, dp_buf_len(out), stdout);
    else
        fprintf(stderr, "md2epub: %s\n", err.message);
    dp_buf_free(out);
    dp_registry_free(reg);
    return rc ? 1 : 0;
}
