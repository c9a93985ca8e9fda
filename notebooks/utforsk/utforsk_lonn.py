# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (fou-analyse)
#     language: python
#     name: fou-analyse
# ---

# %% [markdown]
# # Utforsk lønnsforskjeller
#
# En notatbok for å starte et nytt spørsmål om lønn: les et års data, se byggeklossene
# (lønnsgap per stillingsgruppe, Ñopo-dekomponering, Oaxaca–Blinder med din egen modell) og
# prøv deg fram. Den er ikke en rapport og kjøres ikke av `fou run`.
#
# **Personvern:** tallene her er *ikke* prikket. Resultater fra ekte persondata må gjennom
# `analysis.disclosure.tables` før de deles (se «Hva kan deles?» i README).

# %% tags=["parameters"]
year = 2025
hr_data = None  # sti til en HR-fil (.csv, .xlsx, .parquet); None: syntetiske data for året
seed = 2025  # frø for de syntetiske dataene
use_published = False  # True: Ñopo på IMDis publiserte stillingsgruppetall
covariates = ["age", "tenure_years", "temporary"]  # din Oaxaca–Blinder-modell
reference = "pooled"  # "group_a" (menns lønnsstruktur), "group_b" (kvinners) eller "pooled"

# %%
# %load_ext autoreload
# %autoreload 2

# %%
import pandas as pd

from analysis.data.inputs import hr_for_year
from analysis.data.published import load_published
from analysis.oaxaca import oaxaca_blinder
from analysis.paygap import (
    cells_from_microdata,
    cells_from_published,
    gap_measures,
    nopo_decomposition,
    oaxaca_paygap,
    oaxaca_reference_label,
    prepare_pay_data,
)

# %% [markdown]
# ## Dataene
#
# `hr_for_year` leser HR-filen (og kontrollerer den som `fou run` gjør), eller lager
# syntetiske data kalibrert til de publiserte tallene for året (`analysis.data.synthetic`).

# %%
person = hr_for_year(year, hr_data, seed)
hr = person.frame
print(f"{len(hr)} ansatte i {year}, {person.data_source}: {person.note or ''}")
hr.drop(columns="person_id").describe()

# %% [markdown]
# ## Lønnsgap per stillingsgruppe
#
# Gjennomsnitt og median for kvinner og menn, gapet med Welchs standardfeil og 95 %
# intervall (`analysis.paygap.gap_measures`; `by=` velger en annen gruppering).

# %%
gap_measures(hr, by="job_group")

# %% [markdown]
# ## Ñopo: gapet delt i fire deler
#
# Fra persondataene aggregert til stillingsgrupper, eller fra de publiserte tallene.

# %%
pay = load_published("pay_by_job_group", preferred_only=True)
cells = cells_from_published(pay, year) if use_published else cells_from_microdata(hr)
nopo = nopo_decomposition(cells, reference="men")
pd.Series(nopo.to_dict(), name="kroner")

# %%
nopo.per_group

# %% [markdown]
# ## Oaxaca–Blinder med din modell
#
# `oaxaca_paygap` er det rapporten bruker (felles støtte for kategoriske variabler, tre
# referanser). Advarslene sier hvem som er utelatt og hvorfor.

# %%
results = oaxaca_paygap(hr, covariates)
pd.concat({oaxaca_reference_label(r): r.overall for r in results})

# %% [markdown]
# Eller metoden direkte, med alle valgene (`vce`, `se_method`, `threefold`, …):
# `analysis.oaxaca.oaxaca_blinder`. Utfallet er log årslønn; forskjellen er menn minus kvinner.
# Den krever at hver kategori av en kategorisk variabel har begge kjønn (felles støtte);
# `oaxaca_paygap` over tar seg av det.

# %%
res = oaxaca_blinder(
    prepare_pay_data(hr), "log_pay", "gender", covariates, group_a="M", reference=reference
)
res.detailed
