# The smallest call: only the required input. The instance is created with
# the alias `name`; every storage type the module enables by default is
# associated under a new customer-managed key.

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

module "connect_encryption" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source = "../../module"

  name = "acme-connect-dev"
}

output "key_arn" {
  description = "The customer-managed key."
  value       = module.connect_encryption.key_arn
}

output "encryption_configuration" {
  description = "How the content is encrypted."
  value       = module.connect_encryption.encryption_configuration
}
