/* The in-memory API (dp_convert.h), case by case:
 *
 *   test_convert REPO case...
 *
 * Cases: convert, steps, epub, errors, warnings, strict, limits, threads.
 * Each prints "ok NAME" or "FAIL NAME: why"; the exit code is the number
 * of failures. "threads" converts distinct documents from 8 threads with
 * one registry and compares each result with the one-thread result (under
 * ThreadSanitizer in a DOCPIPE_SANITIZE_THREAD build). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <docpipe/docpipe.h>

#include "check.h"

static dp_registry *reg;
static const char *repo;

static char *slurp(const char *rel, size_t *len)
{
    char path[4096];
    FILE *fp;
    char *data;
    long n;
    snprintf(path, sizeof path, "%s/%s", repo, rel);
    fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, fp) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(fp);
    if (data) {
        data[n] = '\0';
        *len = (size_t)n;
    }
    return data;
}

static int contains(const dp_buf *b, const char *s)
{
    size_t n = strlen(s), i;
    const unsigned char *d = dp_buf_data(b);
    for (i = 0; i + n <= dp_buf_len(b); i++)
        if (memcmp(d + i, s, n) == 0)
            return 1;
    return 0;
}

static const char md[] = "---\ntitle: Minutes\nlanguage: en\n---\n\n# One\n\nSaid \"hello\" to all.[^1]\n\n"
                         "[^1]: A note.\n";

typedef struct counts {
    int warnings, infos;
    char last[1024];
} counts;

static void count_diag(const dp_diag *d, void *payload)
{
    counts *c = payload;
    if (d->level == DP_DIAG_WARNING)
        c->warnings++;
    else if (d->level == DP_DIAG_INFO)
        c->infos++;
    snprintf(c->last, sizeof c->last, "%s", d->message);
}

static void case_convert(void)
{
    const dp_kv opts[] = {{"metadata:title", "Other title"}, {"option:fragment", "false"},
                          {"transform", "smart-quotes"}, {NULL, NULL}};
    dp_buf *out = NULL;
    dp_error err;
    int rc;
    dp_error_clear(&err);
    dp_buf_new(&out);
    rc = dp_convert(reg, md, strlen(md), "md", "html", opts, out, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "convert: rc %d: %s", rc, err.message);
    CHECK_OR_RETURN(contains(out, "<title>Other title</title>"), "convert: metadata:title not applied");
    CHECK_OR_RETURN(contains(out, "\xe2\x80\x9chello\xe2\x80\x9d"), "convert: smart-quotes not applied");
    CHECK_OR_RETURN(contains(out, "doc-endnotes"), "convert: no notes section");
    dp_buf_free(out);
    printf("ok convert\n");
}

/* dp_read + dp_transform + dp_write with the same options give what
 * dp_convert gives. */
static void case_steps(void)
{
    const dp_kv read_opts[] = {{"metadata:subtitle", "Sub"}, {NULL, NULL}};
    const dp_kv conv_opts[] = {{"metadata:subtitle", "Sub"}, {"transform", "smart-quotes"}, {NULL, NULL}};
    dp_buf *a = NULL, *b = NULL;
    dp_doc *doc = NULL;
    dp_error err;
    int rc;
    dp_error_clear(&err);
    dp_buf_new(&a);
    dp_buf_new(&b);
    rc = dp_read(reg, md, strlen(md), "markdown", read_opts, &doc, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0 && doc, "steps: dp_read: %s", err.message);
    CHECK_OR_RETURN(dp_meta_get(dp_doc_meta(doc), "subtitle") != NULL, "steps: metadata:subtitle not set by dp_read");
    rc = dp_transform(reg, doc, "smart-quotes", NULL, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "steps: dp_transform: %s", err.message);
    rc = dp_write(reg, doc, "tei", NULL, a, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "steps: dp_write: %s", err.message);
    dp_doc_free(doc);
    rc = dp_convert(reg, md, strlen(md), "md", "tei", conv_opts, b, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "steps: dp_convert: %s", err.message);
    CHECK_OR_RETURN(dp_buf_len(a) == dp_buf_len(b) && memcmp(dp_buf_data(a), dp_buf_data(b), dp_buf_len(a)) == 0,
                    "steps: read+transform+write differs from convert (%zu vs %zu bytes)", dp_buf_len(a),
          dp_buf_len(b));
    dp_buf_free(a);
    dp_buf_free(b);
    printf("ok steps\n");
}

