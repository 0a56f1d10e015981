"""Reading comments: threads of a work (or chapter) as nested nodes, five levels deep.

Two queries for a page of threads: the page's roots, then every comment in those threads.
Deeper replies continue on the comment's own page (`/comments/ID`).
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from polis.accounts.models import User
from polis.core.pagination import page_number as core_page_number
from polis.core.pagination import page_of
from polis.engagement.access import comment_visible, is_privileged
from polis.engagement.anonymous_creators import mark_anonymous_creators
from polis.engagement.comments import comment_settings_for, counted_comments
from polis.engagement.models import Comment, CommentPermission
from polis.engagement.relations import is_moderator, muted_user_ids
from polis.works.models import Chapter, Work

MAX_LEVELS = 5
THREADS_PER_PAGE = 20

Viewer = User | AnonymousUser


@dataclass
class CommentNode:
    """One comment as the viewer sees it, with what they may do to it."""

    comment: Comment
    level: int
    visible: bool
    children: list["CommentNode"] = field(default_factory=list)
    continues: bool = False  # replies deeper than MAX_LEVELS: "Continue this thread"
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_moderate: bool = False

    @property
    def placeholder(self) -> str:
        if self.comment.deleted:
            return "(Previous comment deleted.)"
        if not self.visible:
            return "(This comment is not shown to you.)"
        return ""


@dataclass
class ThreadContext:
    viewer: Viewer
    work: Work
    privileged: bool
    commenting_open: bool

    @classmethod
    def of(cls, viewer: Viewer, work: Work) -> "ThreadContext":
        privileged = is_privileged(viewer, work)
        permission = comment_settings_for(work).permission
        open_ = privileged or (
            permission == CommentPermission.EVERYONE
            or (permission == CommentPermission.REGISTERED and viewer.is_authenticated)
        )
        return cls(viewer=viewer, work=work, privileged=privileged, commenting_open=open_)


def _node(ctx: ThreadContext, comment: Comment, level: int) -> CommentNode:
    viewer = ctx.viewer
    visible = not comment.deleted and comment_visible(viewer, comment, privileged=ctx.privileged)
    own = viewer.is_authenticated and comment.user_id == viewer.pk
    live = visible and not comment.deleted
    return CommentNode(
        comment=comment,
        level=level,
        visible=visible,
        can_reply=live
        and ctx.commenting_open
        and comment.published
        and not comment.hidden
        and not comment.frozen
        and ctx.work.posted,
        can_edit=live and own and not comment.frozen,
        can_delete=live and (own or ctx.privileged),
        can_moderate=live and ctx.privileged,
    )


def _build(
    ctx: ThreadContext,
    top: Comment,
    comments: list[Comment],
    base_level: int = 1,
    max_levels: int = MAX_LEVELS,
) -> CommentNode | None:
    """The node for `top` with its replies, or None when nothing in it may be shown.

    Iterative, with an explicit stack: a thread may be thousands of replies deep, and each
    level of recursion would cost a Python frame (and, in serialisers, C stack).
    """
    children: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)
    last_level = base_level + max_levels - 1
    root = _node(ctx, top, base_level)
    # Depth-first, parents before their replies; then, in reverse, every reply is settled
    # before its parent decides whether anything in it may be shown.
    visited: list[tuple[CommentNode, CommentNode | None]] = []
    todo: list[tuple[CommentNode, CommentNode | None]] = [(root, None)]
    while todo:
        node, parent = todo.pop()
        visited.append((node, parent))
        replies = children.get(node.comment.pk, [])
        if node.level >= last_level:
            node.continues = _has_visible(ctx, replies, children)
        else:
            todo.extend((_node(ctx, reply, node.level + 1), node) for reply in reversed(replies))
    for node, parent in reversed(visited):
        node.children.reverse()  # settled last reply first
        if parent is not None and (node.visible or node.children or node.continues):
            parent.children.append(node)
    if root.visible or root.children or root.continues:
        return root
    return None


def _has_visible(ctx: ThreadContext, replies: list[Comment], children: dict) -> bool:
    """Whether any of these replies, or any reply below them, may be shown."""
    todo = list(replies)
    while todo:
        comment = todo.pop()
        if not comment.deleted and comment_visible(ctx.viewer, comment, privileged=ctx.privileged):
            return True
        todo.extend(children.get(comment.pk, []))
    return False


def flatten(nodes: list[CommentNode]) -> list[tuple[CommentNode, range]]:
    """The nodes in reading order, each with how many open threads close after it.

    Templates render this flat list in one loop (`<ol>` opened after a node with replies,
    closed by the count), so rendering needs no recursive include.
    """
    rows: list[tuple[CommentNode, int]] = []
    todo: list[tuple[CommentNode, int]] = [(node, 0) for node in reversed(nodes)]
    while todo:
        node, closes = todo.pop()
        if node.children:
            # The last reply closes this node's thread as well as those it inherits.
            last, *rest = reversed(node.children)
            todo.append((last, closes + 1))
            todo.extend((child, 0) for child in rest)
            rows.append((node, 0))
        else:
            rows.append((node, closes))
    return [(node, range(closes)) for node, closes in rows]


def _with_authors(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    # "on Chapter N" gives the number readers see, not the position (drafts count there).
    return comments.select_related("pseud__user").prefetch_related(
        Prefetch("chapter", queryset=Chapter.objects.numbered())
    )


def _roots(ctx: ThreadContext, chapter: Chapter | None) -> QuerySet[Comment]:
    roots = Comment.objects.filter(work=ctx.work, parent__isnull=True)
    if chapter is not None:
        roots = roots.filter(chapter=chapter)
    readable = Q()
    if not ctx.privileged:
        shown = Q(status="published", hidden=False) | Q(deleted=True)
        readable = Q(status="published", hidden=False)
        if ctx.viewer.is_authenticated:
            shown |= Q(user=ctx.viewer)
            readable |= Q(user=ctx.viewer)
        roots = roots.filter(shown)
    if not is_moderator(ctx.viewer):
        # A thread whose first comment staff hid shows (as a placeholder) only for replies
        # the viewer may read; the page builds it so (_build), and counts leave it out.
        mine = Q(user=ctx.viewer) if ctx.viewer.is_authenticated else Q(pk__in=[])
        replies = Comment.objects.filter(
            thread_id=OuterRef("pk"), deleted=False, staff_hidden=False
        ).filter(readable)
        roots = roots.filter(Q(staff_hidden=False) | mine | Exists(replies))
    muted = muted_user_ids(ctx.viewer)
    if muted:
        # A thread a muted user started shows only for the replies of others in it, as the
        # page builds it (_has_visible); without any, it is not one of the viewer's threads,
        # so pages and the API's `count` leave it out.
        others = (
            Comment.objects.filter(thread_id=OuterRef("pk"), deleted=False)
            .filter(readable)
            .exclude(user_id__in=muted)
        )
        roots = roots.exclude(Q(user_id__in=muted) & ~Exists(others))
    return roots.order_by("created_at", "pk")


def work_threads(
    viewer: Viewer,
    work: Work,
    *,
    chapter: Chapter | None = None,
    page_number: int | str = 1,
    max_levels: int = MAX_LEVELS,
) -> tuple[Page, list[CommentNode], ThreadContext]:
    """One page of the work's (or chapter's) comment threads, oldest first."""
    ctx = ThreadContext.of(viewer, work)
    if work.comment_count == 0 and not viewer.is_authenticated:
        # Nothing published; guests never see held or hidden comments: skip the queries.
        return page_of([], 1, per_page=THREADS_PER_PAGE), [], ctx
    # A link to a page that deletions emptied shows the last page (clamp), not an empty one.
    roots = _roots(ctx, chapter).values_list("pk", flat=True)
    page = page_of(roots, core_page_number(page_number), per_page=THREADS_PER_PAGE, clamp=True)
    root_ids = list(page.object_list)
    if not root_ids:
        return page, [], ctx
    comments = list(
        _with_authors(
            Comment.objects.filter(Q(pk__in=root_ids) | Q(thread_id__in=root_ids))
        ).order_by("created_at", "pk")
    )
    mark_anonymous_creators(comments, work=ctx.work)
    by_thread: dict[int, list[Comment]] = {}
    for comment in comments:
        by_thread.setdefault(comment.thread_id or comment.pk, []).append(comment)
    nodes = []
    for root_id in root_ids:
        thread = by_thread.get(root_id, [])
        root = next((c for c in thread if c.pk == root_id), None)
        node = _build(ctx, root, thread, max_levels=max_levels) if root else None
        if node is not None:
            nodes.append(node)
    return page, nodes, ctx


def comment_subtree(
    viewer: Viewer, comment: Comment, *, max_levels: int = MAX_LEVELS
) -> tuple[CommentNode | None, ThreadContext]:
    """A comment and its replies, for the comment's own page (five more levels)."""
    ctx = ThreadContext.of(viewer, comment.work)
    root = comment.thread_id or comment.pk
    thread = list(
        _with_authors(Comment.objects.filter(Q(pk=root) | Q(thread_id=root))).order_by(
            "created_at", "pk"
        )
    )
    mark_anonymous_creators(thread, work=ctx.work)
    top = next(c for c in thread if c.pk == comment.pk)
    return _build(ctx, top, thread, max_levels=max_levels), ctx


