"""The import paths users and the published API rely on still work after the restructuring:
``analysis.oaxaca``/``analysis.funnel``/``analysis.stats`` are the modules under ``methods/``
(the same objects), the domain packages expose their estimators, ``analysis.disclosure`` its
public functions."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["oaxaca", "funnel", "stats"])
def test_method_modules_keep_their_import_path(name):
    old = importlib.import_module(f"analysis.{name}")
    assert old is importlib.import_module(f"analysis.methods.{name}")


def test_documented_entry_points():
    from analysis.funnel import funnel_proportions
    from analysis.oaxaca import oaxaca_blinder

    assert oaxaca_blinder.__module__ == "analysis.methods.oaxaca"
    assert funnel_proportions.__module__ == "analysis.methods.funnel"


@pytest.mark.parametrize("domain", ["paygap", "sickleave", "jobbsjansen"])
def test_domain_packages_expose_their_estimators(domain):
    pkg = importlib.import_module(f"analysis.{domain}")
    measures = importlib.import_module(f"analysis.{domain}.measures")
    public = [
        n
        for n, v in vars(measures).items()
        if not n.startswith("_") and getattr(v, "__module__", None) == measures.__name__
    ]
    assert public and all(getattr(pkg, n) is getattr(measures, n) for n in public)


def test_disclosure_package_exports_its_api():
    import analysis.disclosure as d
    from analysis.disclosure import tables

    assert set(tables.__all__) <= set(dir(d))
    assert d.protect is tables.protect and d.suppression_mask is tables.suppression_mask
