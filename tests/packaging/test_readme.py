"""The README's Python examples run as written."""

import re
from pathlib import Path

import pytest
from moto import mock_aws

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
# A block for your own adapter, or for a web framework this project does not install.
RUNNABLE = [block for block in BLOCKS if "MyStore" not in block and "fastapi" not in block]


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.splitlines()[0][:40])
def test_the_example_runs(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each self-contained example in README.md runs, AWS calls going to moto.

    ACCESS_REQUESTS_TABLE is set, as a deployment sets it for store_from_environment.
    """
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "access-requests")
    with mock_aws():
        exec(compile(block, str(README), "exec"), {})
