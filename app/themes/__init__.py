"""Themes in what people wrote: the codebook in the database, automatic tagging, human review,
and the themes report (issue #6 item 3).

- ``codebook`` loads and saves the codebook (CodebookTheme rows), validated by
  ``analysis.themes.Codebook``, and hashes what tagging depends on; ``formats`` writes it as
  YAML or as a REFI-QDA codebook (.qdc).
- ``tagging`` keeps the automatic tags up to date. **Tagging happens on read**: before the
  report or the review queue is built (and by ``flask themes tag``), every free-text answer
  and focus-group contribution whose TaggedText is missing, or was made with another codebook,
  is tagged again, in batches committed one by one. Submitting an answer therefore stays as
  fast as before, and each read only pays for what is new since the last one; a read stops
  after a time budget and says how many texts are still waiting (``flask themes tag`` finishes
  them), so a bulk import never makes a page time out.
- ``queries`` selects the texts a report may show (filters applied, withdrawn people left out)
  and aggregates tags in SQL; ``review`` is the human review queue; ``report`` builds the report
  (counts, groups, channels, sentiment, quotes, agreement, emerging phrases) and its tables.

``analysis.themes`` takes a few seconds to import (TextBlob), so it is imported inside the
functions that need it, never when the app starts.
"""
