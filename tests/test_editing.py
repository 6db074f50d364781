"""``routine new`` and ``routine edit``: an invalid edit never replaces the valid file."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sciatica_cli import paths
from sciatica_cli.errors import SciaticaError
from sciatica_cli.routines.editing import MODELINE, edit_routine, editor_command
from sciatica_cli.routines.library import scan

from .conftest import BUILTIN_DIR, BUILTIN_NAMES, Run

INVALID_STEP = ("duration: 2m30s-5m", "duration: 5")


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """Set $EDITOR to a Python script that changes the file given as its last argument.

    ``body`` sees ``path`` (the file), ``text`` (its content) and ``here`` (tmp_path).
    """
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        f"here = pathlib.Path({str(tmp_path)!r})\n"
        "text = path.read_text(encoding='utf-8')\n"
        "(here / 'seen.txt').write_text(text, encoding='utf-8')\n"
        "(here / 'edited.txt').write_text(str(path), encoding='utf-8')\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", shlex.join([sys.executable, str(script)]))
    return script


def retitle(old: str, new: str) -> str:
    return f"path.write_text(text.replace('title: {old}', 'title: {new}'), encoding='utf-8')\n"


BREAK_IT = (
    "path.write_text(text.replace('duration: 2m30s-5m', 'duration: 5')"
    ".replace('sides: both', 'sidez: both'), encoding='utf-8')\n"
)
LEAVE_IT = "pass\n"


def new_routine(run: Run, name: str = "my-back") -> None:
    result = run("routine", "new", name, "--from", "glute-ball", "--no-edit")
    assert result.exit_code == 0, result.output


# routine new


def test_new_no_edit_creates_a_starter_with_the_schema_modeline(
    run: Run, user_routines: Path
) -> None:
    result = run("routine", "new", "my-back", "--no-edit")

    path = user_routines / "my-back.yaml"
    assert result.exit_code == 0
    assert result.stderr == f"Created {path}.\n"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=routine.schema.json"
    assert text.splitlines()[0] == MODELINE
    assert "name: my-back\n" in text


def test_new_writes_the_schema_beside_the_routine(run: Run, user_routines: Path) -> None:
    run("routine", "new", "my-back", "--no-edit")

    schema = user_routines / "routine.schema.json"
    assert schema.read_text(encoding="utf-8") == run("routine", "schema").stdout
    assert json.loads(schema.read_text(encoding="utf-8"))["title"] == "sciatica routine"


def test_a_new_routine_is_valid_and_listed_as_yours(run: Run, user_routines: Path) -> None:
    run("routine", "new", "my-back", "--no-edit")

    validated = run("routine", "validate", "my-back")
    listed = json.loads(run("routine", "list", "--json").stdout)

    assert validated.exit_code == 0, validated.output
    assert validated.stdout == "All 1 routine file valid.\n"
    rows = {r["name"]: r for r in listed["routines"]}
    assert rows["my-back"]["source"] == "user"
    assert rows["my-back"]["title"] == "My routine"
    assert rows["my-back"]["error"] is None
    assert listed["unreadable"] == []  # routine.schema.json is not a stray
    assert run("routine", "validate").stdout == "All 7 routine files valid.\n"


def test_new_refuses_a_name_that_is_already_taken(run: Run, user_routines: Path) -> None:
    run("routine", "new", "my-back", "--no-edit")
    path = user_routines / "my-back.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# my notes\n", encoding="utf-8")
    before = path.read_bytes()

    result = run("routine", "new", "my-back", "--no-edit")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} already exists; change it with 'sciatica routine edit my-back'\n"
    )
    assert path.read_bytes() == before


def test_new_refuses_the_name_of_a_builtin_routine(run: Run, user_routines: Path) -> None:
    result = run("routine", "new", "glute-ball", "--no-edit")

    assert result.exit_code == 1
    assert "sciatica routine edit glute-ball" in result.stderr
    assert not (user_routines / "glute-ball.yaml").exists()


@pytest.mark.parametrize("name", ["My_Back", "../evil", "x_y", "my back", "a" * 65])
def test_new_refuses_a_name_that_is_not_a_routine_name(run: Run, tmp_path: Path, name: str) -> None:
    result = run("routine", "new", name, "--no-edit")

    assert result.exit_code == 2
    assert f"Error: '{name}' is not a routine name" in result.stderr
    assert "use lowercase letters, digits and hyphens" in result.stderr
    assert list(tmp_path.rglob("*.yaml")) == []


def test_new_from_copies_a_routine_under_the_new_name(run: Run, user_routines: Path) -> None:
    result = run("routine", "new", "x", "--from", "glute-ball", "--no-edit")

    path = user_routines / "x.yaml"
    text = path.read_text(encoding="utf-8")
    builtin = (BUILTIN_DIR / "glute-ball.yaml").read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert text.splitlines()[0] == MODELINE
    assert "name: x\n" in text
    assert "name: glute-ball" not in text
    assert text == f"{MODELINE}\n" + builtin.replace("name: glute-ball", "name: x")
    assert run("routine", "validate", "x").exit_code == 0
    shown = json.loads(run("routine", "show", "x", "--json").stdout)
    assert shown["title"] == "Glutes with a ball"


def test_new_from_an_unknown_routine_suggests_one(run: Run, user_routines: Path) -> None:
    result = run("routine", "new", "x", "--from", "glute-bal", "--no-edit")

    assert result.exit_code == 1
    assert "no routine named 'glute-bal'; did you mean 'glute-ball'?" in result.stderr
    assert not (user_routines / "x.yaml").exists()


def test_new_opens_the_editor_by_default(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, retitle("My routine", "Evening back"))

    result = run("routine", "new", "my-back")

    path = user_routines / "my-back.yaml"
    assert result.exit_code == 0, result.output
    assert "title: Evening back\n" in path.read_text(encoding="utf-8")
    assert f"Saved {path}." in result.stderr
    assert not (user_routines / "my-back.draft.yaml").exists()


# routine edit


def test_editing_a_builtin_copies_it_to_your_folder_and_saves_a_valid_change(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin_before = (BUILTIN_DIR / "glute-ball.yaml").read_bytes()
    fake_editor(tmp_path, monkeypatch, retitle("Glutes with a ball", "My glutes"))

    result = run("routine", "edit", "glute-ball")

    path = user_routines / "glute-ball.yaml"
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"'glute-ball' is built in: a valid edit is saved as your own copy, {path}.",
        f"Saved {path}.",
    ]
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert "title: My glutes\n" in text
    assert (BUILTIN_DIR / "glute-ball.yaml").read_bytes() == builtin_before
    assert (user_routines / "routine.schema.json").exists()
    assert not (user_routines / "glute-ball.draft.yaml").exists()
    rows = {r["name"]: r for r in json.loads(run("routine", "list", "--json").stdout)["routines"]}
    assert rows["glute-ball"]["title"] == "My glutes"
    assert rows["glute-ball"]["overrides_builtin"] is True


def test_the_editor_gets_the_draft_not_the_routine(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    fake_editor(tmp_path, monkeypatch, LEAVE_IT)

    run("routine", "edit", "my-back")

    assert (tmp_path / "edited.txt").read_text() == str(user_routines / "my-back.draft.yaml")


def test_visual_is_preferred_to_editor(tmp_path: Path) -> None:
    environ = {"VISUAL": "code --wait", "EDITOR": "nano"}

    assert editor_command(environ) == ["code", "--wait"]
    assert editor_command({"EDITOR": f"'{tmp_path}/my editor' -w"}) == [
        f"{tmp_path}/my editor",
        "-w",
    ]


def test_an_unchanged_edit_says_no_changes_and_leaves_no_draft(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    before = path.read_bytes()
    fake_editor(tmp_path, monkeypatch, LEAVE_IT)

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 0
    assert result.stderr == "No changes; 'my-back' is as it was.\n"
    assert path.read_bytes() == before
    assert not (user_routines / "my-back.draft.yaml").exists()


@pytest.mark.parametrize("editor", ["LEAVE_IT", "BREAK_IT", "FAIL"])
def test_editing_a_builtin_leaves_no_copy_unless_a_valid_edit_is_saved(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: str
) -> None:
    actions = {"LEAVE_IT": LEAVE_IT, "BREAK_IT": BREAK_IT, "FAIL": "sys.exit(3)\n"}
    fake_editor(tmp_path, monkeypatch, actions[editor])

    run("routine", "edit", "glute-ball")

    assert not (user_routines / "glute-ball.yaml").exists()
    listed = json.loads(run("routine", "list", "--json").stdout)["routines"]
    assert {r["name"]: r["source"] for r in listed}["glute-ball"] == "built-in"


def test_invalid_edit_keeps_the_last_valid_file_and_the_draft(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    draft = user_routines / "my-back.draft.yaml"
    before = path.read_bytes()
    fake_editor(tmp_path, monkeypatch, BREAK_IT)

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    *problems, asked, error = result.stderr.splitlines()
    assert asked == "Reopen the editor to fix it? No (no terminal to ask)."
    assert sorted(re.sub(r"^.*:\d+:\d+: ", "", line) for line in problems) == [
        "'5' needs a unit: write '5s' or '5m'",
        "unknown key 'sidez', did you mean 'sides'?",
    ]
    assert all(line.startswith(f"{draft}:") for line in problems)
    assert error == (
        f"Error: 'my-back' is unchanged; your edit is kept in {draft} "
        "('sciatica routine edit my-back' picks it up again)"
    )
    assert path.read_bytes() == before
    assert "sidez: both" in draft.read_text(encoding="utf-8")


def test_invalid_edit_problems_carry_line_and_column(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    draft = user_routines / "my-back.draft.yaml"
    fake_editor(tmp_path, monkeypatch, BREAK_IT)

    result = run("routine", "edit", "my-back")

    draft_lines = draft.read_text(encoding="utf-8").splitlines()
    found = {}
    for problem in result.stderr.splitlines()[:-2]:
        match = re.fullmatch(rf"{re.escape(str(draft))}:(\d+):(\d+): (.*)", problem)
        assert match, problem
        line, col = int(match[1]), int(match[2])
        found[match[3]] = draft_lines[line - 1][col - 1 :]
    assert found["'5' needs a unit: write '5s' or '5m'"] == "5"
    assert found["unknown key 'sidez', did you mean 'sides'?"] == "sidez: both"


def test_invalid_yaml_is_never_saved(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    before = path.read_bytes()
    fake_editor(
        tmp_path, monkeypatch, "path.write_text('name: my-back\\ntitle: [oops\\n', 'utf-8')\n"
    )

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{user_routines / 'my-back.draft.yaml'}:")
    assert path.read_bytes() == before


def test_an_edit_that_renames_the_routine_is_refused(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    before = (user_routines / "my-back.yaml").read_bytes()
    fake_editor(
        tmp_path,
        monkeypatch,
        "path.write_text(text.replace('name: my-back', 'name: other'), encoding='utf-8')\n",
    )

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert "name 'other' must match the file name 'my-back.yaml'" in result.stderr
    assert (user_routines / "my-back.yaml").read_bytes() == before


def test_an_edit_that_makes_an_include_cycle_is_refused(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(
        tmp_path,
        monkeypatch,
        "path.write_text(text.replace('  - include: warm-up', '  - include: full'), 'utf-8')\n",
    )

    result = run("routine", "edit", "full")

    assert result.exit_code == 1
    assert "include cycle: full -> full" in result.stderr
    assert not (user_routines / "full.yaml").exists()  # the built-in stays in use


def test_a_later_edit_without_a_terminal_carries_on_with_the_draft(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    draft = user_routines / "my-back.draft.yaml"
    fake_editor(tmp_path, monkeypatch, BREAK_IT)
    assert run("routine", "edit", "my-back").exit_code == 1
    earlier = draft.read_text(encoding="utf-8")
    fake_editor(tmp_path, monkeypatch, LEAVE_IT)

    result = run("routine", "edit", "my-back")

    assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == earlier  # nothing lost
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"An unsaved draft from an earlier edit is at {draft}. Carry on editing it? "
        "Yes (no terminal to ask).\n"
    )
    assert draft.read_text(encoding="utf-8") == earlier


def test_the_editor_exiting_with_an_error_saves_nothing(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    draft = user_routines / "my-back.draft.yaml"
    before = path.read_bytes()
    fake_editor(tmp_path, monkeypatch, retitle("Glutes with a ball", "Changed") + "sys.exit(3)\n")

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the editor exited with status 3; nothing was saved; your text is kept in {draft}\n"
    )
    assert path.read_bytes() == before
    assert "title: Changed" in draft.read_text(encoding="utf-8")


def test_a_missing_editor_is_a_clear_error(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    before = path.read_bytes()
    missing = tmp_path / "no-such-editor"
    monkeypatch.setenv("EDITOR", str(missing))

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: could not start the editor '{missing}' (No such file or directory); "
        "check $VISUAL and $EDITOR\n"
    )
    assert path.read_bytes() == before
    assert not (user_routines / "my-back.draft.yaml").exists()  # no draft to resume later


def test_editing_an_unknown_routine_suggests_one(run: Run) -> None:
    result = run("routine", "edit", "glute-bal")

    assert result.exit_code == 1
    assert "did you mean 'glute-ball'?" in result.stderr


def test_editing_a_path_is_a_usage_error(run: Run, home: Path) -> None:
    result = run("routine", "edit", "../x")

    assert result.exit_code == 2
    assert "is not a routine name" in result.stderr


def test_list_and_validate_never_show_a_draft(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    fake_editor(tmp_path, monkeypatch, BREAK_IT)
    assert run("routine", "edit", "my-back").exit_code == 1
    assert (user_routines / "my-back.draft.yaml").exists()

    listed = json.loads(run("routine", "list", "--json").stdout)
    table = run("routine", "list").stdout
    validated = run("routine", "validate")
    folder = run("routine", "validate", str(user_routines))

    assert {r["name"] for r in listed["routines"]} == {*BUILTIN_NAMES, "my-back"}
    assert listed["unreadable"] == []
    assert "draft" not in table
    assert "Broken routine files" not in table
    assert validated.stdout == "All 7 routine files valid.\n"
    assert folder.stdout == "All 1 routine file valid.\n"


def test_validate_checks_a_draft_given_by_path_as_the_routine_it_will_become(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    draft = user_routines / "my-back.draft.yaml"
    fake_editor(tmp_path, monkeypatch, BREAK_IT)
    run("routine", "edit", "my-back")

    result = run("routine", "validate", str(draft))

    assert result.exit_code == 1
    assert all(line.startswith(f"{draft}:") for line in result.stderr.splitlines()[:-1])
    assert "must match the file name" not in result.stderr


# editing.edit_routine with an injected question


class Answers:
    """An ``ask`` callback that gives the answers in order and records the questions."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def __call__(self, question: str, default: bool) -> bool:
        self.questions.append(question)
        return self.answers.pop(0)


