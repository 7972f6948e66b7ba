//go:build tools

// The Helm command line, for the test that follows the operator guide as an operator would
// (the chart's own tests use the Helm embedded in helm-java).
package tools

import _ "helm.sh/helm/v3/cmd/helm"
