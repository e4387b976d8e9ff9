"""What -v and -vv show: the store's operations, debug lines and tracebacks, never secrets."""

import re

from cli_process import Cli

SECRET = "super-secret-key-0000"
UNKNOWN_ID = "0123456789abcdef"


def test_without_v_nothing_is_logged(cli_process: Cli) -> None:
    """A plain command writes only its result."""
    result = cli_process("list", "--pending")
    assert (result.returncode, result.stderr) == (0, "")


def test_v_logs_each_store_operation_with_its_table_and_time(cli_process: Cli) -> None:
    """-v before the command: an INFO line naming list_pending, the table and milliseconds."""
    result = cli_process("-v", "list", "--pending", env={"AWS_SECRET_ACCESS_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "INFO" in line]
    assert any(
        "list_pending" in line
        and f"table {cli_process.table}" in line
        and re.search(r"[0-9.]+ ?ms", line)
        for line in lines
    ), result.stderr
    assert SECRET not in result.stderr


def test_v_shows_no_debug_lines_and_no_traceback(cli_process: Cli) -> None:
    """At -v an error is still one line."""
    result = cli_process("get", UNKNOWN_ID, "-v")
    assert result.returncode == 3
    assert "DEBUG" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith(f"access-requests: error: request {UNKNOWN_ID} not found\n")


def test_vv_adds_debug_lines_and_the_traceback(cli_process: Cli) -> None:
    """-vv logs where the store points, and the error in full, never the secret key."""
    result = cli_process("-vv", "get", UNKNOWN_ID, env={"AWS_SECRET_ACCESS_KEY": SECRET})
    assert result.returncode == 3
    assert (
        f"access-requests: DEBUG: store on table {cli_process.table}"
        f" at {cli_process.endpoint}, region us-east-1"
    ) in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RequestNotFound" in result.stderr
    assert result.stderr.endswith(f"access-requests: error: request {UNKNOWN_ID} not found\n")
    assert SECRET not in result.stderr + result.stdout
