/*
 * Unit tests of the policy gate's core (src/core/sfb_gate.c and the files it
 * names): one table per step, each row named after the behaviour it pins
 * down.
 */

#include <stdlib.h>

#include <jansson.h>

#include "sfb_types.h"
#include "sfb_gate.h"
#include "sfb_path.h"
#include "sfb_route.h"
#include "sfb_query.h"
#include "sfb_body.h"
#include "sfb_canonical.h"
#include "sfb_message.h"
#include "sfb_json.h"
#include "sfb_tap.h"


#define N(a)       (sizeof(a) / sizeof((a)[0]))
#define STR(s)     sfb_str_lit(s)
#define NOSTR      { NULL, 0 }

#define UUID       "1daae3f5-7fd6-42e9-b1ba-8c05f873994d"
#define UUID_UC    "1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D"
#define EB         "/$/EnableBackup"
#define GOV        SFB_PATH_GOVERNED
#define OTHER      SFB_PATH_OTHER
#define BR         SFB_PATH_BACKUP_RESTORE


typedef struct {
    const char       *name;
    sfb_str_t         uri;
    sfb_path_kind_e   kind;
    sfb_entity_e      entity;
    sfb_reason_e      reason;
    const char       *id;
} path_case_t;


typedef struct {
    const char       *name;
    sfb_str_t         args;
    sfb_reason_e      reason;
    const char       *api_version;
    uint64_t          timeout;      /* 0: no timeout expected */
    const char       *bad;          /* q->bad, NULL: not checked */
} query_case_t;


typedef struct {
    const char       *name;
    sfb_str_t         value;
    sfb_reason_e      reason;
} ctype_case_t;


typedef struct {
    const char       *name;
    sfb_str_t         body;
    sfb_reason_e      reason;
    const char       *policy;       /* expected on success */
    const char       *detail;       /* substring of detail, NULL: empty */
} body_case_t;


typedef struct {
    const char       *name;
    sfb_str_t         policy;
    sfb_reason_e      reason;
} policy_case_t;


static const sfb_str_t  allowed2[] = {
    STR("DailyAzureBackupPolicy"), STR("Weekly")
};


