"""A test agent that behaves on the wire like a VOLTTRON 9 agent (or, with --eclipse, an eclipse-volttron agent).

Debian's python3-zmq only; one thread, one poll loop. Commands arrive as JSON lines on stdin, events leave as JSON
lines on stdout (each has "event" and "time"). What it mirrors of VOLTTRON's client is described in
docs/protocol/platform-services.md (config push, capability checks, message-id decoding) and vip-zmq.md (frames).

usage: volttron_agent.py ADDRESS IDENTITY SERVERKEY|- PUBLICKEY|- SECRETKEY|-
                         [--eclipse] [--no-config] [--no-auth] [--defaults JSON] [--protect METHOD=CAP[,CAP] ...]

  '-' for the three keys: NULL security. Keys are VOLTTRON's 43-character URL-safe base64 form.

commands (one JSON object a line):
  {"cmd":"call","peer":P,"method":M,"args":[...],"kwargs":{...},"timeout":S,"tag":T}
      -> {"event":"call_done","peer":P,"method":M,"tag":T, one of "result" | "error" | "unreachable"+"errno" |
          "vip_error" | "timeout"}; without "timeout" the call waits forever, as VOLTTRON's .get() does
  {"cmd":"peerlist"}                        -> {"event":"peerlist_listing","peers":[...]}
  {"cmd":"send_raw","frames":[latin-1 text, ...]}  sends exactly these frames (RECIPIENT first)
  {"cmd":"stop"}                            sends agentstop for itself, closes, exits 0
"""
import argparse
import base64
import copy
import inspect
import json
import os
import re
import struct
import sys
import time
import traceback

import zmq
import zmq.utils.monitor
import zmq.utils.z85

AUTH = "platform.auth"
V9_STORE = "config.store"
E_STORE = "platform.config_store"
E_UNGUARDED_PEERS = (AUTH, "control.connection", "platform.control")

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
UNHANDLED_EXCEPTION, UNAUTHORIZED = -32000, -32001

POLL_MS = 50
MAX_SEND_QUEUE = 10000
MAX_STDIN_LINE = 1 << 20
LINK_PREFIX = "config://"


# ---------------------------------------------------------------------------------------------------------------
# output

def emit(event, **fields):
    record = {"event": event, "time": time.time()}
    record.update(fields)
    try:
        line = json.dumps(record, default=repr)
    except ValueError as exc:  # e.g. a self-referencing config; say so rather than die
        line = json.dumps({"event": event, "time": record["time"], "unprintable": str(exc)})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def log(text):
    sys.stderr.write("volttron_agent: %s\n" % text)
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------------------------
# frames: VOLTTRON decodes every received frame as latin-1 text, then json.loads, keeping the text if that fails;
# it encodes by Python type when sending (docs/protocol/platform-services.md section 4)

def decode_frame(frame):
    text = frame.decode("latin-1")
    try:
        return json.loads(text)
    except ValueError:
        return text


def encode_frame(value, eclipse):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("latin-1")
    if isinstance(value, bool):
        return struct.pack("?", value)
    if isinstance(value, int):
        return struct.pack("I", value)
    if isinstance(value, float):
        return struct.pack("d" if eclipse else "f", value)
    if value is None:
        return b""
    return json.dumps(value).encode("latin-1")


def z85(key43):
    raw = base64.urlsafe_b64decode(key43 + "=")
    if len(raw) != 32:
        raise ValueError("a CURVE key must be 32 bytes, got %d from %r" % (len(raw), key43))
    return zmq.utils.z85.encode(raw)


# ---------------------------------------------------------------------------------------------------------------
# exceptions shaped like VOLTTRON's, so that error replies carry the same exc_type and exc_args

class JsonRpcError(Exception):
    """VOLTTRON's jsonrpc.Error: args (code, message[, data]); str() is data.detail or message."""

    def __init__(self, code, message, data=None):
        super().__init__(*((code, message, data) if data is not None else (code, message)))
        self.code, self.message, self.data = code, message, data

    def __str__(self):
        try:
            return str(self.data["detail"])
        except (TypeError, KeyError):
            return str(self.message)


class RemoteError(Exception):
    """VOLTTRON's jsonrpc.RemoteError built from a -32000 error reply."""

    def __init__(self, message, **exc_info):
        text = message
        if "exc_type" in exc_info and "exc_args" in exc_info:
            text = "%s(%s)" % (exc_info["exc_type"], ", ".join(repr(a) for a in exc_info["exc_args"]))
        super().__init__(text)
        self.message = message
        self.exc_info = exc_info


class VIPError(Exception):
    def __init__(self, errnum, msg, peer, subsystem, *rest):
        super().__init__(errnum, msg, peer, subsystem, *rest)
        self.errno, self.msg, self.peer, self.subsystem = int(errnum), msg, peer, subsystem

    def __str__(self):
        return "VIP error (%d): %s" % (self.errno, self.msg)


class Unreachable(VIPError):
    def __str__(self):
        return "%s: %s" % (super().__str__(), self.peer)


