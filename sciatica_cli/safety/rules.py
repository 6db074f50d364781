"""The rules of SAFETY.md as plain data and functions. Pure: no I/O.

Each function names the section it applies. The wording of questions and advice is kept plain
on purpose: the person reading it may be in pain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from fractions import Fraction
from typing import Literal

# -- SAFETY.md 2: the red-flag screen ----------------------------------------------------------

TIER_A: tuple[tuple[str, str], ...] = (
    (
        "A1",
        "New numbness or tingling around your genitals, back passage or inner thighs "
        "(saddle area)?",
    ),
    (
        "A2",
        "New trouble passing urine (hard to start, weak flow, cannot go, or leaking "
        "without noticing)?",
    ),
    ("A3", "Loss of bowel control, or not noticing when you need to open your bowels?"),
    ("A4", "Pain, numbness or weakness in BOTH legs?"),
    (
        "A5",
        "Leg weakness or numbness that is severe or getting worse (foot dragging, legs "
        "giving way)?",
    ),
    ("A6", "New loss of genital sensation or sexual function?"),
    ("A7", "Did the pain start after a serious accident or fall?"),
    ("A8", "Fever and feeling very unwell, or chest pain?"),
)
TIER_B: tuple[tuple[str, str], ...] = (
    ("B1", "Temperature 38 °C or higher, or hot and shivery?"),
    ("B2", "Weight loss without trying?"),
    ("B3", "Ever had cancer?"),
    ("B4", "Pain worse at night and not eased by rest or changing position?"),
    ("B5", "A lump or swelling in your back, or a change in its shape?"),
    ("B6", "Osteoporosis or long-term steroids, and pain that began after a minor fall or lift?"),
    ("B7", "Weakened immune system, injecting drugs, or a recent infection?"),
    ("B8", "Numbness or weakness in one leg that is spreading?"),
    ("B9", "First-ever back pain and aged over 50 or under 20?"),
)
EMERGENCY_ADVICE = (
    "Call your emergency number now (999 UK, 911 US, 112 EU) or go to an emergency department."
)
URGENT_ADVICE = (
    "One of your answers needs a doctor: get seen within 48 hours by your GP or an urgent-care "
    "line (NHS 111 in the UK). Start a session only once you have been assessed."
)
SCREEN_INTERVAL = timedelta(days=7)


class ScreenResult(str, Enum):
    CLEAR = "clear"
    URGENT = "urgent"
    EMERGENCY = "emergency"


def screen_result(answers: Mapping[str, bool]) -> ScreenResult:
    """SAFETY.md 2: any tier A yes is an emergency; any tier B yes is urgent."""
    if any(answers.get(qid, False) for qid, _ in TIER_A):
        return ScreenResult.EMERGENCY
    if any(answers.get(qid, False) for qid, _ in TIER_B):
        return ScreenResult.URGENT
    return ScreenResult.CLEAR


def screen_due(last_screen: datetime | None, now: datetime, *, last_session_worse: bool) -> bool:
    """SAFETY.md 2: ask before the first session, after 7 days, and after a session that
    ended with more pain than it started with."""
    return last_screen is None or now - last_screen >= SCREEN_INTERVAL or last_session_worse


# -- SAFETY.md 3: contraindications ------------------------------------------------------------

Caution = Literal["stop", "light", "numb"]


@dataclass(frozen=True)
class Condition:
    id: str
    question: str
    caution: Caution


CONDITIONS: tuple[Condition, ...] = (
    Condition("dvt", "Deep vein thrombosis (a blood clot in a vein)?", "stop"),
    Condition("fracture", "A recent fracture (broken bone)?", "stop"),
    Condition(
        "skin", "Open or healing wounds, burns or a skin infection where you would roll?", "stop"
    ),
    Condition("bone", "Severe osteoporosis, or bone weakened by cancer?", "stop"),
    Condition("fever", "A fever?", "stop"),
    Condition(
        "inflammation", "Acute inflammation (hot, red, swollen) where you would roll?", "stop"
    ),
    Condition("bleeding", "Blood thinners, or a bleeding disorder?", "light"),
    Condition("cancer", "Cancer?", "light"),
    Condition("pregnancy", "Pregnancy?", "light"),
    Condition("numb", "Numb skin where you would roll?", "numb"),
)
WHERE_TO_ROLL = (
    "Never roll directly on the bones of the spine and do not arch your lower back over the "
    "roller: roll the muscles beside the spine. Avoid bony points and joints."
)
STOP_ADVICE = "Do not roll: see a clinician first."
LIGHT_ADVICE = "Light pressure only, or get clearance from your doctor first."
NUMB_ADVICE = "Numb skin: no heat packs."


def contraindication_notes(answers: Mapping[str, bool]) -> tuple[list[Condition], list[str]]:
    """SAFETY.md 3: the conditions that rule a session out, and the notes to show before one."""
    present = [c for c in CONDITIONS if answers.get(c.id, False)]
    blocking = [c for c in present if c.caution == "stop"]
    notes = []
    if any(c.caution == "light" for c in present):
        notes.append(LIGHT_ADVICE)
    if any(c.caution == "numb" for c in present):
        notes.append(NUMB_ADVICE)
    notes.append(WHERE_TO_ROLL)
    return blocking, notes


# -- SAFETY.md 4: pain ------------------------------------------------------------------------

ChangeLabel = Literal["better", "worse", "no clear change"]
PAIN_SCALE = "0 to 10: 0 is no pain, 10 is the worst imaginable"
STOP_NOW_ADVICE = (
    "Stop at once, whatever the score, for sharp, shooting or electric pain; new or increasing "
    "tingling or numbness; or leg symptoms spreading further down the leg. On a ball or "
    "roller, move off any spot that sets off tingling."
)


def change_label(before: int | Fraction, after: int | Fraction) -> ChangeLabel:
    """SAFETY.md 4: better or worse only for a change of at least 2 points AND at least 30 %
    of the starting score; otherwise no clear change. Exact for whole numbers and for an
    average kept as a Fraction."""
    change = Fraction(after) - Fraction(before)
    # Exact arithmetic, so exactly 30 % counts without float rounding.
    if abs(change) >= 2 and abs(change) * 10 >= 3 * Fraction(before):
        return "worse" if change > 0 else "better"
    return "no clear change"


def traffic_light(score: int) -> tuple[Literal["green", "amber", "red"], str]:
    """SAFETY.md 4: 0-3 continue; 4-5 acceptable, ease off, must settle in 24 h; 6+ stop."""
    if score <= 3:
        return "green", "0 to 3: fine to carry on as you are."
    if score <= 5:
        return "amber", (
            "4 to 5: acceptable, but ease the pressure. It must settle within 24 hours; "
            "if it does not, make the next session gentler."
        )
    return "red", "6 or more: stop that exercise and make it gentler next time."


def rose_by_two(before: int | None, after: int | None) -> bool:
    """SAFETY.md 4 (product rule): after-session pain 2 or more points above before."""
    return before is not None and after is not None and after - before >= 2


def after_session_advice(before: int | None, after: int | None) -> list[str]:
    """What to tell the person once they have given their pain after a session."""
    advice = []
    if after is not None:
        advice.append(traffic_light(after)[1])
    if rose_by_two(before, after):
        # SAFETY.md 4 (product rule) and 2: a gentler session next time, and a new screen.
        advice.append(
            "Your pain is 2 or more points higher than before the session. Make the next "
            "session gentler (lighter pressure, less time), and the warning-sign questions "
            "will be asked again next time."
        )
    return advice
