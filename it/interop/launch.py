"""Starts a VOLTTRON agent for the interop harness: python3 launch.py <script.py | -m module> [args...].

Two differences between Debian's Python packages and the releases VOLTTRON pins are bridged here, and nothing
else; the agent's code runs unchanged, as __main__:
- Debian's gevent (22.10) does not import the submodule gevent.signal when gevent is imported, and VOLTTRON 9's
  Core uses it as the attribute gevent.signal (the gevent release VOLTTRON pins happens to load it).
- Debian's attrs (22.2) has no type= in attrs.field(), which eclipse-volttron's authorization types pass; the
  older attr.ib() takes the same arguments including type=, so it stands in for attrs.field().
"""
import runpy
import sys

import gevent.signal  # noqa: F401  (makes the attribute gevent.signal exist)

try:
    import inspect

    import attr
    import attrs

    if "type" not in inspect.signature(attrs.field).parameters:
        attrs.field = attr.ib
except ImportError:
    pass

if len(sys.argv) < 2:
    sys.exit("usage: launch.py <agent.py | -m module> [args...]")
if sys.argv[1] == "-m":
    module = sys.argv[2]
    sys.argv = [module] + sys.argv[3:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
else:
    path = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(path, run_name="__main__")
