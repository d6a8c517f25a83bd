# The roles' trust, planned against a mock provider: each role trusts only
# its run phase of this workspace, through the host's OIDC provider.

mock_provider "aws" {
  # A mocked policy document renders no JSON; the trust is asserted on the document's inputs below.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

run "the_example_gives_the_workspace_variables" {
  command = plan

  assert {
    condition     = output.workspace_variables.TFC_AWS_PROVIDER_AUTH == "true"
    error_message = "dynamic credentials on"
  }
}

run "the_trust_policies_name_the_phase_and_workspace" {
  command = plan

  module {
    source = "../../module/modules/hcp-deploy-roles"
  }

  variables {
    organization      = "acme"
    project           = "contact-centre"
    workspace         = "connect-encryption-prod"
    apply_role_name   = "ConnectTerraform"
    apply_policy_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    plan_policy_json  = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }

  assert {
    condition = alltrue([for phase in ["plan", "apply"] : one([
      for c in data.aws_iam_policy_document.trust[phase].statement[0].condition : c.values if c.variable == "app.terraform.io:sub"
    ]) == tolist(["organization:acme:project:contact-centre:workspace:connect-encryption-prod:run_phase:${phase}"])])
    error_message = "each role trusts its own run phase of this workspace only"
  }

  assert {
    condition = alltrue([for phase in ["plan", "apply"] : one([
      for c in data.aws_iam_policy_document.trust[phase].statement[0].condition : c.values if c.variable == "app.terraform.io:aud"
    ]) == tolist(["aws.workload.identity"])])
    error_message = "the audience is checked"
  }

  assert {
    condition     = aws_iam_role.plan.name == "ConnectTerraform-plan"
    error_message = "the plan role is the apply role's name with -plan"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.hcp_terraform[0].url == "https://app.terraform.io" && tolist(aws_iam_openid_connect_provider.hcp_terraform[0].client_id_list) == tolist(["aws.workload.identity"])
    error_message = "the OIDC provider of app.terraform.io, audience aws.workload.identity"
  }

  assert {
    condition     = aws_iam_role_policy.apply.name == "deployer" && aws_iam_role_policy.plan.name == "plan-reader"
    error_message = "each role carries its own policy"
  }
}

run "the_oidc_provider_can_be_reused" {
  command = plan

  module {
    source = "../../module/modules/hcp-deploy-roles"
  }

  variables {
    organization         = "acme"
    workspace            = "connect-encryption-prod"
    apply_role_name      = "ConnectTerraform"
    apply_policy_json    = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    plan_policy_json     = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    create_oidc_provider = false
    oidc_provider_arn    = "arn:aws:iam::111122223333:oidc-provider/app.terraform.io"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.hcp_terraform) == 0
    error_message = "no second provider"
  }
}

run "a_missing_provider_arn_is_refused" {
  command = plan

  module {
    source = "../../module/modules/hcp-deploy-roles"
  }

  variables {
    organization         = "acme"
    workspace            = "connect-encryption-prod"
    apply_role_name      = "ConnectTerraform"
    apply_policy_json    = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    plan_policy_json     = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    create_oidc_provider = false
  }

  expect_failures = [var.oidc_provider_arn]
}
