"""``routine import``: a routine from a physiotherapist, from a file or over HTTPS."""

from __future__ import annotations

import hashlib
import http.server
import ssl
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import trustme

from sciatica_cli.commands import routine as routine_commands
from sciatica_cli.errors import InvalidRoutine, SciaticaError, UsageError
from sciatica_cli.routines.fetching import MAX_REDIRECTS
from sciatica_cli.routines.files import MAX_BYTES
from sciatica_cli.routines.importing import import_source
from sciatica_cli.routines.library import Catalog, scan

from .conftest import BUILTIN_DIR, Run
from .fakes import TtyInput

PHYSIO = """\
name: physio-glutes   # from the clinic
title: Glutes, as shown at the clinic
steps:
  - include: warm-up
  - title: Glute ball
    position: sitting
    duration: 3m
    instructions: Sit with the ball under one buttock and roll slowly.
    warning: Stop at once if the pain turns sharp or shoots down your leg.
"""
MODELINE = "# yaml-language-server: $schema=routine.schema.json\n"
NOW = datetime(2026, 12, 1, 18, 30).astimezone()  # 18:30 on this machine's clock


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is reached directly, whatever proxy this machine uses."""
    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")


@pytest.fixture
def folder(home: Path) -> Path:
    return home / "routines"


@pytest.fixture
def physio(tmp_path: Path) -> Path:
    """The file as the physiotherapist sent it (its file name is not its routine name)."""
    path = tmp_path / "downloads" / "from the clinic.yaml"
    path.parent.mkdir()
    path.write_text(PHYSIO, encoding="utf-8")
    return path


def catalog(folder: Path) -> Catalog:
    return scan(BUILTIN_DIR, folder)


def origin(label: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"# Imported from {label} on 2026-12-01 18:30 (sha256 {digest})\n"


# Local files


def test_a_local_file_is_imported_under_its_own_name(run: Run, physio: Path, folder: Path) -> None:
    result = run("routine", "import", str(physio))

    saved = folder / "physio-glutes.yaml"
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Imported physio-glutes to {saved}.\nAll 1 routine file valid.\n"
    assert saved.read_text(encoding="utf-8").endswith(PHYSIO)
    assert run("routine", "show", "physio-glutes").exit_code == 0


def test_the_saved_file_says_where_it_came_from_at_the_top(physio: Path, folder: Path) -> None:
    found = import_source(catalog(folder), folder, str(physio), now=NOW)

    text = found.path.read_text(encoding="utf-8")
    assert text == origin(str(physio), PHYSIO.encode()) + PHYSIO


def test_the_schema_modeline_stays_the_first_line(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "physio.yaml"
    path.write_text(MODELINE + PHYSIO, encoding="utf-8")

    found = import_source(catalog(folder), folder, str(path), now=NOW)

    written = found.path.read_text(encoding="utf-8")
    assert written == MODELINE + origin(str(path), path.read_bytes()) + PHYSIO
    assert (folder / "routine.schema.json").is_file()  # what the modeline points at


def test_an_invalid_file_shows_every_problem_and_writes_nothing(
    run: Run, tmp_path: Path, folder: Path
) -> None:
    path = tmp_path / "physio.yaml"
    broken = PHYSIO.replace("duration: 3m", "duraton: 3m").replace(
        "position: sitting", "position: sat"
    )
    path.write_text(broken, encoding="utf-8")

    result = run("routine", "import", str(path))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:6:15: position 'sat' is not one of: lying-on-back, lying-on-front, "
        "side-lying, sitting, standing\n"
        f"{path}:7:5: unknown key 'duraton', did you mean 'duration'?\n"
    )
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_that_is_not_there_is_one_problem(run: Run, tmp_path: Path) -> None:
    result = run("routine", "import", str(tmp_path / "nowhere.yaml"))

    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nowhere.yaml'}: no such file\n"


def test_as_saves_it_under_another_name_with_its_name_line_changed(
    run: Run, physio: Path, folder: Path
) -> None:
    result = run("routine", "import", str(physio), "--as", "my-glutes")

    saved = folder / "my-glutes.yaml"
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Imported my-glutes to {saved}.\n")
    text = saved.read_text(encoding="utf-8")
    assert "name: my-glutes   # from the clinic\n" in text
    assert "physio-glutes" not in text
    assert not (folder / "physio-glutes.yaml").exists()
    assert run("routine", "validate", "my-glutes").exit_code == 0


def test_as_must_be_a_routine_name(run: Run, physio: Path, folder: Path) -> None:
    result = run("routine", "import", str(physio), "--as", "My Glutes")

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'My Glutes' is not a routine name")
    assert not folder.exists()


# An existing routine of the same name


def test_an_existing_routine_is_never_replaced_without_a_terminal(
    run: Run, physio: Path, folder: Path
) -> None:
    assert run("routine", "import", str(physio)).exit_code == 0
    before = (folder / "physio-glutes.yaml").read_bytes()
    physio.write_text(PHYSIO.replace("3m", "4m"), encoding="utf-8")

    result = run("routine", "import", str(physio))

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a routine named physio-glutes already exists (yours), and there is no terminal "
        "to ask whether to replace it; import it under another name with --as NAME\n"
    )
    assert (folder / "physio-glutes.yaml").read_bytes() == before


def test_a_builtin_name_is_refused_without_a_terminal(
    run: Run, tmp_path: Path, folder: Path
) -> None:
    path = tmp_path / "glute-ball.yaml"
    path.write_text(PHYSIO.replace("physio-glutes", "glute-ball"), encoding="utf-8")

    result = run("routine", "import", str(path))

    assert result.exit_code == 1
    assert "a routine named glute-ball already exists (built-in)" in result.stderr
    assert not (folder / "glute-ball.yaml").exists()


def test_in_a_terminal_it_asks_before_replacing_your_routine(
    run: Run, physio: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("routine", "import", str(physio)).exit_code == 0
    physio.write_text(PHYSIO.replace("3m", "4m"), encoding="utf-8")
    monkeypatch.setattr(routine_commands, "sys", types.SimpleNamespace(stdin=TtyInput([])))

    declined = run("routine", "import", str(physio), input="\n")
    kept = (folder / "physio-glutes.yaml").read_text(encoding="utf-8")
    accepted = run("routine", "import", str(physio), input="y\n")

    # The space after the colon goes with the answer, to stdout.
    question = "A routine named physio-glutes exists (yours). Replace it? [y/N]:"
    assert declined.exit_code == 1
    assert declined.stderr == (
        f"{question}Error: nothing was imported; physio-glutes is as it was\n"
    )
    assert "duration: 3m" in kept
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.stderr.startswith(question)
    assert "duration: 4m" in (folder / "physio-glutes.yaml").read_text(encoding="utf-8")


def test_replacing_a_builtin_writes_your_copy_and_leaves_the_builtin(
    tmp_path: Path, folder: Path
) -> None:
    path = tmp_path / "glute-ball.yaml"
    path.write_text(PHYSIO.replace("physio-glutes", "glute-ball"), encoding="utf-8")
    builtin = (BUILTIN_DIR / "glute-ball.yaml").read_bytes()
    asked: list[tuple[str, bool]] = []

    def ask(question: str, default: bool) -> bool:
        asked.append((question, default))
        return True

    found = import_source(catalog(folder), folder, str(path), ask=ask)

    assert asked == [("A routine named glute-ball exists (built-in). Replace it?", False)]
    assert found.replaced == "built-in"
    assert found.path == folder / "glute-ball.yaml"
    assert (BUILTIN_DIR / "glute-ball.yaml").read_bytes() == builtin


def test_the_command_says_your_copy_overrides_the_builtin(
    run: Run, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "glute-ball.yaml"
    path.write_text(PHYSIO.replace("physio-glutes", "glute-ball"), encoding="utf-8")
    monkeypatch.setattr(routine_commands, "sys", types.SimpleNamespace(stdin=TtyInput([])))

    result = run("routine", "import", str(path), input="y\n")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "A routine named glute-ball exists (built-in). Replace it? [y/N]:"
        f"Imported glute-ball to {folder / 'glute-ball.yaml'}.\n"
        "It overrides the built-in glute-ball, which stays as it is in sciatica.\n"
        "All 1 routine file valid.\n"
    )


# Includes


def test_an_include_that_resolves_nowhere_is_refused(
    run: Run, tmp_path: Path, folder: Path
) -> None:
    path = tmp_path / "physio.yaml"
    text = PHYSIO.replace(
        "  - title: Glute ball", "  - include: clinic-extras\n  - title: Glute ball"
    )
    path.write_text(text, encoding="utf-8")

    result = run("routine", "import", str(path))

    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:5:14: cannot include: no routine named 'clinic-extras' "
        "('sciatica routine list' shows them all)\n"
    )
    assert not folder.exists() or list(folder.iterdir()) == []


def test_an_include_of_your_own_routine_resolves(
    run: Run, tmp_path: Path, user_routines: Path
) -> None:
    own = PHYSIO.replace("physio-glutes", "clinic-extras").replace("  - include: warm-up\n", "")
    (user_routines / "clinic-extras.yaml").write_text(own, encoding="utf-8")
    path = tmp_path / "physio.yaml"
    path.write_text(PHYSIO.replace("warm-up", "clinic-extras"), encoding="utf-8")

    result = run("routine", "import", str(path))

    assert result.exit_code == 0, result.stderr
    assert (user_routines / "physio-glutes.yaml").is_file()


# HTTPS


@dataclass
class Reply:
    status: int = 200
    body: bytes = PHYSIO.encode()
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send a Content-Length header


class _Server(http.server.HTTPServer):
    replies: dict[str, Reply]
    handled: int
    stall: threading.Event | None


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.handled += 1
        reply = self.server.replies.get(self.path, Reply(404, b"not here"))
        if self.server.stall is not None:
            self.server.stall.wait(5)  # a slow server: set at the end of the test
        try:
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up, as the test wanted

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client context that trusts the test CA (the command itself uses the system's)."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@contextmanager
def https_server(
    ca: trustme.CA, replies: dict[str, Reply], *, requests: int = 1, slow: bool = False
) -> Iterator[str]:
    """A loopback HTTPS server that stops by itself after ``requests`` requests, 10 seconds or
    the end of the test, whichever comes first; yields its base address."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.timeout = 0.2  # each wait for a request ends by itself
    server.replies = replies
    server.handled = 0
    server.stall = threading.Event() if slow else None
    done = threading.Event()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)

    def serve() -> None:
        deadline = time.monotonic() + 10
        while server.handled < requests and not done.is_set() and time.monotonic() < deadline:
            server.handle_request()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        done.set()
        if server.stall is not None:
            server.stall.set()
        thread.join(timeout=10)
        server.server_close()


