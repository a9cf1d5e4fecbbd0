/*
 * sf-backup-gate: the audit log verifier's logic (sf-backup-audit-verify and
 * the unit tests; not part of the nginx module).
 *
 * Each line is checked as it comes (shape, MAC).  What needs other records
 * (does a bad record fit its chain, gaps, order, chain cuts) is judged in
 * sfb_audit_check_finish() over all records sorted by chain and seq, so the
 * files may be given in any order.  Only the first problem in input order
 * is kept: one tampering gives one message, not a cascade.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <zlib.h>

#include "sfb_audit.h"
#include "sfb_audit_dup.h"


/* no record the writer makes comes near this: longer lines are not ours */
#define SFB_CHECK_LINE_MAX  (4 * SFB_AUDIT_LINE_MAX)

#define SFB_CHECK_ID_HEX    (2 * SFB_AUDIT_CHAIN_ID_LEN)
#define SFB_CHECK_MAC_HEX   (2 * SFB_AUDIT_MAC_LEN)
#define SFB_CHECK_NONE      ((size_t) -1)

/* how every record begins: where a line appended to a partial one starts */
#define SFB_CHECK_HEAD      "{\"time\":\""
#define SFB_CHECK_HEAD_LEN  (sizeof(SFB_CHECK_HEAD) - 1)

/* what one read of a log file asks zlib for */
#define SFB_CHECK_CHUNK     (64 * 1024)

/* bounds the re-parsing of a hostile line full of record heads */
#define SFB_CHECK_PARTIAL_TRIES  8


typedef enum {
    SFB_CHECK_STR = 0,
    SFB_CHECK_STR_NULL,
    SFB_CHECK_INT,
    SFB_CHECK_INT_NULL,
    SFB_CHECK_ANY_NULL          /* string, integer or null */
} sfb_check_type_e;


typedef enum {
    SFB_CHECK_PENDING = 0,      /* MAC bad: place in the chain not judged */
    SFB_CHECK_PRESENT,          /* authentic, or modified in its place */
    SFB_CHECK_DROPPED           /* forged or a replay: has no place */
} sfb_check_state_e;


typedef struct {
    const char        *name;
    sfb_check_type_e   type;
    unsigned           optional:1;      /* absent before 0.3 */
} sfb_check_member_t;


typedef struct {
    sfb_audit_chain_t  *mac;            /* keyed, never started */
    unsigned char       id[SFB_AUDIT_KEY_ID_HEX / 2];
} sfb_check_keyed_t;


typedef struct {
    uint64_t        seq;
    uint64_t        line;
    uint64_t        link_seq;               /* prev_seq; 0: no prev_chain */
    uint32_t        chain;                  /* index, once known */
    uint32_t        file;
    unsigned        mac_ok:1;
    unsigned        state:2;
    unsigned        has_key_id:1;
    unsigned        unknown_key:1;
    unsigned        end:1;                  /* phase "end": the chain ends */
    int64_t         time_ms;                /* -1: not RFC 3339 */
    unsigned char   key_id[SFB_AUDIT_KEY_ID_HEX / 2];
    unsigned char   mac[SFB_AUDIT_MAC_LEN];
    unsigned char   prev[SFB_AUDIT_MAC_LEN];   /* zeros for seq 1 */
    unsigned char   chain_id[SFB_AUDIT_CHAIN_ID_LEN];
    unsigned char   link_id[SFB_AUDIT_CHAIN_ID_LEN];
} sfb_check_rec_t;


typedef struct {
    unsigned char   id[SFB_AUDIT_CHAIN_ID_LEN];
    uint64_t        max_seq;                /* 0: nothing present */
    size_t          last;                   /* the record holding max_seq */
    unsigned        named:1;                /* a link says where it ended */
    size_t          run;                    /* last record seen in arrival */
} sfb_check_chain_t;


typedef struct {
    uint32_t        chain;
    uint64_t        seq;
    size_t          rec;
} sfb_check_key_t;


struct sfb_audit_check_s {
    sfb_check_keyed_t    *keys;
    size_t                nkeys;
    int                   strict;
    int64_t               until_ms;     /* --complete-until; -1: not given */
    int64_t               heartbeat_ms;
    int                   finished;

    char                **files;
    size_t                nfiles;
    uint64_t              line;         /* in the current file */

    sfb_check_rec_t      *recs;
    size_t                nrecs;
    size_t                recs_cap;
    size_t                valid;        /* records whose MAC verified */

    /* only authentic records make chains, so ids here are random and the
     * table needs no defence against crafted collisions */
    sfb_check_chain_t    *chains;
    size_t                nchains;
    size_t                chains_cap;
    uint32_t             *slots;        /* open addressing: index + 1 */
    size_t                nslots;

    char                **notes;
    size_t                nnotes;

    sfb_audit_dup_t      *dup;          /* copies told from replays */

    int                   has_problem;
    uint32_t              problem_file;
    sfb_audit_problem_t   problem;
};


static int sfb_check_record(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen);
static int sfb_check_members(json_t *o, sfb_check_rec_t *rec, char *why,
    size_t whylen);
static int sfb_check_partial(sfb_audit_check_t *ck,
    const unsigned char *line, size_t len, sfb_check_rec_t *rec,
    size_t *skipped);
static int sfb_check_mac(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec);
static int sfb_check_is(void *it, const char *name);
static int sfb_check_type(json_t *v, sfb_check_type_e type);
static int sfb_check_hex(json_t *v, size_t hex_len, unsigned char *out);
static int sfb_check_unhex(const unsigned char *p, size_t hex_len,
    unsigned char *out);
static int sfb_check_add(sfb_audit_check_t *ck, const sfb_check_rec_t *rec);
static int sfb_check_chain(sfb_audit_check_t *ck, const unsigned char *id,
    uint32_t *index, int add);
static int sfb_check_grow_slots(sfb_audit_check_t *ck);
static int sfb_check_key_cmp(const void *a, const void *b);
static void sfb_check_fit(sfb_audit_check_t *ck, const sfb_check_key_t *k,
    size_t from, size_t to);
static void sfb_check_sequence(sfb_audit_check_t *ck,
    const sfb_check_key_t *k, size_t from, size_t to, uint32_t *file_chain);
static void sfb_check_order(sfb_audit_check_t *ck);
static void sfb_check_links(sfb_audit_check_t *ck);
static void sfb_check_complete(sfb_audit_check_t *ck);
static int64_t sfb_check_time(const char *s, size_t len);
static void sfb_check_offer(sfb_audit_check_t *ck, sfb_audit_problem_e kind,
    const sfb_check_rec_t *at, uint32_t file, uint64_t line,
    const char *fmt, ...);
static int sfb_check_note(sfb_audit_check_t *ck, const char *fmt, ...);
static int sfb_check_dup(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, const sfb_check_rec_t *rec);
static void sfb_check_dup_replay(sfb_audit_check_t *ck, uint32_t file,
    const sfb_audit_dup_replay_t *replay);
