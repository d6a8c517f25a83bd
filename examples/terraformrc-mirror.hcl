# Terraform CLI configuration for organisations whose machines reach no public
# registry: hashicorp providers install from a provider mirror, anything else
# directly. Copy it, set `path` to your mirror (a directory holding
# registry.terraform.io/hashicorp/aws/<version>/<os_arch>/, for instance made
# with `terraform providers mirror <dir>` on a machine that has network), and
# point Terraform at it:
#
#   export TF_CLI_CONFIG_FILE=$HOME/.terraformrc-mirror.hcl
#   npx cdktf diff connect-encryption-dev --skip-provider-lock
#   npx cdktf deploy connect-encryption-dev --skip-provider-lock
#
# `--skip-provider-lock`: after `terraform init` (which honours this file),
# cdktf runs `terraform providers lock -platform=linux_amd64`, and that
# command ignores provider_installation and asks the registry, which fails
# offline. With the flag, the lock file that init writes from the mirror
# stands. For HCP Terraform workspaces (remote runs on linux_amd64), lock
# that platform once from the mirror instead:
#   terraform -chdir=cdktf.out/stacks/<stack> providers lock -fs-mirror=<mirror> -platform=linux_amd64
#
# A network mirror (e.g. Artifactory) takes `network_mirror { url = "https://.../" }`
# in place of `filesystem_mirror`. The test suite and `npm run check` write
# this same configuration when TERRAFORM_PROVIDER_MIRROR is set
# (modules/cli/check/terraform.ts; __tests__/mirror-config.test.ts
# keeps the two identical).
provider_installation {
  filesystem_mirror {
    path    = "/opt/terraform-providers"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
