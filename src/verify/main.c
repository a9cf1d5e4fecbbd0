/*
 * sf-backup-audit-verify: checks the HMAC chains of sf-backup-gate audit
 * logs.  The logic is sfb_audit_check.c; this is only the command line.
 *
 *   sf-backup-audit-verify --key <file|dir> [--key ...] [--strict] <log>...
 *   sf-backup-audit-verify --verify-key <file> [--verify-key ...] <log>...
 *   sf-backup-audit-verify --setup-keys <state file> [--interval 15m]
 *                          [--verify-key-out <file>]
 *
 * Each --key is a key file, or a directory whose every file (but those
 * whose name starts with ".") is one: after a rotation, give the old keys
 * and the new.  Each record names its key (key_id); a record whose key was
 * not given is reported as "unknown key <key_id>", never as forged.
 *
 * --complete-until TIME (RFC 3339, e.g. 2026-11-25T02:00:00Z, or "now") says
 * the files hold everything the gateway wrote up to TIME, and that it ran
 * then: a chain that stops without its end record more than one heartbeat
 * interval (--heartbeat, as sf_backup_audit_heartbeat: 60s by default)
 * before TIME, with no successor naming its end, is reported as cut.
 * --heartbeat given says every live worker wrote at least a record an
 * interval: two sealed records in a row of a chain further apart, across
 * an epoch change, are a cut (the chain continued under a later key).
 *
 * --setup-keys creates a gateway's forward-secure sealing state (sfb_seal.h)
 * in a new file and prints its verification key on stdout, or writes it to
 * a new file of mode 0600 (--verify-key-out): neither file is ever written
 * over, and nothing is made when either exists.  --verify-key names a file
 * holding such a key (several may be given, with or without --key).  A
 * sealed record is checked with its epoch's key; one sealed under a later
 * epoch's key than its time or its place in its chain allows is a
 * "resealed record".
 *
 * Files may be plain or gzip-compressed (logrotate's "compress"), and given
 * in any order (rotated ones oldest first reads best):
 * chains and seqs decide, not file order.  --strict says the files are the
 * whole history, nothing rotated away: every chain must start at seq 1 and
 * every chain named by a prev_chain must be present.
 *
 * Byte-identical copies that at-least-once shipping makes are counted as
 * duplicates ("OK: ..., N duplicates ..."); any other copy is a replayed
 * record (sfb_audit_dup.h).
 *
 * Exit 0: all verified, "OK: ..." on stdout.  Exit 1: the first problem in
 * input order on stderr as <file>:<line>: <kind>: <details>.  Exit 2: usage,
 * key or I/O error, a file that cannot be read or decompressed among them
 * (named, and never called forged).  Notes that are not problems go to
 * stderr as "note: ".
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sfb_verify.h"
#include "sfb_seal.h"


#define SFB_VERIFY_NAME  "sf-backup-audit-verify"
#define SFB_VERIFY_USAGE                                                      \
    "usage: " SFB_VERIFY_NAME " --key <file|dir> [--key ...] "                \
    "[--verify-key <file> ...] [--strict] "                                   \
    "[--complete-until TIME [--heartbeat SECONDS[smh]]] <log>...\n"          \
    "       " SFB_VERIFY_NAME " --setup-keys <state file> "                   \
    "[--interval SECONDS[smh]] [--verify-key-out <file>]\n"


static int sfb_verify_same_file(char **files, int n, char *err,
    size_t errlen);
static int sfb_verify_keys(sfb_audit_check_t *ck, const char *path,
    char *err, size_t errlen);
static int sfb_verify_key(sfb_audit_check_t *ck, const char *path,
    char *err, size_t errlen);
static int sfb_verify_vkey(sfb_audit_check_t *ck, const char *path,
    char *err, size_t errlen);
static int sfb_verify_setup(const char *path, int64_t interval,
    const char *out);
static void sfb_verify_setup_done(const char *path, const char *out,
    const sfb_seal_t *s);
static int64_t sfb_verify_duration(const char *s);


int
main(int argc, char **argv)
{
    int                         i, n, nkeys, nvkeys, rc, strict, options;
    int                         beat;
    int64_t                     until, heartbeat, interval;
    char                        err[1024], summary[256], **files, **keys;
    char                      **vkeys, *setup, *vkey_out;
    size_t                      note;
    const char                 *text;
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *problem;

    strict = 0;
    until = -1;
    heartbeat = 60000;
    beat = 0;
    interval = -1;
    setup = NULL;
    vkey_out = NULL;
    options = 1;
    n = 0;
    nkeys = 0;
    nvkeys = 0;

    files = calloc((size_t) argc + 1, sizeof(char *));
    keys = calloc((size_t) argc + 1, sizeof(char *));
    vkeys = calloc((size_t) argc + 1, sizeof(char *));

    if (files == NULL || keys == NULL || vkeys == NULL) {
        fprintf(stderr, SFB_VERIFY_NAME ": out of memory\n");
        free(files);
        free(keys);
        free(vkeys);
        return 2;
    }

    for (i = 1; i < argc; i++) {

        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;

        } else if (options && strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            keys[nkeys++] = argv[++i];

        } else if (options && strncmp(argv[i], "--key=", 6) == 0) {
            keys[nkeys++] = argv[i] + 6;

        } else if (options && strcmp(argv[i], "--verify-key") == 0
                   && i + 1 < argc)
        {
            vkeys[nvkeys++] = argv[++i];

        } else if (options && strncmp(argv[i], "--verify-key=", 13) == 0) {
            vkeys[nvkeys++] = argv[i] + 13;

        } else if (options && strcmp(argv[i], "--setup-keys") == 0
                   && i + 1 < argc)
        {
            setup = argv[++i];

        } else if (options && strcmp(argv[i], "--verify-key-out") == 0
                   && i + 1 < argc)
        {
            vkey_out = argv[++i];

        } else if (options && strcmp(argv[i], "--interval") == 0
                   && i + 1 < argc)
        {
            interval = sfb_verify_duration(argv[++i]);

            if (interval <= 0 || interval % 1000 != 0) {
                fprintf(stderr, SFB_VERIFY_NAME ": --interval \"%s\" is not "
                        "a duration like 15m or 1h\n", argv[i]);
                free(files);
                free(keys);
                free(vkeys);
                return 2;
            }

        } else if (options && strcmp(argv[i], "--strict") == 0) {
            strict = 1;

        } else if (options && strcmp(argv[i], "--complete-until") == 0
                   && i + 1 < argc)
        {
            i++;
            until = strcmp(argv[i], "now") == 0
                    ? (int64_t) time(NULL) * 1000
                    : sfb_audit_check_parse_time(argv[i]);

            if (until < 0) {
                fprintf(stderr, SFB_VERIFY_NAME ": --complete-until \"%s\" "
                        "is not a time like 2026-11-25T02:00:00Z\n", argv[i]);
                free(files);
                free(keys);
                free(vkeys);
                return 2;
            }

        } else if (options && strcmp(argv[i], "--heartbeat") == 0
                   && i + 1 < argc)
        {
            heartbeat = sfb_verify_duration(argv[++i]);
            beat = 1;

            if (heartbeat <= 0) {
                fprintf(stderr, SFB_VERIFY_NAME ": --heartbeat \"%s\" is not "
                        "a duration like 60s or 5m\n", argv[i]);
                free(files);
                free(keys);
                free(vkeys);
                return 2;
            }

        } else if (options
                   && (strcmp(argv[i], "--help") == 0
                       || strcmp(argv[i], "-h") == 0))
        {
            fputs(SFB_VERIFY_USAGE, stdout);
            free(files);
            free(keys);
            free(vkeys);
            return 0;

        } else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, SFB_VERIFY_NAME ": unknown option \"%s\"\n"
                    SFB_VERIFY_USAGE, argv[i]);
            free(files);
            free(keys);
            free(vkeys);
            return 2;

        } else {
            files[n++] = argv[i];
        }
    }

    if (setup != NULL || interval != -1 || vkey_out != NULL) {
        rc = 2;

        if (setup == NULL || n != 0 || nkeys != 0 || nvkeys != 0) {
            fputs(SFB_VERIFY_USAGE, stderr);

        } else {
            rc = sfb_verify_setup(setup, interval == -1
                                         ? SFB_SEAL_INTERVAL
                                         : interval / 1000,
                                  vkey_out);
        }

        free(files);
        free(keys);
        free(vkeys);
        return rc;
    }

    if ((nkeys == 0 && nvkeys == 0) || n == 0) {
        fputs(SFB_VERIFY_USAGE, stderr);
        free(files);
        free(keys);
        free(vkeys);
        return 2;
    }

    if (sfb_verify_same_file(files, n, err, sizeof(err)) != 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
        free(files);
        free(keys);
        free(vkeys);
        return 2;
    }

    ck = sfb_audit_check_create(NULL, 0, strict);

    if (ck == NULL) {
        fprintf(stderr, SFB_VERIFY_NAME ": out of memory\n");
        free(files);
        free(keys);
        free(vkeys);
        return 2;
    }

    sfb_audit_check_complete_until(ck, until, heartbeat);

    if (beat) {
        sfb_audit_check_heartbeat(ck, heartbeat);
    }

    rc = 0;

    for (i = 0; i < nkeys && rc == 0; i++) {
        if (sfb_verify_keys(ck, keys[i], err, sizeof(err)) != 0) {
            fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
            rc = 2;
        }
    }

    for (i = 0; i < nvkeys && rc == 0; i++) {
        if (sfb_verify_vkey(ck, vkeys[i], err, sizeof(err)) != 0) {
            fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
            rc = 2;
        }
    }

    for (i = 0; i < n && rc == 0; i++) {
        if (sfb_audit_check_path(ck, files[i], err, sizeof(err)) != 0) {
            fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
            rc = 2;
        }
    }

    if (rc == 0) {
        rc = sfb_audit_check_finish(ck);

        if (rc == -1) {
            fprintf(stderr, SFB_VERIFY_NAME ": out of memory\n");
            rc = 2;
        }
    }

    if (rc != 2) {
        for (note = 0; (text = sfb_audit_check_note(ck, note)) != NULL; note++)
        {
            fprintf(stderr, "note: %s\n", text);
        }
    }

    if (rc == 1) {
        problem = sfb_audit_check_problem(ck);

        fprintf(stderr, "%s:%llu: %s: %s\n", problem->file,
                (unsigned long long) problem->line,
                sfb_audit_problem_name(problem->kind), problem->detail);

    } else if (rc == 0) {
        (void) sfb_audit_check_summary(ck, summary, sizeof(summary));
        printf("%s\n", summary);
    }

    sfb_audit_check_destroy(ck);
    free(files);
    free(keys);
    free(vkeys);

    return rc;
}


/* "90", "90s", "15m", "1h" in ms; -1 if not that */

