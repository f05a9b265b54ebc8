"""The bundle files, checked here on Linux as far as Linux can check them: the spec,
scripts, desktop entry, AppStream metainfo, installer script and CI workflow agree; the
workflow and every shell script pass actionlint and shellcheck; install.sh works in a HOME
with a space and leaves another installation's command alone; the bundle check catches
what the Linux bundle must not ship; and the built bundle, when `./dev bundle` has made
one, passes that check and runs. The Windows and macOS builds cannot run here."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from quotedesk.gui.app import APP_ID

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WORKFLOW = ROOT / ".github" / "workflows" / "bundles.yml"
SPEC = (PACKAGING / "quotedesk.spec").read_text(encoding="utf-8")
BUILT = ROOT / "build" / "dist" / "quotedesk"
SHELL_SCRIPTS = [
    ROOT / "dev", ROOT / ".ci" / "run", *sorted(PACKAGING.glob("*/*.sh")),
]  # fmt: skip
QT = Path(__import__("PySide6").__file__).parent / "Qt"

sys.path.insert(0, str(PACKAGING / "linux"))
import bundle  # noqa: E402  (packaging/linux/bundle.py)

pytestmark = pytest.mark.packaging


def tool(name: str) -> str:
    """A linter the dev extra installs next to this Python."""
    found = shutil.which(name, path=Path(sys.executable).parent)
    assert found, f"{name} not found: pip install -r requirements-lock.txt"
    return found


# --- licences, git attributes, names ---------------------------------------------------------
def test_licence_and_notices_are_real_files_equal_to_the_packages_copies():
    # A Windows checkout without symlinks would show a symlink's target path as the licence.
    licenses = ROOT / "app" / "quotedesk" / "resources" / "licenses"
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        assert not (ROOT / name).is_symlink(), name
        assert (ROOT / name).read_bytes() == (licenses / name).read_bytes(), name
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def git(*args: str) -> str:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist)")
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout


def test_text_is_checked_out_with_lf_everywhere_and_binaries_are_left_alone():
    """Windows checks text out with CRLF unless .gitattributes says otherwise: bash then
    fails on the scripts, and a sed on pyproject.toml read the version as "0.1.0\\r"."""
    attributes = git(
        "check-attr", "eol", "text", "--", "pyproject.toml", "dev", "packaging/linux/install.sh",
        "packaging/windows/quotedesk.iss", ".github/workflows/bundles.yml",
        "app/quotedesk/resources/fonts/DejaVuSans.ttf", "docs/pdf-en.png",
    )  # fmt: skip
    for path in ("pyproject.toml", "dev", "packaging/linux/install.sh",
                 "packaging/windows/quotedesk.iss", ".github/workflows/bundles.yml"):  # fmt: skip
        assert f"{path}: eol: lf" in attributes
    for path in ("app/quotedesk/resources/fonts/DejaVuSans.ttf", "docs/pdf-en.png"):
        assert f"{path}: text: unset" in attributes


def test_build_and_dist_folders_are_ignored():
    assert git("check-ignore", "build/x", "dist/x").split() == ["build/x", "dist/x"]


def test_no_two_files_of_the_repository_differ_only_by_case():
    names = git("ls-files").split("\n")
    folded: dict[str, str] = {}
    clashes = [(folded[n.casefold()], n) for n in names if folded.setdefault(n.casefold(), n) != n]
    assert clashes == []


def test_bundle_programs_and_their_work_files_differ_by_more_than_case():
    """Windows and macOS disks take `QuoteDesk` and `quotedesk` for one file: PyInstaller's
    work files and collect step then keep one program, and the Start menu runs the console
    one. The programs are the spec's CONSOLE and WINDOWED; the installer, Info.plist and
    workflow name the same files."""
    ((console, windowed),) = re.findall(r'^CONSOLE, WINDOWED = "([^"]+)", "([^"]+)"$', SPEC, re.M)
    entries = [console, windowed, "_internal", f"{console}.pkg", f"{windowed}.pkg"]
    assert len({e.casefold() for e in entries}) == len(entries)
    assert "WINDOWED = " in SPEC and '"CFBundleExecutable": WINDOWED' in SPEC
    iss = (PACKAGING / "windows" / "quotedesk.iss").read_text(encoding="utf-8")
    assert set(re.findall(r"\{app\}\\([\w-]+\.exe)", iss)) == {f"{windowed}.exe"}


def test_bundle_check_reports_entries_that_differ_only_by_case(tmp_path):
    (tmp_path / "_internal").mkdir()
    for name in ("QuoteDesk", "quotedesk", "_internal/Base.dat", "_internal/base.DAT"):
        (tmp_path / name).write_text("")
    assert bundle.case_collisions(tmp_path) == [
        "./: QuoteDesk and quotedesk differ only by case",
        "_internal/: Base.dat and base.DAT differ only by case",
    ]


# --- desktop entry, metainfo, installer script -------------------------------------------------
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


def test_metainfo_names_its_developer_for_appstream_before_and_after_1_0():
    # AppStream 1.0 reads <developer><name>; 0.16 (Ubuntu 22.04, Debian 12) <developer_name>.
    metainfo = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    (name,) = re.findall(r"<developer id=\"[^\"]+\">\s*<name>([^<]+)</name>", metainfo)
    assert re.findall(r"<developer_name>([^<]+)</developer_name>", metainfo) == [name]


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(
        ["desktop-file-validate", PACKAGING / f"{APP_ID}.desktop"], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream")
def test_metainfo_passes_appstreamcli_validate_without_warnings():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", PACKAGING / f"{APP_ID}.metainfo.xml"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert not re.search(r"^[EW]: ", result.stdout, re.M), result.stdout


def stage_tarball(tmp_path: Path) -> Path:
    """A tarball's contents as build.sh lays them out, with a stand-in program."""
    stage = tmp_path / "stage"
    (stage / "quotedesk").mkdir(parents=True)
    program = stage / "quotedesk" / "quotedesk"
    program.write_text('#!/bin/sh\necho "quotedesk 0.1.0 $*"\n')
    program.chmod(0o755)
    (stage / "share" / "icons").mkdir(parents=True)
    for name in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml"):
        shutil.copy(PACKAGING / name, stage / "share")
    shutil.copy(PACKAGING / f"{APP_ID}.svg", stage / "share" / "icons")
    (stage / "share" / "icons" / f"{APP_ID}-48.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    shutil.copy(PACKAGING / "linux" / "install.sh", stage)
    return stage


def install_sh(stage: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        ["sh", stage / "install.sh", *args], env=env, check=True, capture_output=True, text=True
    )


def test_install_sh_installs_into_a_home_with_a_space_and_uninstalls_what_it_put_there(tmp_path):
    stage = stage_tarball(tmp_path)
    home = tmp_path / "Ana Souza's home"
    home.mkdir()
    install_sh(stage, home)
    share = home / ".local" / "share"
    command = home / ".local" / "bin" / "quotedesk"
    run = subprocess.run([command, "--version"], capture_output=True, text=True, check=True)
    assert run.stdout == "quotedesk 0.1.0 --version\n"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    (exec_line,) = [line for line in desktop.read_text().splitlines() if line.startswith("Exec=")]
    # The Exec key's quoting: the path with its space in double quotes, then `gui`.
    assert exec_line == f'Exec="{home}/.local/lib/quotedesk/quotedesk" gui'
    assert shlex.split(exec_line.removeprefix("Exec=")) == [
        f"{home}/.local/lib/quotedesk/quotedesk", "gui",
    ]  # fmt: skip
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", desktop], capture_output=True, text=True)
        assert (check.returncode, check.stdout) == (0, "")
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()

    install_sh(stage, home, "--uninstall")
    left = {p.name for p in home.rglob("*") if p.is_file() or p.is_symlink()}
    assert left <= {"mimeinfo.cache"}  # update-desktop-database's index, when installed


def test_install_sh_leaves_a_pipx_command_alone_on_install_and_uninstall(tmp_path):
    stage = stage_tarball(tmp_path)
    home = tmp_path / "home"
    pipx_program = home / ".local" / "share" / "pipx" / "venvs" / "quotedesk" / "bin" / "quotedesk"
    pipx_program.parent.mkdir(parents=True)
    pipx_program.write_text("#!/bin/sh\necho pipx\n")
    pipx_program.chmod(0o755)
    command = home / ".local" / "bin" / "quotedesk"
    command.parent.mkdir(parents=True)
    command.symlink_to(pipx_program)

    installed = install_sh(stage, home)
    assert "belongs to another installation" in installed.stdout
    assert command.readlink() == pipx_program
    desktop = (home / ".local/share/applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{home}/.local/lib/quotedesk/quotedesk" gui' in desktop  # not pipx's

    install_sh(stage, home, "--uninstall")
    assert command.readlink() == pipx_program
    assert not (home / ".local" / "lib" / "quotedesk").exists()


# --- spec, scripts and workflow ----------------------------------------------------------------
def test_spec_and_scripts_refer_to_files_that_exist():
    for name in re.findall(r'PACKAGING / "([^"]+)"', SPEC):
        assert (PACKAGING / name).exists(), name
    assert (PACKAGING / "macos" / "entitlements.plist").is_file()
    iss = (PACKAGING / "windows" / "quotedesk.iss").read_text(encoding="utf-8")
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        assert f"..\\..\\{name}" in iss and (ROOT / name).is_file()
    assert f'#define AppId "{APP_ID}"' in iss
    build = (PACKAGING / "linux" / "build.sh").read_text(encoding="utf-8")
    assert "cp packaging/linux/install.sh" in build
    workflow = WORKFLOW.read_text(encoding="utf-8")
    for path in re.findall(r"(packaging/[\w./-]+\.(?:sh|spec|iss|py))", workflow + build):
        assert (ROOT / path).is_file(), path
    for runner in ("ubuntu-22.04", "windows-latest", "macos-14", "macos-15-intel"):
        assert f"os: {runner}," in workflow


def test_windows_version_resource_is_a_valid_versioninfo_expression():
    text = (PACKAGING / "windows" / "version_info.txt").read_text(encoding="utf-8")
    filled = (
        text.replace("@NUMBERS@", "0, 1, 0, 0").replace("@VERSION@", VERSION)
        .replace("@NAME@", "quotedesk-gui")
    )  # fmt: skip
    assert "@" not in filled
    compile(filled, "version_info.txt", "eval")  # PyInstaller eval()s it


def test_macos_app_asks_for_the_macos_that_pyside6_wheels_need():
    assert '"LSMinimumSystemVersion": "13.0"' in SPEC


def test_no_script_reads_the_version_with_sed_and_iscc_runs_outside_git_bash():
    """sed reads "0.1.0\\r" from a CRLF checkout; Git Bash turns "/DAppVersion=..." into
    C:/Program Files/Git/DAppVersion=... The version comes from Python's tomllib."""
    workflow = WORKFLOW.read_text(encoding="utf-8")
    for path in (WORKFLOW, *SHELL_SCRIPTS):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"sed .*version", text), path
    steps = re.split(r"\n      - ", workflow)
    (iscc,) = [step for step in steps if "ISCC.exe" in step]
    assert "shell: pwsh" in iscc
    assert "tomllib" in workflow


def test_workflow_and_shell_scripts_pass_actionlint_and_shellcheck():
    """actionlint also runs shellcheck over every `run:` of the workflow, and flags actions
    on a deprecated runtime (node20)."""
    shellcheck = tool("shellcheck")
    env = {**os.environ, "PATH": f"{Path(shellcheck).parent}{os.pathsep}{os.environ['PATH']}"}
    lint = subprocess.run(
        [tool("actionlint"), "-shellcheck", shellcheck, WORKFLOW],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert (lint.returncode, lint.stdout) == (0, "")
    check = subprocess.run([shellcheck, *SHELL_SCRIPTS], capture_output=True, text=True)
    assert (check.returncode, check.stdout) == (0, "")


# --- the Linux bundle check --------------------------------------------------------------------
@pytest.mark.skipif(not shutil.which("readelf"), reason="binutils")
def test_bundle_check_names_the_xcb_plugins_libraries_a_bundle_lacks(tmp_path):
    """Qt's xcb plugin alone, as a build on a machine without libxcb-cursor0 (and the other
    xcb utility libraries) would leave it: the check fails and says what is missing."""
    plugins = tmp_path / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    plugins.mkdir(parents=True)
    shutil.copy(QT / "plugins" / "platforms" / "libqxcb.so", plugins)
    found = "\n".join(bundle.problems(tmp_path))
    for soname in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                   "libQt6XcbQpa.so.6", "libxkbcommon-x11.so.0"):  # fmt: skip
        assert f"{soname} is neither in the bundle nor in the base system" in found
    # glibc, libGL and libxcb itself are the base system's.
    for soname in ("libc.so.6", "libGL.so.1", "libxcb.so.1"):
        assert soname not in found


@pytest.mark.skipif(not shutil.which("patchelf"), reason="patchelf")
def test_bundle_finish_clears_a_runpath_pointing_at_the_build_machine(tmp_path):
    library = tmp_path / "libqoffscreen.so"
    shutil.copy(QT / "plugins" / "platforms" / "libqoffscreen.so", library)
    subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib:/root/.pyenv/lib", library],
                   check=True)  # fmt: skip
    assert "libqoffscreen.so: RUNPATH outside the bundle: /root/.pyenv/lib" in bundle.problems(
        tmp_path
    )
    bundle.clear_runpaths(tmp_path)
    assert bundle.dynamic(library)[1] == ["$ORIGIN/../lib"]


