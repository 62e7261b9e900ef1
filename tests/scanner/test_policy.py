"""The verdict follows the strongest action among the findings."""

from moderation.scanner.policy import verdict
from moderation.scanner.results import Finding


def finding(action, category=3):
    return Finding(f"{category}.1", category, "lexicon", "body", 0, 1, "x", 0.5, action)


def test_no_findings_allow():
    assert verdict([]) == "allow"


def test_any_block_blocks():
    assert verdict([finding("review"), finding("block"), finding("flag")]) == "block"


def test_review_without_block_reviews():
    assert verdict([finding("flag"), finding("review")]) == "review"


def test_a_single_flag_only_informs():
    assert verdict([finding("flag")]) == "allow"


def test_flags_add_up_to_review():
    assert verdict([finding("flag")] * 3) == "review"
    assert verdict([finding("flag", 2), finding("flag", 3), finding("flag", 4)]) == "review"


def test_result_to_dict_has_the_contract_keys():
    from moderation.scanner import scan

    data = scan("", "加我微信 abc_2024 领资料").to_dict()
    assert data["verdict"] == "block"
    assert set(data["findings"][0]) == {
        "rule",
        "category",
        "detector",
        "field",
        "start",
        "end",
        "match",
        "score",
        "action",
    }


def test_reviews_in_two_categories_add_up_to_block():
    assert verdict([finding("review", 5), finding("review", 7)]) == "block"


def test_three_reviews_in_one_category_add_up_to_block():
    assert verdict([finding("review", 2)] * 2) == "review"
    assert verdict([finding("review", 2)] * 3) == "block"


def test_a_violation_repeated_thousands_of_times_keeps_a_bounded_number_of_findings():
    from moderation.scanner import scan
    from moderation.scanner.pipeline import MAX_FINDINGS_PER_RULE

    result = scan("", "傻逼" * 5000)
    assert result.verdict == "block"
    abuse = [f for f in result.findings if f.rule == "2.6"]
    assert len(abuse) == MAX_FINDINGS_PER_RULE
    assert len(result.findings) < 3 * MAX_FINDINGS_PER_RULE