static const path_case_t  path_cases[] = {

    /* partitions */
    { "partition path with a lowercase UUID is governed and valid",
      STR("/Partitions/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "uppercase UUID is accepted and canonicalised to lowercase",
      STR("/Partitions/" UUID_UC EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "segment names match in lowercase",
      STR("/partitions/" UUID "/$/enablebackup"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "segment names match in uppercase",
      STR("/PARTITIONS/" UUID "/$/ENABLEBACKUP"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "trailing slash does not matter",
      STR("/Partitions/" UUID EB "/"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "empty segments from // are skipped",
      STR("//Partitions//" UUID "//$//EnableBackup//"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_NONE, UUID },
    { "dot segments /./ are skipped",
      STR("/./Partitions/./" UUID "/./$/./EnableBackup/."), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_NONE, UUID },
    { "a leading x/.. is resolved before matching",
      STR("/x/../Partitions/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "a .. between id and $ is resolved",
      STR("/Partitions/" UUID "/junk/../$/EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_NONE, UUID },
    { "a trailing x/.. is resolved",
      STR("/Partitions/" UUID EB "/x/.."), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { ".. above the root is ignored",
      STR("/../../Partitions/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "a path without its leading slash still matches",
      STR("Partitions/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },
    { "partition id in braces is invalid",
      STR("/Partitions/{" UUID "}" EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id of 32 hex digits without dashes is invalid",
      STR("/Partitions/1daae3f57fd642e9b1ba8c05f873994d" EB), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id of 35 characters is invalid",
      STR("/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994" EB), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id of 37 characters is invalid",
      STR("/Partitions/" UUID "0" EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id with a non-hex digit is invalid",
      STR("/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994g" EB), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id with a dash out of place is invalid",
      STR("/Partitions/1daae3f57-fd6-42e9-b1ba-8c05f873994d" EB), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id followed by a space is invalid",
      STR("/Partitions/" UUID " " EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },
    { "partition id spread over two segments is invalid",
      STR("/Partitions/a/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },
    { "missing partition id is invalid",
      STR("/Partitions/$/EnableBackup"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },
    { "empty partition id segment is invalid",
      STR("/Partitions//$/EnableBackup"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PARTITION_ID_INVALID, "" },

    /* services and applications */
    { "service id written with ~ is kept",
      STR("/Services/MyApp~MySvc" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_NONE, "MyApp~MySvc" },
    { "service id split over segments is joined with ~",
      STR("/Services/MyApp/MySvc" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_NONE, "MyApp~MySvc" },
    { "segments and ~ mix into one id",
      STR("/Services/MyApp/Sub~Svc/x.y_z-1" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_NONE, "MyApp~Sub~Svc~x.y_z-1" },
    { "application id of one segment",
      STR("/Applications/MyApp" EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_NONE, "MyApp" },
    { "application path in mixed case with trailing slash",
      STR("/aPPlications/My_App-1.0/$/enableBACKUP/"), GOV,
      SFB_ENTITY_APPLICATION, SFB_REASON_NONE, "My_App-1.0" },
    { "service id with // between segments drops the empty one",
      STR("/Services/MyApp//MySvc" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_NONE, "MyApp~MySvc" },
    { "fabric: scheme in a service id is invalid",
      STR("/Services/fabric:/MyApp" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "fabric: prefix glued to an application id is invalid",
      STR("/Applications/fabric:MyApp" EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "~~ makes an empty piece: invalid",
      STR("/Services/MyApp~~MySvc" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "leading ~ is invalid",
      STR("/Services/~MyApp" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "trailing ~ is invalid",
      STR("/Services/MyApp~" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "an id that is only ~ is invalid",
      STR("/Applications/~" EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a space in a name is invalid",
      STR("/Services/My App" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a percent sign in a name is invalid",
      STR("/Services/My%41pp" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a non-ASCII byte in a name is invalid",
      STR("/Applications/Caf\xc3\xa9" EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a NUL byte in a name is invalid",
      STR("/Applications/My\0App" EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a .. piece after ~ is invalid",
      STR("/Services/MyApp~.." EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a . piece after ~ is invalid",
      STR("/Services/.~MyApp" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "a name ending in a dot is invalid",
      STR("/Applications/MyApp." EB), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_ENTITY_NAME_INVALID, "" },
    { "missing service id is invalid",
      STR("/Services/$/EnableBackup"), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_ENTITY_NAME_INVALID, "" },

    /* look-alikes another parser may map onto EnableBackup */
    { "EnableBackup. is a governed look-alike",
      STR("/Partitions/" UUID "/$/EnableBackup."), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PATH_INVALID, "" },
    { "EnableBackup with a trailing space is a governed look-alike",
      STR("/Partitions/" UUID "/$/EnableBackup "), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PATH_INVALID, "" },
    { "EnableBackup;x is a governed look-alike",
      STR("/Services/A" EB ";x"), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_PATH_INVALID, "" },
    { "EnableBackupX is a governed look-alike",
      STR("/Applications/A" EB "X"), GOV, SFB_ENTITY_APPLICATION,
      SFB_REASON_PATH_INVALID, "" },
    { "$. is a governed look-alike",
      STR("/Partitions/" UUID "/$./EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PATH_INVALID, "" },
    { "$ with a trailing space is a governed look-alike",
      STR("/Partitions/" UUID "/$ /EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PATH_INVALID, "" },
    { "$x is a governed look-alike",
      STR("/Partitions/" UUID "/$x/EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PATH_INVALID, "" },
    { "Partitions. is a governed look-alike",
      STR("/Partitions./" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PATH_INVALID, "" },
    { "Partitions with a trailing space is a governed look-alike",
      STR("/Partitions /" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PATH_INVALID, "" },
    { "Services.. is a governed look-alike",
      STR("/Services../A" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_PATH_INVALID, "" },
    { "dotless i in Partitions is a governed look-alike",
      STR("/Part\xc4\xb1tions/" UUID EB), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_PATH_INVALID, "" },
    { "long s in Services is a governed look-alike",
      STR("/\xc5\xbf" "ervices/A" EB), GOV, SFB_ENTITY_SERVICE,
      SFB_REASON_PATH_INVALID, "" },
    { "Kelvin sign in EnableBackup is a governed look-alike",
      STR("/Applications/A/$/EnableBac\xe2\x84\xaaup"), GOV,
      SFB_ENTITY_APPLICATION, SFB_REASON_PATH_INVALID, "" },
    { "a backslash before EnableBackup is a governed look-alike",
      STR("/Partitions/" UUID "/$\\EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PATH_INVALID, "" },
    { "backslashes as the only separators are a governed look-alike",
      STR("\\Partitions\\" UUID "\\$\\EnableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_PATH_INVALID, "" },

    /* the rest of the surface is governed too (t/unit/test_surface.c) */
    { "DisableBackup is governed",
      STR("/Partitions/" UUID "/$/DisableBackup"), GOV,
      SFB_ENTITY_PARTITION, SFB_REASON_NONE, UUID },
    { "on-demand Backup is governed",
      STR("/Partitions/" UUID "/$/Backup"), GOV, SFB_ENTITY_PARTITION,
      SFB_REASON_NONE, UUID },

    /* not ours */
    { "another action on a partition passes through",
      STR("/Partitions/" UUID "/$/GetHealth"), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "a segment after EnableBackup makes it another call",
      STR("/Partitions/" UUID EB "/x"), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "EnableBackup/.. resolves away from EnableBackup",
      STR("/Partitions/" UUID EB "/.."), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "another entity collection passes through",
      STR("/Nodes/n1" EB), OTHER, SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
    { "a prefix segment before Partitions passes through",
      STR("/api/Partitions/" UUID EB), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "the root passes through", STR("/"), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "an empty path passes through", STR(""), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "/Partitions/EnableBackup has no $ and passes through",
      STR("/Partitions/EnableBackup"), OTHER, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "cluster-level /$/EnableBackup passes through",
      STR("/$/EnableBackup"), OTHER, SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
    { "the partition list passes through", STR("/Partitions"), OTHER,
      SFB_ENTITY_NONE, SFB_REASON_NONE, "" },

    /* BackupRestore */
    { "BackupRestore is its own kind",
      STR("/BackupRestore/Generic"), BR, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "backuprestore in lowercase", STR("/backuprestore/x"), BR,
      SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
    { "BACKUPRESTORE alone", STR("/BACKUPRESTORE"), BR, SFB_ENTITY_NONE,
      SFB_REASON_NONE, "" },
    { "BackupRestore. with a trailing dot", STR("/BackupRestore./x"), BR,
      SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
    { "BackupRestore with a trailing space", STR("/BackupRestore /x"), BR,
      SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
    { "BackupRestore reached through ..",
      STR("/Partitions/" UUID "/../../BackupRestore/x"), BR,
      SFB_ENTITY_NONE, SFB_REASON_NONE, "" },
};


static const query_case_t  query_cases[] = {
    { "api-version alone is accepted", STR("api-version=6.2-preview"),
      SFB_REASON_NONE, "6.2-preview", 0, NULL },
    { "api-version with timeout is accepted",
      STR("api-version=6.2-preview&timeout=60"), SFB_REASON_NONE,
      "6.2-preview", 60, NULL },
    { "parameter order does not matter",
      STR("timeout=60&api-version=6.2-preview"), SFB_REASON_NONE,
      "6.2-preview", 60, NULL },
    { "an encoded api-version value is decoded",
      STR("api-version=6.2%2Dpreview"), SFB_REASON_NONE, "6.2-preview", 0,
      NULL },
    { "an empty query lacks api-version", STR(""),
      SFB_REASON_API_VERSION_MISSING, NULL, 0, NULL },
    { "timeout alone lacks api-version", STR("timeout=60"),
      SFB_REASON_API_VERSION_MISSING, NULL, 0, NULL },
    { "an empty api-version counts as missing", STR("api-version="),
      SFB_REASON_API_VERSION_MISSING, NULL, 0, NULL },
    { "an unknown api-version is unsupported", STR("api-version=6.1"),
      SFB_REASON_API_VERSION_UNSUPPORTED, NULL, 0, "6.1" },
    { "api-version compares exactly, case included",
      STR("api-version=6.2-PREVIEW"), SFB_REASON_API_VERSION_UNSUPPORTED,
      NULL, 0, "6.2-PREVIEW" },
    { "+ in a value is a literal plus, not a space",
      STR("api-version=6.2+preview"), SFB_REASON_API_VERSION_UNSUPPORTED,
      NULL, 0, "6.2+preview" },
    { "; does not separate parameters",
      STR("api-version=6.2-preview;timeout=5"),
      SFB_REASON_API_VERSION_UNSUPPORTED, NULL, 0, NULL },
    { "a second = belongs to the value",
      STR("api-version=6.2-preview=x"), SFB_REASON_API_VERSION_UNSUPPORTED,
      NULL, 0, NULL },
    { "api-version twice is repeated, even with equal values",
      STR("api-version=6.2-preview&api-version=6.2-preview"),
      SFB_REASON_API_VERSION_REPEATED, NULL, 0, NULL },
    { "an empty api-version still counts as given",
      STR("api-version=&api-version=6.2-preview"),
      SFB_REASON_API_VERSION_REPEATED, NULL, 0, NULL },
    { "timeout=0 is out of range", STR("api-version=6.2-preview&timeout=0"),
      SFB_REASON_TIMEOUT_OUT_OF_RANGE, NULL, 0, "0" },
    { "timeout=1 is the minimum", STR("api-version=6.2-preview&timeout=1"),
      SFB_REASON_NONE, "6.2-preview", 1, NULL },
    { "timeout=4294967295 is the maximum",
      STR("api-version=6.2-preview&timeout=4294967295"), SFB_REASON_NONE,
      "6.2-preview", 4294967295ULL, NULL },
    { "timeout=4294967296 is out of range",
      STR("api-version=6.2-preview&timeout=4294967296"),
      SFB_REASON_TIMEOUT_OUT_OF_RANGE, NULL, 0, NULL },
    { "timeout=2^64-1 parses but is out of range",
      STR("api-version=6.2-preview&timeout=18446744073709551615"),
      SFB_REASON_TIMEOUT_OUT_OF_RANGE, NULL, 0, NULL },
    { "timeout=2^64 overflows and is invalid, never wrapped",
      STR("api-version=6.2-preview&timeout=18446744073709551616"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "a 23-digit timeout is invalid",
      STR("api-version=6.2-preview&timeout=99999999999999999999999"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "timeout=007 is accepted as 7",
      STR("api-version=6.2-preview&timeout=007"), SFB_REASON_NONE,
      "6.2-preview", 7, NULL },
    { "zero padding does not overflow by itself",
      STR("api-version=6.2-preview&timeout=000000000000000000000000060"),
      SFB_REASON_NONE, "6.2-preview", 60, NULL },
    { "zero padded 2^64 still overflows",
      STR("api-version=6.2-preview&timeout=00018446744073709551616"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "timeout=+5 is invalid", STR("api-version=6.2-preview&timeout=+5"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, "+5" },
    { "timeout=-1 is invalid", STR("api-version=6.2-preview&timeout=-1"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "timeout=1e3 is invalid", STR("api-version=6.2-preview&timeout=1e3"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "timeout=0x10 is invalid",
      STR("api-version=6.2-preview&timeout=0x10"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, NULL },
    { "an empty timeout is invalid", STR("api-version=6.2-preview&timeout="),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, "" },
    { "an encoded leading space in timeout is invalid",
      STR("api-version=6.2-preview&timeout=%205"),
      SFB_REASON_TIMEOUT_INVALID, NULL, 0, " 5" },
    { "an encoded digit in timeout is decoded",
      STR("api-version=6.2-preview&timeout=%35"), SFB_REASON_NONE,
      "6.2-preview", 5, NULL },
    { "timeout twice is repeated",
      STR("api-version=6.2-preview&timeout=5&timeout=5"),
      SFB_REASON_TIMEOUT_REPEATED, NULL, 0, NULL },
    { "a recased parameter name is unknown",
      STR("Api-Version=6.2-preview"), SFB_REASON_QUERY_PARAM_UNKNOWN, NULL,
      0, "Api-Version" },
    { "a percent-encoded parameter name is unknown",
      STR("api%2Dversion=6.2-preview"), SFB_REASON_QUERY_PARAM_UNKNOWN,
      NULL, 0, "api%2Dversion" },
    { "any other parameter is unknown",
      STR("api-version=6.2-preview&ServiceName=x"),
      SFB_REASON_QUERY_PARAM_UNKNOWN, NULL, 0, "ServiceName" },
    { "a trailing & is malformed", STR("api-version=6.2-preview&"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "a leading & is malformed", STR("&api-version=6.2-preview"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "&& is malformed", STR("api-version=6.2-preview&&timeout=5"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "a lone & is malformed", STR("&"), SFB_REASON_QUERY_MALFORMED, NULL,
      0, NULL },
    { "a name without = is malformed", STR("api-version"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, "api-version" },
    { "timeout without = is malformed",
      STR("api-version=6.2-preview&timeout"), SFB_REASON_QUERY_MALFORMED,
      NULL, 0, "timeout" },
    { "a lone % is malformed", STR("api-version=6.2-preview%"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "a truncated %2 is malformed", STR("api-version=6.2-preview%2"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "a non-hex %zz is malformed", STR("api-version=6.2%zzpreview"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "an encoded NUL is malformed", STR("api-version=6.2-preview%00"),
      SFB_REASON_QUERY_MALFORMED, NULL, 0, NULL },
    { "a bad escape in a name is malformed, not unknown",
      STR("a%zz=1&api-version=6.2-preview"), SFB_REASON_QUERY_MALFORMED,
      NULL, 0, NULL },
    { "precedence: malformed beats an earlier unknown name",
      STR("x=1&api-version=6.2-preview&&"), SFB_REASON_QUERY_MALFORMED,
      NULL, 0, NULL },
    { "precedence: unknown beats an invalid timeout",
      STR("timeout=abc&x=1"), SFB_REASON_QUERY_PARAM_UNKNOWN, NULL, 0, "x" },
    { "precedence: the leftmost unknown name is reported",
      STR("b=1&api-version=6.2-preview&a=2"), SFB_REASON_QUERY_PARAM_UNKNOWN,
      NULL, 0, "b" },
    { "precedence: unknown beats repeated",
      STR("api-version=6.1&api-version=6.1&x=1"),
      SFB_REASON_QUERY_PARAM_UNKNOWN, NULL, 0, "x" },
    { "precedence: api-version repeated beats timeout repeated",
      STR("timeout=1&timeout=2&api-version=a&api-version=b"),
      SFB_REASON_API_VERSION_REPEATED, NULL, 0, NULL },
    { "precedence: timeout repeated beats api-version missing",
      STR("timeout=1&timeout=2"), SFB_REASON_TIMEOUT_REPEATED, NULL, 0,
      NULL },
    { "precedence: unsupported api-version beats an invalid timeout",
      STR("timeout=abc&api-version=6.1"),
      SFB_REASON_API_VERSION_UNSUPPORTED, NULL, 0, "6.1" },
};


static const ctype_case_t  ctype_cases[] = {
    { "application/json is accepted", STR("application/json"),
      SFB_REASON_NONE },
    { "the media type is case-insensitive", STR("Application/JSON"),
      SFB_REASON_NONE },
    { "charset=utf-8 is accepted", STR("application/json; charset=utf-8"),
      SFB_REASON_NONE },
    { "charset name and value are case-insensitive",
      STR("application/json;CHARSET=UTF-8"), SFB_REASON_NONE },
    { "whitespace around ; and = is accepted",
      STR("application/json ;\tcharset = utf-8 "), SFB_REASON_NONE },
    { "a quoted charset is accepted",
      STR("application/json; charset=\"utf-8\""), SFB_REASON_NONE },
    { "surrounding whitespace is accepted", STR(" application/json "),
      SFB_REASON_NONE },
    { "a missing Content-Type is unsupported", STR(""),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "a bare ; without parameter is unsupported", STR("application/json;"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "another charset is unsupported",
      STR("application/json; charset=utf-16"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "utf8 without a dash is unsupported",
      STR("application/json; charset=utf8"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "an unterminated quote is unsupported",
      STR("application/json; charset=\"utf-8"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "an empty charset is unsupported", STR("application/json;charset="),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "a second parameter is unsupported",
      STR("application/json; charset=utf-8; x=y"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "a parameter other than charset is unsupported",
      STR("application/json; boundary=x"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "junk after the charset is unsupported",
      STR("application/json; charset=utf-8 x"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "text/json is unsupported", STR("text/json"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "application/json-patch+json is unsupported",
      STR("application/json-patch+json"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "application/jsonx is unsupported", STR("application/jsonx"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "multipart is unsupported", STR("multipart/form-data; boundary=x"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "form encoding is unsupported",
      STR("application/x-www-form-urlencoded"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "a list of two types is unsupported",
      STR("application/json, application/json"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
    { "a NUL after the type is unsupported", STR("application/json\0"),
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED },
};


static const body_case_t  body_cases[] = {
    { "a valid body yields the policy",
      STR("{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"),
      SFB_REASON_NONE, "DailyAzureBackupPolicy", NULL },
    { "whitespace around and inside the object is fine",
      STR(" \r\n\t{ \"BackupPolicyName\" : \"P\" }\n "), SFB_REASON_NONE,
      "P", NULL },
    { "escapes in the policy are decoded",
      STR("{\"BackupPolicyName\":\"a\\\"b c\\u00e9\"}"), SFB_REASON_NONE,
      "a\"b c\xc3\xa9", NULL },
    { "a backslash in the policy breaks a policy name's rule",
      STR("{\"BackupPolicyName\":\"a\\\\c\"}"), SFB_REASON_POLICY_INVALID,
      NULL, "'\\', '%' or '~'" },
    { "a control byte in the policy breaks a policy name's rule",
      STR("{\"BackupPolicyName\":\"a\\u0001\"}"), SFB_REASON_POLICY_INVALID,
      NULL, "without control characters" },
    { "a policy ending with a dot breaks a policy name's rule",
      STR("{\"BackupPolicyName\":\"Daily.\"}"), SFB_REASON_POLICY_INVALID,
      NULL, "ending with a space or '.'" },
    { "an empty body is missing", STR(""), SFB_REASON_BODY_MISSING, NULL,
      NULL },
    { "trailing garbage is invalid JSON with line and column",
      STR("{\"BackupPolicyName\":\"P\"} x"), SFB_REASON_BODY_INVALID_JSON,
      NULL, "end of file expected near 'x' (line 1, column 26)" },
    { "two objects are invalid JSON",
      STR("{\"BackupPolicyName\":\"P\"}{}"), SFB_REASON_BODY_INVALID_JSON,
      NULL, "end of file expected" },
    { "a NUL byte after the object is invalid JSON",
      STR("{\"BackupPolicyName\":\"P\"}\0"), SFB_REASON_BODY_INVALID_JSON,
      NULL, "(line 1, column" },
    { "a top-level string is invalid JSON", STR("\"P\""),
      SFB_REASON_BODY_INVALID_JSON, NULL, "expected" },
    { "a top-level number is invalid JSON", STR("42"),
      SFB_REASON_BODY_INVALID_JSON, NULL, NULL },
    { "a top-level null is invalid JSON", STR("null"),
      SFB_REASON_BODY_INVALID_JSON, NULL, NULL },
    { "only whitespace is invalid JSON", STR(" \n"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "line 2" },
    { "a truncated object is invalid JSON", STR("{\"BackupPolicyName\":"),
      SFB_REASON_BODY_INVALID_JSON, NULL, NULL },
    { "an array is not the schema", STR("[\"P\"]"), SFB_REASON_BODY_SCHEMA,
      NULL, "the body must be a JSON object, not an array" },
    { "an empty object lacks BackupPolicyName", STR("{}"),
      SFB_REASON_BODY_SCHEMA, NULL, "member 'BackupPolicyName' is missing" },
    { "a number BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":1}"), SFB_REASON_BODY_SCHEMA, NULL,
      "must be a string, not an integer" },
    { "a real BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":1.5}"), SFB_REASON_BODY_SCHEMA, NULL,
      "not a real number" },
    { "a null BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":null}"), SFB_REASON_BODY_SCHEMA, NULL,
      "must be a string, not null" },
    { "a boolean BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":true}"), SFB_REASON_BODY_SCHEMA, NULL,
      "not true" },
    { "an object BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":{\"Name\":\"P\"}}"), SFB_REASON_BODY_SCHEMA,
      NULL, "not an object" },
    { "an array BackupPolicyName is not the schema",
      STR("{\"BackupPolicyName\":[\"P\"]}"), SFB_REASON_BODY_SCHEMA, NULL,
      "not an array" },
    { "an empty BackupPolicyName is an invalid policy",
      STR("{\"BackupPolicyName\":\"\"}"), SFB_REASON_POLICY_INVALID, NULL,
      "must be a backup policy name: 1 to 256 bytes" },
    { "a case-variant key is an unknown member",
      STR("{\"backupPolicyName\":\"P\"}"), SFB_REASON_BODY_SCHEMA, NULL,
      "unknown member 'backupPolicyName'" },
    { "an extra member is named",
      STR("{\"BackupPolicyName\":\"P\",\"Extra\":1}"), SFB_REASON_BODY_SCHEMA,
      NULL, "unknown member 'Extra'" },
    { "an extra member before the policy is reported first",
      STR("{\"A\":1,\"BackupPolicyName\":\"P\",\"B\":2}"),
      SFB_REASON_BODY_SCHEMA, NULL, "unknown member 'A'" },
    { "an unknown member is reported before a mistyped policy",
      STR("{\"BackupPolicyName\":1,\"X\":2}"), SFB_REASON_BODY_SCHEMA, NULL,
      "unknown member 'X'" },
    { "a duplicate BackupPolicyName is invalid JSON",
      STR("{\"BackupPolicyName\":\"A\",\"BackupPolicyName\":\"B\"}"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "duplicate object key" },
    { "\\u0000 in the policy is invalid JSON",
      STR("{\"BackupPolicyName\":\"a\\u0000b\"}"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "JSON_ALLOW_NUL" },
    { "\\u0000 in a key is invalid JSON",
      STR("{\"\\u0000\":\"P\"}"), SFB_REASON_BODY_INVALID_JSON, NULL,
      "NUL byte" },
    { "an invalid UTF-8 byte is invalid JSON",
      STR("{\"BackupPolicyName\":\"\xff\"}"), SFB_REASON_BODY_INVALID_JSON,
      NULL, "unable to decode byte 0xff" },
    { "an overlong UTF-8 encoding is invalid JSON",
      STR("{\"BackupPolicyName\":\"\xc0\xaf\"}"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "0xc0" },
    { "a UTF-8 BOM is invalid JSON and is not echoed raw",
      STR("\xef\xbb\xbf{\"BackupPolicyName\":\"P\"}"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "near '?\?\?'" },
    { "a raw control character in a string is invalid JSON",
      STR("{\"BackupPolicyName\":\"a\x01\"}"), SFB_REASON_BODY_INVALID_JSON,
      NULL, "control character 0x1" },
    { "a lone surrogate escape is invalid JSON",
      STR("{\"BackupPolicyName\":\"\\ud800\"}"),
      SFB_REASON_BODY_INVALID_JSON, NULL, "invalid Unicode" },
    { "an unknown member name is sanitised in the detail",
      STR("{\"\\u00e9\\n\":1}"), SFB_REASON_BODY_SCHEMA, NULL,
      "unknown member '?\?\?'" },
};


static const policy_case_t  policy_cases[] = {
    { "a policy on the list is allowed", STR("DailyAzureBackupPolicy"),
      SFB_REASON_ALLOWED },
    { "the second policy on the list is allowed", STR("Weekly"),
      SFB_REASON_ALLOWED },
    { "a prefix of an allowed policy is denied", STR("Daily"),
      SFB_REASON_POLICY_NOT_ALLOWED },
    { "an allowed policy plus a suffix is denied",
      STR("DailyAzureBackupPolicyX"), SFB_REASON_POLICY_NOT_ALLOWED },
    { "an allowed policy in another case is denied",
      STR("dailyazurebackuppolicy"), SFB_REASON_POLICY_NOT_ALLOWED },
    { "an allowed policy with a trailing space is denied", STR("Weekly "),
      SFB_REASON_POLICY_NOT_ALLOWED },
    { "an allowed policy with an embedded NUL is denied", STR("Week\0ly"),
      SFB_REASON_POLICY_NOT_ALLOWED },
    { "an empty policy is invalid", STR(""), SFB_REASON_POLICY_INVALID },
};


static int
is_reason_of(sfb_reason_e got, sfb_reason_e want, const char *step,
    const char *name)
{
    int  pass;

    pass = ok(got == want, "%s%s", step, name);

    if (!pass) {
        printf("#          got: %s\n#     expected: %s\n",
               sfb_reason_name(got), sfb_reason_name(want));
    }

    return pass;
}


#define is_reason(got, want, name)  is_reason_of(got, want, "", name)


/* An input in a heap block of exactly its length, so that ASan and
 * valgrind see any read past it. */

static unsigned char *
exact(const sfb_str_t *s)
{
    unsigned char  *p;

    p = malloc(s->len ? s->len : 1);

    if (p == NULL) {
        abort();
    }

    if (s->len) {
        memcpy(p, s->data, s->len);
    }

    return p;
}


static int
has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}


static int
printable(const char *s)
{
    for ( /* void */ ; *s; s++) {
        if ((unsigned char) *s < 0x20 || (unsigned char) *s > 0x7e) {
            return 0;
        }
    }

    return 1;
}


static void
test_path(void)
{
    size_t               i;
    sfb_target_t         t;
    unsigned char       *in, *buf;
    sfb_path_kind_e      kind;
    const path_case_t   *c;

    for (i = 0; i < N(path_cases); i++) {
        c = &path_cases[i];

        in = exact(&c->uri);
        buf = exact(&c->uri);
        kind = sfb_match_path(in, c->uri.len, &t, buf, c->uri.len);

        ok(kind == c->kind && t.entity == c->entity && t.reason == c->reason
           && t.id_len == strlen(c->id)
           && memcmp(t.id, c->id, t.id_len) == 0,
           "path: %s", c->name);

        if (kind != c->kind || t.reason != c->reason) {
            printf("#     kind %d (want %d), reason %s (want %s), "
                   "id '%.*s'\n", kind, c->kind, sfb_reason_name(t.reason),
                   sfb_reason_name(c->reason), (int) t.id_len, t.id);
        }

        free(in);
        free(buf);
    }
}


/*
 * jansson's scratch memory: allocations inside a scope come from the lent
 * block, beyond it from malloc(), and frees of either are right (valgrind
 * and ASan run these tests too); scopes do not nest.
 */
static void
test_scratch(void)
{
    size_t               used, big;
    json_t              *j;
    json_error_t         err;
    sfb_json_scratch_t   s, inner;
    unsigned char        mem[512];
    char                 body[3000];

    static const char    small[] = "{\"BackupPolicyName\":\"daily\"}";

    is_int(sfb_json_scratch_used(), 0, "scratch: none outside a scope");

    sfb_json_scratch_begin(&s, mem, sizeof(mem));
    j = json_loadb(small, sizeof(small) - 1, 0, &err);
    used = sfb_json_scratch_used();
    ok(j != NULL && used > 0 && used <= sizeof(mem),
       "scratch: a small parse takes %zu bytes of the block", used);
    ok(j != NULL && (unsigned char *) j >= mem
       && (unsigned char *) j < mem + sizeof(mem),
       "scratch: the object lives in the block");

    sfb_json_scratch_begin(&inner, mem, 16);
    ok(!inner.active, "scratch: a nested scope does not take over");
    sfb_json_scratch_end(&inner);
    is_int(sfb_json_scratch_used(), used, "scratch: and leaves it in place");

    /* a long string outgrows the block: the rest from malloc() */
    memset(body, 'a', sizeof(body));
    memcpy(body, "[\"", 2);
    memcpy(body + sizeof(body) - 2, "\"]", 2);
    json_decref(j);
    j = json_loadb(body, sizeof(body), 0, &err);
    big = j ? json_string_length(json_array_get(j, 0)) : 0;
    is_int(big, sizeof(body) - 4, "scratch: a parse beyond the block works");
    ok(sfb_json_scratch_used() <= sizeof(mem),
       "scratch: never past the block");
    json_decref(j);
    sfb_json_scratch_end(&s);

    is_int(sfb_json_scratch_used(), 0, "scratch: none after the scope");

    j = json_loadb(small, sizeof(small) - 1, 0, &err);
    ok(j != NULL && ((unsigned char *) j < mem
                     || (unsigned char *) j >= mem + sizeof(mem)),
       "scratch: outside a scope jansson uses malloc()");
    json_decref(j);
}


/*
 * sfb_match_path() answers /Partitions/<uuid>/$/EnableBackup without the
 * full walk: mutations of that shape (case, separators, dots, escapes,
 * non-ASCII, one byte more or less) decide exactly as sfb_match_path_slow().
 */
static void
test_path_shortcut(void)
{
    int              i, k, bad, valid;
    char             uri[80];
    size_t           n, pos;
    sfb_target_t     fast, slow;
    unsigned char    fbuf[80], sbuf[80];
    sfb_path_kind_e  fk, sk;

    static const char  base[] = "/Partitions/" UUID EB;
    static const char  bytes[] = "/\\.%$-_~aAfFgGzZ09 \xc4\xb0\x80\xff";

    srandom(63);
    bad = 0;
    valid = 0;

    for (i = 0; i < 50000; i++) {
        memcpy(uri, base, sizeof(base));
        n = sizeof(base) - 1;

        for (k = 0; k < 1 + (int) (random() % 3); k++) {
            pos = (size_t) random() % n;

            switch (random() % 5) {
            case 0:
            case 1:
                /* letters change case: still the shape */
                if (uri[pos] >= 'a' && uri[pos] <= 'z') {
                    uri[pos] = (char) (uri[pos] - 'a' + 'A');

                } else if (uri[pos] >= 'A' && uri[pos] <= 'Z') {
                    uri[pos] = (char) (uri[pos] - 'A' + 'a');
                }
                break;

            case 2:
            case 3:
                uri[pos] = bytes[random() % (sizeof(bytes) - 1)];
                break;

            default:
                if (random() % 2 && n > 1) {
                    memmove(uri + pos, uri + pos + 1, n - pos);
                    n--;

                } else if (n < sizeof(uri) - 2) {
                    memmove(uri + pos + 1, uri + pos, n - pos + 1);
                    uri[pos] = bytes[random() % (sizeof(bytes) - 1)];
                    n++;
                }
            }
        }

        memset(&fast, 0, sizeof(fast));
        memset(&slow, 0, sizeof(slow));

        fk = sfb_match_path((unsigned char *) uri, n, &fast, fbuf, n);
        sk = sfb_match_path_slow((unsigned char *) uri, n, &slow, sbuf, n);

        valid += (fk == GOV && fast.reason == SFB_REASON_NONE);

        if (fk != sk || fast.entity != slow.entity
            || fast.reason != slow.reason || fast.id_len != slow.id_len
            || memcmp(fast.id, slow.id, fast.id_len) != 0)
        {
            if (bad++ == 0) {
                printf("#     '%.*s': kind %d/%d, reason %s/%s\n", (int) n,
                       uri, fk, sk, sfb_reason_name(fast.reason),
                       sfb_reason_name(slow.reason));
            }
        }
    }

    is_int(bad, 0, "path shortcut: 50000 mutations decide as the full walk");
    ok(valid > 5000 && valid < 45000, "path shortcut: %d of them valid, the "
       "rest refused or not governed", valid);
}


static void
test_path_limits(void)
{
    size_t           n;
    char             uri[2100];
    sfb_target_t     t;
    unsigned char    buf[2100];
    sfb_path_kind_e  kind;

    /* a 1024-byte id over two segments: 511 + '~' + 512 */
    n = (size_t) snprintf(uri, sizeof(uri), "/Services/%0511d/%0512d" EB,
                          0, 0);
    kind = sfb_match_path((unsigned char *) uri, n, &t, buf, sizeof(buf));
    ok(kind == GOV && t.reason == SFB_REASON_NONE && t.id_len == 1024
       && t.id[511] == '~',
       "path: a service id of exactly 1024 bytes is valid");

    n = (size_t) snprintf(uri, sizeof(uri), "/Services/%0512d/%0512d" EB,
                          0, 0);
    kind = sfb_match_path((unsigned char *) uri, n, &t, buf, sizeof(buf));
    ok(kind == GOV && t.reason == SFB_REASON_ENTITY_NAME_INVALID,
       "path: a service id of 1025 bytes is invalid");

    n = (size_t) snprintf(uri, sizeof(uri), "/Applications/%02000d" EB, 0);
    kind = sfb_match_path((unsigned char *) uri, n, &t, buf, sizeof(buf));
    ok(kind == GOV && t.reason == SFB_REASON_ENTITY_NAME_INVALID,
       "path: a 2000-byte application id is invalid");

    kind = sfb_match_path((const unsigned char *) "/Services/MyApp" EB, 30,
                          &t, buf, 4);
    ok(kind == GOV && t.reason == SFB_REASON_INTERNAL_ERROR,
       "path: a too small id buffer fails closed as internal_error");

    /* the byte after the given length must not be looked at */
    memcpy(uri, "/Partitions/" UUID "/$/EnableBackupX", 64);
    kind = sfb_match_path((unsigned char *) uri, 63, &t, buf, sizeof(buf));
    ok(kind == GOV && t.reason == SFB_REASON_NONE,
       "path: bytes past the given length are not read");

    memset(uri, '/', sizeof(uri));
    kind = sfb_match_path((unsigned char *) uri, sizeof(uri), &t, buf, 0);
    ok(kind == OTHER, "path: a path of only slashes passes through");

    for (n = 0; n + 3 <= sizeof(uri); n += 3) {
        memcpy(uri + n, "/..", 3);
    }

    kind = sfb_match_path((unsigned char *) uri, n, &t, buf, 0);
    ok(kind == OTHER, "path: a path of only .. passes through");

    /* found by t/fuzz/fuzz_decide: no arithmetic on a NULL pointer */
    kind = sfb_match_path(NULL, 0, &t, buf, sizeof(buf));
    ok(kind == OTHER && t.entity == SFB_ENTITY_NONE && t.id_len == 0,
       "path: an empty path given as {NULL, 0} passes through");
}


static void
test_query(void)
{
    size_t               i;
    sfb_rules_t          rules;
    sfb_query_t          q;
    sfb_reason_e         rc;
    unsigned char       *in, *buf;
    const query_case_t  *c;

    sfb_rules_init(&rules);

    for (i = 0; i < N(query_cases); i++) {
        c = &query_cases[i];

        in = exact(&c->args);
        buf = exact(&c->args);
        rc = sfb_parse_query(&rules, in, c->args.len, &q, buf, c->args.len);

        if (!is_reason_of(rc, c->reason, "query: ", c->name)) {
            goto next;
        }

        if (c->api_version) {
            is_mem(q.api_version.data, q.api_version.len, c->api_version,
                   "query: api-version value of: %s", c->name);
            ok(q.has_timeout == (c->timeout != 0)
               && (c->timeout == 0 || q.timeout == c->timeout),
               "query: timeout value of: %s", c->name);
        }

        if (c->bad) {
            is_mem(q.bad.data, q.bad.len, c->bad,
                   "query: offending part named for: %s", c->name);
        }

    next:

        free(in);
        free(buf);
    }
}


static void
test_query_rules(void)
{
    sfb_rules_t          rules;
    sfb_query_t          q;
    unsigned char        buf[64];
    static const char    a1[] = "api-version=6.2-preview";
    static const char    a2[] = "api-version=6.4&timeout=9";
    static const char    a3[] = "api-version=6.4&timeout=10";
    static const char    a4[] = "api-version=6.4&timeout=100";
    static const char    a5[] = "api-version=6.4&timeout=101";
    static const char    a6[] = "api-version=7.0";
    static const char    a7[] = "api-version=9.1";
    static const sfb_str_t  two[] = { STR("6.2-preview"), STR("6.4") };
    size_t               i;
    const sfb_route_t   *skip;

#define Q(a)  (const unsigned char *) (a), sizeof(a) - 1, &q, buf, sizeof(buf)

    for (i = 0; (skip = sfb_route_at(i)) != NULL; i++) {
        if (strcmp(skip->name, "SkipAutoRestore") == 0) {
            break;
        }
    }

    ok(skip != NULL, "query: the table has SkipAutoRestore");

    sfb_rules_init(&rules);

    is_reason(sfb_parse_query(&rules, Q(a1)), SFB_REASON_NONE,
              "query: by default 6.2-preview, as the 6.2 specification says");
    is_reason(sfb_parse_query(&rules, Q(a4)), SFB_REASON_NONE,
              "query: by default 6.4, as the 6.4 to 9.1 specifications say");
    is_reason(sfb_parse_query(&rules, Q(a6)),
              SFB_REASON_API_VERSION_UNSUPPORTED,
              "query: by default no version the backup calls never declared");
    is_reason(sfb_parse_query_for(&rules, skip, 0, Q(a7)), SFB_REASON_NONE,
              "query: SkipAutoRestore takes 9.1, its one version");
    is_reason(sfb_parse_query_for(&rules, skip, 0, Q(a4)),
              SFB_REASON_API_VERSION_UNSUPPORTED,
              "query: SkipAutoRestore refuses 6.4, which it was never in");

    rules.api_versions = two;
    rules.n_api_versions = 0;

    is_reason(sfb_parse_query(&rules, Q(a1)),
              SFB_REASON_API_VERSION_UNSUPPORTED,
              "query: an empty supported list rejects every api-version");
    is_reason(sfb_parse_query_for(&rules, skip, 0, Q(a7)),
              SFB_REASON_API_VERSION_UNSUPPORTED,
              "query: the operator's list replaces a call's own versions");

    rules.api_versions = two;
    rules.n_api_versions = 2;
    rules.timeout_min = 10;
    rules.timeout_max = 100;

    is_reason(sfb_parse_query(&rules, Q(a2)),
              SFB_REASON_TIMEOUT_OUT_OF_RANGE,
              "query: a timeout below the configured minimum is refused");
    is_reason(sfb_parse_query(&rules, Q(a3)), SFB_REASON_NONE,
              "query: the configured minimum and a second version pass");
    is_reason(sfb_parse_query(&rules, Q(a4)), SFB_REASON_NONE,
              "query: the configured maximum passes");
    is_reason(sfb_parse_query(&rules, Q(a5)),
              SFB_REASON_TIMEOUT_OUT_OF_RANGE,
              "query: a timeout above the configured maximum is refused");

    is_reason(sfb_parse_query(&rules, (const unsigned char *) a1,
                              sizeof(a1) - 1, &q, buf, 3),
              SFB_REASON_INTERNAL_ERROR,
              "query: a too small buffer fails closed as internal_error");

#undef Q
}


/* the rule of a policy's name, and a time of day, bytes by bytes */
static void
test_names_and_times(void)
{
    size_t  i;

    static const struct {
        const char  *s;
        int          valid;
    } names[] = {
        { "DailyAzureBackupPolicy", 1 }, { "Probe Policy", 1 },
        { "Sauvegarde \xc3\xa9t\xc3\xa9", 1 }, { "a\"b:c+d?e#f", 1 },
        { "x", 1 }, { "$x", 1 }, { "a.b", 1 },
        { "", 0 }, { "$", 0 }, { "a/b", 0 }, { "a\\b", 0 }, { "a%20b", 0 },
        { "a~b", 0 }, { "a.", 0 }, { ".", 0 }, { "..", 0 }, { " a", 0 },
        { "a ", 0 }, { "a\tb", 0 }, { "a\x7f", 0 }, { "a\xc2\x85", 0 },
        { "a\xc3", 0 }, { "a\xc0\xaf", 0 }, { "\xed\xa0\x80", 0 }
    }, times[] = {
        { "9:00:00", 1 }, { "09:00:00", 1 }, { "23:59:59", 1 },
        { "0:00:00.1", 1 }, { "17:30:00.1234567", 1 },
        { "", 0 }, { "9:00", 0 }, { "9:0:00", 0 }, { "24:00:00", 0 },
        { "9:60:00", 0 }, { "9:00:60", 0 }, { "9:00:00.", 0 },
        { "9:00:00.12345678", 0 }, { "9:00:00Z", 0 }, { "009:00:00", 0 },
        { " 9:00:00", 0 }, { "9:00:00 ", 0 }, { "-1:00:00", 0 }
    };

    for (i = 0; i < N(names); i++) {
        is_int(sfb_policy_name_valid((const unsigned char *) names[i].s,
                                     strlen(names[i].s)),
               names[i].valid, "policy name '%s' %s", names[i].s,
               names[i].valid ? "valid" : "refused");
    }

    {
        unsigned char  longest[SFB_POLICY_NAME_MAX + 1];

        memset(longest, 'P', sizeof(longest));
        ok(sfb_policy_name_valid(longest, SFB_POLICY_NAME_MAX)
           && !sfb_policy_name_valid(longest, SFB_POLICY_NAME_MAX + 1),
           "policy name: 256 bytes valid, 257 refused");
    }

    for (i = 0; i < N(times); i++) {
        is_int(sfb_time_of_day((const unsigned char *) times[i].s,
                               strlen(times[i].s)),
               times[i].valid, "time of day '%s' %s", times[i].s,
               times[i].valid ? "valid" : "refused");
    }
}


static void
test_content_type(void)
{
    size_t               i;
    unsigned char       *in;
    const ctype_case_t  *c;

    for (i = 0; i < N(ctype_cases); i++) {
        c = &ctype_cases[i];
        in = exact(&c->value);
        is_reason_of(sfb_check_content_type(in, c->value.len), c->reason,
                     "content-type: ", c->name);
        free(in);
    }
}


static void
test_body(void)
{
    char                detail[SFB_DETAIL_SIZE];
    size_t              i;
    sfb_body_t          b;
    sfb_rules_t         rules;
    sfb_reason_e        rc;
    unsigned char      *in, *buf;
    const body_case_t  *c;

    sfb_rules_init(&rules);

    for (i = 0; i < N(body_cases); i++) {
        c = &body_cases[i];

        in = exact(&c->body);
        buf = exact(&c->body);
        rc = sfb_parse_body(&rules, in, c->body.len, &b, buf, c->body.len,
                            detail, sizeof(detail));

        if (!is_reason_of(rc, c->reason, "body: ", c->name)) {
            printf("#     detail: %s\n", detail);
            goto next;
        }

        if (c->policy) {
            is_mem(b.policy, b.policy_len, c->policy,
                   "body: policy of: %s", c->name);
        }

        if (c->detail) {
            ok(has(detail, c->detail) && printable(detail),
               "body: detail of: %s", c->name);

            if (!has(detail, c->detail)) {
                printf("#     detail: %s\n", detail);
            }

        } else if (rc == SFB_REASON_NONE) {
            is_str(detail, "", "body: no detail for: %s", c->name);
        }

    next:

        free(in);
        free(buf);
    }
}


static void
test_body_limits(void)
{
    char            detail[SFB_DETAIL_SIZE], small[16];
    size_t          n;
    sfb_body_t      b;
    sfb_rules_t     rules;
    sfb_reason_e    rc;
    unsigned char  *big, buf[4200];
    static const char  valid[] = "{\"BackupPolicyName\":\"P\"}";

    sfb_rules_init(&rules);

    /* pad a valid body with spaces up to exactly max_body */
    memset(buf, ' ', sizeof(buf));
    memcpy(buf, valid, sizeof(valid) - 1);

    rc = sfb_parse_body(&rules, buf, 4096, &b, buf + 4096, 100, detail,
                        sizeof(detail));
    ok(rc == SFB_REASON_NONE && b.policy_len == 1,
       "body: a body of exactly max_body bytes is parsed");

    rc = sfb_parse_body(&rules, buf, 4097, &b, buf + 4097, 100, detail,
                        sizeof(detail));
    is_reason(rc, SFB_REASON_BODY_TOO_LARGE,
              "body: max_body + 1 bytes is too large");

    rules.max_body = 10;
    rc = sfb_parse_body(&rules, (const unsigned char *) valid,
                        sizeof(valid) - 1, &b, buf, sizeof(buf), detail,
                        sizeof(detail));
    is_reason(rc, SFB_REASON_BODY_TOO_LARGE,
              "body: a configured max_body is applied before parsing");

    /* nesting: jansson's depth limit must answer, never the stack */
    n = 200000;
    big = malloc(n);
    if (big == NULL) {
        ok(0, "body: allocate the nesting test");
        return;
    }

    memset(big, '[', n);
    rules.max_body = n;
    rc = sfb_parse_body(&rules, big, n, &b, buf, sizeof(buf), detail,
                        sizeof(detail));
    ok(rc == SFB_REASON_BODY_INVALID_JSON && has(detail, "depth"),
       "body: 200000 nested arrays are invalid JSON, not a crash");

    memset(big, '[', 1000);
    memset(big + 1000, ']', 1000);
    rc = sfb_parse_body(&rules, big, 2000, &b, buf, sizeof(buf), detail,
                        sizeof(detail));
    ok(rc == SFB_REASON_BODY_SCHEMA && has(detail, "not an array"),
       "body: 1000 nested arrays parse and fail the schema");

    memset(big, 'x', 300);
    memcpy(big, "{\"", 2);
    memcpy(big + 300, "\":1}", 4);
    rc = sfb_parse_body(&rules, big, 304, &b, buf, sizeof(buf), detail,
                        sizeof(detail));
    ok(rc == SFB_REASON_BODY_SCHEMA && has(detail, "xxx...'")
       && strlen(detail) < 128 + 64,
       "body: a long unknown member name is bounded in the detail");

    free(big);

    sfb_rules_init(&rules);

    rc = sfb_parse_body(&rules, (const unsigned char *) "{} x", 4, &b, buf,
                        sizeof(buf), small, sizeof(small));
    ok(rc == SFB_REASON_BODY_INVALID_JSON && strlen(small) == 15,
       "body: the detail is truncated and NUL-terminated");

    rc = sfb_parse_body(&rules, (const unsigned char *) valid,
                        sizeof(valid) - 1, &b, buf, 0, detail,
                        sizeof(detail));
    is_reason(rc, SFB_REASON_INTERNAL_ERROR,
              "body: a too small policy buffer fails closed");
}


static void
test_policy(void)
{
    size_t                i;
    unsigned char        *in;
    const policy_case_t  *c;

    for (i = 0; i < N(policy_cases); i++) {
        c = &policy_cases[i];
        in = exact(&c->policy);
        is_reason_of(sfb_check_policy(in, c->policy.len, allowed2,
                                      N(allowed2)),
                     c->reason, "policy: ", c->name);
        free(in);
    }

    is_reason(sfb_check_policy((const unsigned char *) "Weekly", 6, NULL, 0),
              SFB_REASON_POLICY_NOT_ALLOWED,
              "policy: an empty allowed list denies everything");
}


static int
untouched(const unsigned char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] != 0xa5) {
            return 0;
        }
    }

    return 1;
}


static void
test_canonical(void)
{
    char            detail[SFB_DETAIL_SIZE];
    size_t          n;
    sfb_body_t      b;
    sfb_rules_t     rules;
    sfb_query_t     q;
    sfb_target_t    t;
    unsigned char   out[128], pbuf[128];
    static const char  odd[] = "a\"b c\xc3\xa9\xf0\x9f\x98\x80+:";

    sfb_rules_init(&rules);

    t.entity = SFB_ENTITY_PARTITION;
    t.reason = SFB_REASON_NONE;
    t.id = (const unsigned char *) UUID;
    t.id_len = 36;
    t.route = sfb_route_enable();

    n = sfb_canonical_path(&t, out, sizeof(out));
    is_mem(out, n, "/Partitions/" UUID "/$/EnableBackup",
           "canonical: partition path spelled exactly");

    memset(out, 0xa5, sizeof(out));
    n = sfb_canonical_path(&t, out, 62);
    ok(n == 63 && untouched(out, sizeof(out)),
       "canonical: path one byte short returns 63 and writes nothing");

    n = sfb_canonical_path(&t, out, 63);
    ok(n == 63 && out[62] == 'p' && out[63] == 0xa5,
       "canonical: path of exactly the size fits without a NUL");

    t.entity = SFB_ENTITY_SERVICE;
    t.id = (const unsigned char *) "MyApp~MySvc";
    t.id_len = 11;
    n = sfb_canonical_path(&t, out, sizeof(out));
    is_mem(out, n, "/Services/MyApp~MySvc/$/EnableBackup",
           "canonical: service path with the ~-joined id");

    t.entity = SFB_ENTITY_APPLICATION;
    t.id_len = 5;
    n = sfb_canonical_path(&t, out, sizeof(out));
    is_mem(out, n, "/Applications/MyApp/$/EnableBackup",
           "canonical: application path");

    t.entity = SFB_ENTITY_NONE;
    is_int(sfb_canonical_path(&t, out, sizeof(out)), 0,
           "canonical: no path for no entity");

    memset(&q, 0, sizeof(q));
    q.api_version.data = (const unsigned char *) "6.2-preview";
    q.api_version.len = 11;
    n = sfb_canonical_query(&rules, &q, out, sizeof(out));
    is_mem(out, n, "api-version=6.2-preview",
           "canonical: query with the client's api-version");

    q.has_timeout = 1;
    q.timeout = 7;
    n = sfb_canonical_query(&rules, &q, out, sizeof(out));
    is_mem(out, n, "api-version=6.2-preview&timeout=7",
           "canonical: timeout written without leading zeros");

    q.timeout = 4294967295ULL;
    rules.upstream_api_version.data = (const unsigned char *) "6.4";
    rules.upstream_api_version.len = 3;
    n = sfb_canonical_query(&rules, &q, out, sizeof(out));
    is_mem(out, n, "api-version=6.4&timeout=4294967295",
           "canonical: upstream_api_version overrides the client's");

    memset(out, 0xa5, sizeof(out));
    n = sfb_canonical_query(&rules, &q, out, 33);
    ok(n == 34 && untouched(out, sizeof(out)),
       "canonical: query one byte short returns 34 and writes nothing");

    rules.upstream_api_version.data = (const unsigned char *) "6 x/y~%\xff";
    rules.upstream_api_version.len = 8;
    q.has_timeout = 0;
    n = sfb_canonical_query(&rules, &q, out, sizeof(out));
    is_mem(out, n, "api-version=6%20x%2Fy~%25%FF",
           "canonical: bytes outside unreserved are percent-encoded");

    n = sfb_canonical_body((const unsigned char *) "Daily", 5, out,
                           sizeof(out));
    is_mem(out, n, "{\"BackupPolicyName\":\"Daily\"}",
           "canonical: body is compact JSON");

    n = sfb_canonical_body((const unsigned char *) odd, sizeof(odd) - 1,
                           out, sizeof(out));
    is_mem(out, n, "{\"BackupPolicyName\":"
           "\"a\\\"b c\\u00E9\\uD83D\\uDE00+:\"}",
           "canonical: quote and non-ASCII escaped");

    sfb_rules_init(&rules);
    memset(detail, 0, sizeof(detail));
    ok(sfb_parse_body(&rules, out, n, &b, pbuf, sizeof(pbuf), detail,
                      sizeof(detail)) == SFB_REASON_NONE
       && b.policy_len == sizeof(odd) - 1
       && memcmp(b.policy, odd, b.policy_len) == 0,
       "canonical: the body re-parses to the same policy");

    memset(out, 0xa5, sizeof(out));
    n = sfb_canonical_body((const unsigned char *) "Daily", 5, out, 27);
    ok(n == 28 && untouched(out, sizeof(out)),
       "canonical: body one byte short returns 28 and writes nothing");

    n = sfb_canonical_body((const unsigned char *) "Daily", 5, out, 28);
    ok(n == 28 && out[27] == '}' && out[28] == 0xa5,
       "canonical: body of exactly the size fits without a NUL");

    is_int(sfb_canonical_body((const unsigned char *) "a\xff", 2, out,
                              sizeof(out)), 0,
           "canonical: no body for a name that is not UTF-8");
}


static void
test_describe(void)
{
    char            msg[512], small[10];
    size_t          n, i;
    sfb_rules_t     rules;
    sfb_decision_t  d;
    unsigned char   name[300];

    sfb_rules_init(&rules);
    sfb_decision_init(&d);

    d.query.bad.data = (const unsigned char *) "6.1";
    d.query.bad.len = 3;
    sfb_describe(SFB_REASON_API_VERSION_UNSUPPORTED, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "api-version '6.1' is not supported; supported versions: "
           "6.2-preview, 6.4.", "describe: unsupported api-version");

    rules.api_versions = &d.query.bad;
    rules.n_api_versions = 0;
    sfb_describe(SFB_REASON_API_VERSION_UNSUPPORTED, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "api-version '6.1' is not supported; no version is "
           "enabled.", "describe: unsupported with nothing enabled");
    sfb_rules_init(&rules);

    sfb_describe(SFB_REASON_TIMEOUT_OUT_OF_RANGE, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "timeout must be an integer between 1 and 4294967295.",
           "describe: timeout out of range names the bounds");

    d.query.bad.data = (const unsigned char *) "ServiceName";
    d.query.bad.len = 11;
    sfb_describe(SFB_REASON_QUERY_PARAM_UNKNOWN, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "Query parameter 'ServiceName' is not allowed on "
           "EnableBackup.", "describe: unknown query parameter");

    d.query.bad.data = (const unsigned char *) "a\r\nb\"\xc3\xa9";
    d.query.bad.len = 7;
    sfb_describe(SFB_REASON_QUERY_PARAM_UNKNOWN, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "Query parameter 'a?\?b\"?\?' is not allowed on EnableBackup.",
           "describe: quoted request bytes are sanitised");

    d.body.policy = (const unsigned char *) "X";
    d.body.policy_len = 1;
    d.identity.data = (const unsigned char *) "team-a";
    d.identity.len = 6;
    sfb_describe(SFB_REASON_POLICY_NOT_ALLOWED, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "Backup policy 'X' is not allowed for caller 'team-a'.",
           "describe: policy not allowed names policy and caller");

    d.identity.len = 0;
    sfb_describe(SFB_REASON_POLICY_NOT_ALLOWED, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "Backup policy 'X' is not allowed for this caller.",
           "describe: policy not allowed without an identity");

    memset(name, 'p', sizeof(name));
    d.body.policy = name;
    d.body.policy_len = sizeof(name);
    sfb_describe(SFB_REASON_POLICY_NOT_ALLOWED, &d, &rules, msg,
                 sizeof(msg));
    ok(has(msg, "ppp...' is not") && strlen(msg) < 128 + 64,
       "describe: a long policy name is bounded to 128 bytes");

    strcpy(d.detail, "end of file expected near 'x' (line 1, column 26)");
    sfb_describe(SFB_REASON_BODY_INVALID_JSON, &d, &rules, msg, sizeof(msg));
    is_str(msg, "Invalid JSON body: end of file expected near 'x' "
           "(line 1, column 26).", "describe: invalid JSON quotes jansson");

    d.method.data = (const unsigned char *) "GET";
    d.method.len = 3;
    sfb_describe(SFB_REASON_METHOD_NOT_ALLOWED, &d, &rules, msg,
                 sizeof(msg));
    is_str(msg, "Method 'GET' is not allowed on EnableBackup; use POST.",
           "describe: method not allowed");

    n = sfb_describe(SFB_REASON_TIMEOUT_INVALID, &d, &rules, small,
                     sizeof(small));
    ok(n == 52 && strcmp(small, "timeout m") == 0,
       "describe: truncates like snprintf and returns the full length");

    small[0] = 'z';
    n = sfb_describe(SFB_REASON_TIMEOUT_INVALID, &d, &rules, small, 0);
    ok(n == 52 && small[0] == 'z',
       "describe: size 0 writes nothing and returns the full length");

    for (i = 0; i <= SFB_REASON__COUNT; i++) {
        n = sfb_describe((sfb_reason_e) i, &d, &rules, msg, sizeof(msg));

        if (!ok(n > 0 && n == strlen(msg) && msg[n - 1] == '.'
                && printable(msg),
                "describe: reason %s has a printable sentence",
                sfb_reason_name((sfb_reason_e) i)))
        {
            printf("#     %s\n", msg);
        }
    }
}


typedef struct {
    const char    *name;
    sfb_str_t      method;
    sfb_str_t      uri;
    sfb_str_t      args;
    sfb_str_t      ctype;
    size_t         ctype_count;
    sfb_str_t      body;
    sfb_reason_e   reason;
    sfb_path_kind_e  kind;
} decide_case_t;


#define OK_URI    STR("/Partitions/" UUID_UC EB)
#define OK_ARGS   STR("api-version=6.2-preview&timeout=060")
#define OK_CT     STR("application/json; charset=utf-8")
#define OK_BODY   STR("{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}")


static const decide_case_t  decide_cases[] = {
    { "decide: a valid request is allowed", STR("POST"), OK_URI, OK_ARGS,
      OK_CT, 1, OK_BODY, SFB_REASON_ALLOWED, GOV },
    { "decide: another path is left alone, whatever else is wrong",
      STR("GET"), STR("/Partitions/" UUID "/$/GetHealth"), STR("&&"),
      NOSTR, 3, NOSTR, SFB_REASON_NONE, OTHER },
    { "decide: BackupRestore is closed by default", STR("POST"),
      STR("/BackupRestore/Generic/Call"), OK_ARGS, OK_CT, 1,
      OK_BODY, SFB_REASON_BACKUP_RESTORE_CLOSED, BR },
    { "decide: GET on EnableBackup is not allowed", STR("GET"), OK_URI,
      OK_ARGS, OK_CT, 1, OK_BODY, SFB_REASON_METHOD_NOT_ALLOWED, GOV },
    { "decide: method names are case-sensitive", STR("post"), OK_URI,
      OK_ARGS, OK_CT, 1, OK_BODY, SFB_REASON_METHOD_NOT_ALLOWED, GOV },
    { "decide: the method is judged before the path's reason", STR("PUT"),
      STR("/Partitions/x" EB), OK_ARGS, OK_CT, 1, OK_BODY,
      SFB_REASON_METHOD_NOT_ALLOWED, GOV },
    { "decide: the path's reason comes before the query", STR("POST"),
      STR("/Partitions/x" EB), STR(""), OK_CT, 1, OK_BODY,
      SFB_REASON_PARTITION_ID_INVALID, GOV },
    { "decide: a look-alike is refused", STR("POST"),
      STR("/Partitions/" UUID "/$/EnableBackup."), OK_ARGS, OK_CT, 1,
      OK_BODY, SFB_REASON_PATH_INVALID, GOV },
    { "decide: the query comes before the Content-Type", STR("POST"),
      OK_URI, STR("api-version=6.1"), STR("text/plain"), 1, OK_BODY,
      SFB_REASON_API_VERSION_UNSUPPORTED, GOV },
    { "decide: two Content-Type headers are refused", STR("POST"), OK_URI,
      OK_ARGS, OK_CT, 2, OK_BODY, SFB_REASON_CONTENT_TYPE_REPEATED, GOV },
    { "decide: a missing Content-Type is unsupported", STR("POST"), OK_URI,
      OK_ARGS, NOSTR, 0, OK_BODY, SFB_REASON_CONTENT_TYPE_UNSUPPORTED, GOV },
    { "decide: the Content-Type comes before the body", STR("POST"),
      OK_URI, OK_ARGS, STR("text/json"), 1, NOSTR,
      SFB_REASON_CONTENT_TYPE_UNSUPPORTED, GOV },
    { "decide: a missing body is refused", STR("POST"), OK_URI, OK_ARGS,
      OK_CT, 1, NOSTR, SFB_REASON_BODY_MISSING, GOV },
    { "decide: the body comes before the policy", STR("POST"), OK_URI,
      OK_ARGS, OK_CT, 1, STR("{\"BackupPolicyName\":\"Nope\",\"x\":1}"),
      SFB_REASON_BODY_SCHEMA, GOV },
    { "decide: a policy off the list is not allowed", STR("POST"), OK_URI,
      OK_ARGS, OK_CT, 1, STR("{\"BackupPolicyName\":\"Nope\"}"),
      SFB_REASON_POLICY_NOT_ALLOWED, GOV },
    { "decide: a service id over segments is allowed", STR("POST"),
      STR("/Services/MyApp/MySvc" EB), STR("api-version=6.2-preview"),
      STR("application/json"), 1, OK_BODY, SFB_REASON_ALLOWED, GOV },
    { "decide: a request of {NULL, 0} ranges only is left alone", NOSTR,
      NOSTR, NOSTR, NOSTR, 0, NOSTR, SFB_REASON_NONE, OTHER },
};


static void
test_decide(void)
{
    size_t                i;
    sfb_rules_t           rules;
    sfb_reason_e          rc;
    unsigned char        *scratch;
    sfb_request_t         req;
    sfb_decision_t        d;
    const decide_case_t  *c;

    sfb_rules_init(&rules);

    for (i = 0; i < N(decide_cases); i++) {
        c = &decide_cases[i];

        memset(&req, 0, sizeof(req));
        req.method = c->method;
        req.uri = c->uri;
        req.args = c->args;
        req.content_type = c->ctype;
        req.content_type_count = c->ctype_count;
        req.body = c->body;
        req.allowed = allowed2;
        req.n_allowed = N(allowed2);
        req.identity = (sfb_str_t) STR("team-a");

        /* exactly the advertised size, so that ASan sees any overrun */
        scratch = malloc(sfb_decide_scratch_size(&rules, &req));
        rc = sfb_decide(&rules, &req, &d, scratch,
                        sfb_decide_scratch_size(&rules, &req));

        ok(rc == c->reason && d.reason == rc && d.kind == c->kind,
           "%s", c->name);

        if (rc != c->reason) {
            printf("#     got %s, want %s\n", sfb_reason_name(rc),
                   sfb_reason_name(c->reason));
        }

        free(scratch);
    }
}


static void
test_decide_outputs(void)
{
    char            msg[512];
    size_t          size;
    sfb_rules_t     rules;
    sfb_reason_e    rc;
    unsigned char   scratch[1024];
    sfb_request_t   req;
    sfb_decision_t  d;
    static const sfb_str_t  secret[] = {
        STR("SecretPolicyA"), STR("SecretPolicyB")
    };

    sfb_rules_init(&rules);
    rules.upstream_api_version = (sfb_str_t) STR("6.4");

    memset(&req, 0, sizeof(req));
    req.method = (sfb_str_t) STR("POST");
    req.uri = (sfb_str_t) OK_URI;
    req.args = (sfb_str_t) OK_ARGS;
    req.content_type = (sfb_str_t) OK_CT;
    req.content_type_count = 1;
    req.body = (sfb_str_t) STR(" {\"BackupPolicyName\":\"Daily\\u0041\"} ");
    req.allowed = (const sfb_str_t[]) { STR("DailyA") };
    req.n_allowed = 1;
    req.identity = (sfb_str_t) STR("team-a");

    rc = sfb_decide(&rules, &req, &d, scratch, sizeof(scratch));
    is_reason(rc, SFB_REASON_ALLOWED, "decide: an escaped policy is allowed");
    ok(d.target.entity == SFB_ENTITY_PARTITION && d.query.timeout == 60,
       "decide: entity and timeout are filled in");
    is_mem(d.target.id, d.target.id_len, UUID, "decide: canonical id");
    is_mem(d.body.policy, d.body.policy_len, "DailyA",
           "decide: the decoded policy");
    is_mem(d.canonical_path.data, d.canonical_path.len,
           "/Partitions/" UUID "/$/EnableBackup", "decide: canonical path");
    is_mem(d.canonical_query.data, d.canonical_query.len,
           "api-version=6.4&timeout=60",
           "decide: canonical query uses upstream_api_version");
    is_mem(d.canonical_body.data, d.canonical_body.len,
           "{\"BackupPolicyName\":\"DailyA\"}", "decide: canonical body");

    /* 63 id + 35 query + 172 body (3 x 36 + 64: room for any call's
     * canonical JSON) + 63 path + 412 query (room for the longest:
     * 42 + 3 x 3 + 256 + 3 x 35) + 68 body (6 x 6 + 32) = 813 */
    for (size = 0; size < 813; size++) {
        rc = sfb_decide(&rules, &req, &d, scratch, size);
        if (rc != SFB_REASON_INTERNAL_ERROR) {
            break;
        }
    }

    ok(size == 813 && sfb_decide(&rules, &req, &d, scratch, 813)
                      == SFB_REASON_ALLOWED
       && sfb_decide_scratch_size(&rules, &req) >= 813,
       "decide: any scratch short of what is needed fails closed");

    rc = sfb_decide(&rules, &req, &d, scratch, 0);
    is_reason(rc, SFB_REASON_INTERNAL_ERROR,
              "decide: no scratch at all fails closed");

    req.allowed = secret;
    req.n_allowed = 2;
    rc = sfb_decide(&rules, &req, &d, scratch, sizeof(scratch));
    sfb_describe(rc, &d, &rules, msg, sizeof(msg));
    ok(rc == SFB_REASON_POLICY_NOT_ALLOWED
       && strcmp(msg, "Backup policy 'DailyA' is not allowed for caller "
                 "'team-a'.") == 0
       && !has(msg, "Secret"),
       "describe: a denial never lists the allowed policies");

    req.n_allowed = 0;
    rc = sfb_decide(&rules, &req, &d, scratch, sizeof(scratch));
    is_reason(rc, SFB_REASON_POLICY_NOT_ALLOWED,
              "decide: a caller with no policies is denied");

    req.body = (sfb_str_t) STR("{\"BackupPolicyName\":\"P\"} trailing");
    rc = sfb_decide(&rules, &req, &d, scratch, sizeof(scratch));
    sfb_describe(rc, &d, &rules, msg, sizeof(msg));
    ok(rc == SFB_REASON_BODY_INVALID_JSON
       && has(msg, "Invalid JSON body: end of file expected near 'trailing'"
              " (line 1, column 33)."),
       "decide: the JSON error reaches the message with line and column");

    rules.backup_restore_open = 1;
    req.uri = (sfb_str_t) STR("/BackupRestore/Generic");
    rc = sfb_decide(&rules, &req, &d, scratch, sizeof(scratch));
    ok(rc == SFB_REASON_NONE && d.kind == SFB_PATH_BACKUP_RESTORE,
       "decide: BackupRestore passes when opened");
}


/* a host for sfb_decide_run(): scripted answers, and what was asked */
typedef struct {
    unsigned char   mem[1024];
    size_t          used;
    unsigned        scope_waits;    /* PENDING this many times first */
    sfb_reason_e    scope;          /* then this */
    unsigned        body_waits;
    sfb_reason_e    carried;
    int             identity;       /* 0: none (identity_missing) */
    char            asked[16];      /* hooks in the order called */
    size_t          nasked;
} run_host_t;


static void
run_asked(const sfb_host_t *h, char c)
{
    run_host_t  *rh = h->data;

    if (rh->nasked < sizeof(rh->asked) - 1) {
        rh->asked[rh->nasked++] = c;
        rh->asked[rh->nasked] = '\0';
    }
}


static unsigned char *
run_alloc(const sfb_host_t *h, size_t want, size_t *got)
{
    run_host_t     *rh = h->data;
    unsigned char  *p;

    *got = want <= sizeof(rh->mem) - rh->used ? want : 0;
    p = rh->mem + rh->used;
    rh->used += *got;

    return p;
}


static sfb_reason_e
run_caller(const sfb_host_t *h, sfb_decision_t *d, unsigned *granted)
{
    run_host_t  *rh = h->data;

    run_asked(h, 'c');

    if (!rh->identity) {
        return SFB_REASON_IDENTITY_MISSING;
    }

    d->identity = (sfb_str_t) STR("team-a");
    *granted = SFB_OPS_DEFAULT;

    return SFB_REASON_NONE;
}


static sfb_reason_e
run_scope(const sfb_host_t *h, sfb_decision_t *d)
{
    run_host_t  *rh = h->data;

    (void) d;
    run_asked(h, 's');

    if (rh->scope_waits) {
        rh->scope_waits--;
        return SFB_REASON_PENDING;
    }

    return rh->scope;
}


static sfb_reason_e
run_body(const sfb_host_t *h, sfb_decision_t *d, sfb_str_t *body)
{
    run_host_t  *rh = h->data;

    (void) d;
    run_asked(h, 'b');

    if (rh->body_waits) {
        rh->body_waits--;
        return SFB_REASON_PENDING;
    }

    *body = (sfb_str_t) STR("{\"BackupPolicyName\":\"Daily\"}");

    return SFB_REASON_NONE;
}


static sfb_reason_e
run_policies(const sfb_host_t *h, const sfb_str_t **list, size_t *n)
{
    static const sfb_str_t  daily[] = { STR("Daily") };

    run_asked(h, 'p');
    *list = daily;
    *n = 1;

    return SFB_REASON_NONE;
}


static sfb_reason_e
run_carried(const sfb_host_t *h, sfb_decision_t *d)
{
    run_host_t  *rh = h->data;

    (void) d;
    run_asked(h, 'd');

    return rh->carried;
}


/* drives sfb_decide_run() to its answer; *runs: how many calls it took */
static sfb_reason_e
run_decide(run_host_t *rh, sfb_decision_t *d, unsigned *runs)
{
    sfb_host_t     host;
    sfb_rules_t    rules;
    sfb_reason_e   rc;
    sfb_request_t  req;

    sfb_rules_init(&rules);

    memset(&req, 0, sizeof(req));
    req.method = (sfb_str_t) STR("POST");
    req.uri = (sfb_str_t) OK_URI;
    req.args = (sfb_str_t) OK_ARGS;
    req.content_type = (sfb_str_t) OK_CT;
    req.content_type_count = 1;

    memset(&host, 0, sizeof(host));
    host.data = rh;
    host.alloc = run_alloc;
    host.caller = run_caller;
    host.scope = run_scope;
    host.body = run_body;
    host.policies = run_policies;
    host.carried = run_carried;

    sfb_decision_init(d);

    *runs = 0;

    do {
        rc = sfb_decide_run(&rules, &req, d, &host);
        (*runs)++;
    } while (rc == SFB_REASON_PENDING && *runs < 10);

    return rc;
}


static void
test_decide_run(void)
{
    unsigned        runs;
    run_host_t      rh;
    sfb_reason_e    rc;
    sfb_decision_t  d;

    memset(&rh, 0, sizeof(rh));
    rh.identity = 1;
    rh.scope_waits = 2;
    rh.body_waits = 1;
    rc = run_decide(&rh, &d, &runs);
    ok(rc == SFB_REASON_ALLOWED && d.reason == rc && runs == 4
       && strcmp(rh.asked, "csssbbpd") == 0,
       "run: a host that answers later is asked again where it waited, "
       "and the call is allowed (%s, %u runs, asked %s)",
       sfb_reason_name(rc), runs, rh.asked);
    is_mem(d.canonical_body.data, d.canonical_body.len,
           "{\"BackupPolicyName\":\"Daily\"}", "run: its canonical body");

    memset(&rh, 0, sizeof(rh));
    rh.identity = 1;
    rh.scope = SFB_REASON_OUT_OF_SCOPE;
    rc = run_decide(&rh, &d, &runs);
    ok(rc == SFB_REASON_OUT_OF_SCOPE && strcmp(rh.asked, "cs") == 0,
       "run: a call out of scope is refused before its body is read");

    memset(&rh, 0, sizeof(rh));
    rc = run_decide(&rh, &d, &runs);
    ok(rc == SFB_REASON_IDENTITY_MISSING && strcmp(rh.asked, "c") == 0,
       "run: no caller, no scope lookup");

    memset(&rh, 0, sizeof(rh));
    rh.identity = 1;
    rh.carried = SFB_REASON_STORAGE_NOT_ALLOWED;
    rc = run_decide(&rh, &d, &runs);
    ok(rc == SFB_REASON_STORAGE_NOT_ALLOWED && d.canonical_path.len == 0
       && strcmp(rh.asked, "csbpd") == 0,
       "run: what the body carries refuses last, and nothing is made "
       "canonical");

    memset(&rh, 0, sizeof(rh));
    rh.identity = 1;
    rh.carried = SFB_REASON_ALLOWED;
    rc = run_decide(&rh, &d, &runs);
    ok(rc == SFB_REASON_ALLOWED && d.canonical_path.len != 0,
       "run: a host's allowed goes on to the canonical forms");
}


int
main(void)
{
    /* as in the module: every body below is parsed in scratch memory */
    sfb_json_scratch_install();
    test_scratch();

    test_path();
    test_path_shortcut();
    test_path_limits();
    test_query();
    test_query_rules();
    test_names_and_times();
    test_content_type();
    test_body();
    test_body_limits();
    test_policy();
    test_canonical();
    test_describe();
    test_decide();
    test_decide_outputs();
    test_decide_run();

    return done_testing();
}
