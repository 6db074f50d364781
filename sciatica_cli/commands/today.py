"""``sciatica today`` (and ``sciatica`` alone): where you are today and the one command to run
next."""

from __future__ import annotations

from sciatica_cli.commands._options import JsonFlag, open_console, print_json


def today(as_json: JsonFlag = False) -> None:
    """Today at a glance: check-in, this week, today's dose and what to run next.

    Shows whether a next-morning check-in is due, this week's sessions against your goal and
    the streak, today's dose and why, any advice to see a GP or physiotherapist, and the one
    command to run next (the warning-sign questions first whenever they are due). Running
    'sciatica' with no command shows the same.
    """
    from sciatica_cli.journal.today import lines, today

    view = today()
    if as_json:
        print_json(view.as_json())
        return
    console = open_console()
    for style, text in lines(view):
        console.print(text, style=style or None, markup=False, highlight=False)
