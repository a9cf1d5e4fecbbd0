/*
 * Unit tests of the whole backup and restore surface through sfb_decide():
 * one row per case, each named after the behaviour it pins down.  Every
 * call of the surface at every entity level it has, what is forwarded for
 * it (canonical path, query and body), and the bad inputs each call refuses
 * with the reason it must give.  Secrets sent in bodies never appear in a
 * message.
 */

#include <stdlib.h>
#include <string.h>

#include "sfb_types.h"
#include "sfb_gate.h"
#include "sfb_route.h"
#include "sfb_schema.h"
#include "sfb_message.h"
#include "sfb_tap.h"


#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define UUID      "1daae3f5-7fd6-42e9-b1ba-8c05f873994d"
#define P         "/Partitions/" UUID "/$/"
/* a BackupLocation in Service Fabric's layout, as JSON text */
#define LOC       "TeamA\\\\Orders\\\\" UUID "\\\\b.zip"
#define S         "/Services/TeamA~Orders~Store/$/"
#define A         "/Applications/TeamA~Orders/$/"
#define Q         "api-version=6.4"
#define CT        "application/json; charset=utf-8"
#define KEY       "c2VjcmV0LWFjY291bnQta2V5LW5ldmVyLXRvLWJlLWxvZ2dlZC1hbnl3aGVyZQ=="
#define BLOB      "{\"StorageKind\":\"AzureBlobStore\",\"ConnectionString\":"    \
                  "\"DefaultEndpointsProtocol=https;AccountName=evil;"          \
                  "AccountKey=" KEY ";EndpointSuffix=core.windows.net\","       \
                  "\"ContainerName\":\"loot\"}"
#define SHARE     "{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\fs\\\\b\","  \
                  "\"PrimaryUserName\":\"u\",\"PrimaryPassword\":\"pw-" KEY "\"}"
#define ALL       0xffffffffu
#define BR        "/BackupRestore/BackupPolicies"
#define POLICY    "{\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,"  \
                  "\"MaxIncrementalBackups\":\"3\",\"Schedule\":{"               \
                  "\"ScheduleKind\":\"FrequencyBased\",\"Interval\":\"PT4H\"},"    \
                  "\"Storage\":" BLOB "}"
#define POLICY_C  "{\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,"  \
                  "\"MaxIncrementalBackups\":3,\"Schedule\":{"                 \
                  "\"ScheduleKind\":\"FrequencyBased\",\"Interval\":\"PT4H\"},"    \
                  "\"Storage\":" BLOB "}"
#define QUERY_B   "{\"BackupEntity\":{\"ServiceName\":\"fabric:/A/S\","           \
                  "\"EntityKind\":\"Service\"},\"Storage\":" BLOB ","             \
                  "\"Latest\":true}"
#define QUERY_C   "{\"Storage\":" BLOB ",\"BackupEntity\":{\"EntityKind\":"      \
                  "\"Service\",\"ServiceName\":\"fabric:/A/S\"},\"Latest\":true}"
#define OPS(x)    (SFB_OP_BIT(SFB_OP_ ## x))


typedef struct {
    const char     *name;
    const char     *method;
    const char     *uri;
    const char     *args;
    const char     *ct;         /* NULL: no Content-Type */
    const char     *body;
    unsigned        ops;        /* 0: the default, enable and read */
    sfb_reason_e    reason;
    const char     *path;       /* forwarded, if allowed */
    const char     *query;
    const char     *fwd_body;
    sfb_operation_e op;         /* the call's, or the one refused */
} surface_case_t;


