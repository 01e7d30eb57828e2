# FAQ entries, search and import/export live here (the FAQ issue).
