"""The pay gap: measures and decompositions (measures), figures (plots) and the report
build for the pay-gap notebook (report)."""
