/*
 * sf-backup-gate: forward-secure sealing, the keys and their files (see
 * sfb_seal.h).  Every key here is derived with OpenSSL's HMAC-SHA256; every
 * buffer that held a key or a file's text is erased with OPENSSL_cleanse()
 * before it is given back.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sfb_seal.h"


#define SFB_SEAL_EVOLVE   "sf-backup-gate seal evolve v1"
#define SFB_SEAL_MAC      "sf-backup-gate seal mac v1"
#define SFB_SEAL_HEAD     "sf-backup-gate seal state v1\n"
#define SFB_SEAL_VKEY     "sfb-seal-v1-"


static int sfb_seal_hmac(const unsigned char *key, const char *label,
    unsigned char *out);
static int sfb_seal_load(const char *path, const char *what, int vkey,
    sfb_seal_t *s, char *err, size_t errlen);
static int sfb_seal_field(const unsigned char **p, const unsigned char *end,
    const char *name, char sep, const unsigned char **v, size_t *vlen);
static int sfb_seal_number(const unsigned char *v, size_t len, int64_t max,
    int64_t *out);
static int sfb_seal_unhex(const unsigned char *v, size_t len,
    unsigned char *out, size_t n);
static void sfb_seal_hex(char *out, const unsigned char *p, size_t n);
static int sfb_seal_check(const sfb_seal_t *s, char *err, size_t errlen);


int
sfb_seal_setup(sfb_seal_t *s, int64_t now, int64_t interval)
{
    memset(s, 0, sizeof(sfb_seal_t));

    if (interval < SFB_SEAL_INTERVAL_MIN || interval > SFB_SEAL_INTERVAL_MAX
        || now < 0 || RAND_bytes(s->key, SFB_SEAL_KEY_LEN) != 1
        || sfb_audit_key_id(s->key, SFB_SEAL_KEY_LEN, s->key_id) != 0)
    {
        sfb_seal_clear(s);
        return -1;
    }

    s->start = now;
    s->interval = interval;
    s->epoch = 0;

    return 0;
}


int64_t
sfb_seal_epoch_at(const sfb_seal_t *s, int64_t time_ms)
{
    int64_t  t;

    t = time_ms < 0 ? -1 : time_ms / 1000;

    if (t < s->start || s->interval <= 0) {
        return -1;
    }

    return (t - s->start) / s->interval;
}


int
sfb_seal_advance(sfb_seal_t *s, uint64_t epoch)
{
    unsigned char  next[SFB_SEAL_KEY_LEN];

    if (epoch <= s->epoch) {
        return 0;
    }

    while (s->epoch < epoch) {
        if (sfb_seal_hmac(s->key, SFB_SEAL_EVOLVE, next) != 0) {
            OPENSSL_cleanse(next, sizeof(next));
            return -1;
        }

        /* k_n is gone: only k_{n+1} is left */
        memcpy(s->key, next, SFB_SEAL_KEY_LEN);
        s->epoch++;
    }

    OPENSSL_cleanse(next, sizeof(next));

    return 1;
}


int
sfb_seal_mac_key(const sfb_seal_t *s, unsigned char *out)
{
    return sfb_seal_hmac(s->key, SFB_SEAL_MAC, out);
}


sfb_audit_chain_t *
sfb_seal_chain_create(const sfb_seal_t *s)
{
    unsigned char       mk[SFB_SEAL_KEY_LEN];
    sfb_audit_chain_t  *c;

    if (sfb_seal_mac_key(s, mk) != 0) {
        OPENSSL_cleanse(mk, sizeof(mk));
        return NULL;
    }

    c = sfb_audit_chain_create(mk, sizeof(mk));

    if (c != NULL
        && sfb_audit_chain_rekey(c, s->key_id, (int64_t) s->epoch, mk,
                                 sizeof(mk))
           != 0)
    {
        sfb_audit_chain_destroy(c);
        c = NULL;
    }

    OPENSSL_cleanse(mk, sizeof(mk));

    return c;
}


