"""Bokmål labels of the sick-leave report's groups: job groups, age bands, genders and the
total rows («Alle stillingsgrupper», «Alle aldre»)."""

from __future__ import annotations

from analysis.data.codes import GENDER_LABELS, JOB_GROUP_LABELS
from analysis.render.labels import GroupLabels
from analysis.sickleave.measures import AGE_BAND_LABELS, TOTAL

#: ``group_label(column, code)``
group_label = GroupLabels(
    {"job_group": JOB_GROUP_LABELS, "age_band": AGE_BAND_LABELS, "gender": GENDER_LABELS},
    total_code=TOTAL,
    totals={"job_group": "Alle stillingsgrupper", "age_band": "Alle aldre"},
)
