/*
 * sf-backup-gate: the audit key, read from its file (sf_backup_audit_key in
 * the module, --key in the verifier): a regular file no other user may
 * read, its bytes the key (a final newline left out), every copy erased
 * once taken.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sfb_audit.h"


int
sfb_audit_key_load(const char *path, unsigned char *key, size_t *len,
    char *err, size_t errlen)
{
    int            fd, rc;
    size_t         got, cap;
    ssize_t        n;
    struct stat    st;
    unsigned char  buf[SFB_AUDIT_KEY_MAX + 2];

    cap = *len < SFB_AUDIT_KEY_MAX ? *len : SFB_AUDIT_KEY_MAX;
    rc = -1;
    got = 0;

    fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open audit key file \"%s\": %s",
                 path, strerror(errno));
        return -1;
    }

    if (fstat(fd, &st) == -1) {
        snprintf(err, errlen, "cannot stat audit key file \"%s\": %s",
                 path, strerror(errno));
        goto done;
    }

    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "audit key file \"%s\" is not a regular file",
                 path);
        goto done;
    }

    /* a key others can read lets them forge the log */

    if (st.st_mode & 007) {
        snprintf(err, errlen, "audit key file \"%s\" is accessible by others "
                 "(mode %04o): run chmod o-rwx on it",
                 path, (unsigned) (st.st_mode & 07777));
        goto done;
    }

    while (got < sizeof(buf)) {
        n = read(fd, buf + got, sizeof(buf) - got);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            snprintf(err, errlen, "cannot read audit key file \"%s\": %s",
                     path, strerror(errno));
            goto done;
        }

        if (n == 0) {
            break;
        }

        got += (size_t) n;
    }

    if (got > 0 && buf[got - 1] == '\n') {
        got--;
    }

    if (got > cap) {
        snprintf(err, errlen, "audit key in \"%s\" is longer than %zu bytes",
                 path, cap);
        goto done;
    }

    if (got < SFB_AUDIT_KEY_MIN) {
        snprintf(err, errlen, "audit key in \"%s\" is %zu bytes, at least %d "
                 "are needed (e.g. openssl rand -hex 32 > file)",
                 path, got, SFB_AUDIT_KEY_MIN);
        goto done;
    }

    memcpy(key, buf, got);
    *len = got;
    rc = 0;

done:

    OPENSSL_cleanse(buf, sizeof(buf));
    (void) close(fd);

    return rc;
}