static const char *sfb_check_hexid(const unsigned char *id, char *buf);
static const char *sfb_check_compressed(const char *magic, size_t len);
static const char *sfb_check_hexkey(const unsigned char *id, char *buf);
static const char *sfb_check_tohex(const unsigned char *p, size_t len,
    char *buf);


/* the writer's member order, up to the optional link and the mac */

static const sfb_check_member_t  sfb_check_layout[] = {
    { "time",             SFB_CHECK_STR, 0 },
    { "request_id",       SFB_CHECK_STR, 0 },
    { "client",           SFB_CHECK_STR, 0 },
    { "identity",         SFB_CHECK_STR, 0 },
    { "method",           SFB_CHECK_STR, 0 },
    { "uri",              SFB_CHECK_STR, 0 },
    { "entity",           SFB_CHECK_STR, 0 },
    { "entity_id",        SFB_CHECK_STR, 0 },
    { "entity_name",      SFB_CHECK_STR, 1 },
    { "operation",        SFB_CHECK_STR, 1 },
    { "policy",           SFB_CHECK_STR, 0 },
    { "storage",          SFB_CHECK_STR, 1 },
    { "api_version",      SFB_CHECK_STR, 0 },
    { "timeout",          SFB_CHECK_INT_NULL, 0 },
    { "decision",         SFB_CHECK_STR, 0 },
    { "reason",           SFB_CHECK_STR, 0 },
    { "status",           SFB_CHECK_INT, 0 },
    /* a list since 0.2 (as $upstream_status), an integer before it */
    { "upstream_status",  SFB_CHECK_ANY_NULL, 0 },
    { "upstream_addr",    SFB_CHECK_STR_NULL, 0 },
    { "duration_ms",      SFB_CHECK_INT, 0 },
    { "phase",            SFB_CHECK_STR, 0 },
    { "node",             SFB_CHECK_STR, 1 },
    { "key_id",           SFB_CHECK_STR, 1 },
    { "chain",            SFB_CHECK_STR, 0 },
    { "seq",              SFB_CHECK_INT, 0 },
    { "prev",             SFB_CHECK_STR, 0 }
};

#define SFB_CHECK_LAYOUT_N  (sizeof(sfb_check_layout)                         \
                             / sizeof(sfb_check_layout[0]))
#define SFB_CHECK_CHAIN_AT  22          /* index of "key_id", the first */


static const char  *sfb_check_names[] = {
    "ok",
    "modified record",
    "forged record",
    "deleted record",
    "reordered records",
    "truncated",
    "chain cut",
    "unknown key",
    "replayed record"
};


sfb_audit_check_t *
sfb_audit_check_create(const unsigned char *key, size_t key_len, int strict)
{
    sfb_audit_check_t  *ck;

    ck = calloc(1, sizeof(sfb_audit_check_t));
    if (ck == NULL) {
        return NULL;
    }

    ck->strict = strict;
    ck->until_ms = -1;

    ck->dup = sfb_audit_dup_create();
    if (ck->dup == NULL) {
        sfb_audit_check_destroy(ck);
        return NULL;
    }

    if (key != NULL && sfb_audit_check_add_key(ck, key, key_len) != 0) {
        sfb_audit_check_destroy(ck);
        return NULL;
    }

    return ck;
}


void
sfb_audit_check_complete_until(sfb_audit_check_t *ck, int64_t until_ms,
    int64_t heartbeat_ms)
{
    ck->until_ms = until_ms;
    ck->heartbeat_ms = heartbeat_ms;
}


int64_t
sfb_audit_check_parse_time(const char *s)
{
    return sfb_check_time(s, strlen(s));
}


int
sfb_audit_check_add_key(sfb_audit_check_t *ck, const unsigned char *key,
    size_t key_len)
{
    size_t              i;
    sfb_check_keyed_t  *keys, k;

    k.mac = sfb_audit_chain_create(key, key_len);
    if (k.mac == NULL
        || sfb_check_unhex((const unsigned char *) sfb_audit_chain_key_id(k.mac),
                           SFB_AUDIT_KEY_ID_HEX, k.id)
           != 0)
    {
        sfb_audit_chain_destroy(k.mac);
        return -1;
    }

    for (i = 0; i < ck->nkeys; i++) {
        if (memcmp(ck->keys[i].id, k.id, sizeof(k.id)) == 0) {
            sfb_audit_chain_destroy(k.mac);
            return 0;
        }
    }

    keys = realloc(ck->keys, (ck->nkeys + 1) * sizeof(sfb_check_keyed_t));
    if (keys == NULL) {
        sfb_audit_chain_destroy(k.mac);
        return -1;
    }

    keys[ck->nkeys++] = k;
    ck->keys = keys;

    return 0;
}


void
sfb_audit_check_destroy(sfb_audit_check_t *ck)
{
    size_t  i;

    if (ck == NULL) {
        return;
    }

    for (i = 0; i < ck->nfiles; i++) {
        free(ck->files[i]);
    }

    for (i = 0; i < ck->nnotes; i++) {
        free(ck->notes[i]);
    }

    free(ck->files);
    free(ck->notes);
    free(ck->recs);
    free(ck->chains);
    free(ck->slots);
    sfb_audit_dup_destroy(ck->dup);

    for (i = 0; i < ck->nkeys; i++) {
        sfb_audit_chain_destroy(ck->keys[i].mac);
    }

    free(ck->keys);
    free(ck);
}


int
sfb_audit_check_begin_file(sfb_audit_check_t *ck, const char *name)
{
    char                    *copy, **files;
    size_t                   len;
    sfb_audit_dup_replay_t   replay;

    if (ck->nfiles > 0 && sfb_audit_dup_end_file(ck->dup, &replay)) {
        sfb_check_dup_replay(ck, (uint32_t) (ck->nfiles - 1), &replay);
    }

    len = strlen(name);

    copy = malloc(len + 1);
    if (copy == NULL) {
        return -1;
    }

    memcpy(copy, name, len + 1);

    files = realloc(ck->files, (ck->nfiles + 1) * sizeof(char *));
    if (files == NULL) {
        free(copy);
        return -1;
    }

    files[ck->nfiles++] = copy;
    ck->files = files;
    ck->line = 0;

    return 0;
}


