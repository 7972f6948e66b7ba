{{/* The labels every object carries. */}}
{{- define "salons.labels" -}}
app.kubernetes.io/part-of: salons
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The selector labels of one component; call with (dict "root" $ "component" "portal"). */}}
{{- define "salons.selector" -}}
app.kubernetes.io/name: salons-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "salons.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The name of a cluster-scoped object of one component: the release's namespace and name in it, so
that releases of the same name in two namespaces never share one (DNS subdomain: up to 253).
*/}}
{{- define "salons.clusterName" -}}
{{- printf "%s-%s-%s" (.root.Release.Namespace | default "default") .root.Release.Name .component | trimSuffix "-" -}}
{{- end -}}

{{- define "salons.secretName" -}}
{{- default (printf "%s-secrets" .Release.Name) .Values.existingSecret -}}
{{- end -}}

{{/* The Keycloak realm URL the services trust. */}}
{{- define "salons.realmUrl" -}}
{{- if .Values.keycloak.bundled.enabled -}}
https://{{ .Values.keycloak.bundled.host }}/realms/salons
{{- else -}}
{{- required "keycloak.realmUrl is required unless keycloak.bundled.enabled=true" .Values.keycloak.realmUrl -}}
{{- end -}}
{{- end -}}

{{- define "salons.dbHost" -}}
{{- if .Values.postgresql.bundled.enabled -}}
{{ .Release.Name }}-postgresql
{{- else -}}
{{- required "postgresql.host is required unless postgresql.bundled.enabled=true" .Values.postgresql.host -}}
{{- end -}}
{{- end -}}

{{/* The names of the generated secrets. */}}
{{- define "salons.secretKeys" -}}
{{- list "DB_IDENTITY_PASSWORD" "DB_PROVISIONING_PASSWORD" "DB_BILLING_PASSWORD" "DB_PORTAL_PASSWORD" "DB_KEYCLOAK_PASSWORD" "DB_TENANTS_PASSWORD" "SALONS_IDENTITY_CLIENT_SECRET" "SALONS_PROVISIONING_CLIENT_SECRET" "SALONS_BILLING_CLIENT_SECRET" "SALONS_PORTAL_CLIENT_SECRET" "DB_COMMONS_PASSWORD" "SALONS_COMMONS_CLIENT_SECRET" "SALONS_COMMONS_APPSERVICE_TOKEN" "SALONS_PROVISIONING_BACKUPS_KEY" "SALONS_DEMO_PASSWORD" "KEYCLOAK_ADMIN_PASSWORD" "POSTGRES_PASSWORD" | toJson -}}
{{- end -}}

{{/*
The generated secrets' data (base64), as JSON: read back from the cluster where they exist
(`lookup`), generated where they do not, once per render (kept on the render's top-level context)
so that the Secret and the checksums on the pods that read it see the same values.
*/}}
{{- define "salons.secretData" -}}
{{- if not (hasKey . "salonsSecretData") -}}
{{- $existing := (lookup "v1" "Secret" .Release.Namespace (include "salons.secretName" .)).data | default dict -}}
{{- $data := dict -}}
{{- range $key := include "salons.secretKeys" . | fromJsonArray -}}
{{- $_ := set $data $key (index $existing $key | default (randAlphaNum 32 | b64enc)) -}}
{{- end -}}
{{- $_ := set . "salonsSecretData" $data -}}
{{- end -}}
{{- toJson .salonsSecretData -}}
{{- end -}}

{{/* The hardened security context of every container. */}}
{{- define "salons.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Identity's API as chat servers reach it, through the portal's host (docs/adr/0030). */}}
{{- define "salons.identityPublicUrl" -}}
{{- printf "%s/services/identity" (trimSuffix "/" .Values.publicUrl) -}}
{{- end -}}
