"""Interop agent (b): exports poke(), allowed only to callers whose auth.json entry grants capability 'can_poke',
and open_ping(), open to everyone. Run by scripts/interop-volttron.sh with VOLTTRON's unmodified agent code."""
import logging
import sys

from volttron.platform.agent import utils
from volttron.platform.vip.agent import RPC, Agent

utils.setup_logging()
_log = logging.getLogger("interop.cap_agent")


class CapAgent(Agent):
    def __init__(self, config_path=None, **kwargs):
        super().__init__(**kwargs)

    @RPC.export
    @RPC.allow("can_poke")
    def poke(self, who):
        _log.info("poked by %s", who)
        return "poked by " + who

    @RPC.export
    def open_ping(self, value):
        return {"pong": value}


def main():
    utils.vip_main(CapAgent, identity="interop.cap", version="1.0")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        pass
