"""Is this English? A stopword and script heuristic, cheap enough for every keystroke.

The emotion model and the cue lexicon only know English. Rather than give a German complaint a
confident wrong label, the analyzer reports `lang` and a low confidence. Short English messages
without stopwords ("Refund please!!!") stay English: only clear evidence moves a text away from it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

for _name, _default in (("assist_lang", "en"), ("assist_lang_confidence", 1.0), ("assist_text", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

STOPWORDS = {
    "en": set("the and is to it my i you of a in for this that was not have with me on be are but what can your "
              "no do why how please hi hello still order it's i'm don't can't been has will just get got".split()),
    "de": set("der die das und ist nicht ich sie es mit ein eine zu auf für mein meine wie noch habe bitte aber "
              "was warum kein keine bestellung den dem wir hallo immer schon seit wurde ihr ihre nur sehr".split()),
    "fr": set("le la les et est je vous pas une un de des du mon ma mes pour que qui ne avec sur ce cette "
              "bonjour merci toujours commande au il elle j'ai c'est n'est rien depuis très mais".split()),
    "es": set("el la los las y es yo no una un de que mi mis por para con pero está esta qué cómo hola gracias "
              "todavía pedido ya muy se lo del hace nada tengo".split()),
    "it": set("il lo la gli le e è non io una un di che mio mia per con ma sono ancora ordine grazie ciao "
              "perché come del della ho nessuna niente".split()),
    "pt": set("o a os as e é não eu uma um de que meu minha para com mas ainda pedido obrigado olá por do da "
              "está você nada tenho".split()),
    "nl": set("de het een en is niet ik u je mijn van voor met maar nog wat waarom bestelling hallo bedankt "
              "dat op te zijn heb geen al".split()),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Scripts that say the language on their own (a best guess: Cyrillic is often Russian).
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)


def detect(text: str) -> tuple[str, float]:
    """(language code, confidence 0..1). "unknown" when there are no words at all (emoji only)."""
    sample = text[:2000]
    words = _WORD.findall(sample)
    if not words:
        return "unknown", 0.0
    if not sample.isascii():
        letters = sum(len(w) for w in words)
        ascii_letters = sum(len(w) for w in words if w.isascii())
    else:
        letters = ascii_letters = 1
    if ascii_letters < letters * 0.5:
        for code, pattern in _SCRIPTS:
            if len(pattern.findall(sample)) >= max(2, (letters - ascii_letters) * 0.3):
                return code, 0.9
        return "unknown", 0.5
    lowered = [w.lower() for w in words]
    counts = {code: sum(map(stop.__contains__, lowered)) for code, stop in STOPWORDS.items()}
    english = counts.pop("en")
    best = max(counts, key=counts.get)
    other = counts[best]
    if other >= 2 and other > english * 1.5 + 0.5 and other >= 0.2 * len(words):
        return best, min(0.95, 0.5 + 0.05 * other)
    return "en", 1.0 if english else 0.7


class LanguageGuesser:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        text = ext.assist_text
        if text is None:  # Doc.text rebuilds the string from every token: once here, read back later
            text = ext.assist_text = doc.text
        ext.assist_lang, ext.assist_lang_confidence = detect(text)
        return doc


@Language.factory("assist_language")
def make_language_guesser(nlp: Language, name: str) -> LanguageGuesser:
    return LanguageGuesser(nlp, name)
