"""Creating and editing routine files safely: an invalid edit never replaces a valid file.

Edits happen in a draft beside the routine (``NAME.draft.yaml``, which routine discovery
ignores). Only a draft that validates replaces the routine, atomically, and only if the routine
is still as it was when the edit began; otherwise the draft stays for the person to fix later.
One edit of a routine runs at a time (``editlock``), so a draft is never shared by two editors.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sciatica_cli.errors import InvalidRoutine, SciaticaError
from sciatica_cli.fsutil import atomic_write_text
from sciatica_cli.routines.editlock import editing_lock
from sciatica_cli.routines.files import non_file_at, not_regular, read_routine_text
from sciatica_cli.routines.library import Catalog, RoutineFile, RoutineLibrary
from sciatica_cli.routines.names import DRAFT_SUFFIX, SUFFIX, check_name
from sciatica_cli.text import visible

SCHEMA_FILE = "routine.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"

STARTER = """{modeline}
# A sciatica routine. Every key is described by 'sciatica routine schema'.
# Check it with: sciatica routine validate {name}
name: {name}
title: My routine
summary: What this routine is for, in one line.
equipment:
  - a tennis ball
areas:
  - glutes
safety:
  - Move off any spot that sets off tingling or pain down the leg.
steps:
  - title: Glute ball
    sides: both              # none, left, right, both, or affected (see --side)
    position: sitting        # lying-on-back, lying-on-front, side-lying, sitting, standing
    duration: 2m30s-5m       # per side; a range defaults to its low end
    instructions: |
      Sit on the floor with your knees bent and the ball under one buttock.
      Roll slowly in small circles, pausing on tender spots.
    warning: >-
      Stop at once if the pain turns sharp, shoots down your leg,
      or you feel new tingling or numbness.
    cues:
      - at: 50%
        say: Halfway. Breathe out and let the muscle soften.
      - before_end: 10s
        say: Ease off the ball slowly.
"""

Ask = Callable[[str, bool], bool]  # (question, answer when nobody can be asked) -> answer
Say = Callable[[str], None]


def write_schema(folder: Path) -> Path:
    """Keep ``routine.schema.json`` beside the user's routines, for the editor modeline."""
    import json

    from sciatica_cli.routines.models import routine_json_schema

    target = folder / SCHEMA_FILE
    if non_file_at(target) is not None:
        return target  # a FIFO or a folder holds the name: reading or writing it could hang
    text = json.dumps(routine_json_schema(), indent=2) + "\n"
    try:
        current = read_routine_text(target)
    except InvalidRoutine:
        current = None
    if current != text:
        atomic_write_text(target, text)
    return target


def with_modeline(text: str) -> str:
    """Add the schema modeline at the top unless the file already names a schema."""
    if "yaml-language-server:" in text:
        return text
    return f"{MODELINE}\n{text}"


def renamed(text: str, name: str) -> str:
    """The text of a routine copied under a new name: its top-level ``name:`` line replaced."""
    # Only the value: spacing and a comment after it stay as written ("name: x  # note").
    new, count = re.subn(r"(?m)^name:[ \t]*[^\s#]*", f"name: {name}", text, count=1)
    return new if count else f"name: {name}\n{text}"


def create_routine(catalog: Catalog, folder: Path, name: str, template: str | None) -> Path:
    """Write a starter routine (or a copy of ``template``) as the user's ``NAME.yaml``."""
    check_name(name)
    target = folder / f"{name}{SUFFIX}"
    refuse_non_file(target)
    if target.exists():
        raise SciaticaError(
            f"{target} already exists; change it with 'sciatica routine edit {name}'"
        )
    existing = catalog.files.get(name)
    if existing is not None and existing.source == "built-in":
        raise SciaticaError(
            f"'{name}' is a built-in routine; 'sciatica routine edit {name}' makes your own "
            "copy of it, or choose another name"
        )
    if template is None:
        text = STARTER.format(modeline=MODELINE, name=name)
    else:
        source = catalog.get(template).path
        text = with_modeline(renamed(read_routine_text(source), name))
    atomic_write_text(target, text)
    write_schema(folder)
    return target


