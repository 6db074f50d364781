"""Tab completion: routine names, sides and session numbers, for bash, zsh and fish.

Typer calls these with the word typed so far whenever the shell asks (its completion script
runs ``sciatica`` with ``_SCIATICA_COMPLETE`` set), so each answers from what is already on
disk: the routine folders and the routine list cache, the newest sessions of the journal.
Nothing here reads a routine file, imports pydantic or yaml, or writes anything; a failure is
no suggestions, never a traceback in the middle of someone's command line.
"""

from __future__ import annotations

import typer

from sciatica_cli import paths
from sciatica_cli.text import visible

# The values of --side and `safety side`, with what each means (tests check the enums agree).
SIDES = {
    "left": "your left side is the affected one",
    "right": "your right side is the affected one",
    "both": "both sides are affected",
}
NEWEST_SESSIONS = 10  # how many session numbers `history note <TAB>` offers, newest first
_HELP_WIDTH = 60  # zsh and fish show the help beside the value: keep it to one short line

Suggestions = list[tuple[str, str]]


def routine_names(incomplete: str) -> Suggestions:
    """The routine names starting with ``incomplete``, each with its title if the cache has it."""
    from sciatica_cli.routines.library import scan
    from sciatica_cli.routines.listing import CACHE_NAME, cached_titles

    try:
        catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
        titles = cached_titles(catalog, paths.cache_dir() / CACHE_NAME)
    except Exception:  # a shell's Tab must never print a traceback: no suggestions instead
        return []
    found = []
    for name, routine in sorted(catalog.files.items()):
        if name.startswith(incomplete):
            about = titles.get(name, "")
            if routine.source == "user":
                about = f"{about} (yours)" if about else "yours"
            found.append((name, _help(about)))
    return found


def sides(incomplete: str) -> Suggestions:
    """left, right and both, for ``--side`` and ``safety side``."""
    return [(side, meaning) for side, meaning in SIDES.items() if side.startswith(incomplete)]


def session_numbers(ctx: typer.Context, incomplete: str) -> Suggestions:
    """The newest sessions' numbers for ``history note``, each with its routine and date; only
    for the first word, as the words after the number are the note."""
    if ctx.params.get("words"):
        return []
    from sciatica_cli.journal.opening import journal_path
    from sciatica_cli.journal.store import SessionStore
    from sciatica_cli.wallclock import local_tz

    journal = journal_path()
    if not journal.is_file():
        return []  # no sessions yet, and completion never creates the journal
    try:
        # Not merged: the pending file waits for a real command, so Tab never writes.
        with SessionStore.open(journal, reading=True, merge=False) as store:
            sessions = store.sessions(include_previews=True, limit=NEWEST_SESSIONS)
    except Exception:  # a shell's Tab must never print a traceback: no suggestions instead
        return []
    tz = local_tz()
    found = []
    for session in sessions:
        number = str(session.id)
        if number.startswith(incomplete):
            when = session.started_at.astimezone(tz).strftime("%a %d %b %Y %H:%M")
            preview = ", a preview" if session.preview else ""
            found.append((number, _help(f"{session.routine}, {when}{preview}")))
    return found


def _help(text: str) -> str:
    """One short line, safe to print: Typer renders zsh's and fish's help as Rich markup, so
    brackets become parentheses, and control characters become visible escapes."""
    line = " ".join(visible(text).split()).replace("[", "(").replace("]", ")")
    return line if len(line) <= _HELP_WIDTH else line[: _HELP_WIDTH - 3].rstrip() + "..."
