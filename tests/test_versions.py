"""All six distributions share one version, and every pin between siblings is exact and matches it."""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = {
    "fasterapi-core": "fasterapi_core",
    "fasterapi-testing": "fasterapi_testing",
    "fasterapi-security": "fasterapi_security",
    "fasterapi-middleware": "fasterapi_middleware",
    "fasterapi-ecosystem": "fasterapi_ecosystem",
    "faster-api-web": "FasterAPI",
}
# The last release of the name on PyPI before this code base took it over.
LAST_FOREIGN_RELEASE = Version("0.2.14")


def pyproject(distribution: str) -> dict[str, Any]:
    with (ROOT / "packages" / distribution / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def requirements(project: dict[str, Any]) -> list[tuple[str, Requirement]]:
    """Every requirement of a project: runtime, extras and dependency groups, with where it was found."""
    found = [("dependencies", Requirement(text)) for text in project["project"].get("dependencies", [])]
    for extra, texts in project["project"].get("optional-dependencies", {}).items():
        found += [(f"extra {extra}", Requirement(text)) for text in texts]
    for group, entries in project.get("dependency-groups", {}).items():
        found += [(f"group {group}", Requirement(entry)) for entry in entries if isinstance(entry, str)]
    return found


def shared_version() -> str:
    return str(pyproject("fasterapi-core")["project"]["version"])


def test_the_six_distributions_are_in_their_folders() -> None:
    folders = {path.parent.name for path in (ROOT / "packages").glob("*/pyproject.toml")}
    assert folders == set(DISTRIBUTIONS)
    for distribution in DISTRIBUTIONS:
        assert pyproject(distribution)["project"]["name"] == distribution


def test_all_distributions_share_one_version() -> None:
    versions = {distribution: pyproject(distribution)["project"]["version"] for distribution in DISTRIBUTIONS}
    assert len(set(versions.values())) == 1, versions
    assert Version(shared_version()) > LAST_FOREIGN_RELEASE


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_sibling_pins_are_exact_and_match(distribution: str) -> None:
    expected = f"=={shared_version()}"
    for where, requirement in requirements(pyproject(distribution)):
        if canonicalize_name(requirement.name) in DISTRIBUTIONS:
            assert str(requirement.specifier) == expected, f"{distribution} {where}: {requirement}"


def test_plugins_pin_core() -> None:
    for distribution in ("fasterapi-testing", "fasterapi-security", "fasterapi-middleware", "fasterapi-ecosystem"):
        runtime = [req for where, req in requirements(pyproject(distribution)) if where == "dependencies"]
        assert "fasterapi-core" in {canonicalize_name(req.name) for req in runtime}, distribution


def test_meta_package_extras() -> None:
    project = pyproject("faster-api-web")["project"]
    pin = f"=={shared_version()}"
    assert project["dependencies"] == [f"fasterapi-core[standard]{pin}"]
    extras = project["optional-dependencies"]
    plugins = {"security", "middleware", "ecosystem", "testing"}
    assert set(extras) == plugins | {"all"}
    for extra in plugins:
        assert extras[extra] == [f"fasterapi-{extra}{pin}"]
    # `all` also brings the documentation pages' files: core's docs-offline extra and ReDoc's wheel (assets/redoc).
    with (ROOT / "assets" / "redoc" / "pyproject.toml").open("rb") as file:
        redoc = tomllib.load(file)["project"]
    docs = [f"fasterapi-core[docs-offline]{pin}", f"{redoc['name']}=={redoc['version']}"]
    assert sorted(extras["all"]) == sorted([*(f"fasterapi-{extra}{pin}" for extra in plugins), *docs])


def _version_literal(init_file: Path) -> str | None:
    for node in ast.parse(init_file.read_text()).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return None


def test_version_literals_in_the_sources_match() -> None:
    literals = {
        distribution: _version_literal(ROOT / "packages" / distribution / "src" / module / "__init__.py")
        for distribution, module in DISTRIBUTIONS.items()
    }
    assert literals["fasterapi-core"] is not None
    for distribution, literal in literals.items():
        assert literal in (None, shared_version()), distribution


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_installed_metadata_matches(distribution: str) -> None:
    try:
        installed = version(distribution)
    except PackageNotFoundError:
        pytest.skip(f"{distribution} is not installed in this environment")
    assert installed == shared_version()
    module = pytest.importorskip(DISTRIBUTIONS[distribution])
    assert module.__version__ == shared_version()
