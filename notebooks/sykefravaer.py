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
# Modellvalg (fou run --param NAVN=VERDI); None = standardmodellen
sick_leave_covariates = None  # f.eks. ["job_group", "age"]; standard: models.DEFAULT_COVARIATES

# %%
from analysis.render import notebook as rn
from analysis.render import publication as pub
from analysis.render.keyfigures import record_key_figures
from analysis.sickleave import plots
from analysis.sickleave import report as SF

rn.setup()
r = SF.build(year, hr_data, min_cell, seed, sick_leave_covariates=sick_leave_covariates)
rn.header("Sykefravær etter kjønn i IMDi", year, r.person.data_source, SF.banner_note(r),
          publication_date=publication_date, source_text=SF.header_source(r))

# %%
if SF.key_cards(r):
    rn.key_figure_cards(SF.key_cards(r))
    rn.md(SF.key_cards_source(r))
pub.hovedfunn(SF.hovedfunn_points(r))

# %% [markdown]
# ## Sykefravær for kvinner og menn
#
# IMDi rapporterer det legemeldte fraværet etter kjønn i årsrapporten eller
# likestillingsredegjørelsen, men oppgir ikke i kildene hvordan tallene er beregnet. Vanlig
# definisjon (SSB og NAV) er tapte dagsverk i prosent av avtalte dagsverk. *Legemeldt*
# fravær er fravær med sykmelding fra lege, *egenmeldt* fravær er fravær med egenmelding, og
# *samlet* fravær er summen av de to.

# %%
if not r.illustrative:
    rn.md(SF.rates_intro_text(r))
    pub.table(SF.html_rates_table(r), source=SF.computed_source(r))
if r.has_published:
    pub.table(SF.html_published_year_table(r), source=SF.published_sources(r.published_year))
rn.md(SF.published_text(r))
if not r.illustrative and len(r.comparison):
    rn.md(SF.comparison_text(r))
    pub.table(SF.html_comparison_table(r), source=SF.comparison_source(r))

# %% [markdown]
# ## Utviklingen over tid
#
# Figuren viser det legemeldte sykefraværet for kvinner og menn slik IMDi har publisert det.
# IMDi har publisert tall etter kjønn for 2013 og 2014 (årsrapporten for 2014) og for
# 2023–2025 (likestillingsredegjørelsene); for årene imellom finnes ingen publiserte tall, og
# linjene er brutt der. Den prikkede linjen er målet fra IA-avtalen i 2014. Det gjaldt
# *samlet* sykefravær, som også omfatter det egenmeldte, og skulle være nådd innen
# utgangen av 2018. Derfor er det samlede sykefraværet for alle ansatte vist som egne
# punkter ved linjen for årene målet gjaldt; linjene for legemeldt fravær kan ikke
# sammenlignes med målet.

# %%
fig, alt = plots.plot_published_trend(r.series, r.targets, r.benchmark, kind="legemeldt")
pub.figure(fig, title=SF.trend_title(r), alt=alt, source=SF.series_source(r))
pub.table(SF.html_series_table(r), source=SF.series_source(r));

# %% [markdown]
# ## Stemmer de publiserte totalene?
#
# Sykefraværet for alle ansatte er et vektet gjennomsnitt av kvinners og menns fravær, der
# vektene er kvinners og menns andel av de avtalte dagsverkene. Totalen må derfor ligge
# mellom kvinners og menns tall, og omtrent der kvinneandelen blant de ansatte tilsier. I
# 2023–2025 var rundt to av tre ansatte i IMDi kvinner. Tabellen viser, for hvert år med en
# publisert total, hvilken andel av de avtalte dagsverkene kvinnene måtte ha hatt for at
# totalen skulle stemme. Ligger den langt fra to tredeler, kan ikke totalen og tallene for
# kvinner og menn være beregnet på samme måte for de samme personene.

# %%
rn.md(SF.findings_text(r))
pub.table(SF.html_findings_table(r), source=SF.findings_source(r));

# %% [markdown]
# ## Mål for sykefraværet

# %%
rn.md(SF.targets_text(r))

# %% [markdown]
# ## Sykefravær etter stillingsgruppe og alder
#
# Sykefraværet varierer med hva slags arbeid man har og med alder. Tallene bygger på
# persondata, og grupper med få ansatte gir svært usikre tall.

# %%
if r.illustrative:
    pub.illustration(SF.illustration_text(r, "Tallene i denne delen"))
    pub.table(SF.html_rates_table(r), source=SF.computed_source(r))
    rn.md(SF.hidden_rates_text(r))
rn.md(SF.suppression_text(r))
fig, alt = plots.plot_rates_by_group(r.rates_job, group="job_group", kind="legemeldt",
                                     min_cell=min_cell)
