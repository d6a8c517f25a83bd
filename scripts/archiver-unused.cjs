// Stands in for the `archiver` package in the bundle: cdktf requires it for
// Terraform assets (zipped directories), and this app synthesizes none.
module.exports = function archiverUnused() {
  throw new Error("archiver is not bundled: connect-kms-encryption creates no Terraform assets");
};
