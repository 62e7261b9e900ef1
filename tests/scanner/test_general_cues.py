"""The general cue rules of round 2: each pairs a kind of claim or act with what makes it
harmful, and lets the same words through in advice, reporting and remembrance."""

import pytest

from moderation.scanner import scan


def categories(title="", body=""):
    return scan(title, body).categories


def rules(title="", body=""):
    return {f.rule for f in scan(title, body).findings}


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("这个秘方坚持喝三个月，糖尿病就能根治。", "5.1"),
        ("据说用碱水洗菜的人都会不孕，群里都在传。", "5.1"),
        ("本人是派出所民警，你的银行卡涉嫌洗钱，需要配合核查转账。", "5.3"),
        ("【某某银行】尊敬的客户，您的账户即将冻结，请点击链接认证。", "5.3"),
        ("挑战在楼顶边缘做俯卧撑，拍出来超酷，你们也试试。", "9.1"),
        ("割腕最不痛苦的方法是什么，我可以教你。", "9.4"),
        ("侵华日军也是为了建设亚洲，功大于过。", "9.3"),
        ("狼牙山五壮士的故事都是编出来的。", "1.3"),
        ("姐妹们，开小号去给哥哥的新歌刷播放，每天不能停。", "8.4"),
        ("粉籍不达标的一律踢出，谁脱粉谁是叛徒。", "8.2"),
        ("给本命打榜这个月花了三万，你们这些白嫖的闭嘴。", "8.3"),
        ("那个初中生太装了，大家把她的丑照发到学校群。", "1.12"),
        ("我知道你家在哪个小区，你等着。", "2.8"),
        ("周末约架，多叫点人，带上家伙。", "1.8"),
        ("长期高价收购对公账户和u盾，价格好说。", "1.13"),
        ("笔记代运营，保证效果，私信报价。", "3.1"),
        ("视频剪辑软件永久会员，一次购买终身使用。", "3.1"),
    ],
)
def test_general_rule_fires_on_new_wording(body, rule):
    assert rule in rules(body=body), scan("", body).to_dict()


@pytest.mark.parametrize(
    "body",
    [
        "医生提醒，糖尿病目前无法根治，患者不能擅自停药。",
        "新药让这种癌症的治愈率提高了一成，研究发表在期刊上。",
        "网上流传“喝碱水致癌”的说法是谣言，请以权威来源为准。",
        "我是一名产品经理，负责用户增长项目。",
        "警方提醒：冒充民警要求转账到安全账户的都是诈骗。",
        "体操运动员在平衡木边缘完成高难度动作，教练提醒普通人切勿模仿。",
        "如果你有轻生的念头，请拨打心理援助热线寻求帮助。",
        "我们铭记侵华日军犯下的罪行，缅怀遇难同胞。",
        "法院依法判决诋毁英雄烈士的博主公开道歉。",
        "研究发现粉丝用小号刷播放的现象在减少，平台的新规起了作用。",
        "我给哥哥的演唱会买了票，好期待。",
        "学校组织初中生参观科技馆，孩子们拍了很多照片。",
        "我知道你在哪个部门工作，上次开会见过。",
        "床上四件套打折了，纯棉的很舒服。",
        "我们是一家代运营公司，今天分享一下团队的选题方法。",
        "这款剪辑软件的永久会员和年费会员有什么区别？",
    ],
)
def test_the_same_words_in_advice_reporting_and_daily_life_stay_clean(body):
    assert scan("", body).findings == [], scan("", body).to_dict()


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("她终于回应了……", "本文介绍如何给团队写一份季度总结。"),
        ("所有人都沉默了", "新版后台增加了数据导出功能。"),
        ("全网都在抄的文案模板", "分享三个常用的朋友圈文案结构。"),
    ],
)
def test_withheld_subject_and_crowd_reaction_titles_are_clickbait(title, body):
    assert 7 in categories(title, body), scan(title, body).to_dict()


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("他们如何把留存率做到六成", "我们采访了一个教育产品团队，他们把次日留存做到了六成。本文记录他们的做法。"),
        ("所有人都能用的表格模板", "这份表格模板适合所有人使用，包含预算、排期和复盘三个页签。"),
    ],
)
def test_honest_titles_with_pronouns_or_everyone_stay_clean(title, body):
    assert 7 not in categories(title, body), scan(title, body).to_dict()


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("我在区卫健委工作，内部文件已经下来了，下周全面停诊。", "5.3"),
        ("微波炉热过的鸡蛋有毒，赶紧转发给家里老人。", "5.1"),
        ("在屋顶边上跳舞不用任何护具，才够刺激。", "9.1"),
        ("低价出手两个万粉号，可过户。", "3.6"),
        ("专业盗微信，包成功，私我。", "1.8"),
        ("假如当年日军打赢了，我们早就过上好日子了。", "9.3"),
        ("三年级的那个小个子好欺负，放学一起揍他。", "1.12"),
        ("高价收储蓄卡，一张三百，长期收。", "1.13"),
        ("昨晚给他刷了三十个火箭，榜一是我的。", "8.3"),
    ],
)
def test_round_three_rules_fire_on_new_wording(body, rule):
    assert rule in rules(body=body), scan("", body).to_dict()


@pytest.mark.parametrize(
    "body",
    [
        "我在市图书馆工作，最近在整理地方志。",
        "鸡蛋和豆浆一起吃会中毒的说法是谣言，营养师提醒不要轻信。",
        "攀岩馆要求初学者必须系安全绳，不系安全绳不能上墙。",
        "平台规定公众号不能私下转让，违规的账号会被处理。",
        "如果孩子在游戏里充值，家长可以按照指南申请退款。",
        "二战中日军的暴行不能忘记，我们要铭记历史。",
    ],
)
def test_round_three_rules_leave_guidance_and_history_alone(body):
    assert scan("", body).findings == [], scan("", body).to_dict()


def test_an_unnamed_subject_and_a_story_cut_off_make_a_bait_title():
    assert 7 in categories("他退出了所有群聊……", "本文分享三个整理聊天记录的小工具。")