def test_bundle_check_reports_what_the_app_does_not_use(tmp_path):
    for rel in ("_internal/libreadline.so.8", "_internal/libtinfo.so.6",
                "_internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                "_internal/PySide6/Qt/plugins/tls/libqopensslbackend.so",
                "_internal/PySide6/QtDBus.abi3.so", "_internal/libgtk-3.so.0"):  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    unused = [p for p in bundle.problems(tmp_path) if p.endswith("the app does not use it")]
    assert len(unused) == 6


def test_bundle_licences_lists_the_names_a_debian_copyright_file_declares():
    text = (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: *\nCopyright: 2001 A\nLicense: MIT/X11\n\n"
        "Files: doc/*\nLicense: GPL-2+\n Long text.\n\nFiles: x/*\nLicense: MIT/X11\n"
    )
    assert bundle.licences(text) == "MIT/X11, GPL-2+"
    assert bundle.licences("This package was debianized by ...") == "see the copyright file"


# --- the built bundle (`./dev bundle`), when there is one ---------------------------------------
built = pytest.mark.skipif(not (BUILT / "quotedesk").is_file(), reason="no bundle: ./dev bundle")


@built
def test_built_bundle_passes_the_bundle_check():
    assert bundle.problems(BUILT) == []


@built
def test_built_bundle_has_one_program_one_copy_of_the_code_and_lists_its_host_libraries():
    programs = sorted(p.name for p in BUILT.iterdir() if p.is_file())
    assert programs == ["quotedesk"]
    assert (BUILT / "quotedesk").stat().st_size < 2_000_000  # the code is not in it
    assert len(list(BUILT.rglob("quotedesk/cli/__init__.pyc"))) == 1
    licenses = BUILT / "_internal" / "quotedesk" / "resources" / "licenses"
    notices = (licenses / "THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    assert "## System libraries in this bundle" in notices
    assert "| libxcb-cursor.so.0 | libxcb-cursor0 |" in notices
    assert (licenses / "system" / "libxcb-cursor0.copyright").is_file()


@built
def test_built_bundle_runs_its_commands_and_says_when_there_is_no_display(tmp_path):
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    program = BUILT / "quotedesk"

    def run(*args: str | Path, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [program, *map(str, args)], env={**env, **extra}, cwd=tmp_path,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert run("--version").stdout == f"quotedesk {VERSION}\n"
    spec_example = ROOT / "tests" / "fixtures" / "spec_example.json"
    exported = run("export", spec_example, "--lang", "ja", "-o", "ja.pdf")
    assert (exported.returncode, exported.stderr) == (0, "")
    no_display = run("gui")
    assert no_display.returncode == 2
    assert no_display.stderr.startswith("quotedesk gui: no display found (")
    shot = run("gui", "--screenshot", "w.png", "--size", "800x500", QT_QPA_PLATFORM="offscreen")
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "w.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
