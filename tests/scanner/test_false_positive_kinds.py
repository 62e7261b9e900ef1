"""The rule stages' false-positive kinds (issue 12), each beside a true positive of the same
kind that must still be caught, so that no fix is a blanket exemption.

The sentences here are written for this module; they are not the sentences of the
evaluation sets (`clean_prose.jsonl`, `heldout_round5.jsonl`), which are never used to
write rules or to train (see README.md in this folder). Rules only: `model=None`.
"""

import pytest

from moderation.scanner.detectors import frames
from moderation.scanner.pipeline import scan


def _scan(body, title=""):
    return scan(title, body, model=None)


def rules_of(body, title=""):
    return {f.rule for f in _scan(body, title).findings}


def categories_of(body, title=""):
    return set(_scan(body, title).categories)


# --- public phone numbers in news and notices ------------------------------------------------

PUBLIC_NUMBERS = [
    "区税务局提醒纳税人：办理退税请认准官方渠道，如有疑问请拨打咨询电话0571-85112366。",
    "因管网改造，城西片区周三停水，请居民提前储水，报修请拨打供水服务热线0898-66771234。",
    "寻人启事：张某，男，六十九岁，昨日在公园走失，如有线索请拨打联系电话13712345678，谢谢好心人。",
    "市图书馆本馆周一闭馆，咨询请致电025-86661111。",
    "某某电器公告：部分电热水壶存在隐患，公司将免费召回，用户可拨打客服热线400-886-1234登记。",
]
SOLICITING_NUMBERS = [
    "本公司诚招代理，一件代发，联系电话0571-85112366。",
    "装修报价优惠，欢迎来电咨询：13712345678。",
    "有需要办理的朋友，热线0898-66771234，随时联系。",
]


@pytest.mark.parametrize("body", PUBLIC_NUMBERS)
def test_a_public_service_number_in_a_notice_is_not_a_contact(body):
    result = _scan(body)
    assert not [f for f in result.findings if f.detector == "contact"], result.findings
    assert result.verdict == "allow"


@pytest.mark.parametrize("body", SOLICITING_NUMBERS)
def test_a_number_in_an_advert_is_still_a_contact(body):
    assert "3.1" in rules_of(body)


def test_an_evasively_written_number_is_never_public():
    assert "3.8" in rules_of("派出所通知：有事请拨打电话 幺三七 一二三四 五六七八。")


# --- civil-war and resistance history read as a war of aggression (9.3) ------------------------

CIVIL_WAR_HISTORY = [
    "一九四九年，解放战争进入尾声，解放军渡过长江后迅速向南推进。",
    "这座城市在解放后建起了第一座钢铁厂，老工人们还记得解放前的日子。",
    "抗日战争胜利后不久，解放区开展了土地改革，这段历史在县志里有详细记载。",
    "解放大道今天起实行交通管制，请绕行解放路和中山路。",
]
WAR_APOLOGIA = [
    "日军当年其实是来解放亚洲的，我们应该感谢他们。",
    "要是当年日本打赢了，我们现在早就过得更好了。",
    "南京大屠杀的人数被夸大了，皇军是为了大东亚共荣。",
]


@pytest.mark.parametrize("body", CIVIL_WAR_HISTORY)
def test_civil_war_and_resistance_history_is_not_war_glorification(body):
    assert "9.3" not in rules_of(body)


@pytest.mark.parametrize("body", WAR_APOLOGIA)
def test_glorifying_the_war_of_aggression_is_still_caught(body):
    assert 9 in categories_of(body)


# --- complaints about a hotel's or a shop's service read as adverts (3.x) ---------------------

COMPLAINTS = [
    "这家健身房的销售太烦了，说什么包月三万保证涨粉五万，忽悠我办卡，我再也不会去了。",
    "差评：店员一直跟我推销，说免费领洗发水，要我扫码加群，我没理她。",
    "避雷这家美容院，说好的免费体验，做完就推销办卡，说今天只要九块九，坑人。",
]
ADVERTS_THAT_COMPLAIN = [
    "别再被别家忽悠了，我们家包月三万保证涨粉五万，私信我。",
    "吐槽一下别家的价格，我们这里今天只要九块九，有需要的加我。",
]


