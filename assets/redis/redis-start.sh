#!/bin/sh
# Starts one member of a RedisDatabase: the Redis server, or (with --sentinel) its Sentinel
# sidecar. The configuration is rendered here, at start, into files only uid 999 can read: the
# password comes from the environment (a secretKeyRef), never from the manifest.
#
# Environment (set by the pod spec):
#   POD_NAME            the pod's name, `<name>-<ordinal>` (fieldRef)
#   REDIS_PASSWORD      requirepass / masterauth / Sentinel's auth (secretKeyRef)
#   REDIS_MEMBERS       every member's stable host name, in ordinal order, space-separated
#                       (`<name>-<i>.<name>-headless.<namespace>.svc`)
#   REDIS_PORT, SENTINEL_PORT, REDIS_BIND
#   REDIS_MASTER_NAME   the Sentinel master group name; unset: standalone (no Sentinel)
#   REDIS_QUORUM        Sentinels that must agree the primary is down (a majority)
#   REDIS_KEEPS_DATA    yes: AOF and/or RDB on the claim; no: a cache that restarts empty
#   REDIS_FAILOVER_WAIT seconds a cache member that was the primary waits for a promotion
#   REDIS_CONFIG        the ConfigMap directory (redis.conf, sentinel.conf, these scripts)
#   REDIS_DATA          the claim (Redis' dir; Sentinel's state in sentinel/)
#   REDIS_RUN           an emptyDir for the rendered redis.conf
# Extra arguments are passed to redis-server (the cache mode's `--save '' --appendonly no`).
set -eu
umask 077

role=server
if [ "${1:-}" = --sentinel ]; then
  role=sentinel
  shift
fi

log() { printf 'redis-start (%s): %s\n' "$role" "$*" >&2; }

ordinal=${POD_NAME##*-}
case $ordinal in '' | *[!0-9]*) log "POD_NAME '$POD_NAME' has no ordinal"; exit 1 ;; esac
# The host of member $1: word ($1 + 1) of REDIS_MEMBERS.
member() {
  i=0
  for word in $REDIS_MEMBERS; do
    if [ "$i" = "$1" ]; then printf '%s\n' "$word"; return 0; fi
    i=$((i + 1))
  done
  return 1
}
self=$(member "$ordinal") || { log "ordinal $ordinal is not among the members ($REDIS_MEMBERS)"; exit 1; }

# A password as a double-quoted redis.conf string of \xHH escapes: any byte survives.
quoted_password() {
  printf '%s' "$REDIS_PASSWORD" | od -An -v -tx1 | tr -d ' \n' | sed 's/\(..\)/\\x\1/g; s/^/"/; s/$/"/'
}

export REDISCLI_AUTH="$REDIS_PASSWORD"
# `redis-cli -h H -p P CMD...`, answer in raw lines, at most 3 seconds.
cli() {
  h=$1
  p=$2
  shift 2
  timeout 3 redis-cli --no-auth-warning --raw -h "$h" -p "$p" "$@" 2>/dev/null
}

