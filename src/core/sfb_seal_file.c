/*
 * sf-backup-gate: forward-secure sealing, the state file and the
 * verification key's file (see sfb_seal.h).  Every buffer that held a key
 * or a file's text is erased with OPENSSL_cleanse() before it is given
 * back.
 *
 * The state file is only ever written in place, through pwrite() at a
 * slot's offset, under a POSIX record lock: no temporary file that a crash
 * could leave behind with a key in it, no rename that would need the
 * directory writable.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sfb_seal_impl.h"


static int sfb_seal_load(const char *path, const char *what, int vkey,
    sfb_seal_t *s, char *err, size_t errlen);
static int sfb_seal_private(int fd, const char *path, const char *what,
    char *err, size_t errlen);
static int sfb_seal_file_read(int fd, sfb_seal_file_t *f, char *err,
    size_t errlen);
static ssize_t sfb_seal_read_all(int fd, unsigned char *buf, char *err,
    size_t errlen);
static int sfb_seal_update(int fd, const sfb_seal_t *s, int halves,
    int wait, char *err, size_t errlen);
static int sfb_seal_move_on(int fd, const sfb_seal_file_t *f,
    const sfb_seal_t *s, int halves, char *err, size_t errlen);
static int sfb_seal_mend(int fd, sfb_seal_file_t *f, char *err,
    size_t errlen);
static int sfb_seal_put_slot(int fd, int slot, const sfb_seal_t *s,
    uint64_t seq, char *err, size_t errlen);
static int sfb_seal_put(int fd, const void *buf, size_t len, off_t off,
    char *err, size_t errlen);
static int sfb_seal_create(const char *path, int *fd, const char *what,
    char *err, size_t errlen);
static int sfb_seal_sync_dir(const char *path, char *err, size_t errlen);
static int sfb_seal_lock(int fd, short type, int wait, char *err,
    size_t errlen);
static void sfb_seal_unlock(int fd);


int
sfb_seal_state_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen)
{
    return sfb_seal_load(path, "seal state file", 0, s, err, errlen);
}


int
sfb_seal_vkey_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen)
{
    return sfb_seal_load(path, "verification key file", 1, s, err, errlen);
}


int
sfb_seal_state_create(const char *path, const sfb_seal_t *s, char *err,
    size_t errlen)
{
    int     fd, rc;
    char    text[SFB_SEAL_TEXT_MAX], why[256];
    size_t  len;

    if (sfb_seal_check(s, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "cannot make seal state file \"%s\": %s", path,
                 why);
        return -1;
    }

    len = sfb_seal_state_text(s, 1, text, sizeof(text));
    if (len == 0) {
        snprintf(err, errlen, "cannot make seal state file \"%s\": not a "
                 "state to write", path);
        return -1;
    }

    if (sfb_seal_create(path, &fd, "seal state file", err, errlen) != 0) {
        OPENSSL_cleanse(text, sizeof(text));
        return -1;
    }

    /* locked before a byte is in it: sfb_seal_state_open() waits for the
     * whole text */

    rc = sfb_seal_lock(fd, F_WRLCK, 1, why, sizeof(why));

    if (rc == 0) {
        rc = sfb_seal_put(fd, text, len, 0, why, sizeof(why));
    }

    OPENSSL_cleanse(text, sizeof(text));
    sfb_seal_unlock(fd);

    if (close(fd) == -1 && rc == 0) {
        snprintf(why, sizeof(why), "close: %s", strerror(errno));
        rc = -1;
    }

    /* the name on disk too: a state that is lost after a crash would leave
     * a verification key that seals nothing */

    if (rc == 0) {
        rc = sfb_seal_sync_dir(path, why, sizeof(why));
    }

    if (rc != 0) {
        /* ours (O_EXCL): a key whose verification key nobody saw */
        (void) unlink(path);
        snprintf(err, errlen, "cannot make seal state file \"%s\": %s", path,
                 why);
        return -1;
    }

    return 0;
}


