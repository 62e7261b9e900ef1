"""The header's navigation per role (templates/includes/site_header.html), rendered as each role."""

import re

import pytest

from accounts import roles
from tests.factories import UserFactory


def nav_links(client, user=None) -> list[str]:
    if user is not None:
        client.force_login(user)
    html = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>|\s+", "", text) for text in re.findall(r"<(?:a|summary|button)\b[^>]*>(.*?)</", nav, re.S)]


@pytest.mark.django_db
def test_a_visitor_sees_submit_and_sign_in(client):
    assert nav_links(client) == ["首页", "投稿", "登录", "注册"]


@pytest.mark.parametrize(
    ("role_names", "present", "absent"),
    [
        ([roles.READER], {"投稿", "成为作者", "更多", "退出"}, {"我的文章", "编辑台", "治理队列", "回收站"}),
        ([roles.READER, roles.AUTHOR], {"写文章", "我的文章", "回收站"}, {"成为作者", "编辑台"}),
        ([roles.READER, roles.EDITOR], {"编辑台", "回收站", "作者申请"}, {"成为作者", "我的文章", "治理队列"}),
        ([roles.READER, roles.MODERATOR], {"治理队列"}, {"成为作者", "我的文章", "编辑台"}),
        (
            [roles.READER, roles.AUTHOR, roles.EDITOR, roles.MODERATOR],
            {"编辑台", "治理队列", "我的文章", "写文章"},
            {"成为作者"},
        ),
    ],
)
def test_each_role_sees_its_own_links(client, db, role_names, present, absent):
    links = set(nav_links(client, UserFactory(roles=role_names)))
    assert present <= links, links
    assert not (absent & links), links


def test_staff_keep_few_links_in_the_row_and_the_rest_in_more(client, db):
    staff = UserFactory(pen_name="老周", roles=[roles.READER, roles.AUTHOR, roles.EDITOR, roles.MODERATOR])
    client.force_login(staff)
    html = client.get("/").content.decode()
    row = re.search(r'<div class="nav-links">(.*?)</div>', html, re.S).group(1)
    row_links = [re.sub(r"<[^>]+>|\s+", "", t) for t in re.findall(r"<a\b[^>]*>(.*?)</a>", row, re.S)]
    assert row_links[:3] == ["首页", "编辑台", "治理队列"] and len(row_links) == 4  # and the notices
    more = re.search(r'<details class="nav-more">(.*?)</details>', html, re.S).group(1)
    assert "我的账号（老周）" in more and "我的文章" in more and "退出" in more
