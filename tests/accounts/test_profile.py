import pytest

from accounts.models import AuthorApplication

pytestmark = pytest.mark.django_db


def test_profile_shows_identity_roles_and_the_later_sections_as_empty_states(client, reader):
    client.force_login(reader)
    text = client.get("/accounts/me/").content.decode()
    for expected in [
        reader.username,
        reader.email,
        "已验证",
        "读者",
        "你目前没有处罚记录",
        "你还没有提交过申诉",
        "还没有通知",
        "你还没有举报过内容",
    ]:
        assert expected in text


def test_profile_shows_a_pending_application(client, reader):
    AuthorApplication.objects.create(user=reader, pen_name="候选笔名", bio="简介", motivation="申请的理由写在这里。")
    client.force_login(reader)
    assert "候选笔名" in client.get("/accounts/me/").content.decode()


def test_author_edits_pen_name_and_bio(client, author):
    client.force_login(author)
    response = client.post("/accounts/me/edit/", {"pen_name": "赵四", "bio": "写增长。"}, follow=True)
    author.refresh_from_db()
    assert (author.pen_name, author.bio) == ("赵四", "写增长。")
    assert "资料已保存" in response.content.decode()


def test_author_cannot_blank_the_pen_name(client, author):
    client.force_login(author)
    response = client.post("/accounts/me/edit/", {"pen_name": "", "bio": ""})
    assert response.status_code == 400
    assert "作者需要一个笔名" in response.content.decode()
    author.refresh_from_db()
    assert author.pen_name == "赵三"


def test_reader_is_sent_to_the_author_programme_to_get_a_pen_name(client, reader):
    client.force_login(reader)
    response = client.post("/accounts/me/edit/", {"pen_name": "自封笔名", "bio": ""})
    assert response.status_code == 302 and response["Location"] == "/become-author/"
    reader.refresh_from_db()
    assert reader.pen_name == ""
