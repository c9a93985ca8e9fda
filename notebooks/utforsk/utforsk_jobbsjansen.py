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
# # Utforsk Jobbsjansen
#
# Overgang til arbeid og utdanning etter hvilken som helst gruppering, og et traktplott over
# hvilken som helst enhet (prosjekt, kommune, målgruppe). Ikke en rapport; kjøres ikke av
# `fou run`.
#
# **Personvern:** tallene her er *ikke* prikket (se «Hva kan deles?» i README).

# %% tags=["parameters"]
year = 2024  # avslutningsåret
jobbsjansen_data = None  # sti til registeret; None: syntetisk register
seed = 2025
unit = "municipality"  # enheten i traktplottet: project_id, municipality, target_group, …
method = "calibrated"  # "calibrated" eller "funnelplotr"
target = None  # midtlinjen som andel (f.eks. 0.6); None: andelen for alle samlet

# %%
# %load_ext autoreload
# %autoreload 2

# %%
from analysis.data.inputs import register_for_year
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen import plots
from analysis.render.figures import show_figure

# %%
person = register_for_year(year, jobbsjansen_data, seed)
reg = person.frame
print(f"{len(reg)} forløp, {person.data_source}")

# %% [markdown]
# ## Andel over i arbeid og/eller utdanning per enhet
#
# Wilson-intervaller (`analysis.jobbsjansen.measures.transition_rates`, `by=` kan være flere
# kolonner).

# %%
jj.transition_rates(reg, year, by=unit)

# %% [markdown]
# ## Traktplott over enhetene
#
# `unit_funnel` er traktplottet rapporten bruker for prosjektene, for hvilken som helst
# enhet. `outside_95` og `outside_99_8` er enhetene utenfor grensene: signaler, ikke funn.

# %%
funnel = jj.unit_funnel(reg, year, by=unit, method=method, target=target)
print(f"φ = {funnel.dispersion_ratio:.2f}, τ² = {funnel.tau2:.4f}, metode {funnel.method}")
funnel.per_project

# %%
fig, alt = plots.funnel_figure(funnel, year=year, titled=False)
show_figure(fig, alt)
