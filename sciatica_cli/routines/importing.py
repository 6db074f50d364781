"""``routine import``: a routine someone else wrote, checked, then added to the user's folder.

The file (or the https download) is validated by the loader exactly as ``routine validate``
would, its includes must resolve among the routines already here, and an existing routine is
replaced only when the person says so. The saved file says where it came from and when, in a
comment at the top; the rest of the text is kept as written.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from sciatica_cli.errors import InvalidRoutine, Problem, SciaticaError
from sciatica_cli.fsutil import atomic_write_text
from sciatica_cli.routines.editing import Ask, refuse_non_file, renamed, write_schema
from sciatica_cli.routines.fetching import TIMEOUT, fetch_https, is_url
from sciatica_cli.routines.files import decode_routine_bytes, read_routine_bytes
from sciatica_cli.routines.library import Catalog, RoutineLibrary
from sciatica_cli.routines.loader import LoadedRoutine, parse_routine
from sciatica_cli.routines.names import SUFFIX, check_name
from sciatica_cli.routines.step_warnings import step_warnings
from sciatica_cli.routines.validation import ValidationReport
from sciatica_cli.routines.yamlsafe import YamlError, read_yaml
from sciatica_cli.text import visible
from sciatica_cli.wallclock import local_tz, utc_now

Owner = Literal["yours", "built-in"]
_MODELINE = "# yaml-language-server:"


@dataclass(frozen=True)
class Source:
    """What was read: as given (a path or an address), where it came from, and its bytes."""

    label: str
    origin: str  # for the saved file's comment: the absolute path, or the address
    data: bytes


@dataclass(frozen=True)
class Imported:
    """A routine saved in the user's folder, and what it replaced."""

    name: str
    path: Path
    replaced: Owner | None = None
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """The validation summary, as ``routine validate`` words it."""
        return ValidationReport(warnings=list(self.warnings), checked=1).summary()


def read_source(
    source: str, *, context: ssl.SSLContext | None = None, timeout: float = TIMEOUT
) -> Source:
    """The bytes of a local routine file (bounded, regular files only) or an https address."""
    if is_url(source):
        data = fetch_https(source, context=context, timeout=timeout)
        return Source(source, source, data)
    path = Path(source)
    return Source(source, str(path.absolute()), read_routine_bytes(path))


def import_source(
    catalog: Catalog,
    folder: Path,
    source: str,
    *,
    new_name: str | None = None,
    ask: Ask | None = None,
    context: ssl.SSLContext | None = None,
    timeout: float = TIMEOUT,
    now: datetime | None = None,
) -> Imported:
    """Read ``source`` (a file or an https address) and import it; see :func:`import_routine`."""
    if new_name is not None:
        check_name(new_name)  # before any download
    read = read_source(source, context=context, timeout=timeout)
    return import_routine(catalog, folder, read, new_name=new_name, ask=ask, now=now)


def import_routine(
    catalog: Catalog,
    folder: Path,
    source: Source,
    *,
    new_name: str | None = None,
    ask: Ask | None = None,
    now: datetime | None = None,
) -> Imported:
    """Validate ``source`` and save it as the user's routine (renamed to ``new_name``).

    Raises :class:`InvalidRoutine` with every problem (includes that resolve nowhere among
    them) and writes nothing; an existing routine of the name is replaced only if ``ask``
    (None: there is no terminal, so never) says yes.
    """
    label = visible(source.label)
    text = decode_routine_bytes(source.data, label)
    loaded = parse_routine(text, label, _name_in(text))
    name = loaded.routine.name
    if new_name is not None and new_name != name:
        name, text = check_name(new_name), renamed(text, new_name)
        loaded = _reparse_renamed(text, label, name)
    warnings = _check(catalog, loaded, label)
    target = folder / f"{name}{SUFFIX}"
    replaced = _confirm_replace(catalog, target, name, ask)
    stamp = (now or utc_now()).astimezone(local_tz())
    atomic_write_text(target, with_origin(text, source.origin, stamp, source.data))
    if text.startswith(_MODELINE):
        write_schema(folder)  # so the editor modeline points at a schema that is there
    return Imported(name, target, replaced, warnings)


def with_origin(text: str, label: str, when: datetime, data: bytes) -> str:
    """``text`` with the ``# Imported from ...`` line at the top (after a schema modeline)."""
    where = visible(label).replace("\n", "\\n")  # one comment line, whatever the path holds
    digest = hashlib.sha256(data).hexdigest()[:12]
    origin = f"# Imported from {where} on {when:%Y-%m-%d %H:%M} (sha256 {digest})\n"
    if text.startswith(_MODELINE):
        modeline, _, rest = text.partition("\n")
        return f"{modeline}\n{origin}{rest}"
    return f"{origin}{text}"


def _name_in(text: str) -> str:
    """The routine's own ``name:``, which is what the loader expects it to be called."""
    try:
        data = read_yaml(text).data
    except YamlError:
        return ""  # the loader reports the same problem, with its position
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


def _reparse_renamed(text: str, label: str, name: str) -> LoadedRoutine:
    try:
        return parse_routine(text, label, name)
    except InvalidRoutine:
        raise SciaticaError(
            f"{label}: its name cannot be changed to '{name}' because its 'name:' is not at "
            "the start of a line of its own; import it without --as"
        ) from None


def _check(catalog: Catalog, loaded: LoadedRoutine, label: str) -> list[Problem]:
    """Every include must resolve here (else one problem each); the warnings of its steps."""
    plain = replace(loaded.plain(), path=label)  # an address is not a Path: keep it as given
    RoutineLibrary(catalog).expand(plain)
    found = []
    for warning in step_warnings(plain):
        line, column = loaded.document.position(("steps", warning.step, warning.key), key=True)
        found.append(Problem(label, f"warning: {warning.message}", line, column))
    return sorted(found, key=lambda w: (w.line or 0, w.column or 0))


def _confirm_replace(catalog: Catalog, target: Path, name: str, ask: Ask | None) -> Owner | None:
    """Who owns the routine of this name now (None: nobody), once replacing it is agreed."""
    refuse_non_file(target)
    existing = catalog.files.get(name)
    owner: Owner | None = "yours" if target.exists() else None
    if owner is None and existing is not None and existing.source == "built-in":
        owner = "built-in"
    if owner is None:
        return None
    if ask is None:
        raise SciaticaError(
            f"a routine named {name} already exists ({owner}), and there is no terminal to ask "
            "whether to replace it; import it under another name with --as NAME"
        )
    if not ask(f"A routine named {name} exists ({owner}). Replace it?", False):
        raise SciaticaError(f"nothing was imported; {name} is as it was")
    return owner