int
sfb_audit_check_line(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, int newline)
{
    int              rc;
    char             why[256], id[SFB_CHECK_ID_HEX + 1];
    char             kid[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t           skipped;
    uint32_t         file;
    sfb_check_rec_t  rec;

    if (ck->nfiles == 0 && sfb_audit_check_begin_file(ck, "-") != 0) {
        return -1;
    }

    file = (uint32_t) (ck->nfiles - 1);
    ck->line++;

    /* the writer puts a whole line, "\n" included, in one write() */

    if (!newline) {
        sfb_check_offer(ck, SFB_AUDIT_TRUNCATED, NULL, file, ck->line,
                        "last line has no newline (%zu bytes): possible "
                        "truncation, e.g. a writer killed mid-write", len);
        return 0;
    }

    memset(&rec, 0, sizeof(sfb_check_rec_t));
    rec.file = file;
    rec.line = ck->line;

    rc = sfb_check_record(ck, line, len, &rec, why, sizeof(why));

    if (rc == 0) {

        /* a writer that died mid-line leaves a partial record, and the
         * next line written gets appended to it */

        rc = sfb_check_partial(ck, line, len, &rec, &skipped);

        if (rc == 1) {
            sfb_check_offer(ck, SFB_AUDIT_TRUNCATED, NULL, file, ck->line,
                            "line starts with %zu bytes of a partial record "
                            "before a complete one: possible truncation, "
                            "e.g. a writer killed mid-write", skipped);

        } else if (rc == 0) {
            sfb_check_offer(ck, SFB_AUDIT_FORGED, NULL, file, ck->line,
                            "%s", why);
        }
    }

    if (rc != 1) {
        return rc;
    }

    /* not forged, not verified either: the key was not given */

    if (rec.unknown_key) {
        sfb_check_offer(ck, SFB_AUDIT_UNKNOWN_KEY, NULL, file, ck->line,
                        "key_id %s was not given (--key): chain %s seq %llu "
                        "is not verified (nor called forged)",
                        sfb_check_hexkey(rec.key_id, kid),
                        sfb_check_hexid(rec.chain_id, id),
                        (unsigned long long) rec.seq);
        return 0;
    }

    /* a byte-identical copy (at-least-once shipping) is counted, once */

    if (rec.mac_ok) {
        rc = sfb_check_dup(ck, line, len, &rec);

        if (rc != 1) {
            return rc;
        }
    }

    return sfb_check_add(ck, &rec);
}


/*
 * Plain or gzip-compressed (logrotate's "compress"): zlib reads both.  A
 * file that cannot be read or decompressed is an I/O error that names it,
 * never a record problem: its bytes say nothing about the records.
 */
int
sfb_audit_check_path(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen)
{
    int             fd, n, rc, zerr;
    char            magic[6];
    gzFile          gz;
    size_t          len, cap, seg;
    ssize_t         got;
    const char     *what;
    unsigned char  *buf, *line, *p, *last, *nl, *grown;

    fd = open(path, O_RDONLY);
    if (fd == -1) {
        snprintf(err, errlen, "cannot open \"%s\": %s", path, strerror(errno));
        return -1;
    }

    got = pread(fd, magic, sizeof(magic), 0);
    if (got == -1) {
        snprintf(err, errlen, "cannot read \"%s\": %s", path, strerror(errno));
        (void) close(fd);
        return -1;
    }

    what = sfb_check_compressed(magic, (size_t) got);
    if (what != NULL) {
        snprintf(err, errlen, "cannot read \"%s\": compressed with %s; only "
                 "plain and gzip files are read (decompress it first)",
                 path, what);
        (void) close(fd);
        return -1;
    }

    buf = malloc(SFB_CHECK_CHUNK);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        (void) close(fd);
        return -1;
    }

    gz = gzdopen(fd, "rb");
    if (gz == NULL || sfb_audit_check_begin_file(ck, path) != 0) {
        snprintf(err, errlen, "out of memory");
        free(buf);
        if (gz != NULL) {
            (void) gzclose(gz);
        } else {
            (void) close(fd);
        }
        return -1;
    }

    line = NULL;
    len = 0;
    cap = 0;
    rc = 0;

    /* a line is a byte range, not a C string: NULs are kept */

    while (rc == 0 && (n = gzread(gz, buf, SFB_CHECK_CHUNK)) > 0) {

        p = buf;
        last = buf + n;

        while (p < last) {
            nl = memchr(p, '\n', (size_t) (last - p));

            if (nl != NULL && len == 0) {
                /* the whole line is in this chunk */
                if (sfb_audit_check_line(ck, p, (size_t) (nl - p), 1) != 0) {
                    rc = -1;
                    break;
                }

                p = nl + 1;
                continue;
            }

            seg = (size_t) ((nl != NULL ? nl : last) - p);

            if (len + seg > cap) {
                cap = 2 * (len + seg);
                grown = realloc(line, cap);
                if (grown == NULL) {
                    rc = -1;
                    break;
                }

                line = grown;
            }

            memcpy(line + len, p, seg);
            len += seg;
            p += seg;

            if (nl != NULL) {
                if (sfb_audit_check_line(ck, line, len, 1) != 0) {
                    rc = -1;
                    break;
                }

                len = 0;
                p++;
            }
        }
    }

    if (rc == 0) {
        /* after the end: Z_BUF_ERROR is a gzip stream cut short */
        (void) gzerror(gz, &zerr);

        if (zerr == Z_ERRNO) {
            snprintf(err, errlen, "cannot read \"%s\": %s", path,
                     strerror(errno));
            rc = -2;

        } else if (n < 0 || zerr != Z_OK) {
            /* zlib says "<fd:N>: what" */
            what = gzerror(gz, &zerr);
            what = strstr(what, ": ") ? strstr(what, ": ") + 2 : what;

            snprintf(err, errlen, "cannot read \"%s\": not a whole gzip "
                     "file (%s): cut short or corrupt", path, what);
            rc = -2;

        } else if (len > 0 && sfb_audit_check_line(ck, line, len, 0) != 0) {
            rc = -1;
        }
    }

    if (rc == -1) {
        snprintf(err, errlen, "out of memory");
    }

    free(line);
    free(buf);
    (void) gzclose(gz);

    return rc == 0 ? 0 : -1;
}


