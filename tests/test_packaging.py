"""Quote Desk as a packager ships it (issue 13): the wheel installed outside the checkout
runs every command with an empty HOME, and the bundle files (spec, scripts, desktop entry,
AppStream metainfo, CI workflow) agree with each other."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from pypdf import PdfReader

from quotedesk.gui.app import APP_ID

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


# --- bundle files agree ----------------------------------------------------------------------
def test_desktop_entry_metainfo_icon_and_app_are_named_after_one_app_id():
    desktop = (PACKAGING / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    metainfo = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in metainfo
    assert f'<icon type="stock">{APP_ID}</icon>' in metainfo
    assert f'<release version="{VERSION}"' in metainfo
    assert "<project_license>MIT</project_license>" in metainfo
    assert re.search(rf"^Icon={re.escape(APP_ID)}$", desktop, re.M)
    assert re.search(r"^Exec=quotedesk gui$", desktop, re.M)  # install.sh rewrites this line
    assert (PACKAGING / f"{APP_ID}.svg").is_file()
    for script in ("linux/install.sh", "linux/build.sh", "quotedesk.spec", "make_icons.py"):
        assert APP_ID in (PACKAGING / script).read_text(encoding="utf-8"), script


def test_spec_and_scripts_refer_to_files_that_exist():
    spec = (PACKAGING / "quotedesk.spec").read_text(encoding="utf-8")
    for name in re.findall(r'PACKAGING / "([^"]+)"', spec):
        assert (PACKAGING / name).exists(), name
    assert (PACKAGING / "windows" / "version_info.txt").is_file()
    iss = (PACKAGING / "windows" / "quotedesk.iss").read_text(encoding="utf-8")
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        assert f"..\\..\\{name}" in iss and (ROOT / name).is_file()
    assert f'#define AppId "{APP_ID}"' in iss
    assert "QuoteDesk.exe" in iss and 'name="QuoteDesk"' in spec  # the windowed program
    build = (PACKAGING / "linux" / "build.sh").read_text(encoding="utf-8")
    assert "cp packaging/linux/install.sh" in build
    workflow = (ROOT / ".github" / "workflows" / "bundles.yml").read_text(encoding="utf-8")
    for path in re.findall(r"(packaging/[\w./-]+\.(?:sh|spec|iss))", workflow):
        assert (ROOT / path).is_file(), path
    for runner in ("ubuntu-22.04", "windows-latest", "macos-14"):
        assert runner in workflow


def test_windows_version_resource_is_a_valid_versioninfo_expression():
    text = (PACKAGING / "windows" / "version_info.txt").read_text(encoding="utf-8")
    filled = text.replace("@NUMBERS@", "0, 1, 0, 0").replace("@VERSION@", VERSION)
    compile(filled, "version_info.txt", "eval")  # PyInstaller eval()s it


def test_lock_file_pins_every_dependency_in_pyprojects_ranges():
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    pinned = {
        m[1].lower().replace("_", "-"): m[2]
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", lock, re.M)
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for text in [*project["dependencies"], *extras["dev"], *extras["build"]]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, name
        assert requirement.specifier.contains(pinned[name]), (text, pinned[name])


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(
        ["desktop-file-validate", PACKAGING / f"{APP_ID}.desktop"], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream")
def test_metainfo_passes_appstreamcli_validate():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", PACKAGING / f"{APP_ID}.metainfo.xml"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_user_rules_dir_is_where_platformdirs_puts_the_config(monkeypatch):
    import platformdirs

    from quotedesk.core.resources import user_rules_dir

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


def test_install_sh_puts_command_desktop_entry_icons_and_metainfo_in_xdg_folders(tmp_path):
    """install.sh on a stand-in bundle (a `quotedesk` script) laid out as build.sh lays out
    the tarball; --uninstall removes everything it put there."""
    stage = tmp_path / "stage"
    (stage / "quotedesk").mkdir(parents=True)
    program = stage / "quotedesk" / "quotedesk"
    program.write_text("#!/bin/sh\necho quotedesk 0.1.0\n")
    program.chmod(0o755)
    (stage / "share" / "icons").mkdir(parents=True)
    for name in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml"):
        shutil.copy(PACKAGING / name, stage / "share")
    shutil.copy(PACKAGING / f"{APP_ID}.svg", stage / "share" / "icons")
    (stage / "share" / "icons" / f"{APP_ID}-48.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    shutil.copy(PACKAGING / "linux" / "install.sh", stage)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}

    subprocess.run(["sh", stage / "install.sh"], env=env, check=True, capture_output=True)
    share = home / ".local" / "share"
    assert (
        subprocess.run(
            [home / ".local" / "bin" / "quotedesk"], capture_output=True, text=True, check=True
        ).stdout
        == "quotedesk 0.1.0\n"
    )
    desktop = (share / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={home}/.local/lib/quotedesk/quotedesk gui\n" in desktop
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()

    subprocess.run(["sh", stage / "install.sh", "--uninstall"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    left = {p.name for p in home.rglob("*") if p.is_file()}
    assert left <= {"mimeinfo.cache"}  # update-desktop-database's index, when installed