/* EPUB in memory both ways. */
static void case_epub(void)
{
    dp_buf *epub = NULL, *back = NULL;
    dp_error err;
    int rc;
    dp_error_clear(&err);
    dp_buf_new(&epub);
    dp_buf_new(&back);
    rc = dp_convert(reg, md, strlen(md), "md", "epub", NULL, epub, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "epub: md->epub: %s", err.message);
    CHECK_OR_RETURN(dp_buf_len(epub) > 30 && memcmp(dp_buf_data(epub), "PK\x03\x04", 4) == 0 &&
              memcmp(dp_buf_data(epub) + 30, "mimetypeapplication/epub+zip", 28) == 0, "epub: not an EPUB container");
    rc = dp_convert(reg, dp_buf_data(epub), dp_buf_len(epub), "epub", "md", NULL, back, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == 0, "epub: epub->md: %s", err.message);
    CHECK_OR_RETURN(contains(back, "Said \"hello\" to all.") && contains(back, "A note."), "epub: text lost: %.*s",
          (int)dp_buf_len(back), (const char *)dp_buf_data(back));
    dp_buf_free(epub);
    dp_buf_free(back);
    printf("ok epub\n");
}

static int fails_with(const char *from, const char *to, const dp_kv *opts, const char *data, int code,
                      const char *words, dp_buf *out, dp_error *err)
{
    int rc;
    dp_error_clear(err);
    rc = dp_convert(reg, data, strlen(data), from, to, opts, out, NULL, NULL, err);
    return rc == code && err->code == code && strstr(err->message, words) != NULL;
}

static void case_errors(void)
{
    const dp_kv unknown_key[] = {{"colour", "red"}, {NULL, NULL}};
    const dp_kv undeclared[] = {{"option:no-such-option", "1"}, {NULL, NULL}};
    const dp_kv bad_type[] = {{"option:toc-depth", "deep"}, {NULL, NULL}};
    const dp_kv bad_transform[] = {{"transform", "no-such-transform"}, {NULL, NULL}};
    const dp_kv read_transform[] = {{"transform", "toc"}, {NULL, NULL}};
    dp_buf *out = NULL;
    dp_doc *doc = NULL;
    dp_error err;
    dp_buf_new(&out);
    dp_buf_puts(out, "kept");
    CHECK_OR_RETURN(fails_with("md", "html", unknown_key, md, DP_EUSAGE, "colour", out, &err),
                    "errors: unknown key: %s",
          err.message);
    CHECK_OR_RETURN(fails_with("md", "html", undeclared, md, DP_EUSAGE, "not declared", out, &err),
                    "errors: undeclared option: %s", err.message);
    CHECK_OR_RETURN(fails_with("md", "html", bad_type, md, DP_EUSAGE, "integer", out, &err), "errors: bad type: %s",
          err.message);
    CHECK_OR_RETURN(fails_with("md", "nope", NULL, md, DP_EPLUGIN, "nope", out, &err), "errors: unknown format: %s",
          err.message);
    CHECK_OR_RETURN(fails_with("md", "html", bad_transform, md, DP_EPLUGIN, "no-such-transform", out, &err),
                    "errors: unknown transform: %s", err.message);
    /* a malformed input: the error names the file, line and column */
    {
        const dp_kv named[] = {{"path", "broken.json"}, {NULL, NULL}};
        CHECK_OR_RETURN(fails_with("json", "html", named, "{\"docpipe\": [1,", DP_EINPUT, "", out, &err),
                        "errors: bad JSON: rc %d %s", err.code, err.message);
        CHECK_OR_RETURN(strcmp(err.file, "broken.json") == 0 && err.line == 1 && err.column > 1,
                        "errors: bad JSON position: %s:%d:%d", err.file, err.line, err.column);
    }
    CHECK_OR_RETURN(dp_buf_len(out) == 4 && memcmp(dp_buf_data(out), "kept", 4) == 0,
                    "errors: a failed conversion changed the output buffer");
    dp_error_clear(&err);
    CHECK_OR_RETURN(dp_read(reg, md, strlen(md), "md", read_transform, &doc, NULL, NULL, &err) == DP_EUSAGE && !doc,
                    "errors: dp_read took a transform: %s", err.message);
    dp_buf_free(out);
    printf("ok errors\n");
}