int
sfb_audit_check_finish(sfb_audit_check_t *ck)
{
    char                     id[SFB_CHECK_ID_HEX + 1];
    size_t                   i, n, from, to;
    uint32_t                *file_chain;
    sfb_check_rec_t         *r;
    sfb_check_key_t         *k;
    sfb_audit_dup_replay_t   replay;

    if (ck->finished) {
        return ck->has_problem ? 1 : 0;
    }

    ck->finished = 1;

    if (ck->nfiles > 0 && sfb_audit_dup_end_file(ck->dup, &replay)) {
        sfb_check_dup_replay(ck, (uint32_t) (ck->nfiles - 1), &replay);
    }

    k = malloc((ck->nrecs + 1) * sizeof(sfb_check_key_t));
    file_chain = calloc(ck->nfiles + 1, sizeof(uint32_t));

    if (k == NULL || file_chain == NULL) {
        free(k);
        free(file_chain);
        return -1;
    }

    /* a bad MAC can only be judged against the authentic records of the
     * chain it names; with none, nothing vouches for it */

    n = 0;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        if (!r->mac_ok
            && sfb_check_chain(ck, r->chain_id, &r->chain, 0) != 1)
        {
            r->state = SFB_CHECK_DROPPED;
            sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                            "MAC mismatch on chain %s seq %llu, a chain with "
                            "no authentic record%s",
                            sfb_check_hexid(r->chain_id, id),
                            (unsigned long long) r->seq,
                            ck->valid == 0
                            ? " (no record verifies with this key: wrong key?)"
                            : "");
            continue;
        }

        k[n].chain = r->chain;
        k[n].seq = r->seq;
        k[n].rec = i;
        n++;
    }

    qsort(k, n, sizeof(sfb_check_key_t), sfb_check_key_cmp);

    /* each chain is a run of k[]: first settle what the bad MACs are,
     * then walk what remains in seq order */

    for (from = 0; from < n; from = to) {

        for (to = from; to < n && k[to].chain == k[from].chain; to++) {
            /* void */
        }

        sfb_check_fit(ck, k, from, to);
        sfb_check_sequence(ck, k, from, to, file_chain);
    }

    sfb_check_order(ck);
    sfb_check_links(ck);
    sfb_check_complete(ck);

    free(k);
    free(file_chain);

    return ck->has_problem ? 1 : 0;
}


const sfb_audit_problem_t *
sfb_audit_check_problem(const sfb_audit_check_t *ck)
{
    return ck->has_problem ? &ck->problem : NULL;
}


const char *
sfb_audit_problem_name(sfb_audit_problem_e kind)
{
    if ((unsigned) kind >= sizeof(sfb_check_names) / sizeof(char *)) {
        return "unknown";
    }

    return sfb_check_names[kind];
}


int
sfb_audit_check_summary(const sfb_audit_check_t *ck, char *out, size_t size)
{
    uint64_t  dups;

    dups = sfb_audit_dup_count(ck->dup);

    if (dups == 0) {
        return snprintf(out, size, "OK: %zu file%s, %zu chain%s, %zu "
                        "record%s verified",
                        ck->nfiles, ck->nfiles == 1 ? "" : "s",
                        ck->nchains, ck->nchains == 1 ? "" : "s",
                        ck->valid, ck->valid == 1 ? "" : "s");
    }

    return snprintf(out, size, "OK: %zu file%s, %zu chain%s, %zu record%s "
                    "verified, %llu duplicate%s (byte-identical copies, "
                    "not counted)",
                    ck->nfiles, ck->nfiles == 1 ? "" : "s",
                    ck->nchains, ck->nchains == 1 ? "" : "s",
                    ck->valid, ck->valid == 1 ? "" : "s",
                    (unsigned long long) dups, dups == 1 ? "" : "s");
}


uint64_t
sfb_audit_check_duplicates(const sfb_audit_check_t *ck)
{
    return sfb_audit_dup_count(ck->dup);
}


const char *
sfb_audit_check_note(const sfb_audit_check_t *ck, size_t i)
{
    return i < ck->nnotes ? ck->notes[i] : NULL;
}


/*
 * 1: a record of the writer's shape, rec filled and its MAC checked;
 * 0: not one, why says what is wrong; -1: allocation failure.
 */

static int
sfb_check_record(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen)
{
    int            rc;
    json_t        *o;
    json_error_t   e;
    unsigned char  tail[SFB_AUDIT_MAC_LEN];

    if (len > SFB_CHECK_LINE_MAX) {
        snprintf(why, whylen, "line of %zu bytes, longer than any record",
                 len);
        return 0;
    }

    /* duplicate members could make the parse and the MAC disagree;
     * "\u0000" is how the writer escapes a NUL from a request */

    o = json_loadb((const char *) line, len,
                   JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);

    if (o == NULL) {
        snprintf(why, whylen, "not JSON: %s (column %d)", e.text, e.column);
        return 0;
    }

    if (!json_is_object(o)) {
        snprintf(why, whylen, "not a JSON object");
        json_decref(o);
        return 0;
    }

    rc = sfb_check_members(o, rec, why, whylen);

    json_decref(o);

    if (rc != 1) {
        return rc;
    }

    /* B is the line less this exact suffix, so it must be the writer's */

    if (len <= SFB_AUDIT_MAC_SUFFIX_LEN
        || memcmp(line + len - SFB_AUDIT_MAC_SUFFIX_LEN, ",\"mac\":\"",
                  SFB_AUDIT_MAC_SUFFIX_LEN - SFB_CHECK_MAC_HEX - 2) != 0
        || line[len - 2] != '"' || line[len - 1] != '}'
        || sfb_check_unhex(line + len - 2 - SFB_CHECK_MAC_HEX,
                           SFB_CHECK_MAC_HEX, tail) != 0
        || memcmp(tail, rec->mac, SFB_AUDIT_MAC_LEN) != 0)
    {
        snprintf(why, whylen, "\"mac\" does not end the line in the writer's "
                 "form");
        return 0;
    }

    return sfb_check_mac(ck, line, len, rec);
}


/* the MAC with the key the record names, or any key for one of before
 * key_id; 1, or -1 if OpenSSL fails */

static int
sfb_check_mac(sfb_audit_check_t *ck, const unsigned char *line, size_t len,
    sfb_check_rec_t *rec)
{
    size_t         i;
    unsigned char  mac[SFB_AUDIT_MAC_LEN];

    rec->mac_ok = 0;

    for (i = 0; i < ck->nkeys; i++) {

        if (rec->has_key_id
            && memcmp(ck->keys[i].id, rec->key_id, sizeof(rec->key_id)) != 0)
        {
            continue;
        }

        if (sfb_audit_line_mac(ck->keys[i].mac, line, len, mac) != 0) {
            return -1;
        }

        if (CRYPTO_memcmp(mac, rec->mac, SFB_AUDIT_MAC_LEN) == 0) {
            rec->mac_ok = 1;
            return 1;
        }

        if (rec->has_key_id) {
            return 1;
        }
    }

    rec->unknown_key = rec->has_key_id;

    return 1;
}


