/*
 * sf-backup-audit-verify: checks the HMAC chains of sf-backup-gate audit
 * logs.  The logic is sfb_audit_check.c; this is only the command line.
 *
 *   sf-backup-audit-verify --key <file> [--strict] <log>...
 *
 * Files may be plain or gzip-compressed (logrotate's "compress"), and given
 * in any order (rotated ones oldest first reads best):
 * chains and seqs decide, not file order.  --strict says the files are the
 * whole history, nothing rotated away: every chain must start at seq 1 and
 * every chain named by a prev_chain must be present.
 *
 * Exit 0: all verified, "OK: ..." on stdout.  Exit 1: the first problem in
 * input order on stderr as <file>:<line>: <kind>: <details>.  Exit 2: usage,
 * key or I/O error, a file that cannot be read or decompressed among them
 * (named, and never called forged).  Notes that are not problems go to
 * stderr as "note: ".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <openssl/crypto.h>

#include "sfb_audit.h"


#define SFB_VERIFY_NAME  "sf-backup-audit-verify"
#define SFB_VERIFY_USAGE                                                      \
    "usage: " SFB_VERIFY_NAME " --key <file> [--strict] <log>...\n"


static int sfb_verify_same_file(char **files, int n, char *err,
    size_t errlen);


int
main(int argc, char **argv)
{
    int                         i, n, rc, strict, options;
    char                        err[512], summary[256], **files;
    size_t                      key_len, note;
    const char                 *key_path, *text;
    unsigned char               key[SFB_AUDIT_KEY_MAX];
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *problem;

    key_path = NULL;
    strict = 0;
    options = 1;
    n = 0;

    files = calloc((size_t) argc + 1, sizeof(char *));
    if (files == NULL) {
        fprintf(stderr, SFB_VERIFY_NAME ": out of memory\n");
        return 2;
    }

    for (i = 1; i < argc; i++) {

        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;

        } else if (options && strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key_path = argv[++i];

        } else if (options && strncmp(argv[i], "--key=", 6) == 0) {
            key_path = argv[i] + 6;

        } else if (options && strcmp(argv[i], "--strict") == 0) {
            strict = 1;

        } else if (options
                   && (strcmp(argv[i], "--help") == 0
                       || strcmp(argv[i], "-h") == 0))
        {
            fputs(SFB_VERIFY_USAGE, stdout);
            free(files);
            return 0;

        } else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, SFB_VERIFY_NAME ": unknown option \"%s\"\n"
                    SFB_VERIFY_USAGE, argv[i]);
            free(files);
            return 2;

        } else {
            files[n++] = argv[i];
        }
    }

    if (key_path == NULL || *key_path == '\0' || n == 0) {
        fputs(SFB_VERIFY_USAGE, stderr);
        free(files);
        return 2;
    }

    if (sfb_verify_same_file(files, n, err, sizeof(err)) != 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
        free(files);
        return 2;
    }

    key_len = sizeof(key);

    if (sfb_audit_key_load(key_path, key, &key_len, err, sizeof(err)) != 0) {
        fprintf(stderr, SFB_VERIFY_NAME ": %s\n", err);
        free(files);
        return 2;
    }

    ck = sfb_audit_check_create(key, key_len, strict);

    OPENSSL_cleanse(key, sizeof(key));

    if (ck == NULL) {
        fprintf(stderr, SFB_VERIFY_NAME ": cannot set up HMAC-SHA256\n");
        free(files);
        return 2;
    }

    rc = 0;

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

    return rc;
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
