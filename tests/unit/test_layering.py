"""The core never needs Qt: importing it in a fresh interpreter must not load PySide6."""

import subprocess
import sys

QT_FREE = [
    "assist",
    "assist.cli",
    "assist.paths",
    "assist.atomic",
    "assist.resources",
    "assist.core.types",
    "assist.core.session",
    "assist.core.suggest",
    "assist.core.analyzer",
    "assist.core.pipeline",
    "assist.core.emotion_model",
    "assist.commands.train",
    "assist.training.emotion",
    "assist.commands.analyze",
    "assist.platform.base",
    "assist.platform.factory",
    "assist.platform.inserter",
    "assist.platform.fake",
    "assist.platform.keystrokes",
    "assist.platform.profiles",
    "assist.single_instance",
    "assist.autostart",
    "assist.logs",
    "assist.audit",
    "assist.audit.engine",
    "assist.audit.shift",
    "assist.audit.html_report",
    "assist.commands.audit",
    "assist.phrases",
    "assist.phrases.interchange",
    "assist.commands.phrases",
]


def test_core_modules_do_not_import_qt():
    code = (
        "import importlib, sys\n"
        f"for name in {QT_FREE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt loaded by the core: {out.stdout}"
