"""A hand-made English translation of seed 001 (seeds/001_f3c1e9e06d5419c5.txt: Putin on ties with
Pakistan; the article has no title line), for :class:`stubs.DictTranslator`.

One entry per sentence, keyed by the text the pipeline hands the translation engine: the article's
sentences as the segmenter cuts them, with the glossary's names already in English ("Russia",
"Vladimir Putin", "Finance Minister"...), in the order the engine gets them. Sentence 12 is the
article's subheading (which the page shows as its headline). The English is faithful, except for two
deliberate faults that the pipeline's checks must catch:

* sentence 3 drops the ambassador's name, फैसल नियाज तिर्मिजी (Faisal Niaz Tirmizi): ``name-missing``;
* sentence 17 says "7 years" where the Hindi says 5 (पिछले 5 सालों में): ``number-changed``.
"""

from __future__ import annotations

#: Sentence (1-based, as the page numbers them) whose English leaves out a person's name, and the name.
DROPPED_NAME = (3, "फैसल")
#: Sentence whose English changes a number: (sentence, the Hindi's number, the English's).
CHANGED_NUMBER = (17, "5", "7")

SEED001_EN: dict[str, str] = {
    # 1
    "Moscow: Russia के President Vladimir Putin ने Pakistan के साथ संबंध को ‘आपसी फायदेमंद’ बताया है।":
        "Moscow: Russia's President Vladimir Putin has called the relationship with Pakistan 'mutually beneficial'.",
    # 2
    "शुक्रवार को Pakistan के Moscow स्थित दूतावास ने Putin और Pakistani दूत के मुलाकात की कुछ तस्वीरें जारी की हैं।":
        "On Friday, Pakistan's embassy in Moscow released some photographs of the meeting between Putin and the "
        "Pakistani envoy.",
    # 3: FAULT, the name फैसल नियाज तिर्मिजी (Faisal Niaz Tirmizi) is left out.
    "Moscow में एक क्रेडेंशियल सेरेमनी के दौरान नए नियुक्त Pakistani ambassador फैसल नियाज तिर्मिजी से Vladimir Putin "
    "ने मुलाकात की थी।":
        "During a credentials ceremony in Moscow, Vladimir Putin met the newly appointed Pakistani ambassador.",
    # 4
    "इसी दौरान Putin ने ये टिप्पणी की है।":
        "It was during this meeting that Putin made the remark.",
    # 5
    "आपको बता दें कि Russia ने पिछले कुछ सालों में Pakistan के साथ करीबी संबंध बनाने शुरू किए हैं।":
        "Over the past few years, Russia has begun to build close ties with Pakistan.",
    # 6
    "Russia ने Pakistan के साथ व्यापार, निवेश, ऊर्जा और कनेक्टिविटी में सहयोग किए हैं और द्विपक्षीय संबंधों को लगातार "
    "मजबूत किए हैं।":
        "Russia has cooperated with Pakistan in trade, investment, energy and connectivity, and has steadily "
        "strengthened bilateral relations.",
    # 7
    "Pakistan ने सोशल मीडिया प्लेटफॉर्म एक्स पर एक पोस्ट किया है, जिसमें Putin के हवाले से कहा गया है कि \"हम "
    "Shanghai Cooperation Organisation के पूर्ण सदस्य Pakistan के साथ घनिष्ठ सहयोग बनाए रखते हैं, जो आर्थिक, तकनीकी "
    "और मानवीय क्षमता के मामले में सबसे बड़ा क्षेत्रीय संगठन है।\"":
        "Pakistan posted on the social media platform X, quoting Putin as saying: \"We maintain close cooperation "
        "with Pakistan, a full member of the Shanghai Cooperation Organisation, which is the largest regional "
        "organisation in terms of economic, technological and human potential.\"",
    # 8
    "इसमें आगे कहा गया है कि \"Russia Pakistan संबंध वास्तव में आपसी फायदेमंद हैं।\"":
        "It goes on to say: \"Russia Pakistan relations are truly mutually beneficial.\"",
    # 9
    "Russia ने हाल के कुछ सालों में Pakistan के साथ आर्थिक संबंधों को गहरा करने, वस्तु विनिमय व्यापार और ऊर्जा सौदों "
    "का पता लगाने और लोगों के बीच संपर्क बढ़ाना शुरू किया है।":
        "In recent years, Russia has begun to deepen economic ties with Pakistan, to explore barter trade and "
        "energy deals, and to increase contact between people.",
    # 10
    "दोनों देशों के अधिकारियों के बीच उच्च-स्तरीय दौरे भी हुए हैं, जिनमें टेक्नोलॉजी, कृषि और परिवहन में सहयोग बढ़ाने में "
    "दिलचस्पी दिखाई गई है।":
        "There have also been high-level visits between officials of the two countries, which showed interest in "
        "more cooperation in technology, agriculture and transport.",
    # 11
    "हालांकि Russia ने अभी तक Pakistan के साथ संबंध बनाने में India को लेकर अपनी सीमा रेखा का पालन किया है।":
        "However, in building ties with Pakistan, Russia has so far kept to its line with regard to India.",
    # 12: the subheading
    "Pakistan के नजदीक जाता दिख रहा Russia":
        "Russia seen moving closer to Pakistan",
    # 13
    "पिछले साल दिसंबर में Pakistan के Finance Minister मुहम्मद औरंगजेब ने कहा था कि Russia और Pakistan संभावित "
    "तेल-क्षेत्र समझौते पर बातचीत कर रहे हैं।":
        "In December last year, Pakistan's Finance Minister Muhammad Aurangzeb said that Russia and Pakistan were "
        "in talks on a possible oil-field agreement.",
    # 14
    "इससे पहले, पिछले साल मई में, Pakistan और Russia ने द्विपक्षीय संबंधों को बढ़ावा देने और औद्योगिक सहयोग का "
    "विस्तार करने के मकसद से Karachi में एक स्टील मिल स्थापित करने पर सहमति जताई थी।":
        "Before that, in May last year, Pakistan and Russia agreed to set up a steel mill in Karachi, with the aim of "
        "boosting bilateral ties and expanding industrial cooperation.",
    # 15
    "दोनों देश Pakistan स्ट्रीम गैस पाइपलाइन पर भी काम कर रहे हैं, जो एक प्रमुख बुनियादी ढांचा परियोजना है, जिसका "
    "मकसद Pakistan की ऊर्जा जरूरतों को पूरा करने में मदद करने के लिए Karachi से Punjab तक आयातित गैस पहुंचाना है।":
        "The two countries are also working on the Pakistan Stream gas pipeline, a major infrastructure project "
        "that aims to carry imported gas from Karachi to Punjab to help meet Pakistan's energy needs.",
    # 16
    "साल 2023 में Pakistan और Russia ने, Pakistan को Russian कच्चे तेल की डिलीवरी के लिए एक सौदे पर भी चर्चा की थी, "
    "हालांकि United States के डर से अभी तक Pakistan Russian कच्चा तेल खरीद नहीं पाया है।":
        "In 2023, Pakistan and Russia also discussed a deal for the delivery of Russian crude oil to Pakistan, "
        "though for fear of the United States, Pakistan has not yet been able to buy Russian crude oil.",
    # 17: FAULT, 5 years became 7.
    "Pakistan और Russia के बीच पिछले 5 सालों में कुछ अहम समझौते किए गये हैं।":
        "Pakistan and Russia have made some important agreements in the past 7 years.",
    # 18
    "जिनमें बार्टर ट्रेड को विस्तार देने का फैसला लिया गया है।":
        "Among them is a decision to expand barter trade.",
    # 19
    "वहीं नए व्यापार मार्गों की खोज करना और सैन्य सहयोग बढ़ाने पर भी विचार किए गये हैं।":
        "Exploring new trade routes and increasing military cooperation have also been considered.",
    # 20
    "Pakistan और Russia के बीच तेल की खोज, उत्पादन और रिफाइनिंग में बड़े सहयोग के लिए बातचीत जारी है, जिसमें मौजूदा "
    "रिफाइनरियों को अपग्रेड करना भी शामिल है।":
        "Talks are under way between Pakistan and Russia on wider cooperation in oil exploration, production and "
        "refining, which also includes upgrading the existing refineries.",
    # 21
    "एनर्जी सिक्योरिटी को बेहतर बनाने के लिए नॉर्थ-साउथ गैस पाइपलाइन (अब Pakistan स्ट्रीम) पर काम में कुछ डेवलपमेंट्स "
    "देखने को मिले हैं।":
        "To improve energy security, there have been some developments in the work on the North-South gas pipeline "
        "(now Pakistan Stream).",
    # 22
    "Pakistan स्टील मिल (PSM) को लेकर भी समझौता हुआ है।":
        "An agreement has also been reached on Pakistan Steel Mill (PSM).",
    # 23
    "Russia ने एक बड़े इंडस्ट्रियल प्रोजेक्ट, PSM को फिर से शुरू करने पर सहमति जताई है, जो लंबे समय के लिए बड़े "
    "इन्वेस्टमेंट का संकेत है।":
        "Russia has agreed to restart PSM, a large industrial project, which signals a big investment for the long "
        "term.",
    # 24
    "दोनों देशों के बीच आर्थिक आयोग भी बनाया गया है।":
        "An economic commission has also been set up between the two countries.",
    # 25
    "जिसके तहत Russia-Pakistan के अधिकारी अंतर-सरकारी आयोग व्यापार, ऊर्जा और अन्य क्षेत्रों में सहयोग बढ़ाने के लिए "
    "नियमित रूप से मिलते हैं।":
        "Under it, Russia-Pakistan officials meet regularly in an intergovernmental commission to increase "
        "cooperation in trade, energy and other areas.",
}
