"""Web-search syntax, read once, written out in each database's query language.

What people type: words, "a phrase", -exclusion, and `or` between alternatives.
Everything else (symbols, operators of the databases' own syntax, stray quotes)
is treated as a separator, so no input can make a query the database rejects:
the output holds only letters and digits inside quotes we put there ourselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from faq.stopwords import STOP_WORDS

QUERY_MAX = 200
TERMS_MAX = 16

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    # Synonyms (advisers' groups): any of them matches as well as the term itself.
    alternatives: tuple[Term, ...] = ()
    # An abbreviation as typed ("SoMe", "GDPR", "X"): the whole word only, never the
    # start of a longer one ("SoMe" must not find "someone").
    exact: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def variants(self) -> list[Term]:
        return [Term(self.words, exact=self.exact), *self.alternatives]


@dataclass(frozen=True)
class Group:
    """Terms that must all match, and terms that must not."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[Group, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def words(self) -> list[str]:
        """The words that must match, in order, each once (for spelling suggestions)."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for term in group.include:
                for word in term.words:
                    seen.setdefault(word, None)
        return list(seen)


def is_abbreviation(word: str) -> bool:
    """A short word typed with capitals inside it ("SoMe", "GDPR", "HR") or a single
    capital ("X"). "Kris" at the start of a sentence is not one."""
    capitals = sum(letter.isupper() for letter in word)
    return len(word) <= 5 and (capitals >= 2 or (len(word) == 1 and capitals == 1))


def clean(text: str) -> str:
    """The query as it is logged and echoed: NFC, no control characters, bounded."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join(_CONTROL.sub(" ", text).split())[:QUERY_MAX]


def parse(text: str) -> ParsedQuery:
    groups: list[Group] = []
    include: list[Term] = []
    exclude: list[Term] = []
    terms = 0

    def close_group() -> None:
        nonlocal include, exclude
        if include:  # a group of exclusions alone would match almost everything
            groups.append(Group(tuple(include), tuple(exclude)))
        include, exclude = [], []

    for match in _TOKEN.finditer(clean(text)):
        negated_quote, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            close_group()
            continue
        negated = bool(negated_quote) if bare is None else bare.startswith("-")
        typed = _WORD.findall(quoted if bare is None else bare)
        if not typed or terms >= TERMS_MAX:
            continue
        terms += 1
        exact = len(typed) == 1 and is_abbreviation(typed[0])
        term = Term(tuple(word.lower() for word in typed), exact=exact)
        (exclude if negated else include).append(term)
    close_group()
    return ParsedQuery(tuple(groups))


def words_of(text: str) -> tuple[str, ...]:
    """A synonym as the parser would read it: lower case, letters and digits only."""
    return tuple(_WORD.findall(clean(text).lower()))


def expand(query: ParsedQuery, synonyms: dict[tuple[str, ...], list[Term]]) -> ParsedQuery:
    """The query with each included word or phrase that belongs to a synonym group
    matching the group's other members too. Exclusions are left as typed."""
    if not synonyms:
        return query
    groups = []
    for group in query.groups:
        include = []
        for term in group.include:
            alternatives = synonyms.get(term.words, [])
            # A word the advisers gave a meaning to is matched the way its group
            # matches it (a short one whole: "some" is SoMe, not "someone").
            exact = term.exact or any(
                term.words == member.words and member.exact
                for other in alternatives
                for member in synonyms.get(other.words, [])
            )
            include.append(Term(term.words, tuple(alternatives), exact))
        groups.append(Group(tuple(include), group.exclude))
    return ParsedQuery(tuple(groups))


def any_of(query: ParsedQuery) -> ParsedQuery | None:
    """The looser reading of a query for when few entries match all of it: any one
    of its meaningful words (stop words left out, see faq.stopwords), each alone;
    exclusions still apply. None when that is the query itself (one word, or
    already a list of alternatives)."""
    include: dict[Term, None] = {}
    exclude: dict[Term, None] = {}
    for group in query.groups:
        for term in group.include:
            meaningful = term.is_phrase or term.exact or term.alternatives
            if meaningful or term.words[0] not in STOP_WORDS:
                include.setdefault(term, None)
        for term in group.exclude:
            exclude.setdefault(term, None)
    loose = ParsedQuery(tuple(Group((term,), tuple(exclude)) for term in include))
    return None if loose.is_empty or loose == query else loose


def is_correctable(word: str) -> bool:
    """A word "did you mean" may correct: letters only, 3 to 60 of them, and not a stop
    word (a question's "hur", "får" or "om" is never a misspelling of something)."""
    return 3 <= len(word) <= 60 and word.isalpha() and word not in STOP_WORDS