int
sfb_seal_chain_rekey(const sfb_seal_t *s, sfb_audit_chain_t *c)
{
    int            rc;
    unsigned char  mk[SFB_SEAL_KEY_LEN];

    rc = sfb_seal_mac_key(s, mk) == 0
         && sfb_audit_chain_rekey(c, s->key_id, (int64_t) s->epoch, mk,
                                  sizeof(mk))
            == 0;

    OPENSSL_cleanse(mk, sizeof(mk));

    return rc ? 0 : -1;
}


int
sfb_seal_tick(sfb_seal_t *s, sfb_audit_chain_t *c, int64_t time_ms)
{
    int64_t  e;

    e = sfb_seal_epoch_at(s, time_ms);

    /* never back: a clock set back keeps the epoch it reached */

    if (e < 0 || (uint64_t) e <= s->epoch) {
        return 0;
    }

    if (sfb_seal_advance(s, (uint64_t) e) < 0
        || sfb_seal_chain_rekey(s, c) != 0)
    {
        return -1;
    }

    return 1;
}


size_t
sfb_seal_state_text(const sfb_seal_t *s, char *out, size_t size)
{
    int   n;
    char  hex[2 * SFB_SEAL_KEY_LEN + 1];

    sfb_seal_hex(hex, s->key, SFB_SEAL_KEY_LEN);

    n = snprintf(out, size, SFB_SEAL_HEAD "key_id %s\nstart %" PRId64
                 "\ninterval %" PRId64 "\nepoch %" PRIu64 "\nkey %s\n",
                 s->key_id, s->start, s->interval, s->epoch, hex);

    OPENSSL_cleanse(hex, sizeof(hex));

    return (n > 0 && (size_t) n < size) ? (size_t) n : 0;
}


size_t
sfb_seal_vkey_text(const sfb_seal_t *s, char *out, size_t size)
{
    int   n;
    char  hex[2 * SFB_SEAL_KEY_LEN + 1];

    sfb_seal_hex(hex, s->key, SFB_SEAL_KEY_LEN);

    n = snprintf(out, size, SFB_SEAL_VKEY "%s-%s-%" PRId64 "-%" PRId64,
                 s->key_id, hex, s->start, s->interval);

    OPENSSL_cleanse(hex, sizeof(hex));

    return (n > 0 && (size_t) n < size) ? (size_t) n : 0;
}