static int
sfb_check_members(json_t *o, sfb_check_rec_t *rec, char *why, size_t whylen)
{
    void        *it;
    size_t       i;
    json_t      *v;
    json_int_t   n;

    it = json_object_iter(o);

    for (i = 0; i < SFB_CHECK_LAYOUT_N; i++) {

        if (i == SFB_CHECK_CHAIN_AT && (it == NULL || sfb_check_is(it, "mac")))
        {
            snprintf(why, whylen, "no chain fields: with a key every record "
                     "must have chain, seq, prev and mac");
            return 0;
        }

        if (it == NULL) {
            snprintf(why, whylen, "record ends where \"%s\" is expected",
                     sfb_check_layout[i].name);
            return 0;
        }

        if (!sfb_check_is(it, sfb_check_layout[i].name)) {

            if (sfb_check_layout[i].optional) {
                continue;
            }

            snprintf(why, whylen, "member %zu is \"%.40s\", \"%s\" expected",
                     i + 1, json_object_iter_key(it),
                     sfb_check_layout[i].name);
            return 0;
        }

        if (!sfb_check_type(json_object_iter_value(it),
                            sfb_check_layout[i].type))
        {
            snprintf(why, whylen, "\"%s\" has the wrong type",
                     sfb_check_layout[i].name);
            return 0;
        }

        it = json_object_iter_next(o, it);
    }

    v = json_object_get(o, "key_id");

    if (v != NULL) {
        if (sfb_check_hex(v, SFB_AUDIT_KEY_ID_HEX, rec->key_id) != 0) {
            snprintf(why, whylen, "\"key_id\" is not %d hex digits",
                     SFB_AUDIT_KEY_ID_HEX);
            return 0;
        }

        rec->has_key_id = 1;
    }

    if (sfb_check_hex(json_object_get(o, "chain"), SFB_CHECK_ID_HEX,
                      rec->chain_id)
        != 0)
    {
        snprintf(why, whylen, "\"chain\" is not %d hex digits",
                 SFB_CHECK_ID_HEX);
        return 0;
    }

    n = json_integer_value(json_object_get(o, "seq"));
    if (n < 1) {
        snprintf(why, whylen, "\"seq\" is not a positive integer");
        return 0;
    }

    rec->seq = (uint64_t) n;

    v = json_object_get(o, "time");
    rec->time_ms = sfb_check_time(json_string_value(v), json_string_length(v));

    v = json_object_get(o, "phase");
    rec->end = json_string_length(v) == 3
               && memcmp(json_string_value(v), "end", 3) == 0;

    v = json_object_get(o, "prev");

    if (rec->seq == 1 ? json_string_length(v) != 0
                      : sfb_check_hex(v, SFB_CHECK_MAC_HEX, rec->prev) != 0)
    {
        snprintf(why, whylen, "\"prev\" of seq %llu is not %s",
                 (unsigned long long) rec->seq,
                 rec->seq == 1 ? "empty" : "64 hex digits");
        return 0;
    }

    if (it != NULL && sfb_check_is(it, "prev_chain")) {

        /* on seq 1 after a reopen; on any record when it names another
         * process's chain, which may end after this one began */

        if (sfb_check_hex(json_object_iter_value(it), SFB_CHECK_ID_HEX,
                          rec->link_id)
            != 0)
        {
            snprintf(why, whylen, "\"prev_chain\" is not %d hex digits",
                     SFB_CHECK_ID_HEX);
            return 0;
        }

        it = json_object_iter_next(o, it);
        v = it ? json_object_iter_value(it) : NULL;

        if (it == NULL || !sfb_check_is(it, "prev_seq")
            || !json_is_integer(v) || json_integer_value(v) < 1)
        {
            snprintf(why, whylen, "\"prev_chain\" is not followed by a "
                     "positive \"prev_seq\"");
            return 0;
        }

        rec->link_seq = (uint64_t) json_integer_value(v);

        it = json_object_iter_next(o, it);
    }

    if (it == NULL || !sfb_check_is(it, "mac")
        || sfb_check_hex(json_object_iter_value(it), SFB_CHECK_MAC_HEX,
                         rec->mac)
           != 0)
    {
        snprintf(why, whylen, "the chain fields do not end with a \"mac\" of "
                 "64 hex digits");
        return 0;
    }

    if (json_object_iter_next(o, it) != NULL) {
        snprintf(why, whylen, "members after \"mac\"");
        return 0;
    }

    return 1;
}


/*
 * A line that is not a record may be a partial one with a complete,
 * authentic record appended: 1 (rec filled, *skipped its offset), 0, -1.
 */

static int
sfb_check_partial(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, size_t *skipped)
{
    int                   rc, tries;
    char                  why[256];
    size_t                off;
    uint32_t              file;
    uint64_t              lineno;
    const unsigned char  *p;

    file = rec->file;
    lineno = rec->line;

    for (off = 1, tries = 0;
         off + SFB_CHECK_HEAD_LEN <= len && tries < SFB_CHECK_PARTIAL_TRIES;
         off = (size_t) (p - line) + 1)
    {
        p = memchr(line + off, '{', len - off);
        if (p == NULL) {
            break;
        }

        if ((size_t) (line + len - p) < SFB_CHECK_HEAD_LEN
            || memcmp(p, SFB_CHECK_HEAD, SFB_CHECK_HEAD_LEN) != 0)
        {
            continue;
        }

        tries++;

        memset(rec, 0, sizeof(sfb_check_rec_t));
        rec->file = file;
        rec->line = lineno;

        rc = sfb_check_record(ck, p, (size_t) (line + len - p), rec, why,
                              sizeof(why));
        if (rc == -1) {
            return -1;
        }

        /* only an authentic tail makes the head a partial record */

        if (rc == 1 && rec->mac_ok) {
            *skipped = (size_t) (p - line);
            return 1;
        }
    }

    return 0;
}


static int
sfb_check_is(void *it, const char *name)
{
    size_t  len;

    len = strlen(name);

    return json_object_iter_key_len(it) == len
           && memcmp(json_object_iter_key(it), name, len) == 0;
}


static int
sfb_check_type(json_t *v, sfb_check_type_e type)
{
    switch (type) {
    case SFB_CHECK_STR:
        return json_is_string(v);
    case SFB_CHECK_STR_NULL:
        return json_is_string(v) || json_is_null(v);
    case SFB_CHECK_INT:
        return json_is_integer(v);
    case SFB_CHECK_INT_NULL:
        return json_is_integer(v) || json_is_null(v);
    default:
        return json_is_string(v) || json_is_integer(v) || json_is_null(v);
    }
}


static int
sfb_check_hex(json_t *v, size_t hex_len, unsigned char *out)
{
    if (!json_is_string(v) || json_string_length(v) != hex_len) {
        return -1;
    }

    return sfb_check_unhex((const unsigned char *) json_string_value(v),
                           hex_len, out);
}


/* lowercase only: the writer never makes anything else */

static int
sfb_check_unhex(const unsigned char *p, size_t hex_len, unsigned char *out)
{
    size_t         i;
    unsigned char  c, v;

    for (i = 0; i < hex_len; i++) {
        c = p[i];

        if (c >= '0' && c <= '9') {
            v = (unsigned char) (c - '0');

        } else if (c >= 'a' && c <= 'f') {
            v = (unsigned char) (c - 'a' + 10);

        } else {
            return -1;
        }

        if (i % 2 == 0) {
            out[i / 2] = (unsigned char) (v << 4);

        } else {
            out[i / 2] |= v;
        }
    }

    return 0;
}


