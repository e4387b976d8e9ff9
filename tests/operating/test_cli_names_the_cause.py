"""Each mistake of the table, the environment or the output is named as what it is."""

import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import SCRIPT, Cli
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import store_from_environment
from access_requests.adapters.dynamodb.errors import InvalidAWSSettings
from access_requests.cli import ExitStatus


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], status: int, *says: str
) -> None:
    assert (result.returncode, result.stdout) == (status, ""), result.stderr
    assert result.stderr.startswith("access-requests: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for words in says:
        assert words in result.stderr


@pytest.fixture
def table_with_only_its_key(server_table: tuple[DynamoDBClient, str]) -> Iterator[str]:
    """A table keyed on id, as the store's is, but with none of its indexes."""
    client, _ = server_table
    client.create_table(
        TableName="only-the-key",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    yield "only-the-key"
    client.delete_table(TableName="only-the-key")


@pytest.mark.parametrize(
    ("words", "operation"),
    [
        (["list", "--pending"], "list_pending"),
        (["check", "--requester", "alice", "--profile", "prod"], "find_active_approval"),
        (["expire"], "expire_overdue"),
    ],
)
def test_a_missing_index_is_named_not_reported_as_a_missing_table(
    cli_process: Cli, table_with_only_its_key: str, words: list[str], operation: str
) -> None:
    """On a table without the indexes, the index is named, with exit 12 (table differs)."""
    result = cli_process(*words, "--table", table_with_only_its_key)
    index = "gsi-status" if operation != "find_active_approval" else "gsi-requester"
    assert_one_line_error(
        result,
        ExitStatus.TABLE_DIFFERS,
        f"the table has no index {index!r}, which {operation} needs",
        "access-requests table verify",
    )
    assert "does not exist" not in result.stderr


def test_a_wrong_key_schema_is_named(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """A table keyed on another attribute: exit 12 saying the key differs, not 9 unavailable."""
    client, _ = server_table
    client.create_table(
        TableName="keyed-on-pk",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    try:
        result = cli_process("get", "0123456789abcdef", "--table", "keyed-on-pk")
    finally:
        client.delete_table(TableName="keyed-on-pk")
    assert_one_line_error(
        result,
        ExitStatus.TABLE_DIFFERS,
        "the table's key schema is not the store's (partition key 'id', a string)",
    )


def test_an_unknown_profile_is_a_usage_error_naming_it(cli_process: Cli) -> None:
    """AWS_PROFILE=nosuch: exit 2 naming the profile and where profiles live."""
    result = cli_process("list", "--pending", env={"AWS_PROFILE": "nosuch"})
    assert_one_line_error(
        result, ExitStatus.USAGE, "the AWS profile 'nosuch' is not in the AWS config files"
    )


def test_a_malformed_config_file_is_a_usage_error_naming_it(
    cli_process: Cli, tmp_path: Path
) -> None:
    """A config file that does not parse: exit 2 naming the file."""
    config = tmp_path / "config"
    config.write_text("[default\nregion = eu-west-1\n")
    result = cli_process("list", "--pending", env={"AWS_CONFIG_FILE": str(config)})
    assert_one_line_error(
        result, ExitStatus.USAGE, f"the AWS config file {config} cannot be parsed"
    )


def test_store_from_environment_raises_the_librarys_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not botocore's ProfileNotFound or NoRegionError: InvalidAWSSettings, a ValueError."""
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "requests")
    monkeypatch.setenv("AWS_PROFILE", "nosuch")
    with pytest.raises(InvalidAWSSettings, match="the AWS profile 'nosuch'"):
        store_from_environment()
    monkeypatch.delenv("AWS_PROFILE")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(InvalidAWSSettings, match="no AWS region is set"):
        store_from_environment()
    assert issubclass(InvalidAWSSettings, ValueError)


def test_an_ascii_only_output_escapes_names_and_says_so(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """With PYTHONIOENCODING=ascii, zoë is shown escaped, once warned; JSON stays JSON."""
    submitted = cli_process(
        "submit", "--requester", "zoë", "--profile", "prod",
        "--justification", "Investigate INC-1234", "--duration", "1h", "--json",
    )  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    ascii_only = {"PYTHONIOENCODING": "ascii"}
    shown = cli_process("list", "--pending", env=ascii_only)
    assert shown.returncode == 0
    assert "zo\\xeb" in shown.stdout
    assert shown.stderr.count("cannot show every character") == 1
    as_json = cli_process("list", "--pending", "--json", env=ascii_only)
    assert as_json.returncode == 0
    assert "zo\\u00eb" in as_json.stdout
    assert json.loads(as_json.stdout)["items"][0]["requester"] == "zoë"


def test_a_full_disk_is_its_own_exit_status(cli_process: Cli) -> None:
    """stdout on /dev/full: exit 16 saying the output could not be written."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [SCRIPT, "list", "--pending"],
            env=cli_process.environment(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == ExitStatus.OUTPUT_FAILED
    assert result.stderr.endswith("error: cannot write the output: No space left on device\n")


def test_credentials_in_an_endpoint_are_never_echoed(cli_process: Cli) -> None:
    """user:pass@ in --endpoint-url shows as ***@ in the error and in all that -vv logs."""
    endpoint = "http://operator:s3cret@127.0.0.1:1"
    result = cli_process("list", "--pending", "--endpoint-url", endpoint)
    assert_one_line_error(result, ExitStatus.UNAVAILABLE, "http://***@127.0.0.1:1/")
    verbose = cli_process("list", "--pending", "--endpoint-url", endpoint, "-vv")
    assert "Traceback" in verbose.stderr
    assert "***@127.0.0.1:1" in verbose.stderr
    assert "s3cret" not in verbose.stderr + result.stderr


class HtmlErrors(http.server.BaseHTTPRequestHandler):
    """A proxy in front of DynamoDB that answers every call with a 502 page.

    The page starts with a doctype, so botocore keeps it as the message (a
    page that starts with ``<html>`` it replaces with "Bad Gateway").
    """

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"<!DOCTYPE html>\n<html>\n<title>502 Bad Gateway</title>\n\x1b[31m</html>\n"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_a_5xx_with_an_html_body_is_one_escaped_line(cli_process: Cli) -> None:
    """The page's lines are joined and its control characters escaped."""
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HtmlErrors)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        result = cli_process(
            "get", "0123456789abcdef", "--endpoint-url", f"http://127.0.0.1:{proxy.server_port}"
        )
    finally:
        proxy.shutdown()
    assert_one_line_error(
        result,
        ExitStatus.UNAVAILABLE,
        "failed: 502: <!DOCTYPE html> <html> <title>502 Bad Gateway</title> \\x1b[31m</html>",
    )