# The primary the other members' Sentinels name (`SENTINEL get-master-addr-by-name`, which names
# the promoted replica as soon as a failover has promoted it), as `host port`. Of several
# answers, the one of the highest config epoch (the latest failover), and of equal epochs one that
# is not this member (a Sentinel that has not heard of the failover yet still names the former
# primary). Nothing when no Sentinel answers.
master_from_sentinels() {
  best_rank=-1
  best=''
  i=0
  for host in $REDIS_MEMBERS; do
    if [ "$i" != "$ordinal" ]; then
      addr=$(cli "$host" "$SENTINEL_PORT" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" | tr '\n' ' ') || addr=''
      addr=${addr% }
      case $addr in
        *' '[0-9]*)
          epoch=$(cli "$host" "$SENTINEL_PORT" SENTINEL MASTER "$REDIS_MASTER_NAME" \
            | awk 'NR % 2 == 1 { key = $0; next } key == "config-epoch" { e = $0 } END { print e + 0 }') || epoch=0
          rank=$((epoch * 2))
          [ "$addr" != "$self $REDIS_PORT" ] && rank=$((rank + 1))
          if [ "$rank" -gt "$best_rank" ]; then
            best_rank=$rank
            best=$addr
          fi
          ;;
      esac
    fi
    i=$((i + 1))
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

sentinel_dir="$REDIS_DATA/sentinel"
sentinel_conf="$sentinel_dir/sentinel.conf"

# The primary this member's own Sentinel last knew (its state file on the claim): after a restart
# of every member, the latest failover survives here.
master_from_state() {
  [ -f "$sentinel_conf" ] || return 1
  awk -v name="$REDIS_MASTER_NAME" '$1 == "sentinel" && $2 == "monitor" && $3 == name { print $4, $5; found = 1; exit }
    END { exit !found }' "$sentinel_conf"
}

# Where this member's primary is: `host port`, or `self`.
find_master() {
  found=$(master_from_sentinels) || found=''
  if [ -z "$found" ]; then
    found=$(master_from_state) || found=''
    [ -n "$found" ] && log "no Sentinel answered; the last known primary is $found"
  fi
  if [ -z "$found" ]; then
    log "no Sentinel answered and no state: ordinal 0 is the primary"
    found="$(member 0) $REDIS_PORT"
  fi
  if [ "$found" = "$self $REDIS_PORT" ]; then echo self; else printf '%s\n' "$found"; fi
}

start_server() {
  conf="$REDIS_RUN/redis.conf"
  if [ -z "${REDIS_MASTER_NAME:-}" ]; then
    master=self
  else
    master=$(find_master)
    if [ "$master" = self ] && [ "$REDIS_KEEPS_DATA" != yes ]; then
      # A cache keeps nothing: starting as the primary again would hand every replica an empty
      # dataset. Stay down until the Sentinels promote a replica, then follow it.
      log "the Sentinels name this member the primary, but it restarts empty: waiting up to ${REDIS_FAILOVER_WAIT}s for a promotion"
      waited=0
      while [ "$master" = self ] && [ "$waited" -lt "$REDIS_FAILOVER_WAIT" ]; do
        sleep 1
        waited=$((waited + 1))
        found=$(master_from_sentinels) || found=''
        if [ -n "$found" ] && [ "$found" != "$self $REDIS_PORT" ]; then master=$found; fi
      done
    fi
  fi
  if [ "$REDIS_KEEPS_DATA" != yes ]; then
    # Files a replica's full sync or an earlier mode left: a cache starts empty.
    rm -rf "$REDIS_DATA/dump.rdb" "$REDIS_DATA/appendonlydir" "$REDIS_DATA"/temp-*.rdb
  fi
  {
    printf 'include %s/redis.conf\n' "$REDIS_CONFIG"
    printf 'port %s\n' "$REDIS_PORT"
    printf 'bind %s\n' "$REDIS_BIND"
    printf 'dir %s\n' "$REDIS_DATA"
    printf 'requirepass %s\n' "$(quoted_password)"
    printf 'masterauth %s\n' "$(quoted_password)"
    printf 'replica-announce-ip %s\n' "$self"
    printf 'replica-announce-port %s\n' "$REDIS_PORT"
    if [ "$master" = self ]; then
      log "starting as the primary ($self)"
    else
      log "starting as a replica of $master"
      printf 'replicaof %s\n' "$master"
    fi
  } >"$conf.tmp"
  mv "$conf.tmp" "$conf"
  exec redis-server "$conf" "$@"
}

start_sentinel() {
  mkdir -p "$sentinel_dir"
  # Wait (bounded) until the primary answers: a Sentinel cannot monitor a host name that does
  # not resolve yet (a pod still being created).
  tries=0
  while :; do
    master=$(find_master)
    [ "$master" = self ] && master="$self $REDIS_PORT"
    # shellcheck disable=SC2086
    if [ "$(cli $master PING)" = PONG ] || [ "$tries" -ge 60 ]; then break; fi
    tries=$((tries + 1))
    sleep 2
  done
  keep=''
  if [ -f "$sentinel_conf" ]; then
    # Its identity and epoch survive a restart; peers and replicas are rediscovered.
    keep=$(awk '$1 == "sentinel" && ($2 == "myid" || $2 == "current-epoch")' "$sentinel_conf")
  fi
  {
    printf 'port %s\n' "$SENTINEL_PORT"
    printf 'bind %s\n' "$REDIS_BIND"
    printf 'dir %s\n' "$sentinel_dir"
    printf 'sentinel resolve-hostnames yes\n'
    printf 'sentinel announce-hostnames yes\n'
    printf 'sentinel announce-ip %s\n' "$self"
    printf 'sentinel announce-port %s\n' "$SENTINEL_PORT"
    printf 'requirepass %s\n' "$(quoted_password)"
    [ -n "$keep" ] && printf '%s\n' "$keep"
    printf 'sentinel monitor %s %s %s\n' "$REDIS_MASTER_NAME" "$master" "$REDIS_QUORUM"
    printf 'sentinel auth-pass %s %s\n' "$REDIS_MASTER_NAME" "$(quoted_password)"
    cat "$REDIS_CONFIG/sentinel.conf"
  } >"$sentinel_conf.tmp"
  mv "$sentinel_conf.tmp" "$sentinel_conf"
  log "monitoring $REDIS_MASTER_NAME at $master (quorum $REDIS_QUORUM)"
  exec redis-server "$sentinel_conf" --sentinel
}

if [ "$role" = sentinel ]; then start_sentinel; else start_server "$@"; fi
