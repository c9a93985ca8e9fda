"""Bokmål labels of the Jobbsjansen report's groups: target groups, age bands and genders.
Project ids and municipalities are shown as they are."""

from __future__ import annotations

from analysis.data.codes import GENDER_LABELS, PARTICIPANT_AGE_BAND_LABELS, TOTAL
from analysis.jobbsjansen.measures import TARGET_GROUP_LABELS
from analysis.render.labels import GroupLabels

#: ``group_label(dimension, code)``; ``dimension=None`` looks the code up in every list
group_label = GroupLabels(
    {
        "target_group": TARGET_GROUP_LABELS,
        "age_band": PARTICIPANT_AGE_BAND_LABELS,
        "gender": GENDER_LABELS,
    },
    total_code=TOTAL,
)
