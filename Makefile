# vipgate: make setup | build | run | test | bench | broker-up | broker-down | clean
MVN ?= mvn
MVN_FLAGS ?= -B -ntp

.PHONY: setup build run test bench broker-up broker-down clean

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

## broker-up / broker-down: the private RabbitMQ node of 'make run', under ./var/rabbitmq
broker-up:
	@scripts/broker.sh up

broker-down:
	@scripts/broker.sh down

clean:
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf var
