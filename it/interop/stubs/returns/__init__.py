"""Interop stub for dry-python 'returns' (not packaged by Debian). eclipse-volttron imports it only in its server's
service container (volttron.server.containers), which lib-zmq's package pulls in through its router module; an
agent never resolves services through it, and nothing of it reaches the VIP wire."""
from . import maybe, pipeline, primitives, result  # noqa: F401
