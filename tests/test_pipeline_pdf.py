"""``fou run --pdf``, ``--publication-date`` and reports built from real person-level data.

Unit tests of the PDF normalisation on a PDF written by hand (its cross-reference table
computed here), of the date checks and of the command line; then the pipeline on a tiny
notebook: the PDF in headless Chromium (skipped, saying why, without Chromium), and a
real-data report that a later run without the data leaves in place.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import nbformat
import pytest

from analysis import cli
from analysis.data.errors import DataValidationError
from analysis.pipeline import pdf as pdfmod
from analysis.pipeline.cache import job_key
from analysis.pipeline.plan import REAL_DATA_VARIANT, Job, plan
from analysis.pipeline.run import run
from analysis.pipeline.specs import check_publication_date, load_report_specs

# ------------------------------------------------------------------ a PDF written by hand


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF with a correct cross-reference table (offsets computed here)."""
    out = bytearray(b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size %d\n/Root 2 0 R\n/Info 1 0 R" % (len(objects) + 1)
    out += trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _xref_ok(data: bytes) -> bool:
    """Every offset in the cross-reference table points at its object, and startxref at
    the table."""
    start = int(re.search(rb"startxref\n(\d+)", data).group(1))
    if not data[start:].startswith(b"xref"):
        return False
    entries = re.findall(rb"(\d{10}) 00000 n ", data[start:])
    return all(data[int(off) :].startswith(b"%d 0 obj" % i) for i, off in enumerate(entries, 1))


XMP = (
    b"<</Type /Metadata /Subtype /XML /Length 330>>\nstream\n"
    b"<x:xmpmeta><rdf:RDF><rdf:Description>"
    b"<xmp:CreateDate>2026-11-27T19:11:23+01:00</xmp:CreateDate>"
    b"<xmp:ModifyDate>2026-11-27T19:11:24Z</xmp:ModifyDate>"
    b"<xmpMM:DocumentID>uuid:3f2a9c1e-77b0-4d1a-9e0f-0123456789ab</xmpMM:DocumentID>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>\nendstream"
)


def _chromium_like(stamp: str, ident: str, text: bytes = b"Hei") -> bytes:
    info = (
        b"<</Title (Rapport)\n/Producer (Skia/PDF m156)\n"
        b"/CreationDate (D:" + stamp.encode() + b"+00'00')\n"
        b"/ModDate (D:" + stamp.encode() + b"+00'00')>>"
    )
    return _pdf(
        [
            info,
            b"<</Type /Catalog /Pages 3 0 R /Metadata 5 0 R>>",
            b"<</Type /Pages /Kids [4 0 R] /Count 1>>",
            b"<</Type /Page /Parent 3 0 R /MediaBox [0 0 594.96 841.92] /Contents ("
            + text
            + b")>>",
            XMP.replace(b"3f2a9c1e-77b0-4d1a-9e0f-0123456789ab", ident.encode()),
        ],
        trailer_extra=b"\n/ID [<"
        + ident.replace("-", "").encode()
        + b"> <"
        + ident.replace("-", "").encode()
        + b">]",
    )


def test_normalise_pdf_rewrites_dates_and_ids_at_the_same_length():
    a = _chromium_like("20261127191123", "3f2a9c1e-77b0-4d1a-9e0f-0123456789ab")
    b = _chromium_like("20270102030405", "00000000-1111-2222-3333-444444444444")
    assert _xref_ok(a) and _xref_ok(b)
    na = pdfmod.normalise_pdf(a, date(2026, 3, 2))
    nb = pdfmod.normalise_pdf(b, date(2026, 3, 2))
    assert len(na) == len(a) and _xref_ok(na)  # every offset still valid
    assert na == nb  # only the time of printing and the random ids differed
    assert b"/CreationDate (D:20260302000000Z)      \n" in na
    assert b"/ModDate (D:20260302000000Z)      >>" in na
    # XMP: the day, midnight UTC, in each value's own layout
    assert b"<xmp:CreateDate>2026-03-02T00:00:00+00:00</xmp:CreateDate>" in na
    assert b"<xmp:ModifyDate>2026-03-02T00:00:00Z</xmp:ModifyDate>" in na
    assert b"20261127" not in na and b"191123" not in na
    # the ids: hex of the same length, from the content, not from the original id
    (first, second) = re.search(rb"/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]", na).groups()
    assert first == second and first != b"3f2a9c1e77b04d1a9e0f0123456789ab"
    uuid = re.search(rb"uuid:([0-9a-f-]+)<", na).group(1)
    assert re.fullmatch(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uuid)
    # another document gets another id; another date changes the dates only
    other = pdfmod.normalise_pdf(
        _chromium_like("20261127191123", "3f2a9c1e-77b0-4d1a-9e0f-0123456789ab", b"Hallo"),
        date(2026, 3, 2),
    )
    assert re.search(rb"/ID \[<([0-9a-f]{32})>", other).group(1) != first
    later = pdfmod.normalise_pdf(a, date(2027, 1, 1))
    assert b"(D:20270101000000Z)" in later and len(later) == len(a)


def _tagged(ids: list[int]) -> bytes:
    """Structure elements as Chromium writes them: a table header cell, a data cell pointing
    at it by ``/Headers``, and the sorted ``/IDTree``."""
    th, td, other = (f"node{i:08d}".encode() for i in ids)
    return _pdf(
        [
            b"<</Type /StructElem /S /TH /ID (" + th + b")>>",
            b"<</Type /StructElem /S /TD /A [<</O /Table /Headers [("
            + th
            + b")]>>] /ID ("
            + td
            + b")>>",
            b"<</Type /StructElem /S /P /ID (" + other + b")>>",
            b"<</Names [(" + th + b") 1 0 R (" + td + b") 2 0 R (" + other + b") 3 0 R]>>",
        ]
    )


def test_normalise_pdf_renumbers_structure_ids_by_rank():
    """Two printings of one page whose DOM node ids were shifted (42, 43, 50 against 43, 44,
    52) give the same bytes: ids 0, 1, 2 at the original width, references kept, order kept."""
    a, b = _tagged([42, 43, 50]), _tagged([43, 44, 52])
    na, nb = (pdfmod.normalise_pdf(x, date(2026, 1, 1)) for x in (a, b))
    assert na == nb and len(na) == len(a) and _xref_ok(na)
    assert b"/S /TH /ID (node00000000)" in na
    assert b"/Headers [(node00000000)]>>] /ID (node00000001)" in na
    assert b"/Names [(node00000000) 1 0 R (node00000001) 2 0 R (node00000002) 3 0 R]" in na
    # order by number, not by first appearance: a later element with a smaller id sorts first
    nc = pdfmod.normalise_pdf(_tagged([7, 9, 3]), date(2026, 1, 1))
    assert b"/S /TH /ID (node00000001)" in nc and b"/S /P /ID (node00000000)" in nc


def test_normalise_pdf_without_volatile_fields_is_the_identity():
    plain = _pdf([b"<</Title (x)>>", b"<</Type /Catalog>>"])
    assert pdfmod.normalise_pdf(plain, date(2026, 1, 1)) == plain


def test_normalise_pdf_refuses_what_it_cannot_keep_at_its_length():
    short = _pdf([b"<</CreationDate (D:2026)>>", b"<</Type /Catalog>>"])
    with pytest.raises(pdfmod.PdfError, match="lengden"):
        pdfmod.normalise_pdf(short, date(2026, 1, 1))


def test_pdf_date_is_the_publication_date_or_the_new_year_after_the_statistics_year():
    assert pdfmod.pdf_date(2025, "2026-03-02") == date(2026, 3, 2)
    assert pdfmod.pdf_date(2025, None) == date(2026, 1, 1)
    assert pdfmod.pdf_date(2013) == date(2014, 1, 1)


# ------------------------------------------------------------------ dates and the command line


@pytest.mark.parametrize(
    "text", ["2026-02-30", "1.3.2026", "20260301", "2026-W10-1", "2026-03-01T10:00", "i morgen"]
)
def test_publication_date_must_be_a_calendar_day_written_iso(text):
    with pytest.raises(ValueError, match="ÅÅÅÅ-MM-DD|kalenderen"):
        check_publication_date(text)


def test_publication_date_accepted_forms():
    assert check_publication_date(" 2026-03-02 ") == "2026-03-02"
    assert check_publication_date(date(2026, 3, 2)) == "2026-03-02"


@pytest.mark.parametrize("text", ["2026-02-30", "02.03.2026"])
def test_cli_refuses_a_bad_publication_date_before_anything(tmp_path, capsys, text):
    out = tmp_path / "r"
    with pytest.raises(SystemExit) as e:  # argparse: usage and the error, status 2
        cli.main(["run", "--publication-date", text, "--out", str(out)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "argument --publication-date:" in err and text in err
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_pdf_without_chromium_stops_before_building(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pdfmod.CHROMIUM_ENV, str(tmp_path / "finnes-ikke"))
    out = tmp_path / "r"
    code = cli.main(["run", "--pdf", "--notebook", "sykefravaer", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("fou run: --pdf trenger Chromium") and "FOU_CHROMIUM" in err
    assert not out.exists()


def test_no_chromium_found_says_what_to_do(monkeypatch):
    monkeypatch.delenv(pdfmod.CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", "")
    assert pdfmod.find_chromium() is None
    with pytest.raises(pdfmod.BrowserNotFound, match="apt install chromium"):
        pdfmod.require_chromium()


def _catalogue(tmp_path: Path, extra: str) -> Path:
    d = tmp_path / "nb"
    d.mkdir(parents=True, exist_ok=True)
    (d / "mini.ipynb").write_text("{}", encoding="utf-8")
    path = d / "reports.yaml"
    path.write_text(
        "reports:\n  mini:\n    title: Testrapport\n    duty: En plikt\n    source: x.txt\n"
        "    headline: {key: value, label: Verdi, format: pct1}\n    data: hr\n" + extra,
        encoding="utf-8",
    )
    return path


def test_catalogue_publication_date(tmp_path):
    specs = load_report_specs(_catalogue(tmp_path, "    publication_date: 2026-03-02\n"))
    assert specs["mini"].publication_date == "2026-03-02"
    (job,) = plan(years=[2025], specs=specs)
    assert job.parameters["publication_date"] == "2026-03-02"
    # the command line wins
    (job,) = plan(years=[2025], specs=specs, publication_date="2026-04-01")
    assert job.parameters["publication_date"] == "2026-04-01"
    # without either: None (the masthead shows the statistics year only)
    plain = load_report_specs(_catalogue(tmp_path / "b", ""))
    (job,) = plan(years=[2025], specs=plain)
    assert job.parameters["publication_date"] is None


def test_catalogue_bad_publication_date_names_line_and_value(tmp_path):
    path = _catalogue(tmp_path, "    publication_date: 2026-02-30\n")
    with pytest.raises(DataValidationError) as e:
        load_report_specs(path)
    text = str(e.value)
    assert "rad 8" in text and "reports.mini.publication_date" in text and "2026-02-30" in text


def test_publication_date_before_the_statistics_year_is_refused(tmp_path):
    specs = load_report_specs(_catalogue(tmp_path, "    publication_date: 2024-06-01\n"))
    with pytest.raises(DataValidationError, match="før statistikkåret 2025") as e:
        plan(years=[2024, 2025], specs=specs)
    assert "reports.mini.publication_date" in str(e.value)
    with pytest.raises(DataValidationError, match="--publication-date"):
        plan(years=[2025], specs=specs, publication_date="2024-12-31")
    assert len(plan(years=[2025], specs=specs, publication_date="2025-12-31")) == 1


def test_publication_date_counts_in_the_cache_key():
    specs = load_report_specs()
    (a,) = plan(years=[2025], notebooks=["sykefravaer"], specs=specs)
    (b,) = plan(years=[2025], notebooks=["sykefravaer"], specs=specs, publication_date="2026-03-02")
    (c,) = plan(years=[2025], notebooks=["sykefravaer"], specs=specs, publication_date="2026-03-03")
    keys = {job_key(j, specs["sykefravaer"]) for j in (a, b, c)}
    assert len(keys) == 3


# ------------------------------------------------------------------ the pipeline

CELLS = [
    (
        "code",
        "year = 2025\nmin_cell = 5\nseed = 1\nhr_data = None\npublication_date = None",
        ["parameters"],
    ),
    (
        "code",
        "from analysis.data.inputs import hr_for_year\n"
        "from analysis.render import notebook as rn\n"
        "from analysis.render.keyfigures import record_key_figures\n"
        "person = hr_for_year(year, hr_data, seed)\n"
        "rn.setup()\n"
        "rn.header('Testrapport', year, person.data_source, publication_date=publication_date)",
        [],
    ),
    ("markdown", "## Resultat\n\nEn setning på bokmål med en tabell under.", []),
    (
        "code",
        "from analysis.render.tables import html_table\nimport pandas as pd\n"
        "rn.html(html_table(pd.DataFrame({'Gruppe': ['A', 'B'], 'Antall': [len(person.frame), 7]}),"
        " caption='Personer'))",
        [],
    ),
    (
        "code",
        "record_key_figures({'year': year, 'data_source': person.data_source, "
        "'person_data_source': person.data_source, 'value': 40 + len(person.frame) % 7})",
        [],
    ),
]


def _make_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    for i, (kind, src, tags) in enumerate(CELLS):
        cell = (
            nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        )
        cell["id"] = str(i)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.fixture
def specs(tmp_path: Path):
    d = tmp_path / "nb"
    d.mkdir()
    _make_notebook(d / "mini.ipynb")
    (d / "reports.yaml").write_text(
        "reports:\n  mini:\n    title: Testrapport\n    duty: En plikt\n    source: x.txt\n"
        "    headline: {key: value, label: Verdi, format: number}\n    data: hr\n",
        encoding="utf-8",
    )
    return load_report_specs(d / "reports.yaml")


def _chromium() -> str:
    exe = pdfmod.find_chromium()
    if exe is None:
        pytest.skip(
            "Chromium finnes ikke (chromium, chromium-browser eller $FOU_CHROMIUM): "
            "PDF-testene trenger den ('make browser-deps' installerer den)"
        )
    return exe


def _major(version: str) -> int:
    m = re.search(r"/(\d+)\.", version)
    return int(m.group(1)) if m else 0


@pytest.mark.slow
def test_pdf_beside_the_report_a4_tagged_and_byte_reproducible(specs, tmp_path):
    exe = _chromium()
    with pdfmod.Browser(exe) as b:
        major = _major(b.version)
    jobs = plan(years=[2025], specs=specs, publication_date="2026-03-02")
    out1, out2 = tmp_path / "r1", tmp_path / "r2"
    s1 = run(jobs, out_dir=out1, specs=specs, progress=None, pdf=exe)
    s2 = run(jobs, out_dir=out2, specs=specs, progress=None, pdf=exe)
    assert s1.ok and s2.ok, (s1.pdf_errors, s2.pdf_errors)
    pdf1 = (out1 / "2025" / "mini.pdf").read_bytes()
    assert pdf1 == (out2 / "2025" / "mini.pdf").read_bytes()  # two builds, the same bytes
    assert pdf1.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf1)
    assert boxes and all(
        abs(float(w) - 595.28) <= 1 and abs(float(h) - 841.89) <= 1 for w, h in boxes
    )
    # the publication date, not the build clock, in the document information
    assert pdf1.count(b"(D:20260302000000Z)") == 2
    assert b"file:" not in pdf1 and str(tmp_path).encode() not in pdf1
    if major >= 123:  # generateTaggedPDF (experimental since 116, stable in this range)
        assert b"/StructTreeRoot" in pdf1 and b"/Lang (nb)" in pdf1
    index = (out1 / "index.html").read_text(encoding="utf-8")
    assert 'href="2025/mini.pdf">PDF</a>' in index
    assert "Publisert 2. mars 2026" in (out1 / "2025" / "mini.html").read_text(encoding="utf-8")

    # unchanged: not built, not printed again
    before = (out1 / "2025" / "mini.pdf").stat().st_mtime_ns
    again = run(jobs, out_dir=out1, specs=specs, progress=None, pdf=exe)
    assert [r.status for r in again.results] == ["cached"]
    assert (out1 / "2025" / "mini.pdf").stat().st_mtime_ns == before

    # rebuilt without --pdf: the PDF of the old HTML goes, and so does its link
    plain = plan(years=[2025], specs=specs)
    assert run(plain, out_dir=out1, specs=specs, progress=None).ok
    assert not (out1 / "2025" / "mini.pdf").exists()
    assert "mini.pdf" not in (out1 / "index.html").read_text(encoding="utf-8")

    # a report built earlier without --pdf gets its PDF without being built again
    later = run(plain, out_dir=out1, specs=specs, progress=None, pdf=exe)
    assert [r.status for r in later.results] == ["cached"] and later.ok
    assert (out1 / "2025" / "mini.pdf").is_file()
    assert (out1 / "2025" / "mini.pdf").read_bytes() != pdf1  # no publication date now
    assert b"(D:20260101000000Z)" in (out1 / "2025" / "mini.pdf").read_bytes()


def _real_hr_file(folder: Path, year: int) -> Path:
    """An HR file that is not marked synthetic (ids without the SYN- prefix, no sidecar)."""
    from analysis.data.synthetic import synth_hr

    frame = synth_hr(year, 3).frame.copy()
    frame["person_id"] = [f"P{i:05d}" for i in range(len(frame))]
    path = folder / "hr_ekte.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_real_data_report_survives_a_run_without_the_data(specs, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    hr = _real_hr_file(folder, 2025)
    (job,) = plan(years=[2025], specs=specs, hr_data=str(hr))
    assert job.variant == REAL_DATA_VARIANT and job.output == "mini-persondata"
    out = tmp_path / "r"
    assert run([job], out_dir=out, specs=specs, progress=None).ok
    real = {
        rel: (out / "2025" / rel).read_bytes()
        for rel in (
            "mini-persondata.html",
            "code/mini-persondata.html",
            "executed/mini-persondata.ipynb",
            "mini-persondata.json",
        )
    }
    assert json.loads(real["mini-persondata.json"])["person_data_source"] == "microdata"
    # `make reports`: the same report and year without person-level data
    assert run(plan(years=[2025], specs=specs), out_dir=out, specs=specs, progress=None).ok
    for rel, data in real.items():
        assert (out / "2025" / rel).read_bytes() == data, rel
    assert json.loads((out / "2025" / "mini.json").read_text())["data_source"] == "synthetic"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index('href="2025/mini-persondata.html"') < index.index('href="2025/mini.html"')
    assert "persondata fra hr_ekte.csv" in index and "syntetiske data</td>" in index
    assert str(folder) not in index
    cache = json.loads((out / ".fou-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache) == ["2025/mini", "2025/mini-persondata"]

    # a synthetic file (written by fou synth) is not real data: the ordinary name
    from analysis.data.synthetic import synth_hr, write_synthetic

    syn = write_synthetic(synth_hr(2025, 4), folder / "hr_syn.csv")
    (sjob,) = plan(years=[2025], specs=specs, hr_data=str(syn))
    assert sjob.variant == "" and sjob.output == "mini"


@pytest.mark.slow
def test_a_real_data_name_is_never_given_to_synthetic_figures(specs, tmp_path):
    """The guard in execute: a job meant for real data whose notebook used synthetic data
    fails and installs nothing."""
    (job,) = plan(years=[2025], specs=specs)
    fake = Job(job.notebook, job.year, job.parameters, job.inputs, REAL_DATA_VARIANT)
    out = tmp_path / "r"
    summary = run([fake], out_dir=out, specs=specs, progress=None)
    (failed,) = summary.failed
    assert "syntetiske persondata" in failed.error
    assert not list(out.rglob("mini-persondata*"))
