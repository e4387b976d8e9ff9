"""The installed commands as a person runs them: the demo, the emulator, the version."""

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import boto3
from moto import mock_aws

from access_requests.adapters.dynamodb import cloudformation_template, verify_table
from access_requests.cli import ExitStatus

ENVIRONMENT = {
    **{
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "ACCESS_REQUESTS_"))
    },
    "AWS_EC2_METADATA_DISABLED": "true",
}
COMMAND = [sys.executable, "-m", "access_requests"]


def test_the_demo_tells_the_whole_story_and_exits_0() -> None:
    """Every step of the story is printed, on the real store, and the demo succeeds."""
    result = subprocess.run(
        [*COMMAND, "demo"], env=ENVIRONMENT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for step in (
        "1. Five engineers ask for access",
        "2. An approver lists what is pending",
        "3. Frank approves alice's request and denies dave's",
        "4. Carol no longer needs access and cancels",
        "5. Two approvers act on bob's request at once",
        "6. Three hours pass; erin's request expires",
        "7. Alice's history, a page of four at a time",
        "8. Where everything stands",
    ):
        assert step in result.stdout
    assert "verify_table: the table is as the store needs it." in result.stdout
    assert "grace denies from the copy she opened earlier: refused" in result.stdout
    assert "page 3:" in result.stdout
    assert "Traceback" not in result.stderr


def test_local_serves_the_table_until_interrupted(tmp_path: Path) -> None:
    """local prints how to reach it, answers the CLI, and stops cleanly on Ctrl-C."""
    emulator = subprocess.Popen(
        [*COMMAND, "local", "--port", "0", "--table", "dev"],
        env=ENVIRONMENT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        lines = [emulator.stdout.readline() for _ in range(8)]
        exports = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in lines
            if line.strip().startswith("export ")
        )
        assert exports["ACCESS_REQUESTS_TABLE"] == "dev"
        assert exports["AWS_ENDPOINT_URL_DYNAMODB"].startswith("http://127.0.0.1:")
        submitted = subprocess.run(
            [*COMMAND, "submit", "--requester", "alice", "--profile", "prod",
             "--justification", "Try the local emulator", "--duration", "30m", "--json"],
            env={**ENVIRONMENT, **exports},
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        assert submitted.returncode == 0, submitted.stderr
        assert json.loads(submitted.stdout)["status"] == "pending"
    finally:
        emulator.send_signal(signal.SIGINT)
        out, _ = emulator.communicate(timeout=30)
    assert emulator.returncode == 0
    assert "stopped" in out


def test_version_and_help_come_from_the_package() -> None:
    """--version prints the installed version; --help lists every command and exit status."""
    version = subprocess.run(
        [*COMMAND, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert version.strip() == "access-requests 0.1.0"
    script = Path(sys.executable).parent / "access-requests"
    assert script.exists(), "the console script is installed beside the interpreter"
    helped = subprocess.run(
        [script, "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("demo", "local", "submit", "get", "list", "approve", "deny", "cancel"):
        assert command in helped
    assert "10 no table" in helped


def test_the_cloudformation_template_makes_exactly_the_table() -> None:
    """Deployed (on moto's CloudFormation), the template gives a table verify_table accepts.

    moto's CloudFormation does not apply TimeToLiveSpecification, so TTL is
    checked in the template itself.
    """
    template = cloudformation_template("from-template")
    with mock_aws():
        stacks = boto3.client("cloudformation", region_name="us-east-1")
        stacks.create_stack(StackName="access-requests", TemplateBody=json.dumps(template))
        client = boto3.client("dynamodb", region_name="us-east-1")
        assert verify_table(client, "from-template") == [
            "TTL is disabled: enable it on attribute 'ttl' so that DynamoDB removes"
            " expired requests"
        ]
    properties = template["Resources"]["AccessRequestsTable"]["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}


def test_local_on_a_taken_port_fails_at_once_and_suggests_another() -> None:
    """With the port taken, local exits at once with its own status, not a hang."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*COMMAND, "local", "--port", str(port)],
            env=ENVIRONMENT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == ExitStatus.PORT_IN_USE
    assert result.stdout == ""
    assert result.stderr == (
        f"access-requests: error: port {port} on 127.0.0.1 is already in use:"
        " pass another --port, or --port 0 for any free one\n"
    )
