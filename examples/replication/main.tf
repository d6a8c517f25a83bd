# A disaster-recovery copy in a second Region: the module variant in
# module/replicated takes a second provider, aws.dr, for that Region
# (configuration_aliases), and copies the recordings bucket and its access
# logs there, under a key of its own, only when replication_enabled is true.

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
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module/replicated?ref=v0.1.0"
  source = "../../module/replicated"
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name                = "acme-connect-prod"
  replication_enabled = var.replication_enabled
}

variable "replication_enabled" {
  type        = bool
  description = "Whether to keep the disaster-recovery copy."
  default     = true
}

output "replica_bucket_id" {
  description = "The disaster-recovery copy of the recordings bucket."
  value       = module.connect_encryption.replica_bucket_id
}

output "replica_key_arn" {
  description = "The disaster-recovery key, in the second Region."
  value       = module.connect_encryption.replica_key_arn
}
