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

run "only_the_name_plans_with_everything_under_the_key" {
  command = plan

  assert {
    condition     = output.key_arn == "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001"
    error_message = "the module must create its own customer-managed key"
  }

  assert {
    condition     = output.encryption_configuration.key_rotation_enabled
    error_message = "the key must rotate"
  }

  assert {
    condition = (
      output.encryption_configuration.bucket.sse_algorithm == "aws:kms"
      && output.encryption_configuration.bucket.kms_master_key_id == output.key_arn
      && output.encryption_configuration.bucket.bucket_key_enabled
    )
    error_message = "the recordings bucket must default to SSE-KMS with the key and an S3 Bucket Key"
  }

  assert {
    condition = (
      length([for type, key_id in output.encryption_configuration.storage_key_ids : key_id if key_id != null]) == 5
      && alltrue([for type, key_id in output.encryption_configuration.storage_key_ids : key_id == output.key_arn if key_id != null])
    )
    error_message = "the four default S3 types and live media must be associated on the key's full ARN"
  }

  assert {
    condition = alltrue([for type, stream in output.encryption_configuration.kinesis_streams :
      stream.encryption_type == "KMS" && stream.kms_key_id == output.key_arn if stream.encryption_type != null
    ])
    error_message = "every Kinesis data stream must be encrypted with the key"
  }

  assert {
    condition = (
      output.encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.server_side_encryption_key_type == "CUSTOMER_MANAGED_CMK"
      && output.encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.server_side_encryption_key_arn == output.key_arn
    )
    error_message = "contact trace records must go through a Firehose encrypted with the key"
  }

  assert {
    condition     = module.connect_encryption.connect_instance_id == "99999999-8888-7777-6666-555555555555"
    error_message = "a new instance must be created (instance_alias defaults to name)"
  }
}
