"""The installed ``access-requests`` script, run in a process of its own as a person runs it."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).parent / "access-requests"
REGION = "us-east-1"


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without AWS or table settings, plus ``settings``.

    Fake credentials and a region are set, so that no call can reach a real account.
    """
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "ACCESS_REQUESTS_"))
    }
    return {
        **kept,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        **settings,
    }


class Cli:
    """Runs the script against one table of an endpoint, set through the environment."""

    def __init__(self, endpoint: str, table: str) -> None:
        self.endpoint = endpoint
        self.table = table

    def environment(self, **settings: str) -> dict[str, str]:
        """The environment that points the script at the table, plus ``settings``."""
        target = {
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint,
            "ACCESS_REQUESTS_TABLE": self.table,
        }
        return environment(**{**target, **settings})

    def __call__(self, *words: str, **options: Any) -> subprocess.CompletedProcess[str]:
        """Run ``access-requests *words`` to its end, capturing stdout and stderr as text."""
        settings = options.pop("env", {})
        return subprocess.run(
            [SCRIPT, *words],
            env=self.environment(**settings),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            **options,
        )
