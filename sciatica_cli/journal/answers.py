"""The safety answers the journal keeps: red-flag screens and contraindication answers.

A base of ``store.SessionStore`` (which satisfies ``safety.screening.SafetyRecords`` through
it); its SQL belongs with the store's, split off only to keep each module short.
"""

from __future__ import annotations

from collections.abc import Mapping

from sciatica_cli.journal.records import (
    SCREEN_RESULTS,
    ContraindicationRecord,
    ScreenRecord,
    check_choice,
)
from sciatica_cli.journal.rows import answers_text, contraindication_record, screen_record
from sciatica_cli.journal.transactions import Transactions


class SafetyAnswers(Transactions):
    """The red-flag screens and contraindication answers of an open journal."""

    def record_screen(self, answers: Mapping[str, bool], *, result: str, assessed: bool) -> int:
        """Store red-flag screen answers dated now; return the screen's id."""
        check_choice("result", result, SCREEN_RESULTS)
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO screens (answered_at, answers, result, assessed) VALUES (?, ?, ?, ?)",
                (self._stamp(), answers_text(answers), result, int(assessed)),
            )
            screen_id = cursor.lastrowid
        assert screen_id is not None  # an INSERT always sets it
        return screen_id

    def last_screen(self) -> ScreenRecord | None:
        """The most recently recorded red-flag screen, if any."""
        row = self._one("SELECT * FROM screens ORDER BY id DESC LIMIT 1")
        return None if row is None else screen_record(row)

    def screens(self) -> list[ScreenRecord]:
        """Every red-flag screen, newest first (for the clinician's report)."""
        return [screen_record(row) for row in self._all("SELECT * FROM screens ORDER BY id DESC")]

    def record_contraindications(self, answers: Mapping[str, bool]) -> None:
        """Store contraindication answers dated now; the latest answers win."""
        with self._write() as db:
            db.execute(
                "INSERT INTO contraindications (answered_at, answers) VALUES (?, ?)",
                (self._stamp(), answers_text(answers)),
            )

    def contraindications(self) -> ContraindicationRecord | None:
        """The latest contraindication answers, if any were given."""
        row = self._one("SELECT * FROM contraindications ORDER BY id DESC LIMIT 1")
        return None if row is None else contraindication_record(row)
