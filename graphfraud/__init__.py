"""graphfraud: tell the legitimate one-to-many caller from the coordinated fraud ring."""

__all__ = ["__version__"]

__version__ = "0.1.0"
