"""news-quotes: turn news pages into stories, canonical people and countries, and who-said-what.

Pure Python over spaCy; never imports streamlit.
"""
