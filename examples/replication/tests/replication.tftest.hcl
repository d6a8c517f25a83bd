# Both Regions' providers answer from the shared mocks (examples/mocks/):
# no credentials, fake or real, and no call to AWS.
mock_provider "aws" {
  override_during = plan
  source          = "../mocks/aws-eu-west-2"
}

mock_provider "aws" {
  alias           = "dr"
  override_during = plan
  source          = "../mocks/aws-eu-west-1"
}

run "the_copy_is_made_in_the_second_region_under_its_own_key" {
  command = plan

  assert {
    condition     = output.replica_key_arn == "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4000-8000-0000000000d1"
    error_message = "the copy must be encrypted with a key of its own in the second Region"
  }

  assert {
    condition     = output.replica_bucket_id == "acme-connect-prod-dr-111122223333"
    error_message = "the copy must be named <name>-dr-<account>"
  }

  assert {
    condition     = module.connect_encryption.replica_bucket_id == output.replica_bucket_id && module.connect_encryption.replica_key_arn == output.replica_key_arn
    error_message = "the main module must replicate into the copy the replica module made"
  }

  assert {
    condition     = module.connect_encryption.encryption_configuration.bucket.kms_master_key_id == module.connect_encryption.key_arn
    error_message = "the source bucket must stay under the source key"
  }
}
