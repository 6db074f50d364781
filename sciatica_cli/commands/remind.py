"""``sciatica remind``: calendar reminders for your sessions and next-morning check-ins."""

from __future__ import annotations

from typing import Annotated

import typer

from sciatica_cli.commands._options import Output, say, write_output


def remind(
    days: Annotated[
        str,
        typer.Option(
            metavar="DAYS", show_default=False, help="The days of your sessions, like mon,wed,fri."
        ),
    ],
    at: Annotated[
        str,
        typer.Option(
            metavar="HH:MM", show_default=False, help="The time of each session, like 18:30."
        ),
    ],
    checkin: Annotated[
        str | None,
        typer.Option(
            metavar="HH:MM",
            show_default=False,
            help="Also remind you to check in the next morning at this time, like 08:00.",
        ),
    ] = None,
    output: Output = None,
) -> None:
    """Write calendar reminders for your sessions (an .ics file to import).

    Each day becomes a weekly event in your time zone, with an alarm 10 minutes before that
    says to run 'sciatica routine start'. With --checkin, the morning after each session gets
    one too, saying to run 'sciatica checkin --pain N'. Without -o the calendar goes to stdout.
    """
    from sciatica_cli.config import load_settings
    from sciatica_cli.journal import reminders
    from sciatica_cli.wallclock import utc_now

    plan = reminders.reminder_plan(days, at, checkin)
    zone = reminders.local_zone_name()
    text = reminders.calendar_text(plan, zone, utc_now())
    if output is None:
        typer.echo(text, nl=False)
    else:
        reminders.check_folder(output)
        write_output(output, text)
        say(f"Import it into your calendar app; the times are in {reminders.zone_label(zone)}.")
    hint = reminders.goal_hint(len(plan.days), load_settings().weekly_goal)
    if hint:
        say(hint)
