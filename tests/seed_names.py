"""The proper names and acronyms of the five seed articles, labelled by hand once (issue 14).

``SEED_NAMES[file][i]`` lists the names of sentence ``i`` of ``load_article(seeds/file).sentences()``
(the cleaned sentences, without the title), each as written there, in text order; a name written
twice in a sentence is listed twice. Sentences without a name are left out.

What counts (what a translation must keep recognisable): people, places, countries, organisations,
newspapers and platforms, named projects and events, and acronyms in either script (PSM, आईजीसी =
IGC, एमओयू = MoU, पीएम = PM). A multi-word name is one entry (फैसल नियाज तिर्मिजी), its title
aside (राजदूत, जनरल, डॉ.) but an initial in (एस. जयशंकर). What does not: titles and offices
(प्रधानमंत्री, उप रक्षा मंत्री), nationalities and other adjectives (रूसी, पाकिस्तानी, भारतीय,
दक्षिण एशियाई), common nouns borrowed from English (इंसुलिन, हाइड्रोपावर, पाइपलाइन).
"""

from __future__ import annotations

import re

# A character that continues a word: Latin letters and digits, and Devanagari letters and signs.
_WORD_CHAR = r"[\w\u0900-\u0963\u0966-\u097f]"

SEED_NAMES: dict[str, dict[int, list[str]]] = {
    "000_0bcd3e424c44251c.txt": {
        0: ["रूस", "पाकिस्तान"],
        2: ["पाकिस्तान", "रूस", "आईजीसी"],
        3: ["पाकिस्तान", "अवैस लेघारी", "रूस", "सर्गेई सिविलेव"],
        4: ["पाकिस्तान", "द डॉन", "एमओयू", "एमओयू"],
        6: ["आईटी", "रूस"],
        9: ["रूस", "पाकिस्तान", "एलएनजी", "एलपीजी"],
        14: ["पाकिस्तान स्टील मिल्स"],
        15: ["इस्लामाबाद", "कराची"],
        17: ["रूस", "पाकिस्तान"],
        18: ["आईजीसी", "रूस"],
    },
    "001_f3c1e9e06d5419c5.txt": {
        0: ["मॉस्को", "रूस", "व्लादिमीर पुतिन", "पाकिस्तान"],
        1: ["पाकिस्तान", "मॉस्को", "पुतिन"],
        2: ["मॉस्को", "फैसल नियाज तिर्मिजी", "व्लादिमीर पुतिन"],
        3: ["पुतिन"],
        4: ["रूस", "पाकिस्तान"],
        5: ["रूस", "पाकिस्तान"],
        6: ["पाकिस्तान", "एक्स", "पुतिन", "शंघाई सहयोग संगठन", "पाकिस्तान"],
        7: ["रूस", "पाकिस्तान"],
        8: ["रूस", "पाकिस्तान"],
        10: ["रूस", "पाकिस्तान", "भारत"],
        11: ["पाकिस्तान", "रूस"],
        12: ["पाकिस्तान", "मुहम्मद औरंगजेब", "रूस", "पाकिस्तान"],
        13: ["पाकिस्तान", "रूस", "कराची"],
        14: ["पाकिस्तान स्ट्रीम", "पाकिस्तान", "कराची", "पंजाब"],
        15: ["पाकिस्तान", "रूस", "पाकिस्तान", "अमेरिका", "पाकिस्तान"],
        16: ["पाकिस्तान", "रूस"],
        19: ["पाकिस्तान", "रूस"],
        20: ["नॉर्थ-साउथ गैस पाइपलाइन", "पाकिस्तान स्ट्रीम"],
        21: ["पाकिस्तान स्टील मिल", "PSM"],
        22: ["रूस", "PSM"],
        24: ["रूस", "पाकिस्तान"],
    },
    "002_6d2f3309d51e9222.txt": {
        0: ["भारत", "रूस", "पाकिस्तान"],
        1: ["पाकिस्तान", "रूस"],
        2: ["रूस", "पाकिस्तान", "रूस", "कराची", "पाकिस्तान स्टील मिल", "PSM"],
        3: ["पाकिस्तान", "रूस"],
        4: ["रूस", "मॉस्को", "पाकिस्तान", "सैफ अंजुम", "रूस", "इंडस्ट्रियल इंजीनियरिंग LLC", "वादिम वेलिच्को"],
        5: ["रूस", "पाकिस्तान", "SAPM", "हारून अख्तर खान", "रूस", "मुहम्मद खालिद जमाली"],
        6: ["पीएम"],
        7: ["पाकिस्तान", "कराची", "PSM"],
        8: ["SAPM", "हारून अख्तर खान", "रूस", "पाकिस्तान स्टील मिल", "PSM"],
        9: ["रूस", "पाकिस्तान", "कराची", "पाकिस्तान स्टील मिल", "PSM", "सोवियत संघ", "पाकिस्तान", "रूस"],
        10: ["पाकिस्तान", "रूस"],
        11: ["पाकिस्तान", "रूस", "मध्य एशिया", "रूस"],
        12: ["चीन", "तियानजिन", "शंघाई सहयोग संगठन", "SCO", "पाकिस्तान", "अब्दुल अलीम खान", "रूस",
             "आंद्रेई सर्गेयेविच निकितिन"],
    },
    "003_9f78bb9ca59e6774.txt": {
        0: ["Russia", "Pakistan", "पाकिस्तान", "भारत", "रूस"],
        1: ["रूस", "अलेक्जेंडर वी. फोमिन", "पाकिस्तान"],
        2: ["इस्लामाबाद", "पाकिस्तान"],
        4: ["कजान", "ब्रिक्स", "पाकिस्तान", "रूस", "कजान", "ब्रिक्स", "पाकिस्तान", "पाकिस्तान"],
        6: ["रूस", "पाकिस्तान", "इंटर-सर्विसेज पब्लिक रिलेशंस", "आईएसपीआर", "असीम मुनीर", "रूस"],
        8: ["असीम मुनीर", "रूस", "पाकिस्तान"],
        9: ["पीएएफ"],
        11: ["रूस", "पाकिस्तान"],
        12: ["रूस", "पाकिस्तान"],
        13: ["रूस", "यूक्रेन", "रूस"],
        14: ["रूस"],
        15: ["रूस", "रूस"],
        16: ["पाकिस्तान", "कराची"],
        18: ["भारत", "रूस", "रूस", "पाकिस्तान", "भारत"],
    },
    "004_6f820134af09ba64.txt": {
        0: ["भारत", "रूस", "एस. जयशंकर", "मॉस्को", "सेर्गेई लावरोव"],
        4: ["भारत", "रूस"],
        8: ["भारत", "रूस"],
        10: ["भारत", "रूस", "रूस"],
        16: ["यूक्रेन", "एशिया–प्रशांत"],
        19: ["भारत", "रूस"],
        20: ["जयशंकर"],
        21: ["भारत", "रूस"],
    },
}


def gold_spans(sentence: str, names: list[str]) -> list[tuple[int, int]]:
    """Where each labelled name is in its sentence, as whole words, in order (a repeated name: its
    next occurrence). Raises ValueError for a name not found where the table says."""
    spans, position = [], 0
    for name in names:
        match = re.compile(rf"(?<!{_WORD_CHAR}){re.escape(name)}(?!{_WORD_CHAR})").search(sentence, position)
        if match is None:
            raise ValueError(f"{name!r} is not in {sentence!r} after position {position}")
        spans.append(match.span())
        position = match.end()
    return spans
