"""Each detector on texts written for the purpose (not taken from the evaluation set)."""

import pytest

from moderation.scanner import scan


def found(title="", body=""):
    return scan(title, body).findings


def rules(title="", body="", detector=None):
    return {f.rule for f in found(title, body) if detector is None or f.detector == detector}


def categories(title="", body=""):
    return scan(title, body).categories


# links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "戳这里 https://bit.ly/3xYz9Q 领取",
        "入口 t.cn/RxK2mZp 手慢无",
        "这个课用我的链接买：https://s.click.taobao-shop.cn/t?e=abcd",
        "点这里 https://shop.example.net/item?id=3&pid=mm_123_456",
        "详情 https://www.example.net/out/abc123",
        "跳转 https://jump.example.net/?url=https%3A%2F%2Fexample.org",
    ],
)
def test_short_affiliate_and_redirect_links_are_deceptive_links(body):
    assert "3.4" in rules(body=body, detector="link")


@pytest.mark.parametrize(
    "body",
    [
        "接口说明见 https://docs.python.org/3/library/re.html",
        "官方文档在 https://www.example.com/docs/api 里",
        "政策原文：https://www.gov.cn/zhengce/content/2024.htm",
    ],
)
def test_official_and_plain_links_alone_are_not_findings(body):
    assert found(body=body) == []


def test_lookalike_login_host_is_phishing():
    result = scan("", "账号异常，请登录 http://weixin-login.example-secure.top 验证身份")
    assert {"5.3", "1.13"} <= {f.rule for f in result.findings}
    assert result.verdict == "block"


def test_plain_link_in_an_advert_becomes_part_of_the_advert():
    body = "全场一折，私信我下单，官网 www.cheap-shoes-example.com"
    assert any(f.detector == "link" and f.rule == "3.1" for f in found(body=body))


# contacts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("有事加我微信 abc_2024", "3.1"),
        ("vx：yy8866 备注来意", "3.8"),
        ("威信搜 growth_pro 领资料", "3.8"),
        ("加 V 信 h a p p y 9 9", "3.8"),
        ("扣扣 ⑦⑧⑨⑥⑤④③②", "3.8"),
        ("企鹅 1234567 私聊", "3.8"),
        ("电话：幺三九 一二三四 五六七八", "3.8"),
        ("热线 139-1234-5678", "3.1"),
        ("邮箱 sales@shop-example.com 联系", "3.1"),
        ("ｗｅｉｘｉｎ：ｓｈｏｐ＿０１", "3.8"),
        ("v 后面先写 shop 再接 1234，这里不方便说", "3.8"),
    ],
)
def test_contact_details_in_many_disguises(body, rule):
    assert rule in rules(body=body, detector="contact")


@pytest.mark.parametrize(
    "body",
    [
        "企业微信的欢迎语在后台就能设置。",
        "加V认证的账号不一定是官方。",
        "当年扣扣空间的装扮很流行。",
        "2024年GMV增速35%，客单价提升了18元。",
        "每月8号是会员日，订单号 20240815 已发货。",
    ],
)
def test_mentions_of_apps_and_ordinary_numbers_are_not_contacts(body):
    assert rules(body=body, detector="contact") == set()


def test_contact_offsets_slice_the_original():
    body = "朋友们 加 薇 信：ａｂｃ＿１２３ 就行"
    [hit] = [f for f in found(body=body) if f.detector == "contact"]
    assert body[hit.start : hit.end] == hit.match
    assert hit.match.startswith("薇") or hit.match.startswith("加")


# clickbait --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "震惊！这家咖啡店的秘密配方",
        "惊 呆 了！原来表格还能这样做",
        "90%的人都不知道的拍照技巧",
        "看完沉默：一个外卖员的一天",
    ],
)
def test_bait_titles_are_clickbait(title):
    assert 7 in categories(title, "本文介绍三个拍照构图技巧，适合新手。")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("揭秘直播间的排品逻辑", "直播间排品要兼顾引流款、利润款和形象款，本文拆解排品逻辑的三个原则。"),
        ("从“震惊体”到好标题：我们的改版记录", "改版后打开率略降，分享率上升。"),
        ("万字长文：一家咖啡连锁的闭店复盘", "这是一篇创始人写的复盘，记录了选址与扩张的失误。"),
    ],
)
def test_honest_titles_are_not_clickbait(title, body):
    assert 7 not in categories(title, body)


def test_breaking_news_title_the_body_does_not_support_is_false_information():
    cats = categories("刚刚！某外卖平台宣布全面停止配送", "该平台今天调整了部分城市的夜间配送费。")
    assert {5, 7} <= set(cats)


# vocabulary -------------------------------------------------------------------------------


def test_fan_spending_aimed_at_minors_is_blocked():
    result = scan("", "家人们冲！今晚给爱豆打投，学生党把压岁钱也拿出来！")
    assert 8 in result.categories
    assert result.verdict == "block"


def test_fan_economy_reporting_is_clean():
    body = "平台限制了未成年人的应援打赏功能，集资打榜现象得到整治。"
    assert scan("", body).categories == []


def test_superstition_for_sale_is_superstition_and_spam():
    assert {3, 6} <= set(categories(body="专业看面相手相，一次六十六元，私信预约。"))


def test_fengshui_as_a_metaphor_is_clean():
    assert categories(body="所谓好风水，其实就是动线设计顺应了顾客的习惯。") == []


def test_disaster_glee_and_dangerous_stunts():
    assert 9 in categories(body="台风把他们村淹了也好，哈哈，活该。")
    assert 9 in categories(body="让小孩站在天台边缘拍照，流量特别好。")


def test_discrimination_and_threats():
    assert 2 in categories(body="广西人就会骗人，没一个好东西。")
    assert 2 in categories(body="再敢乱说，小心我弄死你。")


def test_keyword_stuffing_is_search_spam():
    body = "上海装修公司哪家好，上海装修公司排名，上海装修公司报价，" * 8
    assert "3.5" in rules(body=body)


def test_latin_cues_only_match_whole_latin_words():
    # "hr" is a cue for an identity claim, "jz" for fan fundraising: not inside chrome or jazz
    assert categories(body="我是做运营的，用chrome插件，千万别装盗版") == []
    assert 8 in categories(body="ｊｚ链接已发群里，未成年也可以参与")


def test_cues_in_unrelated_sentences_do_not_combine():
    # a superstition word and a price two sentences apart are not a paid reading
    body = "这届年轻人爱看星座运势。很多品牌借此做内容营销。这款面膜我用了两周，不过价格有点贵。"
    assert categories(body=body) == []
    # nor a gambling word next to a customer-service hotline in another sentence
    body = "客服电话是工作日九点到晚上六点接听。博彩业是澳门的支柱产业，疫情后逐步恢复。"
    assert categories(body=body) == []
