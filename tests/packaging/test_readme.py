"""The README's Python examples run as written, and pass mypy --strict."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
# A block for your own adapter: MyStore is the reader's class, not ours.
OWN_ADAPTER = ("MyStore", "MyAsyncStore")
TYPED = [block for block in BLOCKS if not any(name in block for name in OWN_ADAPTER)]
# A web framework's app serves requests; running it is not an example's job.
RUNNABLE = [block for block in TYPED if "fastapi" not in block]


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.splitlines()[0][:40])
def test_the_example_runs(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each self-contained example in README.md runs, AWS calls going to moto.

    ACCESS_REQUESTS_TABLE is set, as a deployment sets it for store_from_environment.
    """
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "access-requests")
    with mock_aws():
        exec(compile(block, str(README), "exec"), {})


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """Every example but the adapter templates type-checks as a service's code would.

    The stubs they need are those of the test extra: boto3-stubs[dynamodb],
    types-aiobotocore[dynamodb], and FastAPI (typed itself) for its example.
    """
    files = []
    for number, block in enumerate(TYPED):
        example = tmp_path / f"readme_example_{number}.py"
        example.write_text(block)
        files.append(str(example))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "pyproject.toml", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout
