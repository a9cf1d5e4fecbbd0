/*
 * sf-backup-gate: the verifier's reading of log files, plain or gzip'd
 * (logrotate's "compress"), cut into lines for sfb_audit_check_line().
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "sfb_audit_check_impl.h"


/* what one read of a log file asks zlib for */
#define SFB_CHECK_CHUNK     (64 * 1024)


static const char *sfb_check_compressed(const char *magic, size_t len);


/*
 * Plain or gzip-compressed (logrotate's "compress"): zlib reads both.  A
 * file that cannot be read or decompressed is an I/O error that names it,
 * never a record problem: its bytes say nothing about the records.
 */
int
sfb_audit_check_path(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen)
{
    int             fd, n, rc, zerr;
    char            magic[6];
    gzFile          gz;
    size_t          len, cap, seg;
    ssize_t         got;
    const char     *what;
    unsigned char  *buf, *line, *p, *last, *nl, *grown;

    fd = open(path, O_RDONLY);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open \"%s\": %s", path, strerror(errno));
        return -1;
    }

    got = pread(fd, magic, sizeof(magic), 0);
    if (got == -1) {
        snprintf(err, errlen, "cannot read \"%s\": %s", path, strerror(errno));
        (void) close(fd);
        return -1;
    }

    what = sfb_check_compressed(magic, (size_t) got);
    if (what != NULL) {
        snprintf(err, errlen, "cannot read \"%s\": compressed with %s; only "
                 "plain and gzip files are read (decompress it first)",
                 path, what);
        (void) close(fd);
        return -1;
    }

    buf = malloc(SFB_CHECK_CHUNK);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        (void) close(fd);
        return -1;
    }

    gz = gzdopen(fd, "rb");
    if (gz == NULL || sfb_audit_check_begin_file(ck, path) != 0) {
        snprintf(err, errlen, "out of memory");
        free(buf);
        if (gz != NULL) {
            (void) gzclose(gz);
        } else {
            (void) close(fd);
        }
        return -1;
    }

    line = NULL;
    len = 0;
    cap = 0;
    rc = 0;
    n = 0;

    /* a line is a byte range, not a C string: NULs are kept */

    while (rc == 0 && (n = gzread(gz, buf, SFB_CHECK_CHUNK)) > 0) {

        p = buf;
        last = buf + n;

        while (p < last) {
            nl = memchr(p, '\n', (size_t) (last - p));

            if (nl != NULL && len == 0) {
                /* the whole line is in this chunk */
                if (sfb_audit_check_line(ck, p, (size_t) (nl - p), 1) != 0) {
                    rc = -1;
                    break;
                }

                p = nl + 1;
                continue;
            }

            seg = (size_t) ((nl != NULL ? nl : last) - p);

            if (len + seg > cap) {
                cap = 2 * (len + seg);
                grown = realloc(line, cap);
                if (grown == NULL) {
                    rc = -1;
                    break;
                }

                line = grown;
            }

            memcpy(line + len, p, seg);
            len += seg;
            p += seg;

            if (nl != NULL) {
                if (sfb_audit_check_line(ck, line, len, 1) != 0) {
                    rc = -1;
                    break;
                }

                len = 0;
                p++;
            }
        }
    }

    if (rc == 0) {
        /* after the end: Z_BUF_ERROR is a gzip stream cut short */
        (void) gzerror(gz, &zerr);

        if (zerr == Z_ERRNO) {
            snprintf(err, errlen, "cannot read \"%s\": %s", path,
                     strerror(errno));
            rc = -2;

        } else if (n < 0 || zerr != Z_OK) {
            /* zlib says "<fd:N>: what" */
            what = gzerror(gz, &zerr);
            what = strstr(what, ": ") ? strstr(what, ": ") + 2 : what;

            snprintf(err, errlen, "cannot read \"%s\": not a whole gzip "
                     "file (%s): cut short or corrupt", path, what);
            rc = -2;

        } else if (len > 0 && sfb_audit_check_line(ck, line, len, 0) != 0) {
            rc = -1;
        }
    }

    if (rc == -1) {
        snprintf(err, errlen, "out of memory");
    }

    free(line);
    free(buf);
    (void) gzclose(gz);

    return rc == 0 ? 0 : -1;
}


/* what logrotate's compresscmd may have used instead of gzip */
static const char *
sfb_check_compressed(const char *magic, size_t len)
{
    if (len >= 6 && memcmp(magic, "\xfd" "7zXZ\0", 6) == 0) {
        return "xz";
    }

    if (len >= 4 && memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0) {
        return "zstd";
    }

    if (len >= 3 && memcmp(magic, "BZh", 3) == 0) {
        return "bzip2";
    }

    return NULL;
}