int
sfb_seal_state_parse(sfb_seal_t *s, const unsigned char *text, size_t len,
    char *err, size_t errlen)
{
    size_t                vlen;
    int64_t               epoch;
    const unsigned char  *p, *end, *v;

    memset(s, 0, sizeof(sfb_seal_t));

    p = text;
    end = text + len;

    if (len < sizeof(SFB_SEAL_HEAD) - 1
        || memcmp(p, SFB_SEAL_HEAD, sizeof(SFB_SEAL_HEAD) - 1) != 0)
    {
        snprintf(err, errlen, "does not begin with \"sf-backup-gate seal "
                 "state v1\"");
        return -1;
    }

    p += sizeof(SFB_SEAL_HEAD) - 1;

    if (sfb_seal_field(&p, end, "key_id ", '\n', &v, &vlen) != 0
        || vlen != SFB_AUDIT_KEY_ID_HEX
        || sfb_seal_unhex(v, vlen, NULL, vlen / 2) != 0)
    {
        snprintf(err, errlen, "no \"key_id\" line of %d hex digits",
                 SFB_AUDIT_KEY_ID_HEX);
        return -1;
    }

    memcpy(s->key_id, v, vlen);

    if (sfb_seal_field(&p, end, "start ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, INT64_C(253402300799), &s->start) != 0)
    {
        snprintf(err, errlen, "no \"start\" line (Unix seconds)");
        return -1;
    }

    if (sfb_seal_field(&p, end, "interval ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, SFB_SEAL_INTERVAL_MAX, &s->interval) != 0)
    {
        snprintf(err, errlen, "no \"interval\" line (seconds)");
        return -1;
    }

    if (sfb_seal_field(&p, end, "epoch ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, INT64_MAX, &epoch) != 0)
    {
        snprintf(err, errlen, "no \"epoch\" line");
        return -1;
    }

    s->epoch = (uint64_t) epoch;

    if (sfb_seal_field(&p, end, "key ", '\n', &v, &vlen) != 0
        || vlen != 2 * SFB_SEAL_KEY_LEN
        || sfb_seal_unhex(v, vlen, s->key, SFB_SEAL_KEY_LEN) != 0)
    {
        OPENSSL_cleanse(s->key, sizeof(s->key));
        snprintf(err, errlen, "no \"key\" line of %d hex digits",
                 2 * SFB_SEAL_KEY_LEN);
        return -1;
    }

    if (p != end) {
        sfb_seal_clear(s);
        snprintf(err, errlen, "more after the \"key\" line");
        return -1;
    }

    if (sfb_seal_check(s, err, errlen) != 0) {
        sfb_seal_clear(s);
        return -1;
    }

    return 0;
}


int
sfb_seal_vkey_parse(sfb_seal_t *s, const unsigned char *text, size_t len,
    char *err, size_t errlen)
{
    char                  id[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t                vlen;
    const unsigned char  *p, *end, *v;

    memset(s, 0, sizeof(sfb_seal_t));

    p = text;
    end = text + len;

    /* a trailing newline, as a file has */
    if (end > p && end[-1] == '\n') {
        end--;
    }

    if (sfb_seal_field(&p, end, SFB_SEAL_VKEY, '-', &v, &vlen) != 0
        || vlen != SFB_AUDIT_KEY_ID_HEX
        || sfb_seal_unhex(v, vlen, NULL, vlen / 2) != 0)
    {
        snprintf(err, errlen, "not a verification key (sfb-seal-v1-<key_id>"
                 "-<key>-<start>-<interval>)");
        return -1;
    }

    memcpy(s->key_id, v, vlen);

    if (sfb_seal_field(&p, end, "", '-', &v, &vlen) != 0
        || vlen != 2 * SFB_SEAL_KEY_LEN
        || sfb_seal_unhex(v, vlen, s->key, SFB_SEAL_KEY_LEN) != 0
        || sfb_seal_field(&p, end, "", '-', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, INT64_C(253402300799), &s->start) != 0
        || sfb_seal_number(p, (size_t) (end - p), SFB_SEAL_INTERVAL_MAX,
                           &s->interval)
           != 0)
    {
        sfb_seal_clear(s);
        snprintf(err, errlen, "not a verification key (sfb-seal-v1-<key_id>"
                 "-<key>-<start>-<interval>)");
        return -1;
    }

    /* the key_id is k_0's fingerprint: a typo in either is caught here */

    if (sfb_audit_key_id(s->key, SFB_SEAL_KEY_LEN, id) != 0
        || memcmp(id, s->key_id, SFB_AUDIT_KEY_ID_HEX) != 0)
    {
        sfb_seal_clear(s);
        snprintf(err, errlen, "the verification key's key_id is not its "
                 "key's (mistyped?)");
        return -1;
    }

    if (sfb_seal_check(s, err, errlen) != 0) {
        sfb_seal_clear(s);
        return -1;
    }

    return 0;
}


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
sfb_seal_state_save(const char *path, const sfb_seal_t *s, int create,
    char *err, size_t errlen)
{
    int         dfd, fd, rc;
    char        tmp[4096], dir[4096], text[SFB_SEAL_TEXT_MAX], why[256];
    size_t      len, off;
    ssize_t     n;
    const char *slash;
    sfb_seal_t  cur;

    fd = -1;
    rc = -1;
    tmp[0] = '\0';

    slash = strrchr(path, '/');

    if (slash == NULL) {
        memcpy(dir, ".", 2);

    } else if ((size_t) (slash - path) + 1 < sizeof(dir)) {
        len = slash == path ? 1 : (size_t) (slash - path);
        memcpy(dir, path, len);
        dir[len] = '\0';

    } else {
        snprintf(err, errlen, "seal state file name too long");
        return -1;
    }

    if ((size_t) snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path,
                          (long) getpid())
        >= sizeof(tmp))
    {
        snprintf(err, errlen, "seal state file name too long");
        return -1;
    }

    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd == -1) {
        snprintf(err, errlen, "cannot open the seal state file's directory "
                 "\"%s\": %s", dir, strerror(errno));
        return -1;
    }

    /* one writer at a time: read, compare, replace */

    while (flock(dfd, LOCK_EX) == -1) {
        if (errno != EINTR) {
            snprintf(err, errlen, "cannot lock \"%s\": %s", dir,
                     strerror(errno));
            (void) close(dfd);
            return -1;
        }
    }

    if (sfb_seal_state_load(path, &cur, why, sizeof(why)) == 0) {
        if (memcmp(cur.key_id, s->key_id, SFB_AUDIT_KEY_ID_HEX) == 0
            && cur.epoch >= s->epoch)
        {
            /* another process is there already (or further): never back */
            rc = 1;
            goto done;
        }

    } else if (!create || access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s", why);
        goto done;
    }

    len = sfb_seal_state_text(s, text, sizeof(text));

    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
              0600);
    if (len == 0 || fd == -1) {
        snprintf(err, errlen, "cannot create \"%s\": %s", tmp,
                 strerror(errno));
        goto done;
    }

    for (off = 0; off < len; off += (size_t) n) {
        n = write(fd, text + off, len - off);

        if (n == -1 && errno == EINTR) {
            n = 0;
            continue;
        }

        if (n <= 0) {
            snprintf(err, errlen, "cannot write \"%s\": %s", tmp,
                     n == 0 ? "nothing written" : strerror(errno));
            goto done;
        }
    }

    if (fsync(fd) == -1 || close(fd) == -1) {
        fd = -1;
        snprintf(err, errlen, "cannot write \"%s\": %s", tmp,
                 strerror(errno));
        goto done;
    }

    fd = -1;

    if (rename(tmp, path) == -1) {
        snprintf(err, errlen, "cannot rename \"%s\" to \"%s\": %s", tmp, path,
                 strerror(errno));
        goto done;
    }

    tmp[0] = '\0';

    /* the rename itself on disk: the old key's file is gone for good */
    (void) fsync(dfd);

    rc = 0;

done:

    if (fd != -1) {
        (void) close(fd);
    }

    if (tmp[0] != '\0') {
        (void) unlink(tmp);
    }

    OPENSSL_cleanse(text, sizeof(text));
    sfb_seal_clear(&cur);

    (void) flock(dfd, LOCK_UN);
    (void) close(dfd);

    return rc;
}


void
sfb_seal_clear(sfb_seal_t *s)
{
    OPENSSL_cleanse(s, sizeof(sfb_seal_t));
}


static int
sfb_seal_hmac(const unsigned char *key, const char *label,
    unsigned char *out)
{
    unsigned int  n;

    n = 0;

    if (HMAC(EVP_sha256(), key, SFB_SEAL_KEY_LEN,
             (const unsigned char *) label, strlen(label), out, &n)
        == NULL || n != SFB_SEAL_KEY_LEN)
    {
        return -1;
    }

    return 0;
}


static int
sfb_seal_load(const char *path, const char *what, int vkey, sfb_seal_t *s,
    char *err, size_t errlen)
{
    int            fd, rc;
    char           why[256];
    size_t         got;
    ssize_t        n;
    struct stat    st;
    unsigned char  buf[SFB_SEAL_TEXT_MAX + 1];

    memset(s, 0, sizeof(sfb_seal_t));

    rc = -1;
    got = 0;

    fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open %s \"%s\": %s", what, path,
                 strerror(errno));
        return -1;
    }

    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s \"%s\" is not a regular file", what, path);
        goto done;
    }

    /* whoever reads the key can seal records of its epoch and later */

    if (st.st_mode & 007) {
        snprintf(err, errlen, "%s \"%s\" is accessible by others (mode %04o): "
                 "run chmod o-rwx on it", what, path,
                 (unsigned) (st.st_mode & 07777));
        goto done;
    }

    while (got < sizeof(buf)) {
        n = read(fd, buf + got, sizeof(buf) - got);

        if (n == -1 && errno == EINTR) {
            continue;
        }

        if (n == -1) {
            snprintf(err, errlen, "cannot read %s \"%s\": %s", what, path,
                     strerror(errno));
            goto done;
        }

        if (n == 0) {
            break;
        }

        got += (size_t) n;
    }

    if (got > SFB_SEAL_TEXT_MAX) {
        snprintf(err, errlen, "%s \"%s\" is longer than %d bytes", what, path,
                 SFB_SEAL_TEXT_MAX);
        goto done;
    }

    rc = vkey ? sfb_seal_vkey_parse(s, buf, got, why, sizeof(why))
              : sfb_seal_state_parse(s, buf, got, why, sizeof(why));

    if (rc != 0) {
        snprintf(err, errlen, "%s \"%s\": %s", what, path, why);
    }

done:

    OPENSSL_cleanse(buf, sizeof(buf));
    (void) close(fd);

    return rc;
}