def viewer_comment_count(viewer: Viewer, work: Work) -> int:
    """The work's comment count as this viewer sees it: muted users' comments left out."""
    muted = muted_user_ids(viewer)
    if not muted:
        return work.comment_count
    hidden = counted_comments(work.pk).filter(user_id__in=muted).count()
    return max(work.comment_count - hidden, 0)


def held_comments(work: Work) -> QuerySet[Comment]:
    """Comments waiting for a creator's approval, oldest first."""
    return _with_authors(
        Comment.objects.filter(work=work).exclude(status="published").filter(deleted=False)
    ).order_by("created_at", "pk")


def comment_location(viewer: Viewer, comment: Comment) -> str:
    """Where a comment is shown: its thread on the work or chapter page, or a thread page."""
    anchor = f"#comment_{comment.pk}"
    if comment.depth >= MAX_LEVELS:
        # Pages of a deep thread start every MAX_LEVELS - 1 levels (see CommentNode.continues).
        top_depth = (MAX_LEVELS - 1) * ((comment.depth - 1) // (MAX_LEVELS - 1))
        top = comment
        while top.depth > top_depth:
            top = top.parent
        return top.get_absolute_url() + anchor
    work = comment.work
    root = comment.thread if comment.thread_id else comment
    chapter = comment.chapter if comment.chapter_id else None
    before = _roots(ThreadContext.of(viewer, work), chapter).filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    )
    page = before.count() // THREADS_PER_PAGE + 1
    base = chapter.get_absolute_url() + "?" if chapter else work.get_absolute_url() + "?"
    if chapter is None:
        base += "view_full_work=true&"
    return f"{base}page={page}{anchor}"
