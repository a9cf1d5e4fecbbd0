/*
 * sf-backup-gate: the bodies of the backup and restore surface beyond
 * EnableBackup, as data: each body a list of members, each member a type;
 * an object whose shape depends on a kind member (a storage, a schedule, a
 * retention policy, a backup entity) a variant, a list of kinds each with
 * its members.  sfb_schema.c checks a body against them.
 */

#include "sfb_schema_impl.h"


/* BackupStorageDescription */

static const sfb_member_t  sfb_azure_blob[] = {
    { "ConnectionString", SFB_M_SECRET, 1, { NULL } },
    { "ContainerName", SFB_M_STRING, 1, { NULL } }
};

static const sfb_member_t  sfb_file_share[] = {
    { "Path", SFB_M_STRING, 1, { NULL } },
    { "PrimaryUserName", SFB_M_STRING, 0, { NULL } },
    { "PrimaryPassword", SFB_M_SECRET, 0, { NULL } },
    { "SecondaryUserName", SFB_M_STRING, 0, { NULL } },
    { "SecondaryPassword", SFB_M_SECRET, 0, { NULL } }
};

static const sfb_member_t  sfb_dsms_blob[] = {
    { "StorageCredentialsSourceLocation", SFB_M_STRING, 1, { NULL } },
    { "ContainerName", SFB_M_STRING, 1, { NULL } }
};

/* 8.0: the identity the cluster authenticates to the blob store as */
static const char *const  sfb_identity_names[] = {
    "Invalid", "VMSS", "Cluster"
};

static const sfb_words_t  sfb_identity_types = {
    sfb_identity_names, SFB_N(sfb_identity_names)
};

static const sfb_member_t  sfb_managed_blob[] = {
    { "ManagedIdentityType", SFB_M_ENUM, 1,
      { .values = &sfb_identity_types } },
    { "BlobServiceUri", SFB_M_STRING, 1, { NULL } },
    { "ContainerName", SFB_M_STRING, 1, { NULL } }
};

static const sfb_shape_t  sfb_storage_shapes[] = {
    { "AzureBlobStore", sfb_azure_blob, SFB_N(sfb_azure_blob) },
    { "FileShare", sfb_file_share, SFB_N(sfb_file_share) },
    { "DsmsAzureBlobStore", sfb_dsms_blob, SFB_N(sfb_dsms_blob) },
    { "ManagedIdentityAzureBlobStore", sfb_managed_blob,
      SFB_N(sfb_managed_blob) }
};

static const sfb_member_t  sfb_friendly_name = {
    "FriendlyName", SFB_M_TEXT, 0, { NULL }
};

static const sfb_variant_t  sfb_storage = {
    "StorageKind", &sfb_friendly_name, sfb_storage_shapes,
    SFB_N(sfb_storage_shapes), 1
};


/* BackupScheduleDescription */

static const sfb_member_t  sfb_frequency_based[] = {
    { "Interval", SFB_M_DURATION, 1, { NULL } }
};

static const char *const  sfb_frequency_names[] = { "Daily", "Weekly" };

static const sfb_words_t  sfb_frequency_types = {
    sfb_frequency_names, SFB_N(sfb_frequency_names)
};

static const sfb_member_t  sfb_time_based[] = {
    { "ScheduleFrequencyType", SFB_M_ENUM, 1,
      { .values = &sfb_frequency_types } },
    { "RunDays", SFB_M_DAYS, 0, { NULL } },
    { "RunTimes", SFB_M_TIMES, 1, { NULL } }
};

static const sfb_shape_t  sfb_schedule_shapes[] = {
    { "FrequencyBased", sfb_frequency_based, SFB_N(sfb_frequency_based) },
    { "TimeBased", sfb_time_based, SFB_N(sfb_time_based) }
};

static const sfb_variant_t  sfb_schedule = {
    "ScheduleKind", NULL, sfb_schedule_shapes, SFB_N(sfb_schedule_shapes), 0
};


/* RetentionPolicyDescription */

static const sfb_member_t  sfb_basic_retention[] = {
    { "RetentionDuration", SFB_M_DURATION, 1, { NULL } },
    { "MinimumNumberOfBackups", SFB_M_COUNT, 0, { NULL } }
};

