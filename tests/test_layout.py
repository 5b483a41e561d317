"""The package has no import cycles: every import inside ``translate/``,
at module level or inside a function, is an edge of a graph that must be acyclic."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "translate"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package modules that ``path`` imports (the innermost that exists)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" for a in node.names] + [mod]
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
                break
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph = {m: imports_of(p, modules) for m, p in files.items()}
    # importing a.b.c runs a/__init__ and a/b/__init__ first: not an edge we
    # count (packages import their own modules to re-export them)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n) :] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("limit", [420])
def test_no_module_is_much_longer_than_400_lines(limit):
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > limit
    }
    assert not long, f"modules over {limit} lines: {long}"


# --- packaging and the public API ---------------------------------------------

ROOT = PACKAGE.parent


def test_the_version_is_written_once():
    import re

    import translate

    pattern = re.compile(r"""__version__\s*=\s*["']|^version\s*=\s*["']""", re.M)
    places = [
        p
        for p in [*PACKAGE.rglob("*.py"), ROOT / "pyproject.toml"]
        if pattern.search(p.read_text("utf-8"))
    ]
    assert places == [PACKAGE / "_version.py"]
    assert translate.__version__.count(".") >= 2


def test_licence_and_typing_marker_ship():
    assert "Apache License" in (ROOT / "LICENSE").read_text("utf-8")
    assert 'license = "Apache-2.0"' in (ROOT / "pyproject.toml").read_text("utf-8")
    assert (PACKAGE / "py.typed").is_file()


def test_version_names_the_model_libraries(capsys):
    from translate.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    import translate

    assert out.startswith(f"translate {translate.__version__} (")
    for name in ("ctranslate2", "transformers", "torch"):
        assert name in out


def test_public_api_names_resolve():
    import translate

    for name in translate.__all__:
        assert getattr(translate, name) is not None, name
    assert callable(translate.translate_text) and callable(translate.align_documents)
    with pytest.raises(AttributeError):
        translate.no_such_name  # noqa: B018


def test_translate_text_gives_each_line_its_sentences_translations(tiny_nllb):
    import translate

    tr = translate.load_translator(
        translate.resolve_model(str(tiny_nllb)), translate.TranslationOptions(max_output_tokens=16)
    )
    text = "Біз дайынбыз. Жұмыс басталды.\n\nАқмола облысының әкімі Иран елшісімен кездесті."
    result = translate.translate_text(text, tr, "kk", "en")
    alone = [
        tr.translate([s], "kk", "en")[0].text
        for s in (
            "Біз дайынбыз.",
            "Жұмыс басталды.",
            "Ақмола облысының әкімі Иран елшісімен кездесті.",
        )
    ]
    assert [r.source for r in result.records] == [
        "Біз дайынбыз.",
        "Жұмыс басталды.",
        "Ақмола облысының әкімі Иран елшісімен кездесті.",
    ]
    assert [r.translation for r in result.records] == alone
    assert all(alone)
    assert result.paragraphs == (f"{alone[0]} {alone[1]}", "", alone[2])
    assert result.text == "\n".join(result.paragraphs)

    items = ["Біз дайынбыз.", "", "Жұмыс\nбасталды."]
    listed = translate.translate_text(items, tr, "kk", "en")
    assert listed.paragraphs == (alone[0], "", alone[1])
    with pytest.raises(translate.UsageError):
        translate.translate_text([1, 2], tr)  # type: ignore[list-item]