def refuse_non_file(path: Path) -> None:
    """``routine new`` and ``edit`` say the same when a routine's path holds a non-file."""
    kind = non_file_at(path)
    if kind is not None:
        raise SciaticaError(
            f"{visible(str(path))}: {not_regular(kind)}; move it out of the way or choose "
            "another name"
        )


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """$VISUAL, then $EDITOR, then the platform's usual editor."""
    env = os.environ if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = env.get(variable, "").strip()
        if value:
            return shlex.split(value, posix=os.name != "nt")
    if os.name == "nt":
        return ["notepad"]
    for candidate in ("sensible-editor", "editor", "nano", "vi"):
        if shutil.which(candidate):
            return [candidate]
    raise SciaticaError("no text editor found; set EDITOR, for example: export EDITOR=nano")


def open_editor(path: Path) -> int:
    """Run the editor on ``path``, wait for it to close, and return its exit status."""
    command = [*editor_command(), str(path)]
    try:
        return subprocess.run(command, check=False).returncode
    except OSError as err:
        raise SciaticaError(
            f"could not start the editor '{command[0]}' ({err.strerror}); check $VISUAL and $EDITOR"
        ) from None


def edit_routine(catalog: Catalog, folder: Path, name: str, ask: Ask, say: Say) -> Path:
    """Edit routine ``name`` through a draft; returns the routine's (user) path.

    A built-in is edited as a copy that becomes the user's routine only once a valid edit is
    saved. Nothing replaces the routine file but a draft that validates, and only while the
    file is as the edit found it. A second edit of the same routine at once is refused.
    """
    check_name(name)
    target = folder / f"{name}{SUFFIX}"
    draft = folder / f"{name}{DRAFT_SUFFIX}"
    refuse_non_file(target)
    refuse_non_file(draft)
    found = catalog.get(name)
    with editing_lock(folder, name):
        return _edit_locked(catalog, found, target, draft, ask, say)


def _edit_locked(
    catalog: Catalog, found: RoutineFile, target: Path, draft: Path, ask: Ask, say: Say
) -> Path:
    name = found.name
    base = _current(target)  # the routine as this edit found it (None: only the built-in)
    if base is None:
        saved = with_modeline(read_routine_text(found.path))
        say(f"'{name}' is built in: a valid edit is saved as your own copy, {target}.")
    else:
        saved = base
    write_schema(target.parent)
    resume = f"An unsaved draft from an earlier edit is at {draft}. Carry on editing it?"
    if not (draft.exists() and ask(resume, True)):
        atomic_write_text(draft, saved)
    library = RoutineLibrary(catalog)
    while True:
        text = _edit_draft(draft, saved)
        if text == saved:
            draft.unlink()
            say(f"No changes; '{name}' is as it was.")
            return target
        try:
            _check_draft(library, text, draft, name)
        except InvalidRoutine as err:
            for problem in err.problems:
                say(visible(str(problem)))
            if ask("Reopen the editor to fix it?", False):
                continue
            raise SciaticaError(
                f"'{name}' is unchanged; your edit is kept in {draft} "
                f"('sciatica routine edit {name}' picks it up again)"
            ) from None
        if not _unchanged(target, base):
            raise SciaticaError(
                f"{target} was changed by another program while you were editing it, so your "
                f"edit was not saved over it; your edit is kept in {draft} (compare the two, "
                f"then 'sciatica routine edit {name}' picks it up again)"
            )
        atomic_write_text(target, text)
        draft.unlink()
        say(f"Saved {target}.")
        return target


def _current(target: Path) -> str | None:
    """The routine file's text now, or None if there is none."""
    if not target.exists():
        return None
    return read_routine_text(target)


def _unchanged(target: Path, base: str | None) -> bool:
    """Is the routine file as the edit found it? Its whole text is compared, not a stamp."""
    try:
        return _current(target) == base
    except InvalidRoutine:
        return False  # it became something that cannot be read: not what it was


def _edit_draft(draft: Path, saved: str) -> str:
    """Open the draft in the editor; a failed editor keeps only a draft that holds an edit."""
    try:
        status = open_editor(draft)
    except SciaticaError:
        _drop_if_unchanged(draft, saved)
        raise
    text = read_routine_text(draft)
    if status != 0:
        kept = "" if _drop_if_unchanged(draft, saved) else f"; your text is kept in {draft}"
        raise SciaticaError(f"the editor exited with status {status}; nothing was saved{kept}")
    return text


def _drop_if_unchanged(draft: Path, saved: str) -> bool:
    if read_routine_text(draft) == saved:
        draft.unlink()
        return True
    return False


def _check_draft(library: RoutineLibrary, text: str, draft: Path, name: str) -> None:
    from sciatica_cli.routines.loader import parse_routine

    library.expand(parse_routine(text, str(draft), name, draft).plain())