static const sfb_shape_t  sfb_retention_shapes[] = {
    { "Basic", sfb_basic_retention, SFB_N(sfb_basic_retention) }
};

static const sfb_variant_t  sfb_retention = {
    "RetentionPolicyType", NULL, sfb_retention_shapes,
    SFB_N(sfb_retention_shapes), 0
};


/* BackupEntity */

/* EntityKind is a BackupEntity's only required member: one without a name
 * is every such entity in the storage, which a scoped caller may not ask
 * for (the glue finds no name in scope) */
static const sfb_member_t  sfb_partition_entity[] = {
    { "ServiceName", SFB_M_NAME, 0, { NULL } },
    { "PartitionId", SFB_M_UUID, 0, { NULL } }
};

static const sfb_member_t  sfb_service_entity[] = {
    { "ServiceName", SFB_M_NAME, 0, { NULL } }
};

static const sfb_member_t  sfb_application_entity[] = {
    { "ApplicationName", SFB_M_NAME, 0, { NULL } }
};

static const sfb_shape_t  sfb_entity_shapes[] = {
    { "Partition", sfb_partition_entity, SFB_N(sfb_partition_entity) },
    { "Service", sfb_service_entity, SFB_N(sfb_service_entity) },
    { "Application", sfb_application_entity,
      SFB_N(sfb_application_entity) }
};

static const sfb_variant_t  sfb_entity = {
    "EntityKind", NULL, sfb_entity_shapes, SFB_N(sfb_entity_shapes), 0
};


/* the bodies */

static const sfb_member_t  sfb_disable_body[] = {
    { "CleanBackup", SFB_M_BOOL, 1, { NULL } }
};

/* BackupPartitionDescription: no required member, so {} is a backup to
 * the policy's storage, as no body is */
static const sfb_member_t  sfb_backup_body[] = {
    { "BackupStorage", SFB_M_VARIANT, 0, { &sfb_storage } }
};

static const sfb_member_t  sfb_restore_body[] = {
    { "BackupId", SFB_M_UUID, 1, { NULL } },
    { "BackupLocation", SFB_M_LOCATION, 1, { NULL } },
    { "BackupStorage", SFB_M_VARIANT, 0, { &sfb_storage } }
};

static const sfb_member_t  sfb_policy_body[] = {
    { "Name", SFB_M_POLICY_NAME, 1, { NULL } },
    { "AutoRestoreOnDataLoss", SFB_M_BOOL, 1, { NULL } },
    { "MaxIncrementalBackups", SFB_M_BYTE, 1, { NULL } },
    { "Schedule", SFB_M_VARIANT, 1, { &sfb_schedule } },
    { "Storage", SFB_M_VARIANT, 1, { &sfb_storage } },
    { "RetentionPolicy", SFB_M_VARIANT, 0, { &sfb_retention } }
};

static const sfb_member_t  sfb_storage_query_body[] = {
    { "Storage", SFB_M_VARIANT, 1, { &sfb_storage } },
    { "BackupEntity", SFB_M_VARIANT, 1, { &sfb_entity } },
    { "Latest", SFB_M_BOOL, 0, { NULL } },
    { "StartDateTimeFilter", SFB_M_DATE_TIME, 0, { NULL } },
    { "EndDateTimeFilter", SFB_M_DATE_TIME, 0, { NULL } }
};


const sfb_member_t *
sfb_body_members(sfb_body_kind_e kind, size_t *n)
{
    switch (kind) {

    case SFB_BODY_DISABLE:
        *n = SFB_N(sfb_disable_body);
        return sfb_disable_body;

    case SFB_BODY_BACKUP:
        *n = SFB_N(sfb_backup_body);
        return sfb_backup_body;

    case SFB_BODY_RESTORE:
        *n = SFB_N(sfb_restore_body);
        return sfb_restore_body;

    case SFB_BODY_POLICY:
        *n = SFB_N(sfb_policy_body);
        return sfb_policy_body;

    case SFB_BODY_STORAGE_QUERY:
        *n = SFB_N(sfb_storage_query_body);
        return sfb_storage_query_body;

    default:
        *n = 0;
        return NULL;
    }
}