static int64_t
sfb_verify_duration(const char *s)
{
    char      *end;
    long long  v;

    errno = 0;
    v = strtoll(s, &end, 10);

    if (errno != 0 || end == s || v <= 0 || v > 86400 * 366) {
        return -1;
    }

    switch (*end) {
    case '\0':
    case 's':
        break;
    case 'm':
        v *= 60;
        break;
    case 'h':
        v *= 3600;
        break;
    default:
        return -1;
    }

    if (*end != '\0' && end[1] != '\0') {
        return -1;
    }

    return (int64_t) v * 1000;
}


/* a key file, or a directory of them */

static int
sfb_verify_keys(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen)
{
    int             rc;
    DIR            *dir;
    char            name[4096];
    struct stat     st;
    struct dirent  *de;

    if (*path == '\0') {
        snprintf(err, errlen, "--key needs a file or a directory");
        return -1;
    }

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return sfb_verify_key(ck, path, err, errlen);
    }

    dir = opendir(path);
    if (dir == NULL) {
        snprintf(err, errlen, "cannot open key directory \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }

    rc = 0;

    while (rc == 0 && (de = readdir(dir)) != NULL) {

        if (de->d_name[0] == '.') {
            continue;
        }

        if ((size_t) snprintf(name, sizeof(name), "%s/%s", path, de->d_name)
            >= sizeof(name))
        {
            snprintf(err, errlen, "key file name too long in \"%s\"", path);
            rc = -1;
            break;
        }

        rc = sfb_verify_key(ck, name, err, errlen);
    }

    (void) closedir(dir);

    return rc;
}


static int
sfb_verify_key(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen)
{
    int            rc;
    size_t         key_len;
    unsigned char  key[SFB_AUDIT_KEY_MAX];

    key_len = sizeof(key);

    if (sfb_audit_key_load(path, key, &key_len, err, errlen) != 0) {
        return -1;
    }

    rc = sfb_audit_check_add_key(ck, key, key_len);

    OPENSSL_cleanse(key, sizeof(key));

    if (rc != 0) {
        snprintf(err, errlen, "cannot set up HMAC-SHA256");
    }

    return rc;
}


static int
sfb_verify_vkey(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen)
{
    int         rc;
    sfb_seal_t  vk;

    if (sfb_seal_vkey_load(path, &vk, err, errlen) != 0) {
        return -1;
    }

    rc = sfb_audit_check_add_vkey(ck, &vk);

    sfb_seal_clear(&vk);

    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
    }

    return rc;
}


