"""A text box whose editing keys act in the order they were typed.

Textual runs a widget's non-priority key bindings when the key event has bubbled back up
to the app, after the widget has already handled the keys that followed it. Typed by a
person the gap never shows; in a burst (a paste without bracketed paste, ``tmux
send-keys C-u "snake bite"``, a fast typist over ssh) ``ctrl+u`` then clears the words
typed after it, and ``backspace`` deletes the wrong letter. This box runs its own
bindings (delete, cursor moves, clipboard, submit) as its keys arrive, so every key acts
on the text that the keys before it left.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextBox(Input):
    """An ``Input`` that applies its own key bindings in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        action = self._own_action(event)
        # An action that does not apply here (scrolling a box that cannot scroll) lets
        # the key go on to the screen's bindings, as Textual would.
        if action is not None and await self.app.run_action(action, self):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def _own_action(self, event: events.Key) -> str | None:
        """The action this box (not an ancestor) binds to the key, if any."""
        bindings = self._bindings.key_to_bindings
        for key in event.aliases:
            for binding in bindings.get(key, ()):
                if self.check_action(binding.action, ()) is not False:
                    return binding.action
        return None