int
sfb_seal_vkey_create(const char *path, const sfb_seal_t *s, char *err,
    size_t errlen)
{
    int     fd, rc;
    char    text[SFB_SEAL_TEXT_MAX + 1], why[256];
    size_t  len;

    len = sfb_seal_vkey_text(s, text, sizeof(text) - 1);
    if (len == 0) {
        snprintf(err, errlen, "cannot make verification key file \"%s\": "
                 "not a key to write", path);
        return -1;
    }

    text[len++] = '\n';

    if (sfb_seal_create(path, &fd, "verification key file", err, errlen)
        != 0)
    {
        OPENSSL_cleanse(text, sizeof(text));
        return -1;
    }

    rc = sfb_seal_put(fd, text, len, 0, why, sizeof(why));

    OPENSSL_cleanse(text, sizeof(text));

    if (close(fd) == -1 && rc == 0) {
        snprintf(why, sizeof(why), "close: %s", strerror(errno));
        rc = -1;
    }

    if (rc == 0) {
        rc = sfb_seal_sync_dir(path, why, sizeof(why));
    }

    if (rc != 0) {
        /* ours (O_EXCL): half a key is no key */
        (void) unlink(path);
        snprintf(err, errlen, "cannot make verification key file \"%s\": "
                 "%s", path, why);
        return -1;
    }

    return 0;
}


int
sfb_seal_state_open(const char *path, int *fd, sfb_seal_t *s, char *err,
    size_t errlen)
{
    int              n, rc;
    char             why[384];
    sfb_seal_file_t  f;

    *fd = -1;
    memset(s, 0, sizeof(sfb_seal_t));
    memset(&f, 0, sizeof(sfb_seal_file_t));

    n = open(path, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (n == -1) {
        if (errno == ELOOP) {
            snprintf(err, errlen, "seal state file \"%s\" is a symbolic "
                     "link: name the file itself", path);

        } else {
            snprintf(err, errlen, "cannot open seal state file \"%s\": %s",
                     path, strerror(errno));
        }

        return -1;
    }

    if (sfb_seal_private(n, path, "seal state file", err, errlen) != 0) {
        (void) close(n);
        return -1;
    }

    rc = sfb_seal_lock(n, F_WRLCK, 1, why, sizeof(why));

    if (rc == 0) {
        rc = sfb_seal_file_read(n, &f, why, sizeof(why));

        if (rc == 0) {
            rc = sfb_seal_mend(n, &f, why, sizeof(why));
        }

        sfb_seal_unlock(n);
    }

    if (rc != 0) {
        sfb_seal_clear(&f.s);
        snprintf(err, errlen, "seal state file \"%s\": %s", path, why);
        (void) close(n);
        return -1;
    }

    *s = f.s;
    *fd = n;

    sfb_seal_clear(&f.s);

    return 0;
}


int
sfb_seal_state_read(int fd, sfb_seal_t *s, char *err, size_t errlen)
{
    int              rc;
    char             why[384];
    sfb_seal_file_t  f;

    memset(s, 0, sizeof(sfb_seal_t));

    if (sfb_seal_lock(fd, F_RDLCK, 1, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "seal state file: %s", why);
        return -1;
    }

    rc = sfb_seal_file_read(fd, &f, why, sizeof(why));

    sfb_seal_unlock(fd);

    if (rc != 0) {
        snprintf(err, errlen, "seal state file: %s", why);
        return -1;
    }

    *s = f.s;

    sfb_seal_clear(&f.s);

    return 0;
}


int
sfb_seal_state_write(int fd, const sfb_seal_t *s, char *err, size_t errlen)
{
    return sfb_seal_update(fd, s, 2, 1, err, errlen);
}


int
sfb_seal_state_try_write(int fd, const sfb_seal_t *s, char *err,
    size_t errlen)
{
    return sfb_seal_update(fd, s, 2, 0, err, errlen);
}


int
sfb_seal_state_write_half(int fd, const sfb_seal_t *s, char *err,
    size_t errlen)
{
    return sfb_seal_update(fd, s, 1, 1, err, errlen);
}


static int
sfb_seal_load(const char *path, const char *what, int vkey, sfb_seal_t *s,
    char *err, size_t errlen)
{
    int              fd, rc;
    char             why[384];
    ssize_t          n;
    unsigned char    buf[SFB_SEAL_TEXT_MAX + 1];
    sfb_seal_file_t  f;

    memset(s, 0, sizeof(sfb_seal_t));

    fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open %s \"%s\": %s", what, path,
                 strerror(errno));
        return -1;
    }

    if (sfb_seal_private(fd, path, what, err, errlen) != 0) {
        (void) close(fd);
        return -1;
    }

    if (vkey) {
        n = sfb_seal_read_all(fd, buf, why, sizeof(why));
        rc = n < 0 ? -1 : sfb_seal_vkey_parse(s, buf, (size_t) n, why,
                                              sizeof(why));
        OPENSSL_cleanse(buf, sizeof(buf));

    } else {
        /* a gateway may be writing a slot meanwhile */
        rc = sfb_seal_lock(fd, F_RDLCK, 1, why, sizeof(why));

        if (rc == 0) {
            rc = sfb_seal_file_read(fd, &f, why, sizeof(why));
            sfb_seal_unlock(fd);

            *s = f.s;
            sfb_seal_clear(&f.s);
        }
    }

    (void) close(fd);

    if (rc != 0) {
        snprintf(err, errlen, "%s \"%s\": %s", what, path, why);
    }

    return rc;
}


