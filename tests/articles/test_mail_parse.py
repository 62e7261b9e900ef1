"""articles.mail.parse on messages written for these tests (tests/articles/mailcraft.py)."""

import base64

import pytest

from articles.mail.parse import AUTO_REPLY, BOUNCE, BULK, SUBMISSION, Unparseable, parse_message, read_headers
from tests.articles import mailcraft as m

LIMIT = 1024 * 1024
STORY = "老街拐角有一间不足六平方米的修表铺。谭师傅修表时一动不动，像是和齿轮一起停住了时间。"


def parse(raw: bytes, limit: int = LIMIT):
    return parse_message(raw, max_attachment_bytes=limit)


# Charsets of whole messages


def test_gbk_base64_body_and_gbk_encoded_words():
    raw = m.message(
        [
            ("From", f"{m.word('刘芳', 'gbk')} <liufang@163.example.com>"),
            ("Subject", m.word("投稿：小小说《借伞》", "gbk")),
            ("Message-ID", "<a1@163.example.com>"),
            ("Content-Type", "text/plain; charset=GBK"),
            ("Content-Transfer-Encoding", "base64"),
        ],
        m.b64("收银台后面的小姑娘，一罐自己腌的糖桂花。".encode("gbk")),
    )
    parsed = parse(raw)
    assert parsed.kind == SUBMISSION
    assert parsed.title == "投稿：小小说《借伞》"
    assert (parsed.headers.sender_name, parsed.headers.sender_email) == ("刘芳", "liufang@163.example.com")
    assert parsed.text == "收银台后面的小姑娘，一罐自己腌的糖桂花。"


