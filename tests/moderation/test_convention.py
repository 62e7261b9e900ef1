import pytest
from django.core.exceptions import ValidationError

from moderation.models import ConventionVersion, Rule
from moderation.services import convention_load

SMALL = {
    "version": "t1",
    "title": "测试公约",
    "categories": [
        {
            "number": 2,
            "name": "不友善",
            "rules": [
                {"code": "2.6", "title": "谩骂", "text": "不要骂人。", "severity": "medium"},
            ],
        }
    ],
}


@pytest.mark.django_db
def test_loading_a_new_version_makes_it_the_only_current_one():
    old = convention_load(data=SMALL)
    new = convention_load(data={**SMALL, "version": "t2"})
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert ConventionVersion.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"code": "2.6", "title": "x", "text": "x", "severity": "extreme"}, "严重程度无效"),
        ({"code": "3.1", "title": "x", "text": "x", "severity": "low"}, "不属于第 2 类"),
    ],
)
def test_bad_convention_data_is_refused_and_nothing_is_saved(rule, message):
    data = {**SMALL, "categories": [{"number": 2, "name": "不友善", "rules": [rule]}]}
    with pytest.raises(ValidationError, match=message):
        convention_load(data=data)
    assert not ConventionVersion.objects.exists()
    assert not Rule.objects.exists()


@pytest.mark.django_db
def test_convention_page_lists_every_rule_of_the_version_in_force(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/convention/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "社区公约" in text and "封建迷信" in text and 'id="rule-9.4"' in text
