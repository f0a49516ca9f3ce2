"""Interop caller: connects as $AGENT_VIP_IDENTITY with its own CURVE keys and runs one check, given as argv:

  poke-allowed    interop.cap.poke must answer                (caller has 'can_poke' in auth.json)
  poke-refused    interop.cap.poke must fail naming 'can_poke' (caller lacks it)
  poke-restricted interop.cap.poke must fail on the parameter 'who' (caller's can_poke allows another 'who')
  unreachable     a call to a peer that is not connected must raise Unreachable within 5 s
  peers           peerlist must name the given identities (argv[2:])
  absent          peerlist must not name the given identities (argv[2:]), and a call to the first must raise
                  Unreachable within 5 s
  call            argv[2].argv[3](argv[4]) must answer {"echo": argv[4], ...}
  call-refused    argv[2].argv[3](argv[4]) must be refused with an error naming the caller
  subscribe       a message must arrive on topic prefix argv[2] within 10 s
  protected       publishing to interop/protected (protected_topics.json) must be refused (argv[2] = refused) or
                  delivered (argv[2] = allowed)
  query           platform.historian must have values for topic argv[2] within 20 s
  publish         publishes one device record to devices/<argv[2]>/all, then waits for it on the bus

Exits 0 when the check holds, 1 with a line on stderr saying what happened otherwise.
"""
import os
import sys
import time

import gevent

from volttron.platform import get_address, jsonapi
from volttron.platform.agent import utils
from volttron.platform.vip.agent import Agent
from volttron.platform.vip.agent.errors import Unreachable
from volttron.platform.jsonrpc import RemoteError

utils.setup_logging()


def fail(text):
    sys.stderr.write("CHECK FAILED: " + text + "\n")
    sys.exit(1)


def connect():
    agent = Agent(identity=os.environ["AGENT_VIP_IDENTITY"], address=get_address(),
                  publickey=os.environ["AGENT_PUBLICKEY"], secretkey=os.environ["AGENT_SECRETKEY"],
                  serverkey=os.environ["VOLTTRON_SERVERKEY"], enable_store=False)
    event = gevent.event.Event()
    gevent.spawn(agent.core.run, event)
    if not event.wait(timeout=15):
        fail("no welcome from the router within 15 s")
    return agent


