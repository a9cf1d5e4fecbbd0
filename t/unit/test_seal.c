/*
 * Forward-secure sealing (src/core/sfb_seal_keys.c) and its verification, with a
 * clock the test sets: keys move one way, the state file (written in place
 * through one descriptor, by several processes) holds the current epoch's
 * key only, after a crash between the halves of an update too, and never
 * moves back, and an attacker who holds the state of epoch N (everything
 * a worker has) cannot modify or insert a record of an earlier epoch
 * without the verifier saying so, in either of its modes.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sfb_verify.h"
#include "sfb_seal.h"
#include "sfb_tap.h"
#include "sfb_seal_attack.h"


#define T0        INT64_C(1795570600)       /* the setup, Unix seconds */
#define INTERVAL  10
#define NLINES    48

/* each of two processes writing at once */
#define PROCESS_WRITES  40


typedef struct {
    char    *line[NLINES + 8];
    size_t   n;
} log_t;


static sfb_str_t str(const char *s);
static void make_log(sfb_seal_t *vk, sfb_seal_t *at_n, log_t *log);
static void log_copy(log_t *dst, const log_t *src);
static void log_free(log_t *log);
static int verify(const sfb_seal_t *vk, const log_t *log, int strict,
    const sfb_audit_problem_t **problem, sfb_audit_check_t **out);
static void expect(const char *name, const sfb_seal_t *vk, const log_t *log,
    sfb_audit_problem_e kind, uint64_t line, const char *detail);
static void test_keys(void);
static void test_texts(void);
static void test_files(const char *dir);
static void test_v1(const char *dir);
static void test_torn(const char *dir);
static void test_corrupt(const char *dir);
static void test_refused(const char *dir);
static void test_processes(const char *dir);
static int writer(int fd, const sfb_seal_t *vk, uint64_t from, uint64_t to);
static void test_attacker(void);
static void hex_of(const unsigned char *p, size_t n, char *out);
static int same_state(const sfb_seal_t *a, const sfb_seal_t *b);
static size_t v1_text(const sfb_seal_t *s, char *out, size_t size);
static void key_at(const sfb_seal_t *vk, uint64_t epoch, sfb_seal_t *out);
static size_t file_text(const char *path, char *buf, size_t size);
static void put_text(const char *path, const char *text, size_t len);
static int has(const char *buf, size_t len, const void *what, size_t n);
static int holds_key(const char *path, const unsigned char *key);
static int slots_equal(const char *path);
static void flip(const char *path, size_t off);
static int entries(const char *dir);


static const unsigned char  zero_key[SFB_SEAL_KEY_LEN];


int
main(void)
{
    char  dir[] = "/tmp/sfb-seal-unit.XXXXXX";

    test_keys();
    test_texts();

    if (mkdtemp(dir) == NULL) {
        ok(0, "mkdtemp");
        return done_testing();
    }

    test_files(dir);
    test_v1(dir);
    test_torn(dir);
    test_corrupt(dir);
    test_refused(dir);
    test_processes(dir);
    is_int(entries(dir), 0, "nothing left behind in the directory");
    (void) rmdir(dir);

    test_attacker();

    return done_testing();
}


/* k_{n+1} = HMAC(k_n, label), by OpenSSL's one-shot HMAC, independently */
static void
test_keys(void)
{
    int            i;
    sfb_seal_t     s, t;
    unsigned int   n;
    unsigned char  k[32], mk[32], want[32];

    ok(sfb_seal_setup(&s, T0, INTERVAL) == 0, "setup");
    is_int(s.epoch, 0, "setup: epoch 0");
    is_int(sfb_seal_epoch_at(&s, T0 * 1000), 0, "epoch at start");
    is_int(sfb_seal_epoch_at(&s, T0 * 1000 - 1), -1, "before start: -1");
    is_int(sfb_seal_epoch_at(&s, (T0 + INTERVAL) * 1000 - 1), 0,
           "last ms of epoch 0");
    is_int(sfb_seal_epoch_at(&s, (T0 + 3 * INTERVAL) * 1000), 3, "epoch 3");

    memcpy(k, s.key, 32);
    t = s;

    for (i = 0; i < 5; i++) {
        HMAC(EVP_sha256(), k, 32,
             (const unsigned char *) "sf-backup-gate seal evolve v1", 29, k,
             &n);
    }

    is_int(sfb_seal_advance(&t, 5), 1, "advance to 5");
    ok(memcmp(t.key, k, 32) == 0, "k_5 is HMAC(k_n, evolve) five times");
    is_int(sfb_seal_advance(&t, 3), 0, "never back");
    is_int(t.epoch, 5, "still epoch 5");

    HMAC(EVP_sha256(), k, 32,
         (const unsigned char *) "sf-backup-gate seal mac v1", 26, want, &n);
    ok(sfb_seal_mac_key(&t, mk) == 0 && memcmp(mk, want, 32) == 0,
       "mac key of epoch 5 is HMAC(k_5, mac)");
    ok(memcmp(mk, t.key, 32) != 0, "the mac key is not the epoch key");

    ok(sfb_seal_setup(&t, T0, 0) == -1, "interval 0 refused");
}


