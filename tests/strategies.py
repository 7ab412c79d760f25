"""Hypothesis strategies: Chinese prose, advert lines from the built-in packs' own examples,
invisible characters and encodings, mixed into whole documents."""

from __future__ import annotations

from hypothesis import strategies as st

import cleantext

HANZI = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然"
    "没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二"
    "理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信"
    "北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提"
    "感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让"
    "认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步"
    "完革深区"
)
PUNCT = "，。、；：！？“”（）"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\U000e0041"]


def prose(min_size: int = 1, max_size: int = 80) -> st.SearchStrategy[str]:
    return st.text(alphabet=HANZI + PUNCT + "0123456789 ", min_size=min_size, max_size=max_size)


def _advert_examples() -> list[str]:
    return sorted({ex for r in cleantext.default_pack().rules for ex in r.examples_match if "\n" not in ex})


advert_lines = st.sampled_from(_advert_examples())
sentence = st.builds(lambda s: s + "。", prose(10, 80))


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document: optional advert header, prose lines with invisible marks, optional advert tail."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    head = draw(st.lists(advert_lines, max_size=5))
    body = draw(st.lists(st.one_of(sentence, prose(0, 20), advert_lines), min_size=1, max_size=12))
    tail = draw(st.lists(advert_lines, max_size=3))
    lines = [*head, "", *body, "", *tail]
    doc = nl.join(lines) + draw(st.sampled_from(["", nl]))
    if draw(st.booleans()) and doc:
        k = draw(st.integers(0, len(doc)))
        doc = doc[:k] + draw(st.sampled_from(INVISIBLE)) + doc[k:]
    return doc


encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