def counting_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *runs: str) -> Path:
    """A fake editor that does ``runs[n]`` on its n-th run (counted in a file)."""
    counter = tmp_path / "runs.txt"
    branches = "".join(
        f"if n == {n}:\n{textwrap.indent(action, '    ')}" for n, action in enumerate(runs, 1)
    )
    fake_editor(
        tmp_path,
        monkeypatch,
        f"counter = here / {counter.name!r}\n"
        "n = int(counter.read_text()) + 1 if counter.exists() else 1\n"
        "counter.write_text(str(n))\n" + branches,
    )
    return counter


def edit(name: str, ask: Answers, said: list[str]) -> Path:
    catalog = scan(paths.builtin_routines_dir(), paths.user_routines_dir())
    return edit_routine(catalog, paths.user_routines_dir(), name, ask, said.append)


def test_reopening_the_editor_lets_you_fix_an_invalid_edit(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    fix = (
        "text = text.replace('duration: 5', 'duration: 2m30s-5m')"
        ".replace('sidez', 'sides').replace('title: Glutes with a ball', 'title: Fixed')\n"
        "path.write_text(text, encoding='utf-8')\n"
    )
    counter = counting_editor(tmp_path, monkeypatch, BREAK_IT, fix)
    ask = Answers(True, False)
    said: list[str] = []

    result = edit("my-back", ask, said)

    assert result == path
    assert counter.read_text() == "2"
    assert ask.questions == ["Reopen the editor to fix it?"]
    draft = user_routines / "my-back.draft.yaml"
    assert any(line.startswith(f"{draft}:") and "'5' needs a unit" in line for line in said)
    assert said[-1] == f"Saved {path}."
    assert "title: Fixed\n" in path.read_text(encoding="utf-8")
    assert not draft.exists()


def test_declining_to_reopen_keeps_the_draft_and_the_routine(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    before = path.read_bytes()
    counter = counting_editor(tmp_path, monkeypatch, BREAK_IT, BREAK_IT)
    ask = Answers(True, False)
    said: list[str] = []

    with pytest.raises(SciaticaError, match="is unchanged; your edit is kept in"):
        edit("my-back", ask, said)

    assert counter.read_text() == "2"
    assert ask.questions == ["Reopen the editor to fix it?", "Reopen the editor to fix it?"]
    assert path.read_bytes() == before
    assert "sidez" in (user_routines / "my-back.draft.yaml").read_text(encoding="utf-8")


def test_carrying_on_with_a_draft_gives_the_editor_your_earlier_text(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    draft = user_routines / "my-back.draft.yaml"
    fake_editor(tmp_path, monkeypatch, BREAK_IT)
    with pytest.raises(SciaticaError):
        edit("my-back", Answers(False), [])
    unsaved = draft.read_text(encoding="utf-8")
    fake_editor(
        tmp_path,
        monkeypatch,
        "path.write_text(text.replace('duration: 5', 'duration: 2m30s-5m')"
        ".replace('sidez', 'sides').replace('title: Glutes with a ball', 'title: Fixed'),"
        " encoding='utf-8')\n",
    )
    ask = Answers(True)
    said: list[str] = []

    edit("my-back", ask, said)

    assert ask.questions == [
        f"An unsaved draft from an earlier edit is at {draft}. Carry on editing it?"
    ]
    assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == unsaved
    assert said == [f"Saved {user_routines / 'my-back.yaml'}."]
    assert not draft.exists()


# One edit at a time, and never over a change made meanwhile

WAIT_FOR_GO = """\
import time
(here / 'started').write_text('yes')
for _ in range(600):
    if (here / 'go').exists():
        break
    time.sleep(0.05)
path.write_text(text.replace('title: Glutes with a ball', 'title: First window'), 'utf-8')
"""


def test_a_second_edit_of_the_same_routine_is_refused_while_the_first_is_open(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    draft = user_routines / "my-back.draft.yaml"
    first_dir = tmp_path / "first"
    first_dir.mkdir()
    fake_editor(first_dir, monkeypatch, WAIT_FOR_GO)
    first = subprocess.Popen(
        [sys.executable, "-m", "sciatica_cli", "routine", "edit", "my-back"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):
            if (first_dir / "started").exists() or first.poll() is not None:
                break
            time.sleep(0.05)
        assert (first_dir / "started").exists(), first.communicate(timeout=5)
        open_draft = draft.read_text(encoding="utf-8")
        fake_editor(tmp_path, monkeypatch, retitle("Glutes with a ball", "Second window"))

        second = run("routine", "edit", "my-back")
        listed = json.loads(run("routine", "list", "--json").stdout)
        validated = run("routine", "validate")
        draft_meanwhile = draft.read_text(encoding="utf-8")
    finally:
        (first_dir / "go").write_text("go")
        _, err = first.communicate(timeout=60)

    assert second.exit_code == 1
    assert re.fullmatch(
        r"Error: my-back is being edited in another window \(since \d\d:\d\d\); "
        r"finish that edit first\n",
        second.stderr,
    ), second.stderr
    assert not (tmp_path / "seen.txt").exists()  # the second editor never opened
    assert draft_meanwhile == open_draft  # nor touched the first one's draft
    assert listed["unreadable"] == []  # the lock and the draft are nobody's routine
    assert validated.stdout == "All 7 routine files valid.\n"
    assert first.returncode == 0, err
    assert err.endswith(f"Saved {path}.\n")
    assert "title: First window\n" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in user_routines.iterdir()) == [
        "my-back.yaml",
        "routine.schema.json",
    ]


def test_the_lock_goes_when_the_edit_ends_so_the_next_edit_opens(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    fake_editor(tmp_path, monkeypatch, retitle("Glutes with a ball", "Once"))
    assert run("routine", "edit", "my-back").exit_code == 0
    fake_editor(tmp_path, monkeypatch, retitle("Once", "Twice"))

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 0, result.stderr
    assert "title: Twice\n" in (user_routines / "my-back.yaml").read_text(encoding="utf-8")


def test_a_draft_and_lock_file_left_by_an_edit_no_longer_running_are_picked_up(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    draft = user_routines / "my-back.draft.yaml"
    left = path.read_text(encoding="utf-8").replace("Glutes with a ball", "Left behind")
    draft.write_text(left, encoding="utf-8")
    (user_routines / ".my-back.edit-lock").write_text("12345\n")  # its process was killed
    fake_editor(tmp_path, monkeypatch, LEAVE_IT)

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"An unsaved draft from an earlier edit is at {draft}. Carry on editing it? "
        f"Yes (no terminal to ask).\nSaved {path}.\n"
    )
    assert (tmp_path / "seen.txt").read_text(encoding="utf-8") == left
    assert "title: Left behind\n" in path.read_text(encoding="utf-8")
    assert not (user_routines / ".my-back.edit-lock").exists()


CHANGE_BOTH = """\
target = path.parent / 'my-back.yaml'
theirs = target.read_text('utf-8').replace('title: Glutes with a ball', 'title: Theirs')
target.write_text(theirs, 'utf-8')
path.write_text(text.replace('title: Glutes with a ball', 'title: Mine'), 'utf-8')
"""


def test_a_save_over_a_file_changed_during_the_edit_is_refused_and_the_draft_kept(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_routine(run)
    path = user_routines / "my-back.yaml"
    draft = user_routines / "my-back.draft.yaml"
    fake_editor(tmp_path, monkeypatch, CHANGE_BOTH)

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} was changed by another program while you were editing it, so your "
        f"edit was not saved over it; your edit is kept in {draft} (compare the two, then "
        "'sciatica routine edit my-back' picks it up again)\n"
    )
    assert "title: Theirs\n" in path.read_text(encoding="utf-8")
    assert "title: Mine\n" in draft.read_text(encoding="utf-8")

    fake_editor(tmp_path, monkeypatch, LEAVE_IT)
    again = run("routine", "edit", "my-back")

    assert again.exit_code == 0, again.stderr
    assert "Carry on editing it? Yes" in again.stderr
    assert "title: Mine\n" in path.read_text(encoding="utf-8")


def test_a_copy_of_a_builtin_made_elsewhere_during_the_edit_is_not_overwritten(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(
        tmp_path,
        monkeypatch,
        "(path.parent / 'glute-ball.yaml').write_text(text.replace('title: Glutes', "
        "'title: Theirs'), 'utf-8')\n" + retitle("Glutes with a ball", "Mine"),
    )

    result = run("routine", "edit", "glute-ball")

    assert result.exit_code == 1
    assert "was changed by another program while you were editing it" in result.stderr
    text = (user_routines / "glute-ball.yaml").read_text(encoding="utf-8")
    assert "title: Theirs" in text


# A routine's name held by something that is not a file


def make_non_file(path: Path, kind: str) -> None:
    if kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)


@pytest.mark.parametrize("name", ["my-back", "glute-ball"])
@pytest.mark.parametrize(
    "kind",
    [
        "directory",
        pytest.param(
            "FIFO",
            marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here"),
        ),
    ],
)
def test_new_and_edit_say_the_same_of_a_name_held_by_a_non_file(
    run: Run, user_routines: Path, kind: str, name: str
) -> None:
    target = user_routines / f"{name}.yaml"
    make_non_file(target, kind)
    expected = (
        f"Error: {target}: not a regular file (a {kind}); move it out of the way or choose "
        "another name\n"
    )

    made = run("routine", "new", name, "--no-edit")
    edited = run("routine", "edit", name)

    assert (made.exit_code, made.stderr) == (1, expected)
    assert (edited.exit_code, edited.stderr) == (1, expected)


def test_edit_refuses_a_draft_that_is_not_a_regular_file(run: Run, user_routines: Path) -> None:
    new_routine(run)
    draft = user_routines / "my-back.draft.yaml"
    draft.mkdir()

    result = run("routine", "edit", "my-back")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {draft}: not a regular file (a directory); move it out of the way or choose "
        "another name\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_in_place_of_the_schema_file_is_left_alone_and_never_waited_on(
    run: Run, user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(user_routines / "routine.schema.json")
    fake_editor(tmp_path, monkeypatch, retitle("Glutes with a ball", "Mine"))
    command = [sys.executable, "-m", "sciatica_cli", "routine", "edit", "glute-ball"]

    done = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith(f"Saved {user_routines / 'glute-ball.yaml'}.\n")