static int
sfb_check_add(sfb_audit_check_t *ck, const sfb_check_rec_t *rec)
{
    size_t            cap;
    sfb_check_rec_t  *recs;

    if (ck->nrecs == ck->recs_cap) {
        cap = ck->recs_cap ? 2 * ck->recs_cap : 256;

        recs = realloc(ck->recs, cap * sizeof(sfb_check_rec_t));
        if (recs == NULL) {
            return -1;
        }

        ck->recs = recs;
        ck->recs_cap = cap;
    }

    ck->recs[ck->nrecs] = *rec;

    if (rec->mac_ok) {
        ck->recs[ck->nrecs].state = SFB_CHECK_PRESENT;

        if (sfb_check_chain(ck, rec->chain_id, &ck->recs[ck->nrecs].chain, 1)
            != 1)
        {
            return -1;
        }

        ck->valid++;
    }

    ck->nrecs++;

    return 0;
}


/* 1: found or added, *index set; 0: not found; -1: allocation failure */

static int
sfb_check_chain(sfb_audit_check_t *ck, const unsigned char *id,
    uint32_t *index, int add)
{
    size_t              h, cap, mask;
    uint32_t            c;
    uint64_t            v;
    sfb_check_chain_t  *chains;

    if (add && (ck->nchains + 1) * 2 > ck->nslots) {
        if (sfb_check_grow_slots(ck) != 0) {
            return -1;
        }
    }

    if (ck->nslots == 0) {
        return 0;
    }

    memcpy(&v, id, sizeof(uint64_t));

    mask = ck->nslots - 1;

    for (h = v & mask; ck->slots[h]; h = (h + 1) & mask) {
        c = ck->slots[h] - 1;

        if (memcmp(ck->chains[c].id, id, SFB_AUDIT_CHAIN_ID_LEN) == 0) {
            *index = c;
            return 1;
        }
    }

    if (!add) {
        return 0;
    }

    if (ck->nchains == ck->chains_cap) {
        cap = ck->chains_cap ? 2 * ck->chains_cap : 16;

        chains = realloc(ck->chains, cap * sizeof(sfb_check_chain_t));
        if (chains == NULL) {
            return -1;
        }

        ck->chains = chains;
        ck->chains_cap = cap;
    }

    c = (uint32_t) ck->nchains++;

    memset(&ck->chains[c], 0, sizeof(sfb_check_chain_t));
    memcpy(ck->chains[c].id, id, SFB_AUDIT_CHAIN_ID_LEN);
    ck->chains[c].last = SFB_CHECK_NONE;
    ck->chains[c].run = SFB_CHECK_NONE;

    ck->slots[h] = c + 1;
    *index = c;

    return 1;
}


static int
sfb_check_grow_slots(sfb_audit_check_t *ck)
{
    size_t     i, h, n;
    uint32_t  *slots;
    uint64_t   v;

    n = ck->nslots ? 2 * ck->nslots : 64;

    slots = calloc(n, sizeof(uint32_t));
    if (slots == NULL) {
        return -1;
    }

    for (i = 0; i < ck->nchains; i++) {
        memcpy(&v, ck->chains[i].id, sizeof(uint64_t));

        for (h = v & (n - 1); slots[h]; h = (h + 1) & (n - 1)) {
            /* void */
        }

        slots[h] = (uint32_t) i + 1;
    }

    free(ck->slots);
    ck->slots = slots;
    ck->nslots = n;

    return 0;
}


/* chain, then seq, then arrival: the first copy of a seq comes first */

static int
sfb_check_key_cmp(const void *a, const void *b)
{
    const sfb_check_key_t  *x = a, *y = b;

    if (x->chain != y->chain) {
        return x->chain < y->chain ? -1 : 1;
    }

    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }

    return x->rec < y->rec ? -1 : (x->rec > y->rec);
}


/*
 * A bad MAC in place (no authentic record has its seq, its prev is the
 * mac of the authentic record before it, its mac is the prev of the one
 * after) is a modified record; anything else is forged.
 */

static void
sfb_check_fit(sfb_audit_check_t *ck, const sfb_check_key_t *k, size_t from,
    size_t to)
{
    int               fits;
    char              id[SFB_CHECK_ID_HEX + 1];
    size_t            g, h, x, ok, pred, succ, prev_ok;
    uint64_t          s, prev_seq;
    sfb_check_rec_t  *r;

    prev_ok = SFB_CHECK_NONE;
    prev_seq = 0;

    for (g = from; g < to; g = h) {
        s = k[g].seq;
        ok = SFB_CHECK_NONE;

        for (h = g; h < to && k[h].seq == s; h++) {
            if (ok == SFB_CHECK_NONE && ck->recs[k[h].rec].mac_ok) {
                ok = k[h].rec;
            }
        }

        succ = SFB_CHECK_NONE;

        for (x = h; x < to && k[x].seq == s + 1; x++) {
            if (ck->recs[k[x].rec].mac_ok) {
                succ = k[x].rec;
                break;
            }
        }

        pred = (s > 1 && prev_seq == s - 1) ? prev_ok : SFB_CHECK_NONE;

        for (x = g; x < h; x++) {
            r = &ck->recs[k[x].rec];

            if (r->state != SFB_CHECK_PENDING) {
                continue;
            }

            fits = ok == SFB_CHECK_NONE
                   && (pred == SFB_CHECK_NONE
                       || memcmp(ck->recs[pred].mac, r->prev,
                                 SFB_AUDIT_MAC_LEN) == 0)
                   && (succ == SFB_CHECK_NONE
                       || memcmp(ck->recs[succ].prev, r->mac,
                                 SFB_AUDIT_MAC_LEN) == 0)
                   && (pred != SFB_CHECK_NONE || succ != SFB_CHECK_NONE
                       || s == 1);

            if (fits) {
                r->state = SFB_CHECK_PRESENT;
                sfb_check_offer(ck, SFB_AUDIT_MODIFIED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, which "
                                "fits its chain: its content was changed",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s);
                continue;
            }

            r->state = SFB_CHECK_DROPPED;

            if (ok != SFB_CHECK_NONE) {
                sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, a seq "
                                "the authentic record at %s:%llu has",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s,
                                ck->files[ck->recs[ok].file],
                                (unsigned long long) ck->recs[ok].line);

            } else {
                sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, which "
                                "does not fit its chain",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s);
            }
        }

        prev_seq = s;
        prev_ok = ok;
    }
}


/* gaps, broken links, replays and stretches moved between files */