static void
test_texts(void)
{
    char           text[SFB_SEAL_TEXT_MAX], err[256], bad[SFB_SEAL_TEXT_MAX];
    char           want[SFB_SEAL_TEXT_MAX], hex[65], sum[65];
    size_t         len;
    uint64_t       seq;
    sfb_seal_t     s, p;
    unsigned int   n;
    unsigned char  md[32];
    EVP_MD_CTX    *ctx;

    /* a known key, and the sum made here with EVP: the layout and what the
     * sum covers are the documented ones */

    memset(&s, 0, sizeof(s));
    for (n = 0; n < 32; n++) {
        s.key[n] = (unsigned char) (n * 7 + 1);
    }
    memcpy(s.key_id, "0123456789abcdef", 17);
    s.start = T0;
    s.interval = INTERVAL;
    s.epoch = 7;

    snprintf(want, sizeof(want), "sf-backup-gate seal state v2\n"
             "key_id 0123456789abcdef\nstart 00000000001795570600\n"
             "interval 00000000000000000010\n");
    hex_of(s.key, 32, hex);
    snprintf(want + 110, sizeof(want) - 110, "seq 00000000000000000003 "
             "epoch 00000000000000000007 key %s sum ", hex);

    ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, want, 110 + 120);
    EVP_DigestFinal_ex(ctx, md, &n);
    EVP_MD_CTX_free(ctx);
    hex_of(md, 32, sum);
    snprintf(want + 235, sizeof(want) - 235, "%s\n", sum);
    memcpy(want + 300, want + 110, 190);
    want[490] = '\0';

    len = sfb_seal_state_text(&s, 3, text, sizeof(text));
    is_int(len, 490, "state text: 490 bytes");
    is_str(text, want, "state text: header, two slots, SHA-256 over the "
           "header and the slot");
    ok(sfb_seal_state_text(&s, 3, text, 490) == 0, "no room for the NUL: 0");

    len = sfb_seal_state_text(&s, 3, text, sizeof(text));
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) text, len, err,
                            sizeof(err))
       == 0 && same_state(&p, &s) && seq == 3,
       "state text parses back, seq 3");

    /* the second slot's sum broken: the first holds */
    memcpy(bad, text, len);
    bad[len - 2] = 'G';
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) bad, len, err,
                            sizeof(err))
       == 0 && same_state(&p, &s), "a bad digit in one slot: the other");

    bad[110 + 40] = 'A';
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) bad, len, err,
                            sizeof(err))
       == -1 && strstr(err, "neither slot") != NULL
       && strstr(err, "\"epoch\"") != NULL && strstr(err, "\"sum\"") != NULL,
       "both slots bad: %s", err);
    ok(p.epoch == 0 && memcmp(p.key, zero_key, 32) == 0,
       "... and no key left behind");

    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) text, len - 1, err,
                            sizeof(err))
       == -1 && strstr(err, "489 bytes") != NULL, "one byte short: %s", err);

    /* the newer slot wins: seq 4 at epoch 8 beside seq 3 at epoch 7 */
    memcpy(bad, text, len);
    (void) sfb_seal_advance(&s, 8);
    len = sfb_seal_state_text(&s, 4, text, sizeof(text));
    memcpy(bad + 300, text + 300, 190);
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) bad, len, err,
                            sizeof(err))
       == 0 && p.epoch == 8 && seq == 4, "the slot of the higher seq wins");
    memcpy(bad + 110, text + 110, 190);
    memcpy(bad + 300, want + 300, 190);
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) bad, len, err,
                            sizeof(err))
       == 0 && p.epoch == 8 && seq == 4, "... in either slot");

    /* v1, as older versions wrote it */
    len = v1_text(&s, text, sizeof(text));
    ok(sfb_seal_state_parse(&p, &seq, (unsigned char *) text, len, err,
                            sizeof(err))
       == 0 && same_state(&p, &s) && seq == 0, "a v1 text parses, seq 0");

    memcpy(bad, text, len);
    bad[len - 2] = 'G';
    ok(sfb_seal_state_parse(&p, NULL, (unsigned char *) bad, len, err,
                            sizeof(err))
       == -1 && strstr(err, "\"key\"") != NULL, "v1, a bad key digit: %s",
       err);
    ok(sfb_seal_state_parse(&p, NULL, (unsigned char *) text, len - 1, err,
                            sizeof(err))
       == -1, "v1, no final newline: refused");
    ok(sfb_seal_state_parse(&p, NULL, (unsigned char *) "garbage\n", 8, err,
                            sizeof(err))
       == -1 && strstr(err, "does not begin") != NULL, "garbage: %s", err);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    len = sfb_seal_vkey_text(&s, text, sizeof(text));
    ok(len > 0 && strncmp(text, "sfb-seal-v1-", 12) == 0, "vkey: %s", text);
    ok(sfb_seal_vkey_parse(&p, (unsigned char *) text, len, err, sizeof(err))
       == 0 && memcmp(&p, &s, sizeof(s)) == 0, "vkey parses back");

    /* one digit of k_0 changed to another hex digit (flipping a bit of
     * 'a' or 'f' made no digit: that failed 1 run in 8): its key_id is not
     * the one written */
    text[12 + 16 + 1 + 5] = text[12 + 16 + 1 + 5] == '0' ? '1' : '0';
    ok(sfb_seal_vkey_parse(&p, (unsigned char *) text, len, err, sizeof(err))
       == -1 && strstr(err, "mistyped") != NULL, "vkey typo: %s", err);
}


