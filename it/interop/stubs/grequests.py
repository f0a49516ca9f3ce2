"""Interop stub for grequests (not packaged by Debian). VOLTTRON 9's Core imports it only to send a certificate
signing request over HTTPS when an agent connects to a RabbitMQ platform; ZeroMQ agents never call it."""


def _unavailable(*args, **kwargs):
    raise RuntimeError("grequests is a stub in the vipgate interop harness: RabbitMQ CSR requests are not supported")


post = get = map = _unavailable
