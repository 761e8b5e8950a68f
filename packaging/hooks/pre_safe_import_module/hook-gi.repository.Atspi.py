"""`gi.repository.Atspi` exists only at run time (gi makes it from the typelib): a runtime module,
so that PyInstaller runs packaging/hooks/hook-gi.repository.Atspi.py for it."""


def pre_safe_import_module(api):
    api.add_runtime_module(api.module_name)
