"""`make sbom`: the CycloneDX bill of materials names every package of requirements.lock at its
pinned version, and the venv holds exactly the lock, so what a hospital's security team reads
is what runs."""
from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def canonical(name: str) -> str:
    """PEP 503 normalised name, the form PyPI and package URLs use."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    """Every `name==version` of the lock; anything else on a line is a broken lock."""
    pins: dict[str, str] = {}
    for number, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"requirements.lock line {number} is not an exact pin: {line!r}"
        name = canonical(match.group(1))
        assert name not in pins, f"requirements.lock pins {name} twice"
        pins[name] = match.group(2)
    return pins


# The first run builds the tool's own venv from PyPI (var/sbom-venv).
@pytest.fixture(scope="module")
def sbom(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("sbom") / "sbom.cdx.json"
    run = subprocess.run(["make", "-s", "sbom", f"SBOM={out}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, f"make sbom failed:\n{run.stdout}\n{run.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.system
def test_sbom_is_cyclonedx(sbom: dict) -> None:
    assert sbom["bomFormat"] == "CycloneDX"
    assert re.fullmatch(r"1\.\d+", sbom["specVersion"])


@pytest.mark.system
def test_sbom_lists_every_locked_package_at_its_version(sbom: dict) -> None:
    pins = locked()
    assert {"pip", "setuptools", "wheel"} <= pins.keys(), "the lock pins the installers too"
    listed: dict[str, str] = {}
    for component in sbom["components"]:
        name = canonical(component["name"])
        assert name not in listed, f"{name} is listed twice"
        listed[name] = component["version"]
        purl = re.fullmatch(r"pkg:pypi/([^@]+)@(.+)", component["purl"])
        assert purl and canonical(purl.group(1)) == name and purl.group(2) == component["version"], (
            f"{component['purl']} does not name {component['name']} {component['version']}")
    missing = {name: version for name, version in pins.items() if listed.get(name) != version}
    assert not missing, f"not in the SBOM at the locked version: {missing}"
    extra = sorted(listed.keys() - pins.keys())
    assert not extra, f"in the SBOM but not in requirements.lock: {extra}"


def test_the_venv_holds_exactly_the_lock() -> None:
    """`make install` pins pip itself and every package pulled in; anything else is drift."""
    installed = {canonical(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    pins = locked()
    differ = {name: f"{version} locked, {installed.get(name)} installed"
              for name, version in pins.items() if installed.get(name) != version}
    assert not differ, f"the venv differs from requirements.lock: {differ}"
    extra = sorted(installed.keys() - pins.keys())
    assert not extra, f"installed but not in requirements.lock: {extra}"
