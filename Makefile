# vipgate: make setup | build | run | test | bench | bench-baseline | interop | broker-up | broker-down | clean
MVN ?= mvn
MVN_FLAGS ?= -B -ntp

.PHONY: setup build run test bench bench-baseline interop broker-up broker-down clean

## setup: install what a fresh Debian machine lacks (rabbitmq-server, python3-zmq, python3-pika)
setup:
	@scripts/setup.sh

## build: compile and package bin/vipgate (no tests)
build:
	$(MVN) $(MVN_FLAGS) -q install -DskipTests

## run: start vipgate (and a private RabbitMQ under ./var when VOLTTRON_HOME is unset) until Ctrl-C
run: build
	@scripts/run-demo.sh

## test: every module's tests against a real RabbitMQ; left-over test nodes are reaped, pass or fail
test:
	@rc=0; $(MVN) $(MVN_FLAGS) verify || rc=$$?; scripts/reap-test-nodes.sh; exit $$rc

## bench: raw ceilings and the same traffic through bin/vipgate; table, it/target/bench.json, gate against
##        it/bench-baseline.json (BENCH_GATE=warn only prints ratios that fell by more than a fifth)
BENCH_GATE ?= fail
bench:
	$(MVN) $(MVN_FLAGS) -pl it -am package -Dtest=BenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dbench.groups=bench -Dbench.excluded=none -Dbench.gate=$(BENCH_GATE)

## bench-baseline: keep the last 'make bench' figures as the baseline the gate compares with (then commit it)
bench-baseline:
	cp it/target/bench.json it/bench-baseline.json

## interop: vipgate against real VOLTTRON agent code; needs VOLTTRON_SRC=<checkout of VOLTTRON/volttron> (optional
##   ECLIPSE_CORE_SRC/ECLIPSE_ZMQ_SRC=<volttron-core 2 / volttron-lib-zmq checkouts>) and Debian's python3-gevent
##   python3-zmq python3-dateutil python3-tz python3-tzlocal python3-psutil python3-cryptography python3-watchdog
##   python3-yaml python3-requests python3-ply python3-ujson (+ python3-attr python3-cattr python3-blinker); not in 'test'
interop:
	$(MVN) $(MVN_FLAGS) -q -pl gateway -am package -DskipTests
	@scripts/interop-volttron.sh

## broker-up / broker-down: the private RabbitMQ node of 'make run', under ./var/rabbitmq
broker-up:
	@scripts/broker.sh up

broker-down:
	@scripts/broker.sh down

clean:
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf var
