"""claimex: quantitative claims from ML paper abstracts, served as comparison tables.

One importable name for the whole service. The design keeps its parts as top-level folders of
the repository (``api/``, ``workers/``, ``extractors/``, ``cli/`` and ``client/``); this
package holds them as subpackages (``claimex.api`` …, links to those folders), so an installed
claimex adds one name to ``sys.path`` rather than five generic ones that clash with other
projects. ``__version__`` is the one version ``claimex --version`` and the client report.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("claimex")
except _metadata.PackageNotFoundError:  # a checkout that was never installed
    __version__ = "unknown"
