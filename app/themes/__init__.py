"""Themes in what people wrote: the codebook in the database, automatic tagging, human review,
and the themes report (issue #6 item 3).

- ``codebook`` loads and saves the codebook (CodebookTheme rows), validated by
  ``analysis.themes.Codebook``, and hashes what tagging depends on; ``formats`` writes it as
  YAML or as a REFI-QDA codebook (.qdc).
- ``tagging`` keeps the automatic tags up to date. **Tagging happens in a background task**
  (app.tasks, "tag_texts"), started after a text is stored and after the codebook changes (and
  by ``flask themes tag``): every free-text answer and focus-group contribution whose TaggedText
  is missing, or was made with another codebook, is tagged again, in batches committed one by
  one. Submitting stays as fast as before, and reads never write: the report and the review
  queue say how many texts are still waiting.
- ``queries`` selects the texts a report may show (filters applied, withdrawn people left out)
  and aggregates tags in SQL; ``review`` is the human review queue; ``report`` builds the report
  (counts, groups, channels, sentiment, quotes, agreement, emerging phrases) and its tables.

``analysis.themes`` takes a few seconds to import (TextBlob), so it is imported inside the
functions that need it, never when the app starts.
"""
