"""Shared measurement, the part people see and do: the scorecard, the "turn the curve" indicator
page (story, actions), partners' performance measures and the public "you said, we did" page.
The figures themselves come from app.indicators.service."""
