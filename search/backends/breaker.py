"""A circuit breaker: after a failure an engine is left alone for a while.

A slow or broken cluster would otherwise cost every search its full timeout (and the relaxed
retry a second one). While the breaker is open, calls fail at once and the service answers
from the fallback; after `seconds` one call is let through to try again.
"""

import threading
import time


class CircuitOpen(Exception):
    pass


class CircuitBreaker:
    def __init__(self, seconds):
        self.seconds = seconds
        self._open_until = 0.0
        self._reason = ""
        self._lock = threading.Lock()

    def check(self):
        """Raise CircuitOpen while open; the first call after the pause goes through (and
        re-opens the breaker for the others until it has succeeded or failed)."""
        with self._lock:
            remaining = self._open_until - time.monotonic()
            if remaining > 0:
                raise CircuitOpen(f"暂停访问 {remaining:.0f} 秒（上次错误：{self._reason}）")
            if self._reason:  # half-open: this call tries, the others keep waiting
                self._open_until = time.monotonic() + self.seconds

    def failed(self, reason):
        with self._lock:
            self._reason = reason
            self._open_until = time.monotonic() + self.seconds

    def succeeded(self):
        if self._reason:
            with self._lock:
                self._reason = ""
                self._open_until = 0.0

    @property
    def open_for(self):
        """Seconds until the next try (0 when closed)."""
        return max(0.0, self._open_until - time.monotonic())
