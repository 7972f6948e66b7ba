//go:build tools

// kubectl, for the test that follows the operator guide as an operator would: building it from
// this module keeps it at the control plane's Kubernetes version.
package tools

import _ "k8s.io/kubernetes/cmd/kubectl"
