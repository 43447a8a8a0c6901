"""Pure extraction of quantitative claims from abstract text: text in, claims out, no I/O."""

from claimex.extractors.model import EXTRACTOR_VERSION, Abstract, Claim, abstract_id
from claimex.extractors.pipeline import extract

__all__ = ["EXTRACTOR_VERSION", "Abstract", "Claim", "abstract_id", "extract"]
