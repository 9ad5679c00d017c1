#!/bin/sh
# snapshot-backup.sh: the container of a StatefulDatabase's volume-snapshot CronJob (a kubectl
# image with a POSIX shell, default alpine/k8s:1.34.1).
#
# For every claim in $CLAIMS it creates a VolumeSnapshot (snapshot.storage.k8s.io/v1) with
# `kubectl create -f -`:
#   name    <claim>-<UTC YYYYmmdd-HHMMSS>   (lowercase: Kubernetes names are DNS-1123; the contract's
#                                            YYYYmmddTHHMMSSZ has uppercase T/Z and is rejected)
#   labels  app.kubernetes.io/instance=$DB_NAME, stateful.cdk8s.io/claim=<claim>,
#           stateful.cdk8s.io/member=<claim without data-> (the pod), stateful.cdk8s.io/role=primary
#           (ordinal 0) | replica
#   spec    volumeSnapshotClassName=$SNAPSHOT_CLASS, source.persistentVolumeClaimName=<claim>
# then waits (bounded by SNAPSHOT_READY_TIMEOUT seconds, default 600; 0 skips the wait) until each
# new snapshot reports readyToUse, and only then lists each claim's snapshots by those labels,
# sorted by creationTimestamp, and deletes all but the newest $BACKUP_KEEP. A failed create, a
# snapshot that reports an error or is not ready in time exits non-zero and deletes nothing.
#
# Env: NAMESPACE (default: the pod's service-account namespace), CLAIMS (space-separated claim
#      names), SNAPSHOT_CLASS, BACKUP_KEEP (>= 1), DB_NAME, SNAPSHOT_READY_TIMEOUT (optional),
#      SNAPSHOT_POLL_SECONDS (optional, default 5: the pause between readiness checks),
#      PRUNE_RETAINED_CONTENTS (optional, default false): when true, a pruned snapshot whose
#      VolumeSnapshotContent has deletionPolicy Retain gets it switched to Delete first, so that
#      deleting the snapshot frees the content and the cloud snapshot; a content that cannot be
#      switched keeps its snapshot (nothing leaks) and the run fails.
# kubectl verbs used on volumesnapshots: create, get, list, delete; on volumesnapshotcontents
# (only with PRUNE_RETAINED_CONTENTS=true): get, patch.
set -eu

log() { printf '%s: %s\n' "snapshot-backup" "$*" >&2; }
die() { log "$*"; exit 1; }

sa_ns=/var/run/secrets/kubernetes.io/serviceaccount/namespace
if [ -z "${NAMESPACE-}" ] && [ -r "$sa_ns" ]; then NAMESPACE=$(cat "$sa_ns"); fi
: "${NAMESPACE:?NAMESPACE is required}"
: "${CLAIMS:?CLAIMS is required (space-separated claim names)}"
: "${SNAPSHOT_CLASS:?SNAPSHOT_CLASS is required}"
: "${BACKUP_KEEP:?BACKUP_KEEP is required}"
: "${DB_NAME:?DB_NAME is required}"
timeout=${SNAPSHOT_READY_TIMEOUT:-600}
poll=${SNAPSHOT_POLL_SECONDS:-5}
prune_contents=${PRUNE_RETAINED_CONTENTS:-false}
case "$prune_contents" in true | false) ;; *) die "PRUNE_RETAINED_CONTENTS must be true or false, got '$prune_contents'" ;; esac

whole() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; [ "${#1}" -le 9 ]; }
if ! whole "$BACKUP_KEEP" || [ "$BACKUP_KEEP" -lt 1 ]; then
  die "BACKUP_KEEP must be a whole number >= 1, got '$BACKUP_KEEP'"
fi
whole "$timeout" || die "SNAPSHOT_READY_TIMEOUT must be a whole number of seconds, got '$timeout'"
if ! whole "$poll" || [ "$poll" -lt 1 ]; then
  die "SNAPSHOT_POLL_SECONDS must be a whole number >= 1, got '$poll'"
fi

# Label values: at most 63 characters, alphanumerics and -_. inside.
label_value() {
  case "$2" in
    '' | *[!A-Za-z0-9._-]* | [!A-Za-z0-9]* | *[!A-Za-z0-9]) die "$1 '$2' is not a valid label value" ;;
  esac
  [ "${#2}" -le 63 ] || die "$1 '$2' is longer than 63 characters (a label value)"
}
# Claim names: DNS-1123 subdomains (lowercase alphanumerics, '-', '.').
dns_name() {
  case "$2" in
    '' | *[!a-z0-9.-]* | [!a-z0-9]* | *[!a-z0-9]) die "$1 '$2' is not a valid Kubernetes name" ;;
  esac
}
dns_name NAMESPACE "$NAMESPACE"
dns_name SNAPSHOT_CLASS "$SNAPSHOT_CLASS"
label_value DB_NAME "$DB_NAME"
claims=''
for claim in $CLAIMS; do
  dns_name 'claim' "$claim"
  label_value 'claim' "$claim"
  claims="$claims $claim"
done
[ -n "$claims" ] || die "CLAIMS names no claim"

selector() { printf 'app.kubernetes.io/instance=%s,stateful.cdk8s.io/claim=%s' "$DB_NAME" "$1"; }

# One line per snapshot of a claim, oldest first: "<name>|<readyToUse>|<error message>" ('|' is
# not whitespace, so empty fields keep their place when read with IFS='|').
list() {
  kubectl get volumesnapshots.snapshot.storage.k8s.io --namespace "$NAMESPACE" \
    --selector "$(selector "$1")" --sort-by=.metadata.creationTimestamp \
    -o 'jsonpath={range .items[*]}{.metadata.name}{"|"}{.status.readyToUse}{"|"}{.status.error.message}{"\n"}{end}'
}

