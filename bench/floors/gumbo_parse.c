/* gumbo-parse FILE: the HTML floor of the benchmark (bench/bench.py). Reads
 * FILE, parses it with gumbo (the HTML reader's parser, the WHATWG algorithm)
 * with the reader's options, frees the tree and writes nothing: the least any
 * HTML converter built on gumbo must do. xmllint has no HTML5 parser, so
 * `xmllint --html --noout` is no longer the HTML reader's floor. Built by
 * bench/run.sh (cc -O2 with pkg-config gumbo), not part of docpipe. */
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gumbo-parse FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, n;
    char *text = malloc(cap);
    while (text && (n = fread(text + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *t = realloc(text, cap *= 2);
            if (!t)
                free(text);
            text = t;
        }
    }
    fclose(f);
    if (!text) {
        fprintf(stderr, "gumbo-parse: out of memory\n");
        return 1;
    }
    GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, text, len);
    if (!out) {
        free(text);
        return 1;
    }
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    free(text);
    return 0;
}
