"""Synthetic person-level data calibrated to the figures IMDi has published.

The real HR export and the Jobbsjansen register are personal data and never leave IMDi's
systems. So that every analysis, notebook and report runs on a fresh machine, this module
generates stand-ins that follow :data:`analysis.data.microdata.HR_SCHEMA` and
:data:`analysis.data.microdata.JOBBSJANSEN_SCHEMA` and reproduce the published aggregates:

* :func:`synth_hr` – one row per employee, with exactly the published headcount per job group
  and gender, the published mean full-time pay per cell, the published certified sick-leave
  rate per gender, the published numbers of temporary and part-time employees per gender and
  the published parental leave (takers and mean weeks per gender).
* :func:`synth_jobbsjansen` – one row per participant spell active in an exit year, with the
  published number of participants, projects and municipalities and the published transition
  rate to work or education.

Years without published figures fall back to the nearest published year (ties: the later
year), and the result says so (:attr:`SynthResult.fallback`, :attr:`SynthResult.note`).
Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives the same frame.
Synthetic files are marked: ids start with ``SYN-`` and :func:`write_synthetic` writes a
``<file>.meta.json`` sidecar; :func:`is_synthetic` checks both.

Method and calibration are documented in ``docs/schemas.md``. The package is split by kind:
:mod:`~analysis.data.synthetic.hr` (HR exports), :mod:`~analysis.data.synthetic.jobbsjansen`
(participant registers), :mod:`~analysis.data.synthetic.files` (writing and recognising
synthetic files) and :mod:`~analysis.data.synthetic.common` (the result type, ids, weighted
sampling); everything public is importable from here. References are in each module.
"""

from __future__ import annotations

from analysis.data.synthetic.common import (
    GENERATOR,
    SYNTHETIC_PREFIX,
    SynthResult,
    nearest_year,
    rescale_capped,
)
from analysis.data.synthetic.files import (
    WRITE_SUFFIXES,
    is_synthetic,
    sidecar_path,
    write_synthetic,
)
from analysis.data.synthetic.hr import (
    MAX_SELF_CERTIFIED_DAYS,
    WORKDAYS_PER_FTE,
    synth_hr,
    synth_hr_large,
)
from analysis.data.synthetic.jobbsjansen import (
    DEFAULT_MIN_PROJECT_SIZE,
    DEFAULT_YOUTH_PROJECT_SHARE,
    EXIT_SHARE,
    PROJECT_EFFECT_SD,
    UTFASET_SHARE,
    resolve_qualifier,
    synth_jobbsjansen,
)

__all__ = [
    "DEFAULT_MIN_PROJECT_SIZE",
    "DEFAULT_YOUTH_PROJECT_SHARE",
    "EXIT_SHARE",
    "GENERATOR",
    "MAX_SELF_CERTIFIED_DAYS",
    "PROJECT_EFFECT_SD",
    "SYNTHETIC_PREFIX",
    "UTFASET_SHARE",
    "WORKDAYS_PER_FTE",
    "WRITE_SUFFIXES",
    "SynthResult",
    "is_synthetic",
    "nearest_year",
    "rescale_capped",
    "resolve_qualifier",
    "sidecar_path",
    "synth_hr",
    "synth_hr_large",
    "synth_jobbsjansen",
    "write_synthetic",
]
