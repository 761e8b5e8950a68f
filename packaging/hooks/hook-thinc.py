"""thinc (spaCy's machine-learning layer) for the bundle: its modules and data, not its tests.
Takes precedence over the generic thinc hook."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
datas = collect_data_files("thinc", excludes=["tests", "tests/**"])
