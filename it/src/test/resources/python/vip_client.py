"""A VIP client on libzmq (Debian's python3-zmq), shaped like a VOLTTRON 9 agent's connection.

Keys are given in VOLTTRON's 43-character URL-safe base64 form and converted to Z85 the way
VOLTTRON's decode_key does (vip-zmq.md section 5.2). Prints one JSON object with what happened.

usage: vip_client.py ADDRESS IDENTITY SERVERKEY PUBLICKEY SECRETKEY MODE
  MODE rpc:     hello, then an RPC-shaped message to peer 'responder', and wait for its reply
  MODE refused: connect and report whether the CURVE handshake is refused (ZAP 400), and how fast
"""
import base64
import json
import sys
import time

import zmq
import zmq.utils.monitor
import zmq.utils.z85


def z85(key43):
    raw = base64.urlsafe_b64decode(key43 + "=")
    assert len(raw) == 32, len(raw)
    return zmq.utils.z85.encode(raw)


def frames_text(frames):
    return [f.decode("latin-1") for f in frames]


def main():
    address, identity, serverkey, publickey, secretkey, mode = sys.argv[1:7]
    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.IDENTITY, identity.encode("utf-8"))
    sock.curve_serverkey = z85(serverkey)
    sock.curve_publickey = z85(publickey)
    sock.curve_secretkey = z85(secretkey)
    monitor = sock.get_monitor_socket()
    started = time.time()
    sock.connect(address)
    result = {"zmq": zmq.zmq_version(), "pyzmq": zmq.__version__}
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)

    if mode == "refused":
        deadline = started + 20
        result["refused"] = False
        while time.time() < deadline:
            events = dict(poller.poll(200))
            if monitor in events:
                event = zmq.utils.monitor.recv_monitor_message(monitor)
                if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                    result["refused"] = True
                    result["status"] = event["value"]
                    result["seconds"] = round(time.time() - started, 3)
                    break
                if event["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                    result["succeeded"] = True
                    break
        print(json.dumps(result))
        return 0

    # vip-zmq.md 1.1 view A: RECIPIENT, VIP1, USER_ID, MSG_ID, SUBSYSTEM, ARGS
    sock.send_multipart([b"", b"VIP1", b"", b"connect.hello.1", b"hello", b"hello"])
    reply = recv(sock, poller, monitor, 10)
    result["welcome"] = frames_text(reply) if reply else None
    request = json.dumps({"jsonrpc": "2.0", "method": "echo", "params": ["caf\u00e9"], "id": "1716400000.87"})
    sock.send_multipart([b"responder", b"VIP1", b"", b"1716400000.87", b"RPC", request.encode("latin-1")])
    reply = recv(sock, poller, monitor, 10)
    result["rpc_reply"] = frames_text(reply) if reply else None
    print(json.dumps(result))
    return 0


def recv(sock, poller, monitor, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        events = dict(poller.poll(200))
        if monitor in events:
            zmq.utils.monitor.recv_monitor_message(monitor)
        if sock in events:
            return sock.recv_multipart()
    return None


if __name__ == "__main__":
    sys.exit(main())
