"""Seeing the chat and inserting into it, per operating system, behind small interfaces (base.py).

Start here: `factory.create_backends(settings) -> Backends` picks the backends for this system and
settings (each missing one becomes a Null backend plus a BackendWarning with the reason), then
`backends.start_watchers(emit)` and, from a worker thread, `backends.inserter.insert(text, target)`.

    base.py           interfaces and events (the contract)
    factory.py        choice by platform and settings, logged; Null fallbacks (null.py)
    inserter.py       AutoInserter: paste with clipboard save/restore, typing, AT-SPI; focus check
    profiles.py       per-application paste key, line breaks, delays; textfit.py: spacing/capitals
    combos.py         "ctrl+alt+1" parsing; keys.py: KeySender and the InjectionGuard (our own keys)
    keystrokes.py     platform-neutral keystroke buffer and watcher (fallback draft source)
    watchdog.py       re-installs a global hook that died or stopped delivering
    x11*.py           Linux/X11: focus (EWMH), XTest keys, XGrabKey hotkeys, clipboard owner,
                      XRecord hook, XFixes selection watcher
    atspi.py          AT-SPI watcher (draft, chat message list, EditableText), run by
    atspi_process.py  in a helper process (libatspi and Qt cannot share GLib's default context)
    win32.py          Windows: user32, win32clipboard, keyboard, UI Automation
    macos.py          macOS: AppKit, Quartz events and taps, Accessibility API
    fake.py           fakes for tests of the layers above
"""
