"""One module per CLI subcommand; :mod:`graphfraud.cli` registers them."""
