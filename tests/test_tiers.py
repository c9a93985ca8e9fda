"""The two tiers of the suite (docs/testing.md, "To nivåer"): the quick tier starts no kernel,
and tests that use the shared report builds are in the slow tier whatever their file says."""

from __future__ import annotations

import pytest


def test_a_kernel_start_in_the_quick_tier_fails_with_the_fix(tmp_path):
    """This test is not marked slow: both ways a test could start a kernel (papermill, and the
    pipeline's warm kernel) fail at once, saying to mark the test slow."""
    import nbformat
    import papermill as pm

    from analysis.pipeline.kernel import WarmKernel

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "a.ipynb")
    with pytest.raises(RuntimeError, match="starts a Jupyter kernel: mark it @pytest.mark.slow"):
        pm.execute_notebook(
            str(tmp_path / "a.ipynb"),
            str(tmp_path / "b.ipynb"),
            kernel_name="python3",
            progress_bar=False,
        )
    warm = WarmKernel("python3", tmp_path)
    try:
        with pytest.raises(RuntimeError, match="mark it @pytest.mark.slow"):
            warm.start()
    finally:
        warm.close()


def test_tests_using_a_shared_build_are_marked_slow_when_collected():
    """The collection hook marks a test slow when it uses a shared build (directly or through
    another fixture: ``fixturenames`` is the whole closure), and only then; ``-m`` runs after
    it, so ``make test`` never builds the reports."""
    from conftest import BUILD_FIXTURES, pytest_itemcollected

    class Item:
        def __init__(self, names):
            self.fixturenames, self.markers = names, []

        def add_marker(self, marker):
            self.markers.append(marker.name)

    assert BUILD_FIXTURES == {"default_reports", "file_reports"}
    users = [Item(["tmp_path", "default_reports"]), Item(["built", "file_reports"])]
    others = [Item(["tmp_path", "published_copy"]), Item([])]
    for item in users + others:
        pytest_itemcollected(item)
    assert [i.markers for i in users] == [["slow"], ["slow"]]
    assert [i.markers for i in others] == [[], []]
