"""The Qt-free core: analysis, session state, suggestions. Never imports PySide6."""
