/*
 * What an attacker who holds a gateway's sealing state (epoch N's key, and
 * so everything a worker has) can do to a sealed audit line: edit its text,
 * give it epoch N and seal it with epoch N's key.  Shared by
 * t/unit/test_seal.c and t/audit-seal/tool.c.
 */

#ifndef SFB_SEAL_ATTACK_H
#define SFB_SEAL_ATTACK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit.h"
#include "sfb_seal.h"


static char *reseal(const sfb_seal_t *st, const char *line, const char *from,
    const char *to, const char *prev, const char *time);
static int epoch_of(const char *line);
static void mac_hex(const char *line, char *hex);
static void set_member(char *line, const char *name, long long v);


/*
 * What the attacker can do with the state of epoch N: edit a line's text
 * (from -> to, prev, time copied from another line), set its epoch to N
 * and seal it with epoch N's key.
 */
static char *
reseal(const sfb_seal_t *st, const char *line, const char *from,
    const char *to, const char *prev, const char *time)
{
    char               *s, *q, *r, buf[64];
    size_t              len;
    unsigned char       mac[32];
    sfb_audit_chain_t  *c;

    s = malloc(strlen(line) + 256);
    strcpy(s, line);

    if (*from && (q = strstr(s, from)) != NULL) {
        memmove(q + strlen(to), q + strlen(from), strlen(q + strlen(from)) + 1);
        memcpy(q, to, strlen(to));
    }

    q = strstr(s, "\"epoch\":") + 8;
    r = strchr(q, ',');
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long) st->epoch);
    memmove(q + strlen(buf), r, strlen(r) + 1);
    memcpy(q, buf, strlen(buf));

    if (prev != NULL) {
        q = strstr(s, "\"prev\":\"") + 8;
        memcpy(q, prev, 64);
    }

    if (time != NULL) {
        memcpy(s + 9, time + 9, 24);
    }

    c = sfb_seal_chain_create(st);
    len = strlen(s);
    (void) sfb_audit_line_mac(c, (unsigned char *) s, len, mac);
    sfb_audit_chain_destroy(c);

    for (q = s + len - 66, len = 0; len < 32; len++) {
        sprintf(q + 2 * len, "%02x", mac[len]);
    }

    q[64] = '"';

    return s;
}



static int
epoch_of(const char *line)
{
    const char  *p;

    p = strstr(line, "\"epoch\":");

    return p ? atoi(p + 8) : -1;
}



static void
mac_hex(const char *line, char *hex)
{
    memcpy(hex, line + strlen(line) - 66, 64);
    hex[64] = '\0';
}


/* an integer member's value replaced, e.g. "seq" */
static void
set_member(char *line, const char *name, long long v)
{
    char   key[64], val[32], *q, *r;

    snprintf(key, sizeof(key), "\"%s\":", name);
    snprintf(val, sizeof(val), "%lld", v);

    q = strstr(line, key);
    if (q == NULL) {
        return;
    }

    q += strlen(key);
    r = q + strspn(q, "0123456789");
    memmove(q + strlen(val), r, strlen(r) + 1);
    memcpy(q, val, strlen(val));
}


#endif /* SFB_SEAL_ATTACK_H */
