"""Tag suggestions from a work's text: characters, relationships, point of view, tense,
language and additional tags, each with the reason it is offered. Never applied by itself.

Everything here is a read: the posting form and the API show the suggestions, and the
writer adds the ones they choose (by clicking) before saving through the usual actions.
The analysis is bounded: at most `MAX_CHARS` characters are read, each pass over the words
is linear (phrase lookups of at most `MAX_PHRASE_WORDS` words per position), and the tags
looked at are those of the chosen fandoms plus at most `MAX_FREEFORMS` general ones.
"""

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key
from polis.works.languages import LANGUAGE_NAMES

MAX_CHARS = 200_000
LANGUAGE_SAMPLE = 20_000  # the detector is slower than the rest; a sample is enough
MAX_PHRASE_WORDS = 6
MAX_FREEFORMS = 5000
MIN_CHARACTER_MENTIONS = 2
MIN_PRONOUNS = 10
MIN_VERBS = 5

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Dialogue: what sits between quotation marks. Pronouns there are the speakers', not the
# narrator's ("I'm fine," she said is third person).
_DIALOGUE = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»|„[^“”]*[“”]|「[^」]*」")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


FIRST = _wordset("i me my mine myself we us our ours ourselves i'm i've i'd i'll")
SECOND = _wordset("you your yours yourself yourselves you're you've you'd you'll y'all")
THIRD = _wordset(
    "he him his himself she her hers herself they them their theirs themselves he's she's "
    "he'd she'd they're they'd they've"
)
SUBJECTS = _wordset("i you he she it we they")
SINGULAR_THIRD = _wordset("he she it")
PAST = _wordset(
    "was were had did said went came saw took made knew thought felt got gave told found "
    "left stood sat ran began heard kept held brought fell meant put let became could "
    "would wasn't weren't hadn't didn't couldn't wouldn't swore woke spoke wrote drove "
    "threw caught taught bought sought fought lost paid sent spent built slept wept grew "
    "drew flew knelt rose hid bit lay led met sang rang shook struck tore wore won "
    "understood forgot chose froze broke stole"
)
PRESENT = _wordset(
    "am is are has have do does say says go goes come comes see sees take takes make "
    "makes know knows think thinks feel feels get gets give gives tell tells find finds "
    "can will isn't aren't don't doesn't haven't hasn't can't won't i'm you're we're "
    "they're he's she's it's"
)
# Words that sit between a pronoun and its verb, or are not verbs of either tense.
NEITHER = _wordset(
    "just never always still only also really even almost ever then too all both not "
    "finally slowly quickly suddenly barely already simply again soon once both each "
    "should shall may might must and or but so the a an to in on at of for with from by "
    "as that this there here back up down out into"
)


@dataclass(frozen=True)
class Suggestion:
    """One tag to offer: `field` is the posting form's field it would be added to."""

    field: str  # "characters", "relationships", "freeforms" or "language"
    value: str  # the tag name, or the language code
    label: str  # what the writer reads: the tag name, or the language's name
    reason: str
    count: int = 0


def plain_text(text: str, text_format: str = "html") -> str:
    """The first MAX_CHARS characters of the text as words (markup dropped, not sanitised:
    nothing of it is ever shown)."""
    text = text[:MAX_CHARS]
    if text_format == "html":
        text = html.unescape(_TAG.sub(" ", text))
    return text.replace("’", "'")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


# --------------------------------------------------------------------------- point of view


def point_of_view(narration: list[str]) -> Suggestion | None:
    """First, second or third person, from the pronouns of the narration."""
    counts = {"First Person": 0, "Second Person": 0, "Third Person": 0}
    for word in narration:
        low = word.lower()
        if low in FIRST:
            counts["First Person"] += 1
        elif low in SECOND:
            counts["Second Person"] += 1
        elif low in THIRD:
            counts["Third Person"] += 1
    total = sum(counts.values())
    if total < MIN_PRONOUNS:
        return None
    first, second = counts["First Person"], counts["Second Person"]
    if second >= 0.3 * total and second > first:
        name, forms = "Second Person", "“you” and its forms"
    elif first >= 0.3 * total and first >= second:
        name, forms = "First Person", "“I”, “we” and their forms"
    elif counts["Third Person"] >= 0.5 * total:
        name, forms = "Third Person", "“he”, “she”, “they” and their forms"
    else:
        return None
    share = round(100 * counts[name] / total)
    return Suggestion(
        field="freeforms",
        value=name,
        label=name,
        reason=f"{forms} make {share}% of the pronouns outside dialogue "
        f"({counts[name]} of {total})",
        count=counts[name],
    )


