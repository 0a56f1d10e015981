"""The posting form's "Suggest tags" step: without JavaScript, a submit that shows the form
again with everything typed and a checkbox per suggestion; ticked ones are added on the next
submit (any of the form's buttons). Nothing is added that the writer did not tick."""

from django import forms
from django.http import QueryDict

from polis.tags.models import TagType
from polis.tags.names import split_tag_field, tag_key
from polis.works.models import Work, tags_of_type
from polis.works.suggestions import MAX_CHARS, Suggestion, plain_text, suggest_tags

SUGGEST = "suggest_tags"  # the button that asks for suggestions
ADD = "add_suggestions"  # the button that adds the ticked ones and shows the form again
CHOSEN = "suggestion"  # one checkbox per suggestion: "field|value"
TAG_FIELDS = ("characters", "relationships", "freeforms")


def with_chosen_suggestions(data: QueryDict) -> QueryDict:
    """The submitted data with each ticked suggestion added to its field, once."""
    chosen = data.getlist(CHOSEN)
    if not chosen:
        return data
    data = data.copy()
    for value in chosen:
        field, _, name = value.partition("|")
        name = name.strip()
        if not name:
            continue
        if field == "language":
            data["language"] = name
        elif field in TAG_FIELDS:
            current = split_tag_field(data.get(field, ""))
            if tag_key(name) not in {tag_key(n) for n in current}:
                data[field] = ", ".join([*current, name])
    data.setlist(CHOSEN, [])
    return data


def is_suggestion_step(data: QueryDict | None) -> bool:
    return data is not None and (SUGGEST in data or ADD in data)


def unbound_form(form_class, data: QueryDict, **kwargs) -> forms.Form:
    """The form filled with what was typed, not validated: asking for suggestions of a
    half-written work must not greet the writer with "title is required"."""
    probe = form_class(**kwargs)
    initial = {}
    for name, field in probe.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = data.getlist(name)
        elif isinstance(field, forms.BooleanField):
            initial[name] = name in data
        elif name in data:
            initial[name] = data.get(name)
    return form_class(initial=initial, **kwargs)


def form_suggestions(data: QueryDict, work: Work | None = None) -> list[Suggestion]:
    """Suggestions for what the form holds; a work whose form has no text (several
    chapters) is read from its chapters."""
    if "text" in data:
        text, text_format = data.get("text", ""), data.get("text_format", "html")
    elif work is not None:
        parts, size = [], 0
        for chapter in work.chapters.order_by("position", "pk").only("source", "text_format"):
            part = plain_text(chapter.source, chapter.text_format)
            parts.append(part)
            size += len(part)
            if size >= MAX_CHARS:
                break
        text, text_format = "\n\n".join(parts), "text"
    else:
        text, text_format = "", "text"
    chosen = [name for field in TAG_FIELDS for name in split_tag_field(data.get(field, ""))]
    return suggest_tags(
        text=text,
        text_format=text_format,
        fandoms=split_tag_field(data.get("fandoms", "")),
        chosen=chosen,
        current_language=data.get("language", ""),
    )


def work_suggestions(work: Work) -> list[Suggestion]:
    """Suggestions for a saved work, read from its chapters, leaving out the tags and the
    language it already has (the work's "Suggest tags" page and its API endpoint)."""
    names = {
        field: ", ".join(tag.name for tag in tags_of_type(work, tag_type))
        for field, tag_type in (
            ("fandoms", TagType.FANDOM),
            ("characters", TagType.CHARACTER),
            ("relationships", TagType.RELATIONSHIP),
            ("freeforms", TagType.FREEFORM),
        )
    }
    return form_suggestions({**names, "language": work.language}, work)
