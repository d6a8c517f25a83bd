# The provider answers from the shared mocks (examples/mocks/): no credentials,
# fake or real, and no call to AWS.
mock_provider "aws" {
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
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
