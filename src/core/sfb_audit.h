/*
 * sf-backup-gate: audit records (JSON Lines) and their HMAC chain.
 *
 * One governed request gives one or two lines, members always in this order:
 *
 *   time request_id client identity method uri entity entity_id entity_name
 *   operation policy storage [backup_id backup_location]
 *   api_version timeout decision reason status upstream_status upstream_addr
 *   duration_ms phase node [key_id [epoch] chain seq prev [prev_chain
 *   prev_seq] [retires retiring_chains] mac]
 *
 * e.g. (one line, cut here for width):
 *
 *   {"time":"2026-11-25T01:38:19.123Z","request_id":"7f3a...","client":
 *   "10.0.0.7","identity":"CN=ops","method":"POST","uri":"/Partitions/...
 *   /$/EnableBackup?api-version=6.4","entity":"partition","entity_id":"...",
 *   "policy":"daily","api_version":"6.4","timeout":60,"decision":"allow",
 *   "reason":"allowed","status":202,"upstream_status":"202","upstream_addr":
 *   "10.0.0.9:19080","duration_ms":12,"phase":"outcome","node":"gw1",
 *   "key_id":"<16 hex>","chain":"<32 hex>","seq":2,"prev":"<64 hex>",
 *   "mac":"<64 hex>"}
 *
 * phase "decision": written before a request is forwarded, so that nothing
 * reaches the cluster unless its record is on disk (fail closed); status,
 * upstream_status, upstream_addr and duration_ms are not known yet (0/null).
 * phase "outcome": written when the request ends, with what the client got.
 *
 * node names the gateway (sf_backup_audit_node, by default the host name),
 * so that the trails of a fleet can be gathered in one place.
 *
 * The chain fields appear when a key is configured.  key_id names the key
 * without revealing it: the first 16 hex digits of SHA-256 over
 * SFB_AUDIT_KEY_ID_DOMAIN (its NUL included) and the key, so that a
 * verifier given several keys picks the right one.  epoch is there when
 * the log is sealed forward-securely (sfb_seal.h): key_id then names the
 * verification key, and the MAC's key is that of the record's epoch.
 * B is the record serialised by jansson (JSON_COMPACT | JSON_ENSURE_ASCII,
 * members as above) without "mac"; mac = hex HMAC-SHA256(key, B); the line
 * is B with its last "}" replaced by ,"mac":"<64 hex>"} and then "\n".
 * A verifier gets B back by cutting the fixed 74-byte suffix and adding
 * "}", with no re-serialising.
 * Lines are pure ASCII: no byte of a value can end or split a line.
 *
 * A key's retirement: the first record sealed with a new key (a rotation,
 * or a switch from a plain key to sealing or back) names the key it
 * replaces in "retires" (its key_id), and in "retiring_chains" the chains
 * that key still seals (the workers of the old generation finishing their
 * requests).  The record's own MAC, made with the new key, vouches for it,
 * and its time is the retirement's: a verifier refuses any later record
 * made with the retired key, but those of the chains named there.
 *
 * String values are cut to SFB_AUDIT_URI_MAX, SFB_AUDIT_IDENTITY_MAX or
 * SFB_AUDIT_VALUE_MAX bytes of UTF-8 before escaping: invalid UTF-8 becomes
 * U+FFFD, and a value that was longer ends with "..." (within the bound,
 * never splitting a character).
 */

#ifndef SFB_AUDIT_H
#define SFB_AUDIT_H

#include "sfb_core.h"
#include "sfb_audit_time.h"


#define SFB_AUDIT_URI_MAX       2048
#define SFB_AUDIT_IDENTITY_MAX  512
#define SFB_AUDIT_VALUE_MAX     256

#define SFB_AUDIT_KEY_MIN       32
#define SFB_AUDIT_KEY_MAX       1024

#define SFB_AUDIT_MAC_LEN       32      /* HMAC-SHA256 */
#define SFB_AUDIT_CHAIN_ID_LEN  16      /* random bytes; 32 hex in the line */
#define SFB_AUDIT_KEY_ID_HEX    16      /* hex digits of the key's name */
#define SFB_AUDIT_KEY_ID_DOMAIN "sf-backup-gate audit key id v1"
#define SFB_AUDIT_RETIRING_MAX  64      /* chains a retirement names */

