#!/usr/bin/env bash
# A private RabbitMQ node for 'make run' and 'make broker-up', kept under ./var/rabbitmq.
#   scripts/broker.sh up      start it (if not running) and wait until it answers
#   scripts/broker.sh down    stop it
#   scripts/broker.sh status  say whether it runs
# Ports: VIPGATE_BROKER_AMQP_PORT (5682), VIPGATE_BROKER_MGMT_PORT (15682), VIPGATE_BROKER_DIST_PORT (25682).
# It listens on 127.0.0.1 only; its user is guest/guest.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="${VIPGATE_BROKER_DIR:-$root/var/rabbitmq}"
amqp_port="${VIPGATE_BROKER_AMQP_PORT:-5682}"
mgmt_port="${VIPGATE_BROKER_MGMT_PORT:-15682}"
dist_port="${VIPGATE_BROKER_DIST_PORT:-25682}"
node="${VIPGATE_BROKER_NODE:-vipgate-dev@localhost}"
pidfile="$dir/node.pid"

say() { echo "broker: $*" >&2 2>/dev/null || true; }

server_bin() {
    for c in "${VIPGATE_RABBITMQ_SERVER:-}" /usr/lib/rabbitmq/bin/rabbitmq-server /usr/sbin/rabbitmq-server \
             /usr/local/sbin/rabbitmq-server; do
        if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
    done
    say "rabbitmq-server is not installed; run 'make setup' (Debian package rabbitmq-server)"
    return 1
}

running_pid() {
    [ -f "$pidfile" ] || return 1
    local pid
    pid=$(cat "$pidfile" 2>/dev/null || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() {
    curl -sf -o /dev/null -u guest:guest "http://127.0.0.1:$mgmt_port/api/overview"
}

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

up() {
    if pid=$(running_pid); then
        say "node $node already runs (pid $pid, amqp 127.0.0.1:$amqp_port, management $mgmt_port)"
        return 0
    fi
    for p in "$amqp_port" "$mgmt_port" "$dist_port"; do
        if port_busy "$p"; then
            say "port $p on 127.0.0.1 is taken by another program; set VIPGATE_BROKER_AMQP_PORT," \
                "VIPGATE_BROKER_MGMT_PORT and VIPGATE_BROKER_DIST_PORT to free ports"
            return 1
        fi
    done
    local bin
    bin=$(server_bin)
    mkdir -p "$dir/mnesia" "$dir/log"
    cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.port = $mgmt_port
management.tcp.ip = 127.0.0.1
log.file.level = info
log.console = false
CONF
    echo '[rabbitmq_management,rabbitmq_federation,rabbitmq_federation_management,rabbitmq_shovel,rabbitmq_shovel_management,rabbitmq_auth_mechanism_ssl].' \
        > "$dir/enabled_plugins"
    cat > "$dir/rabbitmq-env.conf" <<'CONF'
ERL_EPMD_ADDRESS=127.0.0.1
export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
    say "starting node $node under $dir (amqp 127.0.0.1:$amqp_port, management $mgmt_port)"
    (
        cd "$dir"
        for v in $(env | sed -n 's/^\(RABBITMQ_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
        export HOME="$dir" \
            RABBITMQ_NODENAME="$node" \
            RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
            RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
            RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
            RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
            RABBITMQ_MNESIA_BASE="$dir/mnesia" \
            RABBITMQ_LOG_BASE="$dir/log" \
            RABBITMQ_DIST_PORT="$dist_port" \
            RABBITMQ_PID_FILE="$pidfile"
        rm -f "$pidfile"
        nohup "$bin" >> "$dir/console.log" 2>&1 < /dev/null &
    )
    local waited=0
    until answers; do
        if [ "$waited" -ge 600 ]; then
            say "node did not answer within 60 s; see $dir/console.log and $dir/log/"
            tail -n 20 "$dir/console.log" >&2 || true
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    say "node $node ready after $((waited / 10)).$((waited % 10)) s"
}

down() {
    local pid
    if ! pid=$(running_pid); then
        say "node $node is not running"
        return 0
    fi
    say "stopping node $node (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { say "stopped"; rm -f "$pidfile"; return 0; }
        sleep 0.1
    done
    say "node did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

status() {
    if pid=$(running_pid); then
        say "node $node runs (pid $pid, amqp 127.0.0.1:$amqp_port, management http://127.0.0.1:$mgmt_port)"
    else
        say "node $node is not running"
        return 3
    fi
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
