"""Interop stub for watchdog_gevent (not packaged by Debian). VOLTTRON 9's agent utils import its Observer for
watch_file(), a local file watcher; watchdog's polling observer does the same job without the gevent hub
integration. Nothing of it reaches the VIP wire."""
from watchdog.observers.polling import PollingObserver as Observer  # noqa: F401
