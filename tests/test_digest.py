"""Story digest (issue 16): the seed articles and crafted ones, translated by the honest stubs, digested
into stories with cited briefs, conflicts, names, a timeline and outlets; grouping on Hindi texts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator

from translate.digest import THRESHOLD, digest, group_texts, hindi_text
from translate.digest.grouping import cluster, vectors
from translate.errors import UsageError
from translate.faithful.checks import check_brief
from translate.faithful.protect import english_numbers, number_values
from translate.pipeline import Pipeline, Result

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

# Two outlets' reports of one meeting: one says the 10th, the other the 11th (in Devanagari digits);
# both give the same aid, one in lakh and one in digits, and share one sentence word for word.
MEETING_10 = """{"site": "वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद", "author": "कीर्तिवर्धन मिश्र"}
पाकिस्तान-रूस अंतरसरकारी आयोग की 10वीं बैठक में ऊर्जा समझौतों पर सहमति

पाकिस्तान और रूस के अंतरसरकारी आयोग (आईजीसी) की 10वीं बैठक इस्लामाबाद में हुई। बैठक की सह-अध्यक्षता पाकिस्तान के ऊर्जा मंत्री अवैस लेघारी और रूस के मंत्री सर्गेई सिविलेव ने की। दोनों देशों ने गुणवत्ता मानकों और मीडिया सहयोग के ज्ञापनों पर हस्ताक्षर किए। रूस पाकिस्तान स्टील मिल्स के आधुनिकीकरण के लिए 5 लाख रुपये की सहायता देगा।

आईजीसी का अगला सत्र साल 2026 में मॉस्को में होगा।
"""
MEETING_11 = """रूस और पाकिस्तान के आयोग की ११वीं बैठक इस्लामाबाद में संपन्न

रूस और पाकिस्तान के अंतरसरकारी आयोग (आईजीसी) की ११वीं बैठक 27 नवंबर 2025 को इस्लामाबाद में संपन्न हुई। बैठक की सह-अध्यक्षता पाकिस्तान के ऊर्जा मंत्री अवैस लेघारी और रूस के मंत्री सर्गेई सिविलेव ने की। लेघारी ने कहा कि रूस पाकिस्तान स्टील मिल्स के आधुनिकीकरण के लिए 500000 रुपये की सहायता देगा। सिविलेव ने तेल और गैस क्षेत्र में सहयोग बढ़ाने की बात कही।
"""
CRICKET = """मुंबई टेस्ट में भारत की जीत

मुंबई के वानखेड़े स्टेडियम में खेले गए पहले टेस्ट मैच में भारतीय टीम ने इंग्लैंड को 7 विकेट से हरा दिया। कप्तान ने पहली पारी में शानदार शतक जड़ा और गेंदबाजों ने दूसरी पारी में इंग्लैंड को 180 रन पर समेट दिया। श्रृंखला का अगला मुकाबला चेन्नई में खेला जाएगा।
"""
MONSOON = """केरल में भारी बारिश से बाढ़

