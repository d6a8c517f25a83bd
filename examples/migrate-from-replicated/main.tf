# A root that called module/replicated (0.1.0), after the upgrade: the same
# inputs, split between module/ and module/modules/replica, and moved.tf,
# which moves the copy's resources into the replica module's call so that
# the plan replaces nothing. Before: one call with
#
#   source    = ".../module/replicated"
#   providers = { aws = aws, aws.dr = aws.dr }
#   name                = "acme-connect-prod"
#   replication_enabled = true
#
# replication_bucket_name, if you set it, becomes the replica module's
# bucket_name; replication_delete_markers and replication_storage_class stay
# on the main module; replication_enabled = false is leaving out both the
# replica module and the replication line (and moved.tf).

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

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

module "connect_encryption" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source = "../../module"

  name        = "acme-connect-prod"
  replication = module.connect_encryption_dr.replication
}

module "connect_encryption_dr" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module/modules/replica?ref=v0.1.0"
  source    = "../../module/modules/replica"
  providers = { aws = aws.dr }

  primary = module.connect_encryption.replica_settings
}
