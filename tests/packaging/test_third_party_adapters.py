"""A third-party adapter runs the shipped contract suite, from the wheel and its contract extra.

A fresh virtual environment gets the built wheel with ``[contract]`` (and
nothing of this checkout); a project of its own there holds two small
adapters, one sync and one async, and subclasses the shipped mixins in a few
lines, as the README shows.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ADAPTERS = '''
    """Two small third-party adapters: they keep requests through the shipped memory store."""

    import asyncio

    from access_requests.adapters.memory import InMemoryRequestStore


    class ForwardingStore:
        """A sync adapter of its own: every call forwarded to an in-memory store."""

        def __init__(self, clock):
            self._inner = InMemoryRequestStore(clock=clock)

        def __getattr__(self, name):
            return getattr(self._inner, name)


    class YieldingAsyncStore:
        """An async adapter of its own: every call yields to the loop once, then answers."""

        def __init__(self, clock):
            self._inner = InMemoryRequestStore(clock=clock)

        def __getattr__(self, name):
            method = getattr(self._inner, name)

            async def call(*args, **kwargs):
                await asyncio.sleep(0)
                return method(*args, **kwargs)

            return call
'''

SUITE = """
    import pytest
    from adapters import ForwardingStore, YieldingAsyncStore

    from access_requests.contract_tests import AsyncRequestStoreContract, RequestStoreContract


    class TestForwardingStore(RequestStoreContract):
        emits_events = False  # it takes no on_event

        @pytest.fixture
        def store(self, clock):
            return ForwardingStore(clock)


    class TestYieldingAsyncStore(AsyncRequestStoreContract):
        emits_events = False  # it takes no on_event

        @pytest.fixture
        def async_store(self, clock, event_loop_thread):
            return YieldingAsyncStore(clock)
"""

CONFTEST = """
    from hypothesis import settings

    settings.register_profile("quick", derandomize=True, deadline=None, max_examples=5)
    settings.load_profile("quick")
"""


def test_a_third_party_sync_and_async_adapter_pass_the_shipped_suite(
    wheel: Path, tmp_path: Path
) -> None:
    """Subclassing the shipped mixins runs the whole suite on both adapters, and it passes."""
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True)
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            ROOT / "constraints" / "dev.txt",
            f"{wheel}[contract]",
        ],
        check=True,
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "adapters.py").write_text(textwrap.dedent(ADAPTERS))
    (project / "test_adapters.py").write_text(textwrap.dedent(SUITE))
    (project / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_adapters.py"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    # Check the whole suite ran on both adapters and passed.
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = result.stdout.splitlines()[-1]
    assert " passed" in summary
    assert "failed" not in summary
    collected = subprocess.run(
        [python, "-m", "pytest", "--collect-only", "-q", "test_adapters.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for adapter in ("TestForwardingStore", "TestYieldingAsyncStore"):
        assert collected.count(f"::{adapter}::") > 50
