"""The method section of each report has one source (src/analysis/<domain>/method.md): the
notebooks show it, docs/methods.md holds a generated copy that must be up to date, and no
notebook keeps a copy of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.render.methodtext import (
    DOMAINS,
    method_markdown,
    method_template,
    shared_texts,
    update_methods_doc,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = {"paygap": "lonnsgap", "sickleave": "sykefravaer", "jobbsjansen": "jobbsjansen"}
VALUES = {
    "paygap": {"min_cell": 7},
    "sickleave": {"min_cell": 7, "adjusted_covariates": "kjønn og alder"},
    "jobbsjansen": {
        "min_cell": 7,
        "register": "registeret",
        "funnel_method": "* **Traktplott**: metoden.",
        "risk_covariates": "kjønn",
    },
}


def test_docs_methods_is_up_to_date():
    """Run `fou docs` after editing a method text."""
    text = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    assert update_methods_doc(text) == text


@pytest.mark.parametrize("domain", DOMAINS)
def test_docs_region_is_the_report_text(domain):
    text = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- method: {domain} [^\n]*-->\n(.*?)<!-- /method: {domain} -->", text, re.S)
    assert m, f"no region for {domain}"
    region = m.group(1)
    assert "**Personvern**" in region and "`min_cell`" in region
    assert shared_texts()["calibration"] in region


@pytest.mark.parametrize("domain", DOMAINS)
def test_report_fills_its_values(domain):
    text = method_markdown(domain, **VALUES[domain])
    assert "{" not in text and "}" not in text
    assert re.search(r"\b7\s+(personer|deltakere)", text)
    assert text.count("**Kalibrering**") == 1


def test_fields_must_match():
    with pytest.raises(ValueError, match="metodeteksten for paygap trenger min_cell"):
        method_markdown("paygap")
    with pytest.raises(ValueError, match="metodeteksten for paygap bruker ikke register"):
        method_markdown("paygap", min_cell=5, register="registeret")
    with pytest.raises(ValueError, match="ingen metodetekst for 'lonnsgap'"):
        method_template("lonnsgap")


@pytest.mark.parametrize("domain", DOMAINS)
def test_notebooks_show_the_one_text_and_keep_no_copy(domain):
    for suffix in (".py", ".ipynb"):
        source = (ROOT / "notebooks" / (NOTEBOOK[domain] + suffix)).read_text(encoding="utf-8")
        assert f'rn.method_section(\\"{domain}\\"' in source or (
            f'rn.method_section("{domain}"' in source
        )
        for bullet in ("**Kalibrering**", "**Personvern**", "**Publiserte tall**"):
            assert bullet not in source, f"{NOTEBOOK[domain]}{suffix} has its own {bullet}"
