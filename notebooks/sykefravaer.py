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

# %% tags=["parameters"]
year = 2025
hr_data = None
min_cell = 5
seed = 2025
publication_date = None  # ÅÅÅÅ-MM-DD, vises under tittelen (fou run --publication-date)

# %%
from analysis.sickleave import plots
from analysis.render import notebook as rn
from analysis.render.figures import show_figure
from analysis.render.formatting import fmt_pct
from analysis.render.keyfigures import record_key_figures
from analysis.sickleave import report as SF

rn.setup()
r = SF.build(year, hr_data, min_cell, seed)
rn.header("Sykefravær etter kjønn i IMDi", year, r.person.data_source, r.person.note,
          publication_date=publication_date)

# %%
rn.key_figure_cards([
    ("Legemeldt sykefravær, kvinner", fmt_pct(r.rate("K")["rate_pct"])),
    ("Legemeldt sykefravær, menn", fmt_pct(r.rate("M")["rate_pct"])),
    ("Legemeldt sykefravær, alle ansatte", fmt_pct(r.rate("alle")["rate_pct"])),
    ("Kvinners fravær i forhold til menns", SF.fmt_ratio(r.adjusted.unadjusted)),
    ("Samme forhold, justert for stilling og alder", SF.fmt_ratio(r.adjusted.estimate)),
])
rn.md(SF.headline_text(r))

# %% [markdown]
# ## Sykefravær for kvinner og menn
#
# Sykefraværet måles som tapte dagsverk i prosent av avtalte dagsverk. *Legemeldt* fravær er
# fravær med sykmelding fra lege, *egenmeldt* fravær er fravær med egenmelding, og *samlet*
# fravær er summen av de to. IMDi rapporterer det legemeldte fraværet etter kjønn i
# likestillingsredegjørelsen. Konfidensintervallet (KI) viser hvor mye raten kunne ha variert
# av tilfeldige grunner: noen få lange sykmeldinger kan flytte raten for en liten
# arbeidsplass mye.

# %%
rn.html(SF.html_rates_table(r))

# %% [markdown]
# ## Utviklingen over tid
#
# Figuren viser det legemeldte sykefraværet for kvinner og menn slik IMDi har publisert det.
# IMDi har publisert tall etter kjønn for 2013 og 2014 (årsrapporten for 2014) og for
# 2023–2025 (likestillingsredegjørelsene); for årene imellom finnes ingen publiserte tall, og
# linjene er brutt der. Den prikkede linjen er målet fra IA-avtalen i 2014. Det gjaldt
# *samlet* sykefravær, som også omfatter det egenmeldte, og skulle være nådd innen
# utgangen av 2018.

# %%
show_figure(*plots.plot_published_trend(r.series, r.targets, r.benchmark, kind="legemeldt"))
rn.html(SF.html_series_table(r))

# %% [markdown]
# ## Sykefravær etter stillingsgruppe og alder
#
# Sykefraværet varierer med hva slags arbeid man har og med alder. Tallene under bygger på
# persondata. Grupper med få ansatte gir svært usikre rater.

# %%
rn.md(f"Tall som bygger på færre enn {min_cell} personer, vises ikke av personvernhensyn "
      "(markert med «:» i tabellene).")

# %% [markdown]
# ### Stillingsgruppe

# %%
show_figure(*plots.plot_rates_by_group(r.rates_job, group="job_group", kind="legemeldt",
                                       min_cell=min_cell))
rn.html(SF.html_job_group_table(r))

# %% [markdown]
# ### Aldersgruppe

# %%
show_figure(*plots.plot_rates_by_group(r.rates_age, group="age_band", kind="legemeldt",
                                       min_cell=min_cell))
rn.html(SF.html_age_band_table(r))

