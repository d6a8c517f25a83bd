# No credentials, fake or real, and no call to AWS: a mock provider whose
# data sources and key/instance attributes are fixed by resource TYPE (no
# internal name of the module is needed), known during plan so that the
# assertions can compare the encryption with them.
mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
      arn        = "arn:aws:sts::111122223333:assumed-role/ConnectTerraform/ci"
    }
  }
  mock_data "aws_iam_session_context" {
    defaults = { issuer_arn = "arn:aws:iam::111122223333:role/ConnectTerraform" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-2", name = "eu-west-2" }
  }
  mock_data "aws_connect_instance" {
    defaults = {
      id           = "11111111-2222-3333-4444-555555555555"
      arn          = "arn:aws:connect:eu-west-2:111122223333:instance/11111111-2222-3333-4444-555555555555"
      service_role = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_A"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001"
      key_id = "0a1b2c3d-0000-4000-8000-000000000001"
    }
  }
  mock_resource "aws_connect_instance" {
    defaults = {
      id           = "99999999-8888-7777-6666-555555555555"
      arn          = "arn:aws:connect:eu-west-2:111122223333:instance/99999999-8888-7777-6666-555555555555"
      service_role = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_B"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock-role" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_kinesis_stream" {
    defaults = { arn = "arn:aws:kinesis:eu-west-2:111122223333:stream/mock" }
  }
  mock_resource "aws_kinesis_firehose_delivery_stream" {
    defaults = { arn = "arn:aws:firehose:eu-west-2:111122223333:deliverystream/mock" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-2:111122223333:mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-2:111122223333:mock" }
  }
  mock_resource "aws_cloudtrail" {
    defaults = { arn = "arn:aws:cloudtrail:eu-west-2:111122223333:trail/mock" }
  }
}

run "every_option_plans_under_the_key" {
  command = plan

  assert {
    condition = (
      length([for type, key_id in output.encryption_configuration.storage_key_ids : key_id if key_id != null]) == 8
      && alltrue([for type, key_id in output.encryption_configuration.storage_key_ids : key_id == output.key_arn if key_id != null])
    )
    error_message = "all seven S3 types and live media must be associated on the key's full ARN"
  }

  assert {
    condition = alltrue([for type in ["AGENT_EVENTS", "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS", "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS"] :
      output.encryption_configuration.kinesis_streams[type].encryption_type == "KMS" && output.encryption_configuration.kinesis_streams[type].kms_key_id == output.key_arn
    ])
    error_message = "every Kinesis data stream must be encrypted with the key"
  }

  assert {
    condition     = output.encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.s3_kms_key_arn == output.key_arn
    error_message = "Firehose must write contact trace records under the key"
  }

  assert {
    condition = (
      module.connect_encryption.attachments_bucket_id == "acme-connect-prod-attach-111122223333"
      && module.connect_encryption.s3_bucket_id == "acme-connect-prod-recordings"
    )
    error_message = "with Object Lock, attachments must get a bucket of their own (Connect cannot write them to a locked bucket)"
  }

  assert {
    condition = (
      module.connect_encryption.alerts_topic_arn != null
      && module.connect_encryption.alerts_trail_arn != null
      && module.connect_encryption.alerts_key_arn != null
      && module.connect_encryption.customer_profiles_domain_name == "acme-connect-prod"
    )
    error_message = "alerts with their trail and the Customer Profiles domain must be planned"
  }

  assert {
    condition     = module.connect_encryption.key_alias == "alias/acme-connect-prod"
    error_message = "the key alias must be the one asked for"
  }
}
