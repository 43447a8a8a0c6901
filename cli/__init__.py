"""The ``claimex`` command line: one module per subcommand, registered in ``cli.main``."""
