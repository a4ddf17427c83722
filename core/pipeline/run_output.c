/* Writing what a run built: an output (atomically, or to standard output)
 * and, before it, the resources it names in its media folder, so that an
 * output on disk never names a missing file. Also the one check on outputs
 * made before reading: an output may not be the input file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/runner_priv.h"

static int same_file(const char *a, const struct stat *sb)
{
    struct stat sa;
    return a && stat(a, &sa) == 0 && sa.st_dev == sb->st_dev && sa.st_ino == sb->st_ino;
}

static int write_output(const char *path, unsigned flags, const dp_plugin_info *exporter, const dp_buf *buf,
                        dp_error *err)
{
    if (path)
        return dp_write_file(path, dp_buf_data(buf), dp_buf_len(buf), flags, err);
    if (exporter->binary_output && isatty(STDOUT_FILENO))
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                            "refusing to write binary %s output to a terminal; use -o FILE", exporter->format);
    if (fwrite(dp_buf_data(buf), 1, dp_buf_len(buf), stdout) != dp_buf_len(buf) || fflush(stdout) != 0)
        return dp_error_set(err, DP_EOUTPUT, "<stdout>", 0, 0, "cannot write to standard output: %s",
                            strerror(errno));
    return 0;
}

static int mkdirs_for(const char *path)
{
    char *dir = dpu_dirname(path), *p;
    if (!dir)
        return DP_ENOMEM;
    for (p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            (void)mkdir(dir, 0777);
            *p = '/';
        }
    }
    (void)mkdir(dir, 0777);
    free(dir);
    return 0;
}

int dpc_run_refuse_output_over_input(const dpc_item *it, dp_error *err)
{
    struct stat in_st;
    if (strcmp(it->input, "-") == 0 || stat(it->input, &in_st) != 0)
        return 0;
    for (size_t k = 0; k < it->noutputs; k++)
        if (same_file(it->outputs[k], &in_st))
            return dp_error_set(err, DP_EOUTPUT, it->outputs[k], 0, 0,
                                "output is the input file; refusing to overwrite it");
    return 0;
}

/* The resources the export placed in its media folder (host/media.c), each
 * written atomically like the output, before it: an output on disk never
 * names a file that is not there. */
static int write_media(dpc_runner *r, dpc_media *m, const dp_doc *doc, dp_error *err)
{
    for (size_t i = 0; i < m->n; i++) {
        dpc_media_item *mi = &m->items[i];
        const dp_resource *res = mi->path ? dp_doc_resource_find(doc, mi->name) : NULL;
        struct stat st;
        int rc = 0;
        if (!res)
            continue;
        if (r->p->file)
            rc = dpc_trust_write(r->p, mi->path, err);
        if (rc == 0)
            mkdirs_for(mi->path);
        mi->created = lstat(mi->path, &st) != 0;
        if (rc == 0)
            rc = dp_write_file(mi->path, res->data, res->len, r->write_flags, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The output could not be written: the media files this export created
 * go too (files that were there before stay, replaced whole or not at all). */
static void unwrite_media(const dpc_media *m)
{
    size_t dl = m->dir ? strlen(m->dir) : 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->items[i].created || !m->items[i].path)
            continue;
        (void)unlink(m->items[i].path);
        /* and the folders left empty, up to the media folder */
        char *dir = dpu_dirname(m->items[i].path);
        while (dir && strlen(dir) >= dl && strncmp(dir, m->dir, dl) == 0 && rmdir(dir) == 0) {
            char *up = dpu_dirname(dir);
            free(dir);
            dir = up;
        }
        free(dir);
    }
}

int dpc_run_write_built(dpc_runner *r, const dpc_item *it, size_t k, const dp_doc *doc, dpc_built *b,
                        dp_error *err)
{
    int rc = 0;
    if (it->outputs[k] && r->p->file)
        rc = dpc_trust_write(r->p, it->outputs[k], err);
    if (rc == 0 && it->outputs[k] && r->p->file)
        mkdirs_for(it->outputs[k]);
    if (rc == 0 && (rc = write_media(r, &b->media, doc, err)) == 0 &&
        (rc = write_output(it->outputs[k], r->write_flags, it->exporters[k], b->buf, err)) != 0)
        unwrite_media(&b->media);
    if (rc == 0 && it->outputs[k] && r->p->file)
        (void)dpc_stamp_write(r->p, it, k); /* without it the next run only rebuilds */
    return rc;
}