/* create, open, read, write: in place, the current key only, never back */
static void
test_files(const char *dir)
{
    int          fd;
    char         path[256], other[256], err[512];
    char         before[1024], after[1024];
    size_t       blen, alen;
    mode_t       mask;
    struct stat  st, st2;
    sfb_seal_t   s, vk, got, k;

    snprintf(path, sizeof(path), "%s/seal.state", dir);
    snprintf(other, sizeof(other), "%s/other.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    vk = s;

    /* a umask that would leave the owner no write: 0600 all the same */
    mask = umask(0277);
    ok(sfb_seal_state_create(path, &s, err, sizeof(err)) == 0, "created");
    (void) umask(mask);
    ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600
       && st.st_size == SFB_SEAL_STATE_LEN, "mode 0600, 490 bytes");

    blen = file_text(path, before, sizeof(before));
    ok(blen == 490 && strncmp(before, "sf-backup-gate seal state v2\n", 29)
       == 0 && slots_equal(path), "v2, both slots the same");
    ok(strstr(before, "seq 00000000000000000001 epoch 00000000000000000000")
       != NULL, "seq 1, epoch 0");

    ok(sfb_seal_state_create(path, &s, err, sizeof(err)) == -1
       && strstr(err, "exists") != NULL, "never over a file: %s", err);
    alen = file_text(path, after, sizeof(after));
    ok(alen == blen && memcmp(before, after, blen) == 0, "... left as it was");

    fd = -2;
    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == 0
       && fd >= 0 && same_state(&got, &s), "open: the state");
    ok(fcntl(fd, F_GETFD) == FD_CLOEXEC, "close-on-exec");
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "read: the state");

    (void) sfb_seal_advance(&s, 4);
    is_int(sfb_seal_state_write(fd, &s, err, sizeof(err)), 0,
           "epoch 4 written");
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && got.epoch == 4, "holds epoch 4");

    key_at(&vk, 4, &k);
    ok(memcmp(got.key, k.key, 32) == 0,
       "its key is k_4 derived from the verification key");
    ok(!holds_key(path, vk.key) && holds_key(path, k.key) && slots_equal(path),
       "k_0 is gone from the file, k_4 in both slots");
    blen = file_text(path, before, sizeof(before));
    ok(strstr(before, "seq 00000000000000000002 epoch 00000000000000000004")
       != NULL, "seq 2");
    ok(stat(path, &st2) == 0 && st2.st_ino == st.st_ino,
       "written in place: the same inode");
    is_int(entries(dir), 1, "no other file in the directory");

    /* a worker behind the others never moves the file back */
    key_at(&vk, 2, &k);
    is_int(sfb_seal_state_write(fd, &k, err, sizeof(err)), 1,
           "epoch 2 after 4: not written");
    is_int(sfb_seal_state_write(fd, &s, err, sizeof(err)), 1,
           "epoch 4 again: not written");
    alen = file_text(path, after, sizeof(after));
    ok(alen == blen && memcmp(before, after, blen) == 0,
       "the file as it was, byte for byte");

    (void) sfb_seal_setup(&k, T0, INTERVAL);
    (void) sfb_seal_advance(&k, 9);
    ok(sfb_seal_state_write(fd, &k, err, sizeof(err)) == -1
       && strstr(err, "another setup") != NULL, "another setup: %s", err);
    k = s;
    k.start++;
    (void) sfb_seal_advance(&k, 9);
    ok(sfb_seal_state_write(fd, &k, err, sizeof(err)) == -1,
       "the same key_id, another start: refused");
    alen = file_text(path, after, sizeof(after));
    ok(alen == blen && memcmp(before, after, blen) == 0, "... not written");

    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "load (read only): the state");

    (void) close(fd);

    ok(sfb_seal_state_open(other, &fd, &got, err, sizeof(err)) == -1
       && fd == -1 && strstr(err, "No such file") != NULL, "missing: %s",
       err);

    (void) unlink(path);
    sfb_seal_clear(&s);
    sfb_seal_clear(&vk);
    sfb_seal_clear(&k);
}


/* a v1 file: read as it is, rewritten as v2 by the first open */
static void
test_v1(const char *dir)
{
    int         fd;
    char        path[256], text[SFB_SEAL_TEXT_MAX], err[512];
    char        buf[1024];
    size_t      len;
    sfb_seal_t  s, got;

    snprintf(path, sizeof(path), "%s/v1.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    (void) sfb_seal_advance(&s, 3);

    len = v1_text(&s, text, sizeof(text));
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    ok(fd != -1 && write(fd, text, len) == (ssize_t) len, "a v1 file");
    (void) close(fd);

    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "v1: loaded");
    ok(file_text(path, buf, sizeof(buf)) == len, "load leaves it v1");

    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "v1: opened, the same state");
    ok(file_text(path, buf, sizeof(buf)) == 490
       && strncmp(buf, "sf-backup-gate seal state v2\n", 29) == 0
       && slots_equal(path) && strstr(buf, "\nepoch ") == NULL,
       "rewritten as v2 in place");
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "... which loads the same state");

    (void) sfb_seal_advance(&s, 5);
    is_int(sfb_seal_state_write(fd, &s, err, sizeof(err)), 0,
           "and moves on: epoch 5");
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "read back");

    (void) close(fd);
    (void) unlink(path);
    OPENSSL_cleanse(text, sizeof(text));
    sfb_seal_clear(&s);
}


/* a crash between the halves of an update: the newer state is read; the
 * next open or write leaves no older key in the file */
