"""Interop agent (a): built the way VOLTTRON's agent template builds agents.

It registers a default configuration with self.vip.config.set_default, subscribes to "config" changes, and
writes every configuration it is given to the JSON-lines file $INTEROP_OUT, one object a line:
{"event": "configure", "action": ..., "config_name": ..., "contents": ...}. On its first configure it also
stores a configuration of its own ("own") through self.vip.config.set, and logs {"event": "own-set"}.

Run by scripts/interop-volttron.sh with VOLTTRON's unmodified agent code on PYTHONPATH.
"""
import json
import logging
import os
import sys

import gevent

from volttron.platform.agent import utils
from volttron.platform.vip.agent import Agent

utils.setup_logging()
_log = logging.getLogger("interop.config_agent")

DEFAULT = {"setting": "default", "interval": 60}


def record(entry):
    with open(os.environ["INTEROP_OUT"], "a") as out:
        out.write(json.dumps(entry) + "\n")


class ConfigAgent(Agent):
    def __init__(self, config_path=None, **kwargs):
        super().__init__(enable_store=True, **kwargs)
        self._own_stored = False
        self.vip.config.set_default("config", DEFAULT)
        self.vip.config.subscribe(self.configure, actions=["NEW", "UPDATE", "DELETE"], pattern="config")

    def configure(self, config_name, action, contents):
        _log.info("configure %s %s %s", action, config_name, contents)
        record({"event": "configure", "action": action, "config_name": config_name, "contents": contents})
        if not self._own_stored:
            self._own_stored = True
            # The store refuses set() from inside a configuration callback: do it in a greenlet of its own.
            gevent.spawn(self._store_own)

    def _store_own(self):
        try:
            self.vip.config.set("own", {"written_by": "config_agent"})
            record({"event": "own-set"})
        except Exception as exc:
            record({"event": "own-set-failed", "error": repr(exc)})


def main():
    utils.vip_main(ConfigAgent, identity="interop.config", version="1.0")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        pass
