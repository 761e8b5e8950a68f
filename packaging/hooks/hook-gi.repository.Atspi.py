"""The AT-SPI typelib and libatspi for the helper's `from gi.repository import Atspi` (PyInstaller
has hooks for GLib, GObject, Gio, DBus, ... but none for Atspi). Its dependencies' typelibs come
through their own hooks, as hidden imports."""

from PyInstaller.utils.hooks.gi import GiModuleInfo


def hook(hook_api):
    module_info = GiModuleInfo("Atspi", "2.0", hook_api=hook_api)
    if not module_info.available:
        return
    binaries, datas, hiddenimports = module_info.collect_typelib_data()
    hook_api.add_datas(datas)
    hook_api.add_binaries(binaries)
    hook_api.add_imports(*hiddenimports)