static void
test_torn(const char *dir)
{
    int         fd, fd2, status;
    char        path[256], err[512];
    pid_t       pid;
    sfb_seal_t  s, vk, old, got;

    snprintf(path, sizeof(path), "%s/torn.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    vk = s;
    (void) sfb_seal_advance(&s, 5);
    (void) sfb_seal_state_create(path, &s, err, sizeof(err));
    (void) sfb_seal_state_open(path, &fd, &got, err, sizeof(err));

    /* 1. the first half alone, then a second open */
    old = s;
    (void) sfb_seal_advance(&s, 6);
    is_int(sfb_seal_state_write_half(fd, &s, err, sizeof(err)), 0,
           "first half: epoch 6 in one slot");
    ok(holds_key(path, old.key) && holds_key(path, s.key)
       && !slots_equal(path), "torn: k_5 and k_6 both in the file");
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "torn: loads the newer, epoch 6");
    ok(sfb_seal_state_open(path, &fd2, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "torn: opens at epoch 6");
    ok(!holds_key(path, old.key) && slots_equal(path),
       "after the open: no k_5 in the file (hex or bytes), slots the same");
    (void) close(fd2);

    /* 2. a process killed after the first half (its lock goes with it),
     * then a write of the epoch it reached */
    old = s;
    (void) sfb_seal_advance(&s, 7);
    fflush(stdout);
    pid = fork();

    if (pid == 0) {
        _exit(sfb_seal_state_write_half(fd, &s, err, sizeof(err)) == 0
              ? 0 : 1);
    }

    ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)
       && WEXITSTATUS(status) == 0, "a child wrote the first half and died");
    ok(holds_key(path, old.key) && !slots_equal(path), "torn again");
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "read: epoch 7");
    is_int(sfb_seal_state_write(fd, &s, err, sizeof(err)), 1,
           "write of epoch 7: already there");
    ok(!holds_key(path, old.key) && slots_equal(path),
       "... and mended: no k_6 in the file, slots the same");

    /* 3. torn, then a later epoch written over it */
    old = s;
    (void) sfb_seal_advance(&s, 8);
    (void) sfb_seal_state_write_half(fd, &s, err, sizeof(err));
    got = s;
    (void) sfb_seal_advance(&s, 9);
    is_int(sfb_seal_state_write(fd, &s, err, sizeof(err)), 0,
           "torn at 7 and 8, then 9 written");
    ok(!holds_key(path, old.key) && !holds_key(path, got.key)
       && holds_key(path, s.key) && slots_equal(path),
       "neither k_7 nor k_8 left, k_9 in both slots");
    key_at(&vk, 9, &got);
    ok(sfb_seal_state_read(fd, &old, err, sizeof(err)) == 0
       && same_state(&old, &got), "and it is k_9 of the verification key");

    (void) close(fd);
    (void) unlink(path);
    sfb_seal_clear(&s);
    sfb_seal_clear(&vk);
    sfb_seal_clear(&old);
    sfb_seal_clear(&got);
}


/* a slot whose sum fails is passed over: flipped bytes, another file's */
static void
test_corrupt(const char *dir)
{
    int         fd;
    char        path[256], path2[256], err[512];
    char        a[1024], b[1024];
    sfb_seal_t  s, t, got;

    snprintf(path, sizeof(path), "%s/corrupt.state", dir);
    snprintf(path2, sizeof(path2), "%s/foreign.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    (void) sfb_seal_advance(&s, 3);
    (void) sfb_seal_state_create(path, &s, err, sizeof(err));

    /* a key digit changed to another digit: only the sum tells */
    flip(path, 110 + 60);
    ok(!slots_equal(path) && sfb_seal_state_load(path, &got, err, sizeof(err))
       == 0 && same_state(&got, &s), "slot 1 flipped: slot 2 loads");
    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s) && slots_equal(path),
       "open mends slot 1 from slot 2");
    (void) close(fd);

    flip(path, 300 + 60);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "slot 2 flipped: slot 1 loads");

    flip(path, 110 + 60);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == -1
       && strstr(err, path) != NULL && strstr(err, "neither slot") != NULL
       && strstr(err, "sum does not match") != NULL, "both flipped: %s",
       err);
    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == -1
       && fd == -1 && strstr(err, path) != NULL, "... open: %s", err);

    /* a slot of another file, of a higher seq: it would win if its sum
     * did not cover the header */
    (void) unlink(path);
    (void) sfb_seal_state_create(path, &s, err, sizeof(err));

    t = s;
    t.start++;                                /* only the start differs */
    (void) sfb_seal_state_create(path2, &t, err, sizeof(err));
    (void) sfb_seal_state_open(path2, &fd, &got, err, sizeof(err));
    (void) sfb_seal_advance(&t, 4);
    (void) sfb_seal_state_write(fd, &t, err, sizeof(err));
    (void) sfb_seal_advance(&t, 5);
    (void) sfb_seal_state_write(fd, &t, err, sizeof(err));
    (void) close(fd);

    (void) file_text(path, a, sizeof(a));
    (void) file_text(path2, b, sizeof(b));
    ok(strncmp(b + 110, "seq 00000000000000000003", 24) == 0,
       "the other file's slot: seq 3");
    memcpy(a + 110, b + 110, 190);
    put_text(path, a, 490);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "another file's slot (start + 1) in slot 1: "
       "passed over, slot 2 loads");

    memcpy(a + 300, b + 300, 190);
    put_text(path, a, 490);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == -1
       && strstr(err, "sum does not match") != NULL,
       "in both slots: refused: %s", err);

    (void) unlink(path);
    (void) unlink(path2);
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    sfb_seal_clear(&s);
    sfb_seal_clear(&t);
}


/* what open refuses: others' access, a symbolic link, not a file */
static void
test_refused(const char *dir)
{
    int         fd;
    char        path[256], link[256], fifo[256], err[512];
    sfb_seal_t  s, got;

    snprintf(path, sizeof(path), "%s/mode.state", dir);
    snprintf(link, sizeof(link), "%s/link.state", dir);
    snprintf(fifo, sizeof(fifo), "%s/fifo.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    (void) sfb_seal_state_create(path, &s, err, sizeof(err));

    (void) chmod(path, 0640);
    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == 0,
       "0640: the group may read it");
    (void) close(fd);

    (void) chmod(path, 0644);
    fd = -2;
    ok(sfb_seal_state_open(path, &fd, &got, err, sizeof(err)) == -1
       && fd == -1 && strstr(err, "accessible by others (mode 0644)") != NULL
       && strstr(err, "chmod o-rwx") != NULL, "0644: %s", err);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == -1
       && strstr(err, "accessible by others") != NULL, "load, 0644: %s",
       err);
    (void) chmod(path, 0600);

    ok(symlink(path, link) == 0, "a symbolic link to it");
    ok(sfb_seal_state_open(link, &fd, &got, err, sizeof(err)) == -1
       && fd == -1 && strstr(err, "symbolic link") != NULL, "refused: %s",
       err);

    ok(mkfifo(fifo, 0600) == 0, "a fifo");
    ok(sfb_seal_state_open(fifo, &fd, &got, err, sizeof(err)) == -1
       && strstr(err, "not a regular file") != NULL, "refused: %s", err);

    (void) unlink(fifo);
    (void) unlink(link);
    (void) unlink(path);
    sfb_seal_clear(&s);
}


