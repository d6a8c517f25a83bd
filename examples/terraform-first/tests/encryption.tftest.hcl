# Plans the example offline against mock providers: no credentials, fake or
# real, and no call to AWS. Data sources and the key's and instance's
# attributes are fixed by resource type, during plan, so that the encryption
# can be compared with them; no internal name of the module is needed.

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

mock_provider "aws" {
  alias           = "contact_centre"
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

run "two_contact_centres_plan_under_their_keys" {
  command = plan

  assert {
    condition     = length(module.connect_encryption) == 2
    error_message = "for_each must give one module instance per contact centre"
  }

  assert {
    condition     = alltrue([for name, centre in module.connect_encryption : startswith(centre.key_arn, "arn:aws:kms:eu-west-2:111122223333:key/")])
    error_message = "each contact centre must have a customer-managed key"
  }

  assert {
    condition = alltrue([for name, centre in module.connect_encryption :
      alltrue([for type, key_id in centre.encryption_configuration.storage_key_ids : key_id == centre.key_arn if key_id != null])
    ])
    error_message = "every S3 and Kinesis Video storage config must name the key by its full ARN"
  }

  assert {
    condition = alltrue([for name, centre in module.connect_encryption :
      length([for type, key_id in centre.encryption_configuration.storage_key_ids : key_id if key_id != null]) >= 5
    ])
    error_message = "the default S3 types and live media must be associated"
  }

  assert {
    condition = alltrue([for name, centre in module.connect_encryption :
      centre.encryption_configuration.bucket.sse_algorithm == "aws:kms"
      && centre.encryption_configuration.bucket.kms_master_key_id == centre.key_arn
      && centre.encryption_configuration.bucket.bucket_key_enabled
    ])
    error_message = "each bucket must default to SSE-KMS with the key and an S3 Bucket Key"
  }

  assert {
    condition = alltrue([for name, centre in module.connect_encryption :
      alltrue([for type, stream in centre.encryption_configuration.kinesis_streams :
        stream.encryption_type == "KMS" && stream.kms_key_id == centre.key_arn if stream.encryption_type != null
      ])
    ])
    error_message = "every Kinesis data stream must be encrypted with the key"
  }

  assert {
    condition     = module.connect_encryption["uk"].encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.server_side_encryption_key_type == "CUSTOMER_MANAGED_CMK"
    error_message = "the UK contact trace records must go through a Firehose encrypted with the customer-managed key"
  }

  assert {
    condition = (
      module.connect_encryption["uk"].encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.server_side_encryption_key_arn == module.connect_encryption["uk"].key_arn
      && module.connect_encryption["uk"].encryption_configuration.firehose_delivery_streams.CONTACT_TRACE_RECORDS.s3_kms_key_arn == module.connect_encryption["uk"].key_arn
    )
    error_message = "the Firehose must use the key for its buffer and for the objects it writes"
  }

  assert {
    condition     = module.connect_encryption["ie"].encryption_configuration.kinesis_streams.CONTACT_TRACE_RECORDS.kms_key_id == module.connect_encryption["ie"].key_arn
    error_message = "the IE contact trace records must go to a Kinesis data stream under the key"
  }

  assert {
    condition     = module.connect_encryption["uk"].encryption_configuration.storage_key_ids.EMAIL_MESSAGES == module.connect_encryption["uk"].key_arn && module.connect_encryption["ie"].encryption_configuration.storage_key_ids.EMAIL_MESSAGES == null
    error_message = "e-mail must be associated where it is asked for, and only there"
  }

  assert {
    condition     = module.connect_encryption["ie"].connect_instance_id == "11111111-2222-3333-4444-555555555555"
    error_message = "the IE centre must attach to its existing instance"
  }

  assert {
    condition     = alltrue([for name, centre in module.connect_encryption : centre.encryption_configuration.key_rotation_enabled])
    error_message = "every key must rotate"
  }
}
