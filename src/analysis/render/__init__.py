"""Presentation: Norwegian number formatting, inert text, tables, figures, key figures,
provenance and the nbconvert templates."""
