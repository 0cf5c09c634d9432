"""Atom feeds of newly accepted facts (feedgen writes the XML): the atlas's, and one per
country and per vendor, so a journalist can subscribe to what is new."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from custodiet import __version__
from custodiet.analyze.summary import corroboration, deployment_sentence
from custodiet.model.records import DeploymentRecord

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def when(stamp: str) -> datetime:
    """A stored review time as an aware datetime (UTC when it names no zone)."""
    if not stamp:
        return EPOCH
    found = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def atom(
    title: str,
    base: str,
    self_path: str,
    page_path: str,
    items: Sequence[tuple[DeploymentRecord, str]],
) -> bytes:
    """The feed: one entry per deployment, the most recently accepted first. `base` is
    the site's address (http://host:port), so every link in the feed is absolute."""
    from feedgen.feed import FeedGenerator  # imported here: only feeds pay for it

    feed = FeedGenerator()
    feed.id(base + self_path)
    feed.title(title)
    feed.link(href=base + self_path, rel="self", type="application/atom+xml")
    feed.link(href=base + page_path, rel="alternate", type="text/html")
    feed.generator("Custodiet", version=__version__)
    feed.rights("Custodiet's compilation: CC BY 4.0; each fact's source as its dataset gives")
    feed.updated(max((when(at) for _d, at in items), default=EPOCH))
    # feedgen puts the entry added last first; add the oldest first.
    for d, at in reversed(items):
        entry = feed.add_entry()
        link = f"{base}/deployments/{d.id.split(':', 1)[1]}"
        entry.id(link)
        entry.title(deployment_sentence(d))
        entry.link(href=link, rel="alternate", type="text/html")
        entry.updated(when(at))
        datasets = ", ".join(d.datasets)
        entry.summary(
            f"{deployment_sentence(d)} Support: {corroboration(d.support)}; from {datasets}."
        )
        for tech in d.technology_labels:
            entry.category(term=tech)
    return bytes(feed.atom_str(pretty=True))
