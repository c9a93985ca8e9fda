"""Report building blocks: Norwegian formatting, disclosure control, tables, figures,
key figures and provenance."""
