/*
 * sf-backup-gate: forward-secure sealing of the audit log (Bellare and
 * Yee's forward-secure MAC, in the spirit of journald's FSS).
 *
 * Time from the setup (start, Unix seconds) is cut into epochs of interval
 * seconds.  k_0 is 32 random bytes; each epoch's key is derived one way
 * from the one before it, and a record of epoch n is sealed (HMAC-SHA256)
 * with a key derived from k_n:
 *
 *   k_{n+1}  = HMAC-SHA256(k_n, "sf-backup-gate seal evolve v1")
 *   mac_n    = HMAC-SHA256(k_n, "sf-backup-gate seal mac v1")
 *
 * A gateway keeps only the current k_n (the state file); the operator keeps
 * the verification key (k_0, start, interval) elsewhere and derives every
 * epoch's key forward from it.  Whoever holds k_n can seal records of epoch
 * n and later, never of an earlier one.  key_id names the verification key
 * (sfb_audit_key_id() of k_0) in every record, as it names a plain key.
 *
 * The state file (text, mode 0600, replaced whole by rename()):
 *
 *   sf-backup-gate seal state v1
 *   key_id <16 hex>
 *   start <Unix seconds>
 *   interval <seconds>
 *   epoch <n>
 *   key <64 hex: k_n>
 *
 * The verification key, one line:
 *
 *   sfb-seal-v1-<key_id>-<64 hex: k_0>-<start>-<interval>
 */

#ifndef SFB_SEAL_H
#define SFB_SEAL_H

#include "sfb_audit.h"


#define SFB_SEAL_KEY_LEN          32
#define SFB_SEAL_INTERVAL_MIN     1           /* s: short ones for tests */
#define SFB_SEAL_INTERVAL_MAX     (366 * 86400)
#define SFB_SEAL_INTERVAL         900         /* 15 min, the default */
#define SFB_SEAL_TEXT_MAX         512         /* a state file, a vkey */

/* how far a verifier derives keys: ~30 years of 15-minute epochs */
#define SFB_SEAL_EPOCH_MAX        (UINT64_C(1) << 20)


typedef struct sfb_seal_s {
    int64_t        start;                   /* Unix seconds */
    int64_t        interval;                /* seconds */
    uint64_t       epoch;                   /* of key */
    unsigned char  key[SFB_SEAL_KEY_LEN];   /* k_epoch (k_0 in a vkey) */
    char           key_id[SFB_AUDIT_KEY_ID_HEX + 1];
} sfb_seal_t;


/* A new sealing state at epoch 0: k_0 from RAND_bytes(); 0 or -1. */
int sfb_seal_setup(sfb_seal_t *s, int64_t now, int64_t interval);

/* The epoch of a time in ms: -1 before start. */
int64_t sfb_seal_epoch_at(const sfb_seal_t *s, int64_t time_ms);

/* k_epoch from the key s holds, one way; the older keys are erased.
 * 1 advanced, 0 already there (or later: never back), -1 OpenSSL failed. */
int sfb_seal_advance(sfb_seal_t *s, uint64_t epoch);

/* The key that seals the records of s's epoch; 0 or -1. */
int sfb_seal_mac_key(const sfb_seal_t *s, unsigned char *out);

/* The chain's key becomes that of s's epoch (records then carry "epoch").
 * A chain created here seals from the start; 0 or -1. */
sfb_audit_chain_t *sfb_seal_chain_create(const sfb_seal_t *s);
int sfb_seal_chain_rekey(const sfb_seal_t *s, sfb_audit_chain_t *c);

/* Before a record made at time_ms: move s and the chain to its epoch.
 * 1 when they moved (the state file is then behind), 0, -1. */
int sfb_seal_tick(sfb_seal_t *s, sfb_audit_chain_t *c, int64_t time_ms);

/* The texts above, NUL-terminated; the length, or 0 if size is short. */
size_t sfb_seal_state_text(const sfb_seal_t *s, char *out, size_t size);
size_t sfb_seal_vkey_text(const sfb_seal_t *s, char *out, size_t size);

/* Parse them; 0, or -1 with a sentence in err.  A vkey has epoch 0. */
int sfb_seal_state_parse(sfb_seal_t *s, const unsigned char *text,
    size_t len, char *err, size_t errlen);
int sfb_seal_vkey_parse(sfb_seal_t *s, const unsigned char *text,
    size_t len, char *err, size_t errlen);

/* Read and parse a state file or a verification key file: a regular file
 * that others cannot read or write (mode & 007); 0 or -1 with err.  Every
 * byte read is erased before returning. */
int sfb_seal_state_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen);
int sfb_seal_vkey_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen);

/* Replace the state file by s, atomically (a temporary file beside it,
 * fsync, rename, fsync of the directory), under flock() of the directory,
 * and only if the file holds an earlier epoch: it never moves back when
 * several processes share it.  0 written, 1 the file was already at s's
 * epoch or later, -1 with err.  create: the file may not exist yet. */
int sfb_seal_state_save(const char *path, const sfb_seal_t *s, int create,
    char *err, size_t errlen);

/* Erase s. */
void sfb_seal_clear(sfb_seal_t *s);


#endif /* SFB_SEAL_H */
