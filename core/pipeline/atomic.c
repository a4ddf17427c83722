/* realpath() is XSI */
#define _XOPEN_SOURCE 700
/* Atomic output: a temporary file in the target directory, renamed into
 * place (fsync of the file and the directory with DP_WRITE_DURABLE). A
 * failed write leaves the previous file as it was and no temporary
 * behind. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/pipeline_priv.h"

/* POSIX has no way to read the umask without setting it: umask(0) then
 * umask(old) leaves a window in which every file or directory another
 * thread creates gets mode 0666 / 0777 (docpipe run --jobs wrote
 * world-writable outputs). So it is read once, from /proc when Linux offers
 * it (no window at all), else with umask() under pthread_once; the runner
 * calls dpc_umask() before it starts any thread. */
static mode_t process_umask;

static void read_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    unsigned um;
    if (f) {
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &um) == 1) {
                fclose(f);
                process_umask = (mode_t)(um & 0777);
                return;
            }
        fclose(f);
    }
    process_umask = umask(0);
    umask(process_umask);
}

unsigned dpc_umask(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_umask);
    return (unsigned)process_umask;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Devices, FIFOs and the like cannot be replaced by a rename (and must not
 * be: renaming over /dev/null would be a disaster), so they are written in
 * place. */
static int write_special(const char *path, const void *data, size_t len, dp_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    int rc = 0;
    if (fd < 0)
        return dp_error_set(err, DP_EOUTPUT, path, 0, 0, "cannot open for writing: %s", strerror(errno));
    if (write_all(fd, data, len) != 0)
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "write failed: %s", strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "write failed: %s", strerror(errno));
    return rc;
}

int dp_write_file(const char *path, const void *data, size_t len, unsigned flags, dp_error *err)
{
    int durable = (flags & DP_WRITE_DURABLE) != 0;
    struct stat st;
    char *dir = NULL, *tmp = NULL;
    int fd = -1, rc = 0, have_old;
    mode_t mode;

    if (!path || !*path || (!data && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_write_file_atomic: bad arguments");
    /* Writing through a symlink replaces what it points to, not the link. */
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *target = realpath(path, NULL);
        if (target) {
            rc = dp_write_file(target, data, len, flags, err);
            free(target);
            return rc;
        }
    }
    have_old = stat(path, &st) == 0;
    if (have_old && S_ISDIR(st.st_mode))
        return dp_error_set(err, DP_EOUTPUT, path, 0, 0, "output is a directory");
    if (have_old && !S_ISREG(st.st_mode))
        return write_special(path, data, len, err);

    dir = dpu_dirname(path);
    tmp = dpu_printf("%s/.%s.dptmp-XXXXXX", dir ? dir : ".", dpu_basename(path));
    if (!dir || !tmp) {
        rc = dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "cannot create a file in %s: %s", dir,
                          strerror(errno));
        free(tmp);
        tmp = NULL; /* nothing to remove */
        goto cleanup;
    }
    /* Keep the mode of the file being replaced; a new file gets the usual
     * 0666 minus umask rather than mkstemp's 0600. */
    if (have_old) {
        mode = st.st_mode & 07777;
    } else {
        mode = 0666 & ~(mode_t)dpc_umask();
    }
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || (durable && fsync(fd) != 0)) {
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "write failed: %s", strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "write failed: %s", strerror(errno));
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0, "cannot rename into place: %s", strerror(errno));
        goto cleanup;
    }
    free(tmp);
    tmp = NULL;
    if (durable) {
        /* Make the rename itself durable. */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
cleanup:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(dir);
    return rc;
}

int dp_write_file_atomic(const char *path, const void *data, size_t len, dp_error *err)
{
    return dp_write_file(path, data, len, DP_WRITE_DURABLE, err);
}
