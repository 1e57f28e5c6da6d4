"""
Story grouping, the method itself: pure Python, no database (services.py stores it).

An article becomes a sparse vector of its title's terms (terms.py: lower-cased, stop words out, a light
plural stemmer; names and numbers weighed up, the description's terms weighed down). A story
is the sum of its articles' vectors (its centroid, kept to its CENTROID_TERMS heaviest terms).
A new article is compared, by cosine of TF-IDF weights, with the stories that share one of its
CANDIDATE_TERMS rarest terms and were last updated within the window (`Index.candidates`), and
joins the most similar one at THRESHOLD or more; otherwise it starts a story of its own.
IDF is counted over the stories in the index, so a word in many unrelated stories ("update",
"stocks") weighs little and one story's own words ("Sbarro", "Gox") weigh much; to it is added how rare
the word is in English (wordfreq's counts, RARITY_WEIGHT), which an empty index cannot know yet.

Chaining guard: an article joins a story's centroid, not its nearest member, so a story cannot
drift from A to B to C one close pair at a time; and a story holding MAX_STORY_SIZE articles
takes no more (the next one starts a new story); and two different names never meet: when the article's
own name (its heaviest term that is no English word: "Varnelo", "MH370") is not in the story and the
story's own name is not in the article, they are two events ("Varnelo Bank pay deal collapses" is not
"Quisdel Bank pay deal collapses", however many words they share). docs/BENCHMARKS.md has the figures.
"""

import itertools
import math
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .terms import own_name, rarity

THRESHOLD = 0.15
MERGE_THRESHOLD = 0.3
CANDIDATE_TERMS = 10
MAX_CANDIDATES = 10
IDF_EVERY = 32
# Stories holding a term, in the window, past which the term is too common to look candidates up by.
MAX_POSTINGS = 50
CENTROID_TERMS = 20
MAX_STORY_SIZE = 300
# Fewer terms than this and a title says too little to join anything: it stays a story of its own.
MIN_TERMS = 3
UNKNOWN = object()
# IDF gains RARITY_WEIGHT * (MAX_ZIPF - the word's Zipf frequency in English): 8 for a word English does not have.
RARITY_WEIGHT = 1.0


@dataclass(eq=False)  # one story is one object: compared (and hashed) by identity
class StoryState:
    """A story as the grouping sees it. `key` is the caller's: a database id, or None for one not yet stored."""

    key: object
    centroid: dict
    size: int
    last_published_at: datetime
    changed: bool = False
    saved_size: int = 0  # its size as the caller last stored it
    fixed: bool = False  # an operator's: the grouping never adds to it, merges it, or takes from it
    members: list = field(default_factory=list)  # the articles added since the caller last emptied it


