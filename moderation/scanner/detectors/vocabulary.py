# ruff: noqa: E501 — cue groups are data: one rule per line, words separated by spaces.
"""Vocabulary rules that need two or more cues in one sentence.

A single word rarely decides: 打榜 is music-industry news until someone tells students to
spend their pocket money on it; 风水 is a metaphor until someone sells a consultation; 地震
is news until someone laughs about the dead. Each rule below names the rule code of the
convention it enforces and the cues that must meet (see `cues.CueRule`). Allow-list
contexts (`unless`) cancel a rule in reporting, criticism and prevention sentences.

The cue words are the platform's general vocabulary for each harm, not sample sentences.
"""

from __future__ import annotations

import re

from .cues import CueEngine, CueRule


def w(words: str) -> tuple[str, ...]:
    """A cue group written as space-separated words."""
    return tuple(words.split())


# --- shared cue groups ------------------------------------------------------------------

MINORS = w(
    "年级的 一年级 二年级 三年级 四年级 五年级 六年级 初一 初二 初三 未成年 学生党 小学生 初中生 中学生 高中生 小朋友 小孩 孩子 宝宝 儿童 零花钱 压岁钱 生活费 找爸妈 问爸妈 跟爸妈要 家长的卡 爸妈的卡 我妈的卡 我爸的卡 偷家里的钱 偷了我妈 偷钱 偷偷刷"
)
FAN_SPENDING = w(
    "集资 jz 应援 打榜 冲榜 打投 数字专辑 买专辑 冲销量 刷销量 氪金 打赏 出一份力 都是爱 应援金 爱豆 冲到榜一 榜一 每人至少买 专辑销量 专辑 人手十盒"
)
MOBILISE = w(
    "冲! 冲！ 姐妹们 家人们 宝子们 所有人 每人至少 每个人至少 每人 至少买 至少囤 都去 一起去 大家一起 已开启 已发 目标 也要 也可以参与 不能让 绝不能 谁还没交 不交的 踢群 没交的 没钱的去借 去借 每人最低 没钱就借"
)
FAN_WORDS = w("对家 黑粉 营销号 正主 哥哥 姐姐 爱豆 偶像 超话 饭圈 粉丝 本命 顶流")
# Warnings, prohibitions and rescues: a child near water or a stunt named in order to stop it.
SAFETY = w(
    "非常危险 很危险 太危险 极其危险 十分危险 有生命危险 不安全 安全吗 千万别 千万不要 不许去 不准去 不让去 不能去 "
    "不许一个人 不准一个人 不许小孩 不让孩子 不要让孩子 别让孩子 "
    "请勿模仿 不要模仿 切勿模仿 勿模仿 会死人 脑损伤 救起 呼救 落水 溺水 获救 救援 送医 急诊 救上岸 托上岸"
)
# A bullying word in the passive reports what was done to a child: 被起外号, 被孤立.
VICTIM_REPORT = w("被起外号 被欺负 被孤立 被打 被骂 被霸凌 被嘲笑 被人肉 被挂 被曝光 被网暴 被羞辱")
# Lost property handed in: 证件 and 联系 in a notice to the owner.
LOST_PROPERTY = w("认领 失主 招领 遗失 挂失 补办 拾到 捡到")
REPORTING = w(
    "指南 申请退款 未经同意 家长可以 家长应 警方 公安 打击 通报 严打 查处 团伙 涉案 判处 抓获 谨防 警惕 远离 报道 新闻 整治 治理 限制 禁止 不得 规则 新规 监管 引导 担忧 呼吁理性 违法 违规 涉嫌 所谓 不要 别被 防范 举报了 分析 观察 研究 现象 情况 屡见不鲜 报告 数据显示 注意安全 家长看护 切勿 千万不要 澄清 及时就医 就医 辟谣"
)
DISASTERS = w(
    "失事 坠机 沉船 地震 洪水 洪灾 水灾 火灾 大火 车祸 空难 海啸 台风 泥石流 矿难 爆炸事故 踩踏 事故 灾区 遇难 罹难 坠楼 跳楼 溺亡 疫情 封城 饥荒"
)
GLEE = w(
    "看热闹 正好少 正好给 少几个 不用拆迁 这下省事 省事了 清净了 活该 还好不是 报应 死得好 该死 真解气 干得漂亮 笑死 幸灾乐祸 好笑 老天有眼 罪有应得 死有余辜 天谴 坏人 演技不错 作秀 装的 不值得同情 都是命 命不好 没什么好同情 没什么可同情 淹了也好 烧了也好 死了也好 塌了也好 房价终于 不用赔了 省得拆迁"
)
DEATH = w("死了 死人 遇难 罹难 出车祸 被烧死 淹死 摔死 出事 烧死 炸死 压死 死的 死光 遇难者 死者 家属 伤者 死的人")
# Names that contain 战争 or 解放 without glorifying anything: the civil war and its army,
# the wars of resistance, streets named after the liberation.
WAR_NAMES = w(
    "解放战争 解放军 解放区 人民解放 和平解放 解放后 解放前 解放初 解放以后 解放以前 解放初期 解放路 解放大道 解放街 "
    "解放桥 解放碑 解放日报 解放西路 解放东路 解放南路 解放北路 抗日战争 抗战 卫国战争 反法西斯战争 反侵略战争 "
    "抗美援朝战争 独立战争 人民战争 战争年代"
)
SUPERSTITION = w(
    "算命 八字 紫微斗数 排盘 论命 占卜 塔罗 算卦 卜卦 求签 解签 六爻 奇门遁甲 看手相 看面相 摸骨 风水 开光 法器 化煞 煞气 转运 改运 改名 起名 测吉凶 吉凶 吉日 择日 解梦 梦境 寓意 大师 算一卦 星盘 运势 命盘 姻缘 财运 烧香 求财 代烧 高香 破财 摆错 求子 灵验 和合术 挽回"
)
SELLING = w(
    "付费 收费 咨询费 价格 私信 私聊 私讯 私我 加我 加v 预约 下单 扫码 有缘人 报名 抓紧来 亲批 找我 留言 请法器 上门 定制 一对一 挂号 挂个号 只要 仅需 限量 我这里有 我这有 可以代 代请 帮你请 代烧 帮你代 在线解答 第一次免费 免费算 找我看看 帮你看看 手链 手串 吊坠 摆件 开运物 来找我 成功率 专业做 一个名字 专业"
)
CALL_TO_ACTION = w(
    "戳主页 主页链接 加微信购买 微信购买 加微信下单 tb搜 淘宝搜 搜店铺 私信我 私信下单 私我 加我 找我 联系我 滴滴我 dd我 戳我 点头像 进主页 看主页 主页有 扫码付费 扫码加 扫码进群 扫码领 扫码获取 报名请 欢迎咨询 欢迎来电 有意向 有需要的 需要的老板 需要的姐妹 需要的朋友 感兴趣的私信 懂的来 老板看过来 评论区扣1 扣1 点击下方链接 戳链接 链接在 私信领取 私信领 私信获取 评论区留 留邮箱 留言领取 关注后私信 点赞关注 点我头像 进群领 进群送 入群领 加群领 快进群 速进群 入口在 入口→ 入口: 入口： 私聊我 私聊了解 私信了解 看我主页 看我名字 看我简介 看简介 点我主页 主页联系 看我头像 有要的 要的私 需要的扣 需要的滴 加我详谈 咨询v 点击链接 点击链接下单 有意者 站内信 私信回复 回复666 评论666 可以找我 获取链接 私信拿货 扫码进店 报价私聊 价格私聊 详情私聊 私聊我 赶紧买 快去买"
)
OFFER = w(
    "秒杀 一元 限前 接单 千字 原创保证 直销 工厂直销 厂家直销 低价 优惠 打折 一折 八折 原价 今天只要 只要 仅需 免费送 免费领 包月 包过 包解 量大从优 量大优惠 名额有限 限时 仅限 手慢无 先到先得 日结 日入 月入 躺赚 零风险 稳赚 首充 返现 佣金 招代理 兼职 现货 秒发 秒到账 送会员 就送 价格美丽 出售 承接 应有尽有 资源 福利 领券 内部价 一件代发 货源 厂家直供 代发 批发 可发货 流量扶持 限量 立返 返全款 0元购 名额仅剩 仅剩 数量有限 给你们发 发给你 发你 价格好商量 价格好说 好商量 领取全套 全套资料 包邮 无门槛券 截止 折扣 内部折扣 五折"
)
PRICE = re.compile(
    r"(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千万]+)(?:元|块|毛|rmb)|一(?:张|套|次|个|条|份|单|粉|炷|串|件|本|盒)[0-9一二两三四五六七八九十百千]+"
)
FAKE_ENGAGEMENT = w(
    "好评 销量 收藏 刷单 补单 粉丝 涨粉 活粉 真人粉 点赞 播放量 阅读量 关注 评论 转发量 万粉 千粉 账号 followers likes views"
)
SELLING_ENGAGEMENT = w(
    "找我 私我 dd我 出售 低价出售 一毛 低价 量大 都能做 当天到账 不掉 秒到 全程真人 真人操作 代刷 包上 安全不降权 不降权 现货 需要的留言 互推 评论员"
)

