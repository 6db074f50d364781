"""SAFETY.md 3, contraindications: the health conditions asked once, and what each means.

Pure: no I/O. Fever and cancer are already asked in the warning-sign screen (B1, A8 and B3):
an answer there counts here, so they are never asked twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Caution = Literal["stop", "light", "numb"]


@dataclass(frozen=True)
class Condition:
    id: str
    question: str
    caution: Caution
    name: str  # as a person said it: "You told us: pregnancy"


CONDITIONS: tuple[Condition, ...] = (
    Condition("dvt", "Deep vein thrombosis (a blood clot in a vein)", "stop", "a blood clot (DVT)"),
    Condition("fracture", "A recent fracture (broken bone)", "stop", "a recent fracture"),
    Condition(
        "skin",
        "Open or healing wounds, burns or a skin infection where you would roll",
        "stop",
        "wounds, burns or a skin infection where you would roll",
    ),
    Condition(
        "bone",
        "Severe osteoporosis, or bone weakened by cancer",
        "stop",
        "severe osteoporosis or bone weakened by cancer",
    ),
    Condition("fever", "A fever", "stop", "a fever"),
    Condition(
        "inflammation",
        "Acute inflammation (hot, red, swollen) where you would roll",
        "stop",
        "inflammation where you would roll",
    ),
    Condition(
        "bleeding",
        "Blood thinners, or a bleeding disorder",
        "light",
        "blood thinners or a bleeding disorder",
    ),
    Condition("cancer", "Cancer", "light", "cancer"),
    Condition("pregnancy", "Pregnancy", "light", "pregnancy"),
    Condition("numb", "Numb skin where you would roll", "numb", "numb skin"),
)
# SAFETY.md 2 and 3: a condition already answered in the warning-sign screen counts here.
FROM_SCREEN: dict[str, tuple[str, ...]] = {"fever": ("A8", "B1"), "cancer": ("B3",)}
ASKED = tuple(c for c in CONDITIONS if c.id not in FROM_SCREEN)

WHERE_TO_ROLL = (
    "Never roll directly on the bones of the spine and do not arch your lower back over the "
    "roller: roll the muscles beside the spine. Avoid bony points and joints."
)
STOP_ADVICE = "Do not roll: see a clinician first."
LIGHT_ADVICE = "Use light pressure only, or get clearance from your doctor first."
NUMB_ADVICE = "Numb skin: no heat packs."
PREGNANCY_ON_BACK = (
    "Pregnancy: after the first 3 months, do not lie flat on your back for long. Prop your "
    "upper body up, or work lying on your side."
)
CHANGE_CONDITIONS = "To change your answers: sciatica safety conditions"


def from_screen(screen: Mapping[str, bool]) -> dict[str, bool]:
    """The conditions the warning-sign answers already settle (fever, cancer)."""
    return {cid: any(screen.get(q, False) for q in qids) for cid, qids in FROM_SCREEN.items()}


def present(answers: Mapping[str, bool]) -> list[Condition]:
    """The conditions answered yes, in list order."""
    return [c for c in CONDITIONS if answers.get(c.id, False)]


def contraindication_notes(answers: Mapping[str, bool]) -> tuple[list[Condition], list[str]]:
    """SAFETY.md 3: the conditions that rule a session out, and the notes to show before one.

    Each note names what the person told us and how to change it."""
    found = present(answers)
    blocking = [c for c in found if c.caution == "stop"]
    notes = []
    for caution, advice in (("light", LIGHT_ADVICE), ("numb", NUMB_ADVICE)):
        names = [c.name for c in found if c.caution == caution]
        if names:
            notes.append(f"You told us: {_and(names)}. {advice} {CHANGE_CONDITIONS}")
    notes.append(WHERE_TO_ROLL)
    return blocking, notes


def blocking_message(blocking: list[Condition]) -> str:
    """SAFETY.md 3: why a session will not start, naming the conditions."""
    names = _and([c.name for c in blocking])
    return f"You told us: {names}. {STOP_ADVICE} {CHANGE_CONDITIONS}"


def pregnant(answers: Mapping[str, bool]) -> bool:
    return bool(answers.get("pregnancy", False))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
