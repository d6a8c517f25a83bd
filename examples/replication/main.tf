# A disaster-recovery copy in a second Region, by composition: the main
# module stays provider-free, and module/modules/replica builds the copy's
# key, bucket, log bucket and replication role through the provider of the
# second Region. Each module reads the other's settings: the copy mirrors
# the main module's names, key roles and Object Lock (replica_settings),
# and the main module replicates into what the copy outputs (replication).
# Adding a copy later is adding the second block and the replication line.

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

output "replica_bucket_id" {
  description = "The disaster-recovery copy of the recordings bucket."
  value       = module.connect_encryption_dr.bucket_id
}

output "replica_key_arn" {
  description = "The disaster-recovery key, in the second Region."
  value       = module.connect_encryption_dr.key_arn
}
