"""The penalty and priority policies (moderation.policies) as properties: monotone in
severity, history and aggravation, capped at a ban, and only counting what still counts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.policies import BAN_STEP, PolicyConfig, case_priority, propose_step, reporter_accuracy

CONFIG = PolicyConfig()
SEVERITIES = ["low", "medium", "high", "critical"]
AGGRAVATIONS = ["minors", "cheating", "multi_account"]

severity = st.sampled_from(SEVERITIES)
history = st.integers(min_value=0, max_value=50)
aggravations = st.sets(st.sampled_from(AGGRAVATIONS))


def step(sev, hist, aggs):
    return propose_step(severity=sev, prior_violations=hist, aggravations=aggs, config=CONFIG).step


@given(severity, severity, history, aggravations)
def test_more_severity_never_gives_a_lighter_step(a, b, hist, aggs):
    lo, hi = sorted([a, b], key=SEVERITIES.index)
    assert step(lo, hist, aggs) <= step(hi, hist, aggs)


@given(severity, history, history, aggravations)
def test_more_history_never_gives_a_lighter_step(sev, h1, h2, aggs):
    assert step(sev, min(h1, h2), aggs) <= step(sev, max(h1, h2), aggs)


@given(severity, history, aggravations, aggravations)
def test_more_aggravation_never_gives_a_lighter_step(sev, hist, a1, a2):
    assert step(sev, hist, a1) <= step(sev, hist, a1 | a2)


@given(severity, history, aggravations)
def test_the_step_is_capped_at_a_ban_and_never_negative(sev, hist, aggs):
    result = propose_step(severity=sev, prior_violations=hist, aggravations=aggs, config=CONFIG)
    assert 0 <= result.step <= BAN_STEP
    assert result.capped == (result.base + hist + len(aggs) > BAN_STEP)


def test_the_numbers_of_the_spec():
    # PRODUCT §5: base low 0, medium 1, high 2, critical 4; +1 per prior violation and aggravation
    assert step("low", 0, set()) == 0  # a warning
    assert step("medium", 0, set()) == 1  # mute 1 day
    assert step("medium", 1, set()) == 2  # mute 7 days
    assert step("high", 0, {"minors"}) == 3  # mute 15 days
    assert step("critical", 0, set()) == 4  # permanent mute
    assert step("critical", 1, set()) == 5  # ban
    assert step("critical", 3, set(AGGRAVATIONS)) == 5


def test_the_same_aggravation_twice_counts_once():
    assert propose_step(
        severity="low", prior_violations=0, aggravations=["minors", "minors"], config=CONFIG
    ).aggravations == ("minors",)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        propose_step(severity="extreme", prior_violations=0, aggravations=[], config=CONFIG)
    with pytest.raises(ValueError):
        propose_step(severity="low", prior_violations=-1, aggravations=[], config=CONFIG)


@given(st.integers(0, 100), st.integers(0, 100))
def test_reporter_accuracy_is_a_smoothed_share(upheld, rejected):
    accuracy = reporter_accuracy(upheld=upheld, rejected=rejected)
    assert 0 < accuracy < 1
    assert reporter_accuracy(upheld=upheld + 1, rejected=rejected) > accuracy


@given(severity, st.lists(st.floats(0, 1), max_size=20), st.floats(0, 1), st.booleans())
def test_priority_grows_with_reporters_severity_and_escalation(sev, accuracies, score, has_scan):
    def p(**over):
        values = dict(
            severity=sev, reporter_accuracies=accuracies, scan_score=score, has_scan=has_scan, escalated=False
        )
        values.update(over)
        return case_priority(config=CONFIG, **values)

    assert p(reporter_accuracies=[*accuracies, 0.5]) > p()
    assert p(escalated=True) > p()
    worse = SEVERITIES[min(SEVERITIES.index(sev) + 1, 3)]
    assert p(severity=worse) >= p()