def replace_words(text: str, corrections: dict[str, str]) -> str:
    """The query as typed, with misspelt words swapped for their corrections."""

    def swap(match: re.Match[str]) -> str:
        word: str = match.group(0)
        return corrections.get(word.lower(), word)

    return _WORD.sub(swap, clean(text))


# PostgreSQL: text for to_tsquery(config, ...), which then stems each word in the
# entry's language. The last word may be the start of a longer one (`:*`), so a
# half-typed word or the first part of a compound ("kris" → "krishantering") matches.


def _pg_term(term: Term, *, prefix: bool, whole: bool = False) -> str:
    if term.is_phrase:
        return "(" + " <-> ".join(f"'{word}'" for word in term.words) + ")"
    word = term.words[0]
    if whole:
        return f"'{word}'"
    # The Swedish snowball stemmer leaves some forms whole ("policyn", and
    # "kommentarer" → "kommentar" but "kommentar" → "komment"): the lightly
    # stemmed word finds the other forms.
    forms = dict.fromkeys([word, light_stem(word)])
    suffix = ":*" if prefix else ""
    written = [f"'{form}'{suffix}" for form in forms]
    return written[0] if len(written) == 1 else "(" + " | ".join(written) + ")"


def _is_prefix(term: Term, *, last: bool) -> bool:
    """Matched as the start of longer words too: a half-typed word, the first part of a
    compound. Never an abbreviation; a stop word only as the last word, the one being
    typed ("kan" may become "kanaler"): before it, "om" is no start of "området", and a
    stop word as a prefix would make the database gather most of its index."""
    stop_word = len(term.words) == 1 and term.words[0] in STOP_WORDS
    return not term.exact and (last or not stop_word)


def _is_pg_prefix(term: Term, *, last: bool) -> bool:
    """PostgreSQL stems every word, so only the last one, the one being typed, needs to
    be a prefix (as Algolia's "prefixLast"); a word followed by another is complete.
    That keeps the index lookups of a query of several words to exact words."""
    return last and not term.exact


def _includes(query: ParsedQuery, group_at: int) -> list[tuple[Term, bool]]:
    """A group's terms, each with whether it is the query's last (the one being typed)."""
    include = query.groups[group_at].include
    last_group = group_at == len(query.groups) - 1
    return [(term, last_group and at == len(include) - 1) for at, term in enumerate(include)]


def _pg_include(term: Term, *, last: bool) -> str:
    variants = [
        _pg_term(variant, prefix=_is_pg_prefix(variant, last=last), whole=variant.exact)
        for variant in term.variants()
    ]
    return variants[0] if len(variants) == 1 else "(" + " | ".join(variants) + ")"


def to_tsquery(query: ParsedQuery) -> str:
    groups = []
    for at, group in enumerate(query.groups):
        parts = [_pg_include(term, last=last) for term, last in _includes(query, at)]
        parts += ["!" + _pg_term(term, prefix=False, whole=True) for term in group.exclude]
        groups.append("(" + " & ".join(parts) + ")")
    return " | ".join(groups)


# SQLite FTS5 cannot stem. A light suffix strip lets "journalister" and "policyn"
# find "journalist" and "policy" through prefix matching; irregular forms
# ("böcker" → "bok") stay out of reach (see the README).
# Longest first, so "-arna" is tried before "-a".
_SUFFIXES = (
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "ande", "ende", "heten", "heter",
    "ings", "ing", "ies", "ens", "ers", "ars", "ors", "ade", "ast", "are", "het",
    "en", "er", "ar", "or", "et", "na", "es", "ed", "s", "n", "t", "a", "e",
)  # fmt: skip
_STEM_MIN = 4


def light_stem(word: str) -> str:
    if len(word) <= _STEM_MIN + 1 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _STEM_MIN:
            return word[: -len(suffix)]
    return word


def _fts5_term(term: Term, *, prefix: bool) -> str:
    if term.is_phrase:
        return '"' + " ".join(term.words) + '"'
    word = term.words[0]
    return f'"{light_stem(word)}"*' if prefix else f'"{word}"'


def _fts5_include(term: Term, *, last: bool) -> str:
    variants = [
        _fts5_term(variant, prefix=_is_prefix(variant, last=last)) for variant in term.variants()
    ]
    return variants[0] if len(variants) == 1 else "(" + " OR ".join(variants) + ")"


def to_fts5(query: ParsedQuery) -> str:
    groups = []
    for at, group in enumerate(query.groups):
        expression = " AND ".join(
            _fts5_include(term, last=last) for term, last in _includes(query, at)
        )
        if group.exclude:
            excluded = " OR ".join(_fts5_term(term, prefix=False) for term in group.exclude)
            expression = f"({expression}) NOT ({excluded})"
        groups.append(f"({expression})")
    return " OR ".join(groups)
