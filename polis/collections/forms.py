"""Forms of collection and challenge pages; each turns its data into an action's input."""

from django import forms

from polis.accounts.models import Pseud, User
from polis.collections.actions.challenges import ChallengeInput, RuleInput
from polis.collections.actions.collections import CollectionInput
from polis.collections.actions.signups import PromptInput, SignupInput
from polis.collections.models import Challenge, ChallengeKind, TagSet
from polis.collections.models.tagset import TAG_SET_TYPES
from polis.tags.models import TagType
from polis.tags.names import split_tag_field

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


class CollectionForm(forms.Form):
    name = forms.CharField(
        label="Collection name", max_length=80, help_text="Letters, digits and underscores."
    )
    title = forms.CharField(label="Display title", max_length=255)
    parent_name = forms.CharField(label="Parent collection", required=False, max_length=80)
    description = forms.CharField(label="Introduction", required=False, widget=TEXT)
    rules = forms.CharField(label="Rules", required=False, widget=TEXT)
    faq = forms.CharField(label="FAQ", required=False, widget=TEXT)
    closed = forms.BooleanField(label="Closed (only maintainers add works)", required=False)
    moderated = forms.BooleanField(label="Moderated (works wait for approval)", required=False)
    anonymous = forms.BooleanField(label="Anonymous (creators hidden until reveal)", required=False)
    unrevealed = forms.BooleanField(label="Unrevealed (works hidden until reveal)", required=False)
    reveal_at = forms.DateTimeField(
        label="Reveal on (UTC)", required=False, widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )

    def collection_input(self) -> CollectionInput:
        return CollectionInput(**self.cleaned_data)


