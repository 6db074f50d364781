"""The clinician report: one valid, self-contained, escaped HTML page a person can print."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sciatica_cli import DISCLAIMER
from sciatica_cli.journal.records import CheckinRecord, ScreenRecord, SessionRecord
from sciatica_cli.journal.report import ReportData, render_report
from sciatica_cli.journal.stats import Advisory, WeekCount
from sciatica_cli.safety.redflags import TIER_A, TIER_B
from tests.conftest import REPORT_SECTIONS

UTC = timezone.utc
PLUS2 = timezone(timedelta(hours=2))
T0 = datetime(2025, 3, 3, 18, 0, tzinfo=UTC)  # a Monday
SECTIONS = (*REPORT_SECTIONS, "disclaimer")
SVG_NS = "http://www.w3.org/2000/svg"
CSP = 'http-equiv="Content-Security-Policy" content="default-src \'none\'; '
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base"}
B3 = dict(TIER_B)["B3"]
A4 = dict(TIER_A)["A4"]


def session(
    id: int,
    started_at: datetime,
    before: int | None = 6,
    after: int | None = 4,
    *,
    status: str = "completed",
    stop_reason: str | None = None,
    note: str | None = None,
    title: str = "Glute ball",
    done: float = 600.0,
) -> SessionRecord:
    return SessionRecord(
        id=id,
        routine="glute-ball",
        title=title,
        options={},
        preview=False,
        status=status,
        stop_reason=stop_reason,
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=done),
        planned_seconds=600.0,
        done_seconds=done,
        pain_before=before,
        pain_after=after,
        pid=1,
        host="test",
        note=note,
    )


def journal() -> ReportData:
    """Three weeks of sessions with falling pain, a sharp-pain stop, notes and two screens."""
    sessions = [
        session(i + 1, T0 + timedelta(days=2 * i), before=7 - i // 2, after=5 - i // 2)
        for i in range(9)
    ]
    sessions[3] = session(
        4, sessions[3].started_at, 5, 7, status="stopped", stop_reason="sharp pain", done=150
    )
    sessions[5] = replace(sessions[5], note="Tight <script>alert('x')</script> & sore")
    sessions[1] = replace(sessions[1], morning_pain=3)  # the store reads it from the check-in
    checkins = [
        CheckinRecord(1, 2, T0 + timedelta(days=2, hours=14), 3, "Slept well, less tingling"),
    ]
    all_no = {"A1": False, "B1": False, "B3": False}
    screens = [
        ScreenRecord(1, T0 - timedelta(hours=1), all_no, "clear", False),
        ScreenRecord(2, T0 + timedelta(days=8), {"B3": True, "B4": False}, "urgent", True),
        ScreenRecord(3, T0 + timedelta(days=17), {"A4": True, "B3": True}, "emergency", False),
    ]
    weeks = [
        WeekCount(T0.date() + timedelta(weeks=w), n, 10.0 * n, 3) for w, n in enumerate((4, 3, 2))
    ]
    advisories = [
        Advisory("worse-twice", "Two sessions in a row ended worse", "Make the next one gentler.")
    ]
    return ReportData(
        generated_at=datetime(2025, 3, 24, 9, 30, tzinfo=UTC),
        tz=UTC,
        sessions=sessions,
        checkins=checkins,
        screens=screens,
        weeks=weeks,
        advisories=advisories,
    )


class StrictParser(HTMLParser):
    """Parses the page and fails on any element left open or closed out of order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def parse(page: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    return parser


def section(page: str, ident: str) -> str:
    """The HTML of one section (or the footer), for asserting where text appears."""
    match = re.search(rf'<(section|footer) id="{ident}">(.*?)</\1>', page, re.DOTALL)
    assert match, ident
    return match.group(2)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def rows_of(fragment: str) -> list[str]:
    """The table rows in ``fragment``, header row first, each without its ``<tr ...>`` tag."""
    return re.split(r"<tr\b[^>]*>", fragment)[1:]


def assert_self_contained(page: str) -> None:
    lowered = page.lower()
    assert "src=" not in lowered
    assert "<link" not in lowered
    assert "<script" not in lowered
    assert "url(" not in lowered
    assert "@import" not in lowered
    # Every "http" is the SVG namespace or the meta tag of the CSP that forbids any request.
    for match in re.finditer("http", lowered):
        assert page.startswith(SVG_NS, match.start()) or page.startswith(CSP, match.start())
    assert "https://" not in lowered


def test_page_parses_and_has_every_section() -> None:
    page = render_report(journal())
    parser = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    for ident in SECTIONS:
        assert ident in parser.ids
    assert "<h1>sciatica: self-massage journal</h1>" in page


def test_header_shows_the_range_of_sessions_and_when_it_was_made() -> None:
    page = render_report(journal())
    header = text_of(page.split('<section id="summary">')[0])
    assert "Sessions from 3 Mar 2025 to 19 Mar 2025" in header
    assert "Generated Mon 24 Mar 2025, 09:30 (UTC)." in header


def test_page_is_self_contained() -> None:
    assert_self_contained(render_report(journal()))
    assert_self_contained(render_report(ReportData(datetime.now(UTC), UTC, [], [], [], [], [])))


def test_user_text_is_escaped() -> None:
    page = render_report(journal())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; sore" in section(page, "notes")
    assert "&lt;script&gt;" in section(page, "sessions")


def test_titles_and_stop_reasons_are_escaped_too() -> None:
    data = journal()
    odd = session(99, T0, title='<b onmouseover="x">Ball</b>', status="stopped", stop_reason="<i>")
    page = render_report(replace(data, sessions=[*data.sessions, odd]))
    parse(page)
    assert "<b onmouseover" not in page and "<i>" not in page
    assert "&lt;b onmouseover=&#34;x&#34;&gt;Ball&lt;/b&gt;" in page


INJECTIONS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


@pytest.mark.parametrize("payload", INJECTIONS, ids=("script", "attribute"))
def test_typed_text_is_shown_as_text_never_as_markup(payload: str) -> None:
    data = journal()
    typed = replace(
        data.sessions[1],
        title=f"Ball {payload}",
        routine=f"ball{payload}",
        note=f"Note {payload}",
        status="stopped",
        stop_reason=f"Reason {payload}",
    )
    morning = CheckinRecord(7, typed.id, T0 + timedelta(days=3), 2, f"Morning {payload}")
    sessions = [typed if s.id == typed.id else s for s in data.sessions]
    page = render_report(replace(data, sessions=sessions, checkins=[*data.checkins, morning]))
    parse(page)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    shown = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shown = shown.replace('"', "&#34;").replace("'", "&#39;")
    for typed_text in ("Ball ", "ball", "Note ", "Reason ", "Morning "):
        assert typed_text + shown in page, typed_text


def test_screens_list_yes_answers_by_full_text_assessed_and_all_no() -> None:
    screens = section(render_report(journal()), "screens")
    rows = screens.split("<tr>")[2:]  # the header row first
    assert [("clear" in r, "urgent" in r, "emergency" in r) for r in rows] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert "all no" in rows[0]
    assert B3 in rows[1] and "assessed" in rows[1]
    assert A4 in rows[2] and B3 in rows[2] and "assessed" not in rows[2]


def test_disclaimer_is_at_the_foot() -> None:
    page = render_report(journal())
    assert DISCLAIMER in section(page, "disclaimer")
    assert page.index(DISCLAIMER) > page.index('<section id="notes">')


def test_pain_chart_has_a_line_for_before_and_one_for_after() -> None:
    pain = section(render_report(journal()), "pain")
    assert pain.count("<svg") == 1
    lines = re.findall(r'<polyline class="(\w+)"', pain)
    assert lines == ["before", "after"]
    after = re.search(r'<polyline class="after"[^>]*>', pain)
    assert after and "stroke-dasharray" in after.group(0)  # tells them apart in black and white
    assert "<circle" in pain and "<rect" in pain  # different marker shapes too
    assert "Before session" in pain and "After session" in pain and "Next morning" in pain
    for score in range(11):
        assert f'text-anchor="end" font-size="12">{score}</text>' in pain
    assert "3 Mar 2025" in pain  # dates along the x axis


def test_pain_change_uses_the_safety_label() -> None:
    sessions = section(render_report(journal()), "sessions")
    assert '7 &#8594; 5 <span class="same">(no clear change)</span>' in sessions  # 2 < 30 % of 7
    assert '6 &#8594; 4 <span class="better">(better)</span>' in sessions
    assert '5 &#8594; 7 <span class="worse">(worse)</span>' in sessions
    assert "stopped: sharp pain" in sessions


def test_session_table_rows_show_done_minutes_and_completion() -> None:
    sessions = section(render_report(journal()), "sessions")
    stopped = next(r for r in rows_of(sessions) if "sharp pain" in r)
    assert ">10.0</td>" in stopped and ">2.5</td>" in stopped and "25&#160;%" in stopped


def test_morning_pain_is_the_sessions_own_and_check_in_notes_are_listed() -> None:
    page = render_report(journal())
    row = rows_of(section(page, "sessions"))[2]  # header, session 1, session 2
    assert "Wed 5 Mar 2025" in row and '<td class="n">3</td>' in row
    assert "Slept well, less tingling" in section(page, "notes")
    assert "<path" in section(page, "pain")  # the next-morning triangle


def test_stops_count_reasons() -> None:
    data = journal()
    extra = session(50, T0 + timedelta(days=30), status="stopped", stop_reason="sharp pain")
    stops = section(render_report(replace(data, sessions=[*data.sessions, extra])), "stops")
    assert "2 of 10 sessions ended early" in stops
    assert re.search(r"sharp pain</td><td class=\"n\">2</td>", stops)


def test_advisories_are_shown_with_their_title_and_message_or_a_calm_line() -> None:
    page = render_report(journal())
    advisories = section(page, "advisories")
    assert 'class="advisory"' in advisories and 'data-advisory="worse-twice"' in advisories
    assert "<h3>Two sessions in a row ended worse</h3>" in advisories
    assert "Make the next one gentler." in advisories
    assert "SAFETY" not in page  # the rules' names are for the code, not for the reader
    calm = section(render_report(replace(journal(), advisories=[])), "advisories")
    assert "No advisories" in calm


def test_adherence_has_a_chart_and_a_table() -> None:
    adherence = section(render_report(journal()), "adherence")
    assert adherence.count("<svg") == 1 and adherence.count("<table") == 1
    assert adherence.count('stroke-dasharray="5 3"') == 4  # a goal line per week and the legend
    rows = rows_of(adherence.split("<tbody>")[1])
    assert [text_of(r).split() for r in rows] == [
        ["3", "Mar", "2025", "4", "3", "yes"],
        ["10", "Mar", "2025", "3", "3", "yes"],
        ["17", "Mar", "2025", "2", "3", "no"],
    ]
    summary = text_of(section(render_report(journal()), "summary"))
    assert "3.0 goal 3 a week" in summary and "goal met in 2 of 3 weeks" in summary


def test_summary_counts_sessions_minutes_and_average_pain() -> None:
    summary = text_of(section(render_report(journal()), "summary"))
    # The sharp-pain stop did a quarter of its plan: listed, not held (SAFETY.md 4).
    assert "Sessions held 8 8 completed 1 more session with less than half done" in summary
    assert "Total time 82 min" in summary  # 8 x 10 min + 2.5 min
    assert "5.1 &#8594; 3.6 -1.6 points; 9 sessions with both scores" in summary


def test_times_are_shown_in_the_given_zone() -> None:
    late = session(1, datetime(2025, 3, 10, 23, 30, tzinfo=UTC))
    data = replace(journal(), tz=PLUS2, sessions=[late], checkins=[], screens=[])
    page = render_report(data)
    row = text_of(section(page, "sessions"))
    assert "Tue 11 Mar 2025, 01:30" in row and "10 Mar" not in row
    assert "Sessions from 11 Mar 2025 to 11 Mar 2025" in text_of(page)
    assert "Generated Mon 24 Mar 2025, 11:30 (UTC+02:00)" in text_of(page)


def test_an_empty_journal_renders_a_valid_page() -> None:
    page = render_report(ReportData(datetime(2025, 3, 3, tzinfo=UTC), UTC, [], [], [], [], []))
    parser = parse(page)
    for ident in SECTIONS:
        assert ident in parser.ids
    assert "No sessions recorded yet" in page
    assert "There are no sessions in the journal yet." in page
    assert "<svg" not in page
    assert DISCLAIMER in page


def test_sessions_without_pain_scores_still_render() -> None:
    quiet = [session(i, T0 + timedelta(days=i), None, None) for i in range(3)]
    page = render_report(replace(journal(), sessions=quiet, checkins=[]))
    parse(page)
    assert "No pain scores recorded yet." in page


def many_sessions(count: int) -> list[SessionRecord]:
    return [
        session(i, T0 + timedelta(hours=7 * i), 4 + i % 5, 2 + i % 4, note="ok" if i % 9 else None)
        for i in range(count)
    ]


def test_ten_thousand_sessions_are_all_listed_with_the_chart_bucketed() -> None:
    # How fast this renders is measured by bench/history.py, not asserted here.
    page = render_report(replace(journal(), sessions=many_sessions(10_000)))
    assert len(rows_of(section(page, "sessions"))) == 10_001  # and the header
    pain = section(page, "pain")
    assert pain.count("<circle") <= 120
    assert "10000 sessions: each point is the average of one month." in pain  # 8 years


@pytest.mark.parametrize(
    ("count", "every", "unit"),
    [
        (120, timedelta(days=1), None),  # few enough: one point per session
        (300, timedelta(hours=8), "day"),  # 3 a day over 100 days
        (1000, timedelta(hours=12), "week"),  # 500 days, 72 weeks
        (1500, timedelta(days=3), "year"),  # 12 years: 148 months is still too many
    ],
)
def test_many_sessions_are_averaged_per_day_week_month_or_year(
    count: int, every: timedelta, unit: str | None
) -> None:
    sessions = [session(i, T0 + every * i, 5, 3) for i in range(count)]
    pain = section(render_report(replace(journal(), sessions=sessions, checkins=[])), "pain")
    if unit is None:
        assert "Each point is one session." in pain and pain.count("<circle") == count + 1
    else:
        assert f"{count} sessions: each point is the average of one {unit}." in pain
        assert pain.count("<circle") <= 121  # the points and the legend's sample


# -- a real browser ----------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no headless browser: install Debian's `chromium` package (apt-get install chromium)",
)


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    flags = (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}",
    )  # fmt: skip
    return subprocess.run(
        [BROWSER, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width and height from the PNG header, and how many distinct bytes its pixels hold."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, size, pixels = 8, (0, 0), b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            pixels += body
        pos += 12 + length
    return size[0], size[1], len(set(zlib.decompress(pixels)))


def write_report(tmp_path: Path, sessions: Sequence[SessionRecord] | None = None) -> Path:
    data = journal() if sessions is None else replace(journal(), sessions=sessions)
    page = tmp_path / "report.html"
    page.write_text(render_report(data), encoding="utf-8")
    return page


@needs_browser
def test_a_browser_draws_the_report(tmp_path: Path) -> None:
    page = write_report(tmp_path)
    shot = tmp_path / "shot.png"
    done = headless(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri())
    assert shot.exists(), done.stderr
    assert shot.stat().st_size > 10_000
    width, height, colours = png_size_and_colours(shot)
    assert (width, height) == (1200, 2000)
    assert colours > 50  # text, bars and lines, not a blank page


@needs_browser
def test_the_browser_dom_has_every_section_and_both_lines(tmp_path: Path) -> None:
    done = headless(tmp_path, "--dump-dom", write_report(tmp_path).as_uri())
    dom = done.stdout
    for ident in SECTIONS:
        assert f'id="{ident}"' in dom, done.stderr
    assert '<polyline class="before"' in dom and '<polyline class="after"' in dom
    assert "&lt;script&gt;" in dom and "<script" not in dom


@needs_browser
def test_the_report_prints_to_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    done = headless(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", write_report(
        tmp_path, many_sessions(300)).as_uri())  # fmt: skip
    assert pdf.exists(), done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 3  # 300 rows span several A4 pages


@pytest.mark.parametrize(("done", "held"), [(300.0, True), (299.9, False)])
def test_half_the_plan_is_held_and_just_under_is_listed_as_not_counted(
    done: float, held: bool
) -> None:
    # SAFETY.md 4 (product rule): at least half of the planned 600 s.
    sessions = [session(1, T0), session(2, T0 + timedelta(days=1), done=done)]
    page = render_report(replace(journal(), sessions=sessions))
    summary = section(page, "summary")
    assert f'data-sessions-held="{1 + held}" data-sessions-listed="2"' in summary
    assert ("with less than half done, not counted" in summary) is not held
    row = rows_of(section(page, "sessions"))[2]
    assert f'data-counted="{"true" if held else "false"}"' in page
    assert ("completed, not counted: less than half done" in row) is not held
    assert ("50&#160;%" if held else "49&#160;%") in row


def test_seven_to_nine_is_worse_and_the_page_says_what_worse_means() -> None:
    page = render_report(replace(journal(), sessions=[session(1, T0, 7, 9)]))
    assert '7 &#8594; 9 <span class="worse">(worse)</span>' in section(page, "sessions")
    words = text_of(page)
    assert "&#8220;Worse&#8221; means pain rose by 2 points or more" in words
    assert "at least half of its planned time was done" in words