/* 9999-12-31T23:59:59.999Z: RFC 3339 has four year digits */

/* ,"mac":"<64 hex>"} */
#define SFB_AUDIT_MAC_SUFFIX_LEN  (sizeof(",\"mac\":\"") - 1                \
                                   + 2 * SFB_AUDIT_MAC_LEN + 2)

/*
 * No line is longer: every bounded value can at worst grow 6 times when
 * escaped ("\u0001"), and the rest (names, numbers, chain) fits in 1 KB.
 */
#define SFB_AUDIT_LINE_MAX                                                    \
    (6 * (SFB_AUDIT_URI_MAX + SFB_AUDIT_IDENTITY_MAX                          \
          + 16 * SFB_AUDIT_VALUE_MAX) + 1024                                  \
     + SFB_AUDIT_RETIRING_MAX * (2 * SFB_AUDIT_CHAIN_ID_LEN + 3) + 64)


typedef struct {
    int64_t     time_ms;          /* Unix time in ms, UTC */
    sfb_str_t   request_id;
    sfb_str_t   client;           /* client address */
    sfb_str_t   identity;         /* e.g. the client certificate DN */
    sfb_str_t   method;
    sfb_str_t   uri;              /* as received, query included */
    sfb_str_t   entity;           /* sfb_entity_name() */
    sfb_str_t   entity_id;
    sfb_str_t   entity_name;      /* the name team scope was checked on;
                                     len 0: the member is left out */
    sfb_str_t   operation;        /* sfb_operation_name(); "" if none */
    sfb_str_t   policy;
    sfb_str_t   storage;          /* where a named storage is, no secret */
    sfb_str_t   backup_id;        /* a restore's backup and where it is;  */
    sfb_str_t   backup_location;  /* len 0: the member is left out */
    sfb_str_t   api_version;
    int         has_timeout;      /* 0: "timeout":null */
    uint64_t    timeout;
    sfb_str_t   decision;         /* "allow", "deny" or "report" */
    sfb_str_t   reason;           /* sfb_reason_name() */
    int         status;           /* sent to the client; 0 if not yet */
    sfb_str_t   upstream_status;  /* as $upstream_status; len 0: null */
    sfb_str_t   upstream_addr;    /* as $upstream_addr; len 0: null */
    int64_t     duration_ms;
    sfb_str_t   phase;            /* "decision" or "outcome", see above */
    sfb_str_t   node;             /* the gateway's name */
} sfb_audit_record_t;


typedef struct sfb_audit_chain_s  sfb_audit_chain_t;


/* A chain keyed with key (copied into the MAC context); NULL on failure.
 * Once per worker; call sfb_audit_chain_start() before the first record. */
sfb_audit_chain_t *sfb_audit_chain_create(const unsigned char *key,
    size_t key_len);

/* The chain's records are sealed from now on with key (the chain goes on:
 * seq, prev and links are kept), name key_id (NULL: as before) and, with
 * epoch >= 0, carry "epoch" after key_id (forward-secure sealing,
 * sfb_seal.h).  The old key's context is freed, which erases it.  0 or -1
 * (then the chain is unchanged). */
int sfb_audit_chain_rekey(sfb_audit_chain_t *c, const char *key_id,
    int64_t epoch, const unsigned char *key, size_t key_len);

/* The key's name: SFB_AUDIT_KEY_ID_HEX hex digits and a NUL into out;
 * 0, or -1 if OpenSSL fails. */
int sfb_audit_key_id(const unsigned char *key, size_t key_len, char *out);

/* The key_id of the chain's key, NUL-terminated. */
const char *sfb_audit_chain_key_id(const sfb_audit_chain_t *c);

/* Begin a new chain: random id, seq 0, prev "".  If the previous chain of
 * this object wrote records, the new chain's seq 1 names it in prev_chain
 * and prev_seq.  -1 if RAND_bytes() fails: no record can be made then. */
