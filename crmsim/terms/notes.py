"""A message for people: a catalog key and the values to put in it, shown in any language.

Notes are how the kit's code says something to a user without fixing the language: the reading
report, the calibration and the recommendation keep :class:`Note` objects and render them with
:meth:`Note.text` in the reader's language (``"both"``: the English, then the Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmsim.terms import (
    label,
)


@dataclass(frozen=True)
class Note:
    """A catalog key (``reading.note.*``, ``calibrate.note.*``...) and the values it names."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        """The note in *lang*; with ``"both"``, the English then the Chinese sentence."""
        if lang == "both":
            return f"{self.text('en')} / {self.text('zh')}"
        return label(self.key, lang).format(**self.values)


@dataclass(frozen=True)
class LabelledNote(Note):
    """A note whose values named in ``labelled`` are keys of the translation table, shown in the
    note's language (a stage, a measure)."""

    labelled: tuple[str, ...] = ()

    def text(self, lang: str | None = None) -> str:
        """The note in *lang*; with ``"both"``, the English then the Chinese sentence."""
        if lang == "both":
            return f"{self.text('en')} / {self.text('zh')}"
        values = {k: label(str(x), lang) if k in self.labelled else x
                  for k, x in self.values.items()}  # fmt: skip
        return label(self.key, lang).format(**values)
