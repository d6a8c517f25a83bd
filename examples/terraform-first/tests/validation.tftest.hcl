# The module refuses bad inputs at plan time, with its own messages.

mock_provider "aws" {
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
}

variables {
  name           = "acme-cc-test"
  instance_alias = "acme-contact-test"
  key_deployers  = ["arn:aws:iam::111122223333:role/ConnectTerraform"]
}

# Each listed input must be refused by its own validation rule (and nothing else may fail).
run "bad_inputs_for_a_new_instance_are_refused" {
  command = plan
  module { source = "../../module" }
  variables {
    name                                   = "Acme_CC"
    instance_alias                         = "d-contact"
    key_rotation_period_in_days            = 30
    key_deletion_window_in_days            = 31
    key_users                              = ["*"]
    bucket_name                            = "Upper.Case"
    s3_storage                             = { CALL_RECORDING = {} }
    stream_retention_hours                 = 8761
    stream_shard_count                     = 2
    contact_trace_records_destination      = "kinesis-firehose"
    media_streams_retention_hours          = 87601
    noncurrent_version_expiration_days     = 0
    abort_incomplete_multipart_upload_days = 0
    alert_emails                           = ["not-an-address"]
  }
  expect_failures = [
    var.alert_emails,
    var.noncurrent_version_expiration_days,
    var.abort_incomplete_multipart_upload_days,
    var.name,
    var.instance_alias,
    var.key_rotation_period_in_days,
    var.key_deletion_window_in_days,
    var.key_users,
    var.bucket_name,
    var.s3_storage,
    var.stream_retention_hours,
    var.stream_shard_count,
    var.contact_trace_records_destination,
    var.media_streams_retention_hours,
  ]
}

# object_lock's rules read s3_storage and contact_trace_records_destination: Terraform checks them only
# when those inputs are valid themselves, so object_lock is refused in runs of its own.
run "an_object_lock_mode_that_does_not_exist" {
  command = plan
  module { source = "../../module" }
  variables {
    object_lock = { mode = "LEGAL_HOLD", days = 1, locked_types = ["CALL_RECORDINGS"] }
  }
  expect_failures = [var.object_lock]
}

# Before locked_types existed every stored type was locked: a call that stores other types says which it locks.
run "object_lock_without_locked_types_while_other_types_are_stored" {
  command = plan
  module { source = "../../module" }
  variables {
    object_lock = { mode = "COMPLIANCE", years = 7 }
  }
  expect_failures = [var.object_lock]
}

run "object_lock_locking_a_type_that_is_not_stored" {
  command = plan
  module { source = "../../module" }
  variables {
    object_lock = { mode = "COMPLIANCE", years = 7, locked_types = ["EMAIL_MESSAGES"] }
  }
  expect_failures = [var.object_lock]
}

run "an_adopt_id_that_is_neither_an_id_nor_an_arn_and_a_prefix_under_contact_lens_output" {
  command = plan
  module { source = "../../module" }
  variables {
    create_instance = false
    instance_alias  = null
    instance_id     = "i-1234567890"
    s3_storage      = { CALL_RECORDINGS = { prefix = "Analysis/Voice" } }
  }
  expect_failures = [var.instance_id, var.s3_storage]
}

run "an_expiry_too_soon_after_the_glacier_transition" {
  command = plan
  module { source = "../../module" }
  variables {
    transition_to_glacier_ir_after_days = 90
    expire_after_days                   = 120
  }
  expect_failures = [var.expire_after_days]
}

run "an_existing_instance_without_its_id" {
  command = plan
  module { source = "../../module" }
  variables {
    create_instance = false
    instance_alias  = null
  }
  expect_failures = [var.instance_id]
}

run "both_an_alias_and_an_existing_instance" {
  command = plan
  module { source = "../../module" }
  variables {
    create_instance = false
    instance_id     = "11111111-2222-3333-4444-555555555555"
  }
  expect_failures = [var.instance_alias]
}

