# Plans the adoption offline. An import reads the existing association
# (Connect's DescribeInstanceStorageConfig), which needs the real instance:
# here each imported association is overridden with its recorded ID instead,
# so the plan shows the imports and what the module then makes of them.

# A mock provider: no credentials, fake or real, and no call to AWS. Its
# policy documents read as one empty document (the mocks of examples/mocks do
# the same), so that the roles', keys' and buckets' policies are valid JSON.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

override_data {
  target = module.contact_centre.data.aws_caller_identity.account_caller
  values = { account_id = "111122223333", arn = "arn:aws:sts::111122223333:assumed-role/ConnectTerraform/ci" }
}
override_data {
  target = module.contact_centre.data.aws_partition.account_partition
  values = { partition = "aws" }
}
override_data {
  target = module.contact_centre.data.aws_region.account_region
  values = { id = "eu-west-2", name = "eu-west-2" }
}
override_data {
  target = module.contact_centre.data.aws_iam_session_context.deployer
  values = { issuer_arn = "arn:aws:iam::111122223333:role/ConnectTerraform" }
}
override_data {
  target = module.contact_centre.data.aws_connect_instance.connect_existing
  values = {
    id           = "8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"
    arn          = "arn:aws:connect:eu-west-2:111122223333:instance/8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"
    service_role = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_UK"
  }
}
override_resource {
  target          = module.contact_centre.aws_kms_key.key
  override_during = plan
  values          = { arn = "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001", key_id = "0a1b2c3d-0000-4000-8000-000000000001" }
}
# The imported contact-trace-record association names the Firehose, whose ARN
# is only known after apply: fixed here, so that the imported state is known.
override_resource {
  target          = module.contact_centre.aws_kinesis_firehose_delivery_stream.ctr_firehose
  override_during = plan
  values          = { arn = "arn:aws:firehose:eu-west-2:111122223333:deliverystream/acme-cc-uk-ctr" }
}
override_resource {
  target          = module.contact_centre.aws_connect_instance_storage_config.storage_call_recordings
  override_during = plan
  values          = { association_id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }
}
override_resource {
  target          = module.contact_centre.aws_connect_instance_storage_config.storage_chat_transcripts
  override_during = plan
  values          = { association_id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }
}
override_resource {
  target          = module.contact_centre.aws_connect_instance_storage_config.storage_contact_trace_records
  override_during = plan
  values          = { association_id = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd" }
}
override_resource {
  target          = module.contact_centre.aws_connect_instance_storage_config.storage_media_streams
  override_during = plan
  values          = { association_id = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" }
}

run "existing_associations_are_taken_over_in_place" {
  command = plan

  assert {
    condition     = module.contact_centre.storage_association_ids.CALL_RECORDINGS == var.existing_associations["CALL_RECORDINGS"] && module.contact_centre.storage_association_ids.CHAT_TRANSCRIPTS == var.existing_associations["CHAT_TRANSCRIPTS"] && module.contact_centre.storage_association_ids.CONTACT_TRACE_RECORDS == var.existing_associations["CONTACT_TRACE_RECORDS"] && module.contact_centre.storage_association_ids.MEDIA_STREAMS == var.existing_associations["MEDIA_STREAMS"]
    error_message = "each imported association must keep its existing ID"
  }

  assert {
    condition     = module.contact_centre.encryption_configuration.storage_key_ids.CALL_RECORDINGS == module.contact_centre.key_arn && module.contact_centre.encryption_configuration.storage_key_ids.CHAT_TRANSCRIPTS == module.contact_centre.key_arn && module.contact_centre.encryption_configuration.storage_key_ids.MEDIA_STREAMS == module.contact_centre.key_arn
    error_message = "the imported S3 and live-media associations must be updated to the module's key"
  }

  assert {
    condition     = module.contact_centre.connect_instance_id == var.instance_id
    error_message = "the module must attach to the running instance"
  }
}