/* whoever reads the key can seal records of its epoch and later */

static int
sfb_seal_private(int fd, const char *path, const char *what, char *err,
    size_t errlen)
{
    struct stat  st;

    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s \"%s\" is not a regular file", what, path);
        return -1;
    }

    if (st.st_mode & 007) {
        snprintf(err, errlen, "%s \"%s\" is accessible by others (mode %04o): "
                 "run chmod o-rwx on it", what, path,
                 (unsigned) (st.st_mode & 07777));
        return -1;
    }

    return 0;
}


/* under a lock: what the file holds */

static int
sfb_seal_file_read(int fd, sfb_seal_file_t *f, char *err, size_t errlen)
{
    int            rc;
    ssize_t        n;
    unsigned char  buf[SFB_SEAL_TEXT_MAX + 1];

    memset(f, 0, sizeof(sfb_seal_file_t));

    n = sfb_seal_read_all(fd, buf, err, errlen);
    rc = n < 0 ? -1 : sfb_seal_file_parse(f, buf, (size_t) n, err, errlen);

    OPENSSL_cleanse(buf, sizeof(buf));

    return rc;
}


/* the whole file from its start, into SFB_SEAL_TEXT_MAX + 1 bytes */

static ssize_t
sfb_seal_read_all(int fd, unsigned char *buf, char *err, size_t errlen)
{
    size_t   got;
    ssize_t  n;

    for (got = 0; got < SFB_SEAL_TEXT_MAX + 1; got += (size_t) n) {
        n = pread(fd, buf + got, SFB_SEAL_TEXT_MAX + 1 - got, (off_t) got);

        if (n == -1 && errno == EINTR) {
            n = 0;
            continue;
        }

        if (n == -1) {
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
            return -1;
        }

        if (n == 0) {
            break;
        }
    }

    if (got > SFB_SEAL_TEXT_MAX) {
        snprintf(err, errlen, "longer than %d bytes", SFB_SEAL_TEXT_MAX);
        return -1;
    }

    return (ssize_t) got;
}


