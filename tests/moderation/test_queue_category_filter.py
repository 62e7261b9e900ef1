"""The queue's category filter names each category as the convention does."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_category_filter_shows_number_and_name_from_the_convention(client, moderator, convention):
    client.force_login(moderator)
    page = client.get("/moderation/?category=2").content.decode()
    select = re.search(r'<select id="f-category".*?</select>', page, re.S).group(0)
    assert "第 1 类" not in select
    assert '<option value="1">1 违法信息</option>' in select
    assert '<option value="2" selected>2 不友善</option>' in select
    assert len(re.findall(r'<option value="\d">\d \S+</option>', select.replace(" selected", ""))) == 9
