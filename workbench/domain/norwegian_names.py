"""Common Norwegian first names, for the warning before an export (see
``workbench.services.privacy``).

Copied from Faker 40.54.0, ``faker/providers/person/no_NO/__init__.py`` (the 100 most
common male and female first names, from Statistics Norway), under the MIT licence:

    Copyright (c) 2012 Daniele Faraglia

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in
    all copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
    THE SOFTWARE.
"""

from __future__ import annotations

FIRST_NAMES: frozenset[str] = frozenset({
    "Adrian", "Alexander", "Alf", "Anders", "Andrea", "Andreas", "Anette", "Anita", "Ann",
    "Anna", "Anne", "Arild", "Arne", "Asbjørn", "Astrid", "Aud", "Bente", "Berit", "Bjørg",
    "Bjørn", "Britt", "Camilla", "Cathrine", "Cecilie", "Christian", "Dag", "Daniel", "Egil",
    "Einar", "Eirik", "Eivind", "Eli", "Elin", "Elisabeth", "Elise", "Ellen", "Else", "Emil",
    "Emilie", "Emma", "Erik", "Erling", "Espen", "Eva", "Finn", "Frank", "Fredrik", "Frode",
    "Geir", "Gerd", "Grete", "Grethe", "Gro", "Gunn", "Gunnar", "Hanna", "Hanne", "Hans",
    "Harald", "Hege", "Heidi", "Helene", "Helge", "Henrik", "Hilde", "Håkon", "Håvard", "Ida",
    "Ingeborg", "Inger", "Ingrid", "Irene", "Ivar", "Jan", "Janne", "Jenny", "Jens", "Joakim",
    "Johan", "Johannes", "John", "Jon", "Jonas", "Jorunn", "Julie", "Jørgen", "Karen", "Kari",
    "Karin", "Karl", "Karoline", "Kenneth", "Kim", "Kirsten", "Kjell", "Kjersti", "Kjetil",
    "Knut", "Kristian", "Kristin", "Kristine", "Kristoffer", "Kåre", "Laila", "Lars", "Leif",
    "Lene", "Linda", "Line", "Linn", "Lise", "Liv", "Magne", "Magnus", "Malin", "Maren", "Mari",
    "Maria", "Marianne", "Marie", "Marit", "Marius", "Markus", "Marte", "Martin", "Martine",
    "Mathias", "May", "Mette", "Mona", "Monica", "Morten", "Nils", "Nina", "Nora", "Odd", "Ola",
    "Olav", "Ole", "Per", "Petter", "Pål", "Ragnhild", "Randi", "Reidun", "Rita", "Roar",
    "Robert", "Roger", "Rolf", "Roy", "Rune", "Ruth", "Sander", "Sara", "Sebastian", "Sigrid",
    "Sigurd", "Silje", "Simen", "Sindre", "Siri", "Sissel", "Siv", "Sofie", "Solveig", "Sondre",
    "Stein", "Steinar", "Stian", "Stig", "Stine", "Svein", "Sverre", "Synnøve", "Terje", "Thea",
    "Thomas", "Thor", "Tobias", "Tom", "Tommy", "Tone", "Tonje", "Tor", "Torbjørn", "Tore",
    "Torill", "Tove", "Trine", "Trond", "Turid", "Unni", "Vegard", "Vidar", "Vilde", "Wenche",
    "Åse", "Øystein", "Øyvind",
})

__all__ = ["FIRST_NAMES"]
