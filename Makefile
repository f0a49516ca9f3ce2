# vipgate: make setup | build | run | test | bench | interop | broker-up | broker-down | clean
MVN ?= mvn
MVN_FLAGS ?= -B -ntp

.PHONY: setup build run test bench interop broker-up broker-down clean

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

## bench: raw amqp-client and jeromq ceilings and the same traffic through vipgate; table + it/target/bench.json
bench:
	$(MVN) $(MVN_FLAGS) -q install -DskipTests
	$(MVN) $(MVN_FLAGS) -pl it test -Dbench.groups=bench -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false

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