class Index:
    """The stories within the window, by term: an inverted index with each term's story count (for IDF)."""

    def __init__(self, *, window_hours, story_frequency=None, total=0):
        self.window = timedelta(hours=window_hours)
        self.live = {}  # id(story): story, in the order they came
        self.changed = []  # the stories changed since the last merge_changed
        self.postings = defaultdict(dict)  # term: {id(story): story}
        # Counts of stories not loaded into this index (a database's), which IDF counts too.
        self.frequency = Counter(story_frequency or {})
        self.total = total
        self._idf, self._idf_uses, self._norms, self._names = None, 0, {}, {}  # _names: each story's own_name

    def add(self, story, *, counted=False):
        """Put a story in the index; `counted` when its terms are already counted in `frequency` and `total`."""
        self.live[id(story)] = story
        if story.changed:
            self.changed.append(story)
        for term in story.centroid:
            self.postings[term][id(story)] = story
        if not counted:
            self.total += 1
            self._count(story.centroid)

    def _count(self, vector):
        """Add the vector's weights to the story counts (Counter.update's own loop, without its checks per call)."""
        frequency = self.frequency
        for term, weight in vector.items():
            frequency[term] += weight

    def idf(self):
        """IDF as the index stood at most IDF_EVERY assignments ago ({term: IDF}, each counted when first asked for),
        remembered with each story's norm: recounting it for every article costs more than the little it moves."""
        if self._idf is None or self._idf_uses >= IDF_EVERY:
            self._idf, self._idf_uses, self._norms = _Idf(self.frequency, self.total + 1), 0, {}
        self._idf_uses += 1
        return self._idf

    def norm(self, item, idf):
        """The length of a vector's TF-IDF weights, or of a story's centroid's (remembered until it changes)."""
        if isinstance(item, dict):
            return math.sqrt(sum((weight * idf[term]) ** 2 for term, weight in item.items()))
        if id(item) not in self._norms:
            self._norms[id(item)] = math.sqrt(sum((weight * idf[term]) ** 2 for term, weight in item.centroid.items()))
        return self._norms[id(item)]

    def candidates(self, vector, published_at):
        """The stories within the window that hold the most of the article's CANDIDATE_TERMS rarest terms (of those
        some story has, and no more than MAX_POSTINGS: a word that common finds no event), at most MAX_CANDIDATES."""
        postings, frequency = self.postings, self.frequency
        known = [(frequency[term], term) for term in vector if 0 < len(postings.get(term, ())) <= MAX_POSTINGS]
        rarest = sorted(known)[:CANDIDATE_TERMS]
        since, until = published_at - self.window, published_at + self.window
        hits = Counter(itertools.chain.from_iterable(postings[term].values() for _, term in rarest))
        in_window = (story for story, _ in hits.most_common() if since <= story.last_published_at <= until)
        return list(itertools.islice(in_window, MAX_CANDIDATES))

    def similarity(self, vector, story, idf, vector_norm=None, vector_name=UNKNOWN):
        """Cosine of the article's TF-IDF weights and the story's centroid's; 0 if each has a name the other lacks."""
        centroid = story.centroid
        name = own_name(vector) if vector_name is UNKNOWN else vector_name
        if name is not None and name not in centroid:
            if id(story) not in self._names:
                self._names[id(story)] = own_name(centroid)
            other = self._names[id(story)]
            if other is not None and other not in vector:
                return 0.0
        dot = sum(weight * centroid[term] * idf[term] ** 2 for term, weight in vector.items() if term in centroid)
        if not dot:
            return 0.0
        return dot / ((vector_norm or self.norm(vector, idf)) * self.norm(story, idf))

    def assign(self, vector, published_at, article=None):
        """The story the article joins (or starts): the most similar candidate at THRESHOLD or more."""
        best, best_score = None, THRESHOLD
        if len(vector) >= MIN_TERMS:
            idf = self.idf()
            vector_norm, vector_name = self.norm(vector, idf), own_name(vector)
            for story in self.candidates(vector, published_at):
                if story.size >= MAX_STORY_SIZE or story.fixed:
                    continue
                score = self.similarity(vector, story, idf, vector_norm, vector_name)
                if score >= best_score:
                    best, best_score = story, score
        if best is None:
            best = StoryState(key=None, centroid=dict(vector), size=1, last_published_at=published_at, changed=True)
            self.add(best)
        else:
            self._join(best, vector, published_at)
        best.members.append(article)
        return best

    def _join(self, story, vector, published_at):
        before = set(story.centroid)
        story.centroid = _summed(story.centroid, vector)
        if not story.changed:
            story.changed = True
            self.changed.append(story)
        story.size += 1
        story.last_published_at = max(story.last_published_at, published_at)
        self.total += 1
        self._count(vector)
        self._reindex(story, before)

    def merge_changed(self):
        """Merge each story changed since the last call into its most similar candidate at MERGE_THRESHOLD or
        more (a story split early, before its words were known, comes together); return [(kept, merged)]."""
        merges, idf = [], self.idf()
        for story in [s for s in self.changed if not s.fixed and len(s.centroid) >= MIN_TERMS]:
            best, best_score = None, MERGE_THRESHOLD
            for other in self.candidates(story.centroid, story.last_published_at):
                too_big = other.size + story.size > MAX_STORY_SIZE
                if other is story or other.fixed or len(other.centroid) < MIN_TERMS or too_big:
                    continue
                score = self.similarity(story.centroid, other, idf)
                if score >= best_score:
                    best, best_score = other, score
            if best is not None:
                kept, gone = (best, story) if best.size >= story.size else (story, best)
                self._absorb(kept, gone)
                merges.append((kept, gone))
        for story in self.changed:
            story.changed = False
        self.changed = []
        return merges

    @property
    def stories(self):
        return list(self.live.values())

    def _absorb(self, kept, gone):
        before = set(kept.centroid)
        kept.centroid = _summed(kept.centroid, gone.centroid)
        kept.size += gone.size
        kept.last_published_at = max(kept.last_published_at, gone.last_published_at)
        kept.members.extend(gone.members)
        self._reindex(kept, before)
        gone_terms = set(gone.centroid)
        gone.size, gone.centroid, gone.members = 0, {}, []
        self._reindex(gone, gone_terms)
        del self.live[id(gone)]

    def _reindex(self, story, before):
        """The postings and remembered figures of a story whose centroid held the terms `before`."""
        self._norms.pop(id(story), None)
        self._names.pop(id(story), None)
        for term in before - story.centroid.keys():
            self.postings[term].pop(id(story), None)
        for term in story.centroid.keys() - before:
            self.postings[term][id(story)] = story


class _Idf(dict):
    """{term: its IDF}, each counted on first use from the index's story `frequency` and `total` (plus one)."""

    def __init__(self, frequency, total):
        super().__init__()
        self.frequency, self.total = frequency, total

    def __missing__(self, term):
        value = self[term] = math.log(self.total / (self.frequency[term] + 1)) + 1.0 + RARITY_WEIGHT * rarity(term)
        return value


def _summed(centroid, vector):
    """The centroid with the vector's weights added, kept to its CENTROID_TERMS heaviest terms (the first of equals:
    what Counter.most_common keeps, without building a Counter for each article)."""
    summed = dict(centroid)
    for term, weight in vector.items():
        summed[term] = summed.get(term, 0) + weight
    return dict(sorted(summed.items(), key=operator.itemgetter(1), reverse=True)[:CENTROID_TERMS])
