"""Data flows one way: the core and the store/pdf packages never load Qt, and the core
loads nothing outside the standard library but stdnum (STYLE.md)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import quotedesk
import quotedesk.core

ROOT = Path(__file__).parents[1]

CHECK = """
import json, sys
before = set(sys.modules)
import quotedesk.core
core_modules = set(sys.modules) - before
from quotedesk.core.pricing.taxid import check_eu_vat
check_eu_vat("DE136695976", "DE")
core_modules = set(sys.modules) - before
stdlib = sys.stdlib_module_names
# _sysconfigdata_* is the interpreter's generated build configuration (stdlib).
outside = sorted({m.split(".")[0] for m in core_modules if not m.startswith("_sysconfigdata")}
                 - set(stdlib) - {"quotedesk", "stdnum"})
for name in ("quotedesk.store", "quotedesk.pdf"):
    try:
        __import__(name)
    except ImportError:
        pass
print(json.dumps({"outside": outside, "qt": "PySide6" in sys.modules}))
"""


def test_core_imports_only_stdlib_and_stdnum_and_nothing_loads_qt():
    run = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    result = json.loads(run.stdout)
    assert result == {"outside": [], "qt": False}


def test_price_command_loads_no_qt_reportlab_sqlite_utils_dataclasses_or_resource_readers():
    # dataclasses pulls in inspect, ast and dis, and importlib.resources tempfile, shutil
    # and zipfile: each a tenth of `quotedesk price`'s start-up. The price command reads
    # its sample price book and rule tables beside the package's modules.
    quote = Path(__file__).parent / "fixtures" / "spec_example.json"
    code = (
        "import contextlib, io, sys, quotedesk.cli\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        f"    code = quotedesk.cli.main(['price', {str(quote)!r}])\n"
        "print(code, sorted(m for m in ('PySide6', 'reportlab', 'sqlite_utils', 'pyhanko', "
        "'dataclasses', 'importlib.resources') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "0 []"


STDNUM_CHECK = """
import json, sys
from datetime import date
from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.io.resources import sample_price_book_path

book, rules = load_price_book(sample_price_book_path()), load_rules()
line = {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 10}
loaded = []
for customer in ({"country": "DE"}, {"country": "DE", "tax_id": "DE136695976"}):
    quote = parse_quote({"schema": 1, "customer": customer, "lines": [line]})
    price(quote, book, rules, date(2026, 11, 23))
    loaded.append(any(m.split(".")[0] == "stdnum" for m in sys.modules))
print(json.dumps(loaded))
"""


def test_tax_id_checks_load_stdnum_only_when_the_quote_has_a_tax_id():
    run = subprocess.run(
        [sys.executable, "-c", STDNUM_CHECK], capture_output=True, text=True, check=True
    )
    assert json.loads(run.stdout) == [False, True]


def test_the_whole_package_type_checks_under_mypy_strict(tmp_path):
    """Every layer is fully typed (pyproject.toml's [tool.mypy]: strict, no Any leaks)."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path),
         "--config-file", str(ROOT / "pyproject.toml"),
         str(Path(quotedesk.__file__).parent)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


PACKAGE = Path(quotedesk.core.__file__).parents[1]


def imported_modules(path: Path) -> set[str]:
    """Every quotedesk module a source file imports, at the top or inside a function."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("quotedesk", "PySide6")}


def layer_imports(layer: str) -> dict[str, set[str]]:
    files = [PACKAGE / f"{layer}.py"] if (PACKAGE / f"{layer}.py").exists() else []
    files += sorted((PACKAGE / layer).glob("**/*.py"))
    return {str(f.relative_to(PACKAGE)): imported_modules(f) for f in files}


def reaching(layer: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        name: sorted(m for m in modules if m.startswith(forbidden))
        for name, modules in layer_imports(layer).items()
        if any(m.startswith(forbidden) for m in modules)
    }


def test_layers_import_only_downwards():
    """core <- operations <- cli (the command line) and gui; store and pdf sit beside
    operations and never reach up into the front ends."""
    front_ends = ("quotedesk.cli", "quotedesk.gui", "PySide6")
    assert layer_imports("store") and layer_imports("pdf") and layer_imports("operations")
    assert reaching("store", (*front_ends, "quotedesk.operations")) == {}
    assert reaching("pdf", (*front_ends, "quotedesk.operations")) == {}
    assert reaching("operations", front_ends) == {}
    # the command line starts the window through `quotedesk gui` only, and loads no Qt itself
    assert reaching("cli", ("quotedesk.gui", "PySide6")) == {
        "cli/gui.py": ["quotedesk.gui", "quotedesk.gui.app"]
    }
    assert reaching("core", ("quotedesk.store", "quotedesk.pdf", "quotedesk.operations",
                             "quotedesk.team", *front_ends)) == {}  # fmt: skip
    # team mode talks to the server beside the store, which knows nothing of it
    assert layer_imports("team")
    assert reaching("team", (*front_ends, "quotedesk.operations")) == {}
    assert reaching("store", ("quotedesk.team",)) == {}


def test_the_core_folders_keep_files_apart_from_rules_and_quotes_apart_from_pricing():
    """core/io reads and writes files and knows no rule; a quote's own rules (core/quotes:
    its file, number, validity, lifecycle, sign-off, editing) never price it."""
    assert layer_imports("core/io") and layer_imports("core/quotes")
    assert reaching("core/io", ("quotedesk",)) == {}
    assert reaching("core/quotes", ("quotedesk.core.pricing", "quotedesk.core.defaults")) == {}


def _imported_by(args: list[str], tmp_path: Path) -> set[str]:
    """Every module `quotedesk ARGS` imports, from -X importtime (which a process ending
    with os._exit, as the window's screenshot does, still writes as it goes)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "quotedesk", *args],
        capture_output=True, text=True, check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QUOTEDESK_DB": str(tmp_path / "q.db")},
    )  # fmt: skip
    lines = [line.split("|")[-1] for line in run.stderr.splitlines() if "import time:" in line]
    return {line.strip().split(".")[0] for line in lines}


