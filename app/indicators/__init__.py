"""Shared measurement: indicators defined as files (surveys/indicators/*.yaml), computed per
period from the surveys or reported by partners, with baselines, targets, forecasts and status.

`service` is what pages, the API and exports call; `analysis.indicators`, `analysis.trend` and
`analysis.periods` do the arithmetic.
"""
