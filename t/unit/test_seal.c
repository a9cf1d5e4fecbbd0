/*
 * Forward-secure sealing (src/sfb_seal.c) and its verification, with a
 * clock the test sets: keys move one way, the state file holds the current
 * epoch's key only and never moves back, and an attacker who holds the
 * state of epoch N (everything a worker has) cannot modify or insert a
 * record of an earlier epoch without the verifier saying so, in either of
 * its modes.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sfb_audit.h"
#include "sfb_seal.h"
#include "sfb_tap.h"
#include "sfb_seal_attack.h"


#define T0        INT64_C(1795570600)       /* the setup, Unix seconds */
#define INTERVAL  10
#define NLINES    48


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
static void test_files(void);
static void test_attacker(void);


int
main(void)
{
    test_keys();
    test_texts();
    test_files();
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
    char        text[SFB_SEAL_TEXT_MAX], err[256], bad[SFB_SEAL_TEXT_MAX];
    size_t      len;
    sfb_seal_t  s, p;

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    (void) sfb_seal_advance(&s, 7);

    len = sfb_seal_state_text(&s, text, sizeof(text));
    ok(len > 0, "state text");
    ok(sfb_seal_state_parse(&p, (unsigned char *) text, len, err,
                            sizeof(err))
       == 0 && memcmp(&p, &s, sizeof(s)) == 0, "state text parses back");

    memcpy(bad, text, len);
    bad[len - 2] = 'G';
    ok(sfb_seal_state_parse(&p, (unsigned char *) bad, len, err, sizeof(err))
       == -1 && strstr(err, "\"key\"") != NULL, "a bad key digit: %s", err);

    ok(sfb_seal_state_parse(&p, (unsigned char *) text, len - 1, err,
                            sizeof(err))
       == -1, "no final newline: refused");

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


/* the state file: replaced whole, the current epoch's key only, never back */
static void
test_files(void)
{
    int          fd;
    char         dir[] = "/tmp/sfb-seal-unit.XXXXXX", path[256], err[512];
    char         tmp[300];
    struct stat  st, st2;
    sfb_seal_t   s, vk, got, k;

    if (mkdtemp(dir) == NULL) {
        ok(0, "mkdtemp");
        return;
    }

    snprintf(path, sizeof(path), "%s/seal.state", dir);

    (void) sfb_seal_setup(&s, T0, INTERVAL);
    vk = s;

    ok(sfb_seal_state_save(path, &s, 0, err, sizeof(err)) == -1,
       "no file, create not asked: refused");
    ok(sfb_seal_state_save(path, &s, 1, err, sizeof(err)) == 0, "created");
    ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");

    (void) sfb_seal_advance(&s, 4);
    ok(sfb_seal_state_save(path, &s, 0, err, sizeof(err)) == 0,
       "moved on to 4");
    ok(stat(path, &st2) == 0 && st2.st_ino != st.st_ino,
       "replaced by another file (rename), not rewritten in place");
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && got.epoch == 4, "holds epoch 4");

    k = vk;
    (void) sfb_seal_advance(&k, 4);
    ok(memcmp(got.key, k.key, 32) == 0,
       "its key is k_4 derived from the verification key");

    k = vk;
    (void) sfb_seal_advance(&k, 3);
    ok(memcmp(got.key, k.key, 32) != 0 && memcmp(got.key, vk.key, 32) != 0,
       "and neither k_3 nor k_0");

    /* a worker behind the others never moves the file back */
    k = vk;
    (void) sfb_seal_advance(&k, 2);
    is_int(sfb_seal_state_save(path, &k, 0, err, sizeof(err)), 1,
           "epoch 2 after 4: not written");
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0
       && got.epoch == 4, "still epoch 4");

    snprintf(tmp, sizeof(tmp), "%s/seal.state.%ld.tmp", dir,
             (long) getpid());
    ok(access(tmp, F_OK) == -1, "no temporary file left");

    (void) chmod(path, 0640);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == 0,
       "0640: the group may read it (nginx's workers may need to)");
    (void) chmod(path, 0644);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == -1
       && strstr(err, "accessible by others") != NULL, "0644: %s", err);
    (void) unlink(path);

    fd = open(path, O_WRONLY | O_CREAT, 0600);
    ok(fd != -1 && write(fd, "garbage\n", 8) == 8, "garbage state");
    (void) close(fd);
    ok(sfb_seal_state_load(path, &got, err, sizeof(err)) == -1
       && strstr(err, "does not begin") != NULL, "garbage: %s", err);
    ok(sfb_seal_state_save(path, &s, 1, err, sizeof(err)) == -1,
       "a garbage file is not overwritten");

    (void) unlink(path);
    (void) rmdir(dir);
    sfb_seal_clear(&s);
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
