"""What works without optional packages: make_request alone, the log without OpenTelemetry."""

import subprocess
import sys


def run_without(modules: list[str], code: str) -> str:
    """Run ``code`` in a fresh interpreter in which ``modules`` cannot be imported."""
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in modules)
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; {blocked}\n{code}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_request_and_the_manual_clock_need_neither_hypothesis_nor_pytest() -> None:
    """A service's own tests can build requests with just the library installed."""
    out = run_without(
        ["hypothesis", "pytest"],
        "from access_requests.contract_tests import ManualClock, make_request\n"
        "print(make_request(ManualClock()()).status.value)",
    )
    assert out == "pending\n"


def test_the_suite_is_still_had_by_name() -> None:
    """Naming the suite imports it, as before."""
    out = run_without(
        [],
        "from access_requests.contract_tests import RequestStoreContract, CrudContract\n"
        "print(issubclass(RequestStoreContract, CrudContract))",
    )
    assert out == "True\n"


def test_without_opentelemetry_an_operation_still_logs() -> None:
    """The otel extra is optional: without it there is no span, and the record is the same."""
    out = run_without(
        ["opentelemetry"],
        "import logging\n"
        "from access_requests.adapters.dynamodb.operation_log import OperationLog\n"
        "logging.basicConfig(level=logging.INFO, format='%(message)s', stream=sys.stdout)\n"
        "with OperationLog('get', 'requests', '0123456789abcdef'):\n"
        "    pass\n",
    )
    assert out.startswith("get on table requests (request 0123456789abcdef): ok in ")
