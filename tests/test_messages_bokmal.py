"""Messages a user can read are bokmål: a scan of the source keeps English from creeping back.

The scan reads the source of the packages whose messages are checked here (data, methods,
disclosure, the render helpers and ``oserrors``) with :mod:`ast` and collects the string
literals that end up in a message:

* every literal inside a ``raise`` statement;
* every literal inside a call that makes a message: ``Problem``, ``RowRule``,
  ``DataValidationError``, ``warnings.warn`` and the readers' and loaders' helpers;
* literals assigned to a name that such a call uses, in the same function (``why = "..."``);
* every literal in the functions that build message text (:data:`MESSAGE_BUILDERS`);
* the ``description`` and ``unit`` of the person-level schemas' columns, which the messages
  for a missing column and a value out of range quote.

Each literal is searched for common English words (:data:`ENGLISH`). What must stay English
(library text matched by a pattern, for instance) is in :data:`ALLOWED`, with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"

#: the modules whose messages are checked: the whole package
CHECKED = sorted(SRC.rglob("*.py"))

#: calls whose arguments are (part of) a message
MESSAGE_CALLS = frozenset(
    {
        "Problem",
        "RowRule",
        "DataValidationError",
        "warn",
        "_fail",
        "_no_data_for",
        "_too_many_fields",
        "_too_many_columns",
    }
)

#: functions that return message text: every literal in them is checked
MESSAGE_BUILDERS = frozenset(
    {"type_message", "forbidden_character", "_range_text", "_bad_bytes", "_not_csv"}
)

#: common English words of error messages; none of them is a bokmål word
ENGLISH = (
    "must",
    "expected",
    "should",
    "invalid",
    "missing",
    "not",
    "the",
    "is",
    "are",
    "cannot",
    "could",
    "does",
    "unknown",
    "needs",
    "found",
    "got",
    "empty",
    "allowed",
    "required",
    "only",
    "between",
    "which",
    "with",
    "without",
    "file",
    "column",
    "row",
)
_ENGLISH = re.compile(r"(?<![\w'])(" + "|".join(ENGLISH) + r")(?![\w'])", re.IGNORECASE)

#: (module, literal) pairs that stay English, with the reason
ALLOWED: dict[tuple[str, str], str] = {
    # pandas' own message, matched to name the row in bokmål (data/readers.py)
    ("data/readers.py", r"Expected (\d+) fields in line (\d+), saw (\d+)"): "pattern",
    # the arguments named ``observed`` and ``expected`` (methods/funnel.py)
    (
        "methods/funnel.py",
        "observed og expected må være endimensjonale, ikke tomme og like lange",
    ): "argument names",
    ("methods/funnel.py", "expected må være positiv og observed ikke negativ"): "argument names",
    # the URL scheme ``file:`` (pipeline/pdf.py)
    ("pipeline/pdf.py", " viser til en lokal fil (file:); ikke skrevet"): "URL scheme",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literals(node: ast.AST) -> list[ast.Constant]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (module, classes, functions): never messages."""
    out = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
        ):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def message_literals(source: str, module: str = "") -> list[tuple[int, str]]:
    """(line, text) of every string literal in ``source`` that ends up in a message."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found: dict[int, tuple[int, str]] = {}

    def add(node: ast.AST) -> None:
        for lit in _literals(node):
            if id(lit) not in docs:
                found[id(lit)] = (lit.lineno, lit.value)

    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    for scope in scopes:
        if isinstance(scope, ast.FunctionDef) and scope.name in MESSAGE_BUILDERS:
            add(scope)
            continue
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(scope):
            message = None
            if isinstance(node, ast.Raise) and node.exc is not None:
                message = node.exc
            elif isinstance(node, ast.Call) and _name(node.func) in MESSAGE_CALLS:
                message = node
            elif (
                isinstance(node, ast.Call)
                and _name(node.func) == "Column"
                and module == "data/microdata.py"
            ):
                for kw in node.keywords:
                    if kw.arg in ("description", "unit"):
                        add(kw.value)
            if message is None:
                continue
            add(message)
            for name in {n.id for n in ast.walk(message) if isinstance(n, ast.Name)}:
                for value in assigned.get(name, []):
                    add(value)
    return sorted(found.values())


def english_in(text: str) -> list[str]:
    """The English words of :data:`ENGLISH` in ``text``, ignoring ``{placeholders}``."""
    text = re.sub(r"\{[^}]*\}", " ", text)
    return [m.group(1).lower() for m in _ENGLISH.finditer(text)]


def test_the_scan_finds_english_in_messages():
    source = '''
def check(file, value):
    """The file must exist: a docstring is not a message."""
    why = "the value is invalid"
    if value is None:
        raise ValueError(f"{file}: expected a number")
    problems.append(Problem(file, 2, "pay", value, why))
    warnings.warn("should not happen", RuntimeWarning)
    label = "not a message"
    return Problem(file, None, None, None, "filen er tom")
'''
    found = {text: english_in(text) for _, text in message_literals(source)}
    assert found == {
        "the value is invalid": ["the", "is", "invalid"],
        ": expected a number": ["expected"],
        "should not happen": ["should", "not"],
        "pay": [],
        "filen er tom": [],
    }


def test_the_english_words_are_not_bokmal():
    bokmal = (
        "filen har ingen datarader; rad 3, kolonne 'kjønn', verdi 'X': er ikke en tillatt kode "
        "(tillatte koder: K, M); forventet et tall, f.eks. 41 250,5; påkrevd kolonne mangler; "
        "må være >= 0 og <= 262 dager; samme nøkkel som rad 2; stillingsgruppe; sluttdato "
        "(end_date) er tom; den publiserte tabellen sick_leave; min_cell må være et helt tall"
    )
    assert english_in(bokmal) == []


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.relative_to(SRC).as_posix())
def test_messages_are_bokmal(path: Path):
    module = path.relative_to(SRC).as_posix()
    english = [
        f"{module}:{line}: {text!r} ({', '.join(words)})"
        for line, text in message_literals(path.read_text(encoding="utf-8"), module)
        if (words := english_in(text)) and (module, text) not in ALLOWED
    ]
    assert english == [], "English in a message (write it in bokmål):\n" + "\n".join(english)


def test_the_checked_modules_make_messages():
    """The scan reaches the messages it is meant for (a renamed helper would hide them)."""
    texts = {
        path.relative_to(SRC).as_posix(): [
            t for _, t in message_literals(path.read_text(encoding="utf-8"), "")
        ]
        for path in CHECKED
    }
    assert any("filen er tom" in t for t in texts["data/readers.py"])
    assert any("er ikke et tall" in t for t in texts["data/schema.py"])
    assert any("usynlige tegnet" in t for t in texts["data/free_text.py"])
    assert any("sluttdato" in t for t in texts["data/microdata.py"])
    assert any("filen har ingen rader" in t for t in texts["data/inputs.py"])
    assert any("bootstrap-replikater" in t for t in texts["methods/oaxaca.py"])
