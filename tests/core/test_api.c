/* Unit tests of the core's library API (no CLI): config parsing from
 * memory with exact positions, limits, exit codes, atomic writes, the
 * registry on a given directory, pipeline checks against it.
 * Usage: test_api GOOD_PLUGIN_DIR BAD_PLUGIN_DIR TMPDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <docpipe/docpipe.h>

#include "check.h"

static void parse_error(const char *yaml, int code, int line, int col, const char *fragment)
{
    dp_pipeline *p = NULL;
    dp_error err;
    int rc;
    dp_error_clear(&err);
    rc = dp_pipeline_parse(&p, "mem.yaml", yaml, strlen(yaml), "/base", &err);
    CHECK_MSG(rc == code && err.code == code, "%s: rc %d code %d, expected %d", fragment, rc, err.code, code);
    CHECK_MSG(err.line == line && err.column == col, "%s: at %d:%d, expected %d:%d (%s)", fragment, err.line,
          err.column, line, col, err.message);
    CHECK_MSG(strstr(err.message, fragment) != NULL, "message '%s' lacks '%s'", err.message, fragment);
    CHECK_MSG(strcmp(err.file, "mem.yaml") == 0, "file '%s'", err.file);
    CHECK_MSG(p == NULL, "no pipeline on failure");
    dp_pipeline_free(p);
}

static void test_config_parse(void)
{
    dp_pipeline *p = NULL;
    dp_error err;
    const char *ok = "plugin-path: [plugins, /abs]\n"
                     "limits: {max-depth: 50, max-input-bytes: 2K}\n"
                     "jobs:\n  - input: a.md\n    outputs: [a.html]\n";
    const char *const *pp;
    dp_error_clear(&err);
    CHECK_MSG(dp_pipeline_parse(&p, "ok.yaml", ok, strlen(ok), "/cfg", &err) == 0, "valid config: %s", err.message);
    /* a config adds plugin directories only when the user allows it */
    pp = dp_pipeline_plugin_path(p);
    CHECK_MSG(pp[0] == NULL, "plugin-path hidden before the user allows it");
    CHECK_MSG(dp_pipeline_set_trust(p, DP_TRUST_FILTER, &err) == DP_ECONFIG && err.line == 1 && err.column == 14 &&
                  strstr(err.message, "--allow-plugin-path"),
              "plugin-path refused, naming the flag: %d:%d %s", err.line, err.column, err.message);
    dp_error_clear(&err);
    CHECK_MSG(dp_pipeline_set_trust(p, DP_TRUST_PLUGIN_PATH, &err) == 0, "plugin-path allowed: %s", err.message);
    pp = dp_pipeline_plugin_path(p);
    CHECK_MSG(pp[0] && strcmp(pp[0], "/cfg/plugins") == 0, "plugin-path resolved against the config dir: %s", pp[0]);
    CHECK_MSG(pp[1] && strcmp(pp[1], "/abs") == 0 && !pp[2], "absolute plugin-path kept");
    CHECK_MSG(dp_pipeline_limits(p)->max_depth == 50, "limit max-depth");
    CHECK_MSG(dp_pipeline_limits(p)->max_input_bytes == 2048, "limit max-input-bytes with K suffix");
    dp_pipeline_free(p);

    parse_error("jobs:\n  - input: a.md\n    output: [x]\n", DP_ECONFIG, 3, 5, "did you mean 'outputs'");
    parse_error("jobs: 3\n", DP_ECONFIG, 1, 7, "jobs must be a list, not a scalar");
    parse_error("jobs:\n  - input: [a]\n    outputs: [x]\n", DP_ECONFIG, 2, 12, "input must be a path or a mapping");
    parse_error("jobs:\n  - input: {path: a, job: b}\n    outputs: [x]\n", DP_ECONFIG, 2, 22,
                "either a path or a job");
    parse_error("jobs:\n  - input: a\n    outputs: []\n", DP_ECONFIG, 3, 14, "outputs must not be empty");
    parse_error("jobs:\n  - input: a\n    outputs: [{options: {}}]\n", DP_ECONFIG, 3, 15,
                "an output needs a format or a path");
    parse_error("version: 2\njobs: []\n", DP_ECONFIG, 1, 10, "unsupported config version");
    parse_error("jobs:\n  - name: x\n    input: a\n    outputs: [b]\n  - name: x\n    input: a\n    outputs: [c]\n",
                DP_ECONFIG, 5, 5, "duplicate job name 'x'");
    parse_error("\tjobs: []\n", DP_ECONFIG, 1, 1, "YAML syntax error");
}

