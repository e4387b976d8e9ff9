"""The built wheel, installed the way a service installs it."""

import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SERVICE = """
    import domain
    from access_requests.adapters.memory import InMemoryRequestStore
    from access_requests.domain import Request

    def count_for(store: InMemoryRequestStore, requester: str) -> int:
        return len(store.list_by_requester(requester))

    assert domain.SERVICE_NAME == "billing"
    store = InMemoryRequestStore()
    assert count_for(store, "alice") == 0
    assert Request.__module__ == "access_requests.domain.request"
    import access_requests
    print(access_requests.__file__)
    print(access_requests.__version__)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, ROOT],
        check=True,
    )
    (built,) = out.glob("access_requests-*.whl")
    return built


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A service with its own top-level ``domain`` package, in a venv with the wheel."""
    root = tmp_path_factory.mktemp("service")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], check=True)
    site = Path(
        subprocess.run(
            [
                root / "venv" / "bin" / "python",
                "-c",
                "import site; print(site.getsitepackages()[0])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The service's venv sees this venv's packages (attrs, boto3, ...) as a plain
    # path: the editable install of this checkout is not active there.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            wheel,
        ],
        check=True,
    )
    (root / "domain").mkdir()
    (root / "domain" / "__init__.py").write_text('SERVICE_NAME = "billing"\n')
    (root / "app.py").write_text(textwrap.dedent(SERVICE))
    return root


def test_the_wheel_holds_the_packages_and_the_type_marker(wheel: Path) -> None:
    """Every package is under access_requests, with py.typed; no tests are shipped."""
    names = zipfile.ZipFile(wheel).namelist()
    for module in (
        "access_requests/__init__.py",
        "access_requests/py.typed",
        "access_requests/domain/request.py",
        "access_requests/ports/store.py",
        "access_requests/adapters/memory.py",
        "access_requests/contract_tests/__init__.py",
    ):
        assert module in names
    assert not [name for name in names if name.startswith(("domain/", "tests/", "ports/"))]


def test_a_service_with_its_own_domain_package_imports_both(service: Path) -> None:
    """The service's ``domain`` and the library's ``access_requests.domain`` coexist."""
    result = subprocess.run(
        [service / "venv" / "bin" / "python", "app.py"],
        cwd=service,
        check=True,
        capture_output=True,
        text=True,
    )
    location, version = result.stdout.split()
    assert "site-packages" in location
    assert str(ROOT) not in location
    assert version == "0.1.0"


def test_a_services_mypy_sees_the_librarys_types(service: Path) -> None:
    """mypy --strict checks the service against the installed library's annotations."""
    (service / "typed.py").write_text(
        textwrap.dedent(
            """
            from access_requests.adapters.memory import InMemoryRequestStore

            store = InMemoryRequestStore()
            reveal_type(store.get)
            wrong: int = store.list_pending()
            """
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            service / "venv" / "bin" / "python",
            "typed.py",
        ],
        cwd=service,
        capture_output=True,
        text=True,
    )
    revealed = (
        'Revealed type is "def (request_id: str) -> access_requests.domain.request.Request"'
    )
    assert revealed in result.stdout
    assert 'has type "Page"' in result.stdout
    assert "import-not-found" not in result.stdout
