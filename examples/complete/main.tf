# Every input of the module set, as a production contact centre would: named
# key roles, retention and Object Lock, access logs, key-misuse alerts with a
# trail, Customer Profiles, every S3 storage type with its own prefix,
# contact trace records through Firehose, provisioned data streams.

terraform {
  required_version = ">= 1.10.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

module "connect_encryption" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source = "../../module"

  name = "acme-connect-prod"
  tags = { CostCentre = "cc-prod" }

  # The instance
  create_instance           = true
  instance_alias            = "acme-contact-prod"
  identity_management_type  = "SAML"
  inbound_calls_enabled     = true
  outbound_calls_enabled    = true
  contact_flow_logs_enabled = true
  contact_lens_enabled      = true

  # The key
  key_alias                   = "alias/acme-connect-prod"
  key_description             = "Amazon Connect content of acme-connect-prod"
  key_rotation_period_in_days = 180
  key_deletion_window_in_days = 30
  key_deployers               = ["arn:aws:iam::111122223333:role/ConnectTerraform"]
  key_administrators          = ["arn:aws:iam::111122223333:role/SecurityKeyAdmin"]
  key_users                   = ["arn:aws:iam::111122223333:role/ContactCentreOps"]
  key_auditors                = ["arn:aws:iam::111122223333:role/ComplianceAuditor"]
  key_consumers               = ["arn:aws:iam::111122223333:role/ContactAnalytics"]

  # The recordings bucket
  bucket_name                            = "acme-connect-prod-recordings"
  transition_to_glacier_ir_after_days    = 90
  expire_after_days                      = 2557
  noncurrent_version_expiration_days     = 90
  abort_incomplete_multipart_upload_days = 7
  object_lock                            = { mode = "COMPLIANCE", years = 7, locked_types = ["CALL_RECORDINGS"] }
  access_logs_enabled                    = true
  bucket_eventbridge_notifications       = true
  attachments_cors_allowed_origins       = ["https://www.example.com"]

  # Alerts and Customer Profiles
  key_misuse_alerts_enabled         = true
  alert_emails                      = ["security-alerts@example.com"]
  alerts_create_trail               = true
  customer_profiles_domain_name     = "acme-connect-prod"
  customer_profiles_expiration_days = 366

  # What Connect writes, and where
  s3_storage = {
    CALL_RECORDINGS     = { prefix = "connect/CallRecordings" }
    CHAT_TRANSCRIPTS    = { prefix = "connect/ChatTranscripts" }
    SCREEN_RECORDINGS   = {}
    ATTACHMENTS         = {}
    EMAIL_MESSAGES      = { prefix = "connect/Email" }
    CONTACT_EVALUATIONS = {}
    SCHEDULED_REPORTS   = {}
  }
  contact_trace_records_destination = "firehose"
  ctr_prefix                        = "connect/ContactTraceRecords"
  ctr_error_prefix                  = "connect/ContactTraceRecordsErrors"
  ctr_buffering_size_mib            = 5
  ctr_buffering_interval_seconds    = 300
  ctr_error_logging                 = true
  agent_events_enabled              = true
  realtime_voice_segments_enabled   = true
  realtime_chat_segments_enabled    = true
  stream_capacity_mode              = "PROVISIONED"
  stream_shard_count                = 2
  stream_retention_hours            = 168
  stream_consumer_role_arns         = ["arn:aws:iam::111122223333:role/CtrConsumer"]
  media_streams_enabled             = true
  media_streams_prefix              = "acme-connect-prod"
  media_streams_retention_hours     = 24
}

output "key_arn" {
  description = "The customer-managed key."
  value       = module.connect_encryption.key_arn
}

output "encryption_configuration" {
  description = "How the content is encrypted."
  value       = module.connect_encryption.encryption_configuration
}
