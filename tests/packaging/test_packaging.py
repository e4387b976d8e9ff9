"""The built wheel, installed the way a service installs it, and the sdist, complete."""

import re
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's source distribution, built from this checkout as a release is."""
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", out, ROOT],
        check=True,
        capture_output=True,
        cwd=out,  # not the checkout, whose build/ folder would shadow the build package
    )
    (built,) = out.glob("access_requests-*.tar.gz")
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
        "access_requests/aio.py",
        "access_requests/ports/store_async.py",
        "access_requests/adapters/memory_async.py",
        "access_requests/adapters/dynamodb/store_async.py",
        "access_requests/contract_tests/async_bridge.py",
    ):
        assert module in names
    assert not [
        name for name in names if name.startswith(("domain/", "tests/", "ports/", "aio/"))
    ]


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


def test_the_wheel_carries_the_license_the_extras_and_the_classifiers(wheel: Path) -> None:
    """MIT in a LICENSE file; the contract extra; Python versions and the pytest plugin."""
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    fields = Parser().parsestr(archive.read(metadata).decode())
    assert fields["License-Expression"] == "MIT"
    assert fields.get_all("License-File") == ["LICENSE"]
    license_text = archive.read(metadata.replace("METADATA", "licenses/LICENSE")).decode()
    assert "Copyright (c) 2026 access-requests developers" in license_text
    assert "contract" in fields.get_all("Provides-Extra", [])
    contract = [r for r in fields.get_all("Requires-Dist", []) if 'extra == "contract"' in r]
    assert sorted(r.split(">=")[0] for r in contract) == ["hypothesis", "pytest"]
    classifiers = fields.get_all("Classifier", [])
    for classifier in (
        "Framework :: Pytest",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ):
        assert classifier in classifiers


def test_the_sdist_holds_every_module_its_tests_import(sdist: Path) -> None:
    """conftest.py and the helper modules travel with the test modules, and the LICENSE too."""
    with tarfile.open(sdist) as archive:
        names = set(archive.getnames())
    top = sdist.name.removesuffix(".tar.gz")
    for module in sorted((ROOT / "tests").rglob("*.py")):
        assert f"{top}/{module.relative_to(ROOT)}" in names
    for document in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"):
        assert f"{top}/{document}" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_pytest_collects_every_test_of_the_unpacked_sdist(sdist: Path, tmp_path: Path) -> None:
    """Unpacked on its own, the sdist's tests import without one error."""
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.iterdir()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests"],
        cwd=unpacked,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"[0-9]+ tests collected in .*", result.stdout.splitlines()[-1])