केरल में मानसून की भारी बारिश से कई जिलों में बाढ़ आ गई है और नदियां खतरे के निशान से ऊपर बह रही हैं। मौसम विभाग ने अगले तीन दिनों के लिए रेड अलर्ट जारी किया है। राहत शिविरों में हजारों लोगों को पहुंचाया गया है और स्कूल बंद कर दिए गए हैं।
"""
CRAFTED_SOURCES = ["amarujala/igc-10.txt", "https://www.example-news.in/world/igc-11", "cricket.txt", "monsoon.txt"]


class NumberChanger(HonestTranslator):
    """Writes every number ten times too big, so the checks flag each sentence with a number."""

    def translate_one(self, sentence: str) -> str:
        return re.sub(r"\d+", lambda m: m.group() + "0", super().translate_one(sentence))


def pipeline(translator=None) -> Pipeline:
    return Pipeline(translator or HonestTranslator(), HonestSummarizer(), extractive=HonestSummarizer())


@pytest.fixture(scope="module")
def seed_results() -> list[Result]:
    return pipeline().run_many(SEEDS)


@pytest.fixture(scope="module")
def seed_digest(seed_results):
    return digest(seed_results, [str(path) for path in SEEDS])


@pytest.fixture(scope="module")
def crafted_results() -> list[Result]:
    return pipeline().run_many([MEETING_10, MEETING_11, CRICKET, MONSOON])


@pytest.fixture(scope="module")
def crafted(crafted_results):
    return digest(crafted_results, CRAFTED_SOURCES)


def segment_of(results: list[Result], inputs: list[str], source: dict) -> str:
    """The English of a cited segment; fails the test if the citation points nowhere."""
    result = results[inputs.index(source["article"])]
    assert 0 <= source["segment"] < len(result.segments), source
    return result.segments[source["segment"]].en


# -- the seeds --------------------------------------------------------------------------------------


def test_seed_digest_json_has_the_issue_shape_and_every_article_once(seed_digest):
    data = json.loads(seed_digest.to_json())
    inputs = [str(path) for path in SEEDS]
    listed = [article for story in data["stories"] for article in story["articles"]]
    assert sorted(listed) == sorted(inputs)  # every input in exactly one story
    for story in data["stories"]:
        assert {"title", "articles", "why", "brief", "sentences", "conflicts", "names", "timeline"} <= set(story)
        assert story["title"] and story["brief"]
        assert story["brief"] == " ".join(s["text"] for s in story["sentences"])
        for sentence in story["sentences"]:
            assert sentence["sources"] and sentence["reported_by"] == len(sentence["outlets"]) >= 1
        for name in story["names"]:
            assert name["outlets"] and set(name["articles"]) <= set(story["articles"])


def test_every_cited_segment_exists_and_holds_the_sentences_numbers(seed_digest, seed_results):
    data = seed_digest.to_dict()
    inputs = [str(path) for path in SEEDS]
    cited = 0
    for story in data["stories"]:
        for sentence in story["sentences"]:
            wanted = [m.values for m in english_numbers(sentence["text"], words=False)]
            own = segment_of(seed_results, inputs, sentence["sources"][0])
            assert own == sentence["text"]  # the brief quotes its segment verbatim
            for source in sentence["sources"]:
                text = segment_of(seed_results, inputs, source)
                assert all(values & number_values(text) for values in wanted), (sentence["text"], text)
                cited += 1
        for dated in story["timeline"]:
            texts = [segment_of(seed_results, inputs, source) for source in dated["sources"]]
            assert texts[0] == dated["text"]
    assert cited >= len(SEEDS)


def test_story_briefs_keep_to_the_length_and_pass_the_article_brief_check(seed_digest, seed_results):
    for story in seed_digest.stories:
        mine = [seed_results[k] for k in story.articles]
        english = " ".join([r.title for r in mine] + [s.en for r in mine for s in r.segments])
        assert check_brief(story.brief, english) == []
        if len(story.sentences) > 1:
            assert len(story.brief.split()) <= 100
        assert story.warnings == []


def test_no_fact_is_said_twice_in_a_story_brief(seed_digest):
    for story in seed_digest.stories:
        texts = [s.text for s in story.sentences]
        assert len(texts) == len(set(texts))
        cited = [(c.article, c.segment) for s in story.sentences for c in s.sources]
        assert len(cited) == len(set(cited))  # no segment backs two brief sentences


def test_outlets_come_from_site_read_more_line_and_file_name(seed_digest):
    names = {Path(name).stem: outlet.name for name, outlet in zip(seed_digest.inputs, seed_digest.outlets)}
    assert names["000_0bcd3e424c44251c"] == "अमर उजाला"  # "वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद"
    assert names["002_6d2f3309d51e9222"] == "abplive.com"  # "Read More at www.abplive.com", removed by cleaning
    assert names["003_9f78bb9ca59e6774"] == "The Printlines"  # "(Part of Bharat Express News Network)" dropped
    assert names["001_f3c1e9e06d5419c5"] == "001_f3c1e9e06d5419c5.txt"  # nothing else to go by
    author = dict(zip(seed_digest.inputs, seed_digest.outlets))[str(SEEDS[3])].author
    assert author == "Aarti Kushwaha"


def test_seed_markdown_shows_stories_citations_outlets_and_names(seed_digest):
    text = seed_digest.to_markdown()
    for story in seed_digest.stories:
        assert f". {story.title}" in text
        for k in story.articles:
            assert f"[A{k + 1}] {seed_digest.outlets[k].name}" in text and seed_digest.inputs[k] in text
    assert re.search(r"\[A\d, s\d+", text)
    assert "**Who is named**" in text and "S. Jaishankar" in text


def test_the_same_results_give_the_same_digest_also_from_their_json(seed_results, seed_digest):
    again = digest([Result.from_dict(json.loads(r.to_json())) for r in seed_results], [str(p) for p in SEEDS])
    assert again.to_json() == seed_digest.to_json()
    assert again.to_markdown() == seed_digest.to_markdown()


def test_the_default_source_names_are_the_results_sources(seed_results, seed_digest):
    assert digest(seed_results).inputs == seed_digest.inputs
    assert digest([seed_results[0].to_dict() | {"metadata": {}}]).inputs == ["article 1"]


# -- crafted stories: conflicts, confirmation, timeline ---------------------------------------------


def test_two_reports_of_one_meeting_are_one_story_and_unrelated_ones_stay_apart(crafted):
    stories = sorted(sorted(story.articles) for story in crafted.stories)
    assert stories == [[0, 1], [2], [3]]
    assert crafted.stories[0].articles == [0, 1]  # the largest story first
    assert crafted.stories[0].why  # it says what the two share


def test_the_10th_and_the_11th_meeting_are_listed_as_a_conflict_with_both_versions(crafted, crafted_results):
    story = crafted.to_dict()["stories"][0]
    (conflict,) = [c for c in story["conflicts"] if {v["value"] for v in c["versions"]} == {"10th", "11th"}]
    versions = {v["value"]: v for v in conflict["versions"]}
    assert versions["10th"]["article"] == CRAFTED_SOURCES[0] and versions["11th"]["article"] == CRAFTED_SOURCES[1]
    assert versions["10th"]["outlet"] == "अमर उजाला" and versions["11th"]["outlet"] == "example-news.in"
    for value, hindi in (("10th", "10वीं"), ("11th", "११वीं")):
        result = crafted_results[CRAFTED_SOURCES.index(versions[value]["article"])]
        assert hindi in result.segments[versions[value]["segment"]].hi
    # 5 लाख रुपये and 500000 रुपये are one value: not a conflict
    assert all("500000" not in v["value"] and "lakh" not in v["value"] for c in story["conflicts"] for v in c["versions"])
    text = crafted.to_markdown()
    assert "Where the outlets disagree" in text and "**10th** (10वीं), अमर उजाला" in text
    assert "**11th** (११वीं), example-news.in" in text
    # the brief states one version, and says that the outlets disagree on it
    stating = [s for s in story["sentences"] if re.search(r"\b1[01]", s["text"]) and "baithaka" in s["text"]]
    assert stating and all(s["disputed"] == [conflict["what"]] for s in stating)
    assert f"outlets disagree on {conflict['what']}" in text


def test_a_fact_both_outlets_report_says_reported_by_2_outlets(crafted):
    story = crafted.stories[0]
    confirmed = [s for s in story.sentences if s.reported_by == 2]
    assert confirmed and {c.article for c in confirmed[0].sources} == {0, 1}
    assert "reported by 2 outlets" in crafted.to_markdown()
    single = crafted.stories[1]
    assert all(s.reported_by == 1 for s in single.sentences)


def test_timeline_and_names_point_at_their_articles(crafted, crafted_results):
    story = crafted.to_dict()["stories"][0]
    (dated,) = [d for d in story["timeline"] if d["date"] == "27 November 2025"]
    (source,) = dated["sources"]
    assert source["article"] == CRAFTED_SOURCES[1]
    assert "27 नवंबर 2025" in crafted_results[1].segments[source["segment"]].hi
    names = {n["name"]: n["outlets"] for n in story["names"]}
    assert names["Islamabad"] == ["अमर उजाला", "example-news.in"]


def test_a_sentence_whose_number_the_translation_changed_is_never_in_a_brief():
    results = pipeline(NumberChanger()).run_many([MEETING_10, MEETING_11])
    flagged = {(k, w.segment) for k, r in enumerate(results) for w in r.warnings if w.code == "number-changed"}
    assert flagged
    for story in digest(results).stories:
        assert story.sentences
        for sentence in story.sentences:
            assert not {(c.article, c.segment) for c in sentence.sources} & flagged


# -- grouping on texts -----------------------------------------------------------------------------


def test_grouping_is_deterministic_whatever_the_order(seed_results, crafted_results):
    texts = [hindi_text(r) for r in seed_results + crafted_results]
    first = group_texts(texts)
    assert [(g.members, g.why) for g in first] == [(g.members, g.why) for g in group_texts(texts)]
    order = [5, 2, 8, 0, 7, 3, 6, 1, 4]
    shuffled = group_texts([texts[k] for k in order])
    as_sets = lambda groups, names: sorted(sorted(names[m] for m in g.members) for g in groups)
    assert as_sets(shuffled, order) == as_sets(first, list(range(len(texts))))
    assert sorted(m for g in first for m in g.members) == list(range(len(texts)))


def test_a_very_large_component_is_clustered_the_same_without_its_dense_matrix(seed_results, crafted_results):
    """Past DENSE_LIMIT articles a component is clustered on its close pairs only; here both ways agree."""
    matrix, _ = vectors([hindi_text(r) for r in seed_results + crafted_results])
    assert cluster(matrix, THRESHOLD, dense_limit=0) == cluster(matrix, THRESHOLD)
    assert [0, 1] in cluster(vectors([MEETING_10, MEETING_11, CRICKET])[0], THRESHOLD, dense_limit=0)


def test_seeds_on_different_events_stay_apart(seed_digest):
    """Among the five seeds, the PSM deal in Karachi (002), Jaishankar meeting Lavrov (004) and the
    generals in Islamabad (003) share Russia and diplomacy words, not a story."""
    story_of = {k: n for n, story in enumerate(seed_digest.stories) for k in story.articles}
    assert len({story_of[2], story_of[3], story_of[4]}) == 3
    assert [story.articles for story in seed_digest.stories if 4 in story.articles] == [[4]]


def test_devanagari_and_ascii_digits_and_nukta_spellings_are_one_text():
    plain = "रूस और पाकिस्तान के आयोग की 11वीं बैठक में 5 लाख रुपये की मदद पर समझौता हुआ और स्टील मिल को फिर शुरू करने की योजना बनी।"
    written = plain.replace("11", "११").replace("5 ", "५ ").replace("मदद", "मदद़")
    (group,) = group_texts([plain, written])
    assert group.members == [0, 1] and "11th" in group.why


def test_bad_arguments_are_one_line_usage_errors(seed_results):
    with pytest.raises(UsageError, match="one source name per article: got 1 for 2"):
        digest(seed_results[:2], ["only-one.txt"])
    with pytest.raises(UsageError, match="brief length"):
        digest(seed_results[:1], words=5)
    with pytest.raises(UsageError, match="threshold"):
        group_texts(["रूस"], threshold=0)
    assert digest([]).stories == [] and group_texts([]) == []
