"""claimex: quantitative claims from ML paper abstracts, served as comparison tables.

One importable name for the whole service. The design keeps its parts as top-level folders of
the repository (``api/``, ``workers/``, ``extractors/``, and ``cli/``); this package holds
them as subpackages (``claimex.api`` …, links to those folders), so an installed claimex adds
one name to ``sys.path`` rather than four generic ones that clash with other projects.
"""
