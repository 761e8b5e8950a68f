"""spaCy for the bundle: its modules (it finds many through registries at run time) and data,
without its test suite and without the language packages other than English, which assist never
loads (other text is reported as not English). Takes precedence over the generic spaCy hook."""

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

_, _package = get_package_paths("spacy")
_LANG = Path(_package) / "lang"


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    if len(parts) > 2 and parts[1] == "lang":
        # spacy.lang.<module> (shared helpers) stays; spacy.lang.<language> only for English.
        return parts[2] == "en" or (_LANG / f"{parts[2]}.py").is_file()
    return True


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = collect_data_files("spacy", excludes=["tests", "tests/**", "lang/sr/**", "lang/hr/**"])
