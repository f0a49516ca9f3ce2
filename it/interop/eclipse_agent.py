"""Interop agent for eclipse-volttron (volttron-core 2 with volttron-lib-zmq), run unchanged by
scripts/interop-volttron.sh. Like config_agent.py it registers a default "config" and records every configuration
it is given; once configured it calls interop.cap.open_ping (a VOLTTRON 9 agent) and records the answer. It exports
echo() and secret() (protected by rpc_method_authorizations in auth.json) for the VOLTTRON 9 side to call, records
what it receives under devices/, and publishes {"n": <count>} on interop/from-eclipse every second. Records go to
the JSON-lines file $INTEROP_OUT."""
import json
import logging
import os
import sys

import gevent

from volttron.client.vip.agent import RPC, Agent, Core
from volttron.utils import vip_main

_log = logging.getLogger("interop.eclipse_agent")


def record(entry):
    with open(os.environ["INTEROP_OUT"], "a") as out:
        out.write(json.dumps(entry) + "\n")


class EclipseAgent(Agent):
    def __init__(self, config_path=None, **kwargs):
        super().__init__(**kwargs)
        self._pinged = False
        self.vip.config.set_default("config", {"setting": "default"})
        self.vip.config.subscribe(self.configure, actions=["NEW", "UPDATE", "DELETE"], pattern="config")

    def configure(self, config_name, action, contents):
        record({"event": "configure", "action": action, "config_name": config_name, "contents": contents})
        if not self._pinged:
            self._pinged = True
            gevent.spawn(self._ping)

    @Core.receiver("onstart")
    def onstart(self, sender, **kwargs):
        self.vip.pubsub.subscribe("pubsub", "devices/", self._on_device)
        self.core.periodic(1, self._publish)
        self._count = 0

    def _on_device(self, peer, sender, bus, topic, headers, message):
        record({"event": "pubsub", "sender": sender, "topic": topic, "message": message})

    def _publish(self):
        self._count += 1
        self.vip.pubsub.publish("pubsub", "interop/from-eclipse", message={"n": self._count})

    def _ping(self):
        try:
            answer = self.vip.rpc.call("interop.cap", "open_ping", "from-eclipse").get(timeout=10)
            record({"event": "ping", "answer": answer})
        except Exception as exc:
            record({"event": "ping-failed", "error": repr(exc)})

    @RPC.export
    def secret(self, value):
        return {"echo": value, "by": self.core.identity, "secret": True}

    @RPC.export
    def echo(self, value):
        return {"echo": value, "by": self.core.identity}


def main():
    vip_main(EclipseAgent, version="1.0")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        pass