class ChallengeForm(forms.Form):
    kind = forms.ChoiceField(label="Challenge type", choices=ChallengeKind.choices)
    tag_set = forms.ModelChoiceField(
        label="Tag set", queryset=TagSet.objects.all(), required=False, empty_label="(none)"
    )
    signup_opens_at = forms.DateTimeField(
        label="Sign-ups open (UTC)",
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    signup_closes_at = forms.DateTimeField(
        label="Sign-ups close (UTC)",
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    signup_instructions = forms.CharField(label="Sign-up instructions", required=False, widget=TEXT)
    requests_min = forms.IntegerField(label="Requests: at least", min_value=0, initial=1)
    requests_max = forms.IntegerField(label="Requests: at most", min_value=0, initial=1)
    offers_min = forms.IntegerField(label="Offers: at least", min_value=0, initial=1)
    offers_max = forms.IntegerField(label="Offers: at most", min_value=0, initial=1)
    prompts_must_match = forms.IntegerField(
        label="Requests that must match an offer", min_value=1, initial=1
    )
    allow_multiple_claims = forms.BooleanField(
        label="Several people may claim one prompt", required=False, initial=True
    )
    allow_anonymous_prompts = forms.BooleanField(
        label="Prompts may be anonymous", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tag_type in TAG_SET_TYPES:
            label = TagType(tag_type).label
            for part, text, initial in (
                ("request_min", "per request: at least", 1 if tag_type == "fandom" else 0),
                ("request_max", "per request: at most", 1 if tag_type == "fandom" else 0),
                ("offer_min", "per offer: at least", 1 if tag_type == "fandom" else 0),
                ("offer_max", "per offer: at most", 1 if tag_type == "fandom" else 0),
                ("match_count", "that must match", 1 if tag_type == "fandom" else 0),
            ):
                self.fields[f"{tag_type}_{part}"] = forms.IntegerField(
                    label=f"{label} tags {text}", min_value=0, max_value=50, initial=initial
                )
            self.fields[f"{tag_type}_allow_any"] = forms.BooleanField(
                label=f"{label}: allow “any”", required=False
            )
            self.fields[f"{tag_type}_any_matches"] = forms.BooleanField(
                label=f"{label}: “any” matches everything", required=False, initial=True
            )

    @staticmethod
    def initial_for(challenge: Challenge) -> dict:
        initial = {
            name: getattr(challenge, name)
            for name in (
                "kind",
                "tag_set",
                "signup_opens_at",
                "signup_closes_at",
                "signup_instructions",
                "requests_min",
                "requests_max",
                "offers_min",
                "offers_max",
                "prompts_must_match",
                "allow_multiple_claims",
                "allow_anonymous_prompts",
            )
        }
        for rule in challenge.tag_rules.all():
            for part in (
                "request_min",
                "request_max",
                "offer_min",
                "offer_max",
                "match_count",
                "allow_any",
                "any_matches",
            ):
                initial[f"{rule.tag_type}_{part}"] = getattr(rule, part)
        return initial

    def rule_fields(self):
        return [
            [self[f"{t}_{part}"] for part in ("request_min", "request_max", "offer_min",
                                              "offer_max", "match_count", "allow_any",
                                              "any_matches")]
            for t in TAG_SET_TYPES
        ]  # fmt: skip

    def challenge_input(self) -> ChallengeInput:
        data = self.cleaned_data
        rules = [
            RuleInput(
                tag_type=t,
                **{
                    part: data[f"{t}_{part}"]
                    for part in ("request_min", "request_max", "offer_min", "offer_max",
                                 "match_count", "allow_any", "any_matches")
                },
            )
            for t in TAG_SET_TYPES
            if data[f"{t}_request_max"] or data[f"{t}_offer_max"]
        ]  # fmt: skip
        return ChallengeInput(
            **{k: v for k, v in data.items() if k in ChallengeInput.__dataclass_fields__},
            rules=rules,
        )


class SignupForm(forms.Form):
    """Requests and offers as numbered groups of fields (no JavaScript needed).

    Field names (`request_1_fandom`) are the keys the sign-up actions name in refusals.
    A group left entirely empty is not submitted.
    """

    pseud = forms.ModelChoiceField(label="Sign up as", queryset=Pseud.objects.none())

    def __init__(self, *args, challenge: Challenge, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.fields["pseud"].queryset = Pseud.objects.filter(user=user)
        self.fields["pseud"].initial = Pseud.objects.filter(user=user, is_default=True).first()
        self.rules = list(challenge.tag_rules.all())
        self.groups: list[tuple[str, int, list[str]]] = []
        kinds = [("request", challenge.requests_max)]
        if challenge.is_gift_exchange:
            kinds.append(("offer", challenge.offers_max))
        for kind, count in kinds:
            for position in range(1, count + 1):
                names = []
                for rule in self.rules:
                    label = TagType(rule.tag_type).label
                    name = f"{kind}_{position}_{rule.tag_type}"
                    self.fields[name] = forms.CharField(
                        label=f"{label} tags",
                        required=False,
                        help_text="Separate tags with commas.",
                        widget=forms.TextInput(attrs={"class": "tags", "autocomplete": "off"}),
                    )
                    names.append(name)
                    if rule.allow_any:
                        self.fields[f"{name}_any"] = forms.BooleanField(
                            label=f"Any {label.lower()}", required=False
                        )
                        names.append(f"{name}_any")
                self.fields[f"{kind}_{position}_title"] = forms.CharField(
                    label="Title", required=False, max_length=255
                )
                self.fields[f"{kind}_{position}_description"] = forms.CharField(
                    label="Details", required=False, widget=TEXT
                )
                names += [f"{kind}_{position}_title", f"{kind}_{position}_description"]
                if challenge.is_prompt_meme and challenge.allow_anonymous_prompts:
                    self.fields[f"{kind}_{position}_anonymous"] = forms.BooleanField(
                        label="Post this prompt anonymously", required=False
                    )
                    names.append(f"{kind}_{position}_anonymous")
                self.groups.append((kind, position, names))

    def bound_groups(self):
        return [
            (kind, position, [self[name] for name in names])
            for kind, position, names in self.groups
        ]

    @staticmethod
    def initial_for(signup) -> dict:
        initial = {"pseud": signup.pseud_id}
        for prompt in signup.prompts.prefetch_related("tags"):
            prefix = f"{prompt.kind}_{prompt.position}"
            by_type: dict[str, list[str]] = {}
            for tag in prompt.tags.all():
                by_type.setdefault(tag.type, []).append(tag.name)
            for tag_type, names in by_type.items():
                initial[f"{prefix}_{tag_type}"] = ", ".join(sorted(names))
            for tag_type in prompt.any_types:
                initial[f"{prefix}_{tag_type}_any"] = True
            initial[f"{prefix}_title"] = prompt.title
            initial[f"{prefix}_description"] = prompt.description
            initial[f"{prefix}_anonymous"] = prompt.anonymous
        return initial

    def _prompts(self, kind: str) -> list[PromptInput]:
        data = self.cleaned_data
        prompts = []
        for group_kind, position, names in self.groups:
            if group_kind != kind or not any(data.get(name) for name in names):
                continue
            prefix = f"{kind}_{position}"
            prompts.append(
                PromptInput(
                    tags={
                        r.tag_type: split_tag_field(data.get(f"{prefix}_{r.tag_type}", ""))
                        for r in self.rules
                    },
                    any_types=[
                        r.tag_type for r in self.rules if data.get(f"{prefix}_{r.tag_type}_any")
                    ],
                    title=data.get(f"{prefix}_title", ""),
                    description=data.get(f"{prefix}_description", ""),
                    anonymous=bool(data.get(f"{prefix}_anonymous")),
                )
            )
        return prompts

    def signup_input(self) -> SignupInput:
        # Positions are renumbered from 1 by the action, so keep refusals on the right group:
        # empty groups are only dropped at the end.
        return SignupInput(
            pseud=self.cleaned_data["pseud"],
            requests=self._prompts("request"),
            offers=self._prompts("offer"),
        )


class TagSetForm(forms.Form):
    title = forms.CharField(label="Title", max_length=255)
    description = forms.CharField(label="Description", required=False, widget=TEXT)
    nominations_open = forms.BooleanField(label="Nominations are open", required=False)
    fandom_nomination_limit = forms.IntegerField(
        label="Fandoms each may nominate", min_value=0, initial=0
    )
    character_nomination_limit = forms.IntegerField(
        label="Characters each may nominate", min_value=0, initial=0
    )
    relationship_nomination_limit = forms.IntegerField(
        label="Relationships each may nominate", min_value=0, initial=0
    )
    freeform_nomination_limit = forms.IntegerField(
        label="Additional tags each may nominate", min_value=0, initial=0
    )


TYPE_CHOICES = [(t, TagType(t).label) for t in TAG_SET_TYPES]


class TagSetTagsForm(forms.Form):
    tag_type = forms.ChoiceField(label="Tag type", choices=TYPE_CHOICES)
    names = forms.CharField(label="Tags to add", help_text="Separate tags with commas.")


class AssociationForm(forms.Form):
    tag_name = forms.CharField(label="Character or relationship")
    fandom_name = forms.CharField(label="Belongs to fandom")


class NominationForm(forms.Form):
    tag_type = forms.ChoiceField(label="Tag type", choices=TYPE_CHOICES)
    name = forms.CharField(label="Tag", max_length=150)
    fandom_name = forms.CharField(label="Its fandom (characters and relationships)", required=False)


class UsernameForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)

    def clean_username(self) -> User:
        user = User.objects.filter(username__iexact=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError("There is no user with that name.")
        return user


class MemberForm(UsernameForm):
    role = forms.ChoiceField(
        label="Role", choices=[("member", "Member"), ("moderator", "Moderator"), ("owner", "Owner")]
    )


class AddToCollectionForm(forms.Form):
    collection = forms.CharField(label="Collection name", max_length=80)


class GiftForm(forms.Form):
    recipient = forms.CharField(
        label="Gift this work to", max_length=100, help_text="A username, or any name."
    )


class WorkChoiceForm(forms.Form):
    work = forms.ModelChoiceField(label="Your work", queryset=None, empty_label="Choose a work")

    def __init__(self, *args, works, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = works


class GiverForm(forms.Form):
    giver = forms.ChoiceField(label="Giver", required=False)

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].choices = [("", "(nobody)")] + [
            (s.pk, s.user.username) for s in signups
        ]
