#!/usr/bin/env bash
# 'make run': runs vipgate until Ctrl-C.
# With VOLTTRON_HOME set, it runs on that home and the broker its rabbitmq_config.yml names.
# Without it, it uses a demo home under ./var/home (created on first use) and a private RabbitMQ node
# under ./var/rabbitmq (scripts/broker.sh), which it stops again when vipgate exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Ctrl-C also ends a pipe reader such as '| tee'; a write to it must not kill the broker's shutdown.
trap '' PIPE

if [ -n "${VOLTTRON_HOME:-}" ]; then
    echo "run: using VOLTTRON_HOME=$VOLTTRON_HOME and the broker in its rabbitmq_config.yml" >&2
    exec bin/vipgate run --home "$VOLTTRON_HOME"
fi

home="$root/var/home"
amqp_port="${VIPGATE_BROKER_AMQP_PORT:-5682}"
mgmt_port="${VIPGATE_BROKER_MGMT_PORT:-15682}"
if [ ! -f "$home/config" ]; then
    mkdir -p "$home"
    cat > "$home/config" <<CONF
[volttron]
instance-name = vipgate-demo
message-bus = rmq
vip-address = tcp://127.0.0.1:22916
bind-web-address = https://127.0.0.1:8443
CONF
    cat > "$home/rabbitmq_config.yml" <<CONF
# The private node of 'make run' (scripts/broker.sh). Point these at your own broker to use it instead.
host: 127.0.0.1
amqp-port: $amqp_port
mgmt-port: $mgmt_port
virtual-host: volttron
user: guest
pass: guest
ssl: false
CONF
    echo "run: created the demo home $home" >&2
fi
# The web service (https) signs with the instance's CA, made from certificate-data on first start.
if ! grep -q '^certificate-data:' "$home/rabbitmq_config.yml"; then
    cat >> "$home/rabbitmq_config.yml" <<CONF
certificate-data:
  country: US
  state: WA
  location: Richland
  organization: vipgate demo
  organization-unit: vipgate
  common-name: vipgate-demo-root-ca
CONF
fi

started_broker=no
gateway=
stop_broker() {
    if [ "$started_broker" = yes ]; then
        scripts/broker.sh down || true
    fi
}
# Ctrl-C and SIGTERM reach this script; vipgate runs in the background (which ignores SIGINT), so pass them
# on as SIGTERM, wait for vipgate to close, and only then stop the broker.
stop_requested=no
forward_stop() {
    stop_requested=yes
    if [ -n "$gateway" ]; then kill -TERM "$gateway" 2>/dev/null || true; fi
}
trap stop_broker EXIT
trap forward_stop INT TERM

if ! scripts/broker.sh status 2>/dev/null; then
    scripts/broker.sh up
    started_broker=yes
fi

bin/vipgate run --home "$home" &
gateway=$!
rc=0
while kill -0 "$gateway" 2>/dev/null; do
    rc=0
    wait "$gateway" || rc=$?
done
# A stop that was asked for is a normal end (the JVM reports 143 after SIGTERM).
if [ "$stop_requested" = yes ] && [ "$rc" -eq 143 ]; then rc=0; fi
exit "$rc"