#define OK(n, m, u, a, c, b, o, path, query, fb, op)                          \
    { n, m, u, a, c, b, o, SFB_REASON_ALLOWED, path, query, fb, SFB_OP_ ## op }
#define NO(n, m, u, a, c, b, o, why, op)                                      \
    { n, m, u, a, c, b, o, SFB_REASON_ ## why, NULL, NULL, NULL,              \
      SFB_OP_ ## op }


static const surface_case_t  cases[] = {

    /* every call, at every level it exists, forwarded canonically */

    OK("DisableBackup, no body", "POST", P "DisableBackup", Q, CT, "",
       OPS(DISABLE), P "DisableBackup", Q, "", DISABLE),
    OK("DisableBackup without a Content-Type", "POST",
       S "DisableBackup", Q, NULL, "", OPS(DISABLE), S "DisableBackup", Q,
       "", DISABLE),
    OK("DisableBackup keeping backups, body re-serialised", "POST",
       A "DisableBackup", Q, CT, "{ \"CleanBackup\" : false }",
       OPS(DISABLE), A "DisableBackup", Q, "{\"CleanBackup\":false}",
       DISABLE),
    OK("DisableBackup with CleanBackup true, when clean is granted", "POST",
       P "DisableBackup", Q, CT, "{\"CleanBackup\":true}",
       OPS(DISABLE) | OPS(CLEAN), P "DisableBackup", Q,
       "{\"CleanBackup\":true}", DISABLE),
    OK("SuspendBackup on a partition", "POST", P "SuspendBackup", Q, CT, "",
       OPS(SUSPEND), P "SuspendBackup", Q, "", SUSPEND),
    OK("SuspendBackup on a service", "POST", S "SuspendBackup", Q, CT, "",
       OPS(SUSPEND), S "SuspendBackup", Q, "", SUSPEND),
    OK("ResumeBackup on an application", "POST", A "ResumeBackup", Q, CT,
       "", OPS(RESUME), A "ResumeBackup", Q, "", RESUME),
    OK("GetBackupConfigurationInfo is read, granted by default", "GET",
       P "GetBackupConfigurationInfo", Q "&timeout=60", CT, "", 0,
       P "GetBackupConfigurationInfo", Q "&timeout=60", "", READ),
    OK("GetBackupConfigurationInfo of a service pages", "GET",
       S "GetBackupConfigurationInfo", "MaxResults=10&" Q
       "&ContinuationToken=abc%2Bdef", NULL, "", 0,
       S "GetBackupConfigurationInfo",
       Q "&ContinuationToken=abc%2Bdef&MaxResults=10", "", READ),
    OK("GetBackups with every filter, in the fixed order", "GET",
       A "GetBackups", "EndDateTimeFilter=2026-12-31T23:59:59Z&Latest=True&"
       Q "&StartDateTimeFilter=2026-01-01T00:00:00.1234567%2B01:00", NULL, "",
       0, A "GetBackups",
       Q "&Latest=true&StartDateTimeFilter=2026-01-01T00%3A00%3A00.1234567"
       "%2B01%3A00&EndDateTimeFilter=2026-12-31T23%3A59%3A59Z", "", READ),
    OK("GetBackups of a partition, Latest false", "GET", P "GetBackups",
       Q "&Latest=false", NULL, "", 0, P "GetBackups", Q "&Latest=false", "",
       READ),
    OK("GetBackupProgress", "GET", P "GetBackupProgress", Q, CT, "", 0,
       P "GetBackupProgress", Q, "", READ),
    OK("GetRestoreProgress", "GET", P "GetRestoreProgress", Q, NULL, "", 0,
       P "GetRestoreProgress", Q, "", READ),
    OK("Backup to the policy's storage: no body", "POST", P "Backup",
       "BackupTimeout=15&" Q, CT, "", OPS(BACKUP), P "Backup",
       Q "&BackupTimeout=15", "", BACKUP),
    OK("Backup to a storage named by the caller, when storage is granted",
       "POST", P "Backup", Q, CT, "{\"BackupStorage\":" BLOB "}",
       OPS(BACKUP) | OPS(STORAGE), P "Backup", Q,
       "{\"BackupStorage\":" BLOB "}", BACKUP),
    OK("Restore from the policy's storage", "POST", P "Restore",
       Q "&RestoreTimeout=30", CT,
       "{\"BackupLocation\":\"" LOC "\",\"BackupId\":"
       "\"6C3D0A10-4A4B-4C5E-9F1A-2B3C4D5E6F70\"}", OPS(RESTORE),
       P "Restore", Q "&RestoreTimeout=30",
       "{\"BackupId\":\"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\","
       "\"BackupLocation\":\"" LOC "\"}", RESTORE),
    OK("Restore from a file share, members in schema order", "POST",
       P "Restore", Q, CT,
       "{\"BackupStorage\":" SHARE ",\"BackupId\":\"" UUID "\","
       "\"BackupLocation\":\"" LOC "\"}", OPS(RESTORE) | OPS(STORAGE),
       P "Restore", Q,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"" LOC "\","
       "\"BackupStorage\":"
       SHARE "}", RESTORE),
    OK("a path spelled oddly is forwarded in its canonical spelling", "POST",
       "/partitions/" UUID "/./x/../$/suspendbackup", Q, CT, "",
       OPS(SUSPEND), P "SuspendBackup", Q, "", SUSPEND),

    /* the Backup Restore service's own calls */

    OK("the policy list is read", "GET", BR, Q "&MaxResults=2", NULL, "", 0,
       BR, Q "&MaxResults=2", "", READ),
    OK("one policy is read", "GET", BR "/Nightly", Q, CT, "", 0,
       BR "/Nightly", Q, "", READ),
    OK("a policy's enabled entities are read", "GET",
       "/backuprestore/backuppolicies/Nightly/$/GetBackupEnabledEntities", Q,
       NULL, "", 0, BR "/Nightly/$/GetBackupEnabledEntities", Q, "", READ),
    OK("Create: a policy re-serialised, its count a number", "POST",
       BR "/$/Create", Q, CT, POLICY, OPS(POLICY), BR "/$/Create", Q,
       POLICY_C, POLICY),
    OK("Update a policy", "POST", BR "/Nightly/$/Update", Q, CT,
       "{\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":true,"
       "\"MaxIncrementalBackups\":0,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Weekly\",\"RunDays\":"
       "[\"Sunday\"],\"RunTimes\":[\"0001-01-01T02:00:00Z\"]},\"Storage\":"
       SHARE ",\"RetentionPolicy\":{\"RetentionPolicyType\":\"Basic\","
       "\"RetentionDuration\":\"P30D\",\"MinimumNumberOfBackups\":\"20\"}}",
       OPS(POLICY), BR "/Nightly/$/Update", Q,
       "{\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":true,"
       "\"MaxIncrementalBackups\":0,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Weekly\",\"RunDays\":"
       "[\"Sunday\"],\"RunTimes\":[\"0001-01-01T02:00:00Z\"]},\"Storage\":"
       SHARE ",\"RetentionPolicy\":{\"RetentionPolicyType\":\"Basic\","
       "\"RetentionDuration\":\"P30D\",\"MinimumNumberOfBackups\":20}}",
       POLICY),
    OK("Delete a policy: no body", "POST", BR "/Nightly/$/Delete", Q, CT, "",
       OPS(POLICY), BR "/Nightly/$/Delete", Q, "", POLICY),
    OK("Create with ValidateConnection (8.0)", "POST", BR "/$/Create",
       "ValidateConnection=True&" Q, CT, POLICY, OPS(POLICY), BR "/$/Create",
       Q "&ValidateConnection=true", POLICY_C, POLICY),
    OK("Update with ValidateConnection false", "POST",
       BR "/Nightly/$/Update", Q "&ValidateConnection=false", CT, POLICY,
       OPS(POLICY), BR "/Nightly/$/Update", Q "&ValidateConnection=false",
       POLICY_C, POLICY),
    NO("ValidateConnection a number", "POST", BR "/$/Create",
       Q "&ValidateConnection=1", CT, POLICY, ALL, QUERY_VALUE_INVALID, NONE),
    NO("ValidateConnection on Delete is unknown", "POST",
       BR "/Nightly/$/Delete", Q "&ValidateConnection=true", CT, "", ALL,
       QUERY_PARAM_UNKNOWN, NONE),
    OK("Create: a policy whose name has a space", "POST", BR "/$/Create", Q,
       CT, "{\"Name\":\"Probe Policy\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       OPS(POLICY), BR "/$/Create", Q,
       "{\"Name\":\"Probe Policy\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       POLICY),
    NO("Create: a policy whose name has a '/'", "POST", BR "/$/Create", Q,
       CT, "{\"Name\":\"a/b\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       ALL, BODY_SCHEMA, NONE),
    OK("Create: RunTimes a time of day, FriendlyName empty", "POST",
       BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":"
       "[\"9:00:00\",\"21:30:00.5\"]},\"Storage\":{\"StorageKind\":"
       "\"FileShare\",\"FriendlyName\":\"\",\"Path\":\"\\\\\\\\fs\\\\b\"}}",
       OPS(POLICY), BR "/$/Create", Q,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":"
       "[\"9:00:00\",\"21:30:00.5\"]},\"Storage\":{\"StorageKind\":"
       "\"FileShare\",\"FriendlyName\":\"\",\"Path\":\"\\\\\\\\fs\\\\b\"}}",
       POLICY),
    NO("Create: RunTimes hour 24", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":"
       "[\"24:00:00\"]},\"Storage\":" BLOB "}", ALL, BODY_SCHEMA, NONE),
    NO("Create: RunTimes without seconds", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":"
       "[\"9:00\"]},\"Storage\":" BLOB "}", ALL, BODY_SCHEMA, NONE),
    OK("a storage query whose entity is only its kind", "POST",
       "/BackupRestore/$/GetBackups", Q, CT, "{\"Storage\":" BLOB
       ",\"BackupEntity\":{\"EntityKind\":\"Partition\"}}",
       OPS(STORAGE_QUERY), "/BackupRestore/$/GetBackups", Q, "{\"Storage\":"
       BLOB ",\"BackupEntity\":{\"EntityKind\":\"Partition\"}}",
       STORAGE_QUERY),
    OK("Backup to a managed identity's blob store (8.0)", "POST",
       P "Backup", Q, CT, "{\"BackupStorage\":{\"StorageKind\":"
       "\"ManagedIdentityAzureBlobStore\",\"ManagedIdentityType\":\"VMSS\","
       "\"BlobServiceUri\":\"https://a.blob.core.windows.net\","
       "\"ContainerName\":\"backups\"}}", OPS(BACKUP) | OPS(STORAGE), P "Backup", Q,
       "{\"BackupStorage\":{\"StorageKind\":"
       "\"ManagedIdentityAzureBlobStore\",\"ManagedIdentityType\":\"VMSS\","
       "\"BlobServiceUri\":\"https://a.blob.core.windows.net\","
       "\"ContainerName\":\"backups\"}}", BACKUP),
    NO("Backup: a managed identity of no known type", "POST", P "Backup", Q,
       CT, "{\"BackupStorage\":{\"StorageKind\":"
       "\"ManagedIdentityAzureBlobStore\",\"ManagedIdentityType\":\"User\","
       "\"BlobServiceUri\":\"https://a.blob.core.windows.net\","
       "\"ContainerName\":\"backups\"}}", ALL, BODY_SCHEMA, NONE),
    NO("a storage query without its entity", "POST",
       "/BackupRestore/$/GetBackups", Q, CT, "{\"Storage\":" BLOB "}", ALL,
       BODY_SCHEMA, NONE),
    OK("a storage query, members in schema order", "POST",
       "/BackupRestore/$/GetBackups", Q, CT, QUERY_B, OPS(STORAGE_QUERY),
       "/BackupRestore/$/GetBackups", Q, QUERY_C, STORAGE_QUERY),

    NO("Create is refused without policy", "POST", BR "/$/Create", Q, CT,
       POLICY, OPS(ENABLE) | OPS(READ) | OPS(STORAGE),
       OPERATION_NOT_ALLOWED, POLICY),
    NO("Delete is refused without policy", "POST", BR "/Nightly/$/Delete", Q,
       CT, "", 0, OPERATION_NOT_ALLOWED, POLICY),
    NO("a storage query is refused without storage_query", "POST",
       "/BackupRestore/$/GetBackups", Q, CT, QUERY_B, 0,
       OPERATION_NOT_ALLOWED, STORAGE_QUERY),
    NO("Create: MaxIncrementalBackups 256", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":256,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       ALL, BODY_SCHEMA, NONE),
    NO("Create: a bad interval", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"4 hours\"},\"Storage\":" BLOB "}",
       ALL, BODY_SCHEMA, NONE),
    NO("Create: an unknown schedule kind", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"Cron\"},\"Storage\":" BLOB "}", ALL, BODY_SCHEMA, NONE),
    NO("Create: a day that is not one", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"TimeBased\",\"ScheduleFrequencyType\":\"Weekly\",\"RunDays\":"
       "[\"Funday\"],\"RunTimes\":[\"0001-01-01T02:00:00Z\"]},\"Storage\":"
       BLOB "}", ALL, BODY_SCHEMA, NONE),
    NO("Create: no storage", "POST", BR "/$/Create", Q, CT,
       "{\"Name\":\"n\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":1,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT1H\"}}", ALL, BODY_SCHEMA,
       NONE),
    NO("Create: no body", "POST", BR "/$/Create", Q, CT, "", ALL,
       BODY_MISSING, NONE),
    NO("a storage query with an unknown entity kind", "POST",
       "/BackupRestore/$/GetBackups", Q, CT, "{\"Storage\":" BLOB
       ",\"BackupEntity\":{\"EntityKind\":\"Cluster\"}}", ALL,
       BODY_SCHEMA, NONE),
    /* one rule for a policy's name (sfb_policy_name_valid()) */
    OK("a policy name with a space, as a body may create it", "GET",
       BR "/Probe Policy", Q, NULL, "", 0, BR "/Probe Policy", Q, "", READ),
    OK("a policy name in UTF-8, updated", "POST",
       BR "/Sauvegarde \xc3\xa9t\xc3\xa9/$/Update", Q, CT,
       "{\"Name\":\"Sauvegarde \\u00e9t\xc3\xa9\",\"AutoRestoreOnDataLoss\":false,"
       "\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       OPS(POLICY), BR "/Sauvegarde \xc3\xa9t\xc3\xa9/$/Update", Q,
       "{\"Name\":\"Sauvegarde \\u00E9t\\u00E9\",\"AutoRestoreOnDataLoss\":"
       "false,\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":"
       "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":" BLOB "}",
       POLICY),
    NO("a policy name ending with a dot", "GET", BR "/Nightly.", Q, NULL, "",
       ALL, ENTITY_NAME_INVALID, NONE),
    NO("a policy name ending with a space", "GET", BR "/Nightly ", Q, NULL,
       "", ALL, ENTITY_NAME_INVALID, NONE),
    NO("a policy name starting with a space", "GET", BR "/ Nightly", Q, NULL,
       "", ALL, ENTITY_NAME_INVALID, NONE),
    NO("a policy name with '~'", "GET", BR "/Night~ly", Q, NULL, "", ALL,
       ENTITY_NAME_INVALID, NONE),
    NO("a policy name with '%'", "GET", BR "/Night%ly", Q, NULL, "", ALL,
       ENTITY_NAME_INVALID, NONE),
    NO("a policy name with a control byte", "GET", BR "/Night\x01ly", Q, NULL,
       "", ALL, ENTITY_NAME_INVALID, NONE),
    NO("a policy name with a C1 control", "GET", BR "/Night\xc2\x85ly", Q,
       NULL, "", ALL, ENTITY_NAME_INVALID, NONE),
    NO("a policy name not UTF-8", "GET", BR "/Night\xffly", Q, NULL, "", ALL,
       ENTITY_NAME_INVALID, NONE),
    NO("a policy called $", "GET", BR "/$", Q, NULL, "", ALL,
       ENTITY_NAME_INVALID, NONE),
    NO("Create on a named policy is not a call", "POST",
       BR "/Nightly/$/Create", Q, CT, POLICY, ALL, PATH_INVALID, NONE),
    NO("Update without a name is not a call", "POST", BR "/$/Update", Q, CT,
       POLICY, ALL, PATH_INVALID, NONE),
    NO("a look-alike of Delete", "POST", BR "/Nightly/$/Deletes", Q, CT, "",
       ALL, PATH_INVALID, NONE),
    NO("POST on the policy list", "POST", BR, Q, CT, "", ALL,
       METHOD_NOT_ALLOWED, NONE),

    /* operations: each refused unless granted, before its body matters */

    NO("DisableBackup is not granted by default", "POST", P "DisableBackup",
       Q, CT, "{\"CleanBackup\":true}", 0, OPERATION_NOT_ALLOWED, DISABLE),
    NO("SuspendBackup is not granted by default", "POST", P "SuspendBackup",
       Q, CT, "", 0, OPERATION_NOT_ALLOWED, SUSPEND),
    NO("ResumeBackup is not granted by default", "POST", A "ResumeBackup", Q,
       CT, "", 0, OPERATION_NOT_ALLOWED, RESUME),
    NO("Backup is not granted by default", "POST", P "Backup", Q, CT, "", 0,
       OPERATION_NOT_ALLOWED, BACKUP),
    NO("Restore is not granted by default, whatever the body", "POST",
       P "Restore", Q, CT, "not json", 0, OPERATION_NOT_ALLOWED, RESTORE),
    NO("read is refused where only enable is granted", "GET",
       P "GetBackups", Q, NULL, "", OPS(ENABLE), OPERATION_NOT_ALLOWED, READ),
    NO("EnableBackup is refused where only read is granted", "POST",
       P "EnableBackup", Q, CT, "{\"BackupPolicyName\":\"Daily\"}",
       OPS(READ), OPERATION_NOT_ALLOWED, ENABLE),
    NO("clean is a permission of its own", "POST", P "DisableBackup", Q, CT,
       "{\"CleanBackup\":true}", OPS(DISABLE), OPERATION_NOT_ALLOWED, CLEAN),
    NO("storage is a permission of its own for Backup", "POST", P "Backup",
       Q, CT, "{\"BackupStorage\":" BLOB "}", OPS(BACKUP),
       OPERATION_NOT_ALLOWED, STORAGE),
    NO("storage is a permission of its own for Restore", "POST",
       P "Restore", Q, CT, "{\"BackupId\":\"" UUID "\",\"BackupLocation\":"
       "\"" LOC "\",\"BackupStorage\":" SHARE "}", OPS(RESTORE),
       OPERATION_NOT_ALLOWED, STORAGE),
    NO("granting clean alone does not grant disable", "POST",
       P "DisableBackup", Q, CT, "", OPS(CLEAN), OPERATION_NOT_ALLOWED,
       DISABLE),

    /* methods */

    NO("GET on DisableBackup", "GET", P "DisableBackup", Q, NULL, "", ALL,
       METHOD_NOT_ALLOWED, NONE),
    NO("POST on GetBackups", "POST", P "GetBackups", Q, CT, "", ALL,
       METHOD_NOT_ALLOWED, NONE),
    NO("PUT on Backup", "PUT", P "Backup", Q, CT, "", ALL,
       METHOD_NOT_ALLOWED, NONE),
    NO("DELETE on Restore", "DELETE", P "Restore", Q, CT, "", ALL,
       METHOD_NOT_ALLOWED, NONE),
    NO("HEAD on GetBackupProgress", "HEAD", P "GetBackupProgress", Q, NULL,
       "", ALL, METHOD_NOT_ALLOWED, NONE),
    NO("a lowercase get is not GET", "get", P "GetRestoreProgress", Q, NULL,
       "", ALL, METHOD_NOT_ALLOWED, NONE),

    /* paths */

    NO("Backup exists for partitions only: not on a service", "POST",
       S "Backup", Q, CT, "", ALL, PATH_INVALID, NONE),
    NO("Restore exists for partitions only: not on an application", "POST",
       A "Restore", Q, CT, "", ALL, PATH_INVALID, NONE),
    NO("GetBackupProgress: not on a service", "GET", S "GetBackupProgress",
       Q, NULL, "", ALL, PATH_INVALID, NONE),
    NO("GetRestoreProgress: not on an application", "GET",
       A "GetRestoreProgress", Q, NULL, "", ALL, PATH_INVALID, NONE),
    NO("a look-alike action is refused, not passed on", "POST",
       P "SuspendBackupNow", Q, CT, "", ALL, PATH_INVALID, NONE),
    NO("a folded look-alike (dotless i) of Restore", "POST",
       P "Restore\xc4\xb1", Q, CT, "", ALL, PATH_INVALID, NONE),
    NO("a Kelvin sign in GetBackups", "GET",
       "/Partitions/" UUID "/$/GetBac\xe2\x84\xaaups", Q, NULL, "", ALL,
       PATH_INVALID, NONE),
    NO("a backslash before the action", "POST",
       "/Partitions/" UUID "/$\\ResumeBackup", Q, CT, "", ALL, PATH_INVALID,
       NONE),
    NO("a bad partition id on Restore", "POST",
       "/Partitions/not-a-uuid/$/Restore", Q, CT, "", ALL,
       PARTITION_ID_INVALID, NONE),
    NO("a partition id with a segment more", "POST",
       "/Partitions/" UUID "/x/$/Backup", Q, CT, "", ALL,
       PARTITION_ID_INVALID, NONE),
    NO("a bad service name on DisableBackup", "POST",
       "/Services/Team A/$/DisableBackup", Q, CT, "", ALL,
       ENTITY_NAME_INVALID, NONE),
    NO("a service name ending in a dot on GetBackups", "GET",
       "/Services/TeamA./$/GetBackups", Q, NULL, "", ALL,
       ENTITY_NAME_INVALID, NONE),

    /* queries */

    NO("api-version missing on SuspendBackup", "POST", P "SuspendBackup",
       "", CT, "", ALL, API_VERSION_MISSING, NONE),
    NO("an unsupported api-version on GetBackups", "GET", P "GetBackups",
       "api-version=1.0", NULL, "", ALL, API_VERSION_UNSUPPORTED, NONE),
    NO("timeout zero on ResumeBackup", "POST", P "ResumeBackup",
       Q "&timeout=0", CT, "", ALL, TIMEOUT_OUT_OF_RANGE, NONE),
    NO("BackupTimeout on Restore is unknown", "POST", P "Restore",
       Q "&BackupTimeout=5", CT, "", ALL, QUERY_PARAM_UNKNOWN, NONE),
    NO("RestoreTimeout on Backup is unknown", "POST", P "Backup",
       Q "&RestoreTimeout=5", CT, "", ALL, QUERY_PARAM_UNKNOWN, NONE),
    NO("Latest on GetBackupProgress is unknown", "GET",
       P "GetBackupProgress", Q "&Latest=true", NULL, "", ALL,
       QUERY_PARAM_UNKNOWN, NONE),
    OK("a partition's GetBackups pages, as the 8.1 and 8.2 examples do",
       "GET", P "GetBackups", Q "&MaxResults=5&ContinuationToken=x%24y", NULL,
       "", 0, P "GetBackups", Q "&ContinuationToken=x%24y&MaxResults=5", "",
       READ),
    NO("ContinuationToken on a partition's configuration is unknown", "GET",
       P "GetBackupConfigurationInfo", Q "&ContinuationToken=x", NULL, "",
       ALL, QUERY_PARAM_UNKNOWN, NONE),
    NO("a recased parameter name is unknown", "POST", P "Backup",
       Q "&backuptimeout=5", CT, "", ALL, QUERY_PARAM_UNKNOWN, NONE),
    NO("an encoded parameter name is unknown", "GET", A "GetBackups",
       Q "&Lat%65st=true", NULL, "", ALL, QUERY_PARAM_UNKNOWN, NONE),
    NO("BackupTimeout twice", "POST", P "Backup",
       Q "&BackupTimeout=5&BackupTimeout=6", CT, "", ALL,
       QUERY_PARAM_REPEATED, NONE),
    NO("Latest twice", "GET", S "GetBackups", Q "&Latest=true&Latest=true",
       NULL, "", ALL, QUERY_PARAM_REPEATED, NONE),
    NO("MaxResults twice", "GET", A "GetBackupConfigurationInfo",
       Q "&MaxResults=1&MaxResults=1", NULL, "", ALL, QUERY_PARAM_REPEATED,
       NONE),
    NO("BackupTimeout zero", "POST", P "Backup", Q "&BackupTimeout=0", CT, "",
       ALL, QUERY_VALUE_INVALID, NONE),
    OK("BackupTimeout above a day: the specification sets no maximum",
       "POST", P "Backup", Q "&BackupTimeout=2147483647", CT, "", ALL,
       P "Backup", Q "&BackupTimeout=2147483647", "", BACKUP),
    NO("BackupTimeout past an int32", "POST", P "Backup",
       Q "&BackupTimeout=2147483648", CT, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("RestoreTimeout 0", "POST", P "Restore",
       Q "&RestoreTimeout=0&Latest=true", NULL, "", ALL, QUERY_VALUE_INVALID,
       NONE),
    NO("BackupTimeout negative", "POST", P "Backup", Q "&BackupTimeout=-5",
       CT, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("BackupTimeout with a sign", "POST", P "Backup",
       Q "&BackupTimeout=%2B5", CT, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("BackupTimeout empty", "POST", P "Backup", Q "&BackupTimeout=", CT,
       "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("BackupTimeout in hex", "POST", P "Backup", Q "&BackupTimeout=0x10",
       CT, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("RestoreTimeout huge", "POST", P "Restore",
       Q "&RestoreTimeout=99999999999999999999999", CT, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("RestoreTimeout with a space", "POST", P "Restore",
       Q "&RestoreTimeout=%205", CT, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("Latest yes", "GET", P "GetBackups", Q "&Latest=yes", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("Latest 1", "GET", P "GetBackups", Q "&Latest=1", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("Latest empty", "GET", P "GetBackups", Q "&Latest=", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("Latest truex", "GET", P "GetBackups", Q "&Latest=truex", NULL, "",
       ALL, QUERY_VALUE_INVALID, NONE),
    NO("a date without time", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-01", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with month 13", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-13-01T00:00:00Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with hour 24", "GET", P "GetBackups",
       Q "&EndDateTimeFilter=2026-01-01T24:00:00Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date without a zone", "GET", P "GetBackups",
       Q "&EndDateTimeFilter=2026-01-01T00:00:00", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    OK("a raw + in a date is a plus, forwarded encoded: no space to guess",
       "GET", P "GetBackups", Q "&EndDateTimeFilter=2026-01-01T00:00:00+01:00",
       NULL, "", 0, P "GetBackups",
       Q "&EndDateTimeFilter=2026-01-01T00%3A00%3A00%2B01%3A00", "", READ),
    NO("a date with eight fraction digits", "GET", P "GetBackups",
       Q "&EndDateTimeFilter=2026-01-01T00:00:00.12345678Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with an empty fraction", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-01T00:00:00.Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with a zone hour 24", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-01T00:00:00%2B24:00", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with trailing bytes", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-01T00:00:00Zjunk", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with day 32", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-32T00:00:00Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("a date with minute 60", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=2026-01-01T00:60:00Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("MaxResults with a plus", "GET", A "GetBackups", Q "&MaxResults=%2B1",
       NULL, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("a date of year 0", "GET", P "GetBackups",
       Q "&StartDateTimeFilter=0000-01-01T00:00:00Z", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("MaxResults negative", "GET", S "GetBackups", Q "&MaxResults=-1",
       NULL, "", ALL, QUERY_VALUE_INVALID, NONE),
    OK("MaxResults above 2^31-1: an int64", "GET", S "GetBackups",
       Q "&MaxResults=9223372036854775807", NULL, "", 0, S "GetBackups",
       Q "&MaxResults=9223372036854775807", "", READ),
    NO("MaxResults above 2^63-1", "GET", S "GetBackups",
       Q "&MaxResults=9223372036854775808", NULL, "", ALL,
       QUERY_VALUE_INVALID, NONE),
    NO("MaxResults a word", "GET", S "GetBackups", Q "&MaxResults=all",
       NULL, "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("ContinuationToken empty", "GET", S "GetBackups",
       Q "&ContinuationToken=", NULL, "", ALL, QUERY_VALUE_INVALID, NONE),
    OK("ContinuationToken with a space, a policy's name", "GET", BR,
       Q "&ContinuationToken=Probe%20Policy", NULL, "", 0, BR,
       Q "&ContinuationToken=Probe%20Policy", "", READ),
    OK("ContinuationToken non-ASCII, forwarded encoded", "GET",
       S "GetBackups", Q "&ContinuationToken=%C3%A9", NULL, "", 0,
       S "GetBackups", Q "&ContinuationToken=%C3%A9", "", READ),
    NO("ContinuationToken not UTF-8", "GET", S "GetBackups",
       Q "&ContinuationToken=a%FFb", NULL, "", ALL, QUERY_VALUE_INVALID,
       NONE),
    NO("a malformed query on GetBackups", "GET", P "GetBackups",
       Q "&&Latest=true", NULL, "", ALL, QUERY_MALFORMED, NONE),
    NO("a bad escape on Backup", "POST", P "Backup", Q "&BackupTimeout=%G1",
       CT, "", ALL, QUERY_MALFORMED, NONE),

    /* Content-Type */

    NO("a form Content-Type on SuspendBackup", "POST", P "SuspendBackup", Q,
       "application/x-www-form-urlencoded", "", ALL,
       CONTENT_TYPE_UNSUPPORTED, NONE),
    NO("Restore needs JSON", "POST", P "Restore", Q, NULL,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"x\"}", ALL,
       CONTENT_TYPE_UNSUPPORTED, NONE),
    NO("text on a GET", "GET", P "GetBackups", Q, "text/plain", "", ALL,
       CONTENT_TYPE_UNSUPPORTED, NONE),

    /* bodies: the calls without one */

    NO("SuspendBackup with a body", "POST", P "SuspendBackup", Q, CT, "{}",
       ALL, BODY_NOT_EMPTY, NONE),
    NO("ResumeBackup with a space for a body", "POST", P "ResumeBackup", Q,
       CT, " ", ALL, BODY_NOT_EMPTY, NONE),
    NO("GetBackups with a body", "GET", P "GetBackups", Q, CT, "x", ALL,
       BODY_NOT_EMPTY, NONE),
    NO("GetBackupProgress with a JSON body", "GET", P "GetBackupProgress", Q,
       CT, "{\"a\":1}", ALL, BODY_NOT_EMPTY, NONE),
    NO("GetRestoreProgress with null", "GET", P "GetRestoreProgress", Q, CT,
       "null", ALL, BODY_NOT_EMPTY, NONE),
    NO("GetBackupConfigurationInfo with a body", "GET",
       A "GetBackupConfigurationInfo", Q, CT, "[]", ALL, BODY_NOT_EMPTY,
       NONE),

    /* bodies: DisableBackup */

    NO("DisableBackup: not JSON", "POST", P "DisableBackup", Q, CT, "yes",
       ALL, BODY_INVALID_JSON, NONE),
    NO("DisableBackup: an array", "POST", P "DisableBackup", Q, CT, "[]",
       ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: an empty object", "POST", P "DisableBackup", Q, CT,
       "{}", ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: CleanBackup a string", "POST", P "DisableBackup", Q,
       CT, "{\"CleanBackup\":\"true\"}", ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: CleanBackup a number", "POST", P "DisableBackup", Q,
       CT, "{\"CleanBackup\":1}", ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: CleanBackup null", "POST", P "DisableBackup", Q, CT,
       "{\"CleanBackup\":null}", ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: a case variant of CleanBackup", "POST",
       P "DisableBackup", Q, CT, "{\"cleanBackup\":true}", ALL, BODY_SCHEMA,
       NONE),
    NO("DisableBackup: CleanBackup twice", "POST", P "DisableBackup", Q, CT,
       "{\"CleanBackup\":false,\"CleanBackup\":true}", ALL,
       BODY_INVALID_JSON, NONE),
    NO("DisableBackup: an extra member", "POST", P "DisableBackup", Q, CT,
       "{\"CleanBackup\":false,\"Force\":true}", ALL, BODY_SCHEMA, NONE),
    NO("DisableBackup: trailing bytes", "POST", P "DisableBackup", Q, CT,
       "{\"CleanBackup\":false} x", ALL, BODY_INVALID_JSON, NONE),

    /* bodies: Backup and its storage */

    OK("Backup: an empty object, as the 8.2 example sends", "POST", P "Backup",
       Q, CT, "{}", OPS(BACKUP), P "Backup", Q, "{}", BACKUP),
    NO("Backup: BackupStorage null", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":null}", ALL, BODY_SCHEMA, NONE),
    NO("Backup: BackupStorage a string", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":\"AzureBlobStore\"}", ALL, BODY_SCHEMA, NONE),
    NO("Backup: no StorageKind", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"ContainerName\":\"c\"}}", ALL, BODY_SCHEMA,
       NONE),
    NO("Backup: an unknown StorageKind", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"S3\"}}", ALL, BODY_SCHEMA,
       NONE),
    NO("Backup: StorageKind in another case", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"azureblobstore\","
       "\"ConnectionString\":\"x\",\"ContainerName\":\"c\"}}", ALL,
       BODY_SCHEMA, NONE),
    NO("Backup: a blob store without its container", "POST", P "Backup", Q,
       CT, "{\"BackupStorage\":{\"StorageKind\":\"AzureBlobStore\","
       "\"ConnectionString\":\"x\"}}", ALL, BODY_SCHEMA, NONE),
    NO("Backup: a blob store with a file share's member", "POST", P "Backup",
       Q, CT, "{\"BackupStorage\":{\"StorageKind\":\"AzureBlobStore\","
       "\"ConnectionString\":\"x\",\"ContainerName\":\"c\",\"Path\":\"p\"}}",
       ALL, BODY_SCHEMA, NONE),
    NO("Backup: a file share without its path", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"FileShare\"}}", ALL,
       BODY_SCHEMA, NONE),
    NO("Backup: a password that is not a string", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"FileShare\",\"Path\":\"p\","
       "\"PrimaryPassword\":123}}", ALL, BODY_SCHEMA, NONE),
    NO("Backup: an empty container name", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"AzureBlobStore\","
       "\"ConnectionString\":\"x\",\"ContainerName\":\"\"}}", ALL,
       BODY_SCHEMA, NONE),
    NO("Backup: a managed identity store without its URI", "POST",
       P "Backup", Q, CT, "{\"BackupStorage\":{\"StorageKind\":"
       "\"ManagedIdentityAzureBlobStore\",\"ManagedIdentityType\":\"VMSS\","
       "\"ContainerName\":\"c\"}}", ALL, BODY_SCHEMA, NONE),
    NO("Backup: a dSMS store without its container", "POST", P "Backup", Q,
       CT, "{\"BackupStorage\":{\"StorageKind\":\"DsmsAzureBlobStore\","
       "\"StorageCredentialsSourceLocation\":\"x\"}}", ALL, BODY_SCHEMA,
       NONE),
    NO("Backup: a member beside BackupStorage", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":" BLOB ",\"Urgent\":true}", ALL, BODY_SCHEMA,
       NONE),
    NO("Backup: a duplicated member inside the storage", "POST", P "Backup",
       Q, CT, "{\"BackupStorage\":{\"StorageKind\":\"FileShare\","
       "\"Path\":\"a\",\"Path\":\"b\"}}", ALL, BODY_INVALID_JSON, NONE),
    NO("Backup: a FriendlyName that is a number", "POST", P "Backup", Q, CT,
       "{\"BackupStorage\":{\"StorageKind\":\"FileShare\",\"Path\":\"a\","
       "\"FriendlyName\":7}}", ALL, BODY_SCHEMA, NONE),

    /* bodies: Restore */

    NO("Restore: no body", "POST", P "Restore", Q, CT, "", ALL, BODY_MISSING,
       NONE),
    OK("Restore: the latest backup, no body (9.1)", "POST", P "Restore",
       "Latest=TRUE&" Q, NULL, "", OPS(RESTORE), P "Restore",
       Q "&Latest=true", "", RESTORE),
    NO("Restore: Latest false and no body", "POST", P "Restore",
       Q "&Latest=false", CT, "", ALL, BODY_MISSING, NONE),
    NO("Restore: Latest true and a body", "POST", P "Restore",
       Q "&Latest=true", CT, "{\"BackupId\":\"" UUID "\",\"BackupLocation\":"
       "\"" LOC "\"}", ALL, BODY_NOT_EMPTY, NONE),
    NO("Restore: Latest a word", "POST", P "Restore", Q "&Latest=yes", NULL,
       "", ALL, QUERY_VALUE_INVALID, NONE),
    NO("Restore: no BackupId", "POST", P "Restore", Q, CT,
       "{\"BackupLocation\":\"x\"}", ALL, BODY_SCHEMA, NONE),
    NO("Restore: no BackupLocation", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\"}", ALL, BODY_SCHEMA, NONE),
    NO("Restore: BackupId not a UUID", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"latest\",\"BackupLocation\":\"x\"}", ALL,
       BODY_SCHEMA, NONE),
    NO("Restore: BackupId in braces", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"{" UUID "}\",\"BackupLocation\":\"x\"}", ALL,
       BODY_SCHEMA, NONE),
    NO("Restore: BackupId a number", "POST", P "Restore", Q, CT,
       "{\"BackupId\":1,\"BackupLocation\":\"x\"}", ALL, BODY_SCHEMA, NONE),
    NO("Restore: an empty BackupLocation", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"\"}", ALL,
       BODY_SCHEMA, NONE),
    NO("Restore: an unknown member", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"x\",\"Force\":1}",
       ALL, BODY_SCHEMA, NONE),
    NO("Restore: a bad storage", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"x\","
       "\"BackupStorage\":{}}", ALL, BODY_SCHEMA, NONE),
    NO("Restore: a string for a body", "POST", P "Restore", Q, CT,
       "\"restore\"", ALL, BODY_INVALID_JSON, NONE),
    NO("Restore: a NUL escape in the location", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"a\\u0000b\"}", ALL,
       BODY_INVALID_JSON, NONE),
    NO("Restore: invalid UTF-8", "POST", P "Restore", Q, CT,
       "{\"BackupId\":\"" UUID "\",\"BackupLocation\":\"\xff\"}", ALL,
       BODY_INVALID_JSON, NONE)
};


static int
contains(const char *hay, size_t n, const char *needle)
{
    size_t  k;

    k = strlen(needle);

    while (n >= k) {
        if (memcmp(hay, needle, k) == 0) {
            return 1;
        }

        hay++;
        n--;
    }

    return 0;
}


static void
test_cases(void)
{
    char             msg[1024];
    size_t           i, n, nbad;
    sfb_reason_e     rc;
    sfb_rules_t      rules;
    sfb_request_t    req;
    sfb_decision_t   d;
    unsigned char   *scratch;
    const char      *cur;
    static const sfb_str_t  versions[] = { sfb_str_lit("6.4") };
    static const sfb_str_t  allowed[] = { sfb_str_lit("Daily") };

    sfb_rules_init(&rules);
    rules.api_versions = versions;
    rules.n_api_versions = 1;

    nbad = 0;

    for (i = 0; i < N(cases); i++) {
        const surface_case_t  *c = &cases[i];

        memset(&req, 0, sizeof(req));
        req.method.data = (const unsigned char *) c->method;
        req.method.len = strlen(c->method);
        req.uri.data = (const unsigned char *) c->uri;
        req.uri.len = strlen(c->uri);
        req.args.data = (const unsigned char *) c->args;
        req.args.len = strlen(c->args);
        req.content_type.data = (const unsigned char *) c->ct;
        req.content_type.len = c->ct ? strlen(c->ct) : 0;
        req.content_type_count = c->ct ? 1 : 0;
        req.body.data = (const unsigned char *) c->body;
        req.body.len = strlen(c->body);
        req.operations = c->ops;
        req.allowed = allowed;
        req.n_allowed = 1;

        n = sfb_decide_scratch_size(&rules, &req);
        scratch = malloc(n);

        rc = sfb_decide(&rules, &req, &d, scratch, n);

        if (!ok(rc == c->reason, "surface: %s: %s", c->name,
                sfb_reason_name(c->reason)))
        {
            printf("#     got %s\n", sfb_reason_name(rc));
        }

        if (c->reason != SFB_REASON_ALLOWED) {
            nbad++;

            if (c->reason == SFB_REASON_OPERATION_NOT_ALLOWED) {
                cur = sfb_operation_name(d.operation);
                ok(strcmp(cur, sfb_operation_name(c->op)) == 0,
                   "surface: %s: names operation '%s' (got '%s')", c->name,
                   sfb_operation_name(c->op), cur);
            }

            /* the answer's words never carry a secret of the body */
            n = sfb_describe(rc, &d, &rules, msg, sizeof(msg));
            ok(!contains(msg, n, KEY) && !contains(msg, n, "pw-"),
               "surface: %s: the message carries no secret", c->name);

            free(scratch);
            continue;
        }

        is_mem(d.canonical_path.data, d.canonical_path.len, c->path,
               "surface: %s: forwarded path", c->name);
        is_mem(d.canonical_query.data, d.canonical_query.len, c->query,
               "surface: %s: forwarded query", c->name);
        is_mem(d.canonical_body.data, d.canonical_body.len, c->fwd_body,
               "surface: %s: forwarded body", c->name);
        ok(d.operation == c->op, "surface: %s: operation '%s'", c->name,
           sfb_operation_name(c->op));

        free(scratch);
    }

    ok(nbad >= 120, "surface: %zu bad inputs", nbad);
}


static void
test_storage_summary(void)
{
    char             detail[SFB_DETAIL_SIZE];
    sfb_body_t       b;
    sfb_rules_t      rules;
    sfb_reason_e     rc;
    unsigned char    buf[4096];
    static const char  blob[] = "{\"BackupStorage\":" BLOB "}";
    static const char  share[] = "{\"BackupStorage\":" SHARE "}";
    static const char  managed[] = "{\"BackupStorage\":{\"StorageKind\":"
        "\"ManagedIdentityAzureBlobStore\",\"ManagedIdentityType\":\"VMSS\","
        "\"BlobServiceUri\":\"https://a.blob.core.windows.net/?sig=SECRET\","
        "\"ContainerName\":\"c\"}}";

    sfb_rules_init(&rules);

    rc = sfb_parse_body_for(&rules, SFB_BODY_BACKUP,
                            (const unsigned char *) blob, strlen(blob), &b,
                            buf, sizeof(buf), detail, sizeof(detail));
    ok(rc == SFB_REASON_NONE && b.has_storage
       && strcmp(b.storage, "AzureBlobStore account=evil container=loot")
          == 0,
       "storage: a blob store is summarised by account and container "
       "(got '%s')", b.storage);

    rc = sfb_parse_body_for(&rules, SFB_BODY_BACKUP,
                            (const unsigned char *) share, strlen(share), &b,
                            buf, sizeof(buf), detail, sizeof(detail));
    ok(rc == SFB_REASON_NONE && strstr(b.storage, "FileShare path=") == b.storage
       && strstr(b.storage, "pw-") == NULL,
       "storage: a file share by its path, never its password (got '%s')",
       b.storage);

    rc = sfb_parse_body_for(&rules, SFB_BODY_BACKUP,
                            (const unsigned char *) managed, strlen(managed),
                            &b, buf, sizeof(buf), detail, sizeof(detail));
    /* a managed identity needs no token: a query is refused, unquoted */
    ok(rc == SFB_REASON_BODY_SCHEMA && strstr(detail, "SECRET") == NULL
       && strstr(detail, "BlobServiceUri") != NULL,
       "storage: a BlobServiceUri with a query is refused without quoting "
       "it (got '%s')", detail);
}


static void
test_json_error_hides_input(void)
{
    char             detail[SFB_DETAIL_SIZE];
    sfb_body_t       b;
    sfb_rules_t      rules;
    sfb_reason_e     rc;
    unsigned char    buf[4096];
    static const char  cut[] = "{\"BackupStorage\":{\"StorageKind\":"
        "\"AzureBlobStore\",\"ConnectionString\":\"AccountKey=" KEY;

    sfb_rules_init(&rules);

    rc = sfb_parse_body_for(&rules, SFB_BODY_BACKUP,
                            (const unsigned char *) cut, strlen(cut), &b,
                            buf, sizeof(buf), detail, sizeof(detail));
    ok(rc == SFB_REASON_BODY_INVALID_JSON && strstr(detail, KEY) == NULL
       && strstr(detail, "AccountKey") == NULL,
       "json: a cut body's error names no byte of it (got '%s')", detail);
}


int
main(void)
{
    test_cases();
    test_storage_summary();
    test_json_error_hides_input();

    return done_testing();
}
