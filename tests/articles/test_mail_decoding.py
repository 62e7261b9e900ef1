"""The pure helpers of e-mail parsing: charsets, headers, HTML to Markdown, quotes."""

import base64

import pytest

from articles.mail.charsets import decode_bytes
from articles.mail.headers import (
    decode_header_value,
    header_params,
    message_ids,
    normalise_message_id,
    parse_address,
)
from articles.mail.html import html_to_markdown, sanitise_html
from articles.mail.quotes import split_quoted

GBK_ONLY = "百炼镕金，师兄李堃，王喆"  # 镕 堃 喆 are GBK, not GB2312
GB18030_ONLY = "表舅龚䶮，菜就会坏。🌿"  # 䶮 and the emoji need GB18030's four-byte codes
BIG5_TRAIL_5C = "許功蓋，灶粿"  # Big5 trail bytes 0x5C ('\\') and 0x5F ('_')


# Charsets


@pytest.mark.parametrize("label", ["gb2312", "GB2312", '"gb2312"', "gbk", "cp936", "euc-cn", "x-gbk"])
def test_gb_labels_decode_gbk_only_characters(label):
    assert decode_bytes(GBK_ONLY.encode("gbk"), label) == GBK_ONLY


def test_gb18030_four_byte_characters_survive_any_gb_label():
    data = GB18030_ONLY.encode("gb18030")
    assert decode_bytes(data, "gb18030") == GB18030_ONLY
    assert decode_bytes(data, "gbk") == GB18030_ONLY


def test_big5_label_with_backslash_trail_bytes_and_cp950_characters():
    data = BIG5_TRAIL_5C.encode("cp950")
    assert b"\\" in data and b"_" in data
    assert decode_bytes(data, "big5") == BIG5_TRAIL_5C
    euro_cp950 = "價格€".encode("cp950")  # € exists in cp950, not in plain Big5
    assert decode_bytes(euro_cp950, "big5") == "價格€"


def test_big5_label_falls_back_to_hkscs():
    text = "香港𡃁仔"  # 𡃁 is an HKSCS character
    assert decode_bytes(text.encode("big5hkscs"), "big5") == text


@pytest.mark.parametrize("label", ["us-ascii", "ascii", None, "", "iso-8859-1"])
def test_8bit_utf8_under_ascii_or_latin_labels_is_utf8(label):
    assert decode_bytes("阳台上的番茄".encode(), label) == "阳台上的番茄"


def test_unlabelled_gbk_is_guessed():
    assert decode_bytes("刘芳的借伞".encode("gbk"), None) == "刘芳的借伞"


def test_a_few_invalid_utf8_bytes_keep_the_body_utf8_with_replacements():
    data = "护士站亮着灯。".encode() + b"\xe4\xb8" + "码头扛大包".encode() + b"\xff\xfe" + "公交车".encode() + b"\xa0"
    text = decode_bytes(data, "utf-8")
    assert "护士站亮着灯。" in text and "码头扛大包" in text and "公交车" in text
    assert "\ufffd" in text


def test_utf8_label_on_a_whole_gbk_body_is_recognised_as_wrong():
    text = "这是一整段用 GBK 写成却标成 UTF-8 的稿件，每个汉字都不是合法的 UTF-8。"
    assert decode_bytes(text.encode("gbk"), "utf-8") == text


def test_unknown_label_is_guessed_and_utf16_bom_is_honoured():
    assert decode_bytes("稿件".encode(), "x-made-up") == "稿件"
    assert decode_bytes("稿件".encode("gb18030"), "x-made-up") == "稿件"
    assert decode_bytes("\ufeff稿件".encode("utf-16-le"), None) == "稿件"


# Headers


def test_encoded_words_of_different_charsets_join_without_the_space_between():
    value = f"{_word('投稿：', 'gbk')}\r\n {_word('散文《', 'utf-8')} {_word('阿嬤的灶腳》', 'big5')}"
    assert decode_header_value(value) == "投稿：散文《阿嬤的灶腳》"


