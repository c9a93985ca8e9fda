"""The cache key and the cache file: what the survivors of a mutation run showed untested.

The contract is ``analysis.pipeline.cache``'s docstring: the key is a hash over the
notebook, *the parameters*, *the report's catalogue entry*, the published tables, the
person-level files by name and content, the package source and the Python version; a job is
skipped when its key equals the recorded one. So

* each parameter must change the key on its own (with the job's inputs unchanged: the
  parameter test in ``test_cache_key.py`` also drops the inputs, which changes the key by
  itself);
* the same parameters given in another order are the same job (no needless rebuild);
* a changed catalogue entry (title, duty, source) changes the key;
* a person-level file that has gone missing still gives a key (the run reports the missing
  file itself), and a different one from the file's;
* ``.fou-cache.json`` round-trips, is written with its keys sorted (two runs whose jobs
  finished in different orders write the same bytes: the output folder is byte-reproducible),
  leaves no temporary file behind, and an unreadable cache is an empty one.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from test_cache_key import setup  # noqa: F401  (the fixture)

from analysis.pipeline import cache
from analysis.pipeline.plan import Job


@pytest.mark.parametrize("name,value", [("min_cell", 10), ("seed", 2), ("year", 2024)])
def test_each_parameter_changes_the_key_with_the_same_inputs(setup, name, value):  # noqa: F811
    spec, job, *_ = setup
    other = Job(job.notebook, job.year, {**job.parameters, name: value}, inputs=job.inputs)
    same = Job(job.notebook, job.year, dict(job.parameters), inputs=dict(job.inputs))
    assert cache.job_key(same, spec) == cache.job_key(job, spec)
    assert cache.job_key(other, spec) != cache.job_key(job, spec)


def test_parameter_order_does_not_change_the_key(setup):  # noqa: F811
    spec, job, *_ = setup
    reordered = dict(reversed(list(job.parameters.items())))
    assert list(reordered) != list(job.parameters)
    other = Job(job.notebook, job.year, reordered, inputs=job.inputs)
    assert cache.job_key(other, spec) == cache.job_key(job, spec)


@pytest.mark.parametrize("field", ["title", "duty", "source"])
def test_the_catalogue_entry_changes_the_key(setup, field):  # noqa: F811
    spec, job, *_ = setup
    edited = dataclasses.replace(spec, **{field: getattr(spec, field) + " (endret)"})
    assert cache.job_key(job, edited) != cache.job_key(job, spec)


def test_a_missing_input_gives_its_own_key(setup):  # noqa: F811
    spec, job, data, *_ = setup
    present = cache.job_key(job, spec)
    data.unlink()
    missing = cache.job_key(job, spec)  # no error: the run reports the missing file itself
    assert len(missing) == 64 and missing != present


def test_cache_file_round_trip_sorted_and_atomic(tmp_path):
    a = {"2025/sykefravaer": "b" * 64, "2024/lonnsgap": "a" * 64}
    b = dict(reversed(list(a.items())))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    cache.save_cache(tmp_path / "one", a)
    cache.save_cache(tmp_path / "two", b)
    one = (tmp_path / "one" / cache.CACHE_FILE).read_bytes()
    assert one == (tmp_path / "two" / cache.CACHE_FILE).read_bytes()
    assert one.endswith(b"\n")
    text = one.decode("utf-8")
    assert text.index("2024/lonnsgap") < text.index("2025/sykefravaer")
    assert json.loads(text) == a
    assert cache.load_cache(tmp_path / "one") == a
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [cache.CACHE_FILE]


def test_missing_or_unreadable_cache_is_empty(tmp_path):
    assert cache.load_cache(tmp_path) == {}
    (tmp_path / cache.CACHE_FILE).write_text("{ikke json", encoding="utf-8")
    assert cache.load_cache(tmp_path) == {}
    (tmp_path / cache.CACHE_FILE).write_text('{"2024/x": "æøå"}', encoding="utf-8")
    assert cache.load_cache(tmp_path) == {"2024/x": "æøå"}