# %% [markdown]
# ## Kvinner og menn i samme stillingsgruppe og aldersgruppe
#
# Kvinner og menn er ikke likt fordelt på stillingsgrupper og aldersgrupper. For å se om
# forskjellen i fravær består når kvinner og menn i samme stillingsgruppe og aldersgruppe
# sammenlignes, brukes en regresjonsmodell for antall tapte dagsverk per person
# (quasi-Poisson). Modellen tar hensyn til at den som har flere avtalte dagsverk, også kan
# tape flere (logaritmen av avtalte dagsverk inngår som *offset*), og den sammenligner
# kvinner og menn med samme stillingsgruppe og aldersgruppe. Resultatet er et
# *rateforhold*: hvor mange ganger så høyt kvinners fravær er som menns. Usikkerheten er
# beregnet ut fra hvor ujevnt fraværet faktisk er fordelt, ikke ut fra en antakelse om at
# alle har samme risiko. En negativ binomisk modell er tatt med som følsomhetsanalyse.

# %%
rn.html(SF.html_adjusted_table(r))
rn.md(SF.adjusted_text(r))

# %% [markdown]
# ## Hvor samlet er fraværet?
#
# Sykefravær er ujevnt fordelt: de fleste har ingen eller få fraværsdager, mens noen få har
# lange sykmeldinger. Figuren viser hvor stor del av de tapte dagsverkene som faller på en
# gitt andel av de ansatte.
#
# Dataene har bare summen av tapte dagsverk per person i året, ikke de enkelte
# sykefraværstilfellene. Skillet mellom langtids- og korttidsfravær er derfor et *anslag*:
# mer enn 16 tapte dagsverk i året kan ikke komme fra ett tilfelle innenfor
# arbeidsgiverperioden (16 kalenderdager) og tyder på et lengre tilfelle. Men gruppen
# omfatter også personer med mange korte tilfeller, og en lang, gradert sykmelding kan gi få
# tapte dagsverk. Tallene må leses som en indikasjon, ikke som statistikk over langtidsfravær.

# %%
show_figure(*plots.plot_concentration(r.lorenz, r.concentration, kind="legemeldt"))
rn.md(SF.concentration_text(r))
rn.html(SF.html_concentration_table(r))

# %% [markdown]
# ## Sammenligning med de publiserte tallene
#
# IMDi publiserer sykefraværet i årsrapporten og likestillingsredegjørelsen. Tabellene viser
# de publiserte tallene for året nøyaktig slik de er publisert, med kilde, og sammenligner
# dem med tallene beregnet fra persondataene.

# %%
if len(r.published_year):
    rn.html(SF.html_published_year_table(r))
rn.md(SF.comparison_text(r))
if len(r.comparison):
    rn.html(SF.html_comparison_table(r))

# %% [markdown]
# ### Stemmer de publiserte totalene?
#
# Sykefraværet for alle ansatte er et vektet gjennomsnitt av kvinners og menns fravær, der
# vektene er kvinners og menns andel av de avtalte dagsverkene. Totalen må derfor ligge
# mellom kvinners og menns rate, og omtrent der kvinneandelen blant de ansatte tilsier.
# Kontrollen regner ut hvilken andel av de avtalte dagsverkene kvinnene måtte ha hatt for at
# den publiserte totalen skulle stemme (*andelen av avtalte dagsverk som totalen
# tilsvarer*). I 2023–2025 var rundt to av tre ansatte i IMDi kvinner, så andelen bør ligge
# nær to tredeler; ligger den langt unna, kan ikke totalen og kjønnstallene være beregnet på samme
# måte for de samme personene. Tabellen viser alle år med en publisert total; rapportåret er
# merket «(rapportåret)» når det er med.

# %%
rn.md(SF.findings_text(r))
rn.html(SF.html_findings_table(r))

# %% [markdown]
# ## Sammenligning med statlig forvaltning
#
# IMDi har som mål at sykefraværet skal være under gjennomsnittet for statlig forvaltning.
# For å vurdere det trengs gjennomsnittet for statlig forvaltning for samme år og samme type
# fravær, hentet fra en publisert kilde.

# %%
rn.md(r.benchmark_text)
rn.md(SF.targets_text(r))

# %% [markdown]
# ## Data og metode

# %%
rn.method_section("sickleave", min_cell=min_cell)

# %%
record_key_figures(r.key_figures)
rn.provenance_block(
    {"year": year, "hr_data": hr_data, "min_cell": min_cell, "seed": seed}, r.inputs)