static void case_warnings(void)
{
    size_t len = 0;
    char *json = slurp("samples/every-node.json", &len);
    dp_buf *out = NULL;
    counts c;
    dp_error err;
    int rc;
    CHECK_OR_RETURN(json, "warnings: cannot read samples/every-node.json");
    memset(&c, 0, sizeof c);
    dp_error_clear(&err);
    dp_buf_new(&out);
    rc = dp_convert(reg, json, len, "json", "html", NULL, out, count_diag, &c, &err);
    CHECK_OR_RETURN(rc == 0, "warnings: rc %d: %s", rc, err.message);
    CHECK_OR_RETURN(c.warnings > 0, "warnings: no loss warning reached the callback");
    CHECK_OR_RETURN(c.infos == 0, "warnings: informational messages without verbose");
    free(json);
    dp_buf_free(out);
    printf("ok warnings (%d)\n", c.warnings);
}

static void case_strict(void)
{
    const dp_kv strict[] = {{"strict", "true"}, {NULL, NULL}};
    size_t len = 0;
    char *json = slurp("samples/every-node.json", &len);
    dp_buf *out = NULL;
    dp_error err;
    int rc;
    CHECK_OR_RETURN(json, "strict: cannot read samples/every-node.json");
    dp_error_clear(&err);
    dp_buf_new(&out);
    rc = dp_convert(reg, json, len, "json", "html", strict, out, NULL, NULL, &err);
    CHECK_OR_RETURN(rc == DP_ELOSS && strstr(err.message, "under --strict"), "strict: rc %d: %s", rc, err.message);
    CHECK_OR_RETURN(dp_buf_len(out) == 0, "strict: output written under strict");
    free(json);
    dp_buf_free(out);
    printf("ok strict\n");
}

static void case_limits(void)
{
    const dp_kv small[] = {{"limit:max-input-bytes", "16"}, {NULL, NULL}};
    const dp_kv shallow[] = {{"limit:max-depth", "3"}, {NULL, NULL}};
    const dp_kv bad[] = {{"limit:max-nothing", "3"}, {NULL, NULL}};
    dp_buf *out = NULL;
    dp_error err;
    dp_buf_new(&out);
    CHECK_OR_RETURN(fails_with("md", "html", small, md, DP_ELIMIT, "max-input-bytes", out, &err), "limits: size: %s",
          err.message);
    CHECK_OR_RETURN(fails_with("md", "html", shallow, "> > > > > > deep\n", DP_ELIMIT, "", out, &err),
                    "limits: depth: rc %d %s", err.code, err.message);
    CHECK_OR_RETURN(fails_with("md", "html", bad, md, DP_EUSAGE, "max-nothing", out, &err), "limits: bad limit: %s",
          err.message);
    dp_buf_free(out);
    printf("ok limits\n");
}

/* ---- threads ---- */

#define NTHREADS 8
#define ROUNDS 3

typedef struct job {
    const char *from, *to;
    char *input;
    size_t len;
    dp_buf *expected;
    int bad; /* rounds whose output differed or failed */
    char why[1200];
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    int r;
    for (r = 0; r < ROUNDS; r++) {
        dp_buf *out = NULL;
        dp_error err;
        int rc;
        dp_error_clear(&err);
        if (dp_buf_new(&out) != 0)
            return NULL;
        rc = dp_convert(reg, j->input, j->len, j->from, j->to, NULL, out, NULL, NULL, &err);
        if (rc != 0 || dp_buf_len(out) != dp_buf_len(j->expected) ||
            memcmp(dp_buf_data(out), dp_buf_data(j->expected), dp_buf_len(out)) != 0) {
            j->bad++;
            snprintf(j->why, sizeof j->why, "%s->%s: rc %d %s", j->from, j->to, rc, err.message);
        }
        dp_buf_free(out);
    }
    return NULL;
}

