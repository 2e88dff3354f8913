"""Undo and redo, for text edits and canvas edits alike."""


class History:
    """Undo/redo over snapshots; each entry is whatever the caller restores from."""

    def __init__(self, limit=200):
        self.entries = []
        self.index = -1
        self.limit = limit

    def record(self, entry):
        if 0 <= self.index and self.entries[self.index] == entry:
            return
        del self.entries[self.index + 1:]
        self.entries.append(entry)
        if len(self.entries) > self.limit:
            del self.entries[0]
        self.index = len(self.entries) - 1

    def replace(self, entry):
        """The current entry changed without being a step of its own (e.g. a node moved)."""
        if self.index >= 0:
            self.entries[self.index] = entry
        else:
            self.record(entry)

    def undo(self):
        if self.index <= 0:
            return None
        self.index -= 1
        return self.entries[self.index]

    def redo(self):
        if self.index >= len(self.entries) - 1:
            return None
        self.index += 1
        return self.entries[self.index]

    @property
    def can_undo(self):
        return self.index > 0

    @property
    def can_redo(self):
        return self.index < len(self.entries) - 1

    def kept(self):
        return list(self.entries), self.index

    def put_back(self, kept):
        entries, self.index = kept
        self.entries = list(entries)