int sfb_audit_chain_start(sfb_audit_chain_t *c);

/* The next record formatted names chain id (32 hex digits) as one that
 * ended at seq, in its prev_chain and prev_seq: a chain of this worker's
 * predecessor, or of another process, that no one has named yet.  One at a
 * time: -1 while the chain still owes a link to its next record. */
int sfb_audit_chain_link(sfb_audit_chain_t *c, const char *id, uint64_t seq);

/* 1 while the next record owes a prev_chain (after a start that follows
 * records, or a link()), else 0. */
int sfb_audit_chain_linking(const sfb_audit_chain_t *c);

/* The next record formatted says that this chain's key replaces the key
 * named key_id (16 hex digits), which must differ from the chain's own;
 * then sfb_audit_chain_retiring_chain() for each chain the old key still
 * seals (32 hex digits, at most SFB_AUDIT_RETIRING_MAX).  Kept across
 * starts and rewinds until a record carries it; 0 or -1. */
int sfb_audit_chain_retire(sfb_audit_chain_t *c, const char *key_id);
int sfb_audit_chain_retiring_chain(sfb_audit_chain_t *c, const char *id);

/* 1 while the next record owes a retirement, else 0. */
int sfb_audit_chain_retiring(const sfb_audit_chain_t *c);

/* Remember where the chain is: the next sfb_audit_chain_rewind() comes
 * back here, undoing every record formatted since (a buffer of lines that
 * a failed write() left out whole).  0, or -1 before a start. */
int sfb_audit_chain_mark(sfb_audit_chain_t *c);

/* Undo the sfb_audit_format() advances since sfb_audit_chain_mark(), or
 * without a mark the last one only, for lines none of whose bytes reached
 * the log, so the chain shows no gap; 0, or -1 if there is nothing to undo
 * (once per mark or format, never across a start). */
int sfb_audit_chain_rewind(sfb_audit_chain_t *c);

/* The current chain id, 32 hex digits, NUL-terminated ("" before start). */
const char *sfb_audit_chain_id(const sfb_audit_chain_t *c);

/* The seq of the last record formatted in the current chain (0: none). */
uint64_t sfb_audit_chain_seq(const sfb_audit_chain_t *c);

/* Free the chain and its MAC context; NULL is fine. */
void sfb_audit_chain_destroy(sfb_audit_chain_t *c);

/* One complete line with its "\n" (c NULL: no chain fields).  Returns the
 * length needed; the line is complete in out, and the chain advanced, only
 * if it fits in size (need <= size; out's first size bytes may be used
 * either way).  0 on allocation or OpenSSL failure or a chain not started
 * (fail closed). */
size_t sfb_audit_format(sfb_audit_chain_t *c, const sfb_audit_record_t *r,
    unsigned char *out, size_t size);

/* The 32-byte MAC of a chained line (len without "\n"): HMAC of the line
 * without its mac suffix, closed by "}"; -1 if too short or OpenSSL fails. */
int sfb_audit_line_mac(sfb_audit_chain_t *c, const unsigned char *line,
    size_t len, unsigned char *mac);

/* The chain id (32 hex digits, no NUL), seq and key_id (16 hex digits and
 * a NUL; "" when the line names none) of a chained line (len without
 * "\n"), read as it is, in one parse: nothing is verified.  0, or -1 if
 * the line is not JSON with a chain and a seq. */
int sfb_audit_line_chain(const unsigned char *line, size_t len, char *id,
    uint64_t *seq, char *key_id);


/* Read a key file: its bytes less one trailing "\n".  *len is the size of
 * key on entry (SFB_AUDIT_KEY_MAX suffices) and the key length on return.
 * Refuses files others may read or write (mode & 007), non-regular files and
 * keys under SFB_AUDIT_KEY_MIN bytes; 0, or -1 with a sentence in err. */
int sfb_audit_key_load(const char *path, unsigned char *key, size_t *len,
    char *err, size_t errlen);


#endif /* SFB_AUDIT_H */
