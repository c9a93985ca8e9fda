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
# # Utforsk sykefravær
#
# Sykefraværsprosent (SSBs definisjon) etter hvilken som helst gruppering, og det justerte
# rateforholdet mellom kvinner og menn med dine egne forklaringsvariabler. Ikke en rapport;
# kjøres ikke av `fou run`.
#
# **Personvern:** tallene her er *ikke* prikket (se «Hva kan deles?» i README).

# %% tags=["parameters"]
year = 2025
hr_data = None  # sti til en HR-fil; None: syntetiske data for året
seed = 2025
by = ["job_group", "gender"]  # grupperingen: kolonner i HR-dataene (og age_band)
kind = "legemeldt"  # "legemeldt", "egenmeldt" eller "totalt"
covariates = ["age_band", "tenure_years"]  # forklaringsvariablene i rateforholdet

# %%
# %load_ext autoreload
# %autoreload 2

# %%
from analysis.data.inputs import hr_for_year
from analysis.sickleave import measures as S
from analysis.sickleave.models import adjusted_rate_ratio

# %%
person = hr_for_year(year, hr_data, seed)
hr = S.add_age_band(person.frame)
print(f"{len(hr)} ansatte i {year}, {person.data_source}")

# %% [markdown]
# ## Rater etter gruppering
#
# Tapte dagsverk × 100 / avtalte dagsverk per gruppe, med personer som enheter i
# standardfeilen og 95 % gamma-intervall (`analysis.sickleave.measures.sick_leave_rates`).

# %%
rates = S.sick_leave_rates(hr, by=tuple(by), kinds=(kind,), margins=True)
rates

# %% [markdown]
# ## Rateforholdet kvinner/menn med din modell
#
# Quasi-Poisson med log(avtalte dagsverk) som offset; `method="negbin"` gir den negative
# binomiske modellen. `notes` sier hva modellen utelot.

# %%
ratio = adjusted_rate_ratio(hr, kind=kind, covariates=covariates)
ratio

# %%
S.absence_concentration(hr, kind)
