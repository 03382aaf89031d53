{{/* Names and labels shared by every object of the release. */}}
{{- define "steward.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "steward.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one role: include "steward.selector" (dict "ctx" $ "role" "web") */}}
{{- define "steward.selector" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "steward.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "steward.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "steward.secretName" -}}
{{- required "existingSecret: name the Secret holding AUDIT_SIGNING_KEY and the other secrets (the chart never creates one)" .Values.existingSecret -}}
{{- end -}}

{{/*
MONGODB_URI from the Secret (mode uri: Atlas or any connection string), or built from the
replica set's hosts with the Secret's user and password (Kubernetes expands $(VAR) in env values
that refer to variables defined before them).
*/}}
{{- define "steward.mongodbEnv" -}}
{{- $m := .Values.mongodb -}}
{{- if eq $m.mode "replicaSet" }}
{{- if not $m.replicaSet.hosts }}{{ fail "mongodb.replicaSet.hosts: list the replica set members (host:port) when mongodb.mode=replicaSet" }}{{ end }}
- name: MONGODB_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.secretName" . }}
      key: MONGODB_USERNAME
- name: MONGODB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.secretName" . }}
      key: MONGODB_PASSWORD
- name: MONGODB_URI
  value: {{ printf "mongodb://$(MONGODB_USERNAME):$(MONGODB_PASSWORD)@%s/?replicaSet=%s&authSource=%s&tls=%t&w=majority" (join "," $m.replicaSet.hosts) $m.replicaSet.name $m.replicaSet.authSource $m.replicaSet.tls | quote }}
{{- else if eq $m.mode "uri" }}
- name: MONGODB_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.secretName" . }}
      key: MONGODB_URI
{{- else }}
{{- fail (printf "mongodb.mode: expected uri or replicaSet, got %q" $m.mode) }}
{{- end }}
{{- end -}}

{{/* The pod template of one role: include "steward.pod" (dict "ctx" $ "role" "web" "spec" .Values.web) */}}
{{- define "steward.pod" -}}
{{- $ := .ctx -}}
{{- $spec := .spec -}}
metadata:
  labels:
    {{- include "steward.selector" (dict "ctx" $ "role" .role) | nindent 4 }}
    app.kubernetes.io/version: {{ $.Chart.AppVersion | quote }}
    helm.sh/chart: {{ printf "%s-%s" $.Chart.Name $.Chart.Version | replace "+" "_" }}
  annotations:
    # A changed configuration restarts the pods (the Secret is yours: restart them after rotating it).
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") $ | sha256sum }}
    {{- with $spec.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "steward.serviceAccountName" $ }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $.Values.shutdownGraceSeconds }}
  {{- with $.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: steward
      image: {{ printf "%s:%s" $.Values.image.repository (default $.Chart.AppVersion $.Values.image.tag) | quote }}
      imagePullPolicy: {{ $.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $.Values.securityContext | nindent 8 }}
      envFrom:
        - configMapRef:
            name: {{ include "steward.fullname" $ }}
        - secretRef:
            name: {{ include "steward.secretName" $ }}
      env:
        - name: STEWARD_ROLE
          value: {{ .role }}
        {{- include "steward.mongodbEnv" $ | trim | nindent 8 }}
      ports:
        - name: http
          containerPort: 3000
          protocol: TCP
        {{- if $.Values.metrics.enabled }}
        - name: metrics
          containerPort: {{ $.Values.metrics.port }}
          protocol: TCP
        {{- end }}
      startupProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: {{ $.Values.probes.startup.periodSeconds }}
        failureThreshold: {{ $.Values.probes.startup.failureThreshold }}
      # Alive while the process answers; a restart cures nothing else.
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: {{ $.Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ $.Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ $.Values.probes.liveness.failureThreshold }}
      # Ready while the database answers and (worker) the scheduler and dispatcher run.
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        periodSeconds: {{ $.Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ $.Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ $.Values.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml $spec.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: legal
          mountPath: /etc/steward/legal
          readOnly: true
  volumes:
    # The root filesystem is read-only; libraries that write temporary files get /tmp.
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    - name: legal
      configMap:
        name: {{ include "steward.fullname" $ }}-legal
  {{- with $spec.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $spec.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $spec.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $spec.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
