/*
 * sfb-audit-gen: writes a small audit log pair for t/audit-verify/run with
 * the real writer (sfb_audit_format), as two nginx workers would:
 *
 *   sfb-audit-gen <key file> <old log> <new log> [<new key file> [drain]]
 *   sfb-audit-gen --seal <vkey file> <old log> <new log>
 *   sfb-audit-gen --stop <key file> <old log> <new log>
 *   sfb-audit-gen --forge <key file> <log> <time ms> [no-key-id]
 *
 * Workers A and B interleave 12 records in <old log>; then both reopen the
 * log (a new chain each, linked to the old one) and write 8 more records to
 * <new log>.  Line by line, <old log> holds:
 *
 *    1 A1   2 B1   3 A2   4 A3   5 B2   6 A4   7 A5   8 B3
 *    9 A6  10 A7  11 B4  12 A8
 *
 * and <new log>: 1 A'1  2 B'1  3 A'2  4 B'2 ... 8 B'4.  Every fourth record
 * is a deny.  With <new key file>, A' and B' are sealed with that key, as
 * after a reload with a new key, and still name where A and B ended; A'1
 * retires the old key, as a gateway's first worker of a new key does.
 * With "drain", B is an old worker still finishing its requests: it goes
 * on with the old key and its old chain into <new log>, and A'1 names that
 * chain among those the old key still seals.
 *
 * --forge appends to <log> what a thief holding only <key file> writes: a
 * chain of two records from <time ms>, CN=team-b deleting
 * WeeklyBackupPolicy, allowed, and its end record; with no-key-id, a
 * single record without "key_id", MACed again as it is.
 *
 * With --stop both workers then end their chains in <new log> (A'5 and
 * B'5, end records, as at nginx's stop): its last line, B'5, is the newest
 * record, a second after A'5.
 *
 * With --seal the records are sealed forward-securely (sfb_seal.h) with a
 * new state whose epochs are 4 s from the first record's second: the 20
 * records, a second apart, span epochs 0 to 4; the verification key is
 * written to <vkey file>.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit.h"
#include "sfb_seal.h"


static int gen_forge(int argc, char **argv);
static sfb_str_t gen_str(const char *s);


int
main(int argc, char **argv)
{
    int                 i, k, sealed, drain, stop;
    FILE               *f;
    char                err[512], text[SFB_SEAL_TEXT_MAX];
    sfb_seal_t          seal;
    size_t              n, key_len;
    unsigned char       key[SFB_AUDIT_KEY_MAX], line[8192];
    sfb_audit_chain_t  *w[2], *old;
    sfb_audit_record_t  r;

    if (argc >= 5 && strcmp(argv[1], "--forge") == 0) {
        return gen_forge(argc, argv);
    }

    sealed = argc == 5 && strcmp(argv[1], "--seal") == 0;
    stop = argc == 5 && strcmp(argv[1], "--stop") == 0;
    drain = argc == 6 && strcmp(argv[5], "drain") == 0;

    if (sealed || stop) {
        argv++;
        argc--;

    } else if (drain) {
        argc--;

    } else if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: sfb-audit-gen <key file> <old log> "
                "<new log> [<new key file> [drain]]\n       sfb-audit-gen "
                "--seal <vkey file> <old log> <new log>\n       "
                "sfb-audit-gen --stop <key file> <old log> <new log>\n       "
                "sfb-audit-gen --forge <key file> <log> <time ms> "
                "[no-key-id]\n");
        return 2;
    }

    if (sealed) {
        if (sfb_seal_setup(&seal, INT64_C(1795570699), 4) != 0
            || sfb_seal_vkey_text(&seal, text, sizeof(text)) == 0
            || (f = fopen(argv[1], "w")) == NULL
            || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
        {
            fprintf(stderr, "sfb-audit-gen: cannot set up sealing\n");
            return 2;
        }

        w[0] = sfb_seal_chain_create(&seal);
        w[1] = sfb_seal_chain_create(&seal);

    } else {
        key_len = sizeof(key);

        if (sfb_audit_key_load(argv[1], key, &key_len, err, sizeof(err))
            != 0)
        {
            fprintf(stderr, "sfb-audit-gen: %s\n", err);
            return 2;
        }

        w[0] = sfb_audit_chain_create(key, key_len);
        w[1] = sfb_audit_chain_create(key, key_len);
    }

    if (w[0] == NULL || w[1] == NULL || sfb_audit_chain_start(w[0]) != 0
        || sfb_audit_chain_start(w[1]) != 0)
    {
        fprintf(stderr, "sfb-audit-gen: cannot set up the chains\n");
        return 2;
    }

    memset(&r, 0, sizeof(sfb_audit_record_t));

    r.client = gen_str("10.0.0.7");
    r.identity = gen_str("CN=ops.contoso.com, O=Contoso");
    r.method = gen_str("POST");
    r.uri = gen_str("/Partitions/1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b"
                    "/$/EnableBackup?api-version=6.4");
    r.entity = gen_str("partition");
    r.entity_id = gen_str("1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b");
    r.policy = gen_str("daily");
    r.api_version = gen_str("6.4");
    r.upstream_addr = gen_str("10.0.0.9:19080");
    r.phase = gen_str("outcome");
    r.node = gen_str("gw1");

    f = NULL;

    for (i = 0; i < 20; i++) {

        if (i == 0 || i == 12) {
            if (f != NULL && fclose(f) != 0) {
                perror("sfb-audit-gen");
                return 2;
            }

            f = fopen(argv[i == 0 ? 2 : 3], "wb");
            if (f == NULL) {
                perror("sfb-audit-gen");
                return 2;
            }
        }

        if (i == 12 && argc == 5) {
            key_len = sizeof(key);

            if (sfb_audit_key_load(argv[4], key, &key_len, err, sizeof(err))
                != 0)
            {
                fprintf(stderr, "sfb-audit-gen: %s\n", err);
                return 2;
            }

            /* a new worker, a new key: it names where the old chain
             * ended, as a reopen would */

            for (k = 0; k < 2 - drain; k++) {
                old = w[k];
                w[k] = sfb_audit_chain_create(key, key_len);

                if (w[k] == NULL || sfb_audit_chain_start(w[k]) != 0
                    || sfb_audit_chain_link(w[k], sfb_audit_chain_id(old),
                                            sfb_audit_chain_seq(old))
                       != 0
                    || (k == 0
                        && (sfb_audit_chain_retire(w[k],
                                sfb_audit_chain_key_id(old)) != 0
                            || (drain
                                && sfb_audit_chain_retiring_chain(w[k],
                                       sfb_audit_chain_id(w[1])) != 0))))
                {
                    fprintf(stderr, "sfb-audit-gen: cannot set up the "
                            "chains\n");
                    return 2;
                }

                sfb_audit_chain_destroy(old);
            }

        } else if (i == 12
                   && (sfb_audit_chain_start(w[0]) != 0
                       || sfb_audit_chain_start(w[1]) != 0))
        {
            fprintf(stderr, "sfb-audit-gen: RAND_bytes failed\n");
            return 2;
        }

        r.time_ms = INT64_C(1795570699123) + i * 1000;
        r.request_id = gen_str(i % 2 ? "5c1d0e9a8b7f6a5e4d3c2b1a09f8e7d6"
                                     : "7f3a9c0e1d2b4a5f8e6d7c0b1a293847");
        r.decision = gen_str(i % 4 == 3 ? "deny" : "allow");
        r.reason = gen_str(i % 4 == 3 ? "policy_not_allowed" : "allowed");
        r.status = i % 4 == 3 ? 403 : 202;
        r.upstream_status = gen_str(i % 4 == 3 ? "" : "202");
        r.duration_ms = i;

        /* both workers move on to the record's epoch, as each would */
        if (sealed
            && (sfb_seal_tick(&seal, w[0], r.time_ms) < 0
                || sfb_seal_chain_rekey(&seal, w[1]) != 0))
        {
            fprintf(stderr, "sfb-audit-gen: cannot move the key on\n");
            return 2;
        }

        n = sfb_audit_format(w[i < 12 ? (i % 3 == 1) : (i % 2)], &r, line,
                             sizeof(line));

        if (n == 0 || n > sizeof(line) || fwrite(line, 1, n, f) != n) {
            fprintf(stderr, "sfb-audit-gen: cannot write a record\n");
            return 2;
        }
    }

    for (k = 0; stop && k < 2; k++) {
        memset(&r, 0, sizeof(sfb_audit_record_t));
        r.time_ms = INT64_C(1795570699123) + (20 + k) * 1000;
        r.node = gen_str("gw1");
        r.phase = gen_str("end");
        r.reason = gen_str("exit");

        n = sfb_audit_format(w[k], &r, line, sizeof(line));

        if (n == 0 || n > sizeof(line) || fwrite(line, 1, n, f) != n) {
            fprintf(stderr, "sfb-audit-gen: cannot write a record\n");
            return 2;
        }
    }

    if (fclose(f) != 0) {
        perror("sfb-audit-gen");
        return 2;
    }

    sfb_audit_chain_destroy(w[0]);
    sfb_audit_chain_destroy(w[1]);

    if (sealed) {
        sfb_seal_clear(&seal);
    }

    return 0;
}