class Again(VIPError):
    pass


class UnknownSubsystem(VIPError):
    def __str__(self):
        return "%s: %s" % (super().__str__(), self.subsystem)


def vip_error_from(args):
    errnum = int(args[0])
    cls = {113: Unreachable, 11: Again, 93: UnknownSubsystem}.get(errnum, VIPError)
    return cls(errnum, *args[1:])


def exception_from_json(code, message, data=None):
    if code == UNHANDLED_EXCEPTION and isinstance(data, dict):
        return RemoteError(data.get("detail", message), **data.get("exception.py", {}))
    return JsonRpcError(code, message, data)


class Timeout(Exception):
    """A .get(timeout) that expired: in VOLTTRON a BaseException that kills the handler without a reply."""


def exc_type_name(exc, eclipse):
    own = {
        JsonRpcError: "volttron.%s.jsonrpc.Error" % ("utils" if eclipse else "platform"),
        RemoteError: "volttron.%s.jsonrpc.RemoteError" % ("utils" if eclipse else "platform"),
    }
    if type(exc) in own:
        return own[type(exc)]
    if isinstance(exc, VIPError):
        return "volttron.%s.vip.agent.errors.%s" % ("client" if eclipse else "platform", type(exc).__name__)
    return "%s.%s" % (type(exc).__module__, type(exc).__name__)


# ---------------------------------------------------------------------------------------------------------------
# JSON-RPC bodies, with VOLTTRON's member order and default json.dumps separators

def json_method(ident, method, args, kwargs):
    request = {"jsonrpc": "2.0", "method": str(method)}
    if args and kwargs:
        request["params"] = {"*args": list(args), "**kwargs": kwargs}
    elif args:
        request["params"] = list(args)
    elif kwargs:
        request["params"] = kwargs
    if ident is not None:
        request["id"] = ident
    return request


def json_result(ident, result):
    return {"jsonrpc": "2.0", "id": ident, "result": result}


def json_error(ident, code, message, **data):
    error = {"code": code, "message": message}
    if data:
        error["data"] = data
    return {"jsonrpc": "2.0", "id": ident, "error": error}


def counter():
    count = int(time.time())
    while True:
        yield count
        count += 1


# ---------------------------------------------------------------------------------------------------------------
# the local configuration model (docs/protocol/platform-services.md section 1.7)

def strip_config_name(name):
    return name.strip(" \t\n\r\x0b\x0c\\/")


def link_target(value):
    if value.startswith(LINK_PREFIX):
        return strip_config_name(value.replace(LINK_PREFIX, "", 1)).lower()
    return None


def unique_links(contents):
    found = set()
    values = list(contents.values()) if isinstance(contents, dict) else contents if isinstance(contents, list) \
        else []
    for value in values:
        if isinstance(value, (dict, list)):
            found.update(unique_links(value))
        elif isinstance(value, str) and value.lower().startswith(LINK_PREFIX):
            found.add(strip_config_name(value.lower().replace(LINK_PREFIX, "", 1)))
    return found


