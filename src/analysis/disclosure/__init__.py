"""Disclosure control, the one layer every suppression goes through: cell and margin
suppression with an exact audit (tables), the joint decision for the HR reports (hr), the one
for the Jobbsjansen register (register) and the threshold check (min_cell)."""
