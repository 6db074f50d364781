"""What a routine may be called and how its files are named: the one copy of the rule.

The file loader, the catalog of routine files and the pydantic model of ``name`` and
``include`` all read it from here.
"""

from __future__ import annotations

import re

from sciatica_cli.errors import UsageError

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
NAME_RE = re.compile(NAME_PATTERN)
MAX_NAME_LENGTH = 64
SUFFIX = ".yaml"
DRAFT_SUFFIX = ".draft.yaml"


def check_name(name: str) -> str:
    """Refuse anything that is not a routine name (and so never a path like ``../x``)."""
    if not NAME_RE.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise UsageError(
            f"'{name}' is not a routine name: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit (for example 'my-back')"
        )
    return name
