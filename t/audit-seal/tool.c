/*
 * sfb-seal-tool: t/audit-seal/run's helper.
 *
 *   sfb-seal-tool derive <vkey file> <epoch>
 *       prints k_epoch and its MAC key (hex), derived from the verification
 *       key: what the state file and the workers' memory are compared with
 *
 *   sfb-seal-tool attack <state file> <mode> <log> <line>
 *       the attacker, with nothing but a state file taken from the gateway:
 *       prints the log with the record at <line> (1-based) tampered with,
 *       sealed with the state's key:
 *         modify       its client edited, time kept
 *         modify-time  its client edited, its time moved to the state's
 *                      epoch (that of the log's last record of it)
 *         rechain      modify, and every later record of its chain
 *                      re-sealed after it so that the links hold
 *         insert       a new record inserted after it (its successor's
 *                      seq and prev), time kept; its line on stderr
 *         append       a new record after the last one of <line>'s chain,
 *                      at the end of the log, the key moved on to that
 *                      record's epoch: what the state allows
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit.h"
#include "sfb_seal.h"
#include "sfb_seal_attack.h"


#define TOOL_LINES  100000


static int tool_derive(const char *vkey, const char *epoch);
static int tool_attack(const char *state, const char *mode, const char *log,
    long at);
static void tool_hex(const unsigned char *p, size_t n);
static int same_chain(const char *a, const char *b);


int
main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "derive") == 0) {
        return tool_derive(argv[2], argv[3]);
    }

    if (argc == 6 && strcmp(argv[1], "attack") == 0) {
        return tool_attack(argv[2], argv[3], argv[4], atol(argv[5]));
    }

    fprintf(stderr, "usage: sfb-seal-tool derive <vkey> <epoch> | attack "
            "<state> <mode> <log> <line>\n");
    return 2;
}


static int
tool_derive(const char *vkey, const char *epoch)
{
    char           err[512];
    sfb_seal_t     s;
    unsigned char  mk[SFB_SEAL_KEY_LEN];

    if (sfb_seal_vkey_load(vkey, &s, err, sizeof(err)) != 0) {
        fprintf(stderr, "sfb-seal-tool: %s\n", err);
        return 2;
    }

    if (sfb_seal_advance(&s, strtoull(epoch, NULL, 10)) < 0
        || sfb_seal_mac_key(&s, mk) != 0)
    {
        return 2;
    }

    tool_hex(s.key, SFB_SEAL_KEY_LEN);
    printf(" ");
    tool_hex(mk, SFB_SEAL_KEY_LEN);
    printf("\n");

    return 0;
}


static int
tool_attack(const char *state, const char *mode, const char *path, long at)
{
    FILE        *f;
    char         err[512], buf[65536], mac[65], *l, **line;
    size_t       n, i, last, len;
    sfb_seal_t   s;

    if (sfb_seal_state_load(state, &s, err, sizeof(err)) != 0) {
        fprintf(stderr, "sfb-seal-tool: %s\n", err);
        return 2;
    }

    line = calloc(TOOL_LINES, sizeof(char *));
    f = fopen(path, "r");

    if (line == NULL || f == NULL) {
        perror("sfb-seal-tool");
        return 2;
    }

    n = 0;

    while (n < TOOL_LINES - 2 && fgets(buf, sizeof(buf), f) != NULL) {
        len = strlen(buf);
        if (len > 0 && buf[len - 1] == '\n') {
            buf[--len] = '\0';
        }

        line[n++] = strdup(buf);
    }

    fclose(f);

    if (at < 1 || (size_t) at > n) {
        fprintf(stderr, "sfb-seal-tool: no line %ld\n", at);
        return 2;
    }

    i = (size_t) at - 1;

    /* the last record of the state's epoch: its time is one of epoch N */

    for (last = n; last > 0; last--) {
        if (epoch_of(line[last - 1]) == (int) s.epoch) {
            break;
        }
    }

    if (strcmp(mode, "modify") == 0 || strcmp(mode, "rechain") == 0) {
        l = reseal(&s, line[i], "\"client\":\"127.0.0.1\"",
                   "\"client\":\"10.6.6.6\"", NULL, NULL);
        free(line[i]);
        line[i] = l;

        for (last = i, i++; strcmp(mode, "rechain") == 0 && i < n; i++) {
            if (!same_chain(line[i], line[last])) {
                continue;
            }

            mac_hex(line[last], mac);
            l = reseal(&s, line[i], "", "", mac, NULL);
            free(line[i]);
            line[i] = l;
            last = i;
        }

    } else if (strcmp(mode, "modify-time") == 0) {
        if (last == 0) {
            fprintf(stderr, "sfb-seal-tool: no record of epoch %llu\n",
                    (unsigned long long) s.epoch);
            return 2;
        }

        l = reseal(&s, line[i], "\"client\":\"127.0.0.1\"",
                   "\"client\":\"10.6.6.6\"", NULL, line[last - 1]);
        free(line[i]);
        line[i] = l;

    } else if (strcmp(mode, "insert") == 0 || strcmp(mode, "append") == 0) {

        /* the record to imitate: the next of its chain, or for append
         * the chain's last */

        for (last = i, i++; i < n; i++) {
            if (same_chain(line[i], line[last])) {
                if (strcmp(mode, "insert") == 0) {
                    break;
                }

                last = i;
            }
        }

        if (strcmp(mode, "insert") == 0) {
            if (i == n) {
                fprintf(stderr, "sfb-seal-tool: line %ld is its chain's "
                        "last\n", at);
                return 2;
            }

            l = reseal(&s, line[i], "\"client\":\"127.0.0.1\"",
                       "\"client\":\"10.9.9.9\"", NULL, NULL);
            memmove(&line[i + 1], &line[i], (n - i) * sizeof(char *));
            line[i] = l;
            n++;

            fprintf(stderr, "inserted at line %zu\n", i + 1);

        } else {
            if (epoch_of(line[last]) > (int) s.epoch) {
                (void) sfb_seal_advance(&s, (uint64_t) epoch_of(line[last]));
            }

            mac_hex(line[last], mac);
            l = reseal(&s, line[last], "\"client\":\"127.0.0.1\"",
                       "\"client\":\"10.9.9.9\"", mac, NULL);
            set_member(l, "seq", atoll(strstr(l, "\"seq\":") + 6) + 1);

            /* an end record's successor is a request's */
            if (strstr(l, "\"phase\":\"end\"") != NULL) {
                memcpy(strstr(l, "\"phase\":\"end\""), "\"phase\":\"out\"",
                       13);
            }

            line[n++] = reseal(&s, l, "", "", NULL, NULL);
            free(l);
        }

    } else {
        fprintf(stderr, "sfb-seal-tool: unknown mode \"%s\"\n", mode);
        return 2;
    }

    for (i = 0; i < n; i++) {
        printf("%s\n", line[i]);
        free(line[i]);
    }

    free(line);
    sfb_seal_clear(&s);

    return 0;
}


static int
same_chain(const char *a, const char *b)
{
    const char  *p, *q;

    p = strstr(a, "\"chain\":\"");
    q = strstr(b, "\"chain\":\"");

    return p != NULL && q != NULL && memcmp(p, q, 9 + 32) == 0;
}


static void
tool_hex(const unsigned char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}
