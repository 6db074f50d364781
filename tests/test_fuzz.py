"""Whatever text a routine file holds, loading it gives a routine or a list of problems."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sciatica_cli.errors import InvalidRoutine
from sciatica_cli.routines.loader import parse_routine

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "routines"
BUILTINS = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(BUILTIN_DIR.glob("*.yaml"))]
BUILTIN_TEXTS = [text for _, text in BUILTINS]

# Characters that matter to YAML and to durations, plus a few awkward ones.
YAMLISH = " \t\n\r-:#&*!?|>'\"%@`{}[],.<=0123456789hmsabcxyz\x00\x07\x1b\x7f\x85\u2028\ufeffé漢"
# Each test stays under about 3 s.
FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_loads_or_lists_problems(text: str, name: str = "x") -> bool:
    """The one contract: a routine, or InvalidRoutine whose problems can be shown."""
    label = f"{name}.yaml"
    try:
        parse_routine(text, label, name)
    except InvalidRoutine as err:
        assert err.problems
        for problem in err.problems:
            assert problem.path == label
            assert problem.message
            assert problem.line is None or problem.line >= 1, str(problem)
            assert problem.column is None or problem.column >= 1, str(problem)
            assert str(problem).startswith(label)
        return False
    return True


@FEW
@given(st.text(max_size=300))
@example("")
@example("name: x\n")
@example("- a\n- b\n")
@example("a: &a [1]\nb: *a\nc: *b\n")
def test_any_text_loads_or_lists_its_problems(text: str) -> None:
    assert_loads_or_lists_problems(text)


@MANY
@given(st.text(alphabet=YAMLISH, max_size=300))
def test_yaml_like_text_loads_or_lists_its_problems(text: str) -> None:
    assert_loads_or_lists_problems(text)


def mutate(text: str, edits: list[tuple[str, int, int, str]]) -> str:
    """Apply line edits; indexes wrap around so every drawn edit applies somewhere."""
    lines = text.split("\n")
    for kind, i, j, insert in edits:
        here, there = i % len(lines), j % len(lines)
        line = lines[here]
        if kind == "delete" and len(lines) > 1:
            del lines[here]
        elif kind == "duplicate":
            lines.insert(here, lines[there])
        elif kind == "swap":
            lines[here], lines[there] = lines[there], line
        elif kind == "insert":
            cut = j % (len(line) + 1)
            lines[here] = line[:cut] + insert + line[cut:]
        elif kind == "indent":
            lines[here] = " " * (j % 9) + line.lstrip(" ")
        elif kind == "truncate":
            lines[here] = line[: j % (len(line) + 1)]
    return "\n".join(lines)


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate"]),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=10_000),
        st.text(alphabet=YAMLISH, min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=6,
)


@MANY
@given(st.sampled_from(BUILTINS), EDITS)
def test_mutated_built_in_routine_loads_or_lists_its_problems(
    builtin: tuple[str, str], edits: list[tuple[str, int, int, str]]
) -> None:
    name, text = builtin
    assert_loads_or_lists_problems(mutate(text, edits), name)


def test_unmutated_built_in_routines_take_the_success_path() -> None:
    # The mutation test above names each file after its routine, so harmless edits
    # (a comment line, a blank line) still load: both outcomes are exercised.
    assert all(assert_loads_or_lists_problems(text, name) for name, text in BUILTINS)


def test_mutation_leaves_the_text_alone_without_edits() -> None:
    assert mutate(BUILTIN_TEXTS[0], []) == BUILTIN_TEXTS[0]
    assert mutate("a\nb\nc", [("swap", 0, 2, "")]) == "c\nb\na"
    assert mutate("a\nb", [("indent", 1, 4, ""), ("insert", 0, 1, "!")]) == "a!\n    b"
