"""Capitalised words that are not event places: first words of names, months, peoples, forces."""

from __future__ import annotations

_NOT_PLACE_WORDS = """
    The A An This That These Those It Its Islamic Islam Al El Mali Malian France French Russian
    Russia United Nations UN Africa African Europe European West North South East Central
    Northern Southern Eastern Western Sahel Sahara January February March April May June July
    August September October November December Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday Parliament Government Ministry Council Court Army Police Human Rights Watch Amnesty
    International Twitter Facebook English Arabic Muslims Muslim Christian Christians God Allah
    Dozo Dozos Fulani Peul Peulh Peuhl Bambara Dogon Tuareg Touareg Songhai Songhay Bozo Arab
    Arabs Mossi Hausa Daoussahak Imghad Ifoghas Minusma MINUSMA Barkhane Wagner Operation
    Coordination Platform Plateforme Group Azawad Tamasheq Burkina Faso Niger Algeria Mauritania
    Senegal Guinea Ivory Coast Chad Nigeria
"""
NOT_PLACE = frozenset(_NOT_PLACE_WORDS.split())

_ETHNONYM_WORDS = """
    bambara dogon fulani peul peulh peuhl tuareg touareg songhai songhay bozo arab mossi dozo
    dozos hausa daoussahak imghad ifoghas malinke soninke
"""
ETHNONYMS = frozenset(_ETHNONYM_WORDS.split())