RULES: list[CueRule] = [
    CueRule("minors-fan-spending", "8.1", "block", (MINORS, FAN_SPENDING), reach=60, unless=REPORTING),
    CueRule(
        "fan-fundraising",
        "8.1",
        "block",
        (w("集资 jz 应援金 打投 生日应援 应援 买个热搜 买热搜 应援费 后援会"), MOBILISE),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "fan-debt",
        "8.1",
        "block",
        (w("爱豆 代言 打榜 应援 冲到第一 专辑"), w("借花呗 借钱 网贷 借呗 去借 信用卡透支 没钱就借")),
        reach=40,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "fan-chart-push",
        "8.1",
        "review",
        (
            w("打榜 冲榜 冲销量 数字专辑 投票 刷票 新代言"),
            w(
                "冲! 冲！ 姐妹们 家人们 每人至少 至少囤 至少买 每个号 每个账号 至少刷 准时打榜 小号 借号 借同学 每人每天 小号也要 必须"
            ),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "comment-control",
        "8.4",
        "block",
        (
            w("控评 反黑 轮博 做数据 刷数据 刷评论 至少刷 刷词条 做词条 控广场 洗广场"),
            w("所有人 都去 大家 姐妹们 家人们 ! ！ 举报 都给我 去做 规定 做不到 退群 每天至少"),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "fan-war",
        "8.2",
        "block",
        (
            w("对家 黑粉 黑子 营销号 别家粉丝 别家 谁黑 黑哥哥 黑姐姐 炒cp 造谣我们哥哥 她超话 冲去"),
            w(
                "刷屏 撕 去骂 冲了 爆破 网暴 人肉 挂出来 谁才是 看笑话 举报 骂到 退网 冲他 冲她 造谣 去她微博 下面骂 去骂 开骂 去冲她 冲她 炒cp 也配 仇人 付出代价 骂她 骂他"
            ),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "idol-stalking",
        "8.2",
        "review",
        (
            w("爱豆 明星 偶像 正主 哥哥的航班 哥哥的行程 姐姐的航班 姐姐的行程 哥哥的接机 接机"),
            w("航班信息 私人行程 酒店房号 住址 接机 跟车 行程单 围堵 堵住 私信我"),
        ),
        reach=20,
        unless=w("泄露 隐私 保护 侵犯 平台应该 不应该 谴责"),
    ),
    CueRule(
        "fan-insult",
        "8.2",
        "block",
        (w("粉丝 粉圈 饭圈 她粉 他粉 对家 黑粉"), w("脑残 智障 傻逼 垃圾 蠢 恶心 有病 全是 疯狗 一群疯狗")),
        reach=12,
        unless=REPORTING,
    ),
    CueRule(
        "fan-raid",
        "8.2",
        "block",
        (
            w("我们家哥哥 我们家姐姐 我家哥哥 我家姐姐 哥哥 姐姐 爱豆 正主 我们家 我们哥哥 我们姐姐"),
            w(
                "冲烂 冲爆 撕烂 骂死 冲他评论区 冲她评论区 挂人 人肉 网暴 骂到退网 恨不得杀了 挂出来 去骂 身败名裂 刷屏 删号 骂到"
            ),
        ),
        reach=30,
        unless=REPORTING,
    ),
    CueRule(
        "flaunting-spending",
        "8.3",
        "review",
        (
            w("花了 氪了 砸了 充了 花不到 消费了"),
            w("真爱粉 你们呢 晒一下 晒晒 别说自己 不配 算什么粉丝 不花钱 才是真爱 穷粉 有什么资格"),
        ),
        reach=40,
    ),
    CueRule(
        "spending-coercion",
        "8.1",
        "block",
        (
            w("不买 不买够 买不够 不氪 不投 花不到 没买 谁不买 不买的 没买的 不刷的 不投的 不出的 不出钱 不花钱的"),
            w(
                "别说自己是粉丝 不配当粉丝 不是真爱 别说你爱 不配做粉丝 别说自己是 就是黑粉 黑粉 假粉 不是真粉 别说爱 别说爱哥哥 白嫖党 滚出饭圈"
            ),
        ),
        reach=30,
    ),
    CueRule(
        "fan-doxxing",
        "8.2",
        "block",
        (w("人肉 扒出来 扒出 查到她 挂她 挂他 查到他 扒一扒"), FAN_WORDS),
        reach=40,
        same_sentence=True,
    ),
    CueRule(
        "doxxing",
        "1.10",
        "block",
        (w("人肉 扒出 挂出来 真名"), w("手机号 电话 地址 住址 身份证 单位 学校")),
        reach=40,
        same_sentence=True,
        unless=REPORTING,
    ),
    CueRule(
        "home-address-exposure",
        "1.10",
        "block",
        (w("家住在 住在 家庭住址 住址是 家在"), w("电话 手机 单元 栋 号楼 门牌")),
        reach=30,
        same_sentence=False,
        unless=w("收货地址 快递 配送 寄送"),
    ),
    CueRule(
        "minor-bullying",
        "1.11",
        "block",
        (
            w("小学生 初中生 中学生 高中生 未成年 小女孩 小姑娘 小男孩"),
            w("刷屏 网暴 人肉 去死 滚出 恶心 喷她 喷他 长得丑 丑死 那么丑 骂她 骂他 去骂 一起骂"),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "personal-data-trade",
        "1.10",
        "block",
        (
            w("出售 收购 一手 按条 批量 能查到 代查 查人 有偿收购 有偿 打包出售"),
            w(
                "面单 个人信息 公民信息 实名手机号 身份证信息 户籍 开房记录 通讯录 快递单 车主信息 身份证照片 身份证 手持照 手机号数据 公民数据"
            ),
        ),
        unless=REPORTING,
    ),
    CueRule(
        "snooping",
        "1.10",
        "block",
        (w("帮你查 能帮你查 能查到 查到 代查 可以查 都能查"), w("聊天记录 开房记录 通话记录 定位 行踪 出行记录")),
        reach=20,
        unless=w("警方 防范 警惕 违法 骗局 不要信 都是骗局"),
    ),
    CueRule(
        "snooping-service",
        "3.1",
        "block",
        (w("帮你查 能帮你查 代查 都能查"), PRICE),
        reach=25,
        unless=REPORTING,
    ),
    CueRule(
        "contraband-sale",
        "1.8",
        "block",
        (
            w("出售 代购 供应 有货 货源 包邮 懂的来 低价出 批发 卖枪 卖假"),
            w(
                "枪支 子弹 弹药 管制刀具 冰毒 大麻 毒品 迷药 假币 假证 假学历 假发票 发票 身份证 处方药 管制药品 安眠药 精神类药品 外挂 游戏外挂 破解版"
            ),
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "contraband-ad",
        "3.1",
        "block",
        (
            w(
                "假学历 假文凭 假证 办证 代开发票 枪支 仿真枪 子弹 管制刀具 冰毒 大麻 迷药 假币 代考 替考 k粉 摇头丸 飞叶子 海洛因 代开 发票 处方药 不需要处方 管制药品 安眠药 外挂 代办证件 代办各类证件 证件 盗号 查人 开房记录 聊天记录 邪教 全能神 法轮功 讨债 催收"
            ),
            w(
                "私聊 私信 私我 加我 联系 懂的来 包邮 出售 办理 保真 可查 价格 批发 发货 可发货 货源 全国 税点 可验真 验真 需要的 联系客服 都能办 稳定不封号 都能查 承接 服务 一次 招人 想加入 入会 都能收回 专门 手段"
            ),
        ),
        reach=30,
        unless=REPORTING + LOST_PROPERTY,
    ),
    CueRule(
        "card-trade",
        "1.13",
        "block",
        (
            w("出租 出售 高价 租用 回收 收卡 高价收 长期收 收一套"),
            w("银行卡 手机卡 电话卡 实名卡 对公账户 u盾 收款码 两卡 支付宝账号 微信号 收款账户 对公户 网银 实名账号"),
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "public-order-rumour",
        "1.7",
        "block",
        (
            w(
                "紧急扩散 内部消息 转发周知 紧急通知 据可靠消息 赶紧转发 转发让大家知道 速速转发 告诉家人 网传 提前囤 囤好物资 赶紧囤 转发让更多人知道 知道真相 多囤 囤盐 请扩散 扩散出去"
            ),
            w(
                "银行 取款 投毒 封城 停水 停电 挤兑 全市 自来水 疫情 地震要来 抢购 没收 存款 冻结 戒严 停工 停课 倒闭 排队取钱 全国 高速 停运 限行 病毒 故意投放 核污染 盐"
            ),
        ),
        reach=40,
        same_sentence=False,
        unless=w("辟谣 谣言 不实 警方 公安 澄清 假消息 别信 不要信 谨防"),
    ),
    CueRule(
        "cover-up-rumour",
        "1.7",
        "block",
        (w("政府在掩盖 政府掩盖 政府隐瞒 官方掩盖 官方隐瞒"), w("死了 几千人 真相 上万人")),
        reach=30,
        same_sentence=False,
        unless=w("辟谣 谣言 不实 通报 警方"),
    ),
    CueRule(
        "rumour-false-information",
        "5.1",
        "block",
        (
            w(
                "紧急扩散 内部消息 转发周知 紧急通知 据可靠消息 赶紧转发 转发让大家知道 速速转发 告诉家人 网传 立即转发 请转发 转发提醒 请立即转发 提前囤 囤好物资 赶紧囤 转发让更多人知道 知道真相 请互相转告 互相转告 请扩散 扩散出去"
            ),
            w(
                "银行 取款 投毒 封城 停水 停电 挤兑 全市 自来水 疫情 地震要来 抢购 没收 存款 冻结 戒严 停工 停课 排队取钱 全国 高速 停运 限行 取消 封禁 封号 全部封 病毒 故意投放 收取 手续费 都要"
            ),
        ),
        reach=40,
        same_sentence=False,
        unless=w("辟谣 谣言 不实 警方 公安 澄清 假消息 别信 不要信 谨防"),
    ),
    CueRule(
        "defamation",
        "1.10",
        "block",
        (
            w("就是个 就是一个 是个 就是"),
            w("诈骗犯 强奸犯 杀人犯 罪犯 贪污犯 人贩子 老赖 人渣 骗子 骗子一个 败类"),
            w("转发 身败名裂 跑路 曝光他 曝光她 人肉"),
        ),
        reach=50,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "terror-praise",
        "1.4",
        "block",
        (
            w("恐怖袭击 恐袭 圣战 自杀式袭击 人体炸弹 恐怖分子 极端组织"),
            w("英雄 值得学习 干得好 支持 伟大 加入 效仿 好样的"),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "crime-tutorial",
        "1.8",
        "block",
        (w("教你 教大家 手把手教 教你们"), w("骗老年人 骗钱 诈骗 盗刷 套路老人 偷东西 撬锁")),
        reach=20,
        unless=(*REPORTING, "识别", "防骗", "如何避免", "避免", "揭穿"),
    ),
    CueRule(
        "minors-harm",
        "1.12",
        "review",
        (w("初中生 小学生 未成年 孩子 中学生"), w("出来打工 辍学 读书没用 不用上学 早点嫁人")),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "illegal-gathering",
        "1.9",
        "block",
        (w("集合 集会 聚集 游行 静坐 围堵 拉横幅"), w("政府门口 市政府 讨说法 人越多越好 区政府 信访办")),
        reach=30,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "subversion",
        "1.1",
        "block",
        (w("国家领导人 领导人 政府 共产党 政权 体制"), w("推翻 一群骗子 滚下台 倒台 完蛋吧")),
        reach=25,
        unless=REPORTING,
    ),
    CueRule(
        "martyr-insult",
        "1.3",
        "block",
        (
            w("烈士 英烈 黄继光 邱少云 董存瑞 狼牙山五壮士 刘胡兰 雷锋"),
            w("活该 编的 假的 傻 蠢 炒作 洗白 笑死 编出来 被编 没有这个人 虚构 纯属"),
        ),
        unless=REPORTING,
    ),
    CueRule(
        "raid-incitement",
        "2.4",
        "block",
        (
            w("刷屏 骂她 骂他 骂死 喷她 喷他 冲了她 冲了他 网暴 骂到 骂退网 冲他 冲她 冲烂 冲爆 撕烂 下面骂 去骂"),
            w("大家一起 一起去 都去 走, 走， 冲! 冲！ 姐妹们 家人们 去把 谁敢 我们就 去冲 也配 她粉丝 他粉丝 大家去"),
        ),
        reach=25,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "abuse-as-loyalty", "2.4", "review", (w("开骂 开撕 喷死 骂死"), w("真爱粉 这才是 就该 才是真爱")), reach=20
    ),
    CueRule(
        "baiting",
        "2.4",
        "block",
        (w("有种你 有种就 有本事你 有本事就 敢不敢 有种别"), w("你 报出来 站出来 过来 单挑 线下 出来")),
        reach=20,
    ),
    CueRule("deserve-it", "2.3", "block", (w("你这种人 这种人 你们这种 就你这"), w("活该 去死 不配活 该死")), reach=15),
    CueRule(
        "contempt-iq",
        "2.3",
        "review",
        (w("智商 脑子 脑回路"), w("感人 堪忧 捉急 欠费 为零 负数 硬伤 有坑 进水")),
        reach=8,
    ),
    CueRule(
        "body-shaming",
        "2.7",
        "block",
        (
            w("胖子 死胖子 矮子 秃子 肥婆 丑八怪 矬子 整容脸 丑八怪 长得丑 丑就"),
            w("就别 辣眼睛 恶心 不配 丑死 丑到家 真丑 少出来 污染眼睛 滚出去"),
        ),
        reach=15,
        unless=w("歧视 羞辱 不要"),
    ),
    CueRule(
        "class-contempt",
        "2.7",
        "block",
        (
            w("小镇做题家 农民工 乡下人 农村的 打工的 外卖员 保安 穷人"),
            w("眼界窄 笑掉大牙 也配 没见识 低端 就是low 土鳖 也想学 素质低 就是素质"),
        ),
        reach=25,
        unless=w("歧视 偏见 不要 尊重"),
    ),
    CueRule(
        "disability-discrimination",
        "2.7",
        "block",
        (w("残疾人 残疾 瘸子 瞎子 聋子 哑巴 精神病人"), w("就该待在家 别出来 添麻烦 累赘 废物 不配 拖累")),
        reach=20,
        unless=w("歧视 不要 无障碍 帮助 关爱"),
    ),
    CueRule(
        "targeted-insult",
        "2.1",
        "block",
        (
            w("作者 楼主 小编 博主 编辑 你 这人 此人 你们 作者是 编辑是"),
            w(
                "就是个骗子 是个骗子 傻子 白痴 神经病 疯子 废物 蠢货 蠢猪 智障 脑残 人渣 垃圾 狗东西 骗子吧 有病吧 眼瞎 瞎了 脑子进水 脑子有问题 看看脑子 精神病 有病 割韭菜 收了多少钱 收钱了吧 水军 洗地 猪脑子 又蠢 收了钱 吃相太难看 吃相难看 滚吧 滚出去 滚开 蠢死了 蠢得 活该被割 韭菜活该"
            ),
        ),
        reach=10,
    ),
    CueRule(
        "targeted-mockery",
        "2.3",
        "review",
        (
            w("作者 小编 楼主 博主 编辑 你"),
            w("也配 自以为是 没上过学 小学没毕业 回家种地 就这水平 丢人现眼 洗洗睡 没脑子 大冤种 建议改行 趁早改行"),
        ),
        reach=40,
    ),
    CueRule(
        "mocking-victims",
        "2.3",
        "block",
        (
            DEATH,
            w(
                "活该 还好不是 报应 死得好 该死 老天有眼 罪有应得 死有余辜 天谴 坏人 好笑 演技 装的 作秀 不值得同情 都是命 命不好 没什么好同情 没什么可同情 讹钱 想讹 就是想要钱"
            ),
        ),
        reach=40,
    ),
    CueRule(
        "regional-discrimination",
        "2.7",
        "block",
        (
            re.compile(
                r"(?:河南|河北|山东|山西|东北|湖南|湖北|安徽|江西|广东|广西|福建|四川|贵州|云南|陕西|甘肃|青海|新疆|西藏|内蒙|宁夏|浙江|江苏|上海|北京|天津|重庆|海南|台湾|香港|黑龙江|吉林|辽宁|温州|潮汕|农村|乡下|外地|南方|北方)(?:人|来的|佬|的)"
            ),
            w(
                "骗子 吹牛 忽悠 没素质 素质低 素质差 小偷 偷井盖 穷鬼 别逗了 滚出 没一个好 都是贼 土鳖 黑社会 流氓 土匪 乞丐 没文化 野蛮 骗钱 没见识 土得掉渣 低素质 恶心 什么都吃 看不起 眼睛长在头顶 排外 小矮子 没见过世面 矮子 土老帽 装城里人 不讲道理 蛮横"
            ),
        ),
        same_sentence=False,
        unless=w("地域歧视 刻板印象 不要 别再"),
    ),
    CueRule(
        "ethnic-discrimination",
        "2.7",
        "block",
        (
            re.compile(r"维吾尔族|藏族|回族|蒙古族|少数民族|汉族|黑人|犹太人|穆斯林|朝鲜族|壮族|苗族"),
            w("都该 赶出去 滚出 杀光 劣等 都是恐怖分子 不配 该死 灭了 就是懒 就是脏 就是穷 都是小偷 素质低 恶心"),
        ),
        reach=30,
    ),
    CueRule(
        "ethnic-hatred",
        "1.5",
        "block",
        (
            re.compile(r"维吾尔族|藏族|回族|蒙古族|少数民族|汉族|黑人|犹太人|穆斯林|朝鲜族|壮族|苗族"),
            w("都该 赶出去 滚出 杀光 劣等 都是恐怖分子 不配 该死 灭了 就是懒 就是脏 就是穷 都是小偷 素质低 恶心"),
        ),
        reach=30,
    ),
    CueRule(
        "gender-discrimination",
        "2.7",
        "block",
        (
            w("女的 女人 娘们 老娘们 妇女 男的 女司机 女生 男人"),
            w(
                "就别 别来 回家带孩子 就不该 只配 不配 做不了 老老实实 凑热闹 就是不行 见识短 花瓶 都是花瓶 能力不行 根本不行 还是得靠男的 靠男的 马路杀手"
            ),
        ),
        reach=25,
        unless=w("歧视 刻板印象 偏见"),
    ),
    CueRule(
        "age-discrimination",
        "2.7",
        "block",
        (
            re.compile(
                r"[0-9]{2}岁以上|[0-9]{2}岁的|中年人|老年人|老人|老东西|大龄|00后|90后|80后|70后|60后|多岁的|大妈|大爷|老头|老太太"
            ),
            w("废物 该被优化 该死 该淘汰 淘汰掉 滚蛋 混吃等死 真烦人 又土又 全踢了 滚出去 垮掉的一代 没救了"),
        ),
        reach=25,
        unless=w("歧视 偏见 焦虑"),
    ),
    CueRule(
        "promotion",
        "3.1",
        "block",
        (CALL_TO_ACTION, OFFER),
        reach=40,
        same_sentence=False,
        unless=(*REPORTING, "补贴", "补助"),
    ),
    CueRule(
        "priced-call-to-action",
        "3.1",
        "block",
        (CALL_TO_ACTION, PRICE),
        same_sentence=False,
        unless=(*REPORTING, "补贴", "补助"),
    ),
    CueRule("fake-engagement-trade", "3.6", "block", (FAKE_ENGAGEMENT, SELLING_ENGAGEMENT), unless=REPORTING),
    CueRule(
        "trend-buying",
        "3.6",
        "block",
        (w("上热搜 热搜 上榜 榜单"), w("保证 包上 价格 收费")),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "fake-engagement-priced",
        "3.6",
        "block",
        (
            w("好评 刷单 补单 粉丝 涨粉 活粉 点赞 一个赞 播放量 阅读量 转发量 万粉 千粉 评论员 followers 一千个"),
            PRICE,
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "side-job-scam",
        "3.1",
        "block",
        (
            w(
                "副业 兼职 宝妈 学生都能做 手机就能做 在家就能做 动动手指 打字员 招托 托儿 帮忙点赞 点个赞 点赞员 点赞兼职 排队一小时"
            ),
            w("月入 日入 日结 躺赚 轻松赚 一天赚 带你做 零门槛 零风险 一毛钱 一毛 给五十 给钱 可做 私信我"),
        ),
        same_sentence=False,
        unless=w("调查 真相 揭示 骗局 套路 警惕 远离 别信 警方 提醒 诈骗 防骗 受害人 被骗"),
    ),
    CueRule(
        "course-scam",
        "3.1",
        "block",
        (w("招收徒弟 收徒 带徒弟 手把手教 教你做 包教包会"), w("学费 包回本 回本 月入 日入 躺赚 不赚钱退")),
        reach=30,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "investment-scam",
        "3.7",
        "block",
        (
            w("投资 本金 投一万 投一千 投几千 入金"),
            w("稳赚 保本 高回报 躺赚 零风险 一个月回本 包回本 快速回本 稳赚不赔 收益翻倍"),
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "stock-tipping",
        "3.7",
        "block",
        (w("股票 个股 牛股 荐股"), w("必涨停 必涨 稳赚 赶紧上车 内幕")),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "superstition-for-sale",
        "3.1",
        "block",
        (SUPERSTITION, SELLING),
        reach=40,
        same_sentence=True,
        unless=w("风水宝地 电影 小说 营销噱头"),
    ),
    CueRule(
        "superstition-priced",
        "3.1",
        "block",
        (SUPERSTITION, PRICE),
        same_sentence=True,
        unless=w("风水宝地 电影 小说 营销噱头"),
    ),
    CueRule(
        "mocking-skill",
        "2.3",
        "review",
        (w("这水平 这种水平 这点水平 这种货色"), w("也敢 也配 还好意思 还出来 回炉 丢人")),
        reach=20,
    ),
    CueRule(
        "illegal-recruiting",
        "3.1",
        "block",
        (
            w("跑分 洗钱 收卡 卡农 刷单 菠菜 博彩 赌球 外围赌 外围投注 跑分车队"),
            w("诚招 急招 佣金 日结 私聊 加我 带单 日入 高薪 长期 招人 招聘 招募 招收"),
        ),
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule(
        "personal-data-sale",
        "3.1",
        "block",
        (
            w("出售 打包出售 一手 按条计费 批量可查 可验货"),
            w("面单 个人信息 公民信息 实名手机号 身份证 户籍 开房记录 通讯录 车主信息 数据"),
        ),
        unless=REPORTING,
    ),
    CueRule(
        "giveaway-bait",
        "3.1",
        "review",
        (
            w("免费领取 免费领 免费送 0元领 白送"),
            w("价值 仅限 扣1 关注后 转发后 私信我 评论区 前100名 前一百名 关注+转发 网盘 私聊发你"),
        ),
        reach=20,
        same_sentence=False,
    ),
    CueRule(
        "deceptive-experience",
        "3.7",
        "block",
        (
            w("亲测 真实经历 亲身经历 绝对真实 真的有用 内部渠道 我用了 用了一周"),
            w("加我 私信 要链接 想学的 收费 课程 下单 名额 报我名字 链接 赶紧买 大家赶紧"),
        ),
        reach=80,
        same_sentence=True,
    ),
    CueRule(
        "gambling-promotion",
        "3.1",
        "block",
        (
            w(
                "赌场 百家乐 博彩 菠菜 上分下分 上下分 彩金 棋牌 娱乐城 真人荷官 时时彩 六合彩 赌博 下注 回血 彩票平台 带单 返水 首存 老虎机 葡京 新葡京 威尼斯人 太阳城 真人视讯 体育竞猜 电子游艺 捕鱼 黑彩 bc平台 du博 dubo 网du 跟单"
            ),
            w(
                "注册 加群 客服 稳赚 秒到账 首充 送 日入 带你飞 平台 入口 下载 www 链接 跟着老师 老师 回血 稳赚不赔 每天 开户 注册即送 首存 天天 一站式 即送 私聊 进群 拉你 不中退款 内部推荐 包红"
            ),
        ),
        reach=40,
        same_sentence=True,
        unless=REPORTING,
    ),
    CueRule(
        "sex-ad",
        "3.1",
        "block",
        (
            w(
                "寂寞 少妇 福利视频 福利直播 深夜福利 hs资源 黄色资源 成人视频 约炮 裸聊 同城交友 福利姬 约p 学生妹 小电影 看片 约跑 同城高颜值 陪聊 美女陪 一对一视频 炮友 单身美女 线下约见 走光照 高清无码 成人内容 勿入 黄色网站"
            ),
            w(
                "私我 私聊 点头像 进主页 入口 加 链接 资源 懂的来 懂的进 在线等 价格 头像 看私密 私密视频 看照片 照片 找我 来找我 同城的私 同城 充值 私信我 发你们 给你们发 先到先得 私信获取 链接 懂的私"
            ),
        ),
        reach=40,
        same_sentence=False,
    ),
    CueRule(
        "account-trade",
        "3.1",
        "block",
        (
            w("出售 低价出售 转让 收购 打包出售 出租 长期收 收各大平台"),
            w(
                "账号 万粉号 粉丝号 靓号 老号 白号 微信群 群资源 社群资源 粉丝群 店铺 信誉 带粉丝 蓝v 认证 下号 会员账号 实名账号"
            ),
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "resource-sale",
        "3.1",
        "block",
        (w("资源打包 网课资源 全套资源 课程资源 打包出售"), w("原价 现在只要 低价 出售 现在三十九 只要")),
        reach=30,
        same_sentence=False,
        unless=REPORTING,
    ),
    CueRule("vulgar-driving", "4.4", "review", (w("评论区 弹幕 老司机"), w("开车 飙车 上车")), reach=20),
    CueRule(
        "objectifying",
        "4.4",
        "review",
        (
            w("女主播 小姐姐 妹子 美女 女星 模特 照片 作者"),
            w("身材真 身材火辣 大长腿 骚 约吗 约不约 腿真长 想摸 胸真大 胸好大 大胸"),
        ),
        reach=20,
        unless=w("骚操作"),
    ),
    CueRule(
        "animal-cruelty",
        "4.5",
        "block",
        (w("虐待 虐杀 折磨 活剥"), w("猫 狗 动物 小猫 小狗 宠物")),
        reach=10,
        unless=w("谴责 报警 举报 警方 立法 保护 救助"),
    ),
    CueRule(
        "victim-blaming",
        "4.4",
        "review",
        (
            w("穿得那么少 穿这么少 穿那么少 露那么多 穿成这样 这种打扮 打扮成这样 那么短的裙子 穿那么短"),
            w("想被人看 勾引 就是想 活该 欠 让人看 看大腿"),
        ),
        reach=20,
    ),
    CueRule("blaming-victims", "2.5", "block", (w("被骚扰 被侵犯 被性侵 被猥亵"), w("活该 自找的 自作自受")), reach=20),
    CueRule("harassing-author", "2.5", "block", (w("作者 楼主 博主 你"), w("约吗 约不约 睡你 包养")), reach=20),
    CueRule(
        "scandal-hype",
        "4.6",
        "review",
        (
            w("某女星 某男星 顶流 明星 女星 男星 某知名 网红"),
            w(
                "私密照 艳照 不雅视频 视频已流出 私会 开房 床照 尺度太大 出轨 偷拍 那段视频 求资源 视频资源 私生活混乱 有染 出入酒店 与富商"
            ),
        ),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "identity-claim",
        "5.3",
        "review",
        (
            w("我是 本人是 我就是 本人就是"),
            w(
                "记者 警察 民警 律师 官方 审核员 工作人员 公司员工 内部人士 客服 法官 医生 护士 内部员工 银行工作人员 高管 上市公司 运营小二 小二 平台运营 平台的运营 hr 大厂 国家电网 电力公司 自来水公司 当事人 目击者 编导 电视台 导演 制片 受害者 分析师 券商 首席"
            ),
            w(
                "全是假的 都是假的 别买 千万别 内部消息 解封 包过 赶紧 暗访 曝光了 保证 相信我 一律 必须 停电 停水 囤 提前 内部透露 透露 全部取消 真相是 真相 必涨停 赶紧上车 帮你们申请 帮你申请 帮你上 加我详谈 先交 报名费 帮你解封 可以帮你解封 流量扶持"
            ),
        ),
        reach=40,
        same_sentence=True,
    ),
    CueRule(
        "fake-policy",
        "5.1",
        "review",
        (w("国家规定 国家要求 上面规定 政府规定 最新规定 国家出台"), w("所有 一律 罚款 都要 必须 没收 不装")),
        reach=30,
        unless=w("官网 公告 发布 文件 通知显示 记者 据新华社 据人民日报 辟谣 谣言"),
    ),
    CueRule(
        "fee-scam",
        "5.3",
        "block",
        (w("保证金 解封费 激活费 解冻费 认证费 验证费"), w("解封 冻结 才能提现 才能解封 激活 封号")),
        reach=25,
        unless=w("警方 提醒 谨防 骗局 诈骗 警惕 所谓 不会"),
    ),
    CueRule(
        "advance-fee",
        "3.7",
        "block",
        (
            w("先交 先付 交钱 先转 押金只要 只需押金 交押金"),
            w("报名费 保证金 押金 手续费 培训费 上节目 包分配 免费培训 主播岗"),
        ),
        reach=20,
        unless=REPORTING,
    ),
    CueRule(
        "vaccine-rumour",
        "5.1",
        "block",
        (
            w("疫苗 打针 核酸 5g 基站"),
            w("不孕 致癌 有毒 千万别打 害死 绝育 致死"),
            # the claim is that one causes the other, not that both were done (绝育和疫苗接种)
            re.compile(r"会|导致|引起|造成|致|害|打了|打完|千万别|有毒"),
        ),
        reach=30,
        unless=w("辟谣 谣言 不实 没有科学依据 并不会 不会导致"),
    ),
    CueRule(
        "fake-official-notice",
        "5.3",
        "block",
        (
            re.compile(r"【[^】\n]{0,14}(?:总局|部|委员会|委|局|团队|官方|客服|中心|办公室|法院|公安|政府)】"),
            w("通知 账号 缴纳 点击 冻结 封号 验证"),
        ),
        reach=60,
        same_sentence=False,
    ),
    CueRule(
        "fake-subsidy",
        "5.3",
        "block",
        (w("官方认证 国家 政府 官方"), w("补贴 补助 津贴 红包"), w("领取 转发 关注 名额有限")),
        reach=40,
        same_sentence=False,
        unless=(*REPORTING, "政策", "市民", "申请条件", "官网", "公告"),
    ),
    CueRule(
        "insider-rumour",
        "5.1",
        "review",
        (
            w(
                "内部消息 小道消息 据网友爆料 业内人士透露 知情人士透露 据不完全统计 网传 紧急扩散 赶紧转发 转发让大家知道 速速转发 透露一下"
            ),
            w("裁员 倒闭 破产 跑路 暴雷 合并 取消所有 关停 投毒 取款 封城 没收 存款 冻结 排队取钱 要倒闭 清算"),
        ),
        reach=80,
        same_sentence=False,
        unless=w("辟谣 不实 谣言"),
    ),
    CueRule(
        "hearsay-claim",
        "5.1",
        "review",
        (
            w(
                "听说 据说 有消息称 内幕消息 我朋友在 朋友说 有人说 小道消息 内部透露 我在医院 我在银行 我在政府 我在税务局 我在证监会 内部人士透露 内部人士 不愿透露姓名 知情人士称 知情人士 在公安局上班 在派出所 公安局上班 我哥在 我姐在"
            ),
            w(
                "全完了 要关停 要倒闭 封禁 没收 要跑路 都要交 暴雷 崩盘 取消所有 全部封 全部取消 会死人 死了好几个 裁员一半 全面收取 全面收费 涨价一倍 都要涨价 大规模爆发 新型病毒 被杀了 别出门 晚上别出门"
            ),
        ),
        reach=40,
        same_sentence=False,
        unless=w("官方 公告 辟谣 谣言 不实 澄清 假的"),
    ),
    CueRule(
        "suppressed-news",
        "5.1",
        "review",
        (w("掩盖真相 压消息 一直瞒着 封锁消息 隐瞒 不敢报 在掩盖"), w("死了 撞死 几千 好多人 去世 死人")),
        reach=30,
        same_sentence=False,
        unless=w("辟谣 谣言 不实 通报"),
    ),
    CueRule(
        "eyewitness-claim",
        "5.1",
        "review",
        (
            w("我在现场 视频是真的 亲眼看到 亲眼所见 网传 据说 被证实是真的 已经被证实"),
            w("死了 死伤 好几十个 上百人 几百人 尸体 器官 卖了"),
        ),
        reach=30,
        same_sentence=False,
        unless=w("据官方通报 官方通报称 辟谣 经核实"),
    ),
    CueRule(
        "product-scare",
        "5.1",
        "review",
        (
            w("牌子的 品牌的 这款 这家 这个牌子"),
            w("有毒 致癌 吃死人 喝死 吃出病 喝了住院 吃了住院"),
            w("千万别买 别买 大家注意 扩散 转发 千万别再吃 别再吃 千万别吃"),
        ),
        reach=40,
        same_sentence=False,
        unless=w("谣言 辟谣 不实 检测合格 官方通报"),
    ),
    CueRule(
        "knowing-falsehood",
        "5.1",
        "review",
        (w("假新闻 我编的 编的 ai生成 是假的 瞎编的"), w("转发一下也无所谓 转发也无所谓 大家转发 信就行 没人查 反正")),
        reach=30,
        same_sentence=False,
    ),
    CueRule(
        "imminent-doom",
        "5.1",
        "review",
        (
            w("马上要 明天起 下月起 马上就要 下个月就"),
            w("收费了 要收费 关闭了 要关闭 停止服务 全部封号 赶紧备份 赶紧提现 要倒闭"),
        ),
        reach=25,
        same_sentence=False,
        unless=w("公告 官方宣布 报道 通知显示 据 辟谣"),
    ),
    CueRule(
        "miracle-cure",
        "5.1",
        "block",
        (
            w(
                "治愈 根治 包治 药到病除 停了药 代替药物 软化血管 治好了 包好 根除 能治 排毒 全好了 喝好了 吃好了 彻底好了 不用吃药 药都不用吃"
            ),
            w(
                "糖尿病 高血压 癌症 肿瘤 乙肝 百病 抑郁症 痛风 不孕 心脏病 血管 脑梗 结石 近视 白发 三高 癌 病毒 新冠 流感 癌细胞 失眠 便秘 胃病 颈椎病 湿疹 过敏 哮喘 鼻炎 脱发 肥胖 妇科病 前列腺 风湿 关节炎 焦虑症 老年痴呆 肝病 肾病"
            ),
        ),
        reach=40,
        same_sentence=False,
        unless=w("医生 临床 研究 治愈率 早期 药物 手术 治疗方案 不能 无法 虚假 谣言 警惕 宣称普通食品"),
    ),
    CueRule(
        "invented-result",
        "5.2",
        "review",
        (
            w("亲测 真实经历 亲身经历 绝对真实 真的有用 我用这 我用了 亲自试过 我试过"),
            w("瘦了 涨粉 月入 日入 赚了 治好 白了 回本 翻倍"),
        ),
        reach=60,
        same_sentence=False,
        unless=w("文案 话术 新规 合规 广告法"),
    ),
    CueRule(
        "miracle-result",
        "5.2",
        "review",
        (
            re.compile(
                r"(?:[0-9一二两三四五六七八九十]+|一个?)(?:天|周|星期|个月|月)(?:就|能|可以|轻松)?(?:瘦|掉|减)(?:了)?[0-9一二两三四五六七八九十百]+(?:斤|公斤|kg)"
            ),
            w("瘦 掉 减"),
        ),
        reach=30,
    ),
    CueRule(
        "fate-by-name", "6.4", "review", (w("命里缺 五行缺 命中缺 八字缺 名字里加"), w("转运 改名 运势 财运 加个 旺"))
    ),
    CueRule(
        "zodiac-dread",
        "6.1",
        "review",
        (
            w("本命年 犯太岁 属相 冲太岁 生肖 属鼠 属牛 属虎 属兔 属龙 属蛇 属马 属羊 属猴 属鸡 属狗 属猪"),
            w("一定要 必须 倒霉 化解 红绳 穿红 戴 破财 血光 千万别 会离婚 不能结婚"),
        ),
        reach=20,
        unless=w("民俗 习俗 传统文化 营销 电影 小说"),
    ),
    CueRule(
        "auspicious-day",
        "6.1",
        "review",
        (w("好日子 看日子 择日 吉日 黄道吉日"), w("不然 否则 一定 不顺 做不起来 倒霉 才能旺")),
        reach=25,
        unless=w("习俗 传统 营销 婚礼策划"),
    ),
    CueRule(
        "master-remedy",
        "6.1",
        "review",
        (w("大师 师傅 高人 道长 仙姑"), w("化解 开光 做法 改运 转运 指点迷津 破解 驱邪")),
        reach=20,
        unless=w("所谓 骗局 骗子 智商税 电影 小说"),
    ),
    CueRule(
        "master-foresight",
        "6.1",
        "review",
        (w("大师 师傅 高人 道长 仙姑 半仙"), w("前世 看透 算出 预测 命运 运程 命中")),
        reach=20,
        unless=w("所谓 骗局 骗子 智商税 电影 小说"),
    ),
    CueRule(
        "dream-reading",
        "6.1",
        "review",
        (w("梦见 梦到"), w("代表 预示 寓意 要发财 大凶 大吉 说明 要出事 化解 预兆 升官发财")),
        reach=20,
    ),
    CueRule("number-divination", "6.1", "review", (w("手机号码 车牌 号码"), w("测吉凶 吉凶 旺财 招财 财运")), reach=20),
    CueRule(
        "shop-fengshui",
        "6.3",
        "review",
        (w("风水"), w("财源 财气 旺财 聚财 招财 煞 化解 开光 貔貅 调理 布局大全")),
        reach=40,
        same_sentence=False,
        unless=w("不是玄学 开玩笑 比喻 所谓好风水 与其"),
    ),
    CueRule(
        "placement-luck",
        "6.3",
        "review",
        (
            w("方位 摆放 朝向 摆错 摆对 大门朝 朝西 朝东 朝南 朝北 格局 对着门 书桌 床头"),
            w("破财 招财 旺财 漏财 犯冲 挡煞 财运 风水不好 不能对着"),
        ),
        reach=20,
        unless=w("所谓 不是玄学 比喻 玩笑"),
    ),
    CueRule(
        "dangerous-stunt-minors",
        "9.1",
        "block",
        (
            w("小朋友 孩子 小孩 儿童 宝宝 学生 娃 你家娃 熊孩子 小孩子"),
            w(
                "栏杆外 楼顶边缘 天台边缘 阳台外 不系安全绳 徒手攀爬 憋气 埋进水 喷火 打火机 点火 插座 电门 卧轨 扒车 洗衣凝珠 生吞 从高处跳 喝酒 白酒 抽烟 吸烟 电子烟 一口气喝完 伸出车窗 头伸出 车窗外 爬窗 翻窗 高空 马路中间 拦车 马路上躺 躺马路 躺在马路 鞭炮 炮仗 下水道 倒着冲 头朝下 从高处 跳下来 翻越 窗台 电线 煤气 去河边 到河边 河边玩 在河边玩 水库 一个人去 野泳 消毒液 混在一起 洁厕灵 不穿棉衣 冬天不穿 冻一冻 冰面 冰上 薄冰"
            ),
        ),
        reach=60,
        same_sentence=True,
        unless=REPORTING + SAFETY,
    ),
    CueRule(
        "child-abuse",
        "9.4",
        "block",
        (w("孩子 小孩 娃 儿子 女儿"), w("往死里打 打一顿就 狠狠打 不给饭吃 关小黑屋 饿几顿 打到服 就打")),
        reach=20,
        unless=w("不要 反对 家暴 违法 谴责 报警"),
        whole_words=True,  # 就打 is not in 就打招呼
    ),
    CueRule(
        "victim-cruelty",
        "9.4",
        "block",
        (w("被拐卖 拐卖 走失 失踪 被拐"), w("还不如不找 不如不找 好不到哪去 活该 找回来也没用")),
        reach=30,
        unless=w("不要 谴责 打拐 帮忙寻找 扩散寻人"),
    ),
    CueRule(
        "bullying-praise",
        "9.4",
        "block",
        (w("欺负同学 霸凌 校园暴力 打同学 孤立同学"), w("才能 活该 树立威信 好玩 应该 没错")),
        reach=25,
        unless=w("反对 制止 预防 不要 举报 谴责 治理"),
    ),
    CueRule(
        "dangerous-challenge",
        "9.1",
        "review",
        (
            w(
                "挑战 试试 学起来 拍照 拍成视频 涨粉 流量 播放量 完播率 拍视频 绝对火 火了 博眼球 照着做 跟着做 粉丝们 拍下来 发抖音 看看会怎样 教大家 很好玩 好玩"
            ),
            w(
                "栏杆外 楼顶边缘 天台边缘 不系安全绳 徒手攀爬 憋气 生吞 魔鬼辣椒 喷火 打火机 卧轨 扒火车 高速上 闯红灯 一口闷 一口气喝完 喝完一瓶 吹瓶 白酒 不系安全带 逆行 高速公路上 扒车 翻栏杆 伸出车窗 头伸出 车窗外 爬窗 马路上躺 躺马路 躺在马路 马路中间 一口气吃 吃下十斤 暴食 吃不完不许停 吃到吐 电风扇 伸进 绞肉机 微波炉 一次吃完 不喝水 五斤 吞下 吞食 电梯里蹦跳 电梯卡住 蹦跳"
            ),
        ),
        reach=40,
        same_sentence=True,
        unless=REPORTING + SAFETY,
    ),
    CueRule(
        "ritual-instead-of-medicine",
        "9.4",
        "block",
        (
            w("孩子 小孩 宝宝 老人 病人"),
            w(
                "别急着去医院 不用去医院 不去医院 别去医院 兑水喝 偏方 比吃药管用 不用吃药 画符 符纸 符咒 符水 请个符 一张符 张符"
            ),
        ),
        reach=40,
        same_sentence=True,
        unless=REPORTING,
    ),
    CueRule(
        "disaster-glee",
        "9.2",
        "block",
        (DISASTERS, GLEE),
        same_sentence=True,
        unless=w("演练 演习 预案 逃生 防范 捐款 救援"),
    ),
    CueRule(
        "disaster-curse-harm",
        "9.2",
        "block",
        (DISASTERS, w("没把你 把你们都 都埋了 埋了你 砸死你")),
        reach=25,
        same_sentence=False,
    ),
    CueRule(
        "disaster-curse",
        "2.6",
        "block",
        (DISASTERS, w("没把你 把你们都 都埋了 埋了你 砸死你")),
        reach=25,
        same_sentence=False,
    ),
    CueRule(
        "disaster-contempt",
        "2.3",
        "block",
        (DISASTERS, w("活该 报应 不积德 死有余辜 罪有应得")),
        reach=30,
        same_sentence=False,
    ),
    CueRule(
        "self-harm-push",
        "9.4",
        "block",
        (w("跳下去 跳楼 割腕 吃安眠药 烧炭"), w("一了百了 解脱 去吧 就去 吹吹风 不如")),
        reach=25,
        same_sentence=False,
        unless=w("热线 求助 不要 别 心理咨询 援助 陪伴"),
    ),
    CueRule(
        "disaster-exploitation",
        "9.2",
        "block",
        (
            w(
                "地震 洪水 洪灾 水灾 火灾 大火 车祸 空难 海啸 台风 泥石流 矿难 爆炸事故 踩踏 事故 灾区 遇难 罹难 坠楼 跳楼 溺亡 现场"
            ),
            w(
                "直播带货 卖货 蹭个热点 蹭热点 流量必须蹭 吸睛 带货 越惨烈 正好可以 炒一波 发一笔 囤货涨价 趁机涨价 做空 赚一波 发财的机会 机会来了 股要跌 赶紧买入"
            ),
        ),
        same_sentence=True,
        unless=w("翻车 道歉 千万别 不要"),
    ),
    CueRule(
        "gore-seeking",
        "9.2",
        "block",
        (
            w("车祸 事故 现场 尸体 命案 凶案 血腥"),
            w(
                "原图 求图 发我 高清无码 太刺激 血肉模糊 压扁 压成 太吓人 一地的血 视频在这 当场没了 满脸是血 疯传 完整版 谁有 头都掉了 我拍了视频 拍了视频"
            ),
        ),
    ),
    CueRule(
        "gore-request",
        "4.5",
        "block",
        (
            w("车祸 事故 现场 尸体 命案 凶案 血腥"),
            w(
                "原图 求图 发我 高清无码 太刺激 血肉模糊 压扁 压成 太吓人 一地的血 视频在这 当场没了 满脸是血 疯传 完整版 谁有 头都掉了 我拍了视频 拍了视频"
            ),
        ),
    ),
    CueRule(
        "drug-footage", "4.7", "review", (w("吸毒 注射毒品 嗑药"), w("视频 画面 针头 直播")), reach=20, unless=REPORTING
    ),
    CueRule(
        "self-harm-spectacle",
        "9.4",
        "block",
        (w("自残 割腕 自杀"), w("直播 全是血 好多人在看 围观")),
        reach=20,
        unless=w("热线 求助 干预 报警 救助 谴责"),
    ),
    CueRule(
        "self-harm-broadcast",
        "4.5",
        "block",
        (w("自残 割腕 自杀 跳楼"), w("直播 视频 全是血 好多人在看 围观")),
        reach=20,
        unless=w("热线 求助 干预 报警 救助 谴责"),
    ),
    CueRule(
        "war-glorification",
        "9.3",
        "block",
        (
            w(
                "侵略 皇军 日军 大东亚共荣 军国主义 大屠杀 731 纳粹 侵华 日本侵略 侵略战争 鬼子 日本人 侵略者 屠城 屠杀 战争 二战时日本 日本的所作所为 七七事变 九一八 卢沟桥 日本赢了 要是当年日本"
            ),
            w(
                "打得好 威武 万岁 可惜 干得漂亮 值得学习 伟大 杀得好 该杀 为了科学 科学进步 没什么好批评 有理 功劳 解放亚洲 洗白 应该感谢 帮助亚洲 摆脱殖民 解放 要是赢了 赢了就好了 过得更好 输了 没什么大不了 不算什么 好的一面 贡献很大 有功 苦衷 情有可原 不应该只看到 自己太弱 太弱 被逼的 没必要一直揪着 被夸大 夸大了 没死那么多 先挑衅 只是自卫 自卫 也挺好 更好"
            ),
        ),
        unless=REPORTING,
        masks=WAR_NAMES,
    ),
]


# --- general cue rules (round 2): each pairs a kind of claim or act with what makes it harm ---

# Negations and medical framing that turn a cure or a rumour into advice against it.
ADVICE = w(
    "治愈率 新药 临床 患者 疗法 治疗方案 不能 不可 不可以 请勿 切勿 不要 别 擅自 自行 遵医嘱 谣言 误区 并不能 没有证据 临床试验 研究显示 医生提醒 专家提醒 提醒 权威来源 以官方 为准 核实 辟谣平台"
)
CURE_CLAIMS = w(
    "根治 治愈 治好了 包治 药到病除 杀死癌细胞 杀灭癌细胞 癌细胞都 软化血管 疏通血管 清除血栓 停药 药可以停 不用吃药 不用打针 化疗都省 不用化疗 不用做手术 比药还管用 吃好了 喝好了 百病"
)
AILMENTS = w(
    "癌 肿瘤 糖尿病 高血压 血压 血糖 血脂 血管 心脏病 中风 痛风 失眠 结节 甲状腺 降压药 胰岛素 化疗 偏方 保健品 秘方 疾病 病"
)
HEARSAY = w(
    "内部消息 小道消息 听说 据说 据传 都在传 群里在传 朋友圈都在传 医生朋友 朋友告诉我 偷偷告诉 一直瞒着 官方瞒着 瞒着我们 官方不让说 刚发的通知 刚下的通知 速转！ 速转! 速速转发 紧急扩散 转发扩散 转给家人 赶紧转 辟谣都是假的 都是假的 专家都不敢 专家不敢 千真万确 绝对是真的 这个视频是真的"
)
ALARMS = w(
    "手续费 冻结 停课 封城 封了 封控 停水 停电 致癌 致癌物 得癌症 癌症 不孕 辐射 死亡 决堤 台风 地震 清零 关停 扣款 禁止 核污水 污染 不能吃 别吃了 都别吃 不要出门 抢购 囤 要打仗 倒闭 跑路"
)
AUTHORITIES = w(
    "高管 记者 央视 公安局 派出所 警察 民警 警官 法院 检察院 主任医师 主任 医生 专家 教授 官方 客服 工作人员 银行 局长 领导 内部员工 大厂"
)
IMPERSONATION_CLAIMS = w(
    "内部文件 文件已经下来 已经定了 消息可靠 负责任地告诉 内部 保本 保收益 曝光 涉嫌 安全账户 配合 转入 治愈 能治 都是假的 投资 项目 转账 验证码 冻结 洗钱 退款 理赔"
)
PHISHING_ACTS = w("点击链接 点击下方链接 积分 清零 兑换现金 退税 认证 冻结 领取 中奖 补贴 验证码 安全账户")
DARES = w(
    "挑战 试试 试一下 一起来 教大家 教你们 教你 拍视频 拍出来 好玩 超酷 很刺激 超刺激 打卡 学这个 可以试 都可以试 跟着做"
)
DANGERS = w(
    "不系安全带 两百码 200码 飙车 酒驾 醉驾 喝一整瓶 一整瓶白酒 再开车 天台 楼顶 边缘 栏杆外 别用保护 不用保护 不带保护 不戴头盔 插座 电线 高压线 爆炸 干冰 密封瓶 不吃饭 绝食 断食 生吞 一口气喝完 往下跳 从二楼 从三楼 跳下去 铁轨 卧轨 憋气 窒息 勒脖子 吞下 打火机 点燃 汽油"
)
SELF_HARM = w("一整瓶安眠药 吃一整瓶 吞一整瓶 过量服用 自杀 割腕 跳楼 上吊 烧炭 吞药 轻生 自残 结束生命")
SELF_HARM_HOW = w("方法 教你 不疼 怎么 步骤 我可以教 推荐 最快 最不痛苦 一起 约吗 工具")
CARE = w("热线 求助 干预 预防 心理咨询 援助 帮助 心理医生 拨打 倾诉 陪伴 别做傻事 珍惜")
AGGRESSION = w(
    "731 神风特攻队 大东亚共荣 皇军 南京大屠杀 南京的事 侵华 日军 军国主义 靖国神社 甲级战犯 东条英机 细菌战 慰安妇 三光政策"
)
AGGRESSION_PRAISE = w(
    "勇士 佩服 贡献 杀得好 成功了 客观评价 值得学习 英雄 敬佩 了不起 伟大 多杀点 就该多杀 活该 发达国家 应该感谢 功大于过 不算什么 被夸大 没那么多 编造的 情有可原 也是为了"
)
REMEMBRANCE = w("罪行 缅怀 铭记 侵略者 灾难 暴行 反思 批判 遇难同胞 纪念 不能忘记 勿忘 控诉 审判")
HEROES = w("英雄 烈士 先烈 黄继光 邱少云 董存瑞 狼牙山五壮士 刘胡兰 雷锋 方志敏 赵一曼 杨靖宇")
HERO_DENIAL = w(
    "编出来 编的 假的 骗了 骗局 违反物理 根本不存在 洗脑 虚构 炒作 演的 摆拍 傻子 蠢 活该 不值得 被神化 吹出来"
)
HERO_DEFENCE = w("辟谣 驳斥 歪曲 诋毁 抹黑 侮辱 英烈保护法 依法 判决 起诉 道歉 缅怀 致敬 纪念")
FAN_TARGETS = w(
    "代言人 换代言 哥哥 姐姐 爱豆 正主 本命 后援会 超话 粉籍 对家 糊咖 我家 他家 她家 饭圈 顶流 新歌 新剧 新专 站姐 粉头 脱粉"
)
FAN_MANIPULATION = w(
    "刷播放量 刷播放 刷五星 刷一星 刷负评 刷好评 刷礼物 刷分 开小号 用小号 个小号 小号 刷票 反黑 举报 控评 轮博 撤热搜 买热搜 上热搜 数据任务 签到 打卡 断签 刷榜 刷数据 做数据 刷屏"
)
FAN_PUNISHMENT = w("叛徒 踢出 拉黑 挂出来 让大家骂 不配当粉丝 不配 滚出 开除粉籍 一律踢 追杀 网暴")
FAN_SPENDS = w("打榜 应援 刷礼物 礼物记录 打赏 买专辑 集资 刷的礼物 氪金 榜一")
SPENT_AMOUNT = re.compile(
    r"刷了[0-9一二两三四五六七八九十百千万]+个|花了[0-9一二两三四五六七八九十百千万]+|[0-9一二两三四五六七八九十百千]+万|谁能比我多|谁比我多|白嫖|你们这些穷"
)
BULLYING = w(
    "堵他 堵她 揍他 揍她 好欺负 欺负她 欺负他 丑照 p她 p他 骂她 骂他 孤立她 孤立他 人肉 挂她 挂他 发到她学校 发到他学校 发到学校 一起去骂 刷屏骂 曝光她 曝光他 羞辱 起外号 扒光 打她 打他"
)
THREAT_KNOWS = w("我知道你 知道你 查到你 找到你")
THREAT_WHERE = w("住哪 住在哪 在哪上班 家在 公司在 学校在 住在 家门口 下班路上 放学路上 公司在哪 学校在哪")
FIGHTS = w("约架 群殴 干一架 火拼 砍人 堵他 堵她 打一架 单挑")
FIGHT_PREP = w("带上家伙 带刀 带上刀 带棍子 谁怂 不来是 集合 多叫点人 叫上兄弟 抄家伙")
CARD_SETS = w("储蓄卡 借记卡 四件套 银行卡 电话卡 手机卡 对公账户 u盾 实名账户 支付宝账号 微信号")
CARD_TRADE = w("收一批 收购 高价收 长期收 回收 出售 出租 租用 一套 一张 价格好商量 价格好说 收卡 卡商")
GROWTH_SERVICES = w("代运营 代投 投流代投 代做数据 代发笔记 代写软文 包收录 包排名 seo快排 快排")
GROWTH_PROMISES = w("保roi 保证效果 保证流量 包上 不达标退款 包过 保量 私信报价 咨询 价格 报价 全平台可做 效果不好退款")
DIGITAL_GOODS = w("激活码 注册码 共享账号 会员账号 永久会员 破解版 独享账号 合租")
DIGITAL_SALE = w("低价 一次购买 扫码付款 终身 永久 一个月 价格 加群 私我 私信 出售 便宜出 需要的")
FAST_GROWTH = w("一条龙 粉只要 赞只要 包上热门 上热门 保证流量 代运营 保roi 不达标退款 真人粉 全平台可做")

# 我是市教育局的 / 我是某某医院的: an institution named by its kind, not only the ones listed
INSTITUTION = re.compile(r"(?:我是|本人是|我在)[\u4e00-\u9fff]{0,5}(?:局|厅|委|院|所|办|中心|部门)(?:的|上班|工作)")
SPREAD_CALLS = w("快告诉 告诉家里 告诉家人 转给家人 转给父母 转发给 家里老人 互相转告 周知 扩散出去 让更多人知道")
FOOD_ALARMS = w("会中毒 相克 致癌 会致命 吃死人 会爆炸 有毒 得癌 进医院 进了医院 中毒")
UNPROTECTED = re.compile(r"(?:不|别|没|无需|不需要)(?:用|带|戴|系|要)?(?:任何)?(?:保护|安全带|头盔|安全绳|保护绳|护具)")
HEIGHTS_AND_FIRE = w("徒手爬 徒手攀 攀爬 爬到 楼顶 阳台 天台 高楼 屋顶 吊桥 悬崖 点燃 点火 打火机 花露水 酒精灯")
ACCOUNTS = w("抖音号 小红书号 快手号 公众号 微博号 视频号 粉丝号 千粉号 万粉号 老号 成品号 蓝v号")
ACCOUNT_TRADE = w("出手 出售 转让 可过户 过户 低价出 收号 回收 带货权限 出号")
HACKING = w("盗号 盗别人 盗qq 盗微信 黑客软件 破解密码 破解别人 查开房记录 定位别人 查聊天记录")
HACK_OFFER = w("教你 成功 接单 百分百 包成功 价格 私我 找我 代查 秒查")
COUNTERFACTUAL = w("要是 如果 假如 若是 当年")

RULES += [
    CueRule("cure-claim", "5.1", "review", (CURE_CLAIMS, AILMENTS), reach=30, unless=REPORTING + ADVICE),
    CueRule(
        "hearsay-alarm",
        "5.1",
        "review",
        (HEARSAY, ALARMS),
        reach=40,
        same_sentence=False,
        unless=(*(c for c in REPORTING if c not in ("辟谣", "澄清", "所谓")), "谣言", "不实", "假消息", "核实"),
    ),
    CueRule(
        "claimed-authority",
        "5.3",
        "block",
        (w("我是 我作为 本人是 作为一名 我们是"), AUTHORITIES, IMPERSONATION_CLAIMS),
        reach=30,
        same_sentence=False,
        # not REPORTING: 涉嫌 and 通报 are the impersonator's own words here
        unless=w("警方提醒 冒充 诈骗 骗子 谨防 警惕 防范 骗局 反诈 假冒"),
    ),
    CueRule(
        "branded-phishing",
        "5.3",
        "block",
        (PHISHING_ACTS, re.compile(r"【[^】]{2,10}】")),
        reach=40,
        unless=REPORTING,
    ),
    CueRule(
        "dangerous-dare", "9.1", "block", (DANGERS, DARES), reach=40, same_sentence=False, unless=REPORTING + SAFETY
    ),
    CueRule("self-harm-method", "9.4", "block", (SELF_HARM, SELF_HARM_HOW), reach=20, unless=REPORTING + CARE),
    CueRule(
        "aggression-praise",
        "9.3",
        "block",
        (AGGRESSION, AGGRESSION_PRAISE),
        reach=40,
        unless=REPORTING + REMEMBRANCE,
        masks=WAR_NAMES,
    ),
    CueRule(
        "hero-denial",
        "1.3",
        "block",
        (HEROES, HERO_DENIAL),
        reach=40,
        unless=tuple(c for c in REPORTING if c != "所谓") + HERO_DEFENCE,
    ),
    CueRule("fan-manipulation", "8.4", "block", (FAN_TARGETS, FAN_MANIPULATION), reach=40, unless=REPORTING),
    CueRule(
        "fan-punishment",
        "8.2",
        "block",
        (w("粉丝 脱粉 粉籍 后援会 姐妹 饭圈 超话 塌房 粉头"), FAN_PUNISHMENT),
        reach=30,
        unless=REPORTING,
    ),
    CueRule("fan-flaunting", "8.3", "review", (FAN_SPENDS, SPENT_AMOUNT), reach=30, unless=REPORTING),
    CueRule("minor-bullying", "1.12", "block", (MINORS, BULLYING), reach=40, unless=REPORTING + VICTIM_REPORT),
    CueRule("threat-whereabouts", "2.8", "block", (THREAT_KNOWS, THREAT_WHERE), reach=12, unless=REPORTING),
    CueRule("fight-call", "1.8", "block", (FIGHTS, FIGHT_PREP), reach=40, same_sentence=False, unless=REPORTING),
    CueRule("card-trade", "1.13", "block", (CARD_SETS, CARD_TRADE), reach=30, unless=REPORTING),
    CueRule("growth-for-sale", "3.6", "block", (FAKE_ENGAGEMENT, FAST_GROWTH), reach=30, unless=REPORTING),
    CueRule(
        "institution-claim",
        "5.3",
        "block",
        (IMPERSONATION_CLAIMS, INSTITUTION),
        reach=30,
        same_sentence=False,
        unless=w("警方提醒 冒充 诈骗 骗子 谨防 警惕 防范 骗局 反诈 假冒"),
    ),
    CueRule(
        "spread-alarm",
        "5.1",
        "review",
        (SPREAD_CALLS, (*ALARMS, *FOOD_ALARMS)),
        reach=40,
        same_sentence=False,
        unless=REPORTING + ADVICE,
    ),
    CueRule("unprotected-stunt", "9.1", "block", (HEIGHTS_AND_FIRE, UNPROTECTED), reach=30, unless=REPORTING + SAFETY),
    CueRule("account-trade", "3.6", "block", (ACCOUNTS, ACCOUNT_TRADE), reach=30, unless=REPORTING),
    CueRule("hacking-offer", "1.8", "block", (HACKING, HACK_OFFER), reach=30, unless=REPORTING),
    CueRule(
        "aggression-counterfactual",
        "9.3",
        "block",
        (
            COUNTERFACTUAL,
            re.compile(r"(?:日本|日军|皇军|鬼子|侵略者)[\u4e00-\u9fff]{0,3}(?:打赢|赢了|战胜|统治|占领成功|胜利)"),
            re.compile(r"就好了|都用上|早就|发达|过得更好|享福|更好"),
        ),
        reach=40,
        unless=REPORTING + REMEMBRANCE,
        masks=WAR_NAMES,
    ),
    CueRule("growth-service-ad", "3.1", "block", (GROWTH_SERVICES, GROWTH_PROMISES), reach=30, unless=REPORTING),
    CueRule("digital-goods-sale", "3.1", "block", (DIGITAL_GOODS, DIGITAL_SALE), reach=30, unless=REPORTING),
]

_engine: CueEngine | None = None


def engine() -> CueEngine:
    global _engine
    if _engine is None:
        _engine = CueEngine(RULES)
    return _engine


def detect(norm, field: str):
    return engine().detect(norm, field)
