"""CI's two passes (.ci/run) together run every test, and run twice exactly the database tests marked
`both_engines` (conftest.py: ci_passes; docs/testing.md, "CI time")."""

import re
from pathlib import Path

import pytest
from _pytest.mark import MarkMatcher
from _pytest.mark.expression import Expression

CI_RUN = Path(__file__).parents[1] / ".ci" / "run"


def selection(variable: str) -> Expression:
    """The `-m` expression .ci/run gives one pass."""
    found = re.search(rf'^{variable}="([^"]*)"$', CI_RUN.read_text(), re.MULTILINE)
    assert found, f".ci/run sets {variable}"
    return Expression.compile(found.group(1))


def expected_passes(item: pytest.Item) -> set[str]:
    """The rule docs/testing.md states, written out once more."""
    marked = {mark.name for mark in item.iter_markers()}
    if marked & {"browser", "platform_build", "sqlite"}:
        return {"sqlite"}
    if "postgresql" in marked:
        return {"postgresql"}
    if "both_engines" in marked and not marked & {"no_database", "platform"}:
        return {"sqlite", "postgresql"}
    return {"one of them"}


def test_every_test_runs_in_one_ci_pass_and_the_both_engines_database_tests_in_both(
    collected_tests: list[pytest.Item],
) -> None:
    passes = {"sqlite": selection("SQLITE_TESTS"), "postgresql": selection("PG_TESTS")}
    wrong = []
    for item in collected_tests:
        matcher = MarkMatcher.from_markers(item.iter_markers())
        selected = {name for name, expression in passes.items() if expression.evaluate(matcher)}
        expected = expected_passes(item)
        if selected != expected and not (expected == {"one of them"} and len(selected) == 1):
            wrong.append(f"{item.nodeid}: {sorted(selected) or 'no pass'}, expected {sorted(expected)}")
    assert collected_tests and not wrong, "\n".join(wrong[:20])