static int
sfb_seal_update(int fd, const sfb_seal_t *s, int halves, int wait,
    char *err, size_t errlen)
{
    int              rc;
    char             why[384];
    sfb_seal_file_t  f;

    if (sfb_seal_check(s, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "seal state file not written: %s", why);
        return -1;
    }

    rc = sfb_seal_lock(fd, F_WRLCK, wait, why, sizeof(why));

    if (rc == 1) {
        /* another process updates it: to this epoch, or it is behind too */
        return 2;
    }

    if (rc != 0) {
        snprintf(err, errlen, "seal state file: %s", why);
        return -1;
    }

    rc = sfb_seal_file_read(fd, &f, why, sizeof(why));

    if (rc == 0) {
        rc = sfb_seal_move_on(fd, &f, s, halves, why, sizeof(why));
    }

    sfb_seal_unlock(fd);
    sfb_seal_clear(&f.s);

    if (rc == -1) {
        snprintf(err, errlen, "seal state file: %s", why);
    }

    return rc;
}


/* under the lock, f what the file holds: 0, 1 or -1 as
 * sfb_seal_state_write() */

static int
sfb_seal_move_on(int fd, const sfb_seal_file_t *f, const sfb_seal_t *s,
    int halves, char *err, size_t errlen)
{
    if (f->v1) {
        snprintf(err, errlen, "holds a v1 state (written over since it was "
                 "opened?): opening it again rewrites it as v2");
        return -1;
    }

    if (memcmp(f->s.key_id, s->key_id, SFB_AUDIT_KEY_ID_HEX) != 0
        || f->s.start != s->start || f->s.interval != s->interval)
    {
        snprintf(err, errlen, "holds another setup (key_id %s, start %"
                 PRId64 ", interval %" PRId64 ") than this state's (key_id "
                 "%s, start %" PRId64 ", interval %" PRId64 ")",
                 f->s.key_id, f->s.start, f->s.interval, s->key_id,
                 s->start, s->interval);
        return -1;
    }

    if (f->s.epoch >= s->epoch) {
        /* another process is there already (or further): never back; a
         * torn pair is mended all the same */

        if (halves == 2 && f->torn
            && sfb_seal_put_slot(fd, 1 - f->slot, &f->s, f->seq, err, errlen)
               != 0)
        {
            return -1;
        }

        return 1;
    }

    /* the slot that is not current first: until it is on disk, the other
     * still holds a whole state; then the other, so that no older key is
     * left in the file */

    if (sfb_seal_put_slot(fd, 1 - f->slot, s, f->seq + 1, err, errlen) != 0
        || (halves == 2
            && sfb_seal_put_slot(fd, f->slot, s, f->seq + 1, err, errlen)
               != 0))
    {
        return -1;
    }

    return 0;
}


/* under the lock, at open: a v1 file becomes v2, a torn pair one */

static int
sfb_seal_mend(int fd, sfb_seal_file_t *f, char *err, size_t errlen)
{
    int     rc;
    char    text[SFB_SEAL_TEXT_MAX];
    size_t  len;

    if (f->v1) {
        len = sfb_seal_state_text(&f->s, 1, text, sizeof(text));

        /* v2 is longer than any v1: every byte of it is overwritten */
        if (len == 0 || ftruncate(fd, (off_t) len) == -1) {
            snprintf(err, errlen, "cannot rewrite v1 as v2: %s",
                     len == 0 ? "not a state to write" : strerror(errno));
            rc = -1;

        } else {
            rc = sfb_seal_put(fd, text, len, 0, err, errlen);
        }

        OPENSSL_cleanse(text, sizeof(text));

        f->v1 = 0;
        f->seq = 1;
        f->slot = 0;

        return rc;
    }

    if (f->torn) {
        return sfb_seal_put_slot(fd, 1 - f->slot, &f->s, f->seq, err, errlen);
    }

    return 0;
}


