{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "proxy-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "proxy-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "proxy-operator.labels" -}}
{{ include "proxy-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: proxy-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "proxy-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "proxy-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name must name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The one watched namespace, or "" for all. */}}
{{- define "proxy-operator.watchNamespace" -}}
{{- if gt (len .Values.watchNamespaces) 1 -}}
{{- fail "watchNamespaces: the operator watches one namespace or all of them (a single --namespace flag). Set [] for all namespaces, or one namespace and install one release per namespace." -}}
{{- end -}}
{{- first .Values.watchNamespaces | default "" -}}
{{- end -}}

{{- define "proxy-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "proxy-operator.proxyImage" -}}
{{- printf "%s:%s" .Values.proxyImage.repository (.Values.proxyImage.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The rules the operator's API calls need, and nothing else (src/ProxyOperator.Operator; charts/proxy-operator/README.md
lists the call behind each). Every rule is namespaced, so the same rules serve a ClusterRole and a Role.
*/}}
{{- define "proxy-operator.rules" -}}
# The resource: informer (list, watch), re-read before each reconcile (get), finalizer merge patch (patch).
- apiGroups: [proxyoperator.io]
  resources: [gomoduleproxies]
  verbs: [get, list, watch, patch]
- apiGroups: [proxyoperator.io]
  resources: [gomoduleproxies/status]
  verbs: [patch]
# Owner references with blockOwnerDeletion need update on the owner's finalizers subresource where the
# OwnerReferencesPermissionEnforcement admission plugin runs (OpenShift, hardened clusters).
- apiGroups: [proxyoperator.io]
  resources: [gomoduleproxies/finalizers]
  verbs: [update]
# Owned objects: informers (list, watch), reads (get), server-side apply (patch; create when it creates the object),
# deletion of what the spec no longer asks for (get, then delete). A ConfigMap is always desired: never read or deleted.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [list, watch, create, patch]
- apiGroups: [""]
  resources: [services, persistentvolumeclaims]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [networking.k8s.io]
  resources: [ingresses, networkpolicies]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, patch, delete]
# ServiceMonitors, applied only while the API is served; not watched.
- apiGroups: [monitoring.coreos.com]
  resources: [servicemonitors]
  verbs: [get, create, patch, delete]
# The Secrets a spec names: their existence and resourceVersion (a change rolls the pods).
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
# Pod trouble (ImagePullBackOff, CrashLoopBackOff, Pending) while a rollout is not done.
- apiGroups: [""]
  resources: [pods]
  verbs: [list]
# Events on the resource (create), repeats aggregated into one (patch).
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end -}}