class ConfigModel:
    def __init__(self, defaults):
        self.store = {}
        self.names = {}
        self.defaults = {k.lower(): v for k, v in defaults.items()}
        self.default_names = {k.lower(): k for k in defaults}
        self.refs = {}
        self.reverse_refs = {}
        self.initialized = False
        self.initial_callbacks_done = False

    def _add_refs(self, name, contents):
        links = unique_links(contents)
        self.refs[name] = links
        for link in links:
            self.reverse_refs.setdefault(link, set()).add(name)

    def _delete_refs(self, name):
        for link in self.refs.pop(name, set()):
            users = self.reverse_refs.get(link, set())
            users.discard(name)
            if not users:
                self.reverse_refs.pop(link, None)

    def _update_refs(self, name, contents):
        self._delete_refs(name)
        self._add_refs(name, contents)

    def initial_update(self, configs, reset_names=True):
        self.initialized = True
        self.store = {k.lower(): v for k, v in configs.items()}
        if reset_names:
            self.names = {k.lower(): k for k in configs}
        for name, contents in self.store.items():
            self._add_refs(name, contents)
        for name, contents in self.defaults.items():
            if name not in self.store:
                self._add_refs(name, contents)

    def startup_actions(self):
        affected = {}
        for name in self.store:
            affected[name] = "NEW"
        for name in self.defaults:
            affected[name] = "NEW"
        return affected

    def _gather_affected(self, name, seen):
        for user in list(self.reverse_refs.get(name, set())):
            if user not in seen:
                seen[user] = "UPDATE"
                self._gather_affected(user, seen)

    def update(self, action, config_name, contents):
        """Applies a push; returns (affected {lower name: action}, a cleanup to run after the callbacks)."""
        affected = {}
        cleanup = None
        if action == "DELETE":
            lower = config_name.lower()
            if lower in self.store:
                del self.store[lower]
                if lower not in self.defaults:
                    affected[lower] = "DELETE"
                    self._gather_affected(lower, affected)
                    self._delete_refs(lower)
                else:
                    affected[lower] = "UPDATE"
                    self._gather_affected(lower, affected)
                    self._update_refs(lower, self.defaults[lower])
            cleanup = lambda: self.names.pop(lower, None)
        elif action == "DELETE_ALL":
            for name in self.store:
                affected[name] = "DELETE"
            for name in self.defaults:
                affected[name] = "UPDATE"
            self.refs, self.reverse_refs = {}, {}
            self.initial_update({}, False)
            cleanup = self.names.clear
        elif action in ("NEW", "UPDATE"):
            lower = config_name.lower()
            self.store[lower] = contents
            self.names[lower] = config_name
            if lower in self.defaults:
                action = "UPDATE"
            affected[lower] = action
            self._update_refs(lower, contents)
            self._gather_affected(lower, affected)
        return affected, cleanup

    def _resolve_links(self, contents, gathered):
        items = contents.items() if isinstance(contents, dict) else enumerate(contents) \
            if isinstance(contents, list) else []
        for key, value in list(items):
            if isinstance(value, (dict, list)):
                self._resolve_links(value, gathered)
            elif isinstance(value, str):
                target = link_target(value)
                if target is not None:
                    contents[key] = self._gather_child(target, gathered)

    def _gather_child(self, name, gathered):
        if name in gathered:
            return gathered[name]
        contents = self.store.get(name)
        if contents is None:
            contents = self.defaults.get(name)
        contents = copy.deepcopy(contents)
        gathered[name] = contents
        self._resolve_links(contents, gathered)
        return contents

    def resolved(self, name):
        if self.store.get(name) is None and self.defaults.get(name) is None:
            raise KeyError("{} not in store".format(name))
        return self._gather_child(name, {})

    def callbacks(self, affected):
        """The callbacks VOLTTRON runs for a subscription to every name and action, "config" first."""
        names = dict(self.default_names)
        names.update(self.names)
        order = (["config"] if "config" in affected else []) + [n for n in affected if n != "config"]
        for name in order:
            action = affected[name]
            try:
                contents = None if action == "DELETE" else self.resolved(name)
                emit("config_callback", name=names[name], action=action, contents=contents)
            except Exception as exc:  # VOLTTRON logs a failing callback and goes on
                emit("config_callback_failed", name=name, action=action, error=repr(exc))


# ---------------------------------------------------------------------------------------------------------------
# the agent

class Message:
    def __init__(self, peer, user, msg_id, subsystem, args, raw):
        self.peer, self.user, self.id, self.subsystem, self.args, self.raw = peer, user, msg_id, subsystem, args, raw


class OutgoingCall:
    def __init__(self, peer, method, timeout, on_done):
        self.peer, self.method, self.on_done = peer, method, on_done
        self.deadline = None if timeout is None else time.monotonic() + float(timeout)
        self.json_id = None
        self.msg_id = None


class Export:
    """An exported method: fn(*args, **kwargs) runs with agent.context set to the incoming message."""

    def __init__(self, fn, required_caps=None):
        self.fn = fn
        self.required_caps = required_caps