def test_a_character_split_across_two_encoded_words_survives():
    data = "中篇小说".encode()
    value = f"=?UTF-8?B?{base64.b64encode(data[:4]).decode()}?= =?UTF-8?B?{base64.b64encode(data[4:]).decode()}?="
    assert decode_header_value(value) == "中篇小说"


def test_q_encoded_words_and_gb2312_labelled_gbk_words():
    q = "=?utf-8?Q?=E6=8A=95=E7=A8=BF_?= =?utf-8?q?=E5=A4=9C=E8=AF=BB?="
    assert decode_header_value(q) == "投稿 夜读"
    assert decode_header_value(_word("王喆", "gbk").replace("gbk", "gb2312")) == "王喆"


def test_raw_8bit_headers_and_text_around_encoded_words():
    raw = "投稿：月入三万".encode().decode("utf-8")  # what a parser keeps for 8-bit is tested in parse
    assert decode_header_value(raw) == "投稿：月入三万"
    assert decode_header_value(f"Re: {_word('借伞')} (2)") == "Re: 借伞 (2)"


def test_rfc2231_filename_with_continuations_and_charset():
    name = "山中来信（散文）.docx"
    encoded = "".join(f"%{b:02X}" for b in name.encode())
    value = f"attachment;\r\n filename*0*=utf-8''{encoded[:30]};\r\n filename*1*={encoded[30:]}"
    disposition, params = header_params(value)
    assert disposition == "attachment"
    assert params["filename"] == name


def test_rfc2231_with_a_gb2312_label_and_an_rfc2047_quoted_filename():
    gbk_name = "父亲的铸造厂（镕）.txt"
    encoded = "".join(f"%{b:02X}" for b in gbk_name.encode("gbk"))
    assert header_params(f"attachment; filename*=gb2312''{encoded}")[1]["filename"] == gbk_name
    foxmail = f'text/plain; charset="GBK"; name="{_word("老街的修表匠.txt", "gbk")}"'
    ctype, params = header_params(foxmail)
    assert ctype == "text/plain" and params["name"] == "老街的修表匠.txt" and params["charset"] == "GBK"


@pytest.mark.parametrize(
    "raw",
    [
        "<AbC.123@Mail.Example.COM>",
        "  <abc.123@mail.example.com>  ",
        "<abc.123@\r\n mail.example.com>",
        "abc.123@mail.example.com",
    ],
)
def test_message_id_is_normalised_however_folded_or_cased(raw):
    assert normalise_message_id(raw) == "abc.123@mail.example.com"


def test_references_are_every_id_in_order_without_repeats():
    value = "<a@x.cn>\r\n <B@x.cn> <a@x.cn>\t<c@y.cn>"
    assert message_ids(value) == ["a@x.cn", "b@x.cn", "c@y.cn"]
    assert message_ids("") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"=?GBK?B?1tzD99S2?=" <zhou@163.example.com>', ("周明远", "zhou@163.example.com")),
        (
            "MAILER-DAEMON@mx1.example.com (Mail Delivery System)",
            ("Mail Delivery System", "MAILER-DAEMON@mx1.example.com"),
        ),
        ("plain@example.com", ("", "plain@example.com")),
        ("财富导师小美 <xiaomei@promo.example.net>", ("财富导师小美", "xiaomei@promo.example.net")),
        ("no address at all", ("", "")),
    ],
)
def test_addresses(raw, expected):
    assert parse_address(raw) == expected


