"""Stop words: left out when a search falls back to any of its words (faq.query.any_of).

The Swedish and English lists are PostgreSQL's own (tsearch_data/swedish.stop and
english.stop, the Snowball lists), which its 'swedish' and 'english' configurations
already drop from the stored vectors and from to_tsquery. Held here as well so that
SQLite, whose FTS5 index keeps every word, leaves out the same words. QUESTION_WORDS
are the verbs a question starts with ("får jag", "hur gör jag", "may I"): common
enough to match most entries, so they would only add noise to an any-word search.
"""

SWEDISH = """
och det att i en jag hon som han på den med var sig för så till är men ett om
hade de av icke mig du henne då sin nu har inte hans honom skulle hennes där min
man ej vid kunde något från ut när efter upp vi dem vara vad över än dig kan
sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta
åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina
samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka
ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
"""

ENGLISH = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves what
which who whom this that these those am is are was were be been being have has had
having do does did doing a an the and but if or because as until while of at by for
with about against between into through during before after above below to from up
down in out on off over under again further then once here there when where why how
all any both each few more most other some such no nor not only own same so than
too very s t can will just don should now
"""

QUESTION_WORDS = """
får fick gör göra gjorde ska skall bör måste vill kanske finns går
may might must shall would could does get
"""

STOP_WORDS = frozenset((SWEDISH + ENGLISH + QUESTION_WORDS).split())