class Agent:
    def __init__(self, opts):
        self.opts = opts
        self.eclipse = opts.eclipse
        self.identity = opts.identity
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.IDENTITY, opts.identity.encode("utf-8"))
        self.sock.setsockopt(zmq.IMMEDIATE, 1)
        self.sock.setsockopt(zmq.SNDHWM, 6000)
        self.sock.setsockopt(zmq.RCVHWM, 6000)
        self.sock.setsockopt(zmq.TCP_KEEPALIVE, 1)
        self.sock.setsockopt(zmq.TCP_KEEPALIVE_IDLE, 180)
        self.sock.setsockopt(zmq.TCP_KEEPALIVE_INTVL, 20)
        self.sock.setsockopt(zmq.TCP_KEEPALIVE_CNT, 6)
        if opts.serverkey != "-":
            self.sock.curve_serverkey = z85(opts.serverkey)
            self.sock.curve_publickey = z85(opts.publickey)
            self.sock.curve_secretkey = z85(opts.secretkey)
        self.monitor = self.sock.get_monitor_socket()
        self.poller = zmq.Poller()
        self.poller.register(self.sock, zmq.POLLIN)
        self.poller.register(self.monitor, zmq.POLLIN)
        self.poller.register(0, zmq.POLLIN)
        self.stdin_buf = b""
        self.send_queue = []
        self.vip_alive = True
        self.running = True

        self.hello_count = 0
        self.hello_ident = None
        self.hello_deadline = None
        self.connected = False

        self.rpc_counter = counter()       # VIP msg-ids: "<counter>.<hash>"
        self.result_counter = counter()    # JSON-RPC ids: "%f.%f" % (counter, hash)
        self.results = {}                  # JSON-RPC id -> OutgoingCall (replies are matched here)
        self.outstanding = {}              # original msg-id string -> OutgoingCall (VIP errors are matched here)
        self.peerlist_pending = {}         # msg-id -> True
        self.context = None

        self.caps = {}                     # V9: user -> capabilities, from platform.auth
        self.caps_dirty = True
        self.protected_rpcs = None         # eclipse: names from get_protected_rpcs; None until it succeeded
        self.e_waiting = []                # eclipse: calls held until get_protected_rpcs answered
        self.e_fetching = False

        self.config = ConfigModel(opts.defaults)
        self.exports = {}
        self._export_builtins()

    # -- exports --------------------------------------------------------------------------------------------------

    def _export_builtins(self):
        guard = None if self.eclipse or self.opts.no_auth else {"sync_agent_config"}
        self.exports["config.update"] = Export(self._update_config, guard)
        self.exports["config.initial_update"] = Export(self._initial_update, guard)
        self.exports["auth.update"] = Export(self._update_capabilities)
        self.exports["echo"] = Export(self.echo)
        if self.eclipse:
            self.exports["rpc.add_protected_rpcs"] = Export(self._add_protected_rpcs)
        for spec in self.opts.protect:
            method, _, caps = spec.partition("=")
            required = {c.strip() for c in caps.split(",")} if caps else {""}
            self.exports[method] = Export(self._protected_method(method), None if self.eclipse else required)

    def _initial_update(self, configs, reset_name_map=True):
        emit("config_initial_update", configs=configs, caller=str(self.context.user))
        self.config.initial_update(configs, reset_name_map)
        return None

    def _update_config(self, action, config_name, contents=None, trigger_callback=False):
        emit("config_update", action=action, config_name=config_name, contents=contents,
             trigger_callback=trigger_callback, caller=str(self.context.user))
        if not self.config.initialized:
            return None
        affected, cleanup = self.config.update(action, config_name, contents)
        if trigger_callback and self.config.initial_callbacks_done:
            self.config.callbacks(affected)
        if cleanup is not None:
            cleanup()
        return None

    def _update_capabilities(self, user_to_capabilities):
        sender = self.context.peer
        accepted = sender == AUTH
        emit("auth_update", sender=sender, accepted=accepted, capabilities=user_to_capabilities)
        if accepted:
            self.caps = user_to_capabilities
            self.caps_dirty = True
        return None

    def _add_protected_rpcs(self, updated_list):
        emit("protected_rpcs", names=updated_list, pushed=True)
        if not self.protected_rpcs:
            self.protected_rpcs = list(updated_list)
        else:
            self.protected_rpcs = list(self.protected_rpcs) + [n for n in updated_list
                                                               if n not in self.protected_rpcs]
        return None

    def echo(self, value=None):
        return value

    def _protected_method(self, name):
        def method(*args, **kwargs):
            return {"ok": True, "method": name, "args": {"args": list(args), "kwargs": kwargs}}
        method.__name__ = name
        return method

    # -- sending --------------------------------------------------------------------------------------------------

    def send(self, frames):
        if len(self.send_queue) >= MAX_SEND_QUEUE:
            emit("send_dropped", reason="send queue full (%d)" % MAX_SEND_QUEUE,
                 frames=[f.decode("latin-1") for f in frames])
            return
        self.send_queue.append(frames)
        self.flush()

    def flush(self):
        while self.send_queue:
            try:
                self.sock.send_multipart(self.send_queue[0], flags=zmq.NOBLOCK)
            except zmq.Again:
                return
            self.send_queue.pop(0)

    def send_vip(self, peer, subsystem, args, msg_id="", user=""):
        e = self.eclipse
        self.send([encode_frame(peer, e), b"VIP1", encode_frame(user, e), encode_frame(msg_id, e),
                   encode_frame(subsystem, e)] + [encode_frame(a, e) for a in args])

    def call(self, peer, method, args, kwargs, timeout, on_done):
        """Outgoing RPC; on_done gets ("result", value) | ("error", exc) | ("timeout", None)."""
        if self.eclipse and self.protected_rpcs is None and peer not in E_UNGUARDED_PEERS:
            # the first outgoing call asks platform.auth for this agent's protected exports; its failure is the
            # caller's failure, and the next call asks again
            self.e_waiting.append((peer, method, args, kwargs, timeout, on_done))
            if not self.e_fetching:
                self.e_fetching = True
                self.call(AUTH, "get_protected_rpcs", [self.identity], {}, 10, self._protected_rpcs_answer)
            return
        out = OutgoingCall(peer, method, timeout, on_done)
        hash_value = hash(out)
        out.json_id = "%f.%f" % (next(self.result_counter), hash_value)
        out.msg_id = "%s.%s" % (next(self.rpc_counter), hash_value)
        self.results[out.json_id] = out
        self.outstanding[out.msg_id] = out
        body = json.dumps(json_method(out.json_id, method, args, kwargs))
        self.send_vip(peer, "RPC", [body], msg_id=out.msg_id)

    def _protected_rpcs_answer(self, kind, value):
        self.e_fetching = False
        waiting, self.e_waiting = self.e_waiting, []
        if kind == "result":
            self.protected_rpcs = value
            emit("protected_rpcs", names=value, pushed=False)
            for peer, method, args, kwargs, timeout, on_done in waiting:
                self.call(peer, method, args, kwargs, timeout, on_done)
        else:
            for entry in waiting:
                entry[5](kind, value)

    def _finish(self, out, kind, value):
        self.results.pop(out.json_id, None)
        self.outstanding.pop(out.msg_id, None)
        out.on_done(kind, value)

    # -- start-up -------------------------------------------------------------------------------------------------

    def hello(self):
        self.hello_ident = "connect.hello.%d" % self.hello_count
        self.hello_count += 1
        self.hello_deadline = time.monotonic() + (60.0 if self.eclipse else 10.0)
        self.send_vip("", "hello", ["hello"], msg_id=self.hello_ident)

    def on_welcome(self, msg):
        self.connected = True
        self.hello_deadline = None
        version, router, identity = msg.args[1:4]
        emit("welcome", version=version, router=router, identity=identity)
        if not self.opts.no_config:
            store = E_STORE if self.eclipse else V9_STORE
            self.call(store, "initialize_configs", [self.identity], {}, None, self._configs_initialized)

    def _configs_initialized(self, kind, value):
        if kind != "result":
            # VOLTTRON logs and returns: no callbacks at all, not even for defaults
            emit("config_failed", **describe_failure(kind, value))
            return
        emit("config_ready", initialized=self.config.initialized)
        self.config.callbacks(self.config.startup_actions())
        self.config.initial_callbacks_done = True

    # -- receiving ------------------------------------------------------------------------------------------------

    def on_frames(self, frames):
        if len(frames) < 5 or frames[1] != b"VIP1":
            # VOLTTRON's socket raises ProtocolError here, which nothing catches: the receive loop dies
            self.vip_alive = False
            self.poller.unregister(self.sock)
            emit("vip_loop_died", reason="fewer than 5 frames or no VIP1 signature",
                 frames=[f.decode("latin-1") for f in frames])
            return
        decoded = [decode_frame(f) for f in frames]
        msg = Message(decoded[0], decoded[2], decoded[3], decoded[4], decoded[5:], frames)
        subsystem = str(msg.subsystem)
        if (subsystem == "hello" and msg.id == self.hello_ident and len(msg.args) > 3
                and msg.args[0] == "welcome"):
            self.on_welcome(msg)
            return
        handler = {"RPC": self.on_rpc, "error": self.on_error, "peerlist": self.on_peerlist,
                   "hello": self.on_hello, "ping": self.on_ping, "pubsub": self.on_other,
                   "query": self.on_other, "channel": self.on_other, "external_rpc": self.on_other,
                   "heartbeat": self.on_other, "health": self.on_other}.get(msg.subsystem)
        if handler is None:
            emit("unknown_subsystem", peer=msg.peer, subsystem=msg.subsystem)
            self.send_vip(msg.peer, "error", ["93", "Protocol not supported", "", msg.subsystem], msg_id=msg.id)
            return
        handler(msg)

    def on_other(self, msg):
        emit("vip_message", peer=msg.peer, user=msg.user, msg_id=msg.id, subsystem=msg.subsystem, args=msg.args)

    def on_hello(self, msg):
        op = msg.args[0] if msg.args else None
        if op == "hello":
            self.send_vip(msg.peer, "hello", ["welcome", "1.0", self.identity, msg.peer], msg_id=msg.id)
        else:
            self.on_other(msg)

    def on_ping(self, msg):
        if msg.args and msg.args[0] == "ping":
            self.send_vip(msg.peer, "ping", ["pong"] + list(msg.args[1:]), msg_id=msg.id)
        else:
            self.on_other(msg)

    def on_peerlist(self, msg):
        op = msg.args[0] if msg.args else None
        if op in ("add", "drop") and len(msg.args) > 1:
            emit("peerlist", op=op, peer=msg.args[1])
        elif op == "listing":
            matched = self.peerlist_pending.pop(msg.id, None) is not None
            emit("peerlist_listing", peers=list(msg.args[1:]), matched=matched)
        else:
            emit("peerlist_other", args=msg.args)

    def on_error(self, msg):
        args = msg.args
        if self.eclipse and args and args[0] == -32001 and not os.environ.get("VOLTTRON_SERVER"):
            emit("exit", reason="VIP error -32001 (an eclipse-volttron agent exits on it)", args=args)
            self.running = False
            self.exit_code = -32001
            return
        if len(args) < 4:
            emit("vip_error_unhandled", msg_id=msg.id, args=args)
            return
        try:
            error = vip_error_from(args)
        except (ValueError, TypeError) as exc:
            self.vip_alive = False
            self.poller.unregister(self.sock)
            emit("vip_loop_died", reason="error errno is not an integer: %r" % (exc,), args=args)
            return
        fields = dict(msg_id=msg.id, msg_id_type=type(msg.id).__name__, raw_msg_id=msg.raw[3].decode("latin-1"),
                      errno=error.errno, text=error.msg, peer=error.peer, subsystem=error.subsystem)
        if error.subsystem == "RPC":
            out = self.outstanding.get(msg.id) if isinstance(msg.id, str) else None
            if out is None:
                emit("unmatched_error", **fields)
                return
            self._finish(out, "error", error)
        elif error.subsystem == "peerlist" and self.peerlist_pending.pop(msg.id, None):
            emit("peerlist_listing", error=fields)
        else:
            emit("vip_error", **fields)

    # -- incoming RPC ---------------------------------------------------------------------------------------------

    def on_rpc(self, msg):
        units = list(msg.args)
        responses = [None] * len(units)
        remaining = [len(units)]

        def fill(index, response):
            responses[index] = response
            remaining[0] -= 1
            if remaining[0] == 0:
                body = [json.dumps(r) for r in responses if r]
                if body:
                    self.send_vip(msg.peer, msg.subsystem, body, msg_id=msg.id, user="")

        if not units:
            return
        for index, unit in enumerate(units):
            self.dispatch(msg, unit, lambda response, i=index: fill(i, response))

    def dispatch(self, msg, unit, done):
        if isinstance(unit, list):
            parts = [None] * len(unit)
            left = [len(unit)]
            if not unit:
                done(None)
                return

            def part(i, response):
                parts[i] = response
                left[0] -= 1
                if left[0] == 0:
                    done([p for p in parts if p] or None)

            for i, one in enumerate(unit):
                self.dispatch_one(msg, one, lambda response, i=i: part(i, response))
        elif isinstance(unit, dict):
            self.dispatch_one(msg, unit, done)
        else:
            done(json_error(None, INVALID_REQUEST, "invalid object type",
                            detail="expected a list or dictionary ; got a {!r} instead".format(type(unit).__name__)))

    def dispatch_one(self, msg, body, done):
        if not isinstance(body, dict):
            done(json_error(None, INVALID_REQUEST, "invalid object type",
                            detail="expected a dictionary ; got a {!r} instead".format(type(body).__name__)))
            return
        ident = body.get("id")
        if "jsonrpc" not in body:
            done(json_error(ident, INVALID_REQUEST, "missing required member",
                            detail="missing required 'jsonrpc' member"))
            return
        if body["jsonrpc"] != "2.0":
            done(json_error(ident, INVALID_REQUEST, "unsupported version",
                            detail="version 2.0 supported, but recieved version {!r}".format(body["jsonrpc"])))
            return
        if "error" in body or "result" in body:
            done(None)
            self.on_response(body, ident)
            return
        if "method" not in body:
            done(json_error(ident, INVALID_REQUEST, "invalid request", detail="no method, result or error"))
            return
        name = str(body["method"])
        params = body.get("params")
        if isinstance(params, list):
            args, kwargs = params, {}
        elif isinstance(params, dict):
            args, kwargs = (), params
        elif params is None:
            args, kwargs = (), {}
        else:
            done(json_error(None, INVALID_PARAMS, "invalid object type",
                            detail="expected a list or dictionary ; got a {!r} instead".format(type(params).__name__)))
            return
        if kwargs and "*args" in kwargs and "**kwargs" in kwargs:
            args, kwargs = kwargs["*args"], kwargs["**kwargs"]
        emit("rpc_request", peer=msg.peer, user=msg.user, msg_id=msg.id, method=name, args=list(args),
             kwargs=kwargs)

        def reply_result(value):
            done(json_result(ident, value) if ident is not None else None)

        def reply_exception(exc, tb=None):
            if ident is None:
                done(None)
                return
            exc_info = {"exc_tb": tb or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))}
            exc_info["exc_type"] = exc_type_name(exc, self.eclipse)
            exc_info["exc_args"] = list(exc.args)
            done(json_error(ident, UNHANDLED_EXCEPTION, "unhandled exception", detail=str(exc),
                            **{"exception.py": exc_info}))

        def no_reply(reason):
            emit("rpc_no_reply", peer=msg.peer, method=name, reason=reason)
            done(None)

        export = self.exports.get(name)
        if export is None:
            if name == "inspect":
                reply_result({"methods": list(self.exports)})
            elif ident is not None:
                done(json_error(ident, METHOD_NOT_FOUND, "unimplemented method",
                                detail="method {!r} is not implemented".format(name)))
            else:
                done(None)
            return

        def run():
            self.context = msg
            try:
                value = export.fn(*args, **kwargs)
            except Exception as exc:
                reply_exception(exc)
                return
            finally:
                self.context = None
            reply_result(value)

        if self.eclipse and self.protected_rpcs and name in self.protected_rpcs:
            self.check_eclipse(msg, name, export, args, kwargs, run, reply_exception, no_reply)
        elif export.required_caps is not None:
            self.check_v9(msg, export, args, kwargs, run, reply_exception, no_reply)
        else:
            run()

    def on_response(self, body, ident):
        out = self.results.get(ident) if isinstance(ident, str) else None
        if out is None:
            emit("unmatched_reply", id=ident, body=body)
            return
        if "error" in body:
            error = body["error"] if isinstance(body["error"], dict) else {}
            exc = exception_from_json(error.get("code"), error.get("message"), error.get("data"))
            exc.wire = error
            self._finish(out, "error", exc)
        else:
            self._finish(out, "result", body["result"])

    # -- capability checks ----------------------------------------------------------------------------------------

    def check_v9(self, msg, export, args, kwargs, run, fail, no_reply):
        """@RPC.allow as a V9 agent applies it (docs/protocol/platform-services.md section 2.4)."""
        user = str(msg.user)

        def check():
            try:
                self._v9_decide(user, export, args, kwargs)
            except Exception as exc:
                emit("auth_check", user=user, method=export.fn.__name__, allowed=False, detail=str(exc))
                fail(exc)
                return
            emit("auth_check", user=user, method=export.fn.__name__, allowed=True)
            run()

        if not self.caps_dirty:
            check()
            return
        self.caps_dirty = False  # other calls meanwhile check against the map as it is

        def fetched(kind, value):
            if kind == "result":
                self.caps = value
                check()
            elif kind == "error" and isinstance(value, RemoteError):
                self.call(AUTH, "get_user_to_capabilities", [], {}, 10, fetched)  # VOLTTRON retries at once
            elif kind == "error":
                fail(value)
            else:
                no_reply("get_user_to_capabilities timed out after 10 s")

        self.call(AUTH, "get_user_to_capabilities", [], {}, 10, fetched)

    def _v9_decide(self, user, export, args, kwargs):
        required = export.required_caps
        caps = self.caps.get(user, []) if isinstance(self.caps, dict) else []
        names = set(caps.keys()) if caps else set()
        method = export.fn
        if required == {""}:
            return
        if not required.issubset(names):
            message = "method '{}' requires capabilities {}, but capability {} was provided for user {}".format(
                method.__name__, required, caps, user)
            raise JsonRpcError(UNAUTHORIZED, message)
        for cap_name, param_dict in caps.items():
            if not (param_dict and cap_name in required):
                continue
            call_args = inspect.getcallargs(method, *args, **kwargs)
            for pname, value in param_dict.items():
                if pname not in call_args:
                    raise JsonRpcError(UNAUTHORIZED, "User {} capability is not defined properly. method {} does not "
                                                     "have a parameter {}".format(user, method.__name__, pname))
                if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == "/":
                    if not re.compile("^" + value[1:-1] + "$").match(call_args[pname]):
                        raise JsonRpcError(UNAUTHORIZED, "User {} can call method {} only with {} matching pattern {} "
                                                         "but called with {}={}".format(user, method.__name__, pname,
                                                                                        value, pname,
                                                                                        call_args[pname]))
                elif call_args[pname] != value:
                    raise JsonRpcError(UNAUTHORIZED, "User {} can call method {} only with {}={} but called with "
                                                     "{}={}".format(user, method.__name__, pname, value, pname,
                                                                    call_args[pname]))

    def check_eclipse(self, msg, name, export, args, kwargs, run, fail, no_reply):
        """An eclipse-volttron protected export asks platform.auth; any answer allows, an error reply denies."""
        user = str(msg.user)
        try:
            bound = inspect.signature(export.fn).bind(*args, **kwargs)
        except TypeError as exc:
            fail(exc)
            return
        bound.apply_defaults()
        method_args = dict(bound.arguments)
        method_args.pop("self", None)
        first = msg.args[0] if msg.args and isinstance(msg.args[0], dict) else {}
        method_name = "%s.%s" % (self.identity, first.get("method", name))

        def answered(kind, value):
            if kind == "result":
                emit("auth_check", user=user, method=method_name, allowed=True, answer=value)
                run()
            elif kind == "error":
                emit("auth_check", user=user, method=method_name, allowed=False, detail=str(value))
                fail(value)
            else:
                no_reply("check_rpc_authorization timed out after 10 s")

        self.call(AUTH, "check_rpc_authorization", [],
                  {"identity": user, "method_name": method_name, "method_args": method_args}, 10, answered)

    # -- commands -------------------------------------------------------------------------------------------------

    def on_command(self, cmd):
        kind = cmd.get("cmd")
        if kind == "call":
            peer, method, tag = cmd.get("peer"), cmd.get("method"), cmd.get("tag")

            def done(result_kind, value):
                fields = {"peer": peer, "method": method}
                if tag is not None:
                    fields["tag"] = tag
                if result_kind == "result":
                    fields["result"] = value
                else:
                    fields.update(describe_failure(result_kind, value))
                emit("call_done", **fields)

            self.call(peer, method, cmd.get("args") or [], cmd.get("kwargs") or {}, cmd.get("timeout"), done)
        elif kind == "peerlist":
            ident = "%f.%f" % (next(self.result_counter), hash(object()))
            self.peerlist_pending[ident] = True
            self.send_vip("", "peerlist", ["list"], msg_id=ident)
        elif kind == "send_raw":
            self.send([f.encode("latin-1") for f in cmd.get("frames", [])])
        elif kind == "stop":
            if self.connected:
                self.send_vip("", "agentstop", [self.identity])
            deadline = time.monotonic() + 2
            while self.send_queue and time.monotonic() < deadline:
                self.flush()
                time.sleep(0.01)
            emit("stopped")
            self.running = False
            self.exit_code = 0
        else:
            emit("bad_command", command=cmd, reason="unknown cmd; use call, peerlist, send_raw or stop")

    def read_stdin(self):
        try:
            chunk = os.read(0, 65536)
        except BlockingIOError:
            return
        if not chunk:
            emit("stdin_closed")
            self.running = False
            self.exit_code = 0
            return
        self.stdin_buf += chunk
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if not line.strip():
                continue
            try:
                cmd = json.loads(line.decode("utf-8"))
                if not isinstance(cmd, dict):
                    raise ValueError("a command must be a JSON object")
            except ValueError as exc:
                emit("bad_command", line=line.decode("utf-8", "replace"), reason=str(exc))
                continue
            self.on_command(cmd)
        if len(self.stdin_buf) > MAX_STDIN_LINE:
            emit("bad_command", reason="command line longer than %d bytes; dropped" % MAX_STDIN_LINE)
            self.stdin_buf = b""

    # -- loop -----------------------------------------------------------------------------------------------------

    def on_monitor(self):
        event = zmq.utils.monitor.recv_monitor_message(self.monitor)
        kind = event["event"]
        if kind == zmq.EVENT_CONNECTED:
            self.hello()  # as VOLTTRON does, on every (re)connect
        elif kind == zmq.EVENT_DISCONNECTED:
            self.connected = False
            emit("disconnected")
        elif kind == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
            emit("handshake_refused", status=event["value"])

    def expire(self):
        now = time.monotonic()
        for out in [o for o in self.results.values() if o.deadline is not None and o.deadline < now]:
            self._finish(out, "timeout", None)
        if self.hello_deadline is not None and self.hello_deadline < now:
            emit("hello_timeout", seconds=60 if self.eclipse else 10)
            self.running = False
            self.exit_code = 2

    def run(self):
        os.set_blocking(0, False)
        emit("started", identity=self.identity, pid=os.getpid(), eclipse=self.eclipse, zmq=zmq.zmq_version(),
             pyzmq=zmq.__version__)
        self.exit_code = 0
        self.sock.connect(self.opts.address)
        while self.running:
            events = dict(self.poller.poll(POLL_MS))
            if self.monitor in events:
                self.on_monitor()
            if self.vip_alive and self.sock in events:
                while self.vip_alive and self.running:
                    try:
                        frames = self.sock.recv_multipart(flags=zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    self.on_frames(frames)
            if 0 in events:
                self.read_stdin()
            self.flush()
            self.expire()
        self.sock.disable_monitor()
        self.monitor.close(0)
        self.sock.close(0)
        self.ctx.term()
        return self.exit_code


def describe_failure(kind, value):
    if kind == "timeout":
        return {"timeout": True}
    if isinstance(value, VIPError):
        fields = {"errno": value.errno, "vip_error": {"errno": value.errno, "text": value.msg, "peer": value.peer,
                                                     "subsystem": value.subsystem}}
        if isinstance(value, Unreachable):
            fields["unreachable"] = True
        return fields
    wire = getattr(value, "wire", None)
    if wire is not None:
        return {"error": wire}
    return {"error": {"message": str(value), "type": type(value).__name__}}


def parse_args(argv):
    # the five positionals come first and are taken as they are: a 43-character key may begin with '-'
    parser = argparse.ArgumentParser(
        description="a VOLTTRON-like test agent on libzmq",
        usage="%(prog)s ADDRESS IDENTITY SERVERKEY|- PUBLICKEY|- SECRETKEY|- [options]")
    if len(argv) < 5:
        parser.error("ADDRESS IDENTITY SERVERKEY PUBLICKEY SECRETKEY are required")
    parser.add_argument("--eclipse", action="store_true", help="behave like an eclipse-volttron agent")
    parser.add_argument("--no-config", action="store_true", help="do not call initialize_configs after welcome")
    parser.add_argument("--no-auth", action="store_true",
                        help="V9: the config exports need no sync_agent_config (auth disabled on the platform)")
    parser.add_argument("--defaults", default="{}", help="JSON object of default configs")
    parser.add_argument("--protect", action="append", default=[], metavar="METHOD=CAP[,CAP]",
                        help="export METHOD guarded like @RPC.allow(CAP) (V9); protected by platform.auth (eclipse)")
    opts = parser.parse_args(argv[5:])
    opts.address, opts.identity, opts.serverkey, opts.publickey, opts.secretkey = argv[:5]
    keys = [opts.serverkey, opts.publickey, opts.secretkey]
    if "-" in keys and keys != ["-", "-", "-"]:
        parser.error("give all three keys or '-' for all three (NULL security)")
    opts.defaults = json.loads(opts.defaults)
    if not isinstance(opts.defaults, dict):
        parser.error("--defaults must be a JSON object of config name -> contents")
    return opts


def main(argv):
    opts = parse_args(argv)
    return Agent(opts).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
