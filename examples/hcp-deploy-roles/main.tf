# The HCP Terraform plan and apply roles of one workspace, without cdktf
# (module/modules/hcp-deploy-roles). Run it once per account with
# credentials of that account; then set TFC_AWS_PROVIDER_AUTH = true,
# TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN (the outputs) on the
# workspace. The policies are the examples' generated ones: replace them
# with the deployer-iam-policy.json written beside your synthesized stack,
# or keep them for a module call shaped like examples/complete.

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

module "hcp_deploy_roles" {
  source = "../../module/modules/hcp-deploy-roles"

  organization      = "acme"
  project           = "contact-centre"
  workspace         = "connect-encryption-prod"
  apply_role_name   = "ConnectTerraform"
  apply_policy_json = file("${path.module}/../deployer-iam-policy.json")
  plan_policy_json  = file("${path.module}/../plan-iam-policy.json")
}

output "workspace_variables" {
  description = "The environment variables of the workspace."
  value = {
    TFC_AWS_PROVIDER_AUTH  = "true"
    TFC_AWS_PLAN_ROLE_ARN  = module.hcp_deploy_roles.plan_role_arn
    TFC_AWS_APPLY_ROLE_ARN = module.hcp_deploy_roles.apply_role_arn
  }
}
