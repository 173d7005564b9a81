"""Tests wait for the state they expect, never for a fixed time: a busy machine only
makes them slower, not wrong."""

import time


def wait_until(condition, timeout=15, interval=0.02):
    """Poll `condition` until it returns something true (which is returned), or give up
    after `timeout` seconds and return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