run "valid_inputs_plan" {
  command = plan
  module { source = "../../module" }
  variables {
    s3_storage                          = { CALL_RECORDINGS = { prefix = "recordings" }, SCHEDULED_REPORTS = {} }
    contact_trace_records_destination   = "kinesis"
    stream_capacity_mode                = "PROVISIONED"
    stream_shard_count                  = 2
    key_administrators                  = ["arn:aws:iam::111122223333:role/KeyAdmin"]
    key_auditors                        = ["arn:aws:iam::111122223333:role/ComplianceAuditor"]
    key_consumers                       = ["arn:aws:iam::111122223333:role/ContactAnalytics"]
    stream_consumer_role_arns           = ["arn:aws:iam::111122223333:role/CtrConsumer"]
    transition_to_glacier_ir_after_days = 90
    expire_after_days                   = 2557
    noncurrent_version_expiration_days  = 90
    alert_emails                        = ["soc@example.com"]
    object_lock                         = { mode = "COMPLIANCE", years = 7, locked_types = ["CALL_RECORDINGS"] }
    customer_profiles_domain_name       = "acme-profiles"
  }

  assert {
    condition = (
      aws_s3_bucket.recordings.object_lock_enabled
      && one(aws_s3_bucket_object_lock_configuration.recordings_object_lock[*].rule[0].default_retention[0].mode) == "COMPLIANCE"
      && one(aws_s3_bucket_object_lock_configuration.recordings_object_lock[*].rule[0].default_retention[0].years) == 7
      && one(aws_customerprofiles_domain.customer_profiles[*].domain_name) == "acme-profiles"
    )
    error_message = "Object Lock and the Customer Profiles domain must be planned as asked"
  }

  assert {
    condition = (
      length(aws_s3_bucket.access_logs) == 1
      && one(aws_s3_bucket_logging.recordings_access_logs[*].target_prefix) == "recordings/"
      && length(aws_cloudwatch_event_rule.key_alerts) == 1
      && one(aws_sns_topic_subscription.key_alerts_email[*].endpoint) == "soc@example.com"
    )
    error_message = "access logs and key-misuse alerts must be on by default, with the subscriptions asked for"
  }

  assert {
    condition = (
      aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule[0].expiration[0].days == 2557
      && one(aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule[0].transition).storage_class == "GLACIER_IR"
      && one(aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule[0].transition).days == 90
      && aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule[0].noncurrent_version_expiration[0].noncurrent_days == 90
      && aws_s3_bucket_lifecycle_configuration.recordings_lifecycle.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 7
    )
    error_message = "the retention inputs must reach the bucket's lifecycle rule"
  }

  assert {
    condition = alltrue([for sid in ["KeyAdministrators", "KeyAuditorsDecryptThroughS3", "DownstreamConsumersDecryptThroughS3", "StreamConsumersDecryptThroughKinesis"] :
      anytrue([for s in data.aws_iam_policy_document.key_policy_document.statement : s.sid == sid])
    ])
    error_message = "every named role must get its own key policy statement (the key policy's document, whose optional statements are dynamic blocks)"
  }

  assert {
    condition     = length(aws_kinesis_firehose_delivery_stream.ctr_firehose) == 0 && length(aws_kinesis_stream.ctr_stream) == 1
    error_message = "contact trace records must go to Kinesis only, as asked"
  }
}

run "access_logs_and_alerts_can_be_switched_off" {
  command = plan
  module { source = "../../module" }
  variables {
    access_logs_enabled       = false
    key_misuse_alerts_enabled = false
    # (CTRs on Kinesis: the key policy then names no role created in the same plan, so it is known)
    contact_trace_records_destination = "kinesis"
  }

  assert {
    condition = (
      length(aws_s3_bucket.access_logs) == 0 && length(aws_s3_bucket_logging.recordings_access_logs) == 0
      && length(aws_cloudwatch_event_rule.key_alerts) == 0 && length(aws_sns_topic.key_alerts_topic) == 0
      && !anytrue([for s in jsondecode(aws_kms_key.key.policy).Statement : s.Sid == "EventBridgePublishesAlertsThroughSns"])
    )
    error_message = "switched-off controls must leave nothing behind, not even their key policy statement"
  }
}