/* workers forked with one descriptor: POSIX locks tell them apart */
static void
test_processes(const char *dir)
{
    int           fd, i, status, gate[2], failed;
    char          path[256], err[512], c;
    pid_t         pid[2], w;
    sfb_seal_t    s, vk, got;
    struct flock  fl;

    snprintf(path, sizeof(path), "%s/shared.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    vk = s;
    (void) sfb_seal_state_create(path, &s, err, sizeof(err));
    (void) sfb_seal_state_open(path, &fd, &got, err, sizeof(err));

    /* 1. the parent holds the lock: a child with the same descriptor waits
     * (flock() on the shared description would not make it wait) */

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    ok(fcntl(fd, F_SETLK, &fl) == 0, "the parent locks the file");

    fflush(stdout);
    pid[0] = fork();

    if (pid[0] == 0) {
        (void) sfb_seal_advance(&s, 1);
        _exit(sfb_seal_state_write(fd, &s, err, sizeof(err)) == 0 ? 0 : 1);
    }

    usleep(300 * 1000);
    w = waitpid(pid[0], &status, WNOHANG);
    ok(w == 0, "a child writing through the same descriptor waits");

    /* an event loop's writer does not wait: 2 at once, nothing written */

    fflush(stdout);
    pid[1] = fork();

    if (pid[1] == 0) {
        (void) sfb_seal_advance(&s, 1);
        _exit(sfb_seal_state_try_write(fd, &s, err, sizeof(err)));
    }

    usleep(100 * 1000);
    w = waitpid(pid[1], &status, WNOHANG);
    ok(w == pid[1] && WIFEXITED(status) && WEXITSTATUS(status) == 2,
       "try_write while another process holds the lock: 2, at once");

    fl.l_type = F_UNLCK;
    (void) fcntl(fd, F_SETLK, &fl);

    ok(waitpid(pid[0], &status, 0) == pid[0] && WIFEXITED(status)
       && WEXITSTATUS(status) == 0, "... and writes once it is let go");
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && got.epoch == 1, "epoch 1");

    (void) sfb_seal_advance(&s, 2);
    ok(sfb_seal_state_try_write(fd, &s, err, sizeof(err)) == 0
       && sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && got.epoch == 2, "try_write with the lock free writes: epoch 2");

    /* 2. two children, odd and even epochs, at once */

    if (pipe(gate) != 0) {
        ok(0, "pipe");
        return;
    }

    fflush(stdout);

    for (i = 0; i < 2; i++) {
        pid[i] = fork();

        if (pid[i] == 0) {
            (void) close(gate[1]);
            if (read(gate[0], &c, 1) < 0) {
                _exit(4);
            }
            _exit(writer(fd, &vk, 2 + i, 2 * PROCESS_WRITES + i));
        }
    }

    (void) close(gate[0]);
    (void) close(gate[1]);                  /* both start */

    failed = 0;

    for (i = 0; i < 2; i++) {
        if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status)
            || WEXITSTATUS(status) != 0)
        {
            failed++;
        }
    }

    is_int(failed, 0, "two processes wrote %d epochs each, never going back",
           PROCESS_WRITES);

    key_at(&vk, 2 * PROCESS_WRITES + 1, &s);
    ok(sfb_seal_state_read(fd, &got, err, sizeof(err)) == 0
       && same_state(&got, &s), "the file ends at the higher epoch, %d",
       2 * PROCESS_WRITES + 1);
    ok(slots_equal(path), "both slots the same");

    (void) close(fd);
    (void) unlink(path);
    sfb_seal_clear(&s);
    sfb_seal_clear(&vk);
    sfb_seal_clear(&got);
}


/* a child's loop: epochs from, from + 2, ... up to to, each written, then
 * the file at that epoch or later; 0 or the exit status of a failure */
static int
writer(int fd, const sfb_seal_t *vk, uint64_t from, uint64_t to)
{
    int         rc;
    char        err[512];
    uint64_t    e;
    sfb_seal_t  s, got;

    s = *vk;

    for (e = from; e <= to; e += 2) {
        (void) sfb_seal_advance(&s, e);

        rc = sfb_seal_state_write(fd, &s, err, sizeof(err));

        if (rc < 0) {
            fprintf(stderr, "# writer: %s\n", err);
            return 2;
        }

        if (sfb_seal_state_read(fd, &got, err, sizeof(err)) != 0
            || got.epoch < e)
        {
            fprintf(stderr, "# writer: epoch %llu after %llu written\n",
                    (unsigned long long) got.epoch, (unsigned long long) e);
            return 3;
        }
    }

    return 0;
}


/*
 * A worker's log: records 0.5 s apart with heartbeat-like regularity over
 * several epochs of INTERVAL s, two chains (the second a reopen, linked).
 * at_n: the worker's whole state at the epoch of the last record.
 */