def test_a_routine_is_imported_over_https(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    with https_server(ca, {"/physio.yaml": Reply()}) as base:
        url = f"{base}/physio.yaml"
        found = import_source(catalog(folder), folder, url, context=trusting, now=NOW)

    assert found.name == "physio-glutes"
    assert found.path.read_text(encoding="utf-8") == origin(url, PHYSIO.encode()) + PHYSIO


def test_an_invalid_download_names_the_address_in_each_problem(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    body = PHYSIO.replace("duration: 3m", "duration: 3").encode()
    with https_server(ca, {"/physio.yaml": Reply(body=body)}) as base:
        url = f"{base}/physio.yaml"
        with pytest.raises(InvalidRoutine) as raised:
            import_source(catalog(folder), folder, url, context=trusting)

    assert [str(p) for p in raised.value.problems] == [
        f"{url}:7:15: '3' needs a unit: write '3s' or '3m'"
    ]
    assert not folder.exists()


def test_a_redirect_to_https_is_followed(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    replies = {"/old.yaml": Reply(302, b"", {"Location": "/physio.yaml"}), "/physio.yaml": Reply()}
    with https_server(ca, replies, requests=2) as base:
        found = import_source(catalog(folder), folder, f"{base}/old.yaml", context=trusting)

    assert found.path == folder / "physio-glutes.yaml"


def test_an_http_address_is_refused(run: Run) -> None:
    result = run("routine", "import", "http://127.0.0.1:9/physio.yaml")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: http://127.0.0.1:9/physio.yaml is refused: routines are downloaded over "
        "https:// only, because anyone on the way could change a routine sent over http://\n"
    )


def test_a_redirect_to_http_is_refused(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    plain = "http://127.0.0.1:9/physio.yaml"
    with https_server(ca, {"/old.yaml": Reply(301, b"", {"Location": plain})}) as base:
        url = f"{base}/old.yaml"
        with pytest.raises(SciaticaError) as raised:
            import_source(catalog(folder), folder, url, context=trusting)

    assert raised.value.message == (
        f"could not fetch {url}: it redirects to {plain}, which is not an https address"
    )
    assert not folder.exists()


def test_a_chain_of_more_than_5_redirects_is_refused(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    chain = {f"/r{i}": Reply(302, b"", {"Location": f"/r{i + 1}"}) for i in range(10)}
    server = https_server(ca, chain, requests=MAX_REDIRECTS + 1)
    with server as base, pytest.raises(SciaticaError) as raised:
        import_source(catalog(folder), folder, f"{base}/r0", context=trusting)

    assert raised.value.message == f"could not fetch {base}/r0: more than {MAX_REDIRECTS} redirects"


def test_a_redirect_loop_is_refused(ca: trustme.CA, trusting: ssl.SSLContext, folder: Path) -> None:
    loop = {"/a.yaml": Reply(302, b"", {"Location": "/a.yaml"})}
    server = https_server(ca, loop, requests=MAX_REDIRECTS + 1)
    with server as base, pytest.raises(SciaticaError) as raised:
        import_source(catalog(folder), folder, f"{base}/a.yaml", context=trusting)

    assert raised.value.message == f"could not fetch {base}/a.yaml: it redirects in a loop"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"#" * (MAX_BYTES + 1), length=False), "the download is over 1 MiB"),
        (
            Reply(headers={"Content-Length": "2000000"}, length=False),
            "the download is 2,000,000 bytes",
        ),
    ],
    ids=["streamed", "declared"],
)
def test_a_download_over_1_mib_is_refused(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path, reply: Reply, message: str
) -> None:
    with https_server(ca, {"/big.yaml": reply}) as base:
        url = f"{base}/big.yaml"
        with pytest.raises(InvalidRoutine) as raised:
            import_source(catalog(folder), folder, url, context=trusting)

    assert [str(p) for p in raised.value.problems] == [
        f"{url}: {message}; routine files are limited to 1 MiB"
    ]
    assert not folder.exists()


