# Written by synthesis with the JSON beside it; Terraform merges both terraform blocks.
# Kept out of the JSON so that Checkov can parse it (bridgecrewio/checkov#7454).
terraform {
  required_version = ">= 1.10.0"
}
