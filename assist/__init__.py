"""assist: a desktop companion for live-chat support agents."""

__version__ = "0.1.0"

__all__ = ["Analyzer", "__version__"]


def __getattr__(name):
    # Lazy so that `import assist` (the CLI, the overlay's first frame) does not pay for spaCy.
    if name == "Analyzer":
        from .core.analyzer import Analyzer

        return Analyzer
    raise AttributeError(name)