def test_gb2312_label_on_gbk_characters_in_body_and_from_quoted_printable():
    text = "木匾上刻着“百炼镕金”四个大字。他的师兄叫李堃。"
    raw = m.message(
        [
            ("From", f'"{m.word("王喆", "gbk").replace("gbk", "gb2312")}" <wang.zhe@outlook.example.com>'),
            ("Subject", "=?gb2312?B?zba45Q==?="),
            ("Message-ID", "<a2@x>"),
            ("Content-Type", 'text/plain; charset="gb2312"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        m.qp(text.encode("gbk")),
    )
    parsed = parse(raw)
    assert parsed.headers.sender_name == "王喆"
    assert parsed.title == "投稿"
    assert parsed.text == text


def test_gb18030_html_alternative_with_four_byte_characters():
    text = "表舅龚䶮从河滩上挑来的，菜就会坏。🌿"
    alternative = m.multipart(
        "alt",
        [m.text_part(text, charset="gb18030"), m.text_part(f"<p>{text}</p>", subtype="html", charset="gb18030")],
    )
    raw = m.message([*m.envelope(), ("Content-Type", 'multipart/alternative; boundary="alt"')], alternative)
    assert parse(raw).text == text


def test_big5_8bit_body_with_backslash_trail_bytes():
    text = "鍋蓋是阿公親手做的。做粿要有功夫。許美玲"
    raw = m.plain(text, charset="cp950", label="big5", cte="8bit")
    assert b"\\" in raw
    assert parse(raw).text == text


def test_utf8_quoted_printable_with_soft_breaks_inside_characters_keeps_poem_lines():
    poem = "卖气球的老人\n把半个城市的晚饭\n系在手上\n\n被一盏路灯认了出来"
    encoded = m.qp(poem.encode()).replace(b"=E5=8D=96", b"=E5=\r\n=8D=96")  # a soft break inside 卖
    raw = m.message(
        [
            *m.envelope(),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        encoded,
    )
    assert parse(raw).text == poem


def test_us_ascii_label_on_raw_utf8_and_raw_8bit_headers():
    raw = m.message(
        [
            ("From", "财富导师小美 <xiaomei@promo.example.net>".encode()),
            ("Subject", "投稿：阳台上的番茄".encode()),
            ("Message-ID", "<a3@x>"),
            ("Content-Type", "text/plain; charset=us-ascii"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        "用旧鞋带把它们绑在一起，吃得格外郑重。".encode(),
    )
    parsed = parse(raw)
    assert parsed.title == "投稿：阳台上的番茄"
    assert parsed.headers.sender_name == "财富导师小美"
    assert parsed.text == "用旧鞋带把它们绑在一起，吃得格外郑重。"
    assert "\ufffd" not in parsed.text


def test_raw_8bit_big5_headers_are_read_in_the_charset_the_body_declares():
    raw = m.message(
        [
            ("From", "許美玲 <hsu@yahoo.example.net>".encode("cp950")),
            ("Subject", "投稿：阿嬤的灶腳".encode("cp950")),
            ("Message-ID", "<b5@x>"),
            ("Content-Type", 'text/plain; charset="big5"'),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        "鍋蓋是阿公親手做的。".encode("cp950"),
    )
    parsed = parse(raw)
    assert (parsed.title, parsed.headers.sender_name) == ("投稿：阿嬤的灶腳", "許美玲")
    assert read_headers(raw).subject == "投稿：阿嬤的灶腳"


def test_the_signature_of_a_signed_message_is_not_an_attachment():
    signed = m.multipart(
        "sig", [m.text_part(STORY), m.file_part('filename="smime.p7s"', "application/pkcs7-signature", b"0\x82")]
    )
    raw = m.message(
        [*m.envelope(), ("Content-Type", 'multipart/signed; protocol="application/pkcs7-signature"; boundary="sig"')],
        signed,
    )
    parsed = parse(raw)
    assert parsed.text == STORY and parsed.attachments == []


def test_invalid_utf8_bytes_are_replaced_not_refused():
    body = "只有走廊尽头的护士站亮着灯。".encode() + b"\xe4\xb8 \xff\xfe" + "第一班公交车驶过。".encode()
    raw = m.message(
        [
            *m.envelope(),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        m.qp(body),
    )
    parsed = parse(raw)
    assert "只有走廊尽头的护士站亮着灯。" in parsed.text and "第一班公交车驶过。" in parsed.text


def test_format_flowed_lines_are_joined():
    raw = m.message(
        [
            *m.envelope(),
            ("Content-Type", "text/plain; charset=utf-8; format=flowed"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        "第一句很长， \r\n接着写完。\r\n\r\n第二段。\r\n",
    )
    assert parse(raw).text == "第一句很长， 接着写完。\n\n第二段。"


# Where the manuscript is


def test_html_only_mail_becomes_markdown():
    html = "<div>&nbsp;&nbsp;菜市场是<b>最早</b>知道春天的地方。<br><br>&ldquo;一块五一把。&rdquo;</div>"
    raw = m.message(
        [*m.envelope(), ("Content-Type", "text/html; charset=utf-8"), ("Content-Transfer-Encoding", "base64")],
        m.b64(html.encode()),
    )
    parsed = parse(raw)
    assert parsed.text == "菜市场是**最早**知道春天的地方。\n\n“一块五一把。”"
    assert parsed.text_source == "html"


def test_the_html_alternative_wins_when_the_text_one_says_almost_nothing():
    parts = [m.text_part("请使用支持 HTML 的邮件客户端。"), m.text_part(f"<p>{STORY}</p>", subtype="html")]
    raw = m.with_parts("alternative", parts)
    assert parse(raw).text == STORY


def test_txt_attachment_in_gbk_with_rfc2047_filename_is_the_manuscript():
    cover = m.text_part("编辑老师您好！附件是我的散文。\n\n周明远")
    attachment = m.file_part(
        f'filename="{m.word("老街的修表匠.txt", "gbk")}"', 'text/plain; charset="GBK"', STORY.encode("gbk")
    )
    parsed = parse(m.with_parts("mixed", [cover, attachment]))
    assert [a.filename for a in parsed.attachments] == ["老街的修表匠.txt"]
    assert parsed.text == STORY and parsed.text_source == "attachment"
    assert parsed.cover_note == "编辑老师您好！附件是我的散文。\n\n周明远"
    assert parsed.attachments[0].is_manuscript


def test_markdown_attachment_and_a_png_cover_candidate():
    markdown = "# 雨夜的末班车\n\n七路公交车从终点站开出。\n\n整座城市只有这辆车醒着。"
    parts = [
        m.text_part("附上稿件和封面。"),
        m.file_part(
            'filename="=?UTF-8?B?6Zuo5aSc55qE5pyr54+t6L2mLm1k?="', "text/markdown; charset=utf-8", markdown.encode()
        ),
        m.file_part('filename="cover.png"', "image/png", m.PNG_1PX),
    ]
    parsed = parse(m.with_parts("mixed", parts))
    assert [a.filename for a in parsed.attachments] == ["雨夜的末班车.md", "cover.png"]
    assert parsed.text == markdown
    cover = parsed.attachments[1]
    assert cover.is_image and cover.data == m.PNG_1PX and not cover.is_manuscript


def test_docx_attachment_named_only_by_rfc2231():
    document = m.docx_bytes(
        [
            ("山中来信", "Heading 1"),
            ("我在云岭深处的一所村小支教。", None),
            ("放在你的口袋里", "bold"),
            ("第一件", "List Bullet"),
        ]
    )
    name = "山中来信（散文）.docx"
    encoded = "".join(f"%{b:02X}" for b in name.encode())
    attachment = m.file_part(
        f"filename*=utf-8''{encoded}",
        f"application/vnd.openxmlformats-officedocument.wordprocessingml.document; name*=utf-8''{encoded}",
        document,
    )
    parsed = parse(m.with_parts("mixed", [m.text_part("稿件见附件。"), attachment]))
    assert parsed.attachments[0].filename == name
    assert parsed.text == "# 山中来信\n\n我在云岭深处的一所村小支教。\n\n**放在你的口袋里**\n\n- 第一件"


def test_html_attachment_with_its_own_meta_charset():
    html = '<html><head><meta charset="gbk"></head><body><p>谭师傅的工作台靠着窗。</p></body></html>'
    attachment = m.file_part('filename="revised.html"', "text/html", html.encode("gbk"))
    parsed = parse(m.with_parts("mixed", [m.text_part("修改稿见附件。"), attachment]))
    assert parsed.text == "谭师傅的工作台靠着窗。"


def test_a_long_body_with_a_short_attachment_keeps_the_body():
    bio = m.file_part('filename="作者简介.txt"', "text/plain; charset=utf-8", "作者，八〇后。".encode())
    parsed = parse(m.with_parts("mixed", [m.text_part(STORY * 5), bio]))
    assert parsed.text == STORY * 5 and parsed.text_source == "body"
    assert not parsed.attachments[0].is_manuscript and parsed.attachments[0].text == "作者，八〇后。"


def test_of_several_documents_the_longest_is_the_manuscript():
    parts = [
        m.text_part("两份附件。"),
        m.file_part('filename="a.txt"', "text/plain; charset=utf-8", "短的说明。".encode()),
        m.file_part('filename="b.md"', "text/markdown; charset=utf-8", STORY.encode()),
    ]
    parsed = parse(m.with_parts("mixed", parts))
    assert parsed.text == STORY
    assert [a.is_manuscript for a in parsed.attachments] == [False, True]


def test_a_broken_docx_is_kept_with_the_reason():
    parsed = parse(
        m.with_parts(
            "mixed", [m.text_part(STORY), m.file_part('filename="x.docx"', "application/octet-stream", b"PK-not-a-zip")]
        )
    )
    assert parsed.text == STORY
    assert "Word" in parsed.attachments[0].error and parsed.attachments[0].data == b"PK-not-a-zip"


def test_an_attachment_over_the_limit_is_listed_with_the_reason_and_not_kept():
    big = m.file_part('filename="photo.jpg"', "image/jpeg", b"\xff\xd8" + b"0" * 5000)
    parsed = parse(m.with_parts("mixed", [m.text_part(STORY), big]), limit=1000)
    photo = parsed.attachments[0]
    assert photo.data is None and photo.size == 5002
    assert "超过单个附件上限" in photo.skipped_reason and "photo.jpg" in photo.skipped_reason
    assert photo.skipped_reason in parsed.notes


def test_quoted_original_and_signature_are_set_apart_in_a_reply():
    separator = "------------------ 原始邮件 ------------------"
    body = f'编辑老师您好：\n\n我又改了一稿。\n\n周明远\n\n{separator}\n发件人: "周明远"\n\n{STORY}'
    parsed = parse(m.plain(body))
    assert parsed.text == "编辑老师您好：\n\n我又改了一稿。\n\n周明远"
    assert STORY in parsed.quoted


def test_iphone_signature_is_set_apart():
    parsed = parse(m.plain(f"{STORY}\n\n发自我的iPhone"))
    assert parsed.text == STORY and parsed.quoted == "发自我的iPhone"


def test_empty_body_has_no_text():
    raw = m.message([*m.envelope(), ("Content-Type", "text/plain; charset=us-ascii")], b"")
    parsed = parse(raw)
    assert parsed.kind == SUBMISSION and parsed.text == "" and parsed.attachments == []


def test_missing_closing_boundary_still_reads_the_complete_text_part():
    parts = [m.text_part(STORY), b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>\xe8\x80\x81\xe8\xa1\x97<di"]
    raw = m.with_parts("alternative", parts, close=False, extra=None)
    parsed = parse(raw.replace(b"Date: Mon, 11 Mar 2024 21:12:45 +0800\r\n", b""))
    assert parsed.text == STORY
    assert parsed.headers.date is None
    assert any("结束分界线" in note for note in parsed.notes)


# Unparseable


def test_a_boundary_that_never_appears_is_unparseable_with_a_reason():
    body = m.multipart("other-boundary", [m.text_part(STORY)])
    raw = m.message([*m.envelope(), ("Content-Type", 'multipart/alternative; boundary="declared"')], body)
    with pytest.raises(Unparseable) as caught:
        parse(raw)
    assert "分界线" in caught.value.reason and "declared" in caught.value.reason
    assert read_headers(raw).subject == "投稿：测试稿件"  # the headers are still there for triage


def test_no_sender_address_is_unparseable():
    raw = m.message([("Subject", "投稿"), ("Content-Type", "text/plain; charset=utf-8")], STORY)
    with pytest.raises(Unparseable, match="发件人"):
        parse(raw)


# Kinds


@pytest.mark.parametrize(
    "extra",
    [
        [("Auto-Submitted", "auto-replied")],
        [("Auto-Submitted", "auto-generated; owner-email=x@y")],
        [("X-Autoreply", "yes")],
        [("X-Autorespond", "Out of office")],
        [("Precedence", "auto_reply")],
    ],
)
def test_auto_reply_headers(extra):
    assert parse(m.plain(STORY, extra=extra)).kind == AUTO_REPLY


@pytest.mark.parametrize(
    "subject",
    [
        "自动回复：稿件已收到",
        "自動回覆：休假中",
        "Auto Reply: on leave",
        "Automatic reply: 投稿",
        "Out of Office: 3月",
        "Re: 自动回复：稿件",
    ],
)
def test_auto_reply_subjects(subject):
    assert parse(m.plain(STORY, subject=subject)).kind == AUTO_REPLY


@pytest.mark.parametrize("subject", ["自动回复的秘密", "投稿：外出", "Auto Replyer 的一天", "Out of Officeland"])
def test_manuscripts_whose_titles_start_like_an_auto_reply_are_manuscripts(subject):
    assert parse(m.plain(STORY, subject=subject)).kind == SUBMISSION


def test_auto_submitted_no_is_a_person():
    assert parse(m.plain(STORY, extra=[("Auto-Submitted", "no")])).kind == SUBMISSION


@pytest.mark.parametrize(
    "extra",
    [
        [("Precedence", "bulk")],
        [("Precedence", "list")],
        [("Precedence", "junk")],
        [("List-Id", "文学周刊 <weekly.example.net>")],
        [("List-Unsubscribe", "<mailto:unsubscribe@weekly.example.net>")],
    ],
)
def test_bulk_and_list_mail(extra):
    assert parse(m.plain("本期征稿主题：城市与河流。投稿请回复。", extra=extra)).kind == BULK


def test_delivery_status_report_is_a_bounce_even_with_auto_submitted():
    report = m.part([("Content-Type", "message/delivery-status")], "Status: 5.1.1\r\nAction: failed\r\n")
    raw = m.message(
        [
            *m.envelope(sender="MAILER-DAEMON@mx.example.com (Mail Delivery System)", subject="Undelivered Mail"),
            ("Auto-Submitted", "auto-replied"),
            ("Content-Type", 'multipart/report; report-type=delivery-status; boundary="r"'),
        ],
        m.multipart("r", [m.text_part("I'm sorry to have to inform you"), report]),
    )
    parsed = parse(raw)
    assert parsed.kind == BOUNCE
    assert parsed.headers.sender_name == "Mail Delivery System"


@pytest.mark.parametrize("sender", ["postmaster@example.com", "Mailer-Daemon <mailer-daemon@mx.example.com>"])
def test_daemon_senders_are_bounces(sender):
    assert parse(m.plain("Delivery failed", sender=sender)).kind == BOUNCE


def test_read_receipts_are_auto_replies_not_bounces():
    raw = m.message(
        [*m.envelope(), ("Content-Type", 'multipart/report; report-type=disposition-notification; boundary="r"')],
        m.multipart("r", [m.text_part("已读")]),
    )
    assert parse(raw).kind == AUTO_REPLY


def test_threading_headers_are_read():
    raw = m.plain(
        STORY, extra=[("In-Reply-To", "<Orig@163.Example.com>"), ("References", "<root@x>\r\n <Orig@163.example.com>")]
    )
    headers = parse(raw).headers
    assert headers.in_reply_to == ["orig@163.example.com"]
    assert headers.references == ["root@x", "orig@163.example.com"]


def test_a_message_as_the_standard_library_writes_it():
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "陈思远 <siyuan@example.cn>"
    mail["To"] = "tougao@yumao.example"
    mail["Subject"] = "投稿：一个很长很长的标题，长到生成器一定会把它折成好几个编码词，看看能不能原样拼回来"
    mail["Message-ID"] = "<stdlib@example.cn>"
    mail.set_content("编辑您好，稿件见附件。")
    mail.add_attachment(
        STORY.encode("gb18030"), maintype="text", subtype="plain", filename="一篇名字很长的稿件（定稿）.txt"
    )
    mail.add_attachment(m.PNG_1PX, maintype="image", subtype="png", filename="封面.png")
    parsed = parse(mail.as_bytes())
    assert parsed.title == "投稿：一个很长很长的标题，长到生成器一定会把它折成好几个编码词，看看能不能原样拼回来"
    assert [a.filename for a in parsed.attachments] == ["一篇名字很长的稿件（定稿）.txt", "封面.png"]
    assert parsed.text == STORY and parsed.cover_note == "编辑您好，稿件见附件。"


def test_an_outlook_file_name_split_over_several_encoded_words_inside_quotes():
    name = "父亲的铸造厂——一篇关于百炼镕金的随笔（第三稿）.txt"
    data = name.encode("gbk")
    words = [f"=?gb2312?B?{base64.b64encode(data[i : i + 12]).decode()}?=" for i in range(0, len(data), 12)]
    attachment = m.file_part(
        'filename="' + "\r\n ".join(words) + '"', "text/plain; charset=gb2312", STORY.encode("gbk")
    )
    parsed = parse(m.with_parts("mixed", [m.text_part("附件。"), attachment]))
    assert parsed.attachments[0].filename == name
