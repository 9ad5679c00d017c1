#!/bin/sh
# Probes of a RedisDatabase member, and its preStop hook: `redis-probe.sh ready|live|sentinel|handover`.
#   ready     the server answers, and is the primary or a replica whose link to the primary is up
#             (master_link_status:up): a replica that lost its primary serves stale data
#   live      the server answers at all (PONG, or busy loading its data, or a replica whose
#             primary is down), unless it is a replica that lost its link to a host that is no
#             longer the primary the local Sentinel names (a replica the Sentinels did not know
#             yet when they failed over): restarted, redis-start.sh makes it follow the new one
#   sentinel  the Sentinel answers
#   handover  (preStop) a primary with replicas asks its Sentinel for a failover (`SENTINEL
#             FAILOVER`) and waits, at most REDIS_HANDOVER_WAIT seconds, until the Sentinel names
#             another member: a rollout or a drain moves the primary in about a second instead of
#             the down-after period plus an election
# Environment: REDIS_PASSWORD, REDIS_PORT, SENTINEL_PORT, REDIS_BIND (as for redis-start.sh).
set -eu

# The local address: the loopback unless the server binds one address only.
case $REDIS_BIND in
  *' '* | '*'* | 0.0.0.0) host=127.0.0.1 ;;
  *) host=$REDIS_BIND ;;
esac
export REDISCLI_AUTH="$REDIS_PASSWORD"
cli() {
  port=$1
  shift
  redis-cli --no-auth-warning --raw -h "$host" -p "$port" "$@"
}

case ${1:-} in
  ready)
    info=$(cli "$REDIS_PORT" INFO replication | tr -d '\r')
    case $info in
      *role:master*) exit 0 ;;
      *master_link_status:up*) exit 0 ;;
    esac
    echo "not ready: $(printf '%s\n' "$info" | grep -E '^(role|master_host|master_link_status):' | tr '\n' ' ')" >&2
    exit 1
    ;;
  live)
    answer=$(cli "$REDIS_PORT" PING | tr -d '\r')
    case $answer in
      PONG | LOADING* | MASTERDOWN*) ;;
      *)
        echo "not alive: $answer" >&2
        exit 1
        ;;
    esac
    [ -n "${REDIS_MASTER_NAME:-}" ] || exit 0
    info=$(cli "$REDIS_PORT" INFO replication | tr -d '\r')
    case $info in *master_link_status:down*) ;; *) exit 0 ;; esac
    following=$(printf '%s\n' "$info" | sed -n 's/^master_host://p')
    named=$(cli "$SENTINEL_PORT" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" 2>/dev/null | head -n 1 | tr -d '\r') || named=''
    if [ -n "$named" ] && [ -n "$following" ] && [ "$named" != "$following" ]; then
      echo "not alive: following $following, which is down, while the Sentinel names $named the primary" >&2
      exit 1
    fi
    ;;
  sentinel)
    [ "$(cli "$SENTINEL_PORT" PING | tr -d '\r')" = PONG ]
    ;;
  handover)
    [ -n "${REDIS_MASTER_NAME:-}" ] || exit 0
    info=$(cli "$REDIS_PORT" INFO replication | tr -d '\r') || exit 0
    case $info in *role:master*) ;; *) exit 0 ;; esac
    case $info in *connected_slaves:0*) exit 0 ;; esac
    self=$(cli "$REDIS_PORT" CONFIG GET replica-announce-ip | sed -n 2p | tr -d '\r') || exit 0
    named() { cli "$SENTINEL_PORT" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" | head -n 1 | tr -d '\r'; }
    cli "$SENTINEL_PORT" SENTINEL FAILOVER "$REDIS_MASTER_NAME" >&2 || exit 0
    waited=0
    while [ "$waited" -lt "${REDIS_HANDOVER_WAIT:-30}" ]; do
      now=$(named) || now=''
      if [ -n "$now" ] && [ "$now" != "$self" ]; then
        echo "handed over to $now" >&2
        exit 0
      fi
      sleep 1
      waited=$((waited + 1))
    done
    echo "no handover within ${REDIS_HANDOVER_WAIT:-30}s: stopping anyway" >&2
    ;;
  *)
    echo "usage: redis-probe.sh ready|live|sentinel|handover" >&2
    exit 2
    ;;
esac
