"""
An article's terms, as the grouping (grouping.py) compares them: its title's words lower-cased, NFKC-normalised,
stop words and generic news words out, a light plural stemmer; names and numbers weighed up, the description's
terms weighed down. And how rare each is in English (wordfreq's counts, shipped in its package).
"""

import functools
import re
import unicodedata

import wordfreq

MAX_TITLE_CHARACTERS = 300
MAX_DESCRIPTION_CHARACTERS = 600
NAME_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 0.4
MAX_TERM_LENGTH = 64  # StoryTerm.term's
MAX_ZIPF = 8.0

RIGHT_QUOTE = "\u2019"  # the typographic apostrophe of "Gox\u2019s"
WORD = re.compile(rf"[^\W_]+(?:['{RIGHT_QUOTE}][^\W_]+)*|\$[0-9.,]*[0-9]")
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our out over own same she should so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who whom why will with
    would you your yours new says say said after week today news update updates live latest top thing things know
    need report reports video watch read here's what's how's vs via per amid us""".split()  # noqa: SIM905
)


def normalise(word):
    """A word as a term; `word` is already NFKC-normalised (terms_of does it once per title)."""
    word = word.lower().replace(RIGHT_QUOTE, "'")
    word = word.removesuffix("'s").replace("'", "")[:MAX_TERM_LENGTH]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=100_000)
def zipf(term):
    """A term's Zipf frequency in English (wordfreq's counts, shipped in its package): 0 for a word English does not
    have, about 7 for "the". wordfreq reads a number as any number of its digits: "370" is a common word."""
    return wordfreq.zipf_frequency(term, "en")


def rarity(term):
    """How rare a term is in English, 0 (the commonest words) to MAX_ZIPF (a word English does not have)."""
    return max(0.0, MAX_ZIPF - zipf(term))


def own_name(terms):
    """The heaviest of the terms `terms` ({term: weight}) that English does not have, or None."""
    names = [term for term in terms if not zipf(term)]
    return min(names, key=lambda term: (-terms[term], term)) if names else None


def _words(text, limit):
    return WORD.findall(unicodedata.normalize("NFKC", text[:limit]))


@functools.lru_cache(maxsize=200_000)
def _word(word):
    """(the word's term, or None for a stop word or a lone letter; whether it holds a digit; whether it starts with a
    capital), remembered: headlines reuse their words."""
    term = normalise(word)
    if term in STOP_WORDS or (len(term) < 2 and not term.isdigit()):
        term = None
    return term, any(c.isdigit() for c in word), word[:1].isupper()


def terms_of(title, description=""):
    """The article's terms and their weights: {term: weight}."""
    words = [_word(word) for word in _words(title or "", MAX_TITLE_CHARACTERS)]
    # "Mt. Gox Files For Bankruptcy": in a title in title case, capitals say nothing
    title_case = sum(capital for _, _, capital in words) > 0.6 * len(words)
    vector = {}
    for position, (term, numeric, capital) in enumerate(words):
        if term is None:
            continue
        weight = NAME_WEIGHT if numeric or (position > 0 and capital and not title_case) else 1.0
        if weight > vector.get(term, 0.0):
            vector[term] = weight
    for word in _words(description or "", MAX_DESCRIPTION_CHARACTERS):
        term = _word(word)[0]
        if term is not None and len(term) > 1 and term not in vector:
            vector[term] = DESCRIPTION_WEIGHT
    return vector