def test_a_slow_server_times_out(ca: trustme.CA, trusting: ssl.SSLContext, folder: Path) -> None:
    with https_server(ca, {"/physio.yaml": Reply()}, slow=True) as base:
        url = f"{base}/physio.yaml"
        with pytest.raises(SciaticaError) as raised:
            import_source(catalog(folder), folder, url, context=trusting, timeout=0.3)

    assert raised.value.message == f"could not fetch {url}: timed out"
    assert not folder.exists()


def test_a_missing_page_is_one_sentence(
    ca: trustme.CA, trusting: ssl.SSLContext, folder: Path
) -> None:
    with https_server(ca, {}) as base, pytest.raises(SciaticaError) as raised:
        import_source(catalog(folder), folder, f"{base}/gone.yaml", context=trusting)

    assert raised.value.message == f"could not fetch {base}/gone.yaml: HTTP 404 Not Found"


def test_the_command_trusts_only_the_systems_certificates(
    run: Run, ca: trustme.CA, folder: Path
) -> None:
    with https_server(ca, {"/physio.yaml": Reply()}) as base:
        result = run("routine", "import", f"{base}/physio.yaml")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: could not fetch {base}/physio.yaml: certificate verify failed"
    )
    assert result.stderr.count("\n") == 1
    assert not folder.exists()


def test_as_is_checked_before_anything_is_downloaded(folder: Path) -> None:
    with pytest.raises(UsageError):
        import_source(catalog(folder), folder, "https://127.0.0.1:9/x.yaml", new_name="../x")
