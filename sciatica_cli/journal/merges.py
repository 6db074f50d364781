"""What the journal remembers of the pending file's merges: which session a writer's id names,
and which records were merged. A base of ``store.SessionStore``; its SQL belongs with the
store's, split off only to keep each module short.
"""

from __future__ import annotations

from sciatica_cli.journal.answers import SafetyAnswers
from sciatica_cli.journal.records import check_choice


class PendingMerges(SafetyAnswers):
    """The merge bookkeeping of an open journal (``replay.MergeTarget`` needs it)."""

    def session_id_for(self, uid: str) -> int | None:
        """The id of the session its writer called ``uid``, if the journal has it."""
        row = self._one("SELECT id FROM sessions WHERE uid = ?", (uid,))
        return None if row is None else int(row["id"])

    def was_merged(self, record_id: str) -> bool:
        """Whether the pending record ``record_id`` was merged (or refused) already."""
        row = self._one("SELECT 1 FROM pending_merges WHERE record_id = ?", (record_id,))
        return row is not None

    def mark_merged(self, record_id: str, *, outcome: str, detail: str | None = None) -> None:
        """Remember that the pending record ``record_id`` was merged ("applied") or could not
        be ("rejected", with the record and why in ``detail``), so it never is again."""
        check_choice("outcome", outcome, ("applied", "rejected"))
        with self._write() as db:
            db.execute(
                "INSERT INTO pending_merges (record_id, merged_at, outcome, detail)"
                " VALUES (?, ?, ?, ?)",
                (record_id, self._stamp(), outcome, detail),
            )