/* "name" then a value up to sep (or the end, for sep '-' only when the
 * value is the last one: the caller reads that one itself) */

static int
sfb_seal_field(const unsigned char **p, const unsigned char *end,
    const char *name, char sep, const unsigned char **v, size_t *vlen)
{
    size_t                len;
    const unsigned char  *q;

    len = strlen(name);

    if ((size_t) (end - *p) < len || memcmp(*p, name, len) != 0) {
        return -1;
    }

    q = *p + len;
    *v = q;

    while (q < end && *q != (unsigned char) sep) {
        q++;
    }

    if (q == end) {
        return -1;
    }

    *vlen = (size_t) (q - *v);
    *p = q + 1;

    return 0;
}


/* decimal digits only, no sign, no leading zero but "0", at most max */

static int
sfb_seal_number(const unsigned char *v, size_t len, int64_t max,
    int64_t *out)
{
    size_t   i;
    int64_t  n;

    if (len == 0 || len > 19 || (len > 1 && v[0] == '0')) {
        return -1;
    }

    n = 0;

    for (i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9' || n > (max - (v[i] - '0')) / 10) {
            return -1;
        }

        n = n * 10 + (v[i] - '0');
    }

    *out = n;

    return 0;
}


/* lowercase hex, as written; out NULL: only checked */

