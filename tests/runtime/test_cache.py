"""The production cache answers misses, never errors, while Redis is unreachable."""

import logging

import pytest

from bench.load import free_port
from runtime import cache as resilient


@pytest.fixture
def unreachable():
    resilient.ResilientRedisCache._last_report = 0.0
    return resilient.ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


def test_every_operation_falls_back_and_the_outage_is_logged_once(unreachable, caplog):
    with caplog.at_level(logging.ERROR, logger="runtime.cache"):
        assert unreachable.get("page", "missing") == "missing"
        assert unreachable.get_many(["a", "b"]) == {}
        assert unreachable.has_key("a") is False
        assert unreachable.add("a", 1) is False
        unreachable.set("a", 1)
        assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert unreachable.touch("a") is False
        assert unreachable.delete("a") is False
        unreachable.delete_many(["a"])
        unreachable.clear()
    reports = [record for record in caplog.records if record.name == "runtime.cache"]
    assert len(reports) == 1
    assert reports[0].getMessage().startswith("cache unreachable, serving without it")
