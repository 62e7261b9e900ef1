"""SimHash fingerprints: near-duplicates are close, unrelated texts are far."""

from moderation.scanner import hamming_distance, simhash

AD = "全网最低价运营课，进群领资料，名额有限，先到先得，课程包含私域、投放和直播三大模块。"


def test_fingerprint_is_64_bits_and_deterministic():
    value = simhash(AD)
    assert 0 <= value < 2**64
    assert simhash(AD) == value


def test_small_edits_stay_near():
    edited = AD.replace("进群", "进 群").replace("三大", "3大") + "！"
    assert hamming_distance(simhash(AD), simhash(edited)) <= 10


def test_unrelated_texts_are_far():
    other = "本文复盘了一次会员日活动：预热、开场、秒杀和售后四个环节的数据变化与经验教训。"
    assert hamming_distance(simhash(AD), simhash(other)) > 10


def test_empty_text_has_a_fingerprint():
    assert simhash("") == 0
    assert hamming_distance(0, 2**64 - 1) == 64