/*
 * A new sealing state, in a file that must not exist yet; its verification
 * key on stdout, or in out, a file that must not exist yet either, for the
 * operator to take off the gateway.  Both names are checked before either
 * file is made: a command run twice by mistake leaves both as they were.
 */
static int
sfb_verify_setup(const char *path, int64_t interval, const char *out)
{
    int         rc;
    char        err[1024], text[SFB_SEAL_TEXT_MAX];
    struct stat st;
    sfb_seal_t  s;

    if (interval < SFB_SEAL_INTERVAL_MIN || interval > SFB_SEAL_INTERVAL_MAX) {
        fprintf(stderr, SFB_VERIFY_NAME ": --interval must be between %d s "
                "and %d days\n", SFB_SEAL_INTERVAL_MIN,
                SFB_SEAL_INTERVAL_MAX / 86400);
        return 2;
    }

    if (lstat(path, &st) == 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": \"%s\" exists: a gateway's state "
                "is made once (remove it first to start anew)\n", path);
        return 2;
    }

    if (out != NULL && lstat(out, &st) == 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": \"%s\" exists: a verification "
                "key is never written over (name a new file)\n", out);
        return 2;
    }

    if (sfb_seal_setup(&s, (int64_t) time(NULL), interval) != 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": cannot make a key (RAND_bytes)\n");
        return 2;
    }

    /* the key first: a state nobody has the verification key of is
     * never left behind */

    if (out != NULL) {
        rc = sfb_seal_vkey_create(out, &s, err, sizeof(err));

    } else if (sfb_seal_vkey_text(&s, text, sizeof(text)) == 0) {
        snprintf(err, sizeof(err), "cannot write the verification key");
        rc = -1;

    } else {
        rc = 0;
    }

    if (rc != 0) {
        sfb_seal_clear(&s);
        fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
        return 2;
    }

    if (sfb_seal_state_create(path, &s, err, sizeof(err)) != 0) {
        if (out != NULL) {
            /* ours: made above, O_EXCL */
            (void) unlink(out);
        }

        OPENSSL_cleanse(text, sizeof(text));
        sfb_seal_clear(&s);
        fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
        return 2;
    }

    if (out == NULL) {
        printf("%s\n", text);
        fflush(stdout);
        OPENSSL_cleanse(text, sizeof(text));
    }

    sfb_verify_setup_done(path, out, &s);

    sfb_seal_clear(&s);

    return 0;
}