def main():
    check = sys.argv[1]
    agent = connect()
    try:
        if check == "poke-allowed":
            try:
                result = agent.vip.rpc.call("interop.cap", "poke", agent.core.identity).get(timeout=10)
            except Exception as exc:
                fail(f"poke by {agent.core.identity} (has can_poke) raised {exc!r}")
            if result != "poked by " + agent.core.identity:
                fail(f"poke answered {result!r}")
        elif check == "poke-refused":
            try:
                result = agent.vip.rpc.call("interop.cap", "poke", agent.core.identity).get(timeout=10)
            except RemoteError as exc:
                if "can_poke" not in str(exc.message) and "can_poke" not in str(exc):
                    fail(f"poke refused, but the error does not name the capability: {exc!r}")
                print(f"refused as expected: {exc.message}")
            except Exception as exc:
                fail(f"poke by {agent.core.identity} (lacks can_poke) raised {exc!r}, not a RemoteError")
            else:
                fail(f"poke by {agent.core.identity} (lacks can_poke) was answered: {result!r}")
        elif check == "poke-restricted":
            try:
                result = agent.vip.rpc.call("interop.cap", "poke", agent.core.identity).get(timeout=10)
            except Exception as exc:
                text = str(getattr(exc, "message", "")) + str(exc)
                if "who" not in text:
                    fail(f"poke refused, but the error does not name the parameter 'who': {exc!r}")
                print(f"refused as expected: {text}")
            else:
                fail(f"poke by {agent.core.identity} (can_poke only for another 'who') was answered: {result!r}")
        elif check == "unreachable":
            start = time.monotonic()
            try:
                result = agent.vip.rpc.call("interop.no.such.peer", "anything").get(timeout=30)
            except Unreachable as exc:
                took = time.monotonic() - start
                if took > 5:
                    fail(f"Unreachable came only after {took:.1f} s")
                print(f"Unreachable after {took:.2f} s: {exc!r}")
            except gevent.Timeout:
                fail("a call to a missing peer got no answer in 30 s (expected Unreachable at once)")
            except Exception as exc:
                fail(f"a call to a missing peer raised {exc!r}, not Unreachable")
            else:
                fail(f"a call to a missing peer was answered: {result!r}")
        elif check == "peers":
            peers = agent.vip.peerlist().get(timeout=10)
            missing = [p for p in sys.argv[2:] if p not in peers]
            if missing:
                fail(f"peerlist {peers} lacks {missing}")
        elif check == "absent":
            peers = agent.vip.peerlist().get(timeout=10)
            present = [p for p in sys.argv[2:] if p in peers]
            if present:
                fail(f"peerlist {peers} still names {present}")
            start = time.monotonic()
            try:
                agent.vip.rpc.call(sys.argv[2], "anything").get(timeout=30)
            except Unreachable:
                took = time.monotonic() - start
                if took > 5:
                    fail(f"Unreachable for the dead peer {sys.argv[2]} came only after {took:.1f} s")
            except gevent.Timeout:
                fail(f"a call to the dead peer {sys.argv[2]} got no answer in 30 s")
            except Exception as exc:
                fail(f"a call to the dead peer {sys.argv[2]} raised {exc!r}, not Unreachable")
            else:
                fail(f"a call to the dead peer {sys.argv[2]} was answered")
        elif check == "call":
            peer, method, value = sys.argv[2], sys.argv[3], sys.argv[4]
            try:
                result = agent.vip.rpc.call(peer, method, value).get(timeout=10)
            except Exception as exc:
                fail(f"{peer}.{method}({value!r}) raised {exc!r}")
            if not isinstance(result, dict) or result.get("echo") != value:
                fail(f"{peer}.{method}({value!r}) answered {result!r}")
            print(f"{peer}.{method} answered {result}")
        elif check == "call-refused":
            peer, method, value = sys.argv[2], sys.argv[3], sys.argv[4]
            try:
                result = agent.vip.rpc.call(peer, method, value).get(timeout=10)
            except RemoteError as exc:
                if agent.core.identity not in str(exc.message):
                    fail(f"{peer}.{method} refused, but the error does not name the caller: {exc!r}")
                print(f"refused as expected: {exc.message}")
            except Exception as exc:
                fail(f"{peer}.{method} by {agent.core.identity} raised {exc!r}, not a RemoteError")
            else:
                fail(f"{peer}.{method} by {agent.core.identity} was answered: {result!r}")
        elif check == "subscribe":
            got = gevent.event.AsyncResult()
            agent.vip.pubsub.subscribe("pubsub", sys.argv[2],
                                       lambda peer, sender, bus, t, headers, message: got.set((sender, t, message))
                                       ).get(timeout=10)
            try:
                print("received", got.get(timeout=10))
            except gevent.Timeout:
                fail(f"nothing arrived on {sys.argv[2]} within 10 s")
        elif check == "publish":
            device = sys.argv[2]
            topic = f"devices/{device}/all"
            got = gevent.event.AsyncResult()
            agent.vip.pubsub.subscribe("pubsub", topic,
                                       lambda peer, sender, bus, t, headers, message: got.set(message)).get(timeout=10)
            now = utils.format_timestamp(utils.get_aware_utc_now())
            headers = {"Date": now, "TimeStamp": now, "SynchronizedTimeStamp": now}
            message = [{"temperature": 21.5, "setpoint": 20}, {"temperature": {"units": "C", "type": "float"},
                                                               "setpoint": {"units": "C", "type": "integer"}}]
            agent.vip.pubsub.publish("pubsub", topic, headers=headers, message=message).get(timeout=10)
            try:
                echoed = got.get(timeout=10)
            except gevent.Timeout:
                fail(f"the record published on {topic} did not come back to its subscriber")
            if echoed != message:
                fail(f"{topic} came back as {echoed!r}")
        elif check == "protected":
            expect = sys.argv[2]
            got = gevent.event.AsyncResult()
            agent.vip.pubsub.subscribe("pubsub", "interop/protected",
                                       lambda peer, sender, bus, t, headers, message: got.set(message)).get(timeout=10)
            try:
                agent.vip.pubsub.publish("pubsub", "interop/protected", message="guarded").get(timeout=10)
            except Exception as exc:
                if expect != "refused":
                    fail(f"publishing to a protected topic with its capability raised {exc!r}")
                if "can_publish" not in str(exc):
                    fail(f"publishing to a protected topic refused, but the error does not name the capability: {exc!r}")
                print(f"refused as expected: {exc!r}")
            else:
                if expect == "refused":
                    fail("publishing to a protected topic without its capability was accepted")
                try:
                    got.get(timeout=10)
                except gevent.Timeout:
                    fail("a publish to a protected topic by a capable publisher was not delivered")
        elif check == "query":
            topic = sys.argv[2]
            deadline = time.monotonic() + 20
            while True:
                result = agent.vip.rpc.call("platform.historian", "query", topic=topic, count=5).get(timeout=10)
                if result and result.get("values"):
                    print(f"historian has {topic}: {result['values']}")
                    break
                if time.monotonic() > deadline:
                    fail(f"platform.historian has no values for {topic} after 20 s: {result!r}")
                gevent.sleep(1)
        else:
            fail("unknown check " + check)
    finally:
        agent.core.stop(timeout=5)


if __name__ == "__main__":
    main()
    sys.exit(0)
