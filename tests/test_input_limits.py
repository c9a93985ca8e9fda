"""Input files at the edges: very wide, very long lines, very large, stray dates, progress.

Each case ends in a one-line reason per problem naming the file and the limit, exit status 2
and nothing written — or, for files within the limits, in the same frame as a plain file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.data import microdata, progress, readers
from analysis.data.microdata import load_hr, load_jobbsjansen
from analysis.data.schema import DataValidationError
from analysis.data.synthetic import synth_hr, synth_jobbsjansen, write_synthetic


@pytest.fixture(autouse=True)
def _silent_and_uncached():
    microdata._CACHE.clear()
    yield
    progress.set_reporter(None)
    microdata._CACHE.clear()


@pytest.fixture(scope="module")
def hr_frame() -> pd.DataFrame:
    return synth_hr(2024, 3).frame.head(40)


def _write_hr(path: Path, frame: pd.DataFrame, extra_columns: int = 0) -> Path:
    """Plain CSV of ``frame`` with ``extra_columns`` unknown columns after it (written as
    text: pandas itself takes minutes for tens of thousands of columns)."""
    text = frame.astype(str).replace({"<NA>": "", "nan": ""})
    extra_names = "".join(f",merknad_{i:06d}" for i in range(extra_columns))
    extra_cells = ",x" * extra_columns
    lines = [",".join(text.columns) + extra_names]
    lines += [",".join(row) + extra_cells for row in text.itertuples(index=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _refused(capsys, *argv: str) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return err


def test_file_over_the_column_limit_is_refused(tmp_path, capsys, hr_frame):
    path = _write_hr(tmp_path / "bred.csv", hr_frame.head(3), readers.MAX_COLUMNS)
    out = tmp_path / "rapporter"
    err = _refused(
        capsys, "run", "--notebook", "lonnsgap", "--hr-data", str(path), "--out", str(out)
    )
    n = len(hr_frame.columns) + readers.MAX_COLUMNS
    limit = f"{readers.MAX_COLUMNS:,}".replace(",", "\u00a0")
    assert f"{path}: filen har {n:,} kolonner".replace(",", "\u00a0") in err
    assert f"mer enn grensen på {limit}" in err
    assert not out.exists()


def test_wide_file_within_the_limit_reads_as_the_narrow_one(tmp_path, hr_frame):
    narrow = load_hr(_write_hr(tmp_path / "smal.csv", hr_frame))
    wide_path = _write_hr(tmp_path / "bred.csv", hr_frame, readers.WIDE_COLUMNS + 500)
    pd.testing.assert_frame_equal(load_hr(wide_path), narrow)


def test_wide_file_with_a_row_of_too_many_fields_is_refused(tmp_path, hr_frame):
    path = _write_hr(tmp_path / "bred.csv", hr_frame.head(4), readers.WIDE_COLUMNS + 10)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",1"  # one field more than the header on line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        load_hr(path)
    (p,) = e.value.problems
    assert (p.file, p.row) == (str(path), 4)
    n = len(hr_frame.columns) + readers.WIDE_COLUMNS + 10
    assert f"raden har {n + 1} felt, men overskriften har {n}" in p.message


def test_repeated_column_in_a_wide_file_is_reported(tmp_path, hr_frame):
    path = _write_hr(tmp_path / "bred.csv", hr_frame.head(4), readers.WIDE_COLUMNS + 10)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("merknad_000001", "gender")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        load_hr(path)
    assert any(p.column == "gender" and "mer enn én gang" in p.message for p in e.value.problems)


def test_line_over_the_length_limit_is_refused(tmp_path, monkeypatch, hr_frame):
    monkeypatch.setattr(readers, "MAX_LINE_CHARS", 200)
    frame = hr_frame.head(5).copy()
    frame["merknad"] = ["kort"] * 5
    frame.loc[frame.index[2], "merknad"] = "x" * 300
    path = _write_hr(tmp_path / "lang.csv", frame)
    with pytest.raises(DataValidationError) as e:
        load_hr(path)
    (p,) = e.value.problems
    assert (p.file, p.row) == (str(path), 4)
    assert "mer enn grensen på 200" in p.message


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch, hr_frame):
    path = _write_hr(tmp_path / "stor.csv", hr_frame)
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024**2)
    path.write_bytes(path.read_bytes() * (1024**2 // path.stat().st_size + 1))
    with pytest.raises(DataValidationError) as e:
        load_hr(path)
    assert "mer enn grensen på 1 MB".replace(" ", "\u00a0", 0) in str(e.value)
    assert str(path) in str(e.value)


def test_parquet_over_the_column_limit_is_refused(tmp_path, monkeypatch, hr_frame):
    path = tmp_path / "bred.parquet"
    hr_frame.to_parquet(path)
    monkeypatch.setattr(readers, "MAX_COLUMNS", 5)
    with pytest.raises(DataValidationError) as e:
        load_hr(path)
    assert f"filen har {len(hr_frame.columns)} kolonner, mer enn grensen på 5" in str(e.value)


def test_stray_date_stops_the_run_before_anything_is_written(tmp_path, capsys):
    reg = synth_jobbsjansen(2024, 3).frame
    reg["end_date"] = reg["end_date"].astype("object")
    reg.loc[0, "end_date"] = pd.Timestamp("2099-03-01")
    path = tmp_path / "register.csv"
    reg.to_csv(path, index=False, date_format="%Y-%m-%d")
    out = tmp_path / "rapporter"
    err = _refused(
        capsys,
        "run",
        "--notebook",
        "jobbsjansen",
        "--jobbsjansen-data",
        str(path),
        "--out",
        str(out),
    )
    assert f"{path}, rad 2, kolonne 'end_date', verdi '2099-03-01'" in err
    assert "er ikke en plausibel dato: må ligge mellom 2005-01-01 og" in err
    assert not out.exists()


def test_no_register_report_after_the_plausible_window(tmp_path):
    from analysis.data.inputs import register_for_year

    path = tmp_path / "register.csv"
    write_synthetic(synth_jobbsjansen(2024, 3), path)
    last = microdata.latest_plausible_year()
    with pytest.raises(DataValidationError) as e:
        register_for_year(last + 1, path)
    (p,) = e.value.problems
    assert (p.file, p.column, p.value) == (str(path), "end_date", str(last + 1))
    assert f"er etter siste plausible år ({last})" in p.message


def test_same_size_edit_is_read_again(tmp_path, hr_frame):
    path = _write_hr(tmp_path / "hr.csv", hr_frame.head(3))
    assert load_hr(path)["gender"].iloc[0] == hr_frame["gender"].iloc[0]
    text = path.read_text(encoding="utf-8")
    first = hr_frame["gender"].iloc[0]
    other = "M" if first == "K" else "K"
    lines = text.splitlines()
    lines[1] = lines[1].replace(f",{first},", f",{other},", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_hr(path)["gender"].iloc[0] == other


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_lines_on_stderr_unless_quiet(tmp_path, capsys, monkeypatch, hr_frame, quiet):
    monkeypatch.setattr(progress, "MIN_BYTES", 0)
    frame = hr_frame.head(6).copy()
    frame["age"] = frame["age"].astype(str)
    frame.loc[frame.index[5], "age"] = "200"  # stops the run after reading and validating
    path = _write_hr(tmp_path / "hr.csv", frame)
    err = _refused(
        capsys,
        "run",
        "--notebook",
        "lonnsgap",
        "--hr-data",
        str(path),
        "--out",
        str(tmp_path / "ut"),
        *(["--quiet"] if quiet else []),
    )
    lines = [f"Leser {path} (0 MB) …", f"Validerer {path} (6 rader) …"]
    if quiet:
        assert not any(line in err for line in lines)
    else:
        assert err.index(lines[0]) < err.index(lines[1]) < err.index("verdi '200'")
    assert progress._reporter is None  # the run's reporter does not outlive it


def test_quiet_run_after_a_talkative_one_in_the_same_process_is_quiet(
    tmp_path, capsys, monkeypatch, hr_frame
):
    """``main()`` called twice in one process (a notebook, the tests): the reporter of the
    first, talkative run must not print progress lines in the second, quiet one (it did
    when the suite happened to run the two in that order)."""
    monkeypatch.setattr(progress, "MIN_BYTES", 0)
    frame = hr_frame.head(6).copy()
    frame["age"] = frame["age"].astype(str)
    frame.loc[frame.index[5], "age"] = "200"
    path = _write_hr(tmp_path / "hr.csv", frame)
    argv = ["run", "--notebook", "lonnsgap", "--hr-data", str(path), "--out", str(tmp_path / "u")]
    talkative = _refused(capsys, *argv)
    quiet = _refused(capsys, *argv, "--quiet")
    assert f"Leser {path} (0 MB) …" in talkative
    assert "Leser " not in quiet and "Validerer " not in quiet and "verdi '200'" in quiet


def test_loading_is_silent_without_a_reporter(tmp_path, capsys, monkeypatch, hr_frame):
    monkeypatch.setattr(progress, "MIN_BYTES", 0)
    load_hr(_write_hr(tmp_path / "hr.csv", hr_frame))
    load_jobbsjansen(write_synthetic(synth_jobbsjansen(2024, 3), tmp_path / "js.csv"))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_run_reads_a_large_file_once(tmp_path, capsys, monkeypatch, hr_frame):
    # the plan checks the file and finds its years for two notebooks: one read, one progress
    monkeypatch.setattr(progress, "MIN_BYTES", 0)
    frame = hr_frame.head(6).copy()
    path = _write_hr(tmp_path / "hr.csv", frame)
    calls = []
    real = microdata._load_uncached
    monkeypatch.setattr(microdata, "_load_uncached", lambda *a: calls.append(a) or real(*a))
    from analysis.pipeline.plan import plan

    jobs = plan(notebooks=["lonnsgap", "sykefravaer"], hr_data=str(path))
    assert [(j.notebook, j.year) for j in jobs] == [("lonnsgap", 2024), ("sykefravaer", 2024)]
    assert len(calls) == 1
