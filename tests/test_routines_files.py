"""Only regular files are read as routines, never more than 1 MiB, and nothing ever hangs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sciatica_cli.errors import InvalidRoutine
from sciatica_cli.routines import files
from sciatica_cli.routines.files import MAX_BYTES, read_routine_text

from .conftest import THREE, Run

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
TIMEOUT = 30  # seconds; a FIFO used to hang for ever, /dev/zero to fill the memory


def validate_in_a_subprocess(*targets: Path) -> subprocess.CompletedProcess[str]:
    """``sciatica routine validate`` in its own process, so that a hang fails the test."""
    command = [sys.executable, "-m", "sciatica_cli", "routine", "validate", *map(str, targets)]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def problem_of(path: Path) -> str:
    with pytest.raises(InvalidRoutine) as caught:
        read_routine_text(path)
    (problem,) = caught.value.problems
    return str(problem)


@needs_fifo
def test_validating_a_fifo_says_it_is_not_a_regular_file_and_never_waits(tmp_path: Path) -> None:
    fifo = tmp_path / "three.yaml"
    os.mkfifo(fifo)

    done = validate_in_a_subprocess(fifo)

    assert done.returncode == 1
    assert done.stderr == (
        f"{fifo}: not a regular file (a FIFO)\n1 of 1 routine file has errors.\n"
    )
    assert "Traceback" not in done.stderr


@needs_dev_zero
def test_validating_a_link_to_dev_zero_says_it_is_a_device_and_reads_nothing(
    tmp_path: Path,
) -> None:
    link = tmp_path / "three.yaml"
    link.symlink_to("/dev/zero")

    done = validate_in_a_subprocess(link)

    assert done.returncode == 1
    assert done.stderr == (
        f"{link}: not a regular file (a device)\n1 of 1 routine file has errors.\n"
    )


def test_a_directory_named_like_a_routine_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "three.yaml"
    folder.mkdir()
    assert problem_of(folder) == f"{folder}: not a regular file (a directory)"


def test_a_link_to_a_regular_file_is_read(tmp_path: Path, run: Run) -> None:
    real = tmp_path / "elsewhere.txt"
    real.write_text(THREE, encoding="utf-8")
    link = tmp_path / "three.yaml"
    link.symlink_to(real)

    result = run("routine", "validate", str(link))

    assert result.exit_code == 0, result.stderr
    assert read_routine_text(link) == THREE


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "three.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 100))
    real_fstat = os.fstat

    def small_at_first(fd: int) -> Any:  # the size as it was when the file was opened
        info = real_fstat(fd)
        return SimpleNamespace(st_mode=info.st_mode, st_size=10)

    monkeypatch.setattr(files.os, "fstat", small_at_first)
    reads: list[int] = []
    real_read = os.read

    def counted(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        reads.append(len(data))
        return data

    monkeypatch.setattr(files.os, "read", counted)

    assert problem_of(path) == (
        f"{path}: the file grew past 1 MiB while being read; routine files are limited to 1 MiB"
    )
    assert sum(reads) == MAX_BYTES + 1  # never more than one byte past the limit


@needs_fifo
def test_a_fifo_in_your_folder_is_listed_as_unreadable_not_read(
    run: Run, user_routines: Path
) -> None:
    fifo = user_routines / "evening.yaml"
    os.mkfifo(fifo)

    listed = run("routine", "list")
    validated = run("routine", "validate")

    assert listed.exit_code == 0
    # The table may wrap a long path: compare the words, not the line breaks.
    assert f"{fifo}: not a regular file (a FIFO)" in " ".join(listed.stdout.split())
    assert validated.exit_code == 1
    assert f"{fifo}: not a regular file (a FIFO)\n" in validated.stderr


def test_a_folder_named_like_a_routine_is_reported_and_the_others_still_load(
    run: Run, user_routines: Path
) -> None:
    (user_routines / "evening.yaml").mkdir()
    (user_routines / "three.yaml").write_text(THREE, encoding="utf-8")

    result = run("routine", "validate")

    assert result.exit_code == 1
    assert result.stderr == (
        f"{user_routines / 'evening.yaml'}: not a regular file (a directory)\n"
        "1 of 8 routine files has errors.\n"
    )


def test_a_link_to_nothing_in_your_folder_is_passed_over(run: Run, user_routines: Path) -> None:
    (user_routines / "gone.yaml").symlink_to(user_routines / "nowhere.yaml")

    assert run("routine", "validate").exit_code == 0