static void
sfb_check_sequence(sfb_audit_check_t *ck, const sfb_check_key_t *k,
    size_t from, size_t to, uint32_t *file_chain)
{
    char              id[SFB_CHECK_ID_HEX + 1];
    size_t            x, p;
    uint32_t          c, run_file;
    sfb_check_rec_t  *r, *q;

    c = k[from].chain;
    p = SFB_CHECK_NONE;
    run_file = UINT32_MAX;

    (void) sfb_check_hexid(ck->chains[c].id, id);

    for (x = from; x < to; x++) {
        r = &ck->recs[k[x].rec];

        if (r->state != SFB_CHECK_PRESENT) {
            continue;
        }

        q = (p == SFB_CHECK_NONE) ? NULL : &ck->recs[p];

        if (q == NULL) {

            if (r->seq > 1 && ck->strict) {
                sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                                "chain %s starts at seq %llu: seq 1 to %llu "
                                "are not in the given files (--strict)",
                                id, (unsigned long long) r->seq,
                                (unsigned long long) r->seq - 1);

            } else if (r->seq > 1) {
                (void) sfb_check_note(ck, "chain %s begins at seq %llu in "
                                      "%s:%llu; its earlier records are not "
                                      "in the given files",
                                      id, (unsigned long long) r->seq,
                                      ck->files[r->file],
                                      (unsigned long long) r->line);
            }

        } else if (r->seq == q->seq) {
            r->state = SFB_CHECK_DROPPED;
            sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                            "chain %s seq %llu repeats the record at %s:%llu",
                            id, (unsigned long long) r->seq,
                            ck->files[q->file], (unsigned long long) q->line);
            continue;

        } else if (r->seq > q->seq + 1) {
            sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                            "chain %s jumps from seq %llu (%s:%llu) to seq "
                            "%llu: %llu record(s) missing",
                            id, (unsigned long long) q->seq,
                            ck->files[q->file], (unsigned long long) q->line,
                            (unsigned long long) r->seq,
                            (unsigned long long) (r->seq - q->seq - 1));

        } else if (memcmp(r->prev, q->mac, SFB_AUDIT_MAC_LEN) != 0) {
            sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                            "prev of chain %s seq %llu is not the mac of seq "
                            "%llu (%s:%llu): the record it followed is gone",
                            id, (unsigned long long) r->seq,
                            (unsigned long long) q->seq,
                            ck->files[q->file], (unsigned long long) q->line);
        }

        /* a writer appends a chain to one file, then maybe the next: each
         * file holds one stretch of it */

        if (r->file != run_file) {

            if (q != NULL && file_chain[r->file] == c + 1) {
                sfb_check_offer(ck, SFB_AUDIT_REORDERED, r, 0, 0,
                                "chain %s seq %llu returns to this file after "
                                "seq %llu in %s:%llu: records were moved "
                                "between files", id,
                                (unsigned long long) r->seq,
                                (unsigned long long) q->seq,
                                ck->files[q->file],
                                (unsigned long long) q->line);
            }

            file_chain[r->file] = c + 1;
            run_file = r->file;
        }

        p = k[x].rec;
    }

    if (p != SFB_CHECK_NONE) {
        ck->chains[c].max_seq = ck->recs[p].seq;
        ck->chains[c].last = p;
    }
}


/* within a file a chain's seq only grows */

static void
sfb_check_order(sfb_audit_check_t *ck)
{
    char                id[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    sfb_check_rec_t    *r, *q;
    sfb_check_chain_t  *c;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        if (r->state != SFB_CHECK_PRESENT) {
            continue;
        }

        c = &ck->chains[r->chain];
        q = (c->run == SFB_CHECK_NONE) ? NULL : &ck->recs[c->run];

        if (q != NULL && q->file == r->file && r->seq < q->seq) {
            sfb_check_offer(ck, SFB_AUDIT_REORDERED, r, 0, 0,
                            "chain %s seq %llu comes after seq %llu "
                            "(line %llu)",
                            sfb_check_hexid(c->id, id),
                            (unsigned long long) r->seq,
                            (unsigned long long) q->seq,
                            (unsigned long long) q->line);
        }

        c->run = i;
    }
}


/* a chain's successor says where it ended: fewer records means a cut */

static void
sfb_check_links(sfb_audit_check_t *ck)
{
    int                 found;
    char                id[SFB_CHECK_ID_HEX + 1], pid[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    uint32_t            p;
    sfb_check_rec_t    *r, *last;
    sfb_check_chain_t  *pc;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        /* only an authentic record's word counts */

        if (!r->mac_ok || r->link_seq == 0) {
            continue;
        }

        (void) sfb_check_hexid(r->chain_id, id);
        (void) sfb_check_hexid(r->link_id, pid);

        found = sfb_check_chain(ck, r->link_id, &p, 0) == 1
                && ck->chains[p].max_seq > 0;

        if (!found) {

            if (ck->strict) {
                sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, r, 0, 0,
                                "chain %s continues chain %s (ended at seq "
                                "%llu), which is not in the given files "
                                "(--strict)", id, pid,
                                (unsigned long long) r->link_seq);

            } else {
                (void) sfb_check_note(ck, "chain %s (%s:%llu) continues "
                                      "chain %s (ended at seq %llu), which "
                                      "is not in the given files",
                                      id, ck->files[r->file],
                                      (unsigned long long) r->line, pid,
                                      (unsigned long long) r->link_seq);
            }

            continue;
        }

        pc = &ck->chains[p];
        last = &ck->recs[pc->last];

        if (pc->max_seq == r->link_seq) {
            pc->named = 1;

        } else if (pc->max_seq < r->link_seq) {
            sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                            "chain %s ends at seq %llu here, but chain %s "
                            "(%s:%llu) says it ended at seq %llu: %llu "
                            "record(s) missing at its end (possible "
                            "truncation)", pid,
                            (unsigned long long) pc->max_seq, id,
                            ck->files[r->file], (unsigned long long) r->line,
                            (unsigned long long) r->link_seq,
                            (unsigned long long) (r->link_seq - pc->max_seq));

        } else if (pc->max_seq > r->link_seq) {
            sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                            "chain %s goes on to seq %llu here, past seq "
                            "%llu where chain %s (%s:%llu) says it ended",
                            pid, (unsigned long long) pc->max_seq,
                            (unsigned long long) r->link_seq, id,
                            ck->files[r->file], (unsigned long long) r->line);
        }
    }
}


/*
 * --complete-until: the log holds everything written up to until_ms, and a
 * live worker writes at least one record (a heartbeat) every heartbeat_ms.
 * So a chain that ends without its end record, and that no successor names
 * as ended there, must reach the last interval before until_ms: else its
 * tail was cut.  And something must: else the newest records are gone.
 */

