"""Typed mentions of metrics, datasets, tasks and methods (see ``mention.py``)."""

from claimex.extractors.mentions.mention import MENTION_TYPES, Mention, MentionSource, MentionType

__all__ = ["MENTION_TYPES", "Mention", "MentionSource", "MentionType"]
