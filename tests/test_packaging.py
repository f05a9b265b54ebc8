"""Quote Desk as a packager ships it: the wheel installed outside the checkout runs every
command with an empty HOME; the sdist carries tests that pass from it; pyproject's ranges
alone install versions that work silently; the lock has a wheel for every package on every
platform a bundle is built for. (The bundle files themselves: test_bundles.py.)

Some of these reach PyPI (pip), as CI's own `pip install -r requirements-lock.txt` does."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
SPEC_EXAMPLE = ROOT / "tests" / "fixtures" / "spec_example.json"

pytestmark = pytest.mark.packaging


# --- the wheel, installed into a fresh venv --------------------------------------------------
@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (no .venv, build/ or caches in it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(
        ROOT, source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "out"
        ),
    )  # fmt: skip
    # No build isolation: setuptools comes from the lock file, so no download is needed.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", str(tmp / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = (tmp / "dist").glob("quotedesk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh venv outside the checkout with the wheel installed, and an environment with
    an empty HOME. The venv reads the locked dependencies from the dev venv's
    site-packages through a .pth line (installing Qt again would take minutes); its
    `.pth` files, and so the editable install of the checkout, are not processed there."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    subprocess.run(
        [sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--quiet", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    home = tmp / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    return venv, env


def run(installed, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    venv, env = installed
    return subprocess.run(
        [venv / "bin" / "quotedesk", *map(str, args)],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_wheel_carries_resources_licences_and_metadata(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "quotedesk/resources/pricebooks/sample.csv",
        "quotedesk/resources/rules/us_sales_tax.json",
        "quotedesk/resources/i18n/gui.json",
        "quotedesk/resources/licenses/LICENSE",
        "quotedesk/resources/licenses/THIRD-PARTY-NOTICES.md",
        "quotedesk/resources/licenses/LGPL-3.0.txt",
        f"quotedesk-{VERSION}.dist-info/licenses/LICENSE",
        f"quotedesk-{VERSION}.dist-info/licenses/THIRD-PARTY-NOTICES.md",
    ):
        assert path in names
    metadata = zipfile.ZipFile(wheel).read(f"quotedesk-{VERSION}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert "Requires-Dist: PySide6-Essentials<6.12,>=6.11.3" in metadata


def test_installed_wheel_runs_from_its_own_venv_with_its_version(installed, tmp_path):
    venv, env = installed
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import quotedesk; print(quotedesk.__file__)"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert Path(where).is_relative_to(venv)
    version = run(installed, "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"quotedesk {VERSION}\n")


def test_installed_wheel_prices_with_the_shipped_price_book_and_rules(installed, tmp_path):
    shutil.copy(SPEC_EXAMPLE, tmp_path / "quote.json")
    result = run(installed, "price", "quote.json", "--today", "2026-11-23", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    priced = json.loads(result.stdout)
    # The same quote priced by the checkout: the wheel carries the same data.
    here = subprocess.run(
        [sys.executable, "-m", "quotedesk", "price", str(SPEC_EXAMPLE), "--today", "2026-11-23"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert priced == json.loads(here.stdout)
    assert "illustrative" in priced["price_book"]


def test_installed_wheel_exports_japanese_signs_and_verifies(installed, tmp_path, certificate):
    shutil.copy(SPEC_EXAMPLE, tmp_path / "quote.json")
    ja = run(installed, "export", "quote.json", "--lang", "ja", "-o", "ja.pdf", cwd=tmp_path)
    assert ja.returncode == 0, ja.stderr
    assert "見積" in "".join(page.extract_text() for page in PdfReader(tmp_path / "ja.pdf").pages)

    p12, pem = certificate()
    (tmp_path / "pw.txt").write_text("secret\n")
    # Only a signed-off revision is signed (a draft is refused): store it and sign it off.
    number = run(installed, "quotes", "add", "quote.json", "--db", "q.db", cwd=tmp_path)
    assert number.returncode == 0, number.stderr
    number = number.stdout.strip()
    off = run(installed, "quotes", "sign-off", number, "--by", "Ana", "--db", "q.db", cwd=tmp_path)
    assert off.returncode == 0, off.stdout + off.stderr
    signed = run(
        installed, "export", number, "--db", "q.db", "-o", "signed.pdf",
        "--sign", p12, "--password-file", "pw.txt", cwd=tmp_path,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    verified = run(installed, "verify", "signed.pdf", "--trust", pem, cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_installed_wheel_draws_the_window_and_logs_to_the_user_log_folder(installed, tmp_path):
    result = run(installed, "gui", "--screenshot", "window.png", "--size", "1024x640", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "window.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    home = Path(installed[1]["HOME"])
    log = (home / ".local" / "state" / "quotedesk" / "log" / "quotedesk.log").read_text()
    assert f"Quote Desk {VERSION} starting" in log


# --- dependencies -----------------------------------------------------------------------------
# Where the lock file and the bundles meet: (sys_platform, platform_machine) of each.
PLATFORMS = {
    "linux": ("linux", "x86_64"),
    "windows": ("win32", "AMD64"),
    "macos-arm64": ("darwin", "arm64"),
    "macos-x86_64": ("darwin", "x86_64"),
}


def marker_environment(platform: str) -> dict[str, str]:
    sys_platform, machine = PLATFORMS[platform]
    return {
        "sys_platform": sys_platform,
        "platform_machine": machine,
        "platform_system": {"linux": "Linux", "win32": "Windows", "darwin": "Darwin"}[sys_platform],
        "os_name": "nt" if sys_platform == "win32" else "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": "3.11",
        "python_full_version": "3.11.7",
    }


def locked_pins(platform: str) -> dict[str, str]:
    """name -> version the lock file installs on `platform` (its markers evaluated there)."""
    env = marker_environment(platform)
    pins = {}
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    for line in lock.splitlines():
        if not line or line[0] in "# ":
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(env):
            (pin,) = requirement.specifier
            pins[requirement.name.lower().replace("_", "-")] = pin.version
    return pins


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lock_file_pins_every_dependency_in_pyprojects_ranges(platform):
    pinned = locked_pins(platform)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for text in [*project["dependencies"], *extras["dev"], *extras["build"]]:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate(marker_environment(platform)):
            continue
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, name
        assert requirement.specifier.contains(pinned[name]), (text, pinned[name])


def test_intel_macs_get_the_last_cryptography_with_an_intel_wheel_and_others_the_newest():
    # cryptography 48.0.1 is the last with a macosx x86_64 wheel; 51 warns about DSA.
    assert locked_pins("macos-x86_64")["cryptography"] == "48.0.1"
    for platform in ("linux", "windows", "macos-arm64"):
        assert locked_pins(platform)["cryptography"] == "50.0.2"


@pytest.mark.parametrize(
    ("platform", "tag"),
    [("windows", "win_amd64"), ("macos-arm64", "arm64"), ("macos-x86_64", "x86_64")],
)
def test_every_locked_package_has_a_wheel_for_each_bundle_platform(platform, tag, tmp_path):
    """What CI's Windows and macOS jobs install (the whole lock) exists as wheels for them,
    on macOS for the oldest version the app's Info.plist admits (PySide6 6.11 needs 13)."""
    spec = (ROOT / "packaging" / "quotedesk.spec").read_text(encoding="utf-8")
    (minimum,) = re.findall(r'"LSMinimumSystemVersion": "(\d+)\.(\d+)"', spec)
    if tag != "win_amd64":
        tag = f"macosx_{minimum[0]}_{minimum[1]}_{tag}"
    pins = locked_pins(platform)
    (tmp_path / "pins.txt").write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
         "--only-binary=:all:", "--platform", tag, "--python-version", "3.11",
         "--implementation", "cp", "--target", str(tmp_path / "target"), "--quiet",
         "--disable-pip-version-check", "-r", str(tmp_path / "pins.txt")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_ranges_alone_install_versions_whose_verify_prints_nothing_on_stderr(
    wheel, tmp_path, certificate
):
    """A user's `pipx install` resolves pyproject's ranges, not the lock: the newest versions
    they admit must sign and verify without a library's warning. PySide6 (pinned to 6.11.x,
    and 0.5 GB) is left out: neither command loads Qt."""
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    requires = [
        r for r in zipfile.ZipFile(wheel).read(
            f"quotedesk-{VERSION}.dist-info/METADATA").decode().splitlines()
        if r.startswith("Requires-Dist: ") and "extra ==" not in r
    ]  # fmt: skip
    ranges = [r.removeprefix("Requires-Dist: ") for r in requires if "PySide6" not in r]
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *ranges], check=True, capture_output=True, timeout=900)
    subprocess.run([*pip, "--no-deps", wheel], check=True, capture_output=True, timeout=300)

    p12, pem = certificate()
    (tmp_path / "pw.txt").write_text("secret\n")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}

    def quotedesk(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [venv / "bin" / "quotedesk", *map(str, args)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    for args in (
        ("quotes", "add", SPEC_EXAMPLE, "--db", "q.db"),
        ("quotes", "sign-off", "QD-2026-00001", "--by", "Ana", "--db", "q.db"),
        ("export", "QD-2026-00001", "--db", "q.db", "-o", "signed.pdf", "--sign", p12,
         "--password-file", "pw.txt"),
        ("verify", "signed.pdf", "--trust", pem),
    ):  # fmt: skip
        result = quotedesk(*args)
        # Offline, the signed export says it has no timestamp yet: Quote Desk's own line.
        said = [x for x in result.stderr.splitlines() if "no timestamp yet" not in x]
        assert (result.returncode, said) == (0, []), (args, result.stderr)
    assert result.stdout.rstrip().endswith("result: VALID")


# --- the sdist ---------------------------------------------------------------------------------
def test_sdist_carries_its_tests_and_some_pass_from_it_against_the_installed_sdist(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(
        ROOT, source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
            ".hypothesis", "out",
        ),
    )  # fmt: skip
    # setuptools from the lock file: nothing to download.
    built = subprocess.run(
        [sys.executable, "-c",
         "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))",
         str(tmp_path / "dist")],
        cwd=source, check=True, capture_output=True, text=True, timeout=300,
    ).stdout.split()[-1]  # fmt: skip
    with tarfile.open(tmp_path / "dist" / built) as sdist:
        sdist.extractall(tmp_path / "unpacked", filter="data")
    unpacked = tmp_path / "unpacked" / f"quotedesk-{VERSION}"
    for needed in (
        "tests/conftest.py", "tests/pdf/conftest.py", "tests/fixtures/spec_example.json",
        "tests/schemas", "tests/core/test_currency.py", "packaging/quotedesk.spec",
    ):  # fmt: skip
        assert (unpacked / needed).exists(), needed
    assert not list(unpacked.rglob("__pycache__"))

    # A venv with the sdist installed (built into a wheel by pip) and the dev venv's
    # packages (pytest, the locked dependencies) through a .pth line.
    venv = tmp_path / "venv"
    subprocess.run(
        [sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-build-isolation", "--quiet", str(tmp_path / "dist" / built)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    where = subprocess.run(
        [python, "-c", "import quotedesk; print(quotedesk.__file__)"],
        cwd=unpacked, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert Path(where).is_relative_to(venv)
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/core/test_currency.py", "tests/test_cli_price.py", "tests/pdf/test_render.py"],
        cwd=unpacked, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert re.search(r"^\d+ passed", tests.stdout.splitlines()[-1])


def test_user_rules_dir_is_where_platformdirs_puts_the_config(monkeypatch):
    import platformdirs

    from quotedesk.core.io.resources import user_rules_dir

    monkeypatch.delenv("QUOTEDESK_RULES", raising=False)
    for xdg in ("", "/tmp/somewhere/config"):
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        expected = platformdirs.user_config_path("quotedesk", appauthor=False) / "rules"
        assert user_rules_dir() == expected


def test_help_documents_every_option_exit_codes_and_environment():
    import argparse

    from quotedesk.cli import build_parser

    parser = build_parser()
    text = parser.format_help()
    for needed in ("--version", "exit codes:", "QUOTEDESK_DB", "QUOTEDESK_RULES",
                   "QUOTEDESK_RESOURCES"):  # fmt: skip
        assert needed in text

    def undocumented(p: argparse.ArgumentParser, path: str) -> list[str]:
        missing = []
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    missing += undocumented(sub, f"{path} {name}")
            elif not action.help:
                missing.append(f"{path} {action.dest}")
        return missing

    assert undocumented(parser, "quotedesk") == []