static void
sfb_check_complete(sfb_audit_check_t *ck)
{
    char                id[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    int64_t             newest, from;
    sfb_check_rec_t    *last;
    sfb_check_chain_t  *c;

    if (ck->until_ms < 0) {
        return;
    }

    /* a timer fires a little late: a tenth of the interval, at least 1 s */
    from = ck->until_ms - ck->heartbeat_ms
           - (ck->heartbeat_ms / 10 > 1000 ? ck->heartbeat_ms / 10 : 1000);
    newest = -1;

    for (i = 0; i < ck->nchains; i++) {
        c = &ck->chains[i];

        if (c->last == SFB_CHECK_NONE) {
            continue;
        }

        last = &ck->recs[c->last];

        if (last->time_ms > newest) {
            newest = last->time_ms;
        }

        if (last->end || c->named || last->time_ms >= from) {
            continue;
        }

        sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                        "chain %s stops at seq %llu here without its end "
                        "record, more than one heartbeat interval (%lld s) "
                        "before --complete-until, and no chain names it as "
                        "ended: its tail was cut",
                        sfb_check_hexid(c->id, id),
                        (unsigned long long) c->max_seq,
                        (long long) (ck->heartbeat_ms / 1000));
    }

    if (newest < from && ck->nfiles > 0) {
        sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, NULL,
                        (uint32_t) (ck->nfiles - 1), ck->line,
                        "%s more than one heartbeat interval (%lld s) before "
                        "--complete-until: the newest records are missing "
                        "(or the gateway was not running then)",
                        newest < 0 ? "no record at all, not one"
                                   : "the newest record is",
                        (long long) (ck->heartbeat_ms / 1000));
    }
}


/* RFC 3339 as the writer prints it, "2026-11-25T01:38:19.123Z" (or without
 * the milliseconds), to Unix ms; -1 if it is not that */

static int64_t
sfb_check_time(const char *s, size_t len)
{
    int          ms, n;
    char         buf[32];
    time_t       t;
    struct tm    tm;
    const char  *end;

    if (s == NULL || len >= sizeof(buf) || len < 20) {
        return -1;
    }

    memcpy(buf, s, len);
    buf[len] = '\0';

    memset(&tm, 0, sizeof(struct tm));
    n = 0;

    if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n)
        != 6 || n != 19)
    {
        return -1;
    }

    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    end = buf + n;
    ms = 0;

    if (end[0] == '.' && end[1] >= '0' && end[1] <= '9' && end[2] >= '0'
        && end[2] <= '9' && end[3] >= '0' && end[3] <= '9')
    {
        ms = (end[1] - '0') * 100 + (end[2] - '0') * 10 + (end[3] - '0');
        end += 4;
    }

    if (end[0] != 'Z' || end[1] != '\0') {
        return -1;
    }

    t = timegm(&tm);
    if (t == (time_t) -1) {
        return -1;
    }

    return (int64_t) t * 1000 + ms;
}


/* keep the problem that comes first in input order; at, or file and line */

static void
sfb_check_offer(sfb_audit_check_t *ck, sfb_audit_problem_e kind,
    const sfb_check_rec_t *at, uint32_t file, uint64_t line,
    const char *fmt, ...)
{
    va_list  args;

    if (at != NULL) {
        file = at->file;
        line = at->line;
    }

    if (ck->has_problem
        && (file > ck->problem_file
            || (file == ck->problem_file && line >= ck->problem.line)))
    {
        return;
    }

    ck->has_problem = 1;
    ck->problem_file = file;
    ck->problem.kind = kind;
    ck->problem.file = ck->files[file];
    ck->problem.line = line;

    va_start(args, fmt);
    vsnprintf(ck->problem.detail, sizeof(ck->problem.detail), fmt, args);
    va_end(args);
}


static int
sfb_check_note(sfb_audit_check_t *ck, const char *fmt, ...)
{
    int       n;
    char     *note, **notes;
    va_list   args;

    va_start(args, fmt);
    n = vsnprintf(NULL, 0, fmt, args);
    va_end(args);

    if (n < 0) {
        return -1;
    }

    note = malloc((size_t) n + 1);
    if (note == NULL) {
        return -1;
    }

    va_start(args, fmt);
    vsnprintf(note, (size_t) n + 1, fmt, args);
    va_end(args);

    notes = realloc(ck->notes, (ck->nnotes + 1) * sizeof(char *));
    if (notes == NULL) {
        free(note);
        return -1;
    }

    notes[ck->nnotes++] = note;
    ck->notes = notes;

    return 0;
}


/* 1: a record to judge; 0: a duplicate or a replay (reported), -1 */

static int
sfb_check_dup(sfb_audit_check_t *ck, const unsigned char *line, size_t len,
    const sfb_check_rec_t *rec)
{
    int                      rc;
    uint64_t                 original;
    sfb_audit_dup_replay_t   replay;

    rc = sfb_audit_dup_line(ck->dup, rec->chain_id, rec->seq, line, len,
                            rec->line, &original, &replay);
    if (rc == -1) {
        return -1;
    }

    if (replay.line != 0) {
        sfb_check_dup_replay(ck, rec->file, &replay);
    }

    return (rc == SFB_AUDIT_DUP_NEW || rc == SFB_AUDIT_DUP_OTHER) ? 1 : 0;
}


static void
sfb_check_dup_replay(sfb_audit_check_t *ck, uint32_t file,
    const sfb_audit_dup_replay_t *r)
{
    char  id[SFB_CHECK_ID_HEX + 1], at[64];

    if (r->at == 0) {
        snprintf(at, sizeof(at), "the file ends");

    } else if (r->skip) {
        snprintf(at, sizeof(at), "line %llu skips to seq %llu",
                 (unsigned long long) r->at, (unsigned long long) r->at_seq);

    } else {
        snprintf(at, sizeof(at), "line %llu (seq %llu, new here) comes",
                 (unsigned long long) r->at, (unsigned long long) r->at_seq);
    }

    sfb_check_offer(ck, SFB_AUDIT_REPLAYED, NULL, file, r->line,
                    "chain %s seq %llu is a byte-identical copy of line %llu "
                    "that no redelivery makes: %s before the copies reach "
                    "seq %llu again", sfb_check_hexid(r->chain, id),
                    (unsigned long long) r->seq,
                    (unsigned long long) r->original, at,
                    (unsigned long long) r->expected);
}


static const char *
sfb_check_hexid(const unsigned char *id, char *buf)
{
    return sfb_check_tohex(id, SFB_AUDIT_CHAIN_ID_LEN, buf);
}


static const char *
sfb_check_hexkey(const unsigned char *id, char *buf)
{
    return sfb_check_tohex(id, SFB_AUDIT_KEY_ID_HEX / 2, buf);
}


static const char *
sfb_check_tohex(const unsigned char *p, size_t len, char *buf)
{
    size_t  i;

    static const char  digits[] = "0123456789abcdef";

    for (i = 0; i < len; i++) {
        buf[2 * i] = digits[p[i] >> 4];
        buf[2 * i + 1] = digits[p[i] & 0x0f];
    }

    buf[2 * len] = '\0';

    return buf;
}


/* what logrotate's compresscmd may have used instead of gzip */
static const char *
sfb_check_compressed(const char *magic, size_t len)
{
    if (len >= 6 && memcmp(magic, "\xfd" "7zXZ\0", 6) == 0) {
        return "xz";
    }

    if (len >= 4 && memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0) {
        return "zstd";
    }

    if (len >= 3 && memcmp(magic, "BZh", 3) == 0) {
        return "bzip2";
    }

    return NULL;
}
