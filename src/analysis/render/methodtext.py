"""The method section of each report, in one place.

Each domain package holds its report's «Data og metode» as bokmål Markdown
(``src/analysis/<domain>/method.md``); text shared by every report lives in
``src/analysis/render/texts/`` and is filled in where the domain text names it
(``{calibration}``). The same text is shown in the report (:func:`method_markdown`, called by
the notebook through :func:`analysis.render.notebook.method_section`) and written into
``docs/methods.md`` (:func:`update_methods_doc`, ``fou docs``), between the markers
``<!-- method: <domain> -->`` and ``<!-- /method: <domain> -->``; a test checks that the
documentation is up to date. Edit the Markdown files, never the generated regions.

Fields in a method text are Python format fields (``{min_cell}``). The report fills them with
its own values; the documentation with :data:`DOC_VALUES`.
"""

from __future__ import annotations

import re
import string
from importlib import resources

#: the domains with a method text, in the order of docs/methods.md
DOMAINS: tuple[str, ...] = ("paygap", "sickleave", "jobbsjansen")

#: values the documentation shows for a report's own values
DOC_VALUES: dict[str, str] = {"min_cell": "`min_cell`", "register": "registeret"}


def shared_texts() -> dict[str, str]:
    """The texts every report may include, by name (``calibration``)."""
    folder = resources.files("analysis.render").joinpath("texts")
    return {
        p.name.removesuffix(".md"): p.read_text(encoding="utf-8").rstrip("\n")
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".md")
    }


def method_template(domain: str) -> str:
    """The raw method text of ``domain`` (``paygap``, ``sickleave``, ``jobbsjansen``)."""
    if domain not in DOMAINS:
        raise ValueError(f"ingen metodetekst for {domain!r}; kjente: {', '.join(DOMAINS)}")
    return resources.files(f"analysis.{domain}").joinpath("method.md").read_text(encoding="utf-8")


def method_markdown(domain: str, **values: object) -> str:
    """The method section of ``domain`` as Markdown, with ``values`` and the shared texts.

    Raises
    ------
    ValueError
        When the text names a field that is neither a shared text nor in ``values``, or a
        value is given that the text does not use.
    """
    template = method_template(domain)
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    shared = shared_texts()
    missing = sorted(fields - shared.keys() - values.keys())
    if missing:
        raise ValueError(f"metodeteksten for {domain} trenger {', '.join(missing)}")
    unused = sorted(values.keys() - fields)
    if unused:
        raise ValueError(f"metodeteksten for {domain} bruker ikke {', '.join(unused)}")
    return template.format_map({**shared, **values})


def _region(domain: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- method: {domain} [^\n]*-->\n)(.*?)(<!-- /method: {domain} -->)", re.DOTALL
    )


def update_methods_doc(text: str) -> str:
    """``docs/methods.md`` with every generated region rewritten from the method texts.

    Raises
    ------
    ValueError
        When a domain's markers are missing.
    """
    for domain in DOMAINS:
        pattern = _region(domain)
        if not pattern.search(text):
            raise ValueError(f"docs/methods.md har ingen region <!-- method: {domain} … -->")
        body = method_markdown(domain, **_doc_values(domain))
        text = pattern.sub(lambda m, body=body: f"{m.group(1)}\n{body}\n{m.group(3)}", text)
    return text


def _doc_values(domain: str) -> dict[str, str]:
    """The documentation's values of a method text's fields: :data:`DOC_VALUES`, and those a
    domain's parameters module gives for fields that follow a parameter
    (``METHOD_DOC_VALUES``)."""
    import importlib

    fields = {f for _, f, _, _ in string.Formatter().parse(method_template(domain)) if f}
    values = dict(DOC_VALUES)
    try:
        module = importlib.import_module(f"analysis.{domain}.parameters")
    except ModuleNotFoundError:
        module = None
    values.update(getattr(module, "METHOD_DOC_VALUES", {}))
    return {k: v for k, v in values.items() if k in fields}
