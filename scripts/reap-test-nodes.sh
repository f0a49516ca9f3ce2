#!/usr/bin/env bash
# Kills RabbitMQ nodes that tests started (node names vipgate-test-*) and that outlived their JVM,
# e.g. after the test JVM was killed with SIGKILL. Run by 'make test' after the tests, pass or fail.
# The node name is not on beam.smp's command line (3.10 passes it in the environment), so read that.
set -u
reaped=0
for pid in $(pgrep -x beam.smp 2>/dev/null); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -q '^RABBITMQ_NODENAME=vipgate-test-'; then
        name=$(tr '\0' '\n' < "/proc/$pid/environ" | sed -n 's/^RABBITMQ_NODENAME=//p')
        echo "reap-test-nodes: killing left-over test node $name (pid $pid)" >&2
        kill -KILL "$pid" 2>/dev/null || true
        reaped=$((reaped + 1))
    fi
done
[ "$reaped" -eq 0 ] || echo "reap-test-nodes: $reaped left-over node(s) killed; a test JVM did not stop its nodes" >&2
exit 0