static void
sfb_verify_setup_done(const char *path, const char *out, const sfb_seal_t *s)
{
    fprintf(stderr, "sealing state written to \"%s\" (key_id %s, epochs "
            "of %lld s from %lld).\n", path, s->key_id,
            (long long) s->interval, (long long) s->start);

    if (out != NULL) {
        fprintf(stderr, "Its verification key is in \"%s\" (mode 0600): "
                "move it off the gateway, to where the logs are verified "
                "(--verify-key).\n", out);

    } else {
        fprintf(stderr, "The line above is its verification key: keep it "
                "off the gateway (in a file of mode 0600 for --verify-key; "
                "--verify-key-out writes one).\n");
    }

    fprintf(stderr, "nginx's master opens the state file (keep it root's, "
            "mode 0600): its workers need no right on it.\n");
}


/* one file given twice would read as every record replayed */

static int
sfb_verify_same_file(char **files, int n, char *err, size_t errlen)
{
    int           i, j;
    struct stat  *st;

    st = calloc((size_t) n, sizeof(struct stat));
    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }

    for (i = 0; i < n; i++) {

        if (stat(files[i], &st[i]) != 0) {
            snprintf(err, errlen, "cannot open \"%s\": %s", files[i],
                     strerror(errno));
            free(st);
            return -1;
        }

        for (j = 0; j < i; j++) {
            if (st[i].st_dev == st[j].st_dev && st[i].st_ino == st[j].st_ino) {
                snprintf(err, errlen, "\"%s\" and \"%s\" are the same file",
                         files[j], files[i]);
                free(st);
                return -1;
            }
        }
    }

    free(st);

    return 0;
}