static void
make_log(sfb_seal_t *vk, sfb_seal_t *at_n, log_t *log)
{
    size_t              i, n;
    unsigned char       buf[8192];
    sfb_seal_t          s;
    sfb_audit_chain_t  *c;
    sfb_audit_record_t  r;

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    *vk = s;

    c = sfb_seal_chain_create(&s);
    (void) sfb_audit_chain_start(c);

    memset(&r, 0, sizeof(r));
    r.request_id = str("7f3a9c0e1d2b4a5f8e6d7c0b1a293847");
    r.client = str("10.0.0.7");
    r.method = str("POST");
    r.uri = str("/Partitions/1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b"
                "/$/EnableBackup?api-version=6.4");
    r.entity = str("partition");
    r.entity_id = str("1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b");
    r.policy = str("daily");
    r.decision = str("allow");
    r.reason = str("allowed");
    r.status = 202;
    r.phase = str("outcome");
    r.node = str("gw1");

    log->n = 0;

    for (i = 0; i < NLINES; i++) {
        if (i == NLINES / 2) {
            (void) sfb_audit_chain_start(c);        /* a reopen */
        }

        /* 2.5 s apart: four records an epoch */
        r.time_ms = (T0 + 1) * 1000 + (int64_t) i * 2500;

        if (sfb_seal_tick(&s, c, r.time_ms) < 0) {
            ok(0, "tick");
        }

        n = sfb_audit_format(c, &r, buf, sizeof(buf));
        log->line[log->n] = malloc(n);
        memcpy(log->line[log->n], buf, n - 1);
        log->line[log->n][n - 1] = '\0';
        log->n++;
    }

    *at_n = s;

    sfb_audit_chain_destroy(c);
    sfb_seal_clear(&s);
}