pub.figure(fig, title=SF.group_title(r, "stillingsgruppe"), alt=alt,
           source=SF.computed_source(r))
pub.table(SF.html_job_group_table(r), source=SF.computed_source(r))
fig, alt = plots.plot_rates_by_group(r.rates_age, group="age_band", kind="legemeldt",
                                     min_cell=min_cell)
pub.figure(fig, title=SF.group_title(r, "aldersgruppe"), alt=alt,
           source=SF.computed_source(r))
pub.table(SF.html_age_band_table(r), source=SF.computed_source(r));

# %%
rn.prose(SF.adjusted_intro(r))  # overskrift og tekst følger sick_leave_covariates

# %%
if r.illustrative:
    pub.illustration(SF.illustration_text(r, "Rateforholdene i denne delen"))
pub.table(SF.html_adjusted_table(r), source=SF.computed_source(r))
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
# mer enn 16 tapte dagsverk i året regnes som antatt langtidsfravær. Arbeidsgiverperioden er
# 16 kalenderdager, det vil si høyst 12 arbeidsdager, så mer enn 16 tapte dagsverk kan ikke
# komme fra ett fravær innenfor arbeidsgiverperioden og tyder på et lengre tilfelle. Men
# gruppen omfatter også personer med mange korte tilfeller, og en lang, gradert sykmelding
# kan gi få tapte dagsverk. Tallene må leses som en indikasjon, ikke som statistikk over
# langtidsfravær.

# %%
if r.illustrative:
    pub.illustration(SF.illustration_text(r, "Fordelingen i denne delen"))
fig, alt = plots.plot_concentration(r.lorenz, r.concentration, kind="legemeldt")
pub.figure(fig, title=SF.concentration_title(r), alt=alt, source=SF.computed_source(r))
rn.md(SF.concentration_text(r))
pub.table(SF.html_concentration_table(r), source=SF.computed_source(r));

# %%
pub.appendix()

# %% [markdown]
# ### Definisjoner
#
# * **Sykefraværsprosent**: tapte dagsverk × 100 / avtalte dagsverk, for gruppen samlet
#   (Statistisk sentralbyrås og NAVs definisjon). Tallene fra persondata er beregnet slik;
#   IMDi oppgir ikke i kildene hvordan de publiserte tallene er beregnet.
# * **Legemeldt sykefravær**: fravær med sykmelding fra lege. **Egenmeldt**: fravær med
#   egenmelding. **Samlet sykefravær**: summen av de to.
# * **Avtalte dagsverk**: dagsverkene en ansatt skulle ha arbeidet etter avtalen, vektet med
#   stillingsandelen. **Tapte dagsverk**: dagsverk borte på grunn av sykdom, vektet med
#   stillingsandelen og sykmeldingsgraden.
# * **Rateforhold**: kvinners sykefravær delt på menns. 1 betyr like høyt fravær.
# * **Konfidensintervall (KI)**: området som med 95 % sikkerhet omfatter den underliggende
#   raten, gitt hvor mye fraværet varierer tilfeldig mellom personene.
#
# ### Kilder

# %%
rn.md(SF.sources_text(r))

# %% [markdown]
# ### Metode

# %%
rn.method_section("sickleave", min_cell=min_cell,
                  adjusted_covariates=SF.method_covariates(r))

# %% [markdown]
# ### Usikkerhet
#
# Sykefraværet i en virksomhet på IMDis størrelse varierer mye fra år til år av tilfeldige
# grunner: noen få lange sykmeldinger kan flytte raten for alle ansatte med et helt
# prosentpoeng. Konfidensintervallene i tabellene fra persondata tar hensyn til det. De
# publiserte tallene er oppgitt uten usikkerhet.

# %%
rn.md(SF.dispersion_text(r), synthetic=r.illustrative)  # i rammen når dataene er syntetiske
pub.end_illustration()

# %% [markdown]
# ### Datakvalitet

# %%
rn.md(SF.quality_text(r))
if r.illustrative and len(r.comparison):
    rn.md(SF.comparison_text(r), synthetic=True)  # kontrollen av de syntetiske dataene
    pub.table(SF.html_comparison_table(r), source=SF.comparison_source(r))
    pub.end_illustration()

# %%
record_key_figures(r.key_figures)
rn.provenance_block(
    {"year": year, "hr_data": hr_data, "min_cell": min_cell, "seed": seed}, r.inputs,
    choices={"sick_leave_covariates": sick_leave_covariates},
    used={"hr_data": "ingen (syntetiske persondata)"} if r.illustrative else None)
rn.inspect(r)  # bare i JupyterLab: tabellene bak tallene (r.rates, r.rates_job, …)