static void case_threads(void)
{
    static const char *const pairs[NTHREADS][2] = {{"md", "epub"}, {"md", "html"}, {"md", "tei"},
                                                   {"json", "md"}, {"json", "epub"}, {"md", "json"},
                                                   {"json", "tei"}, {"md", "md"}};
    job jobs[NTHREADS];
    pthread_t tids[NTHREADS];
    size_t speech_len = 0, json_len = 0;
    char *speech = slurp("samples/speech.md", &speech_len);
    char *json = slurp("samples/every-node.json", &json_len);
    int i, bad = 0;
    CHECK_OR_RETURN(speech && json, "threads: cannot read the samples");
    /* a registry whose plugins are not open yet: the threads race to open them */
    dp_registry_free(reg);
    reg = NULL;
    for (i = 0; i < NTHREADS; i++) {
        dp_error err;
        job *j = &jobs[i];
        memset(j, 0, sizeof *j);
        j->from = pairs[i][0];
        j->to = pairs[i][1];
        j->input = strcmp(j->from, "md") == 0 ? speech : json;
        j->len = strcmp(j->from, "md") == 0 ? speech_len : json_len;
        dp_buf_new(&j->expected);
        dp_error_clear(&err);
        if (!reg)
            dp_registry_new(&reg, NULL, &err);
        CHECK_OR_RETURN(dp_convert(reg, j->input, j->len, j->from, j->to, NULL, j->expected, NULL, NULL, &err) == 0,
                        "threads: %s->%s alone: %s", j->from, j->to, err.message);
    }
    dp_registry_free(reg);
    CHECK_OR_RETURN(dp_registry_new(&reg, NULL, NULL) == 0, "threads: no registry");
    for (i = 0; i < NTHREADS; i++)
        CHECK_OR_RETURN(pthread_create(&tids[i], NULL, run_job, &jobs[i]) == 0, "threads: pthread_create");
    for (i = 0; i < NTHREADS; i++)
        pthread_join(tids[i], NULL);
    for (i = 0; i < NTHREADS; i++) {
        if (jobs[i].bad) {
            printf("  %s (%d of %d rounds)\n", jobs[i].why, jobs[i].bad, ROUNDS);
            bad++;
        }
        dp_buf_free(jobs[i].expected);
    }
    free(speech);
    free(json);
    CHECK_OR_RETURN(bad == 0, "threads: %d of %d threads gave other results than alone", bad, NTHREADS);
    printf("ok threads (%d threads x %d conversions)\n", NTHREADS, ROUNDS);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {{"convert", case_convert}, {"steps", case_steps},     {"epub", case_epub},
                 {"errors", case_errors},   {"warnings", case_warnings}, {"strict", case_strict},
                 {"limits", case_limits},   {"threads", case_threads}};
    dp_error err;
    int i;
    size_t k;
    if (argc < 3) {
        fprintf(stderr, "usage: test_convert REPO CASE...\n");
        return 2;
    }
    repo = argv[1];
    /* EPUB output must not depend on the clock for the thread comparison */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    dp_error_clear(&err);
    if (dp_registry_new(&reg, NULL, &err) != 0) {
        printf("FAIL registry: %s\n", err.message);
        return 1;
    }
    for (i = 2; i < argc; i++) {
        for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
            if (strcmp(argv[i], cases[k].name) == 0) {
                cases[k].fn();
                break;
            }
        if (k == sizeof cases / sizeof cases[0]) {
            printf("FAIL %s: no such case\n", argv[i]);
            check_failures++;
        }
    }
    dp_registry_free(reg);
    return check_failures;
}
