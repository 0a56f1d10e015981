"""What a work page says about the work's place in collections: AO3's "Collections:", "For X"
and "In response to a prompt by Y in the Z collection", each as the viewer may see it."""

from dataclasses import dataclass, field

from polis.collections.access import Viewer, listed_collections, visible_prompts
from polis.collections.anonymity import ANONYMOUS, gifts_for_display, visible_collections_for
from polis.collections.models import Claim, Collection, Gift, Prompt
from polis.works.models import Work


@dataclass
class PromptLine:
    prompt: Prompt
    requester: str  # a pseud's name, or "Anonymous" for an anonymous prompt
    requester_url: str
    collection: Collection


@dataclass
class WorkContext:
    collections: list[Collection] = field(default_factory=list)
    gifts: list[Gift] = field(default_factory=list)
    prompts: list[PromptLine] = field(default_factory=list)


def work_context(viewer: Viewer, work: Work) -> WorkContext:
    """Collections the work is approved in and the viewer may list, its gifts that were not
    refused, and the prompts it fills that the viewer may read (a prompt meme's, or any for
    the challenge's maintainers)."""
    collections = visible_collections_for(work)
    fills = list(
        Claim.objects.filter(work=work, filled_at__isnull=False)
        .select_related("prompt__challenge__collection", "prompt__signup__pseud")
        .order_by("filled_at", "pk")
    )
    gifts = gifts_for_display(work)
    if not collections and not fills:  # most works: three queries, and done
        return WorkContext(gifts=gifts)
    listed = set(listed_collections(viewer).values_list("pk", flat=True))
    collections = [c for c in collections if c.pk in listed]
    prompts = []
    for claim in fills:
        prompt = claim.prompt
        collection = prompt.challenge.collection
        if collection.pk not in listed:
            continue
        if not visible_prompts(viewer, prompt.challenge).filter(pk=prompt.pk).exists():
            continue
        pseud = prompt.signup.pseud
        prompts.append(
            PromptLine(
                prompt=prompt,
                requester=ANONYMOUS if prompt.anonymous else pseud.name,
                requester_url="" if prompt.anonymous else pseud.get_absolute_url(),
                collection=collection,
            )
        )
    return WorkContext(collections=collections, gifts=gifts, prompts=prompts)
