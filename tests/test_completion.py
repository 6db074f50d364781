"""Tab completion as each shell asks for it: routine names, sides and session numbers.

Typer's completion scripts run ``sciatica`` with ``_SCIATICA_COMPLETE`` set: bash passes the
words in ``COMP_WORDS`` and ``COMP_CWORD``; zsh and fish pass the line up to the cursor in
``_TYPER_COMPLETE_ARGS`` (fish also says whether it wants the values or only whether there
are any). :func:`complete` asks the app in-process exactly so; a few tests run the real
program, and one real bash with the script ``--show-completion`` prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sciatica_cli.cli import app
from sciatica_cli.commands import routine as routine_commands
from sciatica_cli.commands import safety as safety_commands
from sciatica_cli.commands._complete import NEWEST_SESSIONS, SIDES
from sciatica_cli.journal.store import SessionStore
from tests.conftest import BUILTIN_NAMES, REPO, THREE, Run

SHELLS = ("bash", "zsh", "fish")
NAME_COMMANDS = ("routine start", "routine show", "routine edit", "routine validate")
Offers = dict[str, str]  # value -> the help the shell shows beside it ("" for none)


def shell_env(shell: str, line: str) -> dict[str, str]:
    """The environment ``shell``'s completion script gives ``sciatica`` for ``line<TAB>``."""
    if shell == "bash":
        words = line.split(" ")  # a trailing space leaves an empty word to complete, as in bash
        return {
            "_SCIATICA_COMPLETE": "complete_bash",
            "COMP_WORDS": "\n".join(words),  # "${COMP_WORDS[*]}" with IFS=$'\n'
            "COMP_CWORD": str(len(words) - 1),
        }
    env = {"_SCIATICA_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


def parse(shell: str, output: str) -> Offers:
    """The values (and help) in what ``sciatica`` answered ``shell``."""
    if shell == "zsh":  # _arguments '*: :(("value":"help"\n"value"))', or _files for none
        body = output.strip().removeprefix("_arguments '*: :((").removesuffix("))'")
        pairs = re.findall(r'^"((?:[^"]|"")*)"(?::"(.*)")?$', body, re.MULTILINE)
        return {_unzsh(value): _unzsh(about) for value, about in pairs}
    offers = {}
    for line in output.splitlines():  # bash: value; fish: value<TAB>help
        value, _, about = line.partition("\t")
        if value:
            offers[value] = about
    return offers


def _unzsh(text: str) -> str:
    """Undo Typer's quoting of a zsh value or help."""
    for quoted, plain in (('""', '"'), ("''", "'"), ("\\$", "$"), ("\\`", "`"), ("\\\\:", ":")):
        text = text.replace(quoted, plain)
    return text


def complete(shell: str, line: str) -> Offers:
    """What ``line<TAB>`` offers in ``shell``."""
    result = CliRunner().invoke(app, [], env=shell_env(shell, line), prog_name="sciatica")
    assert result.exit_code == 0, result.output
    return parse(shell, result.stdout)


@pytest.fixture
def sessions(home: Path) -> list[int]:
    """Twelve sessions in the journal, one a day at noon UTC to 30 November; the last a preview."""
    with SessionStore.open(home / "journal.db") as store:
        return [
            store.start_session(
                routine="glute-ball" if day % 2 else "warm-up",
                title="Glute ball",
                options={},
                planned_seconds=60,
                preview=day == 30,
                segments=[],
                pain_before=None,
                started_at=datetime(2026, 11, day, 12, tzinfo=timezone.utc),
            )
            for day in range(19, 31)
        ]


# -- routine names -------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("command", NAME_COMMANDS)
def test_a_routine_name_completes_from_its_first_letters(shell: str, command: str) -> None:
    assert list(complete(shell, f"sciatica {command} gl")) == ["glute-ball"]


@pytest.mark.parametrize("shell", SHELLS)
def test_new_from_completes_the_routine_to_copy(shell: str) -> None:
    assert list(complete(shell, "sciatica routine new mine --from gl")) == ["glute-ball"]


@pytest.mark.parametrize("shell", SHELLS)
def test_nothing_typed_offers_every_routine(shell: str) -> None:
    assert sorted(complete(shell, "sciatica routine start ")) == sorted(BUILTIN_NAMES)


@pytest.mark.parametrize("shell", SHELLS)
def test_your_own_routine_is_offered_and_marked_yours(shell: str, user_routines: Path) -> None:
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")
    offers = complete(shell, "sciatica routine start th")
    assert list(offers) == ["three"]
    if shell != "bash":  # bash shows no help beside the values
        assert offers["three"] == "yours"


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_titles_come_from_the_routine_list_cache(shell: str, run: Run, user_routines: Path) -> None:
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")
    assert complete(shell, "sciatica routine show gl")["glute-ball"] == ""  # no cache yet
    assert run("routine", "list").exit_code == 0
    offers = complete(shell, "sciatica routine show ")
    assert offers["three"] == "Three step test (yours)"
    assert offers["glute-ball"]  # its title
    assert all(offers.values())


def test_an_unchanged_routine_keeps_its_title_after_another_file_changes(
    run: Run, user_routines: Path
) -> None:
    assert run("routine", "list").exit_code == 0
    titled = complete("fish", "sciatica routine show ")
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")  # the list rows go stale
    offers = complete("fish", "sciatica routine show ")
    assert offers["three"] == "yours"  # never read by completion, so no title yet
    assert {name: offers[name] for name in BUILTIN_NAMES} == titled


def test_a_title_is_one_short_line_that_rich_markup_cannot_change(
    run: Run, user_routines: Path
) -> None:
    title = "Back [bold]am[/] " + "x" * 80  # Typer shows zsh's and fish's help as Rich markup
    (user_routines / "three.yaml").write_text(
        THREE.replace("Three step test", f'"{title}"'), encoding="utf-8"
    )
    assert run("routine", "list").exit_code == 0
    about = complete("fish", "sciatica routine show th")["three"]
    assert about.startswith("Back (bold)am(/) xxx")
    assert about.endswith("...") and len(about) == 60


@pytest.mark.parametrize("shell", SHELLS)
def test_a_file_in_place_of_your_routines_folder_still_offers_the_built_ins(
    shell: str, home: Path
) -> None:
    (home / "routines").write_text("not a folder", encoding="utf-8")
    assert list(complete(shell, "sciatica routine start gl")) == ["glute-ball"]


@pytest.mark.parametrize("shell", SHELLS)
def test_a_failure_offers_nothing_and_never_a_traceback(
    shell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sciatica_cli.routines.library.scan", refuse)
    assert complete(shell, "sciatica routine start gl") == {}


# -- sides ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    "line",
    [
        "sciatica routine start --side ",
        "sciatica routine show glute-ball --side ",
        "sciatica safety side ",
    ],
)
def test_side_offers_left_right_and_both(shell: str, line: str) -> None:
    offers = complete(shell, line)
    assert list(offers) == ["left", "right", "both"]
    if shell != "bash":
        assert offers["left"] == "your left side is the affected one"


@pytest.mark.parametrize("shell", SHELLS)
def test_side_completes_from_its_first_letter(shell: str) -> None:
    assert list(complete(shell, "sciatica routine start glute-ball --side r")) == ["right"]


def test_the_offered_sides_are_the_sides_the_commands_take() -> None:
    assert list(SIDES) == [side.value for side in routine_commands.SideChoice]
    assert list(SIDES) == [side.value for side in safety_commands.SideChoice]


# -- session numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_history_note_offers_the_newest_session_numbers(shell: str, sessions: list[int]) -> None:
    offers = complete(shell, "sciatica history note ")
    newest = sessions[::-1][:NEWEST_SESSIONS]
    assert sorted(offers, key=int) == [str(number) for number in sorted(newest)]
    if shell != "bash":
        about = offers[str(sessions[-2])]
        assert about.startswith("glute-ball, ") and "29 Nov 2026" in about
        assert offers[str(sessions[-1])].endswith(", a preview")


@pytest.mark.parametrize("shell", SHELLS)
def test_a_session_number_completes_from_its_first_digits(shell: str, sessions: list[int]) -> None:
    newest = str(sessions[-1])
    assert newest in complete(shell, f"sciatica history note {newest[:-1]}")
    assert list(complete(shell, f"sciatica history note {newest}")) == [newest]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_note_after_the_number_is_not_completed(shell: str, sessions: list[int]) -> None:
    assert complete(shell, f"sciatica history note {sessions[-1]} ") == {}


def test_without_a_journal_nothing_is_offered_and_none_is_made(home: Path) -> None:
    assert complete("bash", "sciatica history note ") == {}
    assert not (home / "journal.db").exists()


def test_a_damaged_journal_offers_nothing_and_never_fails(home: Path) -> None:
    (home / "journal.db").write_bytes(b"not a database" * 100)
    assert complete("zsh", "sciatica history note ") == {}


# -- the real program ----------------------------------------------------------------------------


def run_completion(
    home: Path, shell: str, line: str, *flags: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    """``sciatica`` run for real (``python [flags] -m sciatica_cli``) as ``shell`` asks it."""
    env = {**os.environ, "SCIATICA_HOME": str(home), **shell_env(shell, line), **extra}
    return subprocess.run(
        [sys.executable, *flags, "-m", "sciatica_cli"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("sciatica routine start gl", "glute-ball"),
        ("sciatica history note ", "12"),
        ("sciatica routine start --side ", "both"),
    ],
)
def test_completion_never_imports_pydantic_or_yaml(
    shell: str, line: str, offered: str, run: Run, home: Path, sessions: list[int]
) -> None:
    assert run("routine", "list").exit_code == 0  # titles from the cache, as usual
    done = run_completion(home, shell, line, "-X", "importtime")
    assert done.returncode == 0, done.stderr
    assert offered in parse(shell, done.stdout)
    imported = {row.rsplit("|", 1)[-1].strip() for row in done.stderr.splitlines()}
    assert not {name for name in imported if name.split(".")[0] in ("pydantic", "yaml")}


def test_fish_is_told_whether_there_are_values_to_offer(home: Path) -> None:
    def has_values(line: str) -> int:
        asked = run_completion(home, "fish", line, _TYPER_COMPLETE_FISH_ACTION="is-args")
        return asked.returncode

    assert has_values("sciatica routine start gl") == 0
    assert has_values("sciatica routine validate ./") == 1  # so fish offers file names


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_real_bash_completes_a_routine_name_with_the_installed_script(
    tmp_path: Path, home: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "sciatica"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sciatica_cli "$@"\n')
    program.chmod(0o755)
    script = """
        eval "$(sciatica --show-completion)"
        complete -p sciatica >/dev/null || exit 9
        COMP_WORDS=(sciatica routine start gl); COMP_CWORD=3
        _sciatica_completion sciatica
        printf '%s\\n' "${COMPREPLY[@]}"
        COMP_WORDS=(sciatica routine start glute-ball --side ""); COMP_CWORD=5
        _sciatica_completion sciatica
        printf '%s\\n' "${COMPREPLY[@]}"
    """
    env = {**os.environ, "SCIATICA_HOME": str(home), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["glute-ball", "left", "right", "both"]