static int
gen_forge(int argc, char **argv)
{
    int                 i, nokeyid;
    FILE               *f;
    char               *p, *q, err[512];
    size_t              n, key_len;
    long long           t;
    unsigned char       key[SFB_AUDIT_KEY_MAX], mac[SFB_AUDIT_MAC_LEN];
    unsigned char       line[8192];
    sfb_audit_chain_t  *c;
    sfb_audit_record_t  r;

    static const char  hex[] = "0123456789abcdef";

    nokeyid = argc == 6 && strcmp(argv[5], "no-key-id") == 0;
    t = atoll(argv[4]);
    key_len = sizeof(key);

    if (sfb_audit_key_load(argv[2], key, &key_len, err, sizeof(err)) != 0) {
        fprintf(stderr, "sfb-audit-gen: %s\n", err);
        return 2;
    }

    c = sfb_audit_chain_create(key, key_len);
    f = fopen(argv[3], "ab");

    if (c == NULL || f == NULL || sfb_audit_chain_start(c) != 0) {
        fprintf(stderr, "sfb-audit-gen: cannot set up the forgery\n");
        return 2;
    }

    memset(&r, 0, sizeof(sfb_audit_record_t));

    r.node = gen_str("gw1");

    for (i = 0; i < (nokeyid ? 1 : 2); i++) {
        r.time_ms = t + i * 1000;

        if (i == 0) {
            r.request_id = gen_str("0badc0de0badc0de0badc0de0badc0de");
            r.client = gen_str("10.0.0.66");
            r.identity = gen_str("CN=team-b");
            r.method = gen_str("POST");
            r.uri = gen_str("/BackupRestore/BackupPolicies/"
                            "WeeklyBackupPolicy/$/Delete?api-version=6.4");
            r.entity = gen_str("policy");
            r.operation = gen_str("delete_policy");
            r.policy = gen_str("WeeklyBackupPolicy");
            r.api_version = gen_str("6.4");
            r.decision = gen_str("allow");
            r.reason = gen_str("allowed");
            r.status = 200;
            r.upstream_status = gen_str("200");
            r.phase = gen_str("outcome");

        } else {
            memset(&r, 0, sizeof(sfb_audit_record_t));
            r.time_ms = t + i * 1000;
            r.node = gen_str("gw1");
            r.phase = gen_str("end");
            r.reason = gen_str("exit");
        }

        n = sfb_audit_format(c, &r, line, sizeof(line) - 1);
        if (n == 0 || n >= sizeof(line)) {
            fprintf(stderr, "sfb-audit-gen: cannot make a record\n");
            return 2;
        }

        line[n] = '\0';

        if (nokeyid) {
            /* "key_id":"<16 hex>", out, and the MAC made again */
            p = strstr((char *) line, "\"key_id\":\"");
            if (p == NULL) {
                return 2;
            }

            q = p + sizeof("\"key_id\":\"") - 1 + SFB_AUDIT_KEY_ID_HEX + 2;
            memmove(p, q, strlen(q) + 1);
            n = strlen((char *) line);

            if (sfb_audit_line_mac(c, line, n - 1, mac) != 0) {
                return 2;
            }

            p = (char *) line + n - 1 - 2 - 2 * SFB_AUDIT_MAC_LEN;

            for (key_len = 0; key_len < SFB_AUDIT_MAC_LEN; key_len++) {
                p[2 * key_len] = hex[mac[key_len] >> 4];
                p[2 * key_len + 1] = hex[mac[key_len] & 0x0f];
            }
        }

        if (fwrite(line, 1, n, f) != n) {
            return 2;
        }
    }

    sfb_audit_chain_destroy(c);

    return fclose(f) == 0 ? 0 : 2;
}


static sfb_str_t
gen_str(const char *s)
{
    sfb_str_t  v;

    v.data = (const unsigned char *) s;
    v.len = strlen(s);

    return v;
}