static int
sfb_seal_put_slot(int fd, int slot, const sfb_seal_t *s, uint64_t seq,
    char *err, size_t errlen)
{
    int   rc;
    char  head[SFB_SEAL_STATE_HEAD + 1], line[SFB_SEAL_STATE_SLOT + 1];

    if (sfb_seal_head_text(s, head) != 0
        || sfb_seal_slot_text(s, seq, head, line) != 0)
    {
        OPENSSL_cleanse(line, sizeof(line));
        snprintf(err, errlen, "not a state to write");
        return -1;
    }

    rc = sfb_seal_put(fd, line, SFB_SEAL_STATE_SLOT,
                      SFB_SEAL_STATE_HEAD + slot * SFB_SEAL_STATE_SLOT, err,
                      errlen);

    OPENSSL_cleanse(line, sizeof(line));

    return rc;
}


/*
 * pwrite() then fdatasync(): on disk before anything else is touched.
 * fdatasync() flushes the data and what reading it back needs (a size
 * that changed), not the times: the cheaper call, made twice an epoch.
 */

static int
sfb_seal_put(int fd, const void *buf, size_t len, off_t off, char *err,
    size_t errlen)
{
    size_t   done;
    ssize_t  n;

    for (done = 0; done < len; done += (size_t) n) {
        n = pwrite(fd, (const char *) buf + done, len - done,
                   off + (off_t) done);

        if (n == -1 && errno == EINTR) {
            n = 0;
            continue;
        }

        if (n <= 0) {
            snprintf(err, errlen, "cannot write: %s",
                     n == 0 ? "nothing written" : strerror(errno));
            return -1;
        }
    }

    if (fdatasync(fd) == -1) {
        snprintf(err, errlen, "cannot write: fdatasync: %s",
                 strerror(errno));
        return -1;
    }

    return 0;
}


/*
 * A new file for a key: never an existing one (O_EXCL: open() leaves it
 * as it was, not truncated), mode 0600 whatever the umask took away.
 */

static int
sfb_seal_create(const char *path, int *fd, const char *what, char *err,
    size_t errlen)
{
    int  n;

    n = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY
                   | O_CLOEXEC, 0600);
    if (n == -1) {
        snprintf(err, errlen, "cannot create %s \"%s\": %s", what, path,
                 strerror(errno));
        return -1;
    }

    if (fchmod(n, 0600) == -1) {
        snprintf(err, errlen, "cannot create %s \"%s\": fchmod: %s", what,
                 path, strerror(errno));
        (void) close(n);
        (void) unlink(path);
        return -1;
    }

    *fd = n;

    return 0;
}


static int
sfb_seal_sync_dir(const char *path, char *err, size_t errlen)
{
    int          fd, rc;
    char         dir[4096];
    size_t       len;
    const char  *slash;

    slash = strrchr(path, '/');

    if (slash == NULL) {
        memcpy(dir, ".", 2);

    } else if ((size_t) (slash - path) < sizeof(dir)) {
        len = slash == path ? 1 : (size_t) (slash - path);
        memcpy(dir, path, len);
        dir[len] = '\0';

    } else {
        snprintf(err, errlen, "its directory's name is too long");
        return -1;
    }

    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rc = fd == -1 ? -1 : fsync(fd);

    if (rc == -1) {
        snprintf(err, errlen, "cannot sync its directory: %s",
                 strerror(errno));
    }

    if (fd != -1) {
        (void) close(fd);
    }

    return rc;
}


/* the whole file, however long; a signal is no reason to give up */

static int
sfb_seal_lock(int fd, short type, int wait, char *err, size_t errlen)
{
    struct flock  fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = type;
    fl.l_whence = SEEK_SET;

    while (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) == -1) {
        if (!wait && (errno == EAGAIN || errno == EACCES)) {
            return 1;
        }

        if (errno != EINTR) {
            snprintf(err, errlen, "cannot lock: %s", strerror(errno));
            return -1;
        }
    }

    return 0;
}


static void
sfb_seal_unlock(int fd)
{
    struct flock  fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;

    (void) fcntl(fd, F_SETLK, &fl);
}


/* "name" then a value up to sep (or the end, for sep '-' only when the
 * value is the last one: the caller reads that one itself) */