# State of snapshot $2 of claim $1: "true", "pending", "not listed", "listing failed" (both retried
# until the deadline) or "error <message>".
state_of() {
  if ! listing=$(list "$1"); then
    printf 'listing failed\n'
    return 0
  fi
  printf '%s\n' "$listing" | {
    found='not listed'
    while IFS='|' read -r n ready message; do
      [ "$n" = "$2" ] || continue
      if [ -n "$message" ]; then found="error $message"
      elif [ "$ready" = true ]; then found=true
      else found=pending
      fi
      break
    done
    printf '%s\n' "$found"
  }
}

# Make sure deleting snapshot $1 also deletes its content and the cloud snapshot: a Retain
# content is patched to Delete. Fails (after logging) when that cannot be done.
free_content() {
  if ! content=$(kubectl get volumesnapshots.snapshot.storage.k8s.io "$1" --namespace "$NAMESPACE" \
    -o 'jsonpath={.status.boundVolumeSnapshotContentName}'); then
    log "cannot read the content of $1: kept"
    return 1
  fi
  [ -n "$content" ] || return 0 # never bound: nothing was stored
  if ! policy=$(kubectl get volumesnapshotcontents.snapshot.storage.k8s.io "$content" -o 'jsonpath={.spec.deletionPolicy}'); then
    log "cannot read VolumeSnapshotContent $content of $1: kept"
    return 1
  fi
  [ "$policy" = Retain ] || return 0
  if ! kubectl patch volumesnapshotcontents.snapshot.storage.k8s.io "$content" --type merge \
    -p '{"spec":{"deletionPolicy":"Delete"}}' >/dev/null; then
    log "cannot switch VolumeSnapshotContent $content of $1 to deletionPolicy Delete: kept"
    return 1
  fi
  log "VolumeSnapshotContent $content of $1 switched from Retain to Delete"
}

stamp=$(date -u +%Y%m%d-%H%M%S)
created=''
for claim in $claims; do
  name="$claim-$stamp"
  # Which member (claim data-<pod>) and role the data comes from: ordinal 0 is the primary. Any of
  # them restores as a writable primary (the start scripts); the labels say what was copied.
  member=${claim#data-}
  case "${member##*-}" in
    0) role=primary ;;
    '' | *[!0-9]*) role=unknown ;;
    *) role=replica ;;
  esac
  log "creating VolumeSnapshot $NAMESPACE/$name of claim $claim (class $SNAPSHOT_CLASS)"
  kubectl create --namespace "$NAMESPACE" -f - <<YAML
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: "$name"
  namespace: "$NAMESPACE"
  labels:
    app.kubernetes.io/instance: "$DB_NAME"
    app.kubernetes.io/managed-by: cdk8s-stateful
    stateful.cdk8s.io/claim: "$claim"
    stateful.cdk8s.io/member: "$member"
    stateful.cdk8s.io/role: "$role"
spec:
  volumeSnapshotClassName: "$SNAPSHOT_CLASS"
  source:
    persistentVolumeClaimName: "$claim"
YAML
  created="$created $claim:$name"
done

if [ "$timeout" -gt 0 ]; then
  deadline=$(( $(date +%s) + timeout ))
  for entry in $created; do
    claim=${entry%%:*}
    name=${entry#*:}
    while :; do
      state=$(state_of "$claim" "$name")
      case "$state" in
        true) log "$name is ready to use"; break ;;
        'error '*) die "$name reports an error: ${state#error }; nothing pruned" ;;
      esac
      left=$((deadline - $(date +%s)))
      if [ "$left" -le 0 ]; then
        die "$name is not ready after ${timeout}s (state: $state); nothing pruned"
      fi
      if [ "$left" -gt "$poll" ]; then left=$poll; fi
      sleep "$left"
    done
  done
fi

status=0
for claim in $claims; do
  if ! listing=$(list "$claim"); then
    log "listing the snapshots of claim $claim failed: nothing pruned for it"
    status=1
    continue
  fi
  names=$(printf '%s\n' "$listing" | while IFS='|' read -r n _rest; do [ -z "$n" ] || printf '%s\n' "$n"; done)
  total=0
  if [ -n "$names" ]; then total=$(printf '%s\n' "$names" | wc -l | tr -d ' '); fi
  excess=$((total - BACKUP_KEEP))
  if [ "$excess" -le 0 ]; then
    log "claim $claim has $total snapshot(s): nothing to prune (keep $BACKUP_KEEP)"
    continue
  fi
  old=$(printf '%s\n' "$names" | head -n "$excess")
  if [ "$prune_contents" = true ]; then
    # Switch Retain contents to Delete first; a snapshot whose content cannot be switched is kept.
    freed=''
    for n in $old; do
      if free_content "$n"; then freed="$freed $n"; else status=1; fi
    done
    # shellcheck disable=SC2086
    old=$(printf '%s\n' $freed)
    [ -n "$old" ] || continue
  fi
  log "claim $claim has $total snapshots: deleting the oldest $excess: $(printf '%s\n' "$old" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kubectl delete volumesnapshots.snapshot.storage.k8s.io --namespace "$NAMESPACE" \
    --ignore-not-found --wait=false $old || { log "deleting old snapshots of $claim failed"; status=1; }
done
exit "$status"