static void
test_attacker(void)
{
    int                         e;
    char                        mac[65], *l;
    size_t                      i, a, b, last, mid;
    log_t                       log, t;
    sfb_seal_t                  vk, n, other;
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *p;

    e = 0;
    make_log(&vk, &n, &log);

    ok(epoch_of(log.line[0]) == 0, "first record: epoch 0");
    last = log.n - 1;
    is_int(epoch_of(log.line[last]), (int) n.epoch, "last record: epoch N");
    ok(n.epoch >= 5, "the log spans epochs 0 to %d", (int) n.epoch);

    is_int(verify(&vk, &log, 0, &p, NULL), 0, "clean log verifies");
    is_int(verify(&vk, &log, 1, &p, NULL), 0, "clean log, --strict");

    /* a record of epoch N-2 (middle of the epoch, in the second chain) */

    for (a = 0; a < log.n && epoch_of(log.line[a]) != (int) n.epoch - 2;
         a++)
    {
        /* void */
    }

    a++;
    ok(epoch_of(log.line[a]) == (int) n.epoch - 2 && a > NLINES / 2,
       "target: line %zu, epoch N-2", a + 1);

    /* 1. modified, re-sealed with all the state gives: epoch N's key */

    log_copy(&t, &log);
    l = reseal(&n, t.line[a], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.6.6.6\"", NULL, NULL);
    free(t.line[a]);
    t.line[a] = l;
    expect("modified record of epoch N-2, re-sealed under epoch N", &vk, &t,
           SFB_AUDIT_RESEALED, a + 1, "but its time is in epoch");

    /* ... and every later record of its chain re-sealed after it, so that
     * the links hold */
    for (i = a + 1; i < t.n; i++) {
        mac_hex(t.line[i - 1], mac);
        l = reseal(&n, t.line[i], "", "", mac, NULL);
        free(t.line[i]);
        t.line[i] = l;
    }

    expect("... with the rest of its chain re-sealed to match", &vk, &t,
           SFB_AUDIT_RESEALED, a + 1, "but its time is in epoch");
    log_free(&t);

    /* 2. modified, its time moved into epoch N to match the key */

    log_copy(&t, &log);
    l = reseal(&n, t.line[a], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.6.6.6\"", NULL, log.line[last]);
    free(t.line[a]);
    t.line[a] = l;
    expect("modified record of epoch N-2, its time moved to epoch N", &vk,
           &t, SFB_AUDIT_RESEALED, a + 1, "later than seq");
    log_free(&t);

    /* 3. modified, keeping epoch N-2: the attacker has no key for it */

    log_copy(&t, &log);
    l = reseal(&n, t.line[a], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.6.6.6\"", NULL, NULL);
    e = epoch_of(log.line[a]);
    set_member(l, "epoch", e);
    free(t.line[a]);
    t.line[a] = l;
    expect("modified record that keeps epoch N-2, its MAC made with N's key",
           &vk, &t, SFB_AUDIT_FORGED, a + 1, "does not fit its chain");
    log_free(&t);

    /* 3b. edited in place, its MAC left as it was */

    log_copy(&t, &log);
    l = strstr(t.line[a], "\"client\":\"10.0.0.7\"");
    memcpy(l, "\"client\":\"10.6.6.6\"", 19);
    expect("a record of epoch N-2 edited in place", &vk, &t,
           SFB_AUDIT_MODIFIED, a + 1, "fits its chain");
    log_free(&t);

    /* 4. a new record inserted after the one of epoch N-2 (its seq, its
     * prev: it takes the place of the next), sealed under epoch N */

    b = a + 1;
    log_copy(&t, &log);
    l = reseal(&n, log.line[b], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.9.9.9\"", NULL, NULL);
    memmove(&t.line[b + 1], &t.line[b], (t.n - b) * sizeof(char *));
    t.line[b] = l;
    t.n++;
    expect("a record inserted among those of epoch N-2, sealed under N",
           &vk, &t, SFB_AUDIT_RESEALED, b + 1, "but its time is in epoch");
    log_free(&t);

    /* 5. the same, its time in epoch N */

    log_copy(&t, &log);
    l = reseal(&n, log.line[b], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.9.9.9\"", NULL, log.line[last]);
    memmove(&t.line[b + 1], &t.line[b], (t.n - b) * sizeof(char *));
    t.line[b] = l;
    t.n++;
    expect("a record inserted among those of epoch N-2, its time in N",
           &vk, &t, SFB_AUDIT_RESEALED, b + 1, "later than seq");
    log_free(&t);

    /* 6. what the attacker can do: records of epoch N and later, appended
     * to its chain, verify (the README says so) */

    log_copy(&t, &log);
    mac_hex(t.line[last], mac);
    l = reseal(&n, log.line[last], "\"client\":\"10.0.0.7\"",
               "\"client\":\"10.9.9.9\"", mac, NULL);
    set_member(l, "seq", NLINES / 2 + 1);
    {
        char  *m;

        /* the mac again after the seq changed */
        m = reseal(&n, l, "", "", NULL, NULL);
        free(l);
        l = m;
    }
    t.line[t.n++] = l;
    is_int(verify(&vk, &t, 1, &p, NULL), 0,
           "a record of epoch N appended by the attacker verifies: the "
           "state extends the log from epoch N on");
    log_free(&t);

    /* 6b. cut back to the record of epoch N-2 and continued with epoch N's
     * records, re-sealed to link: only the heartbeat's rhythm shows it */

    log_copy(&t, &log);
    for (b = a + 1; epoch_of(t.line[b]) < (int) n.epoch; b++) {
        /* void */
    }

    for (i = a + 1; i < b; i++) {
        free(t.line[i]);
    }

    memmove(&t.line[a + 1], &t.line[b], (t.n - b) * sizeof(char *));
    t.n -= b - a - 1;

    for (i = a + 1; i < t.n; i++) {
        mac_hex(t.line[i - 1], mac);
        set_member(t.line[i], "seq",
                   atoll(strstr(t.line[a], "\"seq\":") + 6)
                   + (long long) (i - a));
        l = reseal(&n, t.line[i], "", "", mac, NULL);
        free(t.line[i]);
        t.line[i] = l;
    }

    is_int(verify(&vk, &t, 1, &p, NULL), 0, "cut back to epoch N-2 and "
           "continued under N: not seen without --heartbeat");

    ck = sfb_audit_check_create(NULL, 0, 1);
    (void) sfb_audit_check_add_vkey(ck, &vk);
    sfb_audit_check_heartbeat(ck, 2500);
    (void) sfb_audit_check_begin_file(ck, "audit.log");

    for (i = 0; i < t.n; i++) {
        (void) sfb_audit_check_line(ck, (unsigned char *) t.line[i],
                                    strlen(t.line[i]), 1);
    }

    p = sfb_audit_check_finish(ck) == 1 ? sfb_audit_check_problem(ck) : NULL;
    ok(p != NULL && p->kind == SFB_AUDIT_CHAIN_CUT && p->line == a + 2
       && strstr(p->detail, "more than one heartbeat interval") != NULL,
       "... with --heartbeat 2.5s: chain cut at line %zu: %s", a + 2,
       p ? p->detail : "-");
    sfb_audit_check_destroy(ck);
    log_free(&t);

    /* 7. a record with no epoch that names the verification key */

    log_copy(&t, &log);
    {
        char  *q, *m;

        mid = 3;
        q = strstr(t.line[mid], ",\"epoch\":");
        m = strchr(q + 1, ',');
        memmove(q, m, strlen(m) + 1);
    }
    expect("epoch removed", &vk, &t, SFB_AUDIT_FORGED, mid + 1,
           "carries no \"epoch\"");
    log_free(&t);

    /* 8. another gateway's verification key: unknown key, not forged */

    (void) sfb_seal_setup(&other, T0, INTERVAL);
    expect("another verification key", &other, &log, SFB_AUDIT_UNKNOWN_KEY,
           1, "(--verify-key)");

    /* 9. a plain key's log beside a verification key: as before */
    {
        unsigned char       buf[4096];
        size_t              len;
        sfb_audit_chain_t  *c;
        sfb_audit_record_t  r;
        static const char   key[] = "0123456789abcdef0123456789abcdef";

        c = sfb_audit_chain_create((const unsigned char *) key, 32);
        (void) sfb_audit_chain_start(c);
        memset(&r, 0, sizeof(r));
        r.time_ms = T0 * 1000;
        r.phase = str("outcome");

        ck = sfb_audit_check_create((const unsigned char *) key, 32, 1);
        (void) sfb_audit_check_add_vkey(ck, &vk);

        for (i = 0; i < 3; i++) {
            len = sfb_audit_format(c, &r, buf, sizeof(buf));
            (void) sfb_audit_check_line(ck, buf, len - 1, 1);
        }

        for (i = 0; i < log.n; i++) {
            (void) sfb_audit_check_line(ck, (unsigned char *) log.line[i],
                                        strlen(log.line[i]), 1);
        }

        is_int(sfb_audit_check_finish(ck), 0,
               "a plain --key chain and a sealed one together verify");
        sfb_audit_check_destroy(ck);
        sfb_audit_chain_destroy(c);
    }

    log_free(&log);
    sfb_seal_clear(&n);
}


static void
expect(const char *name, const sfb_seal_t *vk, const log_t *log,
    sfb_audit_problem_e kind, uint64_t line, const char *detail)
{
    int                         strict, rc;
    const sfb_audit_problem_t  *p;

    for (strict = 0; strict < 2; strict++) {
        rc = verify(vk, log, strict, &p, NULL);

        ok(rc == 1 && p->kind == kind && p->line == line
           && strstr(p->detail, detail) != NULL,
           "%s%s: %s:%llu: %s: %s", name, strict ? " (--strict)" : "",
           p ? p->file : "-", p ? (unsigned long long) p->line : 0ULL,
           p ? sfb_audit_problem_name(p->kind) : "-", p ? p->detail : "-");
    }
}