def tense(narration: list[str]) -> Suggestion | None:
    """Past or present, from the verb after each subject pronoun of the narration."""
    past = present = 0
    lowered = [word.lower() for word in narration]
    for index, word in enumerate(lowered[:-1]):
        if word not in SUBJECTS:
            continue
        verb = lowered[index + 1]
        if verb in NEITHER:
            continue
        if verb in PAST or (verb.endswith("ed") and not verb.endswith("eed")):
            past += 1
        elif (
            verb in PRESENT
            or (word in SINGULAR_THIRD and verb.endswith("s") and not verb.endswith("ss"))
            or (word not in SINGULAR_THIRD and len(verb) > 2 and "'" not in verb)
        ):
            present += 1
    total = past + present
    if total < MIN_VERBS:
        return None
    if past >= 0.7 * total:
        name, count, other = "Past Tense", past, present
    elif present >= 0.7 * total:
        name, count, other = "Present Tense", present, past
    else:
        return None
    return Suggestion(
        field="freeforms",
        value=name,
        label=name,
        reason=f"{count} of the {total} verbs after a pronoun outside dialogue are in the "
        f"{name.split()[0].lower()} tense ({other} are not)",
        count=count,
    )


# --------------------------------------------------------------------------- language


def language(text: str) -> Suggestion | None:
    """The language of the text, by langdetect's offline profiles (seeded: the same text
    always gives the same answer)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    sample = text[:LANGUAGE_SAMPLE]
    if len(_words(sample)) < 5:
        return None
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None
    code = {"zh-cn": "zh", "zh-tw": "zh", "pt": "pt-BR", "no": "nb"}.get(best.lang, best.lang)
    if best.prob < 0.8 or code not in LANGUAGE_NAMES:
        return None
    name = LANGUAGE_NAMES[code]
    return Suggestion(
        field="language",
        value=code,
        label=name,
        reason=f"the text reads as {name} ({round(best.prob * 100)}% sure)",
    )


# --------------------------------------------------------------------------- tag names


def _phrase(name: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _words(_PARENTHESIS.sub("", name)))


def _count_phrases(
    words: list[str], phrases: dict[tuple[str, ...], object], *, capitalised: bool
) -> dict[tuple[str, ...], int]:
    """How often each phrase occurs, longest match first (so "Clarke Griffin" is not also
    counted as "Clarke"); with `capitalised`, only where the text capitalises it, as names
    are (so the character Will is not found in "she will")."""
    longest = max((len(p) for p in phrases), default=0)
    if not longest:
        return {}
    folded = [word.casefold() for word in words]
    found: Counter = Counter()
    index = 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            key = tuple(folded[index : index + size])
            if key in phrases and (not capitalised or words[index][:1].isupper()):
                found[key] += 1
                index += size
                break
        else:
            index += 1
    return found


def _canonical_fandoms(names: Iterable[str]) -> list[Tag]:
    keys = {tag_key(name) for name in names if name.strip()}
    fandoms = Tag.objects.filter(key__in=keys, type=TagType.FANDOM).select_related("merger")
    found = {}
    for tag in fandoms:
        target = tag if tag.canonical else tag.merger
        if target is not None:
            found[target.pk] = target
    return list(found.values())


def _forms_of(tags: list[Tag]) -> dict[int, list[str]]:
    """Each tag's names to look for: its own and its synonyms'."""
    forms = {tag.pk: [tag.name] for tag in tags}
    for synonym in Tag.objects.filter(merger__in=tags).only("name", "merger_id"):
        forms[synonym.merger_id].append(synonym.name)
    return forms


def _mentions(counts: dict[tuple[str, ...], int], shown: dict[tuple[str, ...], str]) -> str:
    parts = sorted(counts.items(), key=lambda item: (-item[1], shown[item[0]]))
    return ", ".join(f"'{shown[phrase]}' appears {_times(n)}" for phrase, n in parts)


def characters(words: list[str], fandoms: list[Tag]) -> list[tuple[Tag, int, str]]:
    """Canonical characters of the fandoms named at least MIN_CHARACTER_MENTIONS times: by
    full name, a synonym, or a part of the name (first or last) no other character shares."""
    tags = list(
        Tag.objects.filter(
            type=TagType.CHARACTER, canonical=True, parent_links__parent__in=fandoms
        ).distinct()
    )
    phrases: dict[tuple[str, ...], int] = {}
    shown: dict[tuple[str, ...], str] = {}
    parts: dict[tuple[str, ...], set[int]] = {}
    for tag_id, names in _forms_of(tags).items():
        for name in names:
            phrase = _phrase(name)
            if 0 < len(phrase) <= MAX_PHRASE_WORDS:
                phrases[phrase] = tag_id
                shown[phrase] = _PARENTHESIS.sub("", name)
            if len(phrase) > 1:
                for word, original in zip(phrase, _words(_PARENTHESIS.sub("", name)), strict=True):
                    if len(word) >= 3:
                        parts.setdefault((word,), set()).add(tag_id)
                        shown.setdefault((word,), original)
    for part, owners in parts.items():
        if len(owners) == 1 and part not in phrases:
            phrases[part] = next(iter(owners))
    counts = _count_phrases(words, phrases, capitalised=True)
    by_tag: dict[int, dict[tuple[str, ...], int]] = {}
    for phrase, count in counts.items():
        by_tag.setdefault(phrases[phrase], {})[phrase] = count
    found = []
    for tag in tags:
        mentions = by_tag.get(tag.pk, {})
        total = sum(mentions.values())
        if total >= MIN_CHARACTER_MENTIONS:
            found.append((tag, total, _mentions(mentions, shown)))
    return sorted(found, key=lambda item: (-item[1], item[0].name))


def _relationship_members(name: str) -> list[str]:
    return [tag_key(_PARENTHESIS.sub("", part)) for part in re.split(r"/|\s&\s", name)]


def relationships(
    fandoms: list[Tag], suggested: list[tuple[Tag, int, str]]
) -> list[tuple[Tag, int, str]]:
    """Canonical relationships of the fandoms all of whose characters are suggested."""
    names = {}
    for tag, count, _ in suggested:
        names[tag_key(tag.name)] = (tag, count)
        names[tag_key(_PARENTHESIS.sub("", tag.name))] = (tag, count)
    found = []
    ships = Tag.objects.filter(
        type=TagType.RELATIONSHIP, canonical=True, parent_links__parent__in=fandoms
    ).distinct()
    for ship in ships:
        members = _relationship_members(ship.name)
        if len(members) < 2 or any(member not in names for member in members):
            continue
        people = [names[member] for member in members]
        listed = " and ".join(f"'{tag.name}'" for tag, _ in people)
        reason = f"{listed} are both suggested" if len(people) == 2 else f"{listed} are suggested"
        found.append((ship, min(count for _, count in people), reason))
    return sorted(found, key=lambda item: (-item[1], item[0].name))


def freeforms(words: list[str], fandoms: list[Tag]) -> list[tuple[Tag, int, str]]:
    """Canonical additional tags of these fandoms, or of no fandom, named in the text by
    their name or a synonym (at most MAX_FREEFORMS of them are looked for)."""
    tags = list(
        Tag.objects.filter(type=TagType.FREEFORM, canonical=True)
        .filter(Q(parent_links__parent__in=fandoms) | Q(parent_links__isnull=True))
        .distinct()
        .order_by("pk")[:MAX_FREEFORMS]
    )
    phrases: dict[tuple[str, ...], int] = {}
    shown: dict[tuple[str, ...], str] = {}
    for tag_id, names in _forms_of(tags).items():
        for name in names:
            phrase = _phrase(name)
            if 0 < len(phrase) <= MAX_PHRASE_WORDS:
                phrases[phrase] = tag_id
                shown[phrase] = name
    counts = _count_phrases(words, phrases, capitalised=False)
    by_tag: dict[int, dict[tuple[str, ...], int]] = {}
    for phrase, count in counts.items():
        by_tag.setdefault(phrases[phrase], {})[phrase] = count
    found = [
        (tag, sum(by_tag[tag.pk].values()), _mentions(by_tag[tag.pk], shown))
        for tag in tags
        if tag.pk in by_tag
    ]
    return sorted(found, key=lambda item: (-item[1], item[0].name))


# --------------------------------------------------------------------------- all together


def suggest_tags(
    *,
    text: str,
    text_format: str = "html",
    fandoms: Iterable[str] = (),
    chosen: Iterable[str] = (),
    current_language: str = "",
) -> list[Suggestion]:
    """Everything to offer for this text, leaving out what the writer already chose
    (`chosen`: the tag names already on the form; a synonym there counts as its tag)."""
    plain = plain_text(text, text_format)
    words = _words(plain)
    narration = _words(_DIALOGUE.sub(" ", plain))
    fandom_tags = _canonical_fandoms(fandoms)
    have = {tag_key(name) for name in chosen}
    for tag in Tag.objects.filter(key__in=have).select_related("merger"):
        if tag.merger is not None:
            have.add(tag.merger.key)

    found: list[Suggestion] = []
    people = characters(words, fandom_tags) if fandom_tags else []
    for field, rows in (
        ("characters", people),
        ("relationships", relationships(fandom_tags, people) if people else []),
    ):
        found += [
            Suggestion(field=field, value=tag.name, label=tag.name, reason=why, count=n)
            for tag, n, why in rows
        ]
    for extra in (point_of_view(narration), tense(narration)):
        if extra is not None:
            found.append(extra)
    found += [
        Suggestion(field="freeforms", value=tag.name, label=tag.name, reason=why, count=n)
        for tag, n, why in freeforms(words, fandom_tags)
    ]
    unique: dict[tuple[str, str], Suggestion] = {}
    for suggestion in found:
        key = (suggestion.field, tag_key(suggestion.value))
        if key[1] not in have and key not in unique:
            unique[key] = suggestion
    result = list(unique.values())
    spoken = language(plain)
    if spoken is not None and spoken.value != current_language:
        result.append(spoken)
    return result
