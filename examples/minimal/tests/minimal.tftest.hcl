# The provider answers from the shared mocks (examples/mocks/): no credentials,
# fake or real, and no call to AWS.
mock_provider "aws" {
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
}

run "only_the_name_plans_with_everything_under_the_key" {
  command = plan

  assert {
    condition     = module.connect_encryption.replica_bucket_id == null && module.connect_encryption.replica_key_arn == null
    error_message = "No disaster-recovery copy unless replication is given."
  }

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