static int
verify(const sfb_seal_t *vk, const log_t *log, int strict,
    const sfb_audit_problem_t **problem, sfb_audit_check_t **out)
{
    int                 rc;
    size_t              i;
    sfb_audit_check_t  *ck;
    static sfb_audit_problem_t  kept;

    ck = sfb_audit_check_create(NULL, 0, strict);
    (void) sfb_audit_check_add_vkey(ck, vk);
    (void) sfb_audit_check_begin_file(ck, "audit.log");

    for (i = 0; i < log->n; i++) {
        (void) sfb_audit_check_line(ck, (unsigned char *) log->line[i],
                                    strlen(log->line[i]), 1);
    }

    rc = sfb_audit_check_finish(ck);
    *problem = NULL;

    if (sfb_audit_check_problem(ck) != NULL) {
        kept = *sfb_audit_check_problem(ck);
        kept.file = "audit.log";
        *problem = &kept;
    }

    if (out != NULL) {
        *out = ck;

    } else {
        sfb_audit_check_destroy(ck);
    }

    return rc;
}





static void
log_copy(log_t *dst, const log_t *src)
{
    size_t  i;

    dst->n = src->n;

    for (i = 0; i < src->n; i++) {
        dst->line[i] = strdup(src->line[i]);
    }
}


static void
log_free(log_t *log)
{
    size_t  i;

    for (i = 0; i < log->n; i++) {
        free(log->line[i]);
    }

    log->n = 0;
}


static sfb_str_t
str(const char *s)
{
    sfb_str_t  v;

    v.data = (const unsigned char *) s;
    v.len = strlen(s);

    return v;
}


static void
hex_of(const unsigned char *p, size_t n, char *out)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", p[i]);
    }
}


static int
same_state(const sfb_seal_t *a, const sfb_seal_t *b)
{
    return a->start == b->start && a->interval == b->interval
           && a->epoch == b->epoch && memcmp(a->key, b->key, 32) == 0
           && strcmp(a->key_id, b->key_id) == 0;
}


/* the v1 text, as older versions wrote it */
static size_t
v1_text(const sfb_seal_t *s, char *out, size_t size)
{
    char  hex[65];

    hex_of(s->key, 32, hex);

    return (size_t) snprintf(out, size, "sf-backup-gate seal state v1\n"
                             "key_id %s\nstart %lld\ninterval %lld\n"
                             "epoch %llu\nkey %s\n", s->key_id,
                             (long long) s->start, (long long) s->interval,
                             (unsigned long long) s->epoch, hex);
}


static void
key_at(const sfb_seal_t *vk, uint64_t epoch, sfb_seal_t *out)
{
    *out = *vk;
    (void) sfb_seal_advance(out, epoch);
}


/* the file's bytes, NUL-terminated; the length */
static size_t
file_text(const char *path, char *buf, size_t size)
{
    int      fd;
    ssize_t  n;

    fd = open(path, O_RDONLY);
    n = fd == -1 ? -1 : read(fd, buf, size - 1);
    n = n < 0 ? 0 : n;
    buf[n] = '\0';

    if (fd != -1) {
        (void) close(fd);
    }

    return (size_t) n;
}


static void
put_text(const char *path, const char *text, size_t len)
{
    int  fd;

    fd = open(path, O_WRONLY | O_TRUNC);

    if (fd == -1 || write(fd, text, len) != (ssize_t) len) {
        ok(0, "cannot write %s", path);
    }

    if (fd != -1) {
        (void) close(fd);
    }
}


static int
has(const char *buf, size_t len, const void *what, size_t n)
{
    size_t  i;

    for (i = 0; i + n <= len; i++) {
        if (memcmp(buf + i, what, n) == 0) {
            return 1;
        }
    }

    return 0;
}


/* the key anywhere in the file, in hex or in bytes */
static int
holds_key(const char *path, const unsigned char *key)
{
    int     rc;
    char    buf[1024], hex[65];
    size_t  len;

    len = file_text(path, buf, sizeof(buf));
    hex_of(key, 32, hex);

    rc = has(buf, len, hex, 64) || has(buf, len, key, 32);

    OPENSSL_cleanse(buf, sizeof(buf));

    return rc;
}


static int
slots_equal(const char *path)
{
    char  buf[1024];

    return file_text(path, buf, sizeof(buf)) == SFB_SEAL_STATE_LEN
           && memcmp(buf + SFB_SEAL_STATE_HEAD,
                     buf + SFB_SEAL_STATE_HEAD + SFB_SEAL_STATE_SLOT,
                     SFB_SEAL_STATE_SLOT)
              == 0;
}


/* one hex digit at off changed to another, in place */
static void
flip(const char *path, size_t off)
{
    int   fd;
    char  c;

    fd = open(path, O_RDWR);

    if (fd == -1 || pread(fd, &c, 1, (off_t) off) != 1) {
        ok(0, "cannot read %s", path);
        return;
    }

    c = c == '0' ? '1' : '0';

    if (pwrite(fd, &c, 1, (off_t) off) != 1) {
        ok(0, "cannot write %s", path);
    }

    (void) close(fd);
}


static int
entries(const char *dir)
{
    int             n;
    DIR            *d;
    struct dirent  *e;

    d = opendir(dir);
    if (d == NULL) {
        return -1;
    }

    n = 0;

    while ((e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }

    (void) closedir(d);

    return n;
}
