"""SAFETY.md 2, the red-flag screen: the questions, what an answer means, when to ask.

Pure: no I/O. The wording is SAFETY.md's own, kept plain on purpose: the person reading it
may be in pain. The screen itself (how the questions are asked) is in
:mod:`sciatica_cli.safety.screening`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum

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
    "Get seen within 48 hours by your GP or an urgent-care line (NHS 111 in the UK). Start a "
    "session only once you have been assessed."
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


def screen_due(last_screen: datetime | None, now: datetime) -> bool:
    """SAFETY.md 2: ask before the first session and once 7 days have passed. (After a session
    that ended worse: safety/screening.py ``screen_due_reason``, which knows the session.)"""
    return last_screen is None or now - last_screen >= SCREEN_INTERVAL


def question(qid: str) -> str:
    """The words of warning-sign question ``qid`` ("A1"...), or a note if it is no longer asked."""
    return dict(TIER_A + TIER_B).get(qid, "(a question no longer asked)")