def _word(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


# HTML to Markdown


def test_html_structure_becomes_markdown():
    html = (
        "<h2>第一章</h2><p>他说：<b>别怕</b>，<i>慢慢来</i>。</p>"
        '<p>见 <a href="https://example.com/a">这里</a>。</p>'
        "<ul><li>一</li><li>二</li></ul><ol><li>甲</li><li>乙</li></ol>"
        "<blockquote>引用的话</blockquote><p>第一行<br>第二行</p>"
    )
    markdown = html_to_markdown(html)
    assert "## 第一章" in markdown
    assert "他说：**别怕**，*慢慢来*。" in markdown
    assert "[这里](https://example.com/a)" in markdown
    assert "- 一\n- 二\n\n1. 甲\n2. 乙" in markdown
    assert "1. 甲" in markdown and "2. 乙" in markdown
    assert "> 引用的话" in markdown
    assert "第一行\n第二行" in markdown


def test_webmail_paragraphs_entities_and_nbsp_indents():
    html = "&nbsp;&nbsp;&nbsp;&nbsp;春天来了。<br><br>&nbsp;&nbsp;&ldquo;一块五一把。&rdquo;<br><br>完"
    assert html_to_markdown(html) == "春天来了。\n\n“一块五一把。”\n\n完"


def test_html_is_sanitised_before_conversion():
    html = '<script>alert(1)</script><style>p{}</style><p onclick="x()">正文</p><a href="javascript:alert(1)">链接</a>'
    cleaned = sanitise_html(html)
    assert "script" not in cleaned and "onclick" not in cleaned and "javascript" not in cleaned
    markdown = html_to_markdown(html)
    assert "alert" not in markdown and "p{}" not in markdown
    assert "正文" in markdown and "链接" in markdown


# Quotes and signatures


@pytest.mark.parametrize(
    "marker",
    [
        "发自我的iPhone",
        "-- ",
        "------------------ 原始邮件 ------------------",
        "-----Original Message-----",
        "在 2024年3月11日 21:12，周明远 写道：",
        "周明远 <zhou@163.example.com> 于2024年3月11日周一 21:12写道：",
        "On Mon, Mar 11, 2024 at 9:12 PM Zhou <zhou@163.example.com> wrote:",
        "Sent from my iPhone",
    ],
)
def test_quoted_replies_and_signatures_are_set_apart(marker):
    own, quoted = split_quoted(f"编辑您好：\n\n这是修改后的稿子。\n\n{marker}\n> 原来的稿子\n旧的内容")
    assert own == "编辑您好：\n\n这是修改后的稿子。"
    assert quoted.startswith(marker.strip())
    assert "旧的内容" in quoted


def test_english_attribution_wrapped_over_two_lines_and_outlook_header_blocks():
    wrapped = "新稿在此。\n\nOn Mon, Mar 11, 2024 at 9:12 PM Zhou\n<zhou@163.example.com> wrote:\n> old"
    assert split_quoted(wrapped)[0] == "新稿在此。"
    outlook = "新稿在此。\n\n发件人: 周明远\n发送时间: 2024年3月11日 21:12\n收件人: tougao\n旧稿"
    assert split_quoted(outlook)[0] == "新稿在此。"


def test_a_story_that_writes_about_writing_is_not_cut():
    text = "父亲在信里写道：\n“家里一切都好。”\n他在 1983 年的日记里写道：\n“雨很大。”"
    assert split_quoted(text) == (text, "")


def test_a_forwarded_manuscript_is_the_manuscript_but_a_lone_signature_is_not():
    forwarded = "---------- Forwarded message ---------\n发件人: 我\n日期: 2024年3月1日\n\n稿件正文"
    assert split_quoted(forwarded)[0] == forwarded
    assert split_quoted("发自我的iPhone") == ("", "发自我的iPhone")


def test_a_closing_quote_block_is_a_quote_but_a_quotation_inside_the_text_is_not():
    own, quoted = split_quoted("新的一稿在此。\n\n> 旧稿第一段\n>\n> 旧稿第二段\n")
    assert own == "新的一稿在此。" and quoted == "> 旧稿第一段\n>\n> 旧稿第二段"
    manuscript = "他翻开旧书：\n\n> 春眠不觉晓\n\n然后合上了。"
    assert split_quoted(manuscript) == (manuscript, "")


def test_inline_quoted_lines_of_a_reply_move_out_of_the_text():
    own, quoted = split_quoted("> 您的问题\n我的回答\n> 另一个问题\n第二个回答\n\n发自我的iPhone")
    assert own == "我的回答\n第二个回答"
    assert "> 您的问题" in quoted and "> 另一个问题" in quoted and "发自我的iPhone" in quoted
