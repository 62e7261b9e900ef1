"""Raw e-mails for the tests of the mail doors and the triage, written the way real Chinese
mail clients write them (GBK body, RFC 2047 subject, attachments with RFC 2231 names)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import encoders
from email.header import Header
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from io import BytesIO

from PIL import Image

MANUSCRIPT = (
    "私域流量的三次转折\n\n"
    "过去五年，品牌做私域经历了三个阶段：先是拉群发券，然后是企业微信精细化运营，"
    "现在进入了内容驱动的阶段。本文结合我们服务过的十几个品牌，谈谈每个阶段踩过的坑。\n\n"
    "第一阶段的问题是只看人数不看留存。"
)


def _cover_png() -> bytes:
    """A small orange picture (160×90), visible in screenshots of the preview."""
    buffer = BytesIO()
    Image.new("RGB", (160, 90), (226, 110, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _cover_png()


def submission_mail(
    *,
    message_id: str | None = "<sub-1@mail.example.cn>",
    subject: str = "投稿：私域流量的三次转折",
    sender_name: str = "王晓明",
    sender: str = "wang.xiaoming@example.cn",
    to: str = "tougao@yumao.example",
    body: str = MANUSCRIPT,
    charset: str = "gbk",
    image: bool = False,
    attachment: tuple[str, str, bytes] | None = None,
    in_reply_to: str | None = None,
) -> bytes:
    """A plain submission: the manuscript in a GBK text part, optionally with a cover image
    and another attachment (file name, MIME type, bytes)."""
    text = MIMEText(body, "plain", charset)
    files = []
    if image:
        files.append(("封面图.png", "image/png", PNG))
    if attachment:
        files.append(attachment)
    if files:
        message = MIMEMultipart("mixed")
        message.attach(text)
        for filename, content_type, data in files:
            part = MIMEBase(*content_type.split("/", 1))
            part.set_payload(data)
            encoders.encode_base64(part)
            # RFC 2231 names, as Chinese clients write them.
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
            message.attach(part)
    else:
        message = text
    message["Subject"] = Header(subject, "utf-8").encode()
    message["From"] = formataddr((str(Header(sender_name, "utf-8")), sender))
    message["To"] = to
    message["Date"] = format_datetime(datetime(2026, 11, 30, 9, 30, tzinfo=UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    return message.as_bytes(policy=SMTP)  # CRLF line ends, as on the wire


def plain_mail(*, subject: str, body: str, sender: str = "reader@example.cn", message_id: str | None = None) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = "tougao@yumao.example"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message.as_bytes(policy=SMTP)  # CRLF line ends, as on the wire