def test_single_user_start_up_loads_no_database_driver_nor_keyring(tmp_path):
    """Team mode's psycopg and keyring load only for `quotedesk team`: pricing a file and
    opening the window (which reads the local store) cost nothing more than before."""
    quote = Path(__file__).parent / "fixtures" / "spec_example.json"
    priced = _imported_by(["price", str(quote)], tmp_path)
    window = _imported_by(["gui", "--screenshot", str(tmp_path / "w.png")], tmp_path)
    assert "quotedesk" in priced and "PySide6" in window
    assert (tmp_path / "w.png").stat().st_size > 0  # the window was drawn
    for loaded in (priced, window):
        assert loaded.isdisjoint({"psycopg", "psycopg_binary", "keyring"})


def test_an_unsigned_export_loads_neither_pypdf_nor_pyhanko(tmp_path):
    """pypdf reads PDFs (import, verify) and pyHanko signs them; exporting needs neither."""
    quote = Path(__file__).parent / "fixtures" / "spec_example.json"
    code = (
        "import sys; from quotedesk.cli import main; "
        f"main(['export', {str(quote)!r}, '-o', {str(tmp_path / 'q.pdf')!r}]); "
        "print(sorted(m for m in ('pypdf', 'pyhanko', 'PySide6') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF-")