static void test_limits_and_codes(void)
{
    dp_limits l;
    dp_error err;
    dp_limits_init(&l);
    CHECK_MSG(l.max_depth > 0 && l.max_input_bytes > 0 && l.max_archive_ratio > 0, "defaults set");
    dp_error_clear(&err);
    CHECK_MSG(dp_limits_set(&l, "max-archive-bytes", "3M", &err) == 0 && l.max_archive_bytes == 3u << 20, "3M");
    dp_error_clear(&err);
    CHECK_MSG(dp_limits_set(&l, "max-depth", "1K", &err) == DP_ECONFIG, "no suffix for depth");
    dp_error_clear(&err);
    CHECK_MSG(dp_limits_set(&l, "max-dpth", "1", &err) == DP_ECONFIG && strstr(err.message, "did you mean"),
          "unknown limit suggests: %s", err.message);
    CHECK_MSG(dp_exit_code(DP_OK) == 0 && dp_exit_code(DP_EUSAGE) == 2 && dp_exit_code(DP_EINPUT) == 3 &&
              dp_exit_code(DP_ELIMIT) == 3 && dp_exit_code(DP_ECONFIG) == 4 && dp_exit_code(DP_EPLUGIN) == 5 &&
              dp_exit_code(DP_EOUTPUT) == 6 && dp_exit_code(DP_ELOSS) == 7 && dp_exit_code(DP_ENOMEM) == 1,
          "exit codes");
}

static void test_atomic(const char *tmp)
{
    char path[1024], buf[64];
    dp_error err;
    FILE *fp;
    snprintf(path, sizeof path, "%s/atomic.txt", tmp);
    dp_error_clear(&err);
    CHECK_MSG(dp_write_file_atomic(path, "one", 3, &err) == 0, "write: %s", err.message);
    CHECK_MSG(dp_write_file_atomic(path, "two!", 4, &err) == 0, "replace: %s", err.message);
    fp = fopen(path, "r");
    CHECK_MSG(fp && fread(buf, 1, sizeof buf, fp) == 4 && memcmp(buf, "two!", 4) == 0, "content replaced");
    if (fp)
        fclose(fp);
    dp_error_clear(&err);
    CHECK_MSG(dp_write_file_atomic(tmp, "x", 1, &err) == DP_EOUTPUT && strstr(err.message, "directory"),
          "a directory is refused: %s", err.message);
    dp_error_clear(&err);
    CHECK_MSG(dp_write_file_atomic("/nonexistent-dir/x", "x", 1, &err) == DP_EOUTPUT, "missing dir");
    CHECK_MSG(dp_write_file_atomic("/dev/null", "x", 1, &err) == 0, "a device is written in place");
}