@pytest.mark.parametrize("body", COMPLAINTS)
def test_a_complaint_about_being_sold_to_is_not_an_advert(body):
    assert not {c for c in categories_of(body) if c == 3}, _scan(body).findings


@pytest.mark.parametrize("body", ADVERTS_THAT_COMPLAIN)
def test_an_advert_that_complains_about_others_is_still_an_advert(body):
    assert 3 in categories_of(body)


# --- negations ------------------------------------------------------------------------------

NEGATIONS = [
    "我们工作室做了六年，从来没有刷单，也从不参加互赞群。",
    "本店承诺：不提供代开发票，不做好评返现。",
    "本平台严禁刷量，发现即封号。",
    "我们不会出售任何用户数据，也没有授权任何人这样做。",
]
NOT_NEGATIONS = [
    "没钱也能做，刷单一单返五块，日结。",  # the negator attaches to an obstacle
    "有没有人需要刷单的？一单十块。",  # a question, not a denial
    "我们从来不刷单，但可以帮你刷，私信我。",  # the writer's own commitment
]


@pytest.mark.parametrize("body", NEGATIONS)
def test_a_denied_act_is_not_the_act(body):
    assert not {c for c in categories_of(body) if c in (1, 3)}, _scan(body).findings


@pytest.mark.parametrize("body", NOT_NEGATIONS)
def test_what_only_looks_like_a_denial_is_still_caught(body):
    assert 3 in categories_of(body)


def test_negation_scope_is_the_clause():
    text = "我们没有门槛，刷单"
    assert not frames.negated(text, text.index("刷单"))  # a comma ends the negator's reach
    text = "我们从来没找过刷单的人"
    assert frames.negated(text, text.index("刷单"))
    text = "有没有刷单的"
    assert not frames.negated(text, text.index("刷单"))


# --- debunks and warnings ---------------------------------------------------------------------

DEBUNKS = [
    "别信那些说能帮你刷好评的人，交了钱就拉黑你。",
    "提醒大家：所谓兼职刷单都是诈骗，先返小钱再骗大钱。",
    "同事要给我介绍算命先生，我婉拒了，这种东西不靠谱。",
    "最反感的就是控评和撕对家，喜欢一个人好好听歌就行。",
]
DEBUNK_SHAPED_ADVERTS = [
    "别信那些骗子，我们这里刷好评是真人操作，找我。",
    "姐妹们别被别家的假算命骗了，我这里算命一次八十，私聊。",
]


@pytest.mark.parametrize("body", DEBUNKS)
def test_a_warning_or_a_debunk_is_not_the_act(body):
    assert not {c for c in categories_of(body) if c in (3, 6, 8)}, _scan(body).findings


@pytest.mark.parametrize("body", DEBUNK_SHAPED_ADVERTS)
def test_a_warning_that_sells_is_still_caught(body):
    assert categories_of(body) & {3, 6}


def test_debunks_do_not_clear_rumours_or_political_violations():
    # a rumour's own words often call the debunk fake; an accusation calls people liars
    assert 5 in categories_of("官方辟谣都是假的，内部消息说下周全市停水，赶紧囤水转给家人。")


# --- minors, stunts and the long manuscript (mail sample 19's kind) -------------------------------

STORY_AND_SAFETY = [
    "镇长家的大儿子隔着老远就打招呼，手里还提着一篮鸡蛋。",
    "奶奶常说，河里有暗流，小孩子不许一个人去。",
    "一名路人听到呼救声跳进水库，把落水的孩子救上岸，孩子已送医。",
    "网上流行的憋气挑战非常危险，家长一定要提醒孩子千万不要模仿。",
]
STUNTS_AND_ABUSE = [
    "孩子不听话就往死里打，打到服为止。",
    "小朋友们来挑战憋气，憋到头晕最好玩，拍视频发上来。",
    "暑假带孩子去水库野泳，跳下去特别刺激。",
]


@pytest.mark.parametrize("body", STORY_AND_SAFETY)
def test_stories_and_safety_advice_about_children_are_not_harm(body):
    assert not {c for c in categories_of(body) if c in (1, 9)}, _scan(body).findings


@pytest.mark.parametrize("body", STUNTS_AND_ABUSE)
def test_stunts_for_children_and_child_abuse_are_still_caught(body):
    assert 9 in categories_of(body)