def test_pdf_and_views_never_reparse_priced_amounts():
    """The PDF and the window print typed amounts (core.priced's
    `priced_totals` / `priced_lines`), never `Decimal(priced["total"])` of their own."""
    # Decimal(...) of a dict lookup: p["total"], str(line['net']), detail.get("rate")
    reparse = re.compile(r"""Decimal\([^)]*(\[["']|\.get\()""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for folder in ("pdf", "gui")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reparse.search(line)
    ]
    assert found == []


def test_R_Q_1_and_R_Q_3_each_have_one_definition():
    """The `-R2` label is written only by core.quotes.number, and whether a
    quote's validity has passed only by core.quotes.validity (in Python and as SQL)."""
    label = re.compile(r"-R\{")
    expiry = re.compile(r"(<|>=) (:today|\{today\})|today > until|timedelta\(days=validity")
    found = {
        (pattern, str(path.relative_to(PACKAGE)))
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in path.read_text().splitlines()
        for pattern in (label, expiry)
        if pattern.search(line)
    }
    assert found == {
        (label, "core/quotes/number.py"),
        (expiry, "core/quotes/validity.py"),
    }


def test_window_jobs_open_their_store_through_one_helper():
    """Every background job of the window opens and closes its store the same way
    (gui.background.on_store); only the window's own store is opened elsewhere."""
    found = {
        str(path.relative_to(PACKAGE))
        for path in sorted((PACKAGE / "gui").rglob("*.py"))
        if "open_store(" in path.read_text()
    }
    assert found == {"gui/background.py", "gui/app.py"}


def test_only_sqlite_reads_the_database_file():
    """Closing any descriptor of the database file drops the locks of this process's
    connections on it, so the store opens files itself only where that cannot happen: a
    new file (O_EXCL), and a damaged file restore sets aside once SQLite has let go of it."""
    import ast

    calls = {"open", "read_bytes", "read_text", "copyfile", "copy", "copy2", "move", "rename"}
    found = set()
    for path in sorted((PACKAGE / "store").glob("*.py")):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                    if name in calls:
                        found.add((path.name, function.name, name))
    assert found == {
        ("database.py", "_create_private", "open"),  # O_EXCL: only a file that did not exist
        ("database.py", "restore_backup", "copyfile"),
        ("database.py", "_refuse_foreign_header", "open"),
        ("database.py", "_lock_holders", "read_text"),  # /proc/locks
        ("database.py", "_command_of", "read_bytes"),  # /proc/PID/cmdline
    }


def test_the_store_imports_neither_the_pricing_nor_the_profile_defaults():
    """The store only saves and loads: pricing a quote (sign-off's R-Q-5 check too) is the
    operations' work. `quotedesk.core` itself re-exports `price`, so it is out as well."""
    pricing = ("quotedesk.core.pricing", "quotedesk.core.defaults")
    found = {
        name: sorted(m for m in modules if m.startswith(pricing) or m == "quotedesk.core")
        for name, modules in layer_imports("store").items()
    }
    assert {name: modules for name, modules in found.items() if modules} == {}


def store_writing_methods() -> set[str]:
    """The methods of the store's classes that write: those that open a write
    transaction, and those that call one of them on the same object."""
    import ast

    writes: dict[str, set[str]] = {}  # method -> the methods of self it calls
    writing = set()
    for path in sorted((PACKAGE / "store").glob("*.py")):
        for cls in ast.parse(path.read_text()).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for method in cls.body:
                if not isinstance(method, ast.FunctionDef):
                    continue
                calls = [n for n in ast.walk(method) if isinstance(n, ast.Call)]
                names = {getattr(c.func, "attr", getattr(c.func, "id", "")) for c in calls}
                if "write_transaction" in names:
                    writing.add(method.name)
                writes[method.name] = names
    while True:  # a method calling a writing one writes too
        more = {name for name, calls in writes.items() if calls & writing} - writing
        if not more:
            return writing
        writing |= more


def test_the_window_and_the_commands_never_call_a_store_method_that_writes():
    """Every change goes through an operation (quotedesk.operations), which says what it
    changed: the window and the command line read the store, never write it directly. A
    call is on the store when its receiver names one (`self.store`, `store`,
    `window.store`) or the licence register over one."""
    import ast

    writing = store_writing_methods()
    assert {"add_quote", "sign_off", "save_profile", "set_active_price_book",
            "set_customer_language", "record_signed_export", "import_csv"} <= writing  # fmt: skip
    on_store = re.compile(r"\b_?store\b|LicenceRegister\(")
    found = []
    for folder in ("gui", "cli"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in writing
                    and on_store.search(ast.unparse(node.func.value))
                ):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.func.attr}")
    assert found == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the quotedesk modules it imports: at the top, inside functions and under
    `if TYPE_CHECKING:` alike (a type-only import still ties the two modules together for
    a reader and for mypy). `import a.b` and `from a.b import name` depend on a.b: its
    __init__.py when it is a package, unless `name` is itself a submodule. The parent
    packages Python initialises on the way are not edges: every package's __init__
    imports its own submodules, and Python runs the parent first, so that is no circle."""
    import ast

    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path): path for path in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package, up level - 1
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    found.add(submodule if submodule in modules else base)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports (its modules in order, the first repeated at the end)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_imports_have_no_circles():
    """No module imports, directly or through others, a module that imports it: each
    layer and each module can be read, tested and replaced from the bottom up."""
    graph = import_graph()
    assert len(graph) > 100 and "quotedesk.gui.pdf_actions" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_only_the_app_knows_the_main_window_its_helpers_get_a_context():
    """The window's helpers (menus, PDF and price-book actions, views, dialogs) are handed
    a gui.context.WindowContext; only app.py, which makes the window, imports it. Nor does
    any module give the window attributes of its own (`window.x = ...`)."""
    import ast

    graph = import_graph()
    assert {m for m, imports in graph.items() if "quotedesk.gui.main_window" in imports} == {
        "quotedesk.gui.app"
    }
    set_from_outside = set()
    for path in sorted((PACKAGE / "gui").glob("*.py")):
        if path.name == "main_window.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    owner = target.value if isinstance(target, ast.Attribute) else None
                    if isinstance(owner, ast.Name) and "window" in owner.id:
                        set_from_outside.add(f"{path.name}:{node.lineno}")
                    if isinstance(owner, ast.Attribute) and "window" in owner.attr:
                        set_from_outside.add(f"{path.name}:{node.lineno}")
    assert set_from_outside == set()