static int
sfb_seal_unhex(const unsigned char *v, size_t len, unsigned char *out,
    size_t n)
{
    size_t         i;
    unsigned char  c, d;

    if (len != 2 * n) {
        return -1;
    }

    for (i = 0; i < len; i++) {
        c = v[i];

        if (c >= '0' && c <= '9') {
            d = (unsigned char) (c - '0');

        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned char) (c - 'a' + 10);

        } else {
            return -1;
        }

        if (out == NULL) {
            continue;
        }

        if (i % 2 == 0) {
            out[i / 2] = (unsigned char) (d << 4);

        } else {
            out[i / 2] |= d;
        }
    }

    return 0;
}


static void
sfb_seal_hex(char *out, const unsigned char *p, size_t n)
{
    size_t  i;

    static const char  digits[] = "0123456789abcdef";

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0x0f];
    }

    out[2 * n] = '\0';
}


static int
sfb_seal_check(const sfb_seal_t *s, char *err, size_t errlen)
{
    if (s->interval < SFB_SEAL_INTERVAL_MIN) {
        snprintf(err, errlen, "interval under %d s", SFB_SEAL_INTERVAL_MIN);
        return -1;
    }

    if (s->epoch > SFB_SEAL_EPOCH_MAX) {
        snprintf(err, errlen, "epoch %" PRIu64 " is past the last one a "
                 "verifier derives (%" PRIu64 ")", s->epoch,
                 SFB_SEAL_EPOCH_MAX);
        return -1;
    }

    return 0;
}