static void test_registry(const char *good, const char *bad)
{
    dp_registry *reg = NULL;
    dp_registry_options ro = DP_REGISTRY_OPTIONS_INIT;
    const char *dirs[] = {good, bad, NULL};
    const dp_plugin_info *w, *r, *t;
    const dp_plugin_desc *desc = NULL;
    dp_error err;
    dp_pipeline *p = NULL;
    size_t i;
    int refused_major = 0;

    ro.dirs = dirs;
    ro.flags = DP_REGISTRY_NO_ENV | DP_REGISTRY_NO_EXE_DIR | DP_REGISTRY_NO_INSTALLED | DP_REGISTRY_NO_CACHE;
    dp_error_clear(&err);
    CHECK_MSG(dp_registry_new(&reg, &ro, &err) == 0, "registry: %s", err.message);
    if (!reg)
        return;
    CHECK_MSG(dp_registry_dir_count(reg) == 2, "two dirs searched, got %zu", dp_registry_dir_count(reg));
    w = dp_registry_find(reg, DP_PLUGIN_EXPORTER, "tt"); /* by alias */
    r = dp_registry_find_by_path(reg, DP_PLUGIN_IMPORTER, "x/y.ttxt");
    t = dp_registry_find(reg, DP_PLUGIN_TRANSFORM, "upper");
    CHECK_MSG(w && strcmp(w->id, "testtext.writer") == 0, "find by alias");
    CHECK_MSG(r && strcmp(r->id, "testtext.reader") == 0, "find by extension");
    CHECK_MSG(t && t->kind == DP_PLUGIN_TRANSFORM, "find transform");
    CHECK_MSG(dp_registry_find(reg, DP_PLUGIN_IMPORTER, "upper") == NULL, "kinds are separate");
    for (i = 0; i < dp_registry_refused_count(reg); i++)
        if (strstr(dp_registry_refused_at(reg, i)->file, "broken-major.so"))
            refused_major = strstr(dp_registry_refused_at(reg, i)->reason, "other major version") != NULL;
    CHECK_MSG(refused_major, "broken-major refused with its reason");
    CHECK_MSG(dp_registry_refusal_for(reg, "broken-major") != NULL, "refusal_for by name");
    if (w) {
        dp_error_clear(&err);
        CHECK_MSG(dp_registry_load(reg, w, &desc, &err) == 0 && desc && desc->export_fn, "load: %s", err.message);
        CHECK_MSG(dp_registry_is_loaded(reg, w), "loaded");
    }

    /* a config checked against this registry: option errors with positions */
    {
        const char *y = "jobs:\n  - input: in.ttxt\n    outputs:\n      - path: o.ttxt\n"
                        "        options: {style: loud}\n";
        dp_error_clear(&err);
        CHECK_MSG(dp_pipeline_parse(&p, "c.yaml", y, strlen(y), "/tmp", &err) == 0, "parse: %s", err.message);
        dp_error_clear(&err);
        CHECK_MSG(p && dp_pipeline_check(p, reg, &err) == DP_ECONFIG && err.line == 5 && err.column == 26 &&
                  strstr(err.message, "must be one of plain|fancy"),
              "enum check: %d:%d %s", err.line, err.column, err.message);
        dp_pipeline_free(p);
        p = NULL;
    }
    dp_registry_free(reg);
}

/* dp_iso_date: the one ISO 8601 date reader the TEI and EPUB writers share;
 * the flags let TEI demand seconds and EPUB (W3CDTF) demand a zone. */
static void test_iso_date(void)
{
    const int d = DP_DATE_OK, t = DP_DATE_TIME, sec = DP_DATE_SECONDS, z = DP_DATE_ZONE;
    CHECK_INT(dp_iso_date("2021"), d);
    CHECK_INT(dp_iso_date("2021-03"), d);
    CHECK_INT(dp_iso_date("2021-03-15"), d);
    CHECK_INT(dp_iso_date("2021-03-15T10:00"), d | t);
    CHECK_INT(dp_iso_date("2021-03-15T10:00Z"), d | t | z);
    CHECK_INT(dp_iso_date("2021-03-15T10:00:05"), d | t | sec);
    CHECK_INT(dp_iso_date("2021-03-15T10:00:05.25+01:00"), d | t | sec | z);
    CHECK_INT(dp_iso_date("2021-03-15T10:00:05-05:30"), d | t | sec | z);
    static const char *const bad[] = {NULL, "", "21", "2021-3", "2021-03-1", "2021/03/15", "2021-03T10:00",
                                      "2021-03-15T10", "2021-03-15T10:00:5", "2021-03-15T10:00:05.",
                                      "2021-03-15T10:00+1:00", "2021-03-15T10:00Zx", "2021-03-15 ", "March 2021"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(dp_iso_date(bad[i]) == 0, "\"%s\" taken for a date", bad[i] ? bad[i] : "(null)");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_api GOOD_DIR BAD_DIR TMPDIR\n");
        return 2;
    }
    mkdir(argv[3], 0755);
    test_config_parse();
    test_limits_and_codes();
    test_atomic(argv[3]);
    test_registry(argv[1], argv[2]);
    test_iso_date();
    if (check_failures) {
        printf("%d failure(s)\n", check_failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
