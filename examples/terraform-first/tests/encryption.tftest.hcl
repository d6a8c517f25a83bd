# The provider answers from the shared mocks (examples/mocks/): no credentials,
# fake or real, and no call to AWS.
mock_provider "aws" {
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
}

mock_provider "aws" {
  alias           = "contact_centre"
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
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
