"""The editor's review preview leaves out 来源 when the article names no source."""

from tests.articles.conftest import make_submitted


def test_an_empty_source_is_not_shown_as_a_dash(client, author, editor):
    bare = make_submitted(author, source="")
    sourced = make_submitted(author, title="有来源的文章")
    client.force_login(editor)
    page = client.get(f"/editor/articles/{bare.pk}/").content.decode()
    assert "来源 | —" not in page and "作者 | 林小满" in page
    assert "来源 | 增长实验室" in client.get(f"/editor/articles/{sourced.pk}/").content.decode()
