"""A RabbitMQ agent on pika (Debian's python3-pika), shaped like a VOLTTRON 9 agent on the RMQ message bus.

It does what VOLTTRON's RMQ core does (vip-rabbitmq.md sections 1.2-1.7): declares the exclusive, auto-delete,
non-durable queue <inst>.<id>, binds it to <inst>.<id> on exchange 'volttron', consumes it with manual ack.
Once the queue is bound it prints one line {"ready": true}. It then waits for one RPC, checks every property and
header the ZMQ->RMQ path sets (section 1.4, 1.6, 1.9), replies as an RMQ agent's RPC subsystem does
(send_vip_object with user='', section 3), and prints one JSON line with the checks.

usage: pika_agent.py HOST PORT USER PASSWORD VHOST INSTANCE IDENTITY CALLER MSG_ID REQUEST RESULT_JSON
  CALLER      the ZMQ agent's identity (expected in app_id, headers.user, headers.sender)
  MSG_ID      the VIP msg-id the caller sends
  REQUEST     the JSON-RPC request text the caller sends (its one arg)
  RESULT_JSON the JSON value to answer with as the JSON-RPC 'result'
"""
import json
import sys
import time

import pika

EXCHANGE = "volttron"


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    (host, port, user, password, vhost, instance, identity, caller, msg_id, request,
     result_json) = sys.argv[1:12]
    own = "%s.%s" % (instance, identity)
    params = pika.ConnectionParameters(host=host, port=int(port), virtual_host=vhost,
                                       credentials=pika.PlainCredentials(user, password),
                                       connection_attempts=3, retry_delay=1)
    connection = pika.BlockingConnection(params)
    channel = connection.channel()
    # rmq_connection.py: queue <inst>.<id>, durable=False, exclusive=True, auto_delete=True; bound to <inst>.<id>
    channel.queue_declare(queue=own, durable=False, exclusive=True, auto_delete=True)
    channel.queue_bind(queue=own, exchange=EXCHANGE, routing_key=own)
    out({"ready": True, "pika": pika.__version__})

    delivery = None
    deadline = time.time() + 30
    for method, props, body in channel.consume(own, auto_ack=False, inactivity_timeout=1):
        if method is not None:
            delivery = (method, props, body)
            channel.basic_ack(method.delivery_tag)  # manual ack, as rmq_connection.py L290
            break
        if time.time() > deadline:
            break
    channel.cancel()

    result = {"received": delivery is not None, "checks": {}, "values": {}}
    if delivery is None:
        out(result)
        connection.close()
        return 0
    method, props, body = delivery
    headers = props.headers or {}

    def check(name, actual, expected):
        if isinstance(actual, bytes):
            actual = actual.decode("utf-8", "replace")
        result["values"][name] = actual
        result["checks"][name] = actual == expected

    check("exchange", method.exchange, EXCHANGE)
    check("routing_key", method.routing_key, own)
    check("app_id", props.app_id, "%s.%s" % (instance, caller))
    check("headers.recipient", headers.get("recipient"), own)
    check("headers.proto", headers.get("proto"), "VIP")
    check("headers.user", headers.get("user"), "%s.%s" % (instance, caller))
    check("headers.sender", headers.get("sender"), caller)
    check("message_id", props.message_id, msg_id)
    check("type", props.type, "RPC")
    check("content_type", props.content_type, "application/json")
    check("user_id", props.user_id, user)
    # vip-rabbitmq.md 1.5: json.loads(body) gives the args: one JSON-RPC request string
    try:
        args = json.loads(body.decode("utf-8"))
    except ValueError as e:
        args = "<not JSON: %s>" % e
    check("body", args, [request])
    # what VOLTTRON's RPC subsystem does with it (rpc.py L447-450): json.loads each non-dict arg
    try:
        rpc = json.loads(args[0]) if isinstance(args, list) and args else None
    except (ValueError, TypeError):
        rpc = None
    check("body.jsonrpc", isinstance(rpc, dict) and rpc.get("jsonrpc"), "2.0")
    # routing: VOLTTRON's receive side (rmq_message_handler, 1.7) splits app_id into platform and peer
    platform, peer = (props.app_id or ".").split(".", 1)
    check("app_id.platform", platform, instance)
    check("app_id.peer", peer, caller)

    # The reply, as the RMQ agent's RPC subsystem sends it: send_vip_object(message) with user='' and the same
    # message_id, to <msg.platform>.<msg.peer>; _send_via_rmq sets these properties (1.4) and no user_id (1.6).
    response = json.dumps({"jsonrpc": "2.0", "id": rpc.get("id") if isinstance(rpc, dict) else None,
                           "result": json.loads(result_json)})
    reply_key = "%s.%s" % (platform, peer)
    reply_props = pika.BasicProperties(app_id=own,
                                       headers={"recipient": reply_key, "proto": "VIP", "user": ""},
                                       message_id=props.message_id, type=props.type,
                                       content_type="application/json")
    channel.basic_publish(EXCHANGE, reply_key, json.dumps([response], ensure_ascii=False).encode("utf-8"),
                          reply_props)
    result["reply"] = {"routing_key": reply_key, "body": [response]}
    out(result)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
